//! The preset bar: the preset's name (with `*` once a parameter moved away from it),
//! previous/next, a menu of factory and user presets, and "Save as" into the user folder, which
//! asks before it replaces a preset of yours. The folder is read again whenever the list opens
//! or `<` `>` step, so a file put there while Quintet runs shows up. The name takes a slot of
//! fixed width, so `<` and `>` stay where they are whatever its length; a long name is elided
//! (in full in its tooltip). Each preset in the list, and the bar, say whether it drones or
//! waits for keys ([`Mode`]): a keyed preset is silent until a note comes.
//!
//! Loading a preset sets every parameter as a begin/set/end gesture, one per parameter, so the
//! DAW records the load as automation and can undo it.

use crate::params::{Param, QuintetParams};
use crate::presets::store::{Existing, StoreError};
use crate::presets::{self, Preset, factory, store};
use crate::standalone::{self, session::ShownPreset};
use crate::user_text::escape;
use egui::containers::menu::MenuButton;
use egui::{Button, Color32, Label, RichText, Ui, Vec2};
use nice_plug::context::gui::GuiContext;
use std::path::PathBuf;

/// Widest the preset's name is drawn, in points; longer names are elided. With the title,
/// `<`, `>`, "Save as…" and the zoom buttons it fits the editor's narrowest window (640
/// points).
const NAME_WIDTH_PT: f32 = 150.0;
/// Widest the preset's name is drawn while "Save as" is open (its box and buttons need the
/// room), in points.
const NAME_WIDTH_SAVING_PT: f32 = 60.0;
/// Width of the "Save as" name box, in points.
const NAME_BOX_WIDTH_PT: f32 = 100.0;
/// Room the header keeps after the bar for its zoom controls, in points: a problem (a refused
/// file, a failed save) or the question before replacing is elided to what is left (in full in
/// its tooltip).
const ZOOM_ROOM_PT: f32 = 140.0;
/// Widest a name in the list is drawn, in points.
const LIST_WIDTH_PT: f32 = 300.0;
/// Width of the drone/keys marker before a name, in the bar and the list, in points.
const MODE_WIDTH_PT: f32 = 38.0;

/// What a preset does once loaded, as the bar and the list say it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Mode {
    /// MIDI mode off: the partials sound at once.
    Drone,
    /// MIDI mode on: silent until a note comes.
    Keys,
}

impl Mode {
    fn of(preset: &Preset) -> Self {
        if preset.waits_for_keys() {
            Mode::Keys
        } else {
            Mode::Drone
        }
    }

    /// The marker's text.
    fn text(self) -> &'static str {
        match self {
            Mode::Drone => "drone",
            Mode::Keys => "keys",
        }
    }

    fn color(self) -> Color32 {
        match self {
            Mode::Drone => Color32::from_rgb(120, 190, 255),
            Mode::Keys => Color32::from_rgb(150, 220, 130),
        }
    }

    fn tooltip(self) -> &'static str {
        match self {
            Mode::Drone => "Drone: sounds as soon as it is loaded (MIDI mode off)",
            Mode::Keys => {
                "Keys: silent until a note comes, from MIDI or the keyboard (MIDI mode on)"
            }
        }
    }

    /// Draws the marker in its fixed-width slot (an empty slot for `None`).
    fn ui(mode: Option<Self>, ui: &mut Ui) {
        let size = Vec2::new(MODE_WIDTH_PT, ui.spacing().interact_size.y);
        match mode {
            Some(mode) => {
                let text = RichText::new(mode.text()).small().color(mode.color());
                ui.add_sized(size, Label::new(text))
                    .on_hover_text(mode.tooltip());
            }
            None => {
                ui.allocate_exact_size(size, egui::Sense::hover());
            }
        }
    }
}

/// Where a preset in the list came from.
#[derive(Clone, Debug, PartialEq)]
enum Source {
    Factory,
    User,
}

/// "Save as" while it is open.
#[derive(Clone, Debug, PartialEq)]
struct SaveAs {
    /// The name being typed.
    name: String,
    /// Whether a preset of yours has that name and the bar asks whether to replace it.
    asking: bool,
}

