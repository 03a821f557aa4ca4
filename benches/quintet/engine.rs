//! The whole instrument (`quintet::engine::Engine`) as a host drives it (render, then drain the
//! ended-voice reports) holding a 16-note chord, one note, or no note at 16 voices, and the
//! drone, against the naive oscillator playing one five-partial voice and the bare bank; its
//! output checked against bare banks outside the timing; the engine's targets.

use crate::bank::core_renderer;
use crate::naive::NaiveBank;
use crate::timing::{RUNS, Renderer, SAMPLE_RATE_HZ, SAMPLES_PER_RUN, time_per_sample, verdict};
use quintet::dsp::envelope::{ATTACK_MS, EnvelopeShape};
use quintet::dsp::partial_envelopes::PartialShapes;
use quintet::dsp::sine::Kernel;
use quintet::dsp::{DEFAULT_FREQUENCIES_HZ, PartialBank};
use quintet::engine::pitch::key_to_hz;
use quintet::engine::unison::{MAX_UNISON, Unison};
use quintet::engine::{Engine, MAX_VOICES, NoteInput, NoteRef, Settings};
use std::cell::Cell;

/// Prints the engine table for the block sizes `wanted` accepts, then its targets.
pub fn run(wanted: impl Fn(usize) -> bool) {
    let engine = print_engine(wanted);
    println!();
    println!("Targets (engine; the voices use {:?}):", Kernel::best());
    print_engine_targets(&engine);
}

/// Block sizes for the engine table.
const ENGINE_BLOCK_SIZES: [usize; 3] = [64, 512, 4096];
/// Samples an engine renders before it is timed: 100 ms, far past the 5 ms attack, so every
/// note is in its sustain (where a held note stays: the engine never ends it).
pub const SETTLE_SAMPLES: usize = 4800;
/// Samples rendered for the exactness checks (1 s), in blocks of [`EXACT_BLOCK`].
const EXACT_SAMPLES: usize = 48_000;
/// Block size of the exactness checks' engines (the bare banks render in one call).
const EXACT_BLOCK: usize = 64;

/// The chord: [`MAX_VOICES`] keys three semitones apart, C2 (36) up to A5 (81).
pub fn chord_keys() -> impl Iterator<Item = u8> {
    (0..MAX_VOICES as u8).map(|k| 36 + 3 * k)
}

/// Settings for notes on `voices` voices at output gain `gain`.
pub fn notes(voices: usize, gain: f32) -> Settings {
    Settings {
        midi: true,
        voices,
        gain,
        ..Settings::default()
    }
}

/// [`notes`] at 16 voices with every partial's envelope its own, held past the attack and the
/// decays in sustain levels of their own (attacks and decays up to 90 ms, within the settling).
fn shaped_sustain() -> Settings {
    Settings {
        partial_shapes: PartialShapes {
            attack: [1.0, 1.5, 2.0, 0.5, 1.2],
            decay: [0.4, 0.3, 0.2, 0.1, 0.25],
            sustain: [1.0, 0.8, 0.6, 0.4, 0.2],
        },
        envelope: EnvelopeShape {
            sustain: 0.7,
            ..EnvelopeShape::default()
        },
        ..notes(MAX_VOICES, 1.0)
    }
}

/// [`notes`] at 16 voices with every partial decaying to silence on its own time, all longer
/// than a whole measurement (16 runs of [`SAMPLES_PER_RUN`], 87 s, and the settling): every
/// partial's envelope moves throughout.
fn shaped_decay() -> Settings {
    Settings {
        partial_shapes: PartialShapes {
            attack: [1.0, 1.5, 2.0, 0.5, 1.2],
            decay: [10.0, 9.8, 9.6, 9.9, 9.7],
            sustain: [1.0; 5],
        },
        envelope: EnvelopeShape {
            attack_ms: ATTACK_MS,
            decay_ms: 10_000.0,
            sustain: 0.0,
            release_ms: 200.0,
        },
        ..notes(MAX_VOICES, 1.0)
    }
}

/// [`notes`] at 16 voices, each note [`MAX_UNISON`] copies 10 cents apart at either end and
/// spread half-way to each side: a stereo signal, every copy of every held note in the lanes.
fn unison_chord() -> Settings {
    Settings {
        unison: Unison {
            copies: MAX_UNISON,
            detune_cents: 10.0,
            width: 0.5,
        },
        ..notes(MAX_VOICES, 1.0)
    }
}

