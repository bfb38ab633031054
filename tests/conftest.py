"""Shared test set-up: children (kernels, nbgrader's alembic) use the interpreter running pytest."""
from pathlib import Path

import pytest

from rnncourse.environment import use_this_interpreter_for_children

use_this_interpreter_for_children()

REPOSITORY = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def repository() -> Path:
    return REPOSITORY
