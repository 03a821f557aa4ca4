//! [`QuintetHost`]: one plugin instance hosted through `clack-host` the way a DAW hosts it.
//!
//! Threads follow CLAP's model: the thread that calls [`QuintetHost::new`] is the plugin's main
//! thread (the instance is not `Send`), and every render runs `start_processing`/`process` on a
//! separate audio thread. All host-side allocation happens outside the plugin's `process` call, so
//! nice-plug's `assert_process_allocs` (armed in debug builds) only catches the plugin.

use clack_extensions::audio_ports::{
    AudioPortFlags, AudioPortInfoBuffer, AudioPortType, PluginAudioPorts,
};
use clack_extensions::audio_ports_config::{AudioPortsConfigBuffer, PluginAudioPortsConfig};
use clack_extensions::log::{HostLog, HostLogImpl, LogSeverity};
use clack_extensions::params::{
    HostParams, HostParamsImplMainThread, HostParamsImplShared, ParamClearFlags, ParamInfoBuffer,
    ParamInfoFlags, ParamRescanFlags, PluginParams,
};
use clack_extensions::state::{HostState, HostStateImpl, PluginState, StateError};
use clack_host::events::event_types::{MidiEvent, ParamModEvent, ParamValueEvent};
use clack_host::prelude::*;
use std::cell::Cell;
use std::ffi::{CStr, CString};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc::Receiver;

/// Quintet's CLAP plugin id.
pub const PLUGIN_ID: &CStr = c"org.quintet.quintet";

/// One plugin as the entry's factory describes it, before any instance exists.
#[derive(Clone, Debug)]
pub struct Descriptor {
    pub id: String,
    pub name: String,
    pub vendor: String,
    pub version: String,
    pub features: Vec<String>,
}

/// Loads the plugin binary's entry (see [`super::plugin_path`]) and lists its descriptors.
pub fn descriptors() -> Vec<Descriptor> {
    let entry = load_entry();
    let factory = entry.get_plugin_factory().expect("a plugin factory");
    let text = |s: Option<&CStr>| {
        s.map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default()
    };
    factory
        .plugin_descriptors()
        .map(|d| Descriptor {
            id: text(d.id()),
            name: text(d.name()),
            vendor: text(d.vendor()),
            version: text(d.version()),
            features: d
                .features()
                .map(|f| f.to_string_lossy().into_owned())
                .collect(),
        })
        .collect()
}

/// The plugin's entry, loaded once and kept loaded until the test process exits.
///
/// Keeping it loaded is deliberate. A Rust `cdylib` registers a thread-exit destructor that lives
/// inside the library on every thread that calls into it (rust-lang/rust#91979). When test
/// threads each loaded and unloaded the entry, a thread exiting while another test's `dlclose`
/// unmapped the library crashed with SIGSEGV in `__nptl_deallocate_tsd`. Linking the plugin with
/// `-z nodelete` would make it immune; until then the tests never unload it.
fn load_entry() -> PluginEntry {
    static ENTRY: OnceLock<PluginEntry> = OnceLock::new();
    ENTRY
        .get_or_init(|| {
            let path = super::plugin_path();
            // SAFETY: the library is Quintet's own CLAP binary, built from this repository.
            unsafe { PluginEntry::load(&path) }
                .unwrap_or_else(|e| panic!("loading {}: {e}", path.display()))
        })
        .clone()
}

/// What the plugin's params extension reports about one parameter. nice-plug exposes every
/// parameter as normalized 0..1, so `min`, `max` and `default` are normalized values.
#[derive(Clone, Debug, PartialEq)]
pub struct ParamDescription {
    pub id: ClapId,
    pub name: String,
    pub module: String,
    pub min: f64,
    pub max: f64,
    pub default: f64,
    pub flags: ParamInfoFlags,
}

/// One audio port as the audio-ports extension reports it.
#[derive(Clone, Debug, PartialEq)]
pub struct PortDescription {
    pub name: String,
    pub channel_count: u32,
    pub is_main: bool,
    /// `"mono"`, `"stereo"`, … or `None` if the plugin gave no type.
    pub port_type: Option<String>,
}

