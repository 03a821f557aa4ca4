//! Text a user or a file chose (preset names, file names, keys in a preset file), made safe to
//! print: every message that shows such text, in a terminal or in the editor, passes it through
//! [`escape`], so a name cannot move the cursor, recolour the terminal, end a line early or hide
//! behind a NUL.

use std::borrow::Cow;
use std::path::Path;

/// `text` with each control character (C0, DEL, C1: escape sequences, NUL, newlines, tabs) and
/// each bidirectional-formatting character (which can make text read in an order other than
/// the one it is in) written as a Rust-style escape: `\n`, `\t`, `\r`, `\0`, `\u{1b}`. Anything
/// else, `\` and quotes included, is kept, so an ordinary name reads as it was typed.
pub fn escape(text: &str) -> Cow<'_, str> {
    if !text.chars().any(needs_escape) {
        return Cow::Borrowed(text);
    }
    let mut escaped = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\n' => escaped.push_str("\\n"),
            '\t' => escaped.push_str("\\t"),
            '\r' => escaped.push_str("\\r"),
            '\0' => escaped.push_str("\\0"),
            c if needs_escape(c) => escaped.push_str(&format!("\\u{{{:x}}}", u32::from(c))),
            c => escaped.push(c),
        }
    }
    Cow::Owned(escaped)
}

/// `path` as a message shows it: lossy UTF-8, escaped as [`escape`] does.
pub fn escape_path(path: &Path) -> String {
    escape(&path.to_string_lossy()).into_owned()
}

/// Whether `c` must not reach a terminal as it is.
fn needs_escape(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_escaped_and_the_rest_kept() {
        assert_eq!(
            escape("Pad\u{1b}[2J\0\n\t\r\u{7f}\u{9b}"),
            "Pad\\u{1b}[2J\\0\\n\\t\\r\\u{7f}\\u{9b}"
        );
        assert_eq!(escape("a\u{202e}b"), "a\\u{202e}b");
        let ordinary = "Pad? bright\\warm \"ü\" 鐘";
        assert!(matches!(escape(ordinary), Cow::Borrowed(text) if text == ordinary));
    }
}
