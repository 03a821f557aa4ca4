//! Chords through a CLAP host: voices, stealing, the envelope's end, the sustain pedal, note
//! expressions, polyphonic modulation (levels, gain, the LFO's depths, pans, unison) with the
//! note ends the host needs back, and MPE.

use quintet::dsp::envelope::{FADE_OUT_MS, RELEASE_MS, SHORTEST_SEGMENT_MS};
use quintet::dsp::pan::pan_gains;
use quintet::dsp::{PARTIAL_AMPLITUDE, VOICE_LEVEL};
use quintet::engine::Modulated;
use quintet::engine::pitch::note_to_hz;
use quintet::params::Param;
use quintet::spectrum::{Peak, find_peaks};
use quintet_test_host::signal::{
    DEFAULT_FREQUENCIES_HZ, assert_clean, assert_clean_stereo, max_step,
};
use quintet_test_host::{
    HostEvent, MidiMessage, NO_NOTE_ID, NoteExpression, NoteMessage, ParamChange, ParamInfoFlags,
    PolyMod, QuintetHost, Rendered, blocks_of, frames_in,
};

const SAMPLE_RATE_HZ: f64 = 48_000.0;
const BLOCK: usize = 256;
/// Enough samples for a sharp FFT: 0.68 s.
const ANALYSIS_FRAMES: usize = 32_768;
/// Keys whose partials stay well apart, so the FFT sees fifteen peaks (a C major triad's third
/// partial of C nearly coincides with G).
const CHORD: [u8; 3] = [48, 61, 74];

/// A host in MIDI mode with `voices` voices, the drone faded out.
fn poly_host(voices: usize) -> QuintetHost {
    let mut host = QuintetHost::new();
    let (midi, voice_count) = (host.param_id("MIDI mode"), host.param_id("Voices"));
    let count = host
        .text_to_value(voice_count, &voices.to_string())
        .expect("a voice count");
    host.flush_params(&[
        ParamChange {
            frame: 0,
            param: midi,
            normalized: 1.0,
        },
        ParamChange {
            frame: 0,
            param: voice_count,
            normalized: count,
        },
    ]);
    host.activate(SAMPLE_RATE_HZ, BLOCK);
    host
}

fn render(host: &mut QuintetHost, frames: usize, events: &[HostEvent]) -> Rendered {
    let audio = host.render_events(blocks_of(frames, BLOCK), events);
    assert_clean(&audio, "chord render");
    audio
}

/// The five partials of `key` with the default frequency settings.
fn partials_of(key: u8) -> [f64; 5] {
    DEFAULT_FREQUENCIES_HZ.map(|hz| note_to_hz(key) * hz / DEFAULT_FREQUENCIES_HZ[0])
}

fn peaks_of(audio: &Rendered, amplitude: f64) -> Vec<Peak> {
    let tail = &audio.left()[audio.len() - ANALYSIS_FRAMES..];
    find_peaks(tail, SAMPLE_RATE_HZ, (amplitude / 4.0) as f32)
}

fn amplitude_at(peaks: &[Peak], hz: f64) -> f64 {
    peaks
        .iter()
        .find(|p| (p.frequency_hz - hz).abs() < 1.0)
        .map_or(0.0, |p| p.amplitude)
}

#[test]
fn a_three_note_chord_plays_fifteen_partials_at_their_levels() {
    let mut host = poly_host(4);
    let notes: Vec<HostEvent> = CHORD
        .iter()
        .map(|&key| MidiMessage::note_on(0, key, 127))
        .collect();
    let audio = render(&mut host, ANALYSIS_FRAMES + 4800, &notes);
    // Each voice at its fixed level, whatever the voice count.
    let amplitude = f64::from(PARTIAL_AMPLITUDE);
    let peaks = peaks_of(&audio, amplitude);
    assert_eq!(peaks.len(), 15, "{peaks:?}");
    for hz in CHORD.iter().flat_map(|&key| partials_of(key)) {
        let found = amplitude_at(&peaks, hz);
        assert!(
            (found / amplitude - 1.0).abs() < 0.1,
            "{hz:.1} Hz at {found}, expected {amplitude}"
        );
    }
}

