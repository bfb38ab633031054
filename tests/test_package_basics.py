"""The helper package: quiet start-up, seeding, results, plot style, the main job's error messages."""
import math
import os
import subprocess
import sys
import time

import nbformat
import numpy as np
import pytest

from rnncourse.notebooks import percent_to_notebook
from rnncourse.results import load_results, save_results
from rnncourse.runner import LessonFailed, execute_lesson, format_table


def test_keras_import_after_course_setup_prints_nothing_on_stderr():
    code = "from rnncourse import course_setup; course_setup(); import keras; keras.layers.LSTM(2)"
    completed = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert completed.returncode == 0, completed.stderr
    noisy = [line for line in completed.stderr.splitlines() if line.strip()]
    assert noisy == [], f"TensorFlow start-up still prints on stderr: {noisy[:5]}"


def test_import_without_banner_holds_back_only_the_start_up_banner(tmp_path):
    """The banner is written by C++ code to file descriptor 2; a module that does the same stands in for it."""
    (tmp_path / "noisy_module.py").write_text(
        "import os\n"
        "os.write(2, b'WARNING: All log messages before absl::InitializeLog() is called are written to STDERR\\n')\n"
        "os.write(2, b'I0000 port.cc:153] oneDNN custom operations are on.\\n')\n"
        "os.write(2, b'something the learner must see\\n')\n")
    (tmp_path / "broken_module.py").write_text(
        "import os\nos.write(2, b'I0000 port.cc:153] oneDNN custom operations are on.\\n')\nraise ImportError('broken')\n")
    code = ("import sys; sys.path.insert(0, {folder!r}); from rnncourse.quiet import import_without_banner; "
            "import_without_banner({module!r})")
    noisy = subprocess.run([sys.executable, "-c", code.format(folder=str(tmp_path), module="noisy_module")],
                           capture_output=True, text=True, timeout=60)
    assert noisy.returncode == 0 and noisy.stderr == "something the learner must see\n", noisy.stderr
    broken = subprocess.run([sys.executable, "-c", code.format(folder=str(tmp_path), module="broken_module")],
                            capture_output=True, text=True, timeout=60)
    assert broken.returncode != 0 and "oneDNN" in broken.stderr and "ImportError: broken" in broken.stderr, \
        "when the import fails, everything it printed must reach stderr"


def test_course_setup_keeps_onednn_enabled():
    code = "import os; from rnncourse import course_setup; course_setup(); print(os.environ.get('TF_ENABLE_ONEDNN_OPTS'))"
    output = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120).stdout
    assert output.strip() == "None", "oneDNN must stay on: disabling it halves LSTM/GRU speed"


def test_seed_everything_makes_keras_weights_reproducible():
    code = (
        "from rnncourse import course_setup; course_setup(7); import keras, numpy as np;"
        "layer = keras.layers.Dense(3); layer.build((None, 4)); print(float(np.sum(layer.kernel.numpy())))"
    )
    runs = [subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120).stdout for _ in range(2)]
    assert runs[0] and runs[0] == runs[1]


def test_save_results_merges_and_refuses_nan(tmp_path, monkeypatch):
    monkeypatch.setenv("RNNCOURSE_RESULTS_DIR", str(tmp_path))
    save_results("99_demo", headline="first", accuracy=np.float32(0.5))
    record = save_results("99_demo", loss=[1, 2])
    assert record["metrics"] == {"accuracy": 0.5, "loss": [1, 2]} and record["headline"] == "first"
    assert load_results("99_demo", tmp_path)["metrics"]["accuracy"] == 0.5
    with pytest.raises(ValueError, match="refusing"):
        save_results("99_demo", accuracy=math.nan)
    with pytest.raises(FileNotFoundError, match="save_results"):
        load_results("00_missing", tmp_path)


def test_course_style_uses_colour_blind_safe_palette():
    import matplotlib as mpl

    from rnncourse.plotting import OKABE_ITO, use_course_style

    use_course_style()
    cycle = [entry["color"].upper() for entry in mpl.rcParams["axes.prop_cycle"]]
    assert cycle[:3] == [OKABE_ITO["blue"], OKABE_ITO["orange"], OKABE_ITO["green"]]


def _write_notebook(path, source):
    nbformat.write(percent_to_notebook(source), path)
    return path


