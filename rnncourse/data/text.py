"""Words in eight languages (``wordfreq``), the standard library's source as a corpus, and text tools.

    from rnncourse.data.text import load_words, load_python_source, CharacterVocabulary, load_text_file
    words = load_words()                       # builds data/cache/words on first use (~5 s)
    words.train.words[:3], words.train.labels[:3], words.languages
    corpus = load_python_source()              # 74 standard-library modules, split by file (lesson 03)
    corpus.train[:200], corpus.metadata["sha256"]

How the word lists are built (data/README.md has the counts):

* Source: the pinned ``wordfreq`` package, its "best" list per language, read in frequency order.
* Only Latin-script languages, so that a character model sees comparable alphabets.
* A token is kept only if it is a word: 3-16 characters, every character a Latin letter (``a``-``z``
  and accented letters such as ``é ß ł ä``). Numbers, abbreviations with dots, apostrophes, hyphens and
  other scripts are skipped.
* Words shared by several languages ("hotel", "con", "jennifer") make the language label ambiguous.
  A word is kept for language L only if its frequency in L is at least ``DOMINANCE_RATIO`` (10) times
  its frequency in every other of the eight languages; otherwise it is dropped. So every word has
  exactly one language, and "die" stays German while "film" is dropped everywhere.
* The first ``WORDS_PER_LANGUAGE`` surviving words of each language are kept (balanced classes), sorted,
  and split 80/10/10 by a seeded permutation per language. A word appears in one split only.
"""
import re
import unicodedata
from dataclasses import dataclass
from importlib import metadata as package_metadata
from pathlib import Path

import numpy as np

from rnncourse.data import cache
from rnncourse.data._optional import require

NAME = "words"
VERSION = 1
LANGUAGES = {
    "en": "English",
    "de": "German",
    "nl": "Dutch",
    "fr": "French",
    "es": "Spanish",
    "it": "Italian",
    "pl": "Polish",
    "fi": "Finnish",
}
WORDS_PER_LANGUAGE = 6000
MIN_LENGTH, MAX_LENGTH = 3, 16
DOMINANCE_RATIO = 10.0
SPLITS = ("train", "validation", "test")
SPLIT_FRACTIONS = (0.8, 0.1, 0.1)
SEED = 2014  # the year of Cho et al.'s GRU paper; any fixed number gives the same splits every time


def is_word(token: str) -> bool:
    """True for 3-16 Latin letters and nothing else (no digits, apostrophes, hyphens, other scripts)."""
    return MIN_LENGTH <= len(token) <= MAX_LENGTH and all(
        character.isalpha() and unicodedata.name(character, "").startswith("LATIN") for character in token
    )


def _language_words(wordfreq, code: str, frequencies: dict, counts: dict) -> list[str]:
    """The most frequent words of one language that pass ``is_word`` and clearly belong to it."""
    kept, seen = [], set()
    for token in wordfreq.iter_wordlist(code, "best"):
        token = unicodedata.normalize("NFC", token)
        if token in seen:
            continue
        seen.add(token)
        if not is_word(token):
            counts["filtered"] += 1
            continue
        own = frequencies[code][token] if token in frequencies[code] else 0.0
        others = max(frequencies[other].get(token, 0.0) for other in frequencies if other != code)
        if own < DOMINANCE_RATIO * others:
            counts["shared"] += 1
            continue
        kept.append(token)
        if len(kept) == WORDS_PER_LANGUAGE:
            return kept
    raise RuntimeError(f"wordfreq has only {len(kept)} usable {code!r} words; {WORDS_PER_LANGUAGE} are needed")


