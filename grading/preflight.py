"""Preflight: read one raw submission without changing it, stage a clean copy, and name every problem.

    problems, present, anything = preflight(raw_folder, notebooks, staged, reference)

Preflight is total: whatever a file holds (100,000 nested arrays, a string where a number belongs, 40,000
cells, a symbolic link to the solutions), the result is that student's problem list, never an exception that
stops the class. Repairs (ids added, nbformat 3 converted, cells rebuilt, outputs removed) are always named.
Submitted files are listed without following symbolic links; links and special files are refused by name.
nbgrader's markers (`### BEGIN HIDDEN TESTS`, ...) in a student's text are neutralised here, because
ClearHiddenTests would otherwise treat a student comment as the start of a hidden block.
"""
import copy
import json
import os
import re
import shutil
import stat
from pathlib import Path

import nbformat

MAX_RAW_BYTES = 200 * 1024 * 1024
MAX_CELLS = 2000  # the course's notebooks have < 100; 40,000 empty cells once took nbgrader 5 minutes
OUTPUT_STRIP_NOTE_BYTES = 1024 * 1024
MARKER = re.compile(r"(BEGIN|END)[ \t]+HIDDEN[ \t]+TESTS", re.IGNORECASE)
TIMESTAMP = "timestamp.txt"


class Refused(Exception):
    """The file cannot be graded; the message says why and what to do."""


# ---------------------------------------------------------------------------------------------------------
# Files: listed with lstat, never followed

def submitted_files(raw_folder: Path, problems: list) -> dict:
    """{relative posix path: Path} of the regular files under raw_folder; links and special files are named."""
    raw_folder = Path(raw_folder)
    if raw_folder.is_symlink() or not raw_folder.is_dir():
        if raw_folder.is_symlink():
            problems.append(f"the submission folder {raw_folder.name} is a symbolic link: it was not read")
        return {}
    found = {}
    for folder, subfolders, names in os.walk(raw_folder, followlinks=False):
        subfolders[:] = [name for name in subfolders if name != ".ipynb_checkpoints"]
        for name in list(subfolders) + names:
            path = Path(folder) / name
            relative = path.relative_to(raw_folder).as_posix()
            mode = os.lstat(path).st_mode
            if stat.S_ISLNK(mode):
                problems.append(f"{relative} is a symbolic link: it was not read (submit the file itself)")
                if name in subfolders:
                    subfolders.remove(name)
            elif stat.S_ISREG(mode):
                found[relative] = path
            elif not stat.S_ISDIR(mode):
                problems.append(f"{relative} is not a regular file (a device, pipe or socket): it was not read")
    return found


