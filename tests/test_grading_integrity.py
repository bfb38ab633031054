"""The grader-side code scan flags patching, and never a correct student's ordinary code."""
from grading.integrity import scan_source

SETUP_NAMES = {"np", "keras", "horizon", "_largest_difference"}
MODULE_ALIASES = {"np", "keras"}


def findings(source: str) -> list[str]:
    return scan_source(source, SETUP_NAMES, MODULE_ALIASES)


def test_local_variables_may_reuse_setup_names():
    source = "def forecast(series):\n    horizon = 3\n    values = {}\n    values['a'] = horizon\n    return values\n"
    assert findings(source) == []


def test_throw_away_underscore_and_reimporting_numpy_are_fine():
    assert findings("import numpy as np\nfirst, _ = divmod(7, 2)\n") == []


def test_module_level_rebinding_of_a_setup_name_is_flagged():
    assert any("rebinds horizon" in finding for finding in findings("horizon = 99\n"))
    assert any("redefines _largest_difference" in finding
               for finding in findings("def _largest_difference(a, b):\n    return 0.0\n"))


def test_monkey_patching_a_module_is_flagged_anywhere():
    assert any("monkey-patching" in finding for finding in findings("np.allclose = lambda *a, **k: True\n"))
    inside = "def sneaky():\n    np.testing.assert_allclose = print\nsneaky()\n"
    assert any("monkey-patching" in finding for finding in findings(inside))
    assert any("monkey-patching" in finding for finding in findings("keras.layers.LSTM = object\n"))


def test_global_declaration_of_a_setup_name_is_flagged():
    source = "def f():\n    global horizon\n    horizon = 0\n"
    assert any("declares global horizon" in finding for finding in findings(source))


def test_showing_html_is_allowed_but_reaching_the_kernel_is_not():
    assert findings("from IPython.display import HTML, display\ndisplay(HTML('<b>table</b>'))\n") == []
    assert any("imports from IPython.core" in finding for finding in findings("from IPython.core import getipython\n"))
