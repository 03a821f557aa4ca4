//! The `render` command's sound options, one for each parameter (or family of five) the registry
//! offers ([`Offered`]): their flags, value names and help (range and default included) come from
//! the declarations, and each value is read by its parameter's own text parser and checked
//! against its range, so `--gain -6` plays what typing "-6" into the plugin's gain plays.
//!
//! The values land in a [`Values`], whose [`Values::settings`] is what the render plays: the
//! same constructor the plugin and the Python module use. With `--preset`, the options given
//! are laid over the preset's values ([`SoundOptions::lay_over`]): `--release 800` plays the
//! preset with an 800 ms release, as a musician expects.

use clap::{Arg, ArgMatches, Args, Command, FromArgMatches};
use quintet_core::dsp::PARTIAL_COUNT;
use quintet_core::params::gain_text::gain_to_bound_text;
use quintet_core::params::{Family, FloatText, Kind, Offered, Param, ParamSpec, Values};

/// A value for every parameter: the defaults (or a preset's), changed by the options given.
#[derive(Clone, Debug, Default)]
pub struct SoundOptions {
    /// What the render plays.
    pub values: Values,
    /// The values the options given on the command line set, in the order read.
    given: Vec<(Param, f64)>,
}

impl SoundOptions {
    /// `base` (a preset's values) with every option given laid over it: an option given wins
    /// over the preset's value for its parameter, every other parameter keeps the preset's.
    pub fn lay_over(&mut self, base: Values) {
        self.values = base;
        for &(param, value) in &self.given {
            self.values
                .set(param, value)
                .expect("every value was checked when it was parsed");
        }
    }
}

/// One option: a parameter on its own, or a family of five in one comma-separated option.
enum SoundOption {
    Alone {
        param: Param,
        flag: &'static str,
        doc: &'static str,
    },
    Family {
        family: &'static Family,
        flag: &'static str,
        params: [Param; PARTIAL_COUNT],
    },
}

impl SoundOption {
    /// Every option, in the registry's order (a family where its first partial is).
    fn all() -> Vec<SoundOption> {
        Param::ALL
            .into_iter()
            .filter_map(|param| match param.spec().offered {
                Offered::Alone {
                    key: _,
                    flag: Some(flag),
                    doc,
                } => Some(SoundOption::Alone { param, flag, doc }),
                Offered::Partial { family, partial: 0 } => Some(SoundOption::Family {
                    family,
                    flag: family.flag?,
                    params: family.params(),
                }),
                _ => None,
            })
            .collect()
    }

    fn flag(&self) -> &'static str {
        match self {
            SoundOption::Alone { flag, .. } | SoundOption::Family { flag, .. } => flag,
        }
    }

    /// The option's declaration for clap.
    fn arg(&self) -> Arg {
        let arg = Arg::new(self.flag())
            .long(self.flag())
            // Negative numbers ("-6" dB, "-inf") are values, not options.
            .allow_hyphen_values(true);
        match *self {
            SoundOption::Alone { param, doc, .. } => {
                let spec = param.spec();
                arg.value_name(value_name(spec, self.flag()))
                    .help(format!(
                        "{doc}; {} [default: {}]",
                        spec.range_text(),
                        shown(spec, spec.default)
                    ))
                    .value_parser(move |text: &str| parse_value(param.spec(), text))
            }
            SoundOption::Family { family, params, .. } => {
                let spec = params[0].spec();
                let one = value_name(spec, self.flag());
                let defaults: Vec<String> = params
                    .iter()
                    .map(|param| shown(param.spec(), param.spec().default))
                    .collect();
                arg.value_name(vec![one; PARTIAL_COUNT].join(","))
                    .help(format!(
                        "{}; comma-separated, one per partial, {} each [default: {}]",
                        family.doc,
                        spec.range_text(),
                        defaults.join(", ")
                    ))
                    .value_parser(move |text: &str| parse_five(params, text))
            }
        }
    }

    /// The value (or five) the option gives, if it was given.
    fn read(&self, matches: &ArgMatches) -> Vec<(Param, f64)> {
        match *self {
            SoundOption::Alone { param, flag, .. } => matches
                .get_one::<f64>(flag)
                .map(|&value| (param, value))
                .into_iter()
                .collect(),
            SoundOption::Family { flag, params, .. } => matches
                .get_one::<[f64; PARTIAL_COUNT]>(flag)
                .map(|five| params.into_iter().zip(five.iter().copied()).collect())
                .unwrap_or_default(),
        }
    }
}

impl Args for SoundOptions {
    fn augment_args(command: Command) -> Command {
        command.args(SoundOption::all().iter().map(SoundOption::arg))
    }

    fn augment_args_for_update(command: Command) -> Command {
        Self::augment_args(command)
    }
}

impl FromArgMatches for SoundOptions {
    fn from_arg_matches(matches: &ArgMatches) -> Result<Self, clap::Error> {
        let mut options = Self::default();
        options.update_from_arg_matches(matches)?;
        Ok(options)
    }

