//! The stereo engine: each partial placed by its pan (see [`crate::dsp::pan`]) on every render
//! path — the drone, a voice on its own bank, the steady lanes, the ramped lanes — and the mono
//! output their mean.

use super::*;
use crate::dsp::sine::Kernel;
use std::f64::consts::SQRT_2;

/// How the tests play: the drone, one note (its own bank), four held notes (the steady
/// lanes), four struck notes whose partials decay each on its own (the ramped lanes).
#[derive(Clone, Copy, Debug)]
enum Path {
    Drone,
    OneNote,
    Lanes,
    RampedLanes,
}

const PATHS: [Path; 4] = [Path::Drone, Path::OneNote, Path::Lanes, Path::RampedLanes];

/// Keys a semitone apart: their partials stay more than 3 Hz from each other's.
const KEYS: [u8; 4] = [60, 61, 62, 63];

fn engine_for(path: Path, pans: [f32; PARTIAL_COUNT]) -> Engine {
    let mut settings = Settings {
        midi: !matches!(path, Path::Drone),
        pans,
        ..Settings::default()
    };
    if let Path::RampedLanes = path {
        settings.envelope.decay_ms = 4000.0;
        settings.envelope.sustain = 0.2;
        settings.partial_shapes.decay = [1.0, 0.5, 0.7, 0.9, 0.6];
    }
    let mut engine = Engine::new(RATE_HZ, settings);
    let keys = match path {
        Path::Drone => &[][..],
        Path::OneNote => &KEYS[..1],
        Path::Lanes | Path::RampedLanes => &KEYS[..],
    };
    for &key in keys {
        on(&mut engine, note(key), 1.0);
    }
    engine
}

/// The frequencies partial `k` plays on `path`.
fn frequencies_of(path: Path, k: usize) -> Vec<f64> {
    match path {
        Path::Drone => vec![DEFAULT_FREQUENCIES_HZ[k]],
        Path::OneNote => vec![partials_of(KEYS[0])[k]],
        Path::Lanes | Path::RampedLanes => KEYS.iter().map(|&key| partials_of(key)[k]).collect(),
    }
}

/// The amplitude of the sine near `hz` in `samples` (0 if there is none).
fn amplitude_at(samples: &[f32], hz: f64) -> f64 {
    find_peaks(samples, RATE_HZ, 1e-7)
        .into_iter()
        .find(|peak| (peak.frequency_hz - hz).abs() < 1.0)
        .map_or(0.0, |peak| peak.amplitude)
}

#[test]
fn a_partial_panned_hard_left_is_silent_on_the_right_and_root_two_louder_on_the_left() {
    let mut pans = [0.0; PARTIAL_COUNT];
    pans[1] = -1.0;
    for path in PATHS {
        let mut centred = engine_for(path, [0.0; PARTIAL_COUNT]);
        let mut panned = engine_for(path, pans);
        // Past the attack, then two seconds (0.5 Hz bins).
        render_unchecked(&mut centred, 4800);
        render_both(&mut panned, 4800, 4800);
        let mono = render_unchecked(&mut centred, 96_000);
        let (left, right) = render_both(&mut panned, 96_000, 512);
        match path {
            Path::Lanes => assert_eq!(panned.steady.lane_voices(), 4, "in the lanes"),
            Path::RampedLanes => assert_eq!(panned.steady.ramped_voices(), 4, "ramped"),
            _ => {}
        }
        for k in 0..PARTIAL_COUNT {
            for hz in frequencies_of(path, k) {
                let reference = amplitude_at(&mono, hz);
                let (l, r) = (amplitude_at(&left, hz), amplitude_at(&right, hz));
                assert!(reference > 0.01, "{path:?}: {hz} Hz sounds");
                let (l, r) = (l / reference, r / reference);
                if k == 1 {
                    assert!((l - SQRT_2).abs() < 1e-3, "{path:?} {hz} Hz: left ×{l}");
                    assert!(r < 1e-5, "{path:?} {hz} Hz: right ×{r}");
                } else {
                    assert!((l - 1.0).abs() < 1e-3, "{path:?} {hz} Hz: left ×{l}");
                    assert!((r - 1.0).abs() < 1e-3, "{path:?} {hz} Hz: right ×{r}");
                }
            }
        }
    }
}

/// Plays `path` with `pans` for a while, with a release and a new note between (the drone:
/// a gain change), and returns both channels rendered `block` at a time.
fn perform(path: Path, pans: [f32; PARTIAL_COUNT], block: usize) -> (Vec<f32>, Vec<f32>) {
    let mut engine = engine_for(path, pans);
    let (mut left, mut right) = render_both(&mut engine, 7000, block);
    if let Path::Drone = path {
        engine.set_gain(0.5, Motion::Smooth);
    } else {
        off(&mut engine, KEYS[0]);
        on(&mut engine, note(70), 0.6);
    }
    let (l, r) = render_both(&mut engine, 9000, block);
    left.extend(l);
    right.extend(r);
    (left, right)
}

