//! The host side of CLAP: the extensions this host offers and its answers to the plugin's
//! requests. The plugin may call the shared handlers from any thread, its audio thread included.

use clack_extensions::log::{HostLog, HostLogImpl, LogSeverity};
use clack_extensions::params::{
    HostParams, HostParamsImplMainThread, HostParamsImplShared, ParamClearFlags, ParamRescanFlags,
};
use clack_extensions::state::{HostState, HostStateImpl};
use clack_extensions::voice_info::{HostVoiceInfo, HostVoiceInfoImpl};
use clack_host::prelude::*;
use std::cell::Cell;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

/// The host type `clack-host` instantiates the plugin with.
pub struct TestHost;

impl HostHandlers for TestHost {
    type Shared<'a> = SharedHandlers;
    type MainThread<'a> = MainThreadHandlers;
    type AudioProcessor<'a> = ();

    fn declare_extensions(builder: &mut HostExtensions<Self>, _shared: &Self::Shared<'_>) {
        // params: nice-plug calls `rescan` after a state load; state: `mark_dirty`; log: the
        // plugin's warnings are counted; voice-info: a polyphonic plugin says when its voice
        // count changes (without it, nice-plug's debug build logs a warning each time).
        builder
            .register::<HostParams>()
            .register::<HostState>()
            .register::<HostLog>()
            .register::<HostVoiceInfo>();
    }
}

/// Callbacks any plugin thread may make. Nothing here allocates: the audio thread may call it
/// from inside `process`, where an allocation would abort the debug build.
#[derive(Default)]
pub struct SharedHandlers {
    callback_requested: AtomicBool,
    /// Every main-thread callback the plugin asked for, whether or not it was run yet.
    callback_requests: AtomicUsize,
    problems_logged: AtomicUsize,
}

impl SharedHandlers {
    /// Whether the plugin asked for a main-thread callback since the last call; clears the
    /// request.
    pub fn take_callback_request(&self) -> bool {
        self.callback_requested.swap(false, Ordering::SeqCst)
    }

    /// How many main-thread callbacks the plugin asked for since it was created.
    pub fn callback_requests(&self) -> usize {
        self.callback_requests.load(Ordering::SeqCst)
    }

    /// How many messages of severity warning or worse the plugin logged through the host.
    pub fn problems_logged(&self) -> usize {
        self.problems_logged.load(Ordering::SeqCst)
    }
}

impl SharedHandler<'_> for SharedHandlers {
    fn request_restart(&self) {}
    fn request_process(&self) {}
    fn request_callback(&self) {
        self.callback_requests.fetch_add(1, Ordering::SeqCst);
        self.callback_requested.store(true, Ordering::SeqCst);
    }
}

impl HostParamsImplShared for SharedHandlers {
    fn request_flush(&self) {}
}

impl HostLogImpl for SharedHandlers {
    fn log(&self, severity: LogSeverity, message: &str) {
        if !matches!(severity, LogSeverity::Debug | LogSeverity::Info) {
            self.problems_logged.fetch_add(1, Ordering::SeqCst);
        }
        eprintln!("[plugin {severity}] {message}");
    }
}

/// Callbacks the plugin makes on its main thread.
#[derive(Default)]
pub struct MainThreadHandlers {
    rescans: Cell<usize>,
    voice_info_changes: Cell<usize>,
}

impl MainThreadHandlers {
    /// How many times the plugin asked the host to rescan its parameters.
    pub fn rescans(&self) -> usize {
        self.rescans.get()
    }

    /// How many times the plugin said its voice info changed.
    pub fn voice_info_changes(&self) -> usize {
        self.voice_info_changes.get()
    }
}

impl MainThreadHandler<'_> for MainThreadHandlers {}

impl HostParamsImplMainThread for MainThreadHandlers {
    fn rescan(&self, _flags: ParamRescanFlags) {
        self.rescans.set(self.rescans.get() + 1);
    }

    fn clear(&self, _param_id: ClapId, _flags: ParamClearFlags) {}
}

impl HostStateImpl for MainThreadHandlers {
    fn mark_dirty(&self) {}
}

impl HostVoiceInfoImpl for MainThreadHandlers {
    fn changed(&self) {
        self.voice_info_changes
            .set(self.voice_info_changes.get() + 1);
    }
}
