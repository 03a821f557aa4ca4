//! A small deterministic random generator (xorshift64*) for fuzzing through the host: the same
//! seed gives the same events, so a failure names a reproducible case.

use crate::events::{HostEvent, MidiMessage, ParamChange};
use crate::notes::{NoteExpression, NoteMessage, PolyMod};
use clack_host::prelude::ClapId;

/// Deterministic pseudo-random numbers; never seed it with 0.
#[derive(Clone, Debug)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Self(seed.max(1))
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    /// Uniform in `[0, 1)`.
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// Uniform in `[low, high)`.
    pub fn range(&mut self, low: f64, high: f64) -> f64 {
        low + (high - low) * self.unit()
    }

    /// Uniform in `0..n`.
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }

    /// One of `items`.
    pub fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len())]
    }

    pub fn bytes(&mut self, len: usize) -> Vec<u8> {
        (0..len).map(|_| (self.next_u64() >> 56) as u8).collect()
    }
}

/// Normalized values no host should send but some do: out of range, extreme and non-finite.
pub const HOSTILE_VALUES: [f64; 14] = [
    f64::NAN,
    -f64::NAN,
    f64::INFINITY,
    f64::NEG_INFINITY,
    -1.0,
    -1e-300,
    -0.0,
    1.000_001,
    1.5,
    1e9,
    1e300,
    f64::MAX,
    f64::MIN,
    f64::MIN_POSITIVE,
];

/// One random MIDI event at `frame`: mostly what a keyboard sends (notes with any velocity, the
/// wheel, the control changes MIDI mode answers to, any other controller), sometimes anything at
/// all.
pub fn midi_message(rng: &mut Rng, frame: usize) -> HostEvent {
    let note = rng.below(128) as u8;
    match rng.below(10) {
        0..=2 => MidiMessage::note_on(frame, note, rng.below(128) as u8),
        3..=4 => MidiMessage::note_off(frame, note),
        5 => MidiMessage::pitch_bend(frame, rng.below(16_384) as u16),
        6 => MidiMessage::control_change(
            frame,
            rng.pick(&[
                MidiMessage::SUSTAIN_PEDAL,
                MidiMessage::ALL_SOUND_OFF,
                MidiMessage::RESET_ALL_CONTROLLERS,
                MidiMessage::ALL_NOTES_OFF,
            ]),
            rng.below(128) as u8,
        ),
        7 => MidiMessage::control_change(frame, rng.below(128) as u8, rng.below(128) as u8),
        _ => {
            // Byte soup: any status byte (system messages, other channels, data bytes where a
            // status belongs) with any data bytes.
            let bytes = rng.bytes(3);
            HostEvent::Midi(MidiMessage {
                frame,
                data: [bytes[0], bytes[1], bytes[2]],
            })
        }
    }
}

/// One random per-note event at `frame`, as a polyphonic or MPE host sends them: CLAP notes with
/// note ids on any channel (and chokes), MIDI notes and wheels on MPE member channels, tuning
/// and volume expressions and polyphonic modulation of one of `modulated` — addressed to notes
/// that may or may not be playing, with hostile values now and then.
pub fn note_event(rng: &mut Rng, frame: usize, modulated: &[ClapId]) -> HostEvent {
    // A few ids, keys and channels, so events often find the notes they address.
    let note_id = rng.below(24) as i32 - 1;
    let key = 36 + rng.below(48) as u8;
    let channel = rng.below(16) as u8;
    let value = |rng: &mut Rng, low: f64, high: f64| {
        if rng.below(8) == 0 {
            rng.pick(&HOSTILE_VALUES)
        } else {
            rng.range(low, high)
        }
    };
    match rng.below(9) {
        0..=1 => {
            let velocity = value(rng, 0.0, 1.0);
            NoteMessage::on_with(frame, key, velocity, note_id, channel)
        }
        2..=3 => NoteMessage::off_with(frame, key, note_id, channel),
        4 => NoteMessage::choke(frame, key, note_id, channel),
        5 => {
            let semitones = value(rng, -24.0, 24.0);
            NoteExpression::tuning(frame, note_id, channel.into(), key.into(), semitones)
        }
        6 => {
            let gain = value(rng, 0.0, 4.0);
            NoteExpression::volume(frame, note_id, channel.into(), key.into(), gain)
        }
        7 if !modulated.is_empty() => {
            let change = ParamChange {
                frame,
                param: rng.pick(modulated),
                normalized: value(rng, -1.0, 1.0),
            };
            PolyMod::voice(change, note_id, channel.into(), key.into())
        }
        _ => {
            // MPE: a note or a wheel on a member channel.
            let status = if rng.below(2) == 0 { 0x90 } else { 0xE0 };
            let bytes = rng.bytes(2);
            HostEvent::Midi(MidiMessage {
                frame,
                data: [status | channel, bytes[0] & 0x7F, bytes[1] & 0x7F],
            })
        }
    }
}
