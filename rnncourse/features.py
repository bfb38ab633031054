"""Speech features with Keras (lesson 06): log-mel spectrograms and MFCCs with deltas, for training.

    log_mel = keras_features(waveforms, "log_mel")     # (n, frames, NUM_MEL_BINS) decibels
    mfccs   = keras_features(waveforms, "mfcc")        # (n, frames, 3 x NUM_MFCC): MFCCs, deltas, delta-deltas
    mfccs   = keras_mfcc_from_log_mel(log_mel)         # the same MFCCs without a second STFT
    warped  = warp_frequencies(log_mel, factors)       # vocal tract length perturbation, one factor per clip

``keras.layers.MelSpectrogram`` frames, windows (periodic Hann), transforms (STFT) and pools (HTK mel
filterbank); ``keras.ops`` takes decibels, the DCT (as a matrix product: Keras has no DCT op) and the deltas.
Frames are centred on ``t * HOP_LENGTH`` with reflect padding.

Assignment A3 asks students to write the feature chain in NumPy, so no NumPy version of it lives here (or in
any lesson): the instructor-only reference is grading/references/a3_listen.py, and tests/test_features.py
checks that it agrees with these functions to AGREEMENT_TOLERANCE_DB.
"""
import numpy as np

SAMPLE_RATE = 16_000
FRAME_LENGTH = 512  # 32 ms at 16 kHz: long enough to resolve the pitch harmonics of most voices
HOP_LENGTH = 256  # 16 ms between frames: 63 frames per second keeps the recurrent networks fast
FFT_LENGTH = 512
NUM_MEL_BINS = 40
LOWER_HZ, UPPER_HZ = 20.0, 8000.0
NUM_MFCC = 13
MIN_POWER = 1e-10  # floor before the logarithm (-100 dB), as in keras.layers.MelSpectrogram
TOP_DB = 80.0  # per clip, nothing is kept more than 80 dB below the loudest value
AGREEMENT_TOLERANCE_DB = 0.01  # float64 reference vs Keras (float32): largest |difference| of any feature


def mel_layer(sample_rate: int = SAMPLE_RATE):
    """The course's ``keras.layers.MelSpectrogram``: power (not dB) in NUM_MEL_BINS bands, (..., bands, frames).

    Its own decibel step clips at (batch maximum - 80 dB), so results would depend on the batch; we take
    decibels per clip ourselves (``keras_features``)."""
    import keras

    return keras.layers.MelSpectrogram(
        fft_length=FFT_LENGTH, sequence_stride=HOP_LENGTH, sequence_length=FRAME_LENGTH, window="hann",
        sampling_rate=sample_rate, num_mel_bins=NUM_MEL_BINS, min_freq=LOWER_HZ, max_freq=UPPER_HZ,
        power_to_db=False,
    )


def keras_features(waveforms, kind: str = "mfcc", with_deltas: bool = True, sample_rate: int = SAMPLE_RATE,
                   batch_size: int = 256) -> np.ndarray:
    """Features of a batch of waveforms (n, samples): float32 (n, frames, features).

    kind: "log_mel" (NUM_MEL_BINS decibels per frame) or "mfcc" (NUM_MFCC, or 3 x NUM_MFCC with deltas).
    """
    from keras import ops

    _check_kind(kind)
    layer = mel_layer(sample_rate)
    waveforms = np.asarray(waveforms, dtype=np.float32)
    outputs = []
    for start in range(0, len(waveforms), batch_size):
        mel = ops.swapaxes(layer(waveforms[start: start + batch_size]), -1, -2)  # -> (batch, frames, mel bins)
        features = 10.0 * ops.log10(ops.maximum(mel, MIN_POWER))
        features = ops.maximum(features, ops.max(features, axis=(1, 2), keepdims=True) - TOP_DB)
        if kind == "mfcc":
            features = _keras_cepstra(features, with_deltas)
        outputs.append(ops.convert_to_numpy(features))
    return np.concatenate(outputs)


def keras_mfcc_from_log_mel(log_mel, with_deltas: bool = True) -> np.ndarray:
    """MFCCs (with deltas) from what ``keras_features(..., "log_mel")`` returned, without a second STFT:
    a lesson that needs both kinds computes the spectrogram once."""
    from keras import ops

    return ops.convert_to_numpy(_keras_cepstra(ops.convert_to_tensor(log_mel, dtype="float32"), with_deltas))


