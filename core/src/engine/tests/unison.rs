//! Unison: copies of each note, detuned and spread (see [`crate::engine::unison`]), on every
//! render path, as loud at any count, exact, and ending together.

use super::*;
use crate::dsp::sine::Kernel;
use crate::engine::unison::{MAX_UNISON, Unison};

/// Notes in MIDI mode, each `copies` copies detuned and spread as given.
fn unison(copies: usize, detune_cents: f64, width: f32) -> Settings {
    Settings {
        midi: true,
        unison: Unison {
            copies,
            detune_cents,
            width,
        },
        ..Settings::default()
    }
}

fn rms(samples: &[f32]) -> f64 {
    let power: f64 = samples.iter().map(|&x| f64::from(x).powi(2)).sum();
    (power / samples.len() as f64).sqrt()
}

fn db(ratio: f64) -> f64 {
    20.0 * ratio.log10()
}

#[test]
fn a_note_is_as_loud_at_one_to_four_copies() {
    // Stereo: the power of both channels (equal-power pans keep it wherever a copy stands);
    // mono at no width. Two seconds: whole beats of copies 15 cents apart.
    for width in [1.0, 0.0] {
        let mut levels = Vec::new();
        for copies in 1..=MAX_UNISON {
            let mut engine = Engine::new(RATE_HZ, unison(copies, 15.0, width));
            on(&mut engine, note(57), 1.0);
            render_both(&mut engine, 4800, 4800);
            let (left, right) = render_both(&mut engine, 96_000, 512);
            let both: Vec<f32> = left.into_iter().chain(right).collect();
            levels.push(rms(&both));
        }
        for (copies, level) in levels.iter().enumerate() {
            let change = db(level / levels[0]);
            assert!(
                change.abs() < 1.0,
                "width {width}, {} copies: {change:.2} dB",
                copies + 1
            );
        }
    }
}

#[test]
fn copies_are_detuned_either_way_and_spread_across_the_field() {
    let mut engine = Engine::new(RATE_HZ, unison(2, 50.0, 1.0));
    on(&mut engine, note(57), 1.0);
    render_both(&mut engine, 4800, 4800);
    let (left, right) = render_both(&mut engine, 96_000, 1000);
    let peaks = |samples: &[f32]| find_peaks(samples, RATE_HZ, 0.01);
    let (left, right) = (peaks(&left), peaks(&right));
    for k in 0..PARTIAL_COUNT {
        let hz = partials_of(57)[k];
        let (low, high) = (
            hz * (-50.0f64 / 1200.0).exp2(),
            hz * (50.0f64 / 1200.0).exp2(),
        );
        let near = |peaks: &[crate::spectrum::Peak], hz: f64| {
            peaks
                .iter()
                .find(|p| (p.frequency_hz - hz).abs() < 0.5)
                .map(|p| p.amplitude)
        };
        // Hard left and right: each copy on its side only, at √2 × 1/√2 of a partial (within
        // what the peak interpolation reads between bins: a few %).
        let amplitude = f64::from(PARTIAL_AMPLITUDE);
        let on_its_side =
            |found: Option<f64>| found.is_some_and(|a| (a / amplitude - 1.0).abs() < 0.05);
        assert!(
            on_its_side(near(&left, low)),
            "partial {k}: {low} Hz on the left: {:?}",
            near(&left, low)
        );
        assert!(
            on_its_side(near(&right, high)),
            "partial {k}: {high} Hz on the right"
        );
        assert!(near(&left, high).is_none() && near(&right, low).is_none());
        assert!(near(&left, hz).is_none(), "no copy on the note itself");
    }
}

