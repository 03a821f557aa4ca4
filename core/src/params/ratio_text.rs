//! How a partial reads and is typed in MIDI mode, where it is a ratio to partial 1: "×1.25",
//! "+386.3c"; typed as "×2", "x2", "2", "3:2", "7/4", "+386c", "-100c" or the harmonic "h7".
//!
//! In MIDI mode a note puts partial 1 on its key and every other partial at the ratio of its
//! frequency setting to partial 1's (the engine's `partials_for`), so the ratio is what a
//! musician sets there; the frequency parameters still hold Hz (the drone's pitches), and a
//! typed ratio becomes partial 1's Hz × the ratio ([`frequency_for_ratio`]).

use super::frequency_text::{FREQUENCY_STEP_HZ, frequency_to_text};
use super::registry::FREQUENCY_RANGE;
use std::fmt;

/// Significant digits a ratio shows: "×1.3082", "×0.27775", "×12.5": as close as the 0.01 Hz
/// grid sets a ratio near the middle of the range, and a shown ratio typed back lands within
/// 0.005 % (under a cent) of where it was.
const RATIO_DIGITS: i32 = 5;
/// Most decimals a ratio shows, for the smallest (×0.001: 20 Hz over 20 kHz).
const MAX_RATIO_DECIMALS: i32 = 6;
/// Cents in an octave.
const CENTS_PER_OCTAVE: f64 = 1200.0;
/// The forms a ratio is typed in, for the messages.
const FORMS: &str = "×2, 3:2, 7/4, +386c or h7";

/// `ratio` as shown: "×" and five significant digits, without trailing zeros ("×1.25", "×2",
/// "×0.1", "×1.3082", "×0.27775").
pub fn ratio_to_text(ratio: f64) -> String {
    let magnitude = if ratio > 0.0 {
        ratio.log10().floor() as i32
    } else {
        0
    };
    let decimals = (RATIO_DIGITS - 1 - magnitude).clamp(0, MAX_RATIO_DECIMALS) as usize;
    let digits = format!("{ratio:.decimals$}");
    let digits = if digits.contains('.') {
        digits.trim_end_matches('0').trim_end_matches('.')
    } else {
        &digits
    };
    format!("×{digits}")
}

/// `ratio` in cents with its sign and one decimal, without a trailing ".0": "+386.3c",
/// "-100c", "+1200c", "+0c".
pub fn ratio_to_cents_text(ratio: f64) -> String {
    let tenths = (CENTS_PER_OCTAVE * ratio.log2() * 10.0).round();
    // No "-0c": a hair below unison reads as unison.
    let cents = if tenths == 0.0 { 0.0 } else { tenths / 10.0 };
    let digits = format!("{cents:+.1}");
    format!("{}c", digits.trim_end_matches(".0"))
}

/// The ratio of `frequency_hz` to partial 1's `reference_hz`.
pub fn ratio_of(frequency_hz: f32, reference_hz: f32) -> f64 {
    f64::from(frequency_hz) / f64::from(reference_hz)
}

/// Why a typed text is not a ratio; its `Display` is the sentence the editor shows.
#[derive(Clone, Debug, PartialEq)]
pub enum RatioError {
    /// Nothing typed.
    Empty,
    /// Not any of the forms.
    NotARatio(String),
    /// "3:0", "1/0".
    DividesByZero(String),
    /// "-2", "0", "-2:3".
    NotAboveZero(String),
    /// "nan", "inf", "1e400".
    NotFinite(String),
    /// "h0", "h2.5".
    NotAHarmonic(String),
}

impl fmt::Display for RatioError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Empty => write!(f, "type a ratio to partial 1: {FORMS}"),
            Self::NotARatio(text) => write!(f, "not a ratio: “{text}” (type {FORMS})"),
            Self::DividesByZero(text) => write!(f, "“{text}” divides by zero"),
            Self::NotAboveZero(text) => {
                write!(
                    f,
                    "“{text}” is not above zero: a ratio multiplies partial 1"
                )
            }
            Self::NotFinite(text) => write!(f, "“{text}” is not a finite number"),
            Self::NotAHarmonic(text) => {
                write!(f, "“{text}” is not a harmonic: type h1, h2, h3…")
            }
        }
    }
}

