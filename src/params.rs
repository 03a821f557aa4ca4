//! Quintet's parameters: five partial frequencies, their levels and mutes, the output gain, and
//! MIDI mode with its glide time.
//!
//! The `#[id]` strings are permanent: hosts store automation and presets under them (VST3 hashes
//! them into its parameter ids). `tests/clap_host/parameter_lock.rs` fails if an id, name, range
//! or default changes.

pub mod editor_size;
mod frequency_text;
mod gain_text;

pub use frequency_text::{FREQUENCY_STEP_HZ, frequency_to_text, text_to_frequency};

use crate::dsp::bank::{
    DEFAULT_FREQUENCIES_HZ, GAIN_RAMP_MS, GLIDE_MS, LEVEL_RAMP_MS, PARTIAL_COUNT,
};
use editor_size::SavedEditorSize;
use nice_plug::plugin::ParamValue;
use nice_plug::prelude::*;
use std::collections::BTreeMap;
use std::sync::Arc;

/// Lowest frequency a partial can play, in Hz.
pub const MIN_FREQUENCY_HZ: f32 = 20.0;
/// Highest frequency a partial can play, in Hz.
pub const MAX_FREQUENCY_HZ: f32 = 20_000.0;
/// Skew of the frequency sliders: the middle of the slider is 632 Hz (the geometric middle of
/// 20 Hz – 20 kHz) so the first half covers the notes a melody lives in.
const FREQUENCY_SKEW: f32 = 0.199;
/// Longest MIDI-mode glide between notes, in milliseconds.
pub const MAX_MIDI_GLIDE_MS: f32 = 1000.0;

#[derive(Params)]
pub struct QuintetParams {
    #[id = "freq1"]
    pub freq1: FloatParam,
    #[id = "freq2"]
    pub freq2: FloatParam,
    #[id = "freq3"]
    pub freq3: FloatParam,
    #[id = "freq4"]
    pub freq4: FloatParam,
    #[id = "freq5"]
    pub freq5: FloatParam,
    /// Output level: linear gain shown in dB, 0 (−inf dB) to 1 (0 dB).
    #[id = "gain"]
    pub gain: FloatParam,
    /// Each partial's own level: linear gain shown in dB, 0 (−inf dB) to 1 (0 dB).
    #[id = "level1"]
    pub level1: FloatParam,
    #[id = "level2"]
    pub level2: FloatParam,
    #[id = "level3"]
    pub level3: FloatParam,
    #[id = "level4"]
    pub level4: FloatParam,
    #[id = "level5"]
    pub level5: FloatParam,
    /// Silences a partial without touching its level.
    #[id = "mute1"]
    pub mute1: BoolParam,
    #[id = "mute2"]
    pub mute2: BoolParam,
    #[id = "mute3"]
    pub mute3: BoolParam,
    #[id = "mute4"]
    pub mute4: BoolParam,
    #[id = "mute5"]
    pub mute5: BoolParam,
    /// Off: the partials play as a drone. On: notes gate them and transpose them together.
    #[id = "midi"]
    pub midi: BoolParam,
    /// MIDI mode's glide from one note to the next, in milliseconds (0 = none).
    #[id = "mglide"]
    pub midi_glide: FloatParam,
    /// The editor window's size and zoom, saved with the state (not a parameter).
    #[persist = "editor"]
    pub editor: SavedEditorSize,
}

impl Default for QuintetParams {
    fn default() -> Self {
        let [freq1, freq2, freq3, freq4, freq5] =
            std::array::from_fn(|k| frequency_param(k, DEFAULT_FREQUENCIES_HZ[k] as f32));
        let [level1, level2, level3, level4, level5] =
            std::array::from_fn(|k| gain_param(format!("Partial {} level", k + 1), LEVEL_RAMP_MS));
        let [mute1, mute2, mute3, mute4, mute5] =
            std::array::from_fn(|k| BoolParam::new(format!("Partial {} mute", k + 1), false));
        Self {
            freq1,
            freq2,
            freq3,
            freq4,
            freq5,
            gain: gain_param(String::from("Gain"), GAIN_RAMP_MS),
            level1,
            level2,
            level3,
            level4,
            level5,
            mute1,
            mute2,
            mute3,
            mute4,
            mute5,
            midi: BoolParam::new("MIDI mode", false),
            midi_glide: FloatParam::new(
                "MIDI glide",
                0.0,
                FloatRange::Skewed {
                    min: 0.0,
                    max: MAX_MIDI_GLIDE_MS,
                    factor: FloatRange::skew_factor(-1.0),
                },
            )
            .with_step_size(1.0)
            .with_unit(" ms")
            .with_value_to_string(formatters::v2s_f32_rounded(0))
            .with_string_to_value(Arc::new(text_to_milliseconds)),
            editor: SavedEditorSize::default(),
        }
    }
}

