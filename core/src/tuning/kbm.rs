//! Scala keyboard mappings (`.kbm`): which scale degree each MIDI key plays, and which key
//! sounds at which frequency.
//!
//! The format is the Scala program's (huygens-fokker.org/scala/help.htm#mappings): after
//! comments (`!`), seven numbers — the map's size, the first and last key retuned, the key
//! degree 0 sits on (the "middle note"), the reference key and its frequency in Hz, and the
//! degree that is the map's period ("formal octave") — then one line per key of the map: a
//! degree, or `x` for a key that stays silent. A size of 0 maps key after key to degree after
//! degree. Anything else is refused with the line and the reason.

use super::lines::{Line, Lines, TuningError, TuningFile};
use super::scl::MAX_DEGREES;

/// Highest MIDI key.
const MAX_KEY: u8 = 127;
/// Highest reference frequency a map may give, in Hz (far above hearing; keeps the table finite).
const MAX_REFERENCE_HZ: f64 = 1e6;
/// Largest degree a map line may name, either way.
const MAX_MAPPED_DEGREE: i64 = 1 << 20;

/// A keyboard mapping (see the module documentation).
#[derive(Clone, Debug, PartialEq)]
pub struct KeyboardMap {
    /// Degree per key of the pattern (`None`: the key is silent); empty: key after key.
    pub pattern: Vec<Option<i64>>,
    /// First and last key retuned; keys outside stay silent.
    pub first_key: u8,
    pub last_key: u8,
    /// The key degree 0 sits on.
    pub middle_key: u8,
    /// The key whose frequency is given.
    pub reference_key: u8,
    /// The line giving the reference key (for an error about it).
    pub reference_line: usize,
    /// The reference key's frequency, in Hz.
    pub reference_hz: f64,
    /// The degree one repetition of the pattern moves by; 0: the scale's size.
    pub period_degree: i64,
}

impl Default for KeyboardMap {
    /// Scala's default: degree 0 on middle C (key 60), which sounds at its 12-TET frequency, so
    /// a 12-TET scale plays 12-TET with A4 at 440 Hz.
    fn default() -> Self {
        Self {
            pattern: Vec::new(),
            first_key: 0,
            last_key: MAX_KEY,
            middle_key: 60,
            reference_key: 60,
            reference_line: 0,
            reference_hz: crate::engine::pitch::note_to_hz(60),
            period_degree: 0,
        }
    }
}

impl KeyboardMap {
    /// Parses the text of a `.kbm` file.
    pub fn parse(bytes: &[u8]) -> Result<Self, TuningError> {
        let mut lines = Lines::new(TuningFile::KeyboardMap, bytes);
        let mut field = |name: &str| -> Result<Line, TuningError> {
            let line = lines.next_line(false)?;
            line.ok_or_else(|| lines.error(lines.last_line(), format!("the {name} is missing")))
        };
        let size_line = field("map size")?;
        let first_line = field("first key")?;
        let last_line = field("last key")?;
        let middle_line = field("middle key (degree 0)")?;
        let reference_line = field("reference key")?;
        let hz_line = field("reference frequency")?;
        let period_line = field("formal octave (the map's period degree)")?;
        let error = |line: &Line, reason: String| TuningError {
            file: TuningFile::KeyboardMap,
            line: line.number,
            reason,
        };
        let size = whole(&size_line, "map size", 0, MAX_DEGREES as i64)
            .map_err(|r| error(&size_line, r))? as usize;
        let key = |line: &Line, name: &str| {
            whole(line, name, 0, i64::from(MAX_KEY))
                .map(|k| k as u8)
                .map_err(|r| error(line, r))
        };
        let first_key = key(&first_line, "first key")?;
        let last_key = key(&last_line, "last key")?;
        if last_key < first_key {
            return Err(error(
                &last_line,
                format!("the last key {last_key} lies below the first, {first_key}"),
            ));
        }
        let middle_key = key(&middle_line, "middle key")?;
        let reference_key = key(&reference_line, "reference key")?;
        let reference_hz = frequency(&hz_line).map_err(|r| error(&hz_line, r))?;
        let period_degree = whole(&period_line, "formal octave", 0, MAX_MAPPED_DEGREE)
            .map_err(|r| error(&period_line, r))?;
        let mut pattern = Vec::with_capacity(size);
        let mut lines = lines;
        while let Some(line) = lines.next_line(false)? {
            if pattern.len() == size {
                return Err(error(
                    &line,
                    format!(
                        "more keys than the {size} that line {} announces",
                        size_line.number
                    ),
                ));
            }
            let value = line.value();
            pattern.push(if value.eq_ignore_ascii_case("x") {
                None
            } else {
                Some(
                    whole(&line, "degree", -MAX_MAPPED_DEGREE, MAX_MAPPED_DEGREE)
                        .map_err(|r| error(&line, format!("{r} (or x for a silent key)")))?,
                )
            });
        }
        if pattern.len() < size {
            return Err(error(
                &size_line,
                format!("announces {size} keys, the file maps {}", pattern.len()),
            ));
        }
        Ok(Self {
            pattern,
            first_key,
            last_key,
            middle_key,
            reference_key,
            reference_line: reference_line.number,
            reference_hz,
            period_degree,
        })
    }

