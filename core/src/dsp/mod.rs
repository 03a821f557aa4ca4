//! Quintet's sound, in plain Rust: no plugin framework, GUI or threads in here, so the same code
//! serves the plugin, the standalone, the benchmarks and the tests.

pub mod bank;
pub mod envelope;
pub mod glide;
pub mod knot;
pub mod lfo;
pub mod nyquist;
pub mod pan;
pub mod partial_envelopes;
pub mod phase;
pub mod ramp;
pub mod samples;
pub mod sine;
pub mod steady;

#[cfg(test)]
mod bank_tests;

pub use bank::{
    DEFAULT_FREQUENCIES_HZ, GLIDE_MS, LEVEL_RAMP_MS, MovedPartial, PARTIAL_AMPLITUDE,
    PARTIAL_COUNT, PartialBank, VOICE_LEVEL,
};
