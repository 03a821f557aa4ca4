//! Many steady partials at once: the partials of every held note, summed vector lane by lane.
//!
//! While a note is held its partials neither glide nor ramp, and evaluating the polynomial sine
//! per partial per sample is more work than a sine needs: a steady sine obeys the recurrence
//! s(n+1) = 2·cos δ · s(n) − s(n−1). It is run in Reinsch's form, which stays accurate at low
//! frequencies where 2·cos δ is nearly 2 (the plain form loses the frequency to rounding there):
//!
//!   d(n+1) = d(n) + k · s(n),   s(n+1) = s(n) + d(n+1),   k = −4 sin²(δ/2),
//!
//! one multiply and two adds per partial per sample, eight partials to a vector. The recurrence
//! is only a way to get from one exact value to the next few: every [`RUN_SAMPLES`] samples each
//! lane is seeded afresh from its partial's fixed-point phase through the polynomial sine,
//! s = a·sin φ and d = a·2 sin(δ/2)·cos(φ − δ/2) (so no difference of two nearly equal sines is
//! taken), and the phases advance exactly by n·increment as they always do. Rounding can
//! therefore not accumulate beyond one run, and no phase can drift.
//!
//! The lanes' sum per sample is one fixed tree: the groups of eight lanes added in order, then
//! the eight lanes as ((0+1)+(2+3))+((4+5)+(6+7)). Every kernel performs the same IEEE operations
//! in the same order, so they give the same bits (the tests check it).
//!
//! The kernels: portable, SSE2 (four lanes a register), AVX2 (eight: one group) and AVX-512
//! (sixteen: two groups, their values regrouped two samples at a time so the sums keep this
//! order; `steady/x86/avx512.rs`), chosen at run time by [`Kernel`].

use super::phase::UNITS_PER_TURN;
use super::sine::{Kernel, sine};
use crate::limits::{MAX_UNISON, MAX_VOICES};

/// Samples between two seeds of every lane from the exact phases. The recurrence's rounding
/// grows with the run: at 32 samples a steady lane stays 131 dB or more from its exact sine up
/// to a quarter of the sample rate (the tests' bound is 130 dB; the engine promises 120), at 64
/// it fell to 127.6 dB at 5 kHz, and the chirp lanes ([`chirp`]) to 108.5 dB under the steepest
/// vibratos (docs/PERFORMANCE.md).
pub const RUN_SAMPLES: usize = 32;

/// log2 of [`RUN_SAMPLES`]: a whole run's `n·increment` and `n(n−1)/2·slope` are shifts (AVX2
/// has no 64-bit multiply), so a run is a power of two, at least 2.
pub const RUN_SHIFT: u32 = RUN_SAMPLES.trailing_zeros();
const _: () = assert!(RUN_SAMPLES == 1 << RUN_SHIFT && RUN_SHIFT >= 1);

/// `slope` · n(n−1)/2 for a whole run, n = [`RUN_SAMPLES`]: the sum of a run's slopes, in
/// shifts (n(n−1)/2 = 2^(2s−1) − 2^(s−1) for n = 2^s).
#[inline(always)]
pub fn run_triangle(slope: u64) -> u64 {
    (slope << (2 * RUN_SHIFT - 1)).wrapping_sub(slope << (RUN_SHIFT - 1))
}

/// Lanes in a vector group: one AVX2 register of `f32`s.
pub const GROUP_LANES: usize = 8;

/// Most lanes a [`SteadyLanes`] holds: every partial of every copy (unison) of every voice
/// slot (a playing note and a stolen one fading out per voice).
pub const MAX_LANES: usize = 2 * MAX_VOICES * MAX_UNISON * super::PARTIAL_COUNT;

/// The largest increment the recurrence plays: a quarter turn per sample (a quarter of the
/// sample rate). Above, Reinsch's form loses accuracy as the sine nears Nyquist; such partials
/// render as before.
pub const MAX_STEADY_INCREMENT: u64 = 1 << 62;

