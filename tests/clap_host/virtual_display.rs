//! An X display of a test's own (Xvfb), for the tests that open Quintet's editor: the standalone
//! ending on a signal with its window open, and the CLAP editor in a host without `clap.gui`.
//! scripts/install-deps installs Xvfb; without it these tests fail rather than skip.

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// How long Xvfb may take to accept connections on a loaded machine.
const START_DEADLINE: Duration = Duration::from_secs(60);

/// An Xvfb server, ended when dropped.
pub struct VirtualDisplay {
    xvfb: Child,
    /// Its `DISPLAY` name, `:N`.
    pub name: String,
}

impl VirtualDisplay {
    /// Starts Xvfb on a display it picks itself (`-displayfd`, so tests running at once never
    /// share one) and waits until it accepts connections. `-noreset`: the server stays as it is
    /// when a client disconnects.
    pub fn start() -> Self {
        let mut xvfb = Command::new("Xvfb")
            .args(["-displayfd", "1", "-noreset", "-nolisten", "tcp"])
            .args(["-screen", "0", "1280x800x24"])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|error| {
                panic!("cannot start Xvfb ({error}); scripts/install-deps installs it")
            });
        let mut number = String::new();
        std::io::BufRead::read_line(
            &mut std::io::BufReader::new(xvfb.stdout.as_mut().expect("Xvfb's stdout")),
            &mut number,
        )
        .expect("Xvfb tells its display number");
        let display = Self {
            name: format!(":{}", number.trim()),
            xvfb,
        };
        let started = Instant::now();
        while x11rb::connect(Some(&display.name)).is_err() {
            assert!(
                started.elapsed() < START_DEADLINE,
                "Xvfb on {} accepts no connection",
                display.name
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        display
    }

    /// Whether a viewable top-level window named `title` is on the display.
    pub fn shows_window_named(&self, title: &str) -> bool {
        use x11rb::connection::Connection;
        use x11rb::protocol::xproto::{AtomEnum, ConnectionExt, MapState};
        let Ok((connection, screen)) = x11rb::connect(Some(&self.name)) else {
            return false;
        };
        let root = connection.setup().roots[screen].root;
        let Some(tree) = connection
            .query_tree(root)
            .ok()
            .and_then(|c| c.reply().ok())
        else {
            return false;
        };
        tree.children.into_iter().any(|window| {
            let named = connection
                .get_property(false, window, AtomEnum::WM_NAME, AtomEnum::STRING, 0, 64)
                .ok()
                .and_then(|cookie| cookie.reply().ok())
                .is_some_and(|property| property.value == title.as_bytes());
            let viewable = connection
                .get_window_attributes(window)
                .ok()
                .and_then(|cookie| cookie.reply().ok())
                .is_some_and(|attributes| attributes.map_state == MapState::VIEWABLE);
            named && viewable
        })
    }
}

impl Drop for VirtualDisplay {
    fn drop(&mut self) {
        let _ = self.xvfb.kill();
        let _ = self.xvfb.wait();
    }
}
