//! Issue 23: a CLAP host lists Quintet's presets through its preset-discovery factory (the
//! factory presets as files in Quintet's factory folder, and the user's presets in the folder the
//! editor saves them in) and loads one through the preset-load extension, which then plays. The
//! factory folder is Quintet's: an edited file there is rewritten; where it cannot be written,
//! the factory presets are declared inside the plugin instead, and a reference into the plugin
//! (saved by a host before the files existed) still loads.

use crate::preset_switch::partials;
use quintet::presets::store::{self, Existing};
use quintet::presets::{Preset, PresetValue, factory, factory_files, file};
use quintet_test_host::plugin_log::logged_during;
use quintet_test_host::presets::{ListedPreset, PresetPlace, list_presets, user_preset_dir};
use quintet_test_host::{PLUGIN_ID, QuintetHost, signal};
use std::os::unix::fs::PermissionsExt;
use std::path::PathBuf;
use std::sync::{Mutex, MutexGuard};

const SAMPLE_RATE_HZ: f64 = 48_000.0;
/// CLAP's preset flags.
const FACTORY_CONTENT: u32 = 1;
const USER_CONTENT: u32 = 2;

/// The preset folders are this process's (the test host points the plugin at them): the tests
/// that change them take turns.
fn folders() -> MutexGuard<'static, ()> {
    static FOLDERS: Mutex<()> = Mutex::new(());
    FOLDERS
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Quintet's factory folder in this process (beside [`user_preset_dir`]).
fn factory_dir() -> PathBuf {
    let dir = store::factory_dir().expect("a factory folder");
    assert_eq!(
        dir.parent(),
        user_preset_dir().parent(),
        "beside the user's"
    );
    dir
}

/// Removes this process's preset folders, the factory files (read-only) and whatever took the
/// factory folder's place.
fn remove_folders() {
    let _ = std::fs::remove_dir_all(user_preset_dir());
    let _ = std::fs::remove_dir_all(factory_dir());
    let _ = std::fs::remove_file(factory_dir());
}

/// A user preset whose partials no factory preset plays.
fn user_preset() -> Preset {
    let hz = [330.0, 495.0, 660.0, 825.0, 990.0];
    let ids = ["freq1", "freq2", "freq3", "freq4", "freq5"];
    let values: Vec<_> = ids
        .iter()
        .zip(hz)
        .map(|(id, hz)| (*id, PresetValue::Number(hz)))
        .collect();
    Preset::new("Host Test Fifths", &values)
}

/// A factory drone other than Init.
fn factory_drone() -> Preset {
    factory::presets()
        .into_iter()
        .find(|p| p.name != factory::INIT && !p.settings().midi)
        .expect("a factory drone")
}

/// Loads `listed` into a playing instance and asserts that `preset`'s partials play after it,
/// and nothing else.
fn assert_loads_and_plays(listed: &ListedPreset, preset: &Preset) {
    let mut host = QuintetHost::new();
    host.activate(SAMPLE_RATE_HZ, 512);
    host.render(4800, &[]);
    assert!(host.load_preset(listed), "{} loads", listed.name);
    // The values reach the audio thread at its next block; the levels ramp for 10 ms.
    host.render(4800, &[]);
    let audio = host.render(SAMPLE_RATE_HZ as usize, &[]);
    let what = format!("after loading {} through preset-load", listed.name);
    signal::assert_clean(&audio, &what);
    signal::assert_partials(audio.left(), SAMPLE_RATE_HZ, &partials(preset), 5.0, &what);
}

/// Every preset listed, asserting that no error was reported and each is for Quintet.
fn list_without_errors() -> Vec<ListedPreset> {
    let (listed, errors) = list_presets();
    assert!(errors.is_empty(), "errors while listing: {errors:?}");
    let plugin_id = PLUGIN_ID.to_str().unwrap().to_owned();
    for preset in &listed {
        assert_eq!(
            preset.plugin_ids,
            std::slice::from_ref(&plugin_id),
            "{}",
            preset.name
        );
    }
    listed
}

