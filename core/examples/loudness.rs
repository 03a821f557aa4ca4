//! How loud one note and the drone play with the defaults, under today's level law and under the
//! 1/Voices law before it: peak in dBFS, RMS in dBFS and loudness in LUFS (ITU-R BS.1770's
//! K-weighting; a steady tone needs no gating). One C4 at full velocity on 1, 8 and 16 voices,
//! and the drone.
//!
//! `cargo run --locked -p quintet-core --example loudness`
//!
//! The engine is linear in the gain, so the old law's figures are today's scaled by the ratio of
//! the two laws' levels ([`LevelLaw::level`]), the factor the migration of old states undoes.

use quintet_core::engine::{Engine, NoteInput, NoteRef, Settings};
use quintet_core::params::LevelLaw;

const RATE_HZ: f64 = 48_000.0;

/// ITU-R BS.1770-4's K-weighting at 48 kHz: the high shelf, then the high-pass (its published
/// coefficients).
const K_WEIGHTING: [([f64; 3], [f64; 2]); 2] = [
    (
        [
            1.535_124_859_586_97,
            -2.691_696_189_406_38,
            1.198_392_810_852_85,
        ],
        [-1.690_659_293_182_41, 0.732_480_774_215_85],
    ),
    (
        [1.0, -2.0, 1.0],
        [-1.990_047_454_833_98, 0.990_072_250_366_21],
    ),
];

/// Peak (dBFS), RMS (dBFS, a full-scale sine at −3) and loudness (LUFS) of `samples` at 48 kHz.
fn measure(samples: &[f32]) -> (f64, f64, f64) {
    let peak = samples.iter().fold(0.0f32, |peak, x| peak.max(x.abs()));
    let mean_square = |x: &[f64]| x.iter().map(|x| x * x).sum::<f64>() / x.len() as f64;
    let mut weighted: Vec<f64> = samples.iter().map(|&x| f64::from(x)).collect();
    let rms = mean_square(&weighted);
    for (b, a) in K_WEIGHTING {
        let (mut x1, mut x2, mut y1, mut y2) = (0.0, 0.0, 0.0, 0.0);
        for x in &mut weighted {
            let y = b[0] * *x + b[1] * x1 + b[2] * x2 - a[0] * y1 - a[1] * y2;
            (x2, x1, y2, y1) = (x1, *x, y1, y);
            *x = y;
        }
    }
    // The filters settle in well under the first half second, which is left out.
    let settled = &weighted[weighted.len() / 4..];
    (
        20.0 * f64::from(peak).log10(),
        10.0 * rms.log10(),
        -0.691 + 10.0 * mean_square(settled).log10(),
    )
}

/// Two seconds after the attack of one C4 on `voices` voices (`None`: the drone).
fn play(voices: Option<usize>) -> Vec<f32> {
    let settings = Settings {
        midi: voices.is_some(),
        voices: voices.unwrap_or(8),
        ..Settings::default()
    };
    let mut engine = Engine::new(RATE_HZ, settings);
    engine.handle(NoteInput::NoteOn {
        note: NoteRef::without_id(0, 60),
        velocity: 1.0,
    });
    let mut out = vec![0.0f32; 2 * RATE_HZ as usize + 4_800];
    engine.render(&mut out);
    out.split_off(4_800)
}

fn main() {
    println!(
        "{:<12} {:>28} {:>28}",
        "", "1/Voices law (before)", "fixed voice level (now)"
    );
    println!(
        "{:<12} {:>8} {:>9} {:>9} {:>8} {:>9} {:>9}",
        "", "peak dB", "RMS dB", "LUFS", "peak dB", "RMS dB", "LUFS"
    );
    for voices in [Some(1), Some(8), Some(16), None] {
        let (peak, rms, lufs) = measure(&play(voices));
        let (midi, count) = (voices.is_some(), voices.unwrap_or(1) as u32);
        let old = LevelLaw::OneOverVoices.level(midi, count);
        let shift = 20.0 * (old / LevelLaw::CURRENT.level(midi, count)).log10();
        let what = voices.map_or(String::from("drone"), |v| format!("{v} voices"));
        println!(
            "{what:<12} {:>8.1} {:>9.1} {:>9.1} {peak:>8.1} {rms:>9.1} {lufs:>9.1}",
            peak + shift,
            rms + shift,
            lufs + shift
        );
    }
}
