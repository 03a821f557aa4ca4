//! Spectrum analysis: a Hann-windowed real FFT calibrated so a sine of amplitude `a` reads `a`.
//!
//! Used by the editor's spectrum view and by the tests that check what Quintet plays. The FFT plan,
//! window and buffers are made once; analysing a block allocates nothing.

use realfft::num_complex::Complex;
use realfft::{RealFftPlanner, RealToComplex};
use std::f32::consts::PI;
use std::sync::Arc;

/// A reusable analyser for blocks of one fixed size.
pub struct SpectrumAnalyzer {
    fft: Arc<dyn RealToComplex<f32>>,
    /// Hann window scaled so a bin-centred sine of amplitude `a` gives magnitude `a`.
    window: Vec<f32>,
    input: Vec<f32>,
    output: Vec<Complex<f32>>,
    scratch: Vec<Complex<f32>>,
}

/// A spectral peak: where it is and how loud.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Peak {
    /// Frequency in Hz, refined between bins by quadratic interpolation of log magnitude.
    pub frequency_hz: f64,
    /// Amplitude of the sine, linear (1.0 = full scale), corrected for the window's scalloping.
    pub amplitude: f64,
}

impl SpectrumAnalyzer {
    /// An analyser for blocks of `size` samples (≥ 2; even sizes are fastest).
    pub fn new(size: usize) -> Self {
        let size = size.max(2);
        let fft = RealFftPlanner::<f32>::new().plan_fft_forward(size);
        let raw: Vec<f32> = (0..size)
            .map(|n| 0.5 - 0.5 * (2.0 * PI * n as f32 / size as f32).cos())
            .collect();
        let coherent_gain: f32 = raw.iter().sum();
        // A sine of amplitude a puts a·Σw/2 in its bin; scale so the bin reads a.
        let window = raw.iter().map(|w| w * 2.0 / coherent_gain).collect();
        Self {
            input: fft.make_input_vec(),
            output: fft.make_output_vec(),
            scratch: fft.make_scratch_vec(),
            fft,
            window,
        }
    }

    /// Block size in samples.
    pub fn size(&self) -> usize {
        self.window.len()
    }

    /// Number of bins `magnitudes` writes: `size / 2 + 1`, bin `k` at `k · fs / size` Hz.
    pub fn bin_count(&self) -> usize {
        self.output.len()
    }

    /// Writes each bin's linear magnitude (a full-scale sine on a bin reads 1.0) for `samples`
    /// (exactly [`size`](Self::size) of them) into `magnitudes` (at least
    /// [`bin_count`](Self::bin_count) long).
    pub fn magnitudes(&mut self, samples: &[f32], magnitudes: &mut [f32]) {
        for ((input, sample), w) in self.input.iter_mut().zip(samples).zip(&self.window) {
            *input = sample * w;
        }
        // Lengths match by construction, so the FFT cannot fail.
        if self
            .fft
            .process_with_scratch(&mut self.input, &mut self.output, &mut self.scratch)
            .is_ok()
        {
            for (magnitude, bin) in magnitudes.iter_mut().zip(&self.output) {
                *magnitude = bin.norm();
            }
        }
    }

    /// The local maxima of `magnitudes` louder than `threshold` (linear), loudest first.
    /// Allocates: for tests and off-thread analysis, not for drawing every frame.
    pub fn peaks(&self, magnitudes: &[f32], sample_rate_hz: f64, threshold: f32) -> Vec<Peak> {
        let bin_hz = sample_rate_hz / self.size() as f64;
        let mut peaks: Vec<Peak> = (1..magnitudes.len().saturating_sub(1))
            .filter(|&k| {
                let m = magnitudes[k];
                m > threshold && m > magnitudes[k - 1] && m >= magnitudes[k + 1]
            })
            .map(|k| {
                let [a, b, c] = [k - 1, k, k + 1].map(|i| f64::from(magnitudes[i].max(1e-30)).ln());
                let denominator = a - 2.0 * b + c;
                let offset = if denominator < 0.0 {
                    0.5 * (a - c) / denominator
                } else {
                    0.0
                };
                // A Hann window's main lobe is close to Gaussian in log magnitude, so the same
                // parabola gives the height of the true peak between bins.
                let log_peak = b - 0.25 * (a - c) * offset;
                Peak {
                    frequency_hz: (k as f64 + offset) * bin_hz,
                    amplitude: log_peak.exp(),
                }
            })
            .collect();
        peaks.sort_by(|x, y| y.amplitude.total_cmp(&x.amplitude));
        peaks
    }
}

/// Analyses `samples` (any length ≥ 2) in one block: the peaks above `threshold`, loudest first.
pub fn find_peaks(samples: &[f32], sample_rate_hz: f64, threshold: f32) -> Vec<Peak> {
    let mut analyzer = SpectrumAnalyzer::new(samples.len());
    let mut magnitudes = vec![0.0; analyzer.bin_count()];
    analyzer.magnitudes(samples, &mut magnitudes);
    analyzer.peaks(&magnitudes, sample_rate_hz, threshold)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sine(frequency_hz: f64, amplitude: f64, sample_rate_hz: f64, len: usize) -> Vec<f32> {
        (0..len)
            .map(|n| {
                let phase = std::f64::consts::TAU * frequency_hz * n as f64 / sample_rate_hz;
                (amplitude * phase.sin()) as f32
            })
            .collect()
    }

    #[test]
    fn finds_a_bin_centred_sine_exactly() {
        let peaks = find_peaks(&sine(1000.0, 0.5, 48_000.0, 4800), 48_000.0, 0.01);
        assert_eq!(peaks.len(), 1);
        assert!((peaks[0].frequency_hz - 1000.0).abs() < 1e-3);
        assert!((peaks[0].amplitude - 0.5).abs() < 1e-3);
    }

    #[test]
    fn interpolates_a_sine_between_bins() {
        let peaks = find_peaks(&sine(1234.56, 0.2, 48_000.0, 4096), 48_000.0, 0.01);
        assert!((peaks[0].frequency_hz - 1234.56).abs() < 0.5, "{peaks:?}");
        assert!((peaks[0].amplitude - 0.2).abs() < 0.01, "{peaks:?}");
    }
}
