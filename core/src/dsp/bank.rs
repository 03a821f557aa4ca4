//! The bank of five sine partials: Quintet's whole sound.
//!
//! Each partial is a fixed-point phase ramp (exact, drift-free, see [`phase`](super::phase)),
//! read through the polynomial sine (see [`sine`](super::sine)). Frequency changes glide evenly
//! in pitch (see [`glide`](super::glide)) and never touch the phase, so nothing a host does to a
//! frequency can click. A partial nearing Nyquist fades out (see [`nyquist`](super::nyquist)).
//! The output gain moves along a short linear ramp.
//!
//! Rendering never allocates, locks or blocks: all state is inline.

use super::glide::{GlideLength, NearStarts, PitchGlide, Segment, Timing};
use super::knot::{Knot, Moving, Played, moved_increment, slope_between};
use super::nyquist::nyquist_fade;
use super::pan::{PAN_RAMP_MS, PanRamp};
use super::phase::{PhaseRamp, frequency_for, increment_for, increment_of_units, units_of};
use super::ramp::LinearRamp;
use super::sine::{Kernel, Level, SHORT_RUN_SAMPLES, partial_sample};
use super::steady::{MAX_STEADY_INCREMENT, Rotation, SteadyPartial};

/// Number of partials in the bank.
pub const PARTIAL_COUNT: usize = 5;

/// Amplitude of each partial at level 1 and unit gain: a fifth of [`VOICE_LEVEL`], so the five
/// of one bank (a note at full velocity, the drone) never exceed it. Folding the voice level in
/// here costs nothing (the sine kernel scales by a partial's amplitude anyway) and leaves a bank
/// at unit gain without a gain pass.
pub const PARTIAL_AMPLITUDE: f32 = VOICE_LEVEL / PARTIAL_COUNT as f32;

/// The peak of one note or the drone at full level (declared with every other default).
pub use crate::limits::VOICE_LEVEL;

/// The notebook's frequencies, in Hz (declared with every other default).
pub use crate::limits::DEFAULT_FREQUENCIES_HZ;

/// Duration of a frequency glide, in milliseconds. Long enough that a host sending one
/// automation point per 64-sample block, or per 1024-sample buffer (21 ms at 48 kHz), produces a
/// smooth pitch curve instead of zipper steps; short enough that a slider or an automation lane
/// is followed without audible lag.
pub const GLIDE_MS: f64 = 20.0;

/// Duration of an output gain change, in milliseconds.
pub const GAIN_RAMP_MS: f64 = 10.0;

/// Duration of a partial's level change, in milliseconds.
pub const LEVEL_RAMP_MS: f64 = 10.0;

/// Gains below this (−100 dB, where the gain parameter reads "-inf") are exact silence, so a
/// vanishing gain never makes a sample subnormal.
pub const SILENCE_GAIN: f32 = 1e-5;

/// Samples rendered per pass over the partials: small enough to stay in L1 cache (4 KiB), large
/// enough that setting up a partial's vector lanes is paid rarely (at 256 samples that set-up
/// was about 6 % of the steady bank's time).
const CHUNK_SAMPLES: usize = 1024;

/// A value that moves linearly, one glide segment at a time.
#[derive(Clone, Copy, Debug, PartialEq)]
struct SegmentRamp {
    current: f32,
    target: f32,
    segments_left: u32,
}

impl SegmentRamp {
    fn holding(value: f32) -> Self {
        Self {
            current: value,
            target: value,
            segments_left: 0,
        }
    }

    fn is_moving(&self) -> bool {
        self.segments_left > 0
    }

    /// The value at the end of the next segment (exactly the target at the last).
    fn next_segment_end(&mut self) -> f32 {
        if self.segments_left > 0 {
            self.current += (self.target - self.current) / self.segments_left as f32;
            self.segments_left -= 1;
            if self.segments_left == 0 {
                self.current = self.target;
            }
        }
        self.current
    }
}

/// One sine partial: its phase, glide and level.
#[derive(Clone, Copy, Debug)]
struct Partial {
    /// Phase, increment and (while gliding) the increment's per-sample slope.
    ramp: PhaseRamp,
    /// The frequency this partial is at or heading to, in Hz.
    target_hz: f64,
    /// The glide in progress, if any.
    glide: Option<PitchGlide>,
    /// The partial's own level (linear, 1 = full), moving in whole segments.
    user_level: SegmentRamp,
    /// Samples left in the current segment (0 when steady).
    segment_samples_left: u32,
    /// Exact increment at the end of the current segment, set when the segment ends so the
    /// linear ramp's rounding never accumulates.
    segment_end_increment: u64,
    /// Level (amplitude × Nyquist fade): steady, or ramping across the current segment.
    level: Level,
    /// The steady recurrence's constants for the last increment they were asked for (see
    /// [`PartialBank::steady_partials`]); worked out again only when the frequency changed.
    rotation: Option<Rotation>,
}

impl Partial {
    fn steady(frequency_hz: f64, timing: Timing) -> Self {
        let mut partial = Self {
            ramp: PhaseRamp::default(),
            target_hz: frequency_hz,
            glide: None,
            user_level: SegmentRamp::holding(1.0),
            segment_samples_left: 0,
            segment_end_increment: 0,
            level: Level::steady(0.0),
            rotation: None,
        };
        partial.jump_to(frequency_hz, timing);
        partial
    }

