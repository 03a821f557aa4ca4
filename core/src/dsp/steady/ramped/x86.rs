//! The ramped lanes' vector kernels: the portable kernel's arithmetic, eight samples (AVX2) or
//! four (SSE2) at a time, with the held notes' lane tree at the end (see `steady/x86.rs`).
//! Groups run up to four at a time: one group alone waits on its recurrence every sample.

use super::{RampedGroup, RampedLanes, add_one_sample};
use crate::dsp::sine::Avx2Token;
use crate::dsp::steady::x86::{
    avx2_lane_sums, sse2_add, sse2_lane_sums, sse2_load_halves as load, sse2_store_halves as store,
};
use std::arch::x86_64::*;

pub(super) mod avx512;

/// Samples per SSE2 step.
const SSE2_STEP: usize = 4;

/// Most groups a kernel keeps in flight at once.
const GROUPS_AT_ONCE: usize = 4;

/// One group's lanes in registers, as halves of four (SSE2) or whole (AVX2).
#[derive(Clone, Copy)]
struct Sse2Group {
    s: [__m128; 2],
    d: [__m128; 2],
    k: [__m128; 2],
    gain: [__m128; 2],
    step: [__m128; 2],
}

impl Sse2Group {
    #[inline(always)]
    fn load(group: &RampedGroup<'_>) -> Self {
        Self {
            s: load(group.s),
            d: load(group.d),
            k: load(group.k),
            gain: load(group.gain),
            step: load(group.step),
        }
    }

    #[inline(always)]
    fn store(&self, group: RampedGroup<'_>) {
        store(group.s, self.s);
        store(group.d, self.d);
        store(group.gain, self.gain);
    }

    /// Half `half`'s values times their gains.
    #[inline(always)]
    fn value(&self, half: usize) -> __m128 {
        // SAFETY: SSE is baseline on x86-64.
        unsafe { _mm_mul_ps(self.s[half], self.gain[half]) }
    }

    /// One sample on.
    #[inline(always)]
    fn advance(&mut self) {
        for half in 0..2 {
            // SAFETY: SSE is baseline on x86-64.
            unsafe {
                self.gain[half] = _mm_add_ps(self.gain[half], self.step[half]);
                self.d[half] = _mm_add_ps(self.d[half], _mm_mul_ps(self.k[half], self.s[half]));
                self.s[half] = _mm_add_ps(self.s[half], self.d[half]);
            }
        }
    }
}

