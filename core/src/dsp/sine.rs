//! Rendering one partial: a fixed-point phase ramp read through a polynomial sine.
//!
//! The sine of a phase `p` (the top 32 bits of the phase, as a signed count of 2^-32 turn) is
//! evaluated as sin(π·z) with z = p / 2^31 in [-1, 1):
//!
//!   sin(π·z) ≈ z · (1 − z²) · P(z²),
//!
//! where the factor (1 − z²) puts exact zeros at the half turn, so no range folding is needed, and
//! P is a degree-4 polynomial fitted by the Remez exchange (approximation error 1.05e-7, below
//! the level at which it matters at a partial's amplitude of 0.2).
//!
//! There are three implementations of the same arithmetic: a portable one, sample by sample, and
//! on x86-64 a vector one for SSE2 (the baseline, four samples at once) and AVX2 (eight, chosen
//! at run time when the CPU has it). [`Kernel::Avx2`] carries an [`Avx2Token`], the proof of
//! that run-time check, so the check is made once, not on every call. [`Kernel::Avx512`] (CPUs
//! with AVX-512F and DQ, and so AVX2) renders a partial as AVX2 does; its own kernels are the steady
//! lanes' (`super::steady`), sixteen lanes to a register. They perform the same IEEE
//! operations in the same order (no fused multiply-add), so they produce the same bits, and the
//! tests check that they do. A partial group at the end of a block is rendered through a padded
//! copy, so every sample goes through the same code whatever the block size.

use super::phase::PhaseRamp;
use std::fmt;

pub use tokens::{Avx2Token, Avx512Token};

/// Coefficients of P(t), t = z², constant term first.
const SIN_PI_Z: [f32; 5] = [
    3.141_591_3,
    -2.026_083_8,
    0.523_780_45,
    -0.074_459_37,
    0.005_973_292,
];

/// Scale from a signed 32-bit phase to z in [-1, 1).
const PHASE_TO_Z: f32 = 1.0 / 2_147_483_648.0;

/// The level of a partial across a run of samples: `start + (position + i) · step` for sample
/// `i`. Counting from the level ramp's own start keeps the result independent of block splits.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Level {
    /// Level at `position == 0`, linear.
    pub start: f32,
    /// Change per sample; exactly 0.0 for a steady level.
    pub step: f32,
    /// Samples of the ramp already rendered.
    pub position: u32,
}

impl Level {
    /// A level that does not move.
    pub fn steady(level: f32) -> Self {
        Self {
            start: level,
            step: 0.0,
            position: 0,
        }
    }
}

/// P's coefficients scaled by `amplitude` (applied once, not per sample, for a steady level).
fn scaled_coefficients(amplitude: f32) -> [f32; 5] {
    SIN_PI_Z.map(|c| c * amplitude)
}

/// `sin(π·z) · scale(c)` for the phase's top 32 bits, the shared formula.
#[inline(always)]
fn scaled_sine(phase_top: u32, c: &[f32; 5]) -> f32 {
    let z = phase_top as i32 as f32 * PHASE_TO_Z;
    let t = z * z;
    let p = c[0] + t * (c[1] + t * (c[2] + t * (c[3] + t * c[4])));
    (z * (1.0 - t)) * p
}

/// sin(2π · phase_top / 2^32).
#[inline(always)]
pub fn sine(phase_top: u32) -> f32 {
    scaled_sine(phase_top, &SIN_PI_Z)
}

/// In its own module so that nothing else, in this file either, can make a token without
/// asking the CPU: the field is private to this module.
mod tokens {
    /// Proof that the CPU running this program has AVX2. The only way to get one is
    /// [`detect`](Self::detect), which asks the CPU; code holding one may run AVX2 instructions.
    #[derive(Clone, Copy, Debug, PartialEq, Eq)]
    pub struct Avx2Token(());

    impl Avx2Token {
        /// A token if this CPU (and its operating system) supports AVX2, else `None`; always
        /// `None` off x86-64. The detection result is cached by the standard library.
        pub fn detect() -> Option<Self> {
            #[cfg(target_arch = "x86_64")]
            if std::arch::is_x86_feature_detected!("avx2") {
                return Some(Self(()));
            }
            None
        }
    }

