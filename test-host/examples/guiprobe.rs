//! guiprobe: measures three behaviours of the framework under Quintet's editor (nice-plug 0.4.2's
//! CLAP wrapper, nice-plug-egui 0.6 / egui-baseview 0.9 / baseview 0.4.2, and glibc's malloc) by
//! hosting the built Quintet CLAP binary through `clack-host`, the way Quintet's test host does.
//!
//! Modes (the plugin binary is `QUINTET_CLAP_PATH`, default `./Quintet.clap`):
//!
//! - `guiprobe abort`: for each step in [create, set_parent, show], runs a child process whose
//!   host offers NO `clap.gui` host extension and calls the plugin's gui extension up to that
//!   step; reports how each child ended (exit code or signal) and the last lines of its stderr.
//!   (`guiprobe abort-child STEP` is that child.)
//! - `guiprobe cycles N [OPEN_MS] [SAMPLE_EVERY]`: a host that offers `clap.gui` creates an X11
//!   parent window (x11rb, on `$DISPLAY`, e.g. Xvfb) and runs N editor cycles:
//!   `gui.create("x11", embedded)`, `set_scale(1)`, `get_size`, `set_parent`, `show`, OPEN_MS ms of
//!   servicing the plugin's main-thread callbacks while egui draws, `hide`, `gui.destroy`.
//!   Every SAMPLE_EVERY cycles (and on the first and last) it reports the thread count
//!   (/proc/self/task) during the open editor, right after destroy, after 100 ms and after 1 s,
//!   with the names of the threads that are new since before the cycle; VmRSS/VmHWM from
//!   /proc/self/status; and glibc's arena count and heap size (malloc_info). At the end it reports
//!   RSS before and after `malloc_trim(0)`.
//!
//! Run under Xvfb, e.g.: `Xvfb :93 -screen 0 1920x1080x24 & DISPLAY=:93 guiprobe cycles 200`,
//! and again with `MALLOC_ARENA_MAX=2` in the environment to compare.

use clack_extensions::gui::{
    GuiApiType, GuiConfiguration, GuiSize, HostGui, HostGuiImpl, PluginGui, Window,
};
use clack_extensions::log::{HostLog, HostLogImpl, LogSeverity};
use clack_host::prelude::*;
use std::collections::BTreeMap;
use std::ffi::{CString, c_char, c_int, c_void};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

const PLUGIN_ID: &std::ffi::CStr = c"org.quintet.quintet";

// ---- hosts ---------------------------------------------------------------------------------------

/// Answers the plugin's shared requests. `HostGuiImpl` is implemented for both host types, but
/// only [`GuiHost`] declares the extension, so only it is offered to the plugin.
#[derive(Default)]
struct Shared {
    callback_requested: AtomicBool,
    closed_calls: AtomicUsize,
    resize_requests: AtomicUsize,
}

impl SharedHandler<'_> for Shared {
    fn request_restart(&self) {}
    fn request_process(&self) {}
    fn request_callback(&self) {
        self.callback_requested.store(true, Ordering::SeqCst);
    }
}

impl HostLogImpl for Shared {
    fn log(&self, severity: LogSeverity, message: &str) {
        eprintln!("[plugin {severity}] {message}");
    }
}

impl HostGuiImpl for Shared {
    fn resize_hints_changed(&self) {}
    fn request_resize(&self, _new_size: GuiSize) -> Result<(), HostError> {
        self.resize_requests.fetch_add(1, Ordering::SeqCst);
        Ok(())
    }
    fn request_show(&self) -> Result<(), HostError> {
        Ok(())
    }
    fn request_hide(&self) -> Result<(), HostError> {
        Ok(())
    }
    fn closed(&self, _was_destroyed: bool) {
        self.closed_calls.fetch_add(1, Ordering::SeqCst);
    }
}

struct MainThread;
impl MainThreadHandler<'_> for MainThread {}

/// A host that offers `clap.log` and `clap.gui`, as a DAW with plugin editors does.
struct GuiHost;
impl HostHandlers for GuiHost {
    type Shared<'a> = Shared;
    type MainThread<'a> = MainThread;
    type AudioProcessor<'a> = ();
    fn declare_extensions(builder: &mut HostExtensions<Self>, _shared: &Self::Shared<'_>) {
        builder.register::<HostLog>().register::<HostGui>();
    }
}

