"""rnncourse.features (Keras) against the instructor-only NumPy reference of assignment A3, and against
independent definitions.

Lesson 06 trains on ``keras_features``. The float64 NumPy chain lives in grading/references/a3_listen.py,
out of the students' reach (A3 asks them to write it); here it checks Keras to ``AGREEMENT_TOLERANCE_DB``
(0.01 dB on every feature value). The last test makes sure no A3 answer creeps back into the package or the
lessons.
"""
import ast
import json
from pathlib import Path

import numpy as np
import pytest

from rnncourse import course_setup

course_setup(plots=False)

from grading.references import a3_listen as reference  # noqa: E402
from rnncourse import features  # noqa: E402

SAMPLE_RATE = features.SAMPLE_RATE
REPOSITORY = Path(__file__).resolve().parent.parent


def test_signals() -> np.ndarray:
    """One-second test signals: a tone, a chirp, loud and faint noise, a word-like burst in silence, silence."""
    rng = np.random.default_rng(0)
    time = np.arange(SAMPLE_RATE) / SAMPLE_RATE
    burst = np.zeros(SAMPLE_RATE)
    burst[4000:9000] = 0.4 * np.sin(2 * np.pi * 300 * time[:5000]) * np.hanning(5000)
    return np.stack([
        0.5 * np.sin(2 * np.pi * 440 * time),
        0.3 * np.sin(2 * np.pi * (100 + 3000 * time) * time),
        0.5 * rng.standard_normal(SAMPLE_RATE).clip(-1, 1),
        1e-3 * rng.standard_normal(SAMPLE_RATE),
        burst,
        np.zeros(SAMPLE_RATE),
    ]).astype(np.float32)


test_signals.__test__ = False  # a fixture builder, not a test


@pytest.mark.parametrize("kind", ["log_mel", "mfcc"])
def test_numpy_reference_and_keras_features_agree(kind):
    signals = test_signals()
    from_numpy = reference.numpy_features(signals, kind)
    from_keras = features.keras_features(signals, kind)
    assert from_numpy.shape == from_keras.shape == (6, 63, 40 if kind == "log_mel" else 39)
    worst = np.abs(from_numpy - from_keras).max()
    assert worst <= features.AGREEMENT_TOLERANCE_DB, f"{kind}: NumPy and Keras differ by up to {worst:.4g} dB"


def test_mfcc_from_log_mel_equals_mfcc_from_waveforms():
    """Lesson 06 computes the spectrogram once and derives the MFCCs from the log-mel features."""
    signals = test_signals()
    log_mel = features.keras_features(signals, "log_mel")
    direct = features.keras_features(signals, "mfcc")
    derived = features.keras_mfcc_from_log_mel(log_mel)
    assert derived.shape == direct.shape == (6, 63, 39)
    np.testing.assert_allclose(derived, direct, atol=1e-4)
    static = features.keras_mfcc_from_log_mel(log_mel, with_deltas=False)
    np.testing.assert_allclose(static, direct[..., :features.NUM_MFCC], atol=1e-4)


def test_reference_filterbank_matches_keras_weights():
    expected = features.mel_layer().linear_to_mel_weight_matrix(40, 257, SAMPLE_RATE, 20.0, 8000.0)
    import keras

    np.testing.assert_allclose(reference.mel_filterbank(), keras.ops.convert_to_numpy(expected), atol=1e-5)


def test_reference_mel_scale_round_trip_and_anchor():
    frequencies = np.array([0.0, 100.0, 1000.0, 4000.0, 8000.0])
    np.testing.assert_allclose(reference.mel_to_hz(reference.hz_to_mel(frequencies)), frequencies, atol=1e-9)
    assert abs(reference.hz_to_mel(1000.0) - 1000.0) < 1.0, "the HTK mel scale puts 1000 Hz at about 1000 mel"


def test_band_centres_are_the_mel_scale_points():
    """features.mel_band_centres_hz inverts Keras's mel scale numerically; the reference does it exactly."""
    exact = reference.mel_to_hz(np.linspace(reference.hz_to_mel(20.0), reference.hz_to_mel(8000.0), 42)[1:-1])
    np.testing.assert_allclose(features.mel_band_centres_hz(), exact, atol=0.01)


