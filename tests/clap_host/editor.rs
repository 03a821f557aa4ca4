//! Quintet's editor in a host that offers no `clap.gui` host extension (issue 21, item 19).
//!
//! CLAP lets a host create a plugin's editor without offering `clap.gui` (the host side is only
//! for resize requests and the "closed" notice). nice-plug 0.4.2 unwrapped the missing extension
//! in `gui.create`; the panic inside that `extern "C"` function aborted the whole host (SIGABRT).
//! patches/nice-plug/0003 makes the editor work without it. The calls run in a child process, so
//! an abort fails this test instead of killing the test binary.

use crate::virtual_display::VirtualDisplay;
use quintet_test_host::{EditorAnswers, QuintetHost};
use std::process::Command;

/// Set in the child's environment; the child test does nothing without it.
const CHILD_ENV: &str = "QUINTET_EDITOR_WITHOUT_HOST_GUI_CHILD";
/// The line the child prints its answers on.
const ANSWERS_PREFIX: &str = "editor answers: ";

#[test]
fn a_host_without_clap_gui_creates_and_destroys_the_editor_without_aborting() {
    // With an X display the editor opens (a window of its own until a parent is set) and closes.
    let display = VirtualDisplay::start();
    assert_eq!(
        answers_of_a_child(Some(&display.name)),
        format!(
            "{:?}",
            EditorAnswers {
                x11_supported: true,
                size: Some(EDITOR_SIZE),
                created: true,
            }
        )
    );
    // Without one, `create` fails cleanly: the host is told, and nothing aborts.
    assert_eq!(
        answers_of_a_child(None),
        format!(
            "{:?}",
            EditorAnswers {
                x11_supported: true,
                size: Some(EDITOR_SIZE),
                created: false,
            }
        )
    );
}

/// The editor's default size in pixels, as `gui.get_size` reports it before `create`.
const EDITOR_SIZE: (u32, u32) = (820, 700);

/// Runs [`child_creates_and_destroys_the_editor`] in a child process on `display` (none: no X
/// display at all) and returns what the plugin answered it (`{:?}` of [`EditorAnswers`]); fails if
/// the child did not exit 0.
fn answers_of_a_child(display: Option<&str>) -> String {
    let mut command = Command::new(std::env::current_exe().expect("the test binary's path"));
    command
        .args([
            "--exact",
            "editor::child_creates_and_destroys_the_editor",
            "--ignored",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(CHILD_ENV, "1")
        .env_remove("WAYLAND_DISPLAY");
    match display {
        Some(display) => command.env("DISPLAY", display),
        None => command.env_remove("DISPLAY"),
    };
    let child = command.output().expect("the child test runs");
    let stdout = String::from_utf8_lossy(&child.stdout);
    let stderr = String::from_utf8_lossy(&child.stderr);
    assert!(
        child.status.success(),
        "on display {display:?} the host ended with {}\nstdout:\n{stdout}\nstderr:\n{stderr}",
        child.status
    );
    stdout
        .lines()
        .find_map(|line| line.split_once(ANSWERS_PREFIX).map(|(_, answers)| answers))
        .unwrap_or_else(|| panic!("the child printed no answers\nstdout:\n{stdout}"))
        .to_owned()
}

/// The child half of the test above: run only by it (see `CHILD_ENV`).
#[test]
#[ignore = "run in a child process by a_host_without_clap_gui_creates_and_destroys_the_editor_without_aborting"]
fn child_creates_and_destroys_the_editor() {
    if std::env::var_os(CHILD_ENV).is_none() {
        return;
    }
    let mut host = QuintetHost::new();
    let answers = host.create_and_destroy_editor();
    println!("{ANSWERS_PREFIX}{answers:?}");
}
