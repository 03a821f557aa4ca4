//! What the engine reports it plays, for whoever draws it (the editor, through the tap): the
//! drone, or each sounding voice's key and partial frequencies. Plain fixed-size data, so the
//! audio thread fills it without allocating.

use crate::dsp::PARTIAL_COUNT;

/// Most voices a [`Playing`] describes: every voice slot of the engine (playing notes and
/// stolen ones fading out).
pub const MAX_SOUNDING: usize = 32;

/// One sounding voice as the editor draws it.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct SoundingVoice {
    /// The MIDI key it plays; `None` for the drone.
    pub key: Option<u8>,
    /// Its five partials' frequencies now, in Hz.
    pub frequencies_hz: [f32; PARTIAL_COUNT],
    /// Which partials are heard (not muted, level above silence).
    pub audible: [bool; PARTIAL_COUNT],
    /// When its note started, counted in notes: the newest voice has the largest (the drone 0).
    pub started: u64,
}

/// What Quintet plays at the end of a snapshot: the drone, or the voices sounding in MIDI mode.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Playing {
    /// MIDI mode is on: the voices are notes (possibly none).
    pub notes: bool,
    /// How many of `voices` sound.
    pub count: usize,
    pub voices: [SoundingVoice; MAX_SOUNDING],
}

impl Default for Playing {
    fn default() -> Self {
        Self {
            notes: false,
            count: 0,
            voices: [SoundingVoice::default(); MAX_SOUNDING],
        }
    }
}

impl Playing {
    /// The sounding voices.
    pub fn sounding(&self) -> &[SoundingVoice] {
        &self.voices[..self.count.min(MAX_SOUNDING)]
    }

    /// Forgets every voice (before describing them afresh).
    pub fn clear(&mut self, notes: bool) {
        self.notes = notes;
        self.count = 0;
    }

    /// Adds a sounding voice; voices past [`MAX_SOUNDING`] are left out.
    pub fn push(&mut self, voice: SoundingVoice) {
        if let Some(slot) = self.voices.get_mut(self.count) {
            *slot = voice;
            self.count += 1;
        }
    }
}
