"""Instructor commands for the course, on top of nbgrader (formgrader, gradebook and exchange keep working).

    python grading/course.py generate  a1_cells            # nbgrader generate_assignment: solutions/ -> assignments/
    python grading/course.py release   a1_cells            # nbgrader release_assignment to the exchange
    python grading/course.py collect   a1_cells            # from the exchange (links refused, times kept)
    python grading/course.py collect   a1_cells --zip downloads.zip   # or from a zip of downloaded submissions
    python grading/course.py autograde a1_cells [--student alice] [--workers 2] [--due "2026-03-01 17:00 UTC"]
    python grading/course.py feedback  a1_cells [--release]  # regenerate feedback after manual grading
    python grading/course.py export                        # nbgrader export + lateness -> grading/grades.csv
    python grading/course.py grade-all a1_cells [--zip downloads.zip]   # collect + autograde + report
    python grading/course.py bundle    student-bundle.zip  # the repository without solutions and instructor files

`autograde` grades every collected submission in parallel, each in its own sandboxed kernel (see
grading/README.md), writes the grades into nbgrader's gradebook, the autograded notebooks and feedback into
grading/autograded and grading/feedback, and a CSV and report (histogram, pass rates) into grading/reports/.
"""
import argparse
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

GRADING = Path(__file__).resolve().parent
REPOSITORY = GRADING.parent
if str(REPOSITORY) not in sys.path:
    sys.path.insert(0, str(REPOSITORY))

from grading.engine import STUDENT_ID, grade_submissions  # noqa: E402
from grading.collect import CollectError, collect_exchange, collect_zip  # noqa: E402
from grading.feedback import Secrets, submitted_text, unsafe_markup  # noqa: E402
from grading.lateness import format_time, gradebook_due_date, parse_time  # noqa: E402
from grading.settings import COURSE_ID  # noqa: E402
from grading.settings import GradingLimits  # noqa: E402


class CourseError(Exception):
    """A problem the instructor can fix; printed without a traceback."""


def nbgrader(*arguments: str, root: Path = REPOSITORY, check: bool = True) -> int:
    from rnncourse.environment import use_this_interpreter_for_children
    use_this_interpreter_for_children()
    command = [sys.executable, "-m", "nbgrader", *arguments]
    print("$ nbgrader " + " ".join(arguments), flush=True)
    code = subprocess.run(command, cwd=root).returncode
    if check and code != 0:
        raise CourseError(f"nbgrader {' '.join(arguments)} failed; its messages are above")
    return code


def course_paths(root: Path) -> dict:
    return {"source": root / "solutions", "release": root / "assignments", "submitted": root / "grading" / "submitted",
            "autograded": root / "grading" / "autograded", "feedback": root / "grading" / "feedback",
            "reports": root / "grading" / "reports", "gradebook": root / "grading" / "gradebook.db",
            "work": root / "grading" / "work", "inbound": root / "grading" / "exchange" / COURSE_ID / "inbound"}


# ---------------------------------------------------------------------------------------------------------
# collect (grading/collect.py): links and special files refused, one odd entry refused on its own

def collect(assignment: str, root: Path, archive: Path | None = None) -> list[str]:
    paths = course_paths(root)
    try:
        if archive is not None:
            students, refused = collect_zip(assignment, archive, paths["submitted"], STUDENT_ID)
        else:
            students, refused = collect_exchange(assignment, paths["inbound"], paths["submitted"], STUDENT_ID)
    except CollectError as error:
        raise CourseError(str(error)) from None
    print(f"collected {len(students)} students of {assignment} from {archive or paths['inbound']} "
          f"into {paths['submitted']}")
    for reason in refused:
        print(f"REFUSED {reason}", file=sys.stderr)
    return students


# ---------------------------------------------------------------------------------------------------------
# autograde: parallel engine + merge into nbgrader's gradebook and folders

def merge_into_course(assignment: str, result, paths: dict) -> None:
    """Write the engine's grades into the course gradebook; replace autograded and feedback folders.

    A student whose (re-)grade failed gets zero auto scores and a flag, never their earlier grade.
    """
    from nbgrader.api import Gradebook, MissingEntry
    with Gradebook(f"sqlite:///{paths['gradebook']}", COURSE_ID) as gradebook:
        try:
            gradebook.find_assignment(assignment)
        except MissingEntry:
            raise CourseError(f"{assignment} is not in the gradebook: run `python grading/course.py generate "
                              f"{assignment}` first") from None
        for student, outcome in sorted(result.students.items()):
            gradebook.update_or_create_student(student)
            submission = gradebook.update_or_create_submission(assignment, student)
            submission.timestamp = parse_time(outcome.submitted_at) if outcome.submitted_at else None
            submission.extension = None
            for notebook in submission.notebooks:
                notebook.flagged = outcome.status == "problem"
                for grade in notebook.grades:
                    if grade.name in outcome.tests:
                        grade.auto_score = outcome.tests[grade.name][0]
                        grade.needs_manual_grade = False
            gradebook.db.commit()
            for kind, source in (("autograded", outcome.autograded), ("feedback", outcome.feedback.parent)):
                destination = paths[kind] / student / assignment
                if destination.exists():
                    shutil.rmtree(destination)
                if source is not None and source.exists():
                    shutil.copytree(source, destination)
            sanitise_notebooks(paths["autograded"] / student / assignment)


