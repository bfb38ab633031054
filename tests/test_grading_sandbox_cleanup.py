"""The last cleanup layer (grading/sandbox.kill_everything_of): whatever still runs as a student's uid dies,
and when nothing does, no helper process is started (it is a fork of the large grader, run per student)."""
import os
import subprocess
import time

import pytest

from grading.sandbox import fresh_uid, kill_everything_of, process_uids


@pytest.fixture
def student_uid():
    if os.geteuid() != 0:
        pytest.skip("starting a process as another uid needs root (CI grades as root)")
    return fresh_uid()


def test_a_process_left_running_as_the_student_is_killed(student_uid):
    left = subprocess.Popen(["sleep", "300"], user=student_uid, group=student_uid, extra_groups=[],
                            start_new_session=True)
    try:
        assert student_uid in process_uids()
        kill_everything_of(student_uid)
        assert left.wait(timeout=10) == -9
        assert student_uid not in process_uids()
    finally:
        left.kill()


def test_nothing_left_means_no_helper_process(student_uid, monkeypatch):
    started = []
    monkeypatch.setattr(subprocess, "run", lambda *args, **kwargs: started.append(args))
    began = time.monotonic()
    kill_everything_of(student_uid)
    assert started == [] and time.monotonic() - began < 1.0
