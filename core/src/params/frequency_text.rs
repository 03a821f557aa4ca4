//! How a partial's frequency reads and is typed: "250 Hz", "20.01 Hz", "1.20 kHz",
//! "1.23456 kHz"; "440", "1.2k", "A4", "Bb2".
//!
//! Frequencies move in steps of [`FREQUENCY_STEP_HZ`], and the text shows every digit of the step
//! that is not a trailing zero, so what the host displays is what plays: the text parses back to
//! exactly the parameter's value, and value → text → value → text always returns the same text.

/// Resolution of a frequency parameter, in Hz: 0.87 cent at 20 Hz, the bottom of the range, and
/// finer everywhere above it (0.017 cent at 1 kHz), so no pitch a musician can hear is out of
/// reach. Values snap to it, so a host setting "250 Hz" through its normalized 0–1 position plays
/// 250 Hz exactly instead of 249.99998 Hz.
///
/// A parameter value is an `f32` on nice-plug's grid: `k` steps, `k × 0.01` rounded to `f32`,
/// which can differ from the decimal the text shows by up to 0.001 Hz near 20 kHz (0.0001 cent).
/// [`text_to_frequency`] returns the grid value, so a shown or typed text names the very `f32`
/// that plays.
pub const FREQUENCY_STEP_HZ: f32 = 0.01;

use super::registry::FREQUENCY_RANGE;

/// Hundredths of a hertz in a kilohertz: from here on the text is in kHz.
const HUNDREDTHS_PER_KHZ: i64 = 100_000;

/// How far from a typed value [`value_that_lands_on`] looks for one whose normalized position
/// plays it, in `f32` steps. One is enough on x86-64; the rest allow for another `powf`.
const MAX_NUDGE_ULPS: usize = 8;

/// Formats a frequency to the 0.01 Hz step: Hz below 1 kHz with only the decimals it needs
/// ("250 Hz", "440.5 Hz", "20.01 Hz"), kHz from 1 kHz with at least two decimals and up to the
/// five the step needs ("1.20 kHz", "1.2345 kHz", "19.99999 kHz").
pub fn frequency_to_text(frequency_hz: f32) -> String {
    let hundredths = (f64::from(frequency_hz) * 100.0).round() as i64;
    if hundredths < HUNDREDTHS_PER_KHZ {
        let digits = format!("{:.2}", hundredths as f64 / 100.0);
        let digits = digits.trim_end_matches('0').trim_end_matches('.');
        format!("{digits} Hz")
    } else {
        let mut digits = format!("{:.5}", hundredths as f64 / HUNDREDTHS_PER_KHZ as f64);
        // Keep two decimals, as "1.20 kHz" always read: drop only the trailing zeros after them.
        let shortest = digits.find('.').map_or(digits.len(), |dot| dot + 3);
        while digits.len() > shortest && digits.ends_with('0') {
            digits.pop();
        }
        format!("{digits} kHz")
    }
}

/// Parses a typed frequency: a number in Hz with an optional unit ("440", "440 Hz", "1.2k",
/// "1.2 kHz", any case), or a note name ("A4", "C#3", "Bb2", "Eb-1"; A4 = 440 Hz). A value in the
/// parameters' range comes back on their 0.01 Hz grid, as the value that plays (a note between
/// two steps to the nearest, at most 0.43 cent away); one outside it comes back as typed, for the
/// host to clamp or the caller to refuse. `None` for anything else, including non-finite numbers.
pub fn text_to_frequency(text: &str) -> Option<f32> {
    // Every way of reading the text can overflow ("1e38 kHz", the note "E200"), so finiteness
    // is checked once, on the result, rather than in each branch.
    let hz = parse_frequency(text).filter(|hz| hz.is_finite())?;
    let range = FREQUENCY_RANGE;
    Some(if (range.min..=range.max).contains(&hz) {
        range.snap_to_step(hz, FREQUENCY_STEP_HZ)
    } else {
        hz
    })
}

