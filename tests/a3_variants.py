"""Realistic wrong answers for assignment A3 ("listen"), to test the tests.

Each variant is the complete source of one answer cell (keyed by the cell's grade_id) with one mistake that
students really make; the "# Bug:" comment in it says which. ``tests/test_a3_listen.py`` autogrades them with
the real nbgrader and checks that every variant loses points in the tests of its own function.

Two answers call another: ``mel_filterbank`` calls the student's ``hz_to_mel`` and ``label_error_rate`` the
student's ``edit_distance``. So a submission that carries a filterbank (error-rate) variant keeps the
reference mel scale (edit distance), and the mel-scale (edit-distance) variants go into submissions of their
own. Every other answer is tested on inputs the tests make themselves, so one submission can carry one
variant of each of them. CORRECT_ALTERNATIVES, COURSE_IMPORT and COURSE_COPY follow the variants.
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

BEST_PATH_DECODE = {
    "no_merge": '''
def best_path_decode(probabilities, blank=0):
    # Bug: drops the blanks but never merges runs, so a label held for three frames counts three times.
    return [int(symbol) for symbol in np.argmax(probabilities, axis=1) if symbol != blank]
''',
    "drops_blanks_before_merging": '''
def best_path_decode(probabilities, blank=0):
    # Bug: removes the blanks first and merges afterwards, so 1 0 1 collapses to [1] instead of [1, 1].
    path = [int(symbol) for symbol in np.argmax(probabilities, axis=1) if symbol != blank]
    return [symbol for index, symbol in enumerate(path) if index == 0 or symbol != path[index - 1]]
''',
    "ignores_blank_argument": '''
def best_path_decode(probabilities, blank=0):
    # Bug: class 0 is always treated as the blank, whatever the blank argument says.
    transcript, previous = [], None
    for symbol in np.argmax(probabilities, axis=1).tolist():
        if symbol != previous and symbol != 0:
            transcript.append(symbol)
        previous = symbol
    return transcript
''',
    "argmax_over_frames": '''
def best_path_decode(probabilities, blank=0):
    # Bug: argmax along axis 0 (the most likely frame of each class) instead of the most likely class of each frame.
    transcript, previous = [], None
    for symbol in np.argmax(probabilities, axis=0).tolist():
        if symbol != previous and symbol != blank:
            transcript.append(symbol)
        previous = symbol
    return transcript
''',
    "keeps_blanks": '''
def best_path_decode(probabilities, blank=0):
    # Bug: merges the runs but keeps the blanks in the transcript.
    path = np.argmax(probabilities, axis=1).tolist()
    return [symbol for index, symbol in enumerate(path) if index == 0 or symbol != path[index - 1]]
''',
    "previous_starts_as_zero": '''
def best_path_decode(probabilities, blank=0):
    # Bug: the "previous class" starts as 0 instead of nothing, so a first frame of class 0 is taken for a repeat.
    transcript, previous = [], 0
    for symbol in np.argmax(probabilities, axis=1).tolist():
        if symbol != previous and symbol != blank:
            transcript.append(symbol)
        previous = symbol
    return transcript
''',
}

CTC_LOG_PROBABILITY = {
    "no_skip_between_labels": '''
def ctc_log_probability(probabilities, labels, blank=0):
    # Bug: never skips the blank between two different labels, so every path must visit each blank.
    labels = list(labels)
    if blank in labels:
        raise ValueError("blank in labels")
    log_p = np.log(np.maximum(np.asarray(probabilities, dtype=np.float64), 1e-300))
    extended = [blank]
    for label in labels:
        extended += [label, blank]
    alpha = np.full(len(extended), -np.inf)
    alpha[0] = log_p[0, blank]
    if labels:
        alpha[1] = log_p[0, extended[1]]
    for t in range(1, len(log_p)):
        previous = alpha.copy()
        for s in range(len(extended)):
            total = previous[s]
            if s >= 1:
                total = np.logaddexp(total, previous[s - 1])
            alpha[s] = total + log_p[t, extended[s]]
    return float(np.logaddexp(alpha[-1], alpha[-2]) if labels else alpha[-1])
''',
    "skips_between_equal_labels": '''
def ctc_log_probability(probabilities, labels, blank=0):
    # Bug: allows the skip from s - 2 even when the two labels are equal, so [1, 1] gains paths that mean [1].
    labels = list(labels)
    if blank in labels:
        raise ValueError("blank in labels")
    with np.errstate(divide="ignore"):
        log_p = np.log(np.asarray(probabilities, dtype=np.float64))
    extended = [blank]
    for label in labels:
        extended += [label, blank]
    alpha = np.full(len(extended), -np.inf)
    alpha[0] = log_p[0, blank]
    if labels:
        alpha[1] = log_p[0, extended[1]]
    for t in range(1, len(log_p)):
        previous = alpha.copy()
        for s in range(len(extended)):
            total = previous[s]
            if s >= 1:
                total = np.logaddexp(total, previous[s - 1])
            if s >= 2 and extended[s] != blank:
                total = np.logaddexp(total, previous[s - 2])
            alpha[s] = total + log_p[t, extended[s]]
    return float(np.logaddexp(alpha[-1], alpha[-2]) if labels else alpha[-1])
''',
    "ends_on_blank_only": '''
def ctc_log_probability(probabilities, labels, blank=0):
    # Bug: only paths that end on the final blank count; paths that end on the last label are lost.
    labels = list(labels)
    if blank in labels:
        raise ValueError("blank in labels")
    with np.errstate(divide="ignore"):
        log_p = np.log(np.asarray(probabilities, dtype=np.float64))
    extended = [blank]
    for label in labels:
        extended += [label, blank]
    alpha = np.full(len(extended), -np.inf)
    alpha[0] = log_p[0, blank]
    if labels:
        alpha[1] = log_p[0, extended[1]]
    for t in range(1, len(log_p)):
        previous = alpha.copy()
        for s in range(len(extended)):
            total = previous[s]
            if s >= 1:
                total = np.logaddexp(total, previous[s - 1])
            if s >= 2 and extended[s] != blank and extended[s] != extended[s - 2]:
                total = np.logaddexp(total, previous[s - 2])
            alpha[s] = total + log_p[t, extended[s]]
    return float(alpha[-1])
''',
    "probabilities_underflow": '''
def ctc_log_probability(probabilities, labels, blank=0):
    # Bug: the recursion runs on plain probabilities and takes the log at the end: long utterances underflow to 0.
    labels = list(labels)
    if blank in labels:
        raise ValueError("blank in labels")
    p = np.asarray(probabilities, dtype=np.float64)
    extended = [blank]
    for label in labels:
        extended += [label, blank]
    alpha = np.zeros(len(extended))
    alpha[0] = p[0, blank]
    if labels:
        alpha[1] = p[0, extended[1]]
    for t in range(1, len(p)):
        previous = alpha.copy()
        for s in range(len(extended)):
            total = previous[s]
            if s >= 1:
                total += previous[s - 1]
            if s >= 2 and extended[s] != blank and extended[s] != extended[s - 2]:
                total += previous[s - 2]
            alpha[s] = total * p[t, extended[s]]
    with np.errstate(divide="ignore"):
        return float(np.log(alpha[-1] + alpha[-2]) if labels else np.log(alpha[-1]))
''',
    "starts_on_blank_only": '''
def ctc_log_probability(probabilities, labels, blank=0):
    # Bug: alpha_0(1) is left at 0 probability, so no path may start with the first label.
    labels = list(labels)
    if blank in labels:
        raise ValueError("blank in labels")
    with np.errstate(divide="ignore"):
        log_p = np.log(np.asarray(probabilities, dtype=np.float64))
    extended = [blank]
    for label in labels:
        extended += [label, blank]
    alpha = np.full(len(extended), -np.inf)
    alpha[0] = log_p[0, blank]
    for t in range(1, len(log_p)):
        previous = alpha.copy()
        for s in range(len(extended)):
            total = previous[s]
            if s >= 1:
                total = np.logaddexp(total, previous[s - 1])
            if s >= 2 and extended[s] != blank and extended[s] != extended[s - 2]:
                total = np.logaddexp(total, previous[s - 2])
            alpha[s] = total + log_p[t, extended[s]]
    return float(np.logaddexp(alpha[-1], alpha[-2]) if labels else alpha[-1])
''',
    "log10_not_ln": '''
def ctc_log_probability(probabilities, labels, blank=0):
    # Bug: base-10 logarithms, so the result is log10 P instead of ln P.
    labels = list(labels)
    if blank in labels:
        raise ValueError("blank in labels")
    with np.errstate(divide="ignore"):
        log_p = np.log10(np.asarray(probabilities, dtype=np.float64))
    add = lambda a, b: np.log10(10.0 ** a + 10.0 ** b) if max(a, b) > -np.inf else -np.inf
    extended = [blank]
    for label in labels:
        extended += [label, blank]
    alpha = np.full(len(extended), -np.inf)
    alpha[0] = log_p[0, blank]
    if labels:
        alpha[1] = log_p[0, extended[1]]
    for t in range(1, len(log_p)):
        previous = alpha.copy()
        for s in range(len(extended)):
            total = previous[s]
            if s >= 1:
                total = add(total, previous[s - 1])
            if s >= 2 and extended[s] != blank and extended[s] != extended[s - 2]:
                total = add(total, previous[s - 2])
            alpha[s] = total + log_p[t, extended[s]]
    return float(add(alpha[-1], alpha[-2]) if labels else alpha[-1])
''',
    "no_blank_check": '''
def ctc_log_probability(probabilities, labels, blank=0):
    # Bug: a blank among the labels is not refused, and the function quietly returns a number.
    labels = list(labels)
    with np.errstate(divide="ignore"):
        log_p = np.log(np.asarray(probabilities, dtype=np.float64))
    extended = [blank]
    for label in labels:
        extended += [label, blank]
    alpha = np.full(len(extended), -np.inf)
    alpha[0] = log_p[0, blank]
    if labels:
        alpha[1] = log_p[0, extended[1]]
    for t in range(1, len(log_p)):
        previous = alpha.copy()
        for s in range(len(extended)):
            total = previous[s]
            if s >= 1:
                total = np.logaddexp(total, previous[s - 1])
            if s >= 2 and extended[s] != blank and extended[s] != extended[s - 2]:
                total = np.logaddexp(total, previous[s - 2])
            alpha[s] = total + log_p[t, extended[s]]
    return float(np.logaddexp(alpha[-1], alpha[-2]) if labels else alpha[-1])
''',
}

EDIT_DISTANCE = {
    "substitution_costs_two": '''
def edit_distance(reference, hypothesis):
    # Bug: no substitutions (only insertions and deletions), so a wrong label costs 2.
    previous = list(range(len(hypothesis) + 1))
    for i, wanted in enumerate(reference, start=1):
        row = [i]
        for j, got in enumerate(hypothesis, start=1):
            row.append(min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] if wanted == got else previous[j - 1] + 2))
        previous = row
    return previous[-1]
''',
    "position_by_position": '''
def edit_distance(reference, hypothesis):
    # Bug: compares position by position and adds the length difference (no alignment).
    mismatches = sum(wanted != got for wanted, got in zip(reference, hypothesis))
    return mismatches + abs(len(reference) - len(hypothesis))
''',
    "first_row_zeros": '''
def edit_distance(reference, hypothesis):
    # Bug: the first row and column start at 0 instead of 0, 1, 2, ... (free insertions at the start).
    previous = [0] * (len(hypothesis) + 1)
    for i, wanted in enumerate(reference, start=1):
        row = [0]
        for j, got in enumerate(hypothesis, start=1):
            row.append(min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + (wanted != got)))
        previous = row
    return previous[-1]
''',
    "min_of_last_row": '''
def edit_distance(reference, hypothesis):
    # Bug: returns the smallest value of the last row instead of its last cell.
    previous = list(range(len(hypothesis) + 1))
    for i, wanted in enumerate(reference, start=1):
        row = [i]
        for j, got in enumerate(hypothesis, start=1):
            row.append(min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + (wanted != got)))
        previous = row
    return min(previous)
''',
    "symmetric_difference_of_sets": '''
def edit_distance(reference, hypothesis):
    # Bug: counts the labels that appear in only one of the two, ignoring order and repeats.
    return len(set(reference) ^ set(hypothesis))
''',
    "diagonal_always_costs": '''
def edit_distance(reference, hypothesis):
    # Bug: the diagonal step always costs 1, even when the two labels match.
    previous = list(range(len(hypothesis) + 1))
    for i, wanted in enumerate(reference, start=1):
        row = [i]
        for j, got in enumerate(hypothesis, start=1):
            row.append(min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + 1))
        previous = row
    return previous[-1]
''',
}

LABEL_ERROR_RATE = {
    "mean_of_utterance_rates": '''
def label_error_rate(references, hypotheses):
    # Bug: averages the per-utterance rates, so a short utterance weighs as much as a long one.
    if len(references) != len(hypotheses):
        raise ValueError("lengths differ")
    rates = [edit_distance(r, h) / len(r) for r, h in zip(references, hypotheses) if len(r) > 0]
    if not rates:
        raise ValueError("no labels")
    return sum(rates) / len(rates)
''',
    "divides_by_hypothesis_length": '''
def label_error_rate(references, hypotheses):
    # Bug: divides by the number of hypothesis labels instead of reference labels.
    if len(references) != len(hypotheses):
        raise ValueError("lengths differ")
    total = sum(len(h) for h in hypotheses)
    if sum(len(r) for r in references) == 0:
        raise ValueError("no labels")
    return sum(edit_distance(r, h) for r, h in zip(references, hypotheses)) / total
''',
    "capped_at_one": '''
def label_error_rate(references, hypotheses):
    # Bug: clips the rate at 1, hiding insertions.
    if len(references) != len(hypotheses):
        raise ValueError("lengths differ")
    total = sum(len(r) for r in references)
    if total == 0:
        raise ValueError("no labels")
    return min(1.0, sum(edit_distance(r, h) for r, h in zip(references, hypotheses)) / total)
''',
    "zip_truncates": '''
def label_error_rate(references, hypotheses):
    # Bug: no check that there is one hypothesis per reference; zip silently drops the extra references.
    pairs = list(zip(references, hypotheses))
    total = sum(len(r) for r, _ in pairs)
    if total == 0:
        raise ValueError("no labels")
    return sum(edit_distance(r, h) for r, h in pairs) / total
''',
    "divides_by_zero": '''
def label_error_rate(references, hypotheses):
    # Bug: empty references are not refused: the division fails with ZeroDivisionError, not a clear ValueError.
    if len(references) != len(hypotheses):
        raise ValueError("lengths differ")
    return sum(edit_distance(r, h) for r, h in zip(references, hypotheses)) / sum(len(r) for r in references)
''',
    "utterance_error_rate": '''
def label_error_rate(references, hypotheses):
    # Bug: the share of utterances with any error (a sentence error rate), not of labels.
    if len(references) != len(hypotheses):
        raise ValueError("lengths differ")
    if sum(len(r) for r in references) == 0:
        raise ValueError("no labels")
    return sum(list(r) != list(h) for r, h in zip(references, hypotheses)) / len(references)
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
    "best_path_decode": BEST_PATH_DECODE,
    "ctc_log_probability": CTC_LOG_PROBABILITY,
    "edit_distance": EDIT_DISTANCE,
    "label_error_rate": LABEL_ERROR_RATE,
}
GRADED_FUNCTIONS = tuple(_SOURCES)
RECURRENT_ANSWERS = ("best_path_decode", "ctc_log_probability", "edit_distance", "label_error_rate")

VARIANTS = variants_from_bug_comments(_SOURCES)

# The test cells that check each answer (grade ids start with these prefixes).
TEST_PREFIXES = {
    "frame_signal": "test_frames_",
    "power_spectrum": "test_power_",
    "mel_scale": "test_mel_scale_",
    "mel_filterbank": "test_filterbank_",
    "log_mel_spectrogram": "test_log_mel_",
    "mfcc": "test_mfcc_",
    "best_path_decode": "test_decode_",
    "ctc_log_probability": "test_ctc_",
    "edit_distance": "test_edit_distance_",
    "label_error_rate": "test_ler_",
}

# Answers that call another answer: their variants go into submissions where that answer is the reference.
DEPENDS_ON = {"mel_filterbank": "mel_scale", "label_error_rate": "edit_distance"}


def grade_ids_checking(function: str, grade_ids) -> list[str]:
    """The grade_ids of the test cells that check ``function``."""
    return grade_ids_with_prefix(TEST_PREFIXES, function, grade_ids)


def submissions_for_variants() -> dict[str, dict[str, Variant]]:
    """Pack the variants into few submissions without blaming a variant for another's lost points.

    Submission k holds the k-th variant of every independent answer. The variants of an answer that
    another answer calls (mel_scale, edit_distance) come after those of its caller, so the two never meet
    in one submission. Returns {student id: {answer grade_id: variant}}.
    """
    by_function = {function: [v for v in VARIANTS if v.function == function] for function in GRADED_FUNCTIONS}
    slots = {function: list(range(len(variants))) for function, variants in by_function.items()}
    for caller, callee in DEPENDS_ON.items():
        first_free = len(by_function[caller])
        slots[callee] = [first_free + index for index in range(len(by_function[callee]))]
    submissions = {}
    for function, variants in by_function.items():
        for slot, variant in zip(slots[function], variants):
            submissions.setdefault(f"variants{slot:02d}", {})[function] = variant
    return dict(sorted(submissions.items()))


# ---------------------------------------------------------------------------------------------------------
# Correct answers written another way: each must get full marks.

LOOPS = {
    "frame_signal": '''
def frame_signal(waveform, frame_length=512, hop_length=256):
    # Correct: reflection written out by hand, one frame at a time.
    signal = [float(value) for value in waveform]
    half = frame_length // 2
    padded = signal[half:0:-1] + signal + signal[-2:-half - 2:-1]
    window = [0.5 - 0.5 * math.cos(2 * math.pi * n / frame_length) for n in range(frame_length)]
    frames = []
    for t in range(1 + len(signal) // hop_length):
        start = t * hop_length
        frames.append([padded[start + n] * window[n] for n in range(frame_length)])
    return np.array(frames)
''',
    "power_spectrum": '''
def power_spectrum(frames, fft_length=512):
    # Correct: the full complex FFT, real^2 + imag^2, first half kept.
    spectrum = np.fft.fft(np.asarray(frames, dtype=np.float64), n=fft_length, axis=1)[:, :fft_length // 2 + 1]
    return spectrum.real ** 2 + spectrum.imag ** 2
''',
    "mel_scale": '''
def hz_to_mel(frequency_hz):
    # Correct: ln written as log10 / log10(e).
    return 1127.0 * np.log10(1.0 + np.asarray(frequency_hz, dtype=np.float64) / 700.0) / np.log10(np.e)


def mel_to_hz(mel):
    return 700.0 * (np.exp(np.asarray(mel, dtype=np.float64) / 1127.0) - 1.0)
''',
    "mel_filterbank": '''
def mel_filterbank(num_mel_bins=40, fft_length=512, sample_rate=16000, lower_hz=20.0, upper_hz=8000.0):
    # Correct: two loops, filter by filter and bin by bin.
    step = (float(hz_to_mel(upper_hz)) - float(hz_to_mel(lower_hz))) / (num_mel_bins + 1)
    edges = [float(hz_to_mel(lower_hz)) + step * index for index in range(num_mel_bins + 2)]
    weights = np.zeros((fft_length // 2 + 1, num_mel_bins))
    for k in range(1, fft_length // 2 + 1):
        mel = float(hz_to_mel(k * sample_rate / fft_length))
        for m in range(num_mel_bins):
            left, centre, right = edges[m], edges[m + 1], edges[m + 2]
            if left < mel <= centre:
                weights[k, m] = (mel - left) / (centre - left)
            elif centre < mel < right:
                weights[k, m] = (right - mel) / (right - centre)
    return weights
''',
    "log_mel_spectrogram": '''
def log_mel_spectrogram(power, filterbank, top_db=80.0, min_power=1e-10):
    # Correct: the floor applied to the energies with np.clip, the top_db floor with np.where.
    energies = np.clip(np.asarray(power, dtype=np.float64) @ np.asarray(filterbank, dtype=np.float64), min_power, None)
    decibels = 10.0 * np.log(energies) / np.log(10.0)
    lowest = decibels.max() - top_db
    return np.where(decibels < lowest, lowest, decibels)
''',
    "mfcc": '''
def mfcc(log_mel, num_coefficients=13):
    # Correct: one coefficient at a time.
    log_mel = np.asarray(log_mel, dtype=np.float64)
    bands = log_mel.shape[1]
    columns = []
    for k in range(num_coefficients):
        basis = np.cos(np.pi * k * (np.arange(bands) + 0.5) / bands)
        scale = math.sqrt((1.0 if k == 0 else 2.0) / bands)
        columns.append(scale * (log_mel * basis).sum(axis=1))
    return np.stack(columns, axis=1)
''',
    "best_path_decode": '''
def best_path_decode(probabilities, blank=0):
    # Correct: itertools.groupby merges the runs.
    path = [int(np.argmax(row)) for row in np.asarray(probabilities)]
    return [symbol for symbol, _ in itertools.groupby(path) if symbol != blank]
''',
    "ctc_log_probability": '''
def ctc_log_probability(probabilities, labels, blank=0):
    # Correct: probabilities rescaled to sum 1 at every frame; the log of the scales is added up.
    labels = [int(label) for label in labels]
    if any(label == blank for label in labels):
        raise ValueError("the labels contain the blank")
    p = np.asarray(probabilities, dtype=np.float64)
    states = [blank]
    for label in labels:
        states += [label, blank]
    alpha = np.zeros(len(states))
    alpha[0] = p[0, blank]
    if labels:
        alpha[1] = p[0, states[1]]
    log_scale = 0.0
    for t in range(len(p)):
        if t > 0:
            new = alpha.copy()
            new[1:] += alpha[:-1]
            for s in range(2, len(states)):
                if states[s] != blank and states[s] != states[s - 2]:
                    new[s] += alpha[s - 2]
            alpha = new * p[t, states]
        total = alpha.sum()
        if total == 0:
            return -math.inf
        log_scale += math.log(total)
        alpha = alpha / total
    end = alpha[-1] + (alpha[-2] if labels else 0.0)
    return -math.inf if end == 0 else log_scale + math.log(end)
''',
    "edit_distance": '''
def edit_distance(reference, hypothesis):
    # Correct: the whole table in a NumPy array.
    table = np.zeros((len(reference) + 1, len(hypothesis) + 1), dtype=int)
    table[:, 0] = np.arange(len(reference) + 1)
    table[0, :] = np.arange(len(hypothesis) + 1)
    for i in range(1, len(reference) + 1):
        for j in range(1, len(hypothesis) + 1):
            substitution = table[i - 1, j - 1] + (reference[i - 1] != hypothesis[j - 1])
            table[i, j] = min(table[i - 1, j] + 1, table[i, j - 1] + 1, substitution)
    return int(table[-1, -1])
''',
    "label_error_rate": '''
def label_error_rate(references, hypotheses):
    # Correct: errors and lengths counted in one loop.
    if len(references) != len(hypotheses):
        raise ValueError("give one hypothesis per reference")
    errors = labels = 0
    for reference, hypothesis in zip(references, hypotheses):
        errors += edit_distance(list(reference), list(hypothesis))
        labels += len(reference)
    if labels == 0:
        raise ValueError("the references are empty")
    return errors / labels
''',
}

VECTORISED = {
    "frame_signal": '''
def frame_signal(waveform, frame_length=512, hop_length=256):
    # Correct: a strided view of the padded signal.
    padded = np.pad(np.asarray(waveform, dtype=np.float64), frame_length // 2, mode="reflect")
    frames = np.lib.stride_tricks.sliding_window_view(padded, frame_length)[::hop_length]
    return frames * np.hanning(frame_length + 1)[:-1]
''',
    "power_spectrum": '''
def power_spectrum(frames, fft_length=512):
    # Correct: pad by hand, then |rfft|^2 as X times its conjugate.
    frames = np.asarray(frames, dtype=np.float64)
    padded = np.zeros((frames.shape[0], fft_length))
    padded[:, :frames.shape[1]] = frames
    spectrum = np.fft.rfft(padded, axis=1)
    return (spectrum * np.conj(spectrum)).real
''',
    "mel_scale": '''
def hz_to_mel(frequency_hz):
    # Correct: the log of a ratio.
    return 1127.0 * (np.log(700.0 + np.asarray(frequency_hz, dtype=np.float64)) - np.log(700.0))


def mel_to_hz(mel):
    return 700.0 * np.expm1(np.asarray(mel, dtype=np.float64) / 1127.0)
''',
    "mel_filterbank": '''
def mel_filterbank(num_mel_bins=40, fft_length=512, sample_rate=16000, lower_hz=20.0, upper_hz=8000.0):
    # Correct: np.interp draws each triangle through its three edges.
    bin_mels = hz_to_mel(np.arange(fft_length // 2 + 1) * sample_rate / fft_length)
    edges = np.linspace(hz_to_mel(lower_hz), hz_to_mel(upper_hz), num_mel_bins + 2)
    weights = np.stack([np.interp(bin_mels, edges[m:m + 3], [0.0, 1.0, 0.0], left=0.0, right=0.0)
                        for m in range(num_mel_bins)], axis=1)
    weights[0] = 0.0
    return weights
''',
    "log_mel_spectrogram": '''
def log_mel_spectrogram(power, filterbank, top_db=80.0, min_power=1e-10):
    # Correct: the peak found before the logarithm (the logarithm is increasing).
    energies = np.maximum(np.einsum("tf,fm->tm", np.asarray(power, dtype=np.float64), np.asarray(filterbank, dtype=np.float64)), min_power)
    floor = 10.0 * np.log10(energies.max()) - top_db
    return np.maximum(10.0 * np.log10(energies), floor)
''',
    "mfcc": '''
def mfcc(log_mel, num_coefficients=13):
    # Correct: the DCT-II through an FFT of the mirrored frame.
    log_mel = np.asarray(log_mel, dtype=np.float64)
    bands = log_mel.shape[1]
    mirrored = np.concatenate([log_mel, log_mel[:, ::-1]], axis=1)
    k = np.arange(bands)
    coefficients = (np.exp(-1j * np.pi * k / (2 * bands)) * np.fft.fft(mirrored, axis=1)[:, :bands]).real / 2
    coefficients *= np.where(k == 0, np.sqrt(1.0 / bands), np.sqrt(2.0 / bands))
    return coefficients[:, :num_coefficients]
''',
    "best_path_decode": '''
def best_path_decode(probabilities, blank=0):
    # Correct: a boolean mask of the frames that start a new run and are not blank.
    path = np.asarray(probabilities).argmax(axis=-1)
    starts = np.concatenate([[True], path[1:] != path[:-1]])
    return path[starts & (path != blank)].tolist()
''',
    "ctc_log_probability": '''
def ctc_log_probability(probabilities, labels, blank=0):
    # Correct: whole-vector log-space updates with a skip mask.
    labels = np.asarray(labels, dtype=int).reshape(-1)
    if np.any(labels == blank):
        raise ValueError("a label equals the blank")
    extended = np.full(2 * len(labels) + 1, blank)
    extended[1::2] = labels
    can_skip = np.zeros(len(extended), dtype=bool)
    can_skip[2:] = (extended[2:] != blank) & (extended[2:] != extended[:-2])
    with np.errstate(divide="ignore"):
        log_p = np.log(np.asarray(probabilities, dtype=np.float64))[:, extended]
    alpha = np.full(len(extended), -np.inf)
    alpha[:2] = log_p[0, :2]
    for t in range(1, len(log_p)):
        shifted = np.concatenate([[-np.inf], alpha[:-1]])
        skipped = np.where(can_skip, np.concatenate([[-np.inf, -np.inf], alpha[:-2]])[:len(alpha)], -np.inf)
        alpha = np.logaddexp.reduce(np.stack([alpha, shifted, skipped]), axis=0) + log_p[t]
    return float(np.logaddexp.reduce(alpha[-2:])) if len(labels) else float(alpha[0])
''',
    "edit_distance": '''
from functools import lru_cache


def edit_distance(reference, hypothesis):
    # Correct: the recursive definition, memoised.
    reference, hypothesis = tuple(reference), tuple(hypothesis)

    @lru_cache(maxsize=None)
    def distance(i, j):
        if i == 0 or j == 0:
            return i + j
        return min(distance(i - 1, j) + 1, distance(i, j - 1) + 1,
                   distance(i - 1, j - 1) + (reference[i - 1] != hypothesis[j - 1]))

    return distance(len(reference), len(hypothesis))
''',
    "label_error_rate": '''
def label_error_rate(references, hypotheses):
    # Correct: NumPy sums, and the checks after the arithmetic's inputs are known.
    if len(references) != len(hypotheses):
        raise ValueError("references and hypotheses differ in number")
    lengths = np.array([len(reference) for reference in references])
    if lengths.sum() == 0:
        raise ValueError("no reference labels")
    distances = np.array([edit_distance(r, h) for r, h in zip(references, hypotheses)])
    return float(distances.sum() / lengths.sum())
''',
}

OTHER_ORDER = {
    "best_path_decode": '''
def best_path_decode(probabilities, blank=0):
    # Correct: walks the frames backwards and reverses at the end.
    path = np.argmax(probabilities, axis=1).tolist()
    transcript = []
    for index in range(len(path) - 1, -1, -1):
        is_new_run = index == 0 or path[index - 1] != path[index]
        if is_new_run and path[index] != blank:
            transcript.append(path[index])
    return transcript[::-1]
''',
    "ctc_log_probability": '''
def ctc_log_probability(probabilities, labels, blank=0):
    # Correct: the backward recursion (beta), from the last frame to the first.
    labels = list(labels)
    if blank in labels:
        raise ValueError("labels must not include the blank")
    with np.errstate(divide="ignore"):
        log_p = np.log(np.asarray(probabilities, dtype=np.float64))
    extended = [blank]
    for label in labels:
        extended += [label, blank]
    size = len(extended)
    beta = np.full(size, -np.inf)
    beta[size - 1] = log_p[-1, extended[size - 1]]
    if size > 1:
        beta[size - 2] = log_p[-1, extended[size - 2]]
    for t in range(len(log_p) - 2, -1, -1):
        later = beta
        beta = np.full(size, -np.inf)
        for s in range(size):
            total = later[s]
            if s + 1 < size:
                total = np.logaddexp(total, later[s + 1])
            if s + 2 < size and extended[s] != blank and extended[s] != extended[s + 2]:
                total = np.logaddexp(total, later[s + 2])
            beta[s] = total + log_p[t, extended[s]]
    return float(np.logaddexp(beta[0], beta[1]) if size > 1 else beta[0])
''',
    "edit_distance": '''
def edit_distance(reference, hypothesis):
    # Correct: the table filled column by column, over the hypothesis first.
    column = list(range(len(reference) + 1))
    for j in range(1, len(hypothesis) + 1):
        new = [j]
        for i in range(1, len(reference) + 1):
            new.append(min(column[i] + 1, new[i - 1] + 1, column[i - 1] + (reference[i - 1] != hypothesis[j - 1])))
        column = new
    return column[-1]
''',
    "frame_signal": '''
def frame_signal(waveform, frame_length=512, hop_length=256):
    # Correct: the window applied to the padded signal's copies after indexing, with an index matrix.
    waveform = np.asarray(waveform, dtype=np.float64)
    count = len(waveform) // hop_length + 1
    centres = np.arange(count) * hop_length
    index = centres[:, None] + np.arange(frame_length) - frame_length // 2
    index = np.abs(index)  # reflect at the start
    last = len(waveform) - 1
    index = np.where(index > last, 2 * last - index, index)  # reflect at the end
    window = np.sin(np.pi * np.arange(frame_length) / frame_length) ** 2  # = 0.5 - 0.5 cos(2 pi n / N)
    return waveform[index] * window
''',
}

# name -> {answer grade_id: source}; answers not given keep the reference solution.
CORRECT_ALTERNATIVES = {"loops": LOOPS, "vectorised": VECTORISED, "other_order": OTHER_ORDER}


# ---------------------------------------------------------------------------------------------------------
# Answers that only import the course package (issue 17: `from rnncourse.features import *` scored 19/30).
# The package holds no answer now and the setup cell declares it off limits, so nothing here is the
# student's own work: it must score 0.
COURSE_IMPORT = {grade_id: "from rnncourse.features import *\nfrom rnncourse import features"
                 for grade_id in ("frame_signal", "power_spectrum", "mel_scale", "mel_filterbank",
                                  "log_mel_spectrogram", "mfcc", "best_path_decode", "ctc_log_probability",
                                  "edit_distance", "label_error_rate")}
COURSE_IMPORT["mel_filterbank"] += "\nmel_filterbank = lambda *arguments, **keywords: features.mel_layer().linear_to_mel_weight_matrix()"
COURSE_IMPORT_POINTS = 0


# Lesson 06's own code (section 2, keras.ops) pasted into the feature answers, and lesson 07's library
# calls (keras.ops.ctc_decode, editdistance) into the sequence answers. Keras and editdistance are off
# limits, and nothing in the lessons is NumPy code for these steps: at most a third of the points.
COURSE_COPY = {
    "frame_signal": '''
from keras import ops


def frame_signal(waveform, frame_length=512, hop_length=256):
    padded = ops.pad(ops.convert_to_tensor(waveform), [(frame_length // 2, frame_length // 2)], mode="reflect")
    frames_unwindowed = ops.convert_to_numpy(ops.extract_sequences(padded, frame_length, hop_length))
    hann = ops.convert_to_numpy(ops.hanning(frame_length + 1))[:-1]
    return frames_unwindowed * hann
''',
    "power_spectrum": '''
from keras import ops


def power_spectrum(frames, fft_length=512):
    real, imaginary = ops.rfft(ops.convert_to_tensor(frames), fft_length)
    return ops.convert_to_numpy(real**2 + imaginary**2)
''',
    "mel_scale": '''
from rnncourse import features


def hz_to_mel(frequency_hz):
    return features._keras_mel(frequency_hz)


def mel_to_hz(mel):
    raise NotImplementedError()
''',
    "mel_filterbank": '''
from keras import ops
from rnncourse import features


def mel_filterbank(num_mel_bins=40, fft_length=512, sample_rate=16000, lower_hz=20.0, upper_hz=8000.0):
    return ops.convert_to_numpy(features.mel_layer().linear_to_mel_weight_matrix(
        num_mel_bins, fft_length // 2 + 1, sample_rate, lower_hz, upper_hz))
''',
    "log_mel_spectrogram": '''
from keras import ops


def log_mel_spectrogram(power, filterbank, top_db=80.0, min_power=1e-10):
    values = 10.0 * ops.log10(ops.maximum(ops.convert_to_tensor(power @ filterbank), min_power))
    return ops.convert_to_numpy(ops.maximum(values, ops.max(values) - top_db))
''',
    "mfcc": '''
from rnncourse import features


def mfcc(log_mel, num_coefficients=13):
    return features.keras_mfcc_from_log_mel(log_mel[None], with_deltas=False)[0][:, :num_coefficients]
''',
    "best_path_decode": '''
import keras


def best_path_decode(probabilities, blank=0):
    decoded, _ = keras.ops.ctc_decode(probabilities[None], [len(probabilities)], strategy="greedy", mask_index=blank)
    return [int(label) for label in keras.ops.convert_to_numpy(decoded)[0, 0] if label >= 0]
''',
    "ctc_log_probability": '''
import keras


def ctc_log_probability(probabilities, labels, blank=0):
    logits = keras.ops.log(keras.ops.convert_to_tensor(probabilities[None], dtype="float32"))
    loss = keras.ops.ctc_loss([labels], logits, [len(labels)], [len(probabilities)], mask_index=blank)
    return -float(keras.ops.convert_to_numpy(loss)[0])
''',
    "edit_distance": '''
import editdistance


def edit_distance(reference, hypothesis):
    return editdistance.eval(reference, hypothesis)
''',
    "label_error_rate": '''
import editdistance


def label_error_rate(references, hypotheses):
    return sum(editdistance.eval(r, h) for r, h in zip(references, hypotheses)) / sum(len(r) for r in references)
''',
}
