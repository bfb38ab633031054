"""Instructor-only references for assignment A1 ("cells and their gradients").

The hidden tests of solutions/a1_cells import this module in the judge (grading/judge.py); no student kernel
can import it and the student bundle leaves it out. Everything here is independent of the student's answers:

- ``lstm_cell_backward`` and ``lstm_bptt``: the analytic gradients, in NumPy (expected values of hidden tests);
- ``keras_lstm_gradients``: the same gradients taken by the Keras backend's own automatic differentiation
  through ``keras.layers.LSTM`` with copied weights (TensorFlow, JAX or PyTorch backend), remembered per
  judge process, because every student's hidden tests ask for the same cases;
- ``keras_gru_to_pytorch`` and ``pytorch_gru_forward``: PyTorch's GRU layout (gate order r, z, n) built from
  a Keras GRU's weights, and PyTorch's GRU equations in NumPy, so that the loading test needs no torch;
- the "predict the number" values, each computed from its definition.
"""
import hashlib
import math

import numpy as np

# "Predict the number": Embedding(1000, 16) -> LSTM(32, return_sequences=True) -> GRU(24) -> Dense(5).
STACK = {"vocabulary": 1000, "embedding": 16, "lstm_units": 32, "gru_units": 24, "classes": 5}
KEPT_FRACTION, KEPT_STEPS = 0.9, 100      # a constant forget gate that keeps 90 % after 100 steps
GRADIENT_FORGET_GATE, GRADIENT_FLOOR = 0.9, 0.01  # steps until f ** steps drops below 1 %


def sigmoid(values):
    return 0.5 * (1.0 + np.tanh(0.5 * np.asarray(values, dtype="float64")))


# ---------------------------------------------------------------------------------------------------------
# LSTM gradients, analytic (Keras layout: gate blocks i, f, c, o)

def _lstm_step(x, h_prev, c_prev, kernel, recurrent_kernel, bias):
    units = h_prev.shape[-1]
    z = x @ kernel + h_prev @ recurrent_kernel + bias
    i, f = sigmoid(z[:, :units]), sigmoid(z[:, units:2 * units])
    g, o = np.tanh(z[:, 2 * units:3 * units]), sigmoid(z[:, 3 * units:])
    c = f * c_prev + i * g
    return o * np.tanh(c), c, (i, f, g, o)


def lstm_cell_backward(dh, dc, x, h_prev, c_prev, kernel, recurrent_kernel, bias):
    """Gradients of sum(dh * h) + sum(dc * c) for one step; a dict keyed like the assignment's answer."""
    arrays = [np.asarray(value, dtype="float64") for value in (dh, dc, x, h_prev, c_prev, kernel, recurrent_kernel, bias)]
    dh, dc, x, h_prev, c_prev, kernel, recurrent_kernel, bias = arrays
    _, c, (i, f, g, o) = _lstm_step(x, h_prev, c_prev, kernel, recurrent_kernel, bias)
    tanh_c = np.tanh(c)
    dc_total = dc + dh * o * (1.0 - tanh_c ** 2)
    dz = np.concatenate([dc_total * g * i * (1.0 - i), dc_total * c_prev * f * (1.0 - f),
                         dc_total * i * (1.0 - g ** 2), dh * tanh_c * o * (1.0 - o)], axis=-1)
    return {"x": dz @ kernel.T, "h_prev": dz @ recurrent_kernel.T, "c_prev": dc_total * f,
            "kernel": x.T @ dz, "recurrent_kernel": h_prev.T @ dz, "bias": dz.sum(axis=0)}


