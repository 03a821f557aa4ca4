//! Dense automation: Quintet and a naive plugin on the same framework (examples/naive_plugin.rs),
//! both hosted through CLAP, at 1- to 512-sample blocks, steady and with five parameter events
//! (the five frequencies, alternating by 1 % so each starts a glide) every 64, 16 or 1 samples
//! (every sample: the framework then splits any block into 1-sample blocks, each with five
//! events); the targets for them.

use crate::hosted::{Timed, naive_plugin_path};
use crate::timing::{RUNS, SAMPLES_PER_RUN, median, verdict};
use quintet_test_host::QuintetHost;

/// Block sizes for the dense-automation table. One-sample blocks are what hosts and the
/// framework's own splitting at events produce, so Quintet's fixed cost per `process` call is
/// what they measure.
const BLOCK_SIZES: [usize; 4] = [1, 16, 64, 512];
/// How often the five frequency parameters each get an event, in samples (`None`: never), in
/// the table's column order.
pub const EVENT_SPACINGS: [Option<usize>; 4] = [None, Some(64), Some(16), Some(1)];
/// Most 64-sample blocks with five parameter events each may cost per frame, relative to the
/// steady plugin at the same block size.
const EVENTS_64_TARGET: f64 = 3.0;
/// The same for 16-sample blocks with five events each.
const EVENTS_16_TARGET: f64 = 4.0;

/// What to measure.
pub struct Options {
    /// Time Quintet alone, so a profiler sees nothing of the naive plugin (both carry
    /// nice-plug's symbols).
    pub quintet_only: bool,
    /// The columns of [`EVENT_SPACINGS`] to measure; the others print as "-".
    pub spacings: [bool; 4],
}

/// One block size of the table: ns per frame steady, with events every 64, 16 and 1 samples
/// (NaN where not measured).
struct Row {
    block: usize,
    quintet: [f64; 4],
    naive: [f64; 4],
}

/// Prints the table for the block sizes `wanted` accepts, then the targets. `timer_ns` is the
/// timer's own cost per `process` call, subtracted.
pub fn run(wanted: impl Fn(usize) -> bool, timer_ns: f64, options: &Options) {
    let naive_path = (!options.quintet_only).then(naive_plugin_path);
    let naive_id = c"org.quintet.naive-baseline";
    println!();
    println!(
        "Dense automation: whole plugins through a CLAP host, ns per frame (stereo), with five \
         parameter events every 64, 16 or 1 samples; naive = examples/naive_plugin.rs on the \
         same framework:"
    );
    println!(
        "{:>6} {:>14} {:>14} {:>14} {:>14} {:>12} {:>12}",
        "block",
        "steady Q/naive",
        "ev 64 Q/naive",
        "ev 16 Q/naive",
        "ev 1 Q/naive",
        "ev64/steady",
        "ev16/steady"
    );
    let mut rows = Vec::new();
    for block in BLOCK_SIZES.into_iter().filter(|&block| wanted(block)) {
        // Fewer frames for small blocks: a one-sample block costs the host as much as the plugin.
        let frames = (SAMPLES_PER_RUN / 8).min(8192 * block);
        let mut quintet = Timed::new(QuintetHost::new(), block);
        let mut naive = naive_path
            .as_ref()
            // SAFETY: `naive_path` is examples/naive_plugin.rs built by cargo, a nice-plug plugin.
            .map(|path| Timed::new(unsafe { QuintetHost::load(path, naive_id) }, block));
        let mut runs = [(); 8].map(|_| Vec::new());
        for round in 0..=RUNS {
            for (k, &spacing) in EVENT_SPACINGS.iter().enumerate() {
                if !options.spacings[k] {
                    continue;
                }
                let q = quintet.ns_per_frame(frames, block, spacing, timer_ns);
                let n = naive.as_mut().map_or(f64::NAN, |naive| {
                    naive.ns_per_frame(frames, block, spacing, timer_ns)
                });
                if round > 0 {
                    runs[2 * k].push(q);
                    runs[2 * k + 1].push(n);
                }
            }
        }
        let medians = runs.map(|runs| {
            if runs.is_empty() {
                f64::NAN
            } else {
                median(runs)
            }
        });
        let cell = |k: usize| match (medians[2 * k], medians[2 * k + 1]) {
            (q, _) if q.is_nan() => "-".to_string(),
            (q, n) if n.is_nan() => format!("{q:.1}"),
            (q, n) => format!("{q:.1}/{n:.1}"),
        };
        println!(
            "{block:>6} {:>14} {:>14} {:>14} {:>14} {:>11.2}× {:>11.2}×",
            cell(0),
            cell(1),
            cell(2),
            cell(3),
            medians[2] / medians[0],
            medians[4] / medians[0]
        );
        rows.push(Row {
            block,
            quintet: std::array::from_fn(|k| medians[2 * k]),
            naive: std::array::from_fn(|k| medians[2 * k + 1]),
        });
    }
    print_targets(&rows);
}

/// Prints each target this run measured, with whether it is met.
fn print_targets(rows: &[Row]) {
    for row in rows {
        let [steady, every_64, every_16, _] = row.quintet;
        let against_steady = |target: f64, spacing: usize, events: f64| {
            let ratio = events / steady;
            if ratio.is_finite() {
                println!(
                    "  events every {spacing} at {spacing}-sample blocks: {ratio:.2}× steady \
                     (≤ {target}×: {})",
                    verdict(ratio <= target)
                );
            }
        };
        match row.block {
            64 => against_steady(EVENTS_64_TARGET, 64, every_64),
            16 => against_steady(EVENTS_16_TARGET, 16, every_16),
            _ => {}
        }
        let ratios: Vec<f64> = (0..EVENT_SPACINGS.len())
            .map(|k| row.quintet[k] / row.naive[k])
            .filter(|ratio| ratio.is_finite())
            .collect();
        if !ratios.is_empty() {
            println!(
                "  {}-sample blocks: never slower than the naive plugin ({}): {}",
                row.block,
                ratios
                    .iter()
                    .map(|ratio| format!("{ratio:.2}×"))
                    .collect::<Vec<_>>()
                    .join(" / "),
                verdict(ratios.iter().all(|&ratio| ratio <= 1.0))
            );
        }
    }
}
