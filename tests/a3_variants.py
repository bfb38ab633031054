"""Realistic wrong answers for assignment A3 ("listen"), to test the tests.

Each variant is the complete source of one answer cell (keyed by the cell's grade_id) with one mistake that
students really make; the "# Bug:" comment in it says which. ``tests/test_a3_listen.py`` autogrades them with
the real nbgrader and checks that every variant loses points in the tests of its own function.

Only one answer depends on another: ``mel_filterbank`` calls the student's ``hz_to_mel``. So a submission
that carries a filterbank variant keeps the reference mel scale, and the mel-scale variants go into
submissions of their own (with the reference filterbank). Every other answer is tested on inputs the tests
make themselves, so one submission can carry one variant of each of them.
"""
from tests.assignment_support import Variant, grade_ids_with_prefix, variants_from_bug_comments


FRAME_SIGNAL = {
    "symmetric_hann": '''
def frame_signal(waveform, frame_length=512, hop_length=256):
    # Bug: the symmetric Hann window np.hanning(N) instead of the periodic one.
    waveform = np.asarray(waveform, dtype=np.float64)
    padded = np.pad(waveform, (frame_length // 2, frame_length // 2), mode="reflect")
    count = 1 + len(waveform) // hop_length
    frames = np.stack([padded[t * hop_length:t * hop_length + frame_length] for t in range(count)])
    return frames * np.hanning(frame_length)
''',
    "not_centred": '''
def frame_signal(waveform, frame_length=512, hop_length=256):
    # Bug: no padding; frames start at sample 0 instead of being centred on t * hop_length.
    waveform = np.asarray(waveform, dtype=np.float64)
    count = 1 + (len(waveform) - frame_length) // hop_length
    window = 0.5 - 0.5 * np.cos(2 * np.pi * np.arange(frame_length) / frame_length)
    return np.stack([waveform[t * hop_length:t * hop_length + frame_length] * window for t in range(count)])
''',
    "zero_padding": '''
def frame_signal(waveform, frame_length=512, hop_length=256):
    # Bug: pads with zeros instead of reflecting the signal.
    waveform = np.asarray(waveform, dtype=np.float64)
    padded = np.pad(waveform, (frame_length // 2, frame_length // 2))
    count = 1 + len(waveform) // hop_length
    window = 0.5 - 0.5 * np.cos(2 * np.pi * np.arange(frame_length) / frame_length)
    return np.stack([padded[t * hop_length:t * hop_length + frame_length] for t in range(count)]) * window
''',
    "no_window": '''
def frame_signal(waveform, frame_length=512, hop_length=256):
    # Bug: the frames are cut out but never windowed.
    waveform = np.asarray(waveform, dtype=np.float64)
    padded = np.pad(waveform, (frame_length // 2, frame_length // 2), mode="reflect")
    count = 1 + len(waveform) // hop_length
    return np.stack([padded[t * hop_length:t * hop_length + frame_length] for t in range(count)])
''',
    "misses_last_frame": '''
def frame_signal(waveform, frame_length=512, hop_length=256):
    # Bug: len // hop frames, one short (the frame centred on the last hop is missing).
    waveform = np.asarray(waveform, dtype=np.float64)
    padded = np.pad(waveform, (frame_length // 2, frame_length // 2), mode="reflect")
    count = len(waveform) // hop_length
    window = 0.5 - 0.5 * np.cos(2 * np.pi * np.arange(frame_length) / frame_length)
    return np.stack([padded[t * hop_length:t * hop_length + frame_length] for t in range(count)]) * window
''',
    "hop_read_as_overlap": '''
def frame_signal(waveform, frame_length=512, hop_length=256):
    # Bug: hop_length read as the overlap, so frames advance by frame_length - hop_length.
    waveform = np.asarray(waveform, dtype=np.float64)
    step = frame_length - hop_length
    padded = np.pad(waveform, (frame_length // 2, frame_length // 2), mode="reflect")
    count = 1 + len(waveform) // step
    window = 0.5 - 0.5 * np.cos(2 * np.pi * np.arange(frame_length) / frame_length)
    padded = np.pad(padded, (0, frame_length))
    return np.stack([padded[t * step:t * step + frame_length] for t in range(count)]) * window
''',
}

