//! Explicit bidirectional formatting characters (UAX #9, sections 2 and 3.3.2).
//!
//! Evasive text hides a phrase behind a RIGHT-TO-LEFT OVERRIDE: `U+202E "won ezirp" U+202C`
//! *displays* as `prize now`. The key must follow what a reader sees, so text inside an override
//! is put in display order, then every explicit formatting character is removed (they are
//! `Default_Ignorable_Code_Point`s).
//!
//! What is implemented, and why it is enough:
//! - The explicit embedding levels of rules X1-X8: LRE, RLE, LRO, RLO push a level, PDF pops one,
//!   LRI, RLI, FSI push an isolate that PDI closes (closing the embeddings opened inside it), a
//!   paragraph separator (`\n`, `\r`, U+001C..U+001E, U+0085, U+2029) resets everything. At most
//!   [`MAX_DEPTH`] = 125 levels (UAX #9 `max_depth`); pushes beyond it are counted and ignored, as
//!   X5 says, so 10,000 nested overrides cost the same as 125.
//! - Resolved levels: a character under an override takes the override's direction (X6), so its
//!   level is the embedding level (RLO: odd, LRO: even). Other characters are resolved as strong
//!   left-to-right (level rounded up to even): exact for Latin, Greek, Cyrillic, CJK and digits,
//!   the scripts evasion aims at. Right-to-left scripts outside overrides keep their logical
//!   order, which is the canonical order for them anyway (we do not run the implicit rules W1-I2).
//! - Reordering by rule L2: from the highest level down to the lowest odd level, reverse every
//!   maximal run at that level or higher. The work is O(n x levels used), bounded by 126 n.
//!
//! Only text containing one of the nine explicit characters takes this path.

/// UAX #9 `max_depth`.
pub(crate) const MAX_DEPTH: u8 = 125;

