//! Quintet: a bank of five phase-continuous sine partials as a CLAP/VST3 instrument.
//!
//! Data flows one way: host → [`params`] → this glue → [`dsp`] → output channels. For each block
//! the glue:
//!
//! - turns parameter changes into glides and ramps (automation, the editor) or jumps (a state
//!   load) at the sample they happen, and switches between drone and MIDI mode;
//! - in MIDI mode, applies note, pitch-bend and controller events at their sample: the partials
//!   move together to the played pitch and the note gate opens and closes;
//! - copies the bank's output to every channel;
//! - feeds the editor's [`tap`] with that output while the editor window is open.

pub mod dsp;
pub mod editor;
pub mod params;
pub mod spectrum;
pub mod tap;

use dsp::envelope::NoteEnvelope;
use dsp::voice::MonoVoice;
use dsp::{GLIDE_MS, PARTIAL_COUNT, PartialBank};
use nice_plug::midi::Key;
use nice_plug::prelude::*;
use nice_plug_egui::{EguiEditorState, RepaintNotifier};
use params::{QuintetParams, range_bounds};
use std::num::NonZeroU32;
use std::sync::Arc;

/// The plugin instance: parameters shared with host and editor, and the bank the audio thread
/// renders.
pub struct Quintet {
    params: Arc<QuintetParams>,
    /// Rebuilt (without allocating) on every activation for the new sample rate.
    bank: PartialBank,
    /// Shared with the editor; the audio thread reads whether its window is open.
    editor_state: Arc<EguiEditorState>,
    /// Wakes the editor when the tap has new samples; shared with the editor.
    editor_repaint: RepaintNotifier,
    /// Audio end of the tap to the editor. Made by [`Plugin::editor`], which every nice-plug
    /// wrapper (CLAP, VST3, standalone) calls once while it builds the plugin, so in a host it
    /// is always there; `None` only for an instance used without a wrapper. It costs the audio
    /// thread next to nothing while no editor window is open: [`write`](tap::TapWriter::write)
    /// then copies nothing.
    tap: Option<tap::TapWriter>,
    /// The note gate: holds 1 (transparent) as a drone, opens and closes with notes in MIDI mode.
    envelope: NoteEnvelope,
    /// MIDI mode's held notes and pitch bend. Audio thread only.
    voice: MonoVoice,
    /// Whether MIDI mode was on at the last block, to notice the parameter switching.
    midi_mode: bool,
    /// In MIDI mode, the pitch partial 1 plays (Hz): the last note played, bent. `None` until a
    /// note arrives and as a drone; kept through the release so the tail does not change pitch.
    played_hz: Option<f64>,
    /// Each partial's mute as the bank last heard it, so a mute switching ramps.
    muted: [bool; PARTIAL_COUNT],
    /// Whether the host activated the plugin at a sample rate it cannot play at (not finite, not
    /// above 0): then it runs at [`STAND_IN_SAMPLE_RATE_HZ`] and outputs exact silence until it
    /// is activated at a usable rate. Refusing to activate instead crashed JUCE hosts:
    /// DawDreamer processes anyway, and nice-plug's VST3 wrapper then panics in its buffer
    /// management and aborts the host.
    silenced: bool,
    /// What `follow_parameters` last acted on.
    followed: ParameterInputs,
    /// Makes the next `follow_parameters` look at every parameter, whatever `followed` says
    /// (after activation or a reset). A flag rather than an `Option` around
    /// `followed`: comparing an `Option` of the struct made the compiler copy it on every
    /// block, a visible cost at 1-sample blocks.
    follow_all: bool,
}

