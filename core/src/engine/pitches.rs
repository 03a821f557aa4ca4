//! Where every note's pitch comes from: the key table (12-TET, or a Scala scale and keyboard
//! map: [`crate::tuning`]), over it a tuning from outside (an MTS-ESP master), and the partials
//! on the scale's degrees. [`Engine::key_hz`] and [`Engine::degree_hz`] are the one place a
//! tuning from outside takes over from the key table; a new tuning glides the sounding notes.

use super::outside_tuning::KeyTuning;
use super::{Channel, Engine, NoteRef, ScalePartials, VOICE_SLOTS};
use crate::dsp::PARTIAL_COUNT;
use crate::tuning::KeyTable;

impl Engine {
    /// Plays by `table` from now on (a Scala scale and keyboard map, or 12-TET): it is copied
    /// into the table the engine owns (no allocation). Sounding notes glide to their new
    /// frequencies over [`GLIDE_MS`], phases running on, as a bend moves them; a note whose
    /// key the new table leaves silent fades out.
    pub fn set_key_table(&mut self, table: &KeyTable) {
        if *table != *self.keys {
            *self.keys = *table;
            self.retune_all(|_| true);
        }
    }

    /// The key table notes play by.
    pub fn key_table(&self) -> &KeyTable {
        &self.keys
    }

    /// Partials on the scale's degrees or at their ratios: the sounding notes glide there.
    pub fn set_scale_partials(&mut self, scale_partials: ScalePartials) {
        if scale_partials != self.settings.scale_partials {
            self.settings.scale_partials = scale_partials;
            self.retune_all(|_| true);
        }
    }

    /// Tunes `key` on `channel` from outside (an MTS-ESP master): notes that start on it play
    /// `tuning`, and notes sounding on it glide there as a bend does. The glue calls this just
    /// before each note-on while an outside tuning is connected.
    pub fn tune_key(&mut self, channel: Channel, key: u8, tuning: KeyTuning) {
        if self.outside.set(channel, key, tuning) {
            self.retune_all(|note| note.channel == channel && note.key == key);
        }
    }

    /// Asks `frequency_hz` for the outside tuning of the key of every sounding note (in Hz;
    /// `None` for Quintet's own, as is a frequency [`KeyTuning::outside`] refuses) and glides
    /// the notes whose key it retunes. Only the sounding notes' keys are asked, and nothing at
    /// all while no voice sounds: cheap enough for every block.
    pub fn follow_outside_tuning(
        &mut self,
        mut frequency_hz: impl FnMut(Channel, u8) -> Option<f64>,
    ) {
        if !self.voices_may_sound {
            return;
        }
        for slot in 0..VOICE_SLOTS {
            let voice = &self.voices[slot];
            if voice.is_sounding() {
                let NoteRef { channel, key, .. } = voice.note;
                let tuning = frequency_hz(channel, key).map_or(KeyTuning::Own, KeyTuning::outside);
                self.tune_key(channel, key, tuning);
            }
        }
    }

    /// Every key back to Quintet's own tuning (the outside tuning went away): the notes
    /// sounding glide back as a bend does.
    pub fn forget_outside_tuning(&mut self) {
        if self.outside.is_set() {
            self.outside.clear();
            self.retune_all(|_| true);
        }
    }

    /// Whether any key is tuned from outside.
    pub fn follows_outside_tuning(&self) -> bool {
        self.outside.is_set()
    }

    /// The frequency `note`'s key plays moved by `semitones` (bend and tuning expression, in
    /// 12-TET semitones on top of the tuning), in Hz; `None` for a key the tuning leaves silent.
    /// A key tuned from outside plays the outside frequency (exactly, with `semitones` 0), or
    /// nothing if the outside tuning leaves it out.
    pub(super) fn key_hz(&self, note: NoteRef, semitones: f64) -> Option<f64> {
        match self.outside.get(note.channel, note.key) {
            KeyTuning::Own => self.keys.hz(note.key, semitones),
            KeyTuning::Outside(hz) => Some(hz * (semitones / 12.0).exp2()),
            KeyTuning::Unplayed => None,
        }
    }

    /// The frequency `degrees` scale degrees from `note`'s key, moved by `semitones` as
    /// [`key_hz`](Self::key_hz) moves the key; `None` for a key the tuning leaves silent.
    pub(super) fn degree_hz(&self, note: NoteRef, degrees: i32, semitones: f64) -> Option<f64> {
        self.keys
            .degrees_above(note.key, i64::from(degrees), semitones)
    }

    /// The five partials of `note`: partial 1 on its pitch (bent and tuned), the others at the
    /// frequency settings' ratios to partial 1, or each on its scale degree with Partials on
    /// scale; `None` for a key the tuning leaves silent.
    pub(super) fn partials_for(
        &self,
        note: NoteRef,
        tuning_semitones: f64,
    ) -> Option<[f64; PARTIAL_COUNT]> {
        let range = self.settings.bend_range_semitones;
        let semitones = self.wheels.bend_of(note.channel) * range + tuning_semitones;
        let pitch_hz = self.key_hz(note, semitones)?;
        let on_scale = self.settings.scale_partials;
        // Scale degrees are the key table's: a key tuned from outside (MTS-ESP gives keys,
        // not degrees) keeps the partials' ratios.
        let from_outside = self.outside.get(note.channel, note.key) != KeyTuning::Own;
        if on_scale.on && !from_outside {
            let mut partials = [pitch_hz; PARTIAL_COUNT];
            for (hz, degrees) in partials.iter_mut().zip(on_scale.degrees) {
                *hz = self.degree_hz(note, degrees, semitones)?;
            }
            return Some(partials);
        }
        let frequencies = self.settings.frequencies_hz;
        Some(std::array::from_fn(|k| {
            if k == 0 || frequencies[0] <= 0.0 {
                pitch_hz
            } else {
                pitch_hz * (frequencies[k] / frequencies[0])
            }
        }))
    }
}
