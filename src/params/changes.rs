//! A count of parameter changes, so the audio thread learns in one load whether any parameter
//! moved since its last block.
//!
//! Reading every value and comparing them cost about as much as one partial at the 1-sample
//! blocks some hosts send (and the framework makes at every automation event). Every parameter
//! is built [`Watched`]: nice-plug calls its value-changed callback on whichever thread set the
//! value (host automation, the editor, a state load) after storing it, and the callback counts.
//! `tests` below walks every parameter the framework knows, so one added without it fails.

use nice_plug::prelude::{BoolParam, FloatParam, IntParam};
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};

/// How many parameter values have changed since the parameters were made (wrapping).
#[derive(Debug, Default)]
pub struct ChangeCount(AtomicU32);

impl ChangeCount {
    /// The count now. Read it *before* the values: a change stored meanwhile counts after this
    /// read, so the next read differs and the change is seen one block later at worst.
    pub fn now(&self) -> u32 {
        self.0.load(Ordering::Acquire)
    }

    /// Counts one change; the value was stored before (Release pairs with [`Self::now`]).
    fn count(&self) {
        self.0.fetch_add(1, Ordering::Release);
    }
}

/// A parameter whose value changes are counted in a [`ChangeCount`].
pub trait Watched {
    /// This parameter, counting its value changes in `changes`.
    fn watched_by(self, changes: &Arc<ChangeCount>) -> Self;
}

/// The three parameter kinds Quintet has; each takes a callback of its own value type.
macro_rules! watched {
    ($($param:ty),*) => {$(
        impl Watched for $param {
            fn watched_by(self, changes: &Arc<ChangeCount>) -> Self {
                let changes = Arc::clone(changes);
                self.with_callback(Arc::new(move |_| changes.count()))
            }
        }
    )*};
}
watched!(FloatParam, IntParam, BoolParam);

#[cfg(test)]
mod tests {
    use crate::params::QuintetParams;
    use nice_plug::prelude::Params;
    use quintet_core::params::PARAM_COUNT;

    #[test]
    fn every_parameter_counts_its_changes() {
        let params = QuintetParams::default();
        let map = params.param_map();
        assert_eq!(map.len(), PARAM_COUNT, "every declared parameter");
        for (id, param, _group) in map {
            let before = params.changes.now();
            // SAFETY: `param` points into `params`, alive for the whole loop and seen by no
            // other thread.
            let default = unsafe { param.default_normalized_value() };
            let other = if default < 0.5 { 1.0 } else { 0.0 };
            // SAFETY: as above.
            unsafe { param._internal_set_normalized_value(other) };
            assert_ne!(params.changes.now(), before, "{id} changed uncounted");
            let moved = params.changes.now();
            // SAFETY: as above.
            unsafe { param._internal_set_normalized_value(other) };
            assert_eq!(
                params.changes.now(),
                moved,
                "{id}: setting the same value is no change"
            );
        }
    }
}
