"""Fast unit tests of the adding-problem generator used by lessons 01 and 02."""
import numpy as np
import pytest

from rnncourse.adding_problem import (
    MARKER_FEATURE,
    MEAN_PREDICTOR_MSE,
    RECENT_OPERAND_ONLY_MSE,
    VALUE_FEATURE,
    make_adding_problem,
    marker_positions,
)


def test_shapes_and_dtype():
    inputs, targets = make_adding_problem(number_of_sequences=7, length=13, seed=0)
    assert inputs.shape == (7, 13, 2)
    assert targets.shape == (7, 1)
    assert inputs.dtype == np.float32 and targets.dtype == np.float32


def test_exactly_two_markers_one_in_each_half():
    length = 9  # odd, so the halves differ in size
    inputs, _ = make_adding_problem(number_of_sequences=2000, length=length, seed=1)
    markers = inputs[..., MARKER_FEATURE]
    assert set(np.unique(markers)) == {0.0, 1.0}
    assert np.all(markers.sum(axis=1) == 2)
    positions = marker_positions(inputs)
    assert np.all(positions[:, 0] < length // 2), "first marker must lie in the first half"
    assert np.all(positions[:, 1] >= length // 2), "second marker must lie in the second half"
    # Every allowed position is used: no off-by-one that never marks the first or last step.
    assert set(positions[:, 0]) == set(range(length // 2))
    assert set(positions[:, 1]) == set(range(length // 2, length))


def test_target_is_sum_of_marked_values():
    inputs, targets = make_adding_problem(number_of_sequences=500, length=30, seed=2)
    marked_sum = (inputs[..., VALUE_FEATURE] * inputs[..., MARKER_FEATURE]).sum(axis=1)
    np.testing.assert_allclose(targets[:, 0], marked_sum, rtol=0, atol=1e-6)
    values = inputs[..., VALUE_FEATURE]
    assert values.min() >= 0.0 and values.max() < 1.0


def test_same_seed_same_data_other_seed_other_data():
    first_inputs, first_targets = make_adding_problem(50, 20, seed=3)
    again_inputs, again_targets = make_adding_problem(50, 20, seed=3)
    other_inputs, _ = make_adding_problem(50, 20, seed=4)
    np.testing.assert_array_equal(first_inputs, again_inputs)
    np.testing.assert_array_equal(first_targets, again_targets)
    assert not np.array_equal(first_inputs, other_inputs)


def test_reference_levels_match_the_maths():
    """Var(x1 + x2) = 2/12 for independent U[0, 1); knowing x2 and guessing 0.5 for x1 leaves 1/12."""
    assert MEAN_PREDICTOR_MSE == pytest.approx(1 / 6)
    assert RECENT_OPERAND_ONLY_MSE == pytest.approx(1 / 12)
    inputs, targets = make_adding_problem(number_of_sequences=100_000, length=10, seed=5)
    targets = targets[:, 0].astype(np.float64)
    assert targets.mean() == pytest.approx(1.0, abs=0.01)
    mean_predictor_mse = np.mean((targets - 1.0) ** 2)
    assert mean_predictor_mse == pytest.approx(MEAN_PREDICTOR_MSE, abs=0.003)
    second = marker_positions(inputs)[:, 1]
    recent_operand = inputs[np.arange(len(inputs)), second, VALUE_FEATURE]
    recent_only_mse = np.mean((targets - (recent_operand + 0.5)) ** 2)
    assert recent_only_mse == pytest.approx(RECENT_OPERAND_ONLY_MSE, abs=0.002)


@pytest.mark.parametrize(
    "arguments, message",
    [
        ({"number_of_sequences": 0, "length": 10}, "number_of_sequences"),
        ({"number_of_sequences": 2.5, "length": 10}, "number_of_sequences"),
        ({"number_of_sequences": 4, "length": 1}, "at least 2"),
        ({"number_of_sequences": 4, "length": -3}, "length"),
    ],
)
def test_bad_arguments_raise_clear_errors(arguments, message):
    with pytest.raises(ValueError, match=message):
        make_adding_problem(**arguments)


def test_marker_positions_rejects_wrong_marker_count():
    inputs, _ = make_adding_problem(3, 8, seed=6)
    inputs[1, :, MARKER_FEATURE] = 0.0
    with pytest.raises(ValueError, match="sequence 1 has 0 markers"):
        marker_positions(inputs)
