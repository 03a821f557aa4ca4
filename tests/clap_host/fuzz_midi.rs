//! MIDI fuzzing through the CLAP host: random streams of notes, velocities, pitch bends, the
//! control changes MIDI mode answers to (sustain pedal, all notes/sound off, reset all
//! controllers), other controllers and byte soup, CLAP notes with ids, chokes, tuning and volume
//! expressions, polyphonic modulation and MPE member channels, at random frames of randomly sized
//! blocks, while MIDI mode, the voice count (so chords steal), the envelope and the glide time
//! are switched under them. The output must stay finite, never
//! subnormal and within full scale, and a panic button (all notes off, pedal up) must always bring
//! back exact silence after the release.

use quintet::dsp::envelope::RELEASE_MS;
use quintet_test_host::frames_in;
use quintet_test_host::random::{Rng, midi_message, note_event};
use quintet_test_host::signal::assert_clean;
use quintet_test_host::{HostEvent, MidiMessage, ParamChange, QuintetHost};

const SAMPLE_RATE_HZ: f64 = 48_000.0;
const MAX_BLOCK: usize = 1024;

#[test]
fn random_midi_keeps_the_output_clean_and_the_panic_button_always_silences() {
    let mut host = QuintetHost::new();
    host.activate(SAMPLE_RATE_HZ, MAX_BLOCK);
    let midi_mode = host.param_id("MIDI mode");
    let midi_glide = host.param_id("MIDI glide");
    let switched_under = [
        "Voices",
        "Attack",
        "Decay",
        "Sustain",
        "Release",
        "Bend range",
    ]
    .map(|name| host.param_id(name));
    let modulated: Vec<_> = [
        "Partial 1 level",
        "Partial 3 level",
        "Partial 5 level",
        "Gain",
    ]
    .iter()
    .map(|name| host.param_id(name))
    .collect();
    let mut rng = Rng::new(0x3d1_f022);
    let mut midi_mode_on = false;
    for round in 0..40 {
        let blocks: Vec<usize> = (0..1 + rng.below(8))
            .map(|_| rng.pick(&[1, 7, 64, 100, 512, MAX_BLOCK]))
            .collect();
        let total: usize = blocks.iter().sum();
        let mut events: Vec<HostEvent> = (0..rng.below(200))
            .map(|_| {
                let frame = rng.below(total);
                if rng.below(2) == 0 {
                    midi_message(&mut rng, frame)
                } else {
                    note_event(&mut rng, frame, &modulated)
                }
            })
            .collect();
        for _ in 0..rng.below(3) {
            events.push(HostEvent::Value(ParamChange {
                frame: rng.below(total),
                param: rng.pick(&switched_under),
                normalized: rng.unit(),
            }));
        }
        if rng.below(4) == 0 {
            midi_mode_on = !midi_mode_on;
            events.push(HostEvent::Value(ParamChange {
                frame: rng.below(total),
                param: midi_mode,
                normalized: if midi_mode_on { 1.0 } else { 0.0 },
            }));
        }
        events.push(HostEvent::Value(ParamChange {
            frame: rng.below(total),
            param: midi_glide,
            normalized: rng.unit(),
        }));
        let audio = host.render_events(blocks, &events);
        assert_clean(&audio, &format!("round {round}"));
    }

    // The panic button: pedal up, all notes off, all sound off (the release time is random by
    // now; all sound off does not wait for it). MIDI mode is then silent once the drone has
    // faded.
    let midi_on = ParamChange {
        frame: 0,
        param: midi_mode,
        normalized: 1.0,
    };
    let panic = [
        HostEvent::Value(midi_on),
        MidiMessage::control_change(0, MidiMessage::SUSTAIN_PEDAL, 0),
        MidiMessage::control_change(0, MidiMessage::ALL_NOTES_OFF, 0),
        MidiMessage::control_change(0, MidiMessage::ALL_SOUND_OFF, 0),
    ];
    let after = frames_in(RELEASE_MS, SAMPLE_RATE_HZ) + 1;
    let audio = host.render_events([after, 512], &panic);
    assert_clean(&audio, "after the panic");
    assert!(
        audio.left()[after..].iter().all(|&x| x == 0.0),
        "MIDI mode after the panic button is exactly silent"
    );
}
