"""Shared test set-up: children (kernels, nbgrader's alembic) use the interpreter running pytest."""
from pathlib import Path

import pytest

from rnncourse.environment import use_this_interpreter_for_children

use_this_interpreter_for_children()

REPOSITORY = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def repository() -> Path:
    return REPOSITORY


# Modules that execute a lesson, grade a class with the real nbgrader, or build a dataset (speech: about 45 s) take from
# about 20 s to a few minutes each; `pytest -m "not slow"` runs everything else in about a minute.
SLOW_MODULES = ("test_lesson_", "test_a1_", "test_a2_", "test_a3_", "test_a4_", "test_grading_adversarial",
                "test_grading_api", "test_grading_course", "test_grading_preload", "test_grading_sandbox",
                "test_grading_benchmark", "test_grading_attacks", "test_grading_neighbours", "test_grading_layers",
                "test_backends", "test_data_build", "test_data_speech", "test_round_trip")


def pytest_collection_modifyitems(config, items):
    for item in items:
        if Path(str(item.fspath)).name.startswith(SLOW_MODULES):
            item.add_marker(pytest.mark.slow)
