//! One flag that every source of change outside the audio thread raises, so a block in which
//! nothing changed learns it in one load.
//!
//! At 1-sample blocks (and every block the framework splits at an automation event) the
//! plugin looked at each source every block: the changed parameters' words, the loads'
//! count, the tuning's triple buffer, the editor keyboard's queue, the voice capacity it last
//! reported. Each setter raises this flag after it stored its change: a parameter's value
//! (host automation, an editor gesture, a state or preset load: `ChangedParams::mark`), a
//! load's marks (`Loads::announce`), a tuning (`TuningShare::set`), a note from the editor's
//! keyboard (`KeyboardSender::send`). The audio thread [takes](News::take) it before it reads
//! any of them and looks at them only when it was raised.

use std::sync::atomic::{AtomicBool, Ordering};

/// Raised by whoever changes something the audio thread reads; taken by the audio thread.
#[derive(Debug, Default)]
pub struct News(AtomicBool);

impl News {
    /// Tells the audio thread that something changed; call it after storing the change. A
    /// plain store: setting a parameter costs no second read-modify-write.
    pub fn raise(&self) {
        self.0.store(true, Ordering::Release);
    }

    /// Whether anything was raised since the last call, lowering the flag. Take it *before*
    /// reading what changed: a change stored meanwhile raises it again, so it is seen one
    /// block later at worst.
    #[inline]
    pub fn take(&self) -> bool {
        // A plain load first: the usual block (no news) costs no read-modify-write. Acquire
        // pairs with `raise`'s Release: what was stored before is seen.
        self.0.load(Ordering::Relaxed) && self.0.swap(false, Ordering::Acquire)
    }
}

#[cfg(test)]
mod tests {
    use crate::keyboard_notes::{KeyboardEvent, keyboard_notes};
    use crate::params::QuintetParams;
    use crate::tuning::Tuning;
    use nice_plug::prelude::Params;

    /// Every kind of change the audio thread reads raises the news it waits for; a setter
    /// that did not would go unheard in every block without other news.
    #[test]
    fn every_source_of_change_raises_the_news() {
        let params = QuintetParams::default();
        let news = &params.news;
        assert!(!news.take(), "nothing changed yet");
        for (id, param, _group) in params.param_map() {
            // SAFETY: `param` points into `params`, alive for the whole loop and seen by no
            // other thread.
            let default = unsafe { param.default_normalized_value() };
            let other = if default < 0.5 { 1.0 } else { 0.0 };
            // SAFETY: as above.
            unsafe { param._internal_set_normalized_value(other) };
            assert!(news.take(), "{id}'s change");
            assert!(!news.take(), "{id}: taken once");
        }
        params.loaded_a_state();
        assert!(news.take(), "a state load");
        params.expect_load(&[0.5; quintet_core::params::PARAM_COUNT]);
        assert!(news.take(), "a preset load");
        let tuning = Tuning::from_files("edo", b"5-EDO\n1\n240.0\n", None).unwrap();
        params.tuning.set(tuning);
        assert!(news.take(), "a tuning");
        let (sender, _receiver) = keyboard_notes(news);
        sender.send(KeyboardEvent::Note {
            key: 60,
            velocity: 1.0,
        });
        assert!(news.take(), "a note from the editor's keyboard");
        assert!(!news.take(), "all taken");
    }
}
