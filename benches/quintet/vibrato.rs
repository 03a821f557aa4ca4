//! Held notes under vibrato (every partial's pitch moving every sample) through the chirp lanes
//! (`quintet::dsp::steady::chirp`): 16 voices of five partials, and the same with four detuned
//! unison copies of each, against the naive oscillator playing one five-partial voice that does
//! not move; issue 24's speed targets.
//!
//! What a run costs here is what the engine would pay per knot and per sample once the LFO has
//! given each voice its pitch ratio at the knot: per partial its target increment and slope, and
//! the lanes' seeding and recurrence. The LFO's own evaluation (a ratio per voice per knot) is
//! taken from a table of one vibrato cycle, so no library `sin` or `exp2` is timed.

use crate::naive::NaiveBank;
use crate::timing::{Renderer, SAMPLE_RATE_HZ, time_per_sample, verdict};
use quintet::dsp::lfo::{KNOT_SAMPLES, Rate};
use quintet::dsp::phase::{PhaseRamp, UNITS_PER_TURN};
use quintet::dsp::sine::{Kernel, Level};
use quintet::dsp::steady::RUN_SAMPLES;
use quintet::dsp::steady::chirp::{ChirpLanes, ChirpPartial, accepts};
use quintet::engine::movement::MovementSettings;
use quintet::engine::pitch::key_to_hz;
use quintet::engine::unison::{MAX_UNISON, Unison};
use quintet::engine::{Engine, MAX_VOICES, Settings};
use std::f64::consts::TAU;

/// Block sizes timed.
const BLOCK_SIZES: [usize; 3] = [64, 512, 4096];
/// Voices held, five partials each (the harmonics 1 to 5 of the key).
const VOICES: usize = 16;
const PARTIALS: usize = 5;
/// Unison copies in the second case, and their detuning in cents.
const UNISON_DETUNE_CENTS: [f64; 4] = [-12.0, -4.0, 4.0, 12.0];
/// The vibrato: ± cents at a rate in Hz (a full mod wheel on many synths), each voice from a
/// phase of its own.
const VIBRATO_CENTS: f64 = 50.0;
const VIBRATO_HZ: f64 = 5.5;
/// Each partial's amplitude (the engine's one voice level at 16 voices, about).
const AMPLITUDE: f32 = 0.2 / VOICES as f32;
/// Targets, × one naive voice (the unison's is the held notes' target, checked here under
/// vibrato too; `-- engine` checks it as the issue states it).
const CHORD_TARGET: f64 = 1.0;
const UNISON_TARGET: f64 = 3.0;

/// Keys of the chord: the engine benchmark's, C2 up by minor thirds.
fn chord_keys() -> impl Iterator<Item = u8> {
    (0..VOICES as u8).map(|k| 36 + 3 * k)
}

/// One voice's pitch ratio at every knot of one vibrato cycle, from `start` (turns).
fn vibrato_cycle(start: f64) -> Vec<f64> {
    let knots = (SAMPLE_RATE_HZ / VIBRATO_HZ / KNOT_SAMPLES as f64).round() as usize;
    (0..knots)
        .map(|knot| {
            let turns = start + knot as f64 / knots as f64;
            (VIBRATO_CENTS * (TAU * turns).sin() / 1200.0).exp2()
        })
        .collect()
}

/// A partial's place in the chord: its voice (for the vibrato) and its increment unmoved, in
/// phase units per sample.
struct Partial {
    voice: usize,
    units: f64,
}

/// The chord's partials (`unison` copies of each voice, detuned).
fn partials(unison: &[f64]) -> Vec<Partial> {
    chord_keys()
        .enumerate()
        .flat_map(|(voice, key)| {
            unison.iter().flat_map(move |cents| {
                let hz = key_to_hz(key, cents / 100.0);
                (1..=PARTIALS).map(move |harmonic| Partial {
                    voice,
                    units: hz * harmonic as f64 / SAMPLE_RATE_HZ * UNITS_PER_TURN,
                })
            })
        })
        .collect()
}

/// The chord under vibrato, rendered as the engine would: at every knot each partial's target
/// increment (its unmoved increment times its voice's ratio at the next knot), its slope there;
/// at every run the lanes seeded; in between, the lanes' recurrence.
struct VibratoChord {
    lanes: ChirpLanes,
    partials: Vec<Partial>,
    /// Per voice, its ratio at each knot of a cycle.
    cycles: Vec<Vec<f64>>,
    /// Per partial, its increment at the next knot (phase units per sample).
    targets: Vec<f64>,
    /// Samples rendered.
    position: usize,
    kernel: Kernel,
}

