//! The partials' own envelopes and touch, compactly: one row of tabs picks what the five
//! sliders below it set (each partial's attack, decay, sustain or velocity follow), then the key
//! tilt. Five sliders of one kind at a time keep the controls column as narrow as it was; every
//! tab and slider explains itself on hover. Which tab shows lives in egui's memory, so the view
//! keeps no state of its own.

use super::PARTIAL_COLORS;
use super::param_slider::ParamSlider;
use crate::params::{Param, QuintetParams};
use egui::{Id, RichText};
use nice_plug::prelude::ParamSetter;
use quintet_core::dsp::PARTIAL_COUNT;

/// One tab: what its sliders set.
struct Tab {
    label: &'static str,
    params: [Param; PARTIAL_COUNT],
    /// What the tab shows, on hover.
    hint: &'static str,
    /// What partial `{k}`'s slider does, on hover ("{k}" stands for its number).
    slider_hint: &'static str,
}

const TABS: [Tab; 4] = [
    Tab {
        label: "Attack",
        params: Param::PARTIAL_ATTACKS,
        hint: "Each partial's attack as a factor of the note's Attack",
        slider_hint: "Partial {k}'s attack time: a factor of Attack (×1 = the note's; \
                      double-click resets)",
    },
    Tab {
        label: "Decay",
        params: Param::PARTIAL_DECAYS,
        hint: "Each partial's decay and release as a factor of the note's: a partial that \
               dies fast also lets go fast (a bell: upper partials at ×0.25)",
        slider_hint: "Partial {k}'s decay and release times: a factor of Decay and Release \
                      (×1 = the note's; double-click resets)",
    },
    Tab {
        label: "Sustain",
        params: Param::PARTIAL_SUSTAINS,
        hint: "Each partial's held level as a share of the note's Sustain",
        slider_hint: "Partial {k}'s held level: a share of Sustain (100 % = the note's)",
    },
    Tab {
        label: "Velocity",
        params: Param::PARTIAL_VELOCITIES,
        hint: "Touch: how much of each partial follows velocity, on top of the note's own \
               response (upper partials at 100 %: a hard note is brighter than a soft one)",
        slider_hint: "How much of partial {k}'s level follows velocity (0 % = as the note, \
                      100 % = a soft note plays it that much quieter)",
    },
];

const KEY_TILT_HINT: &str = "Key tilt: dB per octave from C4 that partial 5 loses (partials \
                             2-4 a quarter, half and three quarters of it, partial 1 none). \
                             Below 0 high notes are darker, above 0 low notes are; it never \
                             makes a partial louder. Set when a note starts.";

/// Draws the section: the tabs, the chosen tab's five sliders (`slider_width` points each,
/// without the value box), then the key tilt.
pub fn ui(ui: &mut egui::Ui, params: &QuintetParams, setter: &ParamSetter, slider_width: f32) {
    let shown_id = Id::unique("quintet-partial-envelope-tab");
    let mut shown = ui.data(|data| data.get_temp::<usize>(shown_id).unwrap_or(0));
    ui.add_space(6.0);
    ui.label(RichText::new("Each partial").strong())
        .on_hover_text("Every partial has its own envelope, relative to the note's, and touch");
    ui.horizontal(|ui| {
        for (index, tab) in TABS.iter().enumerate() {
            if ui
                .selectable_label(shown == index, tab.label)
                .on_hover_text(tab.hint)
                .clicked()
            {
                shown = index;
            }
        }
    });
    ui.data_mut(|data| data.insert_temp(shown_id, shown));
    let tab = &TABS[shown.min(TABS.len() - 1)];
    for (k, (param, color)) in tab.params.into_iter().zip(PARTIAL_COLORS).enumerate() {
        let number = k + 1;
        ui.horizontal(|ui| {
            ui.label(RichText::new(number.to_string()).color(color).strong());
            let width = slider_width - ui.min_rect().width() - ui.spacing().item_spacing.x;
            ui.add(ParamSlider::for_param(params.float(param), setter).with_width(width))
                .on_hover_text(tab.slider_hint.replace("{k}", &number.to_string()));
        });
    }
    ui.add(
        ParamSlider::for_param(params.float(Param::KEY_TILT), setter)
            .with_label("Key tilt")
            .with_width(slider_width),
    )
    .on_hover_text(KEY_TILT_HINT);
}
