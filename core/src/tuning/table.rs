//! The key table: the frequency of every MIDI key under a tuning, worked out once, in f64,
//! when the tuning is loaded, so a note start only looks its key up.
//!
//! It is plain data of a fixed size (no heap inside), so the audio thread takes a new one by
//! copying it into the table it owns: no allocation, no lock.

use super::kbm::KeyboardMap;
use super::lines::{TuningError, TuningFile};
use super::scl::{MAX_DEGREES, Scale, degree_ratio};
use crate::engine::pitch::key_to_hz;

/// MIDI keys.
pub const KEY_COUNT: usize = 128;

/// Every key's frequency under one tuning (see the module documentation).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct KeyTable {
    /// 12-TET with A4 at 440 Hz: frequencies come from [`key_to_hz`] itself, to the bit.
    equal: bool,
    /// Each key's frequency in Hz; `None`: the map leaves the key silent.
    hz: [Option<f64>; KEY_COUNT],
    /// Each key's scale degree (0 for a silent key).
    degrees: [i64; KEY_COUNT],
    /// The scale's degrees 1 ..= `len` as ratios to 1/1 (the period last), for partials that
    /// sit on degrees relative to their note.
    ratios: [f64; MAX_DEGREES],
    len: usize,
}

impl Default for KeyTable {
    /// 12-TET, A4 at 440 Hz: every key plays exactly what [`key_to_hz`] says.
    fn default() -> Self {
        let mut ratios = [0.0; MAX_DEGREES];
        for (k, ratio) in ratios.iter_mut().take(12).enumerate() {
            *ratio = ((k + 1) as f64 / 12.0).exp2();
        }
        Self {
            equal: true,
            hz: std::array::from_fn(|key| Some(key_to_hz(key as u8, 0.0))),
            degrees: std::array::from_fn(|key| key as i64 - 60),
            ratios,
            len: 12,
        }
    }
}

impl KeyTable {
    /// The table of `scale` under `map` (Scala's default map, degree 0 on middle C at its
    /// 12-TET pitch, when there is none). Refused if the map's reference key is silent: no
    /// key then says where the scale lies.
    pub fn new(scale: &Scale, map: Option<&KeyboardMap>) -> Result<Self, TuningError> {
        let default_map = KeyboardMap::default();
        let map = map.unwrap_or(&default_map);
        let len = scale.len();
        let reference_degree = map.degree(map.reference_key, len).ok_or(TuningError {
            file: TuningFile::KeyboardMap,
            line: map.reference_line,
            reason: format!(
                "the reference key {} is silent (x) in the map: nothing says where the scale lies",
                map.reference_key
            ),
        })?;
        let degree_one = map.reference_hz / scale.ratio(reference_degree);
        let mut table = Self {
            equal: false,
            hz: [None; KEY_COUNT],
            degrees: [0; KEY_COUNT],
            ratios: [0.0; MAX_DEGREES],
            len,
        };
        table.ratios[..len].copy_from_slice(scale.ratios());
        for key in 0..KEY_COUNT as u8 {
            if let Some(degree) = map.degree(key, len).filter(|_| map.retunes(key)) {
                let hz = degree_one * scale.ratio(degree);
                if hz.is_finite() && hz > 0.0 {
                    table.hz[usize::from(key)] = Some(hz);
                    table.degrees[usize::from(key)] = degree;
                }
            }
        }
        Ok(table)
    }

    /// Whether this is the default, 12-TET with A4 at 440 Hz.
    pub fn is_equal_temperament(&self) -> bool {
        self.equal
    }

    /// Key `key`'s frequency in Hz moved by `semitones` (bend and tuning expression, in 12-TET
    /// semitones on top of the scale); `None` for a key the map leaves silent.
    pub fn hz(&self, key: u8, semitones: f64) -> Option<f64> {
        let key = key.min(KEY_COUNT as u8 - 1);
        if self.equal {
            Some(key_to_hz(key, semitones))
        } else if semitones == 0.0 {
            self.hz[usize::from(key)]
        } else {
            self.hz[usize::from(key)].map(|hz| hz * (semitones / 12.0).exp2())
        }
    }

    /// The frequency `steps` scale degrees above key `key` (below if negative), moved by
    /// `semitones` as [`hz`](Self::hz) moves the key; `None` for a silent key.
    pub fn degrees_above(&self, key: u8, steps: i64, semitones: f64) -> Option<f64> {
        if self.equal {
            return Some(key_to_hz(key, semitones + steps as f64));
        }
        let hz = self.hz(key, semitones)?;
        let degree = self.degrees[usize::from(key.min(KEY_COUNT as u8 - 1))];
        let ratios = &self.ratios[..self.len];
        Some(hz * (degree_ratio(ratios, degree + steps) / degree_ratio(ratios, degree)))
    }

    /// Key `key`'s scale degree, `None` for a silent key (12-TET counts from middle C).
    pub fn degree(&self, key: u8) -> Option<i64> {
        let key = usize::from(key.min(KEY_COUNT as u8 - 1));
        self.hz[key].map(|_| self.degrees[key])
    }

    /// How many degrees the scale has per period.
    pub fn degrees_per_period(&self) -> usize {
        self.len
    }
}

#[cfg(test)]
mod tests;
