"""Realistic wrong answers, correct alternatives and course-code submissions for assignment A1 ("cells and
their gradients"), to test the tests (CONTRIBUTING.md, "Tests of the tests").

Each variant is the complete source of one answer cell (keyed by the cell's grade_id) with one mistake that
students really make; its "# Bug:" comment says which. ``tests/test_a1_cells.py`` autogrades them with the
real nbgrader and the judge, and checks that every variant loses points in the tests of its own answer.

Only one answer depends on another: ``lstm_bptt`` calls the student's ``lstm_cell_backward``. So every
cell-backward variant has a submission of its own answers (with the reference ``lstm_bptt``), and the
``lstm_bptt`` variants come in later submissions with the reference cell backward. The GRU loader and the
four values are tested on inputs the tests make themselves, so they ride along, one variant per submission.
"""
from tests.assignment_support import Variant, grade_ids_with_prefix, variants_from_bug_comments

# The reference's gate arithmetic, shared by the cell-backward variants below (each changes one line).
_CELL_HEAD = '''
def lstm_cell_backward(dh, dc, x, h_prev, c_prev, kernel, recurrent_kernel, bias):
    z_i, z_f, z_c, z_o = np.split(x @ kernel + h_prev @ recurrent_kernel + bias, 4, axis=-1)
    i, f, g, o = sigmoid(z_i), sigmoid(z_f), np.tanh(z_c), sigmoid(z_o)
    c = f * c_prev + i * g
'''

CELL_BACKWARD = {
    "no_path_from_h_into_c": _CELL_HEAD + '''
    # Bug: the cell state's gradient is only dc; the path through h = o * tanh(c) is forgotten.
    dc_total = dc
    dz = np.concatenate([dc_total * g * i * (1 - i), dc_total * c_prev * f * (1 - f),
                         dc_total * i * (1 - g ** 2), dh * np.tanh(c) * o * (1 - o)], axis=-1)
    return {"x": dz @ kernel.T, "h_prev": dz @ recurrent_kernel.T, "c_prev": dc_total * f,
            "kernel": x.T @ dz, "recurrent_kernel": h_prev.T @ dz, "bias": dz.sum(axis=0)}
''',
    "tanh_derivative_of_c_not_tanh_c": _CELL_HEAD + '''
    # Bug: the derivative of tanh(c) written as 1 - c ** 2 instead of 1 - tanh(c) ** 2.
    dc_total = dc + dh * o * (1 - c ** 2)
    dz = np.concatenate([dc_total * g * i * (1 - i), dc_total * c_prev * f * (1 - f),
                         dc_total * i * (1 - g ** 2), dh * np.tanh(c) * o * (1 - o)], axis=-1)
    return {"x": dz @ kernel.T, "h_prev": dz @ recurrent_kernel.T, "c_prev": dc_total * f,
            "kernel": x.T @ dz, "recurrent_kernel": h_prev.T @ dz, "bias": dz.sum(axis=0)}
''',
    "sigmoid_derivative_of_pre_activation": _CELL_HEAD + '''
    # Bug: the gates' derivative z * (1 - z) taken on the pre-activations instead of sigma(z) * (1 - sigma(z)).
    dc_total = dc + dh * o * (1 - np.tanh(c) ** 2)
    dz = np.concatenate([dc_total * g * z_i * (1 - z_i), dc_total * c_prev * z_f * (1 - z_f),
                         dc_total * i * (1 - g ** 2), dh * np.tanh(c) * z_o * (1 - z_o)], axis=-1)
    return {"x": dz @ kernel.T, "h_prev": dz @ recurrent_kernel.T, "c_prev": dc_total * f,
            "kernel": x.T @ dz, "recurrent_kernel": h_prev.T @ dz, "bias": dz.sum(axis=0)}
''',
    "blocks_back_in_order_ifoc": _CELL_HEAD + '''
    dc_total = dc + dh * o * (1 - np.tanh(c) ** 2)
    # Bug: the gradient blocks concatenated as i, f, o, c (the paper's order), not Keras's i, f, c, o.
    dz = np.concatenate([dc_total * g * i * (1 - i), dc_total * c_prev * f * (1 - f),
                         dh * np.tanh(c) * o * (1 - o), dc_total * i * (1 - g ** 2)], axis=-1)
    return {"x": dz @ kernel.T, "h_prev": dz @ recurrent_kernel.T, "c_prev": dc_total * f,
            "kernel": x.T @ dz, "recurrent_kernel": h_prev.T @ dz, "bias": dz.sum(axis=0)}
''',
    "bias_gradient_averaged": _CELL_HEAD + '''
    dc_total = dc + dh * o * (1 - np.tanh(c) ** 2)
    dz = np.concatenate([dc_total * g * i * (1 - i), dc_total * c_prev * f * (1 - f),
                         dc_total * i * (1 - g ** 2), dh * np.tanh(c) * o * (1 - o)], axis=-1)
    # Bug: the bias gradient averaged over the batch, while the loss (and the kernels' gradients) sum.
    return {"x": dz @ kernel.T, "h_prev": dz @ recurrent_kernel.T, "c_prev": dc_total * f,
            "kernel": x.T @ dz, "recurrent_kernel": h_prev.T @ dz, "bias": dz.mean(axis=0)}
''',
    "c_prev_gradient_without_forget_gate": _CELL_HEAD + '''
    dc_total = dc + dh * o * (1 - np.tanh(c) ** 2)
    dz = np.concatenate([dc_total * g * i * (1 - i), dc_total * c_prev * f * (1 - f),
                         dc_total * i * (1 - g ** 2), dh * np.tanh(c) * o * (1 - o)], axis=-1)
    # Bug: the gradient passed to c_prev is not multiplied by the forget gate.
    return {"x": dz @ kernel.T, "h_prev": dz @ recurrent_kernel.T, "c_prev": dc_total,
            "kernel": x.T @ dz, "recurrent_kernel": h_prev.T @ dz, "bias": dz.sum(axis=0)}
''',
    "candidate_derivative_as_sigmoid": _CELL_HEAD + '''
    dc_total = dc + dh * o * (1 - np.tanh(c) ** 2)
    # Bug: the candidate's derivative written as g * (1 - g), the sigmoid's, instead of tanh's 1 - g ** 2.
    dz = np.concatenate([dc_total * g * i * (1 - i), dc_total * c_prev * f * (1 - f),
                         dc_total * i * g * (1 - g), dh * np.tanh(c) * o * (1 - o)], axis=-1)
    return {"x": dz @ kernel.T, "h_prev": dz @ recurrent_kernel.T, "c_prev": dc_total * f,
            "kernel": x.T @ dz, "recurrent_kernel": h_prev.T @ dz, "bias": dz.sum(axis=0)}
''',
    "output_gate_uses_c_not_tanh_c": _CELL_HEAD + '''
    dc_total = dc + dh * o * (1 - np.tanh(c) ** 2)
    # Bug: the output gate's gradient uses c instead of tanh(c) (h = o * tanh(c)).
    dz = np.concatenate([dc_total * g * i * (1 - i), dc_total * c_prev * f * (1 - f),
                         dc_total * i * (1 - g ** 2), dh * c * o * (1 - o)], axis=-1)
    return {"x": dz @ kernel.T, "h_prev": dz @ recurrent_kernel.T, "c_prev": dc_total * f,
            "kernel": x.T @ dz, "recurrent_kernel": h_prev.T @ dz, "bias": dz.sum(axis=0)}
''',
    "input_gradient_through_recurrent_kernel": _CELL_HEAD + '''
    dc_total = dc + dh * o * (1 - np.tanh(c) ** 2)
    dz = np.concatenate([dc_total * g * i * (1 - i), dc_total * c_prev * f * (1 - f),
                         dc_total * i * (1 - g ** 2), dh * np.tanh(c) * o * (1 - o)], axis=-1)
    # Bug: x's and h_prev's gradients swapped their matrices (x goes through the kernel, h_prev the recurrent one).
    return {"x": dz @ recurrent_kernel.T, "h_prev": dz @ kernel.T, "c_prev": dc_total * f,
            "kernel": x.T @ dz, "recurrent_kernel": h_prev.T @ dz, "bias": dz.sum(axis=0)}
''',
}

