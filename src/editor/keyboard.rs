//! The on-screen keyboard and the computer keyboard as a note keyboard, so MIDI mode can be
//! played without a controller (as DAWs do): piano keys to click or drag across (as many
//! octaves as the width holds, around the octave the computer keys play), a key struck further
//! to the front playing louder; the letter rows A W S E D F T G Y H U J K (C to C, white and
//! black keys as on a piano, each letter drawn on its key), with Z and X moving the octave; and
//! left of the keys a pitch wheel and a mod wheel ([`wheels`]).
//!
//! The letters are the keyboard's only while nothing else wants them: a key pressed with a
//! modifier (Ctrl+Z, Ctrl+X) is a shortcut, and while a text field has the keyboard every key
//! is its own, in the frame that commits it too. A window that loses the keyboard focus never
//! hears the releases of the keys still down, so it lets go of every note they hold.

pub mod layout;
pub mod wheels;

use crate::engine::pitch::note_name;
use crate::keyboard_notes::{KeyboardEvent, KeyboardSender};
use crate::tuning::KeyTable;
use egui::{Align2, Color32, FontId, Key, Rect, Sense, Stroke, Ui, pos2, vec2};
use layout::{HIGHEST_OCTAVE_C, KeyLayout, is_black};
use nice_plug::nice_log;
use quintet_core::tuning::KEY_COUNT;
use wheels::{Wheel, WheelKind};

/// Velocity of a typed note (a computer key knows no velocity).
pub const TYPED_VELOCITY: f32 = 0.8;
/// The C the computer keys play from when the editor opens: C3.
const FIRST_TYPED_C: u8 = 48;
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
/// Size of the letters on the keys and of the C's names, in points.
const LETTER_SIZE_PT: f32 = 10.0;
const NOTE_NAME_SIZE_PT: f32 = 9.0;
/// Space between the two wheels, in points.
const WHEEL_GAP_PT: f32 = 3.0;
/// Under a scale, how much of its colour a key the map leaves silent keeps.
const SILENT_KEY_OPACITY: f32 = 0.3;
/// The dot on each key a scale maps: radius in points, and colour (teal: seen on white and
/// black keys alike).
const MAPPED_DOT_PT: f32 = 2.5;
const MAPPED_DOT: Color32 = Color32::from_rgb(0, 170, 160);

/// What the keyboard holds down and where it plays.
pub struct NoteKeyboard {
    sender: KeyboardSender,
    /// The C the computer key A plays (Z and X move it by an octave).
    typed_c: u8,
    /// The keys drawn in the last frame, and where.
    shown: KeyLayout,
    /// The key the mouse holds, if any.
    clicked: Option<u8>,
    /// The keys the computer keyboard holds.
    typed: Vec<u8>,
    /// A widget (a value box, the preset name) had the keyboard when this frame began: this
    /// frame's keys are its own, even if it lets the keyboard go before the keys are read.
    keys_taken: bool,
    pitch_wheel: Wheel,
    mod_wheel: Wheel,
    /// Under a scale, which keys it maps (the others stay silent); `None` in 12-TET, where
    /// every key plays and none is marked.
    mapped: Option<[bool; KEY_COUNT]>,
}

impl NoteKeyboard {
    /// A keyboard whose computer keys play from C3, through `sender`.
    pub fn new(sender: KeyboardSender) -> Self {
        Self {
            sender,
            typed_c: FIRST_TYPED_C,
            shown: KeyLayout::new(Rect::NOTHING, FIRST_TYPED_C),
            clicked: None,
            typed: Vec::new(),
            keys_taken: false,
            pitch_wheel: Wheel::new(WheelKind::Pitch),
            mod_wheel: Wheel::new(WheelKind::Modulation),
            mapped: None,
        }
    }

    /// The keys marked as mapped (`None` in 12-TET).
    #[cfg(test)]
    pub fn marks(&self) -> Option<[bool; KEY_COUNT]> {
        self.mapped
    }

