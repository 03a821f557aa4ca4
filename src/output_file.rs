//! Every file Quintet writes — a render (`quintet render -o`), a saved preset — goes through
//! here, so each promise below holds for all of them at once.
//!
//! - **Only a regular file is ever replaced.** A symlink is followed to the file it names (the
//!   link stays a link); a character device such as `/dev/null` is written through, if it can
//!   seek (a WAV header is completed last); a FIFO, socket, directory or block device is refused.
//! - **An input is never the output**: same device and inode, so hard links, symlinks and other
//!   spellings of one file are all caught.
//! - **The target is replaced only when the new file is whole and on disk**, by a rename in its
//!   folder, so a failure or a stop leaves what was there. On Linux the new file is anonymous
//!   while it is written (`O_TMPFILE`): nothing is visible, and a process killed even by SIGKILL
//!   leaves nothing. It gets a name only for the instant between `linkat` and `rename`. Where a
//!   file system has no anonymous files, the temporary is named from the start. Either way the
//!   name is `.quintet-PID-RANDOM.part`, created exclusively (never through a planted symlink),
//!   unpredictable, and as long whatever the target's name; it is locked (`flock`) while
//!   written. The temporaries of writers that died (and those earlier renders left,
//!   `.NAME.quintet-PID.part`) are removed the next time a file is written in the folder.
//! - **A replaced file keeps its permissions, owner and group**, and a write-protected file (no
//!   write permission for its owner, which holds for root too, or none for this user) is
//!   refused unless forced, as `cp` and `rm` do.
//! - **A required extension** (`.wav` for a render, any ASCII case) is checked on the file that
//!   is written; a device has none and needs none.
//!
//! Unix only: Quintet is built and tested on Linux; another Unix would get the named
//! temporaries (untested).

use std::collections::hash_map::RandomState;
use std::ffi::{CString, OsStr};
use std::fmt;
use std::fs::{self, File, Metadata, OpenOptions, Permissions};
use std::hash::BuildHasher;
use std::io::{self, Seek, Write};
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::{FileTypeExt, MetadataExt, OpenOptionsExt, PermissionsExt};
use std::os::unix::io::AsRawFd;
use std::path::{Path, PathBuf};
use tempfile::TempPath;

/// Most symlinks followed to reach the file written: the kernel's own limit.
const MAX_SYMLINKS: usize = 40;
/// A temporary's name is `{TEMPORARY_PREFIX}{pid}-{random}{TEMPORARY_SUFFIX}`.
const TEMPORARY_PREFIX: &str = ".quintet-";
const TEMPORARY_SUFFIX: &str = ".part";
/// Between the target's name and the process id in the temporaries of renders before this
/// module: `.NAME.quintet-PID.part`.
const LEGACY_TEMPORARY_INFIX: &str = ".quintet-";
/// Random characters in a temporary's name: 62^10 names, never derived from the target's.
const TEMPORARY_RANDOM_CHARS: usize = 10;
/// Permissions of a new file before the umask, as any program creates files.
const NEW_FILE_MODE: u32 = 0o666;
/// Permissions of a file written to replace another, until it takes the other's at the end.
const REPLACEMENT_MODE: u32 = 0o600;
/// The owner's write permission: a file without it is write-protected, even for root.
const OWNER_WRITE: u32 = 0o200;
/// Where an anonymous file's path for `linkat` comes from; without it the temporary is named.
#[cfg(target_os = "linux")]
const PROC_SELF_FD: &str = "/proc/self/fd";

/// What a write is allowed, and what it must not touch.
#[derive(Clone, Copy, Debug, Default)]
pub struct Options<'a> {
    /// The files read to make the output, each with how the user named it (e.g. `--midi`): the
    /// output must not be any of them.
    pub inputs: &'a [(&'a str, &'a Path)],
    /// The extension the file written must have (without the dot, any ASCII case); a device is
    /// exempt.
    pub extension: Option<&'a str>,
    /// Replace a write-protected file, or one whose owner cannot be kept, as `cp -f` does.
    pub force: bool,
}

/// Why a file was not written.
#[derive(Debug)]
pub enum OutputError {
    /// Writing there is refused by the rules above: nothing was written (a bad argument).
    Refused { path: PathBuf, why: Refusal },
    /// The system failed to write it: nothing was replaced.
    Io { path: PathBuf, error: io::Error },
}

