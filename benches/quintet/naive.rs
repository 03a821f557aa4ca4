//! The baseline oscillator: the one most example plugins use, an `f32` phase and `f32::sin` per
//! partial per sample, playing Quintet's five default frequencies.

use crate::timing::SAMPLE_RATE_HZ;
use quintet::dsp::{DEFAULT_FREQUENCIES_HZ, PARTIAL_COUNT};

/// The usual example-plugin oscillator: an `f32` phase and `f32::sin` per partial per sample.
pub struct NaiveBank {
    phases: [f32; PARTIAL_COUNT],
    increments: [f32; PARTIAL_COUNT],
}

impl NaiveBank {
    pub fn new() -> Self {
        Self {
            phases: [0.0; PARTIAL_COUNT],
            increments: DEFAULT_FREQUENCIES_HZ.map(|hz| (hz / SAMPLE_RATE_HZ) as f32),
        }
    }

    pub fn render(&mut self, out: &mut [f32]) {
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
