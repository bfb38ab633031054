"""Instructor-only reference for assignment A3 ("listen"): the expected values of its hidden tests.

This module is never importable from a student's kernel (the sandbox does not bind grading/) and is not in
the student bundle. The judge imports it in hidden test blocks only (CONTRIBUTING.md, "the judge's
test-cell form"). tests/test_features.py checks the feature chain against rnncourse.features (Keras) and
tests/test_a3_listen.py checks the sequence part against keras.ops.ctc_decode, keras.ops.ctc_loss and the
pinned `editdistance`.

Part A, the feature chain in NumPy (float64). Every function works on the last axis, so a batch of
waveforms works as well as one waveform::

    frames   = frame_signal(waveform)                 # (..., frames, frame_length), centred, Hann-windowed
    power    = power_spectrum(frames)                 # (..., frames, fft_length // 2 + 1)  |FFT|^2
    log_mel  = log_mel_spectrogram(power, mel_filterbank())   # decibels, at most TOP_DB below the clip's peak
    mfccs    = mfcc(log_mel)                          # DCT-II (orthonormal), first coefficients

Conventions follow Keras (keras.layers.MelSpectrogram): periodic Hann window, frames centred on
t * hop_length with reflect padding, HTK mel scale (1127 ln(1 + f / 700)), triangles linear in mel, 0 Hz
bin excluded.

Part B, sequence recognition: best-path CTC decoding, the CTC log-probability of a label sequence by the
forward recursion, edit distance and label error rate; blank index 0 by default, as keras.ops.ctc_decode
(mask_index=0). ``tiny_recogniser_probabilities`` runs a small GRU trained with CTC on a toy task
(``toy_utterances``) with fixed weights (``TINY_RECOGNISER``), in NumPy so that grading needs no Keras.
"""
import functools

import numpy as np

SAMPLE_RATE = 16_000
FRAME_LENGTH = 512
HOP_LENGTH = 256
FFT_LENGTH = 512
NUM_MEL_BINS = 40
LOWER_HZ, UPPER_HZ = 20.0, 8000.0
NUM_MFCC = 13
MIN_POWER = 1e-10
TOP_DB = 80.0


# ---------------------------------------------------------------------------------------------------------
# Part A: the feature chain

def hann_window(length: int) -> np.ndarray:
    """Periodic Hann window 0.5 - 0.5 cos(2 pi n / length)."""
    return 0.5 - 0.5 * np.cos(2 * np.pi * np.arange(length) / length)


def frame_signal(waveform, frame_length: int = FRAME_LENGTH, hop_length: int = HOP_LENGTH, window: bool = True) -> np.ndarray:
    """Frames centred on t * hop_length (reflect padding of frame_length // 2 at both ends), Hann-windowed:
    (..., 1 + samples // hop_length, frame_length)."""
    waveform = np.asarray(waveform, dtype=np.float64)
    half = frame_length // 2
    padded = np.pad(waveform, [(0, 0)] * (waveform.ndim - 1) + [(half, half)], mode="reflect")
    frames = np.lib.stride_tricks.sliding_window_view(padded, frame_length, axis=-1)[..., ::hop_length, :]
    return frames * hann_window(frame_length) if window else frames.copy()


def power_spectrum(frames, fft_length: int = FFT_LENGTH) -> np.ndarray:
    """|rfft|^2 of each frame, zero-padded to fft_length: (..., frames, fft_length // 2 + 1)."""
    return np.abs(np.fft.rfft(np.asarray(frames, dtype=np.float64), n=fft_length, axis=-1)) ** 2


def hz_to_mel(frequency_hz):
    return 1127.0 * np.log1p(np.asarray(frequency_hz, dtype=np.float64) / 700.0)


def mel_to_hz(mel):
    return 700.0 * np.expm1(np.asarray(mel, dtype=np.float64) / 1127.0)


