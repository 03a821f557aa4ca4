//! What movement (vibrato, tremolo, brightness, pressure, expressions) does to a bank at one
//! knot, and how a bank plays it between knots.
//!
//! A [`Knot`] is the movement's value at one sample of the engine's knot grid (see
//! [`super::lfo::KNOT_SAMPLES`]): one pitch ratio for the five partials and a level factor for
//! each. Between two knots the bank ramps each partial's phase increment linearly from
//! (its own frequency × ratio) at one knot to the same at the next, and its amplitude from
//! (its own level × factor) to the same: the phase stays the exact integer sum of the
//! increments played, as in a glide, and nothing steps.

use super::PARTIAL_COUNT;
use super::phase::PhaseRamp;
use super::sine::Level;

/// The movement at one knot (see the module documentation).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Knot {
    /// Every partial's frequency is multiplied by this (1 = unmoved).
    pub pitch_ratio: f64,
    /// Each partial's level is multiplied by this (1 = unmoved).
    pub levels: [f32; PARTIAL_COUNT],
}

impl Knot {
    /// No movement.
    pub const NEUTRAL: Knot = Knot {
        pitch_ratio: 1.0,
        levels: [1.0; PARTIAL_COUNT],
    };

    /// Whether it moves nothing (exactly).
    pub fn is_neutral(&self) -> bool {
        *self == Self::NEUTRAL
    }

    /// The values `position` samples into a ramp of `length` from `self` to `to`: exactly `to`
    /// at its end.
    pub fn towards(&self, to: &Knot, position: u32, length: u32) -> Knot {
        if position >= length {
            return *to;
        }
        let t = f64::from(position) / f64::from(length);
        Knot {
            pitch_ratio: self.pitch_ratio + (to.pitch_ratio - self.pitch_ratio) * t,
            levels: std::array::from_fn(|k| {
                let (a, b) = (self.levels[k], to.levels[k]);
                a + (b - a) * t as f32
            }),
        }
    }
}

/// A bank's movement under way: the ramp from one knot to the next, and each partial as it is
/// played (its own frequency and level moved by the ramp's values).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Moving {
    pub from: Knot,
    pub to: Knot,
    /// Samples from `from` to `to`, and how many of them are rendered.
    pub length: u32,
    pub position: u32,
    /// Each partial as it is played.
    pub played: [Played; PARTIAL_COUNT],
}

/// A partial as a movement plays it, one straight piece at a time. A piece runs from a knot or
/// the end of one of the partial's own segments to the next of either (sample positions the
/// notes and knots fix), so where a host splits its blocks never changes a value.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Played {
    /// Phase, increment and its slope across the piece (the partial's own ramp keeps its
    /// frequency without the movement).
    pub ramp: PhaseRamp,
    /// Amplitude across the piece.
    pub level: Level,
    /// Samples left in the piece (0: the next starts at the next sample).
    pub left: u32,
    /// Increment and amplitude at the piece's end, taken exactly there.
    pub end_increment: u64,
    pub end_level: f32,
    /// Which partial it is (0 ..= 4): which of a knot's level factors it takes.
    pub index: usize,
}

impl Played {
    /// A partial at `ramp` and amplitude `level`, between pieces.
    pub fn at(ramp: PhaseRamp, level: f32, index: usize) -> Self {
        Self {
            ramp: PhaseRamp { slope: 0, ..ramp },
            level: Level::steady(level),
            left: 0,
            end_increment: ramp.increment,
            end_level: level,
            index,
        }
    }
}

impl Moving {
    /// Samples until the next knot.
    pub fn samples_left(&self) -> u32 {
        self.length - self.position
    }

    /// The movement's values `samples` samples from now.
    pub fn ahead(&self, samples: usize) -> Knot {
        let position = self.position.saturating_add(samples as u32);
        self.from.towards(&self.to, position, self.length)
    }
}

