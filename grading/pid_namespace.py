"""A PID namespace for one kernel: three processes, of which only the last runs student code.

    outer (the grader's side)  the process nbgrader (exec'd path) or the preload client (forked path) knows and
       │                       signals; it forwards each signal to init and exits with init's status
       └─ init (PID 1)         a tiny reaper: it forwards signals to the kernel, reaps orphans, and exits
             │                 with the kernel's status; its exit kills everything left in the namespace
             └─ kernel (PID 2) returns from `split` and becomes the student's kernel

Why an init and not the kernel as PID 1: PID 1 ignores every signal it has no handler for, so an ipykernel
as PID 1 would ignore SIGTERM, and every orphan the student leaves would become its zombie. The init is
root (another uid than the student's, so it cannot be signalled or traced from inside) and does nothing but
wait. It takes its own process group, so a signal nbgrader sends to the outer's group reaches the kernel
once, forwarded, and not twice. If the outer is killed (SIGKILL), the init gets SIGKILL too
(PR_SET_PDEATHSIG), and the namespace goes with it. The cgroup cleanup stays as a second layer.
"""
import ctypes
import os
import select
import signal

CLONE_NEWPID = 0x20000000
PR_SET_PDEATHSIG = 1
FORWARDED = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGQUIT, signal.SIGUSR1, signal.SIGUSR2)


def _forward_signals_to(pid: int) -> None:
    def forward(number, _frame):
        try:
            os.kill(pid, number)
        except ProcessLookupError:
            pass
    for number in FORWARDED:
        signal.signal(number, forward)


def _exit_like(status: int) -> None:
    code = os.waitstatus_to_exitcode(status)
    os._exit(code if code >= 0 else 128 - code)  # killed by signal N: 128 + N, as a shell reports it


def _wait_then_exit(child: int, reap_orphans: bool) -> None:
    try:
        while True:
            pid, status = os.waitpid(-1 if reap_orphans else child, 0)
            if pid == child:
                _exit_like(status)
    except BaseException:  # nothing left to wait for, or anything unexpected: never run on as a second kernel
        os._exit(1)


def _watch_parent_then_exit(init: int) -> None:
    """The outer does what ipykernel's parent poller did before the kernel had an init as parent (its poller
    takes a parent of PID 1 for a dead one, so grading/confine.py drops JPY_PARENT_PID): if the grader dies,
    the kernel goes too."""
    parent, exited = os.getppid(), os.pidfd_open(init)
    while not select.select([exited], [], [], 1.0)[0]:
        if os.getppid() != parent:
            os.kill(init, signal.SIGKILL)
    _wait_then_exit(init, reap_orphans=False)


def split() -> None:
    """After unshare(CLONE_NEWPID) by the caller: fork init and the kernel. Returns in the kernel only."""
    init = os.fork()
    if init:
        _forward_signals_to(init)
        _watch_parent_then_exit(init)
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    os.setpgid(0, 0)
    kernel = os.fork()
    if kernel:
        _forward_signals_to(kernel)
        _wait_then_exit(kernel, reap_orphans=True)
