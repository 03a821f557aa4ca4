//! The slider driven by egui input events, as a hand would drive it, against a host that records
//! every gesture and, like the standalone, applies each value only at its next audio block.

use super::*;
use crate::editor::test_host::{Call, TestHost};
use crate::params::{Param as Id, QuintetParams};
use egui::{Context, Modifiers, Pos2, RawInput, pos2};

/// Width of the bar in these tests, in points.
const BAR_PT: f32 = 200.0;

/// One slider in an egui context of its own, frame by frame.
struct Harness {
    ctx: Context,
    host: TestHost,
    time_s: f64,
    /// Where the slider was laid out: bar and value box.
    rect: Rect,
    /// Whether the slider sits at the top of a column that scrolls, as in the editor.
    in_scrolling_column: bool,
    /// How far that column has scrolled, in points.
    scrolled_pt: f32,
}

impl Harness {
    fn new(param: &impl Param) -> Self {
        let mut harness = Self {
            ctx: Context::default(),
            host: TestHost::default(),
            time_s: 0.0,
            rect: Rect::NOTHING,
            in_scrolling_column: false,
            scrolled_pt: 0.0,
        };
        harness.frame(param, vec![]);
        harness
    }

    /// The slider at the top of a column taller than the screen.
    fn in_scrolling_column(param: &impl Param) -> Self {
        let mut harness = Self::new(param);
        harness.in_scrolling_column = true;
        harness.frame(param, vec![]);
        harness
    }

    /// Runs one frame with `events`, then lets the host apply what it was sent (an audio block).
    fn frame(&mut self, param: &impl Param, events: Vec<Event>) {
        self.frame_before_audio(param, events);
        self.audio_block(param);
    }

    /// Runs one frame with `events`; the host applies nothing yet.
    fn frame_before_audio(&mut self, param: &impl Param, events: Vec<Event>) {
        self.time_s += 1.0 / 60.0;
        let input = RawInput {
            screen_rect: Some(Rect::from_min_size(Pos2::ZERO, vec2(400.0, 100.0))),
            time: Some(self.time_s),
            events,
            ..RawInput::default()
        };
        let setter = ParamSetter::new(&self.host);
        let mut rect = Rect::NOTHING;
        let mut scrolled_pt = 0.0;
        let mut output = self.ctx.run_ui(input, |ui| {
            let mut add = |ui: &mut Ui| {
                rect = ui
                    .add(ParamSlider::for_param(param, &setter).with_width(BAR_PT))
                    .rect;
            };
            if self.in_scrolling_column {
                let column = egui::ScrollArea::vertical().show(ui, |ui| {
                    add(ui);
                    ui.add_space(1000.0);
                });
                scrolled_pt = column.state.clamped_offset().y;
            } else {
                add(ui);
            }
        });
        self.scrolled_pt = scrolled_pt;
        // No renderer here to take the font atlas.
        output.textures_delta.clear();
        self.rect = rect;
    }

    /// The host's audio side takes the values set since the last block.
    fn audio_block(&mut self, _param: &impl Param) {
        self.host.audio_block();
    }

    fn calls(&self) -> Vec<Call> {
        self.host.calls()
    }

    fn bar_point(&self, share: f32) -> Pos2 {
        pos2(self.rect.left() + BAR_PT * share, self.rect.center().y)
    }

    fn value_box(&self) -> Pos2 {
        pos2(
            self.rect.right() - VALUE_BOX_WIDTH_PT / 2.0,
            self.rect.center().y,
        )
    }

    /// Presses and releases the primary button at `at`, with `modifiers` held.
    fn click(&mut self, param: &impl Param, at: Pos2, modifiers: Modifiers) {
        self.frame(
            param,
            vec![
                Event::ModifiersChanged(modifiers),
                Event::PointerMoved(at),
                button(at, true, modifiers),
            ],
        );
        self.frame(param, vec![button(at, false, modifiers)]);
    }

