//! The amplitude envelope of a note: attack, decay, sustain and release as linear segments, each
//! starting from wherever the gain is, so retriggering, a steal or a change of settings mid-note
//! never jumps; the release ends in exact zeros.

use super::ramp::LinearRamp;
use super::steady::ramped::AmplitudeRamp;
use std::ops::Range;

// The defaults are declared with every other default and maximum.
pub use crate::limits::{ATTACK_MS, DECAY_MS, RELEASE_MS, SUSTAIN_LEVEL};

/// The shortest any segment of the envelope lasts, in milliseconds, whatever the settings say:
/// a gain that jumped (a 0 ms attack or release) would click. At 2 ms a full-scale note moves by
/// at most 1/96 of full scale per sample at 48 kHz — less than a 160 Hz sine at full scale
/// moves by itself — so even "0 ms everywhere" stays clean.
pub const SHORTEST_SEGMENT_MS: f64 = 2.0;

/// How long a stolen or choked note takes to fall silent, in milliseconds: as short as a segment
/// can be, so the voice is free again almost at once.
pub const FADE_OUT_MS: f64 = SHORTEST_SEGMENT_MS;

/// How long a change of the sustain level takes to reach a held note, in milliseconds.
pub const SUSTAIN_RAMP_MS: f64 = 10.0;

/// The envelope's settings as a musician sets them.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct EnvelopeShape {
    /// Rise from silence to the note's velocity, in milliseconds.
    pub attack_ms: f64,
    /// Fall from the velocity to the sustain level, in milliseconds.
    pub decay_ms: f64,
    /// The held level as a fraction of the velocity, 0 ..= 1.
    pub sustain: f32,
    /// Fall to silence after the key (or pedal) is let go, in milliseconds.
    pub release_ms: f64,
}

impl Default for EnvelopeShape {
    /// Quintet's gate before it had an envelope: 5 ms in, full sustain, 20 ms out.
    fn default() -> Self {
        Self {
            attack_ms: ATTACK_MS,
            decay_ms: DECAY_MS,
            sustain: SUSTAIN_LEVEL,
            release_ms: RELEASE_MS,
        }
    }
}

/// An [`EnvelopeShape`] in samples at one sample rate, every value made safe.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Segments {
    attack: u32,
    decay: u32,
    sustain: f32,
    release: u32,
    fade_out: u32,
    sustain_ramp: u32,
}

impl Segments {
    fn new(shape: EnvelopeShape, sample_rate_hz: f64) -> Self {
        let shortest = samples_in(SHORTEST_SEGMENT_MS, sample_rate_hz).max(1);
        let segment = |ms: f64| samples_in(ms, sample_rate_hz).max(shortest);
        Self {
            attack: segment(shape.attack_ms),
            decay: segment(shape.decay_ms),
            sustain: if shape.sustain.is_finite() {
                shape.sustain.clamp(0.0, 1.0)
            } else {
                SUSTAIN_LEVEL
            },
            release: segment(shape.release_ms),
            fade_out: shortest,
            sustain_ramp: segment(SUSTAIN_RAMP_MS),
        }
    }
}

/// `ms` milliseconds in whole samples (non-finite or negative counts as 0; at most a day).
fn samples_in(ms: f64, sample_rate_hz: f64) -> u32 {
    let samples = ms * 1e-3 * sample_rate_hz;
    if samples.is_finite() {
        samples.round().clamp(0.0, f64::from(u32::MAX / 2)) as u32
    } else {
        0
    }
}

/// Where a note's envelope is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stage {
    /// Silent: every sample it passes is zero.
    Idle,
    Attack,
    Decay,
    Sustain,
    /// Falling to silence after the key went up.
    Release,
    /// Falling to silence fast: the voice was stolen, choked or silenced.
    FadeOut,
}

/// A note's amplitude envelope (see the module documentation).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Envelope {
    gain: LinearRamp,
    stage: Stage,
    /// The level the attack rises to: the note's velocity, 0 ..= 1.
    peak: f32,
    segments: Segments,
    sample_rate_hz: f64,
}

