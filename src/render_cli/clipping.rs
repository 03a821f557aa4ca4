//! Fixed-point samples: a float sample as 16- or 24-bit PCM, and a count of the ones full scale
//! cut. Nothing clamps Quintet's own output (a chord or a gain above 0 dB passes full scale, and
//! a float file keeps it), so a 16/24-bit render says how many samples it clipped.

/// Turns float samples into `bits`-bit integers, counting what full scale cuts.
#[derive(Clone, Copy, Debug)]
pub struct Quantizer {
    /// The integer of +1.0: 2^(bits − 1).
    full_scale: f32,
    /// Samples written beyond what the format holds.
    clipped: u64,
    /// The loudest sample seen (linear, of full scale).
    peak: f32,
}

impl Quantizer {
    /// For `bits`-bit PCM (16 or 24).
    pub fn new(bits: u16) -> Self {
        Self {
            full_scale: (1u32 << (bits - 1)) as f32,
            clipped: 0,
            peak: 0.0,
        }
    }

    /// `sample` rounded to the nearest integer the format holds (clipped to its ends).
    pub fn quantize(&mut self, sample: f32) -> i32 {
        self.peak = self.peak.max(sample.abs());
        let scaled = (sample * self.full_scale).round();
        let held = scaled.clamp(-self.full_scale, self.full_scale - 1.0);
        if held != scaled {
            self.clipped += 1;
        }
        held as i32
    }

    /// The warning for stderr when any sample clipped: how many, the peak in dBFS and what to
    /// do about it.
    pub fn report(&self) -> Option<String> {
        (self.clipped > 0).then(|| {
            let peak_db = 20.0 * self.peak.log10();
            format!(
                "{} samples clipped (peak {peak_db:+.1} dBFS); lower --gain",
                self.clipped
            )
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn samples_past_full_scale_are_held_at_its_ends_and_counted() {
        let mut pcm = Quantizer::new(16);
        assert_eq!(pcm.quantize(0.5), 16_384);
        assert_eq!(pcm.quantize(-1.0), -32_768);
        assert_eq!(pcm.quantize(32_767.0 / 32_768.0), 32_767);
        assert_eq!(pcm.report(), None, "the format's ends are held");
        assert_eq!(pcm.quantize(2.0), 32_767);
        assert_eq!(pcm.quantize(-1.5), -32_768);
        assert_eq!(
            pcm.report().as_deref(),
            Some("2 samples clipped (peak +6.0 dBFS); lower --gain")
        );
        let mut pcm = Quantizer::new(24);
        assert_eq!(pcm.quantize(-0.25), -2_097_152);
        assert_eq!(pcm.quantize(1.0), 8_388_607);
        assert!(
            pcm.report().is_some(),
            "+1.0 itself is one step past 24-bit's top"
        );
    }
}
