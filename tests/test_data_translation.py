"""The translation dataset: counts, disjoint deterministic splits, tokens, vocabulary and the TSV reader."""
import socket

import numpy as np
import pytest

from rnncourse.data import translation
from rnncourse.data.translation import Vocabulary, detokenize, tokenize


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """One fresh build in a private data folder, with network access blocked during the build."""
    folder = tmp_path_factory.mktemp("data")
    environment = pytest.MonkeyPatch()
    environment.setenv("RNNCOURSE_DATA_DIR", str(folder))

    def no_network(*args, **kwargs):
        raise OSError("network access is blocked in this test")

    messages = []
    with pytest.MonkeyPatch.context() as network:
        network.setattr(socket, "socket", no_network)
        data = translation.build(force=True, progress=messages.append)
    yield data, messages, folder
    environment.undo()


def test_counts_and_kinds(built):
    data, messages, _ = built
    total = sum(translation.COUNTS.values())
    assert len(data.train) + len(data.validation) + len(data.test) == total
    for split, share in ((data.train, 0.8), (data.validation, 0.1), (data.test, 0.1)):
        assert abs(len(split) / total - share) < 0.02, "hash splits should be close to 80/10/10"
    assert set(data.test.kinds) == set(translation.DATE_FORMATS) | {"number", "quantity"}
    assert data.metadata["counts"] == {"train": len(data.train), "validation": len(data.validation), "test": len(data.test)}
    assert any("splits" in message for message in messages), "the build reports progress"


def test_no_source_in_two_splits_and_no_duplicates(built):
    data, _, _ = built
    train, validation, test = (set(split.sources) for split in (data.train, data.validation, data.test))
    assert not (train & validation) and not (train & test) and not (validation & test)
    assert len(train) + len(validation) + len(test) == sum(translation.COUNTS.values())


def test_known_pairs_are_correct():
    import datetime

    assert translation._date_pair(datetime.date(2026, 11, 4), "date_full", "fr") == (
        "Wednesday, November 4, 2026", "mercredi 4 novembre 2026")
    assert translation._date_pair(datetime.date(2026, 11, 4), "date_iso", "fr") == ("2026-11-04", "04/11/2026")
    assert translation._date_pair(datetime.date(2026, 11, 4), "date_long_uk", "fr") == ("4 November 2026", "4 novembre 2026")
    assert translation._number_words(91, "fr") == "quatre-vingt-onze"
    assert translation._number_words(21_000, "es") == "veintiún mil", "Spanish apocope before mil"
    assert translation._number_words(31_000, "es") == "treinta y un mil"


def test_quantities_are_plural_and_masculine(built):
    data, _, _ = built
    for source, target, kind in zip(data.train.sources, data.train.targets, data.train.kinds):
        if kind == "quantity":
            if source.startswith("one ") and len(source.split()) == 2:
                assert target.startswith("un "), target
                assert target.endswith("mois") or not target.endswith("s"), f"singular after one: {target}"
            elif not target.endswith("mois"):
                assert target.endswith("s"), f"plural unit expected: {source} -> {target}"
            assert not target.startswith("une "), "only masculine units are generated"


def test_corrupt_cache_is_rebuilt_identically(built, monkeypatch):
    """A damaged cache is detected and rebuilt, and the rebuild gives the same pairs (determinism)."""
    data, _, folder = built
    monkeypatch.setenv("RNNCOURSE_DATA_DIR", str(folder))
    (folder / "translation" / "test_target.npy").write_bytes(b"garbage")
    messages = []
    again = translation.load(progress=messages.append)
    assert any("checksum" in message for message in messages), "the rebuild says why"
    assert again.train.sources == data.train.sources and again.train.targets == data.train.targets
    assert again.test.targets == data.test.targets and again.validation.kinds == data.validation.kinds


def test_token_round_trip_and_lengths(built):
    data, _, _ = built
    texts = data.train.sources + data.train.targets
    assert all(detokenize(tokenize(text)) == text for text in texts)
    assert tokenize("quatre-vingt-onze") == ["▁quatre", "-vingt", "-onze"]
    assert tokenize("2026-11-04") == ["▁2", "0", "2", "6", "-", "1", "1", "-", "0", "4"]
    assert max(len(tokenize(text)) for text in data.train.targets) <= 16, "targets stay short (word pieces)"
    assert detokenize(tokenize("  deux   cents ")) == "deux cents", "whitespace is normalised"


