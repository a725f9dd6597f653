//! The few calls of numerek's HTTP API the simulator makes, as a citizen at the kiosk, a clerk
//! at a counter and a manager reading the report would.

use anyhow::{Context, anyhow, bail};
use jiff::Timestamp;
use numerek_api::{
    Appointment, BookRequest, CounterAnswer, ErrorBody, FeedbackAnswer, FeedbackRequest,
    IssueRequest, Ticket, WaitRange,
};
use serde::Serialize;
use serde::de::DeserializeOwned;
use std::time::Duration;

/// A client of one server, with one token (an admin's: it may do all of the above).
#[derive(Debug, Clone)]
pub struct Api {
    client: reqwest::Client,
    base: String,
    token: String,
}

/// A ticket as the kiosk got it.
#[derive(Debug, Clone, PartialEq)]
pub struct Issued {
    /// The opaque id.
    pub id: String,
    /// Its number within the category, `A017` → 17.
    pub number: u32,
    /// When the server issued it.
    pub issued_at: Timestamp,
    /// The people ahead the server counted.
    pub people_ahead: u64,
    /// The server's estimate at issue.
    pub estimated_wait_s: f64,
    /// The server's range at issue, `[low, high]`.
    pub estimated_wait_range_s: [f64; 2],
}

/// What the kiosk was answered.
#[derive(Debug, Clone, PartialEq)]
pub enum Issue {
    /// A ticket.
    Issued(Issued),
    /// `409`: the category is closed (hours or cut-off) or its limit is reached; or `429`:
    /// the kiosk token took tickets faster than the office's rate limit allows.
    Refused {
        /// The error code, e.g. `category_closed` or `rate_limited`.
        code: String,
    },
}

/// A ticket a counter called.
#[derive(Debug, Clone, PartialEq)]
pub struct Called {
    /// The opaque id.
    pub id: String,
    /// Its category's id.
    pub category: String,
    /// Its number within the category.
    pub number: u32,
    /// When the server called it.
    pub called_at: Timestamp,
}

impl Issued {
    /// A waiting ticket's view as the kiosk gets it (`None` unless it waits).
    pub fn from_view(view: &numerek_core::TicketView) -> Option<Self> {
        Some(Self {
            id: view.ticket.id.as_str().to_owned(),
            number: view.ticket.number.n,
            issued_at: view.ticket.issued_at,
            people_ahead: view.people_ahead? as u64,
            estimated_wait_s: view.estimated_wait_s?,
            estimated_wait_range_s: view.estimated_wait_range_s?,
        })
    }
}

impl Api {
    /// A client of the server at `base` (like `http://127.0.0.1:8080`).
    ///
    /// # Errors
    /// When the HTTP client cannot be built.
    pub fn new(base: &str, token: &str) -> anyhow::Result<Self> {
        let client = reqwest::Client::builder()
            .timeout(Duration::from_secs(30))
            .build()
            .context("cannot make an HTTP client")?;
        Ok(Self {
            client,
            base: base.trim_end_matches('/').to_owned(),
            token: token.to_owned(),
        })
    }

    /// Sends `request` with the token: the status and the body's bytes.
    async fn send(&self, request: reqwest::RequestBuilder) -> anyhow::Result<(u16, Vec<u8>)> {
        let response = request
            .bearer_auth(&self.token)
            .send()
            .await
            .with_context(|| format!("the server at {} does not answer", self.base))?;
        let status = response.status().as_u16();
        let body = response.bytes().await.unwrap_or_default().to_vec();
        Ok((status, body))
    }

    async fn post(
        &self,
        path: &str,
        body: Option<&impl Serialize>,
    ) -> anyhow::Result<(u16, Vec<u8>)> {
        let mut request = self.client.post(format!("{}{path}", self.base));
        if let Some(body) = body {
            request = request.json(body);
        }
        self.send(request).await
    }

    /// `GET path`, expecting 200 and an answer of type `T`.
    ///
    /// # Errors
    /// Any other answer, or none.
    pub async fn get<T: DeserializeOwned>(&self, path: &str) -> anyhow::Result<T> {
        let (status, body) = self
            .send(self.client.get(format!("{}{path}", self.base)))
            .await?;
        if status != 200 {
            bail!("GET {path} answered {status}: {}", text(&body));
        }
        read(&body).with_context(|| format!("GET {path}"))
    }

    /// A counter action, expecting 200; answers its `ticket`, if any.
    async fn act(&self, counter: &str, action: &str) -> anyhow::Result<Option<Ticket>> {
        let path = format!("/api/v1/counters/{counter}/{action}");
        let (status, body) = self.post(&path, None::<&()>).await?;
        if status != 200 {
            bail!("POST {path} answered {status}: {}", text(&body));
        }
        let answer: CounterAnswer = read(&body).with_context(|| format!("POST {path}"))?;
        Ok(answer.ticket)
    }

    /// Takes a ticket at the kiosk.
    ///
    /// # Errors
    /// An answer other than 201, 409 or 429, or none.
    pub async fn issue(&self, category: &str, priority: bool) -> anyhow::Result<Issue> {
        let request = IssueRequest {
            category: category.to_owned(),
            priority: Some(priority),
            language: None,
        };
        let (status, body) = self.post("/api/v1/tickets", Some(&request)).await?;
        issue_answer("/api/v1/tickets", status, &body)
    }