#[test]
fn centred_stereo_is_todays_mono_bit_for_bit_on_both_channels() {
    for path in PATHS {
        let (left, right) = perform(path, [0.0; PARTIAL_COUNT], 333);
        let mut engine = engine_for(path, [0.0; PARTIAL_COUNT]);
        let mut mono = render_unchecked(&mut engine, 7000);
        if let Path::Drone = path {
            engine.set_gain(0.5, Motion::Smooth);
        } else {
            off(&mut engine, KEYS[0]);
            on(&mut engine, note(70), 0.6);
        }
        mono.extend(render_unchecked(&mut engine, 9000));
        assert!(left == mono, "{path:?}: left");
        assert!(right == mono, "{path:?}: right");
    }
}

const SPREAD: [f32; PARTIAL_COUNT] = [-1.0, -0.5, 0.0, 0.4, 0.9];

#[test]
fn the_mono_output_is_the_mean_of_the_two_channels() {
    for path in PATHS {
        let (left, right) = perform(path, SPREAD, 4096);
        let mut engine = engine_for(path, SPREAD);
        let mut mono = render_in_blocks(&mut engine, 7000, 100);
        if let Path::Drone = path {
            engine.set_gain(0.5, Motion::Smooth);
        } else {
            off(&mut engine, KEYS[0]);
            on(&mut engine, note(70), 0.6);
        }
        mono.extend(render_in_blocks(&mut engine, 9000, 100));
        let mean: Vec<f32> = left
            .iter()
            .zip(&right)
            .map(|(l, r)| (l + r) * 0.5)
            .collect();
        assert!(mono == mean, "{path:?}");
    }
}

#[test]
fn stereo_does_not_depend_on_block_sizes_or_the_kernel() {
    for path in PATHS {
        let whole = perform(path, SPREAD, 16_000);
        for block in [1, 7, 64, 1000] {
            assert!(
                perform(path, SPREAD, block) == whole,
                "{path:?}, blocks of {block}"
            );
        }
        for kernel in Kernel::available() {
            let mut engine = engine_for(path, SPREAD);
            engine.steady.set_kernel(kernel);
            let (left, right) = render_both(&mut engine, 7000, 7000);
            assert!(left[..] == whole.0[..7000], "{path:?}, {kernel:?}");
            assert!(right[..] == whole.1[..7000], "{path:?}, {kernel:?}");
        }
    }
}

#[test]
fn a_pan_move_does_not_click_and_centres_again_exactly() {
    // The drone's sines' steepest slopes, each at up to √2, plus the pans' ramps moving every
    // partial's gain by up to √2 over the ramp.
    let slopes: f64 = DEFAULT_FREQUENCIES_HZ
        .iter()
        .map(|hz| std::f64::consts::TAU * hz / RATE_HZ)
        .sum();
    let ramp = crate::dsp::pan::PAN_RAMP_MS * 1e-3 * RATE_HZ;
    let amplitude = f64::from(PARTIAL_AMPLITUDE);
    let bound = SQRT_2 * amplitude * (slopes + PARTIAL_COUNT as f64 / ramp) + 1e-6;
    let step_of_a_move = |motion: Motion| {
        let mut engine = engine_for(Path::Drone, [0.0; PARTIAL_COUNT]);
        let (mut left, mut right) = render_both(&mut engine, 1000, 64);
        engine.set_pans([-1.0; PARTIAL_COUNT], motion);
        let (l, r) = render_both(&mut engine, 2000, 64);
        left.extend(l);
        right.extend(r);
        (largest_step(&left).max(largest_step(&right)), engine)
    };
    let (step, mut engine) = step_of_a_move(Motion::Smooth);
    assert!(step <= bound, "largest step {step} > {bound}");
    // The same move at once steps the waveform: what the bound catches.
    assert!(step_of_a_move(Motion::Jump).0 > bound);

    // Back to the centre, from the last sample before the move on: no click, and once the
    // ramp is over both channels are the mono drone again.
    let (mut left, mut right) = render_both(&mut engine, 1, 1);
    engine.set_pans([0.0; PARTIAL_COUNT], Motion::Smooth);
    let (l, r) = render_both(&mut engine, ramp as usize + 100, 7);
    left.extend(l);
    right.extend(r);
    let step = largest_step(&left).max(largest_step(&right));
    assert!(step <= bound, "back to the centre: {step} > {bound}");
    let mut twin = engine_for(Path::Drone, [0.0; PARTIAL_COUNT]);
    render_unchecked(&mut twin, 3001 + ramp as usize + 100);
    let (left, right) = render_both(&mut engine, 4000, 100);
    let mono = render_unchecked(&mut twin, 4000);
    assert!(left == mono && right == mono);
}

