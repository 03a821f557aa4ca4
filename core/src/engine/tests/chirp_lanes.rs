//! Held notes under movement alone in the chirp lanes (see `chirp_voices.rs`): what they play
//! against each voice on its own banks (the lanes switched off), with voices leaving and
//! joining at events, whatever the blocks and the kernel.

use super::*;
use crate::dsp::knot::Knot;
use crate::dsp::lfo::{KNOT_SAMPLES, Rate};
use crate::dsp::sine::Kernel;
use crate::dsp::steady::RUN_SAMPLES;
use crate::engine::unison::Unison;

/// Keys three semitones apart.
const KEYS: [u8; 8] = [48, 51, 54, 57, 60, 63, 66, 69];

/// Samples the performance lasts.
const SAMPLES: usize = 60_000;

/// Vibrato, tremolo and brightness at once: pitch and every level move at every knot.
fn moving() -> MovementSettings {
    MovementSettings {
        vibrato_cents: 50.0,
        rate: Rate { hz: 5.5, sync: 0 },
        tremolo: 0.3,
        brightness_db: 3.0,
        ..MovementSettings::default()
    }
}

fn engine(wide: bool, lanes: bool) -> Engine {
    let mut settings = Settings {
        midi: true,
        movement: moving(),
        ..Settings::default()
    };
    if wide {
        settings.pans = [-0.6, 0.3, -0.2, 0.8, 0.0];
        settings.unison = Unison {
            copies: 4,
            detune_cents: 12.0,
            width: 1.0,
        };
    }
    let mut engine = Engine::new(RATE_HZ, settings);
    engine.set_chirp_lanes(lanes);
    engine
}

/// What a performance played: each channel (the right empty in mono) and the most voices the
/// chirp lanes held at once (sampled between blocks).
struct Played {
    left: Vec<f32>,
    right: Vec<f32>,
    most_in_lanes: u32,
}

/// The chord held under movement, `block` samples at a time: at odd samples mid-vibrato the
/// wheel bends every note (each glides on its banks, then joins again), a key is released
/// (it leaves for good) and the wheel returns.
fn perform(wide: bool, lanes: bool, block: usize, kernel: Option<Kernel>) -> Played {
    let mut engine = engine(wide, lanes);
    if let Some(kernel) = kernel {
        engine.steady.set_kernel(kernel);
    }
    for key in KEYS {
        on(&mut engine, note(key), 1.0);
    }
    let events: [(usize, NoteInput); 3] = [
        (
            31_013,
            NoteInput::PitchBend {
                channel: 0,
                position: 0.75,
            },
        ),
        (
            40_007,
            NoteInput::NoteOff {
                target: NoteMatch::key(0, 57),
            },
        ),
        (
            50_021,
            NoteInput::PitchBend {
                channel: 0,
                position: 0.5,
            },
        ),
    ];
    let mut played = Played {
        left: vec![f32::NAN; SAMPLES],
        right: vec![f32::NAN; if wide { SAMPLES } else { 0 }],
        most_in_lanes: 0,
    };
    let mut start = 0;
    while start < SAMPLES {
        let next_event = events.iter().map(|e| e.0).find(|&at| at > start);
        let end = (start + block)
            .min(next_event.unwrap_or(SAMPLES))
            .min(SAMPLES);
        if wide {
            engine.render_stereo(&mut played.left[start..end], &mut played.right[start..end]);
        } else {
            engine.render(&mut played.left[start..end]);
        }
        played.most_in_lanes = played.most_in_lanes.max(engine.steady.chirp_voices());
        for (_, input) in events.iter().filter(|e| e.0 == end) {
            engine.handle(*input);
        }
        start = end;
    }
    played
}

/// The SNR of `played` against `reference` in dB.
fn snr_against(played: &[f32], reference: &[f32]) -> f64 {
    let reference: Vec<f64> = reference.iter().map(|&x| f64::from(x)).collect();
    snr_db(played, &reference)
}

