"""Spoken digits and command words: synthesised offline with eSpeak NG, plus readers for real recordings.

    from rnncourse.data.speech import load_speech
    train = load_speech("train")                 # SpeechSet: waveforms (n, 16000), labels, voices, snr_db
    test_noisy = load_speech("test", snr_db=0)   # every test clip mixed with noise at 0 dB SNR
    strings = load_digit_strings("train")        # connected digit strings (lesson 07): (n, 40000) clips of 2.5 s,
                                                 # labels (n, 5) digits padded with -1

How the synthetic set is built (``build``):

1. eSpeak NG (the C library shipped in the ``espeakng-loader`` wheel, driven through ctypes; no system
   install) says each of ``WORDS`` in each of the ``VOICES`` (an English accent plus a voice variant such
   as ``m3`` or ``f2``). Each variant's main voice says every word at three of the nine (``RATES_WPM`` x
   ``PITCHES``) rate and pitch pairs, rotating per word; a *training* variant is also heard in the seven
   other accents, once per word, because more speakers is what most helps on voices never heard.
2. Each utterance is resampled from eSpeak's 22,050 Hz to 16 kHz (band-limited FFT resampling in NumPy),
   trimmed of leading and trailing silence and stored as int16.
3. The clean utterances are frozen in a checksummed cache (``rnncourse.data.cache``). eSpeak is not
   bit-exact (the same word can come out a few samples longer on a second run), so the *first* build is
   the reference; every later load reads those exact bytes. ``build(force=True)`` makes a new reference.

Augmentation happens at load time, deterministically (a fixed seed per split): each utterance is placed at
a random offset in a 1-second clip (time shift), scaled by a random gain, and mixed with white, pink or
brown background noise at one of ``TRAINING_SNRS_DB`` (or at the SNR the caller asks for).

Splits are by *voice variant*: a variant used in the test split is never heard in training, in any accent.

Connected digit strings (``build_digit_strings``, ``load_digit_strings``; lesson 07): the same voices and
splits say strings of 2 to 5 digits in one breath ("four one one seven"), so the words run into each other.
Which voice says which digits at which rate and pitch is fixed by ``digit_string_plan`` (seeded); the audio
is frozen in its own cache like the words, and augmented at load time in the same way, in 2.5-second clips.
``build`` (what ``python -m rnncourse data speech`` runs) builds both caches; ``load_speech`` needs only the
words, so a lesson about single words never waits for the strings.

Real recordings: ``read_fsdd`` (Free Spoken Digit Dataset layout, ``{digit}_{speaker}_{index}.wav``) and
``read_speech_commands`` (Speech Commands layout, ``word/*.wav``) return the same ``SpeechSet``, so one
pipeline serves both. They read 16-bit PCM WAV with the standard-library ``wave`` module.
"""
import ctypes
import functools
import re
import wave
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from rnncourse.data import cache
from rnncourse.data._optional import require

NAME = "speech"
CACHE_VERSION = 3
SAMPLE_RATE = 16_000
CLIP_SAMPLES = SAMPLE_RATE  # every clip is 1 second long, like the Speech Commands dataset

DIGITS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
KEYWORDS = ("yes", "no", "up", "down", "left", "right", "on", "off", "stop", "go")  # Speech Commands' core words
WORDS = DIGITS + KEYWORDS
VOCABULARIES = {"digits": DIGITS, "keywords": KEYWORDS, "all": WORDS}

