//! Notes played in the editor (its on-screen keys, the computer keyboard), handed to the audio
//! thread: a bounded lock-free queue, filled on the GUI thread and emptied at the start of each
//! `process` call, so the standalone can be played without a MIDI controller.
//!
//! nice-plug gives an editor no way to send note events, so Quintet carries them itself.

use crossbeam_queue::ArrayQueue;
use std::sync::Arc;

/// Notes that can wait for the audio thread: far more than hands play between two blocks.
const CAPACITY: usize = 256;

/// A key pressed (`velocity` above 0) or released (`velocity` 0).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct KeyboardNote {
    /// MIDI key, 0 ..= 127.
    pub key: u8,
    /// 0 ..= 1; 0 releases the key.
    pub velocity: f32,
}

/// The editor's end.
#[derive(Clone)]
pub struct KeyboardSender(Arc<ArrayQueue<KeyboardNote>>);

/// The audio thread's end.
pub struct KeyboardReceiver(Arc<ArrayQueue<KeyboardNote>>);

/// A connected sender and receiver. Allocates: call it off the audio thread.
pub fn keyboard_notes() -> (KeyboardSender, KeyboardReceiver) {
    let queue = Arc::new(ArrayQueue::new(CAPACITY));
    (KeyboardSender(queue.clone()), KeyboardReceiver(queue))
}

impl KeyboardSender {
    /// Queues a note; returns `false` if the queue is full (the audio thread is not running),
    /// when the note is dropped.
    pub fn send(&self, note: KeyboardNote) -> bool {
        self.0.push(note).is_ok()
    }
}

impl KeyboardReceiver {
    /// The next queued note, if any. Lock-free and allocation-free. The audio thread asks at
    /// every block, and nearly always finds none: comparing the queue's two ends first costs
    /// a few instructions where an empty `pop` cost 36 (at 1-sample blocks, half of what one
    /// partial's sample costs). A note queued meanwhile comes at the next block.
    pub fn next(&self) -> Option<KeyboardNote> {
        if self.0.is_empty() {
            return None;
        }
        self.0.pop()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notes_arrive_in_order_and_a_full_queue_refuses_more() {
        let (sender, receiver) = keyboard_notes();
        let key = |n: usize| (n % 128) as u8;
        for n in 0..CAPACITY {
            assert!(sender.send(KeyboardNote {
                key: key(n),
                velocity: 1.0
            }));
        }
        assert!(!sender.send(KeyboardNote {
            key: 0,
            velocity: 0.0
        }));
        for n in 0..CAPACITY {
            assert_eq!(receiver.next().map(|note| note.key), Some(key(n)));
        }
        assert_eq!(receiver.next(), None);
    }
}
