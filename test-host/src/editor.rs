//! The plugin's editor as a host that offers no `clap.gui` host extension opens it: this host
//! declares none (see [`crate::callbacks`]), though CLAP lets a host create a plugin's editor
//! without it. nice-plug 0.4.2 unwrapped the missing extension in `gui.create`, and the panic in
//! that `extern "C"` function aborted the host (patches/nice-plug/0003 and docs/PATCHES.md).

use crate::QuintetHost;
use clack_extensions::gui::{GuiApiType, GuiConfiguration, PluginGui};

/// What the plugin answered a host without `clap.gui`, call by call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EditorAnswers {
    /// `gui.is_api_supported("x11", embedded)`.
    pub x11_supported: bool,
    /// `gui.get_size` before `create`, in pixels.
    pub size: Option<(u32, u32)>,
    /// Whether `gui.create("x11", embedded)` succeeded.
    pub created: bool,
}

impl QuintetHost {
    /// Creates the editor for X11 embedding and destroys it again, without a parent window (the
    /// window itself opens only on `set_parent`, which needs an X display). `while_created` runs
    /// in between when the editor was created.
    pub fn create_and_destroy_editor(
        &mut self,
        while_created: impl FnOnce(&mut Self),
    ) -> EditorAnswers {
        let handle = self.instance.plugin_handle();
        let gui: PluginGui = handle.get_extension().expect("the plugin has an editor");
        let x11 = GuiConfiguration {
            api_type: GuiApiType::X11,
            is_floating: false,
        };
        let x11_supported = gui.is_api_supported(&handle, x11);
        let size = gui.get_size(&handle).map(|size| (size.width, size.height));
        let created = gui.create(&handle, x11).is_ok();
        if created {
            while_created(self);
            gui.destroy(&self.instance.plugin_handle());
        }
        EditorAnswers {
            x11_supported,
            size,
            created,
        }
    }
}
