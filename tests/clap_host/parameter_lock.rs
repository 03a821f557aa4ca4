//! The parameter lock: Quintet's parameter list, exactly, seen through the library and through a
//! CLAP host.
//!
//! THESE IDS ARE PERMANENT. Hosts store automation lanes, presets and whole projects under the
//! string ids (VST3 and CLAP hash them into the numeric ids below), and the state blob stores values
//! by string id, and automation lanes hold normalized positions: renaming, re-ranging, changing a
//! default or the curve a slider follows (its skew, its step) silently breaks every saved session.
//! If this test fails, the change is wrong — not the test; add a new parameter instead.

use nice_plug::prelude::{BoolParam, FloatParam, IntParam, Param as _, Params};
use quintet::params::{Param, QuintetParams};
use quintet_test_host::QuintetHost;

/// The slider positions whose values are locked: a curve (the skew) that moves them moves every
/// automation lane a host saved for the parameter.
const CURVE_AT: [f32; 3] = [0.25, 0.5, 0.75];

/// A frequency's plain values at [`CURVE_AT`], in Hz: 632 Hz, the geometric middle of
/// 20 Hz – 20 kHz, near the middle (on the 0.01 Hz grid).
const FREQUENCY_CURVE: [f32; 3] = [38.84, 633.6, 4727.1997];
/// A level's linear gains at [`CURVE_AT`]: −60.5, −30.3 and −12.6 dB.
const LEVEL_CURVE: [f32; 3] = [0.000_939_632_1, 0.030_653_419, 0.235_413_85];
/// The gain's linear gains at [`CURVE_AT`]: −60.3, −24.1 and −3.0 dB. Issue 23 moved its top
/// from 0 dB to +12 dB and the curve with it, on purpose (the lead's decision; the level law
/// changed what a gain plays anyway): see the README on Gain automation recorded before.
const GAIN_CURVE: [f32; 3] = [0.000_969_039_74, 0.062_111_33, 0.708_105_8];
/// An envelope time's milliseconds at [`CURVE_AT`] (on the 0.1 ms grid).
const ENVELOPE_CURVE: [f32; 3] = [39.100_002, 625.0, 3164.1];

/// A partial's time factor at [`CURVE_AT`]: ×1 in the middle (on the 0.01 grid).
const TIME_SCALE_CURVE: [f32; 3] = [0.179_999_99, 1.0, 3.76];

/// One locked parameter.
struct Locked {
    /// The `#[id]` string, stored in presets and projects.
    id: &'static str,
    /// The numeric CLAP id a host stores: nice-plug's hash of `id`.
    clap_id: u32,
    name: &'static str,
    min: f32,
    max: f32,
    default: f32,
    min_text: &'static str,
    default_text: &'static str,
    max_text: &'static str,
    /// The plain values at [`CURVE_AT`].
    curve: [f32; 3],
}

const fn frequency(
    id: &'static str,
    clap_id: u32,
    name: &'static str,
    default: f32,
    default_text: &'static str,
) -> Locked {
    Locked {
        id,
        clap_id,
        name,
        min: 20.0,
        max: 20_000.0,
        default,
        min_text: "20 Hz",
        default_text,
        max_text: "20.00 kHz",
        curve: FREQUENCY_CURVE,
    }
}

const fn level(id: &'static str, clap_id: u32, name: &'static str) -> Locked {
    Locked {
        id,
        clap_id,
        name,
        min: 0.0,
        max: 1.0,
        default: 1.0,
        min_text: "-inf dB",
        default_text: "0.0 dB",
        max_text: "0.0 dB",
        curve: LEVEL_CURVE,
    }
}

const fn envelope_time(
    id: &'static str,
    clap_id: u32,
    name: &'static str,
    default: f32,
    default_text: &'static str,
) -> Locked {
    Locked {
        id,
        clap_id,
        name,
        min: 0.0,
        max: 10_000.0,
        default,
        min_text: "0.0 ms",
        default_text,
        max_text: "10000.0 ms",
        curve: ENVELOPE_CURVE,
    }
}

const fn time_scale(id: &'static str, clap_id: u32, name: &'static str) -> Locked {
    Locked {
        id,
        clap_id,
        name,
        min: 0.1,
        max: 10.0,
        default: 1.0,
        min_text: "×0.10",
        default_text: "×1.00",
        max_text: "×10.00",
        curve: TIME_SCALE_CURVE,
    }
}

