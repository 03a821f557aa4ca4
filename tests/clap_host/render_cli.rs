//! `quintet render`: the WAV it writes holds exactly the plugin's samples, and bad arguments get a
//! clear message and a non-zero exit.

mod files_written;

use quintet::dsp::{DEFAULT_FREQUENCIES_HZ, PartialBank};
use quintet::engine::pitch::note_to_hz;
use quintet::spectrum::find_peaks;
use quintet_test_host::{HostEvent, MidiMessage, ParamChange, QuintetHost};
use std::path::PathBuf;
use std::process::{Command, Output};

mod files_read;
mod movement;
mod mpe;
mod tuning;

const SAMPLE_RATE_HZ: u32 = 48_000;

/// A path for this test's WAV in the temp directory.
fn wav_path(name: &str) -> PathBuf {
    std::env::temp_dir().join(format!("quintet-render-{}-{name}.wav", std::process::id()))
}

fn quintet(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_quintet"))
        .args(args)
        .output()
        .expect("the quintet binary runs")
}

/// Renders with `args` (after `render -o FILE -q`) and returns the WAV's samples.
fn render_wav(name: &str, args: &[&str]) -> Vec<f32> {
    let path = wav_path(name);
    let path_text = path.to_str().unwrap();
    let mut all = vec!["render", "-o", path_text, "-q"];
    all.extend_from_slice(args);
    let output = quintet(&all);
    assert!(
        output.status.success(),
        "quintet {all:?} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let mut reader = hound::WavReader::open(&path).expect("a readable WAV");
    let spec = reader.spec();
    assert_eq!(spec.sample_format, hound::SampleFormat::Float);
    assert_eq!(spec.bits_per_sample, 32);
    let samples = reader.samples::<f32>().map(Result::unwrap).collect();
    std::fs::remove_file(&path).unwrap();
    samples
}

/// Bit-for-bit equality, reporting the first difference.
fn assert_identical(wav: &[f32], expected: &[f32], what: &str) {
    assert_eq!(wav.len(), expected.len(), "{what}: length");
    if let Some(n) = (0..wav.len()).find(|&n| wav[n].to_bits() != expected[n].to_bits()) {
        panic!(
            "{what}: sample {n} is {} instead of {}",
            wav[n], expected[n]
        );
    }
}

/// A host with each named parameter set to the value its text means, activated at 48 kHz.
fn host_with(changes: &[(&str, &str)]) -> QuintetHost {
    let mut host = QuintetHost::new();
    type_into(&mut host, changes);
    host.activate(f64::from(SAMPLE_RATE_HZ), 1024);
    host
}

/// Sets each named parameter of `host` to the value its text means, as if typed.
fn type_into(host: &mut QuintetHost, changes: &[(&str, &str)]) {
    let changes: Vec<ParamChange> = changes
        .iter()
        .map(|(name, text)| {
            let param = host.param_id(name);
            ParamChange {
                frame: 0,
                param,
                normalized: host.text_to_value(param, text).unwrap(),
            }
        })
        .collect();
    host.flush_params(&changes);
}

fn plugin_render(changes: &[(&str, &str)], frames: usize) -> Vec<f32> {
    host_with(changes)
        .render_blocks(std::iter::repeat_n(1000, frames / 1000), &[])
        .left()
        .to_vec()
}

#[test]
fn the_default_render_is_the_plugins_default_output() {
    let wav = render_wav("default", &["--seconds", "0.5"]);
    let mut bank = PartialBank::new(f64::from(SAMPLE_RATE_HZ), DEFAULT_FREQUENCIES_HZ);
    let mut direct = vec![0.0f32; 24_000];
    bank.render(&mut direct);
    assert_identical(&wav, &direct, "against the DSP core");
    assert_identical(&wav, &plugin_render(&[], 24_000), "against the CLAP plugin");
}

#[test]
fn frequencies_and_levels_render_as_the_plugin_plays_them() {
    let wav = render_wav(
        "settings",
        &[
            "--seconds",
            "0.25",
            "--freqs",
            "440,550,660.5,7000,19999.9",
            "--levels",
            "0,-inf,0,0,0",
        ],
    );
    let plugin = plugin_render(
        &[
            ("Partial 1", "440"),
            ("Partial 2", "550"),
            ("Partial 3", "660.5"),
            ("Partial 4", "7 kHz"),
            ("Partial 5", "19999.9"),
            ("Partial 2 level", "-inf"),
        ],
        12_000,
    );
    assert_identical(&wav, &plugin, "against the CLAP plugin");
}

/// Issue 12, item 9: `--freqs` takes what the editor takes, and plays what the plugin plays for
/// the same text.
#[test]
fn frequencies_typed_as_in_the_editor_render_as_the_plugin_plays_them() {
    let texts = ["A2", "1.2k", "C#4", "Bb4", "19.99999 kHz"];
    let wav = render_wav(
        "editor-text",
        &["--seconds", "0.25", "--freqs", &texts.join(",")],
    );
    let names = [
        "Partial 1",
        "Partial 2",
        "Partial 3",
        "Partial 4",
        "Partial 5",
    ];
    let changes: Vec<(&str, &str)> = names.into_iter().zip(texts).collect();
    assert_identical(
        &wav,
        &plugin_render(&changes, 12_000),
        "against the CLAP plugin",
    );
}

#[test]
fn a_sweep_is_the_banks_glide_over_the_whole_render() {
    let rate = 44_100;
    let wav = render_wav(
        "sweep",
        &[
            "-r",
            "44100",
            "--seconds",
            "1",
            "--levels",
            "0,-6,-12,0,-inf",
            "--gain",
            "-3",
            "--sweep",
            "1:200:2000",
        ],
    );
    // A level typed in dB plays as the plugin plays it: the gain of its normalized position.
    let played = |param: quintet_core::params::Param, db: f32| {
        param.spec().as_played(nice_plug::util::db_to_gain(db))
    };
    let mut bank = PartialBank::new(f64::from(rate), DEFAULT_FREQUENCIES_HZ);
    for (index, db) in [0.0, -6.0, -12.0, 0.0].into_iter().enumerate() {
        bank.jump_level_to(
            index,
            played(quintet_core::params::Param::LEVELS[index], db),
        );
    }
    bank.jump_level_to(4, 0.0);
    bank.jump_gain_to(played(quintet_core::params::Param::GAIN, -3.0));
    bank.glide_to_over(0, 2000.0, 1000.0);
    let mut direct = vec![0.0f32; rate as usize];
    for chunk in direct.chunks_mut(777) {
        bank.render(chunk);
    }
    assert_identical(&wav, &direct, "against the DSP core");
    assert_eq!(
        bank.current_frequency_hz(0),
        2000.0,
        "the sweep ends on its target"
    );
}

/// Issue 23: nothing clamps the output, so a float WAV keeps the samples past full scale, and a
/// 16- or 24-bit WAV, which cannot, says on stderr how many it clipped (and only then).
#[test]
fn overs_stay_in_a_float_file_and_are_counted_in_a_fixed_point_one() {
    // The drone peaks at ≈ −6.6 dBFS; +12 dB takes it to ≈ +5.4 dBFS.
    let loud = ["--seconds", "0.1", "--gain", "12"];
    let wav = render_wav("overs", &loud);
    let peak = wav.iter().fold(0.0f32, |peak, x| peak.max(x.abs()));
    assert!(peak > 1.8, "the float file keeps the overs: peak {peak}");
    let overs = wav.iter().filter(|x| x.abs() > 1.0).count();
    for bits in ["16", "24"] {
        let path = wav_path(&format!("overs-{bits}"));
        let mut args = vec!["render", "-o", path.to_str().unwrap(), "-q", "--bits", bits];
        args.extend_from_slice(&loud);
        let output = quintet(&args);
        assert!(output.status.success());
        let stderr = String::from_utf8_lossy(&output.stderr);
        let expected = format!(
            "warning: {overs} samples clipped (peak {:+.1} dBFS); lower --gain",
            20.0 * peak.log10()
        );
        assert_eq!(stderr.trim(), expected, "{bits} bits");
        let mut reader = hound::WavReader::open(&path).unwrap();
        let top = (1i32 << (bits.parse::<u32>().unwrap() - 1)) - 1;
        let held = reader.samples::<i32>().map(Result::unwrap);
        assert_eq!(held.filter(|x| *x == top || *x == -top - 1).count(), overs);
        std::fs::remove_file(&path).unwrap();
        // At the default gain nothing clips, and nothing is said.
        let output = quintet(&["render", "-o", path.to_str().unwrap(), "-q", "--bits", bits]);
        assert!(
            output.status.success() && output.stderr.is_empty(),
            "{bits} bits"
        );
        std::fs::remove_file(&path).unwrap();
    }
}

#[test]
fn bad_arguments_get_a_clear_message_and_a_non_zero_exit() {
    let out = wav_path("never-written");
    let out = out.to_str().unwrap();
    for (args, message) in [
        (vec!["render"], "--out"),
        (vec!["render", "-o", out, "--freqs", "1,2"], "expected 5"),
        (
            vec!["render", "-o", out, "--freqs", "10,250,300,350,400"],
            "outside",
        ),
        (
            vec!["render", "-o", out, "--levels", "0,0,0,0,6"],
            "above 0 dB",
        ),
        (vec!["render", "-o", out, "--seconds", "-1"], "length"),
        (
            vec!["render", "-o", out, "--seconds", "abc"],
            "not a number",
        ),
        (vec!["render", "-o", out, "-r", "1000"], "sample rate"),
        (
            vec!["render", "-o", out, "--sweep", "6:200:400"],
            "partial 6",
        ),
        (
            vec!["render", "-o", out, "--sweep", "1-200-400"],
            "PARTIAL:FROM_HZ:TO_HZ",
        ),
        (vec!["render", "-o", out, "--bits", "8"], "32 (float)"),
        (
            vec!["render", "-o", out, "--volume", "3"],
            "unexpected argument",
        ),
        (
            vec!["render", "-o", out, "--seconds", "1e-9"],
            "less than one sample",
        ),
        (vec!["render", "-o", out, "-r", "-48000"], "sample rate"),
        (
            vec!["render", "-o", out, "--freqs", "-200,250,300,350,400"],
            "outside",
        ),
        (vec!["render", "-o", out, "--channels", "-1"], "--channels"),
        // Issue 12, item 9: "nan dB is above 0 dB" said the wrong thing.
        (
            vec!["render", "-o", out, "--gain", "nan"],
            "'nan' is not a number",
        ),
        (
            vec!["render", "-o", out, "--gain", "inf"],
            "'inf' is not a number",
        ),
        (
            vec!["render", "-o", out, "--levels", "0,0,NaN,0,0"],
            "'NaN' is not a number",
        ),
        (
            vec!["render", "-o", out, "--freqs", "A2,1k,H4,A4,A5"],
            "'H4' is not a frequency",
        ),
        (
            vec!["render", "-o", out, "--freqs", "A-1,1k,C4,A4,A5"],
            "outside",
        ),
        (vec!["render", "-o", out, "--sweep", "1:A2:30k"], "outside"),
        (
            vec!["render", "-o", "/nonexistent-dir/x.wav", "-s", "0.1"],
            "cannot write",
        ),
    ] {
        let output = quintet(&args);
        let stderr = String::from_utf8_lossy(&output.stderr);
        // As the README promises: 1 when the file cannot be written, 2 for bad arguments.
        let expected = if message == "cannot write" { 1 } else { 2 };
        assert_eq!(output.status.code(), Some(expected), "{args:?}: {stderr}");
        assert!(
            stderr.contains("error") && stderr.contains(message),
            "{args:?}: {stderr}"
        );
    }
    assert!(!std::path::Path::new(out).exists());
}

/// Issue 12, item 9: the usage and the examples name the binary as it was run (`Quintet` in the
/// bundle, `quintet` from cargo), not always `quintet`.
#[test]
fn the_usage_names_the_binary_as_it_was_run() {
    let help = quintet(&["render", "--help"]);
    assert_eq!(help.status.code(), Some(0));
    let help = String::from_utf8_lossy(&help.stdout);
    assert!(
        help.contains("Usage: quintet render [OPTIONS] --out <FILE>"),
        "{help}"
    );

    let bundled = crate::standalone::as_bundled("render-usage");
    let output = |args: &[&str]| Command::new(&bundled).args(args).output().unwrap();
    let help = output(&["render", "--help"]);
    assert_eq!(help.status.code(), Some(0));
    let help = String::from_utf8_lossy(&help.stdout);
    assert!(
        help.contains("Usage: Quintet render [OPTIONS] --out <FILE>"),
        "{help}"
    );
    assert!(
        help.contains("\n  Quintet render -o chord.wav --freqs A2,"),
        "{help}"
    );
    assert!(!help.contains("quintet"), "{help}");
    let refused = output(&["render"]);
    assert_eq!(refused.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(
        stderr.contains("Usage: Quintet render --out <FILE>"),
        "{stderr}"
    );
    std::fs::remove_dir_all(bundled.parent().unwrap()).unwrap();
}

/// Issue 12, item 9: a partial the sample rate cannot hold in full used to fade or vanish without
/// a word. It still renders, as the plugin would play it, with a warning that names it.
#[test]
fn partials_near_nyquist_render_with_a_warning() {
    let path = wav_path("near-nyquist");
    let path_text = path.to_str().unwrap();
    let run = |extra: &[&str]| {
        let mut args = vec!["render", "-o", path_text, "-q", "--seconds", "0.1"];
        args.extend_from_slice(extra);
        let output = quintet(&args);
        let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
        assert_eq!(output.status.code(), Some(0), "{extra:?}: {stderr}");
        assert!(path.exists(), "{extra:?}: nothing written");
        std::fs::remove_file(&path).unwrap();
        stderr
    };
    // At 32 kHz the fade starts at 0.46 × 32 kHz = 14.72 kHz; Nyquist is 16 kHz.
    let stderr = run(&["-r", "32000", "--freqs", "200,250,300,15000,16000"]);
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(lines.len(), 2, "{stderr}");
    assert!(
        lines[0].starts_with("warning: partial 4 plays 15.00 kHz, above 0.46 × the sample rate")
            && lines[0].contains("faded"),
        "{stderr}"
    );
    assert!(
        lines[1].starts_with("warning: partial 5 plays 16.00 kHz, at or above Nyquist")
            && lines[1].contains("silent"),
        "{stderr}"
    );
    // A sweep warns for where it ends up.
    let stderr = run(&["-r", "8000", "--sweep", "2:A2:5k"]);
    assert!(
        stderr.starts_with("warning: partial 2 reaches 5.00 kHz in its sweep")
            && stderr.contains("silent"),
        "{stderr}"
    );
    // The highest note of a song carries every partial at its ratio to partial 1: C8 (4186 Hz)
    // puts partial 4 (1.75 times partial 1) at 7.3 kHz and partial 5 (twice) at 8.4 kHz. At
    // 15 kHz the fade starts at 6.9 kHz and Nyquist is 7.5 kHz.
    let song: &[(u32, &[u8])] = &[(0, &[0x90, 108, 100]), (480, &[0x80, 108, 64])];
    let midi = midi_path("high-note", &midi_file(0, 480, &[song]));
    let stderr = run(&["-r", "15000", "--midi", midi.to_str().unwrap()]);
    std::fs::remove_file(&midi).unwrap();
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(lines.len(), 2, "{stderr}");
    assert!(
        lines[0].starts_with("warning: partial 4 plays 7.32552 kHz on the highest note, C8,")
            && lines[0].contains("faded"),
        "{stderr}"
    );
    assert!(
        lines[1].starts_with("warning: partial 5 plays 8.37202 kHz on the highest note, C8,")
            && lines[1].contains("silent"),
        "{stderr}"
    );
    // Nothing to say about the defaults, or at 44.1 kHz and above for any drone frequency.
    assert_eq!(run(&[]), "");
    assert_eq!(run(&["-r", "44100", "--freqs", "20k,20k,20k,20k,20k"]), "");
}

/// Issue 13, items 1 and 2: a render too long for a WAV file is refused before anything is
/// written, and a render that is stopped (SIGTERM, as Ctrl-C or a shutdown sends) leaves the
/// file that was there untouched and no unfinished file beside it.
#[test]
fn an_existing_file_survives_a_refused_or_stopped_render() {
    let target = wav_path("survivor");
    let old = b"the old take, not a WAV at all".to_vec();
    std::fs::write(&target, &old).unwrap();
    let target_text = target.to_str().unwrap();

    let too_long = quintet(&["render", "-o", target_text, "-q", "--seconds", "86400"]);
    assert_eq!(too_long.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&too_long.stderr).contains("at most 4 GiB"));
    assert_eq!(
        std::fs::read(&target).unwrap(),
        old,
        "a refused render touched the file"
    );

    let render = long_render(&target);
    std::thread::sleep(std::time::Duration::from_millis(500));
    let killed = Command::new("kill")
        .args(["-TERM", &render.id().to_string()])
        .status()
        .expect("kill runs");
    assert!(killed.success());
    let pid = render.id();
    let output = render.wait_with_output().expect("the render ends");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        !output.status.success(),
        "a stopped render reported success"
    );
    assert!(stderr.contains("stopped"), "{stderr}");
    assert_eq!(
        std::fs::read(&target).unwrap(),
        old,
        "a stopped render touched the file"
    );
    let directory = target.parent().unwrap();
    let unfinished: Vec<_> = std::fs::read_dir(directory)
        .unwrap()
        .filter_map(Result::ok)
        .filter(|entry| {
            let name = entry.file_name().to_string_lossy().into_owned();
            // The old hidden name, and the new one (output_file.rs) if it ever had one.
            name.contains("survivor") && name.ends_with(".part")
                || name.starts_with(&format!(".quintet-{pid}-"))
        })
        .collect();
    assert!(unfinished.is_empty(), "left behind: {unfinished:?}");
    std::fs::remove_file(&target).unwrap();
}