    /// Marks the keys `table` maps (a dot) and fades those it leaves silent; in 12-TET marks
    /// nothing.
    pub fn mark_keys(&mut self, table: &KeyTable) {
        self.mapped = (!table.is_equal_temperament())
            .then(|| std::array::from_fn(|key| table.degree(key as u8).is_some()));
    }

    /// Notes who has the keyboard as the frame begins. Call it before any widget runs: a text
    /// field that commits with Enter lets the keyboard go in the same frame, before [`ui`] reads
    /// the letters typed into it.
    ///
    /// [`ui`]: Self::ui
    pub fn begin_frame(&mut self, ctx: &egui::Context) {
        self.keys_taken = ctx.egui_wants_keyboard_input();
    }

    /// Presses `key` at `velocity` (0 releases it).
    fn play(&self, key: u8, velocity: f32) {
        if self.sender.send(KeyboardEvent::Note { key, velocity }) {
            if velocity > 0.0 {
                nice_log!(
                    "Editor: note {} on (velocity {velocity:.2})",
                    note_name(key)
                );
            } else {
                nice_log!("Editor: note {} off", note_name(key));
            }
        }
    }

    /// Releases every key held and lets the pitch wheel spring back (the window closes, MIDI
    /// mode goes off).
    pub fn release_all(&mut self) {
        if let Some(key) = self.clicked.take() {
            self.play(key, 0.0);
        }
        self.release_typed();
        self.pitch_wheel.release();
        self.pitch_wheel.send_change(&self.sender);
    }

    /// Releases every key the computer keyboard holds.
    fn release_typed(&mut self) {
        for key in std::mem::take(&mut self.typed) {
            self.play(key, 0.0);
        }
    }

    /// Draws the wheels and the keys into the width `ui` offers, `height` points tall; plays
    /// what is clicked, typed or turned. `enabled` is off as a drone (everything is drawn dimmed
    /// and plays nothing).
    pub fn ui(&mut self, ui: &mut Ui, height: f32, enabled: bool) {
        ui.horizontal(|ui| {
            ui.spacing_mut().item_spacing.x = WHEEL_GAP_PT;
            self.pitch_wheel
                .ui(ui, height, enabled, super::tooltips::PITCH_WHEEL);
            ui.spacing_mut().item_spacing.x *= 2.0;
            self.mod_wheel
                .ui(ui, height, enabled, super::tooltips::MOD_WHEEL);
            self.keys_ui(ui, height, enabled);
        });
        self.pitch_wheel.send_change(&self.sender);
        self.mod_wheel.send_change(&self.sender);
    }

    /// The keys: as many octaves as the width left holds.
    fn keys_ui(&mut self, ui: &mut Ui, height: f32, enabled: bool) {
        let (rect, response) =
            ui.allocate_exact_size(vec2(ui.available_width(), height), Sense::click_and_drag());
        let response = response.on_hover_text(super::tooltips::keyboard());
        self.shown = KeyLayout::new(rect, self.typed_c);
        // The mouse: press, drag across (glissando), release; each key struck as loud as the
        // pointer is far to its front.
        let pointer = response
            .interact_pointer_pos()
            .filter(|_| enabled && response.is_pointer_button_down_on())
            .and_then(|pos| self.struck_at(pos));
        let pointer_key = pointer.map(|(key, _)| key);
        let held_before = self.clicked;
        if pointer_key != self.clicked {
            if let Some(old) = self.clicked {
                self.play(old, 0.0);
            }
            if let Some((new, velocity)) = pointer {
                self.play(new, velocity);
            }
            self.clicked = pointer_key;
        }
        // A tap shorter than a frame (press and release in one): its key was never down when a
        // frame ended, so it is struck and let go now.
        if enabled && held_before.is_none() && response.clicked() {
            let tapped = (response.interact_pointer_pos()).and_then(|pos| self.struck_at(pos));
            if let Some((key, velocity)) = tapped {
                self.play(key, velocity);
                self.play(key, 0.0);
            }
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
        self.paint(ui, rect, enabled);
    }
    /// The key under `pos` and the velocity it is struck at there.
    fn struck_at(&self, pos: egui::Pos2) -> Option<(u8, f32)> {
        let (key, key_rect) = self.shown.key_at(pos)?;
        Some((key, layout::velocity_at(key_rect, pos.y)))
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
            let key = self.typed_c + semitone;
            let held = self.typed.iter().position(|&k| k == key);
            match (down, held) {
                (true, None) if key <= 127 => {
                    self.typed.push(key);
                    self.play(key, TYPED_VELOCITY);
                }
                (false, Some(at)) => {
                    self.typed.remove(at);
                    self.play(key, 0.0);
                }
                _ => {}
            }
        }
        if octave_down && self.typed_c >= 12 {
            self.release_all();
            self.typed_c -= 12;
        }
        if octave_up && self.typed_c + 12 <= HIGHEST_OCTAVE_C {
            self.release_all();
            self.typed_c += 12;
        }
    }

