"""Answers for assignment A4 ("write and forecast") that test its tests.

VARIANTS: each is the complete source of one answer cell (keyed by the cell's grade_id) with one mistake that
students really make; its "# Bug:" comment says which. tests/test_a4_write_forecast.py autogrades them with the
real nbgrader and checks that every variant loses points in the tests of its own function. The four graded
functions never call one another and their tests use only the locked setup cell, so one submission can carry
one variant of each function: a lost point in a part is that part's variant's fault.

CORRECT_ALTERNATIVES: correct answers written another way (other layers, loops, other NumPy calls); each must get
full marks, so that no test quietly requires the model answer's way of writing it.

COURSE_IMPORT and COURSE_COPY: answers that import the course package, and answers pasted from lessons 03 and 04.
"""
from tests.assignment_support import Variant, grade_ids_with_prefix, pack_variants, variants_from_bug_comments

BUILD_STEP_MODEL = {
    "state_inputs_ignored": '''
def build_step_model(weights):
    # Bug: the LSTM is never given the state inputs, so every step starts again from zeros.
    vocabulary_size, embedding_size = np.shape(weights[0])
    units = np.shape(weights[2])[0]
    characters = keras.Input(shape=(1,), dtype="int32")
    hidden, cell = keras.Input(shape=(units,)), keras.Input(shape=(units,))
    embedded = keras.layers.Embedding(vocabulary_size, embedding_size)(characters)
    output, new_hidden, new_cell = keras.layers.LSTM(units, return_state=True)(embedded)
    probabilities = keras.layers.Dense(vocabulary_size, activation="softmax")(output)
    step_model = keras.Model([characters, hidden, cell], [probabilities, new_hidden, new_cell])
    step_model.set_weights(weights)
    return step_model
''',
    "logits_not_probabilities": '''
def build_step_model(weights):
    # Bug: returns the Dense layer's logits, as the full model does, instead of probabilities.
    vocabulary_size, embedding_size = np.shape(weights[0])
    units = np.shape(weights[2])[0]
    characters = keras.Input(shape=(1,), dtype="int32")
    hidden, cell = keras.Input(shape=(units,)), keras.Input(shape=(units,))
    embedded = keras.layers.Embedding(vocabulary_size, embedding_size)(characters)
    output, new_hidden, new_cell = keras.layers.LSTM(units, return_state=True)(embedded, initial_state=[hidden, cell])
    logits = keras.layers.Dense(vocabulary_size)(output)
    step_model = keras.Model([characters, hidden, cell], [logits, new_hidden, new_cell])
    step_model.set_weights(weights)
    return step_model
''',
    "initial_state_swapped": '''
def build_step_model(weights):
    # Bug: the initial state is given as [c, h] instead of [h, c].
    vocabulary_size, embedding_size = np.shape(weights[0])
    units = np.shape(weights[2])[0]
    characters = keras.Input(shape=(1,), dtype="int32")
    hidden, cell = keras.Input(shape=(units,)), keras.Input(shape=(units,))
    embedded = keras.layers.Embedding(vocabulary_size, embedding_size)(characters)
    output, new_hidden, new_cell = keras.layers.LSTM(units, return_state=True)(embedded, initial_state=[cell, hidden])
    probabilities = keras.layers.Dense(vocabulary_size, activation="softmax")(output)
    step_model = keras.Model([characters, hidden, cell], [probabilities, new_hidden, new_cell])
    step_model.set_weights(weights)
    return step_model
''',
    "state_outputs_swapped": '''
def build_step_model(weights):
    # Bug: unpacks the LSTM's [output, h, c] as [output, c, h], so the state comes back as (c, h).
    vocabulary_size, embedding_size = np.shape(weights[0])
    units = np.shape(weights[2])[0]
    characters = keras.Input(shape=(1,), dtype="int32")
    hidden, cell = keras.Input(shape=(units,)), keras.Input(shape=(units,))
    embedded = keras.layers.Embedding(vocabulary_size, embedding_size)(characters)
    output, new_cell, new_hidden = keras.layers.LSTM(units, return_state=True)(embedded, initial_state=[hidden, cell])
    probabilities = keras.layers.Dense(vocabulary_size, activation="softmax")(output)
    step_model = keras.Model([characters, hidden, cell], [probabilities, new_hidden, new_cell])
    step_model.set_weights(weights)
    return step_model
''',
    "returns_sequences": '''
def build_step_model(weights):
    # Bug: return_sequences=True copied from the full model: the probabilities come out as (batch, 1, V).
    vocabulary_size, embedding_size = np.shape(weights[0])
    units = np.shape(weights[2])[0]
    characters = keras.Input(shape=(1,), dtype="int32")
    hidden, cell = keras.Input(shape=(units,)), keras.Input(shape=(units,))
    embedded = keras.layers.Embedding(vocabulary_size, embedding_size)(characters)
    outputs, new_hidden, new_cell = keras.layers.LSTM(units, return_sequences=True, return_state=True)(
        embedded, initial_state=[hidden, cell])
    probabilities = keras.layers.Dense(vocabulary_size, activation="softmax")(outputs)
    step_model = keras.Model([characters, hidden, cell], [probabilities, new_hidden, new_cell])
    step_model.set_weights(weights)
    return step_model
''',
    "sizes_hard_coded": '''
def build_step_model(weights):
    # Bug: the sizes of the setup's model (28 symbols, embedding 8, 16 units) are hard-coded.
    characters = keras.Input(shape=(1,), dtype="int32")
    hidden, cell = keras.Input(shape=(16,)), keras.Input(shape=(16,))
    embedded = keras.layers.Embedding(28, 8)(characters)
    output, new_hidden, new_cell = keras.layers.LSTM(16, return_state=True)(embedded, initial_state=[hidden, cell])
    probabilities = keras.layers.Dense(28, activation="softmax")(output)
    step_model = keras.Model([characters, hidden, cell], [probabilities, new_hidden, new_cell])
    step_model.set_weights(weights)
    return step_model
''',
    "weights_not_copied": '''
def build_step_model(weights):
    # Bug: the weights are never copied in: the step model keeps its own random initial weights.
    vocabulary_size, embedding_size = np.shape(weights[0])
    units = np.shape(weights[2])[0]
    characters = keras.Input(shape=(1,), dtype="int32")
    hidden, cell = keras.Input(shape=(units,)), keras.Input(shape=(units,))
    embedded = keras.layers.Embedding(vocabulary_size, embedding_size)(characters)
    output, new_hidden, new_cell = keras.layers.LSTM(units, return_state=True)(embedded, initial_state=[hidden, cell])
    probabilities = keras.layers.Dense(vocabulary_size, activation="softmax")(output)
    return keras.Model([characters, hidden, cell], [probabilities, new_hidden, new_cell])
''',
    "global_weights": '''
def build_step_model(weights):
    # Bug: copies the setup cell's character_weights instead of the weights it is given.
    vocabulary_size, embedding_size = np.shape(weights[0])
    units = np.shape(weights[2])[0]
    characters = keras.Input(shape=(1,), dtype="int32")
    hidden, cell = keras.Input(shape=(units,)), keras.Input(shape=(units,))
    embedded = keras.layers.Embedding(vocabulary_size, embedding_size)(characters)
    output, new_hidden, new_cell = keras.layers.LSTM(units, return_state=True)(embedded, initial_state=[hidden, cell])
    probabilities = keras.layers.Dense(vocabulary_size, activation="softmax")(output)
    step_model = keras.Model([characters, hidden, cell], [probabilities, new_hidden, new_cell])
    step_model.set_weights(character_weights)
    return step_model
''',
}

