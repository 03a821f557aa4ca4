//! The chirp lanes' vector kernels: the portable kernel's arithmetic on eight lanes at once
//! (SSE2 in two halves, AVX2 whole), with the held notes' lane tree at the end, summing four
//! (SSE2) or eight (AVX2) samples at a time (see `steady/x86.rs`). One generic kernel, written
//! against [`Wide`]; groups run a few at a time through a whole call, since one group alone
//! waits on its recurrence every sample.

use super::{ChirpGroup, ChirpLanes, seed_lanes};
use crate::dsp::sine::Avx2Token;
use crate::dsp::steady::GROUP_LANES;
use crate::dsp::steady::x86::{avx2_lane_sums, sse2_add, sse2_lane_sums};
use crate::dsp::steady::{RUN_SAMPLES, lane_sum};
use std::arch::x86_64::*;

pub(super) mod avx512;

/// Most samples per step (AVX2's).
const MAX_STEP: usize = 8;

/// Most groups a kernel keeps in flight at once: with four, their state spilled from the
/// registers and the vibrato benchmark ran about 8 % slower.
const GROUPS_AT_ONCE: usize = 3;

/// Eight `f32` lanes and the few operations the kernel needs, on one instruction set. A value
/// of the implementing type proves the CPU runs it, which is why the methods are safe.
trait Wide: Copy {
    /// Eight lanes.
    type V: Copy;
    /// Samples per step.
    const STEP: usize;
    fn zero(self) -> Self::V;
    fn load(self, lanes: &[f32; GROUP_LANES]) -> Self::V;
    fn store(self, lanes: &mut [f32; GROUP_LANES], value: Self::V);
    fn add(self, a: Self::V, b: Self::V) -> Self::V;
    fn mul(self, a: Self::V, b: Self::V) -> Self::V;
    /// Adds to `out` (`STEP` samples) the lane tree of each of the first `STEP` accumulators.
    fn add_lane_sums(self, acc: &[Self::V; MAX_STEP], out: &mut [f32]);
}

/// SSE2: every x86-64 CPU runs it.
#[derive(Clone, Copy)]
struct Sse2;

impl Wide for Sse2 {
    type V = [__m128; 2];
    const STEP: usize = 4;

    #[inline(always)]
    fn zero(self) -> Self::V {
        // SAFETY: SSE is baseline on x86-64.
        unsafe { [_mm_setzero_ps(); 2] }
    }
    #[inline(always)]
    fn load(self, lanes: &[f32; GROUP_LANES]) -> Self::V {
        // SAFETY: SSE is baseline on x86-64; eight f32s of an array, read four at a time.
        unsafe {
            [
                _mm_loadu_ps(lanes.as_ptr()),
                _mm_loadu_ps(lanes[4..].as_ptr()),
            ]
        }
    }
    #[inline(always)]
    fn store(self, lanes: &mut [f32; GROUP_LANES], value: Self::V) {
        // SAFETY: SSE is baseline on x86-64; eight f32s of an array, written four at a time.
        unsafe {
            _mm_storeu_ps(lanes.as_mut_ptr(), value[0]);
            _mm_storeu_ps(lanes[4..].as_mut_ptr(), value[1]);
        }
    }
    #[inline(always)]
    fn add(self, a: Self::V, b: Self::V) -> Self::V {
        // SAFETY: SSE is baseline on x86-64.
        unsafe { [_mm_add_ps(a[0], b[0]), _mm_add_ps(a[1], b[1])] }
    }
    #[inline(always)]
    fn mul(self, a: Self::V, b: Self::V) -> Self::V {
        // SAFETY: SSE is baseline on x86-64.
        unsafe { [_mm_mul_ps(a[0], b[0]), _mm_mul_ps(a[1], b[1])] }
    }
    #[inline(always)]
    fn add_lane_sums(self, acc: &[Self::V; MAX_STEP], out: &mut [f32]) {
        let low = [0, 1, 2, 3].map(|j| acc[j][0]);
        let high = [0, 1, 2, 3].map(|j| acc[j][1]);
        let sums = sse2_add(sse2_lane_sums(low), sse2_lane_sums(high));
        let out: &mut [f32; 4] = out.try_into().unwrap();
        // SAFETY: SSE is baseline on x86-64; four readable and writable f32s (the array).
        unsafe {
            _mm_storeu_ps(
                out.as_mut_ptr(),
                _mm_add_ps(_mm_loadu_ps(out.as_ptr()), sums),
            )
        }
    }
}

