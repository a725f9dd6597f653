//! When a closed category opens again: the first instant its issuing hours let a ticket be
//! taken, found in the office's time zone with its daylight-saving changes, and the words that
//! tell people ("today at 13:00", "Monday 07:30").
//!
//! Everything here is pure: the instant to look from is passed in. The kiosk, the lobby display,
//! the `409 category_closed` message and the start line of `numerek serve` all say the opening
//! this module finds, so they never disagree.

use crate::config::{OfficeConfig, WeekHours};
use crate::day::{local_datetime, next_day_start};
use jiff::civil::{Date, DateTime, Weekday};
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};
use std::collections::BTreeSet;
use std::fmt;

/// How many days ahead [`next_opening`] looks, besides one day for each closed date. A week of
/// hours repeats after seven days; a second week leaves room for a daylight-saving jump that
/// swallows the only opening of a week.
const HORIZON_DAYS: usize = 15;

/// The first instant at or after `from` at which `hours` let a ticket be taken on a day that is
/// not one of `closed_dates` (`from` itself when they do at `from`); `None` when the hours never
/// open.
///
/// Issuing hours are local wall-clock times, so the opening is usually the instant the local
/// clock reaches a day's opening minute. Daylight saving adds two cases, both at the instant of
/// a change of offset: a jump forward can skip the opening minute (hours of 02:30-05:00 on the
/// night clocks go from 02:00 to 03:00 open at 03:00), and a jump back can repeat an hour that
/// had closed (hours of 02:00-02:30 on the night clocks go from 03:00 back to 02:00 open again
/// at the second 02:00). Every candidate is checked with [`WeekHours::is_open_at`], the very
/// rule that decides whether a ticket is issued, and the earliest wins.
pub fn next_opening(
    hours: &WeekHours,
    tz: &TimeZone,
    closed_dates: &BTreeSet<Date>,
    from: Timestamp,
) -> Option<Timestamp> {
    let open = |at: Timestamp| {
        let local = local_datetime(tz, at);
        hours.is_open_at(local) && !closed_dates.contains(&local.date())
    };
    if open(from) {
        return Some(from);
    }
    // Each closed date takes at most one day's opening away.
    let horizon_days = HORIZON_DAYS + closed_dates.len();
    let horizon = i64::try_from(horizon_days)
        .ok()
        .and_then(|days| from.checked_add(SignedDuration::from_hours(24 * days)).ok())
        .unwrap_or(Timestamp::MAX);
    let first_day = local_datetime(tz, from).date();
    let days =
        std::iter::successors(Some(first_day), |day| day.tomorrow().ok()).take(horizon_days + 1);
    // Each day's opening minute, in both readings a change of offset may give it.
    let openings = days.flat_map(|day| {
        let opening = hours.day(day.weekday()).and_then(|span| {
            day.at(0, 0, 0, 0)
                .checked_add(SignedDuration::from_mins(i64::from(span.open_min)))
                .ok()
        });
        opening
            .map(|local| {
                let ambiguous = tz.to_ambiguous_timestamp(local);
                [ambiguous.earlier().ok(), ambiguous.later().ok()]
            })
            .unwrap_or_default()
            .into_iter()
            .flatten()
    });
    let transitions = tz
        .following(from)
        .map(|transition| transition.timestamp())
        .take_while(|at| *at <= horizon);
    openings
        .chain(transitions)
        .filter(|at| from <= *at && *at <= horizon && open(*at))
        .min()
}

/// Why a category takes no ticket now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClosedReason {
    /// Outside its issuing hours.
    Hours,
    /// Within them, but the cut-off stops issuing for the rest of the day: the queue would not
    /// be served before the last call.
    CutOff,
}

impl ClosedReason {
    /// The name in the API: `hours` or `cut_off`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Hours => "hours",
            Self::CutOff => "cut_off",
        }
    }
}

/// Whether a category issues now, and when it does not, why and from when it will.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Availability {
    /// `None` while it issues.
    pub closed: Option<ClosedReason>,
    /// While closed: the next instant it issues (`None` when its hours never open).
    pub opens_at: Option<Timestamp>,
}