/// Everything [`Quintet::follow_parameters`] reads, as bit patterns. When a block starts with
/// the same inputs as the last one nothing can have changed for the bank, and the block skips
/// the parameter work: at 64-sample blocks that work was a visible share of the plugin's cost.
/// (A NaN compares equal to itself here, which is harmless: the bank ignores non-finite values
/// anyway.)
#[derive(Clone, Copy, Default, PartialEq, Eq)]
struct ParameterInputs {
    /// The five frequency parameters' `f32` bits.
    frequencies: [u32; PARTIAL_COUNT],
    /// The five level parameters' `f32` bits.
    levels: [u32; PARTIAL_COUNT],
    mutes: [bool; PARTIAL_COUNT],
    /// The gain parameter's `f32` bits.
    gain: u32,
    midi: bool,
    /// The played pitch's `f64` bits, in MIDI mode once a note arrived.
    played_hz: Option<u64>,
}

impl ParameterInputs {
    fn read(params: &QuintetParams, played_hz: Option<f64>) -> Self {
        let bits = |param: &FloatParam| param.value().to_bits();
        Self {
            frequencies: params.frequencies().map(bits),
            levels: params.levels().map(bits),
            mutes: params.mutes().map(BoolParam::value),
            gain: bits(&params.gain),
            midi: params.midi.value(),
            played_hz: played_hz.map(f64::to_bits),
        }
    }
}

impl Default for Quintet {
    fn default() -> Self {
        let params = Arc::new(QuintetParams::default());
        let bank = PartialBank::new(48_000.0, current_frequencies(&params));
        Self {
            params,
            bank,
            editor_state: editor::default_state(),
            editor_repaint: RepaintNotifier::new(),
            tap: None,
            envelope: NoteEnvelope::new(48_000.0, 1.0),
            voice: MonoVoice::default(),
            midi_mode: false,
            played_hz: None,
            muted: [false; PARTIAL_COUNT],
            followed: ParameterInputs::default(),
            follow_all: true,
            silenced: false,
        }
    }
}

fn current_frequencies(params: &QuintetParams) -> [f64; PARTIAL_COUNT] {
    params
        .frequencies()
        .map(|param| f64::from(value_in_range(param)))
}

/// The parameter's value, inside its range. Restored states are clamped where they are loaded
/// ([`params::clamp_restored_values`]); this second guard keeps what reaches the DSP in range
/// whatever path a value took.
///
/// This runs for every parameter in every block, so the bounds come straight from the range
/// rather than from `preview_plain(0.0)` and `(1.0)`, which evaluate the skew's `powf` (that was
/// 60% of `process` at 64-sample blocks).
fn value_in_range(param: &FloatParam) -> f32 {
    let (min, max) = range_bounds(&param.range());
    param.value().clamp(min, max)
}

/// Each partial's own level: its level parameter, or silence when muted.
fn current_levels(params: &QuintetParams) -> [f32; PARTIAL_COUNT] {
    let (levels, mutes) = (params.levels(), params.mutes());
    std::array::from_fn(|k| {
        if mutes[k].value() {
            0.0
        } else {
            value_in_range(levels[k])
        }
    })
}

// The MIDI control changes MIDI mode answers to.

/// The sustain (damper) pedal: at 64 and above, released keys keep sounding until it lifts.
const SUSTAIN_PEDAL_CC: u8 = 64;
/// Channel mode message: silence every note now (Quintet still fades out in 20 ms, without a
/// click).
const ALL_SOUND_OFF_CC: u8 = 120;
/// Channel mode message: pedal up, wheel centred.
const RESET_ALL_CONTROLLERS_CC: u8 = 121;
/// Channel mode message: release every note, sustained ones too (what a host's panic button
/// sends).
const ALL_NOTES_OFF_CC: u8 = 123;

