//! The standalone's own arguments, looked at before the framework parses them.
//!
//! nice-plug parses the standalone's options itself, and its parser knows neither `--version`
//! nor the `render` command, so Quintet answers `--version` and puts `render` at the top of
//! `--help`.
//!
//! nice-plug also hands the numbers it parses straight to the audio backend: `--sample-rate` as
//! any `f32`, `--period-size` and `--midi-capacity` as any `u32`. `-r 1e-30` panicked the audio
//! thread and left a silent process running, `-p 4294967295` tried to allocate 16 GiB, `-p 0`
//! burnt most of a core and `-r 0` reported "Failed to open editor"; a MIDI capacity is a buffer
//! the JACK and ALSA backends allocate up front. Quintet refuses such values itself, in every
//! spelling the framework's parser accepts, says what is wrong and exits with status 2, as the
//! renderer does for bad arguments.

use std::ffi::OsString;

/// Sample rates the standalone accepts, in Hz: the renderer's range.
pub const SAMPLE_RATE_RANGE_HZ: std::ops::RangeInclusive<f64> = 8_000.0..=768_000.0;
/// Period (buffer) sizes the standalone accepts, in frames: what audio interfaces offer, and
/// small enough that the buffers the backend allocates stay small.
pub const PERIOD_SIZE_RANGE: std::ops::RangeInclusive<u64> = 16..=16_384;
/// MIDI events the backend queues per period: at least one, and at most 32 times the default
/// (2048), which keeps the queues it allocates up front at a few megabytes.
pub const MIDI_CAPACITY_RANGE: std::ops::RangeInclusive<u64> = 1..=65_536;

/// What the arguments ask for before anything else.
#[derive(Debug, PartialEq)]
pub enum Request<'a> {
    /// `-h` or `--help` (the flag, which picks the short or the long help).
    Help(&'a str),
    /// `-V` or `--version`.
    Version,
    /// Run the standalone.
    Run,
}

/// Whether `args` (without the program name) ask for help or the version, whichever comes first
/// (as the framework's parser would take them), before a `--` that ends the options.
pub fn request(args: &[OsString]) -> Request<'_> {
    for arg in args.iter().take_while(|arg| *arg != "--") {
        match arg.to_str() {
            Some(flag @ ("-h" | "--help")) => return Request::Help(flag),
            Some("-V" | "--version") => return Request::Version,
            _ => {}
        }
    }
    Request::Run
}

/// The option that starts the standalone from the defaults instead of the last session.
pub const FRESH: &str = "--fresh";

/// Removes [`FRESH`] from `args` (before a `--` that ends the options; the framework's parser
/// does not know it) and returns whether it was there.
pub fn take_fresh(args: &mut Vec<OsString>) -> bool {
    let end = args
        .iter()
        .position(|arg| arg == "--")
        .unwrap_or(args.len());
    let before = args.len();
    let mut index = 0;
    args.retain(|arg| {
        index += 1;
        index > end || arg != FRESH
    });
    args.len() != before
}

/// What `--help` prints above the framework's list of options: what the program is, and the
/// `render` command the framework does not know about. `program` is the name it was run as.
pub fn help_preface(program: &str) -> String {
    let render = format!("{program} render -o FILE [OPTIONS]");
    format!(
        "{program} {version}: five sine partials, as a drone or played from MIDI.\n\n\
         Commands:\n  \
         {render}  write the sound to a WAV file, without an audio device\n  \
         {blank:width$}  (`{program} render --help` lists its options)\n\n\
         Without a command, {program} is the standalone synth, on JACK, ALSA or a dummy backend \
         with no\naudio device. It reopens with what it played when it closed (parameters, \
         preset, window size\nand zoom); `{fresh}` starts from the defaults instead. A first \
         launch starts 12 dB below full gain.\n\n",
        fresh = FRESH,
        version = env!("CARGO_PKG_VERSION"),
        blank = "",
        width = render.len(),
    )
}

/// The first bad numeric option in `args` (the standalone's arguments, without the program
/// name), as a message for the user; `None` when every one is acceptable or absent. JACK ignores
/// the sample rate and period size, but a bad value is refused whatever the backend: it is a
/// typo either way.
pub fn check(args: &[OsString]) -> Option<String> {
    let mut args = args.iter().map(|arg| arg.to_string_lossy());
    while let Some(arg) = args.next() {
        let Some((option, value)) = split_option(&arg, &mut args) else {
            continue;
        };
        if let Some(problem) = (option.check)(&value) {
            return Some(format!("{} {value:?}: {problem}", option.long));
        }
    }
    None
}

/// A numeric option nice-plug hands to the backend unchecked.
struct NumericOption {
    long: &'static str,
    short: Option<&'static str>,
    /// Why the value is refused, or `None`.
    check: fn(&str) -> Option<String>,
}

