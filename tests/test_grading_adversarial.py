"""Adversarial suite: 50 hostile, broken and honest submissions graded in one class with the real nbgrader.

Each case in tests/fixtures/grading/cases.py states its expected grade, problems and feedback. The class is
graded once (module fixture), then every case and every cross-cutting promise is checked: a row and a
feedback file for everyone, no hidden-test text in any student-facing file, the originals, other students'
files and the gradebook untouched, no process left behind, and identical grades on a re-run.
"""
import csv
import hashlib
import os
import sqlite3
import subprocess
from pathlib import Path

import nbformat
import pytest

from grading.settings import GradingLimits
from rnncourse.config import data_directory
from tests.fixtures.grading.cases import CASES, Kit
from tests.grading_support import FIXTURE_SOURCE, generate_release, grade_class

ASSIGNMENT = "fixture_grading"
LIMITS = GradingLimits(budget_seconds=24, cell_seconds=10, max_output_kb=256, max_file_mb=50, memory_mb=3072)
DUE = "2026-01-01 12:00:00 UTC"
ON_TIME, LATE = "2026-01-01 11:00:00.000000 UTC", "2026-01-02 12:00:00.000000 UTC"
HIDDEN_MARKERS = ("hidden-fixture-canary-7f3a", "_hidden_series", "_hidden_expected", "subtract the row maximum")