#[test]
fn forty_notes_on_four_voices_steal_without_a_click_and_end_in_zeros() {
    let mut host = poly_host(4);
    let mut events = Vec::new();
    let mut frame = 0;
    // Low keys, so the sines' own steps are small and a voice cut short would stand out.
    for n in 0..40usize {
        let key = 36 + (n * 5 % 12) as u8;
        events.push(NoteMessage::on_with(frame, key, 1.0, n as i32, 0));
        frame += 300 + n * 17;
        if n % 3 == 0 {
            events.push(NoteMessage::off_with(frame, key, n as i32, 0));
        }
    }
    events.push(MidiMessage::control_change(
        frame,
        MidiMessage::ALL_NOTES_OFF,
        0,
    ));
    let audio = render(&mut host, frame + 4800, &events);
    // Each voice steps by at most its sines' slopes plus its envelope's steepest segment; at
    // most four voices play and four more fade out at once.
    let highest = partials_of(47);
    let sines: f64 = highest
        .iter()
        .map(|hz| std::f64::consts::TAU * hz / SAMPLE_RATE_HZ * f64::from(PARTIAL_AMPLITUDE))
        .sum();
    let envelope = f64::from(VOICE_LEVEL) / frames_in(SHORTEST_SEGMENT_MS, SAMPLE_RATE_HZ) as f64;
    let bound = 8.0 * (sines + envelope) + 1e-6;
    let (step, at) = max_step(audio.left());
    assert!(step <= bound, "step {step} at {at} > {bound}");
    let release_end = frame + frames_in(RELEASE_MS, SAMPLE_RATE_HZ) + BLOCK;
    assert!(
        audio.left()[release_end..].iter().all(|&x| x == 0.0),
        "every voice released ends in exact zeros"
    );
    // Every note ended, and the host heard of each once.
    let mut ended: Vec<i32> = audio.note_ends.iter().map(|end| end.note_id).collect();
    ended.sort();
    assert_eq!(ended, (0..40).collect::<Vec<_>>());
}

/// A host as [`poly_host`] makes, with partials 2–5 muted: one sine a note, so the FFT names
/// the keys that sound.
fn one_sine_host(voices: usize) -> QuintetHost {
    let mut host = poly_host(voices);
    let mutes: Vec<HostEvent> = (2..=5)
        .map(|k| {
            HostEvent::Value(ParamChange {
                frame: 0,
                param: host.param_id(&format!("Partial {k} mute")),
                normalized: 1.0,
            })
        })
        .collect();
    render(&mut host, BLOCK, &mutes);
    host
}

/// The keys whose partial 1 sounds at `amplitude` (±10 %) in `peaks`, lowest first.
fn keys_at(peaks: &[Peak], amplitude: f64) -> Vec<u8> {
    (0..=127)
        .filter(|&key| (amplitude_at(peaks, note_to_hz(key)) / amplitude - 1.0).abs() < 0.1)
        .collect()
}

/// Issue 21, item 13: more note-ons in one block than the engine has voice slots dropped the
/// newest notes (an 8-note chord doubled in five tracks played silence). The newest notes sound,
/// as many as there are voices, and the host hears once of every other note's end.
#[test]
fn a_burst_of_notes_in_one_frame_plays_the_newest_on_every_voice() {
    for voices in [8, 16] {
        for count in [40, 200] {
            let mut host = one_sine_host(voices);
            // 61 keys from 40 up, 7 apart modulo 61: any 16 in a row are distinct.
            let keys: Vec<u8> = (0..count).map(|n| 40 + (n * 7 % 61) as u8).collect();
            let events: Vec<HostEvent> = (keys.iter().enumerate())
                .map(|(n, &key)| NoteMessage::on_with(100, key, 1.0, n as i32, 0))
                .collect();
            let audio = render(&mut host, ANALYSIS_FRAMES + 4800, &events);
            let amplitude = f64::from(PARTIAL_AMPLITUDE);
            let peaks = peaks_of(&audio, amplitude);
            let mut newest = keys[count - voices..].to_vec();
            newest.sort_unstable();
            let what = format!("{count} notes on {voices} voices");
            assert_eq!(keys_at(&peaks, amplitude), newest, "{what}: {peaks:?}");
            assert_eq!(peaks.len(), voices, "{what}: {peaks:?}");
            let mut ended: Vec<i32> = audio.note_ends.iter().map(|end| end.note_id).collect();
            ended.sort_unstable();
            let stolen: Vec<i32> = (0..(count - voices) as i32).collect();
            assert_eq!(ended, stolen, "{what}: the notes that ended");
        }
    }
    // The file: an 8-note chord in five tracks, as MIDI at one frame.
    let chord = [48, 52, 55, 59, 62, 65, 69, 72];
    let mut host = one_sine_host(8);
    let events: Vec<HostEvent> = (chord.repeat(5).into_iter())
        .map(|key| MidiMessage::note_on(0, key, 127))
        .collect();
    let audio = render(&mut host, ANALYSIS_FRAMES + 4800, &events);
    let amplitude = f64::from(PARTIAL_AMPLITUDE);
    assert_eq!(keys_at(&peaks_of(&audio, amplitude), amplitude), chord);
}

