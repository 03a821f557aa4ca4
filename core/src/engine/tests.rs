//! The engine's note logic, without a host.

use super::*;
use crate::dsp::envelope::{DECAY_MS, FADE_OUT_MS, SHORTEST_SEGMENT_MS};
use crate::dsp::partial_envelopes::{PartialShapes, Touch};
use crate::dsp::{PARTIAL_AMPLITUDE, PartialBank, VOICE_LEVEL};
use crate::engine::pitch::note_to_hz;
use crate::limits::DEFAULT_FREQUENCIES_HZ;
use crate::spectrum::find_peaks;

const RATE_HZ: f64 = 48_000.0;

fn notes(voices: usize) -> Engine {
    Engine::new(
        RATE_HZ,
        Settings {
            midi: true,
            voices,
            ..Settings::default()
        },
    )
}

fn note(key: u8) -> NoteRef {
    NoteRef::without_id(0, key)
}

fn with_id(key: u8, id: i32, channel: Channel) -> NoteRef {
    NoteRef {
        id: Some(id),
        channel,
        key,
    }
}

fn on(engine: &mut Engine, note: NoteRef, velocity: f32) {
    engine.handle(NoteInput::NoteOn { note, velocity });
}

fn off(engine: &mut Engine, key: u8) {
    engine.handle(NoteInput::NoteOff {
        target: NoteMatch::key(0, key),
    });
}

fn pedal(engine: &mut Engine, down: bool) {
    engine.handle(NoteInput::ControlChange {
        channel: 0,
        controller: SUSTAIN_PEDAL_CC,
        value: if down { 1.0 } else { 0.0 },
    });
}

/// The next `samples` samples, each finite and within [`loudest`] (nothing clamps the output,
/// so this bound is what catches a voice louder than the level law allows: see
/// [`a_volume_expression_above_1_passes_the_level_law_unclamped`]).
fn render(engine: &mut Engine, samples: usize) -> Vec<f32> {
    let bound = loudest(engine);
    let out = render_unchecked(engine, samples);
    for (n, x) in out.iter().enumerate() {
        assert!(
            x.is_finite() && x.abs() <= bound,
            "sample {n} is {x}, beyond {bound}"
        );
    }
    out
}

/// The most the engine's output can reach with no volume expression above 1: each voice and
/// the drone (while it is heard) at [`VOICE_LEVEL`] × gain. (A stolen voice fading out and its
/// successor sum to no more than the louder of the two.)
fn loudest(engine: &Engine) -> f32 {
    let drone = engine.drone_gate.is_ramping() || engine.drone_gate.target() != 0.0;
    let sources = engine.settings.voices + usize::from(drone);
    VOICE_LEVEL * engine.settings.gain * sources as f32 * (1.0 + 1e-6)
}

/// The next `samples` samples as [`render`] checks them, rendered `block` samples at a time
/// (the last block shorter), as a host with that buffer size asks for them.
fn render_in_blocks(engine: &mut Engine, samples: usize, block: usize) -> Vec<f32> {
    let mut out = Vec::with_capacity(samples);
    while out.len() < samples {
        let len = block.min(samples - out.len());
        out.extend(render(engine, len));
    }
    out
}

/// The next `samples` samples of both channels, `block` at a time.
fn render_both(engine: &mut Engine, samples: usize, block: usize) -> (Vec<f32>, Vec<f32>) {
    let (mut left, mut right) = (vec![f32::NAN; samples], vec![f32::NAN; samples]);
    for (l, r) in left.chunks_mut(block).zip(right.chunks_mut(block)) {
        engine.render_stereo(l, r);
    }
    (left, right)
}

/// The next `samples` samples, whatever they are.
fn render_unchecked(engine: &mut Engine, samples: usize) -> Vec<f32> {
    let mut out = vec![f32::NAN; samples];
    engine.render(&mut out);
    out
}

fn ms(ms: f64) -> usize {
    (ms * 1e-3 * RATE_HZ).round() as usize
}

/// The five partials of `key` with the default frequency settings.
fn partials_of(key: u8) -> [f64; PARTIAL_COUNT] {
    DEFAULT_FREQUENCIES_HZ.map(|hz| note_to_hz(key) * hz / DEFAULT_FREQUENCIES_HZ[0])
}

/// Partial 1's frequency for each sounding note with host id `id`.
fn partial_1_of(engine: &Engine, id: i32) -> f64 {
    engine
        .sounding()
        .find(|(note, _)| note.id == Some(id))
        .map(|(_, hz)| hz[0])
        .expect("the note sounds")
}

fn largest_step(samples: &[f32]) -> f64 {
    samples
        .windows(2)
        .map(|w| f64::from((w[1] - w[0]).abs()))
        .fold(0.0, f64::max)
}

