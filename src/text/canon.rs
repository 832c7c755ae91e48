//! The canonicalisation pipeline behind the strict and loose keys (see the module docs of
//! [`crate::text`] for the specification of every step).

use super::bidi;
use super::tables::{
    confusable_latin, enclosed_letter, is_default_ignorable, small_capital, SQUARED_WORDS,
};
use unicode_normalization::char::{decompose_compatible, is_combining_mark};
use unicode_normalization::UnicodeNormalization;

/// Which key is computed.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Mode {
    Strict,
    Loose,
}

/// Fraction (numerator, denominator) of letters and digits carrying a combining mark above which
/// a message counts as diacritic-evasive.
const DIACRITIC_SHARE: (usize, usize) = (2, 5);
/// Fewest letters and digits for [`DIACRITIC_SHARE`] to apply.
const DIACRITIC_MIN_ALNUM: usize = 8;
/// A base with at least this many combining marks is evasive (Zalgo text); orthographies stack
/// at most two.
const STACKED_MARKS: usize = 3;

/// Reusable buffers, so that keying many messages does not allocate per message.
#[derive(Default)]
pub(crate) struct Scratch {
    bidi: Vec<char>,
    chars: Vec<char>,
    tokens: Vec<Token>,
    words: Vec<(usize, usize)>,
    wchars: Vec<char>,
    work: Vec<char>,
    leet: Vec<char>,
    parts: Vec<char>,
    pieces: Vec<(usize, usize)>,
    outs: Vec<WordOut>,
    assembled: String,
}

#[derive(Clone, Copy)]
struct Token {
    start: usize,
    end: usize,
    alnum: usize,
}

#[derive(Clone, Copy)]
struct WordOut {
    start: usize,
    end: usize,
    leet: bool,
    /// A letterless token of one or two leet characters, and what it reads as.
    short: Option<[char; 2]>,
}

/// Counts gathered while normalising, for message-level evidence.
#[derive(Default)]
struct Stats {
    alnum: usize,
    marked: usize,
    max_marks: usize,
    enclosing: bool,
    base_lgc: bool,
    marks_on_base: usize,
}

impl Stats {
    fn diacritic_evidence(&self) -> bool {
        self.enclosing
            || self.max_marks >= STACKED_MARKS
            || (self.alnum >= DIACRITIC_MIN_ALNUM
                && self.marked * DIACRITIC_SHARE.1 >= self.alnum * DIACRITIC_SHARE.0)
    }
}

/// Latin-script letters (Scripts.txt ranges of the Latin blocks), lowercase or not.
#[inline]
pub(crate) fn is_latin_letter(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphabetic();
    }
    matches!(c as u32,
        0x00C0..=0x024F | 0x0250..=0x02AF | 0x1D00..=0x1DBF | 0x1E00..=0x1EFF
        | 0x2C60..=0x2C7F | 0xA720..=0xA7FF | 0xAB30..=0xAB6F)
        && c.is_alphabetic()
}

/// Letters of the Latin, Greek or Cyrillic scripts (block ranges), whose combining marks are
/// removed when a message shows diacritic evasion.
#[inline]
fn is_lgc_letter(c: char) -> bool {
    is_latin_letter(c)
        || (matches!(c as u32,
            0x0370..=0x03FF | 0x1F00..=0x1FFF | 0x0400..=0x052F | 0x1C80..=0x1C8F
            | 0x2DE0..=0x2DFF | 0xA640..=0xA69F)
            && c.is_alphabetic())
}

#[inline]
fn is_enclosing_mark(c: char) -> bool {
    matches!(c as u32, 0x0488 | 0x0489 | 0x20DD..=0x20E0 | 0x20E2..=0x20E4 | 0xA670..=0xA672)
}

#[inline]
fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || is_combining_mark(c)
}

#[inline]
fn is_alnum(c: char) -> bool {
    !is_combining_mark(c) && c.is_alphanumeric()
}

