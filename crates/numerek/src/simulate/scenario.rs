//! The simulated day, drawn from a seed before it starts: who arrives when and for what, and what
//! every ticket will need at the counter.
//!
//! Drawing it all up front makes a run reproducible. Arrivals are a list; what a ticket needs is
//! drawn from the seed, its category and its number, so the ticket `A017` of a seed needs the same
//! service whichever counter happens to call it (which depends on real-time scheduling).

use numerek_core::OfficeConfig;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// How a day is drawn.
#[derive(Debug, Clone, PartialEq)]
pub struct Settings {
    /// The seed of every random draw.
    pub seed: u64,
    /// The weekday of the simulated date (issuing hours depend on it).
    pub weekday: jiff::civil::Weekday,
    /// When arrivals start and stop, in minutes since local midnight.
    pub from_min: u32,
    /// See `from_min`.
    pub to_min: u32,
    /// Arrivals per hour, per category (in configuration order).
    pub rates_per_h: Vec<f64>,
    /// The share of tickets taken as priority, where a category offers it.
    pub priority_share: f64,
    /// The share of tickets whose holder does not come when called.
    pub no_show_share: f64,
    /// The mean service time per category, in seconds (configuration order).
    pub service_means_s: Vec<f64>,
    /// The coefficient of variation of service times (standard deviation ÷ mean).
    pub service_cv: f64,
    /// The share of the visits to a category that takes bookings that come booked.
    pub booked_share: f64,
    /// Per category (configuration order), its slots of the day: their starts in seconds after
    /// `from`, and how many visits each takes. Empty for a category without bookings.
    pub slots: Vec<Slots>,
    /// How long before its slot's start a booked visitor may check in, seconds.
    pub checkin_early_s: f64,
}

/// A category's slots on the simulated day.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Slots {
    /// Each slot's start, in seconds after `from`, in order.
    pub starts_s: Vec<f64>,
    /// Visits per slot.
    pub per_slot: u32,
}

/// One citizen arriving at the kiosk.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Arrival {
    /// Seconds after `from`.
    pub at_s: f64,
    /// The category, as an index into the configuration's categories.
    pub category: usize,
    /// Whether they take a priority ticket.
    pub priority: bool,
    /// For a booked visit, its slot's start in seconds after `from`: they check in with their
    /// code instead of taking a ticket.
    pub slot_s: Option<f64>,
}

/// What one ticket needs at the counter.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TicketDraw {
    /// How long its service takes, in seconds.
    pub service_s: f64,
    /// Whether its holder fails to come when called.
    pub no_show: bool,
    /// How its holder rates the visit once served, if they do ([`RATING_SHARE`] of them, most
    /// content): the demo's citizens rate, the simulation's do not.
    pub rating: Option<u8>,
}

/// The share of served holders who rate their visit (on the phone or at the counter's tablet).
pub const RATING_SHARE: f64 = 0.4;

/// How the ratings given spread over the scores 1 to 5: most visitors are content.
const RATING_WEIGHTS: [f64; 5] = [0.03, 0.05, 0.12, 0.35, 0.45];

/// The drawn day.
#[derive(Debug, Clone)]
pub struct Scenario {
    /// Every arrival, in time order.
    pub arrivals: Vec<Arrival>,
    /// The categories' ids, in configuration order (what [`Arrival::category`] indexes).
    categories: Vec<String>,
    settings: Settings,
}

impl Scenario {
    /// Draws the arrivals: a Poisson stream per category at its rate, kept only while the
    /// category issues tickets (its hours on the simulated weekday). In a category that takes
    /// bookings, `booked_share` of them booked instead the first slot with a free place that
    /// starts at or after the moment they would have come, and come a few minutes before it
    /// (within the check-in window); with no such slot left, they come as walk-ins.
    pub fn draw(settings: Settings, config: &OfficeConfig) -> Self {
        let mut arrivals = Vec::new();
        for (index, category) in config.categories.iter().enumerate() {
            let slots = settings.slots.get(index).filter(|s| !s.starts_s.is_empty());
            let mut taken = vec![0u32; slots.map_or(0, |s| s.starts_s.len())];
            let rate_per_s = settings.rates_per_h.get(index).copied().unwrap_or(0.0) / 3600.0;
            if !(rate_per_s > 0.0 && rate_per_s.is_finite()) {
                continue;
            }
            let Some(hours) = category.hours.day(settings.weekday) else {
                continue;
            };
            let mut rng = ChaCha8Rng::seed_from_u64(mix(settings.seed, 1, index as u64));
            let span_s = f64::from(settings.to_min.saturating_sub(settings.from_min)) * 60.0;
            let mut at_s = 0.0;
            loop {
                at_s += -unit_open(&mut rng).ln() / rate_per_s;
                if at_s >= span_s {
                    break;
                }
                let minute = f64::from(settings.from_min) + at_s / 60.0;
                let open =
                    f64::from(hours.open_min) <= minute && minute < f64::from(hours.close_min);
                let priority = category.priority && rng.random::<f64>() < settings.priority_share;
                // Drawn only where bookings are simulated, so that other days stay as they were.
                let booked = slots.is_some()
                    && settings.booked_share > 0.0
                    && rng.random::<f64>() < settings.booked_share;
                let lead_s = if booked {
                    60.0 + rng.random::<f64>()
                        * (settings.checkin_early_s.min(900.0) - 60.0).max(0.0)
                } else {
                    0.0
                };
                let slot = slots.filter(|_| booked).and_then(|slots| {
                    let free = slots
                        .starts_s
                        .iter()
                        .enumerate()
                        .position(|(i, start)| *start >= at_s && taken[i] < slots.per_slot)?;
                    taken[free] += 1;
                    Some(slots.starts_s[free])
                });
                match slot {
                    Some(slot_s) => arrivals.push(Arrival {
                        at_s: (slot_s - lead_s).max(0.0),
                        category: index,
                        priority: false,
                        slot_s: Some(slot_s),
                    }),
                    None if open => arrivals.push(Arrival {
                        at_s,
                        category: index,
                        priority,
                        slot_s: None,
                    }),
                    None => {}
                }
            }
        }
        arrivals.sort_by(|a, b| a.at_s.total_cmp(&b.at_s).then(a.category.cmp(&b.category)));
        Self {
            arrivals,
            categories: config.categories.iter().map(|c| c.id.clone()).collect(),
            settings,
        }
    }

