//! What the standalone plays, kept between runs: every parameter, the preset the editor shows
//! and the editor's size and zoom, in one small JSON file
//! (`$XDG_STATE_HOME/quintet/standalone.json`, else `~/.local/state/quintet/standalone.json`).
//! Written when the standalone ends (window closed, Ctrl-C, SIGTERM or SIGHUP), as every
//! Quintet file is written ([`output_file`]): a failed write leaves the old file whole. A file
//! that cannot be read or understood is reported on stderr and ignored: the standalone then
//! starts as on a first launch.
//!
//! A first launch (no file, an ignored file, or `--fresh`) starts from the defaults with the
//! gain at [`FIRST_LAUNCH_GAIN_DB`], so a drone that starts the moment the program opens is not
//! at full level in the listener's ears; the gain control shows it and raises it.

use crate::file_read::{self, Limit};
use crate::output_file;
use crate::params::editor_size::EditorSize;
use crate::params::{Param, QuintetParams};
use crate::presets::{Preset, file};
use crate::user_text::escape_path;
use nice_plug::prelude::Param as _;
use serde_json::{Value, json};
use std::path::{Path, PathBuf};

/// The gain a first launch starts at, in dB (the gain control's own unit): 12 dB below full.
pub const FIRST_LAUNCH_GAIN_DB: f32 = -12.0;

/// The session file's format version.
const VERSION: u64 = 1;

/// The largest session file read: a preset plus a few numbers.
const READ_LIMIT: Limit = Limit {
    what: "the standalone's session file",
    max_bytes: file::MAX_FILE_BYTES + 4096,
};

/// What the standalone was playing.
#[derive(Clone, Debug, PartialEq)]
pub struct Session {
    /// Every parameter's value (the preset's name is unused).
    pub sound: Preset,
    /// The preset the editor showed, if any: its name, and whether it is the user's.
    pub preset: Option<ShownPreset>,
    pub editor: EditorSize,
}

/// The preset the editor's bar shows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ShownPreset {
    pub name: String,
    /// A user preset (else a factory one).
    pub user: bool,
}

/// Where the session is kept, if a folder for it can be found.
pub fn path() -> Option<PathBuf> {
    let absolute = |var: &str| {
        std::env::var_os(var)
            .map(PathBuf::from)
            .filter(|dir| dir.is_absolute())
    };
    let state = absolute("XDG_STATE_HOME")
        .or_else(|| absolute("HOME").map(|home| home.join(".local/state")))?;
    Some(state.join("quintet").join("standalone.json"))
}

impl Session {
    /// What `params` hold now, with `preset` shown.
    pub fn capture(params: &QuintetParams, preset: Option<ShownPreset>) -> Self {
        Self {
            sound: Preset::capture("", params),
            preset,
            editor: params.editor.load(),
        }
    }

    /// A first launch's session: the defaults, the gain at [`FIRST_LAUNCH_GAIN_DB`].
    pub fn first_launch() -> Self {
        let params = QuintetParams::default();
        let gain = params.float(Param::GAIN);
        if let Some(normalized) =
            gain.string_to_normalized_value(&format!("{FIRST_LAUNCH_GAIN_DB} dB"))
        {
            set_normalized(&params, Param::GAIN, normalized);
        }
        Self::capture(&params, None)
    }

    /// Puts the session into `params`, which no other thread sees yet (a plugin being made).
    pub fn restore_into(&self, params: &QuintetParams) {
        for (param, normalized) in Param::ALL.into_iter().zip(self.sound.normalized_values()) {
            set_normalized(params, param, normalized);
        }
        params.editor.store(self.editor);
    }

    /// The session as the file holds it.
    pub fn to_json(&self) -> String {
        let sound: Value =
            serde_json::from_str(&file::write(&self.sound)).expect("a preset file is JSON");
        let preset = self
            .preset
            .as_ref()
            .map_or(Value::Null, |p| json!({"name": p.name, "user": p.user}));
        let editor = json!({"width": self.editor.width, "height": self.editor.height, "zoom": self.editor.zoom});
        let session =
            json!({"version": VERSION, "sound": sound, "preset": preset, "editor": editor});
        serde_json::to_string_pretty(&session).expect("JSON values serialize") + "\n"
    }

