//! Rendering through a CLAP host: the notebook signal exactly, at every sample rate and block
//! size a DAW may choose.

use quintet_test_host::QuintetHost;
use quintet_test_host::signal::{
    DEFAULT_FREQUENCIES_HZ, PARTIAL_AMPLITUDE, assert_clean, assert_spectrum,
    max_deviation_from_exact, rms,
};

const SAMPLE_RATES_HZ: [f64; 9] = [
    8000.0, 22050.0, 44100.0, 48000.0, 96000.0, 192000.0, 384000.0, 768000.0, 12345.678,
];
const BLOCK_SIZES: [usize; 7] = [1, 10, 17, 256, 2027, 4096, 16384];

#[test]
fn default_parameters_play_the_notebook_signal() {
    let sample_rate_hz = 48_000.0;
    let mut host = QuintetHost::new();
    host.activate(sample_rate_hz, 512);
    let audio = host.render(8192, &[]);
    assert_clean(&audio, "defaults");
    let (deviation, at) =
        max_deviation_from_exact(audio.left(), &DEFAULT_FREQUENCIES_HZ, sample_rate_hz);
    assert!(
        deviation < 1e-6,
        "sample {at} is {deviation:e} away from Σ sin(2π·f·n/fs)/5"
    );
    // And the FFT agrees: five partials of amplitude 1/5 at the defaults.
    assert_spectrum(
        &audio.left()[..4800],
        sample_rate_hz,
        &DEFAULT_FREQUENCIES_HZ,
        PARTIAL_AMPLITUDE,
        1.0,
        "defaults",
    );
}

/// Renders at least 0.1 s and at least two full blocks plus a partial one, so every block size
/// is exercised as a full block and as a shorter final block.
fn frames_for(sample_rate_hz: f64, block: usize) -> usize {
    ((0.1 * sample_rate_hz).ceil() as usize).max(2 * block) + block / 2
}

#[test]
fn every_sample_rate_and_block_size_renders_clean_audio() {
    for sample_rate_hz in SAMPLE_RATES_HZ {
        // The plugin sees the rate as f32 (nice-plug's `BufferConfig`), so the exact signal is
        // computed at that rate; for 12345.678 Hz it differs in the eighth digit.
        let plugin_rate_hz = f64::from(sample_rate_hz as f32);
        let mut renders: Vec<(usize, Vec<f32>)> = Vec::new();
        for block in BLOCK_SIZES {
            let what = format!("{sample_rate_hz} Hz, blocks of {block}");
            let mut host = QuintetHost::new();
            host.activate(sample_rate_hz, block);
            let audio = host.render(frames_for(sample_rate_hz, block), &[]);
            assert_clean(&audio, &what);
            // Five partials' RMS is √(5/2) times one's amplitude.
            let expected = PARTIAL_AMPLITUDE * 2.5f64.sqrt();
            assert!(
                rms(audio.left()) > 0.95 * expected,
                "{what}: silent or too quiet"
            );
            let (deviation, at) =
                max_deviation_from_exact(audio.left(), &DEFAULT_FREQUENCIES_HZ, plugin_rate_hz);
            assert!(
                deviation < 1e-5,
                "{what}: sample {at} is {deviation:e} away from the exact signal"
            );
            renders.push((block, audio.channels.into_iter().next().unwrap()));
        }
        // How the host slices the stream must not change a single bit.
        let (_, reference) = &renders[0];
        for (block, samples) in &renders[1..] {
            let common = reference.len().min(samples.len());
            if let Some(n) = (0..common).find(|&n| samples[n].to_bits() != reference[n].to_bits()) {
                panic!(
                    "{sample_rate_hz} Hz: blocks of {block} give {} at sample {n}, blocks of 1 give {}",
                    samples[n], reference[n]
                );
            }
        }
    }
}

/// A host that activates at a sample rate nobody can play at gets exact silence, not a refusal:
/// refusing crashed JUCE hosts, which process anyway (issue 13, item 6). Activated again at a
/// usable rate, the plugin plays as ever.
#[test]
fn an_unusable_sample_rate_activates_and_plays_exact_silence() {
    let mut host = QuintetHost::new();
    for sample_rate_hz in [
        0.0,
        -48_000.0,
        f64::NAN,
        f64::INFINITY,
        f64::NEG_INFINITY,
        1e300,
    ] {
        host.try_activate(sample_rate_hz, 512)
            .unwrap_or_else(|e| panic!("activating at {sample_rate_hz} Hz was refused: {e}"));
        let audio = host.render(2048, &[]);
        assert!(
            audio.channels.iter().flatten().all(|&x| x.to_bits() == 0),
            "{sample_rate_hz} Hz: not exact silence"
        );
        host.deactivate();
    }
    host.activate(48_000.0, 512);
    let audio = host.render(48_000, &[]);
    assert_clean(&audio, "after an unusable sample rate");
    let (deviation, at) = max_deviation_from_exact(audio.left(), &DEFAULT_FREQUENCIES_HZ, 48_000.0);
    assert!(deviation < 1e-5, "{deviation} at sample {at}");
}
