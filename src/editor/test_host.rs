//! A host for the editor's tests: it records every gesture it is sent and, like the
//! standalone, applies each value only at its next audio block ([`TestHost::audio_block`]).

use nice_plug::params::internals::ParamPtr;
use nice_plug::prelude::{GuiContextInner, PluginApi, PluginState};
use std::sync::Mutex;

/// What the editor told the host, in order.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Call {
    Begin,
    Set(f32),
    End,
}

/// A host that records the gestures it is sent.
#[derive(Default)]
pub struct TestHost {
    calls: Mutex<Vec<(ParamPtr, Call)>>,
    /// How many of the calls its audio side has applied.
    applied: Mutex<usize>,
}

impl TestHost {
    /// Every call so far, in order.
    pub fn calls(&self) -> Vec<Call> {
        self.calls
            .lock()
            .unwrap()
            .iter()
            .map(|&(_, call)| call)
            .collect()
    }

    /// The host's audio side takes the values set since its last block.
    pub fn audio_block(&self) {
        let calls = self.calls.lock().unwrap();
        let mut applied = self.applied.lock().unwrap();
        for &(param, call) in &calls[*applied..] {
            if let Call::Set(normalized) = call {
                // SAFETY: the editor under test only sends pointers to parameters that outlive
                // it, and nothing else reads them while its test runs this.
                unsafe { param._internal_set_normalized_value(normalized) };
            }
        }
        *applied = calls.len();
    }

    fn record(&self, param: ParamPtr, call: Call) {
        self.calls.lock().unwrap().push((param, call));
    }
}

impl GuiContextInner for TestHost {
    fn plugin_api(&self) -> PluginApi {
        PluginApi::Standalone
    }

    unsafe fn raw_begin_set_parameter(&self, param: ParamPtr) {
        self.record(param, Call::Begin);
    }

    unsafe fn raw_set_parameter_normalized(&self, param: ParamPtr, normalized: f32) {
        self.record(param, Call::Set(normalized));
    }

    unsafe fn raw_end_set_parameter(&self, param: ParamPtr) {
        self.record(param, Call::End);
    }

    fn get_state(&self) -> PluginState {
        unreachable!("the tests never save a preset")
    }

    fn set_state(&self, _state: PluginState) {
        unreachable!("the tests never load a preset")
    }

    fn request_restart(&self) {
        unreachable!("the editor never restarts the plugin")
    }
}
