"""Assignment A2 ("translate": attention and decoding): the source validates, the release is generated and fails
every test, and a simulated class, including every buggy variant in tests/a2_variants.py (packed one per answer
into each submission), the correct alternatives and the answers that import or paste the course's code,
autogrades as expected with the real nbgrader and the judge. The shared checks are in tests/assignment_suite.py.
"""
import nbformat

from tests import a2_variants
from tests.assignment_suite import AssignmentSuite
from tests.assignment_support import nbgrader_cells, source_path


class TestA2Translate(AssignmentSuite):
    assignment = "a2_translate"
    total_points = 30
    part_points = {"additive_attention": 10, "beam_search": 12, "corpus_bleu": 8}
    variants = a2_variants
    datasets = ("translation",)  # the setup cell generates its French pairs with rnncourse.data.translation
    half_done = ("additive_attention", "corpus_bleu")
    header_line = "attention and decoding, from their definitions"
    recurrent_answers = ("additive_attention", "beam_search")  # 22 of 30 points: where the decoder looks, how it decodes
    correct_seconds_target = 15.0

    def test_step_function_tests_count_the_decoder_calls(self):
        """The call-counting test passes the step function as an argument, so under the judge it is a callback:
        the student's code cannot see the decoder, and every call is counted where the asserts run."""
        tests = nbgrader_cells(nbformat.read(source_path(self.assignment), as_version=4), "grade")
        source = tests["test_beam_calls_and_max_length"].source
        assert "calls.append" in source and "beam_search(recording(" in source

    def test_off_limits_modules_are_declared(self):
        from grading.judge import graded_contract

        contract = graded_contract(nbformat.read(source_path(self.assignment), as_version=4))
        for module in ("keras", "sacrebleu", "rnncourse"):
            assert module in contract["off_limits"], f"{module} computes a graded answer and must be off limits"
