//! A value for every parameter ([`Values`]), checked as it is set, and the engine's
//! [`Settings`] made from them: the one constructor the plugin, the `render` command and the
//! Python module all build their settings with.

use super::registry::{PARAM_COUNT, Param};
use super::spec::OutOfRange;
use crate::dsp::PARTIAL_COUNT;
use crate::dsp::envelope::EnvelopeShape;
use crate::dsp::lfo::{Rate, Shape};
use crate::dsp::partial_envelopes::{PartialShapes, Touch};
use crate::engine::unison::Unison;
use crate::engine::{MovementSettings, ScalePartials, Settings};

/// A plain value for every parameter (Hz, ms, linear gain, fraction, count; a switch 0 or 1),
/// each one its parameter can hold.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Values([f64; PARAM_COUNT]);

impl Default for Values {
    /// Every parameter at its default: a new instance.
    fn default() -> Self {
        Self(Param::ALL.map(|param| f64::from(param.spec().default)))
    }
}

impl Values {
    /// `param`'s value.
    pub fn get(&self, param: Param) -> f64 {
        self.0[param.index()]
    }

    /// Sets `param` to `value`, or refuses a value it cannot hold and changes nothing.
    pub fn set(&mut self, param: Param, value: f64) -> Result<(), OutOfRange> {
        self.0[param.index()] = param.spec().check(value)?;
        Ok(())
    }

    /// Sets `param` to the nearest value it can hold (a NaN: its default), for values that
    /// must be taken whatever they are (a damaged state, an old preset).
    pub fn set_clamped(&mut self, param: Param, value: f64) {
        self.0[param.index()] = param.spec().clamp(value);
    }

    fn switch(&self, param: Param) -> bool {
        self.get(param) >= 0.5
    }

    /// What the engine plays with these values: a muted partial's level is 0.
    pub fn settings(&self) -> Settings {
        Settings {
            frequencies_hz: Param::FREQUENCIES.map(|param| self.get(param)),
            levels: audible_levels(|param| self.get(param)),
            gain: self.get(Param::GAIN) as f32,
            midi: self.switch(Param::MIDI),
            voices: self.get(Param::VOICES) as usize,
            midi_glide_ms: self.get(Param::MIDI_GLIDE),
            envelope: EnvelopeShape {
                attack_ms: self.get(Param::ATTACK),
                decay_ms: self.get(Param::DECAY),
                sustain: self.get(Param::SUSTAIN) as f32,
                release_ms: self.get(Param::RELEASE),
            },
            bend_range_semitones: self.get(Param::BEND_RANGE),
            mpe: self.switch(Param::MPE),
            partial_shapes: PartialShapes {
                attack: self.five(Param::PARTIAL_ATTACKS),
                decay: self.five(Param::PARTIAL_DECAYS),
                sustain: self.five(Param::PARTIAL_SUSTAINS),
            },
            touch: Touch {
                velocity: self.five(Param::PARTIAL_VELOCITIES),
                key_tilt_db_per_octave: self.get(Param::KEY_TILT) as f32,
            },
            movement: MovementSettings {
                shape: Shape::from_index(self.get(Param::LFO_SHAPE) as usize),
                rate: Rate {
                    hz: self.get(Param::LFO_RATE),
                    sync: self.get(Param::LFO_SYNC) as usize,
                },
                delay_ms: self.get(Param::LFO_DELAY),
                fade_ms: self.get(Param::LFO_FADE),
                retrigger: !self.switch(Param::LFO_FREE),
                vibrato_cents: self.get(Param::VIBRATO),
                tremolo: self.get(Param::TREMOLO),
                brightness_db: self.get(Param::LFO_BRIGHTNESS),
                wheel_vibrato_cents: self.get(Param::WHEEL_VIBRATO),
                pressure_level_db: self.get(Param::PRESSURE_LEVEL),
                pressure_brightness_db: self.get(Param::PRESSURE_BRIGHTNESS),
                timbre_brightness_db: self.get(Param::TIMBRE_BRIGHTNESS),
            },
            scale_partials: ScalePartials {
                on: self.switch(Param::PARTIALS_ON_SCALE),
                degrees: Param::PARTIAL_DEGREES.map(|param| self.get(param) as i32),
            },
            pans: self.five(Param::PANS),
            unison: Unison {
                copies: self.get(Param::UNISON) as usize,
                detune_cents: self.get(Param::UNISON_DETUNE),
                width: self.get(Param::UNISON_WIDTH) as f32,
            },
        }
    }

    /// The five values of a family, as the engine takes them.
    fn five(&self, params: [Param; PARTIAL_COUNT]) -> [f32; PARTIAL_COUNT] {
        params.map(|param| self.get(param) as f32)
    }

