//! Numbers as Python passes them, checked against their ranges in one place.
//!
//! Every number the module takes goes through [`Real`] (a float, an int, a numpy scalar: anything
//! with `__float__` or `__index__`) or [`Whole`] (an int or anything with `__index__`) and then
//! [`checked`], [`checked_whole`] or [`checked_int`], which name the argument in the error. A Python int has no
//! size limit: taken straight as an `f64` or `i64`, one past their range raised `OverflowError`
//! (`q.render(2**63)`, `q.voices = 2**64`, `q.gain = 10**400`), which names nothing and is not the
//! `ValueError` every other out-of-range value raises. Here such a number is kept as its text,
//! and the range check refuses it like any other.

use pyo3::exceptions::{PyOverflowError, PyValueError};
use pyo3::prelude::*;

/// A real number argument, before its range is checked: its value, or the text of an int too
/// large for a float.
pub struct Real(Result<f64, String>);

/// A whole-number argument, before its range is checked: its value, or the text of an int
/// beyond `i64`.
pub struct Whole(Result<i64, String>);

impl<'a, 'py> FromPyObject<'a, 'py> for Real {
    type Error = PyErr;

    fn extract(number: Borrowed<'a, 'py, PyAny>) -> PyResult<Self> {
        Ok(Self(too_large_as_text(&number, number.extract::<f64>())?))
    }
}

impl<'a, 'py> FromPyObject<'a, 'py> for Whole {
    type Error = PyErr;

    fn extract(number: Borrowed<'a, 'py, PyAny>) -> PyResult<Self> {
        Ok(Self(too_large_as_text(&number, number.extract::<i64>())?))
    }
}

/// `extracted` as it is, except that an `OverflowError` becomes the number's text; any other
/// error (a `TypeError` for a string, say) stays.
fn too_large_as_text<T>(
    number: &Borrowed<'_, '_, PyAny>,
    extracted: PyResult<T>,
) -> PyResult<Result<T, String>> {
    match extracted {
        Ok(value) => Ok(Ok(value)),
        Err(error) if error.is_instance_of::<PyOverflowError>(number.py()) => {
            Ok(Err(short_text(number)))
        }
        Err(error) => Err(error),
    }
}

/// A number's text for a message: as Python prints it, or its length for a very long one.
fn short_text(number: &Borrowed<'_, '_, PyAny>) -> String {
    /// Longer texts are summed up: `10**400` has 401 digits, nobody reads them.
    const LONGEST: usize = 40;
    let text = number
        .str()
        .map_or_else(|_| String::from("?"), |text| text.to_string());
    if text.len() <= LONGEST {
        text
    } else {
        format!("a number of {} digits", text.trim_start_matches('-').len())
    }
}

/// `value` if it is finite and within `range`, else a `ValueError` naming it.
pub fn checked(name: &str, value: Real, range: (f64, f64), unit: &str) -> PyResult<f64> {
    let (low, high) = range;
    match value.0 {
        Ok(value) if value.is_finite() && (low..=high).contains(&value) => Ok(value),
        got => Err(PyValueError::new_err(format!(
            "{name} must be a finite number from {low}{unit} to {high}{unit}, got {}",
            shown(got)
        ))),
    }
}

/// A whole number from `low` to `high`; a `ValueError` names it otherwise.
pub fn checked_int(name: &str, value: Whole, low: i64, high: i64) -> PyResult<i64> {
    match value.0 {
        Ok(value) if (low..=high).contains(&value) => Ok(value),
        got => Err(PyValueError::new_err(format!(
            "{name} must be a whole number from {low} to {high}, got {}",
            shown(got)
        ))),
    }
}

/// A refused value as the message shows it.
fn shown<T: std::fmt::Display>(value: Result<T, String>) -> String {
    value.map_or_else(|text| text, |value| value.to_string())
}

/// A whole number from `range.0` to `range.1`, given as any real number (`2`, `2.0`,
/// `numpy.int64(2)`): a fraction or a value outside the range is a `ValueError` naming it.
pub fn checked_whole(name: &str, value: Real, range: (f64, f64), unit: &str) -> PyResult<f64> {
    let (low, high) = range;
    match value.0 {
        Ok(value) if value.fract() == 0.0 && (low..=high).contains(&value) => Ok(value),
        got => Err(PyValueError::new_err(format!(
            "{name} must be a whole number from {low}{unit} to {high}{unit}, got {}",
            shown(got)
        ))),
    }
}
