//! Movement: the LFO's routes and the mod wheel, measured on what the engine renders.

use super::*;
use crate::dsp::lfo::{KNOT_SAMPLES, Rate, Shape};

/// One-sine notes (partials 2–5 silent) moved by `movement`, so the instantaneous frequency
/// of the output is the note's.
fn one_sine_moving(movement: MovementSettings) -> Engine {
    Engine::new(
        RATE_HZ,
        Settings {
            movement,
            ..one_sine_notes(4).settings
        },
    )
}

/// Notes with the default partials, moved by `movement`.
fn notes_moving(movement: MovementSettings) -> Engine {
    Engine::new(
        RATE_HZ,
        Settings {
            midi: true,
            movement,
            ..Settings::default()
        },
    )
}

/// A sine vibrato of `cents` at `hz`, nothing else.
fn vibrato(cents: f64, hz: f64) -> MovementSettings {
    MovementSettings {
        vibrato_cents: cents,
        rate: Rate { hz, sync: 0 },
        ..MovementSettings::default()
    }
}

fn wheel(engine: &mut Engine, channel: Channel, position: f32) {
    engine.handle(NoteInput::ControlChange {
        channel,
        controller: MOD_WHEEL_CC,
        value: position,
    });
}

/// The frequency of a single sine at each of its rising zero crossings (linearly
/// interpolated), as (time in seconds, Hz) from one crossing to the next.
fn instantaneous_hz(samples: &[f32]) -> Vec<(f64, f64)> {
    let crossings: Vec<f64> = samples
        .windows(2)
        .enumerate()
        .filter(|(_, w)| w[0] < 0.0 && w[1] >= 0.0)
        .map(|(n, w)| n as f64 + f64::from(w[0] / (w[0] - w[1])))
        .collect();
    crossings
        .windows(2)
        .map(|c| ((c[0] + c[1]) / 2.0 / RATE_HZ, RATE_HZ / (c[1] - c[0])))
        .collect()
}

/// The vibrato in an instantaneous-frequency curve around `centre_hz`: its depth (cents either
/// way, half the range) and its rate (Hz, from the curve's rising crossings of the centre).
fn vibrato_of(curve: &[(f64, f64)], centre_hz: f64) -> (f64, f64) {
    let cents: Vec<(f64, f64)> = curve
        .iter()
        .map(|&(t, hz)| (t, 1200.0 * (hz / centre_hz).log2()))
        .collect();
    let (low, high) = cents
        .iter()
        .fold((f64::MAX, f64::MIN), |(l, h), &(_, c)| (l.min(c), h.max(c)));
    let rising: Vec<f64> = cents
        .windows(2)
        .filter(|w| w[0].1 < 0.0 && w[1].1 >= 0.0)
        .map(|w| w[1].0)
        .collect();
    let rate = if rising.len() >= 2 {
        (rising.len() - 1) as f64 / (rising[rising.len() - 1] - rising[0])
    } else {
        0.0
    };
    ((high - low) / 2.0, rate)
}

/// With every depth at 0, or the mod wheel down, a chord plays to the bit as without
/// movement, and its held notes go to the steady lanes (no speed lost).
#[test]
fn no_depth_or_a_wheel_at_0_plays_bit_identical_and_steady() {
    let chord = [48, 55, 60, 64, 67];
    let play = |movement: MovementSettings, wheel_at: Option<f32>| {
        let mut engine = notes_moving(movement);
        if let Some(position) = wheel_at {
            wheel(&mut engine, 0, position);
        }
        for key in chord {
            on(&mut engine, note(key), 0.8);
        }
        let out = render_in_blocks(&mut engine, 48_000, 331);
        (out, engine.steady.member_count())
    };
    let (still, in_lanes) = play(MovementSettings::default(), None);
    assert_eq!(in_lanes, chord.len() as u32);
    let defaults = Settings::default().movement;
    assert_eq!(defaults.wheel_vibrato_cents, 40.0, "a new instance's wheel");
    for wheel_at in [None, Some(0.0)] {
        let (out, in_lanes) = play(defaults, wheel_at);
        assert!(out == still, "wheel {wheel_at:?}");
        assert_eq!(
            in_lanes,
            chord.len() as u32,
            "wheel {wheel_at:?}: in the lanes"
        );
    }
    let (moved, in_lanes) = play(defaults, Some(1.0));
    assert!(moved != still);
    assert_eq!(in_lanes, 0, "moving voices render on their banks");
}

