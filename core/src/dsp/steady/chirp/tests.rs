use super::*;
use crate::dsp::phase::increment_for;
use std::f64::consts::TAU;

const RATE_HZ: f64 = 48_000.0;

/// A partial under vibrato and tremolo, knot by knot as the engine's knots would give it.
#[derive(Clone, Copy, Debug)]
struct Motion {
    hz: f64,
    /// Vibrato depth (± cents) and rate.
    cents: f64,
    vibrato_hz: f64,
    /// Amplitude at the centre, and the tremolo's relative depth and rate (0: steady).
    amplitude: f64,
    tremolo: f64,
    tremolo_hz: f64,
    /// Where the vibrato's cycle starts, in turns (partials of one voice share it).
    start: f64,
}

impl Motion {
    fn vibrato(hz: f64, cents: f64, vibrato_hz: f64) -> Self {
        Self {
            hz,
            cents,
            vibrato_hz,
            amplitude: 0.2,
            tremolo: 0.0,
            tremolo_hz: 0.0,
            start: 0.0,
        }
    }

    /// The increment and amplitude at knot `knot`, exactly as a knot computes them.
    fn knot(&self, knot: u64) -> (u64, f32) {
        let t = (knot * KNOT_SAMPLES as u64) as f64 / RATE_HZ;
        let cents = self.cents * (TAU * (self.start + self.vibrato_hz * t)).sin();
        let increment = increment_for(self.hz * (cents / 1200.0).exp2(), RATE_HZ);
        let tremolo = 1.0 - self.tremolo * (0.5 - 0.5 * (TAU * self.tremolo_hz * t).cos());
        (increment, (self.amplitude * tremolo) as f32)
    }

    /// Knot `knot`'s slope and amplitude ramp for a partial whose increment is `increment`
    /// there: the increment ramps to the next knot's (rounded to a whole slope, so that the
    /// span ends exactly where the next begins).
    fn run(&self, knot: u64, increment: u64) -> (u64, f32, f32) {
        let (target, _) = self.knot(knot + 1);
        let slope = (target as i64 - increment as i64) / KNOT_SAMPLES as i64;
        let (_, amplitude) = self.knot(knot);
        let (_, next) = self.knot(knot + 1);
        (
            slope as u64,
            amplitude,
            (next - amplitude) / KNOT_SAMPLES as f32,
        )
    }

    fn partial(&self, phase: u64) -> ChirpPartial {
        ChirpPartial {
            ramp: PhaseRamp {
                phase,
                increment: self.knot(0).0,
                slope: 0,
            },
            amplitude: 0.0,
            amplitude_step: 0.0,
        }
    }
}

/// `motions` (each from its phase) rendered `samples` long with `kernel` in blocks of `block`,
/// onto `start`, a slope set at every knot and the lanes seeded at every run, as the engine
/// does; and the exact per-sample reference: Σ amplitude · sin(2π · phase) in `f64` with the
/// phases of [`PhaseRamp`] advancing sample by sample and the amplitudes exact lines.
fn render(
    kernel: Kernel,
    motions: &[(Motion, u64)],
    samples: usize,
    block: usize,
    start: f32,
) -> (Vec<f32>, Vec<f64>) {
    let mut lanes = ChirpLanes::default();
    for (motion, phase) in motions {
        lanes.push(&motion.partial(*phase));
    }
    let mut exact_ramps: Vec<PhaseRamp> = (0..motions.len()).map(|lane| lanes.ramp(lane)).collect();
    let mut out = vec![start; samples];
    let mut exact = vec![0.0f64; samples];
    let run_start = |lanes: &mut ChirpLanes, position: usize| {
        if !position.is_multiple_of(KNOT_SAMPLES) {
            return lanes.seed(kernel, RUN_SAMPLES);
        }
        let knot = (position / KNOT_SAMPLES) as u64;
        let run = KNOT_SAMPLES.min(samples - position);
        for (lane, (motion, _)) in motions.iter().enumerate() {
            let (slope, amplitude, step) = motion.run(knot, lanes.ramp(lane).increment);
            lanes.set_run(lane, slope, amplitude, step);
            assert!(accepts(&lanes.ramp(lane), KNOT_SAMPLES), "{motion:?}");
            let ramp = &mut exact_ramps[lane];
            ramp.slope = slope;
            for n in 0..run {
                let turns = ramp.phase as f64 / UNITS_PER_TURN;
                let gain = f64::from(amplitude) + n as f64 * f64::from(step);
                exact[position + n] += gain * (TAU * turns).sin();
                ramp.advance();
            }
        }
        lanes.seed(kernel, RUN_SAMPLES);
    };
    let add = |lanes: &mut ChirpLanes, run: &mut [f32]| lanes.add_to(kernel, run);
    super::super::render_in_runs(&mut lanes, &mut out, block, run_start, add);
    (out, exact)
}

