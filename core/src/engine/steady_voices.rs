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
//! member's banks keep exact time either way, so it can leave the lanes at any sample: the
//! samples the lanes render are owed to them, one count per voice, and paid (the phases moved
//! on, an exact integer sum) when an event or a renderer next comes to them
//! ([`Voice::skip_steady`]); a call of a held chord touches no bank.
//!
//! Voices whose partials' envelopes alone move (see [`crate::dsp::steady::ramped`]) join the
//! ramped lanes at a run start and leave at the last run start before their first moving
//! segment ends, a sample the notes fix, so every join and leave falls on a run start and the
//! ramped lanes too compute the same samples whatever the blocks. They render after every
//! voice on its own bank, from each member's sound when it joined, run by run.
//!
//! Voices that movement alone moves (a held note under vibrato) can render in the chirp lanes
//! (see [`super::chirp_voices`], unless the engine switches them off): while any voice is
//! moved, passes end at run starts, where those voices join.
//!
//! In stereo each partial (of each unison copy) takes a lane in the left channel's lanes and
//! one in the right's when it is ramped, its amplitude times that channel's gain (see
//! [`crate::dsp::pan`]); held, it takes one lane of the stereo lanes, which run its recurrence
//! once and add it to each channel at that channel's gain (see [`crate::dsp::steady::stereo`]).
//! Every kernel gives the same bits either way. The engine switches between one and two
//! channels only at an event (a pan or the width moved), where every voice leaves the lanes
//! and joins them again at a run start, as after any event.

use super::VOICE_SLOTS;
use super::channels::Channels;
use super::chirp_voices::ChirpVoices;
use super::ended::EndedVoices;
use super::movement::Movement;
use super::voice::{RampedSound, SteadySound, VOICE_PASS_SAMPLES, Voice, VoiceScratch};
use crate::dsp::PARTIAL_COUNT;
use crate::dsp::sine::Kernel;
use crate::dsp::steady::ramped::RampedLanes;
use crate::dsp::steady::stereo::StereoLanes;
use crate::dsp::steady::{RUN_SAMPLES, SteadyLanes, SteadyPartial};

/// Samples each voice renders per pass (its scratch buffers stay in L1 cache), and the most
/// one pass over the voices covers (a longer render call is taken in such pieces: a call
/// boundary changes nothing, see the module documentation).
const SCRATCH_SAMPLES: usize = VOICE_PASS_SAMPLES;

/// Runs (or parts of runs) one pass over the voices can touch.
const WINDOWS: usize = SCRATCH_SAMPLES / RUN_SAMPLES + 1;

/// The shortest envelope segment a voice enters the ramped lanes for: one run. (Below 16 kHz
/// the shortest segment, 2 ms, is less than a run: such segments render on the voice's bank.)
const SHORTEST_RAMPED_SAMPLES: u32 = RUN_SAMPLES as u32;

/// The fewest partials worth rendering in the lanes: three voices'. A group's recurrence waits
/// on its multiply and two adds every sample, so one or two groups take about as long as eight:
/// a voice or two cost less on their own banks, which render eight samples of a partial at once.
const MIN_PARTIALS: usize = 3 * PARTIAL_COUNT;

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
        self.sound.after(clock.wrapping_sub(self.at))
    }
}

/// A voice the ramped lanes render, or rendered since its last event: its sound when it first
/// joined, from which its sound at any later sample follows until an event touches it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct RampedMember {
    /// Its [`revision`](super::voice::Voice::revision) when `sound` was taken.
    pub revision: u32,
    /// Its sound at sample `at` of the engine's clock.
    pub sound: RampedSound,
    pub at: u64,
}

impl RampedMember {
    /// Its sound at sample `clock`.
    fn sound_at(&self, clock: u64) -> RampedSound {
        self.sound.after(clock.wrapping_sub(self.at))
    }
}

/// Which voices the ramped lanes render in each run of the current pass.
#[derive(Clone, Copy, Debug)]
struct RampedRuns {
    /// Per run of the pass (the first may be the end of one begun before), a bit per voice slot
    /// the lanes render there. Empty between passes (each pass fills the runs it covers and
    /// [`SteadyVoices::render_ramped_lanes`] empties them).
    members: [u32; WINDOWS],
    /// Per run, whether a voice joins at its start (the lanes are rebuilt there).
    joins: [bool; WINDOWS],
}