/// The presets the bar offers and which one is loaded.
pub struct PresetBar {
    /// The user preset folder (`None` if there is none).
    dir: Option<PathBuf>,
    presets: Vec<(Source, Preset)>,
    /// Index in `presets` of the preset loaded last.
    current: Option<usize>,
    saving: Option<SaveAs>,
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
        Self::in_dir(store::user_dir())
    }
}

impl PresetBar {
    /// A bar offering the factory presets and those in `dir`.
    fn in_dir(dir: Option<PathBuf>) -> Self {
        let mut bar = Self {
            dir,
            presets: Vec::new(),
            current: None,
            saving: None,
            problem: None,
            guessed: false,
            focus_name: false,
        };
        bar.rescan();
        // The standalone reopens showing the preset it showed when it closed.
        if let Some(shown) = standalone::shown_preset() {
            let source = if shown.user {
                Source::User
            } else {
                Source::Factory
            };
            bar.current = bar.index_of(&source, &shown.name);
        }
        bar
    }

    /// Shows preset `index` (none: no preset) as the current one, and tells the standalone.
    fn show(&mut self, index: Option<usize>) {
        self.current = index;
        standalone::note_shown_preset(self.current_preset_source().map(|(source, preset)| {
            ShownPreset {
                name: preset.name.clone(),
                user: *source == Source::User,
            }
        }));
    }

    fn current_preset_source(&self) -> Option<&(Source, Preset)> {
        self.current.map(|k| &self.presets[k])
    }

    /// Reads the user folder again; keeps the current preset (by where it came from and name).
    fn rescan(&mut self) {
        let current = self.current.map(|k| self.presets[k].clone());
        let (user, refused) = self
            .dir
            .as_deref()
            .map_or_else(|| (Vec::new(), Vec::new()), store::list_in);
        self.presets = factory::presets()
            .into_iter()
            .map(|p| (Source::Factory, p))
            .chain(user.into_iter().map(|(_, p)| (Source::User, p)))
            .collect();
        self.show(current.and_then(|(source, preset)| self.index_of(&source, &preset.name)));
        if let Some(first) = refused.first() {
            self.problem = Some(format!(
                "{} preset file(s) refused, e.g. {first}",
                refused.len()
            ));
        }
    }

    fn index_of(&self, source: &Source, name: &str) -> Option<usize> {
        self.presets
            .iter()
            .position(|(s, p)| s == source && p.name == name)
    }

    fn current_preset(&self) -> Option<&Preset> {
        self.current.map(|k| &self.presets[k].1)
    }

    /// Whether the parameters differ from the current preset (none: they do not). Asked every
    /// frame; the preset's values come from the registry, without touching the parameters or
    /// allocating (24 normalizations), so nothing is kept between frames that could go stale.
    fn current_changed(&self, params: &QuintetParams) -> bool {
        self.current_preset()
            .is_some_and(|preset| !preset.matches(params))
    }

    /// Draws the bar; loads or saves when asked.
    pub fn ui(&mut self, ui: &mut Ui, params: &QuintetParams, context: &GuiContext) {
        if let Some(index) = self.bar_ui(ui, params) {
            self.load(index, params, context);
        }
    }

