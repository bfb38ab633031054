"""SafeExecute: nbgrader's Execute preprocessor that judges tests outside the kernel, with a whole-notebook
budget, output limits and the scan.

* Two phases (grading/judge.py): the setup cell and every answer cell run in the student's sandboxed kernel,
  in order; graded test cells do not. After the last cell, the judge runs every test cell in this process,
  with the student's GRADED names bound to proxies into the kernel, and writes each test cell's outcome as its
  output (an error output scores 0, as in nbgrader). Nothing the kernel prints in phase 2 is kept.

* One wall-clock budget for the whole notebook: each cell gets min(cell cap, budget left), and once the
  budget is spent the remaining cells are not run but marked with an error, so an infinite loop called from
  every test costs one budget, not one timeout per cell.
* A kernel that dies (memory limit, os._exit, a crash) marks its cell and every later cell with an error
  naming the probable causes; cells that passed before keep their points.
* An answer cell that times out is interrupted. If the kernel ignores the interrupt (a loop that catches
  KeyboardInterrupt or blocks SIGINT), it is restarted in a fresh sandbox and the cells before the stuck one
  are run again, so that the other answers are still judged; only the stuck cell's tests lose.
* Output beyond `max_output_bytes` per cell is dropped as it arrives (the grader never holds it) and the
  cell gets an error, so it scores zero.
* Before anything runs, grading.integrity scans every student-controlled cell; with findings nothing is
  executed and every graded cell gets an IntegrityViolation error.
Events (what happened, per student) are written as JSON to `events_dir` for the report.
"""
import copy
import json
import math
import sys
import time
from pathlib import Path
from queue import Empty

from jupyter_core.utils import run_sync
from nbclient.exceptions import DeadKernelError
from nbformat.notebooknode import NotebookNode
from traitlets import Float, Integer, Unicode

from nbgrader.preprocessors import Execute

from grading.integrity import scan_notebook
from grading.judge import Judge, KernelGone, KernelTransport, is_test_cell
from grading.preload import PreloadServer
from grading.sandbox import SandboxKernelManager


def error_output(ename: str, message: str) -> NotebookNode:
    return NotebookNode(output_type="error", ename=ename, evalue=message, traceback=[f"{ename}: {message}"])


