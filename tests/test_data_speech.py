"""The synthetic speech dataset (eSpeak NG) and the readers for real recordings (rnncourse.data.speech).

The dataset is built once per test session into a temporary data folder, with network access blocked.
Reader fixtures (FSDD and Speech Commands layouts) are generated here as WAV files; none is committed.
"""
import socket
import struct
import wave

import numpy as np
import pytest

from rnncourse.data import cache, speech

# Main voices say each of the 20 words 3 times; each training variant is also heard in the 7 other
# accents, once per word.
EXPECTED_COUNTS = {"train": 52 * 20 * (3 + 7), "validation": 6 * 20 * 3, "test": 10 * 20 * 3}


class NetworkBlocked(RuntimeError):
    pass


def _no_network(*args, **kwargs):
    raise NetworkBlocked("the speech build tried to open a network socket")


@pytest.fixture(scope="module")
def data_folder(tmp_path_factory):
    """Build into an empty folder with socket creation patched to raise: the build must be offline."""
    folder = tmp_path_factory.mktemp("speech_data")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("RNNCOURSE_DATA_DIR", str(folder))
        patch.setattr(socket, "socket", _no_network)
        messages = []
        speech.build(force=True, progress=messages.append)
        assert any("synthesised" in message for message in messages), "the build reported no progress"
    yield folder


@pytest.fixture
def dataset_env(data_folder, monkeypatch):
    monkeypatch.setenv("RNNCOURSE_DATA_DIR", str(data_folder))
    return data_folder


def test_network_is_really_blocked_by_the_patch(monkeypatch):
    monkeypatch.setattr(socket, "socket", _no_network)
    with pytest.raises(NetworkBlocked):
        socket.create_connection(("127.0.0.1", 9), timeout=1)