    fn update_from_arg_matches(&mut self, matches: &ArgMatches) -> Result<(), clap::Error> {
        for option in SoundOption::all() {
            self.given.extend(option.read(matches));
        }
        self.lay_over(self.values);
        Ok(())
    }
}

/// What stands for one value in the usage: its unit ("HZ", "DB", "MS", "PERCENT",
/// "SEMITONES", "CENTS"), ON|OFF for a switch, or the last word of the option's name for a count without one
/// ("VOICES", "DEGREES": a family's five of them stay short enough for the help's column).
fn value_name(spec: &ParamSpec, flag: &str) -> String {
    match spec.kind {
        Kind::Float { text, .. } => String::from(match text {
            FloatText::Frequency => "HZ",
            FloatText::Decibels => "DB",
            FloatText::Milliseconds { .. } => "MS",
            FloatText::Percent { .. } => "PERCENT",
            FloatText::Times => "FACTOR",
            FloatText::DecibelsPerOctave => "DB_PER_OCTAVE",
            FloatText::Number { unit: " ct", .. } => "CENTS",
            FloatText::Number { unit: " Hz", .. } => "HZ",
            FloatText::Number { unit: " dB", .. } => "DB",
            FloatText::Number { .. } => "NUMBER",
        }),
        Kind::Switch => String::from("ON|OFF"),
        Kind::Int { unit: " st", .. } => String::from("SEMITONES"),
        Kind::Int { unit: " ct", .. } => String::from("CENTS"),
        Kind::Int { .. } => flag.rsplit('-').next().unwrap_or(flag).to_uppercase(),
    }
}

/// `value` as the plugin shows it, with its unit: "200 Hz", "0.0 dB", "5.0 ms", "8".
fn shown(spec: &ParamSpec, value: f32) -> String {
    format!("{}{}", spec.value_to_text(value), spec.unit())
}

/// What a value of this kind is, with examples, for the message refusing a text that is none.
fn what_it_takes(spec: &ParamSpec) -> String {
    match spec.kind {
        Kind::Float { text, .. } => String::from(match text {
            FloatText::Frequency => "a frequency (e.g. 440, 440 Hz, 1.2k, A4, Bb2)",
            FloatText::Decibels => "a number of dB (e.g. 0, -6, -inf)",
            FloatText::Milliseconds { .. } => "a time in ms (e.g. 5, 250)",
            FloatText::Percent { .. } => "a percentage (e.g. 50, 100)",
            FloatText::Times => "a factor (e.g. 0.5, x2)",
            FloatText::DecibelsPerOctave => "a number of dB per octave (e.g. -6, 3)",
            FloatText::Number { unit: " ct", .. } => "a number of cents (e.g. 20, 40 ct)",
            FloatText::Number { unit: " Hz", .. } => "a rate in Hz (e.g. 5.5, 0.25)",
            FloatText::Number { unit: " dB", .. } => "a number of dB (e.g. -6, 3)",
            FloatText::Number { .. } => "a number",
        }),
        Kind::Int { names, .. } if !names.is_empty() => format!("one of {}", spec.range_text()),
        Kind::Int { .. } => format!("a whole number ({})", spec.range_text()),
        Kind::Switch => String::from("on or off"),
    }
}

/// One value as the plugin plays typed text ([`ParamSpec::as_played`]), refused when the
/// parameter cannot hold it.
pub fn parse_value(spec: &'static ParamSpec, text: &str) -> Result<f64, String> {
    let value = spec
        .text_to_value(text)
        .ok_or_else(|| format!("'{text}' is not {}", what_it_takes(spec)))?;
    spec.check(f64::from(value))
        .map(|_| f64::from(spec.as_played(value)))
        .map_err(|_| {
            let (min, max) = spec.bounds();
            let (side, bound) = if f64::from(value) > max {
                ("above", max)
            } else {
                ("below", min)
            };
            let shown = shown(spec, value);
            let typed = if shown == text.trim() {
                format!("'{text}'")
            } else {
                format!("'{text}' ({shown})")
            };
            format!(
                "{typed} is outside {}: {side} {}",
                spec.range_text(),
                bound_text(spec, bound),
            )
        })
}

/// A bound of the range as it is typed: "20.00 kHz", "0 dB", "10000 ms".
fn bound_text(spec: &ParamSpec, bound: f64) -> String {
    match spec.kind {
        Kind::Float {
            text: FloatText::Decibels,
            ..
        } if bound > 0.0 => format!("{} dB", gain_to_bound_text(bound as f32)),
        Kind::Float {
            text: FloatText::Milliseconds { .. } | FloatText::DecibelsPerOctave,
            ..
        }
        | Kind::Int { .. } => format!("{bound}{}", spec.unit()),
        _ => shown(spec, bound as f32),
    }
}

