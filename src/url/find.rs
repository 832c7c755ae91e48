//! Finding URLs inside message text (a linkifier), so that the screener can screen them as URLs.
//!
//! The scanner splits the text at whitespace (and at `<`, `>`, `"`, `` ` ``), trims punctuation
//! around each piece (`(`, `"`, and trailing `.,;:!?'"` and unbalanced `)` `]` `}`), and reports
//! the piece, from its scheme if it has one, when it is:
//! - a URL with a web scheme: `http`, `https`, `ftp`, defanged `hxxp`, `hxxps` (any case),
//!   followed by `://`, `[://]` or `[:]//`;
//! - a host starting with `www.`;
//! - a **bare domain** (decided: yes, with or without a path): two or more dot-separated labels
//!   (the dot may be defanged as `[.]`, `(.)`, `{.}`, `[dot]`, `(dot)`, `{dot}`), the last one at
//!   least two letters (or an `xn--` label), e.g. `evil.example/path`, `free-nitro[.]example`;
//! - a dotted-quad IPv4 address followed by a port or a path (`203.0.113.7/gift`), or defanged.
//!
//! Not reported: e-mail addresses (`@` before the host, without scheme), single-letter final
//! labels (`e.g.`), numbers (`1.5`), and spaced-out defanging (`evil dot example`), which cannot
//! be told from prose. File names such as `report.pdf` are reported as bare domains; screening
//! them costs a few digests and matches nothing unless listed. No top-level-domain list is used,
//! so new TLDs need no update. Full-width URLs are not found in text (the text key still sees
//! them); [`super::canonicalize`] accepts them.
//!
//! Cost: one pass over the text.

/// Iterator over the URLs found in a text, as slices of it. Made by [`find_urls`].
#[derive(Debug, Clone)]
pub struct FindUrls<'a> {
    text: &'a str,
    pos: usize,
}

/// Find URLs in message text (see the module docs for what counts as one). Each item is a slice
/// of `text`, ready for [`super::canonicalize`].
///
/// ```
/// let text = "win at hxxps://free-nitro[.]example/claim or evil.example/path, mail bob@ok.example";
/// let urls: Vec<&str> = hashscreen::url::find_urls(text).collect();
/// assert_eq!(urls, ["hxxps://free-nitro[.]example/claim", "evil.example/path"]);
/// ```
pub fn find_urls(text: &str) -> FindUrls<'_> {
    FindUrls { text, pos: 0 }
}

fn is_break(c: char) -> bool {
    c.is_whitespace() || matches!(c, '<' | '>' | '"' | '`')
}

impl<'a> Iterator for FindUrls<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        let text = self.text;
        while self.pos < text.len() {
            let rest = text.get(self.pos..)?;
            // Skip separators.
            let skip = rest.find(|c: char| !is_break(c)).unwrap_or(rest.len());
            self.pos += skip;
            let rest = text.get(self.pos..)?;
            if rest.is_empty() {
                return None;
            }
            let len = rest.find(is_break).unwrap_or(rest.len());
            let start = self.pos;
            self.pos += len;
            let piece = text.get(start..start + len)?;
            if let Some(url) = url_in(piece) {
                return Some(url);
            }
        }
        None
    }
}

const SCHEMES: [&str; 5] = ["https", "http", "hxxps", "hxxp", "ftp"];
const SEPARATORS: [&str; 3] = ["://", "[://]", "[:]//"];
const DEFANGED_DOTS: [&str; 6] = ["[.]", "(.)", "{.}", "[dot]", "(dot)", "{dot}"];

