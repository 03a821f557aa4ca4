//! The low-frequency oscillator behind vibrato, tremolo and brightness movement.
//!
//! An LFO is read only at *knots*: every [`KNOT_SAMPLES`] samples of the engine's absolute
//! clock (the same grid as the steady lanes' runs), and the sound ramps linearly from one knot's
//! value to the next (see [`crate::engine::movement`]). Its phase is a 64.64 fixed-point count
//! of turns, so it is exact modular arithmetic like the partials' phases: an LFO reads the same
//! value at a knot however the host slices its blocks, and after an hour as after a second.
//!
//! Sample-and-hold draws one value per cycle from a hash of a seed (the note's) and the cycle
//! number: renders repeat exactly, and two notes do not move alike.

use super::steady::RUN_SAMPLES;
use std::f64::consts::TAU;

/// Samples between two knots: [`KNOT_RUNS`] of the lanes' runs, so a voice's movement and the
/// lanes share one grid. At 48 kHz a knot every 1.33 ms: 37.5 knots per cycle of a 20 Hz LFO
/// (the fastest free rate), where the linear ramps between knots follow a sine within
/// 1 − cos(π/37.5) = 0.35 % of its depth (0.14 cents of a 40-cent vibrato; at 5.5 Hz, 0.03 %);
/// a square's or sample-and-hold's step ramps over one knot. The cost of a knot (a sine, an
/// `exp2` and five levels per voice, every partial's slope) is spread over 64 samples.
pub const KNOT_SAMPLES: usize = KNOT_RUNS * RUN_SAMPLES;

/// The lanes' runs in a knot: the chirp lanes seed every run (their `f32` recurrence is within
/// 120 dB over 32 samples, not over 64: docs/PERFORMANCE.md), each run of a knot going on along
/// the same slope.
pub const KNOT_RUNS: usize = 2;

/// Slowest and fastest free rate, in Hz.
pub const MIN_RATE_HZ: f32 = 0.05;
pub const MAX_RATE_HZ: f32 = 20.0;

/// The tempo when the host gives none, in beats (quarter notes) per minute.
pub const DEFAULT_TEMPO_BPM: f64 = 120.0;

/// The LFO's waveform. Every shape runs from −1 to 1 and starts a cycle at 0 (sine, triangle)
/// or at its first value (square, sample-and-hold).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Shape {
    #[default]
    Sine,
    Triangle,
    Square,
    /// A new random value, held, every cycle.
    SampleAndHold,
}

impl Shape {
    /// Every shape, in the order the parameter counts them.
    pub const ALL: [Shape; 4] = [
        Shape::Sine,
        Shape::Triangle,
        Shape::Square,
        Shape::SampleAndHold,
    ];

    /// The shape at `index` of [`ALL`](Self::ALL) (out of range: the last).
    pub fn from_index(index: usize) -> Self {
        Self::ALL[index.min(Self::ALL.len() - 1)]
    }

    /// The value, −1 ..= 1, at `turns` (64.64 fixed point: the cycle number above bit 64, the
    /// phase in the cycle below) for a note seeded with `seed`.
    pub fn value(self, turns: u128, seed: u64) -> f64 {
        let phase = || (turns as u64) as f64 / super::phase::UNITS_PER_TURN;
        match self {
            Shape::Sine => sin_turns(turns as u64),
            Shape::Triangle => {
                let phase = phase();
                if phase < 0.25 {
                    4.0 * phase
                } else if phase < 0.75 {
                    2.0 - 4.0 * phase
                } else {
                    4.0 * phase - 4.0
                }
            }
            Shape::Square => {
                if phase() < 0.5 {
                    1.0
                } else {
                    -1.0
                }
            }
            Shape::SampleAndHold => held_value(seed, (turns >> 64) as u64),
        }
    }
}

/// [`sin_turns`]' Horner steps in a², 1 / (n (n − 1)) down from n = 13 (the sine) and 14
/// (the cosine): constants, so no step divides.
const SIN_STEPS: [f64; 6] = [
    1.0 / 156.0,
    1.0 / 110.0,
    1.0 / 72.0,
    1.0 / 42.0,
    1.0 / 20.0,
    1.0 / 6.0,
];
const COS_STEPS: [f64; 7] = [
    1.0 / 182.0,
    1.0 / 132.0,
    1.0 / 90.0,
    1.0 / 56.0,
    1.0 / 30.0,
    1.0 / 12.0,
    1.0 / 2.0,
];

