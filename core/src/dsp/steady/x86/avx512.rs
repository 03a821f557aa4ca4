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

/// Register pairs of the held notes' lanes kept in flight at once: independent recurrences for
/// the CPU to overlap (one pair waits on its multiply and two adds every sample; eight ran a
/// quarter faster than four).
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
unsafe fn add_avx512_enabled(lanes: &mut SteadyLanes, out: &mut [f32]) {
    let groups = lanes.len / GROUP_LANES;
    for block in out.chunks_exact_mut(STEP) {
        let mut sums = [_mm512_setzero_ps(); STEP / 2];
        run_all::<Pair>(lanes, groups, PAIRS_AT_ONCE, &mut sums);
        add_lane_sums(&sums, block);
    }
}

/// Adds the lane tree of each of `sums`' sixteen samples to `block`'s.
#[inline]
#[target_feature(enable = "avx512f")]
pub(in crate::dsp::steady) fn add_lane_sums(sums: &Sums, block: &mut [f32]) {
    let block: &mut [f32; STEP] = block.try_into().unwrap();
    // SAFETY: sixteen readable and writable f32s (the array); the CPU has AVX-512F.
    unsafe {
        let total = _mm512_add_ps(_mm512_loadu_ps(block.as_ptr()), lane_sums(sums));
        _mm512_storeu_ps(block.as_mut_ptr(), total);
    }
}

/// Two groups of one kind of lanes in registers, for [`run_all`]. The methods are `unsafe`
/// only because they are compiled for AVX-512F: the caller must be on a CPU that has it.
pub(in crate::dsp::steady) trait PairOf: Copy {
    /// The lanes the pairs are loaded from.
    type Lanes;

    /// Whether the lanes' sum is taken over pairs of groups (the chirp lanes': the even groups
    /// and the odd apart, each accumulator one sample `[E(j) | O(j)]`, added without
    /// regrouping) rather than group after group (two samples to an accumulator, regrouped by
    /// [`by_group`]).
    const SUMS_BY_PAIR: bool = false;

    /// All zeros.
    ///
    /// # Safety
    ///
    /// The CPU must support AVX-512F (as for every method here).
    unsafe fn zero() -> Self;

    /// The lanes in `mask` of pair `pair` (groups `2·pair` and `2·pair + 1`), zeros elsewhere.
    ///
    /// # Safety
    ///
    /// As [`zero`](Self::zero).
    unsafe fn load(lanes: &Self::Lanes, pair: usize, mask: __mmask16) -> Self;

    /// Writes what moved back to the lanes in `mask` of pair `pair`.
    ///
    /// # Safety
    ///
    /// As [`zero`](Self::zero).
    unsafe fn store(&self, lanes: &mut Self::Lanes, pair: usize, mask: __mmask16);

    /// This sample's values, as the portable kernel adds them up, then one sample on.
    ///
    /// # Safety
    ///
    /// As [`zero`](Self::zero).
    unsafe fn step(&mut self) -> __m512;
}

/// Adds `2 · sums.len()` samples of `groups` groups into `sums`, `at_once` pairs at a time
/// (at most eight), group after group (the first assigns). A lone last group goes with the last
/// pairs, so its recurrence overlaps theirs.
#[inline]
#[target_feature(enable = "avx512f")]
pub(in crate::dsp::steady) fn run_all<P: PairOf>(
    lanes: &mut P::Lanes,
    groups: usize,
    at_once: usize,
    sums: &mut [__m512],
) {
    let (pairs, lone) = (groups / 2, groups % 2 == 1);
    let mut first = 0;
    loop {
        let count = (pairs - first).min(at_once);
        let last = first + count == pairs;
        run_chunk::<P>(lanes, first, count, last && lone, sums);
        first += count;
        if last {
            break;
        }
    }
}

/// [`run_pairs`] for `count` pairs (at most eight) and `lone`, known at run time.
#[inline]
#[target_feature(enable = "avx512f")]
pub(in crate::dsp::steady) fn run_chunk<P: PairOf>(
    lanes: &mut P::Lanes,
    first: usize,
    count: usize,
    lone: bool,
    sums: &mut [__m512],
) {
    match (count, lone) {
        (8, false) => run_pairs::<P, 8, false>(lanes, first, sums),
        (8, true) => run_pairs::<P, 8, true>(lanes, first, sums),
        (7, false) => run_pairs::<P, 7, false>(lanes, first, sums),
        (7, true) => run_pairs::<P, 7, true>(lanes, first, sums),
        (6, false) => run_pairs::<P, 6, false>(lanes, first, sums),
        (6, true) => run_pairs::<P, 6, true>(lanes, first, sums),
        (5, false) => run_pairs::<P, 5, false>(lanes, first, sums),
        (5, true) => run_pairs::<P, 5, true>(lanes, first, sums),
        (4, false) => run_pairs::<P, 4, false>(lanes, first, sums),
        (4, true) => run_pairs::<P, 4, true>(lanes, first, sums),
        (3, false) => run_pairs::<P, 3, false>(lanes, first, sums),
        (3, true) => run_pairs::<P, 3, true>(lanes, first, sums),
        (2, false) => run_pairs::<P, 2, false>(lanes, first, sums),
        (2, true) => run_pairs::<P, 2, true>(lanes, first, sums),
        (1, false) => run_pairs::<P, 1, false>(lanes, first, sums),
        (1, true) => run_pairs::<P, 1, true>(lanes, first, sums),
        (0, true) => run_pairs::<P, 0, true>(lanes, first, sums),
        _ => unreachable!("{count} pairs at once"),
    }
}