def test_execute_lesson_returns_seconds_and_recorded_results(tmp_path):
    path = _write_notebook(
        tmp_path / "98_tiny.ipynb",
        "# %% [markdown]\n# # Tiny\n# %%\nfrom rnncourse import save_results\nsave_results('98_tiny', headline='ok', value=3)\n",
    )
    run = execute_lesson(path, output_path=tmp_path / "out" / "98_tiny.ipynb", results_dir=tmp_path / "results")
    assert run.results["metrics"]["value"] == 3 and run.seconds > 0
    executed = nbformat.read(tmp_path / "out" / "98_tiny.ipynb", as_version=4)
    assert executed.cells[1].execution_count == 1
    assert "98_tiny" in format_table([run]) and "ok" in format_table([run])


def test_execute_lesson_names_the_failing_cell(tmp_path):
    path = _write_notebook(tmp_path / "97_broken.ipynb", "# %%\nx = 1\n# %%\nraise ValueError('boom here')\n")
    with pytest.raises(LessonFailed) as failure:
        execute_lesson(path, results_dir=tmp_path)
    message = str(failure.value)
    assert "97_broken.ipynb" in message and "cell 1" in message and "boom here" in message


def test_main_job_reports_unknown_lesson_filter():
    completed = subprocess.run(
        [sys.executable, "-m", "rnncourse", "lessons", "no-such-lesson"], capture_output=True, text=True, timeout=60
    )
    assert completed.returncode == 2 and "no lesson" in completed.stderr


def test_data_command_rejects_unknown_dataset():
    completed = subprocess.run(
        [sys.executable, "-m", "rnncourse", "data", "no-such-data"], capture_output=True, text=True, timeout=60
    )
    assert completed.returncode == 2 and "choose from" in completed.stderr


@pytest.mark.slow  # builds every dataset afresh: about 25 s
def test_data_command_builds_everything_fresh_within_budget(tmp_path):
    """One command builds every dataset into an empty folder with progress, in <= 60 s on 2 cores and <= 300 MB
    of disk (data/README.md gives the measured figures). Each dataset's own tests check its contents, and that
    its build works with the network blocked."""
    from rnncourse.data import DATASETS

    environment = {**os.environ, "RNNCOURSE_DATA_DIR": str(tmp_path / "data")}
    started = time.perf_counter()
    completed = subprocess.run([sys.executable, "-m", "rnncourse", "data"], capture_output=True, text=True,
                               timeout=300, env=environment)
    seconds = time.perf_counter() - started
    assert completed.returncode == 0, completed.stderr[-3000:]
    output = completed.stdout + completed.stderr
    for number, name in enumerate(DATASETS, start=1):
        assert f"[{number}/{len(DATASETS)}] {name} ready in" in output, f"no progress line for {name}:\n{output[-2000:]}"
    megabytes = sum(path.stat().st_size for path in (tmp_path / "data").rglob("*") if path.is_file()) / 1e6
    print(f"fresh build of {len(DATASETS)} datasets: {seconds:.1f} s (process start included), {megabytes:.1f} MB")
    assert megabytes <= 300, f"the datasets take {megabytes:.0f} MB (budget 300 MB)"
    assert seconds <= 60, f"a fresh build took {seconds:.0f} s (target 60 s on 2 cores)"


def test_cache_detects_corruption_and_rebuilds(tmp_path, monkeypatch):
    from rnncourse.data import cache

    monkeypatch.setenv("RNNCOURSE_DATA_DIR", str(tmp_path))
    builds = []

    def build():
        builds.append(1)
        return {"values": np.arange(5)}, {"note": "demo"}

    arrays, metadata = cache.load_or_build("demo", build)
    assert arrays["values"].tolist() == [0, 1, 2, 3, 4] and metadata == {"note": "demo"}
    cache.load_or_build("demo", build)
    assert len(builds) == 1, "a valid cache must not be rebuilt"
    np.save(tmp_path / "demo" / "values.npy", np.arange(6))  # tamper with the cache
    messages = []
    arrays, _ = cache.load_or_build("demo", build, progress=messages.append)
    assert len(builds) == 2 and "checksum" in messages[0] and arrays["values"].tolist() == [0, 1, 2, 3, 4]
    (tmp_path / "demo" / "manifest.json").write_text("{not json")
    with pytest.raises(cache.CacheError, match="unreadable"):
        cache.load("demo")
