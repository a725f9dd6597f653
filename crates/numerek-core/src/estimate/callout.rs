//! The virtual call-out: the office's next hours played forward on paper.
//!
//! Every open counter becomes free when its current call is expected to end (now, if it holds
//! nobody). The counter that becomes free first calls the ticket the routing rule gives it (its
//! order, `fifo` or `listed`; priority first; then the longest wait) and is busy for the
//! expected counter time of that ticket's category; then the next counter becomes free, and so
//! on, until every waiting ticket has a call time. Tickets not yet issued join as foreseen
//! arrivals (at the expected times of their category's recent issue rate), so that priority
//! tickets and the categories listed first at a `listed` counter overtake as they will.
//!
//! Appointment tickets go first: a counter free at a moment calls the due appointment tickets
//! of its lines (their slot has started), earliest slot first, whatever its order; a checked-in
//! ticket not yet due only when it has nobody else to call. The day's bookings not yet checked
//! in arrive at their slot starts, due at once, and overtake every walk-in.
//!
//! A "probe" asks when a ticket that is not there would be called, e.g. a new non-priority
//! ticket at the back of a category (what the kiosk shows). It is answered without adding the
//! ticket: the probe is called at the first moment a counter serving its category becomes free
//! and would prefer it to everything that counter could call then. Before that moment a probe
//! changes no choice, so one replay answers every probe and every waiting ticket at once.
//!
//! Counter times are uncertain, so every free time and call time is a mean with a variance
//! ([`Moments`]). A counter's free time adds up the variances of its call in progress and of
//! every call it takes in the replay (and, for a foreseen arrival, of whether it comes at all;
//! for the calls of one line, of their shared mean: `n` calls vary by `n²` times its
//! variance). When several counters would call the same ticket, whichever becomes free first
//! calls it, and the first of several uncertain free times comes earlier than any of them is
//! expected: the ticket's call time is the minimum of their free times, each taken as
//! log-normal (Clark's moments of the minimum of two normal variables, applied to the
//! logarithms, one counter at a time), and the others, having come later than the first, are
//! free later by their share of what it came early. With certain counter times this is the
//! plain replay.
//!
//! All times are seconds from now. The replay is deterministic (ties go to the counter listed
//! first) and costs a few steps per waiting ticket, so it runs on every read. A line longer than
//! [`LISTED_PER_LINE`] is replayed up to that many tickets; from the moment a counter would call
//! beyond them, every line goes on at the pace it had in the replay (an hour ahead, a few
//! minutes of precision are not worth a replay of thousands of steps on every read).

use super::distribution::Moments;
use super::earliest::{close_behind, first_free};
use super::inputs::{Line, Place, Probe, Server};
use super::plan::{LinePlan, Plan};
use super::replay::{Cursor, Replay, Source, Stream};
use std::cell::RefCell;

/// How many waiting tickets of one line the replay calls one by one; the rest follow at the
/// line's pace.
pub const LISTED_PER_LINE: usize = 100;

/// A bound on the replay's steps, far above what any office needs, against pathological input.
const MAX_STEPS: usize = 200_000;