impl std::error::Error for RatioError {}

/// The ratio typed `text` means: a number with an optional "×", "x" or "*" before it ("×2",
/// "x1.5", "2"), a fraction ("3:2", "7/4"), cents with their sign ("+386c", "-100c", "386.3
/// cents"), or a harmonic number ("h7" = ×7). Spaces and case do not matter. Always finite and
/// above zero.
pub fn text_to_ratio(text: &str) -> Result<f64, RatioError> {
    let typed = text.trim();
    let compact: String = typed
        .chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_lowercase)
        .collect();
    if compact.is_empty() {
        return Err(RatioError::Empty);
    }
    let not_a_ratio = || RatioError::NotARatio(typed.to_owned());
    let number = |digits: &str| digits.parse::<f64>().map_err(|_| not_a_ratio());
    let ratio = if let Some(harmonic) = compact.strip_prefix('h') {
        match harmonic.parse::<u32>() {
            Ok(n) if n >= 1 => f64::from(n),
            _ if harmonic.parse::<f64>().is_ok() => {
                return Err(RatioError::NotAHarmonic(typed.to_owned()));
            }
            _ => return Err(not_a_ratio()),
        }
    } else if let Some(cents) = ["cents", "cent", "ct", "c"]
        .iter()
        .find_map(|unit| compact.strip_suffix(unit))
    {
        let cents = number(cents)?;
        if !cents.is_finite() {
            return Err(RatioError::NotFinite(typed.to_owned()));
        }
        (cents / CENTS_PER_OCTAVE).exp2()
    } else {
        let body = ['×', 'x', '*']
            .iter()
            .find_map(|sign| compact.strip_prefix(*sign))
            .unwrap_or(&compact);
        match body.split_once([':', '/']) {
            Some((over, under)) => {
                let (over, under) = (number(over)?, number(under)?);
                if under == 0.0 {
                    return Err(RatioError::DividesByZero(typed.to_owned()));
                }
                over / under
            }
            None => number(body)?,
        }
    };
    if !ratio.is_finite() {
        Err(RatioError::NotFinite(typed.to_owned()))
    } else if ratio <= 0.0 {
        Err(RatioError::NotAboveZero(typed.to_owned()))
    } else {
        Ok(ratio)
    }
}

/// A ratio whose frequency is outside the partials' range: what it would have been and the
/// nearest frequency the range holds.
#[derive(Clone, Debug, PartialEq)]
pub struct OutOfReach {
    /// The ratio asked for.
    pub ratio: f64,
    /// Partial 1's frequency, Hz.
    pub reference_hz: f32,
    /// The range's end nearest the ratio's frequency, Hz: what the partial is set to.
    pub nearest_hz: f32,
}

impl fmt::Display for OutOfReach {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let wanted_hz = self.ratio * f64::from(self.reference_hz);
        let side = if f64::from(self.nearest_hz) < wanted_hz {
            "above"
        } else {
            "below"
        };
        write!(
            f,
            "{} of partial 1's {} is {side} the {} – {} range: set to {} ({})",
            ratio_to_text(self.ratio),
            frequency_to_text(self.reference_hz),
            frequency_to_text(FREQUENCY_RANGE.min),
            frequency_to_text(FREQUENCY_RANGE.max),
            ratio_to_text(ratio_of(self.nearest_hz, self.reference_hz)),
            frequency_to_text(self.nearest_hz),
        )
    }
}

