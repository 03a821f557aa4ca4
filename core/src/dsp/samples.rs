//! Moving samples between buffers at any block size.

/// Samples below which [`copy_samples`] copies in place rather than through `memcpy`.
const SHORT_COPY_SAMPLES: usize = 8;

/// Copies `from` into `to` (same length). A few samples are copied in place: hosts send blocks
/// of one sample, where a call to `memcpy` costs as much as computing the sample.
#[inline]
pub fn copy_samples(from: &[f32], to: &mut [f32]) {
    if from.len() < SHORT_COPY_SAMPLES {
        for (to, from) in to.iter_mut().zip(from) {
            *to = *from;
        }
    } else {
        to.copy_from_slice(from);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn copies_every_sample_of_a_short_and_a_long_block() {
        for len in [1, 7, 8, 100] {
            let from: Vec<f32> = (0..len).map(|k| k as f32 * 0.5 - 3.0).collect();
            let mut to = vec![f32::NAN; len];
            copy_samples(&from, &mut to);
            assert_eq!(from, to, "{len} samples");
        }
    }
}
