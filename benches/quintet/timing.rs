//! Timing shared by every subject: interleaved runs, medians, and the verdict a target prints.

use std::hint::black_box;
use std::time::{Duration, Instant};

/// The sample rate every subject renders at, in Hz.
pub const SAMPLE_RATE_HZ: f64 = 48_000.0;
/// Samples rendered per timed run.
pub const SAMPLES_PER_RUN: usize = 1 << 18;
/// Timed runs per measurement; the median is reported.
pub const RUNS: usize = 15;

/// A renderer under test: called with one block at a time.
pub type Renderer<'a> = Box<dyn FnMut(&mut [f32]) + 'a>;

/// Nanoseconds per sample of each renderer on blocks of `block` samples: the median over
/// [`RUNS`] rounds, each round timing every renderer once in turn, so a burst of load from
/// elsewhere on the machine hits all of them alike.
pub fn time_per_sample(block: usize, renderers: &mut [Renderer]) -> Vec<f64> {
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

/// The middle value of `runs` (the upper one of the two middle values for an even count).
pub fn median(mut runs: Vec<f64>) -> f64 {
    runs.sort_by(f64::total_cmp);
    runs[runs.len() / 2]
}

/// "met" or "NOT met", as the targets print it.
pub fn verdict(met: bool) -> &'static str {
    if met { "met" } else { "NOT met" }
}
