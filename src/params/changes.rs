//! Which parameters changed since the audio thread last looked, so it learns in one load
//! whether any parameter moved, and reads only those that did.
//!
//! Reading every value and comparing them cost about as much as one partial at the 1-sample
//! blocks some hosts send (and the framework makes at every automation event); a host
//! automating one or five parameters densely then paid for all of them on every event. Every
//! parameter is built [`Watched`]: nice-plug calls its value-changed callback on whichever
//! thread set the value (host automation, the editor, a state load) after storing it, and the
//! callback sets the parameter's bit. `tests` below walks every parameter the framework knows,
//! so one added without it fails.

use super::loads::ParamSet;
use super::news::News;
use nice_plug::prelude::{BoolParam, FloatParam, IntParam};
use quintet_core::params::{PARAM_COUNT, Param};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

/// Bits in one word of [`ChangedParams`].
const WORD_BITS: usize = u64::BITS as usize;

/// Words of bits: one per 64 parameters (there is no stable 128-bit atomic).
const WORDS: usize = ParamSet::BITS as usize / WORD_BITS;

const _: () = assert!(PARAM_COUNT <= WORDS * WORD_BITS);

/// The parameters whose value changed since the last [`Self::take`], as bits
/// ([`Param::index`]), 64 to a word.
#[derive(Debug)]
pub struct ChangedParams {
    words: [AtomicU64; WORDS],
    /// Raised after each change is recorded.
    news: Arc<News>,
}

impl ChangedParams {
    /// Nothing changed yet; each change raises `news`.
    pub fn new(news: &Arc<News>) -> Self {
        Self {
            words: Default::default(),
            news: Arc::clone(news),
        }
    }

    /// The parameters changed since the last call, forgetting them. Take them *before* reading
    /// the values: a change stored meanwhile sets its bit again, so it is seen one block later
    /// at worst.
    #[inline]
    pub fn take(&self) -> ParamSet {
        let mut changed: ParamSet = 0;
        for (n, word) in self.words.iter().enumerate() {
            // A plain load first: the usual block (no change) costs no read-modify-write.
            // Acquire pairs with `mark`'s Release: the values stored before are seen.
            if word.load(Ordering::Relaxed) != 0 {
                changed |= ParamSet::from(word.swap(0, Ordering::Acquire)) << (n * WORD_BITS);
            }
        }
        changed
    }

    /// Records that `param`'s value changed; the value was stored before.
    fn mark(&self, param: Param) {
        let index = param.index();
        self.words[index / WORD_BITS].fetch_or(1 << (index % WORD_BITS), Ordering::Release);
        self.news.raise();
    }
}

/// A parameter whose value changes are recorded in a [`ChangedParams`].
pub trait Watched {
    /// This parameter (`param`), recording its value changes in `changes`.
    fn watched_by(self, param: Param, changes: &Arc<ChangedParams>) -> Self;
}

/// The three parameter kinds Quintet has; each takes a callback of its own value type.
macro_rules! watched {
    ($($kind:ty),*) => {$(
        impl Watched for $kind {
            fn watched_by(self, param: Param, changes: &Arc<ChangedParams>) -> Self {
                let changes = Arc::clone(changes);
                self.with_callback(Arc::new(move |_| changes.mark(param)))
            }
        }
    )*};
}
watched!(FloatParam, IntParam, BoolParam);

#[cfg(test)]
mod tests {
    use crate::params::QuintetParams;
    use nice_plug::prelude::Params;
    use quintet_core::params::{PARAM_COUNT, Param};

    #[test]
    fn every_parameter_records_its_changes_under_its_own_bit() {
        let params = QuintetParams::default();
        let map = params.param_map();
        assert_eq!(map.len(), PARAM_COUNT, "every declared parameter");
        assert_eq!(params.changes.take(), 0, "nothing changed yet");
        for (id, param, _group) in map {
            let index = Param::from_id(&id).expect("a declared id").index();
            // SAFETY: `param` points into `params`, alive for the whole loop and seen by no
            // other thread.
            let default = unsafe { param.default_normalized_value() };
            let other = if default < 0.5 { 1.0 } else { 0.0 };
            // SAFETY: as above.
            unsafe { param._internal_set_normalized_value(other) };
            assert_eq!(params.changes.take(), 1 << index, "{id}'s change");
            assert_eq!(params.changes.take(), 0, "{id}: taken once");
            // SAFETY: as above.
            unsafe { param._internal_set_normalized_value(other) };
            assert_eq!(
                params.changes.take(),
                0,
                "{id}: setting the same value is no change"
            );
        }
    }
}
