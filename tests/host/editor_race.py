"""One JUCE host session that opened Quintet.vst3's editor while automation played (issue 21, 18).

Run as its own process by test_vst3_editor_race.py, because the failure it reproduces is an abort
of the whole host: nice-plug's VST3 wrapper posted parameter changes from `process` to its shared
background worker, which borrowed the editor window while `IPlugView::attached()` or `removed()`
held it mutably; the worker died of the panic, and releasing the last instance then aborted the
process (SIGABRT, exit status 134) in `WorkerThread::drop`. patches/nice-plug/0001 fixes it.

    python editor_race.py PATH_TO_Quintet.vst3 [EDITOR_CYCLES]

Needs an X display with a window manager and an XSETTINGS owner (JUCE exits on an X error
without them); the test starts Xvfb, openbox and xsettingsd. Prints what it did and exits 0 when
the instance was released without the host aborting.
"""

import gc
import sys
import threading
import time

import pedalboard

SAMPLE_RATE_HZ = 48_000
BLOCK_FRAMES = 64
EDITOR_OPEN_S = 0.5
PARTIALS = [f"partial_{k}" for k in range(1, 6)]


def play_and_automate(plugin, stop, counters):
    """The audio thread: 64-frame blocks, every block moves all five frequencies."""
    step = 0
    while not stop.is_set():
        for k, name in enumerate(PARTIALS):
            # Sweeps each partial over a different part of its 0..1 range, never standing still.
            plugin.parameters[name].raw_value = 0.3 + 0.2 * ((step * (k + 1)) % 97) / 97
        plugin(
            [],
            duration=BLOCK_FRAMES / SAMPLE_RATE_HZ,
            sample_rate=SAMPLE_RATE_HZ,
            num_channels=2,
            buffer_size=BLOCK_FRAMES,
            reset=False,
        )
        step += 1
        counters["blocks"] = step


def main():
    path = sys.argv[1]
    cycles = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    started = time.monotonic()
    plugin = pedalboard.load_plugin(path, initialization_timeout=0.5)
    # The first block costs pedalboard 20–50 s (it reads the 2,080 hidden MIDI parameters' texts):
    # play it here, so the audio thread below plays at its real pace from its first block.
    plugin.parameters[PARTIALS[0]].raw_value = 0.3
    plugin([], duration=BLOCK_FRAMES / SAMPLE_RATE_HZ, sample_rate=SAMPLE_RATE_HZ,
           num_channels=2, buffer_size=BLOCK_FRAMES, reset=False)
    print(f"loaded and played a first block in {time.monotonic() - started:.1f} s", flush=True)

    stop = threading.Event()
    counters = {"blocks": 0}
    audio = threading.Thread(target=play_and_automate, args=(plugin, stop, counters))
    audio.start()
    try:
        for cycle in range(cycles):
            close = threading.Event()
            threading.Timer(EDITOR_OPEN_S, close.set).start()
            before = counters["blocks"]
            plugin.show_editor(close)
            print(
                f"editor cycle {cycle + 1}: open {EDITOR_OPEN_S} s while "
                f"{counters['blocks'] - before} blocks played",
                flush=True,
            )
    finally:
        stop.set()
        audio.join()
    print(f"{counters['blocks']} blocks of {BLOCK_FRAMES} frames with automation", flush=True)
    del plugin
    gc.collect()
    print("released", flush=True)


if __name__ == "__main__":
    main()
