"""The judge's parts on their own: plain data both ways, the GRADED contract, the two forms of a test cell,
and a real kernel answering calls, callbacks and values through grading.judge.KernelTransport."""
import json

import nbformat
import numpy as np
import pytest
from jupyter_core.utils import run_sync

from grading import plain_data
from grading.judge import (ContractError, Judge, KernelTransport, MissingName, graded_contract, hidden_hint,
                           rebuild_model, student_exception, visible_source)


# ---------------------------------------------------------------------------------------------------------
# Plain data

@pytest.mark.parametrize("value", [
    None, True, 3, -2**60, 2.5, float("inf"), "text", [1, [2.0, "x"]], (1, (2, 3)), {"a": 1, 2: (3,)},
    np.arange(6, dtype="int16").reshape(2, 3), np.float32(1.5), np.array([True, False]), np.zeros((0, 4)),
])
def test_plain_data_round_trips_with_types_kept(value):
    back = plain_data.loads(plain_data.dumps(value))
    assert type(back) is type(value)
    if isinstance(value, np.ndarray):
        assert back.dtype == value.dtype and back.shape == value.shape and np.array_equal(back, value)
    else:
        assert repr(back) == repr(value)


def test_nan_survives_and_arrays_are_copies():
    back = plain_data.loads(plain_data.dumps([float("nan"), np.array([np.nan])]))
    assert np.isnan(back[0]) and np.isnan(back[1][0])
    back[1][0] = 1.0  # a read-only frombuffer view would raise here


@pytest.mark.parametrize("value, words", [
    (np.array(["a"], dtype=object), "dtype object"), (np.array([1 + 2j]), "dtype complex128"),
    (object(), "type object"), ({(1, 2): 3}, "keys"), (np.random.default_rng(0), "type Generator"),
])
def test_values_that_cannot_cross_are_refused_with_what_would(value, words):
    with pytest.raises(plain_data.PlainDataError, match=words):
        plain_data.dumps(value)


@pytest.mark.parametrize("text, words", [
    ("[" * 100_000 + "]" * 100_000, "could not be read|nested"),
    (json.dumps({"__ndarray__": "AAAA", "dtype": "|O", "shape": [1]}), "bool, integer or float"),
    (json.dumps({"__ndarray__": "AAAA", "dtype": "<f8", "shape": [5]}), "does not match its shape"),
    (json.dumps({"__pickle__": "gASV"}), "does not accept"),
    (json.dumps({"__callback__": 0}), "does not accept"),  # no callbacks come back from a kernel
    (json.dumps({"__keras_model__": {"config": "{}", "weights": []}}), "does not accept"),
])
def test_hostile_payloads_are_refused(text, words):
    with pytest.raises(plain_data.PlainDataError, match=words):
        plain_data.loads(text)


def test_models_must_use_keras_layers_and_send_their_weights():
    import keras

    model = keras.Sequential([keras.Input(shape=(3,)), keras.layers.Dense(2)])
    rebuilt = rebuild_model(model.to_json(), model.get_weights())
    assert np.allclose(rebuilt.predict(np.ones((1, 3)), verbose=0), model.predict(np.ones((1, 3)), verbose=0))
    config = json.loads(model.to_json())
    config["config"]["layers"][1]["module"] = "os"
    with pytest.raises(plain_data.PlainDataError, match="module os"):
        rebuild_model(json.dumps(config), model.get_weights())
    huge = keras.Sequential([keras.Input(shape=(3,)), keras.layers.Dense(2), keras.layers.Dense(2)])
    config = json.loads(huge.to_json())
    for layer in config["config"]["layers"][1:]:
        layer["config"]["units"] = 60_000  # two such layers would build 3.6e9 weights
    with pytest.raises(plain_data.PlainDataError, match="far more weights"):
        rebuild_model(json.dumps(config), huge.get_weights())


# ---------------------------------------------------------------------------------------------------------
# The contract and the two forms of a test cell

def _notebook(setup: str):
    cell = nbformat.v4.new_code_cell(setup)
    cell.metadata["nbgrader"] = {"grade": False, "locked": True, "solution": False, "grade_id": "setup"}
    return nbformat.v4.new_notebook(cells=[cell])


def test_graded_contract_is_read_without_running_the_setup_cell():
    notebook = _notebook('raise SystemExit\nGRADED = {"functions": ["f"], "values": ["v"]}')
    assert graded_contract(notebook) == {"functions": ["f"], "off_limits": [], "values": ["v"]}
    for setup in ("x = 1", 'GRADED = {"functions": "f"}', 'GRADED = {"secret": ["f"]}'):
        with pytest.raises(ContractError):
            graded_contract(_notebook(setup))