#[test]
fn the_sustain_pedal_holds_a_chord_until_it_lifts() {
    let mut host = poly_host(8);
    let mut events = vec![MidiMessage::control_change(
        0,
        MidiMessage::SUSTAIN_PEDAL,
        127,
    )];
    for &key in &CHORD {
        events.push(MidiMessage::note_on(0, key, 127));
        events.push(MidiMessage::note_off(1000, key));
    }
    let held = render(&mut host, ANALYSIS_FRAMES + 4800, &events);
    let amplitude = f64::from(PARTIAL_AMPLITUDE);
    assert_eq!(
        peaks_of(&held, amplitude).len(),
        15,
        "the pedal holds all three"
    );
    let lifted = render(
        &mut host,
        4800,
        &[MidiMessage::control_change(
            0,
            MidiMessage::SUSTAIN_PEDAL,
            0,
        )],
    );
    let silent_from = frames_in(RELEASE_MS, SAMPLE_RATE_HZ);
    assert!(lifted.left()[..silent_from].iter().any(|&x| x != 0.0));
    assert!(lifted.left()[silent_from..].iter().all(|&x| x == 0.0));
}

#[test]
fn a_tuning_expression_and_a_modulated_level_move_only_their_own_voice() {
    let mut host = poly_host(4);
    let level1 = host.param_id("Partial 1 level");
    let (low, high) = (48, 74);
    let events = [
        NoteMessage::on_with(0, low, 1.0, 11, 0),
        NoteMessage::on_with(0, high, 1.0, 22, 0),
        // Note 11 an octave up; note 22's partial 1 switched off.
        NoteExpression::tuning(100, 11, 0, i16::from(low), 12.0),
        PolyMod::voice(
            ParamChange {
                frame: 100,
                param: level1,
                normalized: -1.0,
            },
            22,
            0,
            i16::from(high),
        ),
    ];
    let audio = render(&mut host, ANALYSIS_FRAMES + 4800, &events);
    let amplitude = f64::from(PARTIAL_AMPLITUDE);
    let peaks = peaks_of(&audio, amplitude);
    for hz in partials_of(low + 12) {
        let found = amplitude_at(&peaks, hz);
        assert!((found / amplitude - 1.0).abs() < 0.1, "{hz:.1} Hz: {found}");
    }
    let [first, rest @ ..] = partials_of(high);
    assert_eq!(
        amplitude_at(&peaks, first),
        0.0,
        "note 22's partial 1 is off"
    );
    for hz in rest {
        let found = amplitude_at(&peaks, hz);
        assert!((found / amplitude - 1.0).abs() < 0.1, "{hz:.1} Hz: {found}");
    }
    assert_eq!(peaks.len(), 9, "{peaks:?}");
    // Both end when released, and the host is told, with their ids.
    let released = render(
        &mut host,
        4800,
        &[
            NoteMessage::off_with(0, low, 11, 0),
            NoteMessage::off_with(0, high, 22, 0),
        ],
    );
    let mut ended: Vec<(i32, i16)> = released
        .note_ends
        .iter()
        .map(|end| (end.note_id, end.key))
        .collect();
    ended.sort();
    assert_eq!(ended, [(11, i16::from(low)), (22, i16::from(high))]);
    let at = frames_in(RELEASE_MS, SAMPLE_RATE_HZ);
    assert!(released.note_ends.iter().all(|end| end.frame == at));
}

