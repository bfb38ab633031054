"""Instructor-only references for assignment A4 ("write and forecast"), used by its hidden tests in the judge.

No student kernel can import this module and the student bundle leaves it out. Each reference is written
independently of the model answer (the LSTM step is plain NumPy, not Keras), so that a hidden test compares
the student's answer with a second implementation rather than with a copy of the first.
"""
import numpy as np


def _sigmoid(values):
    return 1.0 / (1.0 + np.exp(-values))


def lstm_step(weights, characters, hidden, cell):
    """One step of the character model ``Embedding -> LSTM -> Dense`` in Keras's weight layout, in NumPy.

    weights: [embedding (V, E), kernel (E, 4u), recurrent kernel (u, 4u), bias (4u,), dense kernel (u, V),
    dense bias (V,)], Keras's gate order i, f, c, o. characters: (batch,) ids; hidden, cell: (batch, u).
    Returns (probabilities (batch, V), new hidden, new cell), all float64.
    """
    embedding, kernel, recurrent_kernel, bias, dense_kernel, dense_bias = (np.asarray(w, dtype=np.float64)
                                                                         for w in weights)
    units = recurrent_kernel.shape[0]
    inputs = embedding[np.asarray(characters, dtype=int).reshape(-1)]
    hidden, cell = np.asarray(hidden, dtype=np.float64), np.asarray(cell, dtype=np.float64)
    gates = inputs @ kernel + hidden @ recurrent_kernel + bias
    input_gate, forget_gate = _sigmoid(gates[:, :units]), _sigmoid(gates[:, units:2 * units])
    candidate, output_gate = np.tanh(gates[:, 2 * units:3 * units]), _sigmoid(gates[:, 3 * units:])
    cell = forget_gate * cell + input_gate * candidate
    hidden = output_gate * np.tanh(cell)
    logits = hidden @ dense_kernel + dense_bias
    exponentials = np.exp(logits - logits.max(axis=1, keepdims=True))
    return exponentials / exponentials.sum(axis=1, keepdims=True), hidden, cell


def lstm_step_function(weights):
    """A generation step ``step(character, [hidden, cell]) -> (probabilities, [hidden, cell])`` for one sequence."""
    def step(character, state):
        probabilities, hidden, cell = lstm_step(weights, [character], state[0][None, :], state[1][None, :])
        return probabilities[0], [hidden[0], cell[0]]

    return step


def generate(step, prime, state, count, temperature, uniforms, sample):
    """Read ``prime`` through ``step``, then draw ``count`` characters, each with the next uniform number."""
    generated = []
    for position in range(len(prime) + count - 1):
        character = prime[position] if position < len(prime) else generated[-1]
        probabilities, state = step(character, state)
        if position >= len(prime) - 1:
            generated.append(sample(probabilities, temperature, uniforms[len(generated)]))
    return generated


def recursive_forecast(one_step, windows, horizon):
    """Roll a one-step forecaster out ``horizon`` steps, feeding each forecast back as the newest input."""
    history = np.array(windows, dtype=np.float64)
    input_steps = history.shape[1]
    for _ in range(horizon):
        history = np.column_stack([history, np.asarray(one_step(history[:, -input_steps:]), dtype=np.float64)])
    return history[:, input_steps:]


def errors_by_horizon(series, origins, forecasts):
    """{name: {"mae": [...], "rmse": [...]}}: forecasts[name][i, h - 1] is scored against series[origins[i] + h]."""
    series = np.asarray(series, dtype=np.float64)
    table = {}
    for name, forecast in forecasts.items():
        forecast = np.asarray(forecast, dtype=np.float64)
        horizon = forecast.shape[1]
        mae, rmse = [], []
        for step_ahead in range(1, horizon + 1):
            truth = np.array([series[origin + step_ahead] for origin in origins])
            error = truth - forecast[:, step_ahead - 1]
            mae.append(float(np.mean(np.abs(error))))
            rmse.append(float(np.sqrt(np.mean(error ** 2))))
        table[name] = {"mae": mae, "rmse": rmse}
    return table
