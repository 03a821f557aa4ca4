//! The stereo lanes' vector kernels: the portable kernel's arithmetic, eight samples (AVX2) or
//! four (SSE2) at a time, with the held notes' lane tree at the end for each channel (see
//! `steady/x86.rs`). Groups run up to four at a time: one group alone waits on its recurrence
//! every sample.

use super::{StereoGroup, StereoLanes, add_samples};
use crate::dsp::sine::Avx2Token;
use crate::dsp::steady::x86::{
    avx2_lane_sums, sse2_add, sse2_lane_sums, sse2_load_halves as load, sse2_store_halves as store,
};
use std::arch::x86_64::*;

pub(super) mod avx512;

/// Most groups a kernel keeps in flight at once.
const GROUPS_AT_ONCE: usize = 4;

/// Samples per SSE2 step.
const SSE2_STEP: usize = 4;

/// Per channel, lanes 0–3 and 4–7 of each sample's accumulator.
type Sse2Sums = [[[__m128; SSE2_STEP]; 2]; 2];

/// One group's lanes in SSE2 registers, as halves of four.
#[derive(Clone, Copy)]
struct Sse2Group {
    s: [__m128; 2],
    d: [__m128; 2],
    k: [__m128; 2],
    /// The left gains, then the right.
    gains: [[__m128; 2]; 2],
}

impl Sse2Group {
    #[inline(always)]
    fn load(group: &StereoGroup<'_>) -> Self {
        Self {
            s: load(group.s),
            d: load(group.d),
            k: load(group.k),
            gains: [load(group.left), load(group.right)],
        }
    }

    #[inline(always)]
    fn store(&self, group: StereoGroup<'_>) {
        store(group.s, self.s);
        store(group.d, self.d);
    }

    /// Adds this sample's values at each channel's gains into `sums` (assigns if `first`).
    #[inline(always)]
    fn add_into(&self, sums: &mut Sse2Sums, sample: usize, first: bool) {
        for (gains, sums) in self.gains.iter().zip(sums) {
            for half in 0..2 {
                // SAFETY: SSE is baseline on x86-64.
                unsafe {
                    let value = _mm_mul_ps(self.s[half], gains[half]);
                    let sum = &mut sums[half][sample];
                    *sum = if first {
                        value
                    } else {
                        _mm_add_ps(*sum, value)
                    };
                }
            }
        }
    }

    /// One sample on.
    #[inline(always)]
    fn advance(&mut self) {
        for half in 0..2 {
            // SAFETY: SSE is baseline on x86-64.
            unsafe {
                self.d[half] = _mm_add_ps(self.d[half], _mm_mul_ps(self.k[half], self.s[half]));
                self.s[half] = _mm_add_ps(self.s[half], self.d[half]);
            }
        }
    }
}

/// SSE2 kernel (the x86-64 baseline).
pub(super) fn add_sse2(lanes: &mut StereoLanes, left: &mut [f32], right: &mut [f32]) {
    let groups = lanes.groups();
    let steps = left.len() / SSE2_STEP;
    for step in 0..steps {
        // SAFETY: SSE is baseline on x86-64.
        let zero = unsafe { _mm_setzero_ps() };
        let mut sums = [[[zero; SSE2_STEP]; 2]; 2];
        let mut first = 0;
        while first < groups {
            let count = (groups - first).min(GROUPS_AT_ONCE);
            match count {
                4 => sse2_groups::<4>(lanes, first, &mut sums),
                3 => sse2_groups::<3>(lanes, first, &mut sums),
                2 => sse2_groups::<2>(lanes, first, &mut sums),
                _ => sse2_groups::<1>(lanes, first, &mut sums),
            }
            first += count;
        }
        let samples = step * SSE2_STEP..(step + 1) * SSE2_STEP;
        for (channel, sums) in [&mut left[samples.clone()], &mut right[samples]]
            .into_iter()
            .zip(sums)
        {
            let total = sse2_add(sse2_lane_sums(sums[0]), sse2_lane_sums(sums[1]));
            let channel: &mut [f32; SSE2_STEP] = channel.try_into().unwrap();
            // SAFETY: SSE is baseline on x86-64; four readable and writable f32s (the array).
            unsafe {
                let total = _mm_add_ps(_mm_loadu_ps(channel.as_ptr()), total);
                _mm_storeu_ps(channel.as_mut_ptr(), total);
            }
        }
    }
    let done = steps * SSE2_STEP;
    add_samples(lanes, &mut left[done..], &mut right[done..]);
}

/// Four samples of `N` groups from `first`, added into the accumulators group after group
/// (group 0 assigns).
#[inline(always)]
fn sse2_groups<const N: usize>(lanes: &mut StereoLanes, first: usize, sums: &mut Sse2Sums) {
    let mut groups = [Sse2Group::load(&lanes.group(first)); N];
    for (n, group) in groups.iter_mut().enumerate().skip(1) {
        *group = Sse2Group::load(&lanes.group(first + n));
    }
    for sample in 0..SSE2_STEP {
        for (n, group) in groups.iter().enumerate() {
            group.add_into(sums, sample, first + n == 0);
        }
        groups.iter_mut().for_each(Sse2Group::advance);
    }
    for (n, group) in groups.iter().enumerate() {
        group.store(lanes.group(first + n));
    }
}

