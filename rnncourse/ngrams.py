"""Count-based character language models: the baselines of lesson 03.

An order-n model predicts a character from the n - 1 characters before it. Counts alone give zero
probability to anything unseen, so the model is smoothed by **interpolated Kneser-Ney** (Kneser & Ney
1995; Chen & Goodman 1999, the variant with one discount per order):

    p(c | h) = max(N(h c) - D, 0) / N(h) + D * T(h) / N(h) * p(c | h')

where h' is h without its first character, N counts, T(h) is the number of different characters seen
after h, and D = n1 / (n1 + 2 n2) from the numbers of n-grams seen once (n1) and twice (n2). When h was
never seen the model backs off to p(c | h') entirely. The lower orders count **continuations**: in how
many different contexts a string occurs, not how often (so "import" does not make "mport" look common
on its own). Order 1 is the continuation unigram with a small add-0.5 floor, so no character has
probability zero.

Everything is vectorised with NumPy: an n-gram is one integer, sum(id_i * V**i), so counting is
``np.unique`` and looking up is ``np.searchsorted``. Defined for lesson 03.
"""
import numpy as np


def gram_codes(ids: np.ndarray, order: int, vocabulary_size: int) -> np.ndarray:
    """One int64 per position: the ``order`` characters starting there, read as a base-V number."""
    ids = np.asarray(ids, dtype=np.int64)
    if len(ids) < order:
        raise ValueError(f"a text of {len(ids)} characters has no {order}-gram")
    if vocabulary_size ** order >= 2 ** 63:
        raise ValueError(f"{order}-grams of {vocabulary_size} symbols do not fit in 64 bits; use a lower order")
    codes = np.zeros(len(ids) - order + 1, dtype=np.int64)
    for offset in range(order):
        codes = codes * vocabulary_size + ids[offset:len(ids) - order + 1 + offset]
    return codes


def _lookup(keys, table_keys, values):
    """values[table_keys == key] for each key, 0 where the key is absent (table_keys sorted)."""
    where = np.clip(np.searchsorted(table_keys, keys), 0, len(table_keys) - 1)
    return np.where(table_keys[where] == keys, values[where], 0)


class KneserNeyModel:
    """An interpolated Kneser-Ney character model of the given order, fitted on integer ids."""

    def __init__(self, order: int, vocabulary_size: int):
        if order < 1:
            raise ValueError("order must be at least 1 (1 = unigram)")
        self.order, self.vocabulary_size = order, vocabulary_size

    def fit(self, ids) -> "KneserNeyModel":
        ids = np.asarray(ids)
        if ids.min() < 0 or ids.max() >= self.vocabulary_size:
            raise ValueError(f"ids must lie in [0, {self.vocabulary_size})")
        size = self.vocabulary_size
        self.tables = {}
        for n in range(self.order, 0, -1):
            if n == self.order:
                grams, counts = np.unique(gram_codes(ids, n, size), return_counts=True)
            else:  # continuation counts: how many different characters came before each n-gram
                longer = np.unique(gram_codes(ids, n + 1, size))
                grams, counts = np.unique(longer % size ** n, return_counts=True)
            if n == 1:
                unigram = np.zeros(size)
                unigram[grams] = counts
                self.unigram = (unigram + 0.5) / (unigram.sum() + 0.5 * size)
                break
            contexts, index = np.unique(grams // size, return_inverse=True)
            once, twice = (counts == 1).sum(), (counts == 2).sum()
            discount = once / (once + 2 * twice) if once + twice else 0.5
            self.tables[n] = (grams, counts, contexts, np.bincount(index, counts), np.bincount(index), discount)
        return self

    def probabilities(self, ids) -> np.ndarray:
        """p(ids[i] | ids[i - order + 1 : i]) for every i >= order - 1 (the first order-1 are context only)."""
        ids = np.asarray(ids)
        start = self.order - 1
        probability = self.unigram[ids[start:]]
        for n in range(2, self.order + 1):
            grams, counts, contexts, totals, types, discount = self.tables[n]
            codes = gram_codes(ids, n, self.vocabulary_size)[start - (n - 1):]
            count = _lookup(codes, grams, counts)
            total = _lookup(codes // self.vocabulary_size, contexts, totals)
            distinct = _lookup(codes // self.vocabulary_size, contexts, types)
            safe_total = np.maximum(total, 1)
            interpolated = np.maximum(count - discount, 0) / safe_total + discount * distinct / safe_total * probability
            probability = np.where(total > 0, interpolated, probability)
        return probability

    def bits_per_character(self, ids, context: int | None = None) -> float:
        """Mean -log2 p over ``ids[context:]``; ``context`` (default order - 1) characters only condition.

        Give every model the same ``context`` so that they are scored on the same characters.
        """
        context = self.order - 1 if context is None else context
        if context < self.order - 1:
            raise ValueError(f"an order-{self.order} model needs context >= {self.order - 1}")
        probability = self.probabilities(np.asarray(ids)[context - (self.order - 1):])
        return float(-np.log2(probability).mean())