/// SSE2 kernel (the x86-64 baseline).
pub(super) fn add_sse2(lanes: &mut RampedLanes, out: &mut [f32]) {
    let groups = lanes.groups();
    let mut steps = out.chunks_exact_mut(SSE2_STEP);
    for block in &mut steps {
        // SAFETY: SSE is baseline on x86-64.
        let zero = unsafe { _mm_setzero_ps() };
        // Lanes 0–3 and 4–7 of each sample's accumulator.
        let mut acc = [[zero; SSE2_STEP]; 2];
        let mut first = 0;
        while first < groups {
            let count = (groups - first).min(GROUPS_AT_ONCE);
            match count {
                4 => sse2_groups::<4>(lanes, first, &mut acc),
                3 => sse2_groups::<3>(lanes, first, &mut acc),
                2 => sse2_groups::<2>(lanes, first, &mut acc),
                _ => sse2_groups::<1>(lanes, first, &mut acc),
            }
            first += count;
        }
        let sums = sse2_add(sse2_lane_sums(acc[0]), sse2_lane_sums(acc[1]));
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

/// Four samples of `N` groups from `first`, added into the accumulators group after group
/// (group 0 assigns).
#[inline(always)]
fn sse2_groups<const N: usize>(
    lanes: &mut RampedLanes,
    first: usize,
    acc: &mut [[__m128; SSE2_STEP]; 2],
) {
    let mut groups = [Sse2Group::load(&lanes.group(first)); N];
    for (n, group) in groups.iter_mut().enumerate().skip(1) {
        *group = Sse2Group::load(&lanes.group(first + n));
    }
    for j in 0..SSE2_STEP {
        for (n, group) in groups.iter().enumerate() {
            for (half, acc) in acc.iter_mut().enumerate() {
                let value = group.value(half);
                acc[j] = if first + n == 0 {
                    value
                } else {
                    // SAFETY: SSE is baseline on x86-64.
                    unsafe { _mm_add_ps(acc[j], value) }
                };
            }
        }
        groups.iter_mut().for_each(Sse2Group::advance);
    }
    for (n, group) in groups.iter().enumerate() {
        group.store(lanes.group(first + n));
    }
}

/// Samples per AVX2 step.
const AVX2_STEP: usize = 8;

/// AVX2 kernel; `token` proves the CPU has AVX2.
pub(super) fn add_avx2(_token: Avx2Token, lanes: &mut RampedLanes, out: &mut [f32]) {
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
unsafe fn add_avx2_enabled(lanes: &mut RampedLanes, out: &mut [f32]) {
    let groups = lanes.groups();
    let mut steps = out.chunks_exact_mut(AVX2_STEP);
    for block in &mut steps {
        let mut acc = [_mm256_setzero_ps(); AVX2_STEP];
        let mut first = 0;
        while first < groups {
            let count = (groups - first).min(GROUPS_AT_ONCE);
            match count {
                4 => avx2_groups::<4>(lanes, first, &mut acc),
                3 => avx2_groups::<3>(lanes, first, &mut acc),
                2 => avx2_groups::<2>(lanes, first, &mut acc),
                _ => avx2_groups::<1>(lanes, first, &mut acc),
            }
            first += count;
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

/// A group's lanes in AVX2 registers.
#[derive(Clone, Copy)]
struct Avx2Group {
    s: __m256,
    d: __m256,
    k: __m256,
    gain: __m256,
    step: __m256,
}

impl Avx2Group {
    #[inline]
    #[target_feature(enable = "avx2")]
    fn load(group: &RampedGroup<'_>) -> Self {
        // SAFETY: the CPU has AVX; each pointer is to an array of eight f32s.
        unsafe {
            Self {
                s: _mm256_loadu_ps(group.s.as_ptr()),
                d: _mm256_loadu_ps(group.d.as_ptr()),
                k: _mm256_loadu_ps(group.k.as_ptr()),
                gain: _mm256_loadu_ps(group.gain.as_ptr()),
                step: _mm256_loadu_ps(group.step.as_ptr()),
            }
        }
    }

    #[inline]
    #[target_feature(enable = "avx2")]
    fn store(&self, group: RampedGroup<'_>) {
        // SAFETY: the CPU has AVX; each pointer is to an array of eight f32s.
        unsafe {
            _mm256_storeu_ps(group.s.as_mut_ptr(), self.s);
            _mm256_storeu_ps(group.d.as_mut_ptr(), self.d);
            _mm256_storeu_ps(group.gain.as_mut_ptr(), self.gain);
        }
    }

    /// One sample on.
    #[inline]
    #[target_feature(enable = "avx2")]
    fn advance(&mut self) {
        self.gain = _mm256_add_ps(self.gain, self.step);
        self.d = _mm256_add_ps(self.d, _mm256_mul_ps(self.k, self.s));
        self.s = _mm256_add_ps(self.s, self.d);
    }
}

/// Eight samples of `N` groups from `first`, added into the accumulators group after group
/// (group 0 assigns).
#[inline]
#[target_feature(enable = "avx2")]
fn avx2_groups<const N: usize>(
    lanes: &mut RampedLanes,
    first: usize,
    acc: &mut [__m256; AVX2_STEP],
) {
    let mut groups = [Avx2Group::load(&lanes.group(first)); N];
    for (n, group) in groups.iter_mut().enumerate().skip(1) {
        *group = Avx2Group::load(&lanes.group(first + n));
    }
    for sum in acc.iter_mut() {
        for (n, group) in groups.iter().enumerate() {
            let value = _mm256_mul_ps(group.s, group.gain);
            *sum = if first + n == 0 {
                value
            } else {
                _mm256_add_ps(*sum, value)
            };
        }
        for group in groups.iter_mut() {
            group.advance();
        }
    }
    for (n, group) in groups.iter().enumerate() {
        group.store(lanes.group(first + n));
    }
}