    /// The letter of the computer key that plays `key`, if one does.
    fn letter_of(&self, key: u8) -> Option<&'static str> {
        let semitone = key.checked_sub(self.typed_c)?;
        let (letter, _) = LETTER_KEYS.iter().find(|(_, s)| *s == semitone)?;
        Some(letter.name())
    }

    fn paint(&self, ui: &Ui, rect: Rect, enabled: bool) {
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
        // Where the black keys end: the white keys' letters sit just below, in a row.
        let black_bottom = (self.shown.keys.iter())
            .find(|(key, _)| is_black(*key))
            .map_or(rect.center().y, |(_, r)| r.bottom());
        for black in [false, true] {
            for &(key, key_rect) in self
                .shown
                .keys
                .iter()
                .filter(|(k, _)| is_black(*k) == black)
            {
                let fill = match (held(key), black) {
                    (true, _) => pressed,
                    (false, true) => Color32::from_gray(30),
                    (false, false) => Color32::from_gray(215),
                };
                let mapped = self.mapped.map(|mapped| mapped[usize::from(key)]);
                let fill = if mapped == Some(false) {
                    fill.gamma_multiply(SILENT_KEY_OPACITY)
                } else {
                    fill
                };
                painter.rect_filled(key_rect.shrink(0.5), 2.0, dim(fill));
                if mapped == Some(true) {
                    let at = pos2(key_rect.center().x, key_rect.top() + MAPPED_DOT_PT * 2.0);
                    painter.circle_filled(at, MAPPED_DOT_PT, dim(MAPPED_DOT));
                }
                painter.rect_stroke(
                    key_rect.shrink(0.5),
                    2.0,
                    Stroke::new(1.0, Color32::from_gray(60)),
                    egui::StrokeKind::Inside,
                );
                // Dark on the white keys and on any key held (light blue), light on black.
                let ink = if black && !held(key) {
                    Color32::from_gray(225)
                } else {
                    Color32::from_gray(20)
                };
                if let Some(letter) = self.letter_of(key) {
                    let (at, align) = if black {
                        (
                            pos2(key_rect.center().x, key_rect.bottom() - 2.0),
                            Align2::CENTER_BOTTOM,
                        )
                    } else {
                        (
                            pos2(key_rect.center().x, black_bottom + 1.0),
                            Align2::CENTER_TOP,
                        )
                    };
                    let font = FontId::proportional(LETTER_SIZE_PT);
                    painter.text(at, align, letter, font, dim(ink));
                }
                if key % 12 == 0 {
                    painter.text(
                        pos2(key_rect.center().x, key_rect.bottom() - 1.0),
                        Align2::CENTER_BOTTOM,
                        note_name(key),
                        FontId::proportional(NOTE_NAME_SIZE_PT),
                        dim(Color32::from_gray(90)),
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
        /// The window's width, in points.
        width_pt: f32,
        /// The texts painted in the last frame, and where.
        texts: Vec<(String, Rect)>,
    }

    impl Harness {
        fn new() -> Self {
            Self::with_width(400.0)
        }

        /// In a window `width_pt` points wide.
        fn with_width(width_pt: f32) -> Self {
            let (sender, notes) = keyboard_notes(&std::sync::Arc::default());
            let mut harness = Self {
                ctx: Context::default(),
                keyboard: NoteKeyboard::new(sender),
                notes,
                text: String::new(),
                focus_text: false,
                time_s: 0.0,
                width_pt,
                texts: Vec::new(),
            };
            harness.frame(vec![]);
            harness
        }

        fn frame(&mut self, events: Vec<Event>) {
            fn collect(shape: &egui::Shape, found: &mut Vec<(String, Rect)>) {
                match shape {
                    egui::Shape::Text(text) => found.push((
                        text.galley.text().to_owned(),
                        text.galley.rect.translate(text.pos.to_vec2()),
                    )),
                    egui::Shape::Vec(shapes) => shapes.iter().for_each(|s| collect(s, found)),
                    _ => {}
                }
            }
            self.time_s += 1.0 / 60.0;
            let input = RawInput {
                screen_rect: Some(Rect::from_min_size(Pos2::ZERO, vec2(self.width_pt, 200.0))),
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
                keyboard.ui(ui, crate::editor::KEYBOARD_HEIGHT_PT, true);
            });
            // No renderer here to take the font atlas.
            output.textures_delta.clear();
            self.texts.clear();
            for clipped in &output.shapes {
                collect(&clipped.shape, &mut self.texts);
            }
        }

        /// Everything sent since the last call.
        fn events(&mut self) -> Vec<KeyboardEvent> {
            std::iter::from_fn(|| self.notes.next()).collect()
        }

        /// The notes sent since the last call: (key, pressed).
        fn sent(&mut self) -> Vec<(u8, bool)> {
            self.notes_sent()
                .into_iter()
                .map(|(key, velocity)| (key, velocity > 0.0))
                .collect()
        }

        /// The notes sent since the last call: (key, velocity).
        fn notes_sent(&mut self) -> Vec<(u8, f32)> {
            (self.events().into_iter())
                .filter_map(|event| match event {
                    KeyboardEvent::Note { key, velocity } => Some((key, velocity)),
                    _ => None,
                })
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

        /// Where `key` is drawn.
        fn rect_of(&self, key: u8) -> Rect {
            let shown = &self.keyboard.shown.keys;
            let found = shown.iter().find(|(k, _)| *k == key);
            found.unwrap_or_else(|| panic!("{key} is not shown")).1
        }

        /// Presses the mouse button at `at` (moving there first).
        fn mouse_down(&mut self, at: Pos2) {
            self.frame(vec![Event::PointerMoved(at), mouse_button(at, true)]);
        }

        /// Drags the pointer, held down, to `to` in a few frames.
        fn drag_to(&mut self, from: Pos2, to: Pos2) {
            for step in 1..=4 {
                self.frame(vec![Event::PointerMoved(from.lerp(to, step as f32 / 4.0))]);
            }
        }

        fn mouse_up(&mut self, at: Pos2) {
            self.frame(vec![mouse_button(at, false)]);
        }

        /// Clicks at `at`; returns the notes it played.
        fn click(&mut self, at: Pos2) -> Vec<(u8, f32)> {
            self.mouse_down(at);
            self.mouse_up(at);
            self.notes_sent()
        }
    }

    fn mouse_button(at: Pos2, pressed: bool) -> Event {
        Event::PointerButton {
            pos: at,
            button: egui::PointerButton::Primary,
            pressed,
            modifiers: Modifiers::NONE,
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
                assert_eq!(keys.keyboard.typed_c, 48, "{modifiers:?} {k:?}");
            }
        }
        // A note held when Ctrl goes down still ends when its key comes up.
        keys.frame(vec![press(Key::A)]);
        keys.frame(vec![key(Key::A, false, Modifiers::CTRL)]);
        assert_eq!(keys.sent(), [(48, true), (48, false)]);
        keys.frame(vec![press(Key::X)]);
        assert_eq!(keys.keyboard.typed_c, 60, "X alone moves up an octave");
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
            assert_eq!(keys.keyboard.typed_c, 48, "{text}");
        }
        assert_eq!(keys.text, "zkxa");
        // Committed, the field leaves the letters to the keys again.
        keys.frame(vec![press(Key::K)]);
        assert_eq!(keys.sent(), [(60, true)]);
    }

    /// Issue 24: every click played at the same velocity (0.8). A key struck near its front
    /// (bottom) edge plays louder than near its back, white and black keys alike.
    #[test]
    fn a_key_struck_at_its_front_plays_louder_than_at_its_back() {
        let mut keys = Harness::new();
        for key in [48, 49, 59, 60] {
            let rect = keys.rect_of(key);
            let back = keys.click(pos2(rect.center().x, rect.top() + 1.0));
            let front = keys.click(pos2(rect.center().x, rect.bottom() - 1.0));
            let [(back_key, soft), (0, 0.0)] = pad(&back) else {
                panic!("{key}: {back:?}")
            };
            let [(front_key, loud), (0, 0.0)] = pad(&front) else {
                panic!("{key}: {front:?}")
            };
            assert_eq!((back_key, front_key), (key, key));
            assert!(
                soft < 0.3 && loud > 0.95,
                "{key}: {soft} at the back, {loud} at the front"
            );
            assert_eq!(soft, layout::velocity_at(rect, rect.top() + 1.0));
        }
        // A glissando strikes each key where the pointer crosses it.
        let (c, d) = (keys.rect_of(48), keys.rect_of(50));
        let from = pos2(c.center().x, c.bottom() - 2.0);
        keys.mouse_down(from);
        keys.drag_to(from, pos2(d.center().x, d.top() + 0.6 * d.height() + 2.0));
        let played = keys.notes_sent();
        assert_eq!(played.first().map(|&(key, _)| key), Some(48));
        assert!(
            played
                .iter()
                .any(|&(key, velocity)| key == 50 && velocity < 0.8)
        );
    }

    /// The notes a click played, one pressed and one released, as a fixed-size pair.
    fn pad(notes: &[(u8, f32)]) -> [(u8, f32); 2] {
        match notes {
            [(key, velocity), (released, 0.0)] if key == released => [(*key, *velocity), (0, 0.0)],
            _ => [(255, -1.0); 2],
        }
    }

    /// Issue 24: the computer keys' letters are drawn on the keys they play, white and black,
    /// and move with the octave.
    #[test]
    fn the_computer_keys_letters_are_drawn_on_their_keys() {
        let mut keys = Harness::new();
        for typed_c in [48, 60, 48] {
            let black_bottom = keys.rect_of(typed_c + 1).bottom();
            for (letter, semitone) in LETTER_KEYS {
                let key_rect = keys.rect_of(typed_c + semitone);
                let drawn: Vec<Rect> = (keys.texts.iter())
                    .filter(|(text, _)| text == letter.name())
                    .map(|&(_, rect)| rect)
                    .collect();
                let [at] = drawn[..] else {
                    panic!("{letter:?} drawn {} times", drawn.len())
                };
                // On its key, where no other key covers it.
                assert!(
                    key_rect.contains_rect(at),
                    "{letter:?}: {at:?} off {key_rect:?}"
                );
                if !is_black(semitone) {
                    assert!(at.top() >= black_bottom, "{letter:?} under a black key");
                }
                assert!(at.height() >= 9.0, "{letter:?} too small: {at:?}");
            }
            let event = if typed_c == 48 { Key::X } else { Key::Z };
            keys.frame(vec![press(event), release(event)]);
            keys.frame(vec![]);
        }
    }

    /// Issue 24: the keyboard always showed two octaves. A wider one shows more, each white key
    /// at least 14 points wide, around the octave the computer keys play.
    #[test]
    fn a_wider_keyboard_shows_more_octaves_around_the_computer_keys() {
        let octaves_at = |width_pt: f32| {
            let keys = Harness::with_width(width_pt);
            let shown = &keys.keyboard.shown;
            let white_keys = (shown.keys.iter()).filter(|(key, _)| !is_black(*key));
            for (key, rect) in white_keys {
                assert!(
                    rect.width() >= layout::MIN_WHITE_KEY_PT,
                    "{width_pt}: {key} {rect:?}"
                );
            }
            // The computer keys' octave, C3 to C4, is shown.
            let keys_shown: Vec<u8> = shown.keys.iter().map(|&(key, _)| key).collect();
            assert!(
                keys_shown.contains(&48) && keys_shown.contains(&60),
                "{keys_shown:?}"
            );
            shown.octaves
        };
        let narrow = octaves_at(300.0);
        let wide = octaves_at(1000.0);
        assert_eq!(narrow, 2);
        assert!(wide >= 6, "{wide} octaves at 1000 points");
    }

    /// Issue 24: the pitch wheel bends while dragged and springs back to the centre (a bend of
    /// 0 sent) when let go; the mod wheel stays where it is left.
    #[test]
    fn the_pitch_wheel_bends_while_dragged_and_springs_back_when_let_go() {
        let mut keys = Harness::new();
        let wheel = keys.keyboard.pitch_wheel.rect();
        keys.mouse_down(wheel.center());
        keys.drag_to(
            wheel.center(),
            wheel.center() - vec2(0.0, wheel.height() / 4.0),
        );
        let bends: Vec<f32> = (keys.events().into_iter())
            .map(|event| match event {
                KeyboardEvent::PitchBend { bend } => bend,
                other => panic!("{other:?}"),
            })
            .collect();
        assert!(bends.len() >= 3, "{bends:?}");
        assert!(bends.is_sorted() && bends[0] > 0.0, "{bends:?}");
        assert!((bends.last().unwrap() - 0.5).abs() < 0.05, "{bends:?}");
        // Down past the strip's end: the whole way down, and no further.
        keys.drag_to(
            wheel.center(),
            wheel.center() + vec2(0.0, 3.0 * wheel.height()),
        );
        let Some(KeyboardEvent::PitchBend { bend }) = keys.events().last().copied() else {
            panic!("no bend")
        };
        assert_eq!(bend, -1.0);
        keys.mouse_up(wheel.center());
        assert_eq!(keys.events(), [KeyboardEvent::PitchBend { bend: 0.0 }]);
        assert_eq!(keys.keyboard.pitch_wheel.value(), 0.0);
        keys.frame(vec![]);
        assert_eq!(keys.events(), [], "0 is sent once");

        let wheel = keys.keyboard.mod_wheel.rect();
        keys.mouse_down(wheel.center());
        keys.drag_to(
            wheel.center(),
            wheel.center() - vec2(0.0, wheel.height() / 4.0),
        );
        keys.mouse_up(wheel.center());
        let Some(KeyboardEvent::ModWheel { value }) = keys.events().last().copied() else {
            panic!("no mod wheel")
        };
        assert!((value - 0.25).abs() < 0.05, "{value}");
        keys.frame(vec![]);
        assert_eq!(keys.events(), [], "the mod wheel stays");
        assert_eq!(keys.keyboard.mod_wheel.value(), value);
    }

    /// A tap shorter than a frame (a trackpad's, xdotool's click: the press and the release
    /// arrive together) played nothing: the key was never down at the end of a frame. It plays
    /// its note and releases it.
    #[test]
    fn a_click_within_one_frame_plays_its_note() {
        let mut keys = Harness::new();
        let rect = keys.rect_of(50);
        let at = pos2(rect.center().x, rect.bottom() - 1.0);
        keys.frame(vec![
            Event::PointerMoved(at),
            mouse_button(at, true),
            mouse_button(at, false),
        ]);
        keys.frame(vec![]);
        let played = keys.notes_sent();
        let [(50, velocity), (50, 0.0)] = played[..] else {
            panic!("{played:?}")
        };
        assert!(velocity > 0.95, "{velocity}");
    }
}