#[test]
fn an_mpe_bend_on_a_member_channel_moves_only_its_note() {
    let mut host = poly_host(4);
    let (low, high) = (48, 74);
    // Channels 2 and 3 (1 and 2 counting from 0); the wheel of channel 3 fully up.
    let events = [
        HostEvent::Midi(MidiMessage {
            frame: 0,
            data: [0x91, low, 127],
        }),
        HostEvent::Midi(MidiMessage {
            frame: 0,
            data: [0x92, high, 127],
        }),
        HostEvent::Midi(MidiMessage {
            frame: 100,
            data: [0xE2, 0x7F, 0x7F],
        }),
    ];
    let audio = render(&mut host, ANALYSIS_FRAMES + 4800, &events);
    let amplitude = f64::from(PARTIAL_AMPLITUDE);
    let peaks = peaks_of(&audio, amplitude);
    for hz in partials_of(low).into_iter().chain(partials_of(high + 2)) {
        let found = amplitude_at(&peaks, hz);
        assert!((found / amplitude - 1.0).abs() < 0.1, "{hz:.1} Hz: {found}");
    }
    assert_eq!(peaks.len(), 10, "{peaks:?}");
}

#[test]
fn a_choke_stops_a_note_within_the_fade_out() {
    let mut host = poly_host(4);
    let audio = render(
        &mut host,
        9600,
        &[
            NoteMessage::on_with(0, 60, 1.0, 5, 0),
            NoteMessage::choke(4800, 60, NO_NOTE_ID, 0),
        ],
    );
    let silent_from = 4800 + frames_in(FADE_OUT_MS, SAMPLE_RATE_HZ);
    assert!(audio.left()[4800..silent_from].iter().any(|&x| x != 0.0));
    assert!(audio.left()[silent_from..].iter().all(|&x| x == 0.0));
    assert_eq!(audio.note_ends.len(), 1);
    assert_eq!(audio.note_ends[0].note_id, 5);
}

#[test]
fn the_host_learns_the_voice_capacity() {
    let mut host = poly_host(6);
    render(&mut host, BLOCK, &[]);
    let info = host.voice_info().expect("voice-info");
    assert_eq!(info.voice_capacity, 16);
    assert!(info.overlapping_notes);
    assert_eq!(info.voice_count, 6);
}

/// CLAP's vibrato, brightness, pressure and expression note expressions each move their own
/// note: note 11 gets a full vibrato expression (its lines spread), note 22 full brightness
/// (partial 5 up by the timbre route's 12 dB), half expression (half its level) and full
/// pressure (+6 dB with Pressure level at 6 dB); the other note's lines stay where they were.
#[test]
fn note_expressions_move_only_their_own_note() {
    let mut host = poly_host(4);
    let pressure_level = host.param_id("Pressure level");
    let six_db = host.text_to_value(pressure_level, "6").expect("6 dB");
    let (low, high) = (48, 74);
    let start = [
        HostEvent::Value(ParamChange {
            frame: 0,
            param: pressure_level,
            normalized: six_db,
        }),
        NoteMessage::on_with(0, low, 1.0, 11, 0),
        NoteMessage::on_with(0, high, 1.0, 22, 0),
    ];
    let amplitude = f64::from(PARTIAL_AMPLITUDE);
    let before = peaks_of(
        &render(&mut host, ANALYSIS_FRAMES + 4800, &start),
        amplitude,
    );
    let key = |key: u8| i16::from(key);
    let expressions = [
        NoteExpression::vibrato(0, 11, 0, key(low), 1.0),
        NoteExpression::brightness(0, 22, 0, key(high), 1.0),
        NoteExpression::expression(0, 22, 0, key(high), 0.5),
        NoteExpression::pressure(0, 22, 0, key(high), 1.0),
    ];
    let after = peaks_of(
        &render(&mut host, ANALYSIS_FRAMES + 4800, &expressions),
        0.005,
    );
    let db = |hz: f64| 20.0 * (amplitude_at(&after, hz) / amplitude_at(&before, hz)).log10();
    // Note 22: × 0.5 (−6.02 dB) × pressure's +6 dB, partial 5 +12 dB more, partial 3 +6 dB.
    let high_partials = partials_of(high);
    let level_db = 20.0 * 0.5f64.log10() + 6.0;
    for (k, tilt) in [(0, 0.0), (2, 6.0), (4, 12.0)] {
        let change = db(high_partials[k]);
        assert!(
            (change - level_db - tilt).abs() < 0.1,
            "note 22 partial {k}: {change:.2} dB"
        );
    }
    // Note 11's vibrato (the mod wheel's 40 cents at full) spreads partial 5's line.
    let low_top = partials_of(low)[4];
    assert!(
        db(low_top) < -2.0,
        "note 11 vibrates: {:.2} dB",
        db(low_top)
    );
}