    /// Draws the bar and saves when asked; the preset to load, if one was chosen.
    fn bar_ui(&mut self, ui: &mut Ui, params: &QuintetParams) -> Option<usize> {
        if self.current.is_none() && !self.guessed {
            // A new instance (or a project's state) shows the preset it is, if it is one.
            let matching = self.presets.iter().position(|(_, p)| p.matches(params));
            self.show(matching);
            self.guessed = true;
        }
        let mut chosen = None;
        ui.horizontal(|ui| {
            if ui
                .small_button("<")
                .on_hover_text("Previous preset")
                .clicked()
            {
                chosen = self.step(-1);
            }
            let changed = self.current_changed(params);
            // What the loaded sound does now (the preset's mode, unless MIDI mode was switched).
            let mode = self.current_preset().map(|_| {
                if params.switch(Param::MIDI).value() {
                    Mode::Keys
                } else {
                    Mode::Drone
                }
            });
            Mode::ui(mode, ui);
            let name = self.current_preset().map_or("(none)", |p| p.name.as_str());
            let title = if changed {
                format!("{name} *")
            } else {
                name.to_owned()
            };
            let name_width = if self.saving.is_some() {
                NAME_WIDTH_SAVING_PT
            } else {
                NAME_WIDTH_PT
            };
            // As wide as the slot whatever the name, so `>` stays put.
            let button = Button::new(title.as_str())
                .truncate()
                .min_size(Vec2::new(name_width, 0.0));
            let (response, picked) = at_most(ui, name_width, |ui| {
                MenuButton::from_button(button).ui(ui, |ui| self.list_ui(ui))
            });
            if response.clicked() {
                // The list opens: show what the folder holds now.
                self.rescan();
            }
            response.on_hover_text(if changed {
                format!("{title}\nChoose a preset (* = changed since it was loaded)")
            } else {
                format!("{title}\nChoose a preset")
            });
            chosen = chosen.or(picked.and_then(|picked| picked.inner));
            if ui.small_button(">").on_hover_text("Next preset").clicked() {
                chosen = self.step(1);
            }
            self.save_as_ui(ui, params);
            // While the bar asks before replacing, the question has the room.
            let asking = self.saving.as_ref().is_some_and(|saving| saving.asking);
            if let Some(problem) = self.problem.as_ref().filter(|_| !asking) {
                at_most(ui, room_left(ui), |ui| {
                    let text = RichText::new(problem).color(Color32::from_rgb(255, 140, 120));
                    ui.add(Label::new(text).truncate())
                })
                .on_hover_text(problem.as_str());
            }
        });
        chosen
    }

    /// The list of presets, factory ones first; the one chosen.
    fn list_ui(&self, ui: &mut Ui) -> Option<usize> {
        let mut chosen = None;
        ui.label(RichText::new("Factory").weak());
        for (k, (source, preset)) in self.presets.iter().enumerate() {
            if k > 0 && *source == Source::User && self.presets[k - 1].0 == Source::Factory {
                ui.separator();
                ui.label(RichText::new("Yours").weak());
            }
            let item = egui::Button::selectable(self.current == Some(k), preset.name.as_str());
            let response = ui
                .horizontal(|ui| {
                    Mode::ui(Some(Mode::of(preset)), ui);
                    at_most(ui, LIST_WIDTH_PT, |ui| ui.add(item.truncate()))
                })
                .inner;
            if response.on_hover_text(preset.name.as_str()).clicked() {
                chosen = Some(k);
                ui.close();
            }
        }
        chosen
    }

    /// The preset `by` places after the current one (before it, for -1), in the folder as it is
    /// now; the last (first) one if none is current.
    fn step(&mut self, by: isize) -> Option<usize> {
        self.rescan();
        let count = self.presets.len() as isize;
        if count == 0 {
            return None;
        }
        let from = self
            .current
            .map_or(if by > 0 { -1 } else { count }, |k| k as isize);
        Some((from + by).rem_euclid(count) as usize)
    }

    /// "Save as": a name box and a button; saves the current values into the user folder, and
    /// asks before it replaces a preset of yours.
    fn save_as_ui(&mut self, ui: &mut Ui, params: &QuintetParams) {
        let Some(saving) = &mut self.saving else {
            if ui
                .small_button("Save as…")
                .on_hover_text("Save these settings as a preset of your own")
                .clicked()
            {
                // A factory preset's name is not yours to take.
                let name = match self.current.map(|k| &self.presets[k]) {
                    Some((Source::User, preset)) => preset.name.clone(),
                    _ => String::from("My preset"),
                };
                self.saving = Some(SaveAs {
                    name,
                    asking: false,
                });
                self.focus_name = true;
            }
            return;
        };
        if saving.asking {
            // The buttons first, so they keep their room; the question takes what is left.
            let replace = (ui.small_button("Replace"))
                .on_hover_text("Overwrite your preset of this name with these settings")
                .clicked();
            let cancel = (ui.small_button("Cancel"))
                .on_hover_text("Keep your preset and go back to the name")
                .clicked();
            at_most(ui, room_left(ui), |ui| {
                ui.add(Label::new(format!("Replace \"{}\"?", escape(&saving.name))).truncate())
            })
            .on_hover_text("You have a preset of this name: replace it with these settings?");
            if replace {
                self.save(params, Existing::Replace);
            } else if cancel {
                saving.asking = false;
            }
            return;
        }
        let field = ui
            .add(egui::TextEdit::singleline(&mut saving.name).desired_width(NAME_BOX_WIDTH_PT))
            .on_hover_text("The new preset's name: Enter saves it in your presets folder");
        if self.focus_name {
            // Typing goes straight into the box that just opened.
            field.request_focus();
            self.focus_name = false;
        }
        let entered = field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
        let save = ui
            .small_button("Save")
            .on_hover_text("Save these settings under this name");
        if save.clicked() || entered {
            self.save(params, Existing::Refuse);
        } else if (ui.small_button("Cancel"))
            .on_hover_text("Close without saving")
            .clicked()
        {
            self.saving = None;
        }
    }

