//! The vector kernels: the portable kernel's arithmetic on four (SSE2) or eight (AVX2) samples.
//!
//! One generic kernel, [`add_partial_lanes`], is written against [`Isa`], the handful of vector
//! operations it needs; each instruction set implements them with its intrinsics. A value of an
//! `Isa` type is the proof that the CPU runs that instruction set ([`Sse2`]: every x86-64 CPU;
//! [`Avx2`]: made only from an [`Avx2Token`], which only run-time detection hands out), so the
//! kernel itself is safe code and the `unsafe` blocks sit at the intrinsics, each resting on that
//! proof. Everything is `#[inline(always)]` down to the entry points, so the whole loop is built
//! for the entry point's instruction set: SSE2 is the x86-64 baseline, and the AVX2 entry point
//! enables AVX2 with `#[target_feature]`.
//!
//! Phase lanes: each of the `LANES` samples of a step has its own `u64` phase and the amount it
//! advances over the next `LANES` samples, phase(n+L) − phase(n) = L·increment(n) + slope·L(L−1)/2,
//! which itself grows by L²·slope per step (a steady partial adds a constant). The phases live in
//! two integer registers laid out so that taking the top half of every `u64` yields the samples
//! in order: register 0 holds samples whose index mod 4 is 0 or 1, register 1 those with 2 or 3.

use super::{Avx2Token, Level, PhaseRamp, SIN_PI_Z, scaled_coefficients};
use std::arch::x86_64::*;

/// The vector operations the kernel needs, on one instruction set. A value of the implementing
/// type proves the CPU runs that instruction set, which is why the methods, taking it as `self`,
/// are safe.
trait Isa: Copy {
    /// Samples per step.
    const LANES: usize;
    /// `LANES / 2` `u64`s, or `LANES` `i32`s.
    type Int: Copy;
    /// `LANES` `f32`s.
    type Float: Copy;
    /// Builds a phase register from `LANES / 2` values, lowest lane first.
    fn u64s(self, values: &[u64]) -> Self::Int;
    fn splat_u64(self, value: u64) -> Self::Int;
    fn add_u64(self, a: Self::Int, b: Self::Int) -> Self::Int;
    /// The top 32 bits of every `u64` of the two phase registers, in sample order.
    fn tops(self, a: Self::Int, b: Self::Int) -> Self::Int;
    fn i32_to_float(self, a: Self::Int) -> Self::Float;
    /// `a · 2^-31` for floats that are 0 or at least 1 in magnitude (converted `i32`s), exactly,
    /// by lowering the exponent field with an unsigned saturating 16-bit subtraction: the upper
    /// half of each float holds sign and exponent, zero saturates to zero, and the lower half
    /// is left alone. An integer operation instead of a floating-point multiply.
    fn scale_by_2_pow_minus_31(self, a: Self::Float) -> Self::Float;
    fn splat(self, value: f32) -> Self::Float;
    /// 0, 1, 2, … `LANES − 1`.
    fn lane_indices(self) -> Self::Float;
    fn add(self, a: Self::Float, b: Self::Float) -> Self::Float;
    fn sub(self, a: Self::Float, b: Self::Float) -> Self::Float;
    fn mul(self, a: Self::Float, b: Self::Float) -> Self::Float;
    /// Loads `LANES` samples; panics unless `samples.len() == LANES`.
    fn load(self, samples: &[f32]) -> Self::Float;
    /// Stores `LANES` samples; panics unless `samples.len() == LANES`.
    fn store(self, samples: &mut [f32], value: Self::Float);
}

/// 31 in a float's exponent field: subtracting it divides by 2^31.
const EXPONENT_31: i32 = 31 << 23;

/// SSE2, four samples per step: part of the x86-64 baseline, so every CPU this module is built
/// for runs it and anyone here may make one.
#[derive(Clone, Copy)]
struct Sse2;

impl Isa for Sse2 {
    const LANES: usize = 4;
    type Int = __m128i;
    type Float = __m128;

