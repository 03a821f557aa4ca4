//! Quintet's parameter slider: a bar that moves with the hand and a value box to type into.
//!
//! - Dragging the bar moves the value from where it is (not to where the pointer is): the whole
//!   range takes [`DRAG_PT_PER_RANGE`] points of travel, ten times as many with Shift held.
//! - A wheel notch over the slider moves it a hundredth of the range (as far as 6 pt of drag), a
//!   thousandth with Shift, and at least one of the parameter's steps, so every notch moves a count
//!   or a slider of whole milliseconds.
//! - Double-click or Ctrl-click resets the parameter to its default.
//! - Clicking the value box selects its text, so typing replaces it. Enter, Tab or clicking
//!   elsewhere applies the text through the parameter's own parser, Escape cancels. A text the
//!   parameter cannot read leaves the value as it was, and the box turns red and says why. A
//!   box may read and take text its own way ([`BoxText`]: a partial as a ratio in MIDI mode);
//!   a text it takes but must change to fit (a ratio past the range) frames it amber and says
//!   what was set.
//! - Hovering the bar or the box shows the slider's tooltip (what it does, its unit and range).
//!
//! The value box has a fixed width, so the column of values stays put whatever a value's text;
//! a text too long for it shows in full on hover. Every change reaches the host as a
//! begin/set/end gesture, so the host records it as automation.

use egui::{
    Color32, CursorIcon, Event, Id, Key, MouseWheelUnit, PointerButton, Rect, Response, RichText,
    Sense, Stroke, StrokeKind, TextEdit, TextStyle, TextWrapMode, Ui, Vec2, Widget, WidgetInfo,
    WidgetText, text::CCursor, text_selection::CCursorRange, vec2,
};
use nice_plug::prelude::{Param, ParamSetter};

/// Pointer travel, in points, that moves a slider across its whole normalized range: about four
/// times a slider's width, so a 50 pt drag moves a twelfth of the range (from 200 Hz, a partial
/// goes to about 490 Hz rather than past 2 kHz).
pub const DRAG_PT_PER_RANGE: f32 = 600.0;
/// Shift slows a drag and shortens a wheel notch by this factor, for fine steps (a 50 pt
/// Shift-drag from 200 Hz moves a partial by under two semitones).
const FINE_FACTOR: f32 = 10.0;
/// How far a wheel notch moves a slider, normalized: about two semitones of a partial at 300 Hz.
const WHEEL_NOTCH: f32 = 0.01;
/// Trackpad scrolling, in points, that counts as one wheel notch (egui's line height for scroll
/// speed).
const SCROLL_PT_PER_NOTCH: f32 = 40.0;
/// Width of the value box, in points: "19.99999 kHz", a partial's longest text, fits. The
/// controls column leaves 96 pt for the box and the spacing before it.
pub const VALUE_BOX_WIDTH_PT: f32 = 88.0;
/// The bar's height as a share of the row's height.
const BAR_HEIGHT_SHARE: f32 = 0.8;
/// Size of a slider's label ("Level", "Gain"), in points: readable at 100 % zoom.
const LABEL_SIZE_PT: f32 = 12.0;
// Smaller labels were too hard to read (issue 12): 11 pt is the least.
const _: () = assert!(LABEL_SIZE_PT >= 11.0);
/// Shortest a labelled slider's bar gets, in points, however long its label.
const MIN_LABELLED_BAR_PT: f32 = 40.0;
/// How long a refused text's reason shows without hovering, in seconds; after that it shows on
/// hover, for as long as the box stays red.
const REFUSAL_SHOWN_S: f64 = 4.0;
/// The frame and reason of a refused text.
const REFUSAL_COLOR: Color32 = Color32::from_rgb(255, 80, 80);
/// The frame of a text taken but changed to fit.
const NOTICE_COLOR: Color32 = Color32::from_rgb(255, 196, 64);

