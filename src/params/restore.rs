//! A saved state made loadable before nice-plug sets the parameters from it: the values of
//! parameters it predates added ([`add_missing_new_parameters`]), and every value brought into
//! its parameter's range ([`clamp_restored_values`]). Both walk the registry, so a parameter
//! added later is covered by its declaration alone.

use nice_plug::plugin::ParamValue;
use quintet_core::params::{FloatText, Kind, PARAMS, ParamSpec};
use std::collections::BTreeMap;

/// Migrates the parameter values of a state saved before some parameters existed (the levels,
/// mutes, MIDI mode, …): each gets the value its declaration says such a state means
/// ([`ParamSpec::before_it_existed`]). nice-plug only sets the parameters a state names, so
/// without this an old preset loaded over muted partials would stay muted.
///
/// A state with none of the first release's parameters is not a Quintet state at all (another
/// plugin's, say): it is left alone, so it changes nothing, rather than being read as a very
/// old Quintet.
pub fn add_missing_new_parameters(state_params: &mut BTreeMap<String, ParamValue>) {
    let first_release = PARAMS
        .iter()
        .filter(|spec| spec.before_it_existed.is_none());
    if !first_release
        .clone()
        .any(|spec| state_params.contains_key(spec.id))
    {
        return;
    }
    for spec in &PARAMS {
        if let Some(value) = spec.before_it_existed {
            state_params
                .entry(String::from(spec.id))
                .or_insert_with(|| stored(spec, value));
        }
    }
}

/// `value` as a state stores it for `spec`'s kind of parameter.
fn stored(spec: &ParamSpec, value: f32) -> ParamValue {
    match spec.kind {
        Kind::Float { .. } => ParamValue::F32(value),
        Kind::Int { .. } => ParamValue::I32(value.round() as i32),
        Kind::Switch => ParamValue::Bool(value >= 0.5),
    }
}

