//! The tuning an instance plays by, from the files a person names to the audio thread.
//!
//! - [`files`] reads a `.scl` (and `.kbm`) with a size cap enforced while reading, refusing
//!   FIFOs and devices without blocking ([`crate::file_read`]), into a [`Tuning`].
//! - [`TuningShare`] holds the loaded tuning for the editor, the state and presets, and hands
//!   its key table to the audio thread through a triple buffer: the audio thread takes a new
//!   table without allocating, locking or blocking ([`TuningReceiver`]).
//! - [`saved`] is the tuning as the plugin state and preset files store it: the name and the
//!   files' text, so a project reopens in tune without the files.

pub mod files;
pub mod saved;

pub use quintet_core::tuning::{KeyTable, Tuning, TuningError};

use crate::params::News;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use triple_buffer::{Input, Output, triple_buffer};

/// The loaded tuning, shared by the threads that are not the audio thread (the editor, the
/// host's main thread saving or loading a state), and the sending end of its key table.
pub struct TuningShare {
    /// The tuning in force (the editor shows it, a state save stores it).
    loaded: Mutex<Arc<Tuning>>,
    /// Sends each new key table to the audio thread.
    to_audio: Mutex<Input<KeyTable>>,
    /// The receiving end until the plugin takes it ([`take_receiver`](Self::take_receiver)).
    receiver: Mutex<Option<TuningReceiver>>,
    /// Counts the tunings set, so the editor sees a change in one load.
    revision: AtomicU64,
    /// Raised after each new key table is sent.
    news: Arc<News>,
}

impl TuningShare {
    /// 12-TET, A4 at 440 Hz; each tuning set raises `news`.
    pub fn new(news: &Arc<News>) -> Self {
        let (input, output) = triple_buffer(&KeyTable::default());
        Self {
            loaded: Mutex::new(Arc::new(Tuning::default())),
            to_audio: Mutex::new(input),
            receiver: Mutex::new(Some(TuningReceiver { output })),
            revision: AtomicU64::new(0),
            news: Arc::clone(news),
        }
    }

    /// Plays `tuning` from the audio thread's next block on (held notes glide to it). Never
    /// call it on the audio thread: it allocates and locks.
    pub fn set(&self, tuning: Tuning) {
        {
            let mut to_audio = self.to_audio.lock().unwrap_or_else(PoisonError::into_inner);
            *to_audio.input_buffer_mut() = *tuning.table();
            to_audio.publish();
        }
        self.news.raise();
        *self.loaded.lock().unwrap_or_else(PoisonError::into_inner) = Arc::new(tuning);
        self.revision.fetch_add(1, Ordering::AcqRel);
    }

    /// The tuning in force.
    pub fn get(&self) -> Arc<Tuning> {
        self.loaded
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// Changes each time a tuning is set.
    pub fn revision(&self) -> u64 {
        self.revision.load(Ordering::Acquire)
    }

    /// The audio thread's end, once (the plugin takes it when it is made).
    pub fn take_receiver(&self) -> Option<TuningReceiver> {
        self.receiver
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take()
    }
}

/// The audio thread's end of a [`TuningShare`].
pub struct TuningReceiver {
    output: Output<KeyTable>,
}

impl TuningReceiver {
    /// The newest key table if one was set since the last call: wait-free, no allocation (a
    /// triple buffer's swap), so the audio thread may call it every block.
    pub fn new_table(&mut self) -> Option<&KeyTable> {
        self.output.update().then(|| self.output.output_buffer())
    }

    /// The newest key table, set since the last call or not.
    pub fn table(&mut self) -> &KeyTable {
        self.output.read()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tuning_set_reaches_the_audio_end_once() {
        let share = TuningShare::new(&Arc::default());
        let mut receiver = share.take_receiver().expect("the receiver");
        assert!(share.take_receiver().is_none(), "taken once");
        assert!(receiver.new_table().is_none());
        let tuning = Tuning::from_files("edo", b"5-EDO\n1\n240.0\n", None).unwrap();
        let revision = share.revision();
        share.set(tuning.clone());
        assert_ne!(share.revision(), revision);
        assert_eq!(receiver.new_table(), Some(tuning.table()));
        assert!(receiver.new_table().is_none());
        assert_eq!(share.get().name(), "edo");
    }
}