/// Plays the office forward from `now_ms`: when every waiting ticket and every probe is
/// expected to be called, in seconds from now.
///
/// A line no server serves (no counter of its category is open) gets a server of its own, free
/// now: before opening, or with every counter of a category paused, an estimate of "never"
/// helps nobody, and one counter will open.
pub fn call_out(now_ms: i64, lines: &[Line], servers: &[Server], probes: &[Probe]) -> Plan {
    let mut servers = servers.to_vec();
    for l in 0..lines.len() {
        if !servers.iter().any(|s| s.lines.contains(&l)) {
            servers.push(Server {
                lines: vec![l],
                listed: false,
                free_in: Moments::default(),
            });
        }
    }
    let mut replay = Replay {
        now_ms,
        lines,
        cursors: lines
            .iter()
            .map(|line| Cursor {
                next_waiting: 0,
                priority: Stream::new(line.arrivals.priority_per_s, line.arrivals.until_s),
                normal: Stream::new(line.arrivals.normal_per_s, line.arrivals.until_s),
                next_slot: 0,
                next_booking: 0,
            })
            .collect(),
        heads: RefCell::new(vec![None; lines.len()]),
    };
    let mut free: Vec<Option<f64>> = servers
        .iter()
        .map(|s| Some(s.free_in.mean_s.max(0.0)))
        .collect();
    let mut spread: Vec<f64> = servers
        .iter()
        .map(|s| finite_or_zero(s.free_in.var_s2))
        .collect();
    let mut chain: Vec<Vec<f64>> = vec![vec![0.0; lines.len()]; servers.len()];
    let mut calls: Vec<Vec<Moments>> = lines
        .iter()
        .map(|l| Vec::with_capacity(l.waiting.len()))
        .collect();
    let mut slot_calls: Vec<Vec<Moments>> = lines
        .iter()
        .map(|l| Vec::with_capacity(l.slots.len()))
        .collect();
    let mut uncalled: usize = lines.iter().map(|l| l.waiting.len() + l.slots.len()).sum();
    let phantoms: Vec<Place> = probes
        .iter()
        .map(|probe| Place {
            rank: u8::from(!probe.priority),
            at_ms: now_ms,
            order: i64::MAX - 1,
        })
        .collect();
    let mut probe_calls: Vec<Option<Moments>> = vec![None; probes.len()];
    let mut unanswered = probes.iter().filter(|p| p.line < lines.len()).count();
    let mut last = 0.0_f64;
    let mut rivals: Vec<usize> = Vec::with_capacity(servers.len());
    for _ in 0..MAX_STEPS {
        if uncalled == 0 && unanswered == 0 {
            break;
        }
        let Some((k, t)) = free
            .iter()
            .enumerate()
            .filter_map(|(k, at)| at.map(|at| (k, at)))
            .min_by(|a, b| a.1.total_cmp(&b.1).then(a.0.cmp(&b.0)))
        else {
            break;
        };
        last = t;
        replay.next_step();
        let server = &servers[k];
        for (i, probe) in probes.iter().enumerate() {
            if probe_calls[i].is_none() && replay.prefers_probe(server, probe.line, phantoms[i], t)
            {
                rivals.clear();
                rivals.extend((0..servers.len()).filter(|&j| {
                    j != k
                        && close_behind(k, j, &free, &spread)
                        && replay.prefers_probe(&servers[j], probe.line, phantoms[i], t)
                }));
                let first = first_free(k, &rivals, &free, &spread);
                probe_calls[i] = Some(after(calls[probe.line].last(), first));
                unanswered -= 1;
            }
        }
        match replay.pick(server, t) {
            // Beyond the listed tickets: the rest goes at the pace of the replay so far.
            Some((_, Source::Unlisted)) => break,
            Some((l, source)) => {
                // Whoever of the counters that would call this same ticket becomes free first
                // calls it: when that is, is the first of their free times.
                rivals.clear();
                rivals.extend((0..servers.len()).filter(|&j| {
                    j != k
                        && close_behind(k, j, &free, &spread)
                        && servers[j].lines.contains(&l)
                        && replay.pick(&servers[j], t) == Some((l, source))
                }));
                let first = first_free(k, &rivals, &free, &spread);
                // Never before the call of the ticket ahead of it in its own order.
                let ahead = match source {
                    Source::Slot | Source::Booking => slot_calls[l].last(),
                    _ => calls[l].last(),
                };
                let call = after(ahead, first);
                // The others did not come first: each is free later than thought, by its share
                // of what the first came early (the expected times of the first and of the
                // others add up to the times they had).
                if !rivals.is_empty() {
                    let early = (t - first.mean_s).max(0.0) / rivals.len() as f64;
                    for &j in &rivals {
                        if let Some(at) = free[j].as_mut() {
                            *at += early;
                        }
                    }
                }
                let cursor = &mut replay.cursors[l];
                let service = lines[l].service;
                // The n-th call of a line in a counter's run adds its own spread, and, for the
                // mean they share, n² − (n − 1)² times the variance of that mean.
                chain[k][l] += 1.0;
                let mut added = finite_or_zero(service.var_s2)
                    + (2.0 * chain[k][l] - 1.0) * finite_or_zero(lines[l].mean_var_s2);
                match source {
                    Source::Waiting => {
                        calls[l].push(call);
                        cursor.next_waiting += 1;
                        uncalled -= 1;
                    }
                    // How many come is uncertain too: as many as a Poisson stream brings,
                    // whose count varies as much as it is large, each adding a whole call.
                    Source::ForeseenPriority | Source::ForeseenNormal => {
                        if source == Source::ForeseenPriority {
                            cursor.priority.next += 1;
                        } else {
                            cursor.normal.next += 1;
                        }
                        added += service.mean_s * service.mean_s;
                    }
                    Source::Slot => {
                        slot_calls[l].push(call);
                        cursor.next_slot += 1;
                        uncalled -= 1;
                    }
                    Source::Booking => cursor.next_booking += 1,
                    Source::Unlisted => {}
                }
                free[k] = Some(call.mean_s + service.mean_s.max(0.0));
                spread[k] = call.var_s2 + added;
            }
            // Nobody there: wait for the next foreseen arrival, or stop for good.
            None => {
                free[k] = replay.next_arrival(server);
                spread[k] = 0.0;
                chain[k].fill(0.0);
            }
        }
    }
    let plans: Vec<LinePlan> = lines
        .iter()
        .zip(calls)
        .zip(slot_calls)
        .enumerate()
        .map(|(l, ((line, calls), mut slot_calls))| {
            let pool: Vec<usize> = (0..servers.len())
                .filter(|&k| servers[k].lines.contains(&l) && free[k].is_some())
                .collect();
            let end = match pool.split_first() {
                Some((&k, rest)) => {
                    let spread_end = first_free(k, rest, &free, &spread).var_s2;
                    Moments {
                        mean_s: last,
                        var_s2: spread_end.max(calls.last().map_or(0.0, |c| c.var_s2)),
                    }
                }
                None => Moments {
                    mean_s: last,
                    var_s2: calls.last().map_or(0.0, |c| c.var_s2),
                },
            };
            // Not called when the replay ended at a long line: called at its slot's start (it
            // is due then and goes first), or at the end of the replay if that is later.
            for place in &line.slots[slot_calls.len()..] {
                slot_calls.push(Moments {
                    mean_s: replay.start_s(place.start_ms).max(last),
                    var_s2: end.var_s2,
                });
            }
            // The pace of this line in the replay, or one call after another if it had none.
            let pace = if !calls.is_empty() && last > 0.0 {
                let first = calls[0].var_s2;
                Moments {
                    mean_s: last / calls.len() as f64,
                    var_s2: ((end.var_s2 - first) / calls.len() as f64).max(0.0),
                }
            } else {
                Moments {
                    mean_s: line.service.mean_s.max(0.0),
                    var_s2: finite_or_zero(line.service.var_s2),
                }
            };
            LinePlan {
                calls,
                slot_calls,
                end,
                pace,
            }
        })
        .collect();
    let probes = probes
        .iter()
        .zip(probe_calls)
        .map(|(probe, at)| {
            at.unwrap_or_else(|| {
                let (Some(line), Some(plan)) = (lines.get(probe.line), plans.get(probe.line))
                else {
                    return Moments::exactly(last);
                };
                // At the back of everyone (priority: of the priority tickets) not yet called.
                let position = if probe.priority {
                    plan.calls.len()
                        + line.waiting[plan.calls.len()..]
                            .iter()
                            .filter(|p| p.rank == 0)
                            .count()
                } else {
                    line.waiting.len() + line.more
                };
                plan.call(position)
            })
        })
        .collect();
    Plan {
        lines: plans,
        probes,
    }
}

