//! How the voices render: each voice that something moves (an attack, a release, a glide, a
//! ramp) on its own bank, the held notes that nothing moves together in the steady lanes (see
//! [`crate::dsp::steady`]); which voices the lanes render, and when they may join or must
//! leave. The engine makes one call per block, [`SteadyVoices::add_to`].
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
use super::ended::EndedVoices;
use super::voice::{VOICE_PASS_SAMPLES, Voice, VoiceScratch};
use crate::dsp::PARTIAL_COUNT;
use crate::dsp::sine::Kernel;
use crate::dsp::steady::{RUN_SAMPLES, SteadyLanes, SteadyPartial};

/// Samples each voice renders per pass (its scratch buffers stay in L1 cache).
const SCRATCH_SAMPLES: usize = VOICE_PASS_SAMPLES;

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

/// The steady lanes and their members, and what renders the voices outside them.
#[derive(Clone, Debug)]
pub struct SteadyVoices {
    lanes: SteadyLanes,
    /// Per voice slot, while the lanes render it (set through [`join`](Self::join) and
    /// [`leave`](Self::leave), which keep `mask`).
    members: [Option<Member>; VOICE_SLOTS],
    /// Bit `slot` set for each member: the slot loops of every render call visit only these.
    mask: u32,
    /// Samples the engine rendered before the current call.
    clock: u64,
    /// Whether the lanes render the members, or (too few to pay) each its own bank.
    in_lanes: bool,
    /// The lanes' kernel: the fastest this CPU runs (all give the same bits).
    kernel: Kernel,
    /// Where a voice on its own bank renders before it is added to the output.
    scratch: VoiceScratch,
}

// One bit per voice slot.
const _: () = assert!(VOICE_SLOTS <= u32::BITS as usize);

impl SteadyVoices {
    /// No member yet, its clock at the engine's first sample.
    pub fn new() -> Box<Self> {
        Box::new(Self {
            lanes: SteadyLanes::default(),
            members: [None; VOICE_SLOTS],
            mask: 0,
            clock: 0,
            in_lanes: false,
            kernel: Kernel::best(),
            scratch: VoiceScratch::default(),
        })
    }

    /// Adds the sounding `voices` to `out` (the next samples of the current render call), each
    /// that something moves on its own bank, the steady ones together in the lanes, and notes
    /// in `ended` each voice that fell silent. [`advance`](Self::advance) must follow.
    pub fn add_to(
        &mut self,
        voices: &mut [Voice; VOICE_SLOTS],
        out: &mut [f32],
        ended: &mut EndedVoices,
    ) {
        let regroup = self.leave_if_moved(voices);
        let joins = self.render_moving_voices(voices, out, ended);
        if regroup || self.has_members() {
            self.render_steady_voices(voices, out, ended, regroup, &joins);
        }
    }

    /// A render call of `samples` ended.
    pub fn advance(&mut self, samples: usize) {
        self.clock = self.clock.wrapping_add(samples as u64);
    }

    /// Takes out of the lanes every voice an event moved since the last call; whether any left.
    fn leave_if_moved(&mut self, voices: &mut [Voice; VOICE_SLOTS]) -> bool {
        let mut left = false;
        let clock = self.clock;
        for slot in self.member_slots() {
            let voice = &mut voices[slot];
            let Some(member) = &mut self.members[slot] else {
                continue;
            };
            if voice.revision() == member.revision {
                debug_assert_eq!(voice.steady(), Some(member.sound_at(clock)), "untouched");
            } else if voice.steady() == Some(member.sound_at(clock)) {
                // Told what it already had.
                member.revision = voice.revision();
            } else {
                self.leave(slot);
                left = true;
            }
        }
        left
    }

    /// Adds the voices outside the lanes to `out`, each until it ends or, at a run start, is
    /// steady: then it joins the lanes there. Returns where each joins.
    fn render_moving_voices(
        &mut self,
        voices: &mut [Voice; VOICE_SLOTS],
        out: &mut [f32],
        ended: &mut EndedVoices,
    ) -> [Option<usize>; VOICE_SLOTS] {
        let mut joins = [None; VOICE_SLOTS];
        for (slot, join) in joins.iter_mut().enumerate() {
            if voices[slot].is_sounding() && !self.is_member(slot) {
                *join = self.render_moving_voice(&mut voices[slot], slot, out, ended);
            }
        }
        joins
    }

    /// Adds `voice` (in `slot`) to `out` until it ends (`None`) or joins the lanes (where).
    fn render_moving_voice(
        &mut self,
        voice: &mut Voice,
        slot: usize,
        out: &mut [f32],
        ended: &mut EndedVoices,
    ) -> Option<usize> {
        let mut position = 0;
        while position < out.len() {
            let wait = voice.samples_before_steady();
            let mut end = out.len();
            if wait == Some(0) && self.to_run_start(position) == 0 {
                // Steady but not for the lanes (a partial too high) stays out until its next
                // event: `end` stays at the end.
                if let Some(sound) = voice.steady() {
                    let member = Member {
                        revision: voice.revision(),
                        sound,
                        at: self.clock + position as u64,
                    };
                    self.join(slot, member);
                    return Some(position);
                }
            } else if let Some(wait) = wait {
                let first = position + (wait as usize).max(1);
                end = self.run_start_from(first).min(out.len());
            }
            if self.render_voice(voice, &mut out[position..end], position, ended) {
                return None;
            }
            position = end;
        }
        None
    }

