//! The steady lanes' vector kernels: the portable kernel's arithmetic, eight samples (AVX2) or
//! four (SSE2) at a time. Per step each group's recurrence runs its samples one after the other
//! in registers, adding each sample's lanes into an accumulator of its own (the first group
//! assigns); the accumulators are then transposed and summed, which computes exactly the
//! portable kernel's lane tree ((0+1)+(2+3))+((4+5)+(6+7)).

use super::{GROUP_LANES, GroupState, SteadyLanes, add_one_sample, seed_lanes};
use crate::dsp::sine::Avx2Token;
use std::arch::x86_64::*;

pub(super) mod avx512;

/// Samples per SSE2 step.
const SSE2_STEP: usize = 4;

/// SSE2 kernel (the x86-64 baseline).
pub(super) fn add_sse2(lanes: &mut SteadyLanes, out: &mut [f32]) {
    let groups = lanes.len / GROUP_LANES;
    let mut steps = out.chunks_exact_mut(SSE2_STEP);
    for block in &mut steps {
        // SAFETY: SSE is baseline on x86-64.
        let zero = unsafe { _mm_setzero_ps() };
        // Lanes 0–3 and 4–7 of each sample's accumulator.
        let mut low = [zero; SSE2_STEP];
        let mut high = [zero; SSE2_STEP];
        sse2_group::<true>(lanes.group(0), &mut low, &mut high);
        for group in 1..groups {
            sse2_group::<false>(lanes.group(group), &mut low, &mut high);
        }
        let sums = sse2_add(sse2_lane_sums(low), sse2_lane_sums(high));
        let block: &mut [f32; SSE2_STEP] = block.try_into().unwrap();
        // SAFETY: SSE is baseline on x86-64; four readable and writable f32s (the array).
        unsafe {
            let total = _mm_add_ps(_mm_loadu_ps(block.as_ptr()), sums);
            _mm_storeu_ps(block.as_mut_ptr(), total);
        }
    }
    for sample in steps.into_remainder() {
        add_one_sample(lanes, sample);
    }
}

/// Four samples of one group, into the accumulators (assigned when `FIRST`).
#[inline(always)]
fn sse2_group<const FIRST: bool>(
    group: GroupState<'_>,
    low: &mut [__m128; SSE2_STEP],
    high: &mut [__m128; SSE2_STEP],
) {
    // SAFETY: SSE is baseline on x86-64; each pointer is to eight f32s of an array, read or
    // written four at a time at offsets 0 and 4.
    unsafe {
        let (mut s0, mut s1) = (
            _mm_loadu_ps(group.s.as_ptr()),
            _mm_loadu_ps(group.s[4..].as_ptr()),
        );
        let (mut d0, mut d1) = (
            _mm_loadu_ps(group.d.as_ptr()),
            _mm_loadu_ps(group.d[4..].as_ptr()),
        );
        let (k0, k1) = (
            _mm_loadu_ps(group.k.as_ptr()),
            _mm_loadu_ps(group.k[4..].as_ptr()),
        );
        for j in 0..SSE2_STEP {
            if FIRST {
                low[j] = s0;
                high[j] = s1;
            } else {
                low[j] = _mm_add_ps(low[j], s0);
                high[j] = _mm_add_ps(high[j], s1);
            }
            d0 = _mm_add_ps(d0, _mm_mul_ps(k0, s0));
            d1 = _mm_add_ps(d1, _mm_mul_ps(k1, s1));
            s0 = _mm_add_ps(s0, d0);
            s1 = _mm_add_ps(s1, d1);
        }
        _mm_storeu_ps(group.s.as_mut_ptr(), s0);
        _mm_storeu_ps(group.s[4..].as_mut_ptr(), s1);
        _mm_storeu_ps(group.d.as_mut_ptr(), d0);
        _mm_storeu_ps(group.d[4..].as_mut_ptr(), d1);
    }
}

/// Lane j of the result: ((r_j[0] + r_j[1]) + (r_j[2] + r_j[3])), by a 4×4 transpose.
#[inline(always)]
pub(super) fn sse2_lane_sums(rows: [__m128; SSE2_STEP]) -> __m128 {
    // SAFETY: SSE is baseline on x86-64.
    unsafe {
        let t0 = _mm_unpacklo_ps(rows[0], rows[1]);
        let t1 = _mm_unpackhi_ps(rows[0], rows[1]);
        let t2 = _mm_unpacklo_ps(rows[2], rows[3]);
        let t3 = _mm_unpackhi_ps(rows[2], rows[3]);
        let c0 = _mm_movelh_ps(t0, t2);
        let c1 = _mm_movehl_ps(t2, t0);
        let c2 = _mm_movelh_ps(t1, t3);
        let c3 = _mm_movehl_ps(t3, t1);
        _mm_add_ps(_mm_add_ps(c0, c1), _mm_add_ps(c2, c3))
    }
}

