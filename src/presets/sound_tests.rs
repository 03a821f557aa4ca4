//! Every factory preset played as a musician first hears it, through the engine the plugin
//! renders with: one note (C4 at velocity 127) held for a second and let go for a preset that
//! waits for keys, two seconds of drone (then MIDI mode on, which fades it out) for one that
//! drones. Each must be audible, stay within full scale at its own gain, hold no NaN, and end in
//! exact zeros once its last release (the longest partial's) is over.

use super::factory;
use crate::engine::{Engine, NoteInput, NoteMatch, NoteRef};
use crate::spectrum::find_peaks;
use quintet_core::dsp::envelope::SHORTEST_SEGMENT_MS;
use quintet_core::dsp::partial_envelopes::TILT_CENTRE_KEY;
use quintet_core::limits::RELEASE_MS;

const RATE_HZ: f64 = 48_000.0;
/// The quietest a preset's one note (or its drone) may peak: −30 dBFS.
const AUDIBLE_PEAK: f32 = 0.031_622_78;
/// The note played: middle C, at MIDI velocity 127.
const KEY: u8 = TILT_CENTRE_KEY;
const VELOCITY: f32 = 1.0;

/// A render of one preset and where its sound must be over.
struct Played {
    samples: Vec<f32>,
    /// The first sample from which every sample must be exactly 0.0.
    silent_from: usize,
}

fn samples_in(ms: f64) -> usize {
    (ms * 1e-3 * RATE_HZ).round() as usize
}

/// Plays `preset` as the module documentation says.
fn play(preset: &super::Preset) -> Played {
    let settings = preset.settings();
    let mut engine = Engine::new(RATE_HZ, settings);
    let mut samples = Vec::new();
    let mut run = |engine: &mut Engine, len: usize| {
        let start = samples.len();
        samples.resize(start + len, 0.0);
        engine.render(&mut samples[start..]);
        engine.take_ended(|_| {});
    };
    let (held_s, let_go_ms) = if settings.midi {
        let note = NoteRef::without_id(0, KEY);
        engine.handle(NoteInput::NoteOn {
            note,
            velocity: VELOCITY,
        });
        run(&mut engine, samples_in(1000.0));
        engine.handle(NoteInput::NoteOff {
            target: NoteMatch::default(),
        });
        // A partial's release is the note's times its decay factor.
        let slowest = (settings.partial_shapes.decay.iter()).fold(0.0f32, |a, &b| a.max(b));
        let release = (settings.envelope.release_ms * f64::from(slowest)).max(SHORTEST_SEGMENT_MS);
        (1.0, release)
    } else {
        run(&mut engine, samples_in(2000.0));
        engine.set_midi(true);
        (2.0, RELEASE_MS)
    };
    // One sample of slack for the rounding of a segment's length.
    let silent_from = samples_in(held_s * 1000.0 + let_go_ms) + 1;
    let rendered = samples_in(held_s * 1000.0);
    run(&mut engine, silent_from + samples_in(500.0) - rendered);
    Played {
        samples,
        silent_from,
    }
}

fn peak(samples: &[f32]) -> f32 {
    samples.iter().fold(0.0f32, |a, &b| a.max(b.abs()))
}

/// Issue 23: every factory preset (at least 16) plays: audible, no sample above 0 dBFS for
/// one note, no NaN, and every note ends in exact zeros.
#[test]
fn every_factory_preset_is_audible_within_full_scale_and_ends_in_exact_zeros() {
    let presets = factory::presets();
    assert!(presets.len() >= 16, "{} factory presets", presets.len());
    for preset in &presets {
        let name = &preset.name;
        let Played {
            samples,
            silent_from,
        } = play(preset);
        assert!(samples.iter().all(|x| x.is_finite()), "{name}: not finite");
        let peak = peak(&samples);
        assert!(
            peak > AUDIBLE_PEAK,
            "{name}: peaks at {peak}, below −30 dBFS"
        );
        assert!(peak <= 1.0, "{name}: peaks at {peak}, above full scale");
        let sounding = &samples[..silent_from];
        let last = sounding.iter().rposition(|&x| x != 0.0).unwrap();
        assert!(
            samples[silent_from..].iter().all(|&x| x == 0.0),
            "{name}: not silent after its release (sample {} is {})",
            silent_from,
            samples[silent_from]
        );
        // The release is heard to its end, not cut: the last sound is in its last tenth.
        assert!(
            last > silent_from - silent_from / 10,
            "{name}: silent from sample {last}, long before {silent_from}"
        );
    }
}