GENERATE = {
    "state_not_carried": '''
def generate(step, prime, state, count, temperature, uniforms):
    # Bug: every call gets the starting state, so the model forgets everything it has read.
    if len(prime) == 0 or count < 1 or len(uniforms) != count:
        raise ValueError("need a prime, count >= 1 and one uniform number per character")
    for character in prime:
        probabilities, _ = step(character, state)
    generated = []
    for uniform in uniforms:
        if generated:
            probabilities, _ = step(generated[-1], state)
        generated.append(sample_with_temperature(probabilities, temperature, uniform))
    return generated
''',
    "feeds_the_last_character": '''
def generate(step, prime, state, count, temperature, uniforms):
    # Bug: feeds every drawn character back, the last one too: one call more than needed.
    if len(prime) == 0 or count < 1 or len(uniforms) != count:
        raise ValueError("need a prime, count >= 1 and one uniform number per character")
    for character in prime:
        probabilities, state = step(character, state)
    generated = []
    for uniform in uniforms:
        generated.append(sample_with_temperature(probabilities, temperature, uniform))
        probabilities, state = step(generated[-1], state)
    return generated
''',
    "reads_only_the_last_prime_character": '''
def generate(step, prime, state, count, temperature, uniforms):
    # Bug: only the last character of the prime is read; the rest never reaches the state.
    if len(prime) == 0 or count < 1 or len(uniforms) != count:
        raise ValueError("need a prime, count >= 1 and one uniform number per character")
    probabilities, state = step(prime[-1], state)
    generated = []
    for uniform in uniforms:
        if generated:
            probabilities, state = step(generated[-1], state)
        generated.append(sample_with_temperature(probabilities, temperature, uniform))
    return generated
''',
    "temperature_ignored": '''
def generate(step, prime, state, count, temperature, uniforms):
    # Bug: samples at temperature 1 whatever temperature is asked for.
    if len(prime) == 0 or count < 1 or len(uniforms) != count:
        raise ValueError("need a prime, count >= 1 and one uniform number per character")
    for character in prime:
        probabilities, state = step(character, state)
    generated = []
    for uniform in uniforms:
        if generated:
            probabilities, state = step(generated[-1], state)
        generated.append(sample_with_temperature(probabilities, 1.0, uniform))
    return generated
''',
    "greedy": '''
def generate(step, prime, state, count, temperature, uniforms):
    # Bug: takes the most likely character every time instead of sampling.
    if len(prime) == 0 or count < 1 or len(uniforms) != count:
        raise ValueError("need a prime, count >= 1 and one uniform number per character")
    for character in prime:
        probabilities, state = step(character, state)
    generated = []
    for _ in range(count):
        if generated:
            probabilities, state = step(generated[-1], state)
        generated.append(int(np.argmax(probabilities)))
    return generated
''',
    "rereads_the_whole_text": '''
def generate(step, prime, state, count, temperature, uniforms):
    # Bug: re-reads the whole text from the starting state for every character (quadratic calls).
    if len(prime) == 0 or count < 1 or len(uniforms) != count:
        raise ValueError("need a prime, count >= 1 and one uniform number per character")
    text = list(prime)
    for uniform in uniforms:
        current = state
        for character in text:
            probabilities, current = step(character, current)
        text.append(sample_with_temperature(probabilities, temperature, uniform))
    return text[len(prime):]
''',
    "first_uniform_only": '''
def generate(step, prime, state, count, temperature, uniforms):
    # Bug: draws every character with the first uniform number.
    if len(prime) == 0 or count < 1 or len(uniforms) != count:
        raise ValueError("need a prime, count >= 1 and one uniform number per character")
    for character in prime:
        probabilities, state = step(character, state)
    generated = []
    for _ in range(count):
        if generated:
            probabilities, state = step(generated[-1], state)
        generated.append(sample_with_temperature(probabilities, temperature, uniforms[0]))
    return generated
''',
    "no_input_checks": '''
def generate(step, prime, state, count, temperature, uniforms):
    # Bug: no checks: an empty prime or too few uniform numbers fail with a bare NameError or IndexError.
    for character in prime:
        probabilities, state = step(character, state)
    generated = []
    for index in range(count):
        if generated:
            probabilities, state = step(generated[-1], state)
        generated.append(sample_with_temperature(probabilities, temperature, uniforms[index]))
    return generated
''',
}