/// A variance, or 0 if it is not a number of at least 0.
fn finite_or_zero(var_s2: f64) -> f64 {
    if var_s2.is_finite() {
        var_s2.max(0.0)
    } else {
        0.0
    }
}

/// A call that comes after `previous` of its line: never earlier, never less uncertain.
fn after(previous: Option<&Moments>, call: Moments) -> Moments {
    match previous {
        Some(p) => Moments {
            mean_s: call.mean_s.max(p.mean_s),
            var_s2: call.var_s2.max(p.var_s2),
        },
        None => call,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::estimate::arrivals::Arrivals;
    use crate::estimate::inputs::SlotPlace;
    use proptest::prelude::*;

    const NOW: i64 = 1_800_000_000_000;

    /// `n` tickets waiting since the last minutes, `priority` of them first.
    fn waiting(n: usize, priority: usize) -> Vec<Place> {
        (0..n)
            .map(|i| Place {
                rank: u8::from(i >= priority),
                at_ms: NOW - 60_000 * (n - i) as i64,
                order: i as i64,
            })
            .collect()
    }

    fn line(n: usize, service_s: f64) -> Line {
        Line {
            waiting: waiting(n, 0),
            service: Moments::exactly(service_s),
            mean_var_s2: 0.0,
            ..Line::default()
        }
    }

    fn calls_of(plan: &Plan) -> Vec<Vec<f64>> {
        (0..plan.lines.len())
            .map(|l| means(plan.calls(l)))
            .collect()
    }

    fn slot_means(plan: &Plan, line: usize) -> Vec<f64> {
        means(plan.slot_calls(line))
    }

    fn means(calls: &[Moments]) -> Vec<f64> {
        calls.iter().map(|c| c.mean_s).collect()
    }

    fn variances(calls: &[Moments]) -> Vec<f64> {
        calls.iter().map(|c| c.var_s2).collect()
    }

    fn server(lines: &[usize], listed: bool, free_in_s: f64) -> Server {
        Server {
            lines: lines.to_vec(),
            listed,
            free_in: Moments::exactly(free_in_s),
        }
    }

    fn back(line: usize) -> Probe {
        Probe {
            line,
            priority: false,
        }
    }

    #[test]
    fn one_counter_one_category_is_the_people_ahead_times_the_service() {
        let plan = call_out(
            NOW,
            &[line(4, 300.0)],
            &[server(&[0], false, 0.0)],
            &[back(0)],
        );
        assert_eq!(calls_of(&plan), [vec![0.0, 300.0, 600.0, 900.0]]);
        assert_eq!(means(&plan.probes), [1200.0]);
    }

    #[test]
    fn the_front_ticket_waits_for_the_counter_to_free_up() {
        let plan = call_out(
            NOW,
            &[line(2, 300.0)],
            &[server(&[0], false, 120.0)],
            &[back(0)],
        );
        assert_eq!(calls_of(&plan), [vec![120.0, 420.0]]);
        assert_eq!(means(&plan.probes), [720.0]);
    }

    #[test]
    fn counters_of_one_category_call_whoever_is_next_as_they_free_up() {
        // Counter 0 is free in 100 s, counter 1 in 250 s; services of 300 s.
        let servers = [server(&[0], false, 100.0), server(&[0], false, 250.0)];
        let plan = call_out(NOW, &[line(4, 300.0)], &servers, &[back(0)]);
        assert_eq!(calls_of(&plan), [vec![100.0, 250.0, 400.0, 550.0]]);
        assert_eq!(means(&plan.probes), [700.0]);
    }

    #[test]
    fn a_shared_fifo_counter_serves_the_longest_waiting_of_its_categories() {
        // Line 0: A1 (waiting since 10 min), A2 (since 4 min). Line 1: B1 (since 6 min).
        // One fifo counter serves both: A1, B1, A2 with 100 s, 200 s, 100 s services.
        let lines = [
            Line {
                waiting: vec![
                    Place {
                        rank: 1,
                        at_ms: NOW - 600_000,
                        order: 0,
                    },
                    Place {
                        rank: 1,
                        at_ms: NOW - 240_000,
                        order: 2,
                    },
                ],
                service: Moments::exactly(100.0),
                ..Line::default()
            },
            Line {
                waiting: vec![Place {
                    rank: 1,
                    at_ms: NOW - 360_000,
                    order: 1,
                }],
                service: Moments::exactly(200.0),
                ..Line::default()
            },
        ];
        let plan = call_out(
            NOW,
            &lines,
            &[server(&[0, 1], false, 0.0)],
            &[back(0), back(1)],
        );
        assert_eq!(calls_of(&plan), [vec![0.0, 300.0], vec![100.0]]);
        // Both probes wait for everybody: the counter is free again at 400 s.
        assert_eq!(means(&plan.probes), [400.0, 400.0]);
    }

    #[test]
    fn a_listed_counter_serves_its_first_category_while_anyone_waits_there() {
        // Counter 0 serves only line 0; counter 1 serves line 1 first, then line 0.
        let lines = [line(3, 100.0), line(2, 100.0)];
        let servers = [server(&[0], false, 0.0), server(&[1, 0], true, 0.0)];
        let plan = call_out(NOW, &lines, &servers, &[back(0), back(1)]);
        // Counter 1 takes line 1 at 0 and 100, counter 0 line 0 at 0, 100 and 200; then
        // counter 1, free at 200, would take either probe.
        assert_eq!(calls_of(&plan), [vec![0.0, 100.0, 200.0], vec![0.0, 100.0]]);
        assert_eq!(means(&plan.probes), [200.0, 200.0]);
    }

    #[test]
    fn priority_tickets_are_called_first() {
        let lines = [Line {
            waiting: waiting(3, 1),
            service: Moments::exactly(60.0),
            ..Line::default()
        }];
        let probes = [
            back(0),
            Probe {
                line: 0,
                priority: true,
            },
        ];
        let plan = call_out(NOW, &lines, &[server(&[0], false, 0.0)], &probes);
        assert_eq!(calls_of(&plan), [vec![0.0, 60.0, 120.0]]);
        // A new priority ticket comes right after the waiting priority ticket.
        assert_eq!(means(&plan.probes), [180.0, 60.0]);
    }

    #[test]
    fn foreseen_priority_arrivals_overtake_and_normal_ones_do_not() {
        let mut one = line(4, 600.0);
        // A priority ticket every 1000 s, a normal one every minute, for an hour.
        one.arrivals = Arrivals {
            normal_per_s: 1.0 / 60.0,
            priority_per_s: 1.0 / 1000.0,
            until_s: 3600.0,
        };
        let plan = call_out(NOW, &[one], &[server(&[0], false, 0.0)], &[back(0)]);
        // Calls at 0 and 600; at 1200 the priority ticket due at 1000 goes first; at 2400 the
        // one due at 2000, at 3000 the one due at 3000; the normal arrivals come after all.
        assert_eq!(calls_of(&plan), [vec![0.0, 600.0, 1800.0, 3600.0]]);
        assert_eq!(means(&plan.probes), [4200.0]);
    }

    #[test]
    fn a_category_without_an_open_counter_is_estimated_as_if_one_opened_now() {
        let plan = call_out(
            NOW,
            &[line(3, 200.0), line(2, 50.0)],
            &[server(&[0], false, 0.0)],
            &[back(1)],
        );
        assert_eq!(means(plan.calls(1)), [0.0, 50.0]);
        assert_eq!(means(&plan.probes), [100.0]);
    }

    #[test]
    fn a_line_longer_than_the_replay_goes_on_at_its_pace() {
        let mut long = line(LISTED_PER_LINE, 60.0);
        long.more = 600;
        let servers = [server(&[0], false, 0.0), server(&[0], false, 30.0)];
        let plan = call_out(NOW, &[long], &servers, &[back(0)]);
        // Two counters of 60 s calls, one starting 30 s late: a call every 30 s.
        let last = LISTED_PER_LINE - 1;
        assert_eq!(plan.call_s(0, last), Some(last as f64 * 30.0));
        assert_eq!(plan.call_s(0, last + 600), Some((last + 600) as f64 * 30.0));
        assert_eq!(means(&plan.probes), [(LISTED_PER_LINE + 600) as f64 * 30.0]);
    }

    #[test]
    fn one_counter_adds_up_the_variance_of_everything_before_a_ticket() {
        let mut one = line(3, 300.0);
        one.service.var_s2 = 400.0;
        let mut busy = server(&[0], false, 120.0);
        busy.free_in.var_s2 = 900.0;
        let plan = call_out(NOW, &[one], &[busy], &[back(0)]);
        assert_eq!(variances(plan.calls(0)), [900.0, 1300.0, 1700.0]);
        assert_eq!(plan.probes[0].var_s2, 2100.0);
    }

    #[test]
    fn the_first_of_two_counters_frees_up_before_either_is_expected_to() {
        // Two counters both expected free in 100 s, give or take 50: the first of them is
        // free earlier, the other later (the two expected times add up to 200 s, up to the
        // log-normal approximation), and the first is less uncertain than either.
        let busy = |free: f64| Server {
            lines: vec![0],
            listed: false,
            free_in: Moments {
                mean_s: free,
                var_s2: 2500.0,
            },
        };
        let plan = call_out(NOW, &[line(2, 300.0)], &[busy(100.0), busy(100.0)], &[]);
        let [first, second] = [plan.calls(0)[0], plan.calls(0)[1]];
        assert!((70.0..95.0).contains(&first.mean_s), "{first:?}");
        assert!(
            (first.mean_s + second.mean_s - 200.0).abs() < 0.5,
            "{second:?}"
        );
        assert!(first.var_s2 < 2500.0, "{first:?}");
        // A counter far behind does not make the first one earlier.
        let plan = call_out(NOW, &[line(1, 300.0)], &[busy(100.0), busy(900.0)], &[]);
        assert!((plan.calls(0)[0].mean_s - 100.0).abs() < 0.01);
    }

    #[test]
    fn calls_of_one_line_share_the_uncertainty_of_its_mean() {
        // The mean counter time is uncertain by a variance of 100 s²: n calls by n² × 100.
        let mut one = line(4, 60.0);
        one.mean_var_s2 = 100.0;
        let plan = call_out(NOW, &[one], &[server(&[0], false, 0.0)], &[back(0)]);
        assert_eq!(variances(plan.calls(0)), [0.0, 100.0, 400.0, 900.0]);
        assert_eq!(plan.probes[0].var_s2, 1600.0);
    }

    #[test]
    fn foreseen_arrivals_add_the_uncertainty_of_how_many_come() {
        // A priority ticket foreseen at 100 s goes ahead of the second waiting ticket: it adds
        // its counter time's variance and, for whether it comes at all, its square.
        let mut one = line(2, 600.0);
        one.service.var_s2 = 100.0;
        one.arrivals = Arrivals {
            normal_per_s: 0.0,
            priority_per_s: 1.0 / 100.0,
            until_s: 150.0,
        };
        let plan = call_out(NOW, &[one], &[server(&[0], false, 0.0)], &[]);
        assert_eq!(calls_of(&plan), [vec![0.0, 1200.0]]);
        assert_eq!(
            variances(plan.calls(0)),
            [0.0, 100.0 + 100.0 + 600.0 * 600.0]
        );
    }

    #[test]
    fn a_line_longer_than_the_replay_grows_uncertain_at_its_pace() {
        let mut long = line(LISTED_PER_LINE, 60.0);
        long.more = 100;
        long.service.var_s2 = 36.0;
        let plan = call_out(NOW, &[long], &[server(&[0], false, 0.0)], &[back(0)]);
        let last = LISTED_PER_LINE - 1;
        assert_eq!(
            plan.call(0, last).map(|c| c.var_s2),
            Some(last as f64 * 36.0)
        );
        let beyond = plan.call(0, last + 50).expect("a line");
        assert!(
            (beyond.var_s2 - (last + 50) as f64 * 36.0).abs() < 1e-6,
            "{beyond:?}"
        );
        assert!((plan.probes[0].var_s2 - (LISTED_PER_LINE + 100) as f64 * 36.0).abs() < 1e-6);
    }

    /// A checked-in appointment ticket of a slot `start_s` seconds from now.
    fn slot(start_s: i64, checked_in: i64) -> SlotPlace {
        SlotPlace {
            start_ms: NOW + start_s * 1000,
            at_ms: NOW - 60_000,
            order: checked_in,
        }
    }

    #[test]
    fn a_due_appointment_goes_before_priority_walk_ins() {
        let lines = [Line {
            waiting: waiting(2, 1),
            service: Moments::exactly(100.0),
            slots: vec![slot(-60, 7)],
            ..Line::default()
        }];
        let plan = call_out(NOW, &lines, &[server(&[0], false, 0.0)], &[back(0)]);
        assert_eq!(slot_means(&plan, 0), [0.0]);
        assert_eq!(calls_of(&plan), [vec![100.0, 200.0]]);
        assert_eq!(means(&plan.probes), [300.0]);
    }

    #[test]
    fn an_appointment_not_yet_due_waits_for_its_slot_unless_nobody_else_is_there() {
        // Due in 150 s: after the first walk-in, before the second.
        let lines = [Line {
            waiting: waiting(3, 0),
            service: Moments::exactly(100.0),
            slots: vec![slot(150, 1)],
            ..Line::default()
        }];
        let plan = call_out(NOW, &lines, &[server(&[0], false, 0.0)], &[back(0)]);
        assert_eq!(calls_of(&plan), [vec![0.0, 100.0, 300.0]]);
        assert_eq!(slot_means(&plan, 0), [200.0]);
        assert_eq!(means(&plan.probes), [400.0]);
        // Alone, it is called at once.
        let alone = [Line {
            service: Moments::exactly(100.0),
            slots: vec![slot(3600, 1)],
            ..Line::default()
        }];
        let plan = call_out(NOW, &alone, &[server(&[0], false, 0.0)], &[back(0)]);
        assert_eq!(slot_means(&plan, 0), [0.0]);
        // A walk-in coming now would go before it.
        assert_eq!(means(&plan.probes), [0.0]);
    }

    #[test]
    fn due_appointments_go_earliest_slot_first_whatever_the_order_of_the_counter() {
        // A listed counter serves line 0 first; the due appointment of line 1 has the
        // earlier slot and goes first, then line 0's, then line 0's walk-in.
        let lines = [
            Line {
                waiting: waiting(1, 0),
                service: Moments::exactly(100.0),
                slots: vec![slot(-60, 5)],
                ..Line::default()
            },
            Line {
                service: Moments::exactly(50.0),
                slots: vec![slot(-120, 9)],
                ..Line::default()
            },
        ];
        let plan = call_out(NOW, &lines, &[server(&[0, 1], true, 0.0)], &[]);
        assert_eq!(slot_means(&plan, 1), [0.0]);
        assert_eq!(slot_means(&plan, 0), [50.0]);
        assert_eq!(calls_of(&plan), [vec![150.0], vec![]]);
    }

    #[test]
    fn bookings_arrive_at_their_slots_and_go_first() {
        // Two bookings at 250 s: the counter busy until 300 s takes them before the walk-ins.
        let lines = [Line {
            waiting: waiting(2, 0),
            service: Moments::exactly(100.0),
            bookings: vec![NOW + 250_000, NOW + 250_000],
            ..Line::default()
        }];
        let plan = call_out(NOW, &lines, &[server(&[0], false, 300.0)], &[back(0)]);
        assert_eq!(calls_of(&plan), [vec![500.0, 600.0]]);
        assert_eq!(means(&plan.probes), [700.0]);
        // An idle counter waits for a booking rather than stopping.
        let only = [Line {
            service: Moments::exactly(100.0),
            bookings: vec![NOW + 250_000],
            ..Line::default()
        }];
        let plan = call_out(NOW, &only, &[server(&[0], false, 0.0)], &[back(0)]);
        assert_eq!(
            means(&plan.probes),
            [0.0],
            "a new ticket now is called before the booking"
        );
    }

    #[test]
    fn an_empty_office_answers_now() {
        let plan = call_out(NOW, &[line(0, 200.0)], &[], &[back(0)]);
        assert_eq!(means(&plan.probes), [0.0]);
    }

    fn arbitrary_office() -> impl Strategy<Value = (Vec<Line>, Vec<Server>)> {
        let line = (
            0usize..12,
            0usize..3,
            1.0f64..900.0,
            0.0f64..0.01,
            0.0f64..0.002,
        )
            .prop_map(|(n, priority, service_s, normal, prio)| Line {
                waiting: waiting(n, priority.min(n)),
                more: 0,
                service: Moments {
                    mean_s: service_s,
                    var_s2: service_s * service_s / 4.0,
                },
                mean_var_s2: service_s * service_s / 100.0,
                arrivals: Arrivals {
                    normal_per_s: normal,
                    priority_per_s: prio,
                    until_s: 7200.0,
                },
                slots: Vec::new(),
                bookings: Vec::new(),
            });
        // Some lines have checked-in appointment tickets (due or not) and bookings to come.
        let line = (
            line,
            prop::collection::vec((-1800i64..3600, 0i64..50), 0..4),
            prop::collection::vec(0i64..7200, 0..4),
        )
            .prop_map(|(mut line, mut slots, mut bookings)| {
                slots.sort_unstable();
                bookings.sort_unstable();
                line.slots = slots
                    .into_iter()
                    .map(|(start_s, checked_in)| slot(start_s, checked_in))
                    .collect();
                line.bookings = bookings.into_iter().map(|s| NOW + s * 1000).collect();
                line
            });
        prop::collection::vec(line, 1..5).prop_flat_map(|lines| {
            let n = lines.len();
            let server = (
                prop::collection::vec(0..n, 1..=n),
                any::<bool>(),
                0.0f64..600.0,
            )
                .prop_map(|(mut served, listed, free_in_s)| {
                    let mut seen = Vec::new();
                    served.retain(|l| {
                        let new = !seen.contains(l);
                        seen.push(*l);
                        new
                    });
                    Server {
                        lines: served,
                        listed,
                        free_in: Moments {
                            mean_s: free_in_s,
                            var_s2: free_in_s * free_in_s / 4.0,
                        },
                    }
                });
            (Just(lines), prop::collection::vec(server, 0..4))
        })
    }

    proptest! {
        #[test]
        fn call_times_are_never_negative_and_grow_with_the_people_ahead(
            (lines, servers) in arbitrary_office()
        ) {
            let probes: Vec<Probe> = (0..lines.len()).map(back).collect();
            let plan = call_out(NOW, &lines, &servers, &probes);
            for (l, line) in lines.iter().enumerate() {
                // Every appointment ticket has a call time, in the order of its slot.
                let slot_calls = plan.slot_calls(l);
                prop_assert_eq!(slot_calls.len(), line.slots.len());
                for pair in slot_calls.windows(2) {
                    prop_assert!(pair[0].mean_s <= pair[1].mean_s, "line {}: {:?}", l, slot_calls);
                }
                for at in slot_calls {
                    prop_assert!(at.mean_s.is_finite() && at.mean_s >= 0.0);
                    prop_assert!(at.var_s2.is_finite() && at.var_s2 >= 0.0);
                }
            }
            for (l, calls) in calls_of(&plan).iter().enumerate() {
                prop_assert_eq!(calls.len(), lines[l].waiting.len());
                for pair in calls.windows(2) {
                    prop_assert!(pair[0] <= pair[1], "line {}: {:?}", l, calls);
                }
                for &at in calls {
                    prop_assert!(at.is_finite() && at >= 0.0);
                }
                // A new ticket at the back waits at least as long as everybody in its line.
                let last = calls.last().copied().unwrap_or(0.0);
                prop_assert!(plan.probes[l].mean_s >= last, "line {}: {:?} {:?}", l, calls, plan.probes);
                // And it is at least as uncertain: variances only add up along a line.
                let spread = variances(plan.calls(l));
                for pair in spread.windows(2) {
                    prop_assert!(pair[0] <= pair[1] + 1e-6, "line {}: {:?}", l, spread);
                }
                for &var in &spread {
                    prop_assert!(var.is_finite() && var >= 0.0);
                }
                let last_var = spread.last().copied().unwrap_or(0.0);
                prop_assert!(plan.probes[l].var_s2 + 1e-6 >= last_var, "line {}: {:?} {:?}", l, spread, plan.probes);
            }
        }

        #[test]
        fn one_idle_counter_for_one_category_is_the_naive_formula(
            n in 0usize..50, service_s in 1.0f64..1000.0
        ) {
            let plan = call_out(NOW, &[line(n, service_s)], &[server(&[0], false, 0.0)], &[back(0)]);
            for (ahead, &at) in means(plan.calls(0)).iter().enumerate() {
                prop_assert!((at - ahead as f64 * service_s).abs() < 1e-6);
            }
            prop_assert!((plan.probes[0].mean_s - n as f64 * service_s).abs() < 1e-6);
        }
    }
}
