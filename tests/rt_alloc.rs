//! Real-time safety in every build profile: after activation, `process` never frees and never
//! allocates, except for nice-plug's one-time set-up on a new audio thread, and the test proves
//! it by accounting for every allocation by its call stack rather than by a count.
//!
//! nice-plug's `assert_process_allocs` guards only debug builds, and a `#[global_allocator]` in
//! this test binary would not see the plugin's allocations (the `.clap` is a separate library with
//! its own Rust allocator). So the test re-runs itself with a counting malloc shim preloaded
//! (tests/rt_alloc/count_malloc.c, built with the system C compiler): every allocator in the
//! process ends in malloc/free, the plugin's too. The host's process hook arms the shim on the
//! audio thread right around each `process` call, and the shim records the call stack of every
//! allocation and free it counts there. The test symbolizes the stacks (the `backtrace` crate:
//! DWARF where there is debug info, else the symbol table) and attributes each allocation.
//!
//! Only two allocations are allowed, each at most once per audio thread (every render of the
//! host runs on a fresh thread), both made under nice-plug's own `permit_alloc`:
//!
//! - std's handle for the current thread (`std::thread::current::init_current`, an `Arc` of 48
//!   bytes). The plugin links its own copy of std, which knows nothing of a thread the host
//!   created, so the first `thread::current()` on the thread creates one. nice-plug asks for it in
//!   `is_main_thread` when a parameter change schedules a GUI update.
//! - glibc's block for the plugin library's thread-locals on the thread (`__tls_get_addr`, a few
//!   hundred bytes): those of a `dlopen`ed library are allocated lazily, on the thread's first
//!   access to any of them. nice-plug's first access in `process` is `assert_no_alloc`'s counter
//!   in debug builds and the `thread::current()` above in release builds (where `assert_no_alloc`
//!   is compiled out), unless something the host called earlier on the thread got there first
//!   (in debug builds, `start_processing` does).
//!
//! Each is recognised by the frame that allocates *and* by who called it: the first frame past
//! it outside std must be one of those nice-plug functions ([`SET_UPS`]). Anything else fails the
//! test with its backtrace: any allocation by Quintet's own code (one-time or not), an allocation
//! of nice-plug's nobody has looked at, the same set-up twice on one thread, any free.
//!
//! `cargo test --release --test rt_alloc` checks the release build of the plugin (the test then
//! loads the release `libquintet.so` built next to it); `QUINTET_CLAP_PATH` picks any binary. The
//! release plugin has no debug info, only its symbol table, so a frame is named after the
//! outermost function that was not inlined: Quintet code inlined into a nice-plug function would
//! carry that function's name. The attribution holds nonetheless, because the frames the set-up
//! is recognised by are real functions in both builds (`init_current`, `__tls_get_addr`, and
//! nice-plug's `schedule_gui`, into which `is_main_thread` is inlined; in debug builds also
//! `Guard::new` of `assert_no_alloc`), and none of them runs any of Quintet's code. Symbolizing
//! needs the plugin's symbol table, so a stripped plugin would fail with unnamed frames.

use quintet_test_host::random::{HOSTILE_VALUES, Rng, midi_message, note_event};
use quintet_test_host::{HostEvent, ParamChange, QuintetHost};
use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

/// Set in the child process that runs with the shim preloaded.
const CHILD_ENV: &str = "QUINTET_RT_ALLOC_CHILD";
const TEST_NAME: &str = "process_never_allocates_or_frees_after_activation";

/// Return addresses kept per recorded call (`MAX_FRAMES` in the shim).
const MAX_FRAMES: usize = 64;

/// One allocation or free the shim counted, as it recorded it (`struct quintet_stack`).
#[repr(C)]
#[derive(Clone, Copy)]
struct RecordedStack {
    /// The thread's serial number in the shim (from 1), given when it first armed.
    thread: u64,
    /// Which arming of the thread (from 1): for the process hook, which `process` call.
    call: u64,
    /// [`ALLOCATION`] or [`FREE`].
    kind: u64,
    size: u64,
    depth: u64,
    /// Return addresses, innermost first, starting in malloc (or free, ...) of the shim.
    frames: [usize; MAX_FRAMES],
}

const ALLOCATION: u64 = 0;
const FREE: u64 = 1;

