//! A project saved before the per-partial levels, mutes and MIDI mode existed, or before MIDI
//! mode had voices and an envelope, still opens as it sounded: its values come back, and every
//! newer parameter is at the value that sound had — its default, except the voice count, which
//! is 1 (MIDI mode played one voice), and MPE, which is on (channel 1's wheel bent every note) —
//! even in an instance where those parameters had been moved. And a state saved under the 1/Voices level law (before issue 23: no `level_law`
//! field) plays as loud as it did: its gain is carried over to the fixed voice level.

use quintet::engine::pitch::note_to_hz;
use quintet_test_host::signal::{
    DEFAULT_FREQUENCIES_HZ, assert_spectrum, max_deviation_from_exact,
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
    let changes = set_by_text(&mut host, &settings);
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

/// Sets each named parameter to the value its text means, as typing it would; the changes made.
fn set_by_text(host: &mut QuintetHost, settings: &[(&str, &str)]) -> Vec<ParamChange> {
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
    changes
}

/// The text the host shows for `name`'s current value.
fn shown(host: &mut QuintetHost, name: &str) -> String {
    let param = host.param_id(name);
    let value = host.param_value(param);
    host.value_to_text(param, value).unwrap()
}

/// Asserts every parameter other than the first release's is at its default, except the voice
/// count, which is one, MPE, which is on, and the mod wheel's vibrato and CC74's brightness,
/// which are 0 (the wheel and CC74 did nothing then).
fn assert_new_parameters_at_defaults(host: &mut QuintetHost, what: &str) {
    let values = host.param_values();
    for (param, value) in host.params().iter().zip(values).skip(ORIGINAL_IDS.len()) {
        if param.name == "Voices" {
            assert_eq!(shown(host, "Voices"), "1", "{what}: one voice, as before");
        } else if param.name == "MPE" {
            assert_eq!(
                shown(host, "MPE"),
                "On",
                "{what}: the lower zone, as before"
            );
        } else if param.name == "Wheel vibrato" || param.name == "Timbre brightness" {
            let zero = if param.name == "Wheel vibrato" {
                "0.0 ct"
            } else {
                "0.0 dB"
            };
            assert_eq!(shown(host, &param.name), zero, "{what}: {}", param.name);
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
    // −6 dB of a drone at full scale is 0 dB of a drone at the voice level (−6 dB).
    assert_eq!(shown(&mut host, "Gain"), "0.0 dB");

    // And it sounds as it did: the drone, each partial at a fifth of full scale, times −6 dB:
    // a tenth, what the voice level plays at 0 dB.
    host.activate(SAMPLE_RATE_HZ, 1024);
    let audio = host.render(4800, &[]);
    let frequencies = [440.0, 250.0, 300.0, 350.0, 400.0];
    let (deviation, at) = max_deviation_from_exact(audio.left(), &frequencies, SAMPLE_RATE_HZ);
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
    // Two keys held: one voice, on the last, at full level (each partial at 1/5 of full scale,
    // as before: the gain is carried over to +6 dB) — not a chord.
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
        0.2,
        1.0,
        "one voice",
    );
    assert_eq!(shown(&mut host, "Gain"), "+6.0 dB");
}

/// A state from just before issue 23 (every parameter but no `level_law` field): MIDI mode on
/// `voices` voices at −3 dB. One note at full velocity played at 1/`voices` of full scale.
fn one_over_voices_state(voices: u32) -> String {
    format!(
        r#"{{"version":"0.1.0","params":{{"freq1":{{"f32":200.0}},"freq2":{{"f32":250.0}},"freq3":{{"f32":300.0}},"freq4":{{"f32":350.0}},"freq5":{{"f32":400.0}},"gain":{{"f32":0.70794576}},"level1":{{"f32":1.0}},"level2":{{"f32":1.0}},"level3":{{"f32":1.0}},"level4":{{"f32":1.0}},"level5":{{"f32":1.0}},"mute1":{{"bool":false}},"mute2":{{"bool":false}},"mute3":{{"bool":false}},"mute4":{{"bool":false}},"mute5":{{"bool":false}},"midi":{{"bool":true}},"mglide":{{"f32":0.0}},"voices":{{"i32":{voices}}},"attack":{{"f32":5.0}},"decay":{{"f32":200.0}},"sustain":{{"f32":1.0}},"release":{{"f32":20.0}},"bendrng":{{"i32":2}}}},"fields":{{}}}}"#
    )
}

/// The peak and RMS (linear) of one held A4 at full velocity after its attack.
fn one_note_loudness(host: &mut QuintetHost) -> (f64, f64) {
    host.activate(SAMPLE_RATE_HZ, 512);
    let frames = 24_000;
    let audio = host.render_events(blocks_of(frames, 512), &[MidiMessage::note_on(0, 69, 127)]);
    let held = &audio.left()[frames / 2..];
    let peak = held.iter().fold(0.0f32, |peak, x| peak.max(x.abs()));
    (f64::from(peak), quintet_test_host::signal::rms(held))
}

/// Issue 23: projects saved under the 1/Voices law load sounding as loud as they did. Measured
/// against the old law's loudness: a note at −3 dB on `voices` voices peaked at 0.94 × 0.708 /
/// `voices` (the five default partials' sum peaks at 0.94 of their amplitudes').
#[test]
fn a_state_saved_under_the_one_over_voices_law_plays_as_loud_as_it_did() {
    let one_note_peak = one_note_loudness(&mut QuintetHost::new()).0 / f64::from(0.5f32);
    for (voices, gain_text) in [(1, "+3.0 dB"), (8, "-15.0 dB"), (16, "-21.1 dB")] {
        let mut host = QuintetHost::new();
        host.load_state(&framed(one_over_voices_state(voices)))
            .expect("the old state loads");
        assert_eq!(shown(&mut host, "Gain"), gain_text, "{voices} voices");
        let (peak, rms) = one_note_loudness(&mut host);
        let old_peak = one_note_peak * 0.707_945_76 / f64::from(voices);
        assert!(
            (peak / old_peak - 1.0).abs() < 1e-4,
            "{voices} voices: peak {peak}, {old_peak} before"
        );
        // Five partials' RMS is √(5/2) times one's amplitude: a fifth of full scale per voice.
        let old_rms = 0.2 * 2.5f64.sqrt() * 0.707_945_76 / f64::from(voices);
        assert!(
            (rms / old_rms - 1.0).abs() < 1e-3,
            "{voices} voices: RMS {rms}, {old_rms} before"
        );
    }
}

/// A state saved now says which law it was saved under and loads with its gain as it was.
#[test]
fn a_state_saved_now_keeps_its_gain() {
    let mut saved = QuintetHost::new();
    set_by_text(
        &mut saved,
        &[("Gain", "-9"), ("MIDI mode", "On"), ("Voices", "16")],
    );
    let bytes = saved.save_state();
    let state: serde_json::Value = serde_json::from_slice(&bytes[8..]).unwrap();
    assert_eq!(state["fields"]["level_law"], "2");
    let mut host = QuintetHost::new();
    host.load_state(&bytes).expect("today's state loads");
    assert_eq!(shown(&mut host, "Gain"), "-9.0 dB");
}

/// Issue 24: a project saved before MPE could be switched off keeps it on, so channel 1's wheel
/// still bends a note on channel 2, as it did when the project was saved (a new instance plays
/// ordinary channels: see `render_cli::mpe`).
#[test]
fn a_state_from_before_the_mpe_switch_bends_every_note_from_channel_1_as_it_did() {
    let mut host = QuintetHost::new();
    host.load_state(&framed(one_over_voices_state(8)))
        .expect("the old state loads");
    assert_eq!(shown(&mut host, "MPE"), "On");
    host.activate(SAMPLE_RATE_HZ, 512);
    let midi = |data: [u8; 3]| quintet_test_host::HostEvent::Midi(MidiMessage { frame: 0, data });
    let frames = 48_000;
    let audio = host.render_events(
        blocks_of(frames, 512),
        // A4 on channel 2, then channel 1's wheel fully up (2 semitones).
        &[midi([0x91, 69, 127]), midi([0xE0, 0x7F, 0x7F])],
    );
    let partial_1_hz = note_to_hz(71);
    let expected: Vec<f64> = DEFAULT_FREQUENCIES_HZ
        .iter()
        .map(|hz| partial_1_hz * hz / DEFAULT_FREQUENCIES_HZ[0])
        .collect();
    let peaks =
        quintet::spectrum::find_peaks(&audio.left()[frames - 32_768..], SAMPLE_RATE_HZ, 0.01);
    assert_eq!(peaks.len(), expected.len(), "{peaks:?}");
    for hz in expected {
        assert!(
            peaks.iter().any(|p| (p.frequency_hz - hz).abs() < 0.5),
            "no partial at {hz:.2} Hz: {peaks:?}"
        );
    }
}
