"""Checks shared by every assignment's tests: reading nbgrader cells, the reference answers, secret lines,
nbgrader's Validator, and the release/feedback leak checks.

Each tests/test_<assignment>.py keeps only what is specific to its assignment (expected scores, variants).
"""
import json
import re
from dataclasses import dataclass
from pathlib import Path

import nbformat
from nbgrader.validator import Validator
from traitlets.config import Config

REPOSITORY = Path(__file__).resolve().parent.parent
SECRET_MARKERS = ("BEGIN SOLUTION", "END SOLUTION", "BEGIN HIDDEN TESTS", "END HIDDEN TESTS")


@dataclass(frozen=True)
class Variant:
    """A realistic wrong answer (tests/aN_variants.py): the whole source of one answer cell, one mistake."""
    function: str  # the answer cell's grade_id, which is also the function's name
    name: str
    mistake: str  # what the student got wrong, in words
    source: str  # the whole answer cell


def variants_from_bug_comments(sources: dict) -> list[Variant]:
    """sources: answer grade_id -> {variant name: answer source whose "# Bug: ..." comment names the mistake}."""
    def mistake(source: str) -> str:
        comment = next(line for line in source.splitlines() if line.strip().startswith("# Bug:"))
        return comment.strip()[len("# Bug:"):].strip()

    return [Variant(function, name, mistake(source), source.strip("\n"))
            for function, variants in sources.items() for name, source in variants.items()]


def pack_variants(variants, functions) -> dict:
    """Pack variants into few submissions: submission k holds the k-th variant of every function, so a lost
    point in a function's tests is that function's variant's fault. Returns {student: {answer grade_id: variant}};
    answer cells without a variant keep the solution."""
    by_function = {function: [variant for variant in variants if variant.function == function] for function in functions}
    count = max(len(found) for found in by_function.values())
    return {f"variants{index:02d}": {function: found[index] for function, found in by_function.items()
                                     if index < len(found)}
            for index in range(count)}


def grade_ids_with_prefix(test_prefixes: dict, function: str, grade_ids) -> list[str]:
    """The grade_ids of the test cells that check ``function``: those that start with its prefix."""
    return [grade_id for grade_id in grade_ids if grade_id.startswith(test_prefixes[function])]


def source_path(assignment: str) -> Path:
    return REPOSITORY / "solutions" / assignment / f"{assignment}.ipynb"


def release_path(assignment: str) -> Path:
    return REPOSITORY / "assignments" / assignment / f"{assignment}.ipynb"


def nbgrader_cells(notebook, kind: str) -> dict:
    """grade_id -> cell for the answer ("solution") or graded test ("grade") cells."""
    return {cell.metadata["nbgrader"]["grade_id"]: cell for cell in notebook.cells
            if cell.metadata.get("nbgrader", {}).get(kind)}


def solution_answers(assignment: str) -> dict:
    """The reference answers: each answer cell of the source with the solution markers removed."""
    notebook = nbformat.read(source_path(assignment), as_version=4)
    return {grade_id: "\n".join(line for line in cell.source.splitlines()
                                if "### BEGIN SOLUTION" not in line and "### END SOLUTION" not in line)
            for grade_id, cell in nbgrader_cells(notebook, "solution").items()}


def _regions(source: str, kinds: str):
    """Yield (inside_a_secret_region, line) for each line of a cell."""
    inside = False
    for line in source.splitlines():
        if re.search(rf"### BEGIN ({kinds})", line):
            inside = True
        elif re.search(rf"### END ({kinds})", line):
            inside = False
        else:
            yield inside, line


def secret_lines(source: str, kinds: str = "SOLUTION|HIDDEN TESTS") -> list[str]:
    """Distinctive lines between solution or hidden-test markers (short lines and comments are skipped)."""
    return [line.strip() for inside, line in _regions(source, kinds)
            if inside and len(line.strip()) >= 12 and not line.strip().startswith(("#", "%"))]


def public_lines(source: str) -> list[str]:
    """The lines of a cell outside solution and hidden-test regions (what the release keeps)."""
    return [line for inside, line in _regions(source, "SOLUTION|HIDDEN TESTS") if not inside]


def validator(**settings) -> Validator:
    """nbgrader's own Validator (the CLI exits 0 even when validation fails), with the course's kernel flags."""
    config = Config()
    for name, value in settings.items():
        setattr(config.Validator, name, value)
    config.Execute.extra_arguments = ["--IPKernelApp.capture_fd_output=False"]
    config.Execute.timeout = 120
    config.Execute.iopub_timeout = 30
    return Validator(config=config)


