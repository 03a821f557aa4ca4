//! Issue 24: MPE can be switched off. An ordinary multi-channel song (one instrument a channel)
//! bends channel 1 without bending channel 2; with MPE on, channel 1 is the master channel whose
//! wheel bends every note, as before. Either way `render --midi` plays exactly what the plugin
//! plays for the same events.

use super::{SAMPLE_RATE_HZ, render_song_and_compare};
use quintet::dsp::DEFAULT_FREQUENCIES_HZ;
use quintet::engine::pitch::note_to_hz;
use quintet::spectrum::find_peaks;

/// Channel 1's key: its partials (131 to 294 Hz, bent or not) stay clear of channel 2's.
const CHANNEL_1_KEY: u8 = 48;
/// Channel 2's key: its partials (440 to 988 Hz, bent or not).
const CHANNEL_2_KEY: u8 = 69;
/// Where channel 1's wheel goes (at 24 000 samples): fully up, the default 2 semitones.
const BEND_SEMITONES: u8 = 2;
/// Where both notes end, in samples.
const NOTES_OFF: usize = 70_000;
/// The render's length in samples (1.5 s): the notes' 20 ms release ends within it.
const FRAMES: usize = 72_000;

/// The song, at 120 BPM and 480 ticks a quarter (50 samples a tick): both notes at once, a
/// full bend up on channel 1 half a second in, both notes off near the end. As (sample,
/// message).
const SONG: [(usize, [u8; 3]); 5] = [
    (0, [0x90, CHANNEL_1_KEY, 100]),
    (0, [0x91, CHANNEL_2_KEY, 100]),
    (24_000, [0xE0, 0x7F, 0x7F]),
    (NOTES_OFF, [0x80, CHANNEL_1_KEY, 64]),
    (NOTES_OFF, [0x81, CHANNEL_2_KEY, 64]),
];

/// `render --midi` of [`SONG`] with `options`, and the plugin playing the same events with
/// `changes`: asserted bit-identical, the render returned.
fn render_and_compare(name: &str, options: &[&str], changes: &[(&str, &str)]) -> Vec<f32> {
    render_song_and_compare(name, &SONG, FRAMES, options, changes)
}

/// The five partials of `key` moved by `semitones`, in Hz.
fn partials(key: u8, semitones: u8) -> Vec<f64> {
    let root = note_to_hz(key + semitones);
    DEFAULT_FREQUENCIES_HZ
        .iter()
        .map(|hz| root * hz / DEFAULT_FREQUENCIES_HZ[0])
        .collect()
}

/// Asserts the spectrum of `wav` after the bend's glide holds exactly the partials of channel
/// 1's note bent by `channel_1` semitones and channel 2's by `channel_2`.
fn assert_bent(wav: &[f32], channel_1: u8, channel_2: u8, what: &str) {
    // 32 768 samples (1.5 Hz bins) from 30 000, well past the wheel's 20 ms glide.
    let peaks = find_peaks(&wav[30_000..62_768], f64::from(SAMPLE_RATE_HZ), 0.005);
    let mut expected = partials(CHANNEL_1_KEY, channel_1);
    expected.extend(partials(CHANNEL_2_KEY, channel_2));
    for hz in &expected {
        assert!(
            peaks.iter().any(|p| (p.frequency_hz - hz).abs() < 0.5),
            "{what}: no partial at {hz:.2} Hz in {peaks:?}"
        );
    }
    assert_eq!(peaks.len(), expected.len(), "{what}: {peaks:?}");
}

/// MPE off, the default: channel 1's bend moves channel 1's partials by 2 semitones and
/// leaves channel 2's where they are (before issue 24 it moved both).
#[test]
fn without_mpe_a_bend_on_channel_1_leaves_channel_2_alone_as_in_the_plugin() {
    let wav = render_and_compare("mpe-off", &[], &[]);
    assert_bent(&wav, BEND_SEMITONES, 0, "MPE off");
    // Before the bend both notes sit on their keys.
    let before = find_peaks(&wav[2_000..18_384], f64::from(SAMPLE_RATE_HZ), 0.005);
    for hz in partials(CHANNEL_1_KEY, 0) {
        assert!(
            before.iter().any(|p| (p.frequency_hz - hz).abs() < 1.0),
            "{hz:.2} Hz before the bend: {before:?}"
        );
    }
}

/// MPE on (`--mpe on`, the plugin's MPE switch): channel 1 is the master channel, so its bend
/// moves both notes, as every bend on channel 1 did before issue 24.
#[test]
fn with_mpe_a_bend_on_channel_1_bends_every_note_as_in_the_plugin() {
    let wav = render_and_compare("mpe-on", &["--mpe", "on"], &[("MPE", "On")]);
    assert_bent(&wav, BEND_SEMITONES, BEND_SEMITONES, "MPE on");
}
