//! Quintet: five phase-continuous sine partials as a CLAP/VST3 instrument — a drone, or a
//! polyphonic synth whose voices each play the five partials on their note.
//!
//! Data flows one way: host → [`params`] → this glue → [`engine`] → output channels. The glue
//! only translates: for each block it
//!
//! - hands parameter changes to the engine at the sample they happen: smoothly (automation, the
//!   editor), or switching at once without a click (a state or preset load, recorded in
//!   [`params::loads`]);
//! - turns nice-plug's note, controller, expression and polyphonic-modulation events into the
//!   engine's plain [`NoteInput`]s at their samples, and tells the host which voices ended;
//! - lets an MTS-ESP master tune the notes ([`mts`]): each note-on's key, and once a block the
//!   keys of the notes sounding;
//! - renders the engine's two channels into the first two outputs (a mono layout gets their
//!   mean, (L + R)/2), copying the last rendered one to any further channel;
//! - feeds the editor's [`tap`] with what plays (two channels: their mean) while the editor
//!   window is open.

pub mod clap_entry;
pub mod editor;
pub mod file_read;
pub mod keyboard_notes;
pub mod mts;
pub mod output_file;
pub mod params;
pub mod presets;
pub mod standalone;
pub mod tap;
pub mod tuning;
pub mod user_text;

// The sound lives in its own framework-free crate (core/); these keep its paths under
// `quintet::` for the glue, the render command and the tests.
pub use quintet_core::{dsp, engine, limits, midi_file, spectrum};

use dsp::PARTIAL_COUNT;
use dsp::samples::copy_samples;
use engine::{
    Engine, Expression, Modulated, Modulation, Motion, NoteInput, NoteMatch, NoteRef, VoiceEnd,
};
use nice_plug::midi::{Channel, Key, VoiceID};
use nice_plug::prelude::*;
use nice_plug_egui::{EguiEditorState, RepaintNotifier};
use params::inputs::{
    EVERY_PARAM, FREQUENCY_PARAMS, Group, Groups, Moved, ParameterInputs, group_of,
};
use params::loads::{LoadWatch, ParamSet};
use params::{Param, QuintetParams, modulated_by_id};
use quintet_core::params::audible_levels;
use std::num::NonZeroU32;
use std::sync::Arc;

/// The plugin instance: parameters shared with host and editor, and the engine the audio thread
/// renders.
pub struct Quintet {
    params: Arc<QuintetParams>,
    /// Rebuilt (without allocating on the audio thread) on every activation for the new rate.
    engine: Engine,
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
    /// Notes played in the editor (its keys, the computer keyboard), made with the tap.
    keyboard: Option<keyboard_notes::KeyboardReceiver>,
    /// The voice capacity last reported to the host (CLAP voice-info), 0 before the first.
    reported_voices: usize,
    /// Whether the host activated the plugin at a sample rate it cannot play at (not finite, not
    /// above 0): then it runs at [`STAND_IN_SAMPLE_RATE_HZ`] and outputs exact silence until it
    /// is activated at a usable rate. Refusing to activate instead crashed JUCE hosts:
    /// DawDreamer processes anyway, and nice-plug's VST3 wrapper then panics in its buffer
    /// management and aborts the host.
    silenced: bool,
    /// What `follow_parameters` last acted on; it reads again only the parameters whose
    /// change the parameters recorded since (`QuintetParams::changes`).
    followed: ParameterInputs,
    /// Makes the next `follow_parameters` look at every parameter, whatever `followed` says
    /// (after activation or a reset). A flag rather than an `Option` around
    /// `followed`: comparing an `Option` of the struct made the compiler copy it on every
    /// block, a visible cost at 1-sample blocks.
    follow_all: bool,
    /// Which of the changes `follow_parameters` sees came from a load (the rest are
    /// automation or editor gestures).
    load_watch: LoadWatch,
    /// The audio thread's end of the tuning (`QuintetParams::tuning`): new key tables arrive
    /// here without a lock or an allocation.
    tuning: Option<tuning::TuningReceiver>,
    /// MTS-ESP (see [`mts`]): connected at the first activation; shared with the editor, which
    /// shows the master's scale.
    mts: Arc<mts::Mts>,
}

