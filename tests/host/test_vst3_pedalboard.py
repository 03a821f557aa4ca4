"""Quintet.vst3 in a real JUCE host: Spotify's pedalboard.

Parameters are moved through `raw_value` (the normalized 0..1 position a DAW automates):
pedalboard's plain-value setter snaps to a grid it derives from the display text.
"""

import numpy as np
import pedalboard
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
    to_normalized,
)

RENDER_SECONDS = 2.0
BUFFER_SIZE = 512


@pytest.fixture(scope="module")
def loaded_plugin(vst3_path):
    """One instance for the module, with the state it loaded with.

    pedalboard reads the text of every parameter while loading, including the 2,080 hidden MIDI
    parameters VST3 needs for pitch bend (see quintet_host.py): about 25 s a load, so the tests
    share one instance and each starts from its freshly loaded state.
    """
    # A never-silent instrument would make pedalboard wait its full default 10 s for silence.
    plugin = pedalboard.load_plugin(vst3_path, initialization_timeout=0.5)
    return plugin, plugin.raw_state


@pytest.fixture
def plugin(loaded_plugin):
    plugin, fresh_state = loaded_plugin
    plugin.raw_state = fresh_state
    plugin.reset()
    return plugin


def parameters_by_name(plugin):
    return {parameter.name: parameter for parameter in plugin.parameters.values()}


def render(plugin):
    audio = plugin(
        [],
        duration=RENDER_SECONDS,
        sample_rate=SAMPLE_RATE_HZ,
        num_channels=2,
        buffer_size=BUFFER_SIZE,
        reset=True,
    )
    assert audio.shape == (2, int(RENDER_SECONDS * SAMPLE_RATE_HZ))
    return audio


def test_is_an_instrument_with_five_partials_and_a_gain(plugin):
    assert plugin.is_instrument
    by_name = parameters_by_name(plugin)
    own, midi = split_vst3_midi_parameters(by_name)
    assert sorted(own) == sorted(QUINTET_PARAMETER_NAMES)
    assert len(midi) == VST3_MIDI_PARAMETER_COUNT
    for name, hz in zip(PARTIAL_NAMES, DEFAULT_FREQUENCIES_HZ):
        assert by_name[name].string_value == f"{hz:.0f} Hz"
        assert by_name[name].raw_value == pytest.approx(frequency_to_normalized(hz), abs=1e-6)
    # 0 dB, the default, on a slider that reaches +12 dB (issue 23): the registry's curve.
    assert by_name["Gain"].raw_value == pytest.approx(to_normalized("Gain", 1.0), abs=1e-6)
    assert 0.7 < by_name["Gain"].raw_value < 0.9
    assert float(by_name["Gain"].string_value) == 0.0


def test_default_sound_is_five_partials_at_a_fifth_each(plugin):
    audio = render(plugin)
    assert np.all(np.isfinite(audio))
    np.testing.assert_array_equal(audio[0], audio[1])
    assert_partials(audio[0], DEFAULT_FREQUENCIES_HZ)
    # The five partials share a 50 Hz period: their sum peaks at about 0.94 of the voice level
    # (0.5, five partials' amplitudes), never above it.
    assert 0.9 * 5 * PARTIAL_AMPLITUDE < np.abs(audio).max() <= 5 * PARTIAL_AMPLITUDE


def test_a_partial_moved_through_its_normalized_value_plays_the_new_frequency(plugin):
    partial_2 = parameters_by_name(plugin)["Partial 2"]
    partial_2.raw_value = frequency_to_normalized(440.0)
    assert partial_2.string_value == "440 Hz"
    audio = render(plugin)
    assert np.all(np.isfinite(audio))
    np.testing.assert_array_equal(audio[0], audio[1])
    assert_partials(audio[0], [200.0, 440.0, 300.0, 350.0, 400.0])


def test_frequencies_read_in_hz_then_khz(plugin):
    partial_1 = parameters_by_name(plugin)["Partial 1"]
    assert partial_1.string_value == "200 Hz"
    for hz, text in [(250.0, "250 Hz"), (1200.0, "1.20 kHz"), (20.0, "20 Hz"), (20_000.0, "20.00 kHz")]:
        partial_1.raw_value = frequency_to_normalized(hz)
        assert partial_1.string_value == text


def test_gain_at_the_bottom_reads_minus_infinity_and_is_silent(plugin):
    gain = parameters_by_name(plugin)["Gain"]
    gain.raw_value = 0.0
    assert gain.string_value.lower().startswith("-inf")
    audio = render(plugin)
    assert np.abs(audio).max() == 0.0


def test_restoring_state_brings_back_values_and_sound(plugin):
    by_name = parameters_by_name(plugin)
    by_name["Partial 4"].raw_value = frequency_to_normalized(660.0)
    saved_state = plugin.raw_state
    saved_values = {name: parameter.raw_value for name, parameter in by_name.items()}
    saved_audio = render(plugin)
    assert_partials(saved_audio[0], [200.0, 250.0, 300.0, 660.0, 400.0])

    by_name["Partial 1"].raw_value = frequency_to_normalized(1000.0)
    by_name["Partial 4"].raw_value = frequency_to_normalized(350.0)
    by_name["Gain"].raw_value = 0.5
    changed_audio = render(plugin)
    assert not np.allclose(changed_audio, saved_audio, atol=1e-3)

    plugin.raw_state = saved_state
    for name, parameter in parameters_by_name(plugin).items():
        assert parameter.raw_value == pytest.approx(saved_values[name], abs=1e-6), name
    assert parameters_by_name(plugin)["Partial 4"].string_value == "660 Hz"
    restored_audio = render(plugin)
    assert_partials(restored_audio[0], [200.0, 250.0, 300.0, 660.0, 400.0])
    np.testing.assert_allclose(restored_audio, saved_audio, atol=1e-6)