    /// The level of the next sample.
    fn level_now(&self) -> f32 {
        self.level.start + self.level.position as f32 * self.level.step
    }

    /// Sets the frequency at once, without a glide. The phase continues; a level change in
    /// progress goes on.
    fn jump_to(&mut self, frequency_hz: f64, timing: Timing) {
        self.target_hz = frequency_hz;
        self.glide = None;
        self.ramp.increment = increment_for(frequency_hz, timing.sample_rate_hz);
        self.ramp.slope = 0;
        if self.user_level.is_moving() {
            let level = self.level_now();
            self.begin_segment(level, timing);
        } else {
            self.settle(timing);
        }
    }

    /// Holds the target frequency and level exactly, with no ramp.
    fn settle(&mut self, timing: Timing) {
        self.glide = None;
        self.segment_samples_left = 0;
        self.ramp.increment = increment_for(self.target_hz, timing.sample_rate_hz);
        self.ramp.slope = 0;
        let level = steady_level(self.target_hz, timing.sample_rate_hz) * self.user_level.current;
        self.level = Level::steady(level);
    }

    /// Moves the partial's own level to `level` over `segments` glide segments (0 = at once).
    fn set_level(&mut self, level: f32, segments: u32, timing: Timing) {
        if level == self.user_level.target {
            return;
        }
        self.user_level.target = level;
        self.user_level.segments_left = segments;
        if segments == 0 {
            self.user_level.current = level;
        }
        let now = self.level_now();
        if self.glide.is_none() && segments == 0 {
            self.settle(timing);
        } else {
            self.begin_segment(now, timing);
        }
    }

    /// Glides from wherever the partial is now to `frequency_hz` over `length`. The glide runs
    /// in phase units per sample, starting from the increment itself: a segment's end becomes
    /// an increment by a rounding, with no division by the sample rate (a host automating
    /// densely starts a glide per partial at every event). The glide comes with its first
    /// segment ([`PitchGlide::start`]), begun here without asking it again.
    #[inline]
    fn glide_to(&mut self, frequency_hz: f64, timing: &Timing, length: &GlideLength) {
        if frequency_hz == self.target_hz {
            return;
        }
        let now = units_of(self.ramp.increment);
        match PitchGlide::start(now, frequency_hz * timing.units_per_hz, length) {
            Some((glide, first)) => {
                self.begin_glide(frequency_hz, glide, first, glide.is_over(), timing)
            }
            None => self.jump_to(frequency_hz, *timing),
        }
    }

    /// Jumps or glides to `frequency_hz` (as [`jump_to`](Self::jump_to) or
    /// [`glide_to`](Self::glide_to)), out of line: what dense automation seldom takes.
    #[cold]
    #[inline(never)]
    fn move_to(&mut self, frequency_hz: f64, jump: bool, timing: &Timing, length: &GlideLength) {
        if jump {
            self.jump_to(frequency_hz, *timing);
        } else {
            self.glide_to(frequency_hz, timing, length);
        }
    }

    /// Takes `glide` to `frequency_hz`, just started, and begins its `first` segment (`last`:
    /// the glide's only one, as [`PitchGlide::is_over`] says).
    #[inline(always)]
    fn begin_glide(
        &mut self,
        frequency_hz: f64,
        glide: PitchGlide,
        first: Segment,
        last: bool,
        timing: &Timing,
    ) {
        debug_assert_eq!(last, glide.is_over());
        let level = self.level_now();
        self.target_hz = frequency_hz;
        self.glide = Some(glide);
        self.begin_glide_segment(first, last, level, timing);
    }

    /// Starts the next segment of the glide and/or level change from the current increment and
    /// `level`, or settles when both are over.
    fn begin_segment(&mut self, level: f32, timing: Timing) {
        let glide = self.glide.as_mut();
        match glide.and_then(|glide| Some((glide.next_segment()?, glide.is_over()))) {
            Some((segment, last)) => self.begin_glide_segment(segment, last, level, &timing),
            None => {
                self.glide = None;
                if !self.user_level.is_moving() {
                    self.settle(timing);
                    return;
                }
                // A level segment without a glide holds the target's own increment.
                let end_increment = increment_for(self.target_hz, timing.sample_rate_hz);
                let samples = timing.segment_samples;
                self.begin_ramp(level, samples, end_increment, self.target_hz, &timing);
            }
        }
    }

    /// Starts `segment`, the glide's segment just handed out (`last`: the one ending on the
    /// target), from the current increment and `level`, with the level change's next segment.
    #[inline(always)]
    fn begin_glide_segment(&mut self, segment: Segment, last: bool, level: f32, timing: &Timing) {
        // The glide's last segment ends exactly on the target's own increment (the one
        // `settle` holds).
        let (end_increment, end_hz) = if last {
            let end_increment = increment_for(self.target_hz, timing.sample_rate_hz);
            (end_increment, self.target_hz)
        } else {
            (
                increment_of_units(segment.end),
                segment.end * timing.hz_per_unit,
            )
        };
        self.begin_ramp(level, segment.samples, end_increment, end_hz, timing);
    }

