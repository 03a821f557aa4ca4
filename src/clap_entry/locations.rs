//! What a CLAP preset location and load key mean to Quintet, for the discovery provider that
//! declares them and the preset-load extension that loads them:
//!
//! - the factory presets are files in Quintet's own folder ([`factory_files`]), one preset per
//!   file, with no load key, flagged factory content;
//! - the user's presets are files in the folder the editor saves them in ([`store::user_dir`]),
//!   one preset per file, with no load key;
//! - the factory presets are also in the plugin (location kind "plugin", no path), one load key
//!   per preset: its name. Declared only when the factory folder cannot be written (a read-only
//!   home); always loaded, so a project that saved such a reference still loads its preset.
//!
//! Factory presets are files first because that is how hosts and their validators crawl best:
//! clap-validator 0.4.1 deadlocks on a location that describes two presets with load keys
//! (docs/PATCHES.md), and synths that ship many presets ship them as files.

use crate::presets::store::{self, StoreError};
use crate::presets::{Preset, factory, factory_files};
use crate::user_text::escape;
use clap_sys::factory::preset_discovery::{
    CLAP_PRESET_DISCOVERY_IS_FACTORY_CONTENT, CLAP_PRESET_DISCOVERY_IS_USER_CONTENT,
    CLAP_PRESET_DISCOVERY_LOCATION_FILE, CLAP_PRESET_DISCOVERY_LOCATION_PLUGIN,
    clap_preset_discovery_location_kind,
};
use std::ffi::{CStr, c_char};
use std::fmt;
use std::path::{Path, PathBuf};

/// Where a host says a preset is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Location {
    /// Inside the plugin: the factory presets.
    Factory,
    /// A file (or, while crawling, a folder) on disk.
    File(PathBuf),
}

/// Why a location or a preset could not be used; the text is for the host's user.
#[derive(Debug)]
pub enum LocationError {
    /// A location kind CLAP does not define, or a location that does not fit its kind.
    Invalid(String),
    /// No factory preset has this load key.
    UnknownFactoryPreset(String),
    /// The file could not be read as a preset.
    File(StoreError),
}

impl fmt::Display for LocationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LocationError::Invalid(why) => write!(f, "{why}"),
            LocationError::UnknownFactoryPreset(key) => {
                write!(f, "Quintet has no factory preset \"{}\"", escape(key))
            }
            LocationError::File(error) => write!(f, "{error}"),
        }
    }
}

impl Location {
    /// The location a host passed as `kind` and `location` (a C string, or null).
    ///
    /// # Safety
    ///
    /// `location` is null or points to a NUL-terminated string alive for the call.
    pub unsafe fn from_raw(
        kind: clap_preset_discovery_location_kind,
        location: *const c_char,
    ) -> Result<Self, LocationError> {
        // SAFETY: the caller promises null or a NUL-terminated string.
        let location = (!location.is_null()).then(|| unsafe { CStr::from_ptr(location) });
        match (kind, location) {
            (CLAP_PRESET_DISCOVERY_LOCATION_PLUGIN, None) => Ok(Location::Factory),
            (CLAP_PRESET_DISCOVERY_LOCATION_FILE, Some(path)) => {
                let path = path
                    .to_str()
                    .map_err(|_| LocationError::Invalid("a path that is not UTF-8".into()))?;
                Ok(Location::File(PathBuf::from(path)))
            }
            (CLAP_PRESET_DISCOVERY_LOCATION_PLUGIN, Some(_)) => Err(LocationError::Invalid(
                "a plugin location has no path".into(),
            )),
            (CLAP_PRESET_DISCOVERY_LOCATION_FILE, None) => Err(LocationError::Invalid(
                "a file location needs a path".into(),
            )),
            (kind, _) => Err(LocationError::Invalid(format!(
                "unknown location kind {kind}"
            ))),
        }
    }

    /// The preset at this location under `load_key`: a factory preset by its name, or the
    /// preset a file holds (a file holds one, so its key is ignored).
    pub fn preset(&self, load_key: Option<&str>) -> Result<Preset, LocationError> {
        match self {
            Location::Factory => {
                let key = load_key.unwrap_or_default();
                factory::find(key).ok_or_else(|| LocationError::UnknownFactoryPreset(key.into()))
            }
            Location::File(path) => store::load(path).map_err(LocationError::File),
        }
    }
}

