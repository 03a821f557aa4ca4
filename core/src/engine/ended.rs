//! The voices that ended since the host last asked (CLAP hosts free a voice's modulators when
//! told): a fixed list, so reporting an end on the audio thread never allocates.

use super::VOICE_SLOTS;
use super::input::NoteRef;

/// A voice that ended, for the host.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct VoiceEnd {
    pub note: NoteRef,
    /// Where in the last [`Engine::render`](super::Engine::render) it fell silent (0 for one
    /// ended by an event).
    pub sample: usize,
}

/// What fills [`EndedVoices`] beyond its count.
const NO_VOICE_END: VoiceEnd = VoiceEnd {
    note: NoteRef::without_id(0, 0),
    sample: 0,
};

/// The voices that ended since the last [`take`](Self::take).
#[derive(Clone, Debug)]
pub struct EndedVoices {
    /// The first `count` entries (the rest are stale). A block with none costs one comparison
    /// (`process` asks after every run).
    ends: [VoiceEnd; VOICE_SLOTS],
    count: usize,
}

impl Default for EndedVoices {
    fn default() -> Self {
        Self {
            ends: [NO_VOICE_END; VOICE_SLOTS],
            count: 0,
        }
    }
}

impl EndedVoices {
    /// Notes that `note` ended at `sample` of the current render call (0 for an event). Past
    /// [`VOICE_SLOTS`] ends between two takes, the rest are dropped.
    pub fn push(&mut self, note: NoteRef, sample: usize) {
        if let Some(free) = self.ends.get_mut(self.count) {
            *free = VoiceEnd { note, sample };
            self.count += 1;
        }
    }

    /// Forgets every end not yet taken.
    pub fn clear(&mut self) {
        self.count = 0;
    }

    /// Hands every end since the last call to `report`, once, in the order they happened: a
    /// host refuses an event earlier than the one before it, and voices are rendered one after
    /// another, so a voice rendered later may have ended earlier in the block. (An unstable sort
    /// allocates nothing; ends at one sample may come in any order.)
    #[inline]
    pub fn take(&mut self, report: impl FnMut(VoiceEnd)) {
        // Most blocks end no voice: a comparison, not a call (at 1-sample blocks, per sample).
        if self.count != 0 {
            self.take_some(report);
        }
    }

    fn take_some(&mut self, mut report: impl FnMut(VoiceEnd)) {
        let count = std::mem::take(&mut self.count);
        let ends = &mut self.ends[..count];
        ends.sort_unstable_by_key(|end| end.sample);
        for &end in ends.iter() {
            report(end);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ends_are_handed_over_in_the_order_they_happened() {
        let mut ended = EndedVoices::default();
        for (key, sample) in [(60, 491), (62, 391), (64, 0), (65, 391)] {
            ended.push(NoteRef::without_id(0, key), sample);
        }
        let mut samples = Vec::new();
        ended.take(|end| samples.push(end.sample));
        assert_eq!(samples, [0, 391, 391, 491]);
        ended.take(|_| panic!("each end is handed over once"));
    }
}
