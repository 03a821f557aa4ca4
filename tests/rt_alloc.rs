//! Real-time safety in every build profile: `process` never allocates or frees after activation.
//!
//! nice-plug's `assert_process_allocs` guards only debug builds, and a `#[global_allocator]` in
//! this test binary would not see the plugin's allocations (the `.clap` is a separate library with
//! its own Rust allocator). So the test re-runs itself with a counting malloc shim preloaded
//! (tests/rt_alloc/count_malloc.c, built with the system C compiler): every allocator in the
//! process ends in malloc/free, the plugin's too. The host's process hook arms the count on the
//! audio thread right around each `process` call.
//!
//! Status: the check fails today: after each audio thread's first call, about one `process`
//! call in ten still allocates (0 frees), in debug and release alike, while Quintet's own
//! `process` runs under `assert_process_allocs` in debug builds without tripping it, so the
//! allocations are in the CLAP wrapper around it. The test is ignored by default until that is
//! traced (docs/RELIABILITY.md); run it with `cargo test --test rt_alloc -- --ignored`.
//!
//! `cargo test --release --test rt_alloc -- --ignored` checks the release build of the plugin (the test then
//! loads the release `libquintet.so` built next to it); `QUINTET_CLAP_PATH` picks any binary.

mod common;

use common::host::{HostEvent, ParamChange, QuintetHost};
use common::random::{HOSTILE_VALUES, Rng};
use std::cell::Cell;
use std::path::PathBuf;
use std::process::Command;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU64, Ordering};

/// Set in the child process that runs with the shim preloaded.
const CHILD_ENV: &str = "QUINTET_RT_ALLOC_CHILD";
const TEST_NAME: &str = "process_never_allocates_or_frees_after_activation";

/// The shim's counters, found in this process by name.
struct Shim {
    count: extern "C" fn(i32),
    allocations: extern "C" fn() -> u64,
    frees: extern "C" fn() -> u64,
}

fn shim() -> &'static Shim {
    static SHIM: OnceLock<Shim> = OnceLock::new();
    SHIM.get_or_init(|| {
        let this = libloading::os::unix::Library::this();
        // SAFETY: the preloaded shim defines these with exactly these C signatures.
        let shim = unsafe {
            Shim {
                count: *this
                    .get(b"quintet_count_allocations\0")
                    .expect("the shim is preloaded"),
                allocations: *this.get(b"quintet_counted_allocations\0").unwrap(),
                frees: *this.get(b"quintet_counted_frees\0").unwrap(),
            }
        };
        // The symbols stay valid for the life of the process: never unload this handle.
        std::mem::forget(this);
        shim
    })
}

/// Allocations and frees counted inside `process` calls after the first on each audio thread,
/// summed over all of them.
static IN_PROCESS_ALLOCATIONS: AtomicU64 = AtomicU64::new(0);
static IN_PROCESS_FREES: AtomicU64 = AtomicU64::new(0);
static PROCESS_CALLS: AtomicU64 = AtomicU64::new(0);
/// Allocations in the first `process` call on each audio thread (see the test's last step).
static FIRST_CALL_ALLOCATIONS: AtomicU64 = AtomicU64::new(0);
static AUDIO_THREADS: AtomicU64 = AtomicU64::new(0);

thread_local! {
    /// `process` calls counted on this thread so far.
    static CALLS_ON_THIS_THREAD: Cell<u64> = const { Cell::new(0) };
}

fn counting_hook(starting: bool) {
    let shim = shim();
    if starting {
        (shim.count)(1);
        return;
    }
    (shim.count)(0);
    let (allocations, frees) = ((shim.allocations)(), (shim.frees)());
    let first = CALLS_ON_THIS_THREAD.replace(CALLS_ON_THIS_THREAD.get() + 1) == 0;
    if first {
        FIRST_CALL_ALLOCATIONS.fetch_add(allocations, Ordering::SeqCst);
        AUDIO_THREADS.fetch_add(1, Ordering::SeqCst);
    } else {
        IN_PROCESS_ALLOCATIONS.fetch_add(allocations, Ordering::SeqCst);
        IN_PROCESS_FREES.fetch_add(frees, Ordering::SeqCst);
        PROCESS_CALLS.fetch_add(1, Ordering::SeqCst);
    }
}

/// The same hook with a deliberate allocation in the counted window: proves the count works.
fn allocating_hook(starting: bool) {
    counting_hook(starting);
    if starting {
        std::hint::black_box(Box::new(std::hint::black_box(7u64)));
    }
}

fn take_counts() -> (u64, u64, u64) {
    (
        IN_PROCESS_ALLOCATIONS.swap(0, Ordering::SeqCst),
        IN_PROCESS_FREES.swap(0, Ordering::SeqCst),
        PROCESS_CALLS.swap(0, Ordering::SeqCst),
    )
}

