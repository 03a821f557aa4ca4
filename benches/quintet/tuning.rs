//! Issue 25: a tuning is applied when a note starts (and when it is retuned), never per
//! sample, so 16 held notes under a Scala scale cost what they cost in 12-TET. Both are timed
//! interleaved with a second 12-TET engine, whose ratio to the first is the run's noise.

use crate::engine::{SETTLE_SAMPLES, chord_keys, engine_output, notes};
use crate::timing::{Renderer, SAMPLE_RATE_HZ, time_per_sample, verdict};
use quintet::engine::{Engine, MAX_VOICES, NoteInput, NoteRef};
use quintet::tuning::{KeyTable, Tuning};

/// Block sizes timed.
const BLOCK_SIZES: [usize; 2] = [64, 512];
/// Most the scale's engine may cost relative to 12-TET's.
const TARGET_RATIO: f64 = 1.05;

/// A just 5-limit scale with its 1/1 on D and A4 at 432 Hz: every key of the chord moves.
const SCALE: &str = "5-limit just\n12\n16/15\n9/8\n6/5\n5/4\n4/3\n45/32\n3/2\n8/5\n5/3\n9/5\n\
                     15/8\n2/1\n";
const MAP: &str = "12\n0\n127\n62\n69\n432.0\n12\n0\n1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\n";

/// Prints the table and the target for the block sizes `wanted` accepts.
pub fn run(wanted: impl Fn(usize) -> bool) {
    let scale = Tuning::from_files("just", SCALE.as_bytes(), Some(MAP.as_bytes()))
        .expect("the benchmark's scale");
    println!(
        "Tuning: {MAX_VOICES} held notes under a just scale against 12-TET (ns per sample, \
         median of interleaved runs)"
    );
    println!(
        "{:>6} {:>10} {:>10} {:>12} {:>8}",
        "block", "12-TET", "scale", "scale/12-TET", "noise"
    );
    let mut worst: f64 = 0.0;
    for block in BLOCK_SIZES.into_iter().filter(|&b| wanted(b)) {
        let mut renderers = [
            held_chord(&KeyTable::default()),
            held_chord(scale.table()),
            held_chord(&KeyTable::default()),
        ];
        let ns = time_per_sample(block, &mut renderers);
        let equal = (ns[0] + ns[2]) / 2.0;
        let ratio = ns[1] / equal;
        let noise = (ns[2] / ns[0] - 1.0).abs();
        worst = worst.max(ratio);
        println!(
            "{block:>6} {equal:>10.2} {:>10.2} {ratio:>12.3} {noise:>8.3}",
            ns[1]
        );
    }
    println!();
    println!("Targets (tuning):");
    println!(
        "    {MAX_VOICES} held notes under a scale: {worst:.3}× 12-TET (≤ {TARGET_RATIO}×: {})",
        verdict(worst <= TARGET_RATIO)
    );
}

/// The chord held at 16 voices under `table`, past its attack, as a renderer.
fn held_chord(table: &KeyTable) -> Renderer<'static> {
    let mut engine = Engine::new(SAMPLE_RATE_HZ, notes(MAX_VOICES, 1.0));
    engine.set_key_table(table);
    for key in chord_keys() {
        engine.handle(NoteInput::NoteOn {
            note: NoteRef::without_id(0, key),
            velocity: 1.0,
        });
    }
    engine_output(&mut engine, SETTLE_SAMPLES, SETTLE_SAMPLES);
    assert_eq!(engine.sounding().count(), MAX_VOICES, "every note sounds");
    Box::new(move |out| {
        engine.render(out);
        engine.take_ended(|end| panic!("{end:?} ended while held"));
    })
}