/// A render to `target` far longer than a test waits for: 80,000 s at 8 kHz in 16 bits, 1.3 GB,
/// far more than is written before the test stops it. Its stderr is piped.
fn long_render(target: &std::path::Path) -> std::process::Child {
    Command::new(env!("CARGO_BIN_EXE_quintet"))
        .args(["render", "-o", target.to_str().unwrap(), "-q", "-r", "8000"])
        .args(["--bits", "16", "--seconds", "80000"])
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("the render starts")
}

/// A Standard MIDI File written byte by byte (independently of the parser under test): a header
/// and the given tracks, each a list of (delta ticks, event bytes), ended by end-of-track.
fn midi_file(format: u16, ticks_per_quarter: u16, tracks: &[&[(u32, &[u8])]]) -> Vec<u8> {
    fn delta(mut ticks: u32, out: &mut Vec<u8>) {
        let mut bytes = vec![(ticks & 0x7F) as u8];
        ticks >>= 7;
        while ticks > 0 {
            bytes.push((ticks & 0x7F) as u8 | 0x80);
            ticks >>= 7;
        }
        out.extend(bytes.iter().rev());
    }
    let mut file = b"MThd".to_vec();
    file.extend(6u32.to_be_bytes());
    file.extend(format.to_be_bytes());
    file.extend((tracks.len() as u16).to_be_bytes());
    file.extend(ticks_per_quarter.to_be_bytes());
    for track in tracks {
        let mut body = Vec::new();
        for (ticks, event) in *track {
            delta(*ticks, &mut body);
            body.extend_from_slice(event);
        }
        body.extend([0x00, 0xFF, 0x2F, 0x00]);
        file.extend(b"MTrk");
        file.extend((body.len() as u32).to_be_bytes());
        file.extend(body);
    }
    file
}

