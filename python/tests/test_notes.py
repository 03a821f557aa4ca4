"""MIDI mode from Python: notes on voices of their own, partials at the frequency settings'
ratios, the envelope's release ending in exact zeros, stealing, the wheel."""

import numpy as np
import quintet
from quintet_host import assert_partials

RATE_HZ = 48_000
RATIOS = np.array([1.0, 1.25, 1.5, 1.75, 2.0])  # of the default 200, 250, 300, 350, 400 Hz


def test_a_note_plays_the_five_partials_on_its_pitch_and_releases_to_exact_silence():
    q = quintet.Quintet(sample_rate=RATE_HZ, midi=True, voices=4, release_ms=50)
    assert not q.render(RATE_HZ // 10).any(), "silent until a note"
    q.note_on(69, velocity=1.0)  # A4
    held = q.render(2 * RATE_HZ)
    # Each voice plays at the voice level whatever the voice count.
    assert_partials(held, 440.0 * RATIOS, amplitude=quintet.PARTIAL_AMPLITUDE)
    assert q.sounding_notes == [(0, 69)]
    q.note_off(69)
    release = q.render(RATE_HZ // 10)
    fade = round(0.050 * RATE_HZ)
    assert np.abs(release[:fade]).max() > 0 and not release[fade:].any()
    assert q.sounding_notes == []


def test_more_notes_than_voices_steal_the_oldest():
    q = quintet.Quintet(sample_rate=RATE_HZ, midi=True, voices=2)
    for key in (60, 64, 67):
        q.note_on(key)
        q.render(480)
    q.render(480)  # the stolen note's 2 ms fade is over
    assert sorted(q.sounding_notes) == [(0, 64), (0, 67)]


def test_the_wheel_bends_every_note_by_the_bend_range():
    q = quintet.Quintet(sample_rate=RATE_HZ, midi=True, voices=1, bend_range=12)
    q.note_on(69)
    q.pitch_bend(1.0)  # an octave up
    assert_partials(q.render(2 * RATE_HZ), 880.0 * RATIOS, amplitude=quintet.PARTIAL_AMPLITUDE)
    q.pitch_bend(-1.0)  # an octave down
    assert_partials(q.render(2 * RATE_HZ), 220.0 * RATIOS, amplitude=quintet.PARTIAL_AMPLITUDE)


def test_without_mpe_a_bend_on_channel_0_leaves_channel_1_alone_and_with_mpe_bends_it():
    """Issue 24: MPE is off by default, so channel 0 (MIDI's channel 1) is an ordinary
    channel: its wheel bends its own note, not channel 1's. Switched on, channel 0 is MPE's
    master channel and its wheel bends every note, as before. (Two octaves of bend and partials
    at 1, 1.5, 2.5, 3.5 and 4.5 times the key keep every partial on a whole Hz, apart from the
    other note's.)"""
    ratios = np.array([1.0, 1.5, 2.5, 3.5, 4.5])
    settings = dict(midi=True, voices=4, bend_range=24, frequencies=(200, 300, 500, 700, 900))
    for mpe, channel_1_hz in ((False, 440.0), (True, 1760.0)):
        q = quintet.Quintet(sample_rate=RATE_HZ, mpe=mpe, **settings)
        q.note_on(57, channel=0)  # A3, bent to A5
        q.note_on(69, channel=1)  # A4
        q.pitch_bend(1.0, channel=0)
        expected = np.concatenate([880.0 * ratios, channel_1_hz * ratios])
        assert_partials(q.render(2 * RATE_HZ), expected)
    # Switched off while the notes sound, channel 1's note glides back to its key.
    q.mpe = False
    assert_partials(q.render(2 * RATE_HZ), np.concatenate([880.0 * ratios, 440.0 * ratios]))


def test_the_frequencies_set_each_voices_timbre():
    q = quintet.Quintet(sample_rate=RATE_HZ, midi=True, voices=1, frequencies=(100, 300, 500, 700, 900))
    q.note_on(57)  # A3, 220 Hz: partials at 1, 3, 5, 7 and 9 times it
    assert_partials(q.render(2 * RATE_HZ), 220.0 * np.array([1, 3, 5, 7, 9]), amplitude=quintet.PARTIAL_AMPLITUDE)


def test_switching_midi_mode_fades_the_drone_out_and_back_in():
    q = quintet.Quintet(sample_rate=RATE_HZ)
    q.render(RATE_HZ // 10)
    q.midi = True
    fading = q.render(round(0.025 * RATE_HZ))
    assert np.abs(fading[:48]).max() > 0.01 and not fading[round(0.020 * RATE_HZ) :].any()
    q.midi = False
    assert_partials(q.render(2 * RATE_HZ), q.frequencies)


def test_the_velocity_of_note_on_sets_the_notes_level():
    """A note at velocity 40/127 plays at 40/127 of the level of one at full velocity (the
    velocity is the envelope's peak), as a MIDI file's velocity 40 does in `quintet render`."""

    def held_rms(velocity):
        q = quintet.Quintet(sample_rate=RATE_HZ, midi=True)
        q.note_on(60, velocity=velocity)
        held = q.render(RATE_HZ // 2)[RATE_HZ // 4 :]
        return float(np.sqrt(np.mean(held.astype(np.float64) ** 2)))

    hard, soft = held_rms(1.0), held_rms(40 / 127)
    assert hard > 0.01, "the note must sound"
    assert abs(soft / hard - 40 / 127) < 1e-3, f"velocity 40 plays at {soft / hard} of 127"
