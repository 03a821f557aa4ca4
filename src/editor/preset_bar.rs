//! The preset bar: the preset's name (with `*` once a parameter moved away from it),
//! previous/next, a menu of factory and user presets, and "Save as" into the user folder.
//!
//! Loading a preset sets every parameter as a begin/set/end gesture, one per parameter, so the
//! DAW records the load as automation and can undo it.

use crate::params::QuintetParams;
use crate::presets::{self, Preset, factory, store};
use egui::{Color32, RichText, Ui};
use nice_plug::context::gui::GuiContext;
use nice_plug::prelude::ParamPtr;

/// Where a preset in the list came from.
#[derive(Clone, Debug, PartialEq)]
enum Source {
    Factory,
    User,
}

/// The presets the bar offers and which one is loaded.
pub struct PresetBar {
    presets: Vec<(Source, Preset)>,
    /// Index in `presets` of the preset loaded last.
    current: Option<usize>,
    /// The name being typed for "Save as", while its box is open.
    saving: Option<String>,
    /// The last problem to show (a refused file, a failed save), in the bar.
    problem: Option<String>,
    /// Whether the bar has looked for a preset matching the parameters it opened with.
    guessed: bool,
    /// Whether the name box of "Save as" should take the keyboard on its next frame.
    focus_name: bool,
    /// The current preset's index and normalized values, so the check for changes in every
    /// frame (the `*` after the name) reads the parameters without building the preset's
    /// values again (nice-plug's `param_map` allocates each id).
    current_values: Option<(usize, Vec<(ParamPtr, f32)>)>,
}

impl Default for PresetBar {
    /// The factory presets and what the user folder holds.
    fn default() -> Self {
        let mut bar = Self {
            presets: Vec::new(),
            current: None,
            saving: None,
            problem: None,
            guessed: false,
            focus_name: false,
            current_values: None,
        };
        bar.rescan();
        bar
    }
}

impl PresetBar {
    /// Reads the user folder again (after a save); keeps the current preset by name.
    fn rescan(&mut self) {
        let current_name = self.current_preset().map(|p| p.name.clone());
        self.current_values = None;
        let (user, refused) = store::list();
        self.presets = factory::presets()
            .into_iter()
            .map(|p| (Source::Factory, p))
            .chain(user.into_iter().map(|(_, p)| (Source::User, p)))
            .collect();
        self.current = current_name.and_then(|name| self.index_of(&name));
        if let Some(first) = refused.first() {
            self.problem = Some(format!(
                "{} preset file(s) refused, e.g. {first}",
                refused.len()
            ));
        }
    }

    fn index_of(&self, name: &str) -> Option<usize> {
        self.presets.iter().rposition(|(_, p)| p.name == name)
    }

    fn current_preset(&self) -> Option<&Preset> {
        self.current.map(|k| &self.presets[k].1)
    }

    /// Whether the parameters differ from the current preset (none: they do not).
    fn current_changed(&mut self, params: &QuintetParams) -> bool {
        let Some(index) = self.current else {
            return false;
        };
        if self
            .current_values
            .as_ref()
            .is_none_or(|(cached, _)| *cached != index)
        {
            let values = self.presets[index].1.normalized_values(params);
            self.current_values = Some((index, values));
        }
        let values = self.current_values.as_ref().map_or(&[][..], |(_, v)| v);
        // SAFETY: the pointers are into `params`, which outlive the editor.
        !unsafe { presets::hold(values) }
    }

    /// Draws the bar; loads or saves when asked.
    pub fn ui(&mut self, ui: &mut Ui, params: &QuintetParams, context: &GuiContext) {
        if self.current.is_none() && !self.guessed {
            // A new instance (or a project's state) shows the preset it is, if it is one.
            self.current = self.presets.iter().position(|(_, p)| p.matches(params));
            self.guessed = true;
        }
        ui.horizontal(|ui| {
            let count = self.presets.len();
            if ui
                .small_button("<")
                .on_hover_text("Previous preset")
                .clicked()
                && count > 0
            {
                let at = self.current.map_or(count - 1, |k| (k + count - 1) % count);
                self.load(at, params, context);
            }
            let changed = self.current_changed(params);
            let name = self.current_preset().map_or("(none)", |p| p.name.as_str());
            let title = if changed {
                format!("{name} *")
            } else {
                name.to_owned()
            };
            let mut chosen = None;
            ui.menu_button(title, |ui| {
                ui.label(RichText::new("Factory").weak());
                for (k, (source, preset)) in self.presets.iter().enumerate() {
                    if k > 0 && *source == Source::User && self.presets[k - 1].0 == Source::Factory
                    {
                        ui.separator();
                        ui.label(RichText::new("Yours").weak());
                    }
                    if ui
                        .selectable_label(self.current == Some(k), &preset.name)
                        .clicked()
                    {
                        chosen = Some(k);
                        ui.close();
                    }
                }
            })
            .response
            .on_hover_text(if changed {
                "Choose a preset (* = changed since it was loaded)"
            } else {
                "Choose a preset"
            });
            if let Some(k) = chosen {
                self.load(k, params, context);
            }
            if ui.small_button(">").on_hover_text("Next preset").clicked() && count > 0 {
                let at = self.current.map_or(0, |k| (k + 1) % count);
                self.load(at, params, context);
            }
            self.save_as_ui(ui, params);
            if let Some(problem) = &self.problem {
                let text = RichText::new(problem).color(Color32::from_rgb(255, 140, 120));
                super::header::message(ui, text).on_hover_text(problem.as_str());
            }
        });
    }