def test_empty_text_has_no_pieces():
    # an untrained model can emit <end> first; lesson 05 tokenizes that empty translation again to label its plot
    assert tokenize("") == [] and tokenize("   ") == []
    assert detokenize(tokenize("")) == "" and detokenize(["<end>"]) == ""


def test_vocabulary_special_tokens_and_padding(built):
    data, _, _ = built
    vocabulary = Vocabulary.build(tokenize(text) for text in data.train.targets)
    assert vocabulary.tokens[:4] == ["<pad>", "<start>", "<end>", "<unk>"]
    sequences = [tokenize(text) for text in data.test.targets[:50]]
    matrix = vocabulary.encode_batch(sequences, add_start=True, add_end=True)
    assert matrix.dtype == np.int32 and (matrix[:, 0] == vocabulary.start_id).all()
    lengths = (matrix != 0).sum(axis=1)
    assert all(matrix[row, length - 1] == vocabulary.end_id for row, length in enumerate(lengths))
    assert [detokenize(tokens) for tokens in vocabulary.decode_batch(matrix)] == data.test.targets[:50]
    assert vocabulary.encode(["never-seen"]) == [vocabulary.unknown_id]
    assert Vocabulary.from_json(vocabulary.to_json()).tokens == vocabulary.tokens
    with pytest.raises(ValueError, match="raise length"):
        vocabulary.encode_batch(sequences, length=2)
    decoder_input, labels = translation.teacher_forcing_arrays(matrix)
    assert (decoder_input[:, 1:] == labels[:, :-1]).all(), "labels are the decoder input shifted by one"


def test_spanish_switch(monkeypatch, tmp_path):
    monkeypatch.setenv("RNNCOURSE_DATA_DIR", str(tmp_path))
    pairs, kinds = translation.generate_pairs("es", counts={"date": 30, "number": 30, "quantity": 30}, progress=lambda m: None)
    assert len(pairs) == 60 and "quantity" not in kinds, "Spanish has dates and numbers only"
    assert any(" de " in target for (_, target), kind in zip(pairs, kinds) if kind == "date_long_us")
    with pytest.raises(ValueError, match="language must be one of"):
        translation.load("de")


def test_reader_on_generated_fixture(tmp_path):
    path = tmp_path / "fra.txt"
    lines = ["Go.\tVa !\tCC-BY 2.0 (France) Attribution: example #1", "", "I won!\tJ'ai gagné !\tCC-BY 2.0 #2"]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    pairs, attributions = translation.read_sentence_pairs(path)
    assert pairs == [("Go.", "Va !"), ("I won!", "J'ai gagné !")]
    assert attributions[1] == "CC-BY 2.0 #2"
    splits = translation.split_pairs(pairs)
    assert sum(len(split) for split in splits.values()) == 2


@pytest.mark.parametrize(
    "content, message",
    [
        ("Go.\tVa !\n", "line 1: expected 3 tab-separated fields"),
        ("Go.\tVa !\tok\nHi.\tSalut.\tok\textra\n", "line 2: expected 3"),
        ("Go.\t\tok\n", "line 1: the English or French sentence is empty"),
        ("\n\n", "holds no sentence pairs"),
    ],
)
def test_reader_errors_name_the_line(tmp_path, content, message):
    path = tmp_path / "pairs.tsv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ValueError, match=message):
        translation.read_sentence_pairs(path)


def test_reader_path_errors(tmp_path):
    with pytest.raises(FileNotFoundError, match="tab-separated file"):
        translation.read_sentence_pairs(tmp_path / "missing.txt")
    with pytest.raises(IsADirectoryError, match="is a folder"):
        translation.read_sentence_pairs(tmp_path)
    latin = tmp_path / "latin1.txt"
    latin.write_bytes("Go.\tJ'ai gagné\tx\n".encode("latin-1"))
    with pytest.raises(ValueError, match="not UTF-8"):
        translation.read_sentence_pairs(latin)
