//! Per-note events of a polyphonic CLAP instrument: notes addressed by note id and channel, note
//! expressions, polyphonic modulation (sent by the host), and the note ends the plugin reports
//! back.
//!
//! CLAP addresses a voice by port, channel, key and note id. A host that tracks voices (Bitwig,
//! Reaper) gives every note on a fresh note id and sends expressions and modulation to that id; a
//! simpler host sends -1 (any) and leaves the plugin to match by channel and key. The tests need
//! both, so every address here is spelled out, with -1 meaning "any" as in CLAP.

use crate::events::{HostEvent, ParamChange};
use clack_host::events::Pckn;
use clack_host::events::event_types::NoteExpressionType;

/// CLAP's wildcard: no note id (or any channel or key, where those are `i16`).
pub const ANY: i16 = -1;
/// No note id: the note is addressed by channel and key only.
pub const NO_NOTE_ID: i32 = -1;

/// The CLAP address of a voice on note port 0: a negative value in any field means "any".
pub(crate) fn pckn(channel: i16, key: i16, note_id: i32) -> Pckn {
    Pckn::from_raw(0, channel, key, note_id)
}

/// What a [`NoteMessage`] does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NoteKind {
    On,
    /// A release: the voice fades out as its envelope says.
    Off,
    /// CLAP's `note_choke`: the voice stops at once, without a release (a hi-hat closing).
    Choke,
}

/// A CLAP `note_on`, `note_off` or `note_choke` event on note port 0.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct NoteMessage {
    /// Sample offset counted from the start of the render call that sends it.
    pub frame: usize,
    /// MIDI key, 0..=127 (anything else is a hostile value).
    pub key: u8,
    /// Velocity, normally 0..=1; ignored for a choke.
    pub velocity: f64,
    pub kind: NoteKind,
    /// The host's id for this note, [`NO_NOTE_ID`] (-1) for none.
    pub note_id: i32,
    /// MIDI channel, 0..=15.
    pub channel: u8,
}

impl NoteMessage {
    /// A note on with any velocity, without a note id, on channel 0.
    pub fn on(frame: usize, key: u8, velocity: f64) -> HostEvent {
        Self::on_with(frame, key, velocity, NO_NOTE_ID, 0)
    }

    /// A note off without a note id, on channel 0: releases every voice playing `key` there.
    pub fn off(frame: usize, key: u8) -> HostEvent {
        Self::off_with(frame, key, NO_NOTE_ID, 0)
    }

    /// A note on with a note id (or [`NO_NOTE_ID`]) on `channel`.
    pub fn on_with(frame: usize, key: u8, velocity: f64, note_id: i32, channel: u8) -> HostEvent {
        Self::message(NoteKind::On, frame, key, velocity, note_id, channel)
    }

    /// A note off for the note with this id (or, with [`NO_NOTE_ID`], every note on `key` and
    /// `channel`).
    pub fn off_with(frame: usize, key: u8, note_id: i32, channel: u8) -> HostEvent {
        Self::message(NoteKind::Off, frame, key, 0.0, note_id, channel)
    }

    /// A choke of the note with this id (or, with [`NO_NOTE_ID`], every note on `key` and
    /// `channel`).
    pub fn choke(frame: usize, key: u8, note_id: i32, channel: u8) -> HostEvent {
        Self::message(NoteKind::Choke, frame, key, 0.0, note_id, channel)
    }

    fn message(
        kind: NoteKind,
        frame: usize,
        key: u8,
        velocity: f64,
        note_id: i32,
        channel: u8,
    ) -> HostEvent {
        HostEvent::Note(Self {
            frame,
            key,
            velocity,
            kind,
            note_id,
            channel,
        })
    }

    /// The voice this message addresses.
    pub(crate) fn pckn(&self) -> Pckn {
        pckn(i16::from(self.channel), i16::from(self.key), self.note_id)
    }
}

