//! Quintet's editor, in four parts:
//! - across the top, the [`header`]: the title, the [`preset_bar`] (previous, the preset menu,
//!   next, "Save as…"), while an MTS-ESP master tunes the notes its scale ([`mts_status`]), in
//!   MIDI mode the notes that play, and the zoom at the right;
//! - on the left, the controls: per partial, in its colour, its frequency, its level and its
//!   mute (M); then the gain, MIDI mode with MPE and its glide, and what MIDI mode plays with
//!   (voices, bend range, attack, decay, sustain, release), each partial's envelope and touch
//!   ([`partial_envelopes`]), the LFO and its routes ([`movement`], closed at first), each
//!   partial's pan and unison ([`width`]), the [`tuning_control`] (the scale, what sounds under
//!   it, partials on its degrees); a hint on the mouse gestures at the bottom;
//! - in the middle, the waveform ([`scope`]) over the spectrum ([`spectrum_view`], a numbered
//!   marker per partial where it plays), and under them the on-screen [`keyboard`] with its
//!   pitch and mod wheels;
//! - on the right, the level [`meter`].
//!
//! This file lays them out, wires them to the parameters and to the audio→GUI
//! [`tap`](crate::tap), and keeps the window's size and zoom; each view lives in its own file
//! under `editor/`, with its analysis as plain Rust tested without a display. All work here runs
//! on the GUI thread, and only while the window is open.

pub mod header;
pub mod keyboard;
pub mod marker_labels;
pub mod meter;
pub mod movement;
pub mod mts_status;
pub mod param_slider;
pub mod partial_envelopes;
pub mod partial_ratio;
pub mod preset_bar;
pub mod scope;
pub mod screen;
pub mod settled;
pub mod spectrum_view;
#[cfg(test)]
mod test_host;
pub mod tooltips;
pub mod tuning_control;
pub mod what_plays;
pub mod width;
pub mod window_geometry;

#[cfg(test)]
mod controls_tests;

use crate::keyboard_notes::KeyboardSender;
use crate::params::editor_size::{DEFAULT_SIZE_PT, EditorSize, MIN_SIZE_PT, ZOOM_RANGE};
use crate::params::{Param as Id, PluginParam, QuintetParams};
use crate::tap::TapReader;
use egui::{Align, Color32, Layout, Rect, RichText, Sense, Vec2, ViewportCommand, vec2};
use keyboard::NoteKeyboard;
use meter::PeakNeedle;
use nice_plug::context::gui::GuiContext;
use nice_plug::editor::ResizeHint;
use nice_plug::editor::dpi::LogicalSize;
use nice_plug::prelude::*;
use nice_plug_egui::resizable_window::ResizableWindow;
use nice_plug_egui::{
    EguiEditor, EguiEditorState, EguiNiceSettings, Frame, NiceEguiApp, RepaintNotifier,
    create_egui_editor,
};
use param_slider::ParamSlider;
use preset_bar::PresetBar;
use quintet_core::params::PARAM_COUNT;
use spectrum_view::SpectrumView;
use std::sync::Arc;
use std::time::Duration;
use tuning_control::TuningControl;
use what_plays::WhatPlays;

/// The editor type the plugin hands to the host: egui's, opened so that a host may close it at
/// once ([`settled`]).
pub type QuintetEditor = settled::Settled<EguiEditor<EditorApp>>;

/// Each partial's colour: its slider label and its marker in the spectrum.
pub const PARTIAL_COLORS: [Color32; 5] = [
    Color32::from_rgb(255, 110, 110),
    Color32::from_rgb(255, 185, 80),
    Color32::from_rgb(125, 215, 135),
    Color32::from_rgb(90, 180, 255),
    Color32::from_rgb(190, 145, 255),
];