impl Availability {
    /// The availability at `now` of a category with `hours` in an office closed on
    /// `closed_dates` (a closed date has no hours); `cut_off` says whether the cut-off refuses a
    /// ticket taken now, and is asked only within the hours.
    pub fn at(
        hours: &WeekHours,
        tz: &TimeZone,
        closed_dates: &BTreeSet<Date>,
        now: Timestamp,
        cut_off: impl FnOnce() -> bool,
    ) -> Self {
        let local = local_datetime(tz, now);
        if !hours.is_open_at(local) || closed_dates.contains(&local.date()) {
            return Self {
                closed: Some(ClosedReason::Hours),
                opens_at: next_opening(hours, tz, closed_dates, now),
            };
        }
        if cut_off() {
            // Stopped for today: it opens with the next day's hours.
            return Self {
                closed: Some(ClosedReason::CutOff),
                opens_at: next_opening(hours, tz, closed_dates, next_day_start(tz, now)),
            };
        }
        Self {
            closed: None,
            opens_at: None,
        }
    }

    /// Whether a ticket can be taken now.
    pub fn is_open(&self) -> bool {
        self.closed.is_none()
    }
}

/// An opening as people are told it, relative to the moment they are told.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Opening {
    /// The instant.
    pub at: Timestamp,
    /// Its date and time on the office's clock.
    pub local: DateTime,
    /// Office days from the day of telling to the day of the opening: 0 today, 1 tomorrow.
    pub days_ahead: i32,
}

impl Opening {
    /// The opening at `at`, told at `now`.
    pub fn new(tz: &TimeZone, at: Timestamp, now: Timestamp) -> Self {
        let local = local_datetime(tz, at);
        let today = local_datetime(tz, now).date();
        let days_ahead = today.until(local.date()).map_or(0, |span| span.get_days());
        Self {
            at,
            local,
            days_ahead,
        }
    }

    /// When a category outside its hours at `now` opens (the `409 category_closed` message).
    pub fn of_closed(
        hours: &WeekHours,
        tz: &TimeZone,
        closed_dates: &BTreeSet<Date>,
        now: Timestamp,
    ) -> Option<Self> {
        next_opening(hours, tz, closed_dates, now).map(|at| Self::new(tz, at, now))
    }

    /// When a category the cut-off stopped for today opens again: with the next day's hours.
    pub fn after_today(
        hours: &WeekHours,
        tz: &TimeZone,
        closed_dates: &BTreeSet<Date>,
        now: Timestamp,
    ) -> Option<Self> {
        next_opening(hours, tz, closed_dates, next_day_start(tz, now))
            .map(|at| Self::new(tz, at, now))
    }
}

/// English, for API messages and the command line: `today at 13:00`, `tomorrow at 07:30`,
/// `Monday 07:30`, `next Monday 07:30` (a week or more ahead). The alternate form (`{:#}`)
/// abbreviates the weekday and drops "at": `Mon 07:30`, `today 13:00`.
impl fmt::Display for Opening {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let short = f.alternate();
        let clock = format!("{:02}:{:02}", self.local.hour(), self.local.minute());
        let at = if short { "" } else { "at " };
        match self.days_ahead {
            0 => write!(f, "today {at}{clock}"),
            1 => write!(f, "tomorrow {at}{clock}"),
            days => {
                let next = if days >= 7 { "next " } else { "" };
                let weekday = weekday_name(self.local.weekday());
                let weekday = if short { &weekday[..3] } else { weekday };
                write!(f, "{next}{weekday} {clock}")
            }
        }
    }
}

fn weekday_name(weekday: Weekday) -> &'static str {
    match weekday {
        Weekday::Monday => "Monday",
        Weekday::Tuesday => "Tuesday",
        Weekday::Wednesday => "Wednesday",
        Weekday::Thursday => "Thursday",
        Weekday::Friday => "Friday",
        Weekday::Saturday => "Saturday",
        Weekday::Sunday => "Sunday",
    }
}

/// The office as a whole at one instant: open when any category issues by its hours.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OfficeHoursNow {
    /// Some category issues now.
    Open,
    /// None does; `opens` is the earliest opening of any category (`None`: no hours at all).
    Closed {
        /// The next opening.
        opens: Option<Opening>,
    },
}