/// Clamps every value of a state being restored to its parameter's range (a NaN becomes the
/// default). nice-plug stores a restored plain value as the state says, unclamped: a damaged or
/// hostile state with `"gain": 5.0` would play at five times full scale, and `"mglide": 1e30`
/// glided for ever and was saved back as 1e30. Walking the registry here, rather than clamping
/// each where it is read, means a parameter added later cannot be missed.
///
/// Frequencies also snap to their 0.01 Hz step, as nice-plug does for a host's position, so a
/// restored partial plays exactly the value its text names: a state from a version with the
/// 0.1 Hz step holds values up to one `f32` step (0.001 Hz) off today's grid.
pub fn clamp_restored_values(state_params: &mut BTreeMap<String, ParamValue>) {
    for spec in &PARAMS {
        match (spec.kind, state_params.get_mut(spec.id)) {
            (
                Kind::Float {
                    range, step, text, ..
                },
                Some(ParamValue::F32(value)),
            ) => {
                *value = match step {
                    Some(step) if text == FloatText::Frequency && !value.is_nan() => {
                        range.snap_to_step(*value, step)
                    }
                    _ => spec.clamp(f64::from(*value)) as f32,
                };
            }
            (Kind::Int { .. }, Some(ParamValue::I32(value))) => {
                *value = spec.clamp(f64::from(*value)) as i32;
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::params::text_to_frequency;
    use quintet_core::params::Param;

    #[test]
    fn a_restored_frequency_plays_the_value_its_text_names() {
        // 16294.4 Hz as the 0.1 Hz grid of earlier versions held it: one f32 step off today's.
        let saved = (16_294.4f32 / 0.1).round() * 0.1;
        assert_ne!(Some(saved), text_to_frequency("16.2944 kHz"));
        let mut state = BTreeMap::from([
            (String::from("freq1"), ParamValue::F32(saved)),
            (String::from("freq2"), ParamValue::F32(440.123)),
            (String::from("freq3"), ParamValue::F32(200.0)),
            (String::from("attack"), ParamValue::F32(5.123)),
        ]);
        clamp_restored_values(&mut state);
        let value = |id: &str| match state[id] {
            ParamValue::F32(value) => value,
            _ => unreachable!(),
        };
        assert_eq!(Some(value("freq1")), text_to_frequency("16.2944 kHz"));
        assert!((value("freq1") - saved).abs() < 0.001);
        assert_eq!(Some(value("freq2")), text_to_frequency("440.12 Hz"));
        assert_eq!(value("freq3"), 200.0);
        // Only the frequencies: the other parameters keep what the state says.
        assert_eq!(value("attack"), 5.123);
    }

    #[test]
    fn damaged_values_come_back_in_range() {
        let mut state = BTreeMap::from([
            (String::from("freq1"), ParamValue::F32(f32::NAN)),
            (String::from("freq2"), ParamValue::F32(1e9)),
            (String::from("gain"), ParamValue::F32(50.0)),
            (String::from("mglide"), ParamValue::F32(1e30)),
            (String::from("sustain"), ParamValue::F32(f32::NAN)),
            (String::from("voices"), ParamValue::I32(-3)),
            (String::from("bendrng"), ParamValue::I32(i32::MAX)),
        ]);
        clamp_restored_values(&mut state);
        let expected = [
            ("freq1", ParamValue::F32(200.0)),
            ("freq2", ParamValue::F32(20_000.0)),
            ("gain", ParamValue::F32(3.981_072)),
            ("mglide", ParamValue::F32(1000.0)),
            ("sustain", ParamValue::F32(1.0)),
            ("voices", ParamValue::I32(1)),
            ("bendrng", ParamValue::I32(96)),
        ];
        for (id, value) in expected {
            assert_eq!(format!("{:?}", state[id]), format!("{value:?}"), "{id}");
        }
    }

    /// Each parameter the first release lacked is migrated to what its declaration says an
    /// older state means: its default, except where the old sound needs another value, which
    /// is voices alone (one voice, MIDI mode's count before voices existed).
    #[test]
    fn every_parameter_added_after_the_first_release_is_migrated() {
        let mut migrated = BTreeMap::from([(String::from("freq1"), ParamValue::F32(200.0))]);
        add_missing_new_parameters(&mut migrated);
        let mut away_from_default = Vec::new();
        for param in Param::ALL {
            let spec = param.spec();
            let Some(old) = spec.before_it_existed else {
                assert!(spec.id == "freq1" || !migrated.contains_key(spec.id));
                continue;
            };
            let value = match migrated.get(spec.id) {
                Some(ParamValue::F32(value)) => *value,
                Some(ParamValue::I32(value)) => *value as f32,
                Some(ParamValue::Bool(value)) => f32::from(u8::from(*value)),
                other => panic!("{} migrates to {other:?}", spec.id),
            };
            assert_eq!(value, old, "{}", spec.id);
            if value != spec.default {
                away_from_default.push(spec.id);
            }
        }
        assert_eq!(away_from_default, ["voices"]);
        let added = PARAMS
            .iter()
            .filter(|spec| spec.before_it_existed.is_some());
        assert_eq!(
            migrated.len(),
            1 + added.count(),
            "freq1 and every one added since"
        );
    }

    #[test]
    fn a_state_that_has_the_new_parameters_keeps_them() {
        let mut state = BTreeMap::from([
            (String::from("gain"), ParamValue::F32(1.0)),
            (String::from("level2"), ParamValue::F32(0.25)),
        ]);
        add_missing_new_parameters(&mut state);
        assert!(matches!(state["level2"], ParamValue::F32(v) if v == 0.25));
        assert!(matches!(state["voices"], ParamValue::I32(1)));
    }

    #[test]
    fn a_state_without_any_of_quintets_ids_is_not_migrated() {
        let mut state = BTreeMap::from([(String::from("cutoff"), ParamValue::F32(0.5))]);
        add_missing_new_parameters(&mut state);
        assert_eq!(state.len(), 1);
    }
}
