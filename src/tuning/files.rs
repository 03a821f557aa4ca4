//! Reading Scala files a person names: capped while reading, never blocking on a FIFO or a
//! device ([`crate::file_read`]), parsed in full before anything changes.

use super::{Tuning, TuningError};
use crate::file_read::{self, Limit, ReadError};
use crate::user_text::escape_path;
use quintet_core::tuning::MAX_FILE_BYTES;
use std::fmt;
use std::path::Path;

const SCALE_LIMIT: Limit = Limit {
    what: "a scale file",
    max_bytes: MAX_FILE_BYTES,
};
const MAP_LIMIT: Limit = Limit {
    what: "a keyboard map",
    max_bytes: MAX_FILE_BYTES,
};

/// Why a tuning was not loaded: a file that could not be read, or one that was refused.
#[derive(Debug)]
pub enum LoadError {
    /// The file at `path` (shown escaped) was not read.
    Read { path: String, error: ReadError },
    /// It was read and refused: the file, its line, the reason.
    Refused { path: String, error: TuningError },
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Read { path, error } => write!(f, "{path}: {error}"),
            Self::Refused { path, error } => {
                write!(f, "{path}, line {}: {}", error.line, error.reason)
            }
        }
    }
}

impl std::error::Error for LoadError {}

/// The tuning of the scale at `scale` and, if given, the keyboard map at `map`, named after
/// the scale file. Nothing is kept if either is refused.
pub fn load(scale: &Path, map: Option<&Path>) -> Result<Tuning, LoadError> {
    let shown = |path: &Path| escape_path(path);
    let read = |path: &Path, limit| {
        file_read::read(path, limit).map_err(|error| LoadError::Read {
            path: shown(path),
            error,
        })
    };
    let scale_bytes = read(scale, SCALE_LIMIT)?;
    let map_bytes = map.map(|map| read(map, MAP_LIMIT)).transpose()?;
    let name = scale
        .file_stem()
        .map(|stem| stem.to_string_lossy().into_owned())
        .unwrap_or_default();
    Tuning::from_files(&name, &scale_bytes, map_bytes.as_deref()).map_err(|error| {
        let path = match error.file {
            quintet_core::tuning::TuningFile::Scale => scale,
            quintet_core::tuning::TuningFile::KeyboardMap => map.unwrap_or(scale),
        };
        LoadError::Refused {
            path: shown(path),
            error,
        }
    })
}
