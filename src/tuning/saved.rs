//! A tuning as the plugin state and preset files store it: a JSON object with the name shown,
//! the scale file's text and the keyboard map's (or null):
//!
//! ```json
//! { "name": "bp", "scale": "! bp.scl\nBohlen-Pierce\n13\n...", "map": null }
//! ```
//!
//! 12-TET, the default, is stored as nothing at all, so a state or preset without a tuning
//! (every one saved before tunings existed) plays 12-TET, as it did. The text is parsed again
//! on loading, as strictly as a file: a damaged one is refused with its line and reason.

use super::Tuning;
use serde_json::{Map, Value};

/// `tuning` as JSON; `None` for 12-TET.
pub fn to_json(tuning: &Tuning) -> Option<Value> {
    if tuning.is_default() {
        return None;
    }
    let mut object = Map::new();
    object.insert("name".into(), Value::from(tuning.name()));
    object.insert("scale".into(), Value::from(tuning.scale_text()));
    object.insert(
        "map".into(),
        tuning.map_text().map_or(Value::Null, Value::from),
    );
    Some(Value::Object(object))
}

/// The tuning `value` stores, or why it cannot be played.
pub fn from_json(value: &Value) -> Result<Tuning, String> {
    let object = value
        .as_object()
        .ok_or("a tuning should be an object with \"name\", \"scale\" and \"map\"")?;
    let text = |key: &str| object.get(key).and_then(Value::as_str);
    let scale = text("scale").ok_or("the tuning has no \"scale\" text")?;
    let map = match object.get("map") {
        None | Some(Value::Null) => None,
        Some(Value::String(map)) => Some(map.as_str()),
        Some(_) => return Err("the tuning's \"map\" should be text or null".into()),
    };
    let name = text("name").unwrap_or("");
    Tuning::from_files(name, scale.as_bytes(), map.map(str::as_bytes))
        .map_err(|error| format!("the stored {error}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tuning_round_trips_and_12_tet_is_stored_as_nothing() {
        assert_eq!(to_json(&Tuning::default()), None);
        let tuning = Tuning::from_files(
            "just",
            b"Just\n2\n3/2\n2/1\n",
            Some(b"0\n0\n127\n60\n60\n250\n0\n"),
        )
        .unwrap();
        let json = to_json(&tuning).unwrap();
        assert_eq!(from_json(&json).unwrap(), tuning);
    }

    #[test]
    fn a_damaged_stored_tuning_is_refused_with_its_line() {
        let json = serde_json::json!({ "name": "x", "scale": "desc\n2\n3/2\n", "map": null });
        let error = from_json(&json).unwrap_err();
        assert!(error.contains("line 2"), "{error}");
        assert!(from_json(&serde_json::json!("text")).is_err());
    }
}
