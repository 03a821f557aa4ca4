//! The size of the screen the editor opens on, so zooming never grows the window past it.
//!
//! baseview tells an editor nothing about the screen, so on Linux the editor asks the X server
//! itself, once per opening, over a short-lived connection of its own: the desktop's work area
//! (`_NET_WORKAREA`, the screen less panels and docks, set by window managers) or, without a
//! window manager, the whole screen. On other systems the size is unknown and only the state's
//! own limit ([`MAX_WINDOW_PX`](crate::params::editor_size::MAX_WINDOW_PX)) applies.

/// The usable screen area in physical pixels, `[width, height]`, when it can be found.
pub fn usable_area_px() -> Option<[f32; 2]> {
    #[cfg(target_os = "linux")]
    {
        x11::usable_area_px()
    }
    #[cfg(not(target_os = "linux"))]
    {
        None
    }
}

/// Why no editor window can open, or `None` when one can. On Linux baseview opens its windows
/// on the X server `DISPLAY` names (under Wayland too, through XWayland), so a window can open
/// exactly when that server accepts a connection; elsewhere there is always a desktop.
pub fn no_display_reason() -> Option<String> {
    #[cfg(target_os = "linux")]
    {
        x11::no_display_reason()
    }
    #[cfg(not(target_os = "linux"))]
    {
        None
    }
}

#[cfg(target_os = "linux")]
mod x11 {
    use x11rb::connection::Connection;
    use x11rb::protocol::xproto::{AtomEnum, ConnectionExt};

    pub fn no_display_reason() -> Option<String> {
        if std::env::var_os("DISPLAY").is_none_or(|display| display.is_empty()) {
            return Some("DISPLAY is not set".to_owned());
        }
        x11rb::connect(None).err().map(|error| error.to_string())
    }

    pub fn usable_area_px() -> Option<[f32; 2]> {
        let (connection, screen_number) = x11rb::connect(None).ok()?;
        let screen = connection.setup().roots.get(screen_number)?;
        let whole = [
            f32::from(screen.width_in_pixels),
            f32::from(screen.height_in_pixels),
        ];
        Some(work_area_px(&connection, screen.root).unwrap_or(whole))
    }

    /// The first desktop's work area (x, y, width, height), if a window manager published one.
    fn work_area_px(connection: &impl Connection, root: u32) -> Option<[f32; 2]> {
        let atom = connection
            .intern_atom(true, b"_NET_WORKAREA")
            .ok()?
            .reply()
            .ok()?
            .atom;
        if atom == u32::from(AtomEnum::NONE) {
            return None;
        }
        let property = connection
            .get_property(false, root, atom, AtomEnum::CARDINAL, 0, 4)
            .ok()?
            .reply()
            .ok()?;
        let area: Vec<u32> = property.value32()?.collect();
        match area[..] {
            [_, _, width, height] if width > 0 && height > 0 => Some([width as f32, height as f32]),
            _ => None,
        }
    }
}