    /// The degree key `key` plays, any key (the range is checked by the caller), given the
    /// scale's size; `None` for a silent key.
    pub fn degree(&self, key: u8, scale_len: usize) -> Option<i64> {
        let offset = i64::from(key) - i64::from(self.middle_key);
        if self.pattern.is_empty() {
            return Some(offset);
        }
        let size = self.pattern.len() as i64;
        let period = if self.period_degree == 0 {
            scale_len as i64
        } else {
            self.period_degree
        };
        let degree = self.pattern[offset.rem_euclid(size) as usize]?;
        Some(degree + offset.div_euclid(size) * period)
    }

    /// Whether key `key` lies in the range the map retunes.
    pub fn retunes(&self, key: u8) -> bool {
        (self.first_key..=self.last_key).contains(&key)
    }
}

/// The line's value as a whole number in `min ..= max`.
fn whole(line: &Line, name: &str, min: i64, max: i64) -> Result<i64, String> {
    let value = line.value();
    let number: i64 = value
        .parse()
        .map_err(|_| format!("the {name} \"{value}\" is not a whole number"))?;
    if (min..=max).contains(&number) {
        Ok(number)
    } else {
        Err(format!("the {name} {number} lies outside {min} ..= {max}"))
    }
}

fn frequency(line: &Line) -> Result<f64, String> {
    let value = line.value();
    let hz: f64 = value
        .parse()
        .map_err(|_| format!("the reference frequency \"{value}\" is not a number"))?;
    if hz > 0.0 && hz <= MAX_REFERENCE_HZ {
        Ok(hz)
    } else {
        Err(format!(
            "the reference frequency {value} Hz lies outside 0 < Hz <= {MAX_REFERENCE_HZ}"
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const WHITE_KEYS: &[u8] = b"! white keys on a 7-note scale\n12\n0\n127\n60\n69\n432.0\n7\n\
        0\nx\n1\nx\n2\n3\nx\n4\nx\n5\nx\n6\n";

    #[test]
    fn a_map_reads_its_fields_and_keys() {
        let map = KeyboardMap::parse(WHITE_KEYS).unwrap();
        assert_eq!(map.pattern.len(), 12);
        assert_eq!((map.middle_key, map.reference_key), (60, 69));
        assert_eq!(map.reference_line, 6);
        assert_eq!(map.reference_hz, 432.0);
        assert_eq!(map.degree(60, 7), Some(0));
        assert_eq!(map.degree(61, 7), None);
        assert_eq!(map.degree(69, 7), Some(5));
        assert_eq!(map.degree(72, 7), Some(7));
        assert_eq!(map.degree(59, 7), Some(-1));
    }

    #[test]
    fn a_map_of_size_0_plays_key_after_key() {
        let map = KeyboardMap::parse(b"0\n0\n127\n62\n62\n300\n0\n").unwrap();
        assert_eq!(map.degree(62, 5), Some(0));
        assert_eq!(map.degree(70, 5), Some(8));
    }

    #[test]
    fn malformed_maps_are_refused_with_the_line_and_the_reason() {
        let cases: [(&[u8], usize, &str); 9] = [
            (b"", 1, "map size is missing"),
            (b"12\n0\n127\n60\n69\n", 5, "reference frequency is missing"),
            (
                b"twelve\n0\n127\n60\n69\n440\n12\n",
                1,
                "not a whole number",
            ),
            (b"1\n0\n200\n60\n69\n440\n1\n0\n", 3, "outside 0 ..= 127"),
            (b"1\n60\n50\n60\n69\n440\n1\n0\n", 3, "below the first"),
            (b"1\n0\n127\n60\n69\n-440\n1\n0\n", 6, "reference frequency"),
            (b"1\n0\n127\n60\n69\n440\n1\ny\n", 8, "or x"),
            (
                b"2\n0\n127\n60\n69\n440\n1\n0\n",
                1,
                "announces 2 keys, the file maps 1",
            ),
            (
                b"1\n0\n127\n60\n69\n440\n1\n0\n1\n",
                9,
                "more keys than the 1",
            ),
        ];
        for (text, line, reason) in cases {
            let error = KeyboardMap::parse(text).expect_err("refused");
            let shown = String::from_utf8_lossy(text);
            assert_eq!(error.line, line, "{shown:?}: {error}");
            assert!(error.reason.contains(reason), "{shown:?}: {error}");
            assert_eq!(error.file, TuningFile::KeyboardMap);
        }
    }
}
