//! State blobs as nice-plug frames them: an 8-byte little-endian length, then the JSON payload
//! (`{"version":…,"params":{…},"fields":{…}}`).

/// `payload` behind nice-plug's length prefix, as `state.load` expects it.
pub fn framed(payload: impl AsRef<[u8]>) -> Vec<u8> {
    let payload = payload.as_ref();
    let mut state = (payload.len() as u64).to_le_bytes().to_vec();
    state.extend_from_slice(payload);
    state
}

/// The JSON payload of a framed state, or `None` when the prefix does not match its length.
pub fn payload(state: &[u8]) -> Option<&[u8]> {
    let (prefix, payload) = state.split_at_checked(8)?;
    let length = u64::from_le_bytes(prefix.try_into().ok()?);
    (length == payload.len() as u64).then_some(payload)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn framing_round_trips_and_a_wrong_length_is_refused() {
        let state = framed(b"{}");
        assert_eq!(state.len(), 10);
        assert_eq!(payload(&state), Some(&b"{}"[..]));
        assert_eq!(payload(&state[..9]), None);
        assert_eq!(payload(&[1, 2, 3]), None);
    }
}
