"""The course's main job: execute every lesson headless and print a results table.

    python -m rnncourse lessons            # all lessons, default (CPU) mode
    python -m rnncourse lessons 02         # lessons whose file name contains "02"
    RNNCOURSE_LONG=1 python -m rnncourse lessons   # long mode (GPU)

Executed copies go to build/lessons/ (git-ignored); key numbers go to build/results/.
"""
import os
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

CELL_TIMEOUT_SECONDS = 1800


class LessonFailed(RuntimeError):
    """A lesson raised; the message names the lesson, the cell and the error."""


@dataclass
class LessonRun:
    name: str
    seconds: float
    results: dict = field(default_factory=dict)


class _ProgressClient(NotebookClient):
    """An nbclient client that reports each cell before running it."""

    def __init__(self, *args, lesson_name: str, progress=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.lesson_name = lesson_name
        self.progress = progress
        self.code_cell_total = sum(cell.cell_type == "code" for cell in self.nb.cells)
        self.code_cells_started = 0
        self.current_cell_index = None

    async def async_execute_cell(self, cell, cell_index, *args, **kwargs):
        self.current_cell_index = cell_index
        if cell.cell_type == "code":
            self.code_cells_started += 1
            if self.progress:
                self.progress(f"  {self.lesson_name}: code cell {self.code_cells_started}/{self.code_cell_total}")
        return await super().async_execute_cell(cell, cell_index, *args, **kwargs)


def execute_lesson(path: Path, output_path: Path | None = None, results_dir: Path | None = None, progress=None) -> LessonRun:
    """Run one notebook top to bottom in its own folder; raise LessonFailed naming the cell on error."""
    from rnncourse.results import load_results

    path = Path(path)
    notebook = nbformat.read(path, as_version=4)
    environment_backup = os.environ.get("RNNCOURSE_RESULTS_DIR")
    if results_dir is not None:
        os.environ["RNNCOURSE_RESULTS_DIR"] = str(results_dir)  # inherited by the kernel
    client = _ProgressClient(
        notebook,
        timeout=CELL_TIMEOUT_SECONDS,
        kernel_name="python3",
        # The kernel's start-up warning about unencrypted TCP on loopback tells a learner nothing useful.
        extra_arguments=["--IPKernelApp.log_level=ERROR"],
        resources={"metadata": {"path": str(path.parent)}},
        lesson_name=path.stem,
        progress=progress,
    )
    started = time.perf_counter()
    try:
        client.execute()
    except (CellExecutionError, CellTimeoutError, DeadKernelError) as error:
        index = client.current_cell_index
        source = notebook.cells[index].source.strip().splitlines() if index is not None else []
        first_line = source[0] if source else "<empty>"
        summary = str(error).strip().splitlines()
        raise LessonFailed(
            f"lesson {path.name} failed in cell {index} (starts: {first_line!r}):\n"
            + "\n".join(summary[-15:])
        ) from None
    finally:
        if results_dir is not None:
            if environment_backup is None:
                os.environ.pop("RNNCOURSE_RESULTS_DIR", None)
            else:
                os.environ["RNNCOURSE_RESULTS_DIR"] = environment_backup
        if output_path is not None:
            output_path.parent.mkdir(parents=True, exist_ok=True)
            nbformat.write(notebook, output_path)
    seconds = time.perf_counter() - started
    try:
        results = load_results(path.stem, results_dir)
    except FileNotFoundError:
        results = {}
    return LessonRun(path.stem, seconds, results)


def run_lessons(root: Path, name_filter: str = "") -> int:
    from rnncourse.environment import use_this_interpreter_for_children

    use_this_interpreter_for_children()
    lessons = [p for p in sorted((root / "lessons").glob("*.ipynb")) if name_filter in p.name]
    if not lessons:
        print(f"no lesson in {root / 'lessons'} matches {name_filter!r}", file=sys.stderr)
        return 2
    build = root / "build"
    runs = []
    for number, path in enumerate(lessons, start=1):
        print(f"[{number}/{len(lessons)}] {path.name} ...", flush=True)
        try:
            run = execute_lesson(path, build / "lessons" / path.name, build / "results", progress=_print_progress)
        except LessonFailed as failure:
            print(f"\nFAILED: {failure}\nThe partly executed copy is in {build / 'lessons' / path.name}.", file=sys.stderr)
            return 1
        runs.append(run)
        print(f"[{number}/{len(lessons)}] {path.name} done in {run.seconds:.0f} s", flush=True)
    print(format_table(runs))
    return 0


def format_table(runs: list[LessonRun]) -> str:
    name_width = max(len("lesson"), *(len(run.name) for run in runs))
    lines = [f"{'lesson':<{name_width}}  {'seconds':>7}  key result", "-" * (name_width + 30)]
    for run in runs:
        headline = run.results.get("headline", "(no result recorded)")
        lines.append(f"{run.name:<{name_width}}  {run.seconds:7.1f}  {headline}")
    return "\n".join(lines)


def _print_progress(message: str) -> None:
    print(message, flush=True)
