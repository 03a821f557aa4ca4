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

/// Median nanoseconds per sample of `render_block` called on blocks of `block` samples.
fn time_per_sample(block: usize, mut render_block: impl FnMut(&mut [f32])) -> f64 {
    let mut buffer = vec![0.0f32; block];
    let blocks_per_run = SAMPLES_PER_RUN.div_ceil(block);
    let mut run = || {
        let start = Instant::now();
        for _ in 0..blocks_per_run {
            render_block(black_box(&mut buffer));
        }
        black_box(&buffer);
        start.elapsed()
    };
    run(); // warm caches and branch predictors
    let mut runs: Vec<Duration> = (0..RUNS).map(|_| run()).collect();
    runs.sort();
    runs[RUNS / 2].as_secs_f64() * 1e9 / (blocks_per_run * block) as f64
}

/// Targets for the bank (each a glide to a new pitch every block), alternating so every block
/// starts a fresh glide.
fn glide_targets(block_index: usize) -> [f64; PARTIAL_COUNT] {
    let up = block_index % 2 == 0;
    DEFAULT_FREQUENCIES_HZ.map(|hz| if up { hz * 1.5 } else { hz })
}

fn main() {
    println!("Quintet DSP core, 5 partials at {SAMPLE_RATE_HZ} Hz; ns per output sample (median of {RUNS} runs of {SAMPLES_PER_RUN} samples)");
    println!(
        "{:>6}  {:>10} {:>10} {:>10} {:>10}  {:>12} {:>12}",
        "block", "naive", "floor", "steady", "gliding", "steady ×", "gliding ×"
    );
    for block in BLOCK_SIZES {
        let mut naive = NaiveBank::new();
        let naive_ns = time_per_sample(block, |out| naive.render(out));

        let floor_ns = time_per_sample(block, |out| out.fill(black_box(0.25)));

        let mut steady = PartialBank::new(SAMPLE_RATE_HZ, DEFAULT_FREQUENCIES_HZ);
        let steady_ns = time_per_sample(block, |out| steady.render(out));

        let mut gliding = PartialBank::new(SAMPLE_RATE_HZ, DEFAULT_FREQUENCIES_HZ);
        let mut block_index = 0;
        let gliding_ns = time_per_sample(block, |out| {
            for (index, hz) in glide_targets(block_index).into_iter().enumerate() {
                gliding.glide_to(index, hz);
            }
            block_index += 1;
            gliding.render(out);
        });

        println!(
            "{block:>6}  {naive_ns:>10.3} {floor_ns:>10.3} {steady_ns:>10.3} {gliding_ns:>10.3}  {:>11.1}× {:>11.1}×",
            naive_ns / steady_ns,
            naive_ns / gliding_ns
        );
    }
}
