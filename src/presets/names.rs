//! Preset names and the files they are kept in: one name, one file, and back.
//!
//! A file is named after its preset so a person finds it in the folder: letters (of any
//! script), digits, spaces and `-_()+` are kept as they are; any other character (a path
//! separator, a dot, `%`, a control character, punctuation) is written as `%` and the two hex
//! digits of each of its UTF-8 bytes, as in a URL, so "Pad: bright/warm" is kept in
//! `Pad%3A bright%2Fwarm.json` and "Pad? bright\warm" in `Pad%3F bright%5Cwarm.json`. A space
//! or `-` at the start and a space at the end are escaped too (a name never starts a file name
//! with `-` or `.` nor hides a space at its ends). Each character maps to its own text and `%`
//! only starts an escape, so two names never share a file. A name whose file name would be too
//! long is refused, never cut.
//!
//! Files saved under the earlier scheme (anything else became `_`, names cut to 64 characters)
//! still load: a preset's name is the one in its file, whatever the file is called.

use super::factory;
use crate::user_text::escape;
use std::fmt;
use std::fmt::Write;

/// Longest file name stem, in bytes: most file systems allow 255 bytes for a name, less the
/// `.json` after it and room for the hidden temporary a save writes beside it.
pub const MAX_STEM_BYTES: usize = 200;

/// Why a name cannot be a preset of yours.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NameError {
    /// Empty, or only white space.
    Empty,
    /// A factory preset's name (in any case): `render --preset NAME` must find one preset.
    Factory(String),
    /// The file name would take `bytes` bytes, more than [`MAX_STEM_BYTES`].
    TooLong { bytes: usize },
}

impl fmt::Display for NameError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Empty => write!(f, "a preset needs a name"),
            Self::Factory(name) => write!(
                f,
                "\"{}\" is a factory preset's name: give yours another",
                escape(name)
            ),
            Self::TooLong { bytes } => write!(
                f,
                "the name is too long for a file name ({bytes} bytes as a file name, at most \
                 {MAX_STEM_BYTES}; punctuation and accents take more): shorten it"
            ),
        }
    }
}

impl std::error::Error for NameError {}

/// Whether `name` can be a preset of yours (see [`NameError`]).
pub fn check(name: &str) -> Result<(), NameError> {
    if name.trim().is_empty() {
        return Err(NameError::Empty);
    }
    if let Some(factory) = factory::find(name) {
        return Err(NameError::Factory(factory.name));
    }
    let bytes = file_stem(name).len();
    if bytes > MAX_STEM_BYTES {
        return Err(NameError::TooLong { bytes });
    }
    Ok(())
}

/// The file name (without `.json`) of the preset called `name` (see the module documentation).
pub fn file_stem(name: &str) -> String {
    let last = name.chars().count().saturating_sub(1);
    let mut stem = String::with_capacity(name.len());
    for (k, c) in name.chars().enumerate() {
        let at_an_end = (k == 0 && matches!(c, ' ' | '-')) || (k == last && c == ' ');
        if !at_an_end && (c.is_alphanumeric() || matches!(c, ' ' | '-' | '_' | '(' | ')' | '+')) {
            stem.push(c);
        } else {
            for byte in c.encode_utf8(&mut [0; 4]).bytes() {
                write!(stem, "%{byte:02X}").expect("writing to a String cannot fail");
            }
        }
    }
    stem
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The name a stem was made from: each `%XX` back to its byte. Only a one-to-one mapping
    /// can be undone like this.
    fn name_of(stem: &str) -> String {
        let mut bytes = Vec::new();
        let mut rest = stem.as_bytes();
        while let Some((&first, after)) = rest.split_first() {
            if first == b'%' {
                let hex = std::str::from_utf8(&after[..2]).unwrap();
                bytes.push(u8::from_str_radix(hex, 16).unwrap());
                rest = &after[2..];
            } else {
                bytes.push(first);
                rest = after;
            }
        }
        String::from_utf8(bytes).unwrap()
    }

    const NAMES: [&str; 16] = [
        "Pad: bright/warm",
        "Pad? bright\\warm",
        "Pad_ bright_warm",
        "Bell (2)",
        "Glocke größer",
        "鐘",
        "../../etc/passwd",
        "/abs/olute",
        ".hidden",
        "-rf",
        " padded ",
        "100%",
        "100%25",
        "a\u{1b}[2J\0b\nc",
        "Ünïcödé 🎹",
        "a.b..c",
    ];

    #[test]
    fn every_name_has_its_own_file_and_the_file_gives_the_name_back() {
        let stems: Vec<String> = NAMES.iter().map(|name| file_stem(name)).collect();
        for (name, stem) in NAMES.iter().zip(&stems) {
            assert_eq!(name_of(stem), *name, "{stem}");
            assert!(
                !stem.contains(['/', '\\', '\0', '.', '\u{1b}', '\n', ':', '?']),
                "{stem}"
            );
            assert!(
                !stem.starts_with(['-', ' ']) && !stem.ends_with(' '),
                "{stem:?}"
            );
        }
        let mut distinct = stems.clone();
        distinct.sort();
        distinct.dedup();
        assert_eq!(distinct.len(), stems.len(), "{stems:?}");
        // Readable: what the old scheme kept, this one keeps.
        assert_eq!(file_stem("Pad: bright/warm"), "Pad%3A bright%2Fwarm");
        assert_eq!(file_stem("Bell (2)"), "Bell (2)");
        assert_eq!(file_stem("Glocke größer"), "Glocke größer");
    }

    #[test]
    fn empty_factory_and_too_long_names_are_refused() {
        assert_eq!(check(""), Err(NameError::Empty));
        assert_eq!(check(" \t "), Err(NameError::Empty));
        assert_eq!(
            check("church bell"),
            Err(NameError::Factory(String::from("Church Bell")))
        );
        assert_eq!(
            check(" Init "),
            Err(NameError::Factory(String::from("Init")))
        );
        assert!(check("Church Bell 2").is_ok());
        // 200 letters fit; 201 do not, nor 67 slashes (3 bytes each).
        assert!(check(&"a".repeat(MAX_STEM_BYTES)).is_ok());
        assert_eq!(
            check(&"a".repeat(MAX_STEM_BYTES + 1)),
            Err(NameError::TooLong { bytes: 201 })
        );
        assert_eq!(
            check(&"/".repeat(67)),
            Err(NameError::TooLong { bytes: 201 })
        );
        assert!(
            NameError::Factory(String::from("Init"))
                .to_string()
                .contains("factory")
        );
    }
}