RECURSIVE_FORECAST = {
    "window_grows": '''
def recursive_forecast(one_step, windows, horizon):
    # Bug: appends each forecast without dropping the oldest value, so the window grows.
    if horizon < 1:
        raise ValueError("horizon must be at least 1")
    current = np.array(windows, dtype=float)
    columns = []
    for _ in range(horizon):
        columns.append(np.asarray(one_step(current), dtype=float))
        current = np.column_stack([current, columns[-1]])
    return np.column_stack(columns)
''',
    "drops_the_newest_value": '''
def recursive_forecast(one_step, windows, horizon):
    # Bug: drops the newest value instead of the oldest before appending the forecast.
    if horizon < 1:
        raise ValueError("horizon must be at least 1")
    current = np.array(windows, dtype=float)
    columns = []
    for _ in range(horizon):
        columns.append(np.asarray(one_step(current), dtype=float))
        current = np.column_stack([current[:, :-1], columns[-1]])
    return np.column_stack(columns)
''',
    "never_feeds_back": '''
def recursive_forecast(one_step, windows, horizon):
    # Bug: forecasts every step from the original window (the forecast is never fed back).
    if horizon < 1:
        raise ValueError("horizon must be at least 1")
    windows = np.array(windows, dtype=float)
    return np.column_stack([np.asarray(one_step(windows), dtype=float) for _ in range(horizon)])
''',
    "no_horizon_check": '''
def recursive_forecast(one_step, windows, horizon):
    # Bug: no check of the horizon: horizon 0 quietly returns an empty forecast.
    current = np.array(windows, dtype=float)
    forecasts = np.empty((len(current), max(horizon, 0)))
    for step_ahead in range(horizon):
        forecasts[:, step_ahead] = one_step(current)
        current = np.column_stack([current[:, 1:], forecasts[:, step_ahead]])
    return forecasts
''',
    "newest_first": '''
def recursive_forecast(one_step, windows, horizon):
    # Bug: puts the forecast at the front of the window, as if the windows were newest first.
    if horizon < 1:
        raise ValueError("horizon must be at least 1")
    current = np.array(windows, dtype=float)
    columns = []
    for _ in range(horizon):
        columns.append(np.asarray(one_step(current), dtype=float))
        current = np.column_stack([columns[-1], current[:, :-1]])
    return np.column_stack(columns)
''',
    "transposed": '''
def recursive_forecast(one_step, windows, horizon):
    # Bug: returns (horizon, n), one row per step ahead, instead of (n, horizon).
    if horizon < 1:
        raise ValueError("horizon must be at least 1")
    current = np.array(windows, dtype=float)
    rows = []
    for _ in range(horizon):
        rows.append(np.asarray(one_step(current), dtype=float))
        current = np.column_stack([current[:, 1:], rows[-1]])
    return np.array(rows)
''',
    "one_call_too_many": '''
def recursive_forecast(one_step, windows, horizon):
    # Bug: an off-by-one loop: horizon + 1 calls, and the first forecast is thrown away.
    if horizon < 1:
        raise ValueError("horizon must be at least 1")
    current = np.array(windows, dtype=float)
    columns = []
    for _ in range(horizon + 1):
        columns.append(np.asarray(one_step(current), dtype=float))
        current = np.column_stack([current[:, 1:], columns[-1]])
    return np.column_stack(columns[1:])
''',
}

