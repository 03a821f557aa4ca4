//! Quintet's editor: a slider per parameter.

use crate::params::QuintetParams;
use nice_plug::context::gui::GuiContext;
use nice_plug::editor::dpi::LogicalSize;
use nice_plug::prelude::*;
use nice_plug_egui::widgets::ParamSlider;
use nice_plug_egui::{
    EguiEditor, EguiEditorState, EguiNiceSettings, Frame, NiceEguiApp, RepaintNotifier,
    create_egui_editor,
};
use std::sync::Arc;

/// The editor type the plugin hands to the host.
pub type QuintetEditor = EguiEditor<EditorApp>;

/// Editor state owned by the GUI thread.
pub struct EditorApp {
    params: Arc<QuintetParams>,
    /// Set in `build`; makes the `ParamSetter`s that report gestures to the host.
    gui_context: Option<GuiContext>,
}

/// Creates the editor for a plugin instance.
pub fn create(params: Arc<QuintetParams>) -> Option<QuintetEditor> {
    create_egui_editor(
        EguiEditorState::from_size(LogicalSize::new(520.0, 320.0), 1.0),
        RepaintNotifier::new(),
        EguiNiceSettings::new().with_tile("Quintet"),
        EditorApp {
            params,
            gui_context: None,
        },
    )
}

impl NiceEguiApp for EditorApp {
    fn build(
        &mut self,
        _egui_ctx: egui::Context,
        gui_context: GuiContext,
        _frame: &mut Frame,
    ) -> Result<(), nice_plug_egui::baseview::HandlerError> {
        self.gui_context = Some(gui_context);
        Ok(())
    }

    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut Frame) {
        let Some(gui_context) = &self.gui_context else {
            return;
        };
        let setter = gui_context.param_setter();
        ui.heading("Quintet");
        for param in self.params.frequencies() {
            ui.label(param.name());
            ui.add(ParamSlider::for_param(param, &setter));
        }
        ui.label(self.params.gain.name());
        ui.add(ParamSlider::for_param(&self.params.gain, &setter));
    }

    fn editor_closed(&mut self) {
        self.gui_context = None;
    }
}