/// The rule a refused output breaks.
#[derive(Debug)]
pub enum Refusal {
    /// Not a regular file nor a character device: what it is ("a FIFO", ...).
    NotAFile(&'static str),
    /// A character device that cannot seek (a terminal).
    CannotSeek,
    /// The output is this input (how the user named it).
    SameAsInput(String),
    /// The name does not end in this extension.
    WrongExtension(String),
    /// A file without write permission, replaced only when forced.
    WriteProtected,
    /// An existing file's owner and group (uid, gid) could not be given to its replacement.
    OwnerNotKept {
        uid: u32,
        gid: u32,
        error: io::Error,
    },
    /// More symlinks than the kernel follows (a loop).
    TooManySymlinks,
    /// The target changed while it was written: it is now what this says.
    Changed(&'static str),
}

impl OutputError {
    /// The path as the user named it.
    pub fn path(&self) -> &Path {
        match self {
            OutputError::Refused { path, .. } | OutputError::Io { path, .. } => path,
        }
    }
}

impl fmt::Display for OutputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The path as typed may hold control characters: never sent raw to a terminal.
        let path = crate::user_text::escape_path(self.path());
        match self {
            OutputError::Io { error, .. } => write!(f, "cannot write {path}: {error}"),
            OutputError::Refused { why, .. } => match why {
                Refusal::NotAFile(what) => write!(
                    f,
                    "{path} is {what}: only a regular file is replaced (or a character device \
                     such as /dev/null written through)"
                ),
                Refusal::CannotSeek => write!(
                    f,
                    "{path} is a device that cannot seek, and the file's header is completed \
                     last: write to a file (or /dev/null)"
                ),
                Refusal::SameAsInput(input) => write!(
                    f,
                    "{path} is the same file as {}: an input is never overwritten",
                    crate::user_text::escape(input)
                ),
                Refusal::WrongExtension(extension) => write!(
                    f,
                    "{path} does not end in .{extension}: what is written is {} (name the file \
                     ….{extension})",
                    extension.to_uppercase()
                ),
                Refusal::WriteProtected => write!(f, "{path} is write-protected"),
                Refusal::OwnerNotKept { uid, gid, error } => write!(
                    f,
                    "{path} belongs to user {uid} and group {gid}, which a new file cannot be \
                     given ({error}): it would become yours"
                ),
                Refusal::TooManySymlinks => {
                    write!(f, "{path}: more than {MAX_SYMLINKS} symlinks (a loop?)")
                }
                Refusal::Changed(what) => write!(
                    f,
                    "{path} became {what} while it was written: it was left as it is"
                ),
            },
        }
    }
}

impl std::error::Error for OutputError {}

/// A file being written: [`file`](Self::file) takes the bytes, [`commit`](Self::commit) puts
/// them in place. Dropped without a commit, it leaves the target as it was and nothing beside
/// it.
#[derive(Debug)]
pub struct OutputFile {
    /// The path as the user named it, for messages.
    path: PathBuf,
    /// The file written: `path` with its symlinks followed.
    target: PathBuf,
    /// Where the bytes go: the device itself, or the target's replacement.
    file: File,
    kind: Kind,
}

#[derive(Debug)]
enum Kind {
    /// A character device, written in place.
    Device,
    /// A new file for the target, renamed over it by `commit`.
    Replacement {
        temporary: Temporary,
        /// The replaced file's permission bits, given to the new file before the rename.
        keep_mode: Option<u32>,
    },
}

#[derive(Debug)]
enum Temporary {
    /// Anonymous (`O_TMPFILE`): named only at `commit`, gone with the process before that.
    #[cfg(target_os = "linux")]
    Anonymous,
    /// Named from the start; removed when dropped uncommitted.
    Named(TempPath),
}

/// How temporaries may be made (tests use the named ones alone, which every file system has).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Scheme {
    AnonymousFirst,
    #[cfg_attr(not(test), allow(dead_code))]
    NamedOnly,
}

