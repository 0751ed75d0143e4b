//! Connection slots for `/sync`: a cap for all, a smaller share for anonymous peers, a cap and a
//! connection rate per address.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Arc, Mutex};

use std::time::Instant;

use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use crate::keyed_rate::KeyedRate;

/// How many `/sync` connections may be open, and who may take them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SlotLimits {
    /// All connections together.
    pub all: usize,
    /// Connections without sign-in together: the rest is kept for members and tokens.
    pub anonymous: usize,
    /// Connections without sign-in from one client address.
    pub anonymous_per_address: usize,
    /// New connections without sign-in per second from one client address (bursts of twice that).
    pub anonymous_connects_per_sec: u32,
}

/// Why no slot was given; the text is the HTTP answer (503 or 429).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum NoSlot {
    #[error("zu viele Verbindungen / too many connections")]
    Full,
    #[error("zu viele Verbindungen ohne Anmeldung / too many connections without sign-in")]
    AnonymousFull,
    #[error(
        "zu viele Verbindungen ohne Anmeldung von dieser Adresse / too many connections without sign-in from this address"
    )]
    AddressFull,
    #[error(
        "zu viele Verbindungsversuche ohne Anmeldung von dieser Adresse / too many connection attempts without sign-in from this address"
    )]
    AddressTooFast,
}

impl NoSlot {
    /// The metrics label of this refusal.
    pub fn label(self) -> &'static str {
        match self {
            NoSlot::Full => "full",
            NoSlot::AnonymousFull => "anonymous_full",
            NoSlot::AddressFull => "address_full",
            NoSlot::AddressTooFast => "address_too_fast",
        }
    }
}

/// Open anonymous connections per client address.
type Addresses = Arc<Mutex<HashMap<IpAddr, usize>>>;

/// The slots of one server; cheap to clone.
#[derive(Clone)]
pub struct Slots {
    /// The caps, to tell how many slots are taken.
    limits: SlotLimits,
    all: Arc<Semaphore>,
    anonymous: Arc<Semaphore>,
    per_address: usize,
    /// Open anonymous connections per address; an entry goes when its count reaches zero, so the
    /// map holds at most `anonymous` entries.
    addresses: Addresses,
    /// New anonymous connections per address: a peer that is closed and reconnects at once, over
    /// and over, is turned away cheaply before its socket is upgraded.
    connects: KeyedRate,
}

/// A taken slot, given back when dropped (the connection's lifetime).
#[derive(Debug)]
pub struct Slot {
    _all: OwnedSemaphorePermit,
    _anonymous: Option<OwnedSemaphorePermit>,
    address: Option<(IpAddr, Addresses)>,
}

impl Slots {
    pub fn new(limits: SlotLimits) -> Self {
        Self {
            limits,
            all: Arc::new(Semaphore::new(limits.all)),
            anonymous: Arc::new(Semaphore::new(limits.anonymous.min(limits.all))),
            per_address: limits.anonymous_per_address,
            addresses: Arc::default(),
            connects: KeyedRate::new(limits.anonymous_connects_per_sec.max(1)),
        }
    }

    /// Takes a slot for a signed-in person or a token (`anonymous` false), or for an anonymous
    /// peer from `address`.
    pub fn take(&self, anonymous: bool, address: IpAddr) -> Result<Slot, NoSlot> {
        if !anonymous {
            let all = self.all.clone().try_acquire_owned().map_err(|_| NoSlot::Full)?;
            return Ok(Slot { _all: all, _anonymous: None, address: None });
        }
        if !self.connects.take(&address.to_string(), Instant::now()) {
            return Err(NoSlot::AddressTooFast);
        }
        let share = self.anonymous.clone().try_acquire_owned().map_err(|_| NoSlot::AnonymousFull)?;
        let all = self.all.clone().try_acquire_owned().map_err(|_| NoSlot::Full)?;
        {
            let mut addresses = self.addresses.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
            let open = addresses.entry(address).or_insert(0);
            if *open >= self.per_address {
                return Err(NoSlot::AddressFull);
            }
            *open += 1;
        }
        Ok(Slot { _all: all, _anonymous: Some(share), address: Some((address, self.addresses.clone())) })
    }

    /// Free slots for everyone, for tests and metrics.
    pub fn available(&self) -> usize {
        self.all.available_permits()
    }

    /// Open connections: (signed in or by token, anonymous).
    pub fn open(&self) -> (usize, usize) {
        let all = self.limits.all.saturating_sub(self.all.available_permits());
        let anonymous = self.limits.anonymous.min(self.limits.all).saturating_sub(self.anonymous.available_permits());
        (all.saturating_sub(anonymous), anonymous)
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        let Some((address, addresses)) = &self.address else { return };
        let mut addresses = addresses.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(open) = addresses.get_mut(address) {
            *open = open.saturating_sub(1);
            if *open == 0 {
                addresses.remove(address);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(last: u8) -> IpAddr {
        IpAddr::from([192, 0, 2, last])
    }

    #[test]
    fn anonymous_peers_fill_their_share_and_members_still_find_a_slot() {
        let slots =
            Slots::new(SlotLimits { all: 4, anonymous: 2, anonymous_per_address: 10, anonymous_connects_per_sec: 100 });
        let a = slots.take(true, ip(1)).expect("first");
        let _b = slots.take(true, ip(2)).expect("second");
        assert_eq!(slots.take(true, ip(3)).expect_err("share full"), NoSlot::AnonymousFull);
        let _m1 = slots.take(false, ip(3)).expect("a member");
        let _m2 = slots.take(false, ip(3)).expect("another member");
        assert_eq!(slots.take(false, ip(3)).expect_err("all full"), NoSlot::Full);
        drop(a);
        assert!(slots.take(true, ip(3)).is_ok(), "a freed anonymous slot is taken again");
    }

    #[test]
    fn one_address_takes_at_most_its_cap_and_gets_it_back() {
        let slots = Slots::new(SlotLimits {
            all: 10,
            anonymous: 10,
            anonymous_per_address: 2,
            anonymous_connects_per_sec: 100,
        });
        let first = slots.take(true, ip(1)).expect("first");
        let _second = slots.take(true, ip(1)).expect("second");
        assert_eq!(slots.take(true, ip(1)).expect_err("cap"), NoSlot::AddressFull);
        assert_eq!(slots.available(), 10 - 2, "a refused take gives its permits back");
        assert!(slots.take(true, ip(2)).is_ok(), "another address");
        drop(first);
        assert!(slots.take(true, ip(1)).is_ok());
        drop(slots.take(true, ip(9)).expect("one"));
        assert!(!slots.addresses.lock().expect("lock").contains_key(&ip(9)), "an empty entry is removed");
    }

    #[test]
    fn an_address_reconnecting_too_fast_is_turned_away_and_members_are_not() {
        let limits = SlotLimits { all: 100, anonymous: 100, anonymous_per_address: 100, anonymous_connects_per_sec: 5 };
        let slots = Slots::new(limits);
        let tries: Vec<_> = (0..20).map(|_| slots.take(true, ip(1)).map(drop)).collect();
        assert_eq!(tries.iter().filter(|t| t.is_ok()).count(), 10, "a burst of twice the rate");
        assert!(tries.contains(&Err(NoSlot::AddressTooFast)));
        assert!(slots.take(true, ip(2)).is_ok(), "another address");
        assert!(slots.take(false, ip(1)).is_ok(), "a signed-in person from the same address");
        assert_eq!(slots.available(), 100, "turned away before any permit was taken");
    }
}
