//! Presets: files round-trip, every factory preset plays what it says, bad files are refused
//! and change nothing, odd names stay inside the preset folder.

use super::file::{self, PresetError};
use super::names::file_stem;
use super::store::{self, Existing, StoreError};
use super::*;
use crate::dsp::PARTIAL_AMPLITUDE;
use crate::dsp::pan::pan_gains;
use crate::engine::Engine;
use crate::spectrum::find_peaks;
use crate::tuning::Tuning;

const RATE_HZ: f64 = 48_000.0;

/// Whether a refusal is the one a case expects.
type IsExpected = fn(&PresetError) -> bool;

fn number(preset: &Preset, id: &str) -> Option<f32> {
    match preset.values.get(id) {
        Some(PresetValue::Number(v)) => Some(*v),
        _ => None,
    }
}

/// A fresh folder in the temp directory for this test.
fn temp_dir(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("quintet-presets-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

#[test]
fn a_captured_preset_survives_its_file() {
    let params = QuintetParams::default();
    let mut preset = Preset::capture("Round \"trip\" ü", &params);
    preset
        .values
        .insert(String::from("freq3"), PresetValue::Number(1234.5));
    preset
        .values
        .insert(String::from("voices"), PresetValue::Count(3));
    let text = file::write(&preset);
    assert!(text.contains("\"freq3\": 1234.5"), "readable: {text}");
    assert_eq!(file::read(text.as_bytes()), Ok(preset));
}

#[test]
fn init_is_every_default() {
    let init = factory::find(factory::INIT).unwrap();
    let params = QuintetParams::default();
    assert!(init.matches(&params));
    assert_eq!(init.settings(), params.engine_settings());
}

#[test]
fn there_are_eight_distinct_factory_presets_besides_init() {
    let presets = factory::presets();
    assert!(presets.len() >= 9, "{}", presets.len());
    let settings: Vec<_> = presets.iter().map(Preset::settings).collect();
    for (a, sa) in presets.iter().zip(&settings).skip(1) {
        let same = presets
            .iter()
            .zip(&settings)
            .filter(|(b, sb)| b.name != a.name && *sb == sa && b.name != factory::INIT)
            .count();
        assert_eq!(same, 0, "{} sounds like another preset", a.name);
    }
}

#[test]
fn every_factory_preset_plays_what_it_says() {
    for preset in factory::presets() {
        let settings = preset.settings();
        for (k, id) in ["freq1", "freq2", "freq3", "freq4", "freq5"]
            .iter()
            .enumerate()
        {
            if let Some(hz) = number(&preset, id) {
                let played = settings.frequencies_hz[k];
                assert!(
                    (played - f64::from(hz)).abs() < 1e-3,
                    "{}: {id} {played}",
                    preset.name
                );
            }
        }
        if settings.midi {
            continue;
        }
        // A drone: the FFT finds each audible partial at its frequency and level, on each
        // channel at its pan's gain.
        let mut engine = Engine::new(RATE_HZ, settings);
        let (mut left, mut right) = (vec![0.0f32; 65_536], vec![0.0f32; 65_536]);
        engine.render_stereo(&mut left, &mut right);
        for (channel, out) in [left, right].iter().enumerate() {
            let peaks = find_peaks(&out[32_768..], RATE_HZ, 0.001);
            for k in 0..5 {
                let level = f64::from(settings.levels[k]);
                if level == 0.0 {
                    continue;
                }
                let hz = settings.frequencies_hz[k];
                let pan = f64::from(pan_gains(settings.pans[k])[channel]);
                let expected =
                    f64::from(PARTIAL_AMPLITUDE) * level * f64::from(settings.gain) * pan;
                let found = peaks
                    .iter()
                    .find(|p| (p.frequency_hz - hz).abs() < 1.0)
                    .map_or(0.0, |p| p.amplitude);
                // Two partials half a hertz apart share a bin: their beat is what that preset
                // is.
                if preset.name != "Slow Beating Pair" {
                    assert!(
                        (found - expected).abs() <= 0.1 * expected,
                        "{}: partial {} at {hz} Hz reads {found} on channel {channel}, \
                         expected {expected}",
                        preset.name,
                        k + 1
                    );
                }
            }
        }
    }
}

#[test]
fn damaged_foreign_and_newer_files_are_refused_with_a_reason() {
    let valid = file::write(&factory::find("Odd Harmonics").unwrap());
    let cases: Vec<(Vec<u8>, IsExpected)> =
        vec![
        (br#"{"format": "quint"#.to_vec(), |e| matches!(e, PresetError::Damaged(_))),
        (valid.as_bytes()[..valid.len() / 2].to_vec(), |e| {
            matches!(e, PresetError::Damaged(_))
        }),
        (b"[1, 2, 3]".to_vec(), |e| *e == PresetError::Foreign),
        (br#"{"params": {"cutoff": 0.5}}"#.to_vec(), |e| *e == PresetError::Foreign),
        (
            br#"{"format": "quintet-preset", "version": 4, "name": "x", "params": {}}"#.to_vec(),
            |e| *e == PresetError::Newer(4),
        ),
        (
            br#"{"format": "quintet-preset", "version": 3, "name": "x", "params": {},
                 "tuning": {"name": "t", "scale": "desc\n2\n0/1\n2/1\n", "map": null}}"#
                .to_vec(),
            |e| matches!(e, PresetError::Tuning(why) if why.contains("line 3")),
        ),
        (
            br#"{"format": "quintet-preset", "version": 1, "name": "x", "params": {"cutoff": 1}}"#
                .to_vec(),
            |e| matches!(e, PresetError::UnknownParameter(id) if id == "cutoff"),
        ),
        (
            br#"{"format": "quintet-preset", "version": 1, "name": "x", "params": {"midi": 1}}"#
                .to_vec(),
            |e| matches!(e, PresetError::WrongKind { .. }),
        ),
        (vec![b' '; file::MAX_FILE_BYTES + 1], |e| {
            matches!(e, PresetError::TooLarge(_))
        }),
    ];
    for (bytes, expected) in cases {
        let error = file::read(&bytes).expect_err("refused");
        assert!(expected(&error), "{error:?}");
        assert!(!error.to_string().is_empty());
    }
}

/// Issue 21, item 10: serde_json keeps the last of two equal keys; a preset file with one is
/// refused instead, naming it, at any level.
#[test]
fn a_key_given_twice_is_refused_and_named() {
    let head = r#""format": "quintet-preset", "version": 1"#;
    for (rest, key) in [
        (
            r#""name": "x", "params": {"freq1": 200, "freq1": 2000}"#,
            "params.freq1",
        ),
        (r#""name": "x", "name": "y", "params": {}"#, "name"),
        (
            r#""name": "x", "params": {}, "params": {"freq1": 300}"#,
            "params",
        ),
        (r#""version": 1, "name": "x", "params": {}"#, "version"),
    ] {
        let text = format!("{{{head}, {rest}}}");
        let error = file::read(text.as_bytes()).expect_err(&text);
        assert_eq!(error, PresetError::RepeatedKey(key.into()), "{text}");
        let message = error.to_string();
        assert!(
            message.contains(&format!("\"{key}\" is there twice")),
            "{message}"
        );
    }
}

/// Issue 23: a preset saved under the 1/Voices law (format 1) plays as loud as it did. Each
/// case's one note at full velocity is measured against what the old law played: the five
/// default partials at a fifth of full scale, times the gain, over the voice count in MIDI mode.
#[test]
fn a_format_1_preset_plays_as_loud_as_it_did() {
    let cases = [
        (r#""gain": 0.5"#, 0.5, "+0.0"),
        (r#""midi": true, "voices": 1"#, 1.0, "+6.0"),
        (
            r#""midi": true, "voices": 8, "gain": 0.70794576"#,
            0.707_945_76 / 8.0,
            "-15.0",
        ),
        (r#""midi": true"#, 1.0 / 8.0, "-12.0"),
        (r#""midi": true, "voices": 16"#, 1.0 / 16.0, "-18.1"),
    ];
    for (params, old_partial_scale, gain_text) in cases {
        let text = format!(
            r#"{{"format": "quintet-preset", "version": 1, "name": "old", "params": {{{params}}}}}"#
        );
        let preset = file::read(text.as_bytes()).unwrap();
        let settings = preset.settings();
        let shown = format!(
            "{:+.1}",
            quintet_core::params::gain_text::gain_to_db(settings.gain)
        );
        assert_eq!(shown, gain_text, "{params}");
        let mut engine = Engine::new(RATE_HZ, settings);
        engine.handle(crate::engine::NoteInput::NoteOn {
            note: crate::engine::NoteRef::without_id(0, 60),
            velocity: 1.0,
        });
        let mut out = vec![0.0f32; 65_536];
        engine.render(&mut out);
        let peaks = find_peaks(&out[32_768..], RATE_HZ, 0.001);
        assert_eq!(peaks.len(), 5, "{params}: {peaks:?}");
        for peak in peaks {
            let expected = 0.2 * old_partial_scale;
            assert!(
                (peak.amplitude / expected - 1.0).abs() < 0.05,
                "{params}: {peak:?}, expected {expected}"
            );
        }
        // Saved again, it is a format 2 file with the carried gain.
        let again = file::read(file::write(&preset).as_bytes()).unwrap();
        assert_eq!(again, preset, "{params}");
    }
}

#[test]
fn out_of_range_values_play_at_the_ends_of_their_ranges() {
    let text = br#"{"format": "quintet-preset", "version": 1, "name": "wild",
        "params": {"freq1": 1e30, "gain": -4.0, "voices": 400, "bendrng": -3}}"#;
    let settings = file::read(text).unwrap().settings();
    assert_eq!(settings.frequencies_hz[0], 20_000.0);
    assert_eq!(settings.gain, 0.0);
    assert_eq!(settings.voices, 16);
    assert_eq!(settings.bend_range_semitones, 0.0);
}

#[test]
fn odd_names_are_saved_inside_the_folder_and_keep_their_name() {
    let dir = temp_dir("names");
    let names = [
        "../../etc/passwd",
        "/abs/olute",
        ".hidden",
        "a\\b:c*?",
        "Bell (2)",
    ];
    for name in names {
        let preset = Preset::new(name, &[("freq1", PresetValue::Number(300.0))]);
        let path = store::save_in(&dir, &preset, Existing::Refuse).unwrap();
        assert_eq!(path.parent(), Some(dir.as_path()), "{name:?} → {path:?}");
        assert!(!file_stem(name).starts_with('.'));
        assert_eq!(store::load(&path).unwrap().name, name);
    }
    let (presets, refused) = store::list_in(&dir);
    assert_eq!(presets.len(), names.len());
    assert!(refused.is_empty());
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Issue 21, item 11: names that the first naming scheme sent to one file ("Pad: bright/warm"
/// and "Pad? bright\warm" both became `Pad_ bright_warm.json`) stay two presets; saving onto a
/// name of yours needs `Existing::Replace`; empty and factory names are refused; nothing
/// refused writes a file.
#[test]
fn each_name_keeps_its_own_file_and_nothing_is_overwritten_unasked() {
    let dir = temp_dir("collide");
    let first = Preset::new("Pad: bright/warm", &[("freq1", PresetValue::Number(300.0))]);
    let second = Preset::new(
        "Pad? bright\\warm",
        &[("freq1", PresetValue::Number(400.0))],
    );
    let first_path = store::save_in(&dir, &first, Existing::Refuse).unwrap();
    let second_path = store::save_in(&dir, &second, Existing::Refuse).unwrap();
    assert_ne!(first_path, second_path);
    assert_eq!(store::load(&first_path).unwrap(), first);
    assert_eq!(store::load(&second_path).unwrap(), second);

    let louder = Preset::new(&first.name, &[("freq1", PresetValue::Number(500.0))]);
    let taken = store::save_in(&dir, &louder, Existing::Refuse).unwrap_err();
    assert!(
        matches!(&taken, StoreError::Taken { path, .. } if *path == first_path),
        "{taken}"
    );
    assert_eq!(store::load(&first_path).unwrap(), first, "kept unasked");
    assert_eq!(
        store::save_in(&dir, &louder, Existing::Replace).unwrap(),
        first_path
    );
    assert_eq!(
        store::load(&first_path).unwrap(),
        louder,
        "replaced when asked"
    );

    for (name, says) in [
        ("", "needs a name"),
        ("  ", "needs a name"),
        ("church bell", "factory"),
    ] {
        let preset = Preset::new(name, &[]);
        let error = store::save_in(&dir, &preset, Existing::Replace).unwrap_err();
        assert!(error.to_string().contains(says), "{name:?}: {error}");
    }
    let (presets, _) = store::list_in(&dir);
    assert_eq!(presets.len(), 2, "only the two presets are files");
    std::fs::remove_dir_all(&dir).unwrap();
}

/// A preset saved under the first naming scheme loads, and saving its name again replaces that
/// file (asked) or is refused (unasked) rather than making a second preset of the name. A file
/// of another name where the new scheme would write is never replaced.
#[test]
fn presets_in_files_of_the_old_scheme_load_and_are_replaced_in_place() {
    let dir = temp_dir("old-scheme");
    std::fs::create_dir_all(&dir).unwrap();
    let old = Preset::new("Pad: old/style", &[("freq1", PresetValue::Number(300.0))]);
    let old_path = dir.join("Pad_ old_style.json");
    std::fs::write(&old_path, file::write(&old)).unwrap();
    let (presets, _) = store::list_in(&dir);
    assert_eq!(presets, [(old_path.clone(), old.clone())]);
    let again = Preset::new(&old.name, &[("freq1", PresetValue::Number(600.0))]);
    assert!(matches!(
        store::save_in(&dir, &again, Existing::Refuse),
        Err(StoreError::Taken { .. })
    ));
    assert_eq!(
        store::save_in(&dir, &again, Existing::Replace).unwrap(),
        old_path
    );
    assert_eq!(store::list_in(&dir).0.len(), 1);

    // The old scheme kept "a/b" in `a_b.json`, the file the new one gives "a_b".
    let slash = Preset::new("a/b", &[]);
    std::fs::write(dir.join("a_b.json"), file::write(&slash)).unwrap();
    let underscore = Preset::new("a_b", &[]);
    let error = store::save_in(&dir, &underscore, Existing::Replace).unwrap_err();
    assert!(matches!(error, StoreError::Occupied { .. }), "{error}");
    assert_eq!(store::load(&dir.join("a_b.json")).unwrap(), slash);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_refused_file_in_the_folder_is_listed_as_refused() {
    let dir = temp_dir("refused");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("broken.json"), b"{ not json").unwrap();
    let organ = Preset {
        name: String::from("My Organ"),
        ..factory::find("Drawbar Organ").unwrap()
    };
    store::save_in(&dir, &organ, Existing::Refuse).unwrap();
    let (presets, refused) = store::list_in(&dir);
    assert_eq!(presets.len(), 1);
    assert_eq!(refused.len(), 1);
    assert!(refused[0].to_string().contains("broken.json"));
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Issue 21, item 3: a save wrote `.NAME.part` and followed a symlink planted there, overwriting
/// whatever it pointed to. The victim stays untouched, the preset is saved, and the planted link
/// is left as it is (and nothing else beside it).
#[test]
fn a_symlink_planted_at_the_old_temporary_name_is_not_followed() {
    let dir = temp_dir("planted");
    std::fs::create_dir_all(&dir).unwrap();
    let victim = dir.with_extension("victim");
    std::fs::write(&victim, b"someone's file").unwrap();
    let mut preset = factory::find("Drawbar Organ").unwrap();
    preset.name = "My Organ".to_owned();
    let stem = file_stem(&preset.name);
    let planted = dir.join(format!(".{stem}.part"));
    std::os::unix::fs::symlink(&victim, &planted).unwrap();

    let path = store::save_in(&dir, &preset, store::Existing::Refuse).unwrap();
    assert_eq!(std::fs::read(&victim).unwrap(), b"someone's file");
    assert_eq!(store::load(&path).unwrap(), preset);
    assert!(std::fs::symlink_metadata(&planted).unwrap().is_symlink());
    let mut names: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    assert_eq!(names, [format!(".{stem}.part"), format!("{stem}.json")]);
    std::fs::remove_dir_all(&dir).unwrap();
    std::fs::remove_file(&victim).unwrap();
}

/// Issue 25: a preset keeps its tuning's text, written as format 3; one in 12-TET is written
/// as format 2 (older Quintets read it), and formats 1 and 2 read as 12-TET.
#[test]
fn a_preset_keeps_its_tuning_and_only_a_tuned_one_needs_format_3() {
    let params = QuintetParams::default();
    let plain = Preset::capture("Plain", &params);
    assert_eq!(plain.tuning, None);
    let text = file::write(&plain);
    assert!(text.contains("\"version\": 2"), "{text}");
    assert!(!text.contains("tuning"), "{text}");

    let tuning = Tuning::from_files("bp", b"BP\n2\n9/7\n3/1\n", None).unwrap();
    params.tuning.set(tuning.clone());
    let tuned = Preset::capture("Tuned", &params);
    assert_eq!(tuned.tuning.as_deref(), Some(&tuning));
    assert!(tuned.matches(&params));
    let text = file::write(&tuned);
    assert!(text.contains("\"version\": 3"), "{text}");
    let read = file::read(text.as_bytes()).unwrap();
    assert_eq!(read, tuned);
    assert_eq!(read.tuning_or_default(), tuning);
    // The same values in 12-TET are not this preset.
    assert!(!plain.matches(&params));
}
