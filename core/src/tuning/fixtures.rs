//! The tunings the exactness tests play, as Scala files, with the frequency each key must
//! sound at worked out independently of the parser and the table.

use crate::engine::pitch::note_to_hz;

/// A tuning to test: the files and each key's expected frequency (`None`: silent).
pub struct Case {
    pub name: &'static str,
    pub scale: String,
    pub map: Option<String>,
    pub expected_hz: fn(u8) -> Option<f64>,
}

/// A scale file of `pitches` (each a line's value).
fn scale_file(description: &str, pitches: &[String]) -> String {
    let mut text = format!("! test.scl\n!\n{description}\n {}\n!\n", pitches.len());
    for pitch in pitches {
        text.push_str(&format!(" {pitch}\n"));
    }
    text
}

/// `steps` equal steps of `period_cents`, written in cents as Scala's own files are.
fn equal_file(description: &str, steps: usize, period_cents: f64) -> String {
    let pitches: Vec<String> = (1..=steps)
        .map(|k| format!("{:.9}", period_cents * k as f64 / steps as f64))
        .collect();
    scale_file(description, &pitches)
}

/// Middle C in 12-TET: where Scala's default map puts degree 0.
fn middle_c() -> f64 {
    note_to_hz(60)
}

const JUST_5_LIMIT: [f64; 12] = [
    16.0 / 15.0,
    9.0 / 8.0,
    6.0 / 5.0,
    5.0 / 4.0,
    4.0 / 3.0,
    45.0 / 32.0,
    3.0 / 2.0,
    8.0 / 5.0,
    5.0 / 3.0,
    9.0 / 5.0,
    15.0 / 8.0,
    2.0,
];
const JUST_5_LIMIT_TEXT: [&str; 12] = [
    "16/15", "9/8", "6/5", "5/4", "4/3", "45/32", "3/2", "8/5", "5/3", "9/5", "15/8", "2/1",
];

/// Bohlen–Pierce, just: 13 steps in a tritave (3/1).
const BOHLEN_PIERCE: [f64; 13] = [
    27.0 / 25.0,
    25.0 / 21.0,
    9.0 / 7.0,
    7.0 / 5.0,
    75.0 / 49.0,
    5.0 / 3.0,
    9.0 / 5.0,
    49.0 / 25.0,
    15.0 / 7.0,
    7.0 / 3.0,
    63.0 / 25.0,
    25.0 / 9.0,
    3.0,
];
const BOHLEN_PIERCE_TEXT: [&str; 13] = [
    "27/25", "25/21", "9/7", "7/5", "75/49", "5/3", "9/5", "49/25", "15/7", "7/3", "63/25", "25/9",
    "3/1",
];

/// A ratio among `ratios` (degrees 1 ..= n, period last) `degree` steps from 1/1.
fn ratio_of(ratios: &[f64], degree: i32) -> f64 {
    let n = ratios.len() as i32;
    let (periods, step) = (degree.div_euclid(n), degree.rem_euclid(n));
    let period = ratios[ratios.len() - 1];
    let within = if step == 0 {
        1.0
    } else {
        ratios[step as usize - 1]
    };
    within * period.powi(periods)
}

/// A C-major scale's seven just degrees, played on the white keys; black keys silent.
const JUST_MAJOR_TEXT: [&str; 7] = ["9/8", "5/4", "4/3", "3/2", "5/3", "15/8", "2/1"];
const JUST_MAJOR: [f64; 7] = [
    9.0 / 8.0,
    5.0 / 4.0,
    4.0 / 3.0,
    3.0 / 2.0,
    5.0 / 3.0,
    15.0 / 8.0,
    2.0,
];
/// Degree of each key of an octave from C (`None`: a black key, silent).
const WHITE_KEY_DEGREES: [Option<i32>; 12] = [
    Some(0),
    None,
    Some(1),
    None,
    Some(2),
    Some(3),
    None,
    Some(4),
    None,
    Some(5),
    None,
    Some(6),
];

/// Every case of the exactness list.
pub fn cases() -> Vec<Case> {
    let texts = |pitches: &[&str]| pitches.iter().map(|p| p.to_string()).collect::<Vec<_>>();
    vec![
        Case {
            name: "12-TET from a file",
            scale: equal_file("12-TET", 12, 1200.0),
            map: None,
            expected_hz: |key| Some(note_to_hz(key)),
        },
        Case {
            name: "31-EDO",
            scale: equal_file("31 equal steps", 31, 1200.0),
            map: None,
            expected_hz: |key| Some(middle_c() * ((f64::from(key) - 60.0) / 31.0).exp2()),
        },
        Case {
            name: "Bohlen-Pierce (3:1 period)",
            scale: scale_file("Bohlen-Pierce, just", &texts(&BOHLEN_PIERCE_TEXT)),
            map: None,
            expected_hz: |key| Some(middle_c() * ratio_of(&BOHLEN_PIERCE, i32::from(key) - 60)),
        },
        Case {
            name: "just 5-limit, degree 0 on D, A4 = 432 Hz",
            scale: scale_file("5-limit just", &texts(&JUST_5_LIMIT_TEXT)),
            map: Some(
                "! D is 1/1, A4 sounds at 432 Hz\n12\n0\n127\n62\n69\n432.0\n12\n\
                 0\n1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\n"
                    .to_owned(),
            ),
            // A4 is degree 7 above D (3/2): D sounds at 288 Hz.
            expected_hz: |key| Some(288.0 * ratio_of(&JUST_5_LIMIT, i32::from(key) - 62)),
        },
        Case {
            name: "7 degrees on 12 keys (black keys silent)",
            scale: scale_file("just major", &texts(&JUST_MAJOR_TEXT)),
            map: Some(
                "12\n0\n127\n60\n60\n261.6255653005986\n7\n0\nx\n1\nx\n2\n3\nx\n4\nx\n5\nx\n6\n"
                    .to_owned(),
            ),
            expected_hz: |key| {
                let octave = i32::from(key / 12) - 5;
                WHITE_KEY_DEGREES[usize::from(key % 12)]
                    .map(|degree| middle_c() * ratio_of(&JUST_MAJOR, degree + 7 * octave))
            },
        },
    ]
}

/// How far `hz` is from `expected`, in cents.
pub fn cents_off(hz: f64, expected: f64) -> f64 {
    1200.0 * (hz / expected).log2()
}