/// How often the window looks at the audio side's repaint requests. The tap requests one per
/// snapshot (about 30 per second), so the editor repaints at most that often on its own.
const REPAINT_POLL_INTERVAL: Duration = Duration::from_millis(16);
/// How long a zoom step waits at most for the window to take the size asked for before, in
/// seconds (a host may refuse a size).
const RESIZE_WAIT_S: f64 = 0.5;
/// Frame interval while the meter still falls but no audio arrives (a stopped host), seconds.
const IDLE_FRAME_S: f64 = 1.0 / 30.0;
/// A parameter must rest this long before the editor logs its new value, in seconds: one log
/// line per gesture, not one per frame.
const LOG_SETTLE_S: f64 = 0.25;
/// Width of the controls column, in egui points.
const CONTROLS_WIDTH_PT: f32 = 290.0;
/// Height of the on-screen keyboard, in egui points (less in a short window): room below the
/// black keys for the white keys' letters over the C's names.
const KEYBOARD_HEIGHT_PT: f32 = 56.0;

/// Size of the hint under the controls, in points.
const HINT_SIZE_PT: f32 = 11.0;

/// Width of the meter column, in egui points.
const METER_WIDTH_PT: f32 = 62.0;

/// The editor's size and zoom before any state is loaded; [`EditorApp`] applies the saved ones
/// when the window opens.
pub fn default_state() -> Arc<EguiEditorState> {
    EguiEditorState::from_size(
        LogicalSize::new(DEFAULT_SIZE_PT[0], DEFAULT_SIZE_PT[1]),
        1.0,
    )
}

/// Creates the editor. `state` tells the audio thread whether the window is open, `repaint` is
/// how the audio thread wakes the window when the tap has new samples.
pub fn create(
    params: Arc<QuintetParams>,
    state: Arc<EguiEditorState>,
    repaint: RepaintNotifier,
    tap: TapReader,
    notes: KeyboardSender,
    mts: Arc<crate::mts::Mts>,
) -> Option<QuintetEditor> {
    // The window's smallest size, in logical pixels, is fixed when it opens, but the editor's
    // minimum is in points: the hint allows the smallest zoom's window (320 × 350 pixels at
    // 50 %), and the editor keeps its own minimum in points on every zoom and corner drag.
    let min_size = LogicalSize::new(MIN_SIZE_PT[0] * ZOOM_RANGE.0, MIN_SIZE_PT[1] * ZOOM_RANGE.0);
    let editor = create_egui_editor(
        state,
        repaint,
        EguiNiceSettings::new()
            .with_tile("Quintet")
            .with_resize_hint(ResizeHint::resizable().with_min_logical_size(min_size))
            .with_repaint_poll_interval(REPAINT_POLL_INTERVAL),
        EditorApp {
            master: mts_status::MasterLabel::new(mts),
            ..EditorApp::new(params, tap, notes)
        },
    );
    editor.map(settled::Settled)
}

/// Editor state owned by the GUI thread.
pub struct EditorApp {
    params: Arc<QuintetParams>,
    /// Set in `build`; makes the `ParamSetter`s that report gestures to the host.
    gui_context: Option<GuiContext>,
    /// The GUI end of the audio→GUI tap.
    tap: TapReader,
    /// Spectrum of the newest snapshot.
    spectrum: SpectrumView,
    /// Level meter ballistics.
    needle: PeakNeedle,
    /// egui time of the previous frame, seconds (`None` right after opening).
    last_frame_s: Option<f64>,
    /// egui time the newest snapshot arrived, seconds.
    last_snapshot_s: f64,
    /// Saved size to ask for on the first frame after opening.
    pending_size: Option<EditorSize>,
    /// Current egui zoom factor, to convert window sizes to egui points.
    zoom: f32,
    /// Ctrl + wheel notches not yet turned into a zoom step (see `follow_zoom_keys`).
    zoom_notches: f32,
    /// The window size last asked for (on opening, by a zoom step, for the minimum size), in
    /// egui points at its zoom, and when (egui time, seconds), until the window takes it.
    size_asked: Option<(egui::Vec2, f64)>,
    /// The last size below the minimum the editor asked to leave, in points (not asked twice).
    below_minimum: Option<egui::Vec2>,
    /// The usable screen area in physical pixels, asked for when the window opens (`None`:
    /// unknown). Zooming keeps the window inside it.
    screen_px: Option<[f32; 2]>,
    /// Logs parameter values the editor sees change.
    change_log: ChangeLog,
    /// Factory and user presets, and which one is loaded.
    presets: PresetBar,
    /// The on-screen keys and the computer keyboard, for playing MIDI mode.
    keyboard: NoteKeyboard,
    /// The Tuning section's typed paths and last refusal.
    tuning: TuningControl,
    /// The MTS-ESP master's scale, while one is connected.
    master: mts_status::MasterLabel,
}

