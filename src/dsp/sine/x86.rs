//! The vector kernels: the portable kernel's arithmetic on four (SSE2) or eight (AVX2) samples.
//!
//! One generic kernel, [`add_partial_lanes`], is written against [`Isa`], the handful of vector
//! operations it needs; each instruction set implements them with its intrinsics and compiles the
//! kernel inside a `#[target_feature]` entry point, so the whole loop is built for that set.
//!
//! Phase lanes: each of the `LANES` samples of a step has its own `u64` phase and the amount it
//! advances over the next `LANES` samples, phase(n+L) − phase(n) = L·increment(n) + slope·L(L−1)/2,
//! which itself grows by L²·slope per step (a steady partial adds a constant). The phases live in
//! two integer registers laid out so that taking the top half of every `u64` yields the samples
//! in order: register 0 holds samples whose index mod 4 is 0 or 1, register 1 those with 2 or 3.

use super::{Level, PhaseRamp, SIN_PI_Z, scaled_coefficients};
use std::arch::x86_64::*;

/// The vector operations the kernel needs. All methods are `unsafe` because they need the
/// instruction set's target feature; the entry points guarantee it.
/// The `unsafe` blocks in the implementations only restate that precondition.
trait Isa {
    /// Samples per step.
    const LANES: usize;
    /// `LANES / 2` `u64`s, or `LANES` `i32`s.
    type Int: Copy;
    /// `LANES` `f32`s.
    type Float: Copy;
    /// Builds a phase register from `LANES / 2` values, lowest lane first.
    unsafe fn u64s(values: &[u64]) -> Self::Int;
    unsafe fn splat_u64(value: u64) -> Self::Int;
    unsafe fn add_u64(a: Self::Int, b: Self::Int) -> Self::Int;
    /// The top 32 bits of every `u64` of the two phase registers, in sample order.
    unsafe fn tops(a: Self::Int, b: Self::Int) -> Self::Int;
    unsafe fn i32_to_float(a: Self::Int) -> Self::Float;
    /// `a · 2^-31` for floats that are 0 or at least 1 in magnitude (converted `i32`s), exactly,
    /// by lowering the exponent field with an unsigned saturating 16-bit subtraction: the upper
    /// half of each float holds sign and exponent, zero saturates to zero, and the lower half
    /// is left alone. An integer operation instead of a floating-point multiply.
    unsafe fn scale_by_2_pow_minus_31(a: Self::Float) -> Self::Float;
    unsafe fn splat(value: f32) -> Self::Float;
    /// 0, 1, 2, … `LANES − 1`.
    unsafe fn lane_indices() -> Self::Float;
    unsafe fn add(a: Self::Float, b: Self::Float) -> Self::Float;
    unsafe fn sub(a: Self::Float, b: Self::Float) -> Self::Float;
    unsafe fn mul(a: Self::Float, b: Self::Float) -> Self::Float;
    /// Loads `LANES` samples; `samples.len() == LANES`.
    unsafe fn load(samples: &[f32]) -> Self::Float;
    /// Stores `LANES` samples; `samples.len() == LANES`.
    unsafe fn store(samples: &mut [f32], value: Self::Float);
}

/// 31 in a float's exponent field: subtracting it divides by 2^31.
const EXPONENT_31: i32 = 31 << 23;

struct Sse2;

impl Isa for Sse2 {
    const LANES: usize = 4;
    type Int = __m128i;
    type Float = __m128;

