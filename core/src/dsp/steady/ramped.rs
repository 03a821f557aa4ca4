//! Steady partials under moving envelopes: the steady lanes' recurrence, each lane times a
//! linear amplitude ramp (a partial's envelope segment: an attack, a decay, a release).
//!
//! A voice whose five partials hold their frequencies and levels while their envelopes move
//! each on its own would otherwise render partial by partial (the polynomial sine, then the
//! envelope's multiply, then the sum): about 1.2 ns per partial-sample. Here each lane runs the
//! same recurrence as a held note's ([`super`]) and its value is multiplied by the lane's
//! envelope gain before the lanes are summed: two operations per lane-sample more than a held
//! note, vectorised across the partials of many voices.
//!
//! The gain is the envelope's own ramp, `start + position · step` with the position counted
//! from the segment's start, computed that way at every seed (every [`RUN_SAMPLES`] samples,
//! as the lanes are seeded from their exact phases) and stepped on by `step` per sample in
//! between; so, like the recurrence, it cannot drift past one run, and where the runs start
//! does not depend on the blocks. Every kernel performs the same IEEE operations in the same
//! order and sums the lanes in the same tree as the held notes' lanes: the same bits.

use super::{GROUP_LANES, MAX_LANES, RUN_SAMPLES, SteadyLanes, SteadyPartial, lane_sum};
use crate::dsp::sine::Kernel;

/// A linear gain segment, as [`crate::dsp::ramp::LinearRamp`] computes it: sample `position` of
/// the segment is `start + position · step`.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct AmplitudeRamp {
    /// The gain at the segment's first sample.
    pub start: f32,
    /// The change per sample.
    pub step: f32,
    /// Samples of the segment before the next one rendered.
    pub position: u32,
}

impl AmplitudeRamp {
    /// A gain that holds `value`.
    pub fn holding(value: f32) -> Self {
        Self {
            start: value,
            step: 0.0,
            position: 0,
        }
    }

    /// The gain of the next sample, exactly as the segment computes it.
    pub fn current(&self) -> f32 {
        self.start + self.position as f32 * self.step
    }
}

/// Steady partials each under its own [`AmplitudeRamp`], side by side (see the module
/// documentation).
#[derive(Clone, Debug)]
pub struct RampedLanes {
    /// The recurrence, each lane at its constant amplitude (level and gain).
    lanes: SteadyLanes,
    /// Each lane's ramp: its start, step and position at the next seed.
    start: [f32; MAX_LANES],
    step: [f32; MAX_LANES],
    position: [u32; MAX_LANES],
    /// Each lane's envelope gain at the next sample.
    gain: [f32; MAX_LANES],
}

impl Default for RampedLanes {
    fn default() -> Self {
        Self {
            lanes: SteadyLanes::default(),
            start: [0.0; MAX_LANES],
            step: [0.0; MAX_LANES],
            position: [0; MAX_LANES],
            gain: [0.0; MAX_LANES],
        }
    }
}

impl RampedLanes {
    /// Lanes in use (whole groups).
    pub fn len(&self) -> usize {
        self.lanes.len()
    }

    pub fn is_empty(&self) -> bool {
        self.lanes.is_empty()
    }

    /// Drops every lane.
    pub fn clear(&mut self) {
        self.lanes.clear();
    }

    /// Adds `partial` under `ramp`; its next sample is the next one rendered. Panics past
    /// [`MAX_LANES`].
    pub fn push(&mut self, partial: &SteadyPartial, ramp: AmplitudeRamp) {
        let lane = self.lanes.partials();
        self.lanes.push(partial);
        self.start[lane] = ramp.start;
        self.step[lane] = ramp.step;
        self.position[lane] = ramp.position;
        // The padding is silent: a zero gain times a zero sine.
        for lane in lane + 1..self.lanes.len() {
            self.start[lane] = 0.0;
            self.step[lane] = 0.0;
            self.position[lane] = 0;
        }
    }

    /// Seeds every lane from its exact phase and its ramp's exact gain, then moves both on by
    /// `run` samples, to the next seed.
    pub fn seed(&mut self, kernel: Kernel, run: usize) {
        self.lanes.seed(kernel, run);
        let len = self.lanes.len();
        for (gain, ((&start, &step), position)) in self.gain[..len].iter_mut().zip(
            self.start[..len]
                .iter()
                .zip(&self.step[..len])
                .zip(&mut self.position[..len]),
        ) {
            *gain = AmplitudeRamp {
                start,
                step,
                position: *position,
            }
            .current();
            *position = position.wrapping_add(run as u32);
        }
    }

    /// Adds the lanes' next `out.len()` samples to `out`, advancing the recurrence and the
    /// gains. The caller seeds at least every [`RUN_SAMPLES`] samples.
    pub fn add_to(&mut self, kernel: Kernel, out: &mut [f32]) {
        debug_assert!(out.len() <= RUN_SAMPLES);
        if self.lanes.is_empty() {
            return;
        }
        match kernel {
            #[cfg(target_arch = "x86_64")]
            Kernel::Sse2 => x86::add_sse2(self, out),
            #[cfg(target_arch = "x86_64")]
            Kernel::Avx2(token) => x86::add_avx2(token, self, out),
            #[cfg(target_arch = "x86_64")]
            Kernel::Avx512(token) => x86::avx512::add_avx512(token, self, out),
            _ => out
                .iter_mut()
                .for_each(|sample| add_one_sample(self, sample)),
        }
    }