    /// Drags from `from` by `travel_pt` to the right in 10 pt steps, `modifiers` held.
    fn drag(&mut self, param: &impl Param, from: Pos2, travel_pt: f32, modifiers: Modifiers) {
        self.frame(
            param,
            vec![
                Event::ModifiersChanged(modifiers),
                Event::PointerMoved(from),
                button(from, true, modifiers),
            ],
        );
        let steps = (travel_pt / 10.0).round() as usize;
        for step in 1..=steps {
            let at = from + vec2(10.0 * step as f32, 0.0);
            self.frame(param, vec![Event::PointerMoved(at)]);
        }
        let end = from + vec2(10.0 * steps as f32, 0.0);
        self.frame(param, vec![button(end, false, modifiers)]);
        self.frame(param, vec![Event::ModifiersChanged(Modifiers::NONE)]);
    }

    /// Clicks the value box and types `text`.
    fn type_text(&mut self, param: &impl Param, text: &str) {
        self.click(param, self.value_box(), Modifiers::NONE);
        self.frame(param, vec![Event::Text(text.to_owned())]);
    }

    fn press(&mut self, param: &impl Param, key: Key) {
        self.frame(param, vec![key_event(key, true)]);
        self.frame(param, vec![key_event(key, false)]);
    }

    /// One wheel notch (one line) over the bar: up if `up`, `modifiers` held.
    fn notch_event(&self, up: bool, modifiers: Modifiers) -> Vec<Event> {
        vec![
            Event::PointerMoved(self.bar_point(0.5)),
            Event::MouseWheel {
                unit: MouseWheelUnit::Line,
                delta: vec2(0.0, if up { 1.0 } else { -1.0 }),
                phase: egui::TouchPhase::Move,
                source: egui::MouseWheelSource::Wheel,
                modifiers,
            },
        ]
    }

    fn refusal(&self, param: &impl Param) -> Option<String> {
        let id = slider_id(param.name()).with("value").with("refusal");
        self.ctx
            .data(|data| data.get_temp::<Refusal>(id))
            .map(|refusal| refusal.reason)
    }
}

fn button(pos: Pos2, pressed: bool, modifiers: Modifiers) -> Event {
    Event::PointerButton {
        pos,
        button: PointerButton::Primary,
        pressed,
        modifiers,
    }
}

fn key_event(key: Key, pressed: bool) -> Event {
    Event::Key {
        key,
        physical_key: None,
        pressed,
        repeat: false,
        modifiers: Modifiers::NONE,
    }
}

/// The one gesture in `calls`, which must be begin, sets, end: its last value.
fn one_gesture(calls: &[Call]) -> f32 {
    let (Some(Call::Begin), Some(Call::End)) = (calls.first(), calls.last()) else {
        panic!("not one gesture: {calls:?}");
    };
    let sets: Vec<f32> = calls[1..calls.len() - 1]
        .iter()
        .map(|call| match call {
            Call::Set(normalized) => *normalized,
            other => panic!("{other:?} inside a gesture: {calls:?}"),
        })
        .collect();
    *sets.last().expect("a gesture that sets nothing")
}

#[test]
fn clicking_the_value_selects_it_so_typing_replaces_it_and_enter_applies_it() {
    let params = QuintetParams::default();
    let mut slider = Harness::new(params.float(Id::FREQUENCIES[0]));
    slider.type_text(params.float(Id::FREQUENCIES[0]), "440");
    slider.press(params.float(Id::FREQUENCIES[0]), Key::Enter);
    one_gesture(&slider.calls());
    assert_eq!(params.float(Id::FREQUENCIES[0]).value(), 440.0);
    assert_eq!(params.float(Id::FREQUENCIES[0]).to_string(), "440 Hz");
}

