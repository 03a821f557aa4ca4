//! The instrument, framework-free: the drone or the voices, note handling, envelopes and
//! per-note expression. Plain values in (settings, [`NoteInput`]s), samples out.
//!
//! Whatever renders Quintet drives this: the plugin (through the glue in `lib.rs`), the
//! `render` command, the benchmarks and the tests — so what is tested is what ships.
//!
//! - **Drone** (MIDI mode off): the notebook's five sines at the frequency settings, on a bank of
//!   their own that keeps its phases for as long as the drone plays.
//! - **Notes** (MIDI mode on): up to [`MAX_VOICES`] voices, each its own bank with partial 1 on
//!   the note and the others at their ratios to it, under its own envelope. With one voice
//!   the keys play legato with last-note priority and the MIDI glide; with more, each note takes
//!   a voice, and when all are playing a new note steals one (released first, then the oldest),
//!   which fades out in [`FADE_OUT_MS`](crate::dsp::envelope::FADE_OUT_MS) in a slot of its own.
//!   The newest note always sounds, however many arrive at once: with every slot taken it
//!   replaces the stolen voice nearest silence (see `allocation.rs`).
//! - **Stereo**: each partial has a pan, each note may play in unison (copies detuned and
//!   spread, see [`unison`]); [`Engine::render_stereo`] renders both channels,
//!   [`Engine::render`] their mean. With everything centred the engine renders one channel
//!   and copies it, as fast as mono (`output.rs`).
//! - **Pitches** come from the key table (12-TET or a Scala tuning), an MTS-ESP master over it,
//!   and the partials' ratios or scale degrees (`pitches.rs`); **movement** (the LFO, the
//!   wheels, pressure) from [`movement`], worked out at knots.
//!
//! Real-time safe: a fixed pool of voice slots, no allocation, no locks.

mod allocation;
mod channels;
mod chirp_voices;
mod ended;
pub mod held_notes;
pub mod input;
pub mod movement;
mod output;
pub mod outside_tuning;
pub mod pitch;
mod pitches;
mod playing;
mod steady_voices;
pub mod unison;
pub mod voice;
pub mod wheels;

pub use ended::VoiceEnd;
pub use input::{Channel, Expression, NoteInput, NoteMatch, NoteRef};
pub use movement::MovementSettings;
pub use outside_tuning::KeyTuning;
pub use playing::{MAX_SOUNDING, Playing, SoundingVoice};
pub use voice::{Modulated, Modulation, Motion};

use crate::dsp::bank::sanitize_frequency;
use crate::dsp::envelope::{ATTACK_MS, EnvelopeShape, RELEASE_MS};
use crate::dsp::partial_envelopes::{PartialShapes, Touch};
use crate::dsp::ramp::LinearRamp;
use crate::dsp::{GLIDE_MS, PARTIAL_COUNT, PartialBank};
use crate::params::registry::MAX_PARTIAL_DEGREES;
use crate::tuning::KeyTable;
use ended::EndedVoices;
use held_notes::HeldNotes;
use movement::{Movement, NoteExpressions, VoiceLfo};
use output::{STEREO_SCRATCH_SAMPLES, StereoScratch};
use outside_tuning::OutsideTuning;
use pitch::{DEFAULT_BEND_RANGE_SEMITONES, MAX_TUNING_SEMITONES, playable_velocity};
use steady_voices::SteadyVoices;
use unison::Unison;
use voice::{Voice, VoiceSound, VoiceState};
use wheels::Wheels;

/// Most notes that play at once (declared in [`crate::limits`]).
pub use crate::limits::MAX_VOICES;

/// Voice slots: room for [`MAX_VOICES`] playing notes and as many stolen ones fading out.
const VOICE_SLOTS: usize = 2 * MAX_VOICES;

/// Most semitones the pitch wheel may reach either way (declared in [`crate::limits`]).
pub use crate::limits::MAX_BEND_RANGE_SEMITONES;

// The MIDI control changes the engine answers to.

/// The mod wheel: it brings in vibrato (see [`MovementSettings::wheel_vibrato_cents`]).
pub const MOD_WHEEL_CC: u8 = 1;
/// MPE's timbre (in General MIDI, brightness): it tilts the partials (see
/// [`MovementSettings::timbre_brightness_db`]).
pub const TIMBRE_CC: u8 = 74;
/// The sustain (damper) pedal: at 64 and above, released keys keep sounding until it lifts.
pub const SUSTAIN_PEDAL_CC: u8 = 64;
/// Channel mode message: silence every note now (a fast fade, without a click).
pub const ALL_SOUND_OFF_CC: u8 = 120;
/// Channel mode message: pedal up, wheel centred.
pub const RESET_ALL_CONTROLLERS_CC: u8 = 121;
/// Channel mode message: release every note, sustained ones too (a host's panic button).
pub const ALL_NOTES_OFF_CC: u8 = 123;

