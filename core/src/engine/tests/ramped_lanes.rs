//! Notes whose partials' envelopes move each on its own, rendered in the ramped steady lanes:
//! what the voices play on their own banks, within float rounding, whatever the blocks and the
//! kernel.

use super::*;
use crate::dsp::sine::Kernel;
use crate::engine::channels::Channels;
use crate::engine::voice::{VOICE_PASS_SAMPLES, VoiceScratch};

/// 16 voices, each partial with an envelope of its own (times and sustains apart, velocity
/// touch): every note's partials attack, decay and release on their own times.
fn own_envelopes(envelope: EnvelopeShape) -> Settings {
    Settings {
        midi: true,
        voices: 16,
        envelope,
        partial_shapes: PartialShapes {
            attack: [1.0, 1.5, 2.0, 0.5, 1.2],
            decay: [1.0, 0.7, 0.5, 0.3, 0.2],
            sustain: [1.0, 0.8, 0.6, 0.4, 0.2],
        },
        touch: Touch {
            velocity: [0.0, 0.5, 1.0, 1.0, 1.0],
            ..Touch::default()
        },
        ..Settings::default()
    }
}

/// Ten notes struck at two velocities, each let go three notes later, then all ringing out:
/// `play(engine, samples, ended)` renders between the events, noting where voices ended.
/// Returns the output, the ended voices' samples (counted from the start) and the most voices
/// the ramped lanes held at an event.
fn perform(
    rate_hz: f64,
    envelope: EnvelopeShape,
    mut play: impl FnMut(&mut Engine, usize, &mut Vec<usize>) -> Vec<f32>,
) -> (Vec<f32>, Vec<usize>, u32) {
    let mut engine = Engine::new(rate_hz, own_envelopes(envelope));
    let (mut out, mut ended, mut most_ramped) = (Vec::new(), Vec::new(), 0);
    let keys: Vec<u8> = (0..10).map(|n| 45 + 4 * n).collect();
    let mut wait = |engine: &mut Engine, samples: usize, out: &mut Vec<f32>| {
        let start = out.len();
        let mut ends = Vec::new();
        out.extend(play(engine, samples, &mut ends));
        ended.extend(ends.into_iter().map(|end| start + end));
        most_ramped = most_ramped.max(engine.steady.ramped_voices());
    };
    for (n, &key) in keys.iter().enumerate() {
        on(&mut engine, note(key), if n % 2 == 0 { 1.0 } else { 0.45 });
        wait(&mut engine, 1500 + 77 * n, &mut out);
        if n >= 3 {
            off(&mut engine, keys[n - 3]);
        }
    }
    for &key in &keys[keys.len() - 3..] {
        off(&mut engine, key);
    }
    wait(&mut engine, 2 * rate_hz as usize, &mut out);
    assert_eq!(engine.sounding().count(), 0, "every note ended");
    (out, ended, most_ramped)
}

/// A struck note: its partials decay to their sustains over 40 … 400 ms, then hold; released,
/// they fall over 30 … 150 ms.
fn struck() -> EnvelopeShape {
    EnvelopeShape {
        attack_ms: 5.0,
        decay_ms: 400.0,
        sustain: 0.3,
        release_ms: 150.0,
    }
}

/// The engine rendering in blocks of `block`.
fn in_blocks(block: usize) -> impl FnMut(&mut Engine, usize, &mut Vec<usize>) -> Vec<f32> {
    move |engine, samples, ended| {
        let mut out = Vec::with_capacity(samples);
        while out.len() < samples {
            let start = out.len();
            out.extend(render(engine, block.min(samples - start)));
            engine.take_ended(|end| ended.push(start + end.sample));
        }
        out
    }
}

/// Each sounding voice on its own bank (`Voice::add_to`, the path the lanes replace).
fn on_their_banks(engine: &mut Engine, samples: usize, ended: &mut Vec<usize>) -> Vec<f32> {
    let mut out = vec![0.0; samples];
    let mut scratch = VoiceScratch::default();
    let (clock, movement) = (engine.clock, engine.movement);
    for (n, chunk) in out.chunks_mut(VOICE_PASS_SAMPLES).enumerate() {
        let at = clock + (n * VOICE_PASS_SAMPLES) as u64;
        for voice in engine.voices.iter_mut().filter(|v| v.is_sounding()) {
            if let Some(end) = voice.add_to(Channels::mono(chunk), &mut scratch, at, &movement) {
                ended.push(n * VOICE_PASS_SAMPLES + end);
            }
        }
    }
    ended.sort_unstable();
    out
}

fn largest_difference(a: &[f32], b: &[f32]) -> f32 {
    assert_eq!(a.len(), b.len());
    a.iter()
        .zip(b)
        .map(|(x, y)| (x - y).abs())
        .fold(0.0, f32::max)
}

#[test]
fn the_ramped_lanes_play_what_the_voices_banks_play_within_float_rounding() {
    for rate_hz in [RATE_HZ, 8_000.0] {
        let (lanes, lanes_ended, most_ramped) = perform(rate_hz, struck(), in_blocks(1000));
        let (banks, banks_ended, _) = perform(rate_hz, struck(), on_their_banks);
        assert!(
            most_ramped >= 2,
            "{rate_hz} Hz: {most_ramped} voices in the lanes"
        );
        let difference = largest_difference(&lanes, &banks);
        assert!(difference < 1e-6, "{rate_hz} Hz: {difference:e}");
        // The same voices end at the same samples, in exact zeros.
        let mut lanes_ended = lanes_ended;
        lanes_ended.sort_unstable();
        assert_eq!(lanes_ended, banks_ended);
        let last = *lanes_ended.last().unwrap();
        assert!(lanes[last..].iter().all(|&x| x == 0.0));
        assert!(lanes[last - 10..last].iter().any(|&x| x != 0.0));
    }
}

#[test]
fn the_ramped_lanes_do_not_depend_on_block_sizes_or_the_kernel() {
    // 8 kHz too: there a 2 ms segment is shorter than a run, and renders on its voice's bank.
    for (rate_hz, envelope) in [(RATE_HZ, struck()), (8_000.0, struck())] {
        let (whole, ended, most_ramped) = perform(rate_hz, envelope, in_blocks(5000));
        assert!(most_ramped >= 2);
        for block in [1, 64, 1000] {
            let (out, its_ended, _) = perform(rate_hz, envelope, in_blocks(block));
            assert!(out == whole, "{rate_hz} Hz, blocks of {block}");
            assert_eq!(its_ended, ended);
        }
        for kernel in Kernel::available() {
            let mut blocks = in_blocks(333);
            let (out, _, _) = perform(rate_hz, envelope, |engine, samples, ended| {
                engine.steady.set_kernel(kernel);
                blocks(engine, samples, ended)
            });
            assert!(out == whole, "{rate_hz} Hz, {kernel:?}");
        }
    }
}