    /// Ramps the increment from where it is to `end_increment` over `samples` samples, and the
    /// level from `level` to the partial's level at `end_hz` and its own level's next segment
    /// end.
    #[inline(always)]
    fn begin_ramp(
        &mut self,
        level: f32,
        samples: u32,
        end_increment: u64,
        end_hz: f64,
        timing: &Timing,
    ) {
        self.ramp.slope = slope_between(self.ramp.increment, end_increment, samples);
        self.segment_end_increment = end_increment;
        self.segment_samples_left = samples;
        let end_level =
            steady_level(end_hz, timing.sample_rate_hz) * self.user_level.next_segment_end();
        self.level = if end_level == level {
            Level::steady(level)
        } else {
            Level {
                start: level,
                step: (end_level - level) / samples as f32,
                position: 0,
            }
        };
    }

    /// Whether the partial computes its samples; a steady partial at zero level (at or above
    /// Nyquist) only keeps time.
    fn is_sounding(&self) -> bool {
        self.segment_samples_left > 0 || self.level.start != 0.0
    }

    /// Whether the partial holds its frequency and level: no segment under way.
    fn is_steady(&self) -> bool {
        self.segment_samples_left == 0 && self.level.step == 0.0
    }

    /// Whether the partial glides (or its level's segments run) at a steady level through the
    /// next `samples` samples and beyond, without starting a segment.
    #[inline(always)]
    fn glides_at_a_steady_level_through(&self, samples: usize) -> bool {
        self.segment_samples_left as usize > samples && self.level.step == 0.0
    }

    /// Whether the next `samples` samples stay within the current glide or level segment (or
    /// end exactly with it), so they can be rendered without starting a new one.
    fn holds_its_segment_for(&self, samples: usize) -> bool {
        self.segment_samples_left == 0 || self.segment_samples_left as usize >= samples
    }

    /// Books `samples` samples rendered outside [`add_to`](Self::add_to) (the partial's ramp and
    /// level already advanced), starting the next segment if the current one ended.
    fn count_rendered(&mut self, samples: usize, timing: Timing) {
        if self.segment_samples_left > 0 {
            self.segment_samples_left -= samples as u32;
            if self.segment_samples_left == 0 {
                self.ramp.increment = self.segment_end_increment;
                let level = self.level_now();
                self.begin_segment(level, timing);
            }
        }
    }

    /// Adds this partial's next `out.len()` samples to `out`.
    fn add_to(&mut self, mut out: &mut [f32], timing: Timing, kernel: Kernel) {
        while !out.is_empty() {
            if self.segment_samples_left == 0 {
                if self.level.start == 0.0 {
                    // Silent (at or above Nyquist): keep time without computing sines.
                    self.ramp.skip(out.len() as u64);
                } else {
                    kernel.add_partial(&mut self.ramp, &mut self.level, out);
                }
                return;
            }
            let len = out.len().min(self.segment_samples_left as usize);
            let (segment, rest) = out.split_at_mut(len);
            kernel.add_partial(&mut self.ramp, &mut self.level, segment);
            self.count_rendered(len, timing);
            out = rest;
        }
    }

    /// Adds this partial's next `out.len()` samples to `out` as `moving` plays it, `done`
    /// samples after the movement's ramp position (`out` ends at the knot or before): its own
    /// frequency and level moved by the movement's values, in straight pieces (see
    /// [`Played`]). Its own ramp and level keep time as if it rendered unmoved.
    fn add_moved(
        &mut self,
        mut out: &mut [f32],
        timing: Timing,
        kernel: Kernel,
        moving: &Moving,
        played: &mut Played,
    ) {
        let mut done = 0;
        while !out.is_empty() {
            if played.left == 0 {
                self.plan_piece(moving, done, played);
            }
            let mut len = out.len().min(played.left as usize);
            if self.segment_samples_left > 0 {
                len = len.min(self.segment_samples_left as usize);
            }
            let (segment, rest) = out.split_at_mut(len);
            if played.level.start == 0.0 && played.level.step == 0.0 {
                played.ramp.skip(len as u64);
            } else {
                kernel.add_partial(&mut played.ramp, &mut played.level, segment);
            }
            self.count_piece(played, len, timing);
            done += len;
            out = rest;
        }
    }

    /// Books `len` samples of `played`'s piece as played (its ramp and level already moved on
    /// by them), and keeps the partial's own time.
    fn count_piece(&mut self, played: &mut Played, len: usize, timing: Timing) {
        played.left -= len as u32;
        if played.left == 0 {
            played.ramp.increment = played.end_increment;
            played.ramp.slope = 0;
            played.level = Level::steady(played.end_level);
        }
        self.ramp.skip(len as u64);
        self.level.position += len as u32;
        self.count_rendered(len, timing);
    }

    /// Starts the next straight piece of `played`, `done` samples after `moving`'s position:
    /// to the knot or the end of this partial's own segment, whichever comes first.
    fn plan_piece(&self, moving: &Moving, done: usize, played: &mut Played) {
        let mut len = moving.samples_left() as usize - done;
        if self.segment_samples_left > 0 {
            len = len.min(self.segment_samples_left as usize);
        }
        let own_end_increment = if self.segment_samples_left as usize == len {
            self.segment_end_increment
        } else {
            self.ramp
                .increment
                .wrapping_add(self.ramp.slope.wrapping_mul(len as u64))
        };
        let own_end_level =
            self.level.start + (self.level.position + len as u32) as f32 * self.level.step;
        let knot = moving.ahead(done + len);
        played.end_increment = moved_increment(
            own_end_increment,
            own_end_increment as f64,
            knot.pitch_ratio,
        );
        played.end_level = own_end_level * knot.levels[played.index];
        played.ramp.slope = slope_between(played.ramp.increment, played.end_increment, len as u32);
        let now = played.level.start;
        played.level = if played.end_level == now {
            Level::steady(now)
        } else {
            Level {
                start: now,
                step: (played.end_level - now) / len as f32,
                position: 0,
            }
        };
        played.left = len as u32;
    }
}

