//! Notes under a tuning: every key at its scale frequency, measured from the phase increment
//! the voice plays; expression on top; a new tuning glides held notes without a click.

use super::*;
use crate::tuning::fixtures::{Case, cases, cents_off};
use crate::tuning::{KeyTable, Tuning};

fn tuning(case: &Case) -> Tuning {
    Tuning::from_files(
        case.name,
        case.scale.as_bytes(),
        case.map.as_deref().map(str::as_bytes),
    )
    .expect("a valid case")
}

fn tuned(voices: usize, table: &KeyTable) -> Engine {
    let mut engine = notes(voices);
    engine.set_key_table(table);
    engine
}

#[test]
fn every_key_plays_its_scale_frequency_within_a_hundredth_of_a_cent() {
    for case in cases() {
        let mut engine = tuned(MAX_VOICES, tuning(&case).table());
        for key in 0..=127u8 {
            // The note's id is its key: each measured alone, from its bank's phase increment.
            on(&mut engine, with_id(key, i32::from(key), 0), 1.0);
            render(&mut engine, 1);
            let played = engine
                .sounding()
                .find(|(note, _)| note.id == Some(i32::from(key)))
                .map(|(_, hz)| hz[0]);
            let mut ended = Vec::new();
            engine.take_ended(|end| ended.push(end.note.id));
            match (played, (case.expected_hz)(key)) {
                // At or above Nyquist a partial is silent and its increment stops there.
                (Some(_), Some(expected)) if expected >= RATE_HZ / 2.0 => {}
                (Some(hz), Some(expected)) => {
                    let off = cents_off(hz, expected);
                    assert!(
                        off.abs() < 0.01,
                        "{}: key {key} is {off} cents off",
                        case.name
                    );
                }
                (None, None) => assert!(
                    ended.contains(&Some(i32::from(key))),
                    "{}: silent key {key} must end for the host",
                    case.name
                ),
                (played, expected) => {
                    panic!(
                        "{}: key {key} plays {played:?}, not {expected:?}",
                        case.name
                    )
                }
            }
            engine.handle(NoteInput::Choke {
                target: NoteMatch::ALL,
            });
            render(&mut engine, ms(FADE_OUT_MS) + 10);
        }
    }
}

#[test]
fn twelve_tet_by_default_plays_the_increments_it_always_played() {
    let mut engine = notes(MAX_VOICES);
    let mut bank = PartialBank::new(RATE_HZ, [0.0; PARTIAL_COUNT]);
    for key in (0..=127u8).step_by(9) {
        on(&mut engine, with_id(key, i32::from(key), 0), 1.0);
        bank.jump_to(0, note_to_hz(key));
        let played = partial_1_of(&engine, i32::from(key));
        assert_eq!(
            played.to_bits(),
            bank.current_frequency_hz(0).to_bits(),
            "{key}"
        );
    }
}

/// The just 5-limit case: D (key 62) is 1/1 at 288 Hz.
fn just() -> Tuning {
    tuning(&cases()[3])
}

#[test]
fn bend_mpe_and_the_tuning_expression_move_a_scale_note() {
    let just = just();
    let mut engine = tuned(8, just.table());
    engine.set_mpe(true);
    on(&mut engine, with_id(62, 1, 1), 1.0);
    on(&mut engine, with_id(66, 2, 2), 1.0);
    // Member channel 3's wheel up (2 semitones) moves only its note; F# is 5/4 of D.
    turn_wheel(&mut engine, 2, 1.0);
    let close = |hz: f64, expected: f64| cents_off(hz, expected).abs() < 1e-6;
    assert!(close(partial_1_of(&engine, 1), 288.0));
    assert!(close(
        partial_1_of(&engine, 2),
        360.0 * (2.0f64 / 12.0).exp2()
    ));
    engine.handle(NoteInput::Tuning {
        target: NoteMatch {
            id: Some(1),
            ..NoteMatch::ALL
        },
        semitones: -1.0,
    });
    render(&mut engine, ms(GLIDE_MS) + 100);
    assert!(close(
        partial_1_of(&engine, 1),
        288.0 * (-1.0f64 / 12.0).exp2()
    ));
}