/// One selectable layout from the audio-ports-config extension.
#[derive(Clone, Debug, PartialEq)]
pub struct PortConfig {
    pub id: ClapId,
    pub name: String,
    pub input_port_count: u32,
    pub output_port_count: u32,
    /// Channel count of the main input port, `None` if there is none.
    pub main_input_channels: Option<u32>,
    /// Channel count and type of the main output port, `None` if there is none.
    pub main_output: Option<(u32, Option<String>)>,
}

/// A parameter change sent to the plugin as a CLAP `param_value` event.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ParamChange {
    /// Sample offset counted from the start of the render call that sends it.
    pub frame: usize,
    pub param: ClapId,
    /// The new value, normalized 0..1 (what nice-plug's CLAP parameters speak).
    pub normalized: f64,
}

/// An event a host sends to the plugin's `process`: a parameter change as the automation lane or
/// the host's GUI sends it, or a CLAP modulation (an offset in normalized units, added to the
/// parameter's value until the next modulation event replaces it), or a MIDI message from a
/// keyboard.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum HostEvent {
    Value(ParamChange),
    Mod(ParamChange),
    Midi(MidiMessage),
}

impl HostEvent {
    fn frame(&self) -> usize {
        match self {
            HostEvent::Value(change) | HostEvent::Mod(change) => change.frame,
            HostEvent::Midi(message) => message.frame,
        }
    }
}

/// A MIDI 1.0 message sent to the plugin's note port as a CLAP `midi` event.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct MidiMessage {
    /// Sample offset counted from the start of the render call that sends it.
    pub frame: usize,
    /// Status byte and two data bytes.
    pub data: [u8; 3],
}

impl MidiMessage {
    /// Control change numbers from the MIDI 1.0 specification (kept here, apart from the
    /// plugin's own, so a wrong number in the plugin fails the tests).
    /// The sustain (damper) pedal: down at 64 and above.
    pub const SUSTAIN_PEDAL: u8 = 64;
    /// The modulation wheel, which MIDI mode ignores.
    pub const MODULATION_WHEEL: u8 = 1;
    /// Channel mode messages.
    pub const ALL_SOUND_OFF: u8 = 120;
    pub const RESET_ALL_CONTROLLERS: u8 = 121;
    pub const ALL_NOTES_OFF: u8 = 123;

    /// Note on, channel 1, velocity 1..=127.
    pub fn note_on(frame: usize, note: u8, velocity: u8) -> HostEvent {
        HostEvent::Midi(Self {
            frame,
            data: [0x90, note, velocity],
        })
    }

    /// Note off, channel 1.
    pub fn note_off(frame: usize, note: u8) -> HostEvent {
        HostEvent::Midi(Self {
            frame,
            data: [0x80, note, 0],
        })
    }

    /// Control change `controller`, channel 1, `value` 0..=127.
    pub fn control_change(frame: usize, controller: u8, value: u8) -> HostEvent {
        HostEvent::Midi(Self {
            frame,
            data: [0xB0, controller & 0x7F, value & 0x7F],
        })
    }

    /// Pitch bend, channel 1: `value` 0..=16383, 8192 at rest.
    pub fn pitch_bend(frame: usize, value: u16) -> HostEvent {
        HostEvent::Midi(Self {
            frame,
            data: [0xE0, (value & 0x7F) as u8, (value >> 7) as u8],
        })
    }
}

/// Called on the audio thread with `true` right before every `process` call and `false` right
/// after it, with nothing of the host in between (e.g. to count the plugin's allocations).
pub type ProcessHook = fn(bool);

/// The audio a render produced: one `Vec` per output channel, all of the same length.
#[derive(Clone, Debug, PartialEq)]
pub struct Rendered {
    pub channels: Vec<Vec<f32>>,
}

impl Rendered {
    /// The first channel (left, or the only one in mono).
    pub fn left(&self) -> &[f32] {
        &self.channels[0]
    }

    pub fn len(&self) -> usize {
        self.channels.first().map_or(0, Vec::len)
    }
}

