//! Quintet's parameters as nice-plug holds them: the framework's view of the registry
//! ([`quintet_core::params`]), which declares each one once.
//!
//! Every parameter is built from its declaration ([`PluginParam::new`]) and listed to hosts in
//! registry order under its permanent id (`impl Params` below), so nothing here names a
//! parameter one by one: code reaches them by [`Param`] (`params.float(Param::GAIN)`,
//! `params.frequencies()`). `tests/clap_host/parameter_lock.rs` fails if an id, name, range,
//! default or text a host sees changes.

mod changes;
pub mod editor_size;
pub mod inputs;
pub mod loads;
pub mod news;
mod plugin_param;
mod restore;

pub use changes::ChangedParams;
pub use news::News;
pub use plugin_param::{PluginParam, modulated_by_id, nice_plug_range, poly_modulation_id};
pub use quintet_core::params::Param;
pub use quintet_core::params::frequency_text::{
    self, FREQUENCY_STEP_HZ, frequency_to_text, text_to_frequency,
};
pub use restore::{
    LEVEL_LAW_FIELD, add_missing_new_parameters, carry_gain_to_current_law, clamp_restored_values,
};

use crate::dsp::PARTIAL_COUNT;
use crate::engine::{Modulated, Settings};
use crate::tuning::{Tuning, TuningShare, saved};
use editor_size::SavedEditorSize;
use loads::Loads;
use nice_plug::params::persist::{self, PersistentField};
use nice_plug::prelude::{BoolParam, FloatParam, IntParam, ParamPtr, Params};
use quintet_core::params::{PARAM_COUNT, Values};
use std::collections::BTreeMap;
use std::sync::Arc;

/// The key the editor's size is saved under in the plugin state.
const EDITOR_FIELD: &str = "editor";
/// The key the tuning is saved under in the plugin state (absent: 12-TET; see
/// [`crate::tuning::saved`]).
pub const TUNING_FIELD: &str = "tuning";

/// Every parameter of an instance, shared by the host's threads, the editor and the audio
/// thread.
pub struct QuintetParams {
    /// One per declaration, in registry order ([`Param::index`]).
    params: [PluginParam; PARAM_COUNT],
    /// The parameter the host modulates per voice as each [`Modulated`] (by its index).
    modulated: [Param; Modulated::ALL.len()],
    /// The editor window's size and zoom, saved with the state under [`EDITOR_FIELD`] (not a
    /// parameter).
    pub editor: SavedEditorSize,
    /// Which parameters' values changed since the audio thread last looked (not a
    /// parameter): it reads only those, and none while nothing changed.
    pub changes: Arc<ChangedParams>,
    /// Which values came from a load (a state, a preset) rather than automation or a gesture.
    pub loads: Loads,
    /// The tuning (not a parameter): saved with the state under [`TUNING_FIELD`], set by the
    /// editor, a preset or a state load, its key table sent to the audio thread.
    pub tuning: Arc<TuningShare>,
    /// Raised by every change above (a value, a load, a tuning) and by the editor's keyboard:
    /// the audio thread looks at them only in a block after it was raised.
    pub news: Arc<News>,
}

impl Default for QuintetParams {
    fn default() -> Self {
        let news = Arc::new(News::default());
        let changes = Arc::new(ChangedParams::new(&news));
        Self {
            params: Param::ALL.map(|param| PluginParam::new(param, &changes)),
            modulated: Modulated::ALL.map(|target| {
                Param::ALL
                    .into_iter()
                    .find(|param| param.spec().modulated == Some(target))
                    .expect("the registry declares every modulated parameter")
            }),
            editor: SavedEditorSize::default(),
            changes,
            loads: Loads::new(&news),
            tuning: Arc::new(TuningShare::new(&news)),
            news,
        }
    }
}

impl QuintetParams {
    /// `param` as nice-plug holds it.
    #[inline]
    pub fn get(&self, param: Param) -> &PluginParam {
        &self.params[param.index()]
    }

    /// Every parameter, in registry order.
    #[inline]
    pub fn all(&self) -> &[PluginParam; PARAM_COUNT] {
        &self.params
    }

    /// The continuous parameter `param`; panics if the registry declares it otherwise.
    #[inline]
    pub fn float(&self, param: Param) -> &FloatParam {
        match self.get(param) {
            PluginParam::Float(float) => float,
            _ => kind_mismatch(param, "continuous"),
        }
    }

    /// The count `param`; panics if the registry declares it otherwise.
    #[inline]
    pub fn int(&self, param: Param) -> &IntParam {
        match self.get(param) {
            PluginParam::Int(int) => int,
            _ => kind_mismatch(param, "a count"),
        }
    }

    /// The switch `param`; panics if the registry declares it otherwise.
    #[inline]
    pub fn switch(&self, param: Param) -> &BoolParam {
        match self.get(param) {
            PluginParam::Switch(switch) => switch,
            _ => kind_mismatch(param, "a switch"),
        }
    }

    /// The five frequency parameters, partial 1 first.
    pub fn frequencies(&self) -> [&FloatParam; PARTIAL_COUNT] {
        Param::FREQUENCIES.map(|param| self.float(param))
    }

    /// The five level parameters, partial 1 first.
    pub fn levels(&self) -> [&FloatParam; PARTIAL_COUNT] {
        Param::LEVELS.map(|param| self.float(param))
    }

