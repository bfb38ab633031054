"""Lesson 01 (LSTM and GRU from the gates up) runs headless within budget and records correct numbers."""
from pathlib import Path

import pytest

from rnncourse.runner import execute_lesson

LESSON = Path(__file__).resolve().parent.parent / "lessons" / "01_lstm_gru_from_gates.ipynb"
BUDGET_SECONDS = 180


@pytest.fixture(scope="module")
def lesson_run(tmp_path_factory):
    return execute_lesson(LESSON, results_dir=tmp_path_factory.mktemp("results_01"))


def test_runs_within_budget(lesson_run):
    assert lesson_run.seconds <= BUDGET_SECONDS, f"lesson 01 took {lesson_run.seconds:.0f} s (budget {BUDGET_SECONDS} s)"


def test_numpy_cells_match_keras(lesson_run):
    metrics = lesson_run.results["metrics"]
    assert 0 <= metrics["lstm_max_abs_diff"] <= 1e-5, metrics["lstm_max_abs_diff"]
    assert 0 <= metrics["gru_max_abs_diff"] <= 1e-5, metrics["gru_max_abs_diff"]


def test_parameter_counts_by_hand_equal_keras(lesson_run):
    counts = lesson_run.results["metrics"]["parameter_counts"]
    assert set(counts) == {"LSTM", "GRU (reset_after=True)", "GRU (reset_after=False)"}
    for name, count in counts.items():
        assert count["by_hand"] == count["keras"], f"{name}: {count}"
    # 32 features, 64 units, Dense(10): independent arithmetic, so a wrong formula in both places fails too.
    assert counts["LSTM"]["keras"] == 4 * (32 * 64 + 64 * 64 + 64) + 64 * 10 + 10
    assert counts["GRU (reset_after=True)"]["keras"] == 3 * (32 * 64 + 64 * 64 + 2 * 64) + 650


def test_hand_built_lstm_remembers_the_last_stored_value(lesson_run):
    metrics = lesson_run.results["metrics"]
    assert metrics["hand_built_cell_at_recall"] == pytest.approx(metrics["hand_built_stored_target"], abs=0.01)


def test_step_times_recorded(lesson_run):
    metrics = lesson_run.results["metrics"]
    assert metrics["lstm_step_ms"] > 0 and metrics["gru_step_ms"] > 0
    assert metrics["gru_to_lstm_time_ratio"] == pytest.approx(metrics["gru_step_ms"] / metrics["lstm_step_ms"], rel=1e-6)
    assert "LSTM" in lesson_run.results["headline"]


def test_stacked_layers_and_dropout(lesson_run):
    metrics = lesson_run.results["metrics"]
    stacked = metrics["stacked_parameters"]
    # LSTM(64) on 32 features, then LSTM(64) on the 64 features of the lower layer's sequence
    assert stacked["keras"] == stacked["by_hand"] == 4 * (32 * 64 + 64 * 64 + 64) + 4 * (64 * 64 + 64 * 64 + 64)
    assert metrics["dropout_training_difference"] > 1e-3, "dropout should draw new masks on each training call"
    assert metrics["dropout_inference_difference"] == 0.0, "dropout must be off in inference mode"


def test_bidirectional_merge_modes_and_future_leak(lesson_run):
    metrics = lesson_run.results["metrics"]
    shapes = metrics["merge_mode_shapes"]
    assert shapes["concat"] == [2, 40, 128], "concat joins the two directions' 64 features"
    assert shapes["sum"] == shapes["ave"] == shapes["mul"] == [2, 40, 64]
    assert shapes["None"] == [[2, 40, 64], [2, 40, 64]], "merge_mode=None returns both directions"
    leak = metrics["future_change_at_read_step"]
    assert leak["GRU (forward only)"] == 0.0, "a forward GRU's earlier output cannot depend on a later input"
    assert leak["Bidirectional(GRU)"] > 1e-7, f"the backward direction should carry the later input back: {leak}"
