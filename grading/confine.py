"""The kernel side of the sandbox: confine the current process, then run the kernel.

Runs as `python -I grading/confine.py <kernel command...>` (exec'd kernels) or inside a child forked by the
preload server (grading/preload.py), in both cases still with the grader's rights and single-threaded:

  root mode (the grader is root)
    1. join the student's cgroups (memory, pids, cpu; made by grading/sandbox.py), so that limits count every
       process the student starts, setsid or not, and cleanup can find each one;
    2. new mount, IPC, UTS and PID namespaces (SysV shared memory and message queues die with the kernel);
       grading/pid_namespace.py forks a tiny init as PID 1 and the kernel as PID 2: the kernel sees and
       signals only its own namespace, and everything the student starts dies with the kernel;
    3. an allow-list root: an empty tmpfs holding, read-only and nosuid, only the Python installation, the
       virtual environment, rnncourse/, the grader's dataset folder, /usr, a few /etc files and /sys; a
       minimal /dev; a fresh /proc of the new PID namespace, with hidepid=invisible (the root-owned init is
       invisible too); the kernel's own folder and /tmp (also /var/tmp and /dev/shm) as private tmpfs of
       `disk_mb` each, whose pages count against the student's memory cgroup; then chroot;
    4. resource limits, then a fresh unprivileged uid/gid with no groups, and no_new_privs;
    5. last, the seccomp deny-list of grading/seccomp_filter.py (libseccomp). Without libseccomp the kernel
       still starts, and says so: "seccomp: UNAVAILABLE" in its sandbox.log, and a warning in the grader's
       log (grading/sandbox.py). Refusing would give every student of the class a dead kernel and a zero;
  userns mode: mount namespace covering the course (a deny-list: no separate uid, no cgroup);
  none mode: limits only.
Network isolation is one level up: grading/shards.py runs each nbgrader shard in its own network namespace
with only loopback, which the kernel's ZeroMQ sockets need.
"""
import json
import os
import shutil
import signal
import socket
import sys
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parent.parent
if __package__ in (None, ""):  # run as a script under -I, which puts no folder of ours on sys.path
    sys.path.insert(0, str(REPOSITORY))
from grading import pid_namespace, seccomp_filter  # noqa: E402  (both import only the standard library)
CONFIG_VARIABLE = "RNNCOURSE_SANDBOX"
MS_RDONLY, MS_NOSUID, MS_NODEV, MS_NOEXEC, MS_BIND, MS_REC, MS_PRIVATE, MS_REMOUNT = 1, 2, 4, 8, 4096, 16384, 1 << 18, 32
CLONE_NEWNS, CLONE_NEWUTS, CLONE_NEWIPC = 0x00020000, 0x04000000, 0x08000000
PR_SET_NO_NEW_PRIVS = 38
ETC_FILES = ("ld.so.cache", "ld.so.conf", "ld.so.conf.d", "localtime", "nsswitch.conf", "passwd", "group", "hosts",
             "ssl", "fonts", "mime.types", "alternatives", "os-release", "debian_version")
DEVICES = ("null", "zero", "full", "random", "urandom", "tty")


PASSED_THROUGH = ("KERAS_BACKEND", "TF_CPP_MIN_LOG_LEVEL", "RNNCOURSE_DATA_DIR", "LANG", "LANGUAGE", "TZ")


def kernel_environment(folder: Path, source=None) -> dict:
    """A kernel's whole environment, built from an allow-list: nothing of the grader's is inherited.

    Only locale, the interpreter's PATH, folders inside the kernel's own, fixed seeds and thread counts,
    and the few course variables a kernel needs (its Keras backend and the dataset folder)."""
    source = os.environ if source is None else source
    folder = Path(folder)
    env = {"PATH": os.pathsep.join([str(Path(sys.executable).parent), "/usr/local/bin", "/usr/bin", "/bin"]),
           "HOME": str(folder / "home"), "TMPDIR": str(folder / "tmp"), "MPLCONFIGDIR": str(folder / "tmp"),
           "IPYTHONDIR": str(folder / "home" / ".ipython"), "JUPYTER_RUNTIME_DIR": str(folder / "tmp"),
           "KERAS_HOME": str(folder / "home" / ".keras"), "PYTHONHASHSEED": "0", "PYTHONDONTWRITEBYTECODE": "1",
           "TF_DETERMINISTIC_OPS": "1", "OMP_NUM_THREADS": "1", "TF_NUM_INTEROP_THREADS": "1",
           "TF_NUM_INTRAOP_THREADS": "1", "LANG": "C.UTF-8"}
    env.update({name: value for name, value in source.items() if name in PASSED_THROUGH or name.startswith("LC_")})
    return env