impl Default for Quintet {
    fn default() -> Self {
        let params = Arc::new(QuintetParams::default());
        standalone::restore_pending(&params);
        clap_entry::made_params::made(&params);
        let engine = Engine::new(STAND_IN_SAMPLE_RATE_HZ, params.engine_settings());
        let tuning = params.tuning.take_receiver();
        Self {
            tuning,
            params,
            engine,
            editor_state: editor::default_state(),
            editor_repaint: RepaintNotifier::new(),
            tap: None,
            keyboard: None,
            reported_voices: 0,
            followed: ParameterInputs::default(),
            follow_all: true,
            load_watch: LoadWatch::default(),
            silenced: false,
            mts: Arc::default(),
        }
    }
}

/// How a partial's frequency `param` moves to its new value: at once if a load set it
/// (`loaded`), gliding if host automation or an editor gesture did.
fn motion_of(param: Param, loaded: ParamSet) -> Motion {
    if loaded & (1 << param.index()) != 0 {
        Motion::Jump
    } else {
        Motion::Smooth
    }
}

/// Which notes a nice-plug event addresses.
fn note_match(voice_id: VoiceID, channel: Channel, key: Key) -> NoteMatch {
    NoteMatch {
        id: voice_id.id(),
        channel: channel.number(),
        key: key.number(),
    }
}

/// A per-note expression (polyphonic aftertouch, a CLAP note expression) of the note the event
/// addresses.
fn expression(
    voice_id: VoiceID,
    channel: Channel,
    key: Key,
    kind: Expression,
    value: f32,
) -> NoteInput {
    NoteInput::Expression {
        target: note_match(voice_id, channel, key),
        kind,
        value,
    }
}

impl Quintet {
    /// Puts the engine exactly on the parameters' current values, with no glide, and forgets
    /// any notes.
    fn snap_to_parameters(&mut self) {
        self.follow_all = true;
        self.engine.snap(self.params.engine_settings());
    }

    /// Applies one event at its sample.
    fn handle_event(&mut self, event: NoteEvent<()>) {
        let input = match event {
            NoteEvent::NoteOn {
                voice_id,
                channel,
                key: Key::Number(key),
                velocity,
                ..
            } => NoteInput::NoteOn {
                note: NoteRef {
                    id: voice_id.id(),
                    channel: channel.number().unwrap_or(0),
                    key,
                },
                velocity,
            },
            NoteEvent::NoteOff {
                voice_id,
                channel,
                key,
                ..
            } => NoteInput::NoteOff {
                target: note_match(voice_id, channel, key),
            },
            NoteEvent::Choke {
                voice_id,
                channel,
                key,
                ..
            } => NoteInput::Choke {
                target: note_match(voice_id, channel, key),
            },
            NoteEvent::MidiPitchBend { channel, value, .. } => NoteInput::PitchBend {
                channel,
                // nice-plug hands over the 14-bit wheel as value / 16383, which puts the rest
                // position a hair above 0.5; back to the wheel's steps, centred exactly.
                position: engine::pitch::wheel_position(
                    (value.clamp(0.0, 1.0) * 16383.0).round() as u16
                ),
            },
            NoteEvent::MidiCC {
                channel, cc, value, ..
            } => NoteInput::ControlChange {
                channel,
                controller: cc,
                value,
            },
            NoteEvent::PolyTuning {
                voice_id,
                channel,
                key,
                tuning,
                ..
            } => NoteInput::Tuning {
                target: note_match(voice_id, channel, key),
                semitones: tuning,
            },
            NoteEvent::PolyPan {
                voice_id,
                channel,
                key,
                pan,
                ..
            } => NoteInput::Pan {
                target: note_match(voice_id, channel, key),
                pan,
            },
            NoteEvent::PolyVolume {
                voice_id,
                channel,
                key,
                gain,
                ..
            } => NoteInput::Volume {
                target: note_match(voice_id, channel, key),
                gain,
            },
            NoteEvent::MidiChannelPressure {
                channel, pressure, ..
            } => NoteInput::ChannelPressure { channel, pressure },
            NoteEvent::PolyPressure {
                voice_id,
                channel,
                key,
                pressure,
                ..
            } => expression(voice_id, channel, key, Expression::Pressure, pressure),
            NoteEvent::PolyVibrato {
                voice_id,
                channel,
                key,
                vibrato,
                ..
            } => expression(voice_id, channel, key, Expression::Vibrato, vibrato),
            NoteEvent::PolyBrightness {
                voice_id,
                channel,
                key,
                brightness,
                ..
            } => expression(voice_id, channel, key, Expression::Brightness, brightness),
            NoteEvent::PolyExpression {
                voice_id,
                channel,
                key,
                expression: value,
                ..
            } => expression(voice_id, channel, key, Expression::Expression, value),
            NoteEvent::PolyModulation {
                voice_id,
                poly_modulation_id,
                normalized_offset,
                ..
            } => {
                if let Some(target) = modulated_by_id(poly_modulation_id) {
                    let value = modulated_value(&self.params, target, normalized_offset);
                    let modulation = Modulation {
                        offset: normalized_offset,
                        value,
                    };
                    self.engine.modulate_voice(voice_id, target, modulation);
                }
                return;
            }
            // The parameter's new value reaches every voice through `follow_parameters`, at
            // the sample the framework splits the block.
            _ => return,
        };
        self.play(input);
    }

