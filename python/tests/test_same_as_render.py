"""The module plays Quintet's own engine: with the same settings its samples are exactly those
`quintet render` writes (which tests/clap_host/render_cli.rs holds bit for bit to the CLAP
plugin), for the drone and for notes."""

import numpy as np
import pytest
import quintet
from quintet_host import write_midi_file


# What `quintet render` makes of a text, from the plugin's own parsers (the registry's): a level
# in dB as a linear float32 gain, a frequency on the 0.01 Hz float32 grid the plugin's parameter
# holds. The module takes any float64 value as it is.
PARAMETERS = {parameter.id: parameter for parameter in quintet.PARAMETERS}


def db_to_gain(db):
    return PARAMETERS["gain"].text_to_value(str(db))


def db_to_level(db):
    """A level's dB as render reads it: the level's own range (the gain's reaches +12 dB, so
    its normalized round trip lands on other float32 bits)."""
    return PARAMETERS["level1"].text_to_value(str(db))


def as_render_reads(hz):
    return PARAMETERS["freq1"].text_to_value(str(hz))


DRONES = [
    # sample rate, seconds, frequencies, levels in dB, gain in dB
    (48_000, 5.0, (200, 250, 300, 350, 400), (0, 0, 0, 0, 0), 0),
    (44_100, 3.0, (110, 220, 330, 440, 550), (0, -6, -12, -18, float("-inf")), -3),
    (96_000, 2.0, (261.63, 329.6, 97.3, 523.25, 1234.56), (-1, -2, -3, -4, -5), -0.5),
    # Near and above Nyquist (4 kHz): the fade and the silent partial.
    (8_000, 2.0, (20, 3700, 3950, 5000, 20_000), (0, 0, 0, 0, 0), 0),
]


@pytest.mark.parametrize("rate, seconds, frequencies, levels_db, gain_db", DRONES)
def test_the_drone_is_sample_identical_to_quintet_render(
    render_cli, tmp_path, rate, seconds, frequencies, levels_db, gain_db
):
    expected, written_rate = render_cli(
        tmp_path,
        "--sample-rate", rate,
        "--seconds", seconds,
        "--freqs", ",".join(map(str, frequencies)),
        "--levels", ",".join(map(str, levels_db)),
        "--gain", gain_db,
    )
    assert written_rate == rate
    arguments = dict(
        sample_rate=rate,
        frequencies=[as_render_reads(hz) for hz in frequencies],
        levels=[db_to_level(db) for db in levels_db],
        gain=db_to_gain(gain_db),
    )
    one_shot = quintet.render(seconds, **arguments)
    assert one_shot.dtype == np.float32 and len(one_shot) == len(expected) == round(seconds * rate)
    np.testing.assert_array_equal(one_shot, expected)
    # And block by block with an object, in blocks that do not divide the render's 4096.
    q = quintet.Quintet(**arguments)
    blocks = [q.render(n) for n in np.diff(np.r_[0:len(expected):1001, len(expected)])]
    np.testing.assert_array_equal(np.concatenate(blocks), expected)


def as_render_reads_each(ids, texts):
    """Five texts as `quintet render` reads them, each with its own parameter's parser."""
    return [PARAMETERS[id].text_to_value(text) for id, text in zip(ids, texts)]


# The same sound for both: the defaults, and a bell-like one where every partial has its own
# envelope, touch and key tilt (issue 23).
SHAPED = {
    "partial_decay": ("pdecay", ["1", "0.6", "0.4", "0.25", "0.16"], "--partial-decay"),
    "partial_attack": ("pattack", ["1", "1.5", "2", "0.5", "0.3"], "--partial-attack"),
    "partial_sustain": ("psustain", ["100", "70", "50", "20", "0"], "--partial-sustain"),
    "partial_velocity": ("pvel", ["0", "20", "40", "60", "80"], "--partial-velocity"),
}
SOUNDS = {
    "defaults": ({}, []),
    "per-partial envelopes and touch": (
        {
            **{
                key: as_render_reads_each([f"{prefix}{k}" for k in range(1, 6)], texts)
                for key, (prefix, texts, _) in SHAPED.items()
            },
            "key_tilt_db": PARAMETERS["keytilt"].text_to_value("-6"),
            "sustain": PARAMETERS["sustain"].text_to_value("60"),
        },
        [
            *(part for _, texts, flag in SHAPED.values() for part in (flag, ",".join(texts))),
            "--key-tilt", "-6", "--sustain", "60",
        ],
    ),
}


def play(q, events, rate, length):
    """`length` samples of `q`, making each of `events` (seconds, MIDI bytes, the module's call
    for it) at its sample."""
    played = []
    for at, _, call in events:
        played.append(q.render(round(at * rate) - q.samples_rendered))
        call(q)
    played.append(q.render(length - q.samples_rendered))
    return np.concatenate(played)