/// Currency symbols (General_Category Sc: ASCII, Latin-1 and the Currency Symbols block, plus a
/// few others).
#[inline]
fn is_currency(c: char) -> bool {
    matches!(c, '$' | '\u{A2}'..='\u{A5}' | '\u{20A0}'..='\u{20C0}' | '\u{58F}' | '\u{60B}'
        | '\u{9F2}' | '\u{9F3}' | '\u{E3F}' | '\u{17DB}' | '\u{FDFC}')
}

#[inline]
fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '\u{2018}' | '\u{2019}' | '\u{02BC}' | '`')
}

/// Leet reading of `c`, for the characters read the same everywhere. `1` and `!` depend on their
/// neighbours and are handled by the caller; `6` is not folded (it reads as `b` or `g`, both
/// taken), which keeps the map one-to-one on digits.
#[inline]
fn leet_plain(c: char) -> Option<char> {
    Some(match c {
        '0' => 'o',
        '2' => 'z',
        '3' => 'e',
        '4' => 'a',
        '5' => 's',
        '7' => 't',
        '8' => 'b',
        '9' => 'g',
        '@' => 'a',
        '$' => 's',
        '+' => 't',
        _ => return None,
    })
}

#[inline]
fn is_leet_char(c: char) -> bool {
    leet_plain(c).is_some() || c == '1' || c == '!'
}

#[inline]
fn is_vowel(c: char) -> bool {
    matches!(c, 'a' | 'e' | 'i' | 'o' | 'u' | 'y')
}

/// Stage A: bidi display order, NFKD, default-ignorable removal, special letters, lowercase.
fn normalise(text: &str, scratch: &mut Scratch) -> Stats {
    let mut st = Stats::default();
    let chars = &mut scratch.chars;
    chars.clear();
    chars.reserve(text.len());
    if text.is_ascii() {
        for b in text.bytes() {
            let c = b.to_ascii_lowercase() as char;
            if c.is_ascii_alphanumeric() {
                st.alnum += 1;
                chars.push(c);
            } else if c.is_ascii_whitespace() || c.is_ascii_control() {
                chars.push(' ');
            } else {
                chars.push(c);
            }
        }
        return st;
    }
    if text.chars().any(bidi::is_explicit) {
        bidi::reorder(text, &mut scratch.bidi);
        for &c in &scratch.bidi {
            emit_decomposed(c, chars, &mut st);
        }
    } else {
        for c in text.chars() {
            emit_decomposed(c, chars, &mut st);
        }
    }
    st
}

#[inline]
fn emit_decomposed(c: char, chars: &mut Vec<char>, st: &mut Stats) {
    if c.is_ascii() {
        emit(c, chars, st);
    } else {
        decompose_compatible(c, |d| emit(d, chars, st));
    }
}

fn emit(d: char, chars: &mut Vec<char>, st: &mut Stats) {
    if d.is_ascii() {
        let c = d.to_ascii_lowercase();
        st.marks_on_base = 0;
        if c.is_ascii_alphanumeric() {
            st.alnum += 1;
            st.base_lgc = c.is_ascii_alphabetic();
            chars.push(c);
        } else {
            st.base_lgc = false;
            chars.push(if c.is_ascii_whitespace() || c.is_ascii_control() {
                ' '
            } else {
                c
            });
        }
        return;
    }
    if is_default_ignorable(d) {
        return;
    }
    if is_combining_mark(d) {
        if is_enclosing_mark(d) {
            st.enclosing = true;
        }
        if st.base_lgc {
            st.marks_on_base += 1;
            if st.marks_on_base == 1 {
                st.marked += 1;
            }
            st.max_marks = st.max_marks.max(st.marks_on_base);
        }
        chars.push(d);
        return;
    }
    st.marks_on_base = 0;
    if d.is_whitespace() || d.is_control() {
        st.base_lgc = false;
        chars.push(' ');
        return;
    }
    if let Some(l) = enclosed_letter(d).or_else(|| small_capital(d)) {
        st.alnum += 1;
        st.base_lgc = true;
        chars.push(l as char);
        return;
    }
    if let 0x1F191..=0x1F19A = d as u32 {
        let word = SQUARED_WORDS
            .get((d as u32 - 0x1F191) as usize)
            .copied()
            .unwrap_or("");
        for l in word.chars() {
            st.alnum += 1;
            chars.push(l);
        }
        st.base_lgc = true;
        return;
    }
    if d.is_alphanumeric() {
        st.alnum += 1;
    }
    let mut first = true;
    for l in d.to_lowercase() {
        // Simple case folding maps final sigma to sigma.
        let l = if l == '\u{03C2}' { '\u{03C3}' } else { l };
        if first {
            st.base_lgc = is_lgc_letter(l);
            first = false;
        }
        chars.push(l);
    }
}

