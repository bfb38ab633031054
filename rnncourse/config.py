"""Run-time switches and paths shared by every lesson.

One variable switches every lesson to its long (GPU) version::

    RNNCOURSE_LONG=1 jupyter lab        # or: RNNCOURSE_LONG=1 python -m rnncourse lessons

Default (unset or 0) is the CPU mode that finishes in at most 3 minutes per lesson on 2 cores.

A second variable, for maintainers, runs the same code at tiny sizes to check that it runs at all (on another
Keras backend, say); the figures it prints mean nothing::

    RNNCOURSE_SMOKE=1 KERAS_BACKEND=jax python -m rnncourse lessons
"""
import os
from pathlib import Path

LONG_MODE_VARIABLE = "RNNCOURSE_LONG"
SMOKE_MODE_VARIABLE = "RNNCOURSE_SMOKE"
TRUE_WORDS = {"1", "true", "yes", "on"}
LONG_MODE = os.environ.get(LONG_MODE_VARIABLE, "0").strip().lower() in TRUE_WORDS
SMOKE_MODE = os.environ.get(SMOKE_MODE_VARIABLE, "0").strip().lower() in TRUE_WORDS


def by_mode(default, long, smoke=None):
    """``long`` when RNNCOURSE_LONG=1; ``smoke`` (if given) when RNNCOURSE_SMOKE=1; else ``default``."""
    if SMOKE_MODE and smoke is not None:
        return smoke
    return long if LONG_MODE else default


def repository_root() -> Path | None:
    """The course checkout this package was installed from (editable install), if any."""
    candidate = Path(__file__).resolve().parent.parent
    pyproject = candidate / "pyproject.toml"
    if pyproject.is_file() and 'name = "rnncourse"' in pyproject.read_text(encoding="utf-8"):
        return candidate
    return None


def data_directory() -> Path:
    """Where datasets are built and cached: $RNNCOURSE_DATA_DIR, else <repo>/data/cache."""
    override = os.environ.get("RNNCOURSE_DATA_DIR")
    if override:
        path = Path(override)
    elif repository_root() is not None:
        path = repository_root() / "data" / "cache"
    else:
        path = Path.home() / ".cache" / "rnncourse"
    path.mkdir(parents=True, exist_ok=True)
    return path


def results_directory() -> Path:
    """Where lessons record their key numbers: $RNNCOURSE_RESULTS_DIR, else <repo>/build/results."""
    override = os.environ.get("RNNCOURSE_RESULTS_DIR")
    if override:
        path = Path(override)
    elif repository_root() is not None:
        path = repository_root() / "build" / "results"
    else:
        path = Path.cwd() / "build" / "results"
    path.mkdir(parents=True, exist_ok=True)
    return path
