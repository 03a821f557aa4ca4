//! The Tuning section (issue 25): which tuning MIDI mode plays in, and what sounds under it.
//!
//! - Choose a scale from the scales folder ([`scales_dir`], beside the presets folder) or type
//!   a path (and optionally a keyboard map's) and press Load; "12-TET" goes back to the
//!   default. The scale's name and description show; a refused file shows its line and
//!   reason, and the tuning playing stays. Files are read here, on the GUI thread (capped,
//!   FIFOs refused without blocking: [`files::load`]); the audio thread only receives the key
//!   table ([`crate::tuning::TuningShare`]).
//! - The sounding notes under the scale: each one's key, scale degree and frequency.
//! - Partials on scale and the five degrees they sit on.

use super::{HINT_SIZE_PT, labelled_slider_ui, toggle_ui};
use crate::engine::pitch::note_name;
use crate::params::{Param, QuintetParams};
use crate::presets::store;
use crate::tap::Playing;
use crate::tuning::{KeyTable, files};
use egui::{Color32, RichText};
use nice_plug::prelude::ParamSetter;
use std::path::{Path, PathBuf};

/// The scales folder's name, beside the presets folder.
pub const SCALES_DIR_NAME: &str = "scales";
/// The extension of Scala scale files.
const SCALE_EXTENSION: &str = "scl";
/// Most scale files the menu lists (a folder of thousands stays usable: type the path).
const MAX_LISTED: usize = 500;
/// Colour of a refusal: a soft red, readable on the dark panel.
const ERROR_COLOR: Color32 = Color32::from_rgb(255, 120, 110);

/// The scales folder: `scales` beside the presets folder (`$XDG_DATA_HOME/quintet/scales` by
/// default), so whatever moves the presets folder moves it too.
pub fn scales_dir() -> Option<PathBuf> {
    Some(store::user_dir()?.with_file_name(SCALES_DIR_NAME))
}

/// The `.scl` files in `dir`, by name (none if it cannot be read).
pub fn scales_in(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut scales: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|path| {
            path.extension()
                .is_some_and(|ext| ext.eq_ignore_ascii_case(SCALE_EXTENSION))
        })
        .take(MAX_LISTED)
        .collect();
    scales.sort();
    scales
}

/// One line per sounding note under `table`: its key's name, its scale degree and the
/// frequency partial 1 plays now (bend and expression included), lowest key first.
pub fn sounding_lines(playing: &Playing, table: &KeyTable) -> Vec<String> {
    let mut voices: Vec<(u8, f32)> = playing
        .sounding()
        .iter()
        .filter_map(|voice| Some((voice.key?, voice.frequencies_hz[0])))
        .collect();
    voices.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.total_cmp(&b.1)));
    voices
        .into_iter()
        .map(|(key, hz)| {
            let degree = table.degree(key).map_or_else(
                || String::from("silent"),
                |degree| {
                    let len = table.degrees_per_period() as i64;
                    format!(
                        "degree {} (period {:+})",
                        degree.rem_euclid(len),
                        degree.div_euclid(len)
                    )
                },
            );
            format!("{} · {degree} · {hz:.2} Hz", note_name(key))
        })
        .collect()
}

/// The section's own state: what was typed, and the last refusal.
#[derive(Debug, Default)]
pub struct TuningControl {
    /// The scale file's path, as typed or chosen.
    pub scale_path: String,
    /// The keyboard map's path (empty: none).
    pub map_path: String,
    /// Why the last load was refused (file, line, reason); cleared by the next load.
    pub error: Option<String>,
    /// The scales folder's files while the menu is open.
    listed: Option<Vec<PathBuf>>,
}

impl TuningControl {
    /// Loads the typed scale (and map) into `params`; a refusal keeps the tuning playing and
    /// is shown.
    pub fn load(&mut self, params: &QuintetParams) {
        let map_path = self.map_path.trim();
        let map = (!map_path.is_empty()).then(|| PathBuf::from(map_path));
        match files::load(Path::new(self.scale_path.trim()), map.as_deref()) {
            Ok(tuning) => {
                params.tuning.set(tuning);
                self.error = None;
            }
            Err(error) => self.error = Some(error.to_string()),
        }
    }

    /// Draws the section (see the module documentation); `playing` is what the engine last
    /// reported, `slider_width` the controls' slider width.
    pub fn ui(
        &mut self,
        ui: &mut egui::Ui,
        params: &QuintetParams,
        setter: &ParamSetter,
        playing: &Playing,
        slider_width: f32,
    ) {
        let tuning = params.tuning.get();
        ui.add_space(6.0);
        // Folded by default: the controls column shows what it showed before tunings.
        let header = egui::CollapsingHeader::new(RichText::new("Tuning").strong())
            .id_salt("quintet-tuning")
            .show(ui, |ui| {
                self.body_ui(ui, params, setter, playing, slider_width);
            });
        header.header_response.on_hover_text(format!(
            "The tuning MIDI mode plays in (now {}): 12-TET, or a Scala scale (.scl) with an \
             optional keyboard map (.kbm), saved with the project and in presets; partials on \
             its degrees",
            tuning.name()
        ));
    }