def leaked_secret_lines(assignment: str) -> tuple[list[str], int]:
    """(secret lines of the source that appear in the release, how many secret lines were checked)."""
    release_text = "\n".join(cell.source for cell in nbformat.read(release_path(assignment), as_version=4).cells)
    source_cells = nbformat.read(source_path(assignment), as_version=4).cells
    # Hidden tests repeat some visible lines on purpose (set up, then call); only the others are secret.
    public = {part for cell in source_cells for line in public_lines(cell.source)
              for part in (line.strip(), line.split("  # ")[0].strip())}
    secrets = [line for cell in source_cells for line in secret_lines(cell.source) if line not in public]
    return [secret for secret in secrets if secret in release_text], len(secrets)


def markers_in_release(assignment: str) -> list[str]:
    text = release_path(assignment).read_text(encoding="utf-8")
    return [marker for marker in SECRET_MARKERS + ("xmode",) if marker in text]


def stale_release_differences(assignment: str, generated_release: Path) -> list[str]:
    """Differences between the committed release and a freshly generated one (empty when in sync)."""
    committed = nbformat.read(release_path(assignment), as_version=4)
    generated = nbformat.read(generated_release, as_version=4)
    differences = []
    if committed.metadata != generated.metadata:
        differences.append("notebook metadata")
    if len(committed.cells) != len(generated.cells):
        differences.append(f"{len(committed.cells)} cells committed, {len(generated.cells)} generated")
    differences += [f"cell {index}" for index, (ours, theirs) in enumerate(zip(committed.cells, generated.cells))
                    if dict(ours) != dict(theirs)]
    committed_files = {path.name for path in release_path(assignment).parent.iterdir()}
    generated_files = {path.name for path in generated_release.parent.iterdir()}
    if committed_files != generated_files:
        differences.append(f"files {sorted(committed_files ^ generated_files)}")
    return differences


def hidden_lines_in_feedback(assignment: str, feedback_html: Path) -> list[str]:
    """Hidden-test lines shown in a feedback file; a line that the release also shows is not a secret."""
    released = {line.strip() for cell in nbformat.read(release_path(assignment), as_version=4).cells
                for line in cell.source.splitlines()}
    hidden = {line for cell in nbformat.read(source_path(assignment), as_version=4).cells
              for line in secret_lines(cell.source, kinds="HIDDEN TESTS")} - released
    document = Path(feedback_html).read_text(encoding="utf-8")
    visible = re.sub(r"<[^>]+>", "", document)
    return [line for line in hidden if line in visible or line in document]


# ----------------------------------------------------------------------------------------------------
# A correct submission autogrades in <= 6 s on 2 cores (A2, which trains a model, in <= 15 s). tests.grading_support.grade_class grades
# with 2 workers on 2 cores, so every kernel shares the CPU with another student's. A worker's first kernel
# also starts the preload server that imports TensorFlow once for all its kernels (grading/preload.py); that
# one-off start is reported beside the figure, not charged to one student.
CORRECT_SECONDS_TARGET = 6.0


def check_correct_submission(workdir: Path, result, assignment: str, total_points: float,
                             target_seconds: float = CORRECT_SECONDS_TARGET) -> None:
    score = result.scores["correct"]
    lost = {test: points for test, points in score["tests"].items() if points[0] < points[1]}
    assert score["total"] == score["max"] == total_points, f"the reference answers lost points in {lost}"
    assert score["problems"] == [], score["problems"]
    events = json.loads((Path(workdir) / "grading-work" / "events" / "correct.json").read_text())
    seconds = events["wall_seconds"] - events["preload_start_seconds"] - events.get("judge_start_seconds", 0.0)
    print(f"correct {assignment} submission autograded in {seconds:.1f} s: kernel start to last cell, "
          f"{events['setup_seconds']:.1f} s in set-up cells, {events['budget_seconds_used']:.1f} s in answer and "
          f"test cells (plus {events['preload_start_seconds']:.1f} s starting the preload server and "
          f"{events.get('judge_start_seconds', 0.0):.1f} s importing Keras for the judge, once per worker; class of "
          f"{len(result.students)} in {result.seconds:.0f} s)")
    assert seconds <= target_seconds, (
        f"a correct {assignment} submission took {seconds:.1f} s to autograde (target {target_seconds:g} s)")