def lstm_bptt(output_gradients, inputs, initial_h, initial_c, kernel, recurrent_kernel, bias):
    """Gradients of sum(output_gradients * h_sequence) through the whole sequence (backpropagation through time)."""
    output_gradients, inputs = np.asarray(output_gradients, "float64"), np.asarray(inputs, "float64")
    h, c = np.asarray(initial_h, "float64"), np.asarray(initial_c, "float64")
    weights = [np.asarray(value, "float64") for value in (kernel, recurrent_kernel, bias)]
    states = []
    for step in range(inputs.shape[1]):
        states.append((h, c))
        h, c, _ = _lstm_step(inputs[:, step], h, c, *weights)
    totals = {name: np.zeros_like(value) for name, value in zip(("kernel", "recurrent_kernel", "bias"), weights)}
    input_gradients = np.zeros_like(inputs)
    dh, dc = np.zeros_like(h), np.zeros_like(c)
    for step in reversed(range(inputs.shape[1])):
        h_prev, c_prev = states[step]
        step_gradients = lstm_cell_backward(dh + output_gradients[:, step], dc, inputs[:, step], h_prev, c_prev, *weights)
        for name in totals:
            totals[name] += step_gradients[name]
        input_gradients[:, step] = step_gradients["x"]
        dh, dc = step_gradients["h_prev"], step_gradients["c_prev"]
    return {"inputs": input_gradients, "initial_h": dh, "initial_c": dc, **totals}


# ---------------------------------------------------------------------------------------------------------
# The same gradients from the Keras backend's automatic differentiation

GRADIENT_NAMES = ("inputs", "initial_h", "initial_c", "kernel", "recurrent_kernel", "bias")


def _allow_float64() -> None:
    """JAX computes in float32 unless 64-bit mode is on, and the float64 references below need it (the judge's
    process only; a student's kernel is never touched)."""
    import keras

    if keras.backend.backend() == "jax":
        import jax

        jax.config.update("jax_enable_x64", True)


_REMEMBERED_GRADIENTS = {}


def _digest(arrays) -> str:
    """One key for a list of arrays (or None): their shapes and float64 bytes."""
    digest = hashlib.sha256()
    for array in arrays:
        array = None if array is None else np.ascontiguousarray(array, "float64")
        digest.update(repr(None if array is None else array.shape).encode())
        digest.update(b"" if array is None else array.tobytes())
    return digest.hexdigest()


def keras_lstm_gradients(output_gradients, inputs, initial_h, initial_c, kernel, recurrent_kernel, bias,
                         final_cell_gradient=None):
    """Gradients of sum(output_gradients * h_sequence) + sum(final_cell_gradient * c_last) taken by the backend
    through ``keras.layers.LSTM`` (float64) with the given weights. Returns a dict keyed by GRADIENT_NAMES.

    The judge grades a whole shard in one process, and building a Keras layer and its gradient for each of a
    hundred students costs more than grading them; the result depends only on the arrays, so it is kept."""
    import keras

    arguments = (output_gradients, inputs, initial_h, initial_c, kernel, recurrent_kernel, bias, final_cell_gradient)
    key = keras.backend.backend() + _digest(arguments)
    if key not in _REMEMBERED_GRADIENTS:
        _REMEMBERED_GRADIENTS[key] = _keras_lstm_gradients(*arguments)
    return {name: np.array(value) for name, value in _REMEMBERED_GRADIENTS[key].items()}  # copies: tests may write


def _keras_lstm_gradients(output_gradients, inputs, initial_h, initial_c, kernel, recurrent_kernel, bias,
                          final_cell_gradient):
    import keras

    _allow_float64()
    inputs = np.asarray(inputs, "float64")
    units = np.shape(recurrent_kernel)[0]
    layer = keras.layers.LSTM(units, return_sequences=True, return_state=True, dtype="float64")
    layer.build((None, inputs.shape[1], inputs.shape[2]))
    layer.set_weights([np.asarray(value, "float64") for value in (kernel, recurrent_kernel, bias)])
    output_gradients = np.asarray(output_gradients, "float64")
    final_cell_gradient = np.zeros((inputs.shape[0], units)) if final_cell_gradient is None else final_cell_gradient
    final_cell_gradient = np.asarray(final_cell_gradient, "float64")
    initial = [np.asarray(initial_h, "float64"), np.asarray(initial_c, "float64")]
    backend = keras.backend.backend()
    if backend not in _BACKEND_GRADIENTS:
        raise NotImplementedError(f"keras_lstm_gradients supports {sorted(_BACKEND_GRADIENTS)}; the active "
                                  f"Keras backend is {backend!r}. Set KERAS_BACKEND to one of them.")
    return _BACKEND_GRADIENTS[backend](layer, inputs, initial, output_gradients, final_cell_gradient)


