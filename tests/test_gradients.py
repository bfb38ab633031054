"""rnncourse.gradients: gradients and per-row Jacobians agree with hand-derived values on every Keras backend.

The checks run in a child process per backend, because Keras fixes its backend at import. A backend whose
package is not installed in this environment is skipped and says so (the course's .venv has TensorFlow only).
"""
import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BACKEND_PACKAGES = {"tensorflow": "tensorflow", "jax": "jax", "torch": "torch"}

CHECKS = r'''
import json
import keras
import numpy as np
from rnncourse.gradients import gradient, input_gradient_norms, row_jacobians

random = np.random.default_rng(0)
results = {"backend": keras.backend.backend()}

# d/dx sum(x^3) = 3 x^2, for one array and for a list of two
x = random.normal(size=(3, 4)).astype("float32")
y = random.normal(size=(2,)).astype("float32")
results["single"] = float(np.abs(gradient(lambda t: keras.ops.sum(t ** 3), x) - 3 * x ** 2).max())
both = gradient(lambda ts: keras.ops.sum(ts[0] ** 3) + keras.ops.sum(ts[0]) * keras.ops.sum(ts[1] ** 2), [x, y])
results["list"] = max(float(np.abs(both[0] - (3 * x ** 2 + np.sum(y ** 2))).max()),
                      float(np.abs(both[1] - 2 * y * np.sum(x)).max()))

# one tanh step h' = tanh(h U + c): Jacobian J[i, j] = (1 - h'_i^2) U[j, i], the SimpleRNN formula
U = random.normal(scale=0.5, size=(4, 5)).astype("float32")
h = random.normal(size=(6, 4)).astype("float32")
c = random.normal(size=(6, 5)).astype("float32")
step = lambda state, constant: keras.ops.tanh(keras.ops.add(keras.ops.matmul(state, U), constant))
jacobians = row_jacobians(step, h, constants=(c,))
new_state = np.tanh(h @ U + c)
expected = (1 - new_state ** 2)[:, :, None] * U.T[None]
results["jacobian_shape"] = list(jacobians.shape)
results["jacobian"] = float(np.abs(jacobians - expected).max())

# a linear model: d mse / d x_t = 2 (w.x - y) w / batch, so the per-step norm is known in closed form
model = keras.Sequential([keras.Input((5, 2)), keras.layers.Flatten(), keras.layers.Dense(1, use_bias=False)])
weights = random.normal(size=(10, 1)).astype("float32")
model.set_weights([weights])
inputs = random.normal(size=(8, 5, 2)).astype("float32")
targets = random.normal(size=(8, 1)).astype("float32")
residuals = inputs.reshape(8, 10) @ weights - targets
per_example = 2 * residuals[:, :, None] * weights.reshape(1, 5, 2) / 8
norms = input_gradient_norms(model, inputs, targets)
results["input_norms"] = float(np.abs(norms - np.linalg.norm(per_example, axis=-1).mean(axis=0)).max())
print("RESULTS", json.dumps(results))
'''


def run_checks(backend: str) -> dict:
    environment = dict(os.environ, KERAS_BACKEND=backend, PYTHONPATH=str(ROOT), TF_CPP_MIN_LOG_LEVEL="3")
    completed = subprocess.run([sys.executable, "-c", CHECKS], capture_output=True, text=True, env=environment, timeout=300)
    assert completed.returncode == 0, f"the {backend} checks failed:\n{completed.stderr[-3000:]}"
    line = [line for line in completed.stdout.splitlines() if line.startswith("RESULTS ")][-1]
    return json.loads(line.removeprefix("RESULTS "))


@pytest.mark.parametrize("backend", sorted(BACKEND_PACKAGES))
def test_gradients_match_hand_derivations(backend):
    if importlib.util.find_spec(BACKEND_PACKAGES[backend]) is None:
        pytest.skip(f"{BACKEND_PACKAGES[backend]} is not installed in this environment; the {backend} path is untested here")
    results = run_checks(backend)
    assert results["backend"] == backend
    assert results["single"] <= 1e-4, f"gradient of sum(x^3) is off by {results['single']}"
    assert results["list"] <= 1e-4, f"gradient with a list argument is off by {results['list']}"
    assert results["jacobian_shape"] == [6, 5, 4], "one (outputs, inputs) Jacobian per batch row"
    assert results["jacobian"] <= 1e-5, f"row_jacobians differs from (1 - h'^2) U^T by {results['jacobian']}"
    assert results["input_norms"] <= 1e-5, f"input_gradient_norms differs from the closed form by {results['input_norms']}"


def test_bad_shapes_get_clear_errors():
    from rnncourse.gradients import input_gradient_norms, row_jacobians

    with pytest.raises(ValueError, match="batch, time, features"):
        input_gradient_norms(None, [[1.0, 2.0]], [[1.0]])
    with pytest.raises(ValueError, match="batch size"):
        row_jacobians(lambda state, constant: state, [[1.0], [2.0]], constants=([[1.0]],))