def _digest(folder: Path) -> dict:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def _write_originals(kit, cases, folder: Path) -> dict:
    submissions = {}
    for case in cases:
        built = case.build(kit)
        if built is None or isinstance(built, Path):
            submissions[case.name] = built
            continue
        path = folder / f"{case.name}.ipynb"
        path.write_bytes(built if isinstance(built, bytes) else nbformat.writes(built).encode())
        submissions[case.name] = path
    return submissions


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    root = tmp_path_factory.mktemp("adversarial")
    release = generate_release(ASSIGNMENT, FIXTURE_SOURCE, root / "release")
    workdir = root / "class"
    originals = root / "originals"
    originals.mkdir()
    base = workdir / "grading-work" / "base"
    kit = Kit(release=nbformat.read(release / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", as_version=4),
              solution=nbformat.read(FIXTURE_SOURCE / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", as_version=4),
              secret_paths={"source": str(base / "source" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"),
                            "gradebook": str(base / "gradebook.db"),
                            "data": str(data_directory()),
                            "staged_glob": str(workdir / "grading-work" / "staged" / "*" / "*"),
                            "sandbox_glob": str(workdir / "grading-work" / "sandboxes" / "*" / "*"),
                            "other_original": str(originals / "correct.ipynb")},
              scratch=root / "folders")
    submissions = _write_originals(kit, CASES, originals)
    before = _digest(originals) | {f"folders/{k}": v for k, v in _digest(kit.scratch).items()}
    timestamps = {case.name: ON_TIME for case in CASES}
    timestamps["late"] = LATE
    result = grade_class(ASSIGNMENT, submissions, workdir, workers=2, source_root=FIXTURE_SOURCE,
                         limits=LIMITS, due_date=DUE, timestamps=timestamps)
    after = _digest(originals) | {f"folders/{k}": v for k, v in _digest(kit.scratch).items()}
    return {"result": result, "before": before, "after": after, "release": release, "workdir": workdir,
            "submissions": submissions, "root": root}


def test_suite_has_at_least_30_cases_in_every_area():
    areas = {case.area for case in CASES}
    assert len(CASES) >= 30 and areas == {"honest", "tampering", "resources", "escape", "malformed"}
    assert len({case.name for case in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_case_outcome(graded, case):
    score = graded["result"].scores[case.name]
    problems = " | ".join(score["problems"])
    assert score["max"] == 7, f"{case.name}: max points must come from the source, got {score['max']}"
    if case.total is not None:
        assert score["total"] == case.total, f"{case.name}: total {score['total']} (problems: {problems})"
    for test, expected in case.tests.items():
        assert score["tests"][test] == expected, f"{case.name}: {test} = {score['tests'][test]} ({problems})"
    for text in case.problem:
        assert text in problems, f"{case.name}: expected a problem mentioning {text!r}, got: {problems}"
    assert (score["status"] == "problem") == bool(score["problems"])
    feedback = graded["result"].feedback[case.name].read_text(encoding="utf-8")
    for text in case.feedback:
        assert text in feedback, f"{case.name}: feedback lacks {text!r}"
    for text in case.absent:
        assert text not in feedback, f"{case.name}: feedback contains {text!r}"
    for text in case.problem:  # every problem is named in the student's feedback too
        assert text in feedback.replace("&#x27;", "'").replace("&quot;", '"')


def test_every_student_has_a_row_and_a_feedback_file(graded):
    result = graded["result"]
    rows = list(csv.DictReader(result.csv_path.open(encoding="utf-8")))
    assert sorted(row["student"] for row in rows) == sorted(case.name for case in CASES)
    for row in rows:
        score = result.scores[row["student"]]
        assert float(row["total"]) == score["total"] and row["status"] == score["status"]
        assert result.feedback[row["student"]].stat().st_size < 2_000_000  # no 20 MB output survives


def test_hidden_tests_reach_no_student_facing_file(graded):
    files = list(graded["result"].feedback.values()) + list(Path(graded["release"]).rglob("*.ipynb"))
    files += list((graded["workdir"] / "results" / "feedback").rglob("*"))
    for path in files:
        if path.is_file():
            text = path.read_text(encoding="utf-8", errors="replace")
            for marker in HIDDEN_MARKERS:
                assert marker not in text, f"{marker!r} leaked into {path}"


def test_originals_other_students_and_gradebook_unchanged(graded):
    assert graded["before"] == graded["after"], "a submission or another student's file was modified"
    assert not Path("/tmp/escaped-by-student").exists()
    gradebook = graded["workdir"] / "grading-work" / "base" / "gradebook.db"
    with sqlite3.connect(gradebook) as connection:
        assert connection.execute("pragma integrity_check").fetchone()[0] == "ok"
        assert connection.execute("select count(*) from submitted_assignment").fetchone()[0] == 0
    sandboxes = graded["workdir"] / "grading-work" / "sandboxes"
    assert sandboxes.is_dir() and not list(sandboxes.iterdir()), "a kernel folder was left behind"


def test_no_student_process_survives(graded):
    if os.geteuid() != 0:
        pytest.fail("run as root (as CI does) to check per-student uids")
    commands = subprocess.run(["ps", "-eo", "uid=,args="], capture_output=True, text=True, check=True).stdout
    # A kernel forked from the preload server carries the server's command line (grading/preload.py).
    left = [line for line in commands.splitlines() if int(line.split()[0]) != 0
            and (str(graded["workdir"]) in line or "preload.py" in line)]
    assert not left, f"student processes are still running: {left[:3]}"


def test_report_names_problems_and_pass_rates(graded):
    report = graded["result"].report_dir
    text = (report / "report.md").read_text()
    assert "| test_softmax | 2 |" in text and "**invalid_json**" in text and "**correct**" not in text
    rates = list(csv.DictReader((report / f"{ASSIGNMENT}_pass_rates.csv").open()))
    assert {row["test"] for row in rates} == {"test_softmax", "test_window_mean", "test_dense_model"}
    assert all(0 < float(row["pass_rate"]) < 1 for row in rates)
    png = (report / f"{ASSIGNMENT}_histogram.png").read_bytes()
    assert png.startswith(b"\x89PNG") and len(png) > 5000


def test_regrading_gives_identical_grades(graded, tmp_path):
    names = ["correct", "edited_test", "loop_everywhere", "invalid_json", "os_exit", "np_testing", "renamed_file"]
    again = grade_class(ASSIGNMENT, {name: graded["submissions"][name] for name in names}, tmp_path, workers=2,
                        source_root=FIXTURE_SOURCE, limits=LIMITS, due_date=DUE)
    for name in names:
        first, second = graded["result"].scores[name], again.scores[name]
        assert (first["total"], first["tests"]) == (second["total"], second["tests"]), name
