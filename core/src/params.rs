//! The parameter registry: every parameter Quintet has, declared once ([`registry`]), and what
//! every front end derives from it.
//!
//! A declaration ([`ParamSpec`]) holds the permanent id hosts store automation under, the name,
//! the range and its skew, the step, the default, how the value reads and is typed, how the
//! engine moves to a new value, what a state saved before the parameter existed means, and how
//! the `render` command and the Python module offer it. From it come:
//!
//! - the plugin's parameters, counts and lists, migration of old states and the clamping of
//!   restored ones (src/params.rs, nice-plug's view of this registry);
//! - the `render` command's options and their help text (src/render_cli.rs);
//! - the Python module's keyword arguments, properties, ranges and `.pyi` (python/);
//! - the presets' validation and the parameter lock test;
//! - the engine's [`Settings`](crate::engine::Settings), through one validated constructor
//!   ([`Values`]) that all three front ends use.
//!
//! Framework-free, so the Python module and the test host read it without nice-plug.
//!
//! Adding a parameter: one [`ParamSpec`] in [`registry::PARAMS`] (and a [`Param`] constant if
//! code names it), its DSP, its control in the editor, tests.

pub mod frequency_text;
pub mod gain_text;
pub mod level_law;
mod range;
pub mod ratio_text;
pub mod registry;
mod spec;
mod text;
mod values;

pub use level_law::LevelLaw;
pub use range::{FloatRange, Scale};
pub use registry::{PARAM_COUNT, PARAMS, Param};
pub use spec::{Family, FloatText, Kind, Offered, OutOfRange, ParamSpec};
pub use values::{Values, audible_levels};