/// The recurrence's constants for one increment, computed once per frequency in `f64`.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Rotation {
    /// The increment they are for, in 2^-64 turn per sample.
    pub increment: u64,
    /// k = −4 sin²(δ/2).
    pub k: f32,
    /// 2 sin(δ/2), the scale of d.
    pub twice_sin_half: f32,
}

impl Rotation {
    /// The constants for `increment`, or `None` above [`MAX_STEADY_INCREMENT`].
    pub fn for_increment(increment: u64) -> Option<Self> {
        if increment > MAX_STEADY_INCREMENT {
            return None;
        }
        let sin_half = (std::f64::consts::PI * increment as f64 / UNITS_PER_TURN).sin();
        Some(Self {
            increment,
            k: (-4.0 * sin_half * sin_half) as f32,
            twice_sin_half: (2.0 * sin_half) as f32,
        })
    }
}

/// One steady partial as the lanes take it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SteadyPartial {
    /// Phase of the next sample, in 2^-64 turn.
    pub phase: u64,
    /// The recurrence's constants, with the increment.
    pub rotation: Rotation,
    /// Linear amplitude of the sine (everything that multiplies it).
    pub amplitude: f32,
}

impl SteadyPartial {
    /// The phase `samples` samples on.
    pub fn phase_after(&self, samples: u64) -> u64 {
        self.phase
            .wrapping_add(self.rotation.increment.wrapping_mul(samples))
    }
}

/// Steady partials side by side, structure of arrays, padded with silent lanes to whole groups.
#[derive(Clone, Debug)]
pub struct SteadyLanes {
    /// Lanes in use, a multiple of [`GROUP_LANES`].
    len: usize,
    /// Lanes pushed since the last [`clear`](Self::clear).
    pushed: usize,
    /// Phase at the next seed.
    phase: [u64; MAX_LANES],
    increment: [u64; MAX_LANES],
    /// The phase advance over a whole run, [`RUN_SAMPLES`] · increment (AVX2 has no 64-bit
    /// multiply).
    run_advance: [u64; MAX_LANES],
    amplitude: [f32; MAX_LANES],
    /// amplitude · 2 sin(δ/2).
    d_scale: [f32; MAX_LANES],
    k: [f32; MAX_LANES],
    /// The recurrence: this sample's value, and its difference from the one before.
    s: [f32; MAX_LANES],
    d: [f32; MAX_LANES],
    /// The top 32 bits of the phases sin and cos are taken at, while seeding.
    sine_tops: [u32; MAX_LANES],
    cosine_tops: [u32; MAX_LANES],
}

impl Default for SteadyLanes {
    fn default() -> Self {
        Self {
            len: 0,
            pushed: 0,
            phase: [0; MAX_LANES],
            increment: [0; MAX_LANES],
            run_advance: [0; MAX_LANES],
            amplitude: [0.0; MAX_LANES],
            d_scale: [0.0; MAX_LANES],
            k: [0.0; MAX_LANES],
            s: [0.0; MAX_LANES],
            d: [0.0; MAX_LANES],
            sine_tops: [0; MAX_LANES],
            cosine_tops: [0; MAX_LANES],
        }
    }
}

impl SteadyLanes {
    /// Lanes in use (whole groups).
    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Partials pushed (the lanes in use but the padding).
    pub fn partials(&self) -> usize {
        self.pushed
    }

    /// Drops every lane.
    pub fn clear(&mut self) {
        self.len = 0;
        self.pushed = 0;
    }