impl OutputFile {
    /// Opens `path` for writing under the rules in the module documentation, checking all of
    /// them before anything is written.
    pub fn create(path: &Path, options: &Options) -> Result<Self, OutputError> {
        Self::create_with(path, options, Scheme::AnonymousFirst)
    }

    fn create_with(path: &Path, options: &Options, scheme: Scheme) -> Result<Self, OutputError> {
        let open = || -> Result<Self, Failure> {
            let found = Found::at(path)?;
            found.check(options)?;
            let (file, kind) = match &found.existing {
                Some(device) if device.file_type().is_char_device() => {
                    (open_device(&found.device_path, device)?, Kind::Device)
                }
                existing => open_replacement(&found.target, existing.as_ref(), options, scheme)?,
            };
            Ok(Self {
                path: path.to_path_buf(),
                target: found.target,
                file,
                kind,
            })
        };
        open().map_err(|failure| failure.at(path))
    }

    /// Where to write the bytes (it seeks: a WAV writer completes its header last).
    pub fn file(&mut self) -> &mut File {
        &mut self.file
    }

    /// The new file on disk and in place of the target (a device: written already).
    pub fn commit(self) -> Result<(), OutputError> {
        let path = self.path.clone();
        self.put_in_place().map_err(|failure| failure.at(&path))
    }

    fn put_in_place(self) -> Result<(), Failure> {
        let Kind::Replacement {
            temporary,
            keep_mode,
        } = self.kind
        else {
            return Ok(());
        };
        // Set after the owner (a change of owner clears set-id bits) and after the writes.
        if let Some(mode) = keep_mode {
            self.file.set_permissions(Permissions::from_mode(mode))?;
        }
        self.file.sync_all()?;
        if let Ok(now) = fs::symlink_metadata(&self.target)
            && !now.is_file()
        {
            let what = not_writable_kind(&now).unwrap_or("a device or a symlink");
            return Err(Refusal::Changed(what).into());
        }
        let folder = folder_of(&self.target);
        let named = match temporary {
            #[cfg(target_os = "linux")]
            Temporary::Anonymous => link_anonymous(&self.file, folder)?,
            Temporary::Named(path) => path,
        };
        named.persist(&self.target).map_err(|e| e.error)?;
        // The rename is durable once the folder is synced. It is done whatever this says, and
        // some file systems cannot sync a folder: nothing useful to report.
        let _ = File::open(folder).and_then(|folder| folder.sync_all());
        Ok(())
    }
}

/// Writes `bytes` as the whole file at `path`, under the rules of [`OutputFile`].
pub fn write(path: &Path, bytes: &[u8], options: &Options) -> Result<(), OutputError> {
    let mut output = OutputFile::create(path, options)?;
    output
        .file()
        .write_all(bytes)
        .map_err(|error| Failure::Io(error).at(path))?;
    output.commit()
}

/// Why a step failed, before the path is attached ([`OutputError`]).
enum Failure {
    Refused(Refusal),
    Io(io::Error),
}

impl Failure {
    fn at(self, path: &Path) -> OutputError {
        let path = path.to_path_buf();
        match self {
            Failure::Refused(why) => OutputError::Refused { path, why },
            Failure::Io(error) => OutputError::Io { path, error },
        }
    }
}

impl From<Refusal> for Failure {
    fn from(why: Refusal) -> Self {
        Failure::Refused(why)
    }
}

impl From<io::Error> for Failure {
    fn from(error: io::Error) -> Self {
        Failure::Io(error)
    }
}

/// What an output path names.
struct Found {
    /// The path with its symlinks followed: the file replaced.
    target: PathBuf,
    /// What is there (`None`: nothing yet).
    existing: Option<Metadata>,
    /// The path a device is opened by: `target`, or the path as given when only the kernel
    /// can follow its link.
    device_path: PathBuf,
}

