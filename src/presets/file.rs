//! The user preset file: small, readable JSON that a person can open and edit.
//!
//! ```json
//! {
//!   "format": "quintet-preset",
//!   "version": 2,
//!   "name": "Glass Bell",
//!   "params": { "freq1": 220.0, "midi": true, "voices": 8 },
//!   "tuning": { "name": "bp", "scale": "! bp.scl\n...", "map": null }
//! }
//! ```
//!
//! `tuning` (format 3, issue 25) is optional: the scale's and keyboard map's text
//! ([`crate::tuning::saved`]); a preset without one plays 12-TET. A preset with a tuning is
//! written as format 3, so a Quintet from before tunings refuses it ("made by a newer Quintet")
//! rather than playing it out of tune; one without is written as format 2, which every Quintet
//! since issue 23 reads. Formats 1 and 2 have no tuning: they read as before, in 12-TET.
//!
//! Reading refuses, with a message saying why, anything that is not such a file: damaged JSON,
//! another program's file, a newer format, a key given twice, a parameter it does not know or of
//! the wrong kind.
//! A refused file changes nothing.
//!
//! The format version also names the level law the gain was saved under: format 1 files are
//! from the 1/Voices law (before issue 23), and their gain is carried over on reading so the
//! preset plays as loud as it did ([`LevelLaw::carry_gain`]); format 2 is today's law.

use super::unique_keys;
use super::{Preset, PresetValue};
use crate::params::Param;
use crate::tuning::saved;
use crate::user_text::escape;
use quintet_core::params::{Kind, LevelLaw};
use serde_json::{Map, Value};
use std::fmt;
use std::sync::Arc;

/// What the `format` field of every Quintet preset says.
const FORMAT: &str = "quintet-preset";

/// The newest preset format this Quintet reads, and writes for a preset with a tuning: 3 since
/// tunings (issue 25), 2 since the fixed voice level (issue 23), 1 before.
pub const VERSION: u64 = 3;

/// The format written for a preset in 12-TET: the oldest that holds everything it has.
const VERSION_WITHOUT_TUNING: u64 = 2;

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
    /// Its tuning cannot be played: why (the file, line and reason).
    Tuning(String),
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
            PresetError::Tuning(why) => write!(f, "its tuning is refused: {}", escape(why)),
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
    let version = match root.get("version").and_then(Value::as_u64) {
        Some(version) if version > VERSION => return Err(PresetError::Newer(version)),
        Some(version) => version,
        None => return Err(PresetError::Damaged(String::from("no format version"))),
    };
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
    preset.tuning = match root.get("tuning") {
        None | Some(Value::Null) => None,
        Some(tuning) => Some(Arc::new(
            saved::from_json(tuning).map_err(PresetError::Tuning)?,
        )),
    };
    carry_gain(&mut preset, level_law_of(version));
    Ok(preset)
}

/// The level law a preset file of format `version` was saved under.
fn level_law_of(version: u64) -> LevelLaw {
    if version < 2 {
        LevelLaw::OneOverVoices
    } else {
        LevelLaw::FixedVoiceLevel
    }
}

/// Gives `preset`, saved under `law`, the gain that plays as loud under the current law, for the
/// MIDI mode and voice count loading it sets (its own, or the defaults where it names none).
fn carry_gain(preset: &mut Preset, law: LevelLaw) {
    if law == LevelLaw::CURRENT {
        return;
    }
    let values = preset.values();
    let midi = values.get(Param::MIDI) >= 0.5;
    let voices = values.get(Param::VOICES) as u32;
    let gain = match preset.values.get(Param::GAIN.spec().id) {
        Some(PresetValue::Number(gain)) => f64::from(*gain),
        _ => f64::from(Param::GAIN.spec().default),
    };
    let carried = law.carry_gain(gain, midi, voices) as f32;
    preset.values.insert(
        Param::GAIN.spec().id.to_owned(),
        PresetValue::Number(carried),
    );
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
    let tuning = preset.tuning.as_deref().and_then(saved::to_json);
    let version = if tuning.is_some() {
        VERSION
    } else {
        VERSION_WITHOUT_TUNING
    };
    root.insert(String::from("version"), Value::from(version));
    root.insert(String::from("name"), Value::from(preset.name.as_str()));
    root.insert(String::from("params"), Value::Object(params));
    if let Some(tuning) = tuning {
        root.insert(String::from("tuning"), tuning);
    }
    let mut text =
        serde_json::to_string_pretty(&Value::Object(root)).expect("a JSON value always serializes");
    text.push('\n');
    text
}
