//! The on-screen keyboard and the computer keyboard as a note keyboard, so MIDI mode can be
//! played without a controller (as DAWs do): two octaves of piano keys to click or drag across,
//! and the letter rows A W S E D F T G Y H U J K (C to C, white and black keys as on a piano), with
//! Z and X moving the octave.

use crate::engine::pitch::note_name;
use crate::keyboard_notes::{KeyboardNote, KeyboardSender};
use egui::{Color32, Key, Rect, Sense, Stroke, Ui, pos2, vec2};
use nice_plug::nice_log;

/// Octaves of keys shown.
const OCTAVES: u8 = 2;
/// Velocity of a clicked or typed note.
const VELOCITY: f32 = 0.8;
/// The computer keys that play, in semitones above the octave's C.
const LETTER_KEYS: [(Key, u8); 13] = [
    (Key::A, 0),
    (Key::W, 1),
    (Key::S, 2),
    (Key::E, 3),
    (Key::D, 4),
    (Key::F, 5),
    (Key::T, 6),
    (Key::G, 7),
    (Key::Y, 8),
    (Key::H, 9),
    (Key::U, 10),
    (Key::J, 11),
    (Key::K, 12),
];
/// Which semitones of an octave are black keys.
const BLACK: [bool; 12] = [
    false, true, false, true, false, false, true, false, true, false, true, false,
];

/// What the keyboard holds down and where it plays.
pub struct NoteKeyboard {
    sender: KeyboardSender,
    /// The lowest key shown (a C).
    lowest: u8,
    /// The key the mouse holds, if any.
    clicked: Option<u8>,
    /// The keys the computer keyboard holds.
    typed: Vec<u8>,
}

impl NoteKeyboard {
    /// A keyboard from C3 that plays through `sender`.
    pub fn new(sender: KeyboardSender) -> Self {
        Self {
            sender,
            lowest: 48,
            clicked: None,
            typed: Vec::new(),
        }
    }

    fn play(&self, key: u8, on: bool) {
        let velocity = if on { VELOCITY } else { 0.0 };
        if self.sender.send(KeyboardNote { key, velocity }) {
            let state = if on { "on" } else { "off" };
            nice_log!("Editor: note {} {state}", note_name(key));
        }
    }

    /// Releases every key held (the window closes, MIDI mode goes off).
    pub fn release_all(&mut self) {
        if let Some(key) = self.clicked.take() {
            self.play(key, false);
        }
        for key in std::mem::take(&mut self.typed) {
            self.play(key, false);
        }
    }

    /// Draws the keys into the width `ui` offers, `height` points tall; plays what is clicked
    /// or typed. `enabled` is off as a drone (the keys are drawn dimmed and play nothing).
    pub fn ui(&mut self, ui: &mut Ui, height: f32, enabled: bool) {
        let (rect, response) =
            ui.allocate_exact_size(vec2(ui.available_width(), height), Sense::click_and_drag());
        let white_keys = 7 * usize::from(OCTAVES) + 1;
        let white_width = rect.width() / white_keys as f32;
        let keys = self.key_rects(rect, white_width);
        // The mouse: press, drag across (glissando), release.
        let pointer_key = response
            .interact_pointer_pos()
            .filter(|_| enabled && response.is_pointer_button_down_on())
            .and_then(|pos| {
                // Black keys lie on top of white ones: look at them first.
                keys.iter()
                    .filter(|(key, _)| BLACK[usize::from(key % 12)])
                    .chain(keys.iter().filter(|(key, _)| !BLACK[usize::from(key % 12)]))
                    .find(|(_, r)| r.contains(pos))
                    .map(|(key, _)| *key)
            });
        if pointer_key != self.clicked {
            if let Some(old) = self.clicked {
                self.play(old, false);
            }
            if let Some(new) = pointer_key {
                self.play(new, true);
            }
            self.clicked = pointer_key;
        }
        if enabled && !ui.ctx().egui_wants_keyboard_input() {
            self.follow_letters(ui);
        } else if !enabled {
            self.release_all();
        }
        self.paint(ui, rect, &keys, enabled);
    }

