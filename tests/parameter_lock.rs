//! The parameter lock: Quintet's parameter list, exactly, seen through the library and through a
//! CLAP host.
//!
//! THESE IDS ARE PERMANENT. Hosts store automation lanes, presets and whole projects under the
//! string ids (VST3 and CLAP hash them into the numeric ids below), and the state blob stores values
//! by string id. Renaming, re-ranging or changing a default silently breaks every saved session.
//! If this test fails, the change is wrong — not the test; add a new parameter instead.

mod common;

use common::host::QuintetHost;
use nice_plug::prelude::{FloatParam, Param, Params};
use quintet::params::QuintetParams;

/// One locked parameter.
struct Locked {
    /// The `#[id]` string, stored in presets and projects.
    id: &'static str,
    /// The numeric CLAP id a host stores: nice-plug's hash of `id`.
    clap_id: u32,
    name: &'static str,
    min: f32,
    max: f32,
    default: f32,
    min_text: &'static str,
    default_text: &'static str,
    max_text: &'static str,
}

const fn frequency(
    id: &'static str,
    clap_id: u32,
    name: &'static str,
    default: f32,
    default_text: &'static str,
) -> Locked {
    Locked {
        id,
        clap_id,
        name,
        min: 20.0,
        max: 20_000.0,
        default,
        min_text: "20 Hz",
        default_text,
        max_text: "20.00 kHz",
    }
}

const LOCKED: [Locked; 6] = [
    frequency("freq1", 97_695_929, "Partial 1", 200.0, "200 Hz"),
    frequency("freq2", 97_695_930, "Partial 2", 250.0, "250 Hz"),
    frequency("freq3", 97_695_931, "Partial 3", 300.0, "300 Hz"),
    frequency("freq4", 97_695_932, "Partial 4", 350.0, "350 Hz"),
    frequency("freq5", 97_695_933, "Partial 5", 400.0, "400 Hz"),
    Locked {
        id: "gain",
        clap_id: 3_165_055,
        name: "Gain",
        min: 0.0,
        max: 1.0,
        default: 1.0,
        min_text: "-inf dB",
        default_text: "0.0 dB",
        max_text: "0.0 dB",
    },
];

fn field<'a>(params: &'a QuintetParams, id: &str) -> &'a FloatParam {
    match id {
        "freq1" => &params.freq1,
        "freq2" => &params.freq2,
        "freq3" => &params.freq3,
        "freq4" => &params.freq4,
        "freq5" => &params.freq5,
        "gain" => &params.gain,
        _ => panic!("no field for parameter id {id:?}"),
    }
}

#[test]
fn the_library_declares_exactly_the_locked_parameters() {
    let params = QuintetParams::default();
    let ids: Vec<String> = params.param_map().into_iter().map(|(id, ..)| id).collect();
    let locked_ids: Vec<&str> = LOCKED.iter().map(|p| p.id).collect();
    assert_eq!(ids, locked_ids);

    for locked in &LOCKED {
        let param = field(&params, locked.id);
        assert_eq!(param.name(), locked.name, "{}", locked.id);
        // Exact equality on purpose: the defaults are the notebook's frequencies, not near them.
        assert_eq!(
            param.default_plain_value(),
            locked.default,
            "{} default",
            locked.id
        );
        assert_eq!(param.value(), locked.default, "{} initial value", locked.id);
        assert_eq!(
            param.preview_plain(0.0),
            locked.min,
            "{} minimum",
            locked.id
        );
        assert_eq!(
            param.preview_plain(1.0),
            locked.max,
            "{} maximum",
            locked.id
        );
        let default_normalized = param.preview_normalized(locked.default);
        assert_eq!(
            param.preview_plain(default_normalized),
            locked.default,
            "{} default survives normalization",
            locked.id
        );
        for (normalized, text) in [
            (0.0, locked.min_text),
            (default_normalized, locked.default_text),
            (1.0, locked.max_text),
        ] {
            assert_eq!(
                param.normalized_value_to_string(normalized, true),
                text,
                "{} at normalized {normalized}",
                locked.id
            );
        }
    }
}

#[test]
fn a_clap_host_sees_exactly_the_locked_parameters() {
    let library = QuintetParams::default();
    let mut host = QuintetHost::new();
    let params = host.params();
    let seen: Vec<(u32, &str)> = params
        .iter()
        .map(|p| (p.id.get(), p.name.as_str()))
        .collect();
    let locked: Vec<(u32, &str)> = LOCKED.iter().map(|p| (p.clap_id, p.name)).collect();
    assert_eq!(seen, locked, "CLAP ids and names");

    for (param, locked) in params.iter().zip(&LOCKED) {
        // nice-plug speaks normalized values to CLAP hosts.
        assert_eq!((param.min, param.max), (0.0, 1.0), "{} range", locked.id);
        let expected_default = field(&library, locked.id).preview_normalized(locked.default);
        assert_eq!(
            param.default,
            f64::from(expected_default),
            "{} default",
            locked.id
        );
        assert_eq!(
            host.param_value(param.id),
            param.default,
            "{} starts at its default",
            locked.id
        );
        for (normalized, text) in [
            (param.min, locked.min_text),
            (param.default, locked.default_text),
            (param.max, locked.max_text),
        ] {
            assert_eq!(
                host.value_to_text(param.id, normalized).as_deref(),
                Some(text),
                "{} at normalized {normalized}",
                locked.id
            );
        }
    }
}