/// The increment a partial whose own (unmoved) increment is `own` (`own_units`, the same as
/// `f64`) plays under a knot's `ratio`: exactly `own` at a ratio of 1, else the product
/// rounded to a whole multiple of 2^11 units (2^-53 turn per sample), clamped to `0 ..` just
/// below Nyquist. The one definition both renderers of moving voices use (the banks' pieces and
/// the chirp lanes' runs), written without a branch or a float-to-integer conversion, so that
/// the lanes' pass over all their partials vectorises (through the bits of 2^52).
#[inline(always)]
pub fn moved_increment(own: u64, own_units: f64, ratio: f64) -> u64 {
    const SHIFT: u32 = 11;
    const TWO_52: f64 = 4_503_599_627_370_496.0;
    // Nyquist (2^63) less a rounding step, so that the sum below stays under 2^53.
    const HIGHEST: f64 = 9_223_372_036_854_773_760.0;
    // `max` first: a NaN becomes 0 (`clamp` would keep it).
    #[allow(clippy::manual_clamp)]
    let units = (own_units * ratio).max(0.0).min(HIGHEST);
    let shifted = units * (1.0 / (1u64 << SHIFT) as f64) + TWO_52;
    let moved = (shifted.to_bits() & ((1 << 52) - 1)) << SHIFT;
    if ratio == 1.0 { own } else { moved }
}

/// The slope that takes an increment from `from` to `to` in `samples` samples (two's
/// complement; the segment ends on `to` exactly anyway, so the rounding never accumulates).
#[inline(always)]
pub fn slope_between(from: u64, to: u64, samples: u32) -> u64 {
    // Both increments are below 2^63, so their difference fits an i64. A power-of-two length
    // divides by a shift (rounding down instead of toward zero: at most one unit of 2^-64
    // turn per sample); a 64-bit division costs as much as the rest of a segment's set-up.
    let change = to.wrapping_sub(from) as i64;
    if samples.is_power_of_two() {
        (change >> samples.trailing_zeros()) as u64
    } else {
        (change / i64::from(samples.max(1))) as u64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_ramp_between_knots_ends_exactly_on_the_next() {
        let to = Knot {
            pitch_ratio: 1.01,
            levels: [0.5, 1.0, 1.5, 2.0, 0.1],
        };
        assert_eq!(Knot::NEUTRAL.towards(&to, 32, 32), to);
        assert_eq!(Knot::NEUTRAL.towards(&to, 0, 32), Knot::NEUTRAL);
        let half = Knot::NEUTRAL.towards(&to, 16, 32);
        assert!((half.pitch_ratio - 1.005).abs() < 1e-15);
        assert_eq!(half.levels[0], 0.75);
    }

    #[test]
    fn a_moved_increment_is_the_product_to_within_its_rounding() {
        for own in [1u64 << 40, 123_456_789_012_345_678, 1 << 62, (1 << 63) - 1] {
            assert_eq!(moved_increment(own, own as f64, 1.0), own);
            for ratio in [0.97, 1.0 + 1e-9, 1.03, 1.2] {
                let exact = (own as f64 * ratio).min(9_223_372_036_854_773_760.0);
                let moved = moved_increment(own, own as f64, ratio) as f64;
                assert!((moved - exact).abs() <= 2048.0, "{own} × {ratio}: {moved}");
            }
        }
        assert_eq!(moved_increment(1 << 40, (1u64 << 40) as f64, f64::NAN), 0);
    }

    #[test]
    fn slopes_reach_their_end_within_a_unit_per_sample() {
        for (from, to, samples) in [
            (1000u64, 5000u64, 32u32),
            (5000, 1000, 32),
            (7, 1 << 40, 29),
        ] {
            let slope = slope_between(from, to, samples);
            let end = from.wrapping_add(slope.wrapping_mul(u64::from(samples)));
            let error = end.wrapping_sub(to) as i64;
            assert!(
                error.unsigned_abs() <= u64::from(samples),
                "{from} {to} {samples}"
            );
        }
    }
}
