"""The judge: graded test cells run in the grader's own process, never in the student's kernel.

Under autograde, grading.execute.SafeExecute runs the setup cell and every answer cell in the sandboxed
kernel (phase 1), then hands the test cells to a `Judge` (phase 2). The judge executes each test cell's
source, hidden blocks included, in a namespace of its own: the setup cell run again here, plus one proxy per
name that the setup cell's GRADED contract declares. Calling a proxy sends plain data to the kernel
(grading/plain_data.py) and reads plain data back, so expected values, references, hidden inputs' checks and
every assert stay where the student's code cannot reach them. CONTRIBUTING.md ("the judge's test-cell
form") is the authors' side of this contract.

What the student learns from a failing test comes from the visible part alone: when the whole cell fails,
the judge runs the visible part again (the cell as released) and reports its message; if the visible part
passes, the student reads only the hidden block's public `# Feedback:` hint.
"""
import ast
import asyncio
import builtins
import contextlib
import io
import json
import queue
import re
import signal
import time
from dataclasses import dataclass
from pathlib import Path

from grading import plain_data

HIDDEN_BLOCK = re.compile(r"^[ \t]*### BEGIN HIDDEN TESTS[^\n]*\n(.*?)^[ \t]*### END HIDDEN TESTS[^\n]*(\n|$)", re.M | re.S)
FEEDBACK_HINT = re.compile(r"^\s*# Feedback:\s*(.+)$", re.M)
CONTRACT_KEYS = {"functions", "values", "off_limits"}
SHIM_SOURCE = Path(plain_data.__file__).read_text(encoding="utf-8")


class ContractError(ValueError):
    """The assignment's setup cell declares no usable GRADED contract (an authoring mistake)."""


class KernelGone(RuntimeError):
    """The student's kernel died or stopped answering; later tests cannot be judged."""


class JudgeTimeout(Exception):
    """A test cell ran past its time (student code answering slowly, or a test the judge cannot finish)."""


# ---------------------------------------------------------------------------------------------------------
# The contract and the two forms of a test cell

def is_setup_cell(cell) -> bool:
    meta = cell.get("metadata", {}).get("nbgrader", {})
    return cell.get("cell_type") == "code" and bool(meta.get("locked")) and not meta.get("grade") and not meta.get("solution")


def is_test_cell(cell) -> bool:
    meta = cell.get("metadata", {}).get("nbgrader", {})
    return cell.get("cell_type") == "code" and bool(meta.get("grade")) and not meta.get("solution")


def setup_cells(notebook) -> list:
    """The locked, ungraded code cells before the first answer cell. A locked, ungraded cell further down (a
    demonstration that uses the student's answers) runs in the kernel only: the judge has no answers yet."""
    cells = []
    for cell in notebook.cells:
        if cell.get("metadata", {}).get("nbgrader", {}).get("solution"):
            break
        if is_setup_cell(cell):
            cells.append(cell)
    return cells


def graded_contract(notebook) -> dict:
    """The GRADED dict of the setup cells, read with ast.literal_eval (never executed for this)."""
    for cell in setup_cells(notebook):
        for node in ast.parse(cell.source).body:
            if isinstance(node, ast.Assign) and [getattr(target, "id", None) for target in node.targets] == ["GRADED"]:
                contract = ast.literal_eval(node.value)
                if not isinstance(contract, dict) or not set(contract) <= CONTRACT_KEYS or not all(
                        isinstance(names, list) and all(isinstance(name, str) for name in names)
                        for names in contract.values()):
                    raise ContractError(f"GRADED must be a dict with list-of-string entries among {sorted(CONTRACT_KEYS)}")
                return {key: list(contract.get(key, [])) for key in sorted(CONTRACT_KEYS)}
    raise ContractError("no locked setup cell declares GRADED = {...}: see CONTRIBUTING.md, the judge's test-cell form")


def visible_source(source: str) -> str:
    """The test cell as the student's release shows it: hidden blocks removed."""
    return HIDDEN_BLOCK.sub("", source)


def hidden_hint(source: str) -> str:
    hints = [hint.strip() for block in HIDDEN_BLOCK.finditer(source) for hint in FEEDBACK_HINT.findall(block.group(1))]
    return "; ".join(dict.fromkeys(hints)) or "hidden tests try other shapes, seeds and edge cases"