#[test]
fn a_click_elsewhere_or_tab_applies_the_typed_value() {
    let params = QuintetParams::default();
    let mut slider = Harness::new(params.float(Id::FREQUENCIES[1]));
    slider.type_text(params.float(Id::FREQUENCIES[1]), "A4");
    slider.click(
        params.float(Id::FREQUENCIES[1]),
        pos2(395.0, 95.0),
        Modifiers::NONE,
    );
    one_gesture(&slider.calls());
    assert_eq!(params.float(Id::FREQUENCIES[1]).value(), 440.0);

    let mut slider = Harness::new(params.float(Id::GAIN));
    slider.type_text(params.float(Id::GAIN), "-6");
    slider.press(params.float(Id::GAIN), Key::Tab);
    one_gesture(&slider.calls());
    assert_eq!(params.float(Id::GAIN).to_string(), "-6.0 dB");
}

#[test]
fn escape_cancels_typing() {
    let params = QuintetParams::default();
    let mut slider = Harness::new(params.float(Id::FREQUENCIES[0]));
    slider.type_text(params.float(Id::FREQUENCIES[0]), "440");
    slider.press(params.float(Id::FREQUENCIES[0]), Key::Escape);
    assert_eq!(slider.calls(), []);
    assert_eq!(params.float(Id::FREQUENCIES[0]).value(), 200.0);
}

#[test]
fn a_value_left_as_it_was_sends_nothing() {
    let params = QuintetParams::default();
    let mut slider = Harness::new(params.float(Id::LEVELS[0]));
    slider.click(
        params.float(Id::LEVELS[0]),
        slider.value_box(),
        Modifiers::NONE,
    );
    slider.press(params.float(Id::LEVELS[0]), Key::Enter);
    assert_eq!(slider.calls(), []);
    assert_eq!(slider.refusal(params.float(Id::LEVELS[0])), None);
}

#[test]
fn a_refused_text_keeps_the_value_and_says_why() {
    let params = QuintetParams::default();
    let mut slider = Harness::new(params.float(Id::FREQUENCIES[0]));
    slider.type_text(params.float(Id::FREQUENCIES[0]), "abc");
    slider.press(params.float(Id::FREQUENCIES[0]), Key::Enter);
    assert_eq!(slider.calls(), []);
    assert_eq!(params.float(Id::FREQUENCIES[0]).value(), 200.0);
    assert_eq!(
        slider.refusal(params.float(Id::FREQUENCIES[0])).as_deref(),
        Some("not a frequency: “abc” (kept 200 Hz)")
    );
    // Typing a value it reads clears the reason.
    slider.type_text(params.float(Id::FREQUENCIES[0]), "300");
    slider.press(params.float(Id::FREQUENCIES[0]), Key::Enter);
    assert_eq!(params.float(Id::FREQUENCIES[0]).value(), 300.0);
    assert_eq!(slider.refusal(params.float(Id::FREQUENCIES[0])), None);
}

/// Issue 21, item 15: the red frame of a refused text must go once the value is fixed, by a
/// value typed (see above) or by the value moving from elsewhere (automation, a preset).
#[test]
fn a_refusal_ends_when_the_value_moves_from_elsewhere() {
    let params = QuintetParams::default();
    let mut slider = Harness::new(params.float(Id::FREQUENCIES[2]));
    slider.type_text(params.float(Id::FREQUENCIES[2]), "1.2 kHzz");
    slider.press(params.float(Id::FREQUENCIES[2]), Key::Enter);
    assert!(slider.refusal(params.float(Id::FREQUENCIES[2])).is_some());
    // The host moves the value (nothing in the editor touched it).
    // SAFETY: `params` outlives this call, and nothing else reads it meanwhile.
    unsafe {
        params
            .float(Id::FREQUENCIES[2])
            .as_ptr()
            ._internal_set_normalized_value(0.7)
    };
    slider.frame(params.float(Id::FREQUENCIES[2]), vec![]);
    assert_eq!(slider.refusal(params.float(Id::FREQUENCIES[2])), None);
}

