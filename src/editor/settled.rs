//! An editor whose window can be closed the moment it has opened.
//!
//! baseview 0.4.2 (the window library under nice-plug-egui) runs each X11 window on a thread of
//! its own. Closing the window asks that thread's event loop to stop, but the loop clears any
//! stop request when it starts (calloop's `EventLoop::run`): a host that destroys the editor
//! before the new thread has reached its loop — a plugin scanner, a validator, a host that opens
//! and closes the editor quickly under load — then waits for ever in `gui.destroy`, joining a
//! thread that never stops. (Seen: 2 of 3 runs of tests/clap_host/editor.rs hung on a busy
//! machine.)
//!
//! [`Settled`] makes one round trip through the new window's event loop before `spawn` returns:
//! the window thread answers a request only from inside its running loop, so by the time the
//! host has the editor, a close request can no longer be lost. The request is a resize to the
//! size the window already has, which changes nothing.

use nice_plug::context::gui::GuiContext;
use nice_plug::editor::dpi::NativeSize;
use nice_plug::editor::{
    Editor, EditorHandle, HostMethods, ParentWindowHandle, ResizeHint, SpawnedEditor,
};
use nice_plug::plugin::TrackInfo;
use nice_plug::prelude::nice_warn;
use std::error::Error;

/// `E`, whose `spawn` returns only once the window's event loop runs (see the module
/// documentation). Every other call goes to `E` unchanged.
pub struct Settled<E>(pub E);

impl<E: Editor> Editor for Settled<E> {
    type Handle = E::Handle;

    fn spawn(
        &self,
        parent: Option<ParentWindowHandle>,
        wait_for_parent: bool,
        fallback_scale_factor: Option<f64>,
        gui_context: GuiContext,
        host: Option<HostMethods>,
    ) -> Result<SpawnedEditor<Self::Handle>, Box<dyn Error>> {
        let spawned = self.0.spawn(
            parent,
            wait_for_parent,
            fallback_scale_factor,
            gui_context,
            host,
        )?;
        // Answered from inside the running event loop (or refused by a window that has closed
        // already, which is as good).
        if let Err(error) = spawned.handle.set_size(self.0.size(), &spawned.window) {
            nice_warn!("The editor window did not answer when it opened: {error}");
        }
        Ok(spawned)
    }

    fn size(&self) -> NativeSize<u32> {
        self.0.size()
    }

    fn resize_hint(&self) -> ResizeHint {
        self.0.resize_hint()
    }

    fn track_info_updated(&self, info: TrackInfo) {
        self.0.track_info_updated(info);
    }

    unsafe fn assume_standalone_in_process(&self) {
        // SAFETY: the caller keeps the promise `Editor::assume_standalone_in_process` asks of
        // it; it is passed on unchanged.
        unsafe { self.0.assume_standalone_in_process() }
    }
}
