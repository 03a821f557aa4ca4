//! Sine of a 32-bit phase (turns · 2^32) by folding to a quarter wave and a minimax polynomial.
//!
//! The fold is exact integer arithmetic; the polynomial is odd, degree 9, fitted by the Remez
//! exchange to sin(π/2 · x) on [-1, 1] (approximation error 3.3e-9, below `f32` rounding). The
//! whole evaluation is straight-line arithmetic that the compiler vectorises, and it gives the
//! same bits for a sample whether it is evaluated alone or in a vector lane.

/// Coefficients of x, x³, x⁵, x⁷, x⁹ for sin(π/2 · x), x in [-1, 1].
const SIN_HALF_PI_X: [f32; 5] = [
    1.570_796_3,
    -0.645_963_36,
    0.079_688_48,
    -0.004_672_228,
    0.000_150_820_57,
];

/// A quarter turn in phase units of 2^-32 turn.
const QUARTER_TURN: u32 = 1 << 30;

/// Scale from a folded phase (±2^30 = ±quarter turn) to the polynomial's x in [-1, 1].
const FOLDED_TO_X: f32 = 1.0 / QUARTER_TURN as f32;

/// Folds a phase to the equivalent one in [-quarter, +quarter] turn with the same sine: a
/// triangle wave of the phase, as a signed count of 2^-32 turn.
#[inline(always)]
fn fold_to_quarter_wave(phase: u32) -> i32 {
    let from_peak = phase.wrapping_sub(QUARTER_TURN) as i32;
    QUARTER_TURN.wrapping_sub(from_peak.unsigned_abs()) as i32
}

/// `amplitude · sin(2π · phase / 2^32)` for pre-scaled coefficients `c`.
#[inline(always)]
fn scaled_sine(phase: u32, c: &[f32; 5]) -> f32 {
    let x = fold_to_quarter_wave(phase) as f32 * FOLDED_TO_X;
    let x2 = x * x;
    x * (c[0] + x2 * (c[1] + x2 * (c[2] + x2 * (c[3] + x2 * c[4]))))
}

fn scaled_coefficients(amplitude: f32) -> [f32; 5] {
    SIN_HALF_PI_X.map(|c| c * amplitude)
}

/// sin(2π · phase / 2^32), phase in 2^-32 turn.
pub fn sine(phase: u32) -> f32 {
    scaled_sine(phase, &SIN_HALF_PI_X)
}

/// Adds `amplitude · sin(2π · phases[i] / 2^32)` to `out[i]`.
pub fn add_sines(phases: &[u32], amplitude: f32, out: &mut [f32]) {
    let c = scaled_coefficients(amplitude);
    for (sample, &phase) in out.iter_mut().zip(phases) {
        *sample += scaled_sine(phase, &c);
    }
}

/// Like [`add_sines`], with an amplitude that moves linearly: sample `i` gets
/// `ramp_start + (first_step + i) · ramp_step`. Indexing from the ramp's own start (not from the
/// block's) keeps the result independent of where a host splits its buffers.
pub fn add_sines_ramped(
    phases: &[u32],
    ramp_start: f32,
    ramp_step: f32,
    first_step: u32,
    out: &mut [f32],
) {
    for (i, (sample, &phase)) in out.iter_mut().zip(phases).enumerate() {
        let amplitude = ramp_start + (first_step + i as u32) as f32 * ramp_step;
        *sample += amplitude * scaled_sine(phase, &SIN_HALF_PI_X);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::f64::consts::TAU;

    #[test]
    fn matches_exact_sine_to_f32_precision_over_a_whole_turn() {
        let mut worst = 0.0f64;
        // Every 4099th phase (coprime to the fold's powers of two), plus the turn's landmarks.
        let landmarks = [0, QUARTER_TURN - 1, QUARTER_TURN, QUARTER_TURN + 1, 1 << 31, 3 << 30];
        let phases = (0..=u32::MAX).step_by(4099).chain(landmarks);
        for phase in phases {
            let exact = (TAU * phase as f64 / 4_294_967_296.0).sin();
            worst = worst.max((sine(phase) as f64 - exact).abs());
        }
        assert!(worst < 2.5e-7, "worst error {worst:e}");
    }

    #[test]
    fn is_exactly_odd_and_zero_at_the_zero_crossings() {
        assert_eq!(sine(0), 0.0);
        assert_eq!(sine(1 << 31), 0.0);
        for phase in [1u32, 12345, 1 << 29, 987_654_321] {
            assert_eq!(sine(phase.wrapping_neg()), -sine(phase));
        }
    }

    #[test]
    fn ramped_amplitude_does_not_depend_on_the_split() {
        let phases: Vec<u32> = (0..100u32).map(|i| i.wrapping_mul(87_654_321)).collect();
        let mut whole = vec![0.0; 100];
        add_sines_ramped(&phases, 0.1, 0.003, 0, &mut whole);
        let mut split = vec![0.0; 100];
        let (a, b) = split.split_at_mut(37);
        add_sines_ramped(&phases[..37], 0.1, 0.003, 0, a);
        add_sines_ramped(&phases[37..], 0.1, 0.003, 37, b);
        assert_eq!(whole, split);
    }
}
