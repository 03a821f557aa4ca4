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

use super::input::{Channel, Expression};
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
    /// Level change at full pressure, in dB.
    pub pressure_level_db: f64,
    /// Brightness tilt at full pressure, in dB for partial 5.
    pub pressure_brightness_db: f64,
    /// Brightness tilt at the top of MPE's timbre (CC74; the opposite at its bottom, none at 64),
    /// in dB for partial 5.
    pub timbre_brightness_db: f64,
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
            pressure_level_db: 0.0,
            pressure_brightness_db: 0.0,
            timbre_brightness_db: 0.0,
        }
    }
}

impl MovementSettings {
    /// The LFO's three depths as set (every voice's, unless the host modulates its own).
    pub fn depths(&self) -> Depths {
        Depths {
            vibrato_cents: self.vibrato_cents,
            tremolo: self.tremolo,
            brightness_db: self.brightness_db,
        }
    }

    /// `self` with every value made playable (non-finite depths and times: 0).
    pub fn sanitized(mut self) -> Self {
        let finite = |value: f64| if value.is_finite() { value } else { 0.0 };
        self.delay_ms = finite(self.delay_ms).max(0.0);
        self.fade_ms = finite(self.fade_ms).max(0.0);
        let depths = self.depths().sanitized();
        self.vibrato_cents = depths.vibrato_cents;
        self.tremolo = depths.tremolo;
        self.brightness_db = depths.brightness_db;
        self.wheel_vibrato_cents = finite(self.wheel_vibrato_cents);
        self.pressure_level_db = finite(self.pressure_level_db);
        self.pressure_brightness_db = finite(self.pressure_brightness_db);
        self.timbre_brightness_db = finite(self.timbre_brightness_db);
        self.rate.hz = finite(self.rate.hz).max(0.0);
        self
    }
}

/// The LFO's three depths: the settings' (see [`MovementSettings`]), or a voice's own where
/// the host modulates them per voice (CLAP polyphonic modulation).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Depths {
    /// Vibrato, in cents either way.
    pub vibrato_cents: f64,
    /// Tremolo, 0 ..= 1.
    pub tremolo: f64,
    /// Brightness, in dB either way for partial 5.
    pub brightness_db: f64,
}

impl Depths {
    /// `self` made playable as [`MovementSettings::sanitized`] makes the settings' (non-finite
    /// depths: 0, the tremolo within 0 ..= 1).
    pub fn sanitized(self) -> Self {
        let finite = |value: f64| if value.is_finite() { value } else { 0.0 };
        Self {
            vibrato_cents: finite(self.vibrato_cents),
            tremolo: finite(self.tremolo).clamp(0.0, 1.0),
            brightness_db: finite(self.brightness_db),
        }
    }
}

/// What moves one note besides the settings' routes: the LFO's depths (the settings', or the
/// voice's own), its channel's controllers and its own expressions.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Controls {
    /// The LFO's depths for this note.
    pub depths: Depths,
    /// The mod wheel (and the note's vibrato expression), 0 ..= 2.
    pub wheel: f64,
    /// Pressure, 0 ..= 1: the channel's or the note's own, the stronger.
    pub pressure: f64,
    /// Timbre, −1 ..= 1 (0 at rest): MPE's CC74 and the note's brightness expression.
    pub timbre: f64,
    /// The note's expression expression: a level factor, 0 ..= 1.
    pub expression: f64,
}

/// What one note's expressions say (see [`Expression`]).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct NoteExpressions {
    pressure: f64,
    vibrato: f64,
    /// −1 ..= 1.
    brightness: f64,
    expression: f64,
}

impl Controls {
    /// A note no controller or expression moves, at no depth.
    pub const AT_REST: Controls = Controls {
        depths: Depths {
            vibrato_cents: 0.0,
            tremolo: 0.0,
            brightness_db: 0.0,
        },
        wheel: 0.0,
        pressure: 0.0,
        timbre: 0.0,
        expression: 1.0,
    };
}