POWER_SPECTRUM = {
    "magnitude_not_squared": '''
def power_spectrum(frames, fft_length=512):
    # Bug: the magnitude |X|, not the power |X|^2.
    return np.abs(np.fft.rfft(frames, n=fft_length, axis=-1))
''',
    "drops_nyquist_bin": '''
def power_spectrum(frames, fft_length=512):
    # Bug: the full FFT cut at fft_length // 2, losing the Nyquist bin.
    return np.abs(np.fft.fft(frames, n=fft_length, axis=-1)[..., :fft_length // 2]) ** 2
''',
    "no_zero_padding": '''
def power_spectrum(frames, fft_length=512):
    # Bug: fft_length ignored, so frames shorter than it are not zero-padded.
    return np.abs(np.fft.rfft(frames, axis=-1)) ** 2
''',
    "normalised_fft": '''
def power_spectrum(frames, fft_length=512):
    # Bug: an orthonormal FFT (divides the power by N).
    return np.abs(np.fft.rfft(frames, n=fft_length, axis=-1, norm="ortho")) ** 2
''',
    "real_part_squared": '''
def power_spectrum(frames, fft_length=512):
    # Bug: squares the real part only, dropping the imaginary part's energy.
    return np.real(np.fft.rfft(frames, n=fft_length, axis=-1)) ** 2
''',
    "wrong_axis": '''
def power_spectrum(frames, fft_length=512):
    # Bug: the FFT runs over frames (axis 0) instead of over the samples of each frame.
    return (np.abs(np.fft.rfft(frames, n=fft_length, axis=0)) ** 2).T
''',
}

MEL_SCALE = {
    "2595_with_natural_log": '''
def hz_to_mel(frequency_hz):
    # Bug: the log10 constant 2595 used with the natural logarithm.
    return 2595.0 * np.log(1.0 + np.asarray(frequency_hz, dtype=np.float64) / 700.0)


def mel_to_hz(mel):
    return 700.0 * (np.exp(np.asarray(mel, dtype=np.float64) / 2595.0) - 1.0)
''',
    "1127_with_log10": '''
def hz_to_mel(frequency_hz):
    # Bug: the natural-log constant 1127 used with log10.
    return 1127.0 * np.log10(1.0 + np.asarray(frequency_hz, dtype=np.float64) / 700.0)


def mel_to_hz(mel):
    return 700.0 * (10.0 ** (np.asarray(mel, dtype=np.float64) / 1127.0) - 1.0)
''',
    "inverse_wrong_base": '''
def hz_to_mel(frequency_hz):
    return 1127.0 * np.log(1.0 + np.asarray(frequency_hz, dtype=np.float64) / 700.0)


def mel_to_hz(mel):
    # Bug: the inverse uses 10 ** instead of exp.
    return 700.0 * (10.0 ** (np.asarray(mel, dtype=np.float64) / 1127.0) - 1.0)
''',
    "missing_one_plus": '''
def hz_to_mel(frequency_hz):
    # Bug: ln(f / 700) instead of ln(1 + f / 700).
    return 1127.0 * np.log(np.maximum(np.asarray(frequency_hz, dtype=np.float64), 1e-3) / 700.0)


def mel_to_hz(mel):
    return 700.0 * np.exp(np.asarray(mel, dtype=np.float64) / 1127.0)
''',
    "corner_1000_hz": '''
def hz_to_mel(frequency_hz):
    # Bug: 1000 Hz as the corner frequency instead of 700 Hz.
    return 1127.0 * np.log(1.0 + np.asarray(frequency_hz, dtype=np.float64) / 1000.0)


def mel_to_hz(mel):
    return 1000.0 * (np.exp(np.asarray(mel, dtype=np.float64) / 1127.0) - 1.0)
''',
    "inverse_parenthesis": '''
def hz_to_mel(frequency_hz):
    return 1127.0 * np.log1p(np.asarray(frequency_hz, dtype=np.float64) / 700.0)


def mel_to_hz(mel):
    # Bug: a misplaced parenthesis, 700 e^(m / 1127) - 1.
    return 700.0 * np.exp(np.asarray(mel, dtype=np.float64) / 1127.0) - 1.0
''',
}

