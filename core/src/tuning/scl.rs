//! Scala scale files (`.scl`): a description, a count, and that many pitches above 1/1, the
//! last of which is the period the scale repeats at (an octave, a tritave, …).
//!
//! The format is the Scala program's (huygens-fokker.org/scala/scl_format.html): lines that
//! begin with `!` are comments; a pitch with a `.` is in cents, any other is a ratio (`5/4`)
//! or a whole number (`2` = 2/1); text after a value is ignored. Everything the format leaves
//! loose is refused with the line and the reason rather than guessed at: a missing or wrong
//! count, a value that is no number, a ratio of zero or below, more than [`MAX_DEGREES`]
//! notes, a period at or below 1/1.

use super::lines::{Line, Lines, TuningError, TuningFile};

/// Most notes a scale may have (Scala's archive holds none near it; 100,000 is refused on the
/// count line, before any pitch is read).
pub const MAX_DEGREES: usize = 2048;

/// A scale: its description and each degree's ratio to 1/1.
#[derive(Clone, Debug, PartialEq)]
pub struct Scale {
    description: String,
    /// Degrees 1 ..= n as ratios to degree 0 (1/1); the last is the period.
    ratios: Vec<f64>,
}

impl Scale {
    /// Parses the text of a `.scl` file.
    pub fn parse(bytes: &[u8]) -> Result<Self, TuningError> {
        let mut lines = Lines::new(TuningFile::Scale, bytes);
        let description = lines
            .next_line(true)?
            .ok_or_else(|| lines.error(1, "empty: a scale begins with a description line"))?
            .text
            .into_owned();
        let count_line = lines.next_line(false)?.ok_or_else(|| {
            lines.error(
                lines.last_line(),
                "the count of notes is missing after the description",
            )
        })?;
        let count = note_count(&count_line).map_err(|r| lines.error(count_line.number, r))?;
        let mut ratios = Vec::with_capacity(count);
        let mut last_line = count_line.number;
        while let Some(line) = lines.next_line(false)? {
            if ratios.len() == count {
                return Err(lines.error(
                    line.number,
                    format!(
                        "more pitches than the {count} that line {} announces",
                        count_line.number
                    ),
                ));
            }
            ratios.push(pitch(&line).map_err(|r| lines.error(line.number, r))?);
            last_line = line.number;
        }
        if ratios.len() < count {
            return Err(lines.error(
                count_line.number,
                format!("announces {count} pitches, the file has {}", ratios.len()),
            ));
        }
        if ratios[count - 1] <= 1.0 {
            return Err(lines.error(last_line, "the period (the last pitch) must lie above 1/1"));
        }
        Ok(Self {
            description,
            ratios,
        })
    }

    /// An equal division of `period` into `steps` (12 steps of 2 is 12-TET).
    pub fn equal(steps: usize, period: f64, description: &str) -> Self {
        let steps = steps.clamp(1, MAX_DEGREES);
        Self {
            description: description.to_owned(),
            ratios: (1..=steps)
                .map(|k| period.powf(k as f64 / steps as f64))
                .collect(),
        }
    }

    /// The description line, as the file gives it.
    pub fn description(&self) -> &str {
        &self.description
    }

    /// How many notes the scale has per period.
    pub fn len(&self) -> usize {
        self.ratios.len()
    }

    /// Always false: a scale has at least its period.
    pub fn is_empty(&self) -> bool {
        self.ratios.is_empty()
    }

    /// The period (the last degree's ratio).
    pub fn period(&self) -> f64 {
        self.ratios[self.ratios.len() - 1]
    }

    /// Degree `degree`'s ratio to degree 0, any number of periods up or down.
    pub fn ratio(&self, degree: i64) -> f64 {
        degree_ratio(&self.ratios, degree)
    }

    /// Degrees 1 ..= n as ratios to 1/1, the period last.
    pub fn ratios(&self) -> &[f64] {
        &self.ratios
    }
}

/// Degree `degree`'s ratio to degree 0 in the scale whose degrees 1 ..= n are `ratios` (the
/// period last, never empty), any number of periods up or down.
pub(crate) fn degree_ratio(ratios: &[f64], degree: i64) -> f64 {
    let n = ratios.len() as i64;
    let (periods, step) = (degree.div_euclid(n), degree.rem_euclid(n));
    let within = if step == 0 {
        1.0
    } else {
        ratios[step as usize - 1]
    };
    within * ratios[ratios.len() - 1].powi(periods.clamp(-4096, 4096) as i32)
}

