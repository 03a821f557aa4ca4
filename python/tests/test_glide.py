"""A frequency set from Python glides exactly as plugin automation does: held bit for bit to the
VST3 in a real host (DawDreamer), and to the glide law written out here from first principles.
Levels and gain ramp as the plugin's do; glide=False jumps without touching the phase."""

import dawdreamer as daw
import numpy as np
import pytest
import quintet
from quintet_host import BUNDLE_DIR
from reference import PARTIAL_AMPLITUDE, exact_phase_turns

RATE_HZ = 48_000
DEFAULTS = quintet.DEFAULT_FREQUENCIES
# The position a host automates a frequency parameter with, as the plugin maps it.
frequency_to_normalized = next(p for p in quintet.PARAMETERS if p.id == "freq1").normalize
# Only partial 1 sounds, so the expected signal is one sine.
PARTIAL_1_ONLY = (1.0, 0.0, 0.0, 0.0, 0.0)
# The engine's float32 sine is within 1.05e-7 of sin(2πx) (of full scale: 2e-8 at a partial's
# amplitude), and a float32 sample rounds by 3e-8 more.
SINE_TOLERANCE = 1e-6


def test_a_frequency_change_glides_exactly_as_the_vst3_plugin_glides(tmp_path):
    """Automation moves partials 1 and 5 at one block, and partial 1 again mid-glide: the VST3
    in DawDreamer and the module, told the same at the same samples, give the same bits."""
    vst3 = BUNDLE_DIR / "Quintet.vst3"
    if not vst3.is_dir():
        pytest.fail(f"{vst3} is missing: run `cargo xtask bundle quintet` first (scripts/test does)")
    block, seconds = 128, 1.0
    # DawDreamer hands automation to the plugin once per block: the changes sit on block starts.
    # The frequencies are ones the plugin's parameters (float32, in 0.01 Hz steps) hold exactly.
    moves = [  # (sample, partial, Hz)
        (150 * block, 0, 1234.5),
        (150 * block, 4, 97.5),
        (153 * block, 0, 440.0),  # 6 ms into the first glide: a new glide from where it is
    ]
    engine = daw.RenderEngine(RATE_HZ, block)
    synth = engine.make_plugin_processor("quintet", str(vst3))
    engine.load_graph([(synth, [])])
    index = {d["name"]: d["index"] for d in synth.get_parameters_description()}
    total = int(seconds * RATE_HZ)
    for partial in (0, 4):
        lane = np.full(total, frequency_to_normalized(DEFAULTS[partial]))
        for at, moved, hz in moves:
            if moved == partial:
                lane[at:] = frequency_to_normalized(hz)
        synth.set_automation(index[f"Partial {partial + 1}"], lane)
    engine.render(seconds)
    plugin = engine.get_audio()[0].astype(np.float32)

    q = quintet.Quintet(sample_rate=RATE_HZ)
    played, frequencies = [], list(DEFAULTS)
    for at, partial, hz in moves:
        played.append(q.render(at - q.samples_rendered))
        frequencies[partial] = hz
        q.frequencies = frequencies
    played.append(q.render(total - q.samples_rendered))
    played = np.concatenate(played)
    assert q.frequencies == tuple(frequencies)
    np.testing.assert_array_equal(played, plugin)


def glide_increments(start_hz, target_hz, rate_hz, glide_ms=quintet.GLIDE_MS):
    """The phase advance (turns) of each sample of a glide, by the law the README states: over
    20 ms, evenly in pitch, passing through start·(target/start)^(t/20 ms) at the end of every
    segment of about 2.5 ms (a power of two samples: 128 at 48 kHz), linear in between, ending
    exactly on the target."""
    segment = 2 ** int(np.clip(round(np.log2(rate_hz * 0.0025)), 5, 10))
    duration = round(glide_ms * 1e-3 * rate_hz)
    ratio_per_segment = (target_hz / start_hz) ** (segment / duration)
    increments, done, end_hz = [], 0, start_hz
    while done < duration:
        samples = min(segment, duration - done)
        done += samples
        begin = end_hz / rate_hz
        end_hz = target_hz if done == duration else end_hz * ratio_per_segment
        increments.append(begin + (end_hz / rate_hz - begin) * np.arange(samples) / samples)
    return np.concatenate(increments)


