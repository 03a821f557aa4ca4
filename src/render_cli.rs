//! `Quintet render`: Quintet's sound written to a WAV file, for people without a DAW — the drone,
//! or a Standard MIDI File played on the voices.
//!
//! Part of the standalone binary, not of the plugin. It drives the same [`Engine`] the plugin
//! renders with, set up the way the plugin sets it up when it is activated (every value at once,
//! no glide), and hands it the file's notes at their samples as the plugin hands it the host's:
//! a render with the plugin's settings is sample-identical to the plugin's output. A sweep is
//! the drone's own pitch-even glide over the whole render.
//!
//! Frequencies are typed as in the editor ("440", "1.2k", "A4", "Bb2"), and a partial the
//! render's sample rate cannot hold in full (the bank fades it from 0.46 of the rate, silent at
//! Nyquist) is rendered as the plugin would play it, with a warning.

mod clipping;
mod sound_options;

use clap::{CommandFactory, FromArgMatches, Parser};
use clipping::Quantizer;
use quintet::dsp::PARTIAL_COUNT;
use quintet::dsp::envelope::SHORTEST_SEGMENT_MS;
use quintet::dsp::nyquist::FADE_START_FRACTION;
use quintet::engine::pitch::note_name;
use quintet::engine::{Engine, NoteInput};
use quintet::file_read::{self, Limit};
use quintet::limits::{
    DEFAULT_RENDER_SAMPLE_RATE_HZ, MAX_MIDI_FILE_BYTES, MAX_RENDER_SECONDS, SAMPLE_RATE_RANGE_HZ,
};
use quintet::midi_file::{HEADER_BYTES, Song, check_header, read_song};
use quintet::output_file::{self, OutputError, OutputFile, Refusal};
use quintet::presets::{Preset, factory, store};
use quintet::tuning::{self, Tuning};
use quintet::user_text::{escape, escape_path};
use quintet_core::params::Param;
use quintet_core::params::frequency_text::frequency_to_text;
use sound_options::SoundOptions;
use std::io::{BufWriter, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

/// Most bytes of audio data a WAV file can say it holds: its sizes are 32-bit, and hound writes
/// a header of up to about 80 bytes before the data, all counted in the RIFF size.
const MAX_WAV_DATA_BYTES: u64 = u32::MAX as u64 - 1024;
/// How much of a `--midi` file is read at most (see [`MAX_MIDI_FILE_BYTES`]).
const MIDI_READ_LIMIT: Limit = Limit {
    what: "a MIDI file",
    max_bytes: MAX_MIDI_FILE_BYTES,
};
/// Samples rendered and written per step.
const CHUNK_SAMPLES: usize = 4096;
/// A render of a MIDI file without `--seconds` lasts until its End of Track (which releases the
/// notes still held), plus the release and this much more, in milliseconds.
const MIDI_TAIL_MS: f64 = 100.0;
/// Length of a drone render without `--seconds`, in seconds.
const DEFAULT_SECONDS: f64 = 5.0;
/// Renders of more samples than this show a progress bar (when stderr is a terminal).
const PROGRESS_MIN_SAMPLES: u64 = 10 * 48_000;
/// Width of the progress bar, in characters.
const PROGRESS_WIDTH: usize = 40;

/// Writes Quintet's five partials to a WAV file.
#[derive(Debug, Parser)]
#[command(
    name = "render",
    about = "Render Quintet's five sine partials to a WAV file (no audio device or DAW needed)"
)]
struct RenderArgs {
    /// WAV file to write (replaced only once the render is complete; a symlink's target is
    /// written; a character device such as /dev/null is written through).
    #[arg(short, long, value_name = "FILE")]
    out: PathBuf,
    /// Replace the output file even if it is write-protected, or its owner cannot be kept, as
    /// `cp -f` does.
    #[arg(short, long)]
    force: bool,
    /// Length of the render in seconds [default: 5, or with --midi to the song's end, where
    /// notes still held are released, until they have faded].
    #[arg(short, long, value_parser = parse_seconds, allow_hyphen_values = true)]
    seconds: Option<f64>,
    /// A Standard MIDI File (type 0 or 1) to play on the voices instead of the drone.
    #[arg(long, value_name = "FILE.mid", conflicts_with = "sweep")]
    midi: Option<PathBuf>,
    /// Every sound setting from a preset: a factory preset's name ("Church Bell"), one of
    /// yours by name, or a preset file's path. A sound option given with it wins over the
    /// preset's value (--preset "Soft Pad" --release 800).
    #[arg(long, value_name = "NAME|FILE")]
    preset: Option<String>,
    /// The file `--preset` was read from (none for a factory preset).
    #[arg(skip)]
    preset_file: Option<PathBuf>,
    /// A Scala scale (.scl) the notes of --midi play in [default: 12-TET, or the preset's].
    /// Degree 0 sits on middle C at its 12-TET pitch unless --kbm says otherwise.
    #[arg(long, value_name = "FILE.scl")]
    scale: Option<PathBuf>,
    /// A Scala keyboard map (.kbm) for --scale: which key plays which degree, the reference
    /// key and its frequency; keys it marks x stay silent.
    #[arg(long, value_name = "FILE.kbm", requires = "scale")]
    kbm: Option<PathBuf>,
    /// The tuning the notes play in: --scale's, else the preset's, else 12-TET.
    #[arg(skip)]
    tuning: Tuning,
    /// Every parameter's value: the sound options given (derived from the parameter registry),
    /// over the preset's or the defaults.
    #[command(flatten)]
    sound: SoundOptions,
    /// Sample rate in Hz (8000 to 768000).
    #[arg(short = 'r', long, default_value_t = DEFAULT_RENDER_SAMPLE_RATE_HZ as u32,
          value_parser = parse_sample_rate,
          allow_hyphen_values = true)]
    sample_rate: u32,
    /// Glide one partial from one frequency to another over the whole render, evenly in pitch:
    /// PARTIAL:FROM_HZ:TO_HZ, e.g. 1:200:2000 or 1:A2:A5. Overrides that partial's --freqs value.
    #[arg(long, value_name = "PARTIAL:FROM:TO", value_parser = parse_sweep,
          allow_hyphen_values = true)]
    sweep: Option<Sweep>,
    /// Sample format: 32 (float, the plugin's exact samples), 24 or 16 (integer PCM, rounded).
    #[arg(long, default_value_t = 32, value_parser = parse_bits, allow_hyphen_values = true)]
    bits: u16,
    /// Number of channels: 1, the mono sum (L + R)/2 (as the plugin's mono layout), or 2, the
    /// stereo signal (as its stereo layout: each partial at its pan, unison copies spread).
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u16).range(1..=2),
          allow_hyphen_values = true)]
    channels: u16,
    /// No progress bar and no summary.
    #[arg(short, long)]
    quiet: bool,
}