#[test]
fn the_chirp_lanes_play_what_the_voices_banks_play_within_120_db() {
    for wide in [false, true] {
        let banks = perform(wide, false, 997, None);
        let lanes = perform(wide, true, 997, None);
        assert_eq!(banks.most_in_lanes, 0);
        assert_eq!(lanes.most_in_lanes, KEYS.len() as u32, "wide: {wide}");
        let left = snr_against(&lanes.left, &banks.left);
        println!("wide {wide}: left {left:.1} dB");
        assert!(left >= 120.0, "wide {wide}: left {left:.1} dB");
        if wide {
            let right = snr_against(&lanes.right, &banks.right);
            println!("wide {wide}: right {right:.1} dB");
            assert!(right >= 120.0, "right {right:.1} dB");
        }
    }
}

#[test]
fn the_chirp_lanes_do_not_depend_on_block_sizes_or_the_kernel() {
    for wide in [false, true] {
        let whole = perform(wide, true, 4096, None);
        for block in [1, 7, 61, 997] {
            let sliced = perform(wide, true, block, None);
            assert!(sliced.left == whole.left, "wide {wide}, blocks of {block}");
            assert!(
                sliced.right == whole.right,
                "wide {wide}, blocks of {block}"
            );
        }
        for kernel in Kernel::available() {
            let other = perform(wide, true, 4096, Some(kernel));
            assert!(other.left == whole.left, "wide {wide}, {kernel:?}");
            assert!(other.right == whole.right, "wide {wide}, {kernel:?}");
        }
    }
}

/// Voices leave the lanes at a bend and a release mid-vibrato, and join again after the
/// glide, without a click: no sample steps further than the voices' sines (moved up by the
/// vibrato and the bend) and envelopes can.
#[test]
fn voices_leave_and_join_the_chirp_lanes_without_a_click() {
    let played = perform(false, true, 61, None);
    // The highest key bent a semitone and a half up and moved 50 cents more by the vibrato.
    let bound = voices_step_bound(KEYS.len(), 72);
    let step = largest_step(&played.left[ms(ATTACK_MS)..]);
    assert!(step <= bound, "largest step {step} > {bound}");
}

/// The chord held under movement in blocks of 61 until sample `leave`, where every key goes
/// up (each voice leaves the lanes there, if they play it, and its release plays on its
/// banks), then a tenth of a second more: each channel.
fn released_at(wide: bool, lanes: bool, leave: usize) -> (Vec<f32>, Vec<f32>) {
    let mut engine = engine(wide, lanes);
    for key in KEYS {
        on(&mut engine, note(key), 1.0);
    }
    let samples = leave + 4_800;
    let (mut left, mut right) = (vec![0.0; samples], vec![0.0; samples]);
    let mut start = 0;
    while start < samples {
        let end = (start + 61).min(samples);
        let end = if start < leave { end.min(leave) } else { end };
        if wide {
            engine.render_stereo(&mut left[start..end], &mut right[start..end]);
        } else {
            engine.render(&mut left[start..end]);
        }
        if end == leave {
            assert_eq!(
                engine.steady.chirp_voices(),
                if lanes { KEYS.len() } else { 0 } as u32
            );
            for key in KEYS {
                engine.handle(NoteInput::NoteOff {
                    target: NoteMatch::key(0, key),
                });
            }
        }
        start = end;
    }
    (left, right)
}

/// A voice the lanes hand back to its banks, at any sample of a run, plays on from exactly
/// where its banks would be had they played it all along: the banks are brought up to date
/// from the lanes (phases, increments, levels, the movement's place), so every sample after
/// the lanes let go is the same bits as with the lanes off.
#[test]
fn voices_leaving_the_chirp_lanes_play_on_the_bits_of_their_banks() {
    // Past the attack, at each offset into a knot's span: its first run (its start, its second
    // sample, its middle, its last) and the next run's start, second sample and last (the
    // span's last).
    let knot = KNOT_SAMPLES * 1_000;
    let (run, span) = (RUN_SAMPLES, KNOT_SAMPLES);
    for wide in [false, true] {
        for offset in [0, 1, run / 2 + 1, run - 1, run, run + 1, span - 1] {
            let leave = knot + offset;
            let banks = released_at(wide, false, leave);
            let lanes = released_at(wide, true, leave);
            assert!(
                lanes.0[leave..] == banks.0[leave..],
                "wide {wide}, leaving {offset} samples after a knot: left"
            );
            assert!(
                lanes.1[leave..] == banks.1[leave..],
                "wide {wide}, leaving {offset} samples after a knot: right"
            );
        }
    }
}

