"""Grades CSV and the class report: a grade histogram and per-test pass rates."""
import csv
from pathlib import Path


def write_grades_csv(students: dict, path: Path, tests: list) -> Path:
    """One row per student, always: total, max, status, problems and every test's score."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["student", "total", "max", "percent", "status", "submitted_at", "late_hours", *tests, "problems"])
        for student, result in sorted(students.items()):
            percent = 100.0 * result.total / result.max if result.max else 0.0
            writer.writerow([student, f"{result.total:g}", f"{result.max:g}", f"{percent:.1f}", result.status,
                             result.submitted_at or "", f"{result.late_seconds / 3600:.2f}",
                             *[f"{result.tests.get(test, (0.0, 0.0))[0]:g}" for test in tests],
                             " | ".join(result.problems)])
    return path


def pass_rates(students: dict, max_scores: dict) -> dict:
    """Fraction of students with full marks on each test."""
    rates = {}
    for test, maximum in sorted(max_scores.items()):
        passed = sum(1 for result in students.values() if result.tests.get(test, (0, maximum))[0] >= maximum)
        rates[test] = passed / len(students) if students else 0.0
    return rates


def write_report(assignment: str, students: dict, max_scores: dict, folder: Path, sandbox: str = "") -> Path:
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from rnncourse.plotting import OKABE_ITO

    folder.mkdir(parents=True, exist_ok=True)
    totals = [result.total for result in students.values()]
    maximum = max([result.max for result in students.values()] or [1.0])
    figure, axes = plt.subplots(figsize=(6, 3.5))
    bins = min(20, max(5, int(maximum) + 1))
    axes.hist(totals, bins=bins, range=(0, maximum), color=OKABE_ITO["blue"], edgecolor="black")
    axes.set_title(f"{assignment}: grade distribution ({len(totals)} students)")
    axes.set_xlabel(f"total points (out of {maximum:g})")
    axes.set_ylabel("number of students")
    figure.tight_layout()
    histogram = folder / f"{assignment}_histogram.png"
    figure.savefig(histogram, dpi=100)
    plt.close(figure)

    rates = pass_rates(students, max_scores)
    with (folder / f"{assignment}_pass_rates.csv").open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["test", "points", "pass_rate"])
        for test, rate in rates.items():
            writer.writerow([test, f"{max_scores[test]:g}", f"{rate:.3f}"])
    problems = {student: result.problems for student, result in sorted(students.items()) if result.problems}
    lines = [f"# {assignment}: grading report", "",
             f"![Histogram of total points: how many students reached each score]({histogram.name})", "",
             f"Students: {len(students)}; mean {sum(totals) / max(1, len(totals)):.2f} / {maximum:g}; "
             f"with problems: {len(problems)}.", "", *([f"Sandbox: {sandbox}", ""] if sandbox else []),
             "## Pass rate per test (full marks)", "",
             "| test | points | pass rate |", "| --- | --- | --- |"]
    lines += [f"| {test} | {max_scores[test]:g} | {100 * rate:.0f}% |" for test, rate in rates.items()]
    lines += ["", "## Problems per student", ""]
    lines += [f"- **{student}**: " + "; ".join(notes) for student, notes in problems.items()] or ["none"]
    (folder / "report.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder
