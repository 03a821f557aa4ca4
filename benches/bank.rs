//! How fast Quintet renders, against baselines measured in the same run.
//!
//! `cargo bench --bench bank` prints, per block size, nanoseconds per output sample (all five
//! partials) for the DSP core with each sine kernel this CPU runs, steady and with all five
//! partials gliding every block, next to the naive oscillator most example plugins use and the
//! memory floor (filling the buffer); then the whole plugin's cost through a CLAP host against
//! the bare core; then dense automation: Quintet and a naive plugin on the same framework
//! (examples/naive_plugin.rs) through the same host, steady and with five parameter events every
//! 64 or 16 samples, at 1- to 512-sample blocks. The engine table puts the whole instrument
//! (`quintet::engine::Engine`) holding a 16-note chord, one note, or no note at 16 voices, and the
//! drone, against the naive oscillator playing one five-partial voice and the bare bank.
//! Timings are medians of interleaved runs; the machine is shared, so read the ratios, not the
//! absolute numbers.
//! `cargo bench --bench bank -- 512` limits the block sizes; `-- dense` runs only the dense
//! table, `-- engine` only the engine table (and its targets).

use quintet::dsp::envelope::ATTACK_MS;
use quintet::dsp::phase::{PhaseRamp, increment_for};
use quintet::dsp::sine::{Kernel, Level};
use quintet::dsp::{DEFAULT_FREQUENCIES_HZ, PARTIAL_COUNT, PartialBank};
use quintet::engine::pitch::key_to_hz;
use quintet::engine::{Engine, MAX_VOICES, NoteInput, NoteRef, Settings};
use quintet_test_host::{ClapId, HostEvent, ParamChange, QuintetHost, blocks_of};
use std::cell::Cell;
use std::hint::black_box;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

const SAMPLE_RATE_HZ: f64 = 48_000.0;
/// Block sizes a host typically uses.
const BLOCK_SIZES: [usize; 3] = [64, 512, 4096];
/// Block sizes for the whole-plugin comparison.
const PLUGIN_BLOCK_SIZES: [usize; 2] = [64, 512];
/// Samples rendered per timed run.
const SAMPLES_PER_RUN: usize = 1 << 18;
/// Timed runs per measurement; the median is reported.
const RUNS: usize = 15;

/// The usual example-plugin oscillator: an `f32` phase and `f32::sin` per partial per sample.
struct NaiveBank {
    phases: [f32; PARTIAL_COUNT],
    increments: [f32; PARTIAL_COUNT],
}

impl NaiveBank {
    fn new() -> Self {
        Self {
            phases: [0.0; PARTIAL_COUNT],
            increments: DEFAULT_FREQUENCIES_HZ.map(|hz| (hz / SAMPLE_RATE_HZ) as f32),
        }
    }

    fn render(&mut self, out: &mut [f32]) {
        for sample in out.iter_mut() {
            let mut sum = 0.0;
            for (phase, increment) in self.phases.iter_mut().zip(self.increments) {
                sum += (std::f32::consts::TAU * *phase).sin() * 0.2;
                *phase += increment;
                if *phase >= 1.0 {
                    *phase -= 1.0;
                }
            }
            *sample = sum;
        }
    }
}

/// A renderer under test: called with one block at a time.
type Renderer<'a> = Box<dyn FnMut(&mut [f32]) + 'a>;

/// Nanoseconds per sample of each renderer on blocks of `block` samples: the median over
/// [`RUNS`] rounds, each round timing every renderer once in turn, so a burst of load from
/// elsewhere on the machine hits all of them alike.
fn time_per_sample(block: usize, renderers: &mut [Renderer]) -> Vec<f64> {
    let mut buffer = vec![0.0f32; block];
    let blocks_per_run = SAMPLES_PER_RUN.div_ceil(block);
    let mut run = |render: &mut Renderer| {
        let start = Instant::now();
        for _ in 0..blocks_per_run {
            render(black_box(&mut buffer));
        }
        black_box(&buffer);
        start.elapsed()
    };
    let mut runs: Vec<Vec<Duration>> = vec![Vec::new(); renderers.len()];
    for round in 0..=RUNS {
        for (render, times) in renderers.iter_mut().zip(&mut runs) {
            let elapsed = run(render);
            if round > 0 {
                times.push(elapsed); // round 0 only warms caches and branch predictors
            }
        }
    }
    runs.into_iter()
        .map(|mut times| {
            times.sort();
            times[RUNS / 2].as_secs_f64() * 1e9 / (blocks_per_run * block) as f64
        })
        .collect()
}

