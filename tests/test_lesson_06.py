"""Lesson 06 (speech features) runs headless within budget and reaches its targets.

The lesson records its numbers with save_results; this test reads them (never printed text).
"""
from pathlib import Path

from rnncourse.runner import execute_lesson

LESSON = Path(__file__).resolve().parent.parent / "lessons" / "06_speech_features.ipynb"
BUDGET_SECONDS = 180  # per lesson, 2 CPU cores, default mode
# Issue 5 asks for >= 0.97 on held-out voices. The lesson's headline model averages three models. In the
# maintainers' trials (2 CPU cores, default mode; `RNNCOURSE_SEED=<n> python -m rnncourse lessons 06` for 12 model
# seeds) it reached 0.972 to 0.985 (mean 0.977), and 0.973 to 0.985 with 6 seeds on a second build of the data
# (eSpeak is not bit-exact); one GRU alone, trained for 8 epochs, reached 0.957 to 0.980. One standard error of
# an accuracy near 0.97 on 600 clips is about 0.007.
TARGET_ACCURACY = 0.97


def test_lesson_06_runs_within_budget_and_reaches_target(tmp_path):
    run = execute_lesson(LESSON, output_path=tmp_path / LESSON.name, results_dir=tmp_path)
    metrics = run.results["metrics"]
    assert run.seconds <= BUDGET_SECONDS, f"lesson 06 took {run.seconds:.0f} s (budget {BUDGET_SECONDS} s)"
    assert metrics["accuracy"] >= TARGET_ACCURACY, (
        f"the ensemble reached {metrics['accuracy']:.3f} on held-out voices (target {TARGET_ACCURACY})")
    for name in ("accuracy_gru_mfcc", "accuracy_gru_log_mel", "accuracy_lstm_mfcc"):
        assert 0.8 <= metrics[name] <= 1.0, f"{name} = {metrics[name]}"
    tolerance = metrics["feature_agreement_tolerance_db"]
    assert tolerance == 0.01
    assert set(metrics["feature_agreement_max_difference_db"]) == {"log_mel", "mfcc"}
    assert max(metrics["feature_agreement_max_difference_db"].values()) <= tolerance
    robustness = metrics["robustness"]
    assert robustness["with noise augmentation"]["-5 dB"] > robustness["clean training"]["-5 dB"], \
        "noise augmentation should help at -5 dB"
    assert metrics["real_folder_accuracy"] >= 0.0 and metrics["test_clips"] == 600
    assert len(metrics["accuracy_by_voice"]) == 10 and "clean" in metrics["accuracy_by_snr"]
    assert metrics["model_seed"] == 42 and metrics["voice_warp"] == 0.2, "the default run is the one the prose describes"
