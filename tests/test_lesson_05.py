"""Lesson 05 (translation with attention, and G2P) runs headless within budget and reaches its targets.

The lesson records its numbers with save_results; this test reads them (never printed text).
"""
from pathlib import Path

from rnncourse.runner import execute_lesson

LESSON = Path(__file__).resolve().parent.parent / "lessons" / "05_translation_attention.ipynb"
BUDGET_SECONDS = 180  # per lesson, 2 CPU cores, default mode
TARGET_EXACT_MATCH = 0.95  # with attention, on the held-out test split (issue 5)


def test_lesson_05_runs_within_budget_and_reaches_targets(tmp_path):
    run = execute_lesson(LESSON, output_path=tmp_path / LESSON.name, results_dir=tmp_path)
    metrics = run.results["metrics"]
    assert run.seconds <= BUDGET_SECONDS, f"lesson 05 took {run.seconds:.0f} s (budget {BUDGET_SECONDS} s)"
    assert metrics["exact_match_attention"] >= TARGET_EXACT_MATCH, metrics["exact_match_attention"]
    assert 0.0 <= metrics["exact_match_no_attention"] <= 1.0
    assert 90.0 <= metrics["bleu"] <= 100.0, f"BLEU {metrics['bleu']} does not fit an exact match of 95 %+"
    assert metrics["test_pairs"] == 3_090, "scored on the whole test split"
    long_inputs = metrics["exact_match_long_inputs"]
    assert long_inputs["attention"] >= long_inputs["no attention"], "attention should not lose on long inputs"
    beams = metrics["beam_exact_match"]["attention"]
    assert metrics["beam_widths"][0] == 1 and len(beams) == len(metrics["beam_widths"])
    assert min(beams) >= 0.9, f"beam search should not break a good model: {beams}"
    # G2P: a subset in default mode, scored on the whole test split; errors in a sane range
    assert metrics["g2p_test_words"] == 12_690
    assert 1_000 <= metrics["g2p_train_words"] < 107_158, "default mode trains on a stated subset"
    assert 0.03 < metrics["g2p_per"] < 0.40, f"PER {metrics['g2p_per']}"
    assert metrics["g2p_per"] < metrics["g2p_wer"] < 0.95, f"WER {metrics['g2p_wer']}"
