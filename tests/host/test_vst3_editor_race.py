"""The VST3 editor opened while automation plays must never make the host abort (issue 21, 18).

Without patches/nice-plug/0001 every session of editor_race.py ended in SIGABRT (exit status 134)
when the instance was released: see that script's docstring and docs/PATCHES.md. The session runs
in a child process, so an abort fails this test instead of killing pytest.
"""

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
# Editor openings per session (0.5 s each, while 64-frame blocks with new values for all five
# partials play on another thread). Without patch 0001 every session aborted before patch 0002
# existed; with 0002 the race is rarer (sessions of six openings aborted in 2 of 3), hence twelve
# (sessions of twelve aborted in 2 of 2).
EDITOR_CYCLES = 12
# Loading the VST3 in pedalboard takes 20–50 s (it reads the 2,080 hidden MIDI parameters); a
# session takes ~90 s on a quiet machine, and went past 240 s once in CI with the two cores
# shared with the other stages' builds (load average ~8): the limit only catches a hang.
SESSION_TIMEOUT_S = 480


def start(command, **kwargs):
    return subprocess.Popen(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, **kwargs
    )


@pytest.fixture(scope="module")
def x_display():
    """Xvfb with the window manager and XSETTINGS owner JUCE needs to open an editor."""
    missing = [tool for tool in ("Xvfb", "openbox", "xsettingsd") if shutil.which(tool) is None]
    if missing:
        pytest.fail(f"{', '.join(missing)} missing: scripts/install-deps installs them")
    display = f":{90 + os.getpid() % 400}"
    processes = [start(["Xvfb", display, "-screen", "0", "1600x1000x24", "-nolisten", "tcp"])]
    try:
        deadline = time.monotonic() + 10
        while not Path(f"/tmp/.X11-unix/X{display[1:]}").exists():
            if time.monotonic() > deadline or processes[0].poll() is not None:
                pytest.fail(f"Xvfb did not start on {display}")
            time.sleep(0.05)
        env = dict(os.environ, DISPLAY=display)
        with tempfile.NamedTemporaryFile("w", suffix=".conf", delete=False) as config:
            config.write('Net/ThemeName "Adwaita"\n')
        processes.append(start(["openbox"], env=env))
        processes.append(start(["xsettingsd", "-c", config.name], env=env))
        time.sleep(0.5)
        yield display
    finally:
        for process in reversed(processes):
            process.terminate()
            process.wait()


def test_opening_the_editor_while_automation_plays_never_aborts_the_host(vst3_path, x_display):
    session = subprocess.run(
        [sys.executable, str(HERE / "editor_race.py"), vst3_path, str(EDITOR_CYCLES)],
        env=dict(os.environ, DISPLAY=x_display),
        capture_output=True,
        text=True,
        timeout=SESSION_TIMEOUT_S,
    )
    report = f"stdout:\n{session.stdout}\nstderr (last 2000 chars):\n{session.stderr[-2000:]}"
    assert session.returncode == 0, f"the host ended with status {session.returncode}\n{report}"
    assert "released" in session.stdout, report
    assert session.stdout.count("editor cycle") == EDITOR_CYCLES, report
    assert "already mutably borrowed" not in session.stderr, report
