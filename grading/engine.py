"""One-shot, parallel, sandboxed autograde of a whole assignment with the real nbgrader.

    result = grade_submissions(assignment, {"alice": folder_or_None, ...}, workdir, output, source_root=...)

1. A base course folder under `workdir` receives a copy of only this assignment's source; `nbgrader
   generate_assignment` fills its gradebook (grading/shards.py).
2. Preflight (grading/preflight.py) reads every raw submission without modifying it and stages a clean copy;
   whatever a file holds becomes that student's problems, never an exception that stops the class.
3. The students are split into `workers` shards, each graded by one nbgrader process (grading/shards.py);
   SafeExecute, the judge and the sandbox isolate each kernel (grading/execute.py, grading/sandbox.py). A
   student whose shard produced no result is regraded alone once; if that fails too, the failure is their row.
4. Every student gets a row and a feedback file that names every problem; feedback that shows hidden-test
   text or an instructor variable, in any encoding, is never written (grading/feedback.py).
5. grades.csv and the report (histogram, per-test pass rates) are written by grading/report.py.
"""
import json
import re
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path

from grading import cgroups, lateness
from grading.feedback import Secrets, submitted_text, visible_text, write_feedback
from grading.preflight import locked_cells, preflight
from grading.settings import COURSE_ID, REPOSITORY, GradingLimits
from grading.shards import (SANDBOX_LOG, child_environment, log_tail, max_scores, prepare_base_course,
                            read_results, sandbox_mode, split, start_shard)

STUDENT_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.@+-]{0,99}$")
_child_environment = child_environment  # the name tests/grading_support.py imports
__all__ = ["COURSE_ID", "STUDENT_ID", "SANDBOX_LOG", "ClassResult", "StudentResult", "grade_submissions",
           "hidden_test_lines", "visible_text", "prepare_base_course", "sandbox_mode"]


@dataclass
class StudentResult:
    total: float
    max: float
    tests: dict
    status: str
    problems: list
    feedback: Path | None = None
    late_seconds: float = 0.0
    submitted_at: str | None = None  # the submission time, nbgrader's format, when one was recorded
    wall_seconds: float | None = None  # kernel start to last cell, measured by SafeExecute
    autograded: Path | None = None  # nbgrader's autograded folder for this student, when grading ran

    def as_score(self) -> dict:
        return {"total": self.total, "max": self.max, "tests": dict(self.tests), "status": self.status,
                "problems": list(self.problems)}


@dataclass
class ClassResult:
    assignment: str
    students: dict  # student -> StudentResult
    csv_path: Path
    report_dir: Path
    seconds: float
    sandbox_mode: str
    log: list = field(default_factory=list)

    @property
    def scores(self) -> dict:
        return {student: result.as_score() for student, result in self.students.items()}

    @property
    def feedback(self) -> dict:
        return {student: result.feedback for student, result in self.students.items()}


def hidden_test_lines(source_folder: Path, release_folder: Path | None = None) -> set[str]:
    """Lines of hidden tests that appear nowhere in the student's release (so finding one means a leak)."""
    return Secrets.of(source_folder, release_folder, environment={}).lines


def _run_shards(gradable, notebooks, work, base, staging, env, mode, limits, events_dir, workers, assignment, log):
    """Grade every gradable student; returns ({student: nbgrader results}, {student: shard folder})."""
    found, shard_of, pending = {}, {}, list(gradable)
    for attempt in range(2):
        processes = []
        for index, members in enumerate(split(pending, workers)):
            shard = work / f"shard-{attempt}-{index}"
            processes.append((shard, members, start_shard(base, shard, assignment, members, staging, env, mode,
                                                          limits, events_dir)))
        for shard, members, process in processes:
            process.wait()
            for student in members:
                shard_of[student] = shard
                staged = [name for name in notebooks if (staging / student / f"{name}.ipynb").exists()]
                outcome = read_results(shard, assignment, student, staged)
                if outcome is not None:
                    found[student] = outcome
        pending = [student for student in pending if student not in found]
        if not pending:
            break
        log(f"regrading alone, once: {', '.join(pending)}")
    return found, shard_of


def _submission_time(staged: Path) -> str | None:
    stamp = staged / "timestamp.txt"
    moment = lateness.parse_time(stamp.read_text()) if stamp.exists() else None
    return lateness.format_time(moment) if moment else None