class SafeExecute(Execute):
    budget_seconds = Float(120.0, help="Wall-clock seconds for the whole notebook").tag(config=True)
    cell_seconds = Float(60.0, help="Most seconds one cell may take (within the budget)").tag(config=True)
    max_output_bytes = Integer(512 * 1024, help="Most output bytes one cell may produce").tag(config=True)
    setup_seconds = Float(120.0, help="Most seconds a locked setup cell may take; not charged to the budget"
                          ).tag(config=True)
    events_dir = Unicode("", help="Folder for per-student event files read by grading.engine").tag(config=True)

    def __init__(self, **kw):
        kw.setdefault("kernel_manager_class", SandboxKernelManager)
        super().__init__(**kw)
        self.timeout_func = self._cell_timeout
        # After a timeout the kernel may stay silent; that must cost this cell, not abort the student.
        self.raise_on_iopub_timeout = False

    # -- budget ------------------------------------------------------------------------------------------
    @staticmethod
    def _is_setup(cell):
        meta = cell.metadata.get("nbgrader", {})
        return bool(meta.get("locked")) and not meta.get("grade") and not meta.get("solution")

    def _cell_timeout(self, cell):
        if self._is_setup(cell):  # instructor code restored from the source: not the student's time
            return int(self.setup_seconds)
        left = self.budget_seconds - self._spent
        return max(1, int(math.ceil(min(self.cell_seconds, left))))

    def preprocess(self, nb, resources=None, km=None):
        self._spent, self._stop, self._events, self._output_bytes = 0.0, None, [], {}
        self._setup_spent, self._first_cell_at, self._judge_start = 0.0, None, 0.0
        self._server_before = PreloadServer.existing()  # None: this notebook's kernel starts the preload server
        self._over_limit = set()
        self._started = time.monotonic()
        findings = scan_notebook(nb)
        if findings:
            self._record("integrity", "Code that could fake or disable the tests was found, so the notebook "
                         "was not run and every test scores 0: " + "; ".join(findings))
            for cell in nb.cells:
                if cell.cell_type == "code":
                    cell.outputs = []
                    if cell.metadata.get("nbgrader", {}).get("grade"):
                        cell.outputs = [error_output("IntegrityViolation", "; ".join(findings))]
            self._write_events(resources)
            return nb, resources
        try:
            return super().preprocess(nb, resources, km=km)
        finally:
            self._write_events(resources)

    def preprocess_cell(self, cell, resources, index):
        try:
            return self._run_in_kernel(cell, resources, index)
        finally:
            if index == len(self.nb.cells) - 1:
                self._judge_tests()

    def _run_in_kernel(self, cell, resources, index):
        if cell.cell_type != "code":
            return cell, resources
        if is_test_cell(cell):  # judged after the last cell, in this process (phase 2)
            cell.outputs, cell.execution_count = [], None
            return cell, resources
        if self._stop is not None:
            cell.outputs = [error_output(*self._stop)]
            return cell, resources
        started = time.monotonic()
        if self._first_cell_at is None:  # the kernel is up: what came before was its start
            self._first_cell_at = started
        try:
            cell, resources = super().preprocess_cell(cell, resources, index)
        except DeadKernelError:
            message = ("The kernel died while running this cell: the memory limit, a process limit, "
                       "os._exit() or a crash. This cell and all later cells score 0.")
            cell.outputs.append(error_output("KernelDied", message))
            self._stop = ("KernelDied", "Not run: the kernel died in an earlier cell.")
            self._record("kernel_died", f"{self._label(cell, index)}: {message}")
        finally:
            if self._is_setup(cell):
                self._setup_spent += time.monotonic() - started
            else:
                self._spent += time.monotonic() - started
        if self._timed_out(cell):
            self._record("timeout", f"{self._label(cell, index)}: stopped after {self._cell_timeout(cell)} s or the "
                         f"notebook budget of {self.budget_seconds:.0f} s")
            if self._stop is None and not self._kernel_answers():
                self._restart_without(cell, index)
        if index in self._over_limit:
            cell.outputs.append(error_output("OutputLimitExceeded", f"This cell printed more than "
                                             f"{self.max_output_bytes // 1024} KiB; the rest was dropped and the cell scores 0."))
            self._record("output_limit", f"{self._label(cell, index)}: more than {self.max_output_bytes // 1024} KiB of output")
        if self._stop is None and self._spent >= self.budget_seconds:
            self._stop = ("TimeBudgetExceeded", f"Not run: the notebook's time budget of {self.budget_seconds:.0f} s "
                          "was spent (an infinite loop or very slow code in an earlier cell).")
            self._record("budget", f"time budget of {self.budget_seconds:.0f} s spent at {self._label(cell, index)}; "
                         "later cells were not run and score 0")
            try:  # a loop that ignores interrupts must not keep a CPU busy while other students are graded
                run_sync(self.km.shutdown_kernel)(now=True)
            except Exception as error:  # the kernel may already be gone; nbclient cleans up afterwards
                self.log.warning("shutting down the kernel after the budget: %s", error)
        return cell, resources

    # -- a kernel stuck in an answer cell -------------------------------------------------------------------
    @staticmethod
    def _timed_out(cell) -> bool:
        return any(o.output_type == "error" and o.get("ename") == "CellTimeoutError" for o in cell.get("outputs", []))

    def _kernel_answers(self, seconds: float = 3.0) -> bool:
        """After the timeout's interrupt: does the kernel take a new request within `seconds`?"""
        request = self.kc.execute("", silent=True, store_history=False)
        deadline = time.monotonic() + seconds
        while (left := deadline - time.monotonic()) > 0:
            try:  # the interrupted cell's own late reply may come first: skip it
                reply = run_sync(self.kc.get_shell_msg)(timeout=left)
            except Empty:
                return False
            if reply.get("parent_header", {}).get("msg_id") == request:
                return True
        return False

    def _restart_without(self, stuck_cell, stuck_index):
        """Restart the kernel (a fresh sandbox: grading/sandbox.py) and rerun the cells before the stuck one."""
        self._record("restart", f"{self._label(stuck_cell, stuck_index)}: the kernel ignored the interrupt, so it "
                     "was restarted and the cells before this one were run again; this cell's tests score 0")
        started = time.monotonic()
        try:
            run_sync(self.km.restart_kernel)(now=True)
            run_sync(self.kc.wait_for_ready)(timeout=self.startup_timeout)
        except Exception as error:  # no kernel to judge with: the later cells say so
            self._stop = ("KernelDied", f"Not run: the kernel could not be restarted after a stuck cell ({error}).")
            return
        finally:
            self._spent += time.monotonic() - started
        counted = dict(self._output_bytes), set(self._over_limit)  # the replay's output is not the cells' own
        for index, cell in enumerate(self.nb.cells[:stuck_index]):
            if cell.cell_type == "code" and not is_test_cell(cell) and not self._timed_out(cell):
                started = time.monotonic()
                self.execute_cell(copy.deepcopy(cell), index, store_history=False)
                if not self._is_setup(cell):
                    self._spent += time.monotonic() - started
        self._output_bytes, self._over_limit = counted

    # -- phase 2: the judge ------------------------------------------------------------------------------
    def _judge_tests(self):
        tests = [(index, cell) for index, cell in enumerate(self.nb.cells) if is_test_cell(cell)]
        if not tests or self._stop is not None:
            for _, cell in tests:
                cell.outputs = [error_output(*(self._stop or ("NotRun", "Not run.")))]
            return
        first_judge = "keras" not in sys.modules  # the first notebook of this process imports Keras for the judge
        started = time.monotonic()
        try:
            transport = KernelTransport(self.kc, self.km, run_sync)
            transport.install()
            judge = Judge(self.nb, transport, cell_seconds=self.cell_seconds)
        except Exception as error:  # no contract, a broken setup, a kernel that died: every test says why
            self._record("judge", f"the tests could not be judged: {type(error).__name__}: {error}")
            for _, cell in tests:
                cell.outputs = [error_output("NotJudged", f"The tests could not be run: {error}")]
            return
        finally:
            self._judge_start = time.monotonic() - started if first_judge else 0.0
        for index, cell in tests:
            cell.outputs = self._judge_one(judge, cell, index)

    def _judge_one(self, judge, cell, index):
        left = self.budget_seconds - self._spent
        if self._stop is not None or left <= 0:
            self._stop = self._stop or ("TimeBudgetExceeded", f"Not run: the notebook's time budget of "
                                        f"{self.budget_seconds:.0f} s was spent.")
            return [error_output(*self._stop)]
        started = time.monotonic()
        try:
            outcome = judge.judge(cell.source, min(self.cell_seconds, left))
        except KernelGone as error:
            self._stop = ("KernelDied", "Not run: the kernel died in an earlier test.")
            self._record("kernel_died", f"{self._label(cell, index)}: {error}")
            return [error_output("KernelDied", f"{error}. This test and all later tests score 0.")]
        finally:
            self._spent += time.monotonic() - started
        if outcome.ename == "TimeoutError":
            self._record("timeout", f"{self._label(cell, index)}: {outcome.message}")
        return [] if outcome.passed else [error_output(outcome.ename, outcome.message)]

    # -- output limit --------------------------------------------------------------------------------------
    def output(self, outs, msg, display_id, cell_index):
        size = len(json.dumps(msg.get("content", {}), default=str))
        total = self._output_bytes.get(cell_index, 0) + size
        self._output_bytes[cell_index] = total
        if total > self.max_output_bytes:
            self._over_limit.add(cell_index)
            return None
        return super().output(outs, msg, display_id, cell_index)

    # -- events ------------------------------------------------------------------------------------------
    def _label(self, cell, index):
        return cell.metadata.get("nbgrader", {}).get("grade_id") or f"cell {index}"

    def _record(self, kind, message):
        self.log.warning("%s: %s", kind, message)
        self._events.append({"kind": kind, "message": message})

    def _write_events(self, resources):
        if not self.events_dir:
            return
        student = (resources or {}).get("nbgrader", {}).get("student", "unknown")
        path = Path(self.events_dir) / f"{student}.json"
        path.parent.mkdir(parents=True, exist_ok=True)
        kernel_start = (self._first_cell_at or time.monotonic()) - self._started
        server = PreloadServer.existing()
        preload_start = server.start_seconds if self._server_before is None and server is not None else 0.0
        path.write_text(json.dumps({"events": self._events, "budget_seconds_used": round(self._spent, 2),
                                    "setup_seconds": round(self._setup_spent, 2),
                                    "kernel_start_seconds": round(kernel_start, 2),  # includes preload_start
                                    "preload_start_seconds": round(preload_start, 2),
                                    # once per grading process: the judge's first import of Keras
                                    "judge_start_seconds": round(self._judge_start, 2),
                                    "wall_seconds": round(time.monotonic() - self._started, 2)}))
