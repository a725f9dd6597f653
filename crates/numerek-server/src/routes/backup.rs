//! `GET /api/v1/admin/backup` (admin): a consistent copy of the database while the office runs.
//!
//! The store copies every table from one read transaction into a new database file in the data
//! directory (the writer goes on committing meanwhile), unlinks it and hands over the open file,
//! which is then streamed. The answer is a redb file: put it in place as the data directory's
//! `numerek.redb` and start numerek to restore it (`docs/operations.md`). One backup runs at a
//! time; another waits for its turn. The copy may take longer than the usual request time
//! limit for a large database, so this route is exempt from it.

use crate::error::{ApiError, ApiResult};
use crate::openapi::answers::BackupUnavailable;
use crate::openapi::tag;
use crate::state::AppState;
use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use std::sync::Arc;
use tokio::io::AsyncReadExt;
use tokio::sync::{Semaphore, SemaphorePermit};

/// The route's path, exempt from the request time limit.
pub const PATH: &str = "/api/v1/admin/backup";

/// The size of the chunks the copy is sent in.
const CHUNK_BYTES: usize = 64 * 1024;

/// One backup at a time: each needs as much free disk as the database.
static TURN: Semaphore = Semaphore::const_new(1);

/// `GET /api/v1/admin/backup` → `200` with the database copy (`application/octet-stream`,
/// `Content-Length`, a file name with the office day and the last event's sequence number);
/// `503 storage_unavailable` when the copy cannot be made.
#[utoipa::path(
    get, path = PATH, operation_id = "backup", tag = tag::ADMIN,
    summary = "A consistent copy of the database",
    description = "Copies every table from one read transaction (a consistent moment; the office \
        goes on meanwhile) into a new redb file and sends it. Restore: stop numerek, put the \
        file in place as the data directory's `numerek.redb`, start numerek (an older copy is \
        migrated at start). One backup at a time; another waits for its turn. Not subject to the \
        30 s request time limit. See docs/operations.md.",
    responses(
        (
            status = 200,
            description = "The database copy, with its length and a file name naming the office \
                day and the last event's sequence number.",
            content_type = "application/octet-stream", body = Vec<u8>,
            headers(
                ("Content-Disposition" = String,
                    description = "`attachment; filename=\"numerek-YYYY-MM-DD-seqN.redb\"`."),
                ("Content-Length" = u64, description = "The copy's size in bytes."),
            ),
        ),
        BackupUnavailable,
    ),
)]
pub async fn backup(State(state): State<Arc<AppState>>) -> ApiResult<Response> {
    let turn = TURN.acquire().await.map_err(|e| ApiError::internal(&e))?;
    let store = state.store.clone();
    let (file, summary) = tokio::task::spawn_blocking(move || store.backup())
        .await
        .map_err(|e| ApiError::internal(&e))?
        .map_err(|error| {
            tracing::error!(%error, "backup failed");
            ApiError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "storage_unavailable",
                "the backup could not be written (is the disk full?); nothing was changed",
            )
        })?;
    let length = file.metadata().map_err(|e| ApiError::internal(&e))?.len();
    tracing::info!(
        seq = summary.seq,
        tickets = summary.tickets,
        bytes = length,
        "backup made"
    );
    let name = format!(
        "attachment; filename=\"numerek-{}-seq{}.redb\"",
        summary.office_date, summary.seq
    );
    let body = Body::from_stream(chunks(tokio::fs::File::from_std(file), turn));
    let mut response = (StatusCode::OK, body).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/octet-stream"),
    );
    headers.insert(header::CONTENT_LENGTH, HeaderValue::from(length));
    if let Ok(value) = HeaderValue::from_str(&name) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    Ok(response)
}

/// The file's bytes in chunks; the turn is held until the last is sent (or the client left).
fn chunks(
    file: tokio::fs::File,
    turn: SemaphorePermit<'static>,
) -> impl futures_util::Stream<Item = std::io::Result<Bytes>> {
    futures_util::stream::unfold(Some((file, turn)), |state| async move {
        let (mut file, turn) = state?;
        let mut buffer = vec![0; CHUNK_BYTES];
        match file.read(&mut buffer).await {
            Ok(0) => None,
            Ok(n) => {
                buffer.truncate(n);
                Some((Ok(Bytes::from(buffer)), Some((file, turn))))
            }
            Err(error) => {
                tracing::error!(%error, "backup could not be read back");
                Some((Err(error), None))
            }
        }
    })
}
