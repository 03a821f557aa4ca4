//! The sine kernels alone, one partial, without the bank around them: what the inner loop costs,
//! and (from the 128-sample calls) what starting a call costs, which a glide pays once per
//! segment.

use crate::bank::timed_kernels;
use crate::timing::{RUNS, SAMPLE_RATE_HZ, SAMPLES_PER_RUN, median};
use quintet::dsp::phase::{PhaseRamp, increment_for};
use quintet::dsp::sine::{Kernel, Level};
use std::hint::black_box;
use std::time::Instant;

/// Lengths of a kernel call in [`run`]: a glide segment at 48 kHz, and long.
const KERNEL_CALL_SAMPLES: [usize; 2] = [128, 4096];

/// One partial through `kernel` in calls of `call_samples`, steady or gliding: nanoseconds per
/// sample of that one partial, the median of [`RUNS`] runs.
fn kernel_alone_ns(kernel: Kernel, call_samples: usize, gliding: bool) -> f64 {
    let mut ramp = PhaseRamp {
        phase: 0,
        increment: increment_for(440.0, SAMPLE_RATE_HZ),
        // About +0.5 Hz per sample, wrapped back every call so the pitch stays put.
        slope: if gliding { 1 << 38 } else { 0 },
    };
    let start = ramp;
    let mut level = Level::steady(0.2);
    let mut buffer = vec![0.0f32; call_samples];
    let calls = SAMPLES_PER_RUN / call_samples;
    median(
        (0..=RUNS)
            .map(|_| {
                let began = Instant::now();
                for _ in 0..calls {
                    kernel.add_partial(&mut ramp, &mut level, black_box(&mut buffer));
                    ramp.increment = start.increment;
                }
                began.elapsed().as_secs_f64() * 1e9 / (calls * call_samples) as f64
            })
            .skip(1)
            .collect(),
    )
}

/// Prints each kernel's cost alone, steady and gliding, in short and long calls.
pub fn run() {
    let kernels = timed_kernels();
    println!();
    println!("Sine kernels alone, one partial, ns per sample of that partial (× 5 for the bank):");
    println!(
        "{:>8} {:>12} {:>14} {:>12} {:>14}",
        "kernel", "steady 128", "steady 4096", "gliding 128", "gliding 4096"
    );
    for kernel in kernels {
        let mut row = format!("{:>8}", format!("{kernel:?}"));
        for gliding in [false, true] {
            for call in KERNEL_CALL_SAMPLES {
                let width = if call == 128 { 12 } else { 14 };
                row += &format!(" {:>width$.3}", kernel_alone_ns(kernel, call, gliding));
            }
        }
        println!("{row}");
    }
}
