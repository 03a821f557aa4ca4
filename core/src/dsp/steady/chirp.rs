//! Many partials whose pitch moves every sample (vibrato), summed vector lane by lane.
//!
//! Under vibrato each partial's phase increment ramps linearly from one of the LFO's knots to
//! the next ([`KNOT_SAMPLES`], the control rate), so the phase is the exact integer
//! [`PhaseRamp`] `phase + n·increment + slope·n(n−1)/2`, and each amplitude ramps linearly too.
//! The polynomial sine would cost its 18 vector operations per eight partial-samples; a chirp
//! obeys a recurrence as a steady sine does, only with coefficients that move.
//!
//! With θₙ the increment (in radians) from sample n to n + 1, s the sine and d = sₙ − sₙ₋₁,
//! Reinsch's form of the steady lanes ([`super`]) generalises exactly to
//!
//!   dₙ₊₁ = βₙ·dₙ + kₙ·sₙ,   sₙ₊₁ = sₙ + dₙ₊₁,
//!   βₙ = sin θₙ / sin θₙ₋₁,   kₙ = (sin(θₙ + θₙ₋₁) − sin θₙ) / sin θₙ₋₁ − 1,
//!
//! for any phase (with θ constant: β = 1, k = −4 sin²(θ/2), the steady lanes). With θₙ linear
//! in n, kₙ is a smooth function of n: within a run it is its quadratic Taylor polynomial
//! `K + κₙ` (κ stepped by forward differences, so that K's rounding is not repeated every
//! sample and the sum keeps the precision of a steady lane's k), and β moves so little that its
//! value at the run's middle serves the whole run. Per lane and sample: two multiplies and five
//! adds, and a multiply and an add more in groups whose amplitudes ramp.
//!
//! Every run ([`RUN_SAMPLES`]; a knot spans whole runs, each going on along the knot's slope)
//! each lane is seeded afresh from its exact phase through the polynomial sine (as the steady
//! lanes are) and its coefficients are worked out in `f64` from its exact increment and slope,
//! so nothing accumulates past one run and no phase drifts. The rounding grows with the run: at
//! 64 samples a lane under the steepest vibratos fell to 108.5 dB (docs/PERFORMANCE.md). The lanes stay within 120 dB
//! of the exact sines (the tests measure it) for increments up to a quarter turn per sample and
//! slopes up to [`MAX_RELATIVE_SLOPE_SHIFT`] (at 48 kHz a vibrato of ±100 cents at 16 Hz, or ±200 at 8);
//! [`accepts`] says whether a partial's run is within that.
//!
//! The lanes' sum per sample is taken over pairs of groups (see `add_one_sample`): the even
//! groups' values added up lane by lane, the odd groups' apart, the two added and summed in the
//! steady lanes' tree. That is the order AVX-512 performs natively (an even and an odd group to
//! a register), and every kernel performs the same IEEE operations in the same order, so they
//! give the same bits; where the runs start depends on the caller's clock, not on how the
//! output is sliced.
//!
//! Each lane's contribution to a sample is computed in one place ([`lane_value`] and its vector
//! twins): a left and a right gain would multiply it there.

use super::{GROUP_LANES, MAX_STEADY_INCREMENT, RUN_SAMPLES, RUN_SHIFT, lane_sum, run_triangle};
use crate::dsp::lfo::KNOT_SAMPLES;
use crate::dsp::phase::{PhaseRamp, UNITS_PER_TURN};
use crate::dsp::sine::{Kernel, sine};

/// Most lanes a [`ChirpLanes`] holds: 16 voices of five partials, four unison copies each.
pub const MAX_LANES: usize = 320;

/// Most groups of [`GROUP_LANES`].
const MAX_GROUPS: usize = MAX_LANES / GROUP_LANES;

/// The steepest slope the lanes render within 120 dB: |slope| ≤ increment / 2^13, a relative
/// change of the increment of 1.2e-4 per sample (at 48 kHz a vibrato of ±100 cents at 16 Hz).
pub const MAX_RELATIVE_SLOPE_SHIFT: u32 = 13;

/// Whether the lanes render `ramp` for `samples` (a run) within their accuracy: every increment
/// of the run, and the one before it that seeds `d`, at most a quarter turn per sample, and the
/// slope within [`MAX_RELATIVE_SLOPE_SHIFT`].
#[inline(always)]
pub fn accepts(ramp: &PhaseRamp, samples: usize) -> bool {
    let slope = ramp.slope as i64;
    let before = ramp.increment.wrapping_sub(ramp.slope);
    let last = ramp
        .increment
        .wrapping_add(ramp.slope.wrapping_mul(samples as u64));
    let lowest = ramp.increment.min(before).min(last);
    let highest = ramp.increment.max(before).max(last);
    // A wrap (an increment below zero) shows as a highest above a quarter turn.
    highest <= MAX_STEADY_INCREMENT && slope.unsigned_abs() <= lowest >> MAX_RELATIVE_SLOPE_SHIFT
}