# English accents that eSpeak NG ships; each variant below is paired with one of them (round robin).
ACCENTS = ("en-us", "en", "en-gb-scotland", "en-gb-x-rp", "en-gb-x-gbclan", "en-gb-x-gbcwmd", "en-029", "en-us-nyc")
# Voice variants change pitch range, formants, breathiness and tone: they play the role of speakers.
# Split by variant, fixed here (not drawn at random) so the split never changes. Left out: variants that
# are whispered, robotic or too slow for a 1-second clip (whisper, croak, klatt*, robosoft*, Marco, ...).
VARIANT_SPLITS = {
    "train": (
        "m1", "m2", "m3", "m5", "m6", "m8", "f1", "f2", "f4", "Alex", "Alicia", "Andrea", "Andy", "Denis",
        "Diogo", "Gene", "Gene2", "Henrique", "Hugo", "Michael", "Mike", "Nguyen", "Reed", "RicishayMax",
        "Storm", "adam", "anika", "announcer", "antonio", "belinda", "benjamin", "boris", "caleb", "ed",
        "edward", "grandma", "grandpa", "gustave", "iven", "john", "kaukovalta", "linda", "marcelo", "michel",
        "miguel", "mike2", "norbert", "pablo", "paul", "pedro", "quincy", "rob",
    ),
    "validation": ("m7", "f5", "Annie", "max", "robert", "zac"),
    "test": ("m4", "f3", "david", "steph", "Jacky", "aunty", "ian", "Lee", "Mario", "sandro"),
}
SPLITS = tuple(VARIANT_SPLITS)
VARIANTS = tuple(variant for split in SPLITS for variant in VARIANT_SPLITS[split])
# Each variant has one main accent (round robin); training variants are also heard in every other accent
# (see the module docstring for why).
MAIN_VOICES = tuple(f"{ACCENTS[index % len(ACCENTS)]}+{variant}" for index, variant in enumerate(VARIANTS))
EXTRA_TRAINING_VOICES = tuple(f"{ACCENTS[(index + step) % len(ACCENTS)]}+{variant}"
                              for step in range(1, len(ACCENTS))
                              for index, variant in enumerate(VARIANTS) if variant in VARIANT_SPLITS["train"])
VOICES = MAIN_VOICES + EXTRA_TRAINING_VOICES
RATES_WPM = (130, 165, 200)  # eSpeak's default is 175 words per minute
PITCHES = (35, 50, 65)  # eSpeak's pitch scale runs 0-100, default 50
# Each main voice says each word at 3 of the 9 (rate, pitch) pairs, rotating so that every voice uses all 9;
# an extra training voice says each word at one pair.
STYLES_PER_WORD = 3
EXTRA_VOICE_STYLES_PER_WORD = 1

TRAINING_SNRS_DB = (np.inf, 20.0, 10.0, 5.0)  # inf = no noise added
NOISE_TYPES = ("white", "pink", "brown")
GAIN_RANGE_DB = (-12.0, 0.0)  # after normalising each utterance to a peak of 0.5
SPLIT_SEEDS = {"train": 1001, "validation": 2002, "test": 3003}


@dataclass
class SpeechSet:
    """Fixed-length 16 kHz mono clips with their labels and where they came from.

    waveforms: float32 (n, samples) in [-1, 1]; labels: int32 indices into ``words`` (for digit strings,
    (n, MAX_STRING_LENGTH) padded with -1); voices: the speaker
    (an eSpeak voice, or a real speaker id); snr_db: the signal-to-noise ratio of the added noise
    (inf = none added, nan = unknown, for real recordings); details: other per-clip arrays.
    """

    waveforms: np.ndarray
    labels: np.ndarray
    words: tuple
    voices: np.ndarray
    snr_db: np.ndarray
    sample_rate: int = SAMPLE_RATE
    details: dict = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.labels)