# The reference's forward pass for the BPTT variants (each changes the backward loop or the cache).
_BPTT_FORWARD = '''
def lstm_bptt(output_gradients, inputs, initial_h, initial_c, kernel, recurrent_kernel, bias):
    steps = inputs.shape[1]
    h, c, states = initial_h, initial_c, []
    for step in range(steps):
        states.append((h, c))
        h, c = lstm_cell_forward(inputs[:, step, :], h, c, kernel, recurrent_kernel, bias)
    names = ("kernel", "recurrent_kernel", "bias")
    totals = {name: 0.0 for name in names}
    input_gradients = np.zeros(inputs.shape)
    dh_next, dc_next = np.zeros(initial_h.shape), np.zeros(initial_c.shape)
'''
_BPTT_RETURN = '''
    return {"inputs": input_gradients, "initial_h": dh_next, "initial_c": dc_next, **totals}
'''

BPTT = {
    "only_the_last_output_gradient": _BPTT_FORWARD + '''
    for step in reversed(range(steps)):
        # Bug: only the last step's output gradient is used, as if the loss were on the final h alone.
        upstream = output_gradients[:, step, :] if step == steps - 1 else 0.0
        gradients = lstm_cell_backward(upstream + dh_next, dc_next, inputs[:, step, :], *states[step], kernel, recurrent_kernel, bias)
        input_gradients[:, step, :] = gradients["x"]
        totals = {name: totals[name] + gradients[name] for name in names}
        dh_next, dc_next = gradients["h_prev"], gradients["c_prev"]
''' + _BPTT_RETURN,
    "hidden_gradient_not_carried": _BPTT_FORWARD + '''
    for step in reversed(range(steps)):
        # Bug: dh from the later step is dropped; each step only sees its own output gradient.
        gradients = lstm_cell_backward(output_gradients[:, step, :], dc_next, inputs[:, step, :], *states[step], kernel, recurrent_kernel, bias)
        input_gradients[:, step, :] = gradients["x"]
        totals = {name: totals[name] + gradients[name] for name in names}
        dh_next, dc_next = gradients["h_prev"], gradients["c_prev"]
''' + _BPTT_RETURN,
    "cell_gradient_not_carried": _BPTT_FORWARD + '''
    for step in reversed(range(steps)):
        # Bug: the cell state's gradient restarts from zero at every step (dc_prev is thrown away).
        gradients = lstm_cell_backward(output_gradients[:, step, :] + dh_next, np.zeros(initial_c.shape), inputs[:, step, :],
                                       *states[step], kernel, recurrent_kernel, bias)
        input_gradients[:, step, :] = gradients["x"]
        totals = {name: totals[name] + gradients[name] for name in names}
        dh_next, dc_next = gradients["h_prev"], gradients["c_prev"]
''' + _BPTT_RETURN,
    "backward_pass_walks_forward": _BPTT_FORWARD + '''
    # Bug: the backward pass walks the steps from first to last.
    for step in range(steps):
        gradients = lstm_cell_backward(output_gradients[:, step, :] + dh_next, dc_next, inputs[:, step, :], *states[step], kernel, recurrent_kernel, bias)
        input_gradients[:, step, :] = gradients["x"]
        totals = {name: totals[name] + gradients[name] for name in names}
        dh_next, dc_next = gradients["h_prev"], gradients["c_prev"]
''' + _BPTT_RETURN,
    "weight_gradients_overwritten": _BPTT_FORWARD + '''
    for step in reversed(range(steps)):
        gradients = lstm_cell_backward(output_gradients[:, step, :] + dh_next, dc_next, inputs[:, step, :], *states[step], kernel, recurrent_kernel, bias)
        input_gradients[:, step, :] = gradients["x"]
        # Bug: the weight gradients are replaced at each step instead of added up over the steps.
        totals = {name: gradients[name] for name in names}
        dh_next, dc_next = gradients["h_prev"], gradients["c_prev"]
''' + _BPTT_RETURN,
    "states_after_the_step": _BPTT_FORWARD + '''
    after = states[1:] + [(h, c)]
    for step in reversed(range(steps)):
        # Bug: each step's backward gets the state AFTER the step as h_prev, c_prev (an off-by-one in the cache).
        gradients = lstm_cell_backward(output_gradients[:, step, :] + dh_next, dc_next, inputs[:, step, :], *after[step], kernel, recurrent_kernel, bias)
        input_gradients[:, step, :] = gradients["x"]
        totals = {name: totals[name] + gradients[name] for name in names}
        dh_next, dc_next = gradients["h_prev"], gradients["c_prev"]
''' + _BPTT_RETURN,
    "forward_from_zero_state": '''
def lstm_bptt(output_gradients, inputs, initial_h, initial_c, kernel, recurrent_kernel, bias):
    steps = inputs.shape[1]
    # Bug: the forward pass starts from zeros instead of the given initial state.
    h, c, states = np.zeros(initial_h.shape), np.zeros(initial_c.shape), []
    for step in range(steps):
        states.append((h, c))
        h, c = lstm_cell_forward(inputs[:, step, :], h, c, kernel, recurrent_kernel, bias)
    names = ("kernel", "recurrent_kernel", "bias")
    totals = {name: 0.0 for name in names}
    input_gradients = np.zeros(inputs.shape)
    dh_next, dc_next = np.zeros(initial_h.shape), np.zeros(initial_c.shape)
    for step in reversed(range(steps)):
        gradients = lstm_cell_backward(output_gradients[:, step, :] + dh_next, dc_next, inputs[:, step, :], *states[step], kernel, recurrent_kernel, bias)
        input_gradients[:, step, :] = gradients["x"]
        totals = {name: totals[name] + gradients[name] for name in names}
        dh_next, dc_next = gradients["h_prev"], gradients["c_prev"]
    return {"inputs": input_gradients, "initial_h": dh_next, "initial_c": dc_next, **totals}
''',
    "input_gradients_in_reverse_order": _BPTT_FORWARD + '''
    collected = []
    for step in reversed(range(steps)):
        gradients = lstm_cell_backward(output_gradients[:, step, :] + dh_next, dc_next, inputs[:, step, :], *states[step], kernel, recurrent_kernel, bias)
        collected.append(gradients["x"])
        totals = {name: totals[name] + gradients[name] for name in names}
        dh_next, dc_next = gradients["h_prev"], gradients["c_prev"]
    # Bug: the input gradients were collected from the last step to the first and stacked without reversing.
    input_gradients = np.stack(collected, axis=1)
''' + _BPTT_RETURN,
}

