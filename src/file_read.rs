//! Reading a file a user names (a preset, a MIDI file, whatever sits in the preset folder)
//! without trusting it: every file Quintet reads goes through [`open`].
//!
//! - Only regular files are read. A FIFO would block the thread that opens it forever (the
//!   standalone's main thread, a DAW's GUI thread), a device such as `/dev/zero` never ends, a
//!   directory is no file. The path is checked with `stat` before it is opened (so no device
//!   is ever opened), then opened with `O_NONBLOCK` (so a FIFO put there in between cannot
//!   block the open) and checked again on the open file with `fstat`, which no swap of the
//!   path can fool. `O_NONBLOCK` is left set: on a regular file Linux ignores it.
//! - At most a cap of bytes is read, counted while reading: the size a file reports is never
//!   trusted (a file can grow while it is read, and `/proc` files report 0).
//! - A kind with a header (a MIDI file) checks it on the first bytes before the rest is read,
//!   so a 3 GB file of something else is refused after a few bytes.

use std::fmt;
use std::fs::File;
use std::io::{self, Read};
use std::path::Path;

/// How much of one kind of file is read at most.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limit {
    /// The kind of file, for messages ("a preset file").
    pub what: &'static str,
    /// Most bytes read; a file holding more is refused.
    pub max_bytes: usize,
}

/// Why a file was not read. `Display` is meant for a person; it does not name the path (the
/// caller does, escaped).
#[derive(Debug)]
pub enum ReadError {
    /// The file could not be opened or read.
    Io(io::Error),
    /// Not a regular file: what it is instead ("a FIFO (named pipe)", "a directory", ...).
    NotRegular(&'static str),
    /// The file holds more than `limit.max_bytes`.
    TooLarge(Limit),
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Io(error) => write!(f, "cannot read it: {error}"),
            Self::NotRegular(kind) => write!(f, "{kind}, not a regular file: not read"),
            Self::TooLarge(limit) => write!(
                f,
                "larger than the {} {} may take: not read",
                bytes_text(limit.max_bytes),
                limit.what
            ),
        }
    }
}

impl std::error::Error for ReadError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Io(error) => Some(error),
            _ => None,
        }
    }
}

impl From<io::Error> for ReadError {
    fn from(error: io::Error) -> Self {
        Self::Io(error)
    }
}

/// `bytes` as a person reads it: "64 KiB", "64 MiB", "100 bytes".
fn bytes_text(bytes: usize) -> String {
    const KIB: usize = 1024;
    match bytes {
        b if b >= KIB * KIB && b % (KIB * KIB) == 0 => format!("{} MiB", b / (KIB * KIB)),
        b if b >= KIB && b % KIB == 0 => format!("{} KiB", b / KIB),
        b => format!("{b} bytes"),
    }
}

/// A regular file opened for reading, and the bytes read from it so far.
#[derive(Debug)]
pub struct RegularFile {
    file: File,
    limit: Limit,
    bytes: Vec<u8>,
    /// Whether the end of the file was reached.
    ended: bool,
}

/// Opens the regular file at `path` (following symbolic links) to read at most
/// `limit.max_bytes` of it; refuses anything else without blocking (see the module
/// documentation).
pub fn open(path: &Path, limit: Limit) -> Result<RegularFile, ReadError> {
    refuse_irregular(&std::fs::metadata(path)?)?;
    let file = open_nonblocking(path)?;
    refuse_irregular(&file.metadata()?)?;
    Ok(RegularFile {
        file,
        limit,
        bytes: Vec::new(),
        ended: false,
    })
}

/// The whole regular file at `path`, if it holds at most `limit.max_bytes`.
pub fn read(path: &Path, limit: Limit) -> Result<Vec<u8>, ReadError> {
    open(path, limit)?.read_whole()
}

impl RegularFile {
    /// The first `len` bytes (fewer if the file or the limit is shorter), read no further than
    /// needed: a header is checked before the rest is read.
    pub fn head(&mut self, len: usize) -> Result<&[u8], ReadError> {
        let len = len.min(self.limit.max_bytes);
        self.fill(len)?;
        Ok(&self.bytes[..len.min(self.bytes.len())])
    }

    /// Reads until `want` bytes are in or the file ends.
    fn fill(&mut self, want: usize) -> io::Result<()> {
        while self.bytes.len() < want && !self.ended {
            let missing = (want - self.bytes.len()) as u64;
            let read = (&mut self.file)
                .take(missing)
                .read_to_end(&mut self.bytes)?;
            self.ended = (read as u64) < missing;
        }
        Ok(())
    }

    /// Every byte of the file, if it holds at most the limit's bytes: reading stops one byte
    /// past the limit, whatever the file says its length is.
    pub fn read_whole(mut self) -> Result<Vec<u8>, ReadError> {
        self.fill(self.limit.max_bytes + 1)?;
        if self.bytes.len() > self.limit.max_bytes {
            return Err(ReadError::TooLarge(self.limit));
        }
        Ok(self.bytes)
    }
}