    #[inline(always)]
    unsafe fn u64s(values: &[u64]) -> __m128i {
        unsafe { _mm_set_epi64x(values[1] as i64, values[0] as i64) }
    }
    #[inline(always)]
    unsafe fn splat_u64(value: u64) -> __m128i {
        unsafe { _mm_set1_epi64x(value as i64) }
    }
    #[inline(always)]
    unsafe fn add_u64(a: __m128i, b: __m128i) -> __m128i {
        unsafe { _mm_add_epi64(a, b) }
    }
    #[inline(always)]
    unsafe fn tops(a: __m128i, b: __m128i) -> __m128i {
        unsafe {
            _mm_castps_si128(_mm_shuffle_ps::<0b11_01_11_01>(
                _mm_castsi128_ps(a),
                _mm_castsi128_ps(b),
            ))
        }
    }
    #[inline(always)]
    unsafe fn i32_to_float(a: __m128i) -> __m128 {
        unsafe { _mm_cvtepi32_ps(a) }
    }
    #[inline(always)]
    unsafe fn scale_by_2_pow_minus_31(a: __m128) -> __m128 {
        unsafe {
            _mm_castsi128_ps(_mm_subs_epu16(
                _mm_castps_si128(a),
                _mm_set1_epi32(EXPONENT_31),
            ))
        }
    }
    #[inline(always)]
    unsafe fn splat(value: f32) -> __m128 {
        unsafe { _mm_set1_ps(value) }
    }
    #[inline(always)]
    unsafe fn lane_indices() -> __m128 {
        unsafe { _mm_set_ps(3.0, 2.0, 1.0, 0.0) }
    }
    #[inline(always)]
    unsafe fn add(a: __m128, b: __m128) -> __m128 {
        unsafe { _mm_add_ps(a, b) }
    }
    #[inline(always)]
    unsafe fn sub(a: __m128, b: __m128) -> __m128 {
        unsafe { _mm_sub_ps(a, b) }
    }
    #[inline(always)]
    unsafe fn mul(a: __m128, b: __m128) -> __m128 {
        unsafe { _mm_mul_ps(a, b) }
    }
    #[inline(always)]
    unsafe fn load(samples: &[f32]) -> __m128 {
        assert_eq!(samples.len(), Self::LANES);
        // SAFETY: four readable f32s, checked above.
        unsafe { _mm_loadu_ps(samples.as_ptr()) }
    }
    #[inline(always)]
    unsafe fn store(samples: &mut [f32], value: __m128) {
        assert_eq!(samples.len(), Self::LANES);
        // SAFETY: four writable f32s, checked above.
        unsafe { _mm_storeu_ps(samples.as_mut_ptr(), value) }
    }
}

struct Avx2;

impl Isa for Avx2 {
    const LANES: usize = 8;
    type Int = __m256i;
    type Float = __m256;

    #[inline(always)]
    unsafe fn u64s(values: &[u64]) -> __m256i {
        unsafe {
            _mm256_set_epi64x(
                values[3] as i64,
                values[2] as i64,
                values[1] as i64,
                values[0] as i64,
            )
        }
    }
    #[inline(always)]
    unsafe fn splat_u64(value: u64) -> __m256i {
        unsafe { _mm256_set1_epi64x(value as i64) }
    }
    #[inline(always)]
    unsafe fn add_u64(a: __m256i, b: __m256i) -> __m256i {
        unsafe { _mm256_add_epi64(a, b) }
    }
    #[inline(always)]
    unsafe fn tops(a: __m256i, b: __m256i) -> __m256i {
        unsafe {
            // Per 128-bit half: odd dwords of `a`, then of `b` — with the lane layout, samples in order.
            _mm256_castps_si256(_mm256_shuffle_ps::<0b11_01_11_01>(
                _mm256_castsi256_ps(a),
                _mm256_castsi256_ps(b),
            ))
        }
    }
    #[inline(always)]
    unsafe fn i32_to_float(a: __m256i) -> __m256 {
        unsafe { _mm256_cvtepi32_ps(a) }
    }
    #[inline(always)]
    unsafe fn scale_by_2_pow_minus_31(a: __m256) -> __m256 {
        unsafe {
            _mm256_castsi256_ps(_mm256_subs_epu16(
                _mm256_castps_si256(a),
                _mm256_set1_epi32(EXPONENT_31),
            ))
        }
    }
    #[inline(always)]
    unsafe fn splat(value: f32) -> __m256 {
        unsafe { _mm256_set1_ps(value) }
    }
    #[inline(always)]
    unsafe fn lane_indices() -> __m256 {
        unsafe { _mm256_set_ps(7.0, 6.0, 5.0, 4.0, 3.0, 2.0, 1.0, 0.0) }
    }
    #[inline(always)]
    unsafe fn add(a: __m256, b: __m256) -> __m256 {
        unsafe { _mm256_add_ps(a, b) }
    }
    #[inline(always)]
    unsafe fn sub(a: __m256, b: __m256) -> __m256 {
        unsafe { _mm256_sub_ps(a, b) }
    }
    #[inline(always)]
    unsafe fn mul(a: __m256, b: __m256) -> __m256 {
        unsafe { _mm256_mul_ps(a, b) }
    }
    #[inline(always)]
    unsafe fn load(samples: &[f32]) -> __m256 {
        assert_eq!(samples.len(), Self::LANES);
        // SAFETY: eight readable f32s, checked above.
        unsafe { _mm256_loadu_ps(samples.as_ptr()) }
    }
    #[inline(always)]
    unsafe fn store(samples: &mut [f32], value: __m256) {
        assert_eq!(samples.len(), Self::LANES);
        // SAFETY: eight writable f32s, checked above.
        unsafe { _mm256_storeu_ps(samples.as_mut_ptr(), value) }
    }
}