impl Quintet {
    /// Puts the bank exactly on the parameters' current values, with no glide, forgets any notes
    /// and opens (drone) or shuts (MIDI mode) the gate.
    fn snap_to_parameters(&mut self) {
        self.follow_all = true;
        self.voice.release_all();
        self.played_hz = None;
        self.midi_mode = self.params.midi.value();
        let gate = if self.midi_mode { 0.0 } else { 1.0 };
        self.envelope = NoteEnvelope::new(self.bank.sample_rate_hz(), gate);
        for (index, hz) in self.partial_targets().into_iter().enumerate() {
            self.bank.jump_to(index, hz);
        }
        self.muted = self.params.mutes().map(BoolParam::value);
        for (index, level) in current_levels(&self.params).into_iter().enumerate() {
            self.bank.jump_level_to(index, level);
        }
        self.bank.jump_gain_to(value_in_range(&self.params.gain));
    }

    /// Where the five partials belong: the frequency parameters as a drone; in MIDI mode, moved
    /// together so partial 1 sits on the played pitch and the others keep their ratios to it.
    fn partial_targets(&self) -> [f64; PARTIAL_COUNT] {
        let frequencies = current_frequencies(&self.params);
        match self.played_hz {
            Some(played_hz) => std::array::from_fn(|k| {
                if k == 0 {
                    played_hz
                } else {
                    played_hz * (frequencies[k] / frequencies[0])
                }
            }),
            None => frequencies,
        }
    }

    /// Sends the partials to [`partial_targets`](Self::partial_targets): at once, or gliding
    /// over `glide_ms` milliseconds.
    fn move_partials(&mut self, glide_ms: Option<f64>) {
        for (index, hz) in self.partial_targets().into_iter().enumerate() {
            if hz != self.bank.target_frequency_hz(index) {
                match glide_ms {
                    Some(ms) if ms > 0.0 => self.bank.glide_to_over(index, hz, ms),
                    _ => self.bank.jump_to(index, hz),
                }
            }
        }
    }

    /// Switches between drone and MIDI mode: the gate opens for the drone and shuts until the
    /// first note in MIDI mode; the partials glide back to the frequency parameters.
    fn switch_midi_mode(&mut self, midi_mode: bool) {
        self.midi_mode = midi_mode;
        self.voice.release_all();
        self.played_hz = None;
        if midi_mode {
            self.envelope.close();
        } else {
            self.envelope.open(1.0);
            self.move_partials(Some(GLIDE_MS));
        }
    }

    /// Plays the voice's current note: partial 1 to its pitch (gliding from a note still
    /// sounding if a MIDI glide time is set), the gate to its velocity; shuts the gate when no
    /// note is held.
    fn play_current_note(&mut self) {
        let Some(held) = self.voice.current() else {
            self.envelope.close();
            return;
        };
        let glide_ms = if self.envelope.is_silent() {
            None
        } else {
            Some(f64::from(self.params.midi_glide.value()))
        };
        self.played_hz = Some(self.voice.pitch_hz(held.note));
        self.move_partials(glide_ms);
        self.envelope.open(held.velocity);
    }

    /// Applies one note event at its sample. Notes are ignored as a drone.
    fn handle_note(&mut self, event: NoteEvent<()>) {
        if !self.midi_mode {
            return;
        }
        match event {
            NoteEvent::NoteOn {
                key: Key::Number(note),
                velocity,
                ..
            } => {
                self.voice.note_on(note, velocity);
                self.play_current_note();
            }
            NoteEvent::NoteOff { key, .. } | NoteEvent::Choke { key, .. } => {
                let before = self.voice.current();
                match key {
                    Key::Number(note) => self.voice.note_off(note),
                    Key::Wildcard => self.voice.release_all(),
                }
                if self.voice.current() != before {
                    self.play_current_note();
                }
            }
            NoteEvent::MidiPitchBend { value, .. } => {
                self.voice.bend(value);
                self.follow_bend();
            }
            NoteEvent::MidiCC { cc, value, .. } => {
                let before = self.voice.current();
                match cc {
                    SUSTAIN_PEDAL_CC => self.voice.sustain(value >= 0.5),
                    ALL_SOUND_OFF_CC | ALL_NOTES_OFF_CC => self.voice.release_all(),
                    RESET_ALL_CONTROLLERS_CC => {
                        self.voice.reset_controllers();
                        self.follow_bend();
                    }
                    _ => return,
                }
                if self.voice.current() != before {
                    self.play_current_note();
                }
            }
            _ => {}
        }
    }

