//! Plugins hosted through CLAP (the `quintet-test-host` crate) and timed inside `process` only:
//! Quintet's release build, and the naive plugin (examples/naive_plugin.rs) on the same
//! framework.

use crate::timing::{SAMPLE_RATE_HZ, median};
use quintet::dsp::{DEFAULT_FREQUENCIES_HZ, PARTIAL_COUNT};
use quintet_test_host::{ClapId, HostEvent, ParamChange, QuintetHost, blocks_of};
use std::cell::Cell;
use std::hint::black_box;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

/// Nanoseconds spent inside the plugin's `process`, summed by [`time_process`].
static PROCESS_NANOS: AtomicU64 = AtomicU64::new(0);

thread_local! {
    static PROCESS_STARTED: Cell<Option<Instant>> = const { Cell::new(None) };
}

/// The CLAP host's process hook: times each `process` call and nothing of the host around it.
fn time_process(starting: bool) {
    PROCESS_STARTED.with(|started| {
        if starting {
            started.set(Some(Instant::now()));
        } else if let Some(start) = started.take() {
            PROCESS_NANOS.fetch_add(start.elapsed().as_nanos() as u64, Ordering::Relaxed);
        }
    });
}

/// The time one `Instant::now()` adds to an interval it closes, in nanoseconds: the median gap
/// between two back-to-back calls. Each timed `process` call carries one such cost.
pub fn timer_overhead_ns() -> f64 {
    median(
        (0..100_000)
            .map(|_| {
                let start = Instant::now();
                black_box(Instant::now()).duration_since(start).as_nanos() as f64
            })
            .collect(),
    )
}

/// Frames rendered between two main-thread idle calls of the host (which drain nice-plug's GUI
/// task queue, 4096 tasks, as a DAW's idle loop does).
const CHUNK_FRAMES: usize = 4096;

/// The naive baseline plugin (examples/naive_plugin.rs), built in release if it is missing.
pub fn naive_plugin_path() -> std::path::PathBuf {
    let exe = std::env::current_exe().expect("the bench's path");
    let release = exe
        .parent()
        .and_then(std::path::Path::parent)
        .expect("target/release/deps");
    let path = release.join("examples").join(format!(
        "{}naive_plugin{}",
        std::env::consts::DLL_PREFIX,
        std::env::consts::DLL_SUFFIX
    ));
    let status = std::process::Command::new(env!("CARGO"))
        .args([
            "build",
            "--release",
            "--example",
            "naive_plugin",
            "--manifest-path",
        ])
        .arg(concat!(env!("CARGO_MANIFEST_DIR"), "/Cargo.toml"))
        .status()
        .expect("running cargo to build the naive baseline plugin");
    assert!(status.success(), "building examples/naive_plugin.rs");
    path
}

/// One plugin hosted for timing, with the two normalized values its five
/// frequency parameters alternate between (200–400 Hz and 1 % above: every event starts a glide).
pub struct Timed {
    host: QuintetHost,
    frequencies: Vec<(ClapId, [f64; 2])>,
}

impl Timed {
    pub fn new(mut host: QuintetHost, block: usize) -> Self {
        host.set_process_hook(time_process);
        host.activate(SAMPLE_RATE_HZ, block);
        let ids: Vec<ClapId> = host
            .params()
            .iter()
            .take(PARTIAL_COUNT)
            .map(|p| p.id)
            .collect();
        let frequencies = ids
            .into_iter()
            .zip(DEFAULT_FREQUENCIES_HZ)
            .map(|(id, hz)| {
                let mut at = |hz: f64| {
                    host.text_to_value(id, &format!("{hz:.1} Hz"))
                        .expect("a frequency the plugin parses")
                };
                (id, [at(hz), at(hz * 1.01)])
            })
            .collect();
        Self { host, frequencies }
    }

    /// The host, to play notes before timing.
    pub fn host(&mut self) -> &mut QuintetHost {
        &mut self.host
    }

    /// Nanoseconds inside `process` per frame for `frames` frames in `block`-frame blocks, with
    /// five events every `spacing` frames. The timer's cost per call is subtracted.
    pub fn ns_per_frame(
        &mut self,
        frames: usize,
        block: usize,
        spacing: Option<usize>,
        timer_ns: f64,
    ) -> f64 {
        let chunk = CHUNK_FRAMES.div_ceil(block) * block;
        let before = PROCESS_NANOS.load(Ordering::Relaxed);
        let mut calls = 0;
        let mut events = Vec::new();
        let mut done = 0;
        while done < frames {
            let len = chunk.min(frames - done);
            events.clear();
            if let Some(spacing) = spacing {
                for frame in (0..len).step_by(spacing) {
                    let which = ((done + frame) / spacing) % 2;
                    for &(param, values) in &self.frequencies {
                        events.push(HostEvent::Value(ParamChange {
                            frame,
                            param,
                            normalized: values[which],
                        }));
                    }
                }
            }
            calls += len.div_ceil(block);
            black_box(self.host.render_events(blocks_of(len, block), &events));
            done += len;
        }
        let process_ns = (PROCESS_NANOS.load(Ordering::Relaxed) - before) as f64;
        (process_ns - timer_ns * calls as f64) / frames as f64
    }
}