/// Issue 24: CLAP's pan expression moves only its note, on top of the partials' pans (here
/// all centred): note 11 hard left is √2 louder on the left and gone from the right; note 22
/// stays centred on both.
#[test]
fn a_pan_expression_moves_only_its_own_voice() {
    let mut host = poly_host(4);
    let (low, high) = (48, 74);
    let events = [
        NoteMessage::on_with(0, low, 1.0, 11, 0),
        NoteMessage::on_with(0, high, 1.0, 22, 0),
        // CLAP's 0 is hard left.
        NoteExpression::pan(100, 11, 0, i16::from(low), 0.0),
    ];
    let audio = host.render_events(blocks_of(ANALYSIS_FRAMES + 4800, BLOCK), &events);
    assert_clean_stereo(&audio, "a note panned by its expression");
    let amplitude = f64::from(PARTIAL_AMPLITUDE);
    let tail = |channel: usize| &audio.channels[channel][audio.len() - ANALYSIS_FRAMES..];
    let left = find_peaks(tail(0), SAMPLE_RATE_HZ, (amplitude / 4.0) as f32);
    let right = find_peaks(tail(1), SAMPLE_RATE_HZ, (amplitude / 4.0) as f32);
    let near = |found: f64, expected: f64| (found / expected - 1.0).abs() < 0.1;
    for hz in partials_of(low) {
        let found = amplitude_at(&left, hz);
        assert!(
            near(found, std::f64::consts::SQRT_2 * amplitude),
            "{hz:.1} Hz left: {found}"
        );
        assert_eq!(
            amplitude_at(&right, hz),
            0.0,
            "{hz:.1} Hz is not on the right"
        );
    }
    for hz in partials_of(high) {
        assert!(near(amplitude_at(&left, hz), amplitude), "{hz:.1} Hz left");
        assert!(
            near(amplitude_at(&right, hz), amplitude),
            "{hz:.1} Hz right"
        );
    }
}

// ---- Issue 24: polyphonic modulation of the per-voice parameters (the LFO's depths, the
// pans, the unison's detune and width). Note 11 is modulated, note 22 is not; each test
// measures both.

/// The modulated note's id and the other's.
const MODULATED: i32 = 11;
const OTHER: i32 = 22;

/// Issue 24, item 1: a CLAP host sees as modulatable per note exactly the parameters the
/// registry declares `modulated` (the levels and gain, the LFO's three depths, the pans, the
/// unison's detune and width), and nothing else.
#[test]
fn the_host_sees_every_per_voice_parameter_as_modulatable_per_note() {
    let mut host = QuintetHost::new();
    let per_note: Vec<String> = (host.params().into_iter())
        .filter(|p| p.flags.contains(ParamInfoFlags::IS_MODULATABLE_PER_NOTE_ID))
        .map(|p| p.name)
        .collect();
    let declared: Vec<String> = (Param::ALL.iter().map(|param| param.spec()))
        .filter(|spec| spec.modulated.is_some())
        .map(|spec| spec.name.to_owned())
        .collect();
    assert_eq!(per_note, declared);
    assert_eq!(per_note.len(), Modulated::ALL.len());
    for name in [
        "Vibrato",
        "Tremolo",
        "LFO brightness",
        "Partial 3 pan",
        "Unison detune",
    ] {
        assert!(per_note.iter().any(|n| n == name), "{name}: {per_note:?}");
    }
}

/// A host as [`poly_host`] makes with each of `settings` (a parameter's name, a typed value)
/// set at frame 0.
fn host_with(settings: &[(&str, &str)]) -> QuintetHost {
    let mut host = poly_host(4);
    let values: Vec<HostEvent> = (settings.iter())
        .map(|&(name, text)| {
            let param = host.param_id(name);
            let normalized = (host.text_to_value(param, text)).unwrap_or_else(|| panic!("{text}"));
            HostEvent::Value(ParamChange {
                frame: 0,
                param,
                normalized,
            })
        })
        .collect();
    render(&mut host, BLOCK, &values);
    host
}

/// `name` modulated by `offset` (normalized) on note `note_id` playing `key`, at `frame`.
fn modulate(
    host: &mut QuintetHost,
    frame: usize,
    name: &str,
    offset: f64,
    note_id: i32,
    key: u8,
) -> HostEvent {
    let param = host.param_id(name);
    let change = ParamChange {
        frame,
        param,
        normalized: offset,
    };
    PolyMod::voice(change, note_id, 0, i16::from(key))
}

