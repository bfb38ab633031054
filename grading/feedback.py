"""Feedback files: what a student may see, checked before anything is written where they can read it.

    secrets = Secrets.of(source_folder, release_folder)     # hidden-test text and instructor variables
    leaks = secrets.beside(own_text).found_in(document)     # [] when the document may be shown
    write_feedback(student, result, assignment, generated, destination, secrets)

The check looks for every hidden-test line (those absent from the release), every distinctive string literal
of a hidden block, and every instructor variable value, in the visible text of the document and in whatever
its base64, URL-safe base64, hex, zlib and gzip runs decode to (a student's last cell can print
`base64(zlib(In))`). A document with a finding is never written: the student gets a score table with their
problems, and the problem says why. What the student's own submission holds is never a finding.
"""
import ast
import base64
import binascii
import gzip
import html
import os
import re
import zlib
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from grading.preflight import MARKER

ENCODED_RUN = re.compile(r"[A-Za-z0-9+/_=-]{24,}")
HEX_RUN = re.compile(r"(?:[0-9a-fA-F]{2}){16,}")
SECRET_NAME = re.compile(r"TOKEN|SECRET|PASSW|KEY|CREDENTIAL|AUTH|COOKIE|SESSION|PRIVATE|CANARY", re.IGNORECASE)
MAX_DECODED_BYTES = 50 * 1024 * 1024


def _hidden_blocks(source: str):
    inside = False
    for line in source.splitlines():
        if "BEGIN HIDDEN TESTS" in line:
            inside = True
        elif "END HIDDEN TESTS" in line:
            inside = False
        elif inside:
            yield line


def _string_literals(lines: list[str]) -> set[str]:
    found = set()
    for line in lines:
        for match in re.finditer(r"(['\"])((?:\\.|(?!\1).){8,})\1", line):
            try:
                value = ast.literal_eval(match.group(0))
            except (ValueError, SyntaxError):
                continue
            if isinstance(value, str) and len(value.strip()) >= 8:
                found.add(value.strip())
    return found


def instructor_values(environment: dict | None = None) -> set[str]:
    """Values of the grader's variables whose names say they are secret (tokens, keys, passwords)."""
    environment = os.environ if environment is None else environment
    return {value for name, value in environment.items() if SECRET_NAME.search(name) and len(value) >= 6}


@dataclass
class Secrets:
    lines: set = field(default_factory=set)     # hidden-test lines absent from the release
    literals: set = field(default_factory=set)  # string literals of hidden blocks absent from the release
    variables: set = field(default_factory=set)  # instructor variable values

    @classmethod
    def of(cls, source_folder: Path, release_folder: Path | None = None, environment: dict | None = None):
        visible_lines, visible_text_all = set(), ""
        for path in Path(release_folder).glob("*.ipynb") if release_folder else []:
            for cell in nbformat.read(path, as_version=4).cells:
                visible_lines |= {line.strip() for line in cell.source.splitlines()}
                visible_text_all += cell.source + "\n"
        hidden = [line for path in Path(source_folder).glob("*.ipynb")
                  for cell in nbformat.read(path, as_version=4).cells for line in _hidden_blocks(cell.source)]
        lines = {line.strip() for line in hidden if len(line.strip()) >= 12 and not line.strip().startswith("#")}
        literals = {text for text in _string_literals(hidden) if text not in visible_text_all}
        return cls(lines - visible_lines, literals, instructor_values(environment))

    def beside(self, own_text: str) -> "Secrets":
        """These secrets less what the student's own submission already holds. Showing students a line they
        wrote themselves leaks nothing, even when it equals a hidden one (an assert they added, say); without
        this, such a student's feedback was replaced by a score table."""
        own_lines = {line.strip() for line in own_text.splitlines()}
        return Secrets(self.lines - own_lines, {literal for literal in self.literals if literal not in own_text},
                       self.variables)

    def found_in(self, document: str) -> list[str]:
        """What of the secrets the document shows, in any of the forms the module docstring lists."""
        texts = [document, html.unescape(document), visible_text(document)]
        texts += decoded_runs(texts[2]) + decoded_runs(re.sub(r"\s+", "", texts[2]))
        found = []
        for kind, values in (("hidden-test line", self.lines), ("hidden-test value", self.literals),
                             ("instructor variable", self.variables)):
            hits = [value for value in values if any(value in text for text in texts)]
            found += [f"{kind} {value[:40]!r}" if kind != "instructor variable" else kind for value in hits]
        return found


