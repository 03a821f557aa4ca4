//! Project state and the activation lifecycle through a CLAP host: what a DAW does when it saves
//! and reopens a project, changes the audio device, or hands the plugin a damaged file.

use nice_plug::prelude::{Param, ParamPtr, Params};
use quintet::params::QuintetParams;
use quintet::spectrum::find_peaks;
use quintet_test_host::random::Rng;
use quintet_test_host::signal::{
    DEFAULT_FREQUENCIES_HZ, PARTIAL_AMPLITUDE, assert_clean, assert_clean_stereo, assert_spectrum,
    max_deviation_from_exact, rms,
};
use quintet_test_host::state::{framed, payload};
use quintet_test_host::{ParamChange, QuintetHost};

const SAMPLE_RATE_HZ: f64 = 48_000.0;
/// A load ramps the levels and the gain over 10 ms (so it never clicks), in frames.
const LOAD_RAMP_FRAMES: usize = (SAMPLE_RATE_HZ * 0.010) as usize;

/// Typed values for every parameter, in the plugin's order, applied at frame 0 of a render.
fn changes_for(host: &mut QuintetHost, texts: &[&str; 6]) -> Vec<ParamChange> {
    host.params()
        .into_iter()
        .zip(texts)
        .map(|(param, text)| ParamChange {
            frame: 0,
            param: param.id,
            normalized: host
                .text_to_value(param.id, text)
                .unwrap_or_else(|| panic!("{}: {text:?} rejected", param.name)),
        })
        .collect()
}

/// An active host whose parameters were moved by automation to `texts`, glides finished.
fn host_set_to(texts: &[&str; 6]) -> QuintetHost {
    let mut host = QuintetHost::new();
    host.activate(SAMPLE_RATE_HZ, 256);
    let changes = changes_for(&mut host, texts);
    host.render(4800, &changes);
    host
}

const HIGH: [&str; 6] = ["3 kHz", "4 kHz", "5 kHz", "6 kHz", "7 kHz", "-6 dB"];
const HIGH_HZ: [f64; 5] = [3000.0, 4000.0, 5000.0, 6000.0, 7000.0];

#[test]
fn save_load_save_gives_the_same_bytes() {
    let mut original = host_set_to(&["123.45 Hz", "1.2 kHz", "A4", "19 kHz", "20 Hz", "-12 dB"]);
    let saved = original.save_state();
    assert!(!saved.is_empty());

    original.load_state(&saved).expect("its own state loads");
    assert_eq!(
        original.save_state(),
        saved,
        "save → load → save in one instance"
    );

    let mut fresh = QuintetHost::new();
    fresh
        .load_state(&saved)
        .expect("the state loads into a new instance");
    assert_eq!(
        fresh.save_state(),
        saved,
        "save → load → save across instances"
    );
    assert_eq!(fresh.param_values(), original.param_values());
}

#[test]
fn loading_a_state_switches_at_once_without_a_glide() {
    let mut source = host_set_to(&HIGH);
    let saved = source.save_state();

    let mut host = QuintetHost::new();
    host.activate(SAMPLE_RATE_HZ, 256);
    let before = host.render(4800, &[]);
    assert_spectrum(
        before.left(),
        SAMPLE_RATE_HZ,
        &DEFAULT_FREQUENCIES_HZ,
        PARTIAL_AMPLITUDE,
        5.0,
        "before loading",
    );
    let rescans = host.rescan_count();
    host.load_state(&saved).expect("the state loads");
    assert!(
        host.rescan_count() > rescans,
        "the plugin did not ask the host to rescan its parameter values"
    );
    assert_eq!(host.param_values(), source.param_values());

    // Once the gain's 10 ms ramp (no click) is over, the next 20 ms hold the new partials at
    // the new gain and nothing of the old ones: a glide (20 ms) would still smear them.
    let ramp = host.render(LOAD_RAMP_FRAMES, &[]);
    assert_clean(&ramp, "right after the load");
    let first = host.render((SAMPLE_RATE_HZ * 0.020) as usize, &[]);
    let gain = 10f64.powf(-6.0 / 20.0);
    assert_spectrum(
        first.left(),
        SAMPLE_RATE_HZ,
        &HIGH_HZ,
        PARTIAL_AMPLITUDE * gain,
        5.0,
        "10 to 30 ms after loading",
    );
}