impl VibratoChord {
    fn new(kernel: Kernel, unison: &[f64]) -> Self {
        let partials = partials(unison);
        let cycles: Vec<Vec<f64>> = (0..VOICES)
            .map(|voice| vibrato_cycle(voice as f64 / VOICES as f64))
            .collect();
        let mut lanes = ChirpLanes::default();
        for (n, partial) in partials.iter().enumerate() {
            lanes.push(&ChirpPartial {
                ramp: PhaseRamp {
                    phase: (n as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15),
                    increment: (partial.units * cycles[partial.voice][0]) as u64,
                    slope: 0,
                },
                amplitude: AMPLITUDE,
                amplitude_step: 0.0,
            });
        }
        Self {
            lanes,
            targets: vec![0.0; partials.len()],
            partials,
            cycles,
            position: 0,
            kernel,
        }
    }

    /// The knot's work: each voice's ratio at the next knot, every partial's target there (its
    /// unmoved increment times the ratio), the lanes aimed at them.
    fn knot(&mut self) {
        let next = self.position / KNOT_SAMPLES + 1;
        let ratios: [f64; VOICES] = std::array::from_fn(|voice| {
            let cycle = &self.cycles[voice];
            cycle[next % cycle.len()]
        });
        for (target, partial) in self.targets.iter_mut().zip(&self.partials) {
            *target = partial.units * ratios[partial.voice];
        }
        self.lanes.aim(&self.targets);
    }

    fn render(&mut self, out: &mut [f32]) {
        out.fill(0.0);
        let mut rest = out;
        while !rest.is_empty() {
            if self.position.is_multiple_of(KNOT_SAMPLES) {
                self.knot();
            }
            if self.position.is_multiple_of(RUN_SAMPLES) {
                self.lanes.seed(self.kernel, RUN_SAMPLES);
            }
            let len = rest.len().min(RUN_SAMPLES - self.position % RUN_SAMPLES);
            let (run, tail) = rest.split_at_mut(len);
            self.lanes.add_to(self.kernel, run);
            self.position += len;
            rest = tail;
        }
    }

    /// Whether every partial's next run is one the lanes render within their accuracy.
    fn all_accepted(&self) -> bool {
        (0..self.partials.len()).all(|lane| accepts(&self.lanes.ramp(lane), RUN_SAMPLES))
    }
}

/// The slope (phase units per sample per sample) that takes `increment` to within a knot's
/// rounding of `target` over a knot's span (rounded down, so a span ends where the next begins).
fn slope_to(target: i64, increment: u64) -> u64 {
    const { assert!(KNOT_SAMPLES.is_power_of_two()) };
    (target.wrapping_sub(increment as i64) >> KNOT_SAMPLES.trailing_zeros()) as u64
}

/// The same chord through the polynomial kernel, partial by partial, each run a linear glide
/// (what a voice on its own bank pays per partial while its pitch moves).
struct PolynomialChord {
    ramps: Vec<PhaseRamp>,
    partials: Vec<Partial>,
    cycles: Vec<Vec<f64>>,
    position: usize,
    kernel: Kernel,
}

impl PolynomialChord {
    fn new(kernel: Kernel, unison: &[f64]) -> Self {
        let chord = VibratoChord::new(kernel, unison);
        let ramps = (0..chord.partials.len())
            .map(|lane| chord.lanes.ramp(lane))
            .collect();
        Self {
            ramps,
            partials: chord.partials,
            cycles: chord.cycles,
            position: 0,
            kernel,
        }
    }

    fn render(&mut self, out: &mut [f32]) {
        out.fill(0.0);
        let mut start = 0;
        while start < out.len() {
            let knot = self.position / KNOT_SAMPLES;
            let len = (out.len() - start).min(KNOT_SAMPLES - self.position % KNOT_SAMPLES);
            for (ramp, partial) in self.ramps.iter_mut().zip(&self.partials) {
                if self.position.is_multiple_of(KNOT_SAMPLES) {
                    let cycle = &self.cycles[partial.voice];
                    let target = (partial.units * cycle[(knot + 1) % cycle.len()]) as i64;
                    ramp.slope = slope_to(target, ramp.increment);
                }
                let mut level = Level::steady(AMPLITUDE);
                self.kernel
                    .add_partial(ramp, &mut level, &mut out[start..start + len]);
            }
            self.position += len;
            start += len;
        }
    }
}