/// The shim's entry points, found in this process by name.
struct Shim {
    count: extern "C" fn(i32),
    allocations: extern "C" fn() -> u64,
    frees: extern "C" fn() -> u64,
    recorded: extern "C" fn() -> u64,
    dropped: extern "C" fn() -> u64,
    stack: extern "C" fn(u64) -> *const RecordedStack,
    clear: extern "C" fn(),
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
                recorded: *this.get(b"quintet_recorded_stacks\0").unwrap(),
                dropped: *this.get(b"quintet_dropped_stacks\0").unwrap(),
                stack: *this.get(b"quintet_recorded_stack\0").unwrap(),
                clear: *this.get(b"quintet_clear_stacks\0").unwrap(),
            }
        };
        // The symbols stay valid for the life of the process: never unload this handle.
        std::mem::forget(this);
        shim
    })
}

/// The stacks recorded since the last call, which the shim then forgets. Only while no thread is
/// armed, and after joining the threads that recorded them.
fn take_recorded_stacks() -> Vec<RecordedStack> {
    let shim = shim();
    assert_eq!((shim.dropped)(), 0, "the shim ran out of room for stacks");
    let stacks = (0..(shim.recorded)())
        // SAFETY: `i` is below the number recorded, and nothing records (or clears) meanwhile.
        .map(|i| unsafe { *(shim.stack)(i) })
        .collect();
    (shim.clear)();
    stacks
}

/// Allocations and frees counted inside `process` calls, summed over the calls.
static IN_PROCESS_ALLOCATIONS: AtomicU64 = AtomicU64::new(0);
static IN_PROCESS_FREES: AtomicU64 = AtomicU64::new(0);
static PROCESS_CALLS: AtomicU64 = AtomicU64::new(0);

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

/// The same hook with a deliberate allocation (and free) in the counted window: proves that the
/// count works, and that the attribution calls it foreign.
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

/// Checks the `process` calls counted since the last look (`what` names them in the log): a
/// recorded stack for each allocation and free, no allocation but nice-plug's one-time
/// per-thread set-up, no free. Returns how many calls there were.
fn assert_only_set_up_allocated(what: &str) -> u64 {
    let (allocations, frees, calls) = take_counts();
    let stacks = symbolize(&take_recorded_stacks());
    let attribution = Attribution::of(&stacks);
    eprintln!(
        "rt_alloc: {what}, {calls} process calls: {allocations} allocations, {frees} frees\n{}",
        attribution.describe_set_up()
    );
    assert_eq!(
        stacks.len() as u64,
        allocations + frees,
        "a stack for each allocation and free"
    );
    if let Some(report) = attribution.violations() {
        panic!("process allocated or freed memory ({what}):\n{report}");
    }
    assert_eq!(frees, 0, "process freed memory ({what})");
    calls
}

// ---- symbolization ---------------------------------------------------------------------------

/// Whose code a symbol is, by its source file where debug info has one, else by its path.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Author {
    /// std, core, alloc.
    Std,
    /// nice-plug, nice-plug-core and nice-assert-no-alloc.
    NicePlug,
    /// This package's `src/`.
    Quintet,
    /// Anything else: the C library, the host, the test, other crates, unknown code.
    Other,
}

/// Where scripts/patch-nice-plug puts the patched nice-plug the plugin is built against
/// (docs/PATCHES.md); the unpatched crates are in cargo's registry as `nice-plug-0.4.2/` etc.
const PATCHED_NICE_PLUG_DIR: &str = "/target/patched/nice-plug/";

fn author(name: &str, file: Option<&Path>) -> Author {
    if let Some(file) = file {
        let file = file.to_string_lossy();
        return if file.starts_with(concat!(env!("CARGO_MANIFEST_DIR"), "/src/")) {
            Author::Quintet
        } else if ["/library/std/", "/library/core/", "/library/alloc/"]
            .iter()
            .any(|dir| file.contains(dir))
        {
            Author::Std
        } else if [
            "/nice-plug-",
            "/nice-assert-no-alloc-",
            PATCHED_NICE_PLUG_DIR,
        ]
        .iter()
        .any(|dir| file.contains(dir))
        {
            Author::NicePlug
        } else {
            Author::Other
        };
    }
    // `<std::thread::Thread>::new`, `<quintet::params::QuintetParams as ...>::...`
    match name.trim_start_matches('<').split("::").next() {
        Some("std" | "core" | "alloc") => Author::Std,
        Some("nice_plug" | "nice_plug_core" | "nice_assert_no_alloc") => Author::NicePlug,
        Some("quintet") => Author::Quintet,
        _ => Author::Other,
    }
}

