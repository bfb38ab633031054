"""Plain data between the judge and a student's kernel: JSON text, never pickle.

The judge (grading/judge.py) and the student's kernel exchange only values that this module can write and
read back: None, bool, int, float, str, NumPy arrays and scalars of bool/integer/float dtypes, lists, tuples
and dicts of these, and Keras models as their JSON config plus weights. A callable that a test passes as an
argument is written as a callback number; the kernel turns it into a function whose every call asks the
judge over Jupyter's stdin channel.

This file is executed as it is inside the student's kernel too (the judge sends its source), so it imports
nothing from the course or the grader, and it keeps the kernel half (``call``) beside the shared encoding.
The reading half is strict because on the judge's side its input comes from untrusted code: unknown tags,
object dtypes, inconsistent shapes, deep nesting and oversized payloads are refused with a `PlainDataError`
that says what the student should return instead.
"""
import base64
import json
import math

import numpy as np

MIME_TYPE = "application/x-rnncourse-judge"
CALLBACK_PROMPT = "rnncourse-judge-callback:"
MAX_PAYLOAD_CHARACTERS = 96 * 1024 * 1024
MAX_DEPTH = 32
ALLOWED_KINDS = "biuf"  # bool, signed and unsigned integers, floats: no objects, strings or complex numbers
WHAT_CROSSES = ("return None, numbers, strings, NumPy arrays (bool, integer or float) and lists, tuples or "
                "dicts of these, or a Keras model")


class PlainDataError(ValueError):
    """A value that cannot cross between the judge and the kernel; the message says what would."""


# ---------------------------------------------------------------------------------------------------------
# Writing

def encode(value, callback_number=None, depth=0):
    """A JSON-ready structure for `value`. `callback_number(function) -> int` lets callables cross."""
    if depth > MAX_DEPTH:
        raise PlainDataError(f"the value is nested more than {MAX_DEPTH} levels deep")
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, int):
        return value if abs(value) < 2**53 else {"__int__": str(value)}
    if isinstance(value, float):
        return value if math.isfinite(value) else {"__float__": repr(value)}
    if isinstance(value, np.generic):
        return {"__scalar__": _encode_array(np.asarray(value))}
    if isinstance(value, np.ndarray):
        return _encode_array(value)
    if isinstance(value, (list, tuple)):
        items = [encode(item, callback_number, depth + 1) for item in value]
        return items if isinstance(value, list) else {"__tuple__": items}
    if isinstance(value, dict):
        if not all(isinstance(key, (str, int)) and not isinstance(key, bool) for key in value):
            raise PlainDataError("dict keys must be strings or integers")
        return {"__dict__": [[key, encode(item, callback_number, depth + 1)] for key, item in value.items()]}
    model = _encode_model(value, callback_number, depth)
    if model is not None:
        return model
    if callable(value) and callback_number is not None:
        return {"__callback__": callback_number(value)}
    if type(value).__module__.split(".")[0] in ("tensorflow", "jax", "jaxlib", "torch", "keras"):
        keras = _loaded_keras()  # a backend tensor, e.g. a keras.ops result, on any backend
        return _encode_array(keras.ops.convert_to_numpy(value) if keras is not None else np.asarray(value))
    if hasattr(value, "__array__"):
        return _encode_array(np.asarray(value))
    raise PlainDataError(f"a value of type {type(value).__name__} cannot be sent to the grader: {WHAT_CROSSES}")


def _encode_array(array):
    if array.dtype.kind not in ALLOWED_KINDS:
        raise PlainDataError(f"an array of dtype {array.dtype} cannot be sent to the grader: use bool, integer "
                             "or float arrays")
    contiguous = np.require(array, requirements="C")  # keeps a 0-d shape, unlike ascontiguousarray
    return {"__ndarray__": base64.b64encode(contiguous.tobytes()).decode("ascii"),
            "dtype": contiguous.dtype.str, "shape": list(contiguous.shape)}


def _encode_model(value, callback_number, depth):
    keras = _loaded_keras()
    if keras is None or not isinstance(value, keras.Model):
        return None
    return {"__keras_model__": {"config": value.to_json(),
                                "weights": [_encode_array(np.asarray(weight)) for weight in value.get_weights()]}}


def _loaded_keras():
    import sys
    return sys.modules.get("keras")  # a model can only exist if Keras was imported; never import it here


def dumps(value, callback_number=None) -> str:
    return json.dumps(encode(value, callback_number))


# ---------------------------------------------------------------------------------------------------------
# Reading

def parse(text: str):
    """JSON text to Python structures, refusing oversized or too deeply nested text."""
    if not isinstance(text, str) or len(text) > MAX_PAYLOAD_CHARACTERS:
        raise PlainDataError(f"the answer is not text of at most {MAX_PAYLOAD_CHARACTERS // 2**20} MiB")
    try:
        return json.loads(text)
    except (ValueError, RecursionError) as error:
        raise PlainDataError(f"the answer could not be read ({type(error).__name__})") from None


