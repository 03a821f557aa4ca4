//! What the audio thread reads of the parameters in a block where one moved
//! ([`ParameterInputs`]: every value's bits, in registry order), and which groups of them moved
//! since the last such block ([`Groups`]), so only those are handed to the engine (at 64-sample
//! blocks following every parameter was a visible share of the plugin's cost).
//!
//! Each parameter's group follows from the registry ([`group_of`]): a parameter added later
//! lands in [`Group::Notes`], which the plugin hands on through the engine's settings, so it is
//! followed without a line here.

use super::QuintetParams;
use super::loads::ParamSet;
use quintet_core::params::{PARAM_COUNT, Param};

/// Parameters the plugin hands to the engine together.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Group {
    /// The five frequencies: each glides or jumps.
    Frequencies,
    /// The five levels and mutes: each ramps or jumps.
    Levels,
    /// The output gain.
    Gain,
    /// MIDI mode.
    Midi,
    /// Everything the notes play with (voices, envelope, glide time, bend range, and any
    /// parameter added later): cheap to pass on, so they move together.
    Notes,
}

/// Parameter `param`'s group.
pub const fn group_of(param: Param) -> Group {
    let index = param.index();
    if contains(&Param::FREQUENCIES, index) {
        Group::Frequencies
    } else if contains(&Param::LEVELS, index) || contains(&Param::MUTES, index) {
        Group::Levels
    } else if index == Param::GAIN.index() {
        Group::Gain
    } else if index == Param::MIDI.index() {
        Group::Midi
    } else {
        Group::Notes
    }
}

/// Whether `params` has the parameter at `index`.
const fn contains(params: &[Param], index: usize) -> bool {
    let mut k = 0;
    while k < params.len() {
        if params[k].index() == index {
            return true;
        }
        k += 1;
    }
    false
}

/// Each parameter's group as a bit, in registry order.
const GROUP_BITS: [u8; PARAM_COUNT] = {
    let mut bits = [0; PARAM_COUNT];
    let mut index = 0;
    while index < PARAM_COUNT {
        bits[index] = 1 << group_of(Param::ALL[index]) as u8;
        index += 1;
    }
    bits
};

/// A set of [`Group`]s.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Groups(u8);

impl Groups {
    /// Every group.
    pub const ALL: Groups = Groups(u8::MAX);

    /// Whether `group` is in the set.
    #[inline]
    pub fn contains(self, group: Group) -> bool {
        self.0 & (1 << group as u8) != 0
    }
}

/// Every parameter's value as bits, in registry order. (A NaN compares equal to itself here,
/// which is harmless: the engine ignores non-finite values anyway.)
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct ParameterInputs([u32; PARAM_COUNT]);

impl Default for ParameterInputs {
    fn default() -> Self {
        Self([0; PARAM_COUNT])
    }
}

impl ParameterInputs {
    /// The values `params` hold now.
    #[inline]
    pub fn read(params: &QuintetParams) -> Self {
        let all = params.all();
        Self(std::array::from_fn(|index| all[index].value_bits()))
    }

    /// Parameter `index`'s value bits ([`super::PluginParam::value_bits`]).
    #[inline]
    pub fn bits(&self, index: usize) -> u32 {
        self.0[index]
    }

    /// The parameters whose value differs from `last`'s, and their groups.
    #[inline]
    pub fn moved_since(&self, last: &Self) -> Moved {
        let pairs = self.0.iter().zip(&last.0).zip(&GROUP_BITS).enumerate();
        let (params, groups) =
            pairs.fold((0, 0), |(params, groups), (index, ((now, then), bit))| {
                if now != then {
                    (params | 1 << index, groups | *bit)
                } else {
                    (params, groups)
                }
            });
        Moved {
            params,
            groups: Groups(groups),
        }
    }
}

/// What moved between two readings of the parameters.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Moved {
    /// The parameters whose value changed.
    pub params: ParamSet,
    /// Their groups.
    pub groups: Groups,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_group_is_the_parameters_it_hands_on() {
        let group = |id: &str| group_of(Param::from_id(id).unwrap());
        assert_eq!(group("freq3"), Group::Frequencies);
        assert_eq!(group("level1"), Group::Levels);
        assert_eq!(group("mute5"), Group::Levels);
        assert_eq!(group("gain"), Group::Gain);
        assert_eq!(group("midi"), Group::Midi);
        for id in [
            "mglide", "voices", "attack", "decay", "sustain", "release", "bendrng",
        ] {
            assert_eq!(group(id), Group::Notes, "{id}");
        }
    }

    /// Moving any one parameter moves its group and no other.
    #[test]
    fn a_moved_parameter_moves_its_group_alone() {
        let params = QuintetParams::default();
        let before = ParameterInputs::read(&params);
        assert_eq!(before.moved_since(&before), Moved::default());
        for param in Param::ALL {
            let ptr = params.get(param).as_ptr();
            // SAFETY: `ptr` points into `params`, alive for the whole loop and seen by no
            // other thread.
            let default = unsafe { ptr.default_normalized_value() };
            let other = if default < 0.5 { 1.0 } else { 0.0 };
            // SAFETY: as above.
            unsafe { ptr._internal_set_normalized_value(other) };
            let moved = ParameterInputs::read(&params).moved_since(&before);
            assert_eq!(moved.params, 1 << param.index(), "{}", param.spec().id);
            let moved = moved.groups;
            let group = group_of(param);
            for other_group in [
                Group::Frequencies,
                Group::Levels,
                Group::Gain,
                Group::Midi,
                Group::Notes,
            ] {
                assert_eq!(
                    moved.contains(other_group),
                    other_group == group,
                    "{} moved {other_group:?}",
                    param.spec().id
                );
            }
            // SAFETY: as above.
            unsafe { ptr._internal_set_normalized_value(default) };
        }
    }
}