GRU_LOADING = {
    "gate_order_kept": '''
def pytorch_gru_to_keras(weight_ih, weight_hh, bias_ih, bias_hh):
    # Bug: PyTorch's gate order r, z, n kept; Keras expects z, r, h.
    units = weight_hh.shape[1]
    if weight_ih.shape[0] != 3 * units:
        raise ValueError(f"weight_ih has shape {weight_ih.shape}; expected {3 * units} rows")
    return weight_ih.T, weight_hh.T, np.stack([bias_ih, bias_hh])
''',
    "reshape_instead_of_transpose": '''
def pytorch_gru_to_keras(weight_ih, weight_hh, bias_ih, bias_hh):
    # Bug: reshape to Keras's shapes instead of transposing, which scrambles the weights.
    units = weight_hh.shape[1]
    if weight_ih.shape[0] != 3 * units:
        raise ValueError(f"weight_ih has shape {weight_ih.shape}; expected {3 * units} rows")
    order = lambda array: np.concatenate([array[units:2 * units], array[:units], array[2 * units:]])
    return (order(weight_ih).reshape(weight_ih.shape[1], 3 * units), order(weight_hh).reshape(units, 3 * units),
            np.stack([order(bias_ih), order(bias_hh)]))
''',
    "biases_added_together": '''
def pytorch_gru_to_keras(weight_ih, weight_hh, bias_ih, bias_hh):
    # Bug: both biases added into row 0, but the candidate's recurrent bias must stay inside the reset gate.
    units = weight_hh.shape[1]
    if weight_ih.shape[0] != 3 * units:
        raise ValueError(f"weight_ih has shape {weight_ih.shape}; expected {3 * units} rows")
    order = lambda array: np.concatenate([array[units:2 * units], array[:units], array[2 * units:]])
    return order(weight_ih).T, order(weight_hh).T, np.stack([order(bias_ih + bias_hh), np.zeros(3 * units)])
''',
    "bias_rows_swapped": '''
def pytorch_gru_to_keras(weight_ih, weight_hh, bias_ih, bias_hh):
    # Bug: bias_hh put in row 0 and bias_ih in row 1.
    units = weight_hh.shape[1]
    if weight_ih.shape[0] != 3 * units:
        raise ValueError(f"weight_ih has shape {weight_ih.shape}; expected {3 * units} rows")
    order = lambda array: np.concatenate([array[units:2 * units], array[:units], array[2 * units:]])
    return order(weight_ih).T, order(weight_hh).T, np.stack([order(bias_hh), order(bias_ih)])
''',
    "biases_not_reordered": '''
def pytorch_gru_to_keras(weight_ih, weight_hh, bias_ih, bias_hh):
    # Bug: the weights are reordered to z, r, h but the biases keep PyTorch's r, z, n.
    units = weight_hh.shape[1]
    if weight_ih.shape[0] != 3 * units:
        raise ValueError(f"weight_ih has shape {weight_ih.shape}; expected {3 * units} rows")
    order = lambda array: np.concatenate([array[units:2 * units], array[:units], array[2 * units:]])
    return order(weight_ih).T, order(weight_hh).T, np.stack([bias_ih, bias_hh])
''',
    "update_gate_negated": '''
def pytorch_gru_to_keras(weight_ih, weight_hh, bias_ih, bias_hh):
    # Bug: the update gate's weights and biases negated, as if Keras used 1 - z where PyTorch uses z.
    units = weight_hh.shape[1]
    if weight_ih.shape[0] != 3 * units:
        raise ValueError(f"weight_ih has shape {weight_ih.shape}; expected {3 * units} rows")
    order = lambda array: np.concatenate([-array[units:2 * units], array[:units], array[2 * units:]])
    return order(weight_ih).T, order(weight_hh).T, np.stack([order(bias_ih), order(bias_hh)])
''',
    "no_shape_check": '''
def pytorch_gru_to_keras(weight_ih, weight_hh, bias_ih, bias_hh):
    # Bug: no check that weight_ih has 3 * units rows: a wrong file loads silently as misshapen weights.
    units = weight_hh.shape[1]
    order = lambda array: np.concatenate([array[units:2 * units], array[:units], array[2 * units:3 * units]])
    return order(weight_ih).T, order(weight_hh).T, np.stack([order(bias_ih), order(bias_hh)])
''',
}

