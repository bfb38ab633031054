"""Kneser-Ney character models (rnncourse.ngrams), the n-gram baselines of lesson 03."""
import numpy as np
import pytest

from rnncourse.ngrams import KneserNeyModel, gram_codes


def test_gram_codes_are_base_v_numbers():
    np.testing.assert_array_equal(gram_codes(np.array([1, 2, 3, 0]), 2, 10), [12, 23, 30])
    with pytest.raises(ValueError, match="64 bits"):
        gram_codes(np.arange(30), 12, 100)


@pytest.mark.parametrize("order", [1, 2, 3, 5])
def test_probabilities_sum_to_one_for_every_context(order):
    generator = np.random.default_rng(0)
    size = 7
    text = generator.integers(0, size - 1, 3000)  # the last symbol never occurs: it still gets mass
    model = KneserNeyModel(order, size).fit(text)
    for _ in range(5):
        context = generator.integers(0, size, order - 1)
        total = sum(model.probabilities(np.append(context, symbol))[0] for symbol in range(size))
        assert total == pytest.approx(1.0, abs=1e-9)
    assert model.probabilities(np.append(context, size - 1))[0] > 0, "an unseen symbol must not cost infinite bits"


def test_higher_orders_learn_a_deterministic_pattern():
    text = np.tile([0, 1, 2, 3, 1, 0, 2], 300)  # each symbol is fixed by the two before it
    bits = {order: KneserNeyModel(order, 4).fit(text).bits_per_character(text, context=4) for order in (1, 2, 3)}
    assert bits[3] < 0.1 < bits[2] < bits[1], bits


def test_scoring_the_same_characters_and_errors():
    text = np.tile([0, 1, 2], 50)
    model = KneserNeyModel(3, 3).fit(text)
    with pytest.raises(ValueError, match="context >= 2"):
        model.bits_per_character(text, context=1)
    with pytest.raises(ValueError, match=r"ids must lie in \[0, 3\)"):
        KneserNeyModel(2, 3).fit(np.array([0, 5]))