/// A path for this test's MIDI file in the temp directory, holding `bytes`.
fn midi_path(name: &str, bytes: &[u8]) -> PathBuf {
    let path =
        std::env::temp_dir().join(format!("quintet-render-{}-{name}.mid", std::process::id()));
    std::fs::write(&path, bytes).unwrap();
    path
}

#[test]
fn a_midi_file_renders_exactly_what_the_plugin_plays_for_the_same_notes() {
    // Type 1 at 480 ticks a quarter: 120 BPM (50 samples a tick at 48 kHz) until tick 960
    // (one second), then 100 BPM (60 samples a tick). Chords, the pedal, a bend.
    let tempo_map: &[(u32, &[u8])] = &[
        (0, &[0xFF, 0x51, 0x03, 0x07, 0xA1, 0x20]),
        (960, &[0xFF, 0x51, 0x03, 0x09, 0x27, 0xC0]),
    ];
    let notes: &[(u32, &[u8])] = &[
        (0, &[0x90, 48, 100]),
        (0, &[0x90, 61, 100]),
        (480, &[0xB0, 64, 127]),
        (0, &[0x80, 48, 64]),
        (240, &[0x90, 74, 80]),
        (480, &[0xB0, 64, 0]),
        (0, &[0xE0, 0x00, 0x60]),
        (120, &[0x80, 61, 64]),
        (0, &[0x80, 74, 64]),
    ];
    let path = midi_path("song", &midi_file(1, 480, &[tempo_map, notes]));
    let wav = render_wav(
        "song",
        &[
            "--midi",
            path.to_str().unwrap(),
            "--voices",
            "4",
            "--attack",
            "10",
            "--decay",
            "100",
            "--sustain",
            "70",
            "--release",
            "20",
        ],
    );
    std::fs::remove_file(&path).unwrap();
    // The last event at tick 1320: 48 000 + 360 × 60 samples; then the release and 100 ms.
    let last_event = 69_600;
    assert_eq!(wav.len(), last_event + 960 + 4800);

    let midi = |frame: usize, data: [u8; 3]| HostEvent::Midi(MidiMessage { frame, data });
    let events = [
        midi(0, [0x90, 48, 100]),
        midi(0, [0x90, 61, 100]),
        midi(24_000, [0xB0, 64, 127]),
        midi(24_000, [0x80, 48, 64]),
        midi(36_000, [0x90, 74, 80]),
        midi(62_400, [0xB0, 64, 0]),
        midi(62_400, [0xE0, 0x00, 0x60]),
        midi(last_event, [0x80, 61, 64]),
        midi(last_event, [0x80, 74, 64]),
    ];
    let mut host = host_with(&[
        ("MIDI mode", "On"),
        ("Voices", "4"),
        ("Attack", "10"),
        ("Decay", "100"),
        ("Sustain", "70"),
        ("Release", "20"),
    ]);
    let plugin = host.render_events(std::iter::repeat_n(1000, 75), &events);
    assert_identical(&wav[..75_000], plugin.left(), "against the CLAP plugin");
    assert!(
        plugin.left()[30_000..].iter().any(|&x| x != 0.0),
        "it plays"
    );
    assert!(
        wav[last_event + 960..].iter().all(|&x| x == 0.0),
        "the release ends in silence"
    );
}

