//! Where the sound sits in the stereo field: each partial's pan (a row per partial, in its
//! colour), then unison: how many copies of each note, how far apart in pitch and how wide.
//! A folded section below the per-partial one, so the window's default view shows what it
//! showed before (tests/gui); egui remembers whether it is open.

use super::param_slider::ParamSlider;
use super::{PARTIAL_COLORS, labelled_slider_ui, tooltips};
use crate::params::{Param, QuintetParams};
use egui::RichText;
use nice_plug::prelude::ParamSetter;

/// What the section's title says on hover.
const TITLE_HINT: &str = "Width: each partial's place in the stereo field and unison copies of \
                          each note. The mono output plays the mean of left and right: nothing \
                          is ever phase-inverted, so a wide patch does not cancel in mono";

/// Draws the section, folded until opened (its title says what it holds on hover), each slider
/// `slider_width` points wide at most.
pub fn ui(ui: &mut egui::Ui, params: &QuintetParams, setter: &ParamSetter, slider_width: f32) {
    ui.add_space(6.0);
    egui::CollapsingHeader::new(RichText::new("Width").strong())
        .id_salt("quintet-width")
        .default_open(false)
        .show(ui, |ui| controls_ui(ui, params, setter, slider_width))
        .header_response
        .on_hover_text(TITLE_HINT);
}

/// The pans, one row each in the partial's colour, then unison's three sliders.
fn controls_ui(ui: &mut egui::Ui, params: &QuintetParams, setter: &ParamSetter, width: f32) {
    for (k, (param, color)) in Param::PANS.into_iter().zip(PARTIAL_COLORS).enumerate() {
        ui.horizontal(|ui| {
            ui.label(
                RichText::new(format!("{} pan", k + 1))
                    .color(color)
                    .strong(),
            );
            let width = width - ui.min_rect().width() - ui.spacing().item_spacing.x;
            ui.add(ParamSlider::for_param(params.float(param), setter).with_width(width))
                .on_hover_text(tooltips::for_param(param, None));
        });
    }
    let tooltip = |param| tooltips::for_param(param, None);
    let unison = params.int(Param::UNISON);
    labelled_slider_ui(ui, setter, unison, "Unison", &tooltip(Param::UNISON), width);
    let detune = params.int(Param::UNISON_DETUNE);
    labelled_slider_ui(
        ui,
        setter,
        detune,
        "Detune",
        &tooltip(Param::UNISON_DETUNE),
        width,
    );
    let spread = params.float(Param::UNISON_WIDTH);
    labelled_slider_ui(
        ui,
        setter,
        spread,
        "Spread",
        &tooltip(Param::UNISON_WIDTH),
        width,
    );
}
