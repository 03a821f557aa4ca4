//! Steady partials in two channels: each partial's recurrence runs once and feeds both.
//!
//! A panned partial sounds in the left channel at its left gain and in the right at its right
//! gain (see [`crate::dsp::pan`]): the same sine twice, scaled. Holding it as two lanes of
//! [`SteadyLanes`] (one per channel, the gain folded into the amplitude) runs the recurrence
//! twice: a multiply and three adds per channel per sample. Here each lane runs the recurrence
//! once, at the partial's amplitude, and its value is multiplied by the lane's two gains and
//! added into one accumulator per channel: three multiplies and four adds per sample for both
//! channels instead of two multiplies and six adds (on this project's CPUs the adds are the
//! bottleneck: two pipes each for adds and for multiplies).
//!
//! The seeding is [`SteadyLanes`]' own, once per partial instead of once per channel. Each
//! channel's sum per sample is the held notes' lane tree over the gained values: the groups of
//! eight added in order, then ((0+1)+(2+3))+((4+5)+(6+7)). Every kernel performs the same IEEE
//! operations in the same order, so they give the same bits (the tests check it), and a gain of
//! exactly 1 (a centred partial) leaves the lane's value as it is.

use super::{GROUP_LANES, MAX_LANES, SteadyLanes, SteadyPartial, lane_sum};
use crate::dsp::sine::Kernel;

/// Steady partials side by side, each at a gain per channel (see the module documentation).
#[derive(Clone, Debug)]
pub struct StereoLanes {
    /// The recurrence, each lane at its partial's amplitude (before the pan).
    lanes: SteadyLanes,
    /// Each lane's gain in the left channel and in the right (0 in the padding).
    left: [f32; MAX_LANES],
    right: [f32; MAX_LANES],
}

impl Default for StereoLanes {
    fn default() -> Self {
        Self {
            lanes: SteadyLanes::default(),
            left: [0.0; MAX_LANES],
            right: [0.0; MAX_LANES],
        }
    }
}

impl StereoLanes {
    /// Lanes in use (whole groups).
    pub fn len(&self) -> usize {
        self.lanes.len()
    }

    pub fn is_empty(&self) -> bool {
        self.lanes.is_empty()
    }

    /// Partials pushed (the lanes in use but the padding).
    pub fn partials(&self) -> usize {
        self.lanes.partials()
    }

    /// Drops every lane.
    pub fn clear(&mut self) {
        self.lanes.clear();
    }

    /// Adds `partial` at `gains` (left, right); its next sample is the next one rendered.
    /// Panics past [`MAX_LANES`].
    pub fn push(&mut self, partial: &SteadyPartial, gains: [f32; 2]) {
        let lane = self.lanes.partials();
        self.lanes.push(partial);
        [self.left[lane], self.right[lane]] = gains;
        // The padding is silent: zero gains times a zero sine.
        for lane in lane + 1..self.lanes.len() {
            self.left[lane] = 0.0;
            self.right[lane] = 0.0;
        }
    }

    /// Seeds every lane from its exact phase, then moves the phases on by `run` samples, to the
    /// next seed (as [`SteadyLanes::seed`]).
    pub fn seed(&mut self, kernel: Kernel, run: usize) {
        self.lanes.seed(kernel, run);
    }

    /// Adds the lanes' next samples to `left` and `right` (as long as each other), advancing
    /// the recurrence. The caller seeds at least every [`RUN_SAMPLES`](super::RUN_SAMPLES)
    /// samples.
    pub fn add_to(&mut self, kernel: Kernel, left: &mut [f32], right: &mut [f32]) {
        assert_eq!(
            left.len(),
            right.len(),
            "two channels as long as each other"
        );
        if self.lanes.is_empty() {
            return;
        }
        match kernel {
            #[cfg(target_arch = "x86_64")]
            Kernel::Sse2 => x86::add_sse2(self, left, right),
            #[cfg(target_arch = "x86_64")]
            Kernel::Avx2(token) => x86::add_avx2(token, self, left, right),
            #[cfg(target_arch = "x86_64")]
            Kernel::Avx512(token) => x86::avx512::add_avx512(token, self, left, right),
            _ => add_samples(self, left, right),
        }
    }

    /// Group `group`'s recurrence and gains, for the kernels.
    fn group(&mut self, group: usize) -> StereoGroup<'_> {
        let lanes = group * GROUP_LANES..(group + 1) * GROUP_LANES;
        StereoGroup {
            s: (&mut self.lanes.s[lanes.clone()]).try_into().unwrap(),
            d: (&mut self.lanes.d[lanes.clone()]).try_into().unwrap(),
            k: (&self.lanes.k[lanes.clone()]).try_into().unwrap(),
            left: (&self.left[lanes.clone()]).try_into().unwrap(),
            right: (&self.right[lanes]).try_into().unwrap(),
        }
    }

    /// Groups in use.
    fn groups(&self) -> usize {
        self.lanes.len() / GROUP_LANES
    }
}

/// One group's lanes, borrowed.
struct StereoGroup<'a> {
    s: &'a mut [f32; GROUP_LANES],
    d: &'a mut [f32; GROUP_LANES],
    k: &'a [f32; GROUP_LANES],
    left: &'a [f32; GROUP_LANES],
    right: &'a [f32; GROUP_LANES],
}

