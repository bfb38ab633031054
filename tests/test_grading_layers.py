"""Each layer of grading/ on its own, without nbgrader: preflight, the feedback check, the kernel environment and
the confinement of a process (as root: allow-list root, cgroups, IPC namespace, no_new_privs, cleanup)."""
import base64
import json
import os
import subprocess
import sys
import zlib
from pathlib import Path

import nbformat
import pytest

from grading import cgroups
from grading.confine import kernel_environment
from grading.feedback import CapOutputs, Secrets, unsafe_markup
from grading.preflight import MAX_CELLS, preflight
from grading.sandbox import fresh_uid, uids_in_use
from tests.assignment_support import release_path

HIDDEN_LINE = "assert abs(total - 41.5) < 1e-9, 'hidden check'"


def _submit(folder: Path, data) -> Path:
    folder.mkdir(parents=True)
    (folder / "a1_cells.ipynb").write_bytes(data if isinstance(data, bytes) else json.dumps(data).encode())
    return folder


def _release() -> dict:
    return json.loads(release_path("a1_cells").read_text())


@pytest.mark.parametrize("name, data, gradable, message", [
    ("nested", b"[" * 100_000 + b"]" * 100_000, False, "nests its JSON too deeply"),
    ("minor_string", {**_release(), "nbformat_minor": "5"}, True, "nbformat_minor is '5'"),
    ("cells", {**_release(), "cells": [{"cell_type": "code", "source": "", "metadata": {}, "outputs": [],
                                        "execution_count": None, "id": f"c{i}"} for i in range(40_000)]},
     False, f"over the limit of {MAX_CELLS}"),
    ("not_a_list", {**_release(), "cells": {"a": 1}}, False, "not a list"),
])
def test_preflight_turns_every_malformed_file_into_the_students_problem(tmp_path, name, data, gradable, message):
    problems, _present, anything = preflight(_submit(tmp_path / name, data), ["a1_cells"], tmp_path / "staged")
    assert anything == gradable and any(message in problem for problem in problems), problems


def test_preflight_drops_odd_grade_ids_and_neutralises_markers(tmp_path):
    data = _release()
    data["cells"][2]["metadata"]["nbgrader"] = {"grade_id": ["x"], "grade": True, "points": 99}
    answer = next(cell for cell in data["cells"] if cell["metadata"].get("nbgrader", {}).get("solution"))
    answer["source"] = "# ### BEGIN HIDDEN TESTS\nx = 1\n# ### END HIDDEN TESTS\n"
    problems, _present, anything = preflight(_submit(tmp_path / "odd", data), ["a1_cells"], tmp_path / "staged")
    assert anything and any("grade_id ['x']" in problem for problem in problems)
    staged = (tmp_path / "staged" / "a1_cells.ipynb").read_text()
    assert "BEGIN HIDDEN TESTS" not in staged and "BEGIN_HIDDEN_TESTS" in staged


def test_preflight_refuses_links_and_special_files_without_following_them(tmp_path):
    folder = tmp_path / "linked"
    folder.mkdir()
    os.symlink(Path(__file__).resolve(), folder / "a1_cells.ipynb")
    os.mkfifo(folder / "pipe.ipynb")
    problems, _present, anything = preflight(folder, ["a1_cells"], tmp_path / "staged")
    assert not anything
    assert any("symbolic link" in problem for problem in problems) and any("not a regular file" in p for p in problems)


def test_the_feedback_check_finds_hidden_text_in_every_encoding(tmp_path):
    secrets = Secrets(lines={HIDDEN_LINE}, literals={"hidden literal value"}, variables={"tok-123456"})
    compressed = base64.b64encode(zlib.compress(("In = ['x', " + repr(HIDDEN_LINE) + "]").encode())).decode()
    wrapped = "\n".join(compressed[i:i + 60] for i in range(0, len(compressed), 60))
    for document in (f"<p>{HIDDEN_LINE}</p>", f"<pre>{wrapped}</pre>", f"<pre>{HIDDEN_LINE.encode().hex()}</pre>",
                     "<pre>" + base64.urlsafe_b64encode(b"x hidden literal value y").decode() + "</pre>",
                     "<pre>{'TOKEN': 'tok-123456'}</pre>", "<p>" + HIDDEN_LINE.replace("'", "&#x27;") + "</p>"):
        assert secrets.found_in(document), document[:80]
    assert secrets.found_in("<p>an honest student's output: 41.5</p>") == []