/// The level of a partial holding `frequency_hz`.
fn steady_level(frequency_hz: f64, sample_rate_hz: f64) -> f32 {
    (f64::from(PARTIAL_AMPLITUDE) * nyquist_fade(frequency_hz, sample_rate_hz)) as f32
}

/// A partial as the chirp lanes take it over at a knot (see [`PartialBank::moved_partials`]).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct MovedPartial {
    /// Its phase and increment as the movement plays it at the knot (2^-64 turn).
    pub phase: u64,
    pub increment: u64,
    /// Its amplitude there, the movement's level factor included.
    pub level: f32,
    /// Its own increment and amplitude, unmoved (a level of 0: silent, keeping time).
    pub own_increment: u64,
    pub own_level: f32,
}

/// Five phase-continuous sine partials with gliding frequencies and a smoothed output gain.
#[derive(Clone, Debug)]
pub struct PartialBank {
    /// Sample rate and glide segment length.
    timing: Timing,
    /// [`GAIN_RAMP_MS`] in samples at this sample rate.
    gain_ramp_samples: u32,
    /// [`LEVEL_RAMP_MS`] in glide segments at this sample rate (at least one).
    level_ramp_segments: u32,
    partials: [Partial; PARTIAL_COUNT],
    /// Output gain (linear), smoothed.
    gain: LinearRamp,
    /// The sine kernel: the fastest this CPU runs (all give the same bits).
    kernel: Kernel,
    /// The length of the last glide started (at first [`GLIDE_MS`]): the next is most likely
    /// as long.
    glide_length: GlideLength,
    /// The movement under way (vibrato, tremolo, brightness...), if any: see
    /// [`move_to`](Self::move_to).
    moving: Option<Moving>,
    /// Where each partial sits in the stereo field (see [`super::pan`]); only
    /// [`render_panned`](Self::render_panned) reads them.
    pans: [PanRamp; PARTIAL_COUNT],
    /// [`PAN_RAMP_MS`] in samples at this sample rate.
    pan_ramp_samples: u32,
}

impl PartialBank {
    /// A bank at `sample_rate_hz` playing `frequencies_hz` at unity gain, every phase at zero, so
    /// the first sample is 0 and sample `n` is Σ sin(2π·fₖ·n/fs) / 5. A non-finite or
    /// non-positive sample rate is replaced by 48 kHz rather than producing NaN.
    pub fn new(sample_rate_hz: f64, frequencies_hz: [f64; PARTIAL_COUNT]) -> Self {
        let sample_rate_hz = if sample_rate_hz.is_finite() && sample_rate_hz > 0.0 {
            sample_rate_hz
        } else {
            48_000.0
        };
        let frequencies_hz = frequencies_hz.map(sanitize_frequency);
        let timing = Timing::new(sample_rate_hz);
        Self {
            timing,
            gain_ramp_samples: (GAIN_RAMP_MS * 1e-3 * sample_rate_hz).round() as u32,
            level_ramp_segments: (LEVEL_RAMP_MS * 1e-3 * sample_rate_hz
                / f64::from(timing.segment_samples))
            .round()
            .max(1.0) as u32,
            partials: frequencies_hz.map(|hz| Partial::steady(hz, timing)),
            gain: LinearRamp::holding(1.0),
            kernel: Kernel::best(),
            glide_length: GlideLength::new(GLIDE_MS, timing),
            moving: None,
            pans: [PanRamp::default(); PARTIAL_COUNT],
            pan_ramp_samples: (PAN_RAMP_MS * 1e-3 * sample_rate_hz).round() as u32,
        }
    }

    /// Renders with `kernel` instead of the fastest one (for tests and benchmarks; every
    /// kernel produces the same bits).
    pub fn with_kernel(mut self, kernel: Kernel) -> Self {
        self.kernel = kernel;
        self
    }

    /// The sample rate in Hz.
    pub fn sample_rate_hz(&self) -> f64 {
        self.timing.sample_rate_hz
    }

    /// Glides partial `index` to `frequency_hz` over [`GLIDE_MS`]. Non-finite values are ignored.
    #[inline]
    pub fn glide_to(&mut self, index: usize, frequency_hz: f64) {
        self.glide_to_over(index, frequency_hz, GLIDE_MS);
    }

    /// Glides partial `index` to `frequency_hz` over `glide_ms` milliseconds, rounded to whole
    /// samples (at least one; use [`jump_to`](Self::jump_to) for no glide). The glide runs in
    /// segments of [`Timing::segment_samples`] (about 2.5 ms: a power of two from 32 to 1024
    /// samples, 128 at 44.1 and 48 kHz), the last one shorter if the length is not a whole
    /// number of them. Non-finite values are ignored.
    #[inline]
    pub fn glide_to_over(&mut self, index: usize, frequency_hz: f64, glide_ms: f64) {
        if frequency_hz.is_finite() && glide_ms.is_finite() {
            let timing = self.timing;
            if glide_ms != self.glide_length.ms {
                self.glide_length = GlideLength::new(glide_ms, timing);
            }
            self.partials[index].glide_to(
                sanitize_frequency(frequency_hz),
                &timing,
                &self.glide_length,
            );
        }
    }

