//! Where a plain value sits on a parameter's control, 0 ..= 1: the position hosts automate and
//! sliders show.
//!
//! The mapping is the one nice-plug's `FloatRange` uses (a power law for a skewed range), so the
//! plugin's parameters, built from these ranges, put every value where the renderer, the Python
//! module and the parameter lock expect it; src/params.rs's tests check the two agree to the bit.

/// How positions spread over a range.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Scale {
    /// Even steps of value.
    Linear,
    /// Position = proportion^factor: a factor below 1 gives the low end more of the control
    /// (frequencies, times, gains).
    Skewed { factor: f32 },
}

/// A continuous parameter's range, in its plain unit (Hz, ms, linear gain, fraction).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct FloatRange {
    pub min: f32,
    pub max: f32,
    pub scale: Scale,
}

impl FloatRange {
    /// Evenly from `min` to `max`.
    pub const fn linear(min: f32, max: f32) -> Self {
        Self {
            min,
            max,
            scale: Scale::Linear,
        }
    }

    /// From `min` to `max`, skewed by `factor` (see [`Scale::Skewed`]).
    pub const fn skewed(min: f32, max: f32, factor: f32) -> Self {
        Self {
            min,
            max,
            scale: Scale::Skewed { factor },
        }
    }

    /// The position of `plain` (clamped to the range first), 0 ..= 1.
    pub fn normalize(&self, plain: f32) -> f32 {
        let proportion = (plain.clamp(self.min, self.max) - self.min) / (self.max - self.min);
        match self.scale {
            Scale::Linear => proportion,
            Scale::Skewed { factor } => proportion.powf(factor),
        }
    }

    /// The plain value at `normalized` (clamped to 0 ..= 1 first).
    pub fn unnormalize(&self, normalized: f32) -> f32 {
        let normalized = normalized.clamp(0.0, 1.0);
        let proportion = match self.scale {
            Scale::Linear => normalized,
            Scale::Skewed { factor } => normalized.powf(factor.recip()),
        };
        proportion * (self.max - self.min) + self.min
    }

    /// `value` on the grid of `step` (a multiple of it), inside the range.
    pub fn snap_to_step(&self, value: f32, step: f32) -> f32 {
        ((value / step).round() * step).clamp(self.min, self.max)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_and_values_map_both_ways() {
        let range = FloatRange::skewed(20.0, 20_000.0, 0.199);
        for normalized in [0.0, 0.1, 0.25, 0.5, 0.75, 1.0] {
            let back = range.normalize(range.unnormalize(normalized));
            assert!((back - normalized).abs() < 1e-5, "{normalized}: {back}");
        }
        assert_eq!(range.unnormalize(-1.0), 20.0);
        assert_eq!(range.unnormalize(2.0), 20_000.0);
        assert_eq!(range.normalize(1e9), 1.0);
        let linear = FloatRange::linear(0.0, 1.0);
        assert_eq!(linear.unnormalize(0.25), 0.25);
        assert_eq!(linear.snap_to_step(0.123, 0.01), 0.12);
    }
}
