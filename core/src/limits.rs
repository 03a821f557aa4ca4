//! Every maximum and default Quintet has, in one place. The parameter registry
//! ([`crate::params`]) declares each parameter from these; the engine, the plugin, the `render`
//! command and the Python module all read them from here (directly or through the registry), so
//! none of them can accept a value another refuses or start from another default.

use crate::dsp::PARTIAL_COUNT;

// The partials.

/// Lowest frequency a partial can play, in Hz.
pub const MIN_FREQUENCY_HZ: f32 = 20.0;
/// Highest frequency a partial can play, in Hz.
pub const MAX_FREQUENCY_HZ: f32 = 20_000.0;
/// The notebook's frequencies, in Hz: the five partials' defaults.
pub const DEFAULT_FREQUENCIES_HZ: [f64; PARTIAL_COUNT] = [200.0, 250.0, 300.0, 350.0, 400.0];

// Loudness.

/// Peak of one note at full velocity, or of the drone, at 0 dB gain with all five partials at
/// level 1 (linear, of full scale): −6 dB, a fixed level per voice as most polysynths have. A
/// note is as loud whatever the voice count (the default partials peak at ≈ −6.6 dBFS), the
/// drone and a note are as loud as each other, and a chord of several notes may pass full
/// scale: the gain (up to +12 dB, down to silence) is the headroom control. Quintet before
/// this law gave each voice 1/voices of full scale (and the drone all of it); saved states and
/// presets from then are migrated to sound as they did (`quintet_core::params::level_law`).
pub const VOICE_LEVEL: f32 = 0.5;
/// Top of the output gain, in dB: enough to bring a quiet patch (soft partials, one low
/// level) up to full scale, and the headroom control of the level law above.
pub const MAX_GAIN_DB: f32 = 12.0;

// MIDI mode.

/// Most notes that play at once.
pub const MAX_VOICES: usize = 16;
/// Most copies of each note in unison (see `quintet_core::engine::unison`).
pub const MAX_UNISON: usize = 4;
/// The furthest unison's outermost copies are detuned either way, in cents.
pub const MAX_UNISON_DETUNE_CENTS: i32 = 100;
/// Voices a new instance plays with: enough for two-handed chords under the sustain pedal, the
/// number most polyphonic synths start with. (A plugin state saved before voices existed keeps
/// one.)
pub const DEFAULT_VOICES: usize = 8;
/// Longest MIDI-mode glide between notes, in milliseconds.
pub const MAX_MIDI_GLIDE_MS: f32 = 1000.0;
/// The furthest the pitch-bend range goes, in semitones either way: MPE's largest (its default
/// for member channels is 48).
pub const MAX_BEND_RANGE_SEMITONES: f64 = 96.0;
/// Default reach of the pitch wheel, in semitones either way: the General MIDI default.
pub const DEFAULT_BEND_RANGE_SEMITONES: f64 = 2.0;

// The envelope.

/// Longest attack, decay or release, in milliseconds.
pub const MAX_ENVELOPE_MS: f32 = 10_000.0;
/// Default attack time, in milliseconds: short enough to feel immediate, long enough that the
/// onset adds no click (at 48 kHz the gain moves by at most 1/240 of full scale per sample).
pub const ATTACK_MS: f64 = 5.0;
/// Default decay time, in milliseconds (it only matters once the sustain is below 100 %).
pub const DECAY_MS: f64 = 200.0;
/// Default sustain level (linear, of the note's velocity): full, so a held note stays level.
pub const SUSTAIN_LEVEL: f32 = 1.0;
/// Default release time, in milliseconds. After it the output is exactly zero.
pub const RELEASE_MS: f64 = 20.0;
/// The shortest and longest a partial's envelope times may be, as factors of the note's.
pub const MIN_TIME_SCALE: f32 = 0.1;
pub const MAX_TIME_SCALE: f32 = 10.0;
/// The steepest key tilt either way, in dB per octave.
pub const MAX_KEY_TILT_DB_PER_OCTAVE: f32 = 12.0;

// Offline rendering and files.

/// The sample rates `render` and the Python module accept, in Hz: where the bank's exactness is
/// tested. (The plugin runs at whatever rate its host chooses.)
pub const SAMPLE_RATE_RANGE_HZ: (f64, f64) = (8_000.0, 768_000.0);
/// The sample rate `render` and the Python module play at unless told, in Hz.
pub const DEFAULT_RENDER_SAMPLE_RATE_HZ: f64 = 48_000.0;
/// The longest one-shot render, in seconds: a day.
pub const MAX_RENDER_SECONDS: f64 = 86_400.0;
/// Largest MIDI file read, in bytes (64 MiB). A note takes 3 to 4 bytes with its delta time, so
/// [`MAX_EVENTS`](crate::midi_file::MAX_EVENTS) events fill about 40 MB; real performances are a
/// few hundred KB at most.
pub const MAX_MIDI_FILE_BYTES: usize = 64 << 20;
/// Largest preset file read, in bytes (64 KiB): a preset of every parameter is under 2 KiB.
pub const MAX_PRESET_FILE_BYTES: usize = 64 * 1024;
