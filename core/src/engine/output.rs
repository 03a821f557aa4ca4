//! Where the engine's samples go: one channel while every sound is centred (rendered once,
//! the mono kernels), or two while something is panned (each partial placed by its pan, see
//! [`crate::dsp::pan`]); the mono output is then the channels' mean. The drone renders here
//! too, knot by knot while its LFO moves it.

use super::Engine;
use super::channels::Channels;
use super::movement::Movement;
use super::voice::{Motion, Voice};
use crate::dsp::PARTIAL_COUNT;
use crate::dsp::lfo::KNOT_SAMPLES;
use crate::dsp::samples::copy_samples;

/// Samples of each channel [`Engine::render`] sums per pass while something is panned.
pub(super) const STEREO_SCRATCH_SAMPLES: usize = 1024;

/// Two channels' worth of samples for [`Engine::render`].
pub(super) struct StereoScratch {
    pub(super) left: [f32; STEREO_SCRATCH_SAMPLES],
    pub(super) right: [f32; STEREO_SCRATCH_SAMPLES],
}

/// Whether every pan is the centre.
fn is_centred(pans: &[f32; PARTIAL_COUNT]) -> bool {
    pans.iter().all(|&pan| pan == 0.0)
}

impl Engine {
    /// After pans moved as `motion` says: if nothing needs two channels any more, they still
    /// render until the ramps back to the centre are over.
    pub(super) fn hold_stereo_for_ramps(&mut self, motion: Motion) {
        self.stereo_samples_left = match motion {
            Motion::Smooth if !self.needs_stereo() => self.drone.pan_ramp_samples(),
            _ => 0,
        };
    }

    /// Whether the settings place something off the centre: a partial's pan, or copies spread
    /// by the width (while a note with such copies may sound).
    pub(super) fn needs_stereo(&self) -> bool {
        !is_centred(&self.settings.pans)
            || self.wide_copies && self.settings.unison.width != 0.0
            || self.panned_notes
    }

    /// Overwrites `out` with the next `out.len()` samples.
    ///
    /// Nothing is clamped: every note (and the drone) peaks at no more than
    /// [`VOICE_LEVEL`](crate::limits::VOICE_LEVEL) × gain × its velocity and volume expression
    /// (a note in unison: its RMS is a single copy's, its peak up to √copies times that where
    /// its copies align, see [`unison`]; a partial panned to one side: up to √2 on that side),
    /// so a chord of several notes, or the gain above 0 dB, may pass full scale, as in most
    /// polysynths. A float output carries such overs to the host, whose gain staging handles
    /// them; a fixed-point file counts them (`quintet render`). A stolen voice fading out while
    /// its successor starts sums to no more than the louder of the two.
    ///
    /// Voices that something moves (an attack, a release, a glide, a ramp) render one by one;
    /// held notes in their sustain render together in the steady lanes (see
    /// [`crate::dsp::steady`]) (and, unless [`set_chirp_lanes`](Self::set_chirp_lanes) is off,
    /// those that movement alone moves in the chirp lanes), within 120 dB of exact sines and
    /// drift-free like the rest.
    ///
    /// This is the mono sum (L + R)/2 of [`render_stereo`](Self::render_stereo): with every
    /// partial centred, exactly what each of its channels carries.
    pub fn render(&mut self, out: &mut [f32]) {
        let mut start = 0;
        while start < out.len() {
            let stereo = self.stereo_samples(out.len() - start);
            if stereo == 0 {
                self.render_channels(Channels::mono(&mut out[start..]));
                return;
            }
            let end = start + stereo;
            // Taken out while the engine renders into it (put back below: no allocation).
            let mut scratch = self
                .stereo_scratch
                .take()
                .expect("put back after every use");
            for out in out[start..end].chunks_mut(STEREO_SCRATCH_SAMPLES) {
                let left = &mut scratch.left[..out.len()];
                let right = &mut scratch.right[..out.len()];
                self.render_channels(Channels::stereo(left, right));
                for ((out, &left), &right) in out.iter_mut().zip(left.iter()).zip(right.iter()) {
                    *out = (left + right) * 0.5;
                }
            }
            self.stereo_scratch = Some(scratch);
            start = end;
        }
    }

    /// Overwrites `left` and `right` (as long as each other) with the next samples of each
    /// channel. With every partial centred both carry what [`render`](Self::render) does,
    /// rendered once (the steady lanes and the drone no slower than in mono).
    pub fn render_stereo(&mut self, left: &mut [f32], right: &mut [f32]) {
        assert_eq!(
            left.len(),
            right.len(),
            "two channels as long as each other"
        );
        if self.plays_the_drone_alone() {
            return self.render_drone_alone(left, right);
        }
        let mut start = 0;
        while start < left.len() {
            let stereo = self.stereo_samples(left.len() - start);
            if stereo == 0 {
                let (left, right) = (&mut left[start..], &mut right[start..]);
                self.render_channels(Channels::mono(left));
                copy_samples(left, right);
                return;
            }
            let end = start + stereo;
            self.render_channels(Channels::stereo(
                &mut left[start..end],
                &mut right[start..end],
            ));
            start = end;
        }
    }

