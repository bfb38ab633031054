"""One-shot, parallel, sandboxed autograde of a whole assignment with the real nbgrader.

    result = grade_submissions(assignment, {"alice": folder_or_None, ...}, workdir, source_root=...)

1. A base course folder under `workdir` receives a copy of only this assignment's source; `nbgrader
   generate_assignment` fills its gradebook.
2. Preflight reads every raw submission without modifying it: missing or renamed notebooks, extra files,
   non-UTF-8 text, invalid JSON, old nbformat versions, cells without ids, broken cell structure and huge
   outputs are repaired where possible and always named. The cleaned notebook is staged.
3. The students are split into `workers` shards. Each shard is a copy of the base course, graded by one
   `nbgrader autograde` + `nbgrader generate_feedback` process in its own network namespace (loopback
   only). SafeExecute and the sandbox isolate each kernel (see grading/sandbox.py). A student whose shard
   produced no result is regraded alone once; if that fails too, the failure is their grade row.
4. Results are read from the shard gradebooks; every student gets a row and a feedback file that names every
   problem. Feedback is checked for hidden-test text and withheld (replaced by a score table) if any is found.
5. grades.csv and the report (histogram, per-test pass rates) are written by grading.report.
"""
import copy
import html
import json
import os
import re
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from grading.settings import GradingLimits
from rnncourse.config import data_directory

REPOSITORY = Path(__file__).resolve().parent.parent
COURSE_ID = "rnn-week6"
MAX_RAW_BYTES = 200 * 1024 * 1024
OUTPUT_STRIP_NOTE_BYTES = 1024 * 1024
STUDENT_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.@+-]{0,99}$")


@dataclass
class StudentResult:
    total: float
    max: float
    tests: dict
    status: str
    problems: list
    feedback: Path | None = None
    late_seconds: float = 0.0
    wall_seconds: float | None = None  # kernel start to last cell, measured by SafeExecute
    autograded: Path | None = None  # nbgrader's autograded folder for this student, when grading ran

    def as_score(self) -> dict:
        return {"total": self.total, "max": self.max, "tests": dict(self.tests), "status": self.status,
                "problems": list(self.problems)}


@dataclass
class ClassResult:
    assignment: str
    students: dict  # student -> StudentResult
    csv_path: Path
    report_dir: Path
    seconds: float
    sandbox_mode: str
    log: list = field(default_factory=list)

    @property
    def scores(self) -> dict:
        return {student: result.as_score() for student, result in self.students.items()}

    @property
    def feedback(self) -> dict:
        return {student: result.feedback for student, result in self.students.items()}


# ---------------------------------------------------------------------------------------------------------
# Sandbox mode and commands

def sandbox_mode() -> str:
    """'root' (fresh uid + mount and network namespaces), 'userns' (namespaces, own uid) or 'none'."""
    if os.environ.get("RNNCOURSE_SANDBOX_MODE"):
        return os.environ["RNNCOURSE_SANDBOX_MODE"]
    if os.geteuid() == 0 and shutil.which("unshare"):
        return "root"
    if shutil.which("unshare"):
        probe = subprocess.run(["unshare", "--net", "--mount", "--map-root-user", "true"], capture_output=True)
        if probe.returncode == 0:
            return "userns"
    return "none"


SANDBOX_LOG = {
    "root": "sandbox: kernels run as a fresh unprivileged uid each, in a private mount namespace (course, "
            "solutions and gradebook hidden), without network, with memory/process/file/output limits",
    "userns": "sandbox WARNING: not running as root, so kernels run as YOUR user inside user, mount and network "
              "namespaces: course files are hidden and there is no network, but there is no separate uid "
              "and no process-count limit",
    "none": "sandbox WARNING: no root and no user namespaces: student code runs with YOUR rights and network; "
            "only the time, memory, file-size and output limits apply. Grade on a machine or container "
            "where you are root",
}


def _wrap_network(command: str, mode: str) -> list[str]:
    if mode == "root":
        return ["unshare", "--net", "--", "sh", "-c", f"ip link set lo up && {command}"]
    if mode == "userns":
        return ["unshare", "--net", "--mount", "--map-root-user", "--", "sh", "-c", f"ip link set lo up && {command}"]
    return ["sh", "-c", command]