@dataclass
class Outcome:
    passed: bool
    ename: str = ""
    message: str = ""


# ---------------------------------------------------------------------------------------------------------
# Proxies for the student's names

def student_exception(name: str, ename: str, message: str) -> Exception:
    """The student's exception as the same built-in type, so `except ValueError` works in both places."""
    kind = getattr(builtins, ename, None)
    text = f"{name} raised {ename}: {message}" if message else f"{name} raised {ename}" + (
        " (is its answer cell still the unfinished stub?)" if ename == "NotImplementedError" else "")
    if isinstance(kind, type) and issubclass(kind, Exception) and kind.__module__ == "builtins":
        try:
            return kind(text)
        except TypeError:  # built-ins whose constructor needs other arguments (UnicodeError family)
            pass
    return RuntimeError(text)


class StudentFunction:
    """Stands for one graded function: each call is a round trip to the student's kernel."""

    def __init__(self, name: str, transport):
        self.name, self.transport = name, transport

    def __call__(self, *arguments, **keywords):
        return self.transport.ask(self.name, "function", [list(arguments), keywords])

    def __repr__(self):
        return f"<the student's {self.name}>"


class MissingName:
    """A GRADED name the student's notebook never defined: any use fails with a message that says so."""


# ---------------------------------------------------------------------------------------------------------
# The judge

class Judge:
    def __init__(self, notebook, transport, cell_seconds: float = 60.0, log=None):
        self.transport, self.cell_seconds, self.log = transport, cell_seconds, log
        self.contract = graded_contract(notebook)
        self.namespace = {"__name__": "__judge__", "__builtins__": builtins}
        with _quiet():
            for cell in setup_cells(notebook):
                exec(compile(cell.source, "<setup cell>", "exec"), self.namespace)
        for name in self.contract["functions"]:
            self.namespace[name] = StudentFunction(name, transport)
        transport.deadline = time.monotonic() + cell_seconds
        for name in self.contract["values"]:
            self.namespace[name] = transport.ask(name, "value", None)

    def judge(self, source: str, seconds: float) -> Outcome:
        """Run one test cell (whole source) and say what the student may read about the result."""
        before = dict(self.namespace)
        failure = self._run(source, self.namespace, seconds)
        if failure is None:
            return Outcome(True)
        if visible_source(source) == source:
            return failure
        retry = self._run(visible_source(source), dict(before), seconds)
        if retry is not None:
            return retry
        return Outcome(False, "HiddenTestFailed", "Your answer passes the visible checks of this test but not the "
                       f"hidden ones. Hint: {hidden_hint(source)}.")

    def _run(self, source: str, namespace: dict, seconds: float) -> Outcome | None:
        missing = [name for name, value in namespace.items() if isinstance(value, MissingName) and re.search(rf"\b{name}\b", source)]
        if missing:
            return Outcome(False, "NameError", f"{missing[0]} is not defined: the grader found no {missing[0]} after running "
                           "your notebook. Define it in its answer cell and run the notebook from the top.")
        deadline = time.monotonic() + seconds
        try:
            with _quiet(), _alarm(seconds, self.transport):
                self.transport.deadline = deadline
                exec(compile(source, "<test cell>", "exec"), namespace)
        except KernelGone:
            raise
        except JudgeTimeout:
            return Outcome(False, "TimeoutError", f"this test did not finish within {seconds:.0f} s: look for an endless "
                           "loop or very slow code in the functions it calls")
        except AssertionError as error:
            return Outcome(False, "AssertionError", str(error) or "an assertion failed (it gives no message)")
        except plain_data.PlainDataError as error:
            return Outcome(False, "UnreadableAnswer", str(error))
        except Exception as error:  # any other failure of the test is the student's answer misbehaving
            return Outcome(False, type(error).__name__, str(error)[:2000])
        return None


@contextlib.contextmanager
def _quiet():
    """Whatever test code prints (hidden inputs, say) is not feedback."""
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        yield


@contextlib.contextmanager
def _alarm(seconds: float, transport):
    """Stop judge-side code that runs too long. A call into the kernel has its own deadline, so the alarm
    only marks the time while one is waiting."""
    def expire(signum, frame):
        if transport.waiting:
            transport.expired = True
        else:
            raise JudgeTimeout()

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds + 1.0)
    transport.expired = False
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


