"""Issue 16's adversarial suite on two real assignments: every attack, graded in one class with honest students.

tests/fixtures/grading/attacks.py builds each attack from the assignment's own release and reference answers
and states its expected result ("zero" on the untouched release, "full" beside the reference answers). Each
assignment's class is graded once with the real nbgrader, the judge and the sandbox, with an instructor
variable (a canary) set in the grader's environment. Then, for every case and every student:
the expected score; a grade row and a feedback file; no hidden-test text in any form (lines, their base64,
zlib and hex forms); no instructor variable; nothing left behind (processes, cgroups, kernel folders, files in
/run/lock, /dev/shm or /tmp, SysV IPC objects); honest neighbours with full marks; identical re-grades.
"""
import csv
import json
import os
import shutil
import subprocess
from pathlib import Path

import nbformat
import pytest

from grading import cgroups
from grading.feedback import decoded_runs, visible_text
from grading.integrity import names_bound_by
from grading.judge import graded_contract
from grading.settings import GradingLimits
from rnncourse.config import data_directory
from tests.assignment_support import nbgrader_cells, release_path, secret_lines, solution_answers, source_path
from tests.fixtures.grading.attacks import CANARY_VALUE, HONEST, AttackKit, attacks
from grading.engine import grade_submissions
from tests.grading_support import REPOSITORY

ASSIGNMENTS = ("a1_cells", "a3_listen")
LIMITS = GradingLimits(budget_seconds=90, cell_seconds=45)
# RNNCOURSE_ATTACKS=name,name grades only those attacks (with the honest students), to re-check a few quickly.
ATTACKS = [attack for attack in attacks() if not os.environ.get("RNNCOURSE_ATTACKS")
           or attack.name in os.environ["RNNCOURSE_ATTACKS"].split(",")]
CASES = [(assignment, attack) for assignment in ASSIGNMENTS for attack in ATTACKS]
REGRADED = tuple(name for name in ("honest_full", "hooks_alias_custom_exc", "array_frame_walk", "print_In_compressed",
                                    "nested_json", "answers_print_arguments") if name in {a.name for a in ATTACKS} | set(HONEST))


def _ipc_ids() -> set:
    listing = subprocess.run(["ipcs"], capture_output=True, text=True).stdout
    return {line.split()[1] for line in listing.splitlines() if line[:2] == "0x"}


def _outside_state() -> dict:
    return {"ipc": _ipc_ids(), "run_lock": set(os.listdir("/run/lock")) if os.path.isdir("/run/lock") else set(),
            "dev_shm": set(os.listdir("/dev/shm")), "tmp_mark": os.path.exists("/tmp/student-was-here")}


def grade(assignment: str, submissions: dict, workdir: Path):
    """grading.engine on raw folders written here: a submitted symbolic link must reach preflight as a link
    (tests.grading_support.grade_class copies folders with shutil.copytree, which follows links)."""
    raw = {}
    for student, submission in submissions.items():
        folder = workdir / "incoming" / student
        if isinstance(submission, Path):
            shutil.copytree(submission, folder, symlinks=True)
        else:
            folder.mkdir(parents=True)
            data = submission if isinstance(submission, bytes) else nbformat.writes(submission).encode()
            (folder / f"{assignment}.ipynb").write_bytes(data)
        raw[student] = folder
    return grade_submissions(assignment, raw, workdir, workdir / "results", source_root=REPOSITORY / "solutions",
                             workers=2, limits=LIMITS, log=lambda message: None)


