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
//! In a plugin host nothing calls these: the editor is always offered and never closes itself.

use nice_plug_egui::RepaintNotifier;
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

/// Called by the standalone program before nice-plug builds the plugin: the plugin runs in the
/// standalone, with its editor window or, when `with_editor` is false (no display to open it
/// on), without one.
pub fn start(with_editor: bool) {
    WITHOUT_EDITOR.store(!with_editor, Ordering::SeqCst);
    IN_STANDALONE.store(true, Ordering::SeqCst);
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

/// The waker, even if a thread panicked while holding it (it is only ever replaced whole).
fn lock_waker() -> std::sync::MutexGuard<'static, Option<RepaintNotifier>> {
    WINDOW_WAKER
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}
