//! Each partial's own envelope and touch, derived from the note's: what makes a bell lose its
//! upper partials first and a hard note brighter than a soft one.
//!
//! A partial's envelope is the note's [`EnvelopeShape`] with its times scaled
//! ([`PartialShapes`]): its attack by its attack factor, its decay **and its release** by its
//! decay factor (a release that follows: a partial that dies fast also lets go fast, as a
//! struck string's upper partials do), and its sustain level a fraction of the note's. Its peak
//! is the note's velocity, lowered by touch ([`Touch`]) when the note starts: a share of the
//! partial that follows velocity, and a key tilt in dB per octave from C4. Peaks are fixed at
//! note-on, so a steady voice stays steady.
//!
//! With every factor at ×1, every sustain at 100 % and no touch, the five envelopes are the
//! note's, bit for bit (the defaults sound as Quintet did before partials had envelopes).

use super::PARTIAL_COUNT;
use super::envelope::EnvelopeShape;

/// The key the key tilt is counted from: C4 (MIDI 60), whose partials it leaves as they are.
pub const TILT_CENTRE_KEY: u8 = 60;

/// Each partial's envelope relative to the note's.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PartialShapes {
    /// Factor of the note's attack time, per partial (×0.1 … ×10; 1 = the note's).
    pub attack: [f32; PARTIAL_COUNT],
    /// Factor of the note's decay and release times, per partial (×0.1 … ×10).
    pub decay: [f32; PARTIAL_COUNT],
    /// Fraction of the note's sustain level, per partial, 0 ..= 1.
    pub sustain: [f32; PARTIAL_COUNT],
}

impl Default for PartialShapes {
    /// Every partial follows the note's envelope exactly.
    fn default() -> Self {
        Self {
            attack: [1.0; PARTIAL_COUNT],
            decay: [1.0; PARTIAL_COUNT],
            sustain: [1.0; PARTIAL_COUNT],
        }
    }
}

impl PartialShapes {
    /// Partial `partial`'s envelope for a note shaped `note` (the envelope makes hostile
    /// values safe: a non-finite or negative time takes the shortest segment).
    pub fn shape(&self, note: EnvelopeShape, partial: usize) -> EnvelopeShape {
        let decay = f64::from(self.decay[partial]);
        EnvelopeShape {
            attack_ms: note.attack_ms * f64::from(self.attack[partial]),
            decay_ms: note.decay_ms * decay,
            sustain: note.sustain * self.sustain[partial],
            release_ms: note.release_ms * decay,
        }
    }
}

/// How the partials' levels follow the keyboard, fixed when a note starts.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Touch {
    /// How much of each partial's level follows velocity on top of the note's own velocity
    /// response, 0 ..= 1: the partial's peak is multiplied by 1 − amount · (1 − velocity).
    pub velocity: [f32; PARTIAL_COUNT],
    /// dB per octave from C4 that partial 5 loses (partial k loses (k − 1)/4 of it, partial 1
    /// none): below 0 for notes above C4, above 0 for notes below it. It only ever lowers a
    /// partial, so a note never goes past the level it has without it.
    pub key_tilt_db_per_octave: f32,
}

impl Touch {
    /// Each partial's peak level for a note on `key` at `velocity` (0 ..= 1; a non-finite
    /// velocity counts as full, as the envelope takes it): the velocity times each partial's
    /// velocity follow and key tilt, 0 ..= 1.
    pub fn peaks(&self, key: u8, velocity: f32) -> [f32; PARTIAL_COUNT] {
        let velocity = if velocity.is_finite() {
            velocity.clamp(0.0, 1.0)
        } else {
            1.0
        };
        let octaves = (f32::from(key) - f32::from(TILT_CENTRE_KEY)) / 12.0;
        std::array::from_fn(|partial| {
            let amount = fraction(self.velocity[partial]);
            let follow = 1.0 - amount * (1.0 - velocity);
            let share = partial as f32 / (PARTIAL_COUNT - 1) as f32;
            let tilt_db = self.key_tilt_db_per_octave * share * octaves;
            // Only ever lower (`tilt_db` is NaN for a non-finite tilt: no tilt then).
            let tilt = if tilt_db < 0.0 {
                10f32.powf(tilt_db / 20.0)
            } else {
                1.0
            };
            velocity * follow * tilt
        })
    }
}