/// Signal over error of `got` against `exact`, in dB.
fn snr_db(got: &[f32], exact: &[f64]) -> f64 {
    let (mut signal, mut error) = (0.0, 0.0);
    for (&x, &e) in got.iter().zip(exact) {
        signal += e * e;
        error += (f64::from(x) - e).powi(2);
    }
    10.0 * (signal / error).log10()
}

/// `count` partials from 20 Hz up, under vibratos of several depths and rates, some under
/// tremolo too, each from a phase of its own.
fn many(count: u32) -> Vec<(Motion, u64)> {
    (0..count)
        .map(|n| {
            let hz = 20.0 * 1.083f64.powi(n as i32);
            let mut motion =
                Motion::vibrato(hz, 20.0 + f64::from(n % 5) * 20.0, 4.0 + f64::from(n % 4));
            motion.start = f64::from(n % 7) / 7.0;
            if n % 3 == 1 {
                motion.tremolo = 0.5;
                motion.tremolo_hz = 3.0;
            }
            (motion, u64::from(n).wrapping_mul(0x9e37_79b9_7f4a_7c15))
        })
        .collect()
}

#[test]
fn every_kernel_agrees_bit_for_bit_whatever_the_blocks() {
    crate::dsp::steady::assert_every_kernel_agrees(|kernel, count, block| {
        render(kernel, &many(count), 3000, block, 0.125).0
    });
}

#[test]
fn a_lane_under_vibrato_is_its_exact_chirp_within_120_db_for_a_minute() {
    // Vibratos near the steepest the lanes take at 48 kHz (±100 cents at 16 Hz is the slope limit),
    // and an ordinary one, from 20 Hz to 10.5 kHz (whose vibrato reaches 11.8 kHz, near the quarter of the sample rate the lanes end at); one under
    // tremolo as well.
    let minute = 60 * RATE_HZ as usize;
    let mut worst = f64::INFINITY;
    for hz in [20.0, 110.0, 440.0, 1760.0, 5000.0, 9000.0, 10_500.0] {
        for (cents, rate) in [(100.0, 15.0), (200.0, 7.5), (50.0, 6.0)] {
            let mut motion = Motion::vibrato(hz, cents, rate);
            if cents == 50.0 {
                motion.tremolo = 0.8;
                motion.tremolo_hz = 4.5;
            }
            let phase = 0x1234_5678_9abc_def0;
            let (got, exact) = render(Kernel::best(), &[(motion, phase)], minute, 4096, 0.0);
            let snr = snr_db(&got, &exact);
            println!("{hz} Hz, ±{cents} cents at {rate} Hz: {snr:.1} dB");
            worst = worst.min(snr);
        }
    }
    assert!(worst >= 120.0, "worst lane {worst:.1} dB");
}

#[test]
fn a_chord_under_vibrato_is_its_exact_sum_within_120_db() {
    // 16 voices of five partials, each voice's partials under one vibrato (its own phase).
    let motions: Vec<(Motion, u64)> = (0..16u32)
        .flat_map(|voice| {
            let root = 65.4 * (f64::from(voice) * 3.0 / 12.0).exp2();
            (1..=5u32).map(move |partial| {
                let mut motion = Motion::vibrato(root * f64::from(partial), 60.0, 5.5);
                motion.start = f64::from(voice) / 16.0;
                (motion, u64::from(voice * 5 + partial) << 58)
            })
        })
        .collect();
    let (got, exact) = render(Kernel::best(), &motions, 10 * RATE_HZ as usize, 512, 0.0);
    let snr = snr_db(&got, &exact);
    println!("80 partials: {snr:.1} dB");
    assert!(snr >= 120.0, "{snr:.1} dB");
}

