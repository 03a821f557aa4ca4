//! What the views draw from: the partials the engine reports it plays (the drone's, or every
//! sounding voice's in MIDI mode), not what the sliders say — in MIDI mode the sliders set the
//! timbre, and the notes decide the pitches.

use crate::dsp::PARTIAL_COUNT;
use crate::engine::pitch::note_name;
use crate::tap::Playing;
use egui::Color32;

/// The frequencies (Hz) the views follow.
#[derive(Clone, Debug, PartialEq)]
pub struct WhatPlays {
    /// Each audible partial of each sounding voice, with the partial's index (0 ..= 4).
    pub partials: Vec<(f32, usize)>,
    /// Why nothing is drawn, when nothing sounds: shown in place of the picture.
    pub silence: Option<&'static str>,
    /// The notes sounding in MIDI mode, for the header ("C4 E4 G4"); `None` as a drone.
    pub notes: Option<String>,
    /// In MIDI mode, the newest sounding note: its key and its five partials' frequencies
    /// now, Hz (what the partials' rows say they play).
    pub newest: Option<(u8, [f32; PARTIAL_COUNT])>,
}

impl WhatPlays {
    /// From the tap's report; `fallback_hz` (the frequency settings) until the first report
    /// arrives.
    pub fn of(playing: &Playing, reported: bool, fallback_hz: [f32; PARTIAL_COUNT]) -> Self {
        if !reported {
            return Self {
                partials: fallback_hz.into_iter().zip(0..).collect(),
                silence: None,
                notes: None,
                newest: None,
            };
        }
        let partials: Vec<(f32, usize)> = playing
            .sounding()
            .iter()
            .flat_map(|voice| {
                (0..PARTIAL_COUNT)
                    .filter(|&k| voice.audible[k])
                    .map(|k| (voice.frequencies_hz[k], k))
            })
            .collect();
        let keys: Vec<u8> = playing.sounding().iter().filter_map(|v| v.key).collect();
        let silence = if playing.notes && keys.is_empty() {
            Some("MIDI mode: play a note")
        } else if partials.is_empty() {
            Some("silent: every partial is muted")
        } else {
            None
        };
        let newest = playing
            .sounding()
            .iter()
            .filter_map(|voice| Some((voice.started, voice.key?, voice.frequencies_hz)))
            .max_by_key(|&(started, _, _)| started)
            .map(|(_, key, frequencies_hz)| (key, frequencies_hz));
        let notes = playing.notes.then(|| {
            let mut keys = keys;
            keys.sort_unstable();
            keys.dedup();
            keys.into_iter()
                .map(note_name)
                .collect::<Vec<_>>()
                .join(" ")
        });
        Self {
            partials,
            silence,
            notes,
            newest,
        }
    }

    /// The frequencies alone (for the scope's period).
    pub fn frequencies_hz(&self) -> Vec<f32> {
        self.partials.iter().map(|&(hz, _)| hz).collect()
    }

    /// Spectrum markers: each partial's frequency, number (1 ..= 5) and colour.
    pub fn markers(&self, colors: &[Color32; PARTIAL_COUNT]) -> Vec<(f32, usize, Color32)> {
        self.partials
            .iter()
            .map(|&(hz, partial)| (hz, partial + 1, colors[partial]))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::{Engine, NoteInput, NoteMatch, NoteRef, Settings};

    const DEFAULTS: [f32; PARTIAL_COUNT] = [200.0, 250.0, 300.0, 350.0, 400.0];

    fn reported(engine: &Engine) -> WhatPlays {
        let mut playing = Playing::default();
        engine.describe(&mut playing);
        WhatPlays::of(&playing, true, DEFAULTS)
    }

    fn play(engine: &mut Engine, key: u8) {
        engine.handle(NoteInput::NoteOn {
            note: NoteRef::without_id(0, key),
            velocity: 1.0,
        });
        engine.render(&mut [0.0; 64]);
    }

    #[test]
    fn the_drone_shows_its_five_partials() {
        let engine = Engine::new(48_000.0, Settings::default());
        let plays = reported(&engine);
        assert_eq!(plays.frequencies_hz(), DEFAULTS);
        assert_eq!((plays.silence, plays.notes), (None, None));
        assert_eq!(plays.newest, None);
    }

    #[test]
    fn in_midi_mode_the_markers_are_on_the_played_partials() {
        let settings = Settings {
            midi: true,
            ..Settings::default()
        };
        let mut engine = Engine::new(48_000.0, settings);
        engine.render(&mut [0.0; 4800]);
        let idle = reported(&engine);
        assert_eq!(idle.silence, Some("MIDI mode: play a note"));
        assert_eq!(idle.notes.as_deref(), Some(""));
        // E4 (329.63 Hz): its partials at the default ratios, not at the sliders' 200–400 Hz.
        play(&mut engine, 64);
        play(&mut engine, 60);
        let plays = reported(&engine);
        assert_eq!(plays.notes.as_deref(), Some("C4 E4"));
        let e4 = 440.0 * 2f32.powf(-5.0 / 12.0);
        for ratio in [1.0, 1.25, 1.5, 1.75, 2.0] {
            assert!(
                plays
                    .frequencies_hz()
                    .iter()
                    .any(|hz| (hz - e4 * ratio).abs() < 0.01),
                "{ratio}: {plays:?}"
            );
        }
        assert_eq!(plays.partials.len(), 10);
        // C4, played last, is the newest, with its own partials.
        let (key, frequencies_hz) = plays.newest.expect("a newest note");
        assert_eq!(key, 60);
        let c4 = 440.0 * 2f32.powf(-9.0 / 12.0);
        for (hz, ratio) in frequencies_hz.into_iter().zip([1.0, 1.25, 1.5, 1.75, 2.0]) {
            assert!((hz - c4 * ratio).abs() < 0.01, "{ratio}: {hz}");
        }
        // E4 ends, and G4 takes the voice it left: the newest, wherever its voice is.
        engine.handle(NoteInput::NoteOff {
            target: NoteMatch::key(0, 64),
        });
        engine.render(&mut [0.0; 9600]);
        play(&mut engine, 67);
        let plays = reported(&engine);
        assert_eq!(plays.notes.as_deref(), Some("C4 G4"));
        assert_eq!(plays.newest.map(|(key, _)| key), Some(67));
    }

    #[test]
    fn muted_partials_have_no_marker_and_all_muted_says_so() {
        let mut settings = Settings {
            levels: [1.0, 0.0, 1.0, 0.0, 1.0],
            ..Settings::default()
        };
        let plays = reported(&Engine::new(48_000.0, settings));
        assert_eq!(plays.frequencies_hz(), [200.0, 300.0, 400.0]);
        settings.levels = [0.0; PARTIAL_COUNT];
        let plays = reported(&Engine::new(48_000.0, settings));
        assert_eq!(plays.silence, Some("silent: every partial is muted"));
    }
}
