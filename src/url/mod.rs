//! URL canonicalisation (Google Safe Browsing) and host-suffix x path-prefix expressions.
//!
//! A listed URL is stored as the keyed digests of its expressions; a screened URL matches when any
//! of its (at most [`MAX_EXPRESSIONS`]) expressions is listed. Listing `evil.example/` blocks the
//! whole domain and its subdomains, `evil.example/phish/` a subtree, `evil.example/a.html?x=1` one
//! page.
//!
//! ```
//! use hashscreen::url;
//! let canonical = url::canonicalize("hxxps://WWW.Evil[.]Example:443/a/./b/../login.php?id=1#top")?;
//! assert_eq!(canonical, "https://www.evil.example/a/login.php?id=1");
//! let expressions = url::expressions(&canonical);
//! assert!(expressions.contains(&"evil.example/".to_string()));
//! assert!(expressions.contains(&"www.evil.example/a/".to_string()));
//! # Ok::<(), hashscreen::Error>(())
//! ```
//!
//! # Canonicalisation
//! 1. **Length cap** [`MAX_URL_BYTES`] ([`Error::InputTooLarge`]).
//! 2. **Refang** (our addition, before anything else): `hxxp`/`hxxps` schemes (any case) become
//!    `http`/`https`; `[.]` `(.)` `{.}` `[dot]` `(dot)` `{dot}` and a spaced ` dot ` become `.`;
//!    `[:]` becomes `:` and `[://]` `://`. Full-width ASCII (U+FF01..U+FF5E) and the ideographic
//!    full stops (U+3002, U+FF61) become ASCII, and default-ignorable code points (zero-width
//!    characters) are removed everywhere: in hosts this is what IDNA mapping does anyway, in paths
//!    it is a choice against evasion (`/cl\u{200B}aim` is read as `/claim`).
//! 3. **Safe Browsing** ("URLs and Hashing", and github.com/google/safebrowsing `urls.go`): drop
//!    the fragment; trim surrounding whitespace; remove tab, CR, LF; percent-unescape repeatedly
//!    until nothing changes, then escape once the bytes <= 0x20, >= 0x7F, `#` and `%`, as
//!    uppercase `%XX` (the disputed row `some%1Bhost.com`: Go writes `%1b`, the Python reference
//!    and the test list `%1B`; we follow the test list); a missing scheme means `http`; the
//!    scheme is lowercased; the query is kept (also when empty: `q?`).
//! 4. **Host**: user info and port removed; a host with non-ASCII characters goes through IDNA
//!    (UTS #46 non-transitional, `idna` crate) to Punycode, a host that is not UTF-8 stays
//!    percent-escaped; runs of dots collapse, leading and trailing dots go; IPv4 in any legacy
//!    notation becomes dotted decimal ([`ip::parse_ipv4`]), IPv6 literals RFC 5952 text, with the
//!    v5 rules for IPv4-mapped and NAT64 addresses; the rest is lowercased (escapes keep
//!    uppercase hex).
//! 5. **Path**: `.` and `..` segments resolved, runs of `/` collapsed, trailing slash kept, empty
//!    path `/` (Go's `path.Clean` rules).
//!
//! Deviations from `urls.go`, each chosen and tested: `host:port/path` without a scheme is read
//! as a host with a port (Go reads `host` as a scheme and rejects the URL); a scheme is
//! lowercased; the unescape loop is a single linear pass (the Go loop is quadratic on
//! `%252525...`) with the same result, since `%XY` patterns cannot overlap.
//!
//! # Expressions
//! Exactly as Safe Browsing specifies: hosts are the exact host and up to 4 suffixes formed from
//! the last 5 components by successively removing the leading one (never the last component
//! alone; an IP address only exactly); paths are the exact path with the query, the exact path,
//! and up to 4 prefixes from `/` adding one component (with trailing slash) at a time. At most
//! 5 x 6 = 30 expressions, each `host + path`, no scheme.
//!
//! URLs are never leet- or confusable-folded: `rn-bank.example` and `m-bank.example` are different
//! hosts, and so are `example.com/login` and `example.com/LOGIN`.
//!
//! # Untrusted input
//! Linear in the input length; capped at [`MAX_URL_BYTES`]; never panics (property-tested).
//!
//! # Speed
//! One scan decides which steps have work; a URL of printable ASCII without `%` or `#` is parsed
//! in place, and [`for_each_expression`] hands out expressions without allocating each. The keyed
//! digests of the expressions cost more than the canonicalisation: a 15-expression URL spends
//! about 0.5 us canonicalising and 1.6 us in expressions and digests (CPU time,
//! `tests/text_speed.rs`).

