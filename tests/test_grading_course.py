"""The instructor command line: zip collection, the student bundle, and autograde into nbgrader's gradebook."""
import csv
import io
import os
import sys
import zipfile
from pathlib import Path

import nbformat
import pytest

from tests.grading_support import FIXTURE_SOURCE, REPOSITORY

sys.path.insert(0, str(REPOSITORY))
from grading import course  # noqa: E402

ASSIGNMENT = "fixture_grading"


def _zip(entries: dict) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_collect_zip_accepts_folders_and_flat_files_and_refuses_only_the_odd_entries(tmp_path):
    archive = tmp_path / "downloads.zip"
    link = zipfile.ZipInfo("mallory/fixture_grading.ipynb")
    link.external_attr = (0o120777 << 16)
    archive.write_bytes(_zip({"alice/whatever.ipynb": "{}", "bob.ipynb": "{}", "carol__a1 (2).ipynb": "{}",
                              "__MACOSX/alice/._whatever.ipynb": "junk", "dave smith.ipynb": "{}",
                              "../../escaped.ipynb": "{}", link: "/work/main/solutions/a1_cells/a1_cells.ipynb"}))
    students, refused = course.collect_zip(ASSIGNMENT, archive, tmp_path / "submitted", course.STUDENT_ID)
    assert students == ["alice", "bob", "carol"]
    assert (tmp_path / "submitted" / "alice" / ASSIGNMENT / "whatever.ipynb").exists()
    assert (tmp_path / "submitted" / "bob" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb").exists()
    assert (tmp_path / "submitted" / "carol" / ASSIGNMENT / "carol__a1 (2).ipynb").exists()
    assert len(refused) == 3 and any("'dave smith.ipynb'" in reason for reason in refused)
    assert any("unsafe path" in reason for reason in refused) and any("symbolic link" in reason for reason in refused)
    assert not (tmp_path.parent / "escaped.ipynb").exists()
    assert not (tmp_path / "submitted" / "mallory").exists()
    stamp = (tmp_path / "submitted" / "bob" / ASSIGNMENT / "timestamp.txt").read_text()
    assert stamp.endswith(" UTC\n") and stamp.startswith("20"), "the zip entry time is the submission time"


def _inbound(root, name, files, owner=None):
    entry = root / "grading" / "exchange" / "rnn-week6" / "inbound" / name
    entry.mkdir(parents=True)
    for relative, content in files.items():
        if isinstance(content, Path):
            os.symlink(content, entry / relative)
        else:
            (entry / relative).write_text(content)
    if owner is not None:
        for path in [entry, *entry.iterdir()]:
            os.lchown(path, owner, owner)
    return entry


def test_collect_from_the_exchange_refuses_links_and_entries_written_by_someone_else(tmp_path):
    if os.geteuid() != 0:
        pytest.skip("needs root: the check compares the owner of an inbound entry with the student it names")
    import pwd
    solution = REPOSITORY / "solutions" / "a1_cells" / "a1_cells.ipynb"
    nobody = pwd.getpwnam("nobody").pw_uid
    _inbound(tmp_path, f"alice+{ASSIGNMENT}+2026-01-01 10:00:00.000000 UTC+abc", {f"{ASSIGNMENT}.ipynb": "alice's own"})
    _inbound(tmp_path, f"alice+{ASSIGNMENT}+2026-01-01 11:00:00.000000 UTC+def", {f"{ASSIGNMENT}.ipynb": "mallory's"},
             owner=nobody)
    _inbound(tmp_path, f"bob+{ASSIGNMENT}+2026-01-01 10:00:00.000000 UTC+ghi", {f"{ASSIGNMENT}.ipynb": solution,
                                                                                "timestamp.txt": "2020-01-01 00:00:00 UTC"})
    assert course.collect(ASSIGNMENT, tmp_path) == ["alice", "bob"]
    submitted = tmp_path / "grading" / "submitted"
    assert (submitted / "alice" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb").read_text() == "alice's own"
    assert not (submitted / "bob" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb").exists(), "a link was followed"
    stamp = (submitted / "bob" / ASSIGNMENT / "timestamp.txt").read_text()
    assert not stamp.startswith("2020"), "a student's timestamp.txt cannot make a submission earlier"


def test_student_bundle_has_no_solutions_tests_or_instructor_files(tmp_path):
    kept = course.student_bundle(REPOSITORY, tmp_path / "bundle.zip")
    names = zipfile.ZipFile(tmp_path / "bundle.zip").namelist()
    assert len(names) == len(kept) and any(name.startswith("rnn-course/rnncourse/") for name in names)
    for prefix in ("solutions/", "grading/", "tests/", ".ci/"):
        assert not any(name.startswith(f"rnn-course/{prefix}") for name in names), prefix
    assert "rnn-course/nbgrader_config.py" not in names
    with zipfile.ZipFile(tmp_path / "bundle.zip") as archive:
        for name in names:
            text = archive.read(name).decode("utf-8", errors="replace")
            assert "BEGIN SOLUTION" not in text and "BEGIN HIDDEN TESTS" not in text, name


@pytest.fixture()
def course_root(tmp_path):
    """A small course laid out like this repository, holding only the fixture assignment."""
    root = tmp_path / "course"
    (root / "solutions").mkdir(parents=True)
    import shutil
    shutil.copytree(FIXTURE_SOURCE / ASSIGNMENT, root / "solutions" / ASSIGNMENT)
    (root / "nbgrader_config.py").write_text(
        f"import sys\nsys.path.insert(0, {str(REPOSITORY)!r})\nfrom grading.settings import apply_grading_settings\n"
        "c = get_config()\n"
        f"c.CourseDirectory.root = {str(root)!r}\n"
        "c.CourseDirectory.course_id = 'rnn-week6'\n"
        "c.CourseDirectory.source_directory = 'solutions'\nc.CourseDirectory.release_directory = 'assignments'\n"
        "c.CourseDirectory.submitted_directory = 'grading/submitted'\n"
        "c.CourseDirectory.autograded_directory = 'grading/autograded'\n"
        "c.CourseDirectory.feedback_directory = 'grading/feedback'\n"
        f"c.CourseDirectory.db_url = 'sqlite:///{root}/grading/gradebook.db'\n"
        "apply_grading_settings(c)\n")
    (root / "grading").mkdir()
    return root


def _gradebook_total(root: Path, student: str) -> tuple:
    from nbgrader.api import Gradebook
    with Gradebook(f"sqlite:///{root}/grading/gradebook.db", "rnn-week6") as gradebook:
        submission = gradebook.find_submission(ASSIGNMENT, student)
        return float(submission.score), any(nb.flagged for nb in submission.notebooks)


def test_grade_all_writes_gradebook_and_a_failed_regrade_never_keeps_the_old_grade(course_root):
    assert course.main(["--root", str(course_root), "generate", ASSIGNMENT]) == 0
    solution = nbformat.writes(nbformat.read(FIXTURE_SOURCE / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", as_version=4))
    archive = course_root / "downloads.zip"
    archive.write_bytes(_zip({f"alice/{ASSIGNMENT}.ipynb": solution, "bob.ipynb": "not a notebook"}))
    due = "2026-01-01 00:00:00 UTC"  # before the zip entries' times: everyone is late, and it is recorded
    assert course.main(["--root", str(course_root), "grade-all", ASSIGNMENT, "--zip", str(archive), "--due", due]) == 0
    assert _gradebook_total(course_root, "alice") == (7.0, True)  # flagged: submitted late
    assert _gradebook_total(course_root, "bob") == (0.0, True)
    exported = {row["student_id"]: row for row in csv.DictReader((course_root / "grading" / "grades.csv").open())}
    assert {name: float(row["score"]) for name, row in exported.items()} == {"alice": 7.0, "bob": 0.0}
    assert float(exported["alice"]["late_hours"]) > 24 and exported["alice"]["submitted_at"].endswith("UTC")
    report_csv = course_root / "grading" / "reports" / ASSIGNMENT / f"{ASSIGNMENT}_grades.csv"
    rows = {row["student"]: row for row in csv.DictReader(report_csv.open())}
    assert rows["bob"]["status"] == "problem" and "not valid JSON" in rows["bob"]["problems"]
    assert float(rows["alice"]["late_hours"]) > 24 and "hours late" in rows["alice"]["problems"]
    assert (course_root / "grading" / "feedback" / "alice" / ASSIGNMENT / f"{ASSIGNMENT}.html").exists()
    assert (course_root / "grading" / "autograded" / "alice" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb").exists()

    # Feedback after manual grading: a crash in nbgrader for one student leaves nothing unchecked behind.
    autograded = course_root / "grading" / "autograded" / "alice" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    notebook = nbformat.read(autograded, as_version=4)
    answer = next(cell for cell in notebook.cells if cell.metadata.get("nbgrader", {}).get("solution"))
    answer.source = "# ### BEGIN HIDDEN TESTS\n" + answer.source  # as an autograde before preflight's fix left it
    autograded.chmod(0o644)
    nbformat.write(notebook, autograded)
    course.main(["--root", str(course_root), "feedback", ASSIGNMENT])
    for path in (course_root / "grading" / "feedback").rglob("*.html"):
        assert "hidden-fixture-canary-7f3a" not in path.read_text(), f"unfiltered feedback in {path}"
    assert not (course_root / "grading" / "work" / ASSIGNMENT / "feedback-unchecked").exists()

    # Alice resubmits a corrupt file: her earlier 7 points must not survive silently.
    archive.write_bytes(_zip({f"alice/{ASSIGNMENT}.ipynb": b"\xff\xfe garbage"}))
    assert course.main(["--root", str(course_root), "collect", ASSIGNMENT, "--zip", str(archive)]) == 0
    assert course.main(["--root", str(course_root), "autograde", ASSIGNMENT, "--student", "alice"]) == 0
    assert _gradebook_total(course_root, "alice") == (0.0, True)
    assert not (course_root / "grading" / "autograded" / "alice" / ASSIGNMENT).exists()
    feedback = (course_root / "grading" / "feedback" / "alice" / ASSIGNMENT / f"{ASSIGNMENT}.html").read_text()
    assert "not valid JSON" in feedback