def _build_arrays(progress=print):
    wordfreq = require("wordfreq", purpose="the multilingual word lists")
    progress(f"reading wordfreq {package_metadata.version('wordfreq')} frequency lists for {len(LANGUAGES)} languages")
    frequencies = {code: wordfreq.get_frequency_dict(code, "best") for code in LANGUAGES}
    all_words, all_labels, all_splits, per_language = [], [], [], {}
    for label, code in enumerate(LANGUAGES):
        counts = {"filtered": 0, "shared": 0}
        words = sorted(_language_words(wordfreq, code, frequencies, counts))
        order = np.random.default_rng([SEED, label]).permutation(len(words))
        boundaries = np.cumsum([round(fraction * len(words)) for fraction in SPLIT_FRACTIONS])[:-1]
        split_of_word = np.zeros(len(words), dtype=np.int8)
        for split_index, positions in enumerate(np.split(order, boundaries)):
            split_of_word[positions] = split_index
        all_words += words
        all_labels += [label] * len(words)
        all_splits += split_of_word.tolist()
        per_language[code] = {
            "skipped_by_filter": counts["filtered"],
            "dropped_shared": counts["shared"],
            **{split: int((split_of_word == index).sum()) for index, split in enumerate(SPLITS)},
        }
        progress(f"{LANGUAGES[code]:>8}: {len(words)} words kept, {counts['shared']} shared words dropped")
    arrays = {
        "words": np.array(all_words, dtype=f"<U{MAX_LENGTH}"),
        "labels": np.array(all_labels, dtype=np.int8),
        "splits": np.array(all_splits, dtype=np.int8),
    }
    metadata = {
        "source": "wordfreq (code Apache-2.0, word-frequency data CC-BY-SA 4.0)",
        "wordfreq_version": package_metadata.version("wordfreq"),
        "languages": list(LANGUAGES),
        "language_names": list(LANGUAGES.values()),
        "per_language": per_language,
        "rules": {"min_length": MIN_LENGTH, "max_length": MAX_LENGTH, "dominance_ratio": DOMINANCE_RATIO,
                  "words_per_language": WORDS_PER_LANGUAGE, "split_fractions": SPLIT_FRACTIONS, "seed": SEED},
    }
    return arrays, metadata


@dataclass
class WordSplit:
    words: list[str]
    labels: np.ndarray  # index into WordLists.languages


@dataclass
class WordLists:
    train: WordSplit
    validation: WordSplit
    test: WordSplit
    languages: list[str]  # codes, in label order
    language_names: list[str]
    metadata: dict


def _load_words(force: bool = False, progress=print) -> WordLists:
    arrays, metadata = cache.load_or_build(NAME, lambda: _build_arrays(progress), VERSION, force, progress)
    parts = {}
    for index, split in enumerate(SPLITS):
        chosen = arrays["splits"] == index
        parts[split] = WordSplit([str(word) for word in arrays["words"][chosen]], arrays["labels"][chosen].astype(np.int64))
    return WordLists(**parts, languages=metadata["languages"], language_names=metadata["language_names"], metadata=metadata)


def build(force: bool = False, progress=print) -> WordLists:
    """Build (or verify the caches of) both text datasets: the word lists and the standard-library corpus.

    ``python -m rnncourse data words`` calls this. Returns the word lists.
    """
    words = _load_words(force, progress)
    corpus = load_python_source(force, progress)
    progress(f"Python {corpus.metadata['python_version']} source corpus: {corpus.metadata['bytes']:,} bytes "
             f"in {len(corpus.metadata['modules'])} modules, sha256 {corpus.metadata['sha256'][:16]}…")
    return words


def load_words(force: bool = False, progress=print) -> WordLists:
    """The word lists, built on first use."""
    return _load_words(force=force, progress=progress)


# --- any plain-text file a user brings ------------------------------------------------------------
GUTENBERG_START = re.compile(r"^\*\*\* ?START OF (THE|THIS) PROJECT GUTENBERG.*$", re.MULTILINE | re.IGNORECASE)
GUTENBERG_END = re.compile(r"^\*\*\* ?END OF (THE|THIS) PROJECT GUTENBERG.*$", re.MULTILINE | re.IGNORECASE)


def load_text_file(path, encoding: str = "utf-8") -> str:
    """Read a plain-text corpus (for example a public-domain book) with errors that say what to do.

    Project Gutenberg's licence header and footer are removed when their markers are present.
    """
    path = Path(path).expanduser()
    if not path.exists():
        raise FileNotFoundError(f"no text file at {path}: check the path (relative paths start in {Path.cwd()})")
    if path.is_dir():
        raise IsADirectoryError(f"{path} is a folder; give the path of one plain-text (.txt) file inside it")
    raw = path.read_bytes()
    if b"\x00" in raw[:4096]:
        raise ValueError(f"{path} looks like a binary file, not plain text; export it as a .txt file first")
    try:
        text = raw.decode(encoding)
    except UnicodeDecodeError as error:
        raise ValueError(
            f"{path} is not valid {encoding} (byte {error.start} is {raw[error.start:error.start + 1]!r}); "
            f"re-save it as UTF-8 or pass its encoding, e.g. load_text_file(path, encoding='latin-1')"
        ) from None
    text = text.lstrip("\ufeff")
    start, end = GUTENBERG_START.search(text), GUTENBERG_END.search(text)
    if start and end and start.end() < end.start():
        text = text[start.end():end.start()]
    if not text.strip():
        raise ValueError(f"{path} contains no text")
    return text