/// What a frequency parameter hands nice-plug for the typed `hz`, so that the host, setting the
/// normalized position nice-plug derives from it, plays `hz`.
///
/// nice-plug turns a typed value into a normalized `f32` through the skew's `powf`, and the host's
/// position back into a value the same way, snapped to the step. Above 16 kHz an `f32` holds
/// 0.002 Hz and one normalized step is 0.006 Hz, so for 709 of the two million steps the position
/// nearest the value snaps to the neighbouring step; a neighbouring `f32` of the value has a
/// position that lands. Returns `hz` itself whenever its own position lands (or none does).
pub fn value_that_lands_on(hz: f32) -> f32 {
    let range = FREQUENCY_RANGE;
    let lands = |value: &f32| {
        range.snap_to_step(
            range.unnormalize(range.normalize(*value)),
            FREQUENCY_STEP_HZ,
        ) == hz
    };
    let above = std::iter::successors(Some(hz), |value| Some(value.next_up()));
    let below = std::iter::successors(Some(hz), |value| Some(value.next_down()));
    above
        .zip(below)
        .take(MAX_NUDGE_ULPS + 1)
        .flat_map(|(up, down)| [up, down])
        .find(lands)
        .unwrap_or(hz)
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
        Err(_) => note_to_frequency(&compact),
    }
}

/// Semitones above C of each note letter, C to B.
const LETTER_SEMITONES: [(char, i64); 7] = [
    ('c', 0),
    ('d', 2),
    ('e', 4),
    ('f', 5),
    ('g', 7),
    ('a', 9),
    ('b', 11),
];