/// The factory presets' names, sorted.
fn factory_names() -> Vec<String> {
    let mut names: Vec<String> = factory::presets().into_iter().map(|p| p.name).collect();
    names.sort();
    names
}

/// Overwrites the factory file of `preset` with the user preset's values under its name, as a
/// person editing it would (making it writable first).
fn edit_factory_file(preset: &Preset) -> PathBuf {
    let path = factory_dir().join(factory_files::file_name(preset));
    let edited = Preset {
        name: preset.name.clone(),
        ..user_preset()
    };
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
    std::fs::write(&path, file::write(&edited)).unwrap();
    path
}

#[test]
fn a_host_lists_the_factory_presets_as_files_and_the_users_and_loads_them() {
    let _turn = folders();
    remove_folders();
    let dir = user_preset_dir();
    let mine = user_preset();
    let path = store::save_in(dir, &mine, Existing::Replace).expect("the user preset is saved");
    // Not a Quintet preset, in the same folder: listed as nothing, not as an error.
    std::fs::write(dir.join("notes.json"), b"{\"shopping\": [\"milk\"]}").unwrap();

    let listed = list_without_errors();

    // Every factory preset, one file each in Quintet's factory folder, flagged factory content.
    let factory_files: Vec<&ListedPreset> = listed
        .iter()
        .filter(|p| p.flags == FACTORY_CONTENT)
        .collect();
    let mut names: Vec<String> = factory_files.iter().map(|p| p.name.clone()).collect();
    names.sort();
    assert_eq!(names, factory_names());
    for listed in &factory_files {
        let preset = factory::find(&listed.name).unwrap();
        let file = factory_dir().join(factory_files::file_name(&preset));
        assert_eq!(listed.place, PresetPlace::File(file), "{}", listed.name);
        assert_eq!(listed.load_key, None, "{}", listed.name);
    }
    assert!(
        listed.iter().all(|p| p.place != PresetPlace::Plugin),
        "the factory presets are not declared inside the plugin when their folder is written"
    );

    // The user's preset, from its file, with no load key.
    let users: Vec<&ListedPreset> = listed.iter().filter(|p| p.flags == USER_CONTENT).collect();
    assert_eq!(users.len(), 1, "one user preset: {users:?}");
    assert_eq!(users[0].name, mine.name);
    assert_eq!(users[0].place, PresetPlace::File(path));
    assert_eq!(users[0].load_key, None);
    assert_eq!(listed.len(), factory_files.len() + 1, "{listed:?}");

    // A factory drone other than Init, by its file, and the user's preset each load and play.
    let drone = factory_drone();
    let listed_drone = factory_files.iter().find(|p| p.name == drone.name).unwrap();
    assert_loads_and_plays(listed_drone, &drone);
    assert_loads_and_plays(users[0], &mine);
    remove_folders();
}

#[test]
fn a_factory_preset_saved_as_inside_the_plugin_still_loads_by_its_key() {
    let _turn = folders();
    let drone = factory_drone();
    let by_key = ListedPreset {
        name: drone.name.clone(),
        place: PresetPlace::Plugin,
        load_key: Some(drone.name.clone()),
        plugin_ids: Vec::new(),
        flags: FACTORY_CONTENT,
    };
    assert_loads_and_plays(&by_key, &drone);
    // A key the plugin never listed is refused.
    let unknown = ListedPreset {
        name: "Nothing".into(),
        load_key: Some("No Such Preset".into()),
        ..by_key
    };
    let mut host = QuintetHost::new();
    assert!(!host.load_preset(&unknown), "an unknown key is refused");
    remove_folders();
}

