//! One parameter as nice-plug holds it ([`PluginParam`]), built from its declaration in the
//! registry: name, range and skew, step, default, unit and texts, polyphonic modulation and
//! change recording all come from the [`ParamSpec`], none is written here.
//!
//! No parameter has a nice-plug smoother: the engine glides and ramps itself (the
//! declaration's `smoothing_ms` is its timing), and how a value changed is recorded in
//! [`super::loads`], so the framework's smoothing would be work on every event for nothing.

use super::changes::{ChangedParams, Watched};
use crate::engine::Modulated;
use nice_plug::prelude::{
    BoolParam, FloatParam, FloatRange, IntParam, IntRange, Param as _, ParamPtr,
};
use quintet_core::params::frequency_text::value_that_lands_on;
use quintet_core::params::{FloatText, Kind, Param, ParamSpec, Scale};
use std::sync::Arc;

/// One of Quintet's parameters, of the kind its declaration says.
pub enum PluginParam {
    /// A continuous value (Hz, ms, linear gain, fraction).
    Float(FloatParam),
    /// A count (voices, semitones).
    Int(IntParam),
    /// On or off.
    Switch(BoolParam),
}

/// Calls `$body` with `$param` bound to the nice-plug parameter inside `$self`, whatever its kind
/// (each kind has the `Param` trait's methods, with its own plain type).
macro_rules! with_param {
    ($self:expr, $param:ident => $body:expr) => {
        match $self {
            PluginParam::Float($param) => $body,
            PluginParam::Int($param) => $body,
            PluginParam::Switch($param) => $body,
        }
    };
}

impl PluginParam {
    /// `param` as its declaration says, recording its value changes in `changes`.
    pub fn new(param: Param, changes: &Arc<ChangedParams>) -> Self {
        let spec = param.spec();
        match spec.kind {
            Kind::Float {
                range, step, text, ..
            } => {
                let mut built = FloatParam::new(spec.name, spec.default, nice_plug_range(range))
                    .with_unit(spec.unit())
                    .with_value_to_string(Arc::new(move |value| spec.value_to_text(value)))
                    .with_string_to_value(Arc::new(move |typed| typed_float(spec, text, typed)));
                if let Some(step) = step {
                    built = built.with_step_size(step);
                }
                if let Some(target) = spec.modulated {
                    built = built.with_poly_modulation_id(poly_modulation_id(target));
                }
                PluginParam::Float(built.watched_by(param, changes))
            }
            Kind::Int { min, max, .. } => {
                let mut built = IntParam::new(
                    spec.name,
                    spec.default as i32,
                    IntRange::Linear { min, max },
                )
                .with_unit(spec.unit())
                .with_value_to_string(Arc::new(move |count| spec.value_to_text(count as f32)))
                .with_string_to_value(Arc::new(move |typed| {
                    spec.text_to_value(typed).map(|count| count as i32)
                }));
                if let Some(target) = spec.modulated {
                    built = built.with_poly_modulation_id(poly_modulation_id(target));
                }
                PluginParam::Int(built.watched_by(param, changes))
            }
            Kind::Switch => {
                let built = BoolParam::new(spec.name, spec.default >= 0.5)
                    .with_value_to_string(Arc::new(move |on| {
                        spec.value_to_text(f32::from(u8::from(on)))
                    }))
                    .with_string_to_value(Arc::new(move |typed| {
                        spec.text_to_value(typed).map(|value| value >= 0.5)
                    }));
                PluginParam::Switch(built.watched_by(param, changes))
            }
        }
    }

    /// The pointer nice-plug's wrappers and the editor's gestures address it by.
    pub fn as_ptr(&self) -> ParamPtr {
        with_param!(self, param => param.as_ptr())
    }

    /// The plain value (a switch: 0 or 1), as stored: not yet clamped to the range.
    #[inline]
    pub fn plain(&self) -> f32 {
        match self {
            PluginParam::Float(param) => param.value(),
            PluginParam::Int(param) => param.value() as f32,
            PluginParam::Switch(param) => f32::from(u8::from(param.value())),
        }
    }

    /// The value's bits, to tell whether it changed since the last block (a NaN equals
    /// itself here).
    #[inline]
    pub fn value_bits(&self) -> u32 {
        match self {
            PluginParam::Float(param) => param.value().to_bits(),
            PluginParam::Int(param) => param.value() as u32,
            PluginParam::Switch(param) => u32::from(param.value()),
        }
    }

    /// The bits [`Self::value_bits`] gives once `param` holds the plain value `plain`.
    pub fn bits_of(param: Param, plain: f32) -> u32 {
        match param.spec().kind {
            Kind::Float { .. } => plain.to_bits(),
            Kind::Int { .. } => plain as i32 as u32,
            Kind::Switch => u32::from(plain >= 0.5),
        }
    }

    /// The position 0 ..= 1 a host sees, before any monophonic modulation.
    pub fn unmodulated_normalized_value(&self) -> f32 {
        with_param!(self, param => param.unmodulated_normalized_value())
    }

    /// The position 0 ..= 1 a host sees, with its monophonic modulation.
    pub fn modulated_normalized_value(&self) -> f32 {
        with_param!(self, param => param.modulated_normalized_value())
    }

    /// The plain value (a switch: 0 or 1) at slider position `normalized` (clamped to 0 ..= 1),
    /// on the parameter's steps.
    pub fn preview_plain(&self, normalized: f32) -> f32 {
        match self {
            PluginParam::Float(param) => param.preview_plain(normalized),
            PluginParam::Int(param) => param.preview_plain(normalized) as f32,
            PluginParam::Switch(param) => f32::from(u8::from(param.preview_plain(normalized))),
        }
    }

    /// The id nice-plug gives the host for modulating it per voice, if it may.
    pub fn poly_modulation_id(&self) -> Option<u32> {
        with_param!(self, param => param.poly_modulation_id())
    }

    /// "name = value", the value as the host shows it, with its unit.
    pub fn describe(&self) -> String {
        with_param!(self, param => {
            let text = param.normalized_value_to_string(param.unmodulated_normalized_value(), true);
            format!("{} = {}", param.name(), text)
        })
    }
}

/// nice-plug's form of a registry range (the same mapping: src/params.rs's tests compare the
/// two bit for bit).
pub fn nice_plug_range(range: quintet_core::params::FloatRange) -> FloatRange {
    let (min, max) = (range.min, range.max);
    match range.scale {
        Scale::Linear => FloatRange::Linear { min, max },
        Scale::Skewed { factor } => FloatRange::Skewed { min, max, factor },
    }
}

/// What typed `text` sets a continuous parameter to. A frequency gets the value whose
/// normalized position plays it ([`value_that_lands_on`]): nice-plug hands the host a position.
fn typed_float(spec: &ParamSpec, how: FloatText, text: &str) -> Option<f32> {
    let value = spec.text_to_value(text)?;
    Some(if how == FloatText::Frequency {
        value_that_lands_on(value)
    } else {
        value
    })
}

/// The id under which the host modulates `target` per voice (CLAP polyphonic modulation):
/// its [`Modulated::index`].
pub fn poly_modulation_id(target: Modulated) -> u32 {
    target.index() as u32
}

/// What [`poly_modulation_id`] stands for.
pub fn modulated_by_id(id: u32) -> Option<Modulated> {
    Modulated::ALL.get(id as usize).copied()
}