    #[inline(always)]
    fn u64s(self, values: &[u64]) -> __m128i {
        // SAFETY: SSE2 is baseline on x86-64.
        unsafe { _mm_set_epi64x(values[1] as i64, values[0] as i64) }
    }
    #[inline(always)]
    fn splat_u64(self, value: u64) -> __m128i {
        // SAFETY: SSE2 is baseline on x86-64.
        unsafe { _mm_set1_epi64x(value as i64) }
    }
    #[inline(always)]
    fn add_u64(self, a: __m128i, b: __m128i) -> __m128i {
        // SAFETY: SSE2 is baseline on x86-64.
        unsafe { _mm_add_epi64(a, b) }
    }
    #[inline(always)]
    fn tops(self, a: __m128i, b: __m128i) -> __m128i {
        // SAFETY: SSE and SSE2 are baseline on x86-64.
        unsafe {
            _mm_castps_si128(_mm_shuffle_ps::<0b11_01_11_01>(
                _mm_castsi128_ps(a),
                _mm_castsi128_ps(b),
            ))
        }
    }
    #[inline(always)]
    fn i32_to_float(self, a: __m128i) -> __m128 {
        // SAFETY: SSE2 is baseline on x86-64.
        unsafe { _mm_cvtepi32_ps(a) }
    }
    #[inline(always)]
    fn scale_by_2_pow_minus_31(self, a: __m128) -> __m128 {
        // SAFETY: SSE2 is baseline on x86-64.
        unsafe {
            _mm_castsi128_ps(_mm_subs_epu16(
                _mm_castps_si128(a),
                _mm_set1_epi32(EXPONENT_31),
            ))
        }
    }
    #[inline(always)]
    fn splat(self, value: f32) -> __m128 {
        // SAFETY: SSE is baseline on x86-64.
        unsafe { _mm_set1_ps(value) }
    }
    #[inline(always)]
    fn lane_indices(self) -> __m128 {
        // SAFETY: SSE is baseline on x86-64.
        unsafe { _mm_set_ps(3.0, 2.0, 1.0, 0.0) }
    }
    #[inline(always)]
    fn add(self, a: __m128, b: __m128) -> __m128 {
        // SAFETY: SSE is baseline on x86-64.
        unsafe { _mm_add_ps(a, b) }
    }
    #[inline(always)]
    fn sub(self, a: __m128, b: __m128) -> __m128 {
        // SAFETY: SSE is baseline on x86-64.
        unsafe { _mm_sub_ps(a, b) }
    }
    #[inline(always)]
    fn mul(self, a: __m128, b: __m128) -> __m128 {
        // SAFETY: SSE is baseline on x86-64.
        unsafe { _mm_mul_ps(a, b) }
    }
    #[inline(always)]
    fn load(self, samples: &[f32]) -> __m128 {
        assert_eq!(samples.len(), Self::LANES);
        // SAFETY: SSE is baseline on x86-64; four readable f32s, checked above (unaligned
        // loads need no alignment).
        unsafe { _mm_loadu_ps(samples.as_ptr()) }
    }
    #[inline(always)]
    fn store(self, samples: &mut [f32], value: __m128) {
        assert_eq!(samples.len(), Self::LANES);
        // SAFETY: SSE is baseline on x86-64; four writable f32s, checked above (unaligned
        // stores need no alignment).
        unsafe { _mm_storeu_ps(samples.as_mut_ptr(), value) }
    }
}

/// AVX2, eight samples per step. Made only from an [`Avx2Token`]: holding one proves the CPU
/// has AVX2 (and so AVX, which it implies).
#[derive(Clone, Copy)]
struct Avx2(Avx2Token);

impl Isa for Avx2 {
    const LANES: usize = 8;
    type Int = __m256i;
    type Float = __m256;

