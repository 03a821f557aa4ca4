//! Held notes that movement alone moves (vibrato, tremolo, brightness...): rendered together
//! in the chirp lanes (see [`crate::dsp::steady::chirp::moved`]), the lanes the source of
//! truth while a voice is in them.
//!
//! A voice joins at a knot (every [`KNOT_SAMPLES`] of the engine's clock, a run start: a knot
//! spans [`KNOT_RUNS`] of the lanes' runs, each seeded afresh) when movement alone moves it
//! ([`Voice::join_chirp`]: every copy's partials as its banks have them there). From then on
//! its banks keep no time: at every knot every member gives only its movement there
//! ([`Movement::voice_knots`], all members at once: one pitch ratio, five level factors each)
//! and the lanes plan every member's span to the next knot in one pass ([`MovedLanes::aim`]),
//! exactly as a bank plans its pieces. A voice leaves at any sample (an
//! event touched it: its revision changed), or at a knot when the lanes refuse its next span
//! (a partial past [`accepts`](crate::dsp::steady::chirp::accepts)): its banks are brought
//! up to date in O(1) from the lanes ([`Voice::resume_banks`], every phase exactly where
//! rendering on them would have left it), its lanes fall silent, and it renders on its banks
//! from there. Its lanes' gap closes at the next knot.
//!
//! The caller splits its passes at run starts while any voice is moved, so that a voice
//! joins or is refused only at a pass's first sample, before the voices on their own banks
//! render: what a sample sums, and in which order, never depends on the host's blocks.
//!
//! In stereo each partial takes a lane in each channel's lanes, its amplitude times that
//! channel's pan gain, as in the steady lanes.

use super::VOICE_SLOTS;
use super::channels::Channels;
use super::movement::{Controls, KNOTS_AT_ONCE, KnotScratch, Movement, VoiceLfo};
use super::steady_voices::slots_of;
use super::voice::Voice;
use crate::dsp::PARTIAL_COUNT;
use crate::dsp::knot::{Knot, Moving};
use crate::dsp::lfo::{KNOT_RUNS, KNOT_SAMPLES};
use crate::dsp::sine::Kernel;
use crate::dsp::steady::RUN_SAMPLES;
use crate::dsp::steady::chirp::MAX_LANES;
use crate::dsp::steady::chirp::moved::MovedLanes;
use std::ops::Range;

// A bit per slot.
const _: () = assert!(VOICE_SLOTS <= 32);

// A knot spans whole runs.
const _: () = assert!(KNOT_SAMPLES == KNOT_RUNS * RUN_SAMPLES);
const _: () = assert!(VOICE_SLOTS <= KNOTS_AT_ONCE);

/// A voice in the lanes.
#[derive(Clone, Copy, Debug)]
struct Member {
    /// The voice's revision and note (its age) when it joined: a changed revision takes it
    /// out; a new note in its slot starts from its banks as they are.
    revision: u32,
    age: u64,
    /// Its lanes.
    first: u16,
    end: u16,
    /// The engine's clock at the knot where it joined.
    joined: u64,
    /// The movement's values at the current knot and the next, and the next one's number.
    knots: [Knot; 2],
    knot: u64,
    /// The voice's controls, as of the movement's revision [`ChirpVoices::controls_at`].
    controls: Controls,
    /// The voice's LFO as it joined: what the knots read, here beside the controls rather
    /// than in the `Voice` (6.6 KB apart). Only an event changes a voice's LFO (a new rate or
    /// note), and an event changes its revision, which takes it out.
    lfo: VoiceLfo,
}

impl Member {
    const NONE: Member = Member {
        revision: 0,
        age: 0,
        first: 0,
        end: 0,
        joined: 0,
        knots: [Knot::NEUTRAL; 2],
        knot: 0,
        controls: Controls::AT_REST,
        lfo: VoiceLfo::IDLE,
    };

    fn lanes(&self) -> Range<usize> {
        usize::from(self.first)..usize::from(self.end)
    }
}

/// The chirp lanes and the voices they play.
#[derive(Clone, Debug)]
pub struct ChirpVoices {
    lanes: MovedLanes,
    /// Bit `slot` set while the lanes play the voice in `slot`.
    mask: u32,
    members: [Member; VOICE_SLOTS],
    /// Samples the lanes rendered since the last knot.
    done: u32,
    /// Whether a member left since the last knot (its lanes silent, a gap).
    gaps: bool,
    /// Whether voices may join (off: every voice renders on its own banks, for comparison).
    enabled: bool,
    /// The movement's revision as of which every member's controls are its voice's (at a
    /// knot all are brought up to date at once, before any voice joins).
    controls_at: u32,
    /// Room for the members' knots (see [`Movement::voice_knots`]).
    knot_scratch: KnotScratch,
    /// The members' next knots, in the order of their slots (worked out at every knot).
    next_knots: [Knot; VOICE_SLOTS],
}