/// A hosted Quintet instance: create, inspect, activate, render, save and load.
///
/// Typical use:
/// ```ignore
/// let mut host = QuintetHost::new();
/// host.activate(48_000.0, 512);
/// let freq1 = host.param_id("Partial 1");
/// let to_1k = host.text_to_value(freq1, "1 kHz").unwrap();
/// let audio = host.render(48_000, &[ParamChange { frame: 256, param: freq1, normalized: to_1k }]);
/// let state = host.save_state();
/// ```
pub struct QuintetHost {
    instance: PluginInstance<TestHost>,
    params: PluginParams,
    state: PluginState,
    audio_ports: PluginAudioPorts,
    audio_ports_config: Option<PluginAudioPortsConfig>,
    active: Option<Activation>,
    process_hook: Option<ProcessHook>,
}

/// What exists only while the plugin is active.
struct Activation {
    processor: PluginAudioProcessor<TestHost>,
    sample_rate_hz: f64,
    max_block: usize,
    output_channels: usize,
    /// Frames processed since activation: CLAP's `steady_time`.
    steady_time: u64,
}

impl QuintetHost {
    /// Loads the plugin binary and creates one inactive instance on the current thread, which
    /// becomes the plugin's main thread.
    pub fn new() -> Self {
        let entry = load_entry();
        let host_info = HostInfo::new(
            "Quintet test host",
            "Quintet developers",
            "https://example.invalid/quintet",
            env!("CARGO_PKG_VERSION"),
        )
        .expect("valid host info");
        let mut instance = PluginInstance::<TestHost>::new(
            |_| SharedHandlers::default(),
            |_| MainThreadHandlers::default(),
            &entry,
            PLUGIN_ID,
            &host_info,
        )
        .expect("the plugin instantiates");
        let handle = instance.plugin_handle();
        let params = handle.get_extension().expect("the params extension");
        let state = handle.get_extension().expect("the state extension");
        let audio_ports = handle.get_extension().expect("the audio-ports extension");
        let audio_ports_config = handle.get_extension();
        Self {
            instance,
            params,
            state,
            audio_ports,
            audio_ports_config,
            active: None,
            process_hook: None,
        }
    }

    // ---- parameters -------------------------------------------------------------------------

    /// Every parameter, in the order the plugin lists them.
    pub fn params(&mut self) -> Vec<ParamDescription> {
        let handle = self.instance.plugin_handle();
        let count = self.params.count(&handle);
        (0..count)
            .map(|index| {
                let mut buffer = ParamInfoBuffer::new();
                let info = self
                    .params
                    .get_info(&handle, index, &mut buffer)
                    .unwrap_or_else(|| panic!("get_info({index}) of {count} failed"));
                ParamDescription {
                    id: info.id,
                    name: String::from_utf8_lossy(info.name).into_owned(),
                    module: String::from_utf8_lossy(info.module).into_owned(),
                    min: info.min_value,
                    max: info.max_value,
                    default: info.default_value,
                    flags: info.flags,
                }
            })
            .collect()
    }

    /// The CLAP id of the parameter with this display name (e.g. `"Partial 1"`, `"Gain"`).
    pub fn param_id(&mut self, name: &str) -> ClapId {
        self.params()
            .into_iter()
            .find(|p| p.name == name)
            .unwrap_or_else(|| panic!("no parameter named {name:?}"))
            .id
    }

    /// The parameter's current normalized value, as the host reads it.
    pub fn param_value(&mut self, param: ClapId) -> f64 {
        let handle = self.instance.plugin_handle();
        self.params
            .get_value(&handle, param)
            .unwrap_or_else(|| panic!("get_value({param:?}) failed"))
    }

    /// The current normalized value of every parameter, in [`params`](Self::params) order.
    pub fn param_values(&mut self) -> Vec<f64> {
        let ids: Vec<ClapId> = self.params().iter().map(|p| p.id).collect();
        ids.into_iter().map(|id| self.param_value(id)).collect()
    }

    /// How the plugin displays a normalized value; `None` if it refuses.
    pub fn value_to_text(&mut self, param: ClapId, normalized: f64) -> Option<String> {
        let handle = self.instance.plugin_handle();
        let mut buffer = [0u8; 256];
        let text = self
            .params
            .value_to_text(&handle, param, normalized, &mut buffer)
            .ok()?;
        Some(String::from_utf8_lossy(text).into_owned())
    }

