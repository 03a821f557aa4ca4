//! State fuzzing through the CLAP host, beyond the damaged states of `state.rs`: every
//! truncation of a valid state, random blobs up to 1 MB, valid JSON with wrong types or unknown
//! fields, hostile values, a state from a future version, and proptest-driven mutations. Each is
//! rejected or loaded (migrated) with a message in the plugin's log; the plugin keeps playing; a
//! valid state always restores exactly.
//!
//! The log checks hold for debug builds: nice-plug 0.4.2 reports a JSON error only through a
//! debug assertion, so a release build rejects such a state silently (see docs/RELIABILITY.md).

use proptest::prelude::*;
use quintet_test_host::plugin_log::logged_during;
use quintet_test_host::proptest_cases;
use quintet_test_host::random::Rng;
use quintet_test_host::signal::{PARTIAL_AMPLITUDE, assert_clean, assert_spectrum, rms};
use quintet_test_host::state::framed;
use quintet_test_host::{ParamChange, QuintetHost};

const SAMPLE_RATE_HZ: f64 = 48_000.0;

fn new_host() -> QuintetHost {
    let mut host = QuintetHost::new();
    host.activate(SAMPLE_RATE_HZ, 512);
    host
}

/// A host whose partials were moved away from the defaults, and the state it saves.
fn host_with_state() -> (QuintetHost, Vec<u8>) {
    let mut host = new_host();
    let changes: Vec<ParamChange> = host
        .params()
        .iter()
        .zip(["777 Hz", "1.5 kHz", "300 Hz", "350 Hz", "4 kHz", "-3 dB"])
        .map(|(param, text)| ParamChange {
            frame: 0,
            param: param.id,
            normalized: host.text_to_value(param.id, text).unwrap(),
        })
        .collect();
    host.render(4800, &changes);
    let state = host.save_state();
    (host, state)
}

/// Asserts that loading `state` fails with a logged message and changes nothing audible or
/// saved, and that the plugin still plays.
fn assert_rejected(host: &mut QuintetHost, state: &[u8], valid: &[u8], what: &str) {
    let values = host.param_values();
    let (result, log) = logged_during(|| host.load_state(state));
    assert!(result.is_err(), "{what}: accepted");
    assert!(!log.trim().is_empty(), "{what}: rejected without a message");
    assert_eq!(host.param_values(), values, "{what}: values changed");
    assert_eq!(host.save_state(), valid, "{what}: the saved state changed");
    let audio = host.render(512, &[]);
    assert_clean(&audio, what);
    assert!(rms(audio.left()) > 0.05, "{what}: silent afterwards");
}

#[test]
fn every_truncation_of_a_valid_state_is_rejected() {
    let (mut host, valid) = host_with_state();
    for len in 0..valid.len() {
        assert_rejected(
            &mut host,
            &valid[..len],
            &valid,
            &format!("truncated to {len}"),
        );
    }
}

#[test]
fn random_blobs_up_to_a_megabyte_are_rejected() {
    let (mut host, valid) = host_with_state();
    let mut rng = Rng::new(0x57a7_e001);
    for len in [2, 9, 64, 4096, 65_536, 1 << 20] {
        let raw = rng.bytes(len);
        assert_rejected(&mut host, &raw, &valid, &format!("{len} random bytes"));
        // Behind a correct length prefix the bytes reach the JSON parser.
        let prefixed = framed(rng.bytes(len));
        assert_rejected(
            &mut host,
            &prefixed,
            &valid,
            &format!("a length prefix and {len} random bytes"),
        );
    }
    // A megabyte of JSON that never closes.
    let mut open = b"{\"version\":\"0.1.0\",\"params\":{\"freq1\":{\"f32\":".to_vec();
    open.resize(1 << 20, b'9');
    assert_rejected(&mut host, &framed(&open), &valid, "1 MB of unclosed JSON");
    // The state's own bytes with every tenth byte flipped.
    let mut flipped = valid.clone();
    for byte in flipped.iter_mut().skip(8).step_by(10) {
        *byte ^= 0x55;
    }
    assert_rejected(
        &mut host,
        &flipped,
        &valid,
        "a valid state with bytes flipped",
    );
}

#[test]
fn json_of_the_wrong_shape_is_rejected() {
    let (mut host, valid) = host_with_state();
    for (what, json) in [
        (
            "a string where a number belongs",
            r#"{"version":"0.1.0","params":{"freq1":{"f32":"loud"}},"fields":{}}"#,
        ),
        (
            "an untagged number",
            r#"{"version":"0.1.0","params":{"freq1":440.0},"fields":{}}"#,
        ),
        (
            "params as a list",
            r#"{"version":"0.1.0","params":[440.0],"fields":{}}"#,
        ),
        (
            "a number as a field",
            r#"{"version":"0.1.0","params":{},"fields":{"editor":5}}"#,
        ),
        (
            "a version number",
            r#"{"version":1,"params":{},"fields":{}}"#,
        ),
        ("no params", r#"{"version":"0.1.0","fields":{}}"#),
        ("null", "null"),
        (
            "NaN",
            r#"{"version":"0.1.0","params":{"gain":{"f32":NaN}}}"#,
        ),
    ] {
        assert_rejected(&mut host, &framed(json.as_bytes()), &valid, what);
    }
}

/// Well-formed states whose parts this version cannot use: nice-plug loads what it can and logs
/// the rest. What is loaded must be exactly what the state says.
#[test]
fn wrong_types_and_unknown_names_are_skipped_with_a_message_and_the_rest_loads() {
    let (mut host, _) = host_with_state();
    let freq2 = host.param_id("Partial 2");
    let freq5 = host.param_id("Partial 5");
    let before_freq5 = host.param_value(freq5);
    let json = r#"{"version":"0.1.0","params":{
        "freq2":{"f32":440.0},
        "freq5":{"i32":3},
        "freq9":{"f32":100.0},
        "gain":{"bool":true}
    },"fields":{"editor":"not json","window":"{}"}}"#;
    let (result, log) = logged_during(|| host.load_state(&framed(json.as_bytes())));
    result.expect("a well-formed state loads");
    let loaded = host.param_value(freq2);
    assert_eq!(host.value_to_text(freq2, loaded).as_deref(), Some("440 Hz"));
    assert_eq!(
        host.param_value(freq5),
        before_freq5,
        "a wrong-typed value loaded"
    );
    for expected in ["freq5", "freq9", "gain"] {
        assert!(
            log.contains(expected),
            "the log does not mention {expected}: {log}"
        );
    }
    let audio = host.render(4800, &[]);
    assert_clean(&audio, "after a state with wrong types");
}

