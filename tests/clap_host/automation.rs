//! Host automation in the middle of a buffer: applied at its sample, gliding without a click, and
//! ending on the right frequency.

use quintet::dsp::GLIDE_MS;
use quintet::dsp::bank::GAIN_RAMP_MS;
use quintet_test_host::frames_in;
use quintet_test_host::signal::{
    DEFAULT_FREQUENCIES_HZ, PARTIAL_AMPLITUDE, assert_clean, assert_spectrum, max_natural_step,
    max_step,
};
use quintet_test_host::{ParamChange, QuintetHost, Rendered};

const SAMPLE_RATE_HZ: f64 = 48_000.0;
const BLOCK: usize = 1024;
/// Rounding of an f32 output sample, on top of the mathematical bound.
const STEP_SLACK: f64 = 1e-6;

fn host() -> QuintetHost {
    let mut host = QuintetHost::new();
    host.activate(SAMPLE_RATE_HZ, BLOCK);
    host
}

fn concat(parts: &[&Rendered]) -> Vec<f32> {
    parts
        .iter()
        .flat_map(|r| r.left().iter().copied())
        .collect()
}

/// The first sample at which `a` and `b` differ in any bit.
fn first_difference(a: &[f32], b: &[f32]) -> Option<usize> {
    (0..a.len().min(b.len())).find(|&n| a[n].to_bits() != b[n].to_bits())
}

#[test]
fn a_frequency_change_mid_block_starts_at_its_sample_glides_and_lands() {
    let mut untouched = host();
    let reference = untouched.render(BLOCK, &[]);

    let mut automated = host();
    let freq1 = automated.param_id("Partial 1");
    let to_1_khz = automated.text_to_value(freq1, "1 kHz").unwrap();
    let event_frame = 256;
    let change = ParamChange {
        frame: event_frame,
        param: freq1,
        normalized: to_1_khz,
    };
    let first_block = automated.render(BLOCK, &[change]);

    // Sample-accurate: nothing moves before the event's sample, and the glide starts right there
    // (within the first glide segment), not at the next block.
    assert_eq!(
        first_difference(&first_block.left()[..event_frame], reference.left()),
        None,
        "the output changed before the event"
    );
    let starts_at = first_difference(first_block.left(), reference.left())
        .expect("the event changed nothing in its block");
    assert!(
        (event_frame..event_frame + 64).contains(&starts_at),
        "the change was heard from sample {starts_at}, the event was at {event_frame}"
    );

    let settle = automated.render(frames_in(3.0 * GLIDE_MS, SAMPLE_RATE_HZ), &[]);
    let one_second = automated.render(frames_in(1000.0, SAMPLE_RATE_HZ), &[]);
    for audio in [&first_block, &settle, &one_second] {
        assert_clean(audio, "automated");
    }

    // No click: no step larger than the sines themselves can make, with partial 1 at its upper end.
    let whole = concat(&[&first_block, &settle, &one_second]);
    let mut partials: Vec<(f64, f64)> = DEFAULT_FREQUENCIES_HZ
        .iter()
        .map(|&f| (PARTIAL_AMPLITUDE, f))
        .collect();
    partials[0].1 = 1000.0;
    let bound = max_natural_step(&partials, SAMPLE_RATE_HZ) + STEP_SLACK;
    let (step, at) = max_step(&whole);
    assert!(
        step <= bound,
        "a step of {step} at sample {at} (bound {bound})"
    );

    // Once the glide is over, partial 1 plays 1 kHz, and 200 Hz is gone.
    let mut expected = DEFAULT_FREQUENCIES_HZ;
    expected[0] = 1000.0;
    assert_spectrum(
        one_second.left(),
        SAMPLE_RATE_HZ,
        &expected,
        PARTIAL_AMPLITUDE,
        0.5,
        "1 s after the glide",
    );
}

#[test]
fn an_event_on_the_last_frame_of_a_block_changes_nothing_before_it() {
    let mut untouched = host();
    let reference = untouched.render(2 * BLOCK, &[]);
    let mut automated = host();
    let freq3 = automated.param_id("Partial 3");
    let change = ParamChange {
        frame: BLOCK - 1,
        param: freq3,
        normalized: automated.text_to_value(freq3, "3 kHz").unwrap(),
    };
    let audio = automated.render(2 * BLOCK, &[change]);
    let starts_at = first_difference(audio.left(), reference.left()).expect("no change at all");
    assert!(
        (BLOCK - 1..BLOCK + 64).contains(&starts_at),
        "the change was heard from sample {starts_at}"
    );
}

