"""Bad arguments raise ValueError or TypeError with a message that names what is wrong, and
change nothing: the object plays on exactly as a twin that was never given them."""

import ast
import inspect
import math
import pydoc
from pathlib import Path

import numpy as np
import pytest
import quintet

NAN, INF = math.nan, math.inf
GOOD_FIVE = (200.0, 250.0, 300.0, 350.0, 400.0)
STUB = Path(__file__).resolve().parents[1] / "pysrc" / "quintet" / "quintet.pyi"

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
    (lambda q: setattr(q, "gain", 5.0), ValueError, "gain"),
    (lambda q: q.set_gain(-INF), ValueError, "gain"),
    (lambda q: setattr(q, "gain", "loud"), TypeError, ""),
    (lambda q: setattr(q, "voices", 0), ValueError, "voices"),
    (lambda q: setattr(q, "voices", 17), ValueError, "voices"),
    (lambda q: setattr(q, "voices", 2.5), ValueError, "voices must be a whole number"),
    (lambda q: setattr(q, "voices", "3"), TypeError, ""),
    (lambda q: setattr(q, "midi", "yes"), TypeError, ""),
    (lambda q: setattr(q, "attack_ms", -1), ValueError, "attack_ms"),
    (lambda q: setattr(q, "decay_ms", 10_001), ValueError, "decay_ms"),
    (lambda q: setattr(q, "sustain", 1.01), ValueError, "sustain"),
    (lambda q: setattr(q, "release_ms", NAN), ValueError, "release_ms"),
    (lambda q: setattr(q, "bend_range", 97), ValueError, "bend_range"),
    # Whole semitones, as the plugin's Bend range holds (the module took 2.5).
    (lambda q: setattr(q, "bend_range", 2.5), ValueError, "bend_range must be a whole number from 0 st to 96 st"),
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
    # Text and bytes are sequences, of characters and of their codes (b"12345" played 49-53 Hz).
    (lambda q: setattr(q, "frequencies", b"12345"), TypeError, "sequence"),
    (lambda q: q.set_frequencies(bytearray(b"\xc8\xc8\xc8\xc8\xc8"), glide=False), TypeError, "sequence"),
    (lambda q: setattr(q, "levels", b"\x01\x01\x01\x01\x01"), TypeError, "sequence"),
    (lambda q: q.set_levels("11111"), TypeError, "sequence"),
]

# Every int or float argument the module takes, as the stub types it: (function, parameter) ->
# a call passing `value` there. Python ints have no size limit; one too large for the engine's
# number must raise ValueError naming the argument, as any other out-of-range value does (it
# raised OverflowError, naming nothing).
# The settings the registry gives Quintet as properties (every parameter offered on its own, but
# the gain, whose property has a ramp): their names, and the numeric ones.
SETTINGS = [p.key for p in quintet.PARAMETERS if p.key and "[" not in p.key and p.key != "gain"]
NUMBER_SETTINGS = [p.key for p in quintet.PARAMETERS if p.key in SETTINGS and p.kind != "bool"]
NUMBER_ARGUMENTS = {
    ("Quintet.render", "n"): lambda q, value: q.render(value),
    ("Quintet.render", "channels"): lambda q, value: q.render(10, channels=value),
    ("Quintet.gain", "value"): lambda q, value: setattr(q, "gain", value),
    ("Quintet.set_gain", "value"): lambda q, value: q.set_gain(value),
    **{
        (f"Quintet.{key}", "value"): lambda q, value, key=key: setattr(q, key, value)
        for key in NUMBER_SETTINGS
    },
    ("Parameter.value_to_text", "value"): lambda q, value: quintet.PARAMETERS[0].value_to_text(value),
    ("Parameter.normalize", "value"): lambda q, value: quintet.PARAMETERS[0].normalize(value),
    ("Quintet.note_on", "key"): lambda q, value: q.note_on(value),
    ("Quintet.note_on", "velocity"): lambda q, value: q.note_on(60, velocity=value),
    ("Quintet.note_on", "channel"): lambda q, value: q.note_on(60, channel=value),
    ("Quintet.note_off", "key"): lambda q, value: q.note_off(value),
    ("Quintet.note_off", "channel"): lambda q, value: q.note_off(60, channel=value),
    ("Quintet.pitch_bend", "bend"): lambda q, value: q.pitch_bend(value),
    ("Quintet.pitch_bend", "channel"): lambda q, value: q.pitch_bend(0.5, channel=value),
    ("Quintet.control_change", "controller"): lambda q, value: q.control_change(value, 1.0),
    ("Quintet.control_change", "value"): lambda q, value: q.control_change(64, value),
    ("Quintet.control_change", "channel"): lambda q, value: q.control_change(64, 1.0, value),
    ("Quintet.pressure", "value"): lambda q, value: q.pressure(value),
    ("Quintet.pressure", "channel"): lambda q, value: q.pressure(0.5, channel=value),
    ("Quintet.set_tempo", "bpm"): lambda q, value: q.set_tempo(value),
}
# The names the messages give them, where they differ from the parameter's.
MESSAGE_NAMES = {
    ("Quintet.gain", "value"): "gain",
    ("Quintet.set_gain", "value"): "gain",
    **{(f"Quintet.{key}", "value"): key for key in NUMBER_SETTINGS},
}
# Numbers past i64 and past the largest float, either sign.
HUGE_NUMBERS = [2**63, 2**64, -(2**63) - 1, 10**400, -(10**400)]
HUGE_NUMBER_IDS = ["2**63", "2**64", "-2**63-1", "10**400", "-10**400"]

