//! Fixed-point phase: one turn (cycle) of a sine is 2^64 units of a `u64`.
//!
//! Why fixed point: a `u64` wraps at exactly one turn, so adding an increment is exact modular
//! arithmetic. There is no rounding bias to accumulate, and the output after an hour is as exact
//! as after a second (an `f32` accumulator detunes each partial by ~1e-4 Hz and drifts by tens of
//! degrees in ten minutes). The only error is the increment's rounding, at most 2^-65 turn per
//! sample: 1e-12 turn after ten minutes at 48 kHz.
//!
//! Integer addition is associative, so rendering a block four lanes at a time gives exactly the
//! same phases as one sample at a time. That is what makes the output independent of how a host
//! slices its buffers.

/// Phase units in one turn (2^64), as `f64`.
pub const UNITS_PER_TURN: f64 = 18_446_744_073_709_551_616.0;

/// Phase increment per sample, in 2^-64 turn, for a frequency in Hz at a sample rate in Hz.
///
/// The frequency is clamped to `0 ..= sample_rate / 2`: above Nyquist a partial is silent anyway
/// (see `nyquist.rs`) and the clamp keeps the increment representable. NaN maps to 0.
pub fn increment_for(frequency_hz: f64, sample_rate_hz: f64) -> u64 {
    // Scaling by 2^64 is exact, so this is `turns.clamp(0.0, 0.5) * 2^64` to the bit.
    increment_of_units(frequency_hz / sample_rate_hz * UNITS_PER_TURN)
}

/// The increment nearest `units` (2^-64 turn per sample, as `f64`), clamped to
/// `0 ..= 2^63` (Nyquist) as [`increment_for`] clamps; NaN maps to 0. A glide computes its
/// segment ends in these units, so each becomes an increment without a division.
#[inline]
pub fn increment_of_units(units: f64) -> u64 {
    // Rounds to nearest (adding a half and truncating: `f64::round` is a library call on
    // baseline x86-64, and this runs once per glide segment). Below 2^63 (0.5 turn) the sum
    // converts as a signed integer, one instruction where a `u64` conversion branches; NaN and
    // what is not above 0 fail both comparisons.
    if units >= NYQUIST_UNITS {
        1 << 63
    } else if units > 0.0 {
        // SAFETY: 0.5 < units + 0.5 ≤ 2^63 − 1024 (the largest `f64` below 2^63 plus a half
        // rounds to itself), finite, so its integer part fits an `i64`.
        unsafe { (units + 0.5).to_int_unchecked::<i64>() as u64 }
    } else {
        0
    }
}

/// 0.5 turn per sample (Nyquist), 2^63 units, as `f64`.
const NYQUIST_UNITS: f64 = 0.5 * UNITS_PER_TURN;

/// An increment (at most 2^63, as [`increment_of_units`] makes them) as `f64` units, rounded
/// as `increment as f64` rounds it: below 2^63 as a signed integer, one instruction where a
/// `u64` conversion branches.
#[inline]
pub fn units_of(increment: u64) -> f64 {
    match i64::try_from(increment) {
        Ok(signed) => signed as f64,
        Err(_) => increment as f64,
    }
}

/// The frequency in Hz that an increment (2^-64 turn per sample) plays at `sample_rate_hz`.
pub fn frequency_for(increment: u64, sample_rate_hz: f64) -> f64 {
    increment as f64 / UNITS_PER_TURN * sample_rate_hz
}

/// A phase whose increment changes by a constant `slope` every sample: a linear frequency ramp.
///
/// With `slope == 0` this is a steady oscillator. Sample `n` of a fill sees the phase
/// `phase + n·increment + slope·n(n-1)/2`, all in wrapping `u64` arithmetic.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PhaseRamp {
    /// Phase of the next sample, in 2^-64 turn.
    pub phase: u64,
    /// Phase advance from the next sample to the one after it, in 2^-64 turn.
    pub increment: u64,
    /// Change of `increment` per sample, two's complement (a falling ramp wraps below zero).
    pub slope: u64,
}