impl RampedRuns {
    /// No voice in any run.
    const NONE: Self = Self {
        members: [0; WINDOWS],
        joins: [false; WINDOWS],
    };
}

/// The steady lanes and their members, and what renders the voices outside them.
#[derive(Clone, Debug)]
pub struct SteadyVoices {
    /// The lanes while one channel renders, and while two do (only the one in use is filled).
    lanes: SteadyLanes,
    stereo_lanes: StereoLanes,
    /// Whether the last call rendered two channels.
    stereo: bool,
    /// Per voice slot, while the lanes render it (set through [`join`](Self::join) and
    /// [`leave`](Self::leave), which keep `mask`).
    members: [Option<Member>; VOICE_SLOTS],
    /// Bit `slot` set for each member: the slot loops of every render call visit only these.
    mask: u32,
    /// Bit `slot` set for each member that joined in the current pass, at `join_at[slot]`
    /// (the others are members from before it).
    joined: u32,
    join_at: [usize; VOICE_SLOTS],
    /// Samples the engine rendered before the current call.
    clock: u64,
    /// Whether the lanes render the members, or (too few to pay) each its own bank.
    in_lanes: bool,
    /// The lanes' kernel: the fastest this CPU runs (all give the same bits).
    kernel: Kernel,
    /// Where a voice on its own bank renders before it is added to the output.
    scratch: VoiceScratch,
    /// The voices whose partials' envelopes move each on its own, while nothing else about
    /// them moves (see [`crate::dsp::steady::ramped`]): the lanes, their members' sounds,
    /// which of them each run of the pass renders, and the members the lanes hold now.
    ramped: RampedLanes,
    ramped_right: RampedLanes,
    ramped_members: [Option<RampedMember>; VOICE_SLOTS],
    /// Bit `slot` set while the voice in `slot` is in the ramped lanes.
    ramped_mask: u32,
    /// Per member, the sample of the engine's clock at which it leaves (a run start).
    ramped_until: [u64; VOICE_SLOTS],
    ramped_runs: RampedRuns,
    ramped_in_lanes: u32,
    /// The first sample of the current pass in the render call (for the ended voices' reports).
    pass_offset: usize,
    /// Bit `slot` set for each voice that sounded at the current call's start: no voice starts
    /// within a call, so only these can render in it (some may end).
    sounding: u32,
    /// The voices that movement alone moves, in the chirp lanes.
    chirp: ChirpVoices,
}

// One bit per voice slot.
const _: () = assert!(0 < VOICE_SLOTS && VOICE_SLOTS <= u32::BITS as usize);

impl SteadyVoices {
    /// No member yet, its clock at the engine's first sample.
    pub fn new() -> Box<Self> {
        Box::new(Self {
            lanes: SteadyLanes::default(),
            stereo_lanes: StereoLanes::default(),
            stereo: false,
            members: [None; VOICE_SLOTS],
            mask: 0,
            joined: 0,
            join_at: [0; VOICE_SLOTS],
            clock: 0,
            in_lanes: false,
            kernel: Kernel::best(),
            scratch: VoiceScratch::default(),
            ramped: RampedLanes::default(),
            ramped_right: RampedLanes::default(),
            ramped_members: [None; VOICE_SLOTS],
            ramped_mask: 0,
            ramped_until: [0; VOICE_SLOTS],
            ramped_runs: RampedRuns::NONE,
            ramped_in_lanes: 0,
            pass_offset: 0,
            sounding: 0,
            chirp: ChirpVoices::default(),
        })
    }