def test_visible_source_and_hint():
    source = "a = 1\n### BEGIN HIDDEN TESTS\n# Feedback: batch 1\nassert secret\n### END HIDDEN TESTS\nb = 2\n"
    assert visible_source(source) == "a = 1\nb = 2\n"
    assert hidden_hint(source) == "batch 1"
    assert "other shapes" in hidden_hint("### BEGIN HIDDEN TESTS\nx\n### END HIDDEN TESTS\n")


def test_student_exceptions_keep_their_built_in_type():
    assert isinstance(student_exception("f", "ValueError", "bad"), ValueError)
    assert isinstance(student_exception("f", "MyError", "bad"), RuntimeError)
    assert isinstance(student_exception("f", "SystemExit", ""), RuntimeError)  # never a BaseException
    assert "stub" in str(student_exception("f", "NotImplementedError", ""))


# ---------------------------------------------------------------------------------------------------------
# A real kernel

@pytest.fixture(scope="module")
def kernel():
    from jupyter_client.manager import start_new_async_kernel

    manager, client = run_sync(start_new_async_kernel)(kernel_name="python3")
    yield manager, client
    client.stop_channels()
    run_sync(manager.shutdown_kernel)(now=True)


def _run(client, code):
    async def go():
        reply = await client.execute_interactive(code, store_history=False)
        assert reply["content"]["status"] == "ok", reply["content"]
    run_sync(go)()


def test_a_kernel_answers_calls_callbacks_and_values(kernel):
    manager, client = kernel
    _run(client, "import numpy as np\n"
                 "def double(x):\n    print('printed in the kernel')\n    return 2 * np.asarray(x)\n"
                 "def walk(step, n):\n    state = 0\n    for _ in range(n):\n        state = step(state)\n    return state\n"
                 "def fail(x):\n    raise ValueError('no ' + str(x))\n"
                 "answer = (1, 'two', np.ones(2, dtype='float32'))")
    transport = KernelTransport(client, manager, run_sync)
    transport.install()
    assert np.array_equal(transport.ask("double", "function", [[np.arange(3)], {}]), [0, 2, 4])
    calls = []

    def step(state):
        calls.append(state)
        return state + 1

    assert transport.ask("walk", "function", [[step, 5], {}]) == 5
    assert calls == [0, 1, 2, 3, 4], "the judge answers each callback itself, so it sees every call"
    with pytest.raises(ValueError, match="fail raised ValueError: no 3"):
        transport.ask("fail", "function", [[3], {}])
    value = transport.ask("answer", "value", None)
    assert value[:2] == (1, "two") and value[2].dtype == np.float32
    assert isinstance(transport.ask("not_there", "value", None), MissingName)


def test_a_judge_runs_tests_against_the_kernel_and_hides_hidden_messages(kernel):
    manager, client = kernel
    _run(client, "def square(x):\n    return x * x if x < 100 else 0")
    notebook = _notebook('GRADED = {"functions": ["square"], "values": ["nowhere"]}\nLIMIT = 100')
    transport = KernelTransport(client, manager, run_sync)
    transport.install()
    judge = Judge(notebook, transport, cell_seconds=20)
    assert judge.judge("assert square(3) == 9, 'square(3) should be 9'", 20).passed
    hidden = ("assert square(4) == 16\n### BEGIN HIDDEN TESTS\n# Feedback: large inputs\n"
              "assert square(LIMIT) == 10000, 'square(100) is 0, not 10000'\n### END HIDDEN TESTS\n")
    outcome = judge.judge(hidden, 20)
    assert not outcome.passed and "large inputs" in outcome.message and "10000" not in outcome.message
    outcome = judge.judge("assert square(2) == 5, 'square(2) is not 5'", 20)
    assert (outcome.ename, outcome.message) == ("AssertionError", "square(2) is not 5")
    outcome = judge.judge("assert nowhere == 1", 20)
    assert outcome.ename == "NameError" and "nowhere" in outcome.message


def test_imports_of_off_limits_modules_are_refused_with_the_reason():
    from grading.integrity import scan_notebook

    notebook = _notebook('GRADED = {"functions": ["f"], "off_limits": ["rnncourse", "editdistance"]}\nimport numpy as np')
    answer = nbformat.v4.new_code_cell("from rnncourse.features import *\nimport numpy\n\ndef f(x):\n    import editdistance\n    return x")
    answer.metadata["nbgrader"] = {"solution": True, "grade": False, "locked": False, "grade_id": "f"}
    notebook.cells.append(answer)
    findings = scan_notebook(notebook)
    assert any("rnncourse.features" in finding and "off limits" in finding for finding in findings), findings
    assert any("editdistance" in finding for finding in findings), "an import inside a function counts too"
    assert not any("numpy" in finding for finding in findings), findings
