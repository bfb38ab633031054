"""Gradients and Jacobians on any Keras backend (lesson 02, "Long time lags").

Keras 3 has no backend-neutral ``grad`` in ``keras.ops``: gradients come from the backend. One small
function, :func:`gradient`, hides that choice (``tf.GradientTape`` on TensorFlow, ``jax.grad`` on JAX,
``torch.autograd`` on PyTorch); everything else here is written with ``keras.ops`` on top of it, so the
lesson runs unchanged on all three backends.

* :func:`gradient` -- the gradient of a scalar function with respect to one array or a list of arrays;
* :func:`input_gradient_norms` -- ``|| d loss / d x_t ||`` for every time step of a model's input;
* :func:`row_jacobians` -- the Jacobian of a per-example function (one recurrent step, say), one matrix
  per batch row, from a single gradient call.
"""
import numpy as np

SUPPORTED_BACKENDS = ("tensorflow", "jax", "torch")


def gradient(function, argument):
    """``d function(argument) / d argument`` as NumPy, on the active Keras backend.

    ``function`` maps a backend tensor (or a list of tensors, when ``argument`` is a list) to a scalar
    tensor and is written with ``keras.ops`` or Keras layers. ``argument`` is a NumPy array or a list of
    them; the result has the same structure. Model weights inside ``function`` are constants.
    """
    import keras

    backend = keras.backend.backend()
    as_list = isinstance(argument, (list, tuple))
    arrays = [np.asarray(array, dtype="float32") for array in (argument if as_list else [argument])]
    if backend == "tensorflow":
        gradients = _tensorflow_gradient(function, arrays, as_list)
    elif backend == "jax":
        gradients = _jax_gradient(function, arrays, as_list)
    elif backend == "torch":
        gradients = _torch_gradient(function, arrays, as_list)
    else:
        raise NotImplementedError(
            f"rnncourse.gradients supports the Keras backends {', '.join(SUPPORTED_BACKENDS)}; the active one is "
            f"{backend!r}. Set KERAS_BACKEND to one of them before importing keras."
        )
    return gradients if as_list else gradients[0]


def _tensorflow_gradient(function, arrays, as_list):
    import tensorflow as tf

    tensors = [tf.convert_to_tensor(array) for array in arrays]
    with tf.GradientTape() as tape:
        tape.watch(tensors)
        value = function(tensors if as_list else tensors[0])
    return [np.asarray(result) for result in tape.gradient(value, tensors)]


def _jax_gradient(function, arrays, as_list):
    import jax

    gradients = jax.grad(lambda tensors: function(tensors if as_list else tensors[0]))(
        [jax.numpy.asarray(array) for array in arrays])
    return [np.asarray(result) for result in gradients]


def _torch_gradient(function, arrays, as_list):
    import keras
    import torch

    # keras.ops puts the tensor on the device Keras computes on (a GPU when there is one)
    tensors = [keras.ops.convert_to_tensor(array).detach().requires_grad_(True) for array in arrays]
    value = function(tensors if as_list else tensors[0])
    gradients = torch.autograd.grad(value, tensors)
    return [result.detach().cpu().numpy() for result in gradients]


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

    def loss(input_tensor):
        predictions = model(input_tensor, training=False)
        return keras.ops.mean(keras.ops.square(keras.ops.subtract(predictions, targets)))

    input_gradient = gradient(loss, inputs)  # (batch, time, features)
    return np.linalg.norm(input_gradient, axis=-1).mean(axis=0)


def row_jacobians(function, argument, constants=()) -> np.ndarray:
    """Jacobians of ``function`` for each batch row: shape ``(batch, outputs, inputs)``.

    ``function(argument, *constants)`` maps ``(batch, inputs)`` to ``(batch, outputs)`` with every row
    computed from its own row only (a recurrent step, for instance). Each row is repeated once per output,
    and output ``i`` of copy ``i`` is summed, so one gradient call returns every row of every Jacobian.
    ``constants`` are arrays with the same batch size, repeated alongside and not differentiated.
    """
    import keras

    argument = np.asarray(argument, dtype="float32")
    if argument.ndim != 2:
        raise ValueError(f"argument must have shape (batch, inputs), got {argument.shape}")
    batch = len(argument)
    constants = [np.asarray(constant, dtype="float32") for constant in constants]
    if any(len(constant) != batch for constant in constants):
        raise ValueError(f"every constant needs the argument's batch size {batch}")
    first_row = [keras.ops.convert_to_tensor(array[:1]) for array in (argument, *constants)]
    outputs = keras.ops.convert_to_numpy(function(*first_row)).shape[-1]
    repeated = np.repeat(argument, outputs, axis=0)  # rows b*outputs ... b*outputs + outputs - 1 copy row b
    # backend tensors, so that the function never mixes NumPy arrays with the differentiated tensor
    repeated_constants = [keras.ops.convert_to_tensor(np.repeat(constant, outputs, axis=0)) for constant in constants]
    picker = keras.ops.convert_to_tensor(np.tile(np.eye(outputs, dtype="float32"), (batch, 1)))  # copy i keeps output i

    def picked_sum(tensor):
        return keras.ops.sum(keras.ops.multiply(function(tensor, *repeated_constants), picker))

    return gradient(picked_sum, repeated).reshape(batch, outputs, argument.shape[-1])