ERRORS_BY_HORIZON = {
    "truth_one_step_early": '''
def errors_by_horizon(series, origins, forecasts):
    # Bug: scores the forecast h steps ahead against series[origin + h - 1] (the last input at h = 1).
    series, origins = np.asarray(series, dtype=float), np.asarray(origins)
    table = {}
    for name, forecast in forecasts.items():
        forecast = np.asarray(forecast, dtype=float)
        if len(forecast) != len(origins) or origins.max() + forecast.shape[1] >= len(series):
            raise ValueError("one row per origin, inside the series")
        errors = series[origins[:, None] + np.arange(forecast.shape[1])] - forecast
        table[name] = {"mae": np.abs(errors).mean(axis=0).tolist(), "rmse": np.sqrt((errors ** 2).mean(axis=0)).tolist()}
    return table
''',
    "one_average_for_all_horizons": '''
def errors_by_horizon(series, origins, forecasts):
    # Bug: averages over all horizons at once and repeats that one number for every horizon.
    series, origins = np.asarray(series, dtype=float), np.asarray(origins)
    table = {}
    for name, forecast in forecasts.items():
        forecast = np.asarray(forecast, dtype=float)
        horizon = forecast.shape[1]
        if len(forecast) != len(origins) or origins.max() + horizon >= len(series):
            raise ValueError("one row per origin, inside the series")
        errors = series[origins[:, None] + np.arange(1, horizon + 1)] - forecast
        table[name] = {"mae": [float(np.abs(errors).mean())] * horizon,
                       "rmse": [float(np.sqrt((errors ** 2).mean()))] * horizon}
    return table
''',
    "averages_over_horizons": '''
def errors_by_horizon(series, origins, forecasts):
    # Bug: averages along the wrong axis: one error per forecast row instead of one per horizon.
    series, origins = np.asarray(series, dtype=float), np.asarray(origins)
    table = {}
    for name, forecast in forecasts.items():
        forecast = np.asarray(forecast, dtype=float)
        horizon = forecast.shape[1]
        if len(forecast) != len(origins) or origins.max() + horizon >= len(series):
            raise ValueError("one row per origin, inside the series")
        errors = series[origins[:, None] + np.arange(1, horizon + 1)] - forecast
        table[name] = {"mae": np.abs(errors).mean(axis=1).tolist(), "rmse": np.sqrt((errors ** 2).mean(axis=1)).tolist()}
    return table
''',
    "row_index_as_origin": '''
def errors_by_horizon(series, origins, forecasts):
    # Bug: assumes the origins are consecutive from the first one, so row i is scored after origins[0] + i.
    series, origins = np.asarray(series, dtype=float), np.asarray(origins)
    table = {}
    for name, forecast in forecasts.items():
        forecast = np.asarray(forecast, dtype=float)
        horizon = forecast.shape[1]
        if len(forecast) != len(origins) or origins.max() + horizon >= len(series):
            raise ValueError("one row per origin, inside the series")
        rows = origins[0] + np.arange(len(origins))
        errors = series[rows[:, None] + np.arange(1, horizon + 1)] - forecast
        table[name] = {"mae": np.abs(errors).mean(axis=0).tolist(), "rmse": np.sqrt((errors ** 2).mean(axis=0)).tolist()}
    return table
''',
    "rmse_without_root": '''
def errors_by_horizon(series, origins, forecasts):
    # Bug: "rmse" is the mean squared error: the square root is missing.
    series, origins = np.asarray(series, dtype=float), np.asarray(origins)
    table = {}
    for name, forecast in forecasts.items():
        forecast = np.asarray(forecast, dtype=float)
        horizon = forecast.shape[1]
        if len(forecast) != len(origins) or origins.max() + horizon >= len(series):
            raise ValueError("one row per origin, inside the series")
        errors = series[origins[:, None] + np.arange(1, horizon + 1)] - forecast
        table[name] = {"mae": np.abs(errors).mean(axis=0).tolist(), "rmse": (errors ** 2).mean(axis=0).tolist()}
    return table
''',
    "no_range_checks": '''
def errors_by_horizon(series, origins, forecasts):
    # Bug: no checks: a forecast past the end fails with IndexError and too few rows broadcast silently.
    series, origins = np.asarray(series, dtype=float), np.asarray(origins)
    table = {}
    for name, forecast in forecasts.items():
        forecast = np.asarray(forecast, dtype=float)
        errors = series[origins[:, None] + np.arange(1, forecast.shape[1] + 1)] - forecast
        table[name] = {"mae": np.abs(errors).mean(axis=0).tolist(), "rmse": np.sqrt((errors ** 2).mean(axis=0)).tolist()}
    return table
''',
}

