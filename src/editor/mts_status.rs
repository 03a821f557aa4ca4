//! The header's MTS-ESP label: whether a tuning master tunes the notes, and its scale's name
//! ("MTS-ESP: 31-EDO"). Shown only while a master is connected, so without MTS-ESP the window
//! shows what it always did.
//!
//! The editor asks the library itself (through [`Mts::status`], on the GUI thread), at most
//! every [`CHECK_INTERVAL_S`]: the name is a string the master owns and may change at any
//! time, and copying it allocates, which the audio thread must not.

use super::header;
use super::tooltips;
use crate::mts::{MasterStatus, Mts};
use egui::{RichText, Ui};
use std::sync::Arc;

/// How often the editor asks whether a master is connected and for its scale, in seconds.
pub const CHECK_INTERVAL_S: f64 = 0.5;

/// The label and what it last showed.
#[derive(Default)]
pub struct MasterLabel {
    mts: Arc<Mts>,
    shown: MasterStatus,
    /// When `shown` was asked for (egui time, seconds); `None` before the first frame.
    checked_s: Option<f64>,
}

impl MasterLabel {
    /// The label for the plugin instance's connection `mts`.
    pub fn new(mts: Arc<Mts>) -> Self {
        Self {
            mts,
            ..Self::default()
        }
    }

    /// Draws the label (nothing without a master).
    pub fn ui(&mut self, ui: &mut Ui) {
        let now_s = ui.input(|input| input.time);
        if self
            .checked_s
            .is_none_or(|checked_s| now_s - checked_s >= CHECK_INTERVAL_S)
        {
            self.shown = self.mts.status();
            self.checked_s = Some(now_s);
        }
        if let Some(text) = label_text(&self.shown) {
            header::message(ui, RichText::new(text).strong()).on_hover_text(tooltips::MTS_MASTER);
        }
    }
}

/// What the label says for `status`: nothing without a master; "MTS-ESP" and the scale's name
/// (when it has one) with.
pub fn label_text(status: &MasterStatus) -> Option<String> {
    if !status.connected {
        return None;
    }
    Some(match status.scale_name.as_deref().map(str::trim) {
        Some(name) if !name.is_empty() => format!("MTS-ESP: {name}"),
        _ => String::from("MTS-ESP"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_label_names_the_masters_scale_only_while_one_is_connected() {
        let status = |connected, name: Option<&str>| MasterStatus {
            connected,
            scale_name: name.map(String::from),
        };
        assert_eq!(label_text(&status(false, None)), None);
        assert_eq!(
            label_text(&status(true, Some("31-EDO"))),
            Some("MTS-ESP: 31-EDO".into())
        );
        assert_eq!(
            label_text(&status(true, Some("  "))),
            Some("MTS-ESP".into())
        );
        assert_eq!(label_text(&status(true, None)), Some("MTS-ESP".into()));
    }
}