/// Which of CLAP's note expressions a [`NoteExpression`] carries, and so what its value means.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExpressionKind {
    /// Relative tuning in semitones, -120..=120.
    Tuning,
    /// Linear gain, 0 < x <= 4 (1 leaves the voice as it is).
    Volume,
    /// 0 is left, 0.5 centre, 1 right.
    Pan,
    /// 0..=1 (polyphonic aftertouch).
    Pressure,
    /// 0..=1.
    Vibrato,
    /// 0..=1.
    Expression,
    /// 0..=1.
    Brightness,
}

impl ExpressionKind {
    pub(crate) fn to_clap(self) -> NoteExpressionType {
        match self {
            ExpressionKind::Tuning => NoteExpressionType::Tuning,
            ExpressionKind::Volume => NoteExpressionType::Volume,
            ExpressionKind::Pan => NoteExpressionType::Pan,
            ExpressionKind::Pressure => NoteExpressionType::Pressure,
            ExpressionKind::Vibrato => NoteExpressionType::Vibrato,
            ExpressionKind::Expression => NoteExpressionType::Expression,
            ExpressionKind::Brightness => NoteExpressionType::Brightness,
        }
    }
}

/// A CLAP `note_expression` event: a statement of the addressed voice's current value of one
/// expression (not an increment), effective from its frame.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct NoteExpression {
    /// Sample offset counted from the start of the render call that sends it.
    pub frame: usize,
    /// The note id the voice was started with, [`NO_NOTE_ID`] (-1) to address by channel and key.
    pub note_id: i32,
    /// MIDI channel 0..=15, [`ANY`] (-1) for any.
    pub channel: i16,
    /// MIDI key 0..=127, [`ANY`] (-1) for any.
    pub key: i16,
    pub kind: ExpressionKind,
    /// In the kind's units (see [`ExpressionKind`]); sent as given, hostile values included.
    pub value: f64,
}

impl NoteExpression {
    /// Any expression, any value.
    pub fn of(
        frame: usize,
        kind: ExpressionKind,
        note_id: i32,
        channel: i16,
        key: i16,
        value: f64,
    ) -> HostEvent {
        HostEvent::Expression(Self {
            frame,
            note_id,
            channel,
            key,
            kind,
            value,
        })
    }

    /// Retunes the voice by `semitones` (relative to its key).
    pub fn tuning(frame: usize, note_id: i32, channel: i16, key: i16, semitones: f64) -> HostEvent {
        Self::of(
            frame,
            ExpressionKind::Tuning,
            note_id,
            channel,
            key,
            semitones,
        )
    }

    /// Sets the voice's linear gain (0 < gain <= 4).
    pub fn volume(frame: usize, note_id: i32, channel: i16, key: i16, gain: f64) -> HostEvent {
        Self::of(frame, ExpressionKind::Volume, note_id, channel, key, gain)
    }

    /// Pans the voice: 0 left, 0.5 centre, 1 right.
    pub fn pan(frame: usize, note_id: i32, channel: i16, key: i16, pan: f64) -> HostEvent {
        Self::of(frame, ExpressionKind::Pan, note_id, channel, key, pan)
    }

    /// Polyphonic aftertouch, 0..=1.
    pub fn pressure(
        frame: usize,
        note_id: i32,
        channel: i16,
        key: i16,
        pressure: f64,
    ) -> HostEvent {
        Self::of(
            frame,
            ExpressionKind::Pressure,
            note_id,
            channel,
            key,
            pressure,
        )
    }

    /// 0..=1.
    pub fn vibrato(frame: usize, note_id: i32, channel: i16, key: i16, vibrato: f64) -> HostEvent {
        Self::of(
            frame,
            ExpressionKind::Vibrato,
            note_id,
            channel,
            key,
            vibrato,
        )
    }

    /// 0..=1.
    pub fn expression(frame: usize, note_id: i32, channel: i16, key: i16, value: f64) -> HostEvent {
        Self::of(
            frame,
            ExpressionKind::Expression,
            note_id,
            channel,
            key,
            value,
        )
    }

