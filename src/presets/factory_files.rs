//! The factory presets as files, for CLAP hosts: one preset file per factory preset, in the
//! format you save yours in, in a folder that is Quintet's ([`store::factory_dir`],
//! `~/.local/share/quintet/factory-presets` by default). The discovery provider declares that
//! folder as a file location of factory content, as synths that ship their presets as files do.
//!
//! The plugin is the source of the files: [`sync`] brings the folder up to date with the factory
//! list in this build. A file is written only when it is missing or differs (so a read-only copy
//! that is up to date is fine), atomically ([`output_file`]), and left read-only; a file you
//! edited is rewritten, and a Quintet preset file there that is no factory preset of this build
//! (one renamed or removed since) is removed. Other files are left alone. Each file is named
//! after its preset as yours are ([`names::file_stem`]), which maps one name to one file, so no
//! two factory presets share a file.
//!
//! Brought up to date on the main thread, where a CLAP host asks for it: when the discovery
//! provider starts (before each crawl) and before a preset-load from the folder. The editor and
//! the standalone play the factory presets from the plugin itself and do not need the files.

use super::store::{self, StoreError};
use super::{Preset, factory, file, names};
use crate::file_read::{self, Limit, ReadError};
use crate::output_file;
use std::fs::{self, Permissions};
use std::io;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

/// A factory preset file's permissions: read-only for everyone, as the folder is Quintet's.
const READ_ONLY_MODE: u32 = 0o444;

/// How much of a file is read to compare it with a factory preset's text.
const READ_LIMIT: Limit = Limit {
    what: "a factory preset file",
    max_bytes: file::MAX_FILE_BYTES,
};

/// The name of `preset`'s file in the factory folder.
pub fn file_name(preset: &Preset) -> String {
    format!("{}.{}", names::file_stem(&preset.name), store::EXTENSION)
}

/// Brings Quintet's factory folder up to date (see the module documentation) and returns its
/// path; an error when there is no folder or it cannot be brought up to date (a read-only
/// home): then the files there, if any, may not be this build's factory presets.
pub fn sync() -> Result<PathBuf, StoreError> {
    let dir = store::factory_dir().ok_or(StoreError::NoFolder)?;
    sync_in(&dir)?;
    Ok(dir)
}

/// Makes `dir` hold exactly the factory presets as files, writing only what is missing or
/// differs, and removing the Quintet presets there that are not factory presets any more.
pub fn sync_in(dir: &Path) -> Result<(), StoreError> {
    let io_at = |path: &Path| {
        let path = path.to_path_buf();
        move |error| StoreError::Io { path, error }
    };
    fs::create_dir_all(dir).map_err(io_at(dir))?;
    let presets = factory::presets();
    let wanted: Vec<String> = presets.iter().map(file_name).collect();
    for (preset, name) in presets.iter().zip(&wanted) {
        bring_up_to_date(&dir.join(name), file::write(preset).as_bytes())?;
    }
    for entry in fs::read_dir(dir).map_err(io_at(dir))? {
        let path = entry.map_err(io_at(dir))?.path();
        let is_wanted = path
            .file_name()
            .and_then(|name| name.to_str())
            .is_some_and(|name| wanted.iter().any(|w| w == name));
        let is_preset = path.extension().is_some_and(|e| e == store::EXTENSION);
        // Only a Quintet preset is ours to remove: anything else is not listed as a preset.
        if !is_wanted && is_preset && store::load(&path).is_ok() {
            match fs::remove_file(&path) {
                // Removed meanwhile by another instance syncing the same folder.
                Err(error) if error.kind() == io::ErrorKind::NotFound => {}
                removed => removed.map_err(io_at(&path))?,
            }
        }
    }
    Ok(())
}

/// Makes the file at `path` hold `text`, read-only, unless it does already. A symlink there is
/// removed, never written through: nothing outside the folder is touched.
fn bring_up_to_date(path: &Path, text: &[u8]) -> Result<(), StoreError> {
    let io_error = |error| StoreError::Io {
        path: path.to_path_buf(),
        error,
    };
    match fs::symlink_metadata(path) {
        Ok(found) if found.is_file() => match file_read::read(path, READ_LIMIT) {
            Ok(bytes) if bytes == text => return Ok(()),
            // Another text, or too large to be a preset: rewritten.
            Ok(_) | Err(ReadError::TooLarge(_)) => {}
            Err(error) => {
                return Err(StoreError::Read {
                    path: path.to_path_buf(),
                    error,
                });
            }
        },
        Ok(found) if found.file_type().is_symlink() => fs::remove_file(path).map_err(io_error)?,
        Ok(_) => {
            return Err(StoreError::Occupied {
                path: path.to_path_buf(),
            });
        }
        Err(error) if error.kind() == io::ErrorKind::NotFound => {}
        Err(error) => return Err(io_error(error)),
    }
    // Forced: the file it replaces is read-only by design.
    let options = output_file::Options {
        force: true,
        ..output_file::Options::default()
    };
    if let Err(error) = output_file::write(path, text, &options) {
        // Another instance (a host scanning in parallel processes) may have written the same
        // file between the look above and the write: what it wrote is what was wanted.
        return if holds(path, text) {
            Ok(())
        } else {
            Err(StoreError::Output(error))
        };
    }
    fs::set_permissions(path, Permissions::from_mode(READ_ONLY_MODE)).map_err(io_error)
}

/// Whether `path` is a regular file holding exactly `text`.
fn holds(path: &Path, text: &[u8]) -> bool {
    fs::symlink_metadata(path).is_ok_and(|found| found.is_file())
        && file_read::read(path, READ_LIMIT).is_ok_and(|bytes| bytes == text)
}

#[cfg(test)]
mod tests;