    /// The normalized value the plugin parses from typed text; `None` if it refuses.
    pub fn text_to_value(&mut self, param: ClapId, text: &str) -> Option<f64> {
        let handle = self.instance.plugin_handle();
        let text = CString::new(text).expect("text without NUL bytes");
        self.params.text_to_value(&handle, param, &text)
    }

    /// How many times the plugin asked the host to rescan its parameters.
    pub fn rescan_count(&self) -> usize {
        self.instance.access_handler(|h| h.rescans.get())
    }

    // ---- audio ports ------------------------------------------------------------------------

    /// The audio ports of the currently selected layout, inputs or outputs.
    pub fn audio_ports(&mut self, is_input: bool) -> Vec<PortDescription> {
        let handle = self.instance.plugin_handle();
        let count = self.audio_ports.count(&handle, is_input);
        (0..count)
            .map(|index| {
                let mut buffer = AudioPortInfoBuffer::new();
                let info = self
                    .audio_ports
                    .get(&handle, index, is_input, &mut buffer)
                    .unwrap_or_else(|| panic!("audio port {index} of {count}"));
                PortDescription {
                    name: String::from_utf8_lossy(info.name).into_owned(),
                    channel_count: info.channel_count,
                    is_main: info.flags.contains(AudioPortFlags::IS_MAIN),
                    port_type: port_type_name(info.port_type),
                }
            })
            .collect()
    }

    /// The layouts the host may choose from (empty if the plugin has no audio-ports-config).
    pub fn port_configs(&mut self) -> Vec<PortConfig> {
        let Some(ext) = self.audio_ports_config else {
            return Vec::new();
        };
        let handle = self.instance.plugin_handle();
        (0..ext.count(&handle))
            .map(|index| {
                let mut buffer = AudioPortsConfigBuffer::new();
                let config = ext
                    .get(&handle, index, &mut buffer)
                    .unwrap_or_else(|| panic!("audio ports config {index}"));
                PortConfig {
                    id: config.id,
                    name: String::from_utf8_lossy(config.name).into_owned(),
                    input_port_count: config.input_port_count,
                    output_port_count: config.output_port_count,
                    main_input_channels: config.main_input.map(|p| p.channel_count),
                    main_output: config
                        .main_output
                        .map(|p| (p.channel_count, port_type_name(p.port_type))),
                }
            })
            .collect()
    }

    /// Selects a layout by id; only allowed while inactive. Returns whether the plugin accepted.
    pub fn select_port_config(&mut self, id: ClapId) -> bool {
        assert!(self.active.is_none(), "select a port config while inactive");
        let ext = self
            .audio_ports_config
            .expect("the audio-ports-config extension");
        let handle = self.instance.plugin_handle();
        ext.select(&handle, id).is_ok()
    }

    // ---- activation and processing ----------------------------------------------------------

    /// Activates at `sample_rate_hz` for blocks of 1 to `max_block` frames, with as many output
    /// channels as the selected layout's main output port has. Panics if the plugin refuses.
    pub fn activate(&mut self, sample_rate_hz: f64, max_block: usize) {
        self.try_activate(sample_rate_hz, max_block)
            .unwrap_or_else(|e| panic!("activate({sample_rate_hz} Hz, {max_block}): {e}"));
    }

    /// Like [`activate`](Self::activate) but returns the plugin's refusal instead of panicking.
    pub fn try_activate(
        &mut self,
        sample_rate_hz: f64,
        max_block: usize,
    ) -> Result<(), PluginInstanceError> {
        assert!(self.active.is_none(), "deactivate before activating again");
        let output_channels = self
            .audio_ports(false)
            .iter()
            .find(|p| p.is_main)
            .map_or(0, |p| p.channel_count as usize);
        let configuration = PluginAudioConfiguration {
            sample_rate: sample_rate_hz,
            min_frames_count: 1,
            max_frames_count: u32::try_from(max_block).expect("block fits in u32"),
        };
        let processor = self.instance.activate(|_, _| (), configuration)?;
        self.active = Some(Activation {
            processor: processor.into(),
            sample_rate_hz,
            max_block,
            output_channels,
            steady_time: 0,
        });
        Ok(())
    }