/// Issue 23: a MIDI file's velocities are honoured: middle C at velocity 40 plays at 40/127 of
/// the level it plays at 127 (the velocity is the envelope's peak), and each is bit-identical to
/// the plugin playing the same note.
#[test]
fn a_midi_files_velocity_sets_the_notes_level_as_in_the_plugin() {
    let render_at = |velocity: u8| {
        let notes: &[(u32, &[u8])] = &[(0, &[0x90, 60, velocity]), (960, &[0x80, 60, 0])];
        let name = format!("velocity-{velocity}");
        let song = midi_path(&name, &midi_file(0, 960, &[notes]));
        let wav = render_wav(&name, &["--midi", song.to_str().unwrap(), "--seconds", "1"]);
        std::fs::remove_file(&song).unwrap();
        let midi = |frame: usize, data: [u8; 3]| HostEvent::Midi(MidiMessage { frame, data });
        let plugin = host_with(&[("MIDI mode", "On")]).render_events(
            std::iter::repeat_n(1000, 48),
            &[midi(0, [0x90, 60, velocity]), midi(24_000, [0x80, 60, 0])],
        );
        assert_identical(&wav, plugin.left(), &format!("velocity {velocity}"));
        // The RMS while held, the attack and decay long over.
        let held = &wav[12_000..24_000];
        (held.iter().map(|&x| f64::from(x).powi(2)).sum::<f64>() / held.len() as f64).sqrt()
    };
    let (hard, soft) = (render_at(127), render_at(40));
    assert!(hard > 0.01, "it plays ({hard})");
    let ratio = soft / hard;
    assert!(
        (ratio - 40.0 / 127.0).abs() < 1e-3,
        "velocity 40 at {ratio} of 127"
    );
}

/// Issue 21, item 13: an 8-note chord doubled in five tracks (40 note-ons at one tick) rendered
/// total silence. One sine a note (partials 2–5 at -inf dB), so the FFT names the keys.
#[test]
fn a_chord_doubled_in_five_tracks_renders_every_key() {
    let chord = [48u8, 52, 55, 59, 62, 65, 69, 72];
    let ons: Vec<[u8; 3]> = chord.iter().map(|&key| [0x90, key, 127]).collect();
    let offs: Vec<[u8; 3]> = chord.iter().map(|&key| [0x80, key, 64]).collect();
    // Held two seconds (960 ticks a quarter at 120 BPM).
    let track: Vec<(u32, &[u8])> = (ons.iter().map(|on| (0, &on[..])))
        .chain(offs.iter().enumerate().map(|(n, off)| {
            let delta = if n == 0 { 3840 } else { 0 };
            (delta, &off[..])
        }))
        .collect();
    let path = midi_path("doubled", &midi_file(1, 960, &[&track[..]; 5]));
    let wav = render_wav(
        "doubled",
        &[
            "--midi",
            path.to_str().unwrap(),
            "--voices",
            "8",
            "--levels",
            "0,-inf,-inf,-inf,-inf",
        ],
    );
    std::fs::remove_file(&path).unwrap();
    let amplitude = f64::from(quintet::dsp::PARTIAL_AMPLITUDE);
    let peaks = find_peaks(&wav[4800..4800 + 65_536], f64::from(SAMPLE_RATE_HZ), 0.005);
    let heard: Vec<u8> = (0..=127)
        .filter(|&key| {
            let found = peaks
                .iter()
                .find(|p| (p.frequency_hz - note_to_hz(key)).abs() < 1.0);
            found.is_some_and(|p| (p.amplitude / amplitude - 1.0).abs() < 0.1)
        })
        .collect();
    assert_eq!(heard, chord, "{peaks:?}");
    assert_eq!(peaks.len(), chord.len(), "{peaks:?}");
}

