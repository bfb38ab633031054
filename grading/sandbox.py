"""Isolation for one student's kernel: a kernel manager (grader side) and a launcher (kernel side).

SandboxKernelManager wraps the kernel command with this file run as a script. The launcher, still with the
grader's rights, then
  1. copies the connection file into the student's private temporary folder (0700, owned by the student uid);
  2. as root: enters a new mount namespace and hides everything the student must not read — the repository
     except rnncourse/ and data/, the course folder (gradebook, sources, other students), the grader's home,
     Jupyter/nbgrader configuration — and replaces the world-writable folders (/tmp, /var/tmp, /dev/shm)
     with empty read-only ones, so the only writable place left is the student's own folder;
  3. sets resource limits (address space, processes, file size, open files, CPU seconds);
  4. as root: drops to a fresh unprivileged uid/gid, unique to this kernel, with no supplementary groups, so
     that the kernel cannot read other students' folders and a fork bomb counts against its own uid only;
  5. execs ipykernel (same pid, so nbgrader can still interrupt and kill it).
Network isolation is done one level up: grading.engine runs each nbgrader shard in its own network
namespace with only loopback, which the kernel's ZeroMQ sockets need.
After the kernel stops, the manager kills every process left under the kernel's uid and deletes the folder.
Without root there is no uid change and no mount namespace; the limits still apply and a warning is logged.
"""
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

GRADING_FOLDER = Path(__file__).resolve().parent
REPOSITORY = GRADING_FOLDER.parent
SANDBOX_ROOT = Path(os.environ.get("RNNCOURSE_SANDBOX_ROOT", "/tmp/rnncourse-sandboxes"))
CONFIG_VARIABLE = "RNNCOURSE_SANDBOX"

try:
    from jupyter_client.manager import AsyncKernelManager
except ImportError:  # the launcher half runs without jupyter_client imported
    AsyncKernelManager = object


def sandbox_settings() -> dict:
    """Limits and hidden paths, from the JSON in $RNNCOURSE_SANDBOX (set by grading.engine)."""
    settings = {"enabled": True, "memory_mb": 3072, "max_processes": 96, "max_file_mb": 50,
                "open_files": 256, "cpu_seconds": 600, "hide": [], "keep": [], "preload": True}
    settings.update(json.loads(os.environ.get(CONFIG_VARIABLE, "{}") or "{}"))
    return settings


class SandboxKernelManager(AsyncKernelManager):
    """Starts every kernel through the launcher below, in a private folder, as a fresh unprivileged uid."""

    sandbox_folder = None
    sandbox_uid = None

    async def _async_launch_kernel(self, kernel_cmd, **kw):
        settings = sandbox_settings()
        if not settings["enabled"]:
            return await super()._async_launch_kernel(kernel_cmd, **kw)
        SANDBOX_ROOT.mkdir(parents=True, exist_ok=True)
        os.chmod(SANDBOX_ROOT, 0o711)
        folder = Path(tempfile.mkdtemp(prefix="kernel-", dir=SANDBOX_ROOT))
        is_root = settings.get("mode", "root") == "root" and os.geteuid() == 0
        uid = random.SystemRandom().randrange(200_000, 2_000_000_000) if is_root else os.getuid()
        source_folder = Path(kw.get("cwd") or os.getcwd())
        for item in source_folder.iterdir():  # data files the notebook opens; never notebooks
            if item.is_file() and item.suffix != ".ipynb" and not item.name.startswith("."):
                shutil.copy2(item, folder / item.name)
        for sub in ("home", "tmp"):
            (folder / sub).mkdir()
        if is_root:
            for path in [folder, *folder.rglob("*")]:
                os.chown(path, uid, uid)
        os.chmod(folder, 0o700)
        self.sandbox_folder, self.sandbox_uid = folder, uid
        env = {key: value for key, value in (kw.get("env") or os.environ).items()
               if not key.startswith(("JPY_", "NBGRADER", "RNNCOURSE_GRADING")) and key != "PYTHONPATH"}
        env.update({"HOME": str(folder / "home"), "TMPDIR": str(folder / "tmp"), "MPLCONFIGDIR": str(folder / "tmp"),
                    "IPYTHONDIR": str(folder / "home" / ".ipython"), "JUPYTER_RUNTIME_DIR": str(folder / "tmp"),
                    "KERAS_HOME": str(folder / "home" / ".keras"), "PYTHONHASHSEED": "0",
                    "TF_DETERMINISTIC_OPS": "1", "OMP_NUM_THREADS": "1", "TF_NUM_INTEROP_THREADS": "1",
                    "TF_NUM_INTRAOP_THREADS": "1", "PYTHONDONTWRITEBYTECODE": "1",
                    CONFIG_VARIABLE: json.dumps({**settings, "uid": uid, "folder": str(folder)})})
        kw["env"], kw["cwd"] = env, str(folder)
        command = [sys.executable, "-I", str(Path(__file__).resolve()), *kernel_cmd]
        if settings.get("preload", True):  # fork from a server with Keras imported (grading/preload.py)
            from grading.preload import PreloadServer, can_preload
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
        if self.sandbox_uid is not None and self.sandbox_uid != os.getuid() and os.geteuid() == 0:
            kill_everything_of(self.sandbox_uid)
        if self.sandbox_folder is not None:
            shutil.rmtree(self.sandbox_folder, ignore_errors=True)
        self.sandbox_folder, self.sandbox_uid = None, None


