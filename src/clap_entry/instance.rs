//! The thin layer between a host and nice-plug's plugin: the host holds this layer's
//! `clap_plugin`, a copy of nice-plug's with two functions replaced. `get_extension` answers
//! preset-load itself and asks nice-plug for every other extension; `destroy` lets nice-plug
//! destroy its plugin, then frees the layer. Every other function is nice-plug's own, which finds
//! its wrapper through `plugin_data`, the same in the copy.

use super::preset_load;
use crate::Quintet;
use crate::params::QuintetParams;
use clap_sys::ext::preset_load::{CLAP_EXT_PRESET_LOAD, CLAP_EXT_PRESET_LOAD_COMPAT};
use clap_sys::host::clap_host;
use clap_sys::plugin::clap_plugin;
use nice_plug::context::gui::GuiContext;
use nice_plug::wrapper::clap::Wrapper;
use std::ffi::{CStr, c_char, c_void};
use std::sync::Arc;

/// One plugin instance as the host sees it. Read-only once made, so any thread may read it.
#[repr(C)]
pub struct Instance {
    /// What the host holds. The first field, so the host's pointer is a pointer to the whole.
    plugin: clap_plugin,
    /// nice-plug's `clap_plugin`, whose functions this layer forwards to.
    framework: clap_plugin,
    /// The host that created the instance, alive as long as it.
    pub host: *const clap_host,
    /// The plugin's parameters (nice-plug's plugin holds them too).
    pub params: Arc<QuintetParams>,
    /// Sets parameters as the editor does (nice-plug's editor context, holding the wrapper
    /// weakly, so it does not keep the plugin alive).
    pub context: GuiContext,
}

impl Instance {
    /// Puts the layer in front of `wrapper`, a plugin nice-plug just made for `host`, with
    /// parameters `params`; returns the pointer the host holds. The wrapper's reference becomes
    /// the one nice-plug's `destroy` takes back, as with its own factory.
    pub fn create(
        wrapper: Arc<Wrapper<Quintet>>,
        params: Arc<QuintetParams>,
        host: *const clap_host,
    ) -> *const clap_plugin {
        let context = Arc::clone(&wrapper).make_gui_context();
        let framework = *wrapper.clap_plugin.borrow();
        let _ = Arc::into_raw(wrapper);
        let instance = Box::new(Instance {
            plugin: clap_plugin {
                get_extension: Some(get_extension),
                destroy: Some(destroy),
                ..framework
            },
            framework,
            host,
            params,
            context,
        });
        // Freed by `destroy`.
        &Box::leak(instance).plugin
    }

    /// The instance behind a host's plugin pointer.
    ///
    /// # Safety
    ///
    /// `plugin` was returned by [`Self::create`] and not destroyed yet.
    pub unsafe fn of<'a>(plugin: *const clap_plugin) -> &'a Instance {
        // SAFETY: `plugin` is the first field of the `#[repr(C)]` `Instance` `create` leaked.
        unsafe { &*(plugin as *const Instance) }
    }
}

unsafe extern "C" fn get_extension(plugin: *const clap_plugin, id: *const c_char) -> *const c_void {
    if plugin.is_null() || id.is_null() {
        return std::ptr::null();
    }
    // SAFETY: the host passes the plugin it holds and a NUL-terminated id, alive for the call.
    let (instance, name) = unsafe { (Instance::of(plugin), CStr::from_ptr(id)) };
    if name == CLAP_EXT_PRESET_LOAD || name == CLAP_EXT_PRESET_LOAD_COMPAT {
        return preset_load::extension();
    }
    match instance.framework.get_extension {
        // SAFETY: nice-plug's function, given the host's arguments: it reads only
        // `plugin_data`, which the layer's copy shares.
        Some(framework) => unsafe { framework(plugin, id) },
        None => std::ptr::null(),
    }
}

unsafe extern "C" fn destroy(plugin: *const clap_plugin) {
    if plugin.is_null() {
        return;
    }
    // SAFETY: the host destroys the plugin `create` leaked, once, after its last call to it.
    let instance = unsafe { Box::from_raw(plugin as *mut Instance) };
    if let Some(framework) = instance.framework.destroy {
        // SAFETY: nice-plug's function on its plugin (through `plugin_data`, still valid: the
        // layer is freed only after it).
        unsafe { framework(plugin) };
    }
    drop(instance);
}
