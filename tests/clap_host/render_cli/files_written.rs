//! Issue 21, items 1–7: what `quintet render -o` may write, tried as an attacker and as a user
//! would. Each test runs the built binary in a folder of its own, so "nothing else was left" is
//! the folder's whole listing.

use super::{long_render, midi_file, quintet};
use std::fs;
use std::io::Write;
use std::os::unix::fs::{FileTypeExt, MetadataExt, PermissionsExt, symlink};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

/// A fresh, empty folder for one test, removed when dropped.
struct Folder(PathBuf);

impl Folder {
    fn new(name: &str) -> Self {
        let path =
            std::env::temp_dir().join(format!("quintet-written-{}-{name}", std::process::id()));
        let _ = fs::remove_dir_all(&path);
        fs::create_dir(&path).unwrap();
        Self(path)
    }

    fn join(&self, name: &str) -> PathBuf {
        self.0.join(name)
    }

    /// Every name in the folder, sorted, hidden ones included.
    fn names(&self) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(&self.0)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }
}

impl Drop for Folder {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

fn text(path: &Path) -> &str {
    path.to_str().unwrap()
}

/// `quintet render -o OUT -q --seconds 0.1` and `extra`.
fn render_to(out: &Path, extra: &[&str]) -> Output {
    let mut args = vec!["render", "-o", text(out), "-q", "--seconds", "0.1"];
    args.extend_from_slice(extra);
    quintet(&args)
}

/// Asserts the render was refused with exit status 2 and a message containing `says`.
fn assert_refused(output: &Output, says: &str) {
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.starts_with("error: ") && stderr.contains(says),
        "{stderr}"
    );
}

fn assert_rendered(output: &Output) {
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
}

/// Whether `path` holds a WAV file of 0.1 s at 48 kHz.
fn is_the_render(path: &Path) -> bool {
    hound::WavReader::open(path).is_ok_and(|wav| wav.duration() == 4800)
}

/// What `path` itself is (a symlink is not followed).
fn kind(path: &Path) -> fs::FileType {
    fs::symlink_metadata(path).unwrap().file_type()
}

fn is_root() -> bool {
    // SAFETY: geteuid has no preconditions.
    unsafe { libc::geteuid() == 0 }
}

/// Item 1: a FIFO, a directory and a socket named as the output are refused and stay what they
/// are (a FIFO used to be replaced by a regular file).
#[test]
fn what_is_not_a_regular_file_is_refused_and_kept() {
    let folder = Folder::new("not-files");
    let fifo = folder.join("pipe.wav");
    assert!(
        Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    let directory = folder.join("folder.wav");
    fs::create_dir(&directory).unwrap();
    let socket = folder.join("socket.wav");
    let _listener = std::os::unix::net::UnixListener::bind(&socket).unwrap();
    assert_refused(&render_to(&fifo, &[]), "is a FIFO");
    assert_refused(&render_to(&directory, &[]), "is a directory");
    assert_refused(&render_to(&socket, &[]), "is a socket");
    assert!(kind(&fifo).is_fifo());
    assert!(kind(&directory).is_dir());
    assert!(kind(&socket).is_socket());
    assert_eq!(folder.names(), ["folder.wav", "pipe.wav", "socket.wav"]);
}

/// Item 1: a character device is written through, never replaced. As root (who could replace the
/// real /dev/null) the test makes its own device nodes with mknod: a /dev/null, a /dev/full
/// (the write fails: exit 1) and a TUN device, which cannot seek (refused: exit 2).
#[test]
fn a_character_device_is_written_through() {
    if !is_root() {
        // A user cannot replace /dev/null, so it is safe to name here.
        assert_rendered(&render_to(Path::new("/dev/null"), &[]));
        assert!(kind(Path::new("/dev/null")).is_char_device());
        return;
    }
    let folder = Folder::new("devices");
    let device = |name: &str, major_minor: &str| {
        let path = folder.join(name);
        let (major, minor) = major_minor.split_once(',').unwrap();
        let made = Command::new("mknod")
            .args([text(&path), "c", major, minor])
            .status()
            .unwrap();
        assert!(made.success(), "mknod {name}");
        path
    };
    let null = device("null", "1,3");
    assert_rendered(&render_to(&null, &[]));
    // A long render too (hound seeks back to complete the header).
    assert_rendered(&quintet(&[
        "render",
        "-o",
        text(&null),
        "-q",
        "--seconds",
        "30",
    ]));
    assert!(kind(&null).is_char_device());
    let full = device("full", "1,7");
    let output = render_to(&full, &[]);
    assert_eq!(output.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&output.stderr).contains("No space left"));
    assert!(kind(&full).is_char_device());
    let tun = device("tun", "10,200");
    if fs::OpenOptions::new().write(true).open(&tun).is_ok() {
        assert_refused(&render_to(&tun, &[]), "cannot seek");
        assert!(kind(&tun).is_char_device());
    } else {
        eprintln!("no TUN driver: a device that cannot seek is not tried");
    }
    assert_eq!(folder.names(), ["full", "null", "tun"]);
}