    /// Adds the sounding `voices` to `out` (the next samples of the current render call), each
    /// that something moves on its own bank, the steady ones together in the lanes, those whose
    /// partials' envelopes alone move in the ramped lanes, and notes in `ended` each voice that
    /// fell silent; the clock moves on by `out.len()`.
    pub fn add_to(
        &mut self,
        voices: &mut [Voice; VOICE_SLOTS],
        mut out: Channels,
        ended: &mut EndedVoices,
        movement: &Movement,
    ) {
        let len = out.len();
        let mut start = 0;
        // Only an event (between calls) moves a voice or starts one: the chirp lanes' members
        // are checked once a call (nothing in a call changes a member's revision but what also
        // takes it out).
        let runs = self.chirp.wants_runs(voices);
        self.sounding = sounding_slots(voices);
        self.chirp.leave_if_moved(voices, self.clock);
        while start < len {
            let mut end = (start + SCRATCH_SAMPLES).min(len);
            if runs {
                // Voices join the chirp lanes at a pass's first sample (see `chirp_voices`).
                end = end.min(start + 1 + self.to_run_start(1));
            }
            let mut out = out.slice(start..end);
            self.pass_offset = start;
            let mut regroup = self.leave_if_moved(voices);
            self.leave_ramped_if_moved(voices);
            if out.is_stereo() != self.stereo {
                regroup |= self.leave_all();
                self.chirp.leave_all(voices, self.clock);
                self.stereo = out.is_stereo();
            }
            if self.to_run_start(0) == 0 {
                // Sounding at the call's start, held by neither other lanes.
                let candidates = self.sounding & !(self.mask | self.ramped_mask);
                let (clock, stereo, kernel) = (self.clock, self.stereo, self.kernel);
                self.chirp
                    .start_run(voices, candidates, clock, movement, stereo, kernel);
            }
            self.render_moving_voices(voices, &mut out, ended, movement);
            if regroup || self.has_members() {
                self.render_steady_voices(voices, &mut out, ended, regroup, movement);
            }
            self.render_ramped_lanes(&mut out);
            self.chirp.render(&mut out, self.kernel);
            self.advance(out.len());
            start = end;
        }
    }

    /// Lets voices under movement alone join the chirp lanes (on) or not (each renders on its
    /// own banks), for comparison.
    pub fn set_chirp_lanes(&mut self, on: bool, voices: &mut [Voice; VOICE_SLOTS]) {
        self.chirp.set_enabled(on, voices, self.clock);
    }

    /// The increment partial `partial` of the voice in `slot` plays at the next sample, if the
    /// chirp lanes play it (see [`ChirpVoices::increment`]).
    pub fn chirp_increment(&self, slot: usize, partial: usize) -> Option<u64> {
        self.chirp.increment(slot, partial)
    }

    /// How many voices the chirp lanes render now.
    #[cfg(test)]
    pub fn chirp_voices(&self) -> u32 {
        self.chirp.member_count()
    }

    /// The knot the voice in `slot` heads for in the chirp lanes, and its values (see
    /// [`ChirpVoices::heading`]).
    #[cfg(test)]
    pub fn chirp_heading(&self, slot: usize) -> Option<(u64, crate::dsp::knot::Knot)> {
        self.chirp.heading(slot)
    }

    /// How many voices the steady lanes hold.
    #[cfg(test)]
    pub fn member_count(&self) -> u32 {
        self.mask.count_ones()
    }

    /// Takes every voice out of both lanes (they render on their own banks until they join
    /// again, the lanes then filled for the channels rendered); whether any left the steady
    /// lanes.
    fn leave_all(&mut self) -> bool {
        let any = self.has_members();
        for slot in self.member_slots() {
            self.leave(slot);
        }
        for slot in slots_of(self.ramped_mask) {
            self.ramped_members[slot] = None;
            self.leave_ramped(slot);
        }
        any
    }

    /// A render call of `samples` ended without a voice sounding.
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
    /// steady: then it joins the lanes there (noted in `joined` and `join_at`). Voices whose
    /// envelopes alone move spend the runs they can in the ramped lanes (recorded in
    /// `ramped_runs`, kept time for here; the lanes render them after every voice rendered on
    /// its own).
    fn render_moving_voices(
        &mut self,
        voices: &mut [Voice; VOICE_SLOTS],
        out: &mut Channels,
        ended: &mut EndedVoices,
        movement: &Movement,
    ) {
        self.joined = 0;
        // Neither lanes' members (the chirp lanes render theirs apart), of the voices that
        // sounded at the call's start.
        for slot in slots_of(!(self.mask | self.chirp.members()) & self.sounding) {
            if voices[slot].is_sounding() {
                let voice = &mut voices[slot];
                let from = if self.is_ramped(slot) {
                    self.stay_ramped(voice, slot, 0, out.len(), ended)
                } else {
                    Some(0)
                };
                if let Some(from) = from
                    && let Some(join) =
                        self.render_moving_voice(voice, slot, out, from, ended, movement)
                {
                    self.join_at[slot] = join;
                    self.joined |= 1 << slot;
                }
            }
        }
    }