    /// The session in `text`, or why it cannot be one.
    pub fn from_json(bytes: &[u8]) -> Result<Self, String> {
        let value: Value = serde_json::from_slice(bytes).map_err(|e| format!("not JSON: {e}"))?;
        if value.get("version").and_then(Value::as_u64) != Some(VERSION) {
            return Err(format!("not a session of this Quintet (version {VERSION})"));
        }
        let sound = value.get("sound").ok_or("no sound")?;
        let sound =
            file::read(sound.to_string().as_bytes()).map_err(|e| format!("its sound: {e}"))?;
        let preset = match value.get("preset") {
            None | Some(Value::Null) => None,
            Some(preset) => Some(ShownPreset {
                name: preset
                    .get("name")
                    .and_then(Value::as_str)
                    .ok_or("a preset without a name")?
                    .to_owned(),
                user: preset.get("user").and_then(Value::as_bool).unwrap_or(false),
            }),
        };
        let editor = value.get("editor").ok_or("no editor size")?;
        let number = |key: &str| {
            editor
                .get(key)
                .and_then(Value::as_f64)
                .map(|v| v as f32)
                .ok_or(format!("no editor {key}"))
        };
        let editor = EditorSize {
            width: number("width")?,
            height: number("height")?,
            zoom: number("zoom")?,
        }
        .sanitized();
        Ok(Self {
            sound,
            preset,
            editor,
        })
    }
}

/// Sets `param` of `params` to `normalized`.
fn set_normalized(params: &QuintetParams, param: Param, normalized: f32) {
    // SAFETY: the pointer points into `params`, which only the calling thread sees: a plugin
    // being made, before the framework hands it to any other thread, or a scratch copy.
    unsafe {
        params
            .get(param)
            .as_ptr()
            ._internal_set_normalized_value(normalized)
    };
}

/// The session in the file at `path`: `Ok(None)` if there is none, `Err` with a message for the
/// user if it cannot be read or understood.
pub fn read(path: &Path) -> Result<Option<Session>, String> {
    match std::fs::symlink_metadata(path) {
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        _ => {}
    }
    let why = |error: String| format!("{}: {error}", escape_path(path));
    let bytes = file_read::read(path, READ_LIMIT).map_err(|e| why(e.to_string()))?;
    Session::from_json(&bytes).map(Some).map_err(why)
}

/// Writes `session` to `path`, making its folder if needed.
pub fn write(path: &Path, session: &Session) -> Result<(), String> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", escape_path(dir)))?;
    }
    let options = output_file::Options {
        extension: Some("json"),
        ..output_file::Options::default()
    };
    output_file::write(path, session.to_json().as_bytes(), &options).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_session_comes_back_as_it_was_written() {
        let params = QuintetParams::default();
        set_normalized(&params, Param::FREQUENCIES[2], 0.3);
        params.editor.store(EditorSize {
            width: 900.0,
            height: 750.0,
            zoom: 1.5,
        });
        let shown = ShownPreset {
            name: "Mine".into(),
            user: true,
        };
        let session = Session::capture(&params, Some(shown));
        let back = Session::from_json(session.to_json().as_bytes()).unwrap();
        assert_eq!(back, session);
        let restored = QuintetParams::default();
        back.restore_into(&restored);
        for param in Param::ALL {
            assert_eq!(
                restored.plain(param),
                params.plain(param),
                "{}",
                param.spec().id
            );
        }
        assert_eq!(restored.editor.load(), params.editor.load());
    }

    #[test]
    fn a_first_launch_starts_at_the_defaults_with_a_moderate_gain() {
        let params = QuintetParams::default();
        Session::first_launch().restore_into(&params);
        let gain = params.float(Param::GAIN);
        let db = 20.0 * gain.value().log10();
        assert!((db - FIRST_LAUNCH_GAIN_DB).abs() < 0.1, "{db} dB");
        for param in Param::ALL.into_iter().filter(|p| *p != Param::GAIN) {
            let spec = param.spec();
            assert_eq!(
                params.plain(param) as f32,
                spec.unnormalize(spec.normalize(spec.default)),
                "{}",
                spec.id
            );
        }
    }

    #[test]
    fn damaged_sessions_are_refused_with_a_reason() {
        for bad in [
            &b"{"[..],
            b"[]",
            b"{\"version\": 99}",
            b"{\"version\": 1, \"sound\": 3}",
        ] {
            assert!(
                Session::from_json(bad).is_err(),
                "{}",
                String::from_utf8_lossy(bad)
            );
        }
    }
}
