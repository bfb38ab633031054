"""Preloaded kernels: fork each student's kernel from a server that has already imported TensorFlow.

Importing TensorFlow and Keras costs about 6 s of CPU on a 2-core laptop, more than a correct A1
submission needs for all its tests. Every course notebook pays it, once per student. Instead, each
nbgrader process starts one *preload server* on its first kernel. The server imports Keras (TensorFlow),
NumPy and ipykernel once, under the same quiet settings as ``rnncourse.course_setup``, and then waits.
For each kernel, SandboxKernelManager starts this file as a small *client* in place of the interpreter:

  1. the client sends the server the kernel command, environment and folder, with its standard streams
     and two pipes (SCM_RIGHTS);
  2. the server forks; the child enters exactly the sandbox an exec'd kernel enters
     (grading.confine.enter_sandbox: cgroups, namespaces, allow-list root, limits, a fresh uid, seccomp).
     In root mode it forks twice more into a PID namespace (grading/pid_namespace.py): it stays outside as
     the "outer" process, an init becomes PID 1, and the kernel, PID 2, runs ipykernel in-process, so its
     imports are already done;
  3. the client stays as the process nbgrader manages: it forwards signals (interrupt, terminate) to the
     child (the outer, which forwards them to the init, which forwards them to the kernel) and exits when
     the child does. If the client is killed, the kernel sees its pipe close and kills its own process
     group and itself; the init then exits and the namespace goes with it.

What a forked kernel shares with the others: only the state of the imported modules at fork time (copy-on-
write memory). No student code ever runs in the server, and a child cannot reach it: the child closes the
server's socket before it runs anything, and the socket's folder is private to the grader.
Costs: the server holds ~0.5 GB while its nbgrader process runs; a module a student could have imported
differently (another Keras backend set in a cell before ``import keras``) is already imported; warnings
filters and log levels of ``quiet_tensorflow`` are in place before the setup cell runs.
If the server cannot start, kernels are exec'd as before and the log says so.
"""
import atexit
import json
import os
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PRELOAD_SCRIPT = Path(__file__).resolve()
REPOSITORY = PRELOAD_SCRIPT.parent.parent
STREAMS = 5  # stdin, stdout, stderr, the pipe the child watches, the pipe the client watches
KERNEL_MODULE = "ipykernel_launcher"


# ----------------------------------------------------------------------------------------------------
# Wire format: a 4-byte length, then JSON; the file descriptors travel with the first bytes.

def _send(connection: socket.socket, payload: dict, fds=()) -> None:
    data = json.dumps(payload).encode()
    message = struct.pack("!I", len(data)) + data
    sent = socket.send_fds(connection, [message], list(fds)) if fds else connection.send(message)
    connection.sendall(message[sent:])


def _receive(connection: socket.socket) -> tuple[dict, list[int]]:
    data, fds, _flags, _address = socket.recv_fds(connection, 1 << 16, STREAMS)
    while len(data) < 4 or len(data) < 4 + struct.unpack("!I", data[:4])[0]:
        more = connection.recv(1 << 16)
        if not more:
            raise ConnectionError("the preload connection closed mid-message")
        data += more
    size = struct.unpack("!I", data[:4])[0]
    return json.loads(data[4:4 + size]), list(fds)


def can_preload(kernel_cmd: list[str]) -> bool:
    """Only the standard ipykernel command of this very interpreter can be forked from the server, and only on
    TensorFlow: JAX and PyTorch start threads when imported, and a forked copy of them can hang or die (JAX
    warns that fork may deadlock), so on those backends every kernel is started afresh."""
    return (len(kernel_cmd) >= 3 and kernel_cmd[1:3] == ["-m", KERNEL_MODULE]
            and os.path.realpath(kernel_cmd[0]) == os.path.realpath(sys.executable)
            and os.environ.get("KERAS_BACKEND", "tensorflow") == "tensorflow")


# ----------------------------------------------------------------------------------------------------
# Grader side: start the server once per process.

class PreloadServer:
    """One preload server for this process, started on first use; None-safe if it cannot start."""

    _instance = None

    @classmethod
    def shared(cls, log=None):
        if cls._instance is None:
            cls._instance = cls(log)
        return cls._instance if cls._instance.socket_path else None

    @classmethod
    def existing(cls):
        """The server this process started (or tried to start), else None; never starts one."""
        return cls._instance

    def __init__(self, log=None):
        self.socket_path, self.process, self.start_seconds = None, None, 0.0
        self.folder = folder = Path(tempfile.mkdtemp(prefix="rnncourse-preload-"))  # 0700: only the grader
        socket_path = folder / "server.sock"
        from grading.confine import kernel_environment

        # The allow-list a kernel gets: a forked kernel's /proc/self/environ shows the server's environment.
        environment = kernel_environment(folder)
        started = time.monotonic()
        try:
            with open(folder / "server.log", "wb") as server_log:  # the server keeps its own copy of the handle
                self.process = subprocess.Popen([sys.executable, "-I", str(PRELOAD_SCRIPT), "--serve", str(socket_path)],
                                                env=environment, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                                stderr=server_log)
            ready = self.process.stdout.readline().decode().strip()
            if ready != "ready":
                raise RuntimeError(f"the preload server said {ready!r}; see {folder / 'server.log'}")
            self.socket_path = str(socket_path)
            self.start_seconds = time.monotonic() - started
            if log:
                log.info("preload server ready in %.1f s: kernels start with Keras already imported",
                         time.monotonic() - started)
        except Exception as error:  # fall back to exec'd kernels, loudly
            if log:
                log.warning("preload server unavailable (%s); kernels start the slow way", error)
            self.stop()
        atexit.register(self.stop)

    def stop(self):
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        self.socket_path = None
        shutil.rmtree(self.folder, ignore_errors=True)

    def client_command(self, kernel_cmd: list[str]) -> list[str]:
        return [sys.executable, "-I", str(PRELOAD_SCRIPT), "--connect", self.socket_path, *kernel_cmd]


