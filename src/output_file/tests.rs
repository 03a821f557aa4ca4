//! Each rule of [`super`], for both kinds of temporary (the anonymous one of Linux, and the
//! named one file systems without it get).

use super::*;
use std::os::unix::fs::symlink;
use tempfile::TempDir;

const SCHEMES: [Scheme; 2] = [Scheme::AnonymousFirst, Scheme::NamedOnly];

fn folder() -> TempDir {
    tempfile::Builder::new()
        .prefix("quintet-output-file-")
        .tempdir()
        .unwrap()
}

/// Writes `bytes` to `path` as [`write`] does, with the given scheme.
fn write_with(
    path: &Path,
    bytes: &[u8],
    options: &Options,
    scheme: Scheme,
) -> Result<(), OutputError> {
    let mut output = OutputFile::create_with(path, options, scheme)?;
    output.file().write_all(bytes).unwrap();
    output.commit()
}

/// The names in `folder`, sorted.
fn names(folder: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(folder)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

fn refusal(result: Result<(), OutputError>) -> Refusal {
    match result {
        Err(OutputError::Refused { why, .. }) => why,
        other => panic!("not refused: {other:?}"),
    }
}

fn is_char_device(path: &Path) -> bool {
    fs::symlink_metadata(path)
        .unwrap()
        .file_type()
        .is_char_device()
}

fn is_root() -> bool {
    // SAFETY: geteuid has no preconditions.
    unsafe { libc::geteuid() == 0 }
}

#[test]
fn a_new_file_is_written_whole_and_nothing_else_is_left() {
    for scheme in SCHEMES {
        let dir = folder();
        let path = dir.path().join("new.wav");
        write_with(&path, b"fresh", &Options::default(), scheme).unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"fresh");
        assert_eq!(names(dir.path()), ["new.wav"], "{scheme:?}");
    }
}

#[test]
fn an_uncommitted_file_leaves_the_target_and_nothing_beside_it() {
    for scheme in SCHEMES {
        let dir = folder();
        let path = dir.path().join("old.wav");
        fs::write(&path, b"old").unwrap();
        let mut output = OutputFile::create_with(&path, &Options::default(), scheme).unwrap();
        output.file().write_all(b"half of it").unwrap();
        drop(output);
        assert_eq!(fs::read(&path).unwrap(), b"old");
        assert_eq!(names(dir.path()), ["old.wav"], "{scheme:?}");
    }
}

/// Issue 21, item 1: a FIFO, a directory and a socket are refused and stay what they are.
#[test]
fn what_is_not_a_regular_file_is_refused_and_kept() {
    let dir = folder();
    let fifo = dir.path().join("pipe.wav");
    let fifo_text = CString::new(fifo.as_os_str().as_bytes()).unwrap();
    // SAFETY: a NUL-terminated path alive for the call.
    assert_eq!(unsafe { libc::mkfifo(fifo_text.as_ptr(), 0o644) }, 0);
    let socket = dir.path().join("socket.wav");
    let _listener = std::os::unix::net::UnixListener::bind(&socket).unwrap();
    let directory = dir.path().join("folder.wav");
    fs::create_dir(&directory).unwrap();
    for (path, what) in [
        (&fifo, "a FIFO"),
        (&socket, "a socket"),
        (&directory, "a directory"),
    ] {
        let why = refusal(write(path, b"x", &Options::default()));
        assert!(
            matches!(why, Refusal::NotAFile(kind) if kind.starts_with(what)),
            "{why:?}"
        );
    }
    // `/dev/stdout` into a pipe: a link whose text ("pipe:[…]") names no file.
    let (_reader, writer) = io::pipe().unwrap();
    let stdout_like = PathBuf::from(format!("/proc/self/fd/{}", writer.as_raw_fd()));
    let why = refusal(write(&stdout_like, b"x", &Options::default()));
    assert!(
        matches!(why, Refusal::NotAFile(kind) if kind.starts_with("a FIFO")),
        "{why:?}"
    );
    assert!(fs::symlink_metadata(&fifo).unwrap().file_type().is_fifo());
    assert!(
        fs::symlink_metadata(&socket)
            .unwrap()
            .file_type()
            .is_socket()
    );
    assert!(fs::symlink_metadata(&directory).unwrap().is_dir());
    assert_eq!(names(dir.path()), ["folder.wav", "pipe.wav", "socket.wav"]);
}