/// sin(2π · `phase` / 2^64), within 1e-13: a Taylor polynomial about the nearest quarter
/// turn (no library call: every moving voice reads its LFO at every knot, and the values
/// define the movement, so they need only be smooth and close). Without a branch (both
/// series, a select and a sign flip), so that a loop over many voices' phases vectorises
/// (see `Movement::voice_knots`).
#[inline(always)]
pub fn sin_turns(phase: u64) -> f64 {
    // The nearest quarter turn, and the angle from it, within an eighth of a turn.
    let quarter = phase.wrapping_add(1 << 61) >> 62;
    let rest = phase.wrapping_sub(quarter << 62) as i64;
    let a = i64_as_f64(rest) * (TAU / super::phase::UNITS_PER_TURN);
    let a2 = a * a;
    // Horner in a², down from a^13/13! and a^14/14! (the next terms are below 2e-14).
    let series = |steps: &[f64]| steps.iter().fold(1.0, |p, r| 1.0 - a2 * r * p);
    let (sin, cos) = (a * series(&SIN_STEPS), series(&COS_STEPS));
    // Quarters 1 and 3 take the cosine, 2 and 3 the opposite sign (bit 1 of the quarter
    // moved to the sign bit).
    let value = if quarter & 1 == 0 { sin } else { cos };
    f64::from_bits(value.to_bits() ^ ((quarter & 2) << 62))
}

/// `value as f64` (rounded to the nearest, ties to even), from its two 32-bit halves: each
/// is exact in `f64` and their sum is rounded once, so the bits are the conversion's. Written
/// so because x86 has no vector conversion from 64-bit integers below AVX-512DQ (a loop
/// converting them would convert one at a time); the halves convert as 32-bit integers.
#[inline(always)]
fn i64_as_f64(value: i64) -> f64 {
    // 2^52: a 32-bit integer in the low bits of its mantissa, less 2^52, is that integer.
    const TWO_52: f64 = 4_503_599_627_370_496.0;
    let high = f64::from((value >> 32) as i32) * 4_294_967_296.0;
    let low = f64::from_bits(TWO_52.to_bits() | (value as u64 & 0xffff_ffff)) - TWO_52;
    high + low
}

/// A value −1 ..= 1 for cycle `cycle` of a note seeded `seed`: SplitMix64's finaliser, a
/// well-mixed hash, so neighbouring cycles and notes are unrelated.
fn held_value(seed: u64, cycle: u64) -> f64 {
    let mut z = seed
        .wrapping_mul(0x9e37_79b9_7f4a_7c15)
        .wrapping_add(cycle)
        .wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^= z >> 31;
    // The top 53 bits as a fraction 0 ..= 1, then −1 ..= 1.
    (z >> 11) as f64 / (1u64 << 53) as f64 * 2.0 - 1.0
}

/// A note division the LFO's cycle can follow at the host's tempo.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Division {
    /// Its name as the parameter shows it ("1/8T").
    pub name: &'static str,
    /// Its length in beats (quarter notes).
    pub beats: f64,
}

/// Whole notes to 1/32, each straight, dotted and triplet: the sync parameter's choices after
/// "Off" (index 0).
pub const DIVISIONS: [Division; 18] = [
    division("1/1", 4.0),
    division("1/1D", 6.0),
    division("1/1T", 8.0 / 3.0),
    division("1/2", 2.0),
    division("1/2D", 3.0),
    division("1/2T", 4.0 / 3.0),
    division("1/4", 1.0),
    division("1/4D", 1.5),
    division("1/4T", 2.0 / 3.0),
    division("1/8", 0.5),
    division("1/8D", 0.75),
    division("1/8T", 1.0 / 3.0),
    division("1/16", 0.25),
    division("1/16D", 0.375),
    division("1/16T", 1.0 / 6.0),
    division("1/32", 0.125),
    division("1/32D", 0.1875),
    division("1/32T", 1.0 / 12.0),
];

const fn division(name: &'static str, beats: f64) -> Division {
    Division { name, beats }
}

/// The sync parameter's choices: "Off" (the rate in Hz) and then [`DIVISIONS`].
pub const SYNC_NAMES: [&str; 19] = {
    let mut names = ["Off"; 19];
    let mut i = 0;
    while i < DIVISIONS.len() {
        names[i + 1] = DIVISIONS[i].name;
        i += 1;
    }
    names
};

/// How fast the LFO runs: free, or one cycle per note division at the host's tempo.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Rate {
    /// The free rate, in Hz.
    pub hz: f64,
    /// 0: free; `n`: one cycle per [`DIVISIONS`]`[n − 1]`.
    pub sync: usize,
}

