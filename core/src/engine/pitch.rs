//! Notes as frequencies and velocities as levels.

/// Default reach of the pitch wheel, in semitones either way (declared in [`crate::limits`]).
pub use crate::limits::DEFAULT_BEND_RANGE_SEMITONES;

/// The furthest a tuning expression may move a note, in semitones either way (CLAP allows ±120;
/// further is outside hearing anyway).
pub const MAX_TUNING_SEMITONES: f64 = 120.0;

/// The frequency of MIDI key `key` in equal temperament with A4 (key 69) at 440 Hz, moved by
/// `semitones`.
pub fn key_to_hz(key: u8, semitones: f64) -> f64 {
    440.0 * ((f64::from(key) - 69.0 + semitones) / 12.0).exp2()
}

/// The frequency of MIDI key `key` in equal temperament with A4 at 440 Hz.
pub fn note_to_hz(key: u8) -> f64 {
    key_to_hz(key, 0.0)
}

/// The name of MIDI key `key` with middle C (60) as "C4" and sharps for the black keys.
pub fn note_name(key: u8) -> String {
    const NAMES: [&str; 12] = [
        "C", "C#", "D", "D#", "E", "F", "F#", "G", "G#", "A", "A#", "B",
    ];
    let octave = i32::from(key / 12) - 1;
    format!("{}{octave}", NAMES[usize::from(key % 12)])
}

/// The level (0 ..= 1) a note-on velocity plays at. A CLAP host's velocity is a float that can
/// hold anything: every value is clamped to 0 ..= 1, so 1e30 and +inf both play at full level and
/// anything at or below 0 is silent; NaN (no usable velocity) plays at full level, as hosts that
/// know no velocity send. One rule for every value, where the note enters the engine.
pub fn playable_velocity(velocity: f32) -> f32 {
    if velocity.is_nan() {
        1.0
    } else {
        velocity.clamp(0.0, 1.0)
    }
}

/// The raw 14-bit pitch wheel value (0 ..= 16383, 8192 at rest) as the engine's position
/// 0 ..= 1, scaled separately on each side of the centre (MIDI 2.0's "min-center-max" rule):
/// 0 is exactly 0, 8192 exactly 0.5 and 16383 exactly 1, so a full bend reaches the full range
/// both ways, as it does from a host (whose 16383 is 1 too). The MIDI-file
/// renderer and the plugin (from nice-plug's position) both use it, so they bend alike.
pub fn wheel_position(value: u16) -> f32 {
    const CENTRE: u16 = 8192;
    if value <= CENTRE {
        f32::from(value) / 16384.0
    } else {
        0.5 + f32::from(value.min(16383) - CENTRE) / 16382.0
    }
}

/// A wheel position (0 ..= 1, 0.5 at rest) as a bend from -1 to 1; `None` when not finite.
pub fn wheel_to_bend(position: f32) -> Option<f64> {
    position
        .is_finite()
        .then(|| f64::from(position.clamp(0.0, 1.0)) * 2.0 - 1.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_velocity_becomes_a_level_from_0_to_1() {
        for (velocity, level) in [
            (0.5, 0.5),
            (1.0, 1.0),
            (1e30, 1.0),
            (f32::INFINITY, 1.0),
            (f32::NAN, 1.0),
            (0.0, 0.0),
            (-1.0, 0.0),
            (f32::NEG_INFINITY, 0.0),
        ] {
            assert_eq!(playable_velocity(velocity), level, "{velocity}");
        }
    }

    #[test]
    fn a4_is_440_hz_and_an_octave_doubles() {
        assert_eq!(note_to_hz(69), 440.0);
        assert_eq!(note_to_hz(81), 880.0);
        assert!((note_to_hz(60) - 261.625_565).abs() < 1e-5);
        assert!((key_to_hz(69, 2.0) - note_to_hz(71)).abs() < 1e-9);
    }

    #[test]
    fn notes_are_named_with_middle_c_as_c4() {
        assert_eq!(note_name(60), "C4");
        assert_eq!(note_name(69), "A4");
        assert_eq!(note_name(61), "C#4");
        assert_eq!(note_name(0), "C-1");
        assert_eq!(note_name(127), "G9");
    }

    #[test]
    fn the_wheel_bends_from_minus_one_to_one() {
        assert_eq!(wheel_to_bend(0.5), Some(0.0));
        assert_eq!(wheel_to_bend(1.0), Some(1.0));
        assert_eq!(wheel_to_bend(0.0), Some(-1.0));
        assert_eq!(wheel_to_bend(7.0), Some(1.0));
        assert_eq!(wheel_to_bend(f32::NAN), None);
    }

    #[test]
    fn wheel_position_is_monotonic_and_exact_at_the_ends_and_centre() {
        assert_eq!(wheel_position(0), 0.0);
        assert_eq!(wheel_position(8192), 0.5);
        assert_eq!(wheel_position(16383), 1.0);
        for value in 1..=16383 {
            assert!(wheel_position(value) > wheel_position(value - 1), "{value}");
        }
    }
}
