//! What the tests measure in rendered audio.

use crate::audio::Rendered;
use std::f64::consts::{PI, TAU};

/// Quintet's default partial frequencies, in Hz: the core's own constant, so a changed default
/// cannot leave the tests checking the old one.
pub use quintet_core::limits::DEFAULT_FREQUENCIES_HZ;

/// A partial's amplitude at level 1, gain 0 dB and full velocity, in the drone and in a note
/// whatever the voice count: a fifth of the voice level (the core's constant).
pub const PARTIAL_AMPLITUDE: f64 = quintet_core::dsp::PARTIAL_AMPLITUDE as f64;

/// The loudest sample Quintet can play with no volume expression above 1: every voice and the
/// drone at the voice level, at the top of the gain range. Nothing clamps the output, so a chord
/// or a gain above 0 dB passes full scale; this is what still holds.
pub fn loudest_sample() -> f64 {
    let (_, max_gain) = quintet_core::params::Param::GAIN.spec().bounds();
    let sources = quintet_core::limits::MAX_VOICES + 1;
    sources as f64 * f64::from(quintet_core::limits::VOICE_LEVEL) * max_gain
}

/// The notebook's signal at the voice level: sample `n` of Σ aₖ·sin(2π·fₖ·n/fs) with every
/// aₖ = [`PARTIAL_AMPLITUDE`], computed in f64.
pub fn exact_partial_sum(frequencies_hz: &[f64], sample_rate_hz: f64, n: usize) -> f64 {
    let amplitude = PARTIAL_AMPLITUDE;
    frequencies_hz
        .iter()
        .map(|f| amplitude * (TAU * f * n as f64 / sample_rate_hz).sin())
        .sum()
}

/// The largest absolute difference between `samples` and the notebook signal, and where it is.
pub fn max_deviation_from_exact(
    samples: &[f32],
    frequencies_hz: &[f64],
    sample_rate_hz: f64,
) -> (f64, usize) {
    samples
        .iter()
        .enumerate()
        .map(|(n, &x)| {
            let exact = exact_partial_sum(frequencies_hz, sample_rate_hz, n);
            ((f64::from(x) - exact).abs(), n)
        })
        .fold((0.0, 0), |worst, d| if d.0 > worst.0 { d } else { worst })
}

/// The largest step between consecutive samples that a sum of sines can take: a sine of
/// amplitude `a` at `f` Hz moves at most 2a·sin(π·f/fs) per sample. `partials` holds each
/// partial's amplitude and the highest frequency it reaches (a gliding partial's upper end).
pub fn max_natural_step(partials: &[(f64, f64)], sample_rate_hz: f64) -> f64 {
    partials
        .iter()
        .map(|&(amplitude, frequency_hz)| {
            let half_turn = (PI * frequency_hz / sample_rate_hz).min(PI / 2.0);
            2.0 * amplitude * half_turn.sin()
        })
        .sum()
}

/// The largest absolute difference between consecutive samples, and the index of the later one.
pub fn max_step(samples: &[f32]) -> (f64, usize) {
    samples
        .windows(2)
        .enumerate()
        .map(|(i, w)| ((f64::from(w[1]) - f64::from(w[0])).abs(), i + 1))
        .fold((0.0, 0), |worst, d| if d.0 > worst.0 { d } else { worst })
}

/// Root mean square of `samples`.
pub fn rms(samples: &[f32]) -> f64 {
    let energy: f64 = samples.iter().map(|&x| f64::from(x) * f64::from(x)).sum();
    (energy / samples.len().max(1) as f64).sqrt()
}

/// Asserts what every buffer a host receives must satisfy: every sample finite, never
/// subnormal, within [`loudest_sample`], and every channel bit-identical to the first (a patch
/// with everything centred: see [`assert_clean_stereo`] for a wide one). `what` names the case
/// in the failure message.
pub fn assert_clean(audio: &Rendered, what: &str) {
    assert_clean_stereo(audio, what);
    let left = audio.left();
    for (c, channel) in audio.channels.iter().enumerate().skip(1) {
        if let Some(n) = (0..left.len()).find(|&n| channel[n].to_bits() != left[n].to_bits()) {
            panic!(
                "{what}: channel {c} differs from channel 0 at sample {n}: {} vs {}",
                channel[n], left[n]
            );
        }
    }
}

