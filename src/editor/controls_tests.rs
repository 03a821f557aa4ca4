//! The whole editor in an egui context of its own, driven as a hand would: every control says
//! what it does when hovered, and in MIDI mode the partials read and take ratios to partial 1,
//! which stays the key.

use super::param_slider::BoxText;
use super::test_host::{Call, TestHost};
use super::*;
use crate::engine::{Engine, NoteInput, NoteRef, Settings};
use crate::keyboard_notes::{KeyboardReceiver, keyboard_notes};
use crate::tap::{TapWriter, tap};
use egui::accesskit::{Action, Role};
use egui::{Context, Event, Key, Modifiers, Order, PointerButton, Pos2, RawInput, Rect, pos2};

/// The window in these tests, in points: large enough that the controls need no scroll bar.
const WINDOW_PT: [f32; 2] = [1000.0, 900.0];
/// Frames a hovered control has to show its tooltip.
const TOOLTIP_FRAMES: usize = 4;
/// The tap's sample rate, Hz.
const SAMPLE_RATE_HZ: f32 = 48_000.0;

/// The editor, its host and the audio side of its tap.
struct Editor {
    app: EditorApp,
    ctx: Context,
    host: Arc<TestHost>,
    context: GuiContext,
    writer: TapWriter,
    time_s: f64,
    /// The window's size, in points.
    window_pt: [f32; 2],
    /// The audio thread's end of the on-screen keyboard.
    played: KeyboardReceiver,
}

/// An interactive widget of the editor as AccessKit sees it.
#[derive(Debug)]
struct Control {
    role: Role,
    label: Option<String>,
    rect: Rect,
}

impl Editor {
    fn new() -> Self {
        let (writer, reader) = tap(SAMPLE_RATE_HZ);
        let (notes, played) = keyboard_notes(&Arc::default());
        let params = Arc::new(QuintetParams::default());
        let host = Arc::new(TestHost::default());
        let context = GuiContext::new(host.clone());
        let app = EditorApp {
            gui_context: Some(context.clone()),
            ..EditorApp::new(params, reader, notes)
        };
        let ctx = Context::default();
        ctx.enable_accesskit();
        // Tooltips at once, without waiting for the pointer to rest.
        ctx.all_styles_mut(|style| {
            style.interaction.tooltip_delay = 0.0;
            style.interaction.show_tooltips_only_when_still = false;
        });
        let mut editor = Self {
            app,
            ctx,
            host,
            context,
            writer,
            time_s: 0.0,
            window_pt: WINDOW_PT,
            played,
        };
        // egui lays text out on the first pass.
        editor.frame(vec![]);
        editor
    }

    /// Runs one frame with `events`, then lets the host apply what it was sent. Returns the
    /// interactive widgets drawn.
    fn frame(&mut self, events: Vec<Event>) -> Vec<Control> {
        self.time_s += 1.0 / 60.0;
        let input = RawInput {
            screen_rect: Some(Rect::from_min_size(
                Pos2::ZERO,
                vec2(self.window_pt[0], self.window_pt[1]),
            )),
            time: Some(self.time_s),
            events,
            ..RawInput::default()
        };
        let (app, context) = (&mut self.app, &self.context);
        let mut output = self.ctx.run_ui(input, |ui| {
            app.follow_audio(ui, ui.input(|input| input.time));
            let setter = context.param_setter();
            app.panels_ui(ui, context, &setter);
        });
        // No renderer here to take the font atlas.
        output.textures_delta.clear();
        self.host.audio_block();
        let update = output.platform_output.accesskit_update.take();
        update
            .into_iter()
            .flat_map(|update| update.nodes)
            .filter(|(_, node)| node.supports_action(Action::Focus))
            .filter_map(|(_, node)| {
                let bounds = node.bounds()?;
                Some(Control {
                    role: node.role(),
                    label: node.label().map(str::to_owned),
                    rect: Rect::from_min_max(
                        pos2(bounds.x0 as f32, bounds.y0 as f32),
                        pos2(bounds.x1 as f32, bounds.y1 as f32),
                    ),
                })
            })
            .collect()
    }

    /// Whether a tooltip shows while the pointer rests at `at` (within a few frames: the
    /// tooltip of the control hovered before closes first).
    fn tooltip_at(&mut self, at: Pos2) -> bool {
        self.frame(vec![Event::PointerMoved(at)]);
        (0..TOOLTIP_FRAMES).any(|_| {
            self.frame(vec![]);
            self.ctx.memory(|memory| {
                (memory.areas().visible_layer_ids())
                    .iter()
                    .any(|layer| layer.order == Order::Tooltip)
            })
        })
    }

