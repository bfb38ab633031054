"""What one shard's nbgrader process runs: `autograde`, then `generate_feedback`, in one interpreter.

    python -m grading.shard_process <assignment>      (in the shard's course folder; grading/shards.py)

Two `nbgrader` commands would start Python and import nbgrader (with jsonschema's grammar-building format
checkers) twice per shard, and the second would import Keras for the judge again; one process does each once.
Both applications are nbgrader's own, configured by the folder's nbgrader_config.py exactly as the commands
are. A failed autograde still leaves feedback for the students it did grade, as `autograde; generate_feedback`
did: the engine finds the students without results and regrades them alone.
"""
import sys
import traceback

from nbgrader.apps.autogradeapp import AutogradeApp
from nbgrader.apps.generatefeedbackapp import GenerateFeedbackApp


def run(application_class, assignment: str) -> int:
    application = application_class()
    try:
        application.initialize([assignment, "--force"])
        application.start()
    except SystemExit as stopped:  # nbgrader exits 1 when a notebook failed; go on to the next step
        return stopped.code if isinstance(stopped.code, int) else 1
    except Exception:  # an nbgrader bug must not cost the feedback of the students already graded
        traceback.print_exc()
        return 1
    return 0


def main() -> int:
    assignment = sys.argv[1]
    autograded = run(AutogradeApp, assignment)
    print(f"[shard_process] autograde finished with status {autograded}", file=sys.stderr, flush=True)
    fed_back = run(GenerateFeedbackApp, assignment)
    print(f"[shard_process] generate_feedback finished with status {fed_back}", file=sys.stderr, flush=True)
    return autograded or fed_back


if __name__ == "__main__":
    sys.exit(main())
