"""A million render calls leave the process no bigger: nothing leaks per call."""

import resource
from pathlib import Path

import numpy as np
import quintet

CALLS = 1_000_000


def resident_kib():
    """The process's resident set now, in KiB (the peak from getrusage would hide a return)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def test_a_million_render_calls_do_not_grow_memory():
    q, out = quintet.Quintet(), np.empty(64, dtype=np.float32)
    for _ in range(20_000):  # warm up the allocators
        q.render(64)
        q.render_into(out)
    before = resident_kib()
    for _ in range(CALLS // 2):
        q.render(64)
        q.render_into(out)
    grown = resident_kib() - before
    assert q.samples_rendered == (40_000 + CALLS) * 64
    print(f"RSS after {CALLS} render calls: {grown:+d} KiB")
    # A leak of even 4 bytes a call would be 4,000 KiB.
    assert grown < 1024