/// SSE2 kernel. SSE2 is part of the x86-64 baseline, so every x86-64 CPU runs it.
pub(super) fn add_partial_sse2(ramp: &mut PhaseRamp, level: &mut Level, out: &mut [f32]) {
    // SAFETY: SSE2 is baseline on x86-64.
    unsafe { add_partial_sse2_enabled(ramp, level, out) }
}

/// AVX2 kernel; callers check `is_x86_feature_detected!("avx2")` first.
pub(super) fn add_partial_avx2(ramp: &mut PhaseRamp, level: &mut Level, out: &mut [f32]) {
    assert!(std::arch::is_x86_feature_detected!("avx2"));
    // SAFETY: the CPU has AVX2, checked above.
    unsafe { add_partial_avx2_enabled(ramp, level, out) }
}

#[target_feature(enable = "sse2")]
unsafe fn add_partial_sse2_enabled(ramp: &mut PhaseRamp, level: &mut Level, out: &mut [f32]) {
    // SAFETY: compiled with SSE2, which the caller guarantees.
    unsafe { add_partial_lanes::<Sse2>(ramp, level, out) }
}

#[target_feature(enable = "avx2")]
unsafe fn add_partial_avx2_enabled(ramp: &mut PhaseRamp, level: &mut Level, out: &mut [f32]) {
    // SAFETY: compiled with AVX2, which the caller guarantees.
    unsafe { add_partial_lanes::<Avx2>(ramp, level, out) }
}

/// Phases of `I::LANES` consecutive samples and their advance per step.
struct Lanes<I: Isa> {
    phase: [I::Int; 2],
    advance: [I::Int; 2],
    /// Growth of `advance` per step: LANES² × slope.
    advance_step: I::Int,
}

impl<I: Isa> Lanes<I> {
    #[inline(always)]
    unsafe fn new(ramp: &PhaseRamp) -> Self {
        let lanes = I::LANES as u64;
        let per_step_slope = ramp.slope.wrapping_mul(lanes * (lanes - 1) / 2);
        // Registers 0 and 1 hold the samples with index mod 4 in {0, 1} and {2, 3}.
        let mut phases = [[0u64; 4]; 2];
        let mut advances = [[0u64; 4]; 2];
        let mut sample = *ramp;
        for index in 0..I::LANES {
            let (register, slot) = ((index % 4) / 2, (index / 4) * 2 + index % 2);
            phases[register][slot] = sample.phase;
            advances[register][slot] = sample
                .increment
                .wrapping_mul(lanes)
                .wrapping_add(per_step_slope);
            sample.advance();
        }
        // SAFETY: the caller's target feature covers `I`.
        unsafe {
            Self {
                phase: [I::u64s(&phases[0]), I::u64s(&phases[1])],
                advance: [I::u64s(&advances[0]), I::u64s(&advances[1])],
                advance_step: I::splat_u64(ramp.slope.wrapping_mul(lanes * lanes)),
            }
        }
    }

