//! JSON read with every object's keys checked for repeats. serde_json keeps the last of two
//! equal keys without a word, so `{"freq1": 200, "freq1": 2000}` would play 2 kHz although a
//! person reading the file sees 200 first; a preset file with a repeated key is refused instead,
//! naming the key.

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};
use std::fmt;

/// `bytes` as a JSON value, and the path of the first key found twice in one object, if any
/// (`params.freq1`, `name`; `list[2].key` inside arrays).
pub fn parse(bytes: &[u8]) -> serde_json::Result<(Value, Option<String>)> {
    let checked: Checked = serde_json::from_slice(bytes)?;
    Ok((checked.value, checked.repeated.map(|path| path_text(&path))))
}

/// A JSON value and the path to the first key repeated in it, innermost step first.
struct Checked {
    value: Value,
    repeated: Option<Vec<Step>>,
}

/// One step of a path into a JSON value.
enum Step {
    Key(String),
    Index(usize),
}

/// A path (innermost step first) as `a.b[2].c`.
fn path_text(path: &[Step]) -> String {
    let mut text = String::new();
    for step in path.iter().rev() {
        match step {
            Step::Key(key) if text.is_empty() => text.push_str(key),
            Step::Key(key) => {
                text.push('.');
                text.push_str(key);
            }
            Step::Index(index) => text.push_str(&format!("[{index}]")),
        }
    }
    text
}

/// `inner`, the path to a repeat inside a value, with the step to that value added.
fn outer(inner: Option<Vec<Step>>, step: Step) -> Option<Vec<Step>> {
    inner.map(|mut path| {
        path.push(step);
        path
    })
}

impl Checked {
    fn plain(value: Value) -> Self {
        Self {
            value,
            repeated: None,
        }
    }
}

impl<'de> Deserialize<'de> for Checked {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(CheckedVisitor)
    }
}

/// Builds the same [`Value`] serde_json builds, noting repeated keys on the way.
struct CheckedVisitor;

impl<'de> Visitor<'de> for CheckedVisitor {
    type Value = Checked;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Checked, E> {
        Ok(Checked::plain(Value::Bool(v)))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Checked, E> {
        Ok(Checked::plain(Value::from(v)))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Checked, E> {
        Ok(Checked::plain(Value::from(v)))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Checked, E> {
        Ok(Checked::plain(Value::from(v)))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Checked, E> {
        Ok(Checked::plain(Value::from(v)))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Checked, E> {
        Ok(Checked::plain(Value::String(v)))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Checked, E> {
        Ok(Checked::plain(Value::Null))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Checked, A::Error> {
        let mut values = Vec::new();
        let mut repeated = None;
        while let Some(item) = seq.next_element::<Checked>()? {
            if repeated.is_none() {
                repeated = outer(item.repeated, Step::Index(values.len()));
            }
            values.push(item.value);
        }
        Ok(Checked {
            value: Value::Array(values),
            repeated,
        })
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Checked, A::Error> {
        let mut object = Map::new();
        let mut repeated = None;
        while let Some(key) = map.next_key::<String>()? {
            let item: Checked = map.next_value()?;
            if repeated.is_none() {
                repeated = if object.contains_key(&key) {
                    Some(vec![Step::Key(key.clone())])
                } else {
                    outer(item.repeated, Step::Key(key.clone()))
                };
            }
            object.insert(key, item.value);
        }
        Ok(Checked {
            value: Value::Object(object),
            repeated,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_repeated_key_is_named_with_its_path() {
        let cases: [(&str, Option<&str>); 6] = [
            (r#"{"a": 1, "b": {"c": [1, {"d": 2}]}}"#, None),
            (r#"{"a": 1, "a": 1}"#, Some("a")),
            (r#"{"p": {"x": 1, "y": 2, "x": 3}, "p": {}}"#, Some("p.x")),
            (r#"{"l": [{}, {"k": 1, "k": 2}]}"#, Some("l[1].k")),
            (r#"[{"k": [{"j": 0, "j": 0}]}]"#, Some("[0].k[0].j")),
            (r#"{"a": {}, "b": {}}"#, None),
        ];
        for (text, expected) in cases {
            let (value, repeated) = parse(text.as_bytes()).unwrap();
            assert_eq!(repeated.as_deref(), expected, "{text}");
            // The value is the one serde_json makes (the last of repeated keys).
            let plain: Value = serde_json::from_str(text).unwrap();
            assert_eq!(value, plain, "{text}");
        }
    }
}
