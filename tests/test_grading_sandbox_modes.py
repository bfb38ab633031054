"""Grading without root: the 'userns' and 'none' sandbox modes of grading.engine still grade correctly.

CI runs as root, so grading normally uses the 'root' mode (a fresh uid per kernel). Most instructors grade as
an ordinary user, where grading.engine falls back to user namespaces ('userns') or, where those are not
allowed, to limits only ('none'). RNNCOURSE_SANDBOX_MODE forces each fallback here, and a probe answer cell
reports what its kernel can see, so the test checks what each mode promises in its log line.
"""
import os
import shutil

import pytest

from grading.engine import SANDBOX_LOG
from grading.settings import GradingLimits
from tests.fixtures.grading.cases import CORRECT_SOFTMAX
from tests.grading_support import REPOSITORY, grade_probe_class, probe_lines

LIMITS = GradingLimits(budget_seconds=30, cell_seconds=15)
PROBE = CORRECT_SOFTMAX + f"""

import os as _os, socket as _socket
print("PROBE uid:", _os.getuid())
print("PROBE sees course:", _os.path.exists({str(REPOSITORY / "solutions")!r}))
print("PROBE interfaces:", ",".join(sorted(name for _, name in _socket.if_nameindex())))
"""


@pytest.fixture(scope="module")
def graded_by_mode(tmp_path_factory):
    if not shutil.which("unshare"):
        pytest.fail("util-linux's unshare is needed to grade in the 'userns' mode")
    return grade_probe_class(tmp_path_factory.mktemp("modes"), PROBE, "RNNCOURSE_SANDBOX_MODE", ("userns", "none"), LIMITS)


@pytest.mark.parametrize("mode", ["userns", "none"])
def test_fallback_modes_grade_like_the_root_mode_and_say_so(graded_by_mode, mode):
    result = graded_by_mode[mode]
    assert result.sandbox_mode == mode
    assert SANDBOX_LOG[mode] in result.log, "the instructor must be told which protection is missing"
    assert SANDBOX_LOG[mode] in (result.report_dir / "report.md").read_text(), "the report must keep the warning"
    scores = result.scores
    assert scores["probe"]["total"] == scores["probe"]["max"] == 7, scores["probe"]["problems"]
    assert scores["buggy"]["tests"]["test_window_mean"][0] == 0.0
    assert scores["buggy"]["total"] == 5
    for student, path in result.feedback.items():
        assert "hidden-fixture-canary-7f3a" not in path.read_text(), f"{mode}: hidden tests in {student}'s feedback"


def test_userns_mode_hides_the_course_and_the_network(graded_by_mode):
    probe = probe_lines(graded_by_mode["userns"], "probe")
    assert probe["PROBE sees course"] == "False", "userns mode: the kernel can see solutions/"
    assert probe["PROBE interfaces"] == "lo", f"userns mode: the kernel has network interfaces {probe['PROBE interfaces']}"


def test_none_mode_runs_the_kernel_with_the_graders_rights(graded_by_mode):
    # What the 'none' warning says: nothing is hidden. The test pins that down so the warning stays true.
    probe = probe_lines(graded_by_mode["none"], "probe")
    assert int(probe["PROBE uid"]) == os.getuid()
    assert probe["PROBE sees course"] == "True"