/// Refuses what `metadata` describes unless it is a regular file.
fn refuse_irregular(metadata: &std::fs::Metadata) -> Result<(), ReadError> {
    let kind = metadata.file_type();
    if kind.is_file() {
        return Ok(());
    }
    Err(ReadError::NotRegular(if kind.is_dir() {
        "a folder"
    } else {
        special_kind(&kind)
    }))
}

/// What a file that is neither a regular file nor a folder is, for messages ("a FIFO (named
/// pipe)"); `output_file` names what it refuses the same way.
#[cfg(unix)]
pub(crate) fn special_kind(kind: &std::fs::FileType) -> &'static str {
    use std::os::unix::fs::FileTypeExt;
    if kind.is_fifo() {
        "a FIFO (named pipe)"
    } else if kind.is_char_device() {
        "a character device"
    } else if kind.is_block_device() {
        "a block device"
    } else if kind.is_socket() {
        "a socket"
    } else {
        "a special file"
    }
}

#[cfg(not(unix))]
pub(crate) fn special_kind(_: &std::fs::FileType) -> &'static str {
    "a special file"
}

/// Opens `path` for reading without blocking: a FIFO without a writer opens at once (and is
/// then refused), instead of waiting for one forever. Never the controlling terminal either.
#[cfg(unix)]
fn open_nonblocking(path: &Path) -> io::Result<File> {
    use std::os::unix::fs::OpenOptionsExt;
    std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK | libc::O_NOCTTY)
        .open(path)
}

#[cfg(not(unix))]
fn open_nonblocking(path: &Path) -> io::Result<File> {
    File::open(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SMALL: Limit = Limit {
        what: "a test file",
        max_bytes: 16,
    };

    fn temp_path(name: &str) -> std::path::PathBuf {
        std::env::temp_dir().join(format!("quintet-read-{}-{name}", std::process::id()))
    }

    #[test]
    fn a_regular_file_within_the_limit_is_read_whole() {
        let path = temp_path("small");
        std::fs::write(&path, b"0123456789abcdef").unwrap();
        assert_eq!(read(&path, SMALL).unwrap(), b"0123456789abcdef");
        std::fs::remove_file(&path).unwrap();
    }

    #[test]
    fn a_file_past_the_limit_is_refused() {
        let path = temp_path("large");
        std::fs::write(&path, [b'x'; 17]).unwrap();
        let error = read(&path, SMALL).unwrap_err();
        assert!(matches!(error, ReadError::TooLarge(SMALL)), "{error:?}");
        assert_eq!(
            error.to_string(),
            "larger than the 16 bytes a test file may take: not read"
        );
        std::fs::remove_file(&path).unwrap();
    }

    /// An endless device is refused before a byte of it is read; the same through a link.
    #[cfg(unix)]
    #[test]
    fn devices_and_links_to_them_are_refused_unread() {
        let link = temp_path("zero-link");
        let _ = std::fs::remove_file(&link);
        std::os::unix::fs::symlink("/dev/zero", &link).unwrap();
        for path in [Path::new("/dev/zero"), &link] {
            let error = read(path, SMALL).unwrap_err();
            assert!(
                matches!(error, ReadError::NotRegular("a character device")),
                "{}: {error:?}",
                path.display()
            );
        }
        std::fs::remove_file(&link).unwrap();
        let error = read(&std::env::temp_dir(), SMALL).unwrap_err();
        assert!(
            matches!(error, ReadError::NotRegular("a folder")),
            "{error:?}"
        );
    }

    /// A FIFO without a writer would block a plain `open` forever: refused at once. (Were it
    /// opened, this test would hang; the CLI tests run the same case under a timeout.)
    #[cfg(unix)]
    #[test]
    fn a_fifo_is_refused_without_blocking() {
        let fifo = temp_path("fifo");
        let _ = std::fs::remove_file(&fifo);
        let status = std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap();
        assert!(status.success());
        let error = read(&fifo, SMALL).unwrap_err();
        assert!(
            matches!(error, ReadError::NotRegular("a FIFO (named pipe)")),
            "{error:?}"
        );
        std::fs::remove_file(&fifo).unwrap();
    }

    #[test]
    fn a_header_is_read_alone_first() {
        let path = temp_path("head");
        std::fs::write(&path, b"MThd and the rest").unwrap();
        let mut file = open(&path, SMALL).unwrap();
        assert_eq!(file.head(4).unwrap(), b"MThd");
        assert_eq!(file.bytes.len(), 4, "nothing past the header was read");
        assert_eq!(
            file.head(40).unwrap(),
            b"MThd and the res",
            "up to the limit"
        );
        let error = file.read_whole().unwrap_err();
        assert!(matches!(error, ReadError::TooLarge(_)), "{error:?}");
        std::fs::remove_file(&path).unwrap();
    }
}