#[test]
fn a_state_from_a_future_version_loads_what_it_shares_and_says_so() {
    let (mut host, _) = host_with_state();
    let json = r#"{"version":"99.0.0","params":{
        "freq1":{"f32":440.0},"freq2":{"f32":550.0},"freq3":{"f32":660.0},
        "freq4":{"f32":770.0},"freq5":{"f32":880.0},"gain":{"f32":1.0},
        "tilt1":{"f32":0.5},"shape":{"i32":2}
    },"fields":{"editor":"{\"width\":900.0}","midi":"{}"}}"#;
    let (result, log) = logged_during(|| host.load_state(&framed(json.as_bytes())));
    result.expect("a newer state loads");
    assert!(
        log.contains("saved by Quintet 99.0.0"),
        "no migration message: {log}"
    );
    let audio = host.render(48_000, &[]);
    assert_clean(&audio, "after a newer state");
    assert_spectrum(
        audio.left(),
        SAMPLE_RATE_HZ,
        &[440.0, 550.0, 660.0, 770.0, 880.0],
        PARTIAL_AMPLITUDE,
        1.0,
        "after a newer state",
    );

    // The state this version saved earlier carries no such message.
    let (mut older, valid) = host_with_state();
    let (result, log) = logged_during(|| older.load_state(&valid));
    result.expect("its own state loads");
    assert!(!log.contains("saved by Quintet"), "{log}");
}

/// nice-plug stores a value restored from a state as the state says; the plugin keeps what it
/// plays inside the parameters' ranges (without that, `"gain": 5.0` played five times full
/// scale).
#[test]
fn values_beyond_the_ranges_in_a_state_play_at_the_ends_of_the_ranges() {
    let mut host = new_host();
    let json = r#"{"version":"0.1.0","params":{
        "freq1":{"f32":30000.0},"freq2":{"f32":1e39},"freq3":{"f32":-1e39},
        "freq4":{"f32":5.0},"freq5":{"f32":-0.0},"gain":{"f32":5.0}
    },"fields":{}}"#;
    host.load_state(&framed(json.as_bytes()))
        .expect("a well-formed state loads");
    let audio = host.render(48_000, &[]);
    assert_clean(&audio, "after values beyond the ranges");
    // Partials 1 and 2 at 20 kHz, the others at 20 Hz, at the top of the gain range.
    let peaks = quintet::spectrum::find_peaks(audio.left(), SAMPLE_RATE_HZ, 0.02);
    let at = |hz: f64| peaks.iter().find(|p| (p.frequency_hz - hz).abs() < 2.0);
    let (_, max_gain) = quintet::params::Param::GAIN.spec().bounds();
    let top = at(20_000.0).unwrap_or_else(|| panic!("no 20 kHz partial: {peaks:?}"));
    assert!(
        (top.amplitude / (2.0 * PARTIAL_AMPLITUDE * max_gain) - 1.0).abs() < 0.1,
        "two partials at 20 kHz: {top:?}"
    );
    assert!(at(20.0).is_some(), "no 20 Hz partial: {peaks:?}");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(proptest_cases(32)))]

    /// Any set of values a host can set saves and restores exactly, in another instance too.
    #[test]
    fn a_valid_state_always_restores_exactly(values in prop::collection::vec(0.0f64..=1.0, 6)) {
        let mut source = QuintetHost::new();
        let changes: Vec<ParamChange> = source
            .params()
            .iter()
            .zip(&values)
            .map(|(param, &normalized)| ParamChange { frame: 0, param: param.id, normalized })
            .collect();
        source.flush_params(&changes);
        let state = source.save_state();
        let mut restored = QuintetHost::new();
        restored.load_state(&state).expect("a saved state loads");
        prop_assert_eq!(restored.param_values(), source.param_values());
        prop_assert_eq!(restored.save_state(), state);
    }

    /// Mutations of a valid state (bytes replaced, cut out or inserted) either load, leaving
    /// every value in range and the output clean, or are rejected with a message.
    #[test]
    fn a_mutated_state_loads_cleanly_or_is_rejected(
        edits in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>(), 0u8..3), 1..8)
    ) {
        let (mut host, valid) = host_with_state();
        let mut state = valid.clone();
        for (at, byte, kind) in edits {
            let at = at.index(state.len().max(1));
            match kind {
                0 if !state.is_empty() => state[at] = byte,
                1 if !state.is_empty() => { state.remove(at); }
                _ => state.insert(at.min(state.len()), byte),
            }
        }
        let (result, log) = logged_during(|| host.load_state(&state));
        if result.is_err() {
            prop_assert!(!log.trim().is_empty(), "rejected without a message");
            prop_assert_eq!(host.save_state(), valid);
        }
        for value in host.param_values() {
            prop_assert!((0.0..=1.0).contains(&value), "a value of {}", value);
        }
        assert_clean(&host.render(512, &[]), "after a mutated state");
    }
}
