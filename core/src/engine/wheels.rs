//! The sixteen channels' pitch wheels, and which notes each one bends.
//!
//! - **MPE off**: sixteen ordinary channels. A wheel bends the notes played on its own channel
//!   and no other, as a multi-channel MIDI file (one instrument a channel) expects.
//! - **MPE on** (the lower zone, channels 1 ..= 16): channel 1 (0 here) is the master channel,
//!   whose wheel bends every note; channels 2 ..= 16 are member channels, each wheel bending the
//!   notes on its channel on top of the master's bend.
//!
//! Both read the same stored wheel positions, so switching MPE while notes sound moves each note
//! to its pitch under the new rule.

use super::input::Channel;

/// MIDI channels.
const CHANNELS: usize = 16;

/// The MPE lower zone's master channel (MIDI's channel 1).
pub const MPE_MASTER_CHANNEL: Channel = 0;

/// Each channel's wheel and whether MPE's lower zone is on.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Wheels {
    /// Each channel's wheel, -1 ..= 1 (0 at rest).
    bends: [f64; CHANNELS],
    mpe: bool,
}

impl Wheels {
    /// Every wheel at rest.
    pub fn new(mpe: bool) -> Self {
        Self {
            bends: [0.0; CHANNELS],
            mpe,
        }
    }

    /// Switches MPE's lower zone on or off; the wheels stay where they are.
    pub fn set_mpe(&mut self, mpe: bool) {
        self.mpe = mpe;
    }

    /// Moves `channel`'s wheel to `bend` (-1 ..= 1); a channel past 16 is ignored. Returns
    /// whether the wheel exists.
    pub fn set(&mut self, channel: Channel, bend: f64) -> bool {
        self.bends
            .get_mut(usize::from(channel))
            .map(|stored| *stored = bend)
            .is_some()
    }

    /// How far a note played on `channel` is bent, -2 ..= 2 (in bend ranges): its channel's
    /// wheel, plus the master channel's with MPE on.
    pub fn bend_of(&self, channel: Channel) -> f64 {
        let own = self.bends.get(usize::from(channel)).copied().unwrap_or(0.0);
        if self.mpe && channel != MPE_MASTER_CHANNEL {
            own + self.bends[usize::from(MPE_MASTER_CHANNEL)]
        } else {
            own
        }
    }

    /// Whether `wheel`'s channel bends a note played on `channel`.
    pub fn reaches(&self, wheel: Channel, channel: Channel) -> bool {
        wheel == channel || (self.mpe && wheel == MPE_MASTER_CHANNEL)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn without_mpe_a_wheel_bends_its_own_channel_alone() {
        let mut wheels = Wheels::new(false);
        assert!(wheels.set(0, 0.5));
        assert!(wheels.set(3, -0.25));
        assert_eq!(wheels.bend_of(0), 0.5);
        assert_eq!(wheels.bend_of(3), -0.25);
        assert_eq!(wheels.bend_of(1), 0.0);
        assert!(wheels.reaches(3, 3));
        assert!(!wheels.reaches(0, 3));
    }

    #[test]
    fn with_mpe_the_master_channel_bends_every_note_on_top_of_its_own() {
        let mut wheels = Wheels::new(true);
        wheels.set(0, 0.5);
        wheels.set(3, -0.25);
        assert_eq!(wheels.bend_of(0), 0.5);
        assert_eq!(wheels.bend_of(3), 0.25);
        assert_eq!(wheels.bend_of(1), 0.5);
        assert!(wheels.reaches(0, 3));
        assert!(!wheels.reaches(3, 1));
    }

    #[test]
    fn switching_mpe_keeps_the_wheels() {
        let mut wheels = Wheels::new(true);
        wheels.set(0, 1.0);
        wheels.set_mpe(false);
        assert_eq!(wheels.bend_of(2), 0.0);
        wheels.set_mpe(true);
        assert_eq!(wheels.bend_of(2), 1.0);
        assert!(!wheels.set(16, 1.0), "there is no 17th channel");
    }
}