fn build_shim() -> PathBuf {
    let source = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/rt_alloc/count_malloc.c");
    let library = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("libquintet_count_malloc.so");
    let status = Command::new(std::env::var("CC").unwrap_or_else(|_| "cc".to_owned()))
        .args(["-shared", "-fPIC", "-O2", "-Wall", "-Werror", "-o"])
        .arg(&library)
        .arg(&source)
        .status()
        .expect("a C compiler (cc) to build the malloc shim");
    assert!(status.success(), "building {}", source.display());
    library
}

#[test]
#[ignore = "nice-plug 0.4.2's CLAP wrapper allocates in some process calls (docs/RELIABILITY.md); \
            run with --ignored"]
fn process_never_allocates_or_frees_after_activation() {
    if std::env::var_os(CHILD_ENV).is_none() {
        let shim = build_shim();
        let status = Command::new(std::env::current_exe().unwrap())
            .args(["--exact", TEST_NAME, "--include-ignored", "--nocapture"])
            .env("LD_PRELOAD", &shim)
            .env(CHILD_ENV, "1")
            .status()
            .expect("re-running the test with the shim");
        assert!(status.success(), "the test under the malloc shim failed");
        return;
    }
    let shim = shim();
    eprintln!("plugin under test: {}", common::plugin_path().display());

    // 1. The shim counts this thread's allocations while armed, and only then.
    (shim.count)(1);
    drop(std::hint::black_box(Vec::<u8>::with_capacity(
        std::hint::black_box(100),
    )));
    (shim.count)(0);
    assert_eq!(((shim.allocations)(), (shim.frees)()), (1, 1));

    // 2. It sees what the plugin library allocates: loading a state reads it into a buffer the
    //    plugin allocates.
    let mut host = QuintetHost::new();
    host.activate(48_000.0, 512);
    let state = host.save_state();
    (shim.count)(1);
    host.load_state(&state).expect("its own state loads");
    (shim.count)(0);
    let plugin_allocations = (shim.allocations)();
    assert!(
        plugin_allocations > 0,
        "the plugin's allocations are unseen"
    );

    // 3. An allocation inside the counted window around `process` is caught, once per call.
    host.set_process_hook(allocating_hook);
    host.render(4096, &[]);
    let (allocations, frees, calls) = take_counts();
    assert_eq!(
        (allocations, frees),
        (calls, calls),
        "the deliberate allocation"
    );

    // 4. The real check: ten seconds of hostile automation and modulation, every block size.
    host.deactivate();
    host.set_process_hook(counting_hook);
    host.activate(44_100.0, 4096);
    let ids: Vec<_> = host.params().iter().map(|p| p.id).collect();
    let mut rng = Rng::new(0xa110_c001);
    let mut frames = 0;
    for _ in 0..100 {
        let blocks: Vec<usize> = (0..rng.below(8) + 1)
            .map(|_| rng.pick(&[1, 2, 17, 64, 441, 512, 4096]))
            .collect();
        let total: usize = blocks.iter().sum();
        let events: Vec<HostEvent> = (0..rng.below(200))
            .map(|_| {
                let change = ParamChange {
                    frame: rng.below(total),
                    param: rng.pick(&ids),
                    normalized: if rng.below(4) == 0 {
                        rng.pick(&HOSTILE_VALUES)
                    } else {
                        rng.unit()
                    },
                };
                if rng.below(3) == 0 {
                    HostEvent::Mod(change)
                } else {
                    HostEvent::Value(change)
                }
            })
            .collect();
        host.render_events(blocks, &events);
        frames += total;
    }
    let (allocations, frees, calls) = take_counts();
    let threads = AUDIO_THREADS.load(Ordering::SeqCst);
    let first_call = FIRST_CALL_ALLOCATIONS.load(Ordering::SeqCst);
    eprintln!(
        "rt_alloc: {calls} process calls over {frames} frames after each thread's first: \
         {allocations} allocations, {frees} frees; first calls on {threads} audio threads: \
         {first_call} allocations (state load outside process: {plugin_allocations} seen)"
    );
    // nice-plug's CLAP wrapper polls a zero-capacity crossbeam channel in every `process` (for
    // editor-initiated state loads, under its own `permit_alloc`); crossbeam sets up a
    // per-thread context on the first poll, which allocates once per audio thread. A DAW's audio
    // threads live for the session, so that is bounded; every later call must not allocate.
    assert!(
        first_call <= 4 * threads,
        "{first_call} allocations in the first calls on {threads} threads"
    );
    assert!(calls > 100, "only {calls} process calls");
    assert_eq!(allocations, 0, "process allocated");
    assert_eq!(frees, 0, "process freed memory");
}
