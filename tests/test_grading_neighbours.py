"""An honest student's score and time next to a CPU hog (issue 16: limits must hold against aggregates).

The same correct A1 submission is graded alone, then in a class of two beside a student whose answer cell
starts 83 busy processes, each after os.setsid(), and keeps them running for 40 s. Each student has an
equal CPU share (grading/cgroups.py), so the honest student keeps every point and needs at most half as long
again. The figures are printed (pytest -s) for grading/README.md.
"""
import json
import os

import pytest

from grading.settings import GradingLimits
from tests.assignment_support import solution_answers
from tests.grading_support import grade_class, make_submission

ASSIGNMENT = "a1_cells"
LIMITS = GradingLimits(budget_seconds=90, cell_seconds=60)
HOG = ("import os, time\nfor _ in range(83):\n    if os.fork() == 0:\n        os.setsid()\n        while True:\n"
       "            pass\ntime.sleep(40)")


def _seconds(workdir, student) -> float:
    events = json.loads((workdir / "grading-work" / "events" / f"{student}.json").read_text())
    return events["wall_seconds"] - events["preload_start_seconds"]


def test_an_honest_student_keeps_score_and_time_next_to_a_cpu_hog(tmp_path):
    if os.geteuid() != 0:
        pytest.skip("per-student cgroups need root (CI grades as root)")
    honest = make_submission(ASSIGNMENT, solution_answers(ASSIGNMENT))
    hog = make_submission(ASSIGNMENT, {})
    hog.cells.insert(1, type(hog.cells[0])(cell_type="code", source=HOG, metadata={}, outputs=[],
                                           execution_count=None, id="hog"))
    alone = grade_class(ASSIGNMENT, {"honest": honest}, tmp_path / "alone", workers=1, limits=LIMITS)
    beside = grade_class(ASSIGNMENT, {"honest": honest, "hog": hog}, tmp_path / "beside", workers=2, limits=LIMITS)
    seconds_alone, seconds_beside = _seconds(tmp_path / "alone", "honest"), _seconds(tmp_path / "beside", "honest")
    print(f"honest A1 submission: {seconds_alone:.1f} s alone, {seconds_beside:.1f} s beside 83 setsid busy "
          f"processes (load average {os.getloadavg()[0]:.1f})")
    assert alone.scores["honest"]["total"] == alone.scores["honest"]["max"]
    assert beside.scores["honest"]["total"] == alone.scores["honest"]["total"]
    assert beside.scores["honest"]["tests"] == alone.scores["honest"]["tests"]
    assert beside.scores["hog"]["total"] == 0
    assert seconds_beside <= 1.5 * seconds_alone + 3.0, (seconds_alone, seconds_beside)