    /// The letter keys: press and release notes, Z and X change the octave.
    fn follow_letters(&mut self, ui: &Ui) {
        // Each letter's state at the end of this frame's events, in their order: X11's
        // autorepeat sends a release and a press while a key is held, so only the last event of
        // a key in a frame says whether it is down (a release followed by a press is a repeat;
        // a press, a repeat's release and the real release end released).
        let (last_states, octave_down, octave_up) = ui.input(|input| {
            let mut last_states: Vec<(u8, bool)> = Vec::new();
            for event in &input.events {
                if let egui::Event::Key {
                    key,
                    pressed,
                    modifiers,
                    ..
                } = event
                    && let Some(&(_, semitone)) = LETTER_KEYS.iter().find(|(k, _)| k == key)
                    && !(*pressed && modifiers.command)
                {
                    last_states.retain(|(s, _)| *s != semitone);
                    last_states.push((semitone, *pressed));
                }
            }
            (
                last_states,
                input.key_pressed(Key::Z),
                input.key_pressed(Key::X),
            )
        });
        for (semitone, down) in last_states {
            let key = self.lowest + semitone;
            let held = self.typed.iter().position(|&k| k == key);
            match (down, held) {
                (true, None) if key <= 127 => {
                    self.typed.push(key);
                    self.play(key, true);
                }
                (false, Some(at)) => {
                    self.typed.remove(at);
                    self.play(key, false);
                }
                _ => {}
            }
        }
        if octave_down && self.lowest >= 12 {
            self.release_all();
            self.lowest -= 12;
        }
        if octave_up && self.lowest + 12 * OCTAVES + 12 <= 127 {
            self.release_all();
            self.lowest += 12;
        }
    }

    /// Each shown key and where it is drawn.
    fn key_rects(&self, rect: Rect, white_width: f32) -> Vec<(u8, Rect)> {
        let mut keys = Vec::new();
        let mut white_index = 0.0;
        for offset in 0..=12 * OCTAVES {
            let key = self.lowest + offset;
            let key_rect = if BLACK[usize::from(offset % 12)] {
                let x = rect.left() + white_index * white_width - white_width * 0.3;
                Rect::from_min_size(
                    pos2(x, rect.top()),
                    vec2(white_width * 0.6, rect.height() * 0.6),
                )
            } else {
                let x = rect.left() + white_index * white_width;
                white_index += 1.0;
                Rect::from_min_size(pos2(x, rect.top()), vec2(white_width, rect.height()))
            };
            keys.push((key, key_rect));
        }
        keys
    }

    fn paint(&self, ui: &Ui, rect: Rect, keys: &[(u8, Rect)], enabled: bool) {
        let painter = ui.painter_at(rect);
        let held = |key: u8| self.clicked == Some(key) || self.typed.contains(&key);
        let pressed = Color32::from_rgb(90, 180, 255);
        let dim = |color: Color32| {
            if enabled {
                color
            } else {
                color.gamma_multiply(0.4)
            }
        };
        for black in [false, true] {
            for &(key, key_rect) in keys {
                if BLACK[usize::from(key % 12)] != black {
                    continue;
                }
                let base = if black {
                    Color32::from_gray(30)
                } else {
                    Color32::from_gray(215)
                };
                let fill = if held(key) { pressed } else { base };
                painter.rect_filled(key_rect.shrink(0.5), 2.0, dim(fill));
                painter.rect_stroke(
                    key_rect.shrink(0.5),
                    2.0,
                    Stroke::new(1.0, Color32::from_gray(60)),
                    egui::StrokeKind::Inside,
                );
                if key % 12 == 0 {
                    painter.text(
                        pos2(key_rect.center().x, key_rect.bottom() - 2.0),
                        egui::Align2::CENTER_BOTTOM,
                        note_name(key),
                        egui::FontId::proportional(10.0),
                        Color32::from_gray(70),
                    );
                }
            }
        }
    }
}
