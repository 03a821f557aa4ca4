//! [`QuintetHost`]: one plugin instance hosted through `clack-host` the way a DAW hosts it, on
//! its main thread: parameters, audio ports, activation and state. Rendering is in
//! [`crate::audio`].
//!
//! Threads follow CLAP's model: the thread that calls [`QuintetHost::new`] is the plugin's main
//! thread (the instance is not `Send`), and every render runs `start_processing`/`process` on a
//! separate audio thread. All host-side allocation happens outside the plugin's `process` call, so
//! nice-plug's `assert_process_allocs` (armed in debug builds) only catches the plugin.
//!
//! Parameter values cross this API normalized, 0..1, for every kind of parameter; the host
//! converts to and from the plugin's CLAP values with each parameter's range, read once when the
//! instance is created (see [`crate::units`] for why: nice-plug exposes stepped parameters in
//! steps).

use crate::audio::ProcessHook;
use crate::callbacks::{MainThreadHandlers, SharedHandlers, TestHost};
use crate::cookies::{Cookies, SentCookies};
use crate::events::ParamChange;
use crate::units::{ParamScale, ParamScales};
use crate::{PLUGIN_ID, plugin_path};
use clack_extensions::audio_ports::{
    AudioPortFlags, AudioPortInfoBuffer, AudioPortType, PluginAudioPorts,
};
use clack_extensions::audio_ports_config::{AudioPortsConfigBuffer, PluginAudioPortsConfig};
use clack_extensions::params::{ParamInfoBuffer, ParamInfoFlags, PluginParams};
use clack_extensions::state::{PluginState, StateError};
use clack_extensions::voice_info::{PluginVoiceInfo, VoiceInfoFlags};
use clack_host::prelude::*;
use clack_host::utils::Cookie;
use std::ffi::{CStr, CString};
use std::sync::OnceLock;

/// One plugin as the entry's factory describes it, before any instance exists.
#[derive(Clone, Debug)]
pub struct Descriptor {
    pub id: String,
    pub name: String,
    pub vendor: String,
    pub version: String,
    pub features: Vec<String>,
}

/// Loads the plugin binary's entry (see [`crate::plugin_path`]) and lists its descriptors.
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

/// The plugin's entry, loaded once per test process and kept loaded until it exits: loading is
/// the slow part of creating a host, and every test in a binary shares one library anyway.
///
/// nice-plug reads `NICE_LOG` when the library loads; it names this process's log file
/// ([`crate::plugin_log::plugin_log_path`], set before `main`). (Unloading would be safe too: build.rs links the plugin with `-z nodelete`, so thread-exit
/// destructors it registers stay mapped; rust-lang/rust#91979.)
pub(crate) fn load_entry() -> PluginEntry {
    static ENTRY: OnceLock<PluginEntry> = OnceLock::new();
    ENTRY
        .get_or_init(|| {
            let path = plugin_path();
            // SAFETY: the library is Quintet's own CLAP binary, built from this repository.
            unsafe { PluginEntry::load(&path) }
                .unwrap_or_else(|e| panic!("loading {}: {e}", path.display()))
        })
        .clone()
}

/// How this host introduces itself to the plugin.
pub(crate) fn host_info() -> HostInfo {
    HostInfo::new(
        "Quintet test host",
        "Quintet developers",
        "https://example.invalid/quintet",
        env!("CARGO_PKG_VERSION"),
    )
    .expect("valid host info")
}

/// What the plugin's params extension reports about one parameter, with its range and default
/// normalized like every value this host speaks: `min` and `max` are 0 and 1 for any parameter
/// with a valid range, and `default` is the default's position in between. (CLAP's own range can
/// differ: nice-plug exposes a stepped parameter as 0..=step count; see [`crate::units`].)
#[derive(Clone, Debug, PartialEq)]
pub struct ParamDescription {
    pub id: ClapId,
    pub name: String,
    pub module: String,
    /// Normalized (0 for a valid range).
    pub min: f64,
    /// Normalized (1 for a valid range).
    pub max: f64,
    /// Normalized, 0..1.
    pub default: f64,
    pub flags: ParamInfoFlags,
    /// The cookie the plugin gave the parameter (null: none).
    pub cookie: Cookie,
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

/// What the plugin's voice-info extension reports: how a host may address its voices.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct VoiceInfo {
    /// Voices the current patch can use (1: mono, so a host may modulate only globally).
    pub voice_count: u32,
    /// The most voices the plugin can play at once.
    pub voice_capacity: u32,
    /// Whether the host may start a note on a key that is still sounding and address the two
    /// notes separately by note id.
    pub overlapping_notes: bool,
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
    pub(crate) instance: PluginInstance<TestHost>,
    params: PluginParams,
    state: PluginState,
    audio_ports: PluginAudioPorts,
    audio_ports_config: Option<PluginAudioPortsConfig>,
    voice_info: Option<PluginVoiceInfo>,
    /// Every parameter's CLAP range, read when the instance is created: the conversion between
    /// the normalized values of this API and the plugin's CLAP values.
    pub(crate) scales: ParamScales,
    /// Every parameter's cookie, read when the instance is created, and which ones events carry.
    pub(crate) cookies: Cookies,
    pub(crate) active: Option<Activation>,
    pub(crate) process_hook: Option<ProcessHook>,
}

