//! Files `render` reads (issue 21, items 8 and 9): what is not a regular file is refused without
//! blocking, and no file is read past its kind's cap, whatever it says its length is. Each run
//! of the binary has a deadline (a regression fails instead of hanging the suite) and a cap on
//! its address space (a regression that reads `/dev/zero` aborts instead of eating the machine).

use super::{midi_file, wav_path};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

/// Longest a refused render may take before the test calls it hung: far beyond what any run
/// needs (they take well under a second), short enough to end a hung suite.
const DEADLINE: Duration = Duration::from_secs(60);

/// Address space each run of the binary may take: the render needs well under 300 MiB of it
/// (the binary, its libraries and the thread stacks), reading /dev/zero whole would need all.
const ADDRESS_SPACE_BYTES: u64 = 1 << 30;

/// Runs `quintet` with `args`, `QUINTET_PRESET_DIR` set to `preset_dir`, within
/// [`ADDRESS_SPACE_BYTES`]; fails the test if it is still running after [`DEADLINE`].
fn quintet_bounded(args: &[&str], preset_dir: &Path) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_quintet"));
    command
        .args(args)
        .env("QUINTET_PRESET_DIR", preset_dir)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    // SAFETY: the closure runs in the forked child, where only async-signal-safe work is allowed:
    // `setrlimit` is async-signal-safe, and the error is built from errno without allocating.
    unsafe {
        command.pre_exec(|| {
            let limit = libc::rlimit {
                rlim_cur: ADDRESS_SPACE_BYTES,
                rlim_max: ADDRESS_SPACE_BYTES,
            };
            if libc::setrlimit(libc::RLIMIT_AS, &limit) == 0 {
                Ok(())
            } else {
                Err(std::io::Error::last_os_error())
            }
        });
    }
    let mut child = command.spawn().expect("the quintet binary runs");
    let started = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if started.elapsed() > DEADLINE {
            child.kill().unwrap();
            child.wait().unwrap();
            panic!("quintet {args:?} still ran after {DEADLINE:?}: it hangs");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child.wait_with_output().unwrap()
}

