//! Quintet's sound, with no plugin framework, GUI or threads in it: the bank of five
//! phase-continuous partials ([`dsp`]), the instrument around it — drone or voices, envelopes,
//! per-note expression ([`engine`]) — every maximum and default ([`limits`]), every parameter declared
//! once ([`params`]), Scala tunings and the key table notes play by ([`tuning`]), Standard MIDI Files as engine events ([`midi_file`]), and
//! the calibrated spectrum analysis the editor and the tests share ([`spectrum`]).
//!
//! The plugin, the `render` command, the Python module, the benchmarks and the tests all drive
//! this crate, so what is tested is what ships; being a crate of its own, it cannot reach for
//! framework types, and what builds on it (the Python module) does not build the framework.

pub mod dsp;
pub mod engine;
pub mod limits;
pub mod midi_file;
pub mod params;
#[cfg(feature = "spectrum")]
pub mod spectrum;
pub mod tuning;