    /// Moves a sounding note to the voice's current bend.
    fn follow_bend(&mut self) {
        if let (Some(_), Some(held)) = (self.played_hz, self.voice.current()) {
            // The wheel sends steps; a short glide turns them into a smooth bend.
            self.played_hz = Some(self.voice.pitch_hz(held.note));
            self.move_partials(Some(GLIDE_MS));
        }
    }

    /// Renders `out` (the first channel), applying note events at their samples.
    fn render_with_notes(&mut self, out: &mut [f32], context: &mut impl ProcessContext<Self>) {
        let mut next = context.next_event();
        let mut start = 0;
        while start < out.len() {
            while let Some(event) = next
                && event.timing() as usize <= start
            {
                self.handle_note(event);
                next = context.next_event();
            }
            let end = next.map_or(out.len(), |e| (e.timing() as usize).min(out.len()));
            let block = &mut out[start..end];
            self.bank.render(block);
            self.envelope.apply(block);
            start = end;
        }
        // Events stamped at or after the block's end still count.
        while let Some(event) = next {
            self.handle_note(event);
            next = context.next_event();
        }
    }

    /// Hands parameter changes to the bank before rendering `block_len` samples. With
    /// sample-accurate automation the framework splits blocks at each event, so this runs at the
    /// event's sample. A change the framework is smoothing came from automation or the editor and
    /// glides; one it is not smoothing came from a state load and jumps. (The framework's
    /// smoothers are only advanced on blocks that change their group; their one job here is that
    /// distinction, which a state load resets.)
    ///
    /// Only the groups whose inputs moved since the last block are looked at: a host automating
    /// the frequencies densely (an event every few samples) pays for the frequencies alone.
    fn follow_parameters(&mut self, block_len: u32) {
        let inputs = ParameterInputs::read(&self.params, self.played_hz);
        if !self.follow_all && inputs == self.followed {
            return;
        }
        if inputs.midi != self.midi_mode {
            self.switch_midi_mode(inputs.midi);
        }
        let last = &self.followed;
        let (frequencies_moved, levels_moved, gain_moved) = if self.follow_all {
            (true, true, true)
        } else {
            (
                last.frequencies != inputs.frequencies
                    || last.played_hz != inputs.played_hz
                    || last.midi != inputs.midi,
                last.levels != inputs.levels || last.mutes != inputs.mutes,
                last.gain != inputs.gain,
            )
        };
        if frequencies_moved {
            self.follow_frequencies(block_len);
        }
        if levels_moved {
            self.follow_levels(block_len);
        }
        if gain_moved {
            self.follow_gain(block_len);
        }
        // What was read before acting: a value changed meanwhile differs from it next block.
        self.followed = inputs;
        self.follow_all = false;
    }

    /// Glides (automation) or jumps (state load) each partial whose target moved.
    fn follow_frequencies(&mut self, block_len: u32) {
        let frequencies = self.params.frequencies();
        let targets = self.partial_targets();
        for (index, param) in frequencies.into_iter().enumerate() {
            if targets[index] != self.bank.target_frequency_hz(index) {
                // In MIDI mode partial 1's parameter moves the others too.
                let smoothing = param.smoothed.is_smoothing()
                    || (self.played_hz.is_some() && frequencies[0].smoothed.is_smoothing());
                if smoothing {
                    self.bank.glide_to(index, targets[index]);
                } else {
                    self.bank.jump_to(index, targets[index]);
                }
            }
            param.smoothed.next_step(block_len);
        }
    }

