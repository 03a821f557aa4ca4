//! The oscilloscope: a still picture of the output's waveform.
//!
//! Five partials on the parameters' 0.1 Hz grid repeat together after 1 / gcd(frequencies):
//! 20 ms with the defaults (gcd 50 Hz). When that common period is short the scope shows a
//! whole number of periods, so the picture is exactly one cycle of what is heard; otherwise it
//! shows a fixed [`FALLBACK_WINDOW_MS`]. Each picture starts at the steepest rising zero
//! crossing found within one window's length: for a periodic wave that is the same point of the
//! cycle in every snapshot, so a steady tone holds still and a slider visibly reshapes it.

use crate::params::FREQUENCY_STEP_HZ;
use egui::{Align2, Color32, FontId, Pos2, Sense, Stroke, Ui, pos2};

/// Shortest time the scope shows, in milliseconds: a short common period is repeated up to this.
pub const MIN_WINDOW_MS: f64 = 5.0;
/// Longest common period the scope shows as such, in milliseconds.
pub const MAX_PERIOD_MS: f64 = 50.0;
/// Time shown when the partials have no common period of at most [`MAX_PERIOD_MS`].
pub const FALLBACK_WINDOW_MS: f64 = 20.0;

/// What the scope shows: `len` samples from the (fractional) sample index `start`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Capture {
    /// Position of the trigger (a rising zero crossing) in the snapshot, in samples.
    pub start: f64,
    /// Length of the picture, in samples.
    pub len: f64,
    /// Whether `len` is a whole number of the partials' common period.
    pub whole_periods: bool,
}

/// The time after which partials at `frequencies_hz` (on a `step_hz` grid) all repeat
/// together, in seconds, if it is at most `max_s`.
pub fn common_period_s(frequencies_hz: &[f32], step_hz: f32, max_s: f64) -> Option<f64> {
    // Count in whole grid steps (10 per Hz for a 0.1 Hz grid) so the arithmetic is exact.
    let steps_per_hz = (1.0 / f64::from(step_hz)).round();
    let gcd_steps = frequencies_hz
        .iter()
        .map(|&hz| (f64::from(hz) * steps_per_hz).round() as u64)
        .fold(0, gcd);
    if gcd_steps == 0 {
        return None;
    }
    let period_s = steps_per_hz / gcd_steps as f64;
    (period_s <= max_s).then_some(period_s)
}

fn gcd(a: u64, b: u64) -> u64 {
    if b == 0 { a } else { gcd(b, a % b) }
}

/// How many samples the scope shows, and whether that is a whole number of common periods.
pub fn window_len(frequencies_hz: &[f32], sample_rate_hz: f32) -> (f64, bool) {
    let sample_rate_hz = f64::from(sample_rate_hz);
    match common_period_s(frequencies_hz, FREQUENCY_STEP_HZ, MAX_PERIOD_MS / 1000.0) {
        Some(period_s) => {
            // The small allowance keeps a period that divides the minimum exactly from rounding
            // up to one period too many.
            let periods = (MIN_WINDOW_MS / 1000.0 / period_s - 1e-9).ceil().max(1.0);
            (periods * period_s * sample_rate_hz, true)
        }
        None => (FALLBACK_WINDOW_MS / 1000.0 * sample_rate_hz, false),
    }
}

/// The steepest rising zero crossing among `samples[from..to]` and the sample after each, as a
/// fractional index (linear interpolation between the samples either side of zero).
pub fn steepest_rising_crossing(samples: &[f32], from: usize, to: usize) -> Option<f64> {
    let to = to.min(samples.len().saturating_sub(1));
    (from..to)
        .filter(|&n| samples[n] < 0.0 && samples[n + 1] >= 0.0)
        .map(|n| (n, samples[n + 1] - samples[n]))
        // `max_by` keeps the last of equals; prefer the earliest instead for stability.
        .fold(None, |best: Option<(usize, f32)>, (n, slope)| match best {
            Some((_, best_slope)) if best_slope >= slope => best,
            _ => Some((n, slope)),
        })
        .map(|(n, slope)| n as f64 - f64::from(samples[n]) / f64::from(slope))
}

/// Chooses the picture for a snapshot (`samples`, newest last) of partials at `frequencies_hz`:
/// the trigger is searched in the window-long stretch that ends one window before the newest
/// sample, so the picture is always complete. `None` while there is too little signal.
pub fn capture(samples: &[f32], sample_rate_hz: f32, frequencies_hz: &[f32]) -> Option<Capture> {
    let (len, whole_periods) = window_len(frequencies_hz, sample_rate_hz);
    let search_len = len.ceil() as usize;
    let search_end = samples.len().checked_sub(search_len + 2)?;
    let search_start = search_end.checked_sub(search_len)?;
    let start = steepest_rising_crossing(samples, search_start, search_end)?;
    Some(Capture {
        start,
        len,
        whole_periods,
    })
}