STACK_PARAMETER_COUNT = {
    "gru_with_one_bias": '''
# Bug: the GRU counted with one bias per block, as with reset_after=False.
stack_parameter_count = 1000 * 16 + 4 * (16 * 32 + 32 * 32 + 32) + 3 * (32 * 24 + 24 * 24 + 24) + 24 * 5 + 5
''',
    "lstm_with_three_blocks": '''
# Bug: the LSTM counted with three weight blocks, like a GRU.
stack_parameter_count = 1000 * 16 + 3 * (16 * 32 + 32 * 32 + 32) + 3 * (32 * 24 + 24 * 24 + 2 * 24) + 24 * 5 + 5
''',
    "gru_input_is_the_embedding": '''
# Bug: the GRU's input size taken as the embedding's 16 instead of the LSTM's 32 outputs.
stack_parameter_count = 1000 * 16 + 4 * (16 * 32 + 32 * 32 + 32) + 3 * (16 * 24 + 24 * 24 + 2 * 24) + 24 * 5 + 5
''',
    "no_recurrent_weights": '''
# Bug: the recurrent kernels (units x 4 units, units x 3 units) left out.
stack_parameter_count = 1000 * 16 + 4 * (16 * 32 + 32) + 3 * (32 * 24 + 2 * 24) + 24 * 5 + 5
''',
    "dense_without_bias": '''
# Bug: the Dense layer counted without its 5 biases.
stack_parameter_count = 1000 * 16 + 4 * (16 * 32 + 32 * 32 + 32) + 3 * (32 * 24 + 24 * 24 + 2 * 24) + 24 * 5
''',
}

FORGET_GATE = {
    "linear_approximation": '''
# Bug: 1 - 0.1 / 100 spreads the loss linearly instead of solving f ** 100 = 0.9.
forget_gate_for_90_percent = 1 - 0.1 / 100
forget_bias_for_90_percent = float(np.log(forget_gate_for_90_percent / (1 - forget_gate_for_90_percent)))
''',
    "power_instead_of_root": '''
# Bug: 0.9 ** 100 (what is left after 100 steps of 0.9) instead of the 100th root of 0.9.
forget_gate_for_90_percent = 0.9 ** 100
forget_bias_for_90_percent = float(np.log(forget_gate_for_90_percent / (1 - forget_gate_for_90_percent)))
''',
    "bias_is_the_gate": '''
forget_gate_for_90_percent = 0.9 ** (1 / 100)
# Bug: the bias set to the gate's value, forgetting that the gate is sigmoid(bias).
forget_bias_for_90_percent = forget_gate_for_90_percent
''',
    "bias_is_the_log_of_the_gate": '''
forget_gate_for_90_percent = 0.9 ** (1 / 100)
# Bug: ln(f) instead of the logit ln(f / (1 - f)).
forget_bias_for_90_percent = float(np.log(forget_gate_for_90_percent))
''',
    "bias_sign_flipped": '''
forget_gate_for_90_percent = 0.9 ** (1 / 100)
# Bug: ln((1 - f) / f), the logit with its sign flipped (that gives 1 - f).
forget_bias_for_90_percent = float(np.log((1 - forget_gate_for_90_percent) / forget_gate_for_90_percent))
''',
    "gate_divided_by_steps": '''
# Bug: 0.9 / 100, dividing the fraction by the number of steps.
forget_gate_for_90_percent = 0.9 / 100
forget_bias_for_90_percent = float(np.log(forget_gate_for_90_percent / (1 - forget_gate_for_90_percent)))
''',
}

STEPS_UNTIL_ONE_PERCENT = {
    "rounded_down": '''
# Bug: rounded down, so 0.9 ** 43 = 1.08 % is still above 1 %.
steps_until_one_percent = int(np.log(0.01) / np.log(0.9))
''',
    "not_a_whole_number": '''
# Bug: the exact ratio of logarithms, 43.7, left as a float (a number of steps is whole).
steps_until_one_percent = float(np.log(0.01) / np.log(0.9))
''',
    "gate_of_part_b": '''
# Bug: uses the forget gate of (b), 0.9 ** (1 / 100), instead of the constant gate 0.9.
steps_until_one_percent = int(np.ceil(np.log(0.01) / np.log(0.9 ** (1 / 100))))
''',
    "log10_over_natural_log": '''
# Bug: log10 in the numerator and the natural logarithm in the denominator.
steps_until_one_percent = int(np.ceil(np.log10(0.01) / np.log(0.9)))
''',
    "ratio_inverted": '''
# Bug: log(0.9) / log(0.01) instead of log(0.01) / log(0.9).
steps_until_one_percent = int(np.ceil(np.log(0.9) / np.log(0.01)))
''',
}

# answer grade_id -> {variant name: source}
_SOURCES = {
    "lstm_cell_backward": CELL_BACKWARD,
    "lstm_bptt": BPTT,
    "pytorch_gru_to_keras": GRU_LOADING,
    "stack_parameter_count": STACK_PARAMETER_COUNT,
    "forget_gate": FORGET_GATE,
    "steps_until_one_percent": STEPS_UNTIL_ONE_PERCENT,
}
GRADED_ANSWERS = tuple(_SOURCES)
VARIANTS = variants_from_bug_comments(_SOURCES)

# The test cells that check each answer (grade ids start with these prefixes).
TEST_PREFIXES = {
    "lstm_cell_backward": "test_cell_backward_",
    "lstm_bptt": "test_bptt_",
    "pytorch_gru_to_keras": "test_gru_loading_",
    "stack_parameter_count": "test_stack_",
    "forget_gate": "test_forget_gate_",
    "steps_until_one_percent": "test_steps_",
}


def grade_ids_checking(function: str, grade_ids) -> list[str]:
    """The grade_ids of the test cells that check ``function`` (an answer cell's grade_id)."""
    return grade_ids_with_prefix(TEST_PREFIXES, function, grade_ids)


