//! Uncertain durations: a mean and a variance ([`Moments`]), and what is shown of a wait with
//! such moments ([`WaitRange`]): its median and the interval that holds it four times in five.
//!
//! A wait is a sum of counter times still to come, each positive and skewed (most calls are
//! short, a few take far longer), so a wait is skewed too: more so when it is one call in
//! progress, less when it is many calls. A log-normal distribution with the wait's mean and
//! variance has that shape: positive, its skewness growing with the spread (three times the
//! coefficient of variation, between what a sum of exponential calls has, two, and what a sum
//! of log-normal ones of the spreads met at counters has, three to four). Its quantiles are
//! closed formulas, so the range costs two exponentials per ticket.

/// The mean and variance of a random duration, in seconds and seconds squared.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Moments {
    /// The expected value.
    pub mean_s: f64,
    /// The variance (never negative).
    pub var_s2: f64,
}

impl Moments {
    /// A duration known for certain.
    pub fn exactly(seconds: f64) -> Self {
        Self {
            mean_s: seconds,
            var_s2: 0.0,
        }
    }
}

/// The standard normal quantile of 90 %: the range runs from the 10th to the 90th percentile.
const Z_90: f64 = 1.281_551_565_544_600_4;

/// How much wider than the model's spread the range is drawn. The model leaves some randomness
/// out (how many arrive in fact, which of two counters wins a ticket both could call, how far
/// today's measurements are from the truth beyond their count), and in simulated days its
/// 10th to 90th percentile held three or four waits in four; widening the spread of the
/// logarithm by a tenth makes it four in five (`docs/estimation.md`).
pub const RANGE_WIDENING: f64 = 1.1;

/// The narrowest range shown, in seconds: a range narrower than the minute a page shows it in
/// says nothing more, and even a free counter takes a moment to call the next ticket.
pub const MIN_RANGE_S: f64 = 60.0;

/// What is shown of a wait: its median and its range, in whole seconds.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct WaitRange {
    /// The median: as many people wait less as wait longer. What `estimated_wait_s` shows: of
    /// all single numbers, the one off by least on average.
    pub estimate_s: f64,
    /// The low end: the 10th percentile (of the widened spread, [`RANGE_WIDENING`]).
    pub low_s: f64,
    /// The high end: the 90th percentile, at least [`MIN_RANGE_S`] above `low_s`.
    pub high_s: f64,
}

impl WaitRange {
    /// The median and range of a wait with these moments, by a log-normal distribution with
    /// the same mean and variance; in whole seconds, never negative.
    pub fn of(wait: Moments) -> Self {
        let mean = if wait.mean_s.is_finite() {
            wait.mean_s.max(0.0)
        } else {
            0.0
        };
        let var = if wait.var_s2.is_finite() {
            wait.var_s2.max(0.0)
        } else {
            0.0
        };
        let (median, low, high) = if mean <= 0.0 || var <= 0.0 {
            (mean, mean, mean)
        } else {
            let sigma2 = (var / (mean * mean)).ln_1p();
            let sigma = sigma2.sqrt();
            let spread = sigma * RANGE_WIDENING;
            let median = mean * (-sigma2 / 2.0).exp();
            (
                median,
                median * (-Z_90 * spread).exp(),
                median * (Z_90 * spread).exp(),
            )
        };
        let low_s = super::whole_seconds(low);
        Self {
            estimate_s: super::whole_seconds(median),
            low_s,
            high_s: super::whole_seconds(high).max(low_s + MIN_RANGE_S),
        }
    }
}

/// The standard normal distribution function Φ(x), with a relative error below 1.2 × 10⁻⁷ in
/// both tails (the complementary error function of Numerical Recipes, `erfcc`): the rest of a
/// long call in progress depends on the far tail.
pub fn normal_cdf(x: f64) -> f64 {
    if x.is_nan() {
        return f64::NAN;
    }
    // Φ(x) = erfc(−x / √2) / 2.
    let z = -x / std::f64::consts::SQRT_2;
    let t = 1.0 / (1.0 + 0.5 * z.abs());
    let poly = -z * z - 1.265_512_23
        + t * (1.000_023_68
            + t * (0.374_091_96
                + t * (0.096_784_18
                    + t * (-0.186_288_06
                        + t * (0.278_868_07
                            + t * (-1.135_203_98
                                + t * (1.488_515_87 + t * (-0.822_152_23 + t * 0.170_872_77))))))));
    let erfc = t * poly.exp();
    let erfc = if z >= 0.0 { erfc } else { 2.0 - erfc };
    erfc / 2.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_normal_distribution_function_matches_its_table() {
        for (x, phi) in [
            (0.0, 0.5),
            (1.0, 0.841_344_746_068_543),
            (-1.0, 0.158_655_253_931_457),
            (1.281_551_565_544_6, 0.9),
            (-2.5, 0.006_209_665_325_776),
            (3.0, 0.998_650_101_968_37),
        ] {
            assert!((normal_cdf(x) - phi).abs() < 1e-7, "Φ({x})");
        }
        // Far in the lower tail the relative error stays small.
        let far = normal_cdf(-10.0);
        assert!(
            (far / 7.619_853_024_160_527e-24 - 1.0).abs() < 1e-6,
            "{far}"
        );
    }

    #[test]
    fn a_certain_wait_has_its_value_as_median_and_a_minute_of_range() {
        let range = WaitRange::of(Moments::exactly(300.0));
        assert_eq!(
            (range.estimate_s, range.low_s, range.high_s),
            (300.0, 300.0, 360.0)
        );
        let now = WaitRange::of(Moments::default());
        assert_eq!((now.estimate_s, now.low_s, now.high_s), (0.0, 0.0, 60.0));
    }

    #[test]
    fn the_range_is_that_of_the_log_normal_of_the_same_mean_and_variance() {
        // Mean 600 s, standard deviation 300 s: σ² = ln 1.25, median = 600 / √1.25, the range
        // at ±1.2816 × 1.1 σ around it.
        let range = WaitRange::of(Moments {
            mean_s: 600.0,
            var_s2: 300.0 * 300.0,
        });
        let spread = 1.25_f64.ln().sqrt() * RANGE_WIDENING;
        let median = 600.0 / 1.25_f64.sqrt();
        assert_eq!(range.estimate_s, median.round());
        assert_eq!(range.low_s, (median * (-Z_90 * spread).exp()).round());
        assert_eq!(range.high_s, (median * (Z_90 * spread).exp()).round());
        // 537, 276 and 1044 s: skewed, the median below the mean.
        assert_eq!(
            (range.estimate_s, range.low_s, range.high_s),
            (537.0, 276.0, 1044.0)
        );
    }

    #[test]
    fn the_range_widens_with_the_spread_and_never_goes_below_zero() {
        let mut last_width = 0.0;
        for sd in [0.0, 30.0, 120.0, 600.0, 3000.0] {
            let range = WaitRange::of(Moments {
                mean_s: 600.0,
                var_s2: sd * sd,
            });
            let width = range.high_s - range.low_s;
            assert!(width >= last_width, "sd {sd}: {range:?}");
            assert!(range.low_s >= 0.0 && range.low_s <= range.estimate_s);
            assert!(range.estimate_s <= range.high_s);
            last_width = width;
        }
        for bad in [f64::NAN, f64::INFINITY, -5.0] {
            let range = WaitRange::of(Moments {
                mean_s: bad,
                var_s2: bad,
            });
            assert!(
                range.low_s >= 0.0 && range.high_s >= range.low_s,
                "{range:?}"
            );
        }
    }
}
