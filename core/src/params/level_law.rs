//! The level law: how loud one note and the drone play for a given gain, and how a gain saved
//! under an earlier law is carried over so the sound keeps its loudness.
//!
//! A saved state or preset holds the gain, not the loudness: the same gain plays louder or
//! quieter when the law changes. Each state and preset file therefore says which law it was
//! saved under (a state's `level_law` field, a preset file's format version; those without one
//! are from before the first change, [`LevelLaw::OneOverVoices`]), and its gain is carried over
//! to [`LevelLaw::CURRENT`] when it loads. A future law is one more variant with its
//! [`level`](LevelLaw::level): every earlier one then carries over to it through this one
//! formula.

use super::Param;
use crate::limits::{MAX_VOICES, VOICE_LEVEL};

/// A level law (see the module documentation).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LevelLaw {
    /// Quintet before issue 23: in MIDI mode each voice at 1/Voices of full scale (so a full
    /// chord never clipped, and one note was 18 dB quieter at 8 voices than at 1), the drone at
    /// full scale. States without a `level_law` field and preset files of format 1.
    OneOverVoices,
    /// Since issue 23: every note and the drone at [`VOICE_LEVEL`], whatever the voice count.
    FixedVoiceLevel,
}

impl LevelLaw {
    /// The law Quintet plays by.
    pub const CURRENT: LevelLaw = LevelLaw::FixedVoiceLevel;

    /// The number a saved state stores for it.
    pub fn number(self) -> u32 {
        match self {
            LevelLaw::OneOverVoices => 1,
            LevelLaw::FixedVoiceLevel => 2,
        }
    }

    /// The law numbered `number`; `None` for one this Quintet does not know (a newer one's).
    pub fn from_number(number: u32) -> Option<LevelLaw> {
        match number {
            1 => Some(LevelLaw::OneOverVoices),
            2 => Some(LevelLaw::FixedVoiceLevel),
            _ => None,
        }
    }

    /// The peak (linear) of one note at full velocity in MIDI mode on `voices` voices, or of the
    /// drone, with every partial at level 1 and unit gain, under this law (before the
    /// partials' own sum, which no law changed).
    pub fn level(self, midi: bool, voices: u32) -> f64 {
        match self {
            LevelLaw::OneOverVoices if midi => 1.0 / f64::from(voices.clamp(1, MAX_VOICES as u32)),
            LevelLaw::OneOverVoices => 1.0,
            LevelLaw::FixedVoiceLevel => f64::from(VOICE_LEVEL),
        }
    }

    /// The gain that plays as loud under [`Self::CURRENT`] as `gain` did under this law, for
    /// the mode and voice count saved with it, clamped to the gain's range (a NaN: the
    /// default). Under the 1/Voices law the largest carried gain is 2 (+6 dB: the drone or one
    /// voice at 0 dB), well inside the range; only a damaged state's gain reaches the clamp.
    pub fn carry_gain(self, gain: f64, midi: bool, voices: u32) -> f64 {
        let carried = gain * self.level(midi, voices) / Self::CURRENT.level(midi, voices);
        Param::GAIN.spec().clamp(carried)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_name_the_laws_both_ways() {
        for law in [LevelLaw::OneOverVoices, LevelLaw::FixedVoiceLevel] {
            assert_eq!(LevelLaw::from_number(law.number()), Some(law));
        }
        assert_eq!(LevelLaw::from_number(0), None);
        assert_eq!(LevelLaw::from_number(3), None);
    }

    #[test]
    fn a_gain_from_the_one_over_voices_law_keeps_its_loudness() {
        let old = LevelLaw::OneOverVoices;
        // The drone and one voice played at full scale: twice the voice level.
        assert_eq!(old.carry_gain(1.0, false, 8), 2.0);
        assert_eq!(old.carry_gain(0.5, true, 1), 1.0);
        // Eight voices each played at an eighth: a quarter of the voice level.
        assert_eq!(old.carry_gain(1.0, true, 8), 0.25);
        assert_eq!(old.carry_gain(1.0, true, 16), 0.125);
        // A damaged gain is clamped to the range's top, a NaN becomes the default.
        let (_, top) = Param::GAIN.spec().bounds();
        assert_eq!(old.carry_gain(50.0, false, 1), top);
        assert_eq!(old.carry_gain(f64::NAN, false, 1), 1.0);
        // The current law carries a gain over unchanged.
        assert_eq!(LevelLaw::CURRENT.carry_gain(0.3, true, 8), 0.3);
    }
}
