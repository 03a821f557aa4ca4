//! How the output gain reads: "0.0", "-6.0", "-inf" (the parameter adds " dB").

use nice_plug::prelude::*;

/// Formats a linear gain in dB with one decimal. Anything that would read −100.0 dB or lower is
/// "-inf": the framework's parser treats −100 dB as silence, so showing "-100.0" would not
/// survive a text → value → text round trip.
pub fn gain_to_text(gain: f32) -> String {
    let tenths_db = (util::gain_to_db(gain) * 10.0).round();
    if gain < util::MINUS_INFINITY_GAIN || tenths_db <= util::MINUS_INFINITY_DB * 10.0 {
        String::from("-inf")
    } else if tenths_db == 0.0 {
        // Never "-0.0".
        String::from("0.0")
    } else {
        format!("{:.1}", tenths_db / 10.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_in_db_with_minus_infinity_at_the_bottom() {
        assert_eq!(gain_to_text(1.0), "0.0");
        assert_eq!(gain_to_text(0.999_999), "0.0");
        assert_eq!(gain_to_text(0.5), "-6.0");
        assert_eq!(gain_to_text(0.0), "-inf");
        assert_eq!(gain_to_text(util::db_to_gain(-99.96)), "-inf");
        assert_eq!(gain_to_text(util::db_to_gain(-99.9)), "-99.9");
    }
}
