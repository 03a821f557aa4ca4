//! The ramped lanes on AVX-512: two groups' recurrences to a register, each lane's value times
//! its gain, with the sums in the held notes' order (`steady/x86/avx512.rs` explains the
//! regrouping of two samples' values).

use super::super::RampedLanes;
use crate::dsp::sine::Avx512Token;
use crate::dsp::steady::x86::avx512::{PAIR_LANES, Pair, PairOf, STEP, add_lane_sums, run_all};
use std::arch::x86_64::*;

/// Register pairs kept in flight at once (five registers each).
const PAIRS_AT_ONCE: usize = 5;

/// AVX-512 kernel; `token` proves the CPU has AVX-512F and AVX2.
pub(in crate::dsp::steady) fn add_avx512(
    token: Avx512Token,
    lanes: &mut RampedLanes,
    out: &mut [f32],
) {
    let done = out.len() / STEP * STEP;
    // SAFETY: `add_avx512_enabled` needs a CPU with AVX-512F; an `Avx512Token` exists only once
    // run-time detection has found it.
    unsafe { add_avx512_enabled(lanes, &mut out[..done]) }
    // What is left (fewer than a step) through the AVX2 kernel: the same bits.
    super::add_avx2(token.avx2(), lanes, &mut out[done..]);
}

/// The AVX-512 kernel over whole steps.
///
/// # Safety
///
/// The CPU must support AVX-512F.
#[target_feature(enable = "avx512f")]
unsafe fn add_avx512_enabled(lanes: &mut RampedLanes, out: &mut [f32]) {
    let groups = lanes.groups();
    for block in out.chunks_exact_mut(STEP) {
        let mut sums = [_mm512_setzero_ps(); STEP / 2];
        run_all::<GainedPair>(lanes, groups, PAIRS_AT_ONCE, &mut sums);
        add_lane_sums(&sums, block);
    }
}

/// A pair's recurrence, gains and gain steps in registers.
#[derive(Clone, Copy)]
struct GainedPair {
    pair: Pair,
    gain: __m512,
    step: __m512,
}

impl PairOf for GainedPair {
    type Lanes = RampedLanes;

    #[inline]
    #[target_feature(enable = "avx512f")]
    unsafe fn zero() -> Self {
        Self {
            // SAFETY: compiled for AVX-512F, so the CPU running this has it.
            pair: unsafe { Pair::zero() },
            gain: _mm512_setzero_ps(),
            step: _mm512_setzero_ps(),
        }
    }

    #[inline]
    #[target_feature(enable = "avx512f")]
    unsafe fn load(lanes: &RampedLanes, pair: usize, mask: __mmask16) -> Self {
        let at = pair * PAIR_LANES;
        let (gain, step) = (
            &lanes.gain[at..at + PAIR_LANES],
            &lanes.step[at..at + PAIR_LANES],
        );
        // SAFETY: compiled for AVX-512F, so the CPU running this has it; each slice is sixteen
        // f32s long (the indexing above checked it).
        unsafe {
            Self {
                pair: Pair::load(&lanes.lanes, pair, mask),
                gain: _mm512_maskz_loadu_ps(mask, gain.as_ptr()),
                step: _mm512_maskz_loadu_ps(mask, step.as_ptr()),
            }
        }
    }

    #[inline]
    #[target_feature(enable = "avx512f")]
    unsafe fn store(&self, lanes: &mut RampedLanes, pair: usize, mask: __mmask16) {
        // SAFETY: compiled for AVX-512F, so the CPU running this has it.
        unsafe { self.pair.store(&mut lanes.lanes, pair, mask) };
        let at = pair * PAIR_LANES;
        let gain = &mut lanes.gain[at..at + PAIR_LANES];
        // SAFETY: the slice is sixteen f32s long (the indexing above checked it).
        unsafe { _mm512_mask_storeu_ps(gain.as_mut_ptr(), mask, self.gain) };
    }

    /// Each lane's value times its gain, as `super::super::add_one_sample` adds it up; then
    /// the gains and the recurrence step on.
    #[inline]
    #[target_feature(enable = "avx512f")]
    unsafe fn step(&mut self) -> __m512 {
        // SAFETY: compiled for AVX-512F, so the CPU running this has it.
        let value = _mm512_mul_ps(unsafe { self.pair.step() }, self.gain);
        self.gain = _mm512_add_ps(self.gain, self.step);
        value
    }
}