    /// Ramps (automation, a mute switching) or sets (state load) each partial's level.
    fn follow_levels(&mut self, block_len: u32) {
        let levels = current_levels(&self.params);
        for (index, (param, mute)) in self
            .params
            .levels()
            .into_iter()
            .zip(self.params.mutes())
            .enumerate()
        {
            if levels[index] != self.bank.target_level(index) {
                // A mute switching ramps like a level move, so it never clicks.
                if param.smoothed.is_smoothing() || mute.value() != self.muted[index] {
                    self.bank.ramp_level_to(index, levels[index]);
                } else {
                    self.bank.jump_level_to(index, levels[index]);
                }
            }
            self.muted[index] = mute.value();
            param.smoothed.next_step(block_len);
        }
    }

    /// Ramps (automation) or sets (state load) the output gain.
    fn follow_gain(&mut self, block_len: u32) {
        let gain = &self.params.gain;
        let target_gain = value_in_range(gain);
        if target_gain != self.bank.target_gain() {
            if gain.smoothed.is_smoothing() {
                self.bank.ramp_gain_to(target_gain);
            } else {
                self.bank.jump_gain_to(target_gain);
            }
        }
        gain.smoothed.next_step(block_len);
    }
}

impl Plugin for Quintet {
    const NAME: &'static str = "Quintet";
    const VENDOR: &'static str = "Quintet developers";
    const URL: &'static str = env!("CARGO_PKG_HOMEPAGE");
    const EMAIL: &'static str = "quintet@example.invalid";
    const VERSION: &'static str = env!("CARGO_PKG_VERSION");

    const AUDIO_IO_LAYOUTS: &'static [AudioIOLayout] = &[
        AudioIOLayout {
            main_input_channels: None,
            main_output_channels: NonZeroU32::new(2),
            ..AudioIOLayout::const_default()
        },
        AudioIOLayout {
            main_input_channels: None,
            main_output_channels: NonZeroU32::new(1),
            ..AudioIOLayout::const_default()
        },
    ];

    const SAMPLE_ACCURATE_AUTOMATION: bool = true;
    // Notes and pitch bend. nice-plug delivers pitch bend (`MidiPitchBend`) only at `MidiCCs`.
    // VST3 has no MIDI input of its own: a host turns the wheel into a parameter it finds
    // through IMidiMapping, so nice-plug gives the VST3 2,080 hidden, read-only MIDI parameters
    // (128 CCs, pressure and bend on 16 channels). DAWs hide them; pedalboard lists them and
    // probes each one's text, so it takes ~25 s to load the VST3 (see README). CLAP is unaffected.
    const MIDI_INPUT: MidiConfig = MidiConfig::MidiCCs;

    type Editor = editor::QuintetEditor;
    type SysExMessage = ();
    type BackgroundTask = ();

    fn params(&self) -> Arc<dyn Params> {
        self.params.clone()
    }

    /// A state saved by a newer Quintet still holds the permanent parameter ids this one knows:
    /// those load, anything else is ignored, and the log says so.
    ///
    /// Every restored value is clamped to its parameter's range here, in one place for all of
    /// them: nice-plug stores a restored plain value as the state says.
    fn filter_state(state: &mut PluginState) {
        params::add_missing_new_parameters(&mut state.params);
        params::clamp_restored_values(&mut state.params);
        if is_newer_version(&state.version, Self::VERSION) {
            nice_warn!(
                "Loading a state saved by Quintet {} into Quintet {}: settings this version \
                 does not know are ignored",
                state.version,
                Self::VERSION
            );
        }
    }

    fn editor(&mut self, _async_executor: AsyncExecutor<Self>) -> Option<Self::Editor> {
        let (writer, reader) = tap::tap(self.bank.sample_rate_hz() as f32);
        self.tap = Some(writer);
        editor::create(
            self.params.clone(),
            self.editor_state.clone(),
            self.editor_repaint.clone(),
            reader,
        )
    }

    fn activate(
        &mut self,
        _audio_io_layout: &AudioIOLayout,
        buffer_config: &BufferConfig,
        _context: &mut impl ActivateContext<Self>,
    ) -> bool {
        let mut sample_rate_hz = f64::from(buffer_config.sample_rate);
        self.silenced = !(sample_rate_hz.is_finite() && sample_rate_hz > 0.0);
        if self.silenced {
            nice_error!(
                "Cannot play at a sample rate of {sample_rate_hz} Hz: Quintet outputs silence \
                 until the host activates it at a usable rate"
            );
            sample_rate_hz = STAND_IN_SAMPLE_RATE_HZ;
        }
        self.bank = PartialBank::new(sample_rate_hz, current_frequencies(&self.params));
        self.snap_to_parameters();
        if let Some(tap) = &mut self.tap {
            tap.set_sample_rate(sample_rate_hz as f32);
        }
        true
    }

    fn reset(&mut self) {
        self.bank.reset_phases();
        self.snap_to_parameters();
    }

    fn process(
        &mut self,
        buffer: &mut Buffer,
        _aux: &mut AuxiliaryBuffers,
        context: &mut impl ProcessContext<Self>,
    ) -> ProcessStatus {
        if self.silenced {
            for channel in buffer.as_slice() {
                channel.fill(0.0);
            }
            return ProcessStatus::KeepAlive;
        }
        self.follow_parameters(buffer.samples() as u32);
        if let Some((first, others)) = buffer.as_slice().split_first_mut() {
            self.render_with_notes(first, context);
            for channel in others {
                copy_samples(first, channel);
            }
            // A copy for the editor, only while its window is open.
            if let Some(tap) = &mut self.tap
                && tap.write(first, self.editor_state.is_open())
            {
                self.editor_repaint.request_repaint();
            }
        }
        // An instrument that plays without notes: never let the host put it to sleep.
        ProcessStatus::KeepAlive
    }
}