/// A full mod wheel brings in tens of cents of vibrato at the LFO's musical rate; back at 0 the
/// note returns to its pitch and to the steady lanes.
#[test]
fn the_full_mod_wheel_brings_in_an_audible_vibrato_and_leaves_none_at_0() {
    let mut engine = one_sine_moving(Settings::default().movement);
    on(&mut engine, note(69), 1.0);
    render(&mut engine, 4800);
    wheel(&mut engine, 0, 1.0);
    let out = render(&mut engine, 96_000);
    let (cents, rate) = vibrato_of(&instantaneous_hz(&out[4800..]), 440.0);
    assert!((cents - 40.0).abs() < 1.5, "{cents} cents");
    assert!((rate - 5.5).abs() < 0.1, "{rate} Hz");
    wheel(&mut engine, 0, 0.0);
    render(&mut engine, 4800);
    let out = render(&mut engine, 48_000);
    let (cents, _) = vibrato_of(&instantaneous_hz(&out), 440.0);
    assert!(cents < 0.01, "{cents} cents left");
    assert_eq!(engine.steady.member_count(), 1, "back in the lanes");
}

/// The mod wheel of one channel moves only its notes without MPE; with MPE the master
/// channel's moves every note.
#[test]
fn a_channels_mod_wheel_moves_its_notes_and_mpe_s_master_moves_all() {
    for (mpe, wheel_channel, moved) in [(false, 1, [false, true]), (true, 0, [true, true])] {
        let mut engine = one_sine_moving(Settings::default().movement);
        engine.set_mpe(mpe);
        on(&mut engine, with_id(69, 1, 0), 1.0);
        on(&mut engine, with_id(57, 2, 1), 1.0);
        wheel(&mut engine, wheel_channel, 1.0);
        let voices: Vec<bool> = [1, 2]
            .map(|id| {
                let voice = engine.voices.iter().find(|v| v.note.id == Some(id));
                voice.expect("sounds").is_moved()
            })
            .to_vec();
        assert_eq!(voices, moved, "mpe {mpe}");
    }
}

#[test]
fn vibrato_rate_and_depth_are_what_the_settings_say() {
    for (cents, hz) in [(25.0, 5.5), (60.0, 2.0)] {
        let mut engine = one_sine_moving(vibrato(cents, hz));
        on(&mut engine, note(69), 1.0);
        let out = render(&mut engine, 4 * 48_000);
        let (depth, rate) = vibrato_of(&instantaneous_hz(&out[4800..]), 440.0);
        assert!(
            (depth - cents).abs() < cents * 0.03,
            "{depth} of {cents} cents"
        );
        assert!((rate - hz).abs() < 0.05, "{rate} of {hz} Hz");
    }
}

#[test]
fn a_synced_lfo_runs_at_the_division_of_the_tempo() {
    // An eighth note at 150 BPM: 5 Hz; a dotted quarter: 1/1.5 beats at 150 BPM, 1.667 Hz.
    for (sync, tempo, hz) in [(10, 150.0, 5.0), (8, 150.0, 150.0 / 60.0 / 1.5)] {
        let mut movement = vibrato(30.0, 9.0);
        movement.rate.sync = sync;
        let mut engine = one_sine_moving(movement);
        engine.set_tempo(tempo);
        on(&mut engine, note(69), 1.0);
        let out = render(&mut engine, 4 * 48_000);
        let (_, rate) = vibrato_of(&instantaneous_hz(&out[4800..]), 440.0);
        assert!((rate - hz).abs() < 0.03, "sync {sync}: {rate} of {hz} Hz");
    }
}

