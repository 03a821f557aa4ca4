//! The preset bar: the preset's name (with `*` once a parameter moved away from it),
//! previous/next, a menu of factory and user presets, and "Save as" into the user folder.
//!
//! Loading a preset sets every parameter as a begin/set/end gesture, one per parameter, so the
//! DAW records the load as automation and can undo it.

use crate::params::QuintetParams;
use crate::presets::{Preset, factory, store};
use egui::{Color32, RichText, Ui};
use nice_plug::context::gui::GuiContext;

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
        };
        bar.rescan();
        bar
    }
}

impl PresetBar {
    /// Reads the user folder again (after a save); keeps the current preset by name.
    fn rescan(&mut self) {
        let current_name = self.current_preset().map(|p| p.name.clone());
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
            let name = self.current_preset().map_or("(none)", |p| p.name.as_str());
            let changed = self.current_preset().is_some_and(|p| !p.matches(params));
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
                ui.label(RichText::new(problem).color(Color32::from_rgb(255, 140, 120)))
                    .on_hover_text(problem.as_str());
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
