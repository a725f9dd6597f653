//! The rate limits: ticket issuing (and checking in) per kiosk token, and public booking per
//! client address. Both are token buckets ([`IssueLimiter`]).
//!
//! Tickets: a token bucket per kiosk token, so that a script holding a kiosk's token (or a
//! finger on a kiosk) cannot take a category's whole daily limit at once.
//!
//! The office file's `kiosk_rate_per_min = N` (default
//! [`numerek_core::config::DEFAULT_KIOSK_RATE_PER_MIN`]) gives each kiosk token a bucket of `N`
//! tickets that refills at `N` a minute: a burst of `N` after a quiet minute, then one every
//! `60 / N` seconds. An attempt over the limit answers `429 rate_limited` with `Retry-After`.
//! Every attempt by a kiosk token counts, whether it then succeeds or is refused for its form,
//! category or state. Admin tokens are not limited: an admin (an integration, the simulator) can
//! do far more than take tickets, and is trusted with it.
//!
//! Time comes from the store's clock, so tests move it by hand instead of sleeping. The bucket is
//! kept as its "theoretical arrival time" (the generic cell rate algorithm, an exact integer form
//! of the token bucket): the instant at which it would be full again.

use crate::auth::Caller;
use crate::error::ApiError;
use crate::state::AppState;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use jiff::Timestamp;
use numerek_store::{Role, TokenRecord};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// Nanoseconds in a minute.
const MINUTE_NS: i128 = 60_000_000_000;
/// Nanoseconds in an hour.
const HOUR_NS: i128 = 60 * MINUTE_NS;
/// Nanoseconds in a second.
const SECOND_NS: i128 = 1_000_000_000;
/// Beyond this many buckets, full ones (nothing to remember) are dropped at the next check.
const PRUNE_ABOVE: usize = 1024;

/// Token buckets, one per key (a kiosk token's id, a client address): `rate` a period, and a
/// burst of as many.
#[derive(Debug)]
pub struct IssueLimiter {
    /// Attempts a period per key, and the burst size; `None`: no limit.
    rate: Option<u32>,
    /// The period the rate is counted in, in nanoseconds.
    period_ns: i128,
    /// Per key: the instant (ns since the epoch) at which its bucket is full again.
    full_at: Mutex<HashMap<String, i128>>,
}

impl IssueLimiter {
    /// A limiter of `rate_per_min` tickets a minute per token (`None`: unlimited).
    pub fn new(rate_per_min: Option<u32>) -> Self {
        Self {
            rate: rate_per_min,
            period_ns: MINUTE_NS,
            full_at: Mutex::new(HashMap::new()),
        }
    }

    /// A limiter of `rate_per_hour` attempts an hour per key (`None`: unlimited).
    pub fn per_hour(rate_per_hour: Option<u32>) -> Self {
        Self {
            rate: rate_per_hour,
            period_ns: HOUR_NS,
            full_at: Mutex::new(HashMap::new()),
        }
    }

    /// Takes one ticket from `token`'s bucket at `now`; when it is empty, answers how many whole
    /// seconds until one is there again (at least 1).
    ///
    /// # Errors
    /// The wait, when the bucket is empty.
    pub fn take(&self, token: &str, now: Timestamp) -> Result<(), u64> {
        let Some(rate) = self.rate.filter(|rate| *rate > 0) else {
            return Ok(());
        };
        // One ticket's worth of time, and the time a full bucket holds.
        let interval = self.period_ns / i128::from(rate);
        let capacity = interval * i128::from(rate);
        let now = now.as_nanosecond();
        let mut buckets = self.full_at.lock().unwrap_or_else(|e| e.into_inner());
        if buckets.len() > PRUNE_ABOVE {
            buckets.retain(|_, full_at| *full_at > now);
        }
        let full_at = buckets.get(token).copied().unwrap_or(now);
        // max: a bucket full in the past is simply full. min: a clock set back cannot leave a
        // bucket emptier than empty (it would otherwise stay shut for as long as the clock went
        // back).
        let full_at = full_at.max(now).min(now + capacity);
        let after = full_at + interval;
        if after - now > capacity {
            buckets.insert(token.to_owned(), full_at);
            let wait = after - capacity - now;
            let seconds = (wait + SECOND_NS - 1) / SECOND_NS;
            return Err(u64::try_from(seconds).unwrap_or(u64::MAX).max(1));
        }
        buckets.insert(token.to_owned(), after);
        Ok(())
    }
}

/// The `429 rate_limited` answer of a kiosk, with `Retry-After` in seconds.
pub fn rate_limited(retry_after_s: u64) -> Response {
    too_many(
        retry_after_s,
        format!("this kiosk takes tickets too fast; try again in {retry_after_s} s"),
    )
}

/// A `429 rate_limited` answer saying `message`, with `Retry-After` in seconds.
pub fn too_many(retry_after_s: u64, message: String) -> Response {
    let mut response =
        ApiError::new(StatusCode::TOO_MANY_REQUESTS, "rate_limited", message).into_response();
    response
        .headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from(retry_after_s));
    response
}

/// A token that may take a ticket now: a kiosk token within its rate, or an admin token. Runs
/// after authentication and the role (401, 403) and before the body (415, 413, 400), so that a
/// flood of attempts is cut short whatever it sends.
#[derive(Debug)]
pub struct Issuer {
    /// The caller's token.
    pub token: TokenRecord,
}

