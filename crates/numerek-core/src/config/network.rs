//! The network facts of the office file: web origins (`public_url`, `allowed_origins`) and
//! address ranges (`trusted_proxies`). Pure parsing and comparison; the server applies them.

use std::fmt;
use std::net::IpAddr;

/// A web origin, `scheme://host[:port]`, in one normal form so that two spellings of the same
/// origin compare equal: scheme and host in lower case, the scheme's default port left out
/// (`HTTP://Kolejka.example.pl:80` is `http://kolejka.example.pl`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Origin(String);

impl Origin {
    /// Parses an origin as browsers send it in an `Origin` header (or as an office file writes
    /// `public_url`): `http` or `https`, a host name, IPv4 address or bracketed IPv6 address,
    /// and an optional port; nothing after it (a single trailing `/` is forgiven). `None` for
    /// anything else, the `null` origin of sandboxed pages included.
    pub fn parse(text: &str) -> Option<Self> {
        let text = text.trim();
        let text = text.strip_suffix('/').unwrap_or(text);
        let (scheme, rest) = text.split_once("://")?;
        let scheme = scheme.to_ascii_lowercase();
        let default_port = match scheme.as_str() {
            "http" => "80",
            "https" => "443",
            _ => return None,
        };
        let (host, port) = split_host_port(rest)?;
        let host = host.to_ascii_lowercase();
        let port = match port {
            Some(port) if port != default_port => format!(":{port}"),
            _ => String::new(),
        };
        Some(Self(format!("{scheme}://{host}{port}")))
    }

    /// The origin of a request as the server sees it: `scheme` (`http`, or what a trusted proxy
    /// says) and the `Host` header's value.
    pub fn of_request(scheme: &str, host: &str) -> Option<Self> {
        Self::parse(&format!("{scheme}://{host}"))
    }

    /// The normal form, `https://kolejka.example.pl`.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Splits `host[:port]` (or `[v6]:port`), checking that the host is a host name or an IP
/// address and the port a number from 1 to 65535.
fn split_host_port(text: &str) -> Option<(&str, Option<&str>)> {
    let (host, port) = if let Some(rest) = text.strip_prefix('[') {
        let (literal, after) = rest.split_once(']')?;
        literal.parse::<std::net::Ipv6Addr>().ok()?;
        let port = match after {
            "" => None,
            other => Some(other.strip_prefix(':')?),
        };
        (&text[..literal.len() + 2], port)
    } else {
        match text.split_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (text, None),
        }
    };
    let host_ok = host.starts_with('[')
        || (!host.is_empty()
            && host.len() <= 253
            && host
                .split('.')
                .all(|label| !label.is_empty() && label.len() <= 63)
            && host
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.'));
    let port_ok = port.is_none_or(|port| {
        !port.is_empty()
            && port.len() <= 5
            && port.bytes().all(|b| b.is_ascii_digit())
            && port.parse::<u16>().is_ok_and(|p| p > 0)
    });
    (host_ok && port_ok).then_some((host, port))
}

/// An IP address or a block of them (`10.0.0.0/8`, `fd00::/8`), as `trusted_proxies` lists them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AddressRange {
    /// The first address of the block.
    network: IpAddr,
    /// How many leading bits must match.
    prefix: u8,
}

impl AddressRange {
    /// Parses `ADDRESS` or `ADDRESS/PREFIX`; the address must be the block's first (host bits
    /// zero), so `10.1.2.3/8` (a likely typo) is refused rather than silently widened.
    pub fn parse(text: &str) -> Option<Self> {
        let (address, prefix) = match text.trim().split_once('/') {
            Some((address, prefix)) => (address, Some(prefix)),
            None => (text.trim(), None),
        };
        let network: IpAddr = address.parse().ok()?;
        let bits = if network.is_ipv4() { 32 } else { 128 };
        let prefix = match prefix {
            None => bits,
            Some(prefix) if !prefix.is_empty() && prefix.bytes().all(|b| b.is_ascii_digit()) => {
                prefix.parse::<u8>().ok().filter(|p| *p <= bits)?
            }
            Some(_) => return None,
        };
        let range = Self { network, prefix };
        // The network address itself, with its host bits zero.
        (range.masked(network) == bits_of(network)).then_some(range)
    }