/// An engine playing by `settings` with `keys` pressed at full velocity, nothing rendered yet.
fn engine_with(settings: Settings, keys: impl IntoIterator<Item = u8>) -> Engine {
    let mut engine = Engine::new(SAMPLE_RATE_HZ, settings);
    for key in keys {
        engine.handle(NoteInput::NoteOn {
            note: NoteRef::without_id(0, key),
            velocity: 1.0,
        });
    }
    engine
}

/// `samples` samples of `engine` in blocks of `block`, as a host drives it (render, then drain
/// the ended-voice reports: none may come, every note is held).
pub fn engine_output(engine: &mut Engine, samples: usize, block: usize) -> Vec<f32> {
    let mut out = vec![0.0; samples];
    for chunk in out.chunks_mut(block) {
        engine.render(chunk);
        engine.take_ended(|end| panic!("{end:?} ended while held"));
    }
    out
}

/// [`engine_with`] rendered past the attack, every note sounding.
pub fn settled(settings: Settings, keys: impl IntoIterator<Item = u8>) -> Engine {
    let keys: Vec<u8> = keys.into_iter().collect();
    let mut engine = engine_with(settings, keys.iter().copied());
    engine_output(&mut engine, SETTLE_SAMPLES, SETTLE_SAMPLES);
    assert_eq!(engine.sounding().count(), keys.len(), "every note sounds");
    engine
}

/// [`settled`], as a renderer: each call renders a block and drains the ended-voice reports,
/// counting them in `ended` (a held note never ends: it stays 0).
fn settled_engine(
    settings: Settings,
    keys: impl IntoIterator<Item = u8>,
    ended: &Cell<usize>,
) -> Renderer<'_> {
    let mut engine = settled(settings, keys);
    Box::new(move |out| {
        engine.render(out);
        engine.take_ended(|_| ended.set(ended.get() + 1));
    })
}

/// [`settled_engine`] rendering both channels (the plugin's stereo layout), the right one into
/// a buffer of its own: the time per frame of a stereo output.
fn settled_stereo_engine(
    settings: Settings,
    keys: impl IntoIterator<Item = u8>,
    ended: &Cell<usize>,
) -> Renderer<'_> {
    let mut engine = settled(settings, keys);
    let mut right = Vec::new();
    Box::new(move |out| {
        right.resize(out.len(), 0.0);
        engine.render_stereo(out, &mut right);
        engine.take_ended(|_| ended.set(ended.get() + 1));
    })
}

/// The largest |a − b| over two signals of the same length.
fn max_difference(a: &[f32], b: &[f32]) -> f32 {
    assert_eq!(a.len(), b.len());
    a.iter()
        .zip(b)
        .map(|(x, y)| (x - y).abs())
        .fold(0.0, f32::max)
}

/// A largest sample difference as printed: "0 (same bits)" or the value.
fn difference(largest: f32) -> String {
    if largest == 0.0 {
        "0 (same bits)".to_string()
    } else {
        format!("{largest:e}")
    }
}

/// The engine's exactness, checked outside the timing: largest sample differences.
struct Exactness {
    /// One note held at 16 voices against a bare bank playing its five frequencies at the
    /// voice's level (1/16), after the attack.
    note_vs_bank: f32,
    /// The 16-note chord against the sum of 16 engines each playing one of its notes alone,
    /// added in the order the engine adds its voices.
    chord_vs_sum: f32,
    /// One note at 1 voice against the same note at 16 voices (each voice plays at the same
    /// level: the same bits; what differs is the 15 idle voices).
    one_vs_sixteen: f32,
    /// The drone engine against the bare bank it wraps.
    drone_vs_bank: f32,
}

impl Exactness {
    fn worst(&self) -> f32 {
        self.note_vs_bank
            .max(self.chord_vs_sum)
            .max(self.one_vs_sixteen)
            .max(self.drone_vs_bank)
    }
}