def _kit(assignment: str, workdir: Path, other_checkout: Path, scratch: Path) -> AttackKit:
    release = nbformat.read(release_path(assignment), as_version=4)
    source = nbformat.read(source_path(assignment), as_version=4)
    setup = next(cell for cell in source.cells if cell.metadata.get("nbgrader", {}).get("grade_id") == "setup")
    base = workdir / "grading-work" / "base"
    return AttackKit(
        assignment=assignment, release=release, answers=solution_answers(assignment), contract=graded_contract(source),
        setup_names=names_bound_by(setup.source) - {"GRADED"},
        secret_paths={"source": str(base / "source" / assignment / f"{assignment}.ipynb"),
                      "reference": str(REPOSITORY / "grading" / "references" / f"{assignment}.py"),
                      "gradebook": str(base / "gradebook.db"), "data": str(data_directory()),
                      "other_checkout": str(other_checkout / "solutions" / f"{assignment}.ipynb"),
                      "other_student": str(workdir / "incoming" / "honest_full" / f"{assignment}.ipynb")},
        scratch=scratch)


@pytest.fixture(scope="module", params=ASSIGNMENTS)
def graded(request, tmp_path_factory):
    assignment = request.param
    root = tmp_path_factory.mktemp(f"attacks-{assignment}")
    workdir = root / "class"
    other_checkout = root / "srv-other-checkout"  # another course checkout with its solutions, outside the allow-list
    shutil.copytree(REPOSITORY / "solutions" / assignment, other_checkout / "solutions")
    kit = _kit(assignment, workdir, other_checkout, root / "scratch")
    submissions = {attack.name: attack.build(kit) for attack in ATTACKS}
    submissions.update({name: kit.full() if expect == "full" else kit.notebook() for name, expect in HONEST.items()})
    before = _outside_state()
    os.environ["INSTRUCTOR_API_TOKEN"] = CANARY_VALUE
    try:
        result = grade(assignment, submissions, workdir)
    finally:
        os.environ.pop("INSTRUCTOR_API_TOKEN")
    points = sum(cell.metadata["nbgrader"]["points"]
                 for cell in nbgrader_cells(nbformat.read(source_path(assignment), as_version=4), "grade").values())
    return {"assignment": assignment, "result": result, "workdir": workdir, "before": before, "after": _outside_state(),
            "points": points, "submissions": submissions, "root": root}


def _feedback(graded, student) -> str:
    return graded["result"].feedback[student].read_text(encoding="utf-8")


def test_the_suite_has_at_least_80_attack_cases_over_two_real_assignments():
    if os.environ.get("RNNCOURSE_ATTACKS"):
        pytest.skip(f"RNNCOURSE_ATTACKS selects a few attacks; the whole suite has {len(attacks()) * len(ASSIGNMENTS)}")
    assert len(CASES) >= 80 and len(ASSIGNMENTS) >= 2
    assert len({attack.name for attack in ATTACKS}) == len(ATTACKS)
    assert {attack.area for attack in ATTACKS} == {"faking", "leak", "escape", "resources", "malformed"}


@pytest.mark.parametrize("attack", ATTACKS, ids=[attack.name for attack in ATTACKS])
def test_attack_scores_what_the_student_really_solved(graded, attack):
    score = graded["result"].scores[attack.name]
    problems = " | ".join(score["problems"])
    assert score["max"] == graded["points"], f"{attack.name}: the maximum must come from the source notebook"
    expected = graded["points"] if attack.expect == "full" else 0
    assert score["total"] == expected, f"{graded['assignment']} {attack.name}: {score['total']} (problems: {problems})"
    for text in attack.problem:
        assert text in problems, f"{attack.name}: expected a problem mentioning {text!r}, got: {problems}"
    feedback = _feedback(graded, attack.name)
    for text in attack.absent:
        assert text not in feedback, f"{attack.name}: the feedback shows {text!r}"
    for text in attack.extra.get("present", ()):
        assert text in feedback, f"{attack.name}: the attack did not run as written (no {text!r} in its feedback)"
    if attack.extra.get("absent_in_test_outputs"):
        autograded = graded["result"].students[attack.name].autograded / f"{graded['assignment']}.ipynb"
        tests = [cell for cell in nbformat.read(autograded, as_version=4).cells
                 if cell.metadata.get("nbgrader", {}).get("grade")]
        shown = [text for text in attack.extra["absent_in_test_outputs"] for cell in tests
                 if text in json.dumps(cell.get("outputs", []))]
        assert not shown, f"{attack.name}: a test cell shows what the student's code printed during the judge's call"