/// One partial as the lanes take it at a run start.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct ChirpPartial {
    /// Its phase, increment and slope for the coming run.
    pub ramp: PhaseRamp,
    /// Linear amplitude at the run's first sample.
    pub amplitude: f32,
    /// Change of the amplitude per sample over the run.
    pub amplitude_step: f32,
}

/// Partials under vibrato side by side, structure of arrays, padded with silent lanes to whole
/// groups (see the module documentation).
#[derive(Clone, Debug)]
pub struct ChirpLanes {
    /// Lanes in use, a multiple of [`GROUP_LANES`].
    len: usize,
    /// Lanes pushed since the last [`clear`](Self::clear).
    pushed: usize,
    /// Each lane's exact phase ramp at the next seed.
    phase: [u64; MAX_LANES],
    increment: [u64; MAX_LANES],
    slope: [u64; MAX_LANES],
    /// Each lane's amplitude at the next seed, and its step per sample.
    amplitude: [f32; MAX_LANES],
    amplitude_step: [f32; MAX_LANES],
    /// The recurrence: this sample's value, and its difference from the one before.
    s: [f32; MAX_LANES],
    d: [f32; MAX_LANES],
    /// kₙ = `k` + `kappa`; `kappa` steps by `kappa_step`, which steps by `kappa_step_step`.
    k: [f32; MAX_LANES],
    kappa: [f32; MAX_LANES],
    kappa_step: [f32; MAX_LANES],
    kappa_step_step: [f32; MAX_LANES],
    /// β over the run.
    beta: [f32; MAX_LANES],
    /// The gain the lane's value is multiplied by (its amplitude where that ramps, else 1 with
    /// the amplitude in the seed), and its step per sample.
    gain: [f32; MAX_LANES],
    gain_step: [f32; MAX_LANES],
    /// Per group, whether any of its amplitudes ramps this run (else its gains are all 1).
    ramps: [bool; MAX_GROUPS],
    /// The top 32 bits of the phases sin and cos are taken at, while seeding.
    sine_tops: [u32; MAX_LANES],
    cosine_tops: [u32; MAX_LANES],
    /// Half the increment before the run in radians (θ₋₁/2), while seeding.
    half_radians: [f64; MAX_LANES],
    /// The slope in radians and sin(θ₋₁/2), while seeding.
    slope_radians: [f32; MAX_LANES],
    sin_half: [f32; MAX_LANES],
}

impl Default for ChirpLanes {
    fn default() -> Self {
        Self {
            len: 0,
            pushed: 0,
            phase: [0; MAX_LANES],
            increment: [0; MAX_LANES],
            slope: [0; MAX_LANES],
            amplitude: [0.0; MAX_LANES],
            amplitude_step: [0.0; MAX_LANES],
            s: [0.0; MAX_LANES],
            d: [0.0; MAX_LANES],
            k: [0.0; MAX_LANES],
            kappa: [0.0; MAX_LANES],
            kappa_step: [0.0; MAX_LANES],
            kappa_step_step: [0.0; MAX_LANES],
            beta: [0.0; MAX_LANES],
            gain: [0.0; MAX_LANES],
            gain_step: [0.0; MAX_LANES],
            ramps: [false; MAX_GROUPS],
            sine_tops: [0; MAX_LANES],
            cosine_tops: [0; MAX_LANES],
            half_radians: [0.0; MAX_LANES],
            slope_radians: [0.0; MAX_LANES],
            sin_half: [0.0; MAX_LANES],
        }
    }
}

impl ChirpLanes {
    /// Lanes in use (whole groups).
    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Partials pushed (the lanes in use but the padding).
    pub fn partials(&self) -> usize {
        self.pushed
    }

    /// Drops every lane.
    pub fn clear(&mut self) {
        self.len = 0;
        self.pushed = 0;
    }

    /// Adds a partial whose next sample is the next one rendered (from the next seed); returns
    /// its lane. Panics past [`MAX_LANES`].
    pub fn push(&mut self, partial: &ChirpPartial) -> usize {
        let lane = self.pushed;
        self.pushed += 1;
        self.set(lane, partial);
        // Padded to whole groups with silent lanes at the next seed.
        self.len = self.pushed.next_multiple_of(GROUP_LANES);
        lane
    }

    /// Lane `lane`'s next run: its slope and amplitude ramp from the next seed on (its phase and
    /// increment carry on from the run before).
    #[inline]
    pub fn set_run(&mut self, lane: usize, slope: u64, amplitude: f32, amplitude_step: f32) {
        debug_assert!(lane < self.pushed);
        self.slope[lane] = slope;
        self.amplitude[lane] = amplitude;
        self.amplitude_step[lane] = amplitude_step;
    }

    /// Every lane's next knot's span ([`KNOT_SAMPLES`], its runs each seeded) toward `targets`
    /// (one per pushed lane): its slope takes its increment to the target (in phase units per
    /// sample, rounded to a whole unit) at the next knot, rounded down to a whole slope, so
    /// that the span ends exactly where the next begins; amplitudes carry on. The knot's work
    /// for many partials at once, in a loop that vectorises (AVX2 converts no 64-bit integer,
    /// so the target goes through the bits of 2^52). Each target at most a quarter turn.
    pub fn aim(&mut self, targets: &[f64]) {
        assert_eq!(targets.len(), self.pushed);
        const { assert!(KNOT_SAMPLES.is_power_of_two()) };
        for ((slope, &increment), &target) in
            self.slope.iter_mut().zip(&self.increment).zip(targets)
        {
            let target = round_to_u64(target);
            *slope =
                (target.wrapping_sub(increment) as i64 >> KNOT_SAMPLES.trailing_zeros()) as u64;
        }
    }

