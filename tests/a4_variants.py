"""Realistic wrong answers for assignment A4 ("write and forecast"), to test the tests.

Each variant is the complete source of one answer cell (keyed by the cell's grade_id) with one mistake that
students really make; the "# Bug:" comment in it says which. ``tests/test_a4_write_forecast.py`` autogrades
them with the real nbgrader and checks that every variant loses points in the tests of its own function.
The five graded functions never call one another and their tests use only locked set-up code, so one
submission can carry one variant of each function: a lost point in a part is that part's variant's fault.
"""
from tests.assignment_support import Variant, grade_ids_with_prefix, variants_from_bug_comments


SAMPLE_WITH_TEMPERATURE = {
    "temperature_after_softmax": '''
def sample_with_temperature(logits, temperature, rng):
    # Bug: temperature applied to the probabilities after the softmax; renormalising undoes it.
    if temperature <= 0:
        raise ValueError("temperature must be > 0")
    logits = np.asarray(logits, dtype=np.float64)
    probabilities = np.exp(logits - logits.max())
    probabilities = probabilities / probabilities.sum() / temperature
    probabilities = probabilities / probabilities.sum()
    return int(rng.choice(len(probabilities), p=probabilities))
''',
    "multiplies_by_temperature": '''
def sample_with_temperature(logits, temperature, rng):
    # Bug: multiplies the logits by the temperature instead of dividing.
    if temperature <= 0:
        raise ValueError("temperature must be > 0")
    scaled = np.asarray(logits, dtype=np.float64) * temperature
    probabilities = np.exp(scaled - scaled.max())
    probabilities /= probabilities.sum()
    return int(rng.choice(len(probabilities), p=probabilities))
''',
    "no_max_subtraction": '''
def sample_with_temperature(logits, temperature, rng):
    # Bug: no max subtraction, so exp(logits / small temperature) overflows.
    if temperature <= 0:
        raise ValueError("temperature must be > 0")
    probabilities = np.exp(np.asarray(logits, dtype=np.float64) / temperature)
    probabilities /= probabilities.sum()
    return int(rng.choice(len(probabilities), p=probabilities))
''',
    "global_random_state": '''
def sample_with_temperature(logits, temperature, rng):
    # Bug: ignores rng and draws from NumPy's global random state.
    if temperature <= 0:
        raise ValueError("temperature must be > 0")
    scaled = np.asarray(logits, dtype=np.float64) / temperature
    probabilities = np.exp(scaled - scaled.max())
    probabilities /= probabilities.sum()
    return int(np.random.choice(len(probabilities), p=probabilities))
''',
    "always_argmax": '''
def sample_with_temperature(logits, temperature, rng):
    # Bug: greedy decoding; never samples.
    if temperature <= 0:
        raise ValueError("temperature must be > 0")
    return int(np.argmax(logits))
''',
    "no_temperature_check": '''
def sample_with_temperature(logits, temperature, rng):
    # Bug: a negative temperature silently reverses the distribution instead of raising.
    scaled = np.asarray(logits, dtype=np.float64) / temperature
    probabilities = np.exp(scaled - scaled.max())
    probabilities /= probabilities.sum()
    return int(rng.choice(len(probabilities), p=probabilities))
''',
}