/// `value` as a fraction 0 ..= 1 (a NaN: 0).
fn fraction(value: f32) -> f32 {
    if value.is_nan() {
        0.0
    } else {
        value.clamp(0.0, 1.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_defaults_are_the_notes_envelope_and_velocity_exactly() {
        let note = EnvelopeShape {
            attack_ms: 3.3,
            decay_ms: 123.4,
            sustain: 0.37,
            release_ms: 77.7,
        };
        for partial in 0..PARTIAL_COUNT {
            assert_eq!(PartialShapes::default().shape(note, partial), note);
        }
        for key in [0, 60, 127] {
            for velocity in [0.0, 0.3, 0.787_401_6, 1.0] {
                assert_eq!(
                    Touch::default().peaks(key, velocity),
                    [velocity; PARTIAL_COUNT]
                );
            }
        }
    }

    #[test]
    fn the_decay_factor_scales_the_release_too() {
        let shapes = PartialShapes {
            decay: [1.0, 1.0, 1.0, 1.0, 0.25],
            attack: [1.0, 2.0, 1.0, 1.0, 1.0],
            sustain: [1.0, 1.0, 0.5, 1.0, 1.0],
        };
        let note = EnvelopeShape::default();
        let fifth = shapes.shape(note, 4);
        assert_eq!(fifth.decay_ms, note.decay_ms * 0.25);
        assert_eq!(fifth.release_ms, note.release_ms * 0.25);
        assert_eq!(shapes.shape(note, 1).attack_ms, note.attack_ms * 2.0);
        assert_eq!(shapes.shape(note, 2).sustain, note.sustain * 0.5);
    }

    #[test]
    fn velocity_follow_makes_a_soft_note_darker() {
        let touch = Touch {
            velocity: [0.0, 0.25, 0.5, 0.75, 1.0],
            ..Touch::default()
        };
        let soft = touch.peaks(60, 0.3);
        assert_eq!(soft[0], 0.3);
        assert!((soft[4] - 0.09).abs() < 1e-7, "{soft:?}");
        assert!(soft.windows(2).all(|w| w[1] < w[0]), "{soft:?}");
        assert_eq!(touch.peaks(60, 1.0), [1.0; PARTIAL_COUNT]);
    }

    #[test]
    fn key_tilt_lowers_upper_partials_by_their_share_per_octave() {
        let touch = Touch {
            key_tilt_db_per_octave: -6.0,
            ..Touch::default()
        };
        let db = |gain: f32| 20.0 * gain.log10();
        // Two octaves above C4: partial 5 loses 12 dB, partial 3 half of that, partial 1 none.
        let c6 = touch.peaks(84, 1.0);
        assert_eq!(c6[0], 1.0);
        assert!((db(c6[4]) + 12.0).abs() < 1e-4, "{}", db(c6[4]));
        assert!((db(c6[2]) + 6.0).abs() < 1e-4, "{}", db(c6[2]));
        // At C4 and below nothing changes: the tilt never makes a partial louder.
        assert_eq!(touch.peaks(60, 1.0), [1.0; PARTIAL_COUNT]);
        assert_eq!(touch.peaks(36, 0.5), [0.5; PARTIAL_COUNT]);
        let rising = Touch {
            key_tilt_db_per_octave: 6.0,
            ..Touch::default()
        };
        assert!(rising.peaks(36, 1.0)[4] < 0.3);
        assert_eq!(rising.peaks(96, 1.0), [1.0; PARTIAL_COUNT]);
    }

    #[test]
    fn hostile_touch_values_give_playable_peaks() {
        let touch = Touch {
            velocity: [f32::NAN, -1.0, 2.0, f32::INFINITY, 0.5],
            key_tilt_db_per_octave: f32::NAN,
        };
        for velocity in [f32::NAN, -1.0, 0.5, 3.0] {
            let peaks = touch.peaks(127, velocity);
            assert!(peaks.iter().all(|p| (0.0..=1.0).contains(p)), "{peaks:?}");
        }
    }
}
