"""What the `quintet` module is measured against: the exact sines, and the notebook Quintet grew
from (numpy filling 4096-sample buffers at 44.1 kHz, carrying a start phase from buffer to buffer).

Used by the speed comparison (bench.py), the tests (tests/) and examples/notebook.ipynb.
"""

from fractions import Fraction

import numpy as np

# The notebook's buffers.
NOTEBOOK_RATE_HZ = 44_100
NOTEBOOK_BUFFER = 4096
NOTEBOOK_FREQUENCIES_HZ = (200.0, 250.0, 300.0, 350.0, 400.0)
# Each partial at a fifth of Quintet's voice level (0.5, −6 dB): the notebook played them at a
# fifth of full scale; its fill below plays at Quintet's, so the two compare sample for sample.
PARTIAL_AMPLITUDE = 0.1


class NotebookOscillator:
    """The notebook's own numpy fill, as it was (at Quintet's partial amplitude).

    Each buffer is computed on a time axis from 0 to BUFFER / RATE with the endpoint included
    (BUFFER + 1 points), the first BUFFER of them are played, and the start phase of the next
    buffer is carried "one sample on" from the endpoint. But the endpoint already is the next
    buffer's first sample, so every buffer advances the phases by BUFFER + 1 samples' worth: at
    every seam the signal skips one sample.
    """

    def __init__(self, frequencies=NOTEBOOK_FREQUENCIES_HZ, rate=NOTEBOOK_RATE_HZ, buffer=NOTEBOOK_BUFFER):
        self.frequencies = np.asarray(frequencies, dtype=np.float64)
        self.rate = rate
        self.buffer = buffer
        self.start_phase = np.zeros(len(self.frequencies))

    def next_buffer(self):
        t = np.linspace(0.0, self.buffer / self.rate, self.buffer + 1)
        phase = self.start_phase[:, None] + 2 * np.pi * self.frequencies[:, None] * t
        samples = (PARTIAL_AMPLITUDE * np.sin(phase[:, : self.buffer])).sum(axis=0)
        # "The next buffer starts one sample after the last": one sample after the endpoint.
        self.start_phase = (phase[:, -1] + 2 * np.pi * self.frequencies / self.rate) % (2 * np.pi)
        return samples.astype(np.float32)


def exact_phase_turns(frequency_hz, start, count, rate):
    """The exact phase, in turns (0 to 1), of a sine at `frequency_hz` starting at phase 0, at
    samples start, start + 1, ..., start + count - 1 at `rate` Hz.

    The whole turns up to `start` are taken away in exact rational arithmetic, so the result is
    as exact after hours as after a second (a float64 product f·n/rate would lose digits)."""
    frequency = Fraction(frequency_hz)
    turns_at_start = frequency * start / Fraction(rate)
    offset = float(turns_at_start - (turns_at_start.numerator // turns_at_start.denominator))
    return (offset + float(frequency / Fraction(rate)) * np.arange(count)) % 1.0


def exact_partials(frequencies, start, count, rate, levels=(1.0,) * 5, gain=1.0):
    """The exact signal Quintet promises, in float64: gain · Σ level_k · sin(2π f_k n / rate) ·
    PARTIAL_AMPLITUDE
    for n from `start` to `start + count - 1`, every phase zero at n = 0."""
    signal = np.zeros(count)
    for frequency, level in zip(frequencies, levels):
        phase = exact_phase_turns(frequency, start, count, rate)
        signal += level * PARTIAL_AMPLITUDE * np.sin(2 * np.pi * phase)
    return gain * signal


def steepest_step(frequencies, rate, levels=(1.0,) * 5, gain=1.0):
    """The largest step from one sample to the next that the sines themselves can make:
    Σ 2π f_k · amplitude_k / rate (each sine's steepest slope times one sample)."""
    return gain * sum(
        2 * np.pi * f * level * PARTIAL_AMPLITUDE / rate for f, level in zip(frequencies, levels)
    )


def snr_db(signal, reference):
    """Signal-to-noise ratio of `signal` against `reference`, in dB."""
    reference = np.asarray(reference, dtype=np.float64)
    error = np.asarray(signal, dtype=np.float64) - reference
    return 10 * np.log10(np.sum(reference**2) / np.sum(error**2))


def seam_report(glued, frequencies, rate, seam):
    """How two buffers glued at sample `seam` compare with the exact sines over both buffers:
    the largest error before and after the seam and the step across it."""
    exact = exact_partials(frequencies, 0, len(glued), rate)
    error = np.abs(np.asarray(glued, dtype=np.float64) - exact)
    return {
        "error_before_seam": float(error[:seam].max()),
        "error_after_seam": float(error[seam:].max()),
        "step_at_seam": float(abs(float(glued[seam]) - float(glued[seam - 1]))),
        "steepest_possible_step": steepest_step(frequencies, rate),
    }