# answer grade_id -> {variant name: source}
_SOURCES = {
    "build_step_model": BUILD_STEP_MODEL,
    "generate": GENERATE,
    "recursive_forecast": RECURSIVE_FORECAST,
    "errors_by_horizon": ERRORS_BY_HORIZON,
}
GRADED_FUNCTIONS = tuple(_SOURCES)
VARIANTS = variants_from_bug_comments(_SOURCES)

# The test cells that check each function (grade ids start with these prefixes).
TEST_PREFIXES = {
    "build_step_model": "test_step_model_",
    "generate": "test_generate_",
    "recursive_forecast": "test_recursive_",
    "errors_by_horizon": "test_horizon_errors_",
}


def grade_ids_checking(function: str, grade_ids) -> list[str]:
    """The grade_ids of the test cells that check ``function``."""
    return grade_ids_with_prefix(TEST_PREFIXES, function, grade_ids)


def submissions_for_variants() -> dict[str, dict[str, Variant]]:
    return pack_variants(VARIANTS, GRADED_FUNCTIONS)


# ---- correct answers written another way -------------------------------------------------------------------
CORRECT_ALTERNATIVES = {
    # An RNN layer around an LSTMCell, a Softmax layer, weights copied layer by layer; Python loops elsewhere.
    "cell_layer_and_loops": {
        "build_step_model": '''
def build_step_model(weights):
    embedding_weights, kernel, recurrent_kernel, bias, dense_kernel, dense_bias = weights
    units = len(recurrent_kernel)
    characters = keras.Input(shape=(1,), dtype="int32")
    state_h = keras.Input(shape=(units,))
    state_c = keras.Input(shape=(units,))
    embedding = keras.layers.Embedding(len(embedding_weights), len(embedding_weights[0]))
    recurrent = keras.layers.RNN(keras.layers.LSTMCell(units), return_state=True)
    dense = keras.layers.Dense(len(dense_bias))
    sequence_output, h, c = recurrent(embedding(characters), initial_state=[state_h, state_c])
    probabilities = keras.layers.Softmax()(dense(sequence_output))
    embedding.set_weights([embedding_weights])
    recurrent.set_weights([kernel, recurrent_kernel, bias])
    dense.set_weights([dense_kernel, dense_bias])
    return keras.Model(inputs=[characters, state_h, state_c], outputs=[probabilities, h, c])
''',
        "generate": '''
def generate(step, prime, state, count, temperature, uniforms):
    if not prime:
        raise ValueError("empty prime: give at least one character to read")
    if count < 1 or len(uniforms) != count:
        raise ValueError("count must be >= 1, with exactly one uniform number per character")
    position, drawn = 0, []
    probabilities = None
    while position < len(prime):
        probabilities, state = step(prime[position], state)
        position += 1
    while True:
        drawn.append(sample_with_temperature(probabilities, temperature, uniforms[len(drawn)]))
        if len(drawn) == count:
            return drawn
        probabilities, state = step(drawn[-1], state)
''',
        "recursive_forecast": '''
def recursive_forecast(one_step, windows, horizon):
    if horizon < 1:
        raise ValueError("horizon must be 1 or more")
    windows = np.asarray(windows, dtype=float)
    count, input_steps = windows.shape
    history = np.zeros((count, input_steps + horizon))  # the windows, then the forecasts, in one buffer
    history[:, :input_steps] = windows
    for step_ahead in range(horizon):
        history[:, input_steps + step_ahead] = one_step(history[:, step_ahead:step_ahead + input_steps])
    return history[:, input_steps:]
''',
        "errors_by_horizon": '''
def errors_by_horizon(series, origins, forecasts):
    table = {}
    for name in forecasts:
        rows = [list(map(float, row)) for row in forecasts[name]]
        if len(rows) != len(origins):
            raise ValueError(f"{name}: {len(rows)} rows for {len(origins)} origins")
        horizon = len(rows[0])
        mae, rmse = [], []
        for step_ahead in range(1, horizon + 1):
            absolute, squared = 0.0, 0.0
            for origin, row in zip(origins, rows):
                if origin < 0 or origin + step_ahead >= len(series):
                    raise ValueError(f"origin {origin} + {step_ahead} is outside the series")
                error = float(series[origin + step_ahead]) - row[step_ahead - 1]
                absolute += abs(error)
                squared += error * error
            mae.append(absolute / len(rows))
            rmse.append((squared / len(rows)) ** 0.5)
        table[name] = {"mae": mae, "rmse": rmse}
    return table
''',
    },
    # Sizes read from other arrays, an unrolled LSTM and an Activation layer; one loop over all calls;
    # a list of columns; fancy indexing with np.add.outer.
    "activation_layer_and_indexing": {
        "build_step_model": '''
def build_step_model(weights):
    units = np.shape(weights[1])[1] // 4  # the kernel is (E, 4u)
    vocabulary_size = np.shape(weights[-1])[0]
    embedding_size = np.shape(weights[1])[0]
    character_input = keras.Input(shape=(1,), dtype="int32", name="character")
    hidden_input = keras.Input(shape=(units,), name="hidden")
    cell_input = keras.Input(shape=(units,), name="cell")
    vectors = keras.layers.Embedding(vocabulary_size, embedding_size)(character_input)
    last, hidden, cell = keras.layers.LSTM(units, return_state=True, unroll=True)(
        vectors, initial_state=[hidden_input, cell_input])
    scores = keras.layers.Dense(vocabulary_size)(last)
    model = keras.Model([character_input, hidden_input, cell_input],
                        [keras.layers.Activation("softmax")(scores), hidden, cell])
    model.set_weights(list(weights))
    return model
''',
        "generate": '''
def generate(step, prime, state, count, temperature, uniforms):
    prime, uniforms = list(prime), list(uniforms)
    if len(prime) < 1 or count < 1 or len(uniforms) != count:
        raise ValueError(f"need a prime (got {len(prime)} ids), count >= 1 (got {count}) and {count} uniforms "
                         f"(got {len(uniforms)})")
    generated = []
    for position in range(len(prime) + count - 1):
        character = prime[position] if position < len(prime) else generated[position - len(prime)]
        probabilities, state = step(character, state)
        if position >= len(prime) - 1:
            generated.append(sample_with_temperature(probabilities, temperature, uniforms[len(generated)]))
    return [int(character) for character in generated]
''',
        "recursive_forecast": '''
def recursive_forecast(one_step, windows, horizon):
    if not horizon >= 1:
        raise ValueError(f"horizon {horizon}: forecast at least one step")
    window = np.copy(np.asarray(windows, dtype=np.float64))
    columns = []
    while len(columns) < horizon:
        columns.append(np.ravel(one_step(window)))
        window = np.hstack([window[:, 1:], columns[-1][:, None]])
    return np.stack(columns, axis=1)
''',
        "errors_by_horizon": '''
def errors_by_horizon(series, origins, forecasts):
    values = np.asarray(series, dtype=np.float64)
    starts = np.asarray(origins).astype(np.int64)
    results = {}
    for name, forecast in forecasts.items():
        predicted = np.asarray(forecast, dtype=np.float64)
        if predicted.shape[0] != starts.shape[0]:
            raise ValueError(f"{name}: {predicted.shape[0]} rows but {starts.shape[0]} origins")
        targets = np.add.outer(starts, np.arange(1, predicted.shape[1] + 1))
        if targets.min() < 1 or targets.max() > len(values) - 1:
            raise ValueError(f"{name} reaches past the end of a series of {len(values)} values")
        difference = predicted - values[targets]
        results[name] = {"mae": [float(x) for x in np.mean(np.abs(difference), axis=0)],
                         "rmse": [float(x) for x in np.linalg.norm(difference, axis=0) / np.sqrt(len(starts))]}
    return results
''',
    },
    # The full model's own layers rebuilt from their configs; a generator-style loop; np.roll on a copy;
    # errors by column with zip.
    "layer_configs_and_roll": {
        "build_step_model": '''
def build_step_model(weights):
    weights = [np.asarray(weight, dtype="float32") for weight in weights]
    vocabulary_size, embedding_size = weights[0].shape
    units = weights[2].shape[0]
    inputs = [keras.Input(shape=(1,), dtype="int32"), keras.Input(shape=(units,)), keras.Input(shape=(units,))]
    lstm = keras.layers.LSTM(units=units, return_sequences=False, return_state=True)
    x = keras.layers.Embedding(input_dim=vocabulary_size, output_dim=embedding_size)(inputs[0])
    states = lstm(x, initial_state=inputs[1:])
    next_character = keras.layers.Dense(units=vocabulary_size, activation="softmax")(states[0])
    model = keras.Model(inputs=inputs, outputs=[next_character, states[1], states[2]])
    with_weights = [layer for layer in model.layers if layer.weights]  # embedding, LSTM, dense, in call order
    for layer, (first, last) in zip(with_weights, ((0, 1), (1, 4), (4, 6))):
        layer.set_weights(weights[first:last])
    return model
''',
        "generate": '''
def generate(step, prime, state, count, temperature, uniforms):
    if len(prime) == 0:
        raise ValueError("prime is empty")
    if count <= 0:
        raise ValueError("count must be positive")
    if len(uniforms) != count:
        raise ValueError("one uniform number per generated character, please")

    def read(characters, state):
        probabilities = None
        for character in characters:
            probabilities, state = step(character, state)
        return probabilities, state

    probabilities, state = read(prime, state)
    text = [sample_with_temperature(probabilities, temperature, uniforms[0])]
    for uniform in uniforms[1:]:
        probabilities, state = read(text[-1:], state)
        text.append(sample_with_temperature(probabilities, temperature, uniform))
    return text
''',
        "recursive_forecast": '''
def recursive_forecast(one_step, windows, horizon):
    if horizon <= 0:
        raise ValueError("horizon must be positive")
    window = np.array(windows, dtype=float, copy=True)
    forecasts = []
    for _ in range(horizon):
        forecast = np.asarray(one_step(window), dtype=float).reshape(len(window))
        forecasts.append(forecast)
        window = np.roll(window, -1, axis=1)  # the oldest value moves to the end ...
        window[:, -1] = forecast  # ... where the forecast replaces it
    return np.array(forecasts).T
''',
        "errors_by_horizon": '''
def errors_by_horizon(series, origins, forecasts):
    series = np.asarray(series, dtype=float)
    table = {}
    for name, forecast in forecasts.items():
        forecast = np.atleast_2d(np.asarray(forecast, dtype=float))
        if forecast.shape[0] != len(origins):
            raise ValueError("forecast rows and origins differ in number")
        if max(origins) + forecast.shape[1] > len(series) - 1:
            raise ValueError("the forecast runs past the end of the series")
        columns = zip(*[series[origin + 1:origin + 1 + forecast.shape[1]] for origin in origins])
        mae, rmse = [], []
        for truth, predicted in zip(columns, forecast.T):
            error = np.array(truth) - predicted
            mae.append(float(np.abs(error).mean()))
            rmse.append(float(np.sqrt(np.square(error).mean())))
        table[name] = {"mae": mae, "rmse": rmse}
    return table
''',
    },
}

