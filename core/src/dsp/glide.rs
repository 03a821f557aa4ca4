//! The glide law for frequency changes: even in pitch, fixed in time.
//!
//! A glide from `start` to `target` over `segments` equal segments passes, at the end of segment
//! `m`, through `start · (target / start)^(m / segments)`: equal musical intervals in equal
//! times, whichever direction it goes. Between segment ends the bank ramps the frequency
//! linearly (see [`crate::dsp::phase::PhaseRamp`]); over a segment of about 2.5 ms the
//! difference from the exact exponential is far below anything audible.

use super::phase::UNITS_PER_TURN;

/// Target duration of a glide segment, in seconds.
const SEGMENT_SECONDS: f64 = 0.0025;

/// The time base glides and level ramps run on at one sample rate.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Timing {
    /// Sample rate in Hz.
    pub sample_rate_hz: f64,
    /// Samples per glide segment: about 2.5 ms as a power of two from 32 to 1024 (128 at
    /// 44.1 and 48 kHz). Short enough that the linear steps trace an even pitch curve (a 20 ms
    /// octave glide deviates by under 2 cents), long enough that starting a segment costs
    /// little per sample.
    pub segment_samples: u32,
    /// Phase units per sample (2^-64 turn) per Hz: 2^64 / sample rate. Glides run in these
    /// units, so a segment's end becomes an increment without a division.
    pub units_per_hz: f64,
    /// Hz per phase unit per sample: sample rate / 2^64.
    pub hz_per_unit: f64,
}

impl Timing {
    /// The time base at `sample_rate_hz` (> 0).
    pub fn new(sample_rate_hz: f64) -> Self {
        let exponent = (sample_rate_hz * SEGMENT_SECONDS)
            .log2()
            .round()
            .clamp(5.0, 10.0);
        Self {
            sample_rate_hz,
            segment_samples: 1 << exponent as u32,
            units_per_hz: UNITS_PER_TURN / sample_rate_hz,
            hz_per_unit: sample_rate_hz / UNITS_PER_TURN,
        }
    }
}

/// A glide's length and what every glide of that length shares, worked out once: a host's
/// automation starts every glide with the same length, and a host sending a point per sample
/// makes starting a glide a large part of the plugin's cost.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct GlideLength {
    /// The length it was made from, in milliseconds.
    pub ms: f64,
    /// Whole samples, 1 ..= 10^15.
    samples: u64,
    /// Samples per segment; only the last segment may be shorter.
    segment_samples: u32,
    /// The exponent of one whole segment: segment samples / samples. A glide's frequency ratio
    /// `r` per whole segment is `r^segment_share`.
    segment_share: f64,
    /// C(segment_share, n) for n = 1 ..= 5: (1 + x)^segment_share by its binomial series, for
    /// ratios near 1 (see [`Self::segment_ratio`]).
    binomial: [f64; 5],
}

/// Largest |r − 1| for which [`GlideLength::segment_ratio`] takes the binomial series: a glide
/// of up to about a quarter of a semitone, what dense automation sends. The series' first
/// omitted term, |C(e, 6)|·x⁶ with 0 < e ≤ 1, is then below 1e-12 of the ratio.
const SERIES_REACH: f64 = 1.0 / 64.0;

impl GlideLength {
    /// `ms` milliseconds (finite; a negative length is none) at `timing`'s sample rate, rounded
    /// to whole samples (at least one).
    pub fn new(ms: f64, timing: Timing) -> Self {
        Self::of_samples(ms, ms.max(0.0) * 1e-3 * timing.sample_rate_hz, timing)
    }

    fn of_samples(ms: f64, samples: f64, timing: Timing) -> Self {
        let samples = samples.round().clamp(1.0, 1e15);
        let segment_samples = timing.segment_samples.max(1);
        let segment_share = f64::from(segment_samples) / samples;
        let mut binomial = [0.0; 5];
        let mut coefficient = 1.0;
        for (n, slot) in binomial.iter_mut().enumerate() {
            coefficient *= (segment_share - n as f64) / (n + 1) as f64;
            *slot = coefficient;
        }
        Self {
            ms,
            samples: samples as u64,
            segment_samples,
            segment_share,
            binomial,
        }
    }