/// AVX2: made only from an [`Avx2Token`].
#[derive(Clone, Copy)]
struct Avx2(#[allow(dead_code)] Avx2Token);

impl Wide for Avx2 {
    type V = __m256;
    const STEP: usize = 8;

    #[inline(always)]
    fn zero(self) -> __m256 {
        // SAFETY: `self` holds an `Avx2Token`, so the CPU has AVX.
        unsafe { _mm256_setzero_ps() }
    }
    #[inline(always)]
    fn load(self, lanes: &[f32; GROUP_LANES]) -> __m256 {
        // SAFETY: as `zero`; eight readable f32s (the array).
        unsafe { _mm256_loadu_ps(lanes.as_ptr()) }
    }
    #[inline(always)]
    fn store(self, lanes: &mut [f32; GROUP_LANES], value: __m256) {
        // SAFETY: as `zero`; eight writable f32s (the array).
        unsafe { _mm256_storeu_ps(lanes.as_mut_ptr(), value) }
    }
    #[inline(always)]
    fn add(self, a: __m256, b: __m256) -> __m256 {
        // SAFETY: as `zero`.
        unsafe { _mm256_add_ps(a, b) }
    }
    #[inline(always)]
    fn mul(self, a: __m256, b: __m256) -> __m256 {
        // SAFETY: as `zero`.
        unsafe { _mm256_mul_ps(a, b) }
    }
    #[inline(always)]
    fn add_lane_sums(self, acc: &[__m256; MAX_STEP], out: &mut [f32]) {
        // SAFETY: as `zero` (the token proves AVX2, which `avx2_lane_sums` is compiled for).
        let sums = unsafe { avx2_lane_sums(acc) };
        let out: &mut [f32; 8] = out.try_into().unwrap();
        // SAFETY: as `zero`; eight readable and writable f32s (the array).
        unsafe {
            let total = _mm256_add_ps(_mm256_loadu_ps(out.as_ptr()), sums);
            _mm256_storeu_ps(out.as_mut_ptr(), total);
        }
    }
}

/// A group's lanes in registers: what moves over the run, then what holds.
#[derive(Clone, Copy)]
struct InRegisters<V> {
    s: V,
    d: V,
    kappa: V,
    kappa_step: V,
    gain: V,
    k: V,
    kappa_step_step: V,
    beta: V,
    gain_step: V,
}

impl<V: Copy> InRegisters<V> {
    #[inline(always)]
    fn load<W: Wide<V = V>>(w: W, group: &ChirpGroup<'_>) -> Self {
        Self {
            s: w.load(group.s),
            d: w.load(group.d),
            kappa: w.load(group.kappa),
            kappa_step: w.load(group.kappa_step),
            gain: w.load(group.gain),
            k: w.load(group.k),
            kappa_step_step: w.load(group.kappa_step_step),
            beta: w.load(group.beta),
            gain_step: w.load(group.gain_step),
        }
    }

    #[inline(always)]
    fn store<W: Wide<V = V>>(&self, w: W, group: ChirpGroup<'_>) {
        w.store(group.s, self.s);
        w.store(group.d, self.d);
        w.store(group.kappa, self.kappa);
        w.store(group.kappa_step, self.kappa_step);
        w.store(group.gain, self.gain);
    }

    /// The lanes' contribution to this sample (`super::lane_value`).
    #[inline(always)]
    fn value<W: Wide<V = V>, const RAMPS: bool>(&self, w: W) -> V {
        if RAMPS {
            w.mul(self.s, self.gain)
        } else {
            self.s
        }
    }

    /// One sample on, as `super::add_one_sample` steps a lane.
    #[inline(always)]
    fn advance<W: Wide<V = V>, const RAMPS: bool>(&mut self, w: W) {
        let k = w.add(self.k, self.kappa);
        self.d = w.add(w.mul(self.beta, self.d), w.mul(k, self.s));
        self.s = w.add(self.s, self.d);
        self.kappa = w.add(self.kappa, self.kappa_step);
        self.kappa_step = w.add(self.kappa_step, self.kappa_step_step);
        if RAMPS {
            self.gain = w.add(self.gain, self.gain_step);
        }
    }
}

/// The kernel: a few groups of one parity at a time over the whole of `out` (at most a run),
/// their state in registers, as `super::add_one_sample` sums them: the even groups into one
/// accumulator per sample (the first assigning), then the odd into another, the last odd
/// chunk ending each sample with the silent group of an odd count and the even sum added, so
/// every chunk moves one accumulator per sample through memory; then each sample's sum in the
/// lane tree, `W::STEP` samples at a time and the last few one by one.
#[inline(always)]
fn add_lanes<W: Wide>(w: W, lanes: &mut ChirpLanes, out: &mut [f32]) {
    for out in out.chunks_mut(RUN_SAMPLES) {
        add_lanes_to(w, lanes, out);
    }
}

/// What a chunk of groups does with each sample's sum once its groups are in.
#[derive(Clone, Copy)]
enum Finish {
    /// Keeps it in its parity's accumulator.
    Keep,
    /// Adds it (the odd sum) to the even accumulator.
    AddToEven,
    /// The same after adding the silent group's `+0.0` (an odd count of groups).
    AddSilentToEven,
}

/// [`Finish`] as const generic parameters.
const KEEP: u8 = 0;
const ADD_TO_EVEN: u8 = 1;
const ADD_SILENT_TO_EVEN: u8 = 2;

/// [`add_lanes`] for at most [`RUN_SAMPLES`].
#[inline(always)]
fn add_lanes_to<W: Wide>(w: W, lanes: &mut ChirpLanes, out: &mut [f32]) {
    let len = out.len();
    let groups = lanes.groups();
    let mut even = [w.zero(); RUN_SAMPLES];
    let mut odd = [w.zero(); RUN_SAMPLES];
    let (even, odd) = (&mut even[..len], &mut odd[..len]);
    for parity in 0..2 {
        let of_parity = (groups + 1 - parity) / 2;
        let mut done = 0;
        while done < of_parity {
            let count = (of_parity - done).min(GROUPS_AT_ONCE);
            let first = parity + 2 * done;
            let finish = match (parity, done + count == of_parity) {
                (1, true) if groups % 2 == 1 => Finish::AddSilentToEven,
                (1, true) => Finish::AddToEven,
                _ => Finish::Keep,
            };
            let (own, other) = if parity == 0 {
                (&mut *even, &mut *odd)
            } else {
                (&mut *odd, &mut *even)
            };
            add_chunk(w, lanes, first, count, done == 0, finish, own, other);
            done += count;
        }
    }
    // With no odd group, the odd sum is +0.0 (as in `super::add_one_sample`).
    let total = |sum: W::V| {
        if groups < 2 {
            w.add(sum, w.zero())
        } else {
            sum
        }
    };
    let mut samples = out.chunks_exact_mut(W::STEP);
    let mut sums = even.chunks_exact(W::STEP);
    for (block, sums) in (&mut samples).zip(&mut sums) {
        let mut step = [w.zero(); MAX_STEP];
        for (step, &sum) in step.iter_mut().zip(sums) {
            *step = total(sum);
        }
        w.add_lane_sums(&step, block);
    }
    for (sample, &sum) in samples.into_remainder().iter_mut().zip(sums.remainder()) {
        let mut lanes = [0.0; GROUP_LANES];
        w.store(&mut lanes, total(sum));
        *sample += lane_sum(&lanes);
    }
}

/// `count` groups of one parity from `first` (every other group) over `own.len()` samples,
/// added into `own` (or assigned, the parity's first chunk), then as `finish` says (`other`
/// being the even sums).
#[allow(clippy::too_many_arguments)]
#[inline(always)]
fn add_chunk<W: Wide>(
    w: W,
    lanes: &mut ChirpLanes,
    first: usize,
    count: usize,
    assign: bool,
    finish: Finish,
    own: &mut [W::V],
    other: &mut [W::V],
) {
    // A group whose gains hold has them all at exactly 1 and steps of 0: multiplying and
    // stepping them changes no bit, so a few groups share one path.
    let ramps = (0..count).any(|n| lanes.ramps[first + 2 * n]);
    let acc = (own, other);
    match (count, ramps) {
        (3, false) => add_groups_as::<W, 3, false>(w, lanes, first, assign, finish, acc),
        (3, true) => add_groups_as::<W, 3, true>(w, lanes, first, assign, finish, acc),
        (2, false) => add_groups_as::<W, 2, false>(w, lanes, first, assign, finish, acc),
        (2, true) => add_groups_as::<W, 2, true>(w, lanes, first, assign, finish, acc),
        (_, false) => add_groups_as::<W, 1, false>(w, lanes, first, assign, finish, acc),
        (_, true) => add_groups_as::<W, 1, true>(w, lanes, first, assign, finish, acc),
    }
}

/// [`add_chunk`] for `N` groups, with what it does to the sums known at compile time.
#[inline(always)]
fn add_groups_as<W: Wide, const N: usize, const RAMPS: bool>(
    w: W,
    lanes: &mut ChirpLanes,
    first: usize,
    assign: bool,
    finish: Finish,
    (own, even): (&mut [W::V], &mut [W::V]),
) {
    use Finish::*;
    match (assign, finish) {
        (true, Keep) => add_groups::<W, N, RAMPS, true, KEEP>(w, lanes, first, own, even),
        (false, Keep) => add_groups::<W, N, RAMPS, false, KEEP>(w, lanes, first, own, even),
        (true, AddToEven) => {
            add_groups::<W, N, RAMPS, true, ADD_TO_EVEN>(w, lanes, first, own, even)
        }
        (false, AddToEven) => {
            add_groups::<W, N, RAMPS, false, ADD_TO_EVEN>(w, lanes, first, own, even)
        }
        (true, AddSilentToEven) => {
            add_groups::<W, N, RAMPS, true, ADD_SILENT_TO_EVEN>(w, lanes, first, own, even)
        }
        (false, AddSilentToEven) => {
            add_groups::<W, N, RAMPS, false, ADD_SILENT_TO_EVEN>(w, lanes, first, own, even)
        }
    }
}

/// `own.len()` samples of `N` groups from `first`, every other group: each sample's values
/// added group after group into its sum in `own` (the first group assigning if `ASSIGN`); then
/// the sum kept in `own` (`KEEP`), or, it being the odd sum, `+0.0` added for the silent group
/// (`ADD_SILENT_TO_EVEN`) and the sample's even sum in `even` plus it stored there.
#[inline(always)]
fn add_groups<W: Wide, const N: usize, const RAMPS: bool, const ASSIGN: bool, const FINISH: u8>(
    w: W,
    lanes: &mut ChirpLanes,
    first: usize,
    own: &mut [W::V],
    even: &mut [W::V],
) {
    let mut groups = [InRegisters::load(w, &lanes.group(first)); N];
    for (n, group) in groups.iter_mut().enumerate().skip(1) {
        *group = InRegisters::load(w, &lanes.group(first + 2 * n));
    }
    // One sample: its sum so far (`own`) plus the groups' values, the groups then a sample on.
    let sample = |groups: &mut [InRegisters<W::V>; N], own: W::V| {
        let mut sum = own;
        for (n, group) in groups.iter().enumerate() {
            let value = group.value::<W, RAMPS>(w);
            sum = if ASSIGN && n == 0 {
                value
            } else {
                w.add(sum, value)
            };
        }
        for group in groups.iter_mut() {
            group.advance::<W, RAMPS>(w);
        }
        sum
    };
    if FINISH == KEEP {
        for own in own.iter_mut() {
            *own = sample(&mut groups, *own);
        }
    } else {
        for (&own, even) in own.iter().zip(even.iter_mut()) {
            let mut sum = sample(&mut groups, own);
            if FINISH == ADD_SILENT_TO_EVEN {
                sum = w.add(sum, w.zero());
            }
            *even = w.add(*even, sum);
        }
    }
    for (n, group) in groups.iter().enumerate() {
        group.store(w, lanes.group(first + 2 * n));
    }
}

/// SSE2 kernel (the x86-64 baseline).
pub(super) fn add_sse2(lanes: &mut ChirpLanes, out: &mut [f32]) {
    add_lanes(Sse2, lanes, out);
}

/// AVX2 kernel; `token` proves the CPU has AVX2.
pub(super) fn add_avx2(token: Avx2Token, lanes: &mut ChirpLanes, out: &mut [f32]) {
    // SAFETY: `add_avx2_enabled` needs a CPU with AVX2; an `Avx2Token` exists only once run-time
    // detection has found it.
    unsafe { add_avx2_enabled(Avx2(token), lanes, out) }
}

/// # Safety
///
/// The CPU must support AVX2.
#[target_feature(enable = "avx2")]
unsafe fn add_avx2_enabled(w: Avx2, lanes: &mut ChirpLanes, out: &mut [f32]) {
    add_lanes(w, lanes, out);
}

/// The seeding compiled for AVX2; `token` proves the CPU has it.
pub(super) fn seed_avx2(_token: Avx2Token, lanes: &mut ChirpLanes, run: usize) {
    // SAFETY: `seed_avx2_enabled` needs a CPU with AVX2; an `Avx2Token` exists only once run-time
    // detection has found it.
    unsafe { seed_avx2_enabled(lanes, run) }
}

/// # Safety
///
/// The CPU must support AVX2.
#[target_feature(enable = "avx2")]
unsafe fn seed_avx2_enabled(lanes: &mut ChirpLanes, run: usize) {
    seed_lanes::<GROUP_LANES>(lanes, run);
}