/// The largest step a voice of `key` at full velocity can make by itself: its sines' slopes
/// plus its envelope's steepest segment, at [`VOICE_LEVEL`].
fn voice_step_bound(key: u8) -> f64 {
    let sines: f64 = partials_of(key)
        .iter()
        .map(|hz| std::f64::consts::TAU * hz / RATE_HZ * f64::from(PARTIAL_AMPLITUDE))
        .sum();
    sines + f64::from(VOICE_LEVEL) / ms(SHORTEST_SEGMENT_MS) as f64
}

/// The largest step `voices` voices, none above `key`, can make together without a click: as
/// many play as there are voices and as many more fade out after steals, each at
/// [`VOICE_LEVEL`]. So together 2 × `voices` times what one voice can (plus the float sums'
/// rounding).
fn voices_step_bound(voices: usize, key: u8) -> f64 {
    2.0 * voices as f64 * voice_step_bound(key) + 1e-6
}

/// One note of `key` on the engine `make` builds, cut off at its loudest sample in its
/// sustain (by [`Engine::snap`], which forgets every note at once): the click the step
/// bounds above must catch.
fn cut_at_its_loudest(make: impl Fn() -> Engine, key: u8) -> Vec<f32> {
    let start = |engine: &mut Engine| on(engine, note(key), 1.0);
    // Past the longest attack and decay the tests use; then one period of the note (its
    // partials repeat every four periods of partial 1 at the default ratios).
    let sustain = ms(ATTACK_MS + DECAY_MS) + 1;
    let period = (4.0 * RATE_HZ / note_to_hz(key)).ceil() as usize;
    let mut probe = make();
    start(&mut probe);
    let out = render(&mut probe, sustain + period);
    let loudest = (sustain..out.len())
        .max_by(|&a, &b| out[a].abs().total_cmp(&out[b].abs()))
        .expect("a period");
    let mut engine = make();
    start(&mut engine);
    let mut out = render(&mut engine, loudest + 1);
    engine.snap(*engine.settings());
    out.extend(render(&mut engine, 100));
    out
}

#[test]
fn the_drone_is_the_bare_bank_bit_for_bit() {
    let mut engine = Engine::new(RATE_HZ, Settings::default());
    let mut bank = PartialBank::new(RATE_HZ, DEFAULT_FREQUENCIES_HZ);
    let mut expected = vec![0.0f32; 10_000];
    bank.render(&mut expected);
    assert_eq!(render(&mut engine, 10_000), expected);
}

#[test]
fn notes_do_nothing_to_the_drone() {
    let mut engine = Engine::new(RATE_HZ, Settings::default());
    let mut reference = Engine::new(RATE_HZ, Settings::default());
    on(&mut engine, note(60), 1.0);
    assert_eq!(render(&mut engine, 4096), render(&mut reference, 4096));
}

#[test]
fn a_three_note_chord_plays_fifteen_partials_at_their_levels() {
    let mut engine = notes(8);
    // Keys whose partials stay apart (C-E-G's partials 3 and 1 nearly coincide).
    let keys = [48, 61, 74];
    for key in keys {
        on(&mut engine, note(key), 0.8);
    }
    render(&mut engine, ms(50.0));
    let out = render(&mut engine, 32_768);
    // Each voice at its fixed level, whatever the voice count.
    let amplitude = f64::from(PARTIAL_AMPLITUDE) * 0.8;
    let peaks = find_peaks(&out, RATE_HZ, (amplitude / 4.0) as f32);
    let expected: Vec<f64> = keys.iter().flat_map(|&k| partials_of(k)).collect();
    assert_eq!(peaks.len(), 15, "{peaks:?}");
    for hz in expected {
        let peak = peaks
            .iter()
            .find(|p| (p.frequency_hz - hz).abs() < 1.0)
            .unwrap_or_else(|| panic!("no partial at {hz} Hz: {peaks:?}"));
        assert!((peak.amplitude / amplitude - 1.0).abs() < 0.1, "{peak:?}");
    }
}

#[test]
fn forty_notes_on_four_voices_steal_without_a_click() {
    let mut engine = notes(4);
    let mut out = Vec::new();
    let mut started = Vec::new();
    // Low notes, so the sines' own steps are small and a cut voice would stand out.
    for n in 0..40u8 {
        let key = 36 + (n % 12) * 7 % 12;
        on(&mut engine, with_id(key, i32::from(n), 0), 1.0);
        started.push(i32::from(n));
        out.extend(render(&mut engine, ms(7.0) + usize::from(n) * 13));
        if n % 3 == 0 {
            off(&mut engine, key);
        }
    }
    assert!(allocation::playing(&engine.voices) <= 4);
    let bound = voices_step_bound(4, 47);
    let step = largest_step(&out);
    assert!(step <= bound, "largest step {step} > {bound}");
}