/// A host that offers `clap.log` only: no `clap.gui` (a headless or minimal host, a validator).
struct NoGuiHost;
impl HostHandlers for NoGuiHost {
    type Shared<'a> = Shared;
    type MainThread<'a> = MainThread;
    type AudioProcessor<'a> = ();
    fn declare_extensions(builder: &mut HostExtensions<Self>, _shared: &Self::Shared<'_>) {
        builder.register::<HostLog>();
    }
}

fn plugin_path() -> PathBuf {
    // dlopen needs a path with a slash, so make it absolute.
    let path = std::env::var_os("QUINTET_CLAP_PATH")
        .map_or_else(|| PathBuf::from("Quintet.clap"), PathBuf::from);
    std::fs::canonicalize(&path).unwrap_or(path)
}

fn instantiate<H>() -> PluginInstance<H>
where
    H: for<'a> HostHandlers<Shared<'a> = Shared, MainThread<'a> = MainThread>,
{
    let path = plugin_path();
    // SAFETY: Quintet's own CLAP binary.
    let entry = unsafe { PluginEntry::load(&path) }
        .unwrap_or_else(|e| panic!("loading {}: {e}", path.display()));
    // Keep the library loaded for the whole process, as a DAW does.
    std::mem::forget(entry.clone());
    let info = HostInfo::new(
        "Quintet guiprobe",
        "Quintet developers",
        "https://example.invalid",
        "0.1",
    )
    .expect("valid host info");
    PluginInstance::<H>::new(
        |_| Shared::default(),
        |_| MainThread,
        &entry,
        PLUGIN_ID,
        &info,
    )
    .expect("the plugin instantiates")
}

fn x11_api() -> GuiConfiguration<'static> {
    GuiConfiguration {
        api_type: GuiApiType::X11,
        is_floating: false,
    }
}

// ---- (1) no clap.gui ----------------------------------------------------------------------------

const STEPS: [&str; 3] = ["create", "set_parent", "show"];

fn abort_parent() {
    let exe = std::env::current_exe().unwrap();
    for step in STEPS {
        let out = std::process::Command::new(&exe)
            .args(["abort-child", step])
            .output()
            .expect("spawn child");
        use std::os::unix::process::ExitStatusExt;
        let how = match (out.status.code(), out.status.signal()) {
            (Some(code), _) => format!("exit code {code}"),
            (None, Some(sig)) => format!(
                "killed by signal {sig}{}",
                if sig == 6 { " (SIGABRT)" } else { "" }
            ),
            _ => "unknown".into(),
        };
        println!("== step {step}: child {how}");
        for line in String::from_utf8_lossy(&out.stdout).lines() {
            println!("   stdout| {line}");
        }
        let stderr = String::from_utf8_lossy(&out.stderr);
        // The panic messages (nice-plug's panic hook logs them with their location) and the
        // runtime's last words; the backtraces are left out.
        for line in stderr
            .lines()
            .filter(|l| l.contains("panicked at") || l.contains("abort"))
        {
            println!("   stderr| {line}");
        }
    }
}

fn abort_child(last_step: &str) {
    let mut instance = instantiate::<NoGuiHost>();
    let gui: PluginGui = instance
        .plugin_handle()
        .get_extension()
        .expect("plugin's gui extension");
    let handle = instance.plugin_handle();
    println!(
        "is_api_supported(x11, embedded) = {}",
        gui.is_api_supported(&handle, x11_api())
    );
    println!(
        "get_preferred_api = {:?}",
        gui.get_preferred_api(&handle)
            .map(|c| (c.api_type.0.to_owned(), c.is_floating))
    );
    println!(
        "get_size = {:?}",
        gui.get_size(&handle).map(|s| (s.width, s.height))
    );
    println!("calling gui.create(x11, embedded)");
    use std::io::Write;
    std::io::stdout().flush().ok();
    let created = gui.create(&instance.plugin_handle(), x11_api());
    println!("gui.create returned {created:?}");
    if last_step == "create" {
        gui.destroy(&instance.plugin_handle());
        println!("destroyed; no abort");
        return;
    }
    let (conn, parent) = X11Parent::open();
    println!("calling gui.set_parent");
    std::io::stdout().flush().ok();
    // SAFETY: `parent` stays mapped until `conn` is dropped, after `gui.destroy`.
    let r = unsafe {
        gui.set_parent(
            &instance.plugin_handle(),
            Window::from_x11_handle(parent.into()),
        )
    };
    println!("gui.set_parent returned {r:?}");
    if last_step == "show" {
        println!("calling gui.show");
        std::io::stdout().flush().ok();
        println!(
            "gui.show returned {:?}",
            gui.show(&instance.plugin_handle())
        );
        pump(&mut instance, Duration::from_millis(300));
    }
    gui.destroy(&instance.plugin_handle());
    println!("destroyed; no abort");
    drop(conn);
}

