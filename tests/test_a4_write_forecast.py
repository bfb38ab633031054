"""Assignment A4 ("write and forecast"): the source validates, the release is generated and fails every test,
and a simulated class autogrades as expected with the real nbgrader: the reference answers, every buggy variant
in tests/a4_variants.py (packed one per function to a submission), the correct alternatives, answers that import
the course package and answers pasted from lessons 03 and 04. The shared checks are in tests/assignment_suite.py.
"""
import pytest

from tests import a4_variants
from tests.assignment_suite import AssignmentSuite


class TestA4WriteForecast(AssignmentSuite):
    assignment = "a4_write_forecast"
    total_points = 30
    part_points = {"build_step_model": 10, "generate": 9, "recursive_forecast": 6, "errors_by_horizon": 5}
    variants = a4_variants
    datasets = ()
    half_done = ("build_step_model", "recursive_forecast")
    header_line = "Generate text one character at a time by carrying a recurrent network's state"
    # The state of a step model, stateful generation and recursive multi-step forecasting: 25 of 30 points.
    # Scoring forecasts horizon by horizon (errors_by_horizon) counts as plumbing.
    recurrent_answers = ("build_step_model", "generate", "recursive_forecast")

    @pytest.fixture(scope="class", autouse=True)
    @classmethod
    def datasets_built(cls):
        """A4 makes its small character model and series in the setup cell: there is no dataset to build
        (and an empty list would make rnncourse.data.build_datasets build all of them)."""
        assert cls.datasets == ()