#[test]
fn every_copys_phase_is_exact_after_minutes() {
    // Two copies hard left and right: the left channel is the lower copy alone, which must be
    // its five sines from their start phases, within 120 dB, one minute on.
    let detune = 7.0;
    let mut engine = Engine::new(RATE_HZ, unison(2, detune, 1.0));
    on(&mut engine, note(64), 1.0);
    let minute = 60 * RATE_HZ as usize;
    for _ in 0..60 {
        render_both(&mut engine, minute / 60, 4096);
    }
    let (left, _) = render_both(&mut engine, 4800, 333);
    let ratio = (-detune / 1200.0).exp2();
    let (mut signal, mut error) = (0.0, 0.0);
    for (n, &x) in left.iter().enumerate() {
        let t = (minute + n) as f64;
        let exact: f64 = partials_of(64)
            .iter()
            .map(|hz| {
                let turns = (hz * ratio / RATE_HZ * t).fract();
                f64::from(PARTIAL_AMPLITUDE) * (std::f64::consts::TAU * turns).sin()
            })
            .sum();
        signal += exact * exact;
        error += (f64::from(x) - exact).powi(2);
    }
    let snr = 10.0 * (signal / error).log10();
    assert!(snr > 120.0, "{snr:.1} dB");
}

#[test]
fn a_note_ends_once_when_every_copy_is_silent() {
    let ends = |copies: usize| {
        let mut engine = Engine::new(RATE_HZ, unison(copies, 20.0, 0.7));
        on(&mut engine, note(60), 1.0);
        render_both(&mut engine, 2000, 64);
        off(&mut engine, 60);
        let mut reports = Vec::new();
        let mut tail = Vec::new();
        for block in 0..100 {
            let (l, r) = render_both(&mut engine, 64, 64);
            engine.take_ended(|end| reports.push(block * 64 + end.sample));
            tail.extend(l.into_iter().zip(r));
        }
        (reports, tail)
    };
    let (one, _) = ends(1);
    for copies in 2..=MAX_UNISON {
        let (reports, tail) = ends(copies);
        assert_eq!(
            reports, one,
            "{copies} copies end once, where one copy does"
        );
        let end = reports[0];
        assert!(tail[end..].iter().all(|&(l, r)| l == 0.0 && r == 0.0));
        assert!(tail[..end].iter().any(|&(l, r)| l != 0.0 || r != 0.0));
    }
}

/// Six notes in unison held (the steady lanes), one let go and another struck (their own
/// banks), both channels in blocks of `block`, with `kernel`.
fn chord_in_unison(block: usize, kernel: Kernel) -> (Vec<f32>, Vec<f32>) {
    let mut engine = Engine::new(RATE_HZ, unison(4, 12.0, 0.8));
    engine.steady.set_kernel(kernel);
    for key in [48, 55, 60, 64, 67, 71] {
        on(&mut engine, note(key), 0.8);
    }
    let (mut left, mut right) = render_both(&mut engine, 6000, block);
    assert_eq!(engine.steady.lane_voices(), 6);
    off(&mut engine, 55);
    on(&mut engine, note(74), 0.5);
    let (l, r) = render_both(&mut engine, 6000, block);
    left.extend(l);
    right.extend(r);
    (left, right)
}

#[test]
fn unison_in_the_lanes_does_not_depend_on_blocks_or_the_kernel() {
    let whole = chord_in_unison(12_000, Kernel::Portable);
    for block in [1, 7, 64, 1000] {
        assert!(
            chord_in_unison(block, Kernel::Portable) == whole,
            "blocks of {block}"
        );
    }
    for kernel in Kernel::available() {
        assert!(chord_in_unison(333, kernel) == whole, "{kernel:?}");
    }
}