MEL_FILTERBANK = {
    "edges_linear_in_hz": '''
def mel_filterbank(num_mel_bins=40, fft_length=512, sample_rate=16000, lower_hz=20.0, upper_hz=8000.0):
    # Bug: edges equally spaced in Hz; the triangles are built in Hz, so the mel scale is never used.
    bin_hz = np.linspace(0.0, sample_rate / 2, fft_length // 2 + 1)[:, None]
    edges = np.linspace(lower_hz, upper_hz, num_mel_bins + 2)
    rising = (bin_hz - edges[:-2]) / (edges[1:-1] - edges[:-2])
    falling = (edges[2:] - bin_hz) / (edges[2:] - edges[1:-1])
    weights = np.maximum(0.0, np.minimum(rising, falling))
    weights[0] = 0.0
    return weights
''',
    "one_edge_short": '''
def mel_filterbank(num_mel_bins=40, fft_length=512, sample_rate=16000, lower_hz=20.0, upper_hz=8000.0):
    # Bug: num_mel_bins + 1 edges, so one filter too few.
    bin_mels = hz_to_mel(np.linspace(0.0, sample_rate / 2, fft_length // 2 + 1))[:, None]
    edges = np.linspace(hz_to_mel(lower_hz), hz_to_mel(upper_hz), num_mel_bins + 1)
    rising = (bin_mels - edges[:-2]) / (edges[1:-1] - edges[:-2])
    falling = (edges[2:] - bin_mels) / (edges[2:] - edges[1:-1])
    weights = np.maximum(0.0, np.minimum(rising, falling))
    weights[0] = 0.0
    return weights
''',
    "bins_up_to_sample_rate": '''
def mel_filterbank(num_mel_bins=40, fft_length=512, sample_rate=16000, lower_hz=20.0, upper_hz=8000.0):
    # Bug: FFT bin frequencies spread up to the sample rate instead of the Nyquist frequency.
    bin_mels = hz_to_mel(np.linspace(0.0, sample_rate, fft_length // 2 + 1))[:, None]
    edges = np.linspace(hz_to_mel(lower_hz), hz_to_mel(upper_hz), num_mel_bins + 2)
    rising = (bin_mels - edges[:-2]) / (edges[1:-1] - edges[:-2])
    falling = (edges[2:] - bin_mels) / (edges[2:] - edges[1:-1])
    weights = np.maximum(0.0, np.minimum(rising, falling))
    weights[0] = 0.0
    return weights
''',
    "snapped_to_fft_bins": '''
def mel_filterbank(num_mel_bins=40, fft_length=512, sample_rate=16000, lower_hz=20.0, upper_hz=8000.0):
    # Bug: edges rounded to whole FFT bins and triangles built in bin numbers (an older recipe).
    edges_hz = mel_to_hz(np.linspace(hz_to_mel(lower_hz), hz_to_mel(upper_hz), num_mel_bins + 2))
    edge_bins = np.floor((fft_length + 1) * edges_hz / sample_rate).astype(int)
    weights = np.zeros((fft_length // 2 + 1, num_mel_bins))
    for m in range(num_mel_bins):
        left, centre, right = edge_bins[m], edge_bins[m + 1], edge_bins[m + 2]
        for k in range(left, centre):
            weights[k, m] = (k - left) / max(centre - left, 1)
        for k in range(centre, right):
            weights[k, m] = (right - k) / max(right - centre, 1)
    weights[0] = 0.0
    return weights
''',
    "area_normalised": '''
def mel_filterbank(num_mel_bins=40, fft_length=512, sample_rate=16000, lower_hz=20.0, upper_hz=8000.0):
    # Bug: each triangle scaled to unit area (Slaney normalisation), which the specification does not ask for.
    bin_mels = hz_to_mel(np.linspace(0.0, sample_rate / 2, fft_length // 2 + 1))[:, None]
    edges = np.linspace(hz_to_mel(lower_hz), hz_to_mel(upper_hz), num_mel_bins + 2)
    rising = (bin_mels - edges[:-2]) / (edges[1:-1] - edges[:-2])
    falling = (edges[2:] - bin_mels) / (edges[2:] - edges[1:-1])
    weights = np.maximum(0.0, np.minimum(rising, falling))
    weights[0] = 0.0
    edges_hz = mel_to_hz(edges)
    return weights * (2.0 / (edges_hz[2:] - edges_hz[:-2]))
''',
    "negative_weights": '''
def mel_filterbank(num_mel_bins=40, fft_length=512, sample_rate=16000, lower_hz=20.0, upper_hz=8000.0):
    # Bug: the triangles are not clipped at zero, so weights go negative outside each filter.
    bin_mels = hz_to_mel(np.linspace(0.0, sample_rate / 2, fft_length // 2 + 1))[:, None]
    edges = np.linspace(hz_to_mel(lower_hz), hz_to_mel(upper_hz), num_mel_bins + 2)
    rising = (bin_mels - edges[:-2]) / (edges[1:-1] - edges[:-2])
    falling = (edges[2:] - bin_mels) / (edges[2:] - edges[1:-1])
    weights = np.minimum(rising, falling)
    weights[0] = 0.0
    return weights
''',
}

