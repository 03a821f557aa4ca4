//! Which voice slot a new note gets, and which note makes room when all voices play.

use super::voice::{Voice, VoiceState};

/// How many voices play a note (held, sustained or releasing); stolen ones fading out do not
/// count.
pub fn playing(voices: &[Voice]) -> usize {
    voices.iter().filter(|v| v.is_playing()).count()
}

/// The voice that makes room for a new note: the oldest released one (its key is up, it is
/// fading anyway), else the oldest note. `None` when no voice plays.
pub fn victim(voices: &[Voice]) -> Option<usize> {
    let oldest_in = |wanted: fn(&Voice) -> bool| {
        voices
            .iter()
            .enumerate()
            .filter(|(_, v)| wanted(v))
            .min_by_key(|(_, v)| v.age)
            .map(|(slot, _)| slot)
    };
    oldest_in(|v| v.state == VoiceState::Released).or_else(|| oldest_in(Voice::is_playing))
}

/// A silent slot for a new note, if there is one.
pub fn free_slot(voices: &[Voice]) -> Option<usize> {
    voices.iter().position(|v| v.state == VoiceState::Free)
}
