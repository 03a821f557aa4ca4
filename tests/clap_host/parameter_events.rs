//! What a host's parameter events cost beyond setting the value, counted rather than timed (the
//! times are in `cargo bench --bench quintet -- dense`; docs/PERFORMANCE.md):
//!
//! - CLAP cookies (patches/nice-plug/0004): every parameter's `get_info` carries a cookie of its
//!   own, which a host passes back in the events that address the parameter, so the plugin finds
//!   the parameter without looking its id up; an event reaches the parameter its id names
//!   whatever cookie it carries.
//! - No work for an editor that is not there (patches/nice-plug/0005): automation with no editor
//!   open asks the host for no main-thread callback (nice-plug asked for one per event, to tell
//!   an editor that did not exist). `editor.rs` checks that an open editor is still told.

use quintet_test_host::{ClapId, ParamChange, QuintetHost, SentCookies};
use std::collections::HashSet;

const SAMPLE_RATE_HZ: f64 = 48_000.0;
const BLOCK: usize = 64;

#[test]
fn every_parameter_has_a_cookie_of_its_own() {
    let mut host = QuintetHost::new();
    let params = host.params();
    let cookies: HashSet<usize> = params.iter().map(|p| p.cookie.as_raw() as usize).collect();
    assert!(!cookies.contains(&0), "a parameter without a cookie");
    assert_eq!(cookies.len(), params.len(), "two parameters share a cookie");
    assert_eq!(host.params(), params, "the cookies changed between calls");
}

#[test]
fn a_value_event_reaches_the_parameter_its_id_names_whatever_cookie_it_carries() {
    for sent in [
        SentCookies::AsIssued,
        SentCookies::Null,
        SentCookies::OfAnotherParameter,
    ] {
        let mut host = QuintetHost::new();
        host.activate(SAMPLE_RATE_HZ, BLOCK);
        host.send_cookies(sent);
        // Every parameter to the end of its range farther from its default.
        let changes: Vec<ParamChange> = host
            .params()
            .iter()
            .map(|p| ParamChange {
                frame: 0,
                param: p.id,
                normalized: if p.default < 0.5 { 1.0 } else { 0.0 },
            })
            .collect();
        host.render(BLOCK, &changes);
        for change in &changes {
            let value = host.param_value(change.param);
            assert!(
                (value - change.normalized).abs() < 1e-6,
                "with cookies {sent:?}, parameter {:?} is at {value}, sent {}",
                change.param,
                change.normalized
            );
        }
    }
}

#[test]
fn automation_with_no_editor_open_asks_the_host_for_no_main_thread_callback() {
    let mut host = QuintetHost::new();
    host.activate(SAMPLE_RATE_HZ, BLOCK);
    host.render(BLOCK, &[]);
    let before = host.callback_requests();
    let automation = frequency_automation(&mut host, 4096, 16);
    host.render(4096, &automation);
    assert_eq!(
        host.callback_requests() - before,
        0,
        "main-thread callbacks asked for during {} automation events with no editor",
        automation.len()
    );
}

/// Five events every `spacing` frames over `frames` frames: the five frequency parameters, each
/// alternating between a slider position 1 % above its default and its default, so every event
/// changes the value and starts a glide.
pub fn frequency_automation(
    host: &mut QuintetHost,
    frames: usize,
    spacing: usize,
) -> Vec<ParamChange> {
    let frequencies: Vec<(ClapId, [f64; 2])> = (1..=5)
        .map(|k| {
            let id = host.param_id(&format!("Partial {k}"));
            let default = host
                .params()
                .into_iter()
                .find(|p| p.id == id)
                .expect("the parameter")
                .default;
            (id, [default, default * 1.01])
        })
        .collect();
    (0..frames)
        .step_by(spacing)
        .flat_map(|frame| {
            let which = (frame / spacing + 1) % 2;
            frequencies.iter().map(move |&(param, values)| ParamChange {
                frame,
                param,
                normalized: values[which],
            })
        })
        .collect()
}
