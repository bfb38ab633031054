"""Assignment A1 ("implement the cells"): the source validates, the committed release is generated from it and
fails every test, and a simulated class autogrades to the expected scores with the real nbgrader.

The class is graded once for the whole module (grading.engine, two workers): the reference answers, the
issue's named scenarios (wrong gate order, missing bias, an exception, an infinite loop, a deleted and an
edited test cell) and every buggy variant in tests/a1_variants.py.
"""
import csv
import json
import re
from pathlib import Path

import nbformat
import pytest
from grading.settings import GradingLimits
from tests import a1_variants
from tests.assignment_support import check_correct_submission, nbgrader_cells, public_lines, secret_lines, validator
from tests.assignment_support import solution_answers as reference_answers
from tests.grading_support import grade_class, make_submission

ASSIGNMENT = "a1_cells"
REPOSITORY = Path(__file__).resolve().parent.parent
SOURCE = REPOSITORY / "solutions" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
RELEASE = REPOSITORY / "assignments" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
TOTAL_POINTS = 25
PART_POINTS = {"sigmoid": 4, "lstm_cell_forward": 7, "lstm_forward": 7, "gru_cell_forward": 7}
# The infinite loop costs one cell limit per test cell that reaches it (two here), so keep the limit short but
# far above what a test cell of a correct notebook needs (under 1 s). The locked setup cell, which imports
# Keras, has its own limit and is not charged to the budget (grading/README.md).
CLASS_LIMITS = GradingLimits(cell_seconds=20.0, budget_seconds=150.0)


# ----------------------------------------------------------------------------------------------------------
# The source and the release

def test_points_add_up_to_the_stated_total():
    source = nbformat.read(SOURCE, as_version=4)
    tests = nbgrader_cells(source, "grade")
    assert sum(cell.metadata["nbgrader"]["points"] for cell in tests.values()) == TOTAL_POINTS
    for function, points in PART_POINTS.items():
        cells = a1_variants.grade_ids_checking(function, tests)
        assert sum(tests[grade_id].metadata["nbgrader"]["points"] for grade_id in cells) == points, function
    assert f"**Total: {TOTAL_POINTS} points**" in source.cells[0].source, "the student header must state the total"
    setup = source.cells[[cell.metadata.get("nbgrader", {}).get("grade_id") for cell in source.cells].index("setup")]
    assert setup.metadata["nbgrader"]["locked"], "the setup cell must be locked"
    assert setup.source.index("course_setup(") < setup.source.index("import keras"), "quiet TensorFlow before Keras"
    for grade_id, cell in tests.items():
        assert cell.metadata["nbgrader"]["locked"], f"{grade_id} must be locked"
        assert cell.source.lstrip().startswith('"""'), f"{grade_id} must open with a docstring saying what it checks"
        assert "BEGIN HIDDEN TESTS" in cell.source, f"{grade_id} has no hidden tests"


def test_source_validates_without_stderr():
    # validate_all also fails any code cell (the setup cell included) that writes to stderr or raises.
    result = validator(validate_all=True).validate(str(SOURCE))
    assert result == {}, f"the A1 source fails its own tests: {json.dumps(result)[:3000]}"


def test_release_fails_every_test():
    release, source = (nbformat.read(path, as_version=4) for path in (RELEASE, SOURCE))
    answers = nbgrader_cells(release, "solution")
    assert set(answers) == set(PART_POINTS), f"answer cells in the release: {sorted(answers)}"
    assert all("raise NotImplementedError()" in cell.source for cell in answers.values())
    assert set(nbgrader_cells(release, "grade")) == set(nbgrader_cells(source, "grade"))
    result = validator(invert=True).validate(str(RELEASE))
    assert result == {}, f"these test cells pass on the empty release: {json.dumps(result)[:3000]}"


def test_release_has_no_solution_or_hidden_test_text():
    text = RELEASE.read_text(encoding="utf-8")
    for marker in ("BEGIN SOLUTION", "END SOLUTION", "BEGIN HIDDEN TESTS", "END HIDDEN TESTS", "xmode"):
        assert marker not in text, f"{marker!r} reached the release"
    release_sources = "\n".join(cell.source for cell in nbformat.read(RELEASE, as_version=4).cells)
    source_cells = nbformat.read(SOURCE, as_version=4).cells
    # Hidden tests repeat some visible lines on purpose (set up, then call); only the others are secret.
    public = {part for cell in source_cells for line in public_lines(cell.source)
              for part in (line.strip(), line.split("  # ")[0].strip())}
    secrets = [line for cell in source_cells for line in secret_lines(cell.source) if line not in public]
    assert len(secrets) > 50, "the secret-line extraction found too little to be a meaningful check"
    leaked = [secret for secret in secrets if secret in release_sources]
    assert not leaked, f"solution or hidden-test lines reached the release: {leaked[:5]}"