#[test]
fn every_released_voice_ends_in_exact_zeros_and_is_reported_once() {
    let mut engine = notes(8);
    for (k, key) in [60, 64, 67, 72].into_iter().enumerate() {
        on(&mut engine, with_id(key, k as i32, 0), 1.0);
    }
    render(&mut engine, 1000);
    engine.handle(NoteInput::ControlChange {
        channel: 0,
        controller: ALL_NOTES_OFF_CC,
        value: 0.0,
    });
    let out = render(&mut engine, ms(RELEASE_MS) + 500);
    assert!(out[..ms(RELEASE_MS)].iter().any(|&x| x != 0.0));
    assert!(out[ms(RELEASE_MS)..].iter().all(|&x| x == 0.0));
    let mut ended = Vec::new();
    engine.take_ended(|end| ended.push((end.note.id, end.sample)));
    ended.sort();
    let expected: Vec<_> = (0..4).map(|id| (Some(id), ms(RELEASE_MS))).collect();
    assert_eq!(ended, expected);
    engine.take_ended(|end| panic!("reported twice: {end:?}"));
}

#[test]
fn the_pedal_holds_a_chord_until_it_lifts() {
    let mut engine = notes(8);
    pedal(&mut engine, true);
    for key in [60, 64, 67] {
        on(&mut engine, note(key), 1.0);
    }
    render(&mut engine, 1000);
    for key in [60, 64, 67] {
        off(&mut engine, key);
    }
    render(&mut engine, ms(200.0));
    assert_eq!(engine.sounding().count(), 3, "sustained");
    on(&mut engine, note(72), 1.0);
    pedal(&mut engine, false);
    let out = render(&mut engine, ms(RELEASE_MS) + 100);
    assert_eq!(engine.sounding().count(), 1, "only the key still down");
    assert!(out[ms(RELEASE_MS)..].iter().any(|&x| x != 0.0));
}

#[test]
fn a_tuning_expression_moves_only_its_note() {
    let mut engine = notes(8);
    on(&mut engine, with_id(60, 1, 0), 1.0);
    on(&mut engine, with_id(64, 2, 0), 1.0);
    engine.handle(NoteInput::Tuning {
        target: NoteMatch {
            id: Some(1),
            ..NoteMatch::ALL
        },
        semitones: 12.0,
    });
    render(&mut engine, ms(GLIDE_MS) + 100);
    assert!((partial_1_of(&engine, 1) - note_to_hz(72)).abs() < 1e-6);
    assert!((partial_1_of(&engine, 2) - note_to_hz(64)).abs() < 1e-6);
}

#[test]
fn a_volume_expression_and_a_modulated_level_change_only_their_note() {
    let level_of = |modulate: bool| {
        let mut engine = notes(8);
        on(&mut engine, with_id(48, 1, 0), 1.0);
        on(&mut engine, with_id(84, 2, 0), 1.0);
        if modulate {
            engine.handle(NoteInput::Volume {
                target: NoteMatch {
                    id: Some(1),
                    ..NoteMatch::ALL
                },
                gain: 0.5,
            });
            engine.modulate_voice(
                2,
                Modulated::Level(0),
                Modulation {
                    offset: -1.0,
                    value: 0.0,
                },
            );
        }
        render(&mut engine, ms(50.0));
        let out = render(&mut engine, 32_768);
        find_peaks(&out, RATE_HZ, 0.01)
    };
    let (before, after) = (level_of(false), level_of(true));
    let amplitude_at = |peaks: &[crate::spectrum::Peak], hz: f64| {
        peaks
            .iter()
            .find(|p| (p.frequency_hz - hz).abs() < 1.0)
            .map_or(0.0, |p| p.amplitude)
    };
    for hz in partials_of(48) {
        let ratio = amplitude_at(&after, hz) / amplitude_at(&before, hz);
        assert!((ratio - 0.5).abs() < 0.05, "{hz} Hz: {ratio}");
    }
    let [first, rest @ ..] = partials_of(84);
    assert_eq!(
        amplitude_at(&after, first),
        0.0,
        "note 2's partial 1 is off"
    );
    for hz in rest {
        let ratio = amplitude_at(&after, hz) / amplitude_at(&before, hz);
        assert!((ratio - 1.0).abs() < 0.05, "{hz} Hz: {ratio}");
    }
}

