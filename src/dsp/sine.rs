//! Rendering one partial: a fixed-point phase ramp read through a polynomial sine.
//!
//! The sine of a phase `p` (the top 32 bits of the phase, as a signed count of 2^-32 turn) is
//! evaluated as sin(π·z) with z = p / 2^31 in [-1, 1):
//!
//!   sin(π·z) ≈ z · (1 − z²) · P(z²),
//!
//! where the factor (1 − z²) puts exact zeros at the half turn, so no range folding is needed, and
//! P is a degree-4 polynomial fitted by the Remez exchange (approximation error 1.05e-7, below
//! the level at which it matters at a partial's amplitude of 0.2).
//!
//! There are two implementations of the same arithmetic: a portable one, sample by sample, and an
//! SSE2 one (x86-64's baseline, so no run-time detection) that works on four samples at once.
//! They perform the same IEEE operations in the same order (no fused multiply-add), so they
//! produce the same bits, and the tests check that they do. A partial group at the end of a block
//! is rendered through a padded copy, so every sample goes through the same code whatever the
//! block size.

use super::phase::PhaseRamp;

/// Coefficients of P(t), t = z², constant term first.
const SIN_PI_Z: [f32; 5] = [
    3.141_591_3,
    -2.026_083_8,
    0.523_780_45,
    -0.074_459_37,
    0.005_973_292,
];

/// Scale from a signed 32-bit phase to z in [-1, 1).
const PHASE_TO_Z: f32 = 1.0 / 2_147_483_648.0;

/// The level of a partial across a run of samples: `start + (position + i) · step` for sample
/// `i`. Counting from the level ramp's own start keeps the result independent of block splits.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Level {
    /// Level at `position == 0`, linear.
    pub start: f32,
    /// Change per sample; exactly 0.0 for a steady level.
    pub step: f32,
    /// Samples of the ramp already rendered.
    pub position: u32,
}

impl Level {
    /// A level that does not move.
    pub fn steady(level: f32) -> Self {
        Self {
            start: level,
            step: 0.0,
            position: 0,
        }
    }
}

/// P's coefficients scaled by `amplitude` (applied once, not per sample, for a steady level).
fn scaled_coefficients(amplitude: f32) -> [f32; 5] {
    SIN_PI_Z.map(|c| c * amplitude)
}

/// `sin(π·z) · scale(c)` for the phase's top 32 bits, the shared formula.
#[inline(always)]
fn scaled_sine(phase_top: u32, c: &[f32; 5]) -> f32 {
    let z = phase_top as i32 as f32 * PHASE_TO_Z;
    let t = z * z;
    let p = c[0] + t * (c[1] + t * (c[2] + t * (c[3] + t * c[4])));
    (z * (1.0 - t)) * p
}

/// sin(2π · phase_top / 2^32).
pub fn sine(phase_top: u32) -> f32 {
    scaled_sine(phase_top, &SIN_PI_Z)
}

/// Adds a partial's next `out.len()` samples to `out` and advances its phase ramp and level.
pub fn add_partial(ramp: &mut PhaseRamp, level: &mut Level, out: &mut [f32]) {
    #[cfg(target_arch = "x86_64")]
    x86::add_partial(ramp, level, out);
    #[cfg(not(target_arch = "x86_64"))]
    add_partial_portable(ramp, level, out);
}

/// The portable, sample-by-sample form of [`add_partial`].
pub fn add_partial_portable(ramp: &mut PhaseRamp, level: &mut Level, out: &mut [f32]) {
    if level.step == 0.0 {
        let c = scaled_coefficients(level.start);
        for sample in out.iter_mut() {
            *sample += scaled_sine(ramp.top(), &c);
            ramp.advance();
        }
    } else {
        for sample in out.iter_mut() {
            let amplitude = level.start + level.position as f32 * level.step;
            *sample += scaled_sine(ramp.top(), &SIN_PI_Z) * amplitude;
            ramp.advance();
            level.position += 1;
        }
        return;
    }
    level.position = level.position.wrapping_add(out.len() as u32);
}

#[cfg(target_arch = "x86_64")]
mod x86 {
    //! The SSE2 form: four samples per step, two `u64` phase lanes per register.
    //!
    //! SSE2 is part of the x86-64 baseline: every x86-64 CPU has it, so the one `unsafe` call
    //! into the `#[target_feature(enable = "sse2")]` functions below cannot fault.

    use super::{Level, PHASE_TO_Z, PhaseRamp, SIN_PI_Z, scaled_coefficients};
    use std::arch::x86_64::*;

    const LANES: usize = 4;