    /// `ratio^segment_share`: the frequency ratio of one whole segment of a glide whose whole
    /// ratio is `ratio` (> 0). Near 1 by the binomial series (ten multiply-adds, relative error
    /// below 1e-12, 2e-9 cents), else as `exp2(log2(ratio)·segment_share)` (relative error
    /// ~1e-15). Both pass through pitch-even points far more closely than the linear ramp
    /// between them follows the curve (2 cents for a 20 ms octave).
    pub fn segment_ratio(&self, ratio: f64) -> f64 {
        let x = ratio - 1.0;
        if x.abs() <= SERIES_REACH {
            self.series(x)
        } else {
            (ratio.log2() * self.segment_share).exp2()
        }
    }

    /// `(1 + x)^segment_share` by the binomial series, for |x| ≤ [`SERIES_REACH`].
    #[inline(always)]
    fn series(&self, x: f64) -> f64 {
        let [c1, c2, c3, c4, c5] = self.binomial;
        1.0 + x * (c1 + x * (c2 + x * (c3 + x * (c4 + x * c5))))
    }

    /// Whether a glide of this length lasts longer than one segment (a glide's first segment
    /// is then a whole one, not its last).
    #[inline(always)]
    fn outlasts_a_segment(&self) -> bool {
        self.samples > u64::from(self.segment_samples)
    }
}

/// Whether `start` and `target` are both positive and finite (NaN is neither), tested in three
/// comparisons without a branch: their difference is finite exactly when both are (each is
/// positive), where testing each for finiteness compiles to a dozen integer instructions.
#[inline(always)]
fn both_positive_and_finite(start: f64, target: f64) -> bool {
    (start > 0.0) & (target > 0.0) & ((start - target).abs() < f64::INFINITY)
}

/// A pitch-even glide between two frequencies, consumed one segment at a time. Frequencies are
/// in any unit proportional to Hz, the same for all of them (the bank's: phase units per
/// sample, see [`Timing::units_per_hz`]).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PitchGlide {
    /// Frequency at the end of the last segment handed out (at first, the start).
    segment_end: f64,
    /// Frequency ratio of one whole segment: (target / start)^(segment / duration).
    ratio_per_segment: f64,
    /// Frequency the glide ends on, reached exactly.
    target: f64,
    /// Samples per segment; only the last segment may be shorter.
    segment_samples: u32,
    /// Samples of the glide not yet handed out.
    samples_left: u64,
}

/// [`PitchGlide::start_near`] for several glides at once (a host automating densely moves all
/// five partials at every event): each lane's ratio and first segment end worked out by the
/// same operations, with no branch, so the lanes compute side by side (the division and the
/// series' ten dependent operations take one vector instruction per two or four lanes where
/// one glide took one each); [`lane`](Self::lane) then takes each glide as `start_near` does.
#[derive(Clone, Copy, Debug)]
pub struct NearStarts<const N: usize> {
    /// Whether `start_near` applies to the lane (see there).
    near: [bool; N],
    ratio_per_segment: [f64; N],
    /// The first segment's end, a segment's ratio above the start.
    end: [f64; N],
    target: [f64; N],
    segment_samples: u32,
    /// Samples left after the first segment (meaningful where a lane is near).
    samples_left: u64,
}

impl<const N: usize> NearStarts<N> {
    /// The glides from each of `starts` to the `targets` beside it over `length`.
    #[inline(always)]
    pub fn of(starts: [f64; N], targets: [f64; N], length: &GlideLength) -> Self {
        // A `start` that is not positive and finite puts the ratio out of reach (or makes it
        // NaN) when the target is positive; so does a target that is not finite.
        let outlasts = length.outlasts_a_segment();
        let mut near = [false; N];
        let mut ratio_per_segment = [0.0; N];
        let mut end = [0.0; N];
        for k in 0..N {
            let x = targets[k] / starts[k] - 1.0;
            near[k] = (targets[k] > 0.0) & (x.abs() <= SERIES_REACH) & outlasts;
            ratio_per_segment[k] = length.series(x);
            end[k] = starts[k] * ratio_per_segment[k];
        }
        Self {
            near,
            ratio_per_segment,
            end,
            target: targets,
            segment_samples: length.segment_samples,
            samples_left: length
                .samples
                .wrapping_sub(u64::from(length.segment_samples)),
        }
    }