impl Default for ChirpVoices {
    fn default() -> Self {
        Self {
            lanes: MovedLanes::default(),
            mask: 0,
            members: [Member::NONE; VOICE_SLOTS],
            done: 0,
            gaps: false,
            enabled: true,
            controls_at: 0,
            knot_scratch: KnotScratch::default(),
            next_knots: [Knot::NEUTRAL; VOICE_SLOTS],
        }
    }
}

impl ChirpVoices {
    /// Whether the lanes render the voice in `slot` now.
    pub fn is_member(&self, slot: usize) -> bool {
        self.mask & 1 << slot != 0
    }

    /// The slots of the voices the lanes render now, a bit each.
    pub fn members(&self) -> u32 {
        self.mask
    }

    /// Whether voices may join (off: each renders on its own banks; the members leave at
    /// sample `clock`).
    pub fn set_enabled(&mut self, enabled: bool, voices: &mut [Voice; VOICE_SLOTS], clock: u64) {
        self.enabled = enabled;
        if !enabled {
            self.leave_all(voices, clock);
        }
    }

    /// Whether passes must end at run starts: some voice may join the lanes at one.
    pub fn wants_runs(&self, voices: &[Voice; VOICE_SLOTS]) -> bool {
        self.enabled && voices.iter().any(|v| v.is_sounding() && v.is_moved())
    }

    /// The increment partial `partial` of the first copy of the voice in `slot` plays at the
    /// next sample, while the lanes play it (its banks keep no time meanwhile).
    pub fn increment(&self, slot: usize, partial: usize) -> Option<u64> {
        let member = &self.members[slot];
        let lane = usize::from(member.first) + partial;
        self.is_member(slot)
            .then(|| self.lanes.increment(lane, self.done))
    }

    /// How many voices the lanes render now.
    #[cfg(test)]
    pub fn member_count(&self) -> u32 {
        self.mask.count_ones()
    }

    /// The knot the voice in `slot` heads for and the movement's values there, while the
    /// lanes play it.
    #[cfg(test)]
    pub fn heading(&self, slot: usize) -> Option<(u64, Knot)> {
        let member = &self.members[slot];
        self.is_member(slot)
            .then_some((member.knot, member.knots[1]))
    }

    /// Takes out every member an event touched since the last call, at sample `clock` (the
    /// call's first): its banks take it from there.
    pub fn leave_if_moved(&mut self, voices: &mut [Voice; VOICE_SLOTS], clock: u64) {
        for slot in slots_of(self.mask) {
            if voices[slot].revision() != self.members[slot].revision {
                self.leave(&mut voices[slot], slot, clock);
            }
        }
    }

    /// Takes every voice out at sample `clock` (each renders on its banks from here).
    pub fn leave_all(&mut self, voices: &mut [Voice; VOICE_SLOTS], clock: u64) {
        for slot in slots_of(self.mask) {
            self.leave(&mut voices[slot], slot, clock);
        }
    }

    /// Takes the voice in `slot` out, `done` samples after the last knot (sample `clock`):
    /// its banks resume where the lanes are, unless a new note started in its slot.
    fn leave(&mut self, voice: &mut Voice, slot: usize, clock: u64) {
        let member = self.members[slot];
        if voice.age == member.age {
            let (lanes, done) = (&self.lanes, self.done);
            voice.resume_banks(member.knot, clock - member.joined, |copy| {
                let first = usize::from(member.first) + copy * PARTIAL_COUNT;
                let moving = Moving {
                    from: member.knots[0],
                    to: member.knots[1],
                    length: KNOT_SAMPLES as u32,
                    position: done,
                    played: std::array::from_fn(|k| lanes.played(first + k, done, k)),
                };
                (
                    moving,
                    std::array::from_fn(|k| lanes.own_increment(first + k)),
                )
            });
        }
        self.drop_member(slot);
    }

    /// The lanes fall silent for the voice in `slot`, which is no member from here.
    fn drop_member(&mut self, slot: usize) {
        self.lanes.silence(self.members[slot].lanes());
        self.mask &= !(1 << slot);
        self.gaps = true;
    }