def _child_environment(events_dir: Path, limits: GradingLimits, mode: str, hide: list[str]) -> dict:
    env = dict(os.environ)
    folder = str(Path(sys.executable).parent)
    env["PATH"] = os.pathsep.join([folder] + [p for p in env.get("PATH", "").split(os.pathsep) if p != folder])
    env["PYTHONPATH"] = str(REPOSITORY)
    env["RNNCOURSE_GRADING_EVENTS"] = str(events_dir)
    # Kernel folders live beside the events of this run, so runs never see each other's folders.
    env["RNNCOURSE_SANDBOX_ROOT"] = str(Path(events_dir).parent / "sandboxes")
    # Kernels read the datasets the grader built, read-only (grading/sandbox.py binds the folder back in).
    # Named explicitly because a kernel cannot see pyproject.toml, so rnncourse.config would otherwise fall
    # back to ~/.cache inside the sandbox and rebuild the data in every notebook (6 s for the speech set).
    data_folder = str(data_directory())
    env["RNNCOURSE_DATA_DIR"] = data_folder
    env["RNNCOURSE_SANDBOX"] = json.dumps({
        "enabled": True, "mode": mode, "memory_mb": limits.memory_mb, "max_processes": limits.max_processes,
        "max_file_mb": limits.max_file_mb, "cpu_seconds": limits.cpu_seconds, "hide": hide, "keep": [data_folder],
        "preload": os.environ.get("RNNCOURSE_PRELOAD", "1") != "0"})  # 0: exec every kernel (grading/preload.py)
    return env


# ---------------------------------------------------------------------------------------------------------
# Course folders

def _write_config(course: Path, limits: GradingLimits, events_dir: Path) -> None:
    (course / "nbgrader_config.py").write_text(
        "import sys\n"
        f"sys.path.insert(0, {str(REPOSITORY)!r})\n"
        "from grading.settings import GradingLimits, apply_grading_settings\n"
        "c = get_config()\n"
        f"c.CourseDirectory.course_id = {COURSE_ID!r}\n"
        f"c.CourseDirectory.root = {str(course)!r}\n"
        f"c.CourseDirectory.db_url = {('sqlite:///' + str(course / 'gradebook.db'))!r}\n"
        f"apply_grading_settings(c, GradingLimits(**{limits.as_dict()!r}), events_dir={str(events_dir)!r})\n")


def _nbgrader(course: Path, *arguments: str, env: dict, check: bool = True) -> subprocess.CompletedProcess:
    result = subprocess.run([sys.executable, "-m", "nbgrader", *arguments], cwd=course, env=env,
                            capture_output=True, text=True)
    if check and result.returncode != 0:
        raise RuntimeError(f"nbgrader {' '.join(arguments)} failed in {course}:\n{result.stdout[-3000:]}"
                           f"\n{result.stderr[-3000:]}")
    return result