impl NiceEguiApp for EditorApp {
    fn build(
        &mut self,
        egui_ctx: egui::Context,
        gui_context: GuiContext,
        _frame: &mut Frame,
    ) -> Result<(), nice_plug_egui::baseview::HandlerError> {
        let size = self.params.editor.load();
        egui_ctx.set_zoom_factor(size.zoom);
        // Every zoom goes through `zoom_to`, which keeps the window on the screen; egui's own
        // keyboard zoom would not.
        egui_ctx.options_mut(|options| options.zoom_with_keyboard = false);
        self.zoom = size.zoom;
        self.pending_size = Some(size);
        self.screen_px = screen::usable_area_px();
        self.gui_context = Some(gui_context);
        self.last_frame_s = None;
        self.change_log = ChangeLog::new(&self.params);
        Ok(())
    }

    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut Frame) {
        let Some(gui_context) = self.gui_context.clone() else {
            return;
        };
        if crate::standalone::quit_requested() {
            // The standalone was asked to end (a signal): closing the window ends its run.
            ui.send_viewport_cmd(ViewportCommand::Close);
            return;
        }
        self.keyboard.begin_frame(ui.ctx());
        let setter = gui_context.param_setter();
        let now_s = ui.input(|input| input.time);
        if let Some(saved) = self.pending_size.take() {
            let size = window_geometry::fitted_to_screen(saved, self.screen_size(ui));
            self.ask_for_size(ui, size);
        }
        self.follow_audio(ui, now_s);
        self.follow_zoom_keys(ui);
        self.keep_minimum_size(ui);
        if self.change_log.observe(&self.params, now_s) {
            ui.request_repaint_after(Duration::from_secs_f64(LOG_SETTLE_S));
        }

        self.panels_ui(ui, &gui_context, &setter);
    }

    /// `new_size.logical` is in egui points: egui-baseview divides the window's pixels by the
    /// zoom too (its docs say the size "takes the zoom factor into account").
    fn resized(&mut self, new_size: nice_plug_egui::baseview::WindowSize) {
        let size_pt = vec2(
            new_size.logical.width as f32,
            new_size.logical.height as f32,
        );
        if let Some((asked_pt, _)) = self.size_asked
            && (size_pt - asked_pt).abs().max_elem() <= 1.5
        {
            self.size_asked = None;
        }
        self.params.editor.store(EditorSize {
            width: size_pt.x,
            height: size_pt.y,
            zoom: self.zoom,
        });
    }

    fn zoom_factor_changed(&mut self, zoom_factor: f32) {
        let mut size = self.params.editor.load();
        size.zoom = zoom_factor;
        self.zoom = zoom_factor;
        self.params.editor.store(size);
    }

    fn editor_closed(&mut self) {
        self.keyboard.release_all();
        self.gui_context = None;
    }
}

