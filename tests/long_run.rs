//! A long session through the CLAP host: random automation of every parameter every 64 samples
//! at 48 kHz, then the parameters held. Checks: no NaN or infinity, no subnormal, nothing beyond
//! the drone's level at the top of the gain range, no growth in resident memory, and after the automation the output equals the
//! exact steady signal Σ aₖ·sin(2π·fₖ·n/fs + φₖ) (phases fitted on the first second of the hold,
//! then checked over the rest of it, so any drift in frequency or level shows).
//!
//! Length: `QUINTET_LONG=1` runs one hour of automation and a one-minute hold (run it in release:
//! `QUINTET_LONG=1 cargo test --release --test long_run -- --nocapture`);
//! `QUINTET_LONG_SECONDS=N` runs N seconds; the default suite runs 600 seconds (ten minutes of
//! audio, about two seconds of test) and a 10 s hold.

use nice_plug::prelude::Param as _;
use quintet::params::{Param, QuintetParams};
use quintet_test_host::random::Rng;
use quintet_test_host::signal::PARTIAL_AMPLITUDE;
use quintet_test_host::{ParamChange, QuintetHost};
use std::f64::consts::TAU;

const SAMPLE_RATE_HZ: f64 = 48_000.0;
const AUTOMATION_EVERY: usize = 64;
const BLOCK: usize = 512;
/// One second: the automation is generated and the memory measured per second.
const CHUNK_FRAMES: usize = 48_000;
/// Frames rendered between two of the host's main-thread idle calls (100 ms). A DAW drains the
/// plugin's GUI task queue many times a second; nice-plug's queue holds 4096 tasks, and a whole
/// second of this dense automation between two idle calls (about 6,750 changes) overflowed it,
/// so a debug build logged every dropped task: 133 MB of log per run.
const SLICE_FRAMES: usize = 4_800;