impl Rate {
    /// Cycles per second at `tempo_bpm` (a tempo that is not finite and positive:
    /// [`DEFAULT_TEMPO_BPM`]); never negative or NaN.
    pub fn hz_at(&self, tempo_bpm: f64) -> f64 {
        let tempo = if tempo_bpm.is_finite() && tempo_bpm > 0.0 {
            tempo_bpm
        } else {
            DEFAULT_TEMPO_BPM
        };
        let hz = match self.sync.checked_sub(1).and_then(|i| DIVISIONS.get(i)) {
            Some(division) => tempo / 60.0 / division.beats,
            None => self.hz,
        };
        if hz.is_finite() { hz.max(0.0) } else { 0.0 }
    }
}

/// The turns (64.64 fixed point) an LFO advances per sample at `hz` and `sample_rate_hz`. Below
/// a cycle per sample, so a knot's advance fits 64 bits many times over.
pub fn turns_per_sample(hz: f64, sample_rate_hz: f64) -> u64 {
    super::phase::increment_for(hz, sample_rate_hz)
}

/// An LFO's phase along the knots: exact and O(1) to read at any knot, its rate changing only
/// from a knot on (so every block slicing reads the same turns at every knot).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LfoClock {
    /// A knot (counted from the engine's first sample) and the turns at it.
    anchor_knot: u64,
    anchor_turns: u128,
    /// Turns (2^-64) per sample.
    per_sample: u64,
}

impl LfoClock {
    /// A clock that stands still at turn 0.
    pub const IDLE: LfoClock = LfoClock::new(0, 0, 0);

    /// A clock with `turns` at knot `knot`, advancing `per_sample` turns (2^-64) per sample.
    pub const fn new(knot: u64, turns: u128, per_sample: u64) -> Self {
        Self {
            anchor_knot: knot,
            anchor_turns: turns,
            per_sample,
        }
    }

    /// A clock starting at turn 0 at sample `start` of the engine's clock (a note-on): at the
    /// first knot after `start` it has run the samples in between.
    pub fn starting_at(start: u64, per_sample: u64) -> Self {
        let knot = start / KNOT_SAMPLES as u64 + 1;
        let samples = knot * KNOT_SAMPLES as u64 - start;
        Self::new(
            knot,
            u128::from(per_sample) * u128::from(samples),
            per_sample,
        )
    }

    /// The turns at knot `knot` (at or after the anchor).
    pub fn turns_at(&self, knot: u64) -> u128 {
        let knots = knot.saturating_sub(self.anchor_knot);
        let samples = u128::from(knots) * KNOT_SAMPLES as u128;
        self.anchor_turns
            .wrapping_add(samples.wrapping_mul(u128::from(self.per_sample)))
    }

    /// The phase in the cycle at knot `knot` (2^-64 turn): [`turns_at`](Self::turns_at)'s low
    /// 64 bits, which do not depend on its high ones, in 64-bit arithmetic (what the sine reads,
    /// for many voices at a knot).
    pub fn phase_at(&self, knot: u64) -> u64 {
        let knots = knot.saturating_sub(self.anchor_knot);
        let samples = knots.wrapping_mul(KNOT_SAMPLES as u64);
        (self.anchor_turns as u64).wrapping_add(samples.wrapping_mul(self.per_sample))
    }

    /// Runs at `per_sample` from knot `from` on (the knot whose interval a change at sample `t`
    /// affects: `t` rounded up to a knot).
    pub fn set_rate(&mut self, per_sample: u64, from: u64) {
        if per_sample != self.per_sample {
            let from = from.max(self.anchor_knot);
            *self = Self::new(from, self.turns_at(from), per_sample);
        }
    }
}