BITS_PER_CHARACTER = {
    "no_shift": '''
def bits_per_character(probabilities, sequences, pad_id=0):
    # Bug: scores output t against sequences[t] (the character the model just read) instead of t + 1.
    probabilities = np.asarray(probabilities, dtype=np.float64)
    sequences = np.asarray(sequences)
    chosen = np.take_along_axis(probabilities, sequences[..., None], axis=-1)[..., 0]
    bits = float(-np.mean(np.log2(np.clip(chosen, 1e-12, 1.0))[sequences != pad_id]))
    return bits, 2.0 ** bits
''',
    "natural_log": '''
def bits_per_character(probabilities, sequences, pad_id=0):
    # Bug: nats instead of bits (np.log instead of np.log2).
    probabilities = np.asarray(probabilities, dtype=np.float64)
    targets = np.asarray(sequences)[:, 1:]
    chosen = np.take_along_axis(probabilities[:, :-1], targets[..., None], axis=-1)[..., 0]
    bits = float(-np.mean(np.log(chosen[targets != pad_id])))
    return bits, float(2.0 ** bits)
''',
    "perplexity_base_e": '''
def bits_per_character(probabilities, sequences, pad_id=0):
    # Bug: perplexity as e ** bits, mixing bases.
    probabilities = np.asarray(probabilities, dtype=np.float64)
    targets = np.asarray(sequences)[:, 1:]
    chosen = np.take_along_axis(probabilities[:, :-1], targets[..., None], axis=-1)[..., 0]
    bits = float(-np.mean(np.log2(chosen[targets != pad_id])))
    return bits, float(np.exp(bits))
''',
    "padding_scored": '''
def bits_per_character(probabilities, sequences, pad_id=0):
    # Bug: padding targets are scored like real characters.
    probabilities = np.asarray(probabilities, dtype=np.float64)
    targets = np.asarray(sequences)[:, 1:]
    chosen = np.take_along_axis(probabilities[:, :-1], targets[..., None], axis=-1)[..., 0]
    bits = float(-np.mean(np.log2(chosen)))
    return bits, float(2.0 ** bits)
''',
    "log_of_mean_probability": '''
def bits_per_character(probabilities, sequences, pad_id=0):
    # Bug: -log2 of the mean probability instead of the mean of -log2 probabilities.
    probabilities = np.asarray(probabilities, dtype=np.float64)
    targets = np.asarray(sequences)[:, 1:]
    chosen = np.take_along_axis(probabilities[:, :-1], targets[..., None], axis=-1)[..., 0]
    bits = float(-np.log2(np.mean(chosen[targets != pad_id])))
    return bits, float(2.0 ** bits)
''',
    "sum_per_sequence": '''
def bits_per_character(probabilities, sequences, pad_id=0):
    # Bug: averages the per-sequence sums (bits per word), not bits per character.
    probabilities = np.asarray(probabilities, dtype=np.float64)
    targets = np.asarray(sequences)[:, 1:]
    chosen = np.take_along_axis(probabilities[:, :-1], targets[..., None], axis=-1)[..., 0]
    log_probabilities = np.where(targets != pad_id, np.log2(chosen), 0.0)
    bits = float(-np.mean(log_probabilities.sum(axis=1)))
    return bits, float(2.0 ** bits)
''',
    "fixed_pad_zero": '''
def bits_per_character(probabilities, sequences, pad_id=0):
    # Bug: ignores the pad_id argument and always skips id 0.
    probabilities = np.asarray(probabilities, dtype=np.float64)
    targets = np.asarray(sequences)[:, 1:]
    chosen = np.take_along_axis(probabilities[:, :-1], targets[..., None], axis=-1)[..., 0]
    bits = float(-np.mean(np.log2(chosen[targets != 0])))
    return bits, float(2.0 ** bits)
''',
}