    /// The values `settings` were made from, as far as they say (a level of 0 is read as a
    /// level of 0, not a mute).
    pub fn from_settings(settings: &Settings) -> Self {
        let mut values = Self::default();
        let mut put = |param: Param, value: f64| values.set_clamped(param, value);
        for k in 0..PARTIAL_COUNT {
            put(Param::FREQUENCIES[k], settings.frequencies_hz[k]);
            put(Param::LEVELS[k], f64::from(settings.levels[k]));
            let shapes = &settings.partial_shapes;
            put(Param::PARTIAL_ATTACKS[k], f64::from(shapes.attack[k]));
            put(Param::PARTIAL_DECAYS[k], f64::from(shapes.decay[k]));
            put(Param::PARTIAL_SUSTAINS[k], f64::from(shapes.sustain[k]));
            put(
                Param::PARTIAL_VELOCITIES[k],
                f64::from(settings.touch.velocity[k]),
            );
            put(
                Param::PARTIAL_DEGREES[k],
                f64::from(settings.scale_partials.degrees[k]),
            );
            put(Param::PANS[k], f64::from(settings.pans[k]));
        }
        put(Param::GAIN, f64::from(settings.gain));
        put(Param::MIDI, f64::from(u8::from(settings.midi)));
        put(Param::VOICES, settings.voices as f64);
        put(Param::MIDI_GLIDE, settings.midi_glide_ms);
        put(Param::ATTACK, settings.envelope.attack_ms);
        put(Param::DECAY, settings.envelope.decay_ms);
        put(Param::SUSTAIN, f64::from(settings.envelope.sustain));
        put(Param::RELEASE, settings.envelope.release_ms);
        put(Param::BEND_RANGE, settings.bend_range_semitones);
        put(Param::MPE, f64::from(u8::from(settings.mpe)));
        put(Param::UNISON, settings.unison.copies as f64);
        put(Param::UNISON_DETUNE, settings.unison.detune_cents);
        put(Param::UNISON_WIDTH, f64::from(settings.unison.width));
        put(
            Param::PARTIALS_ON_SCALE,
            f64::from(u8::from(settings.scale_partials.on)),
        );
        put(
            Param::KEY_TILT,
            f64::from(settings.touch.key_tilt_db_per_octave),
        );
        let movement = &settings.movement;
        let shape = Shape::ALL.iter().position(|&s| s == movement.shape);
        put(Param::LFO_SHAPE, shape.unwrap_or(0) as f64);
        put(Param::LFO_RATE, movement.rate.hz);
        put(Param::LFO_SYNC, movement.rate.sync as f64);
        put(Param::LFO_DELAY, movement.delay_ms);
        put(Param::LFO_FADE, movement.fade_ms);
        put(Param::LFO_FREE, f64::from(u8::from(!movement.retrigger)));
        put(Param::VIBRATO, movement.vibrato_cents);
        put(Param::TREMOLO, movement.tremolo);
        put(Param::LFO_BRIGHTNESS, movement.brightness_db);
        put(Param::WHEEL_VIBRATO, movement.wheel_vibrato_cents);
        put(Param::PRESSURE_LEVEL, movement.pressure_level_db);
        put(Param::PRESSURE_BRIGHTNESS, movement.pressure_brightness_db);
        put(Param::TIMBRE_BRIGHTNESS, movement.timbre_brightness_db);
        values
    }
}

/// Each partial's level as the engine plays it, read through `plain` (a parameter's plain
/// value): its level, or 0 while it is muted. The plugin reads the ten values this way when only
/// they moved, without making the whole [`Values`].
pub fn audible_levels(plain: impl Fn(Param) -> f64) -> [f32; PARTIAL_COUNT] {
    std::array::from_fn(|k| {
        if plain(Param::MUTES[k]) >= 0.5 {
            0.0
        } else {
            plain(Param::LEVELS[k]) as f32
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::limits::{DEFAULT_FREQUENCIES_HZ, DEFAULT_VOICES};

    #[test]
    fn the_defaults_are_the_notebooks_drone() {
        let settings = Values::default().settings();
        assert_eq!(settings.frequencies_hz, DEFAULT_FREQUENCIES_HZ);
        assert_eq!(settings.levels, [1.0; PARTIAL_COUNT]);
        assert!(!settings.midi);
        assert!(
            !settings.mpe,
            "ordinary MIDI channels until MPE is switched on"
        );
        assert_eq!(settings.voices, DEFAULT_VOICES);
        assert_eq!(settings, Settings::default());
    }

    #[test]
    fn a_refused_value_changes_nothing() {
        let mut values = Values::default();
        assert!(values.set(Param::VOICES, 17.0).is_err());
        assert!(values.set(Param::GAIN, f64::INFINITY).is_err());
        assert_eq!(values, Values::default());
        values.set(Param::VOICES, 3.0).unwrap();
        assert_eq!(values.settings().voices, 3);
    }

    #[test]
    fn a_muted_partial_plays_at_level_zero() {
        let mut values = Values::default();
        values.set(Param::LEVELS[1], 0.5).unwrap();
        values.set(Param::MUTES[2], 1.0).unwrap();
        assert_eq!(values.settings().levels, [1.0, 0.5, 0.0, 1.0, 1.0]);
    }

    #[test]
    fn settings_go_back_to_the_values_they_came_from() {
        let mut values = Values::default();
        values.set(Param::FREQUENCIES[3], 1234.5).unwrap();
        values.set(Param::SUSTAIN, 0.25).unwrap();
        values.set(Param::BEND_RANGE, 12.0).unwrap();
        values.set(Param::MIDI, 1.0).unwrap();
        values.set(Param::PARTIAL_ATTACKS[1], 0.5).unwrap();
        values.set(Param::PARTIAL_DECAYS[4], 0.25).unwrap();
        values.set(Param::PARTIAL_SUSTAINS[2], 0.125).unwrap();
        values.set(Param::PARTIAL_VELOCITIES[3], 0.75).unwrap();
        values.set(Param::KEY_TILT, -6.5).unwrap();
        values.set(Param::MPE, 1.0).unwrap();
        values.set(Param::PARTIALS_ON_SCALE, 1.0).unwrap();
        values.set(Param::PARTIAL_DEGREES[2], -5.0).unwrap();
        assert_eq!(Values::from_settings(&values.settings()), values);
    }
}