impl Envelope {
    /// A silent envelope at `sample_rate_hz` with `shape`.
    pub fn new(sample_rate_hz: f64, shape: EnvelopeShape) -> Self {
        Self {
            gain: LinearRamp::holding(0.0),
            stage: Stage::Idle,
            peak: 0.0,
            segments: Segments::new(shape, sample_rate_hz),
            sample_rate_hz,
        }
    }

    /// Takes new settings. Times apply from the next segment on; a held note moves to a new
    /// sustain level over [`SUSTAIN_RAMP_MS`].
    pub fn set_shape(&mut self, shape: EnvelopeShape) {
        let segments = Segments::new(shape, self.sample_rate_hz);
        if segments == self.segments {
            return;
        }
        self.segments = segments;
        if self.stage == Stage::Sustain {
            self.gain
                .ramp_to(self.sustain_level(), self.segments.sustain_ramp);
        }
    }

    /// Starts (or restarts, from the current gain) the attack towards `velocity` (0 ..= 1).
    pub fn start(&mut self, velocity: f32) {
        self.peak = if velocity.is_finite() {
            velocity.clamp(0.0, 1.0)
        } else {
            1.0
        };
        self.enter(Stage::Attack);
    }

    /// The key went up: falls to silence over the release time.
    pub fn release(&mut self) {
        if !matches!(self.stage, Stage::Idle | Stage::FadeOut) {
            self.enter(Stage::Release);
        }
    }

    /// Falls to silence over [`FADE_OUT_MS`] (a steal, a choke, all sound off).
    pub fn fade_out(&mut self) {
        if self.stage != Stage::Idle {
            self.enter(Stage::FadeOut);
        }
    }

    /// Where the envelope is.
    pub fn stage(&self) -> Stage {
        self.stage
    }

    /// Whether it is silent: every sample it passes is zero until the next [`start`](Self::start).
    pub fn is_idle(&self) -> bool {
        self.stage == Stage::Idle
    }

    /// The gain while it holds a sustained note and nothing moves, until the next event.
    pub fn sustained_gain(&self) -> Option<f32> {
        (self.stage == Stage::Sustain && !self.gain.is_ramping()).then(|| self.gain.target())
    }

    /// Samples before the envelope can hold a sustained note (0 if it does), at least; `None`
    /// if it never will without a new note (released, fading, idle).
    pub fn samples_before_sustained(&self) -> Option<u32> {
        match self.stage {
            Stage::Attack | Stage::Decay | Stage::Sustain => Some(self.gain.remaining()),
            Stage::Release | Stage::FadeOut | Stage::Idle => None,
        }
    }

    /// The gain of the next sample.
    pub fn current(&self) -> f32 {
        self.gain.current()
    }

    /// Multiplies `samples` by the envelope, advancing it through its segments. Returns the
    /// number of samples before it became idle, if it did within them.
    pub fn apply(&mut self, samples: &mut [f32]) -> Option<usize> {
        self.advance(samples.len(), |gain, range| match gain {
            Some(gain) => gain.apply(&mut samples[range]),
            None => samples[range].fill(0.0),
        })
    }

    /// Advances `samples` samples rendered elsewhere (the ramped steady lanes), exactly as
    /// [`apply`](Self::apply) would. Returns the number of samples before it became idle, if
    /// it did within them.
    pub fn skip(&mut self, samples: usize) -> Option<usize> {
        self.advance(samples, |gain, range| {
            if let Some(gain) = gain {
                gain.skip(range.len());
            }
        })
    }

    /// The segment under way, and the samples left in it (0 while the gain holds: in the
    /// sustain, or idle).
    pub fn segment(&self) -> (AmplitudeRamp, u32) {
        (self.gain.segment(), self.gain.remaining())
    }