/// Item 1: a symlink's target is written and the link stays a link (it used to be replaced by
/// a regular file, leaving the target as it was).
#[test]
fn a_symlinks_target_is_written_and_the_link_kept() {
    let folder = Folder::new("symlink");
    fs::create_dir(folder.join("takes")).unwrap();
    let real = folder.join("takes/real.wav");
    fs::write(&real, b"the old take").unwrap();
    let link = folder.join("current.wav");
    symlink("takes/real.wav", &link).unwrap();
    assert_rendered(&render_to(&link, &[]));
    assert!(kind(&link).is_symlink());
    assert!(is_the_render(&real));
    // A link to a file not there yet makes the file.
    let next = folder.join("next.wav");
    symlink("takes/next.wav", &next).unwrap();
    assert_rendered(&render_to(&next, &[]));
    assert!(kind(&next).is_symlink());
    assert!(is_the_render(&folder.join("takes/next.wav")));
    assert_eq!(folder.names(), ["current.wav", "next.wav", "takes"]);
}

/// Item 2: the output may not be an input, however it is named: the same path, a hard link,
/// a user preset found by name. Both files stay byte-identical.
#[test]
fn an_input_is_never_the_output() {
    let folder = Folder::new("inputs");
    let song = folder.join("s.mid");
    let notes: &[(u32, &[u8])] = &[(0, &[0x90, 60, 100]), (480, &[0x80, 60, 0])];
    let midi = midi_file(0, 480, &[notes]);
    fs::write(&song, &midi).unwrap();
    let song_wav = folder.join("s.wav");
    fs::hard_link(&song, &song_wav).unwrap();
    let presets = folder.join("presets");
    fs::create_dir(&presets).unwrap();
    let preset = presets.join("Mine.json");
    let preset_text =
        br#"{"format": "quintet-preset", "version": 1, "name": "Mine", "params": {"freq1": 300.0}}"#;
    fs::write(&preset, preset_text).unwrap();
    let preset_wav = presets.join("Mine.wav");
    fs::hard_link(&preset, &preset_wav).unwrap();

    // As the issue tried it, and through a hard link with a .wav name.
    for (out, option, input) in [
        (&song, "--midi", &song),
        (&song_wav, "--midi", &song),
        (&preset, "--preset", &preset),
        (&preset_wav, "--preset", &preset),
    ] {
        let says = format!("same file as the {option} file");
        assert_refused(&render_to(out, &[option, text(input)]), &says);
    }
    let by_name = Command::new(env!("CARGO_BIN_EXE_quintet"))
        .args(["render", "-o", text(&preset_wav), "-q", "--preset", "Mine"])
        .env("QUINTET_PRESET_DIR", &presets)
        .output()
        .unwrap();
    assert_refused(&by_name, "same file as the --preset file");
    assert_eq!(fs::read(&song).unwrap(), midi);
    assert_eq!(fs::read(&preset).unwrap(), preset_text);
    assert_eq!(folder.names(), ["presets", "s.mid", "s.wav"]);
}