LOG_MEL_SPECTROGRAM = {
    "natural_log": '''
def log_mel_spectrogram(power, filterbank, top_db=80.0, min_power=1e-10):
    # Bug: 10 ln instead of 10 log10.
    decibels = 10.0 * np.log(np.maximum(np.asarray(power) @ filterbank, min_power))
    return np.maximum(decibels, decibels.max() - top_db)
''',
    "amplitude_decibels": '''
def log_mel_spectrogram(power, filterbank, top_db=80.0, min_power=1e-10):
    # Bug: 20 log10, the formula for amplitudes, applied to power.
    decibels = 20.0 * np.log10(np.maximum(np.asarray(power) @ filterbank, min_power))
    return np.maximum(decibels, decibels.max() - top_db)
''',
    "no_floor": '''
def log_mel_spectrogram(power, filterbank, top_db=80.0, min_power=1e-10):
    # Bug: no min_power floor, so silence gives log(0) = -inf.
    decibels = 10.0 * np.log10(np.asarray(power) @ filterbank)
    return np.maximum(decibels, decibels.max() - top_db)
''',
    "top_db_per_frame": '''
def log_mel_spectrogram(power, filterbank, top_db=80.0, min_power=1e-10):
    # Bug: the top_db floor relative to each frame's peak instead of the clip's.
    decibels = 10.0 * np.log10(np.maximum(np.asarray(power) @ filterbank, min_power))
    return np.maximum(decibels, decibels.max(axis=-1, keepdims=True) - top_db)
''',
    "no_top_db": '''
def log_mel_spectrogram(power, filterbank, top_db=80.0, min_power=1e-10):
    # Bug: top_db ignored.
    return 10.0 * np.log10(np.maximum(np.asarray(power) @ filterbank, min_power))
''',
    "log_before_filterbank": '''
def log_mel_spectrogram(power, filterbank, top_db=80.0, min_power=1e-10):
    # Bug: decibels of the power spectrum first, then the filterbank (sums decibels, not energies).
    decibels = 10.0 * np.log10(np.maximum(np.asarray(power), min_power)) @ filterbank
    return np.maximum(decibels, decibels.max() - top_db)
''',
}

