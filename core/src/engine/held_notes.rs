//! The keys held in one-voice (monophonic) play: which note sounds (last-note priority), and the
//! notes the sustain pedal keeps after their keys went up.

use super::input::{NoteMatch, NoteRef};

/// Held notes remembered for last-note priority; a player never holds more than this many in a
/// monophonic line, and the oldest is forgotten first.
const MAX_HELD_NOTES: usize = 16;

/// A held note and its velocity (0 ..= 1).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct HeldNote {
    pub note: NoteRef,
    pub velocity: f32,
}

/// The notes held, most recent last. Fixed size: never allocates.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct HeldNotes {
    held: [HeldNote; MAX_HELD_NOTES],
    held_count: usize,
    /// For each entry of `held`: the key was let go while the sustain pedal was down, so the
    /// note stays until the pedal comes up.
    sustained: [bool; MAX_HELD_NOTES],
    /// The sustain (damper) pedal is down.
    pedal_down: bool,
}

impl Default for HeldNotes {
    fn default() -> Self {
        let nobody = HeldNote {
            note: NoteRef::without_id(0, 0),
            velocity: 0.0,
        };
        Self {
            held: [nobody; MAX_HELD_NOTES],
            held_count: 0,
            sustained: [false; MAX_HELD_NOTES],
            pedal_down: false,
        }
    }
}

impl HeldNotes {
    /// The note that sounds: the most recently pressed of those still held.
    pub fn current(&self) -> Option<HeldNote> {
        self.held[..self.held_count].last().copied()
    }

    /// Presses `note` (velocity already made playable); it becomes the current note.
    pub fn note_on(&mut self, note: NoteRef, velocity: f32) {
        self.remove(&NoteMatch::key(note.channel, note.key));
        if self.held_count == MAX_HELD_NOTES {
            self.held.copy_within(1.., 0);
            self.sustained.copy_within(1.., 0);
            self.held_count -= 1;
        }
        self.held[self.held_count] = HeldNote { note, velocity };
        self.sustained[self.held_count] = false;
        self.held_count += 1;
    }

    /// Releases the addressed notes; if the current note goes, the previous held one sounds
    /// again. With the sustain pedal down they stay until the pedal comes up.
    pub fn note_off(&mut self, target: &NoteMatch) {
        if self.pedal_down {
            for at in 0..self.held_count {
                if target.matches(&self.held[at].note) {
                    self.sustained[at] = true;
                }
            }
        } else {
            self.remove(target);
        }
    }

    /// Forgets the addressed notes now, pedal or not (a choke).
    pub fn forget(&mut self, target: &NoteMatch) {
        self.remove(target);
    }

    /// Presses (`true`) or lifts the sustain pedal. Lifting it releases every note whose key is
    /// already up; the latest note still held sounds, as if those keys had just been let go.
    pub fn sustain(&mut self, down: bool) {
        self.pedal_down = down;
        if !down {
            let mut kept = 0;
            for at in 0..self.held_count {
                if !self.sustained[at] {
                    self.held[kept] = self.held[at];
                    self.sustained[kept] = false;
                    kept += 1;
                }
            }
            self.held_count = kept;
        }
    }

    /// Forgets every held note, sustained ones too (the pedal stays where it is).
    pub fn release_all(&mut self) {
        self.held_count = 0;
    }

    fn remove(&mut self, target: &NoteMatch) {
        let mut kept = 0;
        for at in 0..self.held_count {
            if !target.matches(&self.held[at].note) {
                self.held[kept] = self.held[at];
                self.sustained[kept] = self.sustained[at];
                kept += 1;
            }
        }
        self.held_count = kept;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(key: u8) -> NoteRef {
        NoteRef::without_id(0, key)
    }

    fn off(notes: &mut HeldNotes, k: u8) {
        notes.note_off(&NoteMatch::key(0, k));
    }

    fn current_key(notes: &HeldNotes) -> Option<u8> {
        notes.current().map(|h| h.note.key)
    }

    #[test]
    fn the_last_note_pressed_sounds_and_releasing_it_returns_to_the_previous() {
        let mut notes = HeldNotes::default();
        notes.note_on(key(60), 0.5);
        notes.note_on(key(64), 0.7);
        notes.note_on(key(67), 1.0);
        assert_eq!(current_key(&notes), Some(67));
        off(&mut notes, 64);
        assert_eq!(current_key(&notes), Some(67));
        off(&mut notes, 67);
        assert_eq!(
            notes.current(),
            Some(HeldNote {
                note: key(60),
                velocity: 0.5
            })
        );
        off(&mut notes, 60);
        assert_eq!(notes.current(), None);
    }

    #[test]
    fn pressing_a_held_note_again_makes_it_current_once() {
        let mut notes = HeldNotes::default();
        notes.note_on(key(60), 0.5);
        notes.note_on(key(62), 0.5);
        notes.note_on(key(60), 0.9);
        off(&mut notes, 60);
        assert_eq!(current_key(&notes), Some(62));
    }

    #[test]
    fn the_same_key_on_two_channels_is_two_notes() {
        let mut notes = HeldNotes::default();
        notes.note_on(key(60), 0.5);
        notes.note_on(NoteRef::without_id(3, 60), 0.5);
        off(&mut notes, 60);
        assert_eq!(notes.current().map(|h| h.note.channel), Some(3));
    }

    #[test]
    fn more_held_notes_than_remembered_forget_the_oldest() {
        let mut notes = HeldNotes::default();
        for k in 0..(MAX_HELD_NOTES as u8 + 4) {
            notes.note_on(key(k), 1.0);
        }
        for k in (4..(MAX_HELD_NOTES as u8 + 4)).rev() {
            assert_eq!(current_key(&notes), Some(k));
            off(&mut notes, k);
        }
        assert_eq!(notes.current(), None);
    }

    #[test]
    fn the_pedal_holds_released_notes_until_it_comes_up() {
        let mut notes = HeldNotes::default();
        notes.note_on(key(60), 0.5);
        notes.sustain(true);
        off(&mut notes, 60);
        assert_eq!(current_key(&notes), Some(60), "sustained");
        notes.note_on(key(64), 0.7);
        off(&mut notes, 64);
        assert_eq!(current_key(&notes), Some(64), "the newest sustained note");
        notes.note_on(key(67), 1.0);
        notes.sustain(false);
        assert_eq!(current_key(&notes), Some(67), "its key is still down");
        off(&mut notes, 67);
        assert_eq!(
            notes.current(),
            None,
            "60 and 64 went when the pedal came up"
        );
    }

    #[test]
    fn lifting_the_pedal_returns_to_the_latest_key_still_down() {
        let mut notes = HeldNotes::default();
        notes.note_on(key(60), 0.5);
        notes.sustain(true);
        notes.note_on(key(64), 0.7);
        off(&mut notes, 64);
        notes.sustain(false);
        assert_eq!(current_key(&notes), Some(60));
        // Pressed again while sustained, a note is held by its key again.
        notes.sustain(true);
        off(&mut notes, 60);
        notes.note_on(key(60), 0.8);
        notes.sustain(false);
        assert_eq!(current_key(&notes), Some(60));
    }

    #[test]
    fn a_choke_forgets_a_note_even_under_the_pedal() {
        let mut notes = HeldNotes::default();
        notes.note_on(key(60), 0.5);
        notes.sustain(true);
        notes.forget(&NoteMatch::key(0, 60));
        assert_eq!(notes.current(), None);
    }
}