/// Issue 21, item 1: a symlink's target is written and the link stays, through a chain of
/// links, to a file that exists or not; a loop is refused.
#[test]
fn a_symlink_is_followed_and_kept() {
    for scheme in SCHEMES {
        let dir = folder();
        let real = dir.path().join("takes").join("real.wav");
        fs::create_dir(real.parent().unwrap()).unwrap();
        fs::write(&real, b"old").unwrap();
        let link = dir.path().join("link.wav");
        let link_to_link = dir.path().join("latest.wav");
        symlink("takes/real.wav", &link).unwrap();
        symlink(&link, &link_to_link).unwrap();
        write_with(&link_to_link, b"new", &Options::default(), scheme).unwrap();
        assert_eq!(fs::read(&real).unwrap(), b"new");
        for link in [&link, &link_to_link] {
            assert!(fs::symlink_metadata(link).unwrap().is_symlink());
        }

        let dangling = dir.path().join("dangling.wav");
        symlink("takes/next.wav", &dangling).unwrap();
        write_with(&dangling, b"next", &Options::default(), scheme).unwrap();
        assert!(fs::symlink_metadata(&dangling).unwrap().is_symlink());
        assert_eq!(
            fs::read(dir.path().join("takes/next.wav")).unwrap(),
            b"next"
        );

        let looped = dir.path().join("loop.wav");
        symlink("loop.wav", &looped).unwrap();
        let why = refusal(write_with(&looped, b"x", &Options::default(), scheme));
        assert!(matches!(why, Refusal::TooManySymlinks), "{why:?}");
    }
}

/// Issue 21, item 2: the output is compared with the inputs by device and inode.
#[test]
fn an_input_is_never_the_output() {
    let dir = folder();
    let song = dir.path().join("song.mid");
    fs::write(&song, b"MThd, really").unwrap();
    let hard_link = dir.path().join("song.wav");
    fs::hard_link(&song, &hard_link).unwrap();
    let sym_link = dir.path().join("other.wav");
    symlink(&hard_link, &sym_link).unwrap();
    let through_a_link = dir.path().join("via");
    symlink(dir.path(), &through_a_link).unwrap();
    let inputs = [("the --midi file", song.as_path())];
    let options = Options {
        inputs: &inputs,
        ..Options::default()
    };
    for output in [
        song.clone(),
        hard_link.clone(),
        sym_link.clone(),
        through_a_link.join("song.mid"),
    ] {
        let why = refusal(write(&output, b"x", &options));
        assert!(
            matches!(&why, Refusal::SameAsInput(input) if input == "the --midi file"),
            "{output:?}: {why:?}"
        );
    }
    assert_eq!(fs::read(&song).unwrap(), b"MThd, really");
    // Another file is fine.
    write(&dir.path().join("fine.wav"), b"x", &options).unwrap();
}

/// Issue 21, item 7: the extension is checked on the file written, in any ASCII case.
#[test]
fn only_the_required_extension_is_written() {
    let dir = folder();
    let options = Options {
        extension: Some("wav"),
        ..Options::default()
    };
    for name in ["out.mp3", "out", "out.wav.txt", "wav"] {
        let why = refusal(write(&dir.path().join(name), b"x", &options));
        assert!(
            matches!(&why, Refusal::WrongExtension(e) if e == "wav"),
            "{why:?}"
        );
    }
    // A .wav link to an .mp3 would write WAV data under the .mp3 name.
    symlink("out.mp3", dir.path().join("link.wav")).unwrap();
    refusal(write(&dir.path().join("link.wav"), b"x", &options));
    assert_eq!(names(dir.path()), ["link.wav"]);
    for name in ["out.wav", "OUT.WAV", "Out.Wav"] {
        write(&dir.path().join(name), b"x", &options).unwrap();
    }
}

/// Issue 21, item 5: a file without write permission for its owner is refused, for root too,
/// and replaced when forced, keeping its mode.
#[test]
fn a_write_protected_file_is_refused_unless_forced() {
    for scheme in SCHEMES {
        let dir = folder();
        let path = dir.path().join("keep.wav");
        fs::write(&path, b"precious").unwrap();
        fs::set_permissions(&path, Permissions::from_mode(0o444)).unwrap();
        let why = refusal(write_with(&path, b"x", &Options::default(), scheme));
        assert!(matches!(why, Refusal::WriteProtected), "{why:?}");
        assert_eq!(fs::read(&path).unwrap(), b"precious");
        let forced = Options {
            force: true,
            ..Options::default()
        };
        write_with(&path, b"forced", &forced, scheme).unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"forced");
        assert_eq!(fs::metadata(&path).unwrap().mode() & 0o7777, 0o444);
        assert_eq!(names(dir.path()), ["keep.wav"], "{scheme:?}");
    }
}

/// Issue 21, item 5: a replaced file keeps its permissions, and its owner and group (a test
/// of the owner needs root, who may give a file away).
#[test]
fn a_replaced_file_keeps_its_mode_owner_and_group() {
    for scheme in SCHEMES {
        for mode in [0o640, 0o600, 0o755, 0o2775] {
            let dir = folder();
            let path = dir.path().join("shared.wav");
            fs::write(&path, b"old").unwrap();
            let owner = is_root().then_some((1234, 5678));
            if let Some((uid, gid)) = owner {
                std::os::unix::fs::chown(&path, Some(uid), Some(gid)).unwrap();
            }
            fs::set_permissions(&path, Permissions::from_mode(mode)).unwrap();
            write_with(&path, b"new", &Options::default(), scheme).unwrap();
            let metadata = fs::metadata(&path).unwrap();
            assert_eq!(fs::read(&path).unwrap(), b"new");
            assert_eq!(metadata.mode() & 0o7777, mode, "{scheme:?}");
            if let Some(owner) = owner {
                assert_eq!((metadata.uid(), metadata.gid()), owner, "{scheme:?}");
            }
        }
    }
}