impl QuintetParams {
    /// The five frequency parameters, partial 1 first.
    pub fn frequencies(&self) -> [&FloatParam; PARTIAL_COUNT] {
        [
            &self.freq1,
            &self.freq2,
            &self.freq3,
            &self.freq4,
            &self.freq5,
        ]
    }

    /// The five level parameters, partial 1 first.
    pub fn levels(&self) -> [&FloatParam; PARTIAL_COUNT] {
        [
            &self.level1,
            &self.level2,
            &self.level3,
            &self.level4,
            &self.level5,
        ]
    }

    /// The five mute parameters, partial 1 first.
    pub fn mutes(&self) -> [&BoolParam; PARTIAL_COUNT] {
        [
            &self.mute1,
            &self.mute2,
            &self.mute3,
            &self.mute4,
            &self.mute5,
        ]
    }
}

/// Parameters added after the first release, with the value a state saved before they existed
/// means: full level, not muted, MIDI mode off, no glide — the sound that state was saved with.
const ADDED_AFTER_FIRST_RELEASE: [(&str, ParamValue); 12] = [
    ("level1", ParamValue::F32(1.0)),
    ("level2", ParamValue::F32(1.0)),
    ("level3", ParamValue::F32(1.0)),
    ("level4", ParamValue::F32(1.0)),
    ("level5", ParamValue::F32(1.0)),
    ("mute1", ParamValue::Bool(false)),
    ("mute2", ParamValue::Bool(false)),
    ("mute3", ParamValue::Bool(false)),
    ("mute4", ParamValue::Bool(false)),
    ("mute5", ParamValue::Bool(false)),
    ("midi", ParamValue::Bool(false)),
    ("mglide", ParamValue::F32(0.0)),
];

/// Migrates the parameter values of a state saved before the per-partial levels, mutes and MIDI
/// mode existed: the framework only sets the parameters a state names, so without this an old
/// preset loaded over muted partials would stay muted.
pub fn add_missing_new_parameters(state_params: &mut BTreeMap<String, ParamValue>) {
    for (id, value) in ADDED_AFTER_FIRST_RELEASE {
        state_params.entry(String::from(id)).or_insert(value);
    }
}

/// Clamps every float value of a state being restored to its parameter's range (a NaN becomes
/// the default). nice-plug stores a restored plain value as the state says, unclamped: a damaged
/// or hostile state with `"gain": 5.0` would play at five times full scale, and `"mglide": 1e30`
/// glided for ever and was saved back as 1e30. Walking the parameters here, rather than clamping
/// each where it is read, means a parameter added later cannot be missed.
pub fn clamp_restored_values(state_params: &mut BTreeMap<String, ParamValue>) {
    let params = QuintetParams::default();
    for (id, param, _group) in params.param_map() {
        let ParamPtr::FloatParam(param) = param else {
            continue;
        };
        // SAFETY: the pointer is into `params`, which outlives this loop.
        let param = unsafe { &*param };
        if let Some(ParamValue::F32(value)) = state_params.get_mut(&id) {
            let (min, max) = range_bounds(&param.range());
            *value = if value.is_nan() {
                param.default_plain_value()
            } else {
                value.clamp(min, max)
            };
        }
    }
}

/// The plain values at either end of a range, lowest first. Read from the range itself: the
/// ends through `preview_plain(0.0)` and `(1.0)` would evaluate the skew's `powf`.
pub fn range_bounds(range: &FloatRange) -> (f32, f32) {
    match range {
        FloatRange::Linear { min, max }
        | FloatRange::Skewed { min, max, .. }
        | FloatRange::SymmetricalSkewed { min, max, .. } => (*min, *max),
        FloatRange::Reversed(inner) => range_bounds(inner),
    }
}