/// The frequency setting, Hz, that plays `ratio` to partial 1 at `reference_hz`: on the 0.01 Hz
/// grid, or, when the range cannot hold it, [`OutOfReach`] with its nearest end.
pub fn frequency_for_ratio(ratio: f64, reference_hz: f32) -> Result<f32, OutOfReach> {
    let range = FREQUENCY_RANGE;
    let hz = ratio * f64::from(reference_hz);
    // Half a step past an end still rounds onto it.
    let margin = f64::from(FREQUENCY_STEP_HZ) / 2.0;
    if hz.is_finite()
        && (f64::from(range.min) - margin..f64::from(range.max) + margin).contains(&hz)
    {
        Ok(range.snap_to_step(hz as f32, FREQUENCY_STEP_HZ))
    } else {
        let nearest_hz = if hz < f64::from(range.min) {
            range.min
        } else {
            range.max
        };
        Err(OutOfReach {
            ratio,
            reference_hz,
            nearest_hz,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_form_a_ratio_is_typed_in() {
        for (text, ratio) in [
            ("×2", 2.0),
            ("x2", 2.0),
            ("X2", 2.0),
            ("*2", 2.0),
            ("2", 2.0),
            (" 1.25 ", 1.25),
            ("× 1.5", 1.5),
            ("3:2", 1.5),
            ("7/4", 1.75),
            ("×7/4", 1.75),
            ("1 : 3", 1.0 / 3.0),
            ("0.5", 0.5),
            ("h1", 1.0),
            ("h7", 7.0),
            ("H12", 12.0),
            ("+1200c", 2.0),
            ("1200c", 2.0),
            ("-1200c", 0.5),
            ("+0c", 1.0),
            ("-1200 cents", 0.5),
            ("700 ct", 2f64.powf(7.0 / 12.0)),
            ("+386.3137c", 1.25),
        ] {
            let parsed = text_to_ratio(text).unwrap_or_else(|e| panic!("{text:?}: {e}"));
            assert!((parsed - ratio).abs() < 1e-7, "{text:?}: {parsed}");
        }
        // "-100c" is a semitone down.
        let semitone_down = text_to_ratio("-100c").unwrap();
        assert!((semitone_down - 2f64.powf(-1.0 / 12.0)).abs() < 1e-12);
    }

    #[test]
    fn bad_input_says_why() {
        let cases = [
            ("", RatioError::Empty),
            ("   ", RatioError::Empty),
            ("abc", RatioError::NotARatio("abc".into())),
            ("440 Hz", RatioError::NotARatio("440 Hz".into())),
            ("x", RatioError::NotARatio("x".into())),
            ("3:", RatioError::NotARatio("3:".into())),
            ("1:2:3", RatioError::NotARatio("1:2:3".into())),
            ("h", RatioError::NotARatio("h".into())),
            ("c", RatioError::NotARatio("c".into())),
            ("3:0", RatioError::DividesByZero("3:0".into())),
            ("1/0", RatioError::DividesByZero("1/0".into())),
            ("-2", RatioError::NotAboveZero("-2".into())),
            ("0", RatioError::NotAboveZero("0".into())),
            ("0:3", RatioError::NotAboveZero("0:3".into())),
            ("-3:2", RatioError::NotAboveZero("-3:2".into())),
            ("NaN", RatioError::NotFinite("NaN".into())),
            ("inf", RatioError::NotFinite("inf".into())),
            ("nan:2", RatioError::NotFinite("nan:2".into())),
            ("1e400", RatioError::NotFinite("1e400".into())),
            ("nanc", RatioError::NotFinite("nanc".into())),
            // Cents far enough up overflow.
            ("1e9c", RatioError::NotFinite("1e9c".into())),
            ("h0", RatioError::NotAHarmonic("h0".into())),
            ("h2.5", RatioError::NotAHarmonic("h2.5".into())),
            ("h-3", RatioError::NotAHarmonic("h-3".into())),
        ];
        for (text, error) in cases {
            assert_eq!(text_to_ratio(text), Err(error), "{text:?}");
        }
        assert_eq!(
            RatioError::NotARatio("abc".into()).to_string(),
            "not a ratio: “abc” (type ×2, 3:2, 7/4, +386c or h7)"
        );
        assert_eq!(
            RatioError::DividesByZero("3:0".into()).to_string(),
            "“3:0” divides by zero"
        );
        assert_eq!(
            RatioError::NotAboveZero("-2".into()).to_string(),
            "“-2” is not above zero: a ratio multiplies partial 1"
        );
        assert_eq!(
            RatioError::NotFinite("NaN".into()).to_string(),
            "“NaN” is not a finite number"
        );
    }

    #[test]
    fn ratios_and_cents_read_as_musicians_write_them() {
        for (ratio, text, cents) in [
            (1.0, "×1", "+0c"),
            (1.25, "×1.25", "+386.3c"),
            (1.5, "×1.5", "+702c"),
            (2.0, "×2", "+1200c"),
            (0.5, "×0.5", "-1200c"),
            (2f64.powf(-1.0 / 12.0), "×0.94387", "-100c"),
            (261.64 / 200.0, "×1.3082", "+465.1c"),
            (55.55 / 200.0, "×0.27775", "-2217.8c"),
            (12.5, "×12.5", "+4372.6c"),
            (100.0, "×100", "+7972.6c"),
            (0.001, "×0.001", "-11958.9c"),
            (1.000_001, "×1", "+0c"),
            (0.999_999, "×1", "+0c"),
        ] {
            assert_eq!(ratio_to_text(ratio), text, "{ratio}");
            assert_eq!(ratio_to_cents_text(ratio), cents, "{ratio}");
        }
    }

    #[test]
    fn a_shown_ratio_typed_back_sets_the_same_frequency() {
        for reference_hz in [20.0, 200.0, 261.63, 1000.0] {
            for hz in [20.0f32, 55.55, 250.0, 392.44, 1234.56, 19_999.99] {
                let shown = ratio_to_text(ratio_of(hz, reference_hz));
                let ratio = text_to_ratio(&shown).unwrap();
                // At the range's ends the rounded ratio may fall just outside: the end it is.
                let back = frequency_for_ratio(ratio, reference_hz)
                    .unwrap_or_else(|out_of_reach| out_of_reach.nearest_hz);
                // Five digits of the ratio are within a step or 0.005 % of where it was.
                assert!(
                    (back - hz).abs() <= (hz * 5e-5).max(1.01 * FREQUENCY_STEP_HZ),
                    "{reference_hz} {hz} {shown} {back}"
                );
            }
        }
    }

    #[test]
    fn a_ratio_sets_partial_1_times_it_on_the_grid() {
        assert_eq!(frequency_for_ratio(1.25, 200.0), Ok(250.0));
        let on_grid = |hz: f32| FREQUENCY_RANGE.snap_to_step(hz, FREQUENCY_STEP_HZ);
        assert_eq!(frequency_for_ratio(1.5, 261.63), Ok(on_grid(392.45)));
        assert_eq!(frequency_for_ratio(7.0 / 4.0, 200.0), Ok(350.0));
        assert_eq!(frequency_for_ratio(100.0, 200.0), Ok(20_000.0));
        assert_eq!(frequency_for_ratio(0.1, 200.0), Ok(20.0));
    }

    #[test]
    fn a_ratio_out_of_reach_goes_to_the_nearest_end_and_says_so() {
        let high = frequency_for_ratio(200.0, 200.0).unwrap_err();
        assert_eq!(high.nearest_hz, 20_000.0);
        assert_eq!(
            high.to_string(),
            "×200 of partial 1's 200 Hz is above the 20 Hz – 20.00 kHz range: \
             set to ×100 (20.00 kHz)"
        );
        let low = frequency_for_ratio(0.5, 20.0).unwrap_err();
        assert_eq!(low.nearest_hz, 20.0);
        assert_eq!(
            low.to_string(),
            "×0.5 of partial 1's 20 Hz is below the 20 Hz – 20.00 kHz range: set to ×1 (20 Hz)"
        );
        let huge = frequency_for_ratio(f64::MAX, 20_000.0).unwrap_err();
        assert_eq!(huge.nearest_hz, 20_000.0);
    }
}
