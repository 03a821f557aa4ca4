//! What hovering each control says: what it does, and its unit and range. A parameter's
//! tooltip comes from its declaration in the registry (its help sentence and its range), so a
//! new parameter has one as soon as it is declared; the partials' own rows say what they are in
//! the mode they play in. The editor's other controls have their sentences here.

use crate::params::editor_size::ZOOM_RANGE;
use crate::params::frequency_to_text;
use quintet_core::params::ratio_text::{ratio_of, ratio_to_text};
use quintet_core::params::registry::FREQUENCY_RANGE;
use quintet_core::params::{Kind, Offered, Param};

/// The on-screen keyboard, with the velocities a click plays at.
pub fn keyboard() -> String {
    use super::keyboard::{TYPED_VELOCITY, layout};
    let percent = |velocity: f32| (velocity * 100.0).round();
    format!(
        "Plays notes in MIDI mode: click or drag across the keys, struck near the front (bottom) \
         for a loud note and near the back for a soft one (velocity {:.0} % at the top edge to \
         {:.0} % at the bottom), or type the letters on the keys (A W S E D F T G Y H U J K, C to \
         C; {:.0} %) with Z and X for the octave. A wider window shows more octaves. Dimmed as a \
         drone",
        percent(layout::VELOCITY_BACK),
        percent(layout::VELOCITY_FRONT),
        percent(TYPED_VELOCITY),
    )
}

/// The pitch wheel left of the keys.
pub const PITCH_WHEEL: &str = "Pitch wheel: drag up or down to bend every note by up to the Bend \
                               range; it springs back to the centre when let go. Sent as a \
                               controller's wheel on MIDI channel 1";

/// The mod wheel left of the keys.
pub const MOD_WHEEL: &str = "Mod wheel: drag up or down, it stays where it is left (double-click: \
                             down). Sends MIDI CC1 on channel 1, as a controller's wheel: it \
                             brings in vibrato, up to the Wheel vibrato depth (40 cents for a new \
                             instance) at the LFO's rate";

/// The window's resize corner.
pub const RESIZE_CORNER: &str = "Drag to resize the window (its size is saved with the project)";

/// The zoom buttons: `in` or out, with the range.
pub fn zoom(zoom_in: bool) -> String {
    let (way, end) = if zoom_in {
        ("in", ZOOM_RANGE.1)
    } else {
        ("out", ZOOM_RANGE.0)
    };
    format!(
        "Zoom {way}, to {:.0} % at most (Ctrl + wheel; Ctrl 0: 100 %)",
        end * 100.0
    )
}

/// What hovering `param`'s control says: in MIDI mode, `midi_reference_hz` is partial 1's
/// frequency setting (the ratios are to it), as a drone `None`.
pub fn for_param(param: Param, midi_reference_hz: Option<f32>) -> String {
    let spec = param.spec();
    let range = spec.range_text();
    if let Some(partial) = Param::FREQUENCIES.iter().position(|&p| p == param) {
        return frequency(partial, midi_reference_hz, &range);
    }
    if let Some(partial) = Param::MUTES.iter().position(|&p| p == param) {
        return format!(
            "Mutes partial {}: silent, its level kept for when it comes back",
            partial + 1
        );
    }
    let what = match spec.offered {
        Offered::Alone { doc, .. } => doc.to_owned(),
        Offered::Partial { family, partial } if family.key == "levels" => {
            format!(
                "Partial {}'s level: linear, shown and typed in dB",
                partial + 1
            )
        }
        Offered::Partial { family, partial } => format!("{}: partial {}", family.doc, partial + 1),
        Offered::No => spec.name.to_owned(),
    };
    let what = match spec.kind {
        Kind::Switch => what,
        Kind::Float { .. } | Kind::Int { .. } => format!("{what}. Range: {range}"),
    };
    if spec.modulated.is_some() {
        format!("{what}. {PER_NOTE}")
    } else {
        what
    }
}

/// What the tooltip of every parameter a CLAP host may modulate per voice adds.
const PER_NOTE: &str = "CLAP hosts can modulate it per note";

/// Partial `partial`'s frequency (0-based) as a drone or in MIDI mode (partial 1 at
/// `midi_reference_hz`); `range` is the parameter's range in words.
fn frequency(partial: usize, midi_reference_hz: Option<f32>, range: &str) -> String {
    let number = partial + 1;
    match (midi_reference_hz, partial) {
        (None, _) => format!(
            "Partial {number}'s frequency in the drone. Range: {range}. Type Hz, kHz (1.2k) or a \
             note name (A4, Bb2)"
        ),
        (Some(_), 0) => String::from(
            "In MIDI mode partial 1 plays the key and the other partials are ratios to it, so it \
             stays where it is here. Its drone frequency returns when MIDI mode is off",
        ),
        (Some(reference_hz), _) => format!(
            "Partial {number} in MIDI mode: its ratio to partial 1, which plays the key, and in \
             cents above the box. Type ×2, 3:2, 7/4, +386c (cents) or h7 (harmonic). Partial 1's \
             drone frequency × the ratio stays in {range}: with partial 1 at {} the ratios reach \
             {} to {}",
            frequency_to_text(reference_hz),
            ratio_to_text(ratio_of(FREQUENCY_RANGE.min, reference_hz)),
            ratio_to_text(ratio_of(FREQUENCY_RANGE.max, reference_hz)),
        ),
    }
}

/// The MTS-ESP label in the header.
pub const MTS_MASTER: &str = "An MTS-ESP master is connected and tunes the notes: each key plays \
                              the master's frequency for it on its MIDI channel, and the notes \
                              sounding follow when it retunes. Shown with the master's scale";

#[cfg(test)]
mod tests {
    use super::*;

    /// Every parameter's control says more than its name, and its range when it has one, in
    /// both modes (the hover test in `controls_tests` checks the controls show it).
    #[test]
    fn every_parameter_has_a_tooltip_with_its_range() {
        for param in Param::ALL {
            let spec = param.spec();
            for midi in [None, Some(200.0)] {
                let tooltip = for_param(param, midi);
                assert!(
                    tooltip.len() > spec.name.len() + 10,
                    "{}: {tooltip:?}",
                    spec.name
                );
                let is_switch = matches!(spec.kind, Kind::Switch);
                let locked_key = midi.is_some() && param == Param::FREQUENCIES[0];
                if !is_switch && !locked_key {
                    assert!(
                        tooltip.contains(&spec.range_text()),
                        "{}: {tooltip:?}",
                        spec.name
                    );
                }
            }
        }
        assert_eq!(
            for_param(Param::LEVELS[1], None),
            "Partial 2's level: linear, shown and typed in dB. Range: -inf to 0 dB. CLAP hosts \
             can modulate it per note"
        );
        for param in Param::ALL {
            let per_note = for_param(param, None).ends_with(PER_NOTE);
            assert_eq!(per_note, param.spec().modulated.is_some(), "{param:?}");
        }
        assert_eq!(
            for_param(Param::VOICES, Some(200.0)),
            "Notes at once in MIDI mode (1 = legato, last-note priority). Range: 1 to 16"
        );
        assert!(
            for_param(Param::FREQUENCIES[2], Some(400.0))
                .ends_with("with partial 1 at 400 Hz the ratios reach ×0.05 to ×50")
        );
    }
}