    /// Proof that the CPU running this program has AVX-512F, AVX-512DQ and AVX2 (every
    /// AVX-512 CPU but the Xeon Phi has all three; all are asked, so holding one also proves
    /// AVX2). Made only by [`detect`](Self::detect).
    #[derive(Clone, Copy, Debug, PartialEq, Eq)]
    pub struct Avx512Token(());

    impl Avx512Token {
        /// A token if this CPU (and its operating system) supports AVX-512F, AVX-512DQ and
        /// AVX2, else `None`; always `None` off x86-64.
        pub fn detect() -> Option<Self> {
            #[cfg(target_arch = "x86_64")]
            if std::arch::is_x86_feature_detected!("avx512f")
                && std::arch::is_x86_feature_detected!("avx512dq")
                && std::arch::is_x86_feature_detected!("avx2")
            {
                return Some(Self(()));
            }
            None
        }

        /// The AVX2 proof this one includes.
        pub fn avx2(self) -> Avx2Token {
            Avx2Token(())
        }
    }
}

/// Runs shorter than this many samples go through the portable kernel whatever the kernel
/// chosen: one AVX2 step.
pub(crate) const SHORT_RUN_SAMPLES: usize = 8;

/// The implementations of [`add_partial`].
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Kernel {
    /// Sample by sample, any CPU.
    Portable,
    /// Four samples at once, every x86-64 CPU (elsewhere it renders as [`Kernel::Portable`]).
    Sse2,
    /// Eight samples at once, x86-64 CPUs with AVX2: only this CPU's [`Avx2Token::detect`]
    /// can make one.
    Avx2(Avx2Token),
    /// Sixteen lanes at once in the steady lanes, x86-64 CPUs with AVX-512F and DQ: only this
    /// CPU's [`Avx512Token::detect`] can make one. What has no AVX-512 kernel of its own renders
    /// as [`Kernel::Avx2`] does.
    Avx512(Avx512Token),
}

impl Kernel {
    /// The fastest kernel this CPU runs.
    pub fn best() -> Self {
        if let Some(token) = Avx512Token::detect() {
            return Kernel::Avx512(token);
        }
        match Avx2Token::detect() {
            Some(token) => Kernel::Avx2(token),
            None if cfg!(target_arch = "x86_64") => Kernel::Sse2,
            None => Kernel::Portable,
        }
    }

    /// Every kernel this CPU runs, slowest first.
    pub fn available() -> Vec<Self> {
        let mut kernels = vec![Kernel::Portable];
        if cfg!(target_arch = "x86_64") {
            kernels.push(Kernel::Sse2);
        }
        kernels.extend(Avx2Token::detect().map(Kernel::Avx2));
        kernels.extend(Avx512Token::detect().map(Kernel::Avx512));
        kernels
    }

    /// Adds a partial's next `out.len()` samples to `out` and advances its phase ramp and
    /// level. Off x86-64 every kernel is the portable one.
    #[inline]
    pub fn add_partial(self, ramp: &mut PhaseRamp, level: &mut Level, out: &mut [f32]) {
        // Fewer samples than one AVX2 step: setting up the vector lanes would cost more than
        // the samples themselves (hosts send 1-sample blocks, and sample-accurate automation
        // splits blocks at every event). Every kernel gives the same bits, so which one renders
        // a run never shows in the output.
        if out.len() < SHORT_RUN_SAMPLES {
            return add_partial_portable(ramp, level, out);
        }
        match self {
            #[cfg(target_arch = "x86_64")]
            Kernel::Sse2 => x86::add_partial_sse2(ramp, level, out),
            #[cfg(target_arch = "x86_64")]
            Kernel::Avx2(token) => x86::add_partial_avx2(token, ramp, level, out),
            #[cfg(target_arch = "x86_64")]
            Kernel::Avx512(token) => x86::add_partial_avx2(token.avx2(), ramp, level, out),
            _ => add_partial_portable(ramp, level, out),
        }
    }
}

/// Just the kernel's name ("Avx2", not the token it carries): benchmarks and test failures
/// print it.
impl fmt::Debug for Kernel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Kernel::Portable => "Portable",
            Kernel::Sse2 => "Sse2",
            Kernel::Avx2(_) => "Avx2",
            Kernel::Avx512(_) => "Avx512",
        })
    }
}

