//! The editor window's saved size and zoom: plain numbers kept with the plugin state so a
//! project reopens the editor as the user left it.
//!
//! The state holds them as a small JSON object (`{"height":540.0,"width":820.0,"zoom":1.0}`),
//! readable and tolerant of missing keys. Whatever comes back from a state, damaged or from an
//! older version, is made usable here ([`EditorSize::sanitized`]), so the editor never sees a
//! size or zoom outside the limits below. How a window's pixels map to these numbers is the
//! editor's business (`editor/window_geometry.rs`).

use atomic_float::AtomicF32;
use nice_plug::params::persist::PersistentField;
use std::collections::BTreeMap;
use std::sync::atomic::Ordering;

/// Size the editor opens at the first time, in egui points (logical pixels at zoom 1).
pub const DEFAULT_SIZE_PT: [f32; 2] = [820.0, 700.0];
/// Smallest size, in egui points: every control with its label on screen (the controls column
/// needs about 690 points at readable sizes, 12-point labels on 25-point rows) and every view
/// readable. To make the editor smaller, zoom out: it scales everything.
pub const MIN_SIZE_PT: [f32; 2] = [640.0, 700.0];
/// Largest window the editor asks for, in logical pixels (an 8K screen), whatever the saved size
/// and zoom say. A state asking for 8192 × 8192 points at 300 % made the editor request a
/// 24,576-pixel square window: Xlib died ("XIO: fatal IO error 14") and took the host with it,
/// and a 21,000-pixel one opened but held the audio thread up by 46 ms while it was drawn.
pub const MAX_WINDOW_PX: [f32; 2] = [7680.0, 4320.0];
/// Zoom range the editor offers and accepts from a saved state.
pub const ZOOM_RANGE: (f32, f32) = (0.5, 3.0);

/// The editor window's size in egui points and its zoom factor.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct EditorSize {
    /// Width in egui points (the window is `width · zoom` logical pixels wide).
    pub width: f32,
    /// Height in egui points.
    pub height: f32,
    /// egui zoom factor (1.0 = 100 %).
    pub zoom: f32,
}

impl Default for EditorSize {
    fn default() -> Self {
        Self {
            width: DEFAULT_SIZE_PT[0],
            height: DEFAULT_SIZE_PT[1],
            zoom: 1.0,
        }
    }
}

impl EditorSize {
    /// The nearest size the editor can use: non-finite values fall back to the defaults, the
    /// zoom is clamped to its range and the size to what keeps the window between the minimum
    /// size and [`MAX_WINDOW_PX`].
    pub fn sanitized(self) -> Self {
        let default = Self::default();
        let clamp = |value: f32, fallback: f32, min: f32, max: f32| {
            if value.is_finite() {
                value.clamp(min, max)
            } else {
                fallback
            }
        };
        let zoom = clamp(self.zoom, default.zoom, ZOOM_RANGE.0, ZOOM_RANGE.1);
        // The window is `size · zoom` pixels; the largest zoom still leaves room for the
        // minimum size (640 × 700 points at 300 % is 1920 × 2100 pixels).
        Self {
            width: clamp(
                self.width,
                default.width,
                MIN_SIZE_PT[0],
                MAX_WINDOW_PX[0] / zoom,
            ),
            height: clamp(
                self.height,
                default.height,
                MIN_SIZE_PT[1],
                MAX_WINDOW_PX[1] / zoom,
            ),
            zoom,
        }
    }
}

/// The saved size, a `#[persist = "editor"]` field of the parameters. Written by the GUI thread
/// when the window is resized or zoomed and by the host's state load; read when the editor
/// opens and when the host saves.
pub struct SavedEditorSize {
    width: AtomicF32,
    height: AtomicF32,
    zoom: AtomicF32,
}

impl Default for SavedEditorSize {
    fn default() -> Self {
        let size = EditorSize::default();
        Self {
            width: AtomicF32::new(size.width),
            height: AtomicF32::new(size.height),
            zoom: AtomicF32::new(size.zoom),
        }
    }
}

impl SavedEditorSize {
    /// The saved size, sanitized.
    pub fn load(&self) -> EditorSize {
        EditorSize {
            width: self.width.load(Ordering::Relaxed),
            height: self.height.load(Ordering::Relaxed),
            zoom: self.zoom.load(Ordering::Relaxed),
        }
        .sanitized()
    }

