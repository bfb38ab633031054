"""Per-student cgroups: memory, processes and CPU share for everything one kernel starts (v1 and v2).

Resource limits (setrlimit) count per process or per uid, so five forked children could hold five times the
memory limit and a student's setsid'd busy loops competed with the next student's kernel. A cgroup counts
them all: `memory_mb` for the student's processes together, `max_processes` for their processes and threads,
and an equal CPU share per student (a student with 80 busy processes gets one student's share). Cleanup
kills every process in the cgroup, wherever it moved its session, and removes the cgroup.
Where no cgroup can be made (no root, a read-only /sys/fs/cgroup), `create` logs why and returns [].
"""
import hashlib
import os
import signal
import time
from pathlib import Path

CGROUP_ROOT = Path("/sys/fs/cgroup")
V1_CONTROLLERS = ("memory", "pids", "cpu")


def run_name(sandbox_root) -> str:
    """One grading run's cgroup folder name: every kernel of the run lives below it, so one sweep finds all."""
    return "run-" + hashlib.sha256(str(Path(sandbox_root).resolve()).encode()).hexdigest()[:12]


def _v1_base(controller: str, run: str = "") -> Path:
    own = "/"
    for line in Path("/proc/self/cgroup").read_text().splitlines():
        number, controllers, path = line.split(":", 2)
        if controller in controllers.split(","):
            own = path
    base = CGROUP_ROOT / controller / own.lstrip("/") / "rnncourse"
    return base / run if run else base


def _write(path: Path, value) -> None:
    path.write_text(str(value))


def _create_v1(name: str, settings: dict, run: str) -> list[Path]:
    made = []
    memory = int(settings["memory_mb"]) * 2**20
    for controller in V1_CONTROLLERS:
        folder = _v1_base(controller, run) / name
        folder.mkdir(parents=True, exist_ok=True)
        if controller == "cpu":  # all kernels together weigh as much as the grader's CPUs, not as one task
            for parent in (folder.parent.parent, folder.parent):
                _write(parent / "cpu.shares", 1024 * (os.cpu_count() or 1))
        made.append(folder)
        if controller == "memory":
            _write(folder / "memory.limit_in_bytes", memory)
            if (folder / "memory.memsw.limit_in_bytes").exists():  # no escape into swap
                _write(folder / "memory.memsw.limit_in_bytes", memory)
        elif controller == "pids":
            _write(folder / "pids.max", int(settings["max_processes"]))
        else:
            _write(folder / "cpu.shares", 1024)
    return made


def _create_v2(name: str, settings: dict, run: str) -> list[Path]:
    parent = CGROUP_ROOT / "rnncourse" / run
    parent.mkdir(parents=True, exist_ok=True)
    for folder in (CGROUP_ROOT, parent.parent, parent):
        _write(folder / "cgroup.subtree_control", "+memory +pids +cpu")
    folder = parent / name
    folder.mkdir()
    _write(folder / "memory.max", int(settings["memory_mb"]) * 2**20)
    if (folder / "memory.swap.max").exists():
        _write(folder / "memory.swap.max", 0)
    _write(folder / "pids.max", int(settings["max_processes"]))
    _write(folder / "cpu.weight", 100)
    return [folder]


def version() -> int | None:
    if (CGROUP_ROOT / "cgroup.controllers").exists():
        return 2
    if all((CGROUP_ROOT / controller).is_dir() for controller in V1_CONTROLLERS):
        return 1
    return None


def create(name: str, settings: dict, log=None, run: str = "run-default") -> list[Path]:
    """The student's cgroups, limits written; [] (and a warning) where none can be made."""
    found = version()
    try:
        if found == 1:
            return _create_v1(name, settings, run)
        if found == 2:
            return _create_v2(name, settings, run)
    except OSError as error:
        if log:
            log.warning("SANDBOX WARNING: no per-student cgroup (%s): limits count per process only", error)
        return []
    if log:
        log.warning("SANDBOX WARNING: no cgroup v1 or v2 under %s: limits count per process only", CGROUP_ROOT)
    return []


def processes(folders) -> set[int]:
    found = set()
    for folder in folders:
        try:
            found |= {int(pid) for pid in (Path(folder) / "cgroup.procs").read_text().split()}
        except (OSError, ValueError):
            continue
    return found


def kill_and_remove(folders, attempts: int = 100) -> bool:
    """SIGKILL every process of the student's cgroups, then remove them. True when all are gone."""
    for folder in folders:
        if (Path(folder) / "cgroup.kill").exists():
            try:
                _write(Path(folder) / "cgroup.kill", 1)
            except OSError:
                pass
    for _attempt in range(attempts):
        left = processes(folders)
        if not left:
            break
        for pid in left:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        time.sleep(0.02)
    removed = True
    for folder in folders:
        for _attempt in range(50):
            try:
                os.rmdir(folder)
                break
            except FileNotFoundError:
                break
            except OSError:  # the last processes are still exiting
                time.sleep(0.02)
        else:
            removed = False
    return removed


def run_folders(run: str) -> list[Path]:
    found = version()
    if found == 1:
        return [_v1_base(controller, run) for controller in V1_CONTROLLERS]
    return [CGROUP_ROOT / "rnncourse" / run] if found == 2 else []


def sweep(run: str) -> list[Path]:
    """After a grading run: kill what is left in any of its kernels' cgroups and remove them all.

    A kernel whose manager never reached its cleanup (a crash, a kernel nbgrader gave up on) is caught here.
    Returns the cgroups that could not be removed."""
    left = []
    for parent in run_folders(run):
        if not parent.is_dir():
            continue
        children = [child for child in parent.iterdir() if child.is_dir()]
        if not kill_and_remove(children):
            left += [child for child in children if child.exists()]
        try:
            os.rmdir(parent)
        except OSError:
            left.append(parent)
    return left