    /// Whether `address` is in the block. An IPv4 address written as IPv6 (`::ffff:10.0.0.1`,
    /// as a dual-stack listener reports it) counts as the IPv4 address.
    pub fn contains(&self, address: IpAddr) -> bool {
        let address = address.to_canonical();
        match (self.network, address) {
            (IpAddr::V4(_), IpAddr::V4(_)) | (IpAddr::V6(_), IpAddr::V6(_)) => {
                self.masked(address) == self.masked(self.network)
            }
            _ => false,
        }
    }

    fn masked(&self, address: IpAddr) -> u128 {
        let bits: u32 = if address.is_ipv4() { 32 } else { 128 };
        let prefix = u32::from(self.prefix);
        if prefix == 0 {
            return 0;
        }
        let mask = (u128::MAX << (bits - prefix.min(bits))) & (u128::MAX >> (128 - bits));
        bits_of(address) & mask
    }
}

fn bits_of(address: IpAddr) -> u128 {
    match address {
        IpAddr::V4(v4) => u128::from(u32::from(v4)),
        IpAddr::V6(v6) => u128::from(v6),
    }
}

impl fmt::Display for AddressRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let bits = if self.network.is_ipv4() { 32 } else { 128 };
        if self.prefix == bits {
            write!(f, "{}", self.network)
        } else {
            write!(f, "{}/{}", self.network, self.prefix)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins_compare_in_one_normal_form() {
        let same = [
            "https://kolejka.example.pl",
            "HTTPS://Kolejka.Example.PL",
            "https://kolejka.example.pl:443",
            "https://kolejka.example.pl/",
        ];
        for text in same {
            assert_eq!(
                Origin::parse(text).map(|o| o.to_string()).as_deref(),
                Some("https://kolejka.example.pl"),
                "{text}"
            );
        }
        assert_eq!(
            Origin::parse("http://192.168.1.10:8080").unwrap().as_str(),
            "http://192.168.1.10:8080"
        );
        assert_eq!(
            Origin::parse("http://[fd00::1]:80").unwrap().as_str(),
            "http://[fd00::1]"
        );
        assert_eq!(
            Origin::of_request("http", "127.0.0.1:8080"),
            Origin::parse("http://127.0.0.1:8080")
        );
        assert_ne!(
            Origin::parse("http://kolejka.example.pl"),
            Origin::parse("https://kolejka.example.pl")
        );
        for bad in [
            "null",
            "",
            "kolejka.example.pl",
            "ftp://kolejka.example.pl",
            "https://",
            "https://kolejka.example.pl/path",
            "https://user@kolejka.example.pl",
            "https://kolejka.example.pl:0",
            "https://kolejka.example.pl:65536",
            "https://kolejka..pl",
            "https://[zz::1]",
            "https://a b",
        ] {
            assert_eq!(Origin::parse(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn address_ranges_hold_their_addresses_only() {
        let one = AddressRange::parse("10.0.0.5").unwrap();
        assert!(one.contains("10.0.0.5".parse().unwrap()));
        assert!(!one.contains("10.0.0.6".parse().unwrap()));
        assert!(one.contains("::ffff:10.0.0.5".parse().unwrap()));
        let block = AddressRange::parse("10.0.0.0/8").unwrap();
        assert!(block.contains("10.255.1.2".parse().unwrap()));
        assert!(!block.contains("11.0.0.1".parse().unwrap()));
        assert!(!block.contains("::1".parse().unwrap()));
        let v6 = AddressRange::parse("fd00::/8").unwrap();
        assert!(v6.contains("fd12::1".parse().unwrap()));
        assert!(!v6.contains("fe80::1".parse().unwrap()));
        let all = AddressRange::parse("0.0.0.0/0").unwrap();
        assert!(all.contains("203.0.113.9".parse().unwrap()));
        assert_eq!(block.to_string(), "10.0.0.0/8");
        assert_eq!(one.to_string(), "10.0.0.5");
        for bad in [
            "",
            "10.0.0",
            "10.1.2.3/8",
            "10.0.0.0/33",
            "10.0.0.0/",
            "10.0.0.0/x",
            "fd00::1/8",
            "host",
        ] {
            assert_eq!(AddressRange::parse(bad), None, "{bad:?}");
        }
    }
}