/// Item 3: the old temporary, `.NAME.quintet-PID.part`, could be guessed and was followed
/// through a symlink planted there, overwriting what it pointed to. The render is started
/// through a shell that waits, so its process id (kept by `exec`) is known before it writes,
/// and the link is planted at that name.
#[test]
fn a_symlink_planted_at_a_guessable_name_is_not_followed() {
    let folder = Folder::new("planted");
    let victim = folder.join("victim");
    fs::write(&victim, b"someone else's file").unwrap();
    let out = folder.join("out.wav");
    let mut render = Command::new("sh")
        .args(["-c", r#"read _ && exec "$0" "$@""#])
        .arg(env!("CARGO_BIN_EXE_quintet"))
        .args(["render", "-o", text(&out), "-q", "--seconds", "0.1"])
        .stdin(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let planted = format!(".out.wav.quintet-{}.part", render.id());
    symlink(&victim, folder.join(&planted)).unwrap();
    writeln!(render.stdin.take().unwrap()).unwrap();
    let output = render.wait_with_output().unwrap();
    assert_rendered(&output);
    assert_eq!(fs::read(&victim).unwrap(), b"someone else's file");
    assert!(is_the_render(&out));
    assert!(kind(&folder.join(&planted)).is_symlink());
    assert_eq!(folder.names(), [planted.as_str(), "out.wav", "victim"]);
}

/// The file descriptors of process `pid` that are open on a file in `folder`.
fn open_in(pid: u32, folder: &Path) -> usize {
    fs::read_dir(format!("/proc/{pid}/fd"))
        .map(|fds| {
            fds.filter_map(Result::ok)
                .filter_map(|fd| fs::read_link(fd.path()).ok())
                .filter(|target| target.starts_with(folder) && target != folder)
                .count()
        })
        .unwrap_or(0)
}

/// Items 3 and 4: a render killed while it writes (SIGKILL, or a signal nothing handles:
/// SIGUSR1, SIGALRM) used to leave its hidden `.part` of hundreds of MB; now it leaves nothing,
/// and a render stopped by SIGTERM, SIGINT or SIGHUP still stops cleanly. The existing file is
/// untouched either way.
#[test]
fn a_killed_render_leaves_nothing_behind() {
    let folder = Folder::new("killed");
    let out = folder.join("out.wav");
    fs::write(&out, b"the old take").unwrap();
    for signal in ["KILL", "USR1", "ALRM", "TERM", "INT", "HUP"] {
        let render = long_render(&out);
        // Until it has its file open in the folder (bounded only so a broken build cannot hang).
        let mut waited = 0;
        while open_in(render.id(), &folder.0) == 0 && waited < 6000 {
            std::thread::sleep(std::time::Duration::from_millis(10));
            waited += 1;
        }
        assert!(
            waited < 6000,
            "SIG{signal}: the render never opened its file"
        );
        let killed = Command::new("kill")
            .args([&format!("-{signal}"), &render.id().to_string()])
            .status()
            .unwrap();
        assert!(killed.success());
        let output = render.wait_with_output().unwrap();
        assert!(!output.status.success(), "SIG{signal}: reported success");
        assert_eq!(folder.names(), ["out.wav"], "SIG{signal} left something");
        assert_eq!(fs::read(&out).unwrap(), b"the old take", "SIG{signal}");
    }
}

/// Item 4: temporaries that killed renders left (named ones, on file systems without anonymous
/// files, and the `.NAME.quintet-PID.part` of renders before issue 21) are removed by the next
/// render in the folder; a live one is kept.
#[test]
fn stale_temporaries_of_dead_renders_are_removed() {
    let folder = Folder::new("stale");
    let pid_max: u64 = fs::read_to_string("/proc/sys/kernel/pid_max")
        .unwrap()
        .trim()
        .parse()
        .unwrap();
    let stale = format!(".quintet-{}-0123456789.part", pid_max + 1);
    fs::write(folder.join(&stale), b"half a render").unwrap();
    // As renders before issue 21 named theirs.
    let legacy = format!(".take.wav.quintet-{}.part", pid_max + 1);
    fs::write(folder.join(&legacy), b"half an older render").unwrap();
    let live = format!(".quintet-{}-abcdefghij.part", std::process::id());
    fs::write(folder.join(&live), b"being written").unwrap();
    assert_rendered(&render_to(&folder.join("out.wav"), &[]));
    assert_eq!(folder.names(), [live.as_str(), "out.wav"]);
}

/// Item 5: a replaced file keeps its permissions, owner and group (as root the test gives it
/// another owner first); it used to become 0644 and the renderer's.
#[test]
fn a_replaced_file_keeps_its_mode_owner_and_group() {
    let folder = Folder::new("mode");
    let out = folder.join("shared.wav");
    fs::write(&out, b"old").unwrap();
    let owner = is_root().then_some((1234, 2345));
    if let Some((uid, gid)) = owner {
        std::os::unix::fs::chown(&out, Some(uid), Some(gid)).unwrap();
    }
    fs::set_permissions(&out, fs::Permissions::from_mode(0o640)).unwrap();
    assert_rendered(&render_to(&out, &[]));
    assert!(is_the_render(&out));
    let metadata = fs::metadata(&out).unwrap();
    assert_eq!(metadata.mode() & 0o7777, 0o640);
    if let Some(owner) = owner {
        assert_eq!((metadata.uid(), metadata.gid()), owner);
    }
    assert_eq!(folder.names(), ["shared.wav"]);
}

/// Item 5: a write-protected file (0444, which root could write) is refused as `cp` would, and
/// replaced with `--force`, still write-protected.
#[test]
fn a_write_protected_file_is_replaced_only_with_force() {
    let folder = Folder::new("protected");
    let out = folder.join("master.wav");
    fs::write(&out, b"the master").unwrap();
    fs::set_permissions(&out, fs::Permissions::from_mode(0o444)).unwrap();
    assert_refused(
        &render_to(&out, &[]),
        "write-protected (--force replaces it)",
    );
    assert_eq!(fs::read(&out).unwrap(), b"the master");
    assert_rendered(&render_to(&out, &["--force"]));
    assert!(is_the_render(&out));
    assert_eq!(fs::metadata(&out).unwrap().mode() & 0o7777, 0o444);
    assert_eq!(folder.names(), ["master.wav"]);
}

/// Item 5, for a user who is not root (the test, as root, runs the render as `nobody`): another
/// user's file the user cannot write is refused as `cp` would refuse it; one the user may write
/// but whose owner a new file cannot be given is refused too; `--force` replaces either.
#[test]
fn another_users_file_is_replaced_only_with_force() {
    if !is_root() || Command::new("setpriv").arg("--help").output().is_err() {
        eprintln!("not root, or no setpriv: the render cannot be run as another user");
        return;
    }
    let folder = Folder::new("other-user");
    fs::set_permissions(&folder.0, fs::Permissions::from_mode(0o777)).unwrap();
    // A copy `nobody` can run wherever the build is.
    let binary = folder.join("quintet");
    fs::copy(env!("CARGO_BIN_EXE_quintet"), &binary).unwrap();
    let as_nobody = |out: &Path, force: bool| {
        let mut command = Command::new("setpriv");
        command
            .args(["--reuid=nobody", "--regid=nogroup", "--clear-groups"])
            .arg(&binary)
            .args(["render", "-o", text(out), "-q", "--seconds", "0.1"]);
        if force {
            command.arg("--force");
        }
        command.output().unwrap()
    };
    for (name, mode, says) in [
        (
            "readable.wav",
            0o644,
            "write-protected (--force replaces it)",
        ),
        ("writable.wav", 0o666, "which a new file cannot be given"),
    ] {
        let out = folder.join(name);
        fs::write(&out, b"root's take").unwrap();
        fs::set_permissions(&out, fs::Permissions::from_mode(mode)).unwrap();
        assert_refused(&as_nobody(&out, false), says);
        assert_eq!(fs::read(&out).unwrap(), b"root's take");
        assert_rendered(&as_nobody(&out, true));
        assert!(is_the_render(&out));
    }
    assert_eq!(folder.names(), ["quintet", "readable.wav", "writable.wav"]);
}

/// Item 6: names up to the file system's 255 bytes render (the hidden name used to add 20 and
/// more bytes to the target's, so 239–255-byte names failed).
#[test]
fn names_up_to_255_bytes_render() {
    let folder = Folder::new("long-names");
    for length in [239, 250, 255] {
        let name = format!("{}.wav", "n".repeat(length - 4));
        let out = folder.join(&name);
        assert_rendered(&render_to(&out, &[]));
        assert!(is_the_render(&out), "{length} bytes");
    }
    assert_eq!(folder.names().len(), 3);
}

/// Item 7: only a `.wav` name (any case) is written: WAV data under another name was written
/// with exit status 0.
#[test]
fn only_wav_names_are_written() {
    let folder = Folder::new("extension");
    for name in ["out.mp3", "out.flac", "out", "out.wav.bak"] {
        assert_refused(&render_to(&folder.join(name), &[]), "does not end in .wav");
    }
    assert!(folder.names().is_empty());
    assert_rendered(&render_to(&folder.join("OUT.WAV"), &[]));
    assert!(is_the_render(&folder.join("OUT.WAV")));
}