def submissions_for_variants() -> dict[str, dict[str, Variant]]:
    """Pack the variants into few submissions without blaming a variant for another's lost points.

    Slots 0..8 hold the cell-backward variants, the later slots the BPTT variants (with the reference cell
    backward that lstm_bptt calls); the independent answers fill slot k with their k-th variant.
    Returns {student id: {answer grade_id: variant}}.
    """
    by_answer = {answer: [v for v in VARIANTS if v.function == answer] for answer in GRADED_ANSWERS}
    slots = {answer: list(range(len(variants))) for answer, variants in by_answer.items()}
    cell_count = len(by_answer["lstm_cell_backward"])
    slots["lstm_bptt"] = [cell_count + index for index in range(len(by_answer["lstm_bptt"]))]
    submissions = {}
    for answer, variants in by_answer.items():
        for slot, variant in zip(slots[answer], variants):
            submissions.setdefault(f"variants{slot:02d}", {})[answer] = variant
    return dict(sorted(submissions.items()))


# ---------------------------------------------------------------------------------------------------------
# Correct answers written another way: each must get full marks, so that no test requires one implementation.

CORRECT_ALTERNATIVES = {
    # Loops over the batch and the gates, slices instead of np.split, lists instead of preallocated arrays.
    "loops": {
        "lstm_cell_backward": '''
def lstm_cell_backward(dh, dc, x, h_prev, c_prev, kernel, recurrent_kernel, bias):
    units = h_prev.shape[1]
    gradients = {"x": [], "h_prev": [], "c_prev": [], "kernel": np.zeros(kernel.shape),
                 "recurrent_kernel": np.zeros(recurrent_kernel.shape), "bias": np.zeros(bias.shape)}
    for row in range(x.shape[0]):
        z = x[row] @ kernel + h_prev[row] @ recurrent_kernel + bias
        gate = [1.0 / (1.0 + np.exp(-z[k * units:(k + 1) * units])) for k in range(4)]
        candidate = np.tanh(z[2 * units:3 * units])
        c = gate[1] * c_prev[row] + gate[0] * candidate
        cell = dc[row] + dh[row] * gate[3] * (1.0 - np.tanh(c) ** 2)
        dz = np.zeros(4 * units)
        dz[:units] = cell * candidate * gate[0] * (1.0 - gate[0])
        dz[units:2 * units] = cell * c_prev[row] * gate[1] * (1.0 - gate[1])
        dz[2 * units:3 * units] = cell * gate[0] * (1.0 - candidate ** 2)
        dz[3 * units:] = dh[row] * np.tanh(c) * gate[3] * (1.0 - gate[3])
        gradients["x"].append(kernel @ dz)
        gradients["h_prev"].append(recurrent_kernel @ dz)
        gradients["c_prev"].append(cell * gate[1])
        gradients["kernel"] += np.outer(x[row], dz)
        gradients["recurrent_kernel"] += np.outer(h_prev[row], dz)
        gradients["bias"] += dz
    for name in ("x", "h_prev", "c_prev"):
        gradients[name] = np.array(gradients[name])
    return gradients
''',
        "lstm_bptt": '''
def lstm_bptt(output_gradients, inputs, initial_h, initial_c, kernel, recurrent_kernel, bias):
    hs, cs = [initial_h], [initial_c]
    for step in range(inputs.shape[1]):
        h, c = lstm_cell_forward(inputs[:, step, :], hs[-1], cs[-1], kernel, recurrent_kernel, bias)
        hs.append(h)
        cs.append(c)
    result = {"inputs": [None] * inputs.shape[1], "kernel": 0, "recurrent_kernel": 0, "bias": 0}
    carried_h, carried_c = 0 * initial_h, 0 * initial_c
    step = inputs.shape[1] - 1
    while step >= 0:
        one = lstm_cell_backward(carried_h + output_gradients[:, step, :], carried_c, inputs[:, step, :], hs[step], cs[step],
                                 kernel, recurrent_kernel, bias)
        result["inputs"][step] = one["x"]
        for name in ("kernel", "recurrent_kernel", "bias"):
            result[name] = result[name] + one[name]
        carried_h, carried_c = one["h_prev"], one["c_prev"]
        step -= 1
    result["inputs"] = np.stack(result["inputs"], axis=1)
    result["initial_h"], result["initial_c"] = carried_h, carried_c
    return result
''',
        "pytorch_gru_to_keras": '''
def pytorch_gru_to_keras(weight_ih, weight_hh, bias_ih, bias_hh):
    units = weight_hh.shape[1]
    for name, array in (("weight_ih", weight_ih), ("weight_hh", weight_hh)):
        if array.shape[0] != 3 * units:
            raise ValueError(f"{name} has shape {array.shape}, but needs 3 * {units} rows")
    keras_rows = list(range(units, 2 * units)) + list(range(units)) + list(range(2 * units, 3 * units))
    kernel = np.zeros((weight_ih.shape[1], 3 * units))
    recurrent_kernel = np.zeros((units, 3 * units))
    bias = np.zeros((2, 3 * units))
    for column, row in enumerate(keras_rows):
        kernel[:, column] = weight_ih[row, :]
        recurrent_kernel[:, column] = weight_hh[row, :]
        bias[0, column], bias[1, column] = bias_ih[row], bias_hh[row]
    return kernel, recurrent_kernel, bias
''',
        "stack_parameter_count": '''
def recurrent_parameters(inputs, units, blocks, biases):
    return blocks * (inputs * units + units * units + biases * units)


layers = [1000 * 16, recurrent_parameters(16, 32, 4, 1), recurrent_parameters(32, 24, 3, 2), 24 * 5 + 5]
stack_parameter_count = 0
for count in layers:
    stack_parameter_count += count
''',
        "forget_gate": '''
import math

forget_gate_for_90_percent = math.exp(math.log(0.9) / 100)
forget_bias_for_90_percent = -math.log(1 / forget_gate_for_90_percent - 1)
''',
        "steps_until_one_percent": '''
steps_until_one_percent, left = 0, 1.0
while left >= 0.01:
    left *= 0.9
    steps_until_one_percent += 1
''',
    },
    # Vectorised another way: einsum, gates kept for the whole sequence, weight gradients once at the end.
    "einsum": {
        "lstm_cell_backward": '''
def lstm_cell_backward(dh, dc, x, h_prev, c_prev, kernel, recurrent_kernel, bias):
    n = h_prev.shape[-1]
    z = np.einsum("bi,ig->bg", x, kernel) + np.einsum("bu,ug->bg", h_prev, recurrent_kernel) + bias
    sig = 0.5 * (1 + np.tanh(0.5 * z))
    i, f, o = sig[:, :n], sig[:, n:2 * n], sig[:, 3 * n:]
    g = np.tanh(z[:, 2 * n:3 * n])
    tanh_c = np.tanh(f * c_prev + i * g)
    d_c = dh * o / np.cosh(np.arctanh(tanh_c)) ** 2 + dc
    local = np.hstack([d_c * g, d_c * c_prev, d_c * i, dh * tanh_c])
    slope = np.hstack([i * (1 - i), f * (1 - f), 1 - g * g, o * (1 - o)])
    dz = local * slope
    return dict(x=np.einsum("bg,ig->bi", dz, kernel), h_prev=np.einsum("bg,ug->bu", dz, recurrent_kernel),
                c_prev=d_c * f, kernel=np.einsum("bi,bg->ig", x, dz), recurrent_kernel=np.einsum("bu,bg->ug", h_prev, dz),
                bias=np.einsum("bg->g", dz))
''',
        "lstm_bptt": '''
def lstm_bptt(output_gradients, inputs, initial_h, initial_c, kernel, recurrent_kernel, bias):
    batch, steps, _ = inputs.shape
    n = initial_h.shape[-1]
    # Forward: keep every step's gates and states in (batch, steps, ...) arrays.
    h_before, c_before, c_after = (np.zeros((batch, steps, n)) for _ in range(3))
    gates = np.zeros((batch, steps, 4 * n))
    h, c = initial_h, initial_c
    for t in range(steps):
        h_before[:, t], c_before[:, t] = h, c
        z = np.einsum("bi,ig->bg", inputs[:, t], kernel) + np.einsum("bu,ug->bg", h, recurrent_kernel) + bias
        gates[:, t] = np.concatenate([sigmoid(z[:, :2 * n]), np.tanh(z[:, 2 * n:3 * n]), sigmoid(z[:, 3 * n:])], axis=1)
        i, f, g, o = np.split(gates[:, t], 4, axis=1)
        c = f * c + i * g
        h = o * np.tanh(c)
        c_after[:, t] = c
    # Backward: the pre-activation gradients of every step, then each weight gradient in one einsum.
    dz_all = np.zeros((batch, steps, 4 * n))
    d_h, d_c = np.zeros((batch, n)), np.zeros((batch, n))
    for t in range(steps - 1, -1, -1):
        i, f, g, o = np.split(gates[:, t], 4, axis=1)
        d_h = d_h + output_gradients[:, t]
        tanh_c = np.tanh(c_after[:, t])
        d_c = d_c + d_h * o * (1 - tanh_c ** 2)
        dz_all[:, t] = np.hstack([d_c * g * i * (1 - i), d_c * c_before[:, t] * f * (1 - f), d_c * i * (1 - g ** 2),
                                  d_h * tanh_c * o * (1 - o)])
        d_h, d_c = np.einsum("bg,ug->bu", dz_all[:, t], recurrent_kernel), d_c * f
    return {"inputs": np.einsum("btg,ig->bti", dz_all, kernel), "initial_h": d_h, "initial_c": d_c,
            "kernel": np.einsum("bti,btg->ig", inputs, dz_all), "recurrent_kernel": np.einsum("btu,btg->ug", h_before, dz_all),
            "bias": dz_all.sum(axis=(0, 1))}
''',
        "pytorch_gru_to_keras": '''
def pytorch_gru_to_keras(weight_ih, weight_hh, bias_ih, bias_hh):
    n = weight_hh.shape[1]
    if weight_ih.shape[0] != 3 * n or weight_hh.shape != (3 * n, n) or bias_ih.shape != (3 * n,) or bias_hh.shape != (3 * n,):
        raise ValueError(f"inconsistent GRU weights: weight_ih {weight_ih.shape}, weight_hh {weight_hh.shape}, "
                         f"bias_ih {bias_ih.shape}, bias_hh {bias_hh.shape}")
    # Transpose first; then the blocks are columns and PyTorch's r, z, n become z, r, h by a column permutation.
    permutation = np.concatenate([np.arange(n, 2 * n), np.arange(n), np.arange(2 * n, 3 * n)])
    return (np.transpose(weight_ih)[:, permutation], np.transpose(weight_hh)[:, permutation],
            np.vstack([bias_ih[permutation], bias_hh[permutation]]))
''',
        "stack_parameter_count": '''
stack = keras.Sequential([keras.Input((None,), dtype="int32"), keras.layers.Embedding(1000, 16),
                          keras.layers.LSTM(32, return_sequences=True), keras.layers.GRU(24), keras.layers.Dense(5)])
stack_parameter_count = stack.count_params()
''',
        "forget_gate": '''
forget_gate_for_90_percent = float(np.power(0.9, 0.01))
forget_bias_for_90_percent = float(np.log(forget_gate_for_90_percent) - np.log1p(-forget_gate_for_90_percent))
''',
        "steps_until_one_percent": '''
import math

steps_until_one_percent = math.ceil(math.log(0.01, 0.9))
''',
    },
    # Another order of operations: BPTT written without calling lstm_cell_backward, the gates from the
    # forward step's own values, the GRU by reshaping into (3, n, ...) blocks.
    "own_chain_rule": {
        "lstm_cell_backward": '''
def lstm_cell_backward(dh, dc, x, h_prev, c_prev, kernel, recurrent_kernel, bias):
    h, c = lstm_cell_forward(x, h_prev, c_prev, kernel, recurrent_kernel, bias)
    n = h.shape[1]
    blocks = (x @ kernel + h_prev @ recurrent_kernel + bias).reshape(x.shape[0], 4, n)
    input_gate, forget_gate, output_gate = sigmoid(blocks[:, 0]), sigmoid(blocks[:, 1]), sigmoid(blocks[:, 3])
    candidate = np.tanh(blocks[:, 2])
    # h = o * tanh(c): with tanh(c) = h / o when o > 0, but computed directly to stay exact.
    d_output = dh * np.tanh(c)
    d_cell = dc + dh * output_gate * (1.0 - np.tanh(c) * np.tanh(c))
    d_blocks = np.stack([d_cell * candidate * input_gate * (1.0 - input_gate),
                         d_cell * c_prev * forget_gate * (1.0 - forget_gate),
                         d_cell * input_gate * (1.0 - candidate * candidate),
                         d_output * output_gate * (1.0 - output_gate)], axis=1)
    dz = d_blocks.reshape(x.shape[0], 4 * n)
    return {"bias": np.add.reduce(dz, axis=0), "kernel": np.dot(x.T, dz), "recurrent_kernel": np.dot(h_prev.T, dz),
            "x": np.dot(dz, kernel.T), "h_prev": np.dot(dz, recurrent_kernel.T), "c_prev": forget_gate * d_cell}
''',
        "lstm_bptt": '''
def lstm_bptt(output_gradients, inputs, initial_h, initial_c, kernel, recurrent_kernel, bias):
    n = initial_h.shape[1]
    cache = []
    h, c = initial_h, initial_c
    for t in range(inputs.shape[1]):
        z = inputs[:, t] @ kernel + h @ recurrent_kernel + bias
        i, f, g, o = sigmoid(z[:, :n]), sigmoid(z[:, n:2 * n]), np.tanh(z[:, 2 * n:3 * n]), sigmoid(z[:, 3 * n:])
        c_new = f * c + i * g
        cache.append((h, c, i, f, g, o, c_new))
        h, c = o * np.tanh(c_new), c_new
    grads = {"kernel": np.zeros_like(kernel), "recurrent_kernel": np.zeros_like(recurrent_kernel),
             "bias": np.zeros_like(bias), "inputs": np.zeros_like(inputs)}
    dh_next, dc_next = np.zeros_like(initial_h), np.zeros_like(initial_c)
    for t in range(inputs.shape[1] - 1, -1, -1):
        h_prev, c_prev, i, f, g, o, c_new = cache[t]
        dh = dh_next + output_gradients[:, t]
        dc = dc_next + dh * o * (1 - np.tanh(c_new) ** 2)
        dz = np.concatenate([dc * g * i * (1 - i), dc * c_prev * f * (1 - f), dc * i * (1 - g ** 2),
                             dh * np.tanh(c_new) * o * (1 - o)], axis=1)
        grads["kernel"] += inputs[:, t].T @ dz
        grads["recurrent_kernel"] += h_prev.T @ dz
        grads["bias"] += dz.sum(axis=0)
        grads["inputs"][:, t] = dz @ kernel.T
        dh_next, dc_next = dz @ recurrent_kernel.T, dc * f
    grads["initial_h"], grads["initial_c"] = dh_next, dc_next
    return grads
''',
        "pytorch_gru_to_keras": '''
def pytorch_gru_to_keras(weight_ih, weight_hh, bias_ih, bias_hh):
    n = weight_hh.shape[-1]
    if len(weight_ih) % 3 or len(weight_ih) // 3 != n:
        raise ValueError(f"weight_ih of shape {weight_ih.shape} does not hold 3 blocks of {n} rows (weight_hh {weight_hh.shape})")
    reorder = [1, 0, 2]  # Keras's z, r, h are PyTorch's blocks 1, 0, 2
    kernel = weight_ih.reshape(3, n, -1)[reorder].reshape(3 * n, -1).T
    recurrent_kernel = weight_hh.reshape(3, n, n)[reorder].reshape(3 * n, n).T
    bias = np.array([bias_ih.reshape(3, n)[reorder].ravel(), bias_hh.reshape(3, n)[reorder].ravel()])
    return kernel, recurrent_kernel, bias
''',
        "stack_parameter_count": '''
embedding, lstm_units, gru_units, classes = 16, 32, 24, 5
per_lstm_gate = embedding * lstm_units + lstm_units * lstm_units + lstm_units
per_gru_gate = lstm_units * gru_units + gru_units * gru_units + gru_units + gru_units  # input and recurrent bias
stack_parameter_count = sum([1000 * embedding, 4 * per_lstm_gate, 3 * per_gru_gate, (gru_units + 1) * classes])
''',
        "forget_gate": '''
forget_gate_for_90_percent = np.float64(0.9) ** np.float64(0.01)
forget_bias_for_90_percent = np.float64(np.log(forget_gate_for_90_percent / (1 - forget_gate_for_90_percent)))
''',
        "steps_until_one_percent": '''
steps_until_one_percent = next(k for k in range(1, 1000) if 0.9 ** k < 0.01)
''',
    },
}