def submitted_text(folder: Path, notebooks: list[str]) -> str:
    """Every cell source of a student's submitted notebooks. A file that does not parse adds nothing, which
    only makes the check stricter for that student."""
    sources = []
    for name in notebooks:
        path = Path(folder) / f"{name}.ipynb"
        try:
            sources += [str(cell.get("source", "")) for cell in nbformat.read(path, as_version=4).cells]
        except Exception:  # missing, not JSON, too deeply nested, not a notebook: nothing of theirs to exempt
            continue
    return "\n".join(sources)


def visible_text(document: str) -> str:
    return html.unescape(re.sub(r"<[A-Za-z/!][^>]*>", "", document))


def _expand(data: bytes) -> list[bytes]:
    """data, and what zlib or gzip make of it when it is compressed."""
    forms = [data]
    for inflate in (lambda raw: zlib.decompressobj().decompress(raw, MAX_DECODED_BYTES),
                    lambda raw: zlib.decompressobj(-15).decompress(raw, MAX_DECODED_BYTES), gzip.decompress):
        try:
            forms.append(inflate(data))
        except (zlib.error, OSError, EOFError, ValueError):
            continue
    return forms


def decoded_runs(text: str) -> list[str]:
    """The text that every base64 / hex run of `text` decodes to, zlib and gzip included."""
    decoded = []
    for run in set(ENCODED_RUN.findall(text)):
        for decoder in (base64.b64decode, base64.urlsafe_b64decode):
            try:
                data = decoder(run + "=" * (-len(run) % 4))
            except (binascii.Error, ValueError):
                continue
            decoded += [form.decode("utf-8", errors="ignore") for form in _expand(data)]
    for run in set(HEX_RUN.findall(text)):
        decoded += [form.decode("utf-8", errors="ignore") for form in _expand(bytes.fromhex(run))]
    return [text for text in decoded if text]


# ---------------------------------------------------------------------------------------------------------
# The documents

def notes_html(student: str, result, assignment: str) -> str:
    items = "".join(f"<li>{html.escape(problem)}</li>" for problem in result.problems) or "<li>none</li>"
    return (f'<div id="rnncourse-grading-notes" style="border:2px solid #0072B2;padding:0.8em;margin:1em;'
            f'font-family:sans-serif"><h2>Grading notes for {html.escape(student)}, {html.escape(assignment)}</h2>'
            f"<p>Score: <b>{result.total:g} / {result.max:g}</b> ({html.escape(result.status)})</p>"
            f"<p>Problems found while grading:</p><ul>{items}</ul></div>")


def score_table_html(student: str, result, assignment: str) -> str:
    rows = "".join(f"<tr><td>{html.escape(test)}</td><td>{score:g}</td><td>{maximum:g}</td></tr>"
                   for test, (score, maximum) in sorted(result.tests.items()))
    return (f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>Feedback: {html.escape(assignment)}"
            f"</title></head><body>{notes_html(student, result, assignment)}<table border='1'>"
            f"<tr><th>test</th><th>score</th><th>max</th></tr>{rows}</table></body></html>")


def unsafe_markup(document: str) -> list[str]:
    """Active content nbconvert's own template does not write: inline handlers, javascript: URLs, <iframe>."""
    found = []
    for pattern, what in ((r"<[^>]+\son[a-z]+\s*=", "an inline event handler"), (r"(href|src|action)\s*=\s*[\"']?\s*javascript:", "a javascript: URL"),
                          (r"<(iframe|object|embed)\b", "an embedded frame")):
        if re.search(pattern, document, re.IGNORECASE):
            found.append(what)
    return found


