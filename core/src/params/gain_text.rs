//! How a linear gain reads in dB ("0.0", "-6.0", "-inf"; the parameter adds " dB") and is typed.
//!
//! −100 dB is silence, as in nice-plug, whose parameters show these texts: src/params.rs's tests
//! check these conversions against the framework's.

/// dB at and below which a gain is silence.
pub const MINUS_INFINITY_DB: f32 = -100.0;
/// The gain of [`MINUS_INFINITY_DB`]: below it is silence.
pub const MINUS_INFINITY_GAIN: f32 = 1e-5;

/// A level in dB as a linear gain; 0 at and below [`MINUS_INFINITY_DB`].
pub fn db_to_gain(db: f32) -> f32 {
    if db > MINUS_INFINITY_DB {
        10f32.powf(db * 0.05)
    } else {
        0.0
    }
}

/// A linear gain in dB, no lower than [`MINUS_INFINITY_DB`].
pub fn gain_to_db(gain: f32) -> f32 {
    gain.max(MINUS_INFINITY_GAIN).log10() * 20.0
}

/// Formats a linear gain in dB with one decimal. Anything that would read −100.0 dB or lower is
/// "-inf": −100 dB is silence when parsed, so showing "-100.0" would not survive a text → value
/// → text round trip.
pub fn gain_to_text(gain: f32) -> String {
    let tenths_db = (gain_to_db(gain) * 10.0).round();
    if gain < MINUS_INFINITY_GAIN || tenths_db <= MINUS_INFINITY_DB * 10.0 {
        String::from("-inf")
    } else if tenths_db == 0.0 {
        // Never "-0.0".
        String::from("0.0")
    } else if tenths_db > 0.0 {
        // A gain above unity says so: "+6.0" (parsed back as typed).
        format!("+{:.1}", tenths_db / 10.0)
    } else {
        format!("{:.1}", tenths_db / 10.0)
    }
}

/// A gain as a range's end is written in dB, to a tenth, as it would be typed: "-inf", "0",
/// "+12", "-6.5".
pub fn gain_to_bound_text(gain: f32) -> String {
    let db = gain_to_db(gain);
    let tenths = (db * 10.0).round() / 10.0;
    if db <= MINUS_INFINITY_DB {
        String::from("-inf")
    } else if tenths > 0.0 {
        format!("+{tenths}")
    } else {
        // Never "-0".
        (tenths + 0.0).to_string()
    }
}

/// A typed level in dB ("-6", "-6 dB", "-6 dBFS", "-inf") as a linear gain, as nice-plug's dB
/// parser reads it; `None` for anything else, and never a non-finite gain (nice-plug's would
/// hand a host "1e39" as infinity) nor a "nan" (which nice-plug's reads as silence, and the
/// `render` command has always refused as no number).
pub fn text_to_gain(text: &str) -> Option<f32> {
    // The unit's letters and "-inf"'s last one go together.
    let number = text.trim_end_matches([' ', 'd', 'D', 'b', 'B', 'f', 'F', 's', 'S']);
    if number.eq_ignore_ascii_case("-in") {
        return Some(0.0);
    }
    number
        .parse::<f32>()
        .ok()
        .filter(|db| !db.is_nan())
        .map(db_to_gain)
        .filter(|gain| gain.is_finite())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_in_db_with_minus_infinity_at_the_bottom() {
        assert_eq!(gain_to_text(1.0), "0.0");
        assert_eq!(gain_to_text(0.999_999), "0.0");
        assert_eq!(gain_to_text(0.5), "-6.0");
        assert_eq!(gain_to_text(2.0), "+6.0");
        assert_eq!(gain_to_text(db_to_gain(12.0)), "+12.0");
        assert_eq!(gain_to_bound_text(db_to_gain(12.0)), "+12");
        assert_eq!(gain_to_bound_text(1.0), "0");
        assert_eq!(gain_to_bound_text(0.0), "-inf");
        assert_eq!(gain_to_text(0.0), "-inf");
        assert_eq!(gain_to_text(db_to_gain(-99.96)), "-inf");
        assert_eq!(gain_to_text(db_to_gain(-99.9)), "-99.9");
    }

    #[test]
    fn typed_levels_parse() {
        assert_eq!(text_to_gain("0"), Some(1.0));
        assert_eq!(text_to_gain("-inf"), Some(0.0));
        assert_eq!(text_to_gain("+6.0"), Some(db_to_gain(6.0)));
        assert_eq!(text_to_gain("-inf dB"), Some(0.0));
        assert!((text_to_gain("-6 dB").unwrap() - 0.501).abs() < 1e-3);
        assert_eq!(text_to_gain("-200"), Some(0.0));
        assert!((text_to_gain("-6 dBFS").unwrap() - 0.501).abs() < 1e-3);
        for junk in ["", "inf", "1e39", "loud", "nan", "NaN dB"] {
            assert_eq!(text_to_gain(junk), None, "{junk:?}");
        }
    }
}