impl NoteExpressions {
    /// None received.
    pub const AT_REST: NoteExpressions = NoteExpressions {
        pressure: 0.0,
        vibrato: 0.0,
        brightness: 0.0,
        expression: 1.0,
    };

    /// Takes `value` for `kind` (clamped to its range; NaN ignored).
    pub fn set(&mut self, kind: Expression, value: f32) {
        if !value.is_finite() {
            return;
        }
        let value = f64::from(value.clamp(0.0, 1.0));
        match kind {
            Expression::Pressure => self.pressure = value,
            Expression::Vibrato => self.vibrato = value,
            Expression::Brightness => self.brightness = value * 2.0 - 1.0,
            Expression::Expression => self.expression = value,
        }
    }
}

/// A 7-bit controller's value (0 ..= 1, as `value / 127`) as −1 ..= 1 with exactly 0 at 64,
/// scaled separately on each side as MIDI 2.0's "min-center-max" rule has it.
fn centred(value: f64) -> f64 {
    let steps = (value.clamp(0.0, 1.0) * 127.0 - 64.0).clamp(-64.0, 63.0);
    if steps.abs() < 1e-3 {
        0.0
    } else if steps > 0.0 {
        steps / 63.0
    } else {
        steps / 64.0
    }
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
    /// Each channel's pressure, 0 ..= 1.
    pressures: [f64; CHANNELS],
    /// Each channel's timbre (CC74), −1 ..= 1.
    timbres: [f64; CHANNELS],
    mpe: bool,
    /// Counts the calls that may have changed a note's [`Controls`] (see
    /// [`revision`](Self::revision)).
    revision: u32,
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

    /// Records that the voice's banks head for knot `knot`, told by another renderer (the
    /// chirp lanes hand a voice back to its banks mid-way between knots).
    pub fn heading_for(&mut self, knot: u64) {
        self.heading = Some(knot);
    }
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
            pressures: [0.0; CHANNELS],
            timbres: [0.0; CHANNELS],
            mpe,
            revision: 0,
        };
        movement.per_sample = movement.rate_per_sample();
        movement.free = LfoClock::new(0, 0, movement.per_sample);
        movement
    }

    pub fn settings(&self) -> &MovementSettings {
        &self.settings
    }

    /// Changes whenever a note's [`controls`](Self::controls) may have changed (settings,
    /// MPE, a channel's controllers), so a renderer may keep a voice's controls while it and
    /// this stay as they were.
    pub fn revision(&self) -> u32 {
        self.revision
    }

    fn touch(&mut self) {
        self.revision = self.revision.wrapping_add(1);
    }

    fn rate_per_sample(&self) -> u64 {
        let hz = self.settings.rate.hz_at(self.tempo_bpm);
        crate::dsp::lfo::turns_per_sample(hz, self.sample_rate_hz)
    }

    /// New settings from sample `clock` on; a new rate counts from the next knot, so the
    /// LFO's phase runs on without a jump. Returns the new advance per sample if it changed
    /// (the voices' clocks must follow: [`Self::follow_rate`]).
    pub fn set(&mut self, settings: MovementSettings, clock: u64) -> Option<u64> {
        self.touch();
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
        self.touch();
        self.mpe = mpe;
    }

    /// Moves `channel`'s mod wheel to `position` (0 ..= 1; others clamped, NaN ignored).
    pub fn set_wheel(&mut self, channel: Channel, position: f32) {
        self.touch();
        set_channel(&mut self.wheels, channel, position, f64::from);
    }

    /// `channel`'s pressure (0 ..= 1; others clamped, NaN ignored).
    pub fn set_pressure(&mut self, channel: Channel, pressure: f32) {
        self.touch();
        set_channel(&mut self.pressures, channel, pressure, f64::from);
    }

    /// `channel`'s timbre, MPE's CC74 (0 ..= 1 as `value / 127`, at rest at 64).
    pub fn set_timbre(&mut self, channel: Channel, value: f32) {
        self.touch();
        set_channel(&mut self.timbres, channel, value, |v| centred(f64::from(v)));
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

    /// The controllers that move a note played on `channel` with `expressions`: its channel's,
    /// with MPE on the master channel's too (the stronger wheel and pressure, the timbres
    /// added), and the note's own expressions on top.
    pub fn controls(&self, channel: Channel, expressions: &NoteExpressions) -> Controls {
        let of = |values: &[f64; CHANNELS]| {
            let own = values.get(usize::from(channel)).copied().unwrap_or(0.0);
            let master = (self.mpe && channel != MPE_MASTER_CHANNEL)
                .then(|| values[usize::from(MPE_MASTER_CHANNEL)]);
            (own, master)
        };
        let (wheel, master_wheel) = of(&self.wheels);
        let (pressure, master_pressure) = of(&self.pressures);
        let (timbre, master_timbre) = of(&self.timbres);
        Controls {
            depths: self.settings.depths(),
            wheel: wheel.max(master_wheel.unwrap_or(0.0)) + expressions.vibrato,
            pressure: pressure
                .max(master_pressure.unwrap_or(0.0))
                .max(expressions.pressure),
            timbre: (timbre + master_timbre.unwrap_or(0.0) + expressions.brightness)
                .clamp(-1.0, 1.0),
            expression: expressions.expression,
        }
    }

    /// The controls of the drone, which no controller reaches: the settings' depths alone.
    fn resting(&self) -> Controls {
        Controls {
            depths: self.settings.depths(),
            wheel: 0.0,
            pressure: 0.0,
            timbre: 0.0,
            expression: 1.0,
        }
    }

    /// Whether a note with `controls` moves at all (otherwise it plays unmoved, to the bit).
    pub fn moves(&self, controls: &Controls) -> bool {
        let (s, depths) = (&self.settings, &controls.depths);
        depths.vibrato_cents != 0.0
            || depths.tremolo != 0.0
            || depths.brightness_db != 0.0
            || controls.wheel * s.wheel_vibrato_cents != 0.0
            || controls.pressure * s.pressure_level_db != 0.0
            || controls.pressure * s.pressure_brightness_db != 0.0
            || controls.timbre * s.timbre_brightness_db != 0.0
            || controls.expression != 1.0
    }

    /// Whether the drone moves (its LFO's routes; no controller reaches it).
    pub fn moves_drone(&self) -> bool {
        self.moves(&self.resting())
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
        let mut out = [Knot::NEUTRAL];
        self.voice_knots(knot, &mut out, |_| (lfo, controls));
        out[0]
    }

    /// [`voice_knot`](Self::voice_knot) for `out.len()` voices (at most [`KNOTS_AT_ONCE`])
    /// at the same knot: `out[n]` for the LFO and controls `voice(n)` gives. In stages over
    /// every voice at once (where each LFO is, then the shape's values, then the knots), so
    /// that the processor overlaps the voices' chains of dependent steps (the sine's and
    /// `exp2`'s polynomials) instead of waiting on each in turn. Each voice's arithmetic is
    /// the same, so the same bits, as one at a time.
    pub fn voice_knots<'a>(
        &self,
        knot: u64,
        out: &mut [Knot],
        voice: impl Fn(usize) -> (&'a VoiceLfo, &'a Controls),
    ) {
        let count = out.len();
        assert!(count <= KNOTS_AT_ONCE, "too many voices at once");
        // Whether each voice moves, where its LFO is (its turns and seed) and how much of it
        // acts.
        let mut moving = [false; KNOTS_AT_ONCE];
        let mut turns = [0u128; KNOTS_AT_ONCE];
        let mut seeds = [0u64; KNOTS_AT_ONCE];
        let mut fades = [0.0; KNOTS_AT_ONCE];
        for n in 0..count {
            let (lfo, controls) = voice(n);
            moving[n] = self.moves(controls);
            if !moving[n] {
                continue;
            }
            let clock = if self.settings.retrigger {
                &lfo.clock
            } else {
                &self.free
            };
            turns[n] = clock.turns_at(knot);
            seeds[n] = lfo.seed;
            let since_ms = (knot * KNOT_SAMPLES as u64).saturating_sub(lfo.start) as f64 * 1e3
                / self.sample_rate_hz;
            fades[n] = self.fade_in(since_ms);
        }
        let shape = self.settings.shape;
        let mut values = [0.0; KNOTS_AT_ONCE];
        for n in 0..count {
            values[n] = shape.value(turns[n], seeds[n]);
        }
        // Each knot written in place (a copy read back at once waits on the stores).
        out.fill(Knot::NEUTRAL);
        for (n, out) in out.iter_mut().enumerate() {
            if moving[n] {
                *out = self.knot(values[n], fades[n], voice(n).1);
            }
        }
    }

    /// The drone's movement at knot `knot` (the free-running LFO, no delay or fade-in).
    pub fn drone_knot(&self, knot: u64) -> Knot {
        if !self.moves_drone() {
            return Knot::NEUTRAL;
        }
        let value = self.settings.shape.value(self.free.turns_at(knot), 0);
        self.knot(value, 1.0, &self.resting())
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
    #[inline]
    pub fn knot(&self, lfo: f64, fade: f64, controls: &Controls) -> Knot {
        let (s, depths) = (&self.settings, &controls.depths);
        let swing = lfo * fade;
        let cents = (depths.vibrato_cents + controls.wheel * s.wheel_vibrato_cents) * swing;
        let tremolo = 1.0 - depths.tremolo * fade * (1.0 - lfo) * 0.5;
        let pressure_db = s.pressure_level_db * controls.pressure;
        let level = tremolo * controls.expression * db_to_gain(pressure_db);
        let tilt_db = depths.brightness_db * swing
            + s.pressure_brightness_db * controls.pressure
            + s.timbre_brightness_db * controls.timbre;
        Knot {
            pitch_ratio: if cents == 0.0 {
                1.0
            } else {
                exp2(cents / 1200.0)
            },
            // No tilt: every brightness is 1 (the common case, without a `powf`).
            levels: if tilt_db == 0.0 {
                [level as f32; PARTIAL_COUNT]
            } else {
                std::array::from_fn(|k| {
                    let share = k as f64 / (PARTIAL_COUNT - 1) as f64;
                    let brightness = if k == 0 {
                        1.0
                    } else {
                        db_to_gain(tilt_db * share)
                    };
                    (level * brightness) as f32
                })
            },
        }
    }
}