const fn fraction(id: &'static str, clap_id: u32, name: &'static str, default: f32) -> Locked {
    Locked {
        id,
        clap_id,
        name,
        min: 0.0,
        max: 1.0,
        default,
        min_text: "0.0 %",
        default_text: if default == 0.0 { "0.0 %" } else { "100.0 %" },
        max_text: "100.0 %",
        curve: [0.25, 0.5, 0.75],
    }
}

const LOCKED: &[Locked] = &[
    frequency("freq1", 97_695_929, "Partial 1", 200.0, "200 Hz"),
    frequency("freq2", 97_695_930, "Partial 2", 250.0, "250 Hz"),
    frequency("freq3", 97_695_931, "Partial 3", 300.0, "300 Hz"),
    frequency("freq4", 97_695_932, "Partial 4", 350.0, "350 Hz"),
    frequency("freq5", 97_695_933, "Partial 5", 400.0, "400 Hz"),
    Locked {
        id: "gain",
        clap_id: 3_165_055,
        name: "Gain",
        min: 0.0,
        max: 3.981_072,
        default: 1.0,
        min_text: "-inf dB",
        default_text: "0.0 dB",
        max_text: "+12.0 dB",
        curve: GAIN_CURVE,
    },
    level("level1", 1_041_356_077, "Partial 1 level"),
    level("level2", 1_041_356_078, "Partial 2 level"),
    level("level3", 1_041_356_079, "Partial 3 level"),
    level("level4", 1_041_356_080, "Partial 4 level"),
    level("level5", 1_041_356_081, "Partial 5 level"),
    Locked {
        id: "mglide",
        clap_id: 1_071_538_008,
        name: "MIDI glide",
        min: 0.0,
        max: 1000.0,
        default: 0.0,
        min_text: "0 ms",
        default_text: "0 ms",
        max_text: "1000 ms",
        curve: [63.0, 250.0, 563.0],
    },
    envelope_time("attack", 740_224_584, "Attack", 5.0, "5.0 ms"),
    envelope_time("decay", 95_459_258, "Decay", 200.0, "200.0 ms"),
    Locked {
        id: "sustain",
        clap_id: 295_592_483,
        name: "Sustain",
        min: 0.0,
        max: 1.0,
        default: 1.0,
        min_text: "0.0 %",
        default_text: "100.0 %",
        max_text: "100.0 %",
        curve: [0.25, 0.5, 0.75],
    },
    envelope_time("release", 1_090_594_823, "Release", 20.0, "20.0 ms"),
    time_scale("pattack1", 1_245_871_225, "Partial 1 attack"),
    time_scale("pattack2", 1_245_871_226, "Partial 2 attack"),
    time_scale("pattack3", 1_245_871_227, "Partial 3 attack"),
    time_scale("pattack4", 1_245_871_228, "Partial 4 attack"),
    time_scale("pattack5", 1_245_871_229, "Partial 5 attack"),
    time_scale("pdecay1", 1_427_917_863, "Partial 1 decay"),
    time_scale("pdecay2", 1_427_917_864, "Partial 2 decay"),
    time_scale("pdecay3", 1_427_917_865, "Partial 3 decay"),
    time_scale("pdecay4", 1_427_917_866, "Partial 4 decay"),
    time_scale("pdecay5", 1_427_917_867, "Partial 5 decay"),
    fraction("psustain1", 1_995_486, "Partial 1 sustain", 1.0),
    fraction("psustain2", 1_995_487, "Partial 2 sustain", 1.0),
    fraction("psustain3", 1_995_488, "Partial 3 sustain", 1.0),
    fraction("psustain4", 1_995_489, "Partial 4 sustain", 1.0),
    fraction("psustain5", 1_995_490, "Partial 5 sustain", 1.0),
    fraction("pvel1", 107_050_148, "Partial 1 velocity", 0.0),
    fraction("pvel2", 107_050_149, "Partial 2 velocity", 0.0),
    fraction("pvel3", 107_050_150, "Partial 3 velocity", 0.0),
    fraction("pvel4", 107_050_151, "Partial 4 velocity", 0.0),
    fraction("pvel5", 107_050_152, "Partial 5 velocity", 0.0),
    Locked {
        id: "keytilt",
        clap_id: 1_332_980_124,
        name: "Key tilt",
        min: -12.0,
        max: 12.0,
        default: 0.0,
        min_text: "-12.0 dB/oct",
        default_text: "0.0 dB/oct",
        max_text: "12.0 dB/oct",
        curve: [-6.0, 0.0, 6.0],
    },
    // i24-lfo: movement.
    Locked {
        id: "lforate",
        clap_id: 92_327_061,
        name: "LFO rate",
        min: 0.05,
        max: 20.0,
        default: 5.5,
        min_text: "0.05 Hz",
        default_text: "5.50 Hz",
        max_text: "20.00 Hz",
        curve: [0.099_999_994, 1.0, 5.7],
    },
    lfo_time("lfodelay", 701_837_422, "LFO delay"),
    lfo_time("lfofade", 91_969_073, "LFO fade-in"),
    cents("vibrato", 451_310_969, "Vibrato", 0.0, "0.0 ct"),
    fraction("tremolo", 1_084_084_428, "Tremolo", 0.0),
    tilt("lfobright", 236_787_055, "LFO brightness", 0.0, "0.0 dB"),
    cents("wheelvib", 2_035_256_020, "Wheel vibrato", 40.0, "40.0 ct"),
    Locked {
        id: "prslevel",
        clap_id: 1_265_168_243,
        name: "Pressure level",
        min: -24.0,
        max: 12.0,
        default: 0.0,
        min_text: "-24.0 dB",
        default_text: "0.0 dB",
        max_text: "12.0 dB",
        curve: [-15.0, -6.0, 3.0],
    },
    tilt(
        "prsbright",
        290_838_763,
        "Pressure brightness",
        0.0,
        "0.0 dB",
    ),
    tilt(
        "timbre",
        1_273_812_605,
        "Timbre brightness",
        12.0,
        "12.0 dB",
    ),
    // i24-width
    pan("pan1", 3_433_268, "Partial 1 pan"),
    pan("pan2", 3_433_269, "Partial 2 pan"),
    pan("pan3", 3_433_270, "Partial 3 pan"),
    pan("pan4", 3_433_271, "Partial 4 pan"),
    pan("pan5", 3_433_272, "Partial 5 pan"),
    Locked {
        id: "uwidth",
        clap_id: 1_315_253_873,
        name: "Unison width",
        min: 0.0,
        max: 1.0,
        default: 0.5,
        min_text: "0 %",
        default_text: "50 %",
        max_text: "100 %",
        curve: [0.25, 0.5, 0.75],
    },
];