/// Issue 22, item 3: how a change moves is recorded by the plugin, not read from the framework's
/// smoothers: a state loaded in the middle of a glide still jumps, and automation right after a
/// load glides again.
#[test]
fn a_load_in_the_middle_of_a_glide_jumps_and_automation_after_it_glides() {
    let saved = host_set_to(&HIGH).save_state();
    let mut host = QuintetHost::new();
    host.activate(SAMPLE_RATE_HZ, 256);
    host.render(4800, &[]);
    let freq1 = host.param_id("Partial 1");
    let to_1_khz = [ParamChange {
        frame: 0,
        param: freq1,
        normalized: host.text_to_value(freq1, "1 kHz").unwrap(),
    }];
    let glide_frames = (SAMPLE_RATE_HZ * 0.020) as usize;
    // 5 ms into partial 1's 20 ms glide to 1 kHz, the state arrives.
    host.render(glide_frames / 4, &to_1_khz);
    host.load_state(&saved).expect("the state loads");
    let gain = 10f64.powf(-6.0 / 20.0);
    host.render(LOAD_RAMP_FRAMES, &[]);
    let loaded = host.render(glide_frames, &[]);
    assert_spectrum(
        loaded.left(),
        SAMPLE_RATE_HZ,
        &HIGH_HZ,
        PARTIAL_AMPLITUDE * gain,
        5.0,
        "10 to 30 ms after a load in the middle of a glide",
    );

    // Automation right after the load: partial 1 sweeps from 3 kHz down to 1 kHz over these
    // 20 ms, so no steady 1 kHz partial is in them (a jump would put one there)...
    let gliding = host.render(glide_frames, &to_1_khz);
    assert_clean(&gliding, "gliding after the load");
    let peaks = find_peaks(gliding.left(), SAMPLE_RATE_HZ, (0.02 * gain) as f32);
    assert!(
        !peaks
            .iter()
            .any(|p| (p.frequency_hz - 1000.0).abs() < 25.0 && p.amplitude > 0.1 * gain),
        "partial 1 jumped to 1 kHz: {peaks:?}"
    );
    // ... and once the glide is over it plays 1 kHz.
    host.render(glide_frames, &[]);
    let settled = host.render(4800, &[]);
    let mut expected = HIGH_HZ;
    expected[0] = 1000.0;
    assert_spectrum(
        settled.left(),
        SAMPLE_RATE_HZ,
        &expected,
        PARTIAL_AMPLITUDE * gain,
        2.0,
        "after the glide",
    );
}

#[test]
fn deactivating_and_reactivating_keeps_values_and_follows_the_new_sample_rate() {
    let mut host = QuintetHost::new();
    host.activate(SAMPLE_RATE_HZ, 512);
    let freq1 = host.param_id("Partial 1");
    let to_1_khz = host.text_to_value(freq1, "1 kHz").unwrap();
    let change = ParamChange {
        frame: 100,
        param: freq1,
        normalized: to_1_khz,
    };
    host.render(4800, &[change]);
    let mut expected = DEFAULT_FREQUENCIES_HZ;
    expected[0] = 1000.0;

    for (sample_rate_hz, block) in [(96_000.0, 333), (44_100.0, 4096), (44_100.0, 64)] {
        host.deactivate();
        host.activate(sample_rate_hz, block);
        let what = format!("reactivated at {sample_rate_hz} Hz, blocks of {block}");
        let audio = host.render((sample_rate_hz * 0.5) as usize, &[]);
        assert_clean(&audio, &what);
        // Processing restarts from phase zero on the values set before.
        let (deviation, at) = max_deviation_from_exact(audio.left(), &expected, sample_rate_hz);
        assert!(
            deviation < 1e-5,
            "{what}: sample {at} is {deviation:e} away from the exact signal"
        );
        assert_spectrum(
            audio.left(),
            sample_rate_hz,
            &expected,
            PARTIAL_AMPLITUDE,
            2.0,
            &what,
        );
    }
    // Deactivating without rendering in between is fine too.
    host.deactivate();
    host.activate(SAMPLE_RATE_HZ, 128);
    host.deactivate();
}

