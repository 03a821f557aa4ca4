//! The ranges Quintet accepts, in one place: the plugin's parameters (src/params.rs), the
//! `render` command and the Python module all check against these, so none of them can accept
//! a value another refuses.

/// Lowest frequency a partial can play, in Hz.
pub const MIN_FREQUENCY_HZ: f32 = 20.0;
/// Highest frequency a partial can play, in Hz.
pub const MAX_FREQUENCY_HZ: f32 = 20_000.0;
/// Longest MIDI-mode glide between notes, in milliseconds.
pub const MAX_MIDI_GLIDE_MS: f32 = 1000.0;
/// Longest attack, decay or release, in milliseconds.
pub const MAX_ENVELOPE_MS: f32 = 10_000.0;
/// Voices a new instance plays with: enough for two-handed chords under the sustain pedal, the
/// number most polyphonic synths start with. (A plugin state saved before voices existed keeps
/// one.)
pub const DEFAULT_VOICES: usize = 8;
/// The sample rates `render` and the Python module accept, in Hz: where the bank's exactness is
/// tested. (The plugin runs at whatever rate its host chooses.)
pub const SAMPLE_RATE_RANGE_HZ: (f64, f64) = (8_000.0, 768_000.0);
/// The longest one-shot render, in seconds: a day.
pub const MAX_RENDER_SECONDS: f64 = 86_400.0;