def test_the_feedback_check_names_active_markup_and_caps_outputs():
    assert unsafe_markup('<img src=x onerror="alert(1)">') and unsafe_markup('<a href="javascript:alert(1)">x</a>')
    assert unsafe_markup('a[href^="javascript:"]:after{content:""}') == []  # nbconvert's own stylesheet
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("print()") for _ in range(10)])
    for cell in notebook.cells:
        cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text="z" * 100_000)]
    capped, _ = CapOutputs(max_bytes=250_000).preprocess(notebook, {})
    kept = sum(len(output["text"]) for cell in capped.cells for output in cell.outputs)
    assert kept < 260_000 and "output removed" in capped.cells[-1].outputs[0]["text"]


def test_the_kernel_environment_is_an_allow_list(tmp_path):
    grader = {"INSTRUCTOR_API_TOKEN": "canary", "AWS_SECRET_ACCESS_KEY": "canary", "KERAS_BACKEND": "tensorflow",
              "LC_ALL": "C.UTF-8", "PATH": "/secret/bin", "HOME": "/root", "PYTHONPATH": "/work/main"}
    env = kernel_environment(tmp_path, grader)
    assert "canary" not in json.dumps(env)
    assert env["KERAS_BACKEND"] == "tensorflow" and env["LC_ALL"] == "C.UTF-8"
    assert env["HOME"].startswith(str(tmp_path)) and env["TMPDIR"].startswith(str(tmp_path))
    assert "/secret/bin" not in env["PATH"] and "PYTHONPATH" not in env


def test_fresh_uids_are_checked_against_accounts_and_processes():
    used = uids_in_use()
    assert 0 in used and os.getuid() in used
    assert all(fresh_uid() not in used for _ in range(20))


PROBE = """
import ctypes, errno, os, signal, socket, subprocess, json, threading
libc = ctypes.CDLL(None, use_errno=True)
def call(function, *args):
    result = function(*args)
    return "ok" if result >= 0 else errno.errorcode[ctypes.get_errno()]
report = {"uid": os.getuid(), "pid": os.getpid(), "root": sorted(os.listdir("/")), "hostname": socket.gethostname()}
report["sees"] = {path: os.path.exists(path) for path in ("/work/main/pyproject.toml", "/srv", "/run/lock", "/root/.ssh", "/etc/shadow")}
report["sees"].update({path: os.path.exists(path) for path in EXTRA})
status = dict(line.split(":", 1) for line in open("/proc/self/status"))
report["no_new_privs"], report["seccomp"] = status["NoNewPrivs"].strip(), status["Seccomp"].strip()
report["userns"] = subprocess.run(["unshare", "-U", "true"], capture_output=True).returncode
report["ipcmk"] = subprocess.run(["ipcmk", "-M", "4096"], capture_output=True).returncode
try:
    open("/tmp/" + "x" * 10, "wb").write(bytes(2**20))
    report["tmp"] = "writable"
except OSError as error:
    report["tmp"] = str(error)
try:
    os.kill(GRADER_PID, 0)
    report["kill_grader"] = "ok"
except OSError as error:
    report["kill_grader"] = errno.errorcode[error.errno]
# Each of these succeeds for an unprivileged process without the filter (unshare(0), PTRACE_TRACEME, reading
# the session keyring's id, clone3 of nothing); mount and bpf would fail anyway, but with the filter as EPERM.
report["calls"] = {"ptrace": call(libc.ptrace, 0, 0, 0, 0), "unshare": call(libc.unshare, 0),
                   "mount": call(libc.mount, b"none", b"/tmp", b"tmpfs", 0, None),
                   "keyctl": call(libc.syscall, NUMBERS["keyctl"], 0, -3, 0),
                   "bpf": call(libc.syscall, NUMBERS["bpf"], 0, None, 0),
                   "clone3": call(libc.syscall, NUMBERS["clone3"], None, 0)}
# An ordinary workload still works: NumPy, threads, a subprocess, a fork.
import numpy
matrix = numpy.arange(10_000, dtype=float).reshape(100, 100)
totals = []
threads = [threading.Thread(target=lambda: totals.append(float((matrix @ matrix).sum()))) for _ in range(4)]
[thread.start() for thread in threads]
[thread.join() for thread in threads]
report["workload"] = {"threads": len(set(totals)) == 1 and len(totals) == 4,
                      "subprocess": subprocess.run(["python3", "-c", "print(6 * 7)"], capture_output=True, text=True).stdout.strip()}
# The student's background processes: a setsid'd fork and a new-session subprocess, both meant to outlive the kernel.
subprocess.Popen(["sleep", "3600"], start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
if os.fork() == 0:
    os.setsid()
    os.close(1), os.close(2)
    import time
    time.sleep(3600)
report["processes"] = sorted(int(name) for name in os.listdir("/proc") if name.isdigit())
report["log"] = open("tmp/sandbox.log").read()  # in the kernel's private folder, invisible outside
report["process_uids"] = sorted({os.stat(f"/proc/{pid}").st_uid for pid in report["processes"]})
print(json.dumps(report))
raise SystemExit(3)
"""


