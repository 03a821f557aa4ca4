"""Quintet.vst3 in a second JUCE host: DawDreamer, which also plays parameter automation.

DawDreamer speaks normalized 0..1 parameter values, as a DAW's automation lanes do.
"""

import subprocess
import sys

import dawdreamer as daw
import numpy as np
import pytest

from quintet_host import (
    DEFAULT_FREQUENCIES_HZ,
    PARTIAL_AMPLITUDE,
    PARTIAL_NAMES,
    QUINTET_PARAMETER_NAMES,
    SAMPLE_RATE_HZ,
    VST3_MIDI_PARAMETER_COUNT,
    assert_partials,
    frequency_to_normalized,
    split_vst3_midi_parameters,
    voices_to_normalized,
    write_midi_file,
)

BLOCK_SIZE = 128


@pytest.fixture
def engine_and_synth(vst3_path):
    engine = daw.RenderEngine(SAMPLE_RATE_HZ, BLOCK_SIZE)
    synth = engine.make_plugin_processor("quintet", vst3_path)
    engine.load_graph([(synth, [])])
    return engine, synth


def parameter_indices(synth):
    return {d["name"]: d["index"] for d in synth.get_parameters_description()}


def render(engine, seconds):
    engine.render(seconds)
    audio = engine.get_audio()
    assert audio.shape == (2, int(seconds * SAMPLE_RATE_HZ))
    assert np.all(np.isfinite(audio))
    np.testing.assert_array_equal(audio[0], audio[1])
    return audio


def test_parameters_and_default_sound(engine_and_synth):
    engine, synth = engine_and_synth
    own, midi = split_vst3_midi_parameters(parameter_indices(synth))
    assert sorted(own) == sorted(QUINTET_PARAMETER_NAMES)
    assert len(midi) == VST3_MIDI_PARAMETER_COUNT
    texts = {d["name"]: d["text"] for d in synth.get_parameters_description()}
    assert [texts[name] for name in PARTIAL_NAMES] == ["200 Hz", "250 Hz", "300 Hz", "350 Hz", "400 Hz"]
    assert_partials(render(engine, 2.0)[0], DEFAULT_FREQUENCIES_HZ)


def test_a_set_parameter_plays_the_new_frequency(engine_and_synth):
    engine, synth = engine_and_synth
    synth.set_parameter(parameter_indices(synth)["Partial 3"], frequency_to_normalized(1200.0))
    assert_partials(render(engine, 2.0)[0], [200.0, 250.0, 1200.0, 350.0, 400.0])


def test_automation_glides_to_its_new_value(engine_and_synth):
    engine, synth = engine_and_synth
    seconds = 3.0
    lane = np.full(int(seconds * SAMPLE_RATE_HZ), frequency_to_normalized(200.0))
    lane[SAMPLE_RATE_HZ:] = frequency_to_normalized(800.0)
    synth.set_automation(parameter_indices(synth)["Partial 1"], lane)
    audio = render(engine, seconds)
    # The step lands one second in; the 20 ms glide is long over by the last second.
    assert_partials(audio[0, : SAMPLE_RATE_HZ], DEFAULT_FREQUENCIES_HZ)
    assert_partials(audio[0], [800.0, 250.0, 300.0, 350.0, 400.0])
    # Phase-continuous glide: no sample-to-sample step larger than the sines themselves make.
    glided = [800.0, 250.0, 300.0, 350.0, 400.0]
    steepest_possible = 2 * np.pi * PARTIAL_AMPLITUDE * sum(glided) / SAMPLE_RATE_HZ
    assert np.abs(np.diff(audio[0])).max() <= steepest_possible * 1.01


