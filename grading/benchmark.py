"""Throughput benchmark (not a test): our parallel engine versus stock sequential `nbgrader autograde`.

    python grading/benchmark.py [--students 60] [--workers 2] [--assignment fixture_grading]

Builds a simulated class (3 in 4 correct, the rest with one wrong function) of the fixture assignment
(or any assignment in solutions/), then
  1. stock: one `nbgrader autograde` and one `nbgrader generate_feedback` over the whole class in a course
     folder with nbgrader's default Execute preprocessor (the course's stderr and add_missing_cells fixes,
     no sandbox, no budget), as an instructor would run them;
  2. ours: grading.engine.grade_submissions with `--workers` shards, sandbox on.
Prints (and writes to build/grading-benchmark.json) both wall times, the speed-up, the median seconds per
correct submission (kernel start to last cell, from SafeExecute) and whether every total is identical.
"""
import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPOSITORY))

import nbformat  # noqa: E402

from grading.engine import COURSE_ID, grade_submissions  # noqa: E402
from rnncourse.environment import use_this_interpreter_for_children  # noqa: E402

FIXTURES = REPOSITORY / "tests" / "fixtures" / "grading" / "source"


def simulated_class(source: Path, students: int) -> dict:
    solution = nbformat.read(source, as_version=4)
    answer_ids = [c.metadata["nbgrader"]["grade_id"] for c in solution.cells
                  if c.metadata.get("nbgrader", {}).get("solution")]
    notebooks = {}
    for index in range(students):
        notebook = nbformat.reads(nbformat.writes(solution), as_version=4)
        if index % 4 == 3:  # one wrong answer: its body raises, so exactly that part's tests fail
            wrong = answer_ids[index % len(answer_ids)]
            for cell in notebook.cells:
                if cell.metadata.get("nbgrader", {}).get("grade_id") == wrong:
                    header = cell.source.split("\n")[0]
                    cell.source = header + "\n    raise ValueError('not done')"
        notebooks[f"student{index:03d}"] = notebook
    return notebooks


def stock_autograde(assignment: str, source_root: Path, notebooks: dict, folder: Path) -> tuple[float, dict]:
    course = folder / "stock"
    shutil.copytree(source_root / assignment, course / "source" / assignment)
    (course / "nbgrader_config.py").write_text(
        "c = get_config()\n"
        f"c.CourseDirectory.course_id = {COURSE_ID!r}\n"
        f"c.CourseDirectory.root = {str(course)!r}\n"
        "c.Execute.extra_arguments = ['--IPKernelApp.capture_fd_output=False']\n"
        "c.Execute.timeout = 120\n"
        "c.OverwriteCells.add_missing_cells = True\n"
        "c.Autograde.create_student = True\n")
    for student, notebook in notebooks.items():
        target = course / "submitted" / student / assignment
        target.mkdir(parents=True)
        nbformat.write(notebook, target / f"{assignment}.ipynb")
    # Stock kernels run the hidden tests themselves, which import grading.references: give them the repository.
    environment = {**os.environ, "PYTHONPATH": str(REPOSITORY)}
    run = lambda *args: subprocess.run([sys.executable, "-m", "nbgrader", *args], cwd=course,  # noqa: E731
                                       capture_output=True, text=True, env=environment)
    run("generate_assignment", assignment, "--force")
    started = time.monotonic()
    finished = run("autograde", assignment, "--force")
    # Our engine also writes every student's feedback, so the stock side does too (same work, same output).
    feedback = run("generate_feedback", assignment, "--force")
    seconds = time.monotonic() - started
    for step in (finished, feedback):
        if step.returncode != 0:
            print(step.stderr[-2000:])
    from nbgrader.api import Gradebook
    totals = {}
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}", COURSE_ID) as gradebook:
        for student in notebooks:
            totals[student] = float(gradebook.find_submission(assignment, student).score)
    return seconds, totals


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--students", type=int, default=60)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--assignment", default="fixture_grading")
    parser.add_argument("--skip-stock", action="store_true")
    options = parser.parse_args()
    use_this_interpreter_for_children()
    source_root = FIXTURES if (FIXTURES / options.assignment).is_dir() else REPOSITORY / "solutions"
    notebooks = simulated_class(source_root / options.assignment / f"{options.assignment}.ipynb", options.students)
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="rnncourse-benchmark-") as temporary:
        folder = Path(temporary)
        raw = {}
        for student, notebook in notebooks.items():
            (folder / "raw" / student).mkdir(parents=True)
            nbformat.write(notebook, folder / "raw" / student / f"{options.assignment}.ipynb")
            raw[student] = folder / "raw" / student
        started = time.monotonic()
        ours = grade_submissions(options.assignment, raw, folder / "ours", folder / "ours-out",
                                 source_root=source_root, workers=options.workers)
        ours_seconds = time.monotonic() - started
        ours_totals = {s: r.total for s, r in ours.students.items()}
        correct = [r.wall_seconds for r in ours.students.values() if r.total == r.max and r.wall_seconds]
        stock_seconds, stock_totals = (None, None) if options.skip_stock else stock_autograde(
            options.assignment, source_root, notebooks, folder)
    results = {
        "assignment": options.assignment, "students": options.students, "workers": options.workers,
        "cpu_count": os.cpu_count(), "load_average_before": [round(x, 2) for x in load_before],
        "load_average_after": [round(x, 2) for x in os.getloadavg()],
        "ours_seconds": round(ours_seconds, 1), "stock_seconds": stock_seconds and round(stock_seconds, 1),
        "speedup": stock_seconds and round(stock_seconds / ours_seconds, 2),
        "median_seconds_per_correct_submission": round(statistics.median(correct), 2) if correct else None,
        "identical_totals": stock_totals == ours_totals if stock_totals else None,
        "sandbox": ours.sandbox_mode,
    }
    print(json.dumps(results, indent=2))
    (REPOSITORY / "build").mkdir(exist_ok=True)
    (REPOSITORY / "build" / "grading-benchmark.json").write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()
