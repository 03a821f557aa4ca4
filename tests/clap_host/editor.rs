//! Quintet's editor in a host that offers no `clap.gui` host extension (issue 21, item 19).
//!
//! CLAP lets a host create a plugin's editor without offering `clap.gui` (the host side is only
//! for resize requests and the "closed" notice). nice-plug 0.4.2 unwrapped the missing extension
//! in `gui.create`; the panic inside that `extern "C"` function aborted the whole host (SIGABRT).
//! patches/nice-plug/0003 makes the editor work without it. The calls run in a child process, so
//! an abort fails this test instead of killing the test binary.
//!
//! The same child also checks that an editor that exists still hears of every automated value
//! (one main-thread callback per event, to hand nice-plug's task to it), and that after it was
//! destroyed automation asks for none: patches/nice-plug/0005 stops the tasks only while there
//! is no editor (`parameter_events.rs` checks a plugin that never had one).

use crate::parameter_events::frequency_automation;
use crate::virtual_display::VirtualDisplay;
use quintet_test_host::{EditorAnswers, QuintetHost};
use std::io::Read;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

/// Set in the child's environment; the child test does nothing without it.
const CHILD_ENV: &str = "QUINTET_EDITOR_WITHOUT_HOST_GUI_CHILD";
/// The line the child prints its answers on.
const ANSWERS_PREFIX: &str = "editor answers: ";
/// The line the child prints its main-thread callback counts on.
const CALLBACKS_PREFIX: &str = "callbacks: ";
/// Frames the child automates, with the editor created and after it was destroyed.
const AUTOMATED_FRAMES: usize = 1024;

#[test]
fn a_host_without_clap_gui_creates_and_destroys_the_editor_without_aborting() {
    // With an X display the editor opens (a window of its own until a parent is set) and closes.
    let display = VirtualDisplay::start();
    let (answers, callbacks) = answers_of_a_child(Some(&display.name));
    // Every automation event while the editor exists is handed to it; none once it is gone.
    let events = frequency_automation(&mut QuintetHost::new(), AUTOMATED_FRAMES, 16).len();
    let [while_created, after]: [usize; 2] = callbacks
        .split(' ')
        .map(|n| n.parse().expect("a count"))
        .collect::<Vec<_>>()
        .try_into()
        .expect("two counts");
    assert!(
        while_created >= events,
        "{while_created} main-thread callbacks for {events} events with the editor created"
    );
    assert_eq!(
        after, 0,
        "main-thread callbacks after the editor was destroyed"
    );
    assert_eq!(
        answers,
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
        answers_of_a_child(None).0,
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

/// How long the child may take. It takes a fraction of a second on a quiet machine and half a
/// minute starved of CPU; a host hung in `gui.destroy` (see src/editor/settled.rs) never ends,
/// and then the test fails here instead of hanging the suite.
const CHILD_TIME_LIMIT: Duration = Duration::from_secs(240);

/// What `command` printed and how it ended; fails the test if it runs longer than `limit`.
fn output_within(mut command: Command, limit: Duration, display: Option<&str>) -> Output {
    let mut child = command
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the child test runs");
    // Read on threads of their own, so a child filling a pipe never waits for us.
    let read_all = |mut pipe: Box<dyn Read + Send>| {
        std::thread::spawn(move || {
            let mut bytes = Vec::new();
            let _ = pipe.read_to_end(&mut bytes);
            bytes
        })
    };
    let stdout = read_all(Box::new(child.stdout.take().expect("piped")));
    let stderr = read_all(Box::new(child.stderr.take().expect("piped")));
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("the child's status") {
            break status;
        }
        if started.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            panic!(
                "on display {display:?} the host hung for {limit:?} (gui.destroy?)\nstdout:\n{}",
                String::from_utf8_lossy(&stdout.join().unwrap_or_default())
            );
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    Output {
        status,
        stdout: stdout.join().unwrap_or_default(),
        stderr: stderr.join().unwrap_or_default(),
    }
}

/// Runs [`child_creates_and_destroys_the_editor`] in a child process on `display` (none: no X
/// display at all) and returns what the plugin answered it (`{:?}` of [`EditorAnswers`]) and the
/// main-thread callbacks it asked for while automated with the editor created and after it was
/// destroyed ("N M"); fails if the child did not exit 0.
fn answers_of_a_child(display: Option<&str>) -> (String, String) {
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
    let child = output_within(command, CHILD_TIME_LIMIT, display);
    let stdout = String::from_utf8_lossy(&child.stdout);
    let stderr = String::from_utf8_lossy(&child.stderr);
    assert!(
        child.status.success(),
        "on display {display:?} the host ended with {}\nstdout:\n{stdout}\nstderr:\n{stderr}",
        child.status
    );
    let line = |prefix: &str| {
        stdout
            .lines()
            .find_map(|line| line.split_once(prefix).map(|(_, answers)| answers))
            .unwrap_or_else(|| panic!("the child printed no {prefix:?}\nstdout:\n{stdout}"))
            .to_owned()
    };
    (line(ANSWERS_PREFIX), line(CALLBACKS_PREFIX))
}

/// The child half of the test above: run only by it (see `CHILD_ENV`).
#[test]
#[ignore = "run in a child process by a_host_without_clap_gui_creates_and_destroys_the_editor_without_aborting"]
fn child_creates_and_destroys_the_editor() {
    if std::env::var_os(CHILD_ENV).is_none() {
        return;
    }
    let mut host = QuintetHost::new();
    host.activate(48_000.0, 64);
    let automation = frequency_automation(&mut host, AUTOMATED_FRAMES, 16);
    let automate = |host: &mut QuintetHost| {
        let before = host.callback_requests();
        host.render(AUTOMATED_FRAMES, &automation);
        host.callback_requests() - before
    };
    let mut while_created = 0;
    let answers = host.create_and_destroy_editor(|host| while_created = automate(host));
    let after = automate(&mut host);
    println!("{ANSWERS_PREFIX}{answers:?}");
    println!("{CALLBACKS_PREFIX}{while_created} {after}");
}
