"""Tools for forecasting with windows: the window builder, a training-only scaler and error metrics.

Defined for lesson 04 (traffic forecasting), which uses them as tools and shows what they do.
Assignment A4 asks students to write their own versions; these are the reference behaviour.

Vocabulary used throughout:

* the **origin** of a window is the last time step whose value the model may see;
* the **inputs** are the ``input_steps`` rows ending at the origin: ``features[origin - input_steps + 1 : origin + 1]``;
* the **target** is ``target[origin + horizon]``, ``horizon`` steps after the origin (``horizon >= 1``).

So nothing at or after ``origin + 1`` reaches the inputs: no look-ahead.
"""
import numpy as np


def make_windows(features, target, input_steps: int, horizons, start: int = 0, stop: int | None = None):
    """Cut a series into (inputs, targets, origins), keeping only windows that lie inside [start, stop).

    features: (T,) or (T, F) array, what the model sees.
    target:   (T,) array, what it predicts (may be a column of ``features``).
    horizons: one int or a list of ints (steps ahead); targets get one column per horizon.
    start, stop: a time segment (e.g. the training period). A window is kept only if its first
        input *and* its furthest target fall inside it, so no window straddles a split boundary.

    Returns inputs (N, input_steps, F), targets (N, len(horizons)) and origins (N,), the index of the
    last input step of each window (use it to look up timestamps, masks or baselines).
    """
    features = np.asarray(features, dtype=np.float32)
    features = features[:, None] if features.ndim == 1 else features
    target = np.asarray(target, dtype=np.float32)
    horizons = np.atleast_1d(np.asarray(horizons, dtype=int))
    if target.ndim != 1 or len(target) != len(features):
        raise ValueError(f"target must be 1-D with {len(features)} steps like features; got shape {target.shape}")
    if input_steps < 1 or horizons.min() < 1:
        raise ValueError("input_steps and every horizon must be at least 1 (horizon 0 would be the present)")
    stop = len(features) if stop is None else stop
    first_origin = start + input_steps - 1
    last_origin = stop - 1 - horizons.max()
    if last_origin < first_origin:
        raise ValueError(f"segment [{start}, {stop}) is too short for {input_steps} input steps and horizon {horizons.max()}")
    origins = np.arange(first_origin, last_origin + 1)
    offsets = np.arange(-input_steps + 1, 1)
    inputs = features[origins[:, None] + offsets]  # (N, input_steps, F), a copy
    targets = target[origins[:, None] + horizons]  # (N, H)
    return inputs, targets, origins


class Standardizer:
    """Subtract the mean and divide by the standard deviation **of the training data only**.

    Fitting on the whole series would leak the test period's level and spread into training.
    NaNs (missing readings) are ignored when fitting.
    """

    def fit(self, training_values):
        training_values = np.asarray(training_values, dtype=np.float64)
        self.mean = np.nanmean(training_values, axis=0)
        self.scale = np.nanstd(training_values, axis=0)
        if np.any(~np.isfinite(self.scale)) or np.any(self.scale == 0):
            raise ValueError("a training column is constant or empty; it cannot be standardised")
        return self

    def transform(self, values):
        return ((np.asarray(values) - self.mean) / self.scale).astype(np.float32)

    def inverse_transform(self, values):
        return np.asarray(values) * self.scale + self.mean


def _checked(y_true, y_pred, mask):
    y_true = np.asarray(y_true, dtype=np.float64)
    y_pred = np.asarray(y_pred, dtype=np.float64)
    if y_true.shape != y_pred.shape:
        raise ValueError(f"y_true has shape {y_true.shape} but y_pred has {y_pred.shape}")
    if mask is not None:
        mask = np.asarray(mask, dtype=bool)
        y_true, y_pred = y_true[mask], y_pred[mask]
    if np.isnan(y_true).any():
        raise ValueError("y_true contains NaN (missing readings); pass mask=<observed> to score only real values")
    if np.isnan(y_pred).any():
        raise ValueError("y_pred contains NaN; the model or baseline produced no forecast for some steps")
    if y_true.size == 0:
        raise ValueError("nothing to score: the mask selects no values")
    return y_true, y_pred


def mae(y_true, y_pred, mask=None) -> float:
    """Mean absolute error, in the units of the data."""
    y_true, y_pred = _checked(y_true, y_pred, mask)
    return float(np.mean(np.abs(y_true - y_pred)))


def rmse(y_true, y_pred, mask=None) -> float:
    """Root mean squared error: like MAE but punishes large misses more."""
    y_true, y_pred = _checked(y_true, y_pred, mask)
    return float(np.sqrt(np.mean((y_true - y_pred) ** 2)))


def mape(y_true, y_pred, mask=None, minimum_true: float = 1.0) -> float:
    """Mean absolute percentage error (%), over targets with |y_true| >= ``minimum_true``.

    Percentages explode near zero (3 cars at night forecast as 6 is a 100 % error), so tiny targets
    are left out; the threshold is part of the metric's definition and should be reported with it.
    MAPE only makes sense on a ratio scale with a true zero (counts, not degrees Celsius).
    """
    y_true, y_pred = _checked(y_true, y_pred, mask)
    large_enough = np.abs(y_true) >= minimum_true
    if not large_enough.any():
        raise ValueError(f"no target has |value| >= {minimum_true}; MAPE is undefined here")
    errors = np.abs(y_true - y_pred)[large_enough] / np.abs(y_true[large_enough])
    return float(100 * np.mean(errors))