    /// Moves each partial to its frequency in `frequencies_hz` (each as [`sanitize_frequency`]
    /// leaves it): at once where `jumps` says so (as [`jump_to`](Self::jump_to)), else gliding
    /// over [`GLIDE_MS`] (as [`glide_to`](Self::glide_to)). A partial already at or heading to
    /// its frequency is left as it is (a jump there would cut its glide short). One call for
    /// the five, their checks in one loop: a host automating the frequencies densely moves all
    /// five at every event. Inlined into the engine's one call (out of line it cost the call
    /// and the five lanes' spills, about 25 instructions, and the compiler's choice moved with
    /// unrelated changes).
    #[inline(always)]
    pub(crate) fn move_frequencies_to(
        &mut self,
        frequencies_hz: [f64; PARTIAL_COUNT],
        jumps: [bool; PARTIAL_COUNT],
    ) {
        let timing = self.timing;
        if GLIDE_MS != self.glide_length.ms {
            self.glide_length = GlideLength::new(GLIDE_MS, timing);
        }
        let length = &self.glide_length;
        // The usual glides' starts (near, see `PitchGlide::start_near`) worked out for the five
        // side by side. The increment reads as `units_of` below 2^63 (one instruction); 2^63
        // (Nyquist) turns negative, which puts the glide out of reach.
        let starts = std::array::from_fn(|k| self.partials[k].ramp.increment as i64 as f64);
        let targets = frequencies_hz.map(|hz| hz * timing.units_per_hz);
        let near = NearStarts::of(starts, targets, length);
        // Indexed, not zipped: the zipped iterators went to the stack and kept their bounds
        // checks; the usual glide inlined, anything else out of line.
        for k in 0..PARTIAL_COUNT {
            let frequency_hz = frequencies_hz[k];
            debug_assert_eq!(frequency_hz, sanitize_frequency(frequency_hz));
            let partial = &mut self.partials[k];
            if frequency_hz == partial.target_hz {
                continue;
            }
            match near.lane(k) {
                // A glide started near outlasts its first segment.
                Some((glide, first)) if !jumps[k] => {
                    partial.begin_glide(frequency_hz, glide, first, false, &timing);
                }
                _ => partial.move_to(frequency_hz, jumps[k], &timing, length),
            }
        }
    }

    /// Moves partial `index`'s own level (linear, 0 = silent, 1 = full) to `level` over
    /// [`LEVEL_RAMP_MS`]. Values are clamped to 0 ..= 1; like gains, levels below
    /// [`SILENCE_GAIN`] are silence (so a tiny level never makes a sample subnormal); non-finite
    /// values are ignored.
    pub fn ramp_level_to(&mut self, index: usize, level: f32) {
        if let Some(level) = sanitize_gain(level) {
            let (timing, segments) = (self.timing, self.level_ramp_segments);
            self.partials[index].set_level(level.min(1.0), segments, timing);
        }
    }

    /// Sets partial `index`'s own level at once (activation; the Python module's
    /// `ramp=False`). A level that jumps while the partial sounds steps the waveform.
    pub fn jump_level_to(&mut self, index: usize, level: f32) {
        if let Some(level) = sanitize_gain(level) {
            let timing = self.timing;
            self.partials[index].set_level(level.min(1.0), 0, timing);
        }
    }

    /// The level partial `index` is at or heading to (linear, 1 = full).
    pub fn target_level(&self, index: usize) -> f32 {
        self.partials[index].user_level.target
    }

    /// Sets partial `index` to `frequency_hz` at once (a state or preset load), keeping its
    /// phase, so the waveform does not step.
    /// Non-finite values are ignored.
    pub fn jump_to(&mut self, index: usize, frequency_hz: f64) {
        if frequency_hz.is_finite() {
            let timing = self.timing;
            self.partials[index].jump_to(sanitize_frequency(frequency_hz), timing);
        }
    }

    /// The frequency partial `index` is at or gliding to, in Hz.
    pub fn target_frequency_hz(&self, index: usize) -> f64 {
        self.partials[index].target_hz
    }

    /// The frequency partial `index` plays at the next sample, in Hz.
    pub fn current_frequency_hz(&self, index: usize) -> f64 {
        let increment = match &self.moving {
            Some(moving) => moving.played[index].ramp.increment,
            None => self.partials[index].ramp.increment,
        };
        frequency_for(increment, self.timing.sample_rate_hz)
    }

    /// Whether any partial's frequency or level is still moving.
    pub fn is_gliding(&self) -> bool {
        self.partials.iter().any(|p| p.segment_samples_left > 0)
    }

    /// Moves the output gain (linear, 0 ..= 1 and a little more) to `gain` over
    /// [`GAIN_RAMP_MS`]. Gains below [`SILENCE_GAIN`] mean silence; non-finite values are ignored.
    pub fn ramp_gain_to(&mut self, gain: f32) {
        if let Some(gain) = sanitize_gain(gain) {
            self.gain.ramp_to(gain, self.gain_ramp_samples);
        }
    }

    /// Sets the output gain at once.
    pub fn jump_gain_to(&mut self, gain: f32) {
        if let Some(gain) = sanitize_gain(gain) {
            self.gain = LinearRamp::holding(gain);
        }
    }