/// Stage B step 1: whitespace tokens, and the words they make once spaced-out letters are joined.
fn words(scratch: &mut Scratch) {
    let Scratch {
        chars,
        tokens,
        words,
        wchars,
        ..
    } = scratch;
    tokens.clear();
    words.clear();
    wchars.clear();
    let mut i = 0;
    let n = chars.len();
    while i < n {
        while i < n && chars.get(i) == Some(&' ') {
            i += 1;
        }
        let start = i;
        let mut alnum = 0;
        while i < n && chars.get(i) != Some(&' ') {
            if chars.get(i).is_some_and(|&c| is_alnum(c)) {
                alnum += 1;
            }
            i += 1;
        }
        if i > start {
            tokens.push(Token {
                start,
                end: i,
                alnum,
            });
        }
    }
    // Runs of tokens holding exactly one letter or digit (tokens with none are transparent).
    let mut t = 0;
    while t < tokens.len() {
        let Some(tok) = tokens.get(t).copied() else {
            break;
        };
        if tok.alnum != 1 {
            push_word(chars, wchars, words, &[tok]);
            t += 1;
            continue;
        }
        // Collect the run.
        let mut run: Vec<Token> = Vec::new();
        let mut u = t;
        while let Some(&tk) = tokens.get(u) {
            match tk.alnum {
                1 => run.push(tk),
                0 => {}
                _ => break,
            }
            u += 1;
        }
        // Transparent tokens at the end of the run are not part of it.
        let mut last = u;
        while last > t && tokens.get(last - 1).is_some_and(|tk| tk.alnum == 0) {
            last -= 1;
        }
        if run.len() < 3 {
            for tk in tokens.get(t..last).unwrap_or_default() {
                push_word(chars, wchars, words, &[*tk]);
            }
            t = last;
            continue;
        }
        // Group at wide gaps (two or more spaces, or anything between the letters).
        let mut groups: Vec<(usize, usize)> = Vec::new();
        let mut g = 0;
        for k in 1..run.len() {
            let (Some(a), Some(b)) = (run.get(k - 1), run.get(k)) else {
                continue;
            };
            if b.start - a.end >= 2 {
                groups.push((g, k));
                g = k;
            }
        }
        groups.push((g, run.len()));
        // Three or more consecutive one-letter groups are one group (the second pass over a key
        // must not join them differently), and so are groups that are all single letters.
        let mut merged: Vec<(usize, usize)> = Vec::with_capacity(groups.len());
        let mut k = 0;
        while k < groups.len() {
            let mut m = k;
            while groups.get(m).is_some_and(|&(a, b)| b - a == 1) {
                m += 1;
            }
            if m - k >= 3 || (m - k >= 2 && k == 0 && m == groups.len()) {
                let (a, _) = groups.get(k).copied().unwrap_or((0, 0));
                let (_, b) = groups.get(m - 1).copied().unwrap_or((0, 0));
                merged.push((a, b));
                k = m;
            } else if let Some(&gr) = groups.get(k) {
                merged.push(gr);
                k += 1;
            } else {
                break;
            }
        }
        for (a, b) in merged {
            push_word(chars, wchars, words, run.get(a..b).unwrap_or_default());
        }
        t = last;
    }
}