/// [`assert_clean`] for a patch that places its sound in the stereo field (pans, unison, a pan
/// expression): each channel clean, the channels free to differ.
pub fn assert_clean_stereo(audio: &Rendered, what: &str) {
    let loudest = loudest_sample();
    for (c, channel) in audio.channels.iter().enumerate() {
        assert_eq!(channel.len(), audio.len(), "{what}: channel {c} length");
        for (n, &x) in channel.iter().enumerate() {
            assert!(x.is_finite(), "{what}: channel {c} sample {n} is {x}");
            assert!(
                !x.is_subnormal(),
                "{what}: channel {c} sample {n} is subnormal ({x:e})"
            );
            assert!(
                f64::from(x.abs()) <= loudest,
                "{what}: channel {c} sample {n} is {x}, beyond the loudest Quintet plays \
                 ({loudest})"
            );
        }
    }
}

/// Asserts the partials found by FFT in `samples`: one peak within `tolerance_hz` of each
/// expected frequency with amplitude `amplitude` ± 10 %, and nothing else above a tenth of it.
pub fn assert_spectrum(
    samples: &[f32],
    sample_rate_hz: f64,
    expected_hz: &[f64],
    amplitude: f64,
    tolerance_hz: f64,
    what: &str,
) {
    let expected: Vec<(f64, f64)> = expected_hz.iter().map(|&hz| (hz, amplitude)).collect();
    assert_partials(samples, sample_rate_hz, &expected, tolerance_hz, what);
}

/// Asserts the partials found by FFT in `samples`: one peak within `tolerance_hz` of each
/// expected (frequency in Hz, linear amplitude), its amplitude within 10 %, and nothing else
/// above a tenth of the quietest.
pub fn assert_partials(
    samples: &[f32],
    sample_rate_hz: f64,
    expected: &[(f64, f64)],
    tolerance_hz: f64,
    what: &str,
) {
    let quietest = expected.iter().map(|p| p.1).fold(f64::INFINITY, f64::min);
    let peaks =
        quintet_core::spectrum::find_peaks(samples, sample_rate_hz, (quietest / 10.0) as f32);
    for &(hz, amplitude) in expected {
        let peak = peaks
            .iter()
            .find(|p| (p.frequency_hz - hz).abs() <= tolerance_hz)
            .unwrap_or_else(|| panic!("{what}: no peak at {hz} Hz; peaks {peaks:?}"));
        assert!(
            (peak.amplitude / amplitude - 1.0).abs() < 0.1,
            "{what}: the {hz} Hz partial has amplitude {}, expected {amplitude}",
            peak.amplitude
        );
    }
    for peak in &peaks {
        assert!(
            expected
                .iter()
                .any(|p| (peak.frequency_hz - p.0).abs() <= tolerance_hz),
            "{what}: unexpected peak {peak:?} (expected only {expected:?})"
        );
    }
}

/// The frequency, in Hz, of the sine in `samples` nearest `near_hz`, to far better than 0.01
/// cent (a thousandth of a cent for a steady sine of a few tenths of a second): the FFT's peak
/// nearest `near_hz`, refined by how far the sine's phase turns from the first half of
/// `samples` to the second beyond what that peak's frequency accounts for. Each half is
/// Hann-windowed and analysed at the peak's frequency; the peak must be within
/// fs / (2 · half) of the truth (a bin of the whole FFT is half that).
pub fn precise_frequency_hz(samples: &[f32], sample_rate_hz: f64, near_hz: f64) -> f64 {
    let peaks = quintet_core::spectrum::find_peaks(samples, sample_rate_hz, 1e-4);
    let coarse_hz = peaks
        .iter()
        .map(|peak| peak.frequency_hz)
        .min_by(|a, b| (a - near_hz).abs().total_cmp(&(b - near_hz).abs()))
        .unwrap_or_else(|| panic!("no peak near {near_hz} Hz"));
    let half = samples.len() / 2;
    let phase_at = |start: usize| {
        // The complex amplitude at `coarse_hz` of the Hann-windowed half from `start`, its
        // phase counted from sample 0, so the two halves' phases differ by the turn the
        // frequency error makes over `half` samples.
        let (mut re, mut im) = (0.0, 0.0);
        for n in 0..half {
            let window = 0.5 - 0.5 * (TAU * n as f64 / half as f64).cos();
            let turns = (coarse_hz * (start + n) as f64 / sample_rate_hz).fract();
            let x = window * f64::from(samples[start + n]);
            re += x * (TAU * turns).cos();
            im -= x * (TAU * turns).sin();
        }
        im.atan2(re)
    };
    let turn = phase_at(half) - phase_at(0);
    let turn = (turn + PI).rem_euclid(TAU) - PI;
    coarse_hz + turn * sample_rate_hz / (TAU * half as f64)
}

/// How far `hz` is from `reference_hz`, in cents.
pub fn cents(hz: f64, reference_hz: f64) -> f64 {
    1200.0 * (hz / reference_hz).log2()
}