mod find;
pub mod ip;

pub use find::{find_urls, FindUrls};

use crate::Error;
use core::fmt;
use std::borrow::Cow;

/// Version tag of URL expression digests.
pub const URL_CANON_VERSION: u16 = 1;

/// Largest URL accepted, in bytes (16 KiB; browsers accept longer, phishing URLs are not).
pub const MAX_URL_BYTES: usize = 16 * 1024;

/// Most expressions one URL yields (5 hosts x 6 paths).
pub const MAX_EXPRESSIONS: usize = 30;

/// Why a string is not a URL that can be canonicalised.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum InvalidUrlReason {
    /// No host name (empty input, a bare path, a query or a fragment).
    MissingHost,
    /// A scheme not followed by `//` (`mailto:`, `javascript:`): no host to screen.
    NoAuthority,
    /// `[` opens an IPv6 literal that `]` never closes.
    UnclosedIpv6,
    /// A non-ASCII host name that IDNA (UTS #46) rejects, or whose IDNA form holds URL syntax
    /// (`%`, `@`, `/`, `?`, `#`, `:`, `[`, `]`, `\`), which would read differently a second time.
    InvalidIdn,
}

impl fmt::Display for InvalidUrlReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::MissingHost => "missing host",
            Self::NoAuthority => "scheme without //",
            Self::UnclosedIpv6 => "unclosed IPv6 literal",
            Self::InvalidIdn => "host rejected by IDNA",
        })
    }
}

fn invalid(reason: InvalidUrlReason) -> Error {
    Error::InvalidUrl { reason }
}

/// Safe Browsing canonical form of `url` (after refanging); see the module docs.
///
/// Errors: [`Error::InputTooLarge`], [`Error::InvalidUrl`].
///
/// ```
/// use hashscreen::url::canonicalize;
/// assert_eq!(canonicalize("http://3279880203/blah")?, "http://195.127.0.11/blah");
/// assert_eq!(canonicalize("free-nitro[.]example/claim")?, "http://free-nitro.example/claim");
/// assert_eq!(canonicalize("http://www.ümlat.com/")?, "http://www.xn--mlat-zra.com/");
/// assert!(canonicalize("mailto:someone@example.com").is_err());
/// # Ok::<(), hashscreen::Error>(())
/// ```
pub fn canonicalize(url: &str) -> Result<String, Error> {
    canonicalize_bytes(url.as_bytes())
}

/// [`canonicalize`] for raw bytes, which need not be UTF-8 (bytes that are not UTF-8 end up
/// percent-escaped, as Safe Browsing does).
///
/// ```
/// assert_eq!(hashscreen::url::canonicalize_bytes(b"http://\x01\x80.com/")?, "http://%01%80.com/");
/// # Ok::<(), hashscreen::Error>(())
/// ```
pub fn canonicalize_bytes(url: &[u8]) -> Result<String, Error> {
    if url.len() > MAX_URL_BYTES {
        return Err(Error::InputTooLarge {
            limit: MAX_URL_BYTES,
            found: url.len(),
        });
    }
    let refanged = refang(url);
    let parsed = parse(&refanged)?;
    let mut out = String::with_capacity(refanged.len() + 8);
    out.push_str(&parsed.scheme);
    out.push_str("://");
    out.push_str(&parsed.host);
    out.push_str(&parsed.path);
    if let Some(q) = parsed.query {
        out.push('?');
        out.push_str(&q);
    }
    Ok(out)
}

/// The Safe Browsing host of `url` (as in [`canonicalize`]).
///
/// ```
/// assert_eq!(hashscreen::url::canonical_host("http://google.com.:8080/foo.html")?, "google.com");
/// # Ok::<(), hashscreen::Error>(())
/// ```
pub fn canonical_host(url: &str) -> Result<String, Error> {
    if url.len() > MAX_URL_BYTES {
        return Err(Error::InputTooLarge {
            limit: MAX_URL_BYTES,
            found: url.len(),
        });
    }
    Ok(parse(&refang(url.as_bytes()))?.host.into_owned())
}