/// Runs the exactness checks (1 s of each signal).
fn engine_exactness() -> Exactness {
    let key = 60;
    let mut note = engine_with(notes(MAX_VOICES, 1.0), [key]);
    let played = engine_output(&mut note, EXACT_SAMPLES, EXACT_BLOCK);
    // The engine's partials for the key, unbent: partial 1 on the note, the others at the
    // default frequencies' ratios to partial 1.
    let pitch_hz = key_to_hz(key, 0.0);
    let frequencies = std::array::from_fn(|k| {
        if k == 0 {
            pitch_hz
        } else {
            pitch_hz * (DEFAULT_FREQUENCIES_HZ[k] / DEFAULT_FREQUENCIES_HZ[0])
        }
    });
    let mut bank = PartialBank::new(SAMPLE_RATE_HZ, frequencies);
    let mut reference = vec![0.0; EXACT_SAMPLES];
    bank.render(&mut reference);
    let attack = (ATTACK_MS * 1e-3 * SAMPLE_RATE_HZ).round() as usize;
    let note_vs_bank = max_difference(&played[attack..], &reference[attack..]);

    let mut chord = engine_with(notes(MAX_VOICES, 1.0), chord_keys());
    let chord_out = engine_output(&mut chord, EXACT_SAMPLES, EXACT_BLOCK);
    let mut sum = vec![0.0f32; EXACT_SAMPLES];
    for key in chord_keys() {
        let alone = engine_output(
            &mut engine_with(notes(MAX_VOICES, 1.0), [key]),
            EXACT_SAMPLES,
            EXACT_BLOCK,
        );
        for (sum, sample) in sum.iter_mut().zip(alone) {
            *sum += sample;
        }
    }
    let chord_vs_sum = max_difference(&chord_out, &sum);

    let one = engine_output(
        &mut engine_with(notes(1, 1.0), [key]),
        EXACT_SAMPLES,
        EXACT_BLOCK,
    );
    let one_vs_sixteen = max_difference(&one, &played);

    let drone = engine_output(
        &mut engine_with(Settings::default(), []),
        EXACT_SAMPLES,
        EXACT_BLOCK,
    );
    PartialBank::new(SAMPLE_RATE_HZ, DEFAULT_FREQUENCIES_HZ).render(&mut reference);
    let drone_vs_bank = max_difference(&drone, &reference);
    Exactness {
        note_vs_bank,
        chord_vs_sum,
        one_vs_sixteen,
        drone_vs_bank,
    }
}

/// One block size of the engine table, ns per output sample (mono).
struct EngineRow {
    block: usize,
    /// The naive oscillator playing one five-partial voice.
    naive: f64,
    /// 16 notes held at 16 voices: 80 partials.
    chord: f64,
    /// One note held at 16 voices.
    one_of_16: f64,
    /// One note held at 1 voice (the same bits as `one_of_16`).
    one_of_1: f64,
    /// An engine like `one_of_1`, timed as another contender: how far two identical contenders
    /// differ in this run (the noise).
    one_of_1_again: f64,
    /// 16 voices, no note.
    idle_16: f64,
    /// Writing zeros into the buffer: the least an idle engine does.
    zeros: f64,
    /// The drone engine (default settings).
    drone: f64,
    /// The bare bank the drone wraps.
    bank: f64,
    /// 16 notes held, each partial in a sustain of its own ([`shaped_sustain`]).
    shaped_chord: f64,
    /// 16 notes with every partial's envelope in its decay ([`shaped_decay`]).
    decaying_chord: f64,
    /// 16 notes held in unison ([`unison_chord`]), both channels rendered.
    unison_chord: f64,
}

impl EngineRow {
    /// The noise: how far the two identical contenders' ratio is from 1.
    fn noise(&self) -> f64 {
        (self.one_of_1_again / self.one_of_1 - 1.0).abs()
    }

    /// What 16 idle voices add to writing zeros, as a fraction of one held note.
    fn idle_share(&self) -> f64 {
        (self.idle_16 - self.zeros) / self.one_of_1
    }
}

