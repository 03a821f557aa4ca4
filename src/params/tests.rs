//! The plugin's parameters and the registry agree: what nice-plug does with a parameter built
//! from a declaration is what core (the renderer, the Python module, the presets) computes from
//! the declaration alone, to the bit.

use super::*;
use crate::dsp::bank::SILENCE_GAIN;
use nice_plug::prelude::{FloatRange, Param as _, formatters, util};
use quintet_core::limits::MAX_GAIN_DB;
use quintet_core::params::gain_text::{self, MINUS_INFINITY_DB, MINUS_INFINITY_GAIN};
use quintet_core::params::{Kind, PARAMS, ParamSpec, Scale};

/// Positions to compare at: an even grid finer than any step, both ends, just inside them,
/// and positions between grid points.
fn positions() -> impl Iterator<Item = f32> {
    let grid = (0..=20_000).map(|k| k as f32 / 20_000.0);
    let golden = (1..=2_000).map(|k| (k as f32 * 0.618_034).fract());
    let edges = [
        0.0f32.next_up(),
        1.0f32.next_down(),
        -0.5,
        1.5,
        f32::MIN_POSITIVE,
    ];
    grid.chain(golden).chain(edges)
}

/// Plain values to compare at: the range's positions' values and values between them.
fn plains(spec: &ParamSpec) -> Vec<f32> {
    let (min, max) = spec.bounds();
    let (min, max) = (min as f32, max as f32);
    let mut values: Vec<f32> = (0..=4_000)
        .map(|k| min + (max - min) * (k as f32 / 4_000.0).powi(3))
        .collect();
    values.extend([min - 1.0, max + 1.0, min.next_up(), max.next_down()]);
    values
}

#[test]
fn every_continuous_parameters_range_maps_as_the_registrys() {
    let params = QuintetParams::default();
    for param in Param::ALL {
        let spec = param.spec();
        let Kind::Float { range, .. } = spec.kind else {
            continue;
        };
        let plugin = params.float(param);
        let nice_range = nice_plug_range(range);
        for normalized in positions() {
            assert_eq!(
                nice_range.unnormalize(normalized).to_bits(),
                range.unnormalize(normalized).to_bits(),
                "{} unnormalize({normalized})",
                spec.id
            );
            assert_eq!(
                plugin.preview_plain(normalized).to_bits(),
                spec.unnormalize(normalized).to_bits(),
                "{} at {normalized}",
                spec.id
            );
        }
        for plain in plains(spec) {
            assert_eq!(
                plugin.preview_normalized(plain).to_bits(),
                spec.normalize(plain).to_bits(),
                "{} position of {plain}",
                spec.id
            );
        }
    }
}

#[test]
fn counts_and_switches_map_as_the_registrys() {
    let params = QuintetParams::default();
    for param in Param::ALL {
        let spec = param.spec();
        for normalized in positions() {
            let plugin = match params.get(param) {
                PluginParam::Float(_) => continue,
                PluginParam::Int(int) => int.preview_plain(normalized) as f32,
                PluginParam::Switch(switch) => {
                    f32::from(u8::from(switch.preview_plain(normalized)))
                }
            };
            assert_eq!(
                plugin,
                spec.unnormalize(normalized),
                "{} at {normalized}",
                spec.id
            );
        }
        let (min, max) = spec.bounds();
        for plain in (min as i32 - 1)..=(max as i32 + 1) {
            let plugin = match params.get(param) {
                PluginParam::Float(_) => continue,
                PluginParam::Int(int) => int.preview_normalized(plain),
                PluginParam::Switch(switch) => switch.preview_normalized(plain >= 1),
            };
            let core = spec.normalize(plain as f32);
            assert_eq!(
                plugin.to_bits(),
                core.to_bits(),
                "{} position of {plain}",
                spec.id
            );
        }
    }
}

/// The texts a host shows and takes are the declaration's, for every parameter at every
/// position.
#[test]
fn every_parameters_texts_are_the_registrys() {
    let params = QuintetParams::default();
    for param in Param::ALL {
        let spec = param.spec();
        let plugin = params.get(param);
        for normalized in positions().step_by(7) {
            let value = spec.unnormalize(normalized);
            let shown = match plugin {
                PluginParam::Float(p) => p.normalized_value_to_string(normalized, true),
                PluginParam::Int(p) => p.normalized_value_to_string(normalized, true),
                PluginParam::Switch(p) => p.normalized_value_to_string(normalized, true),
            };
            let unit = if matches!(spec.kind, Kind::Switch) {
                ""
            } else {
                spec.unit()
            };
            assert_eq!(
                shown,
                format!("{}{unit}", spec.value_to_text(value)),
                "{}",
                spec.id
            );
        }
        assert_eq!(
            params
                .param_map()
                .iter()
                .find(|(id, ..)| id == spec.id)
                .map(|(_, ptr, _)| *ptr),
            Some(plugin.as_ptr()),
            "{} is listed under its id",
            spec.id
        );
    }
}