/// A partial's pan: −100 % (hard left) to +100 % (hard right), centred by default.
const fn pan(id: &'static str, clap_id: u32, name: &'static str) -> Locked {
    Locked {
        id,
        clap_id,
        name,
        min: -1.0,
        max: 1.0,
        default: 0.0,
        min_text: "-100 %",
        default_text: "0 %",
        max_text: "100 %",
        curve: [-0.5, 0.0, 0.5],
    }
}

/// A brightness tilt: −24 to +24 dB for partial 5.
const fn tilt(
    id: &'static str,
    clap_id: u32,
    name: &'static str,
    default: f32,
    default_text: &'static str,
) -> Locked {
    Locked {
        id,
        clap_id,
        name,
        min: -24.0,
        max: 24.0,
        default,
        min_text: "-24.0 dB",
        default_text,
        max_text: "24.0 dB",
        curve: [-12.0, 0.0, 12.0],
    }
}

/// An LFO delay or fade-in: 0 to 5 s, finer at the short end.
const fn lfo_time(id: &'static str, clap_id: u32, name: &'static str) -> Locked {
    Locked {
        id,
        clap_id,
        name,
        min: 0.0,
        max: 5000.0,
        default: 0.0,
        min_text: "0 ms",
        default_text: "0 ms",
        max_text: "5000 ms",
        curve: [20.0, 313.0, 1582.0],
    }
}

/// A vibrato depth: 0 to 100 cents.
const fn cents(
    id: &'static str,
    clap_id: u32,
    name: &'static str,
    default: f32,
    default_text: &'static str,
) -> Locked {
    Locked {
        id,
        clap_id,
        name,
        min: 0.0,
        max: 100.0,
        default,
        min_text: "0.0 ct",
        default_text,
        max_text: "100.0 ct",
        curve: [25.0, 50.0, 75.0],
    }
}

