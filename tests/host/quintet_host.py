"""What the host tests know about Quintet, and how they read a spectrum.

The bundles come from `cargo xtask bundle quintet` (scripts/test builds them in the dev profile,
so nice-plug's `assert_process_allocs` aborts the host if the audio thread allocates).
Set QUINTET_BUNDLE_DIR to test bundles somewhere else.
"""

import os
from pathlib import Path

import numpy as np
import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
BUNDLE_DIR = Path(os.environ.get("QUINTET_BUNDLE_DIR") or REPO_ROOT / "target" / "bundled")

SAMPLE_RATE_HZ = 48_000
DEFAULT_FREQUENCIES_HZ = [200.0, 250.0, 300.0, 350.0, 400.0]
PARTIAL_AMPLITUDE = 0.2
PARTIAL_NAMES = [f"Partial {k}" for k in range(1, 6)]
# Every parameter Quintet declares, in its order (tests/parameter_lock.rs locks the list).
QUINTET_PARAMETER_NAMES = (
    PARTIAL_NAMES
    + ["Gain"]
    + [f"Partial {k} level" for k in range(1, 6)]
    + [f"Partial {k} mute" for k in range(1, 6)]
    + ["MIDI mode", "MIDI glide"]
)

# The frequency parameters' skewed range, as in src/params.rs:
# normalized = ((hz - min) / (max - min)) ** skew. The tests check by display text that the
# plugin agrees, so a change there fails here rather than testing the wrong frequencies.
MIN_FREQUENCY_HZ = 20.0
MAX_FREQUENCY_HZ = 20_000.0
FREQUENCY_SKEW = 0.199


def frequency_to_normalized(hz):
    """The 0..1 position a host sends for `hz`."""
    return ((hz - MIN_FREQUENCY_HZ) / (MAX_FREQUENCY_HZ - MIN_FREQUENCY_HZ)) ** FREQUENCY_SKEW


def amplitude_spectrum(mono, sample_rate_hz=SAMPLE_RATE_HZ):
    """Peak-amplitude spectrum of the last second of `mono` (1 Hz bins, Hann window).

    A sine of amplitude A on an integer frequency reads A in its bin, and the Hann window keeps
    its leakage to the two neighbouring bins.
    """
    tail = np.asarray(mono[-sample_rate_hz:], dtype=np.float64)
    assert tail.size == sample_rate_hz, "render at least one second"
    window = np.hanning(tail.size)
    magnitudes = np.abs(np.fft.rfft(tail * window)) * 2.0 / window.sum()
    frequencies = np.fft.rfftfreq(tail.size, 1.0 / sample_rate_hz)
    return frequencies, magnitudes


def assert_partials(mono, expected_hz, amplitude=PARTIAL_AMPLITUDE, loudest_other=1e-4):
    """The last second of `mono` holds sines at exactly `expected_hz`, each at `amplitude`
    (within 1 %), and nothing else above `loudest_other` (-66 dB below a partial)."""
    frequencies, magnitudes = amplitude_spectrum(mono)
    rest = magnitudes.copy()
    for hz in expected_hz:
        bin_index = int(np.argmin(np.abs(frequencies - hz)))
        start = max(bin_index - 3, 0)
        near = slice(start, bin_index + 4)
        peak = start + int(np.argmax(magnitudes[near]))
        assert frequencies[peak] == pytest.approx(hz, abs=0.5), (
            f"partial expected at {hz} Hz peaks at {frequencies[peak]} Hz"
        )
        assert magnitudes[peak] == pytest.approx(amplitude, rel=0.01), (
            f"partial at {hz} Hz has amplitude {magnitudes[peak]:.5f}, expected {amplitude}"
        )
        rest[near] = 0.0
    loudest = int(np.argmax(rest))
    assert rest[loudest] < loudest_other, (
        f"unexpected energy at {frequencies[loudest]} Hz: amplitude {rest[loudest]:.2e}"
    )