def test_honest_students_keep_full_marks_next_to_hostile_neighbours(graded):
    scores = graded["result"].scores
    for name, expect in HONEST.items():
        expected = graded["points"] if expect == "full" else 0
        assert scores[name]["total"] == expected, f"{name}: {scores[name]['total']} ({scores[name]['problems']})"


def test_every_student_has_a_grade_row_and_feedback(graded):
    result = graded["result"]
    rows = {row["student"]: row for row in csv.DictReader(result.csv_path.open(encoding="utf-8"))}
    assert set(rows) == set(graded["submissions"])
    for student, path in result.feedback.items():
        assert path.is_file() and f"Grading notes for {student}" in path.read_text(encoding="utf-8")
        assert path.stat().st_size < 6_000_000, f"{student}: {path.stat().st_size} bytes of feedback"


def _hidden_lines(assignment: str) -> set:
    released = {line.strip() for cell in nbformat.read(release_path(assignment), as_version=4).cells
                for line in cell.source.splitlines()}
    return {line for cell in nbformat.read(source_path(assignment), as_version=4).cells
            for line in secret_lines(cell.source, kinds="HIDDEN TESTS")} - released


def test_no_hidden_text_in_any_form_and_no_instructor_variable(graded):
    import base64
    hidden = _hidden_lines(graded["assignment"])
    assert hidden, "the assignment has hidden tests, so this check must have lines to look for"
    encoded = {base64.b64encode(line.encode()).decode()[:24] for line in hidden}
    for student in graded["submissions"]:
        document = _feedback(graded, student)
        forms = [document, visible_text(document)] + decoded_runs(visible_text(document))
        shown = [line for line in hidden if any(line in form for form in forms)]
        assert not shown, f"{student}: hidden lines in the feedback: {shown[:3]}"
        assert not any(text in document for text in encoded), f"{student}: base64 of a hidden line"
        assert CANARY_VALUE not in document and not any(CANARY_VALUE in form for form in forms), student
        problems = " ".join(graded["result"].scores[student]["problems"])
        assert "hidden-test" not in problems.replace("hidden-test markers", ""), (
            f"{student}: hidden text reached nbgrader's feedback and only the backstop withheld it: {problems}")
    for path in (graded["workdir"] / "grading-work").glob("shard-*/autograded/*/*/*.ipynb"):
        assert CANARY_VALUE not in path.read_text(encoding="utf-8"), f"the instructor variable reached {path}"


def test_nothing_is_left_behind_after_the_students(graded):
    after, before = graded["after"], graded["before"]
    assert after["ipc"] <= before["ipc"], f"SysV IPC objects survived: {after['ipc'] - before['ipc']}"
    assert after["run_lock"] <= before["run_lock"] and after["dev_shm"] <= before["dev_shm"]
    assert not after["tmp_mark"]
    sandboxes = graded["workdir"] / "grading-work" / "sandboxes"
    assert not sandboxes.exists() or not list(sandboxes.iterdir()), "kernel folders were left behind"
    if os.geteuid() != 0:
        pytest.skip("per-student uids and cgroups exist only when grading as root")
    run = cgroups.run_name(graded["workdir"] / "grading-work" / "sandboxes")
    running = []  # processes of this run's students, found by their cgroup (other runs may be grading now)
    for path in Path("/proc").glob("[0-9]*/cgroup"):
        try:
            running += [path.parent.name] if run in path.read_text() else []
        except OSError:
            continue
    assert not running, f"student processes are still running: {running[:5]}"
    left = [path for path in cgroups.run_folders(run) if path.exists()]
    assert not left, f"this run's cgroups were left: {left[:3]}"


def test_regrading_gives_identical_grades(graded, tmp_path):
    again = grade(graded["assignment"], {name: graded["submissions"][name] for name in REGRADED}, tmp_path)
    for name in REGRADED:
        first, second = graded["result"].scores[name], again.scores[name]
        assert (first["total"], first["tests"]) == (second["total"], second["tests"]), name