/// The factory presets' load key: the preset's name, which stays its key whatever the list's
/// order.
pub fn factory_load_key(preset: &Preset) -> &str {
    &preset.name
}

/// The user's preset folder, if it exists: a host crawls it for files with the preset
/// extension ([`store::EXTENSION`]), and a declared folder that does not exist is an error to
/// it. It exists once the editor saved a preset there. Absolute, as hosts expect a location.
pub fn user_folder() -> Option<PathBuf> {
    store::user_dir()
        .filter(|dir| dir.is_dir())
        .and_then(|dir| std::path::absolute(dir).ok())
}

/// Where the discovery provider declares the factory presets.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FactoryPlace {
    /// Quintet's factory folder, up to date (absolute).
    Folder(PathBuf),
    /// Inside the plugin, under load keys: the folder could not be brought up to date.
    Plugin,
}

/// Brings the factory folder up to date ([`factory_files::sync`]) and says where the factory
/// presets are to be declared: the folder, or the plugin when the folder cannot be written
/// (logged, with why).
pub fn factory_place() -> FactoryPlace {
    match factory_files::sync().and_then(|dir| {
        std::path::absolute(&dir).map_err(|error| StoreError::Io { path: dir, error })
    }) {
        Ok(dir) => FactoryPlace::Folder(dir),
        Err(error) => {
            nice_plug::nice_warn!(
                "The factory presets could not be written as files ({error}): a host lists \
                 them from inside the plugin instead"
            );
            FactoryPlace::Plugin
        }
    }
}

/// Whether `path` is a file in Quintet's factory folder.
pub fn in_factory_folder(path: &Path) -> bool {
    let absolute = |path: &Path| std::path::absolute(path).ok();
    let folder = store::factory_dir().and_then(|dir| absolute(&dir));
    folder.is_some() && path.parent().and_then(absolute) == folder
}

/// The content flags of the preset in the file at `path`: factory content in Quintet's factory
/// folder, the user's anywhere else.
pub fn file_flags(path: &Path) -> u32 {
    if in_factory_folder(path) {
        CLAP_PRESET_DISCOVERY_IS_FACTORY_CONTENT
    } else {
        CLAP_PRESET_DISCOVERY_IS_USER_CONTENT
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::presets::PresetValue;
    use crate::presets::store::Existing;

    #[test]
    fn every_factory_preset_loads_by_its_key_and_an_unknown_key_is_refused() {
        for preset in factory::presets() {
            let loaded = Location::Factory.preset(Some(factory_load_key(&preset)));
            assert_eq!(loaded.unwrap(), preset);
        }
        assert!(matches!(
            Location::Factory.preset(Some("No Such Preset")),
            Err(LocationError::UnknownFactoryPreset(_))
        ));
        assert!(Location::Factory.preset(None).is_err());
    }

    #[test]
    fn a_location_must_fit_its_kind() {
        let path = c"/tmp/x.json";
        // SAFETY: null or a C string literal.
        let parse = |kind, location: *const c_char| unsafe { Location::from_raw(kind, location) };
        assert_eq!(
            parse(CLAP_PRESET_DISCOVERY_LOCATION_PLUGIN, std::ptr::null()).unwrap(),
            Location::Factory
        );
        assert_eq!(
            parse(CLAP_PRESET_DISCOVERY_LOCATION_FILE, path.as_ptr()).unwrap(),
            Location::File("/tmp/x.json".into())
        );
        assert!(parse(CLAP_PRESET_DISCOVERY_LOCATION_PLUGIN, path.as_ptr()).is_err());
        assert!(parse(CLAP_PRESET_DISCOVERY_LOCATION_FILE, std::ptr::null()).is_err());
        assert!(parse(7, std::ptr::null()).is_err());
    }

    #[test]
    fn a_user_preset_file_loads_from_its_path() {
        let dir = std::env::temp_dir().join(format!("quintet-locations-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let preset = Preset::new("Mine", &[("freq1", PresetValue::Number(123.0))]);
        let path = store::save_in(&dir, &preset, Existing::Refuse).unwrap();
        assert_eq!(Location::File(path).preset(None).unwrap(), preset);
        let missing = Location::File(dir.join("missing.json")).preset(None);
        assert!(matches!(missing, Err(LocationError::File(_))));
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