impl Found {
    fn at(path: &Path) -> Result<Self, Failure> {
        let target = resolve(path)?.ok_or(Refusal::TooManySymlinks)?;
        let existing = match fs::symlink_metadata(&target) {
            Ok(metadata) => Some(metadata),
            Err(error) if error.kind() == io::ErrorKind::NotFound => None,
            Err(error) => return Err(error.into()),
        };
        // A link the kernel follows but whose text names no file (`/dev/stdout` is
        // `/proc/self/fd/1`, which reads "pipe:[…]"): what it reaches can be written through
        // if it is a device, and cannot be replaced by name whatever it is.
        match (existing, fs::metadata(path)) {
            (None, Ok(reached)) if reached.file_type().is_char_device() => Ok(Self {
                target,
                existing: Some(reached),
                device_path: path.to_path_buf(),
            }),
            (None, Ok(reached)) => {
                let what = not_writable_kind(&reached).unwrap_or("a file with no name to replace");
                Err(Refusal::NotAFile(what).into())
            }
            (existing, _) => Ok(Self {
                device_path: target.clone(),
                target,
                existing,
            }),
        }
    }

    /// The rules an output keeps, checked before anything is opened for writing.
    fn check(&self, options: &Options) -> Result<(), Refusal> {
        if let Some(existing) = &self.existing {
            if let Some(what) = not_writable_kind(existing) {
                return Err(Refusal::NotAFile(what));
            }
            let input = options
                .inputs
                .iter()
                .find(|(_, input)| fs::metadata(input).is_ok_and(|m| same_file(&m, existing)));
            if let Some((name, _)) = input {
                return Err(Refusal::SameAsInput((*name).to_owned()));
            }
            if existing.file_type().is_char_device() {
                return Ok(());
            }
        }
        if self.target.file_name().is_none() {
            return Err(Refusal::NotAFile("not a file name"));
        }
        if let Some(extension) = options.extension {
            let matches = self
                .target
                .extension()
                .is_some_and(|e| e.eq_ignore_ascii_case(extension));
            if !matches {
                return Err(Refusal::WrongExtension(extension.to_owned()));
            }
        }
        match &self.existing {
            Some(existing) if !options.force && write_protected(&self.target, existing) => {
                Err(Refusal::WriteProtected)
            }
            _ => Ok(()),
        }
    }
}

/// The new file for `target` (replacing `existing`, if there is one), in its folder: the
/// folder's stale temporaries removed first, the old file's owner and group given at once.
fn open_replacement(
    target: &Path,
    existing: Option<&Metadata>,
    options: &Options,
    scheme: Scheme,
) -> Result<(File, Kind), Failure> {
    let folder = folder_of(target);
    remove_stale_temporaries(folder);
    let mode = existing.map_or(NEW_FILE_MODE, |_| REPLACEMENT_MODE);
    let (file, temporary) = temporary_in(folder, mode, scheme)?;
    if let Some(existing) = existing
        && let Err(error) = keep_owner(&file, existing)
        && !options.force
    {
        return Err(Refusal::OwnerNotKept {
            uid: existing.uid(),
            gid: existing.gid(),
            error,
        }
        .into());
    }
    let kind = Kind::Replacement {
        temporary,
        keep_mode: existing.map(|m| m.mode() & 0o7777),
    };
    Ok((file, kind))
}

/// `path` with its symlinks followed to the file they name (which may not exist yet); `None`
/// after [`MAX_SYMLINKS`].
fn resolve(path: &Path) -> io::Result<Option<PathBuf>> {
    let mut current = path.to_path_buf();
    for _ in 0..=MAX_SYMLINKS {
        match fs::symlink_metadata(&current) {
            Ok(metadata) if metadata.file_type().is_symlink() => {
                // Relative to the folder holding the link (an absolute target replaces it all).
                let link = fs::read_link(&current)?;
                current = folder_of(&current).join(link);
            }
            _ => return Ok(Some(current)),
        }
    }
    Ok(None)
}

/// The folder holding `path` ("." for a bare name).
fn folder_of(path: &Path) -> &Path {
    match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    }
}

/// What `metadata` describes when it is neither a regular file nor a character device (never
/// a symlink: those are followed first).
fn not_writable_kind(metadata: &Metadata) -> Option<&'static str> {
    let kind = metadata.file_type();
    if kind.is_file() || kind.is_char_device() {
        None
    } else if kind.is_dir() {
        Some("a directory")
    } else {
        Some(crate::file_read::special_kind(&kind))
    }
}

fn same_file(a: &Metadata, b: &Metadata) -> bool {
    (a.dev(), a.ino()) == (b.dev(), b.ino())
}

