//! What one parameter's declaration holds ([`ParamSpec`]) and what can be asked of it.

use super::range::FloatRange;
use super::{gain_text, text};
use crate::engine::Modulated;

/// One parameter, declared once in [`super::registry::PARAMS`].
#[derive(Clone, Copy, Debug)]
pub struct ParamSpec {
    /// The permanent id: hosts store automation, presets and projects under it (VST3 and CLAP
    /// hash it into their numeric ids). Never change one: add a parameter instead.
    pub id: &'static str,
    /// What hosts and the editor call it.
    pub name: &'static str,
    pub kind: Kind,
    /// A new instance's value, in the plain unit (a switch: 0 or 1).
    pub default: f32,
    /// What a state saved before this parameter existed means, in the plain unit: `None` for
    /// the parameters of the first release, which every Quintet state names. Usually the
    /// default; not when the sound such a state was saved with needs another value (voices).
    pub before_it_existed: Option<f32>,
    /// The CLAP host may modulate it per voice as this (polyphonic modulation).
    pub modulated: Option<Modulated>,
    /// How the `render` command and the Python module take it.
    pub offered: Offered,
}

/// The kind of value a parameter holds.
#[derive(Clone, Copy, Debug)]
pub enum Kind {
    /// A continuous value.
    Float {
        range: FloatRange,
        /// The grid values snap to, in the plain unit (`None`: none).
        step: Option<f32>,
        text: FloatText,
        /// How long the engine takes to move to a new value, in milliseconds: a pitch-even
        /// glide for a frequency, a linear ramp for a level or the gain. `None`: taken at once
        /// (the engine smooths those itself where it must, as the envelope does).
        smoothing_ms: Option<f32>,
    },
    /// A whole number from `min` to `max`; `unit` follows it in text (" st"). With `names`
    /// (one per value, from `min`) it is a choice, shown and typed by name (a number is taken
    /// too).
    Int {
        min: i32,
        max: i32,
        unit: &'static str,
        names: &'static [&'static str],
    },
    /// On (1) or off (0).
    Switch,
}

/// How a continuous parameter's value reads and is typed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FloatText {
    /// Hz below 1 kHz, kHz above, every digit of the 0.01 Hz step; typed as Hz, kHz or a note
    /// name ([`super::frequency_text`]).
    Frequency,
    /// A linear gain shown in dB with one decimal, "-inf" for silence
    /// ([`super::gain_text`]).
    Decibels,
    /// Milliseconds with this many decimals.
    Milliseconds { decimals: usize },
    /// A fraction 0 ..= 1 shown as a percentage with this many decimals.
    Percent { decimals: usize },
    /// A factor shown as "×0.50" (two decimals); typed "×0.5", "x0.5", "0.5x" or "0.5".
    Times,
    /// Decibels per octave with one decimal (a key tilt).
    DecibelsPerOctave,
    /// A plain number with this many decimals and `unit` after it (" ct", " dB"), typed with
    /// or without the unit.
    Number { unit: &'static str, decimals: usize },
}

/// How the `render` command and the Python module offer a parameter.
#[derive(Clone, Copy, Debug)]
pub enum Offered {
    /// On its own: the Python keyword argument and property `key`, and `render --flag`.
    Alone {
        key: &'static str,
        flag: Option<&'static str>,
        /// What it does, one sentence for the help texts (the range and default are added).
        doc: &'static str,
    },
    /// As partial `partial` (0-based) of a family: five values in one argument.
    Partial {
        family: &'static Family,
        partial: usize,
    },
    /// Not offered: it follows from something else there.
    No,
}

/// Five parameters, one per partial, offered together (frequencies, levels, the partials'
/// envelopes and touch).
#[derive(Debug)]
pub struct Family {
    /// The Python keyword argument and property.
    pub key: &'static str,
    /// The `render` option, which takes five comma-separated values.
    pub flag: Option<&'static str>,
    /// What it does, one sentence for the help texts.
    pub doc: &'static str,
}