    /// Lane `lane`'s phase ramp at the next seed.
    #[inline]
    pub fn ramp(&self, lane: usize) -> PhaseRamp {
        PhaseRamp {
            phase: self.phase[lane],
            increment: self.increment[lane],
            slope: self.slope[lane],
        }
    }

    /// Silences lane `lane` for the rest of the run (its partial left mid-run: whoever renders
    /// it now takes over there). Zeros stay exactly zero through the recurrence.
    pub fn silence(&mut self, lane: usize) {
        debug_assert!(lane < self.pushed);
        self.s[lane] = 0.0;
        self.d[lane] = 0.0;
        self.gain[lane] = 0.0;
        self.gain_step[lane] = 0.0;
        self.set(lane, &ChirpPartial::default());
    }

    /// Lane `from`'s phase ramp and amplitude become lane `to`'s (from the next seed).
    pub fn copy_lane(&mut self, from: usize, to: usize) {
        let ramp = self.ramp(from);
        self.set(
            to,
            &ChirpPartial {
                ramp,
                amplitude: self.amplitude[from],
                amplitude_step: self.amplitude_step[from],
            },
        );
    }

    /// Keeps the first `partials` lanes only.
    pub fn truncate(&mut self, partials: usize) {
        self.pushed = self.pushed.min(partials);
        self.len = self.pushed.next_multiple_of(GROUP_LANES);
    }

    fn set(&mut self, lane: usize, partial: &ChirpPartial) {
        self.phase[lane] = partial.ramp.phase;
        self.increment[lane] = partial.ramp.increment;
        self.slope[lane] = partial.ramp.slope;
        self.amplitude[lane] = partial.amplitude;
        self.amplitude_step[lane] = partial.amplitude_step;
    }

    /// Seeds every lane from its exact phase, increment, slope and amplitude, then moves them on
    /// by `run` samples (at most [`RUN_SAMPLES`]; 0 leaves them at the run's start, for a caller
    /// that moves them on itself, see [`moved`]), to the next seed. Every kernel computes the
    /// same bits (the same operations per lane).
    pub fn seed(&mut self, kernel: Kernel, run: usize) {
        debug_assert!(run <= RUN_SAMPLES);
        // The padding: all zeros stay exactly zero.
        for lane in self.pushed..self.len {
            self.set(lane, &ChirpPartial::default());
        }
        match kernel {
            #[cfg(target_arch = "x86_64")]
            Kernel::Avx2(token) => x86::seed_avx2(token, self, run),
            #[cfg(target_arch = "x86_64")]
            Kernel::Avx512(token) => x86::avx512::seed_avx512(token, self, run),
            _ => seed_lanes::<GROUP_LANES>(self, run),
        }
    }

    /// Seeds these lanes as [`seed`](Self::seed) with a `run` of 0 would, when their phase
    /// ramps are those of `left`, just seeded so, and only their amplitudes differ (the other
    /// channel of the same partials): the coefficients are `left`'s, only the seeds are worked
    /// out again. The same bits as seeding them, at a fraction of the cost.
    pub fn seed_mirror(&mut self, left: &ChirpLanes) {
        mirror_lanes(self, left);
    }

    /// Adds the lanes' next `out.len()` samples to `out`, advancing the recurrence. The caller
    /// seeds at least every [`RUN_SAMPLES`] samples.
    pub fn add_to(&mut self, kernel: Kernel, out: &mut [f32]) {
        if self.len == 0 {
            return;
        }
        match kernel {
            #[cfg(target_arch = "x86_64")]
            Kernel::Sse2 => x86::add_sse2(self, out),
            #[cfg(target_arch = "x86_64")]
            Kernel::Avx2(token) => x86::add_avx2(token, self, out),
            #[cfg(target_arch = "x86_64")]
            Kernel::Avx512(token) => x86::avx512::add_avx512(token, self, out),
            _ => out
                .iter_mut()
                .for_each(|sample| add_one_sample(self, sample)),
        }
    }

    /// Groups in use.
    fn groups(&self) -> usize {
        self.len / GROUP_LANES
    }