/// Issue 24: a voice the host modulates to the settings' own values plays to the bit as one
/// it does not modulate (every target, in unison and stereo): a modulated value takes the
/// setting's place and nothing else, and the voice keeps its unmoved path and steady lanes.
#[test]
fn a_modulation_to_the_settings_own_values_changes_no_bit() {
    let settings = Settings {
        midi: true,
        unison: Unison {
            copies: 2,
            detune_cents: 12.0,
            width: 0.5,
        },
        pans: [0.0, -0.25, 0.5, 0.0, 1.0],
        ..Settings::default()
    };
    let value_of = |target: Modulated| match target {
        Modulated::Level(k) => settings.levels[k],
        Modulated::Gain => settings.gain,
        Modulated::Vibrato => settings.movement.vibrato_cents as f32,
        Modulated::Tremolo => settings.movement.tremolo as f32,
        Modulated::LfoBrightness => settings.movement.brightness_db as f32,
        Modulated::Pan(k) => settings.pans[k],
        Modulated::UnisonDetune => settings.unison.detune_cents as f32,
        Modulated::UnisonWidth => settings.unison.width,
    };
    let play = |modulate: bool| {
        let mut engine = Engine::new(RATE_HZ, settings);
        on(&mut engine, with_id(48, 1, 0), 1.0);
        on(&mut engine, with_id(67, 2, 0), 1.0);
        let (mut left, mut right) = (vec![0.0; 4800], vec![0.0; 4800]);
        engine.render_stereo(&mut left, &mut right);
        if modulate {
            for target in Modulated::ALL {
                let value = value_of(target);
                engine.modulate_voice(2, target, Modulation { offset: 0.0, value });
            }
            assert!(engine.has_modulated_voices());
        }
        engine.render_stereo(&mut left, &mut right);
        (left, right)
    };
    let (plain, modulated) = (play(false), play(true));
    assert!(plain.0.iter().any(|&x| x != 0.0));
    let bits = |samples: &[f32]| samples.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
    assert_eq!(bits(&plain.0), bits(&modulated.0), "left");
    assert_eq!(bits(&plain.1), bits(&modulated.1), "right");
}

/// Moves `channel`'s wheel to `position` and renders past the bend's glide.
fn turn_wheel(engine: &mut Engine, channel: Channel, position: f32) {
    engine.handle(NoteInput::PitchBend { channel, position });
    render(engine, ms(GLIDE_MS) + 100);
}

/// Asserts the note with `id` plays partial 1 on `key`.
fn assert_on_key(engine: &Engine, id: i32, key: u8) {
    let hz = partial_1_of(engine, id);
    assert!((hz - note_to_hz(key)).abs() < 1e-6, "note {id}: {hz} Hz");
}

#[test]
fn an_mpe_member_channel_bends_only_its_note() {
    let mut engine = notes(8);
    engine.set_mpe(true);
    on(&mut engine, with_id(60, 1, 1), 1.0);
    on(&mut engine, with_id(64, 2, 2), 1.0);
    turn_wheel(&mut engine, 2, 1.0);
    assert_on_key(&engine, 1, 60);
    assert_on_key(&engine, 2, 66);
    // The master channel bends every note.
    turn_wheel(&mut engine, 0, 0.0);
    assert_on_key(&engine, 1, 58);
    assert_on_key(&engine, 2, 64);
}

/// Issue 24: with MPE off (the default) channel 1 is an ordinary channel: an ordinary
/// multi-channel song's bend on channel 1 bends channel 1's notes and leaves channel 2's alone,
/// and channel 2's bend leaves channel 1's alone.
#[test]
fn without_mpe_each_channels_wheel_bends_only_its_own_notes() {
    let mut engine = notes(8);
    on(&mut engine, with_id(60, 1, 0), 1.0);
    on(&mut engine, with_id(64, 2, 1), 1.0);
    turn_wheel(&mut engine, 0, 1.0);
    assert_on_key(&engine, 1, 62);
    assert_on_key(&engine, 2, 64);
    turn_wheel(&mut engine, 1, 0.0);
    assert_on_key(&engine, 1, 62);
    assert_on_key(&engine, 2, 62);
    // Resetting channel 1's controllers centres its wheel alone.
    engine.handle(NoteInput::ControlChange {
        channel: 0,
        controller: RESET_ALL_CONTROLLERS_CC,
        value: 0.0,
    });
    render(&mut engine, ms(GLIDE_MS) + 100);
    assert_on_key(&engine, 1, 60);
    assert_on_key(&engine, 2, 62);
}

/// Switching MPE on while channel 1's wheel is up bends the other channels' notes by it too,
/// gliding there; off again, they come back.
#[test]
fn switching_mpe_moves_the_sounding_notes_to_the_new_rule() {
    let mut engine = notes(8);
    on(&mut engine, with_id(64, 2, 1), 1.0);
    turn_wheel(&mut engine, 0, 1.0);
    assert_on_key(&engine, 2, 64);
    engine.set_mpe(true);
    render(&mut engine, 1);
    let gliding = partial_1_of(&engine, 2);
    assert!(
        gliding > note_to_hz(64) && gliding < note_to_hz(66),
        "{gliding}"
    );
    render(&mut engine, ms(GLIDE_MS) + 100);
    assert_on_key(&engine, 2, 66);
    engine.set_mpe(false);
    render(&mut engine, ms(GLIDE_MS) + 100);
    assert_on_key(&engine, 2, 64);
}

#[test]
fn the_bend_range_sets_how_far_the_wheel_goes() {
    let mut engine = notes(8);
    engine.set_bend_range(12.0);
    on(&mut engine, with_id(60, 1, 0), 1.0);
    engine.handle(NoteInput::PitchBend {
        channel: 0,
        position: 1.0,
    });
    render(&mut engine, ms(GLIDE_MS) + 100);
    assert!((partial_1_of(&engine, 1) - note_to_hz(72)).abs() < 1e-6);
}

