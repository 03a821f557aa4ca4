//! Quintet's parameters: five partial frequencies and the output gain.
//!
//! The `#[id]` strings are permanent: hosts store automation and presets under them (VST3 hashes
//! them into its parameter ids). `tests/parameter_lock.rs` fails if an id, name, range or default
//! changes.

mod frequency_text;
mod gain_text;

pub use frequency_text::{FREQUENCY_STEP_HZ, frequency_to_text, text_to_frequency};

use crate::dsp::bank::{DEFAULT_FREQUENCIES_HZ, GAIN_RAMP_MS, GLIDE_MS, PARTIAL_COUNT};
use crate::editor::window_geometry::SavedGeometry;
use nice_plug::prelude::*;
use std::sync::Arc;

/// Lowest frequency a partial can play, in Hz.
pub const MIN_FREQUENCY_HZ: f32 = 20.0;
/// Highest frequency a partial can play, in Hz.
pub const MAX_FREQUENCY_HZ: f32 = 20_000.0;
/// Skew of the frequency sliders: the middle of the slider is 632 Hz (the geometric middle of
/// 20 Hz – 20 kHz) so the first half covers the notes a melody lives in.
const FREQUENCY_SKEW: f32 = 0.199;

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
    /// The editor window's size and zoom, saved with the state (not a parameter).
    #[persist = "editor"]
    pub editor: SavedGeometry,
}

impl Default for QuintetParams {
    fn default() -> Self {
        let [freq1, freq2, freq3, freq4, freq5] =
            std::array::from_fn(|k| frequency_param(k, DEFAULT_FREQUENCIES_HZ[k] as f32));
        Self {
            freq1,
            freq2,
            freq3,
            freq4,
            freq5,
            gain: FloatParam::new(
                "Gain",
                1.0,
                FloatRange::Skewed {
                    min: 0.0,
                    max: 1.0,
                    factor: FloatRange::gain_skew_factor(-60.0, 0.0),
                },
            )
            .with_smoother(SmoothingStyle::Linear(GAIN_RAMP_MS as f32))
            .with_unit(" dB")
            .with_value_to_string(Arc::new(gain_text::gain_to_text))
            .with_string_to_value(formatters::s2v_f32_gain_to_db()),
            editor: SavedGeometry::default(),
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
    // The framework's smoother mirrors the bank's glide; the plugin reads whether it is
    // smoothing to tell automation (glide) from a state load (jump).
    .with_smoother(SmoothingStyle::Logarithmic(GLIDE_MS as f32))
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
    fn silence_matches_where_the_gain_reads_minus_infinity() {
        assert_eq!(SILENCE_GAIN, util::MINUS_INFINITY_GAIN);
    }
}
