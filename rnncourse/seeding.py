"""One call that seeds Python, NumPy and the Keras backend."""
import os
import random

import numpy as np


def seed_everything(seed: int = 42) -> np.random.Generator:
    """Seed every random source a lesson uses and return a NumPy Generator for new code.

    Keras's ``set_random_seed`` seeds Python, NumPy and the backend (TensorFlow, JAX or torch).
    It is imported lazily so that ``quiet_tensorflow`` can run first.
    """
    os.environ["PYTHONHASHSEED"] = str(seed)
    random.seed(seed)
    np.random.seed(seed)
    import keras

    keras.utils.set_random_seed(seed)
    return np.random.default_rng(seed)
