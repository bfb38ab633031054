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

from grading.settings import REPOSITORY_LAYOUT, configure  # noqa: E402

# The one place nbgrader's settings are rendered (grading/settings.py): SafeExecute and the judge, sandboxed
# kernels, add_missing_cells, kernel arguments, feedback without hidden tests, sanitised HTML.
configure(c, REPOSITORY, layout=REPOSITORY_LAYOUT, exchange=REPOSITORY / "grading" / "exchange")