MAKE_WINDOWS = {
    "drops_last_window": '''
def make_windows(features, target, input_steps, horizon):
    # Bug: range stops one window early (off by one in the window count).
    features = np.asarray(features, dtype=np.float32)
    features = features[:, None] if features.ndim == 1 else features
    target = np.asarray(target, dtype=np.float32)
    if input_steps < 1 or horizon < 1 or len(target) < input_steps + horizon:
        raise ValueError("series too short or bad sizes")
    inputs, targets = [], []
    for start in range(len(target) - input_steps - horizon):
        inputs.append(features[start:start + input_steps])
        targets.append(target[start + input_steps:start + input_steps + horizon])
    return np.array(inputs, dtype=np.float32), np.array(targets, dtype=np.float32)
''',
    "targets_overlap_inputs": '''
def make_windows(features, target, input_steps, horizon):
    # Bug: targets start at the last input step instead of the step after it.
    features = np.asarray(features, dtype=np.float32)
    features = features[:, None] if features.ndim == 1 else features
    target = np.asarray(target, dtype=np.float32)
    if input_steps < 1 or horizon < 1 or len(target) < input_steps + horizon:
        raise ValueError("series too short or bad sizes")
    inputs, targets = [], []
    for start in range(len(target) - input_steps - horizon + 1):
        inputs.append(features[start:start + input_steps])
        targets.append(target[start + input_steps - 1:start + input_steps - 1 + horizon])
    return np.array(inputs, dtype=np.float32), np.array(targets, dtype=np.float32)
''',
    "inputs_look_ahead": '''
def make_windows(features, target, input_steps, horizon):
    # Bug: the inputs are shifted one step forward, so the last input is the first target.
    features = np.asarray(features, dtype=np.float32)
    features = features[:, None] if features.ndim == 1 else features
    target = np.asarray(target, dtype=np.float32)
    if input_steps < 1 or horizon < 1 or len(target) < input_steps + horizon + 1:
        raise ValueError("series too short or bad sizes")
    inputs, targets = [], []
    for start in range(len(target) - input_steps - horizon + 1):
        inputs.append(features[start + 1:start + input_steps + 1])
        targets.append(target[start + input_steps:start + input_steps + horizon])
    return np.array(inputs, dtype=np.float32), np.array(targets, dtype=np.float32)
''',
    "skips_first_target": '''
def make_windows(features, target, input_steps, horizon):
    # Bug: "horizon steps ahead" read as starting one step late.
    features = np.asarray(features, dtype=np.float32)
    features = features[:, None] if features.ndim == 1 else features
    target = np.asarray(target, dtype=np.float32)
    if input_steps < 1 or horizon < 1 or len(target) < input_steps + horizon + 1:
        raise ValueError("series too short or bad sizes")
    inputs, targets = [], []
    for start in range(len(target) - input_steps - horizon):
        inputs.append(features[start:start + input_steps])
        targets.append(target[start + input_steps + 1:start + input_steps + horizon + 1])
    return np.array(inputs, dtype=np.float32), np.array(targets, dtype=np.float32)
''',
    "no_feature_axis": '''
def make_windows(features, target, input_steps, horizon):
    # Bug: a 1-D series keeps shape (windows, input_steps) instead of getting a feature axis.
    features = np.asarray(features, dtype=np.float32)
    target = np.asarray(target, dtype=np.float32)
    if input_steps < 1 or horizon < 1 or len(target) < input_steps + horizon:
        raise ValueError("series too short or bad sizes")
    count = len(target) - input_steps - horizon + 1
    inputs = np.stack([features[start:start + input_steps] for start in range(count)])
    targets = np.stack([target[start + input_steps:start + input_steps + horizon] for start in range(count)])
    return inputs, targets
''',
    "targets_from_features": '''
def make_windows(features, target, input_steps, horizon):
    # Bug: targets cut from the first feature column, ignoring the target argument.
    features = np.asarray(features, dtype=np.float32)
    features = features[:, None] if features.ndim == 1 else features
    if input_steps < 1 or horizon < 1 or len(features) < input_steps + horizon:
        raise ValueError("series too short or bad sizes")
    count = len(features) - input_steps - horizon + 1
    inputs = np.stack([features[start:start + input_steps] for start in range(count)])
    targets = np.stack([features[start + input_steps:start + input_steps + horizon, 0] for start in range(count)])
    return inputs, targets
''',
    "no_length_check": '''
def make_windows(features, target, input_steps, horizon):
    # Bug: no checks, so a too-short series silently gives zero windows.
    features = np.asarray(features, dtype=np.float32)
    features = features[:, None] if features.ndim == 1 else features
    target = np.asarray(target, dtype=np.float32)
    count = max(0, len(target) - input_steps - horizon + 1)
    inputs = np.zeros((count, input_steps, features.shape[1]), dtype=np.float32)
    targets = np.zeros((count, horizon), dtype=np.float32)
    for start in range(count):
        inputs[start] = features[start:start + input_steps]
        targets[start] = target[start + input_steps:start + input_steps + horizon]
    return inputs, targets
''',
}