/// One sample of a partial, computed exactly as [`add_partial_portable`] (and so every kernel)
/// computes it, then the ramp and level advance by one sample. For runs too short to be worth a
/// kernel call per partial (see `PartialBank::render`).
#[inline(always)]
pub(crate) fn partial_sample(ramp: &mut PhaseRamp, level: &mut Level) -> f32 {
    let value = if level.step == 0.0 {
        scaled_sine(ramp.top(), &scaled_coefficients(level.start))
    } else {
        let amplitude = level.start + level.position as f32 * level.step;
        scaled_sine(ramp.top(), &SIN_PI_Z) * amplitude
    };
    ramp.advance();
    level.position = level.position.wrapping_add(1);
    value
}

/// The portable, sample-by-sample form of [`add_partial`].
pub fn add_partial_portable(ramp: &mut PhaseRamp, level: &mut Level, out: &mut [f32]) {
    if level.step == 0.0 {
        let c = scaled_coefficients(level.start);
        for sample in out.iter_mut() {
            *sample += scaled_sine(ramp.top(), &c);
            ramp.advance();
        }
    } else {
        for sample in out.iter_mut() {
            let amplitude = level.start + level.position as f32 * level.step;
            *sample += scaled_sine(ramp.top(), &SIN_PI_Z) * amplitude;
            ramp.advance();
            level.position += 1;
        }
        return;
    }
    level.position = level.position.wrapping_add(out.len() as u32);
}

#[cfg(target_arch = "x86_64")]
mod x86;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dsp::phase::increment_for;
    use std::f64::consts::TAU;

    #[test]
    fn matches_exact_sine_to_f32_precision_over_a_whole_turn() {
        let mut worst = 0.0f64;
        let landmarks = [
            0,
            1 << 30,
            1 << 31,
            3 << 30,
            u32::MAX,
            (1 << 31) - 1,
            (1 << 31) + 1,
        ];
        for phase in (0..=u32::MAX).step_by(4099).chain(landmarks) {
            let exact = (TAU * f64::from(phase) / 4_294_967_296.0).sin();
            worst = worst.max((f64::from(sine(phase)) - exact).abs());
        }
        // 1.05e-7 from the polynomial plus f32 rounding of z near the half turn, where the sine
        // is steepest: 2.1e-8 at a partial's amplitude of 0.2.
        assert!(worst < 4e-7, "worst error {worst:e}");
    }

    #[test]
    fn is_exactly_odd_and_zero_at_the_zero_crossings() {
        assert_eq!(sine(0), 0.0);
        assert_eq!(sine(1 << 31), 0.0);
        for phase in [1u32, 12345, 1 << 29, 987_654_321] {
            assert_eq!(sine(phase.wrapping_neg()), -sine(phase));
        }
    }

    /// Renders 1000 samples in blocks of `block` with `kernel`.
    fn run(kernel: Kernel, slope: u64, level: Level, block: usize) -> (Vec<f32>, PhaseRamp, Level) {
        let mut ramp = PhaseRamp {
            phase: 0x0123_4567_89ab_cdef,
            increment: increment_for(997.0, 48_000.0),
            slope,
        };
        let mut level = level;
        let mut out = vec![0.25f32; 1000];
        for chunk in out.chunks_mut(block) {
            kernel.add_partial(&mut ramp, &mut level, chunk);
        }
        (out, ramp, level)
    }

    #[test]
    fn every_kernel_agrees_bit_for_bit_whatever_the_blocks() {
        let levels = [
            Level::steady(0.2),
            Level {
                start: 0.2,
                step: -1e-4,
                position: 7,
            },
        ];
        for slope in [0, 987_654_321, 0u64.wrapping_sub(123_456_789_012)] {
            for level in levels {
                let reference = run(Kernel::Portable, slope, level, 1000);
                for kernel in Kernel::available() {
                    for block in [1, 3, 4, 7, 8, 17, 64, 1000] {
                        let got = run(kernel, slope, level, block);
                        assert!(
                            got == reference,
                            "{kernel:?}, slope {slope}, {level:?}, block {block}"
                        );
                    }
                }
            }
        }
    }
}