def loads(text: str, make_callback=None, rebuild_model=None):
    """Read what `dumps` wrote. `make_callback(number)` and `rebuild_model(config, weights)` say what a
    callback or a model become on this side; without them, either is refused."""
    return decode(parse(text), make_callback, rebuild_model)


def decode(structure, make_callback=None, rebuild_model=None, depth=0):
    if depth > MAX_DEPTH:
        raise PlainDataError(f"the value is nested more than {MAX_DEPTH} levels deep")
    if structure is None or isinstance(structure, (bool, int, float, str)):
        return structure
    if isinstance(structure, list):
        return [decode(item, make_callback, rebuild_model, depth + 1) for item in structure]
    if not isinstance(structure, dict) or len(structure) not in (1, 3):
        raise PlainDataError("the answer has an unknown form")
    if "__ndarray__" in structure:
        return _decode_array(structure)
    (tag, content), = structure.items()
    if tag == "__tuple__" and isinstance(content, list):
        return tuple(decode(item, make_callback, rebuild_model, depth + 1) for item in content)
    if tag == "__dict__" and isinstance(content, list):
        return _decode_dict(content, make_callback, rebuild_model, depth)
    if tag == "__scalar__" and isinstance(content, dict):
        array = _decode_array(content)
        if array.shape != ():
            raise PlainDataError("a scalar must have shape ()")
        return array[()]
    if tag == "__int__" and isinstance(content, str) and len(content) < 400:
        return int(content)
    if tag == "__float__" and content in ("nan", "inf", "-inf"):
        return float(content)
    if tag == "__callback__" and isinstance(content, int) and make_callback is not None:
        return make_callback(content)
    if tag == "__keras_model__" and isinstance(content, dict) and rebuild_model is not None:
        weights = content.get("weights")
        if not isinstance(content.get("config"), str) or not isinstance(weights, list):
            raise PlainDataError("a model must cross as its config and its weights")
        return rebuild_model(content["config"], [_decode_array(weight) for weight in weights])
    raise PlainDataError(f"the answer holds a {tag!s:.40} that the grader does not accept: {WHAT_CROSSES}")


def _decode_dict(pairs, make_callback, rebuild_model, depth):
    result = {}
    for pair in pairs:
        if not (isinstance(pair, list) and len(pair) == 2 and isinstance(pair[0], (str, int))):
            raise PlainDataError("a dict entry has an unknown form")
        result[pair[0]] = decode(pair[1], make_callback, rebuild_model, depth + 1)
    return result


def _decode_array(structure):
    if not isinstance(structure, dict) or set(structure) != {"__ndarray__", "dtype", "shape"}:
        raise PlainDataError("an array has an unknown form")
    try:
        dtype = np.dtype(structure["dtype"])
    except TypeError:
        raise PlainDataError("an array names an unknown dtype") from None
    shape = structure["shape"]
    if dtype.kind not in ALLOWED_KINDS or not isinstance(shape, list) or len(shape) > MAX_DEPTH or not all(
            isinstance(size, int) and not isinstance(size, bool) and size >= 0 for size in shape):
        raise PlainDataError(f"arrays must be bool, integer or float with a valid shape, not {dtype}")
    raw = base64.b64decode(structure["__ndarray__"].encode("ascii"), validate=True)
    if len(raw) != dtype.itemsize * math.prod(shape):
        raise PlainDataError("an array's data does not match its shape")
    return np.frombuffer(raw, dtype=dtype).reshape(shape).copy()


# ---------------------------------------------------------------------------------------------------------
# The kernel's half: answer one call of the judge (runs in the student's kernel, with the student's rights)

def call(namespace, name, request, kind="function"):
    """Look `name` up in the student's namespace, call it with the request's arguments (or just read it)
    and publish the answer as display data of MIME_TYPE. Nothing is returned to the student's cell."""
    from IPython.display import publish_display_data

    try:
        if name not in namespace:
            reply = {"missing": name}
        else:
            target = namespace[name]
            if kind == "function":
                arguments, keywords = loads(request, make_callback=_kernel_callback, rebuild_model=_kernel_model)
                target = target(*arguments, **keywords)
            reply = {"ok": encode(target)}
    except PlainDataError as error:
        reply = {"unreadable": str(error)}
    except BaseException as error:  # the student's code may raise anything, SystemExit included
        reply = {"error": [type(error).__name__, _message(error)]}
    publish_display_data({MIME_TYPE: json.dumps(reply)})


def _message(error) -> str:
    try:
        return str(error)[:2000]
    except BaseException:  # a hostile __str__
        return "(the exception's message could not be read)"


def _kernel_callback(number):
    def callback(*arguments, **keywords):
        question = json.dumps({"callback": number, "arguments": encode([list(arguments), keywords])})
        answer = json.loads(input(CALLBACK_PROMPT + question))
        if "error" in answer:
            raise RuntimeError(answer["error"])
        return decode(answer["ok"])
    return callback


def _kernel_model(config, weights):
    import keras
    model = keras.models.model_from_json(config)
    model.set_weights(weights)
    return model
