"""Assignment A4 ("write and forecast": a stateful step model, stateful generation, recursive multi-step
forecasts and their errors by horizon). The shared checks of every assignment (validation, release, a simulated
class with the buggy variants of tests/a4_variants.py, the correct alternatives, the course-import and
lesson-copy answers) are in tests/assignment_suite.py; here, what is specific to A4: the generation and
forecasting tests count calls through callbacks, the hidden references agree with hand-worked values, and
neither the package nor a lesson holds an answer.
"""
import re

import nbformat
import numpy as np

from tests import a4_variants
from tests.assignment_suite import AssignmentSuite
from tests.assignment_support import REPOSITORY, nbgrader_cells, source_path

GRADED_FUNCTIONS = ("build_step_model", "generate", "recursive_forecast", "errors_by_horizon")


class TestA4WriteForecast(AssignmentSuite):
    assignment = "a4_write_forecast"
    total_points = 30
    part_points = {"build_step_model": 10, "generate": 9, "recursive_forecast": 6, "errors_by_horizon": 5}
    variants = a4_variants
    datasets = ()
    half_done = ("build_step_model", "recursive_forecast")
    header_line = "Generate text one character at a time by carrying a recurrent network's state"
    # The state of a step model, stateful generation and recursive multi-step forecasting: 25 of 30 points.
    # Scoring forecasts horizon by horizon (errors_by_horizon) counts as plumbing.
    recurrent_answers = ("build_step_model", "generate", "recursive_forecast")



    def test_calls_are_counted_through_callbacks(self):
        """The step and one-step functions are arguments that the tests define, so under the judge each call the
        student's code makes is a round trip that the test itself records."""
        tests = nbgrader_cells(nbformat.read(source_path(self.assignment), as_version=4), "grade")
        assert "calls.append" in tests["test_generate_call_count"].source
        assert "generate(recording_step," in tests["test_generate_call_count"].source
        assert "calls.append" in tests["test_recursive_hand_example"].source
        assert "recursive_forecast(extrapolate," in tests["test_recursive_hand_example"].source

    def test_no_answer_in_the_package_or_the_lessons(self):
        """No module of rnncourse and no lesson defines a graded function; lesson 03 generates by re-reading the
        whole text (tests/a4_variants.COURSE_COPY) and lesson 04 forecasts every horizon directly."""
        defined = re.compile(rf"^\s*def ({'|'.join(GRADED_FUNCTIONS)})\(", re.M)
        package = {path.name: defined.findall(path.read_text(encoding="utf-8"))
                   for path in (REPOSITORY / "rnncourse").rglob("*.py")}
        assert not {name: found for name, found in package.items() if found}
        for lesson in sorted((REPOSITORY / "lessons").glob("*.ipynb")):
            code = "\n".join(cell.source for cell in nbformat.read(lesson, as_version=4).cells if cell.cell_type == "code")
            assert not defined.findall(code), f"{lesson.name} defines a graded A4 function"


def test_references_agree_with_hand_worked_values():
    """The instructor-only references give the values that the visible tests work out by hand."""
    from grading.references import a4_write_forecast as reference

    def counting_step(character, state):
        probabilities = np.zeros(5)
        probabilities[(character + state) % 5] = 1.0
        return probabilities, state + 1

    def first_index(probabilities, temperature, uniform):
        return int(np.argmax(probabilities))

    assert reference.generate(counting_step, [1], 0, 4, 1.0, [0.5] * 4, first_index) == [1, 2, 4, 2]

    def extrapolate(windows):
        return 2 * windows[:, -1] - windows[:, -2]

    forecast = reference.recursive_forecast(extrapolate, np.array([[0.0, 1.0, 2.0], [5.0, 5.0, 3.0]]), 3)
    assert forecast.tolist() == [[3, 4, 5], [1, -1, -3]]
    table = reference.errors_by_horizon(np.arange(10.0), [2, 5], {"mixed": [[3, 3, 3], [6, 8, 5]]})
    assert table["mixed"]["mae"] == [0.0, 1.0, 2.5]
    assert np.allclose(table["mixed"]["rmse"], [0.0, 1.0, np.sqrt(6.5)])


def test_numpy_lstm_step_matches_keras():
    """The hidden tests' NumPy LSTM step is Keras's LSTM: a wrong reference would fail correct answers."""
    import keras

    from grading.references import a4_write_forecast as reference

    model = keras.Sequential([keras.Input(shape=(None,), dtype="int32"), keras.layers.Embedding(7, 3),
                              keras.layers.LSTM(4, return_sequences=True), keras.layers.Dense(7)])
    generator = np.random.default_rng(0)
    weights = [generator.normal(0, 0.6, weight.shape).astype("float32") for weight in model.get_weights()]
    model.set_weights(weights)
    ids = np.array([[3, 0, 6, 1]])
    expected = keras.ops.convert_to_numpy(keras.ops.softmax(model(ids), axis=-1))[0]
    hidden = cell = np.zeros((1, 4))
    for position, character in enumerate(ids[0]):
        probabilities, hidden, cell = reference.lstm_step(weights, [character], hidden, cell)
        assert np.abs(probabilities[0] - expected[position]).max() < 1e-5, position


def test_no_hidden_value_in_a_feedback_hint():
    """A student reads the '# Feedback:' hints; a hidden string literal inside one would make the feedback
    check replace that student's notebook with a score table."""
    from grading.feedback import Secrets
    from grading.judge import hidden_hint

    secrets = Secrets.of(source_path("a4_write_forecast").parent, REPOSITORY / "assignments" / "a4_write_forecast", {})
    cells = nbformat.read(source_path("a4_write_forecast"), as_version=4).cells
    hints = [hidden_hint(cell.source) for cell in cells if "BEGIN HIDDEN TESTS" in cell.source]
    assert len(hints) >= 10 and len(secrets.literals) >= 10
    assert not [literal for literal in secrets.literals if any(literal in hint for hint in hints)]