/// Each channel's peaks in the render's last [`ANALYSIS_FRAMES`], down to `floor`.
fn channel_peaks(audio: &Rendered, floor: f64) -> [Vec<Peak>; 2] {
    let tail = |channel: usize| &audio.channels[channel][audio.len() - ANALYSIS_FRAMES..];
    [0, 1].map(|channel| find_peaks(tail(channel), SAMPLE_RATE_HZ, floor as f32))
}

/// How much each partial of notes `low` (modulated: [`MODULATED`]) and `high` ([`OTHER`])
/// changed, in dB on the left channel, once `name` is modulated by `offset` on the first:
/// measured before and after on the same two held notes.
fn depth_changes(settings: &[(&str, &str)], name: &str, offset: f64) -> ([f64; 5], [f64; 5]) {
    let mut host = host_with(settings);
    let (low, high) = (48, 74);
    let start = [
        NoteMessage::on_with(0, low, 1.0, MODULATED, 0),
        NoteMessage::on_with(0, high, 1.0, OTHER, 0),
    ];
    let before = render(&mut host, ANALYSIS_FRAMES + 4800, &start);
    let modulation = [modulate(&mut host, 0, name, offset, MODULATED, low)];
    let after = render(&mut host, ANALYSIS_FRAMES + 4800, &modulation);
    let (before, after) = (peaks_of(&before, 0.005), peaks_of(&after, 0.005));
    let db = |hz: f64| 20.0 * (amplitude_at(&after, hz) / amplitude_at(&before, hz)).log10();
    (partials_of(low).map(db), partials_of(high).map(db))
}

/// Whether every change is within 0.1 dB.
fn unchanged(changes: &[f64; 5]) -> bool {
    changes.iter().all(|db| db.abs() < 0.1)
}

/// Issue 24, item 1: the vibrato depth modulated on one voice (0 → 50 ct) spreads its lines
/// (partial 5 of C3 swings ±7.6 Hz at 5.5 Hz: its carrier falls by ~5 dB); the other voice
/// keeps its lines. Before the fix the host could not modulate the vibrato per voice.
#[test]
fn a_modulated_vibrato_depth_moves_only_its_voice() {
    let (modulated, other) = depth_changes(&[], "Vibrato", 0.5);
    assert!(
        modulated[4] < -2.0,
        "the modulated voice vibrates: {modulated:?}"
    );
    assert!(unchanged(&other), "the other voice stands still: {other:?}");
}

/// Issue 24, item 1: the tremolo depth modulated to 100 % on one voice halves its lines'
/// carriers (the level swings between full and silence: its mean is a half, −6 dB); the other
/// voice's stay.
#[test]
fn a_modulated_tremolo_depth_moves_only_its_voice() {
    let (modulated, other) = depth_changes(&[], "Tremolo", 1.0);
    for db in modulated {
        assert!(
            (db + 6.02).abs() < 1.0,
            "the modulated voice dips: {modulated:?}"
        );
    }
    assert!(unchanged(&other), "the other voice stands still: {other:?}");
}

/// Issue 24, item 1: the LFO brightness depth modulated to +24 dB on one voice moves its upper
/// partials (partial 5's level swings ±24 dB: its carrier rises) and leaves its partial 1
/// where it was; the other voice's stay.
#[test]
fn a_modulated_lfo_brightness_moves_only_its_voice() {
    let (modulated, other) = depth_changes(&[], "LFO brightness", 0.5);
    assert!(
        modulated[0].abs() < 0.1,
        "partial 1 keeps its level: {modulated:?}"
    );
    assert!(
        modulated[4] > 3.0,
        "partial 5 follows the LFO: {modulated:?}"
    );
    assert!(unchanged(&other), "the other voice stands still: {other:?}");
}