impl EditorApp {
    /// The editor's state before its first frame; the GUI context comes with the window.
    fn new(params: Arc<QuintetParams>, tap: TapReader, notes: KeyboardSender) -> Self {
        Self {
            change_log: ChangeLog::new(&params),
            params,
            gui_context: None,
            tap,
            spectrum: SpectrumView::default(),
            needle: PeakNeedle::default(),
            last_frame_s: None,
            last_snapshot_s: 0.0,
            pending_size: None,
            zoom: 1.0,
            zoom_notches: 0.0,
            size_asked: None,
            below_minimum: None,
            screen_px: None,
            presets: PresetBar::default(),
            keyboard: NoteKeyboard::new(notes),
            tuning: TuningControl::default(),
            master: mts_status::MasterLabel::default(),
        }
    }
    /// The window's panels: the header, the controls, the meter and the views.
    fn panels_ui(&mut self, ui: &mut egui::Ui, gui_context: &GuiContext, setter: &ParamSetter) {
        ResizableWindow::new("quintet-editor")
            .min_size(vec2(MIN_SIZE_PT[0], MIN_SIZE_PT[1]))
            .show(ui, |ui| {
                egui::Panel::top("header").show(ui, |ui| self.header_ui(ui, gui_context));
                egui::Panel::left("controls")
                    .resizable(false)
                    .exact_size(CONTROLS_WIDTH_PT)
                    .show(ui, |ui| self.controls_ui(ui, setter));
                egui::Panel::right("meter")
                    .resizable(false)
                    .exact_size(METER_WIDTH_PT)
                    .show(ui, |ui| meter::show(ui, &self.needle));
                egui::CentralPanel::default().show(ui, |ui| self.views_ui(ui));
            });
        // nice-plug-egui's resize corner has no hover text of its own: a hover area over it,
        // where it lies (the window's corner, the theme's corner size).
        let corner = Rect::from_min_size(
            ui.clip_rect().max - Vec2::splat(ui.visuals().resize_corner_size),
            Vec2::splat(ui.visuals().resize_corner_size),
        );
        ui.interact(
            corner,
            egui::Id::unique("quintet-resize-corner-tooltip"),
            Sense::hover(),
        )
        .on_hover_text(tooltips::RESIZE_CORNER);
    }

    /// Takes the newest snapshot and peak from the tap: the FFT runs here, once per snapshot.
    fn follow_audio(&mut self, ui: &egui::Ui, now_s: f64) {
        if let Some(snapshot) = self.tap.take_new() {
            self.spectrum
                .analyse(&snapshot.samples, snapshot.sample_rate_hz);
            self.last_snapshot_s = now_s;
        }
        let elapsed_s = self.last_frame_s.map_or(0.0, |last| now_s - last);
        self.last_frame_s = Some(now_s);
        self.needle.update(self.tap.take_peak(), elapsed_s as f32);
        // The tap wakes the editor while audio flows; when the host stops, keep animating
        // only until the needle has fallen.
        if self.needle.is_moving() && now_s - self.last_snapshot_s > 3.0 * IDLE_FRAME_S {
            ui.request_repaint_after(Duration::from_secs_f64(IDLE_FRAME_S));
        }
    }

    /// The usable screen area in logical pixels (egui points at zoom 1), if known.
    fn screen_size(&self, ui: &egui::Ui) -> Option<[f32; 2]> {
        let pixels_per_point = ui.ctx().native_pixels_per_point().unwrap_or(1.0);
        self.screen_px
            .map(|[width, height]| [width / pixels_per_point, height / pixels_per_point])
    }

    /// Zooms to `zoom` if the window still fits the screen there, shrinking its size in points
    /// when needed (see [`window_geometry::zoom_step`]); zooming in past the screen does nothing.
    fn zoom_to(&mut self, ui: &egui::Ui, zoom: f32) {
        let size_pt = ui.ctx().content_rect().size();
        let step = window_geometry::zoom_step(
            [size_pt.x, size_pt.y],
            ui.ctx().zoom_factor(),
            zoom,
            self.screen_size(ui),
        );
        if let Some(size) = step {
            self.ask_for_size(ui, size);
        }
    }

