//! Real-time safety in every build profile: `process` never allocates or frees after activation.
//!
//! nice-plug's `assert_process_allocs` guards only debug builds, and a `#[global_allocator]` in
//! this test binary would not see the plugin's allocations (the `.clap` is a separate library with
//! its own Rust allocator). So the test re-runs itself with a counting malloc shim preloaded
//! (tests/rt_alloc/count_malloc.c, built with the system C compiler): every allocator in the
//! process ends in malloc/free, the plugin's too. The host's process hook arms the count on the
//! audio thread right around each `process` call.
//!
//! nice-plug allocates a few times once per audio thread, under its own `permit_alloc` (see
//! [`ONE_TIME_PER_THREAD`]); the test allows exactly that and nothing that grows with a session.
//!
//! `cargo test --release --test rt_alloc` checks the release build of the plugin (the test then
//! loads the release `libquintet.so` built next to it); `QUINTET_CLAP_PATH` picks any binary.

use quintet_test_host::random::{HOSTILE_VALUES, Rng};
use quintet_test_host::{HostEvent, MidiMessage, ParamChange, QuintetHost};
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

/// Allocations and frees counted inside `process` calls, summed over the calls.
static IN_PROCESS_ALLOCATIONS: AtomicU64 = AtomicU64::new(0);
static IN_PROCESS_FREES: AtomicU64 = AtomicU64::new(0);
static PROCESS_CALLS: AtomicU64 = AtomicU64::new(0);

/// Allocations nice-plug makes once per audio thread, under its own `permit_alloc`: std's
/// `thread::current()` handle, created on the first parameter change (`is_main_thread` when
/// scheduling the GUI update), and in debug builds `assert_no_alloc`'s thread-local counter on
/// the first call. Found with a backtrace from the shim; none recurs.
const ONE_TIME_PER_THREAD: u64 = 4;

fn counting_hook(starting: bool) {
    let shim = shim();
    if starting {
        (shim.count)(1);
    } else {
        (shim.count)(0);
        IN_PROCESS_ALLOCATIONS.fetch_add((shim.allocations)(), Ordering::SeqCst);
        IN_PROCESS_FREES.fetch_add((shim.frees)(), Ordering::SeqCst);
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
fn process_never_allocates_or_frees_after_activation() {
    if std::env::var_os(CHILD_ENV).is_none() {
        let shim = build_shim();
        let status = Command::new(std::env::current_exe().unwrap())
            .args(["--exact", TEST_NAME, "--nocapture"])
            .env("LD_PRELOAD", &shim)
            .env(CHILD_ENV, "1")
            .status()
            .expect("re-running the test with the shim");
        assert!(status.success(), "the test under the malloc shim failed");
        return;
    }
    let shim = shim();
    eprintln!(
        "plugin under test: {}",
        quintet_test_host::plugin_path().display()
    );

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

    // 4. The real check: sessions of hostile automation and modulation with every block size,
    //    each on its own audio thread. Only nice-plug's one-time per-thread set-up may allocate,
    //    so the count must not grow with the session's length. Each parameter change also queues
    //    a GUI task that the host's main thread drains between renders; past the queue's
    //    capacity a debug build logs (and allocates) for every dropped task, so a session stays
    //    below a few thousand events, as one between two main-thread idle calls of a DAW does.
    host.deactivate();
    host.set_process_hook(counting_hook);
    host.activate(44_100.0, 4096);
    let ids: Vec<_> = host.params().iter().map(|p| p.id).collect();
    let mut rng = Rng::new(0xa110_c001);
    for rounds in [10, 60] {
        let (mut blocks, mut events) = (Vec::new(), Vec::new());
        let mut start = 0;
        for _ in 0..rounds {
            let round: Vec<usize> = (0..rng.below(8) + 1)
                .map(|_| rng.pick(&[1, 2, 17, 64, 441, 512, 4096]))
                .collect();
            let total: usize = round.iter().sum();
            for _ in 0..rng.below(100) {
                let change = ParamChange {
                    frame: start + rng.below(total),
                    param: rng.pick(&ids),
                    normalized: if rng.below(4) == 0 {
                        rng.pick(&HOSTILE_VALUES)
                    } else {
                        rng.unit()
                    },
                };
                events.push(if rng.below(3) == 0 {
                    HostEvent::Mod(change)
                } else {
                    HostEvent::Value(change)
                });
            }
            // MIDI too: notes, wheel and the control changes MIDI mode answers to (the random
            // parameter changes above switch MIDI mode on and off).
            for _ in 0..rng.below(60) {
                let frame = start + rng.below(total);
                let note = rng.below(128) as u8;
                events.push(match rng.below(5) {
                    0 | 1 => MidiMessage::note_on(frame, note, rng.below(128) as u8),
                    2 => MidiMessage::note_off(frame, note),
                    3 => MidiMessage::pitch_bend(frame, rng.below(16_384) as u16),
                    _ => MidiMessage::control_change(
                        frame,
                        rng.pick(&[
                            MidiMessage::SUSTAIN_PEDAL,
                            MidiMessage::ALL_SOUND_OFF,
                            MidiMessage::RESET_ALL_CONTROLLERS,
                            MidiMessage::ALL_NOTES_OFF,
                            MidiMessage::MODULATION_WHEEL,
                        ]),
                        rng.below(128) as u8,
                    ),
                });
            }
            blocks.extend(round);
            start += total;
        }
        host.render_events(blocks, &events);
        let (allocations, frees, calls) = take_counts();
        eprintln!(
            "rt_alloc: {rounds} rounds, {calls} process calls, {start} frames, {} events on one \
             audio thread: {allocations} allocations, {frees} frees",
            events.len()
        );
        assert!(calls >= rounds as u64, "only {calls} process calls");
        assert!(
            allocations <= ONE_TIME_PER_THREAD,
            "process allocated {allocations} times in {calls} calls"
        );
        assert_eq!(frees, 0, "process freed memory");
    }
}
