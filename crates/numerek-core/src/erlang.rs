//! The Erlang C model of a waiting line served by several counters: how many would wait, how
//! long, and how many counters a service level needs.
//!
//! The model (M/M/c): people arrive at random (a Poisson stream) at a mean rate, each needs a
//! service time drawn from an exponential distribution with a mean, `c` counters serve one line
//! first come first served, and nobody leaves the line. With the offered load `A` = arrival
//! rate × mean service (how many counters would be busy on average), the probability that an
//! arrival has to wait at all is Erlang's C formula `C(c, A)`, and the share of arrivals that
//! wait at most `t` is
//!
//! ```text
//! P(W ≤ t) = 1 − C(c, A) · e^(−(c − A) · t / S)
//! ```
//!
//! `C` is computed from Erlang's B formula by its recurrence, `B(0) = 1`,
//! `B(k) = A·B(k−1) / (k + A·B(k−1))`, then `C = c·B / (c − A·(1 − B))`: every step stays
//! between 0 and 1, so there is no factorial or power to overflow, whatever the load (the
//! textbook form with `A^c / c!` overflows a double beyond about 170 counters and loses
//! precision long before).
//!
//! Where the counters cannot keep up (`c ≤ A`), the line grows without end in the model:
//! everybody waits, and nobody within any target.

/// Traffic offered to a group of counters: arrivals at a mean rate, each needing a mean service
/// time.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Traffic {
    /// Mean arrivals per hour, 0 or more.
    pub arrivals_per_h: f64,
    /// Mean service time in seconds, 0 or more.
    pub service_s: f64,
}

/// More counters than any office has, and many more than any realistic load needs: the search
/// for the counters needed stops there.
const MAX_COUNTERS: u32 = 100_000;

impl Traffic {
    /// Traffic with these means; negative or non-finite values are taken as 0.
    pub fn new(arrivals_per_h: f64, service_s: f64) -> Self {
        let clean = |value: f64| {
            if value.is_finite() {
                value.max(0.0)
            } else {
                0.0
            }
        };
        Self {
            arrivals_per_h: clean(arrivals_per_h),
            service_s: clean(service_s),
        }
    }

    /// The offered load in erlangs: how many counters would be busy on average.
    pub fn load(&self) -> f64 {
        self.arrivals_per_h / 3600.0 * self.service_s
    }

    /// Whether anybody arrives at all.
    fn has_arrivals(&self) -> bool {
        self.arrivals_per_h > 0.0
    }

    /// Erlang C: the probability that an arrival has to wait for one of `counters` counters.
    ///
    /// 0 without arrivals (nobody waits); 1 where the counters cannot keep up (`counters` ≤
    /// the load, none at all included).
    pub fn wait_probability(&self, counters: u32) -> f64 {
        if !self.has_arrivals() {
            return 0.0;
        }
        let load = self.load();
        if f64::from(counters) <= load {
            return 1.0;
        }
        erlang_c_of_b(counters, load, erlang_b(counters, load))
    }

    /// The share (0 to 1) of arrivals that wait at most `target_s` seconds with `counters`
    /// counters. 1 without arrivals; 0 where the counters cannot keep up.
    pub fn within(&self, counters: u32, target_s: f64) -> f64 {
        if !self.has_arrivals() {
            return 1.0;
        }
        let load = self.load();
        if f64::from(counters) <= load {
            return 0.0;
        }
        self.within_given_b(counters, target_s, erlang_b(counters, load))
    }

    /// [`Traffic::within`] with `B(counters, load)` known (stable: `counters` > load > 0 or
    /// no load).
    fn within_given_b(&self, counters: u32, target_s: f64, b: f64) -> f64 {
        let load = self.load();
        let waits = erlang_c_of_b(counters, load, b);
        if waits == 0.0 {
            return 1.0;
        }
        // With a service time of 0 the load is 0 too, and nobody waits (above).
        let rate = (f64::from(counters) - load) / self.service_s;
        (1.0 - waits * (-rate * target_s.max(0.0)).exp()).clamp(0.0, 1.0)
    }

    /// The mean wait in seconds with `counters` counters (`C · S / (c − A)`); infinite where
    /// the counters cannot keep up, 0 without arrivals.
    pub fn mean_wait_s(&self, counters: u32) -> f64 {
        let waits = self.wait_probability(counters);
        if waits == 0.0 {
            return 0.0;
        }
        let spare = f64::from(counters) - self.load();
        if spare <= 0.0 {
            return f64::INFINITY;
        }
        waits * self.service_s / spare
    }