    /// Hands `input` to the engine, a note-on tuned by the MTS-ESP master first (if any).
    fn play(&mut self, input: NoteInput) {
        if let NoteInput::NoteOn { note, .. } = input {
            self.mts.tune_note(&mut self.engine, note.channel, note.key);
        }
        self.engine.handle(input);
    }

    /// Plays what the editor's keyboard sent since the last block (notes, its pitch wheel and
    /// mod wheel), at its first sample, as a MIDI keyboard on channel 1 would.
    fn play_keyboard_notes(&mut self, block_len: usize, context: &mut impl ProcessContext<Self>) {
        while let Some(event) = self.keyboard.as_ref().and_then(|keyboard| keyboard.next()) {
            self.play(event.note_input());
            report_ended(&mut self.engine, 0, block_len, context);
        }
    }

    /// Renders `out` (the first channel; with `right`, the left one and `right` the right;
    /// alone, the mono sum), applying note events at their samples and telling the host about
    /// every voice that ended.
    fn render_with_notes(
        &mut self,
        out: &mut [f32],
        mut right: Option<&mut [f32]>,
        context: &mut impl ProcessContext<Self>,
    ) {
        let mut next = context.next_event();
        let mut start = 0;
        while start < out.len() {
            while let Some(event) = next
                && event.timing() as usize <= start
            {
                self.handle_event(event);
                report_ended(&mut self.engine, start, out.len(), context);
                next = context.next_event();
            }
            let end = next.map_or(out.len(), |e| (e.timing() as usize).min(out.len()));
            match &mut right {
                Some(right) => self
                    .engine
                    .render_stereo(&mut out[start..end], &mut right[start..end]),
                None => self.engine.render(&mut out[start..end]),
            }
            report_ended(&mut self.engine, start, out.len(), context);
            start = end;
        }
        // Events stamped at or after the block's end still count.
        while let Some(event) = next {
            self.handle_event(event);
            report_ended(&mut self.engine, out.len(), out.len(), context);
            next = context.next_event();
        }
    }

    /// What changed outside the audio thread since the last block that brought news
    /// (`QuintetParams::news`): the parameters, a tuning, and the voice capacity they set.
    /// The editor keyboard's notes are played with the block's first sample.
    fn follow_news(&mut self, context: &mut impl ProcessContext<Self>) {
        self.follow_parameters();
        if let Some(table) = self.tuning.as_mut().and_then(|tuning| tuning.new_table()) {
            self.engine.set_key_table(table);
        }
        let voices = self.engine.settings().voices;
        if voices != self.reported_voices {
            // CLAP hosts size their per-voice modulation to this (voice-info).
            context.set_current_voice_capacity(voices as u32);
            self.reported_voices = voices;
        }
    }

    /// Hands parameter changes to the engine before the block renders. With sample-accurate
    /// automation the framework splits blocks at each event, so this runs at the event's
    /// sample. Host automation and editor gestures glide the partials and ramp the levels and
    /// the gain. A load (a state, a preset: `params::loads` records which changes it made)
    /// switches the sound at once, as a musician switching presets while a note sounds
    /// expects, but never clicks: the partials jump to their new pitches with their phases
    /// running on (the waveform does not step), and the levels and the gain, whose jumps
    /// would step it, ramp over their usual 10 ms.
    ///
    /// Only the groups whose inputs moved since the last block are looked at: a host automating
    /// the frequencies densely (an event every few samples) reads and pays for the parameters
    /// it moved alone. A block with no change since the last (no parameter recorded one, and
    /// no load was announced) reads none.
    ///
    /// Called only in a block that brought news (`follow_news`); inlined, so that news
    /// without a parameter change (a tuning, a note from the editor's keyboard) pays two
    /// loads and a comparison, not a call.
    #[inline]
    fn follow_parameters(&mut self) {
        // What changed and the loads before the values: whatever is stored meanwhile shows
        // next block.
        let announced = self.params.loads.announced();
        let changed = self.params.changes.take();
        if self.follow_all || changed != 0 || self.load_watch.has_news(announced) {
            self.follow_changed_parameters(announced, changed);
        }
    }