    /// "Save as": a name box and a button; saves the current values into the user folder.
    fn save_as_ui(&mut self, ui: &mut Ui, params: &QuintetParams) {
        match &mut self.saving {
            None => {
                if ui
                    .small_button("Save as…")
                    .on_hover_text("Save these settings as a preset of your own")
                    .clicked()
                {
                    let name = self.current_preset().map_or("My preset", |p| &p.name);
                    self.saving = Some(name.to_owned());
                    self.focus_name = true;
                }
            }
            Some(name) => {
                let field = ui.add(egui::TextEdit::singleline(name).desired_width(120.0));
                if self.focus_name {
                    // Typing goes straight into the box that just opened.
                    field.request_focus();
                    self.focus_name = false;
                }
                let entered = field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
                if ui.small_button("Save").clicked() || entered {
                    let preset = Preset::capture(name.trim(), params);
                    self.saving = None;
                    match store::save(&preset) {
                        Ok(_) => {
                            self.problem = None;
                            self.rescan();
                            self.current = self.index_of(&preset.name);
                        }
                        Err(error) => self.problem = Some(format!("not saved: {error}")),
                    }
                } else if ui.small_button("Cancel").clicked() {
                    self.saving = None;
                }
            }
        }
    }

    /// Loads preset `index`: every parameter set as one host gesture.
    fn load(&mut self, index: usize, params: &QuintetParams, context: &GuiContext) {
        let preset = &self.presets[index].1;
        for (ptr, normalized) in preset.normalized_values(params) {
            // SAFETY: every pointer comes from `params`' own list, which the host knows.
            unsafe {
                context.raw_begin_set_parameter(ptr);
                context.raw_set_parameter_normalized(ptr, normalized);
                context.raw_end_set_parameter(ptr);
            }
        }
        self.current = Some(index);
        self.problem = None;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use nice_plug::prelude::{Param, Params};

    /// A bar with the factory presets only (no user folder), "Init" current.
    fn factory_bar() -> PresetBar {
        PresetBar {
            presets: factory::presets()
                .into_iter()
                .map(|p| (Source::Factory, p))
                .collect(),
            current: Some(0),
            saving: None,
            problem: None,
            guessed: true,
            focus_name: false,
            current_values: None,
        }
    }

    fn set_normalized(params: &QuintetParams, id: &str, normalized: f32) {
        let (_, ptr, _) = params
            .param_map()
            .into_iter()
            .find(|(param_id, _, _)| param_id == id)
            .expect("the parameter exists");
        // SAFETY: `ptr` points into `params`, which only this test sees.
        unsafe { ptr._internal_set_normalized_value(normalized) };
    }

    #[test]
    fn the_changed_mark_follows_the_parameters_and_the_current_preset() {
        let params = QuintetParams::default();
        let mut bar = factory_bar();
        assert!(!bar.current_changed(&params), "Init is the defaults");
        set_normalized(&params, "freq1", 0.9);
        assert!(
            bar.current_changed(&params),
            "a moved partial marks Init changed"
        );
        let default = params.freq1.default_normalized_value();
        assert!(default != 0.9);
        set_normalized(&params, "freq1", default);
        assert!(!bar.current_changed(&params), "moved back, Init again");
        // Another preset is compared with its own values, not the cached ones of Init.
        // (The second, Notebook Drone, is the defaults too; the third is not.)
        bar.current = Some(2);
        assert!(
            bar.current_changed(&params),
            "the defaults are not the Harmonic Series"
        );
        bar.current = None;
        assert!(!bar.current_changed(&params), "no preset, nothing changed");
    }
}