/// The expressions of a canonical URL (from [`canonicalize`]), in order: for each host suffix,
/// each path prefix. At most [`MAX_EXPRESSIONS`], no duplicates.
///
/// ```
/// let e = hashscreen::url::expressions("http://a.b.c/1/2.html?param=1");
/// assert_eq!(e, ["a.b.c/1/2.html?param=1", "a.b.c/1/2.html", "a.b.c/", "a.b.c/1/",
///                "b.c/1/2.html?param=1", "b.c/1/2.html", "b.c/", "b.c/1/"]);
/// ```
pub fn expressions(canonical: &str) -> Vec<String> {
    let mut out = Vec::with_capacity(8);
    for_each_expression(canonical, |e| out.push(e.to_owned()));
    out
}

/// Call `f` with each expression of a canonical URL, without allocating per expression (the
/// `&str` is only valid during the call). Same order as [`expressions`].
///
/// ```
/// let mut n = 0;
/// hashscreen::url::for_each_expression("http://1.2.3.4/a/b", |_| n += 1);
/// assert_eq!(n, 3);
/// ```
pub fn for_each_expression(canonical: &str, mut f: impl FnMut(&str)) {
    let rest = match canonical.find("://") {
        Some(i) => canonical.get(i + 3..).unwrap_or_default(),
        None => canonical,
    };
    let slash = rest.find('/').unwrap_or(rest.len());
    let host = rest.get(..slash).unwrap_or_default();
    let path_query = rest.get(slash..).unwrap_or_default();
    let (path, query) = match path_query.find('?') {
        Some(i) => (
            path_query.get(..i).unwrap_or_default(),
            path_query.get(i + 1..).unwrap_or_default(),
        ),
        None => (path_query, ""),
    };
    let path = if path.is_empty() { "/" } else { path };

    // Host suffixes.
    let mut hosts: [&str; 5] = [host; 5];
    let mut n_hosts = 1;
    let is_ip = host.starts_with('[')
        || (host.bytes().all(|b| b.is_ascii_digit() || b == b'.')
            && host.bytes().filter(|&b| b == b'.').count() == 3);
    if !is_ip {
        // The suffix of m components starts after the m-th dot from the right; m = 5 ..= 2,
        // and never the whole host (which needs m-th dot to exist).
        let mut dots = [0usize; 5];
        let mut nd = 0;
        for (i, b) in host.bytes().enumerate().rev() {
            if b == b'.' {
                if let Some(slot) = dots.get_mut(nd) {
                    *slot = i;
                    nd += 1;
                } else {
                    break;
                }
            }
        }
        for m in (2..=nd).rev() {
            if let (Some(&d), Some(slot)) = (dots.get(m - 1), hosts.get_mut(n_hosts)) {
                *slot = host.get(d + 1..).unwrap_or_default();
                n_hosts += 1;
            }
        }
    }

    // Path prefixes.
    let mut paths: [&str; 6] = [path; 6];
    let mut n_paths = 0;
    fn push_path<'a>(p: &'a str, paths: &mut [&'a str; 6], n_paths: &mut usize) {
        if !paths.get(..*n_paths).unwrap_or_default().contains(&p) {
            if let Some(slot) = paths.get_mut(*n_paths) {
                *slot = p;
                *n_paths += 1;
            }
        }
    }
    let with_query = path_query.get(..path.len() + 1 + query.len());
    if !query.is_empty() {
        if let Some(wq) = with_query {
            push_path(wq, &mut paths, &mut n_paths);
        }
    }
    push_path(path, &mut paths, &mut n_paths);
    push_path("/", &mut paths, &mut n_paths);
    let mut components = 0;
    for (i, _) in path.match_indices('/').skip(1) {
        components += 1;
        if components > 3 {
            break;
        }
        if let Some(p) = path.get(..=i) {
            push_path(p, &mut paths, &mut n_paths);
        }
    }

    let mut buf = String::with_capacity(host.len() + path_query.len() + 1);
    for h in hosts.iter().take(n_hosts) {
        for p in paths.iter().take(n_paths) {
            buf.clear();
            buf.push_str(h);
            buf.push_str(p);
            f(&buf);
        }
    }
}

