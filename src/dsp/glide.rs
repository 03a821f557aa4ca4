//! The glide law for frequency changes: even in pitch, fixed in time.
//!
//! A glide from `start` to `target` over `segments` equal segments passes, at the end of segment
//! `m`, through `start · (target / start)^(m / segments)`: equal musical intervals in equal
//! times, whichever direction it goes. Between segment ends the bank ramps the frequency
//! linearly (see [`crate::dsp::phase::PhaseRamp`]); over a [`SEGMENT_SAMPLES`]-sample segment the
//! difference from the exact exponential is far below anything audible.

/// Samples per glide segment.
pub const SEGMENT_SAMPLES: u32 = 64;

/// A pitch-even glide between two frequencies, consumed one segment at a time.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PitchGlide {
    /// Frequency at the end of the last segment handed out (at first, the start), in Hz.
    segment_end_hz: f64,
    /// Frequency ratio of one segment: (target / start)^(1 / segments).
    ratio_per_segment: f64,
    /// Frequency the glide ends on, in Hz, reached exactly.
    target_hz: f64,
    /// Number of segments in the whole glide (≥ 1).
    segments: u32,
    /// Segments already handed out.
    segments_done: u32,
}

impl PitchGlide {
    /// A glide lasting about `duration_samples` samples (rounded to whole segments, at least one).
    /// Returns `None` when a pitch-even glide is meaningless (a frequency that is not positive
    /// and finite): the caller should jump instead.
    pub fn new(start_hz: f64, target_hz: f64, duration_samples: f64) -> Option<Self> {
        let valid = |hz: f64| hz.is_finite() && hz > 0.0;
        if !valid(start_hz) || !valid(target_hz) {
            return None;
        }
        let segments = (duration_samples / f64::from(SEGMENT_SAMPLES))
            .round()
            .clamp(1.0, f64::from(u32::MAX)) as u32;
        Some(Self {
            segment_end_hz: start_hz,
            ratio_per_segment: (target_hz / start_hz).powf(1.0 / f64::from(segments)),
            target_hz,
            segments,
            segments_done: 0,
        })
    }

    /// The frequency at the end of the next segment, in Hz, or `None` once the glide is over.
    /// The last segment ends exactly on the target. (One multiplication per segment: the
    /// rounding of a few hundred f64 products is ~1e-14 of the frequency, and the last segment
    /// snaps to the target anyway.)
    pub fn next_segment_end_hz(&mut self) -> Option<f64> {
        if self.segments_done >= self.segments {
            return None;
        }
        self.segments_done += 1;
        self.segment_end_hz = if self.segments_done == self.segments {
            self.target_hz
        } else {
            self.segment_end_hz * self.ratio_per_segment
        };
        Some(self.segment_end_hz)
    }

    /// The frequency the glide ends on, in Hz.
    pub fn target_hz(&self) -> f64 {
        self.target_hz
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passes_through_equal_pitch_steps_and_lands_exactly() {
        let mut glide = PitchGlide::new(100.0, 400.0, 4.0 * f64::from(SEGMENT_SAMPLES)).unwrap();
        let ends: Vec<f64> = std::iter::from_fn(|| glide.next_segment_end_hz()).collect();
        assert_eq!(ends.len(), 4);
        // Two octaves in four segments: half an octave (×√2) per segment.
        let expected = [100.0 * 2f64.sqrt(), 200.0, 200.0 * 2f64.sqrt()];
        for (got, want) in ends.iter().zip(expected) {
            assert!((got - want).abs() < 1e-9, "{got} vs {want}");
        }
        assert_eq!(ends[3], 400.0);
    }

    #[test]
    fn short_or_invalid_glides() {
        let mut instant = PitchGlide::new(300.0, 200.0, 0.0).unwrap();
        assert_eq!(instant.next_segment_end_hz(), Some(200.0));
        assert_eq!(instant.next_segment_end_hz(), None);
        assert!(PitchGlide::new(0.0, 200.0, 960.0).is_none());
        assert!(PitchGlide::new(200.0, f64::NAN, 960.0).is_none());
    }
}