/// Samples per AVX2 step.
const AVX2_STEP: usize = 8;

/// Per channel, each sample's accumulator.
type Avx2Sums = [[__m256; AVX2_STEP]; 2];

/// AVX2 kernel; `token` proves the CPU has AVX2.
pub(super) fn add_avx2(
    _token: Avx2Token,
    lanes: &mut StereoLanes,
    left: &mut [f32],
    right: &mut [f32],
) {
    // SAFETY: `add_avx2_enabled` needs a CPU with AVX2; an `Avx2Token` exists only once run-time
    // detection has found it.
    unsafe { add_avx2_enabled(lanes, left, right) }
}

/// The AVX2 kernel compiled for AVX2.
///
/// # Safety
///
/// The CPU must support AVX2.
#[target_feature(enable = "avx2")]
unsafe fn add_avx2_enabled(lanes: &mut StereoLanes, left: &mut [f32], right: &mut [f32]) {
    let groups = lanes.groups();
    let steps = left.len() / AVX2_STEP;
    for step in 0..steps {
        let mut sums = [[_mm256_setzero_ps(); AVX2_STEP]; 2];
        let mut first = 0;
        while first < groups {
            let count = (groups - first).min(GROUPS_AT_ONCE);
            match count {
                4 => avx2_groups::<4>(lanes, first, &mut sums),
                3 => avx2_groups::<3>(lanes, first, &mut sums),
                2 => avx2_groups::<2>(lanes, first, &mut sums),
                _ => avx2_groups::<1>(lanes, first, &mut sums),
            }
            first += count;
        }
        let samples = step * AVX2_STEP..(step + 1) * AVX2_STEP;
        for (channel, sums) in [&mut left[samples.clone()], &mut right[samples]]
            .into_iter()
            .zip(&sums)
        {
            let channel: &mut [f32; AVX2_STEP] = channel.try_into().unwrap();
            // SAFETY: the CPU has AVX; eight readable and writable f32s (the array).
            unsafe {
                let total = _mm256_add_ps(_mm256_loadu_ps(channel.as_ptr()), avx2_lane_sums(sums));
                _mm256_storeu_ps(channel.as_mut_ptr(), total);
            }
        }
    }
    let done = steps * AVX2_STEP;
    add_samples(lanes, &mut left[done..], &mut right[done..]);
}

/// A group's lanes in AVX2 registers.
#[derive(Clone, Copy)]
struct Avx2Group {
    s: __m256,
    d: __m256,
    k: __m256,
    /// The left gains, then the right.
    gains: [__m256; 2],
}

impl Avx2Group {
    #[inline]
    #[target_feature(enable = "avx2")]
    fn load(group: &StereoGroup<'_>) -> Self {
        // SAFETY: the CPU has AVX; each pointer is to an array of eight f32s.
        unsafe {
            Self {
                s: _mm256_loadu_ps(group.s.as_ptr()),
                d: _mm256_loadu_ps(group.d.as_ptr()),
                k: _mm256_loadu_ps(group.k.as_ptr()),
                gains: [
                    _mm256_loadu_ps(group.left.as_ptr()),
                    _mm256_loadu_ps(group.right.as_ptr()),
                ],
            }
        }
    }

    #[inline]
    #[target_feature(enable = "avx2")]
    fn store(&self, group: StereoGroup<'_>) {
        // SAFETY: the CPU has AVX; each pointer is to an array of eight f32s.
        unsafe {
            _mm256_storeu_ps(group.s.as_mut_ptr(), self.s);
            _mm256_storeu_ps(group.d.as_mut_ptr(), self.d);
        }
    }

    /// One sample on.
    #[inline]
    #[target_feature(enable = "avx2")]
    fn advance(&mut self) {
        self.d = _mm256_add_ps(self.d, _mm256_mul_ps(self.k, self.s));
        self.s = _mm256_add_ps(self.s, self.d);
    }
}

/// Eight samples of `N` groups from `first`, added into the accumulators group after group
/// (group 0 assigns).
#[inline]
#[target_feature(enable = "avx2")]
fn avx2_groups<const N: usize>(lanes: &mut StereoLanes, first: usize, sums: &mut Avx2Sums) {
    let mut groups = [Avx2Group::load(&lanes.group(first)); N];
    for (n, group) in groups.iter_mut().enumerate().skip(1) {
        *group = Avx2Group::load(&lanes.group(first + n));
    }
    for sample in 0..AVX2_STEP {
        for (n, group) in groups.iter().enumerate() {
            for (gains, sums) in group.gains.iter().zip(sums.iter_mut()) {
                let value = _mm256_mul_ps(group.s, *gains);
                let sum = &mut sums[sample];
                *sum = if first + n == 0 {
                    value
                } else {
                    _mm256_add_ps(*sum, value)
                };
            }
        }
        for group in groups.iter_mut() {
            group.advance();
        }
    }
    for (n, group) in groups.iter().enumerate() {
        group.store(lanes.group(first + n));
    }
}