#[test]
fn one_voice_glides_from_scale_note_to_scale_note() {
    let just = just();
    let mut engine = tuned(1, just.table());
    engine.set_midi_glide_ms(50.0);
    on(&mut engine, note(62), 1.0);
    on(&mut engine, note(69), 1.0);
    render(&mut engine, ms(25.0));
    let (_, halfway) = engine.sounding().next().expect("a note");
    assert!(halfway[0] > 288.0 && halfway[0] < 432.0, "{}", halfway[0]);
    render(&mut engine, ms(50.0));
    let (_, there) = engine.sounding().next().expect("a note");
    assert!(cents_off(there[0], 432.0).abs() < 1e-6, "{}", there[0]);
}

/// Holds one sine on `key` until its loudest sample of a period in the sustain, loads `table`
/// there, and returns the samples of the glide to the new tuning and the sine's peak.
fn retuned_at_its_peak(key: u8, table: &KeyTable) -> (Vec<f32>, f32) {
    let settled = ms(ATTACK_MS + DECAY_MS) + 10;
    let period = (RATE_HZ / note_to_hz(key)).ceil() as usize;
    let mut probe = one_sine_notes(1);
    on(&mut probe, note(key), 1.0);
    let held = render(&mut probe, settled + period);
    let peak_at = (settled..held.len())
        .max_by(|&a, &b| held[a].abs().total_cmp(&held[b].abs()))
        .expect("a period");
    let mut engine = one_sine_notes(1);
    on(&mut engine, note(key), 1.0);
    let mut out = render(&mut engine, peak_at + 1);
    engine.set_key_table(table);
    out.extend(render(&mut engine, ms(GLIDE_MS) + 100));
    (out[peak_at..].to_vec(), held[peak_at].abs())
}

#[test]
fn a_new_tuning_glides_held_notes_without_a_click_or_a_phase_reset() {
    let just = just();
    // Retuned at its loudest, A4 glides to 432 Hz. A sine of amplitude `peak` steps at most
    // 2π·f/fs·peak per sample; a phase reset there would step by about `peak`, 17 times more.
    let (out, peak) = retuned_at_its_peak(69, just.table());
    let bound = std::f64::consts::TAU * 440.0 / RATE_HZ * f64::from(peak) * 1.001;
    let step = largest_step(&out);
    assert!(
        step <= bound,
        "a retuning stepped {step}, a sine at most {bound}"
    );
    let (_, hz) = engine_after(&just);
    assert!(cents_off(hz, 432.0).abs() < 1e-6, "{hz}");
}

/// A held A4 with `tuning` loaded while it sounds: the note and partial 1's frequency after
/// the glide.
fn engine_after(tuning: &Tuning) -> (NoteRef, f64) {
    let mut engine = notes(8);
    on(&mut engine, note(69), 1.0);
    render(&mut engine, 100);
    engine.set_key_table(tuning.table());
    render(&mut engine, ms(GLIDE_MS) + 100);
    let (note, hz) = engine.sounding().next().expect("still sounding");
    (note, hz[0])
}

#[test]
fn a_note_whose_key_a_new_tuning_silences_fades_out() {
    let white_keys = tuning(&cases()[4]);
    let mut engine = notes(8);
    on(&mut engine, note(61), 1.0);
    on(&mut engine, note(60), 1.0);
    render(&mut engine, 100);
    engine.set_key_table(white_keys.table());
    let out = render(&mut engine, ms(FADE_OUT_MS) + ms(GLIDE_MS) + 10);
    let keys: Vec<u8> = engine.sounding().map(|(note, _)| note.key).collect();
    assert_eq!(keys, [60]);
    assert!(largest_step(&out) <= voices_step_bound(2, 61));
}