#[test]
fn the_gain_skews_are_nice_plugs_for_minus_60_to_0_and_plus_12_db() {
    for (param, max_db) in [(Param::GAIN, MAX_GAIN_DB), (Param::LEVELS[0], 0.0)] {
        let Kind::Float { range, .. } = param.spec().kind else {
            panic!("the gain is continuous");
        };
        assert_eq!(
            range.scale,
            Scale::Skewed {
                factor: FloatRange::gain_skew_factor(-60.0, max_db)
            },
            "{}",
            param.spec().id
        );
        assert_eq!(range.max, util::db_to_gain(max_db), "{}", param.spec().id);
    }
}

/// core's dB texts and conversions are nice-plug's (which the old parameters used), so the
/// gain and levels read and parse as they always did.
#[test]
fn gain_texts_and_conversions_are_nice_plugs() {
    assert_eq!(MINUS_INFINITY_DB, util::MINUS_INFINITY_DB);
    assert_eq!(MINUS_INFINITY_GAIN, util::MINUS_INFINITY_GAIN);
    assert_eq!(SILENCE_GAIN, util::MINUS_INFINITY_GAIN);
    let nice_text = formatters::v2s_f32_gain_to_db(1);
    let nice_parse = formatters::s2v_f32_gain_to_db();
    let spec = Param::GAIN.spec();
    for k in 0..=100_000 {
        let gain = k as f32 / 100_000.0;
        let db = -120.0 + k as f32 * 0.0013;
        assert_eq!(
            gain_text::gain_to_db(gain).to_bits(),
            util::gain_to_db(gain).to_bits()
        );
        assert_eq!(
            gain_text::db_to_gain(db).to_bits(),
            util::db_to_gain(db).to_bits()
        );
        // nice-plug's text reads "-100.0" just above silence, which does not parse back to
        // what it shows; core's reads "-inf" there (the only difference, on purpose).
        let shown = spec.value_to_text(gain);
        if shown != "-inf" {
            assert_eq!(shown, nice_text(gain), "{gain}");
        } else {
            assert!(gain_text::gain_to_db(gain) < -99.94, "{gain}");
        }
        let typed = format!("{db:.2} dB");
        assert_eq!(
            spec.text_to_value(&typed).map(f32::to_bits),
            nice_parse(&typed).map(f32::to_bits),
            "{typed}"
        );
    }
    for typed in ["-inf", "-inf dB", "0", "-6 dBFS", "junk", ""] {
        assert_eq!(
            spec.text_to_value(typed),
            nice_parse(typed).filter(|gain| gain.is_finite()),
            "{typed:?}"
        );
    }
    // nice-plug reads a typed "nan" as silence; Quintet refuses it as no number, as `render`
    // always has (on purpose, the other difference).
    assert_eq!(nice_parse("nan"), Some(0.0));
    assert_eq!(spec.text_to_value("nan"), None);
}

#[test]
fn the_middle_of_a_frequency_slider_is_the_geometric_middle_of_the_range() {
    let middle = QuintetParams::default()
        .float(Param::FREQUENCIES[0])
        .preview_plain(0.5);
    assert!((middle / 632.5 - 1.0).abs() < 0.02, "{middle}");
}

#[test]
fn a_host_setting_a_displayed_value_gets_that_exact_value() {
    let params = QuintetParams::default();
    let param = params.float(Param::FREQUENCIES[1]);
    for text in [
        "20 Hz",
        "20.01 Hz",
        "200 Hz",
        "250 Hz",
        "440 Hz",
        "440.5 Hz",
        "1.20 kHz",
        "16.2944 kHz",
        "16.38482 kHz",
        "19.99999 kHz",
        "20.00 kHz",
    ] {
        let value = text_to_frequency(text).unwrap();
        let normalized = param.string_to_normalized_value(text).unwrap();
        assert_eq!(param.preview_plain(normalized), value, "{text}");
        assert_eq!(param.normalized_value_to_string(normalized, true), text);
    }
}

#[test]
fn the_modulated_parameters_are_the_registrys() {
    let params = QuintetParams::default();
    for target in Modulated::ALL {
        let param = params.modulated(target);
        let id = poly_modulation_id(target);
        assert_eq!(param.poly_modulation_id(), Some(id));
        assert_eq!(modulated_by_id(id), Some(target));
    }
    let modulated = PARAMS.iter().filter(|spec| spec.modulated.is_some());
    assert_eq!(modulated.count(), Modulated::ALL.len());
}