    /// Switches MIDI mode on, as the host would.
    fn midi_mode(&mut self) {
        let midi = self.app.params.switch(Id::MIDI);
        // SAFETY: the parameter outlives this call, and nothing else reads it meanwhile.
        unsafe { midi.as_ptr()._internal_set_normalized_value(1.0) };
        self.frame(vec![]);
    }

    /// The engine plays `key` in MIDI mode with the editor's frequency settings, and the tap
    /// reports it.
    fn hold(&mut self, key: u8) {
        let mut engine = self.engine_holding(key);
        let mut block = vec![0.0; 4800];
        engine.render(&mut block);
        self.writer
            .write_describing(&block, true, |playing| engine.describe(playing));
        self.frame(vec![]);
    }

    /// An engine in MIDI mode with the editor's frequency settings, playing `key`.
    fn engine_holding(&self, key: u8) -> Engine {
        let settings = Settings {
            midi: true,
            frequencies_hz: self
                .app
                .params
                .frequencies()
                .map(|param| f64::from(param.value())),
            ..Settings::default()
        };
        let mut engine = Engine::new(f64::from(SAMPLE_RATE_HZ), settings);
        engine.handle(NoteInput::NoteOn {
            note: NoteRef::without_id(0, key),
            velocity: 1.0,
        });
        engine
    }

    /// The value box of the slider named `name` (its bar's AccessKit label), as drawn now.
    fn value_box_of(&mut self, name: &str) -> Pos2 {
        let controls = self.frame(vec![]);
        let bar = controls
            .iter()
            .find(|c| c.role == Role::Slider && c.label.as_deref() == Some(name))
            .unwrap_or_else(|| panic!("no slider {name}: {controls:#?}"));
        let centre = bar.rect.right_center() + vec2(VALUE_BOX_PT / 2.0 + 4.0, 0.0);
        controls
            .iter()
            .find(|c| c.rect.contains(centre))
            .map_or(centre, |c| c.rect.center())
    }

    /// Clicks at `at`.
    fn click(&mut self, at: Pos2) {
        let button = |pressed| Event::PointerButton {
            pos: at,
            button: PointerButton::Primary,
            pressed,
            modifiers: Modifiers::NONE,
        };
        self.frame(vec![Event::PointerMoved(at), button(true)]);
        self.frame(vec![button(false)]);
    }

    /// Types `text` into the value box of the slider `name` and presses Enter.
    fn type_into(&mut self, name: &str, text: &str) {
        let value_box = self.value_box_of(name);
        self.click(value_box);
        self.frame(vec![Event::Text(text.to_owned())]);
        let key = |pressed| Event::Key {
            key: Key::Enter,
            physical_key: None,
            pressed,
            repeat: false,
            modifiers: Modifiers::NONE,
        };
        self.frame(vec![key(true)]);
        self.frame(vec![key(false)]);
    }

    fn hz(&self, partial: usize) -> f32 {
        self.app.params.frequencies()[partial].value()
    }
}

/// The value box's width, from the slider.
const VALUE_BOX_PT: f32 = param_slider::VALUE_BOX_WIDTH_PT;

/// Issue 23: every control of the editor says what it does when hovered, as a drone and in
/// MIDI mode with a note held (the controls AccessKit lists: every widget that takes clicks,
/// drags or the keyboard).
#[test]
fn every_control_has_a_tooltip() {
    let mut editor = Editor::new();
    // Tall enough for every section's header (a control below the window cannot be hovered).
    editor.window_pt = [1000.0, 1400.0];
    for stage in ["drone", "MIDI mode, C4 held", "saving a preset"] {
        match stage {
            "MIDI mode, C4 held" => {
                editor.midi_mode();
                editor.hold(60);
            }
            "saving a preset" => {
                let controls = editor.frame(vec![]);
                let save_as = controls
                    .iter()
                    .find(|c| c.label.as_deref() == Some("Save as…"))
                    .expect("the Save as button")
                    .rect;
                editor.click(save_as.center());
            }
            _ => {}
        }
        let controls = editor.frame(vec![]);
        // The partials' rows, the gain, MIDI mode and its seven sliders, the keyboard, zoom
        // and the preset bar: at least 40 controls.
        assert!(controls.len() >= 40, "{controls:#?}");
        if stage == "saving a preset" {
            assert!(
                controls.iter().any(|c| c.role == Role::TextInput),
                "no name box: {controls:#?}"
            );
        }
        let silent: Vec<&Control> = controls
            .iter()
            .filter(|control| !editor.tooltip_at(control.rect.center()))
            .collect();
        assert!(silent.is_empty(), "{stage}: no tooltip on {silent:#?}");
    }
}