#[test]
fn accepts_the_quarter_turn_and_the_slope_limit_and_nothing_past_them() {
    let increment = increment_for(1000.0, RATE_HZ);
    let limit = increment >> MAX_RELATIVE_SLOPE_SHIFT;
    let ramp = |increment: u64, slope: i64| PhaseRamp {
        phase: 0,
        increment,
        slope: slope as u64,
    };
    // Rising, the limit is taken from the increment before the run (the lowest).
    assert!(accepts(&ramp(increment, limit as i64 / 2), RUN_SAMPLES));
    assert!(!accepts(&ramp(increment, limit as i64 + 1), RUN_SAMPLES));
    assert!(!accepts(&ramp(increment, -(limit as i64) - 1), RUN_SAMPLES));
    assert!(accepts(&ramp(MAX_STEADY_INCREMENT, 0), RUN_SAMPLES));
    assert!(!accepts(&ramp(MAX_STEADY_INCREMENT, 1000), RUN_SAMPLES));
    assert!(!accepts(&ramp(MAX_STEADY_INCREMENT + 1, 0), RUN_SAMPLES));
    // An increment ramping below zero wraps: refused.
    assert!(!accepts(&ramp(10, -1), RUN_SAMPLES));
}

#[test]
fn aiming_at_a_target_slopes_each_increment_there_within_a_run_of_rounding() {
    let mut lanes = ChirpLanes::default();
    let increments = [
        increment_for(440.0, RATE_HZ),
        increment_for(9000.0, RATE_HZ),
        0,
    ];
    for increment in increments {
        lanes.push(&ChirpPartial {
            ramp: PhaseRamp {
                phase: 0,
                increment,
                slope: 0,
            },
            amplitude: 0.1,
            amplitude_step: 0.0,
        });
    }
    // Up, up to a quarter turn, and a silent lane staying put.
    let targets = [
        increments[0] as f64 * 1.003,
        increments[1] as f64 * 0.998,
        0.0,
    ];
    lanes.aim(&targets);
    for (lane, &target) in targets.iter().enumerate() {
        let mut ramp = lanes.ramp(lane);
        ramp.skip(KNOT_SAMPLES as u64);
        let missed = ramp.increment as f64 - target;
        // Rounded down to a whole slope: at most a knot's span of units short, and the
        // target's own rounding.
        assert!(
            (-(KNOT_SAMPLES as f64) - 1024.0..=1024.0).contains(&missed),
            "lane {lane}: {missed}"
        );
    }
    assert_eq!(lanes.ramp(2).slope, 0);
}

/// The other channel's lanes of the same partials, seeded from this channel's coefficients,
/// hold the bits seeding them themselves gives: steady, ramping and silent amplitudes, and a
/// silent partial past a quarter turn.
#[test]
fn a_mirror_seeds_the_bits_a_seed_does() {
    let increment = |hz: f64| increment_for(hz, RATE_HZ);
    let ramps = [
        (increment(440.0), 1u64 << 20),
        (increment(1234.5), 0u64.wrapping_sub(1 << 22)),
        (increment(3.0), 0),
        (increment(20_000.0), 1 << 30),
        (increment(9000.0), 1 << 24),
    ];
    // (left, right) amplitudes and steps: one silent in the left only, one past a quarter
    // turn and silent in both.
    let amplitudes = [
        ((0.3, 0.0), (0.1, 0.0)),
        ((0.2, 1e-4), (0.05, -1e-5)),
        ((0.0, 0.0), (0.25, 0.0)),
        ((0.0, 0.0), (0.0, 0.0)),
        ((0.1, 0.0), (0.0, 0.0)),
    ];
    for kernel in Kernel::available() {
        let (mut left, mut right, mut mirrored) = (
            ChirpLanes::default(),
            ChirpLanes::default(),
            ChirpLanes::default(),
        );
        for (n, (&(increment, slope), &(l, r))) in ramps.iter().zip(&amplitudes).enumerate() {
            let ramp = PhaseRamp {
                phase: (n as u64 + 1).wrapping_mul(0x9e37_79b9_7f4a_7c15),
                increment,
                slope,
            };
            let partial = |(amplitude, amplitude_step): (f32, f32)| ChirpPartial {
                ramp,
                amplitude,
                amplitude_step,
            };
            left.push(&partial(l));
            right.push(&partial(r));
            mirrored.push(&partial(r));
        }
        left.seed(kernel, 0);
        right.seed(kernel, 0);
        mirrored.seed_mirror(&left);
        let (mut a, mut b) = ([0.0f32; RUN_SAMPLES], [0.0f32; RUN_SAMPLES]);
        right.add_to(kernel, &mut a);
        mirrored.add_to(kernel, &mut b);
        assert!(a.iter().all(|x| x.is_finite()), "{kernel:?}");
        assert!(
            a.iter().zip(&b).all(|(x, y)| x.to_bits() == y.to_bits()),
            "{kernel:?}"
        );
    }
}