def _confined_kernel(tmp_path, code: str, wrapper=(), **popen):
    """A process confined as a root-mode kernel (grading/confine.py, the exec'd path) running `code`."""
    from grading.confine import CONFIG_VARIABLE
    from tests.grading_support import REPOSITORY
    root = tmp_path / "sandboxes"
    root.mkdir(mode=0o711)
    folder = root / "kernel-probe"
    for sub in ("tmp", "home"):
        (folder / sub).mkdir(parents=True)
    Path(str(folder) + ".root").mkdir()
    settings = {"enabled": True, "mode": "root", "memory_mb": 512, "max_processes": 32, "max_file_mb": 50,
                "disk_mb": 20, "open_files": 256, "cpu_seconds": 60, "keep": []}
    made = cgroups.create(f"kernel-probe-{tmp_path.name}", settings)
    env = kernel_environment(folder, {"INSTRUCTOR_API_TOKEN": "canary"})
    env[CONFIG_VARIABLE] = json.dumps({**settings, "uid": fresh_uid(), "folder": str(folder),
                                       "cgroups": [str(path) for path in made]})
    process = subprocess.Popen([*wrapper, sys.executable, "-I", str(REPOSITORY / "grading" / "confine.py"),
                                sys.executable, "-c", code], env=env, cwd=folder, text=True, **popen)
    return process, made, folder


def _needs_root():
    if os.geteuid() != 0:
        pytest.skip("the allow-list root, the uid change, the PID namespace and cgroups need root (CI grades as root)")


