"""The adding problem: a long-time-lag benchmark (Hochreiter & Schmidhuber 1997, Experiment 4).

Used by lesson 02 ("Long time lags") and lesson 01's preview. Each sequence has ``length`` time steps,
and each step carries two features:

* ``value``  -- a number drawn uniformly from ``[0, 1)``;
* ``marker`` -- 1.0 at exactly two steps, 0.0 elsewhere.

The target is the sum of the two marked values. The first marker lies in the first half of the
sequence and the second marker in the second half, so the network must carry the first operand across
at least one step and, on average, about half the sequence.

This is the form used by Le, Jaitly & Hinton (2015) and Arjovsky, Shah & Bengio (2016). The 1997 paper
drew values from ``[-1, 1]``, placed the first marker among the first ten steps, and scaled the target
to ``0.5 + (x1 + x2) / 4``. The idea is the same, and the numbers below are easier to reason about.

Reference levels of the mean squared error (the lesson derives them):

* predicting the mean (1.0) for every sequence gives ``Var(x1 + x2) = 2 / 12 = 1/6 ≈ 0.167``;
* remembering only the recent (second) operand and guessing the mean 0.5 for the first gives
  ``Var(x1) = 1/12 ≈ 0.083``.

Example::

    from rnncourse.adding_problem import make_adding_problem
    inputs, targets = make_adding_problem(number_of_sequences=1000, length=100, seed=0)
    inputs.shape, targets.shape   # ((1000, 100, 2), (1000, 1))
"""
import numpy as np

VALUE_FEATURE = 0
MARKER_FEATURE = 1
#: MSE of always predicting the mean target, 1.0: the variance of the sum of two U[0, 1) values.
MEAN_PREDICTOR_MSE = 2.0 / 12.0
#: MSE of knowing the second operand exactly and guessing 0.5 for the first: Var(U[0, 1)).
RECENT_OPERAND_ONLY_MSE = 1.0 / 12.0


def make_adding_problem(number_of_sequences: int, length: int, seed: int | None = 0, dtype=np.float32):
    """Generate ``number_of_sequences`` adding-problem sequences of ``length`` time steps.

    Returns ``(inputs, targets)``: ``inputs`` has shape ``(number_of_sequences, length, 2)`` with the
    value in feature 0 and the marker in feature 1; ``targets`` has shape ``(number_of_sequences, 1)``
    and holds the sum of the two marked values.

    ``seed`` makes the data reproducible: the same seed gives the same arrays (``None`` draws fresh
    randomness). Use different seeds for the training and test sets.
    """
    number_of_sequences = _positive_int(number_of_sequences, "number_of_sequences")
    length = _positive_int(length, "length")
    if length < 2:
        raise ValueError(f"length must be at least 2 so that each half holds one marker; got {length}")
    generator = np.random.default_rng(seed)
    values = generator.random((number_of_sequences, length))
    half = length // 2
    # First marker somewhere in [0, half), second in [half, length): two distinct positions.
    first_positions = generator.integers(0, half, size=number_of_sequences)
    second_positions = generator.integers(half, length, size=number_of_sequences)
    markers = np.zeros((number_of_sequences, length))
    rows = np.arange(number_of_sequences)
    markers[rows, first_positions] = 1.0
    markers[rows, second_positions] = 1.0
    inputs = np.stack([values, markers], axis=-1).astype(dtype)
    # Sum the values as stored (after the dtype cast), so that the target is exact for the inputs.
    targets = (inputs[rows, first_positions, VALUE_FEATURE] + inputs[rows, second_positions, VALUE_FEATURE])
    return inputs, targets.reshape(-1, 1).astype(dtype)


def marker_positions(inputs) -> np.ndarray:
    """The two marked time steps of each sequence, shape ``(number_of_sequences, 2)``, in order."""
    inputs = np.asarray(inputs)
    if inputs.ndim != 3 or inputs.shape[-1] != 2:
        raise ValueError(f"expected inputs of shape (sequences, length, 2), got {inputs.shape}")
    sequence_index, step_index = np.nonzero(inputs[..., MARKER_FEATURE])
    counts = np.bincount(sequence_index, minlength=inputs.shape[0])
    if not np.all(counts == 2):
        bad = int(np.flatnonzero(counts != 2)[0])
        raise ValueError(f"sequence {bad} has {counts[bad]} markers; every adding-problem sequence has exactly 2")
    return step_index.reshape(-1, 2)


def _positive_int(value, name: str) -> int:
    if isinstance(value, bool) or int(value) != value or value < 1:
        raise ValueError(f"{name} must be a positive whole number, got {value!r}")
    return int(value)