/// Draws the captured picture of `samples` into all the space `ui` offers; without a picture,
/// `idle_text` says why.
pub fn show(
    ui: &mut Ui,
    samples: &[f32],
    capture: Option<Capture>,
    sample_rate_hz: f32,
    idle_text: &str,
) {
    let (rect, _) = ui.allocate_exact_size(ui.available_size(), Sense::hover());
    let painter = ui.painter_at(rect);
    let visuals = ui.visuals();
    painter.rect_filled(rect, 4.0, visuals.extreme_bg_color);
    let grid = Stroke::new(1.0, visuals.faint_bg_color.gamma_multiply(2.0));
    for fraction in [0.25, 0.5, 0.75] {
        painter.vline(rect.left() + fraction * rect.width(), rect.y_range(), grid);
    }
    // The picture's top is `range` (see `range_for`); a margin keeps the peaks off the frame.
    let half_height = rect.height() * 0.45;
    for level in [-0.5, 0.5] {
        painter.hline(rect.x_range(), rect.center().y - level * half_height, grid);
    }
    let peak = capture.map_or(0.0, |capture| window_peak(samples, capture));
    let range = range_for(peak);
    if range > 1.0 {
        // Full scale, where a fixed-point file or a sound card would clip.
        let over = Stroke::new(1.0, Color32::from_rgb(200, 70, 60));
        for level in [-1.0, 1.0] {
            painter.hline(
                rect.x_range(),
                rect.center().y - level / range * half_height,
                over,
            );
        }
    }
    painter.hline(
        rect.x_range(),
        rect.center().y,
        Stroke::new(1.0, visuals.weak_text_color()),
    );

    let label_font = FontId::proportional(12.0);
    let Some(capture) = capture else {
        painter.text(
            rect.center(),
            Align2::CENTER_CENTER,
            idle_text,
            label_font,
            visuals.weak_text_color(),
        );
        return;
    };
    let first = capture.start.floor() as usize;
    let last = ((capture.start + capture.len).ceil() as usize).min(samples.len() - 1);
    let x_per_sample = f64::from(rect.width()) / capture.len;
    let points: Vec<Pos2> = (first..=last)
        .map(|n| {
            let x = rect.left() + ((n as f64 - capture.start) * x_per_sample) as f32;
            let y = rect.center().y - (samples[n] / range).clamp(-1.1, 1.1) * half_height;
            pos2(x.clamp(rect.left(), rect.right()), y)
        })
        .collect();
    painter.line(points, Stroke::new(2.0, Color32::from_rgb(120, 220, 255)));

    let window_ms = capture.len / f64::from(sample_rate_hz) * 1000.0;
    let caption = if capture.whole_periods {
        format!("Waveform · {window_ms:.1} ms: whole periods, starts at a rising zero crossing")
    } else {
        format!("Waveform · {window_ms:.1} ms, starts at a rising zero crossing")
    };
    painter.text(
        rect.left_top() + egui::vec2(8.0, 6.0),
        Align2::LEFT_TOP,
        caption,
        label_font.clone(),
        visuals.text_color(),
    );
    painter.text(
        rect.right_bottom() + egui::vec2(-8.0, -6.0),
        Align2::RIGHT_BOTTOM,
        range_text(range),
        label_font,
        visuals.weak_text_color(),
    );
}

/// The scale the picture's top stands for: the smallest power of two from 1/64 (−36 dBFS) to 4
/// (+12 dBFS) that holds `peak`, so a quiet patch is not a flat line, overs are drawn whole,
/// and a steady tone keeps its scale (it changes only when the peak crosses a power of two).
pub fn range_for(peak: f32) -> f32 {
    const QUIETEST: f32 = 1.0 / 64.0;
    const LOUDEST: f32 = 4.0;
    let mut range = QUIETEST;
    while range < peak && range < LOUDEST {
        range *= 2.0;
    }
    range
}

/// The scale as the picture's label says it: "±0.25 (−12 dBFS)".
fn range_text(range: f32) -> String {
    let db = 20.0 * range.log10();
    format!("±{range} ({:+.0} dBFS)", db)
        .replace("(+0 dBFS)", "(0 dBFS)")
        .replace('-', "−")
}