/// A function at a frame: demangled, without the hash. Inlined functions have short names where
/// the debug info is line tables only (`is_main_thread<quintet::Quintet>`).
#[derive(Clone)]
struct Symbol {
    name: String,
    location: Option<(PathBuf, u32)>,
    author: Author,
}

/// One return address: the functions there, innermost (inlined) first, and the library or
/// executable it is in.
#[derive(Clone)]
struct Frame {
    address: usize,
    object: String,
    symbols: Vec<Symbol>,
}

impl Frame {
    fn names(&self, part: &str) -> bool {
        self.symbols.iter().any(|symbol| symbol.name.contains(part))
    }

    /// Whose code the innermost function is.
    fn author(&self) -> Author {
        self.symbols.first().map_or(Author::Other, |s| s.author)
    }
}

/// A recorded allocation or free with its symbolized stack.
struct Stack {
    thread: u64,
    call: u64,
    kind: u64,
    size: u64,
    frames: Vec<Frame>,
}

impl Stack {
    fn names(&self, part: &str) -> bool {
        self.frames.iter().any(|frame| frame.names(part))
    }

    /// What and where, in one line: "an allocation of 8 bytes in call 1 of thread 3".
    fn summary(&self) -> String {
        let what = match self.kind {
            ALLOCATION => format!("an allocation of {} bytes", self.size),
            _ => "a free".to_owned(),
        };
        format!("{what} in call {} of thread {}", self.call, self.thread)
    }
}

/// The summary and the backtrace.
impl fmt::Display for Stack {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "{}:", self.summary())?;
        for (i, frame) in self.frames.iter().enumerate() {
            writeln!(f, "  {i:>2}: {:#x} in {}", frame.address, frame.object)?;
            if frame.symbols.is_empty() {
                writeln!(f, "        ?")?;
            }
            for symbol in &frame.symbols {
                write!(f, "        {}", symbol.name)?;
                if let Some((file, line)) = &symbol.location {
                    write!(f, " at {}:{line}", file.display())?;
                }
                writeln!(f)?;
            }
        }
        Ok(())
    }
}

/// The mapped files of this process, from `/proc/self/maps`: (start, end, file name).
fn mapped_objects() -> Vec<(usize, usize, String)> {
    let maps = std::fs::read_to_string("/proc/self/maps").expect("reading /proc/self/maps");
    maps.lines()
        .filter_map(|line| {
            let mut fields = line.split_whitespace();
            let (start, end) = fields.next()?.split_once('-')?;
            let path = fields.nth(4)?;
            let name = Path::new(path).file_name()?.to_string_lossy().into_owned();
            Some((
                usize::from_str_radix(start, 16).ok()?,
                usize::from_str_radix(end, 16).ok()?,
                name,
            ))
        })
        .collect()
}

/// Symbolizes recorded stacks. The plugin must be loaded (and stay loaded): the `backtrace`
/// crate lists the process's libraries once, on its first use.
fn symbolize(recorded: &[RecordedStack]) -> Vec<Stack> {
    let objects = mapped_objects();
    let mut frames: HashMap<usize, Frame> = HashMap::new();
    let mut frame = |address: usize| {
        frames
            .entry(address)
            .or_insert_with(|| {
                let mut symbols = Vec::new();
                // Resolves the call instruction before the return address.
                backtrace::resolve(address as *mut std::ffi::c_void, |symbol| {
                    let name = symbol
                        .name()
                        .map_or_else(|| "?".to_owned(), |name| format!("{name:#}"));
                    let file = symbol.filename().map(Path::to_path_buf);
                    symbols.push(Symbol {
                        author: author(&name, file.as_deref()),
                        location: file.zip(symbol.lineno()),
                        name,
                    });
                });
                let object = objects
                    .iter()
                    .find(|(start, end, _)| (*start..*end).contains(&address))
                    .map_or_else(|| "?".to_owned(), |(_, _, name)| name.clone());
                Frame {
                    address,
                    object,
                    symbols,
                }
            })
            .clone()
    };
    recorded
        .iter()
        .map(|stack| Stack {
            thread: stack.thread,
            call: stack.call,
            kind: stack.kind,
            size: stack.size,
            frames: stack.frames[..stack.depth as usize]
                .iter()
                .map(|&address| frame(address))
                .collect(),
        })
        .collect()
}