/// How a value box reads and takes text when not as its parameter does: a partial as its ratio
/// to partial 1 in MIDI mode.
pub trait BoxText {
    /// The text for the parameter at the position `normalized`.
    fn shown(&self, normalized: f32) -> String;
    /// The position typed `text` sets, or why it sets none (the box adds what it kept).
    fn typed(&self, text: &str) -> Result<Typed, String>;
}

/// What a typed text sets.
#[derive(Clone, Debug, PartialEq)]
pub struct Typed {
    /// The parameter's new position, 0 ..= 1.
    pub normalized: f32,
    /// Said to the user when the text had to change to fit (a ratio past the range).
    pub notice: Option<String>,
}

/// A slider for one parameter: an optional label, the bar, then the value box. Add it with
/// `ui.add(...)`.
#[must_use = "add the slider to a Ui with `ui.add(slider)`"]
pub struct ParamSlider<'a, P: Param> {
    param: &'a P,
    setter: &'a ParamSetter<'a>,
    /// Width of the label and the bar together, in points (the value box comes on top); egui's
    /// slider width if `None`.
    width_pt: Option<f32>,
    /// A short name before the bar, in the theme's text colour.
    label: Option<&'a str>,
    /// How the value box reads and takes text; the parameter's own texts if `None`.
    text: Option<&'a dyn BoxText>,
    /// What hovering the bar or the value box says.
    tooltip: Option<&'a str>,
}

/// The text being typed into a value box, kept in egui's memory between frames.
#[derive(Clone)]
struct Typing {
    text: String,
    /// The value's text when typing began: left as it is, it changes nothing.
    shown: String,
}

/// A refused text: why, when (egui time, seconds), and the value it left in place (normalized),
/// so the box stops being red once the value moves on. Also a text taken but changed to fit:
/// then `applied` is the value set, and the box is amber until the value moves past both.
#[derive(Clone)]
struct Refusal {
    reason: String,
    at_s: f64,
    normalized: f32,
    applied: Option<f32>,
}

impl Refusal {
    /// Whether the parameter's position `now` is still the one this is about (a value set
    /// reaches the parameter only at the host's next block).
    fn still_holds(&self, now: f32) -> bool {
        now == self.normalized || self.applied == Some(now)
    }
}

/// Wheel notches not yet applied (a trackpad scrolls in fractions of one), and the last notch's
/// value as (value it started from, value it set), both normalized: the host applies a change
/// later (the standalone at its next audio block), so a quick second notch starts from the first
/// notch's value rather than from a value the host has not replaced yet.
#[derive(Clone, Copy, Default)]
struct Wheel {
    pending_notches: f32,
    last: Option<(f32, f32)>,
}

impl<'a, P: Param> ParamSlider<'a, P> {
    /// A slider for `param`, which reports its changes through `setter`.
    pub fn for_param(param: &'a P, setter: &'a ParamSetter<'a>) -> Self {
        Self {
            param,
            setter,
            width_pt: None,
            label: None,
            text: None,
            tooltip: None,
        }
    }

    /// Reads and takes the value box's text through `text` rather than the parameter.
    pub fn with_text(mut self, text: &'a dyn BoxText) -> Self {
        self.text = Some(text);
        self
    }

    /// What hovering the slider says: what it does, its unit and range.
    pub fn with_tooltip(mut self, tooltip: &'a str) -> Self {
        self.tooltip = Some(tooltip);
        self
    }

    /// The value's text as the box shows it.
    fn shown(&self) -> String {
        match self.text {
            Some(text) => text.shown(self.param.unmodulated_normalized_value()),
            None => self.param.to_string(),
        }
    }

    /// `response` with the slider's tooltip, enabled or not.
    fn with_hover_text(&self, response: Response) -> Response {
        match self.tooltip {
            Some(tooltip) => response
                .on_hover_text(tooltip)
                .on_disabled_hover_text(tooltip),
            None => response,
        }
    }