    /// Saves the current values under the name typed: closes "Save as" when saved, asks when a
    /// preset of yours has the name, says why when the name is refused.
    fn save(&mut self, params: &QuintetParams, existing: Existing) {
        let Some(saving) = &mut self.saving else {
            return;
        };
        let preset = Preset::capture(saving.name.trim(), params);
        let saved = self
            .dir
            .as_deref()
            .ok_or(StoreError::NoFolder)
            .and_then(|dir| store::save_in(dir, &preset, existing));
        match saved {
            Ok(_) => {
                self.saving = None;
                self.problem = None;
                self.rescan();
                self.show(self.index_of(&Source::User, &preset.name));
            }
            Err(StoreError::Taken { .. }) => {
                saving.asking = true;
                self.problem = None;
            }
            Err(error) => {
                saving.asking = false;
                self.problem = Some(format!("not saved: {error}"));
            }
        }
    }

    /// Loads preset `index` as a host's preset-load does ([`presets::apply`]).
    fn load(&mut self, index: usize, params: &QuintetParams, context: &GuiContext) {
        presets::apply(&self.presets[index].1, params, context);
        self.show(Some(index));
        self.problem = None;
    }
}

/// What the row has left after the bar, less the header's zoom controls, in points.
fn room_left(ui: &Ui) -> f32 {
    (ui.available_width() - ZOOM_ROOM_PT).max(0.0)
}

