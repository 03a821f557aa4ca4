//! Each partial's own envelope and touch, as the engine plays them.

use super::*;
use crate::dsp::envelope::Envelope;

/// MIDI mode on `voices` voices with each partial's envelope as `shapes` says, on a note
/// envelope of `envelope`.
fn shaped(voices: usize, envelope: EnvelopeShape, shapes: PartialShapes) -> Settings {
    Settings {
        midi: true,
        voices,
        envelope,
        partial_shapes: shapes,
        ..Settings::default()
    }
}

/// A bell's partial 5: it decays four times as fast as the others (and lets go as fast).
fn bell() -> PartialShapes {
    PartialShapes {
        decay: [1.0, 1.0, 1.0, 1.0, 0.25],
        ..PartialShapes::default()
    }
}

/// A struck note: 5 ms in, then a decay of `decay_ms` to silence.
fn struck(decay_ms: f64) -> EnvelopeShape {
    EnvelopeShape {
        attack_ms: 5.0,
        decay_ms,
        sustain: 0.0,
        release_ms: 200.0,
    }
}

/// Partial `partial`'s amplitude in `out` (of a note on `key`), by FFT; 0 if there is no peak
/// there.
fn amplitude_of(out: &[f32], key: u8, partial: usize) -> f64 {
    let hz = partials_of(key)[partial];
    find_peaks(out, RATE_HZ, 1e-6)
        .iter()
        .find(|peak| (peak.frequency_hz - hz).abs() < 2.0)
        .map_or(0.0, |peak| peak.amplitude)
}

fn db(ratio: f64) -> f64 {
    20.0 * ratio.log10()
}

#[test]
fn a_bells_upper_partial_dies_first() {
    let mut engine = Engine::new(RATE_HZ, shaped(8, struck(1000.0), bell()));
    on(&mut engine, note(60), 1.0);
    render(&mut engine, ms(300.0));
    // 300 ms in: partial 5's 250 ms decay is over, the others are a little past a quarter of
    // theirs.
    let late = render(&mut engine, 8192);
    let first = amplitude_of(&late, 60, 0);
    let expected = f64::from(PARTIAL_AMPLITUDE) * 0.6;
    assert!((first / expected - 1.0).abs() < 0.2, "partial 1: {first}");
    let fifth = amplitude_of(&late, 60, 4);
    assert!(fifth < first * 1e-4, "partial 5 still sounds: {fifth}");
    // Before its decay ended it was there.
    let mut early = Engine::new(RATE_HZ, shaped(8, struck(1000.0), bell()));
    on(&mut early, note(60), 1.0);
    render(&mut early, ms(20.0));
    let early = render(&mut early, 4096);
    assert!(amplitude_of(&early, 60, 4) > amplitude_of(&early, 60, 0) * 0.5);
}

#[test]
fn every_partial_ends_in_exact_zeros_after_its_own_release() {
    let shapes = PartialShapes {
        attack: [1.0, 0.1, 10.0, 2.0, 0.5],
        decay: [1.0, 3.0, 0.1, 10.0, 0.25],
        sustain: [1.0, 0.5, 0.25, 0.8, 0.0],
    };
    let envelope = EnvelopeShape {
        attack_ms: 10.0,
        decay_ms: 30.0,
        sustain: 0.7,
        release_ms: 40.0,
    };
    let longest_release = ms(envelope.release_ms * 10.0);
    // Each partial alone: its level at 1, the others at 0.
    for partial in 0..PARTIAL_COUNT {
        let mut settings = shaped(2, envelope, shapes);
        settings.levels = std::array::from_fn(|k| if k == partial { 1.0 } else { 0.0 });
        let mut engine = Engine::new(RATE_HZ, settings);
        on(&mut engine, note(60), 1.0);
        render(&mut engine, ms(400.0));
        off(&mut engine, 60);
        let out = render(&mut engine, longest_release + 100);
        let release = ms(envelope.release_ms * f64::from(shapes.decay[partial]));
        let release = release.max(ms(SHORTEST_SEGMENT_MS));
        assert!(
            out[release..].iter().all(|&x| x == 0.0),
            "partial {partial} after {release} samples"
        );
        if shapes.sustain[partial] > 0.0 {
            assert!(out[release - 20..release].iter().any(|&x| x != 0.0));
        }
    }
    // All together: the voice ends (and is reported) when its slowest partial does.
    let mut engine = Engine::new(RATE_HZ, shaped(2, envelope, shapes));
    on(&mut engine, note(60), 1.0);
    render(&mut engine, ms(400.0));
    engine.take_ended(|_| {});
    off(&mut engine, 60);
    let out = render(&mut engine, longest_release + 100);
    assert!(out[longest_release..].iter().all(|&x| x == 0.0));
    assert!(
        out[longest_release - 20..longest_release]
            .iter()
            .any(|&x| x != 0.0)
    );
    let mut ended = Vec::new();
    engine.take_ended(|end| ended.push(end.sample));
    assert_eq!(ended, [longest_release]);
    assert_eq!(engine.sounding().count(), 0);
}

