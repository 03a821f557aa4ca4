//! CLAP parameter cookies. A plugin may give each parameter an opaque cookie in `get_info`; a
//! host passes it back in the events that address the parameter, as issued or null, so the
//! plugin can find the parameter without looking its id up. This host sends them as issued
//! unless a test says otherwise ([`QuintetHost::send_cookies`](crate::QuintetHost::send_cookies)).

use clack_host::events::event_types::ParamValueEvent;
use clack_host::prelude::{ClapId, Pckn};
use clack_host::utils::Cookie;

/// Which cookie the host puts in parameter value events.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum SentCookies {
    /// The cookie `get_info` issued for the event's parameter, as hosts that use cookies do.
    #[default]
    AsIssued,
    /// Null, as hosts that ignore cookies do.
    Null,
    /// The cookie issued for the next parameter in the plugin's list (the last one's for the
    /// first): a host breaking CLAP's rule, whose events must still reach the parameter their id
    /// names.
    OfAnotherParameter,
}

/// Every parameter's cookie as `get_info` issued it, in the plugin's order, and which ones the
/// host sends. Searched linearly (a few dozen entries), so the audio thread can use it without
/// allocating.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct Cookies {
    issued: Vec<(ClapId, Cookie)>,
    pub(crate) sent: SentCookies,
}

impl Cookies {
    pub(crate) fn new(issued: Vec<(ClapId, Cookie)>) -> Self {
        Self {
            issued,
            sent: SentCookies::default(),
        }
    }

    /// A CLAP `param_value` event for `param` at `time` (CLAP's value), with its cookie.
    pub(crate) fn value_event(&self, time: u32, param: ClapId, value: f64) -> ParamValueEvent {
        let event = ParamValueEvent::new(time, param, Pckn::match_all(), value);
        // SAFETY: the cookie is null or one the plugin issued (`get_info`, read when the
        // instance was created; nice-plug never rescans its parameter list). A cookie of another
        // parameter breaks CLAP's rule on purpose (`SentCookies::OfAnotherParameter`): the
        // plugin, not this host, is what must cope with it.
        unsafe { event.with_cookie(self.for_event(param)) }
    }

    /// The cookie to send with an event for `param` (null for an id the plugin did not list).
    fn for_event(&self, param: ClapId) -> Cookie {
        let Some(index) = self.issued.iter().position(|(id, _)| *id == param) else {
            return Cookie::empty();
        };
        match self.sent {
            SentCookies::AsIssued => self.issued[index].1,
            SentCookies::Null => Cookie::empty(),
            SentCookies::OfAnotherParameter => self.issued[(index + 1) % self.issued.len()].1,
        }
    }
}
