//! Where a partial sits in the stereo field, and the one place its samples meet their two gains.
//!
//! The pan law is equal power normalised to unity at the centre: a pan `p` from −1 (hard left)
//! to +1 (hard right) gives θ = (p + 1)·π/4 and the gains left = √2·cos θ, right = √2·sin θ.
//! A centred partial is therefore exactly as loud on each channel as it is in mono today
//! (gains of exactly 1), and a partial panned hard left is √2 (+3 dB) louder on the left and
//! silent on the right, its power the same wherever it stands.
//!
//! A pan moves along a linear ramp of both gains over [`PAN_RAMP_MS`], so moving it does not
//! click. The mono sum (L + R)/2 of a partial at pan `p` is (cos θ + sin θ)/√2 of it: 1 at the
//! centre, 1/√2 (−3 dB) hard left or right, never a cancellation (no gain is ever negative).

use super::ramp::LinearRamp;

/// Duration of a pan change, in milliseconds (as a level's: [`LEVEL_RAMP_MS`]).
///
/// [`LEVEL_RAMP_MS`]: super::bank::LEVEL_RAMP_MS
pub const PAN_RAMP_MS: f64 = super::bank::LEVEL_RAMP_MS;

/// The left and right gains of `pan` (−1 = hard left, 0 = centre, +1 = hard right; clamped, a
/// non-finite pan is the centre) under the pan law of the module documentation. The centre is
/// exactly `[1.0, 1.0]`.
pub fn pan_gains(pan: f32) -> [f32; 2] {
    let pan = if pan.is_finite() {
        f64::from(pan.clamp(-1.0, 1.0))
    } else {
        0.0
    };
    let theta = (pan + 1.0) * std::f64::consts::FRAC_PI_4;
    let gains = [theta.cos(), theta.sin()].map(|g| (std::f64::consts::SQRT_2 * g) as f32);
    // √2·cos(π/4) is 1 within an f64 rounding, which the f32 rounding removes (tested); at the
    // ends the cosine's rounding leaves ~1e-16 where silence is meant.
    gains.map(|g| if g < 1e-7 { 0.0 } else { g })
}

/// A partial's two gains, each on its own linear ramp.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PanRamp {
    left: LinearRamp,
    right: LinearRamp,
    /// The pan the gains are at or heading to.
    target: f32,
}

impl Default for PanRamp {
    /// The centre.
    fn default() -> Self {
        Self::holding(0.0)
    }
}

impl PanRamp {
    /// Holding `pan`.
    pub fn holding(pan: f32) -> Self {
        let [left, right] = pan_gains(pan);
        Self {
            left: LinearRamp::holding(left),
            right: LinearRamp::holding(right),
            target: pan,
        }
    }

    /// Moves to `pan` over `samples` samples (0: at once).
    pub fn ramp_to(&mut self, pan: f32, samples: u32) {
        if pan == self.target {
            return;
        }
        let [left, right] = pan_gains(pan);
        self.left.ramp_to(left, samples);
        self.right.ramp_to(right, samples);
        self.target = pan;
    }

    /// The pan it is at or heading to.
    pub fn target(&self) -> f32 {
        self.target
    }

    /// The gains it holds or is heading to, left first.
    pub fn target_gains(&self) -> [f32; 2] {
        [self.left.target(), self.right.target()]
    }

    /// Samples until both gains hold their targets (0 when they do).
    pub fn remaining(&self) -> u32 {
        self.left.remaining().max(self.right.remaining())
    }

    /// Adds `samples` (one partial's, or one voice's) times the left gain to `left` and times
    /// the right gain to `right`, moving the ramps on: the one place a sound meets its two
    /// gains. All three slices are as long.
    pub fn add_to(&mut self, samples: &[f32], left: &mut [f32], right: &mut [f32]) {
        debug_assert!(samples.len() == left.len() && samples.len() == right.len());
        add_scaled(samples, &mut self.left, left);
        add_scaled(samples, &mut self.right, right);
    }
}

/// `out += samples × gain`, the gain's ramp moving on. A gain holding 1 adds the samples as
/// they are (a centred partial on either channel: the same bits as in mono).
fn add_scaled(samples: &[f32], gain: &mut LinearRamp, out: &mut [f32]) {
    if !gain.is_ramping() {
        let g = gain.target();
        if g == 1.0 {
            out.iter_mut().zip(samples).for_each(|(o, &s)| *o += s);
        } else if g != 0.0 {
            out.iter_mut().zip(samples).for_each(|(o, &s)| *o += s * g);
        }
        return;
    }
    let mut gains = [1.0f32; 64];
    for (out, samples) in out.chunks_mut(gains.len()).zip(samples.chunks(gains.len())) {
        let gains = &mut gains[..samples.len()];
        gains.fill(1.0);
        gain.apply(gains);
        for ((o, &s), &g) in out.iter_mut().zip(samples).zip(gains.iter()) {
            *o += s * g;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_centre_is_unity_on_both_sides_and_the_ends_are_root_two_on_one() {
        assert_eq!(pan_gains(0.0), [1.0, 1.0]);
        let root_two = std::f32::consts::SQRT_2;
        assert_eq!(pan_gains(-1.0), [root_two, 0.0]);
        assert_eq!(pan_gains(1.0), [0.0, root_two]);
        assert_eq!(pan_gains(-7.0), pan_gains(-1.0));
        assert_eq!(pan_gains(f32::NAN), [1.0, 1.0]);
        for pan in [-0.9f32, -0.5, -0.1, 0.3, 0.77] {
            let [l, r] = pan_gains(pan);
            let power = l * l + r * r;
            assert!((power - 2.0).abs() < 1e-6, "{pan}: {power}");
            assert!(l >= 0.0 && r >= 0.0);
        }
    }

    #[test]
    fn a_pan_move_ramps_both_gains_and_ends_exactly_on_the_new_ones() {
        let mut pan = PanRamp::holding(0.0);
        pan.ramp_to(-1.0, 100);
        let ones = [1.0f32; 150];
        let (mut left, mut right) = ([0.0f32; 150], [0.0f32; 150]);
        pan.add_to(&ones, &mut left, &mut right);
        let step = |x: &[f32]| {
            x.windows(2)
                .map(|w| (w[1] - w[0]).abs())
                .fold(0.0, f32::max)
        };
        assert!(step(&left) < 0.01 && step(&right) < 0.011);
        assert_eq!(left[0], 1.0);
        assert_eq!(left[149], std::f32::consts::SQRT_2);
        assert_eq!(right[149], 0.0);
        assert_eq!(pan.remaining(), 0);
    }
}