    /// Stops processing (on an audio thread) and deactivates (on the main thread).
    pub fn deactivate(&mut self) {
        let mut active = self.active.take().expect("deactivate an active plugin");
        std::thread::scope(|s| {
            s.spawn(|| {
                active.processor.ensure_processing_stopped();
            });
        });
        self.instance.deactivate(active.processor.into_stopped());
        self.run_main_thread_callbacks();
    }

    pub fn is_active(&self) -> bool {
        self.active.is_some()
    }

    /// The sample rate of the current activation.
    pub fn sample_rate_hz(&self) -> f64 {
        self.activation().sample_rate_hz
    }

    /// Renders `frames` frames in blocks of the activation's maximum size (the last one may be
    /// shorter), sending `changes` at their frames.
    pub fn render(&mut self, frames: usize, changes: &[ParamChange]) -> Rendered {
        let max_block = self.activation().max_block;
        let blocks = std::iter::repeat_n(max_block, frames / max_block)
            .chain(Some(frames % max_block).filter(|&rest| rest > 0));
        self.render_blocks(blocks, changes)
    }

    /// Renders consecutive blocks of the given lengths (each 1 to the activation's maximum),
    /// sending each of `changes` in the block that contains its frame, at the right offset.
    ///
    /// Processing runs on a separate audio thread; it is started on the first render after
    /// activation. Output buffers are filled with NaN before every `process` call, so a sample the
    /// plugin forgot to write fails any finiteness check. Panics if `process` reports an error.
    pub fn render_blocks(
        &mut self,
        blocks: impl IntoIterator<Item = usize>,
        changes: &[ParamChange],
    ) -> Rendered {
        let events: Vec<HostEvent> = changes.iter().copied().map(HostEvent::Value).collect();
        self.render_events(blocks, &events)
    }

    /// Like [`render_blocks`](Self::render_blocks), with any mix of value and modulation events.
    /// Events at the same frame arrive in the order given.
    pub fn render_events(
        &mut self,
        blocks: impl IntoIterator<Item = usize>,
        events: &[HostEvent],
    ) -> Rendered {
        let hook = self.process_hook;
        let blocks: Vec<usize> = blocks.into_iter().collect();
        let active = self.active.as_mut().expect("activate before rendering");
        let rendered = std::thread::scope(|s| {
            s.spawn(|| process_on_audio_thread(active, blocks, events, None, hook))
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
        });
        self.run_main_thread_callbacks();
        rendered
    }

    /// Renders `frames` frames on the audio thread while the calling (main) thread keeps calling
    /// `main_thread` with this host, as a DAW's GUI and project code do during playback: read and
    /// display values, save or load state. Changes the "GUI" sends through the channel whose
    /// receiver is `live` arrive at the start of the next block, the way a DAW forwards its own
    /// GUI's edits to a running plugin. Returns what was rendered and how often `main_thread` ran.
    ///
    /// The host must not render or (de)activate from inside `main_thread`.
    pub fn render_while(
        &mut self,
        frames: usize,
        live: Receiver<ParamChange>,
        mut main_thread: impl FnMut(&mut QuintetHost),
    ) -> (Rendered, usize) {
        let mut active = self.active.take().expect("activate before rendering");
        let max_block = active.max_block;
        let blocks: Vec<usize> = std::iter::repeat_n(max_block, frames / max_block)
            .chain(Some(frames % max_block).filter(|&rest| rest > 0))
            .collect();
        let hook = self.process_hook;
        let done = AtomicBool::new(false);
        let mut calls = 0;
        let rendered = std::thread::scope(|s| {
            let (active, done) = (&mut active, &done);
            let audio = s.spawn(move || {
                let rendered = process_on_audio_thread(active, blocks, &[], Some(&live), hook);
                done.store(true, Ordering::SeqCst);
                rendered
            });
            while !done.load(Ordering::SeqCst) && !audio.is_finished() {
                main_thread(self);
                self.run_main_thread_callbacks();
                calls += 1;
            }
            audio
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
        });
        self.active = Some(active);
        self.run_main_thread_callbacks();
        (rendered, calls)
    }

