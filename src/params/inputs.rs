//! What the audio thread has read of the parameters ([`ParameterInputs`]: every value's bits,
//! in registry order, read again only where one changed), and which groups of them moved
//! since the last such block ([`Groups`]), so only those are handed to the engine (at 64-sample
//! blocks following every parameter was a visible share of the plugin's cost).
//!
//! Each parameter's group follows from the registry ([`group_of`]): a parameter added later
//! lands in [`Group::Notes`], which the plugin hands on through the engine's settings, so it is
//! followed without a line here.

use super::QuintetParams;
use super::loads::ParamSet;
use quintet_core::params::{Kind, PARAM_COUNT, Param};

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

/// Every parameter, as a [`ParamSet`].
pub const EVERY_PARAM: ParamSet = ParamSet::MAX >> (ParamSet::BITS as usize - PARAM_COUNT);

/// The partials' frequencies, as a [`ParamSet`].
pub const FREQUENCY_PARAMS: ParamSet = {
    let mut set = 0;
    let mut k = 0;
    while k < Param::FREQUENCIES.len() {
        set |= 1 << Param::FREQUENCIES[k].index();
        k += 1;
    }
    set
};

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

    /// Continuous parameter `param`'s value as last read, clamped to its range: what
    /// [`QuintetParams::plain`] gives for that reading, without reading the parameter again.
    #[inline(always)]
    pub fn float_plain(&self, param: Param) -> f64 {
        debug_assert!(
            matches!(param.spec().kind, Kind::Float { .. }),
            "{param:?} is not continuous"
        );
        param
            .spec()
            .clamp(f64::from(f32::from_bits(self.bits(param.index()))))
    }

    /// [`Self::refresh`] for a `changed` of frequencies alone: whether one moved. Each of the
    /// five is tested at its known index, where the loop over the set's bits cost about 20
    /// instructions per changed parameter and gathered groups this case does not need.
    #[inline]
    pub fn refresh_frequencies(&mut self, params: &QuintetParams, changed: ParamSet) -> bool {
        debug_assert_eq!(changed & !FREQUENCY_PARAMS, 0, "frequencies alone");
        let all = params.all();
        let mut moved = false;
        for param in Param::FREQUENCIES {
            let index = param.index();
            if changed & (1 << index) != 0 {
                let bits = all[index].value_bits();
                moved |= bits != self.0[index];
                self.0[index] = bits;
            }
        }
        moved
    }

    /// Reads again the parameters in `changed` (others keep what was read before) and returns
    /// those whose value differs from the last reading, and their groups. A host automating a
    /// few parameters densely has the plugin read those few, not all.
    #[inline]
    pub fn refresh(&mut self, params: &QuintetParams, changed: ParamSet) -> Moved {
        let all = params.all();
        let (mut moved, mut groups) = (0, 0);
        let changed = changed & EVERY_PARAM;
        // Word by word, in `u64`s: each `u128` operation on the set is two or more instructions
        // (a trailing-zero count a branch besides), and this runs per parameter event.
        for (word, first) in [(changed as u64, 0), ((changed >> 64) as u64, 64)] {
            let mut left = word;
            let mut moved_here = 0;
            while left != 0 {
                // The lowest bit as a mask, not shifted in from its index.
                let bit = left & left.wrapping_neg();
                let index = first + left.trailing_zeros() as usize;
                left ^= bit;
                let bits = all[index].value_bits();
                if bits != self.0[index] {
                    self.0[index] = bits;
                    moved_here |= bit;
                    groups |= GROUP_BITS[index];
                }
            }
            moved |= ParamSet::from(moved_here) << first;
        }
        Moved {
            params: moved,
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

    /// A continuous parameter's value as read is the value the parameters give, to the bit.
    #[test]
    fn a_continuous_value_as_read_is_the_parameters_value() {
        let params = QuintetParams::default();
        let floats = Param::ALL
            .into_iter()
            .filter(|param| matches!(param.spec().kind, Kind::Float { .. }));
        for param in floats {
            let ptr = params.get(param).as_ptr();
            for normalized in [0.0, 0.3, 0.77, 1.0] {
                // SAFETY: `ptr` points into `params`, alive for the whole loop and seen by no
                // other thread.
                unsafe { ptr._internal_set_normalized_value(normalized) };
                let read = ParameterInputs::read(&params).float_plain(param);
                let plain = params.plain(param);
                assert_eq!(read.to_bits(), plain.to_bits(), "{}", param.spec().id);
            }
        }
    }

    /// Moving any one parameter moves its group and no other.
    #[test]
    fn a_moved_parameter_moves_its_group_alone() {
        let params = QuintetParams::default();
        let before = ParameterInputs::read(&params);
        assert_eq!({ before }.refresh(&params, EVERY_PARAM), Moved::default());
        for param in Param::ALL {
            let ptr = params.get(param).as_ptr();
            // SAFETY: `ptr` points into `params`, alive for the whole loop and seen by no
            // other thread.
            let default = unsafe { ptr.default_normalized_value() };
            let other = if default < 0.5 { 1.0 } else { 0.0 };
            // SAFETY: as above.
            unsafe { ptr._internal_set_normalized_value(other) };
            let moved = { before }.refresh(&params, EVERY_PARAM);
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