# ----------------------------------------------------------------------------------------------------
# Server

def serve(socket_path: str) -> None:
    parent = os.getppid()
    original_path = list(sys.path[1:])  # what a kernel's sys.path holds, without this script's folder
    sys.path.insert(0, str(REPOSITORY))
    from rnncourse.quiet import quiet_tensorflow

    quiet_tensorflow()
    import ipykernel.kernelapp  # noqa: F401  (preloaded for the children)
    import keras  # noqa: F401
    import numpy  # noqa: F401

    from grading import seccomp_filter
    from grading.confine import enter_sandbox

    seccomp_filter.availability()  # libseccomp loaded once, before any fork

    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # children are reaped automatically
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(socket_path)
    os.chmod(socket_path, 0o600)
    listener.listen(8)
    listener.settimeout(1.0)
    print("ready", flush=True)
    while os.getppid() == parent:  # the nbgrader process that started us is gone: stop
        try:
            connection, _ = listener.accept()
        except TimeoutError:
            continue
        connection.settimeout(None)
        fds = []
        try:  # one broken request must not stop the server for every later student
            with connection:
                request, fds = _receive(connection)
                pid = os.fork()
                if pid == 0:
                    listener.close()
                    _run_child(connection, request, fds, original_path, enter_sandbox)  # never returns
                _send(connection, {"pid": pid})
        except Exception as error:
            print(f"preload request failed: {error!r}", file=sys.stderr, flush=True)
        finally:
            for fd in fds:
                os.close(fd)


def _run_child(connection, request, fds, original_path, enter_sandbox) -> None:
    code = 1
    try:
        connection.close()
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        os.setsid()
        stdin, stdout, stderr, watched, life = fds
        for target, fd in enumerate((stdin, stdout, stderr)):
            os.dup2(fd, target)
        _close_all_but({0, 1, 2, watched, life})  # the server's socket and log included
        os.set_inheritable(life, False)  # a student's subprocess must not keep the client waiting
        os.set_inheritable(watched, False)
        os.environ.clear()
        os.environ.update(request["env"])
        os.chdir(request["cwd"])
        kernel_cmd = enter_sandbox(request["argv"])  # single-threaded here: unshare needs that
        import threading
        threading.Thread(target=_exit_when_closed, args=(watched,), daemon=True).start()
        sys.path[:] = [os.getcwd(), *original_path]
        sys.argv = [KERNEL_MODULE, *kernel_cmd[3:]]
        from ipykernel import kernelapp

        kernelapp.launch_new_instance(argv=kernel_cmd[3:])
        code = 0
    except SystemExit as stop:
        code = stop.code if isinstance(stop.code, int) else 1
    except BaseException:
        import traceback

        traceback.print_exc()
    finally:
        os._exit(code)


def _close_all_but(keep: set) -> None:
    previous = -1
    for fd in sorted(keep) + [os.sysconf("SC_OPEN_MAX")]:
        if previous + 1 < fd:  # os.closerange(n, n) would close everything from n up
            os.closerange(previous + 1, fd)
        previous = fd


def _exit_when_closed(fd: int) -> None:
    """The client died (killed by nbgrader): take this kernel and its process group down too."""
    while os.read(fd, 1):
        pass
    try:
        os.killpg(0, signal.SIGKILL)
    finally:
        os._exit(1)


# ----------------------------------------------------------------------------------------------------
# Client: the process nbgrader starts and manages in place of the kernel.

def connect(socket_path: str, kernel_cmd: list[str]) -> None:
    watched_read, watched_write = os.pipe()  # the child watches this; it closes when the client dies
    life_read, life_write = os.pipe()        # the client watches this; it closes when the child ends
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as connection:
        connection.connect(socket_path)
        _send(connection, {"argv": kernel_cmd, "env": dict(os.environ), "cwd": os.getcwd()},
              fds=(0, 1, 2, watched_read, life_write))
        os.close(watched_read)
        os.close(life_write)
        pid = _receive(connection)[0]["pid"]
    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGQUIT, signal.SIGUSR1, signal.SIGUSR2):
        signal.signal(signum, lambda number, _frame: _forward(pid, number))
    while os.read(life_read, 1):
        pass
    sys.exit(0)


def _forward(pid: int, signum: int) -> None:
    try:
        os.kill(pid, signum)
    except ProcessLookupError:
        pass


if __name__ == "__main__":
    if sys.argv[1] == "--serve":
        serve(sys.argv[2])
    elif sys.argv[1] == "--connect":
        connect(sys.argv[2], sys.argv[3:])
    else:
        raise SystemExit("usage: preload.py --serve SOCKET | --connect SOCKET KERNEL_COMMAND...")