/// Everything the engine plays by, as plain values.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Settings {
    /// The five partials' frequencies, in Hz: the drone's pitches, and in MIDI mode the ratios
    /// of partials 2–5 to partial 1.
    pub frequencies_hz: [f64; PARTIAL_COUNT],
    /// Each partial's level, linear 0 ..= 1 (a muted partial is 0).
    pub levels: [f32; PARTIAL_COUNT],
    /// Output gain, linear.
    pub gain: f32,
    /// Notes play the partials (on) or the partials drone (off).
    pub midi: bool,
    /// Notes that play at once, 1 ..= [`MAX_VOICES`].
    pub voices: usize,
    /// One-voice glide from note to note, in milliseconds (0 = none).
    pub midi_glide_ms: f64,
    pub envelope: EnvelopeShape,
    /// The pitch wheel's reach, in semitones either way.
    pub bend_range_semitones: f64,
    /// MPE's lower zone: channel 1's wheel bends every note (on), or each channel's wheel only
    /// its own notes (off; see [`wheels`]).
    pub mpe: bool,
    /// Each partial's envelope relative to the note's.
    pub partial_shapes: PartialShapes,
    /// How the partials' levels follow velocity and key, from the next note on.
    pub touch: Touch,
    /// Where each partial sits in the stereo field: −1 hard left, 0 centre, +1 hard right
    /// (see [`crate::dsp::pan`]).
    pub pans: [f32; PARTIAL_COUNT],
    /// Copies of each note, detuned and spread (see [`unison`]).
    pub unison: Unison,
    /// The LFO and its routes, and the mod wheel's vibrato.
    pub movement: MovementSettings,
    /// Whether the partials sit on the scale's degrees, and on which.
    pub scale_partials: ScalePartials,
}

/// Partials on the scale (see [`Settings::scale_partials`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ScalePartials {
    /// On: each partial plays the scale degree `degrees[k]` steps from its note's key (under
    /// the tuning in force). Off: partials 2–5 keep their frequency settings' ratios to
    /// partial 1.
    pub on: bool,
    /// Scale degrees from the note, partial 1 first.
    pub degrees: [i32; PARTIAL_COUNT],
}

impl Default for Settings {
    /// Every parameter at its default ([`crate::params`]): the notebook's drone; notes, when
    /// switched on, on eight voices.
    fn default() -> Self {
        crate::params::Values::default().settings()
    }
}

/// The instrument (see the module documentation).
pub struct Engine {
    settings: Settings,
    drone: PartialBank,
    /// The drone's level: 1 while it plays, fading to 0 in MIDI mode.
    drone_gate: LinearRamp,
    drone_attack_samples: u32,
    drone_release_samples: u32,
    voices: [Voice; VOICE_SLOTS],
    /// The keys down in one-voice play.
    held: HeldNotes,
    pedal_down: bool,
    /// Each channel's pitch wheel, and which notes it bends.
    wheels: Wheels,
    /// Notes started so far: the next note's age.
    notes_started: u64,
    /// Voices that ended since the last `take_ended`.
    ended: EndedVoices,
    /// False once a render found every voice free, until the next note input (see `render`).
    voices_may_sound: bool,
    /// Renders the voices: each that moves on its own, the held notes that nothing moves
    /// together (see `steady_voices.rs`).
    steady: Box<SteadyVoices>,
    /// The LFO's settings and clocks, the tempo and the channels' mod wheels.
    movement: Movement,
    /// Whether the movement moves the drone ([`Movement::moves_drone`], which depends on the
    /// movement's settings alone), kept up to date wherever they change: asked at every
    /// render, it cost a tenth of a 1-sample block.
    drone_moves: bool,
    /// The drone's knots (it runs on the free LFO; see [`movement`]).
    drone_lfo: VoiceLfo,
    /// Samples rendered so far: the clock knots fall on.
    clock: u64,
    /// Every key's frequency under the tuning in force (12-TET until a scale is loaded):
    /// allocated once, overwritten in place by [`set_key_table`](Self::set_key_table).
    keys: Box<KeyTable>,
    /// Keys an outside tuning (MTS-ESP) tunes, over the key table; the rest play by it.
    outside: OutsideTuning,
    /// Samples the engine still renders in stereo after every pan came back to the centre
    /// (until the pans' ramps have ended).
    stereo_samples_left: u32,
    /// Whether a pan expression, or the host's per-voice modulation of a pan or the unison's
    /// width, moved a note since the last snap: the engine then renders in stereo (such a note
    /// may sound off the centre however the settings move).
    panned_notes: bool,
    /// Whether a note may have started with copies off the centre since the last snap: the
    /// engine then renders in stereo while the width is above 0 (such a note keeps its copies
    /// when the count goes down).
    wide_copies: bool,
    /// Where `render` renders the two channels it sums while something is panned (`None`
    /// only while it does).
    stereo_scratch: Option<Box<StereoScratch>>,
    /// Where the drone renders each partial before placing it in the stereo field.
    drone_scratch: Box<[f32; STEREO_SCRATCH_SAMPLES]>,
}