/// [`canonicalize`] then [`expressions`].
///
/// ```
/// let e = hashscreen::url::canonical_expressions("evil[.]example/x")?;
/// assert_eq!(e, ["evil.example/x", "evil.example/"]);
/// # Ok::<(), hashscreen::Error>(())
/// ```
pub fn canonical_expressions(url: &str) -> Result<Vec<String>, Error> {
    Ok(expressions(&canonicalize(url)?))
}

/// The refang step (see the module docs), on bytes. Borrows when there is nothing to do.
fn refang(input: &[u8]) -> Cow<'_, [u8]> {
    let start = input
        .iter()
        .position(|b| !is_space(*b))
        .unwrap_or(input.len());
    let trimmed = input.get(start..).unwrap_or_default();
    let needs_chars = !trimmed.is_ascii();
    let needs_scheme = starts_with_ci(trimmed, b"hxxp");
    let needs_marks = trimmed
        .iter()
        .any(|&b| matches!(b, b'[' | b'(' | b'{' | b' '));
    if !needs_chars && !needs_scheme && !needs_marks {
        return Cow::Borrowed(trimmed);
    }
    // Character-level mappings, only for UTF-8 input with non-ASCII characters.
    let mut s: Vec<u8> = match core::str::from_utf8(trimmed) {
        Ok(text) if needs_chars => {
            let mut v = Vec::with_capacity(trimmed.len());
            let mut tmp = [0u8; 4];
            for c in text.chars() {
                let c = match c as u32 {
                    0xFF01..=0xFF5E => char::from_u32(c as u32 - 0xFF01 + 0x21).unwrap_or(c),
                    0x3000 => ' ',
                    0x3002 | 0xFF61 => '.',
                    _ => c,
                };
                if crate::text::is_default_ignorable(c) {
                    continue;
                }
                v.extend_from_slice(c.encode_utf8(&mut tmp).as_bytes());
            }
            // Full-width spaces may have become leading spaces.
            let lead = v.iter().position(|b| !is_space(*b)).unwrap_or(v.len());
            v.drain(..lead);
            v
        }
        _ => trimmed.to_vec(),
    };
    if starts_with_ci(&s, b"hxxp") {
        for i in 1..=2 {
            if let Some(x) = s.get_mut(i) {
                *x = if x.is_ascii_uppercase() { b'T' } else { b't' };
            }
        }
    }
    const DOTS: [&[u8]; 7] = [
        b"[.]", b"(.)", b"{.}", b"[dot]", b"(dot)", b"{dot}", b" dot ",
    ];
    if !s.iter().any(|&b| matches!(b, b'[' | b'(' | b'{' | b' ')) {
        return Cow::Owned(s);
    }
    let mut out = Vec::with_capacity(s.len());
    let mut i = 0;
    'outer: while i < s.len() {
        let rest = s.get(i..).unwrap_or_default();
        for pat in DOTS {
            if starts_with_ci(rest, pat) {
                out.push(b'.');
                i += pat.len();
                continue 'outer;
            }
        }
        if starts_with_ci(rest, b"[://]") {
            out.extend_from_slice(b"://");
            i += 5;
            continue;
        }
        if starts_with_ci(rest, b"[:]") {
            out.push(b':');
            i += 3;
            continue;
        }
        out.push(rest.first().copied().unwrap_or(b' '));
        i += 1;
    }
    Cow::Owned(out)
}

fn starts_with_ci(s: &[u8], pat: &[u8]) -> bool {
    s.len() >= pat.len() && s.iter().zip(pat).all(|(a, b)| a.eq_ignore_ascii_case(b))
}

/// Go's `strings.TrimSpace` on ASCII.
fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\x0B' | b'\x0C' | b'\r')
}

struct Parsed<'a> {
    scheme: Cow<'static, str>,
    host: Cow<'a, str>,
    path: Cow<'a, str>,
    query: Option<Cow<'a, str>>,
}

impl Parsed<'_> {
    fn into_owned(self) -> Parsed<'static> {
        Parsed {
            scheme: self.scheme,
            host: Cow::Owned(self.host.into_owned()),
            path: Cow::Owned(self.path.into_owned()),
            query: self.query.map(|q| Cow::Owned(q.into_owned())),
        }
    }
}

/// The once-escaped URL is ASCII; view a part of it as text.
fn ascii_str(b: &[u8]) -> Cow<'_, str> {
    match core::str::from_utf8(b) {
        Ok(s) => Cow::Borrowed(s),
        Err(_) => String::from_utf8_lossy(b),
    }
}