/// One locked whole-number parameter (a count the host steps through).
struct LockedCount {
    id: &'static str,
    clap_id: u32,
    name: &'static str,
    min: i32,
    max: i32,
    default: i32,
    default_text: &'static str,
    /// The counts at [`CURVE_AT`].
    curve: [i32; 3],
}

const COUNTS: &[LockedCount] = &[
    LockedCount {
        id: "voices",
        clap_id: 1_336_493_441,
        name: "Voices",
        min: 1,
        max: 16,
        default: 8,
        default_text: "8",
        curve: [5, 9, 12],
    },
    LockedCount {
        id: "bendrng",
        clap_id: 1_924_754_898,
        name: "Bend range",
        min: 0,
        max: 96,
        default: 2,
        default_text: "2 st",
        curve: [24, 48, 72],
    },
    LockedCount {
        id: "lfoshape",
        clap_id: 715_769_484,
        name: "LFO shape",
        min: 0,
        max: 3,
        default: 0,
        default_text: "Sine",
        curve: [1, 2, 2],
    },
    LockedCount {
        id: "lfosync",
        clap_id: 92_379_728,
        name: "LFO sync",
        min: 0,
        max: 18,
        default: 0,
        default_text: "Off",
        curve: [5, 9, 14],
    },
    // i25-scala (issue 25): where each partial sits with Partials on scale.
    LockedCount {
        id: "pdeg1",
        clap_id: 106_513_755,
        name: "Partial 1 degree",
        min: -64,
        max: 64,
        default: 0,
        default_text: "0",
        curve: [-32, 0, 32],
    },
    LockedCount {
        id: "pdeg2",
        clap_id: 106_513_756,
        name: "Partial 2 degree",
        min: -64,
        max: 64,
        default: 2,
        default_text: "2",
        curve: [-32, 0, 32],
    },
    LockedCount {
        id: "pdeg3",
        clap_id: 106_513_757,
        name: "Partial 3 degree",
        min: -64,
        max: 64,
        default: 4,
        default_text: "4",
        curve: [-32, 0, 32],
    },
    LockedCount {
        id: "pdeg4",
        clap_id: 106_513_758,
        name: "Partial 4 degree",
        min: -64,
        max: 64,
        default: 7,
        default_text: "7",
        curve: [-32, 0, 32],
    },
    LockedCount {
        id: "pdeg5",
        clap_id: 106_513_759,
        name: "Partial 5 degree",
        min: -64,
        max: 64,
        default: 9,
        default_text: "9",
        curve: [-32, 0, 32],
    },
    LockedCount {
        id: "unison",
        clap_id: 1_306_956_450,
        name: "Unison",
        min: 1,
        max: 4,
        default: 1,
        default_text: "1",
        curve: [2, 3, 3],
    },
    LockedCount {
        id: "udetune",
        clap_id: 1_570_994_350,
        name: "Unison detune",
        min: 0,
        max: 100,
        default: 10,
        default_text: "10 ct",
        curve: [25, 50, 75],
    },
];

/// One locked switch: off by default, "Off" / "On", on above the middle of its range.
struct LockedSwitch {
    id: &'static str,
    clap_id: u32,
    name: &'static str,
}

const SWITCHES: &[LockedSwitch] = &[
    LockedSwitch {
        id: "mute1",
        clap_id: 104_263_992,
        name: "Partial 1 mute",
    },
    LockedSwitch {
        id: "mute2",
        clap_id: 104_263_993,
        name: "Partial 2 mute",
    },
    LockedSwitch {
        id: "mute3",
        clap_id: 104_263_994,
        name: "Partial 3 mute",
    },
    LockedSwitch {
        id: "mute4",
        clap_id: 104_263_995,
        name: "Partial 4 mute",
    },
    LockedSwitch {
        id: "mute5",
        clap_id: 104_263_996,
        name: "Partial 5 mute",
    },
    LockedSwitch {
        id: "midi",
        clap_id: 3_351_329,
        name: "MIDI mode",
    },
    LockedSwitch {
        id: "mpe",
        clap_id: 108_322,
        name: "MPE",
    },
    LockedSwitch {
        id: "lfofree",
        clap_id: 91_985_441,
        name: "LFO free-running",
    },
    // i25-scala (issue 25).
    LockedSwitch {
        id: "onscale",
        clap_id: 839_634_635,
        name: "Partials on scale",
    },
];

