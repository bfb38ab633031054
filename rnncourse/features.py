"""Speech features step by step in NumPy, and the same computation with Keras (lesson 06).

The pipeline, one function per step (every function works on the last axis, so a batch of waveforms
``(n, samples)`` works as well as one waveform)::

    frames   = frame_signal(waveform)                 # (..., frames, frame_length), centred, Hann-windowed
    power    = power_spectrum(frames)                 # (..., frames, fft_length // 2 + 1)  |FFT|^2
    mel      = power @ mel_filterbank()               # (..., frames, num_mel_bins)
    log_mel  = power_to_db(mel)                       # decibels, at most TOP_DB below the clip's peak
    mfccs    = mfcc(log_mel)                          # DCT-II (orthonormal), first coefficients
    with_deltas = add_deltas(mfccs)                   # + first and second time differences

``numpy_features`` runs the whole chain; ``keras_features`` computes the same with
``keras.layers.MelSpectrogram`` (STFT and mel filterbank) and ``keras.ops``, which is what training uses.
tests/test_features.py checks that the two agree within ``AGREEMENT_TOLERANCE_DB`` (0.01 dB).

Conventions follow Keras so that the two agree: periodic Hann window, frames centred on
``t * hop_length`` with reflect padding, and the HTK mel scale (mel = 1127 ln(1 + f / 700)) with
triangles that are linear in mel and exclude the 0 Hz bin. The assignment's reference grader reuses
these functions, so their signatures are part of the course's interface.
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
TOP_DB = 80.0  # per clip, nothing is kept more than 80 dB below the loudest value (see power_to_db)
AGREEMENT_TOLERANCE_DB = 0.01  # NumPy (float64) vs Keras (float32): largest |difference| of any feature


def hann_window(length: int) -> np.ndarray:
    """Periodic Hann window: 0.5 - 0.5 cos(2 pi n / length). It tapers each frame to zero at its edges so the
    FFT does not see a jump where the frame is cut out of the signal (spectral leakage)."""
    return 0.5 - 0.5 * np.cos(2 * np.pi * np.arange(length) / length)


def frame_signal(waveform, frame_length: int = FRAME_LENGTH, hop_length: int = HOP_LENGTH, window: bool = True) -> np.ndarray:
    """Cut a waveform into overlapping frames centred on t * hop_length, and (by default) apply a Hann window.

    The signal is reflect-padded by frame_length // 2 at both ends so the first frame is centred on sample 0.
    Returns shape (..., 1 + samples // hop_length, frame_length).
    """
    waveform = np.asarray(waveform, dtype=np.float64)
    half = frame_length // 2
    padded = np.pad(waveform, [(0, 0)] * (waveform.ndim - 1) + [(half, half)], mode="reflect")
    frames = np.lib.stride_tricks.sliding_window_view(padded, frame_length, axis=-1)[..., ::hop_length, :]
    return frames * hann_window(frame_length) if window else frames.copy()


def power_spectrum(frames, fft_length: int = FFT_LENGTH) -> np.ndarray:
    """|FFT|^2 of each frame (zero-padded to fft_length): energy per frequency bin, 0 Hz to the Nyquist frequency."""
    return np.abs(np.fft.rfft(frames, n=fft_length, axis=-1)) ** 2


def hz_to_mel(frequency_hz):
    """HTK mel scale: roughly linear below 1 kHz and logarithmic above, like the ear's pitch resolution."""
    return 1127.0 * np.log1p(np.asarray(frequency_hz, dtype=np.float64) / 700.0)


def mel_to_hz(mel):
    """Inverse of ``hz_to_mel``."""
    return 700.0 * np.expm1(np.asarray(mel, dtype=np.float64) / 1127.0)


def mel_band_edges(num_mel_bins: int = NUM_MEL_BINS, lower_hz: float = LOWER_HZ,
                   upper_hz: float = UPPER_HZ) -> np.ndarray:
    """num_mel_bins + 2 points equally spaced in mel from lower_hz to upper_hz: band m spans edges m to m + 2
    and peaks at edge m + 1, so ``edges[1:-1]`` are the band centres (in mel)."""
    return np.linspace(hz_to_mel(lower_hz), hz_to_mel(upper_hz), num_mel_bins + 2)


def mel_filterbank(num_mel_bins: int = NUM_MEL_BINS, fft_length: int = FFT_LENGTH, sample_rate: int = SAMPLE_RATE,
                   lower_hz: float = LOWER_HZ, upper_hz: float = UPPER_HZ) -> np.ndarray:
    """Triangular filters equally spaced on the mel scale; shape (fft_length // 2 + 1, num_mel_bins).

    Filter m rises from edge m to its centre m + 1 and falls to edge m + 2, linearly in mel; neighbours
    overlap by half. The 0 Hz bin gets weight 0 (the HTK convention, which Keras follows).
    """
    bin_mels = hz_to_mel(np.linspace(0.0, sample_rate / 2, fft_length // 2 + 1))[:, None]
    edges = mel_band_edges(num_mel_bins, lower_hz, upper_hz)
    lower, centre, upper = edges[:-2], edges[1:-1], edges[2:]
    rising = (bin_mels - lower) / (centre - lower)
    falling = (upper - bin_mels) / (upper - centre)
    weights = np.maximum(0.0, np.minimum(rising, falling))
    weights[0] = 0.0
    return weights


def power_to_db(power, top_db: float = TOP_DB, min_power: float = MIN_POWER) -> np.ndarray:
    """10 log10(power) for a (..., frames, bins) array: loudness is perceived roughly logarithmically.

    Values more than top_db below the clip's loudest value are raised to that level. The ear cannot use
    them, and float32 arithmetic (Keras) cannot compute them reliably: rounding errors of about 1e-7 of the
    peak amplitude become whole decibels 100 dB down. min_power avoids log(0) in silence.
    """
    decibels = 10.0 * np.log10(np.maximum(power, min_power))
    return np.maximum(decibels, decibels.max(axis=(-2, -1), keepdims=True) - top_db)


def warp_frequencies(log_mel, factors, lower_hz: float = LOWER_HZ, upper_hz: float = UPPER_HZ) -> np.ndarray:
    """Vocal tract length perturbation (Jaitly and Hinton, 2013) of mel spectrograms (clips, frames, bands).

    A shorter vocal tract moves every formant up by about the same factor, so one factor per clip stands in
    for a new speaker: band b of clip i takes the value the clip had at ``factors[i]`` x (centre of band b),
    interpolated linearly between bands. Factors above 1 slide the spectrum down, below 1 up; frequencies
    pushed past the outermost bands repeat the edge band.
    """
    log_mel = np.asarray(log_mel)
    num_bins = log_mel.shape[-1]
    centre_mels = mel_band_edges(num_bins, lower_hz, upper_hz)[1:-1]
    centres_hz = mel_to_hz(centre_mels)
    source_hz = np.clip(np.asarray(factors, dtype=np.float64)[:, None] * centres_hz, centres_hz[0], centres_hz[-1])
    position = np.interp(hz_to_mel(source_hz), centre_mels, np.arange(num_bins))  # fractional band, (clips, bands)
    below = np.floor(position).astype(int)
    above = np.minimum(below + 1, num_bins - 1)
    weight = (position - below)[:, None, :].astype(log_mel.dtype)  # the same for every frame of a clip
    return (np.take_along_axis(log_mel, below[:, None, :], axis=-1) * (1 - weight)
            + np.take_along_axis(log_mel, above[:, None, :], axis=-1) * weight)


def dct_matrix(num_inputs: int, num_outputs: int) -> np.ndarray:
    """Orthonormal DCT-II as a matrix (num_inputs, num_outputs): y_k = s_k sum_n x_n cos(pi k (2n + 1) / (2N)),
    with s_0 = sqrt(1/N) and s_k = sqrt(2/N). Column k is a cosine with k half-periods across the mel bins."""
    n = np.arange(num_inputs)[:, None]
    k = np.arange(num_outputs)[None, :]
    scale = np.where(k == 0, np.sqrt(1.0 / num_inputs), np.sqrt(2.0 / num_inputs))
    return scale * np.cos(np.pi * k * (2 * n + 1) / (2 * num_inputs))


def mfcc(log_mel, num_coefficients: int = NUM_MFCC) -> np.ndarray:
    """Mel-frequency cepstral coefficients: the DCT of each log-mel frame, keeping the first coefficients.
    They describe the spectral envelope (vocal tract shape) compactly and with little correlation."""
    log_mel = np.asarray(log_mel, dtype=np.float64)
    return log_mel @ dct_matrix(log_mel.shape[-1], num_coefficients)


def deltas(features, width: int = 2) -> np.ndarray:
    """Regression slope over +-width frames along axis -2 (time): sum_k k (x[t+k] - x[t-k]) / (2 sum_k k^2).
    Edges repeat the first and last frame."""
    features = np.asarray(features, dtype=np.float64)
    frames = features.shape[-2]
    padded = np.pad(features, [(0, 0)] * (features.ndim - 2) + [(width, width), (0, 0)], mode="edge")
    slope = sum(k * (padded[..., width + k: width + k + frames, :] - padded[..., width - k: width - k + frames, :])
                for k in range(1, width + 1))
    return slope / (2 * sum(k * k for k in range(1, width + 1)))


def add_deltas(features, width: int = 2) -> np.ndarray:
    """Features followed by their deltas and delta-deltas on the last axis (13 MFCCs become 39 numbers)."""
    first = deltas(features, width)
    return np.concatenate([features, first, deltas(first, width)], axis=-1)


def numpy_features(waveforms, kind: str = "mfcc", with_deltas: bool = True, sample_rate: int = SAMPLE_RATE) -> np.ndarray:
    """The whole chain in NumPy: waveforms (..., samples) -> (..., frames, features).

    kind: "log_mel" (NUM_MEL_BINS numbers per frame) or "mfcc" (NUM_MFCC, or 3 x NUM_MFCC with deltas).
    """
    _check_kind(kind)
    mel = power_spectrum(frame_signal(waveforms)) @ mel_filterbank(sample_rate=sample_rate)
    log_mel = power_to_db(mel)
    if kind == "log_mel":
        return log_mel
    coefficients = mfcc(log_mel)
    return add_deltas(coefficients) if with_deltas else coefficients


def keras_features(waveforms, kind: str = "mfcc", with_deltas: bool = True, sample_rate: int = SAMPLE_RATE,
                   batch_size: int = 256) -> np.ndarray:
    """The same features computed with Keras: ``keras.layers.MelSpectrogram`` does framing, windowing, STFT and
    the mel filterbank; ``keras.ops`` does decibels, the DCT (Keras has no DCT op, so it is a matrix product
    with ``dct_matrix``) and the deltas. Returns float32 (n, frames, features) for a batch (n, samples).
    """
    import keras
    from keras import ops

    _check_kind(kind)
    layer = keras.layers.MelSpectrogram(
        fft_length=FFT_LENGTH, sequence_stride=HOP_LENGTH, sequence_length=FRAME_LENGTH, window="hann",
        sampling_rate=sample_rate, num_mel_bins=NUM_MEL_BINS, min_freq=LOWER_HZ, max_freq=UPPER_HZ,
        power_to_db=False,  # its decibel step clips at (batch maximum - 80 dB): results would depend on the batch
    )
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


def _keras_cepstra(log_mel, with_deltas: bool):
    from keras import ops

    coefficients = ops.matmul(log_mel, ops.convert_to_tensor(dct_matrix(NUM_MEL_BINS, NUM_MFCC), dtype="float32"))
    if not with_deltas:
        return coefficients
    first = _keras_deltas(coefficients)
    return ops.concatenate([coefficients, first, _keras_deltas(first)], axis=-1)


def _keras_deltas(features, width: int = 2):
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
