//! The dedupe keys of deliveries this process has seen committed, so that
//! a repeat is answered without a trip through the database.
//!
//! Lever retries a delivery until it gets a 200, and a sender replaying
//! one (by mistake or on purpose) can repeat it at line rate. A key in this
//! set is one whose row a committed transaction wrote or found, so a 200
//! for it is as true as the database's answer would be; a key that has
//! fallen out of the set (or was committed by another process) simply goes
//! the long way through the committer, which de-duplicates in the
//! database. The set is bounded: the oldest key is forgotten first.
use std::collections::{HashSet, VecDeque};
use std::sync::Mutex;

/// How many keys are remembered (about 100 bytes each).
pub const CAPACITY: usize = 65_536;

/// A bounded set of committed dedupe keys, oldest forgotten first.
pub struct RecentDeliveries {
    inner: Mutex<Inner>,
    capacity: usize,
}

#[derive(Default)]
struct Inner {
    keys: HashSet<String>,
    order: VecDeque<String>,
}

impl RecentDeliveries {
    pub fn new(capacity: usize) -> Self {
        Self { inner: Mutex::new(Inner::default()), capacity: capacity.max(1) }
    }

    /// Whether `key` was committed (as far as this set remembers).
    pub fn contains(&self, key: &str) -> bool {
        self.lock().keys.contains(key)
    }

    /// Remembers keys whose rows are now committed.
    pub fn remember<'a>(&self, keys: impl IntoIterator<Item = &'a str>) {
        let mut inner = self.lock();
        for key in keys {
            if inner.keys.contains(key) {
                continue;
            }
            if inner.order.len() >= self.capacity {
                if let Some(oldest) = inner.order.pop_front() {
                    inner.keys.remove(&oldest);
                }
            }
            inner.keys.insert(key.to_owned());
            inner.order.push_back(key.to_owned());
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        // The set holds no invariant a panic could break halfway that
        // matters more than answering: a poisoned lock is used as it is.
        self.inner.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn remembers_committed_keys_and_forgets_the_oldest_first() {
        let recent = RecentDeliveries::new(2);
        assert!(!recent.contains("a"));
        recent.remember(["a", "b", "a"]);
        assert!(recent.contains("a") && recent.contains("b"));
        recent.remember(["c"]);
        assert!(!recent.contains("a"), "the oldest key goes first");
        assert!(recent.contains("b") && recent.contains("c"));
    }
}