def write_feedback(student: str, result, assignment: str, generated: Path | None, destination: Path,
                   secrets: Secrets, max_bytes: int = 5 * 1024 * 1024) -> Path:
    """Write the student's feedback: nbgrader's document with the grading notes, or a score table."""
    destination.parent.mkdir(parents=True, exist_ok=True)
    document = None
    if generated is not None and generated.exists():
        document = generated.read_text(encoding="utf-8", errors="replace")
        reasons = secrets.found_in(document)
        reasons += unsafe_markup(document)
        if len(document) > max_bytes:
            reasons.append(f"{len(document) / 1e6:.1f} MB, over the {max_bytes / 1e6:.1f} MB feedback limit")
        if reasons:
            result.problems.append("the generated feedback was replaced by a score table because it held "
                                   + "; ".join(sorted(set(reasons))[:5]))
            document = None
    elif generated is not None:
        result.problems.append("nbgrader could not generate this feedback (see the grading log); a score table "
                               "is given instead")
    if document is None:
        document = score_table_html(student, result, assignment)
    else:
        notes = notes_html(student, result, assignment)
        match = re.search(r"<body[^>]*>", document)
        document = document[:match.end()] + notes + document[match.end():] if match else notes + document
    destination.write_text(document, encoding="utf-8")
    return destination


def has_markers(text: str) -> bool:
    return bool(MARKER.search(text))


try:
    from nbconvert.preprocessors import Preprocessor
    from traitlets import Integer
except ImportError:  # pragma: no cover - nbconvert is pinned; this keeps the module importable alone
    Preprocessor, Integer = object, None


class CapOutputs(Preprocessor):
    """Feedback keeps at most `max_bytes` of outputs per notebook; later outputs become one short note.

    60 cells of 450 KB once made 27 MB of feedback. Set with GradingLimits.max_feedback_kb."""
    max_bytes = Integer(2 * 1024 * 1024, help="Most output bytes one feedback notebook keeps").tag(config=True)

    def preprocess(self, nb, resources):
        kept = 0
        for cell in nb.cells:
            if cell.get("cell_type") != "code":
                continue
            outputs = []
            for output in cell.get("outputs", []):
                size = len(str(output))
                if kept + size > self.max_bytes:
                    outputs.append(nbformat.v4.new_output(
                        "stream", name="stdout", text=f"[output removed: this feedback keeps at most "
                                                      f"{self.max_bytes // 1024} KiB of outputs]\n"))
                    break
                kept += size
                outputs.append(output)
            cell.outputs = outputs
        return nb, resources


try:
    from nbconvert.exporters import HTMLExporter, TemplateExporter
    from nbconvert.filters.highlight import Highlight2HTML
    from nbconvert.filters.widgetsdatatypefilter import WidgetsDataTypeFilter
except ImportError:  # pragma: no cover
    HTMLExporter = TemplateExporter = object

IMAGE_WITHOUT_ALT = re.compile(r"<img(?![^>]*\balt=)", re.IGNORECASE)


class FeedbackExporter(HTMLExporter):
    """nbconvert's HTML exporter without its BeautifulSoup pass, for feedback files.

    After rendering, HTMLExporter parses the whole page with BeautifulSoup only to give images without alt text
    a placeholder and to make JupyterLab-template cells focusable: about 1 s of CPU per feedback file, as much
    as grading the student. nbgrader's feedback template has no JupyterLab cells, and one regular expression
    gives the images their placeholder."""

    def from_notebook_node(self, nb, resources=None, **kw):
        language = nb.metadata.get("language_info", {})
        lexer = language.get("pygments_lexer", language.get("name", None))
        self.register_filter("highlight_code", self.filters.get(
            "highlight_code", Highlight2HTML(pygments_lexer=lexer, parent=self)))
        resources = self._init_resources(resources)
        self.register_filter("filter_data_type", WidgetsDataTypeFilter(
            notebook_metadata=self._nb_metadata, parent=self, resources=resources))
        page, resources = TemplateExporter.from_notebook_node(self, nb, resources, **kw)
        return IMAGE_WITHOUT_ALT.sub('<img alt="No description has been provided for this image"', page), resources