/// The largest step of each half cycle's peaks: the tremolo's dip as a level ratio.
fn level_range(samples: &[f32], period: usize) -> (f32, f32) {
    samples
        .chunks(period)
        .map(|c| c.iter().fold(0.0f32, |m, x| m.max(x.abs())))
        .fold((f32::MAX, 0.0f32), |(l, h), p| (l.min(p), h.max(p)))
}

#[test]
fn tremolo_dips_the_level_by_its_depth() {
    let mut engine = one_sine_moving(MovementSettings {
        tremolo: 0.5,
        rate: Rate { hz: 2.0, sync: 0 },
        ..MovementSettings::default()
    });
    on(&mut engine, note(69), 1.0);
    let out = render(&mut engine, 2 * 48_000);
    let (low, high) = level_range(&out[4800..], 109);
    assert!((high - PARTIAL_AMPLITUDE).abs() < 1e-3, "{high}");
    assert!((low / high - 0.5).abs() < 0.01, "{low} / {high}");
}

/// Partial k's amplitude in a window, by FFT.
fn partial_amplitudes(samples: &[f32], frequencies: &[f64; PARTIAL_COUNT]) -> [f64; 5] {
    let peaks = find_peaks(samples, RATE_HZ, 1e-4);
    frequencies.map(|hz| {
        peaks
            .iter()
            .find(|p| (p.frequency_hz - hz).abs() < 2.0)
            .map_or(0.0, |p| p.amplitude)
    })
}

/// A square LFO on brightness holds +12 dB then −12 dB for partial 5 (partial 3 half of it,
/// partial 1 none), measured by FFT in each half cycle.
#[test]
fn brightness_tilts_the_upper_partials_by_their_share() {
    let settings = |brightness_db| Settings {
        midi: true,
        movement: MovementSettings {
            brightness_db,
            shape: Shape::Square,
            rate: Rate { hz: 0.25, sync: 0 },
            ..MovementSettings::default()
        },
        ..Settings::default()
    };
    let mut flat = Engine::new(RATE_HZ, settings(0.0));
    let mut tilted = Engine::new(RATE_HZ, settings(12.0));
    let partials = partials_of(60);
    let db = |a: f64, b: f64| 20.0 * (a / b).log10();
    for engine in [&mut flat, &mut tilted] {
        on(engine, note(60), 1.0);
        render_unchecked(engine, 9_600);
    }
    for sign in [1.0, -1.0] {
        let reference = partial_amplitudes(&render(&mut flat, 48_000)[..32_768], &partials);
        let out = render_unchecked(&mut tilted, 48_000);
        let moved = partial_amplitudes(&out[..32_768], &partials);
        for (k, share) in [(0, 0.0), (2, 0.5), (4, 1.0)] {
            let change = db(moved[k], reference[k]);
            assert!(
                (change - sign * 12.0 * share).abs() < 0.1,
                "partial {k}: {change} dB"
            );
        }
        render(&mut flat, 48_000);
        render_unchecked(&mut tilted, 48_000);
    }
}

/// No vibrato during the delay; then it grows over the fade-in.
#[test]
fn the_delay_and_fade_in_time_the_vibrato() {
    let mut movement = vibrato(50.0, 6.0);
    movement.delay_ms = 300.0;
    movement.fade_ms = 1000.0;
    let mut engine = one_sine_moving(movement);
    on(&mut engine, note(69), 1.0);
    let out = render(&mut engine, 3 * 48_000);
    let curve = instantaneous_hz(&out);
    let depth_in = |from: f64, to: f64| {
        let part: Vec<_> = curve
            .iter()
            .copied()
            .filter(|&(t, _)| (from..to).contains(&t))
            .collect();
        vibrato_of(&part, 440.0).0
    };
    assert!(depth_in(0.01, 0.29) < 0.01, "during the delay");
    let early = depth_in(0.3, 0.6);
    let late = depth_in(1.6, 2.9);
    assert!((late - 50.0).abs() < 1.5, "after the fade {late}");
    assert!(
        early > 1.0 && early < 0.35 * 50.0,
        "early in the fade {early}"
    );
}

