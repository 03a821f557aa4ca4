//! The bank's promises, measured: frequencies by FFT, clicks as bounded sample steps, drift
//! against the exact signal, and bit-identical output whatever the block size.

use super::bank::*;
use crate::spectrum::find_peaks;
use std::f64::consts::TAU;

const RATE: f64 = 48_000.0;
/// Each partial's amplitude at level 1 and unit gain: a fifth of the voice level.
const A: f64 = PARTIAL_AMPLITUDE as f64;

fn render(bank: &mut PartialBank, len: usize, block: usize) -> Vec<f32> {
    let mut out = vec![0.0; len];
    for chunk in out.chunks_mut(block) {
        bank.render(chunk);
    }
    out
}

fn default_bank(sample_rate_hz: f64) -> PartialBank {
    PartialBank::new(sample_rate_hz, DEFAULT_FREQUENCIES_HZ)
}

/// Σ sin(2π·fₖ·n/fs)·[`A`] (the notebook's signal at the voice level) for integer frequencies and rate, with the phase reduced exactly in
/// integers so the reference itself cannot drift.
fn exact_sample(frequencies_hz: &[u64], sample_rate_hz: u64, n: u64) -> f64 {
    frequencies_hz
        .iter()
        .map(|&f| {
            let turns = ((n as u128 * f as u128) % sample_rate_hz as u128) as f64;
            (TAU * turns / sample_rate_hz as f64).sin() * A
        })
        .sum()
}

/// Largest possible |x[n] − x[n−1]| for a sum of sines with these amplitudes and frequencies:
/// a sine of amplitude a at ω rad/sample moves at most 2a·sin(ω/2) per sample.
fn largest_natural_step(partials: &[(f64, f64)], sample_rate_hz: f64) -> f64 {
    partials
        .iter()
        .map(|&(amplitude, hz)| 2.0 * amplitude * (TAU * hz / sample_rate_hz / 2.0).sin())
        .sum()
}

fn largest_step(samples: &[f32]) -> f64 {
    samples
        .windows(2)
        .map(|w| (f64::from(w[1]) - f64::from(w[0])).abs())
        .fold(0.0, f64::max)
}

fn assert_clean(samples: &[f32], context: &str) {
    for (n, &x) in samples.iter().enumerate() {
        assert!(x.is_finite(), "{context}: sample {n} is {x}");
        assert!(
            x == 0.0 || x.is_normal(),
            "{context}: sample {n} is subnormal ({x:e})"
        );
        assert!(x.abs() <= 1.0, "{context}: sample {n} is {x}");
    }
}

#[test]
fn fft_finds_the_five_default_partials_at_a_fifth_of_the_voice_level_each() {
    let out = render(&mut default_bank(RATE), RATE as usize, 512);
    let mut peaks = find_peaks(&out, RATE, 0.01);
    assert_eq!(peaks.len(), 5, "{peaks:?}");
    peaks.sort_by(|a, b| a.frequency_hz.total_cmp(&b.frequency_hz));
    for (peak, hz) in peaks.iter().zip(DEFAULT_FREQUENCIES_HZ) {
        assert!((peak.frequency_hz - hz).abs() < 0.01, "{peak:?} vs {hz}");
        assert!((peak.amplitude - A).abs() < 1e-3, "{peak:?}");
    }
}

#[test]
fn default_output_is_the_notebook_signal() {
    let out = render(&mut default_bank(RATE), 4800, 4800);
    assert_eq!(out[0], 0.0);
    for (n, &x) in out.iter().enumerate() {
        let exact = exact_sample(&[200, 250, 300, 350, 400], 48_000, n as u64);
        assert!(
            (f64::from(x) - exact).abs() < 1e-6,
            "sample {n}: {x} vs {exact}"
        );
    }
    // The five partials repeat every 20 ms (50 Hz is their greatest common divisor).
    let seam = out[..960]
        .iter()
        .zip(&out[960..1920])
        .map(|(a, b)| (a - b).abs());
    assert!(seam.fold(0.0, f32::max) < 1e-6);
}

