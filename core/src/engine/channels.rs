//! Where the voices render: one channel (every sound centred, rendered once: the mono kernels)
//! or two (some sound panned: each partial meets its two gains, see [`crate::dsp::pan`]).

use std::ops::Range;

/// The output of one render call: `left` alone (mono), or `left` and `right`, as long as each
/// other.
pub struct Channels<'a> {
    pub left: &'a mut [f32],
    pub right: Option<&'a mut [f32]>,
}

impl<'a> Channels<'a> {
    /// One channel.
    pub fn mono(out: &'a mut [f32]) -> Self {
        Self {
            left: out,
            right: None,
        }
    }

    /// Two channels, as long as each other.
    pub fn stereo(left: &'a mut [f32], right: &'a mut [f32]) -> Self {
        debug_assert_eq!(left.len(), right.len());
        Self {
            left,
            right: Some(right),
        }
    }

    /// Samples per channel.
    pub fn len(&self) -> usize {
        self.left.len()
    }

    pub fn is_empty(&self) -> bool {
        self.left.is_empty()
    }

    pub fn is_stereo(&self) -> bool {
        self.right.is_some()
    }

    /// Samples `range` of each channel.
    pub fn slice(&mut self, range: Range<usize>) -> Channels<'_> {
        Channels {
            left: &mut self.left[range.clone()],
            right: self.right.as_deref_mut().map(|right| &mut right[range]),
        }
    }
}