# ---------------------------------------------------------------- eSpeak NG through ctypes
class _ESpeak:
    """The minimum of the eSpeak NG C API that synthesis needs (speak_lib.h)."""

    SYNCHRONOUS = 2  # espeak_AUDIO_OUTPUT: samples arrive through the callback before Synth returns
    RATE, PITCH = 1, 3  # espeak_PARAMETER
    CHARACTER_POSITION, UTF8 = 1, 1
    _CALLBACK = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.POINTER(ctypes.c_short), ctypes.c_int, ctypes.c_void_p)

    def __init__(self):
        loader = require("espeakng_loader", "espeakng-loader", "synthesising the speech dataset")
        self.library = ctypes.CDLL(loader.get_library_path())
        self.library.espeak_Synth.argtypes = [
            ctypes.c_char_p, ctypes.c_size_t, ctypes.c_uint, ctypes.c_int, ctypes.c_uint, ctypes.c_uint,
            ctypes.c_void_p, ctypes.c_void_p,
        ]
        self.library.espeak_Info.restype = ctypes.c_char_p
        self.sample_rate = self.library.espeak_Initialize(self.SYNCHRONOUS, 0, loader.get_data_path().encode(), 0)
        if self.sample_rate <= 0:
            raise RuntimeError(f"eSpeak NG failed to initialise from {loader.get_data_path()}; reinstall espeakng-loader")
        self.version = self.library.espeak_Info(None).decode()
        self._chunks = []
        self._callback = self._CALLBACK(self._collect)  # keep a reference: C holds only a pointer
        self.library.espeak_SetSynthCallback(self._callback)

    def _collect(self, samples, count, events):
        if count > 0:
            self._chunks.append(np.ctypeslib.as_array(samples, shape=(count,)).copy())
        return 0  # 0 = continue synthesis

    def say(self, text: str, voice: str, rate: int, pitch: int) -> np.ndarray:
        if self.library.espeak_SetVoiceByName(voice.encode()) != 0:
            raise RuntimeError(f"eSpeak NG has no voice {voice!r}; check ACCENTS and VARIANT_SPLITS")
        self.library.espeak_SetParameter(self.RATE, rate, 0)
        self.library.espeak_SetParameter(self.PITCH, pitch, 0)
        self._chunks = []
        encoded = text.encode()
        self.library.espeak_Synth(encoded, len(encoded) + 1, 0, self.CHARACTER_POSITION, 0, self.UTF8, None, None)
        self.library.espeak_Synchronize()
        return np.concatenate(self._chunks) if self._chunks else np.zeros(0, np.int16)


_ENGINE = None


def _engine() -> _ESpeak:
    global _ENGINE  # eSpeak NG keeps global state: initialise it once per process
    if _ENGINE is None:
        _ENGINE = _ESpeak()
    return _ENGINE