    /// Adds `voice` (in `slot`) to `out` from `from` until it ends (`None`) or joins the lanes
    /// (where).
    fn render_moving_voice(
        &mut self,
        voice: &mut Voice,
        slot: usize,
        out: &mut Channels,
        from: usize,
        ended: &mut EndedVoices,
        movement: &Movement,
    ) -> Option<usize> {
        let mut position = from;
        while position < out.len() {
            let at_run_start = self.to_run_start(position) == 0;
            let mut steady_wait = voice.samples_before_steady();
            if at_run_start && steady_wait == Some(0) {
                if let Some(sound) = voice.steady() {
                    let member = Member {
                        revision: voice.revision(),
                        sound,
                        at: self.clock + position as u64,
                    };
                    self.join(slot, member);
                    return Some(position);
                }
                // Steady but not for the lanes (a partial too high): not before its next event.
                steady_wait = None;
            }
            let ramped_wait = voice.samples_before_ramped(SHORTEST_RAMPED_SAMPLES);
            if at_run_start
                && ramped_wait == Some(0)
                && let Some(sound) = voice.ramped()
            {
                self.join_ramped(voice.revision(), slot, sound, position);
                match self.stay_ramped(voice, slot, position, out.len(), ended) {
                    Some(left) => {
                        position = left;
                        continue;
                    }
                    None => return None,
                }
            }
            // Render up to the first run start where it may join either lanes.
            let wait = [steady_wait, ramped_wait].into_iter().flatten().min();
            let end = wait.map_or(out.len(), |wait| {
                let first = position + (wait as usize).max(1);
                self.run_start_from(first).min(out.len())
            });
            if self.render_voice(voice, out.slice(position..end), position, ended, movement) {
                return None;
            }
            position = end;
        }
        None
    }

    /// Records that the ramped lanes render `voice` (in `slot`, a member) from `from` until it
    /// leaves or `len`, and keeps its time. Returns where it left (its bank renders it from
    /// there); `None` if it stays, or fell silent at its leaving sample (reported in `ended`).
    fn stay_ramped(
        &mut self,
        voice: &mut Voice,
        slot: usize,
        from: usize,
        len: usize,
        ended: &mut EndedVoices,
    ) -> Option<usize> {
        let until = self.ramped_until[slot].wrapping_sub(self.clock);
        let end = usize::try_from(until).unwrap_or(usize::MAX).min(len);
        if from < end {
            let runs = self.run_of(from)..=self.run_of(end - 1);
            for members in &mut self.ramped_runs.members[runs] {
                *members |= 1 << slot;
            }
        }
        let silent = voice.skip_ramped(end - from);
        if silent {
            ended.push(voice.note, self.pass_offset + end);
        }
        if silent || end == until as usize {
            self.leave_ramped(slot);
        }
        (!silent && end == until as usize).then_some(end)
    }

    /// Adds `voice`'s next samples to `out`, which starts at `offset` in the render call;
    /// whether it ended.
    fn render_voice(
        &mut self,
        voice: &mut Voice,
        mut out: Channels,
        offset: usize,
        ended: &mut EndedVoices,
        movement: &Movement,
    ) -> bool {
        let len = out.len();
        for start in (0..len).step_by(SCRATCH_SAMPLES) {
            let chunk = out.slice(start..(start + SCRATCH_SAMPLES).min(len));
            let clock = self.clock + (offset + start) as u64;
            if let Some(silent_from) = voice.add_to(chunk, &mut self.scratch, clock, movement) {
                let sample = self.pass_offset + offset + start + silent_from;
                ended.push(voice.note, sample);
                return true;
            }
        }
        false
    }

    /// Adds the steady voices to `out`: the members, and from each run start the voices that
    /// joined there; regrouped at the call's start if a member left. In the lanes (each
    /// member's banks then owe the samples: see [`Voice::skip_steady`]), or each on its own
    /// bank while there are too few.
    fn render_steady_voices(
        &mut self,
        voices: &mut [Voice; VOICE_SLOTS],
        out: &mut Channels,
        ended: &mut EndedVoices,
        regroup: bool,
        movement: &Movement,
    ) {
        let mut start = 0;
        let mut regroup = regroup;
        // Stretches between regroups: the members and how they render stay the same in each.
        while start < out.len() {
            let mut end = out.len();
            for slot in slots_of(self.joined) {
                let join = self.join_at[slot];
                regroup |= join == start;
                if join > start {
                    end = end.min(join);
                }
            }
            if regroup {
                self.regroup(start);
            }
            if self.in_lanes {
                self.render_lanes(out.slice(start..end), start, regroup);
            }
            regroup = false;
            for slot in slots_of(self.rendering(start)) {
                let voice = &mut voices[slot];
                if self.in_lanes {
                    voice.skip_steady(end - start);
                } else {
                    // Steady: it cannot end.
                    self.render_voice(voice, out.slice(start..end), start, ended, movement);
                }
            }
            start = end;
        }
    }

