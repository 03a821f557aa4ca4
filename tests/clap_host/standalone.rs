//! The standalone program's own arguments: `--help` tells of the `render` command, `--version`
//! answers, and numbers the audio backend cannot use are refused before the framework sees them,
//! with a message and exit status 2, instead of a panicking audio thread, a 16 GiB allocation or
//! a busy loop; SIGTERM, SIGINT and SIGHUP end it cleanly, window or not.

use crate::virtual_display::VirtualDisplay;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// What a finished run printed and returned.
struct Finished {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

/// Runs `program` with `args` (dummy backend, no display); what it printed and its exit code, or
/// a failure if it is still running after a few seconds (it started instead of answering).
fn run(program: &Path, args: &[&str]) -> Finished {
    let mut child = Command::new(program)
        .args(["--backend", "dummy"])
        .args(args)
        .env_remove("DISPLAY")
        .env_remove("WAYLAND_DISPLAY")
        // nice-plug's messages to stderr, where the tests read them, not to the test's log file.
        .env_remove("NICE_LOG")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the standalone starts");
    let started = Instant::now();
    while child
        .try_wait()
        .expect("waiting for the standalone")
        .is_none()
    {
        if started.elapsed() > Duration::from_secs(10) {
            let _ = child.kill();
            let _ = child.wait();
            panic!("{args:?}: the standalone started instead of answering");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let output = child.wait_with_output().expect("the standalone's output");
    Finished {
        code: output.status.code(),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// Runs the standalone as cargo built it (`quintet`).
fn run_standalone(args: &[&str]) -> Finished {
    run(Path::new(env!("CARGO_BIN_EXE_quintet")), args)
}

/// The standalone under the name the bundle gives it, `Quintet` (a link in a directory of its
/// own), for what depends on the name it was run as.
pub(crate) fn as_bundled(test: &str) -> std::path::PathBuf {
    let directory = std::env::temp_dir().join(format!("quintet-{test}-{}", std::process::id()));
    std::fs::create_dir_all(&directory).unwrap();
    let link = directory.join("Quintet");
    let _ = std::fs::remove_file(&link);
    std::os::unix::fs::symlink(env!("CARGO_BIN_EXE_quintet"), &link).unwrap();
    link
}

/// Issue 12, item 9: the framework's help knows nothing of `render`; Quintet's says how to get
/// its help, under the name the program was run as.
#[test]
fn help_tells_of_the_render_command() {
    for flag in ["--help", "-h"] {
        let help = run_standalone(&[flag]);
        assert_eq!(help.code, Some(0), "{flag}: {}", help.stderr);
        for expected in [
            "quintet render -o FILE",
            "`quintet render --help`",
            "Usage: quintet [OPTIONS]",
            "--sample-rate",
        ] {
            assert!(
                help.stdout.contains(expected),
                "{flag}: no {expected:?} in\n{}",
                help.stdout
            );
        }
    }
    let bundled = as_bundled("help");
    let help = run(&bundled, &["--help"]);
    assert_eq!(help.code, Some(0), "{}", help.stderr);
    assert!(
        help.stdout.contains("`Quintet render --help`"),
        "{}",
        help.stdout
    );
    assert!(
        help.stdout.contains("Usage: Quintet [OPTIONS]"),
        "{}",
        help.stdout
    );
    std::fs::remove_dir_all(bundled.parent().unwrap()).unwrap();
}

#[test]
fn version_prints_the_version() {
    for flag in ["--version", "-V"] {
        let version = run_standalone(&[flag]);
        assert_eq!(version.code, Some(0), "{flag}: {}", version.stderr);
        assert_eq!(
            version.stdout,
            format!("Quintet {}\n", env!("CARGO_PKG_VERSION")),
            "{flag}"
        );
    }
}

#[test]
fn bad_sample_rates_and_period_sizes_are_refused_with_a_reason() {
    // Every spelling the framework's parser accepts (issue 12, item 9: `-p 0` and `-r 0` were
    // reported getting through, by a release bundle built before these checks).
    for (args, flag) in [
        (&["--sample-rate", "1e-30"][..], "--sample-rate"),
        (&["-r", "0"], "--sample-rate"),
        (&["-r0"], "--sample-rate"),
        (&["-r=0"], "--sample-rate"),
        (&["--sample-rate", "0"], "--sample-rate"),
        (&["--sample-rate=0"], "--sample-rate"),
        (&["-r", "nan"], "--sample-rate"),
        (&["-r", "inf"], "--sample-rate"),
        (&["--sample-rate=-48000"], "--sample-rate"),
        (&["--period-size", "4294967295"], "--period-size"),
        (&["-p", "0"], "--period-size"),
        (&["-p0"], "--period-size"),
        (&["-p=0"], "--period-size"),
        (&["--period-size", "0"], "--period-size"),
        (&["--period-size=0"], "--period-size"),
        (&["-p7"], "--period-size"),
        (&["--midi-capacity", "0"], "--midi-capacity"),
        (&["--midi-capacity", "4294967295"], "--midi-capacity"),
    ] {
        let refused = run_standalone(args);
        let stderr = &refused.stderr;
        assert_eq!(
            refused.code,
            Some(2),
            "{args:?}: exit status; stderr: {stderr}"
        );
        assert!(
            stderr.contains(flag) && stderr.contains("must be"),
            "{args:?}: the message does not say what is wrong: {stderr}"
        );
        assert!(stderr.contains("quintet --help"), "{args:?}: {stderr}");
    }
}

/// How long the standalone may take to start (window open, signals in hand) before the test
/// gives up: a debug build on a busy machine takes seconds.
const START_DEADLINE: Duration = Duration::from_secs(60);
/// How long a signalled standalone may take to exit before it counts as stuck. It takes a
/// fraction of a second; the margin is for a busy machine, not a promise.
const STOP_DEADLINE: Duration = Duration::from_secs(10);

/// A standalone running until a test stops it, its stderr collected by a thread.
struct Running {
    child: std::process::Child,
    stderr: std::thread::JoinHandle<String>,
}

impl Running {
    /// Starts the standalone on the dummy backend, on the X display `display` or on none.
    fn start(display: Option<&str>) -> Self {
        Self::start_with(display, &[], None)
    }

    /// [`Self::start`] with more arguments, and its state (its session) kept in `state_home`
    /// instead of the test process's folder.
    fn start_with(display: Option<&str>, args: &[&str], state_home: Option<&Path>) -> Self {
        let mut command = Command::new(env!("CARGO_BIN_EXE_quintet"));
        if let Some(state_home) = state_home {
            command.env("XDG_STATE_HOME", state_home);
        }
        command
            .args(["--backend", "dummy"])
            .args(args)
            .env_remove("DISPLAY")
            .env_remove("WAYLAND_DISPLAY")
            // nice-plug's messages to stderr, which `assert_stopped_cleanly` reads.
            .env_remove("NICE_LOG")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped());
        if let Some(display) = display {
            command.env("DISPLAY", display);
        }
        let mut child = command.spawn().expect("the standalone starts");
        let mut stderr = child.stderr.take().unwrap();
        let stderr = std::thread::spawn(move || {
            let mut text = String::new();
            let _ = std::io::Read::read_to_string(&mut stderr, &mut text);
            text
        });
        Self { child, stderr }
    }

    /// Fails the test, with what the standalone printed, after killing it.
    fn fail(mut self, problem: &str) -> ! {
        let _ = self.child.kill();
        let _ = self.child.wait();
        panic!(
            "{problem}; the standalone printed:\n{}",
            self.stderr.join().unwrap()
        );
    }

    /// Waits until nice-plug's run has begun: it installs a SIGINT handler first thing (the
    /// program catches SIGINT, as the kernel reports), after the program took the stop signals
    /// in hand. A signal sent earlier, while the process starts, would meet the default action.
    fn wait_until_running(self) -> Self {
        const SIGINT_BIT: u64 = 1 << (2 - 1);
        let status_path = format!("/proc/{}/status", self.child.id());
        let started = Instant::now();
        loop {
            let status = std::fs::read_to_string(&status_path).unwrap_or_default();
            // Between fork and exec the process is still the test's, with its handlers.
            let runs_quintet = status.lines().any(|line| line == "Name:\tquintet");
            let caught = status
                .lines()
                .find_map(|line| line.strip_prefix("SigCgt:"))
                .and_then(|hex| u64::from_str_radix(hex.trim(), 16).ok())
                .unwrap_or(0);
            if runs_quintet && caught & SIGINT_BIT != 0 {
                return self;
            }
            if started.elapsed() > START_DEADLINE {
                self.fail("its run never began (no SIGINT handler)");
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Sends `signal` (a `kill -s` name) and waits for the program to end.
    fn stop_with(mut self, signal: &str) -> Finished {
        let sent = Command::new("kill")
            .args(["-s", signal, &self.child.id().to_string()])
            .status()
            .expect("kill runs");
        assert!(sent.success(), "kill -s {signal} failed");
        let sent_at = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().expect("waiting for the standalone") {
                return Finished {
                    code: status.code(),
                    stdout: String::new(),
                    stderr: self.stderr.join().unwrap(),
                };
            }
            if sent_at.elapsed() > STOP_DEADLINE {
                self.fail(&format!(
                    "SIG{signal}: still running {STOP_DEADLINE:?} later"
                ));
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

/// A stop signal ended the run as asked: status 0, nothing reported as an error.
fn assert_stopped_cleanly(finished: &Finished, what: &str) {
    assert_eq!(
        finished.code,
        Some(0),
        "{what}: exit status (None: killed by the signal); stderr:\n{}",
        finished.stderr
    );
    for bad in ["ERROR", "panicked"] {
        assert!(
            !finished.stderr.contains(bad),
            "{what}: {bad:?} in stderr:\n{}",
            finished.stderr
        );
    }
}

/// Issue 21, item 16: without a display, Ctrl-C ended the standalone with "ERROR Failed to open
/// editor … XOpenDisplay() failed" and status 1 (nice-plug tried to open the window anyway).
fn stops_cleanly_without_a_display(signal: &str) {
    let finished = Running::start(None).wait_until_running().stop_with(signal);
    assert_stopped_cleanly(&finished, &format!("no display, SIG{signal}"));
    assert!(
        finished.stderr.contains("no display for the editor"),
        "SIG{signal}: does not say why there is no window:\n{}",
        finished.stderr
    );
}

/// Issue 21, item 16: with the editor open, SIGTERM, SIGINT and SIGHUP were ignored (the
/// window's event loop never looked at them); only SIGKILL ended it. On a private Xvfb, which
/// must be installed (scripts/install-deps): a missing one fails the test.
fn stops_cleanly_with_its_window_open(signal: &str) {
    let display = VirtualDisplay::start();
    let running = Running::start(Some(&display.name)).wait_until_running();
    let finished = wait_for_window(&display, running).stop_with(signal);
    assert_stopped_cleanly(&finished, &format!("window open, SIG{signal}"));
}

#[test]
fn sigterm_stops_it_cleanly_without_a_display() {
    stops_cleanly_without_a_display("TERM");
}

#[test]
fn sigint_stops_it_cleanly_without_a_display() {
    stops_cleanly_without_a_display("INT");
}

#[test]
fn sighup_stops_it_cleanly_without_a_display() {
    stops_cleanly_without_a_display("HUP");
}

#[test]
fn sigterm_stops_it_cleanly_with_its_window_open() {
    stops_cleanly_with_its_window_open("TERM");
}

#[test]
fn sigint_stops_it_cleanly_with_its_window_open() {
    stops_cleanly_with_its_window_open("INT");
}

#[test]
fn sighup_stops_it_cleanly_with_its_window_open() {
    stops_cleanly_with_its_window_open("HUP");
}

/// Waits until `running` shows its editor: a viewable top-level window named "Quintet".
fn wait_for_window(display: &VirtualDisplay, mut running: Running) -> Running {
    let started = Instant::now();
    while !display.shows_window_named("Quintet") {
        if running.child.try_wait().ok().flatten().is_some() {
            running.fail("the standalone ended before its window opened");
        }
        if started.elapsed() > START_DEADLINE {
            running.fail("the editor window never opened");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    running
}

/// Runs the standalone without a display, its session in `state_home`, until SIGTERM.
fn run_session(state_home: &Path, args: &[&str]) -> Finished {
    let finished = Running::start_with(None, args, Some(state_home))
        .wait_until_running()
        .stop_with("TERM");
    assert_stopped_cleanly(&finished, &format!("session run {args:?}"));
    finished
}

/// Issue 23: the standalone reopens with what it played when it closed (parameters, the preset
/// shown, the editor's size and zoom); a first launch, and `--fresh`, start from the defaults 12 dB
/// below full gain; a damaged session is reported and ignored.
#[test]
fn the_standalone_reopens_with_what_it_played_when_it_closed() {
    use quintet::params::Param;
    use quintet::presets::PresetValue;
    use quintet::standalone::session::{self, FIRST_LAUNCH_GAIN_DB, ShownPreset};

    let state_home = std::env::temp_dir().join(format!("quintet-session-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&state_home);
    let file = state_home.join("quintet/standalone.json");
    let saved = || {
        session::read(&file)
            .expect("a readable session")
            .expect("a session")
    };
    let gain_db = |session: &session::Session| {
        let gain = session.sound.values().get(Param::GAIN);
        20.0 * gain.log10()
    };
    let freq1 = |session: &session::Session| session.sound.values().get(Param::FREQUENCIES[0]);

    // A first launch: the defaults, 12 dB below full gain.
    run_session(&state_home, &[]);
    let first = saved();
    assert!((gain_db(&first) - f64::from(FIRST_LAUNCH_GAIN_DB)).abs() < 0.1);
    let default_freq1 = freq1(&first);

    // What the standalone played, changed through its session: it comes back.
    let mut changed = first.clone();
    changed
        .sound
        .values
        .insert("freq1".into(), PresetValue::Number(321.0));
    changed.editor.zoom = 1.5;
    changed.editor.width = 900.0;
    changed.preset = Some(ShownPreset {
        name: "Church Bell".into(),
        user: false,
    });
    session::write(&file, &changed).unwrap();
    let inode = || std::os::unix::fs::MetadataExt::ino(&std::fs::metadata(&file).unwrap());
    let written = inode();
    run_session(&state_home, &[]);
    assert_ne!(
        inode(),
        written,
        "the standalone saved its session when it closed"
    );
    let reopened = saved();
    assert_eq!(freq1(&reopened), 321.0);
    assert_eq!(reopened.editor, changed.editor);
    assert_eq!(reopened.preset, changed.preset);

    // `--fresh` starts as a first launch does.
    run_session(&state_home, &["--fresh"]);
    assert_eq!(freq1(&saved()), default_freq1);

    // A damaged session is reported on stderr and ignored.
    std::fs::write(&file, b"{\"version\": 1, \"sound\": ").unwrap();
    let finished = run_session(&state_home, &[]);
    assert!(
        finished.stderr.contains("ignoring the saved session"),
        "no word of the damaged session:\n{}",
        finished.stderr
    );
    assert_eq!(
        freq1(&saved()),
        default_freq1,
        "a first launch's session replaced it"
    );
    std::fs::remove_dir_all(&state_home).unwrap();
}
