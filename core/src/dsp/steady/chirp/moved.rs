//! The chirp lanes as the source of truth for partials that a movement moves (held notes under
//! vibrato, tremolo, brightness): the lanes keep each partial's exact phase and played level
//! from knot to knot, and at a knot a voice contributes only its [`Knot`] (one pitch ratio and
//! five level factors).
//!
//! Between two knots the lanes play what a bank's movement plays (see [`crate::dsp::knot`]): a
//! partial's increment ramps to [`moved_increment`] of its own at the next knot's ratio, its
//! level to its own times the next knot's factor, with the same integer slopes and the same
//! `f32` operations as a bank's piece ([`played`](MovedLanes::played) gives that piece back,
//! so a voice leaving at any sample resumes on its banks exactly where they would be). The
//! knot's work for every partial at once, [`aim`](MovedLanes::aim), is one branch-free pass
//! over the lanes, which vectorises. A knot spans [`KNOT_RUNS`] runs: the lanes are seeded
//! afresh at each run's start (their recurrence holds its accuracy over one run), the runs
//! after the first going on along the knot's slopes ([`finish_run`](MovedLanes::finish_run)).
//!
//! Lanes are laid out per voice as the engine pushes them (copy by copy, five partials each);
//! a channel's lanes take each partial's amplitude at that channel's pan gain, and in stereo
//! the right channel's lanes take the left's coefficients ([`ChirpLanes::seed_mirror`]): only
//! their seeds are their own.

use super::{ChirpLanes, ChirpPartial, GROUP_LANES, MAX_LANES, accepts, ramps_a_run_on};
use crate::dsp::knot::{Knot, Played, moved_increment, slope_between};
use crate::dsp::lfo::{KNOT_RUNS, KNOT_SAMPLES};
use crate::dsp::phase::PhaseRamp;
use crate::dsp::sine::{Kernel, Level};
use crate::dsp::steady::RUN_SAMPLES;
use crate::dsp::{MovedPartial, PARTIAL_COUNT};

/// A run and a knot's span as `u32`.
const RUN: u32 = RUN_SAMPLES as u32;
const KNOT: u32 = KNOT_SAMPLES as u32;
const _: () = assert!(KNOT_SAMPLES == KNOT_RUNS * RUN_SAMPLES && KNOT_RUNS >= 1);

/// Partials under a movement, in the chirp lanes of one or two channels, with what each knot
/// needs besides the lanes' phase ramps (see the module documentation).
#[derive(Clone, Debug)]
pub struct MovedLanes {
    /// The left channel's lanes (the only ones in mono) and the right channel's.
    left: ChirpLanes,
    right: ChirpLanes,
    stereo: bool,
    /// Each partial's own increment (2^-64 turn per sample), exactly and as `f64`, and its own
    /// level (amplitude × Nyquist fade).
    own_increment: [u64; MAX_LANES],
    own_units: [f64; MAX_LANES],
    own_level: [f32; MAX_LANES],
    /// Its played level at the run's start, its step, and its level and increment at the run's
    /// end (the next knot).
    level: [f32; MAX_LANES],
    level_step: [f32; MAX_LANES],
    end_level: [f32; MAX_LANES],
    end_increment: [u64; MAX_LANES],
    /// The voice's gain and the partial's envelope (folded into its amplitude), and its two
    /// pan gains.
    scale: [f32; MAX_LANES],
    pan_left: [f32; MAX_LANES],
    pan_right: [f32; MAX_LANES],
    /// The next knot's pitch ratio and level factor for the partial (its voice's).
    ratio: [f64; MAX_LANES],
    factor: [f32; MAX_LANES],
    /// Whether the lanes render the partial's run within their accuracy (see [`accepts`]).
    /// All ones if so, else zero (a mask as wide as a lane: the vector passes store their
    /// comparisons as they are, where `bool`s would be packed to bytes lane by lane).
    accepted: [u32; MAX_LANES],
    /// Samples from the knot [`aim`](Self::aim) planned to the start of the run the lanes are
    /// seeded for (a multiple of [`RUN_SAMPLES`] below [`KNOT_SAMPLES`]).
    run_start: u32,
}

