//! `os.fork()` while another thread renders: the child gets usable objects, not a hang.
//!
//! A fork copies only the thread that forks. An object whose lock another thread held at that
//! moment (a render runs with the GIL released, so that is most of the time) stayed locked for
//! ever in the child, and its next call hung (16 of 20 children in the measurement).
//!
//! So every use of an engine also holds [`ENGINES_IN_USE`] for reading (any number of them at
//! once), and a fork takes it for writing first, through `os.register_at_fork`: it waits until
//! no engine is in use, holds that across the fork, and lets go on both sides. The child thus
//! inherits no lock held by a thread it does not have, and every engine between two calls,
//! whole. A fork made without Python's `os.fork` (by C code) skips the hooks and is not covered.

use pyo3::prelude::*;
use pyo3::types::PyDict;
use std::cell::RefCell;
use std::sync::{PoisonError, RwLock, RwLockReadGuard, RwLockWriteGuard, TryLockError};

/// Held for reading while an engine is in use, for writing across a fork. It guards no data of
/// its own; the engines have their own locks, always taken after this one.
static ENGINES_IN_USE: RwLock<()> = RwLock::new(());

thread_local! {
    /// The write lock from the `before` hook to the `after_in_parent` or `after_in_child`
    /// hook; Python runs all three on the thread that forks.
    static HELD_ACROSS_FORK: RefCell<Option<RwLockWriteGuard<'static, ()>>> =
        const { RefCell::new(None) };
}

/// Marks an engine in use until the returned guard is dropped: a fork waits for it. Take it
/// before the engine's own lock, with the GIL released.
pub fn engine_in_use() -> RwLockReadGuard<'static, ()> {
    ENGINES_IN_USE
        .read()
        .unwrap_or_else(PoisonError::into_inner)
}

/// Registers the hooks with `os.register_at_fork` (once, when the module is imported).
pub fn register(module: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = module.py();
    let hooks = PyDict::new(py);
    hooks.set_item("before", wrap_pyfunction!(before_fork, module)?)?;
    let after = wrap_pyfunction!(after_fork, module)?;
    hooks.set_item("after_in_parent", &after)?;
    hooks.set_item("after_in_child", after)?;
    py.import("os")?
        .call_method("register_at_fork", (), Some(&hooks))?;
    Ok(())
}

/// Waits until no engine is in use and keeps them so until [`after_fork`]. The wait for a
/// render in progress happens with the GIL released; only the final taking holds it, and
/// that never waits for long: nothing holds the lock for reading while it needs the GIL.
#[pyfunction]
fn before_fork(py: Python<'_>) {
    let guard = loop {
        match ENGINES_IN_USE.try_write() {
            Ok(guard) => break guard,
            Err(TryLockError::Poisoned(poisoned)) => break poisoned.into_inner(),
            Err(TryLockError::WouldBlock) => py.detach(|| drop(ENGINES_IN_USE.write())),
        }
    };
    HELD_ACROSS_FORK.with(|held| *held.borrow_mut() = Some(guard));
}

/// Lets the engines be used again, in the parent and in the child.
#[pyfunction]
fn after_fork() {
    HELD_ACROSS_FORK.with(|held| held.borrow_mut().take());
}