    /// The samples' phases (top 32 bits, as signed integers); then advances one step.
    #[inline(always)]
    unsafe fn next<const GLIDING: bool>(&mut self) -> I::Int {
        // SAFETY: the caller's target feature covers `I`.
        unsafe {
            let tops = I::tops(self.phase[0], self.phase[1]);
            for k in 0..2 {
                self.phase[k] = I::add_u64(self.phase[k], self.advance[k]);
                if GLIDING {
                    self.advance[k] = I::add_u64(self.advance[k], self.advance_step);
                }
            }
            tops
        }
    }
}

/// The formula of `super::scaled_sine`, in the same order of operations.
#[inline(always)]
unsafe fn scaled_sines<I: Isa>(tops: I::Int, c: &[I::Float; 5]) -> I::Float {
    // SAFETY: the caller's target feature covers `I`.
    unsafe {
        let z = I::scale_by_2_pow_minus_31(I::i32_to_float(tops));
        let t = I::mul(z, z);
        let mut p = I::add(c[3], I::mul(t, c[4]));
        p = I::add(c[2], I::mul(t, p));
        p = I::add(c[1], I::mul(t, p));
        p = I::add(c[0], I::mul(t, p));
        I::mul(I::mul(z, I::sub(I::splat(1.0), t)), p)
    }
}

#[inline(always)]
unsafe fn add_partial_lanes<I: Isa>(ramp: &mut PhaseRamp, level: &mut Level, out: &mut [f32]) {
    // SAFETY: the caller's target feature covers `I`.
    unsafe {
        if ramp.slope == 0 {
            add_partial_steps::<I, false>(ramp, level, out);
        } else {
            add_partial_steps::<I, true>(ramp, level, out);
        }
    }
}

/// A level ramp in vector form: start, step and the lanes' offsets (see [`Level`]).
struct LevelRamp<I: Isa> {
    start: I::Float,
    step: I::Float,
    lane_indices: I::Float,
}

/// Adds one step (`I::LANES` samples) of the partial to `samples`. `ramp` is `None` for a steady
/// level already folded into `c`, else the level ramp and the ramp position of the first sample.
#[inline(always)]
unsafe fn add_step<I: Isa, const GLIDING: bool>(
    lanes: &mut Lanes<I>,
    c: &[I::Float; 5],
    ramp: Option<(&LevelRamp<I>, u32)>,
    samples: &mut [f32],
) {
    // SAFETY: the caller's target feature covers `I`.
    unsafe {
        let mut sines = scaled_sines::<I>(lanes.next::<GLIDING>(), c);
        if let Some((level, position)) = ramp {
            let index = I::add(I::splat(position as f32), level.lane_indices);
            sines = I::mul(sines, I::add(level.start, I::mul(index, level.step)));
        }
        I::store(samples, I::add(I::load(samples), sines));
    }
}

