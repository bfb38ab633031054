"""Command line: ``python -m rnncourse lessons | strip | data ...``."""
import argparse
import sys
from pathlib import Path

from rnncourse.config import repository_root


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m rnncourse", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    lessons = commands.add_parser("lessons", help="execute every lesson headless and print a results table")
    lessons.add_argument("filter", nargs="?", default="", help="only lessons whose file name contains this")
    commands.add_parser("strip", help="remove outputs and execution counts from all course notebooks")
    data = commands.add_parser("data", help="build the offline datasets (all, or the ones named)")
    data.add_argument("names", nargs="*", help="dataset names; none means all")
    data.add_argument("--force", action="store_true", help="rebuild even if a valid cache exists")
    arguments = parser.parse_args(argv)

    root = repository_root()
    if root is None and arguments.command in {"lessons", "strip"}:
        print("run this from a course checkout installed with `pip install -e .`", file=sys.stderr)
        return 2
    if arguments.command == "lessons":
        from rnncourse.runner import run_lessons

        return run_lessons(Path(root), arguments.filter)
    if arguments.command == "strip":
        from rnncourse.notebooks import course_notebooks, strip_paths

        changed = strip_paths(course_notebooks(Path(root)))
        print(f"stripped {len(changed)} notebook(s)" + "".join(f"\n  {path}" for path in changed))
        return 0
    from rnncourse.data import build_datasets

    return build_datasets(arguments.names, force=arguments.force)


if __name__ == "__main__":
    sys.exit(main())