    /// Group `group`'s recurrence and gains, for the kernels.
    fn group(&mut self, group: usize) -> RampedGroup<'_> {
        let lanes = group * GROUP_LANES..(group + 1) * GROUP_LANES;
        RampedGroup {
            s: (&mut self.lanes.s[lanes.clone()]).try_into().unwrap(),
            d: (&mut self.lanes.d[lanes.clone()]).try_into().unwrap(),
            k: (&self.lanes.k[lanes.clone()]).try_into().unwrap(),
            gain: (&mut self.gain[lanes.clone()]).try_into().unwrap(),
            step: (&self.step[lanes]).try_into().unwrap(),
        }
    }

    /// Groups in use.
    fn groups(&self) -> usize {
        self.lanes.len() / GROUP_LANES
    }
}

/// One group's lanes, borrowed.
struct RampedGroup<'a> {
    s: &'a mut [f32; GROUP_LANES],
    d: &'a mut [f32; GROUP_LANES],
    k: &'a [f32; GROUP_LANES],
    gain: &'a mut [f32; GROUP_LANES],
    step: &'a [f32; GROUP_LANES],
}

/// One sample: each lane's value times its gain, added up over the groups (the first
/// assigns) and summed in the lane tree; then the gains and the recurrence step on. The
/// portable kernel, and every kernel's samples after its last whole step.
#[inline(always)]
fn add_one_sample(lanes: &mut RampedLanes, sample: &mut f32) {
    let mut acc = [0.0f32; GROUP_LANES];
    for group in 0..lanes.groups() {
        let RampedGroup {
            s,
            d,
            k,
            gain,
            step,
        } = lanes.group(group);
        for lane in 0..GROUP_LANES {
            let value = s[lane] * gain[lane];
            acc[lane] = if group == 0 { value } else { acc[lane] + value };
            gain[lane] += step[lane];
            d[lane] += k[lane] * s[lane];
            s[lane] += d[lane];
        }
    }
    *sample += lane_sum(&acc);
}

#[cfg(target_arch = "x86_64")]
mod x86;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dsp::phase::increment_for;
    use crate::dsp::steady::Rotation;

    const RATE_HZ: f64 = 48_000.0;

    /// `count` partials from 20 Hz up, each under a ramp of its own (some holding, some
    /// rising, some falling, some far into their segment).
    fn partials(count: u32) -> Vec<(SteadyPartial, AmplitudeRamp)> {
        (0..count)
            .map(|n| {
                let hz = 20.0 * 1.083f64.powi(n as i32);
                let partial = SteadyPartial {
                    phase: u64::from(n).wrapping_mul(0x9e37_79b9_7f4a_7c15),
                    rotation: Rotation::for_increment(increment_for(hz, RATE_HZ)).unwrap(),
                    amplitude: 0.01 + n as f32 * 1e-4,
                };
                let ramp = match n % 3 {
                    0 => AmplitudeRamp::holding(0.5),
                    1 => AmplitudeRamp {
                        start: 0.0,
                        step: 1.0 / 4800.0,
                        position: n * 7,
                    },
                    _ => AmplitudeRamp {
                        start: 0.9,
                        step: -0.8 / 100_000.0,
                        position: 40_000 + n,
                    },
                };
                (partial, ramp)
            })
            .collect()
    }

    /// `partials` rendered `samples` long with `kernel` in blocks of `block`, seeding every
    /// [`RUN_SAMPLES`], added to a constant.
    fn render(
        kernel: Kernel,
        partials: &[(SteadyPartial, AmplitudeRamp)],
        samples: usize,
        block: usize,
    ) -> Vec<f32> {
        let mut lanes = RampedLanes::default();
        for (partial, ramp) in partials {
            lanes.push(partial, *ramp);
        }
        let mut out = vec![0.125; samples];
        crate::dsp::steady::render_in_runs(
            &mut lanes,
            &mut out,
            block,
            |lanes, _| lanes.seed(kernel, RUN_SAMPLES),
            |lanes, run| lanes.add_to(kernel, run),
        );
        out
    }

    #[test]
    fn every_kernel_agrees_bit_for_bit_whatever_the_blocks() {
        crate::dsp::steady::assert_every_kernel_agrees(|kernel, count, block| {
            render(kernel, &partials(count), 3000, block)
        });
    }

    #[test]
    fn each_lane_is_its_sine_times_its_ramp_within_float_rounding() {
        let partials = partials(12);
        for (n, (partial, ramp)) in partials.iter().enumerate() {
            let out = render(Kernel::best(), &[(*partial, *ramp)], 4800, 4800);
            let mut worst = 0.0f64;
            for (t, &x) in out.iter().enumerate() {
                let phase = partial.phase_after(t as u64) as f64 / 2f64.powi(64);
                let gain = f64::from(ramp.start)
                    + (f64::from(ramp.position) + t as f64) * f64::from(ramp.step);
                let exact =
                    f64::from(partial.amplitude) * gain * (std::f64::consts::TAU * phase).sin();
                worst = worst.max((f64::from(x) - 0.125 - exact).abs());
            }
            // Float rounding of an amplitude of 0.01 (and of the 0.125 it is added to).
            assert!(worst < 2e-8, "partial {n}: {worst:e}");
        }
    }
}