/// How far (normalized) a 60 pt drag from `share` of partial 1's bar moves it, in one gesture.
fn moved_by_a_60_pt_drag(share: f32, modifiers: Modifiers) -> f32 {
    let params = QuintetParams::default();
    let param = params.float(Id::FREQUENCIES[0]);
    let start = param.unmodulated_normalized_value();
    let mut slider = Harness::new(param);
    slider.drag(param, slider.bar_point(share), 60.0, modifiers);
    let set = one_gesture(&slider.calls());
    assert_eq!(param.unmodulated_normalized_value(), set);
    set - start
}

#[test]
fn a_drag_moves_the_value_by_its_travel_not_to_the_pointer() {
    // Pressing near the left end does not jump there; 60 pt of travel moves a tenth of the range.
    let moved = moved_by_a_60_pt_drag(0.1, Modifiers::NONE);
    assert!((moved - 60.0 / DRAG_PT_PER_RANGE).abs() < 0.0001, "{moved}");
    // Shift: ten times finer.
    let moved = moved_by_a_60_pt_drag(0.5, Modifiers::SHIFT);
    assert!((moved - 6.0 / DRAG_PT_PER_RANGE).abs() < 0.0001, "{moved}");
}

#[test]
fn a_short_drag_moves_a_partial_by_a_musical_interval() {
    let params = QuintetParams::default();
    let param = params.float(Id::FREQUENCIES[0]);
    let from = param.preview_normalized(200.0);
    let semitones = |fine| {
        let hz = param.preview_plain(dragged(from, 50.0, fine));
        12.0 * (hz / 200.0).log2()
    };
    // The 50 px moved 200 Hz to 2.74 kHz (45 semitones), and Shift still 8.
    assert!(
        (12.0..=18.0).contains(&semitones(false)),
        "{}",
        semitones(false)
    );
    assert!(semitones(true) < 2.0, "{}", semitones(true));
}

#[test]
fn a_click_on_the_bar_changes_nothing() {
    let params = QuintetParams::default();
    let mut slider = Harness::new(params.float(Id::FREQUENCIES[0]));
    slider.click(
        params.float(Id::FREQUENCIES[0]),
        slider.bar_point(0.9),
        Modifiers::NONE,
    );
    assert_eq!(slider.calls(), []);
}

#[test]
fn double_click_and_ctrl_click_reset_to_the_default() {
    let params = QuintetParams::default();
    let param = params.float(Id::FREQUENCIES[2]);
    let mut slider = Harness::new(param);
    slider.type_text(param, "1k");
    slider.press(param, Key::Enter);
    assert_eq!(param.value(), 1000.0);
    slider.click(param, slider.bar_point(0.5), Modifiers::NONE);
    slider.click(param, slider.bar_point(0.5), Modifiers::NONE);
    assert_eq!(param.value(), 300.0);

    slider.type_text(param, "1k");
    slider.press(param, Key::Enter);
    // Past the double-click time, so this is one click.
    for _ in 0..60 {
        slider.frame(param, vec![]);
    }
    slider.click(param, slider.bar_point(0.5), Modifiers::COMMAND);
    assert_eq!(param.value(), 300.0);
}

#[test]
fn a_wheel_notch_moves_a_hundredth_as_one_gesture_and_shift_a_thousandth() {
    let params = QuintetParams::default();
    let param = params.float(Id::FREQUENCIES[0]);
    let start = param.unmodulated_normalized_value();
    let mut slider = Harness::new(param);
    slider.frame(param, slider.notch_event(true, Modifiers::NONE));
    let moved = one_gesture(&slider.calls()) - start;
    assert!((moved - 0.01).abs() < 0.0001, "{moved}");
    assert!(param.value() > 200.0);

    let params = QuintetParams::default();
    let param = params.float(Id::FREQUENCIES[0]);
    let mut slider = Harness::new(param);
    slider.frame(param, slider.notch_event(false, Modifiers::SHIFT));
    let moved = one_gesture(&slider.calls()) - start;
    assert!((moved + 0.001).abs() < 0.0001, "{moved}");
}

