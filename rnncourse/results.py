"""Lessons record their key numbers here, so that tests and the main job read values, not printed text."""
import json
import math
from pathlib import Path

from rnncourse.config import LONG_MODE, results_directory


def results_path(lesson: str) -> Path:
    return results_directory() / f"{lesson}.json"


def save_results(lesson: str, headline: str | None = None, **metrics) -> dict:
    """Merge ``metrics`` into build/results/<lesson>.json and return the whole record.

    ``headline`` is the one-line key result shown in the main job's table.
    Values must be JSON numbers, strings, booleans, lists or dicts; NaN is refused so that a
    diverged model cannot pass a threshold test by accident.
    """
    for name, value in metrics.items():
        if isinstance(value, float) and not math.isfinite(value):
            raise ValueError(f"metric {name!r} of lesson {lesson!r} is {value}; refusing to record it")
    path = results_path(lesson)
    record = json.loads(path.read_text()) if path.exists() else {"lesson": lesson, "metrics": {}}
    record["metrics"].update({name: _plain(value) for name, value in metrics.items()})
    record["long_mode"] = LONG_MODE
    if headline is not None:
        record["headline"] = headline
    path.write_text(json.dumps(record, indent=2, sort_keys=True))
    return record


def load_results(lesson: str, directory: Path | None = None) -> dict:
    path = (directory or results_directory()) / f"{lesson}.json"
    if not path.exists():
        raise FileNotFoundError(f"lesson {lesson!r} recorded no results at {path}; did it call save_results()?")
    return json.loads(path.read_text())


def _plain(value):
    """Convert NumPy scalars and arrays into JSON-friendly Python values."""
    if hasattr(value, "tolist"):
        return value.tolist()
    if isinstance(value, dict):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    return value
