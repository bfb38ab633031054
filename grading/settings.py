"""The nbgrader settings of the course, in one place.

Used by grading/nbgrader_config.py (the real course, so plain `nbgrader autograde` is safe too) and by the
throw-away course folders grading.engine creates for each parallel shard.
"""
from dataclasses import asdict, dataclass


@dataclass
class GradingLimits:
    """Per-submission limits. Each one is documented with its cost in grading/README.md."""
    budget_seconds: float = 120.0      # wall clock for the whole notebook
    cell_seconds: float = 60.0         # most one cell may take (within the budget)
    memory_mb: int = 3072              # address space of the kernel (TensorFlow reserves ~1.5 GB on import)
    max_processes: int = 96            # processes + threads of the kernel's uid (TensorFlow starts ~40)
    max_file_mb: int = 50              # largest file the kernel may write
    max_output_kb: int = 512           # output kept per cell; more scores the cell 0
    cpu_seconds: int = 600             # CPU seconds per kernel process

    def as_dict(self) -> dict:
        return asdict(self)


def apply_grading_settings(c, limits: GradingLimits | None = None, events_dir: str = "") -> None:
    """Apply the course's safe autograde and feedback settings to an nbgrader config object `c`."""
    limits = limits or GradingLimits()
    # Field notes: TensorFlow log lines reach cells through ipykernel's fd capture, and any stderr scores
    # a test cell 0. Turn the capture off; the locked setup cell quiets TensorFlow as well.
    c.Execute.extra_arguments = ["--IPKernelApp.capture_fd_output=False", "--HistoryManager.enabled=False"]
    c.Execute.timeout = int(limits.cell_seconds)
    c.ExecutePreprocessor.timeout = int(limits.cell_seconds)
    c.SafeExecute.budget_seconds = limits.budget_seconds
    c.SafeExecute.cell_seconds = limits.cell_seconds
    c.SafeExecute.max_output_bytes = limits.max_output_kb * 1024
    c.SafeExecute.events_dir = events_dir
    c.SafeExecute.startup_timeout = 120
    c.Autograde.autograde_preprocessors = [
        "grading.execute.SafeExecute",
        "nbgrader.preprocessors.IgnorePattern",
        "nbconvert.preprocessors.ClearMetadataPreprocessor",
        "nbgrader.preprocessors.LimitOutput",
        "nbgrader.preprocessors.SaveAutoGrades",
        "nbgrader.preprocessors.AssignLatePenalties",
        "nbgrader.preprocessors.CheckCellMetadata",
    ]
    c.Autograde.create_student = True
    # A deleted or edited test or setup cell is restored from the source and graded, never scored 0 silently.
    c.OverwriteCells.add_missing_cells = True
    c.CheckCellMetadata.enabled = True
    c.LimitOutput.max_lines = 200
    c.LimitOutput.max_traceback = 60
    # Feedback must not show hidden tests.
    c.GenerateFeedback.preprocessors = [
        "nbgrader.preprocessors.GetGrades",
        "nbgrader.preprocessors.ClearHiddenTests",
        "nbconvert.preprocessors.CSSHTMLHeaderPreprocessor",
    ]
    c.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE\nraise NotImplementedError()"}
    c.CourseDirectory.ignore = [".ipynb_checkpoints", "*.pyc", "__pycache__", "feedback"]
