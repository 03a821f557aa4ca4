//! The presets Quintet comes with: the notebook's sound first, then timbres a musician reaches
//! for, and a measurement signal. Each names only what differs from the defaults.

use super::{Preset, PresetValue};
use crate::dsp::envelope::{ATTACK_MS, RELEASE_MS};

use PresetValue::{Count, Number, Switch};

/// A level in dB as the linear gain the level parameters hold.
fn db(db: f32) -> PresetValue {
    Number(10f32.powf(db / 20.0))
}

/// The five frequencies, in Hz.
fn frequencies(hz: [f32; 5]) -> [(&'static str, PresetValue); 5] {
    let ids = ["freq1", "freq2", "freq3", "freq4", "freq5"];
    std::array::from_fn(|k| (ids[k], Number(hz[k])))
}

/// The five levels, in dB (`f32::NEG_INFINITY` is silence).
fn levels(dbs: [f32; 5]) -> [(&'static str, PresetValue); 5] {
    let ids = ["level1", "level2", "level3", "level4", "level5"];
    std::array::from_fn(|k| {
        let value = if dbs[k] == f32::NEG_INFINITY {
            Number(0.0)
        } else {
            db(dbs[k])
        };
        (ids[k], value)
    })
}

/// A preset from its name, frequencies, levels and any other settings.
fn preset(
    name: &str,
    hz: [f32; 5],
    dbs: [f32; 5],
    others: &[(&'static str, PresetValue)],
) -> Preset {
    let mut values: Vec<(&str, PresetValue)> = frequencies(hz).into();
    values.extend(levels(dbs));
    values.extend_from_slice(others);
    Preset::new(name, &values)
}

/// The name of the preset that restores every default.
pub const INIT: &str = "Init";

/// Every factory preset, "Init" first.
pub fn presets() -> Vec<Preset> {
    let full = [0.0; 5];
    // 1/n amplitudes in dB: the harmonic series of a sawtooth, the odd ones of a square.
    let one_over_n = |n: [f32; 5]| n.map(|n| -20.0 * n.log10());
    vec![
        Preset::new(INIT, &[]),
        preset(
            "Notebook Drone",
            [200.0, 250.0, 300.0, 350.0, 400.0],
            full,
            &[],
        ),
        preset(
            "Harmonic Series",
            [110.0, 220.0, 330.0, 440.0, 550.0],
            one_over_n([1.0, 2.0, 3.0, 4.0, 5.0]),
            &[],
        ),
        preset(
            "Odd Harmonics",
            [110.0, 330.0, 550.0, 770.0, 990.0],
            one_over_n([1.0, 3.0, 5.0, 7.0, 9.0]),
            &[],
        ),
        // Hum, prime, minor third, fifth and nominal of a church bell, played from the keys:
        // a quick strike, a long ring.
        preset(
            "Church Bell",
            [110.0, 220.0, 264.0, 330.0, 440.0],
            [-3.0, 0.0, -2.0, -8.0, -4.0],
            &[
                ("midi", Switch(true)),
                ("attack", Number(1.0)),
                ("decay", Number(4000.0)),
                ("sustain", Number(0.0)),
                ("release", Number(2500.0)),
            ],
        ),
        // Drawbars 16', 8', 5 1/3', 4' and 2 2/3' pulled to 8, 8, 8, 6 and 4: keys that sound
        // while held, with a short click-free onset.
        preset(
            "Drawbar Organ",
            [110.0, 220.0, 330.0, 440.0, 660.0],
            [0.0, 0.0, 0.0, -6.0, -12.0],
            &[
                ("midi", Switch(true)),
                ("attack", Number(ATTACK_MS as f32)),
                ("sustain", Number(1.0)),
                ("release", Number(40.0)),
            ],
        ),
        // C major in just intonation on a C4 of 261.6 Hz: C4, E4 (5/4), G4 (3/2), C5, E5 (5/2),
        // every ratio exact.
        preset(
            "Just Major Chord",
            [261.6, 327.0, 392.4, 523.2, 654.0],
            [0.0, -2.0, -2.0, -6.0, -8.0],
            &[],
        ),
        // Two partials half a hertz apart: one slow swell every two seconds.
        preset(
            "Slow Beating Pair",
            [220.0, 220.5, 440.0, 660.0, 880.0],
            [
                0.0,
                0.0,
                f32::NEG_INFINITY,
                f32::NEG_INFINITY,
                f32::NEG_INFINITY,
            ],
            &[],
        ),
        // Harmonics 1, 5, 7, 13 and 27 of 100 Hz starting in phase have a crest factor of 1.71
        // (a single sine's is 1.41), the lowest of any five harmonics below the 40th, and every
        // tone on a 100 Hz grid, so a 480-sample FFT at 48 kHz sees each in its own bin.
        preset(
            "Measurement Multitone",
            [100.0, 500.0, 700.0, 1300.0, 2700.0],
            full,
            &[],
        ),
        preset(
            "Soft Pad",
            [220.0, 440.5, 659.0, 881.0, 1320.0],
            [0.0, -4.0, -9.0, -12.0, -18.0],
            &[
                ("midi", Switch(true)),
                ("voices", Count(12)),
                ("attack", Number(600.0)),
                ("decay", Number(1500.0)),
                ("sustain", Number(0.7)),
                ("release", Number(RELEASE_MS as f32 * 60.0)),
            ],
        ),
    ]
}

/// The factory preset called `name` (case-insensitive).
pub fn find(name: &str) -> Option<Preset> {
    presets()
        .into_iter()
        .find(|preset| preset.name.eq_ignore_ascii_case(name.trim()))
}