// ---- attribution -----------------------------------------------------------------------------

/// What made an allocation in `process`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Origin {
    /// std's handle for the audio thread, which nice-plug's `is_main_thread` has the plugin's
    /// copy of std create on the first `thread::current()` on the thread.
    ThreadHandle,
    /// glibc's block for the plugin library's thread-locals on the audio thread, allocated on
    /// nice-plug's first access to one of them there.
    ThreadLocals,
    /// Anything else: Quintet's own code, or nice-plug code nobody has vetted. Fails the test.
    Foreign,
}

/// nice-plug's one-time set-up on an audio thread, found in the backtraces of debug and release
/// builds: the function that allocates, and the nice-plug functions that may ask it to (at least
/// one symbol of the first frame past it that is not std's must name one of them).
struct SetUp {
    origin: Origin,
    allocates_in: &'static str,
    asked_by: &'static [&'static str],
}

static SET_UPS: [SetUp; 2] = [
    SetUp {
        origin: Origin::ThreadHandle,
        allocates_in: "std::thread::current::init_current",
        // `is_main_thread` is inlined into `schedule_gui` in release builds.
        asked_by: &["is_main_thread", "schedule_gui"],
    },
    SetUp {
        origin: Origin::ThreadLocals,
        allocates_in: "__tls_get_addr",
        // Debug builds: `assert_no_alloc`'s counter; release builds: `thread::current()`'s slot
        // (its caller `std::thread::current::current` is std's, so skipped).
        asked_by: &[
            "nice_assert_no_alloc::assert_no_alloc",
            "is_main_thread",
            "schedule_gui",
        ],
    },
];

/// The set-up an allocation is, and the frame of nice-plug that asked for it; `None` if foreign.
/// An allocation is nice-plug's set-up only if its stack passes through a set-up's function and
/// the first frame past that outside std is the nice-plug code expected to call it.
fn identify(stack: &Stack) -> Option<(&'static SetUp, &Frame)> {
    if stack.kind != ALLOCATION {
        return None;
    }
    SET_UPS.iter().find_map(|set_up| {
        let at = stack
            .frames
            .iter()
            .position(|frame| frame.symbols.iter().any(|s| s.name == set_up.allocates_in))?;
        let caller = stack.frames[at + 1..]
            .iter()
            .find(|frame| frame.author() != Author::Std)?;
        (caller.author() == Author::NicePlug
            && set_up.asked_by.iter().any(|name| caller.names(name)))
        .then_some((set_up, caller))
    })
}

/// Attributes one allocation (see [`identify`]).
fn classify(stack: &Stack) -> Origin {
    identify(stack).map_or(Origin::Foreign, |(set_up, _)| set_up.origin)
}

/// What the stacks recorded in `process` calls amount to.
struct Attribution<'a> {
    /// nice-plug's set-up allocations per (thread, origin).
    set_up: BTreeMap<(u64, Origin), Vec<&'a Stack>>,
    foreign: Vec<&'a Stack>,
    frees: Vec<&'a Stack>,
}

impl<'a> Attribution<'a> {
    fn of(stacks: &'a [Stack]) -> Self {
        let mut attribution = Attribution {
            set_up: BTreeMap::new(),
            foreign: Vec::new(),
            frees: Vec::new(),
        };
        for stack in stacks {
            if stack.kind == FREE {
                attribution.frees.push(stack);
                continue;
            }
            match classify(stack) {
                Origin::Foreign => attribution.foreign.push(stack),
                origin => attribution
                    .set_up
                    .entry((stack.thread, origin))
                    .or_default()
                    .push(stack),
            }
        }
        attribution
    }