#[test]
fn a_pan_expression_moves_only_its_note_on_top_of_the_partials_pans() {
    use crate::dsp::pan::pan_gains;
    let pans = [0.0, 0.5, 0.0, 0.0, -0.2];
    let settings = Settings {
        midi: true,
        pans,
        ..Settings::default()
    };
    let (moved, still) = (60, 63);
    let play = |expression: Option<f32>| {
        let mut engine = Engine::new(RATE_HZ, settings);
        on(&mut engine, with_id(moved, 1, 0), 1.0);
        on(&mut engine, with_id(still, 2, 0), 1.0);
        render_both(&mut engine, 2400, 2400);
        if let Some(pan) = expression {
            engine.handle(NoteInput::Pan {
                target: NoteMatch {
                    id: Some(1),
                    channel: None,
                    key: None,
                },
                pan,
            });
        }
        render_both(&mut engine, 2400, 100);
        render_both(&mut engine, 96_000, 512)
    };
    let (left, right) = play(Some(-0.5));
    let (plain_left, plain_right) = play(None);
    for (k, &pan) in pans.iter().enumerate() {
        for (key, expected) in [(moved, pan - 0.5), (still, pan)] {
            let hz = partials_of(key)[k];
            // Against the same note unmoved, whose gains are the partial's own pan's.
            let [l0, r0] = pan_gains(pan);
            let [l, r] = pan_gains(expected);
            let got_left = amplitude_at(&left, hz) / amplitude_at(&plain_left, hz);
            let got_right = amplitude_at(&right, hz) / amplitude_at(&plain_right, hz);
            let want_left = f64::from(l / l0);
            let want_right = f64::from(r / r0);
            assert!(
                (got_left - want_left).abs() < 1e-3,
                "key {key} partial {k}: left ×{got_left}, not ×{want_left}"
            );
            assert!(
                (got_right - want_right).abs() < 1e-3,
                "key {key} partial {k}: right ×{got_right}, not ×{want_right}"
            );
        }
    }
}

/// `render_stereo` renders the drone alone without its general path's checks: through every
/// state that shortcut checks (a gain ramp inside the bank, a movement and its way back, a pan
/// and its ramp back to the centre, MIDI mode's gate closing and opening, a note, the gate
/// opening under it), two channels rendered a sample at a time are still, to the bit, what the
/// mono path renders at the same blocks (each channel, where centred; their mean, where not).
/// Same blocks: a note's voice joins the steady lanes at a block's start, so its bits depend
/// on the blocks.
#[test]
fn the_drone_alone_renders_to_the_bit_as_the_general_path_at_1_sample_blocks() {
    let steps: [fn(&mut Engine); 11] = [
        |_| {},
        |engine| engine.set_gain(0.5, Motion::Smooth),
        |engine| {
            engine.set_movement(MovementSettings {
                vibrato_cents: 30.0,
                ..MovementSettings::default()
            })
        },
        |engine| engine.set_movement(MovementSettings::default()),
        |engine| engine.set_pans([0.5, 0.0, -0.3, 0.0, 0.0], Motion::Smooth),
        |engine| engine.set_pans([0.0; PARTIAL_COUNT], Motion::Smooth),
        |engine| engine.set_midi(true),
        |engine| engine.set_midi(false),
        |engine| engine.set_midi(true),
        |engine| on(engine, note(70), 0.6),
        |engine| engine.set_midi(false),
    ];
    let mut stereo = Engine::new(RATE_HZ, Settings::default());
    let mut mono = Engine::new(RATE_HZ, Settings::default());
    for (k, step) in steps.iter().enumerate() {
        step(&mut stereo);
        step(&mut mono);
        let samples = 6000;
        let (mut left, mut right) = (vec![0.0f32; samples], vec![0.0f32; samples]);
        for (left, right) in left.chunks_mut(1).zip(right.chunks_mut(1)) {
            stereo.render_stereo(left, right);
        }
        let expected = render_in_blocks(&mut mono, samples, 1);
        let mean: Vec<f32> = left
            .iter()
            .zip(&right)
            .map(|(l, r)| (l + r) * 0.5)
            .collect();
        assert!(mean == expected, "step {k}");
        assert!(expected.iter().any(|&s| s != 0.0), "step {k} is silent");
    }
}