/// What exists only while the plugin is active.
pub(crate) struct Activation {
    pub(crate) processor: PluginAudioProcessor<TestHost>,
    pub(crate) sample_rate_hz: f64,
    pub(crate) max_block: usize,
    pub(crate) output_channels: usize,
    /// Frames processed since activation: CLAP's `steady_time`.
    pub(crate) steady_time: u64,
    /// The tempo the transport tells the plugin with every block, in beats per minute (`None`:
    /// no transport, as a host that is not playing a song).
    pub(crate) transport_tempo_bpm: Option<f64>,
}

impl QuintetHost {
    /// Loads the plugin binary and creates one inactive instance on the current thread, which
    /// becomes the plugin's main thread.
    pub fn new() -> Self {
        Self::instantiate(&load_entry(), PLUGIN_ID)
    }

    /// Hosts another nice-plug CLAP plugin the same way: the plugin with id `plugin_id` from the
    /// binary at `path` (the benchmark's naive baseline). The binary stays loaded until the
    /// process exits, as Quintet's does.
    ///
    /// # Safety
    ///
    /// `path` must name a CLAP binary that keeps CLAP's rules (loading one runs its code, and
    /// clack-host trusts what it answers), such as one built from this repository.
    pub unsafe fn load(path: &std::path::Path, plugin_id: &CStr) -> Self {
        // SAFETY: the caller promises a CLAP binary that keeps CLAP's rules.
        let entry = unsafe { PluginEntry::load(path) }
            .unwrap_or_else(|e| panic!("loading {}: {e}", path.display()));
        std::mem::forget(entry.clone());
        Self::instantiate(&entry, plugin_id)
    }

    fn instantiate(entry: &PluginEntry, plugin_id: &CStr) -> Self {
        let host_info = host_info();
        let mut instance = PluginInstance::<TestHost>::new(
            |_| SharedHandlers::default(),
            |_| MainThreadHandlers::default(),
            entry,
            plugin_id,
            &host_info,
        )
        .expect("the plugin instantiates");
        let handle = instance.plugin_handle();
        let params = handle.get_extension().expect("the params extension");
        let state = handle.get_extension().expect("the state extension");
        let audio_ports = handle.get_extension().expect("the audio-ports extension");
        let audio_ports_config = handle.get_extension();
        let voice_info = handle.get_extension();
        let mut host = Self {
            instance,
            params,
            state,
            audio_ports,
            audio_ports_config,
            voice_info,
            scales: ParamScales::default(),
            cookies: Cookies::default(),
            active: None,
            process_hook: None,
        };
        let (scales, cookies) = host
            .param_infos()
            .into_iter()
            .map(|(scale, description)| (scale, (description.id, description.cookie)))
            .unzip();
        host.scales = ParamScales::new(scales);
        host.cookies = Cookies::new(cookies);
        host
    }

    // ---- parameters -------------------------------------------------------------------------

    /// Every parameter, in the order the plugin lists them.
    pub fn params(&mut self) -> Vec<ParamDescription> {
        self.param_infos()
            .into_iter()
            .map(|(_, description)| description)
            .collect()
    }