/// What the engine reports sounding (the editor's display) follows the vibrato while the
/// lanes play the voices, as when their banks do: the same frequencies, at any sample of a
/// run.
#[test]
fn the_sounding_frequencies_follow_the_chirp_lanes() {
    let sounding = |lanes: bool, samples: usize| {
        let mut engine = engine(true, lanes);
        for key in KEYS {
            on(&mut engine, note(key), 1.0);
        }
        let mut out = vec![0.0; samples];
        for block in out.chunks_mut(997) {
            engine.render(block);
        }
        assert_eq!(
            engine.steady.chirp_voices(),
            if lanes { KEYS.len() } else { 0 } as u32
        );
        engine.sounding().collect::<Vec<_>>()
    };
    for samples in [30_011, 30_016, 30_031] {
        let banks = sounding(false, samples);
        assert_eq!(sounding(true, samples), banks, "after {samples} samples");
        let before = sounding(false, samples - 7);
        assert_ne!(before, banks, "the vibrato moves");
    }
}

/// A vibrato steeper than the lanes take at its steepest (±300 cents at 10 Hz: they take
/// about ±100 at 16) and within it near its peaks: at knots where the lanes refuse a member's
/// next run it leaves for its banks, and it joins again where they accept it. What plays is
/// still what the banks play.
#[test]
fn voices_whose_runs_the_chirp_lanes_refuse_play_on_their_banks() {
    let play = |lanes: bool| {
        let mut engine = engine(false, lanes);
        engine.set_movement(MovementSettings {
            vibrato_cents: 300.0,
            rate: Rate { hz: 10.0, sync: 0 },
            ..moving()
        });
        for key in KEYS {
            on(&mut engine, note(key), 1.0);
        }
        let mut out = vec![0.0; 24_000];
        let (mut fewest, mut most) = (u32::MAX, 0);
        for (n, block) in out.chunks_mut(61).enumerate() {
            engine.render(block);
            if n * 61 > ms(ATTACK_MS) + 2_400 {
                fewest = fewest.min(engine.steady.chirp_voices());
                most = most.max(engine.steady.chirp_voices());
            }
        }
        (out, fewest, most)
    };
    let (banks, _, _) = play(false);
    let (lanes, fewest, most) = play(true);
    assert_eq!(
        (fewest, most),
        (0, KEYS.len() as u32),
        "refused and accepted in turn"
    );
    let snr = snr_against(&lanes, &banks);
    println!("{snr:.1} dB");
    assert!(snr >= 120.0, "{snr:.1} dB");
}

/// Each member of the chirp lanes heads for the knot its voice alone would work out there, to
/// the bit, whatever changes mid-note: the wheel (its controls), the tempo of a synced LFO and
/// the rate (its LFO's clock).
#[test]
fn every_member_heads_for_the_knot_its_voice_alone_would() {
    let synced = |sync| MovementSettings {
        rate: Rate { hz: 5.5, sync },
        wheel_vibrato_cents: 20.0,
        ..moving()
    };
    let mut engine = engine(false, true);
    engine.set_movement(synced(7));
    for key in KEYS {
        on(&mut engine, note(key), 1.0);
    }
    let mut out = [0.0; KNOT_SAMPLES];
    let mut checked = 0;
    for block in 0..1_200 {
        match block {
            300 => engine.handle(NoteInput::ControlChange {
                channel: 0,
                controller: MOD_WHEEL_CC,
                value: 0.6,
            }),
            600 => engine.set_tempo(97.0),
            900 => engine.set_movement(synced(12)),
            _ => {}
        }
        // Each voice alone, told the next knot at this block's start (a knot).
        let knot = engine.clock / KNOT_SAMPLES as u64 + 1;
        let alone: Vec<Knot> = engine
            .voices
            .iter()
            .map(|v| {
                let controls = v.controls(&engine.movement);
                engine.movement.voice_knot(v.lfo(), knot, &controls)
            })
            .collect();
        engine.render(&mut out);
        for (slot, alone) in alone.iter().enumerate() {
            if let Some((heading, values)) = engine.steady.chirp_heading(slot) {
                assert_eq!(
                    (heading, values),
                    (knot, *alone),
                    "block {block}, slot {slot}"
                );
                checked += 1;
            }
        }
    }
    // Every key in the lanes most of the time, through every change.
    assert!(checked > 1_000 * KEYS.len(), "{checked} checked");
}
