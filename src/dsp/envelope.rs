//! The note gate of MIDI mode: a short linear attack to the note's level and a release to exact
//! silence.

use super::ramp::LinearRamp;

/// Attack time of a note, in milliseconds: short enough to feel immediate, long enough that the
/// onset adds no click (at 48 kHz the envelope moves by at most 1/240 of full scale per sample).
pub const ATTACK_MS: f64 = 5.0;

/// Release time of a note, in milliseconds. After it the output is exactly zero.
pub const RELEASE_MS: f64 = 20.0;

/// A gain that opens to a level over [`ATTACK_MS`] and closes to zero over [`RELEASE_MS`], each
/// move starting from wherever the gain is, so retriggering mid-release never jumps.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct NoteEnvelope {
    gain: LinearRamp,
    /// [`ATTACK_MS`] in samples at the sample rate (at least one).
    attack_samples: u32,
    /// [`RELEASE_MS`] in samples at the sample rate (at least one).
    release_samples: u32,
}

impl NoteEnvelope {
    /// An envelope at `sample_rate_hz` holding `level` (0 = closed, 1 = a drone at full level).
    pub fn new(sample_rate_hz: f64, level: f32) -> Self {
        let samples = |ms: f64| (ms * 1e-3 * sample_rate_hz).round().max(1.0) as u32;
        Self {
            gain: LinearRamp::holding(level),
            attack_samples: samples(ATTACK_MS),
            release_samples: samples(RELEASE_MS),
        }
    }

    /// Opens (or moves) the gate to `level` (linear, 0 ..= 1) over the attack time.
    pub fn open(&mut self, level: f32) {
        if level.is_finite() {
            self.gain
                .ramp_to(level.clamp(0.0, 1.0), self.attack_samples);
        }
    }

    /// Closes the gate: down to exact silence over the release time.
    pub fn close(&mut self) {
        self.gain.ramp_to(0.0, self.release_samples);
    }

    /// Whether the gate is shut and every sample it passes is zero.
    pub fn is_silent(&self) -> bool {
        !self.gain.is_ramping() && self.gain.target() == 0.0
    }

    /// The gain of the next sample.
    pub fn current(&self) -> f32 {
        self.gain.current()
    }

    /// Multiplies `samples` by the envelope, advancing it. Holding 1 leaves them untouched.
    pub fn apply(&mut self, samples: &mut [f32]) {
        self.gain.apply(samples);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const RATE_HZ: f64 = 48_000.0;

    #[test]
    fn attack_rises_linearly_to_the_level_in_the_attack_time() {
        let mut envelope = NoteEnvelope::new(RATE_HZ, 0.0);
        envelope.open(0.5);
        let mut samples = vec![1.0f32; 400];
        envelope.apply(&mut samples);
        let attack = (ATTACK_MS * 1e-3 * RATE_HZ) as usize;
        assert_eq!(samples[0], 0.0);
        assert!(samples[..attack].windows(2).all(|w| w[1] > w[0]));
        assert!(samples[attack..].iter().all(|&s| s == 0.5));
        let largest_step = samples.windows(2).map(|w| w[1] - w[0]).fold(0.0, f32::max);
        assert!(
            (largest_step - 0.5 / attack as f32).abs() < 1e-6,
            "{largest_step}"
        );
    }

    #[test]
    fn release_reaches_exact_zero_in_the_release_time() {
        let mut envelope = NoteEnvelope::new(RATE_HZ, 1.0);
        envelope.close();
        let release = (RELEASE_MS * 1e-3 * RATE_HZ) as usize;
        let mut samples = vec![-0.7f32; release + 100];
        envelope.apply(&mut samples);
        assert!(samples[..release].iter().all(|&s| s != 0.0));
        assert!(samples[release..].iter().all(|&s| s == 0.0));
        assert!(envelope.is_silent());
    }

    #[test]
    fn retriggering_mid_release_continues_from_the_current_gain() {
        let mut envelope = NoteEnvelope::new(RATE_HZ, 1.0);
        envelope.close();
        envelope.apply(&mut [1.0; 480]);
        let before = envelope.current();
        envelope.open(1.0);
        let mut next = [1.0f32];
        envelope.apply(&mut next);
        assert_eq!(next[0], before);
        assert!(!envelope.is_silent());
    }

    #[test]
    fn a_drone_envelope_passes_samples_through_bit_for_bit() {
        let mut envelope = NoteEnvelope::new(RATE_HZ, 1.0);
        let original = [0.25f32, -0.5, 1e-30, 0.125];
        let mut samples = original;
        envelope.apply(&mut samples);
        assert_eq!(samples, original);
    }

    #[test]
    fn the_envelope_does_not_depend_on_block_sizes() {
        let run = |blocks: &[usize]| {
            let mut envelope = NoteEnvelope::new(RATE_HZ, 0.0);
            envelope.open(0.8);
            let mut out = vec![1.0f32; blocks.iter().sum()];
            let mut rest = &mut out[..];
            for &len in blocks {
                let (head, tail) = rest.split_at_mut(len);
                envelope.apply(head);
                rest = tail;
            }
            out
        };
        assert_eq!(run(&[300]), run(&[1, 17, 64, 100, 118]));
    }
}