    /// Books the slot of `category` starting at `start` for a caller (the token is staff's, so
    /// no public limit applies): the booking's code, or `None` when the slot cannot be booked
    /// (`409`: full, or started already on a server slow to come up).
    ///
    /// # Errors
    /// Any answer other than 201 or 409, or none.
    pub async fn book(&self, category: &str, start: Timestamp) -> anyhow::Result<Option<String>> {
        let request = BookRequest {
            category: category.to_owned(),
            start: numerek_api::Time::with_offset(start, jiff::tz::Offset::UTC),
            language: None,
        };
        let (status, body) = self.post("/api/v1/appointments", Some(&request)).await?;
        match status {
            201 => {
                let appointment: Appointment = read(&body).context("POST /api/v1/appointments")?;
                Ok(Some(appointment.code))
            }
            409 => Ok(None),
            _ => bail!(
                "POST /api/v1/appointments answered {status}: {}",
                text(&body)
            ),
        }
    }

    /// Checks a booking in at the kiosk.
    ///
    /// # Errors
    /// An answer other than 201, 409 or 429, or none.
    pub async fn check_in(&self, code: &str) -> anyhow::Result<Issue> {
        let path = format!("/api/v1/appointments/{code}/check-in");
        let (status, body) = self.post(&path, None::<&()>).await?;
        issue_answer(&path, status, &body)
    }

    /// Opens a counter.
    ///
    /// # Errors
    /// Any answer other than 200, or none.
    pub async fn open(&self, counter: &str) -> anyhow::Result<()> {
        self.act(counter, "open").await.map(drop)
    }

    /// Closes a counter.
    ///
    /// # Errors
    /// Any answer other than 200, or none.
    pub async fn close(&self, counter: &str) -> anyhow::Result<()> {
        self.act(counter, "close").await.map(drop)
    }

    /// `call-next` at a counter: the ticket called, if anyone waits.
    ///
    /// # Errors
    /// Any answer other than 200, or none.
    pub async fn call_next(&self, counter: &str) -> anyhow::Result<Option<Called>> {
        let Some(ticket) = self.act(counter, "call-next").await? else {
            return Ok(None);
        };
        Ok(Some(Called {
            number: number(&ticket)?,
            called_at: ticket
                .ticket
                .called_at
                .ok_or_else(|| {
                    anyhow!(
                        "the called ticket {} has no called_at",
                        ticket.ticket.number
                    )
                })?
                .timestamp(),
            id: ticket.ticket.id,
            category: ticket.ticket.category,
        }))
    }

    /// Rates a served visit by its ticket's id, as its holder does on the phone (the route is
    /// public: the token is not needed, and ignored).
    ///
    /// # Errors
    /// Any answer other than 200, or none. The message names no ticket id (a key, kept out of
    /// the log).
    pub async fn rate(&self, id: &str, score: u8) -> anyhow::Result<()> {
        let path = format!("/api/v1/tickets/{id}/feedback");
        let (status, body) = self.post(&path, Some(&FeedbackRequest { score })).await?;
        if status != 200 {
            bail!(
                "POST /api/v1/tickets/{{id}}/feedback answered {status}: {}",
                text(&body)
            );
        }
        let answer: FeedbackAnswer = read(&body).context("POST /api/v1/tickets/{id}/feedback")?;
        if answer.score != score {
            bail!("a rating of {score} was taken as {}", answer.score);
        }
        Ok(())
    }

    /// Ends the counter's current ticket as served (`finish`) or not come (`no-show`): when.
    ///
    /// # Errors
    /// Any answer other than 200, or none.
    pub async fn end(&self, counter: &str, no_show: bool) -> anyhow::Result<Timestamp> {
        let ticket = self
            .act(counter, if no_show { "no-show" } else { "finish" })
            .await?
            .ok_or_else(|| anyhow!("counter {counter} ended no ticket"))?;
        ticket
            .ticket
            .finished_at
            .map(|at| at.timestamp())
            .ok_or_else(|| {
                anyhow!(
                    "the ended ticket {} has no finished_at",
                    ticket.ticket.number
                )
            })
    }
}

/// A ticket, or a refusal, from the answer to a request that issues one.
fn issue_answer(path: &str, status: u16, body: &[u8]) -> anyhow::Result<Issue> {
    match status {
        201 => {
            let ticket: Ticket = read(body).with_context(|| format!("POST {path}"))?;
            Ok(Issue::Issued(Issued {
                number: number(&ticket)?,
                issued_at: ticket.ticket.issued_at.timestamp(),
                people_ahead: ticket
                    .people_ahead
                    .ok_or_else(|| anyhow!("no people_ahead in {}", text(body)))?,
                estimated_wait_s: ticket
                    .estimated_wait_s
                    .ok_or_else(|| anyhow!("no estimated_wait_s in {}", text(body)))?
                    .get(),
                estimated_wait_range_s: ticket
                    .estimated_wait_range_s
                    .map(WaitRange::get)
                    .ok_or_else(|| anyhow!("no estimated_wait_range_s in {}", text(body)))?,
                id: ticket.ticket.id,
            }))
        }
        409 | 429 => Ok(Issue::Refused {
            code: read::<ErrorBody>(body).map_or_else(|_| String::new(), |e| e.error.code),
        }),
        _ => bail!("POST {path} answered {status}: {}", text(body)),
    }
}

/// An answer's body, for a message.
fn text(body: &[u8]) -> String {
    String::from_utf8_lossy(body).into_owned()
}

/// An answer's body as the wire type `T`.
fn read<T: DeserializeOwned>(body: &[u8]) -> anyhow::Result<T> {
    serde_json::from_slice(body).with_context(|| format!("an unexpected answer: {}", text(body)))
}

/// The number part of a ticket number: `A017` → 17.
fn number(ticket: &Ticket) -> anyhow::Result<u32> {
    let number = &ticket.ticket.number;
    number
        .n()
        .with_context(|| format!("{number:?} is not a ticket number"))
}