/// One sample: each lane's value times its left gain, and times its right, added up over the
/// groups (the first assigns) and summed in the lane tree; then the recurrence steps on.
#[inline(always)]
fn add_one_sample(lanes: &mut StereoLanes, left_sample: &mut f32, right_sample: &mut f32) {
    let mut left_acc = [0.0f32; GROUP_LANES];
    let mut right_acc = [0.0f32; GROUP_LANES];
    for group in 0..lanes.groups() {
        let StereoGroup {
            s,
            d,
            k,
            left,
            right,
        } = lanes.group(group);
        for lane in 0..GROUP_LANES {
            let (to_left, to_right) = (s[lane] * left[lane], s[lane] * right[lane]);
            if group == 0 {
                (left_acc[lane], right_acc[lane]) = (to_left, to_right);
            } else {
                left_acc[lane] += to_left;
                right_acc[lane] += to_right;
            }
            d[lane] += k[lane] * s[lane];
            s[lane] += d[lane];
        }
    }
    *left_sample += lane_sum(&left_acc);
    *right_sample += lane_sum(&right_acc);
}

/// The portable kernel, and every kernel's samples after its last whole step.
#[inline(always)]
fn add_samples(lanes: &mut StereoLanes, left: &mut [f32], right: &mut [f32]) {
    for (left, right) in left.iter_mut().zip(right) {
        add_one_sample(lanes, left, right);
    }
}

#[cfg(target_arch = "x86_64")]
mod x86;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dsp::pan::pan_gains;
    use crate::dsp::phase::{UNITS_PER_TURN, increment_for};
    use crate::dsp::steady::{RUN_SAMPLES, Rotation, render_in_runs};
    use std::f64::consts::TAU;

    const RATE_HZ: f64 = 48_000.0;

    /// `count` partials from 20 Hz up, each at a pan of its own (hard left and right among
    /// them, and the centre).
    fn partials(count: i32) -> Vec<(SteadyPartial, [f32; 2])> {
        (0..count)
            .map(|n| {
                let hz = 20.0 * 1.083f64.powi(n);
                let partial = SteadyPartial {
                    phase: (n as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15),
                    rotation: Rotation::for_increment(increment_for(hz, RATE_HZ)).unwrap(),
                    amplitude: 0.01 + n as f32 * 1e-4,
                };
                let pan = (n % 9) as f32 / 4.0 - 1.0;
                (partial, pan_gains(pan))
            })
            .collect()
    }

    /// `partials` rendered `samples` long in both channels with `kernel` in blocks of `block`,
    /// seeding every [`RUN_SAMPLES`], added to `start` (left, right).
    fn render(
        start: [f32; 2],
        kernel: Kernel,
        partials: &[(SteadyPartial, [f32; 2])],
        samples: usize,
        block: usize,
    ) -> [Vec<f32>; 2] {
        let mut lanes = StereoLanes::default();
        for (partial, gains) in partials {
            lanes.push(partial, *gains);
        }
        // Both channels side by side in one buffer, so that the tests' host can slice them.
        let mut out: Vec<[f32; 2]> = vec![start; samples];
        render_in_runs(
            &mut lanes,
            &mut out,
            block,
            |lanes, _| lanes.seed(kernel, RUN_SAMPLES),
            |lanes, run| {
                let (mut left, mut right): (Vec<f32>, Vec<f32>) =
                    run.iter().map(|&[l, r]| (l, r)).unzip();
                lanes.add_to(kernel, &mut left, &mut right);
                for (frame, (l, r)) in run.iter_mut().zip(left.into_iter().zip(right)) {
                    *frame = [l, r];
                }
            },
        );
        [0, 1].map(|channel| out.iter().map(|frame| frame[channel]).collect())
    }

    #[test]
    fn every_kernel_agrees_bit_for_bit_whatever_the_blocks() {
        crate::dsp::steady::assert_every_kernel_agrees(|kernel, count, block| {
            render(
                [0.125, -0.125],
                kernel,
                &partials(count as i32),
                3000,
                block,
            )
        });
    }

    #[test]
    fn each_channel_is_the_exact_sine_at_its_gain_within_130_db_or_silent() {
        for hz in [0.5, 65.4, 440.0, 5000.0, 12_000.0] {
            for pan in [-1.0, -0.3, 0.0, 0.7, 1.0] {
                let phase = 0x1234_5678_9abc_def0;
                let partial = SteadyPartial {
                    phase,
                    rotation: Rotation::for_increment(increment_for(hz, RATE_HZ)).unwrap(),
                    amplitude: 0.25,
                };
                let gains = pan_gains(pan);
                let out = render(
                    [0.0; 2],
                    Kernel::best(),
                    &[(partial, gains)],
                    48_000,
                    48_000,
                );
                let start = phase as f64 / UNITS_PER_TURN;
                for (channel, samples) in out.iter().enumerate() {
                    let gain = f64::from(gains[channel]) * 0.25;
                    let (mut signal, mut error) = (0.0, 0.0);
                    for (n, &x) in samples.iter().enumerate() {
                        let exact = gain * (TAU * (start + hz / RATE_HZ * n as f64).fract()).sin();
                        signal += exact * exact;
                        error += (f64::from(x) - exact).powi(2);
                    }
                    if gain == 0.0 {
                        assert_eq!(error, 0.0, "{hz} Hz at pan {pan}: silent channel {channel}");
                    } else {
                        let snr = 10.0 * (signal / error).log10();
                        assert!(
                            snr > 130.0,
                            "{hz} Hz at pan {pan}, channel {channel}: {snr:.1} dB"
                        );
                    }
                }
            }
        }
    }
}