/// Whether the file at `path` is write-protected: no write permission for its owner (which
/// `access` ignores for root), or none for this user.
fn write_protected(path: &Path, metadata: &Metadata) -> bool {
    if metadata.mode() & OWNER_WRITE == 0 {
        return true;
    }
    let Ok(path) = CString::new(path.as_os_str().as_bytes()) else {
        return false;
    };
    // SAFETY: `path` is a NUL-terminated string alive for the call.
    let status =
        unsafe { libc::faccessat(libc::AT_FDCWD, path.as_ptr(), libc::W_OK, libc::AT_EACCESS) };
    status != 0 && io::Error::last_os_error().raw_os_error() == Some(libc::EACCES)
}

/// The character device `expected` describes, open for writing. Opened without blocking (a
/// FIFO swapped in would block an open for ever) and without becoming the controlling
/// terminal, then made blocking for the writes; refused if it is no longer that device or
/// cannot seek.
fn open_device(path: &Path, expected: &Metadata) -> Result<File, Failure> {
    let file = OpenOptions::new()
        .write(true)
        .custom_flags(libc::O_NONBLOCK | libc::O_NOCTTY)
        .open(path)?;
    let opened = file.metadata()?;
    if !opened.file_type().is_char_device() || !same_file(&opened, expected) {
        return Err(Refusal::Changed("something other than the device it was").into());
    }
    let fd = file.as_raw_fd();
    // SAFETY: `fd` is open for as long as `file`; F_GETFL and F_SETFL touch only its flags.
    let flags = unsafe { libc::fcntl(fd, libc::F_GETFL) };
    // SAFETY: as above.
    if flags < 0 || unsafe { libc::fcntl(fd, libc::F_SETFL, flags & !libc::O_NONBLOCK) } < 0 {
        return Err(io::Error::last_os_error().into());
    }
    match (&file).stream_position() {
        Ok(_) => Ok(file),
        Err(error) if error.raw_os_error() == Some(libc::ESPIPE) => Err(Refusal::CannotSeek.into()),
        Err(error) => Err(error.into()),
    }
}

/// Gives `file` the owner and group of `existing` (root may give any; a user only a group of
/// theirs, and only to their own file).
fn keep_owner(file: &File, existing: &Metadata) -> io::Result<()> {
    let own = file.metadata()?;
    if (own.uid(), own.gid()) == (existing.uid(), existing.gid()) {
        return Ok(());
    }
    std::os::unix::fs::fchown(file, Some(existing.uid()), Some(existing.gid()))
}

/// A new, empty file in `folder` with permissions `mode` (less the umask), locked so that no
/// other writer takes it for stale: anonymous if the scheme, the kernel and the file system
/// allow, else under an exclusive random name.
fn temporary_in(folder: &Path, mode: u32, scheme: Scheme) -> io::Result<(File, Temporary)> {
    #[cfg(target_os = "linux")]
    if scheme == Scheme::AnonymousFirst
        && let Some(file) = anonymous_in(folder, mode)?
    {
        file.lock()?;
        return Ok((file, Temporary::Anonymous));
    }
    let _ = scheme;
    let named = temporary_name(folder, |path| {
        let file = OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(mode)
            .open(path)?;
        file.lock()?;
        Ok(file)
    })?;
    let (file, path) = named.into_parts();
    Ok((file, Temporary::Named(path)))
}

/// An anonymous file in `folder` (`O_TMPFILE`), or `None` where the kernel or the file system
/// has none, or `/proc` is missing to name it later.
#[cfg(target_os = "linux")]
fn anonymous_in(folder: &Path, mode: u32) -> io::Result<Option<File>> {
    if !Path::new(PROC_SELF_FD).is_dir() {
        return Ok(None);
    }
    match OpenOptions::new()
        .write(true)
        .mode(mode)
        .custom_flags(libc::O_TMPFILE)
        .open(folder)
    {
        Ok(file) => Ok(Some(file)),
        // EISDIR: a kernel without O_TMPFILE; EOPNOTSUPP: a file system without it.
        Err(error) if matches!(error.raw_os_error(), Some(libc::EOPNOTSUPP | libc::EISDIR)) => {
            Ok(None)
        }
        Err(error) => Err(error),
    }
}

