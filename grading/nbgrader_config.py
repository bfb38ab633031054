"""nbgrader configuration for the course, mapping nbgrader's folders onto this repository.

Run nbgrader commands from the repository root or from grading/ (both find this file: the root has a
one-line nbgrader_config.py that loads it). Instructors normally use `python grading/course.py`, which
wraps these commands and adds parallel, sandboxed grading (see grading/README.md).
  source    = solutions/    (instructor notebooks: solutions + visible and hidden tests)
  release   = assignments/  (generated student versions, committed)
  submitted, autograded, feedback, gradebook = grading/... (git-ignored, per-course state)
"""
import sys
from pathlib import Path

c = get_config()  # noqa: F821 (provided by traitlets when nbgrader loads this file)

REPOSITORY = Path(__file__).resolve().parent.parent
if str(REPOSITORY) not in sys.path:  # nbgrader imports grading.execute.SafeExecute by name
    sys.path.insert(0, str(REPOSITORY))

c.CourseDirectory.course_id = "rnn-week6"
c.CourseDirectory.root = str(REPOSITORY)
c.CourseDirectory.source_directory = "solutions"
c.CourseDirectory.release_directory = "assignments"
c.CourseDirectory.submitted_directory = "grading/submitted"
c.CourseDirectory.autograded_directory = "grading/autograded"
c.CourseDirectory.feedback_directory = "grading/feedback"
c.CourseDirectory.db_url = f"sqlite:///{REPOSITORY / 'grading' / 'gradebook.db'}"
c.Exchange.root = str(REPOSITORY / "grading" / "exchange")

from grading.settings import apply_grading_settings  # noqa: E402

# SafeExecute (whole-notebook budget, limits, integrity scan, sandboxed kernel as a fresh uid when root),
# add_missing_cells, stderr capture off, feedback without hidden tests.
apply_grading_settings(c)
