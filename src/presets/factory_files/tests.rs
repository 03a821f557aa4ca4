//! The factory folder: one read-only file per factory preset, written only when missing or
//! different, edits and planted links undone, presets of earlier builds removed, a folder that
//! cannot be written reported.

use super::*;
use std::collections::BTreeSet;
use std::os::unix::fs::MetadataExt;

/// A fresh folder in the temp directory for this test.
fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "quintet-factory-files-{}-{name}",
        std::process::id()
    ));
    remove(&dir);
    dir
}

/// Removes `dir` and everything in it, read-only files included (as root or not).
fn remove(dir: &Path) {
    let _ = fs::remove_dir_all(dir);
}

/// Each factory preset's path in `dir`, with the preset.
fn files_in(dir: &Path) -> Vec<(PathBuf, Preset)> {
    factory::presets()
        .into_iter()
        .map(|preset| (dir.join(file_name(&preset)), preset))
        .collect()
}

#[test]
fn every_factory_preset_has_a_file_of_its_own_even_where_case_is_ignored() {
    let presets = factory::presets();
    let names: BTreeSet<String> = presets
        .iter()
        .map(|p| file_name(p).to_lowercase())
        .collect();
    assert_eq!(names.len(), presets.len(), "{names:?}");
    for name in &names {
        let stem = name.strip_suffix(".json").expect("a .json file");
        assert!(!stem.is_empty() && !stem.starts_with(['.', '-']), "{name}");
        assert!(!name.contains(['/', '\\', '\0']), "{name}");
    }
}

#[test]
fn a_sync_writes_each_factory_preset_read_only_in_the_users_format() {
    let dir = temp_dir("fresh");
    sync_in(&dir).unwrap();
    for (path, preset) in files_in(&dir) {
        assert_eq!(store::load(&path).unwrap(), preset, "{}", path.display());
        let mode = fs::metadata(&path).unwrap().mode() & 0o777;
        assert_eq!(mode, READ_ONLY_MODE, "{}", path.display());
    }
    let (listed, refused) = store::list_in(&dir);
    assert!(refused.is_empty(), "{refused:?}");
    assert_eq!(listed.len(), factory::presets().len());
    remove(&dir);
}

#[test]
fn an_up_to_date_folder_is_not_written_again() {
    let dir = temp_dir("up-to-date");
    sync_in(&dir).unwrap();
    let inode = |path: &Path| fs::metadata(path).unwrap().ino();
    let before: Vec<u64> = files_in(&dir).iter().map(|(path, _)| inode(path)).collect();
    sync_in(&dir).unwrap();
    let after: Vec<u64> = files_in(&dir).iter().map(|(path, _)| inode(path)).collect();
    // A write replaces a file by a new one (a rename): its inode would change.
    assert_eq!(before, after);
    remove(&dir);
}

#[test]
fn edits_and_links_are_undone_and_presets_of_earlier_builds_removed() {
    let dir = temp_dir("edited");
    sync_in(&dir).unwrap();
    let files = files_in(&dir);
    let (edited, edited_preset) = &files[1];
    fs::set_permissions(edited, Permissions::from_mode(0o644)).unwrap();
    fs::write(edited, file::write(&Preset::new(&edited_preset.name, &[]))).unwrap();
    // A link in the folder to a file outside: removed, the file it names left as it is.
    let outside = temp_dir("edited-outside");
    fs::create_dir_all(&outside).unwrap();
    let target = outside.join("mine.json");
    fs::write(&target, b"mine").unwrap();
    let (linked, linked_preset) = &files[2];
    fs::remove_file(linked).unwrap();
    std::os::unix::fs::symlink(&target, linked).unwrap();
    let (missing, missing_preset) = &files[3];
    fs::remove_file(missing).unwrap();
    // A factory preset this build no longer has, and files that are no Quintet preset.
    let stale = dir.join("Retired Preset.json");
    fs::write(&stale, file::write(&Preset::new("Retired Preset", &[]))).unwrap();
    let notes = [dir.join("notes.txt"), dir.join("shopping.json")];
    for note in &notes {
        fs::write(note, b"{\"milk\": 2}").unwrap();
    }

    sync_in(&dir).unwrap();
    for (path, preset) in [
        (edited, edited_preset),
        (linked, linked_preset),
        (missing, missing_preset),
    ] {
        assert_eq!(&store::load(path).unwrap(), preset, "{}", path.display());
        let found = fs::symlink_metadata(path).unwrap();
        assert!(found.is_file(), "{}", path.display());
        assert_eq!(found.mode() & 0o777, READ_ONLY_MODE, "{}", path.display());
    }
    assert_eq!(fs::read(&target).unwrap(), b"mine");
    assert!(!stale.exists(), "the retired preset is removed");
    for note in &notes {
        assert_eq!(
            fs::read(note).unwrap(),
            b"{\"milk\": 2}",
            "{}",
            note.display()
        );
    }
    remove(&dir);
    remove(&outside);
}

#[test]
fn a_folder_that_cannot_be_written_is_reported() {
    // Its place taken by a file (file permissions would not stop root, whom tests may run as).
    let blocked = temp_dir("blocked");
    fs::write(&blocked, b"not a folder").unwrap();
    assert!(matches!(sync_in(&blocked), Err(StoreError::Io { .. })));
    fs::remove_file(&blocked).unwrap();
    // A preset's file name taken by a folder.
    let dir = temp_dir("occupied");
    let (path, _) = &files_in(&dir)[0];
    fs::create_dir_all(path).unwrap();
    assert!(matches!(sync_in(&dir), Err(StoreError::Occupied { .. })));
    remove(&dir);
}

/// Hosts scan in parallel processes (clap-validator runs its preset-discovery tests at once):
/// instances syncing one fresh folder together all succeed. Without the re-check after a
/// refused write, one that found a file missing and then met it written by another reported
/// the folder unwritable, and declared the presets inside the plugin instead.
#[test]
fn instances_syncing_one_fresh_folder_at_once_all_succeed() {
    for round in 0..20 {
        let dir = temp_dir(&format!("together-{round}"));
        let results: Vec<Result<(), String>> = std::thread::scope(|scope| {
            let syncs: Vec<_> = (0..8)
                .map(|_| scope.spawn(|| sync_in(&dir).map_err(|error| error.to_string())))
                .collect();
            syncs.into_iter().map(|sync| sync.join().unwrap()).collect()
        });
        for result in results {
            assert_eq!(result, Ok(()), "round {round}");
        }
        assert_eq!(files_in(&dir).len(), factory::presets().len());
        remove(&dir);
    }
}
