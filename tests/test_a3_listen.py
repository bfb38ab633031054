"""Assignment A3 ("listen"): the feature chain in NumPy, then sequence recognition (best-path CTC decoding, the
CTC log-probability by the forward recursion, edit distance, label error rate). The shared checks of every
assignment (validation, release, a simulated class with the buggy variants, correct alternatives, the
course-import and course-copy answers) are in tests/assignment_suite.py; here, what is specific to A3: the
instructor-only reference agrees with Keras and with `editdistance`, and the package holds no answer.
"""
import math

import numpy as np
import pytest

from tests import a3_variants
from tests.assignment_suite import AssignmentSuite


class TestA3Listen(AssignmentSuite):
    assignment = "a3_listen"
    total_points = 30
    part_points = {"frame_signal": 3, "power_spectrum": 2, "mel_scale": 1, "mel_filterbank": 2,
                   "log_mel_spectrogram": 1, "mfcc": 2, "best_path_decode": 6, "ctc_log_probability": 5,
                   "edit_distance": 4, "label_error_rate": 4}
    recurrent_answers = a3_variants.RECURRENT_ANSWERS
    variants = a3_variants
    datasets = ()
    half_done = ("frame_signal", "best_path_decode")
    header_line = "Turn a waveform into the features a recurrent network hears"



    def test_off_limits_cover_the_course_package_and_the_libraries_that_answer(self):
        import nbformat

        from grading.judge import graded_contract
        from tests.assignment_support import source_path

        off_limits = set(graded_contract(nbformat.read(source_path(self.assignment), as_version=4))["off_limits"])
        assert {"rnncourse", "rnncourse.features", "keras", "tensorflow", "scipy", "editdistance"} <= off_limits


@pytest.fixture(scope="module")
def reference():
    from rnncourse import course_setup

    course_setup(plots=False)
    from grading.references import a3_listen

    return a3_listen


def test_reference_decoding_matches_keras_greedy_ctc_decode(reference):
    import keras

    inputs, _ = reference.toy_utterances(16, seed=5)
    probabilities = reference.tiny_recogniser_probabilities(inputs)
    decoded, _ = keras.ops.ctc_decode(probabilities.astype("float32"), np.full(16, probabilities.shape[1]),
                                      strategy="greedy", mask_index=0)
    decoded = keras.ops.convert_to_numpy(decoded)[0]
    for row, expected in enumerate(decoded):
        assert reference.best_path_decode(probabilities[row]) == [int(label) for label in expected if label > 0], row


def test_reference_ctc_log_probability_matches_keras_ctc_loss(reference):
    """keras.ops.ctc_loss takes logits; the log of a probability row is a logit row whose softmax is itself."""
    import keras

    inputs, transcripts = reference.toy_utterances(8, seed=6)
    probabilities = reference.tiny_recogniser_probabilities(inputs)
    longest = max(len(labels) for labels in transcripts)
    targets = np.array([labels + [0] * (longest - len(labels)) for labels in transcripts])
    loss = keras.ops.ctc_loss(targets, np.log(probabilities).astype("float32"),
                              np.array([len(labels) for labels in transcripts]), np.full(8, probabilities.shape[1]))
    expected = -keras.ops.convert_to_numpy(loss)
    ours = np.array([reference.ctc_log_probability(probabilities[row], transcripts[row]) for row in range(8)])
    np.testing.assert_allclose(ours, expected, rtol=1e-4, atol=1e-3)


def test_reference_ctc_sums_every_path_and_refuses_blank_labels(reference):
    import itertools

    probabilities = np.random.default_rng(0).dirichlet(np.ones(3), size=4)
    for blank in (0, 2):
        labels = [label for label in (1, 2, 0) if label != blank][:2]
        total = 0.0
        for path in itertools.product(range(3), repeat=4):
            merged = [symbol for index, symbol in enumerate(path) if index == 0 or symbol != path[index - 1]]
            if [symbol for symbol in merged if symbol != blank] == labels:
                total += np.prod(probabilities[np.arange(4), path])
        assert math.isclose(reference.ctc_log_probability(probabilities, labels, blank), math.log(total), rel_tol=1e-12)
    assert reference.ctc_log_probability(probabilities[:2], [1, 1]) == -math.inf
    with pytest.raises(ValueError, match="blank"):
        reference.ctc_log_probability(probabilities, [0, 1])


def test_reference_edit_distance_and_error_rate_match_editdistance(reference):
    import editdistance

    rng = np.random.default_rng(1)
    pairs = [(rng.integers(1, 4, size=rng.integers(0, 15)).tolist(), rng.integers(1, 4, size=rng.integers(0, 15)).tolist())
             for _ in range(200)]
    assert all(reference.edit_distance(a, b) == editdistance.eval(a, b) for a, b in pairs)
    references, hypotheses = zip(*pairs)
    expected = sum(editdistance.eval(a, b) for a, b in pairs) / sum(len(a) for a in references)
    assert math.isclose(reference.label_error_rate(list(references), list(hypotheses)), expected)


def test_tiny_recogniser_numpy_forward_equals_keras_gru(reference):
    """The stored weights run in NumPy in the judge; rebuilt in Keras they give the same probabilities."""
    import keras

    weights = reference.TINY_RECOGNISER
    model = keras.Sequential([keras.Input((reference.TOY_FRAMES, reference.TOY_FEATURES)),
                              keras.layers.GRU(12, return_sequences=True),
                              keras.layers.Dense(reference.TOY_SYMBOLS + 1, activation="softmax")])
    model.layers[0].set_weights([np.array(weights[name]) for name in ("kernel", "recurrent_kernel", "bias")])
    model.layers[1].set_weights([np.array(weights["dense_kernel"]), np.array(weights["dense_bias"])])
    inputs, transcripts = reference.toy_utterances(40, seed=8)
    probabilities = reference.tiny_recogniser_probabilities(inputs)
    np.testing.assert_allclose(model.predict(inputs, verbose=0), probabilities, atol=1e-5)
    # A trained model, not noise: most labels right, but not all (the hidden tests decode real mistakes).
    error_rate = reference.label_error_rate(transcripts, [reference.best_path_decode(row) for row in probabilities])
    assert 0.02 < error_rate < 0.35, error_rate


def test_feedback_hints_hold_no_hidden_line_or_value():
    """A hint reaches the student's feedback whenever the visible checks pass and the hidden ones fail; a hidden
    literal in it would make the feedback check replace that student's notebook with a score table."""
    import nbformat

    from grading.feedback import Secrets
    from grading.judge import hidden_hint
    from tests.assignment_support import release_path, source_path

    secrets = Secrets.of(source_path("a3_listen").parent, release_path("a3_listen").parent, {})
    notebook = nbformat.read(source_path("a3_listen"), as_version=4)
    hinted = {cell.metadata["nbgrader"]["grade_id"]: hidden_hint(cell.source) for cell in notebook.cells
              if "### BEGIN HIDDEN TESTS" in cell.source}
    assert len(hinted) >= 15
    leaking = {grade_id: [secret for secret in secrets.lines | secrets.literals if secret in hint]
               for grade_id, hint in hinted.items()}
    assert not {grade_id: found for grade_id, found in leaking.items() if found}, leaking