/// Damaged or foreign states a host might hand over, each with a name.
fn bad_states(valid: &[u8]) -> Vec<(String, Vec<u8>)> {
    let mut states = vec![("empty".to_owned(), Vec::new())];
    for len in [1, 7, 8, 9, valid.len() / 2, valid.len() - 1] {
        states.push((format!("truncated to {len} bytes"), valid[..len].to_vec()));
    }
    let mut garbage = Rng::new(0x5eed_0fc1_a9a9);
    for len in [1, 8, 16, 100, 1000, 4096] {
        states.push((format!("{len} random bytes"), garbage.bytes(len)));
    }
    // Random payloads behind a plausible length prefix reach the JSON parser.
    for len in [1, 20, 300] {
        let mut state = (len as u64).to_le_bytes().to_vec();
        state.extend(garbage.bytes(len));
        states.push((format!("length prefix and {len} random bytes"), state));
    }
    // A prefix shorter than the data stops the reader inside the JSON.
    let mut too_short = valid.to_vec();
    too_short[..8].copy_from_slice(&(valid.len() as u64 / 2).to_le_bytes());
    states.push((
        "a length prefix shorter than the data".to_owned(),
        too_short,
    ));
    let mut huge = valid.to_vec();
    huge[..8].copy_from_slice(&u64::MAX.to_le_bytes());
    states.push(("a length prefix of 2^64 - 1".to_owned(), huge));
    states.push(("not JSON".to_owned(), framed(b"<xml/>")));
    states.push((
        "JSON of another shape".to_owned(),
        framed(br#"{"version":"2.1.0","params":{"cutoff":0.5},"fields":{}}"#),
    ));
    states
}

#[test]
fn damaged_states_are_rejected_and_change_nothing() {
    let mut host = host_set_to(&["777 Hz", "250 Hz", "300 Hz", "350 Hz", "400 Hz", "-3 dB"]);
    let values = host.param_values();
    let valid = host.save_state();
    for (what, state) in bad_states(&valid) {
        assert!(host.load_state(&state).is_err(), "{what}: accepted");
        assert_eq!(host.param_values(), values, "{what}: values changed");
        assert_eq!(host.save_state(), valid, "{what}: the saved state changed");
        let audio = host.render(2400, &[]);
        assert_clean(&audio, &what);
        assert!(rms(audio.left()) > 0.1, "{what}: silent afterwards");
    }
    // And the plugin still plays what it played before.
    let audio = host.render(48_000, &[]);
    let expected = [777.0, 250.0, 300.0, 350.0, 400.0];
    let gain = 10f64.powf(-3.0 / 20.0);
    assert_spectrum(
        audio.left(),
        SAMPLE_RATE_HZ,
        &expected,
        PARTIAL_AMPLITUDE * gain,
        1.0,
        "after the bad states",
    );
}

#[test]
fn a_state_from_another_plugin_changes_nothing() {
    let mut host = host_set_to(&["777 Hz", "250 Hz", "300 Hz", "350 Hz", "400 Hz", "-3 dB"]);
    let values = host.param_values();
    let valid = host.save_state();
    // Well-formed nice-plug state of some other plugin: nice-plug accepts it and ignores the ids
    // it does not know. What matters to the user is that nothing of Quintet changes.
    let foreign = framed(
        br#"{"version":"2.1.0","params":{"cutoff":{"f32":0.5},"resonance":{"f32":0.9}},"fields":{}}"#,
    );
    let _accepted = host.load_state(&foreign).is_ok();
    assert_eq!(host.param_values(), values);
    assert_eq!(host.save_state(), valid);
}

#[test]
fn out_of_range_values_in_a_state_are_clamped_to_the_range() {
    let mut host = QuintetHost::new();
    host.activate(SAMPLE_RATE_HZ, 256);
    let hostile = framed(
        br#"{"version":"0.1.0","params":{"freq1":{"f32":1e30},"freq2":{"f32":-1e30},"gain":{"f32":-5.0}},"fields":{}}"#,
    );
    // Well-formed, so nice-plug accepts it; the values must land inside the ranges.
    host.load_state(&hostile)
        .expect("a well-formed state loads");
    for (name, shown) in [
        ("Partial 1", "20.00 kHz"),
        ("Partial 2", "20 Hz"),
        ("Gain", "-inf dB"),
    ] {
        let id = host.param_id(name);
        let value = host.param_value(id);
        assert_eq!(
            host.value_to_text(id, value).as_deref(),
            Some(shown),
            "{name}"
        );
    }
    let audio = host.render(4800, &[]);
    assert_clean(&audio, "after a state with out-of-range values");
}

/// Every float parameter, walked from the library (so one added later is covered), restored from
/// states that hold it far beyond either end of its range: each must come back inside its range,
/// in what the plugin plays (its saved state says what it holds) and in what it shows.
#[test]
fn every_restored_parameter_lands_in_its_range() {
    let library = QuintetParams::default();
    let floats: Vec<(String, f32, f32)> = library
        .param_map()
        .into_iter()
        .filter_map(|(id, param, _)| match param {
            // SAFETY: the pointer is into `library`, alive for the whole test.
            ParamPtr::FloatParam(param) => unsafe {
                Some((id, (*param).preview_plain(0.0), (*param).preview_plain(1.0)))
            },
            _ => None,
        })
        .collect();
    assert!(floats.len() >= 12, "only {} float parameters", floats.len());
    let mut host = QuintetHost::new();
    host.activate(SAMPLE_RATE_HZ, 256);
    for hostile in [1e30_f32, -1e30, 3.0e38] {
        let params: Vec<String> = floats
            .iter()
            .map(|(id, _, _)| format!("\"{id}\":{{\"f32\":{hostile:e}}}"))
            .collect();
        let json = format!(
            r#"{{"version":"0.1.0","params":{{{}}},"fields":{{}}}}"#,
            params.join(",")
        );
        host.load_state(&framed(&json))
            .unwrap_or_else(|e| panic!("{hostile:e}: a well-formed state loads: {e:?}"));
        let saved = host.save_state();
        let payload = payload(&saved).expect("a framed state");
        let saved: serde_json::Value = serde_json::from_slice(payload).expect("JSON");
        for (id, low, high) in &floats {
            let value = saved["params"][id]["f32"]
                .as_f64()
                .unwrap_or_else(|| panic!("{id} missing from {saved}"))
                as f32;
            let (low, high) = (low.min(*high), low.max(*high));
            assert!(
                (low..=high).contains(&value),
                "{id} restored from {hostile:e} holds {value}, outside {low} ..= {high}"
            );
        }
        for param in host.params() {
            let shown = host.param_value(param.id);
            assert!((0.0..=1.0).contains(&shown), "{}: {shown}", param.name);
        }
        // Any pan and unison: the channels may differ.
        assert_clean_stereo(&host.render(4800, &[]), "after a hostile state");
    }
}
