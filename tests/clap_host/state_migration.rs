//! A project saved before the per-partial levels, mutes and MIDI mode existed, or before MIDI
//! mode had voices and an envelope, still opens as it sounded: its values come back, and every
//! newer parameter is at the value that sound had — its default, except the voice count, which
//! is 1 (MIDI mode played one voice) — even in an instance where those parameters had been
//! moved.

use quintet::engine::pitch::note_to_hz;
use quintet_test_host::signal::{
    DEFAULT_FREQUENCIES_HZ, PARTIAL_AMPLITUDE, assert_spectrum, max_deviation_from_exact,
};
use quintet_test_host::state::framed;
use quintet_test_host::{MidiMessage, ParamChange, QuintetHost, blocks_of};

const SAMPLE_RATE_HZ: f64 = 48_000.0;

/// The parameters Quintet's first release had.
const ORIGINAL_IDS: [&str; 6] = ["freq1", "freq2", "freq3", "freq4", "freq5", "gain"];

/// A state as Quintet 0.1.0 saved it before the new parameters: 440 Hz on partial 1, −6 dB.
const FIRST_RELEASE_JSON: &str = r#"{"version":"0.1.0","params":{"freq1":{"f32":440.0},"freq2":{"f32":250.0},"freq3":{"f32":300.0},"freq4":{"f32":350.0},"freq5":{"f32":400.0},"gain":{"f32":0.5}},"fields":{"editor":"{\"height\":540.0,\"width\":820.0,\"zoom\":1.0}"}}"#;

/// A host whose new parameters are all away from their defaults.
fn host_with_new_parameters_moved() -> QuintetHost {
    let mut host = QuintetHost::new();
    let settings = [
        ("Partial 1 level", "-12"),
        ("Partial 3 level", "-inf"),
        ("Partial 2 mute", "On"),
        ("Partial 5 mute", "On"),
        ("MIDI mode", "On"),
        ("MIDI glide", "300"),
        ("Voices", "3"),
        ("Attack", "100"),
        ("Decay", "50"),
        ("Sustain", "30"),
        ("Release", "900"),
        ("Bend range", "12"),
    ];
    let changes: Vec<ParamChange> = settings
        .iter()
        .map(|(name, text)| {
            let param = host.param_id(name);
            let normalized = host
                .text_to_value(param, text)
                .unwrap_or_else(|| panic!("{name}: {text:?} rejected"));
            ParamChange {
                frame: 0,
                param,
                normalized,
            }
        })
        .collect();
    host.flush_params(&changes);
    let defaults: Vec<(u32, f64)> = host
        .params()
        .iter()
        .map(|p| (p.id.get(), p.default))
        .collect();
    for change in &changes {
        let default = defaults
            .iter()
            .find(|d| d.0 == change.param.get())
            .unwrap()
            .1;
        assert_ne!(
            host.param_value(change.param),
            default,
            "moved away from the default"
        );
    }
    host
}

/// The text the host shows for `name`'s current value.
fn shown(host: &mut QuintetHost, name: &str) -> String {
    let param = host.param_id(name);
    let value = host.param_value(param);
    host.value_to_text(param, value).unwrap()
}

/// Asserts every parameter other than the first release's is at its default, except the voice
/// count, which is one.
fn assert_new_parameters_at_defaults(host: &mut QuintetHost, what: &str) {
    let values = host.param_values();
    for (param, value) in host.params().iter().zip(values).skip(ORIGINAL_IDS.len()) {
        if param.name == "Voices" {
            assert_eq!(shown(host, "Voices"), "1", "{what}: one voice, as before");
        } else {
            assert_eq!(value, param.default, "{what}: {} after loading", param.name);
        }
    }
}