def words_from_text(text: str, max_length: int = MAX_LENGTH) -> list[str]:
    """Lower-cased runs of letters, in reading order; words longer than ``max_length`` are skipped."""
    words = [word.lower() for word in re.findall(r"[^\W\d_]+", unicodedata.normalize("NFC", text))]
    return [word for word in words if len(word) <= max_length]


# --- character vocabulary shared by the text lesson and assignment A4 ---------------------------------
class CharacterVocabulary:
    """Characters <-> integer ids. Id 0 is padding, 1 starts a word, 2 ends it, 3 is an unknown character.

    Padding is 0 so that ``keras.layers.Embedding(mask_zero=True)`` masks it.
    """

    PAD, START, END, UNKNOWN = 0, 1, 2, 3
    SPECIAL = ("<pad>", "<start>", "<end>", "<unknown>")

    def __init__(self, characters):
        self.characters = sorted(set(characters))
        self.id_of = {character: index for index, character in enumerate(self.characters, start=len(self.SPECIAL))}
        self.symbols = list(self.SPECIAL) + self.characters

    @classmethod
    def from_words(cls, words) -> "CharacterVocabulary":
        return cls(set().union(*map(set, words)))

    @property
    def size(self) -> int:
        return len(self.symbols)

    def encode(self, word: str, start: bool = True, end: bool = True) -> list[int]:
        ids = [self.id_of.get(character, self.UNKNOWN) for character in word]
        return [self.START] * start + ids + [self.END] * end

    def encode_batch(self, words, length: int | None = None, start: bool = True, end: bool = True) -> np.ndarray:
        """A (len(words), length) int32 array, padded with 0 on the right; too-long words raise."""
        encoded = [self.encode(word, start, end) for word in words]
        length = length or max(map(len, encoded))
        too_long = [word for word, ids in zip(words, encoded) if len(ids) > length]
        if too_long:
            raise ValueError(f"{len(too_long)} words do not fit in length {length}, e.g. {too_long[0]!r}")
        batch = np.zeros((len(encoded), length), dtype=np.int32)
        for row, ids in enumerate(encoded):
            batch[row, : len(ids)] = ids
        return batch

    def decode(self, ids) -> str:
        """The characters up to the first end marker; padding and the start marker are skipped."""
        characters = []
        for index in ids:
            index = int(index)
            if index == self.END:
                break
            if index >= len(self.SPECIAL):
                characters.append(self.symbols[index])
            elif index == self.UNKNOWN:
                characters.append("?")
        return "".join(characters)


# --- the Python standard library's own source: a real, long character corpus -----------------------
# Why this corpus: it is installed beside every interpreter (no download, PSF licence) and, like the Linux
# source in Karpathy, Johnson & Fei-Fei (2015), it has structure that needs long memory: strings that
# close many characters later, nested brackets and indentation. The file list is fixed (the same 74
# modules exist in Python 3.11, 3.12 and 3.13); their text differs a little between versions, so the
# build records the interpreter's version, each file's size and the corpus's SHA-256 (data/README.md).
SOURCE_NAME = "python_source"
SOURCE_VERSION = 1
SOURCE_MODULES = (
    "_collections_abc _markupbase _osx_support _strptime base64 bdb bz2 calendar cmd code codecs compileall "
    "configparser contextlib csv dataclasses dis filecmp fileinput fractions ftplib functools gettext gzip "
    "hashlib heapq imaplib lzma mimetypes modulefinder ntpath numbers opcode operator os pkgutil platform "
    "plistlib poplib posixpath pprint profile pstats pyclbr queue random runpy selectors shlex shutil site "
    "smtplib socket socketserver ssl statistics string symtable tabnanny tempfile textwrap threading timeit "
    "tokenize trace traceback tracemalloc types uuid warnings wave weakref webbrowser zipimport"
).split()
# Held out by file, so that no line of a held-out module was seen in training.
SOURCE_VALIDATION_MODULES = ("calendar", "pprint", "shlex")
SOURCE_TEST_MODULES = ("csv", "heapq", "queue", "string", "textwrap", "tokenize", "uuid")
# Measured with `python -m rnncourse data words --force` on each interpreter (data/README.md, the same table).
# A different patch release may ship slightly different files: the build then says so and carries on.
RECORDED_SOURCE_CORPORA = {  # Python version: (bytes, SHA-256 of the 74 files joined in SOURCE_MODULES order)
    "3.11.7": (1897994, "07940456ffa769c44935a6e7dd3011c6d44de28f0fd9aaf14f6c274edc54a251"),
    "3.12.1": (1913075, "156d99cd9060d0f021ae6bc16eed32fcf1fc100f608b46fe842cec059f829e7a"),
    "3.13.0": (1990799, "2581bbfb28e06e5999696c8a2c2c463c4bb3b150432829bf176e042c915a3dda"),
}