/// One voice: a key still held under the note playing, which a new tuning silences, is never
/// played when the keys above it go up (it once restarted as a silent voice at 0 Hz that held
/// the voice until the key went up); a mapped key under it plays.
#[test]
fn one_voice_skips_a_held_key_a_new_tuning_silences() {
    let white_keys = tuning(&cases()[4]);
    let mut engine = notes(1);
    on(&mut engine, note(60), 1.0);
    on(&mut engine, note(61), 1.0);
    on(&mut engine, note(62), 1.0);
    render(&mut engine, 100);
    engine.set_key_table(white_keys.table());
    render(&mut engine, ms(GLIDE_MS) + 10);
    off(&mut engine, 62);
    render(&mut engine, ms(FADE_OUT_MS) + ms(RELEASE_MS) + 10);
    let sounding: Vec<(u8, f64)> = engine
        .sounding()
        .map(|(note, hz)| (note.key, hz[0]))
        .collect();
    assert_eq!(sounding.len(), 1, "{sounding:?}");
    let (key, hz) = sounding[0];
    assert_eq!(key, 60, "C, skipping the silenced C#: {sounding:?}");
    assert!(hz > 100.0, "at C's frequency, not 0 Hz: {hz}");
}

fn on_scale(degrees: [i32; PARTIAL_COUNT]) -> ScalePartials {
    ScalePartials { on: true, degrees }
}

/// The frequencies an FFT of one second of `engine` finds, lowest first (each sine at its
/// level: every peak above a tenth of a partial's).
fn heard(engine: &mut Engine) -> Vec<f64> {
    render(engine, ms(ATTACK_MS + DECAY_MS) + 10);
    let out = render(engine, RATE_HZ as usize);
    let mut peaks: Vec<f64> = find_peaks(&out, RATE_HZ, PARTIAL_AMPLITUDE * VOICE_LEVEL * 0.1)
        .into_iter()
        .map(|peak| peak.frequency_hz)
        .collect();
    peaks.sort_by(f64::total_cmp);
    peaks
}

fn assert_heard(heard: &[f64], expected: &[f64]) {
    assert_eq!(heard.len(), expected.len(), "{heard:?}, not {expected:?}");
    for (hz, want) in heard.iter().zip(expected) {
        assert!((hz - want).abs() < 0.05, "{heard:?}, not {expected:?}");
    }
}

#[test]
fn partials_on_the_scale_play_an_in_tune_cluster_from_one_key() {
    let just = just();
    let mut engine = tuned(8, just.table());
    engine.set_scale_partials(on_scale([0, 2, 4, 7, 9]));
    on(&mut engine, note(62), 1.0);
    // D is 1/1 at 288 Hz: E 9/8, F# 5/4, A 3/2, B 5/3.
    assert_heard(&heard(&mut engine), &[288.0, 324.0, 360.0, 432.0, 480.0]);

    // On the white keys' seven degrees, C's cluster is C E G C' E' (degrees 0, 2, 4, 7, 9).
    let white_keys = tuning(&cases()[4]);
    let mut engine = tuned(8, white_keys.table());
    engine.set_scale_partials(on_scale([0, 2, 4, 7, 9]));
    on(&mut engine, note(60), 1.0);
    let c = note_to_hz(60);
    assert_heard(
        &heard(&mut engine),
        &[c, c * 1.25, c * 1.5, c * 2.0, c * 2.5],
    );
}

#[test]
fn by_default_partials_keep_their_ratios_under_a_scale() {
    let just = just();
    let mut engine = tuned(8, just.table());
    on(&mut engine, note(62), 1.0);
    let ratios = DEFAULT_FREQUENCIES_HZ.map(|hz| 288.0 * hz / DEFAULT_FREQUENCIES_HZ[0]);
    assert_heard(&heard(&mut engine), &ratios);
}

#[test]
fn switching_partials_onto_the_scale_glides_a_held_note_there() {
    let mut engine = notes(8);
    on(&mut engine, with_id(60, 1, 0), 1.0);
    render(&mut engine, 100);
    // 12-TET by default: degrees are semitones.
    engine.set_scale_partials(on_scale([0, 4, 7, 12, -12]));
    render(&mut engine, ms(GLIDE_MS) + 100);
    let (_, hz) = engine.sounding().next().expect("a note");
    let expected = [60, 64, 67, 72, 48].map(note_to_hz);
    for (hz, expected) in hz.iter().zip(expected) {
        assert!(cents_off(*hz, expected).abs() < 1e-6, "{hz} {expected}");
    }
}
