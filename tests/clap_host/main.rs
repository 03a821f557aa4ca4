//! Quintet's integration tests: the built plugin hosted through CLAP (the `quintet-test-host`
//! crate) the way a DAW hosts it, the render command, and property-based fuzzing.
//!
//! One test binary, one module per subject, so the suite compiles and links once. Run one
//! subject with a filter: `cargo test --test clap_host -- automation::` or `-- fuzz_`.
//! `rt_alloc` (re-runs itself under a malloc shim) and `long_run` (minutes of audio) are binaries
//! of their own.

mod automation;
mod descriptor;
mod editor;
mod fuzz_dsp;
mod fuzz_midi;
mod fuzz_params;
mod fuzz_state;
mod fuzz_text;
mod midi;
mod parameter_events;
mod parameter_lock;
mod poly;
mod preset_load;
mod preset_switch;
mod processing;
mod render_cli;
mod standalone;
mod state;
mod state_migration;
mod stress_concurrency;
mod text;
mod tuning;
mod virtual_display;