def test_counts_shapes_sample_rate_and_balance(dataset_env):
    assert len(speech.VOICES) == 68 + 52 * 7
    for split, expected in EXPECTED_COUNTS.items():
        data = speech.load_speech(split)
        assert len(data) == expected, f"{split}: {len(data)} clips, expected {expected}"
        assert data.waveforms.shape == (expected, 16000) and data.waveforms.dtype == np.float32
        assert data.sample_rate == 16000 and np.abs(data.waveforms).max() <= 1.0
        assert np.all(np.bincount(data.labels, minlength=20) == expected // 20), f"{split}: labels are not balanced"
        assert set(np.unique(data.snr_db)) <= set(speech.TRAINING_SNRS_DB)
        assert len(np.unique(data.details["rate"])) == 3 and len(np.unique(data.details["pitch"])) == 3


def test_vocabularies_relabel_from_zero(dataset_env):
    digits = speech.load_speech("test", vocabulary="digits")
    keywords = speech.load_speech("test", vocabulary="keywords")
    assert digits.words == speech.DIGITS and keywords.words == speech.KEYWORDS
    assert len(digits) == len(keywords) == EXPECTED_COUNTS["test"] // 2
    assert set(digits.labels) == set(keywords.labels) == set(range(10))


def test_splits_share_no_voice_variant(dataset_env):
    variants = {split: {voice.split("+")[1] for voice in np.unique(speech.load_speech(split).voices)}
                for split in speech.SPLITS}
    assert variants["train"].isdisjoint(variants["test"]), "a test voice is heard in training"
    assert variants["train"].isdisjoint(variants["validation"]) and variants["validation"].isdisjoint(variants["test"])
    assert variants["test"] == set(speech.VARIANT_SPLITS["test"])


def test_training_variants_are_heard_in_every_accent_and_held_out_ones_in_one(dataset_env):
    accents = {}
    for split in speech.SPLITS:
        for voice in np.unique(speech.load_speech(split).voices):
            accent, variant = voice.split("+")
            accents.setdefault((split, variant), set()).add(accent)
    assert all(found == set(speech.ACCENTS) for (split, _), found in accents.items() if split == "train")
    assert all(len(found) == 1 for (split, _), found in accents.items() if split != "train")


def test_loading_is_deterministic(dataset_env):
    first, second = speech.load_speech("validation"), speech.load_speech("validation")
    assert np.array_equal(first.waveforms, second.waveforms) and np.array_equal(first.labels, second.labels)
    other_seed = speech.load_speech("validation", seed=1)
    assert not np.array_equal(first.waveforms, other_seed.waveforms), "the seed should change the augmentation"
    arrays_a, _ = speech.build()
    arrays_b, _ = speech.build()
    assert all(np.array_equal(arrays_a[key], arrays_b[key]) for key in arrays_a)


def test_requested_snr_is_what_the_noise_has(dataset_env):
    clean = speech.load_speech("test", noise=False)
    noisy = speech.load_speech("test", snr_db=5.0)
    assert np.all(np.isinf(clean.snr_db)) and np.all(noisy.snr_db == 5.0)
    assert np.array_equal(clean.details["shift"], noisy.details["shift"]), "noise must not change the other draws"
    for row in range(0, len(clean), 97):
        noise = noisy.waveforms[row].astype(np.float64) - clean.waveforms[row]
        speech_power = np.sum(clean.waveforms[row].astype(np.float64) ** 2) / clean.details["length"][row]
        measured = 10 * np.log10(speech_power / np.mean(noise**2))
        assert abs(measured - 5.0) < 0.2, f"clip {row}: measured SNR {measured:.2f} dB, requested 5 dB"
    with pytest.raises(ValueError, match="noise=True"):
        speech.load_speech("test", noise=False, snr_db=0.0)


def test_bad_arguments_are_clear_errors(dataset_env):
    with pytest.raises(ValueError, match="validation"):
        speech.load_speech("dev")
    with pytest.raises(ValueError, match="digits"):
        speech.load_speech("train", vocabulary="letters")


def test_corrupt_cache_is_detected_and_rebuilt(tmp_path, monkeypatch):
    monkeypatch.setenv("RNNCOURSE_DATA_DIR", str(tmp_path))
    monkeypatch.setattr(socket, "socket", _no_network)
    speech.load_speech("validation", progress=lambda message: None)
    assert not cache.cache_folder(speech.STRINGS_NAME).exists(), \
        "loading single words must not synthesise the digit strings (lesson 06 would pay for them)"
    target = cache.cache_folder("speech") / "audio.npy"
    damaged = bytearray(target.read_bytes())
    damaged[-100] ^= 0xFF
    target.write_bytes(bytes(damaged))
    with pytest.raises(cache.CacheError, match="checksum"):
        cache.load("speech", speech.CACHE_VERSION)
    messages = []
    arrays, _ = speech.build_words(progress=messages.append)
    assert any("rebuilding" in message for message in messages), messages
    assert len(arrays["word"]) == sum(EXPECTED_COUNTS.values())
    cache.load("speech", speech.CACHE_VERSION)  # intact again


# ---------------------------------------------------------------- connected digit strings (lesson 07)
# Every training voice (52 variants x 8 accents) says 6 strings; each held-out main voice says 20 or 30.
EXPECTED_STRING_COUNTS = {"train": 416 * 6, "validation": 6 * 20, "test": 10 * 30}


def test_digit_string_counts_shapes_and_balance(dataset_env):
    for split, expected in EXPECTED_STRING_COUNTS.items():
        strings = speech.load_digit_strings(split)
        assert len(strings) == expected, f"{split}: {len(strings)} strings, expected {expected}"
        assert strings.waveforms.shape == (expected, speech.STRING_CLIP_SAMPLES) == (expected, 40_000)
        assert strings.waveforms.dtype == np.float32 and np.abs(strings.waveforms).max() <= 1.0
        assert strings.labels.shape == (expected, speech.MAX_STRING_LENGTH) and strings.words == speech.DIGITS
        counts = strings.details["digit_count"]
        # Each voice cycles through the lengths 2-5, so they are balanced to within the voices' remainders
        # (test: 30 strings per voice, 75/76/75/74 strings of 2/3/4/5 digits).
        by_length = np.bincount(counts, minlength=6)
        assert by_length[:2].sum() == 0 and np.all(np.abs(by_length[2:] - expected / 4) <= 2), \
            f"{split}: lengths 2-5 are not balanced ({by_length[2:]})"
        for row, count in zip(strings.labels, counts):  # digits first, then only padding
            assert np.all((row[:count] >= 0) & (row[:count] <= 9)) and np.all(row[count:] == -1), row
        assert set(np.unique(strings.snr_db)) <= set(speech.TRAINING_SNRS_DB)
        assert len(np.unique(strings.voices)) == {"train": 416, "validation": 6, "test": 10}[split]
    every_digit = np.concatenate([row[row >= 0] for row in speech.load_digit_strings("train").labels])
    assert np.all(np.bincount(every_digit, minlength=10) > 0.08 * len(every_digit)), "some digit is rare in training"


def test_digit_strings_hold_speech_as_long_as_their_digits(dataset_env):
    strings = speech.load_digit_strings("train", noise=False)
    seconds = strings.details["length"] / speech.SAMPLE_RATE
    counts = strings.details["digit_count"]
    per_count = [float(np.mean(seconds[counts == count])) for count in speech.STRING_LENGTHS]
    assert all(later > earlier + 0.1 for earlier, later in zip(per_count, per_count[1:])), \
        f"mean durations by digit count {per_count}: the audio does not follow the labels"
    assert 0.15 < np.mean(seconds / counts) < 0.5, "a spoken digit should take roughly 0.2-0.4 s"
    assert np.all(strings.details["shift"] + strings.details["length"] <= speech.STRING_CLIP_SAMPLES)


def test_digit_strings_held_out_voices_are_disjoint(dataset_env):
    variants = {split: {voice.split("+")[1] for voice in np.unique(speech.load_digit_strings(split).voices)}
                for split in speech.SPLITS}
    assert variants["train"].isdisjoint(variants["test"]), "a test voice is heard in training"
    assert variants["train"].isdisjoint(variants["validation"]) and variants["validation"].isdisjoint(variants["test"])
    assert variants["test"] == set(speech.VARIANT_SPLITS["test"])
    assert variants["validation"] == set(speech.VARIANT_SPLITS["validation"])


def test_digit_strings_are_reproducible(dataset_env):
    plan = speech.digit_string_plan()
    assert plan == speech.digit_string_plan(), "the plan of digits, voices, rates and pitches must be fixed"
    arrays_a, metadata = speech.build_digit_strings()
    arrays_b, _ = speech.build_digit_strings()
    assert all(np.array_equal(arrays_a[key], arrays_b[key]) for key in arrays_a), "the cache must be frozen"
    assert [tuple(int(digit) for digit in row[row >= 0]) for row in arrays_a["digits"]] == [entry["digits"] for entry in plan]
    assert metadata["strings_seed"] == speech.STRINGS_SEED
    first, second = speech.load_digit_strings("test"), speech.load_digit_strings("test")
    assert np.array_equal(first.waveforms, second.waveforms) and np.array_equal(first.labels, second.labels)
    other = speech.load_digit_strings("test", seed=1)
    assert np.array_equal(other.labels, first.labels), "the seed changes the augmentation, not the strings"
    assert not np.array_equal(other.waveforms, first.waveforms), "the seed should change the augmentation"
    clean, noisy = speech.load_digit_strings("test", noise=False), speech.load_digit_strings("test", snr_db=0.0)
    assert np.array_equal(clean.details["shift"], noisy.details["shift"]) and np.all(noisy.snr_db == 0.0)
    with pytest.raises(ValueError, match="validation"):
        speech.load_digit_strings("dev")


# ---------------------------------------------------------------- readers for real recordings
def write_wav(path, samples, rate=8000, channels=1, width=2):
    path.parent.mkdir(parents=True, exist_ok=True)
    scale = {1: 127, 2: 32767, 3: 8388607}[width]
    integers = np.round(np.asarray(samples) * scale).astype(np.int64)
    if width == 1:
        data = (integers + 128).astype(np.uint8).tobytes()
    else:
        data = b"".join(int(value).to_bytes(width, "little", signed=True) for value in integers.ravel())
    with wave.open(str(path), "wb") as writer:
        writer.setnchannels(channels), writer.setsampwidth(width), writer.setframerate(rate)
        writer.writeframes(data)


def tone(frequency, seconds=0.5, rate=8000):
    time = np.arange(int(seconds * rate)) / rate
    return 0.5 * np.sin(2 * np.pi * frequency * time)


def dominant_frequency(clip, rate=16000):
    spectrum = np.abs(np.fft.rfft(clip))
    return np.fft.rfftfreq(len(clip), 1 / rate)[spectrum.argmax()]


def test_fsdd_reader_on_a_generated_folder(tmp_path):
    for digit in (0, 3, 7):
        for speaker in ("alice", "bob"):
            write_wav(tmp_path / f"{digit}_{speaker}_0.wav", tone(200 + 100 * digit))
    (tmp_path / "README.md").write_text("not audio")
    recordings = speech.read_fsdd(tmp_path)
    assert len(recordings) == 6 and recordings.waveforms.shape == (6, 16000) and recordings.words == speech.DIGITS
    assert sorted(recordings.labels.tolist()) == [0, 0, 3, 3, 7, 7]
    assert set(recordings.voices) == {"alice", "bob"} and np.all(np.isnan(recordings.snr_db))
    for clip, label in zip(recordings.waveforms, recordings.labels):
        assert abs(dominant_frequency(clip) - (200 + 100 * label)) <= 2, "8 kHz audio was not resampled to 16 kHz"


def test_fsdd_reader_refuses_files_it_cannot_label(tmp_path):
    write_wav(tmp_path / "3_alice_0.wav", tone(300))
    write_wav(tmp_path / "three.wav", tone(300))
    with pytest.raises(ValueError, match="three.wav"):
        speech.read_fsdd(tmp_path)


def test_speech_commands_reader_on_a_generated_folder(tmp_path):
    write_wav(tmp_path / "yes" / "a1b2_nohash_0.wav", tone(300, rate=16000), rate=16000)
    write_wav(tmp_path / "yes" / "c3d4_nohash_0.wav", np.repeat(tone(300, rate=16000)[:, None], 2, 1), rate=16000, channels=2)
    write_wav(tmp_path / "no" / "a1b2_nohash_1.wav", tone(600, seconds=1.5, rate=16000), rate=16000)
    write_wav(tmp_path / "_background_noise_" / "white.wav", tone(50, rate=16000), rate=16000)
    recordings = speech.read_speech_commands(tmp_path)
    assert recordings.words == ("no", "yes") and recordings.labels.tolist() == [0, 1, 1]
    assert recordings.voices.tolist() == ["a1b2", "a1b2", "c3d4"]
    assert recordings.details["cropped"].tolist() == [True, False, False], "a 1.5 s clip must be reported as cropped"
    only_yes = speech.read_speech_commands(tmp_path, words=["yes"])
    assert len(only_yes) == 2 and only_yes.labels.tolist() == [0, 0]
    with pytest.raises(FileNotFoundError, match="stop"):
        speech.read_speech_commands(tmp_path, words=["yes", "stop"])


def test_readers_explain_a_wrong_path(tmp_path):
    with pytest.raises(FileNotFoundError, match="not a folder"):
        speech.read_fsdd(tmp_path / "missing")
    with pytest.raises(FileNotFoundError, match="not a folder"):
        speech.read_speech_commands(tmp_path / "missing")
    with pytest.raises(FileNotFoundError, match="no .wav files"):
        speech.read_fsdd(tmp_path)


def test_unsupported_audio_formats_say_how_to_convert(tmp_path):
    write_wav(tmp_path / "24bit.wav", tone(300), width=3)
    with pytest.raises(ValueError, match="16-bit.*ffmpeg"):
        speech.read_wav(tmp_path / "24bit.wav")
    (tmp_path / "fake.wav").write_bytes(b"ID3\x03 this is an mp3, not a wav")
    with pytest.raises(ValueError, match="ffmpeg"):
        speech.read_wav(tmp_path / "fake.wav")
    float_samples = np.zeros(100, "<f4").tobytes()  # IEEE-float WAV: format tag 3, which `wave` cannot read
    header = struct.pack("<4sI4s4sIHHIIHH4sI", b"RIFF", 36 + len(float_samples), b"WAVE", b"fmt ", 16, 3, 1,
                         16000, 64000, 4, 32, b"data", len(float_samples))
    (tmp_path / "float.wav").write_bytes(header + float_samples)
    with pytest.raises(ValueError, match="ffmpeg"):
        speech.read_wav(tmp_path / "float.wav")