#[test]
fn one_voice_plays_the_last_note_legato() {
    let mut engine = notes(1);
    on(&mut engine, note(60), 1.0);
    on(&mut engine, note(64), 1.0);
    render(&mut engine, 100);
    assert_eq!(engine.sounding().count(), 1);
    off(&mut engine, 64);
    render(&mut engine, 100);
    let (playing, hz) = engine.sounding().next().expect("a note");
    assert_eq!(playing.key, 60);
    assert!((hz[0] - note_to_hz(60)).abs() < 1e-6);
}

/// MIDI mode on `voices` voices with every envelope time zero and the sustain at half.
fn zero_times(voices: usize) -> Settings {
    Settings {
        midi: true,
        voices,
        envelope: EnvelopeShape {
            attack_ms: 0.0,
            decay_ms: 0.0,
            sustain: 0.5,
            release_ms: 0.0,
        },
        ..Settings::default()
    }
}

#[test]
fn zero_times_everywhere_never_click() {
    let mut engine = Engine::new(RATE_HZ, zero_times(4));
    let mut out = Vec::new();
    for n in 0..30u8 {
        let key = 36 + n % 5;
        on(&mut engine, note(key), 1.0);
        out.extend(render(&mut engine, 37 + usize::from(n) * 11));
        off(&mut engine, key);
        out.extend(render(&mut engine, 5));
    }
    let bound = voices_step_bound(4, 40);
    let step = largest_step(&out);
    assert!(step <= bound, "largest step {step} > {bound}");
}

/// The negative control of the tests that bound steps (these two and the bursts below): their
/// bounds catch a voice cut off. (Their first bounds let a cut through: 8 voices' steps, where
/// a cut at 4 voices steps by at most one voice's level, half of it at sustain 0.5; and at 16
/// voices, keys up to 62 stepped by more than a cut there.)
#[test]
fn a_voice_cut_off_steps_past_the_click_bounds() {
    let four_voices = || notes(4);
    let step = largest_step(&cut_at_its_loudest(four_voices, 36));
    let bound = voices_step_bound(4, 47);
    assert!(step > bound, "a cut steps by {step}, within {bound}");

    let sixteen_voices = || notes(MAX_VOICES);
    let step = largest_step(&cut_at_its_loudest(sixteen_voices, BURST_LOWEST_KEY));
    let bound = voices_step_bound(MAX_VOICES, BURST_HIGHEST_KEY);
    assert!(
        step > bound,
        "a cut at 16 voices steps by {step}, within {bound}"
    );

    let half_sustain = || Engine::new(RATE_HZ, zero_times(4));
    let step = largest_step(&cut_at_its_loudest(half_sustain, 36));
    let bound = voices_step_bound(4, 40);
    assert!(
        step > bound,
        "a cut at sustain 0.5 steps by {step}, within {bound}"
    );
}

#[test]
fn a_choke_fades_out_fast_even_under_the_pedal() {
    let mut engine = notes(8);
    pedal(&mut engine, true);
    on(&mut engine, with_id(60, 7, 0), 1.0);
    render(&mut engine, 1000);
    engine.handle(NoteInput::Choke {
        target: NoteMatch::key(0, 60),
    });
    let out = render(&mut engine, ms(FADE_OUT_MS) + 10);
    assert!(out[ms(FADE_OUT_MS)..].iter().all(|&x| x == 0.0));
    assert_eq!(engine.sounding().count(), 0);
}

#[test]
fn block_sizes_do_not_change_the_output() {
    let play = |block: usize| {
        let mut engine = notes(4);
        let mut out = Vec::new();
        for n in 0..12u8 {
            on(&mut engine, note(48 + n * 3), 0.9);
            out.extend(render_in_blocks(&mut engine, 3000, block));
            off(&mut engine, 48 + n * 3);
        }
        out
    };
    assert_eq!(play(3000), play(1));
    assert_eq!(play(3000), play(64));
}

#[test]
fn switching_midi_mode_fades_the_drone_out_and_back_in() {
    let mut engine = Engine::new(RATE_HZ, Settings::default());
    render(&mut engine, 1000);
    engine.set_midi(true);
    let out = render(&mut engine, ms(RELEASE_MS) + 100);
    assert!(out[ms(RELEASE_MS)..].iter().all(|&x| x == 0.0));
    engine.set_midi(false);
    let out = render(&mut engine, 2000);
    assert!(out[ms(ATTACK_MS)..].iter().any(|&x| x != 0.0));
}

#[test]
fn fewer_voices_fade_the_oldest_notes_out() {
    let mut engine = notes(8);
    for key in [60, 62, 64, 65, 67] {
        on(&mut engine, note(key), 1.0);
    }
    render(&mut engine, 1000);
    engine.set_voice_count(2);
    render(&mut engine, ms(FADE_OUT_MS) + 10);
    let mut keys: Vec<u8> = engine.sounding().map(|(n, _)| n.key).collect();
    keys.sort();
    assert_eq!(keys, [65, 67]);
}

