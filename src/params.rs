//! Quintet's parameters: five partial frequencies, their levels and mutes, the output gain, and
//! MIDI mode with its voices, envelope, glide time and bend range.
//!
//! The `#[id]` strings are permanent: hosts store automation and presets under them (VST3 hashes
//! them into its parameter ids). `tests/clap_host/parameter_lock.rs` fails if an id, name, range
//! or default changes.

mod changes;
pub mod editor_size;

pub use changes::ChangeCount;
pub use quintet_core::params::frequency_text::{
    self, FREQUENCY_STEP_HZ, frequency_to_text, text_to_frequency,
};
use quintet_core::params::{gain_text, registry::FREQUENCY_RANGE};

use crate::dsp::bank::{
    DEFAULT_FREQUENCIES_HZ, GAIN_RAMP_MS, GLIDE_MS, LEVEL_RAMP_MS, PARTIAL_COUNT,
};
use crate::dsp::envelope::{ATTACK_MS, DECAY_MS, EnvelopeShape, RELEASE_MS, SUSTAIN_LEVEL};
use crate::engine::pitch::DEFAULT_BEND_RANGE_SEMITONES;
use crate::engine::{MAX_VOICES, Modulated, Settings};
use changes::Watched;
use editor_size::SavedEditorSize;
use nice_plug::plugin::ParamValue;
use nice_plug::prelude::*;
use std::collections::BTreeMap;
use std::sync::Arc;

pub use quintet_core::limits::{
    MAX_ENVELOPE_MS, MAX_FREQUENCY_HZ, MAX_MIDI_GLIDE_MS, MIN_FREQUENCY_HZ,
};
/// Voices a new instance plays with ([`quintet_core::limits::DEFAULT_VOICES`]). A state saved
/// before voices existed keeps one.
pub const DEFAULT_VOICES: i32 = quintet_core::limits::DEFAULT_VOICES as i32;
/// Furthest the pitch-bend range goes, in semitones (MPE's largest).
pub const MAX_BEND_RANGE: i32 = 96;

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
    /// MIDI mode's notes at once, 1 ..= 16 (1 = legato, last-note priority).
    #[id = "voices"]
    pub voices: IntParam,
    /// The note envelope: attack, decay and release in milliseconds, sustain as a fraction of
    /// the velocity (shown in %).
    #[id = "attack"]
    pub attack: FloatParam,
    #[id = "decay"]
    pub decay: FloatParam,
    #[id = "sustain"]
    pub sustain: FloatParam,
    #[id = "release"]
    pub release: FloatParam,
    /// How far the pitch wheel bends, in semitones either way.
    #[id = "bendrng"]
    pub bend_range: IntParam,
    /// The editor window's size and zoom, saved with the state (not a parameter).
    #[persist = "editor"]
    pub editor: SavedEditorSize,
    /// Counts every change of a parameter's value (not a parameter): the audio thread skips
    /// its parameter work while the count stands.
    pub changes: Arc<ChangeCount>,
}

