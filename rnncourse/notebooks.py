"""Notebook hygiene and authoring tools for maintainers.

* ``python -m rnncourse strip`` removes outputs, execution counts and volatile metadata from every
  course notebook (the hygiene test prints this command when it fails).
* ``percent_to_notebook`` turns a ``# %%`` script into a notebook. Maintainers author in a scratch
  script and commit only the ``.ipynb``; the script is not kept, so the notebook stays the one source.
  A cell header may carry nbgrader metadata as JSON::

      # %% [markdown]
      # %% nbgrader={"grade": true, "grade_id": "test_sigmoid", "points": 2, "locked": true}
"""
import hashlib
import json
import re
from pathlib import Path

import nbformat

NOTEBOOK_FOLDERS = ("lessons", "solutions", "assignments")
VOLATILE_CELL_METADATA = ("execution", "collapsed", "scrolled", "ExecuteTime")
CELL_HEADER = re.compile(r"^# %%(?P<markdown> \[markdown\])?(?: nbgrader=(?P<nbgrader>\{.*\}))?\s*$")


def course_notebooks(root: Path) -> list[Path]:
    paths = []
    for folder in NOTEBOOK_FOLDERS:
        paths += [p for p in sorted((root / folder).rglob("*.ipynb")) if ".ipynb_checkpoints" not in p.parts]
    return paths


def notebook_problems(notebook) -> list[str]:
    """What makes a stored notebook unclean: outputs, execution counts, volatile metadata."""
    problems = []
    for index, cell in enumerate(notebook.cells):
        if cell.cell_type == "code" and cell.get("outputs"):
            problems.append(f"cell {index} has outputs")
        if cell.cell_type == "code" and cell.get("execution_count") is not None:
            problems.append(f"cell {index} has an execution count")
        if any(key in cell.metadata for key in VOLATILE_CELL_METADATA):
            problems.append(f"cell {index} has execution metadata")
    if "widgets" in notebook.metadata:
        problems.append("notebook metadata holds widget state")
    return problems


def strip_notebook(notebook):
    for cell in notebook.cells:
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
        for key in VOLATILE_CELL_METADATA:
            cell.metadata.pop(key, None)
    notebook.metadata.pop("widgets", None)
    return notebook


def strip_paths(paths) -> list[Path]:
    """Strip the given notebooks in place; return those that changed."""
    changed = []
    for path in paths:
        notebook = nbformat.read(path, as_version=4)
        if notebook_problems(notebook):
            nbformat.write(strip_notebook(notebook), path)
            changed.append(path)
    return changed


def percent_to_notebook(text: str, kernel_name: str = "python3"):
    """Build a notebook from ``# %%`` cells; stable cell ids come from the cell position and grade id."""
    notebook = nbformat.v4.new_notebook()
    notebook.metadata = {
        "kernelspec": {"display_name": "Python 3 (ipykernel)", "language": "python", "name": kernel_name},
        "language_info": {"name": "python"},
    }
    for header, body in _split_cells(text):
        match = CELL_HEADER.match(header)
        if match is None:
            raise ValueError(f"not a cell header: {header!r}")
        if match["markdown"]:
            lines = [re.sub(r"^# ?", "", line) for line in body.splitlines()]
            cell = nbformat.v4.new_markdown_cell("\n".join(lines).strip("\n"))
        else:
            cell = nbformat.v4.new_code_cell(body.strip("\n"))
        if match["nbgrader"]:
            cell.metadata["nbgrader"] = _nbgrader_metadata(json.loads(match["nbgrader"]), cell.cell_type)
        notebook.cells.append(cell)
    for index, cell in enumerate(notebook.cells):
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id", "")
        cell.id = grade_id or hashlib.sha1(f"{index}:{cell.source[:80]}".encode()).hexdigest()[:12]
    nbformat.validate(notebook)
    return notebook


def _split_cells(text: str):
    header, body = None, []
    for line in text.splitlines():
        if line.startswith("# %%"):
            if header is not None:
                yield header, "\n".join(body)
            header, body = line, []
        elif header is not None:
            body.append(line)
    if header is not None:
        yield header, "\n".join(body)


def _nbgrader_metadata(fields: dict, cell_type: str) -> dict:
    metadata = {"grade": False, "solution": False, "locked": False, "task": False, "schema_version": 3}
    metadata.update(fields)
    if metadata["grade"] and "points" not in metadata:
        raise ValueError(f"graded cell {metadata.get('grade_id')!r} needs points")
    if "grade_id" not in metadata:
        raise ValueError(f"nbgrader cell of type {cell_type} needs a grade_id")
    return metadata