# ---------------------------------------------------------------------------------------------------------
# Answers that lean on the course instead of working things out

# The course package's helpers imported into the answer cells. rnncourse.gradients.gradient takes gradients
# on the Keras backend, so the two gradient answers ask it for the LSTM's derivatives (written with keras.ops)
# instead of deriving them: that would solve Parts 1 and 2, which is why GRADED declares rnncourse off-limits.
# The student's own work is nothing, so this may earn nothing.
_KERAS_OPS_LSTM = '''
from rnncourse import *
from rnncourse.gradients import gradient
from rnncourse.gradients import *


def keras_lstm_step(x, h, c, kernel, recurrent_kernel, bias):
    units = h.shape[-1]
    z = keras.ops.matmul(x, kernel) + keras.ops.matmul(h, recurrent_kernel) + bias
    i, f = keras.ops.sigmoid(z[:, :units]), keras.ops.sigmoid(z[:, units:2 * units])
    g, o = keras.ops.tanh(z[:, 2 * units:3 * units]), keras.ops.sigmoid(z[:, 3 * units:])
    c = f * c + i * g
    return o * keras.ops.tanh(c), c
'''

COURSE_IMPORT = {
    "lstm_cell_backward": _KERAS_OPS_LSTM + '''

def lstm_cell_backward(dh, dc, x, h_prev, c_prev, kernel, recurrent_kernel, bias):
    def loss(arguments):
        h, c = keras_lstm_step(*arguments)
        return keras.ops.sum(h * dh) + keras.ops.sum(c * dc)

    values = gradient(loss, [x, h_prev, c_prev, kernel, recurrent_kernel, bias])
    return dict(zip(["x", "h_prev", "c_prev", "kernel", "recurrent_kernel", "bias"], [np.asarray(v, "float64") for v in values]))
''',
    "lstm_bptt": '''
from rnncourse import *
from rnncourse.gradients import gradient


def lstm_bptt(output_gradients, inputs, initial_h, initial_c, kernel, recurrent_kernel, bias):
    def loss(arguments):
        sequence, h, c, weights = arguments[0], arguments[1], arguments[2], arguments[3:]
        total = 0.0
        for step in range(inputs.shape[1]):
            h, c = keras_lstm_step(sequence[:, step, :], h, c, *weights)
            total = total + keras.ops.sum(h * output_gradients[:, step, :])
        return total

    values = gradient(loss, [inputs, initial_h, initial_c, kernel, recurrent_kernel, bias])
    names = ["inputs", "initial_h", "initial_c", "kernel", "recurrent_kernel", "bias"]
    return dict(zip(names, [np.asarray(v, "float64") for v in values]))
''',
    "pytorch_gru_to_keras": '''
import rnncourse
from rnncourse import *
''',
    "stack_parameter_count": '''
from rnncourse import *
''',
    "forget_gate": '''
from rnncourse import *
''',
    "steps_until_one_percent": '''
from rnncourse import *
''',
}
COURSE_IMPORT_POINTS = 0

