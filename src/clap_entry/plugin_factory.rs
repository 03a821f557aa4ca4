//! The plugin factory: Quintet's one plugin, described and created by nice-plug as its
//! `nice_export_clap!` does, then handed to the host behind [`Instance`], which adds
//! preset-load.

use super::instance::Instance;
use super::made_params;
use crate::Quintet;
use clap_sys::factory::plugin_factory::clap_plugin_factory;
use clap_sys::host::clap_host;
use clap_sys::plugin::{clap_plugin, clap_plugin_descriptor};
use nice_plug::wrapper::clap::{PluginDescriptor, Wrapper};
use std::ffi::{CStr, c_char, c_void};
use std::sync::OnceLock;

static FACTORY: clap_plugin_factory = clap_plugin_factory {
    get_plugin_count: Some(get_plugin_count),
    get_plugin_descriptor: Some(get_plugin_descriptor),
    create_plugin: Some(create_plugin),
};

/// The factory, as `clap_entry.get_factory` hands it out.
pub fn factory() -> *const c_void {
    &FACTORY as *const clap_plugin_factory as *const c_void
}

/// Quintet's descriptor, made once.
fn descriptor() -> &'static PluginDescriptor {
    static DESCRIPTOR: OnceLock<PluginDescriptor> = OnceLock::new();
    DESCRIPTOR.get_or_init(PluginDescriptor::for_plugin::<Quintet>)
}

unsafe extern "C" fn get_plugin_count(_factory: *const clap_plugin_factory) -> u32 {
    1
}

unsafe extern "C" fn get_plugin_descriptor(
    _factory: *const clap_plugin_factory,
    index: u32,
) -> *const clap_plugin_descriptor {
    if index == 0 {
        descriptor().clap_plugin_descriptor()
    } else {
        std::ptr::null()
    }
}

unsafe extern "C" fn create_plugin(
    _factory: *const clap_plugin_factory,
    host: *const clap_host,
    plugin_id: *const c_char,
) -> *const clap_plugin {
    if host.is_null() || plugin_id.is_null() {
        return std::ptr::null();
    }
    // SAFETY: a host passes a NUL-terminated plugin id, alive for the call.
    if unsafe { CStr::from_ptr(plugin_id) } != descriptor().clap_id() {
        return std::ptr::null();
    }
    // SAFETY: `host` is the host's, valid for the instance's life, as nice-plug requires.
    let (wrapper, params) = made_params::capture(|| unsafe { Wrapper::<Quintet>::new(host) });
    let params = params.expect("nice-plug makes the plugin while it makes its wrapper");
    Instance::create(wrapper, params, host)
}
