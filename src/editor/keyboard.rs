//! The on-screen keyboard and the computer keyboard as a note keyboard, so MIDI mode can be
//! played without a controller (as DAWs do): two octaves of piano keys to click or drag across,
//! and the letter rows A W S E D F T G Y H U J K (C to C, white and black keys as on a piano), with
//! Z and X moving the octave.
//!
//! The letters are the keyboard's only while nothing else wants them: a key pressed with a
//! modifier (Ctrl+Z, Ctrl+X) is a shortcut, and while a text field has the keyboard every key
//! is its own, in the frame that commits it too. A window that loses the keyboard focus never
//! hears the releases of the keys still down, so it lets go of every note they hold.

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
    /// A widget (a value box, the preset name) had the keyboard when this frame began: this
    /// frame's keys are its own, even if it lets the keyboard go before the keys are read.
    keys_taken: bool,
}

impl NoteKeyboard {
    /// A keyboard from C3 that plays through `sender`.
    pub fn new(sender: KeyboardSender) -> Self {
        Self {
            sender,
            lowest: 48,
            clicked: None,
            typed: Vec::new(),
            keys_taken: false,
        }
    }

    /// Notes who has the keyboard as the frame begins. Call it before any widget runs: a text
    /// field that commits with Enter lets the keyboard go in the same frame, before [`ui`] reads
    /// the letters typed into it.
    ///
    /// [`ui`]: Self::ui
    pub fn begin_frame(&mut self, ctx: &egui::Context) {
        self.keys_taken = ctx.egui_wants_keyboard_input();
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
        self.release_typed();
    }

    /// Releases every key the computer keyboard holds.
    fn release_typed(&mut self) {
        for key in std::mem::take(&mut self.typed) {
            self.play(key, false);
        }
    }

    /// Draws the keys into the width `ui` offers, `height` points tall; plays what is clicked
    /// or typed. `enabled` is off as a drone (the keys are drawn dimmed and play nothing).
    pub fn ui(&mut self, ui: &mut Ui, height: f32, enabled: bool) {
        let (rect, response) =
            ui.allocate_exact_size(vec2(ui.available_width(), height), Sense::click_and_drag());
        let response = response.on_hover_text(super::tooltips::KEYBOARD);
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
        // Keys pressed before the focus went (X11's autorepeat of a key held) are history.
        let focus_lost_at = ui.input(|input| {
            (input.events.iter())
                .rposition(|event| matches!(event, egui::Event::WindowFocused(false)))
        });
        if focus_lost_at.is_some() {
            self.release_typed();
        }
        let keys_taken = self.keys_taken || ui.ctx().egui_wants_keyboard_input();
        if enabled && !keys_taken {
            self.follow_letters(ui, focus_lost_at.map_or(0, |at| at + 1));
        } else if !enabled {
            self.release_all();
        }
        self.paint(ui, rect, &keys, enabled);
    }