    /// Asks for a window `size` points large at its zoom, and remembers the request until the
    /// window takes it (see `resize_pending`).
    fn ask_for_size(&mut self, ui: &egui::Ui, size: EditorSize) {
        ui.ctx().set_zoom_factor(size.zoom);
        let size_pt = vec2(size.width, size.height);
        ui.send_viewport_cmd(ViewportCommand::InnerSize(size_pt));
        self.size_asked = Some((size_pt, ui.input(|input| input.time)));
    }

    /// Whether the window has not yet taken the size last asked for. The next zoom step must
    /// wait for it: until then the window's size in points (its pixels over the new zoom) is
    /// wrong, and a step based on it would shrink the window.
    fn resize_pending(&mut self, now_s: f64) -> bool {
        match self.size_asked {
            Some((_, asked_s)) if now_s - asked_s < RESIZE_WAIT_S => true,
            _ => {
                self.size_asked = None;
                false
            }
        }
    }

    /// Keeps the window at least [`MIN_SIZE_PT`] points large. The size hint the host and the
    /// window manager see is fixed when the window opens and allows the 50 % window, so at a
    /// larger zoom they can make the window smaller than the editor's minimum: the editor asks
    /// for the minimum back, once for each size it finds (a host may refuse).
    fn keep_minimum_size(&mut self, ui: &egui::Ui) {
        if self.resize_pending(ui.input(|input| input.time)) {
            return;
        }
        let size_pt = ui.ctx().content_rect().size();
        let wanted = size_pt.max(vec2(MIN_SIZE_PT[0], MIN_SIZE_PT[1]));
        if (wanted - size_pt).max_elem() > 1.0 && self.below_minimum != Some(size_pt) {
            self.below_minimum = Some(size_pt);
            let zoom = ui.ctx().zoom_factor();
            let size = window_geometry::fitted_to_screen(
                EditorSize {
                    width: wanted.x,
                    height: wanted.y,
                    zoom,
                },
                self.screen_size(ui),
            );
            self.ask_for_size(ui, size);
        }
    }

    /// Ctrl + mouse wheel zooms one [`ZOOM_STEP`](window_geometry::ZOOM_STEP) per notch, like
    /// the buttons, counted from the wheel's own events (a trackpad's scrolling is gathered into
    /// notches): egui's smoothed zoom gesture spreads a notch over several frames and sometimes
    /// made two steps of one. Whole steps make zooming out undo zooming in exactly, window size
    /// included. Ctrl 0 returns to 100 %. Ctrl + and Ctrl − cannot reach egui through
    /// egui-baseview 0.9, which maps no key for + = −.
    fn follow_zoom_keys(&mut self, ui: &egui::Ui) {
        if ui.input_mut(|input| input.consume_key(egui::Modifiers::COMMAND, egui::Key::Num0)) {
            self.zoom_to(ui, 1.0);
        }
        let (notches, _) = ui.input(|input| param_slider::wheel_notches(&input.events, true));
        self.zoom_notches += notches;
        if self.zoom_notches.abs() < 1.0 {
            return;
        }
        // One step per frame, each after the window took the previous one's size; notches
        // turned meanwhile wait their turn.
        if self.resize_pending(ui.input(|input| input.time)) {
            ui.request_repaint_after(Duration::from_secs_f64(IDLE_FRAME_S));
            return;
        }
        let zoom = ui.ctx().zoom_factor();
        if self.zoom_notches >= 1.0 {
            self.zoom_to(ui, window_geometry::zoomed_in(zoom));
            self.zoom_notches -= 1.0;
        } else {
            self.zoom_to(ui, window_geometry::zoomed_out(zoom));
            self.zoom_notches += 1.0;
        }
    }