// ---- the X11 parent window ------------------------------------------------------------------------

struct X11Parent;
impl X11Parent {
    /// Opens `$DISPLAY` and maps an 1100x800 top-level window for the plugin to embed into.
    fn open() -> (x11rb::rust_connection::RustConnection, u32) {
        let (conn, _) = x11rb::connect(None).expect("an X display ($DISPLAY, e.g. Xvfb :93)");
        let win = Self::new_window(&conn);
        (conn, win)
    }

    /// Maps another parent window on the same connection.
    fn new_window(conn: &x11rb::rust_connection::RustConnection) -> u32 {
        use x11rb::connection::Connection;
        use x11rb::protocol::xproto::{ConnectionExt, CreateWindowAux, WindowClass};
        let screen = &conn.setup().roots[0];
        let win = conn.generate_id().unwrap();
        conn.create_window(
            screen.root_depth,
            win,
            screen.root,
            0,
            0,
            1100,
            800,
            0,
            WindowClass::INPUT_OUTPUT,
            screen.root_visual,
            &CreateWindowAux::new().background_pixel(screen.black_pixel),
        )
        .unwrap();
        conn.map_window(win).unwrap();
        x11rb::wrapper::ConnectionExt::sync(conn).unwrap();
        win
    }

    fn destroy_window(conn: &x11rb::rust_connection::RustConnection, win: u32) {
        use x11rb::protocol::xproto::ConnectionExt;
        conn.destroy_window(win).unwrap();
        x11rb::wrapper::ConnectionExt::sync(conn).unwrap();
    }
}

/// Services the plugin's main-thread callback requests (nice-plug routes editor → host calls
/// through them) for `dur`.
fn pump<H>(instance: &mut PluginInstance<H>, dur: Duration)
where
    H: for<'a> HostHandlers<Shared<'a> = Shared, MainThread<'a> = MainThread>,
{
    let end = Instant::now() + dur;
    loop {
        if instance
            .access_shared_handler(|s: &Shared| s.callback_requested.swap(false, Ordering::SeqCst))
        {
            instance.call_on_main_thread_callback();
        }
        if Instant::now() >= end {
            break;
        }
        std::thread::sleep(Duration::from_millis(4));
    }
}

// ---- process measurements --------------------------------------------------------------------------

/// Thread id → name (comm) of every thread of this process.
fn threads() -> BTreeMap<u32, String> {
    std::fs::read_dir("/proc/self/task")
        .unwrap()
        .filter_map(|e| {
            let e = e.ok()?;
            let tid: u32 = e.file_name().to_str()?.parse().ok()?;
            let comm = std::fs::read_to_string(e.path().join("comm")).unwrap_or_default();
            Some((tid, comm.trim().to_owned()))
        })
        .collect()
}

fn status_kib(field: &str) -> u64 {
    let s = std::fs::read_to_string("/proc/self/status").unwrap();
    s.lines()
        .find(|l| l.starts_with(field))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
}

/// glibc's `struct mallinfo2` (glibc ≥ 2.33): totals over all arenas.
#[repr(C)]
struct MallInfo2 {
    arena: usize,
    ordblks: usize,
    smblks: usize,
    hblks: usize,
    hblkhd: usize,
    usmblks: usize,
    fsmblks: usize,
    uordblks: usize,
    fordblks: usize,
    keepcost: usize,
}

unsafe extern "C" {
    fn mallinfo2() -> MallInfo2;
    fn malloc_trim(pad: usize) -> c_int;
    fn malloc_info(options: c_int, stream: *mut c_void) -> c_int;
    fn fopen(path: *const c_char, mode: *const c_char) -> *mut c_void;
    fn fclose(stream: *mut c_void) -> c_int;
}