    pub(super) fn add_partial(ramp: &mut PhaseRamp, level: &mut Level, out: &mut [f32]) {
        // SAFETY: SSE2 is baseline on x86-64 (see the module comment).
        unsafe { add_partial_sse2(ramp, level, out) }
    }

    /// Phase state of four consecutive samples.
    ///
    /// Only phases are needed for output, so each lane keeps its phase and the amount it advances
    /// over the next four samples: phase(n+4) − phase(n) = 4·increment(n) + 6·slope (0+1+2+3),
    /// which itself grows by 16·slope per step. Steady partials (zero slope) add a constant.
    struct Lanes {
        /// Phases of samples 0, 1 and 2, 3.
        phase: [__m128i; 2],
        /// Advance of each phase over the next four samples.
        advance: [__m128i; 2],
        /// Growth of `advance` per step: 16 × slope.
        advance_step: __m128i,
    }

    impl Lanes {
        #[target_feature(enable = "sse2")]
        fn new(ramp: &PhaseRamp) -> Self {
            let mut lanes = [*ramp; LANES];
            for j in 1..LANES {
                lanes[j] = lanes[j - 1];
                lanes[j].advance();
            }
            let advance = |lane: &PhaseRamp| {
                lane.increment
                    .wrapping_mul(4)
                    .wrapping_add(lane.slope.wrapping_mul(6))
            };
            let pair = |a: u64, b: u64| _mm_set_epi64x(b as i64, a as i64);
            Self {
                phase: [
                    pair(lanes[0].phase, lanes[1].phase),
                    pair(lanes[2].phase, lanes[3].phase),
                ],
                advance: [
                    pair(advance(&lanes[0]), advance(&lanes[1])),
                    pair(advance(&lanes[2]), advance(&lanes[3])),
                ],
                advance_step: _mm_set1_epi64x(ramp.slope.wrapping_mul(16) as i64),
            }
        }

        /// The four phases' top 32 bits as signed integers; then advances four samples. With
        /// `GLIDING == false` the slope must be zero, and the advance stays constant.
        #[target_feature(enable = "sse2")]
        #[inline]
        fn next<const GLIDING: bool>(&mut self) -> __m128i {
            let tops = _mm_castps_si128(_mm_shuffle_ps::<0b11_01_11_01>(
                _mm_castsi128_ps(self.phase[0]),
                _mm_castsi128_ps(self.phase[1]),
            ));
            for k in 0..2 {
                self.phase[k] = _mm_add_epi64(self.phase[k], self.advance[k]);
                if GLIDING {
                    self.advance[k] = _mm_add_epi64(self.advance[k], self.advance_step);
                }
            }
            tops
        }
    }

    /// The formula of `super::scaled_sine`, on four lanes, in the same order of operations.
    #[target_feature(enable = "sse2")]
    #[inline]
    fn scaled_sines(tops: __m128i, c: &[__m128; 5]) -> __m128 {
        let z = _mm_mul_ps(_mm_cvtepi32_ps(tops), _mm_set1_ps(PHASE_TO_Z));
        let t = _mm_mul_ps(z, z);
        let mut p = _mm_add_ps(c[3], _mm_mul_ps(t, c[4]));
        p = _mm_add_ps(c[2], _mm_mul_ps(t, p));
        p = _mm_add_ps(c[1], _mm_mul_ps(t, p));
        p = _mm_add_ps(c[0], _mm_mul_ps(t, p));
        _mm_mul_ps(_mm_mul_ps(z, _mm_sub_ps(_mm_set1_ps(1.0), t)), p)
    }

    /// Adds four samples of the partial to `samples`. `position` is the level ramp's position
    /// of the first; `None` for a steady level already folded into `c`.
    #[target_feature(enable = "sse2")]
    #[inline]
    fn add_group<const GLIDING: bool>(
        lanes: &mut Lanes,
        c: &[__m128; 5],
        ramp: Option<(&Level, u32)>,
        samples: &mut [f32; LANES],
    ) {
        let mut sines = scaled_sines(lanes.next::<GLIDING>(), c);
        if let Some((level, position)) = ramp {
            let index = _mm_add_ps(_mm_set1_ps(position as f32), _mm_set_ps(3.0, 2.0, 1.0, 0.0));
            let amplitude = _mm_add_ps(
                _mm_set1_ps(level.start),
                _mm_mul_ps(index, _mm_set1_ps(level.step)),
            );
            sines = _mm_mul_ps(sines, amplitude);
        }
        let mut sum = [0.0f32; LANES];
        // SAFETY: both pointers address exactly four f32s.
        unsafe {
            _mm_storeu_ps(
                sum.as_mut_ptr(),
                _mm_add_ps(_mm_loadu_ps(samples.as_ptr()), sines),
            );
        }
        *samples = sum;
    }