def read_regular(path: Path, limit: int = MAX_RAW_BYTES) -> bytes:
    """The bytes of a regular file, opened without following a link that replaced it since it was listed."""
    descriptor = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | getattr(os, "O_NONBLOCK", 0))
    with os.fdopen(descriptor, "rb") as handle:
        info = os.fstat(handle.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise Refused(f"{path.name} is not a regular file: it was not read")
        if info.st_size > limit:
            raise Refused(f"{path.name} is {info.st_size / 1e6:.0f} MB, over the {limit // 2**20} MB limit: "
                          "not graded. Ask the student to clear the outputs (Kernel > Restart & Clear Output) "
                          "and resubmit")
        return handle.read(limit + 1)


# ---------------------------------------------------------------------------------------------------------
# Notebook JSON: checked field by field before nbformat sees it

def _decode(raw: bytes, name: str, problems: list) -> dict:
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        text = raw.decode("latin-1")
        problems.append(f"{name} is not valid UTF-8 (byte {error.start}); it was read as Latin-1")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise Refused(f"{name} is not valid JSON (line {error.lineno}, column {error.colno}: {error.msg}); it "
                      "cannot be graded. Ask the student to resubmit the file saved by Jupyter") from None
    except RecursionError:
        raise Refused(f"{name} nests its JSON too deeply to be a notebook; it cannot be graded. Ask the student "
                      "to resubmit the file saved by Jupyter") from None
    if not isinstance(data, dict) or ("cells" not in data and "worksheets" not in data):
        raise Refused(f"{name} is JSON but not a notebook (no cells): it cannot be graded")
    return data


def _version(data: dict, name: str, problems: list) -> None:
    major, minor = data.get("nbformat"), data.get("nbformat_minor", 0)
    if not isinstance(minor, int) or isinstance(minor, bool):
        problems.append(f"{name}: nbformat_minor is {minor!r}, not a whole number; it was read as 5")
        data["nbformat_minor"] = minor = 5
    if major == 3:
        problems.append(f"{name} uses the old nbformat 3; it was converted to nbformat 4")
    elif major != 4:
        if not isinstance(data.get("cells"), list):
            raise Refused(f"{name} has unsupported nbformat {major!r}: it cannot be graded")
        problems.append(f"{name} declares nbformat {major!r}; it was read as nbformat 4")
        data["nbformat"], data["nbformat_minor"] = 4, 5


def _check_cells(data: dict, name: str, problems: list) -> None:
    """Refuse absurd cell counts; drop nbgrader metadata that is not what nbgrader itself writes."""
    cells = data.get("cells") if data.get("nbformat") == 4 else None
    if cells is None:
        return  # nbformat 3: nbformat's own converter checks it
    if not isinstance(cells, list):
        raise Refused(f"{name}: 'cells' is a {type(cells).__name__}, not a list: it cannot be graded")
    if len(cells) > MAX_CELLS:
        raise Refused(f"{name} has {len(cells)} cells, over the limit of {MAX_CELLS}: it was not graded. "
                      "Ask the student to resubmit the notebook they were given, with their answers")
    if data["nbformat_minor"] >= 5:
        missing = sum(1 for cell in cells if isinstance(cell, dict) and not cell.get("id"))
        if missing:
            problems.append(f"{name}: {missing} cells had no id; ids were added")
    for index, cell in enumerate(cells):
        metadata = cell.get("metadata") if isinstance(cell, dict) else None
        meta = metadata.get("nbgrader") if isinstance(metadata, dict) else None
        if meta is None:
            continue
        grade_id = meta.get("grade_id") if isinstance(meta, dict) else None
        if not isinstance(meta, dict) or not isinstance(grade_id, (str, type(None))):
            problems.append(f"{name}: cell {index} has nbgrader metadata nbgrader did not write "
                            f"(grade_id {grade_id!r}); it was treated as an ordinary cell")
            del metadata["nbgrader"]


def _read_notebook(raw: bytes, name: str, problems: list) -> nbformat.NotebookNode:
    data = _decode(raw, name, problems)
    _version(data, name, problems)
    _check_cells(data, name, problems)
    try:
        notebook = nbformat.reads(json.dumps(data), as_version=4)
    except Exception as error:  # nbformat raises many types on malformed input; all mean "rebuild the cells"
        problems.append(f"{name} could not be read by nbformat ({type(error).__name__}); cells were rebuilt")
        notebook = _rebuild(data.get("cells", []))
    return _normalise(notebook, problems, name)


def _rebuild(cells) -> nbformat.NotebookNode:
    notebook = nbformat.v4.new_notebook()
    for raw_cell in cells if isinstance(cells, list) else []:
        if not isinstance(raw_cell, dict):
            continue
        source = raw_cell.get("source", "")
        source = "".join(str(part) for part in source) if isinstance(source, list) else str(source)
        kind = raw_cell.get("cell_type")
        cell = nbformat.v4.new_markdown_cell(source) if kind == "markdown" else nbformat.v4.new_code_cell(source)
        metadata = raw_cell.get("metadata")
        if isinstance(metadata, dict) and isinstance(metadata.get("nbgrader"), dict):
            cell.metadata["nbgrader"] = metadata["nbgrader"]
        notebook.cells.append(cell)
    return notebook


def _normalise(notebook, problems: list, name: str):
    output_bytes, missing_ids = 0, 0
    notebook.nbformat, notebook.nbformat_minor = 4, 5
    for index, cell in enumerate(notebook.cells):
        if not cell.get("id"):
            missing_ids += 1
            cell["id"] = f"cell-{index}"
        if cell.get("cell_type") == "code":
            output_bytes += len(json.dumps(cell.get("outputs", []), default=str))
            cell["outputs"], cell["execution_count"] = [], None
            cell.pop("attachments", None)
    if missing_ids:
        problems.append(f"{name}: {missing_ids} cells had no id; ids were added")
    if output_bytes > OUTPUT_STRIP_NOTE_BYTES:
        problems.append(f"{name} carried {output_bytes / 1e6:.1f} MB of outputs; they were removed before grading")
    try:
        nbformat.validate(notebook)
    except nbformat.ValidationError as error:
        problems.append(f"{name} had an invalid structure ({error.message[:120]}); cells were rebuilt")
        notebook = _rebuild(notebook.get("cells", []))
    return notebook


def neutralise_markers(notebook, problems: list, name: str) -> None:
    """`### BEGIN HIDDEN TESTS` in a student's text becomes `### BEGIN_HIDDEN_TESTS`: nbgrader ignores it.

    Locked cells are restored from the source by nbgrader afterwards, so changing them too is safe; only a
    student's own cells are named."""
    changed = 0
    for cell in notebook.cells:
        source = cell.get("source", "")
        fixed = MARKER.sub(lambda match: "_".join(match.group(0).split()), source)
        if fixed != source:
            cell["source"] = fixed
            meta = cell.get("metadata", {}).get("nbgrader", {})
            changed += not (meta.get("locked") and not meta.get("solution"))
    if changed:
        problems.append(f"{name}: {changed} of the student's cells contained nbgrader's hidden-test markers; "
                        "they were neutralised so they cannot hide or reveal anything")


# ---------------------------------------------------------------------------------------------------------
# Locked cells

def locked_cells(release_folder: Path, source_folder: Path) -> dict:
    """{notebook: {"locked": {grade_id: accepted sources}, "known": grade ids, "metadata": ...}}.

    A locked cell counts as unedited when it matches its release version or its source version (the
    instructor's own solution notebook carries the hidden tests)."""
    reference = {}
    for path in Path(release_folder).glob("*.ipynb"):
        cells, known, metadata = {}, set(), {}
        for folder in (Path(release_folder), Path(source_folder)):
            if not (folder / path.name).exists():
                continue
            for cell in nbformat.read(folder / path.name, as_version=4).cells:
                meta = cell.metadata.get("nbgrader", {})
                known.add(meta.get("grade_id"))
                if meta.get("grade_id") and folder == Path(release_folder):
                    metadata[meta["grade_id"]] = (cell.cell_type, dict(meta))
                if meta.get("locked") and not meta.get("solution") and cell.cell_type == "code":
                    cells.setdefault(meta["grade_id"], set()).add(cell.source.strip())
        reference[path.stem] = {"locked": cells, "known": known, "metadata": metadata}
    return reference


def _restore_metadata(cell, grade_id, reference: dict, problems: list, name: str) -> None:
    cell_type, original = reference["metadata"][grade_id]
    volatile = ("checksum", "cell_type")  # added by generate_assignment; absent from the source
    meta = cell["metadata"]["nbgrader"]
    if {k: v for k, v in meta.items() if k not in volatile} != {k: v for k, v in original.items() if k not in volatile}:
        problems.append(f"{name}: the nbgrader metadata of {grade_id} was changed; it was restored")
    cell["metadata"]["nbgrader"] = copy.deepcopy(original)
    if cell.get("cell_type") != cell_type:
        problems.append(f"{name}: the cell type of {grade_id} was changed; it was restored")
        cell["cell_type"] = cell_type
        if cell_type == "code":
            cell.setdefault("outputs", [])
            cell.setdefault("execution_count", None)
        else:
            cell.pop("outputs", None)
            cell.pop("execution_count", None)


def compare_locked(notebook, reference: dict, problems: list, name: str) -> None:
    """Name every deleted, edited or duplicated locked cell (nbgrader restores them from the source)."""
    seen, seen_ids = {}, set()
    for cell in notebook.cells:
        meta = cell.get("metadata", {}).get("nbgrader")
        grade_id = meta.get("grade_id") if isinstance(meta, dict) else None
        if meta is not None and (grade_id not in reference["known"] or grade_id in seen_ids):
            what = "a second cell with" if grade_id in seen_ids else "the unknown"
            problems.append(f"{name}: {what} grade id {grade_id!r} was treated as an ordinary cell")
            del cell["metadata"]["nbgrader"]
            meta = None
        elif meta is not None and grade_id in reference["metadata"]:
            _restore_metadata(cell, grade_id, reference, problems, name)
        if meta is not None:
            seen_ids.add(grade_id)
        if meta is not None and grade_id in reference["locked"]:
            seen.setdefault(grade_id, []).append(cell.get("source", ""))
    for grade_id, source in reference["locked"].items():
        copies = seen.get(grade_id, [])
        if not copies:
            problems.append(f"{name}: locked cell {grade_id} was deleted or its metadata changed; the original "
                            "was restored from the source and graded")
        elif any(text.strip() not in source for text in copies):
            problems.append(f"{name}: locked cell {grade_id} was edited; the original was restored and graded")


# ---------------------------------------------------------------------------------------------------------
# One submission

def _stage_notebook(path: Path, name: str, staged: Path, reference: dict | None, problems: list) -> bool:
    try:
        notebook = _read_notebook(read_regular(path), path.name, problems)
    except Refused as refusal:
        problems.append(str(refusal))
        return False
    if reference:
        compare_locked(notebook, reference[name], problems, path.name)
    neutralise_markers(notebook, problems, path.name)
    nbformat.write(notebook, staged / f"{name}.ipynb")
    return True


def _stage_timestamp(by_name: dict, staged: Path, problems: list) -> None:
    if TIMESTAMP not in by_name:
        return
    try:
        text = read_regular(by_name[TIMESTAMP], limit=200).decode("utf-8").strip()
    except (Refused, UnicodeDecodeError) as error:
        problems.append(f"{TIMESTAMP} could not be read ({error}); the submission time is unknown")
        return
    from grading.lateness import parse_time
    if parse_time(text) is None:
        problems.append(f"{TIMESTAMP} holds {text[:60]!r}, not a time; the submission time is unknown")
        return
    (staged / TIMESTAMP).write_text(text + "\n")


def _preflight(raw_folder, notebooks: list, staged: Path, reference: dict | None, problems: list) -> dict:
    by_name = submitted_files(raw_folder, problems) if raw_folder is not None else {}
    if not by_name:
        problems.append("no submission: the folder is missing or empty" if not problems else
                        "no readable file was submitted, so nothing was graded: ask the student to resubmit")
        return {name: False for name in notebooks}
    staged.mkdir(parents=True, exist_ok=True)
    unmatched = [rel for rel in by_name if rel.endswith(".ipynb") and Path(rel).stem not in notebooks]
    extras = [rel for rel in by_name if not rel.endswith(".ipynb") and rel != TIMESTAMP]
    present = {}
    for name in notebooks:
        path = by_name.get(f"{name}.ipynb")
        if path is None and len(unmatched) == 1 and len(notebooks) == 1:
            path = by_name[unmatched.pop()]
            problems.append(f"{name}.ipynb was not found, but {path.name} was: it was graded as {name}.ipynb")
        if path is None:
            problems.append(f"{name}.ipynb is missing from the submission: its tests score 0")
            present[name] = False
            continue
        present[name] = _stage_notebook(path, name, staged, reference, problems)
    if unmatched:
        problems.append(f"extra notebooks ignored: {', '.join(unmatched[:10])}")
    if extras:
        problems.append(f"extra files ignored: {', '.join(extras[:10])}" + (" ..." if len(extras) > 10 else ""))
    _stage_timestamp(by_name, staged, problems)
    return present


def preflight(raw_folder: Path | None, notebooks: list[str], staged: Path,
              reference: dict | None = None) -> tuple[list, dict, bool]:
    """Stage a clean copy of one submission. Returns (problems, {notebook: staged?}, anything_to_grade).

    Never raises for anything a submission holds: an unexpected error becomes this student's problem."""
    problems = []
    try:
        present = _preflight(raw_folder, notebooks, Path(staged), reference, problems)
    except Exception as error:  # total by design: one file must never stop the class (the message says so)
        problems.append(f"preflight could not read this submission ({type(error).__name__}: {str(error)[:200]}), "
                        "so it was not graded. Ask the student to resubmit the notebook saved by Jupyter, and "
                        "report this message to the course maintainers")
        shutil.rmtree(staged, ignore_errors=True)
        present = {name: False for name in notebooks}
    return problems, present, any(present.values())