BAD_CALLS += [
    (
        lambda q, call=call, huge=huge: call(q, huge),
        ValueError,
        MESSAGE_NAMES.get(argument, argument[1]),
    )
    for argument, call in NUMBER_ARGUMENTS.items()
    for huge in HUGE_NUMBERS
]


def read_only(array):
    array.flags.writeable = False
    return array


def state(q):
    names = ["frequencies", "levels", "gain", *SETTINGS, "samples_rendered",
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


def stub_number_arguments():
    """(function, parameter) for every parameter the stub types as `int` or `float`, a
    property's setter under the property's name."""
    found = set()

    def visit(body, prefix):
        for node in body:
            if isinstance(node, ast.ClassDef):
                visit(node.body, f"{node.name}.")
            elif isinstance(node, ast.FunctionDef):
                arguments = node.args.posonlyargs + node.args.args + node.args.kwonlyargs
                for argument in arguments:
                    annotation = argument.annotation
                    if isinstance(annotation, ast.Name) and annotation.id in ("int", "float"):
                        found.add((prefix + node.name, argument.arg))

    visit(ast.parse(STUB.read_text()).body, "")
    return found


# The constructor's and the one-shot render's numbers, passed by keyword.
KEYWORD_NUMBERS = {
    "Quintet.__init__": quintet.Quintet,
    "render": quintet.render,
}


def test_every_number_argument_is_checked_for_size():
    """The table above, and the keyword ones below, cover every number the module takes."""
    keyword = {(function, name) for function, name in stub_number_arguments() if function in KEYWORD_NUMBERS}
    assert stub_number_arguments() - keyword == set(NUMBER_ARGUMENTS)
    assert {name for _, name in keyword} >= {"sample_rate", "seconds", "voices", "gain"}


@pytest.mark.parametrize("huge", HUGE_NUMBERS, ids=HUGE_NUMBER_IDS)
@pytest.mark.parametrize(
    "function, name",
    sorted((function, name) for function, name in stub_number_arguments() if function in KEYWORD_NUMBERS),
)
def test_a_huge_number_is_refused_with_a_value_error_naming_it(function, name, huge):
    arguments = {"seconds": 1} if function == "render" else {}
    arguments[name] = huge
    with pytest.raises(ValueError, match=name) as raised:
        KEYWORD_NUMBERS[function](**arguments)
    assert len(str(raised.value)) < 200, "the message spells out a 400-digit number"


@pytest.mark.parametrize("text", [b"12345", bytearray(b"12345"), "12345"])
def test_text_and_bytes_are_not_frequencies(text):
    """b"12345" is a sequence of five ints, 49 to 53: the constructor played them as Hz."""
    with pytest.raises(TypeError, match="frequencies must be a sequence of 5 numbers"):
        quintet.Quintet(frequencies=text)
    with pytest.raises(TypeError, match="levels must be a sequence of 5 numbers"):
        quintet.render(1, levels=text)


def test_every_setting_is_a_keyword_and_a_property_with_the_registrys_range_and_default():
    """Each setting starts at the registry's default, takes its bounds by keyword and as a
    property, refuses what is beyond them, and names itself in help()."""
    assert {"midi", "voices", "bend_range", "midi_glide_ms"} <= set(SETTINGS)
    default = quintet.Quintet()
    signature = inspect.signature(quintet.Quintet).parameters
    documentation = pydoc.render_doc(quintet.Quintet)
    for parameter in quintet.PARAMETERS:
        key = parameter.key
        if key not in SETTINGS:
            continue
        assert getattr(default, key) == parameter.default, key
        assert type(getattr(default, key)) is type(parameter.default), key
        assert signature[key].default == parameter.default, key
        assert signature[key].kind is inspect.Parameter.KEYWORD_ONLY, key
        assert key in documentation, key
        for bound in (parameter.minimum, parameter.maximum):
            assert getattr(quintet.Quintet(**{key: bound}), key) == bound, key
            q = quintet.Quintet()
            setattr(q, key, bound)
            assert getattr(q, key) == bound, key
        if parameter.kind != "bool":
            with pytest.raises(ValueError, match=key):
                quintet.Quintet(**{key: parameter.maximum + 1})
    with pytest.raises(TypeError, match="unexpected keyword argument 'volume'"):
        quintet.Quintet(volume=1.0)


def test_a_setting_reaches_the_engine():
    """A setting given by keyword plays as the same setting given as a property: here the
    bend range, the sustain and the release, heard through a bent, released note."""
    def play(q):
        q.note_on(69)
        q.pitch_bend(1.0)
        out = q.render(9600)
        q.note_off(69)
        return np.concatenate([out, q.render(9600)])

    by_keyword = play(quintet.Quintet(midi=True, bend_range=12, sustain=0.5, release_ms=50.0))
    q = quintet.Quintet(midi=True)
    q.bend_range, q.sustain, q.release_ms = 12, 0.5, 50.0
    np.testing.assert_array_equal(by_keyword, play(q))
    assert not np.array_equal(by_keyword, play(quintet.Quintet(midi=True)))