    /// Group `group`'s recurrence, for the kernels.
    fn group(&mut self, group: usize) -> ChirpGroup<'_> {
        let lanes = group * GROUP_LANES..(group + 1) * GROUP_LANES;
        fn eight<T>(slice: &mut [T]) -> &mut [T; GROUP_LANES] {
            slice.try_into().unwrap()
        }
        fn eight_ref<T>(slice: &[T]) -> &[T; GROUP_LANES] {
            slice.try_into().unwrap()
        }
        ChirpGroup {
            s: eight(&mut self.s[lanes.clone()]),
            d: eight(&mut self.d[lanes.clone()]),
            kappa: eight(&mut self.kappa[lanes.clone()]),
            kappa_step: eight(&mut self.kappa_step[lanes.clone()]),
            gain: eight(&mut self.gain[lanes.clone()]),
            k: eight_ref(&self.k[lanes.clone()]),
            kappa_step_step: eight_ref(&self.kappa_step_step[lanes.clone()]),
            beta: eight_ref(&self.beta[lanes.clone()]),
            gain_step: eight_ref(&self.gain_step[lanes]),
            ramps: self.ramps[group],
        }
    }
}

/// One group's lanes, borrowed: what moves, then what holds over the run.
struct ChirpGroup<'a> {
    s: &'a mut [f32; GROUP_LANES],
    d: &'a mut [f32; GROUP_LANES],
    kappa: &'a mut [f32; GROUP_LANES],
    kappa_step: &'a mut [f32; GROUP_LANES],
    gain: &'a mut [f32; GROUP_LANES],
    k: &'a [f32; GROUP_LANES],
    kappa_step_step: &'a [f32; GROUP_LANES],
    beta: &'a [f32; GROUP_LANES],
    gain_step: &'a [f32; GROUP_LANES],
    ramps: bool,
}

/// 2π / 2^64: radians per phase unit.
const RADIANS_PER_UNIT: f64 = std::f64::consts::TAU / UNITS_PER_TURN;

/// sin x for |x| ≤ π/4, within 1e-11 (a Taylor polynomial: no library call, and the same
/// operations wherever it is inlined, so every kernel seeds the same bits). Evaluated in
/// Estrin's scheme, pairs of terms in x² side by side: half the chain of dependent operations
/// of Horner's, which the seeding waits on.
#[inline(always)]
fn sin_f64(x: f64) -> f64 {
    let x2 = x * x;
    let x4 = x2 * x2;
    let x8 = x4 * x4;
    // 1 − x²/3! + x⁴/5! − x⁶/7! + x⁸/9! − x¹⁰/11!, its terms paired.
    let low = 1.0 - x2 * (1.0 / 6.0);
    let middle = 1.0 / 120.0 - x2 * (1.0 / 5040.0);
    let high = 1.0 / 362_880.0 - x2 * (1.0 / 39_916_800.0);
    x * ((low + x4 * middle) + x8 * high)
}

/// The recurrence's coefficients for one lane's run.
struct Coefficients {
    /// k₀ = `k` + `kappa`, and the first and second forward differences of kₙ.
    k: f32,
    kappa: f32,
    k_step: f32,
    k_step_step: f32,
    /// β at the run's middle.
    beta: f32,
    /// 2 sin(θ₋₁/2), the scale of d at the seed.
    twice_sin_half: f32,
}

/// k's main term, −4 sin²(u/2), as `f32` and what that rounding lost, and sin(u/2).
#[derive(Clone, Copy)]
struct Main {
    k: f32,
    kappa: f32,
    s: f32,
}

impl Main {
    /// For an increment of 2·`half` radians (at most a quarter turn).
    #[inline(always)]
    fn for_half_increment(half: f64) -> Self {
        let s = sin_f64(half);
        let main = -4.0 * s * s;
        let k = main as f32;
        Self {
            k,
            kappa: (main - f64::from(k)) as f32,
            s: s as f32,
        }
    }
}

/// The middle of a run, where β is taken.
const RUN_MIDDLE: f32 = (RUN_SAMPLES as f32 - 1.0) / 2.0;

impl Coefficients {
    /// For a run whose increment before its first sample is u (its [`Main`] terms) and whose
    /// slope is `delta` radians. With u = θ₋₁ and Δ the slope, kₙ = k(u +
    /// nΔ) and βₙ = β(u + nΔ) where
    ///
    ///   k(u) = −4 sin²(u/2)·cos Δ − (1 − cos Δ) − sin Δ · sin(3u/2) / cos(u/2),
    ///   β(u) = cos Δ + sin Δ · cot u;
    ///
    /// k is expanded to second order in nΔ, β to first about the run's middle. Only k's main
    /// term, −4 sin²(u/2), needs `f64` (it is k to within a relative 2e-4 at the slope limit, and
    /// must be exact to far below `f32`'s rounding: what rounding it to `f32` loses goes to κ);
    /// every other term is a small correction, computed in `f32`, eight lanes to a vector (the
    /// two are worked out in passes of their own, so that each vectorises at its own width).
    #[inline(always)]
    fn for_run(main: Main, delta: f32) -> Self {
        let Main { k, kappa, s } = main;
        let s2 = s * s;
        let c = (1.0 - s2).sqrt();
        let sin_u = 2.0 * s * c;
        let cos_u = 1.0 - 2.0 * s2;
        // 1 / (sin(u/2) cos(u/2)); a silent lane (u = 0) has no slope and needs none.
        let inv = if s == 0.0 { 0.0 } else { 1.0 / (s * c) };
        let delta2 = delta * delta;
        let cos_delta = 1.0 - 0.5 * delta2;
        // sin(3u/2) / cos(u/2), and its derivative in u.
        let three_s = 3.0 - 4.0 * s2;
        let f = three_s * s2 * inv;
        let f_prime = 0.5 * (3.0 * (1.0 - 4.0 * s2) + three_s * s2 * s2 * inv * inv);
        // k − main: −4 sin²(u/2)·(cos Δ − 1) − (1 − cos Δ) − Δ·F.
        let correction = delta2 * (2.0 * s2 - 0.5) - delta * f;
        let k1 = delta * (-2.0 * sin_u * cos_delta - delta * f_prime);
        let k2 = -delta2 * cos_u * cos_delta;
        // cot(u + mΔ) ≈ cot u − mΔ / sin²u.
        let cot_u = 0.5 * cos_u * inv;
        let inv_sin2 = 0.25 * inv * inv;
        let beta = cos_delta + delta * (cot_u - RUN_MIDDLE * delta * inv_sin2);
        Self {
            k,
            kappa: kappa + correction,
            // kₙ = k₀ + n·k1 + n²·k2: forward differences k1 + k2, then 2·k2.
            k_step: k1 + k2,
            k_step_step: 2.0 * k2,
            beta,
            twice_sin_half: 2.0 * s,
        }
    }
}

