"""The other Keras backends, run by .ci/run step 3 with KERAS_BACKEND=jax and KERAS_BACKEND=torch (skipped on
TensorFlow, which the rest of the suite covers): every lesson runs in smoke mode (RNNCOURSE_SMOKE=1: the same
code at tiny sizes), lesson 01's from-scratch cells match Keras to 1e-5, and each assignment's reference
solution grades to full marks in three separate kernels with identical scores."""
import os
import subprocess
import sys
from pathlib import Path

import keras
import pytest

from rnncourse.runner import execute_lesson
from tests.assignment_support import solution_answers, source_path
from tests.grading_support import grade_class, make_submission

REPOSITORY = Path(__file__).resolve().parent.parent
BACKEND = keras.backend.backend()
LESSONS = sorted((REPOSITORY / "lessons").glob("[0-9][0-9]_*.ipynb"))
ASSIGNMENTS = sorted(path.parent.name for path in (REPOSITORY / "solutions").glob("*/*.ipynb"))

pytestmark = pytest.mark.skipif(BACKEND == "tensorflow", reason=(
    "TensorFlow is covered by the whole suite; .ci/run runs this module with KERAS_BACKEND=jax and torch"))


def has_smoke_sizes(lesson: Path) -> bool:
    return "smoke=" in lesson.read_text(encoding="utf-8")


def test_every_lesson_gives_smoke_sizes():
    """At its default sizes a lesson takes minutes on JAX and PyTorch; CI's time allows seconds."""
    without = [lesson.name for lesson in LESSONS if not has_smoke_sizes(lesson)]
    assert len(LESSONS) >= 7 and not without, (
        f"{without} give no smoke sizes: write each size as by_mode(default=..., long=..., smoke=...) "
        "(CONTRIBUTING.md, 'Smoke mode')")


def test_course_setup_prints_nothing_on_stderr_with_tensorflow_installed_beside():
    """keras.utils.set_random_seed imports TensorFlow when it is installed, whatever the backend, and its
    start-up banner used to reach every lesson's setup cell on JAX and PyTorch."""
    code = ("from rnncourse import course_setup; course_setup(); import sys, keras; keras.layers.LSTM(2); "
            "print(keras.backend.backend(), 'tensorflow' in sys.modules)")
    completed = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
                               env={**os.environ, "KERAS_BACKEND": BACKEND})
    assert completed.returncode == 0, completed.stderr
    assert completed.stdout.split()[0] == BACKEND, completed.stdout
    noisy = [line for line in completed.stderr.splitlines() if line.strip()]
    assert noisy == [], f"course_setup on {BACKEND} lets start-up lines through on stderr: {noisy[:5]}"


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda path: path.stem)
def test_lesson_runs_in_smoke_mode(lesson, tmp_path, monkeypatch):
    assert has_smoke_sizes(lesson), f"{lesson.name} gives no smoke sizes (CONTRIBUTING.md, 'Smoke mode')"
    monkeypatch.setenv("RNNCOURSE_SMOKE", "1")
    run = execute_lesson(lesson, output_path=tmp_path / lesson.name, results_dir=tmp_path / "results")
    assert run.results, f"{lesson.name} recorded no results on {BACKEND}"
    print(f"{lesson.stem} on {BACKEND}, smoke mode: {run.seconds:.0f} s; {run.results.get('headline', '')}")
    if lesson.stem.startswith("01_"):
        metrics = run.results["metrics"]
        assert metrics["lstm_max_abs_diff"] <= 1e-5 and metrics["gru_max_abs_diff"] <= 1e-5, (
            f"lesson 01's NumPy cells differ from Keras on {BACKEND}: {metrics}")


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_reference_solution_grades_full_marks_three_times_alike(assignment, tmp_path):
    reference = make_submission(assignment, solution_answers(assignment))
    result = grade_class(assignment, {f"reference_{run}": reference for run in range(3)}, tmp_path)
    scores = [result.scores[f"reference_{run}"] for run in range(3)]
    for score in scores:
        lost = {test: points for test, points in score["tests"].items() if points[0] < points[1]}
        assert score["total"] == score["max"] > 0, f"{assignment} on {BACKEND}: the reference lost {lost}; {score['problems']}"
    assert scores[0]["tests"] == scores[1]["tests"] == scores[2]["tests"], f"{assignment} grades differ between runs on {BACKEND}"
    assert source_path(assignment).exists()