def sanitise_notebooks(folder: Path) -> None:
    """The formgrader shows autograded notebooks in the instructor's browser: no student <script>, no onerror=."""
    import nbformat
    from nbconvert.preprocessors.sanitize import SanitizeHTML
    for path in folder.glob("*.ipynb") if folder.is_dir() else []:
        notebook = nbformat.read(path, as_version=4)
        SanitizeHTML().preprocess(notebook, {})
        path.chmod(0o644)
        nbformat.write(notebook, path)


def due_date(assignment: str, root: Path, given: str | None) -> str | None:
    """The due date to grade against: --due (also stored in the gradebook), else the gradebook's."""
    paths = course_paths(root)
    if given:
        moment = parse_time(given)
        if moment is None:
            raise CourseError(f"--due {given!r} is not a time: write it like '2026-03-01 17:00:00 UTC'")
        from nbgrader.api import Gradebook
        with Gradebook(f"sqlite:///{paths['gradebook']}", COURSE_ID) as gradebook:
            gradebook.update_or_create_assignment(assignment, duedate=moment)
        return format_time(moment)
    return gradebook_due_date(paths["gradebook"], COURSE_ID, assignment) if paths["gradebook"].exists() else None


def autograde(assignment: str, root: Path, students: list | None, workers: int, limits: GradingLimits,
              due: str | None = None):
    paths = course_paths(root)
    folder = paths["submitted"]
    found = sorted(p.name for p in folder.iterdir() if (p / assignment).is_dir()) if folder.is_dir() else []
    chosen = students or found
    if not chosen:
        raise CourseError(f"no submissions of {assignment} under {folder}: run collect first")
    unusable = [student for student in chosen if not STUDENT_ID.match(student)]
    for student in unusable:
        print(f"REFUSED submitted/{student}: not a usable student id (letters, digits and _.@+- only)", file=sys.stderr)
    raw = {student: (folder / student / assignment if (folder / student / assignment).is_dir() else None)
           for student in chosen if student not in unusable}
    output = paths["reports"] / assignment
    # Build (or verify) the offline datasets here, with the instructor's rights: the sandboxed kernels can
    # only read data/, and a first build inside a graded cell would run into its time limit.
    from rnncourse.data import build_datasets

    if build_datasets(progress=lambda message: None) != 0:
        raise CourseError("the course datasets could not be built: run `python -m rnncourse data` and read its error")
    result = grade_submissions(assignment, raw, paths["work"] / assignment, output,
                               source_root=paths["source"], workers=workers, limits=limits,
                               due_date=due_date(assignment, root, due))
    merge_into_course(assignment, result, paths)
    print(f"grades CSV: {result.csv_path}\nreport: {result.report_dir / 'report.md'}")
    problems = {s: r.problems for s, r in result.students.items() if r.problems}
    for student, notes in sorted(problems.items()):
        print(f"  {student}: " + "; ".join(notes))
    return result


# ---------------------------------------------------------------------------------------------------------
# feedback and bundle

def feedback(assignment: str, root: Path, limits: GradingLimits | None = None) -> list[Path]:
    """nbgrader generate_feedback into a private folder; only checked files reach grading/feedback.

    A file that shows hidden-test text or an instructor variable (in any encoding), active markup or too
    many bytes is replaced by a note. Returns the files that were withheld."""
    paths, limits = course_paths(root), limits or GradingLimits()
    unchecked = paths["work"] / assignment / "feedback-unchecked"
    shutil.rmtree(unchecked, ignore_errors=True)
    code = nbgrader("generate_feedback", assignment, "--force",
                    f"--CourseDirectory.feedback_directory={unchecked.relative_to(root)}", root=root, check=False)
    secrets = Secrets.of(paths["source"] / assignment, paths["release"] / assignment)
    withheld = []
    notebooks = [path.stem for path in (paths["release"] / assignment).glob("*.ipynb")]
    for path in sorted(unchecked.glob(f"*/{assignment}/*.html")):
        document = path.read_text(encoding="utf-8", errors="replace")
        own = submitted_text(paths["submitted"] / path.relative_to(unchecked).parts[0] / assignment, notebooks)
        reasons = secrets.beside(own).found_in(document) + unsafe_markup(document)
        if len(document) > 2 * limits.max_feedback_kb * 1024 + 2 * 2**20:
            reasons.append("too many bytes")
        if reasons:
            document = ("<html><body><p>Feedback withheld: it could show what students must not see. Your "
                        "instructor has been told.</p></body></html>")
            withheld.append(path)
            print(f"WITHHELD {path.relative_to(unchecked)}: {'; '.join(sorted(set(reasons))[:3])}", file=sys.stderr)
        target = paths["feedback"] / path.relative_to(unchecked)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(document, encoding="utf-8")
    shutil.rmtree(unchecked, ignore_errors=True)
    if code != 0:
        raise CourseError("nbgrader generate_feedback failed for some students (its messages are above); the "
                          "feedback it did write was checked, and nothing unchecked was kept")
    return withheld