/// `x` as `f64`, exactly, for `x` < 2^52: the bits of 2^52 + x, less 2^52 (a few vector
/// operations where AVX2 has no 64-bit integer conversion).
#[inline(always)]
fn small_u64_to_f64(x: u64) -> f64 {
    const TWO_52: f64 = 4_503_599_627_370_496.0;
    f64::from_bits(x | TWO_52.to_bits()) - TWO_52
}

/// `x` (0 ≤ x ≤ 2^62) rounded to the nearest multiple of 2^11, as `u64`: the reverse of
/// [`small_u64_to_f64`] on `x` shifted (a rounding of at most 2^-54 turn).
#[inline(always)]
fn round_to_u64(x: f64) -> u64 {
    const SHIFT: u32 = 11;
    const TWO_52: f64 = 4_503_599_627_370_496.0;
    let shifted = x * (1.0 / (1u64 << SHIFT) as f64) + TWO_52;
    (shifted.to_bits() & ((1 << 52) - 1)) << SHIFT
}

/// `x` as `f64`, exactly, for |x| < 2^51 (as [`small_u64_to_f64`], offset by 2^51).
#[inline(always)]
fn small_i64_to_f64(x: i64) -> f64 {
    const OFFSET: i64 = 1 << 51;
    small_u64_to_f64(x.wrapping_add(OFFSET) as u64) - OFFSET as f64
}

/// `x` (below 2^52) as `f64`, exactly: converted as it is where the instruction set has the
/// conversion (`CONVERTS`, AVX-512DQ: one instruction), else as [`small_u64_to_f64`] does (a few,
/// where AVX2 has none). Both exact, so the same bits.
#[inline(always)]
fn u64_to_f64<const CONVERTS: bool>(x: u64) -> f64 {
    debug_assert!(x < 1 << 52);
    if CONVERTS {
        x as f64
    } else {
        small_u64_to_f64(x)
    }
}

/// `x` (|x| below 2^51) as `f64`, exactly, as [`u64_to_f64`].
#[inline(always)]
fn i64_to_f64<const CONVERTS: bool>(x: i64) -> f64 {
    debug_assert!(x.unsigned_abs() < 1 << 51);
    if CONVERTS {
        x as f64
    } else {
        small_i64_to_f64(x)
    }
}

/// Bits of an increment dropped before its conversion to radians: at most a quarter turn, it
/// then fits the 52 bits [`small_u64_to_f64`] converts exactly (the rounding, 2^-54 turn, is
/// below 1e-12 of any increment above 0.01 Hz).
const INCREMENT_SHIFT: u32 = 10;

/// Radians per unit of an increment shifted right by [`INCREMENT_SHIFT`].
const SHIFTED_RADIANS_PER_UNIT: f64 = RADIANS_PER_UNIT * (1u64 << INCREMENT_SHIFT) as f64;

/// Lanes the AVX-512 seeding takes at once: two groups, sixteen `f32` to a register (the other
/// kernels take one group at a time).
#[cfg(target_arch = "x86_64")]
const WIDE_SEED_LANES: usize = 2 * GROUP_LANES;

/// [`ChirpLanes::seed`], in passes over all the lanes (the increments' `u64` work, k's main term
/// in `f64`, the rest in `f32`, the phases' move in `u64`), each taking `N` lanes (whole
/// groups) at a time: copied into arrays of fixed size and worked out without branches, so
/// that every pass vectorises whole for the instruction set it is inlined into, with no
/// remainder loop and no check that the lanes' arrays overlap. Past the lanes in use a last
/// chunk seeds lanes no kernel reads. A pass's chunks are independent, so the processor
/// overlaps their long chains of dependent operations.
#[inline(always)]
fn seed_lanes<const N: usize>(lanes: &mut ChirpLanes, run: usize) {
    increments_pass::<N, false>(lanes);
    seed_from_increments::<N>(lanes, run);
}