# Lesson 01's own code pasted into the answer cells, adapted only as far as it goes: the lesson has the forward
# steps and the parameter formulas, but no backward pass, no PyTorch layout and no forget-gate arithmetic.
_LESSON_FORWARD = '''
def lesson_sigmoid(values):  # renamed: the setup cell already defines sigmoid, and redefining it is refused
    return 0.5 * (1.0 + np.tanh(0.5 * values))  # equal to 1 / (1 + exp(-x)), without overflow


def lesson_lstm_cell_forward(inputs, hidden, cell, kernel, recurrent_kernel, bias):
    """One LSTM step for a batch: returns the new hidden state, the new cell state and the gates."""
    units = hidden.shape[-1]
    pre_activations = inputs @ kernel + hidden @ recurrent_kernel + bias  # (batch, 4 * units)
    input_gate = lesson_sigmoid(pre_activations[:, 0 * units : 1 * units])
    forget_gate = lesson_sigmoid(pre_activations[:, 1 * units : 2 * units])
    candidate = np.tanh(pre_activations[:, 2 * units : 3 * units])
    output_gate = lesson_sigmoid(pre_activations[:, 3 * units : 4 * units])
    new_cell = forget_gate * cell + input_gate * candidate
    new_hidden = output_gate * np.tanh(new_cell)
    gates = {"input": input_gate, "forget": forget_gate, "candidate": candidate, "output": output_gate}
    return new_hidden, new_cell, gates
'''