/// Issue 24, item 1: a partial's pan modulated on one voice places that voice's partial alone
/// (hard left: √2 on the left, nothing on the right; with every pan centred, the engine must
/// render two channels for it), and when the parameter itself moves, the modulated voice
/// follows it by its offset while the other voice takes the new value.
#[test]
fn a_modulated_pan_places_only_its_voice_and_follows_the_parameter() {
    let mut host = poly_host(4);
    let (low, high) = (48, 74);
    let events = [
        NoteMessage::on_with(0, low, 1.0, MODULATED, 0),
        NoteMessage::on_with(0, high, 1.0, OTHER, 0),
        modulate(&mut host, 100, "Partial 1 pan", -0.5, MODULATED, low),
    ];
    let audio = host.render_events(blocks_of(ANALYSIS_FRAMES + 4800, BLOCK), &events);
    assert_clean_stereo(&audio, "a voice's partial panned by modulation");
    let amplitude = f64::from(PARTIAL_AMPLITUDE);
    let [left, right] = channel_peaks(&audio, amplitude / 8.0);
    let near = |found: f64, expected: f64| (found / expected - 1.0).abs() < 0.05;
    let [first, rest @ ..] = partials_of(low);
    let what = format!("{left:?}\n{right:?}");
    assert!(
        near(
            amplitude_at(&left, first),
            std::f64::consts::SQRT_2 * amplitude
        ),
        "{what}"
    );
    assert_eq!(amplitude_at(&right, first), 0.0, "{what}");
    for hz in rest.into_iter().chain(partials_of(high)) {
        assert!(
            near(amplitude_at(&left, hz), amplitude),
            "{hz:.1} Hz left: {what}"
        );
        assert!(
            near(amplitude_at(&right, hz), amplitude),
            "{hz:.1} Hz right: {what}"
        );
    }
    // The parameter to +50 %: the modulated voice's partial 1 to −50 % (its offset kept), the
    // other's to +50 %.
    let pan = host.param_id("Partial 1 pan");
    let moved = [HostEvent::Value(ParamChange {
        frame: 0,
        param: pan,
        normalized: 0.75,
    })];
    let audio = host.render_events(blocks_of(ANALYSIS_FRAMES + 4800, BLOCK), &moved);
    let [left, right] = channel_peaks(&audio, amplitude / 8.0);
    let gains = |pan: f32| pan_gains(pan).map(|gain| f64::from(gain) * amplitude);
    let what = format!("{left:?}\n{right:?}");
    for (hz, [l, r]) in [(first, gains(-0.5)), (partials_of(high)[0], gains(0.5))] {
        assert!(near(amplitude_at(&left, hz), l), "{hz:.1} Hz left: {what}");
        assert!(
            near(amplitude_at(&right, hz), r),
            "{hz:.1} Hz right: {what}"
        );
    }
}

/// The two copies of partial `k` of `key` in unison at ±`cents`.
fn copies_of(key: u8, k: usize, cents: f64) -> [f64; 2] {
    let hz = partials_of(key)[k];
    [-cents, cents].map(|c| hz * (c / 1200.0).exp2())
}

/// Notes `modulated` ([`MODULATED`]) and `other` ([`OTHER`]) in unison (two copies detuned
/// `detune` cents either way, width 0), `name` modulated by `offset` on the first.
fn unison_pair(detune: &str, name: &str, offset: f64, (modulated, other): (u8, u8)) -> Rendered {
    let settings = [
        ("Unison", "2"),
        ("Unison detune", detune),
        ("Unison width", "0"),
    ];
    let mut host = host_with(&settings);
    let events = [
        NoteMessage::on_with(0, modulated, 1.0, MODULATED, 0),
        NoteMessage::on_with(0, other, 1.0, OTHER, 0),
        modulate(&mut host, 100, name, offset, MODULATED, modulated),
    ];
    let audio = host.render_events(blocks_of(ANALYSIS_FRAMES + 4800, BLOCK), &events);
    assert_clean_stereo(&audio, name);
    audio
}

/// Issue 24, item 1: the unison detune modulated on one voice (two copies, 0 → 50 ct) splits
/// its partials into two lines ±50 ct away, each at 1/√2; the other voice's copies stay one
/// line.
#[test]
fn a_modulated_unison_detune_splits_only_its_voice() {
    let (low, high) = (48, 74);
    let audio = unison_pair("0", "Unison detune", 0.5, (high, low));
    let amplitude = f64::from(PARTIAL_AMPLITUDE);
    let peaks = peaks_of(&audio, amplitude);
    let near = |found: f64, expected: f64| (found / expected - 1.0).abs() < 0.1;
    for k in 0..5 {
        for hz in copies_of(high, k, 50.0) {
            let found = amplitude_at(&peaks, hz);
            assert!(
                near(found, amplitude / 2f64.sqrt()),
                "{hz:.1} Hz: {found}: {peaks:?}"
            );
        }
        assert_eq!(amplitude_at(&peaks, partials_of(high)[k]), 0.0, "{peaks:?}");
        // The other note's copies play as one line a partial (their level is their start
        // phases' sum).
        for hz in copies_of(low, k, 50.0) {
            assert_eq!(amplitude_at(&peaks, hz), 0.0, "{hz:.1} Hz: {peaks:?}");
        }
    }
    let lines = partials_of(low).map(|hz| amplitude_at(&peaks, hz));
    assert!(lines.iter().filter(|&&a| a > 0.0).count() >= 3, "{peaks:?}");
}

