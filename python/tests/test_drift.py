"""No drift: after ten minutes the output still matches the exact sines (≥ 120 dB SNR), where a
float32 phase accumulator, as the notebook or a naive plugin would keep, is degrees off."""

import numpy as np
import pytest
import quintet
from reference import exact_partials, snr_db

RATE_HZ = 48_000
TEN_MINUTES = 600 * RATE_HZ


@pytest.mark.parametrize(
    "frequencies",
    [(200.0, 250.0, 300.0, 350.0, 400.0), (27.5, 261.63, 1000.1, 4186.01, 15_000.0)],
)
def test_after_ten_minutes_the_sines_are_still_exact(frequencies):
    q = quintet.Quintet(sample_rate=RATE_HZ, frequencies=frequencies)
    buffer = np.empty(RATE_HZ, dtype=np.float32)
    for _ in range(TEN_MINUTES // RATE_HZ):
        q.render_into(buffer)
    assert q.samples_rendered == TEN_MINUTES
    eleventh_minute_starts = q.render(RATE_HZ)
    exact = exact_partials(frequencies, TEN_MINUTES, RATE_HZ, RATE_HZ)
    snr = snr_db(eleventh_minute_starts, exact)
    print(f"{frequencies}: SNR after ten minutes {snr:.1f} dB")
    assert snr >= 120.0


def test_the_bar_is_one_a_slightly_detuned_sine_fails():
    """A partial 1e-4 Hz off (the bias an f32 phase accumulator's rounding gives) is 22° away
    after ten minutes: far below the bar the test above sets."""
    frequencies = (200.0, 250.0, 300.0, 350.0, 400.0)
    detuned = (200.0001, 250.0, 300.0, 350.0, 400.0)
    exact = exact_partials(frequencies, TEN_MINUTES, RATE_HZ, RATE_HZ)
    assert snr_db(exact_partials(detuned, TEN_MINUTES, RATE_HZ, RATE_HZ), exact) < 40.0