    /// Lane `k`'s glide and its first segment, as [`PitchGlide::start_near`] gives them.
    #[inline(always)]
    pub fn lane(&self, k: usize) -> Option<(PitchGlide, Segment)> {
        if !self.near[k] {
            return None;
        }
        let glide = PitchGlide {
            segment_end: self.end[k],
            ratio_per_segment: self.ratio_per_segment[k],
            target: self.target[k],
            segment_samples: self.segment_samples,
            samples_left: self.samples_left,
        };
        let first = Segment {
            samples: self.segment_samples,
            end: self.end[k],
        };
        Some((glide, first))
    }
}

/// One segment of a glide: how long it lasts and where it ends.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Segment {
    /// Length in samples (≥ 1).
    pub samples: u32,
    /// Frequency at the segment's end, in the glide's unit.
    pub end: f64,
}

impl PitchGlide {
    /// A glide lasting `length`, handed out in whole segments with a shorter last one. Returns
    /// `None` when a pitch-even glide is meaningless (a frequency that is not positive and
    /// finite): the caller should jump instead.
    pub fn new(start: f64, target: f64, length: &GlideLength) -> Option<Self> {
        if !both_positive_and_finite(start, target) {
            return None;
        }
        Some(Self {
            segment_end: start,
            ratio_per_segment: length.segment_ratio(target / start),
            target,
            segment_samples: length.segment_samples,
            samples_left: length.samples,
        })
    }

    /// [`Self::new`] with its first segment already handed out: the glide and what its first
    /// [`next_segment`](Self::next_segment) returns, to the bit, without that call's checks
    /// of a glide that may be over (a host automating densely starts a glide per partial at
    /// every event, and renders one sample of it before the next).
    #[inline]
    pub fn start(start: f64, target: f64, length: &GlideLength) -> Option<(Self, Segment)> {
        if !both_positive_and_finite(start, target) {
            return None;
        }
        let ratio_per_segment = length.segment_ratio(target / start);
        let segment_samples = length.segment_samples;
        // Longer than one segment (the usual glide): a whole segment, ending a segment's
        // ratio above the start. Else the only segment, ending on the target.
        let (samples, samples_left, end) = if length.outlasts_a_segment() {
            (
                segment_samples,
                length.samples - u64::from(segment_samples),
                start * ratio_per_segment,
            )
        } else {
            (length.samples as u32, 0, target)
        };
        let glide = Self {
            segment_end: end,
            ratio_per_segment,
            target,
            segment_samples,
            samples_left,
        };
        Some((glide, Segment { samples, end }))
    }

    /// [`Self::start`] for the glide dense automation starts, or `None` where that one might
    /// differ: `target` positive, `start` within a 64th of it (the binomial series' reach) and
    /// the glide longer than a segment. Then both are positive and finite, and the glide and
    /// its first segment (a whole one, not the last) are [`Self::start`]'s to the bit, by the
    /// same operations without its other cases; a caller takes [`Self::start`] on `None`.
    /// Checking only the target's sign and the ratio's reach, with nothing else to branch on,
    /// is what makes this cheaper: a host automating densely starts five glides per event.
    #[inline(always)]
    pub fn start_near(start: f64, target: f64, length: &GlideLength) -> Option<(Self, Segment)> {
        NearStarts::of([start], [target], length).lane(0)
    }

    /// The next segment, or `None` once the glide is over. The last segment ends exactly on the
    /// target. (One multiplication per segment: the rounding of a few hundred f64 products is
    /// ~1e-14 of the frequency, and the last segment snaps to the target anyway.)
    pub fn next_segment(&mut self) -> Option<Segment> {
        if self.samples_left == 0 {
            return None;
        }
        let samples = self.samples_left.min(u64::from(self.segment_samples));
        self.samples_left -= samples;
        self.segment_end = if self.samples_left == 0 {
            self.target
        } else {
            self.segment_end * self.ratio_per_segment
        };
        Some(Segment {
            samples: samples as u32,
            end: self.segment_end,
        })
    }

