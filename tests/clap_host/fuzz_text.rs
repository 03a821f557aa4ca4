//! Property-based fuzzing of parameter text: what a user types into a host's value box, and what
//! the plugin shows for any value a host asks about. Through the CLAP host (the path a DAW uses)
//! and directly on the frequency formatter.
//!
//! The suite runs 64 cases per property; `PROPTEST_CASES=N` runs more. Failures are kept in
//! `tests/proptest-regressions/fuzz_text.txt`.

use proptest::prelude::*;
use quintet::params::{frequency_to_text, text_to_frequency};
use quintet_test_host::QuintetHost;
use quintet_test_host::proptest_cases;

/// Text a user might type: numbers with units and note names, mangled, and anything at all.
fn typed_text() -> impl Strategy<Value = String> {
    prop_oneof![
        "[-+]?[0-9]{0,6}([.,][0-9]{0,4})?([eE][-+]?[0-9]{1,3})? ?(Hz|hz|kHz|k|K|dB|db|%)?",
        "[A-Ga-g][#b]?-?[0-9]{1,2}",
        "(inf|-inf|nan|NaN|-0|0x1p3|1e400|-1e400|  440  |440 Hz Hz|1.2.3 kHz)",
        "\\PC{0,40}",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(proptest_cases(64)))]

    /// Any text typed into any parameter is refused or becomes a normalized value in 0..1.
    #[test]
    fn typed_text_is_refused_or_lands_in_range(texts in prop::collection::vec(typed_text(), 1..20)) {
        let mut host = QuintetHost::new();
        let params = host.params();
        for text in texts.iter().filter(|t| !t.contains('\0')) {
            for param in &params {
                if let Some(value) = host.text_to_value(param.id, text) {
                    prop_assert!(
                        (0.0..=1.0).contains(&value),
                        "{:?} became {} for {}", text, value, param.name
                    );
                }
            }
        }
    }

    /// Any value a host asks about, however wrong, gets a text, and a value in range reads back
    /// as the same text.
    #[test]
    fn any_value_has_a_text_that_reads_back(
        values in prop::collection::vec(
            prop_oneof![4 => 0.0f64..=1.0, 1 => prop::num::f64::ANY], 1..20)
    ) {
        let mut host = QuintetHost::new();
        let ids: Vec<_> = host.params().iter().map(|p| p.id).collect();
        for &value in &values {
            for &param in &ids {
                let text = host.value_to_text(param, value);
                prop_assert!(text.as_ref().is_some_and(|t| !t.is_empty()), "no text for {}", value);
                let text = text.unwrap();
                if (0.0..=1.0).contains(&value) {
                    let back = host.text_to_value(param, &text);
                    prop_assert!(back.is_some(), "{:?} does not parse", text);
                    let again = host.value_to_text(param, back.unwrap());
                    prop_assert_eq!(again.as_deref(), Some(text.as_str()));
                }
            }
        }
    }

    /// The frequency formatter: any f32 formats, and any text parses to a finite frequency or
    /// nothing.
    #[test]
    fn the_frequency_formatter_takes_anything(hz in prop::num::f32::ANY, text in typed_text()) {
        let shown = frequency_to_text(hz);
        prop_assert!(!shown.is_empty());
        if let Some(parsed) = text_to_frequency(&text) {
            prop_assert!(parsed.is_finite(), "{:?} parsed to {}", text, parsed);
        }
    }
}
