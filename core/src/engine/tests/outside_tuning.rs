//! Keys tuned from outside (MTS-ESP, through `Engine::tune_key` and its kin): new notes take
//! the outside frequency, sounding ones glide to a retuning and back, left-out keys stay
//! silent, and a broken frequency leaves the key in Quintet's own tuning.

use super::*;

/// Partial 1's frequency of the sounding note on `key` (channel `channel`).
fn partial_1_on(engine: &Engine, channel: Channel, key: u8) -> f64 {
    engine
        .sounding()
        .find(|(note, _)| note.channel == channel && note.key == key)
        .map(|(_, hz)| hz[0])
        .expect("the note sounds")
}

/// Asserts `hz` is `expected` to the 64-bit phase increment's resolution (far below 0.01 cent).
fn assert_hz(hz: f64, expected: f64, what: &str) {
    assert!(
        (hz / expected - 1.0).abs() < 1e-12,
        "{what}: {hz} Hz, expected {expected} Hz"
    );
}

/// Starts `key` on `channel` with the outside tuning `tuning`, as the glue does.
fn start(engine: &mut Engine, channel: Channel, key: u8, tuning: KeyTuning) {
    engine.tune_key(channel, key, tuning);
    on(engine, with_id(key, i32::from(key), channel), 1.0);
}

#[test]
fn a_note_plays_its_keys_outside_frequency_exactly_on_its_channel() {
    let mut engine = notes(8);
    start(&mut engine, 0, 69, KeyTuning::outside(441.3));
    start(&mut engine, 2, 69, KeyTuning::outside(437.1));
    render(&mut engine, 64);
    assert_hz(partial_1_on(&engine, 0, 69), 441.3, "partial 1");
    assert_hz(partial_1_on(&engine, 2, 69), 437.1, "partial 1");
    // The other partials keep their ratios to partial 1.
    let (_, partials) = engine.sounding().next().expect("a note");
    assert!((partials[1] / partials[0] - 1.25).abs() < 1e-12);
}

#[test]
fn a_retuning_glides_the_held_note_without_a_click_and_back_when_forgotten() {
    let mut engine = notes(8);
    start(&mut engine, 0, 69, KeyTuning::outside(440.0));
    let mut out = render(&mut engine, ms(50.0));
    engine.follow_outside_tuning(|_, _| Some(466.0));
    out.extend(render(&mut engine, ms(GLIDE_MS) + 100));
    assert_hz(partial_1_on(&engine, 0, 69), 466.0, "partial 1");
    engine.forget_outside_tuning();
    assert!(!engine.follows_outside_tuning());
    out.extend(render(&mut engine, ms(GLIDE_MS) + 100));
    assert_hz(partial_1_on(&engine, 0, 69), note_to_hz(69), "partial 1");
    // The glide moves the pitch only: no step beyond what the sines themselves make at the
    // highest frequency played.
    let bound = voice_step_bound(70);
    assert!(
        largest_step(&out) <= bound,
        "{} > {bound}",
        largest_step(&out)
    );
}

#[test]
fn a_broken_outside_frequency_leaves_the_own_tuning() {
    for broken in [f64::NAN, f64::INFINITY, -440.0, 0.0, 1e300] {
        let mut engine = notes(8);
        start(&mut engine, 0, 69, KeyTuning::outside(broken));
        engine.follow_outside_tuning(|_, _| Some(broken));
        render(&mut engine, 64);
        assert_hz(
            partial_1_on(&engine, 0, 69),
            note_to_hz(69),
            &format!("broken {broken}"),
        );
        // A held note retuned to a broken value glides back to its own tuning.
        engine.follow_outside_tuning(|_, _| Some(450.0));
        render(&mut engine, ms(GLIDE_MS) + 100);
        assert_hz(partial_1_on(&engine, 0, 69), 450.0, "partial 1");
        engine.follow_outside_tuning(|_, _| Some(broken));
        render(&mut engine, ms(GLIDE_MS) + 100);
        assert_hz(
            partial_1_on(&engine, 0, 69),
            note_to_hz(69),
            &format!("broken {broken}"),
        );
    }
}

#[test]
fn a_key_left_out_does_not_play_and_its_note_ends_for_the_host() {
    let mut engine = notes(8);
    start(&mut engine, 0, 60, KeyTuning::Unplayed);
    assert!(render(&mut engine, 256).iter().all(|&x| x == 0.0));
    let mut ended = Vec::new();
    engine.take_ended(|end| ended.push(end.note));
    assert_eq!(ended, [with_id(60, 60, 0)]);
    // The same key on another channel plays.
    start(&mut engine, 1, 60, KeyTuning::Own);
    assert_hz(partial_1_on(&engine, 1, 60), note_to_hz(60), "partial 1");
}

#[test]
fn following_asks_only_the_sounding_notes_keys_and_nothing_when_none_sound() {
    let mut engine = notes(8);
    render(&mut engine, 64);
    let mut asked = Vec::new();
    engine.follow_outside_tuning(|channel, key| {
        asked.push((channel, key));
        None
    });
    assert!(asked.is_empty());
    start(&mut engine, 3, 64, KeyTuning::Own);
    start(&mut engine, 0, 67, KeyTuning::Own);
    render(&mut engine, 64);
    engine.follow_outside_tuning(|channel, key| {
        asked.push((channel, key));
        None
    });
    asked.sort_unstable();
    assert_eq!(asked, [(0, 67), (3, 64)]);
}

#[test]
fn an_outside_tuning_overrides_a_scale_and_gives_the_notes_back_to_it() {
    use crate::tuning::Tuning;
    use crate::tuning::fixtures::cases;
    let case = cases()
        .into_iter()
        .find(|case| case.name == "31-EDO")
        .expect("the 31-EDO case");
    let tuning = Tuning::from_files(case.name, case.scale.as_bytes(), None).expect("31-EDO");
    let mut engine = notes(8);
    engine.set_key_table(tuning.table());
    let scale_hz = (case.expected_hz)(69).expect("key 69 is mapped");
    start(&mut engine, 0, 69, KeyTuning::outside(441.3));
    render(&mut engine, 64);
    assert_hz(partial_1_on(&engine, 0, 69), 441.3, "over the scale");
    engine.forget_outside_tuning();
    render(&mut engine, ms(GLIDE_MS) + 100);
    assert_hz(partial_1_on(&engine, 0, 69), scale_hz, "back on the scale");
}
