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

#[cfg(target_os = "linux")]
mod x11 {
    use x11rb::connection::Connection;
    use x11rb::protocol::xproto::{AtomEnum, ConnectionExt};

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
