//! Movement: the LFO's routes (vibrato, tremolo, brightness) and the controllers that move a
//! note (the mod wheel), worked out at knots.
//!
//! Every [`KNOT_SAMPLES`] samples of the engine's absolute clock, each moving voice (and the
//! drone) asks [`Movement::knot`] for its values at the *next* knot and its bank ramps to them
//! (see [`crate::dsp::knot`]). That one function is the whole of the modulation: a renderer
//! that plays moving voices another way only needs its [`Knot`]s. Because knots fall on the
//! engine's clock and controllers change only between samples, the values, and so the
//! samples, do not depend on how the host slices its blocks.
//!
//! With every depth at 0 (and the mod wheel's depth at 0 or the wheel down) a voice is not
//! moved at all: its bank never leaves the unmoved path, and it plays to the bit as before
//! movement existed, in the steady lanes when held.

use super::input::Channel;
use super::wheels::MPE_MASTER_CHANNEL;
use crate::dsp::PARTIAL_COUNT;
use crate::dsp::knot::Knot;
use crate::dsp::lfo::{DEFAULT_TEMPO_BPM, KNOT_SAMPLES, LfoClock, Rate, Shape, knot_from};

/// MIDI channels.
const CHANNELS: usize = 16;

/// The LFO and its routes, as the parameters set them.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct MovementSettings {
    pub shape: Shape,
    pub rate: Rate,
    /// Time after note-on before the LFO acts, in milliseconds.
    pub delay_ms: f64,
    /// Time after the delay over which its depths grow from 0 to full, in milliseconds.
    pub fade_ms: f64,
    /// Each note restarts the LFO at its start (on) or joins a free-running one (off).
    pub retrigger: bool,
    /// Vibrato depth, in cents either way.
    pub vibrato_cents: f64,
    /// Tremolo depth, 0 ..= 1: at 1 the level dips to silence at the LFO's low point.
    pub tremolo: f64,
    /// Brightness depth, in dB either way for partial 5 (partial k takes (k − 1)/4 of it).
    pub brightness_db: f64,
    /// Vibrato the full mod wheel adds, in cents either way.
    pub wheel_vibrato_cents: f64,
}

impl Default for MovementSettings {
    /// No movement (the engine's own default; a new instance's comes from the parameters).
    fn default() -> Self {
        Self {
            shape: Shape::Sine,
            rate: Rate { hz: 5.5, sync: 0 },
            delay_ms: 0.0,
            fade_ms: 0.0,
            retrigger: true,
            vibrato_cents: 0.0,
            tremolo: 0.0,
            brightness_db: 0.0,
            wheel_vibrato_cents: 0.0,
        }
    }
}

impl MovementSettings {
    /// `self` with every value made playable (non-finite depths and times: 0).
    pub fn sanitized(mut self) -> Self {
        let finite = |value: f64| if value.is_finite() { value } else { 0.0 };
        self.delay_ms = finite(self.delay_ms).max(0.0);
        self.fade_ms = finite(self.fade_ms).max(0.0);
        self.vibrato_cents = finite(self.vibrato_cents);
        self.tremolo = finite(self.tremolo).clamp(0.0, 1.0);
        self.brightness_db = finite(self.brightness_db);
        self.wheel_vibrato_cents = finite(self.wheel_vibrato_cents);
        self.rate.hz = finite(self.rate.hz).max(0.0);
        self
    }
}

/// What moves one note besides the settings: its controllers.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Controls {
    /// The mod wheel, 0 ..= 1.
    pub wheel: f64,
}

/// The movement of every voice and the drone: settings, tempo, the free-running LFO and the
/// channels' controllers.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Movement {
    settings: MovementSettings,
    sample_rate_hz: f64,
    tempo_bpm: f64,
    /// The LFO's advance per sample (2^-64 turn) at the rate and tempo in force.
    per_sample: u64,
    /// The free-running LFO (the drone's, and every note's without retrigger).
    free: LfoClock,
    /// Each channel's mod wheel, 0 ..= 1.
    wheels: [f64; CHANNELS],
    mpe: bool,
}