impl Default for MovedLanes {
    fn default() -> Self {
        Self {
            left: ChirpLanes::default(),
            right: ChirpLanes::default(),
            stereo: false,
            own_increment: [0; MAX_LANES],
            own_units: [0.0; MAX_LANES],
            own_level: [0.0; MAX_LANES],
            level: [0.0; MAX_LANES],
            level_step: [0.0; MAX_LANES],
            end_level: [0.0; MAX_LANES],
            end_increment: [0; MAX_LANES],
            scale: [0.0; MAX_LANES],
            pan_left: [0.0; MAX_LANES],
            pan_right: [0.0; MAX_LANES],
            ratio: [1.0; MAX_LANES],
            factor: [1.0; MAX_LANES],
            accepted: [ACCEPTED; MAX_LANES],
            run_start: 0,
        }
    }
}

impl MovedLanes {
    /// Partials held.
    pub fn partials(&self) -> usize {
        self.left.partials()
    }

    /// Drops every partial; from now on the lanes render one channel, or two (`stereo`).
    pub fn clear(&mut self, stereo: bool) {
        self.left.clear();
        self.right.clear();
        self.stereo = stereo;
    }

    /// Adds a partial at a knot, as its bank gives it (see
    /// [`PartialBank::moved_partials`](crate::dsp::PartialBank::moved_partials)), its
    /// amplitude scaled by `scale` and panned by `pans`; returns its lane. Its run is set by
    /// the next [`aim`](Self::aim).
    pub fn push(&mut self, partial: &MovedPartial, scale: f32, pans: [f32; 2]) -> usize {
        let start = ChirpPartial {
            ramp: PhaseRamp {
                phase: partial.phase,
                increment: partial.increment,
                slope: 0,
            },
            amplitude: 0.0,
            amplitude_step: 0.0,
        };
        let lane = self.left.push(&start);
        if self.stereo {
            self.right.push(&start);
        }
        self.own_increment[lane] = partial.own_increment;
        self.own_units[lane] = partial.own_increment as f64;
        self.own_level[lane] = partial.own_level;
        self.level[lane] = partial.level;
        self.scale[lane] = scale;
        self.pan_left[lane] = pans[0];
        self.pan_right[lane] = pans[1];
        lane
    }

    /// Lane `from`'s partial moves to lane `to` (below it: the caller closes gaps).
    pub fn move_lane(&mut self, from: usize, to: usize) {
        self.left.copy_lane(from, to);
        if self.stereo {
            self.right.copy_lane(from, to);
        }
        self.own_increment[to] = self.own_increment[from];
        self.own_units[to] = self.own_units[from];
        self.own_level[to] = self.own_level[from];
        self.level[to] = self.level[from];
        self.scale[to] = self.scale[from];
        self.pan_left[to] = self.pan_left[from];
        self.pan_right[to] = self.pan_right[from];
    }

    /// Keeps the first `partials` lanes only.
    pub fn truncate(&mut self, partials: usize) {
        self.left.truncate(partials);
        self.right.truncate(partials);
    }

    /// Silences `lanes` for the rest of the run (their voice left: its banks play it now).
    pub fn silence(&mut self, lanes: std::ops::Range<usize>) {
        for lane in lanes {
            self.left.silence(lane);
            if self.stereo {
                self.right.silence(lane);
            }
            self.own_level[lane] = 0.0;
            self.level[lane] = 0.0;
        }
    }