/// What a URL holds that the steps care about, found in one pass.
#[derive(Clone, Copy, Default)]
struct Scan {
    hash: bool,
    controls: bool,
    percent: bool,
    escape: bool,
}

fn scan(b: &[u8]) -> Scan {
    let mut s = Scan::default();
    for &c in b {
        if c > b' ' && c < 0x7F && c != b'#' && c != b'%' {
            continue;
        }
        s.hash |= c == b'#';
        s.percent |= c == b'%';
        s.controls |= matches!(c, b'\t' | b'\r' | b'\n');
        s.escape |= needs_escape(c);
    }
    s
}

fn hex_val(b: u8) -> Option<u8> {
    (b as char).to_digit(16).map(|d| d as u8)
}

/// Percent-unescape until nothing changes, in one pass: `%XY` redexes never overlap, so reducing
/// at the end of the output whenever it ends in `%XY` reaches the same fixed point as repeated
/// whole-string passes, in linear time.
fn unescape_fully(s: &[u8]) -> Cow<'_, [u8]> {
    if !s.contains(&b'%') {
        return Cow::Borrowed(s);
    }
    let mut out: Vec<u8> = Vec::with_capacity(s.len());
    for &b in s {
        out.push(b);
        while out.len() >= 3 {
            let n = out.len();
            let (Some(&p), Some(&h), Some(&l)) = (out.get(n - 3), out.get(n - 2), out.get(n - 1))
            else {
                break;
            };
            match (p, hex_val(h), hex_val(l)) {
                (b'%', Some(hi), Some(lo)) => {
                    out.truncate(n - 3);
                    out.push(hi << 4 | lo);
                }
                _ => break,
            }
        }
    }
    Cow::Owned(out)
}

fn needs_escape(b: u8) -> bool {
    b <= 0x20 || b >= 0x7F || b == b'#' || b == b'%'
}

/// Escape once (uppercase hex), borrowing when nothing needs it.
fn escape(s: &[u8]) -> Cow<'_, [u8]> {
    if !s.iter().any(|&b| needs_escape(b)) {
        return Cow::Borrowed(s);
    }
    let mut out = Vec::with_capacity(s.len() + 16);
    escape_into(s, &mut out);
    Cow::Owned(out)
}

fn escape_into(s: &[u8], out: &mut Vec<u8>) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    for &b in s {
        if needs_escape(b) {
            out.push(b'%');
            out.push(HEX[(b >> 4) as usize]);
            out.push(HEX[(b & 15) as usize]);
        } else {
            out.push(b);
        }
    }
}

fn parse(input: &[u8]) -> Result<Parsed<'_>, Error> {
    let sc = scan(input);
    // Fragment.
    let input = match memchr::memchr(b'#', input).filter(|_| sc.hash) {
        Some(i) => input.get(..i).unwrap_or_default(),
        None => input,
    };
    // Whitespace, then embedded tab / CR / LF.
    let start = input
        .iter()
        .position(|b| !is_space(*b))
        .unwrap_or(input.len());
    let end = input
        .iter()
        .rposition(|b| !is_space(*b))
        .map_or(start, |e| e + 1);
    let trimmed = input.get(start..end.max(start)).unwrap_or_default();
    if !sc.escape {
        // Nothing to remove, unescape or escape: the common case.
        return parse_parts(trimmed);
    }
    let trimmed: Cow<'_, [u8]> = if sc.controls {
        Cow::Owned(
            trimmed
                .iter()
                .copied()
                .filter(|&b| !matches!(b, b'\t' | b'\r' | b'\n'))
                .collect(),
        )
    } else {
        Cow::Borrowed(trimmed)
    };
    let norm: Cow<'_, [u8]> = match unescape_fully(&trimmed) {
        Cow::Borrowed(b) => match escape(b) {
            Cow::Borrowed(_) => trimmed.clone(),
            Cow::Owned(v) => Cow::Owned(v),
        },
        Cow::Owned(v) => Cow::Owned(escape(&v).into_owned()),
    };
    parse_normalised(norm)
}

