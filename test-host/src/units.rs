//! The one unit the tests speak for parameter values, and its conversion to and from CLAP's.
//!
//! Every value a test hands this host or gets back from it is *normalized*: 0..1 across the
//! parameter's range, whatever kind of parameter it is. CLAP itself has no such convention: a
//! parameter's values run from the `min_value` to the `max_value` its `get_info` reports, and
//! nice-plug (0.4.2) reports 0..1 only for continuous parameters. A stepped one (an `IntParam`,
//! an `EnumParam`) it exposes in steps: min 0, max = its step count (15 for an `IntParam` of
//! 1..=16), value = normalized × step count; its `param_mod` amounts, `get_value`,
//! `value_to_text` and `text_to_value` use the same units. So the host converts at the boundary,
//! with each parameter's range read once when the instance is created:
//! - what it sends (`param_value` events, `flush`, `value_to_text`'s input): normalized n
//!   becomes `min + n · (max − min)`;
//! - modulation offsets (`param_mod` events, monophonic or per voice) are distances, not
//!   positions: an offset d becomes `d · (max − min)`, without the shift by `min`;
//! - what it reads (`get_value`, `text_to_value`'s output, the range and default of `get_info`):
//!   a CLAP value v becomes `(v − min) / (max − min)`.
//!
//! A parameter CLAP already sees as 0..1 passes through bit for bit, and so does a value for an
//! id the plugin does not declare (the plugin decides what to do with it). Hostile values stay
//! hostile: a non-finite value stays non-finite, and a finite one stays finite (one that the
//! scaling would overflow saturates at ±`f64::MAX`), so the plugin still sees what the test means
//! to send.

use clack_extensions::params::ParamInfo;
use clack_host::prelude::ClapId;

/// One parameter's CLAP range: where its normalized 0 and 1 lie in CLAP's values.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct ParamScale {
    pub(crate) id: ClapId,
    /// CLAP's `min_value`: normalized 0.
    min: f64,
    /// CLAP's `max_value − min_value`: the CLAP distance of normalized 1.
    span: f64,
}

impl ParamScale {
    pub(crate) fn of(info: &ParamInfo) -> Self {
        Self {
            id: info.id,
            min: info.min_value,
            span: info.max_value - info.min_value,
        }
    }

    /// The CLAP value of normalized position `normalized`.
    pub(crate) fn clap_value(&self, normalized: f64) -> f64 {
        if self.min == 0.0 {
            self.clap_offset(normalized)
        } else {
            keep_finite(normalized, self.min + normalized * self.span)
        }
    }

    /// The CLAP amount of a modulation offset of `offset` normalized units.
    pub(crate) fn clap_offset(&self, offset: f64) -> f64 {
        if self.span == 1.0 {
            offset
        } else {
            keep_finite(offset, offset * self.span)
        }
    }

    /// The normalized position of CLAP value `value`.
    pub(crate) fn normalized(&self, value: f64) -> f64 {
        let offset = if self.min == 0.0 {
            value
        } else {
            value - self.min
        };
        if self.span == 1.0 {
            offset
        } else {
            offset / self.span
        }
    }
}

/// `scaled`, or ±`f64::MAX` if scaling the finite `value` overflowed.
fn keep_finite(value: f64, scaled: f64) -> f64 {
    if value.is_finite() && !scaled.is_finite() {
        f64::MAX.copysign(scaled)
    } else {
        scaled
    }
}

/// Every parameter's [`ParamScale`], in the order the plugin lists them. Small (a few dozen
/// entries) and searched linearly, so the audio thread can convert events with it without
/// allocating.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct ParamScales(Vec<ParamScale>);

impl ParamScales {
    pub(crate) fn new(scales: Vec<ParamScale>) -> Self {
        Self(scales)
    }

    fn get(&self, param: ClapId) -> Option<&ParamScale> {
        self.0.iter().find(|scale| scale.id == param)
    }

    /// [`ParamScale::clap_value`] for `param`; unchanged for an unknown id.
    pub(crate) fn clap_value(&self, param: ClapId, normalized: f64) -> f64 {
        self.get(param)
            .map_or(normalized, |scale| scale.clap_value(normalized))
    }

    /// [`ParamScale::clap_offset`] for `param`; unchanged for an unknown id.
    pub(crate) fn clap_offset(&self, param: ClapId, offset: f64) -> f64 {
        self.get(param)
            .map_or(offset, |scale| scale.clap_offset(offset))
    }

    /// [`ParamScale::normalized`] for `param`; unchanged for an unknown id.
    pub(crate) fn normalized(&self, param: ClapId, value: f64) -> f64 {
        self.get(param)
            .map_or(value, |scale| scale.normalized(value))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scale(min: f64, max: f64) -> ParamScale {
        ParamScale {
            id: ClapId::new(7),
            min,
            span: max - min,
        }
    }

    #[test]
    fn normalized_values_map_onto_the_clap_range_and_back() {
        // An IntParam 1..=16 as nice-plug exposes it: 15 steps.
        let voices = scale(0.0, 15.0);
        assert_eq!(voices.clap_value(0.0), 0.0);
        assert_eq!(voices.clap_value(1.0), 15.0);
        assert_eq!(voices.clap_value(7.0 / 15.0), 7.0);
        assert_eq!(voices.normalized(7.0), 7.0 / 15.0);
        assert_eq!(voices.clap_offset(-0.2), -3.0);
        // A range that does not start at 0: offsets are not shifted.
        let shifted = scale(-2.0, 2.0);
        assert_eq!(shifted.clap_value(0.25), -1.0);
        assert_eq!(shifted.normalized(-1.0), 0.25);
        assert_eq!(shifted.clap_offset(0.25), 1.0);
        assert_eq!(shifted.normalized(shifted.clap_value(0.8)), 0.8);
    }

    #[test]
    fn a_normalized_parameter_and_hostile_values_pass_through_as_they_are() {
        let unit = scale(0.0, 1.0);
        for value in [-0.0, 1e300, f64::MAX, f64::MIN, -1.0, f64::INFINITY] {
            assert_eq!(unit.clap_value(value).to_bits(), value.to_bits());
            assert_eq!(unit.clap_offset(value).to_bits(), value.to_bits());
            assert_eq!(unit.normalized(value).to_bits(), value.to_bits());
        }
        assert!(unit.clap_value(f64::NAN).is_nan());
        let steps = scale(0.0, 96.0);
        assert_eq!(steps.clap_value(f64::MAX), f64::MAX, "finite stays finite");
        assert_eq!(steps.clap_offset(f64::MIN), f64::MIN);
        assert_eq!(steps.clap_value(f64::NEG_INFINITY), f64::NEG_INFINITY);
        assert!(steps.clap_value(f64::NAN).is_nan());
        assert_eq!(
            steps.clap_value(1.5),
            144.0,
            "out of range stays out of range"
        );
    }

    #[test]
    fn unknown_ids_pass_through() {
        let scales = ParamScales::new(vec![scale(0.0, 15.0)]);
        assert_eq!(scales.clap_value(ClapId::new(7), 1.0), 15.0);
        assert_eq!(scales.clap_value(ClapId::new(8), 1.0), 1.0);
        assert_eq!(scales.clap_offset(ClapId::new(8), 0.5), 0.5);
        assert_eq!(scales.normalized(ClapId::new(8), 3.0), 3.0);
    }
}