    /// Whether the next samples are the drone's alone, centred and as its bank renders them:
    /// no voice may sound, nothing needs two channels, no movement and a gate open and still.
    /// The usual drone block; at 1-sample blocks the general path's checks and calls around
    /// the five partials cost half as much again as the partials.
    fn plays_the_drone_alone(&self) -> bool {
        let more = self.voices_may_sound
            || self.stereo_samples_left != 0
            || self.needs_stereo()
            || self.drone_moves
            || self.drone.is_moving()
            || self.drone_gate.is_ramping()
            || self.drone_gate.target() != 1.0;
        !more
    }

    /// What [`render_stereo`](Self::render_stereo) renders when
    /// [`plays_the_drone_alone`](Self::plays_the_drone_alone), to the bit, without the general
    /// path's checks: the bank into `left` (a gate holding 1 leaves it as it is), `left` copied
    /// into `right`, the clocks advanced.
    fn render_drone_alone(&mut self, left: &mut [f32], right: &mut [f32]) {
        self.drone.render(left);
        copy_samples(left, right);
        self.steady.advance(left.len());
        self.clock += left.len() as u64;
    }

    /// How many of the next `samples` samples render in stereo (all of them, or those before
    /// the pans' ramps back to the centre end; 0 if every partial is centred), counting them
    /// as rendered.
    pub(super) fn stereo_samples(&mut self, samples: usize) -> usize {
        if self.needs_stereo() {
            return samples;
        }
        let stereo = samples.min(self.stereo_samples_left as usize);
        self.stereo_samples_left -= stereo as u32;
        stereo
    }

    /// Renders the drone and the voices into `out`, overwriting it.
    pub(super) fn render_channels(&mut self, mut out: Channels) {
        let len = out.len();
        self.render_drone(&mut out);
        // Only a note starts a voice: until one comes, a block with every voice free does not
        // look at the 32 slots again (at 1-sample blocks that walk cost as much as a partial).
        self.voices_may_sound = self.voices_may_sound && self.voices.iter().any(Voice::is_sounding);
        if self.voices_may_sound {
            let movement = &self.movement;
            self.steady
                .add_to(&mut self.voices, out, &mut self.ended, movement);
        } else {
            self.steady.advance(len);
        }
        self.clock += len as u64;
    }

    pub(super) fn render_drone(&mut self, out: &mut Channels) {
        let heard = self.drone_gate.is_ramping() || self.drone_gate.target() != 0.0;
        if !heard {
            out.left.fill(0.0);
            if let Some(right) = &mut out.right {
                right.fill(0.0);
            }
            return;
        }
        if !(self.drone_moves || self.drone.is_moving()) {
            return self.render_drone_piece(out);
        }
        // Moving: knot by knot, telling the bank at each where to head (see `movement`).
        let len = out.len();
        let mut position = 0;
        while position < len {
            let now = self.clock + position as u64;
            if let Some((knot, samples)) = Movement::knot_due(&mut self.drone_lfo, now) {
                self.drone.move_to(self.movement.drone_knot(knot), samples);
            }
            let to_knot = KNOT_SAMPLES - (now % KNOT_SAMPLES as u64) as usize;
            let end = (position + to_knot).min(len);
            self.render_drone_piece(&mut out.slice(position..end));
            position = end;
        }
    }

    /// Overwrites `out` with the drone's next samples under its gate, placed by the partials'
    /// pans when `out` has two channels.
    ///
    /// Always inlined (the compiler left it a call): at 1-sample blocks a call's entry and exit
    /// cost as much as one of the drone's five partials.
    #[inline(always)]
    pub(super) fn render_drone_piece(&mut self, out: &mut Channels) {
        match &mut out.right {
            None => {
                self.drone.render(out.left);
                self.drone_gate.apply(out.left);
            }
            Some(right) => {
                let scratch = &mut self.drone_scratch[..];
                for (left, right) in out
                    .left
                    .chunks_mut(STEREO_SCRATCH_SAMPLES)
                    .zip(right.chunks_mut(STEREO_SCRATCH_SAMPLES))
                {
                    self.drone.render_panned(left, right, scratch, |_, _, _| {});
                    let mut gate = self.drone_gate;
                    gate.apply(left);
                    self.drone_gate.apply(right);
                }
            }
        }
    }
}