    /// Adds a partial whose next sample is the next one rendered. Panics past [`MAX_LANES`].
    pub fn push(&mut self, partial: &SteadyPartial) {
        let lane = self.pushed;
        self.phase[lane] = partial.phase;
        self.increment[lane] = partial.rotation.increment;
        self.run_advance[lane] = partial.rotation.increment.wrapping_mul(RUN_SAMPLES as u64);
        self.amplitude[lane] = partial.amplitude;
        self.d_scale[lane] = partial.amplitude * partial.rotation.twice_sin_half;
        self.k[lane] = partial.rotation.k;
        self.pushed += 1;
        // Pad to whole groups with silent lanes: all zeros stay exactly zero.
        self.len = self.pushed.next_multiple_of(GROUP_LANES);
        for lane in self.pushed..self.len {
            self.phase[lane] = 0;
            self.increment[lane] = 0;
            self.run_advance[lane] = 0;
            self.amplitude[lane] = 0.0;
            self.d_scale[lane] = 0.0;
            self.k[lane] = 0.0;
        }
    }

    /// Seeds every lane from its exact phase, then moves the phases on by `run` samples, to the
    /// next seed. Every kernel computes the same bits (the same operations per lane).
    pub fn seed(&mut self, kernel: Kernel, run: usize) {
        match kernel {
            #[cfg(target_arch = "x86_64")]
            Kernel::Avx2(token) => x86::seed_avx2(token, self, run),
            #[cfg(target_arch = "x86_64")]
            Kernel::Avx512(token) => x86::avx512::seed_avx512(token, self, run),
            _ => seed_lanes(self, run),
        }
    }

    /// Adds the lanes' next `out.len()` samples to `out`, advancing the recurrence. The caller
    /// seeds at least every [`RUN_SAMPLES`] samples.
    pub fn add_to(&mut self, kernel: Kernel, out: &mut [f32]) {
        if self.len == 0 {
            return;
        }
        match kernel {
            #[cfg(target_arch = "x86_64")]
            Kernel::Sse2 => x86::add_sse2(self, out),
            #[cfg(target_arch = "x86_64")]
            Kernel::Avx2(token) => x86::add_avx2(token, self, out),
            #[cfg(target_arch = "x86_64")]
            Kernel::Avx512(token) => x86::avx512::add_avx512(token, self, out),
            _ => add_portable(self, out),
        }
    }

    /// The recurrence state and constants of group `group`, for the kernels.
    fn group(&mut self, group: usize) -> GroupState<'_> {
        let lanes = group * GROUP_LANES..(group + 1) * GROUP_LANES;
        GroupState {
            s: (&mut self.s[lanes.clone()]).try_into().unwrap(),
            d: (&mut self.d[lanes.clone()]).try_into().unwrap(),
            k: (&self.k[lanes]).try_into().unwrap(),
        }
    }
}

/// [`SteadyLanes::seed`], written as loops over whole arrays so that it vectorises for the
/// instruction set it is inlined into.
#[inline(always)]
fn seed_lanes(lanes: &mut SteadyLanes, run: usize) {
    const QUARTER_TURN: u64 = 1 << 62;
    let len = lanes.len;
    for ((sine_top, cosine_top), (&phase, &increment)) in lanes.sine_tops[..len]
        .iter_mut()
        .zip(&mut lanes.cosine_tops[..len])
        .zip(lanes.phase[..len].iter().zip(&lanes.increment[..len]))
    {
        *sine_top = (phase >> 32) as u32;
        // cos(φ − δ/2) is sin(φ − δ/2 + a quarter turn).
        let half_back = phase.wrapping_sub(increment / 2).wrapping_add(QUARTER_TURN);
        *cosine_top = (half_back >> 32) as u32;
    }
    if run == RUN_SAMPLES {
        for (phase, &advance) in lanes.phase[..len].iter_mut().zip(&lanes.run_advance[..len]) {
            *phase = phase.wrapping_add(advance);
        }
    } else {
        for (phase, &increment) in lanes.phase[..len].iter_mut().zip(&lanes.increment[..len]) {
            *phase = phase.wrapping_add(increment.wrapping_mul(run as u64));
        }
    }
    for (s, (&amplitude, &top)) in lanes.s[..len]
        .iter_mut()
        .zip(lanes.amplitude[..len].iter().zip(&lanes.sine_tops[..len]))
    {
        *s = amplitude * sine(top);
    }
    for (d, (&scale, &top)) in lanes.d[..len]
        .iter_mut()
        .zip(lanes.d_scale[..len].iter().zip(&lanes.cosine_tops[..len]))
    {
        *d = scale * sine(top);
    }
}