const NUMERIC_OPTIONS: [NumericOption; 3] = [
    NumericOption {
        long: "--sample-rate",
        short: Some("-r"),
        check: check_sample_rate,
    },
    NumericOption {
        long: "--period-size",
        short: Some("-p"),
        check: check_period_size,
    },
    NumericOption {
        long: "--midi-capacity",
        short: None,
        check: check_midi_capacity,
    },
];

/// Recognises the forms the framework's parser (clap) accepts: `--sample-rate 48000`,
/// `--sample-rate=48000`, `-r 48000`, `-r=48000` and `-r48000`; the value may be the next
/// argument.
fn split_option<'a>(
    arg: &str,
    rest: &mut impl Iterator<Item = std::borrow::Cow<'a, str>>,
) -> Option<(&'static NumericOption, String)> {
    for option in &NUMERIC_OPTIONS {
        let names = std::iter::once((option.long, true)).chain(option.short.map(|s| (s, false)));
        for (name, is_long) in names {
            if arg == name {
                return Some((option, rest.next().map(String::from).unwrap_or_default()));
            }
            if let Some(value) = arg.strip_prefix(name) {
                if let Some(value) = value.strip_prefix('=') {
                    return Some((option, value.to_owned()));
                }
                if !is_long && !value.is_empty() {
                    return Some((option, value.to_owned()));
                }
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
    check_whole_number(value, "the period size", "frames", &PERIOD_SIZE_RANGE)
}

fn check_midi_capacity(value: &str) -> Option<String> {
    check_whole_number(value, "the MIDI capacity", "events", &MIDI_CAPACITY_RANGE)
}

fn check_whole_number(
    value: &str,
    what: &str,
    unit: &str,
    range: &std::ops::RangeInclusive<u64>,
) -> Option<String> {
    match value.trim().parse::<u64>() {
        Ok(number) if range.contains(&number) => None,
        _ => Some(format!(
            "{what} must be a whole number of {unit} from {} to {}",
            range.start(),
            range.end()
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn os(args: &[&str]) -> Vec<OsString> {
        args.iter().map(OsString::from).collect()
    }

    fn check_all(args: &[&str]) -> Option<String> {
        check(&os(args))
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
        assert_eq!(check_all(&["--midi-capacity", "2048"]), None);
    }

    #[test]
    fn every_bad_number_is_refused_in_every_form() {
        for (args, option) in [
            (&["-r", "0"][..], "--sample-rate"),
            (&["-r0"], "--sample-rate"),
            (&["-r=0"], "--sample-rate"),
            (&["--sample-rate", "0"], "--sample-rate"),
            (&["--sample-rate=0"], "--sample-rate"),
            (&["-r", "1e-30"], "--sample-rate"),
            (&["-r", "nan"], "--sample-rate"),
            (&["-r", "inf"], "--sample-rate"),
            (&["-r", "-48000"], "--sample-rate"),
            (&["--sample-rate=1e300"], "--sample-rate"),
            (&["-r7999"], "--sample-rate"),
            (&["-r"], "--sample-rate"),
            (&["-p", "0"], "--period-size"),
            (&["-p0"], "--period-size"),
            (&["-p=0"], "--period-size"),
            (&["--period-size", "0"], "--period-size"),
            (&["--period-size=0"], "--period-size"),
            (&["-p", "4294967295"], "--period-size"),
            (&["--period-size", "-1"], "--period-size"),
            (&["--period-size=15"], "--period-size"),
            (&["-p", "512.5"], "--period-size"),
            (&["-p", "many"], "--period-size"),
            (&["--midi-capacity", "0"], "--midi-capacity"),
            (&["--midi-capacity=4294967295"], "--midi-capacity"),
            // A good value first does not hide a bad one later.
            (&["-p", "512", "-r", "0"], "--sample-rate"),
        ] {
            let message = check_all(args).unwrap_or_else(|| panic!("{args:?} passed"));
            assert!(
                message.starts_with(option) && message.contains("must be"),
                "{args:?}: {message}"
            );
        }
    }

    #[test]
    fn help_and_version_are_found_before_the_options_end() {
        assert_eq!(request(&os(&["--help"])), Request::Help("--help"));
        assert_eq!(request(&os(&["-b", "dummy", "-h"])), Request::Help("-h"));
        assert_eq!(request(&os(&["-V"])), Request::Version);
        assert_eq!(request(&os(&["--version", "--help"])), Request::Version);
        assert_eq!(
            request(&os(&["-p", "0", "--help"])),
            Request::Help("--help")
        );
        assert_eq!(request(&os(&["--", "--help"])), Request::Run);
        assert_eq!(request(&os(&["-b", "dummy"])), Request::Run);
    }

    #[test]
    fn the_help_names_the_render_command_as_the_program_was_run() {
        let preface = help_preface("Quintet");
        assert!(preface.contains("Quintet render -o FILE"), "{preface}");
        assert!(preface.contains("`Quintet render --help`"), "{preface}");
        assert!(help_preface("quintet").contains("`quintet render --help`"));
    }
}
