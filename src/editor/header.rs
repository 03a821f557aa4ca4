//! The header row: the title, the preset bar and what plays at the left, the zoom controls at
//! the right. The zoom controls are laid out first and keep their room; the left part gets
//! what remains, and its messages ("playing C3 E3 G3 …", a preset file refused) elide to fit
//! rather than run under the zoom buttons in a narrow window.

use egui::{Align, Layout, Response, Ui, WidgetText};

/// Lays out one header row: `right` against the right edge first, then `left` from the left
/// edge into the width that remains.
pub fn row(ui: &mut Ui, right: impl FnOnce(&mut Ui), left: impl FnOnce(&mut Ui)) {
    ui.horizontal(|ui| {
        ui.with_layout(Layout::right_to_left(Align::Center), |ui| {
            right(ui);
            ui.with_layout(Layout::left_to_right(Align::Center), left);
        });
    });
}

/// A message on one line, cut with "…" to the width left in the row; the whole text shows on
/// hover when it is cut.
pub fn message(ui: &mut Ui, text: impl Into<WidgetText>) -> Response {
    ui.add(egui::Label::new(text).truncate())
}

#[cfg(test)]
mod tests {
    use super::*;
    use egui::{Context, Pos2, RawInput, Rect, vec2};

    /// What a header row of `width` points lays out: the zoom controls' rect and the
    /// message's rect and galley width, with the message `text`.
    struct Laid {
        zoom: Rect,
        message: Rect,
        /// The message's full width unelided, in points.
        full_width: f32,
    }

    fn lay_out(width: f32, text: &str) -> Laid {
        let ctx = Context::default();
        let mut laid = None;
        // Two passes: egui sizes text on the first.
        for _ in 0..2 {
            let input = RawInput {
                screen_rect: Some(Rect::from_min_size(Pos2::ZERO, vec2(width, 100.0))),
                ..RawInput::default()
            };
            let mut output = ctx.run_ui(input, |ui| {
                let (mut zoom, mut message_rect) = (Rect::NOTHING, Rect::NOTHING);
                row(
                    ui,
                    |ui| {
                        // The editor's zoom controls, right to left.
                        zoom = ui.small_button("+").rect;
                        zoom = zoom.union(ui.label("100 %").rect);
                        zoom = zoom.union(ui.small_button("−").rect);
                        zoom = zoom.union(ui.label("Zoom").rect);
                    },
                    |ui| {
                        ui.heading("Quintet");
                        message_rect = message(ui, text).rect;
                    },
                );
                let full_width = ui.fonts_mut(|fonts| {
                    let style = egui::TextStyle::Body.resolve(ui.style());
                    fonts
                        .layout_no_wrap(text.to_owned(), style, egui::Color32::WHITE)
                        .size()
                        .x
                });
                laid = Some(Laid {
                    zoom,
                    message: message_rect,
                    full_width,
                });
            });
            output.textures_delta.clear();
        }
        laid.expect("laid out")
    }

    /// Issue 21, item 15: "playing C3 C#3 …" covered the zoom buttons in a narrow window.
    #[test]
    fn a_long_message_elides_before_the_zoom_controls() {
        let notes: Vec<String> = (0..16).map(|k| format!("C#{k}")).collect();
        let text = format!("playing {}", notes.join(" "));
        for width in [320.0, 480.0, 640.0] {
            let laid = lay_out(width, &text);
            assert!(laid.zoom.right() <= width + 0.5, "{width}: {:?}", laid.zoom);
            assert!(
                laid.message.right() <= laid.zoom.left(),
                "{width}: the message {:?} runs under the zoom controls {:?}",
                laid.message,
                laid.zoom
            );
            assert!(
                laid.message.width() < laid.full_width,
                "{width}: not elided"
            );
        }
        // With room for it, the whole message shows.
        let laid = lay_out(1600.0, &text);
        assert!((laid.message.width() - laid.full_width).abs() < 1.0);
    }
}