/// Prints the vibrato table for the block sizes `wanted` accepts, then its targets.
pub fn run(wanted: impl Fn(usize) -> bool) {
    let kernel = Kernel::best();
    println!();
    println!(
        "Held notes under vibrato (±{VIBRATO_CENTS} cents at {VIBRATO_HZ} Hz, every partial's \
         pitch moving every sample), {kernel:?}, ns per output sample; × = over one naive voice:"
    );
    println!(
        "{:>6} {:>8} {:>18} {:>18} {:>22}",
        "block", "naive", "16 × 5 lanes", "16 × 5 × 4 lanes", "16 × 5 polynomial"
    );
    let mut verdicts = Vec::new();
    for block in BLOCK_SIZES.into_iter().filter(|&block| wanted(block)) {
        let mut naive = NaiveBank::new();
        let mut chord = VibratoChord::new(kernel, &[0.0]);
        let mut unison = VibratoChord::new(kernel, &UNISON_DETUNE_CENTS);
        let mut polynomial = PolynomialChord::new(kernel, &[0.0]);
        check(&mut chord);
        check(&mut unison);
        let mut renderers: Vec<Renderer> = vec![
            Box::new(move |out| naive.render(out)),
            Box::new(|out| chord.render(out)),
            Box::new(|out| unison.render(out)),
            Box::new(|out| polynomial.render(out)),
        ];
        let ns = time_per_sample(block, &mut renderers);
        print_row(block, &ns, &[10, 10, 14]);
        verdicts.push((block, ns[1] / ns[0], ns[2] / ns[0]));
    }
    print_targets("the lanes alone", &verdicts);
    run_engine(wanted);
}

/// Prints one row of a table: the block size, the naive voice's ns per sample, then each other
/// case's and its ratio to the naive voice, in columns `widths` wide.
fn print_row(block: usize, ns: &[f64], widths: &[usize]) {
    let mut row = format!("{block:>6} {:>8.2}", ns[0]);
    for (case, width) in ns[1..].iter().zip(widths) {
        row += &format!(" {case:>width$.2} {:>5.2}×", case / ns[0]);
    }
    println!("{row}");
}

/// Prints the targets for each block's (chord, unison) ratios to one naive voice.
fn print_targets(label: &str, verdicts: &[(usize, f64, f64)]) {
    println!("Targets (vibrato, {label}):");
    for &(block, chord, unison) in verdicts {
        println!(
            "  {block:>4}: 16 held notes under vibrato {chord:.2}× one naive voice (≤ \
             {CHORD_TARGET}×: {}); 16 notes × 4 unison under vibrato {unison:.2}× (≤ \
             {UNISON_TARGET}×: {}; the issue's unison target is for held notes: `-- engine`)",
            verdict(chord <= CHORD_TARGET),
            verdict(unison <= UNISON_TARGET)
        );
    }
}

/// The engine's chord ([`crate::engine::chord_keys`], default partials, 16 voices) under the
/// same vibrato, every voice's LFO from the note's start; with `copies` unison copies each
/// (spread across the field, so rendered in stereo).
fn engine_vibrato(copies: usize) -> Settings {
    Settings {
        movement: MovementSettings {
            vibrato_cents: VIBRATO_CENTS,
            rate: Rate {
                hz: VIBRATO_HZ,
                sync: 0,
            },
            ..MovementSettings::default()
        },
        unison: Unison {
            copies,
            detune_cents: 12.0,
            width: 1.0,
        },
        ..crate::engine::notes(MAX_VOICES, 1.0)
    }
}

/// [`engine_vibrato`] past the attack, the chirp lanes on or off.
fn settled_vibrato(copies: usize, lanes: bool) -> Engine {
    let mut engine = crate::engine::settled(engine_vibrato(copies), crate::engine::chord_keys());
    engine.set_chirp_lanes(lanes);
    engine
}

/// A renderer of `engine` through [`Engine::render`] (mono) or, `stereo`, both channels.
fn engine_renderer(mut engine: Engine, stereo: bool) -> Renderer<'static> {
    let mut right = Vec::new();
    Box::new(move |out| {
        if stereo {
            right.resize(out.len(), 0.0);
            engine.render_stereo(out, &mut right);
        } else {
            engine.render(out);
        }
    })
}

