"""Submission times and lateness: parsed the way nbgrader parses them, computed from the due date.

A submission's time comes from its `timestamp.txt` (written by nbgrader's exchange, by `course.py collect
--zip` from the zip entry's time, or by the instructor). Lateness is the time past the assignment's due date,
given with `--due` or read from the gradebook; no time or no due date means "not late" and is said so.
"""
from datetime import datetime, timezone

NBGRADER_FORMAT = "%Y-%m-%d %H:%M:%S.%f UTC"


def parse_time(text) -> datetime | None:
    """A naive UTC datetime, or None when the text is not a time."""
    if isinstance(text, datetime):
        return text.astimezone(timezone.utc).replace(tzinfo=None) if text.tzinfo else text
    from nbgrader.utils import parse_utc
    try:
        return parse_utc(str(text).strip())
    except (ValueError, OverflowError, TypeError):  # dateutil's ParserError is a ValueError
        return None


def format_time(moment: datetime) -> str:
    """The format nbgrader writes into timestamp.txt."""
    return moment.strftime(NBGRADER_FORMAT)


def seconds_late(submitted, due) -> float:
    submitted, due = parse_time(submitted), parse_time(due)
    if submitted is None or due is None:
        return 0.0
    return max(0.0, (submitted - due).total_seconds())


def gradebook_due_date(gradebook_path, course_id: str, assignment: str) -> str | None:
    """The due date the gradebook holds for an assignment, in nbgrader's format, or None."""
    from nbgrader.api import Gradebook, MissingEntry
    try:
        with Gradebook(f"sqlite:///{gradebook_path}", course_id) as gradebook:
            due = gradebook.find_assignment(assignment).duedate
    except MissingEntry:
        return None
    return format_time(due) if due else None