def prepare_base_course(assignment: str, source_root: Path, base: Path, limits: GradingLimits,
                        events_dir: Path, env: dict, due_date: str | None = None) -> list[str]:
    """Copy one assignment's source into a fresh course folder and fill its gradebook. Returns notebook names."""
    source = Path(source_root) / assignment
    if not source.is_dir():
        raise FileNotFoundError(f"no source folder {source}: check the assignment name and the source root")
    if base.exists():
        shutil.rmtree(base)
    shutil.copytree(source, base / "source" / assignment,
                    ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__", "*.pyc"))
    _write_config(base, limits, events_dir)
    if due_date:  # generate_assignment keeps the due date of an assignment already in the gradebook
        _nbgrader(base, "db", "assignment", "add", assignment, f"--duedate={due_date}", env=env)
    _nbgrader(base, "generate_assignment", assignment, "--force", env=env)
    names = sorted(path.stem for path in (base / "source" / assignment).glob("*.ipynb"))
    if not names:
        raise FileNotFoundError(f"{source} holds no notebook")
    return names


# ---------------------------------------------------------------------------------------------------------
# Preflight: read a raw submission without changing it; stage a clean copy; name every problem.

def _load_notebook(raw: bytes, name: str, problems: list) -> nbformat.NotebookNode | None:
    if len(raw) > MAX_RAW_BYTES:
        problems.append(f"{name} is {len(raw) / 1e6:.0f} MB, over the {MAX_RAW_BYTES // 2**20} MB limit: not graded")
        return None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        text = raw.decode("latin-1")
        problems.append(f"{name} is not valid UTF-8 (byte {error.start}); it was read as Latin-1")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        problems.append(f"{name} is not valid JSON (line {error.lineno}, column {error.colno}: {error.msg}); "
                        "it cannot be graded. Ask the student to resubmit the file saved by Jupyter")
        return None
    if not isinstance(data, dict) or "cells" not in data and "worksheets" not in data:
        problems.append(f"{name} is JSON but not a notebook (no cells): it cannot be graded")
        return None
    major = data.get("nbformat")
    if major == 4 and data.get("nbformat_minor", 0) >= 5 and isinstance(data.get("cells"), list):
        missing = sum(1 for cell in data["cells"] if isinstance(cell, dict) and not cell.get("id"))
        if missing:
            problems.append(f"{name}: {missing} cells had no id; ids were added")
    if major not in (3, 4):
        if isinstance(data.get("cells"), list):
            problems.append(f"{name} declares nbformat {major!r}; it was read as nbformat 4")
            data["nbformat"], data["nbformat_minor"] = 4, 5
        else:
            problems.append(f"{name} has unsupported nbformat {major!r}: it cannot be graded")
            return None
    elif major == 3:
        problems.append(f"{name} uses the old nbformat 3; it was converted to nbformat 4")
    try:
        notebook = nbformat.reads(json.dumps(data), as_version=4)
    except Exception as error:  # nbformat raises many types on malformed input; all mean "rebuild the cells"
        problems.append(f"{name} could not be read by nbformat ({type(error).__name__}); cells were rebuilt")
        notebook = _rebuild(data.get("cells", []), problems, name)
    return _normalise(notebook, problems, name)


def _rebuild(cells, problems, name):
    notebook = nbformat.v4.new_notebook()
    for raw_cell in cells if isinstance(cells, list) else []:
        if not isinstance(raw_cell, dict):
            continue
        source = raw_cell.get("source", "")
        source = "".join(source) if isinstance(source, list) else str(source)
        kind = raw_cell.get("cell_type")
        cell = (nbformat.v4.new_markdown_cell(source) if kind == "markdown" else nbformat.v4.new_code_cell(source))
        nbgrader_meta = (raw_cell.get("metadata") or {}).get("nbgrader") if isinstance(raw_cell.get("metadata"), dict) else None
        if isinstance(nbgrader_meta, dict):
            cell.metadata["nbgrader"] = nbgrader_meta
        notebook.cells.append(cell)
    return notebook


def _normalise(notebook, problems, name):
    output_bytes = 0
    missing_ids = 0
    notebook.nbformat, notebook.nbformat_minor = 4, 5
    for index, cell in enumerate(notebook.cells):
        if "id" not in cell or not cell.get("id"):
            missing_ids += 1
            cell["id"] = f"cell-{index}"
        if cell.get("cell_type") == "code":
            output_bytes += len(json.dumps(cell.get("outputs", []), default=str))
            cell["outputs"], cell["execution_count"] = [], None
        cell.pop("attachments", None) if cell.get("cell_type") == "code" else None
    if missing_ids:
        problems.append(f"{name}: {missing_ids} cells had no id; ids were added")
    if output_bytes > OUTPUT_STRIP_NOTE_BYTES:
        problems.append(f"{name} carried {output_bytes / 1e6:.1f} MB of outputs; they were removed before grading")
    try:
        nbformat.validate(notebook)
    except nbformat.ValidationError as error:
        problems.append(f"{name} had an invalid structure ({error.message[:120]}); cells were rebuilt")
        notebook = _rebuild(notebook.get("cells", []), problems, name)
    return notebook


def locked_cells(release_folder: Path, source_folder: Path) -> dict:
    """{notebook: {"locked": {grade_id: accepted sources}, "known": grade ids}} from the release and source.

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


def _compare_locked(notebook, reference: dict, problems: list, name: str) -> None:
    """Name every deleted, edited or duplicated locked cell (nbgrader restores them from the source)."""
    seen, seen_ids = {}, set()
    for cell in notebook.cells:
        meta = cell.get("metadata", {}).get("nbgrader") if isinstance(cell.get("metadata"), dict) else None
        grade_id = meta.get("grade_id") if isinstance(meta, dict) else None
        if meta is not None and (grade_id not in reference["known"] or grade_id in seen_ids):
            what = "a second cell with" if grade_id in seen_ids else "the unknown"
            problems.append(f"{name}: {what} grade id {grade_id!r} was treated as an ordinary cell")
            del cell["metadata"]["nbgrader"]
            meta = None
        elif meta is not None and grade_id in reference["metadata"]:
            cell_type, original = reference["metadata"][grade_id]
            volatile = ("checksum", "cell_type")  # added by generate_assignment; absent from the source
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



def preflight(raw_folder: Path | None, notebooks: list[str], staged: Path,
              reference: dict | None = None) -> tuple[list, dict, bool]:
    """Stage a clean copy of one submission. Returns (problems, {notebook: staged?}, anything_to_grade)."""
    problems, present = [], {}
    files = []
    if raw_folder is not None and Path(raw_folder).is_dir():
        files = sorted(p for p in Path(raw_folder).rglob("*") if p.is_file() and ".ipynb_checkpoints" not in p.parts)
    if not files:
        problems.append("no submission: the folder is missing or empty")
        return problems, {name: False for name in notebooks}, False
    staged.mkdir(parents=True, exist_ok=True)
    by_name = {p.relative_to(raw_folder).as_posix(): p for p in files}
    unmatched = [rel for rel in by_name if rel.endswith(".ipynb") and Path(rel).stem not in notebooks]
    extras = [rel for rel in by_name if not rel.endswith(".ipynb") and rel != "timestamp.txt"]
    for name in notebooks:
        path = by_name.get(f"{name}.ipynb")
        if path is None and len(unmatched) == 1 and len(notebooks) == 1:
            path = by_name[unmatched.pop()]
            problems.append(f"{name}.ipynb was not found, but {path.name} was: it was graded as {name}.ipynb")
        if path is None:
            problems.append(f"{name}.ipynb is missing from the submission: its tests score 0")
            present[name] = False
            continue
        notebook = _load_notebook(path.read_bytes(), path.name, problems)
        if notebook is not None and reference:
            _compare_locked(notebook, reference[name], problems, path.name)
        if notebook is not None:
            nbformat.write(notebook, staged / f"{name}.ipynb")
        present[name] = notebook is not None
    if unmatched:
        problems.append(f"extra notebooks ignored: {', '.join(unmatched[:10])}")
    if extras:
        problems.append(f"extra files ignored: {', '.join(extras[:10])}" + (" ..." if len(extras) > 10 else ""))
    if "timestamp.txt" in by_name:
        shutil.copy(by_name["timestamp.txt"], staged / "timestamp.txt")
    return problems, present, any(present.values())


# ---------------------------------------------------------------------------------------------------------
# Running shards

def _shard_command(assignment: str, mode: str) -> list[str]:
    nbgrader = f"{sys.executable} -m nbgrader"
    inner = (f"{nbgrader} autograde {assignment} --force > autograde.log 2>&1; "
             f"{nbgrader} generate_feedback {assignment} --force > feedback.log 2>&1; true")
    return _wrap_network(inner, mode)


def _start_shard(base: Path, shard: Path, assignment: str, students: list, staging: Path,
                 env: dict, mode: str) -> subprocess.Popen:
    if shard.exists():
        shutil.rmtree(shard)
    shutil.copytree(base, shard, ignore=shutil.ignore_patterns("autograded", "feedback", "submitted"))
    (shard / "nbgrader_config.py").write_text((base / "nbgrader_config.py").read_text().replace(
        repr(str(base)), repr(str(shard))).replace(repr("sqlite:///" + str(base / "gradebook.db")),
                                                   repr("sqlite:///" + str(shard / "gradebook.db"))))
    for student in students:
        shutil.copytree(staging / student, shard / "submitted" / student / assignment)
    return subprocess.Popen(_shard_command(assignment, mode), cwd=shard, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def _split(students: list, workers: int) -> list[list]:
    shards = [[] for _ in range(max(1, min(workers, len(students))))]
    for index, student in enumerate(students):
        shards[index % len(shards)].append(student)
    return [shard for shard in shards if shard]


def _read_results(shard: Path, assignment: str, student: str, notebooks: list) -> dict | None:
    from nbgrader.api import Gradebook, MissingEntry
    autograded = shard / "autograded" / student / assignment
    if not all((autograded / f"{name}.ipynb").exists() for name in notebooks):
        return None
    with Gradebook(f"sqlite:///{shard / 'gradebook.db'}", COURSE_ID) as gradebook:
        try:
            submission = gradebook.find_submission(assignment, student)
        except MissingEntry:
            return None
        tests = {}
        for notebook in submission.notebooks:
            for grade in notebook.grades:
                if grade.auto_score is None and grade.manual_score is None:
                    continue
                tests[grade.name] = (float(grade.score), float(grade.max_score))
        return {"tests": tests, "late_seconds": float(submission.total_seconds_late or 0.0)}


def _max_scores(base: Path, assignment: str) -> dict:
    from nbgrader.api import Gradebook
    with Gradebook(f"sqlite:///{base / 'gradebook.db'}", COURSE_ID) as gradebook:
        found = gradebook.find_assignment(assignment)
        return {cell.name: float(cell.max_score) for notebook in found.notebooks for cell in notebook.grade_cells}


def _log_tail(shard: Path, student: str) -> str:
    log = (shard / "autograde.log").read_text(errors="replace") if (shard / "autograde.log").exists() else ""
    lines = [line for line in log.splitlines() if student in line or "Error" in line or "error" in line]
    return " | ".join(lines[-4:])[-600:] or "no log"


# ---------------------------------------------------------------------------------------------------------
# Hidden tests and feedback

def hidden_test_lines(source_folder: Path, release_folder: Path | None = None) -> set[str]:
    """Lines of hidden tests that appear nowhere in the student's release (so finding one means a leak)."""
    visible = set()
    for path in Path(release_folder).glob("*.ipynb") if release_folder else []:
        for cell in nbformat.read(path, as_version=4).cells:
            visible |= {line.strip() for line in cell.source.splitlines()}
    lines = set()
    for path in Path(source_folder).glob("*.ipynb"):
        for cell in nbformat.read(path, as_version=4).cells:
            inside = False
            for line in cell.source.splitlines():
                stripped = line.strip()
                if "BEGIN HIDDEN TESTS" in stripped:
                    inside = True
                elif "END HIDDEN TESTS" in stripped:
                    inside = False
                elif inside and len(stripped) >= 12 and not stripped.startswith("#") and stripped not in visible:
                    lines.add(stripped)
    return lines


def visible_text(document: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", document))


def _notes_html(student: str, result: StudentResult, assignment: str) -> str:
    items = "".join(f"<li>{html.escape(problem)}</li>" for problem in result.problems) or "<li>none</li>"
    return (f'<div id="rnncourse-grading-notes" style="border:2px solid #0072B2;padding:0.8em;margin:1em;'
            f'font-family:sans-serif"><h2>Grading notes for {html.escape(student)}, {html.escape(assignment)}</h2>'
            f"<p>Score: <b>{result.total:g} / {result.max:g}</b> ({html.escape(result.status)})</p>"
            f"<p>Problems found while grading:</p><ul>{items}</ul></div>")


def _score_table_html(student: str, result: StudentResult, assignment: str) -> str:
    rows = "".join(f"<tr><td>{html.escape(test)}</td><td>{score:g}</td><td>{maximum:g}</td></tr>"
                   for test, (score, maximum) in sorted(result.tests.items()))
    return (f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>Feedback: {html.escape(assignment)}"
            f"</title></head><body>{_notes_html(student, result, assignment)}<table border='1'>"
            f"<tr><th>test</th><th>score</th><th>max</th></tr>{rows}</table></body></html>")


def write_feedback(student: str, result: StudentResult, assignment: str, generated: Path | None,
                   destination: Path, hidden: set) -> Path:
    destination.parent.mkdir(parents=True, exist_ok=True)
    document = generated.read_text(encoding="utf-8", errors="replace") if generated and generated.exists() else None
    if document is not None:
        text = visible_text(document)
        leaked = [line for line in hidden if line in text]
        if leaked:
            result.problems.append("the generated feedback contained hidden-test text, so it was replaced by "
                                   "a score table")
            document = None
    if document is None:
        document = _score_table_html(student, result, assignment)
    else:
        notes = _notes_html(student, result, assignment)
        match = re.search(r"<body[^>]*>", document)
        document = document[:match.end()] + notes + document[match.end():] if match else notes + document
    destination.write_text(document, encoding="utf-8")
    return destination


# ---------------------------------------------------------------------------------------------------------
# The one-shot command

def grade_submissions(assignment: str, raw_folders: dict, workdir: Path, output: Path, *,
                      source_root: Path = REPOSITORY / "solutions", workers: int = 2,
                      limits: GradingLimits | None = None, due_date: str | None = None,
                      log=print) -> ClassResult:
    """Autograde every student in `raw_folders` (student -> folder of submitted files, or None)."""
    started = time.monotonic()
    messages, caller_log = [], log

    def log(message: str) -> None:  # kept in ClassResult.log too, so a quiet caller can still read the warnings
        messages.append(message)
        caller_log(message)

    limits = limits or GradingLimits()
    workdir, output = Path(workdir).resolve(), Path(output).resolve()
    work = workdir / "grading-work"
    if work.exists():
        shutil.rmtree(work)
    work.mkdir(parents=True)
    events_dir, staging = work / "events", work / "staged"
    events_dir.mkdir()
    mode = sandbox_mode()
    log(SANDBOX_LOG[mode])
    env = _child_environment(events_dir, limits, mode, hide=[str(work), str(output), str(Path(source_root).resolve())])
    base = work / "base"
    notebooks = prepare_base_course(assignment, Path(source_root), base, limits, events_dir, env, due_date)
    max_scores = _max_scores(base, assignment)
    hidden = hidden_test_lines(base / "source" / assignment, base / "release" / assignment)
    reference = locked_cells(base / "release" / assignment, base / "source" / assignment)

    problems, gradable = {}, []
    for student in sorted(raw_folders):
        if not STUDENT_ID.match(student):
            raise ValueError(f"student id {student!r} is not a safe folder name: use letters, digits and _.@+-")
        problems[student], present, anything = preflight(raw_folders[student], notebooks, staging / student, reference)
        if anything:
            gradable.append(student)
    log(f"grading {len(gradable)} of {len(raw_folders)} submissions of {assignment} with {workers} workers")

    found, shard_of = {}, {}
    pending = list(gradable)
    for attempt in range(2):
        shards = _split(pending, workers)
        processes = []
        for index, members in enumerate(shards):
            shard = work / f"shard-{attempt}-{index}"
            processes.append((shard, members, _start_shard(base, shard, assignment, members, staging, env, mode)))
        for shard, members, process in processes:
            process.wait()
            for student in members:
                shard_of[student] = shard
                result = _read_results(shard, assignment, student, [n for n in notebooks if (staging / student / f"{n}.ipynb").exists()])
                if result is not None:
                    found[student] = result
        pending = [student for student in pending if student not in found]
        if not pending:
            break
        log(f"regrading alone, once: {', '.join(pending)}")

    students = {}
    for student in sorted(raw_folders):
        events, wall = [], None
        events_file = events_dir / f"{student}.json"
        if events_file.exists():
            recorded = json.loads(events_file.read_text())
            events, wall = recorded["events"], recorded.get("wall_seconds")
        notes = problems[student] + [event["message"] for event in events]
        outcome = found.get(student)
        if student in gradable and outcome is None:
            notes.append("autograding failed, so every test scores 0 (nbgrader: "
                         f"{_log_tail(shard_of[student], student)})")
        tests = {test: (0.0, maximum) for test, maximum in max_scores.items()}
        if outcome:
            tests.update(outcome["tests"])
        late = outcome["late_seconds"] if outcome else 0.0
        if late > 0:
            notes.append(f"submitted {late / 3600:.1f} hours late")
        total = round(sum(score for score, _ in tests.values()), 4)
        maximum = round(sum(m for _, m in tests.values()), 4)
        result = StudentResult(total=total, max=maximum, tests=tests,
                               status="problem" if notes else "graded", problems=notes, late_seconds=late,
                               wall_seconds=wall)
        generated = None
        if outcome and student in shard_of:
            generated = shard_of[student] / "feedback" / student / assignment / f"{notebooks[0]}.html"
        result.feedback = write_feedback(student, result, assignment, generated,
                                         output / "feedback" / student / assignment / f"{notebooks[0]}.html", hidden)
        if outcome:
            result.autograded = shard_of[student] / "autograded" / student / assignment
        students[student] = result
    from grading.report import write_grades_csv, write_report
    csv_path = write_grades_csv(students, output / f"{assignment}_grades.csv", sorted(max_scores))
    report_dir = write_report(assignment, students, max_scores, output / "report", sandbox=SANDBOX_LOG[mode])
    seconds = time.monotonic() - started
    log(f"graded {len(students)} students in {seconds:.1f} s; CSV {csv_path}; report {report_dir}")
    return ClassResult(assignment, students, csv_path, report_dir, seconds, mode, messages)