    /// Moves partial `index` to `pan` (−1 = hard left … +1 = hard right) over [`PAN_RAMP_MS`],
    /// or at once if `jump`.
    pub fn pan_to(&mut self, index: usize, pan: f32, jump: bool) {
        let samples = if jump { 0 } else { self.pan_ramp_samples };
        self.pans[index].ramp_to(pan, samples);
    }

    /// [`PAN_RAMP_MS`] in samples: how long a pan move takes.
    pub fn pan_ramp_samples(&self) -> u32 {
        self.pan_ramp_samples
    }

    /// The pan partial `index` is at or heading to.
    pub fn target_pan(&self, index: usize) -> f32 {
        self.pans[index].target()
    }

    /// Partial `index`'s left and right gains while its pan holds (see
    /// [`steady_partials`](Self::steady_partials)).
    pub fn pan_gains(&self, index: usize) -> [f32; 2] {
        self.pans[index].target_gains()
    }

    /// The output gain the bank is at or heading to.
    pub fn target_gain(&self) -> f32 {
        self.gain.target()
    }

    /// Restarts every phase at zero (a host's reset), keeping frequencies and gain.
    pub fn reset_phases(&mut self) {
        for partial in &mut self.partials {
            partial.ramp.phase = 0;
        }
        if let Some(moving) = &mut self.moving {
            for played in &mut moving.played {
                played.ramp.phase = 0;
            }
        }
    }

    /// Ends any movement at once, the partials at their own frequencies and levels (a note
    /// starting from silence: nothing of the last note's movement carries over).
    pub fn stop_moving(&mut self) {
        if let Some(moving) = self.moving.take() {
            for (partial, played) in self.partials.iter_mut().zip(&moving.played) {
                partial.ramp.phase = played.ramp.phase;
            }
        }
    }

    /// Starts each partial at its phase in `phases` (2^-64 turn), keeping frequencies and
    /// gain (a unison copy's start, see `quintet_core::engine::unison`).
    pub fn start_phases_at(&mut self, phases: [u64; PARTIAL_COUNT]) {
        for (partial, phase) in self.partials.iter_mut().zip(phases) {
            partial.ramp.phase = phase;
        }
    }

    /// The output gain and each partial as the steady lanes play it (`None` for a silent one),
    /// when nothing moves: no glide or level segment, no gain ramp, every sounding partial at most
    /// a quarter of the sample rate. Their samples are then sines of constant amplitude, and
    /// [`skip_steady`](Self::skip_steady) keeps time for whoever renders them.
    pub fn steady_partials(&mut self) -> Option<(f32, [Option<SteadyPartial>; PARTIAL_COUNT])> {
        if self.gain.is_ramping()
            || self.is_gliding()
            || self.moving.is_some()
            || self.pans_moving()
        {
            return None;
        }
        let mut steady = [None; PARTIAL_COUNT];
        for (partial, slot) in self.partials.iter_mut().zip(&mut steady) {
            if partial.level.start == 0.0 {
                continue;
            }
            let increment = partial.ramp.increment;
            let rotation = match partial.rotation {
                Some(rotation) if rotation.increment == increment => rotation,
                _ => {
                    let rotation = Rotation::for_increment(increment)?;
                    partial.rotation = Some(rotation);
                    rotation
                }
            };
            *slot = Some(SteadyPartial {
                phase: partial.ramp.phase,
                rotation,
                amplitude: partial.level.start,
            });
        }
        Some((self.gain.target(), steady))
    }

    /// Moves every phase on by `samples` samples rendered elsewhere (the steady lanes) while
    /// [`steady_partials`](Self::steady_partials) holds.
    pub fn skip_steady(&mut self, samples: u64) {
        for partial in &mut self.partials {
            debug_assert_eq!(partial.ramp.slope, 0);
            let ramp = &mut partial.ramp;
            ramp.phase = ramp
                .phase
                .wrapping_add(ramp.increment.wrapping_mul(samples));
        }
    }

    /// Whether every sounding partial is slow enough for the steady lanes (at most
    /// [`MAX_STEADY_INCREMENT`]): what [`steady_partials`](Self::steady_partials) asks besides
    /// stillness.
    pub fn fits_steady_lanes(&self) -> bool {
        self.partials
            .iter()
            .all(|p| p.level.start == 0.0 || p.ramp.increment <= MAX_STEADY_INCREMENT)
    }

    /// Samples before the bank can be steady (0 if it is): its gain ramp's, its pans' and each
    /// partial's current segment's remaining length, so at least that long.
    pub fn samples_before_steady(&self) -> u32 {
        let moving = self.moving.map_or(0, |m| m.samples_left().max(1));
        let pans = self.pans.iter().map(PanRamp::remaining);
        self.partials
            .iter()
            .map(|p| p.segment_samples_left)
            .chain(pans)
            .fold(self.gain.remaining().max(moving), u32::max)
    }