    /// Whether the last segment has been handed out (the one ending on the target).
    pub fn is_over(&self) -> bool {
        self.samples_left == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A glide of `samples` samples (rounded as a length in milliseconds is) in segments of
    /// `segment` samples.
    fn length(samples: f64, segment: u32) -> GlideLength {
        let timing = Timing {
            segment_samples: segment,
            ..Timing::new(48_000.0)
        };
        GlideLength::of_samples(f64::NAN, samples, timing)
    }

    #[test]
    fn passes_through_equal_pitch_steps_and_lands_exactly() {
        let mut glide = PitchGlide::new(100.0, 400.0, &length(4.0 * 64.0, 64)).unwrap();
        let segments: Vec<Segment> = std::iter::from_fn(|| glide.next_segment()).collect();
        assert!(segments.iter().all(|s| s.samples == 64));
        let ends: Vec<f64> = segments.iter().map(|s| s.end).collect();
        assert_eq!(ends.len(), 4);
        // Two octaves in four segments: half an octave (×√2) per segment.
        let expected = [100.0 * 2f64.sqrt(), 200.0, 200.0 * 2f64.sqrt()];
        for (got, want) in ends.iter().zip(expected) {
            assert!((got - want).abs() < 1e-9, "{got} vs {want}");
        }
        assert_eq!(ends[3], 400.0);
    }

    #[test]
    fn segments_last_about_two_and_a_half_milliseconds() {
        let samples = |rate| Timing::new(rate).segment_samples;
        assert_eq!(
            [8000.0, 44_100.0, 48_000.0, 96_000.0, 768_000.0].map(samples),
            [32, 128, 128, 256, 1024]
        );
    }

    #[test]
    fn short_or_invalid_glides() {
        let mut instant = PitchGlide::new(300.0, 200.0, &length(0.0, 64)).unwrap();
        let only = Segment {
            samples: 1,
            end: 200.0,
        };
        assert_eq!(instant.next_segment(), Some(only));
        assert_eq!(instant.next_segment(), None);
        // 100 samples in 64-sample segments: a whole one, then the 36 left, on the target.
        let mut uneven = PitchGlide::new(100.0, 200.0, &length(100.0, 64)).unwrap();
        assert_eq!(uneven.next_segment().map(|s| s.samples), Some(64));
        assert_eq!(
            uneven.next_segment(),
            Some(Segment {
                samples: 36,
                end: 200.0
            })
        );
        assert!(PitchGlide::new(0.0, 200.0, &length(960.0, 64)).is_none());
        assert!(PitchGlide::new(200.0, f64::NAN, &length(960.0, 64)).is_none());
    }

    /// The glide start dense automation takes is [`PitchGlide::new`] and its first segment, to
    /// the bit: for glides shorter than, as long as and longer than a segment, rising and
    /// falling, near 1 and far, and for what is no glide.
    #[test]
    fn a_started_glide_is_a_new_one_after_its_first_segment() {
        let frequencies = [1e-300, 0.5, 99.9, 100.0, 100.1, 440.0, 3e4, 1e300];
        let invalid = [0.0, -1.0, f64::INFINITY, f64::NAN];
        for (samples, segment) in [(1.0, 64), (63.0, 64), (64.0, 64), (65.0, 64), (960.0, 128)] {
            let length = length(samples, segment);
            for &start in frequencies.iter().chain(&invalid) {
                for &target in frequencies.iter().chain(&invalid) {
                    let started = PitchGlide::start(start, target, &length);
                    let made = PitchGlide::new(start, target, &length).map(|mut glide| {
                        let first = glide.next_segment().expect("a new glide has a segment");
                        (glide, first)
                    });
                    let valid = |hz: f64| hz > 0.0 && hz.is_finite();
                    assert_eq!(started.is_some(), valid(start) && valid(target));
                    // `Debug` prints each float to the bit (and NaN alike, which `==` does not).
                    assert_eq!(
                        format!("{started:?}"),
                        format!("{made:?}"),
                        "{start} to {target} over {samples} samples in segments of {segment}"
                    );
                }
            }
        }
    }

    /// Asserts that a glide started near (`started`) exists exactly where the near start
    /// applies (target positive, ratio within the series' reach, the glide longer than a
    /// segment: `outlasts`, from the test's own figures) and is then [`PitchGlide::start`]'s to the bit; returns whether it exists.
    fn check_near(
        started: Option<(PitchGlide, Segment)>,
        start: f64,
        target: f64,
        length: &GlideLength,
        outlasts: bool,
        what: &str,
    ) -> bool {
        let x = target / start - 1.0;
        let applies = target > 0.0 && x.abs() <= SERIES_REACH && outlasts;
        assert_eq!(started.is_some(), applies, "{what}");
        if let Some(started) = started {
            let alone = PitchGlide::start(start, target, length).unwrap();
            assert_eq!(format!("{started:?}"), format!("{alone:?}"), "{what}");
        }
        started.is_some()
    }

    /// The start dense automation takes, where it applies, is [`PitchGlide::start`] to the bit;
    /// it applies to every glide within the series' reach that outlasts a segment, and to no
    /// other (the negative pairs, whose ratio is near 1, and the increment at Nyquist read as
    /// a signed integer, as the bank reads it, among them).
    #[test]
    fn a_glide_started_near_is_the_started_one() {
        let nyquist = (1u64 << 63) as i64 as f64;
        let mut frequencies = vec![1e-300, 0.5, 99.9, 100.0, 100.1, 440.0, 3e4, 1e300];
        frequencies.extend([-100.0, -100.1, nyquist, 0.0, -0.0, f64::INFINITY, f64::NAN]);
        // Around 100, across the series' reach (1/64) on both sides and at its edges.
        frequencies.extend((-70..=70).map(|step| 100.0 * (1.0 + f64::from(step) / 4096.0)));
        frequencies.extend([100.0 * (1.0 + SERIES_REACH), 100.0 / (1.0 + SERIES_REACH)]);
        let mut near = 0;
        for (samples, segment) in [(1.0, 64), (64.0, 64), (65.0, 64), (960.0, 128)] {
            let length = length(samples, segment);
            for &start in &frequencies {
                for &target in &frequencies {
                    let started = PitchGlide::start_near(start, target, &length);
                    let what =
                        format!("{start} to {target} over {samples} in segments of {segment}");
                    near += usize::from(check_near(
                        started,
                        start,
                        target,
                        &length,
                        samples > f64::from(segment),
                        &what,
                    ));
                }
            }
        }
        assert!(near > 2 * 141 * 100, "{near} glides started near");
    }

    /// Glides started near side by side, five lanes at a time, are each the one started alone
    /// ([`PitchGlide::start`], to the bit) where it applies and `None` where it does not: pairs
    /// near and far, negative, zero, infinite and NaN, mixed in every lane.
    #[test]
    fn glides_started_near_side_by_side_are_each_started_alone() {
        let mut frequencies = vec![1e-300, 0.5, 99.9, 100.0, 440.0, 1e300, -100.0, 0.0];
        frequencies.extend([f64::INFINITY, f64::NAN]);
        frequencies.extend(
            (-70..=70)
                .step_by(7)
                .map(|step| 100.0 * (1.0 + f64::from(step) / 4096.0)),
        );
        let pairs: Vec<(f64, f64)> = frequencies
            .iter()
            .flat_map(|&start| frequencies.iter().map(move |&target| (start, target)))
            .collect();
        let mut near = 0;
        for (samples, segment) in [(64.0, 64), (960.0, 128)] {
            let length = length(samples, segment);
            // Every pair in every lane: lane k of group g takes pair g + k (wrapping).
            for group in 0..pairs.len() {
                let lanes: [(f64, f64); 5] =
                    std::array::from_fn(|k| pairs[(group + 7 * k) % pairs.len()]);
                let starts = NearStarts::of(lanes.map(|l| l.0), lanes.map(|l| l.1), &length);
                for (k, &(start, target)) in lanes.iter().enumerate() {
                    let what = format!("{start} to {target} over {samples}, lane {k}");
                    near += usize::from(check_near(
                        starts.lane(k),
                        start,
                        target,
                        &length,
                        samples > f64::from(segment),
                        &what,
                    ));
                }
            }
        }
        assert!(near > 5 * 300, "{near} glides started near");
    }

    #[test]
    fn a_segment_ratio_near_one_is_the_exact_power_within_1e_12() {
        // Glides of 20 ms at 44.1, 48 and 96 kHz, one segment long, and a short MIDI glide.
        for (samples, segment) in [
            (882.0, 128),
            (960.0, 128),
            (1920.0, 256),
            (128.0, 128),
            (300.0, 128),
        ] {
            let length = length(samples, segment);
            let share = f64::from(segment) / samples;
            for step in -64..=64 {
                // Whole ratios from 1 − 1/64 to 1 + 1/64, the series' reach, and a little past.
                let ratio = 1.0 + f64::from(step) / 4096.0 * 1.02;
                let exact = ratio.powf(share);
                let error = (length.segment_ratio(ratio) / exact - 1.0).abs();
                assert!(error < 1e-12, "{ratio}^{share}: relative error {error:e}");
            }
        }
    }
}
