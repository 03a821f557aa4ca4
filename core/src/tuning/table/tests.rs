use super::*;
use crate::tuning::Tuning;
use crate::tuning::fixtures::{cases, cents_off};

#[test]
fn the_default_table_is_key_to_hz_to_the_bit() {
    let table = KeyTable::default();
    for key in 0..=127 {
        for semitones in [0.0, 0.5, -2.0, 1.0 / 3.0, 47.9] {
            let hz = table.hz(key, semitones).unwrap();
            assert_eq!(hz.to_bits(), key_to_hz(key, semitones).to_bits(), "{key}");
        }
        assert_eq!(
            table.degrees_above(key, 7, 0.25).unwrap().to_bits(),
            key_to_hz(key, 7.25).to_bits()
        );
    }
}

#[test]
fn every_key_of_every_case_is_within_a_hundredth_of_a_cent() {
    for case in cases() {
        let tuning = Tuning::from_files(
            case.name,
            case.scale.as_bytes(),
            case.map.as_deref().map(str::as_bytes),
        )
        .unwrap();
        for key in 0..=127u8 {
            let got = tuning.table().hz(key, 0.0);
            match (got, (case.expected_hz)(key)) {
                (Some(hz), Some(expected)) => {
                    let off = cents_off(hz, expected);
                    assert!(off.abs() < 0.01, "{}: key {key} {off} cents", case.name);
                }
                (None, None) => {}
                (got, expected) => panic!("{}: key {key}: {got:?}, not {expected:?}", case.name),
            }
        }
    }
}

#[test]
fn bends_and_degrees_move_a_scale_note() {
    let case = &cases()[3];
    let tuning = Tuning::from_files(
        "just",
        case.scale.as_bytes(),
        case.map.as_deref().map(str::as_bytes),
    )
    .unwrap();
    let table = tuning.table();
    // A bend of 12 semitones is an octave on top of any scale.
    assert!((table.hz(62, 12.0).unwrap() - 576.0).abs() < 1e-9);
    // Four degrees above D (degree 0) is 5/4 of it; seven above A4 (degree 7) is degree 14.
    assert!((table.degrees_above(62, 4, 0.0).unwrap() - 360.0).abs() < 1e-9);
    assert!((table.degrees_above(69, 7, 0.0).unwrap() - 288.0 * 2.0 * 9.0 / 8.0).abs() < 1e-9);
    assert_eq!(table.degree(69), Some(7));
}

#[test]
fn a_silent_reference_key_is_refused_at_its_line() {
    let scale = b"desc\n2\n600.0\n2/1\n";
    let map = b"2\n0\n127\n60\n61\n440\n2\n0\nx\n";
    let error = Tuning::from_files("x", scale, Some(map)).unwrap_err();
    assert_eq!((error.file, error.line), (TuningFile::KeyboardMap, 5));
    assert!(error.reason.contains("silent"), "{error}");
}
