//! MIDI mode's monophonic voice: which note sounds (last-note priority over the held notes), how
//! loud, and where pitch bend puts it.

/// How far a full pitch-bend wheel moves the notes, in semitones either way.
pub const PITCH_BEND_RANGE_SEMITONES: f64 = 2.0;

/// Held notes remembered for last-note priority; a player never holds more than this many in a
/// monophonic line, and the oldest is forgotten first.
const MAX_HELD_NOTES: usize = 16;

/// The frequency of MIDI note `note` in equal temperament with A4 (note 69) at 440 Hz.
pub fn note_to_hz(note: u8) -> f64 {
    440.0 * 2f64.powf((f64::from(note) - 69.0) / 12.0)
}

/// A held note: its MIDI number and velocity (0 ..= 1).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct HeldNote {
    pub note: u8,
    pub velocity: f32,
}

/// The notes held, most recent last, and the pitch bend. Fixed size: never allocates.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct MonoVoice {
    held: [HeldNote; MAX_HELD_NOTES],
    held_count: usize,
    /// For each entry of `held`: the key was let go while the sustain pedal was down, so the
    /// note stays until the pedal comes up.
    sustained: [bool; MAX_HELD_NOTES],
    /// The sustain (damper) pedal, MIDI CC 64, is down.
    pedal_down: bool,
    /// Pitch bend in semitones.
    bend_semitones: f64,
}

impl Default for MonoVoice {
    fn default() -> Self {
        Self {
            held: [HeldNote {
                note: 0,
                velocity: 0.0,
            }; MAX_HELD_NOTES],
            held_count: 0,
            sustained: [false; MAX_HELD_NOTES],
            pedal_down: false,
            bend_semitones: 0.0,
        }
    }
}

impl MonoVoice {
    /// The note that sounds: the most recently pressed of those still held.
    pub fn current(&self) -> Option<HeldNote> {
        self.held[..self.held_count].last().copied()
    }

    /// Presses `note`; it becomes the current note.
    pub fn note_on(&mut self, note: u8, velocity: f32) {
        let velocity = playable_velocity(velocity);
        self.remove(note);
        if self.held_count == MAX_HELD_NOTES {
            self.held.copy_within(1.., 0);
            self.sustained.copy_within(1.., 0);
            self.held_count -= 1;
        }
        self.held[self.held_count] = HeldNote { note, velocity };
        self.sustained[self.held_count] = false;
        self.held_count += 1;
    }