impl Engine {
    /// An engine at `sample_rate_hz` playing `settings`, all values in place and no note.
    /// A sample rate that is not finite and positive is replaced by 48 kHz.
    pub fn new(sample_rate_hz: f64, settings: Settings) -> Self {
        let drone = PartialBank::new(sample_rate_hz, settings.frequencies_hz);
        let sample_rate_hz = drone.sample_rate_hz();
        let samples = |ms: f64| (ms * 1e-3 * sample_rate_hz).round().max(1.0) as u32;
        let mut engine = Self {
            settings,
            drone,
            drone_gate: LinearRamp::holding(1.0),
            drone_attack_samples: samples(ATTACK_MS),
            drone_release_samples: samples(RELEASE_MS),
            voices: std::array::from_fn(|_| Voice::new(sample_rate_hz, settings.envelope)),
            held: HeldNotes::default(),
            pedal_down: false,
            wheels: Wheels::new(settings.mpe),
            notes_started: 0,
            ended: EndedVoices::default(),
            voices_may_sound: true,
            steady: SteadyVoices::new(),
            movement: Movement::new(settings.movement, sample_rate_hz, settings.mpe),
            drone_moves: false,
            drone_lfo: VoiceLfo::IDLE,
            clock: 0,
            keys: Box::default(),
            outside: OutsideTuning::default(),
            stereo_samples_left: 0,
            wide_copies: false,
            panned_notes: false,
            stereo_scratch: Some(Box::new(StereoScratch {
                left: [0.0; STEREO_SCRATCH_SAMPLES],
                right: [0.0; STEREO_SCRATCH_SAMPLES],
            })),
            drone_scratch: Box::new([0.0; STEREO_SCRATCH_SAMPLES]),
        };
        engine.snap(settings);
        engine
    }

    /// The sample rate, in Hz.
    pub fn sample_rate_hz(&self) -> f64 {
        self.drone.sample_rate_hz()
    }

    /// The settings in force.
    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    /// Puts everything on `settings` at once, with no glide, and forgets every note and
    /// controller (activation, a host's reset). Phases keep running.
    pub fn snap(&mut self, settings: Settings) {
        let settings = sanitized(settings);
        self.settings = settings;
        for voice in &mut self.voices {
            voice.silence();
            voice.set_envelope(settings.envelope, &settings.partial_shapes);
        }
        self.held = HeldNotes::default();
        self.pedal_down = false;
        self.wheels = Wheels::new(settings.mpe);
        self.movement = Movement::new(settings.movement, self.sample_rate_hz(), settings.mpe);
        self.drone_moves = self.movement.moves_drone();
        self.drone_lfo = VoiceLfo::IDLE;
        self.ended.clear();
        self.drone_gate = LinearRamp::holding(if settings.midi { 0.0 } else { 1.0 });
        for (partial, hz) in settings.frequencies_hz.into_iter().enumerate() {
            self.drone.jump_to(partial, hz);
        }
        for (partial, level) in settings.levels.into_iter().enumerate() {
            self.drone.jump_level_to(partial, level);
        }
        self.drone.jump_gain_to(settings.gain);
        for (partial, pan) in settings.pans.into_iter().enumerate() {
            self.drone.pan_to(partial, pan, true);
        }
        self.stereo_samples_left = 0;
        self.wide_copies = settings.unison.is_wide();
        self.panned_notes = false;
    }

    /// Restarts the drone's phases at zero (a host's reset).
    pub fn reset_phases(&mut self) {
        self.drone.reset_phases();
    }

    /// New partial frequencies (Hz), each partial moving as `motions` says.
    pub fn set_frequencies(
        &mut self,
        frequencies_hz: [f64; PARTIAL_COUNT],
        motions: [Motion; PARTIAL_COUNT],
    ) {
        self.settings.frequencies_hz = frequencies_hz.map(sanitize_frequency);
        let jumps = motions.map(|motion| motion == Motion::Jump);
        self.drone
            .move_frequencies_to(self.settings.frequencies_hz, jumps);
        // The drone alone (no voice since the last render) skips the 32 slots: dense automation
        // of the drone pays for this call on every event.
        if !self.voices_may_sound {
            return;
        }
        // Partial 1's setting moves every partial of a voice (they keep their ratios to it).
        let voice_motions = motions.map(|motion| {
            if motion == Motion::Smooth || motions[0] == Motion::Smooth {
                Motion::Smooth
            } else {
                Motion::Jump
            }
        });
        for slot in 0..VOICE_SLOTS {
            if self.voices[slot].is_sounding() {
                self.retune(slot, voice_motions, GLIDE_MS);
            }
        }
    }

    /// Glides the drone's partial `partial` to `frequency_hz` over `glide_ms` milliseconds,
    /// evenly in pitch (the renderer's sweep).
    pub fn glide_drone_partial(&mut self, partial: usize, frequency_hz: f64, glide_ms: f64) {
        if partial < PARTIAL_COUNT {
            self.drone.glide_to_over(partial, frequency_hz, glide_ms);
        }
    }

