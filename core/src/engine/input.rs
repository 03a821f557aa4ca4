//! What the engine is told while it plays: notes, controllers and per-note expressions, in plain
//! values. The plugin glue translates the framework's events into these; the MIDI-file renderer
//! and the tests build them directly.

/// A MIDI channel, 0-based (MIDI's channel 1 is 0). With MPE on (the lower zone) channel 0 is
/// the master channel and 1 ..= 15 are the member channels, one note each.
pub type Channel = u8;

/// A note as a note-on names it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NoteRef {
    /// The host's id for this note (CLAP's `note_id`), when it gave one: later expressions,
    /// modulation and the note-off may address the note by it.
    pub id: Option<i32>,
    pub channel: Channel,
    /// MIDI key, 0 ..= 127 (60 is middle C).
    pub key: u8,
}

impl NoteRef {
    /// A note the host gave no id (MIDI, the editor's keyboard, a MIDI file): addressed by
    /// `channel` and `key` alone.
    pub const fn without_id(channel: Channel, key: u8) -> Self {
        Self {
            id: None,
            channel,
            key,
        }
    }
}

/// Which sounding notes an event addresses. `None` fields are wildcards: CLAP lets a host address
/// a note by id, or by channel and key, or any mix; an empty match addresses every note.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct NoteMatch {
    pub id: Option<i32>,
    pub channel: Option<Channel>,
    pub key: Option<u8>,
}

impl NoteMatch {
    /// Every note.
    pub const ALL: Self = Self {
        id: None,
        channel: None,
        key: None,
    };

    /// The note on `channel` with `key`, whatever its id.
    pub fn key(channel: Channel, key: u8) -> Self {
        Self {
            id: None,
            channel: Some(channel),
            key: Some(key),
        }
    }

    /// Whether `note` is one of the notes addressed. An id, when given, decides alone (CLAP: a
    /// note id identifies one note); otherwise channel and key must match where given.
    pub fn matches(&self, note: &NoteRef) -> bool {
        match self.id {
            Some(id) => note.id == Some(id),
            None => {
                self.channel.is_none_or(|c| c == note.channel)
                    && self.key.is_none_or(|k| k == note.key)
            }
        }
    }
}

/// One event for the engine, applied at the sample it is handed over.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum NoteInput {
    /// A key pressed. `velocity` is 0 ..= 1 (anything else is clamped, NaN plays at full level).
    NoteOn { note: NoteRef, velocity: f32 },
    /// The addressed notes' keys let go: they release (or wait for the sustain pedal).
    NoteOff { target: NoteMatch },
    /// The addressed notes stop now (a fast fade, never a click), pedal or not.
    Choke { target: NoteMatch },
    /// The pitch wheel of `channel`: `position` 0 ..= 1 with 0.5 at rest. It bends the notes
    /// played on `channel`; with MPE on, channel 0's (the master channel's) bends every note
    /// (see [`super::wheels`]).
    PitchBend { channel: Channel, position: f32 },
    /// MIDI control change `controller` (0 ..= 127) with `value` 0 ..= 1: the sustain pedal
    /// (64), all sound off (120), reset all controllers (121) and all notes off (123) act;
    /// other controllers are ignored.
    ControlChange {
        channel: Channel,
        controller: u8,
        value: f32,
    },
    /// CLAP tuning expression: the addressed notes are retuned by `semitones` (relative to the
    /// note's key and bend).
    Tuning { target: NoteMatch, semitones: f32 },
    /// CLAP volume expression: the addressed notes play at `gain` (linear, 1 = unchanged).
    Volume { target: NoteMatch, gain: f32 },
    /// CLAP pan expression: the addressed notes move by `pan` (−1 = hard left … +1 = hard
    /// right, 0 = where the partials' pans put them) on top of each partial's pan.
    Pan { target: NoteMatch, pan: f32 },
    /// MIDI channel pressure (aftertouch), 0 ..= 1, on `channel`: it moves the level and the
    /// brightness of the notes played there by the pressure routes (with MPE on, channel 0's
    /// moves every note).
    ChannelPressure { channel: Channel, pressure: f32 },
    /// A per-note expression of the addressed notes (polyphonic aftertouch, CLAP's note
    /// expressions): see [`Expression`].
    Expression {
        target: NoteMatch,
        kind: Expression,
        value: f32,
    },
}

/// A value one note carries besides its key and velocity (see [`super::movement`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Expression {
    /// Pressure, 0 ..= 1: polyphonic aftertouch, CLAP's pressure expression. As channel
    /// pressure, for its note alone.
    Pressure,
    /// CLAP's vibrato expression, 0 ..= 1: vibrato added to the note as a mod wheel at that
    /// position would.
    Vibrato,
    /// CLAP's brightness expression, 0 ..= 1 (0.5 at rest): as MPE's timbre (CC74), for its
    /// note alone.
    Brightness,
    /// CLAP's expression expression, 0 ..= 1: a level factor for its note (1 at rest).
    Expression,
}