def mel_band_centres_hz(num_mel_bins: int = NUM_MEL_BINS) -> np.ndarray:
    """Centre frequency (Hz) of each band of ``mel_layer``: points equally spaced in Keras's own mel scale.

    Keras offers Hz -> mel only, so mel -> Hz is read off a 0.1 Hz grid by interpolation (its error is far
    below 0.01 Hz, the scale being smooth)."""
    grid_hz = np.linspace(0.0, SAMPLE_RATE / 2, 80_001)
    grid_mel = _keras_mel(grid_hz)
    lowest, highest = np.interp([LOWER_HZ, UPPER_HZ], grid_hz, grid_mel)
    centre_mels = np.linspace(lowest, highest, num_mel_bins + 2)[1:-1]
    return np.interp(centre_mels, grid_mel, grid_hz)


def warp_frequencies(log_mel, factors) -> np.ndarray:
    """Vocal tract length perturbation (Jaitly and Hinton, 2013) of mel spectrograms (clips, frames, bands).

    A shorter vocal tract moves every formant up by about the same factor, so one factor per clip stands in
    for a new speaker: band b of clip i takes the value the clip had at ``factors[i]`` x (centre of band b),
    interpolated linearly between bands (in mel). Factors above 1 slide the spectrum down, below 1 up;
    frequencies pushed past the outermost bands repeat the edge band.
    """
    log_mel = np.asarray(log_mel)
    num_bins = log_mel.shape[-1]
    centres_hz = mel_band_centres_hz(num_bins)
    source_hz = np.clip(np.asarray(factors, dtype=np.float64)[:, None] * centres_hz, centres_hz[0], centres_hz[-1])
    # Fractional band index of each source frequency; bands are equally spaced in mel, so interpolate in mel.
    position = np.interp(_keras_mel(source_hz), _keras_mel(centres_hz), np.arange(num_bins))  # (clips, bands)
    below = np.floor(position).astype(int)
    above = np.minimum(below + 1, num_bins - 1)
    weight = (position - below)[:, None, :].astype(log_mel.dtype)  # the same for every frame of a clip
    return (np.take_along_axis(log_mel, below[:, None, :], axis=-1) * (1 - weight)
            + np.take_along_axis(log_mel, above[:, None, :], axis=-1) * weight)


def _keras_mel(frequencies_hz) -> np.ndarray:
    """Keras's own Hz -> mel conversion (the one its filterbank uses), in float64."""
    from keras import ops

    frequencies = ops.convert_to_tensor(np.asarray(frequencies_hz, dtype=np.float64), dtype="float64")
    return ops.convert_to_numpy(mel_layer()._hertz_to_mel(frequencies))


def _cosine_basis(num_inputs: int, num_outputs: int) -> np.ndarray:
    """The orthonormal DCT-II as a (num_inputs, num_outputs) matrix, from SciPy's DCT of the identity."""
    from scipy.fft import dct

    return dct(np.eye(num_inputs), type=2, norm="ortho", axis=1)[:, :num_outputs]


def _keras_cepstra(log_mel, with_deltas: bool):
    from keras import ops

    basis = ops.convert_to_tensor(_cosine_basis(NUM_MEL_BINS, NUM_MFCC), dtype="float32")
    coefficients = ops.matmul(log_mel, basis)
    if not with_deltas:
        return coefficients
    first = _keras_deltas(coefficients)
    return ops.concatenate([coefficients, first, _keras_deltas(first)], axis=-1)


def _keras_deltas(features, width: int = 2):
    """Regression slope over +-width frames: sum_k k (x[t+k] - x[t-k]) / (2 sum_k k^2); edges repeat."""
    from keras import ops

    frames = features.shape[-2]
    first, last = features[:, :1], features[:, -1:]  # repeat the edge frames (TensorFlow's pad has no "edge")
    padded = ops.concatenate([ops.repeat(first, width, axis=1), features, ops.repeat(last, width, axis=1)], axis=1)
    slope = sum(k * (padded[:, width + k: width + k + frames] - padded[:, width - k: width - k + frames])
                for k in range(1, width + 1))
    return slope / (2 * sum(k * k for k in range(1, width + 1)))


def _check_kind(kind: str) -> None:
    if kind not in ("mfcc", "log_mel"):
        raise ValueError(f"unknown feature kind {kind!r}; choose 'mfcc' or 'log_mel'")