    /// Sends parameter changes through the params extension's `flush` while the plugin is
    /// inactive, as a host does when its GUI moves a parameter of a plugin that is not processing.
    pub fn flush_params(&mut self, changes: &[ParamChange]) {
        let mut events = EventBuffer::with_capacity(changes.len());
        for change in changes {
            events.push(&ParamValueEvent::new(
                0,
                change.param,
                Pckn::match_all(),
                change.normalized,
            ));
        }
        let mut handle = self
            .instance
            .inactive_plugin_handle()
            .expect("flush from the main thread only while the plugin is inactive");
        self.params
            .flush(&mut handle, &events.as_input(), &mut OutputEvents::void());
        self.run_main_thread_callbacks();
    }

    /// Installs a hook run around every `process` call (see [`ProcessHook`]).
    pub fn set_process_hook(&mut self, hook: ProcessHook) {
        self.process_hook = Some(hook);
    }

    fn activation(&self) -> &Activation {
        self.active.as_ref().expect("the plugin is active")
    }

    // ---- state ------------------------------------------------------------------------------

    /// The plugin's state as a host would store it in a project.
    pub fn save_state(&mut self) -> Vec<u8> {
        let handle = self.instance.plugin_handle();
        let mut bytes = Vec::new();
        self.state
            .save(&handle, &mut bytes)
            .expect("state save succeeds");
        bytes
    }

    /// Hands `bytes` to the plugin's state loader, as a host opening a project does.
    pub fn load_state(&mut self, bytes: &[u8]) -> Result<(), StateError> {
        let handle = self.instance.plugin_handle();
        let result = self.state.load(&handle, &mut &bytes[..]);
        self.run_main_thread_callbacks();
        result
    }

    // ---- plugin requests --------------------------------------------------------------------

    /// Runs the plugin's main-thread callback if it asked for one, as a host's event loop does.
    pub fn run_main_thread_callbacks(&mut self) {
        let requested = self
            .instance
            .access_shared_handler(|h| h.callback_requested.swap(false, Ordering::SeqCst));
        if requested {
            self.instance.call_on_main_thread_callback();
        }
    }

    /// How many messages of severity warning or worse the plugin logged through the host.
    pub fn logged_problems(&self) -> usize {
        self.instance
            .access_shared_handler(|h| h.problems_logged.load(Ordering::SeqCst))
    }
}

impl Default for QuintetHost {
    fn default() -> Self {
        Self::new()
    }
}

impl Drop for QuintetHost {
    fn drop(&mut self) {
        if self.active.is_some() && !std::thread::panicking() {
            self.deactivate();
        }
    }
}