# ---------------------------------------------------------------------------------------------------------
# The transport: calls into the student's kernel over the Jupyter connection SafeExecute already holds

class KernelTransport:
    """Ask the kernel for one function call or one value; answer its callback questions meanwhile."""

    def __init__(self, kernel_client, kernel_manager, run_sync):
        self.kc, self.km, self.run_sync = kernel_client, kernel_manager, run_sync
        self.deadline, self.waiting, self.expired = time.monotonic() + 60, False, False
        self.callbacks = []

    def install(self) -> None:
        code = ("import types as _rnncourse_types\n_rnncourse_judge = _rnncourse_types.ModuleType('rnncourse_judge')\n"
                f"exec(compile({SHIM_SOURCE!r}, 'rnncourse_judge', 'exec'), _rnncourse_judge.__dict__)\n"
                "del _rnncourse_types")
        self.deadline = time.monotonic() + 60
        reply = self.run_sync(self._exchange)(code)
        if reply.get("status") == "error":
            raise KernelGone("the notebook's kernel could not load the grader's helper; did an answer cell change "
                             f"Python's built-ins? ({reply.get('ename')}: {reply.get('evalue')})")

    def ask(self, name: str, kind: str, arguments):
        request = plain_data.dumps(arguments, self._callback_number) if kind == "function" else ""
        code = f"_rnncourse_judge.call(globals(), {name!r}, {request!r}, {kind!r})"
        reply = self.run_sync(self._exchange)(code)
        answer = reply.get("answer")
        if answer is None:
            raise RuntimeError(f"{name}: the kernel gave no answer ({reply.get('ename', 'no reply')}: "
                               f"{reply.get('evalue', '')}); did an answer cell replace the grader's helper?")
        answer = plain_data.parse(answer)
        if not isinstance(answer, dict) or len(answer) != 1:
            raise plain_data.PlainDataError(f"the answer for {name} could not be read")
        return self._unpack(name, kind, answer)

    def _unpack(self, name, kind, answer):
        if "missing" in answer:
            return MissingName() if kind == "value" else _raise(NameError(
                f"{name} is not defined: the grader found no {name} after running your notebook"))
        if "error" in answer:
            ename, message = (answer["error"] + ["", ""])[:2]
            raise student_exception(name, str(ename), str(message))
        if "unreadable" in answer:
            raise plain_data.PlainDataError(f"{name} returned something the grader cannot read: {answer['unreadable']}")
        return plain_data.decode(answer.get("ok"), rebuild_model=rebuild_model)

    def _callback_number(self, function) -> int:
        self.callbacks.append(function)
        return len(self.callbacks) - 1

    def _answer_callback(self, prompt: str) -> str:
        try:
            question = plain_data.parse(prompt[len(plain_data.CALLBACK_PROMPT):])
            arguments, keywords = plain_data.decode(question["arguments"])
            result = self.callbacks[question["callback"]](*arguments, **keywords)
            return json.dumps({"ok": plain_data.encode(result)})
        except Exception as error:  # the callback belongs to the test; its failure is reported to the kernel
            return json.dumps({"error": f"{type(error).__name__}: {error}"[:500]})

    async def _exchange(self, code: str) -> dict:
        """Execute `code` and collect our answer, the error if any, until the kernel is idle again."""
        message_id = self.kc.execute(code, silent=False, store_history=False, allow_stdin=True)
        reply, last_sign_of_life = {}, time.monotonic()
        self.waiting = True
        try:
            while True:
                if time.monotonic() > self.deadline or self.expired:
                    await self._interrupt(message_id)
                    raise JudgeTimeout()
                prompt = await _next(self.kc.get_stdin_msg, 0)
                if prompt is not None and prompt["parent_header"].get("msg_id") == message_id:
                    self.kc.input(self._answer_callback(prompt["content"].get("prompt", "")))
                    continue
                message = await _next(self.kc.get_iopub_msg, 0.005)
                if message is None:
                    if time.monotonic() - last_sign_of_life > 2.0:
                        if not await self.km.is_alive():
                            raise KernelGone("the kernel died while the grader was calling your code")
                        last_sign_of_life = time.monotonic()
                    continue
                last_sign_of_life = time.monotonic()
                if message["parent_header"].get("msg_id") != message_id:
                    continue
                kind, content = message["msg_type"], message["content"]
                if kind == "display_data" and plain_data.MIME_TYPE in content.get("data", {}):
                    reply["answer"] = content["data"][plain_data.MIME_TYPE]
                elif kind == "error":
                    reply.update(status="error", ename=content.get("ename"), evalue=content.get("evalue"))
                elif kind == "status" and content.get("execution_state") == "idle":
                    return reply
        finally:
            self.waiting = False

    async def _interrupt(self, message_id: str) -> None:
        await self.km.interrupt_kernel()
        settle = time.monotonic() + 3.0
        while time.monotonic() < settle:
            message = await _next(self.kc.get_iopub_msg, 0.05)
            if message and message["parent_header"].get("msg_id") == message_id and message["msg_type"] == "status" \
                    and message["content"].get("execution_state") == "idle":
                return
        raise KernelGone("the kernel did not stop after the test's time ran out")


