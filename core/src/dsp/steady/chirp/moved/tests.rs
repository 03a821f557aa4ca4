use super::*;
use crate::dsp::phase::increment_for;

/// Partial `n` of a test chord: its bank's state at a knot, and the knot's ratio and level
/// factor for it. Every 7th partial's run is refused (its pitch jumps a fifth in a run), and
/// every 11th is silent (a silent run is accepted whatever its pitch); every 5th keeps its
/// level (the step's select).
fn partial(n: usize) -> (MovedPartial, f64, f32) {
    let hz = 55.0 * (1.0 + (n % 23) as f64 * 0.37) * (1.0 + (n / 23) as f64);
    let own_increment = increment_for(hz, 48_000.0);
    // Within ±3 cents of its own pitch at both knots: the lanes take up to ~6.7 cents a run.
    let cents = ((n * 37 % 41) as f64 - 20.0) * 0.15;
    let ratio = if n % 7 == 3 {
        1.5
    } else {
        (cents / 1200.0).exp2()
    };
    let own_level = if n % 11 == 4 {
        0.0
    } else {
        0.01 * (1 + n % 13) as f32
    };
    let level = own_level * (0.5 + (n % 5) as f32 * 0.25);
    let factor = if n % 5 == 2 {
        1.0
    } else {
        0.75 + (n % 9) as f32 * 0.0625
    };
    let partial = MovedPartial {
        phase: (n as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15),
        increment: moved_increment(
            own_increment,
            own_increment as f64,
            1.0 + (n % 17) as f64 * 1e-4,
        ),
        level,
        own_increment,
        own_level,
    };
    (partial, ratio, factor)
}

/// Moved lanes in one or two channels holding partials `partials`, aimed with `kernel`
/// (returning what `aim` returned). Before them the lanes held as many refused partials as
/// they take, aimed and dropped: what they leave past the partials must not count.
fn aimed(kernel: Kernel, stereo: bool, partials: std::ops::Range<usize>) -> (MovedLanes, bool) {
    let mut lanes = MovedLanes::default();
    lanes.clear(stereo);
    for n in 0..MAX_LANES {
        let (partial, _, _) = partial(n);
        let lane = lanes.push(&partial, 0.9, [0.7, 0.6]);
        lanes.ratio[lane] = 1.5;
        lanes.factor[lane] = 1.0;
    }
    assert!(!lanes.aim(kernel), "a fifth in a run is refused");
    lanes.clear(stereo);
    for n in partials {
        let (partial, ratio, factor) = partial(n);
        let lane = lanes.push(&partial, 0.5 + (n % 3) as f32 * 0.25, [0.8, 0.55]);
        lanes.ratio[lane] = ratio;
        lanes.factor[lane] = factor;
    }
    let all = lanes.aim(kernel);
    (lanes, all)
}

/// Everything `aim` and then `finish_run` set for lane `lane`, as bits.
fn planned(lanes: &MovedLanes, lane: usize) -> Vec<u64> {
    let f = |x: f32| u64::from(x.to_bits());
    let mut bits = vec![
        lanes.end_increment[lane],
        lanes.left.slope[lane],
        u64::from(lanes.accepted[lane]),
        f(lanes.end_level[lane]),
        f(lanes.level_step[lane]),
        f(lanes.left.amplitude[lane]),
        f(lanes.left.amplitude_step[lane]),
    ];
    if lanes.stereo {
        bits.extend([
            f(lanes.right.amplitude[lane]),
            f(lanes.right.amplitude_step[lane]),
        ]);
    }
    bits
}

fn finished(lanes: &mut MovedLanes, kernel: Kernel, lane: usize) -> (PhaseRamp, u32) {
    lanes.finish_run(kernel);
    (lanes.left.ramp(lane), lanes.level[lane].to_bits())
}

#[test]
fn aiming_many_lanes_at_once_plans_each_as_alone_and_only_the_partials_count() {
    for kernel in Kernel::available() {
        for stereo in [false, true] {
            for count in [1, 5, 13, 77, 80, 88, 319, MAX_LANES] {
                let (lanes, all) = aimed(kernel, stereo, 0..count);
                let mut every = true;
                for lane in 0..count {
                    let (mut alone, accepted) = aimed(kernel, stereo, lane..lane + 1);
                    assert_eq!(
                        planned(&lanes, lane),
                        planned(&alone, 0),
                        "{kernel:?} {count} {lane}"
                    );
                    assert_eq!(lanes.accept(lane..lane + 1), accepted);
                    every &= accepted;
                    let mut together = lanes.clone();
                    assert_eq!(
                        finished(&mut together, kernel, lane),
                        finished(&mut alone, kernel, 0),
                        "{kernel:?} {count} {lane}"
                    );
                }
                assert_eq!(
                    all, every,
                    "{kernel:?} {count}: whether every partial is accepted"
                );
                if count > 3 {
                    assert!(!all, "partial 3 is refused");
                }
            }
        }
    }
}

#[test]
fn a_chord_all_accepted_is_accepted_whatever_its_lanes_held_before() {
    for kernel in Kernel::available() {
        // No refused partial (3, 10, 17... are), the last chunk part stale.
        let (_, all) = aimed(kernel, false, 4..7);
        assert!(all, "{kernel:?}");
        let (lanes, all) = aimed(kernel, true, 11..17);
        assert!(all && lanes.accept(0..6), "{kernel:?}");
    }
}
