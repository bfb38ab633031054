"""The NumPy speech-feature steps (rnncourse.features) against independent definitions and against Keras.

Lesson 06 trains on ``keras_features`` after showing ``numpy_features``; the assignment grader reuses the
NumPy functions as its reference. The agreement tolerance is ``AGREEMENT_TOLERANCE_DB`` (0.01 dB on every feature value).
"""
import numpy as np
import pytest

from rnncourse import course_setup

course_setup(plots=False)

from rnncourse import features  # noqa: E402

SAMPLE_RATE = features.SAMPLE_RATE


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
def test_numpy_and_keras_features_agree(kind):
    signals = test_signals()
    from_numpy = features.numpy_features(signals, kind)
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


def test_mel_filterbank_matches_keras_weights():
    import keras

    layer = keras.layers.MelSpectrogram(fft_length=512, sampling_rate=SAMPLE_RATE, num_mel_bins=40, min_freq=20.0, max_freq=8000.0)
    expected = keras.ops.convert_to_numpy(layer.linear_to_mel_weight_matrix(40, 257, SAMPLE_RATE, 20.0, 8000.0))
    np.testing.assert_allclose(features.mel_filterbank(), expected, atol=1e-5)


def test_mel_scale_round_trip_and_anchor():
    frequencies = np.array([0.0, 100.0, 1000.0, 4000.0, 8000.0])
    np.testing.assert_allclose(features.mel_to_hz(features.hz_to_mel(frequencies)), frequencies, atol=1e-9)
    assert abs(features.hz_to_mel(1000.0) - 1000.0) < 1.0, "the HTK mel scale puts 1000 Hz at about 1000 mel"


def test_framing_counts_centres_and_window():
    waveform = np.arange(16000, dtype=np.float64)
    frames = features.frame_signal(waveform, window=False)
    assert frames.shape == (1 + 16000 // features.HOP_LENGTH, features.FRAME_LENGTH)
    assert frames[3, features.FRAME_LENGTH // 2] == 3 * features.HOP_LENGTH, "frame t is centred on t * hop"
    np.testing.assert_allclose(features.hann_window(8), np.hanning(9)[:-1], atol=1e-12)  # periodic Hann


def test_power_spectrum_puts_a_tone_in_its_bin():
    tone = np.sin(2 * np.pi * 1000 * np.arange(16000) / SAMPLE_RATE)
    power = features.power_spectrum(features.frame_signal(tone))
    assert power.shape[-1] == features.FFT_LENGTH // 2 + 1
    assert np.all(power[5:-5].argmax(axis=-1) == 1000 * features.FFT_LENGTH // SAMPLE_RATE)


def test_dct_matches_an_fft_based_dct_ii():
    """Makhoul's method computes the DCT-II from an FFT: an independent check of ``dct_matrix``."""
    rng = np.random.default_rng(1)
    vectors = rng.standard_normal((5, 40))
    reordered = np.concatenate([vectors[:, ::2], vectors[:, 1::2][:, ::-1]], axis=1)
    k = np.arange(40)
    unscaled = 2 * np.real(np.exp(-1j * np.pi * k / 80) * np.fft.fft(reordered, axis=1))
    orthonormal = unscaled * np.where(k == 0, np.sqrt(1 / 160), np.sqrt(1 / 80))
    np.testing.assert_allclose(vectors @ features.dct_matrix(40, 40), orthonormal, atol=1e-10)
    matrix = features.dct_matrix(40, 40)
    np.testing.assert_allclose(matrix.T @ matrix, np.eye(40), atol=1e-12)


def test_deltas_of_a_ramp_are_its_slope():
    ramp = np.arange(20, dtype=np.float64)[:, None] * np.array([[1.0, -2.0]])
    slopes = features.deltas(ramp)
    np.testing.assert_allclose(slopes[2:-2], np.tile([[1.0, -2.0]], (16, 1)))
    assert features.add_deltas(ramp).shape == (20, 6)


def test_unknown_kind_is_a_clear_error():
    with pytest.raises(ValueError, match="mfcc"):
        features.numpy_features(np.zeros(16000), kind="spectrogram")


def test_vocal_tract_warp_moves_a_tone_to_where_the_scaled_tone_lies():
    centres_hz = features.mel_to_hz(features.mel_band_edges()[1:-1])
    time = np.arange(SAMPLE_RATE) / SAMPLE_RATE
    tone = 0.5 * np.sin(2 * np.pi * centres_hz[20] * time)
    log_mel = features.numpy_features(tone[None], kind="log_mel")
    assert log_mel.mean(axis=1).argmax() == 20
    # Band b of the warped clip reads frequency factor x centre(b), so the tone moves to the band whose centre
    # is centre(20) / factor: down for factors above 1, up below 1.
    factors = centres_hz[20] / centres_hz[[16, 24]]
    warped = features.warp_frequencies(log_mel[[0, 0]], factors)
    assert list(warped.mean(axis=1).argmax(axis=-1)) == [16, 24]
    np.testing.assert_allclose(features.warp_frequencies(log_mel, factors=[1.0]), log_mel, atol=1e-9)
    assert warped.min() >= log_mel.min() and warped.max() <= log_mel.max()  # interpolation: no new extremes