/// The rate the plugin runs at when the host's cannot be used (see `Quintet::silenced`), in Hz.
const STAND_IN_SAMPLE_RATE_HZ: f64 = 48_000.0;

/// Copies `from` into `to` (same length). A few samples are copied in place: hosts send blocks of
/// one sample, where a call to `memcpy` cost as much as computing the sample.
#[inline]
fn copy_samples(from: &[f32], to: &mut [f32]) {
    if from.len() < 8 {
        for (to, from) in to.iter_mut().zip(from) {
            *to = *from;
        }
    } else {
        to.copy_from_slice(from);
    }
}

/// Whether `version` ("major.minor.patch") is newer than `ours`; an unreadable version counts as
/// newer, so a state of unknown origin is reported too.
fn is_newer_version(version: &str, ours: &str) -> bool {
    let parse = |v: &str| -> Option<Vec<u64>> { v.split('.').map(|n| n.parse().ok()).collect() };
    match (parse(version), parse(ours)) {
        (Some(theirs), Some(ours)) => theirs > ours,
        _ => true,
    }
}

impl ClapPlugin for Quintet {
    const CLAP_ID: &'static str = "org.quintet.quintet";
    const CLAP_DESCRIPTION: Option<&'static str> =
        Some("Five phase-continuous sine partials with automatable frequencies");
    const CLAP_MANUAL_URL: Option<&'static str> = None;
    const CLAP_SUPPORT_URL: Option<&'static str> = None;
    const CLAP_FEATURES: &'static [ClapFeature] = &[
        ClapFeature::Instrument,
        ClapFeature::Synthesizer,
        ClapFeature::Stereo,
        ClapFeature::Mono,
    ];
}

impl Vst3Plugin for Quintet {
    const VST3_CLASS_ID: [u8; 16] = *b"QuintetFiveSines";
    const VST3_SUBCATEGORIES: &'static [Vst3SubCategory] =
        &[Vst3SubCategory::Instrument, Vst3SubCategory::Synth];
}

nice_export_clap!(Quintet);
nice_export_vst3!(Quintet);
