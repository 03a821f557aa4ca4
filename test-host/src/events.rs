//! What a host sends into the plugin's `process`: parameter values and modulation as an
//! automation lane or a modulator sends them, and MIDI messages from a keyboard. CLAP's per-note
//! events (notes, note expressions, polyphonic modulation) are in [`crate::notes`].
//!
//! Parameter values and modulation offsets here are normalized, 0..1 across the parameter's
//! range, for every kind of parameter: the one unit the tests speak. They are not always what
//! goes over CLAP: nice-plug exposes a stepped parameter (an `IntParam`, an `EnumParam`) in steps,
//! 0..=step count, so the host converts each value with the parameter's CLAP range as it sends it
//! (see [`crate::units`]).

use crate::notes::{NoteExpression, NoteMessage, PolyMod};
use clack_host::prelude::ClapId;

/// A parameter change sent to the plugin as a CLAP `param_value` event.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ParamChange {
    /// Sample offset counted from the start of the render call that sends it.
    pub frame: usize,
    pub param: ClapId,
    /// The new value, normalized: 0..1 across the parameter's range, whatever its kind (the host
    /// scales it to the parameter's CLAP range when it sends it). Values outside 0..1 and
    /// non-finite ones are sent as such, scaled the same way. For modulation, an offset in the
    /// same units.
    pub normalized: f64,
}

/// An event a host sends to the plugin's `process`: a parameter change as the automation lane or
/// the host's GUI sends it, or a CLAP modulation (an offset in normalized units, added to the
/// parameter's normalized value until the next modulation event replaces it; sent as the same
/// distance in the parameter's CLAP units), a MIDI message from a
/// keyboard, or one of CLAP's per-note events.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum HostEvent {
    Value(ParamChange),
    Mod(ParamChange),
    Midi(MidiMessage),
    /// A CLAP note event (what CLAP hosts send instead of MIDI): its velocity is an `f64` that
    /// may hold anything a host puts there.
    Note(NoteMessage),
    /// A CLAP note expression for one voice (or every voice it matches).
    Expression(NoteExpression),
    /// CLAP modulation of one voice's value of a parameter.
    PolyMod(PolyMod),
}

impl HostEvent {
    /// The frame the event happens at, counted from the start of the render.
    pub fn frame(&self) -> usize {
        match self {
            HostEvent::Value(change) | HostEvent::Mod(change) => change.frame,
            HostEvent::Midi(message) => message.frame,
            HostEvent::Note(note) => note.frame,
            HostEvent::Expression(expression) => expression.frame,
            HostEvent::PolyMod(modulation) => modulation.change.frame,
        }
    }
}

/// A MIDI 1.0 message sent to the plugin's note port as a CLAP `midi` event.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct MidiMessage {
    /// Sample offset counted from the start of the render call that sends it.
    pub frame: usize,
    /// Status byte and two data bytes.
    pub data: [u8; 3],
}

impl MidiMessage {
    /// Control change numbers from the MIDI 1.0 specification (kept here, apart from the
    /// plugin's own, so a wrong number in the plugin fails the tests).
    /// The sustain (damper) pedal: down at 64 and above.
    pub const SUSTAIN_PEDAL: u8 = 64;
    /// The modulation wheel: it brings in vibrato.
    pub const MODULATION_WHEEL: u8 = 1;
    /// Channel mode messages.
    pub const ALL_SOUND_OFF: u8 = 120;
    pub const RESET_ALL_CONTROLLERS: u8 = 121;
    pub const ALL_NOTES_OFF: u8 = 123;

    /// Note on, channel 1, velocity 1..=127.
    pub fn note_on(frame: usize, note: u8, velocity: u8) -> HostEvent {
        HostEvent::Midi(Self {
            frame,
            data: [0x90, note, velocity],
        })
    }

    /// Note off, channel 1.
    pub fn note_off(frame: usize, note: u8) -> HostEvent {
        HostEvent::Midi(Self {
            frame,
            data: [0x80, note, 0],
        })
    }

    /// Control change `controller`, channel 1, `value` 0..=127.
    pub fn control_change(frame: usize, controller: u8, value: u8) -> HostEvent {
        HostEvent::Midi(Self {
            frame,
            data: [0xB0, controller & 0x7F, value & 0x7F],
        })
    }

    /// Pitch bend, channel 1: `value` 0..=16383, 8192 at rest.
    pub fn pitch_bend(frame: usize, value: u16) -> HostEvent {
        HostEvent::Midi(Self {
            frame,
            data: [0xE0, (value & 0x7F) as u8, (value >> 7) as u8],
        })
    }
}
