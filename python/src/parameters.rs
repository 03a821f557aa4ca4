//! The parameter registry (`quintet_core::params`) as Python sees it: `quintet.PARAMETERS`, one
//! [`Parameter`] per parameter the plugin has, and the checked conversion of Python values into
//! each parameter's plain value, so the module takes exactly what the plugin can hold.

use crate::numbers::{Real, checked, checked_whole};
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyFloat, PyInt, PyTuple};
use quintet_core::dsp::PARTIAL_COUNT;
use quintet_core::params::{Kind, Offered, Param, ParamSpec};

/// The parameters `Quintet` takes as keyword arguments and has as properties on their own:
/// every one the registry offers alone, but the gain (a positional argument, whose setter
/// ramps): (parameter, key, what it does).
pub fn settings() -> impl Iterator<Item = (Param, &'static str, &'static str)> {
    Param::ALL
        .into_iter()
        .filter(|&param| param != Param::GAIN)
        .filter_map(|param| match param.spec().offered {
            Offered::Alone { key, doc, .. } => Some((param, key, doc)),
            _ => None,
        })
}

/// The families `Quintet` takes as keyword arguments (five numbers each) and has as properties
/// (five-tuples): every family the registry offers but the drone's frequencies and levels,
/// which are positional and glide or ramp: (its five parameters, key, what it does).
pub fn families() -> impl Iterator<Item = ([Param; PARTIAL_COUNT], &'static str, &'static str)> {
    Param::ALL
        .into_iter()
        .filter(|&param| param != Param::FREQUENCIES[0] && param != Param::LEVELS[0])
        .filter_map(|param| match param.spec().offered {
            Offered::Partial { family, partial: 0 } => {
                Some((family.params(), family.key, family.doc))
            }
            _ => None,
        })
}

/// The family offered as `key`, if any.
pub fn family_by_key(key: &str) -> Option<[Param; PARTIAL_COUNT]> {
    families()
        .find(|&(_, offered, _)| offered == key)
        .map(|(params, _, _)| params)
}

/// What a family's keyword argument or property does: the registry's sentence, the range of
/// each value and its default.
pub fn family_doc(params: [Param; PARTIAL_COUNT], what: &str) -> String {
    let spec = params[0].spec();
    let (min, max) = spec.bounds();
    let unit = spec.plain_unit();
    format!(
        "{what}: five values, one per partial, each {min}{unit} to {max}{unit}, default {}.",
        python_literal(spec, f64::from(spec.default))
    )
}

/// A family's defaults as Python writes them: `(1.0, 1.0, 1.0, 1.0, 1.0)`.
pub fn family_default(params: [Param; PARTIAL_COUNT]) -> String {
    let values: Vec<String> = params
        .iter()
        .map(|param| python_literal(param.spec(), f64::from(param.spec().default)))
        .collect();
    format!("({})", values.join(", "))
}

/// The parameter offered as `key` on its own, if any.
pub fn by_key(key: &str) -> Option<Param> {
    settings()
        .find(|&(_, offered, _)| offered == key)
        .map(|(param, _, _)| param)
}

/// `value` as `param`'s plain value, refused (`ValueError` naming `name`, `TypeError` for what is
/// no number or no bool) when the parameter cannot hold it.
pub fn value_from(param: Param, name: &str, value: &Bound<'_, PyAny>) -> PyResult<f64> {
    let spec = param.spec();
    match spec.kind {
        // True or False only: 1 or "yes" is a TypeError, as for any bool argument.
        Kind::Switch => Ok(f64::from(u8::from(value.extract::<bool>()?))),
        Kind::Int { .. } => checked_whole(name, value.extract()?, spec.bounds(), spec.plain_unit()),
        Kind::Float { .. } => checked(
            name,
            value.extract::<Real>()?,
            spec.bounds(),
            spec.plain_unit(),
        ),
    }
}

/// `value` of `spec` as Python has it: a bool for a switch, an int for a count, else a float.
pub fn to_python<'py>(py: Python<'py>, spec: &ParamSpec, value: f64) -> Bound<'py, PyAny> {
    match spec.kind {
        Kind::Switch => PyBool::new(py, value >= 0.5).to_owned().into_any(),
        Kind::Int { .. } => PyInt::new(py, value as i64).into_any(),
        Kind::Float { .. } => PyFloat::new(py, value).into_any(),
    }
}

/// The Python type of `spec`'s values, as the type stub and the signature name it.
pub fn type_name(spec: &ParamSpec) -> &'static str {
    match spec.kind {
        Kind::Switch => "bool",
        Kind::Int { .. } => "int",
        Kind::Float { .. } => "float",
    }
}

/// `value` of `spec` as Python writes it: `True`, `8`, `5.0`.
pub fn python_literal(spec: &ParamSpec, value: f64) -> String {
    match spec.kind {
        Kind::Switch => String::from(if value >= 0.5 { "True" } else { "False" }),
        Kind::Int { .. } => format!("{}", value as i64),
        Kind::Float { .. } => format!("{value:?}"),
    }
}

