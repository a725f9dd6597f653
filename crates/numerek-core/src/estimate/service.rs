//! How long a call of one category keeps a counter busy, learned from today's calls: how long
//! on average, how much that varies, and how much longer a call in progress is likely to last.
//!
//! What a wait depends on is counter time, not only service: a ticket called and then marked a
//! no-show also holds its counter for a while. So every call that ended today (served or
//! no-show) is a sample, from its last call (or recall) to its end.

use super::distribution::{Moments, normal_cdf};

/// How many samples the assumed spread [`PRIOR_CV`] counts for, in the spread and in the
/// fence; and the configured time, in what remains of a call in progress.
pub const PRIOR_WEIGHT: f64 = 3.0;

/// How far a day's real mean counter time may be from the configured `expected_service_min`:
/// a fifth of it (one standard deviation). The configured time then counts for as many samples
/// as it takes today's measurements to be as sure, `cv² / 0.2²`: 9 samples at a spread of 0.6,
/// 25 at 1.0. The more calls vary, the more of them it takes to tell a slow day from bad luck.
pub const PRIOR_REL_SD: f64 = 0.2;

/// The spread of counter times assumed until today's calls show it: standard deviation ÷ mean.
/// Counter times of public offices vary about this much (a simple errand against a complicated
/// case), between the regular services of a cash desk and exponential ones.
pub const PRIOR_CV: f64 = 0.6;

/// Samples more than this many standard deviations of the logarithm above the median are
/// clipped to it: one call left open over a coffee break must not lengthen everybody's
/// estimate. The fence follows the spread measured today, so regular services are clipped
/// close and widely varying ones far out: in log terms three standard deviations clip about
/// one call in 700 of a log-normal spread, and change its mean by less than one percent.
pub const FENCE_LOG_SDS: f64 = 3.0;

/// The ratio of the interquartile range to the standard deviation of a normal distribution.
const IQR_PER_SD: f64 = 1.348_979_500_392_163;

/// Today's measured counter times of one category, kept sorted so that the statistics do not
/// depend on the order they were recorded in (an office restored from its tickets records them
/// in another order than the live one, and both must estimate the same).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ServiceStats {
    /// Seconds per call, ascending.
    samples: Vec<f64>,
}

impl ServiceStats {
    /// No calls measured.
    pub const EMPTY: Self = Self {
        samples: Vec::new(),
    };

    /// Adds one measured call.
    pub fn record(&mut self, seconds: f64) {
        let seconds = if seconds.is_finite() {
            seconds.max(0.0)
        } else {
            0.0
        };
        let at = self.samples.partition_point(|&s| s <= seconds);
        self.samples.insert(at, seconds);
    }

    /// How many calls were measured.
    pub fn count(&self) -> usize {
        self.samples.len()
    }

    /// The sample at the nearest rank of quantile `q`.
    fn quantile(&self, q: f64) -> f64 {
        let n = self.samples.len();
        let rank = ((q * n as f64).ceil() as usize).clamp(1, n);
        self.samples[rank - 1]
    }

    /// The value samples are clipped at: [`FENCE_LOG_SDS`] standard deviations of the
    /// logarithm above the median, that deviation measured robustly (by the interquartile
    /// range) and blended with the one [`PRIOR_CV`] implies.
    fn fence(&self) -> f64 {
        let n = self.samples.len();
        if n == 0 {
            return f64::INFINITY;
        }
        // A second is the shortest counter time the logarithm takes (a no-show at once).
        let log = |s: f64| s.max(1.0).ln();
        let prior_sd = (PRIOR_CV * PRIOR_CV).ln_1p().sqrt();
        let measured_sd = (log(self.quantile(0.75)) - log(self.quantile(0.25))) / IQR_PER_SD;
        let sd = (PRIOR_WEIGHT * prior_sd + n as f64 * measured_sd) / (PRIOR_WEIGHT + n as f64);
        (log(self.quantile(0.5)) + FENCE_LOG_SDS * sd).exp()
    }