impl FromRequestParts<Arc<AppState>> for Issuer {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &Arc<AppState>,
    ) -> Result<Self, Self::Rejection> {
        let Caller(token) = Caller::from_request_parts(parts, state)
            .await
            .map_err(IntoResponse::into_response)?;
        if token.role == Role::Kiosk {
            let now = state.store.clock().now();
            state
                .issue_limit
                .take(&token.id, now)
                .map_err(rate_limited)?;
        }
        Ok(Self { token })
    }
}

/// Who books: a staff token (a clerk, manager or admin booking for a caller: not limited), or
/// the public, within `office.booking_rate_per_hour` per client address. Runs before the body
/// (415, 413, 400), so that a flood of attempts is cut short whatever it sends; every attempt
/// counts, whatever its outcome.
#[derive(Debug)]
pub struct Booker {
    /// The staff token, if a valid one of clerk or up came with the request.
    pub staff: Option<TokenRecord>,
}

impl FromRequestParts<Arc<AppState>> for Booker {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &Arc<AppState>,
    ) -> Result<Self, Self::Rejection> {
        let staff = crate::auth::bearer_token(&parts.headers, state)
            .filter(|token| token.role.allows(Role::Clerk));
        if staff.is_none() {
            let client = parts.extensions.get::<crate::client::Client>().copied();
            let key = booking_key(client.map(|c| c.address));
            let now = state.store.clock().now();
            state.booking_limit.take(&key, now).map_err(|wait| {
                too_many(
                    wait,
                    format!(
                        "too many bookings from this address; try again in {} min",
                        wait.div_ceil(60)
                    ),
                )
            })?;
        }
        Ok(Self { staff })
    }
}

/// The bucket of a client address: an IPv4 address alone, an IPv6 address by its /64 (one
/// household or machine is given a whole /64, so counting single IPv6 addresses would limit
/// nothing). A request without an address (in-process, in tests) shares one bucket.
pub fn booking_key(address: Option<std::net::IpAddr>) -> String {
    match address.map(|a| a.to_canonical()) {
        Some(std::net::IpAddr::V4(v4)) => v4.to_string(),
        Some(std::net::IpAddr::V6(v6)) => {
            let s = v6.segments();
            format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
        }
        None => "unknown".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(seconds: f64) -> Timestamp {
        Timestamp::from_nanosecond((seconds * 1e9) as i128).unwrap()
    }

    #[test]
    fn a_full_bucket_gives_its_burst_then_one_per_interval() {
        let limiter = IssueLimiter::new(Some(3));
        for _ in 0..3 {
            assert_eq!(limiter.take("k", at(100.0)), Ok(()));
        }
        // 3 a minute: the next one is there 20 s later.
        assert_eq!(limiter.take("k", at(100.0)), Err(20));
        assert_eq!(limiter.take("k", at(119.5)), Err(1));
        assert_eq!(limiter.take("k", at(120.0)), Ok(()));
        assert_eq!(limiter.take("k", at(120.0)), Err(20));
        // Another token has its own bucket.
        assert_eq!(limiter.take("other", at(120.0)), Ok(()));
        // A quiet minute fills the bucket again, and no more than that.
        for _ in 0..3 {
            assert_eq!(limiter.take("k", at(1000.0)), Ok(()));
        }
        assert!(limiter.take("k", at(1000.0)).is_err());
    }

    #[test]
    fn a_clock_set_back_leaves_the_bucket_at_worst_empty() {
        let limiter = IssueLimiter::new(Some(60));
        for _ in 0..60 {
            assert_eq!(limiter.take("k", at(10_000.0)), Ok(()));
        }
        // An hour back: one second until the next ticket, not an hour.
        assert_eq!(limiter.take("k", at(6_400.0)), Err(1));
        assert_eq!(limiter.take("k", at(6_401.0)), Ok(()));
    }

    #[test]
    fn bookings_are_counted_by_the_hour_and_by_address() {
        let limiter = IssueLimiter::per_hour(Some(10));
        for _ in 0..10 {
            assert_eq!(limiter.take("127.0.0.1", at(0.0)), Ok(()));
        }
        // 10 an hour: the next one is there 6 minutes later.
        assert_eq!(limiter.take("127.0.0.1", at(0.0)), Err(360));
        assert_eq!(limiter.take("127.0.0.2", at(0.0)), Ok(()));
        assert_eq!(limiter.take("127.0.0.1", at(360.0)), Ok(()));
    }

    #[test]
    fn an_ipv6_client_is_counted_by_its_64() {
        let a: std::net::IpAddr = "2001:db8:1:2::7".parse().unwrap();
        let b: std::net::IpAddr = "2001:db8:1:2:ffff::1".parse().unwrap();
        let c: std::net::IpAddr = "2001:db8:1:3::7".parse().unwrap();
        assert_eq!(booking_key(Some(a)), booking_key(Some(b)));
        assert_ne!(booking_key(Some(a)), booking_key(Some(c)));
        let mapped: std::net::IpAddr = "::ffff:127.0.0.1".parse().unwrap();
        assert_eq!(booking_key(Some(mapped)), "127.0.0.1");
    }

    #[test]
    fn without_a_rate_nothing_is_limited() {
        let limiter = IssueLimiter::new(None);
        for _ in 0..10_000 {
            assert_eq!(limiter.take("k", at(0.0)), Ok(()));
        }
    }
}
