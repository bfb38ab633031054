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
import os, socket, subprocess, json
report = {"uid": os.getuid(), "root": sorted(os.listdir("/")), "hostname": socket.gethostname()}
report["sees"] = {path: os.path.exists(path) for path in ("/work/main/pyproject.toml", "/srv", "/run/lock", "/root/.ssh", "/etc/shadow")}
report["sees"].update({path: os.path.exists(path) for path in EXTRA})
report["no_new_privs"] = [line for line in open("/proc/self/status") if line.startswith("NoNewPrivs")][0].split()[1]
report["processes"] = len([name for name in os.listdir("/proc") if name.isdigit()])
report["userns"] = subprocess.run(["unshare", "-U", "true"], capture_output=True).returncode
report["ipcmk"] = subprocess.run(["ipcmk", "-M", "4096"], capture_output=True).returncode
try:
    open("/tmp/" + "x" * 10, "wb").write(bytes(2**20))
    report["tmp"] = "writable"
except OSError as error:
    report["tmp"] = str(error)
if os.fork() == 0:
    os.setsid()
    os.close(1), os.close(2)
    import time
    time.sleep(3600)
print(json.dumps(report))
"""


def test_a_confined_process_sees_only_the_allow_list_and_leaves_nothing(tmp_path):
    if os.geteuid() != 0:
        pytest.skip("the allow-list root, the uid change and cgroups need root (CI grades as root)")
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
    made = cgroups.create("kernel-probe", settings)
    env = kernel_environment(folder, {"INSTRUCTOR_API_TOKEN": "canary"})
    env[CONFIG_VARIABLE] = json.dumps({**settings, "uid": fresh_uid(), "folder": str(folder),
                                       "cgroups": [str(path) for path in made]})
    (tmp_path / "other-course-gradebook.db").write_text("another course's grades")
    extra = [str(REPOSITORY / "solutions"), str(REPOSITORY / "grading" / "references"),
             str(tmp_path / "other-course-gradebook.db")]
    before = subprocess.run(["ipcs", "-m"], capture_output=True, text=True).stdout
    done = subprocess.run([sys.executable, "-I", str(REPOSITORY / "grading" / "confine.py"), sys.executable, "-c",
                           f"EXTRA = {extra!r}\n" + PROBE], env=env, cwd=folder, capture_output=True, text=True,
                          timeout=120)
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert report["uid"] >= 200_000 and report["hostname"] == "sandbox" and report["no_new_privs"] == "1"
    assert not any(report["sees"].values()), report["sees"]
    assert report["processes"] <= 3, "other users' processes must be invisible"
    assert report["userns"] != 0, "a confined student may not open user namespaces"
    assert report["tmp"] == "writable"
    assert cgroups.processes(made), "the setsid child must still be in the student's cgroup"
    assert cgroups.kill_and_remove(made) and not cgroups.processes(made)
    assert subprocess.run(["ipcs", "-m"], capture_output=True, text=True).stdout == before, "a segment survived"