/// The seeding's first pass, [`increments`] over all the lanes. `CONVERTS`: whether the
/// instruction set converts 64-bit integers to `f64` (AVX-512DQ): the pass then takes its
/// conversions as they are, which give the bits of the conversions through 2^52 elsewhere
/// (both exact, see [`u64_to_f64`]).
#[inline(always)]
fn increments_pass<const N: usize, const CONVERTS: bool>(lanes: &mut ChirpLanes) {
    const { assert!(N.is_multiple_of(GROUP_LANES) && MAX_LANES.is_multiple_of(N)) };
    for start in (0..lanes.len).step_by(N) {
        increments::<N, CONVERTS>(lanes, start);
    }
}

/// The seeding's passes after [`increments_pass`]: k's main terms, the rest of the
/// coefficients and the seeds, and the phases' move by `run`.
#[inline(always)]
fn seed_from_increments<const N: usize>(lanes: &mut ChirpLanes, run: usize) {
    const { assert!(N.is_multiple_of(GROUP_LANES) && MAX_LANES.is_multiple_of(N)) };
    let len = lanes.len;
    for start in (0..len).step_by(N) {
        main_terms::<N>(lanes, start);
    }
    for start in (0..len).step_by(N) {
        seed_chunk::<N>(lanes, start, run);
    }
    if run > 0 {
        for start in (0..len).step_by(N) {
            move_on::<N>(lanes, start, run);
        }
    }
}

/// `N` lanes from `start`: the top bits of the phases the seeds are taken at, half the
/// increment before the run in radians, and the slope in radians (`u64` and `f64`).
#[inline(always)]
fn increments<const N: usize, const CONVERTS: bool>(lanes: &mut ChirpLanes, start: usize) {
    const QUARTER_TURN: u64 = 1 << 62;
    let at = start..start + N;
    let phase: [u64; N] = lanes.phase[at.clone()].try_into().unwrap();
    let increment: [u64; N] = lanes.increment[at.clone()].try_into().unwrap();
    let slope: [u64; N] = lanes.slope[at.clone()].try_into().unwrap();
    let amplitude: [f32; N] = lanes.amplitude[at.clone()].try_into().unwrap();
    let step: [f32; N] = lanes.amplitude_step[at.clone()].try_into().unwrap();
    let mut sine_tops = [0u32; N];
    let mut cosine_tops = [0u32; N];
    let mut half_radians = [0.0f64; N];
    let mut slope_radians = [0.0f32; N];
    for lane in 0..N {
        // A silent lane at a quarter turn or past (a partial faded out near Nyquist) keeps
        // its phase but is seeded as if still: the coefficients take no more. Whether a lane
        // is past does not depend on its amplitude, so two channels' lanes of the same
        // partials get the same coefficients (see `seed_mirror`); one test of the top bits.
        let past = (increment[lane] | increment[lane].wrapping_sub(slope[lane])) >> 62 != 0;
        let silent = amplitude[lane] == 0.0 && step[lane] == 0.0;
        let (moving, sloping) = if silent && past {
            (0, 0)
        } else {
            (increment[lane], slope[lane])
        };
        let before = moving.wrapping_sub(sloping);
        sine_tops[lane] = (phase[lane] >> 32) as u32;
        // cos(φ − θ₋₁/2) is sin(φ − θ₋₁/2 + a quarter turn).
        let half_back = phase[lane]
            .wrapping_sub(before / 2)
            .wrapping_add(QUARTER_TURN);
        cosine_tops[lane] = (half_back >> 32) as u32;
        // Halved exactly (a power of two) in the constant.
        half_radians[lane] =
            u64_to_f64::<CONVERTS>(before >> INCREMENT_SHIFT) * (0.5 * SHIFTED_RADIANS_PER_UNIT);
        slope_radians[lane] = (i64_to_f64::<CONVERTS>(sloping as i64) * RADIANS_PER_UNIT) as f32;
    }
    lanes.sine_tops[at.clone()].copy_from_slice(&sine_tops);
    lanes.cosine_tops[at.clone()].copy_from_slice(&cosine_tops);
    lanes.half_radians[at.clone()].copy_from_slice(&half_radians);
    lanes.slope_radians[at].copy_from_slice(&slope_radians);
}

/// `N` lanes from `start`: k's main term and sin(θ₋₁/2) (`f64`), in a pass of its own: its
/// chain of dependent operations is long, so the processor overlaps many chunks.
#[inline(always)]
fn main_terms<const N: usize>(lanes: &mut ChirpLanes, start: usize) {
    let at = start..start + N;
    let half_radians: [f64; N] = lanes.half_radians[at.clone()].try_into().unwrap();
    let mut k = [0.0f32; N];
    let mut kappa = [0.0f32; N];
    let mut sin_half = [0.0f32; N];
    for lane in 0..N {
        let main = Main::for_half_increment(half_radians[lane]);
        k[lane] = main.k;
        kappa[lane] = main.kappa;
        sin_half[lane] = main.s;
    }
    lanes.k[at.clone()].copy_from_slice(&k);
    lanes.kappa[at.clone()].copy_from_slice(&kappa);
    lanes.sin_half[at].copy_from_slice(&sin_half);
}

