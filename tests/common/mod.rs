//! A small CLAP host for Quintet's integration tests: it loads the built plugin binary through
//! `clack-host` and drives it the way a DAW does.
//!
//! - [`host::QuintetHost`] owns one plugin instance on the current thread (the plugin's main
//!   thread), answers the plugin's params/state/log callbacks, and renders audio on a separate
//!   audio thread with parameter events at sample offsets. Start there.
//! - [`plugin_log`] captures what the plugin logs (through `NICE_LOG`) during a call.
//! - [`random`] is a seeded generator and a list of hostile values for the fuzz tests.
//! - [`signal`] holds what the tests measure: the exact expected signal, the largest sample step
//!   a sum of sines can take, and the checks every rendered buffer must pass.
//!
//! Each test file is its own crate and uses only part of this module, hence `dead_code` is
//! allowed here rather than in every file.
#![allow(dead_code)]

pub mod host;
pub mod plugin_log;
pub mod random;
pub mod signal;

use std::path::PathBuf;

/// Set this to a `.clap` file or bundle to test that binary (e.g. a release bundle in
/// `target/bundled/Quintet.clap`) instead of the debug build next to the test executable.
pub const PLUGIN_PATH_ENV: &str = "QUINTET_CLAP_PATH";

/// Where the CLAP binary under test is.
///
/// `cargo test` compiles the package's library once for all its crate types, so building the
/// integration tests also (re)builds the `cdylib` — `libquintet.so` is the CLAP binary — next to
/// the test executable in `target/<profile>/deps/`. Only `cargo build` copies it up to
/// `target/<profile>/`, so the newer of the two is used (`CARGO_TARGET_DIR` is respected because
/// the path is derived from the running executable). [`PLUGIN_PATH_ENV`] overrides this.
///
/// Panics with a clear message if the binary is missing or older than the library the test
/// itself was linked against, which would mean the tests exercise stale plugin code.
pub fn plugin_path() -> PathBuf {
    if let Some(path) = std::env::var_os(PLUGIN_PATH_ENV) {
        return PathBuf::from(path);
    }
    let exe = std::env::current_exe().expect("the test executable's path");
    let deps = exe
        .parent()
        .expect("the test executable lives in target/<profile>/deps");
    let profile_dir = deps.parent().expect("deps lives in target/<profile>");
    let file_name = format!(
        "{}quintet{}",
        std::env::consts::DLL_PREFIX,
        std::env::consts::DLL_SUFFIX
    );
    let modified = |p: &std::path::Path| p.metadata().and_then(|m| m.modified()).ok();
    let path = [deps.join(&file_name), profile_dir.join(&file_name)]
        .into_iter()
        .filter(|p| modified(p).is_some())
        .max_by_key(|p| modified(p))
        .unwrap_or_else(|| profile_dir.join(&file_name));
    let plugin_time = modified(&path).unwrap_or_else(|| {
        panic!(
            "{} is missing: run `cargo build` (or `cargo test`, which builds it) first",
            path.display()
        )
    });
    // The rlib the tests link and the cdylib come out of the same rustc invocation.
    let rlib = profile_dir.join("libquintet.rlib");
    if let Some(rlib_time) = modified(&rlib) {
        let stale = rlib_time
            .duration_since(plugin_time)
            .is_ok_and(|d| d.as_secs() > 2);
        assert!(
            !stale,
            "{} is older than {}: rebuild with `cargo build`",
            path.display(),
            rlib.display()
        );
    }
    path
}