    #[inline(always)]
    fn u64s(self, values: &[u64]) -> __m256i {
        // SAFETY: `self` holds an `Avx2Token`, so the CPU has AVX.
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
    fn splat_u64(self, value: u64) -> __m256i {
        // SAFETY: `self` holds an `Avx2Token`, so the CPU has AVX.
        unsafe { _mm256_set1_epi64x(value as i64) }
    }
    #[inline(always)]
    fn add_u64(self, a: __m256i, b: __m256i) -> __m256i {
        // SAFETY: `self` holds an `Avx2Token`, so the CPU has AVX2.
        unsafe { _mm256_add_epi64(a, b) }
    }
    #[inline(always)]
    fn tops(self, a: __m256i, b: __m256i) -> __m256i {
        // Per 128-bit half: odd dwords of `a`, then of `b` — with the lane layout, samples in order.
        // SAFETY: `self` holds an `Avx2Token`, so the CPU has AVX.
        unsafe {
            _mm256_castps_si256(_mm256_shuffle_ps::<0b11_01_11_01>(
                _mm256_castsi256_ps(a),
                _mm256_castsi256_ps(b),
            ))
        }
    }
    #[inline(always)]
    fn i32_to_float(self, a: __m256i) -> __m256 {
        // SAFETY: `self` holds an `Avx2Token`, so the CPU has AVX.
        unsafe { _mm256_cvtepi32_ps(a) }
    }
    #[inline(always)]
    fn scale_by_2_pow_minus_31(self, a: __m256) -> __m256 {
        // SAFETY: `self` holds an `Avx2Token`, so the CPU has AVX2.
        unsafe {
            _mm256_castsi256_ps(_mm256_subs_epu16(
                _mm256_castps_si256(a),
                _mm256_set1_epi32(EXPONENT_31),
            ))
        }
    }
    #[inline(always)]
    fn splat(self, value: f32) -> __m256 {
        // SAFETY: `self` holds an `Avx2Token`, so the CPU has AVX.
        unsafe { _mm256_set1_ps(value) }
    }
    #[inline(always)]
    fn lane_indices(self) -> __m256 {
        // SAFETY: `self` holds an `Avx2Token`, so the CPU has AVX.
        unsafe { _mm256_set_ps(7.0, 6.0, 5.0, 4.0, 3.0, 2.0, 1.0, 0.0) }
    }
    #[inline(always)]
    fn add(self, a: __m256, b: __m256) -> __m256 {
        // SAFETY: `self` holds an `Avx2Token`, so the CPU has AVX.
        unsafe { _mm256_add_ps(a, b) }
    }
    #[inline(always)]
    fn sub(self, a: __m256, b: __m256) -> __m256 {
        // SAFETY: `self` holds an `Avx2Token`, so the CPU has AVX.
        unsafe { _mm256_sub_ps(a, b) }
    }
    #[inline(always)]
    fn mul(self, a: __m256, b: __m256) -> __m256 {
        // SAFETY: `self` holds an `Avx2Token`, so the CPU has AVX.
        unsafe { _mm256_mul_ps(a, b) }
    }
    #[inline(always)]
    fn load(self, samples: &[f32]) -> __m256 {
        assert_eq!(samples.len(), Self::LANES);
        // SAFETY: `self` holds an `Avx2Token`, so the CPU has AVX; eight readable f32s, checked
        // above (unaligned loads need no alignment).
        unsafe { _mm256_loadu_ps(samples.as_ptr()) }
    }
    #[inline(always)]
    fn store(self, samples: &mut [f32], value: __m256) {
        assert_eq!(samples.len(), Self::LANES);
        // SAFETY: `self` holds an `Avx2Token`, so the CPU has AVX; eight writable f32s, checked
        // above (unaligned stores need no alignment).
        unsafe { _mm256_storeu_ps(samples.as_mut_ptr(), value) }
    }
}

/// SSE2 kernel. SSE2 is part of the x86-64 baseline, so every x86-64 CPU runs it, and the
/// baseline build already compiles the inlined kernel for it.
pub(super) fn add_partial_sse2(ramp: &mut PhaseRamp, level: &mut Level, out: &mut [f32]) {
    add_partial_sse2_body(ramp, level, out);
}

/// The SSE2 kernel's body, a function of its own like the AVX2 one: optimised on its own
/// before it is inlined, it gets the steady/ramping level test hoisted out of the step loop.
/// Written straight into `add_partial_sse2`, the test stayed inside the loop (rustc 1.95,
/// opt-level 3).
fn add_partial_sse2_body(ramp: &mut PhaseRamp, level: &mut Level, out: &mut [f32]) {
    add_partial_lanes(Sse2, ramp, level, out);
}

/// AVX2 kernel; `token` proves the CPU has AVX2.
pub(super) fn add_partial_avx2(
    token: Avx2Token,
    ramp: &mut PhaseRamp,
    level: &mut Level,
    out: &mut [f32],
) {
    // SAFETY: `add_partial_avx2_enabled` needs a CPU with AVX2; an `Avx2Token` exists only once
    // run-time detection has found it.
    unsafe { add_partial_avx2_enabled(Avx2(token), ramp, level, out) }
}

/// The AVX2 kernel compiled for AVX2: the inlined kernel below is built with its instructions.
///
/// # Safety
///
/// The CPU must support AVX2. The `Avx2` argument already proves it, but a `#[target_feature]`
/// function is unsafe to call from code built without the feature either way.
#[target_feature(enable = "avx2")]
unsafe fn add_partial_avx2_enabled(
    isa: Avx2,
    ramp: &mut PhaseRamp,
    level: &mut Level,
    out: &mut [f32],
) {
    add_partial_lanes(isa, ramp, level, out);
}

/// Phases of `I::LANES` consecutive samples and their advance per step.
struct Lanes<I: Isa> {
    isa: I,
    phase: [I::Int; 2],
    advance: [I::Int; 2],
    /// Growth of `advance` per step: LANES² × slope.
    advance_step: I::Int,
}

impl<I: Isa> Lanes<I> {
    #[inline(always)]
    fn new(isa: I, ramp: &PhaseRamp) -> Self {
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
        Self {
            isa,
            phase: [isa.u64s(&phases[0]), isa.u64s(&phases[1])],
            advance: [isa.u64s(&advances[0]), isa.u64s(&advances[1])],
            advance_step: isa.splat_u64(ramp.slope.wrapping_mul(lanes * lanes)),
        }
    }