/// The most voices [`Movement::voice_knots`] takes at once.
pub const KNOTS_AT_ONCE: usize = 32;

/// 1/k! for k = 0 ..= 12: e^r's Taylor coefficients, as [`exp2`] takes them.
const INVERSE_FACTORIALS: [f64; 13] = {
    let mut c = [1.0; 13];
    let mut k = 1;
    while k < 13 {
        c[k] = c[k - 1] / k as f64;
        k += 1;
    }
    c
};

/// 2^x within 1e-13 relative, for |x| ≤ 1000 (beyond: clamped): the nearest power of two
/// times a Taylor polynomial of the rest (no library call: every moving voice's pitch ratio at
/// every knot).
fn exp2(x: f64) -> f64 {
    // 1.5 · 2^52: adding and subtracting it rounds to the nearest integer.
    const ROUND: f64 = 6_755_399_441_055_744.0;
    let x = x.clamp(-1000.0, 1000.0);
    let n = (x + ROUND) - ROUND;
    // e^r for |r| ≤ ln 2 / 2 to r^12/12! (the next term is below 5e-16), in Estrin's scheme:
    // pairs, then pairs of pairs, so that few steps wait on one another.
    let r = (x - n) * std::f64::consts::LN_2;
    let c = &INVERSE_FACTORIALS;
    let (r2, r4) = (r * r, r * r * (r * r));
    let pairs = [0, 2, 4, 6, 8, 10].map(|k| c[k] + c[k + 1] * r);
    let quads = [
        pairs[0] + pairs[1] * r2,
        pairs[2] + pairs[3] * r2,
        pairs[4] + pairs[5] * r2,
    ];
    let e = (quads[0] + quads[1] * r4) + (quads[2] + c[12] * r4) * (r4 * r4);
    e * f64::from_bits(((n as i64 + 1023) as u64) << 52)
}

