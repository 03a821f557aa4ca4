//! Where user presets live: one file per preset in the user's data folder
//! (`$XDG_DATA_HOME/quintet/presets`, else `~/.local/share/quintet/presets`), named after the
//! preset, one name to one file ([`names`]). Beside it is Quintet's own folder of the factory
//! presets as files, for CLAP hosts ([`factory_dir`], [`super::factory_files`]).

use super::Preset;
use super::file::{self, PresetError};
use super::names::{self, NameError, file_stem};
use crate::file_read::{self, Limit, ReadError};
use crate::output_file::{self, OutputError};
use crate::user_text::{escape, escape_path};
use std::fmt;
use std::path::{Path, PathBuf};

/// Overrides the preset folder (tests, portable set-ups).
pub const DIR_ENV: &str = "QUINTET_PRESET_DIR";

/// The file name extension of a preset file.
pub const EXTENSION: &str = "json";

/// The user preset folder, if one can be found (`None` without `$HOME` or a data folder).
pub fn user_dir() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os(DIR_ENV).filter(|d| !d.is_empty()) {
        return Some(PathBuf::from(dir));
    }
    let data = std::env::var_os("XDG_DATA_HOME")
        .map(PathBuf::from)
        .filter(|d| d.is_absolute())
        .or_else(|| {
            std::env::var_os("HOME")
                .filter(|h| !h.is_empty())
                .map(|home| PathBuf::from(home).join(".local/share"))
        })?;
    Some(data.join("quintet").join("presets"))
}

/// What the factory folder's name puts before the user folder's: `presets` gives
/// `factory-presets`.
const FACTORY_DIR_PREFIX: &str = "factory-";

/// Quintet's folder of the factory presets as files ([`super::factory_files`]): beside the
/// user preset folder, named after it with [`FACTORY_DIR_PREFIX`] before
/// (`$XDG_DATA_HOME/quintet/factory-presets` by default). Derived from the user folder, so
/// whatever moves that ([`DIR_ENV`]: tests, portable set-ups) moves this too, and the two are
/// never one folder nor one inside the other. `None` without a user folder, or when the user
/// folder has no name (`/`).
pub fn factory_dir() -> Option<PathBuf> {
    let user = user_dir()?;
    let mut name = std::ffi::OsString::from(FACTORY_DIR_PREFIX);
    name.push(user.file_name()?);
    Some(user.with_file_name(name))
}

/// What a save does when you already have a preset of the name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Existing {
    /// Saves nothing: [`StoreError::Taken`] (the editor then asks).
    Refuse,
    /// Replaces it, in its file (the user asked for it).
    Replace,
}

/// Why a preset could not be read or written.
#[derive(Debug)]
pub enum StoreError {
    NoFolder,
    Io {
        path: PathBuf,
        error: std::io::Error,
    },
    Refused {
        path: PathBuf,
        error: PresetError,
    },
    /// A save refused or failed by [`output_file`] (the file there is left as it was).
    Output(OutputError),
    /// The file could not be read: not a regular file, too large, or an I/O error.
    Read {
        path: PathBuf,
        error: ReadError,
    },
    /// The name cannot be a preset of yours.
    Name(NameError),
    /// You have a preset of this name already, in `path`, and replacing it was not asked for.
    Taken {
        name: String,
        path: PathBuf,
    },
    /// The file the name maps to exists and is not your preset of that name (another file, a
    /// refused one): it is never replaced.
    Occupied {
        path: PathBuf,
    },
}

impl fmt::Display for StoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StoreError::NoFolder => write!(
                f,
                "no folder for presets: set XDG_DATA_HOME, HOME or {DIR_ENV}"
            ),
            StoreError::Io { path, error } => write!(f, "{}: {error}", escape_path(path)),
            StoreError::Refused { path, error } => write!(f, "{}: {error}", escape_path(path)),
            StoreError::Read { path, error } => write!(f, "{}: {error}", escape_path(path)),
            StoreError::Name(error) => write!(f, "{error}"),
            StoreError::Taken { name, path } => write!(
                f,
                "you have a preset called \"{}\" already ({}): replace it or choose another name",
                escape(name),
                escape_path(path)
            ),
            StoreError::Occupied { path } => write!(
                f,
                "{} is there already and is not this preset: choose another name",
                escape_path(path)
            ),
            StoreError::Output(error) => write!(f, "{error}"),
        }
    }
}