    /// New partial levels (linear; a muted partial is 0), each moving as `motions` says.
    pub fn set_levels(&mut self, levels: [f32; PARTIAL_COUNT], motions: [Motion; PARTIAL_COUNT]) {
        self.settings.levels = levels;
        for (partial, level) in levels.into_iter().enumerate() {
            match motions[partial] {
                Motion::Smooth => self.drone.ramp_level_to(partial, level),
                Motion::Jump => self.drone.jump_level_to(partial, level),
            }
        }
        for voice in self.voices.iter_mut().filter(|v| v.is_sounding()) {
            voice.set_levels(&levels, motions);
        }
    }

    /// A new output gain (linear).
    pub fn set_gain(&mut self, gain: f32, motion: Motion) {
        self.settings.gain = gain;
        if gain != self.drone.target_gain() {
            match motion {
                Motion::Smooth => self.drone.ramp_gain_to(gain),
                Motion::Jump => self.drone.jump_gain_to(gain),
            }
        }
        for voice in self.voices.iter_mut().filter(|v| v.is_sounding()) {
            voice.set_gain(gain, motion);
        }
    }

    /// Places the partials in the stereo field (−1 hard left … +1 hard right; see
    /// [`crate::dsp::pan`]): the drone's and every note's, moving as `motion` says.
    pub fn set_pans(&mut self, pans: [f32; PARTIAL_COUNT], motion: Motion) {
        let pans = pans.map(|pan| {
            if pan.is_finite() {
                pan.clamp(-1.0, 1.0)
            } else {
                0.0
            }
        });
        if pans == self.settings.pans {
            return;
        }
        self.settings.pans = pans;
        self.hold_stereo_for_ramps(motion);
        for (partial, pan) in pans.into_iter().enumerate() {
            self.drone.pan_to(partial, pan, motion == Motion::Jump);
        }
        for voice in self.voices.iter_mut().filter(|v| v.is_sounding()) {
            voice.set_pans(&pans, motion);
        }
    }

    /// New unison settings: the count from the next note on, the detune and width for the
    /// notes sounding too (their copies glide and pan there).
    pub fn set_unison(&mut self, unison: Unison) {
        let unison = unison.sanitized();
        if unison == self.settings.unison {
            return;
        }
        let spread_moved = unison.detune_cents != self.settings.unison.detune_cents
            || unison.width != self.settings.unison.width;
        self.settings.unison = unison;
        self.wide_copies |= unison.is_wide();
        if spread_moved {
            let pans = self.settings.pans;
            for slot in 0..VOICE_SLOTS {
                if self.voices[slot].is_sounding() {
                    self.voices[slot].spread(unison);
                    self.voices[slot].set_pans(&pans, Motion::Smooth);
                    self.retune(slot, [Motion::Smooth; PARTIAL_COUNT], GLIDE_MS);
                }
            }
            self.hold_stereo_for_ramps(Motion::Smooth);
        }
    }

    /// Switches between drone (off) and notes (on). The drone fades out over
    /// [`RELEASE_MS`] or in over [`ATTACK_MS`]; notes playing are released.
    pub fn set_midi(&mut self, midi: bool) {
        if midi == self.settings.midi {
            return;
        }
        self.settings.midi = midi;
        self.release_every_note();
        if midi {
            self.drone_gate.ramp_to(0.0, self.drone_release_samples);
        } else {
            self.drone_gate.ramp_to(1.0, self.drone_attack_samples);
        }
    }

    /// How many notes play at once (clamped to 1 ..= [`MAX_VOICES`]). Going from one voice to
    /// several or back releases the notes playing; fewer voices than notes playing fade the
    /// oldest out.
    pub fn set_voice_count(&mut self, voices: usize) {
        let voices = voices.clamp(1, MAX_VOICES);
        let was = self.settings.voices;
        if voices == was {
            return;
        }
        self.settings.voices = voices;
        if (voices == 1) != (was == 1) {
            self.release_every_note();
        } else {
            while allocation::playing(&self.voices) > voices {
                if let Some(slot) = allocation::victim(&self.voices) {
                    self.voices[slot].fade_out();
                }
            }
        }
    }

    /// The one-voice glide between notes, in milliseconds (0 = none; non-finite ignored).
    pub fn set_midi_glide_ms(&mut self, glide_ms: f64) {
        if glide_ms.is_finite() {
            self.settings.midi_glide_ms = glide_ms.max(0.0);
        }
    }

    /// New envelope settings, the note's and each partial's relative to it, for the notes
    /// playing too (see [`Envelope::set_shape`]). Unchanged settings change nothing.
    ///
    /// [`Envelope::set_shape`]: crate::dsp::envelope::Envelope::set_shape
    pub fn set_envelope(&mut self, shape: EnvelopeShape, partials: PartialShapes) {
        if shape == self.settings.envelope && partials == self.settings.partial_shapes {
            return;
        }
        self.settings.envelope = shape;
        self.settings.partial_shapes = partials;
        for voice in &mut self.voices {
            voice.set_envelope(shape, &partials);
        }
    }

    /// How the partials follow velocity and key: from the next note on (a sounding note keeps
    /// the peaks it started with).
    pub fn set_touch(&mut self, touch: Touch) {
        self.settings.touch = touch;
    }