/// A fresh folder for this test.
fn folder(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("quintet-reads-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn mkfifo(path: &Path) {
    let status = Command::new("mkfifo").arg(path).status().unwrap();
    assert!(status.success(), "mkfifo {}", path.display());
}

/// Asserts that `output` is a refusal (status 2, one line "error: ..." saying `says`, no raw
/// escape character) and that nothing was written to `out`.
fn assert_refused(output: &Output, says: &str, out: &Path, case: &str) {
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{case}: {stderr}");
    assert!(
        stderr.starts_with("error: ") && stderr.contains(says),
        "{case}: {stderr}"
    );
    assert!(
        !stderr.contains('\u{1b}') && stderr.trim_end().lines().count() == 1,
        "{case}: {stderr:?}"
    );
    assert!(!out.exists(), "{case}: a file was written");
}

/// Runs `render -o out -q` with each case's arguments and asserts that it is refused, saying
/// what the case says (see [`assert_refused`]).
fn assert_all_refused(cases: &[(&[&str], &str)], out: &Path, preset_dir: &Path) {
    for (extra, says) in cases {
        let mut args = vec!["render", "-o", out.to_str().unwrap(), "-q"];
        args.extend_from_slice(extra);
        let output = quintet_bounded(&args, preset_dir);
        assert_refused(&output, says, out, &format!("{extra:?}"));
    }
}

/// `--preset` and `--midi` naming a device, a FIFO or a link to one are refused at once.
#[test]
fn devices_and_fifos_given_as_inputs_are_refused_without_reading_them() {
    let dir = folder("inputs");
    let fifo = dir.join("pipe.json");
    mkfifo(&fifo);
    let fifo_mid = dir.join("pipe.mid");
    mkfifo(&fifo_mid);
    let zero_link = dir.join("zero.mid");
    std::os::unix::fs::symlink("/dev/zero", &zero_link).unwrap();
    let out = wav_path("reads-inputs");
    let song = dir.join("song.mid");
    std::fs::write(&song, midi_file(0, 480, &[&[(0, &[0x90, 60, 100])]])).unwrap();
    let cases: [(&[&str], &str); 5] = [
        (&["--preset", "/dev/zero"], "a character device"),
        (&["--preset", fifo.to_str().unwrap()], "a FIFO"),
        (&["--midi", "/dev/zero"], "a character device"),
        (
            &["--midi", zero_link.to_str().unwrap()],
            "a character device",
        ),
        (&["--midi", fifo_mid.to_str().unwrap()], "a FIFO"),
    ];
    assert_all_refused(&cases, &out, &dir);
    std::fs::remove_dir_all(&dir).unwrap();
}

/// A FIFO and a link to /dev/zero in the preset folder are passed over: a preset of yours there
/// is still found by name, and the render plays it.
#[test]
fn a_fifo_or_a_device_in_the_preset_folder_is_skipped() {
    let dir = folder("folder");
    mkfifo(&dir.join("pipe.json"));
    std::os::unix::fs::symlink("/dev/zero", dir.join("zero.json")).unwrap();
    std::fs::create_dir(dir.join("folder.json")).unwrap();
    std::fs::write(
        dir.join("mine.json"),
        br#"{"format": "quintet-preset", "version": 1, "name": "Mine", "params": {"freq1": 300.0}}"#,
    )
    .unwrap();
    let out = wav_path("reads-folder");
    let output = quintet_bounded(
        &[
            "render",
            "-o",
            out.to_str().unwrap(),
            "-q",
            "--seconds",
            "0.1",
            "--preset",
            "Mine",
        ],
        &dir,
    );
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    assert!(out.exists());
    std::fs::remove_file(&out).unwrap();
    std::fs::remove_dir_all(&dir).unwrap();
}

/// A file of gigabytes is refused on its first bytes (not MIDI) or at the cap (a MIDI header
/// followed by more than a MIDI file may hold). The files are sparse: they take no disk.
#[test]
fn huge_files_are_refused_without_being_read_whole() {
    let dir = folder("huge");
    let three_gb = 3_000_000_000;
    let not_midi = dir.join("zeros.mid");
    std::fs::File::create(&not_midi)
        .unwrap()
        .set_len(three_gb)
        .unwrap();
    let midi_then_more = dir.join("huge.mid");
    std::fs::write(&midi_then_more, midi_file(0, 480, &[&[]])).unwrap();
    std::fs::OpenOptions::new()
        .write(true)
        .open(&midi_then_more)
        .unwrap()
        .set_len(three_gb)
        .unwrap();
    let huge_preset = dir.join("huge.json");
    std::fs::write(&huge_preset, br#"{"format": "quintet-preset", "#).unwrap();
    std::fs::OpenOptions::new()
        .write(true)
        .open(&huge_preset)
        .unwrap()
        .set_len(three_gb)
        .unwrap();
    let out = wav_path("reads-huge");
    let cases: [(&[&str], &str); 3] = [
        (
            &["--midi", not_midi.to_str().unwrap()],
            "not a Standard MIDI File",
        ),
        (
            &["--midi", midi_then_more.to_str().unwrap()],
            "larger than the 64 MiB a MIDI file may take",
        ),
        (
            &["--preset", huge_preset.to_str().unwrap()],
            "larger than the 64 KiB a preset file may take",
        ),
    ];
    assert_all_refused(&cases, &out, &dir);
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Issue 21, item 10: a preset file giving a key twice (serde_json alone keeps the last) is
/// refused, naming the key, and nothing is written.
#[test]
fn a_preset_file_giving_a_key_twice_is_refused_naming_it() {
    let dir = folder("twice");
    let preset = dir.join("twice.json");
    std::fs::write(
        &preset,
        br#"{"format": "quintet-preset", "version": 1, "name": "Twice",
            "params": {"freq1": 200.0, "freq1": 2000.0}}"#,
    )
    .unwrap();
    let out = wav_path("reads-twice");
    let output = quintet_bounded(
        &[
            "render",
            "-o",
            out.to_str().unwrap(),
            "-q",
            "--preset",
            preset.to_str().unwrap(),
        ],
        &dir,
    );
    assert_refused(
        &output,
        "\"params.freq1\" is there twice",
        &out,
        "freq1 twice",
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Issue 21, item 12: names and file names a user chose reach the terminal with their control
/// characters escaped (an escape sequence, a newline), never raw.
#[test]
fn names_and_paths_in_messages_are_escaped() {
    let dir = folder("escape");
    let damaged = dir.join("bad\u{1b}[2J\nname.json");
    std::fs::write(&damaged, b"{").unwrap();
    let out = wav_path("reads-escape");
    let cases: [(&[&str], &str); 2] = [
        (
            &["--preset", "Evil\u{1b}[31m\nName"],
            "Evil\\u{1b}[31m\\nName",
        ),
        (
            &["--preset", damaged.to_str().unwrap()],
            "bad\\u{1b}[2J\\nname.json",
        ),
    ];
    assert_all_refused(&cases, &out, &dir);
    std::fs::remove_dir_all(&dir).unwrap();
}
