//! What the standalone program (`src/main.rs`) asks of the plugin it runs, through the two ways
//! nice-plug's standalone has of ending a run without a patch: it ends when the editor window
//! closes, or, without an editor, when its own SIGINT handler fires.
//!
//! - Without a display there must be no editor at all: nice-plug would try to open one, fail,
//!   and report "Failed to open editor" as an error when the run ends. [`run_without_editor`]
//!   makes [`Plugin::editor`](nice_plug::prelude::Plugin::editor) offer none.
//! - A window's event loop ignores signals, so a signal must close the window:
//!   [`request_quit`] wakes the editor, which closes its own window on its next frame.
//!
//! - The standalone reopens with what was playing when it closed ([`session`]): the session it
//!   starts with is handed to the plugin nice-plug makes ([`restore_pending`]), and the preset
//!   the editor shows is noted ([`note_shown_preset`]) for the session saved at the end.
//!
//! In a plugin host nothing calls these: the editor is always offered and never closes itself.

pub mod session;

use crate::params::QuintetParams;
use nice_plug_egui::RepaintNotifier;
use session::{Session, ShownPreset};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

/// Set once by the standalone program when there is no display; read when nice-plug builds the
/// plugin.
static WITHOUT_EDITOR: AtomicBool = AtomicBool::new(false);
/// Set by the standalone's signal thread; read by the editor on every frame (GUI thread).
static QUIT_REQUESTED: AtomicBool = AtomicBool::new(false);
/// Set by the standalone program; the editor registers its waker only then, so a plugin host's
/// instances leave [`WINDOW_WAKER`] alone.
static IN_STANDALONE: AtomicBool = AtomicBool::new(false);
/// Wakes the editor window so that it sees a quit request even while nothing else repaints it.
/// Locked by the GUI thread when the editor is built and by the signal thread, never by the
/// audio thread.
static WINDOW_WAKER: Mutex<Option<RepaintNotifier>> = Mutex::new(None);

/// The session the plugin starts with, until the plugin nice-plug makes takes it. Locked by the
/// standalone's main thread only.
static PENDING_SESSION: Mutex<Option<Session>> = Mutex::new(None);
/// The preset the editor shows, for the session saved at the end. Locked by the main thread and
/// the GUI thread, never by the audio thread.
static SHOWN_PRESET: Mutex<Option<ShownPreset>> = Mutex::new(None);

/// Called by the standalone program before nice-plug builds the plugin: the plugin runs in the
/// standalone, with its editor window or, when `with_editor` is false (no display to open it
/// on), without one, and starts with `session`.
pub fn start(with_editor: bool, session: Session) {
    WITHOUT_EDITOR.store(!with_editor, Ordering::SeqCst);
    IN_STANDALONE.store(true, Ordering::SeqCst);
    *lock(&SHOWN_PRESET) = session.preset.clone();
    *lock(&PENDING_SESSION) = Some(session);
}

/// Puts the session the standalone starts with into `params`, the parameters of a plugin being
/// made (nobody else sees them yet); only the first plugin made takes it. Does nothing in a
/// plugin host.
pub(crate) fn restore_pending(params: &QuintetParams) {
    if !IN_STANDALONE.load(Ordering::SeqCst) {
        return;
    }
    if let Some(session) = lock(&PENDING_SESSION).take() {
        session.restore_into(params);
    }
}

/// Notes the preset the editor's bar shows (in the standalone only).
pub(crate) fn note_shown_preset(preset: Option<ShownPreset>) {
    if IN_STANDALONE.load(Ordering::SeqCst) {
        *lock(&SHOWN_PRESET) = preset;
    }
}

/// The preset the editor's bar shows, or showed when the standalone started.
pub fn shown_preset() -> Option<ShownPreset> {
    lock(&SHOWN_PRESET).clone()
}

/// `mutex`'s value, even if a thread panicked while holding it (it is only ever replaced whole).
fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Asks the standalone to end: the editor window closes on its next frame (or at once when it
/// opens later), which ends nice-plug's run. Called from the standalone's signal thread.
pub fn request_quit() {
    QUIT_REQUESTED.store(true, Ordering::SeqCst);
    if let Some(waker) = lock_waker().as_ref() {
        waker.request_repaint();
    }
}

/// Whether the plugin offers nice-plug an editor: always, except in a standalone run without a
/// display.
pub(crate) fn offers_editor() -> bool {
    !WITHOUT_EDITOR.load(Ordering::SeqCst)
}

/// Whether the editor should close its window because the standalone was asked to end.
pub(crate) fn quit_requested() -> bool {
    QUIT_REQUESTED.load(Ordering::Relaxed)
}

/// In the standalone, lets [`request_quit`] wake the editor through `waker` (the notifier its
/// window polls). Does nothing in a plugin host.
pub(crate) fn wake_on_quit(waker: &RepaintNotifier) {
    if IN_STANDALONE.load(Ordering::SeqCst) {
        *lock_waker() = Some(waker.clone());
    }
}

/// The waker.
fn lock_waker() -> std::sync::MutexGuard<'static, Option<RepaintNotifier>> {
    lock(&WINDOW_WAKER)
}
