"""Collecting submissions into nbgrader's submitted/<student>/<assignment>/ layout, from a zip or the exchange.

Both paths copy regular files only: a symbolic link, a device or a pipe is refused by name and never
followed (also as root), so a link to solutions/ cannot be collected as a student's notebook. One odd entry
is refused on its own; the rest of the class is collected. Every collected submission gets a
`timestamp.txt` (the exchange's own, or the zip entry's time), from which grading computes lateness.
"""
import os
import pwd
import shutil
import stat
import zipfile
from datetime import datetime, timezone
from pathlib import Path

from grading.lateness import format_time, parse_time
from grading.preflight import Refused, read_regular, submitted_files

ZIP_LINK = 0o120000


class CollectError(Exception):
    """The whole archive or exchange cannot be used; the message says what to do."""


def _replace(destination: Path) -> None:
    if destination.is_symlink() or destination.is_file():
        destination.unlink()
    elif destination.exists():
        shutil.rmtree(destination)
    destination.mkdir(parents=True)


# ---------------------------------------------------------------------------------------------------------
# zip

def _zip_student(member: zipfile.ZipInfo, assignment: str, student_id) -> tuple[str, Path]:
    """(student, path inside their submission) of one entry; raises Refused with the reason."""
    parts = Path(member.filename).parts
    if member.filename.startswith("/") or ".." in parts or "\\" in member.filename:
        raise Refused(f"{member.filename!r} is an unsafe path")
    if (member.external_attr >> 16) & 0o170000 == ZIP_LINK:
        raise Refused(f"{member.filename!r} is a symbolic link")
    if len(parts) >= 2:
        student, relative = parts[0], Path(*parts[1:])
    else:
        stem = Path(parts[0]).stem
        student, relative = stem.split("__")[0], Path(parts[0] if "__" in stem else f"{assignment}.ipynb")
    if not student_id.match(student):
        raise Refused(f"{member.filename!r}: {student!r} is not a usable student id (letters, digits and _.@+- "
                      "only); rename the entry and collect again")
    return student, relative


def collect_zip(assignment: str, archive: Path, submitted: Path, student_id, max_mb: int = 500) -> tuple[list, list]:
    """Unpack a zip of downloaded submissions. Returns (students collected, refused entries with reasons).

    Layouts: one folder per student (`alice/a1_cells.ipynb`), or flat `<student>.ipynb` /
    `<student>__<anything>.ipynb`. A student's earlier collected files are replaced. Zip entry times carry
    no time zone; they are read as UTC."""
    if not zipfile.is_zipfile(archive):
        raise CollectError(f"{archive} is not a zip file")
    students, refused = {}, []
    with zipfile.ZipFile(archive) as bundle:
        members = [m for m in bundle.infolist() if not m.is_dir() and "__MACOSX" not in m.filename]
        if sum(m.file_size for m in members) > max_mb * 2**20:
            raise CollectError(f"{archive} unpacks to more than {max_mb} MB; unpack it by hand after checking it")
        for member in members:
            try:
                student, relative = _zip_student(member, assignment, student_id)
            except Refused as refusal:
                refused.append(f"{refusal}: not collected")
                continue
            students.setdefault(student, []).append((member, relative))
        for student, files in sorted(students.items()):
            destination = submitted / student / assignment
            _replace(destination)
            for member, relative in files:
                target = destination / relative
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(bundle.read(member))
            if not (destination / "timestamp.txt").exists():
                latest = max(datetime(*member.date_time) for member, _ in files)
                (destination / "timestamp.txt").write_text(format_time(latest) + "\n")
    return sorted(students), refused


# ---------------------------------------------------------------------------------------------------------
# exchange

def _owner_name(uid: int) -> str | None:
    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:
        return None


def _inbound_entries(inbound: Path, assignment: str, student_id, refused: list) -> dict:
    """student -> [(time, entry folder)] of the entries this student may have written."""
    entries = {}
    for entry in sorted(inbound.iterdir()) if inbound.is_dir() else []:
        parts = entry.name.split("+")
        if len(parts) < 3 or parts[1] != assignment:
            continue
        student, moment = parts[0], parse_time(parts[2])
        info = os.lstat(entry)
        owner = _owner_name(info.st_uid)
        if not stat.S_ISDIR(info.st_mode):
            refused.append(f"inbound entry {entry.name} is not a folder (a link or a file): not collected")
        elif not student_id.match(student) or moment is None:
            refused.append(f"inbound entry {entry.name} does not name a usable student id and time: not collected")
        elif info.st_uid not in (0, os.geteuid()) and owner != student:
            refused.append(f"inbound entry {entry.name} was written by user {owner or info.st_uid}, not by "
                           f"{student}: not collected (a student may only submit under their own name)")
        else:
            entries.setdefault(student, []).append((moment, entry))
    return entries


def collect_exchange(assignment: str, inbound: Path, submitted: Path, student_id) -> tuple[list, list]:
    """nbgrader's collect, without following links: the latest entry each student wrote themselves."""
    refused = []
    entries = _inbound_entries(Path(inbound), assignment, student_id, refused)
    for student, found in sorted(entries.items()):
        moment, entry = max(found, key=lambda item: item[0])
        problems = []
        files = submitted_files(entry, problems)
        refused += [f"{entry.name}/{problem}" for problem in problems]
        destination = submitted / student / assignment
        _replace(destination)
        for relative, path in files.items():
            target = destination / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            try:
                target.write_bytes(read_regular(path))
            except Refused as refusal:
                refused.append(f"{entry.name}/{relative}: {refusal}")
        # The name and timestamp.txt are the student's to write; the folder's ctime is not. The latest counts.
        stamp = parse_time((destination / "timestamp.txt").read_text()) if (destination / "timestamp.txt").exists() else None
        changed = datetime.fromtimestamp(os.lstat(entry).st_ctime, timezone.utc).replace(tzinfo=None)
        (destination / "timestamp.txt").write_text(format_time(max(filter(None, (stamp, moment, changed)))) + "\n")
    return sorted(entries), refused
