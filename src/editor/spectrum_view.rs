//! The spectrum view: the output's spectrum on a log frequency axis (20 Hz – 20 kHz) in dBFS,
//! with a marker at each partial's frequency so the five lines visibly sit on their markers.
//!
//! The FFT ([`SpectrumAnalyzer`], Hann window) runs here on the GUI thread, once per snapshot
//! from the tap; its plan and buffers are made again only when the sample rate changes the size.

use super::marker_labels::{self, LABEL_ROWS, Label};
use crate::spectrum::SpectrumAnalyzer;
use crate::tap::SNAPSHOT_SAMPLES;
use egui::{Align2, Color32, FontId, Pos2, Rect, Sense, Shape, Stroke, Ui, pos2, vec2};

/// Height of the title line above the plot, in points.
const TITLE_HEIGHT_PT: f32 = 20.0;
/// Height of one row of partial numbers above the plot, in points.
const LABEL_ROW_PT: f32 = 13.0;

/// Left edge of the frequency axis, in Hz.
pub const MIN_HZ: f32 = 20.0;
/// Right edge of the frequency axis, in Hz.
pub const MAX_HZ: f32 = 20_000.0;
/// Top of the level axis, in dBFS.
pub const TOP_DB: f32 = 0.0;
/// Bottom of the level axis, in dBFS.
pub const BOTTOM_DB: f32 = -100.0;
/// The least audio an analysis should cover, in milliseconds: long enough that partials 50 Hz
/// apart are well separated (bins of about 6 Hz at 48 kHz), short enough to follow a slider
/// within a frame or two. [`fft_size`] rounds it up to a power of two (8192 points, 171 ms, at
/// 48 kHz), but never past one snapshot: at 192 kHz the 16384-point cap covers only 85 ms.
pub const ANALYSIS_MS: f32 = 150.0;

/// FFT size for `sample_rate_hz`: the power of two at or above [`ANALYSIS_MS`], at most one
/// snapshot.
pub fn fft_size(sample_rate_hz: f32) -> usize {
    let samples = (sample_rate_hz * ANALYSIS_MS / 1000.0).max(1.0) as usize;
    samples.next_power_of_two().clamp(1024, SNAPSHOT_SAMPLES)
}

/// Converts a linear amplitude (1.0 = a full-scale sine) to dBFS, clamped to the axis bottom.
pub fn amplitude_to_db(amplitude: f32) -> f32 {
    (20.0 * amplitude.max(1e-12).log10()).max(BOTTOM_DB)
}

/// Where `frequency_hz` sits on the log axis: 0 at [`MIN_HZ`], 1 at [`MAX_HZ`].
pub fn axis_position(frequency_hz: f32) -> f32 {
    (frequency_hz / MIN_HZ).ln() / (MAX_HZ / MIN_HZ).ln()
}

/// The frequency at `position` on the log axis (the inverse of [`axis_position`]).
fn axis_frequency(position: f32) -> f32 {
    MIN_HZ * (MAX_HZ / MIN_HZ).powf(position)
}

/// Resamples bin levels (`levels_db[k]` at `k · bin_hz`) onto `columns` equal steps of the log
/// axis, writing one level per column into `out`. Where a column spans several bins it takes
/// the loudest, so a narrow peak survives at high frequencies; where bins are wider than
/// columns it interpolates, so low partials are drawn as smooth peaks on their frequency.
pub fn column_levels_db(levels_db: &[f32], bin_hz: f32, columns: usize, out: &mut Vec<f32>) {
    out.clear();
    let last_bin = levels_db.len().saturating_sub(1);
    let level_at = |hz: f32| {
        let bin = (hz / bin_hz).clamp(0.0, last_bin as f32);
        let below = bin.floor() as usize;
        let above = (below + 1).min(last_bin);
        let t = bin - below as f32;
        levels_db[below] * (1.0 - t) + levels_db[above] * t
    };
    out.extend((0..columns).map(|column| {
        let low_hz = axis_frequency(column as f32 / columns as f32);
        let high_hz = axis_frequency((column + 1) as f32 / columns as f32);
        let first_bin = (low_hz / bin_hz).ceil() as usize;
        let last_bin_in_column = ((high_hz / bin_hz).floor() as usize).min(last_bin);
        if first_bin <= last_bin_in_column {
            levels_db[first_bin..=last_bin_in_column]
                .iter()
                .copied()
                .fold(BOTTOM_DB, f32::max)
        } else {
            level_at((low_hz * high_hz).sqrt())
        }
    }));
}

