"""The public API other assignments' tests use: make_submission and grade_class on the fixture assignment."""
import csv

import nbformat
import pytest

from tests.grading_support import FIXTURE_SOURCE, generate_release, grade_class, make_submission

ASSIGNMENT = "fixture_grading"


@pytest.fixture(scope="module")
def release_root(tmp_path_factory):
    return generate_release(ASSIGNMENT, FIXTURE_SOURCE, tmp_path_factory.mktemp("release"))


def test_make_submission_replaces_only_named_answer_cells(release_root):
    submission = make_submission(ASSIGNMENT, {"softmax": "def softmax(scores):\n    return scores"},
                                 release_root=release_root)
    by_id = {cell.metadata.get("nbgrader", {}).get("grade_id"): cell for cell in submission.cells}
    assert by_id["softmax"].source == "def softmax(scores):\n    return scores"
    assert "NotImplementedError" in by_id["window_mean"].source
    with pytest.raises(KeyError):
        make_submission(ASSIGNMENT, {"no_such_cell": ""}, release_root=release_root)


def test_grade_class_scores_rows_feedback_and_csv(release_root, tmp_path):
    solution = nbformat.read(FIXTURE_SOURCE / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", as_version=4)
    wrong_softmax = make_submission(ASSIGNMENT, {
        "softmax": "def softmax(scores):\n    return np.exp(scores) / np.sum(np.exp(scores))",
        "window_mean": "def window_mean(series, width):\n    return np.convolve(series, np.ones(width) / width, 'valid')",
    }, release_root=release_root)
    result = grade_class(ASSIGNMENT, {"correct": solution, "partial": wrong_softmax, "absent": None,
                                      "garbled": b"{\"cells\": [", }, tmp_path, source_root=FIXTURE_SOURCE)
    scores = result.scores
    assert scores["correct"]["total"] == scores["correct"]["max"] == 7
    assert scores["correct"]["status"] == "graded" and scores["correct"]["problems"] == []
    # A softmax without the max shift overflows on the hidden test; the convolution is a valid window mean.
    assert scores["partial"]["tests"]["test_softmax"] == (0.0, 2.0)
    assert scores["partial"]["tests"]["test_window_mean"] == (2.0, 2.0)
    assert scores["partial"]["tests"]["test_dense_model"] == (0.0, 3.0)
    for student in ("absent", "garbled"):
        assert scores[student]["total"] == 0 and scores[student]["status"] == "problem"
        assert scores[student]["problems"]
    assert "not valid JSON" in scores["garbled"]["problems"][0]
    for student, path in result.feedback.items():
        text = path.read_text()
        assert "hidden-fixture-canary-7f3a" not in text and "_hidden_series" not in text
        assert f"Grading notes for {student}" in text
    rows = {row["student"]: row for row in csv.DictReader(result.csv_path.open())}
    assert set(rows) == {"correct", "partial", "absent", "garbled"}
    assert float(rows["correct"]["total"]) == 7 and float(rows["partial"]["total"]) == 2