/// Signal-to-error ratio in dB of `played` against `exact`.
fn snr_db(played: &[f32], exact: &[f64]) -> f64 {
    let signal: f64 = exact.iter().map(|x| x * x).sum();
    let error: f64 = played
        .iter()
        .zip(exact)
        .map(|(&p, &x)| (f64::from(p) - x).powi(2))
        .sum();
    10.0 * (signal / error).log10()
}

/// Samples `from .. from + len` of Σ amplitude · envelope · sin(2π f n / fs) in f64, the
/// envelope the default attack from the first sample.
fn exact_sines(frequencies_hz: &[f64], amplitude: f64, from: usize, len: usize) -> Vec<f64> {
    let attack = ms(ATTACK_MS) as f64;
    (from..from + len)
        .map(|n| {
            let sum: f64 = frequencies_hz
                .iter()
                .map(|hz| (std::f64::consts::TAU * (hz / RATE_HZ * n as f64).fract()).sin())
                .sum();
            amplitude * (n as f64 / attack).min(1.0) * sum
        })
        .collect()
}

/// A 16-note chord held for ten minutes stays within 120 dB of the exact sines at its start, at
/// every minute and at its end, rendered in blocks of every size: no error accumulates and no
/// phase drifts. So does one note in one-voice mode.
#[test]
fn a_chord_held_ten_minutes_stays_within_120_db_of_the_exact_sines() {
    const WINDOW: usize = 24_000;
    let minute = 60 * RATE_HZ as usize;
    let chord: Vec<u8> = (0..MAX_VOICES as u8).map(|k| 36 + 3 * k).collect();
    for (voices, keys) in [(MAX_VOICES, &chord[..]), (1, &chord[8..9])] {
        let mut engine = notes(voices);
        for &key in keys {
            on(&mut engine, note(key), 1.0);
        }
        let frequencies: Vec<f64> = keys.iter().flat_map(|&key| partials_of(key)).collect();
        let amplitude = f64::from(PARTIAL_AMPLITUDE);
        let mut window = vec![0.0f32; WINDOW];
        let mut between = vec![0.0f32; minute];
        let mut n = 0;
        for mark in 0..=10 {
            engine.render(&mut window);
            let snr = snr_db(&window, &exact_sines(&frequencies, amplitude, n, WINDOW));
            assert!(snr >= 120.0, "{voices} voices, minute {mark}: {snr:.1} dB");
            println!("{voices} voices, minute {mark}: {snr:.1} dB");
            n += WINDOW;
            if mark < 10 {
                // Up to the next minute in blocks of odd sizes, so the blocks fall everywhere.
                let mut rest = &mut between[..minute - WINDOW];
                for &len in [1, 777, 4096, 3, 64, 1000].iter().cycle() {
                    if rest.is_empty() {
                        break;
                    }
                    let (block, tail) = rest.split_at_mut(len.min(rest.len()));
                    engine.render(block);
                    rest = tail;
                }
                n += minute - WINDOW;
            }
        }
    }
}

/// An engine whose notes are one sine each (partials 2–5 silent), so an FFT names the keys
/// that sound.
fn one_sine_notes(voices: usize) -> Engine {
    Engine::new(
        RATE_HZ,
        Settings {
            midi: true,
            voices,
            levels: [1.0, 0.0, 0.0, 0.0, 0.0],
            ..Settings::default()
        },
    )
}

/// Starts a note with host id `id` for each of `keys`, all at one instant, collecting the ids
/// the engine reports ended after each event (as the plugin's glue does).
fn burst(engine: &mut Engine, keys: &[u8], first_id: i32, ended: &mut Vec<i32>) {
    for (n, &key) in keys.iter().enumerate() {
        on(engine, with_id(key, first_id + n as i32, 0), 1.0);
        engine.take_ended(|end| ended.extend(end.note.id));
    }
}

/// The keys whose partial 1 the FFT of `out` finds at `amplitude` (±10 %), and every peak
/// above a quarter of it.
fn keys_heard(out: &[f32], amplitude: f64) -> (Vec<u8>, usize) {
    let peaks = find_peaks(out, RATE_HZ, (amplitude / 4.0) as f32);
    let mut keys: Vec<u8> = (0..=127u8)
        .filter(|&key| {
            peaks.iter().any(|p| {
                (p.frequency_hz - note_to_hz(key)).abs() < 1.0
                    && (p.amplitude / amplitude - 1.0).abs() < 0.1
            })
        })
        .collect();
    keys.sort_unstable();
    (keys, peaks.len())
}

/// The peak of `samples` samples, in dBFS.
fn peak_dbfs(samples: &[f32]) -> f64 {
    let peak = samples.iter().fold(0.0f32, |peak, x| peak.max(x.abs()));
    20.0 * f64::from(peak).log10()
}

