//! The chirp lanes on AVX-512: two groups' recurrences to a register, stepped as the portable
//! kernel steps a lane. The lanes' sum is taken over pairs of groups (`super::add_one_sample`):
//! a register holds an even group and the odd one after it, so one add puts both groups' values
//! into a sample's accumulator `[E(j) | O(j)]`, with no regrouping; at the end two samples'
//! accumulators are regrouped once into `[E(j) | E(j + 1)]` and `[O(j) | O(j + 1)]` and added,
//! which gives the held notes' layout `[T(j) | T(j + 1)]` for their lane tree. Runs of whole
//! steps (16 samples: a run is two) are rendered here, what is left of a shorter piece by the
//! AVX2 kernel, which gives the same bits.

use super::super::{ChirpLanes, WIDE_SEED_LANES, increments_pass, seed_from_increments};
use crate::dsp::sine::Avx512Token;
use crate::dsp::steady::RUN_SAMPLES;
use crate::dsp::steady::x86::avx512::{
    PAIR_LANES, PairOf, STEP, Sums, add_lane_sums, by_group, run_chunk,
};
use std::arch::x86_64::*;

/// Register pairs kept in flight at once (nine registers each, seven where the gains hold):
/// three, their state in registers.
const PAIRS_AT_ONCE: usize = 3;

/// Pairs at the end too few for a chunk of their own join the chunk before (up to five at
/// once: a few spilled constants cost less than a chunk of one or two, which waits on its own
/// recurrences' chains). The engine's sixteen notes (80 lanes, five pairs) run in one chunk
/// instead of three and two: 8 % less time in the lanes (docs/PERFORMANCE.md, i24-seed2).
const PAIRS_JOINING: usize = 2;

/// How many of the `left` pairs still to render the next chunk takes.
#[inline(always)]
fn chunk_pairs(left: usize) -> usize {
    if left <= PAIRS_AT_ONCE + PAIRS_JOINING {
        left
    } else {
        PAIRS_AT_ONCE
    }
}

/// AVX-512 kernel; `token` proves the CPU has AVX-512F and AVX2.
pub(in crate::dsp::steady) fn add_avx512(
    token: Avx512Token,
    lanes: &mut ChirpLanes,
    out: &mut [f32],
) {
    for out in out.chunks_mut(RUN_SAMPLES) {
        let done = out.len() / STEP * STEP;
        // SAFETY: `add_avx512_enabled` needs a CPU with AVX-512F; an `Avx512Token` exists only
        // once run-time detection has found it.
        unsafe { add_avx512_enabled(lanes, &mut out[..done]) }
        // What is left (fewer than a step) through the AVX2 kernel: the same bits.
        super::add_avx2(token.avx2(), lanes, &mut out[done..]);
    }
}

/// The AVX-512 kernel over whole steps of at most a run.
///
/// # Safety
///
/// The CPU must support AVX-512F.
#[target_feature(enable = "avx512f")]
unsafe fn add_avx512_enabled(lanes: &mut ChirpLanes, out: &mut [f32]) {
    if out.is_empty() {
        return;
    }
    let groups = lanes.groups();
    let (pairs, lone) = (groups / 2, groups % 2 == 1);
    let mut sums = [_mm512_setzero_ps(); RUN_SAMPLES];
    let sums = &mut sums[..out.len()];
    let mut first = 0;
    loop {
        let count = chunk_pairs(pairs - first);
        let last = first + count == pairs;
        let with_lone = last && lone;
        // Groups whose gains hold have them at exactly 1 with steps of 0: multiplying and
        // stepping them changes no bit, so pairs of both kinds share a path.
        let groups = 2 * first..2 * (first + count) + usize::from(with_lone);
        if lanes.ramps[groups].contains(&true) {
            run_chunk::<Pair<true>>(lanes, first, count, with_lone, sums);
        } else {
            run_chunk::<Pair<false>>(lanes, first, count, with_lone, sums);
        }
        first += count;
        if last {
            break;
        }
    }
    for (block, sums) in out.chunks_exact_mut(STEP).zip(sums.chunks_exact(STEP)) {
        let mut totals: Sums = [_mm512_setzero_ps(); STEP / 2];
        for (total, pair) in totals.iter_mut().zip(sums.chunks_exact(2)) {
            let (even, odd) = by_group(pair[0], pair[1]);
            *total = _mm512_add_ps(even, odd);
        }
        add_lane_sums(&totals, block);
    }
}

/// Two groups' lanes in registers: what moves over the run, then what holds.
#[derive(Clone, Copy)]
struct Pair<const RAMPS: bool> {
    s: __m512,
    d: __m512,
    kappa: __m512,
    kappa_step: __m512,
    gain: __m512,
    k: __m512,
    kappa_step_step: __m512,
    beta: __m512,
    gain_step: __m512,
}