async def _next(getter, timeout):
    try:
        return await getter(timeout=timeout)
    except (queue.Empty, asyncio.TimeoutError):
        return None


def _raise(error):
    raise error


# ---------------------------------------------------------------------------------------------------------
# Keras models from the student: rebuilt here in safe mode, after checks that bound what the rebuild allocates

MAX_MODEL_LAYERS = 64
SIZE_KEYS = ("units", "filters", "output_dim", "key_dim", "num_heads")


def rebuild_model(config: str, weights: list):
    import keras

    tree = _checked_model_config(config, weights)
    try:
        model = keras.models.model_from_json(json.dumps(tree))
    except Exception as error:  # an unknown layer, a Lambda, a broken config: all mean "use built-in layers"
        raise plain_data.PlainDataError(f"the model could not be rebuilt from its config ({type(error).__name__}: "
                                        f"{str(error)[:300]}); use Keras's built-in layers only, no Lambda or custom classes") from None
    if [tuple(weight.shape) for weight in model.get_weights()] != [weight.shape for weight in weights]:
        raise plain_data.PlainDataError("the model's weights do not match its config")
    model.set_weights(weights)
    return model


def _checked_model_config(config: str, weights: list) -> dict:
    if len(config) > 2 * 2**20:
        raise plain_data.PlainDataError("the model's config is over 2 MiB")
    try:
        tree = json.loads(config)
    except (ValueError, RecursionError):
        raise plain_data.PlainDataError("the model's config is not valid JSON") from None
    layers, sizes, products = 0, [], 0
    for node in _walk(tree):
        module = node.get("module")
        if module is not None and not (isinstance(module, str) and (module == "keras" or module.startswith("keras."))):
            raise plain_data.PlainDataError(f"the model's config refers to the module {module!s:.60}: use Keras's layers only")
        if node.get("class_name") in ("Lambda", "TorchModuleWrapper") or "function" in str(node.get("registered_name", "")):
            raise plain_data.PlainDataError("the model uses a Lambda or wrapped function, which the grader never runs")
        inner = node.get("config") if isinstance(node.get("config"), dict) else {}
        if "class_name" in node and "config" in node:
            layers += 1
            size = max([value for key, value in inner.items() if key in SIZE_KEYS and isinstance(value, int)] or [0])
            sizes.append(size)
            if isinstance(inner.get("input_dim"), int) and isinstance(inner.get("output_dim"), int):
                products += inner["input_dim"] * inner["output_dim"]  # an embedding's table
    received = sum(weight.size for weight in weights)
    widest = max(sizes or [0])
    bound = sum(size * widest * 4 for size in sizes) + products  # a generous upper bound of the parameters built
    if layers > MAX_MODEL_LAYERS or bound > 8 * received + 4_000_000:
        raise plain_data.PlainDataError(f"the model's config ({layers} layers) would build far more weights than the "
                                        f"{received} it sent")
    return tree


def _walk(node, depth=0):
    if depth > 64:
        raise plain_data.PlainDataError("the model's config is nested too deeply")
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from _walk(value, depth + 1)
    elif isinstance(node, list):
        for value in node:
            yield from _walk(value, depth + 1)
