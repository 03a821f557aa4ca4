//! The lines of a Scala file as text, each with its number, and the error every Scala parse
//! reports: the file, the line and the reason.
//!
//! Scala files are plain text, mostly ASCII; older ones write their descriptions in Latin-1.
//! A line that is not UTF-8 is read as Latin-1 (every byte is a character), so such a file
//! loads with its accents intact. Control characters are refused: a file holding them is
//! binary, not a Scala file, and the line it fails on says so.

use std::borrow::Cow;
use std::fmt;

/// Which of the two Scala files an error is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TuningFile {
    /// The scale (`.scl`).
    Scale,
    /// The keyboard mapping (`.kbm`).
    KeyboardMap,
}

impl fmt::Display for TuningFile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Scale => "scale",
            Self::KeyboardMap => "keyboard map",
        })
    }
}

/// Why a Scala file was refused: the file, the line (counted from 1) and the reason, for a
/// person to read ("scale, line 3: …").
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TuningError {
    pub file: TuningFile,
    /// The line the reason is about, counted from 1.
    pub line: usize,
    pub reason: String,
}

impl fmt::Display for TuningError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}, line {}: {}", self.file, self.line, self.reason)
    }
}

impl std::error::Error for TuningError {}

/// One line of a Scala file: its number (from 1) and its text, trimmed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Line<'a> {
    pub number: usize,
    pub text: Cow<'a, str>,
}

impl Line<'_> {
    /// The line's first word: the value; Scala ignores whatever follows it.
    pub fn value(&self) -> &str {
        self.text.split_whitespace().next().unwrap_or("")
    }
}

/// The lines of `bytes` that carry something: comments (`!` first) are left out, and blank
/// lines too unless `keep_blank` says which (the scale's description may be empty).
pub(crate) struct Lines<'a> {
    file: TuningFile,
    rest: Option<&'a [u8]>,
    number: usize,
}

impl<'a> Lines<'a> {
    pub fn new(file: TuningFile, bytes: &'a [u8]) -> Self {
        let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
        Self {
            file,
            rest: (!bytes.is_empty()).then_some(bytes),
            number: 0,
        }
    }

    /// An error about line `line` of this file.
    pub fn error(&self, line: usize, reason: impl Into<String>) -> TuningError {
        TuningError {
            file: self.file,
            line,
            reason: reason.into(),
        }
    }

    /// The number of the last line read (the line an error about a missing line names).
    pub fn last_line(&self) -> usize {
        self.number.max(1)
    }

    /// The next line that is no comment (and, unless `blank_too`, not blank); `None` at the
    /// end of the file.
    pub fn next_line(&mut self, blank_too: bool) -> Result<Option<Line<'a>>, TuningError> {
        while let Some(rest) = self.rest {
            let (raw, after) = match rest.iter().position(|&b| b == b'\n') {
                Some(end) => (&rest[..end], Some(&rest[end + 1..])),
                None => (rest, None),
            };
            self.rest = after.filter(|after| !after.is_empty());
            self.number += 1;
            let raw = raw.strip_suffix(b"\r").unwrap_or(raw);
            let text = decode(raw).map_err(|reason| self.error(self.number, reason))?;
            let trimmed = text.trim();
            if trimmed.starts_with('!') || (trimmed.is_empty() && !blank_too) {
                continue;
            }
            let text = match text {
                Cow::Borrowed(text) => Cow::Borrowed(text.trim()),
                Cow::Owned(text) => Cow::Owned(text.trim().to_owned()),
            };
            return Ok(Some(Line {
                number: self.number,
                text,
            }));
        }
        Ok(None)
    }
}

/// One line's bytes as text: UTF-8, or else Latin-1; refused if it holds a control character.
fn decode(raw: &[u8]) -> Result<Cow<'_, str>, String> {
    if let Some(&byte) = raw.iter().find(|&&b| b < b' ' && b != b'\t' || b == 0x7F) {
        return Err(format!(
            "binary data (the control character 0x{byte:02X}): not a Scala text file"
        ));
    }
    Ok(match std::str::from_utf8(raw) {
        Ok(text) => Cow::Borrowed(text),
        Err(_) => Cow::Owned(raw.iter().map(|&b| char::from(b)).collect()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all(text: &[u8]) -> Vec<(usize, String)> {
        let mut lines = Lines::new(TuningFile::Scale, text);
        let mut out = Vec::new();
        while let Some(line) = lines.next_line(false).unwrap() {
            out.push((line.number, line.text.into_owned()));
        }
        out
    }

    #[test]
    fn comments_and_blank_lines_are_skipped_and_lines_keep_their_numbers() {
        let text = b"! a comment\r\n  first  \n\n   ! indented comment\nsecond";
        assert_eq!(
            all(text),
            [(2, "first".to_owned()), (5, "second".to_owned())]
        );
    }

    #[test]
    fn latin1_text_is_read_and_control_characters_are_refused() {
        assert_eq!(all(b"caf\xE9"), [(1, "caf\u{e9}".to_owned())]);
        let mut lines = Lines::new(TuningFile::Scale, b"ok\n\x00\x01junk");
        assert!(lines.next_line(false).unwrap().is_some());
        let error = lines.next_line(false).unwrap_err();
        assert_eq!(error.line, 2);
        assert!(error.reason.contains("binary"), "{error}");
    }
}
