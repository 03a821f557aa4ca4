//! A partial's row as what it is in MIDI mode: partial 1 plays the key, and every other partial
//! is its ratio to partial 1 ("×1.25", "+386.3c"), typed as a ratio ("3:2", "7/4", "+386c",
//! "h7"). Each row also says what the partial plays for the newest note sounding.
//!
//! The frequency parameters keep holding Hz (the drone's pitches): a typed ratio sets partial
//! 1's Hz × the ratio. Partial 1's own box is locked in MIDI mode: moving it would move no note
//! (the key decides partial 1's pitch) but would retune every other partial at once, since their
//! ratios are measured against it. It keeps its Hz for the drone.

use super::param_slider::{BoxText, ParamSlider, Typed};
use super::tooltips;
use crate::dsp::PARTIAL_COUNT;
use crate::engine::pitch::note_name;
use crate::params::frequency_to_text;
use nice_plug::prelude::{FloatParam, ParamSetter};
use quintet_core::params::Param;
use quintet_core::params::frequency_text::value_that_lands_on;
use quintet_core::params::ratio_text::{
    frequency_for_ratio, ratio_of, ratio_to_cents_text, ratio_to_text, text_to_ratio,
};

/// What partial 1's box says in MIDI mode: it is the reference, the key.
pub const KEY_TEXT: &str = "×1 (key)";
/// What a row says it plays when no note sounds.
const NO_NOTE: &str = "—";

/// The value box of partial `partial` (1 ..= 4, 0-based) in MIDI mode: its ratio to partial 1.
pub struct RatioBox {
    /// Which partial, 0-based (never 0: partial 1 is the key).
    pub partial: usize,
    /// Partial 1's frequency setting, Hz.
    pub reference_hz: f32,
}

impl RatioBox {
    fn param(&self) -> Param {
        Param::FREQUENCIES[self.partial]
    }
}

impl BoxText for RatioBox {
    fn shown(&self, normalized: f32) -> String {
        let hz = self.param().spec().unnormalize(normalized);
        ratio_to_text(ratio_of(hz, self.reference_hz))
    }

    fn typed(&self, text: &str) -> Result<Typed, String> {
        let ratio = text_to_ratio(text).map_err(|error| error.to_string())?;
        let (hz, notice) = match frequency_for_ratio(ratio, self.reference_hz) {
            Ok(hz) => (hz, None),
            Err(out_of_reach) => (out_of_reach.nearest_hz, Some(out_of_reach.to_string())),
        };
        // The position whose value is `hz` on the 0.01 Hz grid, as a typed Hz text gets.
        let normalized = self.param().spec().normalize(value_that_lands_on(hz));
        Ok(Typed { normalized, notice })
    }
}

/// Partial 1's value box in MIDI mode: [`KEY_TEXT`], locked (the slider is disabled, so
/// nothing is ever typed into it).
pub struct KeyBox;

impl BoxText for KeyBox {
    fn shown(&self, _normalized: f32) -> String {
        String::from(KEY_TEXT)
    }

    fn typed(&self, _text: &str) -> Result<Typed, String> {
        Err(String::from("partial 1 plays the key in MIDI mode"))
    }
}

/// Partial `partial`'s frequency slider (0-based), `width` points wide without its box: in Hz as
/// a drone; in MIDI mode (partial 1 at `midi_reference_hz`) partial 1 locked as the key and the
/// others as ratios.
pub fn frequency_slider_ui(
    ui: &mut egui::Ui,
    setter: &ParamSetter,
    param: &FloatParam,
    partial: usize,
    midi_reference_hz: Option<f32>,
    width: f32,
) {
    let tooltip = tooltips::for_param(Param::FREQUENCIES[partial], midi_reference_hz);
    let slider = ParamSlider::for_param(param, setter)
        .with_width(width)
        .with_tooltip(&tooltip);
    match midi_reference_hz {
        None => ui.add(slider),
        Some(_) if partial == 0 => ui.add_enabled(false, slider.with_text(&KeyBox)),
        Some(reference_hz) => {
            let ratio = RatioBox {
                partial,
                reference_hz,
            };
            ui.add(slider.with_text(&ratio))
        }
    };
}