/// Every id in the order hosts list them (the registry's order).
const ORDER: &[&str] = &[
    "freq1",
    "freq2",
    "freq3",
    "freq4",
    "freq5",
    "gain",
    "level1",
    "level2",
    "level3",
    "level4",
    "level5",
    "mute1",
    "mute2",
    "mute3",
    "mute4",
    "mute5",
    "midi",
    "mglide",
    "voices",
    "attack",
    "decay",
    "sustain",
    "release",
    "bendrng",
    "pattack1",
    "pattack2",
    "pattack3",
    "pattack4",
    "pattack5",
    "pdecay1",
    "pdecay2",
    "pdecay3",
    "pdecay4",
    "pdecay5",
    "psustain1",
    "psustain2",
    "psustain3",
    "psustain4",
    "psustain5",
    "pvel1",
    "pvel2",
    "pvel3",
    "pvel4",
    "pvel5",
    "keytilt",
    "mpe",
    "lfoshape",
    "lforate",
    "lfosync",
    "lfodelay",
    "lfofade",
    "lfofree",
    "vibrato",
    "tremolo",
    "lfobright",
    "wheelvib",
    "prslevel",
    "prsbright",
    "timbre",
    // i25-scala (issue 25).
    "onscale",
    "pdeg1",
    "pdeg2",
    "pdeg3",
    "pdeg4",
    "pdeg5",
    "pan1",
    "pan2",
    "pan3",
    "pan4",
    "pan5",
    "unison",
    "udetune",
    "uwidth",
];

/// The CLAP id and name locked for `id`.
fn locked_identity(id: &str) -> (u32, &'static str) {
    LOCKED
        .iter()
        .map(|p| (p.id, p.clap_id, p.name))
        .chain(SWITCHES.iter().map(|p| (p.id, p.clap_id, p.name)))
        .chain(COUNTS.iter().map(|p| (p.id, p.clap_id, p.name)))
        .find(|p| p.0 == id)
        .map(|p| (p.1, p.2))
        .unwrap_or_else(|| panic!("{id} is not locked"))
}

/// The library's parameter with permanent id `id`.
fn param(id: &str) -> Param {
    Param::from_id(id).unwrap_or_else(|| panic!("no parameter has id {id:?}"))
}

fn switch<'a>(params: &'a QuintetParams, id: &str) -> &'a BoolParam {
    params.switch(param(id))
}

fn field<'a>(params: &'a QuintetParams, id: &str) -> &'a FloatParam {
    params.float(param(id))
}

fn count<'a>(params: &'a QuintetParams, id: &str) -> &'a IntParam {
    params.int(param(id))
}

