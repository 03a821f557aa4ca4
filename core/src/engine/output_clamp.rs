//! The notes' last-resort clamp to full scale, and a count of the samples it changed.
//!
//! The voices' headroom keeps the notes within ±1, so a test that checks `|x| <= 1` after the
//! clamp proves nothing: the clamp would have hidden any excess. The count tells a sample the
//! clamp cut from one that never left full scale. It is kept in debug builds and the core's own
//! tests only; a release build neither counts nor pays for counting.

/// Whether [`OutputClamp`] counts (debug builds and the core's unit tests, which may run in
/// release).
const COUNTS: bool = cfg!(any(debug_assertions, test));

/// Clamps output samples to ±1 and (see [`COUNTS`]) counts the ones it changed.
#[derive(Clone, Debug, Default)]
pub struct OutputClamp {
    /// Samples beyond ±1 clamped since the engine was made (stays 0 where nothing counts).
    clamped: u64,
}

impl OutputClamp {
    /// Clamps every sample of `out` to ±1 (a NaN stays NaN).
    pub fn apply(&mut self, out: &mut [f32]) {
        for sample in out.iter_mut() {
            if COUNTS && sample.abs() > 1.0 {
                self.clamped += 1;
            }
            *sample = sample.clamp(-1.0, 1.0);
        }
    }

    /// Samples [`apply`](Self::apply) changed so far; `None` in a release build, which does
    /// not count.
    pub fn clamped_samples(&self) -> Option<u64> {
        COUNTS.then_some(self.clamped)
    }
}
