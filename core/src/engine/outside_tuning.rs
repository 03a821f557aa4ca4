//! Keys tuned from outside the engine: the frequency an MTS-ESP master (through the plugin's
//! client) gives each key on each MIDI channel, or that a key is not to be played.
//!
//! The engine plays its own tuning (its key table: 12-TET or a Scala scale) for every key until
//! told otherwise here. The glue tells it
//! each key's tuning just before that key's note starts, and re-asks for the keys of the
//! sounding notes every block, so a retuning glides the notes it reaches as a bend does.
//!
//! Every outside frequency enters through [`KeyTuning::outside`], which refuses what no tuning
//! means (not finite, not above 0, beyond [`OUTSIDE_HZ`]): such a key keeps Quintet's own
//! tuning, so a broken library can never put a non-finite value into the audio.

use super::input::Channel;
use std::ops::RangeInclusive;

/// MIDI channels an outside tuning distinguishes (MTS-ESP: 0 ..= 15).
pub const CHANNELS: usize = 16;
/// MIDI keys, 0 ..= 127.
pub const KEYS: usize = 128;

/// The frequencies, in Hz, an outside tuning may give a key. Wide enough for any real tuning
/// (12-TET runs from 8.2 Hz at key 0 to 12.5 kHz at key 127; stretched and subharmonic scales
/// go further), narrow enough to refuse a corrupt table's values, which no tuning means.
pub const OUTSIDE_HZ: RangeInclusive<f64> = 1.0..=100_000.0;

/// How a key is tuned.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub enum KeyTuning {
    /// Quintet's own tuning (the engine's key table).
    #[default]
    Own,
    /// A frequency from outside, in Hz (within [`OUTSIDE_HZ`]).
    Outside(f64),
    /// The outside tuning leaves the key out (MTS-ESP's filtered notes): a note on it does not
    /// start.
    Unplayed,
}

impl KeyTuning {
    /// The tuning for a frequency `hz` from outside: [`Outside`](Self::Outside) if it is one
    /// a key can play, else [`Own`](Self::Own). The one place outside frequencies are checked.
    pub fn outside(hz: f64) -> Self {
        if OUTSIDE_HZ.contains(&hz) {
            Self::Outside(hz)
        } else {
            Self::Own
        }
    }
}

/// Each key's tuning on each channel: [`KeyTuning::Own`] until set. Fixed size (boxed once when
/// the engine is made), so setting a key on the audio thread never allocates.
#[derive(Clone, Debug)]
pub struct OutsideTuning {
    keys: Box<[[KeyTuning; KEYS]; CHANNELS]>,
    /// How many entries are not [`KeyTuning::Own`]: while 0, nothing plays an outside tuning
    /// and forgetting it costs nothing.
    set: usize,
}

impl Default for OutsideTuning {
    fn default() -> Self {
        Self {
            keys: Box::new([[KeyTuning::Own; KEYS]; CHANNELS]),
            set: 0,
        }
    }
}

impl OutsideTuning {
    /// How `key` on `channel` is tuned (channels past 15 and keys past 127 share the last).
    pub fn get(&self, channel: Channel, key: u8) -> KeyTuning {
        self.keys[index(channel, CHANNELS)][index(key, KEYS)]
    }

    /// Tunes `key` on `channel`; whether that changed anything.
    pub fn set(&mut self, channel: Channel, key: u8, tuning: KeyTuning) -> bool {
        let entry = &mut self.keys[index(channel, CHANNELS)][index(key, KEYS)];
        if *entry == tuning {
            return false;
        }
        match (*entry == KeyTuning::Own, tuning == KeyTuning::Own) {
            (true, false) => self.set += 1,
            (false, true) => self.set -= 1,
            _ => {}
        }
        *entry = tuning;
        true
    }

    /// Whether any key is tuned from outside (or left out).
    pub fn is_set(&self) -> bool {
        self.set > 0
    }

    /// Every key back to [`KeyTuning::Own`].
    pub fn clear(&mut self) {
        if self.is_set() {
            *self.keys = [[KeyTuning::Own; KEYS]; CHANNELS];
            self.set = 0;
        }
    }
}

/// `value` as an index below `len`, the last for anything beyond.
fn index(value: u8, len: usize) -> usize {
    usize::from(value).min(len - 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_playable_frequencies_come_in_from_outside() {
        for hz in [
            f64::NAN,
            f64::INFINITY,
            f64::NEG_INFINITY,
            -440.0,
            0.0,
            0.5,
            1e6,
            1e300,
        ] {
            assert_eq!(KeyTuning::outside(hz), KeyTuning::Own, "{hz}");
        }
        for hz in [1.0, 8.175_798_915_643_707, 441.3, 100_000.0] {
            assert_eq!(KeyTuning::outside(hz), KeyTuning::Outside(hz), "{hz}");
        }
    }

    #[test]
    fn the_count_of_tuned_keys_follows_every_change() {
        let mut tuning = OutsideTuning::default();
        assert!(!tuning.is_set());
        assert!(tuning.set(3, 69, KeyTuning::Outside(441.0)));
        assert!(!tuning.set(3, 69, KeyTuning::Outside(441.0)));
        assert!(tuning.set(3, 69, KeyTuning::Unplayed));
        assert_eq!(tuning.get(3, 69), KeyTuning::Unplayed);
        assert_eq!(tuning.get(2, 69), KeyTuning::Own);
        assert!(tuning.is_set());
        assert!(tuning.set(3, 69, KeyTuning::Own));
        assert!(!tuning.is_set());
        tuning.set(15, 127, KeyTuning::Outside(12_000.0));
        tuning.clear();
        assert!(!tuning.is_set());
        assert_eq!(tuning.get(15, 127), KeyTuning::Own);
    }
}