def export(root: Path) -> Path:
    """nbgrader export, plus each submission's time and hours late (nbgrader's CSV has neither in hours)."""
    import csv
    from nbgrader.api import Gradebook
    destination = root / "grading" / "grades.csv"
    nbgrader("export", "--to", str(destination), root=root)
    rows = list(csv.DictReader(destination.open(encoding="utf-8")))
    late = {}
    with Gradebook(f"sqlite:///{course_paths(root)['gradebook']}", COURSE_ID) as gradebook:
        for assignment in gradebook.assignments:
            for submission in assignment.submissions:
                late[(assignment.name, submission.student.id)] = (
                    submission.timestamp, float(submission.total_seconds_late or 0.0))
    fields = list(rows[0]) + ["submitted_at", "late_hours"] if rows else ["submitted_at", "late_hours"]
    with destination.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields)
        writer.writeheader()
        for row in rows:
            moment, seconds = late.get((row.get("assignment"), row.get("student_id")), (None, 0.0))
            writer.writerow({**row, "submitted_at": format_time(moment) if moment else "",
                             "late_hours": f"{seconds / 3600:.2f}"})
    return destination


INSTRUCTOR_ONLY = ("solutions/", "grading/", "tests/", ".ci/", "nbgrader_config.py", ".git", "CONTRIBUTING.md")
FORBIDDEN_MARKERS = ("BEGIN SOLUTION", "BEGIN HIDDEN TESTS", "END HIDDEN TESTS")


def student_bundle(root: Path, destination: Path) -> list[str]:
    """Zip the tracked repository without solutions/, grading/, tests/ (they hold solutions and buggy
    variants) and instructor configuration; refuse if any remaining file carries solution markers."""
    listing = subprocess.run(["git", "ls-files", "-z"], cwd=root, capture_output=True)
    if listing.returncode != 0:
        raise CourseError("bundle needs a git checkout (it ships tracked files only)")
    files = [name for name in listing.stdout.decode().split("\0") if name]
    kept = [name for name in files if not name.startswith(INSTRUCTOR_ONLY) and (root / name).is_file()]
    for name in kept:
        text = (root / name).read_bytes().decode("utf-8", errors="replace")
        marker = next((m for m in FORBIDDEN_MARKERS if m in text), None)
        if marker:
            raise CourseError(f"{name} contains {marker!r}: it must not reach students; fix it before bundling")
    destination.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(destination, "w", zipfile.ZIP_DEFLATED) as bundle:
        for name in kept:
            bundle.write(root / name, f"rnn-course/{name}")
    print(f"student bundle: {destination} ({len(kept)} files; left out {len(files) - len(kept)} instructor files)")
    return kept


# ---------------------------------------------------------------------------------------------------------

def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python grading/course.py", description=__doc__.split("\n\n")[0])
    parser.add_argument("--root", type=Path, default=REPOSITORY, help="course repository (default: this one)")
    commands = parser.add_subparsers(dest="command", required=True)
    for name in ("generate", "release", "collect", "autograde", "feedback", "grade-all"):
        command = commands.add_parser(name)
        command.add_argument("assignment")
        if name in ("collect", "grade-all"):
            command.add_argument("--zip", type=Path, help="zip of downloaded submissions instead of the exchange")
        if name in ("autograde", "grade-all"):
            command.add_argument("--due", help="due date, e.g. '2026-03-01 17:00:00 UTC' (default: the gradebook's)")
            command.add_argument("--student", action="append", help="grade only this student (repeatable)")
            command.add_argument("--workers", type=int, default=2)
            command.add_argument("--budget", type=float, default=GradingLimits.budget_seconds,
                                 help="seconds of wall clock for a whole notebook")
        if name == "feedback":
            command.add_argument("--release", action="store_true", help="also release feedback to the exchange")
    commands.add_parser("export")
    bundle = commands.add_parser("bundle")
    bundle.add_argument("destination", type=Path)
    options = parser.parse_args(argv)
    root = options.root.resolve()
    try:
        if options.command == "generate":
            nbgrader("generate_assignment", options.assignment, "--force", root=root)
        elif options.command == "release":
            nbgrader("release_assignment", options.assignment, root=root)
        elif options.command in ("collect", "grade-all"):
            collect(options.assignment, root, getattr(options, "zip", None))
        if options.command in ("autograde", "grade-all"):
            limits = GradingLimits(budget_seconds=options.budget)
            autograde(options.assignment, root, options.student, options.workers, limits, options.due)
            if options.command == "grade-all":
                export(root)
        elif options.command == "feedback":
            feedback(options.assignment, root)
            if options.release:
                nbgrader("release_feedback", options.assignment, root=root)
        elif options.command == "export":
            export(root)
        elif options.command == "bundle":
            student_bundle(root, options.destination.resolve())
    except CourseError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