/// Targets for the gliding bank: a new pitch every block, alternating so every block starts a
/// fresh glide.
fn glide_targets(block_index: usize) -> [f64; PARTIAL_COUNT] {
    let up = block_index.is_multiple_of(2);
    DEFAULT_FREQUENCIES_HZ.map(|hz| if up { hz * 1.5 } else { hz })
}

/// A bank rendering with `kernel`, optionally retargeting all five glides every block.
fn core_renderer<'a>(kernel: Kernel, gliding: bool) -> Renderer<'a> {
    let mut bank = PartialBank::new(SAMPLE_RATE_HZ, DEFAULT_FREQUENCIES_HZ).with_kernel(kernel);
    let mut block_index = 0;
    Box::new(move |out| {
        if gliding {
            for (index, hz) in glide_targets(block_index).into_iter().enumerate() {
                bank.glide_to(index, hz);
            }
            block_index += 1;
        }
        bank.render(out);
    })
}

/// Nanoseconds spent inside the plugin's `process`, summed by [`time_process`].
static PROCESS_NANOS: AtomicU64 = AtomicU64::new(0);

thread_local! {
    static PROCESS_STARTED: Cell<Option<Instant>> = const { Cell::new(None) };
}

/// The CLAP host's process hook: times each `process` call and nothing of the host around it.
fn time_process(starting: bool) {
    PROCESS_STARTED.with(|started| {
        if starting {
            started.set(Some(Instant::now()));
        } else if let Some(start) = started.take() {
            PROCESS_NANOS.fetch_add(start.elapsed().as_nanos() as u64, Ordering::Relaxed);
        }
    });
}

/// The middle value of `runs` (the upper one of the two middle values for an even count).
fn median(mut runs: Vec<f64>) -> f64 {
    runs.sort_by(f64::total_cmp);
    runs[runs.len() / 2]
}

/// The time one `Instant::now()` adds to an interval it closes, in nanoseconds: the median gap
/// between two back-to-back calls. Each timed `process` call carries one such cost.
fn timer_overhead_ns() -> f64 {
    median(
        (0..100_000)
            .map(|_| {
                let start = Instant::now();
                black_box(Instant::now()).duration_since(start).as_nanos() as f64
            })
            .collect(),
    )
}

/// Median nanoseconds per sample inside the plugin's `process` (stereo output, default
/// parameters, the timer's own cost subtracted) at `block` samples, hosted through CLAP,
/// interleaved with the bare core.
fn plugin_against_core(block: usize, timer_ns: f64) -> (f64, f64) {
    let mut plugin = Timed::new(QuintetHost::new(), block);
    let mut core = core_renderer(Kernel::best(), false);
    let mut core_buffer = vec![0.0f32; block];
    let blocks = SAMPLES_PER_RUN.div_ceil(block);
    let samples = (blocks * block) as f64;
    let (mut plugin_runs, mut core_runs) = (Vec::new(), Vec::new());
    for round in 0..=RUNS {
        let plugin_ns = plugin.ns_per_frame(blocks * block, block, None, timer_ns);
        let start = Instant::now();
        for _ in 0..blocks {
            core(black_box(&mut core_buffer));
        }
        let core_ns = start.elapsed().as_secs_f64() * 1e9 / samples;
        if round > 0 {
            plugin_runs.push(plugin_ns);
            core_runs.push(core_ns);
        }
    }
    (median(plugin_runs), median(core_runs))
}

fn main() {
    // `cargo bench --bench bank -- 512` measures only the block sizes given; `-- dense 16` only
    // the dense-automation table (at 16-sample blocks); `-- dense quintet 16` times Quintet alone
    // there, so a profiler sees nothing of the naive plugin (both carry nice-plug's symbols);
    // `-- engine` only the engine table and its targets.
    let chosen: Vec<usize> = std::env::args().filter_map(|a| a.parse().ok()).collect();
    if std::env::args().any(|a| a == "dense") {
        let quintet_only = std::env::args().any(|a| a == "quintet");
        print_dense_automation(timer_overhead_ns(), &chosen, quintet_only);
        return;
    }
    if std::env::args().any(|a| a == "engine") {
        let engine = print_engine(&chosen);
        println!();
        println!("Targets (engine; the voices use {:?}):", Kernel::best());
        print_engine_targets(&engine);
        return;
    }
    let wanted = |block: &usize| chosen.is_empty() || chosen.contains(block);
    let kernels = Kernel::available()
        .into_iter()
        .filter(|&kernel| kernel != Kernel::Portable)
        .collect::<Vec<_>>();

    println!(
        "Quintet DSP core: 5 partials at {SAMPLE_RATE_HZ} Hz, ns per output sample, median of \
         {RUNS} interleaved runs of {SAMPLES_PER_RUN} samples; the plugin uses {:?}",
        Kernel::best()
    );
    let mut header = format!("{:>6} {:>8} {:>7}", "block", "naive", "floor");
    for kernel in &kernels {
        header += &format!(
            " {:>14} {:>15}",
            format!("steady {kernel:?}"),
            format!("gliding {kernel:?}")
        );
    }
    println!("{header}   (× = speed-up over naive)");
    // (kernel, steady ×, gliding ×) at TARGET_BLOCK, for the targets summary.
    let mut at_target_block: Vec<(Kernel, f64, f64)> = Vec::new();
    for block in BLOCK_SIZES.into_iter().filter(wanted) {
        let mut naive = NaiveBank::new();
        let mut renderers: Vec<Renderer> = vec![
            Box::new(move |out| naive.render(out)),
            Box::new(|out| out.fill(black_box(0.25))),
        ];
        for &kernel in &kernels {
            renderers.push(core_renderer(kernel, false));
            renderers.push(core_renderer(kernel, true));
        }
        let ns = time_per_sample(block, &mut renderers);
        let mut row = format!("{block:>6} {:>8.3} {:>7.3}", ns[0], ns[1]);
        for core_ns in &ns[2..] {
            row += &format!(" {:>6.3} {:>5.1}×  ", core_ns, ns[0] / core_ns);
        }
        println!("{row}");
        if block == TARGET_BLOCK {
            for (kernel, pair) in kernels.iter().zip(ns[2..].chunks(2)) {
                at_target_block.push((*kernel, ns[0] / pair[0], ns[0] / pair[1]));
            }
        }
    }

    let timer_ns = timer_overhead_ns();
    println!();
    println!(
        "Whole plugin (release build) through a CLAP host, stereo, default parameters, against \
         the bare core ({timer_ns:.0} ns of timer cost per process call subtracted):"
    );
    println!(
        "{:>6} {:>10} {:>10} {:>12}",
        "block", "plugin ns", "core ns", "plugin/core"
    );
    let mut plugin_at_64 = None;
    for block in PLUGIN_BLOCK_SIZES.into_iter().filter(wanted) {
        let (plugin_ns, core_ns) = plugin_against_core(block, timer_ns);
        println!(
            "{block:>6} {plugin_ns:>10.3} {core_ns:>10.3} {:>11.2}×",
            plugin_ns / core_ns
        );
        if block == 64 {
            plugin_at_64 = Some(plugin_ns / core_ns);
        }
    }
    let engine = print_engine(&chosen);
    let dense = print_dense_automation(timer_ns, &chosen, false);
    print_targets(&at_target_block, plugin_at_64, &dense);
    print_engine_targets(&engine);
    print_kernels_alone(&kernels);
}