    /// Takes `knot` for the next knot of the voice whose partials are `lanes` (copy by copy,
    /// five partials each).
    /// Copy by copy in stores of fixed size (the knot's fields read one by one: a knot just
    /// written field by field is not read back wider than its stores, which would wait for
    /// them to reach the cache).
    pub fn set_knot(&mut self, lanes: std::ops::Range<usize>, knot: &Knot) {
        debug_assert!(lanes.len().is_multiple_of(PARTIAL_COUNT), "whole copies");
        let ratio = [knot.pitch_ratio; PARTIAL_COUNT];
        let factor: [f32; PARTIAL_COUNT] = std::array::from_fn(|k| knot.levels[k]);
        for copy in 0..lanes.len() / PARTIAL_COUNT {
            let first = lanes.start + copy * PARTIAL_COUNT;
            let copy = first..first + PARTIAL_COUNT;
            self.ratio[copy.clone()].copy_from_slice(&ratio);
            self.factor[copy].copy_from_slice(&factor);
        }
    }

    /// Whether the run just rendered ends at the next knot (else the next run goes on along
    /// the same slopes, and takes no [`aim`](Self::aim)).
    pub fn at_knot(&self) -> bool {
        self.run_start + RUN == KNOT
    }

    /// Moves every lane on past the run just rendered (all of it): its phase by the run; at
    /// the knot's end (see [`at_knot`](Self::at_knot)) its increment and level exactly to the
    /// knot's, as a bank's piece ends, else its increment and amplitudes along their slopes
    /// to the next run's start. Compiled for `kernel`'s instruction set, as
    /// [`aim`](Self::aim).
    pub fn finish_run(&mut self, kernel: Kernel) {
        if !self.at_knot() {
            self.run_start += RUN;
            return self.go_on(kernel);
        }
        match kernel {
            #[cfg(target_arch = "x86_64")]
            Kernel::Avx2(token) => finish_avx2(token, self),
            #[cfg(target_arch = "x86_64")]
            Kernel::Avx512(token) => finish_avx512(token, self),
            _ => finish_lanes::<CHUNK_LANES>(self),
        }
    }

    /// [`finish_run`](Self::finish_run) within a knot: every lane along its slopes.
    fn go_on(&mut self, kernel: Kernel) {
        match kernel {
            #[cfg(target_arch = "x86_64")]
            Kernel::Avx2(token) => go_on_avx2(token, self),
            #[cfg(target_arch = "x86_64")]
            Kernel::Avx512(token) => go_on_avx512(token, self),
            _ => go_on_lanes::<CHUNK_LANES>(self),
        }
    }

    /// The knot's work for every lane at once: its span to the next knot (the ratios and
    /// factors [`set_knot`](Self::set_knot) gave) as a bank's piece plans it: the increment's
    /// slope to its own moved by the ratio, the level's step to its own times the factor,
    /// the amplitudes at the voice's gain, envelope and pans; and whether the lanes accept
    /// it. In passes without branches, compiled for `kernel`'s instruction set (they
    /// vectorise; every kernel computes the same bits). Returns whether the lanes accept every
    /// partial (else [`accept`](Self::accept) says whose run they refuse).
    pub fn aim(&mut self, kernel: Kernel) -> bool {
        self.run_start = 0;
        match kernel {
            #[cfg(target_arch = "x86_64")]
            Kernel::Avx2(token) => aim_avx2(token, self),
            #[cfg(target_arch = "x86_64")]
            Kernel::Avx512(token) => aim_avx512(token, self),
            _ => aim_lanes::<CHUNK_LANES>(self),
        }
    }

    /// Whether the lanes accept every partial of `lanes` for the run [`aim`](Self::aim) set.
    pub fn accept(&self, lanes: std::ops::Range<usize>) -> bool {
        self.accepted[lanes]
            .iter()
            .all(|&accepted| accepted == ACCEPTED)
    }

