//! The standalone Quintet: JACK when available, else ALSA, else a dummy backend (`--backend`).
//! `Quintet render ...` writes a WAV file instead (see [`render_cli`]). SIGINT, SIGTERM and
//! SIGHUP end the standalone cleanly, window or not (see `stop_signals`).

mod render_cli;
mod standalone_args;
#[cfg(unix)]
mod stop_signals;

use nice_plug::prelude::{Plugin, nice_export_standalone_with_args};
use quintet::Quintet;
use quintet::clap_entry::made_params;
use quintet::standalone::session::{self, Session};
use standalone_args::Request;
use std::ffi::OsString;
use std::io::Write;
use std::process::ExitCode;

fn main() -> ExitCode {
    let mut args = std::env::args_os();
    let program_path = args.next().unwrap_or_else(|| OsString::from(Quintet::NAME));
    // Named as it was run: `Quintet` from the bundle, `quintet` from cargo.
    let program = std::path::Path::new(&program_path)
        .file_name()
        .map_or(Quintet::NAME.into(), |name| {
            name.to_string_lossy().into_owned()
        });
    let mut args: Vec<OsString> = args.collect();
    if args.first().is_some_and(|first| first == "render") {
        return render_cli::run(&program, args.into_iter().skip(1));
    }
    match standalone_args::request(&args) {
        Request::Version => {
            println!("{} {}", Quintet::NAME, Quintet::VERSION);
            return ExitCode::SUCCESS;
        }
        Request::Help(flag) => {
            print!("{}", standalone_args::help_preface(&program));
            let _ = std::io::stdout().flush();
            // The framework prints its options and exits; the rest of the arguments do not
            // matter once help is asked for.
            let program_path = program_path.to_string_lossy().into_owned();
            nice_export_standalone_with_args::<Quintet, _>([program_path, flag.to_owned()]);
            return ExitCode::SUCCESS;
        }
        Request::Run => {}
    }
    let fresh = standalone_args::take_fresh(&mut args);
    if let Some(problem) = standalone_args::check(&args) {
        eprintln!("{program}: {problem} (see `{program} --help`)");
        return ExitCode::from(2);
    }
    #[cfg(unix)]
    if let Err(error) = stop_signals::install() {
        eprintln!("{program}: cannot watch for Ctrl-C and SIGTERM: {error}");
    }
    let no_display = quintet::editor::screen::no_display_reason();
    if let Some(reason) = &no_display {
        // Without this nice-plug would try to open the window and, when the run ends, report
        // that it could not as an error.
        eprintln!(
            "{program}: no display for the editor ({reason}); playing without a window until \
             Ctrl-C or SIGTERM"
        );
    }
    let session_path = session::path();
    quintet::standalone::start(
        no_display.is_none(),
        opening_session(&program, session_path.as_deref(), fresh),
    );
    // The framework's parser takes text; it refuses what it does not know, as before.
    let framework_args = std::iter::once(program_path)
        .chain(args)
        .map(|arg| arg.to_string_lossy().into_owned());
    // The plugin nice-plug makes (on this thread) hands over its parameters, which outlive it.
    let (ran, params) =
        made_params::capture(|| nice_export_standalone_with_args::<Quintet, _>(framework_args));
    if let (Some(params), Some(path)) = (params, session_path) {
        let session = Session::capture(&params, quintet::standalone::shown_preset());
        if let Err(error) = session::write(&path, &session) {
            eprintln!("{program}: could not save the session for next time: {error}");
        }
    }
    if ran {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

/// The session the standalone opens with: the one saved when it last closed, unless `fresh`
/// asks for a first launch, there is none, or it cannot be read (which is reported).
fn opening_session(program: &str, path: Option<&std::path::Path>, fresh: bool) -> Session {
    let saved = match path {
        Some(path) if !fresh => session::read(path).unwrap_or_else(|error| {
            eprintln!("{program}: ignoring the saved session: {error}");
            None
        }),
        _ => None,
    };
    saved.unwrap_or_else(Session::first_launch)
}