// ---- the engine: a held chord, idle voices and the drone, against one naive voice -------------

/// Block sizes for the engine table.
const ENGINE_BLOCK_SIZES: [usize; 3] = [64, 512, 4096];
/// Samples an engine renders before it is timed: 100 ms, far past the 5 ms attack, so every
/// note is in its sustain (where a held note stays: the engine never ends it).
const SETTLE_SAMPLES: usize = 4800;
/// Samples rendered for the exactness checks (1 s), in blocks of [`EXACT_BLOCK`].
const EXACT_SAMPLES: usize = 48_000;
/// Block size of the exactness checks' engines (the bare banks render in one call).
const EXACT_BLOCK: usize = 64;

/// The chord: [`MAX_VOICES`] keys three semitones apart, C2 (36) up to A5 (81).
fn chord_keys() -> impl Iterator<Item = u8> {
    (0..MAX_VOICES as u8).map(|k| 36 + 3 * k)
}

/// A voice's share of full scale at [`MAX_VOICES`] voices. The one-voice engines play at this
/// output gain, so their voice's bank multiplies by the same gain as one of 16 voices (a gain of
/// exactly 1 skips that pass): the two render the same bits with the same arithmetic, and what
/// differs is the 15 idle voices.
const SHARE_OF_16: f32 = 1.0 / MAX_VOICES as f32;