/// Per-partial factors from ×0.1 to ×10 on the shortest note times: every segment of every
/// partial, steals, releases and one-voice retriggers stay within the click bounds.
#[test]
fn partial_envelopes_never_click_attack_decay_release_or_steal() {
    let shapes = PartialShapes {
        attack: [0.1, 10.0, 1.0, 0.1, 3.0],
        decay: [10.0, 0.1, 0.5, 0.1, 2.0],
        sustain: [0.2, 1.0, 0.0, 0.7, 0.5],
    };
    for voices in [1, 4] {
        let mut settings = zero_times(voices);
        settings.partial_shapes = shapes;
        settings.touch.velocity = [0.0, 1.0, 0.5, 1.0, 0.25];
        settings.touch.key_tilt_db_per_octave = -12.0;
        let mut engine = Engine::new(RATE_HZ, settings);
        let mut out = Vec::new();
        for n in 0..30u8 {
            let key = 36 + n % 5;
            on(&mut engine, note(key), 0.3 + f32::from(n % 3) * 0.35);
            out.extend(render(&mut engine, 37 + usize::from(n) * 11));
            if n % 4 != 1 {
                off(&mut engine, key);
            }
            out.extend(render(&mut engine, 5 + usize::from(n % 7) * 9));
        }
        let bound = voices_step_bound(voices, 40);
        let step = largest_step(&out);
        assert!(
            step <= bound,
            "{voices} voices: largest step {step} > {bound}"
        );
    }
}

#[test]
fn partial_envelopes_do_not_depend_on_block_sizes() {
    let play = |block: usize| {
        let mut settings = shaped(4, struck(80.0), bell());
        settings.partial_shapes.attack = [1.0, 4.0, 0.3, 1.0, 2.0];
        settings.partial_shapes.sustain = [1.0, 0.5, 0.5, 0.2, 1.0];
        settings.envelope.sustain = 0.6;
        settings.touch.velocity = [0.0, 0.5, 1.0, 1.0, 1.0];
        let mut engine = Engine::new(RATE_HZ, settings);
        let mut out = Vec::new();
        for n in 0..8u8 {
            on(&mut engine, note(48 + n * 3), 0.5 + f32::from(n) * 0.05);
            out.extend(render_in_blocks(&mut engine, 5000, block));
            off(&mut engine, 48 + n * 3);
        }
        out
    };
    let whole = play(5000);
    assert_eq!(whole, play(1));
    assert_eq!(whole, play(64));
    assert_eq!(whole, play(1000));
}