/// What partial `partial`'s row says in MIDI mode, beside its name: for partial 1 the newest
/// note and its frequency ("key C4 · 261.63 Hz"), for the others their interval to partial 1
/// and what they play for that note ("+386.3c · 327.03 Hz"); "—" for the frequency while no
/// note sounds. `frequencies_hz` are the five settings, `newest` the newest note's key and
/// partials ([`super::what_plays::WhatPlays::newest`]).
pub fn row_text(
    partial: usize,
    frequencies_hz: [f32; PARTIAL_COUNT],
    newest: Option<(u8, [f32; PARTIAL_COUNT])>,
) -> String {
    let plays = newest.map_or_else(
        || String::from(NO_NOTE),
        |(_, hz)| frequency_to_text(hz[partial]),
    );
    if partial == 0 {
        match newest {
            Some((key, _)) => format!("key {} · {plays}", note_name(key)),
            None => format!("key · {plays}"),
        }
    } else {
        let ratio = ratio_of(frequencies_hz[partial], frequencies_hz[0]);
        format!("{} · {plays}", ratio_to_cents_text(ratio))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DEFAULTS: [f32; PARTIAL_COUNT] = [200.0, 250.0, 300.0, 350.0, 400.0];

    fn ratio_box(partial: usize, reference_hz: f32) -> RatioBox {
        RatioBox {
            partial,
            reference_hz,
        }
    }

    fn hz_at(partial: usize, typed: &Typed) -> f32 {
        Param::FREQUENCIES[partial]
            .spec()
            .unnormalize(typed.normalized)
    }

    #[test]
    fn a_partial_shows_its_ratio_to_partial_1() {
        let spec = Param::FREQUENCIES[1].spec();
        let at = |hz: f32| spec.normalize(hz);
        assert_eq!(ratio_box(1, 200.0).shown(at(250.0)), "×1.25");
        assert_eq!(ratio_box(4, 200.0).shown(at(400.0)), "×2");
        assert_eq!(ratio_box(2, 400.0).shown(at(300.0)), "×0.75");
        assert_eq!(KeyBox.shown(at(200.0)), KEY_TEXT);
    }

    #[test]
    fn a_typed_ratio_sets_partial_1_times_it() {
        for (text, hz) in [
            ("×2", 400.0),
            ("x2", 400.0),
            ("2", 400.0),
            ("3:2", 300.0),
            ("7/4", 350.0),
            ("h7", 1400.0),
            ("+1200c", 400.0),
            ("-1200c", 100.0),
        ] {
            let typed = ratio_box(1, 200.0).typed(text).unwrap();
            assert_eq!(typed.notice, None, "{text}");
            assert_eq!(hz_at(1, &typed), hz, "{text}");
        }
        // On the 0.01 Hz grid, as the box then shows it.
        let typed = ratio_box(2, 261.63).typed("+386c").unwrap();
        assert_eq!(frequency_to_text(hz_at(2, &typed)), "326.98 Hz");
    }

    #[test]
    fn a_ratio_past_the_range_is_clamped_and_said() {
        let typed = ratio_box(3, 200.0).typed("×200").unwrap();
        assert_eq!(hz_at(3, &typed), 20_000.0);
        assert_eq!(
            typed.notice.as_deref(),
            Some(
                "×200 of partial 1's 200 Hz is above the 20 Hz – 20.00 kHz range: \
                 set to ×100 (20.00 kHz)"
            )
        );
        let typed = ratio_box(1, 20.0).typed("1:3").unwrap();
        assert_eq!(hz_at(1, &typed), 20.0);
        assert!(typed.notice.is_some());
    }

    #[test]
    fn bad_text_is_refused_with_the_reason() {
        for (text, reason) in [
            ("abc", "not a ratio: “abc” (type ×2, 3:2, 7/4, +386c or h7)"),
            ("3:0", "“3:0” divides by zero"),
            ("-2", "“-2” is not above zero: a ratio multiplies partial 1"),
        ] {
            assert_eq!(ratio_box(1, 200.0).typed(text), Err(reason.to_owned()));
        }
    }

    #[test]
    fn each_row_says_its_interval_and_what_it_plays() {
        assert_eq!(row_text(0, DEFAULTS, None), "key · —");
        assert_eq!(row_text(1, DEFAULTS, None), "+386.3c · —");
        let c4 = 261.625_58;
        let newest = Some((60, DEFAULTS.map(|hz| hz / 200.0 * c4)));
        assert_eq!(row_text(0, DEFAULTS, newest), "key C4 · 261.63 Hz");
        assert_eq!(row_text(1, DEFAULTS, newest), "+386.3c · 327.03 Hz");
        assert_eq!(row_text(4, DEFAULTS, newest), "+1200c · 523.25 Hz");
    }
}