/// Issue 21, item 14: a note still held at End of Track ended the render 0.12 s after its
/// note-on, cut off with a step. It plays to End of Track, is released there and fades out.
#[test]
fn a_note_held_at_end_of_track_plays_to_the_end_and_fades_out() {
    // Middle C from tick 0, never released; End of Track at tick 3840 (2 s at 120 BPM), after
    // an empty text event that carries the delta.
    let song: &[(u32, &[u8])] = &[(0, &[0x90, 60, 127]), (3840, &[0xFF, 0x01, 0x00])];
    let path = midi_path("held", &midi_file(0, 960, &[song]));
    let wav = render_wav(
        "held",
        &["--midi", path.to_str().unwrap(), "--release", "300"],
    );
    std::fs::remove_file(&path).unwrap();
    // Two seconds, the release, and the renderer's 100 ms of margin.
    let (end, release) = (96_000, 14_400);
    assert_eq!(wav.len(), end + release + 4_800);
    assert!(
        wav[end - 4_800..end].iter().any(|&x| x.abs() > 0.01),
        "it plays"
    );
    assert!(
        wav[end + release..].iter().all(|&x| x == 0.0),
        "it ends in exact zeros"
    );
    // No step beyond what the sines make by themselves (at the voice level) plus the attack's.
    let sines: f64 = DEFAULT_FREQUENCIES_HZ
        .iter()
        .map(|hz| {
            let hz = hz * note_to_hz(60) / DEFAULT_FREQUENCIES_HZ[0];
            std::f64::consts::TAU * hz / f64::from(SAMPLE_RATE_HZ)
        })
        .sum();
    let amplitude = f64::from(quintet::dsp::PARTIAL_AMPLITUDE);
    let bound = (sines + 1.0 / 240.0) * amplitude;
    let (step, at) = (wav.windows(2).enumerate())
        .map(|(n, w)| (f64::from((w[1] - w[0]).abs()), n))
        .fold((0.0, 0), |a, b| if b.0 > a.0 { b } else { a });
    assert!(step <= bound, "step {step} at sample {at} > {bound}");
}

#[test]
fn damaged_or_hostile_midi_files_are_refused_and_nothing_is_written() {
    let song: &[(u32, &[u8])] = &[(0, &[0x90, 60, 100]), (480, &[0x80, 60, 64])];
    let valid = midi_file(0, 480, &[song]);
    let zero_tempo: &[(u32, &[u8])] = &[(0, &[0xFF, 0x51, 0x03, 0, 0, 0]), (0, &[0x90, 60, 100])];
    let far_away: &[(u32, &[u8])] = &[(0, &[0x90, 60, 100]), (0x0FFF_FFFF, &[0x80, 60, 64])];
    let cases: [(&str, Vec<u8>); 5] = [
        ("text", b"not a MIDI file at all".to_vec()),
        ("empty", Vec::new()),
        ("truncated", valid[..valid.len() - 6].to_vec()),
        ("zero-tempo", midi_file(0, 480, &[zero_tempo])),
        ("far-away", midi_file(0, 1, &[far_away])),
    ];
    for (name, bytes) in cases {
        let input = midi_path(name, &bytes);
        let out = wav_path(&format!("refused-{name}"));
        let output = quintet(&[
            "render",
            "-o",
            out.to_str().unwrap(),
            "-q",
            "--midi",
            input.to_str().unwrap(),
        ]);
        std::fs::remove_file(&input).unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{name}: {stderr}");
        assert!(
            stderr.starts_with("error: ") && stderr.contains(".mid"),
            "{name}: {stderr}"
        );
        assert!(!out.exists(), "{name}: a file was written");
    }
    let missing = quintet(&["render", "-o", "x.wav", "--midi", "/nonexistent/song.mid"]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("cannot read"));
}

/// A host with every parameter set as `preset` sets it, through the host (as the editor's
/// preset bar does), activated.
fn host_with_preset(preset: &quintet::presets::Preset) -> QuintetHost {
    let mut host = QuintetHost::new();
    host.flush_every_param(&preset.normalized_values());
    host.activate(f64::from(SAMPLE_RATE_HZ), 1024);
    host
}

#[test]
fn a_preset_renders_what_the_plugin_plays_after_loading_it() {
    use quintet::presets::factory;
    let odd = factory::find("Odd Harmonics").unwrap();
    let wav = render_wav(
        "preset",
        &["--seconds", "0.25", "--preset", "odd harmonics"],
    );
    let mut host = host_with_preset(&odd);
    let plugin = host.render_blocks(std::iter::repeat_n(1000, 12), &[]);
    assert_identical(&wav, plugin.left(), "Odd Harmonics against the CLAP plugin");
    assert!(wav.iter().any(|&x| x.abs() > 0.05), "it plays");

    // A preset that plays notes, with a MIDI file, from its file.
    let organ = factory::find("Drawbar Organ").unwrap();
    let dir = std::env::temp_dir().join(format!("quintet-render-presets-{}", std::process::id()));
    let yours = quintet::presets::Preset {
        name: String::from("My Organ"),
        ..organ.clone()
    };
    let preset_file =
        quintet::presets::store::save_in(&dir, &yours, quintet::presets::store::Existing::Refuse)
            .unwrap();
    let notes: &[(u32, &[u8])] = &[
        (0, &[0x90, 57, 100]),
        (0, &[0x90, 64, 90]),
        (480, &[0x80, 57, 0]),
    ];
    let song = midi_path("organ", &midi_file(0, 480, &[notes]));
    let wav = render_wav(
        "organ",
        &[
            "--preset",
            preset_file.to_str().unwrap(),
            "--midi",
            song.to_str().unwrap(),
            "--seconds",
            "1",
        ],
    );
    std::fs::remove_file(&song).unwrap();
    std::fs::remove_dir_all(&dir).unwrap();
    let midi = |frame: usize, data: [u8; 3]| HostEvent::Midi(MidiMessage { frame, data });
    let mut host = host_with_preset(&organ);
    let plugin = host.render_events(
        std::iter::repeat_n(1000, 48),
        &[
            midi(0, [0x90, 57, 100]),
            midi(0, [0x90, 64, 90]),
            midi(24_000, [0x80, 57, 0]),
            // The song's end releases the note still held, as a DAW's stop does.
            midi(24_000, [0xB0, 123, 0]),
        ],
    );
    assert_identical(
        &wav,
        plugin.left(),
        "Drawbar Organ with notes against the plugin",
    );
}