/// The rest of [`parse`], on the once-escaped URL.
fn parse_normalised(norm: Cow<'_, [u8]>) -> Result<Parsed<'_>, Error> {
    match norm {
        Cow::Borrowed(b) => parse_parts(b),
        Cow::Owned(v) => parse_parts(&v).map(Parsed::into_owned),
    }
}

fn parse_parts(norm: &[u8]) -> Result<Parsed<'_>, Error> {
    // Scheme.
    let (scheme, rest) = split_scheme(norm);
    // Query.
    let (rest, query) = match memchr::memchr(b'?', rest) {
        Some(i) => (
            rest.get(..i).unwrap_or_default(),
            Some(rest.get(i + 1..).unwrap_or_default()),
        ),
        None => (rest, None),
    };
    let (scheme, hostish, path) = match scheme {
        Some(sc) => {
            let Some(after) = rest.strip_prefix(b"//") else {
                return Err(invalid(InvalidUrlReason::NoAuthority));
            };
            let slash = memchr::memchr(b'/', after).unwrap_or(after.len());
            (
                scheme_name(sc),
                after.get(..slash).unwrap_or_default(),
                after.get(slash..).unwrap_or_default(),
            )
        }
        None => {
            let slash = memchr::memchr(b'/', rest).unwrap_or(rest.len());
            (
                Cow::Borrowed("http"),
                rest.get(..slash).unwrap_or_default(),
                rest.get(slash..).unwrap_or_default(),
            )
        }
    };
    if hostish.is_empty() {
        return Err(invalid(InvalidUrlReason::MissingHost));
    }
    let host = parse_host(hostish)?;
    if host.is_empty() {
        return Err(invalid(InvalidUrlReason::MissingHost));
    }
    Ok(Parsed {
        scheme,
        host,
        path: clean_path(path),
        query: query.map(ascii_str),
    })
}

fn scheme_name(sc: &[u8]) -> Cow<'static, str> {
    const KNOWN: [&str; 4] = ["http", "https", "ftp", "ftps"];
    for k in KNOWN {
        if sc.eq_ignore_ascii_case(k.as_bytes()) {
            return Cow::Borrowed(k);
        }
    }
    Cow::Owned(String::from_utf8_lossy(sc).to_ascii_lowercase())
}

/// Go's `getScheme`, except that `host:port` is not a scheme.
fn split_scheme(s: &[u8]) -> (Option<&[u8]>, &[u8]) {
    for (i, &c) in s.iter().enumerate() {
        match c {
            b'a'..=b'z' | b'A'..=b'Z' => {}
            b'0'..=b'9' | b'+' | b'-' | b'.' => {
                if i == 0 {
                    return (None, s);
                }
            }
            b':' => {
                let (scheme, rest) = (
                    s.get(..i).unwrap_or_default(),
                    s.get(i + 1..).unwrap_or_default(),
                );
                if i == 0 {
                    return (Some(scheme), rest);
                }
                if !rest.starts_with(b"//") && rest.first().is_some_and(|b| b.is_ascii_digit()) {
                    // `host:8080/path`
                    return (None, s);
                }
                return (Some(scheme), rest);
            }
            _ => return (None, s),
        }
    }
    (None, s)
}