# ---- answers that only import the course package ----------------------------------------------------------
# rnncourse.series is off-limits (declared in the setup cell's GRADED); the others hold nothing graded.
_IMPORTS = "from rnncourse.series import *\nfrom rnncourse import *\nfrom rnncourse.data.text import *\n"
COURSE_IMPORT = {answer: _IMPORTS for answer in GRADED_FUNCTIONS}
COURSE_IMPORT_POINTS = 0  # nothing the student wrote

# ---- answers pasted from lessons 03 and 04, adapted as little as a student would ------------------------------
COURSE_COPY = {
    # Lesson 03's build_language_model with the given weights: a full-sequence model, not a step model.
    "build_step_model": '''
def build_step_model(weights):
    vocabulary_size, embedding_size = np.shape(weights[0])
    model = keras.Sequential([
        keras.Input(shape=(None,), dtype="int32"),
        keras.layers.Embedding(vocabulary_size, embedding_size, mask_zero=True),
        keras.layers.LSTM(np.shape(weights[2])[0], return_sequences=True, unroll=True),
        keras.layers.Dense(vocabulary_size),
    ])
    model.set_weights(weights)
    return model
''',
    # Lesson 03's sample_words: re-run the model over the whole text for each character, a seeded generator.
    "generate": '''
def generate(step, prime, state, count, temperature, uniforms):
    generator = np.random.default_rng(0)
    sequence = list(prime)
    for _ in range(count):
        current = state
        for character in sequence:
            probabilities, current = step(character, current)
        logits = np.log(np.asarray(probabilities) + 1e-12) / temperature
        probabilities = np.exp(logits - logits.max())
        probabilities /= probabilities.sum()
        sequence.append(int(generator.choice(len(probabilities), p=probabilities)))
    return sequence[len(prime):]
''',
    # Lesson 04 forecasts every horizon from the same window (a direct model's outputs).
    "recursive_forecast": '''
def recursive_forecast(one_step, windows, horizon):
    forecasts = np.asarray(one_step(windows), dtype=float)
    return np.repeat(forecasts[:, None], horizon, axis=1)
''',
    # Lesson 04's table loop: truth at origins + horizons, one error per horizon column.
    "errors_by_horizon": '''
def errors_by_horizon(series, origins, forecasts):
    horizons = np.arange(1, np.shape(next(iter(forecasts.values())))[1] + 1)
    test_times = np.asarray(origins)[:, None] + horizons
    test_truth = np.asarray(series)[test_times]
    table = {}
    for model_name, forecast in forecasts.items():
        forecast = np.asarray(forecast, dtype=float)
        table[model_name] = {
            "mae": [float(np.mean(np.abs(test_truth[:, column] - forecast[:, column]))) for column in range(len(horizons))],
            "rmse": [float(np.sqrt(np.mean((test_truth[:, column] - forecast[:, column]) ** 2)))
                     for column in range(len(horizons))],
        }
    return table
''',
}
