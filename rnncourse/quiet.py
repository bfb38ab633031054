"""Quiet TensorFlow start-up without disabling oneDNN.

TF_ENABLE_ONEDNN_OPTS=0 would silence the oneDNN banner too, but it halves LSTM/GRU speed on
CPUs, so we keep oneDNN on and accept one informational line at most. Log lines on stderr also
cost points under nbgrader (any stderr in a test cell scores it 0), which is why the assignments'
locked setup cell calls this function before importing Keras.
"""
import logging
import os
import warnings


def quiet_tensorflow(backend: str = "tensorflow") -> None:
    """Set log levels and warning filters; must run before ``import keras``.

    ``backend`` is only a default: an existing KERAS_BACKEND (jax, torch) is respected.
    """
    os.environ.setdefault("KERAS_BACKEND", backend)
    os.environ["TF_CPP_MIN_LOG_LEVEL"] = "2"  # hide INFO and WARNING from the C++ runtime
    os.environ.setdefault("ABSL_MIN_LOG_LEVEL", "2")
    os.environ.setdefault("GRPC_VERBOSITY", "ERROR")
    # Python-side chatter from TensorFlow, absl and protobuf that says nothing a learner can act on.
    for category in (DeprecationWarning, FutureWarning, PendingDeprecationWarning):
        warnings.filterwarnings("ignore", category=category)
    warnings.filterwarnings("ignore", message=".*Protobuf gencode version.*")
    warnings.filterwarnings("ignore", message=".*np.object.*")
    for name in ("tensorflow", "absl", "h5py"):
        logging.getLogger(name).setLevel(logging.ERROR)