# ---------------------------------------------------------------- signal helpers
def resample(waveform: np.ndarray, original_rate: int, target_rate: int = SAMPLE_RATE) -> np.ndarray:
    """Band-limited resampling: keep the spectrum below the new Nyquist frequency, inverse-FFT at the new length.

    The input is zero-padded to a whole number of rate-ratio blocks first, because FFTs of lengths with
    large prime factors are slow; the padding is cut off again at the end.
    """
    waveform = np.asarray(waveform, dtype=np.float64)
    if original_rate == target_rate:
        return waveform
    divisor = np.gcd(original_rate, target_rate)
    block_in, block_out = original_rate // divisor, target_rate // divisor  # 441 -> 320 for 22,050 -> 16,000 Hz
    blocks = -(-len(waveform) // block_in)
    spectrum = np.fft.rfft(waveform, n=blocks * block_in)[: blocks * block_out // 2 + 1]
    resampled = np.fft.irfft(spectrum, n=blocks * block_out) * (block_out / block_in)
    return resampled[: int(round(len(waveform) * target_rate / original_rate))]


def trim_silence(waveform: np.ndarray, threshold: float = 0.01, margin: int = 160) -> np.ndarray:
    """Cut leading and trailing samples quieter than ``threshold`` x peak, keeping a 10 ms margin."""
    loud = np.flatnonzero(np.abs(waveform) > threshold * np.abs(waveform).max()) if waveform.size else []
    if len(loud) == 0:
        return waveform[:0]
    return waveform[max(loud[0] - margin, 0): loud[-1] + margin + 1]


def coloured_noise(kind: str, length: int, rng: np.random.Generator) -> np.ndarray:
    """White (flat spectrum), pink (power ~ 1/f) or brown (~ 1/f^2) noise with unit RMS.

    Gaussian white noise is shaped in the frequency domain by dividing its spectrum by f^(exponent/2).
    """
    spectrum = np.fft.rfft(rng.standard_normal(length))
    frequency = np.maximum(np.fft.rfftfreq(length), 1.0 / length)  # avoid dividing by zero at DC
    noise = np.fft.irfft(spectrum / frequency ** {"white": 0.0, "pink": 0.5, "brown": 1.0}[kind], n=length)
    return noise / np.sqrt(np.mean(noise**2))


@functools.lru_cache(maxsize=1)
def noise_bank(seconds: int = 10, seed: int = 7) -> dict:
    """A few seconds of each noise colour; clips take random 1-second cuts of it, as Speech Commands does
    with its background-noise recordings (and it is much faster than new noise for every clip)."""
    rng = np.random.default_rng(seed)
    return {kind: coloured_noise(kind, seconds * SAMPLE_RATE, rng) for kind in NOISE_TYPES}


# ---------------------------------------------------------------- build and load
def _synthesise(progress=print) -> tuple[dict, dict]:
    engine = _engine()
    pieces, word_index, voice_index, rates, pitches = [], [], [], [], []
    for voice_number, voice in enumerate(VOICES):
        for word_number, word in enumerate(WORDS):
            styles = STYLES_PER_WORD if voice_number < len(MAIN_VOICES) else EXTRA_VOICE_STYLES_PER_WORD
            for style in range(styles):
                grid_index = (voice_number + word_number + style * 3) % (len(RATES_WPM) * len(PITCHES))
                rate, pitch = RATES_WPM[grid_index // len(PITCHES)], PITCHES[grid_index % len(PITCHES)]
                raw = engine.say(word, voice, rate, pitch).astype(np.float64) / 32768.0
                audio = trim_silence(resample(raw, engine.sample_rate))
                if not 0 < len(audio) <= CLIP_SAMPLES:
                    raise RuntimeError(f"eSpeak said {word!r} ({voice}, rate {rate}) in {len(audio)} samples; "
                                       f"expected 1..{CLIP_SAMPLES}")
                pieces.append(np.round(np.clip(audio, -1, 32767 / 32768) * 32768).astype(np.int16))
                word_index.append(word_number), voice_index.append(voice_number)
                rates.append(rate), pitches.append(pitch)
        if (voice_number + 1) % 48 == 0 or voice_number + 1 == len(VOICES):
            progress(f"synthesised {voice_number + 1}/{len(VOICES)} voices ({len(pieces)} utterances)")
    lengths = np.array([len(piece) for piece in pieces])
    arrays = {
        "audio": np.concatenate(pieces),
        "offsets": np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64),
        "word": np.array(word_index, np.int16),
        "voice": np.array(voice_index, np.int16),
        "rate": np.array(rates, np.int16),
        "pitch": np.array(pitches, np.int16),
    }
    metadata = {
        "source": f"eSpeak NG {engine.version} via espeakng-loader", "espeak_sample_rate": engine.sample_rate,
        "sample_rate": SAMPLE_RATE, "words": WORDS, "voices": VOICES, "variant_splits": VARIANT_SPLITS,
    }
    return arrays, metadata


def build_words(force: bool = False, progress=print) -> tuple[dict, dict]:
    """Synthesise the clean single-word utterances once and freeze them in the checksummed cache (or load it)."""
    return cache.load_or_build(NAME, lambda: _synthesise(progress), CACHE_VERSION, force, progress)


def build(force: bool = False, progress=print) -> tuple[dict, dict]:
    """Build (or load) both caches: the single words and the connected digit strings of lesson 07.

    Returns the single words' (arrays, metadata); ``build_digit_strings`` returns the strings'.
    """
    words = build_words(force, progress)
    build_digit_strings(force, progress)
    return words


_LOADED = {}


def _cached(name: str, build_function, progress=print) -> tuple[dict, dict]:
    """``build_function()``, remembered within the process while the cache's manifest is unchanged (a lesson
    loads several splits; verifying 50 MB of checksums once is enough)."""
    manifest = cache.cache_folder(name) / cache.MANIFEST
    stamp = (str(manifest), manifest.stat().st_mtime_ns) if manifest.exists() else None
    if stamp is None or stamp not in _LOADED:
        result = build_function(progress=progress)
        for key in [key for key in _LOADED if key[0] == str(manifest)]:
            del _LOADED[key]
        _LOADED[(str(manifest), manifest.stat().st_mtime_ns)] = result
        return result
    return _LOADED[stamp]


def _clean_utterances(progress=print) -> tuple[dict, dict]:
    return _cached(NAME, build_words, progress)


def _check_split_and_noise(split: str, noise: bool, snr_db) -> None:
    if split not in VARIANT_SPLITS:
        raise ValueError(f"unknown split {split!r}; choose from {', '.join(SPLITS)}")
    if snr_db is not None and not noise:
        raise ValueError("snr_db was given but noise=False; pass noise=True to mix noise at that SNR")


def _place_and_mix(audio, starts, stops, rng, clip_samples: int, noise: bool, snr_db) -> tuple[np.ndarray, dict]:
    """Put each int16 utterance ``audio[start:stop]`` at a random offset in a silent clip of ``clip_samples``,
    scale it to a random gain and mix in background noise; return the float32 clips and what was drawn."""
    # Every random choice is drawn up front from the one seeded generator, so a load is reproducible.
    # The draws do not depend on noise or snr_db, so load("test", noise=False) and load("test", snr_db=0)
    # hold the same words, shifts and gains: the second is the first plus noise.
    count = len(starts)
    snrs = rng.choice(TRAINING_SNRS_DB, size=count)
    if not noise or snr_db is not None:
        snrs = np.full(count, np.inf if not noise else float(snr_db))
    noise_kinds = rng.choice(len(NOISE_TYPES), size=count)
    gains_db = rng.uniform(*GAIN_RANGE_DB, size=count)
    shifts = rng.integers(0, clip_samples - (stops - starts) + 1)  # where the utterance starts in its clip
    bank = noise_bank()
    cuts = rng.integers(0, len(bank["white"]) - clip_samples + 1, size=count)  # which stretch of noise

    waveforms = np.zeros((count, clip_samples), np.float32)
    for row, (start, stop) in enumerate(zip(starts, stops)):
        utterance = audio[start:stop].astype(np.float32)
        utterance *= 0.5 / np.abs(utterance).max() * 10 ** (gains_db[row] / 20)  # peak 0.5, then the gain
        if np.isfinite(snrs[row]):
            background = bank[NOISE_TYPES[noise_kinds[row]]][cuts[row]: cuts[row] + clip_samples]
            noise_rms = np.sqrt(np.mean(utterance**2) / 10 ** (snrs[row] / 10))  # speech power / SNR
            waveforms[row] = background * (noise_rms / np.sqrt(np.mean(background**2)))
        waveforms[row, shifts[row]: shifts[row] + len(utterance)] += utterance
    np.clip(waveforms, -1, 1, out=waveforms)
    drawn = {"snr_db": snrs.astype(np.float32), "noise": np.where(np.isinf(snrs), "none", np.array(NOISE_TYPES)[noise_kinds]),
             "gain_db": gains_db, "shift": shifts, "length": stops - starts}
    return waveforms, drawn


def load_speech(split: str = "train", vocabulary: str = "all", noise: bool = True, snr_db: float | None = None,
                seed: int = 0, progress=print) -> SpeechSet:
    """One split as fixed 1-second clips, augmented deterministically.

    vocabulary: "digits", "keywords" or "all" (labels index ``SpeechSet.words``).
    noise: add background noise; with ``snr_db=None`` each clip draws its SNR from ``TRAINING_SNRS_DB``,
    otherwise every clip gets exactly ``snr_db``. noise=False gives clean clips (time shift and gain only).
    seed: changes the augmentation draw (the same seed always gives the same arrays).
    """
    _check_split_and_noise(split, noise, snr_db)
    if vocabulary not in VOCABULARIES:
        raise ValueError(f"unknown vocabulary {vocabulary!r}; choose from {', '.join(VOCABULARIES)}")
    arrays, metadata = _clean_utterances(progress)
    words = VOCABULARIES[vocabulary]
    split_voices = [VOICES.index(voice) for voice in VOICES if voice.split("+")[1] in VARIANT_SPLITS[split]]
    word_names = np.array(metadata["words"])[arrays["word"]]
    selected = np.flatnonzero(np.isin(arrays["voice"], split_voices) & np.isin(word_names, words))
    starts, stops = arrays["offsets"][selected], arrays["offsets"][selected + 1]
    rng = np.random.default_rng([SPLIT_SEEDS[split], seed])
    waveforms, drawn = _place_and_mix(arrays["audio"], starts, stops, rng, CLIP_SAMPLES, noise, snr_db)
    return SpeechSet(
        waveforms=waveforms,
        labels=np.array([words.index(word) for word in word_names[selected]], np.int32),
        words=words,
        voices=np.array(metadata["voices"])[arrays["voice"][selected]],
        snr_db=drawn.pop("snr_db"),
        details={**drawn, "rate": arrays["rate"][selected], "pitch": arrays["pitch"][selected]},
    )


# ---------------------------------------------------------------- connected digit strings (lesson 07)
# Whole strings such as "four one one seven" said in one breath: the words run into each other, so no
# silence marks where one digit ends and the next begins. That is what a sequence model with CTC must learn.
STRINGS_NAME = "speech_digit_strings"
STRINGS_CACHE_VERSION = 1
STRING_LENGTHS = (2, 3, 4, 5)  # digits per string; each voice cycles through them, so they are balanced
MAX_STRING_LENGTH = max(STRING_LENGTHS)
# The same voices and the same split by voice variant as the single words: the training split uses all 416
# training voices (every training variant in every accent), validation and test the held-out main voices.
STRINGS_PER_VOICE = {"train": 6, "validation": 20, "test": 30}
STRING_RATES_WPM = (150, 175, 200)  # a little faster than the single words: digit strings are read briskly
STRING_CLIP_SAMPLES = 2 * SAMPLE_RATE + SAMPLE_RATE // 2  # 2.5 s holds the slowest 5-digit string
STRINGS_SEED = 4004  # the digits of every string, drawn once; the audio comes from eSpeak


def digit_string_plan() -> list[dict]:
    """Which voice says which digits at which rate and pitch: fixed by ``STRINGS_SEED``, independent of eSpeak.

    One dict per string with split, voice, digits (a tuple of 0-9), rate and pitch.
    """
    rng = np.random.default_rng(STRINGS_SEED)
    plan = []
    for split in SPLITS:
        voices = [voice for voice in VOICES if voice.split("+")[1] in VARIANT_SPLITS[split]]
        for voice_number, voice in enumerate(voices):
            for string_number in range(STRINGS_PER_VOICE[split]):
                length = STRING_LENGTHS[(voice_number + string_number) % len(STRING_LENGTHS)]
                grid_index = (voice_number + string_number * 4) % (len(STRING_RATES_WPM) * len(PITCHES))
                plan.append({"split": split, "voice": voice, "digits": tuple(int(d) for d in rng.integers(0, 10, length)),
                             "rate": STRING_RATES_WPM[grid_index // len(PITCHES)], "pitch": PITCHES[grid_index % len(PITCHES)]})
    return plan


def _synthesise_digit_strings(progress=print) -> tuple[dict, dict]:
    engine = _engine()
    plan = digit_string_plan()
    pieces = []
    for number, entry in enumerate(plan, start=1):
        text = " ".join(DIGITS[digit] for digit in entry["digits"])
        raw = engine.say(text, entry["voice"], entry["rate"], entry["pitch"]).astype(np.float64) / 32768.0
        audio = trim_silence(resample(raw, engine.sample_rate))
        if not 0 < len(audio) <= STRING_CLIP_SAMPLES:
            raise RuntimeError(f"eSpeak said {text!r} ({entry['voice']}, rate {entry['rate']}) in {len(audio)} samples; "
                               f"expected 1..{STRING_CLIP_SAMPLES}: raise STRING_CLIP_SAMPLES or the rates")
        pieces.append(np.round(np.clip(audio, -1, 32767 / 32768) * 32768).astype(np.int16))
        if number % 1000 == 0 or number == len(plan):
            progress(f"synthesised {number}/{len(plan)} digit strings")
    digits = np.full((len(plan), MAX_STRING_LENGTH), -1, np.int8)
    for row, entry in enumerate(plan):
        digits[row, : len(entry["digits"])] = entry["digits"]
    arrays = {
        "audio": np.concatenate(pieces),
        "offsets": np.concatenate([[0], np.cumsum([len(piece) for piece in pieces])]).astype(np.int64),
        "digits": digits,
        "voice": np.array([VOICES.index(entry["voice"]) for entry in plan], np.int16),
        "rate": np.array([entry["rate"] for entry in plan], np.int16),
        "pitch": np.array([entry["pitch"] for entry in plan], np.int16),
    }
    metadata = {
        "source": f"eSpeak NG {engine.version} via espeakng-loader", "espeak_sample_rate": engine.sample_rate,
        "sample_rate": SAMPLE_RATE, "words": DIGITS, "voices": VOICES, "variant_splits": VARIANT_SPLITS,
        "strings_per_voice": STRINGS_PER_VOICE, "strings_seed": STRINGS_SEED,
    }
    return arrays, metadata


def build_digit_strings(force: bool = False, progress=print) -> tuple[dict, dict]:
    """Synthesise the connected digit strings once and freeze them in their own checksummed cache."""
    return cache.load_or_build(STRINGS_NAME, lambda: _synthesise_digit_strings(progress), STRINGS_CACHE_VERSION,
                               force, progress)


def load_digit_strings(split: str = "train", noise: bool = True, snr_db: float | None = None, seed: int = 0,
                       progress=print) -> SpeechSet:
    """Connected digit strings of one split as fixed 2.5-second clips, augmented like ``load_speech``.

    ``labels`` is (n, MAX_STRING_LENGTH) int32: the digits of each string (0-9, which are also indices into
    ``words`` = ``DIGITS``), padded with -1; ``details["digit_count"]`` says how many are real.
    """
    _check_split_and_noise(split, noise, snr_db)
    arrays, metadata = _cached(STRINGS_NAME, build_digit_strings, progress)
    split_voices = [VOICES.index(voice) for voice in VOICES if voice.split("+")[1] in VARIANT_SPLITS[split]]
    selected = np.flatnonzero(np.isin(arrays["voice"], split_voices))
    starts, stops = arrays["offsets"][selected], arrays["offsets"][selected + 1]
    rng = np.random.default_rng([SPLIT_SEEDS[split], seed, STRINGS_SEED])  # not the single words' draws
    waveforms, drawn = _place_and_mix(arrays["audio"], starts, stops, rng, STRING_CLIP_SAMPLES, noise, snr_db)
    labels = arrays["digits"][selected].astype(np.int32)
    return SpeechSet(
        waveforms=waveforms, labels=labels, words=DIGITS,
        voices=np.array(metadata["voices"])[arrays["voice"][selected]],
        snr_db=drawn.pop("snr_db"),
        details={**drawn, "digit_count": (labels >= 0).sum(axis=1), "rate": arrays["rate"][selected],
                 "pitch": arrays["pitch"][selected]},
    )


# ---------------------------------------------------------------- real recordings
CONVERT_ADVICE = ("convert it to 16-bit PCM WAV first, for example `ffmpeg -i input -ac 1 -ar 16000 -sample_fmt s16 "
                  "output.wav` or `sox input -b 16 output.wav`")


def read_wav(path) -> tuple[np.ndarray, int]:
    """Read a 16-bit PCM WAV file as float64 mono in [-1, 1] (stereo is averaged) and its sample rate."""
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"no audio file at {path}")
    try:
        with wave.open(str(path), "rb") as reader:
            channels, width, rate = reader.getnchannels(), reader.getsampwidth(), reader.getframerate()
            frames = reader.readframes(reader.getnframes())
    except (wave.Error, EOFError) as error:
        raise ValueError(f"{path} is not a PCM WAV file this reader supports ({error}); {CONVERT_ADVICE}") from None
    if width != 2:
        raise ValueError(f"{path} has {8 * width}-bit samples; only 16-bit PCM is supported: {CONVERT_ADVICE}")
    samples = np.frombuffer(frames, dtype="<i2").reshape(-1, channels).mean(axis=1)
    return samples / 32768.0, rate


def _fit_clip(waveform: np.ndarray) -> tuple[np.ndarray, bool]:
    """Centre a recording in a 1-second clip; a longer one is trimmed of silence, then centre-cropped."""
    if len(waveform) > CLIP_SAMPLES:
        waveform = trim_silence(waveform)
    cropped = len(waveform) > CLIP_SAMPLES
    if cropped:
        start = (len(waveform) - CLIP_SAMPLES) // 2
        waveform = waveform[start: start + CLIP_SAMPLES]
    clip = np.zeros(CLIP_SAMPLES, np.float32)
    start = (CLIP_SAMPLES - len(waveform)) // 2
    clip[start: start + len(waveform)] = waveform
    return clip, cropped


def _recordings(paths, words, labels, speakers) -> SpeechSet:
    clips, cropped = [], []
    for path in paths:
        samples, rate = read_wav(path)
        clip, was_cropped = _fit_clip(resample(samples, rate))
        clips.append(clip), cropped.append(was_cropped)
    return SpeechSet(
        waveforms=np.stack(clips) if clips else np.zeros((0, CLIP_SAMPLES), np.float32),
        labels=np.array(labels, np.int32), words=tuple(words), voices=np.array(speakers),
        snr_db=np.full(len(clips), np.nan, np.float32),
        details={"path": np.array([str(p) for p in paths]), "cropped": np.array(cropped)},
    )


def _existing_folder(folder, layout: str) -> Path:
    folder = Path(folder).expanduser()
    if not folder.is_dir():
        raise FileNotFoundError(f"{folder} is not a folder; give the folder that holds the {layout} recordings")
    return folder


FSDD_NAME = re.compile(r"^(?P<digit>[0-9])_(?P<speaker>[A-Za-z0-9-]+)_(?P<index>[0-9]+)\.wav$")


def read_fsdd(folder) -> SpeechSet:
    """Free Spoken Digit Dataset layout: ``folder/{digit}_{speaker}_{index}.wav`` (any sample rate, 16-bit PCM).

    Labels index ``DIGITS``; voices are the speaker names. A .wav file whose name does not follow the
    pattern is an error (not skipped), so nothing is dropped silently; other files are not audio and are ignored.
    """
    folder = _existing_folder(folder, "Free Spoken Digit Dataset")
    paths = sorted(folder.glob("*.wav"))
    if not paths:
        raise FileNotFoundError(f"no .wav files in {folder}; FSDD files are named like 7_jackson_32.wav")
    odd = [path.name for path in paths if not FSDD_NAME.match(path.name)]
    if odd:
        raise ValueError(f"{len(odd)} file(s) in {folder} do not follow {{digit}}_{{speaker}}_{{index}}.wav, "
                         f"e.g. {odd[:3]}; rename or move them")
    matches = [FSDD_NAME.match(path.name) for path in paths]
    return _recordings(paths, DIGITS, [int(m["digit"]) for m in matches], [m["speaker"] for m in matches])


def read_speech_commands(folder, words=None) -> SpeechSet:
    """Speech Commands layout: ``folder/<word>/*.wav``. Folders starting with "_" (background noise) are skipped.

    words: the words to read, in label order (default: every word folder, sorted). Speakers come from
    the file names (``<speaker>_nohash_<n>.wav``), else the file stem.
    """
    folder = _existing_folder(folder, "Speech Commands")
    available = sorted(path.name for path in folder.iterdir() if path.is_dir() and not path.name.startswith("_"))
    words = tuple(words) if words is not None else tuple(available)
    missing = [word for word in words if word not in available]
    if missing or not words:
        raise FileNotFoundError(f"{folder} has no word folder(s) {missing or ''}; found {available or 'none'} "
                                "(the layout is <folder>/<word>/<file>.wav)")
    paths, labels = [], []
    for label, word in enumerate(words):
        word_paths = sorted((folder / word).glob("*.wav"))
        if not word_paths:
            raise FileNotFoundError(f"{folder / word} holds no .wav files")
        paths += word_paths
        labels += [label] * len(word_paths)
    speakers = [path.stem.split("_nohash_")[0] for path in paths]
    return _recordings(paths, words, labels, speakers)