    /// Walks `len` samples through the segments: `pass` gets each stretch of one segment
    /// (`None` once idle: silence), then the next segment begins.
    #[inline(always)]
    fn advance(
        &mut self,
        len: usize,
        mut pass: impl FnMut(Option<&mut LinearRamp>, Range<usize>),
    ) -> Option<usize> {
        let mut done = 0;
        while done < len {
            if self.stage == Stage::Idle {
                pass(None, done..len);
                return Some(done);
            }
            let holding = !self.gain.is_ramping();
            let stretch = if holding {
                len - done
            } else {
                (self.gain.remaining() as usize).min(len - done)
            };
            pass(Some(&mut self.gain), done..done + stretch);
            done += stretch;
            if !self.gain.is_ramping() {
                self.segment_ended();
            }
            if holding {
                break;
            }
        }
        (self.stage == Stage::Idle).then_some(len)
    }

    /// The gain reached the end of a segment: on to the next stage.
    fn segment_ended(&mut self) {
        match self.stage {
            Stage::Attack => self.enter(Stage::Decay),
            Stage::Decay => self.stage = Stage::Sustain,
            Stage::Release | Stage::FadeOut => self.stage = Stage::Idle,
            Stage::Idle | Stage::Sustain => {}
        }
    }

    fn sustain_level(&self) -> f32 {
        self.peak * self.segments.sustain
    }

