//! The held notes' lanes on AVX-512: two groups of eight lanes to a register, so one multiply and
//! two adds step sixteen recurrences.
//!
//! The sums keep the order every kernel uses (each lane's value added group after group, then the
//! lane tree), which a register holding groups `a` and `b` cannot add lane by lane into one
//! sample's accumulator: `a` must be added before `b`. So each accumulator holds two samples,
//! `[T(j) | T(j + 1)]`, and the values of samples `j` and `j + 1`, `[a(j) | b(j)]` and
//! `[a(j + 1) | b(j + 1)]`, are regrouped by one shuffle each into `[a(j) | a(j + 1)]` and
//! `[b(j) | b(j + 1)]`, added in that order. A group left over (an odd count) sits in the low
//! half of a register whose high half is masked off.

use super::super::{GROUP_LANES, SteadyLanes, seed_lanes};
use crate::dsp::sine::Avx512Token;
use std::arch::x86_64::*;

/// Lanes in an AVX-512 register: two groups.
pub(crate) const PAIR_LANES: usize = 2 * GROUP_LANES;

/// Samples per step: eight accumulators of two samples each.
pub(crate) const STEP: usize = 16;

/// Register pairs kept in flight at once: independent recurrences for the CPU to overlap.
const PAIRS_AT_ONCE: usize = 8;

/// Each accumulator's two samples: `[T(2m) | T(2m + 1)]` for accumulator `m`.
pub(crate) type Sums = [__m512; STEP / 2];

/// Mask of a register's low group (the high one is padding past the last group).
pub(in crate::dsp::steady) const LOW_GROUP: __mmask16 = 0x00ff;
/// Mask of both groups.
pub(in crate::dsp::steady) const ALL_LANES: __mmask16 = 0xffff;

/// AVX-512 kernel; `token` proves the CPU has AVX-512F and AVX2.
pub(in crate::dsp::steady) fn add_avx512(
    token: Avx512Token,
    lanes: &mut SteadyLanes,
    out: &mut [f32],
) {
    let steps = out.len() / STEP;
    // SAFETY: `add_avx512_enabled` needs a CPU with AVX-512F; an `Avx512Token` exists only once
    // run-time detection has found it.
    unsafe { add_avx512_enabled(lanes, &mut out[..steps * STEP]) }
    // What is left (fewer than a step) through the AVX2 kernel: the same bits.
    super::add_avx2(token.avx2(), lanes, &mut out[steps * STEP..]);
}

/// The AVX-512 kernel over whole steps.
///
/// # Safety
///
/// The CPU must support AVX-512F.
#[target_feature(enable = "avx512f")]
unsafe fn add_avx512_enabled(lanes: &mut SteadyLanes, out: &mut [f32]) {
    let groups = lanes.len / GROUP_LANES;
    let pairs = groups / 2;
    let lone = groups % 2 == 1;
    for block in out.chunks_exact_mut(STEP) {
        let mut sums = [_mm512_setzero_ps(); STEP / 2];
        let mut first = 0;
        loop {
            let count = (pairs - first).min(PAIRS_AT_ONCE);
            // The lone last group goes with the last pairs, so its recurrence overlaps theirs.
            let last = first + count == pairs;
            match (count, last && lone) {
                (8, false) => run_pairs::<8, false>(lanes, first, &mut sums),
                (8, true) => run_pairs::<8, true>(lanes, first, &mut sums),
                (7, false) => run_pairs::<7, false>(lanes, first, &mut sums),
                (7, true) => run_pairs::<7, true>(lanes, first, &mut sums),
                (6, false) => run_pairs::<6, false>(lanes, first, &mut sums),
                (6, true) => run_pairs::<6, true>(lanes, first, &mut sums),
                (5, false) => run_pairs::<5, false>(lanes, first, &mut sums),
                (5, true) => run_pairs::<5, true>(lanes, first, &mut sums),
                (4, false) => run_pairs::<4, false>(lanes, first, &mut sums),
                (4, true) => run_pairs::<4, true>(lanes, first, &mut sums),
                (3, false) => run_pairs::<3, false>(lanes, first, &mut sums),
                (3, true) => run_pairs::<3, true>(lanes, first, &mut sums),
                (2, false) => run_pairs::<2, false>(lanes, first, &mut sums),
                (2, true) => run_pairs::<2, true>(lanes, first, &mut sums),
                (1, false) => run_pairs::<1, false>(lanes, first, &mut sums),
                (1, true) => run_pairs::<1, true>(lanes, first, &mut sums),
                _ => run_pairs::<0, true>(lanes, first, &mut sums),
            }
            first += count;
            if last {
                break;
            }
        }
        let block: &mut [f32; STEP] = block.try_into().unwrap();
        // SAFETY: sixteen readable and writable f32s (the array); the CPU has AVX-512F.
        unsafe {
            let total = _mm512_add_ps(_mm512_loadu_ps(block.as_ptr()), lane_sums(&sums));
            _mm512_storeu_ps(block.as_mut_ptr(), total);
        }
    }
}

