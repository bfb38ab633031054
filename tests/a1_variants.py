"""Realistic buggy answers for assignment A1 ("implement the cells"), to test the tests.

Each variant is the complete source of one answer cell (keyed by the cell's grade_id) with one mistake that
students really make. ``tests/test_a1_cells.py`` autogrades them with the real nbgrader and checks that every
variant loses points in the tests of its own function. The other answer cells of a variant's submission hold
the reference solution, taken from the source notebook, so that a lost point is the variant's fault.
"""
from tests.assignment_support import Variant, grade_ids_with_prefix


def _variant(function, name, mistake, source):
    return Variant(function, name, mistake, source.strip("\n"))


SIGMOID_VARIANTS = [
    _variant("sigmoid", "naive_overflow", "the textbook formula: np.exp(-x) overflows for x << 0", '''
def sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))
'''),
    _variant("sigmoid", "where_evaluates_both_branches", "np.where computes both branches, so exp(x) still overflows", '''
def sigmoid(x):
    x = np.asarray(x, dtype=float)
    return np.where(x >= 0, 1.0 / (1.0 + np.exp(-x)), np.exp(x) / (1.0 + np.exp(x)))
'''),
    _variant("sigmoid", "tanh_instead", "tanh used as if it were the logistic sigmoid", '''
def sigmoid(x):
    return np.tanh(x)
'''),
    _variant("sigmoid", "sign_error", "exp(x) instead of exp(-x): computes sigmoid(-x)", '''
def sigmoid(x):
    x = np.asarray(x, dtype=float)
    small = np.exp(-np.abs(x))
    return np.where(x >= 0, small / (1.0 + small), 1.0 / (1.0 + small))
'''),
    _variant("sigmoid", "clipped_too_tightly", "input clipped to [-10, 10] to dodge the overflow", '''
def sigmoid(x):
    return 1.0 / (1.0 + np.exp(-np.clip(x, -10.0, 10.0)))
'''),
    _variant("sigmoid", "math_exp_scalar_only", "math.exp works on one number, not on arrays", '''
import math

def sigmoid(x):
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    return math.exp(x) / (1.0 + math.exp(x))
'''),
]

LSTM_CELL_VARIANTS = [
    _variant("lstm_cell_forward", "gate_order_ifoc", "gate blocks read as i, f, o, c (the paper's order), not Keras's i, f, c, o", '''
def lstm_cell_forward(x, h_prev, c_prev, kernel, recurrent_kernel, bias):
    z = x @ kernel + h_prev @ recurrent_kernel + bias
    z_i, z_f, z_o, z_c = np.split(z, 4, axis=-1)
    c = sigmoid(z_f) * c_prev + sigmoid(z_i) * np.tanh(z_c)
    return sigmoid(z_o) * np.tanh(c), c
'''),
    _variant("lstm_cell_forward", "missing_bias", "the bias is never added", '''
def lstm_cell_forward(x, h_prev, c_prev, kernel, recurrent_kernel, bias):
    z = x @ kernel + h_prev @ recurrent_kernel
    z_i, z_f, z_c, z_o = np.split(z, 4, axis=-1)
    c = sigmoid(z_f) * c_prev + sigmoid(z_i) * np.tanh(z_c)
    return sigmoid(z_o) * np.tanh(c), c
'''),
    _variant("lstm_cell_forward", "input_forget_swapped", "first two blocks swapped: f, i, c, o", '''
def lstm_cell_forward(x, h_prev, c_prev, kernel, recurrent_kernel, bias):
    z = x @ kernel + h_prev @ recurrent_kernel + bias
    z_f, z_i, z_c, z_o = np.split(z, 4, axis=-1)
    c = sigmoid(z_f) * c_prev + sigmoid(z_i) * np.tanh(z_c)
    return sigmoid(z_o) * np.tanh(c), c
'''),
    _variant("lstm_cell_forward", "no_recurrent_kernel", "h_prev @ recurrent_kernel forgotten", '''
def lstm_cell_forward(x, h_prev, c_prev, kernel, recurrent_kernel, bias):
    z = x @ kernel + bias
    z_i, z_f, z_c, z_o = np.split(z, 4, axis=-1)
    c = sigmoid(z_f) * c_prev + sigmoid(z_i) * np.tanh(z_c)
    return sigmoid(z_o) * np.tanh(c), c
'''),
    _variant("lstm_cell_forward", "returns_c_as_h", "returns (c, h) instead of (h, c)", '''
def lstm_cell_forward(x, h_prev, c_prev, kernel, recurrent_kernel, bias):
    z = x @ kernel + h_prev @ recurrent_kernel + bias
    z_i, z_f, z_c, z_o = np.split(z, 4, axis=-1)
    c = sigmoid(z_f) * c_prev + sigmoid(z_i) * np.tanh(z_c)
    h = sigmoid(z_o) * np.tanh(c)
    return c, h
'''),
    _variant("lstm_cell_forward", "no_tanh_on_cell", "h = o * c, without the tanh on the cell state", '''
def lstm_cell_forward(x, h_prev, c_prev, kernel, recurrent_kernel, bias):
    z = x @ kernel + h_prev @ recurrent_kernel + bias
    z_i, z_f, z_c, z_o = np.split(z, 4, axis=-1)
    c = sigmoid(z_f) * c_prev + sigmoid(z_i) * np.tanh(z_c)
    return sigmoid(z_o) * c, c
'''),
    _variant("lstm_cell_forward", "sigmoid_candidate", "the candidate squashed with sigmoid instead of tanh", '''
def lstm_cell_forward(x, h_prev, c_prev, kernel, recurrent_kernel, bias):
    z = x @ kernel + h_prev @ recurrent_kernel + bias
    z_i, z_f, z_c, z_o = np.split(z, 4, axis=-1)
    c = sigmoid(z_f) * c_prev + sigmoid(z_i) * sigmoid(z_c)
    return sigmoid(z_o) * np.tanh(c), c
'''),
    _variant("lstm_cell_forward", "naive_inline_sigmoid", "gates computed with an inline 1 / (1 + exp(-z)) that overflows", '''
def lstm_cell_forward(x, h_prev, c_prev, kernel, recurrent_kernel, bias):
    z = x @ kernel + h_prev @ recurrent_kernel + bias
    z_i, z_f, z_c, z_o = np.split(z, 4, axis=-1)
    gate = lambda value: 1.0 / (1.0 + np.exp(-value))
    c = gate(z_f) * c_prev + gate(z_i) * np.tanh(z_c)
    return gate(z_o) * np.tanh(c), c
'''),
]