#[test]
fn the_engine_settings_are_the_registrys_values() {
    let params = QuintetParams::default();
    assert_eq!(params.engine_settings(), Values::default().settings());
    // SAFETY: the pointers point into `params`, which only this test sees.
    unsafe {
        params
            .get(Param::MUTES[2])
            .as_ptr()
            ._internal_set_normalized_value(1.0);
        params
            .get(Param::VOICES)
            .as_ptr()
            ._internal_set_normalized_value(0.0);
    }
    let settings = params.engine_settings();
    assert_eq!(settings.levels, [1.0, 1.0, 0.0, 1.0, 1.0]);
    assert_eq!(settings.voices, 1);
}

#[test]
fn the_editor_size_is_saved_and_restored_with_the_state() {
    let params = QuintetParams::default();
    let fields = params.serialize_fields();
    assert_eq!(
        fields.get("editor").map(String::as_str),
        Some(r#"{"height":700.0,"width":820.0,"zoom":1.0}"#)
    );
    let restored = QuintetParams::default();
    let saved = BTreeMap::from([(
        String::from("editor"),
        String::from(r#"{"height":800.0,"width":1000.0,"zoom":1.5}"#),
    )]);
    restored.deserialize_fields(&saved);
    assert_eq!(restored.editor.load().width, 1000.0);
    assert_eq!(restored.editor.load().zoom, 1.5);
    // A damaged field changes nothing.
    let damaged = BTreeMap::from([(String::from("editor"), String::from("{"))]);
    restored.deserialize_fields(&damaged);
    assert_eq!(restored.editor.load().width, 1000.0);
}

/// nice-plug-core patch 0001 (docs/PATCHES.md): a host's automation event leaves a parameter
/// without smoothing (all of Quintet's) holding its new value, not retargeted for one step.
#[test]
fn automation_leaves_an_unsmoothed_parameter_holding_its_value() {
    let params = QuintetParams::default();
    for param in Param::FREQUENCIES {
        let float = params.float(param);
        let ptr = params.get(param).as_ptr();
        // SAFETY: the pointer points into `params`, which only this test sees; this is what
        // the CLAP wrapper does with an automation event in `process`.
        unsafe {
            ptr._internal_set_normalized_value(0.3);
            ptr._internal_update_smoother(48_000.0, false);
        }
        assert!(
            !float.smoothed.is_smoothing(),
            "{} is retargeted at every event",
            param.spec().id
        );
        assert_eq!(float.smoothed.previous_value(), float.value());
        assert_eq!(float.smoothed.next(), float.value());
    }
}

/// nice-plug-core patch 0001: the step's rounding without a library call is `f32::round` to
/// the bit, so every stepped value (a frequency on its 0.01 Hz grid) is what it was.
#[test]
fn the_frameworks_rounding_to_a_step_is_f32_round() {
    use nice_plug::params::range::round_half_away;
    use nice_plug::prelude::FloatRange as NiceRange;
    let check = |x: f32| {
        if x.is_nan() {
            // The step's rounding sees quotients, whose NaNs are quiet; any NaN stays one.
            assert!(round_half_away(x).is_nan());
            return;
        }
        assert_eq!(
            round_half_away(x).to_bits(),
            x.round().to_bits(),
            "{x:e} ({:#010x})",
            x.to_bits()
        );
    };
    // Every 65,537th bit pattern (both signs, infinities and NaNs included)...
    for bits in (0..=u32::MAX).step_by(65_537) {
        check(f32::from_bits(bits));
    }
    // ...and every half-integer below 2^22 with its neighbours (above it there are none),
    // every value around the last ones below 2^23, and the smallest.
    for k in 0..(1u32 << 22) {
        let half = k as f32 + 0.5;
        for x in [half, half.next_down(), half.next_up()] {
            check(x);
            check(-x);
        }
    }
    let mut x = 8_388_608.0f32;
    for _ in 0..4_096 {
        x = x.next_down();
        check(x);
        check(-x);
    }
    for x in [0.0, f32::MIN_POSITIVE, f32::from_bits(1), 0.49999997, 0.5] {
        check(x);
        check(-x);
    }
    // And through a range, as the frequencies snap.
    let range = NiceRange::Linear {
        min: 20.0,
        max: 20_000.0,
    };
    for k in 0..=200_000 {
        let value = 20.0 + k as f32 * 0.099_9;
        assert_eq!(
            range.snap_to_step(value, 0.01).to_bits(),
            ((value / 0.01).round() * 0.01)
                .clamp(20.0, 20_000.0)
                .to_bits(),
            "{value}"
        );
    }
}