    /// Everything that breaks the rule, with backtraces: foreign allocations, frees, and a
    /// set-up made more than once on a thread.
    fn violations(&self) -> Option<String> {
        /// Backtraces printed in full; past that, one line each.
        const SHOWN: usize = 8;
        let mut report = String::new();
        for (i, stack) in self.foreign.iter().chain(&self.frees).enumerate() {
            if i < SHOWN {
                report += &format!("process made {stack}\n");
            } else {
                // Past the shim's own frame, the outermost function of the first frame.
                let from = stack.frames.get(1).and_then(|frame| frame.symbols.last());
                report += &format!(
                    "and {}, from {}\n",
                    stack.summary(),
                    from.map_or("?", |symbol| &symbol.name)
                );
            }
        }
        for ((thread, origin), stacks) in &self.set_up {
            if stacks.len() > 1 {
                report += &format!(
                    "{origin:?} was set up {} times on thread {thread}, the second time in {}\n",
                    stacks.len(),
                    stacks[1]
                );
            }
        }
        (!report.is_empty()).then_some(report)
    }

    /// One line per set-up allocation: what, where, and the frames that identified it.
    fn describe_set_up(&self) -> String {
        let mut lines = String::new();
        for stacks in self.set_up.values() {
            for stack in stacks {
                let (set_up, caller) = identify(stack).expect("a set-up allocation");
                let asked_by = caller
                    .symbols
                    .iter()
                    .find(|s| set_up.asked_by.iter().any(|name| s.name.contains(name)))
                    .expect("the caller names the set-up");
                lines += &format!(
                    "  {:?}: {} bytes in call {} of thread {}, in {} called by {}\n",
                    set_up.origin,
                    stack.size,
                    stack.call,
                    stack.thread,
                    set_up.allocates_in,
                    asked_by.name
                );
            }
        }
        lines
    }
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
    let started = Instant::now();
    let shim = shim();
    eprintln!(
        "plugin under test: {}",
        quintet_test_host::plugin_path().display()
    );
    // Loads the plugin before anything is symbolized (see `symbolize`).
    let mut host = QuintetHost::new();

    // 1. The shim counts this thread's allocations while armed, and only then, and records them.
    (shim.count)(1);
    drop(std::hint::black_box(Vec::<u8>::with_capacity(
        std::hint::black_box(100),
    )));
    (shim.count)(0);
    assert_eq!(((shim.allocations)(), (shim.frees)()), (1, 1));
    let stacks = symbolize(&take_recorded_stacks());
    assert_eq!(
        stacks.iter().map(|s| (s.kind, s.size)).collect::<Vec<_>>(),
        [(ALLOCATION, 100), (FREE, 0)]
    );
    // The stacks start in the shim's functions (named by its symbol table).
    assert!(stacks[0].frames[0].names("malloc"), "{}", stacks[0]);
    assert!(stacks[1].frames[0].names("free"), "{}", stacks[1]);

    // 2. It sees what the plugin library allocates: loading a state reads it into buffers the
    //    plugin allocates, some in Quintet's own code. Symbolization names that code (with debug
    //    info by its file, without by its symbol), and none of it passes for nice-plug's set-up.
    host.activate(48_000.0, 512);
    let state = host.save_state();
    (shim.count)(1);
    host.load_state(&state).expect("its own state loads");
    (shim.count)(0);
    assert!(
        (shim.allocations)() > 0,
        "the plugin's allocations are unseen"
    );
    let stacks: Vec<Stack> = symbolize(&take_recorded_stacks())
        .into_iter()
        .filter(|s| s.kind == ALLOCATION)
        .collect();
    let quintet_symbol = |stack: &Stack| {
        stack
            .frames
            .iter()
            .flat_map(|frame| &frame.symbols)
            .find(|symbol| symbol.author == Author::Quintet)
            .cloned()
    };
    let by_quintet: Vec<Symbol> = stacks.iter().filter_map(quintet_symbol).collect();
    let Some(example) = by_quintet.first() else {
        panic!("no allocation loading a state is Quintet's: {}", stacks[0]);
    };
    assert!(
        stacks.iter().all(|s| classify(s) == Origin::Foreign),
        "loading a state passes for nice-plug's set-up"
    );
    eprintln!(
        "rt_alloc: loading a state: {} allocations, {} of them by Quintet's code, e.g. in {}{}",
        stacks.len(),
        by_quintet.len(),
        example.name,
        example
            .location
            .as_ref()
            .map_or_else(String::new, |(file, line)| format!(
                " at {}:{line}",
                file.display()
            ))
    );