LSTM_FORWARD_VARIANTS = [
    _variant("lstm_forward", "cell_state_not_carried", "c restarts from the initial state at every step", '''
def lstm_forward(inputs, kernel, recurrent_kernel, bias, initial_state=None, return_sequences=False):
    batch, steps = inputs.shape[0], inputs.shape[1]
    units = recurrent_kernel.shape[0]
    h, c0 = (np.zeros((batch, units)), np.zeros((batch, units))) if initial_state is None else initial_state
    every_h = []
    for step in range(steps):
        h, c = lstm_cell_forward(inputs[:, step, :], h, c0, kernel, recurrent_kernel, bias)
        every_h.append(h)
    return np.stack(every_h, axis=1) if return_sequences else h
'''),
    _variant("lstm_forward", "return_sequences_ignored", "always returns the last h", '''
def lstm_forward(inputs, kernel, recurrent_kernel, bias, initial_state=None, return_sequences=False):
    batch, steps = inputs.shape[0], inputs.shape[1]
    units = recurrent_kernel.shape[0]
    h, c = (np.zeros((batch, units)), np.zeros((batch, units))) if initial_state is None else initial_state
    for step in range(steps):
        h, c = lstm_cell_forward(inputs[:, step, :], h, c, kernel, recurrent_kernel, bias)
    return h
'''),
    _variant("lstm_forward", "initial_state_ignored", "always starts from zeros", '''
def lstm_forward(inputs, kernel, recurrent_kernel, bias, initial_state=None, return_sequences=False):
    batch, steps = inputs.shape[0], inputs.shape[1]
    units = recurrent_kernel.shape[0]
    h, c = np.zeros((batch, units)), np.zeros((batch, units))
    every_h = []
    for step in range(steps):
        h, c = lstm_cell_forward(inputs[:, step, :], h, c, kernel, recurrent_kernel, bias)
        every_h.append(h)
    return np.stack(every_h, axis=1) if return_sequences else h
'''),
    _variant("lstm_forward", "time_major_stack", "outputs stacked on axis 0: (steps, batch, units)", '''
def lstm_forward(inputs, kernel, recurrent_kernel, bias, initial_state=None, return_sequences=False):
    batch, steps = inputs.shape[0], inputs.shape[1]
    units = recurrent_kernel.shape[0]
    h, c = (np.zeros((batch, units)), np.zeros((batch, units))) if initial_state is None else initial_state
    every_h = []
    for step in range(steps):
        h, c = lstm_cell_forward(inputs[:, step, :], h, c, kernel, recurrent_kernel, bias)
        every_h.append(h)
    return np.stack(every_h) if return_sequences else h
'''),
    _variant("lstm_forward", "first_step_returned", "without return_sequences returns the first h, not the last", '''
def lstm_forward(inputs, kernel, recurrent_kernel, bias, initial_state=None, return_sequences=False):
    batch, steps = inputs.shape[0], inputs.shape[1]
    units = recurrent_kernel.shape[0]
    h, c = (np.zeros((batch, units)), np.zeros((batch, units))) if initial_state is None else initial_state
    every_h = []
    for step in range(steps):
        h, c = lstm_cell_forward(inputs[:, step, :], h, c, kernel, recurrent_kernel, bias)
        every_h.append(h)
    return np.stack(every_h, axis=1) if return_sequences else every_h[0]
'''),
    _variant("lstm_forward", "off_by_one_steps", "range(steps - 1) drops the last step", '''
def lstm_forward(inputs, kernel, recurrent_kernel, bias, initial_state=None, return_sequences=False):
    batch, steps = inputs.shape[0], inputs.shape[1]
    units = recurrent_kernel.shape[0]
    h, c = (np.zeros((batch, units)), np.zeros((batch, units))) if initial_state is None else initial_state
    every_h = [h]
    for step in range(steps - 1):
        h, c = lstm_cell_forward(inputs[:, step, :], h, c, kernel, recurrent_kernel, bias)
        every_h.append(h)
    return np.stack(every_h, axis=1) if return_sequences else h
'''),
    _variant("lstm_forward", "reversed_time", "walks the sequence backwards", '''
def lstm_forward(inputs, kernel, recurrent_kernel, bias, initial_state=None, return_sequences=False):
    batch, steps = inputs.shape[0], inputs.shape[1]
    units = recurrent_kernel.shape[0]
    h, c = (np.zeros((batch, units)), np.zeros((batch, units))) if initial_state is None else initial_state
    every_h = []
    for step in reversed(range(steps)):
        h, c = lstm_cell_forward(inputs[:, step, :], h, c, kernel, recurrent_kernel, bias)
        every_h.append(h)
    return np.stack(every_h, axis=1) if return_sequences else h
'''),
    _variant("lstm_forward", "hidden_state_not_carried", "h_prev stays the initial h at every step", '''
def lstm_forward(inputs, kernel, recurrent_kernel, bias, initial_state=None, return_sequences=False):
    batch, steps = inputs.shape[0], inputs.shape[1]
    units = recurrent_kernel.shape[0]
    h0, c = (np.zeros((batch, units)), np.zeros((batch, units))) if initial_state is None else initial_state
    every_h = []
    for step in range(steps):
        h, c = lstm_cell_forward(inputs[:, step, :], h0, c, kernel, recurrent_kernel, bias)
        every_h.append(h)
    return np.stack(every_h, axis=1) if return_sequences else h
'''),
]