    /// Seeds the lanes for the current run of the knot [`aim`](Self::aim) planned (leaving
    /// their phase ramps at its start: [`finish_run`](Self::finish_run) moves them on).
    pub fn seed(&mut self, kernel: Kernel) {
        self.left.seed(kernel, 0);
        if self.stereo {
            match kernel {
                #[cfg(target_arch = "x86_64")]
                Kernel::Avx2(token) => mirror_avx2(token, self),
                #[cfg(target_arch = "x86_64")]
                Kernel::Avx512(token) => mirror_avx512(token, self),
                _ => self.right.seed_mirror(&self.left),
            }
        }
    }

    /// Adds the lanes' next samples to `left` (and `right` in stereo), within the run.
    pub fn add_to(&mut self, kernel: Kernel, left: &mut [f32], right: Option<&mut [f32]>) {
        self.left.add_to(kernel, left);
        if let (true, Some(right)) = (self.stereo, right) {
            self.right.add_to(kernel, right);
        }
    }

    /// Lane `lane`'s partial as its bank plays it `done` samples after the knot
    /// [`aim`](Self::aim) planned (within the current run, at most [`KNOT_SAMPLES`]; at the
    /// end, between pieces), as partial `index` of its bank.
    pub fn played(&self, lane: usize, done: u32, index: usize) -> Played {
        debug_assert!((self.run_start..=self.run_start + RUN).contains(&done));
        let mut ramp = self.left.ramp(lane);
        ramp.skip(u64::from(done - self.run_start));
        let (end_increment, end_level) = (self.end_increment[lane], self.end_level[lane]);
        if done == KNOT {
            return Played::at(
                PhaseRamp {
                    increment: end_increment,
                    ..ramp
                },
                end_level,
                index,
            );
        }
        let level = Level {
            start: self.level[lane],
            step: self.level_step[lane],
            position: done,
        };
        Played {
            ramp,
            level,
            left: KNOT - done,
            end_increment,
            end_level,
            index,
        }
    }

    /// Lane `lane`'s partial as its bank plays it at the start of the run
    /// [`aim`](Self::aim) set, between pieces (the last run's end), as partial `index`.
    pub fn played_before(&self, lane: usize, index: usize) -> Played {
        Played::at(self.left.ramp(lane), self.level[lane], index)
    }

    /// Lane `lane`'s increment `done` samples after the knot [`aim`](Self::aim) planned
    /// (within the current run).
    pub fn increment(&self, lane: usize, done: u32) -> u64 {
        self.played(lane, done, 0).ramp.increment
    }

    /// Lane `lane`'s partial's own increment, as it was pushed.
    pub fn own_increment(&self, lane: usize) -> u64 {
        self.own_increment[lane]
    }
}

/// Lanes the passes over the lanes take at a time: two groups (sixteen `f32`, one AVX-512
/// register; compiled for AVX2, chunks of one group came out as many shuffles as
/// arithmetic, 1.6 times the instructions).
const CHUNK_LANES: usize = 2 * GROUP_LANES;

/// A lane's `accepted` mask.
const ACCEPTED: u32 = u32::MAX;

/// `ACCEPTED` if `yes`, else zero.
#[inline(always)]
fn mask(yes: bool) -> u32 {
    u32::from(yes).wrapping_neg()
}

/// Lanes `start .. start + N` of one of the lanes' arrays (which hold a multiple of every
/// chunk's lanes), as an array of fixed size: a pass that reads such chunks and writes arrays
/// of its own, stored after it ([`store`]), compiles to whole vectors, with no remainder loop
/// and no check that the lanes' arrays overlap (as the seeding's passes; a pass writing into
/// the lanes' arrays as it goes compiled to scalar code).
#[inline(always)]
fn chunk<T, const N: usize>(lanes: &[T; MAX_LANES], start: usize) -> &[T; N] {
    lanes[start..start + N].try_into().unwrap()
}

/// Stores `values` as lanes `start .. start + N` of `lanes`.
#[inline(always)]
fn store<T: Copy, const N: usize>(lanes: &mut [T; MAX_LANES], start: usize, values: &[T; N]) {
    lanes[start..start + N].copy_from_slice(values);
}