/// With retrigger each note's vibrato starts with the note; free-running, notes started at
/// different times share one LFO.
#[test]
fn retriggered_vibrato_starts_with_the_note_and_free_running_does_not() {
    // Half a 5 Hz cycle apart (and on the knot grid).
    let offset = 4800;
    for retrigger in [true, false] {
        let mut movement = vibrato(40.0, 5.0);
        movement.retrigger = retrigger;
        let curves = [0, offset].map(|start| {
            let mut engine = one_sine_moving(movement);
            render_unchecked(&mut engine, 96 + start);
            on(&mut engine, note(69), 1.0);
            let out = render(&mut engine, 48_000);
            // A's and B's curves at the same time after their note-on.
            instantaneous_hz(&out)
        });
        let at = |curve: &[(f64, f64)], t: f64| {
            curve
                .iter()
                .find(|&&(time, _)| time >= t)
                .expect("in range")
                .1
        };
        let t = 0.35;
        let (a, b) = (at(&curves[0], t), at(&curves[1], t));
        let apart = (1200.0 * (a / b).log2()).abs();
        if retrigger {
            assert!(apart < 0.5, "retriggered notes differ by {apart} cents");
        } else {
            assert!(apart > 20.0, "free-running notes agree ({apart} cents)");
        }
    }
}

#[test]
fn the_drone_has_an_lfo_of_its_own() {
    let mut engine = Engine::new(
        RATE_HZ,
        Settings {
            levels: [1.0, 0.0, 0.0, 0.0, 0.0],
            movement: vibrato(30.0, 4.0),
            ..Settings::default()
        },
    );
    let out = render(&mut engine, 2 * 48_000);
    let (depth, rate) = vibrato_of(&instantaneous_hz(&out), 200.0);
    assert!((depth - 30.0).abs() < 1.0, "{depth} cents");
    assert!((rate - 4.0).abs() < 0.05, "{rate} Hz");
}

/// Every movement at once (vibrato, tremolo, brightness, a S&H LFO, the wheel moving) renders
/// the same bits whatever the blocks, and steps no more than its sines can.
#[test]
fn moving_voices_render_the_same_bits_in_any_blocks_without_a_click() {
    let movement = MovementSettings {
        shape: Shape::SampleAndHold,
        rate: Rate { hz: 9.0, sync: 0 },
        vibrato_cents: 100.0,
        tremolo: 1.0,
        brightness_db: 24.0,
        wheel_vibrato_cents: 100.0,
        ..MovementSettings::default()
    };
    let play = |block: usize| {
        let mut engine = notes_moving(movement);
        let mut out = Vec::new();
        for (n, key) in [60u8, 64, 67, 72].into_iter().enumerate() {
            on(&mut engine, note(key), 1.0);
            wheel(&mut engine, 0, n as f32 / 3.0);
            let mut left = 7_001;
            while left > 0 {
                let len = block.min(left);
                out.extend(render_unchecked(&mut engine, len));
                left -= len;
            }
        }
        out
    };
    let whole = play(48_000);
    for block in [1, 7, 61, 997] {
        assert!(play(block) == whole, "blocks of {block}");
    }
    // Each sine's slope at the top of a 200-cent swing, full level, brightness +24 dB on
    // partial 5 (partial k + (k−1)/4 of it), plus the envelopes.
    let bright = |k: usize| 10f64.powf(24.0 * k as f64 / 4.0 / 20.0);
    let bound: f64 = (0..4)
        .map(|_| {
            (0..PARTIAL_COUNT)
                .map(|k| {
                    let hz = partials_of(72)[k] * 2f64.powf(200.0 / 1200.0);
                    std::f64::consts::TAU * hz / RATE_HZ * f64::from(PARTIAL_AMPLITUDE) * bright(k)
                })
                .sum::<f64>()
                + f64::from(VOICE_LEVEL) / ms(SHORTEST_SEGMENT_MS) as f64
        })
        .sum();
    let step = largest_step(&whole);
    assert!(step <= bound, "{step} > {bound}");
}

