"""Lesson 05 (translation with attention, and G2P) runs headless within budget and reaches its targets.

The lesson records its numbers with save_results; this test reads them (never printed text).
"""
from pathlib import Path

import nbformat
import numpy as np
import pytest

from rnncourse.runner import execute_lesson

LESSON = Path(__file__).resolve().parent.parent / "lessons" / "05_translation_attention.ipynb"
BUDGET_SECONDS = 180  # per lesson, 2 CPU cores, default mode
TARGET_EXACT_MATCH = 0.95  # with attention, on the held-out test split (issue 5)


@pytest.fixture(scope="module")
def lesson_run(tmp_path_factory):
    results_dir = tmp_path_factory.mktemp("results_05")
    return execute_lesson(LESSON, output_path=results_dir / LESSON.name, results_dir=results_dir), results_dir


def test_lesson_05_runs_within_budget_and_reaches_targets(lesson_run):
    run, _ = lesson_run
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
    first_only = metrics["g2p_first_pronunciation_only"]
    assert first_only["wer"] >= metrics["g2p_wer"] and first_only["per"] >= metrics["g2p_per"], \
        f"accepting any listed pronunciation cannot score worse than the first one only: {first_only}"


def test_keras_built_attention_is_the_written_equation(lesson_run):
    """query_projection, key_projection and AdditiveAttention's scale compute v^T tanh(W_q q + W_k k), masked."""
    from grading.references.a2_translate import additive_attention  # the equation in NumPy (instructor-only)

    run, results_dir = lesson_run
    probe = np.load(results_dir / run.results["metrics"]["attention_probe"])
    mask = probe["mask"]
    assert (~mask).any() and mask.any(axis=1).all(), "the probe sentences should include padding"
    # Dense kernels are (inputs, units): W_q q in the equation is q @ kernel, so W_q = kernel.T
    context, weights = additive_attention(probe["queries"], probe["values"], probe["values"], mask,
                                          probe["W_q"].T, probe["W_k"].T, probe["v"])
    assert np.abs(weights - probe["weights"]).max() <= 1e-5, "the Keras weights differ from the written equation"
    assert np.abs(context - probe["context"]).max() <= 1e-5, "the Keras context differs from the written equation"
    assert np.all(probe["weights"][np.broadcast_to(~mask[:, None, :], probe["weights"].shape)] == 0.0), \
        "padded source positions must get exactly zero weight"
    assert run.results["metrics"]["largest_padded_attention_weight"] == 0.0


def test_bleu_parts_recorded(lesson_run):
    run, _ = lesson_run
    metrics = run.results["metrics"]
    parts = metrics["bleu_no_attention_parts"]
    assert len(parts["precisions"]) == 4 and all(0 <= p <= 100 for p in parts["precisions"])
    assert parts["precisions"] == sorted(parts["precisions"], reverse=True), "longer n-grams match less often"
    assert 0 < parts["brevity_penalty"] <= 1 and parts["reference_length"] > 0
    assert "nrefs:1" in metrics["bleu_signature"] and "tok:13a" in metrics["bleu_signature"]


def lesson_functions(*names):
    """The named functions, taken from the lesson's code cells with its imports (nothing else is executed)."""
    import ast

    notebook = nbformat.read(LESSON, as_version=4)
    statements = [node for cell in notebook.cells if cell.cell_type == "code" for node in ast.parse(cell.source).body]
    wanted = [node for node in statements if isinstance(node, (ast.Import, ast.ImportFrom))
              or (isinstance(node, ast.FunctionDef) and node.name in names)]
    namespace = {"UNITS": 8, "EMBEDDING_SIZE": 4, "LEARNING_RATE": 1e-2, "BATCH_SIZE": 32}  # toy sizes
    exec(compile(ast.Module(wanted, type_ignores=[]), str(LESSON), "exec"), namespace)
    missing = [name for name in names if name not in namespace]
    assert not missing, f"lesson 05 no longer defines {missing}"
    return [namespace[name] for name in names]


def copy_task(examples=1024, seed=0):
    """Words of 3 to 6 letters from a-f; the target spells each word back. Encoded as the lesson encodes G2P."""
    import numpy as np

    from rnncourse.data.translation import Vocabulary

    random = np.random.default_rng(seed)
    words = ["".join(random.choice(list("abcdef"), size=length)) for length in random.integers(3, 7, size=examples)]
    vocabulary = Vocabulary.build(list(word) for word in words)
    sources = vocabulary.encode_batch([list(word) for word in words])
    targets = vocabulary.encode_batch([list(word) for word in words], add_start=True, add_end=True)
    return vocabulary, sources, targets


def test_bidirectional_encoder_of_the_long_mode_trains_and_decodes():
    """The long mode's G2P encoder runs only on a GPU; its code is exercised here on a toy copy task."""
    build_seq2seq, train, _, greedy_decode, batched_beam_decode = lesson_functions(
        "build_seq2seq", "train", "as_numpy", "greedy_decode", "batched_beam_decode")
    vocabulary, sources, targets = copy_task()
    models = build_seq2seq(len(vocabulary), len(vocabulary), units=8, bidirectional=True)
    encoder_outputs, keys, encoder_state, _ = models[1](sources[:4])
    assert tuple(encoder_outputs.shape) == (4, 6, 16) and tuple(encoder_state.shape) == (4, 16), \
        "both directions' outputs and final states are joined, so the decoder has 2 × units"
    assert tuple(keys.shape) == (4, 6, 16), "the encoder model projects the keys once, with W_k"
    losses = train(models, sources, targets, epochs=4, batch_size=32)
    assert losses[-1] < 2 / 3 * losses[0], f"the bidirectional model did not learn to copy: {losses}"
    greedy, _ = greedy_decode(models, sources[:64], targets.shape[1])
    beam = batched_beam_decode(models, sources[:64], 1, targets.shape[1])
    # decode_batch stops at <end>: greedy decoding runs on after it, while the beam pads finished rows
    assert vocabulary.decode_batch(greedy) == vocabulary.decode_batch(beam), "width 1 is greedy decoding"
    assert batched_beam_decode(models, sources[:64], 4, targets.shape[1]).shape[0] == 64