    /// Releases `note`; if it was the current note, the previous held one sounds again. With the
    /// sustain pedal down the note stays until the pedal comes up.
    pub fn note_off(&mut self, note: u8) {
        if self.pedal_down {
            if let Some(at) = self.position(note) {
                self.sustained[at] = true;
            }
        } else {
            self.remove(note);
        }
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

    /// Back to rest (MIDI "reset all controllers"): pedal up, wheel centred.
    pub fn reset_controllers(&mut self) {
        self.sustain(false);
        self.bend_semitones = 0.0;
    }

    /// Forgets every held note, sustained ones too (pitch bend and the pedal stay).
    pub fn release_all(&mut self) {
        self.held_count = 0;
    }

    /// Sets the bend from a wheel position, 0 ..= 1 with 0.5 at rest.
    pub fn bend(&mut self, position: f32) {
        if position.is_finite() {
            let centered = f64::from(position.clamp(0.0, 1.0)) * 2.0 - 1.0;
            self.bend_semitones = centered * PITCH_BEND_RANGE_SEMITONES;
        }
    }

    /// The frequency `note` plays at with the current bend, in Hz.
    pub fn pitch_hz(&self, note: u8) -> f64 {
        note_to_hz(note) * 2f64.powf(self.bend_semitones / 12.0)
    }

    fn position(&self, note: u8) -> Option<usize> {
        self.held[..self.held_count]
            .iter()
            .position(|h| h.note == note)
    }

    fn remove(&mut self, note: u8) {
        if let Some(at) = self.position(note) {
            self.held.copy_within(at + 1..self.held_count, at);
            self.sustained.copy_within(at + 1..self.held_count, at);
            self.held_count -= 1;
        }
    }
}

/// The level (0 ..= 1) a note-on velocity plays at. A CLAP host's velocity is a float that can
/// hold anything: every value is clamped to 0 ..= 1, so 1e30 and +inf both play at full level and
/// anything at or below 0 is silent; NaN (no usable velocity) plays at full level, as hosts that
/// know no velocity send. One rule for every value, where the note enters the voice.
pub fn playable_velocity(velocity: f32) -> f32 {
    if velocity.is_nan() {
        1.0
    } else {
        velocity.clamp(0.0, 1.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_velocity_becomes_a_level_from_0_to_1() {
        for (velocity, level) in [
            (0.5, 0.5),
            (1.0, 1.0),
            (1e30, 1.0),
            (f32::INFINITY, 1.0),
            (f32::NAN, 1.0),
            (0.0, 0.0),
            (-1.0, 0.0),
            (f32::NEG_INFINITY, 0.0),
        ] {
            assert_eq!(playable_velocity(velocity), level, "{velocity}");
        }
    }

    #[test]
    fn a4_is_440_hz_and_an_octave_doubles() {
        assert_eq!(note_to_hz(69), 440.0);
        assert_eq!(note_to_hz(81), 880.0);
        assert!((note_to_hz(60) - 261.625_565).abs() < 1e-5);
    }

    #[test]
    fn the_last_note_pressed_sounds_and_releasing_it_returns_to_the_previous() {
        let mut voice = MonoVoice::default();
        voice.note_on(60, 0.5);
        voice.note_on(64, 0.7);
        voice.note_on(67, 1.0);
        assert_eq!(voice.current().map(|h| h.note), Some(67));
        voice.note_off(64);
        assert_eq!(voice.current().map(|h| h.note), Some(67));
        voice.note_off(67);
        assert_eq!(
            voice.current(),
            Some(HeldNote {
                note: 60,
                velocity: 0.5
            })
        );
        voice.note_off(60);
        assert_eq!(voice.current(), None);
    }

    #[test]
    fn pressing_a_held_note_again_makes_it_current_once() {
        let mut voice = MonoVoice::default();
        voice.note_on(60, 0.5);
        voice.note_on(62, 0.5);
        voice.note_on(60, 0.9);
        voice.note_off(60);
        assert_eq!(voice.current().map(|h| h.note), Some(62));
    }

    #[test]
    fn more_held_notes_than_remembered_forget_the_oldest() {
        let mut voice = MonoVoice::default();
        for note in 0..(MAX_HELD_NOTES as u8 + 4) {
            voice.note_on(note, 1.0);
        }
        for note in (4..(MAX_HELD_NOTES as u8 + 4)).rev() {
            assert_eq!(voice.current().map(|h| h.note), Some(note));
            voice.note_off(note);
        }
        assert_eq!(voice.current(), None);
    }

    #[test]
    fn a_full_bend_moves_two_semitones() {
        let mut voice = MonoVoice::default();
        voice.bend(1.0);
        assert!((voice.pitch_hz(69) - note_to_hz(71)).abs() < 1e-9);
        voice.bend(0.0);
        assert!((voice.pitch_hz(69) - note_to_hz(67)).abs() < 1e-9);
        voice.bend(0.5);
        assert_eq!(voice.pitch_hz(69), 440.0);
    }

    #[test]
    fn the_pedal_holds_released_notes_until_it_comes_up() {
        let mut voice = MonoVoice::default();
        voice.note_on(60, 0.5);
        voice.sustain(true);
        voice.note_off(60);
        assert_eq!(voice.current().map(|h| h.note), Some(60), "sustained");
        voice.note_on(64, 0.7);
        voice.note_off(64);
        assert_eq!(
            voice.current().map(|h| h.note),
            Some(64),
            "the newest sustained note"
        );
        voice.note_on(67, 1.0);
        voice.sustain(false);
        assert_eq!(
            voice.current().map(|h| h.note),
            Some(67),
            "its key is still down"
        );
        voice.note_off(67);
        assert_eq!(
            voice.current(),
            None,
            "60 and 64 went when the pedal came up"
        );
    }

    #[test]
    fn lifting_the_pedal_returns_to_the_latest_key_still_down() {
        let mut voice = MonoVoice::default();
        voice.note_on(60, 0.5);
        voice.sustain(true);
        voice.note_on(64, 0.7);
        voice.note_off(64);
        voice.sustain(false);
        assert_eq!(
            voice.current(),
            Some(HeldNote {
                note: 60,
                velocity: 0.5
            })
        );
        // Pressed again while sustained, a note is held by its key again.
        voice.sustain(true);
        voice.note_off(60);
        voice.note_on(60, 0.8);
        voice.sustain(false);
        assert_eq!(voice.current().map(|h| h.note), Some(60));
    }

    #[test]
    fn resetting_controllers_lifts_the_pedal_and_centres_the_wheel() {
        let mut voice = MonoVoice::default();
        voice.bend(1.0);
        voice.note_on(69, 1.0);
        voice.sustain(true);
        voice.note_off(69);
        voice.reset_controllers();
        assert_eq!(voice.current(), None);
        assert_eq!(voice.pitch_hz(69), 440.0);
    }
}
