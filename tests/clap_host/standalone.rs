//! The standalone program's own arguments: `--help` tells of the `render` command, `--version`
//! answers, and numbers the audio backend cannot use are refused before the framework sees them,
//! with a message and exit status 2, instead of a panicking audio thread, a 16 GiB allocation or
//! a busy loop.

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