#[inline(always)]
unsafe fn add_partial_steps<I: Isa, const GLIDING: bool>(
    ramp: &mut PhaseRamp,
    level: &mut Level,
    out: &mut [f32],
) {
    // SAFETY: the caller's target feature covers `I`.
    unsafe {
        let steady = level.step == 0.0;
        let coefficients = if steady {
            scaled_coefficients(level.start)
        } else {
            SIN_PI_Z
        };
        let c = coefficients.map(|coefficient| I::splat(coefficient));
        let mut lanes = Lanes::<I>::new(ramp);
        let level_ramp = LevelRamp::<I> {
            start: I::splat(level.start),
            step: I::splat(level.step),
            lane_indices: I::lane_indices(),
        };
        let mut position = level.position;
        let mut chunks = out.chunks_exact_mut(I::LANES);
        for chunk in &mut chunks {
            let ramp = (!steady).then_some((&level_ramp, position));
            add_step::<I, GLIDING>(&mut lanes, &c, ramp, chunk);
            position = position.wrapping_add(I::LANES as u32);
        }
        let tail = chunks.into_remainder();
        if !tail.is_empty() {
            // The last few samples go through the same vector code via a padded copy, so a
            // sample's value never depends on where the block ends.
            let mut padded = [0.0f32; 8];
            let padded = &mut padded[..I::LANES];
            padded[..tail.len()].copy_from_slice(tail);
            let ramp = (!steady).then_some((&level_ramp, position));
            add_step::<I, GLIDING>(&mut lanes, &c, ramp, padded);
            tail.copy_from_slice(&padded[..tail.len()]);
        }
    }
    ramp.skip(out.len() as u64);
    level.position = level.position.wrapping_add(out.len() as u32);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dsp::sine::PHASE_TO_Z;

    /// Phase tops whose conversion is special: zero, ±1, the extremes, powers of two and
    /// values that round when converted to `f32`.
    const TOPS: [i32; 12] = [
        0,
        1,
        -1,
        2,
        i32::MIN,
        i32::MAX,
        i32::MIN + 1,
        1 << 24,
        (1 << 24) + 1,
        -((1 << 30) + 77),
        123_456_789,
        -987_654_321,
    ];

    /// The bits of `Isa::scale_by_2_pow_minus_31` after `i32_to_float`, one `I::LANES`-wide
    /// batch of `tops`.
    unsafe fn scaled_bits<I: Isa>(tops: &[i32]) -> Vec<u32> {
        let mut out = vec![0.0f32; I::LANES];
        // SAFETY: the caller's target feature covers `I`; `tops` holds `I::LANES` values,
        // read as the `i32` lanes of the integer register (two per `u64`).
        unsafe {
            let pairs: Vec<u64> = tops
                .chunks(2)
                .map(|pair| u64::from(pair[0] as u32) | (u64::from(pair[1] as u32) << 32))
                .collect();
            let floats = I::scale_by_2_pow_minus_31(I::i32_to_float(I::u64s(&pairs)));
            I::store(&mut out, floats);
        }
        out.iter().map(|x| x.to_bits()).collect()
    }

    /// The bits of the portable kernel's multiplication.
    fn multiplied_bits(tops: &[i32]) -> Vec<u32> {
        tops.iter()
            .map(|&top| (top as f32 * PHASE_TO_Z).to_bits())
            .collect()
    }

    #[test]
    fn lowering_the_exponent_is_the_multiplication_by_2_pow_minus_31_bit_for_bit() {
        for batch in TOPS.chunks(4) {
            // SAFETY: SSE2 is baseline on x86-64.
            let got = unsafe { scaled_bits::<Sse2>(batch) };
            assert_eq!(got, multiplied_bits(batch), "SSE2, tops {batch:?}");
        }
        if std::arch::is_x86_feature_detected!("avx2") {
            #[target_feature(enable = "avx2")]
            unsafe fn avx2(tops: &[i32]) -> Vec<u32> {
                // SAFETY: compiled with AVX2.
                unsafe { scaled_bits::<Avx2>(tops) }
            }
            let mut tops = TOPS.to_vec();
            tops.extend_from_slice(&TOPS[..4]);
            for batch in tops.chunks(8) {
                // SAFETY: the CPU has AVX2, checked above.
                let got = unsafe { avx2(batch) };
                assert_eq!(got, multiplied_bits(batch), "AVX2, tops {batch:?}");
            }
        }
    }
}