fn note_count(line: &Line) -> Result<usize, String> {
    let value = line.value();
    let count: usize = value
        .parse()
        .map_err(|_| format!("the count of notes \"{value}\" is not a whole number"))?;
    if count == 0 {
        Err("a scale needs at least one note: its period".to_owned())
    } else if count > MAX_DEGREES {
        Err(format!(
            "{count} notes: more than the {MAX_DEGREES} a scale may have"
        ))
    } else {
        Ok(count)
    }
}

/// A pitch line's value as a ratio to 1/1.
fn pitch(line: &Line) -> Result<f64, String> {
    let value = line.value();
    let not_a_pitch =
        || format!("\"{value}\" is no pitch: cents have a '.' (701.955), a ratio is 3/2 or 2");
    if value.contains('.') {
        let cents: f64 = value.parse().map_err(|_| not_a_pitch())?;
        let ratio = (cents / 1200.0).exp2();
        if !ratio.is_normal() {
            return Err(format!("{value} cents is beyond any pitch"));
        }
        return Ok(ratio);
    }
    if value.starts_with('-') {
        return Err(format!("the ratio {value} is negative: ratios lie above 0"));
    }
    let (numerator, denominator) = value.split_once('/').unwrap_or((value, "1"));
    let whole = |text: &str| text.parse::<u64>().map_err(|_| not_a_pitch());
    let (numerator, denominator) = (whole(numerator)?, whole(denominator)?);
    if numerator == 0 || denominator == 0 {
        return Err(format!("the ratio {value} has a zero: ratios lie above 0"));
    }
    Ok(numerator as f64 / denominator as f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_just_scale_reads_cents_ratios_and_whole_numbers() {
        let scale =
            Scale::parse(b"! just.scl\n!\nJust major\n 3\n!\n 5/4 major third\n 701.955\n 2\n")
                .unwrap();
        assert_eq!(scale.description(), "Just major");
        assert_eq!(scale.len(), 3);
        assert_eq!(scale.ratio(1), 1.25);
        assert!((scale.ratio(2) - 1.5).abs() < 1e-6);
        assert_eq!(scale.ratio(3), 2.0);
        assert_eq!(scale.ratio(-2), 1.25 / 2.0);
        assert_eq!(scale.ratio(0), 1.0);
    }

    #[test]
    fn the_description_may_be_empty() {
        let scale = Scale::parse(b"\n1\n2/1\n").unwrap();
        assert_eq!(scale.description(), "");
        assert_eq!(scale.period(), 2.0);
    }

    fn refused(text: &[u8]) -> TuningError {
        Scale::parse(text).expect_err("refused")
    }

    #[test]
    fn malformed_scales_are_refused_with_the_line_and_the_reason() {
        let cases: [(&[u8], usize, &str); 12] = [
            (b"", 1, "empty"),
            (b"desc\n", 1, "count of notes is missing"),
            (b"desc\ntwelve\n100.0\n", 2, "not a whole number"),
            (b"desc\n2\n100.0\nabc\n", 4, "no pitch"),
            (b"desc\n2\n0/1\n2/1\n", 3, "zero"),
            (b"desc\n2\n3/0\n2/1\n", 3, "zero"),
            (b"desc\n2\n-3/2\n2/1\n", 3, "negative"),
            (
                b"desc\n3\n100.0\n2/1\n",
                2,
                "announces 3 pitches, the file has 2",
            ),
            (b"desc\n1\n100.0\n2/1\n", 4, "more pitches than the 1"),
            (b"desc\n100000\n", 2, "more than the 2048"),
            (b"desc\n0\n", 2, "at least one note"),
            (b"desc\n2\n100.0\n1/2\n", 4, "period"),
        ];
        for (text, line, reason) in cases {
            let error = refused(text);
            let shown = String::from_utf8_lossy(text);
            assert_eq!(error.line, line, "{shown:?}: {error}");
            assert!(error.reason.contains(reason), "{shown:?}: {error}");
            assert_eq!(error.file, TuningFile::Scale);
        }
    }

    #[test]
    fn cents_beyond_any_pitch_are_refused() {
        let error = refused(b"desc\n1\n1e400.0\n");
        assert_eq!(error.line, 3);
        let error = refused(b"desc\n1\n9999999.0\n");
        assert!(error.reason.contains("beyond"), "{error}");
    }
}
