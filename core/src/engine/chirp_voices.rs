//! Held notes that movement alone moves (vibrato, tremolo, brightness...): rendered together
//! in the chirp lanes (see [`crate::dsp::steady::chirp`]), a run at a time.
//!
//! At every run start (a knot: runs and knots are the same [`RUN_SAMPLES`] grid of the
//! engine's clock) each sounding voice whose only motion is its movement hands over its next
//! run ([`Voice::moved_run`]: every copy's partials as pieces from this knot to the next, the
//! values its banks would play) and the lanes are filled from those pieces and seeded. The
//! voice's banks keep exact time as the lanes render ([`Voice::skip_moved_run`]), so the lanes
//! hold no state of their own past a run: a voice can leave at any sample (an event touched
//! it, its revision changed; its lanes are silenced and its banks carry on from there), and
//! one the lanes refuse (a glide of its own, a release, a partial past
//! [`accepts`](crate::dsp::steady::chirp::accepts)) simply renders that run on its banks.
//!
//! The caller splits its passes at run starts while any voice is moved, so that a voice
//! joins or is refused only at a pass's first sample, before the voices on their own banks
//! render: what a sample sums, and in which order, never depends on the host's blocks.
//!
//! In stereo each partial takes a lane in each channel's lanes, its amplitude times that
//! channel's pan gain, as in the steady lanes.

use super::VOICE_SLOTS;
use super::channels::Channels;
use super::movement::Movement;
use super::voice::{ChirpSound, Voice};
use crate::dsp::lfo::KNOT_SAMPLES;
use crate::dsp::sine::Kernel;
use crate::dsp::steady::RUN_SAMPLES;
use crate::dsp::steady::chirp::{ChirpLanes, ChirpPartial};

// A run is the span between two knots.
const _: () = assert!(KNOT_SAMPLES == RUN_SAMPLES);

/// The chirp lanes and the voices they render in the current run.
#[derive(Clone, Debug)]
pub struct ChirpVoices {
    /// The lanes, the left channel's in stereo, and the right channel's (the same pieces at
    /// their right gains).
    lanes: ChirpLanes,
    lanes_right: ChirpLanes,
    /// Bit `slot` set while the lanes render the voice in `slot` this run.
    mask: u32,
    /// Per member, its revision when it joined the run, and the lanes it took.
    revisions: [u32; VOICE_SLOTS],
    lanes_of: [(u16, u16); VOICE_SLOTS],
    /// Where each voice writes its run (scratch).
    sound: ChirpSound,
    /// Whether voices may join (off: every voice renders on its own banks). Off by default:
    /// through the engine the lanes cost as much as the voices' own banks so far (each voice's
    /// banks plan and keep time for every run besides; see docs/PERFORMANCE.md).
    enabled: bool,
}

impl Default for ChirpVoices {
    fn default() -> Self {
        Self {
            lanes: ChirpLanes::default(),
            lanes_right: ChirpLanes::default(),
            mask: 0,
            revisions: [0; VOICE_SLOTS],
            lanes_of: [(0, 0); VOICE_SLOTS],
            sound: ChirpSound::SILENT,
            enabled: false,
        }
    }
}

impl ChirpVoices {
    /// Whether the lanes render the voice in `slot` now.
    pub fn is_member(&self, slot: usize) -> bool {
        self.mask & 1 << slot != 0
    }

    /// Whether voices may join (off: each renders on its own banks).
    pub fn set_enabled(&mut self, enabled: bool) {
        self.enabled = enabled;
        if !enabled {
            self.leave_all();
        }
    }

    /// Whether passes must end at run starts: some voice may join the lanes at one.
    pub fn wants_runs(&self, voices: &[Voice; VOICE_SLOTS]) -> bool {
        self.enabled && voices.iter().any(|v| v.is_sounding() && v.is_moved())
    }

    /// How many voices the lanes render now.
    #[cfg(test)]
    pub fn member_count(&self) -> u32 {
        self.mask.count_ones()
    }

    /// Takes out every member an event touched since the last pass: its lanes fall silent and
    /// its banks render it from here.
    pub fn leave_if_moved(&mut self, voices: &[Voice; VOICE_SLOTS]) {
        let mut members = self.mask;
        while members != 0 {
            let slot = members.trailing_zeros() as usize;
            members &= members - 1;
            if voices[slot].revision() != self.revisions[slot] {
                let (first, end) = self.lanes_of[slot];
                for lane in usize::from(first)..usize::from(end) {
                    self.lanes.silence(lane);
                    if self.lanes_right.partials() > lane {
                        self.lanes_right.silence(lane);
                    }
                }
                self.mask &= !(1 << slot);
            }
        }
    }

    /// Takes every voice out (each renders on its banks from here).
    pub fn leave_all(&mut self) {
        self.lanes.clear();
        self.lanes_right.clear();
        self.mask = 0;
    }

    /// At a run start, sample `clock` of the engine's clock: fills the lanes with the next run
    /// of every voice that can hand one over (`free` sets a bit per slot no other lanes hold),
    /// and seeds them.
    pub fn start_run(
        &mut self,
        voices: &mut [Voice; VOICE_SLOTS],
        free: impl Fn(usize) -> bool,
        clock: u64,
        movement: &Movement,
        stereo: bool,
        kernel: Kernel,
    ) {
        self.leave_all();
        if !self.enabled {
            return;
        }
        for (slot, voice) in voices.iter_mut().enumerate() {
            if !(voice.is_sounding() && voice.is_moved() && free(slot)) {
                continue;
            }
            let sound = &mut self.sound;
            if !voice.moved_run(clock, movement, sound) {
                continue;
            }
            let first = self.lanes.partials();
            let lanes = sound.partials.iter().zip(sound.pans).take(sound.lanes);
            for (piece, pans) in lanes {
                // A silent partial keeps a silent lane: its lanes stay a voice's range.
                let piece = piece.unwrap_or_default();
                self.lanes.push(&panned(&piece, pans[0]));
                if stereo {
                    self.lanes_right.push(&panned(&piece, pans[1]));
                }
            }
            self.lanes_of[slot] = (first as u16, self.lanes.partials() as u16);
            self.revisions[slot] = voice.revision();
            self.mask |= 1 << slot;
        }
        if self.mask != 0 {
            self.lanes.seed(kernel, RUN_SAMPLES);
            if stereo {
                self.lanes_right.seed(kernel, RUN_SAMPLES);
            }
        }
    }

    /// Adds the lanes' next samples to `out` (within the run) and keeps every member's time.
    pub fn render(
        &mut self,
        voices: &mut [Voice; VOICE_SLOTS],
        out: &mut Channels,
        kernel: Kernel,
    ) {
        if self.mask == 0 {
            return;
        }
        self.lanes.add_to(kernel, out.left);
        if let Some(right) = out.right.as_deref_mut() {
            self.lanes_right.add_to(kernel, right);
        }
        for (slot, voice) in voices.iter_mut().enumerate() {
            if self.is_member(slot) {
                voice.skip_moved_run(out.len());
            }
        }
    }
}

/// `piece` at `gain` (a channel's pan gain; 1 leaves the bits as they are).
fn panned(piece: &ChirpPartial, gain: f32) -> ChirpPartial {
    ChirpPartial {
        amplitude: piece.amplitude * gain,
        amplitude_step: piece.amplitude_step * gain,
        ..*piece
    }
}