/// The amplitude the FFT reads for each of `partials_hz` in `window`.
fn amplitudes(window: &[f32], partials_hz: &[f64]) -> Vec<f64> {
    let peaks = find_peaks(window, RATE_HZ, 1e-6);
    partials_hz
        .iter()
        .map(|&hz| {
            peaks
                .iter()
                .filter(|p| (p.frequency_hz - hz).abs() < 3.0)
                .map(|p| p.amplitude)
                .fold(0.0, f64::max)
        })
        .collect()
}

/// Issue 23: the Church Bell rings like a bell: shortly after the strike all five partials
/// sound; two seconds on, while the hum (partial 1) still sounds strongly, the fifth and the
/// nominal (partials 4 and 5) have died away, measured by FFT.
#[test]
fn the_church_bells_upper_partials_die_first() {
    let bell = factory::find("Church Bell").unwrap();
    let settings = bell.settings();
    assert!(settings.midi);
    let mut engine = Engine::new(RATE_HZ, settings);
    engine.handle(NoteInput::NoteOn {
        note: NoteRef::without_id(0, KEY),
        velocity: VELOCITY,
    });
    let mut out = vec![0.0f32; samples_in(2600.0)];
    engine.render(&mut out);
    let key_hz = crate::engine::pitch::note_to_hz(KEY);
    let partials_hz: Vec<f64> = (settings.frequencies_hz.iter())
        .map(|hz| key_hz * hz / settings.frequencies_hz[0])
        .collect();
    let window = 16_384;
    let early = amplitudes(&out[samples_in(20.0)..][..window], &partials_hz);
    let late = amplitudes(&out[samples_in(2200.0)..][..window], &partials_hz);
    for k in 0..5 {
        assert!(
            early[k] > 0.2 * early[1],
            "partial {} early: {early:?}",
            k + 1
        );
    }
    assert!(
        late[0] > 0.5 * early[0],
        "the hum rings on: {early:?} → {late:?}"
    );
    for k in [3, 4] {
        assert!(
            late[k] < 0.01 * late[0],
            "partial {} has not died: {early:?} → {late:?}",
            k + 1
        );
    }
    // Each partial has kept less of its strike than the one below it.
    let kept: Vec<f64> = (0..5).map(|k| late[k] / early[k]).collect();
    assert!(kept.windows(2).all(|w| w[1] <= w[0]), "{kept:?}");
}

/// Issue 23: the presets play at a loudness musicians expect, near Init's one note (−6.6 dBFS):
/// each instrument's one note and each drone peaks between −12 and −4 dBFS, so stepping
/// through the list never drops by 10 dB. The measurement tones keep their own levels (the
/// reference tone is at −20 dBFS on purpose).
#[test]
fn every_musical_preset_peaks_near_inits_level() {
    let measurement = ["1 kHz Reference", "Measurement Multitone"];
    for preset in factory::presets() {
        if measurement.contains(&preset.name.as_str()) {
            continue;
        }
        let peak_db = 20.0 * peak(&play(&preset).samples).log10();
        assert!(
            (-12.0..=-4.0).contains(&peak_db),
            "{}: one note peaks at {peak_db:.1} dBFS",
            preset.name
        );
    }
}

/// The presets with vibrato sing with it: C4's partial 1 holds its pitch during the LFO's delay,
/// then swings by the preset's depth (measured from the frequency the engine plays, sample
/// block by sample block, over a second).
#[test]
fn the_vibrato_presets_swing_by_their_depth_after_their_delay() {
    for (name, cents, delay_s) in [("Singing Lead", 18.0, 0.25), ("Rotary Organ", 6.0, 0.0)] {
        let preset = factory::find(name).expect("a factory preset");
        let mut engine = Engine::new(RATE_HZ, preset.settings());
        let note = NoteRef::without_id(0, KEY);
        engine.handle(NoteInput::NoteOn {
            note,
            velocity: VELOCITY,
        });
        let key_hz = quintet_core::engine::pitch::note_to_hz(KEY);
        let mut block = [0.0f32; 48];
        let mut swing = Vec::new();
        for n in 0..2000 {
            engine.render(&mut block);
            let (_, hz) = engine.sounding().next().expect("the note sounds");
            swing.push((n as f64 * 0.001, 1200.0 * (hz[0] / key_hz).log2()));
        }
        let widest = |from: f64, to: f64| {
            let within = swing.iter().filter(|(t, _)| (from..to).contains(t));
            within.fold(0.0f64, |widest, (_, c)| widest.max(c.abs()))
        };
        if delay_s > 0.0 {
            assert!(
                widest(0.0, delay_s - 0.01) < 1e-6,
                "{name} moved before its delay"
            );
        }
        let swung = widest(1.0, 2.0);
        assert!(
            (swung - cents).abs() < 0.05 * cents,
            "{name}: {swung:.2} of {cents} cents"
        );
    }
}
