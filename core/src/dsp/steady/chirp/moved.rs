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

use super::{ChirpLanes, ChirpPartial, MAX_LANES, accepts};
use crate::dsp::knot::{Knot, Played, moved_increment, slope_between};
use crate::dsp::lfo::{KNOT_RUNS, KNOT_SAMPLES};
use crate::dsp::phase::PhaseRamp;
use crate::dsp::sine::{Kernel, Level};
use crate::dsp::steady::{RUN_SAMPLES, RUN_SHIFT, run_triangle};
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
    /// Whether the lanes render the partial's span to the next knot within their accuracy (see
    /// [`accepts`]).
    accepted: [bool; MAX_LANES],
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
            accepted: [true; MAX_LANES],
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
    pub fn set_knot(&mut self, lanes: std::ops::Range<usize>, knot: &Knot) {
        self.ratio[lanes.clone()].fill(knot.pitch_ratio);
        for lanes in self.factor[lanes].chunks_mut(PARTIAL_COUNT) {
            lanes.copy_from_slice(&knot.levels[..lanes.len()]);
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
            _ => finish_lanes(self),
        }
    }

    /// [`finish_run`](Self::finish_run) within a knot: every lane along its slopes.
    fn go_on(&mut self, kernel: Kernel) {
        match kernel {
            #[cfg(target_arch = "x86_64")]
            Kernel::Avx2(token) => go_on_avx2(token, self),
            #[cfg(target_arch = "x86_64")]
            Kernel::Avx512(token) => go_on_avx512(token, self),
            _ => go_on_lanes(self),
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
            _ => aim_lanes(self),
        }
    }

    /// Whether the lanes accept every partial of `lanes` for the run [`aim`](Self::aim) set.
    pub fn accept(&self, lanes: std::ops::Range<usize>) -> bool {
        self.accepted[lanes].iter().all(|&accepted| accepted)
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

/// [`MovedLanes::finish_run`] at a knot, in one pass over the lanes.
#[inline(always)]
fn finish_lanes(moved: &mut MovedLanes) {
    let lanes = moved.left.partials();
    let left = &mut moved.left;
    for lane in 0..lanes {
        let (increment, slope) = (left.increment[lane], left.slope[lane]);
        left.phase[lane] = left.phase[lane]
            .wrapping_add(increment << RUN_SHIFT)
            .wrapping_add(run_triangle(slope));
        left.increment[lane] = moved.end_increment[lane];
        moved.level[lane] = moved.end_level[lane];
    }
}

/// [`MovedLanes::finish_run`] within a knot, in one pass over the lanes: the phase ramps a run
/// on (the increment along its slope), the amplitudes (both channels') along their steps.
#[inline(always)]
fn go_on_lanes(moved: &mut MovedLanes) {
    let lanes = moved.left.partials();
    let left = &mut moved.left;
    for lane in 0..lanes {
        let (increment, slope) = (left.increment[lane], left.slope[lane]);
        left.phase[lane] = left.phase[lane]
            .wrapping_add(increment << RUN_SHIFT)
            .wrapping_add(run_triangle(slope));
        left.increment[lane] = increment.wrapping_add(slope << RUN_SHIFT);
        left.amplitude[lane] += RUN as f32 * left.amplitude_step[lane];
    }
    if moved.stereo {
        let right = &mut moved.right;
        for lane in 0..lanes {
            right.amplitude[lane] += RUN as f32 * right.amplitude_step[lane];
        }
    }
}

/// [`MovedLanes::aim`]: the increments' pass (`u64` and `f64`), then the levels' (`f32`).
#[inline(always)]
fn aim_lanes(moved: &mut MovedLanes) -> bool {
    let lanes = moved.left.partials();
    let left = &mut moved.left;
    for lane in 0..lanes {
        let end = moved_increment(
            moved.own_increment[lane],
            moved.own_units[lane],
            moved.ratio[lane],
        );
        let increment = left.increment[lane];
        let slope = slope_between(increment, end, KNOT);
        moved.end_increment[lane] = end;
        left.slope[lane] = slope;
        let ramp = PhaseRamp {
            phase: 0,
            increment,
            slope,
        };
        moved.accepted[lane] = accepts(&ramp, KNOT_SAMPLES);
    }
    let mut all = true;
    for lane in 0..lanes {
        let now = moved.level[lane];
        let end_level = moved.own_level[lane] * moved.factor[lane];
        let step = if end_level == now {
            0.0
        } else {
            (end_level - now) / KNOT as f32
        };
        moved.end_level[lane] = end_level;
        moved.level_step[lane] = step;
        let (amplitude, amplitude_step) = (now * moved.scale[lane], step * moved.scale[lane]);
        left.amplitude[lane] = amplitude * moved.pan_left[lane];
        left.amplitude_step[lane] = amplitude_step * moved.pan_left[lane];
        // A silent piece only keeps time (as on a bank), whatever its increment.
        moved.accepted[lane] |= now == 0.0 && step == 0.0;
        all &= moved.accepted[lane];
    }
    if moved.stereo {
        // The right channel's lanes take the left's coefficients (see `seed`): only their
        // amplitudes are theirs.
        let right = &mut moved.right;
        for lane in 0..lanes {
            let now = moved.level[lane] * moved.scale[lane];
            let step = moved.level_step[lane] * moved.scale[lane];
            right.amplitude[lane] = now * moved.pan_right[lane];
            right.amplitude_step[lane] = step * moved.pan_right[lane];
        }
    }
    all
}

/// [`MovedLanes::seed`]'s right channel: its seeds from the left's coefficients.
#[inline(always)]
fn mirror_moved(moved: &mut MovedLanes) {
    super::mirror_lanes(&mut moved.right, &moved.left);
}

/// Defines `$name(token, moved)`: the pass `$pass` over the lanes compiled for the instruction
/// set `$feature`, which `token` proves the CPU has (the same arithmetic, so the same bits, as
/// the portable pass; only the instructions differ).
macro_rules! compiled_for {
    ($(#[$doc:meta])* fn $name:ident($token:ty, $feature:literal) = $pass:ident -> $ret:ty) => {
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
    fn aim_avx2(crate::dsp::sine::Avx2Token, "avx2") = aim_lanes -> bool
}
compiled_for! {
    /// [`aim_lanes`] compiled for AVX-512F: `accepts`' 64-bit minimum, maximum and unsigned
    /// comparisons are single instructions there (AVX2 has none).
    fn aim_avx512(crate::dsp::sine::Avx512Token, "avx512f") = aim_lanes -> bool
}
compiled_for! {
    /// [`finish_lanes`] compiled for AVX2.
    fn finish_avx2(crate::dsp::sine::Avx2Token, "avx2") = finish_lanes -> ()
}
compiled_for! {
    /// [`finish_lanes`] compiled for AVX-512F.
    fn finish_avx512(crate::dsp::sine::Avx512Token, "avx512f") = finish_lanes -> ()
}
compiled_for! {
    /// [`go_on_lanes`] compiled for AVX2.
    fn go_on_avx2(crate::dsp::sine::Avx2Token, "avx2") = go_on_lanes -> ()
}
compiled_for! {
    /// [`go_on_lanes`] compiled for AVX-512F.
    fn go_on_avx512(crate::dsp::sine::Avx512Token, "avx512f") = go_on_lanes -> ()
}
compiled_for! {
    /// [`mirror_moved`] compiled for AVX2.
    fn mirror_avx2(crate::dsp::sine::Avx2Token, "avx2") = mirror_moved -> ()
}
compiled_for! {
    /// [`mirror_moved`] compiled for AVX-512F.
    fn mirror_avx512(crate::dsp::sine::Avx512Token, "avx512f") = mirror_moved -> ()
}