    /// Saves `size`, sanitized.
    pub fn store(&self, size: EditorSize) {
        let size = size.sanitized();
        self.width.store(size.width, Ordering::Relaxed);
        self.height.store(size.height, Ordering::Relaxed);
        self.zoom.store(size.zoom, Ordering::Relaxed);
    }
}

impl PersistentField<'_, BTreeMap<String, f32>> for SavedEditorSize {
    fn set(&self, fields: BTreeMap<String, f32>) {
        let default = EditorSize::default();
        let field = |key: &str, fallback: f32| fields.get(key).copied().unwrap_or(fallback);
        self.store(EditorSize {
            width: field("width", default.width),
            height: field("height", default.height),
            zoom: field("zoom", default.zoom),
        });
    }

    fn map<F, R>(&self, f: F) -> R
    where
        F: Fn(&BTreeMap<String, f32>) -> R,
    {
        let size = self.load();
        f(&BTreeMap::from([
            ("width".to_owned(), size.width),
            ("height".to_owned(), size.height),
            ("zoom".to_owned(), size.zoom),
        ]))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use nice_plug::params::persist::{deserialize_field, serialize_field};

    #[test]
    fn round_trips_through_the_state_json() {
        let saved = SavedEditorSize::default();
        let size = EditorSize {
            width: 1000.0,
            height: 700.0,
            zoom: 1.25,
        };
        saved.store(size);
        let json = saved.map(serialize_field).unwrap();
        assert_eq!(json, r#"{"height":700.0,"width":1000.0,"zoom":1.25}"#);

        let restored = SavedEditorSize::default();
        restored.set(deserialize_field(&json).unwrap());
        assert_eq!(restored.load(), size);
    }

    #[test]
    fn the_default_saves_as_states_already_hold_it() {
        let json = SavedEditorSize::default().map(serialize_field).unwrap();
        assert_eq!(json, r#"{"height":700.0,"width":820.0,"zoom":1.0}"#);
    }

    #[test]
    fn a_damaged_or_partial_state_still_gives_a_usable_window() {
        let saved = SavedEditorSize::default();
        saved.set(deserialize_field(r#"{"width":10.0,"zoom":99.0}"#).unwrap());
        assert_eq!(
            saved.load(),
            EditorSize {
                width: MIN_SIZE_PT[0],
                height: DEFAULT_SIZE_PT[1],
                zoom: ZOOM_RANGE.1,
            }
        );
        saved.store(EditorSize {
            width: f32::NAN,
            height: f32::INFINITY,
            zoom: 1.0,
        });
        assert_eq!(saved.load(), EditorSize::default());
    }

    /// Issue 13, item 3: whatever a state says, the window asked for fits an 8K screen and is
    /// never below the minimum size.
    #[test]
    fn no_saved_size_asks_for_a_window_larger_than_a_screen() {
        let saved = SavedEditorSize::default();
        saved.set(deserialize_field(r#"{"width":8192.0,"height":8192.0,"zoom":3.0}"#).unwrap());
        let size = saved.load();
        assert_eq!(size.zoom, 3.0);
        assert_eq!(
            (size.width * size.zoom, size.height * size.zoom),
            (MAX_WINDOW_PX[0], MAX_WINDOW_PX[1])
        );
        let values = [
            f32::NAN,
            f32::NEG_INFINITY,
            -1.0,
            0.0,
            0.5,
            1.0,
            3.0,
            640.0,
            8192.0,
            1e9,
            f32::INFINITY,
        ];
        for width in values {
            for height in values {
                for zoom in values {
                    let size = EditorSize {
                        width,
                        height,
                        zoom,
                    }
                    .sanitized();
                    let window = (size.width * size.zoom, size.height * size.zoom);
                    assert!(
                        window.0 <= MAX_WINDOW_PX[0] && window.1 <= MAX_WINDOW_PX[1],
                        "{width} × {height} at {zoom}: a {window:?} pixel window"
                    );
                    assert!(
                        size.width >= MIN_SIZE_PT[0] && size.height >= MIN_SIZE_PT[1],
                        "{width} × {height} at {zoom}: {size:?}"
                    );
                }
            }
        }
    }
}
