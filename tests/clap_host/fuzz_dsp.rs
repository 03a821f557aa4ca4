//! Property-based fuzzing of the DSP core, `PartialBank`, without a host: arbitrary sequences of
//! glides, jumps, level and gain changes (finite, huge, negative, NaN, ±inf) at arbitrary sample
//! rates, rendered in arbitrary block lengths.
//!
//! The suite runs 64 cases per property; `PROPTEST_CASES=100000 cargo test --release --test
//! fuzz_dsp` runs a long campaign. Failures proptest finds are kept in
//! `tests/proptest-regressions/fuzz_dsp.txt` and re-run first; commit that file.

use proptest::prelude::*;
use quintet::dsp::{PARTIAL_AMPLITUDE, PARTIAL_COUNT, PartialBank};
use quintet_test_host::proptest_cases;
use std::f64::consts::PI;

/// One thing a caller can do to the bank.
#[derive(Clone, Debug)]
enum Op {
    Glide(usize, f64),
    Jump(usize, f64),
    Level(usize, f32),
    JumpLevel(usize, f32),
    Gain(f32),
    JumpGain(f32),
    ResetPhases,
    Render(usize),
}

/// Frequencies from the hostile to the ordinary, in Hz.
fn any_frequency() -> impl Strategy<Value = f64> {
    prop_oneof![
        4 => 0.0f64..25_000.0,
        1 => prop::num::f64::ANY,
        1 => Just(f64::NAN),
        1 => Just(f64::INFINITY),
        1 => Just(-1.0e300),
    ]
}

/// Levels and gains between silence and full scale, and non-finite ones.
fn any_level() -> impl Strategy<Value = f32> {
    prop_oneof![
        4 => 0.0f32..=1.0,
        1 => Just(1e-30f32),
        1 => Just(f32::NAN),
        1 => Just(f32::NEG_INFINITY),
    ]
}

fn any_op() -> impl Strategy<Value = Op> {
    let partial = 0..PARTIAL_COUNT;
    prop_oneof![
        (partial.clone(), any_frequency()).prop_map(|(k, hz)| Op::Glide(k, hz)),
        (partial.clone(), any_frequency()).prop_map(|(k, hz)| Op::Jump(k, hz)),
        (partial.clone(), any_level()).prop_map(|(k, l)| Op::Level(k, l)),
        (partial, any_level()).prop_map(|(k, l)| Op::JumpLevel(k, l)),
        any_level().prop_map(Op::Gain),
        any_level().prop_map(Op::JumpGain),
        Just(Op::ResetPhases),
        (0usize..3000).prop_map(Op::Render),
    ]
}

fn any_sample_rate() -> impl Strategy<Value = f64> {
    prop_oneof![
        4 => 8_000.0f64..768_000.0,
        1 => prop::sample::select(vec![44_100.0, 48_000.0, 12_345.678, 0.0, -1.0, f64::NAN]),
    ]
}

/// Applies `ops` to a new bank and returns everything it rendered.
fn run(sample_rate_hz: f64, ops: &[Op]) -> Vec<f32> {
    let mut bank = PartialBank::new(sample_rate_hz, [200.0, 250.0, 300.0, 350.0, 400.0]);
    let mut out = Vec::new();
    for op in ops {
        match *op {
            Op::Glide(k, hz) => bank.glide_to(k, hz),
            Op::Jump(k, hz) => bank.jump_to(k, hz),
            Op::Level(k, level) => bank.ramp_level_to(k, level),
            Op::JumpLevel(k, level) => bank.jump_level_to(k, level),
            Op::Gain(gain) => bank.ramp_gain_to(gain),
            Op::JumpGain(gain) => bank.jump_gain_to(gain),
            Op::ResetPhases => bank.reset_phases(),
            Op::Render(len) => {
                let start = out.len();
                out.resize(start + len, f32::NAN);
                bank.render(&mut out[start..]);
            }
        }
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(proptest_cases(64)))]

    /// Whatever a caller does, every sample is finite, normal or zero, and within full scale.
    #[test]
    fn any_sequence_of_operations_renders_finite_normal_samples_within_full_scale(
        sample_rate_hz in any_sample_rate(),
        ops in prop::collection::vec(any_op(), 1..40),
    ) {
        for (n, x) in run(sample_rate_hz, &ops).into_iter().enumerate() {
            prop_assert!(x.is_finite(), "sample {} is {}", n, x);
            prop_assert!(!x.is_subnormal(), "sample {} is subnormal: {:e}", n, x);
            prop_assert!(x.abs() <= 1.0, "sample {} is {}", n, x);
        }
    }

    /// Frequency changes, glides or jumps, never move a phase: below fs/8 at unit gain no step
    /// exceeds what five sines at fs/8 can take.
    #[test]
    fn frequency_changes_never_click(
        sample_rate_hz in 8_000.0f64..192_000.0,
        changes in prop::collection::vec(
            (0..PARTIAL_COUNT, 0.0f64..0.125, any::<bool>(), 1usize..600), 1..30),
    ) {
        let ops: Vec<Op> = changes
            .iter()
            .flat_map(|&(k, fraction, glide, len)| {
                let hz = fraction * sample_rate_hz;
                [if glide { Op::Glide(k, hz) } else { Op::Jump(k, hz) }, Op::Render(len)]
            })
            .collect();
        let out = run(sample_rate_hz, &ops);
        let bound = 5.0 * 2.0 * f64::from(PARTIAL_AMPLITUDE) * (PI / 8.0).sin() + 1e-6;
        for (n, pair) in out.windows(2).enumerate() {
            let step = (f64::from(pair[1]) - f64::from(pair[0])).abs();
            prop_assert!(step <= bound, "step {} at sample {} (bound {})", step, n + 1, bound);
        }
    }

    /// How the host slices its buffers never changes a sample.
    #[test]
    fn block_lengths_never_change_the_output(
        sample_rate_hz in any_sample_rate(),
        ops in prop::collection::vec(any_op(), 1..30),
        slicing in prop::collection::vec(1usize..700, 1..20),
    ) {
        let whole = run(sample_rate_hz, &ops);
        // The same operations at the same samples, each render split into slices.
        let mut cuts = slicing.iter().cycle();
        let sliced_ops: Vec<Op> = ops
            .iter()
            .flat_map(|op| match *op {
                Op::Render(mut len) => {
                    let mut parts = Vec::new();
                    while len > 0 {
                        let part = (*cuts.next().unwrap()).min(len);
                        parts.push(Op::Render(part));
                        len -= part;
                    }
                    parts
                }
                ref other => vec![other.clone()],
            })
            .collect();
        let sliced = run(sample_rate_hz, &sliced_ops);
        prop_assert_eq!(whole.len(), sliced.len());
        let differs = (0..whole.len()).find(|&n| whole[n].to_bits() != sliced[n].to_bits());
        prop_assert_eq!(differs, None, "first differing sample");
    }
}