impl ParamSpec {
    /// The lowest and highest plain values.
    #[inline]
    pub fn bounds(&self) -> (f64, f64) {
        match self.kind {
            Kind::Float { range, .. } => (f64::from(range.min), f64::from(range.max)),
            Kind::Int { min, max, .. } => (f64::from(min), f64::from(max)),
            Kind::Switch => (0.0, 1.0),
        }
    }

    /// `value` if the parameter can hold it: finite, in range, whole for a count, 0 or 1 for a
    /// switch. Continuous values are not snapped to the step: the engine plays any value in
    /// range exactly (the plugin's host-facing grid is the plugin's).
    pub fn check(&'static self, value: f64) -> Result<f64, OutOfRange> {
        let (min, max) = self.bounds();
        let whole = !matches!(self.kind, Kind::Float { .. });
        if value.is_finite() && (min..=max).contains(&value) && (!whole || value.fract() == 0.0) {
            Ok(value)
        } else {
            Err(OutOfRange { spec: self, value })
        }
    }

    /// The nearest value the parameter can hold (a NaN: the default), for values that must be
    /// taken whatever they are (a damaged state, an old preset).
    // Always inlined: the audio thread clamps a few known parameters at every automation
    // event, and inlined with a constant parameter this folds to two comparisons.
    #[inline(always)]
    pub fn clamp(&self, value: f64) -> f64 {
        if value.is_nan() {
            return f64::from(self.default);
        }
        let (min, max) = self.bounds();
        let value = value.clamp(min, max);
        match self.kind {
            Kind::Float { .. } => value,
            Kind::Int { .. } => value.round(),
            Kind::Switch => f64::from(u8::from(value >= 0.5)),
        }
    }

    /// Where plain `value` sits on the parameter's control, 0 ..= 1 (clamped to the range
    /// first): the position a host automates and stores, as nice-plug computes it for the
    /// plugin's parameter (src/params.rs's tests check the two agree to the bit).
    pub fn normalize(&self, value: f32) -> f32 {
        match self.kind {
            Kind::Float { range, .. } => range.normalize(value),
            Kind::Int { min, max, .. } => {
                let whole = value.round().clamp(min as f32, max as f32) as i32;
                ((whole - min) as f32 / (max - min) as f32).clamp(0.0, 1.0)
            }
            Kind::Switch => f32::from(u8::from(value >= 0.5)),
        }
    }

    /// The plain value a host's position `normalized` plays (clamped to 0 ..= 1 first): on
    /// the step's grid for a continuous value, a whole number for a count, 0 or 1 for a
    /// switch. nice-plug's own mapping for the plugin's parameter, to the bit.
    pub fn unnormalize(&self, normalized: f32) -> f32 {
        let normalized = normalized.clamp(0.0, 1.0);
        match self.kind {
            Kind::Float { range, step, .. } => {
                let value = range.unnormalize(normalized);
                step.map_or(value, |step| range.snap_to_step(value, step))
            }
            Kind::Int { min, max, .. } => {
                ((normalized * (max - min) as f32).round() as i32 + min) as f32
            }
            Kind::Switch => f32::from(u8::from(normalized > 0.5)),
        }
    }

    /// The value the plugin plays when it is set to `value` (clamped to the range): a host
    /// hands every value over as its normalized position, so the plugin plays the plain value
    /// of that position, which for a level or the gain can differ from `value` in its last bit.
    /// What `render` and the Python module take for a typed text, so they play the plugin's
    /// samples to the bit.
    pub fn as_played(&self, value: f32) -> f32 {
        self.unnormalize(self.normalize(value))
    }