    /// The pitch wheel's reach, in semitones either way (0 ..= [`MAX_BEND_RANGE_SEMITONES`]).
    pub fn set_bend_range(&mut self, semitones: f64) {
        if semitones.is_finite() && semitones != self.settings.bend_range_semitones {
            self.settings.bend_range_semitones = semitones.clamp(0.0, MAX_BEND_RANGE_SEMITONES);
            self.retune_all(|_| true);
        }
    }

    /// MPE's lower zone on or off: the notes sounding glide to their bends under the new rule.
    pub fn set_mpe(&mut self, mpe: bool) {
        if mpe != self.settings.mpe {
            self.settings.mpe = mpe;
            self.wheels.set_mpe(mpe);
            self.movement.set_mpe(mpe);
            self.retune_all(|_| true);
            self.refresh_moved();
        }
    }

    /// The LFO and its routes: from the next knot (a new rate runs on from the LFO's phase
    /// there, without a jump).
    pub fn set_movement(&mut self, settings: MovementSettings) {
        if settings == self.settings.movement {
            return;
        }
        self.settings.movement = settings;
        let rate_changed = self.movement.set(settings, self.clock).is_some();
        self.follow_movement(rate_changed);
    }

    /// The host's tempo, in beats (quarter notes) per minute: a synced LFO follows it from the
    /// next knot. Until a host tells one, 120.
    pub fn set_tempo(&mut self, tempo_bpm: f64) {
        if self.movement.set_tempo(tempo_bpm, self.clock).is_some() {
            self.follow_movement(true);
        }
    }

    /// Makes the voices follow the movement's new settings (and rate, if it changed).
    fn follow_movement(&mut self, rate_changed: bool) {
        if rate_changed {
            for voice in self.voices.iter_mut().filter(|v| v.is_sounding()) {
                self.movement.follow_rate(voice.lfo_mut(), self.clock);
            }
        }
        self.refresh_moved();
    }

    /// Tells each sounding voice, and the drone, whether movement acts on it now.
    fn refresh_moved(&mut self) {
        self.drone_moves = self.movement.moves_drone();
        for voice in self.voices.iter_mut().filter(|v| v.is_sounding()) {
            let controls = voice.controls(&self.movement);
            voice.set_moved(self.movement.moves(&controls));
        }
    }

    /// Takes what the notes play with from `settings` — voices, envelope, glide time, bend
    /// range, MPE —
    /// each as its own setter does (a value that did not change changes nothing). The
    /// frequencies, levels, gain and MIDI mode have calls of their own: they glide, ramp or fade.
    /// Every front end hands the engine its note settings here, so a setting added later is
    /// followed by all of them once it is handed on in this one place.
    pub fn set_note_settings(&mut self, settings: &Settings) {
        self.set_voice_count(settings.voices);
        self.set_envelope(settings.envelope, settings.partial_shapes);
        self.set_touch(settings.touch);
        self.set_midi_glide_ms(settings.midi_glide_ms);
        self.set_bend_range(settings.bend_range_semitones);
        self.set_mpe(settings.mpe);
        self.set_movement(settings.movement);
        self.set_scale_partials(settings.scale_partials);
        self.set_pans(settings.pans, Motion::Smooth);
        self.set_unison(settings.unison);
    }

    /// Applies one event now (before the next sample rendered). Notes are ignored as a drone.
    pub fn handle(&mut self, input: NoteInput) {
        self.voices_may_sound = true;
        if !self.settings.midi {
            return;
        }
        match input {
            NoteInput::NoteOn { note, velocity } => {
                if self.key_hz(note, 0.0).is_none() {
                    // A key the tuning leaves silent plays nothing; for the host it ends here.
                    self.ended.push(note, 0);
                    return;
                }
                let velocity = playable_velocity(velocity);
                if self.is_monophonic() {
                    self.held.note_on(note, velocity);
                    self.play_held();
                } else {
                    self.start_note(note, velocity);
                }
            }
            NoteInput::NoteOff { target } => {
                if self.is_monophonic() {
                    self.held.note_off(&target);
                    self.play_held();
                } else {
                    let pedal_down = self.pedal_down;
                    for voice in &mut self.voices {
                        if voice.state == VoiceState::Held && target.matches(&voice.note) {
                            if pedal_down {
                                voice.state = VoiceState::Sustained;
                            } else {
                                voice.release();
                            }
                        }
                    }
                }
            }
            NoteInput::Choke { target } => {
                self.held.forget(&target);
                for voice in &mut self.voices {
                    if voice.is_playing() && target.matches(&voice.note) {
                        voice.fade_out();
                    }
                }
                if self.is_monophonic() && self.voices[0].is_playing() {
                    self.play_held();
                }
            }
            NoteInput::PitchBend { channel, position } => {
                if let Some(bend) = pitch::wheel_to_bend(position)
                    && self.wheels.set(channel, bend)
                {
                    self.retune_wheel(channel);
                }
            }
            NoteInput::ControlChange {
                channel,
                controller,
                value,
            } => self.control_change(channel, controller, value),
            NoteInput::Tuning { target, semitones } => {
                if semitones.is_finite() {
                    let semitones =
                        f64::from(semitones).clamp(-MAX_TUNING_SEMITONES, MAX_TUNING_SEMITONES);
                    for slot in 0..VOICE_SLOTS {
                        let voice = &mut self.voices[slot];
                        if voice.is_sounding() && target.matches(&voice.note) {
                            voice.tuning_semitones = semitones;
                            self.retune(slot, [Motion::Smooth; PARTIAL_COUNT], GLIDE_MS);
                        }
                    }
                }
            }
            NoteInput::ChannelPressure { channel, pressure } => {
                self.movement.set_pressure(channel, pressure);
                self.refresh_moved();
            }
            NoteInput::Expression {
                target,
                kind,
                value,
            } => {
                for voice in &mut self.voices {
                    if voice.is_sounding() && target.matches(&voice.note) {
                        voice.expressions.set(kind, value);
                    }
                }
                self.refresh_moved();
            }
            NoteInput::Pan { target, pan } => {
                if pan.is_finite() {
                    self.panned_notes |= pan != 0.0;
                    let pans = self.settings.pans;
                    for voice in &mut self.voices {
                        if voice.is_sounding() && target.matches(&voice.note) {
                            voice.set_pan_expression(pan, &pans);
                        }
                    }
                }
            }
            NoteInput::Volume { target, gain } => {
                let global_gain = self.settings.gain;
                for voice in &mut self.voices {
                    if voice.is_sounding() && target.matches(&voice.note) {
                        voice.set_volume(gain, global_gain);
                    }
                }
            }
        }
    }

