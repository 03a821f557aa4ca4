//! How the CLAP entry finds the parameters of the plugin nice-plug just made: the framework
//! creates the plugin (`Quintet::default`) inside its wrapper and keeps it to itself, while the
//! preset-load extension needs its parameters (to mark a load, and to name each parameter).
//! While [`capture`] runs, the plugin made on this thread hands its parameters over
//! ([`made`]); outside it, making a plugin leaves nothing behind.

use crate::params::QuintetParams;
use std::cell::RefCell;
use std::sync::Arc;

thread_local! {
    /// `Some` while [`capture`] runs on this thread: the parameters made meanwhile, if any.
    static CAPTURED: RefCell<Option<Option<Arc<QuintetParams>>>> = const { RefCell::new(None) };
}

/// Runs `make` and returns what it returns with the parameters of the plugin it made on this
/// thread (the last one, if it made several; `None` if it made none).
pub fn capture<R>(make: impl FnOnce() -> R) -> (R, Option<Arc<QuintetParams>>) {
    CAPTURED.with(|captured| *captured.borrow_mut() = Some(None));
    let made = make();
    let params = CAPTURED.with(|captured| captured.borrow_mut().take().flatten());
    (made, params)
}

/// Called by every new plugin with its parameters: kept only while [`capture`] runs.
pub fn made(params: &Arc<QuintetParams>) {
    CAPTURED.with(|captured| {
        if let Some(slot) = captured.borrow_mut().as_mut() {
            *slot = Some(Arc::clone(params));
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Quintet;

    #[test]
    fn a_plugin_made_while_capturing_hands_over_its_parameters_and_none_is_kept_after() {
        let (plugin, params) = capture(Quintet::default);
        let params = params.expect("the plugin's parameters");
        assert!(Arc::ptr_eq(&params, &plugin.params));
        let (_, none) = capture(|| ());
        assert!(none.is_none(), "nothing made, nothing handed over");
        let outside = Quintet::default();
        assert_eq!(Arc::strong_count(&outside.params), 1, "nothing kept");
    }
}
