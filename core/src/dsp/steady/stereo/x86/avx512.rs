//! The stereo lanes on AVX-512: two groups' recurrences to a register, as the held notes'
//! AVX-512 kernel runs them (`steady/x86/avx512.rs`, which explains the order of the sums). The
//! values of samples `j` and `j + 1` are regrouped into `[a(j) | a(j + 1)]` and
//! `[b(j) | b(j + 1)]` before the gains multiply them (each gain register holds one group's gains
//! twice), so the regrouping is paid once for both channels.

use super::super::StereoLanes;
use crate::dsp::sine::Avx512Token;
use crate::dsp::steady::x86::avx512::{
    ALL_LANES, LOW_GROUP, PAIR_LANES, Pair, PairOf, STEP, Sums, add_lane_sums, by_group,
};
use std::arch::x86_64::*;

/// Register pairs kept in flight at once (each holds its recurrence and four gain registers;
/// six ran a few per cent faster than four).
const PAIRS_AT_ONCE: usize = 6;

/// AVX-512 kernel; `token` proves the CPU has AVX-512F and AVX2.
pub(in crate::dsp::steady) fn add_avx512(
    token: Avx512Token,
    lanes: &mut StereoLanes,
    left: &mut [f32],
    right: &mut [f32],
) {
    let done = left.len() / STEP * STEP;
    // SAFETY: `add_avx512_enabled` needs a CPU with AVX-512F; an `Avx512Token` exists only once
    // run-time detection has found it.
    unsafe { add_avx512_enabled(lanes, &mut left[..done], &mut right[..done]) }
    // What is left (fewer than a step) through the AVX2 kernel: the same bits.
    super::add_avx2(token.avx2(), lanes, &mut left[done..], &mut right[done..]);
}

/// The AVX-512 kernel over whole steps (`left` and `right` as long as each other).
///
/// # Safety
///
/// The CPU must support AVX-512F.
#[target_feature(enable = "avx512f")]
unsafe fn add_avx512_enabled(lanes: &mut StereoLanes, left: &mut [f32], right: &mut [f32]) {
    let groups = lanes.groups();
    let pairs = groups / 2;
    let lone = groups % 2 == 1;
    for (left, right) in left
        .chunks_exact_mut(STEP)
        .zip(right.chunks_exact_mut(STEP))
    {
        let mut sums = [[_mm512_setzero_ps(); STEP / 2]; 2];
        let mut first = 0;
        loop {
            let count = (pairs - first).min(PAIRS_AT_ONCE);
            // The lone last group goes with the last pairs, so its recurrence overlaps theirs.
            let last = first + count == pairs;
            match (count, last && lone) {
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
        add_lane_sums(&sums[0], left);
        add_lane_sums(&sums[1], right);
    }
}

/// A pair's recurrence and, per channel, its low group's gains twice and its high group's
/// gains twice.
#[derive(Clone, Copy)]
struct StereoPair {
    pair: Pair,
    gains: [[__m512; 2]; 2],
}

impl StereoPair {
    #[inline]
    #[target_feature(enable = "avx512f")]
    fn zero() -> Self {
        let zero = _mm512_setzero_ps();
        Self {
            // SAFETY: compiled for AVX-512F, so the CPU running this has it.
            pair: unsafe { Pair::zero() },
            gains: [[zero; 2]; 2],
        }
    }

    /// Pair `pair`'s lanes in `mask`.
    #[inline]
    #[target_feature(enable = "avx512f")]
    fn load(lanes: &StereoLanes, pair: usize, mask: __mmask16) -> Self {
        let at = pair * PAIR_LANES;
        let channel_gains = |gains: &[f32]| {
            // SAFETY: sixteen f32s (the indexing below checked it).
            let both = unsafe { _mm512_maskz_loadu_ps(mask, gains.as_ptr()) };
            [
                _mm512_shuffle_f32x4::<0b01_00_01_00>(both, both),
                _mm512_shuffle_f32x4::<0b11_10_11_10>(both, both),
            ]
        };
        Self {
            // SAFETY: compiled for AVX-512F, so the CPU running this has it.
            pair: unsafe { Pair::load(&lanes.lanes, pair, mask) },
            gains: [
                channel_gains(&lanes.left[at..at + PAIR_LANES]),
                channel_gains(&lanes.right[at..at + PAIR_LANES]),
            ],
        }
    }

    /// Two samples on, added into `sums[channel][m]` in group order (the low group assigns
    /// when `first`); `high` says whether the high group is a group.
    #[inline]
    #[target_feature(enable = "avx512f")]
    fn add_into(&mut self, sums: &mut [Sums; 2], m: usize, first: bool, high: bool) {
        // SAFETY: compiled for AVX-512F, so the CPU running this has it.
        let (now, next) = unsafe { (self.pair.step(), self.pair.step()) };
        let (a, b) = by_group(now, next);
        for (gains, sums) in self.gains.iter().zip(sums.iter_mut()) {
            let to_a = _mm512_mul_ps(a, gains[0]);
            let sum = &mut sums[m];
            *sum = if first {
                to_a
            } else {
                _mm512_add_ps(*sum, to_a)
            };
            if high {
                *sum = _mm512_add_ps(*sum, _mm512_mul_ps(b, gains[1]));
            }
        }
    }
}

/// A step of `N` pairs from pair `first` (and, when `LONE`, the last group alone after them),
/// added into the accumulators group after group (the first group of all assigns).
#[inline]
#[target_feature(enable = "avx512f")]
fn run_pairs<const N: usize, const LONE: bool>(
    lanes: &mut StereoLanes,
    first: usize,
    sums: &mut [Sums; 2],
) {
    let mut pairs = [StereoPair::zero(); N];
    for (n, pair) in pairs.iter_mut().enumerate() {
        *pair = StereoPair::load(lanes, first + n, ALL_LANES);
    }
    let mut lone = StereoPair::zero();
    if LONE {
        lone = StereoPair::load(lanes, first + N, LOW_GROUP);
    }
    for m in 0..STEP / 2 {
        for (n, pair) in pairs.iter_mut().enumerate() {
            pair.add_into(sums, m, first + n == 0, true);
        }
        if LONE {
            lone.add_into(sums, m, first + N == 0, false);
        }
    }
    for (n, pair) in pairs.iter().enumerate() {
        // SAFETY: compiled for AVX-512F, so the CPU running this has it.
        unsafe { pair.pair.store(&mut lanes.lanes, first + n, ALL_LANES) };
    }
    if LONE {
        // SAFETY: as above.
        unsafe { lone.pair.store(&mut lanes.lanes, first + N, LOW_GROUP) };
    }
}
