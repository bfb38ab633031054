"""A seccomp deny-list for student kernels, built with the system's libseccomp (Debian: libseccomp2).

In the spirit of Docker's default profile: every system call stays allowed except those a notebook kernel
never needs and that widen the attack surface of the Linux kernel or reach other processes: debugging other
processes (ptrace, process_vm_*), mounts and root changes, new namespaces (unshare, setns, clone with a
CLONE_NEW* flag), the kernel keyring, eBPF, perf events, userfaultfd, loading kernels and modules, reboot,
swap, accounting, quotas, file handles, raw I/O ports, the kernel log and the clock. A denied call fails with
EPERM, so Python raises PermissionError instead of the process being killed. clone3 passes its flags in
memory, where seccomp cannot look, so it fails with ENOSYS and glibc falls back to clone, whose flags are
checked. Names are resolved by libseccomp for the running architecture (a name the architecture lacks, such
as iopl on arm64, is skipped). libseccomp is loaded with ctypes: no hand-assembled BPF.
"""
import ctypes
import errno

DENIED = ("ptrace", "process_vm_readv", "process_vm_writev", "mount", "umount2", "pivot_root", "chroot",
          "unshare", "setns", "keyctl", "add_key", "request_key", "bpf", "perf_event_open", "userfaultfd",
          "kexec_load", "kexec_file_load", "init_module", "finit_module", "delete_module", "reboot", "swapon",
          "swapoff", "acct", "quotactl", "open_by_handle_at", "name_to_handle_at", "iopl", "ioperm", "syslog",
          "settimeofday", "clock_settime", "adjtimex", "fsopen", "fsmount", "move_mount", "open_tree")
# CLONE_NEWNS, NEWCGROUP, NEWUTS, NEWIPC, NEWUSER, NEWPID, NEWNET (CLONE_NEWTIME, 0x80, overlaps clone's exit
# signal byte and exists only for unshare and clone3, both refused).
CLONE_NAMESPACE_FLAGS = (0x00020000, 0x02000000, 0x04000000, 0x08000000, 0x10000000, 0x20000000, 0x40000000)
LIBRARY = "libseccomp.so.2"  # the soname of libseccomp2 (Debian), libseccomp (Fedora, Alpine)
SCMP_ACT_ALLOW = 0x7FFF0000
SCMP_CMP_MASKED_EQ = 7
SCMP_ERROR = -1  # __NR_SCMP_ERROR: a name libseccomp does not know


def SCMP_ACT_ERRNO(number: int) -> int:
    return 0x00050000 | (number & 0xFFFF)


class _ArgumentCheck(ctypes.Structure):  # struct scmp_arg_cmp
    _fields_ = [("arg", ctypes.c_uint), ("op", ctypes.c_int), ("datum_a", ctypes.c_uint64), ("datum_b", ctypes.c_uint64)]


_library = None


def library():
    """libseccomp, loaded once (the preload server loads it before forking); raises OSError if missing."""
    global _library
    if _library is None:
        library = ctypes.CDLL(LIBRARY, use_errno=True)
        library.seccomp_init.restype = ctypes.c_void_p
        library.seccomp_init.argtypes = [ctypes.c_uint32]
        library.seccomp_syscall_resolve_name.argtypes = [ctypes.c_char_p]
        library.seccomp_rule_add_array.argtypes = [ctypes.c_void_p, ctypes.c_uint32, ctypes.c_int, ctypes.c_uint,
                                                   ctypes.POINTER(_ArgumentCheck)]
        library.seccomp_load.argtypes = [ctypes.c_void_p]
        library.seccomp_release.argtypes = [ctypes.c_void_p]
        _library = library
    return _library


def availability() -> str:
    """'' when the filter can be loaded, else why not (for the grader's log)."""
    try:
        library()
        return ""
    except OSError as error:
        return f"{LIBRARY} cannot be loaded ({error}); install libseccomp2 (Debian) or libseccomp"


def _add(seccomp, context, action: int, name: str, checks=()) -> None:
    number = seccomp.seccomp_syscall_resolve_name(name.encode())
    if number == SCMP_ERROR:
        return
    array = (_ArgumentCheck * max(1, len(checks)))(*checks)
    result = seccomp.seccomp_rule_add_array(context, action, number, len(checks), array)
    if result != 0:
        raise OSError(-result, f"seccomp_rule_add({name}): {errno.errorcode.get(-result, result)}")


def install() -> int:
    """Load the deny-list into this process (inherited by every child and across exec); returns the rule count.

    Needs no_new_privs (or CAP_SYS_ADMIN), set before by grading.confine.drop_privileges."""
    seccomp = library()
    context = seccomp.seccomp_init(SCMP_ACT_ALLOW)
    if not context:
        raise OSError(errno.ENOMEM, "seccomp_init failed")
    try:
        denied = SCMP_ACT_ERRNO(errno.EPERM)
        for name in DENIED:
            _add(seccomp, context, denied, name)
        _add(seccomp, context, SCMP_ACT_ERRNO(errno.ENOSYS), "clone3")
        for flag in CLONE_NAMESPACE_FLAGS:  # one rule per flag: (flags & flag) == flag
            _add(seccomp, context, denied, "clone", [_ArgumentCheck(0, SCMP_CMP_MASKED_EQ, flag, flag)])
        result = seccomp.seccomp_load(context)
        if result != 0:
            raise OSError(-result, f"seccomp_load: {errno.errorcode.get(-result, result)}")
    finally:
        seccomp.seccomp_release(context)
    return len(DENIED) + 1 + len(CLONE_NAMESPACE_FLAGS)
