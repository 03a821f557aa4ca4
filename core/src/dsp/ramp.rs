//! A linear ramp of a gain, counted in samples from the ramp's own start.

use super::steady::ramped::AmplitudeRamp;

/// A value moving linearly to a target over a fixed number of samples, then holding it exactly.
///
/// Sample `k` of the ramp is `start + k · step`, computed from `k` rather than accumulated, so the
/// result does not depend on how the samples are split into blocks.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LinearRamp {
    start: f32,
    step: f32,
    target: f32,
    /// Samples of the ramp already produced.
    position: u32,
    /// Length of the ramp in samples; `position == length` means holding `target`.
    length: u32,
}

impl LinearRamp {
    /// A ramp that holds `value`.
    pub fn holding(value: f32) -> Self {
        Self {
            start: value,
            step: 0.0,
            target: value,
            position: 0,
            length: 0,
        }
    }

    /// The value of the next sample.
    pub fn current(&self) -> f32 {
        if self.is_ramping() {
            self.start + self.position as f32 * self.step
        } else {
            self.target
        }
    }

    /// The value the ramp ends on.
    pub fn target(&self) -> f32 {
        self.target
    }

    /// Whether the value still moves.
    pub fn is_ramping(&self) -> bool {
        self.position < self.length
    }

    /// Samples until the ramp holds its target (0 when it already does).
    pub fn remaining(&self) -> u32 {
        self.length - self.position
    }

    /// Starts a new ramp from the current value to `target` over `length` samples (0 jumps).
    pub fn ramp_to(&mut self, target: f32, length: u32) {
        let start = self.current();
        *self = if length == 0 || start == target {
            Self::holding(target)
        } else {
            Self {
                start,
                step: (target - start) / length as f32,
                target,
                position: 0,
                length,
            }
        };
    }

    /// The segment under way, as the ramped steady lanes take it (holding: the target, with
    /// no step).
    pub fn segment(&self) -> AmplitudeRamp {
        if self.is_ramping() {
            AmplitudeRamp {
                start: self.start,
                step: self.step,
                position: self.position,
            }
        } else {
            AmplitudeRamp::holding(self.target)
        }
    }

    /// Advances `samples` samples rendered elsewhere (the ramped steady lanes), as
    /// [`apply`](Self::apply) would.
    pub fn skip(&mut self, samples: usize) {
        if self.is_ramping() {
            self.position += samples.min(self.remaining() as usize) as u32;
        }
    }

    /// Multiplies `samples` by the ramp's values, advancing it. Inline: at unit gain (the usual
    /// case) this is two comparisons, where a call costs more than the work (a host's 1-sample
    /// blocks render through here at every call).
    #[inline]
    pub fn apply(&mut self, samples: &mut [f32]) {
        let mut rest = samples;
        if self.is_ramping() {
            let ramped = rest.len().min((self.length - self.position) as usize);
            let (head, tail) = rest.split_at_mut(ramped);
            for (k, sample) in head.iter_mut().enumerate() {
                *sample *= self.start + (self.position + k as u32) as f32 * self.step;
            }
            self.position += ramped as u32;
            rest = tail;
        }
        if self.target != 1.0 {
            for sample in rest {
                *sample *= self.target;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ramps_linearly_then_holds_the_exact_target() {
        let mut ramp = LinearRamp::holding(1.0);
        ramp.ramp_to(0.0, 4);
        let mut samples = [1.0f32; 6];
        ramp.apply(&mut samples);
        assert_eq!(samples, [1.0, 0.75, 0.5, 0.25, 0.0, 0.0]);
        assert!(!ramp.is_ramping());
        assert_eq!(ramp.current(), 0.0);
    }

    #[test]
    fn retargeting_mid_ramp_starts_from_the_current_value() {
        let mut ramp = LinearRamp::holding(0.0);
        ramp.ramp_to(1.0, 10);
        ramp.apply(&mut [1.0; 5]);
        assert_eq!(ramp.current(), 0.5);
        ramp.ramp_to(0.0, 5);
        let mut samples = [1.0f32; 2];
        ramp.apply(&mut samples);
        assert_eq!(samples, [0.5, 0.4]);
    }
}
