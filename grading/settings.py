"""The nbgrader configuration of the course, rendered in exactly one place: `configure`.

Used by grading/nbgrader_config.py (the real course, so plain `nbgrader autograde` is safe too) and, through
`config_file`, by the throw-away course folders grading.engine creates for each parallel shard.
"""
from dataclasses import asdict, dataclass
from pathlib import Path

COURSE_ID = "rnn-week6"
REPOSITORY = Path(__file__).resolve().parent.parent
# The repository's own layout (grading/nbgrader_config.py); shard folders use nbgrader's defaults.
REPOSITORY_LAYOUT = {"source_directory": "solutions", "release_directory": "assignments",
                     "submitted_directory": "grading/submitted", "autograded_directory": "grading/autograded",
                     "feedback_directory": "grading/feedback"}


@dataclass
class GradingLimits:
    """Per-submission limits. Each one is documented with its cost in grading/README.md."""
    budget_seconds: float = 120.0      # wall clock for the whole notebook
    cell_seconds: float = 60.0         # most one cell may take (within the budget)
    memory_mb: int = 3072              # memory of the student's cgroup (all processes); address space per process
    max_processes: int = 96            # processes + threads of the student's cgroup (TensorFlow starts ~40)
    max_file_mb: int = 50              # largest file the kernel may write
    disk_mb: int = 200                 # all files the kernel writes together (its private tmpfs)
    max_output_kb: int = 512           # output kept per cell; more scores the cell 0
    max_feedback_kb: int = 2048        # outputs kept in one feedback notebook; more are replaced by a note
    cpu_seconds: int = 600             # CPU seconds per kernel process

    def as_dict(self) -> dict:
        return asdict(self)


KERNEL_ARGUMENTS = [
    # TensorFlow log lines reach cells through ipykernel's fd capture, and any stderr scores a test cell 0.
    "--IPKernelApp.capture_fd_output=False",
    "--HistoryManager.enabled=False",
    # Short tracebacks: a failing visible check never prints the lines around it (set here, not in cells).
    "--InteractiveShell.xmode=Minimal",
]


def configure(c, root: Path, *, layout: dict | None = None, limits: GradingLimits | None = None,
              events_dir: str = "", exchange: Path | None = None) -> None:
    """Every nbgrader setting of the course, applied to the config object `c` of a course folder `root`."""
    limits = limits or GradingLimits()
    root = Path(root)
    c.CourseDirectory.course_id = COURSE_ID
    c.CourseDirectory.root = str(root)
    for name, value in (layout or {}).items():
        setattr(c.CourseDirectory, name, value)
    gradebook = root / "grading" / "gradebook.db" if layout else root / "gradebook.db"
    c.CourseDirectory.db_url = f"sqlite:///{gradebook}"
    if exchange is not None:
        c.Exchange.root = str(exchange)
    c.Execute.extra_arguments = list(KERNEL_ARGUMENTS)
    c.Execute.timeout = int(limits.cell_seconds)
    c.ExecutePreprocessor.timeout = int(limits.cell_seconds)
    c.SafeExecute.budget_seconds = limits.budget_seconds
    c.SafeExecute.cell_seconds = limits.cell_seconds
    c.SafeExecute.max_output_bytes = limits.max_output_kb * 1024
    c.SafeExecute.events_dir = str(events_dir)
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
    # Feedback: no hidden tests, no active content from student outputs, a size cap.
    c.GenerateFeedback.preprocessors = [
        "nbgrader.preprocessors.GetGrades",
        "nbgrader.preprocessors.ClearHiddenTests",
        "grading.feedback.CapOutputs",
        "nbconvert.preprocessors.sanitize.SanitizeHTML",
        "nbconvert.preprocessors.CSSHTMLHeaderPreprocessor",
    ]
    c.CapOutputs.max_bytes = limits.max_feedback_kb * 1024
    c.GenerateFeedback.exporter_class = "grading.feedback.FeedbackExporter"  # HTMLExporter less a slow pass
    # Every HTML nbconvert renders for this course (feedback, the formgrader's view) is sanitised.
    c.HTMLExporter.sanitize_html = True
    c.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE\nraise NotImplementedError()"}
    c.CourseDirectory.ignore = [".ipynb_checkpoints", "*.pyc", "__pycache__", "feedback"]


def config_file(root: Path, limits: GradingLimits, events_dir: Path) -> str:
    """The nbgrader_config.py of a throw-away course folder: a call to `configure`, nothing else."""
    return ("import sys\n"
            f"sys.path.insert(0, {str(REPOSITORY)!r})\n"
            "from grading.settings import GradingLimits, configure\n"
            f"configure(get_config(), {str(root)!r}, limits=GradingLimits(**{limits.as_dict()!r}), "
            f"events_dir={str(events_dir)!r})\n")


def apply_grading_settings(c, limits: GradingLimits | None = None, events_dir: str = "") -> None:
    """The repository's course (kept for course folders laid out like this repository)."""
    configure(c, Path(c.CourseDirectory.root or REPOSITORY), layout=REPOSITORY_LAYOUT, limits=limits,
              events_dir=events_dir)
