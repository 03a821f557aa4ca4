//! Prints the parameter registry as JSON, for tests outside Rust that must know the plugin's
//! parameters before the Python module is built: tests/host/quintet_host.py compares the list a
//! real host reports with it and turns plain values into the positions a host automates.
//! scripts/test writes it beside the dev bundles (`parameters.json`) in its bundle stage.
//!
//! `cargo run -p quintet-core --example parameters`

use quintet_core::params::{Kind, PARAMS, ParamSpec, Scale};

fn main() {
    let entries: Vec<String> = PARAMS.iter().map(entry).collect();
    println!("[\n{}\n]", entries.join(",\n"));
}

/// One parameter: its id and name, its kind, its range in plain units, the skew of its host
/// position (position = proportion^skew; 1 for an even range) and its default.
fn entry(spec: &ParamSpec) -> String {
    let (min, max) = spec.bounds();
    let (kind, skew) = match spec.kind {
        Kind::Float { range, .. } => match range.scale {
            Scale::Linear => ("float", 1.0),
            Scale::Skewed { factor } => ("float", factor),
        },
        Kind::Int { .. } => ("int", 1.0),
        Kind::Switch => ("bool", 1.0),
    };
    format!(
        "  {{\"id\": {}, \"name\": {}, \"kind\": \"{kind}\", \"min\": {min:?}, \"max\": {max:?}, \
         \"skew\": {:?}, \"default\": {:?}}}",
        json_string(spec.id),
        json_string(spec.name),
        f64::from(skew),
        f64::from(spec.default),
    )
}

/// `text` as a JSON string (the ids and names are plain text: quotes and backslashes escaped).
fn json_string(text: &str) -> String {
    format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""))
}