fn push_word(
    chars: &[char],
    wchars: &mut Vec<char>,
    words: &mut Vec<(usize, usize)>,
    toks: &[Token],
) {
    let start = wchars.len();
    for tk in toks {
        wchars.extend_from_slice(chars.get(tk.start..tk.end).unwrap_or_default());
    }
    words.push((start, wchars.len()));
}

/// Is the word `digits + ordinal suffix` (1st, 22nd, 13th), which stays as written?
fn is_ordinal(w: &[char]) -> bool {
    let digits = w.iter().take_while(|c| c.is_ascii_digit()).count();
    if digits == 0 || w.len() != digits + 2 {
        return false;
    }
    let (Some(&a), Some(&b)) = (w.get(digits), w.get(digits + 1)) else {
        return false;
    };
    let last = w.get(digits - 1).copied().unwrap_or('0');
    let tens = digits >= 2 && w.get(digits - 2) == Some(&'1');
    let want = match (last, tens) {
        ('1', false) => ['s', 't'],
        ('2', false) => ['n', 'd'],
        ('3', false) => ['r', 'd'],
        _ => ['t', 'h'],
    };
    [a, b] == want
}

/// Does the word hold a number written with punctuation (`10:30`, `1.5`, `3/4`, `555-0100`)?
/// Such words are times, amounts or codes, not leet.
fn has_number_punct(w: &[char]) -> bool {
    w.windows(3).any(|t| {
        matches!(t, [a, p, b] if a.is_ascii_digit() && b.is_ascii_digit()
            && matches!(p, '.' | ',' | ':' | '/' | '-'))
    })
}

