//! The last replay remembered: a read answered again without replaying while nothing the replay
//! depends on has changed.

use super::LISTED_PER_LINE;
use super::arrivals::Arrivals;
use super::distribution::Moments;
use super::inputs::Server;
use super::plan::Plan;

/// What a replay without probes depends on, besides the first [`LISTED_PER_LINE`] waiting
/// tickets of each line: equal keys with the same first tickets give the same [`Plan`].
///
/// Beyond the listed tickets the replay sees only *whether* more wait. And a line with more is
/// never out of waiting tickets in the replay, whose tickets all started waiting before now, so
/// a non-priority foreseen arrival (after now, and no priority) never goes ahead of them: such
/// a line's non-priority issue rate cannot matter. So a ticket issued at the back of a line
/// longer than the listed tickets leaves the replay as it was, and its estimate needs no new
/// one (see [`Memo`]).
#[derive(Debug, Clone, PartialEq)]
pub struct ReplayKey {
    /// The instant replayed from.
    pub now_ms: i64,
    /// Changes whenever the first tickets of any line may have changed (the caller's count).
    pub fronts: u64,
    /// Per line.
    pub lines: Vec<LineKey>,
    /// The open counters.
    pub servers: Vec<Server>,
}

/// What the replay depends on of one line, besides its first tickets.
#[derive(Debug, Clone, PartialEq)]
pub struct LineKey {
    longer_than_listed: bool,
    service: Moments,
    mean_var_s2: f64,
    arrivals: Arrivals,
}

impl LineKey {
    /// The key of a line of `waiting` tickets with this counter time (and uncertainty of its
    /// mean) and these arrivals.
    pub fn of(waiting: usize, service: Moments, mean_var_s2: f64, arrivals: Arrivals) -> Self {
        let longer_than_listed = waiting > LISTED_PER_LINE;
        Self {
            longer_than_listed,
            service,
            mean_var_s2,
            arrivals: if longer_than_listed {
                Arrivals {
                    normal_per_s: 0.0,
                    ..arrivals
                }
            } else {
                arrivals
            },
        }
    }
}

/// The last probe-less plan with its [`ReplayKey`]: answers that plan again, without
/// replaying, while the key is the same.
///
/// The writer answers every issued ticket with its estimate; in a burst of tickets (the
/// commands of one commit share one instant) into lines longer than [`LISTED_PER_LINE`], each
/// ticket leaves the replay as it was, and one replay answers them all.
#[derive(Debug, Clone, Default)]
pub struct Memo {
    key: Option<ReplayKey>,
    plan: Plan,
    replays: u64,
}

impl Memo {
    /// The plan for `key`: the remembered one if the key is the same, else `replay()`'s (then
    /// remembered).
    pub fn plan(&mut self, key: ReplayKey, replay: impl FnOnce() -> Plan) -> &Plan {
        if self.key.as_ref() != Some(&key) {
            self.plan = replay();
            self.key = Some(key);
            self.replays += 1;
        }
        &self.plan
    }

    /// How many times it replayed.
    pub fn replays(&self) -> u64 {
        self.replays
    }
}
