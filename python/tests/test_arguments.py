"""Bad arguments raise ValueError or TypeError with a message that names what is wrong, and
change nothing: the object plays on exactly as a twin that was never given them."""

import math

import numpy as np
import pytest
import quintet

NAN, INF = math.nan, math.inf
GOOD_FIVE = (200.0, 250.0, 300.0, 350.0, 400.0)

# (what is called, the exception, words its message must hold)
BAD_CALLS = [
    (lambda q: q.render(-1), ValueError, "n must be"),
    (lambda q: q.render(1.5), TypeError, "integer"),
    (lambda q: q.render("64"), TypeError, ""),
    (lambda q: q.render(None), TypeError, ""),
    (lambda q: q.render_into(np.zeros(64)), TypeError, "float32"),
    (lambda q: q.render_into(np.zeros(64, dtype=np.int16)), TypeError, "float32"),
    (lambda q: q.render_into(np.zeros(64, dtype=">f4")), TypeError, "float32"),
    (lambda q: q.render_into([0.0] * 64), TypeError, "numpy.ndarray"),
    (lambda q: q.render_into(np.zeros((8, 8), dtype=np.float32)), ValueError, "1-D"),
    (lambda q: q.render_into(np.zeros(128, dtype=np.float32)[::2]), ValueError, "contiguous"),
    (lambda q: q.render_into(read_only(np.zeros(64, dtype=np.float32))), ValueError, "writeable"),
    (lambda q: setattr(q, "frequencies", (200, 250, 300, 350)), ValueError, "5 values"),
    (lambda q: setattr(q, "frequencies", (200, 250, 300, 350, 400, 450)), ValueError, "5 values"),
    (lambda q: setattr(q, "frequencies", (200, NAN, 300, 350, 400)), ValueError, "frequencies[1]"),
    (lambda q: setattr(q, "frequencies", (200, 250, INF, 350, 400)), ValueError, "frequencies[2]"),
    (lambda q: setattr(q, "frequencies", (19.99, 250, 300, 350, 400)), ValueError, "20 Hz to 20000 Hz"),
    (lambda q: setattr(q, "frequencies", (200, 250, 300, 350, 20_000.01)), ValueError, "frequencies[4]"),
    (lambda q: setattr(q, "frequencies", (-200, 250, 300, 350, 400)), ValueError, "frequencies[0]"),
    (lambda q: setattr(q, "frequencies", "abcde"), TypeError, "sequence"),
    (lambda q: setattr(q, "frequencies", 440.0), TypeError, "sequence"),
    (lambda q: setattr(q, "frequencies", ("200", 250, 300, 350, 400)), TypeError, "sequence"),
    (lambda q: q.set_frequencies(np.array([200, 250, NAN, 350, 400]), glide=False), ValueError, "frequencies[2]"),
    (lambda q: setattr(q, "levels", (1, 1, 1, 1, 1.5)), ValueError, "levels[4]"),
    (lambda q: setattr(q, "levels", (1, -0.1, 1, 1, 1)), ValueError, "levels[1]"),
    (lambda q: q.set_levels((1, 1, NAN, 1, 1), ramp=False), ValueError, "levels[2]"),
    (lambda q: setattr(q, "gain", NAN), ValueError, "gain"),
    (lambda q: setattr(q, "gain", 2.0), ValueError, "gain"),
    (lambda q: q.set_gain(-INF), ValueError, "gain"),
    (lambda q: setattr(q, "gain", "loud"), TypeError, ""),
    (lambda q: setattr(q, "voices", 0), ValueError, "voices"),
    (lambda q: setattr(q, "voices", 17), ValueError, "voices"),
    (lambda q: setattr(q, "voices", 2.5), TypeError, ""),
    (lambda q: setattr(q, "midi", "yes"), TypeError, ""),
    (lambda q: setattr(q, "attack_ms", -1), ValueError, "attack_ms"),
    (lambda q: setattr(q, "decay_ms", 10_001), ValueError, "decay_ms"),
    (lambda q: setattr(q, "sustain", 1.01), ValueError, "sustain"),
    (lambda q: setattr(q, "release_ms", NAN), ValueError, "release_ms"),
    (lambda q: setattr(q, "bend_range", 97), ValueError, "bend_range"),
    (lambda q: setattr(q, "midi_glide_ms", 1001), ValueError, "midi_glide_ms"),
    (lambda q: q.note_on(128), ValueError, "key"),
    (lambda q: q.note_on(-1), ValueError, "key"),
    (lambda q: q.note_on(60, velocity=NAN), ValueError, "velocity"),
    (lambda q: q.note_on(60, velocity=1.5), ValueError, "velocity"),
    (lambda q: q.note_on(60, channel=16), ValueError, "channel"),
    (lambda q: q.note_off(60, channel=-1), ValueError, "channel"),
    (lambda q: q.pitch_bend(1.5), ValueError, "bend"),
    (lambda q: q.pitch_bend(NAN), ValueError, "bend"),
    (lambda q: q.control_change(128, 1.0), ValueError, "controller"),
    (lambda q: q.control_change(64, 2.0), ValueError, "value"),
    (lambda q: setattr(q, "sample_rate", 44_100), AttributeError, ""),
    (lambda q: setattr(q, "samples_rendered", 0), AttributeError, ""),
]