def _weights_in_order(layer, values_by_path):
    """kernel, recurrent_kernel, bias in the order of layer.trainable_variables (matched by their names)."""
    names = [variable.path.split("/")[-1] for variable in layer.trainable_variables]
    return dict(zip(names, values_by_path))


def _tensorflow_gradients(layer, inputs, initial, output_gradients, final_cell_gradient):
    import tensorflow as tf

    watched = [tf.constant(inputs), tf.constant(initial[0]), tf.constant(initial[1])]
    with tf.GradientTape() as tape:
        tape.watch(watched)
        sequence, _, last_c = layer(watched[0], initial_state=[watched[1], watched[2]])
        loss = tf.reduce_sum(sequence * output_gradients) + tf.reduce_sum(last_c * final_cell_gradient)
    gradients = tape.gradient(loss, watched + list(layer.trainable_variables))
    arrays = [np.asarray(gradient, "float64") for gradient in gradients]
    return {"inputs": arrays[0], "initial_h": arrays[1], "initial_c": arrays[2], **_weights_in_order(layer, arrays[3:])}


def _jax_gradients(layer, inputs, initial, output_gradients, final_cell_gradient):
    import jax

    def loss(trainable, inputs, initial_h, initial_c):
        (sequence, _, last_c), _ = layer.stateless_call(trainable, fixed, inputs, initial_state=[initial_h, initial_c])
        return (sequence * output_gradients).sum() + (last_c * final_cell_gradient).sum()

    trainable = [variable.value for variable in layer.trainable_variables]
    fixed = [variable.value for variable in layer.non_trainable_variables]  # the dropout seed's state
    gradients = jax.grad(loss, argnums=(0, 1, 2, 3))(trainable, inputs, *initial)
    arrays = [np.asarray(gradient, "float64") for gradient in gradients[1:]]
    weights = [np.asarray(gradient, "float64") for gradient in gradients[0]]
    return {"inputs": arrays[0], "initial_h": arrays[1], "initial_c": arrays[2], **_weights_in_order(layer, weights)}


def _torch_gradients(layer, inputs, initial, output_gradients, final_cell_gradient):
    import torch

    leaves = [torch.tensor(value, dtype=torch.float64, requires_grad=True) for value in (inputs, *initial)]
    trainable = [variable.value.detach().clone().requires_grad_(True) for variable in layer.trainable_variables]
    fixed = [variable.value for variable in layer.non_trainable_variables]  # the dropout seed's state
    (sequence, _, last_c), _ = layer.stateless_call(trainable, fixed, leaves[0], initial_state=leaves[1:])
    loss = (sequence * torch.from_numpy(output_gradients)).sum() + (last_c * torch.from_numpy(final_cell_gradient)).sum()
    gradients = torch.autograd.grad(loss, leaves + trainable)
    arrays = [gradient.detach().cpu().numpy().astype("float64") for gradient in gradients]
    return {"inputs": arrays[0], "initial_h": arrays[1], "initial_c": arrays[2], **_weights_in_order(layer, arrays[3:])}


_BACKEND_GRADIENTS = {"tensorflow": _tensorflow_gradients, "jax": _jax_gradients, "torch": _torch_gradients}


# ---------------------------------------------------------------------------------------------------------
# GRU layouts: Keras reset_after=True (blocks z, r, h) and PyTorch (blocks r, z, n)

