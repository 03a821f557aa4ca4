//! Loading a preset into a running plugin: how the editor's preset bar and a CLAP host's
//! preset-load (src/clap_entry/preset_load.rs) both do it, so the two cannot sound different.

use super::Preset;
use crate::params::{Param, QuintetParams};
use nice_plug::context::gui::GuiContext;

/// Loads `preset` into the plugin whose parameters are `params`, through `context` (the editor's,
/// or one nice-plug made for the plugin's own CLAP extensions): first the load's marks, so the
/// audio thread takes the values as a load (the partials jump to their new pitches, the levels
/// and the gain ramp over 10 ms: `params::loads`), then every parameter set as one host gesture.
/// The framework queues each value for the audio thread, which stores it at its next block and
/// tells the host: nothing here waits for the audio thread, and it allocates nothing.
pub fn apply(preset: &Preset, params: &QuintetParams, context: &GuiContext) {
    // The tuning first: notes the new values start play in it. A preset without one plays
    // 12-TET, whatever was loaded before.
    params.tuning.set(preset.tuning_or_default());
    let values = preset.normalized_values();
    params.expect_load(&values);
    for (param, normalized) in Param::ALL.into_iter().zip(values) {
        let ptr = params.get(param).as_ptr();
        // SAFETY: `ptr` points into `params`, the parameters the context's plugin lists to its
        // host (`param_map`), alive as long as the plugin, which outlives its editor and its
        // extension calls.
        unsafe {
            context.raw_begin_set_parameter(ptr);
            context.raw_set_parameter_normalized(ptr, normalized);
            context.raw_end_set_parameter(ptr);
        }
    }
}
