//! Issue 24: a MIDI file with the mod wheel (CC1), channel pressure, polyphonic aftertouch and
//! MPE's timbre (CC74) renders in `render --midi` exactly as the plugin plays the same events,
//! and each of them moves the sound.

use super::{SAMPLE_RATE_HZ, render_song_and_compare};
use quintet::spectrum::find_peaks;

/// Where the notes end, and the render's length, in samples.
const NOTES_OFF: usize = 140_000;
const FRAMES: usize = 144_000;

/// Two notes (channels 1 and 2), then the mod wheel full on channel 1, channel 2's pressure
/// full, CC74 full on channel 2, polyphonic aftertouch on channel 1's key, each half a second
/// apart; both notes off near the end.
const SONG: [(usize, [u8; 3]); 8] = [
    (0, [0x90, 48, 100]),
    (0, [0x91, 69, 100]),
    (24_000, [0xB0, 1, 127]),
    (48_000, [0xD1, 127, 0]),
    (72_000, [0xB1, 74, 127]),
    (96_000, [0xA0, 48, 127]),
    (NOTES_OFF, [0x80, 48, 64]),
    (NOTES_OFF, [0x81, 69, 64]),
];

/// The amplitude of the spectral line nearest `hz` in `samples` (0 if none).
fn line(samples: &[f32], hz: f64) -> f64 {
    let peaks = find_peaks(samples, f64::from(SAMPLE_RATE_HZ), 1e-4);
    peaks
        .iter()
        .filter(|p| (p.frequency_hz - hz).abs() < 1.0)
        .map(|p| p.amplitude)
        .fold(0.0, f64::max)
}

#[test]
fn cc1_pressure_aftertouch_and_cc74_render_as_the_plugin_plays_them() {
    let options = ["--pressure-level", "6", "--pressure-brightness", "-6"];
    let changes = [("Pressure level", "6"), ("Pressure brightness", "-6")];
    let wav = render_song_and_compare("movement", &SONG, FRAMES, &options, &changes);
    let window = |from: usize| &wav[from..from + 16_384];
    // Channel 2's note (A4: partials at 440 … 880 Hz) before and after its pressure, its CC74.
    let a4 = |from| line(window(from), 440.0);
    let a4_top = |from| line(window(from), 880.0);
    let db = |a: f64, b: f64| 20.0 * (a / b).log10();
    assert!(
        (db(a4(56_000), a4(6_000)) - 6.0).abs() < 0.2,
        "pressure's level"
    );
    assert!((db(a4_top(56_000), a4(56_000)) - db(a4_top(6_000), a4(6_000)) + 6.0).abs() < 0.2);
    assert!(
        (db(a4_top(80_000), a4_top(56_000)) - 12.0).abs() < 0.2,
        "CC74's tilt"
    );
    // Channel 1's note (C3) spreads into a vibrato once the wheel is up: partial 5's line
    // (261.6 Hz, swinging ±6 Hz at 5.5 Hz: its carrier keeps J0(1.1) = 0.72 of its height)
    // falls.
    let c3_top = |from| line(window(from), 261.63);
    let kept = c3_top(30_000) / c3_top(6_000);
    assert!(
        kept < 0.8,
        "the mod wheel's vibrato kept {kept} of the line"
    );
}
