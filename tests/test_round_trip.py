"""The shortest whole grading round trip, for .ci/run's other Python versions: A1's reference answers and its
empty release are autograded with the real nbgrader (release generated afresh, sandbox, judge, feedback) and
score full marks and zero."""
from tests.assignment_support import solution_answers
from tests.grading_support import grade_class, make_submission

ASSIGNMENT = "a1_cells"


def test_a1_reference_scores_full_marks_and_the_release_zero(tmp_path):
    result = grade_class(ASSIGNMENT, {"reference": make_submission(ASSIGNMENT, solution_answers(ASSIGNMENT)),
                                      "release": make_submission(ASSIGNMENT, {})}, tmp_path)
    reference, release = result.scores["reference"], result.scores["release"]
    assert reference["total"] == reference["max"] > 0, (reference["tests"], reference["problems"])
    assert release["total"] == 0, release["tests"]
    assert result.feedback["reference"].exists() and result.feedback["release"].exists()