/// Issue 21, item 6: the temporary's name does not grow with the target's, so names up to the
/// file system's 255 bytes work.
#[test]
fn names_up_to_255_bytes_are_written() {
    for scheme in SCHEMES {
        let dir = folder();
        for length in [239, 250, 255] {
            let name = format!("{}.wav", "n".repeat(length - 4));
            let path = dir.path().join(&name);
            write_with(&path, b"long", &Options::default(), scheme).unwrap();
            // And replaced.
            write_with(&path, b"longer", &Options::default(), scheme).unwrap();
            assert_eq!(fs::read(&path).unwrap(), b"longer", "{scheme:?} {length}");
        }
    }
}

/// Issue 21, items 3 and 4: a named temporary is exclusive and random, and one left by a writer
/// that died is removed the next time a file is written in its folder, while a live writer's
/// stays.
#[test]
fn temporaries_of_dead_writers_are_removed_and_live_ones_kept() {
    let dir = folder();
    let pid_max: libc::pid_t = fs::read_to_string("/proc/sys/kernel/pid_max")
        .unwrap()
        .trim()
        .parse()
        .unwrap();
    let stale = dir
        .path()
        .join(format!(".quintet-{}-abcdefghij.part", pid_max + 1));
    fs::write(&stale, b"a killed render").unwrap();
    // A live writer elsewhere (its process is not visible here) holds its temporary's lock.
    let locked = dir
        .path()
        .join(format!(".quintet-{}-klmnopqrst.part", pid_max + 2));
    let holder = File::create(&locked).unwrap();
    holder.lock().unwrap();
    // This process lives.
    let live = dir
        .path()
        .join(format!(".quintet-{}-uvwxyzABCD.part", std::process::id()));
    fs::write(&live, b"being written").unwrap();
    // What a render killed before issue 21 left.
    let legacy = dir
        .path()
        .join(format!(".take.wav.quintet-{}.part", pid_max + 1));
    fs::write(&legacy, b"an older killed render").unwrap();
    // Not a temporary's name: never touched.
    let other = dir.path().join(format!(".quintet-{}-x.part", pid_max + 1));
    fs::write(&other, b"someone else's").unwrap();

    let mut output = OutputFile::create_with(
        &dir.path().join("a.wav"),
        &Options::default(),
        Scheme::NamedOnly,
    )
    .unwrap();
    assert!(!stale.exists());
    assert!(!legacy.exists());
    for kept in [&locked, &live, &other] {
        assert!(kept.exists(), "{kept:?}");
    }
    // This writer's own temporary is named, random and locked.
    let own: Vec<String> = names(dir.path())
        .into_iter()
        .filter(|n| temporary_pid(OsStr::new(n)) == Some(std::process::id() as libc::pid_t))
        .filter(|n| dir.path().join(n) != live)
        .collect();
    assert_eq!(own.len(), 1, "{own:?}");
    let own = File::open(dir.path().join(&own[0])).unwrap();
    assert!(own.try_lock().is_err(), "the temporary is not locked");
    output.file().write_all(b"x").unwrap();
    output.commit().unwrap();
}

/// Issue 21, item 1: a character device is written through (a copy of /dev/null made with
/// mknod, so the system's is never at risk), one that cannot seek is refused, and a device
/// that fails the write (/dev/full) reports it.
#[test]
fn a_character_device_is_written_through() {
    if !is_root() {
        // Only root makes device nodes; a user cannot replace the real /dev/null either.
        let why = write(Path::new("/dev/null"), b"x", &Options::default());
        assert!(why.is_ok(), "{why:?}");
        return;
    }
    let dir = folder();
    let device = |name: &str, major, minor| {
        let path = dir.path().join(name);
        let text = CString::new(path.as_os_str().as_bytes()).unwrap();
        // SAFETY: a NUL-terminated path alive for the call.
        let made = unsafe {
            libc::mknod(
                text.as_ptr(),
                libc::S_IFCHR | 0o666,
                libc::makedev(major, minor),
            )
        };
        assert_eq!(made, 0, "mknod {name}: {}", io::Error::last_os_error());
        path
    };
    let null = device("null", 1, 3);
    let options = Options {
        extension: Some("wav"),
        ..Options::default()
    };
    for scheme in SCHEMES {
        write_with(&null, b"into nothing", &options, scheme).unwrap();
        assert!(is_char_device(&null));
    }
    let full = device("full", 1, 7);
    let mut output = OutputFile::create(&full, &options).unwrap();
    let error = output.file().write_all(b"x").unwrap_err();
    assert_eq!(error.raw_os_error(), Some(libc::ENOSPC));
    assert!(is_char_device(&full));
    // The TUN device cannot seek; opening it changes nothing.
    let tun = device("tun", 10, 200);
    if OpenOptions::new().write(true).open(&tun).is_ok() {
        let why = refusal(write(&tun, b"x", &options));
        assert!(matches!(why, Refusal::CannotSeek), "{why:?}");
    } else {
        eprintln!("no TUN driver: the device that cannot seek is not tried");
    }
    assert_eq!(names(dir.path()), ["full", "null", "tun"]);
}