FORECAST_ERRORS = {
    "rmse_without_root": '''
def forecast_errors(y_true, y_pred, minimum_true=1.0):
    # Bug: "rmse" is the mean squared error (the square root is missing).
    y_true, y_pred = np.asarray(y_true, dtype=float), np.asarray(y_pred, dtype=float)
    if y_true.shape != y_pred.shape:
        raise ValueError("shapes differ")
    errors = y_true - y_pred
    large = np.abs(y_true) >= minimum_true
    if not large.any():
        raise ValueError("MAPE undefined")
    return {"mae": float(np.mean(np.abs(errors))), "rmse": float(np.mean(errors ** 2)),
            "mape": float(100 * np.mean(np.abs(errors[large]) / np.abs(y_true[large])))}
''',
    "mape_as_fraction": '''
def forecast_errors(y_true, y_pred, minimum_true=1.0):
    # Bug: MAPE returned as a fraction, not a percentage.
    y_true, y_pred = np.asarray(y_true, dtype=float), np.asarray(y_pred, dtype=float)
    if y_true.shape != y_pred.shape:
        raise ValueError("shapes differ")
    errors = y_true - y_pred
    large = np.abs(y_true) >= minimum_true
    if not large.any():
        raise ValueError("MAPE undefined")
    return {"mae": float(np.mean(np.abs(errors))), "rmse": float(np.sqrt(np.mean(errors ** 2))),
            "mape": float(np.mean(np.abs(errors[large]) / np.abs(y_true[large])))}
''',
    "mape_unguarded": '''
def forecast_errors(y_true, y_pred, minimum_true=1.0):
    # Bug: MAPE divides by every target, zeros included.
    y_true, y_pred = np.asarray(y_true, dtype=float), np.asarray(y_pred, dtype=float)
    if y_true.shape != y_pred.shape:
        raise ValueError("shapes differ")
    errors = y_true - y_pred
    return {"mae": float(np.mean(np.abs(errors))), "rmse": float(np.sqrt(np.mean(errors ** 2))),
            "mape": float(100 * np.mean(np.abs(errors) / np.abs(y_true)))}
''',
    "mape_divides_by_prediction": '''
def forecast_errors(y_true, y_pred, minimum_true=1.0):
    # Bug: MAPE relative to the forecast instead of the truth.
    y_true, y_pred = np.asarray(y_true, dtype=float), np.asarray(y_pred, dtype=float)
    if y_true.shape != y_pred.shape:
        raise ValueError("shapes differ")
    errors = y_true - y_pred
    large = np.abs(y_pred) >= minimum_true
    if not large.any():
        raise ValueError("MAPE undefined")
    return {"mae": float(np.mean(np.abs(errors))), "rmse": float(np.sqrt(np.mean(errors ** 2))),
            "mape": float(100 * np.mean(np.abs(errors[large]) / np.abs(y_pred[large])))}
''',
    "mae_without_abs": '''
def forecast_errors(y_true, y_pred, minimum_true=1.0):
    # Bug: the mean error (bias) instead of the mean absolute error; errors of both signs cancel.
    y_true, y_pred = np.asarray(y_true, dtype=float), np.asarray(y_pred, dtype=float)
    if y_true.shape != y_pred.shape:
        raise ValueError("shapes differ")
    errors = y_true - y_pred
    large = np.abs(y_true) >= minimum_true
    if not large.any():
        raise ValueError("MAPE undefined")
    return {"mae": float(abs(np.mean(errors))), "rmse": float(np.sqrt(np.mean(errors ** 2))),
            "mape": float(100 * np.mean(np.abs(errors[large]) / np.abs(y_true[large])))}
''',
    "broadcasts_shapes": '''
def forecast_errors(y_true, y_pred, minimum_true=1.0):
    # Bug: no shape check; (n,) against (n, 1) broadcasts to (n, n).
    y_true, y_pred = np.asarray(y_true, dtype=float), np.asarray(y_pred, dtype=float)
    errors = y_true - y_pred
    large = np.broadcast_to(np.abs(y_true) >= minimum_true, errors.shape)
    if not large.any():
        raise ValueError("MAPE undefined")
    relative = np.abs(errors) / np.maximum(np.abs(np.broadcast_to(y_true, errors.shape)), minimum_true)
    return {"mae": float(np.mean(np.abs(errors))), "rmse": float(np.sqrt(np.mean(errors ** 2))),
            "mape": float(100 * np.mean(relative[large]))}
''',
    "mape_skips_only_exact_zeros": '''
def forecast_errors(y_true, y_pred, minimum_true=1.0):
    # Bug: the guard skips exact zeros only and ignores minimum_true.
    y_true, y_pred = np.asarray(y_true, dtype=float), np.asarray(y_pred, dtype=float)
    if y_true.shape != y_pred.shape:
        raise ValueError("shapes differ")
    errors = y_true - y_pred
    nonzero = y_true != 0
    if not nonzero.any():
        raise ValueError("MAPE undefined")
    return {"mae": float(np.mean(np.abs(errors))), "rmse": float(np.sqrt(np.mean(errors ** 2))),
            "mape": float(100 * np.mean(np.abs(errors[nonzero]) / np.abs(y_true[nonzero])))}
''',
}