    /// Today's samples, clipped at the fence.
    fn clipped(&self) -> impl Iterator<Item = f64> + '_ {
        let fence = self.fence();
        self.samples.iter().map(move |&s| s.min(fence))
    }

    /// The counter time of one call: its mean, the clipped mean of today's samples blended with
    /// the configured time `prior_s` (weighted as `cv² ÷` [`PRIOR_REL_SD`]`²` samples); its
    /// variance, from today's spread (squared coefficient of variation) blended with
    /// [`PRIOR_CV`] weighted as [`PRIOR_WEIGHT`] samples.
    pub fn call(&self, prior_s: f64) -> Moments {
        self.learned(prior_s).0
    }

    /// How uncertain the mean of [`ServiceStats::call`] is, as a variance: that of a mean of
    /// as many calls as the configured time and today's samples count for together.
    pub fn mean_var(&self, prior_s: f64) -> f64 {
        let (call, weight) = self.learned(prior_s);
        call.var_s2 / (weight + self.samples.len() as f64)
    }

    /// [`ServiceStats::call`], and the weight the configured time had in it.
    fn learned(&self, prior_s: f64) -> (Moments, f64) {
        let prior_s = if prior_s.is_finite() {
            prior_s.max(0.0)
        } else {
            0.0
        };
        let (mut n, mut sum, mut sum2) = (0.0, 0.0, 0.0);
        for s in self.clipped() {
            n += 1.0;
            sum += s;
            sum2 += s * s;
        }
        // The measured squared coefficient of variation has n − 1 degrees of freedom.
        let measured_cv2 = if n >= 2.0 && sum > 0.0 {
            let sample_mean = sum / n;
            ((sum2 - n * sample_mean * sample_mean) / (n - 1.0)).max(0.0)
                / (sample_mean * sample_mean)
        } else {
            0.0
        };
        let dof = (n - 1.0).max(0.0);
        let cv2 = (PRIOR_WEIGHT * PRIOR_CV * PRIOR_CV + dof * measured_cv2) / (PRIOR_WEIGHT + dof);
        let weight = (cv2 / (PRIOR_REL_SD * PRIOR_REL_SD)).max(1.0);
        let mean = (weight * prior_s + sum) / (weight + n);
        let call = Moments {
            mean_s: mean,
            var_s2: cv2 * mean * mean,
        };
        (call, weight)
    }

    /// How much longer a call that has run `elapsed_s` is expected to last.
    ///
    /// The samples that ran longer than `elapsed_s` say how much longer such calls went on; a
    /// log-normal distribution of the moments of [`ServiceStats::call`] adds
    /// [`PRIOR_WEIGHT`] samples of what remains of it after `elapsed_s`: a call that has run
    /// past its usual length is likely a long one, not one about to end. At `elapsed_s = 0`
    /// this is [`ServiceStats::call`].
    pub fn remaining(&self, elapsed_s: f64, prior_s: f64) -> Moments {
        let whole = self.call(prior_s);
        if elapsed_s.is_nan() || elapsed_s <= 0.0 {
            return whole;
        }
        let (model_mean, model_m2) = lognormal_rest(whole, elapsed_s);
        let (mut n, mut sum, mut sum2) = (0.0, 0.0, 0.0);
        let start = self.samples.partition_point(|&s| s <= elapsed_s);
        let fence = self.fence();
        for &s in &self.samples[start..] {
            let rest = (s.min(fence) - elapsed_s).max(0.0);
            n += 1.0;
            sum += rest;
            sum2 += rest * rest;
        }
        let mean = (PRIOR_WEIGHT * model_mean + sum) / (PRIOR_WEIGHT + n);
        let m2 = (PRIOR_WEIGHT * model_m2 + sum2) / (PRIOR_WEIGHT + n);
        Moments {
            mean_s: mean,
            var_s2: (m2 - mean * mean).max(0.0),
        }
    }
}

