"""Quintet.vst3 in a second JUCE host: DawDreamer, which also plays parameter automation.

DawDreamer speaks normalized 0..1 parameter values, as a DAW's automation lanes do.
"""

import numpy as np
import pytest

from quintet_host import (
    DEFAULT_FREQUENCIES_HZ,
    PARTIAL_NAMES,
    QUINTET_PARAMETER_NAMES,
    SAMPLE_RATE_HZ,
    assert_partials,
    frequency_to_normalized,
)

daw = pytest.importorskip("dawdreamer")

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
    indices = parameter_indices(synth)
    assert sorted(indices) == sorted(QUINTET_PARAMETER_NAMES)
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
    steepest_possible = 2 * np.pi * 0.2 * sum([800.0, 250.0, 300.0, 350.0, 400.0]) / SAMPLE_RATE_HZ
    assert np.abs(np.diff(audio[0])).max() <= steepest_possible * 1.01