def one_partial(start_hz, changes, total, rate_hz=RATE_HZ):
    """Partial 1 alone, starting at phase 0 on `start_hz`, with `changes` [(sample, increments
    from there on)] applied: the expected float64 signal."""
    increments = np.full(total, start_hz / rate_hz)
    for at, following in changes:
        increments[at:] = following[: total - at]
    phase = np.concatenate([[0.0], np.cumsum(increments[:-1])])
    return PARTIAL_AMPLITUDE * np.sin(2 * np.pi * phase)


@pytest.mark.parametrize("start_hz, target_hz", [(200.0, 800.0), (800.0, 200.0), (440.0, 445.0)])
def test_the_glide_is_even_in_pitch_over_20_ms_and_lands_exactly(start_hz, target_hz):
    at, total = 4_800, 14_400
    q = quintet.Quintet(sample_rate=RATE_HZ, frequencies=(start_hz, 250, 300, 350, 400), levels=PARTIAL_1_ONLY)
    before = q.render(at)
    q.set_frequencies((target_hz, 250, 300, 350, 400))
    assert q.current_frequencies[0] == start_hz, "a glide starts where the partial is"
    after = q.render(total - at)
    assert q.current_frequencies[0] == pytest.approx(target_hz, rel=1e-15), "and ends on the target"
    played = np.concatenate([before, after])

    glide = glide_increments(start_hz, target_hz, RATE_HZ)
    settled = np.full(total, target_hz / RATE_HZ)
    settled[: len(glide)] = glide
    expected = one_partial(start_hz, [(at, settled)], total)
    np.testing.assert_allclose(played, expected, rtol=0, atol=SINE_TOLERANCE)

    # The comparison can tell glides apart: one linear in Hz over the same 20 ms is far off.
    linear = np.full(total, target_hz / RATE_HZ)
    linear[: len(glide)] = np.linspace(start_hz, target_hz, len(glide), endpoint=False) / RATE_HZ
    assert np.abs(played - one_partial(start_hz, [(at, linear)], total)).max() > 50 * SINE_TOLERANCE


def test_glide_false_jumps_and_the_phase_runs_on():
    at, total = 1_000, 4_000
    q = quintet.Quintet(sample_rate=RATE_HZ, levels=PARTIAL_1_ONLY)
    before = q.render(at)
    q.set_frequencies((1000.0, 250, 300, 350, 400), glide=False)
    assert q.current_frequencies[0] == pytest.approx(1000.0, rel=1e-15)
    played = np.concatenate([before, q.render(total - at)])
    expected = one_partial(200.0, [(at, np.full(total - at, 1000.0 / RATE_HZ))], total)
    np.testing.assert_allclose(played, expected, rtol=0, atol=SINE_TOLERANCE)


# The gain ramps over 10 ms (480 samples at 48 kHz); a level over the whole number of glide
# segments nearest 10 ms (4 × 128 samples), as it moves with the partial's glide.
@pytest.mark.parametrize("what, ramp", [("gain", 480), ("levels", 512)])
def test_gain_and_levels_ramp_linearly_over_10_ms_or_jump(what, ramp):
    """From 1 to 0.25 in a straight line, then exactly 0.25; with ramp=False at once."""
    at, total = 960, 2_400
    assert quintet.LEVEL_RAMP_MS == quintet.GAIN_RAMP_MS == 10.0

    def play(smooth):
        q = quintet.Quintet(sample_rate=RATE_HZ, levels=PARTIAL_1_ONLY)
        before = q.render(at)
        if what == "gain":
            q.set_gain(0.25, ramp=smooth)
        else:
            q.set_levels((0.25, 0, 0, 0, 0), ramp=smooth)
        return np.concatenate([before, q.render(total - at)])

    sine = one_partial(200.0, [], total)
    expected_gain = np.ones(total)
    expected_gain[at : at + ramp] = np.linspace(1.0, 0.25, ramp, endpoint=False)
    expected_gain[at + ramp :] = 0.25
    np.testing.assert_allclose(play(True), sine * expected_gain, rtol=0, atol=SINE_TOLERANCE)
    jumped = np.where(np.arange(total) < at, 1.0, 0.25)
    np.testing.assert_allclose(play(False), sine * jumped, rtol=0, atol=SINE_TOLERANCE)