/// The RMS of `samples`, in dBFS (a full-scale square wave reads 0).
fn rms_dbfs(samples: &[f32]) -> f64 {
    let power = samples.iter().map(|&x| f64::from(x).powi(2)).sum::<f64>() / samples.len() as f64;
    10.0 * power.log10()
}

/// Issue 23: one note's loudness followed the voice count (1/Voices of full scale: −0.6 dBFS
/// at one voice, −18.6 at 8, −24.7 at 16). With the defaults, one note at full velocity now
/// peaks between −9 and −3 dBFS whatever the voice count, at the same level at each.
#[test]
fn one_note_is_as_loud_whatever_the_voice_count() {
    let mut peaks = Vec::new();
    for voices in [1, 8, MAX_VOICES] {
        let mut engine = notes(voices);
        on(&mut engine, note(60), 1.0);
        let peak = peak_dbfs(&render(&mut engine, ms(200.0)));
        assert!(
            (-9.0..=-3.0).contains(&peak),
            "{voices} voices: {peak:.1} dBFS"
        );
        peaks.push(peak);
    }
    assert!(
        peaks.iter().all(|&peak| (peak - peaks[0]).abs() < 0.01),
        "{peaks:?}"
    );
}

/// Issue 23: switching MIDI mode, or stepping from a drone preset to a keyed one, jumped by
/// ~18 dB at the default 8 voices. The drone and one note on the same five frequencies are
/// now as loud as each other (peak and RMS within 0.5 dB) at any voice count.
#[test]
fn one_note_is_as_loud_as_the_drone() {
    let a4 = Settings {
        frequencies_hz: partials_of(69),
        ..Settings::default()
    };
    let past_attack = ms(ATTACK_MS + DECAY_MS);
    // 100 ms: a whole number of periods of every partial.
    let window = ms(100.0);
    let mut drone = Engine::new(RATE_HZ, a4);
    let drone = render(&mut drone, past_attack + window).split_off(past_attack);
    for voices in [1, 8, MAX_VOICES] {
        let mut engine = Engine::new(
            RATE_HZ,
            Settings {
                midi: true,
                voices,
                ..a4
            },
        );
        on(&mut engine, note(69), 1.0);
        let note = render(&mut engine, past_attack + window).split_off(past_attack);
        let peaks = (peak_dbfs(&note), peak_dbfs(&drone));
        let rms = (rms_dbfs(&note), rms_dbfs(&drone));
        assert!(
            (peaks.0 - peaks.1).abs() < 0.5,
            "{voices} voices: peaks {peaks:?}"
        );
        assert!((rms.0 - rms.1).abs() < 0.5, "{voices} voices: RMS {rms:?}");
    }
}

/// Nothing clamps the output: as many notes as there are voices, at full velocity and all in
/// phase (one key on every channel), reach that many times one note's peak, past full scale
/// from three voices on; the gain raises the notes past it too, sample for sample.
#[test]
fn chords_and_gain_pass_full_scale_unclamped() {
    let mut one = notes(1);
    on(&mut one, note(60), 1.0);
    let one = render(&mut one, ms(100.0));
    for voices in [1, 4, MAX_VOICES] {
        let mut engine = notes(voices);
        for channel in 0..voices {
            on(
                &mut engine,
                with_id(60, channel as i32, channel as Channel),
                1.0,
            );
        }
        let out = render(&mut engine, ms(100.0));
        let expected = peak_dbfs(&one) + 20.0 * (voices as f64).log10();
        let peak = peak_dbfs(&out);
        assert!(
            (peak - expected).abs() < 0.01,
            "{voices} voices: {peak:.2} dBFS"
        );
    }
    // Four times the gain (+12 dB, the gain's top): exactly four times every sample.
    let loud = |gain: f32| {
        let settings = Settings {
            midi: true,
            voices: 1,
            gain,
            ..Settings::default()
        };
        let mut engine = Engine::new(RATE_HZ, settings);
        on(&mut engine, note(60), 1.0);
        render(&mut engine, ms(100.0))
    };
    let quiet = loud(1.0);
    let four_times: Vec<f32> = quiet.iter().map(|x| x * 4.0).collect();
    assert_eq!(loud(4.0), four_times);
    assert!(four_times.iter().any(|x| x.abs() > 1.0));
}

/// The negative control of the bound every render above checks: a volume expression above 1
/// (CLAP allows +12 dB) pushes a chord past each voice's [`VOICE_LEVEL`] × gain, and nothing
/// clamps it.
#[test]
fn a_volume_expression_above_1_passes_the_level_law_unclamped() {
    let mut engine = notes(4);
    for key in [48, 52, 55, 59] {
        on(&mut engine, note(key), 1.0);
    }
    engine.handle(NoteInput::Volume {
        target: NoteMatch::ALL,
        gain: 4.0,
    });
    let bound = loudest(&engine);
    let out = render_unchecked(&mut engine, ms(100.0));
    assert!(out.iter().any(|x| x.abs() > bound), "within {bound}");
    assert!(out.iter().all(|x| x.abs() <= 4.0 * bound));
}

