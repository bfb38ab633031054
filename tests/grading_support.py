"""Public helpers for simulated-class tests: build submissions and grade them with the real nbgrader.

    from tests.grading_support import make_submission, grade_class
    submission = make_submission("a1_cells", {"sigmoid": "def sigmoid(x):\n    return 1 / (1 + np.exp(-x))"})
    result = grade_class("a1_cells", {"correct": submission}, tmp_path)
    assert result.scores["correct"]["total"] == result.scores["correct"]["max"]

grade_class runs grading.engine (the same parallel, sandboxed nbgrader pipeline instructors use) on a
throw-away course folder under `workdir` that holds a copy of only this assignment's source.
"""
import copy
import os
import shutil
import sys
from pathlib import Path

import nbformat

REPOSITORY = Path(__file__).resolve().parent.parent
if str(REPOSITORY) not in sys.path:
    sys.path.insert(0, str(REPOSITORY))

from grading.engine import ClassResult, grade_submissions  # noqa: E402
from grading.settings import GradingLimits  # noqa: E402

FIXTURE_SOURCE = REPOSITORY / "tests" / "fixtures" / "grading" / "source"


def release_path(assignment: str, release_root: Path | None = None) -> Path:
    return Path(release_root or REPOSITORY / "assignments") / assignment / f"{assignment}.ipynb"


def make_submission(assignment: str, answers: dict, release_root: Path | None = None):
    """The release notebook with the source of the answer cells whose grade_id is a key replaced."""
    notebook = nbformat.read(release_path(assignment, release_root), as_version=4)
    notebook = copy.deepcopy(notebook)
    unused = set(answers)
    for cell in notebook.cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if grade_id in answers:
            cell.source = answers[grade_id]
            unused.discard(grade_id)
    if unused:
        raise KeyError(f"no cell with grade_id {sorted(unused)} in the {assignment} release")
    return notebook


def grade_class(assignment: str, submissions: dict, workdir: Path, workers: int = 2, *,
                source_root: Path | None = None, limits: GradingLimits | None = None,
                due_date: str | None = None, timestamps: dict | None = None) -> ClassResult:
    """Autograde a simulated class with the real nbgrader.

    submissions: student -> notebook (NotebookNode), Path (a notebook file, or a folder of submitted
    files) or bytes (the raw file content, for corrupt files), or None (nothing submitted).
    Returns ClassResult: .scores[student] -> {"total", "max", "tests": {grade_id: (score, max)},
    "status": "graded" | "problem", "problems": [str]}, .feedback[student] -> HTML Path, .csv_path.
    """
    workdir = Path(workdir)
    incoming = workdir / "incoming"
    raw_folders = {}
    for student, submission in submissions.items():
        folder = incoming / student
        if folder.exists():  # a second call with the same workdir must not see the first call's files
            shutil.rmtree(folder)
        folder.mkdir(parents=True)
        target = folder / f"{assignment}.ipynb"
        if submission is None:
            raw_folders[student] = None
            continue
        if isinstance(submission, nbformat.NotebookNode):
            nbformat.write(submission, target)
        elif isinstance(submission, (bytes, bytearray)):
            target.write_bytes(bytes(submission))
        elif isinstance(submission, Path) and submission.is_dir():
            shutil.rmtree(folder)
            shutil.copytree(submission, folder, symlinks=True)  # a link stays a link, for preflight to refuse
        elif isinstance(submission, Path):
            target.write_bytes(submission.read_bytes())
        else:
            raise TypeError(f"submission of {student} is a {type(submission).__name__}: use a notebook, Path or bytes")
        if timestamps and student in timestamps:
            (folder / "timestamp.txt").write_text(timestamps[student])
        raw_folders[student] = folder
    return grade_submissions(assignment, raw_folders, workdir, workdir / "results",
                             source_root=Path(source_root or REPOSITORY / "solutions"), workers=workers,
                             limits=limits, due_date=due_date, log=lambda message: None)


def generate_release(assignment: str, source_root: Path, workdir: Path) -> Path:
    """Run `nbgrader generate_assignment` on a copy of one source; returns the release root folder."""
    from grading.engine import _child_environment, prepare_base_course, sandbox_mode
    workdir = Path(workdir)
    events = workdir / "events"
    events.mkdir(parents=True, exist_ok=True)
    limits = GradingLimits()
    environment = _child_environment(events, limits, sandbox_mode(), hide=[])
    prepare_base_course(assignment, Path(source_root), workdir / "course", limits, events, environment)
    return workdir / "course" / "release"


def grade_probe_class(root: Path, probe_source: str, variable: str, values, limits: GradingLimits) -> dict:
    """Grade a two-student class of the fixture assignment once with os.environ[variable] set to each value.

    "probe" answers the softmax cell with probe_source (a correct softmax that also prints `PROBE name: value`
    lines, read back with probe_lines); "buggy" gets the window mean wrong. Returns value -> ClassResult.
    """
    from tests.fixtures.grading.cases import WRONG_WINDOW, Kit

    root = Path(root)
    release = generate_release("fixture_grading", FIXTURE_SOURCE, root / "release")
    kit = Kit(release=nbformat.read(release / "fixture_grading" / "fixture_grading.ipynb", as_version=4),
              solution=None, secret_paths={}, scratch=root)
    submissions = {"probe": kit.answers(softmax=probe_source), "buggy": kit.answers(window=WRONG_WINDOW)}
    results = {}
    for value in values:
        os.environ[variable] = value
        try:
            results[value] = grade_class("fixture_grading", submissions, root / f"{variable}-{value}", workers=1,
                                         source_root=FIXTURE_SOURCE, limits=limits)
        finally:
            os.environ.pop(variable)
    return results


def probe_lines(result: ClassResult, student: str) -> dict:
    """name -> value for each `PROBE name: value` line that the student's cells printed when autograded."""
    notebook = nbformat.read(result.students[student].autograded / f"{result.assignment}.ipynb", as_version=4)
    text = "".join(output.get("text", "") for cell in notebook.cells for output in cell.get("outputs", []))
    return {line.split(":")[0]: line.split(":", 1)[1].strip() for line in text.splitlines() if line.startswith("PROBE")}
