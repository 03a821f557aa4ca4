//! The pitch wheel and the mod wheel left of the keys: vertical strips dragged up and down, as
//! the two wheels left of a controller keyboard's keys. A drag moves a wheel from where it is
//! (the pointer grabs it, it does not jump to the pointer); the pitch wheel springs back to its
//! centre when let go, the mod wheel stays where it is left.

use crate::keyboard_notes::{KeyboardEvent, KeyboardSender};
use egui::{Color32, Rect, Sense, Stroke, Ui, WidgetInfo, pos2, vec2};
use nice_plug::nice_log;

/// Width of each wheel's strip, in points.
pub const WHEEL_WIDTH_PT: f32 = 16.0;
/// Height of the bar that shows where a wheel stands, in points.
const THUMB_HEIGHT_PT: f32 = 4.0;

/// Which wheel.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum WheelKind {
    /// Bends every note: -1 (bottom) ..= 1 (top), springs back to 0.
    Pitch,
    /// MIDI CC1: 0 (bottom) ..= 1 (top), stays.
    Modulation,
}

impl WheelKind {
    /// The wheel's range, bottom to top, and where it rests.
    fn range(self) -> (f32, f32) {
        match self {
            Self::Pitch => (-1.0, 1.0),
            Self::Modulation => (0.0, 1.0),
        }
    }

    fn name(self) -> &'static str {
        match self {
            Self::Pitch => "Pitch wheel",
            Self::Modulation => "Mod wheel",
        }
    }

    fn event(self, value: f32) -> KeyboardEvent {
        match self {
            Self::Pitch => KeyboardEvent::PitchBend { bend: value },
            Self::Modulation => KeyboardEvent::ModWheel { value },
        }
    }
}

/// One wheel: where it stands and what the audio thread last got.
pub struct Wheel {
    kind: WheelKind,
    /// Where it stands, in its kind's range.
    value: f32,
    /// The value the audio thread was last sent (queued), to send each change once.
    sent: f32,
    /// The furthest the pitch wheel went from its centre in the current drag (for the log).
    furthest: f32,
    /// Where it was drawn last.
    rect: Rect,
    /// While dragged: where it stood and where the pointer was pressed (y, points). The value
    /// follows the pointer's whole way from there: egui reports a click-and-drag widget's drag
    /// only once the pointer has moved a little, and a sum of its per-frame moves would lose
    /// that first stretch.
    grabbed: Option<(f32, f32)>,
}

impl Wheel {
    /// A wheel at rest (the pitch wheel centred, the mod wheel down).
    pub fn new(kind: WheelKind) -> Self {
        Self {
            kind,
            value: 0.0,
            sent: 0.0,
            furthest: 0.0,
            rect: Rect::NOTHING,
            grabbed: None,
        }
    }

    /// Where it stands.
    #[cfg(test)]
    pub fn value(&self) -> f32 {
        self.value
    }

    /// Where it was drawn last.
    #[cfg(test)]
    pub fn rect(&self) -> Rect {
        self.rect
    }

    /// Draws the wheel in a strip `height` points tall and follows a drag on it; `enabled` off
    /// (a drone) dims it and takes no drag. `tooltip` shows on hover.
    pub fn ui(&mut self, ui: &mut Ui, height: f32, enabled: bool, tooltip: &str) {
        let sense = match self.kind {
            WheelKind::Pitch => Sense::drag(),
            // A double-click sets the mod wheel down, as it resets a slider.
            WheelKind::Modulation => Sense::click_and_drag(),
        };
        let (rect, response) = ui.allocate_exact_size(vec2(WHEEL_WIDTH_PT, height), sense);
        let response = response.on_hover_text(tooltip);
        self.rect = rect;
        let (bottom, top) = self.kind.range();
        if response.drag_started() {
            let pressed_at = ui.input(|input| input.pointer.press_origin());
            self.grabbed = pressed_at.map(|at| (self.value, at.y));
        }
        if let (true, Some((grabbed_value, grabbed_y)), Some(pointer)) = (
            enabled && response.dragged(),
            self.grabbed,
            response.interact_pointer_pos(),
        ) {
            // The whole range over the strip's height.
            let per_pt = (top - bottom) / rect.height().max(1.0);
            self.value = (grabbed_value - (pointer.y - grabbed_y) * per_pt).clamp(bottom, top);
            if self.value.abs() > self.furthest.abs() {
                self.furthest = self.value;
            }
        }
        if enabled && response.double_clicked() {
            self.value = 0.0;
        }
        if response.drag_stopped() {
            match self.kind {
                WheelKind::Pitch => {
                    nice_log!("Editor: pitch wheel let go at {:+.2}", self.furthest)
                }
                WheelKind::Modulation => nice_log!("Editor: mod wheel = {:.2}", self.value),
            }
            self.furthest = 0.0;
            self.grabbed = None;
        }
        if self.kind == WheelKind::Pitch && !(enabled && response.dragged()) {
            self.value = 0.0;
        }
        let (kind, value) = (self.kind, self.value);
        response.widget_info(|| WidgetInfo::slider(enabled, f64::from(value), kind.name()));
        self.paint(ui, rect, enabled, response.dragged());
    }

    /// Lets go of the wheel: the pitch wheel returns to its centre (the window closes, MIDI
    /// mode goes off).
    pub fn release(&mut self) {
        if self.kind == WheelKind::Pitch {
            self.value = 0.0;
        }
    }

    /// Sends the wheel's value if it changed since it was last sent; a value the full queue
    /// refused is sent again next time.
    pub fn send_change(&mut self, sender: &KeyboardSender) {
        if self.value != self.sent && sender.send(self.kind.event(self.value)) {
            self.sent = self.value;
        }
    }

    fn paint(&self, ui: &Ui, rect: Rect, enabled: bool, held: bool) {
        let painter = ui.painter_at(rect);
        let dim = |color: Color32| {
            if enabled {
                color
            } else {
                color.gamma_multiply(0.4)
            }
        };
        let strip = rect.shrink(0.5);
        painter.rect_filled(strip, 3.0, dim(Color32::from_gray(40)));
        painter.rect_stroke(
            strip,
            3.0,
            Stroke::new(1.0, Color32::from_gray(80)),
            egui::StrokeKind::Inside,
        );
        let (bottom, top) = self.kind.range();
        let travel = (rect.height() - THUMB_HEIGHT_PT).max(0.0);
        let y_of = |value: f32| {
            rect.bottom() - THUMB_HEIGHT_PT / 2.0 - travel * (value - bottom) / (top - bottom)
        };
        let thumb_y = y_of(self.value);
        let lit = Color32::from_rgb(90, 180, 255);
        match self.kind {
            // The centre it springs back to.
            WheelKind::Pitch => {
                painter.hline(
                    strip.x_range().shrink(3.0),
                    y_of(0.0),
                    Stroke::new(1.0, dim(Color32::from_gray(110))),
                );
            }
            // How far up it stands, filled.
            WheelKind::Modulation => {
                let filled = Rect::from_min_max(
                    pos2(strip.left() + 3.0, thumb_y),
                    strip.right_bottom() - vec2(3.0, 3.0),
                );
                painter.rect_filled(filled, 1.0, dim(lit.gamma_multiply(0.5)));
            }
        }
        let thumb = Rect::from_center_size(
            pos2(rect.center().x, thumb_y),
            vec2(rect.width() - 4.0, THUMB_HEIGHT_PT),
        );
        let thumb_color = if held { lit } else { Color32::from_gray(200) };
        painter.rect_filled(thumb, 1.5, dim(thumb_color));
    }
}
