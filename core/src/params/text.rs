//! How continuous values read and are typed, by [`FloatText`]: the plugin shows these texts and
//! takes typed ones through them, and the `render` command parses its options with them, so
//! `--gain -6` means what typing "-6" into the host does.

use super::spec::FloatText;
use super::{frequency_text, gain_text};

/// The unit after the value, with its space.
pub(super) fn unit(text: FloatText) -> &'static str {
    match text {
        FloatText::Frequency => "",
        FloatText::Decibels => " dB",
        FloatText::Milliseconds { .. } => " ms",
        FloatText::Percent { .. } => " %",
        FloatText::Times => "",
        FloatText::DecibelsPerOctave => " dB/oct",
        FloatText::Number { unit, .. } => unit,
    }
}

/// `value` as shown, without the unit.
pub(super) fn float_to_text(text: FloatText, value: f32) -> String {
    match text {
        FloatText::Frequency => frequency_text::frequency_to_text(value),
        FloatText::Decibels => gain_text::gain_to_text(value),
        FloatText::Milliseconds { decimals } => rounded(value, decimals),
        // A pan a hair left of the centre reads "0", not "-0" (which would not read back).
        FloatText::Percent { decimals } => rounded(value * 100.0, decimals),
        FloatText::Times => format!("×{value:.2}"),
        FloatText::DecibelsPerOctave => rounded(value, 1),
        FloatText::Number { decimals, .. } => rounded(value, decimals),
    }
}

/// What typed `text` means, or `None`; never a non-finite value (a host would store a typed
/// "nan" as the parameter's position).
pub(super) fn text_to_float(how: FloatText, text: &str) -> Option<f32> {
    match how {
        FloatText::Frequency => frequency_text::text_to_frequency(text),
        FloatText::Decibels => gain_text::text_to_gain(text),
        FloatText::Milliseconds { .. } => {
            number(text.trim().trim_end_matches("ms").trim_end()).filter(|ms| ms.is_finite())
        }
        FloatText::Percent { .. } => number(text.trim().trim_end_matches('%').trim_end())
            .filter(|percent| percent.is_finite())
            .map(|percent| percent / 100.0),
        FloatText::Times => {
            let text = text.trim();
            let text = text
                .strip_prefix(['×', 'x', 'X', '*'])
                .or_else(|| text.strip_suffix(['×', 'x', 'X']))
                .unwrap_or(text);
            number(text.trim()).filter(|factor| factor.is_finite())
        }
        FloatText::DecibelsPerOctave => {
            let text = text.trim();
            let lower = text.to_ascii_lowercase();
            let number_end = ["db/oct", "db"]
                .iter()
                .find_map(|unit| lower.strip_suffix(unit).map(str::len))
                .unwrap_or(text.len());
            number(text[..number_end].trim_end()).filter(|db| db.is_finite())
        }
        FloatText::Number { unit, .. } => {
            let text = text.trim();
            let unit = unit.trim();
            let number_end = text
                .len()
                .checked_sub(unit.len())
                .filter(|&end| text.is_char_boundary(end))
                .filter(|&end| text[end..].eq_ignore_ascii_case(unit))
                .unwrap_or(text.len());
            number(text[..number_end].trim_end()).filter(|value| value.is_finite())
        }
    }
}

fn number(text: &str) -> Option<f32> {
    text.parse::<f32>().ok()
}

/// `value` with `decimals` decimals, never "-0.0".
fn rounded(value: f32, decimals: usize) -> String {
    let scale = 10f32.powi(decimals as i32);
    if (value * scale).round() / scale == 0.0 {
        format!("{:.decimals$}", 0.0)
    } else {
        format!("{value:.decimals$}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn milliseconds_and_percentages_read_and_parse() {
        let ms = FloatText::Milliseconds { decimals: 1 };
        assert_eq!(float_to_text(ms, 5.0), "5.0");
        assert_eq!(float_to_text(ms, -0.01), "0.0");
        assert_eq!(text_to_float(ms, "40 ms"), Some(40.0));
        assert_eq!(text_to_float(ms, " 40"), Some(40.0));
        assert_eq!(text_to_float(ms, "nan"), None);
        assert_eq!(text_to_float(ms, "inf ms"), None);
        let percent = FloatText::Percent { decimals: 1 };
        assert_eq!(float_to_text(percent, 0.5), "50.0");
        assert_eq!(text_to_float(percent, "50 %"), Some(0.5));
        assert_eq!(text_to_float(percent, "50%"), Some(0.5));
        assert_eq!(text_to_float(percent, "NaN"), None);
        // Issue 24: signed percentages (a pan) never read "-0".
        let whole = FloatText::Percent { decimals: 0 };
        assert_eq!(float_to_text(whole, -0.004), "0");
        assert_eq!(float_to_text(whole, -0.5), "-50");
    }

    #[test]
    fn factors_and_tilts_read_and_parse() {
        let times = FloatText::Times;
        assert_eq!(float_to_text(times, 0.5), "×0.50");
        assert_eq!(unit(times), "");
        for typed in ["×0.5", "x0.5", "0.5x", " 0.5 ", "*0.5", "0.5 ×"] {
            assert_eq!(text_to_float(times, typed), Some(0.5), "{typed}");
        }
        assert_eq!(text_to_float(times, "×"), None);
        assert_eq!(text_to_float(times, "inf"), None);
        let tilt = FloatText::DecibelsPerOctave;
        assert_eq!(float_to_text(tilt, -6.0), "-6.0");
        assert_eq!(float_to_text(tilt, -0.01), "0.0");
        assert_eq!(unit(tilt), " dB/oct");
        for typed in ["-6", "-6 dB/oct", "-6dB", "-6 db/OCT"] {
            assert_eq!(text_to_float(tilt, typed), Some(-6.0), "{typed}");
        }
        assert_eq!(text_to_float(tilt, "dB"), None);
    }
}
