//! How the editor window maps to its saved size and zoom.
//!
//! nice-plug-egui's `EguiEditorState` cannot be serialised, so the editor mirrors the window's
//! size and zoom into the parameters' [`SavedEditorSize`](crate::params::editor_size::SavedEditorSize)
//! (a `#[persist = "editor"]` field) and asks for them back when it opens. The window's logical
//! size includes egui's zoom; the saved [`EditorSize`] is in egui points, so a saved size gives
//! the same layout whatever the zoom.

use crate::params::editor_size::{EditorSize, ZOOM_RANGE};

/// Zoom change per click on the zoom buttons.
pub const ZOOM_STEP: f32 = 0.1;

/// The size to save for a window `logical_width` × `logical_height` logical pixels large,
/// showing egui at `zoom`.
pub fn saved_size(logical_width: f64, logical_height: f64, zoom: f32) -> EditorSize {
    EditorSize {
        width: logical_width as f32 / zoom,
        height: logical_height as f32 / zoom,
        zoom,
    }
}

/// The zoom after a click on the zoom-in button: one step up, at most the top of
/// [`ZOOM_RANGE`].
pub fn zoomed_in(zoom: f32) -> f32 {
    on_whole_percent(zoom + ZOOM_STEP).min(ZOOM_RANGE.1)
}

/// `zoom` on whole percent, so steps up and down return to exactly where they started (0.1
/// added and taken away in `f32` does not).
fn on_whole_percent(zoom: f32) -> f32 {
    (zoom * 100.0).round() / 100.0
}

/// The zoom after a click on the zoom-out button: one step down, at least the bottom of
/// [`ZOOM_RANGE`].
pub fn zoomed_out(zoom: f32) -> f32 {
    on_whole_percent(zoom - ZOOM_STEP).max(ZOOM_RANGE.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_saved_size_leaves_the_zoom_out() {
        let size = saved_size(1640.0, 1080.0, 2.0);
        assert_eq!(
            size,
            EditorSize {
                width: 820.0,
                height: 540.0,
                zoom: 2.0,
            }
        );
    }

    #[test]
    fn the_zoom_buttons_stop_at_the_ends_of_the_range() {
        assert_eq!(zoomed_in(ZOOM_RANGE.1), ZOOM_RANGE.1);
        assert_eq!(zoomed_out(ZOOM_RANGE.0), ZOOM_RANGE.0);
        assert!((zoomed_in(1.0) - 1.1).abs() < 1e-6);
        assert!((zoomed_out(1.0) - 0.9).abs() < 1e-6);
    }

    #[test]
    fn zooming_in_and_back_out_returns_exactly() {
        let mut zoom = 1.0;
        for _ in 0..7 {
            zoom = zoomed_in(zoom);
        }
        assert_eq!(zoom, 1.7);
        for _ in 0..7 {
            zoom = zoomed_out(zoom);
        }
        assert_eq!(zoom, 1.0);
    }
}