    /// The id of the category at `index`.
    pub fn category_id(&self, index: usize) -> Option<&str> {
        self.categories.get(index).map(String::as_str)
    }

    /// The index of the category `id`.
    pub fn category_index(&self, id: &str) -> Option<usize> {
        self.categories.iter().position(|c| c == id)
    }

    /// What ticket `number` (1, 2, …) of the category at `category` needs.
    pub fn ticket(&self, category: usize, number: u32) -> TicketDraw {
        let mut rng = ChaCha8Rng::seed_from_u64(mix(
            self.settings.seed,
            2 + category as u64,
            u64::from(number),
        ));
        let mean = self
            .settings
            .service_means_s
            .get(category)
            .copied()
            .unwrap_or(300.0);
        TicketDraw {
            service_s: lognormal(&mut rng, mean, self.settings.service_cv),
            no_show: rng.random::<f64>() < self.settings.no_show_share,
            // Drawn after the others, so that the service times and no-shows of a seed stay
            // what they were before ratings were drawn.
            rating: rating(&mut rng),
        }
    }
}

/// A holder's rating, if they give one: [`RATING_SHARE`] do, by [`RATING_WEIGHTS`].
fn rating(rng: &mut ChaCha8Rng) -> Option<u8> {
    if rng.random::<f64>() >= RATING_SHARE {
        return None;
    }
    let mut draw = rng.random::<f64>();
    for (score, weight) in (1u8..).zip(RATING_WEIGHTS) {
        if draw < weight {
            return Some(score);
        }
        draw -= weight;
    }
    Some(5)
}

/// A uniform draw in (0, 1]: safe to take the logarithm of.
fn unit_open(rng: &mut ChaCha8Rng) -> f64 {
    1.0 - rng.random::<f64>()
}

/// A log-normal draw with the given mean and coefficient of variation (Box–Muller): service
/// times are positive and skewed, a few calls taking far longer than most.
fn lognormal(rng: &mut ChaCha8Rng, mean: f64, cv: f64) -> f64 {
    let sigma2 = (1.0 + cv * cv).ln();
    let mu = mean.max(f64::MIN_POSITIVE).ln() - sigma2 / 2.0;
    let normal =
        (-2.0 * unit_open(rng).ln()).sqrt() * (std::f64::consts::TAU * rng.random::<f64>()).cos();
    (mu + sigma2.sqrt() * normal).exp()
}

