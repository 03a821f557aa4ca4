//! The standalone program's own arguments: numbers the audio backend cannot use are refused
//! before the framework sees them, with a message and exit status 2, instead of a panicking audio
//! thread, a 16 GiB allocation or a busy loop.

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Runs the standalone with `args` (dummy backend, no display); its exit code and stderr, or a
/// failure if it is still running after a few seconds (it started instead of refusing).
fn run_standalone(args: &[&str]) -> (Option<i32>, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_quintet"))
        .args(["--backend", "dummy"])
        .args(args)
        .env_remove("DISPLAY")
        .env_remove("WAYLAND_DISPLAY")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
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
            panic!("{args:?}: the standalone started instead of refusing");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let output = child.wait_with_output().expect("the standalone's output");
    (
        output.status.code(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn bad_sample_rates_and_period_sizes_are_refused_with_a_reason() {
    for args in [
        &["--sample-rate", "1e-30"][..],
        &["-r", "0"],
        &["-r", "nan"],
        &["-r", "inf"],
        &["--sample-rate=-48000"],
        &["--period-size", "4294967295"],
        &["-p", "0"],
        &["-p7"],
    ] {
        let (code, stderr) = run_standalone(args);
        assert_eq!(code, Some(2), "{args:?}: exit status; stderr: {stderr}");
        let flag = if args[0].starts_with("--s") || args[0].starts_with("-r") {
            "--sample-rate"
        } else {
            "--period-size"
        };
        assert!(
            stderr.contains(flag) && stderr.contains("must be"),
            "{args:?}: the message does not say what is wrong: {stderr}"
        );
    }
}