BUILD_FORECASTER = {
    "last_layer_returns_sequences": '''
def build_forecaster(input_steps, features, horizon, cell="lstm", units=(32, 16), dropout=0.0, learning_rate=1e-3):
    # Bug: every layer returns sequences, so the model forecasts at every input step.
    layer_type = {"lstm": keras.layers.LSTM, "gru": keras.layers.GRU}.get(cell)
    if layer_type is None or not units:
        raise ValueError("bad cell or units")
    model = keras.Sequential([keras.Input(shape=(input_steps, features))])
    for layer_units in units:
        model.add(layer_type(layer_units, dropout=dropout, return_sequences=True))
    model.add(keras.layers.Dense(horizon))
    model.compile(optimizer=keras.optimizers.Adam(learning_rate), loss="mse", metrics=["mae"])
    return model
''',
    "always_lstm": '''
def build_forecaster(input_steps, features, horizon, cell="lstm", units=(32, 16), dropout=0.0, learning_rate=1e-3):
    # Bug: the cell argument is checked but ignored; always LSTM.
    if cell not in ("lstm", "gru") or not units:
        raise ValueError("bad cell or units")
    model = keras.Sequential([keras.Input(shape=(input_steps, features))])
    for position, layer_units in enumerate(units):
        model.add(keras.layers.LSTM(layer_units, dropout=dropout, return_sequences=position < len(units) - 1))
    model.add(keras.layers.Dense(horizon))
    model.compile(optimizer=keras.optimizers.Adam(learning_rate), loss="mse", metrics=["mae"])
    return model
''',
    "gru_paper_form": '''
def build_forecaster(input_steps, features, horizon, cell="lstm", units=(32, 16), dropout=0.0, learning_rate=1e-3):
    # Bug: GRU(reset_after=False), not Keras's default form (different parameters).
    if cell not in ("lstm", "gru") or not units:
        raise ValueError("bad cell or units")
    model = keras.Sequential([keras.Input(shape=(input_steps, features))])
    for position, layer_units in enumerate(units):
        sequences = position < len(units) - 1
        if cell == "lstm":
            model.add(keras.layers.LSTM(layer_units, dropout=dropout, return_sequences=sequences))
        else:
            model.add(keras.layers.GRU(layer_units, dropout=dropout, return_sequences=sequences, reset_after=False))
    model.add(keras.layers.Dense(horizon))
    model.compile(optimizer=keras.optimizers.Adam(learning_rate), loss="mse", metrics=["mae"])
    return model
''',
    "relu_head": '''
def build_forecaster(input_steps, features, horizon, cell="lstm", units=(32, 16), dropout=0.0, learning_rate=1e-3):
    # Bug: a ReLU on the output layer (forecasts can never be negative, and dead units stop learning).
    layer_type = {"lstm": keras.layers.LSTM, "gru": keras.layers.GRU}.get(cell)
    if layer_type is None or not units:
        raise ValueError("bad cell or units")
    model = keras.Sequential([keras.Input(shape=(input_steps, features))])
    for position, layer_units in enumerate(units):
        model.add(layer_type(layer_units, dropout=dropout, return_sequences=position < len(units) - 1))
    model.add(keras.layers.Dense(horizon, activation="relu"))
    model.compile(optimizer=keras.optimizers.Adam(learning_rate), loss="mse", metrics=["mae"])
    return model
''',
    "dropout_ignored": '''
def build_forecaster(input_steps, features, horizon, cell="lstm", units=(32, 16), dropout=0.0, learning_rate=1e-3):
    # Bug: the dropout and learning_rate arguments are never used.
    layer_type = {"lstm": keras.layers.LSTM, "gru": keras.layers.GRU}.get(cell)
    if layer_type is None or not units:
        raise ValueError("bad cell or units")
    model = keras.Sequential([keras.Input(shape=(input_steps, features))])
    for position, layer_units in enumerate(units):
        model.add(layer_type(layer_units, return_sequences=position < len(units) - 1))
    model.add(keras.layers.Dense(horizon))
    model.compile(optimizer="adam", loss="mse", metrics=["mae"])
    return model
''',
    "single_output": '''
def build_forecaster(input_steps, features, horizon, cell="lstm", units=(32, 16), dropout=0.0, learning_rate=1e-3):
    # Bug: one output unit (a one-step forecaster) whatever the horizon.
    layer_type = {"lstm": keras.layers.LSTM, "gru": keras.layers.GRU}.get(cell)
    if layer_type is None or not units:
        raise ValueError("bad cell or units")
    model = keras.Sequential([keras.Input(shape=(input_steps, features))])
    for position, layer_units in enumerate(units):
        model.add(layer_type(layer_units, dropout=dropout, return_sequences=position < len(units) - 1))
    model.add(keras.layers.Dense(1))
    model.compile(optimizer=keras.optimizers.Adam(learning_rate), loss="mse", metrics=["mae"])
    return model
''',
    "units_reversed": '''
def build_forecaster(input_steps, features, horizon, cell="lstm", units=(32, 16), dropout=0.0, learning_rate=1e-3):
    # Bug: layers built from the smallest to the largest.
    layer_type = {"lstm": keras.layers.LSTM, "gru": keras.layers.GRU}.get(cell)
    if layer_type is None or not units:
        raise ValueError("bad cell or units")
    units = sorted(units)
    model = keras.Sequential([keras.Input(shape=(input_steps, features))])
    for position, layer_units in enumerate(units):
        model.add(layer_type(layer_units, dropout=dropout, return_sequences=position < len(units) - 1))
    model.add(keras.layers.Dense(horizon))
    model.compile(optimizer=keras.optimizers.Adam(learning_rate), loss="mse", metrics=["mae"])
    return model
''',
    "no_validation": '''
def build_forecaster(input_steps, features, horizon, cell="lstm", units=(32, 16), dropout=0.0, learning_rate=1e-3):
    # Bug: an unknown cell silently becomes a GRU.
    layer_type = keras.layers.LSTM if cell == "lstm" else keras.layers.GRU
    model = keras.Sequential([keras.Input(shape=(input_steps, features))])
    for position, layer_units in enumerate(units):
        model.add(layer_type(layer_units, dropout=dropout, return_sequences=position < len(units) - 1))
    model.add(keras.layers.Dense(horizon))
    model.compile(optimizer=keras.optimizers.Adam(learning_rate), loss="mse", metrics=["mae"])
    return model
''',
}

