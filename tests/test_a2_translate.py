"""Assignment A2 ("translate"): the source validates, the committed release is generated from it and fails
every test, and a simulated class autogrades to the expected grades with the real nbgrader, every buggy
variant in tests/a2_variants.py losing points in the tests of the cell it breaks.
"""
import csv
import json

import nbformat
import pytest

from grading.settings import GradingLimits
from tests import a2_variants
from tests.assignment_support import (
    check_correct_submission, hidden_lines_in_feedback, leaked_secret_lines, markers_in_release, nbgrader_cells, release_path,
    solution_answers, source_path, stale_release_differences, validator,
)
from tests.grading_support import grade_class, make_submission

ASSIGNMENT = "a2_translate"
TOTAL_POINTS = 32
PART_POINTS = {"padding": 5, "teacher_forcing": 6, "training_model": 8, "inference_models": 5, "greedy": 6}
CLASS_LIMITS = GradingLimits(cell_seconds=60.0, budget_seconds=150.0)

NAMED_SCENARIOS = {
    "correct": 32,
    "deleted_test_cell": 32,  # restored from the source and graded
    "greedy_raises": 26,  # an exception in the greedy answer cell costs Part 5 only
    "parts_1_and_2_only": 11,  # the model parts still raise NotImplementedError
}


def test_points_add_up_and_cells_follow_the_pattern():
    source = nbformat.read(source_path(ASSIGNMENT), as_version=4)
    tests = nbgrader_cells(source, "grade")
    assert sum(cell.metadata["nbgrader"]["points"] for cell in tests.values()) == TOTAL_POINTS
    for cell, points in PART_POINTS.items():
        assert sum(tests[test].metadata["nbgrader"]["points"] for test in a2_variants.TESTS_OF[cell]) == points, cell
    assert f"**Total: {TOTAL_POINTS} points**" in source.cells[0].source
    for grade_id, cell in tests.items():
        assert cell.metadata["nbgrader"]["locked"], f"{grade_id} must be locked"
        assert cell.source.lstrip().startswith('"""'), f"{grade_id} must open with a docstring saying what it checks"
    setup = nbgrader_cells(source, "locked").get("setup") or next(
        cell for cell in source.cells if cell.metadata.get("nbgrader", {}).get("grade_id") == "setup")
    assert setup.source.index("course_setup(") < setup.source.index("import keras"), "quiet TensorFlow before Keras"
    assert not any("tensorflow" in cell.source for cell in source.cells if cell.cell_type == "code"), "Keras 3 only"


def test_source_validates_without_stderr():
    result = validator(validate_all=True).validate(str(source_path(ASSIGNMENT)))
    assert result == {}, f"the A2 source fails its own tests: {json.dumps(result)[:3000]}"


def test_release_fails_every_test():
    result = validator(invert=True).validate(str(release_path(ASSIGNMENT)))
    assert result == {}, f"these test cells pass on the empty release: {json.dumps(result)[:3000]}"


def test_release_has_no_solution_or_hidden_test_text():
    assert markers_in_release(ASSIGNMENT) == []
    leaked, checked = leaked_secret_lines(ASSIGNMENT)
    assert checked > 40, "the secret-line extraction found too little to be a meaningful check"
    assert leaked == [], f"solution or hidden-test lines reached the release: {leaked[:5]}"


def _class_submissions() -> dict:
    answers = solution_answers(ASSIGNMENT)
    stub = "raise NotImplementedError()"
    deleted = make_submission(ASSIGNMENT, answers)
    deleted.cells = [cell for cell in deleted.cells
                     if cell.metadata.get("nbgrader", {}).get("grade_id") != "test_inference_matches_training"]
    submissions = {
        "correct": make_submission(ASSIGNMENT, answers),
        "deleted_test_cell": deleted,
        "greedy_raises": make_submission(ASSIGNMENT, {**answers, "greedy": "raise RuntimeError('not finished')\n" + answers["greedy"]}),
        "parts_1_and_2_only": make_submission(ASSIGNMENT, {**answers, "training_model": stub, "inference_models": stub, "greedy": stub}),
    }
    for student, variants in a2_variants.submissions_for_variants().items():
        submissions[student] = make_submission(ASSIGNMENT, a2_variants.answers_for(variants))
    return submissions


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    workdir = tmp_path_factory.mktemp("a2_class")
    return workdir, grade_class(ASSIGNMENT, _class_submissions(), workdir, workers=2, limits=CLASS_LIMITS)


def test_correct_submission_gets_every_point_quickly(graded):
    workdir, result = graded
    check_correct_submission(workdir, result, ASSIGNMENT, TOTAL_POINTS)


@pytest.mark.parametrize("student", sorted(NAMED_SCENARIOS))
def test_named_scenario_gets_the_expected_grade(graded, student):
    _, result = graded
    tests = result.scores[student]["tests"]
    assert sum(maximum for _, maximum in tests.values()) == TOTAL_POINTS, f"{student}: every test cell must be graded"
    assert result.scores[student]["total"] == NAMED_SCENARIOS[student], (
        f"{student}: {result.scores[student]['total']} points; tests {tests}")


@pytest.mark.parametrize("buggy", a2_variants.VARIANTS, ids=lambda variant: f"{variant.cell}-{variant.name}")
def test_every_buggy_variant_loses_points_in_its_own_tests(graded, buggy):
    _, result = graded
    student = next(name for name, variants in a2_variants.submissions_for_variants().items()
                   if variants.get(buggy.cell) == buggy)
    tests = result.scores[student]["tests"]
    lost = sum(maximum - score for test, (score, maximum) in tests.items() if test in a2_variants.TESTS_OF[buggy.cell])
    assert lost > 0, f"{buggy.name} ({buggy.mistake}) kept every point of the {buggy.cell} tests"


def test_feedback_for_every_student_without_hidden_tests(graded):
    _, result = graded
    for student, path in result.feedback.items():
        assert path is not None and path.exists(), f"no feedback for {student}"
        withheld = [problem for problem in result.scores[student]["problems"] if "hidden-test text" in problem]
        assert not withheld, f"{student}'s feedback was replaced by a score table: {withheld}"
        leaked = hidden_lines_in_feedback(ASSIGNMENT, path)
        assert leaked == [], f"{student}'s feedback shows hidden-test lines: {leaked[:3]}"


def test_grades_csv_has_one_row_per_student(graded):
    _, result = graded
    with result.csv_path.open(encoding="utf-8") as handle:
        rows = {row["student"]: row for row in csv.DictReader(handle)}
    assert sorted(rows) == sorted(result.students)
    for student, expected in NAMED_SCENARIOS.items():
        assert float(rows[student]["total"]) == expected and float(rows[student]["max"]) == TOTAL_POINTS, student


def test_committed_release_equals_a_fresh_generation(graded):
    workdir, _ = graded
    fresh = workdir / "grading-work" / "base" / "release" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    assert fresh.exists(), f"grading.engine no longer leaves its generated release at {fresh}"
    differences = stale_release_differences(ASSIGNMENT, fresh)
    assert differences == [], (
        f"assignments/{ASSIGNMENT} is stale ({differences[:5]}): run "
        f"`nbgrader generate_assignment {ASSIGNMENT} --force` from the repository root")