def read_only(array):
    array.flags.writeable = False
    return array


def state(q):
    names = ["frequencies", "levels", "gain", "midi", "voices", "attack_ms", "decay_ms",
             "sustain", "release_ms", "bend_range", "midi_glide_ms", "samples_rendered",
             "current_frequencies", "sounding_notes"]
    return {name: getattr(q, name) for name in names}


@pytest.mark.parametrize("midi", [False, True])
@pytest.mark.parametrize("call, error, words", BAD_CALLS)
def test_a_bad_argument_raises_and_changes_nothing(call, error, words, midi):
    settings = dict(frequencies=(110, 220, 330, 440, 550), levels=(1, 0.5, 0.25, 0.5, 1), gain=0.8)
    q, twin = quintet.Quintet(**settings, midi=midi), quintet.Quintet(**settings, midi=midi)
    for each in (q, twin):
        # Mid-glide and mid-note, so a stray change would show.
        each.render(1000)
        each.frequencies = GOOD_FIVE
        if midi:
            each.note_on(60, 0.9)
        each.render(100)
    before = state(q)
    with pytest.raises(error) as raised:
        call(q)
    assert words in str(raised.value)
    assert state(q) == before
    np.testing.assert_array_equal(q.render(4800), twin.render(4800))


@pytest.mark.parametrize(
    "arguments, error, words",
    [
        (dict(sample_rate=NAN), ValueError, "sample_rate"),
        (dict(sample_rate=7_999), ValueError, "8000 Hz to 768000 Hz"),
        (dict(sample_rate=-48_000), ValueError, "sample_rate"),
        (dict(frequencies=(1, 2, 3, 4, 5)), ValueError, "frequencies[0]"),
        (dict(levels=(1, 1, 1)), ValueError, "5 values"),
        (dict(gain=INF), ValueError, "gain"),
        (dict(voices=99), ValueError, "voices"),
        (dict(release_ms=-5), ValueError, "release_ms"),
    ],
)
def test_a_bad_setting_is_refused_when_made(arguments, error, words):
    with pytest.raises(error, match=words.replace("[", r"\[").replace("]", r"\]")):
        quintet.Quintet(**arguments)


@pytest.mark.parametrize(
    "arguments, words",
    [
        (dict(seconds=-1), "seconds"),
        (dict(seconds=NAN), "seconds"),
        (dict(seconds=86_401), "seconds"),
        (dict(seconds=1, sample_rate=0), "sample_rate"),
        (dict(seconds=1, frequencies=(200, 250, 300, 350, 99_999)), "frequencies"),
    ],
)
def test_the_one_shot_render_refuses_bad_arguments(arguments, words):
    with pytest.raises(ValueError, match=words):
        quintet.render(**arguments)


def test_notes_need_midi_mode():
    q = quintet.Quintet()
    with pytest.raises(RuntimeError, match="midi=True"):
        q.note_on(60)
    assert q.render(480).any(), "the drone plays on"
    q.midi = True
    q.note_on(60)
    assert q.sounding_notes == [(0, 60)]


def test_the_frequencies_read_back_as_an_immutable_tuple():
    q = quintet.Quintet()
    assert q.frequencies == GOOD_FIVE and isinstance(q.frequencies, tuple)
    with pytest.raises(TypeError):
        q.frequencies[0] = 300.0
    assert repr(q).startswith("Quintet(sample_rate=48000.0, frequencies=(200.0, 250.0,")
