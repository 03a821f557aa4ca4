//! What a song leaves sounding when it ends. A MIDI file may reach its End of Track with keys
//! still down, or with the sustain pedal holding notes; a render that stopped there would cut
//! them off with a step. A DAW's transport stop sends "all notes off", and so does the song's
//! end: on every channel that still holds a note, at End of Track, so each release plays out.

use crate::engine::{ALL_NOTES_OFF_CC, Channel, NoteInput, RESET_ALL_CONTROLLERS_CC};
use crate::engine::{ALL_SOUND_OFF_CC, SUSTAIN_PEDAL_CC};

/// MIDI channels in a file.
const CHANNELS: usize = 16;

/// The keys down and the pedals down on each channel, followed event by event. It errs towards
/// "held" (an event it does not follow, such as a reset on another channel, costs at most one
/// needless "all notes off"), never towards a note left sounding.
#[derive(Clone, Copy, Debug, Default)]
pub(super) struct HeldAtEnd {
    /// Bit `k` of channel `c`: key `k` went down on `c` and has not come up.
    keys: [u128; CHANNELS],
    /// The sustain pedal is down on the channel.
    pedal: [bool; CHANNELS],
}

impl HeldAtEnd {
    /// Follows `inputs`, in playing order.
    pub(super) fn after<'a>(inputs: impl IntoIterator<Item = &'a NoteInput>) -> Self {
        let mut held = Self::default();
        for input in inputs {
            held.follow(input);
        }
        held
    }

    /// The events that release everything still held: "all notes off" on each channel that
    /// holds a note or has its pedal down, lowest channel first.
    pub(super) fn releases(&self) -> impl Iterator<Item = NoteInput> + '_ {
        (0..CHANNELS)
            .filter(|&c| self.keys[c] != 0 || self.pedal[c])
            .map(|c| NoteInput::ControlChange {
                channel: c as Channel,
                controller: ALL_NOTES_OFF_CC,
                value: 0.0,
            })
    }

    fn follow(&mut self, input: &NoteInput) {
        match *input {
            NoteInput::NoteOn { note, .. } => {
                if let Some(keys) = self.keys.get_mut(usize::from(note.channel)) {
                    *keys |= 1 << (note.key & 0x7F);
                }
            }
            // A file's note-off names its channel and key.
            NoteInput::NoteOff { target } => {
                if let (Some(channel), Some(key)) = (target.channel, target.key)
                    && let Some(keys) = self.keys.get_mut(usize::from(channel))
                {
                    *keys &= !(1 << (key & 0x7F));
                }
            }
            NoteInput::ControlChange {
                channel,
                controller,
                value,
            } => {
                let c = usize::from(channel);
                if c >= CHANNELS {
                    return;
                }
                match controller {
                    SUSTAIN_PEDAL_CC => self.pedal[c] = value >= 0.5,
                    RESET_ALL_CONTROLLERS_CC => self.pedal[c] = false,
                    ALL_NOTES_OFF_CC | ALL_SOUND_OFF_CC => self.keys[c] = 0,
                    _ => {}
                }
            }
            NoteInput::Choke { .. }
            | NoteInput::PitchBend { .. }
            | NoteInput::Tuning { .. }
            | NoteInput::Volume { .. }
            | NoteInput::ChannelPressure { .. }
            | NoteInput::Expression { .. }
            | NoteInput::Pan { .. } => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::{NoteMatch, NoteRef};

    fn on(channel: Channel, key: u8) -> NoteInput {
        NoteInput::NoteOn {
            note: NoteRef::without_id(channel, key),
            velocity: 1.0,
        }
    }

    fn off(channel: Channel, key: u8) -> NoteInput {
        NoteInput::NoteOff {
            target: NoteMatch::key(channel, key),
        }
    }

    fn cc(channel: Channel, controller: u8, value: f32) -> NoteInput {
        NoteInput::ControlChange {
            channel,
            controller,
            value,
        }
    }

    fn released_channels(inputs: &[NoteInput]) -> Vec<Channel> {
        let held = HeldAtEnd::after(inputs);
        held.releases()
            .map(|input| match input {
                NoteInput::ControlChange {
                    channel,
                    controller: ALL_NOTES_OFF_CC,
                    ..
                } => channel,
                other => panic!("{other:?}"),
            })
            .collect()
    }

    #[test]
    fn only_channels_that_still_hold_a_note_are_released() {
        assert!(released_channels(&[] as &[NoteInput]).is_empty());
        assert!(released_channels(&[on(0, 60), off(0, 60)]).is_empty());
        // Key 127 and key 0 (the bit mask's ends), a key up on another channel.
        let inputs = [on(0, 127), on(5, 0), on(9, 60), off(0, 127), off(5, 60)];
        assert_eq!(released_channels(&inputs), [5, 9]);
        // All notes off in the file already released channel 9.
        let inputs = [on(9, 60), cc(9, ALL_NOTES_OFF_CC, 0.0)];
        assert!(released_channels(&inputs).is_empty());
    }

    #[test]
    fn a_pedal_down_at_the_end_is_released_too() {
        let pedal = |channel, down: bool| cc(channel, SUSTAIN_PEDAL_CC, f32::from(down));
        let sustained = [pedal(3, true), on(3, 60), off(3, 60)];
        assert_eq!(released_channels(&sustained), [3]);
        let lifted = [pedal(3, true), on(3, 60), off(3, 60), pedal(3, false)];
        assert!(released_channels(&lifted).is_empty());
        let reset = [pedal(3, true), cc(3, RESET_ALL_CONTROLLERS_CC, 0.0)];
        assert!(released_channels(&reset).is_empty());
    }
}
