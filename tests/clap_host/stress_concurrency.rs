//! Concurrency: a GUI-like main thread working while the audio thread processes, the editor's
//! meter tap read while written, activation and sample-rate changes between runs, and many
//! instances processing at once. Every test runs under a watchdog that aborts the process if it
//! deadlocks. `QUINTET_STRESS_SECONDS` scales the audio rendered (default 1: a few seconds); the
//! same binary runs under valgrind's helgrind/drd (see docs/RELIABILITY.md).

use quintet_test_host::ClapId;
use quintet_test_host::random::Rng;
use quintet_test_host::signal::{
    DEFAULT_FREQUENCIES_HZ, PARTIAL_AMPLITUDE, assert_clean, max_deviation_from_exact,
    max_natural_step, max_step,
};
use quintet_test_host::{ParamChange, QuintetHost};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, mpsc};
use std::time::Duration;

const SAMPLE_RATE_HZ: f64 = 48_000.0;
/// Rounding of an f32 output sample, on top of the mathematical bound.
const STEP_SLACK: f64 = 1e-6;

/// Seconds of audio a stress test renders, from `QUINTET_STRESS_SECONDS` (default 1).
fn stress_seconds() -> f64 {
    std::env::var("QUINTET_STRESS_SECONDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(1.0)
}

/// Aborts the whole test process if it is still alive after `limit`: a deadlock must fail the
/// suite, not hang it.
struct Watchdog(Arc<AtomicBool>);

impl Watchdog {
    fn new(what: &'static str, limit: Duration) -> Self {
        let done = Arc::new(AtomicBool::new(false));
        let flag = done.clone();
        std::thread::spawn(move || {
            let start = std::time::Instant::now();
            while start.elapsed() < limit {
                if flag.load(Ordering::SeqCst) {
                    return;
                }
                std::thread::sleep(Duration::from_millis(20));
            }
            eprintln!("{what}: still running after {limit:?}, presumably deadlocked");
            std::process::abort();
        });
        Self(done)
    }
}

impl Drop for Watchdog {
    fn drop(&mut self) {
        self.0.store(true, Ordering::SeqCst);
    }
}

fn watchdog_limit() -> Duration {
    Duration::from_secs_f64(120.0 + 60.0 * stress_seconds())
}

fn frequency_ids(host: &mut QuintetHost) -> Vec<ClapId> {
    (1..=5)
        .map(|k| host.param_id(&format!("Partial {k}")))
        .collect()
}

#[test]
fn a_gui_thread_reads_sets_saves_and_loads_while_the_audio_thread_plays() {
    let _watchdog = Watchdog::new("GUI and audio threads", watchdog_limit());
    let mut host = QuintetHost::new();
    host.activate(SAMPLE_RATE_HZ, 256);
    let ids = frequency_ids(&mut host);
    let top = host.text_to_value(ids[0], "2 kHz").unwrap();
    // Presets the "user" loads during playback: frequencies below 2 kHz, gain at 0 dB.
    let mut presets = Vec::new();
    let mut rng = Rng::new(0xc0cc_0001);
    for _ in 0..4 {
        let changes: Vec<ParamChange> = ids
            .iter()
            .map(|&param| ParamChange {
                frame: 0,
                param,
                normalized: rng.range(0.0, top),
            })
            .collect();
        host.render(256, &changes);
        presets.push(host.save_state());
    }
    let param_count = host.params().len();

    let mut calls = 0usize;
    let frames = (SAMPLE_RATE_HZ * 0.5) as usize;
    let wanted_calls = (100.0 * stress_seconds()) as usize;
    let mut samples = Vec::new();
    // Render until the main thread has worked alongside the audio thread often enough: rendering
    // is much faster than real time, so it takes several renders.
    while calls < wanted_calls && samples.len() < frames * 200 {
        let (gui, live) = mpsc::channel();
        let (audio, _) = host.render_while(frames, live, |host| {
            calls += 1;
            // What a DAW's GUI does, round-robin: move a partial, read every value and its text,
            // parse typed text, save the project, load a preset.
            match calls % 5 {
                0 => gui
                    .send(ParamChange {
                        frame: 0,
                        param: rng.pick(&ids),
                        normalized: rng.range(0.0, top),
                    })
                    .expect("the audio thread listens"),
                1 => {
                    let values = host.param_values();
                    assert_eq!(values.len(), param_count);
                    for (index, value) in values.into_iter().enumerate() {
                        assert!((0.0..=1.0).contains(&value), "param {index} reads {value}");
                    }
                    let text = host.value_to_text(ids[calls % 5], rng.unit());
                    assert!(text.is_some_and(|t| !t.is_empty()));
                }
                2 => assert!(host.text_to_value(ids[1], "440 Hz").is_some()),
                3 => assert!(host.save_state().len() > 8),
                _ => {
                    let preset = rng.pick(&[0, 1, 2, 3]);
                    host.load_state(&presets[preset]).expect("a preset loads");
                }
            }
            std::thread::sleep(Duration::from_micros(200));
        });
        assert_clean(&audio, "GUI and audio threads at once");
        samples.extend_from_slice(audio.left());
    }
    assert!(
        calls >= wanted_calls,
        "the main thread ran only {calls} times"
    );
    // State loads jump frequencies (phase-continuous), GUI edits glide: no click either way.
    let bound = max_natural_step(&[(PARTIAL_AMPLITUDE, 2000.0); 5], SAMPLE_RATE_HZ) + STEP_SLACK;
    let (step, at) = max_step(&samples);
    assert!(step <= bound, "a click of {step} at sample {at}");
}

/// The step between two samples of the tap test's stream: sample `n` is `n · 2⁻²⁴`, exact in
/// f32 for the 2²⁴ samples the longest stress run writes, so a snapshot stitched from two
/// different writes shows a step other than this one.
const TAP_RAMP_STEP: f32 = 1.0 / (1 << 24) as f32;

#[test]
fn the_meter_tap_is_read_while_it_is_written() {
    let _watchdog = Watchdog::new("meter tap", watchdog_limit());
    let (mut writer, mut reader) = quintet::tap::tap(SAMPLE_RATE_HZ as f32);
    let blocks = (SAMPLE_RATE_HZ * 4.0 * stress_seconds()) as usize / 64;
    assert!(blocks * 64 <= 1 << 24, "the ramp would lose precision");
    let loudest = (blocks * 64 - 1) as f32 * TAP_RAMP_STEP;
    let writing = AtomicBool::new(true);
    std::thread::scope(|s| {
        s.spawn(|| {
            let mut block = [0.0f32; 64];
            for b in 0..blocks {
                for (n, x) in block.iter_mut().enumerate() {
                    *x = (b * 64 + n) as f32 * TAP_RAMP_STEP;
                }
                writer.write(&block, true);
                // Roughly real time for 64 samples, so the reader runs alongside as an editor does.
                std::thread::sleep(Duration::from_micros(100));
            }
            writing.store(false, Ordering::SeqCst);
        });
        let (mut snapshots, mut highest) = (0, 0.0f32);
        while writing.load(Ordering::SeqCst) {
            let peak = reader.take_peak();
            assert!(
                (0.0..=loudest).contains(&peak),
                "the meter read {peak}, more than was written"
            );
            highest = highest.max(peak);
            if let Some(snapshot) = reader.take_new() {
                snapshots += 1;
                let samples = snapshot.valid();
                if let Some(n) = samples
                    .windows(2)
                    .position(|pair| pair[1] - pair[0] != TAP_RAMP_STEP)
                {
                    panic!(
                        "snapshot {snapshots} is torn at sample {n} of {}: {} then {}",
                        samples.len(),
                        samples[n],
                        samples[n + 1]
                    );
                }
            }
            std::thread::yield_now();
        }
        highest = highest.max(reader.take_peak());
        assert!(snapshots > 0, "the reader never saw a snapshot");
        assert_eq!(
            highest, loudest,
            "the meter never showed the loudest sample"
        );
    });
}

#[test]
fn flushing_activating_and_changing_the_sample_rate_between_runs_keeps_it_exact() {
    let _watchdog = Watchdog::new("activation cycles", watchdog_limit());
    let mut host = QuintetHost::new();
    let ids = frequency_ids(&mut host);
    let mut rng = Rng::new(0xac71_0001);
    let rates = [44_100.0, 48_000.0, 8_000.0, 96_000.0, 12_345.678, 192_000.0];
    for cycle in 0..(12.0 * stress_seconds()).ceil() as usize {
        let sample_rate_hz = rates[cycle % rates.len()];
        let block = rng.pick(&[1, 64, 333, 4096]);
        // The GUI moves partial 1 while the plugin is inactive (CLAP flush on the main thread).
        let text = format!("{} Hz", 100 + 10 * rng.below(300));
        let value = host.text_to_value(ids[0], &text).unwrap();
        host.flush_params(&[ParamChange {
            frame: 0,
            param: ids[0],
            normalized: value,
        }]);
        host.activate(sample_rate_hz, block);
        let what = format!("cycle {cycle}: {text} at {sample_rate_hz} Hz, blocks of {block}");
        let audio = host.render((sample_rate_hz * 0.05) as usize, &[]);
        assert_clean(&audio, &what);
        // Each activation restarts from phase zero exactly on the flushed value.
        let mut expected = DEFAULT_FREQUENCIES_HZ;
        expected[0] = text.trim_end_matches(" Hz").parse().unwrap();
        let (deviation, at) = max_deviation_from_exact(audio.left(), &expected, sample_rate_hz);
        assert!(
            deviation < 1e-5,
            "{what}: sample {at} is off by {deviation:e}"
        );
        host.deactivate();
    }
}

#[test]
fn sixteen_instances_process_at_once_without_crosstalk() {
    const INSTANCES: usize = 16;
    let _watchdog = Watchdog::new("16 instances", watchdog_limit());
    let seconds = 0.5 * stress_seconds();
    std::thread::scope(|s| {
        let workers: Vec<_> = (0..INSTANCES)
            .map(|i| {
                s.spawn(move || {
                    // Each thread is its instance's main thread.
                    let mut host = QuintetHost::new();
                    let ids = frequency_ids(&mut host);
                    let hz = 100.0 + 50.0 * i as f64;
                    let value = host.text_to_value(ids[0], &format!("{hz} Hz")).unwrap();
                    host.flush_params(&[ParamChange {
                        frame: 0,
                        param: ids[0],
                        normalized: value,
                    }]);
                    host.activate(SAMPLE_RATE_HZ, 64 + 32 * i);
                    let audio = host.render((SAMPLE_RATE_HZ * seconds) as usize, &[]);
                    let what = format!("instance {i}");
                    assert_clean(&audio, &what);
                    let mut expected = DEFAULT_FREQUENCIES_HZ;
                    expected[0] = hz;
                    let (deviation, at) =
                        max_deviation_from_exact(audio.left(), &expected, SAMPLE_RATE_HZ);
                    assert!(
                        deviation < 1e-5,
                        "{what}: sample {at} is off by {deviation:e}"
                    );
                })
            })
            .collect();
        for worker in workers {
            worker
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        }
    });
}
