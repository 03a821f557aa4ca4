//! A saved state made loadable before nice-plug sets the parameters from it: the values of
//! parameters it predates added ([`add_missing_new_parameters`]), its gain carried over from
//! the level law it was saved under ([`carry_gain_to_current_law`]), and every value brought
//! into its parameter's range ([`clamp_restored_values`]). They walk the registry, so a
//! parameter added later is covered by its declaration alone.

use nice_plug::plugin::ParamValue;
use quintet_core::params::{FloatText, Kind, LevelLaw, PARAMS, Param, ParamSpec};
use std::collections::BTreeMap;

/// The state field naming the level law a state was saved under ([`LevelLaw::number`]); a
/// state without it is from before the first law change.
pub const LEVEL_LAW_FIELD: &str = "level_law";

/// The value of [`LEVEL_LAW_FIELD`] every state saved now carries.
pub fn current_level_law_field() -> String {
    LevelLaw::CURRENT.number().to_string()
}

/// Whether `state_params` name any of the first release's parameters: a state with none is not
/// a Quintet state at all (another plugin's, say), and is left alone rather than read as a very
/// old Quintet.
fn is_quintet_state(state_params: &BTreeMap<String, ParamValue>) -> bool {
    PARAMS
        .iter()
        .filter(|spec| spec.before_it_existed.is_none())
        .any(|spec| state_params.contains_key(spec.id))
}

/// Carries the gain of a state saved under an earlier level law over to the current one, so it
/// plays as loud as it did ([`LevelLaw::carry_gain`], for the MIDI mode and voice count saved
/// with it), and marks the state as of the current law. Run after
/// [`add_missing_new_parameters`] (a very old state's mode and voices are then known) and
/// before [`clamp_restored_values`]. A state of a law this Quintet does not know (a newer
/// one's) keeps its gain.
pub fn carry_gain_to_current_law(
    state_params: &mut BTreeMap<String, ParamValue>,
    fields: &mut BTreeMap<String, String>,
) {
    if !is_quintet_state(state_params) {
        return;
    }
    let law = match fields.get(LEVEL_LAW_FIELD) {
        None => Some(LevelLaw::OneOverVoices),
        Some(number) => number.trim().parse().ok().and_then(LevelLaw::from_number),
    };
    let Some(law) = law else {
        return;
    };
    let midi = matches!(
        state_params.get(Param::MIDI.spec().id),
        Some(ParamValue::Bool(true))
    );
    let voices = match state_params.get(Param::VOICES.spec().id) {
        Some(ParamValue::I32(voices)) => Param::VOICES.spec().clamp(f64::from(*voices)) as u32,
        _ => Param::VOICES.spec().default as u32,
    };
    if let Some(ParamValue::F32(gain)) = state_params.get_mut(Param::GAIN.spec().id) {
        *gain = law.carry_gain(f64::from(*gain), midi, voices) as f32;
    }
    fields.insert(String::from(LEVEL_LAW_FIELD), current_level_law_field());
}

/// Migrates the parameter values of a state saved before some parameters existed (the levels,
/// mutes, MIDI mode, …): each gets the value its declaration says such a state means
/// ([`ParamSpec::before_it_existed`]). nice-plug only sets the parameters a state names, so
/// without this an old preset loaded over muted partials would stay muted.
///
/// A state with none of the first release's parameters is not a Quintet state at all (another
/// plugin's, say): it is left alone, so it changes nothing, rather than being read as a very
/// old Quintet.
pub fn add_missing_new_parameters(state_params: &mut BTreeMap<String, ParamValue>) {
    if !is_quintet_state(state_params) {
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
    /// older state means: its default, except where the old sound needs another value: voices
    /// (one voice, MIDI mode's count before voices existed), MPE (on: the lower zone was
    /// always on before it could be switched off), the mod wheel's vibrato and CC74's brightness
    /// (none: old projects ignored CC1 and CC74).
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
        assert_eq!(away_from_default, ["voices", "mpe", "wheelvib", "timbre"]);
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
        let mut fields = BTreeMap::new();
        add_missing_new_parameters(&mut state);
        carry_gain_to_current_law(&mut state, &mut fields);
        assert_eq!(state.len(), 1);
        assert!(fields.is_empty());
    }

    /// The gain after [`carry_gain_to_current_law`] of a state with `gain`, `voices` and MIDI
    /// mode on, whose `level_law` field is `law`, and the field afterwards.
    fn carried(law: Option<&str>, gain: f32, voices: i32) -> (f32, Option<String>) {
        let mut state = BTreeMap::from([
            (String::from("gain"), ParamValue::F32(gain)),
            (String::from("midi"), ParamValue::Bool(true)),
            (String::from("voices"), ParamValue::I32(voices)),
        ]);
        let mut fields: BTreeMap<String, String> = law
            .map(|law| (String::from(LEVEL_LAW_FIELD), String::from(law)))
            .into_iter()
            .collect();
        carry_gain_to_current_law(&mut state, &mut fields);
        let ParamValue::F32(gain) = state["gain"] else {
            unreachable!()
        };
        (gain, fields.get(LEVEL_LAW_FIELD).cloned())
    }

    #[test]
    fn a_gain_is_carried_over_from_the_law_its_state_names() {
        let current = Some(current_level_law_field());
        // No field: the 1/Voices law. Eight voices each played at an eighth of full scale.
        assert_eq!(carried(None, 1.0, 8), (0.25, current.clone()));
        assert_eq!(carried(Some("1"), 1.0, 1), (2.0, current.clone()));
        // Today's law, and one this Quintet does not know, keep the gain as saved.
        assert_eq!(carried(Some("2"), 0.3, 8), (0.3, current));
        assert_eq!(carried(Some("9"), 0.3, 8), (0.3, Some(String::from("9"))));
    }
}
