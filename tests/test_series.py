"""Window builder (no look-ahead), training-only scaling and forecast metrics in rnncourse.series."""
import numpy as np
import pytest

from rnncourse.series import Standardizer, mae, make_windows, mape, rmse


def test_windows_end_at_origin_and_targets_lie_after_it():
    series = np.arange(20.0)
    inputs, targets, origins = make_windows(series, series, input_steps=4, horizons=[1, 3])
    assert inputs.shape == (20 - 4 + 1 - 3, 4, 1) and targets.shape == (len(origins), 2)
    np.testing.assert_array_equal(inputs[:, -1, 0], origins)  # the last input is the origin itself
    np.testing.assert_array_equal(inputs[0, :, 0], [0, 1, 2, 3])
    np.testing.assert_array_equal(targets[:, 0], origins + 1)
    np.testing.assert_array_equal(targets[:, 1], origins + 3)
    assert np.all(inputs.max(axis=(1, 2)) < targets.min(axis=1)), "an input must never come after a target"


def test_windows_stay_inside_their_segment():
    series = np.arange(100.0)
    inputs, targets, origins = make_windows(series, series, input_steps=5, horizons=[1, 6], start=40, stop=70)
    assert inputs.min() == 40, "no input before the segment"
    assert targets.max() == 69, "no target at or after the segment's end"
    assert origins[0] == 44 and origins[-1] == 63


def test_windows_multivariate_inputs_and_errors():
    features = np.column_stack([np.arange(10.0), -np.arange(10.0)])
    inputs, targets, _ = make_windows(features, features[:, 1], input_steps=2, horizons=2)
    assert inputs.shape == (7, 2, 2) and targets.shape == (7, 1)
    np.testing.assert_array_equal(inputs[0], [[0, 0], [1, -1]])
    assert targets[0, 0] == -3
    with pytest.raises(ValueError, match="horizon"):
        make_windows(features, features[:, 0], input_steps=2, horizons=0)
    with pytest.raises(ValueError, match="too short"):
        make_windows(features, features[:, 0], input_steps=8, horizons=3)
    with pytest.raises(ValueError, match="1-D"):
        make_windows(features, features, input_steps=2, horizons=1)


def test_standardizer_uses_training_statistics_only():
    training = np.array([[1.0], [3.0], [np.nan]])
    scaler = Standardizer().fit(training)
    assert scaler.mean[0] == 2.0 and scaler.scale[0] == 1.0
    np.testing.assert_allclose(scaler.transform([[100.0]]), [[98.0]])
    np.testing.assert_allclose(scaler.inverse_transform(scaler.transform([[7.0]])), [[7.0]])
    with pytest.raises(ValueError, match="constant"):
        Standardizer().fit(np.ones((4, 1)))


def test_metrics_on_known_values():
    truth, forecast = np.array([10.0, 20.0, 40.0]), np.array([12.0, 18.0, 46.0])
    assert mae(truth, forecast) == pytest.approx(10 / 3)
    assert rmse(truth, forecast) == pytest.approx(np.sqrt((4 + 4 + 36) / 3))
    assert mape(truth, forecast) == pytest.approx(100 * (0.2 + 0.1 + 0.15) / 3)
    assert mape([0.5, 10.0], [5.0, 11.0]) == pytest.approx(10.0), "targets below one are left out of MAPE"


def test_metrics_refuse_missing_truth_unless_masked():
    truth, forecast = np.array([10.0, np.nan, 30.0]), np.array([11.0, 5.0, 27.0])
    with pytest.raises(ValueError, match="mask"):
        mae(truth, forecast)
    observed = np.isfinite(truth)
    assert mae(truth, forecast, mask=observed) == pytest.approx(2.0)
    with pytest.raises(ValueError, match="shape"):
        rmse(truth, forecast[:2])
    with pytest.raises(ValueError, match="undefined"):
        mape([0.0, 0.2], [1.0, 1.0])
