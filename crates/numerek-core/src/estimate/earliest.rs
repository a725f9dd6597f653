//! Which of several counters becomes free first, when each free time is uncertain: the first of
//! them comes earlier than any is expected to. Each free time is taken as log-normal, and the
//! minimum is Clark's minimum of two normal variables applied to their logarithms, one counter
//! at a time.

use super::distribution::{Moments, normal_cdf};

/// How many standard deviations later than the first a counter may be expected free and still
/// count as possibly first (see [`close_behind`]).
const RIVAL_SDS: f64 = 5.0;

/// Whether server `j` could still be free before server `k`, which is expected free first:
/// unless it is expected more than [`RIVAL_SDS`] standard deviations (of the difference of
/// their free times) later. Beyond that it comes first less than once in a million, and its
/// minimum with `k`'s would change nothing worth the arithmetic.
pub(super) fn close_behind(k: usize, j: usize, free: &[Option<f64>], spread: &[f64]) -> bool {
    match (free[k], free[j]) {
        (Some(first), Some(other)) => other - first <= RIVAL_SDS * (spread[k] + spread[j]).sqrt(),
        _ => false,
    }
}

/// When the first of server `k` and its `rivals` becomes free: the minimum of their free
/// times, each taken as log-normal (Clark's moments of the minimum of two normal variables,
/// applied to their logarithms, one rival at a time), back as a mean and variance.
pub(super) fn first_free(
    k: usize,
    rivals: &[usize],
    free: &[Option<f64>],
    spread: &[f64],
) -> Moments {
    let of = |j: usize| Moments {
        mean_s: free[j].unwrap_or(0.0),
        var_s2: spread[j],
    };
    let mut first = of(k);
    // Certain or immediate free times are compared as they are; the others by their logarithms.
    let mut log_first: Option<Moments> = None;
    for &j in rivals {
        let other = of(j);
        if first.mean_s <= 0.0
            || other.mean_s <= 0.0
            || (first.var_s2 <= 0.0 && other.var_s2 <= 0.0)
        {
            let current = log_first.take().map_or(first, from_log);
            first = if current.mean_s <= other.mean_s {
                current
            } else {
                other
            };
            continue;
        }
        let running = log_first.unwrap_or_else(|| to_log(first));
        log_first = Some(min_of(running, to_log(other)));
    }
    let first = log_first.map_or(first, from_log);
    Moments {
        mean_s: first.mean_s.max(0.0),
        var_s2: first.var_s2.max(0.0),
    }
}

/// The mean and variance of the logarithm of a log-normal duration of these moments (mean above
/// 0).
fn to_log(m: Moments) -> Moments {
    let s2 = (m.var_s2.max(0.0) / (m.mean_s * m.mean_s)).ln_1p();
    Moments {
        mean_s: m.mean_s.ln() - s2 / 2.0,
        var_s2: s2,
    }
}

/// The mean and variance of a log-normal duration whose logarithm has these moments.
fn from_log(log: Moments) -> Moments {
    let mean = (log.mean_s + log.var_s2 / 2.0).exp();
    Moments {
        mean_s: mean,
        var_s2: log.var_s2.exp_m1() * mean * mean,
    }
}

/// The smaller of two independent positive durations, each taken as log-normal: the minimum
/// of their logarithms by [`min_of`], back as a log-normal duration.
#[cfg(test)]
pub(super) fn log_min_of(a: Moments, b: Moments) -> Moments {
    first_free(
        0,
        &[1],
        &[Some(a.mean_s), Some(b.mean_s)],
        &[a.var_s2, b.var_s2],
    )
}

/// The mean and variance of the smaller of two independent normal variables (C. E. Clark,
/// "The greatest of a finite set of random variables", 1961, applied to their negatives).
fn min_of(a: Moments, b: Moments) -> Moments {
    let theta = (a.var_s2 + b.var_s2).sqrt();
    if theta < 1e-9 {
        return if a.mean_s <= b.mean_s { a } else { b };
    }
    let beta = (b.mean_s - a.mean_s) / theta;
    let (pa, pb) = (normal_cdf(beta), normal_cdf(-beta));
    let density = (-beta * beta / 2.0).exp() / std::f64::consts::TAU.sqrt();
    let mean = a.mean_s * pa + b.mean_s * pb - theta * density;
    let second = (a.var_s2 + a.mean_s * a.mean_s) * pa + (b.var_s2 + b.mean_s * b.mean_s) * pb
        - (a.mean_s + b.mean_s) * theta * density;
    Moments {
        mean_s: mean,
        var_s2: (second - mean * mean).max(0.0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_free_time_matches_a_numerical_integration() {
        // Two counters free in log-normal times of mean 100 s, standard deviation 50 s:
        // E[min] = ∫ P(A > t) P(B > t) dt.
        let free = Moments {
            mean_s: 100.0,
            var_s2: 2500.0,
        };
        let sigma2 = 1.25_f64.ln();
        let (sigma, mu) = (sigma2.sqrt(), 100.0_f64.ln() - sigma2 / 2.0);
        let survival = |t: f64| 1.0 - normal_cdf((t.ln() - mu) / sigma);
        let (mut mean, mut second, step) = (0.0, 0.0, 0.01);
        let mut t = step / 2.0;
        while t < 2000.0 {
            let both = survival(t) * survival(t);
            mean += both * step;
            second += 2.0 * t * both * step;
            t += step;
        }
        let first = log_min_of(free, free);
        assert!((first.mean_s / mean - 1.0).abs() < 0.02, "{first:?} {mean}");
        let var = second - mean * mean;
        assert!((first.var_s2 / var - 1.0).abs() < 0.1, "{first:?} {var}");
    }
}