    /// [`Traffic::within`] for an average number of counters that need not be whole (1.6
    /// counters: one for 40 % of the time, two for 60 %): the same mix of the shares of the two
    /// whole numbers around it.
    pub fn within_staffed(&self, counters: f64, target_s: f64) -> f64 {
        if !counters.is_finite() || counters <= 0.0 {
            return self.within(0, target_s);
        }
        let below = counters.floor();
        let above = counters.ceil();
        // Whole numbers of counters far beyond any office's fit in u32; the cast saturates.
        let share_below = self.within(below as u32, target_s);
        if above == below {
            return share_below;
        }
        let share_above = self.within(above as u32, target_s);
        let weight = counters - below;
        share_below + (share_above - share_below) * weight
    }

    /// The smallest number of counters that lets at least `share` (0 to 1) of the arrivals
    /// wait at most `target_s` seconds. 0 without arrivals; otherwise at least 1, and always
    /// more than the load (fewer cannot keep up).
    pub fn counters_needed(&self, target_s: f64, share: f64) -> u32 {
        if !self.has_arrivals() {
            return 0;
        }
        let load = self.load();
        // B(c) for c = 0, 1, 2, …, one step per counter.
        let mut b = 1.0;
        for counters in 1..=MAX_COUNTERS {
            b = erlang_b_step(counters, load, b);
            if f64::from(counters) > load && self.within_given_b(counters, target_s, b) >= share {
                return counters;
            }
        }
        MAX_COUNTERS
    }
}

/// Erlang B, the probability that all of `servers` servers are busy when traffic of `load`
/// erlangs may not wait (the "lost calls" model), by the recurrence from `B(0) = 1`.
pub fn erlang_b(servers: u32, load: f64) -> f64 {
    (1..=servers).fold(1.0, |b, k| erlang_b_step(k, load, b))
}

/// One step of the recurrence: `B(k)` from `B(k − 1)`.
fn erlang_b_step(k: u32, load: f64, previous: f64) -> f64 {
    let carried = load * previous;
    carried / (f64::from(k) + carried)
}

