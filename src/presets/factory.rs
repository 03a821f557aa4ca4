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

/// Five plain values of the family whose ids are `ids`, partial 1 first.
fn five(ids: [&'static str; 5], values: [f32; 5]) -> [(&'static str, PresetValue); 5] {
    std::array::from_fn(|k| (ids[k], Number(values[k])))
}

/// Each partial's envelope relative to the note's: attack and decay (and release) time factors,
/// and the sustain as a fraction of the note's.
fn partial_envelopes(
    attack: [f32; 5],
    decay: [f32; 5],
    sustain: [f32; 5],
) -> Vec<(&'static str, PresetValue)> {
    let attacks = ["pattack1", "pattack2", "pattack3", "pattack4", "pattack5"];
    let decays = ["pdecay1", "pdecay2", "pdecay3", "pdecay4", "pdecay5"];
    let sustains = [
        "psustain1",
        "psustain2",
        "psustain3",
        "psustain4",
        "psustain5",
    ];
    [
        five(attacks, attack),
        five(decays, decay),
        five(sustains, sustain),
    ]
    .concat()
}

/// Touch: how much of each partial follows velocity (0 ..= 1), and the key tilt in dB per
/// octave from C4 (below 0: upper partials quieter for high notes).
fn touch(velocity: [f32; 5], key_tilt_db: f32) -> Vec<(&'static str, PresetValue)> {
    let ids = ["pvel1", "pvel2", "pvel3", "pvel4", "pvel5"];
    let mut values = five(ids, velocity).to_vec();
    values.push(("keytilt", Number(key_tilt_db)));
    values
}