/// Draws `add` in at most `width_pt` points of the row (a truncating widget elides to fit).
fn at_most<R>(ui: &mut Ui, width_pt: f32, add: impl FnOnce(&mut Ui) -> R) -> R {
    let height = ui.spacing().interact_size.y;
    ui.allocate_ui(Vec2::new(width_pt, height), add).inner
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::params::Param;
    use crate::params::inputs::{EVERY_PARAM, ParameterInputs};
    use crate::params::loads::LoadWatch;
    use crate::presets::{PresetValue, file};
    use egui::{Context, Pos2, RawInput, Rect};
    use nice_plug::prelude::{
        GuiContextInner, Param as _, ParamPtr, Params, PluginApi, PluginState,
    };
    use std::path::Path;
    use std::sync::{Arc, Mutex};

    /// A host that stores each value the editor sets, as a CLAP host's plugin does at its next
    /// block, and records whether the load's marks were there before the first value.
    #[derive(Default)]
    struct Host {
        /// The parameters' marks announced when the first value arrived, if one did.
        announced_at_first_set: Mutex<Option<u32>>,
        params: Arc<QuintetParams>,
    }

    impl GuiContextInner for Host {
        fn plugin_api(&self) -> PluginApi {
            PluginApi::Clap
        }

        unsafe fn raw_begin_set_parameter(&self, _param: ParamPtr) {}

        unsafe fn raw_set_parameter_normalized(&self, param: ParamPtr, normalized: f32) {
            let mut first = self.announced_at_first_set.lock().unwrap();
            first.get_or_insert(self.params.loads.announced());
            // SAFETY: `param` points into `self.params`, which this host holds.
            unsafe { param._internal_set_normalized_value(normalized) };
        }

        unsafe fn raw_end_set_parameter(&self, _param: ParamPtr) {}

        fn get_state(&self) -> PluginState {
            unreachable!("the preset bar never reads the plugin's state")
        }

        fn set_state(&self, _state: PluginState) {
            unreachable!("the preset bar sets parameters, not states")
        }

        fn request_restart(&self) {
            unreachable!("the preset bar never restarts the plugin")
        }
    }

    /// Issue 22, item 4: the audio thread takes a preset the bar loads as a load (so it
    /// switches at once instead of gliding), and the values the bar sets are the preset's.
    #[test]
    fn a_preset_the_bar_loads_is_taken_as_a_load() {
        let host = Arc::new(Host::default());
        let params = Arc::clone(&host.params);
        let context = GuiContext::new(host.clone());
        let mut bar = factory_bar();
        let (mut watch, mut now) = (LoadWatch::default(), ParameterInputs::read(&params));
        let announced_before = params.loads.announced();
        let odd = bar.index_of(&Source::Factory, "Odd Harmonics").unwrap();
        bar.load(odd, &params, &context);
        assert_ne!(
            *host.announced_at_first_set.lock().unwrap(),
            Some(announced_before),
            "the load was recorded before its first value was set"
        );
        let announced = params.loads.announced();
        let changed = now.refresh(&params, EVERY_PARAM).params;
        assert_ne!(changed, 0);
        assert_eq!(
            watch.loaded(&params.loads, announced, &now, changed),
            changed,
            "every value the preset changed is the load's"
        );
        assert!(bar.presets[odd].1.matches(&params));
        assert!(!bar.current_changed(&params));
    }

    /// A fresh, empty preset folder for this test.
    fn temp_dir(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("quintet-bar-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    /// Writes a preset of yours called `name` (partial 1 at `hz`) straight into `dir`, as
    /// another program (or another Quintet) would.
    fn put(dir: &Path, file_name: &str, name: &str, hz: f32) {
        let preset = Preset::new(name, &[("freq1", PresetValue::Number(hz))]);
        std::fs::write(dir.join(file_name), file::write(&preset)).unwrap();
    }

    fn names(bar: &PresetBar) -> Vec<&str> {
        bar.presets.iter().map(|(_, p)| p.name.as_str()).collect()
    }

    /// Types `name` into "Save as" and presses Save.
    fn save_as(bar: &mut PresetBar, name: &str, params: &QuintetParams) {
        bar.saving = Some(SaveAs {
            name: name.to_owned(),
            asking: false,
        });
        bar.save(params, Existing::Refuse);
    }

    /// A bar with the factory presets only (no user folder), "Init" current.
    fn factory_bar() -> PresetBar {
        PresetBar {
            dir: None,
            presets: factory::presets()
                .into_iter()
                .map(|p| (Source::Factory, p))
                .collect(),
            current: Some(0),
            saving: None,
            problem: None,
            guessed: true,
            focus_name: false,
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
        let default = params
            .float(Param::FREQUENCIES[0])
            .default_normalized_value();
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

    /// Issue 22, item 5: the changed mark reads the parameters it is asked about and the preset
    /// at the current place as it is now (it once kept pointers into the parameters of its first
    /// call, and values keyed only by the preset's place in the list).
    #[test]
    fn the_changed_mark_reads_the_parameters_and_the_preset_it_is_given() {
        let mut bar = factory_bar();
        let (unchanged, moved) = (QuintetParams::default(), QuintetParams::default());
        set_normalized(&moved, "freq1", 0.9);
        assert!(!bar.current_changed(&unchanged));
        assert!(
            bar.current_changed(&moved),
            "other parameters, another answer"
        );
        drop(unchanged);
        assert!(bar.current_changed(&moved));
        // The folder read again puts another preset at the current place.
        let current = bar.current.unwrap();
        bar.presets[current].1 = Preset::capture("Moved", &moved);
        assert!(
            !bar.current_changed(&moved),
            "compared with the preset now there"
        );
    }

    /// Issue 21, item 12: a preset put in the folder while the bar is open appears when `<` or
    /// `>` steps (and when the list opens, which rescans the same way).
    #[test]
    fn stepping_finds_a_preset_added_while_the_editor_is_open() {
        let dir = temp_dir("rescan");
        let mut bar = PresetBar::in_dir(Some(dir.clone()));
        let factory_count = factory::presets().len();
        assert_eq!(bar.presets.len(), factory_count);
        bar.current = Some(factory_count - 1);
        put(&dir, "late.json", "Arrived Late", 300.0);
        let next = bar.step(1).expect("a preset to step to");
        assert_eq!(bar.presets[next].1.name, "Arrived Late");
        assert_eq!(bar.presets[next].0, Source::User);
        // Stepping on wraps to "Init"; back from "Init" is the new one again.
        bar.current = Some(next);
        assert_eq!(bar.step(1), Some(0));
        bar.current = Some(0);
        assert_eq!(bar.step(-1), Some(next));
        std::fs::remove_dir_all(&dir).unwrap();
    }

    /// Issue 21, item 11: "Save as" onto a name of yours asks, and replaces only when told;
    /// factory and empty names are refused with the reason, and nothing is written for them.
    #[test]
    fn save_as_asks_before_replacing_and_refuses_factory_and_empty_names() {
        let dir = temp_dir("save-as");
        let params = QuintetParams::default();
        let mut bar = PresetBar::in_dir(Some(dir.clone()));
        save_as(&mut bar, "  Mine  ", &params);
        assert_eq!(bar.saving, None, "saved and closed");
        let mine = bar.current.expect("the saved preset is current");
        assert_eq!(
            bar.presets[mine],
            (Source::User, Preset::capture("Mine", &params))
        );
        let file = dir.join("Mine.json");
        let first = std::fs::read(&file).unwrap();

        set_normalized(&params, "freq1", 0.9);
        save_as(&mut bar, "Mine", &params);
        let asking = SaveAs {
            name: String::from("Mine"),
            asking: true,
        };
        assert_eq!(bar.saving, Some(asking), "the bar asks");
        assert_eq!(std::fs::read(&file).unwrap(), first, "nothing replaced yet");
        bar.save(&params, Existing::Replace);
        assert_eq!(bar.saving, None);
        assert_ne!(std::fs::read(&file).unwrap(), first, "replaced once asked");
        assert_eq!(names(&bar).iter().filter(|n| **n == "Mine").count(), 1);

        for (name, says) in [("Church Bell", "factory"), ("   ", "needs a name")] {
            save_as(&mut bar, name, &params);
            let problem = bar.problem.clone().unwrap_or_default();
            assert!(problem.contains(says), "{name:?}: {problem}");
            assert!(
                bar.saving.is_some(),
                "{name:?}: the box stays open to fix the name"
            );
        }
        assert_eq!(
            std::fs::read_dir(&dir).unwrap().count(),
            1,
            "one file: Mine"
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }

    /// Where each text the bar draws starts, left to right: (text, x in points), from what
    /// egui was asked to paint for a 640-point-wide editor, with `current` (a name and whether it
    /// waits for keys) loaded.
    fn texts_drawn(current: Option<(&str, bool)>) -> Vec<(String, f32)> {
        fn collect(shape: &egui::Shape, found: &mut Vec<(String, f32)>) {
            match shape {
                egui::Shape::Text(text) => {
                    found.push((text.galley.text().to_owned(), text.pos.x));
                }
                egui::Shape::Vec(shapes) => shapes.iter().for_each(|s| collect(s, found)),
                _ => {}
            }
        }
        let params = QuintetParams::default();
        let mut bar = factory_bar();
        bar.current = current.map(|(name, keys)| {
            let midi = ("midi", PresetValue::Switch(keys));
            bar.presets.push((Source::User, Preset::new(name, &[midi])));
            bar.presets.len() - 1
        });
        if let Some((_, keys)) = current {
            set_normalized(&params, "midi", f32::from(u8::from(keys)));
        }
        let ctx = Context::default();
        let mut found = Vec::new();
        for _ in 0..2 {
            let input = RawInput {
                screen_rect: Some(Rect::from_min_size(Pos2::ZERO, Vec2::new(640.0, 700.0))),
                ..RawInput::default()
            };
            let mut output = ctx.run_ui(input, |ui| {
                ui.horizontal(|ui| bar.bar_ui(ui, &params));
            });
            output.textures_delta.clear();
            found.clear();
            for clipped in &output.shapes {
                collect(&clipped.shape, &mut found);
            }
        }
        found.sort_by(|a, b| a.1.total_cmp(&b.1));
        found
    }

    /// Issue 23: `<` and `>` stay where they are whatever the name's length (the name's button
    /// was as wide as the name, so `>` moved with every preset), and the bar says whether the
    /// preset drones or waits for keys.
    #[test]
    fn previous_and_next_stay_put_and_the_bar_says_drone_or_keys() {
        let x_of = |texts: &[(String, f32)], what: &str| {
            let found = texts.iter().find(|(text, _)| text == what);
            found
                .unwrap_or_else(|| panic!("{what} not drawn: {texts:?}"))
                .1
        };
        let long = "Long name ".repeat(30);
        let cases = [
            None,
            Some(("Pad", false)),
            Some(("A Rather Longer Preset Name", true)),
            Some((long.as_str(), false)),
            Some(("W", true)),
        ];
        let first = texts_drawn(None);
        let (previous, next) = (x_of(&first, "<"), x_of(&first, ">"));
        for current in cases {
            let texts = texts_drawn(current);
            assert_eq!(x_of(&texts, "<"), previous, "{current:?}: {texts:?}");
            assert_eq!(x_of(&texts, ">"), next, "{current:?}: {texts:?}");
            let marker = texts
                .iter()
                .find(|(text, _)| text == "drone" || text == "keys");
            let expected = current.map(|(_, keys)| if keys { "keys" } else { "drone" });
            assert_eq!(marker.map(|(text, _)| text.as_str()), expected, "{texts:?}");
        }
    }

    /// Issue 23: the list marks each preset drone or keys, as its MIDI mode says; the factory
    /// presets have both.
    #[test]
    fn the_list_says_which_presets_drone_and_which_wait_for_keys() {
        let presets = factory::presets();
        for preset in &presets {
            let expected = if preset.settings().midi {
                Mode::Keys
            } else {
                Mode::Drone
            };
            assert_eq!(Mode::of(preset), expected, "{}", preset.name);
        }
        let keys = presets.iter().filter(|p| Mode::of(p) == Mode::Keys).count();
        assert!(
            keys > 0 && keys < presets.len(),
            "{keys} of {}",
            presets.len()
        );
    }

    /// Issue 21, item 12: a 300-character name is elided: the bar takes the same room as with
    /// a short name, leaving the zoom buttons theirs at the editor's narrowest (640 points).
    #[test]
    fn a_long_name_leaves_the_buttons_on_the_editor() {
        let params = QuintetParams::default();
        let width_with = |name: &str, saving: Option<SaveAs>| {
            let mut bar = factory_bar();
            bar.presets.push((Source::User, Preset::new(name, &[])));
            bar.current = Some(bar.presets.len() - 1);
            bar.problem = saving.as_ref().map(|_| "not saved: ".repeat(20));
            bar.saving = saving;
            let ctx = Context::default();
            let mut width = 0.0;
            for _ in 0..2 {
                let input = RawInput {
                    screen_rect: Some(Rect::from_min_size(Pos2::ZERO, Vec2::new(640.0, 700.0))),
                    ..RawInput::default()
                };
                let mut output = ctx.run_ui(input, |ui| {
                    width = ui
                        .horizontal(|ui| bar.bar_ui(ui, &params))
                        .response
                        .rect
                        .width();
                });
                output.textures_delta.clear();
            }
            width
        };
        let long_name = "Long name ".repeat(30);
        let short = width_with("Pad", None);
        let long = width_with(&long_name, None);
        // The title (about 80 points) and the zoom buttons (about 130) need the rest.
        assert!(
            long <= 400.0,
            "the bar takes {long} points with a long name"
        );
        assert!(long <= short + NAME_WIDTH_PT, "{short} → {long}");
        // "Save as" open on the long name, with a long problem, and asking to replace it.
        for asking in [false, true] {
            let saving = SaveAs {
                name: long_name.clone(),
                asking,
            };
            let width = width_with(&long_name, Some(saving));
            assert!(
                width <= 640.0 - ZOOM_ROOM_PT,
                "saving, asking {asking}: {width} points"
            );
        }
    }
}