    /// Sets the width of the label and the bar together, in points; the value box adds
    /// [`VALUE_BOX_WIDTH_PT`] and spacing.
    pub fn with_width(mut self, width_pt: f32) -> Self {
        self.width_pt = Some(width_pt);
        self
    }

    /// Puts a short name before the bar, which the bar makes room for.
    pub fn with_label(mut self, label: &'a str) -> Self {
        self.label = Some(label);
        self
    }

    /// Sets the parameter to `normalized` as one host gesture, unless it already has that value.
    fn apply(&self, normalized: f32) {
        if self.param.preview_plain(normalized) != self.param.unmodulated_plain_value() {
            self.setter.begin_set_parameter(self.param);
            self.setter.set_parameter_normalized(self.param, normalized);
            self.setter.end_set_parameter(self.param);
        }
    }

    /// Drag: the gesture begins when the drag does and ends when it stops; the position follows
    /// the pointer's travel, unsnapped, so a stepped parameter moves once the travel adds up.
    fn follow_drag(&self, ui: &Ui, bar: &Response) {
        let position_id = bar.id.with("drag");
        if bar.drag_started_by(PointerButton::Primary) {
            self.setter.begin_set_parameter(self.param);
            let start = self.param.unmodulated_normalized_value();
            ui.data_mut(|data| data.insert_temp(position_id, start));
        }
        if bar.dragged_by(PointerButton::Primary) {
            let travel_pt = bar.drag_delta().x;
            if travel_pt != 0.0 {
                let from = ui
                    .data(|data| data.get_temp(position_id))
                    .unwrap_or_else(|| self.param.unmodulated_normalized_value());
                let fine = ui.input(|input| input.modifiers.shift);
                let to = dragged(from, travel_pt, fine);
                ui.data_mut(|data| data.insert_temp(position_id, to));
                // Against the drag's own last position, not the parameter, which the host
                // updates only at its next block.
                let plain = self.param.preview_plain(to);
                if plain != self.param.preview_plain(from) {
                    self.setter.set_parameter(self.param, plain);
                }
            }
        }
        if bar.drag_stopped_by(PointerButton::Primary) {
            self.setter.end_set_parameter(self.param);
            ui.data_mut(|data| data.remove::<f32>(position_id));
        }
    }

    /// Double-click or Ctrl-click (Cmd-click on macOS): back to the default. egui counts a
    /// double-click that closely follows a click elsewhere as a triple-click, which resets too.
    fn follow_reset(&self, ui: &Ui, bar: &Response) {
        let command_click = bar.clicked() && ui.input(|input| input.modifiers.command);
        if bar.double_clicked() || bar.triple_clicked() || command_click {
            self.apply(self.param.default_normalized_value());
        }
    }

    /// Wheel notches over the slider step the value, one gesture per notch. The wheel is the
    /// slider's while the pointer is over it: egui spreads a notch's scrolling over the next
    /// frames, and none of it may scroll the column under the pointer.
    fn follow_wheel(&self, ui: &Ui, wheel_id: Id) {
        ui.ctx()
            .input_mut(|input| input.smooth_scroll_delta = Vec2::ZERO);
        let (notches, fine) = ui.input(|input| wheel_notches(&input.events, false));
        if notches == 0.0 {
            return;
        }
        let mut wheel: Wheel = ui.data(|data| data.get_temp(wheel_id)).unwrap_or_default();
        wheel.pending_notches += notches;
        let whole = wheel.pending_notches.trunc();
        wheel.pending_notches -= whole;
        for _ in 0..whole.abs() as usize {
            let current = self.param.unmodulated_normalized_value();
            let from = match wheel.last {
                Some((started_from, set)) if started_from == current => set,
                _ => current,
            };
            let to = self.notched(from, whole > 0.0, fine);
            if self.param.preview_plain(to) != self.param.preview_plain(from) {
                self.setter.begin_set_parameter(self.param);
                self.setter.set_parameter_normalized(self.param, to);
                self.setter.end_set_parameter(self.param);
                wheel.last = Some((current, to));
            }
        }
        ui.data_mut(|data| data.insert_temp(wheel_id, wheel));
    }