#[test]
fn no_drift_after_ten_minutes_at_48k() {
    let mut bank = default_bank(RATE);
    let ten_minutes = 10 * 60 * 48_000;
    let mut block = vec![0.0f32; 4096];
    let mut rendered = 0usize;
    while rendered < ten_minutes {
        let len = block.len().min(ten_minutes - rendered);
        bank.render(&mut block[..len]);
        rendered += len;
    }
    let last_second = render(&mut bank, 48_000, 4096);
    let (mut error_energy, mut signal_energy, mut worst) = (0.0, 0.0, 0.0f64);
    for (i, &x) in last_second.iter().enumerate() {
        let exact = exact_sample(&[200, 250, 300, 350, 400], 48_000, (ten_minutes + i) as u64);
        let error = f64::from(x) - exact;
        worst = worst.max(error.abs());
        error_energy += error * error;
        signal_energy += exact * exact;
    }
    let snr_db = 10.0 * (signal_energy / error_energy).log10();
    assert!(worst < 1e-6, "worst error after 10 minutes: {worst:e}");
    assert!(snr_db >= 120.0, "SNR after 10 minutes: {snr_db:.1} dB");
}

/// The check above can fail: an f32 phase accumulator, the usual example-plugin oscillator,
/// is far off after ten minutes.
#[test]
fn an_f32_phase_accumulator_fails_the_drift_check() {
    let ten_minutes = 10 * 60 * 48_000u64;
    let mut phase = 0.0f32;
    for _ in 0..ten_minutes {
        phase += 200.0 / 48_000.0;
        if phase >= 1.0 {
            phase -= 1.0;
        }
    }
    let drifted = (TAU * f64::from(phase)).sin() * A;
    let exact = exact_sample(&[200], 48_000, ten_minutes);
    assert!((drifted - exact).abs() > 1e-3, "{drifted} vs {exact}");
}

#[test]
fn block_size_does_not_change_a_single_bit() {
    let plan = |bank: &mut PartialBank, position: usize| {
        // The same automation at the same absolute samples, whatever the blocks.
        match position {
            10_000 => bank.glide_to(2, 1234.5),
            20_003 => bank.ramp_level_to(1, 0.3),
            30_011 => bank.glide_to(0, 55.0),
            31_000 => bank.ramp_gain_to(0.5),
            50_000 => bank.jump_to(4, 9000.0),
            // Above Nyquist: silent, skipped by the kernels, a zero in the steady short run.
            60_000 => bank.jump_to(3, 30_000.0),
            70_000 => bank.glide_to(3, 700.0),
            _ => {}
        }
    };
    let reference = {
        let mut bank = default_bank(RATE);
        let mut out = vec![0.0; 96_000];
        for (n, sample) in out.iter_mut().enumerate() {
            plan(&mut bank, n);
            bank.render(std::slice::from_mut(sample));
        }
        out
    };
    // Sample by sample (above) and 3 or 7 samples at a time take the bank's short-run path;
    // the others the vector kernels, with short tails where a block is split.
    for block in [3usize, 7, 17, 64, 512, 4096, 16_384] {
        let mut bank = default_bank(RATE);
        let mut out = vec![0.0; 96_000];
        let events = [10_000, 20_003, 30_011, 31_000, 50_000, 60_000, 70_000];
        let mut start = 0;
        while start < out.len() {
            plan(&mut bank, start);
            // Split the block at the next event, as the plugin does for sample-accurate automation.
            let next_event = events
                .iter()
                .copied()
                .find(|&e| e > start)
                .unwrap_or(usize::MAX);
            let end = (start + block).min(next_event).min(out.len());
            bank.render(&mut out[start..end]);
            start = end;
        }
        let bits = |samples: &[f32]| samples.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
        assert!(
            bits(&out) == bits(&reference),
            "block size {block} changed the output"
        );
    }
}

#[test]
fn a_frequency_jump_or_glide_never_clicks() {
    for jump in [false, true] {
        let mut bank = default_bank(RATE);
        let mut out = render(&mut bank, 1000, 1000);
        for (index, hz) in [(0, 5000.0), (3, 20.0), (4, 17_000.0)] {
            if jump {
                bank.jump_to(index, hz);
            } else {
                bank.glide_to(index, hz);
            }
        }
        out.extend(render(&mut bank, 4000, 64));
        // Bound with each partial at the highest frequency it visits.
        let partials = [
            (A, 5000.0),
            (A, 250.0),
            (A, 300.0),
            (A, 350.0),
            (A, 17_000.0),
        ];
        let bound = largest_natural_step(&partials, RATE) + 1e-6;
        let step = largest_step(&out);
        assert!(step <= bound, "jump={jump}: step {step} > {bound}");
        assert_clean(&out, "after a frequency change");
    }
}

/// The click check can fail: restarting the phases mid-tone (what a naive "retrigger" does)
/// breaks the bound.
#[test]
fn a_phase_reset_is_caught_by_the_click_check() {
    let mut bank = default_bank(RATE);
    let mut out = render(&mut bank, 1013, 1013);
    bank.reset_phases();
    out.extend(render(&mut bank, 100, 100));
    let bound = largest_natural_step(&DEFAULT_FREQUENCIES_HZ.map(|hz| (A, hz)), RATE) + 1e-6;
    assert!(largest_step(&out) > bound);
}