impl std::error::Error for StoreError {}

/// Saves `preset` in `dir` under a file named after it, and returns its path; a preset of
/// yours of the same name is replaced only when `existing` says so. Written as every Quintet file
/// is ([`output_file`]): a failed save leaves the old file whole, a temporary is never followed
/// through a planted symlink.
pub fn save_in(dir: &Path, preset: &Preset, existing: Existing) -> Result<PathBuf, StoreError> {
    names::check(&preset.name).map_err(StoreError::Name)?;
    let path = target_in(dir, &preset.name, existing)?;
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |error| StoreError::Io { path, error }
    };
    std::fs::create_dir_all(dir).map_err(io(dir))?;
    let options = output_file::Options::default();
    output_file::write(&path, file::write(preset).as_bytes(), &options)
        .map_err(StoreError::Output)?;
    Ok(path)
}

/// The file `name` is saved in: the file of your preset of that name (whatever the file is
/// called: an earlier Quintet named files otherwise), when `existing` allows replacing it;
/// else a new file named after it, which must not exist yet.
fn target_in(dir: &Path, name: &str, existing: Existing) -> Result<PathBuf, StoreError> {
    let (yours, _) = list_in(dir);
    if let Some((path, _)) = yours.into_iter().find(|(_, preset)| preset.name == name) {
        return match existing {
            Existing::Replace => Ok(path),
            Existing::Refuse => Err(StoreError::Taken {
                name: name.to_owned(),
                path,
            }),
        };
    }
    let path = dir.join(format!("{}.{EXTENSION}", file_stem(name)));
    // Whatever is there (a refused file, a folder, a link) is not this preset.
    if std::fs::symlink_metadata(&path).is_ok() {
        return Err(StoreError::Occupied { path });
    }
    Ok(path)
}

/// How much of a preset file is read: a preset of every parameter is under 2 KiB.
const READ_LIMIT: Limit = Limit {
    what: "a preset file",
    max_bytes: file::MAX_FILE_BYTES,
};

/// Reads the preset file at `path` (a regular file, or a link to one: anything else is
/// refused without blocking, see [`file_read`]).
pub fn load(path: &Path) -> Result<Preset, StoreError> {
    let bytes = file_read::read(path, READ_LIMIT).map_err(|error| StoreError::Read {
        path: path.to_path_buf(),
        error,
    })?;
    file::read(&bytes).map_err(|error| StoreError::Refused {
        path: path.to_path_buf(),
        error,
    })
}

/// Every readable preset in `dir`, sorted by name; the files refused, with why.
pub fn list_in(dir: &Path) -> (Vec<(PathBuf, Preset)>, Vec<StoreError>) {
    let mut presets = Vec::new();
    let mut refused = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return (presets, refused);
    };
    for path in entries.filter_map(Result::ok).map(|e| e.path()) {
        let visible = path
            .file_name()
            .is_some_and(|n| !n.to_string_lossy().starts_with('.'));
        if visible && path.extension().is_some_and(|e| e == EXTENSION) {
            match load(&path) {
                Ok(preset) => presets.push((path, preset)),
                // A FIFO, a device, a folder that happens to end in `.json`: not a preset file,
                // and never opened long enough to block or read without end.
                Err(StoreError::Read {
                    error: ReadError::NotRegular(_),
                    ..
                }) => {}
                Err(error) => refused.push(error),
            }
        }
    }
    presets.sort_by_key(|(_, preset)| preset.name.to_lowercase());
    (presets, refused)
}

/// Every readable preset in the user preset folder.
pub fn list() -> (Vec<(PathBuf, Preset)>, Vec<StoreError>) {
    user_dir().map_or_else(|| (Vec::new(), Vec::new()), |dir| list_in(&dir))
}
