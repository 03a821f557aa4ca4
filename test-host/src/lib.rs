//! A small CLAP host for Quintet's tests and benchmarks: it loads the built plugin binary through
//! `clack-host` and drives it the way a DAW does.
//!
//! One job per module:
//! - [`instance`]: [`QuintetHost`], one plugin instance on the calling (main) thread: parameters,
//!   audio ports, activation and state. Start there.
//! - [`audio`]: rendering on a separate audio thread, with events at sample offsets (and, once
//!   [`QuintetHost::set_transport_tempo`] is called, a playing transport at that tempo).
//! - [`events`]: what a host sends into `process`: parameter values, modulation, MIDI.
//! - [`cookies`]: the CLAP cookies the plugin issues for its parameters, which this host passes
//!   back in events as a DAW does.
//! - [`units`]: the normalized 0..1 every parameter value of this API is in, and its conversion
//!   to and from the plugin's CLAP values (nice-plug exposes stepped parameters in steps).
//! - [`notes`]: CLAP's per-note events: notes with ids and channels, note expressions,
//!   polyphonic modulation, and the note ends the plugin reports.
//! - [`callbacks`]: the host side of CLAP, answering the plugin's requests.
//! - [`editor`]: the plugin's editor created by a host without `clap.gui`.
//! - [`mts`]: the stand-in MTS-ESP library the tests play a tuning master with.
//! - [`plugin_log`]: what the plugin logs (through `NICE_LOG`), captured per call.
//! - [`presets`]: a host's preset browser: presets listed by the plugin's preset-discovery
//!   factory, loaded through its preset-load extension.
//! - [`random`]: a seeded generator and the hostile values the fuzz tests send.
//! - [`signal`]: what the tests measure in rendered audio.
//! - [`state`]: state blobs the way nice-plug frames them.
//!
//! Quintet's integration tests (`tests/`) and the benchmarks (`benches/quintet/`) use it; it is a
//! workspace member of its own so it compiles once, not once per test binary.

pub mod audio;
pub mod callbacks;
pub mod cookies;
pub mod editor;
pub mod events;
pub mod instance;
pub mod mts;
pub mod notes;
pub mod plugin_log;
pub mod presets;
pub mod random;
pub mod signal;
pub mod state;
pub mod units;

pub use audio::{MAX_NOTE_ENDS_PER_BLOCK, ProcessHook, Rendered, blocks_of};
/// CLAP's parameter flags, as [`QuintetHost::params`] reports them.
pub use clack_extensions::params::ParamInfoFlags;
/// CLAP's parameter id, as [`QuintetHost::params`] reports it.
pub use clack_host::prelude::ClapId;
pub use cookies::SentCookies;
pub use editor::EditorAnswers;
pub use events::{HostEvent, MidiMessage, ParamChange};
pub use instance::{
    Descriptor, ParamDescription, PortConfig, PortDescription, QuintetHost, VoiceInfo, descriptors,
};
pub use notes::{
    ANY, ExpressionKind, NO_NOTE_ID, NoteEnd, NoteExpression, NoteKind, NoteMessage, PolyMod,
};

use std::path::PathBuf;

/// Quintet's CLAP plugin id.
pub const PLUGIN_ID: &std::ffi::CStr = c"org.quintet.quintet";

/// Set this to a `.clap` file or bundle to test that binary (e.g. a release bundle in
/// `target/release/bundled/Quintet.clap`) instead of the build next to the test executable.
pub const PLUGIN_PATH_ENV: &str = "QUINTET_CLAP_PATH";

/// How many frames `ms` milliseconds last at `sample_rate_hz`, rounded to the nearest frame.
pub fn frames_in(ms: f64, sample_rate_hz: f64) -> usize {
    (ms / 1000.0 * sample_rate_hz).round() as usize
}

/// How many cases a proptest runs: `PROPTEST_CASES` when set (for longer fuzzing), else
/// `default` (what the suite affords).
pub fn proptest_cases(default: u32) -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|cases| cases.parse().ok())
        .unwrap_or(default)
}

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