def test_a_confined_process_sees_only_the_allow_list_and_leaves_nothing(tmp_path):
    _needs_root()
    from grading import seccomp_filter
    from tests.grading_support import REPOSITORY
    (tmp_path / "other-course-gradebook.db").write_text("another course's grades")
    extra = [str(REPOSITORY / "solutions"), str(REPOSITORY / "grading" / "references"),
             str(tmp_path / "other-course-gradebook.db")]
    numbers = {name: seccomp_filter.library().seccomp_syscall_resolve_name(name.encode())
               for name in ("keyctl", "bpf", "clone3")}
    before = subprocess.run(["ipcs", "-m"], capture_output=True, text=True).stdout
    code = f"EXTRA = {extra!r}\nGRADER_PID = {os.getpid()}\nNUMBERS = {numbers!r}\n" + PROBE
    process, made, _folder = _confined_kernel(tmp_path, code, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    out, err = process.communicate(timeout=120)
    assert process.returncode == 3, f"the kernel's exit status must come through init and the outer: {err[-2000:]}"
    report = json.loads(out.strip().splitlines()[-1])
    assert report["uid"] >= 200_000 and report["hostname"] == "sandbox" and report["no_new_privs"] == "1"
    assert not any(report["sees"].values()), report["sees"]
    assert report["pid"] == 2, "the kernel is PID 2 of its own namespace, under the init"
    assert report["process_uids"] == [report["uid"]], "only the student's own processes are listed"
    assert 1 not in report["processes"] and len(report["processes"]) <= 4, report["processes"]
    assert report["kill_grader"] == "ESRCH", "the grader's process must not exist for the kernel"
    assert report["seccomp"] == "2", "a seccomp filter must be loaded"
    assert report["calls"] == {"ptrace": "EPERM", "unshare": "EPERM", "mount": "EPERM", "keyctl": "EPERM",
                               "bpf": "EPERM", "clone3": "ENOSYS"}, report["calls"]
    assert report["userns"] != 0, "a confined student may not open user namespaces"
    assert report["workload"] == {"threads": True, "subprocess": "42"}, report["workload"]
    assert report["tmp"] == "writable"
    assert "seccomp: 45 deny rules" in report["log"] and "pid namespace" in report["log"], report["log"]
    assert not cgroups.processes(made), "the background processes must have died with the kernel"
    assert cgroups.kill_and_remove(made)
    assert subprocess.run(["ipcs", "-m"], capture_output=True, text=True).stdout == before, "a segment survived"


SLEEPER = """
import signal, subprocess, sys, time
subprocess.Popen(["sleep", "3600"], start_new_session=True)
def interrupted(number, frame):
    print("got", signal.Signals(number).name, flush=True)
    if number == signal.SIGTERM:
        sys.exit(0)
signal.signal(signal.SIGTERM, interrupted)
print("ready", flush=True)
while True:
    try:
        time.sleep(60)
    except KeyboardInterrupt:
        print("got SIGINT", flush=True)
"""


def _line(process, seconds: float = 60.0) -> str:
    """The next line the confined process prints, or a failure (never a hang) after `seconds`."""
    import select
    ready, _, _ = select.select([process.stdout], [], [], seconds)
    assert ready, f"the confined process printed nothing for {seconds:.0f} s"
    return process.stdout.readline().strip()


@pytest.mark.parametrize("ending", ["SIGTERM", "SIGKILL"])
def test_signals_reach_the_kernel_once_and_its_end_ends_the_namespace(tmp_path, ending):
    _needs_root()
    import signal
    # Started with SIGINT ignored, as from a grader run in the background (`nohup`, cron): the kernel restores it.
    process, made, _folder = _confined_kernel(tmp_path, SLEEPER, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                              start_new_session=True,
                                              preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_IGN))
    assert _line(process) == "ready"
    os.killpg(process.pid, signal.SIGINT)  # as jupyter_client interrupts: the whole process group of the outer
    assert _line(process) == "got SIGINT", "the interrupt must reach the kernel, even from a grader that ignores it"
    assert len(cgroups.processes(made)) == 4, "outer, init, kernel and the student's sleep"
    os.killpg(process.pid, getattr(signal, ending))
    rest = process.communicate(timeout=30)[0]
    if ending == "SIGTERM":
        assert rest.strip() == "got SIGTERM" and process.returncode == 0, "one SIGINT and one SIGTERM, each once"
    else:  # the outer cannot forward SIGKILL: the init's parent-death signal takes the namespace down
        assert process.returncode == -9
        for _ in range(50):
            if not cgroups.processes(made):
                break
            import time
            time.sleep(0.1)
    assert not cgroups.processes(made), "every process of the student must be gone"
    assert cgroups.kill_and_remove(made)


def test_without_libseccomp_a_kernel_says_so_instead_of_pretending(monkeypatch, capsys):
    from grading import confine, seccomp_filter
    monkeypatch.setattr(seccomp_filter, "LIBRARY", "libseccomp-missing.so.2")
    monkeypatch.setattr(seccomp_filter, "_library", None)
    note = confine._load_seccomp()
    assert note.startswith("seccomp: UNAVAILABLE: libseccomp-missing.so.2 cannot be loaded") and "libseccomp2" in note
    assert "seccomp: UNAVAILABLE" in capsys.readouterr().err


def test_the_namespace_dies_when_the_graders_process_dies(tmp_path):
    _needs_root()
    import time
    # sh stands for nbgrader: it starts the kernel in the background and exits when given a line.
    grader, made, _folder = _confined_kernel(tmp_path, SLEEPER, wrapper=("sh", "-c", '"$@" & read line', "sh"),
                                             stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    assert _line(grader) == "ready"
    assert len(cgroups.processes(made)) == 4, "outer, init, kernel and the student's sleep"
    grader.communicate("\n", timeout=30)
    deadline = time.monotonic() + 10
    while cgroups.processes(made) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not cgroups.processes(made), "the kernel and the student's processes must not outlive the grader"
    assert cgroups.kill_and_remove(made)