/// Erlang C from Erlang B of the same counters and load (`counters` > `load`).
fn erlang_c_of_b(counters: u32, load: f64, b: f64) -> f64 {
    let c = f64::from(counters);
    (c * b / (c - load * (1.0 - b))).clamp(0.0, 1.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn close(actual: f64, expected: f64, tolerance: f64) {
        assert!(
            (actual - expected).abs() <= tolerance,
            "{actual} is not {expected} ± {tolerance}"
        );
    }

    /// The classic worked example of call-centre staffing, as in Call Centre Helper's "Erlang C
    /// Formula – Made Simple With an Easy Worked Example" and in the documentation of the R
    /// package ErlangC 0.1.0 (CRAN, 2024), which prints its results: 100 calls in 30 minutes
    /// (200 an hour), 180 s average handling time, target answer time 20 s, so 10 erlangs.
    /// Published: with 11 agents the probability of waiting is 0.6821182 and the service level
    /// 0.3896138; with 14 agents 0.1741319 and 0.88835, an average speed of answer of 7.836 s;
    /// 80 % within 20 s needs 14 agents.
    #[test]
    fn the_published_call_centre_example() {
        let traffic = Traffic::new(200.0, 180.0);
        close(traffic.load(), 10.0, 1e-12);
        close(traffic.wait_probability(11), 0.682_118_2, 1e-7);
        close(traffic.within(11, 20.0), 0.389_613_8, 1e-7);
        close(traffic.wait_probability(14), 0.174_131_9, 1e-7);
        close(traffic.within(14, 20.0), 0.888_35, 1e-5);
        close(traffic.mean_wait_s(14), 7.836, 1e-3);
        assert_eq!(traffic.counters_needed(20.0, 0.80), 14);
        // And 13 agents are short of it (the service level is 79.6 %).
        assert!(traffic.within(13, 20.0) < 0.80);
    }

    /// Erlang B against a published table value: "a trunk group engineered with 15 lines, one
    /// call in one hundred blocked, can be offered 8.108 erlangs" (the Westbay Erlang
    /// calculator's manual, erlang.com), and the classic 1 % blocking table: 10 lines carry
    /// 4.461 erlangs, 100 lines 84.06.
    #[test]
    fn erlang_b_matches_the_published_tables() {
        close(erlang_b(15, 8.108), 0.01, 1e-5);
        close(erlang_b(10, 4.461), 0.01, 1e-5);
        close(erlang_b(100, 84.06), 0.01, 1e-5);
        close(erlang_b(0, 3.0), 1.0, 0.0);
    }

    /// The textbook formula with powers and factorials, summed in logarithms so that it holds
    /// for hundreds of counters too: an independent check of the recurrence.
    fn erlang_c_by_the_sum(counters: u32, load: f64) -> f64 {
        let c = f64::from(counters);
        let ln_term = |k: u32| {
            let ln_factorial: f64 = (1..=k).map(|i| f64::from(i).ln()).sum();
            f64::from(k) * load.ln() - ln_factorial
        };
        let ln_top = ln_term(counters) + (c / (c - load)).ln();
        let ln_terms: Vec<f64> = (0..counters).map(ln_term).chain([ln_top]).collect();
        let max = ln_terms.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let ln_sum = max + ln_terms.iter().map(|t| (t - max).exp()).sum::<f64>().ln();
        (ln_top - ln_sum).exp()
    }

    #[test]
    fn the_recurrence_agrees_with_the_textbook_formula_from_light_to_heavy_loads() {
        // A quiet hour, a busy office (600 an hour at 4 minutes: 40 erlangs), and loads far
        // beyond any office, where the textbook form would overflow.
        for (counters, load) in [
            (1, 0.3),
            (3, 2.5),
            (45, 40.0),
            (55, 48.0),
            (180, 170.0),
            (420, 400.0),
            (2100, 2000.0),
        ] {
            let traffic = Traffic::new(load * 3600.0 / 240.0, 240.0);
            let expected = erlang_c_by_the_sum(counters, load);
            close(traffic.wait_probability(counters), expected, 1e-9);
            let share = traffic.within(counters, 60.0);
            assert!((0.0..=1.0).contains(&share), "{counters} {load}: {share}");
        }
    }

    #[test]
    fn the_edges_are_sensible() {
        let nobody = Traffic::new(0.0, 300.0);
        assert_eq!(nobody.wait_probability(0), 0.0);
        assert_eq!(nobody.within(0, 60.0), 1.0);
        assert_eq!(nobody.counters_needed(60.0, 0.8), 0);
        assert_eq!(nobody.mean_wait_s(1), 0.0);

        let instant = Traffic::new(30.0, 0.0);
        assert_eq!(instant.load(), 0.0);
        assert_eq!(instant.within(1, 0.0), 1.0, "nobody waits for no work");
        assert_eq!(instant.within(0, 60.0), 0.0, "but somebody must be there");
        assert_eq!(instant.counters_needed(60.0, 0.99), 1);

        // 12 an hour at 10 minutes: 2 erlangs. Two counters cannot keep up, three can.
        let busy = Traffic::new(12.0, 600.0);
        assert_eq!(busy.wait_probability(2), 1.0);
        assert_eq!(busy.within(2, 900.0), 0.0);
        assert_eq!(busy.within(0, 900.0), 0.0);
        assert_eq!(busy.mean_wait_s(2), f64::INFINITY);
        assert!(busy.within(3, 900.0) > 0.5);
        assert!(
            busy.counters_needed(0.0, 0.01) >= 3,
            "always more than the load"
        );

        assert_eq!(Traffic::new(-5.0, f64::NAN), Traffic::new(0.0, 0.0));
    }

    #[test]
    fn the_counters_needed_are_the_fewest_that_reach_the_share() {
        for arrivals_per_h in [1.0, 7.5, 20.0, 60.0, 240.0, 900.0] {
            for service_s in [60.0, 300.0, 900.0] {
                for target_s in [0.0, 300.0, 900.0] {
                    for share in [0.5, 0.8, 0.95] {
                        let traffic = Traffic::new(arrivals_per_h, service_s);
                        let needed = traffic.counters_needed(target_s, share);
                        assert!(traffic.within(needed, target_s) >= share);
                        assert!(
                            needed == 1 || traffic.within(needed - 1, target_s) < share,
                            "{traffic:?} {target_s} {share}: {needed} is not the fewest"
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn more_counters_never_lower_the_share() {
        let traffic = Traffic::new(200.0, 180.0);
        let shares: Vec<f64> = (0..30).map(|c| traffic.within(c, 20.0)).collect();
        assert!(shares.windows(2).all(|w| w[0] <= w[1]), "{shares:?}");
        assert!(shares[29] > 0.999_999);
    }

    #[test]
    fn a_fractional_staffing_mixes_the_shares_of_the_whole_numbers_around_it() {
        let traffic = Traffic::new(200.0, 180.0);
        let (at_13, at_14) = (traffic.within(13, 20.0), traffic.within(14, 20.0));
        close(traffic.within_staffed(13.0, 20.0), at_13, 0.0);
        close(
            traffic.within_staffed(13.25, 20.0),
            0.75 * at_13 + 0.25 * at_14,
            1e-12,
        );
        assert_eq!(traffic.within_staffed(0.0, 20.0), 0.0);
        assert_eq!(traffic.within_staffed(f64::NAN, 20.0), 0.0);
        // Half a counter for 2 erlangs: never enough, 0 % within.
        assert_eq!(Traffic::new(12.0, 600.0).within_staffed(0.5, 900.0), 0.0);
    }
}