COURSE_COPY = {
    "lstm_cell_backward": _LESSON_FORWARD + '''

def lstm_cell_backward(dh, dc, x, h_prev, c_prev, kernel, recurrent_kernel, bias):
    # The lesson's forward step runs, but the lesson has no derivatives: the shapes are all it gets right.
    lesson_lstm_cell_forward(x, h_prev, c_prev, kernel, recurrent_kernel, bias)
    return {"x": np.zeros(x.shape), "h_prev": np.zeros(h_prev.shape), "c_prev": np.zeros(c_prev.shape),
            "kernel": np.zeros(kernel.shape), "recurrent_kernel": np.zeros(recurrent_kernel.shape), "bias": np.zeros(bias.shape)}
''',
    "lstm_bptt": '''
def lesson_lstm_forward(sequences, kernel, recurrent_kernel, bias, initial_state=None, return_sequences=False):
    """Run the LSTM over (batch, time, features); returns outputs, final (h, c) and every step's gates."""
    batch, steps, _ = sequences.shape
    units = recurrent_kernel.shape[0]
    if initial_state is None:  # Keras starts from zeros
        initial_state = (np.zeros((batch, units)), np.zeros((batch, units)))
    hidden, cell = initial_state
    hidden_states, gate_history = [], []
    for step in range(steps):
        hidden, cell, gates = lesson_lstm_cell_forward(sequences[:, step], hidden, cell, kernel, recurrent_kernel, bias)
        hidden_states.append(hidden)
        gate_history.append(gates | {"cell": cell})
    outputs = np.stack(hidden_states, axis=1) if return_sequences else hidden
    history = {name: np.stack([gates[name] for gates in gate_history], axis=1) for name in gate_history[0]}
    return outputs, (hidden, cell), history


def lstm_bptt(output_gradients, inputs, initial_h, initial_c, kernel, recurrent_kernel, bias):
    lesson_lstm_forward(inputs, kernel, recurrent_kernel, bias, (initial_h, initial_c), return_sequences=True)
    return {"inputs": np.zeros(inputs.shape), "initial_h": np.zeros(initial_h.shape), "initial_c": np.zeros(initial_c.shape),
            "kernel": np.zeros(kernel.shape), "recurrent_kernel": np.zeros(recurrent_kernel.shape), "bias": np.zeros(bias.shape)}
''',
    "pytorch_gru_to_keras": '''
def pytorch_gru_to_keras(weight_ih, weight_hh, bias_ih, bias_hh):
    # Lesson 01 knows Keras's layout only: transpose into it, keep the order, stack the biases as reset_after=True.
    return weight_ih.T, weight_hh.T, np.stack([bias_ih, bias_hh])
''',
    "stack_parameter_count": '''
def lstm_parameter_count(input_features, units):
    return 4 * (input_features * units + units * units + units)


def gru_parameter_count(input_features, units, reset_after=True):
    biases_per_block = 2 if reset_after else 1
    return 3 * (input_features * units + units * units + biases_per_block * units)


def dense_parameter_count(input_features, outputs):
    return input_features * outputs + outputs


stack_parameter_count = 1000 * 16 + lstm_parameter_count(16, 32) + gru_parameter_count(32, 24) + dense_parameter_count(24, 5)
''',
    "forget_gate": '''
# Lesson 01's hand-built LSTM holds its value with the bias big / 2 = 10 on the forget block.
big = 20.0
forget_bias_for_90_percent = big / 2
forget_gate_for_90_percent = float(1 / (1 + np.exp(-forget_bias_for_90_percent)))
''',
    "steps_until_one_percent": '''
steps_until_one_percent = 40  # lesson 01's memory task runs 40 steps
''',
}