/// The spectrum of the newest snapshot, ready to draw.
pub struct SpectrumView {
    analyzer: SpectrumAnalyzer,
    /// Linear magnitude per bin of the last analysis.
    magnitudes: Vec<f32>,
    /// Level per bin of the last analysis, dBFS.
    levels_db: Vec<f32>,
    /// Sample rate of the last analysis, Hz (0 before the first).
    sample_rate_hz: f32,
    /// Level per pixel column, reused from frame to frame.
    columns_db: Vec<f32>,
}

impl Default for SpectrumView {
    fn default() -> Self {
        Self::with_size(fft_size(48_000.0))
    }
}

impl SpectrumView {
    fn with_size(size: usize) -> Self {
        let analyzer = SpectrumAnalyzer::new(size);
        let bins = analyzer.bin_count();
        Self {
            analyzer,
            magnitudes: vec![0.0; bins],
            levels_db: vec![BOTTOM_DB; bins],
            sample_rate_hz: 0.0,
            columns_db: Vec::new(),
        }
    }

    /// Analyses the newest samples of `samples` (newest last, at least one FFT long).
    pub fn analyse(&mut self, samples: &[f32], sample_rate_hz: f32) {
        let size = fft_size(sample_rate_hz);
        if self.analyzer.size() != size {
            *self = Self::with_size(size);
        }
        let Some(newest) = samples.get(samples.len().wrapping_sub(size)..) else {
            return;
        };
        self.analyzer.magnitudes(newest, &mut self.magnitudes);
        for (level, magnitude) in self.levels_db.iter_mut().zip(&self.magnitudes) {
            *level = amplitude_to_db(*magnitude);
        }
        self.sample_rate_hz = sample_rate_hz;
    }

    /// Width of one bin of the last analysis, Hz.
    fn bin_hz(&self) -> f32 {
        self.sample_rate_hz / self.analyzer.size() as f32
    }