#[test]
fn the_increments_convert_to_the_same_bits_with_or_without_the_instruction() {
    // The seeding's two ways of converting an increment and a slope to `f64` (AVX-512DQ's
    // instruction, the bits of 2^52 elsewhere) are exact over their ranges, so every kernel
    // seeds the same bits: the ends, powers of two and their neighbours, and a spread between.
    let mut unsigned = vec![0, 1, 2, (1 << 52) - 1, (1 << 52) - 2, 0x000f_ffff_ffff_f001];
    let mut signed = vec![0, 1, -1, (1 << 51) - 1, 1 - (1 << 51), 12_345_678_901_234];
    for bit in 0..52 {
        unsigned.extend([1u64 << bit, (1u64 << bit) - 1, (1u64 << bit) + 1]);
        let power = 1i64 << bit.min(50);
        signed.extend([power, -power, power - 1, 1 - power, power + 1, -power - 1]);
    }
    let mut x = 0x9e37_79b9_7f4a_7c15u64;
    for _ in 0..100_000 {
        x = x.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
        unsigned.push(x >> 12);
        signed.push((x as i64) >> 13);
    }
    for &x in &unsigned {
        let (with, without) = (u64_to_f64::<true>(x), u64_to_f64::<false>(x));
        assert_eq!(with.to_bits(), without.to_bits(), "{x}");
    }
    for &x in &signed {
        let (with, without) = (i64_to_f64::<true>(x), i64_to_f64::<false>(x));
        assert_eq!(with.to_bits(), without.to_bits(), "{x}");
    }
}

#[test]
fn every_kernel_agrees_bit_for_bit_at_every_count_of_groups() {
    // One to forty groups (up to every lane): every way the AVX-512 kernel splits its register
    // pairs into chunks, with and without a lone group, some groups' gains ramping.
    let render = |kernel: Kernel, partials: usize| {
        let mut lanes = ChirpLanes::default();
        for n in 0..partials {
            let increment = increment_for(50.0 + (n as f64 * 97.0) % 9000.0, RATE_HZ);
            let slope = (increment >> 16).wrapping_mul(if n % 2 == 0 { 1 } else { u64::MAX });
            lanes.push(&ChirpPartial {
                ramp: PhaseRamp {
                    phase: (n as u64 + 1).wrapping_mul(0x9e37_79b9_7f4a_7c15),
                    increment,
                    slope,
                },
                amplitude: 0.01,
                amplitude_step: if n % 29 == 3 { 1e-6 } else { 0.0 },
            });
        }
        let mut out = vec![0.0f32; 4 * RUN_SAMPLES];
        for run in out.chunks_mut(RUN_SAMPLES) {
            lanes.seed(kernel, RUN_SAMPLES);
            lanes.add_to(kernel, run);
        }
        assert!(out.iter().all(|x| x.is_finite()), "{partials} partials");
        out.iter().map(|x| x.to_bits()).collect::<Vec<_>>()
    };
    for partials in (1..=MAX_LANES).step_by(GROUP_LANES) {
        let reference = render(Kernel::Portable, partials);
        for kernel in Kernel::available() {
            assert!(
                render(kernel, partials) == reference,
                "{partials} partials, {kernel:?}"
            );
        }
    }
}