MFCC = {
    "unnormalised_dct": '''
def mfcc(log_mel, num_coefficients=13):
    # Bug: the plain DCT-II without the orthonormal scale factors.
    bands = log_mel.shape[-1]
    n, k = np.arange(bands)[:, None], np.arange(num_coefficients)[None, :]
    return np.asarray(log_mel) @ np.cos(np.pi * k * (2 * n + 1) / (2 * bands))
''',
    "same_scale_for_c0": '''
def mfcc(log_mel, num_coefficients=13):
    # Bug: sqrt(2 / M) for every coefficient, c0 included.
    bands = log_mel.shape[-1]
    n, k = np.arange(bands)[:, None], np.arange(num_coefficients)[None, :]
    return np.asarray(log_mel) @ (np.sqrt(2.0 / bands) * np.cos(np.pi * k * (2 * n + 1) / (2 * bands)))
''',
    "drops_c0": '''
def mfcc(log_mel, num_coefficients=13):
    # Bug: keeps coefficients 1 ... num_coefficients, dropping c0.
    bands = log_mel.shape[-1]
    n, k = np.arange(bands)[:, None], np.arange(1, num_coefficients + 1)[None, :]
    return np.asarray(log_mel) @ (np.sqrt(2.0 / bands) * np.cos(np.pi * k * (2 * n + 1) / (2 * bands)))
''',
    "dct_over_time": '''
def mfcc(log_mel, num_coefficients=13):
    # Bug: the DCT runs over frames (time) instead of over the mel bands of each frame.
    log_mel = np.asarray(log_mel, dtype=np.float64)
    frames = log_mel.shape[0]
    n, k = np.arange(frames)[:, None], np.arange(frames)[None, :]
    scale = np.where(k == 0, np.sqrt(1.0 / frames), np.sqrt(2.0 / frames))
    return ((scale * np.cos(np.pi * k * (2 * n + 1) / (2 * frames))).T @ log_mel)[:, :num_coefficients]
''',
    "missing_half_sample_shift": '''
def mfcc(log_mel, num_coefficients=13):
    # Bug: cos(pi k n / M), without the (2n + 1) / 2M half-sample shift.
    bands = log_mel.shape[-1]
    n, k = np.arange(bands)[:, None], np.arange(num_coefficients)[None, :]
    scale = np.where(k == 0, np.sqrt(1.0 / bands), np.sqrt(2.0 / bands))
    return np.asarray(log_mel) @ (scale * np.cos(np.pi * k * n / bands))
''',
}