/// An amplitude parameter: linear gain shown in dB, from silence ("-inf") to 0 dB, default 0 dB.
fn gain_param(name: String, ramp_ms: f64) -> FloatParam {
    FloatParam::new(
        name,
        1.0,
        FloatRange::Skewed {
            min: 0.0,
            max: 1.0,
            factor: FloatRange::gain_skew_factor(-60.0, 0.0),
        },
    )
    .with_smoother(SmoothingStyle::Linear(ramp_ms as f32))
    .with_unit(" dB")
    .with_value_to_string(Arc::new(gain_text::gain_to_text))
    .with_string_to_value(Arc::new(text_to_gain))
}

/// Typed milliseconds ("40", "40 ms"), refusing non-finite numbers: nice-plug's default parser
/// reads "nan" as NaN, which a host would store as the parameter's position.
fn text_to_milliseconds(text: &str) -> Option<f32> {
    let number = text.trim().trim_end_matches("ms").trim_end();
    number.parse::<f32>().ok().filter(|ms| ms.is_finite())
}

/// nice-plug's dB parser, refusing what is not a finite gain: it reads typed "nan" as NaN, which a
/// host would then store as the parameter's position (found by tests/clap_host/fuzz_text.rs).
fn text_to_gain(text: &str) -> Option<f32> {
    formatters::s2v_f32_gain_to_db()(text).filter(|gain| gain.is_finite())
}

/// The range every frequency parameter uses.
pub fn frequency_range() -> FloatRange {
    FloatRange::Skewed {
        min: MIN_FREQUENCY_HZ,
        max: MAX_FREQUENCY_HZ,
        factor: FREQUENCY_SKEW,
    }
}

fn frequency_param(index: usize, default_hz: f32) -> FloatParam {
    FloatParam::new(
        format!("Partial {}", index + 1),
        default_hz,
        frequency_range(),
    )
    // The plugin reads only whether the framework's smoother is smoothing, to tell automation
    // (glide) from a state load (jump, which resets it); the bank does the pitch-even glide
    // itself. A linear smoother answers that as well and is cheaper for the framework on every
    // event than a logarithmic one (no `pow` when it retargets, none per block), which mattered
    // for hosts that send dense automation (docs/PERFORMANCE.md).
    .with_smoother(SmoothingStyle::Linear(GLIDE_MS as f32))
    .with_step_size(FREQUENCY_STEP_HZ)
    .with_value_to_string(Arc::new(frequency_to_text))
    .with_string_to_value(Arc::new(text_to_frequency))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dsp::bank::SILENCE_GAIN;

    #[test]
    fn the_middle_of_a_frequency_slider_is_the_geometric_middle_of_the_range() {
        let middle = frequency_range().unnormalize(0.5);
        assert!((middle / 632.5 - 1.0).abs() < 0.02, "{middle}");
    }

    #[test]
    fn a_host_setting_a_displayed_value_gets_that_exact_value() {
        let params = QuintetParams::default();
        for hz in [
            20.0, 200.0, 250.0, 440.0, 440.5, 1200.0, 16_294.4, 19_999.9, 20_000.0,
        ] {
            let param = &params.freq2;
            let normalized = param.preview_normalized(hz);
            assert_eq!(param.preview_plain(normalized), hz, "{hz} Hz");
        }
    }

    #[test]
    fn every_parameter_added_after_the_first_release_is_migrated_at_its_default() {
        let params = QuintetParams::default();
        let original = ["freq1", "freq2", "freq3", "freq4", "freq5", "gain"];
        let mut migrated = BTreeMap::new();
        add_missing_new_parameters(&mut migrated);
        for (id, ptr, _) in params.param_map() {
            if original.contains(&id.as_str()) {
                continue;
            }
            let default = unsafe { ptr.default_normalized_value() };
            let expected = match migrated.get(&id) {
                Some(ParamValue::F32(v)) => unsafe { ptr.preview_normalized(*v) },
                Some(ParamValue::Bool(v)) => f32::from(u8::from(*v)),
                other => panic!("{id} migrates to {other:?}"),
            };
            assert_eq!(expected, default, "{id}");
        }
        assert_eq!(migrated.len() + original.len(), params.param_map().len());
    }

    #[test]
    fn a_state_that_has_the_new_parameters_keeps_them() {
        let mut state = BTreeMap::from([(String::from("level2"), ParamValue::F32(0.25))]);
        add_missing_new_parameters(&mut state);
        assert!(matches!(state["level2"], ParamValue::F32(v) if v == 0.25));
    }

    #[test]
    fn silence_matches_where_the_gain_reads_minus_infinity() {
        assert_eq!(SILENCE_GAIN, util::MINUS_INFINITY_GAIN);
    }
}