/// A voice's LFO: its clock (its own with retrigger), its seed (sample-and-hold) and when its
/// note started.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct VoiceLfo {
    clock: LfoClock,
    seed: u64,
    /// The note-on, in samples of the engine's clock.
    start: u64,
    /// The knot the voice's bank is heading to, once told (see [`Movement::knot_due`]).
    heading: Option<u64>,
}

impl VoiceLfo {
    /// An LFO for a note that never started.
    pub const IDLE: VoiceLfo = VoiceLfo {
        clock: LfoClock::IDLE,
        seed: 0,
        start: 0,
        heading: None,
    };
}

impl Movement {
    /// No controller moved, at `sample_rate_hz` and the default tempo.
    pub fn new(settings: MovementSettings, sample_rate_hz: f64, mpe: bool) -> Self {
        let settings = settings.sanitized();
        let mut movement = Self {
            settings,
            sample_rate_hz,
            tempo_bpm: DEFAULT_TEMPO_BPM,
            per_sample: 0,
            free: LfoClock::IDLE,
            wheels: [0.0; CHANNELS],
            mpe,
        };
        movement.per_sample = movement.rate_per_sample();
        movement.free = LfoClock::new(0, 0, movement.per_sample);
        movement
    }

    pub fn settings(&self) -> &MovementSettings {
        &self.settings
    }

    fn rate_per_sample(&self) -> u64 {
        let hz = self.settings.rate.hz_at(self.tempo_bpm);
        crate::dsp::lfo::turns_per_sample(hz, self.sample_rate_hz)
    }

    /// New settings from sample `clock` on; a new rate counts from the next knot, so the
    /// LFO's phase runs on without a jump. Returns the new advance per sample if it changed
    /// (the voices' clocks must follow: [`Self::follow_rate`]).
    pub fn set(&mut self, settings: MovementSettings, clock: u64) -> Option<u64> {
        self.settings = settings.sanitized();
        self.rate_changed(clock)
    }

    /// The host's tempo, in beats per minute (a synced LFO follows it from the next knot).
    pub fn set_tempo(&mut self, tempo_bpm: f64, clock: u64) -> Option<u64> {
        if !(tempo_bpm.is_finite() && tempo_bpm > 0.0) || tempo_bpm == self.tempo_bpm {
            return None;
        }
        self.tempo_bpm = tempo_bpm;
        self.rate_changed(clock)
    }

    fn rate_changed(&mut self, clock: u64) -> Option<u64> {
        let per_sample = self.rate_per_sample();
        (per_sample != self.per_sample).then(|| {
            self.per_sample = per_sample;
            self.free.set_rate(per_sample, knot_from(clock));
            per_sample
        })
    }

    /// Makes a voice's LFO run at the rate in force from sample `clock` on.
    pub fn follow_rate(&self, lfo: &mut VoiceLfo, clock: u64) {
        lfo.clock.set_rate(self.per_sample, knot_from(clock));
    }

    /// MPE's lower zone on or off (the master channel's wheel then moves every note too).
    pub fn set_mpe(&mut self, mpe: bool) {
        self.mpe = mpe;
    }

    /// Moves `channel`'s mod wheel to `position` (0 ..= 1; others clamped, NaN ignored).
    pub fn set_wheel(&mut self, channel: Channel, position: f32) {
        if let Some(wheel) = self.wheels.get_mut(usize::from(channel))
            && position.is_finite()
        {
            *wheel = f64::from(position.clamp(0.0, 1.0));
        }
    }

    /// The LFO of a note starting at sample `start` of the engine's clock, seeded `seed`.
    pub fn start_voice(&self, start: u64, seed: u64) -> VoiceLfo {
        VoiceLfo {
            clock: LfoClock::starting_at(start, self.per_sample),
            seed,
            start,
            heading: None,
        }
    }

    /// The controllers that move a note played on `channel`: its channel's, and with MPE on the
    /// master channel's too (the larger wheel).
    pub fn controls(&self, channel: Channel) -> Controls {
        let own = self
            .wheels
            .get(usize::from(channel))
            .copied()
            .unwrap_or(0.0);
        let master = if self.mpe {
            self.wheels[usize::from(MPE_MASTER_CHANNEL)]
        } else {
            0.0
        };
        Controls {
            wheel: own.max(master),
        }
    }

