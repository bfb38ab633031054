"""Preloaded kernels (grading/preload.py): forked from a server with Keras imported, same grades, same sandbox.

The same small class is graded with the preload server and without it (RNNCOURSE_PRELOAD=0), through the
real nbgrader. A probe answer cell prints where its kernel came from, which uid it runs as and whether it
can see the course, so the test sees both paths really ran and that the forked kernel is sandboxed too.
The hostile cases (loops, fork bombs, os._exit, memory) run with the preload server in
tests/test_grading_adversarial.py.
"""
import os

import nbformat
import pytest

from grading.settings import GradingLimits
from tests.fixtures.grading.cases import CORRECT_SOFTMAX, WRONG_WINDOW, Kit
from tests.grading_support import FIXTURE_SOURCE, REPOSITORY, generate_release, grade_class

ASSIGNMENT = "fixture_grading"
LIMITS = GradingLimits(budget_seconds=30, cell_seconds=15)
PROBE = CORRECT_SOFTMAX + f"""

import os as _os
_parent = open(f"/proc/{{_os.getppid()}}/cmdline").read().replace("\\0", " ")
print("PROBE parent:", "preload-server" if "--serve" in _parent else "other")
print("PROBE uid:", _os.getuid())
print("PROBE sees course:", _os.path.exists({str(REPOSITORY / "solutions")!r}))
"""


def _probe_lines(result, student):
    notebook = nbformat.read(result.students[student].autograded / f"{ASSIGNMENT}.ipynb", as_version=4)
    text = "".join(output.get("text", "") for cell in notebook.cells for output in cell.get("outputs", []))
    return {line.split(":")[0]: line.split(":", 1)[1].strip() for line in text.splitlines() if line.startswith("PROBE")}


@pytest.fixture(scope="module")
def graded_both_ways(tmp_path_factory):
    root = tmp_path_factory.mktemp("preload")
    release = generate_release(ASSIGNMENT, FIXTURE_SOURCE, root / "release")
    kit = Kit(release=nbformat.read(release / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", as_version=4),
              solution=None, secret_paths={}, scratch=root)
    submissions = {"probe": kit.answers(softmax=PROBE), "buggy": kit.answers(window=WRONG_WINDOW)}
    results = {}
    for mode in ("1", "0"):
        os.environ["RNNCOURSE_PRELOAD"] = mode
        try:
            results[mode] = grade_class(ASSIGNMENT, submissions, root / f"preload-{mode}", workers=1,
                                        source_root=FIXTURE_SOURCE, limits=LIMITS)
        finally:
            os.environ.pop("RNNCOURSE_PRELOAD")
    return results


def test_both_paths_really_ran(graded_both_ways):
    assert _probe_lines(graded_both_ways["1"], "probe")["PROBE parent"] == "preload-server"
    assert _probe_lines(graded_both_ways["0"], "probe")["PROBE parent"] == "other"


def test_preloaded_and_execd_kernels_give_identical_grades(graded_both_ways):
    preloaded, execd = graded_both_ways["1"].scores, graded_both_ways["0"].scores
    assert preloaded["probe"]["total"] == preloaded["probe"]["max"] == 7, preloaded["probe"]["problems"]
    assert preloaded["buggy"]["tests"]["test_window_mean"][0] == 0.0
    for student in ("probe", "buggy"):
        assert (preloaded[student]["total"], preloaded[student]["tests"]) == (execd[student]["total"], execd[student]["tests"])


def test_forked_kernel_is_sandboxed_like_an_execd_one(graded_both_ways):
    if os.geteuid() != 0:
        pytest.fail("run as root (as CI does) to check the per-student uid")
    for mode in ("1", "0"):
        probe = _probe_lines(graded_both_ways[mode], "probe")
        assert int(probe["PROBE uid"]) >= 200_000, f"mode {mode}: the kernel kept the grader's uid"
        assert probe["PROBE sees course"] == "False", f"mode {mode}: the kernel can see solutions/"