/// A reference for one moved sine: partial 1 of key 69 (440 Hz) with a sine vibrato, its
/// frequency at each knot computed in f64 (libm's `sin` and `exp2`), linear in between, and
/// its phase the exact integral of that frequency.
struct VibratoReference {
    cents: f64,
    lfo_hz: f64,
    /// The knot starting the current interval, its phase (turns) and frequency (Hz).
    knot: u64,
    phase: f64,
    hz: f64,
}

impl VibratoReference {
    fn hz_at(&self, knot: u64) -> f64 {
        let t = (knot * KNOT_SAMPLES as u64) as f64 / RATE_HZ;
        let lfo = (std::f64::consts::TAU * (self.lfo_hz * t).fract()).sin();
        440.0 * (self.cents * lfo / 1200.0).exp2()
    }

    /// Sample `n` (at or after the current knot; samples asked in order).
    fn sample(&mut self, n: u64) -> f64 {
        let knot_len = KNOT_SAMPLES as f64;
        while n >= (self.knot + 1) * KNOT_SAMPLES as u64 {
            let next = self.hz_at(self.knot + 1);
            let turns = (knot_len * self.hz + (next - self.hz) * (knot_len - 1.0) / 2.0) / RATE_HZ;
            self.phase = (self.phase + turns).fract();
            self.knot += 1;
            self.hz = next;
        }
        let i = (n - self.knot * KNOT_SAMPLES as u64) as f64;
        let next = self.hz_at(self.knot + 1);
        let slope = (next - self.hz) / knot_len;
        let turns = self.phase + (i * self.hz + slope * i * (i - 1.0) / 2.0) / RATE_HZ;
        (std::f64::consts::TAU * turns.fract()).sin()
    }
}

/// A voice with vibrato for ten minutes matches the f64 reference integrating the same
/// frequency within 120 dB at every minute, rendered in odd blocks.
#[test]
fn a_vibrato_held_ten_minutes_stays_within_120_db_of_the_reference() {
    for chirp_lanes in [false, true] {
        vibrato_for_ten_minutes(chirp_lanes);
    }
}

/// The ten-minute vibrato on the voice's banks or in the chirp lanes.
fn vibrato_for_ten_minutes(chirp_lanes: bool) {
    const WINDOW: usize = 24_000;
    let minute = 60 * RATE_HZ as usize;
    let mut engine = one_sine_moving(vibrato(40.0, 5.5));
    engine.set_chirp_lanes(chirp_lanes);
    on(&mut engine, note(69), 1.0);
    let mut reference = VibratoReference {
        cents: 40.0,
        lfo_hz: 5.5,
        knot: 0,
        phase: 0.0,
        hz: 440.0,
    };
    let attack = ms(ATTACK_MS) as f64;
    let amplitude = f64::from(PARTIAL_AMPLITUDE);
    let mut window = vec![0.0f32; WINDOW];
    let mut between = vec![0.0f32; minute - WINDOW];
    let mut n = 0u64;
    for mark in 0..=10 {
        let mut rest = &mut window[..];
        for &len in [1, 7, 61, 997].iter().cycle() {
            if rest.is_empty() {
                break;
            }
            let (block, tail) = rest.split_at_mut(len.min(rest.len()));
            engine.render(block);
            rest = tail;
        }
        let exact: Vec<f64> = (n..n + WINDOW as u64)
            .map(|s| amplitude * (s as f64 / attack).min(1.0) * reference.sample(s))
            .collect();
        let snr = snr_db(&window, &exact);
        println!("vibrato (chirp lanes {chirp_lanes}), minute {mark}: {snr:.1} dB");
        assert!(
            snr >= 120.0,
            "chirp lanes {chirp_lanes}, minute {mark}: {snr:.1} dB"
        );
        n += WINDOW as u64;
        if mark < 10 {
            let mut rest = &mut between[..];
            for &len in [997, 61, 7, 1, 4096].iter().cycle() {
                if rest.is_empty() {
                    break;
                }
                let (block, tail) = rest.split_at_mut(len.min(rest.len()));
                engine.render(block);
                rest = tail;
            }
            n += (minute - WINDOW) as u64;
        }
    }
    // Held under the vibrato alone, it played in the chirp lanes if they were on.
    let in_lanes = u32::from(chirp_lanes);
    assert_eq!(engine.steady.chirp_voices(), in_lanes, "in the chirp lanes");
}