#[test]
fn a_glide_is_even_in_pitch_and_lands_exactly() {
    let mut bank = default_bank(RATE);
    bank.glide_to(0, 800.0);
    let glide_samples = (GLIDE_MS * 1e-3 * RATE) as usize;
    render(&mut bank, glide_samples / 2, 64);
    // Halfway in time is halfway in pitch: one octave of two.
    let halfway = bank.current_frequency_hz(0);
    assert!(
        (halfway / 400.0 - 1.0).abs() < 0.01,
        "halfway at {halfway} Hz"
    );
    render(&mut bank, glide_samples / 2, 64);
    assert!(!bank.is_gliding());
    assert_eq!(bank.current_frequency_hz(0), bank.target_frequency_hz(0));
    assert!((bank.current_frequency_hz(0) - 800.0).abs() < 1e-9);
    let out = render(&mut bank, 48_000, 512);
    let peaks = find_peaks(&out, RATE, 0.01);
    assert!(
        peaks.iter().any(|p| (p.frequency_hz - 800.0).abs() < 0.01),
        "{peaks:?}"
    );
    assert!(
        !peaks.iter().any(|p| (p.frequency_hz - 200.0).abs() < 1.0),
        "{peaks:?}"
    );
}

/// Each partial's increment per sample while nothing moves (`None` while something does).
fn steady_increments(bank: &mut PartialBank) -> Option<[u64; PARTIAL_COUNT]> {
    let (_, partials) = bank.steady_partials()?;
    Some(partials.map(|partial| {
        let partial = partial.expect("every partial sounds");
        partial.phase_after(1).wrapping_sub(partial.phase)
    }))
}

/// Dense automation restarts every glide at every sample, each from wherever its partial is
/// mid-glide; glides run in phase units, not Hz, and still land on exactly the increment a jump
/// to the target holds: small steps (the binomial series), an octave (`exp2`), both directions.
#[test]
fn a_glide_restarted_at_every_sample_lands_exactly_on_its_target() {
    let mut bank = default_bank(RATE);
    let targets = |n: usize| -> [f64; PARTIAL_COUNT] {
        let up = n.is_multiple_of(2);
        [
            if up { 202.0 } else { 200.0 },
            if up { 500.0 } else { 250.0 },
            if up { 11_000.0 } else { 300.0 },
            if up { 350.0 } else { 346.5 },
            400.0 + n as f64 * 0.01,
        ]
    };
    for n in 0..999 {
        for (index, hz) in targets(n).into_iter().enumerate() {
            bank.glide_to(index, hz);
        }
        render(&mut bank, 1, 1);
    }
    assert_eq!(steady_increments(&mut bank), None, "still gliding");
    render(&mut bank, (GLIDE_MS * 1e-3 * RATE) as usize, 64);
    let mut jumped = default_bank(RATE);
    for (index, hz) in targets(998).into_iter().enumerate() {
        jumped.jump_to(index, hz);
    }
    let landed = steady_increments(&mut bank).expect("every glide is over");
    assert_eq!(landed, steady_increments(&mut jumped).unwrap());
}

#[test]
fn partials_at_or_above_nyquist_fade_to_silence_instead_of_aliasing() {
    let mut bank = default_bank(RATE);
    bank.jump_to(3, 24_000.0);
    bank.jump_to(4, 30_000.0);
    let out = render(&mut bank, 48_000, 512);
    let peaks = find_peaks(&out, RATE, 1e-4);
    let frequencies: Vec<f64> = peaks.iter().map(|p| p.frequency_hz.round()).collect();
    // Only the three audible partials: no 24 kHz line and no 18 kHz alias of 30 kHz.
    assert_eq!(peaks.len(), 3, "{frequencies:?}");
    // A sweep through Nyquist fades without aliasing or clicks.
    bank.glide_to(4, 100.0);
    let sweep = render(&mut bank, 4800, 64);
    assert_clean(&sweep, "sweep through Nyquist");
}