impl SteadyLanes {
    /// Groups `group` and `group + 1`, both borrowed at once.
    fn two_groups(&mut self, group: usize) -> (GroupState<'_>, GroupState<'_>) {
        let start = group * GROUP_LANES;
        let end = start + 2 * GROUP_LANES;
        let (s0, s1) = self.s[start..end].split_at_mut(GROUP_LANES);
        let (d0, d1) = self.d[start..end].split_at_mut(GROUP_LANES);
        let (k0, k1) = self.k[start..end].split_at(GROUP_LANES);
        (
            GroupState {
                s: s0.try_into().unwrap(),
                d: d0.try_into().unwrap(),
                k: k0.try_into().unwrap(),
            },
            GroupState {
                s: s1.try_into().unwrap(),
                d: d1.try_into().unwrap(),
                k: k1.try_into().unwrap(),
            },
        )
    }
}

/// One group's lanes, borrowed.
struct GroupState<'a> {
    s: &'a mut [f32; GROUP_LANES],
    d: &'a mut [f32; GROUP_LANES],
    k: &'a [f32; GROUP_LANES],
}

/// The sum of a group's eight lanes in the fixed tree every kernel uses.
#[inline(always)]
fn lane_sum(a: &[f32; GROUP_LANES]) -> f32 {
    ((a[0] + a[1]) + (a[2] + a[3])) + ((a[4] + a[5]) + (a[6] + a[7]))
}

/// One sample: each lane's value added up over the groups (the first assigns), then the
/// recurrence steps on. Shared by every kernel for the samples after its last whole step.
#[inline(always)]
fn add_one_sample(lanes: &mut SteadyLanes, sample: &mut f32) {
    let mut acc = [0.0f32; GROUP_LANES];
    for group in 0..lanes.len / GROUP_LANES {
        let GroupState { s, d, k } = lanes.group(group);
        for lane in 0..GROUP_LANES {
            acc[lane] = if group == 0 {
                s[lane]
            } else {
                acc[lane] + s[lane]
            };
            d[lane] += k[lane] * s[lane];
            s[lane] += d[lane];
        }
    }
    *sample += lane_sum(&acc);
}

/// The portable kernel: sample by sample.
fn add_portable(lanes: &mut SteadyLanes, out: &mut [f32]) {
    for sample in out {
        add_one_sample(lanes, sample);
    }
}

pub mod chirp;
pub mod ramped;
pub mod stereo;

/// Renders `out` through `lanes` in blocks of `block`, split where the runs of a clock starting
/// at `out`'s first sample begin: `run_start(lanes, position)` at each run's first sample, then
/// `add(lanes, piece)` for every piece. The tests' host, slicing as engines do.
#[cfg(test)]
fn render_in_runs<L, T>(
    lanes: &mut L,
    out: &mut [T],
    block: usize,
    mut run_start: impl FnMut(&mut L, usize),
    mut add: impl FnMut(&mut L, &mut [T]),
) {
    let mut position = 0;
    for chunk in out.chunks_mut(block) {
        let mut rest = chunk;
        while !rest.is_empty() {
            if position % RUN_SAMPLES == 0 {
                run_start(lanes, position);
            }
            let len = rest.len().min(RUN_SAMPLES - position % RUN_SAMPLES);
            let (run, tail) = rest.split_at_mut(len);
            add(lanes, run);
            position += len;
            rest = tail;
        }
    }
}
/// Asserts that every kernel renders what the portable one does, bit for bit, whatever the
/// blocks: `render(kernel, count, block)` renders `count` partials in blocks of `block` (1, 3,
/// 9 and 10 groups of lanes: the vector kernels take them in fours and what is left, AVX-512 in
/// pairs with a lone group at the end of odd counts). Every kind of lanes' test of that promise.
#[cfg(test)]
fn assert_every_kernel_agrees<T: PartialEq>(mut render: impl FnMut(Kernel, u32, usize) -> T) {
    if !Kernel::available()
        .iter()
        .any(|kernel| matches!(kernel, Kernel::Avx512(_)))
    {
        println!("note: this CPU has no AVX-512F, so its kernels are not compared here");
    }
    for count in [5, 20, 70, 77] {
        let reference = render(Kernel::Portable, count, 3000);
        for kernel in Kernel::available() {
            for block in [1, 3, 7, 8, 17, 32, 64, 3000] {
                assert!(
                    render(kernel, count, block) == reference,
                    "{count} partials, {kernel:?}, block {block}"
                );
            }
        }
    }
}

