//! WebSocket clients of the live feed, as lobby screens and phones are: many at once, each
//! checking that its events arrive in order without a gap.

use futures_util::StreamExt;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::net::TcpStream;
use tokio::sync::Semaphore;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::protocol::WebSocketConfig;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

/// One connected feed client.
pub type Feed = WebSocketStream<MaybeTlsStream<TcpStream>>;

/// What a client saw of the feed after connecting.
#[derive(Debug, Default, Clone)]
pub struct Seen {
    /// When each `ticket.called` event arrived, in order.
    pub called: Vec<Instant>,
    /// Events whose `seq` was not the one after the previous (a silent gap: must never happen).
    pub gaps: usize,
    /// Snapshots after the first (the server resynced a client that fell behind).
    pub resyncs: usize,
}

/// The `"seq":N` of a message, read without parsing the whole JSON (thousands of clients share
/// the benchmark's two cores with the server).
fn seq_of(text: &str) -> Option<u64> {
    let start = text.find("\"seq\":")? + 6;
    let digits: String = text[start..]
        .trim_start()
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    digits.parse().ok()
}

/// The read buffer of one benchmark client. The library's default, 128 KiB, is zeroed on every
/// read: with 5,000 clients that is over a gigabyte of `memset` per call, on the cores the
/// measured server needs (a profile showed a fifth of the machine's time in it). The feed's
/// frames are a few hundred bytes.
const CLIENT_READ_BUFFER: usize = 4 * 1024;

/// Opens `count` feed connections to `url`, at most 200 handshakes at a time (the listen
/// backlog is finite), each read up to its first snapshot. Answers the clients and the
/// snapshot's sequence number of each.
pub async fn connect_many(url: &str, count: usize) -> anyhow::Result<Vec<(Feed, u64)>> {
    let gate = Arc::new(Semaphore::new(200));
    let mut tasks = Vec::with_capacity(count);
    for _ in 0..count {
        let gate = gate.clone();
        let url = url.to_owned();
        tasks.push(tokio::spawn(async move {
            let _permit = gate.acquire().await?;
            let config = WebSocketConfig::default().read_buffer_size(CLIENT_READ_BUFFER);
            let (mut ws, _) =
                tokio_tungstenite::connect_async_with_config(&url, Some(config), false).await?;
            let seq = loop {
                match tokio::time::timeout(Duration::from_secs(30), ws.next()).await {
                    Ok(Some(Ok(Message::Text(text)))) => break seq_of(&text).unwrap_or(0),
                    Ok(Some(Ok(_))) => {}
                    _ => anyhow::bail!("no snapshot"),
                }
            };
            anyhow::Ok((ws, seq))
        }));
    }
    let mut clients = Vec::with_capacity(count);
    for task in tasks {
        clients.push(task.await??);
    }
    Ok(clients)
}

/// Reads a client's feed until `calls` `ticket.called` events arrived, or until `patience`
/// has passed in all; records what it saw. One deadline for the whole watch, not a timer per
/// message: five thousand clients share the machine with the server they measure.
///
/// Answers the connection too, still open: the caller closes all of them once every client has
/// seen every call. (A client that hung up as soon as it had the last call would load the two
/// cores with closing handshakes while the others still wait for that call, and the last call
/// would measure the hang-ups.)
pub async fn watch(
    mut ws: Feed,
    mut last_seq: u64,
    calls: usize,
    patience: Duration,
) -> (Seen, Feed) {
    let mut seen = Seen::default();
    let watching = async {
        while seen.called.len() < calls {
            let message = match ws.next().await {
                Some(Ok(Message::Text(text))) => text,
                Some(Ok(_)) => continue,
                _ => break,
            };
            let arrived = Instant::now();
            let Some(seq) = seq_of(&message) else {
                continue;
            };
            if message.contains("\"type\":\"snapshot\"") {
                seen.resyncs += 1;
            } else if seq != last_seq + 1 {
                seen.gaps += 1;
            }
            last_seq = seq;
            if message.contains("\"type\":\"ticket.called\"") {
                seen.called.push(arrived);
            }
        }
    };
    let _ = tokio::time::timeout(patience, watching).await;
    (seen, ws)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sequence_number_is_read_from_the_text() {
        assert_eq!(
            seq_of(r#"{"type":"ticket.called","seq":1234,"at":"x"}"#),
            Some(1234)
        );
        assert_eq!(seq_of(r#"{"seq": 7}"#), Some(7));
        assert_eq!(seq_of(r#"{"type":"x"}"#), None);
    }
}