    /// Moves the partials from where the movement is now to `knot` over the next `samples`
    /// samples (the next knot: see [`super::knot`]), linearly in increment and amplitude. The
    /// caller renders at most `samples` samples before its next call. A neutral knot reached
    /// from a neutral one ends the movement: the bank plays its partials unmoved again, to the
    /// bit as if it had never moved (and can be steady).
    pub fn move_to(&mut self, knot: Knot, samples: u32) {
        let samples = samples.max(1);
        match &mut self.moving {
            None if knot.is_neutral() => {}
            None => {
                self.moving = Some(Moving {
                    from: Knot::NEUTRAL,
                    to: knot,
                    length: samples,
                    position: 0,
                    played: std::array::from_fn(|k| {
                        let partial = &self.partials[k];
                        Played::at(partial.ramp, partial.level_now(), k)
                    }),
                });
            }
            Some(moving) => {
                let now = moving.ahead(0);
                if now.is_neutral() && knot.is_neutral() {
                    for (partial, played) in self.partials.iter_mut().zip(&moving.played) {
                        partial.ramp.phase = played.ramp.phase;
                    }
                    self.moving = None;
                } else {
                    moving.from = now;
                    moving.to = knot;
                    moving.length = samples;
                    moving.position = 0;
                }
            }
        }
    }

    /// The output gain, the movement's two knots and each partial as the chirp lanes take them
    /// over, the bank at a knot its movement was just told (see [`move_to`](Self::move_to)),
    /// the next `samples` samples (the run to the next knot) moved by the movement alone: no
    /// glide or level segment of its own, no gain or pan ramp. From here the lanes play the
    /// partials and the bank keeps no time: [`resume_moved`](Self::resume_moved) brings it up
    /// to date when they let it go.
    pub fn moved_partials(
        &self,
        samples: u32,
    ) -> Option<(f32, [Knot; 2], [MovedPartial; PARTIAL_COUNT])> {
        if self.gain.is_ramping() || self.pans_moving() {
            return None;
        }
        let moving = self.moving.as_ref()?;
        if moving.position != 0 || moving.length != samples {
            return None;
        }
        let mut partials = [MovedPartial::default(); PARTIAL_COUNT];
        for ((partial, played), moved) in
            self.partials.iter().zip(&moving.played).zip(&mut partials)
        {
            // Between pieces (the last ended at this knot), the partial's own values still.
            if !partial.is_steady() || played.left != 0 {
                return None;
            }
            *moved = MovedPartial {
                phase: played.ramp.phase,
                increment: played.ramp.increment,
                level: played.level.start,
                own_increment: partial.ramp.increment,
                own_level: partial.level.start,
            };
        }
        Some((self.gain.target(), [moving.from, moving.to], partials))
    }

    /// Brings the bank up to date after `elapsed` samples that another renderer (the chirp
    /// lanes) played from the knot [`moved_partials`](Self::moved_partials) gave: each
    /// partial's own phase moves on at its increment in `own_increments` (the one the lanes
    /// took: an event since may have changed the bank's), and the movement is `moving` (where
    /// the lanes left it). Every phase is then where rendering those samples would have left
    /// it, in O(1) however long the lanes played.
    pub fn resume_moved(
        &mut self,
        moving: Moving,
        own_increments: [u64; PARTIAL_COUNT],
        elapsed: u64,
    ) {
        debug_assert!(self.moving.is_some(), "no movement under way");
        for (partial, increment) in self.partials.iter_mut().zip(own_increments) {
            partial.ramp.phase = partial
                .ramp
                .phase
                .wrapping_add(increment.wrapping_mul(elapsed));
        }
        self.moving = Some(moving);
    }

    /// Whether a movement is under way (see [`move_to`](Self::move_to)).
    pub fn is_moving(&self) -> bool {
        self.moving.is_some()
    }

    /// Adds partial `k`'s next `out.len()` samples to `out`, moved if a movement is under way.
    fn add_partial(&mut self, k: usize, out: &mut [f32]) {
        let (timing, kernel) = (self.timing, self.kernel);
        match &mut self.moving {
            None => self.partials[k].add_to(out, timing, kernel),
            Some(moving) => {
                let mut played = moving.played[k];
                self.partials[k].add_moved(out, timing, kernel, moving, &mut played);
                moving.played[k] = played;
            }
        }
    }

    /// Books `samples` rendered samples against the movement's ramp.
    fn count_moved(&mut self, samples: usize) {
        if let Some(moving) = &mut self.moving {
            debug_assert!(samples as u32 <= moving.samples_left(), "past the knot");
            moving.position += samples as u32;
        }
    }

    /// Whether a pan is still moving.
    fn pans_moving(&self) -> bool {
        self.pans.iter().any(|pan| pan.remaining() > 0)
    }

    /// Overwrites `out` with the bank's next `out.len()` samples.
    pub fn render(&mut self, out: &mut [f32]) {
        if self.moving.is_none() && out.len() < SHORT_RUN_SAMPLES {
            if self.partials.iter().all(Partial::is_steady) {
                self.render_steady_short_run(out);
                return;
            }
            if self
                .partials
                .iter()
                .all(|p| p.glides_at_a_steady_level_through(out.len()))
            {
                self.render_gliding_short_run(out);
                return;
            }
            if self
                .partials
                .iter()
                .all(|p| p.holds_its_segment_for(out.len()))
            {
                self.render_short_run(out);
                return;
            }
        }
        for chunk in out.chunks_mut(CHUNK_SAMPLES) {
            chunk.fill(0.0);
            for k in 0..PARTIAL_COUNT {
                self.add_partial(k, chunk);
            }
            self.count_moved(chunk.len());
            self.gain.apply(chunk);
        }
    }

