//! The fade that silences a partial as it approaches Nyquist, so it never aliases.

use std::f64::consts::PI;

/// Where the fade begins, as a fraction of the sample rate. Above 0.46·fs the partial's level
/// falls along a raised cosine to silence at 0.5·fs (Nyquist). At 44.1 kHz the fade starts at
/// 20.3 kHz, so the whole 20 Hz – 20 kHz range plays at full level there and above.
pub const FADE_START_FRACTION: f64 = 0.46;

/// Gain (0 ..= 1) for a partial at `frequency_hz` when rendering at `sample_rate_hz`.
pub fn nyquist_fade(frequency_hz: f64, sample_rate_hz: f64) -> f64 {
    // The common case first, without a division: this runs once per glide segment.
    if frequency_hz <= FADE_START_FRACTION * sample_rate_hz {
        return 1.0;
    }
    let fraction = frequency_hz / sample_rate_hz;
    if fraction >= 0.5 {
        0.0
    } else {
        let progress = (fraction - FADE_START_FRACTION) / (0.5 - FADE_START_FRACTION);
        0.5 * (1.0 + (PI * progress).cos())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn full_level_below_the_band_silent_at_and_above_nyquist_monotonic_between() {
        assert_eq!(nyquist_fade(20_000.0, 44_100.0), 1.0);
        assert_eq!(nyquist_fade(24_000.0, 48_000.0), 0.0);
        assert_eq!(nyquist_fade(30_000.0, 48_000.0), 0.0);
        let mut previous = 1.0;
        for hz in (22_080..24_000).step_by(10) {
            let gain = nyquist_fade(f64::from(hz), 48_000.0);
            assert!(gain <= previous && gain >= 0.0);
            previous = gain;
        }
        assert!(previous < 1e-3);
    }
}