#[test]
fn odd_sample_rates_play_the_right_frequencies() {
    for rate in [
        8000.0, 12_345.678, 22_050.0, 44_100.0, 96_000.0, 192_000.0, 768_000.0,
    ] {
        let mut bank = default_bank(rate);
        bank.glide_to(4, 3000.0);
        let out = render(&mut bank, rate as usize, 1024);
        assert_clean(&out, &format!("{rate} Hz"));
        let settled = &out[out.len() / 2..];
        let mut peaks = find_peaks(settled, rate, 0.05);
        peaks.sort_by(|a, b| a.frequency_hz.total_cmp(&b.frequency_hz));
        let found: Vec<f64> = peaks.iter().map(|p| p.frequency_hz).collect();
        assert_eq!(found.len(), 5, "{rate} Hz: {found:?}");
        for (got, want) in found.iter().zip([200.0, 250.0, 300.0, 350.0, 3000.0]) {
            assert!((got - want).abs() < 1.0, "{rate} Hz: {got} vs {want}");
        }
    }
}

#[test]
fn gain_scales_exactly_and_silence_is_exact_zero() {
    let plain = render(&mut default_bank(RATE), 2000, 2000);
    let mut halved_bank = default_bank(RATE);
    halved_bank.jump_gain_to(0.5);
    let halved = render(&mut halved_bank, 2000, 2000);
    assert!(plain.iter().zip(&halved).all(|(p, h)| p * 0.5 == *h));
    for gain in [0.0, 1e-9] {
        let mut quiet = default_bank(RATE);
        quiet.jump_gain_to(gain);
        assert!(render(&mut quiet, 2000, 64).iter().all(|&x| x == 0.0));
    }
    let mut fading = default_bank(RATE);
    fading.ramp_gain_to(0.0);
    let faded = render(&mut fading, 2000, 64);
    assert_clean(&faded, "gain ramp");
    assert!(
        faded[1000..].iter().all(|&x| x == 0.0),
        "10 ms ramp should be over"
    );
}

#[test]
fn non_finite_requests_are_ignored() {
    let mut bank = default_bank(RATE);
    bank.glide_to(0, f64::NAN);
    bank.jump_to(1, f64::INFINITY);
    bank.ramp_gain_to(f32::NAN);
    bank.jump_gain_to(f32::NEG_INFINITY);
    let out = render(&mut bank, 4800, 4800);
    assert_eq!(out, render(&mut default_bank(RATE), 4800, 4800));
    let mut broken_rate = PartialBank::new(f64::NAN, DEFAULT_FREQUENCIES_HZ);
    assert_clean(&render(&mut broken_rate, 4800, 64), "NaN sample rate");
}

#[test]
fn a_partial_level_ramps_without_a_click_and_the_fft_sees_it() {
    let mut bank = default_bank(RATE);
    let mut out = render(&mut bank, 1000, 1000);
    bank.ramp_level_to(1, 0.5);
    bank.ramp_level_to(2, 0.0);
    bank.glide_to(4, 800.0); // a level change and a glide at once
    out.extend(render(&mut bank, 2000, 64));
    let partials = [(A, 200.0), (A, 250.0), (A, 300.0), (A, 350.0), (A, 800.0)];
    let bound = largest_natural_step(&partials, RATE) + 1e-6;
    assert!(
        largest_step(&out) <= bound,
        "{} > {bound}",
        largest_step(&out)
    );
    assert!(
        !bank.is_gliding(),
        "10 ms ramps and a 20 ms glide are over after 2000 samples"
    );
    let settled = render(&mut bank, 48_000, 512);
    let mut peaks = find_peaks(&settled, RATE, 0.01);
    peaks.sort_by(|a, b| a.frequency_hz.total_cmp(&b.frequency_hz));
    let found: Vec<(f64, f64)> = peaks
        .iter()
        .map(|p| {
            (
                p.frequency_hz.round(),
                (p.amplitude * 1000.0).round() / 1000.0,
            )
        })
        .collect();
    assert_eq!(
        found,
        [(200.0, A), (250.0, A / 2.0), (350.0, A), (800.0, A)]
            .map(|(hz, a)| (hz, (a * 1000.0).round() / 1000.0)),
        "{peaks:?}"
    );
}

#[test]
fn a_level_jump_is_immediate_and_full_level_is_the_notebook_signal() {
    let mut bank = default_bank(RATE);
    for index in 0..PARTIAL_COUNT {
        bank.jump_level_to(index, 0.0);
    }
    assert!(render(&mut bank, 512, 512).iter().all(|&x| x == 0.0));
    for index in 0..PARTIAL_COUNT {
        bank.jump_level_to(index, 1.0);
    }
    let mut reference = default_bank(RATE);
    render(&mut reference, 512, 512);
    assert!(render(&mut bank, 4096, 256) == render(&mut reference, 4096, 256));
}