/// Two one-sine notes, on MIDI channels 1 and 2 (0 and 1 here), at keys whose sines an FFT
/// tells apart, with `movement`.
fn two_channels(movement: MovementSettings) -> Engine {
    let mut engine = one_sine_moving(movement);
    on(&mut engine, with_id(69, 1, 0), 1.0);
    on(&mut engine, with_id(81, 2, 1), 1.0);
    render(&mut engine, 4_800);
    engine
}

/// Partial 1's amplitude of keys 69 and 81 in the next FFT window.
fn amplitudes_of_69_and_81(engine: &mut Engine) -> [f64; 2] {
    render_unchecked(engine, 4_800);
    let out = render_unchecked(engine, 32_768);
    let peaks = find_peaks(&out, RATE_HZ, 1e-4);
    [440.0, 880.0].map(|hz| {
        peaks
            .iter()
            .find(|p| (p.frequency_hz - hz).abs() < 2.0)
            .map_or(0.0, |p| p.amplitude)
    })
}

fn db(gain: f64) -> f64 {
    20.0 * gain.log10()
}

/// Channel pressure moves its channel's notes, polyphonic aftertouch its note, by the pressure
/// route's dB; with the route at 0 nothing moves.
#[test]
fn pressure_moves_the_level_of_its_channel_or_its_note() {
    let movement = MovementSettings {
        pressure_level_db: 6.0,
        ..MovementSettings::default()
    };
    let mut engine = two_channels(movement);
    let rest = amplitudes_of_69_and_81(&mut engine);
    engine.handle(NoteInput::ChannelPressure {
        channel: 1,
        pressure: 1.0,
    });
    let pressed = amplitudes_of_69_and_81(&mut engine);
    assert!((db(pressed[0] / rest[0])).abs() < 0.05, "{pressed:?}");
    assert!((db(pressed[1] / rest[1]) - 6.0).abs() < 0.05, "{pressed:?}");
    engine.handle(NoteInput::Expression {
        target: NoteMatch::key(0, 69),
        kind: Expression::Pressure,
        value: 0.5,
    });
    let poly = amplitudes_of_69_and_81(&mut engine);
    assert!((db(poly[0] / rest[0]) - 3.0).abs() < 0.05, "{poly:?}");
    assert!((db(poly[1] / rest[1]) - 6.0).abs() < 0.05, "{poly:?}");
    // Without a route, pressure changes no bit.
    let mut still = two_channels(MovementSettings::default());
    let mut pressed = two_channels(MovementSettings::default());
    pressed.handle(NoteInput::ChannelPressure {
        channel: 1,
        pressure: 1.0,
    });
    assert!(render(&mut still, 9_600) == render(&mut pressed, 9_600));
}

