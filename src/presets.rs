//! Presets: named sets of every sound parameter's value. Factory presets are built in
//! ([`factory`]); user presets are small, readable JSON files in the user's data folder
//! ([`file`], [`store`]), each named after its preset ([`names`]).
//!
//! A preset holds plain values (Hz, linear gains, counts, switches) by parameter id, the same
//! permanent ids hosts store automation under. Loading one sets every parameter: those it does
//! not name go to their defaults, so a preset always sounds the same whatever was loaded before.
//! Values outside a parameter's range are clamped, as in a saved state.

pub mod factory;
pub mod file;
pub mod names;
pub mod store;
mod unique_keys;

use crate::engine::Settings;
use crate::params::{QuintetParams, range_bounds};
use nice_plug::prelude::*;
use std::collections::BTreeMap;

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
        }
    }

    /// Every parameter's current value in `params`, as a preset named `name`.
    pub fn capture(name: &str, params: &QuintetParams) -> Self {
        let values = params
            .param_map()
            .into_iter()
            .map(|(id, ptr, _)| {
                // SAFETY: the pointers are into `params`, borrowed for this call.
                let value = unsafe {
                    match ptr {
                        ParamPtr::FloatParam(p) => PresetValue::Number((*p).value()),
                        ParamPtr::IntParam(p) => PresetValue::Count((*p).value()),
                        ParamPtr::BoolParam(p) => PresetValue::Switch((*p).value()),
                        ParamPtr::EnumParam(_) => {
                            PresetValue::Count(ptr.unmodulated_plain_value() as i32)
                        }
                    }
                };
                (id, value)
            })
            .collect();
        Self {
            name: name.to_owned(),
            values,
        }
    }

    /// The normalized value (0 ..= 1) this preset gives each parameter of `params`, in the
    /// order nice-plug lists them: the preset's value clamped to the range, or the default.
    /// How the editor (as host gestures) and the renderer apply a preset alike.
    pub fn normalized_values(&self, params: &QuintetParams) -> Vec<(ParamPtr, f32)> {
        params
            .param_map()
            .into_iter()
            .map(|(id, ptr, _)| {
                // SAFETY: the pointers are into `params`, borrowed for this call.
                let normalized = unsafe {
                    match (ptr, self.values.get(&id)) {
                        (ParamPtr::FloatParam(p), Some(PresetValue::Number(v))) => {
                            let (min, max) = range_bounds(&(*p).range());
                            (*p).preview_normalized(v.clamp(min, max))
                        }
                        (ParamPtr::IntParam(p), Some(PresetValue::Count(v))) => {
                            (*p).preview_normalized(*v)
                        }
                        (ParamPtr::BoolParam(p), Some(PresetValue::Switch(v))) => {
                            (*p).preview_normalized(*v)
                        }
                        _ => ptr.default_normalized_value(),
                    }
                };
                (ptr, normalized)
            })
            .collect()
    }

    /// Whether `params` hold exactly this preset's values (the editor's "unchanged" marker).
    pub fn matches(&self, params: &QuintetParams) -> bool {
        // SAFETY: the pointers are into `params`, borrowed for this call.
        unsafe { hold(&self.normalized_values(params)) }
    }

    /// What the engine plays with this preset: its values set on fresh parameters, read back
    /// as the plugin reads them (so a render with a preset plays what the plugin plays after
    /// loading it).
    pub fn settings(&self) -> Settings {
        let params = QuintetParams::default();
        for (ptr, normalized) in self.normalized_values(&params) {
            // SAFETY: `ptr` points into `params`, which nothing else sees yet.
            unsafe {
                ptr._internal_set_normalized_value(normalized);
            }
        }
        params.engine_settings()
    }
}

/// Whether each parameter holds its value in `values` (as [`Preset::normalized_values`] makes
/// them).
///
/// # Safety
///
/// Every pointer must point to a parameter that is alive for the call.
pub unsafe fn hold(values: &[(ParamPtr, f32)]) -> bool {
    values.iter().all(|(ptr, normalized)| {
        // SAFETY: the caller promises the parameter is alive.
        unsafe { ptr.unmodulated_normalized_value() == *normalized }
    })
}

#[cfg(test)]
mod tests;