    /// Where one wheel notch up (or down) moves the normalized value `from`: a notch's share of
    /// the range, or the parameter's next step where that share does not reach one.
    fn notched(&self, from: f32, up: bool, fine: bool) -> f32 {
        let notch = if fine {
            WHEEL_NOTCH / FINE_FACTOR
        } else {
            WHEEL_NOTCH
        };
        let to = self
            .param
            .preview_plain((from + if up { notch } else { -notch }).clamp(0.0, 1.0));
        if to != self.param.preview_plain(from) {
            self.param.preview_normalized(to)
        } else if up {
            self.param.next_normalized_step(from, fine)
        } else {
            self.param.previous_normalized_step(from, fine)
        }
    }

    fn paint_bar(&self, ui: &Ui, bar: &Response) {
        if !ui.is_rect_visible(bar.rect) {
            return;
        }
        let visuals = ui.visuals();
        let height = (bar.rect.height() * BAR_HEIGHT_SHARE).round();
        let track = Rect::from_center_size(bar.rect.center(), vec2(bar.rect.width(), height));
        let painter = ui.painter();
        painter.rect_filled(track, 2.0, visuals.widgets.inactive.bg_fill);
        let share = self.param.modulated_normalized_value().clamp(0.0, 1.0);
        if share > 0.0 {
            let mut filled = track;
            filled.set_width(track.width() * share);
            let fill = if bar.hovered() || bar.dragged() {
                visuals
                    .selection
                    .bg_fill
                    .lerp_to_gamma(Color32::WHITE, 0.15)
            } else {
                visuals.selection.bg_fill
            };
            painter.rect_filled(filled, 2.0, fill);
        }
        painter.rect_stroke(
            track,
            2.0,
            visuals.widgets.noninteractive.bg_stroke,
            StrokeKind::Inside,
        );
    }

