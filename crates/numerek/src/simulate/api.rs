//! The few calls of numerek's HTTP API the simulator makes, as a citizen at the kiosk, a clerk
//! at a counter and a manager reading the report would.

use anyhow::{Context, anyhow, bail};
use jiff::Timestamp;
use serde_json::{Value, json};
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
    /// `409`: the category is closed (hours or cut-off) or its limit is reached.
    Refused {
        /// The error code, e.g. `category_closed`.
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

    async fn send(&self, request: reqwest::RequestBuilder) -> anyhow::Result<(u16, Value)> {
        let response = request
            .bearer_auth(&self.token)
            .send()
            .await
            .with_context(|| format!("the server at {} does not answer", self.base))?;
        let status = response.status().as_u16();
        let body = response.json::<Value>().await.unwrap_or(Value::Null);
        Ok((status, body))
    }

    async fn post(&self, path: &str, body: Option<Value>) -> anyhow::Result<(u16, Value)> {
        let mut request = self.client.post(format!("{}{path}", self.base));
        if let Some(body) = body {
            request = request.json(&body);
        }
        self.send(request).await
    }

    /// `GET path`, expecting 200.
    ///
    /// # Errors
    /// Any other answer, or none.
    pub async fn get(&self, path: &str) -> anyhow::Result<Value> {
        let (status, body) = self
            .send(self.client.get(format!("{}{path}", self.base)))
            .await?;
        if status != 200 {
            bail!("GET {path} answered {status}: {body}");
        }
        Ok(body)
    }

    /// A counter action, expecting 200; answers its `ticket` (null or a Ticket).
    async fn act(&self, counter: &str, action: &str) -> anyhow::Result<Value> {
        let path = format!("/api/v1/counters/{counter}/{action}");
        let (status, mut body) = self.post(&path, None).await?;
        if status != 200 {
            bail!("POST {path} answered {status}: {body}");
        }
        Ok(body["ticket"].take())
    }

    /// Takes a ticket at the kiosk.
    ///
    /// # Errors
    /// An answer other than 201 or 409, or none.
    pub async fn issue(&self, category: &str, priority: bool) -> anyhow::Result<Issue> {
        let body = json!({"category": category, "priority": priority});
        let (status, body) = self.post("/api/v1/tickets", Some(body)).await?;
        match status {
            201 => Ok(Issue::Issued(Issued {
                id: text(&body, "id")?,
                number: number(&body)?,
                issued_at: time(&body, "issued_at")?,
                people_ahead: body["people_ahead"]
                    .as_u64()
                    .ok_or_else(|| anyhow!("no people_ahead in {body}"))?,
                estimated_wait_s: body["estimated_wait_s"]
                    .as_f64()
                    .ok_or_else(|| anyhow!("no estimated_wait_s in {body}"))?,
                estimated_wait_range_s: range(&body)?,
            })),
            409 => Ok(Issue::Refused {
                code: body["error"]["code"].as_str().unwrap_or("").to_owned(),
            }),
            _ => bail!("POST /api/v1/tickets answered {status}: {body}"),
        }
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
        let ticket = self.act(counter, "call-next").await?;
        if ticket.is_null() {
            return Ok(None);
        }
        Ok(Some(Called {
            id: text(&ticket, "id")?,
            category: text(&ticket, "category")?,
            number: number(&ticket)?,
            called_at: time(&ticket, "called_at")?,
        }))
    }

    /// Ends the counter's current ticket as served (`finish`) or not come (`no-show`): when.
    ///
    /// # Errors
    /// Any answer other than 200, or none.
    pub async fn end(&self, counter: &str, no_show: bool) -> anyhow::Result<Timestamp> {
        let ticket = self
            .act(counter, if no_show { "no-show" } else { "finish" })
            .await?;
        time(&ticket, "finished_at")
    }
}

/// A ticket's `estimated_wait_range_s`.
fn range(ticket: &Value) -> anyhow::Result<[f64; 2]> {
    match ticket["estimated_wait_range_s"]
        .as_array()
        .map(Vec::as_slice)
    {
        Some([low, high]) => match (low.as_f64(), high.as_f64()) {
            (Some(low), Some(high)) if low <= high => Ok([low, high]),
            _ => bail!("estimated_wait_range_s is not [low, high] in {ticket}"),
        },
        _ => bail!("no estimated_wait_range_s in {ticket}"),
    }
}

fn text(value: &Value, key: &str) -> anyhow::Result<String> {
    value[key]
        .as_str()
        .map(str::to_owned)
        .ok_or_else(|| anyhow!("no {key} in {value}"))
}

fn time(value: &Value, key: &str) -> anyhow::Result<Timestamp> {
    let text = text(value, key)?;
    text.parse()
        .with_context(|| format!("{key} {text:?} is not a timestamp"))
}

/// The number part of a ticket number: `A017` → 17.
fn number(ticket: &Value) -> anyhow::Result<u32> {
    let text = text(ticket, "number")?;
    text.trim_start_matches(|c: char| c.is_ascii_uppercase())
        .parse()
        .with_context(|| format!("{text:?} is not a ticket number"))
}
