//! Issue 23: a CLAP host lists Quintet's presets through its preset-discovery factory (the
//! factory presets inside the plugin and the user's presets in the folder the editor saves them
//! in) and loads one through the preset-load extension, which then plays.

use crate::preset_switch::partials;
use quintet::presets::store::{self, Existing};
use quintet::presets::{Preset, PresetValue, factory};
use quintet_test_host::presets::{ListedPreset, PresetPlace, list_presets, user_preset_dir};
use quintet_test_host::{PLUGIN_ID, QuintetHost, signal};

const SAMPLE_RATE_HZ: f64 = 48_000.0;
/// CLAP's preset flags.
const FACTORY_CONTENT: u32 = 1;
const USER_CONTENT: u32 = 2;

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

/// Loads `listed` into a playing instance and asserts that `preset`'s partials play after it.
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

#[test]
fn a_host_lists_the_factory_and_user_presets_and_loads_them_by_location() {
    let dir = user_preset_dir();
    let mine = user_preset();
    let path = store::save_in(dir, &mine, Existing::Replace).expect("the user preset is saved");
    // Not a Quintet preset, in the same folder: listed as nothing, not as an error.
    std::fs::write(dir.join("notes.json"), b"{\"shopping\": [\"milk\"]}").unwrap();

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

    // Every factory preset, in the editor's order, under its name as load key.
    let expected: Vec<String> = factory::presets().into_iter().map(|p| p.name).collect();
    let listed_factory: Vec<&ListedPreset> = listed
        .iter()
        .filter(|p| p.place == PresetPlace::Plugin)
        .collect();
    let names: Vec<&str> = listed_factory.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, expected);
    for preset in &listed_factory {
        assert_eq!(preset.load_key.as_deref(), Some(preset.name.as_str()));
        assert_eq!(preset.flags, FACTORY_CONTENT, "{}", preset.name);
    }

    // The user's preset, from its file, with no load key.
    let users: Vec<&ListedPreset> = listed
        .iter()
        .filter(|p| matches!(&p.place, PresetPlace::File(_)))
        .collect();
    assert_eq!(users.len(), 1, "one user preset: {users:?}");
    assert_eq!(users[0].name, mine.name);
    assert_eq!(users[0].place, PresetPlace::File(path));
    assert_eq!(users[0].load_key, None);
    assert_eq!(users[0].flags, USER_CONTENT);

    // A factory drone other than Init, and the user's preset, each load and play.
    let drone = factory::presets()
        .into_iter()
        .find(|p| p.name != factory::INIT && !p.settings().midi)
        .expect("a factory drone");
    let listed_drone = listed_factory
        .iter()
        .find(|p| p.name == drone.name)
        .unwrap();
    assert_loads_and_plays(listed_drone, &drone);
    assert_loads_and_plays(users[0], &mine);

    // A key the plugin never listed is refused.
    let unknown = ListedPreset {
        name: "Nothing".into(),
        load_key: Some("No Such Preset".into()),
        ..(*listed_drone).clone()
    };
    let mut host = QuintetHost::new();
    assert!(!host.load_preset(&unknown), "an unknown key is refused");
    std::fs::remove_dir_all(dir).unwrap();
}
