//! Quintet: a bank of five phase-continuous sine partials as a CLAP/VST3 instrument.
//!
//! Data flows one way: host → [`params`] → this glue → [`dsp`] → output channels. The glue's one
//! job is to turn parameter changes into glides or jumps at the right sample and to copy the
//! bank's output to every channel.

pub mod dsp;
pub mod editor;
pub mod params;
pub mod spectrum;
pub mod tap;

use dsp::{PARTIAL_COUNT, PartialBank};
use nice_plug::prelude::*;
use nice_plug_egui::{EguiEditorState, RepaintNotifier};
use params::QuintetParams;
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
    /// Audio end of the tap to the editor: `None` until the host asks for an editor.
    tap: Option<tap::TapWriter>,
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
        }
    }
}

fn current_frequencies(params: &QuintetParams) -> [f64; PARTIAL_COUNT] {
    params
        .frequencies()
        .map(|param| f64::from(value_in_range(param)))
}

/// The parameter's value, inside its range. nice-plug stores a value restored from a state as the
/// state says, unclamped: a damaged or hostile state with `"gain": 5.0` would otherwise play at
/// five times full scale, and `"freq1": 30000` above the promised 20 kHz.
fn value_in_range(param: &FloatParam) -> f32 {
    param
        .value()
        .clamp(param.preview_plain(0.0), param.preview_plain(1.0))
}

impl Quintet {
    /// Puts the bank exactly on the parameters' current values, with no glide.
    fn snap_to_parameters(&mut self) {
        for (index, hz) in current_frequencies(&self.params).into_iter().enumerate() {
            self.bank.jump_to(index, hz);
        }
        self.bank.jump_gain_to(value_in_range(&self.params.gain));
    }

    /// Hands parameter changes to the bank before rendering `block_len` samples. With
    /// sample-accurate automation the framework splits blocks at each event, so this runs at the
    /// event's sample. A change the framework is smoothing came from automation or the editor and
    /// glides; one it is not smoothing came from a state load and jumps.
    fn follow_parameters(&mut self, block_len: u32) {
        for (index, param) in self.params.frequencies().into_iter().enumerate() {
            let target_hz = f64::from(value_in_range(param));
            if target_hz != self.bank.target_frequency_hz(index) {
                if param.smoothed.is_smoothing() {
                    self.bank.glide_to(index, target_hz);
                } else {
                    self.bank.jump_to(index, target_hz);
                }
            }
            param.smoothed.next_step(block_len);
        }
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

    type Editor = editor::QuintetEditor;
    type SysExMessage = ();
    type BackgroundTask = ();

    fn params(&self) -> Arc<dyn Params> {
        self.params.clone()
    }

    /// A state saved by a newer Quintet still holds the permanent parameter ids this one knows:
    /// those load, anything else is ignored, and the log says so.
    fn filter_state(state: &mut PluginState) {
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
        let sample_rate_hz = f64::from(buffer_config.sample_rate);
        if !(sample_rate_hz.is_finite() && sample_rate_hz > 0.0) {
            nice_error!("Refusing to activate at a sample rate of {sample_rate_hz} Hz");
            return false;
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
        _context: &mut impl ProcessContext<Self>,
    ) -> ProcessStatus {
        self.follow_parameters(buffer.samples() as u32);
        if let Some((first, others)) = buffer.as_slice().split_first_mut() {
            self.bank.render(first);
            for channel in others {
                channel.copy_from_slice(first);
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