/// Issue 24, item 1: the unison width modulated on one voice (two copies ±50 ct, width
/// 0 → 100 %) puts its lower copy hard left and its upper hard right; the other voice's
/// copies stay centred on both channels (and the engine renders two channels for the one).
#[test]
fn a_modulated_unison_width_spreads_only_its_voice() {
    let (low, high) = (48, 74);
    let audio = unison_pair("50", "Unison width", 1.0, (high, low));
    let amplitude = f64::from(PARTIAL_AMPLITUDE);
    let [left, right] = channel_peaks(&audio, amplitude / 8.0);
    let near = |found: f64, expected: f64| (found / expected - 1.0).abs() < 0.1;
    let what = format!("{left:?}\n{right:?}");
    // A copy at 1/√2 panned hard to a side: √2 there.
    let [lower, upper] = copies_of(high, 4, 50.0);
    assert!(near(amplitude_at(&left, lower), amplitude), "{what}");
    assert_eq!(amplitude_at(&right, lower), 0.0, "{what}");
    assert!(near(amplitude_at(&right, upper), amplitude), "{what}");
    assert_eq!(amplitude_at(&left, upper), 0.0, "{what}");
    for hz in copies_of(low, 4, 50.0) {
        let centred = amplitude / 2f64.sqrt();
        assert!(near(amplitude_at(&left, hz), centred), "{hz:.1} Hz: {what}");
        assert!(
            near(amplitude_at(&right, hz), centred),
            "{hz:.1} Hz: {what}"
        );
    }
}

/// Issue 24, item 1: a voice's modulation ends with it. Note 11's vibrato and pan are
/// modulated; once it has ended (the host told), a new note on the same key plays as if
/// nothing had been (centred, its lines as sharp as an unmodulated note's), as does a note
/// that takes over the one voice in legato.
#[test]
fn modulation_ends_with_its_voice() {
    for voices in [4, 1] {
        let mut host = poly_host(voices);
        let low = 48;
        let events = [
            NoteMessage::on_with(0, low, 1.0, MODULATED, 0),
            modulate(&mut host, 100, "Vibrato", 0.5, MODULATED, low),
            modulate(&mut host, 100, "Partial 1 pan", -0.5, MODULATED, low),
        ];
        let modulated = host.render_events(blocks_of(4800, BLOCK), &events);
        assert_clean_stereo(&modulated, "a modulated note");
        let (next, start) = if voices == 1 {
            // Legato: the next note takes the voice while the first is held.
            (vec![NoteMessage::on_with(0, low, 1.0, 33, 0)], 0)
        } else {
            // After the first note's release.
            let start = frames_in(RELEASE_MS, SAMPLE_RATE_HZ) + BLOCK;
            let off = NoteMessage::off_with(0, low, MODULATED, 0);
            (
                vec![off, NoteMessage::on_with(start, low, 1.0, 33, 0)],
                start,
            )
        };
        let frames = start + ANALYSIS_FRAMES + 9600;
        let audio = host.render_events(blocks_of(frames, BLOCK), &next);
        assert!(
            audio.note_ends.iter().any(|end| end.note_id == MODULATED),
            "{voices} voices: the host hears of the modulated note's end"
        );
        let tail = |channel: usize| &audio.channels[channel][audio.len() - ANALYSIS_FRAMES..];
        assert_eq!(tail(0), tail(1), "{voices} voices: the new note is centred");
        let amplitude = f64::from(PARTIAL_AMPLITUDE);
        let [left, right] = channel_peaks(&audio, amplitude / 8.0);
        for hz in partials_of(low) {
            for (side, peaks) in [("left", &left), ("right", &right)] {
                let found = amplitude_at(peaks, hz);
                assert!(
                    (found / amplitude - 1.0).abs() < 0.05,
                    "{voices} voices: {hz:.1} Hz {side}: {found}"
                );
            }
        }
    }
}