/// In MIDI mode a typed ratio sets partial 1's Hz × the ratio, and the box shows the ratio.
#[test]
fn in_midi_mode_a_partial_takes_a_typed_ratio() {
    let mut editor = Editor::new();
    editor.midi_mode();
    for (text, hz) in [
        ("3:2", 300.0),
        ("h7", 1400.0),
        ("×1.25", 250.0),
        ("7/4", 350.0),
    ] {
        editor.type_into("Partial 2", text);
        assert_eq!(editor.hz(1), hz, "{text}");
        assert_eq!(
            partial_ratio::RatioBox {
                partial: 1,
                reference_hz: 200.0
            }
            .shown(editor.app.params.frequencies()[1].unmodulated_normalized_value()),
            quintet_core::params::ratio_text::ratio_to_text(f64::from(hz) / 200.0)
        );
    }
    // A ratio past 20 kHz sets the top, and a bad one nothing.
    editor.type_into("Partial 3", "×200");
    assert_eq!(editor.hz(2), 20_000.0);
    editor.type_into("Partial 3", "3:0");
    assert_eq!(editor.hz(2), 20_000.0);
    // As a drone the box takes Hz again.
    let midi = editor.app.params.switch(Id::MIDI);
    // SAFETY: the parameter outlives this call, and nothing else reads it meanwhile.
    unsafe { midi.as_ptr()._internal_set_normalized_value(0.0) };
    editor.type_into("Partial 4", "440");
    assert_eq!(editor.hz(3), 440.0);
}

/// In MIDI mode partial 1 is the key the others are ratios to: its slider takes no drag,
/// wheel or text, so moving it cannot retune the other partials.
#[test]
fn in_midi_mode_partial_1_stays_the_key() {
    let mut editor = Editor::new();
    editor.midi_mode();
    let calls_before = editor.host.calls().len();
    let controls = editor.frame(vec![]);
    let bar = controls
        .iter()
        .find(|c| c.role == Role::Slider && c.label.as_deref() == Some("Partial 1"))
        .expect("partial 1's bar")
        .rect;
    let from = bar.center();
    let press = |pressed, at| Event::PointerButton {
        pos: at,
        button: PointerButton::Primary,
        pressed,
        modifiers: Modifiers::NONE,
    };
    editor.frame(vec![Event::PointerMoved(from), press(true, from)]);
    for step in 1..=6 {
        editor.frame(vec![Event::PointerMoved(
            from + vec2(10.0 * step as f32, 0.0),
        )]);
    }
    editor.frame(vec![press(false, from + vec2(60.0, 0.0))]);
    editor.frame(vec![Event::MouseWheel {
        unit: egui::MouseWheelUnit::Line,
        delta: vec2(0.0, 1.0),
        phase: egui::TouchPhase::Move,
        source: egui::MouseWheelSource::Wheel,
        modifiers: Modifiers::NONE,
    }]);
    editor.type_into("Partial 1", "440");
    let calls: Vec<Call> = editor.host.calls()[calls_before..].to_vec();
    assert_eq!(calls, [], "partial 1 moved in MIDI mode");
    assert_eq!(editor.hz(0), 200.0);
    // As a drone it moves.
    let midi = editor.app.params.switch(Id::MIDI);
    // SAFETY: the parameter outlives this call, and nothing else reads it meanwhile.
    unsafe { midi.as_ptr()._internal_set_normalized_value(0.0) };
    editor.type_into("Partial 1", "440");
    assert_eq!(editor.hz(0), 440.0);
}