impl Default for QuintetParams {
    fn default() -> Self {
        let changes = Arc::new(ChangeCount::default());
        let [freq1, freq2, freq3, freq4, freq5] = std::array::from_fn(|k| {
            frequency_param(k, DEFAULT_FREQUENCIES_HZ[k] as f32).watched_by(&changes)
        });
        let [level1, level2, level3, level4, level5] = std::array::from_fn(|k| {
            gain_param(format!("Partial {} level", k + 1), LEVEL_RAMP_MS)
                .with_poly_modulation_id(poly_modulation_id(Modulated::Level(k)))
                .watched_by(&changes)
        });
        let [mute1, mute2, mute3, mute4, mute5] = std::array::from_fn(|k| {
            BoolParam::new(format!("Partial {} mute", k + 1), false).watched_by(&changes)
        });
        Self {
            freq1,
            freq2,
            freq3,
            freq4,
            freq5,
            gain: gain_param(String::from("Gain"), GAIN_RAMP_MS)
                .with_poly_modulation_id(poly_modulation_id(Modulated::Gain))
                .watched_by(&changes),
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
            midi: BoolParam::new("MIDI mode", false).watched_by(&changes),
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
            .with_string_to_value(Arc::new(text_to_milliseconds))
            .watched_by(&changes),
            voices: IntParam::new(
                "Voices",
                DEFAULT_VOICES,
                IntRange::Linear {
                    min: 1,
                    max: MAX_VOICES as i32,
                },
            )
            .watched_by(&changes),
            attack: envelope_time_param("Attack", ATTACK_MS).watched_by(&changes),
            decay: envelope_time_param("Decay", DECAY_MS).watched_by(&changes),
            sustain: FloatParam::new(
                "Sustain",
                SUSTAIN_LEVEL,
                FloatRange::Linear { min: 0.0, max: 1.0 },
            )
            .with_unit(" %")
            .with_value_to_string(formatters::v2s_f32_percentage(1))
            .with_string_to_value(Arc::new(text_to_fraction))
            .watched_by(&changes),
            release: envelope_time_param("Release", RELEASE_MS).watched_by(&changes),
            bend_range: IntParam::new(
                "Bend range",
                DEFAULT_BEND_RANGE_SEMITONES as i32,
                IntRange::Linear {
                    min: 0,
                    max: MAX_BEND_RANGE,
                },
            )
            .with_unit(" st")
            .watched_by(&changes),
            editor: SavedEditorSize::default(),
            changes,
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

    /// The parameter the host modulates per voice as `target` (see
    /// [`poly_modulation_id`]).
    pub fn modulated(&self, target: Modulated) -> &FloatParam {
        match target {
            Modulated::Level(partial) => self.levels()[partial.min(PARTIAL_COUNT - 1)],
            Modulated::Gain => &self.gain,
        }
    }

    /// The envelope as the engine takes it.
    pub fn envelope_shape(&self) -> EnvelopeShape {
        EnvelopeShape {
            attack_ms: f64::from(value_in_range(&self.attack)),
            decay_ms: f64::from(value_in_range(&self.decay)),
            sustain: value_in_range(&self.sustain),
            release_ms: f64::from(value_in_range(&self.release)),
        }
    }

    /// Every setting as the engine takes it, each value inside its parameter's range.
    pub fn engine_settings(&self) -> Settings {
        Settings {
            frequencies_hz: self.frequencies().map(|p| f64::from(value_in_range(p))),
            levels: self.levels_with_mutes(),
            gain: value_in_range(&self.gain),
            midi: self.midi.value(),
            voices: self.voices.value().clamp(1, MAX_VOICES as i32) as usize,
            midi_glide_ms: f64::from(value_in_range(&self.midi_glide)),
            envelope: self.envelope_shape(),
            bend_range_semitones: f64::from(self.bend_range.value().clamp(0, MAX_BEND_RANGE)),
        }
    }

    /// Each partial's own level: its level parameter, or silence when muted.
    pub fn levels_with_mutes(&self) -> [f32; PARTIAL_COUNT] {
        let (levels, mutes) = (self.levels(), self.mutes());
        std::array::from_fn(|k| {
            if mutes[k].value() {
                0.0
            } else {
                value_in_range(levels[k])
            }
        })
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

/// The parameters Quintet's first release had: every Quintet state names them.
const FIRST_RELEASE_IDS: [&str; 6] = ["freq1", "freq2", "freq3", "freq4", "freq5", "gain"];

/// Parameters added after the first release, with the value a state saved before they existed
/// means: full level, not muted, MIDI mode off, no glide, one voice under the old 5 ms / 20 ms
/// gate with a ±2 semitone wheel — the sound that state was saved with.
const ADDED_AFTER_FIRST_RELEASE: [(&str, ParamValue); 18] = [
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
    // Before voices existed MIDI mode played one: not today's default.
    ("voices", ParamValue::I32(1)),
    ("attack", ParamValue::F32(ATTACK_MS as f32)),
    ("decay", ParamValue::F32(DECAY_MS as f32)),
    ("sustain", ParamValue::F32(SUSTAIN_LEVEL)),
    ("release", ParamValue::F32(RELEASE_MS as f32)),
    (
        "bendrng",
        ParamValue::I32(DEFAULT_BEND_RANGE_SEMITONES as i32),
    ),
];

/// Parameters whose value for a state saved before they existed differs from a new instance's
/// default, on purpose (see [`DEFAULT_VOICES`]).
pub const MIGRATED_AWAY_FROM_DEFAULT: [&str; 1] = ["voices"];

/// Migrates the parameter values of a state saved before the per-partial levels, mutes and MIDI
/// mode existed: the framework only sets the parameters a state names, so without this an old
/// preset loaded over muted partials would stay muted.
///
/// A state with none of the first release's ids is not a Quintet state at all (another plugin's,
/// say): it is left alone, so it changes nothing, rather than being read as a very old Quintet.
pub fn add_missing_new_parameters(state_params: &mut BTreeMap<String, ParamValue>) {
    if !FIRST_RELEASE_IDS
        .iter()
        .any(|id| state_params.contains_key(*id))
    {
        return;
    }
    for (id, value) in ADDED_AFTER_FIRST_RELEASE {
        state_params.entry(String::from(id)).or_insert(value);
    }
}

/// Clamps every float value of a state being restored to its parameter's range (a NaN becomes
/// the default). nice-plug stores a restored plain value as the state says, unclamped: a damaged
/// or hostile state with `"gain": 5.0` would play at five times full scale, and `"mglide": 1e30`
/// glided for ever and was saved back as 1e30. Walking the parameters here, rather than clamping
/// each where it is read, means a parameter added later cannot be missed.
///
/// Frequencies also snap to their 0.01 Hz step, as nice-plug does for a host's position, so a
/// restored partial plays exactly the value its text names: a state from a version with the
/// 0.1 Hz step holds values up to one `f32` step (0.001 Hz) off today's grid.
pub fn clamp_restored_values(state_params: &mut BTreeMap<String, ParamValue>) {
    let params = QuintetParams::default();
    let frequencies = params.frequencies().map(|param| param as *const FloatParam);
    for (id, param, _group) in params.param_map() {
        // SAFETY: the pointers are into `params`, which outlives this loop.
        match (param, state_params.get_mut(&id)) {
            (ParamPtr::FloatParam(param), Some(ParamValue::F32(value))) => {
                let is_frequency = frequencies.contains(&param);
                let param = unsafe { &*param };
                let range = param.range();
                let (min, max) = range_bounds(&range);
                *value = if value.is_nan() {
                    param.default_plain_value()
                } else if is_frequency {
                    range.snap_to_step(*value, FREQUENCY_STEP_HZ)
                } else {
                    value.clamp(min, max)
                };
            }
            (ParamPtr::IntParam(param), Some(ParamValue::I32(value))) => {
                let param = unsafe { &*param };
                let (min, max) = int_range_bounds(&param.range());
                *value = (*value).clamp(min, max);
            }
            _ => {}
        }
    }
}

/// The values at either end of an integer range, lowest first.
fn int_range_bounds(range: &IntRange) -> (i32, i32) {
    match range {
        IntRange::Linear { min, max } => (*min, *max),
        IntRange::Reversed(inner) => int_range_bounds(inner),
    }
}

/// The id under which the host modulates `target` per voice (CLAP polyphonic modulation):
/// 0 ..= 4 for the partial levels, 5 for the gain.
pub fn poly_modulation_id(target: Modulated) -> u32 {
    target.index() as u32
}

/// What `poly_modulation_id` stands for.
pub fn modulated_by_id(id: u32) -> Option<Modulated> {
    Modulated::ALL.get(id as usize).copied()
}

/// The parameter's value, inside its range. Restored states are clamped where they are loaded
/// ([`clamp_restored_values`]); this second guard keeps what reaches the engine in range
/// whatever path a value took.
///
/// This runs for every parameter in every block, so the bounds come straight from the range
/// rather than from `preview_plain(0.0)` and `(1.0)`, which evaluate the skew's `powf` (that was
/// 60% of `process` at 64-sample blocks).
pub fn value_in_range(param: &FloatParam) -> f32 {
    let (min, max) = range_bounds(&param.range());
    param.value().clamp(min, max)
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

/// An envelope time in milliseconds, 0 to [`MAX_ENVELOPE_MS`], finer at the short end.
fn envelope_time_param(name: &str, default_ms: f64) -> FloatParam {
    FloatParam::new(
        name,
        default_ms as f32,
        FloatRange::Skewed {
            min: 0.0,
            max: MAX_ENVELOPE_MS,
            factor: FloatRange::skew_factor(-2.0),
        },
    )
    .with_step_size(0.1)
    .with_unit(" ms")
    .with_value_to_string(formatters::v2s_f32_rounded(1))
    .with_string_to_value(Arc::new(text_to_milliseconds))
}

/// A typed percentage ("50", "50 %") as a fraction, refusing non-finite numbers.
fn text_to_fraction(text: &str) -> Option<f32> {
    let number = text.trim().trim_end_matches('%').trim_end();
    number
        .parse::<f32>()
        .ok()
        .filter(|percent| percent.is_finite())
        .map(|percent| percent / 100.0)
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
        min: FREQUENCY_RANGE.min,
        max: FREQUENCY_RANGE.max,
        factor: match FREQUENCY_RANGE.scale {
            quintet_core::params::Scale::Skewed { factor } => factor,
            quintet_core::params::Scale::Linear => 1.0,
        },
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
    .with_string_to_value(Arc::new(|text| {
        text_to_frequency(text).map(frequency_text::value_that_lands_on)
    }))
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
        let param = &params.freq2;
        for text in [
            "20 Hz",
            "20.01 Hz",
            "200 Hz",
            "250 Hz",
            "440 Hz",
            "440.5 Hz",
            "1.20 kHz",
            "16.2944 kHz",
            "16.38482 kHz",
            "19.99999 kHz",
            "20.00 kHz",
        ] {
            let value = text_to_frequency(text).unwrap();
            let normalized = param.string_to_normalized_value(text).unwrap();
            assert_eq!(param.preview_plain(normalized), value, "{text}");
            assert_eq!(param.normalized_value_to_string(normalized, true), text);
        }
    }

    #[test]
    fn a_restored_frequency_plays_the_value_its_text_names() {
        // 16294.4 Hz as the 0.1 Hz grid of earlier versions held it: one f32 step off today's.
        let saved = (16_294.4f32 / 0.1).round() * 0.1;
        assert_ne!(Some(saved), text_to_frequency("16.2944 kHz"));
        let mut state = BTreeMap::from([
            (String::from("freq1"), ParamValue::F32(saved)),
            (String::from("freq2"), ParamValue::F32(440.123)),
            (String::from("freq3"), ParamValue::F32(200.0)),
            (String::from("attack"), ParamValue::F32(5.123)),
        ]);
        clamp_restored_values(&mut state);
        let value = |id: &str| match state[id] {
            ParamValue::F32(value) => value,
            _ => unreachable!(),
        };
        assert_eq!(Some(value("freq1")), text_to_frequency("16.2944 kHz"));
        assert!((value("freq1") - saved).abs() < 0.001);
        assert_eq!(Some(value("freq2")), text_to_frequency("440.12 Hz"));
        assert_eq!(value("freq3"), 200.0);
        // Only the frequencies: the other parameters keep what the state says.
        assert_eq!(value("attack"), 5.123);
    }

    #[test]
    fn every_parameter_added_after_the_first_release_is_migrated_at_its_default() {
        let params = QuintetParams::default();
        let original = FIRST_RELEASE_IDS;
        let mut migrated = BTreeMap::from([(String::from("freq1"), ParamValue::F32(200.0))]);
        add_missing_new_parameters(&mut migrated);
        migrated.remove("freq1");
        for (id, ptr, _) in params.param_map() {
            if original.contains(&id.as_str()) {
                continue;
            }
            let default = unsafe { ptr.default_normalized_value() };
            let expected = match migrated.get(&id) {
                Some(ParamValue::F32(v)) => unsafe { ptr.preview_normalized(*v) },
                Some(ParamValue::I32(v)) => unsafe { ptr.preview_normalized(*v as f32) },
                Some(ParamValue::Bool(v)) => f32::from(u8::from(*v)),
                other => panic!("{id} migrates to {other:?}"),
            };
            if MIGRATED_AWAY_FROM_DEFAULT.contains(&id.as_str()) {
                assert_ne!(expected, default, "{id}");
            } else {
                assert_eq!(expected, default, "{id}");
            }
        }
        assert_eq!(migrated.len() + original.len(), params.param_map().len());
    }

    #[test]
    fn a_state_that_has_the_new_parameters_keeps_them() {
        let mut state = BTreeMap::from([
            (String::from("gain"), ParamValue::F32(1.0)),
            (String::from("level2"), ParamValue::F32(0.25)),
        ]);
        add_missing_new_parameters(&mut state);
        assert!(matches!(state["level2"], ParamValue::F32(v) if v == 0.25));
        assert!(matches!(state["voices"], ParamValue::I32(1)));
    }

    #[test]
    fn a_state_without_any_of_quintets_ids_is_not_migrated() {
        let mut state = BTreeMap::from([(String::from("cutoff"), ParamValue::F32(0.5))]);
        add_missing_new_parameters(&mut state);
        assert_eq!(state.len(), 1);
    }

    #[test]
    fn silence_matches_where_the_gain_reads_minus_infinity() {
        assert_eq!(SILENCE_GAIN, util::MINUS_INFINITY_GAIN);
    }
}