/// What remains of a log-normal duration with these moments once it has lasted `elapsed_s`:
/// the mean and the second moment of `S − elapsed` given `S > elapsed`.
fn lognormal_rest(whole: Moments, elapsed_s: f64) -> (f64, f64) {
    let mean = whole.mean_s;
    if mean <= 0.0 {
        return (0.0, 0.0);
    }
    let sigma2 = (whole.var_s2 / (mean * mean)).ln_1p();
    let sigma = sigma2.sqrt();
    if sigma < 1e-9 {
        let rest = (mean - elapsed_s).max(0.0);
        return (rest, rest * rest);
    }
    let mu = mean.ln() - sigma2 / 2.0;
    let log_e = elapsed_s.ln();
    // E[S^k; S > e] = exp(kμ + k²σ²/2) Φ((μ + kσ² − ln e) / σ), and P(S > e) = Φ((μ − ln e) / σ).
    let above = normal_cdf((mu - log_e) / sigma);
    let first = (mu + sigma2 / 2.0).exp() * normal_cdf((mu + sigma2 - log_e) / sigma);
    let second = (2.0 * mu + 2.0 * sigma2).exp() * normal_cdf((mu + 2.0 * sigma2 - log_e) / sigma);
    if above > 1e-280 && first.is_finite() && second.is_finite() {
        let rest = (first / above - elapsed_s).max(0.0);
        let rest2 = (second / above - 2.0 * elapsed_s * first / above + elapsed_s * elapsed_s)
            .max(rest * rest);
        (rest, rest2)
    } else {
        // Beyond what the distribution function resolves: the tail's mean residual life,
        // σ² e / (ln e − μ), and the second moment of an exponential rest of that mean.
        let rest = sigma2 * elapsed_s / (log_e - mu).max(sigma2);
        (rest, 2.0 * rest * rest)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stats(samples: &[f64]) -> ServiceStats {
        let mut stats = ServiceStats::default();
        for &s in samples {
            stats.record(s);
        }
        stats
    }

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() <= 1e-9 * b.abs().max(1.0)
    }

    #[test]
    fn the_configured_time_is_blended_with_the_measured_ones() {
        assert_eq!(stats(&[]).call(300.0).mean_s, 300.0);
        // One sample: the spread is still the assumed 0.6, so the configured time counts as
        // 0.36 / 0.04 = 9 samples: (9 × 300 + 100) / 10.
        assert!(close(stats(&[100.0]).call(300.0).mean_s, 280.0));
        // 60, 120, 180: a squared spread of 0.316 (below), so 7.9 samples:
        // (7.9 × 300 + 360) / 10.9.
        let three = stats(&[60.0, 120.0, 180.0]).call(300.0);
        assert!(
            close(three.mean_s, (7.9 * 300.0 + 360.0) / 10.9),
            "{three:?}"
        );
        // Many regular samples outweigh the configured time, which counts at least once.
        let many = stats(&[120.0; 57]);
        assert!(close(
            many.call(300.0).mean_s,
            (300.0 + 57.0 * 120.0) / 58.0
        ));
    }

    #[test]
    fn the_more_calls_vary_the_longer_the_configured_time_holds() {
        // Ten calls all 50 % longer than configured: regular ones move the mean most of the
        // way, widely varying ones (that could be bad luck) much less.
        let regular = stats(&[450.0; 10]).call(300.0).mean_s;
        let varying = stats(&[
            90.0, 150.0, 200.0, 250.0, 300.0, 350.0, 450.0, 600.0, 900.0, 1210.0,
        ])
        .call(300.0)
        .mean_s;
        assert!(regular > 420.0, "{regular}");
        assert!(varying < 400.0, "{varying}");
    }

    #[test]
    fn the_spread_is_the_assumed_one_until_measured() {
        // No samples: the configured 300 s with a coefficient of variation of 0.6.
        let none = stats(&[]).call(300.0);
        assert!(close(none.var_s2, (0.6 * 300.0_f64).powi(2)));
        // 60, 120, 180: sample mean 120, sample variance 3600, squared cv 0.25 with two
        // degrees of freedom, blended with 3 × 0.36: (1.08 + 0.5) / 5 = 0.316.
        let three = stats(&[60.0, 120.0, 180.0]).call(300.0);
        assert!(
            close(three.var_s2, 0.316 * three.mean_s * three.mean_s),
            "{three:?}"
        );
        // Many equal samples: hardly any spread is left.
        let regular = stats(&[120.0; 300]).call(120.0);
        assert!(regular.var_s2 < 0.01 * 120.0 * 120.0, "{regular:?}");
    }

    #[test]
    fn the_mean_is_as_uncertain_as_a_mean_of_that_many_calls() {
        // No samples: 9 samples' worth of the configured time, each varying by 0.6 × 300.
        let none = stats(&[]);
        assert!(close(none.mean_var(300.0), (0.6 * 300.0_f64).powi(2) / 9.0));
        // Fifty-seven regular samples and the configured time counted once.
        let many = stats(&[120.0; 57]);
        let call = many.call(300.0);
        assert!(close(many.mean_var(300.0), call.var_s2 / 58.0));
        assert!(many.mean_var(300.0) < none.mean_var(300.0));
    }

    #[test]
    fn an_outlier_is_clipped_at_the_fence() {
        // Twelve calls of 90-110 s: a tight spread, so a call left open for an hour counts
        // as a few minutes, not sixty.
        let mut samples = vec![
            90.0, 95.0, 100.0, 100.0, 105.0, 110.0, 92.0, 98.0, 102.0, 108.0, 100.0, 100.0,
        ];
        let without = stats(&samples).call(100.0).mean_s;
        samples.push(3600.0);
        let with = stats(&samples);
        let fence = with.fence();
        assert!((120.0..600.0).contains(&fence), "fence {fence}");
        let mean = with.call(100.0).mean_s;
        assert!(mean < without + 40.0, "{without} → {mean}");
        // Widely varying calls are clipped far out: an hour stays an hour among calls of a few
        // seconds to half an hour.
        let wide = stats(&[20.0, 60.0, 150.0, 300.0, 600.0, 1200.0, 1800.0, 3600.0]);
        assert_eq!(wide.fence().min(3600.0), 3600.0);
    }

    #[test]
    fn the_order_of_recording_does_not_matter() {
        let a = stats(&[30.0, 400.0, 120.0, 0.0, 95.5]);
        let b = stats(&[95.5, 0.0, 120.0, 30.0, 400.0]);
        assert_eq!(a, b);
        assert_eq!(a.call(200.0), b.call(200.0));
        assert_eq!(a.remaining(100.0, 200.0), b.remaining(100.0, 200.0));
    }

    #[test]
    fn a_call_just_started_is_a_whole_call() {
        let s = stats(&[100.0, 200.0, 300.0]);
        assert_eq!(s.remaining(0.0, 200.0), s.call(200.0));
        assert_eq!(s.remaining(-5.0, 200.0), s.call(200.0));
    }

    #[test]
    fn a_running_call_is_expected_to_end_later_the_longer_it_is_not_over() {
        let s = stats(&[100.0, 200.0, 300.0]);
        // After 150 s: the calls of 200 and 300 s went on for 50 and 150 s more, blended with
        // three samples of the log-normal rest.
        let whole = s.call(200.0);
        let (model, _) = lognormal_rest(whole, 150.0);
        let rest = s.remaining(150.0, 200.0);
        assert!(
            close(rest.mean_s, (3.0 * model + 50.0 + 150.0) / 5.0),
            "{rest:?}"
        );
        // Ended or not, the total grows with what has run: past every sample only the model
        // is left, and what is left of a long call does not vanish.
        let mut last_end = 0.0;
        for elapsed in [0.0, 100.0, 200.0, 400.0, 800.0, 1600.0, 1e5] {
            let rest = s.remaining(elapsed, 200.0);
            assert!(
                rest.mean_s > 0.0 && rest.var_s2 >= 0.0,
                "{elapsed}: {rest:?}"
            );
            assert!(elapsed + rest.mean_s >= last_end, "{elapsed}: {rest:?}");
            last_end = elapsed + rest.mean_s;
        }
    }

    #[test]
    fn the_log_normal_rest_matches_a_numerical_integration() {
        // Mean 300 s, cv 0.8, after 400 s: integrate the density numerically.
        let whole = Moments {
            mean_s: 300.0,
            var_s2: (0.8_f64 * 300.0).powi(2),
        };
        let sigma2 = 1.64_f64.ln();
        let (sigma, mu) = (sigma2.sqrt(), 300.0_f64.ln() - sigma2 / 2.0);
        let density = |x: f64| {
            let z = (x.ln() - mu) / sigma;
            (-z * z / 2.0).exp() / (x * sigma * std::f64::consts::TAU.sqrt())
        };
        let (mut p, mut m1, mut m2) = (0.0, 0.0, 0.0);
        let step = 0.05;
        let mut x = 400.0 + step / 2.0;
        while x < 60_000.0 {
            let w = density(x) * step;
            p += w;
            m1 += w * (x - 400.0);
            m2 += w * (x - 400.0) * (x - 400.0);
            x += step;
        }
        let (rest, rest2) = lognormal_rest(whole, 400.0);
        assert!((rest / (m1 / p) - 1.0).abs() < 1e-4, "{rest} {}", m1 / p);
        assert!((rest2 / (m2 / p) - 1.0).abs() < 1e-3, "{rest2} {}", m2 / p);
    }

    #[test]
    fn estimates_are_never_negative() {
        let s = stats(&[0.0, 5.0, -3.0, f64::NAN]);
        for elapsed in [-10.0, 0.0, 1.0, 100.0, 1e9] {
            let rest = s.remaining(elapsed, 60.0);
            assert!(
                rest.mean_s >= 0.0 && rest.var_s2 >= 0.0,
                "{elapsed}: {rest:?}"
            );
        }
        assert!(s.call(60.0).mean_s >= 0.0);
        assert_eq!(stats(&[]).call(f64::NAN), Moments::default());
    }
}