def kill_everything_of(uid: int) -> None:
    """SIGKILL every process running as uid (fork bombs, background children), from a helper with that uid."""
    for _attempt in range(3):
        subprocess.run(["kill", "-9", "-1"], user=uid, group=uid, extra_groups=[], check=False, timeout=30,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(0.05)


# ----------------------------------------------------------------------------------------------------
# Kernel side: runs as `python -I sandbox.py <kernel command...>` with the grader's rights, then drops them.

MS_RDONLY, MS_NOSUID, MS_NODEV, MS_BIND, MS_REC, MS_PRIVATE, MS_REMOUNT = 1, 2, 4, 4096, 16384, 1 << 18, 32
CLONE_NEWNS = 0x00020000


def _libc():
    import ctypes
    libc = ctypes.CDLL(None, use_errno=True)
    return ctypes, libc


def _mount(source, target, fstype, flags, data=None):
    ctypes, libc = _libc()
    encode = lambda text: text.encode() if text is not None else None  # noqa: E731
    if libc.mount(encode(source), encode(target), encode(fstype), flags, encode(data)) != 0:
        raise OSError(ctypes.get_errno(), f"mount {source} on {target}: {os.strerror(ctypes.get_errno())}")


def _hide_paths(settings: dict) -> list[str]:
    """New mount namespace; hide what the student must not see. Returns the list of hidden paths."""
    ctypes, libc = _libc()
    if libc.unshare(CLONE_NEWNS) != 0:
        raise OSError(ctypes.get_errno(), "unshare(CLONE_NEWNS) failed")
    _mount(None, "/", None, MS_REC | MS_PRIVATE)
    folder = settings["folder"]
    keep = [folder, sys.prefix, sys.base_prefix, *settings.get("keep", [])]
    keep += [str(REPOSITORY / "rnncourse"), str(REPOSITORY / "data")]
    hidden = []
    # The repository, the course folder and the grader's home: replaced by empty folders, with the
    # kept sub-folders (rnncourse/, data/, the interpreter) bound back in read-only.
    covers = [str(REPOSITORY), *settings.get("hide", []), os.path.expanduser("~"), "/etc/jupyter",
              "/usr/local/etc/jupyter", "/tmp", "/var/tmp", "/dev/shm", "/work", "/root", "/home"]
    covers = sorted({os.path.realpath(path) for path in covers if os.path.isdir(path)}, key=len)
    kept_fds = {}
    for path in keep:
        real = os.path.realpath(path)
        if os.path.isdir(real) and any(real == c or real.startswith(c + "/") for c in covers):
            kept_fds[real] = os.open(real, os.O_RDONLY | os.O_DIRECTORY)
    for cover in covers:
        if any(cover.startswith(other + "/") for other in hidden):
            continue  # already covered by a parent
        _mount("tmpfs", cover, "tmpfs", MS_NOSUID | MS_NODEV, "size=64k,mode=0755")
        hidden.append(cover)
    for real, fd in sorted(kept_fds.items(), key=lambda item: len(item[0])):
        os.makedirs(real, exist_ok=True)
        _mount(f"/proc/self/fd/{fd}", real, None, MS_BIND | MS_REC)
        if real != os.path.realpath(folder):
            _mount(None, real, None, MS_BIND | MS_REC | MS_REMOUNT | MS_RDONLY | MS_NOSUID)
        os.close(fd)
    for cover in hidden:  # make the cover folders themselves read-only
        _mount(None, cover, None, MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV, "size=64k,mode=0755")
    for config_file in ("/etc/nbgrader_config.py",):
        if os.path.exists(config_file):
            _mount("/dev/null", config_file, None, MS_BIND)
    return hidden


def _set_limits(settings: dict, own_uid: bool) -> None:
    import resource
    mb = 1024 * 1024
    limits = {resource.RLIMIT_AS: settings["memory_mb"] * mb, resource.RLIMIT_FSIZE: settings["max_file_mb"] * mb,
              resource.RLIMIT_NOFILE: settings["open_files"], resource.RLIMIT_CPU: settings["cpu_seconds"],
              resource.RLIMIT_CORE: 0}
    if own_uid:  # RLIMIT_NPROC counts per uid: only meaningful with a fresh uid per kernel
        limits[resource.RLIMIT_NPROC] = settings["max_processes"]
    for which, value in limits.items():
        resource.setrlimit(which, (value, value))
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a too-large write raises OSError instead of killing


def enter_sandbox(kernel_cmd: list[str]) -> list[str]:
    """Steps 1-4 of the module docstring for the current process; returns the kernel command to run."""
    kernel_cmd = list(kernel_cmd)
    settings = sandbox_settings()
    folder = Path(settings["folder"])
    if "-f" in kernel_cmd:  # the connection file is root-only: give the student's kernel its own copy
        index = kernel_cmd.index("-f") + 1
        private = folder / "tmp" / "kernel-connection.json"
        shutil.copyfile(kernel_cmd[index], private)
        kernel_cmd[index] = str(private)
    mode = settings.get("mode", "root")
    is_root = mode == "root" and os.geteuid() == 0
    notes = [f"mode {mode}"]
    if mode in ("root", "userns"):  # in a user namespace we are root there, and may mount
        hidden = _hide_paths(settings)
        notes.append(f"hidden: {', '.join(hidden)}")
    if is_root:
        uid = int(settings["uid"])
        for path in [folder, *folder.rglob("*")]:
            os.chown(path, uid, uid)
    _set_limits(settings, own_uid=is_root)
    if is_root:
        os.setgroups([])
        os.setgid(uid)
        os.setuid(uid)
    os.chdir(folder)
    os.umask(0o077)
    (folder / "tmp" / "sandbox.log").write_text(f"uid {os.getuid()}\n" + "\n".join(notes) + "\n")
    return kernel_cmd


def launch(kernel_cmd: list[str]) -> None:
    kernel_cmd = enter_sandbox(kernel_cmd)
    os.execv(kernel_cmd[0], kernel_cmd)


if __name__ == "__main__":
    launch(sys.argv[1:])