/// MPE's timbre (CC74) on a channel tilts that channel's notes only: partial 5 by the route's
/// dB at CC 127, partial 3 by half; CLAP's brightness expression does the same to its note.
#[test]
fn cc74_tilts_the_notes_of_its_channel() {
    for mpe in [false, true] {
        let mut engine = Engine::new(
            RATE_HZ,
            Settings {
                midi: true,
                mpe,
                ..Settings::default()
            },
        );
        assert_eq!(engine.settings.movement.timbre_brightness_db, 12.0);
        on(&mut engine, with_id(60, 1, 1), 1.0);
        on(&mut engine, with_id(84, 2, 2), 1.0);
        render(&mut engine, 4_800);
        let (low, high) = (partials_of(60), partials_of(84));
        let window = |engine: &mut Engine| {
            render_unchecked(engine, 4_800);
            let out = render_unchecked(engine, 32_768);
            (
                partial_amplitudes(&out, &low),
                partial_amplitudes(&out, &high),
            )
        };
        let rest = window(&mut engine);
        engine.handle(NoteInput::ControlChange {
            channel: 1,
            controller: TIMBRE_CC,
            value: 1.0,
        });
        let moved = window(&mut engine);
        engine.handle(NoteInput::Expression {
            target: NoteMatch {
                id: Some(2),
                ..NoteMatch::ALL
            },
            kind: Expression::Brightness,
            value: 0.0,
        });
        let expressed = window(&mut engine);
        for (k, share) in [(0, 0.0), (2, 0.5), (4, 1.0)] {
            let change = db(moved.0[k] / rest.0[k]);
            assert!(
                (change - 12.0 * share).abs() < 0.1,
                "mpe {mpe} partial {k}: {change}"
            );
            let other = db(moved.1[k] / rest.1[k]);
            assert!(
                other.abs() < 0.05,
                "mpe {mpe}: channel 3's partial {k} moved {other}"
            );
            let darker = db(expressed.1[k] / rest.1[k]);
            assert!(
                (darker + 12.0 * share).abs() < 0.1,
                "mpe {mpe} expressed {k}: {darker}"
            );
            let first = db(expressed.0[k] / moved.0[k]);
            assert!(
                first.abs() < 0.05,
                "mpe {mpe}: the expression reached note 1 ({first})"
            );
        }
    }
}

/// CLAP's note expressions each touch their note alone: vibrato (as the mod wheel would) and
/// expression (a level factor); brightness: see [`cc74_tilts_the_notes_of_its_channel`].
#[test]
fn note_expressions_touch_only_their_note() {
    let mut engine = two_channels(Settings::default().movement);
    let rest = amplitudes_of_69_and_81(&mut engine);
    let express = |engine: &mut Engine, kind, value| {
        engine.handle(NoteInput::Expression {
            target: NoteMatch {
                id: Some(2),
                ..NoteMatch::ALL
            },
            kind,
            value,
        })
    };
    express(&mut engine, Expression::Expression, 0.5);
    let half = amplitudes_of_69_and_81(&mut engine);
    assert!((half[1] / rest[1] - 0.5).abs() < 1e-3, "{half:?}");
    assert!((half[0] / rest[0] - 1.0).abs() < 1e-4, "{half:?}");
    express(&mut engine, Expression::Expression, 1.0);
    express(&mut engine, Expression::Vibrato, 1.0);
    render(&mut engine, 4_800);
    let out = render(&mut engine, 96_000);
    // Key 81's vibrato spreads its line into sidebands; key 69's stays one line.
    let peaks = find_peaks(&out, RATE_HZ, 1e-3);
    let near = |hz: f64| {
        peaks
            .iter()
            .filter(|p| (p.frequency_hz - hz).abs() < 60.0)
            .count()
    };
    assert!(near(880.0) > 1, "key 81 has sidebands: {peaks:?}");
    assert_eq!(near(440.0), 1, "key 69 stays a line");
}