/// Whether the office issues tickets at `now` by its hours and closed dates (the cut-off, which
/// depends on the queues, is left out), and when closed, when it opens.
pub fn office_hours_now(config: &OfficeConfig, now: Timestamp) -> OfficeHoursNow {
    let tz = &config.office.tz;
    let closed_dates = &config.office.closed_dates;
    let local = local_datetime(tz, now);
    if !closed_dates.contains(&local.date())
        && config.categories.iter().any(|c| c.hours.is_open_at(local))
    {
        return OfficeHoursNow::Open;
    }
    let opens = config
        .categories
        .iter()
        .filter_map(|c| next_opening(&c.hours, tz, closed_dates, now))
        .min()
        .map(|at| Opening::new(tz, at, now));
    OfficeHoursNow::Closed { opens }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::DayHours;
    use proptest::prelude::*;

    /// An office that closes on no particular date.
    fn no_closed_dates() -> BTreeSet<Date> {
        BTreeSet::new()
    }

    fn ts(text: &str) -> Timestamp {
        text.parse()
            .unwrap_or_else(|e| panic!("{text} is not a timestamp: {e}"))
    }

    fn tz(name: &str) -> TimeZone {
        TimeZone::get(name).expect("a zone of the bundled database")
    }

    /// `"07:30-15:30"` as minutes.
    fn span(text: &str) -> DayHours {
        let minute = |clock: &str| {
            let (h, m) = clock.split_once(':').expect("HH:MM");
            h.parse::<u16>().expect("hours") * 60 + m.parse::<u16>().expect("minutes")
        };
        let (open, close) = text.split_once('-').expect("HH:MM-HH:MM");
        DayHours {
            open_min: minute(open),
            close_min: minute(close),
        }
    }

    fn week(days: &[(Weekday, &str)]) -> WeekHours {
        let mut week = WeekHours::default();
        for (day, text) in days {
            week.set_day(*day, Some(span(text)));
        }
        week
    }

    /// Monday to Friday 07:30-15:30.
    fn working_week() -> WeekHours {
        use Weekday::*;
        week(&[
            (Monday, "07:30-15:30"),
            (Tuesday, "07:30-15:30"),
            (Wednesday, "07:30-15:30"),
            (Thursday, "07:30-15:30"),
            (Friday, "07:30-15:30"),
        ])
    }

    #[test]
    fn open_now_is_open_from_now() {
        let now = ts("2026-11-23T09:00:00+01:00");
        assert_eq!(
            next_opening(
                &working_week(),
                &tz("Europe/Warsaw"),
                &no_closed_dates(),
                now
            ),
            Some(now)
        );
    }

    #[test]
    fn before_opening_it_opens_today_after_closing_tomorrow_at_the_weekend_on_monday() {
        let warsaw = tz("Europe/Warsaw");
        let hours = working_week();
        for (now, opens) in [
            ("2026-11-23T06:00:00+01:00", "2026-11-23T07:30:00+01:00"),
            ("2026-11-23T07:29:59.999+01:00", "2026-11-23T07:30:00+01:00"),
            ("2026-11-23T15:30:00+01:00", "2026-11-24T07:30:00+01:00"),
            ("2026-11-27T18:00:00+01:00", "2026-11-30T07:30:00+01:00"),
            ("2026-11-28T10:00:00+01:00", "2026-11-30T07:30:00+01:00"),
            ("2026-11-29T23:59:59+01:00", "2026-11-30T07:30:00+01:00"),
        ] {
            assert_eq!(
                next_opening(&hours, &warsaw, &no_closed_dates(), ts(now)),
                Some(ts(opens)),
                "from {now}"
            );
        }
    }

    #[test]
    fn a_week_with_gaps_and_a_category_with_its_own_hours() {
        use Weekday::*;
        let warsaw = tz("Europe/Warsaw");
        // Open Monday and Thursday only; closed Tuesday, Wednesday, Friday to Sunday.
        let gaps = week(&[(Monday, "08:00-12:00"), (Thursday, "12:00-18:00")]);
        let monday_noon = ts("2026-11-23T12:00:00+01:00");
        assert_eq!(
            next_opening(&gaps, &warsaw, &no_closed_dates(), monday_noon),
            Some(ts("2026-11-26T12:00:00+01:00"))
        );
        let thursday_evening = ts("2026-11-26T18:00:00+01:00");
        assert_eq!(
            next_opening(&gaps, &warsaw, &no_closed_dates(), thursday_evening),
            Some(ts("2026-11-30T08:00:00+01:00"))
        );
        // Only on Mondays, asked just after Monday's hours: a whole week ahead.
        let mondays = week(&[(Monday, "08:00-12:00")]);
        let opens =
            next_opening(&mondays, &warsaw, &no_closed_dates(), monday_noon).expect("next Monday");
        assert_eq!(opens, ts("2026-11-30T08:00:00+01:00"));
        let opening = Opening::new(&warsaw, opens, monday_noon);
        assert_eq!(opening.days_ahead, 7);
        assert_eq!(opening.to_string(), "next Monday 08:00");
    }

    #[test]
    fn a_week_without_hours_never_opens() {
        let warsaw = tz("Europe/Warsaw");
        let now = ts("2026-11-23T09:00:00+01:00");
        assert_eq!(
            next_opening(&WeekHours::default(), &warsaw, &no_closed_dates(), now),
            None
        );
        let availability = Availability::at(
            &WeekHours::default(),
            &warsaw,
            &no_closed_dates(),
            now,
            || false,
        );
        assert_eq!(availability.closed, Some(ClosedReason::Hours));
        assert_eq!(availability.opens_at, None);
    }

    #[test]
    fn the_opening_follows_the_local_clock_across_a_daylight_saving_change() {
        let warsaw = tz("Europe/Warsaw");
        let hours = working_week();
        // Summer time begins on Sunday 29 March 2026: Monday opens at 07:30 CEST (+02:00).
        assert_eq!(
            next_opening(
                &hours,
                &warsaw,
                &no_closed_dates(),
                ts("2026-03-27T18:00:00+01:00")
            ),
            Some(ts("2026-03-30T07:30:00+02:00"))
        );
        // And ends on Sunday 25 October 2026: Monday opens at 07:30 CET (+01:00).
        assert_eq!(
            next_opening(
                &hours,
                &warsaw,
                &no_closed_dates(),
                ts("2026-10-23T18:00:00+02:00")
            ),
            Some(ts("2026-10-26T07:30:00+01:00"))
        );
    }

    #[test]
    fn hours_whose_opening_minute_the_clock_skips_open_when_the_clock_jumps() {
        let warsaw = tz("Europe/Warsaw");
        // At 02:00 on 29 March 2026 clocks go to 03:00: 02:30 never happens that night.
        let night = week(&[(Weekday::Sunday, "02:30-05:00")]);
        let opens = next_opening(
            &night,
            &warsaw,
            &no_closed_dates(),
            ts("2026-03-29T00:00:00+01:00"),
        );
        assert_eq!(opens, Some(ts("2026-03-29T03:00:00+02:00")));
        assert!(night.is_open_at(local_datetime(&warsaw, opens.expect("opens"))));
    }

    #[test]
    fn hours_the_clock_repeats_open_again_when_the_clock_goes_back() {
        let warsaw = tz("Europe/Warsaw");
        // At 03:00 CEST on 25 October 2026 clocks go back to 02:00 CET: 02:00-02:30 comes twice.
        let night = week(&[(Weekday::Sunday, "02:00-02:30")]);
        let first = ts("2026-10-25T02:00:00+02:00");
        assert_eq!(
            next_opening(
                &night,
                &warsaw,
                &no_closed_dates(),
                ts("2026-10-25T00:00:00+02:00")
            ),
            Some(first)
        );
        let between = ts("2026-10-25T02:45:00+02:00");
        assert_eq!(
            next_opening(&night, &warsaw, &no_closed_dates(), between),
            Some(ts("2026-10-25T02:00:00+01:00")),
            "the repeated hour opens again"
        );
    }

    #[test]
    fn openings_are_told_today_tomorrow_or_by_weekday() {
        let warsaw = tz("Europe/Warsaw");
        let saturday = ts("2026-11-28T10:00:00+01:00");
        let tell = |at: &str| Opening::new(&warsaw, ts(at), saturday);
        assert_eq!(
            tell("2026-11-28T13:00:00+01:00").to_string(),
            "today at 13:00"
        );
        assert_eq!(
            tell("2026-11-29T07:30:00+01:00").to_string(),
            "tomorrow at 07:30"
        );
        let monday = tell("2026-11-30T07:30:00+01:00");
        assert_eq!(monday.days_ahead, 2);
        assert_eq!(monday.to_string(), "Monday 07:30");
        assert_eq!(format!("{monday:#}"), "Mon 07:30");
        assert_eq!(
            format!("{:#}", tell("2026-11-29T07:30:00+01:00")),
            "tomorrow 07:30"
        );
        // The office's day, not UTC's: 23:30 UTC on Saturday is already Sunday in Warsaw.
        let late = ts("2026-11-28T23:30:00Z");
        assert_eq!(
            Opening::new(&warsaw, ts("2026-11-30T07:30:00+01:00"), late).days_ahead,
            1
        );
    }

    #[test]
    fn a_category_stopped_by_the_cut_off_opens_with_the_next_days_hours() {
        let warsaw = tz("Europe/Warsaw");
        let hours = working_week();
        let friday_noon = ts("2026-11-27T12:00:00+01:00");
        let open = Availability::at(&hours, &warsaw, &no_closed_dates(), friday_noon, || false);
        assert!(open.is_open());
        assert_eq!(open.opens_at, None);
        let cut = Availability::at(&hours, &warsaw, &no_closed_dates(), friday_noon, || true);
        assert_eq!(cut.closed, Some(ClosedReason::CutOff));
        assert_eq!(cut.opens_at, Some(ts("2026-11-30T07:30:00+01:00")));
        // Around the clock: the cut-off lasts until midnight.
        let always = week(&[
            (Weekday::Friday, "00:00-24:00"),
            (Weekday::Saturday, "00:00-24:00"),
        ]);
        let cut = Availability::at(&always, &warsaw, &no_closed_dates(), friday_noon, || true);
        assert_eq!(cut.opens_at, Some(ts("2026-11-28T00:00:00+01:00")));
        // Outside the hours, the cut-off is not asked about.
        let evening = ts("2026-11-27T18:00:00+01:00");
        let closed = Availability::at(&hours, &warsaw, &no_closed_dates(), evening, || {
            panic!("not asked")
        });
        assert_eq!(closed.closed, Some(ClosedReason::Hours));
    }

    /// The reference: steps through every whole minute from `from` (openings fall on whole
    /// minutes in zones whose offsets are whole minutes), asking the issuing rule itself.
    fn first_open_minute(hours: &WeekHours, tz: &TimeZone, from: Timestamp) -> Option<Timestamp> {
        let open = |at: Timestamp| hours.is_open_at(local_datetime(tz, at));
        if open(from) {
            return Some(from);
        }
        let first = from.as_second().div_euclid(60) * 60 + 60;
        (0..i64::try_from(HORIZON_DAYS).expect("a few days") * 24 * 60)
            .map(|minute| Timestamp::from_second(first + minute * 60).expect("in range"))
            .find(|at| open(*at))
    }

    /// A day's hours: closed, or a span of whole minutes, often on the hour or half hour
    /// between 01:00 and 04:00, where daylight-saving changes skip or repeat the clock.
    fn day_hours() -> impl Strategy<Value = Option<DayHours>> {
        let minute = prop_oneof![
            (2u16..=8).prop_map(|half_hours| half_hours * 30),
            (0u16..=24).prop_map(|h| h * 60),
            0u16..=1440,
        ];
        prop_oneof![
            1 => Just(None),
            2 => (minute.clone(), minute).prop_filter_map("an empty span", |(a, b)| {
                (a < b).then_some(DayHours { open_min: a, close_min: b })
            }).prop_map(Some),
        ]
    }

    /// A week: each day drawn alone, or the same hours every day (as many offices have).
    fn week_hours() -> impl Strategy<Value = WeekHours> {
        let each_day = proptest::collection::vec(day_hours(), 7);
        let every_day = day_hours().prop_map(|hours| vec![hours; 7]);
        prop_oneof![each_day, every_day].prop_map(|days| {
            let mut week = WeekHours::default();
            for (day, hours) in Weekday::Monday.cycle_forward().zip(days) {
                week.set_day(day, hours);
            }
            week
        })
    }

    /// A zone with daylight saving, and an instant within three days of one of its changes in
    /// 2026 (or at any time of that year).
    fn zoned_instant() -> impl Strategy<Value = (&'static str, Timestamp)> {
        let near = |zone: &'static str, change: &'static str| {
            (-3 * 86_400i64..3 * 86_400).prop_map(move |offset| {
                let at = Timestamp::from_second(ts(change).as_second() + offset);
                (zone, at.expect("in range"))
            })
        };
        let any_time = (
            prop_oneof![
                Just("Europe/Warsaw"),
                Just("America/New_York"),
                Just("Australia/Lord_Howe"),
            ],
            0i64..365 * 86_400,
        )
            .prop_map(|(zone, offset)| {
                let at = Timestamp::from_second(ts("2026-01-01T00:00:00Z").as_second() + offset);
                (zone, at.expect("in range"))
            });
        let near_a_change =
            (0..CHANGES.len()).prop_flat_map(move |i| near(CHANGES[i].0, CHANGES[i].1));
        prop_oneof![near_a_change, any_time]
    }

    /// The daylight-saving changes of 2026 in three zones.
    const CHANGES: [(&str, &str); 6] = [
        ("Europe/Warsaw", "2026-03-29T01:00:00Z"),
        ("Europe/Warsaw", "2026-10-25T01:00:00Z"),
        ("America/New_York", "2026-03-08T07:00:00Z"),
        ("America/New_York", "2026-11-01T06:00:00Z"),
        ("Australia/Lord_Howe", "2026-04-04T15:00:00Z"),
        ("Australia/Lord_Howe", "2026-10-03T15:30:00Z"),
    ];

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        /// Whatever the week and the instant, in zones with daylight saving (an hour in
        /// Warsaw and New York, half an hour on Lord Howe Island), the opening is the first
        /// instant the issuing rule lets a ticket be taken, and it lets none be taken before.
        #[test]
        fn the_opening_is_the_first_instant_the_issuing_rule_opens(
            hours in week_hours(),
            (zone, from) in zoned_instant(),
        ) {
            let zone = tz(zone);
            prop_assert_eq!(
                next_opening(&hours, &zone, &no_closed_dates(), from),
                first_open_minute(&hours, &zone, from)
            );
        }

        /// The same night hours every day, near the hour the clocks change at, looked at from
        /// the two days before a change: the cases where a change skips the opening minute
        /// or repeats hours that had closed.
        #[test]
        fn night_hours_open_right_across_a_daylight_saving_change(
            open_min in 60u16..240,
            length in 1u16..240,
            change in 0..CHANGES.len(),
            before_s in 0i64..2 * 86_400,
        ) {
            let (zone, change) = CHANGES[change];
            let zone = tz(zone);
            let night = DayHours { open_min, close_min: open_min + length };
            let mut hours = WeekHours::default();
            for day in Weekday::Monday.cycle_forward().take(7) {
                hours.set_day(day, Some(night));
            }
            let from = Timestamp::from_second(ts(change).as_second() - before_s)
                .expect("in range");
            prop_assert_eq!(
                next_opening(&hours, &zone, &no_closed_dates(), from),
                first_open_minute(&hours, &zone, from)
            );
        }
    }

    #[test]
    fn closed_dates_are_skipped_however_many_in_a_row() {
        let warsaw = tz("Europe/Warsaw");
        // Saturday 28 November 2026, 10:00: the working week would open on Monday the 30th.
        let saturday = ts("2026-11-28T10:00:00+01:00");
        let monday: Date = "2026-11-30".parse().expect("a date");
        let closed = BTreeSet::from([monday]);
        assert_eq!(
            next_opening(&working_week(), &warsaw, &closed, saturday),
            Some(ts("2026-12-01T07:30:00+01:00")),
            "a closed Monday opens on Tuesday"
        );
        // Four weeks closed: longer than the look-ahead an office without closed dates needs.
        let closure: BTreeSet<Date> = std::iter::successors(Some(monday), |d| d.tomorrow().ok())
            .take(28)
            .collect();
        assert_eq!(
            next_opening(&working_week(), &warsaw, &closure, saturday),
            Some(ts("2026-12-28T07:30:00+01:00"))
        );
        // On a closed date within the hours: closed for the hours, opening on the next day.
        let monday_noon = ts("2026-11-30T12:00:00+01:00");
        let availability = Availability::at(&working_week(), &warsaw, &closed, monday_noon, || {
            panic!("the cut-off is not asked on a closed date")
        });
        assert_eq!(availability.closed, Some(ClosedReason::Hours));
        assert_eq!(availability.opens_at, Some(ts("2026-12-01T07:30:00+01:00")));
        let told =
            Opening::of_closed(&working_week(), &warsaw, &closed, monday_noon).expect("an opening");
        assert_eq!(told.to_string(), "tomorrow at 07:30");
    }
}