    /// The unit text follows a value with, with its leading space (" Hz" is part of a
    /// frequency's own text: none).
    pub fn unit(&self) -> &'static str {
        match self.kind {
            Kind::Float { text, .. } => text::unit(text),
            Kind::Int { unit, .. } => unit,
            Kind::Switch => "",
        }
    }

    /// The unit of the plain value, with its leading space: what [`super::Values`] holds and the
    /// Python module takes (" Hz", " ms", " st"; none for a linear gain, a fraction, a count or
    /// a switch).
    pub fn plain_unit(&self) -> &'static str {
        match self.kind {
            Kind::Float { text, .. } => match text {
                FloatText::Frequency => " Hz",
                FloatText::Milliseconds { .. } => " ms",
                FloatText::DecibelsPerOctave => " dB/oct",
                FloatText::Number { unit, .. } => unit,
                FloatText::Decibels | FloatText::Percent { .. } | FloatText::Times => "",
            },
            Kind::Int { unit, .. } => unit,
            Kind::Switch => "",
        }
    }

    /// `value` as the plugin shows it, without [`Self::unit`].
    pub fn value_to_text(&self, value: f32) -> String {
        match self.kind {
            Kind::Float { text, .. } => text::float_to_text(text, value),
            Kind::Int { min, names, .. } => {
                let whole = value.round() as i64;
                usize::try_from(whole - i64::from(min))
                    .ok()
                    .and_then(|index| names.get(index))
                    .map_or_else(|| format!("{whole}"), |name| String::from(*name))
            }
            Kind::Switch => String::from(if value >= 0.5 { "On" } else { "Off" }),
        }
    }

    /// The plain value typed `text` means (with or without the unit), or `None`. Not checked
    /// against the range: a host clamps, a command line refuses ([`Self::check`]).
    pub fn text_to_value(&self, text: &str) -> Option<f32> {
        match self.kind {
            Kind::Float { text: how, .. } => text::text_to_float(how, text),
            Kind::Int {
                unit, min, names, ..
            } => {
                let named = names
                    .iter()
                    .position(|name| name.eq_ignore_ascii_case(text.trim()));
                if let Some(index) = named {
                    return Some((index as i32 + min) as f32);
                }
                let number = text.trim().trim_end_matches(unit.trim()).trim_end();
                number.parse::<i32>().ok().map(|count| count as f32)
            }
            Kind::Switch => match text.trim().to_ascii_lowercase().as_str() {
                "on" | "1" | "true" | "yes" => Some(1.0),
                "off" | "0" | "false" | "no" => Some(0.0),
                _ => None,
            },
        }
    }

    /// The range in words, for errors and help: "0 to 10000 ms", "20 Hz to 20.00 kHz", "-inf to
    /// 0 dB", "-inf to +12 dB".
    pub fn range_text(&self) -> String {
        let (min, max) = self.bounds();
        let text = |value: f64| format!("{}{}", self.value_to_text(value as f32), self.unit());
        match self.kind {
            Kind::Int { names, .. } if !names.is_empty() => names.join(", "),
            // As typed: silence, and whole dB (full scale is "0 dB", not "0.0 dB").
            Kind::Float {
                text: FloatText::Decibels,
                ..
            } => {
                let db = |gain: f64| gain_text::gain_to_bound_text(gain as f32);
                format!("{} to {} dB", db(min), db(max))
            }
            Kind::Float {
                text: FloatText::Milliseconds { .. } | FloatText::DecibelsPerOctave,
                ..
            }
            | Kind::Int { .. } => format!("{min} to {max}{}", self.unit()),
            Kind::Float {
                text: FloatText::Percent { .. },
                ..
            } => format!("{} to {} %", min * 100.0, max * 100.0),
            _ => format!("{} to {}", text(min), text(max)),
        }
    }

    /// The name front ends call it by: its key, or its family's with the partial's index.
    pub fn key(&self) -> Option<String> {
        match self.offered {
            Offered::Alone { key, .. } => Some(key.to_owned()),
            Offered::Partial { family, partial } => Some(format!("{}[{partial}]", family.key)),
            Offered::No => None,
        }
    }
}

/// A value a parameter cannot hold (see [`ParamSpec::check`]).
#[derive(Clone, Copy, Debug)]
pub struct OutOfRange {
    pub spec: &'static ParamSpec,
    pub value: f64,
}

impl std::fmt::Display for OutOfRange {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let whole = match self.spec.kind {
            Kind::Float { .. } => "",
            Kind::Int { .. } => "a whole number ",
            Kind::Switch => "0 or 1, ",
        };
        let name = self.spec.key().unwrap_or_else(|| self.spec.id.to_owned());
        write!(
            f,
            "{name} must be {whole}from {}, got {}",
            self.spec.range_text(),
            self.value
        )
    }
}

impl std::error::Error for OutOfRange {}