/// The "Each partial" section lies below the note's settings, out of sight at the default size:
/// the controls column's scroll bar brings it into view.
#[test]
fn the_per_partial_section_scrolls_into_view() {
    let mut editor = Editor::new();
    // The editor's default size.
    editor.window_pt = [820.0, 700.0];
    let key_tilt = |controls: &[Control]| {
        controls
            .iter()
            .find(|control| control.label.as_deref() == Some("Key tilt"))
            .map(|control| control.rect)
    };
    let bottom = editor.window_pt[1];
    let before = key_tilt(&editor.frame(vec![]));
    assert!(
        before.is_none_or(|rect| rect.bottom() > bottom),
        "Key tilt already in view: {before:?}"
    );
    scroll_controls_to_the_bottom(&mut editor);
    let mut after = None;
    for _ in 0..30 {
        after = key_tilt(&editor.frame(vec![]));
    }
    let after = after.expect("Key tilt is drawn");
    assert!(
        after.bottom() <= bottom,
        "Key tilt still out of view: {after:?}"
    );
}

/// Drags the controls column's scroll bar, always shown at its right edge, to the bottom. (A
/// wheel over the column moves the slider under the pointer, as in most plugins.)
fn scroll_controls_to_the_bottom(editor: &mut Editor) {
    let press = |pressed, at| Event::PointerButton {
        pos: at,
        button: PointerButton::Primary,
        pressed,
        modifiers: Modifiers::NONE,
    };
    let top = pos2(CONTROLS_WIDTH_PT - 12.0, 40.0);
    editor.frame(vec![Event::PointerMoved(top), press(true, top)]);
    for step in 1..=20 {
        editor.frame(vec![Event::PointerMoved(
            top + vec2(0.0, 35.0 * step as f32),
        )]);
    }
    editor.frame(vec![press(false, top + vec2(0.0, 700.0))]);
    for _ in 0..30 {
        editor.frame(vec![]);
    }
}

/// Issue 24: the "Movement" section is closed at first (the default view shows what it did);
/// opened, it holds the LFO's and the routes' controls, each with its tooltip.
#[test]
fn the_movement_section_opens_below_the_partials() {
    let mut editor = Editor::new();
    editor.window_pt = [820.0, 700.0];
    let labelled = |controls: &[Control], label: &str| {
        controls
            .iter()
            .find(|control| control.label.as_deref() == Some(label))
            .map(|control| control.rect)
    };
    assert!(
        labelled(&editor.frame(vec![]), "Vibrato").is_none(),
        "closed at first"
    );
    scroll_controls_to_the_bottom(&mut editor);
    let header = labelled(&editor.frame(vec![]), "Movement").expect("the Movement header");
    editor.click(header.center());
    // Tall enough to show the whole column.
    editor.window_pt = [820.0, 1400.0];
    editor.frame(vec![]);
    let controls = editor.frame(vec![]);
    // Each control is named by its parameter.
    let names = [
        "LFO shape",
        "LFO sync",
        "LFO rate",
        "Vibrato",
        "Wheel vibrato",
    ];
    for label in names.into_iter().chain(["Tremolo", "Timbre brightness"]) {
        let rect = labelled(&controls, label).unwrap_or_else(|| panic!("no {label} slider"));
        assert!(editor.tooltip_at(rect.center()), "{label} has no tooltip");
    }
}

/// Issue 24: the pitch wheel left of the keys bends a held note as a MIDI controller's wheel
/// does (by the bend range, 2 semitones by default), and letting it go brings the note back.
/// The editor's events go to an engine the way the plugin's audio thread hands them over
/// (`KeyboardEvent::note_input`, once a block); its output is measured by FFT.
#[test]
fn the_pitch_wheel_bends_a_held_note() {
    let mut editor = Editor::new();
    editor.midi_mode();
    let mut engine = editor.engine_holding(60);
    // The lowest partial's frequency after the events sent so far, in Hz.
    let mut partial_1_hz = |editor: &mut Editor| {
        while let Some(event) = editor.played.next() {
            engine.handle(event.note_input());
        }
        let mut block = vec![0.0; 16_384];
        // Past the bend's glide, then measured.
        engine.render(&mut block);
        engine.render(&mut block);
        let peaks = quintet_core::spectrum::find_peaks(&block, f64::from(SAMPLE_RATE_HZ), 0.01);
        peaks
            .iter()
            .map(|peak| peak.frequency_hz)
            .min_by(f64::total_cmp)
            .expect("a note sounds")
    };
    let note_hz = |key| quintet_core::engine::pitch::note_to_hz(key);
    let at_rest = partial_1_hz(&mut editor);
    assert!((at_rest - note_hz(60)).abs() < 0.05, "{at_rest} Hz");

    let wheel = editor
        .frame(vec![])
        .into_iter()
        .find(|c| c.label.as_deref() == Some("Pitch wheel"))
        .expect("the pitch wheel")
        .rect;
    let press = |pressed, at| Event::PointerButton {
        pos: at,
        button: PointerButton::Primary,
        pressed,
        modifiers: Modifiers::NONE,
    };
    // All the way up (half the strip's height from its centre), and held there.
    let (from, to) = (wheel.center(), wheel.center_top() - vec2(0.0, 10.0));
    editor.frame(vec![Event::PointerMoved(from), press(true, from)]);
    for step in 1..=4 {
        editor.frame(vec![Event::PointerMoved(from.lerp(to, step as f32 / 4.0))]);
    }
    let bent = partial_1_hz(&mut editor);
    assert!((bent - note_hz(62)).abs() < 0.05, "{bent} Hz, not D4's");
    editor.frame(vec![press(false, to)]);
    let back = partial_1_hz(&mut editor);
    assert!(
        (back - note_hz(60)).abs() < 0.05,
        "{back} Hz after letting go"
    );
}

