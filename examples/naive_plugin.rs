//! The baseline for `cargo bench --bench quintet`: five sines written the way most example plugins
//! write them, on the same framework (nice-plug) and hosted the same way as Quintet, so the
//! benchmark can say what Quintet costs against a plugin anyone would write first.
//!
//! Per sample and partial: the parameter's smoother, an `f32` phase, `f32::sin`. Sample-accurate
//! automation, as Quintet has, so a host's events split its blocks the same way. Not a product:
//! it has no editor, no state beyond the parameters, and drifts as `f32` phases do.
//!
//! Built by the benchmark (`cargo build --release --example naive_plugin`) as a CLAP binary.

use nice_plug::prelude::*;
use std::num::NonZeroU32;
use std::sync::Arc;

/// The naive plugin's CLAP id.
pub const NAIVE_CLAP_ID: &str = "org.quintet.naive-baseline";

const PARTIALS: usize = 5;

#[derive(Params)]
struct NaiveParams {
    #[id = "f1"]
    f1: FloatParam,
    #[id = "f2"]
    f2: FloatParam,
    #[id = "f3"]
    f3: FloatParam,
    #[id = "f4"]
    f4: FloatParam,
    #[id = "f5"]
    f5: FloatParam,
}

fn frequency(name: &str, default_hz: f32) -> FloatParam {
    FloatParam::new(
        name,
        default_hz,
        FloatRange::Skewed {
            min: 20.0,
            max: 20_000.0,
            factor: FloatRange::skew_factor(-2.0),
        },
    )
    .with_smoother(SmoothingStyle::Logarithmic(20.0))
    .with_unit(" Hz")
}

impl Default for NaiveParams {
    fn default() -> Self {
        Self {
            f1: frequency("Freq 1", 200.0),
            f2: frequency("Freq 2", 250.0),
            f3: frequency("Freq 3", 300.0),
            f4: frequency("Freq 4", 350.0),
            f5: frequency("Freq 5", 400.0),
        }
    }
}

struct NaivePlugin {
    params: Arc<NaiveParams>,
    sample_rate_hz: f32,
    /// Each partial's phase, in turns (0..1).
    phases: [f32; PARTIALS],
}

impl Default for NaivePlugin {
    fn default() -> Self {
        Self {
            params: Arc::new(NaiveParams::default()),
            sample_rate_hz: 48_000.0,
            phases: [0.0; PARTIALS],
        }
    }
}

impl Plugin for NaivePlugin {
    const NAME: &'static str = "Naive five sines";
    const VENDOR: &'static str = "Quintet developers";
    const URL: &'static str = "https://example.invalid/quintet";
    const EMAIL: &'static str = "quintet@example.invalid";
    const VERSION: &'static str = "0.1.0";
    const AUDIO_IO_LAYOUTS: &'static [AudioIOLayout] = &[AudioIOLayout {
        main_input_channels: None,
        main_output_channels: NonZeroU32::new(2),
        ..AudioIOLayout::const_default()
    }];
    const SAMPLE_ACCURATE_AUTOMATION: bool = true;

    type Editor = ();
    type SysExMessage = ();
    type BackgroundTask = ();

    fn params(&self) -> Arc<dyn Params> {
        self.params.clone()
    }

    fn editor(&mut self, _async_executor: AsyncExecutor<Self>) -> Option<Self::Editor> {
        None
    }

    fn activate(
        &mut self,
        _layout: &AudioIOLayout,
        buffer_config: &BufferConfig,
        _context: &mut impl ActivateContext<Self>,
    ) -> bool {
        self.sample_rate_hz = buffer_config.sample_rate;
        true
    }

    fn process(
        &mut self,
        buffer: &mut Buffer,
        _aux: &mut AuxiliaryBuffers,
        _context: &mut impl ProcessContext<Self>,
    ) -> ProcessStatus {
        let params = &self.params;
        let smoothers = [&params.f1, &params.f2, &params.f3, &params.f4, &params.f5];
        for mut frame in buffer.iter_samples() {
            let mut sum = 0.0;
            for (phase, param) in self.phases.iter_mut().zip(smoothers) {
                sum += (std::f32::consts::TAU * *phase).sin() / PARTIALS as f32;
                *phase += param.smoothed.next() / self.sample_rate_hz;
                if *phase >= 1.0 {
                    *phase -= 1.0;
                }
            }
            for sample in frame.iter_mut() {
                *sample = sum;
            }
        }
        ProcessStatus::KeepAlive
    }
}

impl ClapPlugin for NaivePlugin {
    const CLAP_ID: &'static str = NAIVE_CLAP_ID;
    const CLAP_DESCRIPTION: Option<&'static str> = Some("Benchmark baseline: five naive sines");
    const CLAP_MANUAL_URL: Option<&'static str> = None;
    const CLAP_SUPPORT_URL: Option<&'static str> = None;
    const CLAP_FEATURES: &'static [ClapFeature] = &[ClapFeature::Instrument];
}

nice_export_clap!(NaivePlugin);
