//! A small deterministic random generator (xorshift64*) for fuzzing through the host: the same
//! seed gives the same events, so a failure names a reproducible case.

use crate::events::{HostEvent, MidiMessage};

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
