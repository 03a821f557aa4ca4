//! MIDI mode with one voice through a CLAP host: notes from the host's keyboard gate the
//! partials at the right pitch, without clicks, down to true silence, with last-note priority
//! and pitch bend — what MIDI mode did before it had more voices (tests/clap_host/poly.rs has
//! the chords).

use quintet::dsp::envelope::{ATTACK_MS, RELEASE_MS};
use quintet::engine::pitch::note_to_hz;
use quintet_test_host::frames_in;
use quintet_test_host::signal::{
    DEFAULT_FREQUENCIES_HZ, PARTIAL_AMPLITUDE, assert_clean, assert_spectrum, max_natural_step,
    max_step, rms,
};
use quintet_test_host::{
    HostEvent, MidiMessage, NoteMessage, ParamChange, QuintetHost, Rendered, blocks_of,
};

const SAMPLE_RATE_HZ: f64 = 48_000.0;
const BLOCK: usize = 512;
/// Rounding of an f32 output sample, on top of the mathematical bound.
const STEP_SLACK: f64 = 1e-6;
/// Frequency tolerance of the FFT checks, in Hz.
const TOLERANCE_HZ: f64 = 1.0;
/// Enough samples for a sharp FFT: 0.68 s.
const ANALYSIS_FRAMES: usize = 32_768;

/// A host with MIDI mode switched on with one voice and the drone faded out, so the output is
/// silent.
fn midi_host() -> QuintetHost {
    let mut host = QuintetHost::new();
    host.activate(SAMPLE_RATE_HZ, BLOCK);
    let midi = host.param_id("MIDI mode");
    let voices = host.param_id("Voices");
    let switched = host.render(
        4 * BLOCK,
        &[
            ParamChange {
                frame: 0,
                param: midi,
                normalized: 1.0,
            },
            ParamChange {
                frame: 0,
                param: voices,
                normalized: 0.0,
            },
        ],
    );
    let tail = &switched.left()[frames_in(RELEASE_MS, SAMPLE_RATE_HZ)..];
    assert!(
        tail.iter().all(|&x| x == 0.0),
        "MIDI mode without a note is silent once the drone has faded"
    );
    host
}

fn render(host: &mut QuintetHost, frames: usize, events: &[HostEvent]) -> Rendered {
    let audio = host.render_events(blocks_of(frames, BLOCK), events);
    assert_clean(&audio, "MIDI render");
    audio
}

/// The five partials when partial 1 plays `partial1_hz`: the default ratios to partial 1 kept.
fn transposed(partial1_hz: f64) -> Vec<f64> {
    DEFAULT_FREQUENCIES_HZ
        .iter()
        .map(|f| partial1_hz * f / DEFAULT_FREQUENCIES_HZ[0])
        .collect()
}

#[test]
fn a_note_puts_partial_1_on_its_pitch_and_keeps_the_ratios() {
    let mut host = midi_host();
    let audio = render(
        &mut host,
        frames_in(50.0, SAMPLE_RATE_HZ) + ANALYSIS_FRAMES,
        &[MidiMessage::note_on(0, 69, 127)],
    );
    let steady = &audio.left()[frames_in(50.0, SAMPLE_RATE_HZ)..];
    assert_spectrum(
        steady,
        SAMPLE_RATE_HZ,
        &transposed(440.0),
        PARTIAL_AMPLITUDE,
        TOLERANCE_HZ,
        "note 69",
    );
}

/// The RMS level of a note started by `note_on` (at frame 0), measured over 200 ms once its
/// attack is long over.
fn held_level(note_on: HostEvent) -> f64 {
    let mut host = midi_host();
    let settled = frames_in(50.0, SAMPLE_RATE_HZ);
    let audio = render(&mut host, settled + 9600, &[note_on]);
    rms(&audio.left()[settled..])
}

#[test]
fn velocity_scales_the_level() {
    let level = |velocity: u8| held_level(MidiMessage::note_on(0, 60, velocity));
    let ratio = level(64) / level(127);
    assert!((ratio - 64.0 / 127.0).abs() < 1e-3, "{ratio}");
}