    fn body_ui(
        &mut self,
        ui: &mut egui::Ui,
        params: &QuintetParams,
        setter: &ParamSetter,
        playing: &Playing,
        slider_width: f32,
    ) {
        let tuning = params.tuning.get();
        ui.label(RichText::new(tuning.name()).color(ui.visuals().strong_text_color()));
        ui.label(
            RichText::new(tuning.description())
                .size(HINT_SIZE_PT)
                .color(ui.visuals().text_color()),
        );
        self.choose_ui(ui, params);
        ui.horizontal(|ui| {
            ui.label("Scale");
            ui.text_edit_singleline(&mut self.scale_path)
                .on_hover_text("A .scl file's path");
        });
        ui.horizontal(|ui| {
            ui.label("Map");
            ui.text_edit_singleline(&mut self.map_path)
                .on_hover_text("A .kbm keyboard map's path (optional)");
        });
        ui.horizontal(|ui| {
            if ui
                .button("Load")
                .on_hover_text("Load the scale (and map) typed above")
                .clicked()
            {
                self.load(params);
            }
            if ui
                .button("12-TET")
                .on_hover_text("Back to 12-tone equal temperament, A4 = 440 Hz")
                .clicked()
            {
                params.tuning.set(Default::default());
                self.error = None;
            }
        });
        if let Some(error) = &self.error {
            ui.label(RichText::new(error).size(HINT_SIZE_PT).color(ERROR_COLOR));
        }
        for line in sounding_lines(playing, tuning.table()) {
            ui.label(RichText::new(line).size(HINT_SIZE_PT));
        }
        let on_scale = params.switch(Param::PARTIALS_ON_SCALE);
        let hint = super::tooltips::for_param(Param::PARTIALS_ON_SCALE, None);
        toggle_ui(ui, setter, on_scale, "Partials on scale", &hint);
        for (k, param) in Param::PARTIAL_DEGREES.into_iter().enumerate() {
            let hint = super::tooltips::for_param(param, None);
            let label = format!("Degree {}", k + 1);
            labelled_slider_ui(ui, setter, params.int(param), &label, &hint, slider_width);
        }
    }

    /// The menu of the scales folder's files: choosing one loads it.
    fn choose_ui(&mut self, ui: &mut egui::Ui, params: &QuintetParams) {
        let dir = scales_dir();
        let shown = egui::ComboBox::from_id_salt("quintet-scales")
            .selected_text("Scales folder…")
            .show_ui(ui, |ui| {
                let listed = self
                    .listed
                    .get_or_insert_with(|| dir.as_deref().map(scales_in).unwrap_or_default());
                if listed.is_empty() {
                    let place = dir.as_deref().map_or_else(
                        || String::from("no folder: set XDG_DATA_HOME or HOME"),
                        crate::user_text::escape_path,
                    );
                    ui.label(format!("no .scl files in {place}"));
                }
                let mut chosen = None;
                for path in listed.iter() {
                    let name = path.file_stem().map(|s| s.to_string_lossy().into_owned());
                    if ui
                        .selectable_label(false, name.unwrap_or_default())
                        .clicked()
                    {
                        chosen = Some(path.clone());
                    }
                }
                chosen
            });
        match shown.inner {
            // Open: chosen or not.
            Some(Some(path)) => {
                self.scale_path = path.display().to_string();
                self.map_path.clear();
                self.load(params);
            }
            Some(None) => {}
            // Closed: list afresh when it opens again.
            None => self.listed = None,
        }
        shown.response.on_hover_text(match &dir {
            Some(dir) => format!("Scales in {}", crate::user_text::escape_path(dir)),
            None => String::from("No scales folder: set XDG_DATA_HOME or HOME"),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::{Engine, NoteInput, NoteRef, Settings};
    use crate::tuning::Tuning;

    fn temp_dir(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!(
            "quintet-tuning-control-{}-{name}",
            std::process::id()
        ));
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    #[test]
    fn the_folder_lists_its_scale_files_by_name() {
        let dir = temp_dir("list");
        for name in ["b.scl", "a.SCL", "notes.txt"] {
            std::fs::write(dir.join(name), b"x\n1\n2/1\n").unwrap();
        }
        let names: Vec<_> = scales_in(&dir)
            .iter()
            .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names, ["a.SCL", "b.scl"]);
        std::fs::remove_dir_all(&dir).unwrap();
        assert!(scales_in(&dir).is_empty());
    }

    #[test]
    fn a_refused_file_shows_its_line_and_changes_nothing() {
        let dir = temp_dir("load");
        let params = QuintetParams::default();
        let good = dir.join("good.scl");
        std::fs::write(&good, b"Good\n2\n3/2\n2/1\n").unwrap();
        let bad = dir.join("bad.scl");
        std::fs::write(&bad, b"Bad\n2\n3/2\nfour\n").unwrap();
        let mut control = TuningControl {
            scale_path: good.display().to_string(),
            ..TuningControl::default()
        };
        control.load(&params);
        assert_eq!(control.error, None);
        assert_eq!(params.tuning.get().name(), "good");
        control.scale_path = bad.display().to_string();
        control.load(&params);
        let error = control.error.clone().expect("refused");
        assert!(
            error.contains("bad.scl, line 4: \"four\" is no pitch"),
            "{error}"
        );
        assert_eq!(
            params.tuning.get().name(),
            "good",
            "the tuning playing stays"
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn sounding_notes_show_their_degree_and_frequency() {
        let tuning = Tuning::from_files("just", b"Just\n2\n3/2\n2/1\n", None).unwrap();
        let mut engine = Engine::new(
            48_000.0,
            Settings {
                midi: true,
                ..Settings::default()
            },
        );
        engine.set_key_table(tuning.table());
        for key in [61, 60] {
            engine.handle(NoteInput::NoteOn {
                note: NoteRef::without_id(0, key),
                velocity: 1.0,
            });
        }
        engine.render(&mut [0.0; 64]);
        let mut playing = Playing::default();
        engine.describe(&mut playing);
        // Two degrees a period: C4 is degree 0, C#4 degree 1 (3/2 above middle C).
        assert_eq!(
            sounding_lines(&playing, tuning.table()),
            [
                "C4 · degree 0 (period +0) · 261.63 Hz",
                "C#4 · degree 1 (period +0) · 392.44 Hz"
            ]
        );
    }
}