def mel_filterbank(num_mel_bins: int = NUM_MEL_BINS, fft_length: int = FFT_LENGTH, sample_rate: int = SAMPLE_RATE,
                   lower_hz: float = LOWER_HZ, upper_hz: float = UPPER_HZ) -> np.ndarray:
    """Triangles linear in mel between num_mel_bins + 2 equally spaced edges: (fft_length // 2 + 1, num_mel_bins)."""
    bin_mels = hz_to_mel(np.linspace(0.0, sample_rate / 2, fft_length // 2 + 1))[:, None]
    edges = np.linspace(hz_to_mel(lower_hz), hz_to_mel(upper_hz), num_mel_bins + 2)
    lower, centre, upper = edges[:-2], edges[1:-1], edges[2:]
    weights = np.maximum(0.0, np.minimum((bin_mels - lower) / (centre - lower), (upper - bin_mels) / (upper - centre)))
    weights[0] = 0.0
    return weights


def power_to_db(power, top_db: float = TOP_DB, min_power: float = MIN_POWER) -> np.ndarray:
    """10 log10(max(power, min_power)), raised to at least (the clip's peak - top_db); a clip is the last two axes."""
    decibels = 10.0 * np.log10(np.maximum(power, min_power))
    return np.maximum(decibels, decibels.max(axis=(-2, -1), keepdims=True) - top_db)


def log_mel_spectrogram(power, filterbank, top_db: float = TOP_DB, min_power: float = MIN_POWER) -> np.ndarray:
    """A3's signature: decibels of the mel energies power @ filterbank."""
    return power_to_db(np.asarray(power, dtype=np.float64) @ filterbank, top_db, min_power)


def dct_matrix(num_inputs: int, num_outputs: int) -> np.ndarray:
    """Orthonormal DCT-II as a (num_inputs, num_outputs) matrix."""
    n = np.arange(num_inputs)[:, None]
    k = np.arange(num_outputs)[None, :]
    scale = np.where(k == 0, np.sqrt(1.0 / num_inputs), np.sqrt(2.0 / num_inputs))
    return scale * np.cos(np.pi * k * (2 * n + 1) / (2 * num_inputs))


def mfcc(log_mel, num_coefficients: int = NUM_MFCC) -> np.ndarray:
    log_mel = np.asarray(log_mel, dtype=np.float64)
    return log_mel @ dct_matrix(log_mel.shape[-1], num_coefficients)


def deltas(features, width: int = 2) -> np.ndarray:
    """Regression slope over +-width frames along axis -2; the edges repeat the first and last frame."""
    features = np.asarray(features, dtype=np.float64)
    frames = features.shape[-2]
    padded = np.pad(features, [(0, 0)] * (features.ndim - 2) + [(width, width), (0, 0)], mode="edge")
    slope = sum(k * (padded[..., width + k: width + k + frames, :] - padded[..., width - k: width - k + frames, :])
                for k in range(1, width + 1))
    return slope / (2 * sum(k * k for k in range(1, width + 1)))


def numpy_features(waveforms, kind: str = "mfcc", with_deltas: bool = True, sample_rate: int = SAMPLE_RATE) -> np.ndarray:
    """The whole chain, as rnncourse.features.keras_features computes it with Keras: (..., frames, features)."""
    if kind not in ("mfcc", "log_mel"):
        raise ValueError(f"unknown feature kind {kind!r}; choose 'mfcc' or 'log_mel'")
    log_mel = log_mel_spectrogram(power_spectrum(frame_signal(waveforms)), mel_filterbank(sample_rate=sample_rate))
    if kind == "log_mel":
        return log_mel
    coefficients = mfcc(log_mel)
    if not with_deltas:
        return coefficients
    first = deltas(coefficients)
    return np.concatenate([coefficients, first, deltas(first)], axis=-1)


@functools.lru_cache(maxsize=None)
def test_signals(sample_rate: int = SAMPLE_RATE) -> dict:
    """Generated signals for the hidden tests: a sine sweep, clicks, noise, a vowel-like burst, silence
    (made once per grading process; callers only read them)."""
    time = np.arange(sample_rate // 2) / sample_rate
    rng = np.random.default_rng(11)
    clicks = np.zeros(sample_rate // 2)
    clicks[::1600] = 1.0
    vowel = sum(np.sin(2 * np.pi * 120 * harmonic * time) / harmonic for harmonic in range(1, 30))
    vowel *= np.exp(-((time - 0.25) / 0.08) ** 2)
    return {
        "sine sweep": np.sin(2 * np.pi * (100 * time + (6000 - 100) / (2 * 0.5) * time ** 2)),
        "clicks": clicks,
        "white noise": 0.3 * rng.standard_normal(sample_rate // 3),
        "vowel-like burst": 0.5 * vowel,
        "silence": np.zeros(3000),
    }


# ---------------------------------------------------------------------------------------------------------
# Part B: sequence recognition

def best_path_decode(probabilities, blank: int = 0) -> list:
    """The most likely class of each frame, repeats merged, blanks dropped: a list of label ints."""
    best = np.argmax(np.asarray(probabilities), axis=-1)
    labels, previous = [], None
    for symbol in best.tolist():
        if symbol != previous and symbol != blank:
            labels.append(int(symbol))
        previous = symbol
    return labels


def ctc_log_probability(probabilities, labels, blank: int = 0) -> float:
    """ln P(labels | frames): the sum over every alignment that collapses to ``labels``, by the forward
    recursion over the blank-extended label sequence (Graves et al. 2006), in log space."""
    labels = [int(label) for label in labels]
    if blank in labels:
        raise ValueError("labels must not contain the blank")
    with np.errstate(divide="ignore"):
        log_probabilities = np.log(np.asarray(probabilities, dtype=np.float64))
    extended = [blank]
    for label in labels:
        extended += [label, blank]
    frames, states = len(log_probabilities), len(extended)
    alpha = np.full(states, -np.inf)
    alpha[0] = log_probabilities[0, blank]
    if states > 1:
        alpha[1] = log_probabilities[0, extended[1]]
    for frame in range(1, frames):
        stay = alpha
        advance = np.concatenate([[-np.inf], alpha[:-1]])
        skip = np.concatenate([[-np.inf, -np.inf], alpha[:-2]])[:states]
        allowed = np.array([s >= 2 and extended[s] != blank and extended[s] != extended[s - 2] for s in range(states)])
        skip = np.where(allowed, skip, -np.inf)
        alpha = np.logaddexp(np.logaddexp(stay, advance), skip) + log_probabilities[frame, extended]
    return float(np.logaddexp(alpha[-1], alpha[-2]) if states > 1 else alpha[-1])


def edit_distance(reference, hypothesis) -> int:
    """Levenshtein distance: the fewest substitutions, insertions and deletions that turn one into the other."""
    previous = list(range(len(hypothesis) + 1))
    for i, wanted in enumerate(reference, start=1):
        current = [i]
        for j, got in enumerate(hypothesis, start=1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (wanted != got)))
        previous = current
    return previous[-1]


def pinned_edit_distance(reference, hypothesis) -> int:
    """The pinned `editdistance` package (requirements.txt), an implementation independent of ours."""
    import editdistance

    return int(editdistance.eval(list(reference), list(hypothesis)))


def label_error_rate(references, hypotheses) -> float:
    """Total edit distance over total reference length."""
    if len(references) != len(hypotheses):
        raise ValueError("one hypothesis per reference")
    total = sum(len(reference) for reference in references)
    if total == 0:
        raise ValueError("the references hold no labels")
    return sum(edit_distance(list(r), list(h)) for r, h in zip(references, hypotheses)) / total


# ---------------------------------------------------------------------------------------------------------
# A small recogniser trained with CTC on a toy task, to test decoding on a real model's outputs

TOY_SYMBOLS = 4  # labels 1 ... 4; class 0 is the blank
TOY_FEATURES = 6
TOY_FRAMES = 48
TOY_NOISE = 0.7


def toy_prototypes() -> np.ndarray:
    """One feature vector per class; row 0 (silence) is zero."""
    prototypes = np.zeros((TOY_SYMBOLS + 1, TOY_FEATURES))
    prototypes[1:] = np.random.default_rng(0).normal(0.0, 1.0, size=(TOY_SYMBOLS, TOY_FEATURES))
    return prototypes


def toy_utterances(count: int, seed: int):
    """(inputs (count, TOY_FRAMES, TOY_FEATURES) float32, label lists): 2 to 5 symbols, each held 2 to 5
    frames after a gap of 0 to 3 silent frames (at least 1 before a repeated symbol), plus Gaussian noise."""
    rng = np.random.default_rng(seed)
    prototypes = toy_prototypes()
    inputs = rng.normal(0.0, TOY_NOISE, size=(count, TOY_FRAMES, TOY_FEATURES))
    transcripts = []
    for row in range(count):
        labels, frame = [], 0
        for _ in range(rng.integers(2, 6)):
            label = int(rng.integers(1, TOY_SYMBOLS + 1))
            frame += int(rng.integers(1 if labels and labels[-1] == label else 0, 4))
            duration = int(rng.integers(2, 6))
            inputs[row, frame: frame + duration] += prototypes[label]
            frame += duration
            labels.append(label)
        transcripts.append(labels)
    return inputs.astype(np.float32), transcripts


def _sigmoid(values):
    return 1.0 / (1.0 + np.exp(-values))


def tiny_recogniser_probabilities(inputs, weights=None) -> np.ndarray:
    """Per-frame class probabilities (count, frames, TOY_SYMBOLS + 1) of the GRU(12) -> Dense -> softmax model,
    computed in NumPy exactly as keras.layers.GRU (reset_after=True, gates z, r, h) computes it."""
    weights = TINY_RECOGNISER if weights is None else weights
    kernel, recurrent, bias, dense, dense_bias = (np.asarray(weights[name], dtype=np.float64) for name in
                                                  ("kernel", "recurrent_kernel", "bias", "dense_kernel", "dense_bias"))
    inputs = np.asarray(inputs, dtype=np.float64)
    units = recurrent.shape[0]
    state = np.zeros((len(inputs), units))
    outputs = []
    for frame in range(inputs.shape[1]):
        from_input = inputs[:, frame] @ kernel + bias[0]
        from_state = state @ recurrent + bias[1]
        update = _sigmoid(from_input[:, :units] + from_state[:, :units])
        reset = _sigmoid(from_input[:, units:2 * units] + from_state[:, units:2 * units])
        candidate = np.tanh(from_input[:, 2 * units:] + reset * from_state[:, 2 * units:])
        state = update * state + (1 - update) * candidate
        outputs.append(state)
    logits = np.stack(outputs, axis=1) @ dense + dense_bias
    logits -= logits.max(axis=-1, keepdims=True)
    return np.exp(logits) / np.exp(logits).sum(axis=-1, keepdims=True)


def train_tiny_recogniser(epochs: int = 30, seed: int = 1) -> dict:
    """How TINY_RECOGNISER was made (Keras 3.15, TensorFlow, CPU; about a minute):
    `python -c "from grading.references.a3_listen import train_tiny_recogniser as t; print(t())"`."""
    import keras

    keras.utils.set_random_seed(seed)
    inputs, transcripts = toy_utterances(4000, seed=100)
    targets = np.zeros((len(transcripts), 5), dtype="int32")
    for row, labels in enumerate(transcripts):
        targets[row, :len(labels)] = labels
    model = keras.Sequential([keras.Input((TOY_FRAMES, TOY_FEATURES)),
                              keras.layers.GRU(12, return_sequences=True),
                              keras.layers.Dense(TOY_SYMBOLS + 1)])  # logits: keras.losses.CTC applies the softmax
    model.compile(optimizer=keras.optimizers.Adam(1e-2), loss=keras.losses.CTC())
    model.fit(inputs, targets, epochs=epochs, batch_size=64, verbose=0)
    kernel, recurrent, bias = (weight.tolist() for weight in model.layers[0].get_weights())
    dense, dense_bias = (weight.tolist() for weight in model.layers[1].get_weights())
    return {"kernel": kernel, "recurrent_kernel": recurrent, "bias": bias, "dense_kernel": dense, "dense_bias": dense_bias}


# Weights of GRU(12) -> Dense(5) after train_tiny_recogniser() (7 significant digits). On 500 new toy
# utterances (toy_utterances(500, seed=7)) its best-path transcripts have a label error rate of 0.157.
TINY_RECOGNISER = {
    "kernel": [
        [0.4410152, 0.07916144, 0.1066113, 0.006957999, -0.1059102, -0.093716, 0.01776101, -0.2031092, 0.5714346, 0.1878, -0.09228417, 0.04749242, 1.430191, 0.9930305, 0.3347848, 1.423686, 0.5176913, -1.810802, -0.9138353, -0.5133767, -0.09899572, -0.1988268, -0.5533409, -0.3897384, -0.6560264, -0.0009410093, 0.2521592, 0.2759969, -0.05975643, -0.420917, -0.3559818, 0.5140067, -0.4440214, -0.3639764, 0.08391098, -0.09293079],
        [-0.7843577, 0.03722838, -0.1659647, -0.1066691, -0.02147208, -0.6322528, -0.2567526, -0.2083647, 0.5054336, -0.4353445, -0.2895212, 0.07606821, -0.1763664, -0.652625, 0.4999806, 0.3107813, -0.1582319, 0.1759362, -0.4331038, 0.2622772, -0.3986839, -0.1758708, -1.104199, 0.4817216, -0.2850665, -0.03461067, -0.1619691, 0.2625072, -0.01531378, -0.4927488, 0.4464796, 0.329696, -0.5411073, -0.08709709, 0.01551661, 0.1088707],
        [0.4495044, 0.5425534, 0.1847307, 0.2836292, 0.2556787, 0.1852468, -0.04777234, 0.01148287, 0.06690447, -0.1588038, 0.1086922, 0.2634743, 0.4539302, 0.9215736, -0.5669686, -0.5356095, 0.009278446, -1.160078, 0.2297878, -0.5504615, -0.1582021, 0.5613483, -0.181167, -0.7207624, -0.3294677, 0.5745419, -0.00396068, -0.3127645, -0.2029793, 0.4680676, -0.218863, -0.4640348, 0.03740611, -0.0172006, -0.7565255, 0.1461214],
        [-0.4188614, 0.2217295, -0.2601861, -0.1425184, 0.34937, -0.2963046, 0.6974034, -0.2368001, 0.2069553, -0.1006399, -0.2764247, 0.04724042, 0.2571289, 0.4129348, -0.03492708, -0.6217489, 0.7644043, -1.068941, -0.8342345, 0.9124181, -0.9760351, 0.5132148, 0.560541, 0.3692778, -0.2398852, 0.2341224, -0.3236471, 0.2080878, -0.2653403, -0.3371941, 0.6585389, -0.6674718, -0.3902158, 0.2564432, -0.6987, 0.2920206],
        [0.6862713, -0.4133985, -0.0977017, -0.2456842, -0.4101959, 0.2846508, 0.582586, 0.6844639, -0.4268375, -0.4413702, 0.1195297, -0.4649293, 0.642977, 1.172028, 0.7725794, -0.5044565, 0.09606777, 0.4299584, 0.002268545, 0.2368081, -0.1149669, 0.06890094, 0.5974327, 1.115545, 0.002092767, -0.2243107, 0.4733734, 0.1463898, 0.1119322, -0.2644254, -0.2750773, 0.1567086, 0.3388556, 0.2071704, 0.03482994, -0.04906312],
        [-0.1163849, 0.6367629, 0.1181958, 0.155801, 0.391019, -0.6966759, 0.0693685, -0.05393795, 0.4131018, 0.3868379, -0.4853721, -0.1233574, 0.3750139, 0.7958263, -0.8904193, 0.5121905, 0.0425946, -0.3373244, 0.5109474, 0.06640916, -0.1535064, 0.4759434, -0.2198909, -1.618926, -0.1036185, 0.08464287, -0.07797173, 0.02689276, -0.07263112, 0.14546, 0.06871612, -0.04613109, -0.3379771, -0.04215678, -0.09298579, 0.06961459],
    ],
    "recurrent_kernel": [
        [0.4296854, -0.8647022, -0.611756, -0.375407, 0.6757012, -0.2781387, 1.650076, 0.6353359, 1.31668, 0.8018335, 0.3633327, -1.081356, -1.35392, -0.4581254, -0.09844744, 0.1504973, 0.5470575, -0.2380904, 0.7678393, 0.02468765, -0.3396238, 0.0628833, -0.2771513, -0.03881603, 0.1951057, 0.2706659, 0.6095633, 1.071124, 1.148166, 1.017667, 1.245343, 0.6877294, 0.8416458, 0.3928816, 0.9882559, 0.2024536],
        [-0.09872906, 0.2882075, 1.367735, 0.1793163, 0.3437029, -2.114532, -1.273781, -0.2641391, -0.7938321, -0.405288, -0.6804311, -0.3971661, 0.3938313, 0.3710008, -0.01981706, 0.7124548, 1.093082, 1.306597, 0.5857675, 0.4952879, 0.9295766, -0.3381612, 0.5869974, 0.02346894, -0.3178918, 0.4431393, 0.1113658, 0.282103, 0.7256691, -0.3819926, -0.02126377, -0.3533499, 0.08564813, 0.4386369, -0.6935646, 0.008858466],
        [0.302922, 0.5811284, -0.2996216, 0.4887004, 0.3693852, 1.297997, 0.9753118, 0.6912951, 1.411865, -0.1094392, 2.305949, 0.4295738, -0.06504185, -0.3183421, -0.3404848, -0.6918613, -0.07171717, -0.5313336, -0.538619, -0.5315723, -0.186882, 1.653852, -0.3559031, -0.3495151, 0.3322727, -0.2381201, 0.3998328, -0.3217482, -0.5251753, 0.2230486, -0.09194929, 0.08040222, -0.504899, -0.0243602, 0.1188078, 0.4166777],
        [-0.5152799, 0.9951385, 0.1341038, -1.082051, -0.2992155, -0.3546599, -1.201962, -0.03592392, -0.6513735, 0.1288396, 0.5443195, 0.9745861, 0.4133755, 0.2573057, 0.135131, 0.4002605, -0.6852239, 0.7836779, -0.07812275, 0.4410266, 0.4029015, -0.1792427, -0.3087659, 0.3413734, -0.32289, 0.1885623, -0.2684007, 0.05168298, 0.307203, -0.1984191, 0.2141262, -0.1597328, -0.2628754, -0.01288753, 0.2300425, 0.1075293],
        [-1.172338, 0.01437629, 1.32669, 0.7275094, 1.206203, -1.633012, -1.150813, -0.502254, -0.9345499, -1.280377, -0.7330849, 0.3866017, -0.9053165, 0.6292327, -0.2092544, -0.1339148, 1.370426, 0.7483723, -0.06724609, -0.003662644, -0.5392127, 0.4456421, -0.3036304, 0.9408354, -0.8684569, 0.01287267, -0.1768814, -1.199211, 0.5056815, -0.7480125, 0.3310581, -0.5326213, -0.1232226, 0.1671154, -0.7399924, -0.7467452],
        [0.2106681, 0.6027998, -0.1573689, 0.8451022, -1.250572, 1.175556, 0.7350391, 0.6659868, 1.495473, -0.5036782, 0.3868712, 0.8079042, 0.8533413, -1.650188, 0.007377626, 0.5161886, -0.2266158, -1.741675, 1.218061, 0.4023513, 0.5475835, 0.5598413, 0.2488309, -0.773379, 0.3577257, 0.09480692, 0.1145741, 0.3551127, -0.09138177, 0.4709889, 0.003164846, 0.03656846, 0.7063917, -0.4440028, -0.01375927, 0.2208939],
        [0.683109, -0.02283126, -0.1894549, 0.07854138, -1.444894, 0.560828, 0.3597549, 0.6468133, -0.4543596, 0.4675324, -0.08080617, -0.08721094, 0.2357738, -0.9466254, 0.03931246, -0.1097389, -0.2503196, -0.1094673, -2.005355, -0.2060264, -1.644564, 0.0568888, 0.2963932, 0.1879248, -0.003301404, 0.05675319, 0.1840299, 0.5616857, -0.5268708, -0.232071, -0.2848595, 0.2775525, -0.2523471, 0.2592763, 0.2942213, 0.5484197],
        [0.1311242, -0.6503009, -0.4017459, -1.03469, 0.1744027, 1.109645, 0.6985872, 0.3018358, 0.3388841, 0.9318035, 1.62592, -0.5715625, 0.3501181, 0.2435677, -0.4380076, -0.6618987, -0.1012289, 0.5468976, 0.4054782, -0.8978453, -0.4027289, 0.6328042, -0.6945796, -0.2031078, 0.009865552, -0.4883792, 0.2457255, 0.1148961, 0.8949072, -0.8827297, -0.7871253, 0.3628859, -0.6623406, 0.6213758, -0.6123427, 0.3004186],
        [-0.2745508, -0.364524, 0.2028376, 0.2277695, 1.01594, -0.2042842, -0.1611628, -0.4689461, -0.4695096, -0.07326659, -0.4728072, -0.07330115, -0.3974855, 0.3130071, 0.4331155, 0.8531937, 0.3247719, 0.0831221, 1.511535, 0.2137644, 1.540378, -0.7589206, -0.1142778, 0.1064422, 0.05638375, 0.4245623, -0.5423782, 0.2412592, 0.5424956, 0.365194, 0.4035306, -0.0339843, 0.4201384, -0.7494547, -0.2411217, -0.1433585],
        [-1.041933, 1.162323, 0.5073735, 1.830428, -0.4412886, -0.8239558, -0.4672067, 0.2761559, -0.9003513, -0.1300706, -0.1393469, 0.362036, -0.4047558, 0.01799001, 0.1795338, -0.2198282, -0.162124, -0.06949535, -0.3743434, 1.751157, 0.4008676, 1.913616, 0.8084327, 0.156593, -0.7124085, 0.03152402, -0.3943841, 1.413826, 0.3953979, 0.247321, 0.2434641, -0.3676208, 1.249731, 0.7634241, 0.1164337, -0.1090532],
        [-0.8567573, 0.6327723, -0.01568628, -0.4095167, 0.5570057, -1.147555, -0.07592241, -0.5998133, -0.8277941, 0.4509117, 1.359396, 0.2590386, -0.03125542, -0.4187489, -0.1144483, -0.4473675, -0.1123347, 0.2124676, 1.093357, -1.100215, -0.07347259, -0.696542, -1.189928, 0.6942141, -0.05967396, -0.8617252, 0.332459, -0.09342347, 0.8085794, 0.1053432, -0.01217825, 0.2267264, -0.08592176, 0.4693372, 0.1662419, -0.1826504],
        [0.7581246, 0.8307276, -0.7179503, -0.5043551, 0.5281234, 1.16943, 1.242907, 0.3585369, 1.27792, 0.9985153, 1.883121, 0.4934623, -0.2035462, -0.2944384, -0.7073228, -0.2062494, -1.098326, -0.6328651, 0.07458671, -0.4526187, 0.006774058, 0.1156407, -0.01871863, -0.1275574, 0.2215047, -0.1583636, 0.5036553, -0.7093323, -0.3452761, 0.7436171, 0.5154416, 0.4489391, -0.8729368, -0.3720891, 0.5610622, 0.2753547],
    ],
    "bias": [
        [-0.6319997, 0.7913007, 0.6238741, -1.392376, -1.216038, 0.5142809, -1.14076, 0.2637494, -0.4791068, -1.492237, 0.5405391, 0.6812256, 1.278857, -0.2277622, 0.3414704, 0.9036279, 1.374294, -0.3282559, 1.138769, 0.4117724, 0.631852, 0.771468, 0.1182797, 0.1371071, -0.5758958, 0.096371, -0.3619429, 0.6066165, 0.3925806, 0.1190042, -0.1625972, -0.2853808, 0.3352393, 0.3966385, -0.1762606, -0.2388873],
        [-0.6320003, 0.7913007, 0.6238741, -1.392376, -1.216038, 0.514281, -1.14076, 0.2637494, -0.4791068, -1.492237, 0.540539, 0.6812255, 1.278857, -0.2277622, 0.3414705, 0.9036278, 1.374294, -0.3282559, 1.138769, 0.4117724, 0.6318516, 0.7714684, 0.1182798, 0.137107, -0.8710873, 0.114434, -0.3911662, 0.6903358, 0.7992038, -0.2716339, -1.454903, -0.3862168, 0.6860209, 0.7921298, -0.2664152, -0.2488045],
    ],
    "dense_kernel": [
        [-0.9854752, -0.6946404, 0.1532976, 3.412031, -0.1177543],
        [0.4571602, 0.01043635, -0.2536608, -0.3823861, -0.6025771],
        [-0.6370912, 1.062174, 0.5505383, -0.347323, 0.4491816],
        [0.9634939, -1.052834, -1.549014, -0.28576, 0.6404836],
        [1.14886, -2.138962, 0.4809492, 1.115993, -3.367881],
        [-0.2038277, 1.523694, -1.597619, 2.505009, -1.606107],
        [-0.5464793, -0.6755443, -0.5540782, 2.718599, 2.062983],
        [-1.006838, -0.9180857, 2.313157, -0.02357433, -0.7307926],
        [0.7136316, 0.6223919, -1.920489, 0.122547, -2.035586],
        [0.8604197, -1.055718, -1.77982, 0.5572772, 0.6448051],
        [-0.3637717, -0.6253533, 1.749133, 1.684519, -0.2291005],
        [-0.6604445, 0.8493839, -0.04309566, -0.08243072, 0.5549942],
    ],
    "dense_bias": [0.4667022, -0.5571826, -0.5546653, -0.3137056, -0.3847108],
}