NORMALIZE_SPLITS = {
    "fit_on_train_and_test": '''
def normalize_splits(train, test):
    # Bug: statistics computed on training and test frames together (test data leaks).
    frames = np.concatenate(list(train) + list(test), axis=0)
    mean, std = frames.mean(axis=0), frames.std(axis=0)
    if np.any(std == 0):
        raise ValueError("constant feature")
    return [(x - mean) / std for x in train], [(x - mean) / std for x in test], mean, std
''',
    "test_uses_own_statistics": '''
def normalize_splits(train, test):
    # Bug: the test set is normalised with its own mean and std.
    frames = np.concatenate(train, axis=0)
    mean, std = frames.mean(axis=0), frames.std(axis=0)
    if np.any(std == 0):
        raise ValueError("constant feature")
    test_frames = np.concatenate(test, axis=0)
    return ([(x - mean) / std for x in train], [(x - test_frames.mean(axis=0)) / test_frames.std(axis=0) for x in test],
            mean, std)
''',
    "mean_of_utterance_means": '''
def normalize_splits(train, test):
    # Bug: averages the per-utterance statistics, so a short utterance counts as much as a long one.
    mean = np.mean([x.mean(axis=0) for x in train], axis=0)
    std = np.mean([x.std(axis=0) for x in train], axis=0)
    if np.any(std == 0):
        raise ValueError("constant feature")
    return [(x - mean) / std for x in train], [(x - mean) / std for x in test], mean, std
''',
    "per_utterance_normalisation": '''
def normalize_splits(train, test):
    # Bug: every utterance normalised with its own statistics (the returned ones are never used).
    frames = np.concatenate(train, axis=0)
    mean, std = frames.mean(axis=0), frames.std(axis=0)
    if np.any(std == 0):
        raise ValueError("constant feature")
    own = lambda x: (x - x.mean(axis=0)) / np.where(x.std(axis=0) > 0, x.std(axis=0), 1.0)
    return [own(x) for x in train], [own(x) for x in test], mean, std
''',
    "one_statistic_for_all_features": '''
def normalize_splits(train, test):
    # Bug: a single mean and std over all features instead of one per feature.
    frames = np.concatenate(train, axis=0)
    mean = np.full(frames.shape[1], frames.mean())
    std = np.full(frames.shape[1], frames.std())
    if np.any(std == 0):
        raise ValueError("constant feature")
    return [(x - mean) / std for x in train], [(x - mean) / std for x in test], mean, std
''',
    "sample_standard_deviation": '''
def normalize_splits(train, test):
    # Bug: the sample standard deviation (ddof=1) instead of the population one.
    frames = np.concatenate(train, axis=0)
    mean, std = frames.mean(axis=0), frames.std(axis=0, ddof=1)
    if np.any(std == 0):
        raise ValueError("constant feature")
    return [(x - mean) / std for x in train], [(x - mean) / std for x in test], mean, std
''',
    "no_constant_feature_check": '''
def normalize_splits(train, test):
    # Bug: no check for a constant feature, so it divides by zero.
    frames = np.concatenate(train, axis=0)
    mean, std = frames.mean(axis=0), frames.std(axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        return [(x - mean) / std for x in train], [(x - mean) / std for x in test], mean, std
''',
}

BUILD_CLASSIFIER = {
    "no_masking": '''
def build_classifier(num_features, num_classes, units=32, learning_rate=1e-3):
    # Bug: no Masking layer, so the GRU reads the padding frames.
    model = keras.Sequential([keras.Input(shape=(None, num_features)), keras.layers.GRU(units),
                              keras.layers.Dense(num_classes, activation="softmax")])
    model.compile(optimizer=keras.optimizers.Adam(learning_rate), loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return model
''',
    "fixed_length_input": '''
def build_classifier(num_features, num_classes, units=32, learning_rate=1e-3):
    # Bug: a fixed number of frames (63, one padded second) in the input shape.
    model = keras.Sequential([keras.Input(shape=(63, num_features)), keras.layers.Masking(mask_value=0.0),
                              keras.layers.GRU(units), keras.layers.Dense(num_classes, activation="softmax")])
    model.compile(optimizer=keras.optimizers.Adam(learning_rate), loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return model
''',
    "lstm_instead_of_gru": '''
def build_classifier(num_features, num_classes, units=32, learning_rate=1e-3):
    # Bug: an LSTM where the specification asks for a GRU.
    model = keras.Sequential([keras.Input(shape=(None, num_features)), keras.layers.Masking(mask_value=0.0),
                              keras.layers.LSTM(units), keras.layers.Dense(num_classes, activation="softmax")])
    model.compile(optimizer=keras.optimizers.Adam(learning_rate), loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return model
''',
    "logits_output": '''
def build_classifier(num_features, num_classes, units=32, learning_rate=1e-3):
    # Bug: no softmax, so the outputs are logits while the loss expects probabilities.
    model = keras.Sequential([keras.Input(shape=(None, num_features)), keras.layers.Masking(mask_value=0.0),
                              keras.layers.GRU(units), keras.layers.Dense(num_classes)])
    model.compile(optimizer=keras.optimizers.Adam(learning_rate), loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return model
''',
    "masks_minus_one": '''
def build_classifier(num_features, num_classes, units=32, learning_rate=1e-3):
    # Bug: masks frames of -1 while the padding is 0.
    model = keras.Sequential([keras.Input(shape=(None, num_features)), keras.layers.Masking(mask_value=-1.0),
                              keras.layers.GRU(units), keras.layers.Dense(num_classes, activation="softmax")])
    model.compile(optimizer=keras.optimizers.Adam(learning_rate), loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return model
''',
    "pooled_sequences": '''
def build_classifier(num_features, num_classes, units=32, learning_rate=1e-3):
    # Bug: averages the GRU's outputs over time instead of using its final state.
    model = keras.Sequential([keras.Input(shape=(None, num_features)), keras.layers.Masking(mask_value=0.0),
                              keras.layers.GRU(units, return_sequences=True), keras.layers.GlobalAveragePooling1D(),
                              keras.layers.Dense(num_classes, activation="softmax")])
    model.compile(optimizer=keras.optimizers.Adam(learning_rate), loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return model
''',
    "learning_rate_ignored": '''
def build_classifier(num_features, num_classes, units=32, learning_rate=1e-3):
    # Bug: compiled with the optimizer's default learning rate.
    model = keras.Sequential([keras.Input(shape=(None, num_features)), keras.layers.Masking(mask_value=0.0),
                              keras.layers.GRU(units), keras.layers.Dense(num_classes, activation="softmax")])
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return model
''',
}

