"""Gradients of a loss with respect to a model's inputs, per time step (lesson 02, "Long time lags").

Keras 3 has no backend-neutral ``grad`` in ``keras.ops``: gradients come from the backend. This module
keeps that backend code out of the lesson. Supported backend: **TensorFlow** (the course default).
Other backends raise a clear error naming what to do.
"""
import numpy as np


def input_gradient_norms(model, inputs, targets) -> np.ndarray:
    """Mean over the batch of ``|| d loss / d inputs[:, t, :] ||`` for every time step ``t``.

    ``model`` maps ``(batch, time, features)`` inputs to predictions of ``targets``' shape; the loss is
    the mean squared error. Returns a NumPy array of shape ``(time,)``. A value near zero at early steps
    means that the loss barely "sees" those inputs: the vanishing-gradient signature of a short memory.
    """
    import keras

    inputs = np.asarray(inputs, dtype="float32")
    targets = np.asarray(targets, dtype="float32")
    if inputs.ndim != 3:
        raise ValueError(f"inputs must have shape (batch, time, features), got {inputs.shape}")
    if len(targets) != len(inputs):
        raise ValueError(f"got {len(inputs)} input sequences but {len(targets)} targets")
    backend = keras.backend.backend()
    if backend != "tensorflow":
        raise NotImplementedError(
            f"input_gradient_norms supports the TensorFlow backend; the active Keras backend is {backend!r}. "
            "Set KERAS_BACKEND=tensorflow before importing keras (rnncourse.course_setup does this by default)."
        )
    import tensorflow as tf

    input_tensor = tf.convert_to_tensor(inputs)
    with tf.GradientTape() as tape:
        tape.watch(input_tensor)
        predictions = model(input_tensor, training=False)
        loss = tf.reduce_mean(tf.square(predictions - targets))
    gradient = tape.gradient(loss, input_tensor).numpy()  # (batch, time, features)
    return np.linalg.norm(gradient, axis=-1).mean(axis=0)