    fn header_ui(&mut self, ui: &mut egui::Ui, gui_context: &GuiContext) {
        let notes = self.what_plays().notes;
        let zoom = ui.ctx().zoom_factor();
        let mut zoom_asked = None;
        header::row(
            ui,
            |ui| {
                if ui
                    .small_button("+")
                    .on_hover_text(tooltips::zoom(true))
                    .clicked()
                {
                    zoom_asked = Some(window_geometry::zoomed_in(zoom));
                }
                ui.label(format!("{:.0} %", zoom * 100.0));
                if ui
                    .small_button("−")
                    .on_hover_text(tooltips::zoom(false))
                    .clicked()
                {
                    zoom_asked = Some(window_geometry::zoomed_out(zoom));
                }
                ui.label(RichText::new("Zoom").weak());
            },
            |ui| {
                ui.heading(RichText::new("Quintet").strong());
                ui.add_space(8.0);
                self.presets.ui(ui, &self.params, gui_context);
                self.master.ui(ui);
                // In MIDI mode, the notes that sound: the sign that notes arrive.
                if let Some(notes) = notes {
                    let text = if notes.is_empty() {
                        String::from("no note")
                    } else {
                        format!("playing {notes}")
                    };
                    header::message(ui, RichText::new(text).color(PARTIAL_COLORS[3]));
                }
            },
        );
        if let Some(zoom) = zoom_asked {
            self.zoom_to(ui, zoom);
        }
    }

    fn controls_ui(&mut self, ui: &mut egui::Ui, setter: &ParamSetter) {
        // Scrolls when the window is too short for every control. The bar always shows: the
        // "Each partial" section below the note's settings is out of sight at the default size,
        // and a bar that appears only on hover hides that it is there.
        egui::ScrollArea::vertical()
            .scroll_bar_visibility(egui::scroll_area::ScrollBarVisibility::AlwaysVisible)
            .show(ui, |ui| self.controls_list_ui(ui, setter));
    }