    /// The host modulates `target` on the voice it knows as `id` by `modulation` (CLAP
    /// polyphonic modulation; the glue works out the value). Unknown ids are ignored: the voice
    /// has ended.
    pub fn modulate_voice(&mut self, id: i32, target: Modulated, modulation: Modulation) {
        for slot in 0..VOICE_SLOTS {
            let voice = &mut self.voices[slot];
            if voice.is_sounding() && voice.note.id == Some(id) {
                voice.modulate(target, modulation);
                self.follow_modulation(slot, target, Motion::Smooth);
            }
        }
    }

    /// Works out every voice's modulated `target` again with `value_for(offset)` (after the
    /// parameter itself moved), moving as `motion` says.
    pub fn remodulate(
        &mut self,
        target: Modulated,
        motion: Motion,
        value_for: impl Fn(f32) -> f32,
    ) {
        for slot in 0..VOICE_SLOTS {
            let voice = &mut self.voices[slot];
            if let Some(Modulation { offset, .. }) = voice.modulation(target)
                && voice.is_sounding()
            {
                let value = value_for(offset);
                voice.modulate(target, Modulation { offset, value });
                self.follow_modulation(slot, target, motion);
            }
        }
    }

    /// Moves voice `slot` to its value of `target` (its modulation, or the setting's), as
    /// `motion` says: the one place a modulated value reaches what the voice plays.
    fn follow_modulation(&mut self, slot: usize, target: Modulated, motion: Motion) {
        let settings = self.settings;
        let voice = &mut self.voices[slot];
        match target {
            Modulated::Level(partial) => {
                let mut motions = [Motion::Jump; PARTIAL_COUNT];
                motions[partial.min(PARTIAL_COUNT - 1)] = motion;
                voice.set_levels(&settings.levels, motions);
            }
            Modulated::Gain => voice.set_gain(settings.gain, motion),
            // Read at the voice's next knot; the voice may start or stop moving.
            Modulated::Vibrato | Modulated::Tremolo | Modulated::LfoBrightness => {
                let controls = voice.controls(&self.movement);
                voice.set_moved(self.movement.moves(&controls));
            }
            Modulated::Pan(_) => {
                voice.set_pans(&settings.pans, motion);
                // Off the centre, the voice needs two channels whatever the settings say.
                self.panned_notes |= voice.modulation(target).is_some_and(|m| m.value != 0.0);
            }
            Modulated::UnisonDetune => {
                voice.spread(settings.unison);
                self.retune(slot, [motion; PARTIAL_COUNT], GLIDE_MS);
            }
            Modulated::UnisonWidth => {
                voice.spread(settings.unison);
                voice.set_pans(&settings.pans, motion);
                self.panned_notes |= voice.is_wide();
            }
        }
    }

    /// Whether any voice is modulated by the host (so the glue need not work out values for
    /// none).
    pub fn has_modulated_voices(&self) -> bool {
        (self.voices.iter()).any(|voice| voice.is_sounding() && voice.is_modulated())
    }

    /// Lets held notes under movement alone render together in the chirp lanes (the default:
    /// about half the cost, see docs/PERFORMANCE.md), or each on its own banks (for
    /// comparison): the same sound within 120 dB.
    pub fn set_chirp_lanes(&mut self, on: bool) {
        self.steady.set_chirp_lanes(on, &mut self.voices);
    }

    /// Hands every voice that ended since the last call to `report`, once.
    #[inline]
    pub fn take_ended(&mut self, report: impl FnMut(VoiceEnd)) {
        self.ended.take(report);
    }