/// Issue 23: `--preset` with sound options plays the preset with the options' values instead
/// of its own, exactly as the plugin plays after loading the preset and moving those
/// parameters: a time (`--release 800` over the pad's long release), a count, a family of five.
#[test]
fn options_given_with_a_preset_render_as_the_plugin_plays_the_preset_so_changed() {
    use quintet::presets::factory;
    let notes: &[(u32, &[u8])] = &[(0, &[0x90, 60, 127]), (480, &[0x80, 60, 0])];
    let song = midi_path("pad-release", &midi_file(0, 480, &[notes]));
    let wav = render_wav(
        "pad-release",
        &[
            "--preset",
            "Soft Pad",
            "--midi",
            song.to_str().unwrap(),
            "--release",
            "800",
            "--voices",
            "3",
            "--levels",
            "0,-6,-inf,-12,-inf",
        ],
    );
    std::fs::remove_file(&song).unwrap();
    // The song's end (0.5 s), the 800 ms release and the render's 100 ms: the preset's own
    // release would have set the length.
    assert_eq!(wav.len(), 24_000 + 38_400 + 4_800);
    // The preset loaded, then each value typed into the plugin as the options give it.
    let mut host = QuintetHost::new();
    host.flush_every_param(&factory::find("Soft Pad").unwrap().normalized_values());
    type_into(
        &mut host,
        &[
            ("Release", "800"),
            ("Voices", "3"),
            ("Partial 1 level", "0"),
            ("Partial 2 level", "-6"),
            ("Partial 3 level", "-inf"),
            ("Partial 4 level", "-12"),
            ("Partial 5 level", "-inf"),
        ],
    );
    host.activate(f64::from(SAMPLE_RATE_HZ), 1024);
    let midi = |frame: usize, data: [u8; 3]| HostEvent::Midi(MidiMessage { frame, data });
    let plugin = host.render_events(
        std::iter::repeat_n(800, wav.len() / 800),
        &[midi(0, [0x90, 60, 127]), midi(24_000, [0x80, 60, 0])],
    );
    assert_identical(&wav, plugin.left(), "Soft Pad, changed, against the plugin");
    assert!(
        wav[24_000..24_100].iter().any(|&x| x.abs() > 0.01),
        "it plays"
    );
    assert!(
        wav[24_000 + 38_400..].iter().all(|&x| x == 0.0),
        "released in 800 ms"
    );
}

/// Issue 23: every factory preset renders with `--preset` exactly as the plugin plays it after
/// loading it: a drone as it is, a preset that waits for keys playing C4 at velocity 127 for
/// half a second and letting it go (its envelope per partial and touch included).
#[test]
fn every_factory_preset_renders_what_the_plugin_plays() {
    use quintet::presets::factory;
    let notes: &[(u32, &[u8])] = &[(0, &[0x90, 60, 127]), (480, &[0x80, 60, 0])];
    let song = midi_path("every-preset", &midi_file(0, 480, &[notes]));
    let midi = |frame: usize, data: [u8; 3]| HostEvent::Midi(MidiMessage { frame, data });
    for preset in factory::presets() {
        let keys = preset.waits_for_keys();
        // Both channels: a preset may place its partials in the stereo field.
        let mut args = vec![
            "--preset",
            preset.name.as_str(),
            "--seconds",
            "1",
            "--channels",
            "2",
        ];
        if keys {
            args.extend(["--midi", song.to_str().unwrap()]);
        }
        let wav = render_wav("every-preset", &args);
        let events = if keys {
            vec![
                midi(0, [0x90, 60, 127]),
                midi(24_000, [0x80, 60, 0]),
                // The song's end releases whatever is still held, as a DAW's stop does.
                midi(24_000, [0xB0, 123, 0]),
            ]
        } else {
            Vec::new()
        };
        let plugin =
            host_with_preset(&preset).render_events(std::iter::repeat_n(1000, 48), &events);
        let left: Vec<f32> = wav.iter().step_by(2).copied().collect();
        let right: Vec<f32> = wav.iter().skip(1).step_by(2).copied().collect();
        assert_identical(&left, &plugin.channels[0], &preset.name);
        assert_identical(&right, &plugin.channels[1], &preset.name);
        assert!(
            wav.iter().any(|&x| x.abs() > 0.01),
            "{}: it plays",
            preset.name
        );
    }
    std::fs::remove_file(&song).unwrap();
}

