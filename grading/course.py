"""Instructor commands for the course, on top of nbgrader (formgrader, gradebook and exchange keep working).

    python grading/course.py generate  a1_cells            # nbgrader generate_assignment: solutions/ -> assignments/
    python grading/course.py release   a1_cells            # nbgrader release_assignment to the exchange
    python grading/course.py collect   a1_cells            # nbgrader collect from the exchange
    python grading/course.py collect   a1_cells --zip downloads.zip   # or from a zip of downloaded submissions
    python grading/course.py autograde a1_cells [--student alice] [--workers 2]
    python grading/course.py feedback  a1_cells [--release]  # regenerate feedback after manual grading
    python grading/course.py export                        # nbgrader export -> grading/grades.csv
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

from grading.engine import COURSE_ID, STUDENT_ID, grade_submissions, hidden_test_lines, visible_text  # noqa: E402
from grading.settings import GradingLimits  # noqa: E402


class CourseError(Exception):
    """A problem the instructor can fix; printed without a traceback."""


def nbgrader(*arguments: str, root: Path = REPOSITORY) -> None:
    from rnncourse.environment import use_this_interpreter_for_children
    use_this_interpreter_for_children()
    command = [sys.executable, "-m", "nbgrader", *arguments]
    print("$ nbgrader " + " ".join(arguments), flush=True)
    if subprocess.run(command, cwd=root).returncode != 0:
        raise CourseError(f"nbgrader {' '.join(arguments)} failed; its messages are above")


def course_paths(root: Path) -> dict:
    return {"source": root / "solutions", "release": root / "assignments", "submitted": root / "grading" / "submitted",
            "autograded": root / "grading" / "autograded", "feedback": root / "grading" / "feedback",
            "reports": root / "grading" / "reports", "gradebook": root / "grading" / "gradebook.db",
            "work": root / "grading" / "work"}


# ---------------------------------------------------------------------------------------------------------
# collect

def collect_zip(assignment: str, archive: Path, submitted: Path, max_mb: int = 500) -> list[str]:
    """Unpack a zip of downloaded submissions into nbgrader's submitted/<student>/<assignment>/ layout.

    Accepted layouts: one folder per student (`alice/a1_cells.ipynb`, `alice/anything.ipynb`), or flat
    files named `<student>.ipynb` or `<student>__<anything>.ipynb`. Existing collected files of a student in
    the archive are replaced; nothing outside submitted/ is ever written (paths are checked).
    """
    if not zipfile.is_zipfile(archive):
        raise CourseError(f"{archive} is not a zip file")
    students = {}
    with zipfile.ZipFile(archive) as bundle:
        members = [m for m in bundle.infolist() if not m.is_dir() and "__MACOSX" not in m.filename]
        if sum(m.file_size for m in members) > max_mb * 2**20:
            raise CourseError(f"{archive} unpacks to more than {max_mb} MB; unpack it by hand after checking it")
        for member in members:
            parts = Path(member.filename).parts
            if member.filename.startswith("/") or ".." in parts:
                raise CourseError(f"{archive} holds an unsafe path {member.filename!r}; refusing to unpack it")
            if len(parts) >= 2:
                student, relative = parts[0], Path(*parts[1:])
            else:
                stem = Path(parts[0]).stem
                student, relative = stem.split("__")[0], Path(parts[0] if "__" in stem else f"{assignment}.ipynb")
            if not STUDENT_ID.match(student):
                raise CourseError(f"{member.filename!r}: {student!r} is not a usable student id")
            students.setdefault(student, []).append((member, relative))
        for student, files in sorted(students.items()):
            destination = submitted / student / assignment
            if destination.exists():
                shutil.rmtree(destination)
            destination.mkdir(parents=True)
            for member, relative in files:
                target = destination / relative
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(bundle.read(member))
    print(f"collected {len(students)} students from {archive} into {submitted}")
    return sorted(students)


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


def autograde(assignment: str, root: Path, students: list | None, workers: int, limits: GradingLimits):
    paths = course_paths(root)
    folder = paths["submitted"]
    found = sorted(p.name for p in folder.iterdir() if (p / assignment).is_dir()) if folder.is_dir() else []
    chosen = students or found
    if not chosen:
        raise CourseError(f"no submissions of {assignment} under {folder}: run collect first")
    raw = {student: (folder / student / assignment if (folder / student / assignment).is_dir() else None)
           for student in chosen}
    output = paths["reports"] / assignment
    # Build (or verify) the offline datasets here, with the instructor's rights: the sandboxed kernels can
    # only read data/, and a first build inside a graded cell would run into its time limit.
    from rnncourse.data import build_datasets

    if build_datasets(progress=lambda message: None) != 0:
        raise CourseError("the course datasets could not be built: run `python -m rnncourse data` and read its error")
    result = grade_submissions(assignment, raw, paths["work"] / assignment, output,
                               source_root=paths["source"], workers=workers, limits=limits)
    merge_into_course(assignment, result, paths)
    print(f"grades CSV: {result.csv_path}\nreport: {result.report_dir / 'report.md'}")
    problems = {s: r.problems for s, r in result.students.items() if r.problems}
    for student, notes in sorted(problems.items()):
        print(f"  {student}: " + "; ".join(notes))
    return result


# ---------------------------------------------------------------------------------------------------------
# feedback and bundle

def check_feedback(assignment: str, root: Path) -> list[Path]:
    """Withhold any feedback file that shows hidden-test text. Returns the files that were withheld."""
    paths = course_paths(root)
    hidden = hidden_test_lines(paths["source"] / assignment, paths["release"] / assignment)
    withheld = []
    for path in sorted(paths["feedback"].glob(f"*/{assignment}/*.html")):
        if any(line in visible_text(path.read_text(errors="replace")) for line in hidden):
            path.write_text("<html><body><p>Feedback withheld: it contained hidden-test text. Your instructor "
                            "has been told.</p></body></html>")
            withheld.append(path)
            print(f"WITHHELD {path}: it contained hidden-test text", file=sys.stderr)
    return withheld


INSTRUCTOR_ONLY = ("solutions/", "grading/", "tests/", ".ci/", "nbgrader_config.py", ".git")
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
        elif options.command in ("collect", "grade-all") and getattr(options, "zip", None):
            collect_zip(options.assignment, options.zip, course_paths(root)["submitted"])
        elif options.command == "collect":
            nbgrader("collect", options.assignment, root=root)
        if options.command in ("autograde", "grade-all"):
            if options.command == "grade-all" and not options.zip:
                nbgrader("collect", options.assignment, root=root)
            limits = GradingLimits(budget_seconds=options.budget)
            autograde(options.assignment, root, options.student, options.workers, limits)
            if options.command == "grade-all":
                nbgrader("export", "--to", str(root / "grading" / "grades.csv"), root=root)
        elif options.command == "feedback":
            nbgrader("generate_feedback", options.assignment, "--force", root=root)
            check_feedback(options.assignment, root)
            if options.release:
                nbgrader("release_feedback", options.assignment, root=root)
        elif options.command == "export":
            nbgrader("export", "--to", str(root / "grading" / "grades.csv"), root=root)
        elif options.command == "bundle":
            student_bundle(root, options.destination.resolve())
    except CourseError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