#[test]
fn a_glide_time_can_be_chosen() {
    let mut bank = default_bank(RATE);
    bank.glide_to_over(0, 400.0, 100.0);
    render(&mut bank, 2400, 64); // 50 ms: halfway in time is halfway in pitch
    let halfway = bank.current_frequency_hz(0);
    assert!((halfway / 282.84 - 1.0).abs() < 0.01, "{halfway}");
    render(&mut bank, 2400, 64);
    assert!(!bank.is_gliding());
    assert!((bank.current_frequency_hz(0) - 400.0).abs() < 1e-9);
}

/// The five partials moved in one call ([`PartialBank::move_frequencies_to`], which the engine
/// takes and which starts the usual glide inline) play to the bit what one `glide_to` or
/// `jump_to` per partial plays: small steps at every sample and every 64, steps out of the
/// binomial series' reach, into and out of the Nyquist fade, to and from 0 Hz, jumps, and
/// glides started while the partials' own levels ramp. (A jump to where a partial is heading
/// already leaves it as it is.)
#[test]
fn moving_the_five_at_once_plays_as_moving_each() {
    let mut together = default_bank(RATE);
    let mut apart = default_bank(RATE);
    let mut frequencies = DEFAULT_FREQUENCIES_HZ;
    for n in 0..3000usize {
        let step = |k: usize| 1.0 + 0.003 * ((n * (k + 3)) % 7) as f64 - 0.009;
        for (k, hz) in frequencies.iter_mut().enumerate() {
            *hz = match (n / 500, k) {
                // Far steps: out of the series' reach.
                (1, 0) if n.is_multiple_of(3) => 100.0 + 900.0 * (n % 2) as f64,
                // Into the fade and out (23 kHz at 48 kHz), and to silence at Nyquist.
                (2, 1) => 22_000.0 + (n % 4) as f64 * 700.0,
                (3, 2) if n.is_multiple_of(5) => 0.0,
                (3, 2) if *hz == 0.0 => 300.0,
                // Unchanged now and then.
                (4, 3) if n.is_multiple_of(2) => *hz,
                _ => (*hz * step(k)).clamp(30.0, 20_000.0),
            };
        }
        let jumps = std::array::from_fn(|k| (n / 500, k) == (5, 4) && n.is_multiple_of(3));
        if n.is_multiple_of(97) {
            let level = (n % 3) as f32 * 0.4;
            for bank in [&mut together, &mut apart] {
                bank.ramp_level_to(n % PARTIAL_COUNT, level);
            }
        }
        together.move_frequencies_to(frequencies, jumps);
        for (k, (&hz, jump)) in frequencies.iter().zip(jumps).enumerate() {
            if !jump {
                apart.glide_to(k, hz);
            } else if hz != apart.target_frequency_hz(k) {
                apart.jump_to(k, hz);
            }
        }
        let block = if (n / 250).is_multiple_of(2) { 1 } else { 64 };
        let (a, b) = (
            render(&mut together, block, block),
            render(&mut apart, block, block),
        );
        let bits = |samples: Vec<f32>| samples.into_iter().map(f32::to_bits).collect::<Vec<_>>();
        assert_eq!(bits(a), bits(b), "event {n}");
        assert_eq!(format!("{together:?}"), format!("{apart:?}"), "event {n}");
    }
}

/// Five glides restarted 64 and 192 samples apart (every partial inside a segment, and
/// segments of 128 samples ending between events), some while a partial's own level ramps,
/// play the same bits sample by sample, 3 or 7 at a time (short runs) and 64 at a time (the
/// vector kernels).
#[test]
fn five_glides_play_the_same_bits_whatever_the_block_size() {
    let play = |block: usize| {
        let mut bank = default_bank(RATE);
        let mut out = vec![0.0; 64 * 200];
        for (n, chunk) in out.chunks_mut(64).enumerate() {
            let step = |k: usize| 1.0 + 0.002 * ((n * (k + 2)) % 5) as f64 - 0.004;
            let frequencies = std::array::from_fn(|k| {
                DEFAULT_FREQUENCIES_HZ[k] * step(k) * (1.0 + n as f64 * 1e-3)
            });
            if n % 4 < 2 {
                bank.move_frequencies_to(frequencies, [false; PARTIAL_COUNT]);
            }
            if n % 40 == 7 {
                bank.ramp_level_to(n % PARTIAL_COUNT, 0.25 + (n % 3) as f32 * 0.25);
            }
            for run in chunk.chunks_mut(block) {
                bank.render(run);
            }
        }
        out.into_iter().map(f32::to_bits).collect::<Vec<_>>()
    };
    let reference = play(64);
    for block in [1, 3, 7] {
        assert!(play(block) == reference, "{block}-sample blocks");
    }
}
