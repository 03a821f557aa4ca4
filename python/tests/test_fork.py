"""os.fork() while another thread renders: the child finds the object usable, where it stood
between two calls, instead of hanging on a lock the other thread held (16 of 20 children hung).
Each child is waited for with a deadline and killed past it, so a regression fails, not hangs."""

import os
import signal
import threading
import time
import warnings

import numpy as np
import pytest
import quintet
from reference import exact_partials, snr_db

FORKS = 20
# Long renders, so that most forks land in one.
RENDER_SAMPLES = 480_000
# A child renders 480 samples and exits in milliseconds; this is for a busy machine.
CHILD_DEADLINE_S = 10.0
# Exit statuses of a child.
RENDERED, WRONG_SAMPLES, RAISED = 0, 3, 4

if not hasattr(os, "fork"):
    pytest.skip("no os.fork on this system", allow_module_level=True)


def child_renders(q):
    """In the child: the next samples are the exact sines from where the object stood, so it
    was left between two renders, not in the middle of one."""
    try:
        start = q.samples_rendered
        block = q.render(480)
        exact = exact_partials(quintet.DEFAULT_FREQUENCIES, start, 480, q.sample_rate)
        return RENDERED if snr_db(block, exact) >= 120.0 else WRONG_SAMPLES
    except BaseException:  # noqa: BLE001 (reported by the exit status)
        return RAISED


def wait_with_deadline(pid):
    """The child's exit status, or None if it was still running at the deadline (then killed)."""
    deadline = time.monotonic() + CHILD_DEADLINE_S
    while time.monotonic() < deadline:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            return os.waitstatus_to_exitcode(status)
        time.sleep(0.01)
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
    return None


def test_children_forked_while_another_thread_renders_render_and_exit():
    q = quintet.Quintet()
    stop = threading.Event()

    def keep_rendering():
        while not stop.is_set():
            q.render(RENDER_SAMPLES)

    renderer = threading.Thread(target=keep_rendering)
    renderer.start()
    outcomes = []
    try:
        with warnings.catch_warnings():
            # Python 3.12 on warns that forking a threaded process may deadlock the child:
            # what this test checks does not.
            warnings.simplefilter("ignore", DeprecationWarning)
            for _ in range(FORKS):
                time.sleep(0.005)
                pid = os.fork()
                if pid == 0:
                    os._exit(child_renders(q))
                outcomes.append(wait_with_deadline(pid))
    finally:
        stop.set()
        renderer.join(timeout=60)
    assert not renderer.is_alive(), "the parent's render thread hung"
    hung = outcomes.count(None)
    assert outcomes == [RENDERED] * FORKS, (
        f"{hung} of {FORKS} children hung; exit statuses {outcomes} "
        f"({WRONG_SAMPLES}: wrong samples, {RAISED}: raised)"
    )
    # The parent's object goes on too.
    assert q.render(480).shape == (480,)
