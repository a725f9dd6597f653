//! Counting what each client address holds (open connections, feed clients), so that one
//! address cannot take what all the others need.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};

/// How many of something each address holds, with a limit per address.
#[derive(Debug)]
pub struct PerAddress {
    limit: AtomicU32,
    /// Addresses holding at least one; an address is removed when it holds none, so the map
    /// is as large as the set of addresses connected now.
    held: Mutex<HashMap<IpAddr, u32>>,
}

impl PerAddress {
    /// At most `limit` per address.
    pub fn new(limit: u32) -> Arc<Self> {
        Arc::new(Self {
            limit: AtomicU32::new(limit),
            held: Mutex::new(HashMap::new()),
        })
    }

    /// The most one address may hold.
    pub fn limit(&self) -> u32 {
        self.limit.load(Ordering::Relaxed)
    }

    /// Sets the most one address may hold; what is held already stays.
    pub fn set_limit(&self, limit: u32) {
        self.limit.store(limit, Ordering::Relaxed);
    }

    /// Takes one for `address`, held until the guard is dropped; `None` when the address holds
    /// its limit already.
    pub fn take(self: &Arc<Self>, address: IpAddr) -> Option<AddressGuard> {
        let address = address.to_canonical();
        let mut held = self.held.lock().unwrap_or_else(|e| e.into_inner());
        let count = held.entry(address).or_insert(0);
        if *count >= self.limit() {
            return None;
        }
        *count += 1;
        Some(AddressGuard {
            owner: self.clone(),
            address,
        })
    }

    /// How many `address` holds now.
    pub fn held_by(&self, address: IpAddr) -> u32 {
        let held = self.held.lock().unwrap_or_else(|e| e.into_inner());
        held.get(&address.to_canonical()).copied().unwrap_or(0)
    }
}

/// One held by an address, given back when dropped.
#[derive(Debug)]
pub struct AddressGuard {
    owner: Arc<PerAddress>,
    address: IpAddr,
}

impl Drop for AddressGuard {
    fn drop(&mut self) {
        let mut held = self.owner.held.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(count) = held.get_mut(&self.address) {
            *count -= 1;
            if *count == 0 {
                held.remove(&self.address);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_address_holds_at_most_its_limit_and_gets_it_back() {
        let limits = PerAddress::new(2);
        let a: IpAddr = "127.0.0.1".parse().unwrap();
        let b: IpAddr = "127.0.0.2".parse().unwrap();
        let first = limits.take(a).expect("one");
        let second = limits.take(a).expect("two");
        assert!(limits.take(a).is_none(), "a third is refused");
        assert!(
            limits.take("::ffff:127.0.0.1".parse().unwrap()).is_none(),
            "the same address written as IPv6"
        );
        let other = limits.take(b).expect("another address is not affected");
        drop(first);
        let again = limits.take(a).expect("one was given back");
        drop((second, again, other));
        assert_eq!(limits.held_by(a), 0);
        assert!(
            limits.held.lock().unwrap().is_empty(),
            "nothing left behind"
        );
    }
}