# answer grade_id -> {variant name: source}
_SOURCES = {
    "frame_signal": FRAME_SIGNAL,
    "power_spectrum": POWER_SPECTRUM,
    "mel_scale": MEL_SCALE,
    "mel_filterbank": MEL_FILTERBANK,
    "log_mel_spectrogram": LOG_MEL_SPECTROGRAM,
    "mfcc": MFCC,
    "normalize_splits": NORMALIZE_SPLITS,
    "build_classifier": BUILD_CLASSIFIER,
}
GRADED_FUNCTIONS = tuple(_SOURCES)


VARIANTS = variants_from_bug_comments(_SOURCES)

# The test cells that check each answer (grade ids start with these prefixes). test_pipeline_* checks the
# whole chain and is not attributed to any one answer.
TEST_PREFIXES = {
    "frame_signal": "test_frames_",
    "power_spectrum": "test_power_",
    "mel_scale": "test_mel_scale_",
    "mel_filterbank": "test_filterbank_",
    "log_mel_spectrogram": "test_log_mel_",
    "mfcc": "test_mfcc_",
    "normalize_splits": "test_normalize_",
    "build_classifier": "test_classifier_",
}


def grade_ids_checking(function: str, grade_ids) -> list[str]:
    """The grade_ids of the test cells that check ``function``."""
    return grade_ids_with_prefix(TEST_PREFIXES, function, grade_ids)


def submissions_for_variants() -> dict[str, dict[str, Variant]]:
    """Pack the variants into few submissions without blaming a variant for another's lost points.

    Submission k holds the k-th variant of every independent answer. Filterbank variants occupy the first
    submissions (with the reference mel scale); the mel-scale variants come after them, each with the
    reference filterbank. Returns {student id: {answer grade_id: variant}}.
    """
    by_function = {function: [v for v in VARIANTS if v.function == function] for function in GRADED_FUNCTIONS}
    slots = {function: list(range(len(variants))) for function, variants in by_function.items()}
    filterbank_count = len(by_function["mel_filterbank"])
    slots["mel_scale"] = [filterbank_count + index for index in range(len(by_function["mel_scale"]))]
    submissions = {}
    for function, variants in by_function.items():
        for slot, variant in zip(slots[function], variants):
            submissions.setdefault(f"variants{slot:02d}", {})[function] = variant
    return dict(sorted(submissions.items()))