/// The engine table: exactness, then ns per sample and the ratios per block size.
fn print_engine(wanted: impl Fn(usize) -> bool) -> (Vec<EngineRow>, Exactness) {
    let exactness = engine_exactness();
    println!();
    println!(
        "Engine (quintet::engine::Engine; the voices' kernel: {:?}), ns per output sample, median \
         of {RUNS} interleaved runs of {SAMPLES_PER_RUN} samples; notes held past their attack \
         (keys 36, 39, … 81; one note: 60); naive = one five-partial voice of f32::sin; 1 of 1 \
         at gain 1/{MAX_VOICES}, so it renders what 1 of {MAX_VOICES} does:",
        Kernel::best()
    );
    println!(
        "  exact (outside the timing, 1 s in {EXACT_BLOCK}-sample blocks): one note at \
         {MAX_VOICES} voices vs a bare bank at its five frequencies and level 1/{MAX_VOICES}, \
         after the attack: max |Δ| {}; the {MAX_VOICES}-note chord vs the sum of its notes \
         played alone: {}; one note at 1 voice (gain 1/{MAX_VOICES}) vs at {MAX_VOICES} \
         voices: {}; drone engine vs bare bank: {}",
        difference(exactness.note_vs_bank),
        difference(exactness.chord_vs_sum),
        difference(exactness.one_vs_sixteen),
        difference(exactness.drone_vs_bank)
    );
    println!(
        "{:>6} {:>8} {:>9} {:>9} {:>8} {:>8} {:>8} {:>7} {:>7} {:>7}",
        "block",
        "naive",
        "16 notes",
        "1 of 16",
        "1 of 1",
        "again",
        "idle 16",
        "zeros",
        "drone",
        "bank"
    );
    let mut rows = Vec::new();
    for block in ENGINE_BLOCK_SIZES
        .into_iter()
        .filter(|&block| wanted(block))
    {
        let ended = Cell::new(0);
        let mut naive = NaiveBank::new();
        let mut renderers: Vec<Renderer> = vec![
            Box::new(move |out| naive.render(out)),
            settled_engine(notes(MAX_VOICES, 1.0), chord_keys(), &ended),
            settled_engine(notes(MAX_VOICES, 1.0), [60], &ended),
            settled_engine(notes(1, 1.0), [60], &ended),
            settled_engine(notes(1, 1.0), [60], &ended),
            settled_engine(notes(MAX_VOICES, 1.0), [], &ended),
            Box::new(|out| out.fill(0.0)),
            settled_engine(Settings::default(), [], &ended),
            core_renderer(Kernel::best(), false),
            settled_engine(shaped_sustain(), chord_keys(), &ended),
            settled_engine(shaped_decay(), chord_keys(), &ended),
            settled_stereo_engine(unison_chord(), chord_keys(), &ended),
        ];
        let ns = time_per_sample(block, &mut renderers);
        assert_eq!(ended.get(), 0, "a held note ended during the timing");
        let row = EngineRow {
            block,
            naive: ns[0],
            chord: ns[1],
            one_of_16: ns[2],
            one_of_1: ns[3],
            one_of_1_again: ns[4],
            idle_16: ns[5],
            zeros: ns[6],
            drone: ns[7],
            bank: ns[8],
            shaped_chord: ns[9],
            decaying_chord: ns[10],
            unison_chord: ns[11],
        };
        println!(
            "{block:>6} {:>8.3} {:>9.3} {:>9.3} {:>8.3} {:>8.3} {:>8.3} {:>7.3} {:>7.3} {:>7.3}",
            row.naive,
            row.chord,
            row.one_of_16,
            row.one_of_1,
            row.one_of_1_again,
            row.idle_16,
            row.zeros,
            row.drone,
            row.bank
        );
        rows.push(row);
    }
    println!(
        "{:>6} {:>14} {:>16} {:>12} {:>13} {:>18} {:>11}",
        "block",
        "16 notes/naive",
        "16 notes/16×1of16",
        "1of16/1of1",
        "again/1of1",
        "idle16−zeros/1of1",
        "drone/bank"
    );
    println!(
        "{:>6} {:>14} {:>22} {:>22}",
        "block", "16 shaped", "16 shaped held/naive", "16 decaying/naive"
    );
    for row in &rows {
        println!(
            "{:>6} {:>14.3} {:>21.3}× {:>21.3}×  ({:.3} ns decaying)",
            row.block,
            row.shaped_chord,
            row.shaped_chord / row.naive,
            row.decaying_chord / row.naive,
            row.decaying_chord
        );
    }
    for row in &rows {
        println!(
            "{:>6} {:>13.3}× {:>15.3}× {:>11.3}× {:>12.3}× {:>17.1}% {:>10.3}×",
            row.block,
            row.chord / row.naive,
            row.chord / (MAX_VOICES as f64 * row.one_of_16),
            row.one_of_16 / row.one_of_1,
            row.one_of_1_again / row.one_of_1,
            100.0 * row.idle_share(),
            row.drone / row.bank
        );
    }
    (rows, exactness)
}