#[test]
fn a_first_release_state_restores_its_values_and_defaults_the_new_parameters() {
    let mut host = host_with_new_parameters_moved();
    host.load_state(&framed(FIRST_RELEASE_JSON))
        .expect("the old state loads");
    assert_new_parameters_at_defaults(&mut host, "first-release state");
    assert_eq!(shown(&mut host, "Partial 1"), "440 Hz");
    assert_eq!(shown(&mut host, "Gain"), "-6.0 dB");

    // And it sounds as it did: the drone, every partial at full level, times the gain.
    host.activate(SAMPLE_RATE_HZ, 1024);
    let audio = host.render(4800, &[]);
    let frequencies = [440.0, 250.0, 300.0, 350.0, 400.0];
    let doubled: Vec<f32> = audio.left().iter().map(|x| x * 2.0).collect();
    let (deviation, at) = max_deviation_from_exact(&doubled, &frequencies, SAMPLE_RATE_HZ);
    assert!(deviation < 1e-5, "deviation {deviation} at {at}");
}

#[test]
fn todays_state_without_the_new_ids_loads_like_a_first_release_state() {
    // Today's own state, with the ids the first release did not have taken out.
    let mut saved = QuintetHost::new();
    let freq3 = saved.param_id("Partial 3");
    let to_a4 = saved.text_to_value(freq3, "A4").unwrap();
    saved.flush_params(&[ParamChange {
        frame: 0,
        param: freq3,
        normalized: to_a4,
    }]);
    let bytes = saved.save_state();
    let mut state: serde_json::Value = serde_json::from_slice(&bytes[8..]).unwrap();
    let params = state["params"].as_object_mut().unwrap();
    assert!(
        params.len() > ORIGINAL_IDS.len(),
        "today's state has the new ids"
    );
    params.retain(|id, _| ORIGINAL_IDS.contains(&id.as_str()));
    assert_eq!(params.len(), ORIGINAL_IDS.len());
    let old_json = state.to_string();

    let mut host = host_with_new_parameters_moved();
    host.load_state(&framed(&old_json))
        .expect("the old state loads");
    assert_new_parameters_at_defaults(&mut host, "stripped state");
    assert_eq!(shown(&mut host, "Partial 3"), "440 Hz");
}

/// A state saved after MIDI mode arrived but before it had voices and an envelope: MIDI mode on,
/// a 120 ms glide.
const BEFORE_VOICES_JSON: &str = r#"{"version":"0.1.0","params":{"freq1":{"f32":200.0},"freq2":{"f32":250.0},"freq3":{"f32":300.0},"freq4":{"f32":350.0},"freq5":{"f32":400.0},"gain":{"f32":1.0},"level1":{"f32":1.0},"level2":{"f32":1.0},"level3":{"f32":1.0},"level4":{"f32":1.0},"level5":{"f32":1.0},"mute1":{"bool":false},"mute2":{"bool":false},"mute3":{"bool":false},"mute4":{"bool":false},"mute5":{"bool":false},"midi":{"bool":true},"mglide":{"f32":120.0}},"fields":{"editor":"{\"height\":540.0,\"width\":820.0,\"zoom\":1.0}"}}"#;

#[test]
fn a_state_from_before_voices_plays_one_voice_at_full_level_as_it_did() {
    let mut host = host_with_new_parameters_moved();
    host.load_state(&framed(BEFORE_VOICES_JSON))
        .expect("the old state loads");
    assert_eq!(shown(&mut host, "Voices"), "1");
    assert_eq!(shown(&mut host, "MIDI glide"), "120 ms");
    for (name, text) in [
        ("Attack", "5.0 ms"),
        ("Sustain", "100.0 %"),
        ("Release", "20.0 ms"),
        ("Bend range", "2 st"),
    ] {
        assert_eq!(shown(&mut host, name), text, "{name}");
    }
    // Two keys held: one voice, on the last, at full level (each partial at 1/5) — not a chord.
    host.activate(SAMPLE_RATE_HZ, 512);
    let frames = 48_000;
    let audio = host.render_events(
        blocks_of(frames, 512),
        &[
            MidiMessage::note_on(0, 60, 127),
            MidiMessage::note_on(100, 67, 127),
        ],
    );
    let partial_1_hz = note_to_hz(67);
    let expected: Vec<f64> = DEFAULT_FREQUENCIES_HZ
        .iter()
        .map(|hz| partial_1_hz * hz / DEFAULT_FREQUENCIES_HZ[0])
        .collect();
    assert_spectrum(
        &audio.left()[frames - 32_768..],
        SAMPLE_RATE_HZ,
        &expected,
        PARTIAL_AMPLITUDE,
        1.0,
        "one voice",
    );
}