    /// Voices making sound now: their notes and the frequencies of their five partials (Hz).
    pub fn sounding(&self) -> impl Iterator<Item = (NoteRef, [f64; PARTIAL_COUNT])> + '_ {
        self.voices
            .iter()
            .enumerate()
            .filter(|(_, v)| v.is_sounding())
            .map(|(slot, voice)| {
                (
                    voice.note,
                    std::array::from_fn(|k| self.voice_frequency_hz(slot, k)),
                )
            })
    }

    /// Describes what sounds for the editor: the drone (while it is heard), or each sounding
    /// voice's key and partials. Runs on the audio thread about 30 times a second while the
    /// editor is open; allocation-free.
    pub fn describe(&self, playing: &mut Playing) {
        playing.clear(self.settings.midi);
        let audible = self.settings.levels.map(|level| level > 0.0);
        if self.drone_gate.is_ramping() || self.drone_gate.target() != 0.0 {
            playing.push(SoundingVoice {
                key: None,
                frequencies_hz: std::array::from_fn(|k| self.drone_frequency_hz(k) as f32),
                audible,
                started: 0,
            });
        }
        for (slot, voice) in self
            .voices
            .iter()
            .enumerate()
            .filter(|(_, v)| v.is_sounding())
        {
            playing.push(SoundingVoice {
                key: Some(voice.note.key),
                frequencies_hz: std::array::from_fn(|k| self.voice_frequency_hz(slot, k) as f32),
                audible,
                started: voice.age,
            });
        }
    }

    /// The frequency partial `partial` of the voice in `slot` plays at the next sample, in Hz
    /// (see [`Voice::current_frequency_hz`]; the chirp lanes', while they play it).
    fn voice_frequency_hz(&self, slot: usize, partial: usize) -> f64 {
        let voice = &self.voices[slot];
        match self.steady.chirp_increment(slot, partial) {
            Some(increment) => voice.frequency_at_hz(increment),
            None => voice.current_frequency_hz(partial),
        }
    }

    /// The drone's frequency for partial `partial` at the next sample, in Hz.
    pub fn drone_frequency_hz(&self, partial: usize) -> f64 {
        self.drone.current_frequency_hz(partial)
    }

    fn is_monophonic(&self) -> bool {
        self.settings.voices == 1
    }

    /// Releases every note (sustained ones too) and forgets the keys held.
    fn release_every_note(&mut self) {
        self.held.release_all();
        for voice in &mut self.voices {
            voice.release();
        }
    }

    /// Starts `note` on a voice of its own, stealing one if all are playing.
    fn start_note(&mut self, note: NoteRef, velocity: f32) {
        // The same key pressed again: the note sounding on it lets go.
        for voice in &mut self.voices {
            if matches!(voice.state, VoiceState::Held | VoiceState::Sustained)
                && voice.note.channel == note.channel
                && voice.note.key == note.key
            {
                voice.release();
            }
        }
        if allocation::playing(&self.voices) >= self.settings.voices
            && let Some(victim) = allocation::victim(&self.voices)
        {
            self.voices[victim].fade_out();
        }
        // The newest note always sounds: with no slot free (a burst of notes at one instant,
        // or more steals within a fade-out than there are slots) it takes the place of the
        // stolen voice nearest silence, which ends here.
        if let Some(slot) = allocation::slot_for_new_note(&self.voices) {
            if self.voices[slot].is_sounding() {
                let cut = self.voices[slot].note;
                self.ended.push(cut, 0);
            }
            let sound = self.sound_of(note);
            self.notes_started += 1;
            self.voices[slot].start(note, velocity, self.notes_started, &sound);
        }
    }

    /// One-voice play: the voice follows the latest key held, legato, gliding if a glide time
    /// is set; with no key held it releases.
    fn play_held(&mut self) {
        // A held key that a new tuning left silent plays nothing: it is let go here (for the
        // host it ended when a later key took the voice, or ends below as the voice moves on),
        // and the key held under it plays.
        while let Some(silent) = self.held.current()
            && self.key_hz(silent.note, 0.0).is_none()
        {
            self.held.forget(&NoteMatch {
                id: silent.note.id,
                channel: Some(silent.note.channel),
                key: Some(silent.note.key),
            });
        }
        let Some(current) = self.held.current() else {
            self.voices[0].release();
            return;
        };
        let voice = &self.voices[0];
        if !voice.is_sounding() {
            let sound = self.sound_of(current.note);
            self.notes_started += 1;
            self.voices[0].start(current.note, current.velocity, self.notes_started, &sound);
            return;
        }
        if voice.note == current.note && voice.state == VoiceState::Held {
            return;
        }
        if voice.note.id != current.note.id {
            // For the host the old note ends here, and its modulation with it (the retune
            // and the refresh below follow the detune and depths back to the settings').
            let old = voice.note;
            self.ended.push(old, 0);
            let settings = self.settings;
            self.voices[0].forget_modulation(&settings);
            // And its expressions (the new note's come addressed to it).
            self.voices[0].expressions = NoteExpressions::AT_REST;
        }
        let voice = &mut self.voices[0];
        voice.note = current.note;
        voice.tuning_semitones = 0.0;
        voice.set_pan_expression(0.0, &self.settings.pans);
        voice.retrigger(current.velocity, &self.settings.touch);
        let glide_ms = self.settings.midi_glide_ms;
        let motion = if glide_ms > 0.0 {
            Motion::Smooth
        } else {
            Motion::Jump
        };
        self.retune(0, [motion; PARTIAL_COUNT], glide_ms);
        self.refresh_moved();
    }

    fn control_change(&mut self, channel: Channel, controller: u8, value: f32) {
        match controller {
            SUSTAIN_PEDAL_CC => self.sustain(value >= 0.5),
            ALL_SOUND_OFF_CC => {
                self.held.release_all();
                for voice in &mut self.voices {
                    voice.fade_out();
                }
            }
            ALL_NOTES_OFF_CC => {
                self.release_every_note();
            }
            RESET_ALL_CONTROLLERS_CC => {
                self.sustain(false);
                if self.wheels.set(channel, 0.0) {
                    self.retune_wheel(channel);
                }
                self.movement.set_wheel(channel, 0.0);
                self.movement.set_pressure(channel, 0.0);
                self.movement.set_timbre(channel, 64.0 / 127.0);
                self.refresh_moved();
            }
            TIMBRE_CC => {
                self.movement.set_timbre(channel, value);
                self.refresh_moved();
            }
            MOD_WHEEL_CC => {
                self.movement.set_wheel(channel, value);
                self.refresh_moved();
            }
            _ => {}
        }
    }

    /// Presses or lifts the sustain pedal; lifting it releases the notes it held.
    fn sustain(&mut self, down: bool) {
        self.pedal_down = down;
        if self.is_monophonic() {
            let before = self.held.current();
            self.held.sustain(down);
            if self.held.current() != before {
                self.play_held();
            }
        } else if !down {
            for voice in &mut self.voices {
                if voice.state == VoiceState::Sustained {
                    voice.release();
                }
            }
        }
    }

    /// What a note starting now plays with the settings and bends (a new note has no tuning
    /// expression yet).
    fn sound_of(&self, note: NoteRef) -> VoiceSound {
        VoiceSound {
            frequencies_hz: self.partials_for(note, 0.0).unwrap_or([0.0; PARTIAL_COUNT]),
            levels: self.settings.levels,
            gain: self.settings.gain,
            touch: self.settings.touch,
            lfo: self
                .movement
                .start_voice(self.clock, self.notes_started + 1),
            moved: self.movement.moves(
                &self
                    .movement
                    .controls(note.channel, &NoteExpressions::AT_REST),
            ),
            pans: self.settings.pans,
            unison: self.settings.unison,
        }
    }

    /// Moves voice `slot`'s partials to where its note belongs now; fades it out if its key
    /// went silent (a new tuning).
    fn retune(&mut self, slot: usize, motions: [Motion; PARTIAL_COUNT], glide_ms: f64) {
        let voice = &self.voices[slot];
        match self.partials_for(voice.note, voice.tuning_semitones) {
            Some(frequencies) => self.voices[slot].move_partials(frequencies, motions, glide_ms),
            None => self.voices[slot].fade_out(),
        }
    }

    /// Glides the notes `wheel`'s channel bends to their new pitch.
    fn retune_wheel(&mut self, wheel: Channel) {
        let wheels = self.wheels;
        self.retune_all(|note| wheels.reaches(wheel, note.channel));
    }

    /// Glides the sounding voices whose notes `affected` picks to where they belong now (the
    /// wheel sends steps; a short glide turns them into a smooth bend).
    fn retune_all(&mut self, affected: impl Fn(&NoteRef) -> bool) {
        for slot in 0..VOICE_SLOTS {
            let voice = &self.voices[slot];
            if voice.is_sounding() && affected(&voice.note) {
                self.retune(slot, [Motion::Smooth; PARTIAL_COUNT], GLIDE_MS);
            }
        }
    }
}

/// `settings` with every value made playable.
fn sanitized(mut settings: Settings) -> Settings {
    settings.frequencies_hz = settings.frequencies_hz.map(sanitize_frequency);
    settings.voices = settings.voices.clamp(1, MAX_VOICES);
    settings.scale_partials.degrees = settings
        .scale_partials
        .degrees
        .map(|d| d.clamp(-MAX_PARTIAL_DEGREES, MAX_PARTIAL_DEGREES));
    settings.unison = settings.unison.sanitized();
    if !settings.midi_glide_ms.is_finite() {
        settings.midi_glide_ms = 0.0;
    }
    settings.midi_glide_ms = settings.midi_glide_ms.max(0.0);
    settings.bend_range_semitones = if settings.bend_range_semitones.is_finite() {
        settings
            .bend_range_semitones
            .clamp(0.0, MAX_BEND_RANGE_SEMITONES)
    } else {
        DEFAULT_BEND_RANGE_SEMITONES
    };
    settings
}

#[cfg(test)]
mod tests;