#[test]
fn unknown_or_unplayable_presets_are_refused_and_nothing_is_written() {
    let out = wav_path("refused-preset");
    let out_text = out.to_str().unwrap();
    let dir = std::env::temp_dir().join(format!("quintet-bad-preset-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let damaged = dir.join("damaged.json");
    std::fs::write(
        &damaged,
        b"{\"format\": \"quintet-preset\", \"version\": 1, ",
    )
    .unwrap();
    let cases: [(&[&str], &str); 4] = [
        (&["--preset", "No Such Thing"], "Harmonic Series"),
        (&["--preset", "Church Bell"], "--midi"),
        (&["--preset", damaged.to_str().unwrap()], "damaged"),
        // An option given with a preset is checked as without one.
        (
            &["--preset", "Init", "--freqs", "10,200,300,400,500"],
            "outside",
        ),
    ];
    for (extra, says) in cases {
        let mut args = vec!["render", "-o", out_text, "-q"];
        args.extend_from_slice(extra);
        let output = quintet(&args);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{extra:?}: {stderr}");
        assert!(stderr.contains(says), "{extra:?}: {stderr}");
        assert!(!out.exists(), "{extra:?} wrote a file");
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

/// The options the help lists, each with its help text (wrapped lines joined): `--flag <` to the
/// next option.
fn help_by_option() -> Vec<(String, String)> {
    let help = quintet(&["render", "--help"]);
    assert_eq!(help.status.code(), Some(0));
    let help = String::from_utf8_lossy(&help.stdout).into_owned();
    let mut options: Vec<(String, String)> = Vec::new();
    for line in help.lines() {
        let trimmed = line.trim_start();
        let indent = line.len() - trimmed.len();
        if indent <= 6 && trimmed.starts_with('-') {
            let flag = trimmed
                .split_whitespace()
                .find(|word| word.starts_with("--"))
                .unwrap_or_default();
            options.push((flag.to_owned(), trimmed.to_owned()));
        } else if let Some((_, text)) = options.last_mut().filter(|_| indent > 2) {
            text.push(' ');
            text.push_str(trimmed);
        }
    }
    options
}

/// Issue 22, item 1: every parameter the registry offers the renderer is an option, whose help
/// gives the registry's range and default as the plugin shows them. `--midi-glide` was missing,
/// and the help gave ranges and defaults written out by hand. Issue 23: each is taken beside
/// `--preset` (it wins over the preset's value; src/render_cli.rs checks the values).
#[test]
fn every_parameter_the_registry_offers_is_an_option_with_its_range_and_default() {
    use quintet_core::params::{Offered, PARAMS};
    let help = help_by_option();
    let out = wav_path("preset-and-option");
    let mut flags = Vec::new();
    for spec in &PARAMS {
        let flag = match spec.offered {
            Offered::Alone { flag, .. } => flag,
            Offered::Partial { family, .. } => family.flag,
            Offered::No => None,
        };
        let Some(flag) = flag else { continue };
        let option = format!("--{flag}");
        let (_, text) = help
            .iter()
            .find(|(listed, _)| *listed == option)
            .unwrap_or_else(|| panic!("{option} is not in the help: {help:?}"));
        let default = format!("{}{}", spec.value_to_text(spec.default), spec.unit());
        assert!(text.contains(&spec.range_text()), "{option}: {text}");
        assert!(text.contains("[default: "), "{option}: {text}");
        assert!(
            text.contains(&default),
            "{option} default {default}: {text}"
        );

        let default_text = spec.value_to_text(spec.default);
        let value = match spec.offered {
            Offered::Partial { .. } => [default_text.as_str(); 5].join(","),
            _ => default_text,
        };
        let both = quintet(&[
            "render",
            "-o",
            out.to_str().unwrap(),
            "-q",
            "--seconds",
            "0.01",
            "--preset",
            "Init",
            &option,
            &value,
        ]);
        let stderr = String::from_utf8_lossy(&both.stderr);
        assert_eq!(both.status.code(), Some(0), "{option}: {stderr}");
        std::fs::remove_file(&out).unwrap();
        if !flags.contains(&flag) {
            flags.push(flag);
        }
    }
    assert!(flags.contains(&"midi-glide"), "{flags:?}");
    // Every option the help lists is one of the registry's, or one of the render's own.
    let own = [
        "--out",
        "--force",
        "--seconds",
        "--midi",
        "--preset",
        "--sample-rate",
        "--sweep",
        "--bits",
        "--channels",
        "--quiet",
        "--help",
        "--scale",
        "--kbm",
    ];
    for (listed, _) in &help {
        let flag = listed.trim_start_matches("--");
        assert!(
            own.contains(&listed.as_str()) || flags.contains(&flag),
            "{listed}"
        );
    }
}

/// Issue 22, item 1: `--midi-glide` (newly offered, from the registry) glides from note to note
/// on one voice exactly as the plugin's MIDI glide does.
#[test]
fn the_midi_glide_renders_as_the_plugin_glides() {
    // Legato: the second note starts before the first ends, so one voice glides to it.
    let song: &[(u32, &[u8])] = &[
        (0, &[0x90, 57, 100]),
        (480, &[0x90, 64, 100]),
        (0, &[0x80, 57, 64]),
        (480, &[0x80, 64, 64]),
    ];
    let path = midi_path("glide", &midi_file(0, 480, &[song]));
    let wav = render_wav(
        "glide",
        &[
            "--midi",
            path.to_str().unwrap(),
            "--voices",
            "1",
            "--midi-glide",
            "150",
            "--seconds",
            "1.5",
        ],
    );
    std::fs::remove_file(&path).unwrap();
    let midi = |frame: usize, data: [u8; 3]| HostEvent::Midi(MidiMessage { frame, data });
    let mut host = host_with(&[("MIDI mode", "On"), ("Voices", "1"), ("MIDI glide", "150")]);
    let plugin = host.render_events(
        std::iter::repeat_n(1000, 72),
        &[
            midi(0, [0x90, 57, 100]),
            midi(24_000, [0x90, 64, 100]),
            midi(24_000, [0x80, 57, 64]),
            midi(48_000, [0x80, 64, 64]),
        ],
    );
    assert_identical(&wav, plugin.left(), "--midi-glide against the CLAP plugin");
    // And it is the glide that makes the difference: without it the same song is the same
    // until the second note, and another sound during the glide.
    let path = midi_path("no-glide", &midi_file(0, 480, &[song]));
    let jump = render_wav(
        "no-glide",
        &[
            "--midi",
            path.to_str().unwrap(),
            "--voices",
            "1",
            "--seconds",
            "1.5",
        ],
    );
    std::fs::remove_file(&path).unwrap();
    assert_identical(&wav[..24_000], &jump[..24_000], "before the second note");
    let glide = 24_000..24_000 + 7_200;
    assert!(wav[glide.clone()] != jump[glide], "no glide");
}

/// Issue 23: each partial's own envelope and touch (velocity per partial, key tilt) render
/// from a MIDI file with two velocities exactly as the plugin plays them; while the partials'
/// envelopes move on their own the voices render in the ramped steady lanes, so this holds
/// those to the plugin's bits too.
#[test]
fn partial_envelopes_and_touch_render_as_the_plugin_plays_them() {
    // 120 BPM at 480 ticks a quarter: 50 samples a tick.
    let song: &[(u32, &[u8])] = &[
        (0, &[0x90, 48, 127]),
        (0, &[0x90, 64, 40]),
        (240, &[0x90, 72, 40]),
        (480, &[0x80, 48, 64]),
        (0, &[0x90, 55, 127]),
        (480, &[0x80, 64, 64]),
        (0, &[0x80, 72, 64]),
        (240, &[0x80, 55, 64]),
    ];
    let sound = [
        ("Attack", "5"),
        ("Decay", "300"),
        ("Sustain", "40"),
        ("Release", "200"),
        ("Key tilt", "-6"),
    ];
    let decays = ["1", "0.7", "0.5", "0.3", "0.2"];
    let velocities = ["0", "25", "50", "100", "100"];
    let path = midi_path("touch", &midi_file(0, 480, &[song]));
    let mut args: Vec<String> = ["--midi", path.to_str().unwrap(), "--voices", "4"]
        .into_iter()
        .chain(["--seconds", "2"])
        .map(str::to_owned)
        .collect();
    for (name, text) in sound {
        args.push(format!("--{}", name.to_lowercase().replace(' ', "-")));
        args.push(text.to_owned());
    }
    args.extend(["--partial-decay".to_owned(), decays.join(",")]);
    args.extend(["--partial-velocity".to_owned(), velocities.join(",")]);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let wav = render_wav("touch", &args);
    std::fs::remove_file(&path).unwrap();

    let mut changes = vec![("MIDI mode", "On"), ("Voices", "4")];
    changes.extend(sound);
    let decay_names = (1..=5).map(|k| format!("Partial {k} decay"));
    let velocity_names = (1..=5).map(|k| format!("Partial {k} velocity"));
    let names: Vec<String> = decay_names.chain(velocity_names).collect();
    let texts = decays.iter().chain(&velocities);
    changes.extend(names.iter().map(String::as_str).zip(texts.copied()));
    let midi = |frame: usize, data: [u8; 3]| HostEvent::Midi(MidiMessage { frame, data });
    let events = [
        midi(0, [0x90, 48, 127]),
        midi(0, [0x90, 64, 40]),
        midi(12_000, [0x90, 72, 40]),
        midi(36_000, [0x80, 48, 64]),
        midi(36_000, [0x90, 55, 127]),
        midi(60_000, [0x80, 64, 64]),
        midi(60_000, [0x80, 72, 64]),
        midi(72_000, [0x80, 55, 64]),
    ];
    let plugin = host_with(&changes).render_events(std::iter::repeat_n(1000, 96), &events);
    assert_identical(
        &wav,
        plugin.left(),
        "partial envelopes and touch against the plugin",
    );
    assert!(wav[40_000..70_000].iter().any(|&x| x != 0.0), "it plays");
    // The slowest release (200 ms) is over 10 000 samples after the last note-off.
    assert!(
        wav[82_000..].iter().all(|&x| x == 0.0),
        "it ends in exact zeros"
    );
}

/// `render --midi` of `song` ((sample, message) at 120 BPM and 480 ticks a quarter: 50 samples
/// a tick) for `frames` samples with `options`, and the plugin (MIDI mode on, four voices)
/// playing the same events with `changes` in blocks of 1000: asserted bit-identical, the render
/// returned.
fn render_song_and_compare(
    name: &str,
    song: &[(usize, [u8; 3])],
    frames: usize,
    options: &[&str],
    changes: &[(&str, &str)],
) -> Vec<f32> {
    let mut track: Vec<(u32, &[u8])> = Vec::new();
    let mut last = 0;
    for (frame, message) in song {
        // Program change and channel pressure carry one data byte.
        let len = if matches!(message[0] & 0xF0, 0xC0 | 0xD0) {
            2
        } else {
            3
        };
        track.push(((frame - last) as u32 / 50, &message[..len]));
        last = *frame;
    }
    let path = midi_path(name, &midi_file(0, 480, &[&track]));
    let seconds = format!("{}", frames as f64 / f64::from(SAMPLE_RATE_HZ));
    let mut args = vec!["--midi", path.to_str().unwrap(), "--voices", "4"];
    args.extend(["--seconds", &seconds]);
    args.extend(options);
    let wav = render_wav(name, &args);
    std::fs::remove_file(&path).unwrap();

    let mut all = vec![("MIDI mode", "On"), ("Voices", "4")];
    all.extend(changes);
    let events: Vec<HostEvent> = song
        .iter()
        .map(|&(frame, data)| HostEvent::Midi(MidiMessage { frame, data }))
        .collect();
    let plugin = host_with(&all).render_events(std::iter::repeat_n(1000, frames / 1000), &events);
    assert_identical(&wav, plugin.left(), &format!("{name} against the plugin"));
    wav
}

/// Issue 24: `--channels 2` writes the stereo signal the plugin's stereo layout plays (each
/// partial at its pan, unison copies spread), and `--channels 1` the mono sum its mono layout
/// plays, bit for bit.
#[test]
fn a_wide_midi_render_is_what_the_plugins_stereo_and_mono_layouts_play() {
    let notes: &[(u32, &[u8])] = &[
        (0, &[0x90, 48, 100]),
        (0, &[0x90, 55, 90]),
        (0, &[0x90, 64, 80]),
        (480, &[0x80, 55, 64]),
        (240, &[0x80, 48, 64]),
        (0, &[0x80, 64, 64]),
    ];
    let path = midi_path("wide", &midi_file(0, 480, &[notes]));
    let width_options = [
        "--pans",
        "-100,-30,0,50,100",
        "--unison",
        "3",
        "--unison-detune",
        "15",
        "--unison-width",
        "80",
    ];
    let render = |channels: &str| {
        let mut args = vec!["--midi", path.to_str().unwrap(), "--channels", channels];
        args.extend_from_slice(&width_options);
        render_wav(&format!("wide-{channels}"), &args)
    };
    let (stereo_wav, mono_wav) = (render("2"), render("1"));
    std::fs::remove_file(&path).unwrap();
    let left: Vec<f32> = stereo_wav.iter().step_by(2).copied().collect();
    let right: Vec<f32> = stereo_wav.iter().skip(1).step_by(2).copied().collect();
    assert_eq!(left.len(), mono_wav.len());

    let midi = |frame: usize, data: [u8; 3]| HostEvent::Midi(MidiMessage { frame, data });
    let events = [
        midi(0, [0x90, 48, 100]),
        midi(0, [0x90, 55, 90]),
        midi(0, [0x90, 64, 80]),
        midi(24_000, [0x80, 55, 64]),
        midi(36_000, [0x80, 48, 64]),
        midi(36_000, [0x80, 64, 64]),
    ];
    let settings = [
        ("MIDI mode", "On"),
        ("Partial 1 pan", "-100"),
        ("Partial 2 pan", "-30"),
        ("Partial 4 pan", "50"),
        ("Partial 5 pan", "100"),
        ("Unison", "3"),
        ("Unison detune", "15"),
        ("Unison width", "80"),
    ];
    let frames = left.len() / 1000 * 1000;
    let blocks = std::iter::repeat_n(1000, frames / 1000);
    let stereo = host_with(&settings).render_events(blocks.clone(), &events);
    assert_identical(
        &left[..frames],
        &stereo.channels[0],
        "left against the plugin",
    );
    assert_identical(
        &right[..frames],
        &stereo.channels[1],
        "right against the plugin",
    );
    assert!(left[..24_000] != right[..24_000], "the channels differ");

    let mut mono = QuintetHost::new();
    let mono_config = mono.port_configs()[1].id;
    assert!(mono.select_port_config(mono_config));
    type_into(&mut mono, &settings);
    mono.activate(f64::from(SAMPLE_RATE_HZ), 1024);
    let mono = mono.render_events(blocks, &events);
    assert_identical(
        &mono_wav[..frames],
        mono.left(),
        "mono against the plugin's mono layout",
    );
    let mean: Vec<f32> = left
        .iter()
        .zip(&right)
        .map(|(l, r)| (l + r) * 0.5)
        .collect();
    assert_identical(&mono_wav, &mean, "mono is the channels' mean");
}