    /// Overwrites `out` with the bank's next `out.len()` samples, each partial's samples passed
    /// through `shape(partial, offset, samples)` before they are added (its own envelope, which
    /// multiplies them in place; `offset` is where `samples` start in `out`), using `scratch`
    /// (at least as long as a pass, [`CHUNK_SAMPLES`] or `out`). The partials are added in
    /// order and each one's samples do not depend on how `out` is split, so neither does the
    /// output.
    pub fn render_shaped(
        &mut self,
        out: &mut [f32],
        scratch: &mut [f32],
        mut shape: impl FnMut(usize, usize, &mut [f32]),
    ) {
        for (pass, chunk) in out.chunks_mut(CHUNK_SAMPLES).enumerate() {
            let partial_samples = &mut scratch[..chunk.len()];
            chunk.fill(0.0);
            for k in 0..PARTIAL_COUNT {
                partial_samples.fill(0.0);
                self.add_partial(k, partial_samples);
                shape(k, pass * CHUNK_SAMPLES, partial_samples);
                for (sum, &sample) in chunk.iter_mut().zip(partial_samples.iter()) {
                    *sum += sample;
                }
            }
            self.count_moved(chunk.len());
            self.gain.apply(chunk);
        }
    }

    /// Overwrites `left` and `right` (as long as each other) with the bank's next samples, each
    /// partial's passed through `shape` as in [`render_shaped`](Self::render_shaped), then
    /// placed by its pan (see [`super::pan`]), using `scratch` as there.
    pub fn render_panned(
        &mut self,
        left: &mut [f32],
        right: &mut [f32],
        scratch: &mut [f32],
        mut shape: impl FnMut(usize, usize, &mut [f32]),
    ) {
        let passes = left
            .chunks_mut(CHUNK_SAMPLES)
            .zip(right.chunks_mut(CHUNK_SAMPLES));
        for (pass, (left, right)) in passes.enumerate() {
            let partial_samples = &mut scratch[..left.len()];
            left.fill(0.0);
            right.fill(0.0);
            for k in 0..PARTIAL_COUNT {
                partial_samples.fill(0.0);
                self.add_partial(k, partial_samples);
                shape(k, pass * CHUNK_SAMPLES, partial_samples);
                self.pans[k].add_to(partial_samples, left, right);
            }
            self.count_moved(left.len());
            // The same gain ramp on both channels.
            let mut gain = self.gain;
            gain.apply(left);
            self.gain.apply(right);
        }
    }

    /// Renders a run shorter than one vector step (hosts send single samples, and
    /// sample-accurate automation splits blocks at every event) sample by sample with the five
    /// partials side by side: one pass instead of a kernel call per partial, and the CPU overlaps
    /// the five independent sine evaluations. Each partial's samples are computed as the
    /// kernels compute them and added in the same order, so the output has the same bits
    /// whatever the block size.
    fn render_short_run(&mut self, out: &mut [f32]) {
        for sample in out.iter_mut() {
            let mut sum = 0.0;
            for partial in &mut self.partials {
                if partial.is_sounding() {
                    sum += partial_sample(&mut partial.ramp, &mut partial.level);
                }
            }
            *sample = sum;
        }
        let timing = self.timing;
        for partial in &mut self.partials {
            if !partial.is_sounding() {
                partial.ramp.skip(out.len() as u64);
            }
            partial.count_rendered(out.len(), timing);
        }
        self.gain.apply(out);
    }

    /// [`render_short_run`](Self::render_short_run) for every partial gliding at a steady
    /// level inside a segment that outlasts the run (a host automating the five frequencies
    /// densely restarts their glides at every event): every partial sounds and none starts a
    /// segment, so there is nothing to skip and each one's count only goes down. Inlined where
    /// the steady levels were just checked, the five partials' sines are computed as the
    /// steady run computes them, side by side (at 1-sample blocks the general run took 382
    /// instructions per call against the steady run's 272).
    #[inline(always)]
    fn render_gliding_short_run(&mut self, out: &mut [f32]) {
        for sample in out.iter_mut() {
            let mut sum = 0.0;
            for partial in &mut self.partials {
                sum += partial_sample(&mut partial.ramp, &mut partial.level);
            }
            *sample = sum;
        }
        for partial in &mut self.partials {
            partial.segment_samples_left -= out.len() as u32;
        }
        self.gain.apply(out);
    }

    /// [`render_short_run`](Self::render_short_run) for the usual case, every partial steady:
    /// no partial to check, skip or count (at 1-sample blocks those checks were a third of the
    /// run). A silent partial (level 0) adds a zero instead of being skipped, which changes no
    /// bit: the sum starts at +0 and adding ±0 to it leaves it as it is.
    fn render_steady_short_run(&mut self, out: &mut [f32]) {
        for sample in out.iter_mut() {
            let mut sum = 0.0;
            for partial in &mut self.partials {
                sum += partial_sample(&mut partial.ramp, &mut partial.level);
            }
            *sample = sum;
        }
        self.gain.apply(out);
    }
}

/// A frequency the bank can play and the engine can take ratios from: below 0 Hz or not
/// finite, 0 Hz (silence at a held phase) rather than wrapping.
pub(crate) fn sanitize_frequency(frequency_hz: f64) -> f64 {
    if frequency_hz.is_finite() {
        frequency_hz.max(0.0)
    } else {
        0.0
    }
}

fn sanitize_gain(gain: f32) -> Option<f32> {
    if !gain.is_finite() {
        None
    } else if gain < SILENCE_GAIN {
        Some(0.0)
    } else {
        Some(gain)
    }
}