#[test]
fn an_edited_factory_file_is_rewritten_before_a_host_lists_or_loads_it() {
    let _turn = folders();
    remove_folders();
    let drone = factory_drone();
    list_without_errors();

    // Edited, then listed: the host's crawl reads the factory preset again.
    let path = edit_factory_file(&drone);
    let listed = list_without_errors();
    assert_eq!(std::fs::read_to_string(&path).unwrap(), file::write(&drone));
    let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o444, "the factory file is read-only again");
    let listed_drone = listed
        .iter()
        .find(|p| p.place == PresetPlace::File(path.clone()))
        .expect("the drone's file is listed");

    // Edited after the crawl, then loaded by its path: the factory preset plays, not the edit.
    edit_factory_file(&drone);
    assert_loads_and_plays(listed_drone, &drone);
    assert_eq!(std::fs::read_to_string(&path).unwrap(), file::write(&drone));
    remove_folders();
}

#[test]
fn a_factory_folder_that_cannot_be_written_falls_back_to_the_plugin() {
    let _turn = folders();
    remove_folders();
    // The folder's place taken by a file: it cannot be made, even by root (whom permission bits
    // do not stop), as a read-only home stops anyone else.
    std::fs::write(factory_dir(), b"not a folder").unwrap();

    let (listed, log) = logged_during(list_without_errors);
    assert!(
        log.contains("could not be written as files"),
        "the fallback is logged: {log:?}"
    );
    let mut names: Vec<String> = listed.iter().map(|p| p.name.clone()).collect();
    names.sort();
    assert_eq!(names, factory_names());
    for preset in &listed {
        assert_eq!(preset.place, PresetPlace::Plugin, "{}", preset.name);
        assert_eq!(preset.load_key.as_deref(), Some(preset.name.as_str()));
        assert_eq!(preset.flags, FACTORY_CONTENT, "{}", preset.name);
    }
    let drone = factory_drone();
    let listed_drone = listed.iter().find(|p| p.name == drone.name).unwrap();
    assert_loads_and_plays(listed_drone, &drone);
    remove_folders();
}

/// Issue 25: a user preset with a tuning, loaded by a host through preset-load, plays in it
/// (its file holds the scale's text).
#[test]
fn a_preset_with_a_tuning_loads_it() {
    let _turn = folders();
    remove_folders();
    let scale =
        "5-limit just\n12\n16/15\n9/8\n6/5\n5/4\n4/3\n45/32\n3/2\n8/5\n5/3\n9/5\n15/8\n2/1\n";
    let map = "12\n0\n127\n62\n69\n432.0\n12\n0\n1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\n";
    let tuning =
        quintet::tuning::Tuning::from_files("just", scale.as_bytes(), Some(map.as_bytes()))
            .unwrap();
    let mut tuned = Preset::new("Host Test Just", &[("midi", PresetValue::Switch(true))]);
    tuned.tuning = Some(std::sync::Arc::new(tuning));
    store::save_in(user_preset_dir(), &tuned, Existing::Replace).expect("saved");
    let listed = list_without_errors();
    let find = |name: &str| listed.iter().find(|p| p.name == name).expect(name).clone();

    let mut host = QuintetHost::new();
    host.activate(SAMPLE_RATE_HZ, 512);
    let plays = |host: &mut QuintetHost, key: u8| {
        let settle = 4800;
        let audio = host.render_events(
            quintet_test_host::blocks_of(settle + 32_768, 512),
            &[quintet_test_host::MidiMessage::note_on(0, key, 127)],
        );
        host.render_events(
            quintet_test_host::blocks_of(9600, 512),
            &[quintet_test_host::MidiMessage::note_off(0, key)],
        );
        quintet::spectrum::find_peaks(&audio.left()[settle..], SAMPLE_RATE_HZ, 0.02)
    };
    assert!(
        host.load_preset(&find("Host Test Just")),
        "the tuned preset loads"
    );
    host.render(1024, &[]);
    let peaks = plays(&mut host, 62);
    assert!(
        peaks.iter().any(|p| (p.frequency_hz - 288.0).abs() < 0.5),
        "D plays 288 Hz: {peaks:?}"
    );
    remove_folders();
}