/// Issue 13, item 5: a CLAP host's note velocity is an `f64` that can hold anything. Every
/// velocity plays at its value clamped to 0..1: above 1 (1e30 or +inf alike) at full level, at or
/// below 0 silent, and NaN (no usable velocity) at full level, as a host that knows none sends.
#[test]
fn every_velocity_a_host_can_send_plays_at_its_clamped_level() {
    let level = |velocity: f64| held_level(NoteMessage::on(0, 60, velocity));
    let full = level(1.0);
    assert!(full > 0.1, "a full-velocity note plays ({full})");
    for velocity in [1.5, 1e30, f64::INFINITY, f64::MAX, f64::NAN] {
        let got = level(velocity);
        assert!(
            (got / full - 1.0).abs() < 1e-6,
            "velocity {velocity}: level {got}, full is {full}"
        );
    }
    for velocity in [0.0, -1.0, -1e30, f64::NEG_INFINITY, -0.0] {
        assert_eq!(level(velocity), 0.0, "velocity {velocity}");
    }
    let half = level(0.5) / full;
    assert!(
        (half - 0.5).abs() < 1e-3,
        "velocity 0.5 plays at {half} of full"
    );
}

#[test]
fn note_on_and_off_do_not_click_and_the_release_ends_in_true_silence() {
    let mut host = midi_host();
    let (on, off) = (1000, 1000 + frames_in(200.0, SAMPLE_RATE_HZ));
    let audio = render(
        &mut host,
        off + frames_in(100.0, SAMPLE_RATE_HZ),
        &[
            MidiMessage::note_on(on, 69, 127),
            MidiMessage::note_off(off, 69),
        ],
    );
    let left = audio.left();
    assert!(
        left[..on].iter().all(|&x| x == 0.0),
        "silent before the note"
    );
    assert!(left[on + 1..off].iter().all(|&x| x != 0.0) || rms(&left[on..off]) > 0.1);

    // y = g·x moves at most as fast as the sines plus the envelope's slope times full scale.
    let partials: Vec<(f64, f64)> = transposed(440.0)
        .iter()
        .map(|&f| (PARTIAL_AMPLITUDE, f))
        .collect();
    let attack_slope = 1.0 / frames_in(ATTACK_MS, SAMPLE_RATE_HZ) as f64;
    let bound = max_natural_step(&partials, SAMPLE_RATE_HZ) + attack_slope + STEP_SLACK;
    let (onset_step, at) = max_step(&left[..on + frames_in(ATTACK_MS, SAMPLE_RATE_HZ) + 10]);
    assert!(
        onset_step <= bound,
        "note on: step {onset_step} at {at} > {bound}"
    );
    let (release_step, at) = max_step(&left[off - 10..]);
    assert!(
        release_step <= bound,
        "note off: step {release_step} at {at} > {bound}"
    );
    // Sharper: the gate adds no more than its own slope to what the held note itself does.
    let (held_step, _) = max_step(&left[on + frames_in(ATTACK_MS, SAMPLE_RATE_HZ)..off]);
    assert!(
        onset_step <= held_step + attack_slope + STEP_SLACK,
        "note on: {onset_step}"
    );
    let release_slope = 1.0 / frames_in(RELEASE_MS, SAMPLE_RATE_HZ) as f64;
    assert!(
        release_step <= held_step + release_slope + STEP_SLACK,
        "note off: {release_step}"
    );
    eprintln!(
        "largest step at note on {onset_step:.5}, at note off {release_step:.5}, while held \
         {held_step:.5}; bound {bound:.5} (the sines alone: {:.5}); a hard gate at note on \
         would have stepped by {:.5}",
        bound - attack_slope,
        // One sample into the attack the gain is 1/attack: the held signal is that much larger.
        f64::from(left[on + 1]).abs() * frames_in(ATTACK_MS, SAMPLE_RATE_HZ) as f64,
    );

    // The release takes its whole time, then every sample is exactly zero.
    let silent_from = off + frames_in(RELEASE_MS, SAMPLE_RATE_HZ);
    assert!(
        left[silent_from..].iter().all(|&x| x == 0.0),
        "not silent after the release"
    );
    let last_sound = left[..silent_from].iter().rposition(|&x| x != 0.0).unwrap();
    assert!(
        last_sound + 5 >= silent_from,
        "the release ended early, at {last_sound}"
    );
}