    /// The samples' phases (top 32 bits, as signed integers); then advances one step.
    #[inline(always)]
    fn next<const GLIDING: bool>(&mut self) -> I::Int {
        let isa = self.isa;
        let tops = isa.tops(self.phase[0], self.phase[1]);
        for k in 0..2 {
            self.phase[k] = isa.add_u64(self.phase[k], self.advance[k]);
            if GLIDING {
                self.advance[k] = isa.add_u64(self.advance[k], self.advance_step);
            }
        }
        tops
    }
}

/// The formula of `super::scaled_sine`, in the same order of operations.
#[inline(always)]
fn scaled_sines<I: Isa>(isa: I, tops: I::Int, c: &[I::Float; 5]) -> I::Float {
    let z = isa.scale_by_2_pow_minus_31(isa.i32_to_float(tops));
    let t = isa.mul(z, z);
    let mut p = isa.add(c[3], isa.mul(t, c[4]));
    p = isa.add(c[2], isa.mul(t, p));
    p = isa.add(c[1], isa.mul(t, p));
    p = isa.add(c[0], isa.mul(t, p));
    isa.mul(isa.mul(z, isa.sub(isa.splat(1.0), t)), p)
}

#[inline(always)]
fn add_partial_lanes<I: Isa>(isa: I, ramp: &mut PhaseRamp, level: &mut Level, out: &mut [f32]) {
    if ramp.slope == 0 {
        add_partial_steps::<I, false>(isa, ramp, level, out);
    } else {
        add_partial_steps::<I, true>(isa, ramp, level, out);
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
fn add_step<I: Isa, const GLIDING: bool>(
    lanes: &mut Lanes<I>,
    c: &[I::Float; 5],
    ramp: Option<(&LevelRamp<I>, u32)>,
    samples: &mut [f32],
) {
    let isa = lanes.isa;
    let mut sines = scaled_sines(isa, lanes.next::<GLIDING>(), c);
    if let Some((level, position)) = ramp {
        let index = isa.add(isa.splat(position as f32), level.lane_indices);
        sines = isa.mul(sines, isa.add(level.start, isa.mul(index, level.step)));
    }
    isa.store(samples, isa.add(isa.load(samples), sines));
}

#[inline(always)]
fn add_partial_steps<I: Isa, const GLIDING: bool>(
    isa: I,
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
    let c = coefficients.map(|coefficient| isa.splat(coefficient));
    let mut lanes = Lanes::new(isa, ramp);
    let level_ramp = LevelRamp::<I> {
        start: isa.splat(level.start),
        step: isa.splat(level.step),
        lane_indices: isa.lane_indices(),
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
    /// batch of `tops`, read as the `i32` lanes of the integer register (two per `u64`).
    fn scaled_bits<I: Isa>(isa: I, tops: &[i32]) -> Vec<u32> {
        let mut out = vec![0.0f32; I::LANES];
        let pairs: Vec<u64> = tops
            .chunks(2)
            .map(|pair| u64::from(pair[0] as u32) | (u64::from(pair[1] as u32) << 32))
            .collect();
        let floats = isa.scale_by_2_pow_minus_31(isa.i32_to_float(isa.u64s(&pairs)));
        isa.store(&mut out, floats);
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
            let got = scaled_bits(Sse2, batch);
            assert_eq!(got, multiplied_bits(batch), "SSE2, tops {batch:?}");
        }
        if let Some(token) = Avx2Token::detect() {
            let mut tops = TOPS.to_vec();
            tops.extend_from_slice(&TOPS[..4]);
            for batch in tops.chunks(8) {
                let got = scaled_bits(Avx2(token), batch);
                assert_eq!(got, multiplied_bits(batch), "AVX2, tops {batch:?}");
            }
        }
    }
}