def _student_result(student, problems, outcome, max_points, events_dir, staged, due_date, failure):
    events, wall = [], None
    events_file = events_dir / f"{student}.json"
    if events_file.exists():
        recorded = json.loads(events_file.read_text())
        events, wall = recorded["events"], recorded.get("wall_seconds")
    notes = problems + [event["message"] for event in events] + ([failure] if failure else [])
    tests = {test: (0.0, maximum) for test, maximum in max_points.items()}
    tests.update(outcome["tests"] if outcome else {})
    submitted = _submission_time(staged)
    late = lateness.seconds_late(submitted, due_date) if due_date else 0.0
    if late > 0:
        notes.append(f"submitted {late / 3600:.1f} hours late (at {submitted}; due {due_date})")
    total = round(sum(score for score, _ in tests.values()), 4)
    maximum = round(sum(m for _, m in tests.values()), 4)
    return StudentResult(total=total, max=maximum, tests=tests, status="problem" if notes else "graded",
                         problems=notes, late_seconds=late, submitted_at=submitted, wall_seconds=wall)


def grade_submissions(assignment: str, raw_folders: dict, workdir: Path, output: Path, *,
                      source_root: Path = REPOSITORY / "solutions", workers: int = 2,
                      limits: GradingLimits | None = None, due_date: str | None = None,
                      log=print) -> ClassResult:
    """Autograde every student in `raw_folders` (student -> folder of submitted files, or None)."""
    started = time.monotonic()
    messages, caller_log = [], log

    def log(message: str) -> None:  # kept in ClassResult.log too, so a quiet caller can still read the warnings
        messages.append(message)
        caller_log(message)

    for student in raw_folders:
        if not STUDENT_ID.match(student):
            raise ValueError(f"student id {student!r} is not a safe folder name: use letters, digits and _.@+-")
    limits = limits or GradingLimits()
    workdir, output = Path(workdir).resolve(), Path(output).resolve()
    work = workdir / "grading-work"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    events_dir, staging, base = work / "events", work / "staged", work / "base"
    events_dir.mkdir()
    mode = sandbox_mode()
    log(SANDBOX_LOG[mode])
    env = child_environment(events_dir, limits, mode, hide=[str(work), str(output), str(Path(source_root).resolve())])
    notebooks = prepare_base_course(assignment, Path(source_root), base, limits, events_dir, env, due_date)
    points = max_scores(base, assignment)
    secrets = Secrets.of(base / "source" / assignment, base / "release" / assignment)
    reference = locked_cells(base / "release" / assignment, base / "source" / assignment)

    problems, gradable = {}, []
    for student in sorted(raw_folders):
        problems[student], _present, anything = preflight(raw_folders[student], notebooks, staging / student, reference)
        gradable += [student] if anything else []
    log(f"grading {len(gradable)} of {len(raw_folders)} submissions of {assignment} with {workers} workers")
    found, shard_of = _run_shards(gradable, notebooks, work, base, staging, env, mode, limits, events_dir, workers,
                                  assignment, log)
    left = cgroups.sweep(cgroups.run_name(env["RNNCOURSE_SANDBOX_ROOT"])) if mode == "root" else []
    if left:
        log(f"SANDBOX WARNING: {len(left)} cgroups could not be removed after grading: {left[:3]}")

    students = {}
    for student in sorted(raw_folders):
        outcome = found.get(student)
        failure = (f"autograding failed, so every test scores 0 (nbgrader: {log_tail(shard_of[student], student)})"
                   if student in gradable and outcome is None else None)
        result = _student_result(student, problems[student], outcome, points, events_dir, staging / student,
                                 due_date, failure)
        shard = shard_of.get(student) if outcome else None
        generated = shard / "feedback" / student / assignment / f"{notebooks[0]}.html" if shard else None
        result.feedback = write_feedback(student, result, assignment, generated,
                                         output / "feedback" / student / assignment / f"{notebooks[0]}.html",
                                         secrets.beside(submitted_text(staging / student, notebooks)),
                                         max_bytes=2 * limits.max_feedback_kb * 1024 + 2 * 1024 * 1024)
        result.status = "problem" if result.problems else "graded"
        result.autograded = shard / "autograded" / student / assignment if shard else None
        students[student] = result
    from grading.report import write_grades_csv, write_report
    csv_path = write_grades_csv(students, output / f"{assignment}_grades.csv", sorted(points))
    report_dir = write_report(assignment, students, points, output / "report", sandbox=SANDBOX_LOG[mode])
    seconds = time.monotonic() - started
    log(f"graded {len(students)} students in {seconds:.1f} s; CSV {csv_path}; report {report_dir}")
    return ClassResult(assignment, students, csv_path, report_dir, seconds, mode, messages)
