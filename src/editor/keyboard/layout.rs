//! Where the on-screen keys lie: how many octaves a width holds, which ones they are (around the
//! octave the computer keys play), each key's rectangle, the key under the pointer and the
//! velocity of a key struck at a given depth. Plain geometry, tested without a display.

use egui::{Pos2, Rect, pos2, vec2};

/// The narrowest a white key gets, in points: a wider keyboard shows more octaves rather than
/// wider keys, never narrower ones than this.
pub const MIN_WHITE_KEY_PT: f32 = 14.0;
/// The fewest octaves shown: the computer keys' octave.
const MIN_OCTAVES: u8 = 1;
/// The most octaves shown: MIDI's ten whole octaves, keys 0 (C-1) to 120 (C9).
const MAX_OCTAVES: u8 = 10;
/// The highest C whose octave (up to the next C, as the computer keys play it) MIDI holds.
pub const HIGHEST_OCTAVE_C: u8 = 108;
/// The velocity of a key struck at its back (top) edge; it grows linearly to
/// [`VELOCITY_FRONT`] at its front (bottom) edge, as a key struck further out hits harder.
pub const VELOCITY_BACK: f32 = 0.25;
/// The velocity of a key struck at its front (bottom) edge.
pub const VELOCITY_FRONT: f32 = 1.0;
/// A black key's width and length, as parts of a white key's.
const BLACK_WIDTH: f32 = 0.6;
const BLACK_LENGTH: f32 = 0.6;
/// Which semitones of an octave are black keys.
const BLACK: [bool; 12] = [
    false, true, false, true, false, false, true, false, true, false, true, false,
];

/// Whether MIDI key `key` is a black key.
pub fn is_black(key: u8) -> bool {
    BLACK[usize::from(key % 12)]
}

/// How many octaves fit `width_pt` points with white keys at least [`MIN_WHITE_KEY_PT`] wide
/// (seven white keys an octave, and the top octave's closing C).
pub fn octaves_for_width(width_pt: f32) -> u8 {
    let white_keys = (width_pt / MIN_WHITE_KEY_PT).floor();
    let octaves = ((white_keys - 1.0) / 7.0).floor();
    octaves.clamp(f32::from(MIN_OCTAVES), f32::from(MAX_OCTAVES)) as u8
}

/// The lowest key (a C) of `octaves` octaves shown around the computer keys' octave, which
/// starts at `typed_c`: that octave in the middle (the lower of the two middle ones for an even
/// count, so two octaves show it and the one above, as the keyboard always has), moved up or
/// down to stay within MIDI's keys 0 ..= 127.
pub fn lowest_shown(typed_c: u8, octaves: u8) -> u8 {
    let octaves = octaves.clamp(MIN_OCTAVES, MAX_OCTAVES);
    let below = 12 * ((octaves - 1) / 2);
    // The highest C whose `octaves` octaves end at or below key 127.
    let highest = 12 * ((127 - 12 * octaves) / 12);
    typed_c.saturating_sub(below).min(highest)
}

/// The keys drawn in a rectangle: each one's key and where it lies.
pub struct KeyLayout {
    /// Every key shown, white and black, from the lowest up.
    pub keys: Vec<(u8, Rect)>,
    /// The lowest key shown (a C).
    pub lowest: u8,
    /// Octaves shown (the top one closed by its C).
    pub octaves: u8,
}

impl KeyLayout {
    /// As many octaves as `rect` holds, around the computer keys' octave from `typed_c`.
    pub fn new(rect: Rect, typed_c: u8) -> Self {
        let octaves = octaves_for_width(rect.width());
        let lowest = lowest_shown(typed_c, octaves);
        let white_width = rect.width() / f32::from(7 * octaves + 1);
        let mut keys = Vec::with_capacity(usize::from(12 * octaves + 1));
        let mut white_index = 0.0;
        for key in lowest..=lowest + 12 * octaves {
            let left = rect.left() + white_index * white_width;
            let key_rect = if is_black(key) {
                Rect::from_min_size(
                    pos2(left - white_width * BLACK_WIDTH / 2.0, rect.top()),
                    vec2(white_width * BLACK_WIDTH, rect.height() * BLACK_LENGTH),
                )
            } else {
                white_index += 1.0;
                Rect::from_min_size(pos2(left, rect.top()), vec2(white_width, rect.height()))
            };
            keys.push((key, key_rect));
        }
        Self {
            keys,
            lowest,
            octaves,
        }
    }