/// Stage B for one word: confusables, leet, separators, marks. Appends to `out`.
#[allow(clippy::too_many_arguments)]
fn word(
    src: &[char],
    mode: Mode,
    msg_confusable: bool,
    msg_diacritic: bool,
    work: &mut Vec<char>,
    leet: &mut Vec<char>,
    parts: &mut Vec<char>,
    pieces: &mut Vec<(usize, usize)>,
    out: &mut String,
) -> WordOut {
    let start = out.len();
    let mut evidence = false;

    // 1. Confusables (UTS #39), only where the word or message shows mixing.
    let mut has_latin = false;
    let mut has_lookalike = false;
    let mut all_latin_or_lookalike = true;
    let mut letters = 0usize;
    for &c in src {
        if is_combining_mark(c) {
            continue;
        }
        if is_latin_letter(c) {
            has_latin = true;
            letters += 1;
        } else if confusable_latin(c).is_some() {
            has_lookalike = true;
            letters += 1;
        } else if c.is_alphabetic() {
            all_latin_or_lookalike = false;
            letters += 1;
        }
    }
    let fold = has_lookalike
        && (mode == Mode::Loose || has_latin || (msg_confusable && all_latin_or_lookalike));
    work.clear();
    if fold {
        evidence = true;
        work.extend(src.iter().map(|&c| match confusable_latin(c) {
            Some(l) => l as char,
            None => c,
        }));
    } else {
        work.extend_from_slice(src);
    }

    // 2. Leetspeak inside words that contain a Latin letter.
    let mut short = None;
    let mut is_leet = false;
    if work.iter().any(|&c| is_leet_char(c)) {
        let ascii_letters = work.iter().filter(|c| c.is_ascii_lowercase()).count();
        if ascii_letters > 0 && letters > 0 && !is_ordinal(work) && !has_number_punct(work) {
            // `name@host.tld` is an address, not leet.
            let email = work
                .iter()
                .position(|&c| c == '@')
                .is_some_and(|at| work.get(at..).unwrap_or_default().contains(&'.'));
            leet.clear();
            for (i, &c) in work.iter().enumerate() {
                let next = work.get(i + 1).copied();
                let mapped = match c {
                    '!' => {
                        if next.is_some_and(is_alnum) {
                            'i'
                        } else {
                            '!'
                        }
                    }
                    '1' => {
                        let prev = leet.last().copied();
                        let next = next.map(|n| leet_plain(n).unwrap_or(n));
                        if reads_as_l(i, prev, next) {
                            'l'
                        } else {
                            'i'
                        }
                    }
                    '@' if email => '@',
                    _ => leet_plain(c).unwrap_or(c),
                };
                leet.push(mapped);
            }
            if leet.iter().any(|&c| is_vowel(c)) && leet.as_slice() != work.as_slice() {
                core::mem::swap(work, leet);
                is_leet = true;
                evidence = true;
            }
        } else if letters == 0
            && (1..=2).contains(&work.len())
            && work.iter().all(|&c| is_leet_char(c))
        {
            let mut read = [' '; 2];
            for (slot, &c) in read.iter_mut().zip(work.iter()) {
                *slot = match c {
                    '!' | '1' => 'i',
                    _ => leet_plain(c).unwrap_or(c),
                };
            }
            if read.iter().any(|&c| is_vowel(c)) {
                short = Some(read);
            }
        }
    }

    // 3. Separators: split into pieces at punctuation and symbols, keeping number punctuation.
    parts.clear();
    pieces.clear();
    let mut piece_start = 0;
    for (i, &c) in work.iter().enumerate() {
        if is_word_char(c) {
            parts.push(c);
            continue;
        }
        let prev = i.checked_sub(1).and_then(|p| work.get(p)).copied();
        let next = work.get(i + 1).copied();
        let digit_before = prev.is_some_and(|p| p.is_numeric());
        let digit_after = next.is_some_and(|n| n.is_numeric());
        let keep = ((is_currency(c) || c == '%') && (digit_before || digit_after))
            || (matches!(c, '.' | ',' | ':') && digit_before && digit_after);
        if keep {
            parts.push(c);
            continue;
        }
        if is_apostrophe(c)
            && prev.is_some_and(|p| p.is_alphabetic())
            && next.is_some_and(|n| n.is_alphabetic())
        {
            continue;
        }
        if parts.len() > piece_start {
            pieces.push((piece_start, parts.len()));
        }
        piece_start = parts.len();
    }
    if parts.len() > piece_start {
        pieces.push((piece_start, parts.len()));
    }
    // Single letters split by separators (f.r.e.e, c-l-a-i-m) are joined.
    let single = |&(a, b): &(usize, usize)| {
        parts
            .get(a..b)
            .unwrap_or_default()
            .iter()
            .filter(|&&c| is_alnum(c))
            .count()
            == 1
    };
    let mut joined: Vec<(usize, usize)> = Vec::with_capacity(pieces.len());
    let mut k = 0;
    while k < pieces.len() {
        let mut m = k;
        while pieces.get(m).is_some_and(single) {
            m += 1;
        }
        if m - k >= 2 {
            let a = pieces.get(k).map_or(0, |p| p.0);
            let b = pieces.get(m - 1).map_or(0, |p| p.1);
            joined.push((a, b));
            evidence = true;
            k = m;
        } else if let Some(&p) = pieces.get(k) {
            joined.push(p);
            k += 1;
        } else {
            break;
        }
    }

    // 4. Combining marks: dropped on Latin, Greek and Cyrillic letters when there is evidence,
    // always on anything that is not a letter.
    let strip = mode == Mode::Loose || msg_diacritic || evidence;
    for (n, (a, b)) in joined.into_iter().enumerate() {
        if n > 0 && mode == Mode::Strict {
            out.push(' ');
        }
        // What the last non-mark character was: 0 not a letter, 1 a Latin, Greek or Cyrillic
        // letter, 2 a letter of another script.
        let mut base = 0u8;
        for &c in parts.get(a..b).unwrap_or_default() {
            if is_combining_mark(c) {
                if base == 2 || (base == 1 && !strip) {
                    out.push(c);
                }
                continue;
            }
            out.push(c);
            base = if is_lgc_letter(c) {
                1
            } else if c.is_alphabetic() {
                2
            } else {
                0
            };
        }
    }
    WordOut {
        start,
        end: out.len(),
        leet: is_leet,
        short,
    }
}

