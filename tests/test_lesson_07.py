"""Lesson 07 (connected digits with CTC) runs headless within budget and reaches its target.

The lesson records its numbers with save_results; this test reads them (never printed text).
"""
from pathlib import Path

import nbformat

from rnncourse.runner import execute_lesson

LESSON = Path(__file__).resolve().parent.parent / "lessons" / "07_speech_recognition.ipynb"
BUDGET_SECONDS = 180  # per lesson, 2 CPU cores, default mode
# Issue 18 asks for a label error rate <= 5 % in the default mode on held-out voices. The default run
# (seed 42) reached 4.10 % three times; with seeds 7 and 123 (model initialisation, warps and masks) it
# reached 3.15 % and 3.44 % (2026-12-01, TensorFlow, 2 idle cores). Runs that morning had given 2.7 %, 3.2 %
# and 3.6 % with the same lesson code (lesson 07, "What varies"). Lee, Jacky and steph cause most errors.
TARGET_LABEL_ERROR_RATE = 0.05


def test_lesson_07_runs_within_budget_and_reaches_target(tmp_path):
    run = execute_lesson(LESSON, output_path=tmp_path / LESSON.name, results_dir=tmp_path)
    metrics = run.results["metrics"]
    assert 0.0 <= metrics["label_error_rate"] <= TARGET_LABEL_ERROR_RATE, (
        f"greedy CTC decoding reached a label error rate of {metrics['label_error_rate']:.3f} on held-out voices "
        f"(target <= {TARGET_LABEL_ERROR_RATE})")
    assert run.seconds <= BUDGET_SECONDS, f"lesson 07 took {run.seconds:.0f} s (budget {BUDGET_SECONDS} s)"
    assert metrics["lesson_seconds"] <= BUDGET_SECONDS, f"the lesson recorded {metrics['lesson_seconds']:.0f} s"
    assert metrics["test_strings"] == 300 and metrics["test_digits"] > 600 and metrics["training_strings"] == 2496
    assert 0.0 <= metrics["label_error_rate_beam_search"] <= 2 * TARGET_LABEL_ERROR_RATE
    assert 0.0 <= metrics["string_error_rate"] <= 1.0
    assert (metrics["string_error_rate"] > 0) == (metrics["label_error_rate"] > 0), \
        "some string is wrong exactly when some digit is: the two rates disagree"
    assert len(metrics["label_error_rate_by_voice"]) == 10
    assert set(metrics["label_error_rate_by_snr"]) == {"clean", "20 dB", "10 dB", "5 dB", "0 dB (not in training)"}


def test_lesson_07_uses_the_library_for_decoding_and_edit_distance():
    """Best-path decoding and the edit distance are assignment work: the lesson must call the libraries."""
    notebook = nbformat.read(LESSON, as_version=4)
    code = "\n".join(cell.source for cell in notebook.cells if cell.cell_type == "code")
    assert "keras.losses.CTC()" in code and "ops.ctc_decode(" in code and "editdistance.eval(" in code
    assert "argmax" not in code, "the lesson must not decode by hand (argmax per step is A3's best-path decoder)"
    assert "import tensorflow" not in code and "tf." not in code, "Keras 3 only"
