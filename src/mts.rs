//! MTS-ESP: Quintet's notes follow a tuning master (ODDSound's MTS-ESP) when one is running.
//!
//! - **Where**: the library is `libMTS`, loaded at run time from where MTS-ESP installs it
//!   ([`default_library_path`]: `/usr/local/lib/libMTS.so` on Linux), or from the path in
//!   [`LIBRARY_ENV`] (empty: no MTS-ESP at all). Without it, or with one that lacks a function
//!   or gives no table ([`client`]), Quintet plays its own tuning.
//! - **What**: while a master is connected, a note takes the master's frequency for its key on
//!   its MIDI channel when it starts, a key the master filters does not play, and the sounding
//!   notes follow a retuning, gliding as a bend does. When the master goes away they glide
//!   back to Quintet's own tuning. Bend and tuning expressions apply on top.
//! - **Threads**: loading and registering happen on the main thread, at the first activation
//!   ([`Mts::connect`]); deregistering when the last owner (plugin or editor) drops it. The
//!   audio thread only calls libMTS's queries — has-master, the filter, a per-channel-table
//!   flag — and reads its tables: in the real library these read shared memory, without locks
//!   or allocation. Once a block it asks about the keys of the notes sounding ([`Mts::follow`];
//!   nothing when none sounds). The editor asks for the scale's name on its own thread.

pub mod client;

use crate::engine::{Channel, Engine, KeyTuning};
pub use client::{LoadError, MtsClient};
use nice_plug::prelude::*;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// Names the `libMTS` to load instead of the installed one (the tests' stand-in); set but
/// empty, no MTS-ESP library is loaded at all.
pub const LIBRARY_ENV: &str = "QUINTET_MTS_LIBRARY";

/// Where MTS-ESP installs `libMTS` (the paths ODDSound's client code loads it from).
pub fn default_library_path() -> Option<PathBuf> {
    if cfg!(target_os = "macos") {
        Some("/Library/Application Support/MTS-ESP/libMTS.dylib".into())
    } else if cfg!(windows) {
        std::env::var_os("CommonProgramFiles")
            .map(|common| PathBuf::from(common).join("MTS-ESP").join("LIBMTS.dll"))
    } else {
        Some("/usr/local/lib/libMTS.so".into())
    }
}

/// The `libMTS` to load: [`LIBRARY_ENV`]'s path if set (none if empty), else the installed
/// one's.
pub fn library_path() -> Option<PathBuf> {
    match std::env::var_os(LIBRARY_ENV) {
        Some(path) if path.is_empty() => None,
        Some(path) => Some(path.into()),
        None => default_library_path(),
    }
}

/// A plugin instance's connection to MTS-ESP, shared by the plugin (audio thread) and the
/// editor (GUI thread).
#[derive(Default)]
pub struct Mts {
    /// Set once, at the first activation: the client, or `None` if there is no usable library.
    client: OnceLock<Option<MtsClient>>,
}

/// What the editor shows.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MasterStatus {
    /// Whether a master is connected.
    pub connected: bool,
    /// Its scale's name, while connected (if it gives one).
    pub scale_name: Option<String>,
}

impl Mts {
    /// Loads and registers with `libMTS`, once per instance (later calls do nothing). Main
    /// thread only. A library missing where it is expected (MTS-ESP not installed) is not an
    /// error; a broken one is logged.
    pub fn connect(&self) {
        let explicit = std::env::var_os(LIBRARY_ENV).is_some();
        match library_path() {
            Some(path) if explicit || path.exists() => {
                self.connect_to(&path);
            }
            _ => {
                self.client.get_or_init(|| None);
            }
        }
    }

    /// Loads and registers with the `libMTS` at `path` unless connected already; what came of
    /// it. Main thread only; a library that cannot be used is logged.
    pub fn connect_to(&self, path: &Path) -> Option<&MtsClient> {
        let client = self.client.get_or_init(|| match MtsClient::load(path) {
            Ok(client) => Some(client),
            Err(error) => {
                nice_warn!(
                    "MTS-ESP: {} {error}; Quintet plays its own tuning",
                    path.display()
                );
                None
            }
        });
        client.as_ref()
    }

    /// The client, once connected to a usable library.
    pub fn client(&self) -> Option<&MtsClient> {
        self.client.get().and_then(Option::as_ref)
    }

    /// Tunes `key` on `channel` for a note about to start on it: the master's frequency, or
    /// left out if the master filters it, or Quintet's own tuning without a master. Audio
    /// thread; does nothing without a library.
    pub fn tune_note(&self, engine: &mut Engine, channel: Channel, key: u8) {
        let Some(client) = self.client() else { return };
        let tuning = if !client.has_master() {
            KeyTuning::Own
        } else if client.filters(channel, key) {
            KeyTuning::Unplayed
        } else {
            KeyTuning::outside(client.frequency_hz(channel, key))
        };
        engine.tune_key(channel, key, tuning);
    }

    /// Once a block, before it renders: the sounding notes follow the master's retuning, or
    /// glide back to Quintet's own tuning once it has gone. Audio thread; costs one query
    /// without sounding notes, nothing without a library.
    #[inline]
    pub fn follow(&self, engine: &mut Engine) {
        // Without a library, a load and a comparison instead of a call.
        if let Some(client) = self.client() {
            Self::follow_client(client, engine);
        }
    }

    fn follow_client(client: &MtsClient, engine: &mut Engine) {
        if client.has_master() {
            engine.follow_outside_tuning(|channel, key| Some(client.frequency_hz(channel, key)));
        } else {
            engine.forget_outside_tuning();
        }
    }

    /// Whether a master is connected and its scale's name. GUI thread (allocates).
    pub fn status(&self) -> MasterStatus {
        match self.client() {
            Some(client) if client.has_master() => MasterStatus {
                connected: true,
                scale_name: client.scale_name(),
            },
            _ => MasterStatus::default(),
        }
    }
}