    fn controls_list_ui(&mut self, ui: &mut egui::Ui, setter: &ParamSetter) {
        ui.add_space(6.0);
        ui.label(RichText::new("Partials").strong());
        // Room for the value box ParamSlider draws after the slider.
        let slider_width = (ui.available_width() - 96.0).max(80.0);
        // In MIDI mode the partials are ratios to partial 1's setting, and say what they play.
        let settings_hz = self.params.frequencies().map(|param| param.value());
        let midi_reference_hz = self
            .params
            .switch(Id::MIDI)
            .value()
            .then_some(settings_hz[0]);
        let newest = self.what_plays().newest;
        let tooltip = |param: Id| tooltips::for_param(param, midi_reference_hz);
        let partials = self
            .params
            .frequencies()
            .into_iter()
            .zip(self.params.levels())
            .zip(self.params.mutes())
            .zip(PARTIAL_COLORS)
            .enumerate();
        for (k, (((frequency, level), mute), color)) in partials {
            // A muted partial's row fades, all but its M button, which lights up.
            let opacity = if mute.value() { MUTED_ROW_OPACITY } else { 1.0 };
            ui.add_space(4.0);
            ui.horizontal(|ui| {
                ui.scope(|ui| {
                    ui.multiply_opacity(opacity);
                    // A dot in the partial's colour, painted: the bundled fonts have no bullet
                    // glyph.
                    let (dot, _) = ui.allocate_exact_size(vec2(10.0, 10.0), Sense::hover());
                    ui.painter().circle_filled(dot.center(), 4.0, color);
                    ui.label(RichText::new(format!("Partial {}", k + 1)).color(color));
                });
                ui.with_layout(Layout::right_to_left(Align::Center), |ui| {
                    toggle_ui(ui, setter, mute, "M", &tooltip(Id::MUTES[k]));
                    if midi_reference_hz.is_some() {
                        let text = partial_ratio::row_text(k, settings_hz, newest);
                        ui.multiply_opacity(opacity);
                        ui.label(
                            RichText::new(text)
                                .size(HINT_SIZE_PT)
                                .color(ui.visuals().text_color()),
                        );
                    }
                });
            });
            ui.scope(|ui| {
                ui.multiply_opacity(opacity);
                partial_ratio::frequency_slider_ui(
                    ui,
                    setter,
                    frequency,
                    k,
                    midi_reference_hz,
                    slider_width,
                );
                let level_tooltip = tooltip(Id::LEVELS[k]);
                labelled_slider_ui(ui, setter, level, "Level", &level_tooltip, slider_width);
            });
        }
        ui.add_space(8.0);
        ui.separator();
        let gain = self.params.float(Id::GAIN);
        labelled_slider_ui(ui, setter, gain, "Gain", &tooltip(Id::GAIN), slider_width);
        ui.add_space(4.0);
        ui.horizontal(|ui| {
            toggle_ui(
                ui,
                setter,
                self.params.switch(Id::MIDI),
                "MIDI mode",
                &tooltip(Id::MIDI),
            );
            let mpe = self.params.switch(Id::MPE);
            toggle_ui(ui, setter, mpe, "MPE", &tooltip(Id::MPE));
        });
        // What MIDI mode plays with, one labelled slider a row (side by side, the value boxes
        // left the sliders too short to set a value with; beside the two switches the glide's
        // ran past the column).
        for (param, label) in [
            (Id::MIDI_GLIDE, "Glide"),
            (Id::VOICES, "Voices"),
            (Id::BEND_RANGE, "Bend"),
            (Id::ATTACK, "Attack"),
            (Id::DECAY, "Decay"),
            (Id::SUSTAIN, "Sustain"),
            (Id::RELEASE, "Release"),
        ] {
            let tooltip = tooltip(param);
            match self.params.get(param) {
                PluginParam::Float(param) => {
                    labelled_slider_ui(ui, setter, param, label, &tooltip, slider_width)
                }
                PluginParam::Int(param) => {
                    labelled_slider_ui(ui, setter, param, label, &tooltip, slider_width)
                }
                PluginParam::Switch(_) => {}
            }
        }
        partial_envelopes::ui(ui, &self.params, setter, slider_width);
        movement::ui(ui, &self.params, setter, slider_width);
        width::ui(ui, &self.params, setter, slider_width);
        let playing = &self.tap.latest().playing;
        self.tuning
            .ui(ui, &self.params, setter, playing, slider_width);
        ui.add_space(8.0);
        // As readable as the sliders' labels (11 pt, the text colour: 5.1:1 on the panel).
        ui.label(
            RichText::new(
                "Drag to set · Shift-drag for fine steps · double-click to reset · \
                 click a value to type one",
            )
            .size(HINT_SIZE_PT)
            .color(ui.visuals().text_color()),
        );
    }

    fn views_ui(&mut self, ui: &mut egui::Ui) {
        let snapshot = self.tap.latest();
        let plays = self.what_plays();
        let capture = plays.silence.is_none().then(|| {
            scope::capture(
                snapshot.valid(),
                snapshot.sample_rate_hz,
                &plays.frequencies_hz(),
            )
        });
        let valid = snapshot.valid();
        let spacing = ui.spacing().item_spacing.y;
        let scope_height = (ui.available_height() - spacing) * 0.45;
        let idle_text = plays.silence.unwrap_or("waiting for audio…");
        ui.allocate_ui(vec2(ui.available_width(), scope_height), |ui| {
            scope::show(
                ui,
                valid,
                capture.flatten(),
                snapshot.sample_rate_hz,
                idle_text,
            );
        });
        let keys_height = KEYBOARD_HEIGHT_PT.min(ui.available_height() * 0.25);
        let spectrum_height = ui.available_height() - keys_height - spacing;
        ui.allocate_ui(vec2(ui.available_width(), spectrum_height), |ui| {
            self.spectrum.show(ui, &plays.markers(&PARTIAL_COLORS));
        });
        let midi = self.params.switch(Id::MIDI).value();
        self.keyboard.mark_keys(self.params.tuning.get().table());
        self.keyboard.ui(ui, keys_height, midi);
    }