impl<const RAMPS: bool> PairOf for Pair<RAMPS> {
    type Lanes = ChirpLanes;
    const SUMS_BY_PAIR: bool = true;

    #[inline]
    #[target_feature(enable = "avx512f")]
    unsafe fn zero() -> Self {
        let zero = _mm512_setzero_ps();
        Self {
            s: zero,
            d: zero,
            kappa: zero,
            kappa_step: zero,
            gain: zero,
            k: zero,
            kappa_step_step: zero,
            beta: zero,
            gain_step: zero,
        }
    }

    #[inline]
    #[target_feature(enable = "avx512f")]
    unsafe fn load(lanes: &ChirpLanes, pair: usize, mask: __mmask16) -> Self {
        let at = pair * PAIR_LANES;
        let load = |values: &[f32; crate::dsp::steady::chirp::MAX_LANES]| {
            let values = &values[at..at + PAIR_LANES];
            // SAFETY: sixteen readable f32s (the indexing above checked it).
            unsafe { _mm512_maskz_loadu_ps(mask, values.as_ptr()) }
        };
        Self {
            s: load(&lanes.s),
            d: load(&lanes.d),
            kappa: load(&lanes.kappa),
            kappa_step: load(&lanes.kappa_step),
            gain: load(&lanes.gain),
            k: load(&lanes.k),
            kappa_step_step: load(&lanes.kappa_step_step),
            beta: load(&lanes.beta),
            gain_step: load(&lanes.gain_step),
        }
    }

    #[inline]
    #[target_feature(enable = "avx512f")]
    unsafe fn store(&self, lanes: &mut ChirpLanes, pair: usize, mask: __mmask16) {
        let at = pair * PAIR_LANES;
        let store = |values: &mut [f32; crate::dsp::steady::chirp::MAX_LANES], value| {
            let values = &mut values[at..at + PAIR_LANES];
            // SAFETY: sixteen writable f32s (the indexing above checked it).
            unsafe { _mm512_mask_storeu_ps(values.as_mut_ptr(), mask, value) }
        };
        store(&mut lanes.s, self.s);
        store(&mut lanes.d, self.d);
        store(&mut lanes.kappa, self.kappa);
        store(&mut lanes.kappa_step, self.kappa_step);
        store(&mut lanes.gain, self.gain);
    }

    /// This sample's contribution (`super::super::lane_value`), then one sample on, as
    /// `super::super::add_one_sample` steps a lane.
    #[inline]
    #[target_feature(enable = "avx512f")]
    unsafe fn step(&mut self) -> __m512 {
        let value = if RAMPS {
            _mm512_mul_ps(self.s, self.gain)
        } else {
            self.s
        };
        let k = _mm512_add_ps(self.k, self.kappa);
        self.d = _mm512_add_ps(_mm512_mul_ps(self.beta, self.d), _mm512_mul_ps(k, self.s));
        self.s = _mm512_add_ps(self.s, self.d);
        self.kappa = _mm512_add_ps(self.kappa, self.kappa_step);
        self.kappa_step = _mm512_add_ps(self.kappa_step, self.kappa_step_step);
        if RAMPS {
            self.gain = _mm512_add_ps(self.gain, self.gain_step);
        }
        value
    }
}

/// The seeding compiled for AVX-512F, two groups at a time, its first pass for AVX-512DQ too
/// (its 64-bit integers converted to `f64` by one instruction); `token` proves the CPU has
/// both.
pub(in crate::dsp::steady) fn seed_avx512(_token: Avx512Token, lanes: &mut ChirpLanes, run: usize) {
    // SAFETY: `seed_avx512_enabled` needs a CPU with AVX-512F and DQ; an `Avx512Token` exists
    // only once run-time detection has found both.
    unsafe { seed_avx512_enabled(lanes, run) }
}

/// # Safety
///
/// The CPU must support AVX-512F and AVX-512DQ.
#[target_feature(enable = "avx512f")]
unsafe fn seed_avx512_enabled(lanes: &mut ChirpLanes, run: usize) {
    // SAFETY: the caller's CPU has AVX-512DQ (this function's contract).
    unsafe { increments_avx512dq(lanes) };
    seed_from_increments::<WIDE_SEED_LANES>(lanes, run);
}

/// The seeding's first pass compiled for AVX-512F and DQ. Alone: given DQ for the whole
/// seeding, LLVM compiled the phases' move (`move_on`'s shifts) to 64-bit multiplies, slower.
///
/// # Safety
///
/// The CPU must support AVX-512F and AVX-512DQ.
#[target_feature(enable = "avx512f,avx512dq")]
unsafe fn increments_avx512dq(lanes: &mut ChirpLanes) {
    increments_pass::<WIDE_SEED_LANES, true>(lanes);
}