fn url_in(piece: &str) -> Option<&str> {
    let piece = trim(piece);
    if piece.is_empty() {
        return None;
    }
    // A scheme anywhere in the piece (`see:http://x`).
    let lower_start = |i: usize| piece.get(i..).unwrap_or_default();
    for (i, _) in piece.char_indices() {
        let tail = lower_start(i);
        for scheme in SCHEMES {
            if tail.len() > scheme.len()
                && tail
                    .get(..scheme.len())
                    .is_some_and(|s| s.eq_ignore_ascii_case(scheme))
            {
                let after = tail.get(scheme.len()..).unwrap_or_default();
                if SEPARATORS.iter().any(|sep| after.starts_with(sep))
                    && (i == 0
                        || !piece
                            .as_bytes()
                            .get(i - 1)
                            .is_some_and(|b| b.is_ascii_alphanumeric()))
                {
                    let url = tail;
                    let host_len = after.len();
                    return (host_len > 3).then_some(url);
                }
            }
        }
    }
    // No scheme: the host is what comes before the first `/`, `?`, `#`.
    let host_end = piece.find(['/', '?', '#']).unwrap_or(piece.len());
    let host = piece.get(..host_end)?;
    if host.contains('@') {
        return None;
    }
    // Port.
    let (host, has_port) = match host.rfind(':') {
        Some(i)
            if host
                .get(i + 1..)
                .is_some_and(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit())) =>
        {
            (host.get(..i)?, true)
        }
        _ => (host, false),
    };
    let mut labels: Vec<&str> = Vec::new();
    let mut defanged = false;
    let mut i = 0;
    let mut label_start = 0;
    while i < host.len() {
        let tail = host.get(i..)?;
        if let Some(d) = DEFANGED_DOTS.iter().find(|d| {
            tail.get(..d.len())
                .is_some_and(|t| t.eq_ignore_ascii_case(d))
        }) {
            labels.push(host.get(label_start..i)?);
            defanged = true;
            i += d.len();
            label_start = i;
        } else if tail.starts_with('.') {
            labels.push(host.get(label_start..i)?);
            i += 1;
            label_start = i;
        } else {
            i += tail.chars().next().map_or(1, char::len_utf8);
        }
    }
    labels.push(host.get(label_start..)?);
    if labels.len() < 2 || labels.iter().any(|l| l.is_empty()) {
        return None;
    }
    if !labels.iter().all(|l| {
        l.chars()
            .all(|c| c.is_alphanumeric() || c == '-' || c == '_')
    }) {
        return None;
    }
    let last = labels.last()?;
    let www = labels
        .first()
        .is_some_and(|l| l.eq_ignore_ascii_case("www"));
    let tld_ok = (last.chars().count() >= 2 && last.chars().all(char::is_alphabetic))
        || last.to_ascii_lowercase().starts_with("xn--");
    let quad = labels.len() == 4
        && labels
            .iter()
            .all(|l| l.len() <= 3 && l.bytes().all(|b| b.is_ascii_digit()));
    let has_path = host_end < piece.len();
    if www || tld_ok || (quad && (has_path || has_port || defanged)) {
        Some(piece)
    } else {
        None
    }
}

/// Trim the punctuation that surrounds URLs in prose (one pass: bracket counts are taken once).
fn trim(s: &str) -> &str {
    let mut s = s.trim_start_matches(['(', '[', '{', '\'', '"', '*', '_']);
    let count = |c: char| s.chars().filter(|&x| x == c).count();
    let mut balance = [
        count('(') as isize - count(')') as isize,
        count('[') as isize - count(']') as isize,
        count('{') as isize - count('}') as isize,
    ];
    loop {
        let Some(last) = s.chars().last() else {
            return s;
        };
        let bracket = match last {
            ')' => Some(0),
            ']' => Some(1),
            '}' => Some(2),
            _ => None,
        };
        let strip = match bracket {
            Some(b) => balance.get(b).is_some_and(|&v| v < 0),
            None => matches!(last, '.' | ',' | ';' | ':' | '!' | '?' | '\'' | '"' | '*'),
        };
        if !strip {
            return s;
        }
        if let Some(v) = bracket.and_then(|b| balance.get_mut(b)) {
            *v += 1;
        }
        s = s.get(..s.len() - last.len_utf8()).unwrap_or_default();
    }
}