#[cfg(target_arch = "x86_64")]
mod x86;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dsp::phase::increment_for;
    use std::f64::consts::TAU;

    const RATE_HZ: f64 = 48_000.0;

    fn partial(hz: f64, amplitude: f32, phase: u64) -> SteadyPartial {
        SteadyPartial {
            phase,
            rotation: Rotation::for_increment(increment_for(hz, RATE_HZ)).unwrap(),
            amplitude,
        }
    }

    /// `partials` rendered `samples` long with `kernel` in blocks of `block`, seeding every
    /// [`RUN_SAMPLES`].
    fn render(
        kernel: Kernel,
        partials: &[SteadyPartial],
        samples: usize,
        block: usize,
    ) -> Vec<f32> {
        render_onto(0.125, kernel, partials, samples, block)
    }

    /// [`render`] added to `start` everywhere.
    fn render_onto(
        start: f32,
        kernel: Kernel,
        partials: &[SteadyPartial],
        samples: usize,
        block: usize,
    ) -> Vec<f32> {
        let mut lanes = SteadyLanes::default();
        for partial in partials {
            lanes.push(partial);
        }
        let mut out = vec![start; samples];
        render_in_runs(
            &mut lanes,
            &mut out,
            block,
            |lanes, _| lanes.seed(kernel, RUN_SAMPLES),
            |lanes, run| lanes.add_to(kernel, run),
        );
        out
    }

    fn many_partials(count: i32) -> Vec<SteadyPartial> {
        (0..count)
            .map(|n| {
                let hz = 20.0 * 1.083f64.powi(n);
                partial(
                    hz,
                    0.01 + n as f32 * 1e-4,
                    (n as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15),
                )
            })
            .collect()
    }

    #[test]
    fn every_kernel_agrees_bit_for_bit_whatever_the_blocks() {
        super::assert_every_kernel_agrees(|kernel, count, block| {
            render(kernel, &many_partials(count as i32), 3000, block)
        });
    }

    #[test]
    fn each_lane_is_the_exact_sine_within_130_db_up_to_a_quarter_of_the_sample_rate() {
        for hz in [0.5, 20.0, 65.4, 440.0, 1760.0, 5000.0, 11_000.0, 12_000.0] {
            for amplitude in [1.0, 0.0125] {
                let phase = 0x1234_5678_9abc_def0;
                let p = partial(hz, amplitude, phase);
                let out = render_onto(0.0, Kernel::best(), &[p], 48_000, 48_000);
                let start = phase as f64 / UNITS_PER_TURN;
                let (mut signal, mut error) = (0.0, 0.0);
                for (n, &x) in out.iter().enumerate() {
                    let exact = f64::from(amplitude)
                        * (TAU * (start + hz / RATE_HZ * n as f64).fract()).sin();
                    signal += exact * exact;
                    error += (f64::from(x) - exact).powi(2);
                }
                let snr = 10.0 * (signal / error).log10();
                println!("{hz} Hz at {amplitude}: {snr:.1} dB");
                assert!(snr > 130.0, "{hz} Hz at {amplitude}: {snr:.1} dB");
            }
        }
    }
}