    /// Which keys the on-screen keyboard marks as mapped (`None` in 12-TET).
    #[cfg(test)]
    fn keyboard_marks(&self) -> Option<[bool; 128]> {
        self.keyboard.marks()
    }

    /// What the engine last reported it plays (the sliders' frequencies until it reports).
    fn what_plays(&self) -> WhatPlays {
        let snapshot = self.tap.latest();
        let settings = self.params.frequencies().map(|param| param.value());
        WhatPlays::of(&snapshot.playing, snapshot.sequence > 0, settings)
    }
}

/// Opacity of a muted partial's row: faded, but its values stay readable.
const MUTED_ROW_OPACITY: f32 = 0.35;
/// Fill of a switch that is on (a mute, MIDI mode): bright amber under black text.
const SWITCH_ON_FILL: Color32 = Color32::from_rgb(255, 196, 64);

/// A short label and a slider on one row, `width` points together (without the value box);
/// hovering it says `tooltip`.
fn labelled_slider_ui(
    ui: &mut egui::Ui,
    setter: &ParamSetter,
    param: &impl Param,
    label: &str,
    tooltip: &str,
    width: f32,
) {
    ui.add(
        ParamSlider::for_param(param, setter)
            .with_label(label)
            .with_width(width)
            .with_tooltip(tooltip),
    );
}

/// A button that shows a switch parameter and flips it as one host gesture. On, it is filled
/// bright with dark text, so a switched-on mute reads at a glance.
fn toggle_ui(ui: &mut egui::Ui, setter: &ParamSetter, param: &BoolParam, text: &str, hint: &str) {
    let on = param.value();
    let button = if on {
        egui::Button::new(RichText::new(text).strong().color(Color32::BLACK)).fill(SWITCH_ON_FILL)
    } else {
        egui::Button::new(text)
    };
    if ui.add(button).on_hover_text(hint).clicked() {
        setter.begin_set_parameter(param);
        setter.set_parameter(param, !on);
        setter.end_set_parameter(param);
    }
}

/// Logs, on the GUI thread, each parameter value the editor sees settle: one line per slider
/// gesture, click, typed value or automation move, so a user (or a GUI test) can follow what the
/// editor did to the parameters. Every parameter is watched.
struct ChangeLog {
    /// Per parameter, in registry order: normalized value seen last frame, normalized value
    /// last logged, and egui time of the last change in seconds.
    watches: [(f32, f32, f64); PARAM_COUNT],
}

impl ChangeLog {
    fn new(params: &QuintetParams) -> Self {
        Self {
            watches: params.all().each_ref().map(|param| {
                let value = param.modulated_normalized_value();
                (value, value, 0.0)
            }),
        }
    }

    /// Notes the current values; returns whether a change is still waiting to settle.
    fn observe(&mut self, params: &QuintetParams, now_s: f64) -> bool {
        let mut waiting = false;
        for ((seen, logged, changed_at_s), param) in self.watches.iter_mut().zip(params.all()) {
            let value = param.modulated_normalized_value();
            if value != *seen {
                *seen = value;
                *changed_at_s = now_s;
            }
            if *seen != *logged {
                if now_s - *changed_at_s >= LOG_SETTLE_S {
                    nice_log!("Editor: {}", param.describe());
                    *logged = *seen;
                } else {
                    waiting = true;
                }
            }
        }
        waiting
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_log_line_names_the_parameter_and_its_value() {
        let params = QuintetParams::default();
        let describe = |param: Id| params.get(param).describe();
        assert_eq!(describe(Id::FREQUENCIES[0]), "Partial 1 = 200 Hz");
        assert_eq!(describe(Id::MIDI), "MIDI mode = Off");
        assert_eq!(describe(Id::BEND_RANGE), "Bend range = 2 st");
    }
}
