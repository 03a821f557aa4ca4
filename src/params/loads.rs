//! Which parameter values came from a load (a saved state, a preset) rather than from host
//! automation or an editor gesture: recorded by whoever loads, read by the audio thread without
//! a lock, so it can move the engine as each cause asks (see `Quintet::follow_parameters`).
//!
//! A load marks each parameter with the value it gives it ([`Loads::mark`]), then announces
//! itself ([`Loads::announce`]). The marks may come before the values (a preset the editor
//! loads as host gestures, whose values the framework stores later, at its next block) or
//! after them (a state, which nice-plug stores before it hands the plugin the state's other
//! fields). The audio thread ([`LoadWatch`]) takes a change to exactly the marked value as the
//! load's, and drops each mark once its parameter holds that value, so a later move of the
//! same parameter is automation again. Automation and gestures leave no mark: a change without
//! one is theirs.

use super::inputs::ParameterInputs;
use super::news::News;
use quintet_core::params::{PARAM_COUNT, Param};
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, AtomicU64, Ordering};

/// A mark's flag: set while the mark waits for its value. The low 32 bits are the value's bits.
const MARKED: u64 = 1 << 32;

/// Parameters as a bit set, bit `Param::index` (every parameter fits).
pub type ParamSet = u128;
const _: () = assert!(PARAM_COUNT <= ParamSet::BITS as usize);

/// The loads' marks, shared by the loaders (any thread) and the audio thread.
#[derive(Debug)]
pub struct Loads {
    /// Per parameter, in registry order: [`MARKED`] with the bits of the value a load gives
    /// it ([`super::PluginParam::value_bits`]), or 0.
    marks: [AtomicU64; PARAM_COUNT],
    /// How many loads were announced (wrapping).
    announced: AtomicU32,
    /// Raised after each announcement.
    news: Arc<News>,
}

impl Loads {
    /// No marks yet; each announcement raises `news`.
    pub fn new(news: &Arc<News>) -> Self {
        Self {
            marks: std::array::from_fn(|_| AtomicU64::new(0)),
            announced: AtomicU32::new(0),
            news: Arc::clone(news),
        }
    }

    /// Records that a load gives `param` the value with bits `value_bits`.
    pub fn mark(&self, param: Param, value_bits: u32) {
        self.marks[param.index()].store(MARKED | u64::from(value_bits), Ordering::Release);
    }

    /// Tells the audio thread that marks were made (after making them).
    pub fn announce(&self) {
        self.announced.fetch_add(1, Ordering::Release);
        self.news.raise();
    }

    /// How many loads were announced; read it before the parameters' values.
    pub fn announced(&self) -> u32 {
        self.announced.load(Ordering::Acquire)
    }
}

/// The audio thread's side of [`Loads`]: which changes it sees are a load's.
#[derive(Debug, Default)]
pub struct LoadWatch {
    /// [`Loads::announced`] when last looked at.
    seen: u32,
    /// Whether a mark still waits for its value.
    waiting: bool,
}

impl LoadWatch {
    /// Whether anything may be new since [`Self::loaded`] last looked, given the count of
    /// loads announced now.
    #[inline]
    pub fn has_news(&self, announced: u32) -> bool {
        announced != self.seen
    }

    /// Whether [`Self::loaded`] would take no change as a load's and change nothing: no load
    /// announced since it last looked, and no mark waiting for its value.
    #[inline]
    pub fn is_quiet(&self, announced: u32) -> bool {
        announced == self.seen && !self.waiting
    }