/// `2 · sums.len()` samples of `N` pairs from pair `first` (and, when `LONE`, the last group
/// alone after them), added into the accumulators group after group (the first group of all
/// assigns); with [`PairOf::SUMS_BY_PAIR`], `sums.len()` samples, pair after pair (the first
/// pair assigns; a lone group's silent high half adds +0.0 to the odd groups' sum).
#[inline]
#[target_feature(enable = "avx512f")]
fn run_pairs<P: PairOf, const N: usize, const LONE: bool>(
    lanes: &mut P::Lanes,
    first: usize,
    sums: &mut [__m512],
) {
    // SAFETY: this function is compiled for AVX-512F, so the CPU running it has it (which is
    // all every `PairOf` method called below needs).
    let zero = unsafe { P::zero() };
    let mut pairs = [zero; N];
    for (n, pair) in pairs.iter_mut().enumerate() {
        // SAFETY: as above.
        *pair = unsafe { P::load(lanes, first + n, ALL_LANES) };
    }
    let mut lone = zero;
    if LONE {
        // SAFETY: as above.
        lone = unsafe { P::load(lanes, first + N, LOW_GROUP) };
    }
    if P::SUMS_BY_PAIR {
        for sum in sums.iter_mut() {
            for (n, pair) in pairs.iter_mut().enumerate() {
                // SAFETY: as above.
                let value = unsafe { pair.step() };
                *sum = if first + n == 0 {
                    value
                } else {
                    _mm512_add_ps(*sum, value)
                };
            }
            if LONE {
                // SAFETY: as above.
                let value = unsafe { lone.step() };
                *sum = if first + N == 0 {
                    value
                } else {
                    _mm512_add_ps(*sum, value)
                };
            }
        }
    } else {
        for sum in sums.iter_mut() {
            for (n, pair) in pairs.iter_mut().enumerate() {
                // SAFETY: as above.
                let (now, next) = unsafe { (pair.step(), pair.step()) };
                let (a, b) = by_group(now, next);
                let with_a = if first + n == 0 {
                    a
                } else {
                    _mm512_add_ps(*sum, a)
                };
                *sum = _mm512_add_ps(with_a, b);
            }
            if LONE {
                // SAFETY: as above.
                let (now, next) = unsafe { (lone.step(), lone.step()) };
                let (a, _) = by_group(now, next);
                *sum = if first + N == 0 {
                    a
                } else {
                    _mm512_add_ps(*sum, a)
                };
            }
        }
    }
    for (n, pair) in pairs.iter().enumerate() {
        // SAFETY: as above.
        unsafe { pair.store(lanes, first + n, ALL_LANES) };
    }
    if LONE {
        // SAFETY: as above.
        unsafe { lone.store(lanes, first + N, LOW_GROUP) };
    }
}

/// Two groups' recurrences in registers (the high group masked off for a lone last group).
#[derive(Clone, Copy)]
pub(in crate::dsp::steady) struct Pair {
    s: __m512,
    d: __m512,
    k: __m512,
}

impl PairOf for Pair {
    type Lanes = SteadyLanes;

    #[inline]
    #[target_feature(enable = "avx512f")]
    unsafe fn zero() -> Self {
        let zero = _mm512_setzero_ps();
        Self {
            s: zero,
            d: zero,
            k: zero,
        }
    }

    #[inline]
    #[target_feature(enable = "avx512f")]
    unsafe fn load(lanes: &SteadyLanes, pair: usize, mask: __mmask16) -> Self {
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

    #[inline]
    #[target_feature(enable = "avx512f")]
    unsafe fn store(&self, lanes: &mut SteadyLanes, pair: usize, mask: __mmask16) {
        let at = pair * PAIR_LANES;
        let s = &mut lanes.s[at..at + PAIR_LANES];
        // SAFETY: the slice is sixteen f32s long (the indexing above checked it).
        unsafe { _mm512_mask_storeu_ps(s.as_mut_ptr(), mask, self.s) };
        let d = &mut lanes.d[at..at + PAIR_LANES];
        // SAFETY: as above.
        unsafe { _mm512_mask_storeu_ps(d.as_mut_ptr(), mask, self.d) };
    }

    #[inline]
    #[target_feature(enable = "avx512f")]
    unsafe fn step(&mut self) -> __m512 {
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