#[test]
fn releasing_the_latest_note_returns_to_the_one_still_held() {
    let mut host = midi_host();
    let second = frames_in(100.0, SAMPLE_RATE_HZ);
    let release_second = second + ANALYSIS_FRAMES;
    let audio = render(
        &mut host,
        release_second + frames_in(50.0, SAMPLE_RATE_HZ) + ANALYSIS_FRAMES,
        &[
            MidiMessage::note_on(0, 60, 127),
            MidiMessage::note_on(second, 67, 127),
            MidiMessage::note_off(release_second, 67),
        ],
    );
    let left = audio.left();
    assert_spectrum(
        &left[second + frames_in(50.0, SAMPLE_RATE_HZ)..release_second],
        SAMPLE_RATE_HZ,
        &transposed(note_to_hz(67)),
        PARTIAL_AMPLITUDE,
        TOLERANCE_HZ,
        "the latest note",
    );
    assert_spectrum(
        &left[release_second + frames_in(50.0, SAMPLE_RATE_HZ)..],
        SAMPLE_RATE_HZ,
        &transposed(note_to_hz(60)),
        PARTIAL_AMPLITUDE,
        TOLERANCE_HZ,
        "back to the held note",
    );
}

#[test]
fn pitch_bend_moves_all_five_partials_two_semitones_without_a_click() {
    for (wheel, semitones) in [(16_383, 2.0), (0, -2.0)] {
        let mut host = midi_host();
        let bend_at = frames_in(50.0, SAMPLE_RATE_HZ);
        let audio = render(
            &mut host,
            bend_at + frames_in(50.0, SAMPLE_RATE_HZ) + ANALYSIS_FRAMES,
            &[
                MidiMessage::note_on(0, 69, 127),
                MidiMessage::pitch_bend(bend_at, wheel),
            ],
        );
        let left = audio.left();
        let bent_hz = 440.0 * 2f64.powf(semitones / 12.0);
        assert_spectrum(
            &left[bend_at + frames_in(50.0, SAMPLE_RATE_HZ)..],
            SAMPLE_RATE_HZ,
            &transposed(bent_hz),
            PARTIAL_AMPLITUDE,
            TOLERANCE_HZ,
            "bent note",
        );
        // A full-wheel jump glides: no sample moves further than the higher of the two chords can.
        let partials: Vec<(f64, f64)> = transposed(440.0_f64.max(bent_hz))
            .iter()
            .map(|&f| (PARTIAL_AMPLITUDE, f))
            .collect();
        let bound = max_natural_step(&partials, SAMPLE_RATE_HZ) + STEP_SLACK;
        let (step, at) = max_step(&left[bend_at - 10..bend_at + frames_in(50.0, SAMPLE_RATE_HZ)]);
        assert!(step <= bound, "bend {wheel}: step {step} at {at} > {bound}");
    }
}

#[test]
fn a_bend_sent_before_the_note_applies_to_it_and_the_centred_wheel_undoes_it() {
    let mut host = midi_host();
    let centre_at = frames_in(50.0, SAMPLE_RATE_HZ) + ANALYSIS_FRAMES;
    let audio = render(
        &mut host,
        centre_at + frames_in(50.0, SAMPLE_RATE_HZ) + ANALYSIS_FRAMES,
        &[
            MidiMessage::pitch_bend(0, 16_383),
            MidiMessage::note_on(10, 57, 127),
            MidiMessage::pitch_bend(centre_at, 8_192),
        ],
    );
    let left = audio.left();
    assert_spectrum(
        &left[frames_in(50.0, SAMPLE_RATE_HZ)..centre_at],
        SAMPLE_RATE_HZ,
        &transposed(220.0 * 2f64.powf(2.0 / 12.0)),
        PARTIAL_AMPLITUDE,
        TOLERANCE_HZ,
        "note played with the wheel up",
    );
    assert_spectrum(
        &left[centre_at + frames_in(50.0, SAMPLE_RATE_HZ)..],
        SAMPLE_RATE_HZ,
        &transposed(220.0),
        PARTIAL_AMPLITUDE,
        TOLERANCE_HZ,
        "wheel back at the centre",
    );
}