/// The audio thread's side of a render: processes `blocks`, sending each of `events` in the block
/// that contains its frame and anything arriving on `live` at the start of the next block.
fn process_on_audio_thread(
    active: &mut Activation,
    blocks: Vec<usize>,
    events: &[HostEvent],
    live: Option<&Receiver<ParamChange>>,
    hook: Option<ProcessHook>,
) -> Rendered {
    let total: usize = blocks.iter().sum();
    let mut events = events.to_vec();
    // A stable sort: events at one frame keep their order.
    events.sort_by_key(HostEvent::frame);
    assert!(
        events.last().is_none_or(|e| e.frame() < total),
        "an event after the end of the render"
    );
    let channels = active.output_channels;
    let max_block = active.max_block;
    let mut rendered = Rendered {
        channels: vec![Vec::with_capacity(total); channels],
    };
    let processor = active
        .processor
        .ensure_processing_started()
        .expect("start_processing succeeds");
    let mut scratch = vec![vec![0.0f32; max_block]; channels];
    let mut ports = AudioPorts::with_capacity(channels, 1);
    let mut buffer = EventBuffer::with_capacity(events.len());
    let mut pending = events.iter().peekable();
    let mut start = 0;
    for len in blocks {
        assert!((1..=max_block).contains(&len), "block of {len} frames");
        buffer.clear();
        if let Some(live) = live {
            for change in live.try_iter() {
                buffer.push(&ParamValueEvent::new(
                    0,
                    change.param,
                    Pckn::match_all(),
                    change.normalized,
                ));
            }
        }
        while let Some(event) = pending.next_if(|e| e.frame() < start + len) {
            let time = (event.frame() - start) as u32;
            match event {
                HostEvent::Value(change) => buffer.push(&ParamValueEvent::new(
                    time,
                    change.param,
                    Pckn::match_all(),
                    change.normalized,
                )),
                HostEvent::Mod(change) => buffer.push(&ParamModEvent::new(
                    time,
                    change.param,
                    Pckn::match_all(),
                    change.normalized,
                )),
                HostEvent::Midi(message) => buffer.push(&MidiEvent::new(time, 0, message.data)),
            }
        }
        for channel in &mut scratch {
            channel[..len].fill(f32::NAN);
        }
        let mut outputs = ports.with_output_buffers([AudioPortBuffer {
            latency: 0,
            channels: AudioPortBufferType::f32_output_only(
                scratch.iter_mut().map(|c| &mut c[..len]),
            ),
        }]);
        let input_events = buffer.as_input();
        let mut output_events = OutputEvents::void();
        if let Some(hook) = hook {
            hook(true);
        }
        let status = processor.process(
            &InputAudioBuffers::empty(),
            &mut outputs,
            &input_events,
            &mut output_events,
            Some(active.steady_time),
            None,
        );
        if let Some(hook) = hook {
            hook(false);
        }
        // An instrument without notes must ask to keep running.
        assert_eq!(
            status.expect("process succeeds"),
            ProcessStatus::Continue,
            "process status"
        );
        for (out, block) in rendered.channels.iter_mut().zip(&scratch) {
            out.extend_from_slice(&block[..len]);
        }
        active.steady_time += len as u64;
        start += len;
    }
    rendered
}

fn port_type_name(port_type: Option<AudioPortType>) -> Option<String> {
    port_type.map(|t| t.0.to_string_lossy().into_owned())
}

// ---- the host side of CLAP ------------------------------------------------------------------

struct TestHost;

impl HostHandlers for TestHost {
    type Shared<'a> = SharedHandlers;
    type MainThread<'a> = MainThreadHandlers;
    type AudioProcessor<'a> = ();

    fn declare_extensions(builder: &mut HostExtensions<Self>, _shared: &Self::Shared<'_>) {
        builder
            .register::<HostParams>()
            .register::<HostState>()
            .register::<HostLog>();
    }
}

/// Callbacks any plugin thread may make. Nothing here allocates: the audio thread may call it
/// from inside `process`, where an allocation would abort the debug build.
#[derive(Default)]
struct SharedHandlers {
    callback_requested: AtomicBool,
    problems_logged: AtomicUsize,
}

impl SharedHandler<'_> for SharedHandlers {
    fn request_restart(&self) {}
    fn request_process(&self) {}
    fn request_callback(&self) {
        self.callback_requested.store(true, Ordering::SeqCst);
    }
}

impl HostParamsImplShared for SharedHandlers {
    fn request_flush(&self) {}
}

impl HostLogImpl for SharedHandlers {
    fn log(&self, severity: LogSeverity, message: &str) {
        if !matches!(severity, LogSeverity::Debug | LogSeverity::Info) {
            self.problems_logged.fetch_add(1, Ordering::SeqCst);
        }
        eprintln!("[plugin {severity}] {message}");
    }
}

/// Callbacks the plugin makes on its main thread.
#[derive(Default)]
struct MainThreadHandlers {
    rescans: Cell<usize>,
}

impl MainThreadHandler<'_> for MainThreadHandlers {}

impl HostParamsImplMainThread for MainThreadHandlers {
    fn rescan(&self, _flags: ParamRescanFlags) {
        self.rescans.set(self.rescans.get() + 1);
    }

    fn clear(&self, _param_id: ClapId, _flags: ParamClearFlags) {}
}

impl HostStateImpl for MainThreadHandlers {
    fn mark_dirty(&self) {}
}
