//! The store's errors.

use numerek_core::DomainError;

/// Why the store could not open, read or write.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// Another process (usually a running server) holds the database.
    #[error(
        "the database {0} is in use by another process (is the server running on this data directory?)"
    )]
    AlreadyOpen(String),
    /// The file was written by a newer numerek.
    #[error(
        "the database has schema version {found}, newer than this numerek understands ({supported}); upgrade numerek"
    )]
    SchemaTooNew {
        /// The version found in the file.
        found: u32,
        /// The newest version this build knows.
        supported: u32,
    },
    /// The database holds a table this build does not know, so a copy would leave it out.
    #[error(
        "the database has a table \"{0}\" this numerek does not know; it cannot be copied completely"
    )]
    UnknownTable(String),
    /// A stored value could not be decoded.
    #[error("stored data is damaged: {0}")]
    Corrupt(String),
    /// The database failed.
    #[error("storage error: {0}")]
    Database(#[from] redb::Error),
    /// A file system operation failed.
    #[error("cannot use the data directory: {0}")]
    Io(#[from] std::io::Error),
}

macro_rules! via_redb_error {
    ($($source:ty),*) => {$(
        impl From<$source> for StoreError {
            fn from(error: $source) -> Self {
                Self::Database(error.into())
            }
        }
    )*};
}

via_redb_error!(
    redb::DatabaseError,
    redb::TransactionError,
    redb::TableError,
    redb::StorageError,
    redb::CommitError,
    redb::SetDurabilityError
);

/// Why a command was not carried out.
#[derive(Debug, thiserror::Error)]
pub enum ExecError {
    /// The office refused it; nothing changed.
    #[error(transparent)]
    Domain(#[from] DomainError),
    /// Storage failed (or the store is shutting down); nothing was stored or announced.
    #[error("storage is unavailable")]
    Unavailable,
    /// The token to revoke does not exist.
    #[error("there is no token {0}")]
    UnknownToken(String),
}