#[test]
fn the_sustain_pedal_holds_a_released_note_until_it_lifts() {
    let mut host = midi_host();
    let (key_up, pedal_up) = (
        frames_in(100.0, SAMPLE_RATE_HZ),
        frames_in(100.0, SAMPLE_RATE_HZ) + ANALYSIS_FRAMES,
    );
    let audio = render(
        &mut host,
        pedal_up + frames_in(100.0, SAMPLE_RATE_HZ),
        &[
            MidiMessage::note_on(0, 57, 127),
            MidiMessage::control_change(10, MidiMessage::SUSTAIN_PEDAL, 127),
            MidiMessage::note_off(key_up, 57),
            MidiMessage::control_change(pedal_up, MidiMessage::SUSTAIN_PEDAL, 0),
        ],
    );
    let left = audio.left();
    assert_spectrum(
        &left[key_up..pedal_up],
        SAMPLE_RATE_HZ,
        &transposed(220.0),
        PARTIAL_AMPLITUDE,
        TOLERANCE_HZ,
        "key up, pedal down",
    );
    let silent_from = pedal_up + frames_in(RELEASE_MS, SAMPLE_RATE_HZ) + 1;
    assert!(
        left[silent_from..].iter().all(|&x| x == 0.0),
        "the pedal lifted: released to true silence"
    );
    let partials: Vec<(f64, f64)> = transposed(220.0)
        .iter()
        .map(|&f| (PARTIAL_AMPLITUDE, f))
        .collect();
    let release_slope = 1.0 / frames_in(RELEASE_MS, SAMPLE_RATE_HZ) as f64;
    let bound = max_natural_step(&partials, SAMPLE_RATE_HZ) + release_slope + STEP_SLACK;
    let (step, at) = max_step(&left[pedal_up - 10..silent_from]);
    assert!(step <= bound, "pedal up: step {step} at {at} > {bound}");
}

#[test]
fn all_notes_off_releases_even_sustained_notes() {
    let mut host = midi_host();
    let panic_at = frames_in(100.0, SAMPLE_RATE_HZ);
    let audio = render(
        &mut host,
        panic_at + frames_in(100.0, SAMPLE_RATE_HZ),
        &[
            MidiMessage::control_change(0, MidiMessage::SUSTAIN_PEDAL, 127),
            MidiMessage::note_on(0, 69, 127),
            MidiMessage::note_off(frames_in(50.0, SAMPLE_RATE_HZ), 69),
            MidiMessage::control_change(panic_at, MidiMessage::ALL_NOTES_OFF, 0),
        ],
    );
    let left = audio.left();
    assert!(
        rms(&left[frames_in(60.0, SAMPLE_RATE_HZ)..panic_at]) > 0.1,
        "sustained until the panic"
    );
    assert!(
        left[panic_at + frames_in(RELEASE_MS, SAMPLE_RATE_HZ) + 1..]
            .iter()
            .all(|&x| x == 0.0),
        "silent after all notes off"
    );
}

#[test]
fn a_glide_time_slides_between_legato_notes() {
    let mut host = midi_host();
    let glide = host.param_id("MIDI glide");
    let to_200_ms = host.text_to_value(glide, "200").unwrap();
    let second = frames_in(100.0, SAMPLE_RATE_HZ);
    let events = [
        HostEvent::Value(ParamChange {
            frame: 0,
            param: glide,
            normalized: to_200_ms,
        }),
        MidiMessage::note_on(0, 57, 127),
        MidiMessage::note_on(second, 69, 127),
    ];
    let audio = render(
        &mut host,
        second + frames_in(250.0, SAMPLE_RATE_HZ) + ANALYSIS_FRAMES,
        &events,
    );
    let left = audio.left();
    // Halfway through the glide partial 1 is near the middle (in pitch) of the octave.
    let middle = second + frames_in(100.0, SAMPLE_RATE_HZ);
    let peaks = quintet::spectrum::find_peaks(
        &left[middle - 1024..middle + 1024],
        SAMPLE_RATE_HZ,
        (PARTIAL_AMPLITUDE / 2.0) as f32,
    );
    let lowest = peaks
        .iter()
        .map(|p| p.frequency_hz)
        .fold(f64::MAX, f64::min);
    assert!(
        (lowest - 311.1).abs() < 25.0,
        "partial 1 at {lowest} Hz halfway through the glide (peaks {peaks:?})"
    );
    assert_spectrum(
        &left[second + frames_in(250.0, SAMPLE_RATE_HZ)..],
        SAMPLE_RATE_HZ,
        &transposed(440.0),
        PARTIAL_AMPLITUDE,
        TOLERANCE_HZ,
        "after the glide",
    );
}

#[test]
fn notes_do_nothing_to_the_drone() {
    let mut plain = QuintetHost::new();
    plain.activate(SAMPLE_RATE_HZ, BLOCK);
    let mut played = QuintetHost::new();
    played.activate(SAMPLE_RATE_HZ, BLOCK);
    let reference = render(&mut plain, 8192, &[]);
    let audio = render(
        &mut played,
        8192,
        &[
            MidiMessage::note_on(100, 69, 127),
            MidiMessage::pitch_bend(200, 0),
            MidiMessage::note_off(3000, 69),
        ],
    );
    assert_eq!(audio, reference);
}
