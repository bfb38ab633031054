"""Assignment A4 ("write and forecast"): the source validates, the release is generated and fails every test,
and a simulated class, including every buggy variant in tests/a4_variants.py (packed five to a submission),
autogrades as expected with the real nbgrader. The shared checks are in tests/assignment_suite.py.
"""
from tests import a4_variants
from tests.assignment_suite import AssignmentSuite


class TestA4WriteForecast(AssignmentSuite):
    assignment = "a4_write_forecast"
    total_points = 30
    part_points = {"sample_with_temperature": 7, "bits_per_character": 5, "make_windows": 7, "forecast_errors": 5,
                   "build_forecaster": 6}
    variants = a4_variants
    datasets = ("words", "traffic")
    half_done = ("sample_with_temperature", "make_windows")
    header_line = "Sample text from a character model at any temperature"
