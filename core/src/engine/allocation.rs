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

/// The slot a new note takes: a free one, else the stolen voice nearest silence, which the
/// caller cuts short (the oldest of the quietest). A note stolen in the instant it started has
/// not made a sound yet (its attack starts from 0), so in a burst of notes at one instant the
/// slot taken is always silent and nothing clicks; only more steals within a fade-out time than
/// there are slots cut a voice that still sounds, the quietest one, near the end of its fade.
///
/// `None` only when every slot plays a note, which the engine never lets happen: it holds twice
/// as many slots as voices and steals before it starts a note.
pub fn slot_for_new_note(voices: &[Voice]) -> Option<usize> {
    let free = voices.iter().position(|v| v.state == VoiceState::Free);
    free.or_else(|| {
        voices
            .iter()
            .enumerate()
            .filter(|(_, v)| v.state == VoiceState::Stolen)
            .min_by(|(_, a), (_, b)| {
                a.loudness()
                    .total_cmp(&b.loudness())
                    .then(a.age.cmp(&b.age))
            })
            .map(|(slot, _)| slot)
    })
}
