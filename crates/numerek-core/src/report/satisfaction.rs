//! Satisfaction in reports: how many tickets of a group were rated, and their mean score.
//!
//! A rating belongs where its ticket does (the office day and hour of issue, the category it
//! was issued in, the counter of its last call), so a counter's row is that counter's, never a
//! person's: numerek records no clerk.

/// The ratings of one group, summed as tickets are fed.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub(super) struct Ratings {
    count: u64,
    total: u64,
}

impl Ratings {
    /// Counts a ticket's rating, if it has one.
    pub(super) fn add(&mut self, score: Option<u8>) {
        if let Some(score) = score {
            self.count += 1;
            self.total += u64::from(score);
        }
    }

    /// How many tickets were rated.
    pub(super) fn count(&self) -> u64 {
        self.count
    }

    /// The mean score, 1 to 5, rounded half up to two decimals; `None` when nothing was rated.
    pub(super) fn average(&self) -> Option<f64> {
        if self.count == 0 {
            return None;
        }
        let (total, count) = (u128::from(self.total), u128::from(self.count));
        let hundredths = (200 * total + count) / (2 * count);
        Some(hundredths as f64 / 100.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn of(scores: &[u8]) -> Ratings {
        let mut ratings = Ratings::default();
        for &score in scores {
            ratings.add(Some(score));
        }
        ratings.add(None);
        ratings
    }

    #[test]
    fn the_mean_is_rounded_half_up_to_two_decimals() {
        assert_eq!(of(&[]).average(), None);
        assert_eq!(of(&[]).count(), 0);
        assert_eq!(of(&[5]).average(), Some(5.0));
        assert_eq!(of(&[5, 4]).average(), Some(4.5));
        // 13 / 3 = 4.333…
        assert_eq!(of(&[5, 4, 4]).average(), Some(4.33));
        // 14 / 3 = 4.666…
        assert_eq!(of(&[5, 5, 4]).average(), Some(4.67));
        // 9 / 8 = 1.125: half up.
        assert_eq!(of(&[2, 1, 1, 1, 1, 1, 1, 1]).average(), Some(1.13));
        assert_eq!(of(&[2, 1, 1, 1, 1, 1, 1, 1]).count(), 8);
    }
}
