//! The level meter: the output's peak in dBFS, with a needle that jumps up at once and falls
//! slowly, and a hold line that marks the recent maximum.
//!
//! The audio thread only raises a shared peak (see [`crate::tap`]); the ballistics below run on
//! the GUI thread with the real time between frames, so they do not depend on the host's block
//! size or on how often the editor happens to draw.

use egui::{Align2, Color32, FontId, Rect, Sense, Stroke, StrokeKind, Ui, pos2, vec2};

/// Bottom of the meter's scale, in dBFS: anything quieter reads as silence.
pub const FLOOR_DB: f32 = -60.0;
/// Top of the meter's scale, in dBFS (a little headroom above full scale).
pub const CEILING_DB: f32 = 3.0;
/// How fast the needle falls once the signal drops, in dB per second (close to a PPM's
/// 20 dB in 1.7 s).
pub const FALL_DB_PER_S: f32 = 12.0;
/// How long the hold line stays at a maximum before it falls too, in seconds.
pub const HOLD_S: f32 = 1.5;

/// Converts a linear amplitude to dBFS, reading silence as [`FLOOR_DB`].
pub fn amplitude_to_dbfs(amplitude: f32) -> f32 {
    if amplitude > 0.0 {
        (20.0 * amplitude.log10()).max(FLOOR_DB)
    } else {
        FLOOR_DB
    }
}

/// The meter's state: where the needle and the hold line are.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PeakNeedle {
    /// Needle position, dBFS.
    level_db: f32,
    /// Hold line position, dBFS.
    hold_db: f32,
    /// Time the hold line has left before it starts to fall, in seconds.
    hold_left_s: f32,
}

impl Default for PeakNeedle {
    fn default() -> Self {
        Self {
            level_db: FLOOR_DB,
            hold_db: FLOOR_DB,
            hold_left_s: 0.0,
        }
    }
}

impl PeakNeedle {
    /// Moves the needle on by `elapsed_s` seconds, given the loudest sample (linear) played in
    /// that time: up at once to a louder peak, otherwise down at [`FALL_DB_PER_S`].
    pub fn update(&mut self, peak_amplitude: f32, elapsed_s: f32) {
        let elapsed_s = elapsed_s.max(0.0);
        let peak_db = amplitude_to_dbfs(peak_amplitude);
        let fallen_db = (self.level_db - FALL_DB_PER_S * elapsed_s).max(FLOOR_DB);
        self.level_db = peak_db.max(fallen_db);

        if self.level_db >= self.hold_db {
            self.hold_db = self.level_db;
            self.hold_left_s = HOLD_S;
        } else if self.hold_left_s > elapsed_s {
            self.hold_left_s -= elapsed_s;
        } else {
            let falling_s = elapsed_s - self.hold_left_s;
            self.hold_left_s = 0.0;
            self.hold_db = (self.hold_db - FALL_DB_PER_S * falling_s).max(self.level_db);
        }
    }

    /// Needle position, dBFS ([`FLOOR_DB`] for silence).
    pub fn level_db(&self) -> f32 {
        self.level_db
    }

    /// Hold line position, dBFS.
    pub fn hold_db(&self) -> f32 {
        self.hold_db
    }

    /// Whether the needle or the hold line will still move without new signal.
    pub fn is_moving(&self) -> bool {
        self.level_db > FLOOR_DB || self.hold_db > FLOOR_DB
    }
}

/// The red of the meter's top segment and of an over's readout.
const OVER_COLOR: Color32 = Color32::from_rgb(235, 80, 70);

/// The level in numbers ("-inf" for silence, a sign above full scale), and whether the hold
/// line marks an over: a peak above 0 dBFS in the last [`HOLD_S`]. Nothing clamps Quintet's
/// output, so a chord or a gain above 0 dB can pass full scale; a float output carries it, a
/// fixed-point file or device would clip.
fn readout(needle: &PeakNeedle) -> (String, bool) {
    let level = needle.level_db();
    let text = if level <= FLOOR_DB {
        String::from("-inf")
    } else if level > 0.0 {
        format!("{level:+.1}")
    } else {
        format!("{level:.1}")
    };
    (text, needle.hold_db() > 0.0)
}

/// Height of `db` in the meter, 0 at [`FLOOR_DB`] and 1 at [`CEILING_DB`].
fn scale_position(db: f32) -> f32 {
    ((db - FLOOR_DB) / (CEILING_DB - FLOOR_DB)).clamp(0.0, 1.0)
}