def keras_gru_to_pytorch(kernel, recurrent_kernel, bias):
    """The inverse of the assignment's loader: Keras (kernel, recurrent_kernel, bias (2, 3n)) to PyTorch's
    dict of weight_ih (3n, in), weight_hh (3n, n), bias_ih (3n,), bias_hh (3n,)."""
    def to_pytorch_order(columns):
        update, reset, candidate = np.split(np.asarray(columns, "float64"), 3, axis=-1)
        return np.concatenate([reset, update, candidate], axis=-1)

    bias = np.asarray(bias, "float64")
    return {"weight_ih": to_pytorch_order(kernel).T.copy(), "weight_hh": to_pytorch_order(recurrent_kernel).T.copy(),
            "bias_ih": to_pytorch_order(bias[0]), "bias_hh": to_pytorch_order(bias[1])}


def pytorch_gru_forward(inputs, weight_ih, weight_hh, bias_ih, bias_hh, initial_h=None):
    """torch.nn.GRU's equations (batch_first) in NumPy; returns the sequence of h, (batch, steps, units)."""
    inputs = np.asarray(inputs, "float64")
    units = np.shape(weight_hh)[1]
    h = np.zeros((inputs.shape[0], units)) if initial_h is None else np.asarray(initial_h, "float64")
    sequence = []
    for step in range(inputs.shape[1]):
        input_reset, input_update, input_new = np.split(inputs[:, step] @ np.asarray(weight_ih).T + bias_ih, 3, axis=-1)
        hidden_reset, hidden_update, hidden_new = np.split(h @ np.asarray(weight_hh).T + bias_hh, 3, axis=-1)
        reset, update = sigmoid(input_reset + hidden_reset), sigmoid(input_update + hidden_update)
        new = np.tanh(input_new + reset * hidden_new)
        h = (1.0 - update) * new + update * h
        sequence.append(h)
    return np.stack(sequence, axis=1)


def keras_gru_sequence(inputs, kernel, recurrent_kernel, bias, initial_h=None):
    """keras.layers.GRU (reset_after=True, float64) with the given weights; the sequence of h."""
    import keras

    _allow_float64()
    inputs = np.asarray(inputs, "float64")
    layer = keras.layers.GRU(np.shape(recurrent_kernel)[0], return_sequences=True, dtype="float64")
    layer.build((None, inputs.shape[1], inputs.shape[2]))
    layer.set_weights([np.asarray(value, "float64") for value in (kernel, recurrent_kernel, bias)])
    state = None if initial_h is None else [np.asarray(initial_h, "float64")]
    return keras.ops.convert_to_numpy(layer(inputs, initial_state=state)).astype("float64")


# ---------------------------------------------------------------------------------------------------------
# "Predict the number", each from its definition

def stack_parameter_count() -> int:
    """Built and counted by Keras itself, not by a formula."""
    import keras

    model = keras.Sequential([
        keras.Input((None,), dtype="int32"),
        keras.layers.Embedding(STACK["vocabulary"], STACK["embedding"]),
        keras.layers.LSTM(STACK["lstm_units"], return_sequences=True),
        keras.layers.GRU(STACK["gru_units"]),
        keras.layers.Dense(STACK["classes"]),
    ])
    return int(model.count_params())


def forget_gate_for_90_percent() -> float:
    return KEPT_FRACTION ** (1.0 / KEPT_STEPS)


def forget_bias_for_90_percent() -> float:
    gate = forget_gate_for_90_percent()
    return math.log(gate / (1.0 - gate))


def steps_until_one_percent() -> int:
    """The first number of steps at which 0.9 ** steps is below 1 % (found by counting, not by logarithms)."""
    steps, remaining = 0, 1.0
    while remaining >= GRADIENT_FLOOR:
        steps, remaining = steps + 1, remaining * GRADIENT_FORGET_GATE
    return steps
