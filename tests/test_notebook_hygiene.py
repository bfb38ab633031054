"""Notebooks are stored clean, and lessons follow the course template."""
import re

import nbformat
import pytest

from rnncourse.notebooks import course_notebooks, notebook_problems, percent_to_notebook, strip_notebook
from tests.conftest import REPOSITORY

NOTEBOOKS = course_notebooks(REPOSITORY)
LESSONS = sorted((REPOSITORY / "lessons").glob("*.ipynb"))
TEMPLATE_HEADINGS = ["Overview", "Prerequisites", "Setup", "Exercises", "Summary", "What's next", "References"]


def test_the_course_has_notebooks():
    assert LESSONS, "no lessons found in lessons/"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda path: str(path.relative_to(REPOSITORY)))
def test_notebook_is_stored_without_outputs(path):
    problems = notebook_problems(nbformat.read(path, as_version=4))
    assert not problems, (
        f"{path.relative_to(REPOSITORY)} is not clean: {'; '.join(problems[:5])}. "
        "Fix it with: python -m rnncourse strip"
    )


@pytest.mark.parametrize("path", LESSONS, ids=lambda path: path.name)
def test_lesson_follows_the_template(path):
    notebook = nbformat.read(path, as_version=4)
    markdown = "\n".join(cell.source for cell in notebook.cells if cell.cell_type == "markdown")
    headings = re.findall(r"^#{1,3} +(.+?)\s*$", markdown, flags=re.MULTILINE)
    assert notebook.cells[0].cell_type == "markdown" and notebook.cells[0].source.startswith("# "), (
        f"{path.name} must open with a markdown title cell"
    )
    positions = []
    for wanted in TEMPLATE_HEADINGS:
        matches = [index for index, heading in enumerate(headings) if heading.lower().startswith(wanted.lower())]
        assert matches, f"{path.name} lacks the template heading {wanted!r} (headings: {headings})"
        positions.append(matches[0])
    assert positions == sorted(positions), f"{path.name}: template headings out of order: {TEMPLATE_HEADINGS}"


@pytest.mark.parametrize("path", LESSONS, ids=lambda path: path.name)
def test_lesson_uses_keras_not_tensorflow(path):
    code = "\n".join(cell.source for cell in nbformat.read(path, as_version=4).cells if cell.cell_type == "code")
    assert not re.search(r"^\s*(import tensorflow|from tensorflow)|\btf\.", code, flags=re.MULTILINE), (
        f"{path.name} uses TensorFlow directly; lessons must use keras / keras.ops so they run on every backend"
    )


def test_strip_removes_outputs_and_counts():
    notebook = percent_to_notebook("# %%\nprint(1)\n# %% [markdown]\n# text\n")
    notebook.cells[0].outputs = [nbformat.v4.new_output("stream", text="1\n")]
    notebook.cells[0].execution_count = 3
    notebook.cells[0].metadata["execution"] = {"iopub.status.busy": "now"}
    assert len(notebook_problems(notebook)) == 3
    assert notebook_problems(strip_notebook(notebook)) == []


def test_percent_format_keeps_nbgrader_metadata():
    notebook = percent_to_notebook(
        '# %% nbgrader={"grade": true, "grade_id": "test_x", "points": 2, "locked": true}\nassert True\n'
    )
    metadata = notebook.cells[0].metadata["nbgrader"]
    assert metadata["points"] == 2 and metadata["locked"] and metadata["schema_version"] == 3
    assert notebook.cells[0].id == "test_x"
    with pytest.raises(ValueError, match="needs points"):
        percent_to_notebook('# %% nbgrader={"grade": true, "grade_id": "t"}\npass\n')