/// [`MovedLanes::finish_run`], `N` lanes (whole groups) at a time (see [`chunk`]; lanes past
/// the partials, to the end of the last chunk, are moved on too: nothing reads them).
#[inline(always)]
fn finish_lanes<const N: usize>(moved: &mut MovedLanes) {
    const { assert!(N.is_multiple_of(GROUP_LANES) && MAX_LANES.is_multiple_of(N)) };
    for start in (0..moved.left.partials()).step_by(N) {
        let left = &mut moved.left;
        let mut phase: [u64; N] = *chunk(&left.phase, start);
        // The increment's move is dropped: the run ends at the knot's increment.
        let mut increment: [u64; N] = *chunk(&left.increment, start);
        let slope: &[u64; N] = chunk(&left.slope, start);
        ramps_a_run_on(&mut phase, &mut increment, slope);
        store(&mut left.phase, start, &phase);
        let end_increment: &[u64; N] = chunk(&moved.end_increment, start);
        store(&mut moved.left.increment, start, end_increment);
        let end_level: &[f32; N] = chunk(&moved.end_level, start);
        store(&mut moved.level, start, end_level);
    }
}

/// [`MovedLanes::aim`]: the increments' pass (`u64` and `f64`), then the levels' (`f32`), then
/// in stereo the right channel's amplitudes, each `N` lanes (whole groups) at a time (see
/// [`chunk`]). Lanes past the partials (to the end of the last chunk) are aimed too, from
/// whatever they hold: nothing reads their runs (a push sets a lane afresh, the seeding pads),
/// and whether the lanes accept them does not count.
#[inline(always)]
fn aim_lanes<const N: usize>(moved: &mut MovedLanes) -> bool {
    const { assert!(N.is_multiple_of(GROUP_LANES) && MAX_LANES.is_multiple_of(N)) };
    let partials = moved.left.partials();
    for start in (0..partials).step_by(N) {
        aim_increments::<N>(moved, start);
    }
    let mut refused = false;
    for start in (0..partials).step_by(N) {
        refused |= aim_levels::<N>(moved, start, partials);
    }
    if moved.stereo {
        for start in (0..partials).step_by(N) {
            aim_right::<N>(moved, start);
        }
    }
    !refused
}

/// `N` lanes from `start`: each increment's end and slope, and whether the lanes accept the
/// ramp.
#[inline(always)]
fn aim_increments<const N: usize>(moved: &mut MovedLanes, start: usize) {
    let own_increment: &[u64; N] = chunk(&moved.own_increment, start);
    let own_units: &[f64; N] = chunk(&moved.own_units, start);
    let ratio: &[f64; N] = chunk(&moved.ratio, start);
    let increment: &[u64; N] = chunk(&moved.left.increment, start);
    let mut end_increment = [0; N];
    let mut slope = [0; N];
    let mut accepted = [0; N];
    for lane in 0..N {
        let end = moved_increment(own_increment[lane], own_units[lane], ratio[lane]);
        let ramp = PhaseRamp {
            phase: 0,
            increment: increment[lane],
            slope: slope_between(increment[lane], end, KNOT),
        };
        end_increment[lane] = end;
        slope[lane] = ramp.slope;
        accepted[lane] = mask(accepts(&ramp, KNOT_SAMPLES));
    }
    store(&mut moved.end_increment, start, &end_increment);
    store(&mut moved.left.slope, start, &slope);
    store(&mut moved.accepted, start, &accepted);
}