/// Where each partial sits in the stereo field (−1 hard left … +1 hard right).
fn pans(pans: [f32; 5]) -> [(&'static str, PresetValue); 5] {
    five(["pan1", "pan2", "pan3", "pan4", "pan5"], pans)
}

/// Unison: `copies` of each note, the outermost detuned by `detune_cents` either way and
/// panned by `width` (0 ..= 1) either way.
fn unison(copies: i32, detune_cents: i32, width: f32) -> Vec<(&'static str, PresetValue)> {
    vec![
        ("unison", Count(copies)),
        ("udetune", Count(detune_cents)),
        ("uwidth", Number(width)),
    ]
}

/// The output gain in dB: each preset brings one note (velocity 127 at C4), or its drone, to
/// about −8 dBFS at its peak, near Init's −6.6, leaving a few dB for chords (tests/presets check
/// none passes full scale alone).
fn gain(db_: f32) -> (&'static str, PresetValue) {
    ("gain", db(db_))
}

/// The note's envelope (ms, ms, fraction, ms) in MIDI mode: a preset that waits for keys.
fn keys(
    attack_ms: f32,
    decay_ms: f32,
    sustain: f32,
    release_ms: f32,
) -> Vec<(&'static str, PresetValue)> {
    vec![
        ("midi", Switch(true)),
        ("attack", Number(attack_ms)),
        ("decay", Number(decay_ms)),
        ("sustain", Number(sustain)),
        ("release", Number(release_ms)),
    ]
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

/// Silence, for a partial a preset leaves out.
const OFF: f32 = f32::NEG_INFINITY;

/// Every factory preset, "Init" first: the drones and measurement tones of the notebook, then
/// instruments played from the keys, each with the envelope per partial and touch that make it
/// one, then the wide ones.
pub fn presets() -> Vec<Preset> {
    let mut all = drones();
    all.extend(instruments());
    all.extend(wide());
    all
}

/// The presets that place their sound in the stereo field (partials' pans, unison): last, so
/// the menu keeps the places the others had.
fn wide() -> Vec<Preset> {
    vec![
        // The notebook's five partials fanned out across the field, low ones left, high ones
        // right: the drone as a stereo chord (in mono each side partial is 3 dB down, nothing
        // cancels).
        preset(
            "Wide Drone",
            [200.0, 250.0, 300.0, 350.0, 400.0],
            [0.0; 5],
            &[vec![gain(1.0)], pans([-1.0, -0.5, 0.0, 0.5, 1.0]).to_vec()].concat(),
        ),
        // The Soft Pad's partials as a chorus: four copies of each note, the outermost 12 cents
        // either way, spread wide, the upper partials leaning to either side.
        preset(
            "Unison Pad",
            [220.0, 440.5, 659.0, 881.0, 1320.0],
            [0.0, -4.0, -9.0, -12.0, -18.0],
            &[
                vec![gain(5.0)],
                keys(600.0, 1500.0, 0.7, RELEASE_MS as f32 * 60.0),
                vec![("voices", Count(12))],
                unison(4, 12, 0.8),
                pans([0.0, -0.3, 0.3, -0.5, 0.5]).to_vec(),
            ]
            .concat(),
        ),
    ]
}

/// The presets that sound as soon as they are loaded: drones and measurement tones.
fn drones() -> Vec<Preset> {
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
            &[gain(6.0)],
        ),
        preset(
            "Odd Harmonics",
            [110.0, 330.0, 550.0, 770.0, 990.0],
            one_over_n([1.0, 3.0, 5.0, 7.0, 9.0]),
            &[gain(9.0)],
        ),
        // C major in just intonation on a C4 of 261.6 Hz: C4, E4 (5/4), G4 (3/2), C5, E5 (5/2),
        // every ratio exact.
        preset(
            "Just Major Chord",
            [261.6, 327.0, 392.4, 523.2, 654.0],
            [0.0, -2.0, -2.0, -6.0, -8.0],
            &[gain(2.0)],
        ),
        // Two partials half a hertz apart: one slow swell every two seconds.
        preset(
            "Slow Beating Pair",
            [220.0, 220.5, 440.0, 660.0, 880.0],
            [0.0, 0.0, OFF, OFF, OFF],
            &[gain(6.0)],
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
        // The reference tone of audio measurement: one sine at 1 kHz, alone, at −20 dBFS (the
        // alignment level of SMPTE RP 155), so it keeps no gain of its own.
        preset(
            "1 kHz Reference",
            [1000.0, 2000.0, 3000.0, 4000.0, 5000.0],
            [0.0, OFF, OFF, OFF, OFF],
            &[],
        ),
        // A tanpura's open strings: Sa and Pa (C3, G3) with their octaves and the fifth above,
        // in just ratios (1, 3/2, 2, 3, 4), softer upwards.
        preset(
            "Open Fifths Drone",
            [130.8, 196.2, 261.6, 392.4, 523.2],
            [0.0, -3.0, -6.0, -10.0, -14.0],
            &[gain(4.0)],
        ),
    ]
}

/// The presets that wait for keys (MIDI mode). Each plays C4 with partial 1 on the key; the
/// other partials keep their ratios to it (the frequencies are those ratios on partial 1's Hz).
fn instruments() -> Vec<Preset> {
    let all = |factor: f32| [factor; 5];
    vec![
        // Hum, prime, minor third, fifth and nominal of a church bell (1, 2, 2.4, 3, 4): a quick
        // strike, then each partial rings out the faster the higher it is (the nominal in a
        // sixth of the hum's time), and a hard strike brings the upper ones out.
        preset(
            "Church Bell",
            [110.0, 220.0, 264.0, 330.0, 440.0],
            [-3.0, 0.0, -2.0, -6.0, -4.0],
            &[
                vec![gain(2.5)],
                keys(1.0, 7000.0, 0.0, 2500.0),
                partial_envelopes(all(1.0), [1.0, 0.55, 0.4, 0.25, 0.16], all(1.0)),
                touch([0.0, 0.2, 0.4, 0.6, 0.8], -2.0),
            ]
            .concat(),
        ),
        // Drawbars 16', 8', 5 1/3', 4' and 2 2/3' pulled to 8, 8, 8, 6 and 4: keys that sound
        // while held, with a short click-free onset.
        preset(
            "Drawbar Organ",
            [110.0, 220.0, 330.0, 440.0, 660.0],
            [0.0, 0.0, 0.0, -6.0, -12.0],
            &[
                gain(3.0),
                ("midi", Switch(true)),
                ("attack", Number(ATTACK_MS as f32)),
                ("sustain", Number(1.0)),
                ("release", Number(40.0)),
            ],
        ),
        preset(
            "Soft Pad",
            [220.0, 440.5, 659.0, 881.0, 1320.0],
            [0.0, -4.0, -9.0, -12.0, -18.0],
            &[
                gain(5.0),
                ("midi", Switch(true)),
                ("voices", Count(12)),
                ("attack", Number(600.0)),
                ("decay", Number(1500.0)),
                ("sustain", Number(0.7)),
                ("release", Number(RELEASE_MS as f32 * 60.0)),
            ],
        ),
        // A plucked string: harmonics 1 to 5, the higher the sooner gone, so the note darkens
        // as it fades; plucked harder, brighter.
        preset(
            "Pluck",
            [220.0, 440.0, 660.0, 880.0, 1100.0],
            [0.0, -4.0, -8.0, -11.0, -14.0],
            &[
                vec![gain(7.0)],
                keys(1.0, 1400.0, 0.0, 160.0),
                partial_envelopes(all(1.0), [1.0, 0.6, 0.4, 0.28, 0.2], all(1.0)),
                touch([0.0, 0.3, 0.5, 0.7, 0.9], -3.0),
            ]
            .concat(),
        ),
        // A tine piano: a round fundamental and second harmonic that sustain a little, and a
        // bright tine (the 7th partial's region) that barks on a hard note and is gone at once.
        preset(
            "Electric Piano",
            [220.0, 440.0, 660.0, 880.0, 1562.0],
            [0.0, -8.0, -16.0, -20.0, -12.0],
            &[
                vec![gain(8.5)],
                keys(2.0, 3500.0, 0.3, 300.0),
                partial_envelopes(
                    all(1.0),
                    [1.0, 0.5, 0.3, 0.2, 0.05],
                    [1.0, 0.5, 0.2, 0.0, 0.0],
                ),
                touch([0.0, 0.4, 0.6, 0.7, 1.0], -2.0),
            ]
            .concat(),
        ),
        // A jazz organ: drawbars 16', 8' and 4' held, and the percussion on the third harmonic
        // (2 2/3') that sounds at the start of each note and dies in a quarter second.
        preset(
            "Percussion Organ",
            [110.0, 220.0, 330.0, 440.0, 880.0],
            [-2.0, 0.0, -1.0, -6.0, -12.0],
            &[
                vec![gain(4.5)],
                keys(ATTACK_MS as f32, 1000.0, 1.0, 40.0),
                partial_envelopes(
                    all(1.0),
                    [1.0, 1.0, 0.25, 1.0, 1.0],
                    [1.0, 1.0, 0.0, 1.0, 1.0],
                ),
            ]
            .concat(),
        ),
        // Bowed strings: harmonics 1 to 5, the upper ones swelling in after the fundamental
        // (a bow that takes the string), darker on high notes.
        preset(
            "Bowed Strings",
            [220.0, 440.0, 660.0, 880.0, 1100.0],
            [0.0, -3.0, -6.0, -9.0, -12.0],
            &[
                vec![gain(5.0)],
                keys(180.0, 800.0, 0.85, 350.0),
                vec![("voices", Count(12))],
                partial_envelopes([1.0, 1.4, 1.9, 2.5, 3.2], all(1.0), all(1.0)),
                touch([0.2, 0.4, 0.5, 0.6, 0.7], -3.0),
            ]
            .concat(),
        ),
        // A marimba bar: the fundamental and the bar's overtones near 4 and 10 times it (its
        // tuned 4:1 and the untuned one above), struck with a soft mallet; the overtones are
        // gone before the fundamental.
        preset(
            "Marimba",
            [220.0, 880.0, 2171.0, 440.0, 660.0],
            [0.0, -8.0, -16.0, OFF, OFF],
            &[
                vec![gain(8.5)],
                keys(1.0, 1100.0, 0.0, 120.0),
                partial_envelopes(all(1.0), [1.0, 0.3, 0.12, 1.0, 1.0], all(1.0)),
                touch([0.0, 0.5, 0.9, 0.0, 0.0], -1.0),
            ]
            .concat(),
        ),
        // A glockenspiel's steel bar: the free bar's modes at 1, 2.76, 5.40 and 8.93 times the
        // fundamental, bright and short, the fundamental ringing on.
        preset(
            "Glockenspiel",
            [523.2, 1444.0, 2825.3, 4672.2, 1046.4],
            [0.0, -6.0, -10.0, -14.0, OFF],
            &[
                vec![gain(6.0)],
                keys(1.0, 3000.0, 0.0, 900.0),
                partial_envelopes(all(1.0), [1.0, 0.3, 0.15, 0.1, 1.0], all(1.0)),
                touch([0.0, 0.5, 0.7, 0.9, 0.0], -4.0),
            ]
            .concat(),
        ),
        // A singer's lead line: harmonics 1 to 5, one voice gliding from note to note, and a
        // vibrato that waits a quarter second, then grows in over half a second, as a singer's
        // does; the mod wheel adds more.
        preset(
            "Singing Lead",
            [220.0, 440.0, 660.0, 880.0, 1100.0],
            [0.0, -5.0, -9.0, -13.0, -17.0],
            &[
                vec![gain(6.0)],
                keys(30.0, 500.0, 0.8, 180.0),
                vec![("voices", Count(1)), ("mglide", Number(60.0))],
                vibrato(18.0, 5.5, 250.0, 500.0, 60.0),
            ]
            .concat(),
        ),
        // A drawbar organ through a rotating speaker: the horn's tremolo and its small Doppler
        // vibrato, one free-running rotor for every key; the mod wheel speeds nothing up but
        // adds a wide chorus-like vibrato.
        preset(
            "Rotary Organ",
            [110.0, 220.0, 330.0, 440.0, 660.0],
            [0.0, 0.0, -2.0, -6.0, -10.0],
            &[
                vec![gain(4.5)],
                keys(ATTACK_MS as f32, 1000.0, 1.0, 60.0),
                vibrato(6.0, 6.7, 0.0, 0.0, 30.0),
                vec![("tremolo", Number(0.3)), ("lfofree", Switch(true))],
            ]
            .concat(),
        ),
    ]
}

/// The LFO's vibrato: `cents` either way at `rate_hz`, after `delay_ms`, growing in over
/// `fade_ms`; and the full mod wheel's, `wheel_cents`.
fn vibrato(
    cents: f32,
    rate_hz: f32,
    delay_ms: f32,
    fade_ms: f32,
    wheel_cents: f32,
) -> Vec<(&'static str, PresetValue)> {
    vec![
        ("vibrato", Number(cents)),
        ("lforate", Number(rate_hz)),
        ("lfodelay", Number(delay_ms)),
        ("lfofade", Number(fade_ms)),
        ("wheelvib", Number(wheel_cents)),
    ]
}

/// The factory preset called `name` (case-insensitive).
pub fn find(name: &str) -> Option<Preset> {
    presets()
        .into_iter()
        .find(|preset| preset.name.eq_ignore_ascii_case(name.trim()))
}
