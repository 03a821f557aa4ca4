//! Tunings: what frequency each MIDI key plays.
//!
//! - [`Scale`] and [`KeyboardMap`] parse Scala's `.scl` and `.kbm` files; every malformed file
//!   is refused with a [`TuningError`] naming the file, the line and the reason.
//! - [`KeyTable`] is the frequency of every key under a scale and map, worked out in f64 when
//!   the tuning loads; the engine plays by it (12-TET by default, bit-identical to
//!   [`key_to_hz`](crate::engine::pitch::key_to_hz)).
//! - [`Tuning`] keeps a loaded tuning together: its name, the files' text (what the plugin
//!   state and presets store, so a project reopens in tune without the files), the parsed
//!   scale and its table.
//!
//! Reading the files is the caller's job (the plugin reads with a size cap, refusing FIFOs and
//! devices): this module only ever sees bytes.

#[cfg(test)]
pub(crate) mod fixtures;
mod kbm;
mod lines;
mod scl;
mod table;

pub use kbm::KeyboardMap;
pub use lines::{TuningError, TuningFile};
pub use scl::{MAX_DEGREES, Scale};
pub use table::{KEY_COUNT, KeyTable};

/// Most bytes a `.scl` or `.kbm` file may hold: room for [`MAX_DEGREES`] pitches with long
/// comments; a larger file is refused while it is read.
pub const MAX_FILE_BYTES: usize = 256 * 1024;

/// The name the default tuning shows.
pub const EQUAL_TEMPERAMENT_NAME: &str = "12-TET";

/// A loaded tuning (see the module documentation).
#[derive(Clone, Debug, PartialEq)]
pub struct Tuning {
    name: String,
    scale_text: String,
    map_text: Option<String>,
    scale: Scale,
    table: KeyTable,
}

impl Default for Tuning {
    /// 12-TET with A4 at 440 Hz, no file.
    fn default() -> Self {
        Self {
            name: EQUAL_TEMPERAMENT_NAME.to_owned(),
            scale_text: String::new(),
            map_text: None,
            scale: Scale::equal(12, 2.0, "12-tone equal temperament, A4 = 440 Hz"),
            table: KeyTable::default(),
        }
    }
}

impl Tuning {
    /// The tuning of a scale file's bytes and, if given, a keyboard map's, shown as `name`.
    /// Nothing is kept if either is refused.
    pub fn from_files(name: &str, scale: &[u8], map: Option<&[u8]>) -> Result<Self, TuningError> {
        let parsed = Scale::parse(scale)?;
        let parsed_map = map.map(KeyboardMap::parse).transpose()?;
        let table = KeyTable::new(&parsed, parsed_map.as_ref())?;
        Ok(Self {
            name: name.to_owned(),
            scale_text: text_of(scale),
            map_text: map.map(text_of),
            scale: parsed,
            table,
        })
    }

    /// Whether this is the default, 12-TET with no file.
    pub fn is_default(&self) -> bool {
        self.table.is_equal_temperament()
    }

    /// The name shown for it (the scale file's name, or "12-TET").
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The scale's description line.
    pub fn description(&self) -> &str {
        self.scale.description()
    }

    /// The scale file's text (empty for the default).
    pub fn scale_text(&self) -> &str {
        &self.scale_text
    }

    /// The keyboard map's text, if one was loaded.
    pub fn map_text(&self) -> Option<&str> {
        self.map_text.as_deref()
    }

    /// The scale.
    pub fn scale(&self) -> &Scale {
        &self.scale
    }

    /// Every key's frequency.
    pub fn table(&self) -> &KeyTable {
        &self.table
    }
}

/// A Scala file's bytes as text to store: UTF-8 as it is, anything else read as Latin-1
/// (parsing the stored text gives the same tuning: the parser reads lines the same way).
fn text_of(bytes: &[u8]) -> String {
    match std::str::from_utf8(bytes) {
        Ok(text) => text.to_owned(),
        Err(_) => bytes.iter().map(|&b| char::from(b)).collect(),
    }
}
