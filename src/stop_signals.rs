//! SIGINT, SIGTERM and SIGHUP end the standalone cleanly, with or without its window: the audio
//! thread stops, the plugin is deactivated, and the program exits with status 0.
//!
//! nice-plug's standalone installs a SIGINT handler (the `ctrlc` crate) that only ends a run
//! without a window; a window's event loop never looks at it. So every thread here starts with
//! these signals blocked (the mask is inherited), and one thread of our own waits for them with
//! `sigwait`, whichever thread the kernel would have picked. On a signal it
//!
//! 1. asks the editor to close its window ([`quintet::standalone::request_quit`]), which ends a
//!    run with a window, and
//! 2. hands nice-plug's own handler a SIGINT on this thread, the one thread where it is briefly
//!    unblocked, which ends a run without a window. Until nice-plug has installed that handler
//!    (at the start of its run) the SIGINT waits: by default it would kill the program.

use nix::sys::signal::{SigSet, Signal, raise};
use std::time::{Duration, Instant};

/// The signals that end the standalone.
const STOP_SIGNALS: [Signal; 3] = [Signal::SIGINT, Signal::SIGTERM, Signal::SIGHUP];
/// How often the signal thread looks whether nice-plug's SIGINT handler is there yet, while it
/// waits for it.
const HANDLER_POLL: Duration = Duration::from_millis(10);
/// How long a signal that arrived while the program was still starting waits for nice-plug's
/// run to begin. Past this, nothing plays yet and the program simply exits.
const STARTUP_WAIT: Duration = Duration::from_secs(1);

/// Blocks the stop signals in this thread and in every thread it starts from now on, and
/// starts the thread that acts on them. Call it before anything else starts a thread.
pub fn install() -> std::io::Result<()> {
    let signals: SigSet = STOP_SIGNALS.into_iter().collect();
    signals.thread_block()?;
    std::thread::Builder::new()
        .name("stop-signals".into())
        .spawn(move || {
            loop {
                // `wait` fails only for a set it cannot wait for; this one it can.
                if signals.wait().is_ok() {
                    quintet::standalone::request_quit();
                    stop_framework_run();
                }
            }
        })?;
    Ok(())
}

/// Raises SIGINT for nice-plug's handler, once it has one (see the module's documentation).
fn stop_framework_run() {
    let started = Instant::now();
    while !sigint_is_handled() {
        if started.elapsed() > STARTUP_WAIT {
            std::process::exit(0);
        }
        std::thread::sleep(HANDLER_POLL);
    }
    let sigint = SigSet::from(Signal::SIGINT);
    // Unblocked in this thread only, the raised signal runs the handler here, before `raise`
    // returns; then the thread blocks it again to wait for the next signal.
    if sigint.thread_unblock().is_ok() {
        let _ = raise(Signal::SIGINT);
        let _ = sigint.thread_block();
    }
}

/// Whether a handler is installed for SIGINT (neither the default action nor ignored).
fn sigint_is_handled() -> bool {
    // SAFETY: all zeroes is a valid `sigaction` (a C struct of integers, a function pointer
    // field that is an integer in libc, and a signal set), and with a null new action the call
    // only reads the current action into `current`.
    let current = unsafe {
        let mut current: libc::sigaction = std::mem::zeroed();
        (libc::sigaction(libc::SIGINT, std::ptr::null(), &mut current) == 0).then_some(current)
    };
    current.is_some_and(|action| {
        action.sa_sigaction != libc::SIG_DFL && action.sa_sigaction != libc::SIG_IGN
    })
}
