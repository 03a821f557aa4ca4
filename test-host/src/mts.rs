//! The tests' MTS-ESP master: the stand-in `libMTS` (tests/mts-stand-in/), which `cargo test`
//! and `cargo bench` build beside the executable as a dev-dependency of the plugin crate, loaded
//! into this process and played through its `stand_in_*` controls; and the link through which
//! the hosted plugin loads a library of the test's choice.
//!
//! The plugin and the test share the stand-in's state because they load the same file:
//! glibc loads a library once per file (device and inode), whatever path names it, so a plugin
//! loading it through [`library_link`] finds the instance [`StandIn::load`] controls.

use crate::plugin_log::beside_executable;
use std::ffi::{CStr, c_char, c_int};
use std::path::{Path, PathBuf};

/// The stand-in's library name (its file is `libMTS.so`).
pub const STAND_IN: &str = "MTS";
/// A broken stand-in missing most of the client API's symbols (tests/mts-stand-in-partial/).
pub const PARTIAL_STAND_IN: &str = "MTS_partial";

/// The file of the library named `name`, built beside this executable (target/<profile>/deps).
pub fn built_library(name: &str) -> PathBuf {
    let file = format!(
        "{}{name}{}",
        std::env::consts::DLL_PREFIX,
        std::env::consts::DLL_SUFFIX
    );
    let path = beside_executable(&file);
    assert!(
        path.exists(),
        "{} is missing: `cargo test` builds it (a dev-dependency of the plugin crate)",
        path.display()
    );
    path
}

/// The path the hosted plugin is told to load `libMTS` from (a test points
/// `QUINTET_MTS_LIBRARY` here before `main`): a symbolic link of this process's own, which
/// [`link_library`] points at the library a test wants.
pub fn library_link() -> PathBuf {
    beside_executable(&format!("mts-link-{}", std::process::id())).join("libMTS.so")
}

/// Points [`library_link`] at `target` (which need not exist: then the plugin finds no
/// library). Replaced in one rename, so a plugin never sees the link half made.
pub fn link_library(target: &Path) {
    let link = library_link();
    let folder = link.parent().expect("the link's folder");
    std::fs::create_dir_all(folder).expect("the link's folder");
    let fresh = folder.join("libMTS.so.new");
    let _ = std::fs::remove_file(&fresh);
    std::os::unix::fs::symlink(target, &fresh).expect("a symbolic link");
    std::fs::rename(&fresh, &link).expect("the link replaced");
}

/// The stand-in library, loaded into the test: its controls play the master the plugin sees.
pub struct StandIn {
    library: libloading::Library,
}

impl StandIn {
    /// Loads the stand-in ([`STAND_IN`]) into this process (once; later loads share it).
    pub fn load() -> Self {
        Self::load_from(&built_library(STAND_IN))
    }

    /// Loads the library at `path`, a stand-in exporting at least `stand_in_clients`.
    pub fn load_from(path: &Path) -> Self {
        // SAFETY: the stand-in's initialisers are Rust statics' (none run code).
        let library = unsafe { libloading::Library::new(path) }.expect("the stand-in loads");
        Self { library }
    }

    /// The control `name`, of C type `F`.
    fn control<F: Copy>(&self, name: &CStr) -> F {
        // SAFETY: each caller names a control with the type the stand-in defines it with.
        let control = unsafe { self.library.get::<F>(name.to_bytes_with_nul()) };
        *control.unwrap_or_else(|_| panic!("the stand-in exports {name:?}"))
    }

    /// No master, 12-TET everywhere, nothing filtered, the scale named "12-TET".
    pub fn reset(&self) {
        let reset: extern "C" fn() = self.control(c"stand_in_reset");
        reset();
    }

    /// A master connects (`true`) or goes away.
    pub fn set_master(&self, present: bool) {
        let set: extern "C" fn(bool) = self.control(c"stand_in_set_master");
        set(present);
    }

    /// Tunes `key` to `hz` on `channel` (0-based; that channel gets a table of its own), or on
    /// every other channel with `None`.
    pub fn set_frequency(&self, channel: Option<u8>, key: u8, hz: f64) {
        let set: extern "C" fn(c_int, c_int, f64) = self.control(c"stand_in_set_frequency");
        set(channel.map_or(-1, c_int::from), c_int::from(key), hz);
    }

    /// The master filters `key` (or plays it again) on `channel` (0-based; a filter the
    /// master applies only while that channel has a table of its own), or on every channel
    /// with `None`.
    pub fn filter(&self, channel: Option<u8>, key: u8, filtered: bool) {
        let filter: extern "C" fn(c_int, c_int, bool) = self.control(c"stand_in_filter");
        filter(channel.map_or(-1, c_int::from), c_int::from(key), filtered);
    }

    /// Names the master's scale.
    pub fn set_scale_name(&self, name: &CStr) {
        let set: unsafe extern "C" fn(*const c_char) = self.control(c"stand_in_set_scale_name");
        // SAFETY: a zero-terminated string, as the control requires.
        unsafe { set(name.as_ptr()) };
    }

    /// How many clients are registered with this library now.
    pub fn clients(&self) -> i32 {
        let clients: extern "C" fn() -> c_int = self.control(c"stand_in_clients");
        clients()
    }
}
