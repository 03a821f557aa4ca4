"""Movement from Python: the mod wheel's vibrato, pressure (channel and per key) and the tempo a
synced LFO follows, measured on the samples."""

import numpy as np
import pytest
import quintet

RATE_HZ = 48_000
# The sync choice "1/8": after Off and 1/1, 1/2, 1/4 each straight, dotted and triplet.
EIGHTH = 10


def one_sine(**settings):
    """One-sine notes (partials 2-5 silent) of A4 sounding, past the attack."""
    q = quintet.Quintet(sample_rate=RATE_HZ, midi=True, levels=[1, 0, 0, 0, 0], **settings)
    q.note_on(69)
    q.render(RATE_HZ // 10)
    return q


def swing_cents(samples):
    """Half the range of the sine's frequency (zero crossing to zero crossing), in cents."""
    rising = np.flatnonzero((samples[:-1] < 0) & (samples[1:] >= 0))
    fraction = samples[rising] / (samples[rising] - samples[rising + 1])
    crossings = rising + fraction
    hz = RATE_HZ / np.diff(crossings)
    cents = 1200 * np.log2(hz / 440.0)
    return (cents.max() - cents.min()) / 2, cents


def test_the_full_mod_wheel_brings_in_the_wheel_vibrato():
    q = one_sine()
    still, _ = swing_cents(q.render(RATE_HZ))
    assert still < 0.01
    q.control_change(1, 1.0)
    q.render(RATE_HZ // 10)
    swung, _ = swing_cents(q.render(RATE_HZ))
    assert abs(swung - 40.0) < 1.5


@pytest.mark.parametrize("key", [None, 69])
def test_pressure_moves_the_level_by_the_pressure_route(key):
    q = one_sine(pressure_level_db=6.0)
    before = np.abs(q.render(RATE_HZ // 10)).max()
    q.pressure(1.0, key=key)
    q.render(RATE_HZ // 100)
    after = np.abs(q.render(RATE_HZ // 10)).max()
    assert abs(20 * np.log10(after / before) - 6.0) < 0.05


def test_a_synced_lfo_follows_the_tempo():
    # One cycle per eighth note: 4 Hz at 120 BPM (the default), 5 Hz at 150 BPM.
    for tempo, hz in [(None, 4.0), (150.0, 5.0)]:
        q = one_sine(vibrato_cents=30.0, lfo_sync=EIGHTH)
        if tempo is not None:
            q.set_tempo(tempo)
        _, cents = swing_cents(q.render(2 * RATE_HZ))
        rises = np.flatnonzero((cents[:-1] < 0) & (cents[1:] >= 0))
        assert abs(len(rises) / 2.0 - hz) <= 0.5, (tempo, len(rises))
    with pytest.raises(ValueError):
        one_sine().set_tempo(0.0)