    /// The key under `pos` and its rectangle: black keys lie on top of white ones.
    pub fn key_at(&self, pos: Pos2) -> Option<(u8, Rect)> {
        let on_top = self.keys.iter().filter(|(key, _)| is_black(*key));
        let below = self.keys.iter().filter(|(key, _)| !is_black(*key));
        on_top
            .chain(below)
            .find(|(_, rect)| rect.contains(pos))
            .copied()
    }
}

/// The velocity of a key (drawn in `key_rect`) struck at height `y`: [`VELOCITY_BACK`] at its
/// top edge to [`VELOCITY_FRONT`] at its bottom edge, linear between.
pub fn velocity_at(key_rect: Rect, y: f32) -> f32 {
    let depth = ((y - key_rect.top()) / key_rect.height()).clamp(0.0, 1.0);
    VELOCITY_BACK + (VELOCITY_FRONT - VELOCITY_BACK) * depth
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_wider_keyboard_shows_more_octaves_with_keys_no_narrower_than_the_minimum() {
        let mut previous = 0;
        for width in (100..=2000).step_by(10).map(|w| w as f32) {
            let octaves = octaves_for_width(width);
            assert!(
                octaves >= previous,
                "{width} pt: {octaves} after {previous}"
            );
            previous = octaves;
            let white_width = width / f32::from(7 * octaves + 1);
            if octaves > MIN_OCTAVES {
                assert!(white_width >= MIN_WHITE_KEY_PT, "{width} pt: {white_width}");
            }
            // One octave more would make them too narrow (unless all ten are shown).
            if octaves < MAX_OCTAVES {
                assert!(
                    width / f32::from(7 * octaves + 8) < MIN_WHITE_KEY_PT,
                    "{width}"
                );
            }
        }
        assert_eq!(octaves_for_width(100.0), 1);
        assert_eq!(octaves_for_width(15.0 * 14.0), 2);
        assert_eq!(octaves_for_width(4000.0), 10);
    }

    #[test]
    fn the_computer_keys_octave_is_shown_in_the_middle_within_midi() {
        for octaves in 1..=10 {
            for typed_c in (0..=HIGHEST_OCTAVE_C).step_by(12) {
                let lowest = lowest_shown(typed_c, octaves);
                let top = lowest + 12 * octaves;
                assert_eq!(lowest % 12, 0);
                assert!(top <= 127, "{octaves} from {typed_c}: top {top}");
                assert!(
                    lowest <= typed_c && typed_c + 12 <= top,
                    "{octaves} octaves: {typed_c} not within {lowest}..={top}"
                );
            }
        }
        // Away from MIDI's ends, centred.
        assert_eq!(lowest_shown(48, 1), 48);
        assert_eq!(lowest_shown(48, 2), 48);
        assert_eq!(lowest_shown(48, 3), 36);
        assert_eq!(lowest_shown(48, 5), 24);
        assert_eq!(lowest_shown(0, 5), 0);
        assert_eq!(lowest_shown(108, 3), 84);
    }

    #[test]
    fn every_key_is_found_where_it_is_drawn_and_black_keys_lie_on_top() {
        let rect = Rect::from_min_size(pos2(10.0, 20.0), vec2(400.0, 50.0));
        let layout = KeyLayout::new(rect, 48);
        assert_eq!(layout.octaves, 3);
        assert_eq!(layout.keys.len(), 37);
        for &(key, key_rect) in &layout.keys {
            // Near a key's top edge, where a black key covers part of its white neighbours.
            let near_top = pos2(key_rect.center().x, key_rect.top() + 2.0);
            assert_eq!(layout.key_at(near_top).map(|(k, _)| k), Some(key));
            assert!(rect.contains_rect(key_rect), "{key}: {key_rect:?}");
        }
        assert_eq!(layout.key_at(pos2(5.0, 30.0)), None);
    }

    #[test]
    fn a_key_struck_further_front_plays_louder() {
        let key = Rect::from_min_size(pos2(0.0, 100.0), vec2(20.0, 40.0));
        assert_eq!(velocity_at(key, 100.0), VELOCITY_BACK);
        assert_eq!(velocity_at(key, 140.0), VELOCITY_FRONT);
        assert_eq!(
            velocity_at(key, 120.0),
            (VELOCITY_BACK + VELOCITY_FRONT) / 2.0
        );
        assert_eq!(velocity_at(key, 0.0), VELOCITY_BACK);
        assert_eq!(velocity_at(key, 500.0), VELOCITY_FRONT);
    }
}
