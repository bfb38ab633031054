"""Lesson 03 (character language models on the standard library's source) runs in budget and meets its targets."""
import platform

import pytest

from rnncourse.data import text
from rnncourse.runner import execute_lesson

BUDGET_SECONDS = 180
PROPERTIES = ("inside a string", "bracket depth", "indentation")
LEARNED_GAIN = 0.1  # |r| that training must add to the best cell over the untrained network, for some property


@pytest.fixture(scope="module")
def lesson_run(repository, tmp_path_factory):
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("RNNCOURSE_DATA_DIR", str(tmp_path_factory.mktemp("data_03")))  # it builds its corpus itself
        return execute_lesson(repository / "lessons" / "03_text_rnns.ipynb",
                              results_dir=tmp_path_factory.mktemp("results_03"))


def test_the_corpus_is_the_recorded_one(lesson_run):
    corpus = lesson_run.results["metrics"]["corpus"]
    assert corpus["python_version"] == platform.python_version() and corpus["bytes"] >= 1_000_000
    recorded = text.RECORDED_SOURCE_CORPORA.get(platform.python_version())
    if recorded is not None:
        assert (corpus["bytes"], corpus["sha256"]) == recorded


def test_bits_per_character_of_models_and_baselines(lesson_run):
    metrics = lesson_run.results["metrics"]
    baselines, networks = metrics["baseline_bits_per_char"], metrics["network_bits_per_char"]
    unigram, bigram, five_gram = baselines["unigram"], baselines["bigram"], baselines["5-gram (Kneser-Ney)"]
    assert 0 < five_gram < bigram < unigram < 7, baselines  # more context, fewer bits; all below log2(102)
    for name in ("LSTM", "GRU"):
        assert 0 < networks[name] < bigram, f"{name}: {networks[name]:.3f} bpc is not below the bigram's {bigram:.3f}"
        curve = metrics["validation_bits_per_char_by_epoch"][name]
        assert curve[-1] < curve[0] or len(curve) == 1, f"{name} did not improve on the validation files: {curve}"
    assert metrics["parameters"]["GRU"] < metrics["parameters"]["LSTM"]


def test_numpy_equations_match_keras_and_sampling_ran(lesson_run):
    metrics = lesson_run.results["metrics"]
    assert metrics["numpy_lstm_difference"] < 1e-4, "section 5's NumPy LSTM must reproduce Keras's outputs"
    samples = metrics["samples"]
    assert set(samples) == {"0.3", "0.7", "1.2"} and all(sample.startswith("def ") and len(sample) > 100
                                                         for sample in samples.values())
    assert metrics["sampling_seconds_per_character"] > 0


def test_interpretable_cells_beat_random_and_untrained_cells(lesson_run):
    cells = lesson_run.results["metrics"]["interpretable_cells"]
    assert set(cells) == set(PROPERTIES)
    for prop in PROPERTIES:
        trained, untrained = cells[prop]["trained"], cells[prop]["untrained"]
        assert abs(trained["r"]) > cells[prop]["trained"]["median |r|"], prop
        assert -1 <= untrained["r"] <= 1 and 0 <= trained["cell"] < 1024
    gains = {prop: abs(cells[prop]["trained"]["r"]) - abs(cells[prop]["untrained"]["r"]) for prop in PROPERTIES}
    assert max(gains.values()) >= LEARNED_GAIN, f"no cell learned a property beyond what random weights show: {gains}"


def test_lesson_03_runs_in_budget(lesson_run):
    assert lesson_run.seconds <= BUDGET_SECONDS, f"lesson 03 took {lesson_run.seconds:.0f} s; the budget is {BUDGET_SECONDS} s"
