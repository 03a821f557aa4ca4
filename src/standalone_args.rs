//! The standalone's numeric options, checked before the framework sees them.
//!
//! nice-plug parses `--sample-rate` as any `f32` and `--period-size` as any `u32` and hands them
//! to the audio backend: `-r 1e-30` panicked the audio thread and left a silent process running,
//! `-p 4294967295` tried to allocate 16 GiB, `-p 0` burnt most of a core and `-r 0` reported
//! "Failed to open editor". Quintet refuses such values itself, says what is wrong and exits with
//! status 2, as the renderer does for bad arguments.

use std::ffi::OsString;

/// Sample rates the standalone accepts, in Hz: the renderer's range.
pub const SAMPLE_RATE_RANGE_HZ: std::ops::RangeInclusive<f64> = 8_000.0..=768_000.0;
/// Period (buffer) sizes the standalone accepts, in frames: what audio interfaces offer, and
/// small enough that the buffers the backend allocates stay small.
pub const PERIOD_SIZE_RANGE: std::ops::RangeInclusive<u64> = 16..=16_384;

/// The first bad numeric option in `args` (the standalone's arguments, without the program
/// name), as a message for the user; `None` when every one is acceptable or absent. JACK ignores
/// both options, but a bad value is refused whatever the backend: it is a typo either way.
pub fn check(args: &[OsString]) -> Option<String> {
    let mut args = args.iter().map(|arg| arg.to_string_lossy());
    while let Some(arg) = args.next() {
        let Some((flag, value)) = split_option(&arg, &mut args) else {
            continue;
        };
        let problem = match flag {
            Flag::SampleRate => check_sample_rate(&value),
            Flag::PeriodSize => check_period_size(&value),
        };
        if let Some(problem) = problem {
            return Some(format!("{} {value:?}: {problem}", flag.name()));
        }
    }
    None
}

#[derive(Clone, Copy)]
enum Flag {
    SampleRate,
    PeriodSize,
}

impl Flag {
    fn name(self) -> &'static str {
        match self {
            Flag::SampleRate => "--sample-rate",
            Flag::PeriodSize => "--period-size",
        }
    }
}

/// Recognises the forms the framework's parser (clap) accepts: `--sample-rate 48000`,
/// `--sample-rate=48000`, `-r 48000`, `-r=48000` and `-r48000`; the value may be the next
/// argument.
fn split_option<'a>(
    arg: &str,
    rest: &mut impl Iterator<Item = std::borrow::Cow<'a, str>>,
) -> Option<(Flag, String)> {
    let forms = [
        ("--sample-rate", Flag::SampleRate),
        ("-r", Flag::SampleRate),
        ("--period-size", Flag::PeriodSize),
        ("-p", Flag::PeriodSize),
    ];
    for (name, flag) in forms {
        if arg == name {
            return Some((flag, rest.next().map(String::from).unwrap_or_default()));
        }
        if let Some(value) = arg.strip_prefix(name) {
            let is_long = name.starts_with("--");
            if let Some(value) = value.strip_prefix('=') {
                return Some((flag, value.to_owned()));
            }
            if !is_long && !value.is_empty() {
                return Some((flag, value.to_owned()));
            }
        }
    }
    None
}

fn check_sample_rate(value: &str) -> Option<String> {
    let (low, high) = (SAMPLE_RATE_RANGE_HZ.start(), SAMPLE_RATE_RANGE_HZ.end());
    match value.trim().parse::<f64>() {
        Ok(hz) if SAMPLE_RATE_RANGE_HZ.contains(&hz) => None,
        Ok(_) => Some(format!("the sample rate must be {low} to {high} Hz")),
        Err(_) => Some(format!(
            "not a number; the sample rate must be {low} to {high} Hz"
        )),
    }
}

fn check_period_size(value: &str) -> Option<String> {
    let (low, high) = (PERIOD_SIZE_RANGE.start(), PERIOD_SIZE_RANGE.end());
    match value.trim().parse::<u64>() {
        Ok(frames) if PERIOD_SIZE_RANGE.contains(&frames) => None,
        _ => Some(format!(
            "the period size must be a whole number of frames from {low} to {high}"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check_all(args: &[&str]) -> Option<String> {
        check(&args.iter().map(OsString::from).collect::<Vec<_>>())
    }

    #[test]
    fn sensible_values_and_other_options_pass() {
        assert_eq!(check_all(&[]), None);
        assert_eq!(
            check_all(&["--backend", "dummy", "-r", "44100", "-p", "256"]),
            None
        );
        assert_eq!(
            check_all(&["--sample-rate=96000", "--period-size=64"]),
            None
        );
        assert_eq!(
            check_all(&["-r48000", "-p=1024", "--midi-input", "x"]),
            None
        );
    }

    #[test]
    fn every_bad_number_is_refused_in_every_form() {
        for args in [
            &["-r", "0"][..],
            &["-r", "1e-30"],
            &["-r", "nan"],
            &["-r", "inf"],
            &["-r", "-48000"],
            &["--sample-rate=1e300"],
            &["-r7999"],
            &["-r"],
            &["-p", "0"],
            &["-p", "4294967295"],
            &["--period-size", "-1"],
            &["--period-size=15"],
            &["-p", "512.5"],
            &["-p", "many"],
        ] {
            let message = check_all(args).unwrap_or_else(|| panic!("{args:?} passed"));
            assert!(
                message.starts_with("--sample-rate") || message.starts_with("--period-size"),
                "{args:?}: {message}"
            );
        }
    }
}
