//! The glide law for frequency changes: even in pitch, fixed in time.
//!
//! A glide from `start` to `target` over `segments` equal segments passes, at the end of segment
//! `m`, through `start · (target / start)^(m / segments)`: equal musical intervals in equal
//! times, whichever direction it goes. Between segment ends the bank ramps the frequency
//! linearly (see [`crate::dsp::phase::PhaseRamp`]); over a segment of about 2.5 ms the
//! difference from the exact exponential is far below anything audible.

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
        }
    }
}

/// A pitch-even glide between two frequencies, consumed one segment at a time.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PitchGlide {
    /// Frequency at the end of the last segment handed out (at first, the start), in Hz.
    segment_end_hz: f64,
    /// Frequency ratio of one whole segment: (target / start)^(segment / duration).
    ratio_per_segment: f64,
    /// Frequency the glide ends on, in Hz, reached exactly.
    target_hz: f64,
    /// Samples per segment; only the last segment may be shorter.
    segment_samples: u32,
    /// Samples of the glide not yet handed out.
    samples_left: u64,
}

/// One segment of a glide: how long it lasts and where it ends.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Segment {
    /// Length in samples (≥ 1).
    pub samples: u32,
    /// Frequency at the segment's end, in Hz.
    pub end_hz: f64,
}

impl PitchGlide {
    /// A glide lasting `duration_samples` samples (rounded, at least one), handed out in
    /// segments of `segment_samples` with a shorter last one. Returns `None` when a pitch-even
    /// glide is meaningless (a frequency that is not positive and finite): the caller should
    /// jump instead.
    pub fn new(
        start_hz: f64,
        target_hz: f64,
        duration_samples: f64,
        segment_samples: u32,
    ) -> Option<Self> {
        let valid = |hz: f64| hz.is_finite() && hz > 0.0;
        if !valid(start_hz) || !valid(target_hz) || duration_samples.is_nan() {
            return None;
        }
        let duration = duration_samples.round().clamp(1.0, 1e15);
        let segment_samples = segment_samples.max(1);
        Some(Self {
            segment_end_hz: start_hz,
            // exp2(log2(r)·e) rather than powf(r, e): each glide a host's automation starts
            // pays this once per partial, and the two calls cost about half of `pow`'s
            // special-case handling. Relative error ~1e-15, and the last segment snaps to the
            // target anyway.
            ratio_per_segment: ((target_hz / start_hz).log2() * f64::from(segment_samples)
                / duration)
                .exp2(),
            target_hz,
            segment_samples,
            samples_left: duration as u64,
        })
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
        self.segment_end_hz = if self.samples_left == 0 {
            self.target_hz
        } else {
            self.segment_end_hz * self.ratio_per_segment
        };
        Some(Segment {
            samples: samples as u32,
            end_hz: self.segment_end_hz,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passes_through_equal_pitch_steps_and_lands_exactly() {
        let mut glide = PitchGlide::new(100.0, 400.0, 4.0 * 64.0, 64).unwrap();
        let segments: Vec<Segment> = std::iter::from_fn(|| glide.next_segment()).collect();
        assert!(segments.iter().all(|s| s.samples == 64));
        let ends: Vec<f64> = segments.iter().map(|s| s.end_hz).collect();
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
        let mut instant = PitchGlide::new(300.0, 200.0, 0.0, 64).unwrap();
        let only = Segment {
            samples: 1,
            end_hz: 200.0,
        };
        assert_eq!(instant.next_segment(), Some(only));
        assert_eq!(instant.next_segment(), None);
        // 100 samples in 64-sample segments: a whole one, then the 36 left, on the target.
        let mut uneven = PitchGlide::new(100.0, 200.0, 100.0, 64).unwrap();
        assert_eq!(uneven.next_segment().map(|s| s.samples), Some(64));
        assert_eq!(
            uneven.next_segment(),
            Some(Segment {
                samples: 36,
                end_hz: 200.0
            })
        );
        assert!(PitchGlide::new(0.0, 200.0, 960.0, 64).is_none());
        assert!(PitchGlide::new(200.0, f64::NAN, 960.0, 64).is_none());
    }
}