/// One seed per purpose, from the run's seed (SplitMix64's finaliser over the three parts).
fn mix(seed: u64, stream: u64, index: u64) -> u64 {
    let mut z = seed
        .wrapping_add(stream.wrapping_mul(0x9E37_79B9_7F4A_7C15))
        .wrapping_add(index.wrapping_mul(0xBF58_476D_1CE4_E5B9));
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::Weekday;

    fn example() -> OfficeConfig {
        OfficeConfig::from_toml(crate::office::EXAMPLE_OFFICE).expect("valid")
    }

    fn settings(config: &OfficeConfig) -> Settings {
        let n = config.categories.len();
        Settings {
            seed: 7,
            weekday: Weekday::Tuesday,
            from_min: 8 * 60,
            to_min: 15 * 60,
            rates_per_h: vec![10.0; n],
            priority_share: 0.1,
            no_show_share: 0.05,
            service_means_s: vec![300.0; n],
            service_cv: 0.5,
            booked_share: 0.0,
            slots: Vec::new(),
            checkin_early_s: 1800.0,
        }
    }

    #[test]
    fn a_seed_draws_the_same_day_again() {
        let config = example();
        let a = Scenario::draw(settings(&config), &config);
        let b = Scenario::draw(settings(&config), &config);
        assert_eq!(a.arrivals, b.arrivals);
        assert_eq!(a.ticket(2, 17), b.ticket(2, 17));
        let other = Scenario::draw(
            Settings {
                seed: 8,
                ..settings(&config)
            },
            &config,
        );
        assert_ne!(a.arrivals, other.arrivals);
    }

    #[test]
    fn arrivals_come_at_about_the_rate_and_only_while_issuing() {
        let config = example();
        let day = Scenario::draw(settings(&config), &config);
        // 7 categories × 10 an hour × 7 hours, less the cash desk's half hour after 14:30.
        let n = day.arrivals.len() as f64;
        assert!((400.0..590.0).contains(&n), "{n} arrivals");
        assert!(day.arrivals.windows(2).all(|w| w[0].at_s <= w[1].at_s));
        let cash = config
            .categories
            .iter()
            .position(|c| c.id == "cash-desk")
            .expect("a cash desk");
        // Tuesday: the cash desk issues 08:00-14:30, so nothing after 6.5 hours.
        assert!(
            day.arrivals
                .iter()
                .filter(|a| a.category == cash)
                .all(|a| a.at_s < 6.5 * 3600.0 && !a.priority),
            "the cash desk offers no priority and closes at 14:30"
        );
        let priority = day.arrivals.iter().filter(|a| a.priority).count() as f64;
        assert!((0.04..0.16).contains(&(priority / n)), "{priority} of {n}");
    }

    #[test]
    fn booked_visits_take_free_slots_and_come_before_them() {
        let config = example();
        let n = config.categories.len();
        // Category 0 takes bookings: a slot every 15 minutes from the start, 2 a slot.
        let mut slots = vec![Slots::default(); n];
        slots[0] = Slots {
            starts_s: (0..28).map(|i| f64::from(i) * 900.0).collect(),
            per_slot: 2,
        };
        let day = Scenario::draw(
            Settings {
                booked_share: 0.5,
                slots,
                rates_per_h: vec![20.0; n],
                ..settings(&config)
            },
            &config,
        );
        let booked: Vec<&Arrival> = day.arrivals.iter().filter(|a| a.slot_s.is_some()).collect();
        assert!(!booked.is_empty());
        assert!(booked.iter().all(|a| a.category == 0 && !a.priority));
        for arrival in &booked {
            let slot = arrival.slot_s.unwrap_or_default();
            assert!(
                arrival.at_s <= slot && arrival.at_s >= slot - 900.0,
                "{arrival:?}"
            );
        }
        let mut per_slot = std::collections::HashMap::new();
        for arrival in &booked {
            *per_slot
                .entry(arrival.slot_s.unwrap_or_default() as i64)
                .or_insert(0) += 1;
        }
        assert!(per_slot.values().all(|&n| n <= 2), "{per_slot:?}");
        // Without a share, the day is the one drawn before bookings existed.
        let plain = Scenario::draw(settings(&config), &config);
        assert!(plain.arrivals.iter().all(|a| a.slot_s.is_none()));
        assert!(day.arrivals.windows(2).all(|w| w[0].at_s <= w[1].at_s));
    }

    #[test]
    fn service_times_have_the_mean_asked_for() {
        let config = example();
        let day = Scenario::draw(settings(&config), &config);
        let draws: Vec<TicketDraw> = (1..=4000).map(|n| day.ticket(0, n)).collect();
        let mean = draws.iter().map(|d| d.service_s).sum::<f64>() / draws.len() as f64;
        assert!((285.0..315.0).contains(&mean), "mean {mean}");
        assert!(draws.iter().all(|d| d.service_s > 0.0));
        let no_shows = draws.iter().filter(|d| d.no_show).count();
        assert!((120..280).contains(&no_shows), "{no_shows} no-shows");
    }

    #[test]
    fn about_two_in_five_rate_their_visit_and_most_are_content() {
        let config = example();
        let day = Scenario::draw(settings(&config), &config);
        let scores: Vec<u8> = (1..=4000).filter_map(|n| day.ticket(0, n).rating).collect();
        let share = scores.len() as f64 / 4000.0;
        assert!((0.36..0.44).contains(&share), "{share} rate");
        assert!(scores.iter().all(|s| (1..=5).contains(s)));
        // 0.03 × 1 + 0.05 × 2 + 0.12 × 3 + 0.35 × 4 + 0.45 × 5 = 4.14
        let mean = scores.iter().map(|&s| f64::from(s)).sum::<f64>() / scores.len() as f64;
        assert!((4.0..4.3).contains(&mean), "mean {mean}");
        for score in 1..=5 {
            assert!(scores.contains(&score), "somebody gives {score}");
        }
    }
}