/// Six notes in unison held (the steady lanes, both channels), then an event of every kind
/// that moves a held note (its pitch bent, the pans, the levels, a note let go, a note struck,
/// the width and detune, the bend back) after calls of 97 samples, so members leave the lanes
/// at samples that are no run start, each after the lanes had rendered thousands of its
/// samples; rejoining in between. With `eager`, every voice's banks keep time after every
/// call, as they did before the lanes deferred it (see [`Voice::skip_steady`]).
fn chord_moved_in_unison(eager: bool) -> (Vec<f32>, Vec<f32>) {
    let mut engine = Engine::new(RATE_HZ, unison(4, 12.0, 0.8));
    for key in [48, 55, 60, 64, 67, 71] {
        on(&mut engine, note(key), 0.8);
    }
    let bend = |position: f32| NoteInput::PitchBend {
        channel: 0,
        position,
    };
    let events: [&dyn Fn(&mut Engine); 8] = [
        &|_| {},
        &|engine| engine.handle(bend(0.3)),
        &|engine| engine.set_pans([0.5, -0.5, 0.2, -0.9, 1.0], Motion::Smooth),
        &|engine| engine.set_levels([0.9, 0.4, 0.3, 0.2, 0.1], [Motion::Jump; PARTIAL_COUNT]),
        &|engine| off(engine, 55),
        &|engine| on(engine, note(74), 0.5),
        &|engine| {
            engine.set_unison(Unison {
                copies: 4,
                detune_cents: 20.0,
                width: 0.5,
            })
        },
        &|engine| engine.handle(bend(0.0)),
    ];
    let (mut left, mut right) = (Vec::new(), Vec::new());
    for event in events {
        event(&mut engine);
        for _ in 0..40 {
            let (l, r) = render_both(&mut engine, 97, 97);
            left.extend(l);
            right.extend(r);
            if eager {
                for voice in &mut engine.voices {
                    voice.keep_time();
                }
            }
        }
        assert!(engine.steady.lane_voices() >= 5, "back in the lanes");
    }
    (left, right)
}

#[test]
fn a_member_leaving_the_lanes_anywhere_plays_the_bits_it_played_when_it_kept_time_every_call() {
    let bits = |samples: &[f32]| samples.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
    let (eager, deferred) = (chord_moved_in_unison(true), chord_moved_in_unison(false));
    assert!(eager.0 != eager.1, "in stereo");
    assert_eq!(bits(&deferred.0), bits(&eager.0), "left");
    assert_eq!(bits(&deferred.1), bits(&eager.1), "right");
}

#[test]
fn unison_in_the_lanes_plays_what_each_note_plays_alone() {
    let keys = [48, 55, 60, 64];
    let mut chord = Engine::new(RATE_HZ, unison(3, 9.0, 0.6));
    for key in keys {
        on(&mut chord, note(key), 0.9);
    }
    let (left, right) = render_both(&mut chord, 20_000, 500);
    assert_eq!(chord.steady.lane_voices(), 4);
    let (mut sum_left, mut sum_right) = (vec![0.0f32; 20_000], vec![0.0f32; 20_000]);
    for key in keys {
        let mut alone = Engine::new(RATE_HZ, unison(3, 9.0, 0.6));
        on(&mut alone, note(key), 0.9);
        let (l, r) = render_both(&mut alone, 20_000, 500);
        sum_left.iter_mut().zip(l).for_each(|(s, x)| *s += x);
        sum_right.iter_mut().zip(r).for_each(|(s, x)| *s += x);
    }
    let worst = |a: &[f32], b: &[f32]| {
        a.iter()
            .zip(b)
            .map(|(x, y)| (x - y).abs())
            .fold(0.0, f32::max)
    };
    assert!(
        worst(&left, &sum_left) < 1e-6,
        "{}",
        worst(&left, &sum_left)
    );
    assert!(
        worst(&right, &sum_right) < 1e-6,
        "{}",
        worst(&right, &sum_right)
    );
}

#[test]
fn a_width_or_detune_change_moves_the_notes_sounding_without_a_click() {
    let mut engine = Engine::new(RATE_HZ, unison(4, 5.0, 0.0));
    on(&mut engine, note(60), 1.0);
    let (mut left, mut right) = render_both(&mut engine, 3000, 100);
    engine.set_unison(Unison {
        copies: 4,
        detune_cents: 30.0,
        width: 1.0,
    });
    let (l, r) = render_both(&mut engine, 3000, 100);
    left.extend(l);
    right.extend(r);
    // Four copies of a note's sines, each at up to √2 × 1/2 of its level, plus a pan ramp.
    let bound = 4.0 * std::f64::consts::SQRT_2 * 0.5 * voice_step_bound(60);
    let step = largest_step(&left).max(largest_step(&right));
    assert!(step <= bound, "{step} > {bound}");
    // And the copies spread: the channels differ.
    assert!(left[5000..] != right[5000..]);
}
