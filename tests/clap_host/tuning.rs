//! A tuning through a CLAP host: stored in the plugin state with the scale's text, so a
//! project reopens in tune without the file; a state without one plays 12-TET.

use quintet::engine::pitch::note_to_hz;
use quintet_test_host::signal::{DEFAULT_FREQUENCIES_HZ, PARTIAL_AMPLITUDE, assert_spectrum};
use quintet_test_host::state::{framed, payload};
use quintet_test_host::{MidiMessage, ParamChange, QuintetHost, blocks_of, frames_in};
use serde_json::Value;

const SAMPLE_RATE_HZ: f64 = 48_000.0;
const BLOCK: usize = 512;
const ANALYSIS_FRAMES: usize = 32_768;

/// A just scale with D (key 62) as 1/1 and A4 at 432 Hz: D sounds at 288 Hz.
const JUST_SCALE: &str = "! just.scl\n5-limit just\n12\n16/15\n9/8\n6/5\n5/4\n4/3\n45/32\n3/2\n\
                          8/5\n5/3\n9/5\n15/8\n2/1\n";
const JUST_MAP: &str = "12\n0\n127\n62\n69\n432.0\n12\n0\n1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\n";

/// An active host in MIDI mode.
fn midi_host() -> QuintetHost {
    let mut host = QuintetHost::new();
    host.activate(SAMPLE_RATE_HZ, BLOCK);
    let midi = host.param_id("MIDI mode");
    host.render(
        BLOCK,
        &[ParamChange {
            frame: 0,
            param: midi,
            normalized: 1.0,
        }],
    );
    host
}

/// `state` with its tuning field set to `tuning` (a JSON object), or removed (`None`).
fn with_tuning(state: &[u8], tuning: Option<Value>) -> Vec<u8> {
    let mut json: Value = serde_json::from_slice(payload(state).expect("a framed state")).unwrap();
    let fields = json["fields"].as_object_mut().expect("the state's fields");
    match tuning {
        Some(tuning) => fields.insert("tuning".into(), Value::from(tuning.to_string())),
        None => fields.remove("tuning"),
    };
    framed(serde_json::to_vec(&json).unwrap())
}

/// Plays `key` and asserts its five partials sit at the default ratios over `partial1_hz`.
fn assert_plays(host: &mut QuintetHost, key: u8, partial1_hz: f64, what: &str) {
    let settle = frames_in(100.0, SAMPLE_RATE_HZ);
    let audio = host.render_events(
        blocks_of(settle + ANALYSIS_FRAMES, BLOCK),
        &[MidiMessage::note_on(0, key, 127)],
    );
    let expected: Vec<f64> = DEFAULT_FREQUENCIES_HZ
        .iter()
        .map(|f| partial1_hz * f / DEFAULT_FREQUENCIES_HZ[0])
        .collect();
    assert_spectrum(
        &audio.left()[settle..],
        SAMPLE_RATE_HZ,
        &expected,
        PARTIAL_AMPLITUDE,
        0.5,
        what,
    );
    host.render_events(
        blocks_of(frames_in(300.0, SAMPLE_RATE_HZ), BLOCK),
        &[MidiMessage::note_off(0, key)],
    );
}

#[test]
fn a_state_with_a_tuning_reopens_in_tune_without_the_files() {
    let mut host = midi_host();
    let plain = host.save_state();
    let tuning = serde_json::json!({ "name": "just", "scale": JUST_SCALE, "map": JUST_MAP });
    host.load_state(&with_tuning(&plain, Some(tuning)))
        .expect("the state loads");
    assert_plays(&mut host, 62, 288.0, "D in the loaded tuning");

    // The project is saved and reopened in a new instance: the state carries the text.
    let saved = host.save_state();
    let mut reopened = QuintetHost::new();
    reopened.load_state(&saved).expect("its own state loads");
    reopened.activate(SAMPLE_RATE_HZ, BLOCK);
    assert_plays(&mut reopened, 69, 432.0, "A4 after reopening");

    // A state saved before tunings existed (no tuning field) plays 12-TET again.
    host.load_state(&with_tuning(&saved, None))
        .expect("an old state loads");
    assert_plays(&mut host, 69, note_to_hz(69), "A4 in 12-TET");
}

#[test]
fn a_damaged_tuning_in_a_state_plays_12_tet() {
    let mut host = midi_host();
    let damaged = serde_json::json!({ "name": "bad", "scale": "desc\n3\n3/2\n", "map": null });
    let state = with_tuning(&host.save_state(), Some(damaged));
    host.load_state(&state).expect("the parameters load");
    assert_plays(&mut host, 69, 440.0, "A4");
}
