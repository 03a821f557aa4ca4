//! What the plugin logs, captured per call: nice-plug writes its log to the file named by the
//! `NICE_LOG` environment variable, read once when the plugin binary is first loaded.

use std::path::PathBuf;
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

/// `name` in the folder of this process's executable (target/<profile>/deps; the temporary
/// folder if that cannot be known): where the tests keep the files and folders of their own.
pub(crate) fn beside_executable(name: &str) -> PathBuf {
    let exe = std::env::current_exe().unwrap_or_default();
    let directory = exe.parent().map_or_else(std::env::temp_dir, PathBuf::from);
    directory.join(name)
}

/// The file the plugin logs to in this process: beside the executable (target/<profile>/deps),
/// named after it and this process, so every test binary's plugin log is a file of its own.
pub fn plugin_log_path() -> &'static PathBuf {
    static PATH: OnceLock<PathBuf> = OnceLock::new();
    PATH.get_or_init(|| {
        let exe = std::env::current_exe().unwrap_or_default();
        let name = exe.file_stem().map_or_else(
            || "quintet-tests".into(),
            |stem| stem.to_string_lossy().into_owned(),
        );
        beside_executable(&format!("plugin-log-{name}-{}.txt", std::process::id()))
    })
}

/// Points `NICE_LOG` at [`plugin_log_path`] before `main`, from the executable's initialisers
/// (`.init_array`): `std::env::set_var` is sound only while no other thread can read the
/// environment, and before `main` no test, harness or plugin thread has started yet. (Set later,
/// from the first test that loads the plugin, it raced every other test thread that read the
/// environment without this program's std lock: the plugin library carries a std and a lock of
/// its own, and C code calls `getenv` with none.)
///
/// Every process that links this crate (tests, benchmarks, the examples) logs there, and its
/// children inherit the variable: a test that reads a child's stderr removes it from the child's
/// environment.
// SAFETY: the C runtime calls each function in `.init_array` once, before `main`, as a C
// function (glibc passes argc, argv and envp, which a function of none may ignore); this one needs
// nothing that std sets up in `main`, and it does not unwind (a panic in it aborts).
#[cfg(target_os = "linux")]
#[used]
#[unsafe(link_section = ".init_array")]
static POINT_NICE_LOG_AT_FILE: extern "C" fn() = point_nice_log_at_file;

#[cfg(target_os = "linux")]
extern "C" fn point_nice_log_at_file() {
    let path = plugin_log_path();
    let _ = std::fs::remove_file(path);
    // SAFETY: this runs from `.init_array`, before `main`, when the main thread is this process's
    // only thread (glibc runs the executable's initialisers before `main`, and nothing this
    // process links starts a thread from one), so no other thread reads the environment.
    unsafe { std::env::set_var("NICE_LOG", path) };
}

/// How long the log must stay unchanged after growing before a call's messages count as complete.
const LOG_SETTLE: Duration = Duration::from_millis(10);
/// How long to wait for a call that logs nothing.
const LOG_SILENCE: Duration = Duration::from_millis(300);

/// Runs `f` and returns its result with what the plugin logged meanwhile. Calls are serialised so
/// each one sees only its own messages.
///
/// nice-plug's file writer is non-blocking (a worker thread writes the lines), so this waits until
/// the log has grown and then stayed unchanged for [`LOG_SETTLE`], or for [`LOG_SILENCE`] if it
/// does not grow.
pub fn logged_during<R>(f: impl FnOnce() -> R) -> (R, String) {
    static LOCK: Mutex<()> = Mutex::new(());
    let path = plugin_log_path();
    let _only_me = LOCK.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    let length = || std::fs::metadata(path).map_or(0, |m| m.len());
    let before = length();
    let result = f();
    let start = Instant::now();
    let (mut seen, mut changed) = (before, start);
    loop {
        std::thread::sleep(Duration::from_millis(2));
        let now = length();
        if now != seen {
            (seen, changed) = (now, Instant::now());
        } else if (seen != before && changed.elapsed() >= LOG_SETTLE)
            || start.elapsed() >= LOG_SILENCE
        {
            break;
        }
    }
    let log = std::fs::read(path).unwrap_or_default();
    let start = (before as usize).min(log.len());
    (result, String::from_utf8_lossy(&log[start..]).into_owned())
}

#[cfg(test)]
mod tests {
    /// `NICE_LOG` names this process's log file before any test has run or called into this
    /// crate: it was set before `main`, when no other thread could read the environment.
    #[test]
    fn nice_log_names_the_log_file_before_any_test_runs() {
        let set_before = std::env::var_os("NICE_LOG");
        assert_eq!(
            set_before.as_deref(),
            Some(super::plugin_log_path().as_os_str())
        );
    }
}