/// `N` lanes from `start`: each level's end and step and the left channel's amplitudes, and
/// whether the lanes refuse any of the `partials` first lanes' runs (a silent run they always
/// accept). Without branches: the step's test is a select.
#[inline(always)]
fn aim_levels<const N: usize>(moved: &mut MovedLanes, start: usize, partials: usize) -> bool {
    let now: &[f32; N] = chunk(&moved.level, start);
    let own_level: &[f32; N] = chunk(&moved.own_level, start);
    let factor: &[f32; N] = chunk(&moved.factor, start);
    let scale: &[f32; N] = chunk(&moved.scale, start);
    let pan: &[f32; N] = chunk(&moved.pan_left, start);
    let mut accepted: [u32; N] = *chunk(&moved.accepted, start);
    let mut end_level = [0.0; N];
    let mut level_step = [0.0; N];
    let mut amplitude = [0.0; N];
    let mut amplitude_step = [0.0; N];
    // Lanes of the chunk that hold partials: those below `live` (compared in 32 bits, as wide
    // as the lanes' `f32`).
    let live = (partials - start).min(N) as u32;
    let index: [u32; N] = std::array::from_fn(|lane| lane as u32);
    let mut refused = 0;
    for lane in 0..N {
        let end = own_level[lane] * factor[lane];
        let step = if end == now[lane] {
            0.0
        } else {
            (end - now[lane]) / KNOT as f32
        };
        end_level[lane] = end;
        level_step[lane] = step;
        amplitude[lane] = now[lane] * scale[lane] * pan[lane];
        amplitude_step[lane] = step * scale[lane] * pan[lane];
        // A silent piece only keeps time (as on a bank), whatever its increment. (`&`, not
        // `&&`: no branch.)
        accepted[lane] |= mask((now[lane] == 0.0) & (step == 0.0));
        refused |= !accepted[lane] & mask(index[lane] < live);
    }
    store(&mut moved.end_level, start, &end_level);
    store(&mut moved.level_step, start, &level_step);
    store(&mut moved.left.amplitude, start, &amplitude);
    store(&mut moved.left.amplitude_step, start, &amplitude_step);
    store(&mut moved.accepted, start, &accepted);
    refused != 0
}

/// `N` lanes from `start`: the right channel's amplitudes (its lanes take the left's
/// coefficients, see [`MovedLanes::seed`]).
#[inline(always)]
fn aim_right<const N: usize>(moved: &mut MovedLanes, start: usize) {
    let level: &[f32; N] = chunk(&moved.level, start);
    let level_step: &[f32; N] = chunk(&moved.level_step, start);
    let scale: &[f32; N] = chunk(&moved.scale, start);
    let pan: &[f32; N] = chunk(&moved.pan_right, start);
    let mut amplitude = [0.0; N];
    let mut amplitude_step = [0.0; N];
    for lane in 0..N {
        amplitude[lane] = level[lane] * scale[lane] * pan[lane];
        amplitude_step[lane] = level_step[lane] * scale[lane] * pan[lane];
    }
    store(&mut moved.right.amplitude, start, &amplitude);
    store(&mut moved.right.amplitude_step, start, &amplitude_step);
}

/// [`MovedLanes::seed`]'s right channel: its seeds from the left's coefficients.
#[inline(always)]
fn mirror_moved(moved: &mut MovedLanes) {
    super::mirror_lanes(&mut moved.right, &moved.left);
}

/// [`MovedLanes::finish_run`] within a knot, `N` lanes (whole groups) at a time (see
/// [`chunk`]): the phase ramps a run on (the increment along its slope), the amplitudes (both
/// channels') along their steps.
#[inline(always)]
fn go_on_lanes<const N: usize>(moved: &mut MovedLanes) {
    const { assert!(N.is_multiple_of(GROUP_LANES) && MAX_LANES.is_multiple_of(N)) };
    for start in (0..moved.left.partials()).step_by(N) {
        let left = &mut moved.left;
        let mut phase: [u64; N] = *chunk(&left.phase, start);
        let mut increment: [u64; N] = *chunk(&left.increment, start);
        let slope: &[u64; N] = chunk(&left.slope, start);
        let mut amplitude: [f32; N] = *chunk(&left.amplitude, start);
        let step: &[f32; N] = chunk(&left.amplitude_step, start);
        ramps_a_run_on(&mut phase, &mut increment, slope);
        amplitudes_a_run_on(&mut amplitude, step);
        store(&mut left.phase, start, &phase);
        store(&mut left.increment, start, &increment);
        store(&mut left.amplitude, start, &amplitude);
        if moved.stereo {
            let right = &mut moved.right;
            let mut amplitude: [f32; N] = *chunk(&right.amplitude, start);
            let step: &[f32; N] = chunk(&right.amplitude_step, start);
            amplitudes_a_run_on(&mut amplitude, step);
            store(&mut right.amplitude, start, &amplitude);
        }
    }
}