    /// Starts `stage`'s segment from the current gain.
    fn enter(&mut self, stage: Stage) {
        let (target, length) = match stage {
            Stage::Attack => (self.peak, self.segments.attack),
            Stage::Decay => (self.sustain_level(), self.segments.decay),
            Stage::Release => (0.0, self.segments.release),
            Stage::FadeOut => (0.0, self.segments.fade_out.min(self.segments.release)),
            Stage::Sustain | Stage::Idle => (self.gain.current(), 0),
        };
        self.stage = stage;
        self.gain.ramp_to(target, length);
        if !self.gain.is_ramping() {
            // Already there (a decay to full sustain, a release from silence): next stage now.
            self.segment_ended();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const RATE_HZ: f64 = 48_000.0;

    fn samples(ms: f64) -> usize {
        (ms * 1e-3 * RATE_HZ).round() as usize
    }

    fn gains(envelope: &mut Envelope, len: usize) -> Vec<f32> {
        let mut out = vec![1.0f32; len];
        envelope.apply(&mut out);
        out
    }

    fn largest_step(values: &[f32]) -> f32 {
        values
            .windows(2)
            .map(|w| (w[1] - w[0]).abs())
            .fold(0.0, f32::max)
    }

    #[test]
    fn the_default_shape_is_the_old_gate_attack_then_level() {
        let mut envelope = Envelope::new(RATE_HZ, EnvelopeShape::default());
        envelope.start(0.5);
        let out = gains(&mut envelope, 4000);
        let attack = samples(ATTACK_MS);
        assert_eq!(out[0], 0.0);
        assert!(out[..attack].windows(2).all(|w| w[1] > w[0]));
        assert!(out[attack..].iter().all(|&g| g == 0.5));
        assert!((largest_step(&out) - 0.5 / attack as f32).abs() < 1e-6);
        assert_eq!(envelope.stage(), Stage::Sustain);
    }

    #[test]
    fn attack_decay_sustain_release_in_their_times() {
        let shape = EnvelopeShape {
            attack_ms: 10.0,
            decay_ms: 50.0,
            sustain: 0.25,
            release_ms: 100.0,
        };
        let mut envelope = Envelope::new(RATE_HZ, shape);
        envelope.start(0.8);
        let (attack, decay, release) = (samples(10.0), samples(50.0), samples(100.0));
        let out = gains(&mut envelope, attack + decay + 1000);
        assert!((out[attack] - 0.8).abs() < 1e-6, "peak {}", out[attack]);
        assert!(out[attack + decay..].iter().all(|&g| g == 0.2));
        envelope.release();
        let out = gains(&mut envelope, release + 100);
        assert!(out[..release].iter().all(|&g| g > 0.0));
        assert!(out[release..].iter().all(|&g| g == 0.0));
        assert!(envelope.is_idle());
    }

    #[test]
    fn zero_times_still_take_the_shortest_segment_and_never_jump() {
        let shape = EnvelopeShape {
            attack_ms: 0.0,
            decay_ms: 0.0,
            sustain: 0.0,
            release_ms: 0.0,
        };
        let mut envelope = Envelope::new(RATE_HZ, shape);
        envelope.start(1.0);
        let mut out = gains(&mut envelope, 1000);
        envelope.start(1.0);
        out.extend(gains(&mut envelope, 50));
        envelope.release();
        out.extend(gains(&mut envelope, 500));
        let shortest = samples(SHORTEST_SEGMENT_MS) as f32;
        assert!(
            largest_step(&out) <= 1.0 / shortest + 1e-6,
            "{}",
            largest_step(&out)
        );
        assert!(envelope.is_idle());
    }

    #[test]
    fn hostile_settings_are_made_safe() {
        for value in [f64::NAN, f64::INFINITY, -1.0, 1e300] {
            let shape = EnvelopeShape {
                attack_ms: value,
                decay_ms: value,
                sustain: value as f32,
                release_ms: value,
            };
            let mut envelope = Envelope::new(RATE_HZ, shape);
            envelope.start(f32::NAN);
            let out = gains(&mut envelope, 100);
            assert!(out.iter().all(|g| g.is_finite() && (0.0..=1.0).contains(g)));
        }
    }

    #[test]
    fn retriggering_and_stealing_continue_from_the_current_gain() {
        let mut envelope = Envelope::new(RATE_HZ, EnvelopeShape::default());
        envelope.start(1.0);
        gains(&mut envelope, 1000);
        envelope.release();
        gains(&mut envelope, 480);
        let before = envelope.current();
        envelope.start(1.0);
        assert_eq!(gains(&mut envelope, 1)[0], before);
        envelope.fade_out();
        let out = gains(&mut envelope, samples(FADE_OUT_MS) + 10);
        assert!(out[0] > 0.0 && out.last() == Some(&0.0));
        assert!(envelope.is_idle());
    }

    #[test]
    fn apply_reports_the_sample_it_fell_silent_at() {
        let mut envelope = Envelope::new(RATE_HZ, EnvelopeShape::default());
        envelope.start(1.0);
        gains(&mut envelope, 1000);
        envelope.release();
        let mut out = vec![1.0f32; 2000];
        assert_eq!(envelope.apply(&mut out), Some(samples(RELEASE_MS)));
        assert_eq!(envelope.apply(&mut out), Some(0));
    }

    #[test]
    fn a_new_sustain_level_reaches_a_held_note_smoothly() {
        let mut envelope = Envelope::new(RATE_HZ, EnvelopeShape::default());
        envelope.start(1.0);
        gains(&mut envelope, 1000);
        envelope.set_shape(EnvelopeShape {
            sustain: 0.5,
            ..EnvelopeShape::default()
        });
        let out = gains(&mut envelope, 1000);
        assert!(largest_step(&out) <= 0.5 / samples(SUSTAIN_RAMP_MS) as f32 + 1e-6);
        assert_eq!(out[999], 0.5);
    }

    #[test]
    fn the_envelope_does_not_depend_on_block_sizes() {
        // The key goes up after 500 samples, wherever the blocks fall.
        let run = |blocks: &[usize]| {
            let mut envelope = Envelope::new(RATE_HZ, EnvelopeShape::default());
            envelope.start(0.8);
            let mut out = vec![1.0f32; blocks.iter().sum()];
            let (mut rest, mut done) = (&mut out[..], 0);
            for &len in blocks {
                let (head, tail) = rest.split_at_mut(len);
                envelope.apply(head);
                done += len;
                if done == 500 {
                    envelope.release();
                }
                rest = tail;
            }
            out
        };
        assert_eq!(run(&[300, 200, 1500]), run(&[1, 17, 482, 100, 118, 1282]));
    }
}
