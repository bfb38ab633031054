"""nbgrader configuration for the course, mapping nbgrader's folders onto this repository.

Run nbgrader commands from the repository root or from grading/ (both find this file: the root has a
one-line nbgrader_config.py that loads it).
  source    = solutions/    (instructor notebooks: solutions + visible and hidden tests)
  release   = assignments/  (generated student versions, committed)
  submitted, autograded, feedback, gradebook = grading/... (git-ignored, per-course state)
"""
from pathlib import Path

c = get_config()  # noqa: F821 (provided by traitlets when nbgrader loads this file)

REPOSITORY = Path(__file__).resolve().parent.parent

c.CourseDirectory.course_id = "rnn-week6"
c.CourseDirectory.root = str(REPOSITORY)
c.CourseDirectory.source_directory = "solutions"
c.CourseDirectory.release_directory = "assignments"
c.CourseDirectory.submitted_directory = "grading/submitted"
c.CourseDirectory.autograded_directory = "grading/autograded"
c.CourseDirectory.feedback_directory = "grading/feedback"
c.CourseDirectory.db_url = f"sqlite:///{REPOSITORY / 'grading' / 'gradebook.db'}"
# Data files the notebooks need are never copied into releases; notebooks load data through rnncourse.
c.CourseDirectory.ignore = [".ipynb_checkpoints", "*.pyc", "__pycache__", "feedback"]

# Field notes: TensorFlow log lines reach cells through ipykernel's fd capture, and any stderr scores a
# test cell 0. Turn the capture off; the locked setup cell quiets TensorFlow as well.
c.Execute.extra_arguments = ["--IPKernelApp.capture_fd_output=False"]
c.Execute.timeout = 60
c.ExecutePreprocessor.timeout = 60

# A deleted test cell must still be graded (restored from the source), not silently scored 0.
c.OverwriteCells.add_missing_cells = True
c.CheckCellMetadata.enabled = True

# Feedback must not show hidden tests.
c.GenerateFeedback.preprocessors = [
    "nbgrader.preprocessors.GetGrades",
    "nbgrader.preprocessors.ClearHiddenTests",
    "nbconvert.preprocessors.CSSHTMLHeaderPreprocessor",
]
c.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE\nraise NotImplementedError()"}