/// `db` decibels as a gain (exactly 1 at 0 dB).
fn db_to_gain(db: f64) -> f64 {
    if db == 0.0 {
        1.0
    } else {
        10f64.powf(db / 20.0)
    }
}

/// Sets `channel`'s entry of `values` to `value` clamped to 0 ..= 1 and passed through `map`
/// (a channel past 16, or a NaN, is ignored).
fn set_channel(
    values: &mut [f64; CHANNELS],
    channel: Channel,
    value: f32,
    map: impl Fn(f32) -> f64,
) {
    if let Some(stored) = values.get_mut(usize::from(channel))
        && value.is_finite()
    {
        *stored = map(value.clamp(0.0, 1.0));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exp2_is_within_1e_13_of_the_library_s() {
        for n in -20_000..=20_000 {
            let x = f64::from(n) * 1.37e-3;
            let error = (exp2(x) / x.exp2() - 1.0).abs();
            assert!(error < 1e-13, "{x}: {error}");
        }
        assert_eq!(exp2(0.0), 1.0);
        assert_eq!(exp2(1.0), 2.0);
    }

    /// The chirp lanes take every member's knot at once, the banks one voice's at a time: the
    /// two must agree to the bit (a voice leaving the lanes plays on where its banks would).
    #[test]
    fn every_voice_s_knot_at_once_is_the_bits_of_each_alone() {
        let bits = |knot: &Knot| (knot.pitch_ratio.to_bits(), knot.levels.map(f32::to_bits));
        for shape in [
            Shape::Sine,
            Shape::Triangle,
            Shape::Square,
            Shape::SampleAndHold,
        ] {
            for retrigger in [true, false] {
                let settings = MovementSettings {
                    shape,
                    retrigger,
                    delay_ms: 3.0,
                    fade_ms: 40.0,
                    vibrato_cents: 50.0,
                    tremolo: 0.3,
                    wheel_vibrato_cents: 20.0,
                    pressure_level_db: -6.0,
                    ..MovementSettings::default()
                };
                let movement = Movement::new(settings, 48_000.0, false);
                let lfos: Vec<VoiceLfo> = (0..KNOTS_AT_ONCE as u64)
                    .map(|n| movement.start_voice(n * 977, n * 31 + 5))
                    .collect();
                let controls: Vec<Controls> = (0..KNOTS_AT_ONCE)
                    .map(|n| match n % 4 {
                        // At rest: no movement at all, a neutral knot.
                        0 => Controls::AT_REST,
                        1 => movement.controls(0, &NoteExpressions::AT_REST),
                        _ => Controls {
                            depths: Depths {
                                vibrato_cents: 10.0 * n as f64,
                                tremolo: 0.5,
                                brightness_db: if n % 4 == 3 { -4.0 } else { 0.0 },
                            },
                            wheel: 0.25 * (n % 3) as f64,
                            pressure: 0.5,
                            timbre: 0.0,
                            expression: 0.75,
                        },
                    })
                    .collect();
                for knot in [1, 2, 5, 60, 61, 1_000, 123_457] {
                    let mut together = [Knot::NEUTRAL; KNOTS_AT_ONCE];
                    movement.voice_knots(knot, &mut together, |n| (&lfos[n], &controls[n]));
                    for (n, knot_of_all) in together.iter().enumerate() {
                        let alone = movement.voice_knot(&lfos[n], knot, &controls[n]);
                        assert_eq!(bits(knot_of_all), bits(&alone), "{shape:?} voice {n}");
                    }
                    // Fewer voices than the most: the same bits for each.
                    let mut some = [Knot::NEUTRAL; 3];
                    movement.voice_knots(knot, &mut some, |n| (&lfos[n + 5], &controls[n + 5]));
                    assert_eq!(
                        some.map(|k| bits(&k)),
                        [5, 6, 7].map(|n| bits(&together[n]))
                    );
                }
            }
        }
    }
}