#[test]
fn the_library_declares_exactly_the_locked_parameters() {
    let params = QuintetParams::default();
    let ids: Vec<String> = params.param_map().into_iter().map(|(id, ..)| id).collect();
    assert_eq!(ids, ORDER);

    for locked in SWITCHES {
        let param = switch(&params, locked.id);
        assert_eq!(param.name(), locked.name, "{}", locked.id);
        assert!(
            !param.default_plain_value(),
            "{} is off by default",
            locked.id
        );
        assert!(!param.value(), "{} starts off", locked.id);
        assert_eq!(param.normalized_value_to_string(0.0, true), "Off");
        assert_eq!(param.normalized_value_to_string(1.0, true), "On");
        let curve = CURVE_AT.map(|normalized| f32::from(u8::from(param.preview_plain(normalized))));
        assert_eq!(
            curve,
            [0.0, 0.0, 1.0],
            "{} switches on above 0.5",
            locked.id
        );
        assert_eq!(
            curve,
            core_curve(locked.id),
            "{} in the registry",
            locked.id
        );
    }

    for locked in COUNTS {
        let param = count(&params, locked.id);
        assert_eq!(param.name(), locked.name, "{}", locked.id);
        assert_eq!(param.default_plain_value(), locked.default, "{}", locked.id);
        assert_eq!(param.value(), locked.default, "{} initial value", locked.id);
        assert_eq!(
            param.preview_plain(0.0),
            locked.min,
            "{} minimum",
            locked.id
        );
        assert_eq!(
            param.preview_plain(1.0),
            locked.max,
            "{} maximum",
            locked.id
        );
        let default_normalized = param.preview_normalized(locked.default);
        assert_eq!(
            param.normalized_value_to_string(default_normalized, true),
            locked.default_text,
            "{}",
            locked.id
        );
        let curve = CURVE_AT.map(|normalized| param.preview_plain(normalized));
        assert_eq!(curve, locked.curve, "{} at {CURVE_AT:?}", locked.id);
        assert_eq!(
            curve.map(|count| count as f32),
            core_curve(locked.id),
            "{} in the registry",
            locked.id
        );
    }

    for locked in LOCKED {
        let param = field(&params, locked.id);
        assert_eq!(param.name(), locked.name, "{}", locked.id);
        // Exact equality on purpose: the defaults are the notebook's frequencies, not near them.
        assert_eq!(
            param.default_plain_value(),
            locked.default,
            "{} default",
            locked.id
        );
        assert_eq!(param.value(), locked.default, "{} initial value", locked.id);
        assert_eq!(
            param.preview_plain(0.0),
            locked.min,
            "{} minimum",
            locked.id
        );
        assert_eq!(
            param.preview_plain(1.0),
            locked.max,
            "{} maximum",
            locked.id
        );
        let default_normalized = param.preview_normalized(locked.default);
        assert_eq!(
            param.preview_plain(default_normalized),
            locked.default,
            "{} default survives normalization",
            locked.id
        );
        for (normalized, text) in [
            (0.0, locked.min_text),
            (default_normalized, locked.default_text),
            (1.0, locked.max_text),
        ] {
            assert_eq!(
                param.normalized_value_to_string(normalized, true),
                text,
                "{} at normalized {normalized}",
                locked.id
            );
        }
        // Exact: the same position must keep playing the very same value.
        let curve = CURVE_AT.map(|normalized| param.preview_plain(normalized));
        assert_eq!(curve, locked.curve, "{} at {CURVE_AT:?}", locked.id);
        assert_eq!(
            curve,
            core_curve(locked.id),
            "{} in the registry",
            locked.id
        );
    }
}

/// The plain values at [`CURVE_AT`] as the registry maps them (what the renderer, the Python
/// module and the presets compute).
fn core_curve(id: &str) -> [f32; 3] {
    let spec = param(id).spec();
    CURVE_AT.map(|normalized| spec.unnormalize(normalized))
}

#[test]
fn a_clap_host_sees_exactly_the_locked_parameters() {
    let library = QuintetParams::default();
    let mut host = QuintetHost::new();
    let params = host.params();
    let seen: Vec<(u32, &str)> = params
        .iter()
        .map(|p| (p.id.get(), p.name.as_str()))
        .collect();
    let locked: Vec<(u32, &str)> = ORDER.iter().map(|id| locked_identity(id)).collect();
    assert_eq!(seen, locked, "CLAP ids and names");

    for locked in SWITCHES {
        let param = params
            .iter()
            .find(|p| p.id.get() == locked.clap_id)
            .unwrap();
        assert_eq!(
            (param.min, param.max, param.default),
            (0.0, 1.0, 0.0),
            "{}",
            locked.id
        );
        assert_eq!(host.value_to_text(param.id, 1.0).as_deref(), Some("On"));
    }

    for locked in COUNTS {
        let param = params
            .iter()
            .find(|p| p.id.get() == locked.clap_id)
            .unwrap();
        let expected_default = count(&library, locked.id).preview_normalized(locked.default);
        assert_eq!(param.default, f64::from(expected_default), "{}", locked.id);
        assert_eq!(
            host.value_to_text(param.id, param.default).as_deref(),
            Some(locked.default_text),
            "{}",
            locked.id
        );
    }

    for locked in LOCKED {
        let param = params
            .iter()
            .find(|p| p.id.get() == locked.clap_id)
            .unwrap();
        // nice-plug speaks normalized values to CLAP hosts.
        assert_eq!((param.min, param.max), (0.0, 1.0), "{} range", locked.id);
        let expected_default = field(&library, locked.id).preview_normalized(locked.default);
        assert_eq!(
            param.default,
            f64::from(expected_default),
            "{} default",
            locked.id
        );
        assert_eq!(
            host.param_value(param.id),
            param.default,
            "{} starts at its default",
            locked.id
        );
        for (normalized, text) in [
            (param.min, locked.min_text),
            (param.default, locked.default_text),
            (param.max, locked.max_text),
        ] {
            assert_eq!(
                host.value_to_text(param.id, normalized).as_deref(),
                Some(text),
                "{} at normalized {normalized}",
                locked.id
            );
        }
    }
}