def test_no_hidden_test_line_is_also_visible():
    """Feedback is checked for hidden-test lines; a hidden line that the release also shows would withhold it."""
    release_sources = "\n".join(cell.source for cell in nbformat.read(RELEASE, as_version=4).cells)
    hidden = [line for cell in nbformat.read(SOURCE, as_version=4).cells
              for line in secret_lines(cell.source, kinds="HIDDEN TESTS")]
    shared = sorted({line for line in hidden if line in release_sources})
    assert not shared, f"hidden-test lines that also appear in the release (rename them): {shared[:5]}"


# ----------------------------------------------------------------------------------------------------------
# One simulated class, graded once

NAMED_SCENARIOS = {
    # student: (expected total, {test: expected score} for the tests that lose points)
    "correct": (25, {}),
    # i, f, o, c: every LSTM value is wrong; the shapes and the bounds |h|, |c| <= 1 still hold.
    "wrong_gate_order": (14, {"test_lstm_cell_gates_by_hand": 0, "test_lstm_cell_matches_keras": 0,
                              "test_lstm_cell_large_inputs": 0, "test_lstm_forward_initial_state": 0,
                              "test_lstm_forward_matches_keras": 0}),
    # The large-input test uses a zero bias, so only the tests with a bias catch it.
    "missing_bias": (15, {"test_lstm_cell_gates_by_hand": 0, "test_lstm_cell_matches_keras": 0,
                          "test_lstm_forward_initial_state": 0, "test_lstm_forward_matches_keras": 0}),
    # `raise NotImplementedError()` left above a finished gru_cell_forward: the function is never defined.
    "exception_in_answer": (18, {"test_gru_cell_shapes": 0, "test_gru_cell_gates_by_hand": 0,
                                 "test_gru_cell_matches_keras": 0, "test_gru_cell_large_inputs": 0}),
    # The step counter only advances when return_sequences=True: the two cells that ask for the last h hang.
    "infinite_loop": (20, {"test_lstm_forward_shapes": 0, "test_lstm_forward_matches_keras": 0}),
    # A correct notebook without one test cell: the cell is restored from the source and graded (full marks).
    "deleted_test_cell": (25, {}),
    # z and 1 - z swapped, and the tests that catch it replaced by `assert True`: the originals are restored.
    "edited_test_cell": (19, {"test_gru_cell_gates_by_hand": 0, "test_gru_cell_matches_keras": 0,
                              "test_gru_cell_large_inputs": 0}),
}

INFINITE_LOOP_ANSWER = '''
def lstm_forward(inputs, kernel, recurrent_kernel, bias, initial_state=None, return_sequences=False):
    batch, steps = inputs.shape[0], inputs.shape[1]
    units = recurrent_kernel.shape[0]
    h, c = (np.zeros((batch, units)), np.zeros((batch, units))) if initial_state is None else initial_state
    every_h, step = [], 0
    while step < steps:
        h, c = lstm_cell_forward(inputs[:, step, :], h, c, kernel, recurrent_kernel, bias)
        if return_sequences:
            every_h.append(h)
            step += 1
    return np.stack(every_h, axis=1) if return_sequences else h
'''.strip()


def variant(function: str, name: str) -> a1_variants.Variant:
    return next(v for v in a1_variants.VARIANTS if v.function == function and v.name == name)


def without_cell(notebook, grade_id: str):
    notebook.cells = [cell for cell in notebook.cells if cell.metadata.get("nbgrader", {}).get("grade_id") != grade_id]
    return notebook


def with_test_replaced(notebook, grade_ids):
    for cell in notebook.cells:
        if cell.metadata.get("nbgrader", {}).get("grade_id") in grade_ids:
            cell.source = '"""My version of this test."""\nassert True'
    return notebook


def class_submissions() -> dict:
    answers = reference_answers(ASSIGNMENT)

    def submission(**replaced):
        return make_submission(ASSIGNMENT, {**answers, **replaced})

    gru_swapped = variant("gru_cell_forward", "update_gate_swapped").source
    submissions = {
        "correct": submission(),
        "exception_in_answer": submission(gru_cell_forward="raise NotImplementedError()\n" + answers["gru_cell_forward"]),
        "infinite_loop": submission(lstm_forward=INFINITE_LOOP_ANSWER),
        "deleted_test_cell": without_cell(submission(), "test_lstm_forward_matches_keras"),
        "edited_test_cell": with_test_replaced(submission(gru_cell_forward=gru_swapped),
                                              {"test_gru_cell_gates_by_hand", "test_gru_cell_matches_keras"}),
    }
    # The variants, "wrong_gate_order" and "missing_bias" among them.
    for student, variants in a1_variants.submissions_for_variants().items():
        submissions[student] = submission(**{function: v.source for function, v in variants.items()})
    return submissions


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    workdir = tmp_path_factory.mktemp("a1_class")
    return workdir, grade_class(ASSIGNMENT, class_submissions(), workdir, workers=2, limits=CLASS_LIMITS)