def sandbox_settings() -> dict:
    """Limits and paths, from the JSON in $RNNCOURSE_SANDBOX (set by grading/shards.py and grading/sandbox.py)."""
    settings = {"enabled": True, "memory_mb": 3072, "max_processes": 96, "max_file_mb": 50, "disk_mb": 200,
                "open_files": 256, "cpu_seconds": 600, "hide": [], "keep": [], "preload": True, "cgroups": []}
    settings.update(json.loads(os.environ.get(CONFIG_VARIABLE, "{}") or "{}"))
    return settings


def _libc():
    import ctypes
    return ctypes, ctypes.CDLL(None, use_errno=True)


def _mount(source, target, fstype, flags, data=None):
    ctypes, libc = _libc()
    encode = lambda text: str(text).encode() if text is not None else None  # noqa: E731
    if libc.mount(encode(source), encode(target), encode(fstype), flags, encode(data)) != 0:
        raise OSError(ctypes.get_errno(), f"mount {source} on {target}: {os.strerror(ctypes.get_errno())}")


def _unshare(flags: int) -> None:
    ctypes, libc = _libc()
    if libc.unshare(flags) != 0:
        raise OSError(ctypes.get_errno(), f"unshare({flags:#x}): {os.strerror(ctypes.get_errno())}")


# ----------------------------------------------------------------------------------------------------
# root mode

def join_cgroups(cgroups: list[str]) -> None:
    for folder in cgroups:
        Path(folder, "cgroup.procs").write_text(str(os.getpid()))


def _bind_read_only(path: str, new_root: Path) -> None:
    target = new_root / path.lstrip("/")
    if os.path.islink(path):  # /bin -> usr/bin on merged-/usr systems: the same link, inside
        target.parent.mkdir(parents=True, exist_ok=True)
        if not os.path.lexists(target):
            os.symlink(os.readlink(path), target)
        return
    if os.path.isdir(path):
        target.mkdir(parents=True, exist_ok=True)
    elif os.path.exists(path):
        target.parent.mkdir(parents=True, exist_ok=True)
        target.touch()
    else:
        return
    _mount(path, target, None, MS_BIND | MS_REC)
    _mount(None, target, None, MS_BIND | MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV)


def read_only_paths(settings: dict) -> list[str]:
    """Everything the kernel may read: the interpreter, the course package and the datasets. Nothing else."""
    paths = ["/usr", "/bin", "/lib", "/lib64", "/sbin", "/sys", sys.base_prefix, sys.prefix,
             str(REPOSITORY / "rnncourse"), *settings.get("keep", [])]
    paths += [f"/etc/{name}" for name in ETC_FILES]
    return [path for path in dict.fromkeys(paths) if os.path.lexists(path)]


def _minimal_dev(new_root: Path) -> None:
    dev = new_root / "dev"
    dev.mkdir()
    _mount("tmpfs", dev, "tmpfs", MS_NOSUID | MS_NOEXEC, "size=64k,mode=0755")
    for name in DEVICES:
        if os.path.exists(f"/dev/{name}"):
            (dev / name).touch()
            _mount(f"/dev/{name}", dev / name, None, MS_BIND)
    for name, target in (("fd", "/proc/self/fd"), ("stdin", "/proc/self/fd/0"), ("stdout", "/proc/self/fd/1"),
                         ("stderr", "/proc/self/fd/2"), ("shm", "/tmp")):
        os.symlink(target, dev / name)


def build_root(settings: dict, uid: int) -> None:
    """Step 3 of the module docstring, in the kernel process; it ends inside the new root, in its folder."""
    folder = Path(settings["folder"])
    new_root = Path(str(folder) + ".root")
    socket.sethostname("sandbox")  # in the UTS namespace of enter_sandbox
    _mount(None, "/", None, MS_REC | MS_PRIVATE)
    _mount("tmpfs", new_root, "tmpfs", MS_NOSUID | MS_NODEV, "size=1m,mode=0755")
    size = f"size={int(settings['disk_mb'])}m"
    # The private /tmp first, then the read-only binds: a checkout, venv or dataset folder that lives under
    # /tmp (a CI clone, say) is bound on top of it instead of being hidden by it.
    (new_root / "tmp").mkdir(exist_ok=True)
    _mount("tmpfs", new_root / "tmp", "tmpfs", MS_NOSUID | MS_NODEV, f"{size},mode=1777")
    for path in read_only_paths(settings):
        _bind_read_only(path, new_root)
    (new_root / "var").mkdir(exist_ok=True)
    os.symlink("/tmp", new_root / "var" / "tmp")
    private = new_root / str(folder).lstrip("/")
    private.mkdir(parents=True, exist_ok=True)
    _mount("tmpfs", private, "tmpfs", MS_NOSUID | MS_NODEV, f"{size},mode=0700,uid={uid},gid={uid}")
    shutil.copytree(folder, private, dirs_exist_ok=True, symlinks=True)  # data files, home/, tmp/ (connection)
    for path in [private, *private.rglob("*")]:
        os.lchown(path, uid, uid)
    _minimal_dev(new_root)
    (new_root / "proc").mkdir()
    _mount("proc", new_root / "proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, "hidepid=invisible")
    _mount(None, new_root, None, MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV, "size=1m,mode=0755")
    os.chdir(new_root)
    os.chroot(".")
    os.chdir(folder)


def drop_privileges(uid: int) -> None:
    os.setgroups([])
    os.setgid(uid)
    os.setuid(uid)
    ctypes, libc = _libc()
    if libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:  # setuid binaries no longer raise privileges
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_NO_NEW_PRIVS) failed")