def test_reference_framing_counts_centres_and_window():
    waveform = np.arange(16000, dtype=np.float64)
    frames = reference.frame_signal(waveform, window=False)
    assert frames.shape == (1 + 16000 // features.HOP_LENGTH, features.FRAME_LENGTH)
    assert frames[3, features.FRAME_LENGTH // 2] == 3 * features.HOP_LENGTH, "frame t is centred on t * hop"
    np.testing.assert_allclose(reference.hann_window(8), np.hanning(9)[:-1], atol=1e-12)  # periodic Hann


def test_reference_power_spectrum_puts_a_tone_in_its_bin():
    tone = np.sin(2 * np.pi * 1000 * np.arange(16000) / SAMPLE_RATE)
    power = reference.power_spectrum(reference.frame_signal(tone))
    assert power.shape[-1] == features.FFT_LENGTH // 2 + 1
    assert np.all(power[5:-5].argmax(axis=-1) == 1000 * features.FFT_LENGTH // SAMPLE_RATE)


def test_dct_matches_an_fft_based_dct_ii():
    """Makhoul's method computes the DCT-II from an FFT: an independent check of both DCT matrices."""
    rng = np.random.default_rng(1)
    vectors = rng.standard_normal((5, 40))
    reordered = np.concatenate([vectors[:, ::2], vectors[:, 1::2][:, ::-1]], axis=1)
    k = np.arange(40)
    unscaled = 2 * np.real(np.exp(-1j * np.pi * k / 80) * np.fft.fft(reordered, axis=1))
    orthonormal = unscaled * np.where(k == 0, np.sqrt(1 / 160), np.sqrt(1 / 80))
    for matrix in (reference.dct_matrix(40, 40), features._cosine_basis(40, 40)):
        np.testing.assert_allclose(vectors @ matrix, orthonormal, atol=1e-10)
        np.testing.assert_allclose(matrix.T @ matrix, np.eye(40), atol=1e-12)


def test_reference_deltas_of_a_ramp_are_its_slope():
    ramp = np.arange(20, dtype=np.float64)[:, None] * np.array([[1.0, -2.0]])
    np.testing.assert_allclose(reference.deltas(ramp)[2:-2], np.tile([[1.0, -2.0]], (16, 1)))


def test_unknown_kind_is_a_clear_error():
    with pytest.raises(ValueError, match="mfcc"):
        features.keras_features(np.zeros((1, 16000)), kind="spectrogram")


def test_vocal_tract_warp_moves_a_tone_to_where_the_scaled_tone_lies():
    centres_hz = features.mel_band_centres_hz()
    time = np.arange(SAMPLE_RATE) / SAMPLE_RATE
    tone = 0.5 * np.sin(2 * np.pi * centres_hz[20] * time)
    log_mel = features.keras_features(tone[None], kind="log_mel")
    assert log_mel.mean(axis=1).argmax() == 20
    # Band b of the warped clip reads frequency factor x centre(b), so the tone moves to the band whose centre
    # is centre(20) / factor: down for factors above 1, up below 1.
    factors = centres_hz[20] / centres_hz[[16, 24]]
    warped = features.warp_frequencies(log_mel[[0, 0]], factors)
    assert list(warped.mean(axis=1).argmax(axis=-1)) == [16, 24]
    np.testing.assert_allclose(features.warp_frequencies(log_mel, factors=[1.0]), log_mel, atol=1e-4)
    assert warped.min() >= log_mel.min() - 1e-4 and warped.max() <= log_mel.max() + 1e-4  # interpolation: no new extremes


A3_GRADED_NAMES = ("frame_signal", "power_spectrum", "hz_to_mel", "mel_to_hz", "mel_filterbank",
                   "log_mel_spectrogram", "mfcc", "best_path_decode", "ctc_log_probability", "edit_distance",
                   "label_error_rate")


def _defined_names(source: str) -> set:
    try:
        tree = ast.parse(source)
    except SyntaxError:  # a notebook cell with magics: compare by text instead
        return {name for name in A3_GRADED_NAMES if f"def {name}(" in source}
    names = {node.name for node in ast.walk(tree) if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))}
    names |= {target.id for node in ast.walk(tree) if isinstance(node, ast.Assign)
              for target in node.targets if isinstance(target, ast.Name)}
    return names


def test_no_a3_answer_is_defined_in_the_package_or_the_lessons():
    """Assignment A3's graded functions exist only in its source notebook and in grading/references."""
    places = {path: path.read_text(encoding="utf-8") for path in (REPOSITORY / "rnncourse").rglob("*.py")}
    for lesson in sorted((REPOSITORY / "lessons").glob("*.ipynb")):
        cells = json.loads(lesson.read_text(encoding="utf-8"))["cells"]
        places[lesson] = "\n\n".join("".join(cell["source"]) for cell in cells if cell["cell_type"] == "code")
    assert len(places) > 10
    found = {str(path.relative_to(REPOSITORY)): sorted(_defined_names(source) & set(A3_GRADED_NAMES))
             for path, source in places.items()}
    assert not {path: names for path, names in found.items() if names}, found