    /// The five mute parameters, partial 1 first.
    pub fn mutes(&self) -> [&BoolParam; PARTIAL_COUNT] {
        Param::MUTES.map(|param| self.switch(param))
    }

    /// The parameter the host modulates per voice as `target` (see [`poly_modulation_id`]).
    #[inline]
    pub fn modulated(&self, target: Modulated) -> &PluginParam {
        self.get(self.modulated_param(target))
    }

    /// Which parameter the host modulates per voice as `target`.
    #[inline]
    pub fn modulated_param(&self, target: Modulated) -> Param {
        self.modulated[target.index()]
    }

    /// `param`'s plain value (a switch: 0 or 1), inside its range. Restored states are clamped
    /// where they are loaded ([`clamp_restored_values`]); this second guard keeps what reaches
    /// the engine in range whatever path a value took. (Always inlined: with a constant
    /// `param`, as the audio thread's per-event reads have, it folds to a load and a clamp.)
    #[inline(always)]
    pub fn plain(&self, param: Param) -> f64 {
        param.spec().clamp(f64::from(self.get(param).plain()))
    }

    /// Every parameter's value, each inside its range.
    pub fn values(&self) -> Values {
        let mut values = Values::default();
        for param in Param::ALL {
            values.set_clamped(param, f64::from(self.get(param).plain()));
        }
        values
    }

    /// Every setting as the engine takes it (a muted partial's level is 0).
    pub fn engine_settings(&self) -> Settings {
        self.values().settings()
    }

    /// Records that a load is about to set each parameter to its position in `normalized`
    /// (registry order): a preset the editor loads as host gestures, whose values the
    /// framework stores later.
    pub fn expect_load(&self, normalized: &[f32; PARAM_COUNT]) {
        for (param, normalized) in Param::ALL.into_iter().zip(normalized) {
            let plain = param.spec().unnormalize(*normalized);
            self.loads.mark(param, PluginParam::bits_of(param, plain));
        }
        self.loads.announce();
    }

    /// Records that a saved state was just stored into the parameters: each one's value is
    /// the state's (or what it held, if the state did not name it).
    pub fn loaded_a_state(&self) {
        for (param, plugin) in Param::ALL.into_iter().zip(&self.params) {
            self.loads.mark(param, plugin.value_bits());
        }
        self.loads.announce();
    }
}

impl QuintetParams {
    /// Plays the tuning a state stored (`None`: the state has none, so 12-TET, as every state
    /// saved before tunings existed played). One that cannot be played is reported and
    /// 12-TET plays.
    fn restore_tuning(&self, json: Option<&String>) {
        let tuning = json.map(|json| {
            serde_json::from_str(json)
                .map_err(|error| error.to_string())
                .and_then(|value| saved::from_json(&value))
        });
        match tuning {
            None => self.tuning.set(Tuning::default()),
            Some(Ok(tuning)) => self.tuning.set(tuning),
            Some(Err(error)) => {
                nice_plug::nice_warn!("The saved tuning is not played (12-TET is): {error}");
                self.tuning.set(Tuning::default());
            }
        }
    }
}

#[cold]
fn kind_mismatch(param: Param, kind: &str) -> ! {
    panic!("the registry does not declare {} {kind}", param.spec().id)
}

// SAFETY: every pointer `param_map` hands out points into `self.params`, an array that lives,
// unmoved, as long as `self`; nice-plug's wrappers hold the `Arc<QuintetParams>` for as long as
// they use the pointers, which is all the trait asks.
unsafe impl Params for QuintetParams {
    /// Every parameter in registry order, under its permanent id, in no group.
    fn param_map(&self) -> Vec<(String, ParamPtr, String)> {
        Param::ALL
            .into_iter()
            .map(|param| {
                let id = String::from(param.spec().id);
                (id, self.get(param).as_ptr(), String::new())
            })
            .collect()
    }

    /// The editor's size, the level law the gain was saved under (see [`LEVEL_LAW_FIELD`]) and
    /// the tuning (see [`TUNING_FIELD`]).
    fn serialize_fields(&self) -> BTreeMap<String, String> {
        let mut fields = BTreeMap::from([(
            String::from(LEVEL_LAW_FIELD),
            restore::current_level_law_field(),
        )]);
        if let Some(tuning) = saved::to_json(&self.tuning.get()) {
            fields.insert(String::from(TUNING_FIELD), tuning.to_string());
        }
        match self.editor.map(persist::serialize_field) {
            Ok(json) => {
                fields.insert(String::from(EDITOR_FIELD), json);
            }
            Err(error) => nice_plug::nice_warn!("The editor's size was not saved: {error}"),
        }
        fields
    }

    /// Called by nice-plug at the end of every state load (a host's, or the editor's own),
    /// after it stored the state's parameter values: the one place the plugin learns of it.
    fn deserialize_fields(&self, serialized: &BTreeMap<String, String>) {
        self.loaded_a_state();
        self.restore_tuning(serialized.get(TUNING_FIELD));
        let Some(json) = serialized.get(EDITOR_FIELD) else {
            return;
        };
        match persist::deserialize_field(json) {
            Ok(size) => self.editor.set(size),
            Err(error) => nice_plug::nice_warn!("The saved editor size is unreadable: {error}"),
        }
    }
}

#[cfg(test)]
mod tests;
