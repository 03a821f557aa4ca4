//! How fast Quintet's DSP core renders, against baselines measured in the same run.
//!
//! `cargo bench --bench bank` prints, per block size, nanoseconds per output sample (all five
//! partials) and the speed-up over the naive oscillator most example plugins use. Timings are
//! medians of repeated runs; the machine is shared, so compare ratios, not absolute numbers.

use quintet::dsp::{DEFAULT_FREQUENCIES_HZ, PARTIAL_COUNT, PartialBank};
use std::hint::black_box;
use std::time::{Duration, Instant};

const SAMPLE_RATE_HZ: f64 = 48_000.0;
/// Block sizes a host typically uses.
const BLOCK_SIZES: [usize; 3] = [64, 512, 4096];
/// Samples rendered per timed run.
const SAMPLES_PER_RUN: usize = 1 << 18;
/// Timed runs per measurement; the median is reported.
const RUNS: usize = 15;

/// The usual example-plugin oscillator: an `f32` phase and `f32::sin` per partial per sample.
struct NaiveBank {
    phases: [f32; PARTIAL_COUNT],
    increments: [f32; PARTIAL_COUNT],
}

impl NaiveBank {
    fn new() -> Self {
        Self {
            phases: [0.0; PARTIAL_COUNT],
            increments: DEFAULT_FREQUENCIES_HZ.map(|hz| (hz / SAMPLE_RATE_HZ) as f32),
        }
    }

    fn render(&mut self, out: &mut [f32]) {
        for sample in out.iter_mut() {
            let mut sum = 0.0;
            for (phase, increment) in self.phases.iter_mut().zip(self.increments) {
                sum += (std::f32::consts::TAU * *phase).sin() * 0.2;
                *phase += increment;
                if *phase >= 1.0 {
                    *phase -= 1.0;
                }
            }
            *sample = sum;
        }
    }
}

/// A renderer under test: called with one block at a time.
type Renderer<'a> = Box<dyn FnMut(&mut [f32]) + 'a>;

/// Nanoseconds per sample of each renderer on blocks of `block` samples: the median over
/// [`RUNS`] rounds, each round timing every renderer once in turn, so a burst of load from
/// elsewhere on the machine hits all of them alike.
fn time_per_sample(block: usize, renderers: &mut [Renderer]) -> Vec<f64> {
    let mut buffer = vec![0.0f32; block];
    let blocks_per_run = SAMPLES_PER_RUN.div_ceil(block);
    let mut run = |render: &mut Renderer| {
        let start = Instant::now();
        for _ in 0..blocks_per_run {
            render(black_box(&mut buffer));
        }
        black_box(&buffer);
        start.elapsed()
    };
    let mut runs: Vec<Vec<Duration>> = vec![Vec::new(); renderers.len()];
    for round in 0..=RUNS {
        for (render, times) in renderers.iter_mut().zip(&mut runs) {
            let elapsed = run(render);
            if round > 0 {
                times.push(elapsed); // round 0 only warms caches and branch predictors
            }
        }
    }
    runs.into_iter()
        .map(|mut times| {
            times.sort();
            times[RUNS / 2].as_secs_f64() * 1e9 / (blocks_per_run * block) as f64
        })
        .collect()
}

/// Targets for the bank (each a glide to a new pitch every block), alternating so every block
/// starts a fresh glide.
fn glide_targets(block_index: usize) -> [f64; PARTIAL_COUNT] {
    let up = block_index.is_multiple_of(2);
    DEFAULT_FREQUENCIES_HZ.map(|hz| if up { hz * 1.5 } else { hz })
}

fn main() {
    println!(
        "Quintet DSP core, 5 partials at {SAMPLE_RATE_HZ} Hz; ns per output sample (median of {RUNS} runs of {SAMPLES_PER_RUN} samples)"
    );
    println!(
        "{:>6}  {:>10} {:>10} {:>10} {:>10}  {:>12} {:>12}",
        "block", "naive", "floor", "steady", "gliding", "steady ×", "gliding ×"
    );
    // `cargo bench --bench bank -- 512` measures only the block sizes given.
    let chosen: Vec<usize> = std::env::args().filter_map(|a| a.parse().ok()).collect();
    let blocks = BLOCK_SIZES
        .into_iter()
        .filter(|b| chosen.is_empty() || chosen.contains(b));
    for block in blocks {
        let mut naive = NaiveBank::new();
        let mut steady = PartialBank::new(SAMPLE_RATE_HZ, DEFAULT_FREQUENCIES_HZ);
        let mut gliding = PartialBank::new(SAMPLE_RATE_HZ, DEFAULT_FREQUENCIES_HZ);
        let mut block_index = 0;
        let mut renderers: Vec<Renderer> = vec![
            Box::new(|out| naive.render(out)),
            Box::new(|out| out.fill(black_box(0.25))),
            Box::new(|out| steady.render(out)),
            Box::new(|out| {
                for (index, hz) in glide_targets(block_index).into_iter().enumerate() {
                    gliding.glide_to(index, hz);
                }
                block_index += 1;
                gliding.render(out);
            }),
        ];
        let ns = time_per_sample(block, &mut renderers);
        let [naive_ns, floor_ns, steady_ns, gliding_ns] = [ns[0], ns[1], ns[2], ns[3]];
        println!(
            "{block:>6}  {naive_ns:>10.3} {floor_ns:>10.3} {steady_ns:>10.3} {gliding_ns:>10.3}  {:>11.1}× {:>11.1}×",
            naive_ns / steady_ns,
            naive_ns / gliding_ns
        );
    }
}
