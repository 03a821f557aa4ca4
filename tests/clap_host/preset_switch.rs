//! Issue 22, item 4: a preset loaded while Quintet plays switches the sound at once, without a
//! glide and without a click. Each preset is loaded as a host's preset browser loads one: the
//! plugin state holding its values, into an instance that is playing. (The editor's preset bar
//! records its loads the same way: `editor::preset_bar`'s tests.)

use quintet::presets::{Preset, factory};
use quintet_test_host::QuintetHost;
use quintet_test_host::signal::{
    self, PARTIAL_AMPLITUDE, assert_clean, max_natural_step, max_step,
};

const SAMPLE_RATE_HZ: f64 = 48_000.0;
/// How long a level or the gain takes to move, in seconds (the bank's 10 ms ramps).
const RAMP_S: f64 = 0.010;
/// How long a frequency takes to glide under automation, in seconds.
const GLIDE_S: f64 = 0.020;
/// Rounding of an f32 output sample, on top of the mathematical bound.
const STEP_SLACK: f64 = 1e-6;

/// `preset` as a plugin state: set on a fresh instance as the editor sets it, then saved.
fn state_of(preset: &Preset) -> Vec<u8> {
    let mut host = QuintetHost::new();
    host.flush_every_param(&preset.normalized_values());
    host.save_state()
}

/// Each partial's frequency (Hz) and amplitude (linear) in `preset`, a drone.
pub(crate) fn partials(preset: &Preset) -> Vec<(f64, f64)> {
    let settings = preset.settings();
    assert!(!settings.midi, "{} is a drone", preset.name);
    settings
        .frequencies_hz
        .iter()
        .zip(settings.levels)
        .map(|(&hz, level)| {
            (
                hz,
                PARTIAL_AMPLITUDE * f64::from(level) * f64::from(settings.gain),
            )
        })
        .collect()
}

/// Asserts that `samples` hold exactly `expected` (frequency, amplitude) partials: each within
/// 5 Hz and 10 %, and nothing else above a tenth of the quietest.
fn assert_partials(samples: &[f32], expected: &[(f64, f64)], what: &str) {
    signal::assert_partials(samples, SAMPLE_RATE_HZ, expected, 5.0, what);
}

#[test]
fn a_preset_loaded_while_the_drone_plays_switches_at_once_without_a_click() {
    let init = factory::find("Init").unwrap();
    // Levels falling (1/n) and partials moving up to 2.3 octaves, levels rising back, and
    // back to the notebook's drone.
    let sequence = [
        factory::find("Odd Harmonics").unwrap(),
        factory::find("Measurement Multitone").unwrap(),
        factory::find("Odd Harmonics").unwrap(),
        factory::find("Notebook Drone").unwrap(),
    ];
    let mut host = QuintetHost::new();
    host.activate(SAMPLE_RATE_HZ, 256);
    host.render(4800, &[]);
    let ramp = (SAMPLE_RATE_HZ * RAMP_S) as usize;
    let window = (SAMPLE_RATE_HZ * GLIDE_S) as usize;
    let mut playing = partials(&init);
    let mut last_sample = host.render(1, &[]).left()[0];
    // Each load lands at another point of the waveform.
    for (k, preset) in sequence.iter().enumerate() {
        let before = host.render(37 + 101 * k, &[]);
        last_sample = *before.left().last().unwrap_or(&last_sample);
        host.load_state(&state_of(preset))
            .expect("the preset loads");
        let after = host.render(ramp + window, &[]);
        let what = format!("loading {}", preset.name);
        assert_clean(&after, &what);

        // No click: no step larger than the old and the new partials can take, plus what the
        // level ramps add (each partial's change spread over the ramp).
        let next = partials(preset);
        let moving: Vec<(f64, f64)> = playing
            .iter()
            .zip(&next)
            .map(|(old, new)| (old.1.max(new.1), old.0.max(new.0)))
            .collect();
        let ramps: f64 = playing
            .iter()
            .zip(&next)
            .map(|(old, new)| (old.1 - new.1).abs() / ramp as f64)
            .sum();
        let bound = max_natural_step(&moving, SAMPLE_RATE_HZ) + ramps + STEP_SLACK;
        let mut joined = vec![last_sample];
        joined.extend_from_slice(after.left());
        let (step, at) = max_step(&joined);
        assert!(
            step <= bound,
            "{what}: a click of {step} at sample {at} after the load (bound {bound})"
        );

        // At once: right after the levels' ramp, still well inside the time a glide would
        // take, the preset's partials sound exactly, at their levels.
        if preset.name != "Notebook Drone" {
            // (Its partials, 50 Hz apart, need a longer window than a glide lasts.)
            assert_partials(&after.left()[ramp..], &next, &what);
        }
        playing = next;
        last_sample = *after.left().last().unwrap();
    }
}