def standard_library_folder() -> Path:
    import sysconfig

    return Path(sysconfig.get_paths()["stdlib"])


def _source_split(module: str) -> str:
    if module in SOURCE_TEST_MODULES:
        return "test"
    return "validation" if module in SOURCE_VALIDATION_MODULES else "train"


def _build_source_arrays(progress=print):
    import hashlib
    import platform

    folder = standard_library_folder()
    missing = [module for module in SOURCE_MODULES if not (folder / f"{module}.py").is_file()]
    if missing:
        raise FileNotFoundError(
            f"the standard library at {folder} lacks {', '.join(missing)}.py; the corpus needs Python 3.11-3.13 "
            "with its standard library source installed (some Linux distributions split it into a python3-dev/"
            "python3-full package: install that)")
    contents = [(folder / f"{module}.py").read_bytes() for module in SOURCE_MODULES]
    for module, content in zip(SOURCE_MODULES, contents):
        content.decode("utf-8")  # raises with the byte position if a file is not UTF-8
    corpus = b"".join(contents)
    digest = hashlib.sha256(corpus).hexdigest()
    version = platform.python_version()
    recorded = RECORDED_SOURCE_CORPORA.get(version)
    if recorded is None:
        progress(f"Python {version}: no corpus hash recorded for this version (recorded: "
                 f"{', '.join(RECORDED_SOURCE_CORPORA) or 'none'}); numbers may differ slightly from the lesson's")
    elif recorded != (len(corpus), digest):
        progress(f"Python {version}: this standard library differs from the recorded one "
                 f"({len(corpus):,} bytes, sha256 {digest[:12]}… instead of {recorded[0]:,}, {recorded[1][:12]}…)")
    sizes = np.array([len(content) for content in contents], dtype=np.int64)
    arrays = {"text": np.frombuffer(corpus, dtype=np.uint8), "offsets": np.concatenate([[0], np.cumsum(sizes)])}
    metadata = {
        "source": f"the Python {version} standard library at {folder} (PSF License Version 2)",
        "python_version": version, "sha256": digest, "bytes": int(len(corpus)),
        "modules": list(SOURCE_MODULES), "splits": [_source_split(module) for module in SOURCE_MODULES],
        "file_bytes": sizes.tolist(),
    }
    progress(f"{len(SOURCE_MODULES)} modules of Python {version} read from {folder}")
    return arrays, metadata


@dataclass
class SourceCorpus:
    """The fixed list of standard-library modules as text, split by file."""

    train: str
    validation: str
    test: str
    files: dict  # split -> list of (module name, text)
    metadata: dict


def load_python_source(force: bool = False, progress=print) -> SourceCorpus:
    """The standard-library corpus of the running interpreter (built on first use, about 0.3 s).

    A cache built by another Python version or an older course version is rebuilt, not reused.
    """
    import platform

    arrays, metadata = cache.load_or_build(SOURCE_NAME, lambda: _build_source_arrays(progress), SOURCE_VERSION,
                                           force, progress)
    if metadata["python_version"] != platform.python_version():
        progress(f"the cached corpus is from Python {metadata['python_version']}; rebuilding for "
                 f"{platform.python_version()}")
        arrays, metadata = cache.load_or_build(SOURCE_NAME, lambda: _build_source_arrays(progress),
                                               SOURCE_VERSION, True, progress)
    corpus, offsets = arrays["text"].tobytes(), arrays["offsets"]
    files = {split: [] for split in SPLITS}
    for index, (module, split) in enumerate(zip(metadata["modules"], metadata["splits"])):
        files[split].append((module, corpus[offsets[index]:offsets[index + 1]].decode("utf-8")))
    joined = {split: "".join(content for _, content in files[split]) for split in SPLITS}
    return SourceCorpus(**joined, files=files, metadata=metadata)
