//! What the virtual call-out found: each line's call times (walk-ins and appointment tickets)
//! and each probe's, every one a mean with its variance.

use super::distribution::Moments;

/// What the replay found: the call time of every waiting ticket and of every probe, in
/// seconds from now, each with its variance.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Plan {
    /// Per line.
    pub(super) lines: Vec<LinePlan>,
    /// Per probe, in the order asked.
    pub probes: Vec<Moments>,
}

/// One line's call times.
#[derive(Debug, Clone, Default, PartialEq)]
pub(super) struct LinePlan {
    /// The call times the replay found, in calling order (every ticket's, unless the replay
    /// ended at a long line).
    pub(super) calls: Vec<Moments>,
    /// The call time of every checked-in appointment ticket, in their order.
    pub(super) slot_calls: Vec<Moments>,
    /// When the replay ended, and the variance of a call of this line then.
    pub(super) end: Moments,
    /// Between two calls of this line after the replay (its pace in the replay): seconds, and
    /// the variance each adds.
    pub(super) pace: Moments,
}

impl LinePlan {
    /// The call time of the ticket at `position`; past the replay, at the line's pace from the
    /// replay's end.
    pub(super) fn call(&self, position: usize) -> Moments {
        match self.calls.get(position) {
            Some(&at) => at,
            None => {
                let beyond = (position - self.calls.len()) as f64;
                Moments {
                    mean_s: self.end.mean_s + beyond * self.pace.mean_s,
                    var_s2: self.end.var_s2 + beyond * self.pace.var_s2,
                }
            }
        }
    }
}

impl Plan {
    /// The call time of the waiting ticket at `position` (0: the next one) of `line`.
    pub fn call(&self, line: usize, position: usize) -> Option<Moments> {
        Some(self.lines.get(line)?.call(position))
    }

    /// The expected call time of the waiting ticket at `position` (0: the next one) of `line`.
    pub fn call_s(&self, line: usize, position: usize) -> Option<f64> {
        self.call(line, position).map(|call| call.mean_s)
    }

    /// The call times the replay found for a line's tickets, in calling order: all of them
    /// unless the line is longer than [`super::LISTED_PER_LINE`].
    pub fn calls(&self, line: usize) -> &[Moments] {
        self.lines.get(line).map_or(&[], |plan| &plan.calls)
    }

    /// The call time of the checked-in appointment ticket at `position` (0: the earliest
    /// slot) of `line`.
    pub fn slot_call(&self, line: usize, position: usize) -> Option<Moments> {
        self.lines.get(line)?.slot_calls.get(position).copied()
    }

    /// The expected call time of the checked-in appointment ticket at `position` (0: the
    /// earliest slot) of `line`.
    pub fn slot_call_s(&self, line: usize, position: usize) -> Option<f64> {
        self.slot_call(line, position).map(|call| call.mean_s)
    }

    /// The call times of a line's checked-in appointment tickets, in their order.
    pub fn slot_calls(&self, line: usize) -> &[Moments] {
        self.lines.get(line).map_or(&[], |plan| &plan.slot_calls)
    }
}