    /// [`Self::follow_parameters`] once something changed: `changed` as the parameters
    /// recorded it, `announced` the loads' count read before it.
    fn follow_changed_parameters(&mut self, announced: u32, changed: ParamSet) {
        // Frequencies alone, moved by automation or a gesture (a host automating them
        // densely): what the general path below does then (nothing is a load's, every
        // partial glides), without its bookkeeping.
        if !self.follow_all
            && changed & !FREQUENCY_PARAMS == 0
            && self.load_watch.is_quiet(announced)
        {
            if self.followed.refresh_frequencies(&self.params, changed) {
                self.follow_frequencies(0);
            }
            return;
        }
        let moved = if self.follow_all {
            self.followed.refresh(&self.params, EVERY_PARAM);
            Moved {
                params: EVERY_PARAM,
                groups: Groups::ALL,
            }
        } else {
            self.followed.refresh(&self.params, changed)
        };
        let loaded =
            self.load_watch
                .loaded(&self.params.loads, announced, &self.followed, moved.params);
        // After activation or a reset the engine already stands on every value.
        let loaded = if self.follow_all { EVERY_PARAM } else { loaded };
        if moved.groups.contains(Group::Notes) {
            self.follow_note_parameters(moved.params);
        }
        if moved.groups.contains(Group::Midi) {
            self.engine
                .set_midi(self.params.switch(Param::MIDI).value());
        }
        if moved.groups.contains(Group::Frequencies) {
            self.follow_frequencies(loaded);
        }
        if moved.groups.contains(Group::Levels) {
            self.follow_levels();
        }
        if moved.groups.contains(Group::Gain) {
            self.follow_gain();
        }
        self.follow_all = false;
    }

    /// Voices, envelope, glide, bend range, movement, pans, unison: taken as they are (the
    /// engine smooths what needs it), and each voice's modulation of those in `moved` worked
    /// out again (polyphonic modulation is an offset from the parameter's own value).
    fn follow_note_parameters(&mut self, moved: ParamSet) {
        self.engine
            .set_note_settings(&self.params.engine_settings());
        if !self.engine.has_modulated_voices() {
            return;
        }
        for target in Modulated::ALL {
            let param = self.params.modulated_param(target);
            if group_of(param) == Group::Notes && moved & (1 << param.index()) != 0 {
                let params = &self.params;
                self.engine.remodulate(target, Motion::Smooth, |offset| {
                    modulated_value(params, target, offset)
                });
            }
        }
    }

    /// Glides (automation, a gesture) or jumps (a load) each partial, its phase running on.
    fn follow_frequencies(&mut self, loaded: ParamSet) {
        // A loop over the constant list rather than `map`: unrolled, each read knows its
        // parameter (a continuous one, its range) at compile time. The values as
        // `follow_changed_parameters` just read them (every frequency once, then the moved).
        let mut hz = [0.0; PARTIAL_COUNT];
        for (hz, param) in hz.iter_mut().zip(Param::FREQUENCIES) {
            *hz = self.followed.float_plain(param);
        }
        let motions = Param::FREQUENCIES.map(|param| motion_of(param, loaded));
        self.engine.set_frequencies(hz, motions);
    }

    /// Ramps each partial's level (a mute switching too), and each voice's modulated level,
    /// whatever moved it: a jump would click.
    fn follow_levels(&mut self) {
        let motions = [Motion::Smooth; PARTIAL_COUNT];
        let levels = audible_levels(|param| self.params.plain(param));
        self.engine.set_levels(levels, motions);
        if self.engine.has_modulated_voices() {
            for partial in 0..PARTIAL_COUNT {
                let target = Modulated::Level(partial);
                let params = &self.params;
                self.engine.remodulate(target, Motion::Smooth, |offset| {
                    modulated_value(params, target, offset)
                });
            }
        }
    }

