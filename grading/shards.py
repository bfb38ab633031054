"""Course folders and shards: the nbgrader processes grading.engine runs, and the results they leave.

A base course folder receives a copy of one assignment's source and its gradebook. Each shard is a copy of
the base holding some students' staged submissions, graded by one process running nbgrader's autograde and
then generate_feedback (grading/shard_process.py) in its own network namespace (loopback only, which the
kernels' ZeroMQ sockets need). The shard's nbgrader_config.py is rendered by grading.settings.config_file, like the base's.
"""
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from grading.settings import COURSE_ID, REPOSITORY, GradingLimits, config_file
from rnncourse.config import data_directory


def sandbox_mode() -> str:
    """'root' (fresh uid, allow-list root, cgroups), 'userns' (namespaces, own uid) or 'none'."""
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
    "root": "sandbox: kernels run as a fresh unprivileged uid each, in an allow-list root (only the Python "
            "installation, rnncourse/ and the datasets, read-only), in private mount, IPC, UTS and PID namespaces "
            "under a seccomp filter, and a per-student cgroup (memory, processes, CPU share), without network",
    "userns": "sandbox WARNING: not running as root, so kernels run as YOUR user inside user, mount and network "
              "namespaces: course files are hidden and there is no network, but there is no separate uid, "
              "no cgroup and no process-count limit",
    "none": "sandbox WARNING: no root and no user namespaces: student code runs with YOUR rights and network; "
            "only the time, memory, file-size and output limits apply. Grade on a machine or container "
            "where you are root",
}


def wrap_network(command: str, mode: str) -> list[str]:
    if mode == "root":
        return ["unshare", "--net", "--", "sh", "-c", f"ip link set lo up && {command}"]
    if mode == "userns":
        return ["unshare", "--net", "--mount", "--map-root-user", "--", "sh", "-c", f"ip link set lo up && {command}"]
    return ["sh", "-c", command]


def child_environment(events_dir: Path, limits: GradingLimits, mode: str, hide: list[str] = ()) -> dict:
    """The environment of the nbgrader processes (trusted: kernels get an allow-list, grading/sandbox.py)."""
    env = dict(os.environ)
    folder = str(Path(sys.executable).parent)
    env["PATH"] = os.pathsep.join([folder] + [p for p in env.get("PATH", "").split(os.pathsep) if p != folder])
    env["PYTHONPATH"] = str(REPOSITORY)
    env["RNNCOURSE_GRADING_EVENTS"] = str(events_dir)
    # Kernel folders live beside the events of this run, so runs never see each other's folders.
    env["RNNCOURSE_SANDBOX_ROOT"] = str(Path(events_dir).parent / "sandboxes")
    # Kernels read the datasets the grader built, read-only: named explicitly because a kernel cannot see
    # pyproject.toml, so rnncourse.config would otherwise rebuild the data in every notebook.
    data_folder = str(data_directory())
    env["RNNCOURSE_DATA_DIR"] = data_folder
    env["RNNCOURSE_SANDBOX"] = json.dumps({
        "enabled": True, "mode": mode, "memory_mb": limits.memory_mb, "max_processes": limits.max_processes,
        "max_file_mb": limits.max_file_mb, "disk_mb": limits.disk_mb, "cpu_seconds": limits.cpu_seconds,
        "hide": list(hide), "keep": [data_folder],
        "preload": os.environ.get("RNNCOURSE_PRELOAD", "1") != "0"})  # 0: exec every kernel (grading/preload.py)
    return env


def run_nbgrader(course: Path, *arguments: str, env: dict, check: bool = True) -> subprocess.CompletedProcess:
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
    (base / "nbgrader_config.py").write_text(config_file(base, limits, events_dir))
    if due_date:  # generate_assignment keeps the due date of an assignment already in the gradebook
        run_nbgrader(base, "db", "assignment", "add", assignment, f"--duedate={due_date}", env=env)
    run_nbgrader(base, "generate_assignment", assignment, "--force", env=env)
    names = sorted(path.stem for path in (base / "source" / assignment).glob("*.ipynb"))
    if not names:
        raise FileNotFoundError(f"{source} holds no notebook")
    return names


def split(students: list, workers: int) -> list[list]:
    shards = [[] for _ in range(max(1, min(workers, len(students))))]
    for index, student in enumerate(students):
        shards[index % len(shards)].append(student)
    return [shard for shard in shards if shard]


def start_shard(base: Path, shard: Path, assignment: str, students: list, staging: Path, env: dict,
                mode: str, limits: GradingLimits, events_dir: Path) -> subprocess.Popen:
    if shard.exists():
        shutil.rmtree(shard)
    shutil.copytree(base, shard, ignore=shutil.ignore_patterns("autograded", "feedback", "submitted"))
    (shard / "nbgrader_config.py").write_text(config_file(shard, limits, events_dir))
    for student in students:
        shutil.copytree(staging / student, shard / "submitted" / student / assignment)
    # autograde, then generate_feedback, in one interpreter (grading/shard_process.py); both logs in one file
    inner = f"{sys.executable} -m grading.shard_process {assignment} > autograde.log 2>&1; true"
    return subprocess.Popen(wrap_network(inner, mode), cwd=shard, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def read_results(shard: Path, assignment: str, student: str, notebooks: list) -> dict | None:
    from nbgrader.api import Gradebook, MissingEntry
    autograded = shard / "autograded" / student / assignment
    if not all((autograded / f"{name}.ipynb").exists() for name in notebooks):
        return None
    with Gradebook(f"sqlite:///{shard / 'gradebook.db'}", COURSE_ID) as gradebook:
        try:
            submission = gradebook.find_submission(assignment, student)
        except MissingEntry:
            return None
        tests = {grade.name: (float(grade.score), float(grade.max_score))
                 for notebook in submission.notebooks for grade in notebook.grades
                 if grade.auto_score is not None or grade.manual_score is not None}
        return {"tests": tests, "late_seconds": float(submission.total_seconds_late or 0.0)}


def max_scores(base: Path, assignment: str) -> dict:
    from nbgrader.api import Gradebook
    with Gradebook(f"sqlite:///{base / 'gradebook.db'}", COURSE_ID) as gradebook:
        found = gradebook.find_assignment(assignment)
        return {cell.name: float(cell.max_score) for notebook in found.notebooks for cell in notebook.grade_cells}


def log_tail(shard: Path, student: str) -> str:
    log = (shard / "autograde.log").read_text(errors="replace") if (shard / "autograde.log").exists() else ""
    lines = [line for line in log.splitlines() if student in line or "Error" in line or "error" in line]
    return " | ".join(lines[-4:])[-600:] or "no log"