    #[target_feature(enable = "sse2")]
    fn add_partial_sse2(ramp: &mut PhaseRamp, level: &mut Level, out: &mut [f32]) {
        if ramp.slope == 0 {
            add_partial_lanes::<false>(ramp, level, out);
        } else {
            add_partial_lanes::<true>(ramp, level, out);
        }
    }

    /// [`add_partial_sse2`] for a steady (`GLIDING == false`, zero slope) or gliding phase.
    #[target_feature(enable = "sse2")]
    #[inline]
    fn add_partial_lanes<const GLIDING: bool>(
        ramp: &mut PhaseRamp,
        level: &mut Level,
        out: &mut [f32],
    ) {
        let steady = level.step == 0.0;
        let coefficients = if steady {
            scaled_coefficients(level.start)
        } else {
            SIN_PI_Z
        };
        let c = coefficients.map(|coefficient| _mm_set1_ps(coefficient));
        let mut lanes = Lanes::new(ramp);
        let mut position = level.position;
        let mut chunks = out.chunks_exact_mut(LANES);
        for chunk in &mut chunks {
            if let Ok(samples) = <&mut [f32; LANES]>::try_from(chunk) {
                add_group::<GLIDING>(
                    &mut lanes,
                    &c,
                    (!steady).then_some((&*level, position)),
                    samples,
                );
            }
            position = position.wrapping_add(LANES as u32);
        }
        let tail = chunks.into_remainder();
        if !tail.is_empty() {
            // The last few samples go through the same vector code via a padded copy, so a
            // sample's value never depends on where the block ends.
            let mut padded = [0.0f32; LANES];
            padded[..tail.len()].copy_from_slice(tail);
            add_group::<GLIDING>(
                &mut lanes,
                &c,
                (!steady).then_some((&*level, position)),
                &mut padded,
            );
            tail.copy_from_slice(&padded[..tail.len()]);
        }
        ramp.skip(out.len() as u64);
        level.position = level.position.wrapping_add(out.len() as u32);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dsp::phase::increment_for;
    use std::f64::consts::TAU;

    #[test]
    fn matches_exact_sine_to_f32_precision_over_a_whole_turn() {
        let mut worst = 0.0f64;
        let landmarks = [
            0,
            1 << 30,
            1 << 31,
            3 << 30,
            u32::MAX,
            (1 << 31) - 1,
            (1 << 31) + 1,
        ];
        for phase in (0..=u32::MAX).step_by(4099).chain(landmarks) {
            let exact = (TAU * f64::from(phase) / 4_294_967_296.0).sin();
            worst = worst.max((f64::from(sine(phase)) - exact).abs());
        }
        // 1.05e-7 from the polynomial plus f32 rounding of z near the half turn, where the sine
        // is steepest: 2.1e-8 at a partial's amplitude of 0.2.
        assert!(worst < 4e-7, "worst error {worst:e}");
    }

    #[test]
    fn is_exactly_odd_and_zero_at_the_zero_crossings() {
        assert_eq!(sine(0), 0.0);
        assert_eq!(sine(1 << 31), 0.0);
        for phase in [1u32, 12345, 1 << 29, 987_654_321] {
            assert_eq!(sine(phase.wrapping_neg()), -sine(phase));
        }
    }

    /// Renders 1000 samples in blocks of `block` with `render`.
    fn run(
        render: fn(&mut PhaseRamp, &mut Level, &mut [f32]),
        slope: u64,
        level: Level,
        block: usize,
    ) -> (Vec<f32>, PhaseRamp, Level) {
        let mut ramp = PhaseRamp {
            phase: 0x0123_4567_89ab_cdef,
            increment: increment_for(997.0, 48_000.0),
            slope,
        };
        let mut level = level;
        let mut out = vec![0.25f32; 1000];
        for chunk in out.chunks_mut(block) {
            render(&mut ramp, &mut level, chunk);
        }
        (out, ramp, level)
    }

    #[test]
    fn vector_and_portable_forms_agree_bit_for_bit_whatever_the_blocks() {
        let levels = [
            Level::steady(0.2),
            Level {
                start: 0.2,
                step: -1e-4,
                position: 7,
            },
        ];
        for slope in [0, 987_654_321, 0u64.wrapping_sub(123_456_789_012)] {
            for level in levels {
                let reference = run(add_partial_portable, slope, level, 1000);
                for block in [1, 3, 4, 17, 64, 1000] {
                    let got = run(add_partial, slope, level, block);
                    assert!(got == reference, "slope {slope}, {level:?}, block {block}");
                }
            }
        }
    }
}
