"""Preloaded kernels (grading/preload.py): forked from a server with Keras imported, same grades, same sandbox.

The same small class is graded with the preload server and without it (RNNCOURSE_PRELOAD=0), through the
real nbgrader. A probe answer cell prints where its kernel came from, which uid it runs as and whether it
can see the course, so the test sees both paths really ran and that the forked kernel is sandboxed too.
A forked kernel is interrupted through its init (client, outer, init, kernel) and lives on. The hostile cases
(loops, fork bombs, os._exit, memory) run with the preload server in
tests/test_grading_adversarial.py.
"""
import asyncio
import os
import time

import pytest

from grading.settings import GradingLimits
from tests.fixtures.grading.cases import CORRECT_SOFTMAX
from tests.grading_support import REPOSITORY, grade_probe_class, probe_lines

LIMITS = GradingLimits(budget_seconds=30, cell_seconds=15)
PROBE = CORRECT_SOFTMAX + f"""

import os as _os
# A forked kernel never exec'd, so its own command line is still the preload server's (the server itself is
# invisible to the kernel: /proc is mounted with hidepid=invisible).
_own = open("/proc/self/cmdline").read().replace("\\0", " ")
print("PROBE parent:", "preload-server" if "--serve" in _own else "other")
print("PROBE uid:", _os.getuid())
print("PROBE pid:", _os.getpid())
print("PROBE seccomp:", [line.split()[1] for line in open("/proc/self/status") if line.startswith("Seccomp:")][0])
print("PROBE sees course:", _os.path.exists({str(REPOSITORY / "solutions")!r}))
"""


@pytest.fixture(scope="module")
def graded_both_ways(tmp_path_factory):
    return grade_probe_class(tmp_path_factory.mktemp("preload"), PROBE, "RNNCOURSE_PRELOAD", ("1", "0"), LIMITS)


def test_both_paths_really_ran(graded_both_ways):
    assert probe_lines(graded_both_ways["1"], "probe")["PROBE parent"] == "preload-server"
    assert probe_lines(graded_both_ways["0"], "probe")["PROBE parent"] == "other"


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
        probe = probe_lines(graded_both_ways[mode], "probe")
        assert int(probe["PROBE uid"]) >= 200_000, f"mode {mode}: the kernel kept the grader's uid"
        assert probe["PROBE sees course"] == "False", f"mode {mode}: the kernel can see solutions/"
        assert probe["PROBE pid"] == "2", f"mode {mode}: the kernel must be PID 2 of its own namespace, under init"
        assert probe["PROBE seccomp"] == "2", f"mode {mode}: the kernel runs without its seccomp filter"


INTERRUPTED = ("import os, time\nforked = '--serve' in open('/proc/self/cmdline').read()\n"
               "print('kernel pid', os.getpid(), 'forked' if forked else 'execd', flush=True)\ntime.sleep(120)")


async def _interrupt_a_kernel(sandbox) -> dict:
    manager = sandbox.SandboxKernelManager(kernel_name="python3")
    await manager.start_kernel()
    client = manager.client()
    client.start_channels()
    texts, running = [], asyncio.Event()

    def hook(message):
        if message["msg_type"] == "stream":
            texts.append(message["content"]["text"])
            running.set()
    try:
        await client.wait_for_ready(timeout=120)
        cell = asyncio.ensure_future(client.execute_interactive(INTERRUPTED, output_hook=hook, timeout=180))
        await asyncio.wait_for(running.wait(), 60)
        started = time.monotonic()
        await manager.interrupt_kernel()  # SIGINT to the client's group: client -> outer -> init -> kernel
        reply = await asyncio.wait_for(cell, 60)
        seconds = time.monotonic() - started
        after = await client.execute_interactive("print(6 * 7)", output_hook=hook, timeout=60)
        return {"reply": reply["content"], "seconds": seconds, "after": after["content"]["status"], "texts": texts,
                "folder": manager.sandbox_folder}
    finally:
        client.stop_channels()
        await manager.shutdown_kernel(now=True)


def test_an_interrupt_reaches_a_forked_kernel_through_its_init(tmp_path, monkeypatch):
    if os.geteuid() != 0:
        pytest.fail("run as root (as CI does): the PID namespace needs it")
    from grading import sandbox
    from grading.preload import PreloadServer
    monkeypatch.setattr(sandbox, "SANDBOX_ROOT", tmp_path / "sandboxes")
    monkeypatch.delenv("RNNCOURSE_SANDBOX", raising=False)
    monkeypatch.setenv("KERAS_BACKEND", "tensorflow")
    assert PreloadServer.shared() is not None, "the preload server must start for this test"
    result = asyncio.run(_interrupt_a_kernel(sandbox))
    assert result["texts"][0].strip() == "kernel pid 2 forked", result["texts"]
    assert result["reply"]["status"] == "error" and result["reply"]["ename"] == "KeyboardInterrupt", result["reply"]
    assert result["seconds"] < 20, f"the interrupt took {result['seconds']:.1f} s to reach the kernel"
    assert result["after"] == "ok" and result["texts"][-1].strip() == "42", "the kernel must live on after it"
    assert not result["folder"].exists(), "the kernel's folder must be removed after shutdown"