/// Seconds of automation and of the hold after it.
fn durations() -> (usize, usize) {
    if std::env::var("QUINTET_LONG").is_ok_and(|v| v == "1") {
        return (3600, 60);
    }
    let seconds = std::env::var("QUINTET_LONG_SECONDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(600);
    (seconds, 10)
}

/// Resident set size of this process, in bytes.
fn resident_bytes() -> u64 {
    let statm = std::fs::read_to_string("/proc/self/statm").expect("/proc/self/statm");
    let pages: u64 = statm.split_whitespace().nth(1).unwrap().parse().unwrap();
    pages * 4096
}

/// Counts of what must never appear in the output, and its peak.
#[derive(Debug, Default)]
struct Census {
    samples: u64,
    non_finite: u64,
    subnormal: u64,
    channel_mismatch: u64,
    peak: f32,
}

impl Census {
    /// Counts every channel's samples; with `centred` (every pan at the centre) the channels
    /// must be the same bits, else they may differ (the automation moves the pans).
    fn add(&mut self, channels: &[Vec<f32>], centred: bool) {
        let left = &channels[0];
        for channel in channels {
            for &x in channel {
                self.non_finite += u64::from(!x.is_finite());
                self.subnormal += u64::from(x.is_subnormal());
                self.peak = self.peak.max(x.abs());
            }
        }
        self.samples += left.len() as u64;
        if centred {
            for channel in &channels[1..] {
                let differ = channel
                    .iter()
                    .zip(left)
                    .filter(|(c, l)| c.to_bits() != l.to_bits());
                self.channel_mismatch += differ.count() as u64;
            }
        }
    }
}

/// Least-squares fit of Σ (aₖ·sin + bₖ·cos)(2π·fₖ·n/fs) to `samples`: returns each partial's
/// amplitude and phase.
fn fit_partials(samples: &[f32], frequencies_hz: &[f64]) -> Vec<(f64, f64)> {
    let basis = |n: usize| -> Vec<f64> {
        frequencies_hz
            .iter()
            .flat_map(|f| {
                let angle = TAU * f * n as f64 / SAMPLE_RATE_HZ;
                [angle.sin(), angle.cos()]
            })
            .collect()
    };
    let size = 2 * frequencies_hz.len();
    // Normal equations, solved by Gaussian elimination with partial pivoting.
    let mut matrix = vec![vec![0.0f64; size + 1]; size];
    for (n, &x) in samples.iter().enumerate() {
        let b = basis(n);
        for i in 0..size {
            for j in 0..size {
                matrix[i][j] += b[i] * b[j];
            }
            matrix[i][size] += b[i] * f64::from(x);
        }
    }
    for col in 0..size {
        let pivot = (col..size)
            .max_by(|&a, &b| matrix[a][col].abs().total_cmp(&matrix[b][col].abs()))
            .unwrap();
        matrix.swap(col, pivot);
        let pivot_row = matrix[col].clone();
        for (index, row) in matrix.iter_mut().enumerate() {
            if index != col {
                let factor = row[col] / pivot_row[col];
                for (value, pivot_value) in row.iter_mut().zip(&pivot_row).skip(col) {
                    *value -= factor * pivot_value;
                }
            }
        }
    }
    let coefficients: Vec<f64> = (0..size).map(|i| matrix[i][size] / matrix[i][i]).collect();
    coefficients
        .chunks(2)
        .map(|c| (c[0].hypot(c[1]), c[1].atan2(c[0])))
        .collect()
}

#[test]
fn random_automation_for_a_long_session_stays_clean_exact_and_bounded_in_memory() {
    let (automation_seconds, hold_seconds) = durations();
    let mut host = QuintetHost::new();
    host.activate(SAMPLE_RATE_HZ, BLOCK);
    let params = host.params();
    let ids: Vec<_> = params.iter().map(|p| p.id).collect();
    let plugin_params = QuintetParams::default();
    let mut rng = Rng::new(0x106e_0001);
    let mut census = Census::default();
    let mut events = Vec::with_capacity(SLICE_FRAMES / AUTOMATION_EVERY * ids.len());
    let mut rss_after_warm_up = 0;
    let started = std::time::Instant::now();

    for second in 0..automation_seconds {
        for _slice in 0..CHUNK_FRAMES / SLICE_FRAMES {
            events.clear();
            for frame in (0..SLICE_FRAMES).step_by(AUTOMATION_EVERY) {
                for &param in &ids {
                    if rng.below(2) == 0 {
                        events.push(ParamChange {
                            frame,
                            param,
                            normalized: rng.unit(),
                        });
                    }
                }
            }
            let audio = host.render(SLICE_FRAMES, &events);
            census.add(&audio.channels, false);
        }
        if second == 9.min(automation_seconds - 1) {
            rss_after_warm_up = resident_bytes();
        }
    }
    let rss_at_end = resident_bytes();

    // Hold: five well separated partials below 2.5 kHz at a random gain, far from any fade.
    let mut held_hz = Vec::new();
    let mut hold = Vec::new();
    for (k, param) in plugin_params.frequencies().into_iter().enumerate() {
        let text = format!("{:.1} Hz", rng.range(100.0, 400.0) + 500.0 * k as f64);
        let normalized = host.text_to_value(ids[k], &text).unwrap();
        // What the plugin plays: nice-plug converts the normalized value to f32, then to Hz.
        held_hz.push(f64::from(param.preview_plain(normalized as f32)));
        hold.push(ParamChange {
            frame: 0,
            param: ids[k],
            normalized,
        });
    }
    // Every other parameter (levels, mutes, modes) back to its default: full level, unmuted.
    let frequency_ids = &ids[..held_hz.len()];
    let gain_id = host.param_id("Gain");
    for param in params
        .iter()
        .filter(|p| p.id != gain_id && !frequency_ids.contains(&p.id))
    {
        hold.push(ParamChange {
            frame: 0,
            param: param.id,
            normalized: param.default,
        });
    }
    let gain_normalized = rng.range(0.5, 1.0);
    let gain = f64::from(
        plugin_params
            .float(Param::GAIN)
            .preview_plain(gain_normalized as f32),
    );
    hold.push(ParamChange {
        frame: 0,
        param: gain_id,
        normalized: gain_normalized,
    });
    host.render(SAMPLE_RATE_HZ as usize / 10, &hold); // glides and the gain ramp end
    let held: Vec<f32> = (0..hold_seconds)
        .flat_map(|_| {
            let audio = host.render(CHUNK_FRAMES, &[]);
            census.add(&audio.channels, true);
            audio.channels[0].clone()
        })
        .collect();

    let fitted = fit_partials(&held[..CHUNK_FRAMES], &held_hz);
    let mut worst = 0.0f64;
    let (mut signal, mut noise) = (0.0f64, 0.0f64);
    for (n, &x) in held.iter().enumerate() {
        let model: f64 = held_hz
            .iter()
            .zip(&fitted)
            .map(|(f, (a, phase))| a * (TAU * f * n as f64 / SAMPLE_RATE_HZ + phase).sin())
            .sum();
        let error = f64::from(x) - model;
        worst = worst.max(error.abs());
        signal += model * model;
        noise += error * error;
    }
    let snr_db = 10.0 * (signal / noise.max(f64::MIN_POSITIVE)).log10();
    let amplitude_error = fitted
        .iter()
        .map(|(a, _)| (a - PARTIAL_AMPLITUDE * gain).abs())
        .fold(0.0, f64::max);
    let rss_growth = rss_at_end as i64 - rss_after_warm_up as i64;
    eprintln!(
        "long run: {automation_seconds} s automated + {hold_seconds} s held at 48 kHz in {:.1} s; \
         {} samples, peak {}, non-finite {}, subnormal {}, channel mismatches {}; \
         hold: max deviation from the exact model {worst:e}, SNR {snr_db:.1} dB, \
         amplitude error {amplitude_error:e}; RSS after warm-up {} KiB, at end {} KiB \
         (growth {} KiB)",
        started.elapsed().as_secs_f64(),
        census.samples,
        census.peak,
        census.non_finite,
        census.subnormal,
        census.channel_mismatch,
        rss_after_warm_up / 1024,
        rss_at_end / 1024,
        rss_growth / 1024,
    );
    assert_eq!(census.non_finite, 0, "non-finite samples");
    assert_eq!(census.subnormal, 0, "subnormal samples");
    assert_eq!(census.channel_mismatch, 0, "channels differ while centred");
    // No notes play: the drone alone, its five partials at most at the voice level times the
    // top of the gain range, times √2 on the side a partial is panned to (nothing clamps the
    // output, so this is the bound that holds).
    let (_, max_gain) = Param::GAIN.spec().bounds();
    let loudest = 5.0 * PARTIAL_AMPLITUDE * max_gain * std::f64::consts::SQRT_2;
    assert!(
        f64::from(census.peak) <= loudest,
        "peak {} beyond the drone's loudest ({loudest})",
        census.peak
    );
    assert!(
        worst < 1e-5,
        "the held output is {worst:e} away from the exact signal"
    );
    assert!(snr_db > 110.0, "SNR against the exact signal {snr_db} dB");
    assert!(
        amplitude_error < 1e-5,
        "partial amplitudes off by {amplitude_error:e} (gain {gain})"
    );
    assert!(
        rss_growth < 8 << 20,
        "resident memory grew by {} KiB",
        rss_growth / 1024
    );
}
