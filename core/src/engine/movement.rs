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
use crate::dsp::sine::Kernel;

mod knots;

pub use knots::KnotScratch;

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
    /// The fewest samples after note-on from which the LFO acts in full (see
    /// [`Self::faded_in_from`]), if the sample rate is a positive rate.
    faded_in_from: Option<u64>,
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
            faded_in_from: None,
        };
        movement.faded_in_from = movement.faded_in_from();
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
        let settings = settings.sanitized();
        let times = |s: &MovementSettings| (s.delay_ms, s.fade_ms);
        let fade_changed = times(&settings) != times(&self.settings);
        self.settings = settings;
        if fade_changed {
            self.faded_in_from = self.faded_in_from();
        }
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
    #[inline(always)]
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

    /// A voice's movement at knot `knot`: its LFO there and its controllers. The definition,
    /// one voice at a time (the banks' renderer); [`Self::voice_knots`] gives the same bits
    /// for many at once.
    pub fn voice_knot(&self, lfo: &VoiceLfo, knot: u64, controls: &Controls) -> Knot {
        if !self.moves(controls) {
            return Knot::NEUTRAL;
        }
        let turns = self.lfo_clock(lfo).turns_at(knot);
        let value = self.settings.shape.value(turns, lfo.seed);
        let fade = self.fade_in(self.since_note_on(lfo, knot));
        self.knot(value, fade, controls)
    }

    /// [`voice_knot`](Self::voice_knot) for `out.len()` voices (at most [`KNOTS_AT_ONCE`])
    /// at the same knot: `out[n]` for the LFO and controls `voice(n)` gives, the same bits
    /// as each alone, many voices to a vector in passes compiled for `kernel`'s instruction
    /// set, in `scratch` (see [`knots`]).
    pub fn voice_knots<'a>(
        &self,
        kernel: Kernel,
        knot: u64,
        scratch: &mut KnotScratch,
        out: &mut [Knot],
        voice: impl Fn(usize) -> (&'a VoiceLfo, &'a Controls),
    ) {
        assert!(out.len() <= KNOTS_AT_ONCE, "too many voices at once");
        knots::voice_knots(self, kernel, knot, scratch, out, voice);
    }

    /// The clock a voice's LFO runs on: its own with retrigger, else the free-running one.
    fn lfo_clock<'a>(&'a self, lfo: &'a VoiceLfo) -> &'a LfoClock {
        if self.settings.retrigger {
            &lfo.clock
        } else {
            &self.free
        }
    }

    /// Samples from a voice's note-on to knot `knot` (0 before it).
    fn since_note_on(&self, lfo: &VoiceLfo, knot: u64) -> u64 {
        (knot * KNOT_SAMPLES as u64).saturating_sub(lfo.start)
    }

    /// The drone's movement at knot `knot` (the free-running LFO, no delay or fade-in).
    pub fn drone_knot(&self, knot: u64) -> Knot {
        if !self.moves_drone() {
            return Knot::NEUTRAL;
        }
        let value = self.settings.shape.value(self.free.turns_at(knot), 0);
        self.knot(value, 1.0, &self.resting())
    }

    /// How much of the LFO acts `since` samples after note-on, 0 ..= 1: none during the
    /// delay, then growing linearly over the fade-in.
    fn fade_in(&self, since: u64) -> f64 {
        let since_ms = since as f64 * 1e3 / self.sample_rate_hz;
        let after = since_ms - self.settings.delay_ms;
        if after < 0.0 {
            0.0
        } else if self.settings.fade_ms > 0.0 {
            (after / self.settings.fade_ms).min(1.0)
        } else {
            1.0
        }
    }

    /// The fewest samples after note-on from which [`Self::fade_in`] is exactly 1 (by
    /// bisection: it never falls as the samples grow, every step of it rounding a monotonic
    /// function), if the sample rate is a positive rate. Worked out when the delay or fade-in
    /// changes, so that a voice faded in skips the divisions.
    fn faded_in_from(&self) -> Option<u64> {
        let rate = self.sample_rate_hz;
        if rate.is_nan() || rate <= 0.0 || self.fade_in(u64::MAX) != 1.0 {
            return None;
        }
        if self.fade_in(0) == 1.0 {
            return Some(0);
        }
        // fade_in(below) < 1 and fade_in(from) = 1.
        let (mut below, mut from) = (0, u64::MAX);
        while from - below > 1 {
            let middle = below + (from - below) / 2;
            if self.fade_in(middle) == 1.0 {
                from = middle;
            } else {
                below = middle;
            }
        }
        Some(from)
    }

    /// The movement for the LFO at `lfo` (−1 ..= 1) with `fade` of its depths acting
    /// (0 ..= 1, see [`Self::fade_in`]) and `controls`: the one place that turns depths into a
    /// pitch ratio and level factors. Tremolo dips from full level (at the LFO's top) by its
    /// depth (at its bottom).
    pub fn knot(&self, lfo: f64, fade: f64, controls: &Controls) -> Knot {
        let parts = self.knot_parts(lfo, fade, controls);
        let level = parts.level * db_to_gain(parts.pressure_db);
        let tilt_db = parts.tilt_db;
        Knot {
            pitch_ratio: parts.pitch_ratio(),
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

    /// [`Self::knot`]'s arithmetic up to its two `powf`s (see [`KnotParts`]); inlined into
    /// the passes of [`knots`], where it vectorises.
    #[inline(always)]
    fn knot_parts(&self, lfo: f64, fade: f64, controls: &Controls) -> KnotParts {
        let (s, depths) = (&self.settings, &controls.depths);
        let swing = lfo * fade;
        let cents = (depths.vibrato_cents + controls.wheel * s.wheel_vibrato_cents) * swing;
        let tremolo = 1.0 - depths.tremolo * fade * (1.0 - lfo) * 0.5;
        KnotParts {
            cents,
            level: tremolo * controls.expression,
            pressure_db: s.pressure_level_db * controls.pressure,
            tilt_db: depths.brightness_db * swing
                + s.pressure_brightness_db * controls.pressure
                + s.timbre_brightness_db * controls.timbre,
        }
    }
}

/// A knot's values before its two gains in decibels (`powf`s, so not for a vector pass).
#[derive(Clone, Copy, Debug)]
struct KnotParts {
    /// The pitch's offset, in cents.
    cents: f64,
    /// The level factor of tremolo and expression (before pressure's gain and the tilt).
    level: f64,
    /// Pressure's level change, in dB.
    pressure_db: f64,
    /// The brightness tilt, in dB for partial 5.
    tilt_db: f64,
}

impl KnotParts {
    /// The pitch ratio: exactly 1 at no offset (`exp2` worked out either way, so that the
    /// choice is a select, which a loop over many voices vectorises).
    #[inline(always)]
    fn pitch_ratio(&self) -> f64 {
        let ratio = exp2(self.cents / 1200.0);
        if self.cents == 0.0 { 1.0 } else { ratio }
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
/// every knot). Without a branch or a conversion, so that a loop over many voices vectorises.
#[inline(always)]
fn exp2(x: f64) -> f64 {
    // 1.5 · 2^52: adding and subtracting it rounds to the nearest integer.
    const ROUND: f64 = 6_755_399_441_055_744.0;
    let x = x.clamp(-1000.0, 1000.0);
    let rounded = x + ROUND;
    let n = rounded - ROUND;
    // e^r for |r| ≤ ln 2 / 2 to r^12/12! (the next term is below 5e-16), in Estrin's scheme:
    // pairs, then pairs of pairs, so that few steps wait on one another.
    let r = (x - n) * std::f64::consts::LN_2;
    let c = &INVERSE_FACTORIALS;
    let (r2, r4) = (r * r, r * r * (r * r));
    // (No `array::map` for the pairs: it is not inlined into a pass compiled for a kernel,
    // and the call keeps the pass from vectorising.)
    let pair = |k: usize| c[k] + c[k + 1] * r;
    let quads = [
        pair(0) + pair(2) * r2,
        pair(4) + pair(6) * r2,
        pair(8) + pair(10) * r2,
    ];
    let e = (quads[0] + quads[1] * r4) + (quads[2] + c[12] * r4) * (r4 * r4);
    // 2^n: `rounded`'s mantissa is 2^51 + n, so its low bits plus the bias are the exponent's
    // field (|n| ≤ 1000; the 2^51 and the rest leave past the top bit).
    e * f64::from_bits(rounded.to_bits().wrapping_add(1023) << 52)
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

    fn bits(knot: &Knot) -> (u64, [u32; PARTIAL_COUNT]) {
        (knot.pitch_ratio.to_bits(), knot.levels.map(f32::to_bits))
    }

    /// Asserts that [`Movement::voice_knots`], under every kernel this CPU runs, gives each of
    /// `voices` (LFO and controls) at each of `knots` the bits [`Movement::voice_knot`] gives
    /// it alone; `what` names the case.
    fn assert_at_once_as_alone(
        movement: &Movement,
        voices: &[(VoiceLfo, Controls)],
        knots: &[u64],
        what: &str,
    ) {
        // One scratch for every call: what earlier calls left in it never shows.
        let mut scratch = KnotScratch::default();
        for kernel in Kernel::available() {
            for chunk in voices.chunks(KNOTS_AT_ONCE) {
                for &knot in knots {
                    let mut together = [Knot::NEUTRAL; KNOTS_AT_ONCE];
                    let together = &mut together[..chunk.len()];
                    let voice = |n: usize| (&chunk[n].0, &chunk[n].1);
                    movement.voice_knots(kernel, knot, &mut scratch, together, voice);
                    for (n, knot_of_all) in together.iter().enumerate() {
                        let (lfo, controls) = &chunk[n];
                        let alone = movement.voice_knot(lfo, knot, controls);
                        assert_eq!(
                            bits(knot_of_all),
                            bits(&alone),
                            "{what}: voice {n} at knot {knot} under {kernel:?}"
                        );
                    }
                }
            }
        }
    }

    /// The chirp lanes take every member's knot at once, the banks one voice's at a time: the
    /// two must agree to the bit (a voice leaving the lanes plays on where its banks would).
    #[test]
    fn every_voice_s_knot_at_once_is_the_bits_of_each_alone() {
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
                let voices: Vec<(VoiceLfo, Controls)> = (0..KNOTS_AT_ONCE)
                    .map(|n| {
                        let lfo = movement.start_voice(n as u64 * 977, n as u64 * 31 + 5);
                        let controls = match n % 4 {
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
                        };
                        (lfo, controls)
                    })
                    .collect();
                let knots = [1, 2, 5, 60, 61, 1_000, 123_457];
                let what = format!("{shape:?}, retrigger {retrigger}");
                assert_at_once_as_alone(&movement, &voices, &knots, &what);
                // Fewer voices than the most, and than a pass takes: the same bits for each.
                for count in [1, 3, 8, 9, 17] {
                    assert_at_once_as_alone(&movement, &voices[5..5 + count], &knots, &what);
                }
            }
        }
    }

    /// A voice past its delay and fade-in acts in full without the fade's divisions, from the
    /// first sample at which the divisions give exactly 1 (and not a sample sooner).
    #[test]
    fn a_voice_acts_in_full_from_the_sample_its_fade_in_ends_exactly() {
        for (delay_ms, fade_ms) in [
            (0.0, 0.0),
            (3.0, 0.0),
            (0.0, 40.0),
            (7.3, 123.4),
            (0.5, 0.01),
        ] {
            for sample_rate_hz in [22_050.0, 44_100.0, 48_000.0, 96_000.0] {
                let settings = MovementSettings {
                    delay_ms,
                    fade_ms,
                    vibrato_cents: 50.0,
                    tremolo: 0.5,
                    ..MovementSettings::default()
                };
                let movement = Movement::new(settings, sample_rate_hz, false);
                let from = movement.faded_in_from.expect("a positive rate");
                assert_eq!(movement.fade_in(from), 1.0);
                if from > 0 {
                    assert!(movement.fade_in(from - 1) < 1.0, "{delay_ms} {fade_ms}");
                }
                // Voices whose knot is a sample or two either side of `from` after note-on.
                let knot = 100_000;
                let at_knot = knot * KNOT_SAMPLES as u64;
                let controls = movement.controls(0, &NoteExpressions::AT_REST);
                let voices: Vec<(VoiceLfo, Controls)> = (0..5)
                    .map(|n| {
                        let since = (from + n).saturating_sub(2);
                        (movement.start_voice(at_knot - since, 9), controls)
                    })
                    .collect();
                let what = format!("delay {delay_ms} ms, fade {fade_ms} ms, {sample_rate_hz} Hz");
                assert_at_once_as_alone(&movement, &voices, &[knot], &what);
            }
        }
        // Settings change the fade's end as they change the times.
        let mut movement = Movement::new(MovementSettings::default(), 48_000.0, false);
        assert_eq!(movement.faded_in_from, Some(0));
        let longer = MovementSettings {
            fade_ms: 10.0,
            ..MovementSettings::default()
        };
        movement.set(longer, 0);
        assert_eq!(movement.faded_in_from, Some(480));
    }

    /// Pressure on the level and a brightness tilt need a gain in decibels (a `powf`), which
    /// the pass over many voices leaves to [`Movement::knot`]: each by itself, with another
    /// voice in the same pass that needs neither.
    #[test]
    fn voices_under_pressure_or_tilted_take_their_gains_at_once_as_alone() {
        let settings = MovementSettings {
            vibrato_cents: 30.0,
            tremolo: 0.2,
            pressure_level_db: -6.0,
            timbre_brightness_db: -5.0,
            ..MovementSettings::default()
        };
        let movement = Movement::new(settings, 48_000.0, false);
        let plain = movement.controls(0, &NoteExpressions::AT_REST);
        let brightness = Depths {
            brightness_db: 6.0,
            ..plain.depths
        };
        let cases = [
            (
                "pressure on the level",
                Controls {
                    pressure: 0.7,
                    ..plain
                },
                false,
            ),
            (
                "timbre's tilt",
                Controls {
                    timbre: 0.4,
                    ..plain
                },
                true,
            ),
            (
                "the LFO's tilt",
                Controls {
                    depths: brightness,
                    ..plain
                },
                true,
            ),
        ];
        let knots = [10, 11, 500];
        for (what, controls, tilted) in cases {
            let voices: Vec<(VoiceLfo, Controls)> = (0..4)
                .map(|n| {
                    let lfo = movement.start_voice(n * 333, n);
                    (lfo, if n % 2 == 0 { controls } else { plain })
                })
                .collect();
            assert_at_once_as_alone(&movement, &voices, &knots, what);
            // The case is what it says: its partials' levels differ, or its level is not the
            // plain voice's.
            let (lfo, knot) = (&voices[0].0, knots[2]);
            let [first, rest @ ..] = movement.voice_knot(lfo, knot, &controls).levels;
            let unpressed = movement.voice_knot(lfo, knot, &plain).levels[0];
            assert_eq!(rest.iter().any(|&level| level != first), tilted, "{what}");
            assert_eq!(first != unpressed, !tilted, "{what}");
        }
    }
}
