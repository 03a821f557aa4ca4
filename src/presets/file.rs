//! The user preset file: small, readable JSON that a person can open and edit.
//!
//! ```json
//! {
//!   "format": "quintet-preset",
//!   "version": 1,
//!   "name": "Glass Bell",
//!   "params": { "freq1": 220.0, "midi": true, "voices": 8 }
//! }
//! ```
//!
//! Reading refuses, with a message saying why, anything that is not such a file: damaged JSON,
//! another program's file, a newer format, a key given twice, a parameter it does not know or of
//! the wrong kind.
//! A refused file changes nothing.

use super::unique_keys;
use super::{Preset, PresetValue};
use crate::params::Param;
use crate::user_text::escape;
use quintet_core::params::Kind;
use serde_json::{Map, Value};
use std::fmt;

/// What the `format` field of every Quintet preset says.
const FORMAT: &str = "quintet-preset";

/// The preset format this Quintet writes and the newest it reads.
pub const VERSION: u64 = 1;

/// Largest preset file read, in bytes (see [`crate::limits::MAX_PRESET_FILE_BYTES`]).
pub use crate::limits::MAX_PRESET_FILE_BYTES as MAX_FILE_BYTES;

/// Why a preset file was refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PresetError {
    TooLarge(usize),
    Damaged(String),
    Foreign,
    Newer(u64),
    UnknownParameter(String),
    /// A key appears twice in one object (its path, e.g. `params.freq1`): which value is meant
    /// cannot be told, so none is taken.
    RepeatedKey(String),
    WrongKind {
        id: String,
        expected: &'static str,
    },
}

impl fmt::Display for PresetError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PresetError::TooLarge(bytes) => write!(
                f,
                "{bytes} bytes is far too large for a preset (at most {MAX_FILE_BYTES})"
            ),
            PresetError::Damaged(why) => write!(f, "damaged preset file: {why}"),
            PresetError::Foreign => write!(
                f,
                "not a Quintet preset (no \"format\": \"{FORMAT}\" in it)"
            ),
            PresetError::Newer(version) => write!(
                f,
                "made by a newer Quintet (preset format {version}; this one reads up to {VERSION})"
            ),
            PresetError::UnknownParameter(id) => {
                write!(f, "Quintet has no parameter \"{}\"", escape(id))
            }
            PresetError::RepeatedKey(key) => write!(
                f,
                "\"{}\" is there twice: which value is meant cannot be told",
                escape(key)
            ),
            PresetError::WrongKind { id, expected } => {
                write!(f, "\"{}\" should be {expected}", escape(id))
            }
        }
    }
}

impl std::error::Error for PresetError {}

/// The preset in `bytes` (a preset file's contents).
pub fn read(bytes: &[u8]) -> Result<Preset, PresetError> {
    if bytes.len() > MAX_FILE_BYTES {
        return Err(PresetError::TooLarge(bytes.len()));
    }
    let (root, repeated) =
        unique_keys::parse(bytes).map_err(|e| PresetError::Damaged(e.to_string()))?;
    if let Some(key) = repeated {
        return Err(PresetError::RepeatedKey(key));
    }
    let Some(root) = root.as_object() else {
        return Err(PresetError::Foreign);
    };
    if root.get("format").and_then(Value::as_str) != Some(FORMAT) {
        return Err(PresetError::Foreign);
    }
    match root.get("version").and_then(Value::as_u64) {
        Some(version) if version > VERSION => return Err(PresetError::Newer(version)),
        Some(_) => {}
        None => return Err(PresetError::Damaged(String::from("no format version"))),
    }
    let name = root
        .get("name")
        .and_then(Value::as_str)
        .ok_or_else(|| PresetError::Damaged(String::from("no name")))?;
    let params = root
        .get("params")
        .and_then(Value::as_object)
        .ok_or_else(|| PresetError::Damaged(String::from("no \"params\" object")))?;
    let mut preset = Preset::new(name, &[]);
    for (id, value) in params {
        let param = Param::from_id(id).ok_or_else(|| PresetError::UnknownParameter(id.clone()))?;
        let wrong = |expected| PresetError::WrongKind {
            id: id.clone(),
            expected,
        };
        let value = match param.spec().kind {
            Kind::Float { .. } => value
                .as_f64()
                .filter(|v| v.is_finite())
                .map(|v| PresetValue::Number(v as f32))
                .ok_or_else(|| wrong("a number"))?,
            Kind::Int { .. } => value
                .as_i64()
                .map(|v| {
                    PresetValue::Count(v.clamp(i64::from(i32::MIN), i64::from(i32::MAX)) as i32)
                })
                .ok_or_else(|| wrong("a whole number"))?,
            Kind::Switch => value
                .as_bool()
                .map(PresetValue::Switch)
                .ok_or_else(|| wrong("true or false"))?,
        };
        preset.values.insert(id.clone(), value);
    }
    Ok(preset)
}

/// `preset` as the text of a preset file.
pub fn write(preset: &Preset) -> String {
    let params: Map<String, Value> = preset
        .values
        .iter()
        .map(|(id, value)| {
            let value = match *value {
                PresetValue::Number(v) => Value::from(f64::from(v)),
                PresetValue::Count(v) => Value::from(v),
                PresetValue::Switch(v) => Value::from(v),
            };
            (id.clone(), value)
        })
        .collect();
    let mut root = Map::new();
    root.insert(String::from("format"), Value::from(FORMAT));
    root.insert(String::from("version"), Value::from(VERSION));
    root.insert(String::from("name"), Value::from(preset.name.as_str()));
    root.insert(String::from("params"), Value::Object(params));
    let mut text =
        serde_json::to_string_pretty(&Value::Object(root)).expect("a JSON value always serializes");
    text.push('\n');
    text
}
