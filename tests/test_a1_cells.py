"""Assignment A1 ("cells and their gradients"): the source validates, the release is generated and fails every
test, and a simulated class (the reference, every buggy variant in tests/a1_variants.py, the correct
alternatives, the course-import and course-copy submissions) autogrades as expected with the real nbgrader and
the judge. The shared checks are in tests/assignment_suite.py; this module adds A1's own.
"""
import nbformat
import numpy as np
import pytest

from tests import a1_variants
from tests.assignment_suite import AssignmentSuite
from tests.assignment_support import nbgrader_cells, release_path, source_path


class TestA1Cells(AssignmentSuite):
    assignment = "a1_cells"
    total_points = 30
    part_points = {"lstm_cell_backward": 11, "lstm_bptt": 9, "pytorch_gru_to_keras": 6,
                   "stack_parameter_count": 1, "forget_gate": 2, "steps_until_one_percent": 1}
    # Gradients through the gates and through time, the GRU's gate layout (which block is which gate, and why
    # the reset gate keeps the recurrent bias apart), and the forget gate's memory. Only the parameter count
    # is plumbing.
    recurrent_answers = ("lstm_cell_backward", "lstm_bptt", "pytorch_gru_to_keras", "forget_gate", "steps_until_one_percent")
    variants = a1_variants
    datasets = ()
    half_done = ("lstm_cell_backward", "pytorch_gru_to_keras")
    header_line = "Assignment A1: gradients through an LSTM, and a GRU moved between frameworks"


    def test_off_limits_cover_what_would_answer_for_the_student(self):
        """The course package (rnncourse.gradients takes gradients on the backend) and the backends' own automatic
        differentiation would do Parts 1 and 2; the contract refuses them in answer cells."""
        from grading.judge import graded_contract

        contract = graded_contract(nbformat.read(source_path(self.assignment), as_version=4))
        assert {"rnncourse", "tensorflow", "jax", "torch", "keras.src"} <= set(contract["off_limits"])
        assert contract["functions"] == ["lstm_cell_backward", "lstm_bptt", "pytorch_gru_to_keras"]

    def test_header_table_states_the_points_of_every_part(self):
        header = nbformat.read(source_path(self.assignment), as_version=4).cells[0].source
        parts = {"lstm_cell_backward": 11, "lstm_bptt": 9, "pytorch_gru_to_keras": 6}
        for answer, points in parts.items():
            assert any(f"`{answer}`" in line and line.rstrip().endswith(f"| {points} |") for line in header.splitlines()), (
                f"the header's table should give {answer} {points} points")
        values = sum(self.part_points[name] for name in ("stack_parameter_count", "forget_gate", "steps_until_one_percent"))
        assert any("four numbers" in line and line.rstrip().endswith(f"| {values} |") for line in header.splitlines())

    def test_setup_cell_is_locked_and_quiets_tensorflow_first(self):
        source = nbformat.read(source_path(self.assignment), as_version=4)
        setup = next(cell for cell in source.cells if cell.metadata.get("nbgrader", {}).get("grade_id") == "setup")
        assert setup.metadata["nbgrader"]["locked"], "the setup cell must be locked"
        assert setup.source.index("course_setup(") < setup.source.index("import keras"), "quiet TensorFlow before Keras"
        assert "grading" not in setup.source, "the setup cell must run without the grader (no grading.* import)"

    def test_every_test_cell_explains_itself_and_hides_part_of_its_checks(self):
        tests = nbgrader_cells(nbformat.read(source_path(self.assignment), as_version=4), "grade")
        for grade_id, cell in tests.items():
            assert cell.metadata["nbgrader"]["locked"], f"{grade_id} must be locked"
            assert cell.source.lstrip().startswith('"""'), f"{grade_id} must open with a docstring saying what it checks"
            assert "### BEGIN HIDDEN TESTS\n# Feedback: " in cell.source, f"{grade_id}: a hidden block opening with its hint"
            assert "%" not in "".join(line[:1] for line in cell.source.splitlines()), f"{grade_id} has a magic line"

    def test_release_names_no_reference_a_student_could_import(self):
        """The student's notebook must not point at where the expected values come from."""
        text = release_path(self.assignment).read_text(encoding="utf-8")
        for clue in ("grading", "references", "a1_cells as reference"):
            assert clue not in text, f"the release mentions {clue!r}"


# ----------------------------------------------------------------------------------------------------------
# The instructor-only references agree with each other, with finite differences and with Keras

