//! The arithmetic of report figures: nearest-rank percentiles, means and shares, rounded half
//! up as the API shows them.

/// The `p`-th percentile (0 < p ≤ 100) of sorted values by the nearest-rank method: the value
/// at rank ⌈p/100 × n⌉ (1-based). `None` for no values.
pub fn nearest_rank(sorted: &[u64], p: u32) -> Option<u64> {
    if sorted.is_empty() {
        return None;
    }
    let n = sorted.len() as u64;
    let rank = (u64::from(p) * n).div_ceil(100).clamp(1, n);
    sorted.get(usize::try_from(rank - 1).ok()?).copied()
}

/// A mean of milliseconds as seconds with millisecond precision (rounded half up).
pub(crate) fn mean_s(total_ms: u128, count: u64) -> Option<f64> {
    if count == 0 {
        return None;
    }
    let count = u128::from(count);
    let mean_ms = (2 * total_ms + count) / (2 * count);
    Some(mean_ms as f64 / 1000.0)
}

/// A mean of signed milliseconds as seconds with millisecond precision (rounded half up).
pub(super) fn signed_mean_s(total_ms: i128, count: u64) -> Option<f64> {
    if count == 0 {
        return None;
    }
    let count = i128::from(count);
    let mean_ms = (2 * total_ms + count).div_euclid(2 * count);
    Some(mean_ms as f64 / 1000.0)
}

pub(super) fn ms_to_s(ms: u64) -> f64 {
    ms as f64 / 1000.0
}

/// `part / whole` in percent, rounded to one decimal (half up).
pub(super) fn percent(part: u64, whole: u64) -> Option<f64> {
    if whole == 0 {
        return None;
    }
    let (part, whole) = (u128::from(part), u128::from(whole));
    let tenths = (2000 * part + whole) / (2 * whole);
    Some(tenths as f64 / 10.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_rank_takes_the_value_at_the_rounded_up_rank() {
        let values = [10, 20, 30, 40, 50, 60, 70, 80, 90, 100];
        assert_eq!(nearest_rank(&values, 50), Some(50));
        assert_eq!(nearest_rank(&values, 90), Some(90));
        assert_eq!(nearest_rank(&values[..3], 50), Some(20));
        assert_eq!(nearest_rank(&values[..3], 90), Some(30));
        assert_eq!(nearest_rank(&values[..1], 90), Some(10));
        assert_eq!(nearest_rank(&[], 50), None);
    }

    #[test]
    fn means_and_shares_round_half_up() {
        assert_eq!(mean_s(3, 2), Some(0.002));
        assert_eq!(mean_s(1000, 3), Some(0.333));
        assert_eq!(mean_s(0, 0), None);
        assert_eq!(percent(2, 3), Some(66.7));
        assert_eq!(percent(1, 8), Some(12.5));
        assert_eq!(percent(0, 0), None);
        assert_eq!(signed_mean_s(-3, 2), Some(-0.001));
        assert_eq!(signed_mean_s(-1000, 3), Some(-0.333));
        assert_eq!(signed_mean_s(-2000, 3), Some(-0.667));
        assert_eq!(signed_mean_s(5000, 2), Some(2.5));
        assert_eq!(signed_mean_s(0, 0), None);
    }
}