/// The defaults play what a note with one envelope played: its bank's sum times the envelope,
/// to the bit (a note started, held, released and ended).
#[test]
fn by_default_a_note_is_its_bank_under_one_envelope_bit_for_bit() {
    let voices = 8;
    let mut engine = notes(voices);
    on(&mut engine, note(60), 0.8);
    let mut played = render(&mut engine, 3000);
    off(&mut engine, 60);
    played.extend(render(&mut engine, 2000));

    let settings = Settings::default();
    let mut bank = PartialBank::new(RATE_HZ, partials_of(60));
    bank.jump_gain_to(settings.gain);
    let mut envelope = Envelope::new(RATE_HZ, settings.envelope);
    envelope.start(0.8);
    let mut expected = vec![0.0; 5000];
    let (held, released) = expected.split_at_mut(3000);
    bank.render(held);
    envelope.apply(held);
    envelope.release();
    bank.render(released);
    envelope.apply(released);
    assert!(played == expected, "the default note changed");
}

#[test]
fn a_held_chord_in_the_steady_lanes_plays_each_partials_sustain() {
    let shapes = PartialShapes {
        sustain: [1.0, 0.5, 0.25, 0.75, 0.125],
        ..PartialShapes::default()
    };
    let envelope = EnvelopeShape {
        sustain: 0.8,
        ..struck(20.0)
    };
    let mut engine = Engine::new(RATE_HZ, shaped(8, envelope, shapes));
    // Four notes: enough for the steady lanes.
    let keys = [40, 53, 66, 79];
    for key in keys {
        on(&mut engine, note(key), 1.0);
    }
    render(&mut engine, ms(100.0));
    let sounding = engine.voices.iter_mut().filter(|voice| voice.is_sounding());
    assert!(
        sounding
            .map(|voice| voice.steady())
            .all(|steady| steady.is_some())
    );
    let out = render(&mut engine, 32_768);
    for key in keys {
        for (partial, sustain) in shapes.sustain.into_iter().enumerate() {
            let expected = f64::from(PARTIAL_AMPLITUDE) * 0.8 * f64::from(sustain);
            let got = amplitude_of(&out, key, partial);
            assert!(
                (got / expected - 1.0).abs() < 0.05,
                "key {key} partial {partial}: {got}, expected {expected}"
            );
        }
    }
}

/// Partial 5's level over partial 1's, in dB, for a note on `key` at `velocity` held in its
/// sustain, playing with `touch`.
fn fifth_over_first_db(touch: Touch, key: u8, velocity: f32) -> f64 {
    let mut engine = Engine::new(
        RATE_HZ,
        Settings {
            touch,
            ..shaped(8, EnvelopeShape::default(), PartialShapes::default())
        },
    );
    on(&mut engine, note(key), velocity);
    render(&mut engine, ms(50.0));
    let out = render(&mut engine, 16_384);
    db(amplitude_of(&out, key, 4) / amplitude_of(&out, key, 0))
}

#[test]
fn velocity_touch_makes_a_hard_note_brighter_than_a_soft_one() {
    let touch = Touch {
        velocity: [0.0, 0.25, 0.5, 1.0, 1.0],
        ..Touch::default()
    };
    let hard = fifth_over_first_db(touch, 60, 1.0);
    let soft = fifth_over_first_db(touch, 60, 0.3);
    // Partial 5 follows velocity fully: at 0.3 it is 0.3 of partial 1, −10.5 dB.
    assert!(hard.abs() < 0.2, "hard: {hard} dB");
    assert!((soft - db(0.3)).abs() < 0.3, "soft: {soft} dB");
    // Without touch both are alike.
    let plain = Touch::default();
    let difference = fifth_over_first_db(plain, 60, 1.0) - fifth_over_first_db(plain, 60, 0.3);
    assert!(difference.abs() < 0.2, "{difference} dB");
}

#[test]
fn a_key_tilt_of_minus_6_db_per_octave_takes_12_db_off_partial_5_two_octaves_up() {
    let touch = Touch {
        key_tilt_db_per_octave: -6.0,
        ..Touch::default()
    };
    let c4 = fifth_over_first_db(touch, 60, 1.0);
    let c6 = fifth_over_first_db(touch, 84, 1.0);
    assert!(c4.abs() < 0.2, "C4: {c4} dB");
    assert!(
        (c6 - c4 + 12.0).abs() < 0.3,
        "C6 {c6} dB against C4 {c4} dB"
    );
}
