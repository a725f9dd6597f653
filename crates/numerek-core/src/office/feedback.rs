//! Rating a served ticket ([`crate::feedback`]): by its id, or at its counter's tablet; and the
//! counter's last finished ticket, which the tablet rates.
//!
//! The office holds today's tickets only, while a ticket may be rated by its id for 24 hours
//! after its finish: a ticket of an earlier day is read from storage by the caller (the store's
//! writer) and decided by [`Office::decide_stored_rating`], with the same rules.

use super::decide::EventList;
use super::{Decision, Office, Subject};
use crate::error::DomainError;
use crate::event::EventKind;
use crate::feedback::{self, Score};
use crate::ids::TicketId;
use crate::ticket::{Ticket, TicketState};
use jiff::Timestamp;

impl Office {
    /// The counter's last ticket served (`done`) today, whether or not rated; `None` for an
    /// unknown counter or one that has served nobody today.
    pub fn last_done(&self, counter: &str) -> Option<&Ticket> {
        self.last_done
            .get(counter)
            .and_then(|id| self.ticket_ref(id))
    }

    /// Rates one of today's tickets by its id.
    pub(super) fn decide_rating(
        &self,
        events: &mut EventList,
        id: &TicketId,
        score: Score,
    ) -> Result<(), DomainError> {
        let ticket = self
            .ticket_ref(id)
            .ok_or_else(|| DomainError::UnknownTicket(id.to_string()))?;
        feedback::check_by_id(ticket, events.at)?;
        events.push(EventKind::FeedbackGiven {
            ticket: feedback::rated(ticket, score),
        });
        Ok(())
    }

    /// Rates the counter's last finished ticket from its tablet; answers that ticket's id.
    pub(super) fn decide_rating_at_counter(
        &self,
        events: &mut EventList,
        counter: &str,
        score: Score,
    ) -> Result<TicketId, DomainError> {
        if self.counter_index(counter).is_none() {
            return Err(DomainError::UnknownCounter(counter.to_owned()));
        }
        let last = self.last_done(counter);
        feedback::check_at_counter(counter, last, events.at)?;
        let ticket = last.ok_or_else(|| DomainError::NoRecentTicket(counter.to_owned()))?;
        events.push(EventKind::FeedbackGiven {
            ticket: feedback::rated(ticket, score),
        });
        Ok(ticket.id.clone())
    }

    /// Decides the rating of a ticket of an earlier office day, as storage holds it: the same
    /// rules as for today's tickets ([`feedback::check_by_id`]), numbered from the office's
    /// next sequence number. A ticket of today is decided against the office's own copy
    /// instead, whatever `stored` says.
    ///
    /// # Errors
    /// As [`Office::decide`] for [`crate::Command::RateTicket`].
    pub fn decide_stored_rating(
        &self,
        stored: &Ticket,
        score: Score,
        now: Timestamp,
    ) -> Result<Decision, DomainError> {
        let mut events = EventList::new(self, now);
        match self.ticket_ref(&stored.id) {
            Some(_) => self.decide_rating(&mut events, &stored.id, score)?,
            None => {
                feedback::check_by_id(stored, now)?;
                events.push(EventKind::FeedbackGiven {
                    ticket: feedback::rated(stored, score),
                });
            }
        }
        Ok(Decision {
            events: events.into_events(),
            subject: Subject::Ticket(stored.id.clone()),
        })
    }

    /// Applies a rating: a ticket of today gets its score; one of an earlier day is not the
    /// office's to hold (storage keeps it), so nothing changes.
    pub(super) fn put_rated(&mut self, ticket: &Ticket) {
        if ticket.office_date == self.date && self.tickets.get(&ticket.id).is_some() {
            self.put_ticket(ticket.clone());
        }
    }

    /// Notes a `done` ticket as its counter's last one, unless the counter has one that
    /// finished later (tickets are restored in no particular order): by finish, then by call.
    pub(super) fn note_done(&mut self, ticket: &Ticket) {
        let Some(counter) = ticket.counter.as_deref() else {
            return;
        };
        let order = |t: &Ticket| (t.finished_at, t.last_call_seq);
        let later = match self
            .last_done
            .get(counter)
            .and_then(|id| self.ticket_ref(id))
        {
            Some(known) if known.id != ticket.id => order(ticket) >= order(known),
            _ => true,
        };
        if later && ticket.state == TicketState::Done {
            self.last_done.insert(counter.to_owned(), ticket.id.clone());
        }
    }
}