/// `N` amplitudes a whole run on along their steps.
#[inline(always)]
fn amplitudes_a_run_on<const N: usize>(amplitude: &mut [f32; N], step: &[f32; N]) {
    for lane in 0..N {
        amplitude[lane] += RUN as f32 * step[lane];
    }
}

/// Defines `$name(token, moved)`: the pass `$pass` over the lanes compiled for the instruction
/// set `$feature`, which `token` proves the CPU has (the same arithmetic, so the same bits, as
/// the portable pass; only the instructions differ).
macro_rules! compiled_for {
    ($(#[$doc:meta])* fn $name:ident($token:ty, $feature:literal) = $pass:expr => $ret:ty) => {
        $(#[$doc])*
        #[cfg(target_arch = "x86_64")]
        fn $name(_token: $token, moved: &mut MovedLanes) -> $ret {
            /// # Safety
            ///
            /// The CPU must support `$feature`.
            #[target_feature(enable = $feature)]
            unsafe fn enabled(moved: &mut MovedLanes) -> $ret {
                $pass(moved)
            }
            // SAFETY: `enabled` needs a CPU with `$feature`; the token exists only once
            // run-time detection has found it.
            unsafe { enabled(moved) }
        }
    };
}

compiled_for! {
    /// [`aim_lanes`] compiled for AVX2.
    fn aim_avx2(crate::dsp::sine::Avx2Token, "avx2") = aim_lanes::<CHUNK_LANES> => bool
}
compiled_for! {
    /// [`aim_lanes`] compiled for AVX-512F: `accepts`' 64-bit
    /// minimum, maximum and unsigned comparisons are single instructions there (AVX2 has
    /// none).
    fn aim_avx512(crate::dsp::sine::Avx512Token, "avx512f") = aim_lanes::<CHUNK_LANES> => bool
}
compiled_for! {
    /// [`finish_lanes`] compiled for AVX2.
    fn finish_avx2(crate::dsp::sine::Avx2Token, "avx2") = finish_lanes::<CHUNK_LANES> => ()
}
compiled_for! {
    /// [`finish_lanes`] compiled for AVX-512F.
    fn finish_avx512(crate::dsp::sine::Avx512Token, "avx512f") = finish_lanes::<CHUNK_LANES> => ()
}
compiled_for! {
    /// [`go_on_lanes`] compiled for AVX2.
    fn go_on_avx2(crate::dsp::sine::Avx2Token, "avx2") = go_on_lanes::<CHUNK_LANES> => ()
}
compiled_for! {
    /// [`go_on_lanes`] compiled for AVX-512F.
    fn go_on_avx512(crate::dsp::sine::Avx512Token, "avx512f") = go_on_lanes::<CHUNK_LANES> => ()
}
compiled_for! {
    /// [`mirror_moved`] compiled for AVX2.
    fn mirror_avx2(crate::dsp::sine::Avx2Token, "avx2") = mirror_moved => ()
}
compiled_for! {
    /// [`mirror_moved`] compiled for AVX-512F.
    fn mirror_avx512(crate::dsp::sine::Avx512Token, "avx512f") = mirror_moved => ()
}

#[cfg(test)]
mod tests;