fn parse_host(hostish: &[u8]) -> Result<Cow<'_, str>, Error> {
    let host = match memchr::memrchr(b'@', hostish) {
        Some(i) => hostish.get(i + 1..).unwrap_or_default(),
        None => hostish,
    };
    if host.first() == Some(&b'[') {
        let Some(close) = memchr::memrchr(b']', host) else {
            return Err(invalid(InvalidUrlReason::UnclosedIpv6));
        };
        let inner = host.get(1..close).unwrap_or_default();
        if let Some(v6) = core::str::from_utf8(inner)
            .ok()
            .and_then(ip::canonical_ipv6)
        {
            return Ok(Cow::Owned(v6));
        }
    }
    // Port: `:\d+$`.
    let host = strip_port(host);
    let unescaped = unescape_fully(host);
    let mut ascii: Cow<'_, [u8]> = Cow::Borrowed(host);
    if unescaped.iter().any(|&b| b > 0x80) {
        if let Ok(u) = core::str::from_utf8(&unescaped) {
            match idna::domain_to_ascii(u) {
                // IDNA mapping can make new `%XY` patterns (`%𝐟2` -> `%f2`) that a second
                // canonicalisation would decode, or URL syntax (`﹫` -> `@`): refuse those.
                Ok(a) if a.contains(['%', '@', '/', '?', '#', ':', '[', ']', '\\']) => {
                    return Err(invalid(InvalidUrlReason::InvalidIdn))
                }
                // Other bytes that canonical hosts escape.
                Ok(a) => ascii = Cow::Owned(escape(a.as_bytes()).into_owned()),
                Err(_) => return Err(invalid(InvalidUrlReason::InvalidIdn)),
            }
        }
        // Not UTF-8: stays percent-escaped.
    }
    // Dots (and a port that only shows once they are gone: `a:0.`).
    if ascii.windows(2).any(|w| w == b"..") {
        let mut v = ascii.into_owned();
        v.dedup_by(|a, b| *a == b'.' && *b == b'.');
        ascii = Cow::Owned(v);
    }
    let mut range = 0..ascii.len();
    loop {
        let t = ascii.get(range.clone()).unwrap_or_default();
        let before = t.len();
        let start = t.iter().position(|&b| b != b'.').unwrap_or(t.len());
        let end = t.iter().rposition(|&b| b != b'.').map_or(start, |e| e + 1);
        let t2 = strip_port(t.get(start..end.max(start)).unwrap_or_default());
        range = range.start + start..range.start + start + t2.len();
        if t2.len() == before {
            break;
        }
    }
    let trimmed = ascii.get(range.clone()).unwrap_or_default();
    if trimmed.first() == Some(&b'[') && !trimmed.contains(&b']') {
        // Only reachable once dots are trimmed (`.[`): refuse it as the first check would.
        return Err(invalid(InvalidUrlReason::UnclosedIpv6));
    }
    let text = ascii_str(trimmed);
    if let Some(v4) = ip::parse_ipv4(&text) {
        return Ok(Cow::Owned(v4));
    }
    // Lowercase, except the hex digits of escapes.
    let has_upper = {
        let b = text.as_bytes();
        let mut i = 0;
        let mut found = false;
        while i < b.len() {
            match b.get(i) {
                Some(b'%') => i += 3,
                Some(c) if c.is_ascii_uppercase() => {
                    found = true;
                    break;
                }
                _ => i += 1,
            }
        }
        found
    };
    if !has_upper {
        return Ok(match ascii {
            Cow::Borrowed(b) => ascii_str(b.get(range).unwrap_or_default()),
            Cow::Owned(_) => Cow::Owned(text.into_owned()),
        });
    }
    let mut out = String::with_capacity(text.len());
    let mut escape_left = 0;
    for c in text.chars() {
        if escape_left > 0 {
            out.push(c);
            escape_left -= 1;
        } else if c == '%' {
            out.push(c);
            escape_left = 2;
        } else {
            out.push(c.to_ascii_lowercase());
        }
    }
    Ok(Cow::Owned(out))
}

/// Remove a `:digits` suffix (Go's `:\d+$`).
fn strip_port(host: &[u8]) -> &[u8] {
    let digits = host.iter().rev().take_while(|b| b.is_ascii_digit()).count();
    if digits > 0 && host.len() > digits && host.get(host.len() - digits - 1) == Some(&b':') {
        host.get(..host.len() - digits - 1).unwrap_or_default()
    } else {
        host
    }
}

/// Go's `path.Clean` plus the trailing-slash rule of `urls.go`. Borrows a path that is clean.
fn clean_path(raw: &[u8]) -> Cow<'_, str> {
    // Clean: starts with `/`, no empty, `.` or `..` segment after a `/`.
    let clean = raw.first() == Some(&b'/')
        && !raw.iter().enumerate().any(|(i, &b)| {
            b == b'/'
                && matches!(
                    (raw.get(i + 1), raw.get(i + 2), raw.get(i + 3)),
                    (Some(b'/'), _, _)
                        | (Some(b'.'), None | Some(b'/'), _)
                        | (Some(b'.'), Some(b'.'), None | Some(b'/'))
                )
        });
    if clean {
        return ascii_str(raw);
    }
    let raw = String::from_utf8_lossy(raw);
    let mut segs: Vec<&str> = Vec::new();
    for seg in raw.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                segs.pop();
            }
            s => segs.push(s),
        }
    }
    let mut out = String::with_capacity(raw.len() + 1);
    for s in &segs {
        out.push('/');
        out.push_str(s);
    }
    if segs.is_empty() || raw.ends_with('/') {
        out.push('/');
    }
    Cow::Owned(out)
}