/// glibc's arena count and the bytes its arenas hold from the system (malloc_info's
/// `<heap nr=…>` elements and its top-level `<system type="current">`).
fn arenas() -> (usize, u64) {
    let path =
        std::env::temp_dir().join(format!("guiprobe-malloc-info-{}.xml", std::process::id()));
    let cpath = CString::new(path.to_str().unwrap()).unwrap();
    // SAFETY: glibc's fopen, malloc_info and fclose, declared above with their C signatures;
    // `cpath` and the mode are NUL-terminated and alive for the calls, and the stream is used
    // only while open (checked non-null first).
    unsafe {
        let f = fopen(cpath.as_ptr(), c"w".as_ptr());
        assert!(!f.is_null());
        malloc_info(0, f);
        fclose(f);
    }
    let xml = std::fs::read_to_string(&path).unwrap_or_default();
    let _ = std::fs::remove_file(&path);
    let heaps = xml.matches("<heap nr=").count();
    // The last `<system type="current" size="N"/>` is the total over all arenas.
    let system = xml
        .rmatch_indices("<system type=\"current\" size=\"")
        .next()
        .and_then(|(i, m)| xml[i + m.len()..].split('"').next()?.parse().ok())
        .unwrap_or(0);
    (heaps, system)
}

/// RSS and peak RSS; glibc's arena count, the bytes its arenas hold from the system, and of
/// those (mallinfo2) the bytes in live allocations (mmapped chunks included) and the free bytes
/// kept in the arenas.
fn mem_line() -> String {
    let (heaps, system) = arenas();
    // SAFETY: glibc's mallinfo2 takes nothing and returns `MallInfo2`, its `#[repr(C)]` struct.
    let mi = unsafe { mallinfo2() };
    format!(
        "VmRSS={} KiB VmHWM={} KiB arenas={} malloc_system={} KiB in_use={} KiB free_in_arenas={} KiB",
        status_kib("VmRSS:"),
        status_kib("VmHWM:"),
        heaps,
        system / 1024,
        (mi.uordblks + mi.hblkhd) / 1024,
        mi.fordblks / 1024,
    )
}

fn new_names(before: &BTreeMap<u32, String>, now: &BTreeMap<u32, String>) -> String {
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for (tid, name) in now {
        if !before.contains_key(tid) {
            *counts.entry(name.as_str()).or_default() += 1;
        }
    }
    if counts.is_empty() {
        return "-".into();
    }
    counts
        .iter()
        .map(|(n, c)| format!("{n}x{c}"))
        .collect::<Vec<_>>()
        .join(",")
}

// ---- (2) and (3): editor cycles ----------------------------------------------------------------------