    /// Whether a note with `controls` moves at all (otherwise it plays unmoved, to the bit).
    pub fn moves(&self, controls: &Controls) -> bool {
        let s = &self.settings;
        s.vibrato_cents != 0.0
            || s.tremolo != 0.0
            || s.brightness_db != 0.0
            || controls.wheel * s.wheel_vibrato_cents != 0.0
    }

    /// Whether the drone moves (its LFO's routes; no controller reaches it).
    pub fn moves_drone(&self) -> bool {
        self.moves(&Controls::default())
    }

    /// If the bank of a voice at sample `clock` must be told where to head, the knot to head
    /// for and the samples until it: at every knot, and at the first sample of a movement
    /// (`lfo.heading` is then not the next knot). Records the knot as told.
    pub fn knot_due(lfo: &mut VoiceLfo, clock: u64) -> Option<(u64, u32)> {
        let next = clock / KNOT_SAMPLES as u64 + 1;
        (lfo.heading != Some(next)).then(|| {
            lfo.heading = Some(next);
            (next, (next * KNOT_SAMPLES as u64 - clock) as u32)
        })
    }

    /// A voice's movement at knot `knot`: its LFO there and its controllers.
    pub fn voice_knot(&self, lfo: &VoiceLfo, knot: u64, controls: &Controls) -> Knot {
        if !self.moves(controls) {
            return Knot::NEUTRAL;
        }
        let clock = if self.settings.retrigger {
            &lfo.clock
        } else {
            &self.free
        };
        let value = self.settings.shape.value(clock.turns_at(knot), lfo.seed);
        let since_ms = (knot * KNOT_SAMPLES as u64).saturating_sub(lfo.start) as f64 * 1e3
            / self.sample_rate_hz;
        self.knot(value, self.fade_in(since_ms), controls)
    }

    /// The drone's movement at knot `knot` (the free-running LFO, no delay or fade-in).
    pub fn drone_knot(&self, knot: u64) -> Knot {
        if !self.moves_drone() {
            return Knot::NEUTRAL;
        }
        let value = self.settings.shape.value(self.free.turns_at(knot), 0);
        self.knot(value, 1.0, &Controls::default())
    }

    /// How much of the LFO acts `since_ms` after note-on, 0 ..= 1: none during the delay, then
    /// growing linearly over the fade-in.
    fn fade_in(&self, since_ms: f64) -> f64 {
        let after = since_ms - self.settings.delay_ms;
        if after < 0.0 {
            0.0
        } else if self.settings.fade_ms > 0.0 {
            (after / self.settings.fade_ms).min(1.0)
        } else {
            1.0
        }
    }

    /// The movement for the LFO at `lfo` (−1 ..= 1) with `fade` of its depths acting
    /// (0 ..= 1, see [`Self::fade_in`]) and `controls`: the one place that turns depths into a
    /// pitch ratio and level factors. Tremolo dips from full level (at the LFO's top) by its
    /// depth (at its bottom).
    pub fn knot(&self, lfo: f64, fade: f64, controls: &Controls) -> Knot {
        let s = &self.settings;
        let swing = lfo * fade;
        let cents = (s.vibrato_cents + controls.wheel * s.wheel_vibrato_cents) * swing;
        let tremolo = 1.0 - s.tremolo * fade * (1.0 - lfo) * 0.5;
        let tilt_db = s.brightness_db * swing;
        Knot {
            pitch_ratio: if cents == 0.0 {
                1.0
            } else {
                (cents / 1200.0).exp2()
            },
            levels: std::array::from_fn(|k| {
                let share = k as f64 / (PARTIAL_COUNT - 1) as f64;
                let brightness = if tilt_db == 0.0 || k == 0 {
                    1.0
                } else {
                    10f64.powf(tilt_db * share / 20.0)
                };
                (tremolo * brightness) as f32
            }),
        }
    }
}
