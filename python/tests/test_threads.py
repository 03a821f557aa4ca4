"""One object used from several threads: the calls take turns (a lock), never crash or tear a
render, and a render releases the GIL so the other Python threads run meanwhile."""

import sys
import threading
import time

import numpy as np
import quintet


def run_together(*targets):
    """Runs the targets in threads started together; re-raises the first error any raised."""
    start, errors = threading.Barrier(len(targets)), []

    def wrapped(target):
        try:
            start.wait()
            target()
        except BaseException as error:  # noqa: BLE001 (handed to the test)
            errors.append(error)

    threads = [threading.Thread(target=wrapped, args=(t,)) for t in targets]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
        assert not thread.is_alive(), "a thread hung"
    if errors:
        raise errors[0]


def test_two_threads_rendering_one_object_take_turns_block_by_block():
    """Each render is whole: the blocks two threads get are, between them, exactly the blocks
    one thread would have rendered, each once."""
    q, blocks, size = quintet.Quintet(), 3000, 64
    got = {"a": [], "b": []}
    run_together(
        lambda: got["a"].extend(q.render(size) for _ in range(blocks)),
        lambda: got["b"].extend(q.render(size) for _ in range(blocks)),
    )
    assert q.samples_rendered == 2 * blocks * size
    alone = quintet.Quintet().render(2 * blocks * size).reshape(-1, size)
    expected = sorted(block.tobytes() for block in alone)
    assert sorted(block.tobytes() for block in got["a"] + got["b"]) == expected


def test_changes_from_one_thread_while_another_renders_never_crash_or_leave_full_scale():
    q = quintet.Quintet(midi=False)
    rng = np.random.default_rng(7)
    rendered, deadline = [], time.monotonic() + 1.0

    def render():
        while time.monotonic() < deadline:
            rendered.append(q.render(int(rng.integers(1, 2048))))

    def change():
        local = np.random.default_rng(8)
        while time.monotonic() < deadline:
            q.frequencies = local.uniform(20, 2000, size=5)
            q.set_levels(local.uniform(0, 1, size=5), ramp=bool(local.integers(2)))
            q.gain = float(local.uniform(0.1, 1))
            q.midi = bool(local.integers(2))
            if q.midi:
                q.note_on(int(local.integers(40, 90)), float(local.uniform(0.1, 1)))
            q.voices = int(local.integers(1, 17))
            _ = (q.frequencies, q.current_frequencies, q.sounding_notes, repr(q))

    run_together(render, change)
    audio = np.concatenate(rendered)
    assert len(audio) == q.samples_rendered and len(audio) > 48_000
    # Nothing clamps: at most every voice and the drone at the voice level (gain below 1).
    assert np.all(np.isfinite(audio)) and np.abs(audio).max() <= 17 * 0.5


def test_filling_one_array_from_two_threads_is_refused_not_raced():
    """Two threads writing into the same array at once: the second is refused with an error
    (rust-numpy's borrow check), or they take turns; nothing crashes."""
    q, shared = quintet.Quintet(), np.zeros(1 << 20, dtype=np.float32)
    refusals = []

    def fill():
        for _ in range(20):
            try:
                q.render_into(shared)
            except ValueError as error:
                assert "already borrowed" in str(error)
                refusals.append(error)

    run_together(fill, fill)
    assert q.samples_rendered == (40 - len(refusals)) * len(shared)


def test_a_render_releases_the_gil():
    """Another Python thread keeps running while a long render is in progress."""
    q, out = quintet.Quintet(), np.empty(1 << 24, dtype=np.float32)  # 350 s of audio
    ticks, running = [], threading.Event()
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-4)
    try:
        def count():
            running.set()
            while running.is_set():
                ticks.append(time.perf_counter())

        counter = threading.Thread(target=count)
        counter.start()
        running.wait()
        began = time.perf_counter()
        q.render_into(out)
        ended = time.perf_counter()
        running.clear()
        counter.join()
    finally:
        sys.setswitchinterval(interval)
    middle = (began + (ended - began) / 4, ended - (ended - began) / 4)
    during = [t for t in ticks if middle[0] < t < middle[1]]
    assert ended - began > 0.005, "the render must take long enough to tell"
    assert len(during) > 100, f"the other thread ran {len(during)} times during the render"