/// The anonymous `file` given a temporary name in `folder`, ready to be renamed. `linkat`
/// never follows a symlink at the new name and fails if the name exists (a new one is drawn).
#[cfg(target_os = "linux")]
fn link_anonymous(file: &File, folder: &Path) -> io::Result<TempPath> {
    let source = CString::new(format!("{PROC_SELF_FD}/{}", file.as_raw_fd()))?;
    let named = temporary_name(folder, |path| {
        let name = CString::new(path.as_os_str().as_bytes())?;
        // SAFETY: both are NUL-terminated strings alive for the call.
        let status = unsafe {
            libc::linkat(
                libc::AT_FDCWD,
                source.as_ptr(),
                libc::AT_FDCWD,
                name.as_ptr(),
                libc::AT_SYMLINK_FOLLOW,
            )
        };
        if status == 0 {
            Ok(())
        } else {
            Err(io::Error::last_os_error())
        }
    })?;
    Ok(named.into_temp_path())
}

/// Runs `make` on fresh random temporary names in `folder` until one is free (`make` must fail
/// with `AlreadyExists` on a taken one); the name is removed when the result is dropped.
fn temporary_name<R>(
    folder: &Path,
    make: impl FnMut(&Path) -> io::Result<R>,
) -> io::Result<tempfile::NamedTempFile<R>> {
    let prefix = format!("{TEMPORARY_PREFIX}{}-", std::process::id());
    // tempfile draws from this thread's fastrand generator, seeded from the clock unless told
    // otherwise: std's hasher keys come from the system's randomness.
    fastrand::seed(RandomState::new().hash_one(std::process::id()));
    tempfile::Builder::new()
        .prefix(&prefix)
        .suffix(TEMPORARY_SUFFIX)
        .rand_bytes(TEMPORARY_RANDOM_CHARS)
        .make_in(folder, make)
}

/// Removes the temporaries in `folder` that writers which died left behind (a named temporary
/// outlives a writer that is killed; an anonymous one could, in the instant it has a name). A
/// writer's temporary is kept while its process lives here or anyone holds its lock, which a
/// writer in another PID namespace or on another machine sharing the folder does.
fn remove_stale_temporaries(folder: &Path) {
    let Ok(entries) = fs::read_dir(folder) else {
        return;
    };
    for entry in entries.filter_map(Result::ok) {
        let Some(pid) = temporary_pid(&entry.file_name()) else {
            continue;
        };
        // Only regular files are opened: a device's open may do something.
        if process_lives(pid) || !entry.file_type().is_ok_and(|kind| kind.is_file()) {
            continue;
        }
        let path = entry.path();
        let Ok(file) = OpenOptions::new()
            .read(true)
            .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK)
            .open(&path)
        else {
            continue;
        };
        if file.metadata().is_ok_and(|m| m.is_file()) && file.try_lock().is_ok() {
            let _ = fs::remove_file(&path);
        }
    }
}

/// The writer's process id in a temporary's name, `None` for any other name. Renders before
/// this module named theirs `.NAME.quintet-PID.part` and left them when killed: those count too.
fn temporary_pid(name: &OsStr) -> Option<libc::pid_t> {
    let name = name.to_str()?.strip_suffix(TEMPORARY_SUFFIX)?;
    let pid = name
        .strip_prefix(TEMPORARY_PREFIX)
        .and_then(|middle| middle.split_once('-'))
        .filter(|(_, random)| random.len() == TEMPORARY_RANDOM_CHARS)
        .map(|(pid, _)| pid)
        .or_else(|| {
            let (target, pid) = name
                .strip_prefix('.')?
                .rsplit_once(LEGACY_TEMPORARY_INFIX)?;
            (!target.is_empty()).then_some(pid)
        })?;
    pid.parse().ok().filter(|&pid| pid > 0)
}

/// Whether process `pid` exists (as far as this PID namespace sees).
fn process_lives(pid: libc::pid_t) -> bool {
    // SAFETY: signal 0 only checks that the process exists and may be signalled.
    let status = unsafe { libc::kill(pid, 0) };
    status == 0 || io::Error::last_os_error().raw_os_error() == Some(libc::EPERM)
}

#[cfg(test)]
mod tests;