    /// Adds the lanes to `out`, which starts at `offset` in the render call, seeding them at
    /// every run start (but at the first sample if they were just `seeded` there).
    fn render_lanes(&mut self, mut out: Channels, offset: usize, seeded: bool) {
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
            let run = out.slice(position..end);
            match run.right {
                Some(right) => self.stereo_lanes.add_to(self.kernel, run.left, right),
                None => self.lanes.add_to(self.kernel, run.left),
            }
            position = end;
        }
    }

    /// Adds the ramped lanes to `out` run by run, rebuilt wherever the voices they render
    /// change (a voice joins or leaves), else seeded at every run start. Leaves `ramped_runs`
    /// empty for the next pass.
    fn render_ramped_lanes(&mut self, out: &mut Channels) {
        let runs = self.run_of(out.len() - 1) + 1;
        if self.ramped_in_lanes == 0 && self.ramped_runs.members[..runs].iter().all(|&m| m == 0) {
            // A voice may have joined for no sample (it left where it joined).
            self.ramped_runs.joins[..runs].fill(false);
            return;
        }
        let RampedRuns { members, joins } =
            std::mem::replace(&mut self.ramped_runs, RampedRuns::NONE);
        for run in 0..runs {
            let start = (run * RUN_SAMPLES).saturating_sub(self.run_position());
            let end = ((run + 1) * RUN_SAMPLES - self.run_position()).min(out.len());
            if members[run] != self.ramped_in_lanes || joins[run] {
                self.rebuild_ramped(members[run], start);
            } else if members[run] != 0 && self.to_run_start(start) == 0 {
                self.ramped.seed(self.kernel, RUN_SAMPLES);
                if self.stereo {
                    self.ramped_right.seed(self.kernel, RUN_SAMPLES);
                }
            }
            let run = out.slice(start..end);
            self.ramped.add_to(self.kernel, run.left);
            if let Some(right) = run.right {
                self.ramped_right.add_to(self.kernel, right);
            }
        }
    }

    /// Fills the ramped lanes with the voices in `members` (a bit per slot) as they are at
    /// `position` in the pass, and seeds them there.
    fn rebuild_ramped(&mut self, members: u32, position: usize) {
        self.ramped.clear();
        self.ramped_right.clear();
        self.ramped_in_lanes = members;
        let clock = self.clock + position as u64;
        for slot in slots_of(members) {
            if let Some(member) = &self.ramped_members[slot] {
                for (partial, ramp, pans) in member.sound_at(clock).lanes() {
                    push_panned(&partial, pans, self.stereo, |channel, partial| {
                        [&mut self.ramped, &mut self.ramped_right][channel].push(partial, ramp)
                    });
                }
            }
        }
        if members != 0 {
            let run = match self.to_run_start(position) {
                0 => RUN_SAMPLES,
                samples => samples,
            };
            self.ramped.seed(self.kernel, run);
            if self.stereo {
                self.ramped_right.seed(self.kernel, run);
            }
        }
    }

    /// Takes out of the ramped lanes every voice an event moved since the last pass.
    fn leave_ramped_if_moved(&mut self, voices: &mut [Voice; VOICE_SLOTS]) {
        for slot in slots_of(self.ramped_mask) {
            let voice = &mut voices[slot];
            let Some(member) = &mut self.ramped_members[slot] else {
                continue;
            };
            if voice.revision() != member.revision {
                if voice.ramped() == Some(member.sound_at(self.clock)) {
                    // Told what it already had.
                    member.revision = voice.revision();
                } else {
                    self.ramped_members[slot] = None;
                    self.leave_ramped(slot);
                }
            }
        }
    }

    /// `slot`'s voice, `sound` at `position` of the pass, joins the ramped lanes there (a run
    /// start) until the run start at or before the end of its first moving envelope's segment.
    /// Its sound from before is kept if no event touched it since (the lanes may still render
    /// it earlier in the pass).
    fn join_ramped(&mut self, revision: u32, slot: usize, sound: RampedSound, position: usize) {
        let at = self.clock + position as u64;
        let holds = sound.holds().unwrap_or(0) as u64;
        self.ramped_until[slot] = at + holds / RUN_SAMPLES as u64 * RUN_SAMPLES as u64;
        if self.ramped_members[slot].is_none_or(|member| member.revision != revision) {
            self.ramped_members[slot] = Some(RampedMember {
                revision,
                sound,
                at,
            });
        }
        self.ramped_mask |= 1 << slot;
        self.ramped_runs.joins[self.run_of(position)] = true;
    }

    /// Voices the steady lanes render now (not counting members too few to pay, which render
    /// on their banks).
    #[cfg(test)]
    pub fn lane_voices(&self) -> u32 {
        if self.in_lanes {
            self.mask.count_ones()
        } else {
            0
        }
    }

    /// Voices in the ramped lanes now.
    #[cfg(test)]
    pub fn ramped_voices(&self) -> u32 {
        self.ramped_mask.count_ones()
    }

    /// Renders the lanes with `kernel` (every kernel gives the same bits).
    #[cfg(test)]
    pub fn set_kernel(&mut self, kernel: Kernel) {
        self.kernel = kernel;
    }

    fn leave_ramped(&mut self, slot: usize) {
        self.ramped_mask &= !(1 << slot);
    }

    fn is_ramped(&self, slot: usize) -> bool {
        self.ramped_mask & 1 << slot != 0
    }

    /// Samples of the current run rendered before this pass.
    fn run_position(&self) -> usize {
        (self.clock % RUN_SAMPLES as u64) as usize
    }

    /// The run of the pass `position` falls in (0: the one under way at its start).
    fn run_of(&self, position: usize) -> usize {
        (self.run_position() + position) / RUN_SAMPLES
    }

    fn has_members(&self) -> bool {
        self.mask != 0
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
        slots_of(self.mask)
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

    /// Rebuilds the lanes at `position` in the current pass from the members that joined by
    /// then, and seeds them, if there are enough of them to pay (see [`MIN_PARTIALS`]); else
    /// the members render on their own until the next regroup.
    fn regroup(&mut self, position: usize) {
        self.lanes.clear();
        self.stereo_lanes.clear();
        for slot in slots_of(self.rendering(position)) {
            if let Some(member) = &self.members[slot] {
                let sound = member.sound_at(self.clock + position as u64);
                for (partial, pans) in sound.lanes() {
                    if self.stereo {
                        self.stereo_lanes.push(&partial, pans);
                    } else {
                        push_panned(&partial, pans, false, |_, partial| self.lanes.push(partial));
                    }
                }
            }
        }
        let partials = self.lanes.partials() + self.stereo_lanes.partials();
        self.in_lanes = partials >= MIN_PARTIALS;
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
        if self.stereo {
            self.stereo_lanes.seed(self.kernel, run);
        } else {
            self.lanes.seed(self.kernel, run);
        }
    }

    /// The members that render from `position` in the current pass, a bit per slot: those
    /// from before it and those that joined by then.
    fn rendering(&self, position: usize) -> u32 {
        let later = slots_of(self.joined).filter(|&slot| self.join_at[slot] > position);
        later.fold(self.mask, |members, slot| members & !(1 << slot))
    }
}

/// Hands `push` the lanes `partial` takes: channel 0 (the left, or the only one) at its left
/// gain, and in `stereo` channel 1 at its right gain. A gain of 1 (a centred partial) leaves
/// the amplitude's bits as they are.
fn push_panned(
    partial: &SteadyPartial,
    pans: [f32; 2],
    stereo: bool,
    mut push: impl FnMut(usize, &SteadyPartial),
) {
    for (channel, gain) in pans.into_iter().enumerate().take(1 + usize::from(stereo)) {
        let panned = SteadyPartial {
            amplitude: partial.amplitude * gain,
            ..*partial
        };
        push(channel, &panned);
    }
}

/// The slots whose bits `mask` sets, lowest first.
/// A bit for each slot whose voice sounds.
fn sounding_slots(voices: &[Voice; VOICE_SLOTS]) -> u32 {
    (voices.iter().enumerate()).fold(0, |mask, (slot, voice)| {
        mask | u32::from(voice.is_sounding()) << slot
    })
}

pub(super) fn slots_of(mut mask: u32) -> impl Iterator<Item = usize> {
    std::iter::from_fn(move || {
        (mask != 0).then(|| {
            let slot = mask.trailing_zeros() as usize;
            mask &= mask - 1;
            slot
        })
    })
}
