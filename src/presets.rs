//! Presets: named sets of every sound parameter's value. Factory presets are built in
//! ([`factory`]); user presets are small, readable JSON files in the user's data folder
//! ([`file`], [`store`]), each named after its preset ([`names`]).
//!
//! A preset holds plain values (Hz, linear gains, counts, switches) by parameter id, the same
//! permanent ids hosts store automation under. Loading one sets every parameter: those it does
//! not name go to their defaults, so a preset always sounds the same whatever was loaded before.
//! Values outside a parameter's range are clamped, as in a saved state.

mod apply;
pub mod factory;
pub mod factory_files;
pub mod file;
pub mod names;
pub mod store;
mod unique_keys;

pub use apply::apply;

use crate::engine::Settings;
use crate::params::{Param, PluginParam, QuintetParams};
use crate::tuning::Tuning;
use quintet_core::params::{Kind, PARAM_COUNT, Values};
use std::collections::BTreeMap;
use std::sync::Arc;

/// One parameter's value in a preset.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum PresetValue {
    /// A continuous parameter's plain value (Hz, ms, linear gain, fraction).
    Number(f32),
    /// A count (voices, bend range).
    Count(i32),
    Switch(bool),
}

/// A named set of parameter values (see the module documentation).
#[derive(Clone, Debug, PartialEq)]
pub struct Preset {
    pub name: String,
    /// Plain values by parameter id; ids not named are at their defaults.
    pub values: BTreeMap<String, PresetValue>,
    /// The tuning it plays in, with its files' text; `None`: 12-TET.
    pub tuning: Option<Arc<Tuning>>,
}

impl Preset {
    /// A preset named `name` setting `values` (id, value) and every other parameter to its
    /// default.
    pub fn new(name: &str, values: &[(&str, PresetValue)]) -> Self {
        Self {
            name: name.to_owned(),
            values: values
                .iter()
                .map(|(id, value)| ((*id).to_owned(), *value))
                .collect(),
            tuning: None,
        }
    }

    /// Every parameter's current value in `params`, as a preset named `name`.
    pub fn capture(name: &str, params: &QuintetParams) -> Self {
        let values = Param::ALL
            .into_iter()
            .map(|param| {
                let value = match params.get(param) {
                    PluginParam::Float(float) => PresetValue::Number(float.value()),
                    PluginParam::Int(count) => PresetValue::Count(count.value()),
                    PluginParam::Switch(switch) => PresetValue::Switch(switch.value()),
                };
                (param.spec().id.to_owned(), value)
            })
            .collect();
        let tuning = params.tuning.get();
        Self {
            name: name.to_owned(),
            values,
            tuning: (!tuning.is_default()).then_some(tuning),
        }
    }

    /// The normalized value (0 ..= 1) this preset gives each parameter, in registry order:
    /// the preset's value clamped to the range, or the default. How the editor (as host
    /// gestures) and the tests apply a preset alike.
    pub fn normalized_values(&self) -> [f32; PARAM_COUNT] {
        Param::ALL.map(|param| {
            let spec = param.spec();
            let value = match (spec.kind, self.values.get(spec.id)) {
                (Kind::Float { .. }, Some(PresetValue::Number(value))) => f64::from(*value),
                (Kind::Int { .. }, Some(PresetValue::Count(count))) => f64::from(*count),
                (Kind::Switch, Some(PresetValue::Switch(on))) => f64::from(u8::from(*on)),
                _ => f64::from(spec.default),
            };
            spec.normalize(spec.clamp(value) as f32)
        })
    }

    /// Whether `params` hold exactly this preset's values (the editor's "unchanged" marker).
    pub fn matches(&self, params: &QuintetParams) -> bool {
        hold(params, &self.normalized_values()) && *params.tuning.get() == self.tuning_or_default()
    }

    /// The tuning it plays in (12-TET if it names none).
    pub fn tuning_or_default(&self) -> Tuning {
        self.tuning.as_deref().cloned().unwrap_or_default()
    }

    /// What the plugin plays after loading this preset: its normalized values as the
    /// parameters turn them into plain ones (on the step's grid).
    pub fn values(&self) -> Values {
        let mut values = Values::default();
        for (param, normalized) in Param::ALL.into_iter().zip(self.normalized_values()) {
            values.set_clamped(param, f64::from(param.spec().unnormalize(normalized)));
        }
        values
    }

    /// Whether the preset waits for keys (MIDI mode) rather than droning as soon as it is
    /// loaded: what the preset list says of each.
    pub fn waits_for_keys(&self) -> bool {
        self.values().get(Param::MIDI) >= 0.5
    }

    /// What the engine plays with this preset (see [`Self::values`]), so a render with a preset
    /// plays what the plugin plays after loading it.
    pub fn settings(&self) -> Settings {
        self.values().settings()
    }
}

/// Whether each parameter of `params` holds its value in `normalized` (in registry order, as
/// [`Preset::normalized_values`] makes them).
pub fn hold(params: &QuintetParams, normalized: &[f32; PARAM_COUNT]) -> bool {
    params
        .all()
        .iter()
        .zip(normalized)
        .all(|(param, normalized)| param.unmodulated_normalized_value() == *normalized)
}

#[cfg(test)]
mod sound_tests;
#[cfg(test)]
mod tests;
