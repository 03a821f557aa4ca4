//! What the plugin logs, captured per call: nice-plug writes its log to the file named by the
//! `NICE_LOG` environment variable, read once when the plugin binary is first loaded.

use std::path::PathBuf;
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

/// Points the plugin's log at a file of this test process. Loading the plugin calls it, so every
/// test binary's plugin log goes to one file per process.
pub fn capture_plugin_log() -> &'static PathBuf {
    static PATH: OnceLock<PathBuf> = OnceLock::new();
    PATH.get_or_init(|| {
        // Beside the test executable (target/<profile>/deps), named after it and this process.
        let exe = std::env::current_exe().expect("the test executable's path");
        let name = exe.file_stem().map_or_else(
            || "quintet-tests".into(),
            |stem| stem.to_string_lossy().into_owned(),
        );
        let directory = exe.parent().map_or_else(std::env::temp_dir, PathBuf::from);
        let path = directory.join(format!("plugin-log-{name}-{}.txt", std::process::id()));
        let _ = std::fs::remove_file(&path);
        // SAFETY: set once, under the `OnceLock`, before this process loads the plugin; the tests
        // that read the environment concurrently all wait on this initialisation first.
        unsafe { std::env::set_var("NICE_LOG", &path) };
        path
    })
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
    let path = capture_plugin_log();
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
