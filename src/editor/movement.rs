//! The "Movement" section: the LFO (shape, rate or tempo sync, delay, fade-in, free-running),
//! its depths (vibrato, tremolo, brightness), the mod wheel's vibrato and the pressure and
//! timbre (CC74) routes. A collapsing header, closed at first, below the partials' envelopes:
//! the default window shows what it showed before. Every control's tooltip comes from its
//! declaration in the registry.

use super::{labelled_slider_ui, toggle_ui, tooltips};
use crate::params::{Param, QuintetParams};
use egui::RichText;
use nice_plug::prelude::ParamSetter;

/// The LFO's continuous settings and every depth, each a labelled slider, in this order.
const SLIDERS: [(Param, &str); 10] = [
    (Param::LFO_RATE, "Rate"),
    (Param::LFO_DELAY, "Delay"),
    (Param::LFO_FADE, "Fade-in"),
    (Param::VIBRATO, "Vibrato"),
    (Param::TREMOLO, "Tremolo"),
    (Param::LFO_BRIGHTNESS, "Bright"),
    (Param::WHEEL_VIBRATO, "Wheel"),
    (Param::PRESSURE_LEVEL, "Prs lvl"),
    (Param::PRESSURE_BRIGHTNESS, "Prs brt"),
    (Param::TIMBRE_BRIGHTNESS, "CC74"),
];

/// Draws the section (`slider_width` points per slider, without the value box).
pub fn ui(ui: &mut egui::Ui, params: &QuintetParams, setter: &ParamSetter, slider_width: f32) {
    ui.add_space(6.0);
    let section = egui::CollapsingHeader::new(RichText::new("Movement").strong())
        .id_salt("quintet-movement")
        .default_open(false)
        .show(ui, |ui| {
            let tooltip = |param: Param| tooltips::for_param(param, None);
            for (param, label) in [(Param::LFO_SHAPE, "Shape"), (Param::LFO_SYNC, "Sync")] {
                let int = params.int(param);
                labelled_slider_ui(ui, setter, int, label, &tooltip(param), slider_width);
            }
            let free = params.switch(Param::LFO_FREE);
            toggle_ui(ui, setter, free, "Free-running", &tooltip(Param::LFO_FREE));
            for (param, label) in SLIDERS {
                let float = params.float(param);
                labelled_slider_ui(ui, setter, float, label, &tooltip(param), slider_width);
            }
        });
    section.header_response.on_hover_text(SECTION_HINT);
}

/// What hovering the section's header says.
const SECTION_HINT: &str = "Movement: the LFO (vibrato, tremolo, brightness), the mod wheel's \
                            vibrato and what pressure and CC74 (MPE's timbre) do. Click to open";