GRU_CELL_VARIANTS = [
    _variant("gru_cell_forward", "reset_before_matmul", "the paper's reset_after=False form: r applied to h_prev before the product", '''
def gru_cell_forward(x, h_prev, kernel, recurrent_kernel, bias):
    units = h_prev.shape[-1]
    x_z, x_r, x_h = np.split(x @ kernel + bias[0], 3, axis=-1)
    u_z, u_r, _ = np.split(h_prev @ recurrent_kernel + bias[1], 3, axis=-1)
    z, r = sigmoid(x_z + u_z), sigmoid(x_r + u_r)
    candidate = np.tanh(x_h + (r * h_prev) @ recurrent_kernel[:, 2 * units:] + bias[1][2 * units:])
    return z * h_prev + (1.0 - z) * candidate
'''),
    _variant("gru_cell_forward", "update_gate_swapped", "z and (1 - z) swapped: h = (1 - z) * h_prev + z * candidate", '''
def gru_cell_forward(x, h_prev, kernel, recurrent_kernel, bias):
    x_z, x_r, x_h = np.split(x @ kernel + bias[0], 3, axis=-1)
    u_z, u_r, u_h = np.split(h_prev @ recurrent_kernel + bias[1], 3, axis=-1)
    z, r = sigmoid(x_z + u_z), sigmoid(x_r + u_r)
    candidate = np.tanh(x_h + r * u_h)
    return (1.0 - z) * h_prev + z * candidate
'''),
    _variant("gru_cell_forward", "reset_update_blocks_swapped", "blocks read as r, z, h instead of z, r, h", '''
def gru_cell_forward(x, h_prev, kernel, recurrent_kernel, bias):
    x_r, x_z, x_h = np.split(x @ kernel + bias[0], 3, axis=-1)
    u_r, u_z, u_h = np.split(h_prev @ recurrent_kernel + bias[1], 3, axis=-1)
    z, r = sigmoid(x_z + u_z), sigmoid(x_r + u_r)
    candidate = np.tanh(x_h + r * u_h)
    return z * h_prev + (1.0 - z) * candidate
'''),
    _variant("gru_cell_forward", "recurrent_bias_outside_reset", "recurrent bias added outside the reset gate", '''
def gru_cell_forward(x, h_prev, kernel, recurrent_kernel, bias):
    x_z, x_r, x_h = np.split(x @ kernel + bias[0], 3, axis=-1)
    u_z, u_r, u_h = np.split(h_prev @ recurrent_kernel, 3, axis=-1)
    b_z, b_r, b_h = np.split(bias[1], 3, axis=-1)
    z, r = sigmoid(x_z + u_z + b_z), sigmoid(x_r + u_r + b_r)
    candidate = np.tanh(x_h + b_h + r * u_h)
    return z * h_prev + (1.0 - z) * candidate
'''),
    _variant("gru_cell_forward", "recurrent_bias_ignored", "only the first bias row is used", '''
def gru_cell_forward(x, h_prev, kernel, recurrent_kernel, bias):
    x_z, x_r, x_h = np.split(x @ kernel + bias[0], 3, axis=-1)
    u_z, u_r, u_h = np.split(h_prev @ recurrent_kernel, 3, axis=-1)
    z, r = sigmoid(x_z + u_z), sigmoid(x_r + u_r)
    candidate = np.tanh(x_h + r * u_h)
    return z * h_prev + (1.0 - z) * candidate
'''),
    _variant("gru_cell_forward", "no_reset_gate", "the reset gate is computed but never applied", '''
def gru_cell_forward(x, h_prev, kernel, recurrent_kernel, bias):
    x_z, x_r, x_h = np.split(x @ kernel + bias[0], 3, axis=-1)
    u_z, u_r, u_h = np.split(h_prev @ recurrent_kernel + bias[1], 3, axis=-1)
    z = sigmoid(x_z + u_z)
    candidate = np.tanh(x_h + u_h)
    return z * h_prev + (1.0 - z) * candidate
'''),
    _variant("gru_cell_forward", "sigmoid_candidate", "the candidate squashed with sigmoid instead of tanh", '''
def gru_cell_forward(x, h_prev, kernel, recurrent_kernel, bias):
    x_z, x_r, x_h = np.split(x @ kernel + bias[0], 3, axis=-1)
    u_z, u_r, u_h = np.split(h_prev @ recurrent_kernel + bias[1], 3, axis=-1)
    z, r = sigmoid(x_z + u_z), sigmoid(x_r + u_r)
    candidate = sigmoid(x_h + r * u_h)
    return z * h_prev + (1.0 - z) * candidate
'''),
]