/// `N` lanes from `start`: the rest of the coefficients, the seeds and gains (`f32`), and each
/// group's flag of ramping amplitudes.
#[inline(always)]
fn seed_chunk<const N: usize>(lanes: &mut ChirpLanes, start: usize, run: usize) {
    let at = start..start + N;
    let k: [f32; N] = lanes.k[at.clone()].try_into().unwrap();
    let kappa: [f32; N] = lanes.kappa[at.clone()].try_into().unwrap();
    let sin_half: [f32; N] = lanes.sin_half[at.clone()].try_into().unwrap();
    let slope_radians: [f32; N] = lanes.slope_radians[at.clone()].try_into().unwrap();
    let sine_tops: [u32; N] = lanes.sine_tops[at.clone()].try_into().unwrap();
    let cosine_tops: [u32; N] = lanes.cosine_tops[at.clone()].try_into().unwrap();
    let amplitude: [f32; N] = lanes.amplitude[at.clone()].try_into().unwrap();
    let step: [f32; N] = lanes.amplitude_step[at.clone()].try_into().unwrap();
    let mut out = [[0.0f32; N]; 10];
    for lane in 0..N {
        let main = Main {
            k: k[lane],
            kappa: kappa[lane],
            s: sin_half[lane],
        };
        let c = Coefficients::for_run(main, slope_radians[lane]);
        // A ramping amplitude multiplies the unit sine (the gain); a steady one is in the
        // seeds.
        let steady = step[lane] == 0.0;
        let seeded = if steady { amplitude[lane] } else { 1.0 };
        out[0][lane] = c.k;
        out[1][lane] = c.kappa;
        out[2][lane] = c.k_step;
        out[3][lane] = c.k_step_step;
        out[4][lane] = c.beta;
        out[5][lane] = seeded * sine(sine_tops[lane]);
        out[6][lane] = seeded * c.twice_sin_half * sine(cosine_tops[lane]);
        out[7][lane] = if steady { 1.0 } else { amplitude[lane] };
        out[8][lane] = amplitude[lane] + run as f32 * step[lane];
    }
    let [k, kappa, k_step, k_step_step, beta, s, d, gain, next, _] = &out;
    lanes.k[at.clone()].copy_from_slice(k);
    lanes.kappa[at.clone()].copy_from_slice(kappa);
    lanes.kappa_step[at.clone()].copy_from_slice(k_step);
    lanes.kappa_step_step[at.clone()].copy_from_slice(k_step_step);
    lanes.beta[at.clone()].copy_from_slice(beta);
    lanes.s[at.clone()].copy_from_slice(s);
    lanes.d[at.clone()].copy_from_slice(d);
    lanes.gain[at.clone()].copy_from_slice(gain);
    lanes.gain_step[at.clone()].copy_from_slice(&step);
    lanes.amplitude[at].copy_from_slice(next);
    for (group, steps) in step.chunks_exact(GROUP_LANES).enumerate() {
        // Whether any step is other than zero (either sign), in integer operations that
        // vectorise.
        let bits = steps
            .iter()
            .fold(0, |bits, &step| bits | step.to_bits() << 1);
        lanes.ramps[start / GROUP_LANES + group] = bits != 0;
    }
}

/// `N` lanes from `start` on to the next seed, `run` samples on: n·increment +
/// slope·n(n−1)/2, by shifts for a whole run (AVX2 has no 64-bit multiply).
#[inline(always)]
fn move_on<const N: usize>(lanes: &mut ChirpLanes, start: usize, run: usize) {
    let at = start..start + N;
    let mut phase: [u64; N] = lanes.phase[at.clone()].try_into().unwrap();
    let mut increment: [u64; N] = lanes.increment[at.clone()].try_into().unwrap();
    let slope: [u64; N] = lanes.slope[at.clone()].try_into().unwrap();
    if run == RUN_SAMPLES {
        ramps_a_run_on(&mut phase, &mut increment, &slope);
    } else {
        for lane in 0..N {
            let mut ramp = PhaseRamp {
                phase: phase[lane],
                increment: increment[lane],
                slope: slope[lane],
            };
            ramp.skip(run as u64);
            phase[lane] = ramp.phase;
            increment[lane] = ramp.increment;
        }
    }
    lanes.phase[at.clone()].copy_from_slice(&phase);
    lanes.increment[at].copy_from_slice(&increment);
}

/// `N` phase ramps a whole run ([`RUN_SAMPLES`]) on: each phase by n·increment +
/// slope·n(n−1)/2 and each increment by n·slope, in shifts (AVX2 has no 64-bit multiply). The
/// one definition of a run's move, which the seeding and the moved lanes' run ends
/// ([`moved`]) share. (One loop for both: written as two, LLVM vectorised the seeding's move
/// across chunks, with gathers.)
#[inline(always)]
fn ramps_a_run_on<const N: usize>(
    phase: &mut [u64; N],
    increment: &mut [u64; N],
    slope: &[u64; N],
) {
    for lane in 0..N {
        let (moving, sloping) = (increment[lane], slope[lane]);
        phase[lane] = phase[lane]
            .wrapping_add(moving << RUN_SHIFT)
            .wrapping_add(run_triangle(sloping));
        increment[lane] = moving.wrapping_add(sloping << RUN_SHIFT);
    }
}

