//! Issue 24: a MIDI file with the mod wheel (CC1), channel pressure, polyphonic aftertouch and
//! MPE's timbre (CC74) renders in `render --midi` exactly as the plugin plays the same events,
//! and each of them moves the sound; a synced LFO follows the file's tempo map as the plugin
//! follows a host's tempo.

use super::{
    SAMPLE_RATE_HZ, assert_identical, host_with, midi_file, midi_path, render_song_and_compare,
    render_wav,
};
use quintet::spectrum::find_peaks;
use quintet_test_host::{HostEvent, MidiMessage, blocks_of};

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

/// The song's first tempo: 666 667 µs a quarter note (90 BPM, as a DAW writes it).
const SLOW_MICROS_PER_BEAT: u32 = 666_667;
/// Its second, from tick 2880 (six quarter notes, 4 s: sample 192 000) on: 150 BPM exactly.
const FAST_MICROS_PER_BEAT: u32 = 400_000;
/// Where the tempo changes, and where the note ends 4 s later (at 40 samples a tick), in
/// samples.
const TEMPO_CHANGE: usize = 192_000;
const NOTE_OFF: usize = 384_000;

/// The offset from the carrier (partial 1 of A4, 440 Hz) of the upper tremolo sideband in
/// `samples`, in Hz: the LFO's rate.
fn tremolo_rate_hz(samples: &[f32]) -> f64 {
    let peaks = find_peaks(samples, f64::from(SAMPLE_RATE_HZ), 1e-3);
    let upper = peaks
        .iter()
        .filter(|p| (440.3..447.0).contains(&p.frequency_hz))
        .max_by(|a, b| a.amplitude.total_cmp(&b.amplitude));
    upper.map_or(0.0, |p| p.frequency_hz - 440.0)
}

/// Issue 24, item 2: `render --midi` played every file's synced LFO at 120 BPM, whatever its
/// tempo. A note under a full tremolo synced to quarter notes, in a file at 90 BPM that moves
/// to 150 BPM after 4 s: its sidebands stand 1.5 Hz, then 2.5 Hz from the carrier (at 120 BPM
/// both were 2 Hz), and the render is bit for bit what the plugin plays with the same tempos
/// in its host's transport (set at the sample the file changes it).
#[test]
fn a_synced_lfo_follows_the_files_tempo_map_as_the_plugin_follows_the_hosts() {
    let tempo = |micros: u32| micros.to_be_bytes()[1..].to_vec();
    let (slow, fast) = (tempo(SLOW_MICROS_PER_BEAT), tempo(FAST_MICROS_PER_BEAT));
    let mut set_slow = vec![0xFF, 0x51, 0x03];
    set_slow.extend(&slow);
    let mut set_fast = vec![0xFF, 0x51, 0x03];
    set_fast.extend(&fast);
    let track: &[(u32, &[u8])] = &[
        (0, &set_slow),
        (0, &[0x90, 69, 127]),
        (2880, &set_fast),
        (4800, &[0x80, 69, 64]),
    ];
    let path = midi_path("tempo-map", &midi_file(0, 480, &[track]));
    let options = [
        "--midi",
        path.to_str().unwrap(),
        "--lfo-sync",
        "1/4",
        "--tremolo",
        "100",
        "--levels",
        "0,-inf,-inf,-inf,-inf",
        "--seconds",
        "8.1",
    ];
    let wav = render_wav("tempo-map", &options);
    std::fs::remove_file(&path).unwrap();
    let window = |from: usize| &wav[from..from + (1 << 17)];
    let (before, after) = (
        tremolo_rate_hz(window(40_000)),
        tremolo_rate_hz(window(232_000)),
    );
    assert!((before - 1.5).abs() < 0.05, "at 90 BPM: {before} Hz");
    assert!((after - 2.5).abs() < 0.05, "at 150 BPM: {after} Hz");

    let mut host = host_with(&[
        ("MIDI mode", "On"),
        ("LFO sync", "1/4"),
        ("Tremolo", "100"),
        ("Partial 2 level", "-inf"),
        ("Partial 3 level", "-inf"),
        ("Partial 4 level", "-inf"),
        ("Partial 5 level", "-inf"),
    ]);
    let midi = |frame: usize, data: [u8; 3]| HostEvent::Midi(MidiMessage { frame, data });
    host.set_transport_tempo(Some(60e6 / f64::from(SLOW_MICROS_PER_BEAT)));
    let mut plugin = host.render_events(blocks_of(TEMPO_CHANGE, 1000), &[midi(0, [0x90, 69, 127])]);
    host.set_transport_tempo(Some(60e6 / f64::from(FAST_MICROS_PER_BEAT)));
    let rest = wav.len() - TEMPO_CHANGE;
    let off = [midi(NOTE_OFF - TEMPO_CHANGE, [0x80, 69, 64])];
    plugin.channels[0].extend(host.render_events(blocks_of(rest, 1000), &off).left());
    assert_identical(
        &wav,
        plugin.left(),
        "against the plugin at the host's tempo",
    );
}