def test_midi_notes_and_the_pitch_wheel_reach_the_vst3(engine_and_synth, tmp_path):
    """The host turns the wheel into the hidden pitch-bend parameter nice-plug maps for VST3."""
    engine, synth = engine_and_synth
    indices = parameter_indices(synth)
    synth.set_parameter(indices["MIDI mode"], 1.0)
    # One voice: legato, so the wheel bends the one note.
    synth.set_parameter(indices["Voices"], voices_to_normalized(1))
    midi_file = tmp_path / "bend.mid"
    a3, wheel_up = 57, [0xE0, 0x7F, 0x7F]
    write_midi_file(midi_file, [(0.1, [0x90, a3, 127]), (1.2, wheel_up), (3.4, [0x80, a3, 0])])
    assert synth.load_midi(str(midi_file), all_events=True)
    audio = render(engine, 3.5)[0]
    a3_partials = [220.0 * hz / DEFAULT_FREQUENCIES_HZ[0] for hz in DEFAULT_FREQUENCIES_HZ]
    assert_partials(audio[: int(1.2 * SAMPLE_RATE_HZ)], a3_partials)
    two_semitones_up = 2.0 ** (2.0 / 12.0)
    bent = [hz * two_semitones_up for hz in a3_partials]
    # The bent partials fall between the 1 Hz bins: allow the window's scalloping and leakage
    # (the unbent chord, at the partials' amplitude, would still stand out).
    after_the_bend = audio[int(1.3 * SAMPLE_RATE_HZ) : int(3.3 * SAMPLE_RATE_HZ)]
    assert_partials(after_the_bend, bent, loudest_other=0.01, amplitude_tolerance=0.16)


def test_a_chord_plays_on_voices_of_its_own_in_the_vst3(engine_and_synth, tmp_path):
    """Three notes on four voices: fifteen partials, each voice at the voice level."""
    engine, synth = engine_and_synth
    indices = parameter_indices(synth)
    synth.set_parameter(indices["MIDI mode"], 1.0)
    synth.set_parameter(indices["Voices"], voices_to_normalized(4))
    # Keys whose partials fall on whole hertz: 110, 220 and 440 Hz and their ratios would collide,
    # so A2 (110 Hz), E4 (329.63 Hz) and C#6 (1108.73 Hz) with their own partials apart.
    keys = [45, 64, 85]
    midi_file = tmp_path / "chord.mid"
    write_midi_file(midi_file, [(0.0, [0x90, key, 127]) for key in keys])
    assert synth.load_midi(str(midi_file), all_events=True)
    audio = render(engine, 2.0)[0]
    partials = [
        440.0 * 2.0 ** ((key - 69) / 12.0) * hz / DEFAULT_FREQUENCIES_HZ[0]
        for key in keys
        for hz in DEFAULT_FREQUENCIES_HZ
    ]
    assert_partials(
        audio, partials, amplitude=PARTIAL_AMPLITUDE, loudest_other=0.005, amplitude_tolerance=0.16
    )


UNUSABLE_RATE_SCRIPT = """
import sys
import dawdreamer as daw
import numpy as np

path, sample_rate = sys.argv[1], float(sys.argv[2])
engine = daw.RenderEngine(sample_rate, 128)
synth = engine.make_plugin_processor("quintet", path)
engine.load_graph([(synth, [])])
try:
    engine.render(0.1)
except MemoryError as error:
    # DawDreamer's own sample count for a negative rate; the host is alive and says so.
    print("the host cannot render at this rate:", error)
    sys.exit(0)
audio = engine.get_audio()
assert np.all(audio == 0.0), f"not silent: {np.abs(audio).max()}"
print("silent", audio.shape)
"""


@pytest.mark.parametrize("sample_rate", [0.0, -48_000.0, float("nan"), float("inf"), 1e300])
def test_an_unusable_sample_rate_gives_silence_not_a_crash(vst3_path, sample_rate):
    """Quintet used to refuse such a rate; DawDreamer then processed anyway and the framework's
    VST3 wrapper aborted the host. Now it activates at a stand-in rate and outputs exact
    silence. Each rate runs in its own process, so a crash fails the test, not the suite."""
    result = subprocess.run(
        [sys.executable, "-c", UNUSABLE_RATE_SCRIPT, vst3_path, repr(sample_rate)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, f"the host died ({result.returncode}): {result.stderr[-2000:]}"
    assert result.stdout.startswith(("silent", "the host cannot render")), (
        result.stdout + result.stderr[-2000:]
    )