/// A one-sine note under `movement`, placed by `pans` with `unison`, rendered in stereo for
/// four seconds: (left, right).
fn stereo_moving(
    movement: MovementSettings,
    pans: [f32; PARTIAL_COUNT],
    unison: crate::engine::unison::Unison,
) -> (Vec<f32>, Vec<f32>) {
    let mut engine = Engine::new(
        RATE_HZ,
        Settings {
            movement,
            pans,
            unison,
            ..one_sine_notes(4).settings
        },
    );
    on(&mut engine, note(69), 1.0);
    let (mut left, mut right) = (vec![0.0; 4 * 48_000], vec![0.0; 4 * 48_000]);
    // Odd blocks: the knots fall on the engine's clock, not on the calls.
    let mut start = 0;
    for block in [61, 997, 7, 1].into_iter().cycle() {
        if start == left.len() {
            break;
        }
        let end = (start + block).min(left.len());
        engine.render_stereo(&mut left[start..end], &mut right[start..end]);
        start = end;
    }
    (left, right)
}

/// Movement and width together: a vibrating partial panned hard left vibrates on the left by
/// the depth set and stays off the right (the moving path carries the pans), and every unison
/// copy follows the knots (two copies in tune, their sum still swings by the full depth; a
/// copy left unmoved would halve it).
#[test]
fn a_panned_vibrato_and_every_unison_copy_follow_the_knots() {
    use crate::engine::unison::Unison;
    let hard_left = [-1.0, 0.0, 0.0, 0.0, 0.0];
    let (left, right) = stereo_moving(vibrato(30.0, 5.5), hard_left, Unison::default());
    assert!(
        right.iter().all(|&s| s.abs() < 1e-6),
        "nothing on the right: {}",
        right.iter().fold(0.0f32, |m, s| m.max(s.abs()))
    );
    let (depth, rate) = vibrato_of(&instantaneous_hz(&left[4800..]), 440.0);
    assert!((depth - 30.0).abs() < 0.9, "left swings {depth} cents");
    assert!((rate - 5.5).abs() < 0.05, "at {rate} Hz");

    let two_in_tune = Unison {
        copies: 2,
        detune_cents: 0.0,
        width: 0.0,
    };
    let centred = [0.0; PARTIAL_COUNT];
    let (left, right) = stereo_moving(vibrato(30.0, 5.5), centred, two_in_tune);
    assert_eq!(left, right, "centred copies: both channels alike");
    let (depth, _) = vibrato_of(&instantaneous_hz(&left[4800..]), 440.0);
    assert!((depth - 30.0).abs() < 0.9, "two copies swing {depth} cents");
}

/// A movement set while the drone plays reaches it (the engine keeps whether the drone moves
/// instead of asking at every render), and setting it back to none leaves the drone steady.
#[test]
fn the_drone_follows_a_movement_set_while_it_plays() {
    let mut engine = Engine::new(
        RATE_HZ,
        Settings {
            levels: [1.0, 0.0, 0.0, 0.0, 0.0],
            ..Settings::default()
        },
    );
    let before = render(&mut engine, 48_000 / 4);
    let (depth, _) = vibrato_of(&instantaneous_hz(&before), 200.0);
    assert!(depth < 0.1, "{depth} cents before any movement");

    engine.set_movement(vibrato(30.0, 4.0));
    let moved = render(&mut engine, 2 * 48_000);
    let (depth, rate) = vibrato_of(&instantaneous_hz(&moved), 200.0);
    assert!((depth - 30.0).abs() < 1.0, "{depth} cents once set");
    assert!((rate - 4.0).abs() < 0.05, "{rate} Hz once set");

    engine.set_movement(MovementSettings::default());
    render(&mut engine, 48_000 / 4);
    let after = render(&mut engine, 48_000 / 2);
    let (depth, _) = vibrato_of(&instantaneous_hz(&after), 200.0);
    assert!(depth < 0.1, "{depth} cents once set back to none");
}