    /// Draws the spectrum into all the space `ui` offers, with a marker per `(frequency in Hz,
    /// partial number 1 ..= 5, colour)` of `markers`.
    pub fn show(&mut self, ui: &mut Ui, markers: &[(f32, usize, Color32)]) {
        let (rect, _) = ui.allocate_exact_size(ui.available_size(), Sense::hover());
        let painter = ui.painter_at(rect);
        let visuals = ui.visuals();
        painter.rect_filled(rect, 4.0, visuals.extreme_bg_color);
        // Room for the axis labels, and above the plot for the title and the rows of partial
        // numbers (below the title, so a low partial's number never prints over it).
        let top = TITLE_HEIGHT_PT + LABEL_ROWS as f32 * LABEL_ROW_PT;
        let plot = Rect::from_min_max(rect.min + vec2(34.0, top), rect.max - vec2(10.0, 18.0));
        let x_of = |hz: f32| plot.left() + axis_position(hz) * plot.width();
        let y_of = |db: f32| {
            let t = ((db - BOTTOM_DB) / (TOP_DB - BOTTOM_DB)).clamp(0.0, 1.0);
            plot.bottom() - t * plot.height()
        };
        let grid = Stroke::new(1.0, visuals.faint_bg_color.gamma_multiply(2.0));
        let label_font = FontId::proportional(11.0);
        let label_color = visuals.weak_text_color();
        for (hz, label) in [
            (20.0, "20"),
            (50.0, "50"),
            (100.0, "100"),
            (200.0, "200"),
            (500.0, "500"),
            (1000.0, "1k"),
            (2000.0, "2k"),
            (5000.0, "5k"),
            (10_000.0, "10k"),
            (20_000.0, "20k"),
        ] {
            let x = x_of(hz);
            painter.vline(x, plot.y_range(), grid);
            painter.text(
                pos2(x, plot.bottom() + 3.0),
                Align2::CENTER_TOP,
                label,
                label_font.clone(),
                label_color,
            );
        }
        for db in [0.0, -20.0, -40.0, -60.0, -80.0, -100.0] {
            let y = y_of(db);
            painter.hline(plot.x_range(), y, grid);
            painter.text(
                pos2(plot.left() - 4.0, y),
                Align2::RIGHT_CENTER,
                format!("{db:.0}"),
                label_font.clone(),
                label_color,
            );
        }
        painter.text(
            rect.left_top() + vec2(8.0, 4.0),
            Align2::LEFT_TOP,
            "Spectrum · dBFS over Hz (log)",
            FontId::proportional(12.0),
            visuals.text_color(),
        );

        let font = FontId::proportional(12.0);
        let shown: Vec<(f32, usize, Color32)> = markers
            .iter()
            .copied()
            .filter(|(hz, _, _)| (MIN_HZ..=MAX_HZ).contains(hz))
            .collect();
        let labels: Vec<Label> = shown
            .iter()
            .map(|&(hz, number, _)| Label {
                x: x_of(hz),
                width: painter
                    .layout_no_wrap(number.to_string(), font.clone(), Color32::WHITE)
                    .size()
                    .x,
                number,
            })
            .collect();
        let rows = marker_labels::place(&labels, plot.left(), plot.right());
        for ((hz, number, color), row) in shown.into_iter().zip(rows) {
            let x = x_of(hz);
            painter.add(Shape::dashed_line(
                &[pos2(x, plot.top()), pos2(x, plot.bottom())],
                Stroke::new(1.0, color.gamma_multiply(0.8)),
                4.0,
                3.0,
            ));
            if let Some(row) = row {
                painter.text(
                    pos2(x, plot.top() - 1.0 - row as f32 * LABEL_ROW_PT),
                    Align2::CENTER_BOTTOM,
                    number.to_string(),
                    font.clone(),
                    color,
                );
            }
        }

        if self.sample_rate_hz <= 0.0 {
            return;
        }
        let columns = plot.width().max(1.0) as usize;
        let bin_hz = self.bin_hz();
        column_levels_db(&self.levels_db, bin_hz, columns, &mut self.columns_db);
        let curve: Vec<Pos2> = self
            .columns_db
            .iter()
            .enumerate()
            .map(|(column, &db)| {
                let x = plot.left() + (column as f32 + 0.5) * plot.width() / columns as f32;
                pos2(x, y_of(db))
            })
            .collect();
        let fill = Color32::from_rgba_unmultiplied(120, 220, 255, 40);
        let below: Vec<Shape> = curve
            .iter()
            .map(|point| {
                Shape::line_segment(
                    [*point, pos2(point.x, plot.bottom())],
                    Stroke::new(plot.width() / columns as f32 + 0.5, fill),
                )
            })
            .collect();
        painter.extend(below);
        painter.line(curve, Stroke::new(1.5, Color32::from_rgb(120, 220, 255)));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dsp::{DEFAULT_FREQUENCIES_HZ, PartialBank};

    const SAMPLE_RATE_HZ: f32 = 48_000.0;

    fn default_tone_view() -> SpectrumView {
        let mut bank = PartialBank::new(f64::from(SAMPLE_RATE_HZ), DEFAULT_FREQUENCIES_HZ);
        let mut samples = vec![0.0; SNAPSHOT_SAMPLES];
        bank.render(&mut samples);
        let mut view = SpectrumView::default();
        view.analyse(&samples, SAMPLE_RATE_HZ);
        view
    }

    /// Indices of local maxima louder than `threshold_db`.
    fn local_maxima(levels: &[f32], threshold_db: f32) -> Vec<usize> {
        (1..levels.len() - 1)
            .filter(|&k| {
                levels[k] > threshold_db && levels[k] > levels[k - 1] && levels[k] >= levels[k + 1]
            })
            .collect()
    }

    #[test]
    fn the_default_tone_shows_five_equal_peaks_at_200_to_400_hz() {
        let view = default_tone_view();
        let bin_hz = view.bin_hz();
        assert!(
            bin_hz < 10.0,
            "bins of {bin_hz} Hz cannot separate the partials"
        );
        let peaks = local_maxima(&view.levels_db, -40.0);
        assert_eq!(peaks.len(), 5, "{peaks:?}");
        for (&bin, expected_hz) in peaks.iter().zip(DEFAULT_FREQUENCIES_HZ) {
            let hz = bin as f64 * f64::from(bin_hz);
            assert!(
                (hz - expected_hz).abs() <= f64::from(bin_hz) / 2.0,
                "{hz} Hz"
            );
        }
        // Each partial has amplitude 1/5 of the voice level (−20 dBFS). Read between bins by the
        // analyser, whose parabolic estimate is good to about 0.15 dB with a Hann window.
        let partial_db = 20.0 * f64::from(crate::dsp::PARTIAL_AMPLITUDE).log10();
        let refined = view
            .analyzer
            .peaks(&view.magnitudes, f64::from(SAMPLE_RATE_HZ), 0.01);
        assert_eq!(refined.len(), 5);
        for peak in &refined {
            let db = 20.0 * peak.amplitude.log10();
            assert!((db - partial_db).abs() < 0.25, "{peak:?}: {db} dBFS");
        }
        // On the bins themselves (what is drawn) the window's scalloping costs at most ~1.4 dB.
        let drawn: Vec<f32> = peaks.iter().map(|&k| view.levels_db[k]).collect();
        let spread = drawn.iter().fold(f32::MIN, |a, &b| a.max(b))
            - drawn.iter().fold(f32::MAX, |a, &b| a.min(b));
        assert!(spread < 1.5, "{drawn:?}");
    }

    #[test]
    fn the_drawn_peaks_sit_on_their_markers() {
        let view = default_tone_view();
        let columns = 800;
        let mut drawn = Vec::new();
        column_levels_db(&view.levels_db, view.bin_hz(), columns, &mut drawn);
        let peaks = local_maxima(&drawn, -40.0);
        assert_eq!(peaks.len(), 5, "{peaks:?}");
        for (&column, hz) in peaks.iter().zip(DEFAULT_FREQUENCIES_HZ) {
            let marker_column = axis_position(hz as f32) * columns as f32;
            assert!(
                (column as f32 + 0.5 - marker_column).abs() <= 3.0,
                "{hz} Hz drawn at column {column}, marker at {marker_column}"
            );
        }
    }

    #[test]
    fn a_narrow_high_peak_survives_columns_wider_than_a_bin() {
        let bin_hz = 48_000.0 / 8192.0;
        let mut levels = vec![BOTTOM_DB; 4097];
        levels[(15_000.0 / bin_hz) as usize] = -6.0;
        let mut drawn = Vec::new();
        column_levels_db(&levels, bin_hz, 100, &mut drawn);
        assert_eq!(drawn.iter().fold(f32::MIN, |a, &b| a.max(b)), -6.0);
    }

    #[test]
    fn the_axis_runs_from_20_hz_to_20_khz_in_decades() {
        assert_eq!(axis_position(MIN_HZ), 0.0);
        assert!((axis_position(MAX_HZ) - 1.0).abs() < 1e-6);
        assert!((axis_position(200.0) - 1.0 / 3.0).abs() < 1e-6);
        assert!((axis_frequency(axis_position(440.0)) - 440.0).abs() < 1e-2);
    }

    #[test]
    fn fft_sizes_keep_bins_narrow_at_common_rates() {
        assert_eq!(fft_size(44_100.0), 8192);
        assert_eq!(fft_size(48_000.0), 8192);
        assert_eq!(fft_size(96_000.0), 16_384);
        assert_eq!(fft_size(192_000.0), SNAPSHOT_SAMPLES);
    }
}