/// Is `c` one of the explicit directional formatting characters (LRE, RLE, PDF, LRO, RLO, LRI,
/// RLI, FSI, PDI)?
#[inline]
pub(crate) fn is_explicit(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

fn is_paragraph_separator(c: char) -> bool {
    matches!(c, '\n' | '\r' | '\u{1C}'..='\u{1E}' | '\u{85}' | '\u{2029}')
}

#[derive(Clone, Copy)]
struct Entry {
    level: u8,
    /// 0: none, 1: left-to-right override, 2: right-to-left override.
    overridden: u8,
    isolate: bool,
}

/// Put `text` in display order as far as explicit overrides change it, and drop the explicit
/// formatting characters. `out` is cleared first.
pub(crate) fn reorder(text: &str, out: &mut Vec<char>) {
    out.clear();
    let mut levels: Vec<u8> = Vec::new();
    let mut stack: Vec<Entry> = Vec::with_capacity(8);
    let base = Entry {
        level: 0,
        overridden: 0,
        isolate: false,
    };
    stack.push(base);
    // Pushes ignored because of overflow (X5): embeddings, then isolates.
    let mut overflow_embedding: usize = 0;
    let mut overflow_isolate: usize = 0;
    let mut paragraph_start = 0usize;

    for c in text.chars() {
        let top = stack.last().copied().unwrap_or(base);
        match c {
            '\u{202C}' => {
                // PDF: pop one embedding or override, never an isolate.
                if overflow_isolate > 0 {
                    // Inside an overflowed isolate: ignored.
                } else if overflow_embedding > 0 {
                    overflow_embedding -= 1;
                } else if !top.isolate && stack.len() > 1 {
                    stack.pop();
                }
            }
            '\u{202A}'..='\u{202E}' => {
                let rtl = matches!(c, '\u{202B}' | '\u{202E}');
                let overridden = match c {
                    '\u{202D}' => 1,
                    '\u{202E}' => 2,
                    _ => 0,
                };
                match next_level(top.level, rtl) {
                    Some(level) if overflow_isolate == 0 && overflow_embedding == 0 => {
                        stack.push(Entry {
                            level,
                            overridden,
                            isolate: false,
                        });
                    }
                    _ => {
                        if overflow_isolate == 0 {
                            overflow_embedding += 1;
                        }
                    }
                }
            }
            '\u{2066}'..='\u{2068}' => {
                let rtl = c == '\u{2067}';
                match next_level(top.level, rtl) {
                    Some(level) if overflow_isolate == 0 && overflow_embedding == 0 => {
                        stack.push(Entry {
                            level,
                            overridden: 0,
                            isolate: true,
                        });
                    }
                    _ => overflow_isolate += 1,
                }
            }
            '\u{2069}' => {
                if overflow_isolate > 0 {
                    overflow_isolate -= 1;
                } else if stack.iter().skip(1).any(|e| e.isolate) {
                    overflow_embedding = 0;
                    while let Some(e) = stack.pop() {
                        if e.isolate {
                            break;
                        }
                    }
                    if stack.is_empty() {
                        stack.push(base);
                    }
                }
            }
            _ if is_paragraph_separator(c) => {
                reverse_runs(
                    out.get_mut(paragraph_start..).unwrap_or_default(),
                    levels.get(paragraph_start..).unwrap_or_default(),
                );
                out.push(c);
                levels.push(0);
                paragraph_start = out.len();
                stack.clear();
                stack.push(base);
                overflow_embedding = 0;
                overflow_isolate = 0;
            }
            _ => {
                let level = if top.overridden != 0 {
                    // X6: the override's direction; its level has the right parity.
                    top.level
                } else {
                    // Strong left-to-right (see module docs).
                    (top.level + 1) & !1
                };
                out.push(c);
                levels.push(level);
            }
        }
    }
    reverse_runs(
        out.get_mut(paragraph_start..).unwrap_or_default(),
        levels.get(paragraph_start..).unwrap_or_default(),
    );
}

/// The least odd (`rtl`) or even level above `level`, if within [`MAX_DEPTH`].
fn next_level(level: u8, rtl: bool) -> Option<u8> {
    let next = if rtl {
        (level + 1) | 1
    } else {
        (level + 2) & !1
    };
    (next <= MAX_DEPTH).then_some(next)
}

/// UAX #9 rule L2 on one paragraph.
fn reverse_runs(chars: &mut [char], levels: &[u8]) {
    let Some(&highest) = levels.iter().max() else {
        return;
    };
    let lowest_odd = levels
        .iter()
        .copied()
        .filter(|l| l % 2 == 1)
        .min()
        .unwrap_or(highest + 1);
    let mut level = highest;
    while level >= lowest_odd && level > 0 {
        let mut i = 0;
        while i < levels.len() {
            if levels.get(i).is_some_and(|&l| l >= level) {
                let start = i;
                while levels.get(i).is_some_and(|&l| l >= level) {
                    i += 1;
                }
                if let Some(run) = chars.get_mut(start..i) {
                    run.reverse();
                }
            } else {
                i += 1;
            }
        }
        level -= 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn display(s: &str) -> String {
        let mut v = Vec::new();
        reorder(s, &mut v);
        v.into_iter().collect()
    }

    #[test]
    fn override_reverses() {
        assert_eq!(display("\u{202E}won ezirp\u{202C}"), "prize now");
        assert_eq!(display("ab\u{202E}dc\u{202C}e"), "abcde");
        assert_eq!(display("plain"), "plain");
    }

    #[test]
    fn nested_overrides() {
        // LRO inside RLO: the inner run is reversed twice (kept), the whole moved.
        assert_eq!(display("\u{202E}a\u{202D}bc\u{202C}d\u{202C}"), "dbca");
    }

    #[test]
    fn unterminated_and_deep_nesting() {
        let deep: String = "\u{202E}".repeat(10_000) + "abc";
        assert_eq!(display(&deep), "cba");
        assert_eq!(display("\u{202E}abc"), "cba");
        assert_eq!(display("\u{202E}ab\ncd"), "ba\ncd");
    }
}