impl PhaseRamp {
    /// The top 32 bits of the next sample's phase (turns · 2^32).
    #[inline(always)]
    pub fn top(&self) -> u32 {
        (self.phase >> 32) as u32
    }

    /// Advances one sample.
    #[inline(always)]
    pub fn advance(&mut self) {
        self.phase = self.phase.wrapping_add(self.increment);
        self.increment = self.increment.wrapping_add(self.slope);
    }

    /// Advances the ramp by `samples` without producing output, in O(1).
    pub fn skip(&mut self, samples: u64) {
        // n·inc + slope·n(n-1)/2; n(n-1)/2 is computed without overflow of the halving.
        let triangle = if samples.is_multiple_of(2) {
            (samples / 2).wrapping_mul(samples.wrapping_sub(1))
        } else {
            samples.wrapping_mul(samples.wrapping_sub(1) / 2)
        };
        self.phase = self
            .phase
            .wrapping_add(self.increment.wrapping_mul(samples))
            .wrapping_add(self.slope.wrapping_mul(triangle));
        self.increment = self
            .increment
            .wrapping_add(self.slope.wrapping_mul(samples));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn skip_lands_where_advancing_sample_by_sample_does() {
        for slope in [0u64, 12_345_678_901, 0u64.wrapping_sub(98_765_432_109)] {
            let start = PhaseRamp {
                phase: 0xdead_beef_0123_4567,
                increment: increment_for(440.0, 48_000.0),
                slope,
            };
            for samples in [0u64, 1, 2, 3, 17, 1000, 1001] {
                let mut stepped = start;
                for _ in 0..samples {
                    stepped.advance();
                }
                let mut skipped = start;
                skipped.skip(samples);
                assert_eq!(skipped, stepped, "{samples} samples, slope {slope}");
            }
        }
    }

    #[test]
    fn increment_round_trips_frequency_and_clamps_to_nyquist() {
        let inc = increment_for(1234.5, 44_100.0);
        assert!((frequency_for(inc, 44_100.0) - 1234.5).abs() < 1e-9);
        assert_eq!(increment_for(30_000.0, 48_000.0), 1 << 63);
        assert_eq!(increment_for(-5.0, 48_000.0), 0);
        assert_eq!(increment_for(f64::NAN, 48_000.0), 0);
        // 12 kHz at 48 kHz is exactly a quarter turn per sample.
        assert_eq!(increment_for(12_000.0, 48_000.0), 1 << 62);
    }

    /// Glides convert between increments and `f64` units at every segment: the conversions
    /// without a branch are the plain ones (clamp, round half up, `as`) to the bit.
    #[test]
    fn units_and_increments_convert_as_the_plain_conversions() {
        let plain = |units: f64| {
            let units = units.clamp(0.0, NYQUIST_UNITS);
            if units.is_nan() {
                0
            } else {
                (units + 0.5) as u64
            }
        };
        let mut values = vec![
            0.0,
            -0.0,
            0.5,
            0.5f64.next_down(),
            1.5,
            2.5,
            -1.0,
            f64::NAN,
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::MIN_POSITIVE,
            NYQUIST_UNITS,
            NYQUIST_UNITS.next_down(),
            NYQUIST_UNITS.next_up(),
            UNITS_PER_TURN,
        ];
        // Powers of two and their neighbours, halves, and a spread of increments.
        for exponent in -3..64 {
            let power = 2f64.powi(exponent);
            values.extend([power, power.next_down(), power.next_up(), power + 0.5]);
        }
        let mut x = 0x9e37_79b9_7f4a_7c15u64;
        for _ in 0..100_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            values.push((x >> 1) as f64 * f64::from(x as u8) / 255.0);
        }
        for units in values {
            assert_eq!(increment_of_units(units), plain(units), "{units:e}");
            let increment = increment_of_units(units);
            assert_eq!(units_of(increment).to_bits(), (increment as f64).to_bits());
        }
        for increment in [0, 1, (1 << 53) + 1, (1 << 62) + 3, (1 << 63) - 1, 1 << 63] {
            assert_eq!(units_of(increment).to_bits(), (increment as f64).to_bits());
        }
    }
}
