"""Lesson 03 (text: character language model and language classifier) runs in budget and meets its targets."""
from rnncourse.runner import execute_lesson

BUDGET_SECONDS = 180
REQUIRED_ACCURACY = 0.80
TEMPERATURES = ("0.2", "0.5", "1.0", "1.5")


def test_lesson_03_runs_in_budget_and_meets_its_targets(repository, tmp_path, monkeypatch):
    monkeypatch.setenv("RNNCOURSE_DATA_DIR", str(tmp_path / "data"))  # the lesson builds its words itself
    run = execute_lesson(repository / "lessons" / "03_text_rnns.ipynb", results_dir=tmp_path / "results")
    assert run.seconds <= BUDGET_SECONDS, f"lesson 03 took {run.seconds:.0f} s; the budget is {BUDGET_SECONDS} s"
    metrics = run.results["metrics"]
    lstm, unigram, bigram = (metrics[key] for key in ("lm_bits_per_char", "unigram_bits_per_char", "bigram_bits_per_char"))
    assert 0 < lstm < bigram < unigram, (
        f"expected LSTM < bigram < unigram bits per character, got {lstm:.3f}, {bigram:.3f}, {unigram:.3f}")
    assert metrics["language_count"] >= 6
    assert metrics["language_accuracy"] >= REQUIRED_ACCURACY, (
        f"language classifier test accuracy {metrics['language_accuracy']:.3f} < {REQUIRED_ACCURACY}")
    pairs = metrics["most_confused_pairs"]
    assert pairs and all(len(pair) == 2 and pair[0] != pair[1] for pair in pairs)
    invented = metrics["invented_fraction_by_temperature"]
    assert set(invented) == set(TEMPERATURES)
    # Hotter sampling strays further from the training words: the coldest invents the fewest.
    assert invented["0.2"] <= invented["1.5"], invented