# ----------------------------------------------------------------------------------------------------
# userns mode (no root): the former deny-list, which is all a user namespace without a uid change allows

def hide_paths(settings: dict) -> list[str]:
    _unshare(CLONE_NEWNS)
    _mount(None, "/", None, MS_REC | MS_PRIVATE)
    folder = settings["folder"]
    keep = [folder, sys.prefix, sys.base_prefix, *settings.get("keep", []), str(REPOSITORY / "rnncourse")]
    covers = [str(REPOSITORY), *settings.get("hide", []), os.path.expanduser("~"), "/etc/jupyter",
              "/usr/local/etc/jupyter", "/tmp", "/var/tmp", "/dev/shm", "/work", "/root", "/home", "/srv"]
    covers = sorted({os.path.realpath(path) for path in covers if os.path.isdir(path)}, key=len)
    kept = {}
    for path in keep:
        real = os.path.realpath(path)
        if os.path.isdir(real) and any(real == c or real.startswith(c + "/") for c in covers):
            kept[real] = os.open(real, os.O_RDONLY | os.O_DIRECTORY)
    hidden = []
    for cover in covers:
        if not any(cover.startswith(other + "/") for other in hidden):
            _mount("tmpfs", cover, "tmpfs", MS_NOSUID | MS_NODEV, "size=64k,mode=0755")
            hidden.append(cover)
    for real, fd in sorted(kept.items(), key=lambda item: len(item[0])):
        os.makedirs(real, exist_ok=True)
        _mount(f"/proc/self/fd/{fd}", real, None, MS_BIND | MS_REC)
        if real != os.path.realpath(folder):
            _mount(None, real, None, MS_BIND | MS_REC | MS_REMOUNT | MS_RDONLY | MS_NOSUID)
        os.close(fd)
    return hidden


# ----------------------------------------------------------------------------------------------------

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


def _restore_signals() -> None:
    """A grader started in the background (`nohup`, cron, `&` in a script) passes SIGINT and SIGQUIT on as
    ignored, and an exec keeps them ignored: the kernel could then never be interrupted after a timeout."""
    signal.signal(signal.SIGINT, signal.default_int_handler)
    for number in (signal.SIGQUIT, signal.SIGHUP, signal.SIGTERM):
        signal.signal(number, signal.SIG_DFL)


def enter_sandbox(kernel_cmd: list[str]) -> list[str]:
    """Confine the current process (module docstring); returns the kernel command to run."""
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
    uid = int(settings["uid"]) if is_root else os.getuid()
    notes = [f"mode {mode}"]
    if is_root:
        join_cgroups(settings.get("cgroups", []))
        seccomp_filter.availability()  # loads libseccomp while the whole file system is still visible
        _unshare(CLONE_NEWNS | CLONE_NEWIPC | CLONE_NEWUTS | pid_namespace.CLONE_NEWPID)
        pid_namespace.split()  # returns in the kernel process only: PID 2 of the new namespace
        os.environ.pop("JPY_PARENT_PID", None)  # the outer watches the grader instead (grading/pid_namespace.py)
        build_root(settings, uid)
        notes.append("pid namespace: kernel is pid %d under a reaper init" % os.getpid())
        notes.append("allow-list root: " + ", ".join(read_only_paths(settings)))
    elif mode == "userns":  # in a user namespace we are root there, and may mount
        notes.append("hidden: " + ", ".join(hide_paths(settings)))
    _set_limits(settings, own_uid=is_root)
    _restore_signals()
    if is_root:
        drop_privileges(uid)
        notes.append(_load_seccomp())
    os.chdir(folder)
    os.umask(0o077)
    os.environ.pop(CONFIG_VARIABLE, None)  # the kernel needs none of it
    (folder / "tmp" / "sandbox.log").write_text(f"uid {os.getuid()}\n" + "\n".join(notes) + "\n")
    return kernel_cmd


def _load_seccomp() -> str:
    """Step 5, the last before the kernel runs (after no_new_privs); the note says what was loaded or why not."""
    missing = seccomp_filter.availability()
    if missing:
        print(f"sandbox: seccomp: UNAVAILABLE: {missing}", file=sys.stderr, flush=True)
        return f"seccomp: UNAVAILABLE: {missing}"
    return f"seccomp: {seccomp_filter.install()} deny rules"


def launch(kernel_cmd: list[str]) -> None:
    kernel_cmd = enter_sandbox(kernel_cmd)
    os.execv(kernel_cmd[0], kernel_cmd)


if __name__ == "__main__":
    launch(sys.argv[1:])
