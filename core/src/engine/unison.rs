//! Unison: copies of each note, detuned and spread across the stereo field.
//!
//! A note plays `copies` copies of its five partials, each copy a bank of its own (its own
//! exact, drift-free phases: see [`crate::dsp::phase`]). The copies stand evenly from −1 to +1
//! (one copy: at 0, today's note): copy `i` of `n` at x = 2i/(n − 1) − 1 is detuned by
//! x · `detune_cents` and panned by x · `width` on top of each partial's own pan (the sum
//! clamped to the field). So two copies are ±detune apart around the note's pitch, the
//! outermost of any number at ±detune, and the note's pitch stays where it was.
//!
//! **Level.** Each copy plays at 1/√n. Detuned copies are uncorrelated sines, whose powers add:
//! the note's RMS is then the same at every count (tested within 1 dB from 1 to
//! [`MAX_UNISON`] copies), so turning the count up or down changes its width, not its
//! loudness. Its peak may rise up to √n × [`VOICE_LEVEL`](crate::limits::VOICE_LEVEL) at an
//! instant where the copies align; with no detune the copies never drift apart, and play as
//! one sine per partial whose level their start phases decide (coherent copies add as
//! vectors).
//!
//! **Start phases.** Copy 1 starts every partial at phase 0, as a note always has; copy `i`
//! starts partial `k` at the fractional part of (5i + k)·φ turns, φ = (√5 − 1)/2 (the golden
//! ratio's steps, which keep any number of copies apart around the circle). Deterministic, so
//! a render is the same every time.

/// Most copies of a note (declared in [`crate::limits`]).
pub use crate::limits::MAX_UNISON;

use crate::dsp::PARTIAL_COUNT;

/// How a note's copies play (see the module documentation).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Unison {
    /// Copies of each note, 1 ..= [`MAX_UNISON`] (1: one, as before unison existed).
    pub copies: usize,
    /// How far the outermost copies are detuned either way, in cents.
    pub detune_cents: f64,
    /// How far the outermost copies are panned either way, 0 ..= 1 (1: hard left and right).
    pub width: f32,
}

impl Default for Unison {
    /// One copy: a note as before unison existed.
    fn default() -> Self {
        Self {
            copies: 1,
            detune_cents: 0.0,
            width: 0.0,
        }
    }
}

impl Unison {
    /// These settings made playable: 1 ..= [`MAX_UNISON`] copies, a finite detune, a width
    /// in 0 ..= 1.
    pub fn sanitized(self) -> Self {
        Self {
            copies: self.copies.clamp(1, MAX_UNISON),
            detune_cents: if self.detune_cents.is_finite() {
                self.detune_cents
            } else {
                0.0
            },
            width: if self.width.is_finite() {
                self.width.clamp(0.0, 1.0)
            } else {
                0.0
            },
        }
    }

    /// Where copy `copy` stands, −1 ..= 1 (the only copy: 0).
    fn position(&self, copy: usize) -> f64 {
        if self.copies <= 1 {
            0.0
        } else {
            2.0 * copy as f64 / (self.copies - 1) as f64 - 1.0
        }
    }

    /// The factor copy `copy`'s frequencies are detuned by (exactly 1 for one copy).
    pub fn ratio(&self, copy: usize) -> f64 {
        let cents = self.detune_cents * self.position(copy);
        if cents == 0.0 {
            1.0
        } else {
            (cents / 1200.0).exp2()
        }
    }

    /// Copy `copy`'s pan, added to each partial's own (0 for one copy).
    pub fn pan(&self, copy: usize) -> f32 {
        (f64::from(self.width) * self.position(copy)) as f32
    }

    /// Whether some copy stands off the centre (the note needs two channels).
    pub fn is_wide(&self) -> bool {
        self.copies > 1 && self.width != 0.0
    }

    /// Each copy's gain: 1/√copies (exactly 1 for one copy).
    pub fn gain(&self) -> f32 {
        if self.copies <= 1 {
            1.0
        } else {
            (1.0 / (self.copies as f64).sqrt()) as f32
        }
    }

    /// Copy `copy`'s start phases, in 2^-64 turn (copy 0: all zero).
    pub fn start_phases(copy: usize) -> [u64; PARTIAL_COUNT] {
        const GOLDEN_STEP: f64 = 0.618_033_988_749_894_8;
        std::array::from_fn(|k| {
            if copy == 0 {
                0
            } else {
                let turns = ((PARTIAL_COUNT * copy + k) as f64 * GOLDEN_STEP).fract();
                (turns * 2f64.powi(64)) as u64
            }
        })
    }
}

/// The pan of a partial panned `pan` in copy `copy` of `unison`, clamped to the field.
pub fn copy_pan(pan: f32, unison: &Unison, copy: usize) -> f32 {
    (pan + unison.pan(copy)).clamp(-1.0, 1.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn copies_stand_evenly_and_symmetrically_and_one_copy_is_todays_note() {
        let one = Unison {
            copies: 1,
            detune_cents: 30.0,
            width: 1.0,
        };
        assert_eq!((one.ratio(0), one.pan(0), one.gain()), (1.0, 0.0, 1.0));
        assert_eq!(Unison::start_phases(0), [0; PARTIAL_COUNT]);
        assert!(!one.is_wide());
        let four = Unison {
            copies: 4,
            detune_cents: 12.0,
            width: 0.5,
        };
        let cents: Vec<f64> = (0..4).map(|c| 1200.0 * four.ratio(c).log2()).collect();
        for (got, want) in cents.iter().zip([-12.0, -4.0, 4.0, 12.0]) {
            assert!((got - want).abs() < 1e-9, "{cents:?}");
        }
        assert_eq!(
            (0..4).map(|c| four.pan(c)).collect::<Vec<_>>(),
            [-0.5, -1.0 / 6.0, 1.0 / 6.0, 0.5]
        );
        assert_eq!(four.gain(), 0.5);
        assert_eq!(copy_pan(0.8, &four, 3), 1.0);
        // Every copy's phases differ from every other's.
        let phases: Vec<_> = (0..MAX_UNISON).flat_map(Unison::start_phases).collect();
        let mut sorted = phases.clone();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(sorted.len(), phases.len() - (PARTIAL_COUNT - 1));
    }
}
