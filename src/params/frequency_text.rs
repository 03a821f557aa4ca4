//! How a partial's frequency reads and is typed: "250 Hz", "1.20 kHz"; "440", "1.2k", "A4".
//!
//! The text shows the value to the parameter's 0.1 Hz step, so what the host displays is what
//! plays, and value → text → value → text always returns the same text.

use nice_plug::prelude::*;

/// Resolution of a frequency parameter, in Hz. Values snap to it, so a host setting "250 Hz"
/// through its normalized 0–1 position plays 250 Hz exactly instead of 249.99998 Hz. It is
/// coarse enough that the `f32` normalized value a host stores (0.006 Hz apart at 20 kHz on
/// the skewed range) always lands back on the same step.
pub const FREQUENCY_STEP_HZ: f32 = 0.1;

/// Formats a frequency: Hz below 1 kHz with only the decimal it needs ("250 Hz", "440.5 Hz"),
/// kHz from 1 kHz with at least two decimals ("1.20 kHz", "1.2345 kHz").
pub fn frequency_to_text(frequency_hz: f32) -> String {
    let tenths = (f64::from(frequency_hz) * 10.0).round() as i64;
    if tenths < 10_000 {
        let decimals = if tenths % 10 == 0 { 0 } else { 1 };
        format!("{:.*} Hz", decimals, tenths as f64 / 10.0)
    } else {
        // Four decimals of kHz are the 0.1 Hz step; drop trailing zeros beyond the second.
        let mut digits = format!("{:.4}", tenths as f64 / 10_000.0);
        while digits.len() > digits.find('.').map_or(0, |dot| dot + 3) && digits.ends_with('0') {
            digits.pop();
        }
        format!("{digits} kHz")
    }
}

/// Parses a typed frequency: a number in Hz with an optional unit ("440", "440 Hz", "1.2k",
/// "1.2 kHz", any case), or a note name ("A4", "C#3", "Bb2"; A4 = 440 Hz). `None` for anything
/// else, including non-finite numbers.
pub fn text_to_frequency(text: &str) -> Option<f32> {
    // Every way of reading the text can overflow ("1e38 kHz", the note "E200"), so finiteness
    // is checked once, on the result, rather than in each branch.
    parse_frequency(text).filter(|hz| hz.is_finite())
}

/// The frequency `text` names, in Hz, possibly infinite.
fn parse_frequency(text: &str) -> Option<f32> {
    let compact: String = text
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_ascii_lowercase();
    let (number, multiplier) = [("khz", 1000.0), ("hz", 1.0), ("k", 1000.0)]
        .iter()
        .find_map(|(unit, multiplier)| compact.strip_suffix(unit).map(|n| (n, *multiplier)))
        .unwrap_or((compact.as_str(), 1.0));
    match number.parse::<f32>() {
        Ok(value) => Some(value * multiplier),
        Err(_) => note_to_frequency(text.trim()),
    }
}

fn note_to_frequency(text: &str) -> Option<f32> {
    // Note names are ASCII, and nice-plug's key parser slices the text at byte 1 or 2: a typed
    // non-ASCII character would panic inside it and take the host down.
    if !text.is_ascii() {
        return None;
    }
    let key = formatters::s2v_i32_key_formatter()(text)?;
    Some(util::f32_midi_key_to_freq(key as f32))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_that_overflows_is_refused() {
        // Found by tests/clap_host/fuzz_text.rs: the note E in octave 200 is beyond f32.
        for text in [
            "e200", "E200", "C#300", "1e38 kHz", "3e38k", "inf", "-inf Hz", "NaN",
        ] {
            assert_eq!(text_to_frequency(text), None, "{text:?}");
        }
        assert_eq!(text_to_frequency("1e3"), Some(1000.0));
    }

    #[test]
    fn shows_hz_then_khz_with_the_decimals_the_value_needs() {
        assert_eq!(frequency_to_text(250.0), "250 Hz");
        assert_eq!(frequency_to_text(440.5), "440.5 Hz");
        assert_eq!(frequency_to_text(20.1), "20.1 Hz");
        assert_eq!(frequency_to_text(999.96), "1.00 kHz");
        assert_eq!(frequency_to_text(1200.0), "1.20 kHz");
        assert_eq!(frequency_to_text(1234.5), "1.2345 kHz");
        assert_eq!(frequency_to_text(20_000.0), "20.00 kHz");
    }

    #[test]
    fn accepts_what_people_type() {
        for (text, hz) in [
            ("440", 440.0),
            ("440 Hz", 440.0),
            ("440hz", 440.0),
            ("1.2k", 1200.0),
            ("1.2 kHz", 1200.0),
            ("1.2KHZ", 1200.0),
            (" 250.5 Hz ", 250.5),
            ("A4", 440.0),
            ("A3", 220.0),
        ] {
            let parsed = text_to_frequency(text).unwrap_or_else(|| panic!("{text:?} rejected"));
            assert!((parsed - hz).abs() < 1e-3, "{text:?} -> {parsed}");
        }
        for junk in ["", "Hz", "abc", "NaN", "inf", "1.2.3 kHz", "--4"] {
            assert_eq!(text_to_frequency(junk), None, "{junk:?} accepted");
        }
    }

    #[test]
    fn text_round_trips_across_the_whole_range() {
        let mut hz = 20.0f32;
        while hz <= 20_000.0 {
            let text = frequency_to_text(hz);
            let back = text_to_frequency(&text).unwrap();
            assert_eq!(frequency_to_text(back), text, "{hz} Hz");
            hz *= 1.0137;
        }
    }
}