#[inline(always)]
pub(super) fn sse2_add(a: __m128, b: __m128) -> __m128 {
    // SAFETY: SSE is baseline on x86-64.
    unsafe { _mm_add_ps(a, b) }
}

/// A group's eight lanes as two SSE2 vectors: lanes 0–3, then 4–7.
#[inline(always)]
pub(super) fn sse2_load_halves(lanes: &[f32; GROUP_LANES]) -> [__m128; 2] {
    // SAFETY: SSE is baseline on x86-64; eight f32s of an array, read four at a time at
    // offsets 0 and 4.
    unsafe {
        [
            _mm_loadu_ps(lanes.as_ptr()),
            _mm_loadu_ps(lanes[4..].as_ptr()),
        ]
    }
}

/// Writes two SSE2 vectors back to a group's eight lanes (see [`sse2_load_halves`]).
#[inline(always)]
pub(super) fn sse2_store_halves(lanes: &mut [f32; GROUP_LANES], halves: [__m128; 2]) {
    // SAFETY: SSE is baseline on x86-64; eight f32s of an array, written four at a time at
    // offsets 0 and 4.
    unsafe {
        _mm_storeu_ps(lanes.as_mut_ptr(), halves[0]);
        _mm_storeu_ps(lanes[4..].as_mut_ptr(), halves[1]);
    }
}

/// Samples per AVX2 step.
const AVX2_STEP: usize = 8;

/// AVX2 kernel; `token` proves the CPU has AVX2.
pub(super) fn add_avx2(_token: Avx2Token, lanes: &mut SteadyLanes, out: &mut [f32]) {
    // SAFETY: `add_avx2_enabled` needs a CPU with AVX2; an `Avx2Token` exists only once run-time
    // detection has found it.
    unsafe { add_avx2_enabled(lanes, out) }
}

/// The AVX2 kernel compiled for AVX2.
///
/// # Safety
///
/// The CPU must support AVX2.
#[target_feature(enable = "avx2")]
unsafe fn add_avx2_enabled(lanes: &mut SteadyLanes, out: &mut [f32]) {
    let groups = lanes.len / GROUP_LANES;
    let mut steps = out.chunks_exact_mut(AVX2_STEP);
    for block in &mut steps {
        let mut acc = [_mm256_setzero_ps(); AVX2_STEP];
        // Several groups at a time: independent recurrences for the CPU to overlap (one alone
        // waits on its multiply and two adds every sample; four ran 10 % faster than two). Each
        // sample's lanes are still added group after group, so the sums keep their order.
        if groups == 1 {
            avx2_group::<true>(lanes.group(0), &mut acc);
        } else {
            let (first, second) = lanes.two_groups(0);
            avx2_pair::<true>(first, second, &mut acc);
        }
        let mut group = 2;
        while group + 3 < groups {
            let quad = [0, 1, 2, 3].map(|n| Avx2Group::load(&lanes.group(group + n)));
            let quad = avx2_quad(quad, &mut acc);
            for (n, lanes_in_registers) in quad.into_iter().enumerate() {
                lanes_in_registers.store(lanes.group(group + n));
            }
            group += 4;
        }
        while group + 1 < groups {
            let (first, second) = lanes.two_groups(group);
            avx2_pair::<false>(first, second, &mut acc);
            group += 2;
        }
        if group + 1 == groups {
            avx2_group::<false>(lanes.group(group), &mut acc);
        }
        let sums = avx2_lane_sums(&acc);
        let block: &mut [f32; AVX2_STEP] = block.try_into().unwrap();
        // SAFETY: the CPU has AVX; eight readable and writable f32s (the array).
        unsafe {
            let total = _mm256_add_ps(_mm256_loadu_ps(block.as_ptr()), sums);
            _mm256_storeu_ps(block.as_mut_ptr(), total);
        }
    }
    for sample in steps.into_remainder() {
        add_one_sample(lanes, sample);
    }
}

/// A group's recurrence in registers.
#[derive(Clone, Copy)]
struct Avx2Group {
    s: __m256,
    d: __m256,
    k: __m256,
}