/// English spelling decides whether a leet `1` is `l` or `i`: `l` in a word-initial cluster
/// before a vowel (`c1aim`, `p1ay`) and before a final `d` after a vowel (`ho1d`, `wou1d`).
fn reads_as_l(i: usize, prev: Option<char>, next: Option<char>) -> bool {
    match (prev, next) {
        (Some(p), Some(n)) if i == 1 => {
            matches!(p, 'b' | 'c' | 'f' | 'g' | 'p' | 's') && is_vowel(n) && n != 'y'
        }
        (Some(p), Some('d')) => matches!(p, 'o' | 'e' | 'i' | 'u'),
        _ => false,
    }
}

/// Compute a key of `text` into `out` (cleared first). The caller has checked the length.
pub(crate) fn key_into(text: &str, mode: Mode, scratch: &mut Scratch, out: &mut String) {
    out.clear();
    let stats = normalise(text, scratch);
    let msg_diacritic = stats.diacritic_evidence();
    words(scratch);
    let Scratch {
        words,
        wchars,
        work,
        leet,
        parts,
        pieces,
        outs,
        assembled,
        ..
    } = scratch;
    // Message-level confusable evidence: a word mixing Latin letters with look-alikes.
    let msg_confusable = words.iter().any(|&(a, b)| {
        let w = wchars.get(a..b).unwrap_or_default();
        w.iter().any(|&c| is_latin_letter(c)) && w.iter().any(|&c| confusable_latin(c).is_some())
    });
    outs.clear();
    assembled.clear();
    for &(a, b) in words.iter() {
        let w = wchars.get(a..b).unwrap_or_default();
        let o = word(
            w,
            mode,
            msg_confusable,
            msg_diacritic,
            work,
            leet,
            parts,
            pieces,
            assembled,
        );
        outs.push(o);
    }
    let any_leet = outs.iter().any(|o| o.leet);
    let sep = match mode {
        Mode::Strict => " ",
        Mode::Loose => "",
    };
    for (i, o) in outs.iter().enumerate() {
        let piece = match o.short {
            Some(read)
                if match mode {
                    Mode::Strict => {
                        i.checked_sub(1)
                            .and_then(|p| outs.get(p))
                            .is_some_and(|p| p.leet)
                            || outs.get(i + 1).is_some_and(|n| n.leet)
                    }
                    Mode::Loose => any_leet,
                } =>
            {
                Some(read)
            }
            _ => None,
        };
        let text_piece = assembled.get(o.start..o.end).unwrap_or_default();
        if piece.is_none() && text_piece.is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push_str(sep);
        }
        match piece {
            Some(read) => out.extend(read.iter().filter(|&&c| c != ' ')),
            None => out.push_str(text_piece),
        }
    }
    if !out.is_ascii() {
        let composed: String = out.nfc().collect();
        *out = composed;
    }
    if mode == Mode::Loose {
        loose_fold(out, assembled);
    }
}

/// The loose key's last step: similar-looking letters (`l` -> `i`, `rn` -> `m`, `vv` -> `w`) and
/// runs of one letter collapsed to one.
fn loose_fold(out: &mut String, tmp: &mut String) {
    tmp.clear();
    let mut chars = out.chars().peekable();
    let mut last: Option<char> = None;
    while let Some(c) = chars.next() {
        let c = match c {
            'l' => 'i',
            'r' if chars.peek() == Some(&'n') => {
                chars.next();
                'm'
            }
            'v' if chars.peek() == Some(&'v') => {
                chars.next();
                'w'
            }
            c => c,
        };
        if c.is_alphabetic() && last == Some(c) {
            continue;
        }
        tmp.push(c);
        last = Some(c);
    }
    core::mem::swap(out, tmp);
}
