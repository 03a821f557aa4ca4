//! How the editor window maps to its saved size and zoom.
//!
//! nice-plug-egui's `EguiEditorState` cannot be serialised, so the editor mirrors the window's
//! size and zoom into the parameters' [`SavedEditorSize`](crate::params::editor_size::SavedEditorSize)
//! (a `#[persist = "editor"]` field) and asks for them back when it opens. The window is
//! `points × zoom` logical pixels large; the saved [`EditorSize`] is in egui points, so a saved
//! size gives the same layout whatever the zoom.

use crate::params::editor_size::{EditorSize, MIN_SIZE_PT, ZOOM_RANGE};

/// Zoom change per click on the zoom buttons.
pub const ZOOM_STEP: f32 = 0.1;

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

/// `wanted` as a screen `screen` logical pixels large can show it (`None`: size unknown, taken
/// as is): the zoom lowered, on whole percent, until the editor's minimum size fits, then the
/// size in points shrunk until the window fits, never below the minimum size. On a screen
/// smaller than the minimum size even at the lowest zoom, the lowest zoom.
pub fn fitted_to_screen(wanted: EditorSize, screen: Option<[f32; 2]>) -> EditorSize {
    let Some([screen_width, screen_height]) = screen else {
        return wanted;
    };
    let largest_zoom = (screen_width / MIN_SIZE_PT[0]).min(screen_height / MIN_SIZE_PT[1]);
    let zoom = wanted
        .zoom
        .min((largest_zoom * 100.0).floor() / 100.0)
        .max(ZOOM_RANGE.0);
    // Whole points, rounded down: the window's pixels (points × zoom) stay inside the screen.
    EditorSize {
        width: wanted
            .width
            .min((screen_width / zoom).floor())
            .max(MIN_SIZE_PT[0]),
        height: wanted
            .height
            .min((screen_height / zoom).floor())
            .max(MIN_SIZE_PT[1]),
        zoom,
    }
}

/// The size and zoom after a zoom step from `zoom` to `new_zoom` in a window `size_pt` points
/// large, fitted to `screen` (see [`fitted_to_screen`]); `None` when the step zooms in and the
/// window would not fit the screen at `new_zoom`: the zoom stays where it is.
pub fn zoom_step(
    size_pt: [f32; 2],
    zoom: f32,
    new_zoom: f32,
    screen: Option<[f32; 2]>,
) -> Option<EditorSize> {
    let wanted = EditorSize {
        width: size_pt[0],
        height: size_pt[1],
        zoom: new_zoom,
    };
    let fitted = fitted_to_screen(wanted, screen);
    (fitted.zoom >= new_zoom || new_zoom <= zoom).then_some(fitted)
}

#[cfg(test)]
mod tests {
    use super::*;

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

    /// A 1600 × 1000 screen, as in the report of windows zoomed past the screen.
    const SCREEN: Option<[f32; 2]> = Some([1600.0, 1000.0]);

    #[test]
    fn a_window_that_fits_the_screen_keeps_its_size_and_zoom() {
        let size = EditorSize {
            width: 820.0,
            height: 700.0,
            zoom: 1.2,
        };
        assert_eq!(fitted_to_screen(size, SCREEN), size);
        assert_eq!(fitted_to_screen(size, None), size);
    }

    #[test]
    fn zooming_never_grows_the_window_past_the_screen() {
        let mut zoom = 1.0;
        let mut size_pt = [820.0, 700.0];
        let mut steps = 0;
        while let Some(size) = zoom_step(size_pt, zoom, zoomed_in(zoom), SCREEN) {
            assert!(size.width * size.zoom <= 1600.0 && size.height * size.zoom <= 1000.0);
            (zoom, size_pt) = (size.zoom, [size.width, size.height]);
            steps += 1;
        }
        // 700 points tall at 140 % is 980 pixels; 150 % would be 1050.
        assert_eq!((zoom, steps), (1.4, 4));
        assert_eq!(zoom_step(size_pt, zoom, zoomed_in(zoom), SCREEN), None);
        // Zooming out always works, and back at 100 % the window is its old size again.
        for _ in 0..4 {
            let size = zoom_step(size_pt, zoom, zoomed_out(zoom), SCREEN).unwrap();
            (zoom, size_pt) = (size.zoom, [size.width, size.height]);
        }
        assert_eq!((zoom, size_pt), (1.0, [820.0, 700.0]));
    }

    #[test]
    fn a_wide_window_narrows_to_zoom_in_on_a_narrow_screen() {
        let size = zoom_step([1500.0, 700.0], 1.0, 1.1, SCREEN).unwrap();
        assert_eq!(size.zoom, 1.1);
        assert!(size.width < 1500.0 && size.width * 1.1 <= 1600.0);
    }

    #[test]
    fn a_saved_size_too_large_for_the_screen_opens_fitted() {
        // The hostile state of issue 13 (8192 points square at 300 %) on a 1600 × 1000 screen.
        let saved = EditorSize {
            width: 8192.0,
            height: 8192.0,
            zoom: 3.0,
        }
        .sanitized();
        let fitted = fitted_to_screen(saved, SCREEN);
        assert_eq!(fitted.zoom, 1.42);
        assert!(fitted.width * fitted.zoom <= 1600.0 && fitted.height * fitted.zoom <= 1000.0);
        assert!(fitted.width >= MIN_SIZE_PT[0] && fitted.height >= MIN_SIZE_PT[1]);
    }

    #[test]
    fn a_tiny_screen_gets_the_lowest_zoom() {
        let fitted = fitted_to_screen(EditorSize::default(), Some([300.0, 200.0]));
        assert_eq!(fitted.zoom, ZOOM_RANGE.0);
        assert_eq!([fitted.width, fitted.height], MIN_SIZE_PT);
    }
}