/// Issue 25: the Tuning section (unfolded) loads the scale whose path is typed, shows a
/// refused file's line and reason, and keeps the tuning playing; the keyboard marks the keys.
#[test]
fn the_tuning_section_loads_a_typed_scale_and_shows_a_refusal() {
    let dir = std::env::temp_dir().join(format!("quintet-editor-tuning-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let good = dir.join("fifths.scl");
    std::fs::write(&good, b"Fifths\n2\n3/2\n2/1\n").unwrap();
    let bad = dir.join("broken.scl");
    std::fs::write(&bad, b"Broken\n2\n-3/2\n2/1\n").unwrap();
    let mut editor = Editor::new();
    editor.window_pt = [1000.0, 1600.0];
    let find = |editor: &mut Editor, role: Role, label: &str| {
        let controls = editor.frame(vec![]);
        controls
            .iter()
            .find(|c| c.role == role && c.label.as_deref() == Some(label))
            .unwrap_or_else(|| panic!("no {label}: {controls:#?}"))
            .rect
            .center()
    };
    let header = find(&mut editor, Role::DisclosureTriangle, "Tuning");
    editor.click(header);
    let load = |editor: &mut Editor, path: &std::path::Path| {
        let field = find(editor, Role::TextInput, "A .scl file's path");
        editor.click(field);
        editor.frame(vec![Event::Text(path.display().to_string())]);
        let button = find(editor, Role::Button, "Load");
        editor.click(button);
        editor.app.tuning.scale_path.clear();
    };
    load(&mut editor, &good);
    assert_eq!(editor.app.params.tuning.get().name(), "fifths");
    assert_eq!(editor.app.tuning.error, None);
    assert!(
        editor.app.keyboard_marks().is_some(),
        "the keyboard marks a scale's keys"
    );
    load(&mut editor, &bad);
    let error = editor.app.tuning.error.clone().expect("a refusal shown");
    assert!(
        error.contains("broken.scl, line 3: the ratio -3/2 is negative"),
        "{error}"
    );
    assert_eq!(editor.app.params.tuning.get().name(), "fifths");
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Issue 24: the Width section is folded (the default view is as it was) and opens on a click
/// to the five pans and unison's sliders, each explained on hover.
#[test]
fn the_width_section_opens_to_the_pans_and_unison() {
    let mut editor = Editor::new();
    // Tall enough to show the opened section without scrolling.
    editor.window_pt = [1000.0, 1400.0];
    let names = [
        "Partial 1 pan",
        "Partial 2 pan",
        "Partial 3 pan",
        "Partial 4 pan",
        "Partial 5 pan",
        "Unison",
        "Unison detune",
        "Unison width",
    ];
    let find = |controls: &[Control], name: &str| {
        controls
            .iter()
            .find(|c| c.label.as_deref() == Some(name))
            .map(|c| c.rect)
    };
    let controls = editor.frame(vec![]);
    assert!(
        names.iter().all(|name| find(&controls, name).is_none()),
        "folded"
    );
    let header = controls
        .iter()
        .find(|c| c.label.as_deref() == Some("Width"))
        .expect("the Width section's title")
        .rect;
    assert!(
        editor.tooltip_at(header.center()),
        "the title explains itself"
    );
    editor.click(header.center());
    let mut controls = editor.frame(vec![]);
    for _ in 0..10 {
        controls = editor.frame(vec![]);
    }
    for name in names {
        let rect = find(&controls, name).unwrap_or_else(|| panic!("{name} shows"));
        assert!(editor.tooltip_at(rect.center()), "{name} explains itself");
    }
}