/// Issue 21, item 13: 40 or 200 note-ons at one instant (more than the 32 voice slots) dropped
/// the newest notes, and could leave nothing sounding. The newest notes, as many as there are
/// voices, must sound, each at a voice's level; every other note ends, reported once.
#[test]
fn a_burst_of_notes_at_one_instant_plays_the_newest_on_every_voice() {
    for voices in [8, 16] {
        for count in [40, 200] {
            // 61 keys from 40 up, 7 apart modulo 61: any 16 in a row are distinct.
            let keys: Vec<u8> = (0..count).map(|n| 40 + (n * 7 % 61) as u8).collect();
            let mut engine = one_sine_notes(voices);
            let mut ended = Vec::new();
            burst(&mut engine, &keys, 0, &mut ended);
            let start = render(&mut engine, ms(50.0));
            engine.take_ended(|end| ended.extend(end.note.id));
            let out = render(&mut engine, 32_768);
            let what = format!("{count} notes on {voices} voices");
            assert!(start.iter().any(|&x| x != 0.0), "{what}: silent");

            let mut newest = keys[count - voices..].to_vec();
            newest.sort_unstable();
            let amplitude = f64::from(PARTIAL_AMPLITUDE);
            assert_eq!(keys_heard(&out, amplitude), (newest, voices), "{what}");

            let sounding: Vec<i32> = engine.sounding().filter_map(|(n, _)| n.id).collect();
            let mut accounted: Vec<i32> = ended.iter().chain(&sounding).copied().collect();
            accounted.sort_unstable();
            let all: Vec<i32> = (0..count as i32).collect();
            assert_eq!(accounted, all, "{what}: each note ends once or sounds");
        }
    }
}

/// The case: an 8-note chord doubled in five tracks, 40 note-ons of 8 keys at one tick,
/// played total silence. And one key struck 40 times at once plays once.
#[test]
fn a_chord_doubled_in_five_tracks_and_a_key_struck_forty_times_sound() {
    let chord = [48, 52, 55, 59, 62, 65, 69, 72];
    for voices in [8, 16] {
        for (keys, heard) in [(chord.repeat(5), &chord[..]), ([60].repeat(40), &[60][..])] {
            let mut engine = one_sine_notes(voices);
            burst(&mut engine, &keys, 0, &mut Vec::new());
            render(&mut engine, ms(50.0));
            let out = render(&mut engine, 32_768);
            let amplitude = f64::from(PARTIAL_AMPLITUDE);
            let what = format!("{keys:?} on {voices} voices");
            assert_eq!(
                keys_heard(&out, amplitude),
                (heard.to_vec(), heard.len()),
                "{what}"
            );
        }
    }
}

/// The lowest key the bursts below play: low enough that all sixteen voices' steps together stay
/// below what one voice cut off steps by.
const BURST_LOWEST_KEY: u8 = 12;
/// The highest: three bursts, each a key higher, of 24 keys in a row.
const BURST_HIGHEST_KEY: u8 = BURST_LOWEST_KEY + 3 + 23;

/// Bursts onto a sounding chord, each a few samples after the last while the voices it stole
/// still fade, so every slot is taken: the new notes start without a click (the slot given up
/// is the quietest, a note that had hardly begun) and the newest sound.
#[test]
fn bursts_while_stolen_voices_fade_steal_without_a_click() {
    let mut engine = notes(MAX_VOICES);
    let mut out = Vec::new();
    let keys = |from: u8| -> Vec<u8> { (0..40).map(|n| from + n % 24).collect() };
    let chord = &keys(BURST_LOWEST_KEY)[..MAX_VOICES];
    burst(&mut engine, chord, 0, &mut Vec::new());
    out.extend(render(&mut engine, ms(50.0)));
    for (n, gap) in (1..).zip([3, 1, 2]) {
        let keys = keys(BURST_LOWEST_KEY + n);
        burst(&mut engine, &keys, 100 * i32::from(n), &mut Vec::new());
        out.extend(render(&mut engine, gap));
    }
    out.extend(render(&mut engine, ms(50.0)));
    let mut sounding: Vec<u8> = engine.sounding().map(|(n, _)| n.key).collect();
    sounding.sort_unstable();
    let mut newest = keys(BURST_LOWEST_KEY + 3)[40 - MAX_VOICES..].to_vec();
    newest.sort_unstable();
    assert_eq!(sounding, newest);
    // Sixteen voices play and sixteen fade, each stepping by its sines and its envelope at its
    // level. A voice cut at its full level would step by up to its amplitude.
    let bound = voices_step_bound(MAX_VOICES, BURST_HIGHEST_KEY);
    let step = largest_step(&out);
    assert!(step <= bound, "largest step {step} > {bound}");
}

mod chirp_lanes;
mod movement;
mod outside_tuning;
mod partial_envelopes;
mod ramped_lanes;
mod stereo;
mod tuning;
mod unison;