/// Prints the same chord through the whole engine (`Engine::render`, the LFO evaluated at
/// every knot): with the chirp lanes, with each voice on its own banks (the lanes off), and
/// with four unison copies in stereo, against one naive voice; its targets.
fn run_engine(wanted: impl Fn(usize) -> bool) {
    check_engine();
    println!();
    println!(
        "Through Engine::render: 16 held notes under the vibrato, ns per output sample; × = \
         over one naive voice:"
    );
    println!(
        "{:>6} {:>8} {:>16} {:>16} {:>22}",
        "block", "naive", "chirp lanes", "own banks", "× 4 unison (stereo)"
    );
    let mut verdicts = Vec::new();
    for block in BLOCK_SIZES.into_iter().filter(|&block| wanted(block)) {
        let mut naive = NaiveBank::new();
        let mut renderers: Vec<Renderer> = vec![
            Box::new(move |out| naive.render(out)),
            engine_renderer(settled_vibrato(1, true), false),
            engine_renderer(settled_vibrato(1, false), false),
            engine_renderer(settled_vibrato(MAX_UNISON, true), true),
        ];
        let ns = time_per_sample(block, &mut renderers);
        print_row(block, &ns, &[9, 9, 15]);
        verdicts.push((block, ns[1] / ns[0], ns[3] / ns[0]));
    }
    print_targets("through the engine", &verdicts);
}

/// A second of the engine's chord outside the timing: the chirp lanes play what the voices'
/// own banks play, within 120 dB.
fn check_engine() {
    let samples = SAMPLE_RATE_HZ as usize;
    let lanes = crate::engine::engine_output(&mut settled_vibrato(1, true), samples, 512);
    let banks = crate::engine::engine_output(&mut settled_vibrato(1, false), samples, 512);
    let power: f64 = banks.iter().map(|x| f64::from(*x).powi(2)).sum();
    let error: f64 = lanes
        .iter()
        .zip(&banks)
        .map(|(a, b)| f64::from(a - b).powi(2))
        .sum();
    let snr = 10.0 * (power / error).log10();
    assert!(
        snr >= 120.0,
        "the chirp lanes at {snr:.1} dB from the banks"
    );
}

/// Renders a second of `chord` outside the timing: it sounds, stays finite, and every run is
/// within the lanes' accuracy.
fn check(chord: &mut VibratoChord) {
    let mut out = vec![0.0f32; SAMPLE_RATE_HZ as usize];
    for block in out.chunks_mut(RUN_SAMPLES) {
        chord.render(block);
        assert!(
            chord.all_accepted(),
            "a partial's run is past the lanes' accuracy"
        );
    }
    let power = out.iter().map(|x| f64::from(*x).powi(2)).sum::<f64>() / out.len() as f64;
    assert!(power.is_finite() && power > 1e-4, "power {power}");
}

/// The engine table's cases, rendered alone for a profiler.
#[derive(Clone, Copy, Debug)]
pub enum Profiled {
    Naive,
    Lanes,
    Banks,
    Unison,
}

/// The case the command line names, if any (`vibrato-naive`, `vibrato-lanes`...).
pub fn profiled(args: &[String]) -> Option<Profiled> {
    args.iter().find_map(|arg| match arg.as_str() {
        "vibrato-naive" => Some(Profiled::Naive),
        "vibrato-lanes" => Some(Profiled::Lanes),
        "vibrato-banks" => Some(Profiled::Banks),
        "vibrato-unison" => Some(Profiled::Unison),
        _ => None,
    })
}

/// Renders `samples` (a second unless given) of `case` in blocks of 512, untimed, in
/// [`render_profiled`] (callgrind counts that function alone with
/// `--toggle-collect='*render_profiled*'`: the settling before it is left out).
pub fn profile(case: Profiled, samples: Option<usize>) {
    let samples = samples.unwrap_or(SAMPLE_RATE_HZ as usize);
    let mut renderer: Renderer = match case {
        Profiled::Naive => {
            let mut naive = NaiveBank::new();
            Box::new(move |out| naive.render(out))
        }
        Profiled::Lanes => engine_renderer(settled_vibrato(1, true), false),
        Profiled::Banks => engine_renderer(settled_vibrato(1, false), false),
        Profiled::Unison => engine_renderer(settled_vibrato(MAX_UNISON, true), true),
    };
    let sum = render_profiled(&mut renderer, samples);
    println!("{case:?}: {samples} samples rendered (sum {sum})");
}

/// Renders `samples` through `renderer` in blocks of 512; the output's sum (so nothing is
/// optimised away).
#[inline(never)]
fn render_profiled(renderer: &mut Renderer, samples: usize) -> f64 {
    let mut block = [0.0f32; 512];
    let mut sum = 0.0;
    for _ in 0..samples.div_ceil(block.len()) {
        renderer(&mut block);
        sum += block.iter().map(|&x| f64::from(x)).sum::<f64>();
    }
    sum
}