/// Settings for notes on `voices` voices at output gain `gain`.
fn notes(voices: usize, gain: f32) -> Settings {
    Settings {
        midi: true,
        voices,
        gain,
        ..Settings::default()
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
fn engine_output(engine: &mut Engine, samples: usize, block: usize) -> Vec<f32> {
    let mut out = vec![0.0; samples];
    for chunk in out.chunks_mut(block) {
        engine.render(chunk);
        engine.take_ended(|end| panic!("{end:?} ended while held"));
    }
    out
}

/// [`engine_with`] rendered past the attack, as a renderer: each call renders a block and drains
/// the ended-voice reports, counting them in `ended` (a held note never ends: it stays 0).
fn settled_engine(
    settings: Settings,
    keys: impl IntoIterator<Item = u8>,
    ended: &Cell<usize>,
) -> Renderer<'_> {
    let keys: Vec<u8> = keys.into_iter().collect();
    let mut engine = engine_with(settings, keys.iter().copied());
    engine_output(&mut engine, SETTLE_SAMPLES, SETTLE_SAMPLES);
    assert_eq!(engine.sounding().count(), keys.len(), "every note sounds");
    Box::new(move |out| {
        engine.render(out);
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
    /// One note at 1 voice (at [`SHARE_OF_16`]) against the same note at 16 voices.
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
    bank.jump_gain_to(1.0 / MAX_VOICES as f32);
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
        &mut engine_with(notes(1, SHARE_OF_16), [key]),
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
    /// One note held at 1 voice (at [`SHARE_OF_16`]: the same bits as `one_of_16`).
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
fn print_engine(chosen: &[usize]) -> (Vec<EngineRow>, Exactness) {
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
        .filter(|b| chosen.is_empty() || chosen.contains(b))
    {
        let ended = Cell::new(0);
        let mut naive = NaiveBank::new();
        let mut renderers: Vec<Renderer> = vec![
            Box::new(move |out| naive.render(out)),
            settled_engine(notes(MAX_VOICES, 1.0), chord_keys(), &ended),
            settled_engine(notes(MAX_VOICES, 1.0), [60], &ended),
            settled_engine(notes(1, SHARE_OF_16), [60], &ended),
            settled_engine(notes(1, SHARE_OF_16), [60], &ended),
            settled_engine(notes(MAX_VOICES, 1.0), [], &ended),
            Box::new(|out| out.fill(0.0)),
            settled_engine(Settings::default(), [], &ended),
            core_renderer(Kernel::best(), false),
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

// ---- dense automation: the whole plugin against a naive plugin on the same framework ----------

/// Block sizes for the dense-automation table. One-sample blocks are what hosts and the
/// framework's own splitting at events produce, so Quintet's fixed cost per `process` call is
/// what they measure.
const DENSE_BLOCK_SIZES: [usize; 4] = [1, 16, 64, 512];
/// How often the five frequency parameters each get an event, in samples (`None`: never).
const EVENT_SPACINGS: [Option<usize>; 3] = [None, Some(64), Some(16)];
/// Frames rendered between two main-thread idle calls of the host (which drain nice-plug's GUI
/// task queue, 4096 tasks, as a DAW's idle loop does).
const CHUNK_FRAMES: usize = 4096;

/// The naive baseline plugin (examples/naive_plugin.rs), built in release if it is missing.
fn naive_plugin_path() -> std::path::PathBuf {
    let exe = std::env::current_exe().expect("the bench's path");
    let release = exe
        .parent()
        .and_then(std::path::Path::parent)
        .expect("target/release/deps");
    let path = release.join("examples").join(format!(
        "{}naive_plugin{}",
        std::env::consts::DLL_PREFIX,
        std::env::consts::DLL_SUFFIX
    ));
    let status = std::process::Command::new(env!("CARGO"))
        .args([
            "build",
            "--release",
            "--example",
            "naive_plugin",
            "--manifest-path",
        ])
        .arg(concat!(env!("CARGO_MANIFEST_DIR"), "/Cargo.toml"))
        .status()
        .expect("running cargo to build the naive baseline plugin");
    assert!(status.success(), "building examples/naive_plugin.rs");
    path
}

/// One plugin hosted for the dense-automation table, with the two normalized values its five
/// frequency parameters alternate between (200–400 Hz and 1 % above: every event starts a glide).
struct Timed {
    host: QuintetHost,
    frequencies: Vec<(ClapId, [f64; 2])>,
}

impl Timed {
    fn new(mut host: QuintetHost, block: usize) -> Self {
        host.set_process_hook(time_process);
        host.activate(SAMPLE_RATE_HZ, block);
        let ids: Vec<ClapId> = host
            .params()
            .iter()
            .take(PARTIAL_COUNT)
            .map(|p| p.id)
            .collect();
        let frequencies = ids
            .into_iter()
            .zip(DEFAULT_FREQUENCIES_HZ)
            .map(|(id, hz)| {
                let mut at = |hz: f64| {
                    host.text_to_value(id, &format!("{hz:.1} Hz"))
                        .expect("a frequency the plugin parses")
                };
                (id, [at(hz), at(hz * 1.01)])
            })
            .collect();
        Self { host, frequencies }
    }

    /// Nanoseconds inside `process` per frame for `frames` frames in `block`-frame blocks, with
    /// five events every `spacing` frames. The timer's cost per call is subtracted.
    fn ns_per_frame(
        &mut self,
        frames: usize,
        block: usize,
        spacing: Option<usize>,
        timer_ns: f64,
    ) -> f64 {
        let chunk = CHUNK_FRAMES.div_ceil(block) * block;
        let before = PROCESS_NANOS.load(Ordering::Relaxed);
        let mut calls = 0;
        let mut events = Vec::new();
        let mut done = 0;
        while done < frames {
            let len = chunk.min(frames - done);
            events.clear();
            if let Some(spacing) = spacing {
                for frame in (0..len).step_by(spacing) {
                    let which = ((done + frame) / spacing) % 2;
                    for &(param, values) in &self.frequencies {
                        events.push(HostEvent::Value(ParamChange {
                            frame,
                            param,
                            normalized: values[which],
                        }));
                    }
                }
            }
            calls += len.div_ceil(block);
            black_box(self.host.render_events(blocks_of(len, block), &events));
            done += len;
        }
        let process_ns = (PROCESS_NANOS.load(Ordering::Relaxed) - before) as f64;
        (process_ns - timer_ns * calls as f64) / frames as f64
    }
}

/// Quintet and the naive plugin per block size and event spacing, ns per frame (medians of
/// interleaved runs). Returns the rows for the targets.
fn print_dense_automation(timer_ns: f64, chosen: &[usize], quintet_only: bool) -> Vec<DenseRow> {
    let naive_path = (!quintet_only).then(naive_plugin_path);
    let naive_id = c"org.quintet.naive-baseline";
    println!();
    println!(
        "Dense automation: whole plugins through a CLAP host, ns per frame (stereo), with five \
         parameter events every 64 or 16 samples; naive = examples/naive_plugin.rs on the same \
         framework:"
    );
    println!(
        "{:>6} {:>14} {:>14} {:>14} {:>12} {:>12}",
        "block", "steady Q/naive", "ev 64 Q/naive", "ev 16 Q/naive", "ev64/steady", "ev16/steady"
    );
    let mut rows = Vec::new();
    for block in DENSE_BLOCK_SIZES
        .into_iter()
        .filter(|b| chosen.is_empty() || chosen.contains(b))
    {
        // Fewer frames for small blocks: a one-sample block costs the host as much as the plugin.
        let frames = (SAMPLES_PER_RUN / 8).min(8192 * block);
        let mut quintet = Timed::new(QuintetHost::new(), block);
        let mut naive = naive_path
            .as_ref()
            // SAFETY: `naive_path` is examples/naive_plugin.rs built by cargo, a nice-plug plugin.
            .map(|path| Timed::new(unsafe { QuintetHost::load(path, naive_id) }, block));
        let mut runs = vec![Vec::new(); 2 * EVENT_SPACINGS.len()];
        for round in 0..=RUNS / 3 {
            for (k, &spacing) in EVENT_SPACINGS.iter().enumerate() {
                let q = quintet.ns_per_frame(frames, block, spacing, timer_ns);
                let n = naive.as_mut().map_or(f64::NAN, |naive| {
                    naive.ns_per_frame(frames, block, spacing, timer_ns)
                });
                if round > 0 {
                    runs[2 * k].push(q);
                    runs[2 * k + 1].push(n);
                }
            }
        }
        let medians: Vec<f64> = runs.into_iter().map(median).collect();
        let cell = |k: usize| format!("{:.1}/{:.1}", medians[2 * k], medians[2 * k + 1]);
        println!(
            "{block:>6} {:>14} {:>14} {:>14} {:>11.2}× {:>11.2}×",
            cell(0),
            cell(1),
            cell(2),
            medians[2] / medians[0],
            medians[4] / medians[0]
        );
        rows.push(DenseRow {
            block,
            quintet: [medians[0], medians[2], medians[4]],
            naive: [medians[1], medians[3], medians[5]],
        });
    }
    rows
}

/// One block size of the dense-automation table: ns per frame steady, events every 64, every 16.
struct DenseRow {
    block: usize,
    quintet: [f64; 3],
    naive: [f64; 3],
}

/// Lengths of a kernel call in [`print_kernels_alone`]: a glide segment at 48 kHz, and long.
const KERNEL_CALL_SAMPLES: [usize; 2] = [128, 4096];

/// One partial through `kernel` in calls of `call_samples`, steady or gliding: nanoseconds per
/// sample of that one partial, the median of [`RUNS`] runs.
fn kernel_alone_ns(kernel: Kernel, call_samples: usize, gliding: bool) -> f64 {
    let mut ramp = PhaseRamp {
        phase: 0,
        increment: increment_for(440.0, SAMPLE_RATE_HZ),
        // About +0.5 Hz per sample, wrapped back every call so the pitch stays put.
        slope: if gliding { 1 << 38 } else { 0 },
    };
    let start = ramp;
    let mut level = Level::steady(0.2);
    let mut buffer = vec![0.0f32; call_samples];
    let calls = SAMPLES_PER_RUN / call_samples;
    median(
        (0..=RUNS)
            .map(|_| {
                let began = Instant::now();
                for _ in 0..calls {
                    kernel.add_partial(&mut ramp, &mut level, black_box(&mut buffer));
                    ramp.increment = start.increment;
                }
                began.elapsed().as_secs_f64() * 1e9 / (calls * call_samples) as f64
            })
            .skip(1)
            .collect(),
    )
}

/// The sine kernels alone, one partial, without the bank around them: what the inner loop
/// costs, and (from the 128-sample calls) what starting a call costs, which a glide pays once
/// per segment.
fn print_kernels_alone(kernels: &[Kernel]) {
    println!();
    println!("Sine kernels alone, one partial, ns per sample of that partial (× 5 for the bank):");
    println!(
        "{:>8} {:>12} {:>14} {:>12} {:>14}",
        "kernel", "steady 128", "steady 4096", "gliding 128", "gliding 4096"
    );
    for &kernel in kernels {
        let mut row = format!("{:>8}", format!("{kernel:?}"));
        for gliding in [false, true] {
            for call in KERNEL_CALL_SAMPLES {
                let width = if call == 128 { 12 } else { 14 };
                row += &format!(" {:>width$.3}", kernel_alone_ns(kernel, call, gliding));
            }
        }
        println!("{row}");
    }
}

/// Block size the speed-up targets are stated for.
const TARGET_BLOCK: usize = 512;
/// Speed-up over naive the steady core must reach at [`TARGET_BLOCK`].
const STEADY_TARGET: f64 = 6.0;
/// Speed-up over naive the gliding core must reach at [`TARGET_BLOCK`].
const GLIDING_TARGET: f64 = 5.0;
/// Most the whole plugin may cost per sample at 64-sample blocks, relative to the bare core.
const PLUGIN_TARGET: f64 = 2.0;

/// Prints each target with each kernel's figure from this run and whether it is met.
fn print_targets(
    at_target_block: &[(Kernel, f64, f64)],
    plugin_at_64: Option<f64>,
    dense: &[DenseRow],
) {
    println!();
    println!(
        "Targets (the plugin uses {:?}; Sse2 is what a CPU without AVX2 runs):",
        Kernel::best()
    );
    for &(kernel, steady, gliding) in at_target_block {
        println!(
            "  {kernel:?}: steady {steady:.2}× at {TARGET_BLOCK} (≥ {STEADY_TARGET}×: {}), gliding \
             {gliding:.2}× (≥ {GLIDING_TARGET}×: {})",
            verdict(steady >= STEADY_TARGET),
            verdict(gliding >= GLIDING_TARGET)
        );
    }
    if let Some(ratio) = plugin_at_64 {
        println!(
            "  whole plugin at 64 samples: {ratio:.2}× the bare core (≤ {PLUGIN_TARGET}×: {})",
            verdict(ratio <= PLUGIN_TARGET)
        );
    }
    for row in dense {
        let [steady, every_64, every_16] = row.quintet;
        if row.block == 64 {
            println!(
                "  events every 64 at 64-sample blocks: {:.2}× steady (≤ {EVENTS_64_TARGET}×: {})",
                every_64 / steady,
                verdict(every_64 / steady <= EVENTS_64_TARGET)
            );
        }
        if row.block == 16 {
            println!(
                "  events every 16 at 16-sample blocks: {:.2}× steady (≤ {EVENTS_16_TARGET}×: {})",
                every_16 / steady,
                verdict(every_16 / steady <= EVENTS_16_TARGET)
            );
        }
        let slower = (0..3).filter(|&k| row.quintet[k] > row.naive[k]).count();
        println!(
            "  {}-sample blocks: never slower than the naive plugin ({}): {}",
            row.block,
            (0..3)
                .map(|k| format!("{:.2}×", row.quintet[k] / row.naive[k]))
                .collect::<Vec<_>>()
                .join(" / "),
            verdict(slower == 0)
        );
    }
}

/// "met" or "NOT met", as the targets print it.
fn verdict(met: bool) -> &'static str {
    if met { "met" } else { "NOT met" }
}

/// Most 64-sample blocks with five parameter events each may cost per frame, relative to the
/// steady plugin at the same block size.
const EVENTS_64_TARGET: f64 = 3.0;
/// The same for 16-sample blocks with five events each.
const EVENTS_16_TARGET: f64 = 4.0;