def test_correct_submission_gets_every_point_quickly(graded):
    workdir, result = graded
    check_correct_submission(workdir, result, ASSIGNMENT, TOTAL_POINTS)


@pytest.mark.parametrize("student", sorted(NAMED_SCENARIOS))
def test_named_scenario_gets_the_expected_score(graded, student):
    _, result = graded
    expected_total, expected_losses = NAMED_SCENARIOS[student]
    tests = result.scores[student]["tests"]
    assert len(tests) == 13 and sum(maximum for _, maximum in tests.values()) == TOTAL_POINTS, (
        f"{student}: every test cell must be graded, a deleted one included: {sorted(tests)}")
    losses = {test: score for test, (score, maximum) in tests.items() if score < maximum}
    assert losses == expected_losses, f"{student} lost points in {losses}, expected {expected_losses}"
    assert result.scores[student]["total"] == expected_total


def test_infinite_loop_is_reported_and_stopped(graded):
    _, result = graded
    problems = " ".join(result.scores["infinite_loop"]["problems"])
    assert "test_lstm_forward_shapes" in problems and "stopped after" in problems, problems


def test_feedback_for_every_student_without_hidden_tests(graded):
    _, result = graded
    hidden = {line for cell in nbformat.read(SOURCE, as_version=4).cells
              for line in secret_lines(cell.source, kinds="HIDDEN TESTS")}
    assert len(hidden) > 50
    for student, path in result.feedback.items():
        assert path is not None and Path(path).exists(), f"no feedback for {student}"
        document = Path(path).read_text(encoding="utf-8")
        problems = " ".join(result.scores[student]["problems"])
        assert "hidden-test text" not in problems, f"nbgrader's feedback for {student} leaked hidden tests"
        assert "test_lstm_cell_gates_by_hand" in document or "Each LSTM gate, opened or closed" in document, (
            f"{student}'s feedback is not the graded notebook")
        visible = re.sub(r"<[^>]+>", "", document)
        leaked = [line for line in hidden if line in visible or line in document]
        assert not leaked, f"{student}'s feedback shows hidden-test lines: {leaked[:3]}"


def test_grades_csv_has_one_row_per_student_with_the_right_totals(graded):
    _, result = graded
    with result.csv_path.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert sorted(row["student"] for row in rows) == sorted(result.students), "one CSV row per student"
    for row in rows:
        assert float(row["max"]) == TOTAL_POINTS
        assert float(row["total"]) == result.scores[row["student"]]["total"], row["student"]
        if row["student"] in NAMED_SCENARIOS:
            assert float(row["total"]) == NAMED_SCENARIOS[row["student"]][0], row["student"]


def test_committed_release_equals_a_fresh_generation(graded):
    workdir, _ = graded
    fresh = workdir / "grading-work" / "base" / "release" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    assert fresh.exists(), f"grading.engine no longer leaves its generated release at {fresh}"
    committed, generated = (nbformat.read(path, as_version=4) for path in (RELEASE, fresh))
    stale = "assignments/a1_cells is stale: run `nbgrader generate_assignment a1_cells --force` from the repository root"
    assert committed.metadata == generated.metadata, stale
    assert len(committed.cells) == len(generated.cells), stale
    for index, (ours, theirs) in enumerate(zip(committed.cells, generated.cells)):
        assert dict(ours) == dict(theirs), f"cell {index}: {stale}"
    names = {path.name for path in RELEASE.parent.iterdir()}
    assert names == {path.name for path in fresh.parent.iterdir()}, stale


@pytest.mark.parametrize("buggy", a1_variants.VARIANTS, ids=lambda v: f"{v.function}-{v.name}")
def test_every_buggy_variant_loses_points_in_its_own_tests(graded, buggy):
    _, result = graded
    student = next(student for student, variants in a1_variants.submissions_for_variants().items()
                   if variants.get(buggy.function) == buggy)
    tests = result.scores[student]["tests"]
    checking = a1_variants.grade_ids_checking(buggy.function, tests)
    lost = sum(maximum - score for test, (score, maximum) in tests.items() if test in checking)
    assert lost > 0, f"{buggy.name} ({buggy.mistake}) kept every point of {buggy.function}'s tests"
    # ...because the tests caught it, not because the notebook was stopped or rejected.
    assert not any("stopped after" in problem or "budget" in problem or "Integrity" in problem
                   for problem in result.scores[student]["problems"]), result.scores[student]["problems"]