/// Draws the meter into all the space `ui` offers: a scale, the bar up to the needle, the hold
/// line and the level in numbers.
pub fn show(ui: &mut Ui, needle: &PeakNeedle) {
    let (rect, _) = ui.allocate_exact_size(ui.available_size(), Sense::hover());
    let painter = ui.painter_at(rect);
    let visuals = ui.visuals();
    let text_color = visuals.text_color();
    let readout_height = 34.0;
    let bar = Rect::from_min_max(
        pos2(rect.left() + 4.0, rect.top() + 8.0),
        pos2(rect.left() + 22.0, rect.bottom() - readout_height),
    );
    let y_of = |db: f32| bar.bottom() - scale_position(db) * bar.height();

    painter.rect_filled(bar, 2.0, visuals.extreme_bg_color);
    let level_top = y_of(needle.level_db());
    if needle.level_db() > FLOOR_DB {
        // Green up to −12 dBFS, amber to −3, red above: the colours a mixing desk uses.
        for (from_db, to_db, color) in [
            (FLOOR_DB, -12.0, Color32::from_rgb(80, 200, 120)),
            (-12.0, -3.0, Color32::from_rgb(240, 190, 70)),
            (-3.0, CEILING_DB, OVER_COLOR),
        ] {
            let top = y_of(to_db).max(level_top);
            let bottom = y_of(from_db);
            if top < bottom {
                let segment = Rect::from_x_y_ranges(bar.x_range(), top..=bottom);
                painter.rect_filled(segment, 0.0, color);
            }
        }
    }
    if needle.hold_db() > FLOOR_DB {
        painter.hline(
            bar.x_range(),
            y_of(needle.hold_db()),
            Stroke::new(2.0, text_color),
        );
    }
    painter.rect_stroke(
        bar,
        2.0,
        visuals.widgets.noninteractive.bg_stroke,
        StrokeKind::Outside,
    );

    let tick_font = FontId::proportional(10.0);
    for db in [0.0, -6.0, -12.0, -24.0, -36.0, -48.0, -60.0] {
        let y = y_of(db);
        painter.hline(
            bar.right()..=bar.right() + 4.0,
            y,
            Stroke::new(1.0, text_color),
        );
        painter.text(
            pos2(bar.right() + 6.0, y),
            Align2::LEFT_CENTER,
            format!("{db:.0}"),
            tick_font.clone(),
            visuals.weak_text_color(),
        );
    }

    let (readout, over) = readout(needle);
    let readout_pos = pos2(rect.center().x, rect.bottom() - readout_height + 6.0);
    painter.text(
        readout_pos,
        Align2::CENTER_TOP,
        readout,
        FontId::monospace(13.0),
        if over { OVER_COLOR } else { text_color },
    );
    painter.text(
        readout_pos + vec2(0.0, 15.0),
        Align2::CENTER_TOP,
        "dBFS",
        tick_font,
        visuals.weak_text_color(),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f32, b: f32) -> bool {
        (a - b).abs() < 1e-4
    }

    #[test]
    fn reads_full_scale_as_zero_and_silence_as_the_floor() {
        assert!(close(amplitude_to_dbfs(1.0), 0.0));
        assert!(close(amplitude_to_dbfs(0.5), -6.0206));
        assert_eq!(amplitude_to_dbfs(0.0), FLOOR_DB);
        assert_eq!(amplitude_to_dbfs(1e-9), FLOOR_DB);
    }

    /// Issue 23: the output is no longer clamped, so the meter tells an over (above 0 dBFS)
    /// from a loud peak: the readout has a sign and turns red, and stays red while the hold
    /// line marks the over.
    #[test]
    fn an_over_reads_with_its_sign_and_is_marked_until_the_hold_falls() {
        let mut needle = PeakNeedle::default();
        needle.update(0.9, 0.01);
        assert_eq!(readout(&needle), (String::from("-0.9"), false));
        needle.update(2.0, 0.01);
        assert_eq!(readout(&needle), (String::from("+6.0"), true));
        needle.update(0.0, 1.0);
        assert!(readout(&needle).1, "held");
        needle.update(0.0, HOLD_S);
        assert!(!readout(&needle).1, "the hold fell below full scale");
        assert_eq!(
            readout(&PeakNeedle::default()),
            (String::from("-inf"), false)
        );
    }

    #[test]
    fn the_needle_jumps_up_at_once() {
        let mut needle = PeakNeedle::default();
        needle.update(0.5, 0.001);
        assert!(close(needle.level_db(), -6.0206));
        assert!(close(needle.hold_db(), -6.0206));
    }

    #[test]
    fn the_needle_falls_at_its_rate_and_stops_at_the_floor() {
        let mut needle = PeakNeedle::default();
        needle.update(1.0, 0.0);
        needle.update(0.0, 0.5);
        assert!(close(needle.level_db(), -0.5 * FALL_DB_PER_S));
        needle.update(0.0, 1.0);
        assert!(close(needle.level_db(), -1.5 * FALL_DB_PER_S));
        needle.update(0.0, 100.0);
        assert_eq!(needle.level_db(), FLOOR_DB);
        assert!(!needle.is_moving());
    }

    #[test]
    fn a_steady_tone_holds_the_needle_still() {
        let mut needle = PeakNeedle::default();
        for _ in 0..100 {
            needle.update(0.94, 1.0 / 30.0);
        }
        assert!(close(needle.level_db(), amplitude_to_dbfs(0.94)));
    }

    #[test]
    fn the_hold_line_waits_then_falls_but_never_below_the_needle() {
        let mut needle = PeakNeedle::default();
        needle.update(1.0, 0.0);
        needle.update(0.25, 1.0);
        assert!(close(needle.hold_db(), 0.0), "still holding");
        assert!(close(needle.level_db(), -12.0), "{}", needle.level_db());
        needle.update(0.25, 1.0);
        // Held for HOLD_S, then fell for the remaining 0.5 s.
        assert!(close(needle.hold_db(), -(2.0 - HOLD_S) * FALL_DB_PER_S));
        needle.update(0.25, 10.0);
        assert!(close(needle.hold_db(), needle.level_db()));
    }
}