@pytest.fixture(scope="module")
def reference():
    from rnncourse import course_setup

    course_setup(plots=False)
    from grading.references import a1_cells

    return a1_cells


def central_differences(loss, array, step=1e-6):
    gradient = np.zeros(array.shape)
    for index in np.ndindex(array.shape):
        saved = array[index]
        array[index] = saved + step
        above = loss()
        array[index] = saved - step
        below = loss()
        array[index] = saved
        gradient[index] = (above - below) / (2 * step)
    return gradient


def random_sequence_problem(seed=3, batch=2, steps=4, input_dim=3, units=2):
    generator = np.random.default_rng(seed)
    return (generator.normal(size=(batch, steps, units)), generator.normal(size=(batch, steps, input_dim)),
            generator.normal(size=(batch, units)), generator.normal(size=(batch, units)),
            generator.normal(size=(input_dim, 4 * units)), generator.normal(size=(units, 4 * units)),
            generator.normal(size=4 * units))


def test_reference_bptt_agrees_with_finite_differences_and_with_keras(reference):
    output_gradients, *arguments = random_sequence_problem()

    def loss():
        h, c = arguments[1], arguments[2]
        total = 0.0
        for step in range(arguments[0].shape[1]):
            h, c, _ = reference._lstm_step(arguments[0][:, step], h, c, *arguments[3:])
            total += float((output_gradients[:, step] * h).sum())
        return total

    analytic = reference.lstm_bptt(output_gradients, *arguments)
    by_keras = reference.keras_lstm_gradients(output_gradients, *arguments)
    for name, argument in zip(reference.GRADIENT_NAMES, arguments):
        numeric = central_differences(loss, argument)
        assert np.abs(analytic[name] - numeric).max() < 1e-7, name
        assert np.abs(analytic[name] - by_keras[name]).max() < 1e-10, name


def test_reference_cell_backward_is_one_step_of_bptt_with_a_cell_gradient(reference):
    output_gradients, inputs, h0, c0, *weights = random_sequence_problem(steps=1)
    cell_gradient = np.random.default_rng(9).normal(size=h0.shape)
    one_step = reference.lstm_cell_backward(output_gradients[:, 0], cell_gradient, inputs[:, 0], h0, c0, *weights)
    by_keras = reference.keras_lstm_gradients(output_gradients, inputs, h0, c0, *weights, final_cell_gradient=cell_gradient)
    pairs = {"x": by_keras["inputs"][:, 0], "h_prev": by_keras["initial_h"], "c_prev": by_keras["initial_c"],
             "kernel": by_keras["kernel"], "recurrent_kernel": by_keras["recurrent_kernel"], "bias": by_keras["bias"]}
    for name, expected in pairs.items():
        assert np.abs(one_step[name] - expected).max() < 1e-10, name


def test_reference_gru_layouts_agree(reference):
    generator = np.random.default_rng(4)
    kernel, recurrent_kernel, bias = generator.normal(size=(3, 6)), generator.normal(size=(2, 6)), generator.normal(size=(2, 6))
    inputs = generator.normal(size=(2, 5, 3))
    pytorch = reference.keras_gru_to_pytorch(kernel, recurrent_kernel, bias)
    assert pytorch["weight_ih"].shape == (6, 3) and pytorch["weight_hh"].shape == (6, 2)
    difference = np.abs(reference.pytorch_gru_forward(inputs, **pytorch) - reference.keras_gru_sequence(inputs, kernel, recurrent_kernel, bias))
    assert difference.max() < 1e-12
    # A real difference between the layouts: merging the two biases changes the outputs.
    merged = reference.keras_gru_sequence(inputs, kernel, recurrent_kernel, np.stack([bias.sum(axis=0), np.zeros(6)]))
    assert np.abs(merged - reference.keras_gru_sequence(inputs, kernel, recurrent_kernel, bias)).max() > 1e-3


def test_reference_values_follow_from_their_definitions(reference):
    assert reference.stack_parameter_count() == 16000 + 4 * (16 * 32 + 32 * 32 + 32) + 3 * (32 * 24 + 24 * 24 + 48) + 125
    assert abs(reference.forget_gate_for_90_percent() ** 100 - 0.9) < 1e-12
    gate = 1 / (1 + np.exp(-reference.forget_bias_for_90_percent()))
    assert abs(gate - reference.forget_gate_for_90_percent()) < 1e-12
    steps = reference.steps_until_one_percent()
    assert 0.9 ** steps < 0.01 <= 0.9 ** (steps - 1) and steps == 44