/// The knot at or after sample `sample` of the engine's clock: where a change made at that
/// sample first counts.
pub fn knot_from(sample: u64) -> u64 {
    sample.div_ceil(KNOT_SAMPLES as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    const TURN: u128 = 1 << 64;

    #[test]
    fn shapes_run_from_minus_one_to_one_starting_where_documented() {
        let at = |shape: Shape, fraction: f64| shape.value((fraction * TURN as f64) as u128, 7);
        assert_eq!(at(Shape::Sine, 0.0), 0.0);
        assert!((at(Shape::Sine, 0.25) - 1.0).abs() < 1e-12);
        assert_eq!(at(Shape::Triangle, 0.25), 1.0);
        assert_eq!(at(Shape::Triangle, 0.75), -1.0);
        assert_eq!(at(Shape::Triangle, 0.125), 0.5);
        assert_eq!(at(Shape::Square, 0.1), 1.0);
        assert_eq!(at(Shape::Square, 0.6), -1.0);
    }

    #[test]
    fn the_sine_is_within_1e_13_of_the_library_s() {
        for n in 0..10_007u64 {
            let phase = n.wrapping_mul(0x9e37_79b9_7f4a_7c15);
            let exact = (TAU * (phase as f64 / TURN as f64)).sin();
            let error = (sin_turns(phase) - exact).abs();
            assert!(error < 1e-13, "{phase}: {error}");
        }
    }

    #[test]
    fn a_64_bit_integer_converts_from_its_halves_to_the_conversion_s_bits() {
        // Ties (a half-unit below 2^62 and 2^54, odd and even), the extremes and a spread.
        let ties = [
            (1i64 << 53) + 1,
            (1 << 53) + 3,
            (1 << 62) - 1,
            (1 << 62) - (1 << 8),
        ];
        let extremes = [
            0,
            1,
            -1,
            i64::MAX,
            i64::MIN,
            i64::MIN + 1,
            1 << 61,
            -(1 << 61),
        ];
        let spread = (0..100_003u64).map(|n| n.wrapping_mul(0x9e37_79b9_7f4a_7c15) as i64);
        for value in ties
            .into_iter()
            .chain(ties.map(|v| -v))
            .chain(extremes)
            .chain(spread)
        {
            assert_eq!(
                i64_as_f64(value).to_bits(),
                (value as f64).to_bits(),
                "{value}"
            );
            let shifted = value >> 3;
            assert_eq!(i64_as_f64(shifted).to_bits(), (shifted as f64).to_bits());
        }
    }

    #[test]
    fn sample_and_hold_holds_a_cycle_and_repeats_for_a_seed() {
        let value = |turns: u128, seed| Shape::SampleAndHold.value(turns, seed);
        assert_eq!(value(3 * TURN + 5, 1), value(3 * TURN + TURN / 2, 1));
        assert_ne!(value(3 * TURN, 1), value(4 * TURN, 1));
        assert_ne!(value(3 * TURN, 1), value(3 * TURN, 2));
        let values: Vec<f64> = (0..1000).map(|c| value(c * TURN, 9)).collect();
        assert!(values.iter().all(|v| (-1.0..=1.0).contains(v)));
        let mean = values.iter().sum::<f64>() / 1000.0;
        assert!(mean.abs() < 0.1, "{mean}");
        assert!(values.iter().any(|&v| v > 0.9) && values.iter().any(|&v| v < -0.9));
    }

    #[test]
    fn synced_rates_follow_the_tempo() {
        let quarter = Rate { hz: 3.0, sync: 7 };
        assert_eq!(DIVISIONS[6].name, "1/4");
        assert_eq!(quarter.hz_at(120.0), 2.0);
        assert_eq!(quarter.hz_at(f64::NAN), 2.0);
        let eighth_triplet = Rate { hz: 3.0, sync: 12 };
        assert!((eighth_triplet.hz_at(90.0) - 4.5).abs() < 1e-12);
        assert_eq!(Rate { hz: 3.0, sync: 0 }.hz_at(200.0), 3.0);
        assert_eq!(SYNC_NAMES[0], "Off");
        assert_eq!(SYNC_NAMES[18], "1/32T");
    }

    #[test]
    fn a_clock_s_phase_is_its_turns_low_bits() {
        let mut z = 7u64;
        let mut next = || {
            z = z
                .wrapping_mul(0x5851_f42d_4c95_7f2d)
                .wrapping_add(0x1405_7b7e_f767_814f);
            z
        };
        for _ in 0..10_000 {
            let (anchor, per_sample) = (next() >> 8, next() >> 4);
            let clock = LfoClock::new(
                anchor,
                u128::from(next()) << 40 | u128::from(next()),
                per_sample,
            );
            // Knots before the anchor, near it, and far enough that the samples pass 2^64.
            for knot in [
                anchor / 2,
                anchor,
                anchor + 1,
                anchor + (next() >> 20),
                u64::MAX,
            ] {
                assert_eq!(clock.phase_at(knot), clock.turns_at(knot) as u64);
            }
        }
    }

    #[test]
    fn a_clock_reads_the_same_turns_however_it_is_read_and_changes_rate_at_a_knot() {
        let per_sample = turns_per_sample(5.0, 48_000.0);
        let knot = KNOT_SAMPLES as u64;
        let start = 3 * knot + 4;
        let clock = LfoClock::starting_at(start, per_sample);
        // Knot 4 is a knot less 4 samples after the start.
        assert_eq!(clock.turns_at(4), u128::from(per_sample * (knot - 4)));
        assert_eq!(
            clock.turns_at(10),
            u128::from(per_sample * (10 * knot - start))
        );
        let mut faster = clock;
        let change = 9 * knot + 12;
        faster.set_rate(2 * per_sample, knot_from(change));
        assert_eq!(knot_from(change), 10);
        assert_eq!(faster.turns_at(10), clock.turns_at(10));
        assert_eq!(
            faster.turns_at(11),
            clock.turns_at(10) + 2 * u128::from(per_sample * knot)
        );
    }
}