fn cycles(n: usize, open_ms: u64, sample_every: usize) {
    println!(
        "MALLOC_ARENA_MAX={} DISPLAY={} plugin={}",
        std::env::var("MALLOC_ARENA_MAX").unwrap_or_else(|_| "(unset)".into()),
        std::env::var("DISPLAY").unwrap_or_default(),
        plugin_path().display()
    );
    let mut instance = instantiate::<GuiHost>();
    let gui: PluginGui = instance
        .plugin_handle()
        .get_extension()
        .expect("plugin's gui extension");
    let (conn, mut parent) = X11Parent::open();
    // GUIPROBE_PARENT_FIRST=1: each cycle gets its own parent window, which the host destroys
    // before it calls gui.destroy (as a DAW does when it closes the plugin window's frame first).
    let parent_first = std::env::var_os("GUIPROBE_PARENT_FIRST").is_some_and(|v| v == "1");
    println!("parent window destroyed before gui.destroy: {parent_first}");
    pump(&mut instance, Duration::from_millis(200));
    println!(
        "baseline (instance, no editor): threads={} {}",
        threads().len(),
        mem_line()
    );

    let start = Instant::now();
    let mut open_times = Vec::new();
    let (mut lingered, mut max_drain) = (0usize, Duration::ZERO);
    for cycle in 1..=n {
        let sample = cycle == 1 || cycle == n || cycle % sample_every == 0;
        let before = threads();
        if parent_first {
            parent = X11Parent::new_window(&conn);
        }
        let t0 = Instant::now();
        gui.create(&instance.plugin_handle(), x11_api())
            .expect("gui.create");
        let _ = gui.set_scale(&instance.plugin_handle(), 1.0);
        let size = gui
            .get_size(&instance.plugin_handle())
            .expect("gui.get_size");
        // SAFETY: without GUIPROBE_PARENT_FIRST the parent outlives the editor, as clack asks.
        // With it, the probe breaks that rule on purpose (what a careless DAW does): an X11
        // window is an id on the X server, not memory of this process, so the editor's requests
        // on a destroyed one fail with X protocol errors, not undefined behaviour.
        unsafe {
            gui.set_parent(
                &instance.plugin_handle(),
                Window::from_x11_handle(parent.into()),
            )
        }
        .expect("gui.set_parent");
        gui.show(&instance.plugin_handle()).expect("gui.show");
        open_times.push(t0.elapsed());
        pump(&mut instance, Duration::from_millis(open_ms));
        let open = threads();
        if parent_first {
            X11Parent::destroy_window(&conn, parent);
            pump(&mut instance, Duration::from_millis(200));
            if sample {
                let orphaned = threads();
                println!(
                    "cycle {cycle:4}: 200 ms after the parent window was destroyed, before gui.destroy: threads={} [{}]",
                    orphaned.len(),
                    new_names(&before, &orphaned)
                );
            }
        }
        let _ = gui.hide(&instance.plugin_handle());
        let t1 = Instant::now();
        gui.destroy(&instance.plugin_handle());
        let destroy_took = t1.elapsed();
        let after0 = threads();
        // Poll (1 ms steps, servicing callbacks) until the thread count is back to what it was
        // before the editor opened, for at most 2 s: how long threads outlive `gui.destroy`.
        let drain_start = Instant::now();
        let mut drained = after0.len() <= before.len();
        while !drained && drain_start.elapsed() < Duration::from_secs(2) {
            pump(&mut instance, Duration::from_millis(1));
            drained = threads().len() <= before.len();
        }
        let drain = drain_start.elapsed();
        if after0.len() > before.len() {
            lingered += 1;
            max_drain = max_drain.max(drain);
            println!(
                "cycle {cycle:4}: {} thread(s) still alive when gui.destroy returned [{}]; back to {} after {:.1} ms{}",
                after0.len() - before.len(),
                new_names(&before, &after0),
                before.len(),
                drain.as_secs_f64() * 1e3,
                if drained {
                    ""
                } else {
                    " (NOT drained within 2 s)"
                }
            );
        }
        if sample {
            pump(&mut instance, Duration::from_millis(100));
            let after100 = threads();
            pump(&mut instance, Duration::from_millis(900));
            let after1000 = threads();
            println!(
                "cycle {cycle:4}: size={}x{} threads before={} open={} [new: {}] destroy took {:.1} ms; \
                 after destroy: 0ms={} [{}] 100ms={} [{}] 1s={} [{}]; {}",
                size.width,
                size.height,
                before.len(),
                open.len(),
                new_names(&before, &open),
                destroy_took.as_secs_f64() * 1e3,
                after0.len(),
                new_names(&before, &after0),
                after100.len(),
                new_names(&before, &after100),
                after1000.len(),
                new_names(&before, &after1000),
                mem_line()
            );
        } else {
            pump(&mut instance, Duration::from_millis(5));
        }
    }
    let closed = instance.access_shared_handler(|s: &Shared| s.closed_calls.load(Ordering::SeqCst));
    open_times.sort();
    println!(
        "{n} cycles in {:.1} s; create..show median {:.1} ms, max {:.1} ms; host_gui.closed calls: {closed}; \
         cycles with threads alive after gui.destroy returned: {lingered} (longest {:.1} ms)",
        start.elapsed().as_secs_f64(),
        open_times[open_times.len() / 2].as_secs_f64() * 1e3,
        open_times.last().unwrap().as_secs_f64() * 1e3,
        max_drain.as_secs_f64() * 1e3,
    );
    pump(&mut instance, Duration::from_millis(2000));
    println!(
        "end, 2 s after last destroy: threads={} {}",
        threads().len(),
        mem_line()
    );
    // SAFETY: glibc's malloc_trim, declared above with its C signature, takes any padding.
    unsafe { malloc_trim(0) };
    println!(
        "after malloc_trim(0):          threads={} {}",
        threads().len(),
        mem_line()
    );
    let names: BTreeMap<String, usize> = threads().values().fold(BTreeMap::new(), |mut m, n| {
        *m.entry(n.clone()).or_default() += 1;
        m
    });
    println!("thread names at end: {names:?}");
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("abort") => abort_parent(),
        Some("abort-child") => abort_child(args.get(1).map_or("create", String::as_str)),
        Some("cycles") => {
            let n = args.get(1).and_then(|v| v.parse().ok()).unwrap_or(50);
            let open_ms = args.get(2).and_then(|v| v.parse().ok()).unwrap_or(150);
            let every = args.get(3).and_then(|v| v.parse().ok()).unwrap_or(10);
            cycles(n, open_ms, every);
        }
        _ => eprintln!("usage: guiprobe abort | cycles N [OPEN_MS] [SAMPLE_EVERY]"),
    }
}
