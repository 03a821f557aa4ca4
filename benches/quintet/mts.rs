//! MTS-ESP's per-block poll: the whole plugin holding a 16-note chord with a master connected
//! (the stand-in `libMTS`, tests/mts-stand-in/, every key where 12-TET puts it, so both play the
//! same notes) against the same plugin with no MTS-ESP library, at 64-sample blocks.

use crate::hosted::Timed;
use crate::timing::{RUNS, SAMPLES_PER_RUN, median, verdict};
use quintet_test_host::mts::{STAND_IN, StandIn, built_library, library_link, link_library};
use quintet_test_host::{HostEvent, NoteMessage, QuintetHost, blocks_of};

/// The block size the target is for.
const BLOCK: usize = 64;
/// Most a connected master may add, relative to no MTS-ESP (the target: 2 %).
const MTS_TARGET: f64 = 1.02;

/// Points the plugin's `QUINTET_MTS_LIBRARY` at the link the subject points at a library of its
/// choice; the link names nothing until then, so every other subject runs without MTS-ESP.
/// Called at the top of `main`, while the process has one thread (only then is setting the
/// environment sound).
pub fn point_library_at_link() {
    link_library(&library_link().with_file_name("none"));
    // SAFETY: called first thing in `main`, before any thread starts.
    unsafe { std::env::set_var(quintet::mts::LIBRARY_ENV, library_link()) };
}

/// A plugin in MIDI mode with 16 voices holding 16 notes, activated while the link names
/// `library`, timed at [`BLOCK`] samples.
fn holding_chord(library: &std::path::Path) -> Timed {
    link_library(library);
    let mut host = QuintetHost::new();
    host.flush_midi_mode(16);
    let mut timed = Timed::new(host, BLOCK);
    let chord: Vec<HostEvent> = (0..16)
        .map(|n| NoteMessage::on(0, 48 + 2 * n, 1.0))
        .collect();
    // Past the attack and decay: the notes hold, as in the engine's 16-note benchmark.
    timed.host().render_events(blocks_of(24_000, BLOCK), &chord);
    timed
}

pub fn run(timer_ns: f64) {
    let master = StandIn::load();
    master.reset();
    master.set_master(true);
    let mut with = holding_chord(&built_library(STAND_IN));
    let mut without = holding_chord(&library_link().with_file_name("none"));
    let frames = SAMPLES_PER_RUN.div_ceil(BLOCK) * BLOCK;
    let (mut with_runs, mut without_runs) = (Vec::new(), Vec::new());
    for round in 0..=RUNS {
        let with_ns = with.ns_per_frame(frames, BLOCK, None, timer_ns);
        let without_ns = without.ns_per_frame(frames, BLOCK, None, timer_ns);
        if round > 0 {
            with_runs.push(with_ns);
            without_runs.push(without_ns);
        }
    }
    let (with_ns, without_ns) = (median(with_runs), median(without_runs));
    let ratio = with_ns / without_ns;
    println!();
    println!(
        "MTS-ESP: the whole plugin holding 16 notes at {BLOCK}-sample blocks, a master connected \
         (stand-in libMTS) against no MTS-ESP library ({timer_ns:.0} ns of timer cost per \
         process call subtracted):"
    );
    println!("{:>12} {:>12} {:>10}", "master ns", "none ns", "ratio");
    println!("{with_ns:>12.3} {without_ns:>12.3} {ratio:>9.4}×");
    println!(
        "  polling the master each block: {:+.2} % (≤ {:+.0} %: {})",
        (ratio - 1.0) * 100.0,
        (MTS_TARGET - 1.0) * 100.0,
        verdict(ratio <= MTS_TARGET)
    );
}
