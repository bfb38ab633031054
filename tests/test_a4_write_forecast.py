"""Assignment A4 ("write and forecast"): the source validates, the release is generated and fails every test,
and a simulated class, including every buggy variant in tests/a4_variants.py, autogrades as expected with
the real nbgrader (one class, graded once for the whole module).
"""
import html
import json
import re
from pathlib import Path

import nbformat
import pytest

from tests import a4_variants
from tests.assignment_support import (check_correct_submission, hidden_lines_in_feedback, leaked_secret_lines,
                                      markers_in_release, nbgrader_cells, solution_answers,
                                      stale_release_differences, validator)
from tests.grading_support import grade_class, make_submission

ASSIGNMENT = "a4_write_forecast"
REPOSITORY = Path(__file__).resolve().parent.parent
SOURCE = REPOSITORY / "solutions" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
RELEASE = REPOSITORY / "assignments" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
TOTAL_POINTS = 30
PART_POINTS = {"sample_with_temperature": 7, "bits_per_character": 5, "make_windows": 7, "forecast_errors": 5,
               "build_forecaster": 6}


@pytest.fixture(scope="module", autouse=True)
def datasets_built():
    """Build the datasets the notebook loads before any kernel runs it: a first build inside an autograded
    cell would run into the per-cell time limit."""
    from rnncourse.data import build_datasets

    assert build_datasets(("words", "traffic"), progress=lambda message: None) == 0


def test_points_add_up_to_the_stated_total():
    tests = nbgrader_cells(nbformat.read(SOURCE, as_version=4), "grade")
    assert sum(cell.metadata["nbgrader"]["points"] for cell in tests.values()) == TOTAL_POINTS
    for function, points in PART_POINTS.items():
        cells = a4_variants.grade_ids_checking(function, tests)
        assert sum(tests[grade_id].metadata["nbgrader"]["points"] for grade_id in cells) == points, function
    header = nbformat.read(SOURCE, as_version=4).cells[0].source
    assert f"**Total: {TOTAL_POINTS} points**" in header, "the student header must state the total"


def test_source_validates():
    result = validator().validate(str(SOURCE))
    assert result == {}, f"the A4 source fails its own tests: {json.dumps(result)[:3000]}"


def test_release_fails_every_test():
    release = nbformat.read(RELEASE, as_version=4)
    answers = nbgrader_cells(release, "solution")
    assert set(answers) == set(PART_POINTS), f"answer cells in the release: {sorted(answers)}"
    assert all("raise NotImplementedError()" in cell.source for cell in answers.values())
    assert len(nbgrader_cells(release, "grade")) == len(nbgrader_cells(nbformat.read(SOURCE, as_version=4), "grade"))
    result = validator(invert=True).validate(str(RELEASE))
    assert result == {}, f"these test cells pass on the empty release: {json.dumps(result)[:3000]}"


def test_release_has_no_solution_or_hidden_test_text():
    assert markers_in_release(ASSIGNMENT) == [], "nbgrader markers reached the release"
    leaked, checked = leaked_secret_lines(ASSIGNMENT)
    assert checked > 20, f"only {checked} secret lines were found in the source: is the leak check still reading it?"
    assert leaked == [], f"solution or hidden-test lines reached the release: {leaked[:3]}"


# ----------------------------------------------------------------------------------------------------
# One simulated class, graded once: the reference answers, the empty release, a half-finished notebook,
# and the buggy variants packed five to a submission (see tests/a4_variants.py).

def class_submissions() -> dict:
    answers = solution_answers(ASSIGNMENT)
    submissions = {
        "correct": make_submission(ASSIGNMENT, answers),
        "empty_release": make_submission(ASSIGNMENT, {}),
        "half_done": make_submission(ASSIGNMENT, {name: answers[name] for name in ("sample_with_temperature", "make_windows")}),
    }
    for student, variants in a4_variants.submissions_for_variants().items():
        mixed = dict(answers)
        mixed.update({function: variant.source for function, variant in variants.items()})
        submissions[student] = make_submission(ASSIGNMENT, mixed)
    return submissions


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    workdir = tmp_path_factory.mktemp("a4_class")
    return workdir, grade_class(ASSIGNMENT, class_submissions(), workdir)


def test_correct_submission_gets_every_point_quickly(graded):
    workdir, result = graded
    check_correct_submission(workdir, result, ASSIGNMENT, TOTAL_POINTS)


def test_expected_grades_for_the_class(graded):
    _, result = graded
    assert result.scores["empty_release"]["total"] == 0, result.scores["empty_release"]["tests"]
    half = PART_POINTS["sample_with_temperature"] + PART_POINTS["make_windows"]
    assert result.scores["half_done"]["total"] == half, result.scores["half_done"]["tests"]
    rows = result.csv_path.read_text().strip().splitlines()
    assert len(rows) == 1 + len(result.students), "one CSV row per student"


def test_committed_release_equals_a_fresh_generation(graded):
    workdir, _ = graded
    fresh = workdir / "grading-work" / "base" / "release" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    assert fresh.exists(), f"grading.engine no longer leaves its generated release at {fresh}"
    differences = stale_release_differences(ASSIGNMENT, fresh)
    assert differences == [], (
        f"assignments/{ASSIGNMENT} differs from a fresh generation ({differences[:5]}): run "
        f"`nbgrader generate_assignment {ASSIGNMENT} --force` from the repository root and commit the result")


def test_feedback_shows_visible_tests_but_no_hidden_tests(graded):
    """Every student gets the graded notebook as feedback (not the score table that grading.engine substitutes
    when it finds hidden-test text), and no hidden-test line appears in it, not even in a traceback."""
    _, result = graded
    for student, path in result.feedback.items():
        document = Path(path).read_text(encoding="utf-8")
        visible = html.unescape(re.sub(r"<[^>]+>", "", document))
        withheld = [problem for problem in result.scores[student]["problems"] if "hidden-test text" in problem]
        assert not withheld, f"{student}'s feedback was withheld: {withheld}"
        assert "Sample text from a character model at any temperature" in visible, f"{student}'s feedback is not the graded notebook"
        leaked = hidden_lines_in_feedback(ASSIGNMENT, Path(path))
        assert not leaked, f"{student}'s feedback shows hidden-test lines: {leaked[:3]}"


@pytest.mark.parametrize("variant", a4_variants.VARIANTS, ids=lambda variant: f"{variant.function}-{variant.name}")
def test_every_buggy_variant_loses_points(graded, variant):
    _, result = graded
    student = next(student for student, variants in a4_variants.submissions_for_variants().items()
                   if variants.get(variant.function) == variant)
    tests = result.scores[student]["tests"]
    checking = a4_variants.grade_ids_checking(variant.function, tests)
    lost = sum(maximum - score for test, (score, maximum) in tests.items() if test in checking)
    assert lost > 0, f"{variant.name} ({variant.mistake}) kept every point of {variant.function}'s tests"