/// What a keyword argument or property does: the registry's sentence, its range in plain units
/// and its default.
pub fn doc(param: Param, what: &str) -> String {
    let spec = param.spec();
    let (min, max) = spec.bounds();
    let unit = spec.plain_unit();
    let default = python_literal(spec, f64::from(spec.default));
    match spec.kind {
        Kind::Switch => format!("{what}. Default: {default}."),
        _ => format!("{what}: {min}{unit} to {max}{unit}, default {default}."),
    }
}

/// One of the plugin's parameters, as the registry declares it: its permanent id, its name in
/// hosts, how the module takes it (`key`), its range and default in plain units (Hz, ms, linear
/// gain, fraction, count), and the plugin's own conversions of its values to and from text and
/// to the 0 to 1 position a host automates.
#[pyclass(frozen, module = "quintet")]
pub struct Parameter {
    param: Param,
}

#[pymethods]
impl Parameter {
    /// The permanent id hosts store automation and presets under ("freq1", "voices").
    #[getter]
    fn id(&self) -> &'static str {
        self.param.spec().id
    }

    /// The name hosts and the editor show ("Partial 1", "Voices").
    #[getter]
    fn name(&self) -> &'static str {
        self.param.spec().name
    }

    /// How ``Quintet`` and ``quintet render`` take it: a keyword argument and property
    /// ("voices"), a partial of one ("frequencies[0]"), or None (the mutes: a level of 0 does
    /// the same here).
    #[getter]
    fn key(&self) -> Option<String> {
        self.param.spec().key()
    }

    /// "float", "int" or "bool".
    #[getter]
    fn kind(&self) -> &'static str {
        type_name(self.param.spec())
    }

    /// The unit of its plain values ("Hz", "ms", "st"; "" for a linear gain, a fraction, a
    /// count or a switch).
    #[getter]
    fn unit(&self) -> &'static str {
        self.param.spec().plain_unit().trim_start()
    }

    /// The lowest value it holds.
    #[getter]
    fn minimum<'py>(&self, py: Python<'py>) -> Bound<'py, PyAny> {
        let spec = self.param.spec();
        to_python(py, spec, spec.bounds().0)
    }

    /// The highest value it holds.
    #[getter]
    fn maximum<'py>(&self, py: Python<'py>) -> Bound<'py, PyAny> {
        let spec = self.param.spec();
        to_python(py, spec, spec.bounds().1)
    }

    /// A new instance's value.
    #[getter]
    fn default<'py>(&self, py: Python<'py>) -> Bound<'py, PyAny> {
        let spec = self.param.spec();
        to_python(py, spec, f64::from(spec.default))
    }

    /// The value the plugin takes for typed ``text`` ("440", "1.2k", "A4" for a frequency;
    /// "-6" dB for a level, as a linear gain), as ``quintet render`` reads it too; not checked
    /// against the range. ``ValueError`` when the plugin would refuse the text.
    fn text_to_value<'py>(&self, py: Python<'py>, text: &str) -> PyResult<Bound<'py, PyAny>> {
        let spec = self.param.spec();
        spec.text_to_value(text)
            .map(|value| to_python(py, spec, f64::from(value)))
            .ok_or_else(|| PyValueError::new_err(format!("{}: {text:?} is not a value", spec.name)))
    }

    /// ``value`` (one the parameter holds, else ``ValueError``) as the plugin shows it, with its
    /// unit ("250 Hz", "-6.0 dB", "8").
    fn value_to_text(&self, value: &Bound<'_, PyAny>) -> PyResult<String> {
        let spec = self.param.spec();
        let value = value_from(self.param, "value", value)?;
        Ok(format!(
            "{}{}",
            spec.value_to_text(value as f32),
            spec.unit()
        ))
    }

    /// The 0 to 1 position a host sends to the plugin for ``value`` (one the parameter holds,
    /// else ``ValueError``).
    fn normalize(&self, value: &Bound<'_, PyAny>) -> PyResult<f64> {
        let value = value_from(self.param, "value", value)?;
        Ok(f64::from(self.param.spec().normalize(value as f32)))
    }

    fn __repr__(&self) -> String {
        let spec = self.param.spec();
        format!("<quintet.Parameter {:?} ({})>", spec.id, spec.name)
    }
}

/// `quintet.PARAMETERS`: every parameter, in the order hosts list them.
pub fn all(py: Python<'_>) -> PyResult<Bound<'_, PyTuple>> {
    let parameters = Param::ALL
        .into_iter()
        .map(|param| Bound::new(py, Parameter { param }))
        .collect::<PyResult<Vec<_>>>()?;
    PyTuple::new(py, parameters)
}
