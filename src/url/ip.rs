//! IP address hosts, as Safe Browsing reads them.

use std::net::{Ipv4Addr, Ipv6Addr};

/// Canonical dotted-decimal form of an IPv4 host written the ways legacy resolvers accept:
/// 1 to 4 parts, each decimal, octal (leading `0`) or hexadecimal (`0x`); the last part fills the
/// remaining bytes (`3279880203`, `276.2.3`). `None` when `host` is not such an address (then it
/// is a host name).
///
/// Follows `parseIPAddress` of github.com/google/safebrowsing `urls.go`, with two choices where
/// the Go and the original Python (2010) implementations disagree, both from the Python one and
/// pinned by `tests/url_vectors.rs`:
/// - a number wider than 32 bits is truncated to its low 32 bits (`0x10000000b` -> `0.0.0.11`;
///   Go rejects it);
/// - if a leading-zero part is not valid octal (`089`), every leading-zero part is read as
///   decimal (`012.0xA0.01.089` -> `12.160.1.89`; Go rejects it).
///
/// The Windows resolver rule is kept: a 4-part dotted-decimal address followed by a space and
/// anything, 15 characters in all at most, is that address (`10.192.95.89 xy`).
pub fn parse_ipv4(host: &str) -> Option<String> {
    let mut host = host;
    if host.len() <= 15 {
        if let Some(sp) = host.find(' ') {
            let head = host.get(..sp).unwrap_or_default();
            let parts: Vec<&str> = head.split('.').collect();
            if parts.len() == 4
                && parts
                    .iter()
                    .all(|p| (1..=3).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit()))
            {
                host = head;
            }
        }
    }
    if host.is_empty() || !possible_ip(host.as_bytes()) {
        return None;
    }
    let parts: Vec<&str> = host.split('.').collect();
    if parts.len() > 4 {
        return None;
    }
    let octal_ok = !parts.iter().any(|p| {
        let b = p.as_bytes();
        b.len() > 1
            && b.first() == Some(&b'0')
            && !matches!(b.get(1), Some(b'x' | b'X'))
            && b.iter().any(|&c| c == b'8' || c == b'9')
    });
    let mut out = [0u8; 4];
    let mut at = 0;
    for (i, part) in parts.iter().enumerate() {
        let v = parse_num(part, octal_ok)?;
        if i + 1 == parts.len() {
            let n = 5 - parts.len();
            for k in (0..n).rev() {
                let byte = (v >> (8 * k)) & 0xff;
                *out.get_mut(at)? = byte as u8;
                at += 1;
            }
        } else {
            *out.get_mut(at)? = (v & 0xff) as u8;
            at += 1;
        }
    }
    Some(Ipv4Addr::from(out).to_string())
}

/// `^(?i)((?:0x[0-9a-f]+|[0-9\.])+)$` without a regex.
fn possible_ip(s: &[u8]) -> bool {
    let mut i = 0;
    while i < s.len() {
        let c = s.get(i).copied().unwrap_or(0);
        if c == b'0'
            && matches!(s.get(i + 1), Some(b'x' | b'X'))
            && s.get(i + 2).is_some_and(|h| h.is_ascii_hexdigit())
        {
            i += 2;
            while s.get(i).is_some_and(|h| h.is_ascii_hexdigit()) {
                i += 1;
            }
        } else if c.is_ascii_digit() || c == b'.' {
            i += 1;
        } else {
            return false;
        }
    }
    true
}

/// One part: `0x` hex, leading-`0` octal (when allowed) or decimal, modulo 2^32.
fn parse_num(s: &str, octal_ok: bool) -> Option<u32> {
    let b = s.as_bytes();
    let (digits, radix) = match b {
        [b'0', b'x' | b'X', rest @ ..] => (rest, 16),
        [b'0', rest @ ..] if !rest.is_empty() && octal_ok => (rest, 8),
        _ => (b, 10),
    };
    if digits.is_empty() {
        return None;
    }
    let mut v: u32 = 0;
    for &d in digits {
        let x = (d as char).to_digit(radix)?;
        v = v.wrapping_mul(radix).wrapping_add(x);
    }
    Some(v)
}

/// Canonical form of an IPv6 literal (without brackets): RFC 5952 text in brackets; IPv4-mapped
/// (`::ffff:0:0/96`) and NAT64 (`64:ff9b::/96`) addresses become their IPv4 address, as the Safe
/// Browsing v5 rules say; IPv4-compatible addresses (`::a.b.c.d`) keep the dotted tail as the v4
/// test list expects. `None` when not an IPv6 address.
pub fn canonical_ipv6(literal: &str) -> Option<String> {
    let addr: Ipv6Addr = literal.parse().ok()?;
    let seg = addr.segments();
    let tail = Ipv4Addr::new(
        (seg[6] >> 8) as u8,
        seg[6] as u8,
        (seg[7] >> 8) as u8,
        seg[7] as u8,
    );
    let head = [seg[0], seg[1], seg[2], seg[3], seg[4], seg[5]];
    if head == [0, 0, 0, 0, 0, 0xffff] || head == [0x64, 0xff9b, 0, 0, 0, 0] {
        return Some(tail.to_string());
    }
    if head == [0; 6] && u32::from(tail) > 1 {
        return Some(format!("[::{tail}]"));
    }
    Some(format!("[{addr}]"))
}
