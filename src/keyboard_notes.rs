//! What the editor plays (its on-screen keys and wheels, the computer keyboard), handed to the
//! audio thread: a bounded lock-free queue, filled on the GUI thread and emptied at the start
//! of each `process` call, so the standalone can be played without a MIDI controller.
//!
//! nice-plug gives an editor no way to send note events, so Quintet carries them itself. The
//! audio thread turns each into the [`NoteInput`] a MIDI keyboard on channel 1 would send
//! ([`KeyboardEvent::note_input`]), so the engine cannot tell the editor from a controller.

use crate::engine::{NoteInput, NoteMatch, NoteRef};
use crate::params::News;
use crossbeam_queue::ArrayQueue;
use std::sync::Arc;

/// Events that can wait for the audio thread: far more than hands play between two blocks.
const CAPACITY: usize = 256;
/// MIDI's modulation wheel controller: it brings in the engine's vibrato (the "Wheel vibrato"
/// parameter).
pub use quintet_core::engine::MOD_WHEEL_CC;

/// One thing the editor's keyboard did.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum KeyboardEvent {
    /// A key pressed (`velocity` above 0) or released (`velocity` 0).
    Note {
        /// MIDI key, 0 ..= 127.
        key: u8,
        /// 0 ..= 1; 0 releases the key.
        velocity: f32,
    },
    /// The pitch wheel moved: -1 ..= 1, 0 at rest; ±1 bends by the bend range.
    PitchBend {
        /// -1 (all the way down) ..= 1 (all the way up).
        bend: f32,
    },
    /// The mod wheel (MIDI CC1) moved: 0 ..= 1.
    ModWheel {
        /// 0 (down) ..= 1 (up).
        value: f32,
    },
}

impl KeyboardEvent {
    /// What a MIDI keyboard on channel 1 sends for this: a note on or off, the channel's pitch
    /// bend (the position the engine takes from a MIDI wheel: 0.5 at rest, 0 and 1 at the
    /// ends), or controller 1.
    pub fn note_input(self) -> NoteInput {
        match self {
            Self::Note { key, velocity } if velocity > 0.0 => NoteInput::NoteOn {
                note: NoteRef::without_id(0, key.min(127)),
                velocity,
            },
            Self::Note { key, .. } => NoteInput::NoteOff {
                target: NoteMatch::key(0, key.min(127)),
            },
            Self::PitchBend { bend } => NoteInput::PitchBend {
                channel: 0,
                position: 0.5 + 0.5 * bend.clamp(-1.0, 1.0),
            },
            Self::ModWheel { value } => NoteInput::ControlChange {
                channel: 0,
                controller: MOD_WHEEL_CC,
                value: value.clamp(0.0, 1.0),
            },
        }
    }
}

/// The editor's end.
#[derive(Clone)]
pub struct KeyboardSender {
    queue: Arc<ArrayQueue<KeyboardEvent>>,
    /// Raised after each event is queued.
    news: Arc<News>,
}

/// The audio thread's end.
pub struct KeyboardReceiver(Arc<ArrayQueue<KeyboardEvent>>);

/// A connected sender and receiver; each event sent raises `news` (the plugin's
/// `QuintetParams::news`). Allocates: call it off the audio thread.
pub fn keyboard_notes(news: &Arc<News>) -> (KeyboardSender, KeyboardReceiver) {
    let queue = Arc::new(ArrayQueue::new(CAPACITY));
    let sender = KeyboardSender {
        queue: queue.clone(),
        news: Arc::clone(news),
    };
    (sender, KeyboardReceiver(queue))
}

impl KeyboardSender {
    /// Queues an event; returns `false` if the queue is full (the audio thread is not
    /// running), when the event is dropped.
    pub fn send(&self, event: KeyboardEvent) -> bool {
        let queued = self.queue.push(event).is_ok();
        self.news.raise();
        queued
    }
}

impl KeyboardReceiver {
    /// The next queued event, if any. Lock-free and allocation-free. The audio thread asks at
    /// every block, and nearly always finds none: comparing the queue's two ends first costs
    /// a few instructions where an empty `pop` cost 36 (at 1-sample blocks, half of what one
    /// partial's sample costs). An event queued meanwhile comes at the next block.
    #[inline]
    pub fn next(&self) -> Option<KeyboardEvent> {
        if self.0.is_empty() {
            return None;
        }
        self.0.pop()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::pitch::wheel_position;

    #[test]
    fn events_arrive_in_order_and_a_full_queue_refuses_more() {
        let (sender, receiver) = keyboard_notes(&Arc::default());
        let key = |n: usize| (n % 128) as u8;
        for n in 0..CAPACITY {
            assert!(sender.send(KeyboardEvent::Note {
                key: key(n),
                velocity: 1.0
            }));
        }
        assert!(!sender.send(KeyboardEvent::PitchBend { bend: 0.0 }));
        for n in 0..CAPACITY {
            let next = receiver.next();
            assert!(
                matches!(next, Some(KeyboardEvent::Note { key: k, .. }) if k == key(n)),
                "{next:?}"
            );
        }
        assert_eq!(receiver.next(), None);
    }

    /// The wheel's rest and ends reach the engine exactly where a MIDI wheel on channel 1 puts
    /// them (14-bit 0, 8192 and 16383), so the on-screen wheel bends as a controller's does.
    #[test]
    fn the_wheels_reach_the_engine_as_channel_1_bend_and_cc1() {
        for (bend, midi) in [(-1.0, 0), (0.0, 8192), (1.0, 16383)] {
            assert_eq!(
                KeyboardEvent::PitchBend { bend }.note_input(),
                NoteInput::PitchBend {
                    channel: 0,
                    position: wheel_position(midi)
                },
                "{bend}"
            );
        }
        assert_eq!(
            KeyboardEvent::PitchBend { bend: 7.0 }.note_input(),
            KeyboardEvent::PitchBend { bend: 1.0 }.note_input()
        );
        assert_eq!(
            KeyboardEvent::ModWheel { value: 0.5 }.note_input(),
            NoteInput::ControlChange {
                channel: 0,
                controller: 1,
                value: 0.5
            }
        );
        assert_eq!(
            KeyboardEvent::Note {
                key: 60,
                velocity: 0.0
            }
            .note_input(),
            NoteInput::NoteOff {
                target: NoteMatch::key(0, 60)
            }
        );
    }
}