/// Two groups' recurrences in registers (the high group masked off for a lone last group).
#[derive(Clone, Copy)]
pub(in crate::dsp::steady) struct Pair {
    s: __m512,
    d: __m512,
    k: __m512,
}

impl Pair {
    #[inline]
    #[target_feature(enable = "avx512f")]
    pub(in crate::dsp::steady) fn zero() -> Self {
        let zero = _mm512_setzero_ps();
        Self {
            s: zero,
            d: zero,
            k: zero,
        }
    }

    /// Loads the lanes of pair `pair` (groups `2·pair` and `2·pair + 1`), those in `mask`
    /// (zeros elsewhere).
    #[inline]
    #[target_feature(enable = "avx512f")]
    pub(in crate::dsp::steady) fn load(lanes: &SteadyLanes, pair: usize, mask: __mmask16) -> Self {
        let at = pair * PAIR_LANES;
        let (s, d, k) = (
            &lanes.s[at..at + PAIR_LANES],
            &lanes.d[at..at + PAIR_LANES],
            &lanes.k[at..at + PAIR_LANES],
        );
        // SAFETY: each slice is sixteen f32s long (the indexing above checked it).
        unsafe {
            Self {
                s: _mm512_maskz_loadu_ps(mask, s.as_ptr()),
                d: _mm512_maskz_loadu_ps(mask, d.as_ptr()),
                k: _mm512_maskz_loadu_ps(mask, k.as_ptr()),
            }
        }
    }

    /// Stores the lanes in `mask` back to pair `pair`.
    #[inline]
    #[target_feature(enable = "avx512f")]
    pub(in crate::dsp::steady) fn store(
        self,
        lanes: &mut SteadyLanes,
        pair: usize,
        mask: __mmask16,
    ) {
        let at = pair * PAIR_LANES;
        let s = &mut lanes.s[at..at + PAIR_LANES];
        // SAFETY: the slice is sixteen f32s long (the indexing above checked it).
        unsafe { _mm512_mask_storeu_ps(s.as_mut_ptr(), mask, self.s) };
        let d = &mut lanes.d[at..at + PAIR_LANES];
        // SAFETY: as above.
        unsafe { _mm512_mask_storeu_ps(d.as_mut_ptr(), mask, self.d) };
    }

    /// One sample on, returning this sample's values (before the step).
    #[inline]
    #[target_feature(enable = "avx512f")]
    pub(in crate::dsp::steady) fn step(&mut self) -> __m512 {
        let value = self.s;
        self.d = _mm512_add_ps(self.d, _mm512_mul_ps(self.k, self.s));
        self.s = _mm512_add_ps(self.s, self.d);
        value
    }
}

/// `[a(j) | a(j + 1)]` and `[b(j) | b(j + 1)]` from `[a(j) | b(j)]` and `[a(j + 1) | b(j + 1)]`.
#[inline]
#[target_feature(enable = "avx512f")]
pub(crate) fn by_group(now: __m512, next: __m512) -> (__m512, __m512) {
    (
        _mm512_shuffle_f32x4::<0b01_00_01_00>(now, next),
        _mm512_shuffle_f32x4::<0b11_10_11_10>(now, next),
    )
}