    /// Ramps the output gain, and each voice's modulated gain, whatever moved it.
    fn follow_gain(&mut self) {
        self.engine
            .set_gain(self.params.plain(Param::GAIN) as f32, Motion::Smooth);
        if self.engine.has_modulated_voices() {
            let params = &self.params;
            self.engine
                .remodulate(Modulated::Gain, Motion::Smooth, |offset| {
                    modulated_value(params, Modulated::Gain, offset)
                });
        }
    }
}

/// The host's value of `target` for a voice it modulates by `offset` (normalized, added to the
/// parameter's own position); a muted partial stays silent.
fn modulated_value(params: &QuintetParams, target: Modulated, offset: f32) -> f32 {
    if let Modulated::Level(partial) = target
        && params.mutes()[partial.min(PARTIAL_COUNT - 1)].value()
    {
        return 0.0;
    }
    let param = params.modulated(target);
    param.preview_plain(param.unmodulated_normalized_value() + offset)
}

/// Tells the host about each voice that ended, `offset` samples into the block (of
/// `block_len` samples) plus where in the last render it ended (CLAP hosts free the voice's
/// modulators). A voice that fell silent on the block's last sample, or on an event stamped past
/// the block, is reported on its last sample: the host refuses later times.
fn report_ended(
    engine: &mut Engine,
    offset: usize,
    block_len: usize,
    context: &mut impl ProcessContext<Quintet>,
) {
    let last = block_len.saturating_sub(1);
    engine.take_ended(|VoiceEnd { note, sample }| {
        // A host without room for it loses the hint, nothing else: the voice has ended anyway.
        let _ = context.try_send_event(NoteEvent::VoiceTerminated {
            timing: (offset + sample).min(last) as u32,
            voice_id: note.id.map_or(VoiceID::Wildcard, VoiceID::ID),
            channel: Channel::Number(note.channel),
            key: Key::Number(note.key),
        });
    });
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
    /// Events a block may bring before nice-plug grows its queue on the audio thread (an
    /// allocation, logged as "Input event buffer filled up!"). With sample-accurate automation
    /// the VST3 wrapper queues every parameter point and note of a block; the default, 1,024,
    /// was filled by Steinberg's validator (24 parameters × 64 samples = 1,536 points) and would
    /// be by a DAW writing a point per sample for every parameter (24,576 at 1,024-sample
    /// blocks). The CLAP wrapper queues the notes of a block (tests/rt_alloc.rs sends 4,000).
    /// The queues are reserved, not touched, until events fill them: 24–48 bytes an event.
    const INPUT_EVENT_CAPACITY: usize = 32 * 1024;

    type Editor = editor::QuintetEditor;
    type SysExMessage = ();
    type BackgroundTask = ();

    fn params(&self) -> Arc<dyn Params> {
        self.params.clone()
    }

    /// A state saved by a newer Quintet still holds the permanent parameter ids this one knows:
    /// those load, anything else is ignored, and the log says so.
    ///
    /// A state saved under an earlier level law has its gain carried over, so it plays as loud
    /// as it did. Every restored value is clamped to its parameter's range here, in one place
    /// for all of them: nice-plug stores a restored plain value as the state says.
    fn filter_state(state: &mut PluginState) {
        params::add_missing_new_parameters(&mut state.params);
        params::carry_gain_to_current_law(&mut state.params, &mut state.fields);
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
        if !standalone::offers_editor() {
            return None;
        }
        standalone::wake_on_quit(&self.editor_repaint);
        let (writer, reader) = tap::tap(self.engine.sample_rate_hz() as f32);
        self.tap = Some(writer);
        let (notes, played) = keyboard_notes::keyboard_notes(&self.params.news);
        self.keyboard = Some(played);
        editor::create(
            self.params.clone(),
            self.editor_state.clone(),
            self.editor_repaint.clone(),
            reader,
            notes,
            self.mts.clone(),
        )
    }

    fn activate(
        &mut self,
        _audio_io_layout: &AudioIOLayout,
        buffer_config: &BufferConfig,
        context: &mut impl ActivateContext<Self>,
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
        self.engine = Engine::new(sample_rate_hz, self.params.engine_settings());
        if let Some(tuning) = &mut self.tuning {
            self.engine.set_key_table(tuning.table());
        }
        self.snap_to_parameters();
        // Loading and registering with libMTS stays off the audio thread: here, once.
        self.mts.connect();
        // Told here, on the main thread, and from `process` only when it changes: telling the
        // host from the audio thread sets up nice-plug's thread handle there (an allocation).
        self.reported_voices = self.engine.settings().voices;
        context.set_current_voice_capacity(self.reported_voices as u32);
        if let Some(tap) = &mut self.tap {
            tap.set_sample_rate(sample_rate_hz as f32);
        }
        true
    }

    fn reset(&mut self) {
        self.engine.reset_phases();
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
        // Most blocks (every one at 1-sample blocks without automation) bring no news: the
        // parameters, loads, tuning and editor keyboard are then not looked at.
        let news = self.follow_all || self.params.news.take();
        if news {
            self.follow_news(context);
        }
        if let Some(tempo_bpm) = context.transport().tempo {
            self.engine.set_tempo(tempo_bpm);
        }
        self.mts.follow(&mut self.engine);
        if let Some((first, others)) = buffer.as_slice().split_first_mut() {
            if news {
                self.play_keyboard_notes(first.len(), context);
            }
            let (mut second, others) = match others.split_first_mut() {
                Some((second, others)) => (Some(second), others),
                None => (None, others),
            };
            self.render_with_notes(first, second.as_mut().map(|s| &mut ***s), context);
            let last: &[f32] = second.as_deref().map_or(first, |s| s);
            for channel in others {
                copy_samples(last, channel);
            }
            // A copy for the editor (the mono sum of two channels), only while its window is
            // open.
            let engine = &self.engine;
            let open = self.editor_state.is_open();
            let describe = |playing: &mut _| engine.describe(playing);
            if let Some(tap) = &mut self.tap
                && match second {
                    Some(right) => tap.write_stereo_describing(first, right, open, describe),
                    None => tap.write_describing(first, open, describe),
                }
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
    /// Per-voice modulation of the partial levels and the gain, the LFO's vibrato, tremolo and
    /// brightness depths, the partials' pans and the unison's detune and width (each
    /// parameter declared `modulated` in the registry); a key struck again while its note
    /// still releases plays on a voice of its own.
    const CLAP_POLY_MODULATION_CONFIG: Option<PolyModulationConfig> = Some(PolyModulationConfig {
        max_voice_capacity: engine::MAX_VOICES as u32,
        supports_overlapping_voices: true,
    });
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

// The unit tests drive `Quintet` directly: leaving the two wrappers out of their build saves
// compiling nice-plug's CLAP and VST3 code a second time (a third of that build's time). The
// plugin the host tests load is the library built normally. The CLAP entry is Quintet's own
// (`clap_entry`): nice-plug's plugin factory plus preset discovery and preset-load.
#[cfg(not(test))]
nice_export_vst3!(Quintet);

#[cfg(test)]
mod tests {
    use super::*;

    /// Moves the first partial's frequency to the normalized `position` (as a state load does
    /// when `load`, else as automation does) and has `quintet` follow; returns the new value
    /// and the drone's frequency at the next sample.
    fn move_first_frequency(quintet: &mut Quintet, position: f32, load: bool) -> (f64, f64) {
        let param = Param::FREQUENCIES[0];
        // SAFETY: the pointer points into `quintet.params`, alive for the call and seen by no
        // other thread.
        unsafe {
            quintet
                .params
                .get(param)
                .as_ptr()
                ._internal_set_normalized_value(position)
        };
        if load {
            quintet.params.loaded_a_state();
        }
        quintet.follow_parameters();
        let value = quintet.params.plain(param);
        (value, quintet.engine.drone_frequency_hz(0))
    }

    /// The frequencies-alone path (`follow_changed_parameters`) glides what automation moved
    /// and leaves a load's frequency to the general path, which jumps.
    #[test]
    fn a_frequency_alone_glides_when_automated_and_jumps_when_loaded() {
        let mut quintet = Quintet::default();
        quintet.follow_parameters();
        let before = quintet.engine.drone_frequency_hz(0);
        let (automated, now) = move_first_frequency(&mut quintet, 0.3, false);
        assert_ne!(automated, before);
        assert_eq!(now, before, "a glide starts");
        let (loaded, now) = move_first_frequency(&mut quintet, 0.6, true);
        assert_eq!(now, loaded, "a load jumps");
        let (automated, now) = move_first_frequency(&mut quintet, 0.4, false);
        assert_ne!(automated, loaded);
        assert_eq!(now, loaded, "automation glides again");
    }
}