VARIANTS = SIGMOID_VARIANTS + LSTM_CELL_VARIANTS + LSTM_FORWARD_VARIANTS + GRU_CELL_VARIANTS
GRADED_FUNCTIONS = ("sigmoid", "lstm_cell_forward", "lstm_forward", "gru_cell_forward")


# The test cells that check each function (test ids start with test_<short name>_).
TEST_PREFIXES = {
    "sigmoid": "test_sigmoid_",
    "lstm_cell_forward": "test_lstm_cell_",
    "lstm_forward": "test_lstm_forward_",
    "gru_cell_forward": "test_gru_cell_",
}


def grade_ids_checking(function: str, grade_ids) -> list[str]:
    """The grade_ids of the test cells that check ``function``."""
    return grade_ids_with_prefix(TEST_PREFIXES, function, grade_ids)


def submissions_for_variants() -> dict[str, dict[str, Variant]]:
    """Group the variants into as few submissions as possible without mixing up whose fault a lost point is.

    sigmoid is used by every other function and lstm_cell_forward by lstm_forward, so their variants go
    alone; each GRU variant shares a submission with an lstm_forward variant, since the two never call each
    other. The first two LSTM-cell submissions are the issue's named students "wrong_gate_order" and
    "missing_bias". Returns {student id: {answer grade_id: variant}}.
    """
    submissions = {}
    for index, variant in enumerate(SIGMOID_VARIANTS):
        submissions[f"sigmoid_{index}_{variant.name}"] = {variant.function: variant}
    named = {"gate_order_ifoc": "wrong_gate_order", "missing_bias": "missing_bias"}
    for index, variant in enumerate(LSTM_CELL_VARIANTS):
        submissions[named.get(variant.name, f"lstm_cell_{index}_{variant.name}")] = {variant.function: variant}
    for index, variant in enumerate(LSTM_FORWARD_VARIANTS):
        answers = {variant.function: variant}
        if index < len(GRU_CELL_VARIANTS):
            answers[GRU_CELL_VARIANTS[index].function] = GRU_CELL_VARIANTS[index]
        submissions[f"lstm_forward_{index}_{variant.name}"] = answers
    for variant in GRU_CELL_VARIANTS[len(LSTM_FORWARD_VARIANTS):]:
        submissions[f"gru_cell_{variant.name}"] = {variant.function: variant}
    return submissions
