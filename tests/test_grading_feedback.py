"""The feedback check and the feedback exporter (grading/feedback.py), without nbgrader's apps.

The check must find hidden-test text in any encoding, yet never count a student's own text as a leak: a
student who writes a line that equals a hidden one used to get a score table instead of their feedback.
"""
import base64
import zlib
from types import SimpleNamespace

import nbformat

from grading.feedback import FeedbackExporter, Secrets, submitted_text, write_feedback

HIDDEN_LINE = "assert np.allclose(answer(hidden_inputs), expected)"
HIDDEN_LITERAL = "hidden-canary-5e1b"
SECRETS = Secrets(lines={HIDDEN_LINE}, literals={HIDDEN_LITERAL}, variables=set())


def _page(text: str) -> str:
    return f"<html><body><pre>{text}</pre></body></html>"


def test_hidden_text_is_found_plain_and_encoded():
    encoded = base64.b64encode(zlib.compress(HIDDEN_LINE.encode())).decode()
    assert SECRETS.found_in(_page(HIDDEN_LINE))
    assert SECRETS.found_in(_page(encoded))
    assert SECRETS.found_in(_page(f"print('{HIDDEN_LITERAL}')"))
    assert SECRETS.found_in(_page("nothing to see")) == []


def test_the_students_own_line_is_not_a_leak_but_anything_else_still_is():
    own = f"def answer(x):\n    return x\n\n{HIDDEN_LINE}\n"  # the student wrote the same assert
    assert SECRETS.beside(own).found_in(_page(HIDDEN_LINE)) == []
    assert SECRETS.beside(own).found_in(_page(HIDDEN_LITERAL))  # the literal is not theirs: still a finding
    assert SECRETS.beside("unrelated").found_in(_page(HIDDEN_LINE))
    assert SECRETS.beside(own).lines == set() and SECRETS.lines == {HIDDEN_LINE}  # the class-wide set is kept


def test_submitted_text_reads_every_cell_of_the_staged_notebooks(tmp_path):
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("notes"),
                                                nbformat.v4.new_code_cell(HIDDEN_LINE)])
    nbformat.write(notebook, tmp_path / "a1.ipynb")
    text = submitted_text(tmp_path, ["a1", "not_submitted"])
    assert "notes" in text and HIDDEN_LINE in text


def test_feedback_that_shows_only_the_students_own_line_is_written_whole(tmp_path):
    generated = tmp_path / "generated.html"
    generated.write_text(_page(HIDDEN_LINE))
    result = SimpleNamespace(problems=[], total=3.0, max=5.0, status="graded", tests={"t": (3.0, 5.0)})
    kept = write_feedback("alice", result, "a1", generated, tmp_path / "alice.html", SECRETS.beside(HIDDEN_LINE))
    assert HIDDEN_LINE in kept.read_text() and result.problems == []
    replaced = write_feedback("bob", result, "a1", generated, tmp_path / "bob.html", SECRETS)
    assert HIDDEN_LINE not in replaced.read_text()
    assert "replaced by a score table" in result.problems[0]


def test_feedback_exporter_renders_the_notebook_and_gives_images_alt_text():
    image = nbformat.v4.new_output("display_data", data={"image/png": base64.b64encode(b"png").decode()})
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("print('hello')", outputs=[image])])
    page, _ = FeedbackExporter().from_notebook_node(notebook)
    assert "print" in page and "hello" in page
    assert "<img" in page and 'alt="No description has been provided for this image"' in page


def test_an_unreadable_submission_exempts_nothing(tmp_path):
    (tmp_path / "a1.ipynb").write_bytes(b"[" * 100_000 + b"]" * 100_000)
    (tmp_path / "a2.ipynb").write_text("not json")
    assert submitted_text(tmp_path, ["a1", "a2", "missing"]) == ""