    /// Adds `voice`'s next samples to `out`, which starts at `offset` in the render call;
    /// whether it ended.
    fn render_voice(
        &mut self,
        voice: &mut Voice,
        out: &mut [f32],
        offset: usize,
        ended: &mut EndedVoices,
    ) -> bool {
        for (n, chunk) in out.chunks_mut(SCRATCH_SAMPLES).enumerate() {
            if let Some(silent_from) = voice.add_to(chunk, &mut self.scratch) {
                ended.push(voice.note, offset + n * SCRATCH_SAMPLES + silent_from);
                return true;
            }
        }
        false
    }

    /// Adds the steady voices to `out`: the members, and from each run start the voices that
    /// joined there; regrouped at the call's start if a member left. In the lanes, or each on
    /// its own bank while there are too few.
    fn render_steady_voices(
        &mut self,
        voices: &mut [Voice; VOICE_SLOTS],
        out: &mut [f32],
        ended: &mut EndedVoices,
        regroup: bool,
        joins: &[Option<usize>; VOICE_SLOTS],
    ) {
        let mut in_lanes = [0; VOICE_SLOTS];
        let any_joins = joins.iter().any(Option::is_some);
        let mut start = 0;
        let mut regroup = regroup;
        // Stretches between regroups: the members and how they render stay the same in each.
        while start < out.len() {
            regroup |= any_joins && joins.contains(&Some(start));
            if regroup {
                self.regroup(start, joins);
            }
            let mut end = out.len();
            if any_joins {
                let later = joins.iter().flatten().filter(|&&join| join > start);
                end = later.copied().fold(end, usize::min);
            }
            if self.in_lanes {
                self.render_lanes(&mut out[start..end], start, regroup);
            }
            regroup = false;
            for slot in self.member_slots() {
                if self.renders(slot, start, joins) {
                    if self.in_lanes {
                        in_lanes[slot] += end - start;
                    } else {
                        // Steady: it cannot end.
                        self.render_voice(&mut voices[slot], &mut out[start..end], start, ended);
                    }
                }
            }
            start = end;
        }
        for slot in self.member_slots() {
            if in_lanes[slot] > 0 {
                voices[slot].skip_steady(in_lanes[slot]);
            }
        }
    }

    /// Adds the lanes to `out`, which starts at `offset` in the render call, seeding them at
    /// every run start (but at the first sample if they were just `seeded` there).
    fn render_lanes(&mut self, out: &mut [f32], offset: usize, seeded: bool) {
        let mut position = 0;
        while position < out.len() {
            let to_run_start = self.to_run_start(offset + position);
            if to_run_start == 0 && !(seeded && position == 0) {
                self.seed(offset + position);
            }
            let end = match to_run_start {
                0 => position + RUN_SAMPLES,
                samples => position + samples,
            }
            .min(out.len());
            self.lanes.add_to(self.kernel, &mut out[position..end]);
            position = end;
        }
    }

    fn has_members(&self) -> bool {
        self.mask != 0
    }

    fn is_member(&self, slot: usize) -> bool {
        self.mask & 1 << slot != 0
    }

    fn join(&mut self, slot: usize, member: Member) {
        self.members[slot] = Some(member);
        self.mask |= 1 << slot;
    }

    fn leave(&mut self, slot: usize) {
        self.members[slot] = None;
        self.mask &= !(1 << slot);
    }

    /// The members' slots, lowest first.
    fn member_slots(&self) -> impl Iterator<Item = usize> + use<> {
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
    fn to_run_start(&self, position: usize) -> usize {
        let run_position = (self.clock % RUN_SAMPLES as u64) as usize;
        (RUN_SAMPLES - (run_position + position) % RUN_SAMPLES) % RUN_SAMPLES
    }

    /// The first run start at or after `position`.
    fn run_start_from(&self, position: usize) -> usize {
        position + self.to_run_start(position)
    }

    /// Rebuilds the lanes at `position` in the current call from the members that joined by
    /// then (`joins`: where in the call each joins; `None` for members from before it), and
    /// seeds them, if there are enough of them to pay (see [`MIN_PARTIALS`]); else the members
    /// render on their own until the next regroup.
    fn regroup(&mut self, position: usize, joins: &[Option<usize>; VOICE_SLOTS]) {
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
            self.seed(position);
        }
    }

    /// Seeds the lanes at `position` in the current call.
    fn seed(&mut self, position: usize) {
        let run = match self.to_run_start(position) {
            0 => RUN_SAMPLES,
            samples => samples,
        };
        self.lanes.seed(self.kernel, run);
    }

    /// Whether the member in `slot` renders from `position` in the current call, given where
    /// members join (`None` for members from before the call).
    fn renders(&self, slot: usize, position: usize, joins: &[Option<usize>; VOICE_SLOTS]) -> bool {
        self.is_member(slot) && joins[slot].is_none_or(|join| join <= position)
    }
}