@pytest.mark.parametrize("sound", SOUNDS, ids=list(SOUNDS))
def test_notes_are_sample_identical_to_quintet_render_of_a_midi_file(render_cli, tmp_path, sound):
    """A chord with the sustain pedal, more notes than voices (a steal) and the pitch wheel,
    played from a MIDI file by `quintet render` and by note calls at the same samples."""
    settings, options = SOUNDS[sound]
    rate, seconds = 48_000, 3.0
    samples_per_second = rate  # the file's 960 ticks a second land on whole samples (50 each)
    velocity = lambda value: float(np.float32(value) / np.float32(127))  # noqa: E731
    # (seconds, MIDI bytes, the module's call for it)
    events = [
        (0.10, [0x90, 60, 100], lambda q: q.note_on(60, velocity(100))),
        (0.25, [0x90, 64, 90], lambda q: q.note_on(64, velocity(90))),
        (0.40, [0x90, 67, 127], lambda q: q.note_on(67, velocity(127))),
        (0.60, [0xB0, 64, 127], lambda q: q.control_change(64, 1.0)),
        (0.70, [0x80, 60, 0], lambda q: q.note_off(60)),
        (0.90, [0x90, 72, 64], lambda q: q.note_on(72, velocity(64))),  # a fourth note on 3 voices
        (1.20, [0xE0, 0x7F, 0x7F], lambda q: q.pitch_bend(1.0)),  # the wheel fully up
        (1.50, [0xB0, 64, 0], lambda q: q.control_change(64, 0.0)),
        (1.80, [0xE0, 0x00, 0x40], lambda q: q.pitch_bend(0.0)),  # back to rest
        (2.00, [0x80, 64, 0], lambda q: q.note_off(64)),
        (2.10, [0x80, 67, 0], lambda q: q.note_off(67)),
        (2.20, [0x90, 60, 0], lambda q: q.note_off(60)),  # a note-on of velocity 0 is a note-off
        (2.30, [0x80, 72, 0], lambda q: q.note_off(72)),
    ]
    midi = tmp_path / "song.mid"
    write_midi_file(midi, [(at, message) for at, message, _ in events])
    expected, _ = render_cli(
        tmp_path, "--midi", midi, "--seconds", seconds, "--voices", 3, "--release", 150, *options
    )

    q = quintet.Quintet(sample_rate=rate, midi=True, voices=3, release_ms=150, **settings)
    played = play(q, events, samples_per_second, len(expected))
    assert np.abs(played).max() > 0.1, "the notes must sound"
    np.testing.assert_array_equal(played, expected)
    # Every note has ended: the last release is over long before the end.
    assert q.sounding_notes == [] and np.all(played[-rate // 2 :] == 0)


def test_two_channels_and_a_bend_are_sample_identical_to_quintet_render_with_mpe_off_and_on(
    render_cli, tmp_path
):
    """Issue 24: notes on channels 0 and 1 and a bend on channel 0, from a MIDI file by `quintet
    render` and by note calls with `channel=`, sample for sample, MPE off (the bend reaches
    channel 0's note alone) and on (it reaches both): the two differ."""
    rate = 48_000
    velocity = float(np.float32(100) / np.float32(127))  # as the file's 100 reaches the engine
    events = [
        (0.10, [0x90, 48, 100], lambda q: q.note_on(48, velocity, channel=0)),
        (0.10, [0x91, 69, 100], lambda q: q.note_on(69, velocity, channel=1)),
        (0.50, [0xE0, 0x7F, 0x7F], lambda q: q.pitch_bend(1.0, channel=0)),
        (1.00, [0x80, 48, 0], lambda q: q.note_off(48, channel=0)),
        (1.00, [0x81, 69, 0], lambda q: q.note_off(69, channel=1)),
    ]
    midi = tmp_path / "channels.mid"
    write_midi_file(midi, [(at, message) for at, message, _ in events])
    renders = []
    for mpe in (False, True):
        expected, _ = render_cli(
            tmp_path, "--midi", midi, "--seconds", 1.2, "--voices", 4, "--mpe", "on" if mpe else "off"
        )
        q = quintet.Quintet(sample_rate=rate, midi=True, voices=4, mpe=mpe)
        played = play(q, events, rate, len(expected))
        np.testing.assert_array_equal(played, expected)
        renders.append(played)
    assert not np.array_equal(renders[0], renders[1]), "MPE must change what channel 0's wheel bends"


@pytest.mark.parametrize(
    "arguments, refused",
    [
        (["--freqs", "20,250,300,350,20000"], False),
        (["--freqs", "19.99,250,300,350,400"], True),
        (["--freqs", "200,250,300,350,20000.5"], True),
        (["--sample-rate", "8000"], False),
        (["--sample-rate", "7999"], True),
        (["--sample-rate", "768000"], False),
        (["--sample-rate", "768001"], True),
    ],
)
def test_the_module_accepts_what_quintet_render_accepts(render_cli, tmp_path, arguments, refused):
    """The two share the plugin's ranges: a value one refuses, the other refuses too."""
    option, value = arguments
    result = render_cli(tmp_path, "--seconds", "0.01", option, value, check=False)
    assert result.returncode == (2 if refused else 0), result.stderr
    if option == "--freqs":
        call = lambda: quintet.render(0.01, frequencies=[float(v) for v in value.split(",")])  # noqa: E731
    else:
        call = lambda: quintet.render(0.01, sample_rate=float(value))  # noqa: E731
    if refused:
        with pytest.raises(ValueError):
            call()
    else:
        assert len(call()) > 0