/// One partial gliding across the render.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Sweep {
    /// Index of the partial, 0-based.
    partial: usize,
    from_hz: f64,
    to_hz: f64,
}

/// Parses the arguments after `render` and renders; the process's exit code. `program` is the
/// name the binary was run as, for the usage and the examples.
pub fn run(program: &str, args: impl IntoIterator<Item = std::ffi::OsString>) -> ExitCode {
    let mut command = RenderArgs::command()
        .bin_name(format!("{program} render"))
        .after_help(examples(program));
    let parsed = command
        .try_get_matches_from_mut(std::iter::once("render".into()).chain(args))
        .and_then(|matches| RenderArgs::from_arg_matches(&matches))
        .map_err(|error| error.format(&mut command));
    let mut args = match parsed {
        Ok(args) => args,
        // Prints the message (or the help) and exits: 2 for bad arguments, 0 for --help.
        Err(error) => error.exit(),
    };
    if let Err(message) = read_preset(&mut args).and_then(|()| read_tuning(&mut args)) {
        eprintln!("error: {message}");
        return ExitCode::from(2);
    }
    // Arguments that parse but make no render (a file that is not MIDI, a length no WAV file
    // holds) are bad arguments too: status 2, like the rest, and nothing is written.
    let prepared =
        read_midi(&args).and_then(|song| Ok((sample_count(&args, song.as_ref())?, song)));
    let (total, song) = match prepared {
        Ok(prepared) => prepared,
        Err(message) => {
            eprintln!("error: {message}");
            return ExitCode::from(2);
        }
    };
    let output = match create_output(&args) {
        Ok(output) => output,
        Err(error) => {
            eprintln!("error: {}", output_error_text(&error));
            // A refusal is a bad argument (2); a failure of the system, as any write's (1).
            let refused = matches!(error, OutputError::Refused { .. });
            return ExitCode::from(if refused { 2 } else { 1 });
        }
    };
    for warning in nyquist_warnings(&args, song.as_ref()) {
        eprintln!("warning: {warning}");
    }
    match render(&args, total, song.as_ref(), output) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

/// The examples under `--help`, with the binary named as it was run.
fn examples(program: &str) -> String {
    format!(
        "Examples:\n  \
         {program} render -o sweep.wav --seconds 10 --levels 0,-6,-12,-18,-inf --sweep 1:110:880\n  \
         {program} render -o chord.wav --freqs A2,C#3,E3,A3,1.2k\n  \
         {program} render -o song.wav --midi song.mid --voices 8 --attack 10 --release 300"
    )
}

/// A warning for each partial that reaches the band where the bank fades it (from
/// [`FADE_START_FRACTION`] of the sample rate; silent at Nyquist): its highest frequency in the
/// render, held, swept to, or on the song's highest note (before any bend).
fn nyquist_warnings(args: &RenderArgs, song: Option<&Song>) -> Vec<String> {
    let rate_hz = f64::from(args.sample_rate);
    let fade_start_hz = FADE_START_FRACTION * rate_hz;
    let nyquist_hz = rate_hz / 2.0;
    let text = |hz: f64| frequency_to_text(hz as f32);
    let highest_key = song.and_then(|song| {
        song.events
            .iter()
            .filter_map(|event| match event.input {
                NoteInput::NoteOn { note, .. } => Some(note.key),
                _ => None,
            })
            .max()
    });
    let frequency_hz = |partial: usize| args.sound.values.get(Param::FREQUENCIES[partial]);
    (0..PARTIAL_COUNT)
        .filter_map(|partial| {
            let (hz, reaches) = match (song, highest_key, args.sweep) {
                // A song without notes plays nothing.
                (Some(_), None, _) => return None,
                (Some(_), Some(key), _) => {
                    // Partial 1 plays the note, the others keep their ratios to it.
                    let note_hz = args.tuning.table().hz(key, 0.0).unwrap_or(0.0);
                    let hz = note_hz * frequency_hz(partial) / frequency_hz(0);
                    (
                        hz,
                        format!("plays {} on the highest note, {}", text(hz), note_name(key)),
                    )
                }
                (None, _, Some(sweep)) if sweep.partial == partial => {
                    let hz = sweep.from_hz.max(sweep.to_hz);
                    (hz, format!("reaches {} in its sweep", text(hz)))
                }
                (None, _, _) => (
                    frequency_hz(partial),
                    format!("plays {}", text(frequency_hz(partial))),
                ),
            };
            let partial = partial + 1;
            if hz >= nyquist_hz {
                Some(format!(
                    "partial {partial} {reaches}, at or above Nyquist ({} at {rate_hz} Hz): \
                     it will be silent",
                    text(nyquist_hz)
                ))
            } else if hz > fade_start_hz {
                Some(format!(
                    "partial {partial} {reaches}, above {FADE_START_FRACTION} × the sample rate \
                     ({} at {rate_hz} Hz): it will be faded, the more the closer it is to \
                     Nyquist ({})",
                    text(fade_start_hz),
                    text(nyquist_hz)
                ))
            } else {
                None
            }
        })
        .collect()
}

/// Reads `--preset` into the arguments: every parameter's value, under the sound options
/// given (which win). A preset that plays notes needs `--midi`.
fn read_preset(args: &mut RenderArgs) -> Result<(), String> {
    let Some(name) = &args.preset else {
        return Ok(());
    };
    let (preset, file) = find_preset(name)?;
    args.sound.lay_over(preset.values());
    args.tuning = preset.tuning_or_default();
    if args.sound.values.settings().midi && args.midi.is_none() {
        return Err(format!(
            "the preset \"{}\" plays notes (MIDI mode): add --midi FILE.mid to hear it",
            escape(&preset.name)
        ));
    }
    args.preset_file = file;
    Ok(())
}

/// Reads `--scale` (and `--kbm`) into the arguments' tuning, over the preset's; a file that
/// cannot be read or is refused stops the render before anything is written.
fn read_tuning(args: &mut RenderArgs) -> Result<(), String> {
    if let Some(scale) = &args.scale {
        args.tuning = tuning::files::load(scale, args.kbm.as_deref())
            .map_err(|error| format!("the tuning is refused: {error}"))?;
    }
    Ok(())
}

/// The preset `name` names, and the file it was read from: a file (a path, or a name ending in
/// `.json`), a factory preset, or a user preset, in that order.
fn find_preset(name: &str) -> Result<(Preset, Option<PathBuf>), String> {
    let path = Path::new(name);
    if path.exists() || name.ends_with(store::EXTENSION) {
        let preset = store::load(path).map_err(|e| e.to_string())?;
        return Ok((preset, Some(path.to_path_buf())));
    }
    if let Some(preset) = factory::find(name) {
        return Ok((preset, None));
    }
    let (yours, _) = store::list();
    // Your names are unique as typed; a name typed in another case finds one too.
    let exact = yours.iter().position(|(_, preset)| preset.name == name);
    let any_case = || {
        yours
            .iter()
            .position(|(_, preset)| preset.name.eq_ignore_ascii_case(name.trim()))
    };
    match exact.or_else(any_case) {
        Some(k) => {
            let (path, preset) = yours.into_iter().nth(k).expect("found in the list");
            Ok((preset, Some(path)))
        }
        None => {
            let factory: Vec<String> = factory::presets().into_iter().map(|p| p.name).collect();
            Err(format!(
                "no preset called \"{}\" (factory presets: {}; yours are in {})",
                escape(name),
                factory.join(", "),
                store::user_dir()
                    .map_or_else(|| String::from("no folder"), |dir| escape_path(&dir))
            ))
        }
    }
}

/// The song of `--midi`, read and placed on samples at the render's rate.
fn read_midi(args: &RenderArgs) -> Result<Option<Song>, String> {
    let Some(path) = &args.midi else {
        return Ok(None);
    };
    let refused = |e: &dyn std::fmt::Display| format!("{}: {e}", escape_path(path));
    let mut file = file_read::open(path, MIDI_READ_LIMIT).map_err(|e| refused(&e))?;
    // A file of anything else is refused on its first bytes, not after reading it whole.
    check_header(file.head(HEADER_BYTES).map_err(|e| refused(&e))?).map_err(|e| refused(&e))?;
    let bytes = file.read_whole().map_err(|e| refused(&e))?;
    read_song(&bytes, f64::from(args.sample_rate), MAX_RENDER_SECONDS)
        .map(Some)
        .map_err(|e| refused(&e))
}

/// How long the render is, in seconds: as asked, or the song and its last release.
fn seconds_of(args: &RenderArgs, song: Option<&Song>) -> f64 {
    match (args.seconds, song) {
        (Some(seconds), _) => seconds,
        (None, Some(song)) => {
            let release_ms = args
                .sound
                .values
                .get(Param::RELEASE)
                .max(SHORTEST_SEGMENT_MS);
            song.end_sample as f64 / f64::from(args.sample_rate)
                + (release_ms + MIDI_TAIL_MS) * 1e-3
        }
        (None, None) => DEFAULT_SECONDS,
    }
}

/// How many samples the render has: at least one, and no more than a WAV file can hold.
fn sample_count(args: &RenderArgs, song: Option<&Song>) -> Result<u64, String> {
    let seconds = seconds_of(args, song);
    let total = (seconds * f64::from(args.sample_rate)).round() as u64;
    if total == 0 {
        return Err(format!(
            "{seconds} s at {} Hz is less than one sample",
            args.sample_rate
        ));
    }
    let bytes_per_sample = u64::from(args.channels) * u64::from(args.bits / 8);
    if total.saturating_mul(bytes_per_sample) > MAX_WAV_DATA_BYTES {
        // hound keeps the sizes in 32 bits and would wrap: readers would see a fraction of it.
        let longest_s =
            (MAX_WAV_DATA_BYTES / bytes_per_sample) as f64 / f64::from(args.sample_rate);
        return Err(format!(
            "{seconds} s at {} Hz, {} channel(s) of {} bits is {:.2} GiB of audio, and a WAV file \
             holds at most 4 GiB: at most {longest_s:.0} s with these settings (or fewer \
             channels, fewer bits, a lower rate)",
            args.sample_rate,
            args.channels,
            args.bits,
            (total * bytes_per_sample) as f64 / f64::from(1u32 << 30)
        ));
    }
    Ok(total)
}

/// Set when the user asks the render to stop (Ctrl-C, SIGTERM, SIGHUP).
static STOP_REQUESTED: AtomicBool = AtomicBool::new(false);

/// The output file, checked before anything is rendered (see [`output_file`]): a WAV file that
/// is none of the inputs, replaced only once the render is complete, so a render that fails or
/// is stopped leaves what was there.
fn create_output(args: &RenderArgs) -> Result<OutputFile, OutputError> {
    let inputs: Vec<(&str, &Path)> = [
        ("the --midi file", args.midi.as_deref()),
        ("the --preset file", args.preset_file.as_deref()),
    ]
    .into_iter()
    .filter_map(|(name, path)| Some((name, path?)))
    .collect();
    OutputFile::create(
        &args.out,
        &output_file::Options {
            inputs: &inputs,
            extension: Some("wav"),
            force: args.force,
        },
    )
}

/// What went wrong with the output file, with how to override a refusal that can be.
fn output_error_text(error: &OutputError) -> String {
    match error {
        OutputError::Refused {
            why: Refusal::WriteProtected | Refusal::OwnerNotKept { .. },
            ..
        } => format!("{error} (--force replaces it)"),
        _ => error.to_string(),
    }
}

/// The engine set up as the plugin sets it up on activation with these settings: the drone,
/// or MIDI mode when a song is played.
fn engine_for(args: &RenderArgs, song: Option<&Song>) -> Engine {
    let mut settings = args.sound.values.settings();
    settings.midi = song.is_some();
    if let Some(sweep) = args.sweep {
        settings.frequencies_hz[sweep.partial] = sweep.from_hz;
    }
    let mut engine = Engine::new(f64::from(args.sample_rate), settings);
    engine.set_key_table(args.tuning.table());
    if let Some(sweep) = args.sweep {
        let seconds = seconds_of(args, song);
        engine.glide_drone_partial(sweep.partial, sweep.to_hz, seconds * 1000.0);
    }
    engine
}

/// Renders `total` samples to the WAV file; an error says why the file could not be written.
fn render(
    args: &RenderArgs,
    total: u64,
    song: Option<&Song>,
    output: OutputFile,
) -> Result<(), String> {
    let spec = hound::WavSpec {
        channels: args.channels,
        sample_rate: args.sample_rate,
        bits_per_sample: args.bits,
        sample_format: if args.bits == 32 {
            hound::SampleFormat::Float
        } else {
            hound::SampleFormat::Int
        },
    };
    // A second handler cannot be set in one process; the first (this function runs once) stays.
    let _ = ctrlc::set_handler(|| STOP_REQUESTED.store(true, Ordering::SeqCst));
    // Dropped uncommitted (an error, a stop), the output leaves the target as it was.
    write_wav(args, total, song, spec, output)
}

/// [`render`] into `output`, then put in place.
fn write_wav(
    args: &RenderArgs,
    total: u64,
    song: Option<&Song>,
    spec: hound::WavSpec,
    mut output: OutputFile,
) -> Result<(), String> {
    let cannot_write = |e: hound::Error| format!("cannot write {}: {e}", escape_path(&args.out));
    let mut writer =
        hound::WavWriter::new(BufWriter::new(output.file()), spec).map_err(cannot_write)?;
    let mut progress = Progress::new(total, !args.quiet);
    let mut engine = engine_for(args, song);
    let mut events = song
        .map_or(&[][..], |song| &song.events[..])
        .iter()
        .peekable();
    let mut tempos = song
        .map_or(&[][..], |song| &song.tempos[..])
        .iter()
        .peekable();
    let mut chunk = vec![0.0f32; CHUNK_SAMPLES];
    let mut right = vec![0.0f32; if args.channels == 2 { CHUNK_SAMPLES } else { 0 }];
    let mut pcm = Quantizer::new(args.bits);
    let started = Instant::now();
    let mut done = 0u64;
    while done < total {
        if STOP_REQUESTED.load(Ordering::SeqCst) {
            progress.finish();
            return Err(format!(
                "stopped: {} was left as it was",
                escape_path(&args.out)
            ));
        }
        // Up to the next event or tempo change (or the chunk's end), so every one lands on its
        // sample; a tempo first, as a host's transport tells it at the start of a block.
        while let Some(tempo) = tempos.next_if(|tempo| tempo.sample <= done) {
            engine.set_tempo(tempo.tempo_bpm);
        }
        while let Some(event) = events.next_if(|event| event.sample <= done) {
            engine.handle(event.input);
        }
        let next_tempo = tempos.peek().map_or(total, |tempo| tempo.sample);
        let until = events
            .peek()
            .map_or(total, |event| event.sample)
            .min(next_tempo)
            .min(total);
        let len = (total - done)
            .min(CHUNK_SAMPLES as u64)
            .min((until - done).max(1)) as usize;
        let samples = &mut chunk[..len];
        if right.is_empty() {
            engine.render(samples);
        } else {
            engine.render_stereo(samples, &mut right[..len]);
        }
        engine.take_ended(|_| {});
        for (n, &sample) in samples.iter().enumerate() {
            write_sample(&mut writer, sample, args.bits, &mut pcm).map_err(cannot_write)?;
            if let Some(&right) = right.get(n) {
                write_sample(&mut writer, right, args.bits, &mut pcm).map_err(cannot_write)?;
            }
        }
        done += len as u64;
        progress.show(done);
    }
    writer.finalize().map_err(cannot_write)?;
    output.commit().map_err(|e| output_error_text(&e))?;
    progress.finish();
    // Said even with --quiet: the file is not what was played.
    if let Some(clipped) = pcm.report() {
        eprintln!("warning: {clipped}");
    }
    if !args.quiet {
        let elapsed_s = started.elapsed().as_secs_f64();
        let audio_s = total as f64 / f64::from(args.sample_rate);
        eprintln!(
            "wrote {}: {audio_s:.3} s at {} Hz ({total} samples) in {elapsed_s:.2} s, \
             {:.0}x real time",
            escape_path(&args.out),
            args.sample_rate,
            audio_s / elapsed_s.max(1e-9)
        );
    }
    Ok(())
}

/// Writes `sample` as it is in a float file (overs kept), through `pcm` in a 16/24-bit one.
fn write_sample<W: std::io::Write + std::io::Seek>(
    writer: &mut hound::WavWriter<W>,
    sample: f32,
    bits: u16,
    pcm: &mut Quantizer,
) -> hound::Result<()> {
    match bits {
        32 => writer.write_sample(sample),
        _ => writer.write_sample(pcm.quantize(sample)),
    }
}

/// A progress bar on stderr for long renders, drawn only when stderr is a terminal.
struct Progress {
    total: u64,
    enabled: bool,
    /// Percentage last drawn, so the bar is redrawn at most 100 times.
    drawn_percent: Option<u64>,
}

impl Progress {
    fn new(total: u64, wanted: bool) -> Self {
        Self {
            total,
            enabled: wanted && total > PROGRESS_MIN_SAMPLES && std::io::stderr().is_terminal(),
            drawn_percent: None,
        }
    }

    fn show(&mut self, done: u64) {
        let percent = done * 100 / self.total;
        if !self.enabled || self.drawn_percent == Some(percent) {
            return;
        }
        self.drawn_percent = Some(percent);
        let filled = (done * PROGRESS_WIDTH as u64 / self.total) as usize;
        let mut stderr = std::io::stderr().lock();
        // A failed progress write is not worth failing the render for.
        let _ = write!(
            stderr,
            "\rrendering [{}{}] {percent:3}%",
            "#".repeat(filled),
            "-".repeat(PROGRESS_WIDTH - filled)
        );
        let _ = stderr.flush();
    }

    fn finish(&self) {
        if self.enabled {
            eprintln!();
        }
    }
}

fn parse_seconds(text: &str) -> Result<f64, String> {
    let seconds: f64 = text
        .parse()
        .map_err(|_| format!("'{text}' is not a number of seconds"))?;
    if seconds > 0.0 && seconds <= MAX_RENDER_SECONDS {
        Ok(seconds)
    } else {
        Err(format!(
            "the length must be above 0 and at most {MAX_RENDER_SECONDS} s"
        ))
    }
}

fn parse_sample_rate(text: &str) -> Result<u32, String> {
    let (min, max) = (SAMPLE_RATE_RANGE_HZ.0 as u32, SAMPLE_RATE_RANGE_HZ.1 as u32);
    match text.parse::<u32>() {
        Ok(rate) if (min..=max).contains(&rate) => Ok(rate),
        _ => Err(format!(
            "the sample rate must be a whole number of Hz from {min} to {max}"
        )),
    }
}

/// A frequency as the editor takes it ("440", "1.2k", "A4"), on the parameters' 0.01 Hz grid:
/// exactly what the plugin plays for the same text.
fn parse_frequency(text: &str) -> Result<f64, String> {
    sound_options::parse_value(Param::FREQUENCIES[0].spec(), text)
}

fn parse_sweep(text: &str) -> Result<Sweep, String> {
    let usage = || format!("'{text}' is not PARTIAL:FROM_HZ:TO_HZ (e.g. 1:200:2000)");
    let [partial, from, to] =
        <[&str; 3]>::try_from(text.split(':').collect::<Vec<_>>()).map_err(|_| usage())?;
    let partial: usize = partial.parse().map_err(|_| usage())?;
    if !(1..=PARTIAL_COUNT).contains(&partial) {
        return Err(format!(
            "partial {partial} does not exist: use 1 to {PARTIAL_COUNT}"
        ));
    }
    Ok(Sweep {
        partial: partial - 1,
        from_hz: parse_frequency(from)?,
        to_hz: parse_frequency(to)?,
    })
}

fn parse_bits(text: &str) -> Result<u16, String> {
    match text {
        "16" => Ok(16),
        "24" => Ok(24),
        "32" => Ok(32),
        _ => Err(String::from("use 32 (float), 24 or 16")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use quintet::dsp::DEFAULT_FREQUENCIES_HZ;
    use quintet::engine::Settings;

    /// Issue 13, item 1: hound keeps WAV sizes in 32 bits; a render past them is refused before
    /// anything is written, and one just inside them is not.
    #[test]
    fn renders_beyond_what_a_wav_file_holds_are_refused() {
        let args = |extra: &[&str]| {
            let mut all = vec!["quintet render", "-o", "x.wav"];
            all.extend_from_slice(extra);
            RenderArgs::try_parse_from(all).unwrap()
        };
        // 32-bit mono at 48 kHz: 4 bytes a sample, so 22,369.6 s fit.
        assert!(sample_count(&args(&["--seconds", "22369"]), None).is_ok());
        let refused = sample_count(&args(&["--seconds", "22370"]), None).unwrap_err();
        assert!(refused.contains("at most 4 GiB"), "{refused}");
        for extra in [
            &["--seconds", "86400"][..],
            &["-r", "768000", "--channels", "2", "--seconds", "700"],
        ] {
            assert!(sample_count(&args(extra), None).is_err(), "{extra:?}");
        }
        // 16-bit halves the bytes, so twice the length fits.
        assert!(sample_count(&args(&["--seconds", "44000", "--bits", "16"]), None).is_ok());
    }

    #[test]
    fn the_defaults_are_the_plugins_defaults_and_options_change_them() {
        let parse = |extra: &[&str]| {
            let mut all = vec!["quintet render", "-o", "x.wav"];
            all.extend_from_slice(extra);
            RenderArgs::try_parse_from(all).unwrap()
        };
        let args = parse(&[]);
        assert_eq!(args.sound.values.settings(), Settings::default());
        assert_eq!(
            args.sound.values.settings().frequencies_hz,
            DEFAULT_FREQUENCIES_HZ
        );
        assert_eq!((args.sample_rate, args.bits), (48_000, 32));
        let args = parse(&[
            "--freqs",
            "A4,1.2k,300,350,400",
            "--gain",
            "-inf",
            "--midi-glide",
            "30",
            "--bend-range",
            "12",
            "--sustain",
            "50",
            "--levels",
            "0,0,-inf,0,0",
        ]);
        let settings = args.sound.values.settings();
        assert_eq!(settings.frequencies_hz[..2], [440.0, 1200.0]);
        assert_eq!((settings.gain, settings.levels[2]), (0.0, 0.0));
        assert_eq!(settings.midi_glide_ms, 30.0);
        assert_eq!(settings.bend_range_semitones, 12.0);
        assert_eq!(settings.envelope.sustain, 0.5);
    }

    /// Issue 23: `--preset` refused every sound option beside it. Now each option given wins
    /// over the preset's value for its parameters (a family sets five), whatever its kind (a
    /// frequency family, a count, a time, a percentage, a switch), and every parameter no option
    /// names keeps the preset's value.
    #[test]
    fn an_option_given_with_a_preset_wins_over_the_presets_value() {
        use quintet_core::params::{Kind, Offered};
        let preset = factory::find("Soft Pad").expect("a factory preset");
        let base = preset.values();
        let mut options = 0;
        for param in Param::ALL {
            let spec = param.spec();
            let (flag, family) = match spec.offered {
                Offered::Alone {
                    flag: Some(flag), ..
                } => (flag, None),
                Offered::Partial { family, partial: 0 } => (family.flag.unwrap(), Some(family)),
                _ => continue,
            };
            // A value the preset does not have: the other end of a switch, or a third of the
            // way between the preset's value and the nearer end of the range.
            let (min, max) = spec.bounds();
            let old = base.get(param);
            let wanted = match spec.kind {
                Kind::Switch => 1.0 - old,
                _ if old - min > max - old => old - (old - min) / 3.0,
                _ => old + (max - old) / 3.0,
            };
            let text = spec.value_to_text(spec.clamp(wanted) as f32);
            let value = sound_options::parse_value(spec, &text).unwrap();
            assert_ne!(value, old, "--{flag} {text}");
            let option_text = match family {
                Some(_) => [text.as_str(); PARTIAL_COUNT].join(","),
                None => text.clone(),
            };
            let mut args = RenderArgs::try_parse_from([
                "quintet render",
                "-o",
                "x.wav",
                "--midi",
                "song.mid",
                "--preset",
                "soft pad",
                &format!("--{flag}"),
                &option_text,
            ])
            .unwrap_or_else(|e| panic!("--{flag} {option_text} with --preset: {e}"));
            read_preset(&mut args).unwrap();
            for other in Param::ALL {
                let named = other == param
                    || matches!(
                        (other.spec().offered, family),
                        (Offered::Partial { family: of, .. }, Some(family))
                            if std::ptr::eq(of, family)
                    );
                let expected = if named { value } else { base.get(other) };
                assert_eq!(
                    args.sound.values.get(other),
                    expected,
                    "--{flag} {option_text}: {}",
                    other.spec().id
                );
            }
            options += 1;
        }
        assert!(options >= 8, "{options} options");
    }

    #[test]
    fn a_sweep_names_a_partial_and_two_frequencies() {
        assert_eq!(
            parse_sweep("1:200:2000"),
            Ok(Sweep {
                partial: 0,
                from_hz: 200.0,
                to_hz: 2000.0
            })
        );
        assert!(parse_sweep("6:200:2000").unwrap_err().contains("partial 6"));
        assert!(parse_sweep("1:200").is_err());
        assert!(parse_sweep("1:2:2000").unwrap_err().contains("outside"));
        // Frequencies as the editor takes them.
        assert_eq!(
            parse_sweep("2:A2:1.76k"),
            Ok(Sweep {
                partial: 1,
                from_hz: 110.0,
                to_hz: 1760.0
            })
        );
    }
}