    /// The value box: the value's text, or the text being typed. Returns its response.
    fn value_box_ui(&self, ui: &mut Ui, rect: Rect, id: Id) -> Response {
        let typing_id = id.with("typing");
        let edit_id = id.with("edit");
        let refusal_id = id.with("refusal");
        let shown = self.shown();
        if let Some(mut typing) = ui.data(|data| data.get_temp::<Typing>(typing_id)) {
            let edit = ui.put(
                rect,
                TextEdit::singleline(&mut typing.text)
                    .id(edit_id)
                    .font(TextStyle::Button),
            );
            if ui.memory(|memory| memory.has_focus(edit_id)) {
                ui.data_mut(|data| data.insert_temp(typing_id, typing));
            } else {
                // Enter, Tab or a click elsewhere took the focus, or Escape dropped it.
                ui.data_mut(|data| data.remove::<Typing>(typing_id));
                let cancelled = ui.input(|input| input.key_pressed(Key::Escape));
                if !cancelled && typing.text != typing.shown {
                    self.apply_typed(ui, &typing.text, refusal_id);
                }
            }
            return edit;
        }

        let response = ui
            .interact(rect, id, Sense::click())
            .on_hover_cursor(CursorIcon::Text);
        let mut refusal = ui.data(|data| data.get_temp::<Refusal>(refusal_id));
        if refusal
            .as_ref()
            .is_some_and(|r| !r.still_holds(self.param.unmodulated_normalized_value()))
        {
            // The value moved on (a drag, automation, a preset): the refusal is history.
            ui.data_mut(|data| data.remove::<Refusal>(refusal_id));
            refusal = None;
        }
        if response.clicked() {
            ui.data_mut(|data| {
                data.remove::<Refusal>(refusal_id);
                data.insert_temp(
                    typing_id,
                    Typing {
                        text: shown.clone(),
                        shown: shown.clone(),
                    },
                );
            });
            select_all_when_focused(ui, edit_id, &shown);
            ui.memory_mut(|memory| memory.request_focus(edit_id));
            ui.ctx().request_repaint();
        }

        let visuals = *ui.style().interact(&response);
        let padding = ui.spacing().button_padding;
        let galley = WidgetText::from(shown.as_str()).into_galley(
            ui,
            Some(TextWrapMode::Truncate),
            rect.width() - 2.0 * padding.x,
            TextStyle::Button,
        );
        if ui.is_rect_visible(rect) {
            let stroke = match &refusal {
                Some(Refusal { applied: None, .. }) => Stroke::new(1.5, REFUSAL_COLOR),
                Some(_) => Stroke::new(1.5, NOTICE_COLOR),
                None => visuals.bg_stroke,
            };
            ui.painter().rect(
                rect,
                visuals.corner_radius,
                visuals.bg_fill,
                stroke,
                StrokeKind::Inside,
            );
            let text_pos = rect.center() - galley.size() / 2.0;
            ui.painter()
                .galley(text_pos, galley.clone(), visuals.text_color());
        }
        match refusal {
            Some(refusal) => {
                let since_s = ui.input(|input| input.time) - refusal.at_s;
                if since_s < REFUSAL_SHOWN_S {
                    response.show_tooltip_text(&refusal.reason);
                    ui.ctx()
                        .request_repaint_after_secs((REFUSAL_SHOWN_S - since_s) as f32);
                    response
                } else {
                    response.on_hover_text(refusal.reason)
                }
            }
            None if galley.elided => response.on_hover_text(shown),
            None => self.with_hover_text(response),
        }
    }

    /// What typed `text` sets, through the box's text or the parameter's own parser, or why
    /// it sets nothing.
    fn read_typed(&self, text: &str) -> Result<Typed, String> {
        let shown = self.shown();
        match self.text {
            Some(box_text) => box_text
                .typed(text)
                .map_err(|reason| format!("{reason} (kept {shown})")),
            None => self
                .param
                .string_to_normalized_value(text)
                .map(|normalized| Typed {
                    normalized,
                    notice: None,
                })
                .ok_or_else(|| refusal_reason(text, &shown)),
        }
    }

    /// Applies a typed text, or remembers why it could not; says so when it had to change it.
    fn apply_typed(&self, ui: &Ui, text: &str, refusal_id: Id) {
        let before = self.param.unmodulated_normalized_value();
        let (reason, applied) = match self.read_typed(text) {
            Ok(Typed { normalized, notice }) => {
                self.apply(normalized);
                (notice, Some(normalized))
            }
            Err(reason) => (Some(reason), None),
        };
        // A value it reads is the fix, whatever came before: the box is red no more.
        ui.data_mut(|data| data.remove::<Refusal>(refusal_id));
        if let Some(reason) = reason {
            let refusal = Refusal {
                reason,
                at_s: ui.input(|input| input.time),
                normalized: before,
                applied,
            };
            ui.data_mut(|data| data.insert_temp(refusal_id, refusal));
            ui.ctx().request_repaint();
        }
    }
}

