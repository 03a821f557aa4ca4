//! The settings `Quintet` takes by name and has as properties, one for each parameter the
//! registry offers on its own ([`parameters::settings`]): the properties are made here, when the
//! module is imported, and so is the class's `__signature__`, so help() and `inspect` list every
//! keyword argument with its registry default.

use crate::parameters::{self, python_literal, to_python};
use crate::{DEFAULT_SAMPLE_RATE_HZ, Five, Quintet, five, five_tuple, set_all};
use pyo3::prelude::*;
use pyo3::types::{PyCFunction, PyDict, PyTuple, PyType};
use quintet_core::engine::{Engine, Settings};
use quintet_core::params::{Param, Values};

/// Gives `Quintet` a property for each setting and a `__signature__` naming them all.
pub fn register(class: &Bound<'_, PyType>) -> PyResult<()> {
    let py = class.py();
    let property = py.import("builtins")?.getattr("property")?;
    for (param, key, what) in parameters::settings() {
        let get = PyCFunction::new_closure(
            py,
            None,
            None,
            move |args: &Bound<'_, PyTuple>,
                  _: Option<&Bound<'_, PyDict>>|
                  -> PyResult<Py<PyAny>> {
                let quintet = args.get_item(0)?;
                let quintet = quintet.cast::<Quintet>()?.get();
                let value = quintet.get(args.py(), param);
                Ok(to_python(args.py(), param.spec(), value).unbind())
            },
        )?;
        let set = PyCFunction::new_closure(
            py,
            None,
            None,
            move |args: &Bound<'_, PyTuple>, _: Option<&Bound<'_, PyDict>>| -> PyResult<()> {
                let (quintet, value) = (args.get_item(0)?, args.get_item(1)?);
                let plain = parameters::value_from(param, key, &value)?;
                quintet
                    .cast::<Quintet>()?
                    .get()
                    .set(args.py(), param, plain);
                Ok(())
            },
        )?;
        let doc = parameters::doc(param, what);
        class.setattr(key, property.call1((get, set, py.None(), doc))?)?;
    }
    for (params, key, what) in parameters::families() {
        let get = PyCFunction::new_closure(
            py,
            None,
            None,
            move |args: &Bound<'_, PyTuple>, _: Option<&Bound<'_, PyDict>>| -> PyResult<Five> {
                let quintet = args.get_item(0)?;
                let quintet = quintet.cast::<Quintet>()?.get();
                Ok(five_tuple(
                    params.map(|param| quintet.get(args.py(), param)),
                ))
            },
        )?;
        let set = PyCFunction::new_closure(
            py,
            None,
            None,
            move |args: &Bound<'_, PyTuple>, _: Option<&Bound<'_, PyDict>>| -> PyResult<()> {
                let (quintet, value) = (args.get_item(0)?, args.get_item(1)?);
                let plain = five(key, params, &value)?;
                quintet
                    .cast::<Quintet>()?
                    .get()
                    .set_five(args.py(), params, plain);
                Ok(())
            },
        )?;
        let doc = parameters::family_doc(params, what);
        class.setattr(key, property.call1((get, set, py.None(), doc))?)?;
    }
    class.setattr("__signature__", signature(py)?)
}

/// `Quintet`'s signature: the sample rate and the drone's values by position, then every
/// setting by name, each with its default.
fn signature<'py>(py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
    let inspect = py.import("inspect")?;
    let parameter = inspect.getattr("Parameter")?;
    let positional = parameter.getattr("POSITIONAL_OR_KEYWORD")?;
    let keyword = parameter.getattr("KEYWORD_ONLY")?;
    let make = |name: &str, kind: &Bound<'py, PyAny>, default: Bound<'py, PyAny>| {
        let arguments = PyDict::new(py);
        arguments.set_item("default", default)?;
        parameter.call((name, kind), Some(&arguments))
    };
    let gain = Param::GAIN.spec();
    let mut listed = vec![
        make(
            "sample_rate",
            &positional,
            DEFAULT_SAMPLE_RATE_HZ.into_pyobject(py)?.into_any(),
        )?,
        make("frequencies", &positional, py.None().into_bound(py))?,
        make("levels", &positional, py.None().into_bound(py))?,
        make(
            "gain",
            &positional,
            to_python(py, gain, f64::from(gain.default)),
        )?,
    ];
    for (param, key, _) in parameters::settings() {
        let spec = param.spec();
        listed.push(make(
            key,
            &keyword,
            to_python(py, spec, f64::from(spec.default)),
        )?);
    }
    for (params, key, _) in parameters::families() {
        let defaults = params.map(|param| f64::from(param.spec().default));
        listed.push(make(
            key,
            &keyword,
            five_tuple(defaults).into_pyobject(py)?.into_any(),
        )?);
    }
    inspect.getattr("Signature")?.call1((listed,))
}

/// The settings' part of the type stub: the keyword arguments of `__init__` (`indent` deep) or
/// the properties.
pub fn stub_keywords(indent: &str) -> String {
    let alone = parameters::settings().map(|(param, key, _)| {
        let spec = param.spec();
        let default = python_literal(spec, f64::from(spec.default));
        format!(
            "{indent}{key}: {} = {default},\n",
            parameters::type_name(spec)
        )
    });
    let families = parameters::families().map(|(params, key, _)| {
        let default = parameters::family_default(params);
        format!("{indent}{key}: FiveNumbers = {default},\n")
    });
    alone.chain(families).collect()
}

impl Quintet {
    /// `param`'s value as the engine holds it.
    fn get(&self, py: Python<'_>, param: Param) -> f64 {
        self.with_state(py, |state| {
            Values::from_settings(state.engine.settings()).get(param)
        })
    }

    /// Sets `param` to `plain` (a value it holds), at once, as the plugin hands the engine a
    /// change of it.
    fn set(&self, py: Python<'_>, param: Param, plain: f64) {
        self.set_five(py, [param], [plain]);
    }

    /// Sets each of `params` (of one group: a family, or one setting) to its value in `plain`
    /// (one it holds), as the plugin hands the engine a change of them.
    fn set_five<const N: usize>(&self, py: Python<'_>, params: [Param; N], plain: [f64; N]) {
        self.with_state(py, |state| {
            let mut values = Values::from_settings(state.engine.settings());
            set_all(&mut values, params, plain);
            apply(&mut state.engine, params[0], &values.settings());
        });
    }
}

/// Hands `engine` the new value of `param` (one of [`parameters::settings`]) from `settings`.
fn apply(engine: &mut Engine, param: Param, settings: &Settings) {
    match param {
        Param::MIDI => engine.set_midi(settings.midi),
        // Everything else the notes play with, as the plugin hands it on (a setting added later
        // too; tests/test_arguments.py sets every one).
        _ => engine.set_note_settings(settings),
    }
}