#[test]
fn automation_points_every_64_samples_glide_without_steps() {
    // A host drawing a 0.5 s sweep of partial 2 from 250 Hz to 5 kHz with one point per 64
    // samples (what many DAWs send): the glide must smooth the staircase.
    let mut host = host();
    let freq2 = host.param_id("Partial 2");
    let from = host.text_to_value(freq2, "250 Hz").unwrap();
    let to = host.text_to_value(freq2, "5 kHz").unwrap();
    let sweep_frames = frames_in(500.0, SAMPLE_RATE_HZ);
    let changes: Vec<ParamChange> = (0..sweep_frames)
        .step_by(64)
        .map(|frame| ParamChange {
            frame,
            param: freq2,
            normalized: from + (to - from) * frame as f64 / sweep_frames as f64,
        })
        .chain(Some(ParamChange {
            frame: sweep_frames,
            param: freq2,
            normalized: to,
        }))
        .collect();
    let audio = host.render(
        sweep_frames + frames_in(3.0 * GLIDE_MS, SAMPLE_RATE_HZ),
        &changes,
    );
    assert_clean(&audio, "sweep");
    let mut partials: Vec<(f64, f64)> = DEFAULT_FREQUENCIES_HZ
        .iter()
        .map(|&f| (PARTIAL_AMPLITUDE, f))
        .collect();
    partials[1].1 = 5000.0;
    let bound = max_natural_step(&partials, SAMPLE_RATE_HZ) + STEP_SLACK;
    let (step, at) = max_step(audio.left());
    assert!(
        step <= bound,
        "a step of {step} at sample {at} (bound {bound})"
    );

    let tail = host.render(frames_in(500.0, SAMPLE_RATE_HZ), &[]);
    let mut expected = DEFAULT_FREQUENCIES_HZ;
    expected[1] = 5000.0;
    assert_spectrum(
        tail.left(),
        SAMPLE_RATE_HZ,
        &expected,
        PARTIAL_AMPLITUDE,
        1.0,
        "after the sweep",
    );
}

#[test]
fn gain_automation_to_silence_ramps_without_a_click_and_ends_silent() {
    let mut untouched = host();
    let reference = untouched.render(BLOCK, &[]);
    let mut automated = host();
    let gain = automated.param_id("Gain");
    let silence = automated.text_to_value(gain, "-inf dB").unwrap();
    let event_frame = 300;
    let change = ParamChange {
        frame: event_frame,
        param: gain,
        normalized: silence,
    };
    let first_block = automated.render(BLOCK, &[change]);
    let after = automated.render(frames_in(3.0 * GAIN_RAMP_MS, SAMPLE_RATE_HZ), &[]);
    assert_clean(&first_block, "gain ramp");
    assert_clean(&after, "after the gain ramp");
    assert_eq!(
        first_difference(&first_block.left()[..event_frame], reference.left()),
        None,
        "the output changed before the event"
    );

    // The ramp adds at most (full-scale peak × gain change per sample) to the sines' own steps.
    let ramp_per_sample = 1.0 / (GAIN_RAMP_MS / 1000.0 * SAMPLE_RATE_HZ);
    let partials: Vec<(f64, f64)> = DEFAULT_FREQUENCIES_HZ
        .iter()
        .map(|&f| (PARTIAL_AMPLITUDE, f))
        .collect();
    let bound = max_natural_step(&partials, SAMPLE_RATE_HZ) + ramp_per_sample + STEP_SLACK;
    let whole = concat(&[&first_block, &after]);
    let (step, at) = max_step(&whole);
    assert!(
        step <= bound,
        "a step of {step} at sample {at} (bound {bound})"
    );

    let ramp_end = event_frame + frames_in(GAIN_RAMP_MS, SAMPLE_RATE_HZ) + 64;
    assert!(
        first_block.left()[event_frame..]
            .iter()
            .any(|x| f64::from(x.abs()) > PARTIAL_AMPLITUDE / 2.0)
    );
    if let Some(n) = whole[ramp_end..].iter().position(|&x| x != 0.0) {
        panic!(
            "sample {} is {} after the gain reached -inf dB",
            ramp_end + n,
            whole[ramp_end + n]
        );
    }
}
