"""Make child processes (Jupyter kernels, nbgrader's `alembic`) use this interpreter's environment.

Jupyter's "python3" kernel spec and nbgrader's database migrations call programs by name (`python`,
`alembic`). When a virtual environment is used without being activated (`.venv/bin/python -m ...`),
those names would resolve to the system's Python, which lacks Keras. Putting the running
interpreter's folder first on PATH makes every child use the same environment.
"""
import os
import sys
from pathlib import Path


def use_this_interpreter_for_children() -> None:
    folder = str(Path(sys.executable).parent)
    parts = os.environ.get("PATH", "").split(os.pathsep)
    if parts[:1] != [folder]:
        os.environ["PATH"] = os.pathsep.join([folder] + [part for part in parts if part != folder])
