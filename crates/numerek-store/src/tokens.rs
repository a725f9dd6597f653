//! Access tokens. A token is a random secret handed to a device or person once; the store keeps
//! only its SHA-256 (a fast hash is enough for 256 random bits: there is nothing to brute-force).

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::fmt;
use std::str::FromStr;

/// What a token may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Issues tickets only.
    Kiosk,
    /// Works counters (optionally one counter only).
    Clerk,
    /// A clerk who may also read reports.
    Manager,
    /// Everything, including tokens.
    Admin,
}

impl Role {
    /// Every role, from least to most powerful.
    pub const ALL: [Role; 4] = [Role::Kiosk, Role::Clerk, Role::Manager, Role::Admin];

    /// Whether a token of this role may do what `needed` may do.
    pub fn allows(self, needed: Role) -> bool {
        match self {
            Role::Admin => true,
            Role::Manager => matches!(needed, Role::Manager | Role::Clerk),
            Role::Clerk => needed == Role::Clerk,
            Role::Kiosk => needed == Role::Kiosk,
        }
    }

    /// The role's name, as in the API.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Kiosk => "kiosk",
            Role::Clerk => "clerk",
            Role::Manager => "manager",
            Role::Admin => "admin",
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The text is not a role.
#[derive(Debug, Clone, thiserror::Error)]
#[error("unknown role \"{0}\": use kiosk, clerk, manager or admin")]
pub struct UnknownRole(pub String);

impl FromStr for Role {
    type Err = UnknownRole;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Role::ALL
            .into_iter()
            .find(|role| role.as_str() == s)
            .ok_or_else(|| UnknownRole(s.to_owned()))
    }
}

/// A stored token: everything but the secret.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokenRecord {
    /// Public id, used to list and revoke it.
    pub id: String,
    /// What it may do.
    pub role: Role,
    /// Free text saying where it is used ("kiosk at the entrance").
    pub label: Option<String>,
    /// For a clerk token: the only counter it may work.
    pub counter: Option<String>,
    /// When it was made.
    pub created_at: Timestamp,
    /// SHA-256 of the secret, hex.
    pub secret_sha256: String,
}

/// A freshly made token: its record and the secret, which exists only here and in the answer to
/// whoever asked for it.
#[derive(Clone)]
pub struct NewToken {
    /// What is stored.
    pub record: TokenRecord,
    /// The bearer secret.
    pub secret: String,
}

impl fmt::Debug for NewToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("NewToken")
            .field("record", &self.record)
            .field("secret", &"<hidden>")
            .finish()
    }
}

impl NewToken {
    /// Makes a token with a 256-bit random secret.
    ///
    /// # Errors
    /// When the operating system has no randomness to give (then no token can be made safely).
    pub fn generate(
        role: Role,
        label: Option<String>,
        counter: Option<String>,
        now: Timestamp,
    ) -> Result<Self, getrandom::Error> {
        let mut secret = [0u8; 32];
        getrandom::fill(&mut secret)?;
        let mut id = [0u8; 9];
        getrandom::fill(&mut id)?;
        let secret = format!("nmk_{}", URL_SAFE_NO_PAD.encode(secret));
        Ok(Self {
            record: TokenRecord {
                id: URL_SAFE_NO_PAD.encode(id),
                role,
                label,
                counter,
                created_at: now,
                secret_sha256: hex(&hash_secret(&secret)),
            },
            secret,
        })
    }
}

/// SHA-256 of a bearer secret.
pub fn hash_secret(secret: &str) -> [u8; 32] {
    Sha256::digest(secret.as_bytes()).into()
}

/// Lower-case hex.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_nest_as_the_spec_says() {
        assert!(Role::Admin.allows(Role::Kiosk));
        assert!(Role::Manager.allows(Role::Clerk));
        assert!(!Role::Manager.allows(Role::Kiosk));
        assert!(!Role::Manager.allows(Role::Admin));
        assert!(!Role::Clerk.allows(Role::Manager));
        assert!(!Role::Kiosk.allows(Role::Clerk));
        assert_eq!("clerk".parse::<Role>().unwrap(), Role::Clerk);
        assert!("root".parse::<Role>().is_err());
    }

    #[test]
    fn secrets_are_random_and_only_their_hash_is_kept() {
        let now = Timestamp::UNIX_EPOCH;
        let a = NewToken::generate(Role::Kiosk, None, None, now).unwrap();
        let b = NewToken::generate(Role::Kiosk, None, None, now).unwrap();
        assert_ne!(a.secret, b.secret);
        assert!(a.secret.len() >= 4 + 43);
        assert_eq!(a.record.secret_sha256, hex(&hash_secret(&a.secret)));
        assert!(!format!("{a:?}").contains(&a.secret));
    }
}