    /// The letter keys in this frame's events from `first` on: press and release notes, Z and X
    /// change the octave. A press with any modifier held is a shortcut, not a note; a release
    /// always lets its note go.
    fn follow_letters(&mut self, ui: &Ui, first: usize) {
        // Each letter's state at the end of this frame's events, in their order: X11's
        // autorepeat sends a release and a press while a key is held, so only the last event of
        // a key in a frame says whether it is down (a release followed by a press is a repeat;
        // a press, a repeat's release and the real release end released).
        let (last_states, octave_down, octave_up) = ui.input(|input| {
            let mut last_states: Vec<(u8, bool)> = Vec::new();
            let (mut octave_down, mut octave_up) = (false, false);
            for event in input.events.iter().skip(first) {
                let egui::Event::Key {
                    key,
                    pressed,
                    modifiers,
                    ..
                } = event
                else {
                    continue;
                };
                if *pressed && modifiers.any() {
                    continue;
                }
                if let Some(&(_, semitone)) = LETTER_KEYS.iter().find(|(k, _)| k == key) {
                    last_states.retain(|(s, _)| *s != semitone);
                    last_states.push((semitone, *pressed));
                }
                octave_down |= *pressed && *key == Key::Z;
                octave_up |= *pressed && *key == Key::X;
            }
            (last_states, octave_down, octave_up)
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::keyboard_notes::{KeyboardReceiver, keyboard_notes};
    use egui::{Context, Event, Modifiers, Pos2, RawInput, TextEdit};

    /// The keys under a text field (as the editor's value boxes sit above them), in an egui
    /// context of its own, frame by frame, run as the editor runs them.
    struct Harness {
        ctx: Context,
        keyboard: NoteKeyboard,
        notes: KeyboardReceiver,
        /// The text field's text.
        text: String,
        /// Whether the text field asks for the keyboard in the next frame (a click on it).
        focus_text: bool,
        time_s: f64,
    }

    impl Harness {
        fn new() -> Self {
            let (sender, notes) = keyboard_notes();
            let mut harness = Self {
                ctx: Context::default(),
                keyboard: NoteKeyboard::new(sender),
                notes,
                text: String::new(),
                focus_text: false,
                time_s: 0.0,
            };
            harness.frame(vec![]);
            harness
        }

        fn frame(&mut self, events: Vec<Event>) {
            self.time_s += 1.0 / 60.0;
            let input = RawInput {
                screen_rect: Some(Rect::from_min_size(Pos2::ZERO, vec2(400.0, 200.0))),
                time: Some(self.time_s),
                events,
                ..RawInput::default()
            };
            let (keyboard, text) = (&mut self.keyboard, &mut self.text);
            let focus_text = std::mem::take(&mut self.focus_text);
            let mut output = self.ctx.run_ui(input, |ui| {
                keyboard.begin_frame(ui.ctx());
                let field = ui.add(TextEdit::singleline(text));
                if focus_text {
                    field.request_focus();
                }
                keyboard.ui(ui, 40.0, true);
            });
            // No renderer here to take the font atlas.
            output.textures_delta.clear();
        }

        /// The notes sent since the last call: (key, pressed).
        fn sent(&mut self) -> Vec<(u8, bool)> {
            std::iter::from_fn(|| self.notes.next())
                .map(|note| (note.key, note.velocity > 0.0))
                .collect()
        }

        /// Gives the text field the keyboard, as a click on it does.
        fn focus_text_field(&mut self) {
            self.focus_text = true;
            self.frame(vec![]);
            assert!(
                self.ctx.egui_wants_keyboard_input(),
                "the field has the keyboard"
            );
        }
    }

    fn key(key: Key, pressed: bool, modifiers: Modifiers) -> Event {
        Event::Key {
            key,
            physical_key: None,
            pressed,
            repeat: false,
            modifiers,
        }
    }

    fn press(k: Key) -> Event {
        key(k, true, Modifiers::NONE)
    }

    fn release(k: Key) -> Event {
        key(k, false, Modifiers::NONE)
    }

    #[test]
    fn a_letter_plays_its_note_until_it_is_released() {
        let mut keys = Harness::new();
        keys.frame(vec![press(Key::A), press(Key::W)]);
        assert_eq!(keys.sent(), [(48, true), (49, true)]);
        keys.frame(vec![release(Key::A)]);
        assert_eq!(keys.sent(), [(48, false)]);
    }

    /// Issue 21, item 15: a key held while the window lost the focus stuck: its release went to
    /// another window.
    #[test]
    fn losing_the_window_focus_releases_every_typed_note() {
        let mut keys = Harness::new();
        keys.frame(vec![press(Key::A), press(Key::D)]);
        assert_eq!(keys.sent(), [(48, true), (52, true)]);
        keys.frame(vec![Event::WindowFocused(false)]);
        assert_eq!(keys.sent(), [(48, false), (52, false)]);
        // The autorepeat of a key held, queued before the focus went, plays nothing after it.
        keys.frame(vec![press(Key::S)]);
        keys.frame(vec![
            release(Key::S),
            press(Key::S),
            Event::WindowFocused(false),
        ]);
        assert_eq!(keys.sent(), [(50, true), (50, false)]);
        // Back in focus, the keys play again.
        keys.frame(vec![Event::WindowFocused(true), press(Key::A)]);
        assert_eq!(keys.sent(), [(48, true)]);
    }

    /// Issue 21, item 15: Ctrl+Z and Ctrl+X moved the octave.
    #[test]
    fn keys_pressed_with_a_modifier_neither_play_nor_move_the_octave() {
        let mut keys = Harness::new();
        for modifiers in [
            Modifiers::CTRL,
            Modifiers::COMMAND,
            Modifiers::ALT,
            Modifiers::SHIFT,
        ] {
            for k in [Key::Z, Key::X, Key::X, Key::A, Key::K] {
                keys.frame(vec![key(k, true, modifiers), key(k, false, modifiers)]);
                assert_eq!(keys.sent(), [], "{modifiers:?} {k:?}");
                assert_eq!(keys.keyboard.lowest, 48, "{modifiers:?} {k:?}");
            }
        }
        // A note held when Ctrl goes down still ends when its key comes up.
        keys.frame(vec![press(Key::A)]);
        keys.frame(vec![key(Key::A, false, Modifiers::CTRL)]);
        assert_eq!(keys.sent(), [(48, true), (48, false)]);
        keys.frame(vec![press(Key::X)]);
        assert_eq!(keys.keyboard.lowest, 60, "X alone moves up an octave");
    }

    /// Issue 21, item 15: "1.2 kHz" typed into a value box and Enter in one frame moved the
    /// octave, and "k" with Enter played a note: the box let the keyboard go in the frame, before
    /// the keys were read.
    #[test]
    fn letters_typed_into_a_text_field_with_enter_in_the_same_frame_stay_its_own() {
        let mut keys = Harness::new();
        for (letter, text) in [(Key::Z, "z"), (Key::K, "k"), (Key::X, "x"), (Key::A, "a")] {
            keys.focus_text_field();
            keys.frame(vec![
                press(letter),
                Event::Text(text.into()),
                press(Key::Enter),
            ]);
            assert!(!keys.ctx.egui_wants_keyboard_input(), "Enter committed");
            keys.frame(vec![release(letter), release(Key::Enter)]);
            assert_eq!(keys.sent(), [], "{text}");
            assert_eq!(keys.keyboard.lowest, 48, "{text}");
        }
        assert_eq!(keys.text, "zkxa");
        // Committed, the field leaves the letters to the keys again.
        keys.frame(vec![press(Key::K)]);
        assert_eq!(keys.sent(), [(60, true)]);
    }
}