/// A note name, lower case and without spaces: a letter, an optional sharp ('#', '♯') or flat
/// ('b', '♭'), and an octave, negative allowed ("c#4", "bb2", "eb-1"; C4 is middle C, MIDI
/// note 60), in equal temperament with A4 at 440 Hz.
fn note_to_frequency(note: &str) -> Option<f32> {
    let mut chars = note.chars();
    let letter = chars.next()?;
    let (_, semitone) = LETTER_SEMITONES.iter().find(|(name, _)| *name == letter)?;
    let rest = chars.as_str();
    let (accidental, octave) = match rest.chars().next()? {
        sharp @ ('#' | '♯') => (1, &rest[sharp.len_utf8()..]),
        flat @ ('b' | '♭') => (-1, &rest[flat.len_utf8()..]),
        _ => (0, rest),
    };
    // Digits only after an optional minus: "+4", "4.5" or "4e1" are not octaves.
    let digits = octave.strip_prefix('-').unwrap_or(octave);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let octave: i64 = octave.parse().ok()?;
    let midi_note = octave
        .checked_add(1)?
        .checked_mul(12)?
        .checked_add(semitone + accidental)?;
    // Far-off octaves give 0 or infinity, which `text_to_frequency` refuses.
    Some((440.0 * ((midi_note as f64 - 69.0) / 12.0).exp2()) as f32)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::limits::{MAX_FREQUENCY_HZ, MIN_FREQUENCY_HZ};
    use crate::params::FloatRange;

    /// A frequency parameter as a host sees it: positions 0 ..= 1 that play values on the
    /// step's grid (what nice-plug does with the registry's range: src/params.rs checks the
    /// plugin's parameters map positions to the same values).
    struct HostParam(FloatRange);

    impl HostParam {
        fn new() -> Self {
            Self(FREQUENCY_RANGE)
        }

        fn preview_normalized(&self, hz: f32) -> f32 {
            self.0.normalize(hz)
        }

        fn preview_plain(&self, normalized: f32) -> f32 {
            self.0
                .snap_to_step(self.0.unnormalize(normalized), FREQUENCY_STEP_HZ)
        }

        /// The position a host sets for typed `text`: the value the plugin hands over for it.
        fn string_to_normalized_value(&self, text: &str) -> Option<f32> {
            text_to_frequency(text)
                .map(value_that_lands_on)
                .map(|hz| self.0.normalize(hz))
        }
    }

    /// The distance from `low` up to `high`, in cents.
    fn cents(low: f32, high: f32) -> f64 {
        1200.0 * (f64::from(high) / f64::from(low)).log2()
    }

    /// What a host plays after the user types `text` into a frequency parameter: nice-plug's
    /// normalized position for it, set and turned back into a value.
    fn typed_into_the_host(param: &HostParam, text: &str) -> f32 {
        let normalized = param
            .string_to_normalized_value(text)
            .unwrap_or_else(|| panic!("{text:?} is rejected"));
        param.preview_plain(normalized)
    }

    /// The value a host position plays reads as a text that names exactly that value, typed or
    /// parsed.
    fn assert_shown_is_played(param: &HostParam, normalized: f32) -> f32 {
        let played = param.preview_plain(normalized);
        let text = frequency_to_text(played);
        assert_eq!(
            text_to_frequency(&text),
            Some(played),
            "{normalized}: {text}"
        );
        assert_eq!(
            typed_into_the_host(param, &text),
            played,
            "{normalized}: {text}"
        );
        played
    }

    /// Issue 12, item 8: at the bottom, middle and top of the range, every position a host can
    /// set plays a value the text shows exactly, and neighbouring values are at most a cent apart.
    #[test]
    fn a_host_reaches_every_cent_at_20_hz_1_khz_and_20_khz() {
        let param = &HostParam::new();
        for centre_hz in [MIN_FREQUENCY_HZ, 1000.0, MAX_FREQUENCY_HZ] {
            // 200 steps on either side, inside the range.
            let low = (centre_hz - 2.0).max(MIN_FREQUENCY_HZ);
            let high = (centre_hz + 2.0).min(MAX_FREQUENCY_HZ);
            let (from, to) = (
                param.preview_normalized(low),
                param.preview_normalized(high),
            );
            // Positions much closer together than the step, so no value between is skipped.
            let positions = 4000;
            let mut played: Vec<f32> = (0..=positions)
                .map(|k| from + (to - from) * k as f32 / positions as f32)
                .map(|normalized| assert_shown_is_played(param, normalized))
                .collect();
            played.dedup();
            assert_eq!(played.first(), Some(&low), "{centre_hz} Hz");
            assert_eq!(played.last(), Some(&high), "{centre_hz} Hz");
            // Every step between: none is skipped.
            let steps = ((high - low) / FREQUENCY_STEP_HZ).round() as usize;
            assert_eq!(played.len(), steps + 1, "{centre_hz} Hz");
            for pair in played.windows(2) {
                assert!(
                    cents(pair[0], pair[1]) <= 1.0,
                    "{} Hz to {} Hz is {} cents",
                    pair[0],
                    pair[1],
                    cents(pair[0], pair[1])
                );
            }
        }
        // The coarsest spot: one step above 20 Hz is 0.87 cent.
        assert!(cents(20.0, 20.01) < 1.0);
    }

    /// At the top of the range one normalized `f32` step is 0.006 Hz: walking the positions one by
    /// one never skips a 0.01 Hz step, and each shows what it plays.
    #[test]
    fn every_position_near_20_khz_plays_what_it_shows() {
        let param = &HostParam::new();
        let mut normalized = 1.0f32;
        let mut previous = assert_shown_is_played(param, normalized);
        for _ in 0..20_000 {
            normalized = normalized.next_down();
            let played = assert_shown_is_played(param, normalized);
            let step = previous - played;
            assert!(step == 0.0 || step < 1.5 * FREQUENCY_STEP_HZ, "{played} Hz");
            previous = played;
        }
        assert!(previous < 19_900.0, "{previous}");
    }

    /// Every one of the two million 0.01 Hz steps from 20 Hz to 20 kHz, typed as it is shown,
    /// plays exactly that value through the host's normalized position (709 of them need
    /// [`value_that_lands_on`]).
    #[test]
    fn every_step_of_the_range_can_be_typed() {
        let param = &HostParam::new();
        let steps = ((MAX_FREQUENCY_HZ - MIN_FREQUENCY_HZ) / FREQUENCY_STEP_HZ).round() as u32;
        let mut failures = Vec::new();
        for k in 0..=steps {
            let text = frequency_to_text(MIN_FREQUENCY_HZ + k as f32 * FREQUENCY_STEP_HZ);
            let value = text_to_frequency(&text).unwrap();
            if frequency_to_text(value) != text || typed_into_the_host(param, &text) != value {
                failures.push(text);
            }
        }
        assert!(
            failures.is_empty(),
            "{} fail: {:?}",
            failures.len(),
            &failures[..5.min(failures.len())]
        );
    }

    #[test]
    fn text_that_overflows_is_refused() {
        // Found by tests/clap_host/fuzz_text.rs: the note E in octave 200 is beyond f32.
        for text in [
            "e200", "E200", "C#300", "Bb999", "1e38 kHz", "3e38k", "inf", "-inf Hz", "NaN",
        ] {
            assert_eq!(text_to_frequency(text), None, "{text:?}");
        }
        assert_eq!(text_to_frequency("1e3"), Some(1000.0));
    }

    #[test]
    fn shows_hz_then_khz_with_every_digit_of_the_step() {
        for (hz, text) in [
            (20.0, "20 Hz"),
            (20.01, "20.01 Hz"),
            (20.1, "20.1 Hz"),
            (250.0, "250 Hz"),
            (440.5, "440.5 Hz"),
            (440.25, "440.25 Hz"),
            (999.99, "999.99 Hz"),
            (999.996, "1.00 kHz"),
            (1000.01, "1.00001 kHz"),
            (1200.0, "1.20 kHz"),
            (1234.5, "1.2345 kHz"),
            (1234.56, "1.23456 kHz"),
            (16_384.82, "16.38482 kHz"),
            (19_999.99, "19.99999 kHz"),
            (20_000.0, "20.00 kHz"),
        ] {
            assert_eq!(frequency_to_text(hz), text, "{hz}");
        }
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
            ("20.01", 20.01),
            ("A4", 440.0),
            ("a4", 440.0),
            ("A 4", 440.0),
            ("A3", 220.0),
            ("A#3", 233.08),
            ("C4", 261.63),
            ("C#4", 277.18),
            // Flats, the same keys as their sharps.
            ("Bb2", 116.54),
            ("bb2", 116.54),
            ("B♭2", 116.54),
            ("Db4", 277.18),
            ("Eb3", 155.56),
            ("Ab4", 415.3),
            ("Gb5", 739.99),
            // Across the octave line: C♭4 is B3, B♯3 is C4.
            ("Cb4", 246.94),
            ("B#3", 261.63),
            ("B2", 123.47),
            ("C8", 4186.01),
            ("E0", 20.6),
        ] {
            let parsed = text_to_frequency(text).unwrap_or_else(|| panic!("{text:?} rejected"));
            assert_eq!(frequency_to_text(parsed), frequency_to_text(hz), "{text:?}");
        }
        // Notes are equal-tempered from A4 = 440 Hz, to the nearest step.
        let c4 = text_to_frequency("C4").unwrap();
        assert!(cents(c4, 261.625_57).abs() < 0.07, "{c4}");
        // Below the range (C-1 is MIDI note 0) a note comes back as named, for the host to
        // clamp to 20 Hz.
        let c_minus_1 = text_to_frequency("C-1").unwrap();
        assert!((c_minus_1 - 8.175_8).abs() < 1e-3, "{c_minus_1}");
        assert!((text_to_frequency("Eb-1").unwrap() - 9.722_7).abs() < 1e-3);
        for junk in [
            "",
            "Hz",
            "abc",
            "NaN",
            "inf",
            "1.2.3 kHz",
            "--4",
            "H4",
            "A",
            "Ab",
            "A#b4",
            "A+4",
            "A4.5",
            "A4e1",
            "Abb4",
            "A--1",
            "#4",
            "b♭",
        ] {
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
            assert_eq!(
                text_to_frequency(&frequency_to_text(back)),
                Some(back),
                "{hz} Hz"
            );
            hz *= 1.0137;
        }
    }
}
