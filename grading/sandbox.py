"""The grader side of the sandbox: SandboxKernelManager starts every student kernel confined.

For each kernel it
  1. makes a private folder (0700) holding only the non-notebook files of the assignment;
  2. as root: picks a fresh uid that no account and no running process uses, and makes the student's
     cgroups (memory, pids and cpu share; cgroup v1 or v2), so limits hold against many processes, many
     files and setsid, and an honest neighbour keeps an equal CPU share next to a hog;
  3. builds the kernel's environment from an allow-list (never inherited: the grader's tokens stay here);
  4. starts the kernel through grading/confine.py (exec'd) or the preload server (forked), which confine it.
After the kernel stops, every process left in the student's cgroup (or, without cgroups, under its uid) is
killed, the cgroups are removed and the folder is deleted.
"""
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from grading import cgroups, seccomp_filter
from grading.confine import CONFIG_VARIABLE, kernel_environment, sandbox_settings
from grading.preload import PreloadServer, can_preload

CONFINE_SCRIPT = Path(__file__).resolve().parent / "confine.py"
SANDBOX_ROOT = Path(os.environ.get("RNNCOURSE_SANDBOX_ROOT", "/tmp/rnncourse-sandboxes"))
UID_RANGE = (200_000, 2_000_000_000)

try:
    from jupyter_client.manager import AsyncKernelManager
except ImportError:  # pragma: no cover - jupyter_client is pinned
    AsyncKernelManager = object


def process_uids() -> set[int]:
    """Real, effective, saved and file-system uids of every running process."""
    used = set()
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            line = next(line for line in status.read_text().splitlines() if line.startswith("Uid:"))
        except (OSError, StopIteration):
            continue
        used |= {int(value) for value in line.split()[1:]}
    return used


def uids_in_use() -> set[int]:
    """Uids of accounts and of running processes (a fresh uid must collide with neither)."""
    import pwd
    return {entry.pw_uid for entry in pwd.getpwall()} | process_uids()


def fresh_uid() -> int:
    used, chooser = uids_in_use(), random.SystemRandom()
    while True:
        uid = chooser.randrange(*UID_RANGE)
        if uid not in used:
            return uid


def _copy_data_files(source_folder: Path, folder: Path) -> None:
    for item in source_folder.iterdir():  # data files the notebook opens; never notebooks, never links
        if item.is_file() and not item.is_symlink() and item.suffix != ".ipynb" and not item.name.startswith("."):
            shutil.copy2(item, folder / item.name)


class SandboxKernelManager(AsyncKernelManager):
    """Starts every kernel confined (module docstring); cleans up after it."""

    sandbox_folder = None
    sandbox_uid = None
    sandbox_cgroups = ()

    async def _async_launch_kernel(self, kernel_cmd, **kw):
        self.cleanup_sandbox()  # a restart (grading/execute.py, a stuck cell) leaves nothing of the old kernel
        settings = sandbox_settings()
        if not settings["enabled"]:
            return await super()._async_launch_kernel(kernel_cmd, **kw)
        SANDBOX_ROOT.mkdir(parents=True, exist_ok=True)
        os.chmod(SANDBOX_ROOT, 0o711)
        folder = Path(tempfile.mkdtemp(prefix="kernel-", dir=SANDBOX_ROOT))
        is_root = settings.get("mode", "root") == "root" and os.geteuid() == 0
        uid = fresh_uid() if is_root else os.getuid()
        _copy_data_files(Path(kw.get("cwd") or os.getcwd()), folder)
        for sub in ("home", "tmp"):
            (folder / sub).mkdir()
        if is_root:
            _warn_once_without_seccomp(self.log)
            Path(str(folder) + ".root").mkdir(mode=0o700)
            self.sandbox_cgroups = cgroups.create(folder.name, settings, self.log, run=cgroups.run_name(SANDBOX_ROOT))
        os.chmod(folder, 0o700)
        self.sandbox_folder, self.sandbox_uid = folder, uid
        env = kernel_environment(folder)
        env[CONFIG_VARIABLE] = json.dumps({**settings, "uid": uid, "folder": str(folder),
                                           "cgroups": [str(path) for path in self.sandbox_cgroups]})
        kw["env"], kw["cwd"] = env, str(folder)
        command = [sys.executable, "-I", str(CONFINE_SCRIPT), *kernel_cmd]
        if settings.get("preload", True):  # fork from a server with Keras imported (grading/preload.py)
            server = PreloadServer.shared(self.log) if can_preload(kernel_cmd) else None
            command = server.client_command(kernel_cmd) if server else command
        return await super()._async_launch_kernel(command, **kw)

    async def shutdown_kernel(self, now=False, restart=False):
        try:
            await super().shutdown_kernel(now=now, restart=restart)
        finally:
            self.cleanup_sandbox()

    async def cleanup_resources(self, restart=False):
        try:
            await super().cleanup_resources(restart=restart)
        finally:
            self.cleanup_sandbox()

    def cleanup_sandbox(self):
        if self.sandbox_cgroups:
            cgroups.kill_and_remove(self.sandbox_cgroups)
        if self.sandbox_uid is not None and self.sandbox_uid != os.getuid() and os.geteuid() == 0:
            kill_everything_of(self.sandbox_uid)
        if self.sandbox_folder is not None:
            shutil.rmtree(self.sandbox_folder, ignore_errors=True)
            shutil.rmtree(str(self.sandbox_folder) + ".root", ignore_errors=True)
        self.sandbox_folder, self.sandbox_uid, self.sandbox_cgroups = None, None, ()


_warned = []


def _warn_once_without_seccomp(log) -> None:
    """The kernels degrade to no seccomp filter without libseccomp (grading/confine.py says why): say so here."""
    missing = seccomp_filter.availability()
    if missing and not _warned:
        log.warning("sandbox WARNING: kernels run WITHOUT a seccomp filter: %s", missing)
        _warned.append(missing)


def kill_everything_of(uid: int) -> None:
    """SIGKILL every process running as uid (fork bombs, background children), from a helper with that uid.

    The PID namespace and the cgroup have usually killed everything already; the helper process (a fork of
    this large grader, about 0.1 s each) only starts while a process of that uid is left."""
    for _attempt in range(3):
        if uid not in process_uids():
            return
        subprocess.run(["kill", "-9", "-1"], user=uid, group=uid, extra_groups=[], check=False, timeout=30,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(0.05)


__all__ = ["SandboxKernelManager", "fresh_uid", "kill_everything_of", "uids_in_use"]