    /// The parameters in `changed` whose new value in `now` is the one a load marked; drops
    /// every mark whose parameter holds its value. `announced` is [`Loads::announced`], read
    /// before `now` was. Looks at the marks only while some may be waiting: a block of
    /// automation alone costs one comparison.
    pub fn loaded(
        &mut self,
        loads: &Loads,
        announced: u32,
        now: &ParameterInputs,
        changed: ParamSet,
    ) -> ParamSet {
        if announced != self.seen {
            self.seen = announced;
            self.waiting = true;
        }
        if !self.waiting {
            return 0;
        }
        let mut loaded = 0;
        let mut waiting = false;
        for (index, mark) in loads.marks.iter().enumerate() {
            let marked = mark.load(Ordering::Acquire);
            if marked & MARKED == 0 {
                continue;
            }
            if marked as u32 == now.bits(index) {
                // A newer mark made meanwhile stays for the next look.
                let _ = mark.compare_exchange(marked, 0, Ordering::AcqRel, Ordering::Relaxed);
                loaded |= changed & (1 << index);
            } else {
                waiting = true;
            }
        }
        self.waiting = waiting;
        loaded
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::params::QuintetParams;

    /// Sets `param` of `params` to the normalized `value`, as the framework does.
    fn set(params: &QuintetParams, param: Param, normalized: f32) {
        // SAFETY: the pointer points into `params`, alive for the call and seen by no other
        // thread.
        unsafe {
            params
                .get(param)
                .as_ptr()
                ._internal_set_normalized_value(normalized)
        };
    }

    /// What the audio thread sees of `params` after the last look (`last`), and which
    /// parameters it takes as loaded.
    fn look(params: &QuintetParams, watch: &mut LoadWatch, last: &mut ParameterInputs) -> ParamSet {
        let announced = params.loads.announced();
        let changed = last.refresh(params, params.changes.take()).params;
        watch.loaded(&params.loads, announced, last, changed)
    }

    fn bit(param: Param) -> ParamSet {
        1 << param.index()
    }

    #[test]
    fn a_state_load_marks_what_it_stored_and_automation_after_it_is_automation() {
        let params = QuintetParams::default();
        let (mut watch, mut last) = (LoadWatch::default(), ParameterInputs::read(&params));
        set(&params, Param::FREQUENCIES[0], 0.3);
        assert_eq!(look(&params, &mut watch, &mut last), 0, "automation");
        // A state: values first, then the marks (nice-plug's order).
        set(&params, Param::FREQUENCIES[0], 0.6);
        set(&params, Param::GAIN, 0.5);
        params.loaded_a_state();
        assert_eq!(
            look(&params, &mut watch, &mut last),
            bit(Param::FREQUENCIES[0]) | bit(Param::GAIN)
        );
        assert!(!watch.waiting, "every mark found its value");
        set(&params, Param::FREQUENCIES[0], 0.3);
        assert_eq!(look(&params, &mut watch, &mut last), 0, "automation again");
        set(&params, Param::FREQUENCIES[0], 0.6);
        assert_eq!(
            look(&params, &mut watch, &mut last),
            0,
            "the load's value again, by automation"
        );
    }

    #[test]
    fn marks_made_before_the_values_wait_for_them() {
        let params = QuintetParams::default();
        let (mut watch, mut last) = (LoadWatch::default(), ParameterInputs::read(&params));
        let level = Param::LEVELS[2];
        let target = level.spec().unnormalize(0.25);
        params.loads.mark(level, target.to_bits());
        params.loads.announce();
        // The framework stores the value a few blocks later; another parameter moves first.
        assert_eq!(look(&params, &mut watch, &mut last), 0);
        set(&params, Param::GAIN, 0.5);
        assert_eq!(
            look(&params, &mut watch, &mut last),
            0,
            "the gain is automation"
        );
        assert!(watch.waiting);
        set(&params, level, 0.25);
        assert_eq!(look(&params, &mut watch, &mut last), bit(level));
        assert!(!watch.waiting);
    }

    #[test]
    fn a_mark_for_a_value_already_there_is_dropped() {
        let params = QuintetParams::default();
        let (mut watch, mut last) = (LoadWatch::default(), ParameterInputs::read(&params));
        params.loaded_a_state();
        assert_eq!(look(&params, &mut watch, &mut last), 0);
        assert!(!watch.waiting);
        // So a later move to the same value is automation.
        set(&params, Param::VOICES, 0.0);
        look(&params, &mut watch, &mut last);
        set(&params, Param::VOICES, Param::VOICES.spec().normalize(8.0));
        assert_eq!(look(&params, &mut watch, &mut last), 0);
    }
}