/// The largest magnitude in the captured window, 0 for none.
fn window_peak(samples: &[f32], capture: Capture) -> f32 {
    let first = (capture.start.floor() as usize).min(samples.len());
    let last = ((capture.start + capture.len).ceil() as usize).min(samples.len());
    samples[first..last]
        .iter()
        .filter(|sample| sample.is_finite())
        .fold(0.0, |peak, sample| peak.max(sample.abs()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dsp::{DEFAULT_FREQUENCIES_HZ, PartialBank};
    use crate::tap::SNAPSHOT_SAMPLES;

    const SAMPLE_RATE_HZ: f32 = 48_000.0;

    fn render(sample_rate_hz: f32, frequencies_hz: [f64; 5], len: usize) -> Vec<f32> {
        let mut bank = PartialBank::new(f64::from(sample_rate_hz), frequencies_hz);
        let mut out = vec![0.0; len];
        bank.render(&mut out);
        out
    }

    fn default_frequencies() -> [f32; 5] {
        DEFAULT_FREQUENCIES_HZ.map(|hz| hz as f32)
    }

    #[test]
    fn the_default_partials_repeat_every_twenty_milliseconds() {
        let period_s = common_period_s(&default_frequencies(), FREQUENCY_STEP_HZ, 0.05).unwrap();
        assert!((period_s - 0.020).abs() < 1e-12);
        assert_eq!(window_len(&default_frequencies(), 48_000.0), (960.0, true));
    }

    #[test]
    fn a_short_common_period_is_repeated_to_fill_the_minimum_window() {
        // 1 kHz and 2 kHz repeat every 1 ms: show five periods.
        let (len, whole) = window_len(&[1000.0, 2000.0, 3000.0, 4000.0, 5000.0], 48_000.0);
        assert_eq!((len.round(), whole), (240.0, true));
    }

    #[test]
    fn detuned_partials_fall_back_to_a_fixed_window() {
        let (len, whole) = window_len(&[200.0, 250.1, 300.0, 350.0, 400.0], 48_000.0);
        assert_eq!((len, whole), (960.0, false));
    }

    #[test]
    fn a_captured_period_is_one_whole_cycle_of_the_rendered_signal() {
        let rendered = render(SAMPLE_RATE_HZ, DEFAULT_FREQUENCIES_HZ, SNAPSHOT_SAMPLES);
        let capture = capture(&rendered, SAMPLE_RATE_HZ, &default_frequencies()).unwrap();
        assert_eq!(capture.len, 960.0);
        let start = capture.start.ceil() as usize;
        // It starts on a rising zero crossing of the signal...
        let before = rendered[start - 1];
        let after = rendered[start];
        assert!(before < 0.0 && after >= 0.0, "{before} {after}");
        // ...and the stretch it shows is exactly what was played one period earlier: a whole
        // cycle, so the picture's right edge joins its left edge without a seam.
        for n in start..start + 960 {
            assert!(
                (rendered[n] - rendered[n - 960]).abs() < 1e-4,
                "sample {n}: {} vs {}",
                rendered[n],
                rendered[n - 960]
            );
        }
        // The picture spans the wave's whole swing (peak ≈ 0.94 of the voice level for the
        // defaults).
        let shown = &rendered[start..start + 960];
        let peak = shown.iter().fold(0.0_f32, |m, s| m.max(s.abs()));
        let level = crate::dsp::VOICE_LEVEL;
        assert!((0.9 * level..=level).contains(&peak), "{peak}");
    }

    #[test]
    fn a_steady_tone_holds_still_from_snapshot_to_snapshot() {
        let rendered = render(SAMPLE_RATE_HZ, DEFAULT_FREQUENCIES_HZ, 4 * SNAPSHOT_SAMPLES);
        let picture = |end: usize| {
            let snapshot = &rendered[end - SNAPSHOT_SAMPLES..end];
            let capture = capture(snapshot, SAMPLE_RATE_HZ, &default_frequencies()).unwrap();
            let first = capture.start.ceil() as usize;
            (capture.start.fract(), snapshot[first..first + 960].to_vec())
        };
        let (fraction, reference) = picture(SNAPSHOT_SAMPLES);
        // Snapshots end wherever a host's blocks happen to end.
        for end in [
            SNAPSHOT_SAMPLES + 1584,
            2 * SNAPSHOT_SAMPLES + 37,
            4 * SNAPSHOT_SAMPLES,
        ] {
            let (other_fraction, other) = picture(end);
            assert!((other_fraction - fraction).abs() < 1e-3);
            for (a, b) in reference.iter().zip(&other) {
                assert!((a - b).abs() < 1e-4, "the picture moved: {a} vs {b}");
            }
        }
    }

    #[test]
    fn a_rising_crossing_is_interpolated_between_samples() {
        let samples = [0.5, -0.5, -0.25, 0.75, 0.2, -0.1, 0.0, 1.0];
        // Crossings at 2→3 (slope 1.0, at 2.25) and 5→6 (slope 0.1): the steeper wins.
        assert_eq!(
            steepest_rising_crossing(&samples, 0, samples.len()),
            Some(2.25)
        );
        assert_eq!(
            steepest_rising_crossing(&samples, 4, samples.len()),
            Some(6.0)
        );
        assert_eq!(steepest_rising_crossing(&[0.1, 0.2, 0.3], 0, 3), None);
    }

    #[test]
    fn the_scale_is_the_smallest_power_of_two_that_holds_the_peak() {
        assert_eq!(range_for(0.47), 0.5);
        assert_eq!(range_for(0.5), 0.5);
        assert_eq!(range_for(0.51), 1.0);
        assert_eq!(range_for(1.5), 2.0);
        assert_eq!(range_for(100.0), 4.0);
        assert_eq!(range_for(0.0), 1.0 / 64.0);
        assert_eq!(range_for(f32::NAN), 1.0 / 64.0);
        assert_eq!(range_text(0.25), "±0.25 (−12 dBFS)");
        assert_eq!(range_text(1.0), "±1 (0 dBFS)");
        assert_eq!(range_text(2.0), "±2 (+6 dBFS)");
    }

    #[test]
    fn too_little_signal_captures_nothing() {
        assert_eq!(
            capture(&[0.0; 100], SAMPLE_RATE_HZ, &default_frequencies()),
            None
        );
    }
}