/// A step of `N` pairs from pair `first` (and, when `LONE`, the last group alone after them),
/// added into the accumulators group after group (the first group of all assigns).
#[inline]
#[target_feature(enable = "avx512f")]
fn run_pairs<const N: usize, const LONE: bool>(
    lanes: &mut SteadyLanes,
    first: usize,
    sums: &mut Sums,
) {
    let mut pairs = [Pair::zero(); N];
    for (n, pair) in pairs.iter_mut().enumerate() {
        *pair = Pair::load(lanes, first + n, ALL_LANES);
    }
    let mut lone = Pair::zero();
    if LONE {
        lone = Pair::load(lanes, first + N, LOW_GROUP);
    }
    for sum in sums.iter_mut() {
        for (n, pair) in pairs.iter_mut().enumerate() {
            let now = pair.step();
            let next = pair.step();
            let (a, b) = by_group(now, next);
            let with_a = if first + n == 0 {
                a
            } else {
                _mm512_add_ps(*sum, a)
            };
            *sum = _mm512_add_ps(with_a, b);
        }
        if LONE {
            let now = lone.step();
            let next = lone.step();
            let (a, _) = by_group(now, next);
            *sum = if first + N == 0 {
                a
            } else {
                _mm512_add_ps(*sum, a)
            };
        }
    }
    for (n, pair) in pairs.iter().enumerate() {
        pair.store(lanes, first + n, ALL_LANES);
    }
    if LONE {
        lone.store(lanes, first + N, LOW_GROUP);
    }
}

/// Sample `i` of the result: the lane tree ((0+1)+(2+3))+((4+5)+(6+7)) of `T(i)`, which is half
/// `i % 2` of `sums[i / 2]`. As the AVX2 kernel's sums, by two rounds of pairwise adds within
/// each 128-bit quarter, then the quarters met; the samples come out interleaved and are put in
/// order by one permutation.
#[inline]
#[target_feature(enable = "avx512f")]
pub(crate) fn lane_sums(sums: &Sums) -> __m512 {
    let q0123 = pairwise(pairwise(sums[0], sums[1]), pairwise(sums[2], sums[3]));
    let q4567 = pairwise(pairwise(sums[4], sums[5]), pairwise(sums[6], sums[7]));
    // Each quarter of q0123 holds, for four of samples 0–7, the sums of four of their lanes:
    // quarter 0 lanes 0–3 of samples 0, 2, 4, 6; quarter 1 their lanes 4–7; quarters 2 and 3
    // the same for samples 1, 3, 5, 7. q4567 likewise for samples 8–15.
    let low = _mm512_shuffle_f32x4::<0b10_00_10_00>(q0123, q4567);
    let high = _mm512_shuffle_f32x4::<0b11_01_11_01>(q0123, q4567);
    // Samples 0, 2, 4, 6, 1, 3, 5, 7, 8, 10, 12, 14, 9, 11, 13, 15.
    let interleaved = _mm512_add_ps(low, high);
    let order = _mm512_setr_epi32(0, 4, 1, 5, 2, 6, 3, 7, 8, 12, 9, 13, 10, 14, 11, 15);
    _mm512_permutexvar_ps(order, interleaved)
}

/// Within each 128-bit quarter: `[a0 + a1, a2 + a3, b0 + b1, b2 + b3]` (AVX2's `hadd`).
#[inline]
#[target_feature(enable = "avx512f")]
fn pairwise(a: __m512, b: __m512) -> __m512 {
    let even = _mm512_shuffle_ps::<0b10_00_10_00>(a, b);
    let odd = _mm512_shuffle_ps::<0b11_01_11_01>(a, b);
    _mm512_add_ps(even, odd)
}

/// The seeding compiled for AVX-512; `token` proves the CPU has it.
pub(in crate::dsp::steady) fn seed_avx512(
    _token: Avx512Token,
    lanes: &mut SteadyLanes,
    run: usize,
) {
    // SAFETY: `seed_avx512_enabled` needs a CPU with AVX-512F; an `Avx512Token` exists only once
    // run-time detection has found it.
    unsafe { seed_avx512_enabled(lanes, run) }
}

/// # Safety
///
/// The CPU must support AVX-512F.
#[target_feature(enable = "avx512f")]
unsafe fn seed_avx512_enabled(lanes: &mut SteadyLanes, run: usize) {
    seed_lanes(lanes, run);
}