impl Avx2Group {
    #[inline]
    #[target_feature(enable = "avx2")]
    fn load(group: &GroupState<'_>) -> Self {
        // SAFETY: the CPU has AVX; each pointer is to an array of eight f32s.
        unsafe {
            Self {
                s: _mm256_loadu_ps(group.s.as_ptr()),
                d: _mm256_loadu_ps(group.d.as_ptr()),
                k: _mm256_loadu_ps(group.k.as_ptr()),
            }
        }
    }

    #[inline]
    #[target_feature(enable = "avx2")]
    fn store(self, group: GroupState<'_>) {
        // SAFETY: the CPU has AVX; each pointer is to an array of eight f32s.
        unsafe {
            _mm256_storeu_ps(group.s.as_mut_ptr(), self.s);
            _mm256_storeu_ps(group.d.as_mut_ptr(), self.d);
        }
    }

    /// One sample on.
    #[inline]
    #[target_feature(enable = "avx2")]
    fn step(&mut self) {
        self.d = _mm256_add_ps(self.d, _mm256_mul_ps(self.k, self.s));
        self.s = _mm256_add_ps(self.s, self.d);
    }
}

/// Eight samples of one group, into the accumulators (assigned when `FIRST`).
#[inline]
#[target_feature(enable = "avx2")]
fn avx2_group<const FIRST: bool>(group: GroupState<'_>, acc: &mut [__m256; AVX2_STEP]) {
    let mut lanes = Avx2Group::load(&group);
    for sum in acc.iter_mut() {
        *sum = if FIRST {
            lanes.s
        } else {
            _mm256_add_ps(*sum, lanes.s)
        };
        lanes.step();
    }
    lanes.store(group);
}

/// Eight samples of four groups, added into the accumulators in order.
#[inline]
#[target_feature(enable = "avx2")]
fn avx2_quad(mut groups: [Avx2Group; 4], acc: &mut [__m256; AVX2_STEP]) -> [Avx2Group; 4] {
    for sum in acc.iter_mut() {
        let ab = _mm256_add_ps(_mm256_add_ps(*sum, groups[0].s), groups[1].s);
        *sum = _mm256_add_ps(_mm256_add_ps(ab, groups[2].s), groups[3].s);
        for group in &mut groups {
            group.step();
        }
    }
    groups
}

/// Eight samples of two groups, into the accumulators (assigned from `first` when `FIRST`).
#[inline]
#[target_feature(enable = "avx2")]
fn avx2_pair<const FIRST: bool>(
    first: GroupState<'_>,
    second: GroupState<'_>,
    acc: &mut [__m256; AVX2_STEP],
) {
    let (mut a, mut b) = (Avx2Group::load(&first), Avx2Group::load(&second));
    for sum in acc.iter_mut() {
        let with_a = if FIRST { a.s } else { _mm256_add_ps(*sum, a.s) };
        *sum = _mm256_add_ps(with_a, b.s);
        a.step();
        b.step();
    }
    a.store(first);
    b.store(second);
}

/// Lane j of the result: the lane tree of `acc[j]`. Two rounds of horizontal adds sum lanes
/// (0+1)+(2+3) and (4+5)+(6+7) of four rows per register; the halves then meet.
#[inline]
#[target_feature(enable = "avx2")]
pub(super) fn avx2_lane_sums(acc: &[__m256; AVX2_STEP]) -> __m256 {
    let h01 = _mm256_hadd_ps(acc[0], acc[1]);
    let h23 = _mm256_hadd_ps(acc[2], acc[3]);
    let h45 = _mm256_hadd_ps(acc[4], acc[5]);
    let h67 = _mm256_hadd_ps(acc[6], acc[7]);
    let q0123 = _mm256_hadd_ps(h01, h23);
    let q4567 = _mm256_hadd_ps(h45, h67);
    let low = _mm256_permute2f128_ps::<0x20>(q0123, q4567);
    let high = _mm256_permute2f128_ps::<0x31>(q0123, q4567);
    _mm256_add_ps(low, high)
}

/// The seeding compiled for AVX2; `token` proves the CPU has it.
pub(super) fn seed_avx2(_token: Avx2Token, lanes: &mut SteadyLanes, run: usize) {
    // SAFETY: `seed_avx2_enabled` needs a CPU with AVX2; an `Avx2Token` exists only once run-time
    // detection has found it.
    unsafe { seed_avx2_enabled(lanes, run) }
}

/// # Safety
///
/// The CPU must support AVX2.
#[target_feature(enable = "avx2")]
unsafe fn seed_avx2_enabled(lanes: &mut SteadyLanes, run: usize) {
    seed_lanes(lanes, run);
}