#[test]
fn every_wheel_notch_moves_a_stepped_value() {
    let params = QuintetParams::default();
    let mut slider = Harness::new(params.int(Id::VOICES));
    slider.frame(
        params.int(Id::VOICES),
        slider.notch_event(false, Modifiers::NONE),
    );
    assert_eq!(params.int(Id::VOICES).value(), 7);

    // Whole milliseconds from 0 ms, where a 50th of the skewed range is under 1 ms.
    let mut slider = Harness::new(params.float(Id::MIDI_GLIDE));
    slider.frame(
        params.float(Id::MIDI_GLIDE),
        slider.notch_event(true, Modifiers::NONE),
    );
    assert_eq!(params.float(Id::MIDI_GLIDE).value(), 1.0);
}

#[test]
fn notches_faster_than_the_host_applies_them_all_count() {
    let params = QuintetParams::default();
    let param = params.int(Id::VOICES);
    let mut slider = Harness::new(param);
    for _ in 0..3 {
        slider.frame_before_audio(param, slider.notch_event(true, Modifiers::NONE));
    }
    slider.audio_block(param);
    assert_eq!(param.value(), 11);
    assert_eq!(slider.calls().len(), 9, "one gesture per notch");
}

#[test]
fn a_wheel_notch_over_a_slider_does_not_scroll_its_column() {
    let params = QuintetParams::default();
    let mut slider = Harness::in_scrolling_column(params.float(Id::FREQUENCIES[0]));
    // Down: the way the column could scroll from its top.
    slider.frame(
        params.float(Id::FREQUENCIES[0]),
        slider.notch_event(false, Modifiers::NONE),
    );
    // egui spreads a notch's scrolling over the next frames.
    for _ in 0..30 {
        slider.frame(params.float(Id::FREQUENCIES[0]), vec![]);
    }
    one_gesture(&slider.calls());
    assert_eq!(slider.scrolled_pt, 0.0);
}

#[test]
fn ctrl_and_the_wheel_zoom_rather_than_move_a_slider() {
    let params = QuintetParams::default();
    let mut slider = Harness::new(params.float(Id::FREQUENCIES[0]));
    slider.frame(
        params.float(Id::FREQUENCIES[0]),
        slider.notch_event(true, Modifiers::COMMAND),
    );
    assert_eq!(slider.calls(), []);
}

#[test]
fn a_refusal_names_what_the_box_expects() {
    assert_eq!(
        refusal_reason(" 12 ", "-6.0 dB"),
        "not a level in dB: “12” (kept -6.0 dB)"
    );
    assert_eq!(refusal_reason("x", "8"), "not a number: “x” (kept 8)");
    assert_eq!(
        refusal_reason("x", "2 st"),
        "not a number of semitones: “x” (kept 2 st)"
    );
    assert_eq!(
        refusal_reason("x", "1.20 kHz"),
        "not a frequency: “x” (kept 1.20 kHz)"
    );
}

/// WCAG 2 contrast ratio of two sRGB colours (1 to 21).
fn contrast(a: Color32, b: Color32) -> f32 {
    let luminance = |c: Color32| {
        let linear = |v: u8| {
            let v = f32::from(v) / 255.0;
            if v <= 0.04045 {
                v / 12.92
            } else {
                ((v + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * linear(c.r()) + 0.7152 * linear(c.g()) + 0.0722 * linear(c.b())
    };
    let (la, lb) = (luminance(a), luminance(b));
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

#[test]
fn labels_contrast_with_the_panel() {
    let visuals = egui::Visuals::dark();
    let ratio = contrast(visuals.text_color(), visuals.panel_fill);
    assert!(ratio >= 4.5, "{ratio}");
}
