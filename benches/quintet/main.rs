//! How fast Quintet renders, against baselines measured in the same run: one harness, one module
//! per subject.
//!
//! `cargo bench --bench quintet` runs every subject; name some to run only those, and give block
//! sizes to measure only those (`cargo bench --bench quintet -- dense 64 16`):
//!
//! - `bank` ([`bank`]): the DSP core with each sine kernel, steady and gliding, against the naive
//!   oscillator and the memory floor.
//! - `plugin` ([`plugin`]): the whole plugin through a CLAP host against the bare core.
//! - `engine` ([`engine`]): the instrument holding a 16-note chord, one note or none, and the
//!   drone, against one naive voice and the bare bank.
//! - `dense` ([`dense`]): dense automation, Quintet against a naive plugin on the same framework;
//!   `quintet` times Quintet alone (for a profiler), `steady`, `every64`, `every16` and `every1`
//!   only those columns.
//! - `kernels` ([`kernels`]): each sine kernel alone.
//! - `vibrato` ([`vibrato`]): 16 held notes under vibrato, and with four unison copies each,
//!   through the chirp lanes, against one naive voice; then the same chord through the engine,
//!   the chirp lanes on and off. `vibrato-naive`, `vibrato-lanes`, `vibrato-banks` and
//!   `vibrato-unison` render only that case of the engine table, untimed (a number: that many
//!   samples, 48,000 unless given), for a profiler.
//! - `tuning` ([`tuning`]): 16 held notes under a Scala scale against 12-TET.
//! - `mts` ([`mts`]): the plugin holding 16 notes with an MTS-ESP master connected (a stand-in)
//!   against none, at 64-sample blocks.
//!
//! Each subject prints its targets with whether this run meets them. Timings are medians of
//! interleaved runs; the machine is shared, so read the ratios, not the absolute numbers.

mod bank;
mod dense;
mod engine;
mod hosted;
mod kernels;
mod mts;
mod naive;
mod plugin;
mod timing;
mod tuning;
mod vibrato;

/// The subjects, in the order a full run prints them.
const SUBJECTS: [&str; 8] = [
    "bank", "plugin", "engine", "dense", "kernels", "vibrato", "tuning", "mts",
];

fn main() {
    mts::point_library_at_link();
    let args: Vec<String> = std::env::args().skip(1).collect();
    let has = |word: &str| args.iter().any(|arg| arg == word);
    let blocks: Vec<usize> = args.iter().filter_map(|arg| arg.parse().ok()).collect();
    let wanted = |block: usize| blocks.is_empty() || blocks.contains(&block);
    if let Some(case) = vibrato::profiled(&args) {
        // One case, untimed, for a profiler (see `vibrato::profile`).
        vibrato::profile(case, blocks.first().copied());
        return;
    }
    let all = !SUBJECTS.iter().any(|subject| has(subject));
    let run = |subject: &str| all || has(subject);

    // The timer's own cost, subtracted from every timed `process` call.
    let timer_ns = (run("plugin") || run("dense") || run("mts")).then(hosted::timer_overhead_ns);
    if run("bank") {
        bank::run(wanted);
    }
    if let (true, Some(timer_ns)) = (run("plugin"), timer_ns) {
        plugin::run(wanted, timer_ns);
    }
    if run("engine") {
        engine::run(wanted);
    }
    if let (true, Some(timer_ns)) = (run("dense"), timer_ns) {
        let columns = ["steady", "every64", "every16", "every1"];
        let any_column = columns.iter().any(|column| has(column));
        let options = dense::Options {
            quintet_only: has("quintet"),
            spacings: columns.map(|column| !any_column || has(column)),
        };
        dense::run(wanted, timer_ns, &options);
    }
    if run("kernels") {
        kernels::run();
    }
    if run("vibrato") {
        vibrato::run(wanted);
    }
    if run("tuning") {
        tuning::run(wanted);
    }
    if let (true, Some(timer_ns)) = (run("mts"), timer_ns) {
        mts::run(timer_ns);
    }
}
