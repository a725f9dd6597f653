//! A hash map that grows a part at a time.
//!
//! A hash map grows by moving every entry into a table twice the size, all at once: on a day of
//! 200,000 tickets that stalled the writer (and the read model) for 60 ms and more, and every
//! answer waiting behind it. A B-tree grows a node at a time but compares whole ticket ids on
//! every step. Split into [`SHARDS`] hash maps by a hash of the key, each part grows on its own,
//! so one growth moves at most about a sixty-fourth of the entries, and a lookup stays a hash.

use std::collections::HashMap;
use std::hash::{BuildHasher, Hash, RandomState};

/// How many parts.
pub const SHARDS: usize = 64;

/// A hash map in [`SHARDS`] parts.
#[derive(Debug, Clone)]
pub struct ShardedMap<K, V> {
    shards: Vec<HashMap<K, V>>,
    /// Picks a key's part; keyed at random like the parts themselves, so nobody can aim many
    /// keys at one part.
    pick: RandomState,
}

impl<K: Hash + Eq, V> Default for ShardedMap<K, V> {
    fn default() -> Self {
        Self {
            shards: (0..SHARDS).map(|_| HashMap::new()).collect(),
            pick: RandomState::new(),
        }
    }
}

impl<K: Hash + Eq, V> ShardedMap<K, V> {
    fn shard_of(&self, key: &K) -> usize {
        (self.pick.hash_one(key) % SHARDS as u64) as usize
    }

    /// The value of `key`.
    pub fn get(&self, key: &K) -> Option<&V> {
        self.shards[self.shard_of(key)].get(key)
    }

    /// Sets the value of `key`, answering the one it replaces.
    pub fn insert(&mut self, key: K, value: V) -> Option<V> {
        let shard = self.shard_of(&key);
        self.shards[shard].insert(key, value)
    }

    /// Every value, in no particular order.
    pub fn values(&self) -> impl Iterator<Item = &V> {
        self.shards.iter().flat_map(HashMap::values)
    }

    /// How many entries.
    pub fn len(&self) -> usize {
        self.shards.iter().map(HashMap::len).sum()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.shards.iter().all(HashMap::is_empty)
    }

    /// Removes every entry (keeping the parts' memory for the next day).
    pub fn clear(&mut self) {
        self.shards.iter_mut().for_each(HashMap::clear);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// Whatever is inserted, the map answers what a plain hash map answers.
        #[test]
        fn it_behaves_as_one_hash_map(entries in prop::collection::vec((0u16..500, any::<u32>()), 0..400)) {
            let mut sharded = ShardedMap::default();
            let mut plain = HashMap::new();
            for (key, value) in &entries {
                prop_assert_eq!(sharded.insert(*key, *value), plain.insert(*key, *value));
            }
            prop_assert_eq!(sharded.len(), plain.len());
            prop_assert_eq!(sharded.is_empty(), plain.is_empty());
            for key in 0u16..500 {
                prop_assert_eq!(sharded.get(&key), plain.get(&key));
            }
            let mut values: Vec<u32> = sharded.values().copied().collect();
            let mut expected: Vec<u32> = plain.values().copied().collect();
            values.sort_unstable();
            expected.sort_unstable();
            prop_assert_eq!(values, expected);
            sharded.clear();
            prop_assert!(sharded.is_empty());
            prop_assert_eq!(sharded.get(&entries.first().map_or(0, |e| e.0)), None);
        }
    }
}
