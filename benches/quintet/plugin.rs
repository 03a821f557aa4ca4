//! The whole plugin (release build) hosted through CLAP, stereo, default parameters, against the
//! bare core with the same kernel and block size.

use crate::bank::core_renderer;
use crate::hosted::Timed;
use crate::timing::{RUNS, SAMPLES_PER_RUN, median, verdict};
use quintet::dsp::sine::Kernel;
use quintet_test_host::QuintetHost;
use std::hint::black_box;
use std::time::Instant;

/// Block sizes for the whole-plugin comparison.
const PLUGIN_BLOCK_SIZES: [usize; 2] = [64, 512];
/// Most the whole plugin may cost per sample at 64-sample blocks, relative to the bare core.
const PLUGIN_TARGET: f64 = 2.0;

/// Median nanoseconds per sample inside the plugin's `process` (stereo output, default
/// parameters, the timer's own cost subtracted) at `block` samples, hosted through CLAP,
/// interleaved with the bare core.
fn plugin_against_core(block: usize, timer_ns: f64) -> (f64, f64) {
    let mut plugin = Timed::new(QuintetHost::new(), block);
    let mut core = core_renderer(Kernel::best(), false);
    let mut core_buffer = vec![0.0f32; block];
    let blocks = SAMPLES_PER_RUN.div_ceil(block);
    let samples = (blocks * block) as f64;
    let (mut plugin_runs, mut core_runs) = (Vec::new(), Vec::new());
    for round in 0..=RUNS {
        let plugin_ns = plugin.ns_per_frame(blocks * block, block, None, timer_ns);
        let start = Instant::now();
        for _ in 0..blocks {
            core(black_box(&mut core_buffer));
        }
        let core_ns = start.elapsed().as_secs_f64() * 1e9 / samples;
        if round > 0 {
            plugin_runs.push(plugin_ns);
            core_runs.push(core_ns);
        }
    }
    (median(plugin_runs), median(core_runs))
}

/// Prints the plugin against the bare core for the block sizes `wanted` accepts, then the
/// target. `timer_ns` is the timer's own cost per `process` call, subtracted.
pub fn run(wanted: impl Fn(usize) -> bool, timer_ns: f64) {
    println!();
    println!(
        "Whole plugin (release build) through a CLAP host, stereo, default parameters, against \
         the bare core ({timer_ns:.0} ns of timer cost per process call subtracted):"
    );
    println!(
        "{:>6} {:>10} {:>10} {:>12}",
        "block", "plugin ns", "core ns", "plugin/core"
    );
    for block in PLUGIN_BLOCK_SIZES
        .into_iter()
        .filter(|&block| wanted(block))
    {
        let (plugin_ns, core_ns) = plugin_against_core(block, timer_ns);
        let ratio = plugin_ns / core_ns;
        println!("{block:>6} {plugin_ns:>10.3} {core_ns:>10.3} {ratio:>11.2}×");
        if block == 64 {
            println!(
                "  whole plugin at 64 samples: {ratio:.2}× the bare core (≤ {PLUGIN_TARGET}×: {})",
                verdict(ratio <= PLUGIN_TARGET)
            );
        }
    }
}
