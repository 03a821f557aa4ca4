//! Which voices the steady lanes render, and when they may join or must leave: the bookkeeping
//! that keeps the output independent of how a host slices its buffers.
//!
//! Runs of [`RUN_SAMPLES`] are counted from the engine's first sample, so they fall on the same
//! samples whatever the block sizes. A voice joins the lanes only at the start of a run, when it
//! is steady there; it leaves when an event moves it, which happens between two render calls
//! at the same sample for every slicing; every other call boundary changes nothing (the lanes'
//! recurrence carries over). What the lanes compute for a sample therefore depends on the notes
//! and events, never on the blocks.
//!
//! Fewer than three voices' partials do not pay for the lanes; the members then render on their
//! own banks, as moving voices do, until the next regroup (a join or a leave) decides again. A
//! member's bank keeps exact time either way, so it can leave the lanes at any sample.

use super::VOICE_SLOTS;
use crate::dsp::PARTIAL_COUNT;
use crate::dsp::sine::Kernel;
use crate::dsp::steady::{RUN_SAMPLES, SteadyLanes, SteadyPartial};

/// The fewest partials worth rendering in the lanes: three voices'. A group's recurrence waits
/// on its multiply and two adds every sample, so one or two groups take about as long as eight:
/// a voice or two cost less on their own banks, which render eight samples of a partial at once.
const MIN_PARTIALS: usize = 3 * PARTIAL_COUNT;

/// A voice's steady partials (see [`Voice::steady`](super::voice::Voice::steady)).
pub type SteadySound = [Option<SteadyPartial>; PARTIAL_COUNT];

/// A voice the lanes render.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Member {
    /// Its [`revision`](super::voice::Voice::revision) when last found steady.
    pub revision: u32,
    /// Its steady sound at sample `at` of the engine's clock.
    pub sound: SteadySound,
    /// Samples the engine had rendered when `sound` was taken.
    pub at: u64,
}

impl Member {
    /// Its steady sound at sample `clock` (its phases moved on; nothing else moves).
    pub fn sound_at(&self, clock: u64) -> SteadySound {
        let samples = clock.wrapping_sub(self.at);
        self.sound.map(|partial| {
            partial.map(|p| SteadyPartial {
                phase: p.phase_after(samples),
                ..p
            })
        })
    }
}

/// The steady lanes and their members.
#[derive(Clone, Debug, Default)]
pub struct SteadyVoices {
    pub lanes: SteadyLanes,
    /// Per voice slot, while the lanes render it (set through [`join`](Self::join) and
    /// [`leave`](Self::leave), which keep `mask`).
    members: [Option<Member>; VOICE_SLOTS],
    /// Bit `slot` set for each member: the slot loops of every render call visit only these.
    mask: u32,
    /// Samples the engine rendered before the current call.
    pub clock: u64,
    /// Whether the lanes render the members, or (too few to pay) each its own bank.
    pub in_lanes: bool,
}

// One bit per voice slot.
const _: () = assert!(VOICE_SLOTS <= u32::BITS as usize);

impl SteadyVoices {
    /// The member in `slot`, if it is one.
    pub fn member(&mut self, slot: usize) -> &mut Option<Member> {
        &mut self.members[slot]
    }

    pub fn has_members(&self) -> bool {
        self.mask != 0
    }

    pub fn is_member(&self, slot: usize) -> bool {
        self.mask & 1 << slot != 0
    }

    pub fn join(&mut self, slot: usize, member: Member) {
        self.members[slot] = Some(member);
        self.mask |= 1 << slot;
    }

    pub fn leave(&mut self, slot: usize) {
        self.members[slot] = None;
        self.mask &= !(1 << slot);
    }

    /// The members' slots, lowest first.
    pub fn member_slots(&self) -> impl Iterator<Item = usize> + use<> {
        let mut mask = self.mask;
        std::iter::from_fn(move || {
            (mask != 0).then(|| {
                let slot = mask.trailing_zeros() as usize;
                mask &= mask - 1;
                slot
            })
        })
    }

    /// Samples from `position` (in the current call) to the next run start, 0 if it is one.
    pub fn to_run_start(&self, position: usize) -> usize {
        let run_position = (self.clock % RUN_SAMPLES as u64) as usize;
        (RUN_SAMPLES - (run_position + position) % RUN_SAMPLES) % RUN_SAMPLES
    }

    /// The first run start at or after `position`.
    pub fn run_start_from(&self, position: usize) -> usize {
        position + self.to_run_start(position)
    }

    /// Rebuilds the lanes at `position` in the current call from the members that joined by
    /// then (`joins`: where in the call each joins; `None` for members from before it), and
    /// seeds them, if there are enough of them to pay (see [`MIN_PARTIALS`]); else the members
    /// render on their own until the next regroup.
    pub fn regroup(
        &mut self,
        kernel: Kernel,
        position: usize,
        joins: &[Option<usize>; VOICE_SLOTS],
    ) {
        self.lanes.clear();
        for slot in self.member_slots() {
            if let Some(member) = &self.members[slot]
                && joins[slot].is_none_or(|join| join <= position)
            {
                let sound = member.sound_at(self.clock + position as u64);
                for partial in sound.iter().flatten() {
                    self.lanes.push(partial);
                }
            }
        }
        self.in_lanes = self.lanes.partials() >= MIN_PARTIALS;
        if self.in_lanes {
            self.seed(kernel, position);
        }
    }

    /// Seeds the lanes at `position` in the current call.
    pub fn seed(&mut self, kernel: Kernel, position: usize) {
        let run = match self.to_run_start(position) {
            0 => RUN_SAMPLES,
            samples => samples,
        };
        self.lanes.seed(kernel, run);
    }

    /// Whether the member in `slot` renders from `position` in the current call, given where
    /// members join (`None` for members from before the call).
    pub fn renders(
        &self,
        slot: usize,
        position: usize,
        joins: &[Option<usize>; VOICE_SLOTS],
    ) -> bool {
        self.is_member(slot) && joins[slot].is_none_or(|join| join <= position)
    }

    /// A render call of `samples` ended.
    pub fn advance(&mut self, samples: usize) {
        self.clock = self.clock.wrapping_add(samples as u64);
    }
}