/// Exactly five comma-separated values, one for each of `params`.
fn parse_five(params: [Param; PARTIAL_COUNT], text: &str) -> Result<[f64; PARTIAL_COUNT], String> {
    let parts: Vec<&str> = text.split(',').collect();
    let Ok(parts) = <[&str; PARTIAL_COUNT]>::try_from(parts.as_slice()) else {
        return Err(format!(
            "expected {PARTIAL_COUNT} comma-separated values, one per partial, got {}",
            parts.len()
        ));
    };
    let mut values = [0.0; PARTIAL_COUNT];
    for ((value, param), part) in values.iter_mut().zip(params).zip(parts) {
        *value = parse_value(param.spec(), part)?;
    }
    Ok(values)
}

#[cfg(test)]
mod tests {
    use super::*;
    use quintet_core::params::gain_text::db_to_gain;

    /// Every option's usage (`--flag <VALUE>`) stays short enough for `render --help` to keep
    /// its help beside the options on a 100-column terminal or under them readably: a count's
    /// value name is the last word of its flag (`--partial-degrees` once showed
    /// `<PARTIAL_DEGREES,…>` five times, 105 columns, and every description shrank to one word a
    /// line), a rate in Hz reads HZ and a switch ON|OFF.
    #[test]
    fn every_options_usage_is_short_and_names_its_unit() {
        let command = SoundOptions::augment_args(Command::new("render"));
        let mut seen = 0;
        for arg in command.get_arguments() {
            let Some(flag) = arg.get_long() else { continue };
            let names: Vec<String> = arg
                .get_value_names()
                .unwrap_or_default()
                .iter()
                .map(|name| name.to_string())
                .collect();
            let usage = format!("--{flag} <{}>", names.join(" "));
            assert!(usage.len() <= 60, "{usage}: {} columns", usage.len());
            seen += 1;
        }
        assert!(seen >= 30, "every sound option: {seen}");
        let value_name = |param: Param| {
            let command = SoundOptions::augment_args(Command::new("render"));
            let flag = match param.spec().offered {
                Offered::Alone { flag, .. } => flag.expect("an option"),
                _ => unreachable!("alone"),
            };
            let arg = command
                .get_arguments()
                .find(|arg| arg.get_long() == Some(flag))
                .expect("the option")
                .clone();
            arg.get_value_names().unwrap()[0].to_string()
        };
        assert_eq!(value_name(Param::LFO_RATE), "HZ");
        assert_eq!(value_name(Param::MPE), "ON|OFF");
        assert_eq!(value_name(Param::UNISON_DETUNE), "CENTS");
    }

    #[test]
    fn levels_read_in_db_with_minus_infinity() {
        let levels = Param::LEVELS;
        assert_eq!(parse_five(levels, "0,-6,-inf,-12 dB,0").unwrap()[2], 0.0);
        let gain = Param::GAIN.spec();
        // What the plugin plays for the text: its normalized position's value (`as_played`).
        assert_eq!(
            parse_value(gain, "-6"),
            Ok(f64::from(gain.as_played(db_to_gain(-6.0))))
        );
        assert_eq!(
            parse_value(gain, "+12"),
            Ok(f64::from(gain.as_played(db_to_gain(12.0))))
        );
        assert_eq!(
            parse_value(gain, "13").unwrap_err(),
            "'13' (+13.0 dB) is outside -inf to +12 dB: above +12 dB"
        );
        let level = Param::LEVELS[0].spec();
        assert_eq!(
            parse_value(level, "3").unwrap_err(),
            "'3' (+3.0 dB) is outside -inf to 0 dB: above 0 dB"
        );
        assert!(
            parse_five(levels, "0,0")
                .unwrap_err()
                .contains("expected 5")
        );
        assert_eq!(parse_value(gain, "-infinity"), Ok(0.0));
        for not_a_number in ["nan", "NaN", "inf", "+inf", "infinity"] {
            let refused = parse_value(gain, not_a_number).unwrap_err();
            assert!(
                refused.contains("not a number"),
                "{not_a_number}: {refused}"
            );
        }
    }

    #[test]
    fn whole_numbers_and_times_are_checked_against_their_ranges() {
        let bend = Param::BEND_RANGE.spec();
        assert_eq!(parse_value(bend, "12"), Ok(12.0));
        assert!(
            parse_value(bend, "2.5")
                .unwrap_err()
                .contains("whole number")
        );
        let above = parse_value(bend, "97").unwrap_err();
        assert!(above.contains("above 96 st"), "{above}");
        let attack = Param::ATTACK.spec();
        assert_eq!(parse_value(attack, "40 ms"), Ok(40.0));
        assert!(
            parse_value(attack, "-1")
                .unwrap_err()
                .contains("below 0 ms")
        );
        assert_eq!(parse_value(Param::SUSTAIN.spec(), "50%"), Ok(0.5));
        let frequency = parse_value(Param::FREQUENCIES[0].spec(), "10").unwrap_err();
        assert!(
            frequency.ends_with("'10' (10 Hz) is outside 20 Hz to 20.00 kHz: below 20 Hz"),
            "{frequency}"
        );
    }
}