/// Most 16 held notes may cost, relative to the naive oscillator playing one voice.
const CHORD_TARGET: f64 = 1.0;
/// What 16 held notes cost relative to one naive voice that counts as excellent.
const CHORD_EXCELLENT: f64 = 0.5;
/// Most 16 held notes with every partial's envelope its own (in sustain) may cost, relative
/// to one naive voice (issue 23).
const SHAPED_CHORD_TARGET: f64 = 0.6;
/// Most 16 notes with every partial's envelope moving (in decay) may cost, relative to one
/// naive voice (issue 23).
const DECAYING_CHORD_TARGET: f64 = 1.0;
/// Most 16 held notes × [`MAX_UNISON`] copies, in stereo, may cost relative to one naive voice
/// (issue 24).
const UNISON_CHORD_TARGET: f64 = 3.0;
/// Most an engine may cost for being one of several voices, or a drone around its bank,
/// relative to one voice alone or the bare bank: idle voices and the wrapper cost nothing
/// measurable.
const NOTHING_MEASURABLE: f64 = 1.05;
/// Most 16 idle voices may add to writing zeros, as a fraction of one held note.
const IDLE_SHARE_TARGET: f64 = 0.05;
/// Largest sample difference the exactness checks allow (floating sums in another order may
/// differ in the last bit).
const EXACT_TOLERANCE: f32 = 1e-6;

/// Prints the engine's targets per block size measured, with whether this run meets them.
fn print_engine_targets((rows, exactness): &(Vec<EngineRow>, Exactness)) {
    for row in rows {
        let chord = row.chord / row.naive;
        let one_of_16 = row.one_of_16 / row.one_of_1;
        let drone = row.drone / row.bank;
        println!(
            "  engine at {}-sample blocks (two identical engines differ by {:.1} % in this run):",
            row.block,
            100.0 * row.noise()
        );
        println!(
            "    {MAX_VOICES} held notes: {chord:.2}× one naive voice (≤ {CHORD_TARGET}×: {}; \
             ≤ {CHORD_EXCELLENT}×, excellent: {})",
            verdict(chord <= CHORD_TARGET),
            verdict(chord <= CHORD_EXCELLENT)
        );
        let shaped = row.shaped_chord / row.naive;
        let decaying = row.decaying_chord / row.naive;
        println!(
            "    {MAX_VOICES} held notes, each partial its own envelope (sustain): {shaped:.2}× \
             one naive voice (≤ {SHAPED_CHORD_TARGET}×: {})",
            verdict(shaped <= SHAPED_CHORD_TARGET)
        );
        println!(
            "    {MAX_VOICES} notes, every partial's envelope in its decay: {decaying:.2}× one \
             naive voice (≤ {DECAYING_CHORD_TARGET}×: {})",
            verdict(decaying <= DECAYING_CHORD_TARGET)
        );
        let unison = row.unison_chord / row.naive;
        println!(
            "    {MAX_VOICES} held notes × {MAX_UNISON} unison, stereo: {unison:.2}× one naive \
             voice ({:.3} ns; ≤ {UNISON_CHORD_TARGET}×: {})",
            row.unison_chord,
            verdict(unison <= UNISON_CHORD_TARGET)
        );
        println!(
            "    one note at {MAX_VOICES} voices: {one_of_16:.3}× one note at 1 voice \
             (≤ {NOTHING_MEASURABLE}×: {})",
            verdict(one_of_16 <= NOTHING_MEASURABLE)
        );
        println!(
            "    {MAX_VOICES} idle voices: {:.3} ns per sample over writing zeros ({:.0} ns per \
             render call), {:.1} % of one note (≤ {:.0} %: {})",
            row.idle_16 - row.zeros,
            (row.idle_16 - row.zeros) * row.block as f64,
            100.0 * row.idle_share(),
            100.0 * IDLE_SHARE_TARGET,
            verdict(row.idle_share() <= IDLE_SHARE_TARGET)
        );
        println!(
            "    drone engine: {drone:.3}× the bare bank (≤ {NOTHING_MEASURABLE}×: {})",
            verdict(drone <= NOTHING_MEASURABLE)
        );
    }
    println!(
        "  engine exactness: largest sample difference {} (≤ {EXACT_TOLERANCE:e}: {})",
        difference(exactness.worst()),
        verdict(exactness.worst() <= EXACT_TOLERANCE)
    );
}