    /// At a run start, sample `clock` of the engine's clock: every member's run ends. Within a
    /// knot's span the next run goes on along the same slopes, seeded afresh. At a knot voices
    /// that can join (of the slots in `candidates`: those whose voices sounded at the render
    /// call's start and that no other lanes hold) join, every member's span to the next knot
    /// is planned from its knot, and the first run seeded; a member whose span the lanes
    /// refuse leaves.
    pub fn start_run(
        &mut self,
        voices: &mut [Voice; VOICE_SLOTS],
        candidates: u32,
        clock: u64,
        movement: &Movement,
        stereo: bool,
        kernel: Kernel,
    ) {
        if self.mask == 0 {
            self.lanes.clear(stereo);
        } else if !self.lanes.at_knot() {
            debug_assert!(
                self.done.is_multiple_of(RUN_SAMPLES as u32),
                "a run cut short"
            );
            self.lanes.finish_run(kernel);
            self.lanes.seed(kernel);
            return;
        } else {
            debug_assert_eq!(self.done, KNOT_SAMPLES as u32, "a run cut short");
            self.lanes.finish_run(kernel);
            if self.gaps {
                self.close_gaps();
            }
        }
        self.gaps = false;
        self.done = 0;
        if !self.enabled || !clock.is_multiple_of(KNOT_SAMPLES as u64) {
            return;
        }
        let members = self.mask;
        // Each member's movement at the next knot (its controls as they were unless the
        // movement changed: an event on the voice takes it out).
        if self.controls_at != movement.revision() {
            self.controls_at = movement.revision();
            for slot in slots_of(members) {
                self.members[slot].controls = voices[slot].controls(movement);
            }
        }
        let mut slots = [0; VOICE_SLOTS];
        for (entry, slot) in slots.iter_mut().zip(slots_of(members)) {
            *entry = slot;
        }
        // Every member's knot at once (see `Movement::voice_knots`).
        let slots = &slots[..members.count_ones() as usize];
        let knots = &mut self.next_knots[..slots.len()];
        let (knot, scratch) = (clock / KNOT_SAMPLES as u64 + 1, &mut self.knot_scratch);
        movement.voice_knots(kernel, knot, scratch, knots, |n| {
            let member = &self.members[slots[n]];
            (&member.lfo, &member.controls)
        });
        for (&slot, knot) in slots.iter().zip(knots.iter()) {
            self.lanes.set_knot(self.members[slot].lanes(), knot);
        }
        // Joiners: only candidates that are no member yet.
        for slot in slots_of(!members & candidates) {
            let voice = &mut voices[slot];
            if !(voice.is_sounding() && voice.is_moved()) {
                continue;
            }
            let room = self.lanes.partials() + voice.chirp_lanes() <= MAX_LANES;
            let first = self.lanes.partials();
            let Some(told) = room
                .then(|| voice.join_chirp(clock, movement, &mut self.lanes))
                .flatten()
            else {
                continue;
            };
            let end = self.lanes.partials();
            self.lanes.set_knot(first..end, &told[1]);
            self.members[slot] = Member {
                revision: voice.revision(),
                age: voice.age,
                first: first as u16,
                end: end as u16,
                joined: clock,
                knots: told,
                knot: clock / KNOT_SAMPLES as u64 + 1,
                controls: voice.controls(movement),
                lfo: *voice.lfo(),
            };
            self.mask |= 1 << slot;
        }
        let all_accepted = self.lanes.aim(kernel);
        // The members from before move on a knot (read only now, long after `voice_knots`
        // wrote them); any whose run the lanes refuse leaves, as does a refused joiner.
        for (n, &slot) in slots.iter().enumerate() {
            let member = &mut self.members[slot];
            if all_accepted || self.lanes.accept(member.lanes()) {
                member.knots = [member.knots[1], self.next_knots[n]];
                member.knot += 1;
                continue;
            }
            // Its banks at the last run's end, from where they play this run.
            let member = *member;
            let lanes = &self.lanes;
            voices[slot].resume_banks(member.knot, clock - member.joined, |copy| {
                let first = usize::from(member.first) + copy * PARTIAL_COUNT;
                let played = std::array::from_fn(|k| lanes.played_before(first + k, k));
                let moving = Moving {
                    from: member.knots[0],
                    to: member.knots[1],
                    length: KNOT_SAMPLES as u32,
                    position: KNOT_SAMPLES as u32,
                    played,
                };
                (
                    moving,
                    std::array::from_fn(|k| lanes.own_increment(first + k)),
                )
            });
            self.drop_member(slot);
        }
        if !all_accepted {
            for slot in slots_of(self.mask & !members) {
                // A voice refused as it joins has banks just told the knot: they play on.
                if !self.lanes.accept(self.members[slot].lanes()) {
                    self.drop_member(slot);
                }
            }
        }
        if self.mask != 0 {
            self.lanes.seed(kernel);
        }
    }

    /// Moves every member's lanes down over the gaps left by voices that left.
    fn close_gaps(&mut self) {
        let mut order: [(u16, usize); VOICE_SLOTS] = [(u16::MAX, 0); VOICE_SLOTS];
        for (entry, slot) in order.iter_mut().zip(slots_of(self.mask)) {
            *entry = (self.members[slot].first, slot);
        }
        let order = &mut order[..self.mask.count_ones() as usize];
        order.sort_unstable();
        let mut next = 0;
        for &(_, slot) in order.iter() {
            let member = &mut self.members[slot];
            let lanes = member.lanes();
            let count = lanes.len();
            if lanes.start != next {
                for (n, lane) in lanes.enumerate() {
                    self.lanes.move_lane(lane, next + n);
                }
            }
            member.first = next as u16;
            member.end = (next + count) as u16;
            next += count;
        }
        self.lanes.truncate(next);
    }

    /// Adds the lanes' next samples to `out` (within the run).
    pub fn render(&mut self, out: &mut Channels, kernel: Kernel) {
        if self.mask == 0 {
            return;
        }
        self.lanes
            .add_to(kernel, out.left, out.right.as_deref_mut());
        self.done += out.len() as u32;
        debug_assert!(self.done <= KNOT_SAMPLES as u32, "past the knot");
    }
}