    // 3. An allocation inside the counted window around `process` is caught, once per call, and
    //    attributed to its code: it is foreign, so the check below would fail on it. So would
    //    any allocation of Quintet's, which is as foreign to nice-plug's set-up as the hook.
    host.set_process_hook(allocating_hook);
    host.render(4096, &[]);
    let (allocations, frees, calls) = take_counts();
    let stacks = symbolize(&take_recorded_stacks());
    let attribution = Attribution::of(&stacks);
    assert_eq!(
        (allocations, frees),
        (calls, calls),
        "the deliberate allocation"
    );
    assert_eq!(
        (attribution.foreign.len(), attribution.frees.len()),
        (calls as usize, calls as usize),
        "the deliberate allocations are foreign:\n{}",
        attribution.describe_set_up()
    );
    for stack in attribution.foreign.iter().chain(&attribution.frees) {
        assert!(stack.names("allocating_hook"), "not the hook's: {stack}");
    }
    let report = attribution
        .violations()
        .expect("the hook's allocations fail");
    assert!(report.contains("allocating_hook"), "{report}");

    // 4. The real check: sessions of hostile automation and modulation with every block size,
    //    each on its own audio thread. Only nice-plug's one-time per-thread set-up may allocate.
    //    Each parameter change also queues a GUI task that the host's main thread drains between
    //    renders; past the queue's capacity a debug build logs (and allocates) for every dropped
    //    task, so a session stays below a few thousand events, as one between two main-thread
    //    idle calls of a DAW does.
    host.deactivate();
    host.set_process_hook(counting_hook);
    host.activate(44_100.0, 4096);
    let ids: Vec<_> = host.params().iter().map(|p| p.id).collect();
    // The parameters a host may modulate per voice, as the registry declares them (nice-plug
    // logs, and so allocates, for any other; "Pressure level" is not one of them).
    let modulated_names: Vec<&str> = quintet::params::Param::ALL
        .iter()
        .map(|param| param.spec())
        .filter(|spec| spec.modulated.is_some())
        .map(|spec| spec.name)
        .collect();
    let modulated: Vec<_> = host
        .params()
        .iter()
        .filter(|p| modulated_names.contains(&p.name.as_str()))
        .map(|p| p.id)
        .collect();
    assert_eq!(
        modulated.len(),
        quintet::engine::Modulated::ALL.len(),
        "the levels, the gain, the LFO's depths, the pans, the unison's detune and width"
    );
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
            // MIDI too: notes, wheel, the control changes MIDI mode answers to and byte soup
            // (the random parameter changes above switch MIDI mode on and off).
            for _ in 0..rng.below(60) {
                let frame = start + rng.below(total);
                events.push(midi_message(&mut rng, frame));
            }
            // Chords that steal, chokes, expressions, polyphonic modulation, MPE channels.
            for _ in 0..rng.below(60) {
                let frame = start + rng.below(total);
                events.push(note_event(&mut rng, frame, &modulated));
            }
            blocks.extend(round);
            start += total;
        }
        host.render_events(blocks, &events);
        let calls = assert_only_set_up_allocated(&format!(
            "{rounds} rounds, {start} frames, {} events on one audio thread",
            events.len()
        ));
        assert!(calls >= rounds as u64, "only {calls} process calls");
    }

    // 5. A burst of note events in one block, far more than nice-plug's default
    //    INPUT_EVENT_CAPACITY (1,024): the wrapper queues a block's note events before `process`
    //    and grows the queue (an allocation, and a warning) when it is full. Quintet's capacity
    //    holds per-sample automation of every parameter in the VST3 wrapper, and this burst.
    const BURST: usize = 4000;
    let events: Vec<HostEvent> = (0..BURST)
        .map(|frame| note_event(&mut rng, frame, &modulated))
        .collect();
    host.render_events(vec![BURST], &events);
    assert_only_set_up_allocated(&format!("{BURST} note events in one block"));
    eprintln!("rt_alloc: done in {:.2?}", started.elapsed());
}