/// Lane `lane`'s seeds and gains from its amplitude and step, the tops of the phases its sine
/// and cosine are taken at (`tops`), and 2 sin(θ₋₁/2): as [`seed_chunk`] seeds them, for the
/// mirror.
#[inline(always)]
fn seed_values(lanes: &mut ChirpLanes, lane: usize, tops: (u32, u32), twice_sin_half: f32) {
    let (amplitude, step) = (lanes.amplitude[lane], lanes.amplitude_step[lane]);
    // A ramping amplitude multiplies the unit sine; a steady one is in the seed.
    let steady = step == 0.0;
    let seeded = if steady { amplitude } else { 1.0 };
    lanes.gain[lane] = if steady { 1.0 } else { amplitude };
    lanes.gain_step[lane] = step;
    lanes.s[lane] = seeded * sine(tops.0);
    let d_scale = seeded * twice_sin_half;
    lanes.d[lane] = d_scale * sine(tops.1);
}

/// Per group, whether any of its gains ramps this run.
#[inline(always)]
fn set_ramps(lanes: &mut ChirpLanes) {
    let len = lanes.len;
    for (group, ramps) in lanes.ramps[..len / GROUP_LANES].iter_mut().enumerate() {
        let steps = &lanes.gain_step[group * GROUP_LANES..(group + 1) * GROUP_LANES];
        *ramps = steps.iter().any(|&step| step != 0.0);
    }
}

/// [`ChirpLanes::seed_mirror`], in one pass without branches.
#[inline(always)]
fn mirror_lanes(lanes: &mut ChirpLanes, left: &ChirpLanes) {
    debug_assert_eq!(lanes.pushed, left.pushed, "not the same partials");
    lanes.len = left.len;
    for lane in lanes.pushed..lanes.len {
        lanes.set(lane, &ChirpPartial::default());
    }
    let len = lanes.len;
    lanes.k[..len].copy_from_slice(&left.k[..len]);
    lanes.kappa[..len].copy_from_slice(&left.kappa[..len]);
    lanes.kappa_step[..len].copy_from_slice(&left.kappa_step[..len]);
    lanes.kappa_step_step[..len].copy_from_slice(&left.kappa_step_step[..len]);
    lanes.beta[..len].copy_from_slice(&left.beta[..len]);
    for lane in 0..len {
        // 2 sin(θ₋₁/2) as `Coefficients::for_run` doubles it.
        let tops = (left.sine_tops[lane], left.cosine_tops[lane]);
        seed_values(lanes, lane, tops, 2.0 * left.sin_half[lane]);
    }
    set_ramps(lanes);
}

/// A lane's contribution to the sample: its value, times its gain where the group's gains ramp
/// (a gain of 1 changes no bit, so a group that does not ramp skips the multiply).
#[inline(always)]
fn lane_value(s: f32, gain: f32, ramps: bool) -> f32 {
    if ramps { s * gain } else { s }
}

/// One sample: each lane's value added up over the even groups (0, 2, 4, …; the first assigns)
/// and, apart, over the odd ones (1, 3, 5, …), as if an odd count had one more group of
/// silent lanes (values +0.0) at the end; the two added lane by lane and summed in the lane
/// tree; then every lane steps on. The portable kernel (the vector kernels perform the same
/// operations per lane, in the same order: AVX-512 holds an even and an odd group in one
/// register's halves, so it adds two groups' values by one instruction, with no regrouping).
#[inline(always)]
fn add_one_sample(lanes: &mut ChirpLanes, sample: &mut f32) {
    let mut acc = [[0.0f32; GROUP_LANES]; 2];
    let groups = lanes.groups();
    for group in 0..groups {
        let g = lanes.group(group);
        let acc = &mut acc[group % 2];
        for (lane, sum) in acc.iter_mut().enumerate() {
            let value = lane_value(g.s[lane], g.gain[lane], g.ramps);
            *sum = if group < 2 { value } else { *sum + value };
            let k = g.k[lane] + g.kappa[lane];
            g.d[lane] = g.beta[lane] * g.d[lane] + k * g.s[lane];
            g.s[lane] += g.d[lane];
            g.kappa[lane] += g.kappa_step[lane];
            g.kappa_step[lane] += g.kappa_step_step[lane];
            if g.ramps {
                g.gain[lane] += g.gain_step[lane];
            }
        }
    }
    if groups % 2 == 1 && groups > 1 {
        // The silent group (with one group, the odd sum is that group's +0.0 itself).
        acc[1] = acc[1].map(|sum| sum + 0.0);
    }
    let [even, odd] = acc;
    *sample += lane_sum(&std::array::from_fn(|lane| even[lane] + odd[lane]));
}

pub mod moved;

#[cfg(target_arch = "x86_64")]
mod x86;

#[cfg(test)]
mod tests;
