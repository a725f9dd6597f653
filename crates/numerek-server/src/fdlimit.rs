//! The open-file limit: every connection is an open file, and so are the database, a backup's
//! copy and the log. The server raises its limit to the most the system allows at start and
//! lets connections take at most [`CONNECTION_SHARE_PERCENT`] % of it, so that a flood of
//! connections never leaves it unable to open its own files or to accept (and refuse) more.

use rustix::process::{Resource, Rlimit, getrlimit, setrlimit};

/// The share of the open-file limit connections may take; the rest is kept for the server's
/// own files and for accepting a connection only to close it.
pub const CONNECTION_SHARE_PERCENT: u64 = 90;

/// A limit used when the system reports none (unlimited).
const UNLIMITED: u64 = 1 << 20;

/// The open-file limit now (the soft limit).
pub fn open_file_limit() -> u64 {
    getrlimit(Resource::Nofile).current.unwrap_or(UNLIMITED)
}

/// Raises the soft open-file limit to the hard one, and answers the limit in force after it
/// (the old one when it cannot be raised).
///
/// # Errors
/// When the system refuses the new limit.
pub fn raise_open_file_limit() -> std::io::Result<u64> {
    let limit = getrlimit(Resource::Nofile);
    if limit.current.is_some() && limit.current != limit.maximum {
        setrlimit(
            Resource::Nofile,
            Rlimit {
                current: limit.maximum,
                maximum: limit.maximum,
            },
        )?;
    }
    Ok(open_file_limit())
}

/// How many connections fit in an open-file limit of `limit`: [`CONNECTION_SHARE_PERCENT`] % of
/// it.
pub fn connection_budget(limit: u64) -> usize {
    usize::try_from(limit.saturating_mul(CONNECTION_SHARE_PERCENT) / 100).unwrap_or(usize::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn connections_leave_a_tenth_of_the_open_files() {
        assert_eq!(connection_budget(1024), 921);
        assert_eq!(connection_budget(20_000), 18_000);
        assert_eq!(connection_budget(0), 0);
        assert!(open_file_limit() > 0);
    }
}