    /// What `get_info` says of every parameter: its CLAP range, and its description in
    /// normalized values.
    fn param_infos(&mut self) -> Vec<(ParamScale, ParamDescription)> {
        let handle = self.instance.plugin_handle();
        let count = self.params.count(&handle);
        (0..count)
            .map(|index| {
                let mut buffer = ParamInfoBuffer::new();
                let info = self
                    .params
                    .get_info(&handle, index, &mut buffer)
                    .unwrap_or_else(|| panic!("get_info({index}) of {count} failed"));
                let scale = ParamScale::of(&info);
                let description = ParamDescription {
                    id: info.id,
                    name: String::from_utf8_lossy(info.name).into_owned(),
                    module: String::from_utf8_lossy(info.module).into_owned(),
                    min: scale.normalized(info.min_value),
                    max: scale.normalized(info.max_value),
                    default: scale.normalized(info.default_value),
                    flags: info.flags,
                    cookie: info.cookie,
                };
                (scale, description)
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

    /// The parameter's current normalized value, as the host reads it (nice-plug reports the
    /// modulated value).
    pub fn param_value(&mut self, param: ClapId) -> f64 {
        let handle = self.instance.plugin_handle();
        let value = self
            .params
            .get_value(&handle, param)
            .unwrap_or_else(|| panic!("get_value({param:?}) failed"));
        self.scales.normalized(param, value)
    }

    /// The current normalized value of every parameter, in [`params`](Self::params) order.
    pub fn param_values(&mut self) -> Vec<f64> {
        let ids: Vec<ClapId> = self.params().iter().map(|p| p.id).collect();
        ids.into_iter().map(|id| self.param_value(id)).collect()
    }

    /// How the plugin displays a normalized value; `None` if it refuses.
    pub fn value_to_text(&mut self, param: ClapId, normalized: f64) -> Option<String> {
        let value = self.scales.clap_value(param, normalized);
        let handle = self.instance.plugin_handle();
        let mut buffer = [0u8; 256];
        let text = self
            .params
            .value_to_text(&handle, param, value, &mut buffer)
            .ok()?;
        Some(String::from_utf8_lossy(text).into_owned())
    }

    /// The normalized value the plugin parses from typed text; `None` if it refuses.
    pub fn text_to_value(&mut self, param: ClapId, text: &str) -> Option<f64> {
        let handle = self.instance.plugin_handle();
        let text = CString::new(text).expect("text without NUL bytes");
        let value = self.params.text_to_value(&handle, param, &text)?;
        Some(self.scales.normalized(param, value))
    }

    /// How many times the plugin asked the host to rescan its parameters.
    pub fn rescan_count(&self) -> usize {
        self.instance.access_handler(MainThreadHandlers::rescans)
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

    // ---- voices -----------------------------------------------------------------------------

    /// The plugin's voice info; `None` if it has no voice-info extension or its `get` fails
    /// (nice-plug offers the extension only with a poly modulation config).
    pub fn voice_info(&mut self) -> Option<VoiceInfo> {
        let ext = self.voice_info?;
        let info = ext.get(&self.instance.plugin_handle())?;
        Some(VoiceInfo {
            voice_count: info.voice_count,
            voice_capacity: info.voice_capacity,
            overlapping_notes: info
                .flags
                .contains(VoiceInfoFlags::SUPPORTS_OVERLAPPING_NOTES),
        })
    }

    /// How many times the plugin told the host its voice info changed (it does so from
    /// `process`, through a main-thread callback the next render or state call runs).
    pub fn voice_info_changes(&self) -> usize {
        self.instance
            .access_handler(MainThreadHandlers::voice_info_changes)
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
            transport_tempo_bpm: None,
        });
        Ok(())
    }

    /// From the next render on, every block comes with a playing transport at `tempo_bpm`
    /// beats per minute (`None`: without a transport, as before). Panics if not active.
    pub fn set_transport_tempo(&mut self, tempo_bpm: Option<f64>) {
        let active = self
            .active
            .as_mut()
            .expect("activate before setting the tempo");
        active.transport_tempo_bpm = tempo_bpm;
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

    /// Which cookie parameter value events carry from now on (as issued, unless a test says
    /// otherwise).
    pub fn send_cookies(&mut self, sent: SentCookies) {
        self.cookies.sent = sent;
    }

    /// Sets every parameter, in the order the plugin lists them, to its `normalized` position
    /// through [`Self::flush_params`] (a preset as the editor's preset bar sets it).
    pub fn flush_every_param(&mut self, normalized: &[f32]) {
        let changes: Vec<ParamChange> = self
            .params()
            .iter()
            .zip(normalized)
            .map(|(param, &normalized)| ParamChange {
                frame: 0,
                param: param.id,
                normalized: f64::from(normalized),
            })
            .collect();
        self.flush_params(&changes);
    }

    /// Switches MIDI mode on with `voices` voices while the plugin is inactive (through
    /// [`Self::flush_params`]), so the drone is faded out from the first block after activation.
    pub fn flush_midi_mode(&mut self, voices: usize) {
        let (midi, voice_count) = (self.param_id("MIDI mode"), self.param_id("Voices"));
        let voices = self
            .text_to_value(voice_count, &voices.to_string())
            .expect("a voice count the plugin parses");
        self.flush_params(&[
            ParamChange {
                frame: 0,
                param: midi,
                normalized: 1.0,
            },
            ParamChange {
                frame: 0,
                param: voice_count,
                normalized: voices,
            },
        ]);
    }

    /// Sends parameter changes through the params extension's `flush` while the plugin is
    /// inactive, as a host does when its GUI moves a parameter of a plugin that is not processing.
    pub fn flush_params(&mut self, changes: &[ParamChange]) {
        let mut events = EventBuffer::with_capacity(changes.len());
        for change in changes {
            events.push(&self.cookies.value_event(
                0,
                change.param,
                self.scales.clap_value(change.param, change.normalized),
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

    pub(crate) fn activation(&self) -> &Activation {
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
            .access_shared_handler(SharedHandlers::take_callback_request);
        if requested {
            self.instance.call_on_main_thread_callback();
        }
    }

    /// How many main-thread callbacks the plugin asked for since it was created (from any
    /// thread: nice-plug asks from the audio thread to hand a task to the main thread).
    pub fn callback_requests(&self) -> usize {
        self.instance
            .access_shared_handler(SharedHandlers::callback_requests)
    }

    /// How many messages of severity warning or worse the plugin logged through the host.
    pub fn logged_problems(&self) -> usize {
        self.instance
            .access_shared_handler(SharedHandlers::problems_logged)
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

fn port_type_name(port_type: Option<AudioPortType>) -> Option<String> {
    port_type.map(|t| t.0.to_string_lossy().into_owned())
}