# answer grade_id -> {variant name: source}
_SOURCES = {
    "sample_with_temperature": SAMPLE_WITH_TEMPERATURE,
    "bits_per_character": BITS_PER_CHARACTER,
    "make_windows": MAKE_WINDOWS,
    "forecast_errors": FORECAST_ERRORS,
    "build_forecaster": BUILD_FORECASTER,
}
GRADED_FUNCTIONS = tuple(_SOURCES)


VARIANTS = variants_from_bug_comments(_SOURCES)

# The test cells that check each function (grade ids start with these prefixes).
TEST_PREFIXES = {
    "sample_with_temperature": "test_sampling_",
    "bits_per_character": "test_bpc_",
    "make_windows": "test_windows_",
    "forecast_errors": "test_errors_",
    "build_forecaster": "test_forecaster_",
}


def grade_ids_checking(function: str, grade_ids) -> list[str]:
    """The grade_ids of the test cells that check ``function``."""
    return grade_ids_with_prefix(TEST_PREFIXES, function, grade_ids)


def submissions_for_variants() -> dict[str, dict[str, Variant]]:
    """Pack the variants into few submissions: submission k holds the k-th variant of every function.

    Returns {student id: {answer grade_id: variant}}; answer cells without a variant keep the solution.
    """
    by_function = {function: [v for v in VARIANTS if v.function == function] for function in GRADED_FUNCTIONS}
    count = max(len(variants) for variants in by_function.values())
    return {f"variants{index:02d}": {function: variants[index] for function, variants in by_function.items()
                                     if index < len(variants)}
            for index in range(count)}