    /// 0..=1.
    pub fn brightness(frame: usize, note_id: i32, channel: i16, key: i16, value: f64) -> HostEvent {
        Self::of(
            frame,
            ExpressionKind::Brightness,
            note_id,
            channel,
            key,
            value,
        )
    }

    /// The voice this expression addresses.
    pub(crate) fn pckn(&self) -> Pckn {
        pckn(self.channel, self.key, self.note_id)
    }
}

/// Polyphonic modulation: a CLAP `param_mod` event addressed to one voice, an offset in
/// normalized units added to that voice's value of the parameter until the next one replaces it.
///
/// nice-plug treats it as polyphonic only when `note_id` is not -1 and the parameter has a poly
/// modulation id; it ignores `channel` and `key`. Otherwise it is monophonic modulation.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PolyMod {
    /// Frame, parameter and offset (`normalized` holds the offset, in normalized units; the host
    /// scales it to the parameter's CLAP range as for monophonic modulation, see [`crate::units`]).
    pub change: ParamChange,
    /// The note id the voice was started with.
    pub note_id: i32,
    /// MIDI channel 0..=15, [`ANY`] (-1) for any.
    pub channel: i16,
    /// MIDI key 0..=127, [`ANY`] (-1) for any.
    pub key: i16,
}

impl PolyMod {
    /// Modulates `change.param` by `change.normalized` for the voice with `note_id` (playing `key`
    /// on `channel`, as a host that tracks voices also says).
    pub fn voice(change: ParamChange, note_id: i32, channel: i16, key: i16) -> HostEvent {
        HostEvent::PolyMod(Self {
            change,
            note_id,
            channel,
            key,
        })
    }

    /// The voice this modulation addresses.
    pub(crate) fn pckn(&self) -> Pckn {
        pckn(self.channel, self.key, self.note_id)
    }
}

/// A CLAP `note_end` event the plugin sent: the voice has gone silent and freed itself, so a host
/// may stop modulating it. Fields are CLAP's raw values (-1 for "none").
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NoteEnd {
    /// Counted from the start of the render that reported it.
    pub frame: usize,
    pub note_id: i32,
    pub channel: i16,
    pub key: i16,
}

#[cfg(test)]
mod tests {
    use super::*;
    use clack_host::events::Match;

    #[test]
    fn plain_notes_match_any_note_id_on_channel_0() {
        let HostEvent::Note(note) = NoteMessage::on(5, 60, 0.5) else {
            panic!("a note");
        };
        assert_eq!(note.kind, NoteKind::On);
        assert_eq!(note.pckn(), Pckn::new(0u16, 0u16, 60u16, Match::All));
    }

    #[test]
    fn addressed_events_carry_their_voice() {
        let HostEvent::Note(note) = NoteMessage::choke(0, 64, 7, 3) else {
            panic!("a note");
        };
        assert_eq!(note.pckn(), Pckn::new(0u16, 3u16, 64u16, 7u32));
        let HostEvent::Expression(tuning) = NoteExpression::tuning(9, 7, ANY, ANY, -1.5) else {
            panic!("an expression");
        };
        assert_eq!(tuning.pckn(), Pckn::new(0u16, Match::All, Match::All, 7u32));
        assert_eq!(tuning.kind.to_clap(), NoteExpressionType::Tuning);
        let change = ParamChange {
            frame: 11,
            param: clack_host::prelude::ClapId::new(2),
            normalized: 0.25,
        };
        let modulation = PolyMod::voice(change, 7, 3, 64);
        assert_eq!(modulation.frame(), 11);
        let HostEvent::PolyMod(modulation) = modulation else {
            panic!("poly modulation");
        };
        assert_eq!(modulation.pckn(), Pckn::new(0u16, 3u16, 64u16, 7u32));
    }
}