impl<P: Param> Widget for ParamSlider<'_, P> {
    fn ui(self, ui: &mut Ui) -> Response {
        let id = slider_id(self.param.name());
        ui.horizontal(|ui| {
            let height = ui.spacing().interact_size.y;
            let mut bar_width = self.width_pt.unwrap_or_else(|| ui.spacing().slider_width);
            if let Some(label) = self.label {
                let text = RichText::new(label)
                    .size(LABEL_SIZE_PT)
                    .color(ui.visuals().text_color());
                let label_width = ui.label(text).rect.width() + ui.spacing().item_spacing.x;
                bar_width = (bar_width - label_width).max(MIN_LABELLED_BAR_PT);
            }
            let (_, bar_rect) = ui.allocate_space(vec2(bar_width, height));
            let (_, box_rect) = ui.allocate_space(vec2(VALUE_BOX_WIDTH_PT, height));
            let bar = ui
                .interact(bar_rect, id, Sense::click_and_drag())
                .on_hover_cursor(CursorIcon::ResizeHorizontal);
            let bar = self.with_hover_text(bar);
            let typing = ui.data(|data| data.get_temp::<Typing>(id.with("typing")).is_some());
            if !typing && ui.is_enabled() && ui.rect_contains_pointer(bar_rect.union(box_rect)) {
                self.follow_wheel(ui, id.with("wheel"));
            }
            self.follow_drag(ui, &bar);
            self.follow_reset(ui, &bar);
            self.paint_bar(ui, &bar);
            bar.widget_info(|| {
                WidgetInfo::slider(
                    ui.is_enabled(),
                    f64::from(self.param.modulated_normalized_value()),
                    self.param.name(),
                )
            });
            let value_box = self.value_box_ui(ui, box_rect, id.with("value"));
            bar.union(value_box)
        })
        .inner
    }
}

/// The slider's id, from its parameter's name: typing and dragging survive the layout around
/// the slider changing.
fn slider_id(param_name: &str) -> Id {
    Id::unique(("quintet-param-slider", param_name))
}

/// Where a drag of `travel_pt` points moves the normalized position `from`.
fn dragged(from: f32, travel_pt: f32, fine: bool) -> f32 {
    let pt_per_range = if fine {
        DRAG_PT_PER_RANGE * FINE_FACTOR
    } else {
        DRAG_PT_PER_RANGE
    };
    (from + travel_pt / pt_per_range).clamp(0.0, 1.0)
}

/// The wheel notches in this frame's events (up or right is positive; a trackpad's scroll in
/// fractions of a notch) and whether Shift was held: the notches turned with Ctrl (Cmd) held
/// when `zooming` (they zoom the editor), the others when not (they move sliders).
pub fn wheel_notches(events: &[Event], zooming: bool) -> (f32, bool) {
    let mut notches = 0.0;
    let mut fine = false;
    for event in events {
        if let Event::MouseWheel {
            unit,
            delta,
            modifiers,
            ..
        } = event
        {
            if modifiers.command != zooming {
                continue;
            }
            let per_notch = match unit {
                MouseWheelUnit::Point => SCROLL_PT_PER_NOTCH,
                MouseWheelUnit::Line | MouseWheelUnit::Page => 1.0,
            };
            notches += (delta.y + delta.x) / per_notch;
            fine |= modifiers.shift;
        }
    }
    (notches, fine)
}

/// Makes the text edit `edit_id` start with all of `text` selected, so typing replaces it.
fn select_all_when_focused(ui: &Ui, edit_id: Id, text: &str) {
    let mut state = TextEdit::load_state(ui.ctx(), edit_id).unwrap_or_default();
    let everything = CCursorRange::two(CCursor::new(0), CCursor::new(text.chars().count()));
    state.cursor.set_char_range(Some(everything));
    TextEdit::store_state(ui.ctx(), edit_id, state);
}

/// What the value box says of a text its parameter cannot read, e.g.
/// `not a frequency: “abc” (kept 200 Hz)`. `shown` is the value's text, which tells its kind.
fn refusal_reason(typed: &str, shown: &str) -> String {
    let kind = match shown.rsplit(' ').next() {
        Some("Hz" | "kHz") => "a frequency",
        Some("dB") => "a level in dB",
        Some("ms") => "a time in ms",
        Some("%") => "a percentage",
        Some("st") => "a number of semitones",
        _ => "a number",
    };
    format!("not {kind}: “{}” (kept {shown})", typed.trim())
}

#[cfg(test)]
mod tests;
