//! The canonicalisation pipeline behind the strict and loose keys (see the module docs of
//! [`crate::text`] for the specification of every step).

use super::bidi;
use super::tables::{
    confusable_latin, enclosed_letter, is_default_ignorable, small_capital, SQUARED_WORDS,
};
use hashscreen_unicode::{
    canonical_combining_class, compose, decompose_compatible, is_combining_mark, is_nfkc_quick_yes,
};

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

/// A character with its class bits (computed once, in stage A).
type Ch = (char, u8);

const ALPHA: u8 = 1;
const NUM: u8 = 2;
const MARK: u8 = 4;
/// A Latin, Greek or Cyrillic letter.
const LGC: u8 = 8;
/// A Latin letter.
const LATIN: u8 = 16;
/// Has a Latin look-alike in [`confusable_latin`].
const LOOK: u8 = 32;
const SPACE: u8 = 64;

const fn ascii_class(b: u8) -> u8 {
    if b.is_ascii_alphabetic() {
        ALPHA | LGC | LATIN
    } else if b.is_ascii_digit() {
        NUM
    } else if b == b' ' {
        SPACE
    } else {
        0
    }
}

const ASCII_CLASS: [u8; 128] = {
    let mut t = [0u8; 128];
    let mut i = 0;
    while i < 128 {
        t[i] = ascii_class(i as u8);
        i += 1;
    }
    t
};

/// Letters of frequent blocks, known Alphabetic without the (slow) general lookup.
#[inline]
fn fast_alphabetic(cp: u32) -> Option<bool> {
    match cp {
        0x00C0..=0x00D6
        | 0x00D8..=0x00F6
        | 0x00F8..=0x02AF
        | 0x0391..=0x03A1
        | 0x03A3..=0x03C9
        | 0x0400..=0x0481
        | 0x048A..=0x052F
        | 0x05D0..=0x05EA
        | 0x0620..=0x064A
        | 0x0904..=0x0939
        | 0x0E01..=0x0E30
        | 0x1100..=0x11FF
        | 0x1E00..=0x1EFF
        | 0x3041..=0x3096
        | 0x30A1..=0x30FA
        | 0x4E00..=0x9FFF
        | 0xAC00..=0xD7A3 => Some(true),
        // Punctuation and spaces of frequent blocks.
        0x2000..=0x206F
        | 0x3000..=0x3004
        | 0x3008..=0x3020
        | 0x0964..=0x0965
        | 0x060C
        | 0x061B
        | 0x061F
        | 0x00A1..=0x00A9
        | 0x00AB..=0x00B4
        | 0x00B6..=0x00B9
        | 0x00BB..=0x00BF
        | 0x00D7
        | 0x00F7 => Some(false),
        _ => None,
    }
}

/// Class bits of `c`.
#[inline]
fn class(c: char) -> u8 {
    if c.is_ascii() {
        return ASCII_CLASS.get(c as usize).copied().unwrap_or(0);
    }
    class_slow(c)
}

fn class_slow(c: char) -> u8 {
    let cp = c as u32;
    if cp >= 0x300 && is_combining_mark(c) {
        return MARK;
    }
    let mut k = 0;
    if fast_alphabetic(cp).unwrap_or_else(|| c.is_alphabetic()) {
        k |= ALPHA;
        if latin_block(cp) {
            k |= LGC | LATIN;
        } else if greek_cyrillic_block(cp) {
            k |= LGC;
        }
    } else if c.is_numeric() {
        k |= NUM;
    } else if c.is_whitespace() {
        k |= SPACE;
    }
    if (0x370..=0xABBF).contains(&cp) && confusable_latin(c).is_some() {
        k |= LOOK;
    }
    k
}

/// Reusable buffers, so that keying many messages does not allocate per message.
#[derive(Default)]
pub(crate) struct Scratch {
    bidi: Vec<char>,
    chars: Vec<Ch>,
    tokens: Vec<Token>,
    run: Vec<Token>,
    groups: Vec<(usize, usize)>,
    /// Words: a range of `chars` (`false`) or, for joined spaced-out letters, of `wchars`.
    words: Vec<(usize, usize, bool)>,
    wchars: Vec<Ch>,
    work: Vec<Ch>,
    leet: Vec<Ch>,
    parts: Vec<Ch>,
    pieces: Vec<(usize, usize)>,
    joined: Vec<(usize, usize)>,
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
    /// Some character has a Latin look-alike.
    lookalikes: bool,
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

#[inline]
fn is_alnum(k: u8) -> bool {
    k & (ALPHA | NUM) != 0 && k & MARK == 0
}

#[inline]
fn ascii(c: char) -> Ch {
    (c, class(c))
}

/// The Latin blocks (the Latin letters of Scripts.txt live there), ASCII excluded.
#[inline]
fn latin_block(cp: u32) -> bool {
    matches!(cp,
        0x00C0..=0x024F | 0x0250..=0x02AF | 0x1D00..=0x1DBF | 0x1E00..=0x1EFF
        | 0x2C60..=0x2C7F | 0xA720..=0xA7FF | 0xAB30..=0xAB6F)
}

/// The Greek and Cyrillic blocks. Letters of these and of the Latin blocks lose their combining
/// marks when a message shows diacritic evasion.
#[inline]
fn greek_cyrillic_block(cp: u32) -> bool {
    matches!(cp,
        0x0370..=0x03FF | 0x1F00..=0x1FFF | 0x0400..=0x052F | 0x1C80..=0x1C8F
        | 0x2DE0..=0x2DFF | 0xA640..=0xA69F)
}

#[inline]
fn is_enclosing_mark(c: char) -> bool {
    matches!(c as u32, 0x0488 | 0x0489 | 0x20DD..=0x20E0 | 0x20E2..=0x20E4 | 0xA670..=0xA672)
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
            let c = b.to_ascii_lowercase();
            let c = if c.is_ascii_whitespace() || c.is_ascii_control() {
                b' '
            } else {
                c
            };
            let k = ASCII_CLASS.get(c as usize).copied().unwrap_or(0);
            if k & (ALPHA | NUM) != 0 {
                st.alnum += 1;
            }
            chars.push((c as char, k));
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
fn emit_decomposed(c: char, chars: &mut Vec<Ch>, st: &mut Stats) {
    if c.is_ascii() {
        emit(c, chars, st);
    } else if matches!(c as u32,
        0x05D0..=0x05EA | 0x0621..=0x063A | 0x0641..=0x064A | 0x3041..=0x3096 | 0x30A1..=0x30FA
        | 0x4E00..=0x9FFF | 0xAC00..=0xD7A3)
    {
        // Letters of uncased scripts that NFKC keeps and that have no look-alike (Hebrew,
        // Arabic, kana, CJK ideographs, Hangul syllables): nothing to do but count them.
        st.alnum += 1;
        st.base_lgc = false;
        st.marks_on_base = 0;
        chars.push((c, ALPHA));
    } else if matches!(c as u32, 0x0590..=0x1C7F | 0x2E80..=0xA63F) && is_nfkc_quick_yes(c) {
        // In the blocks of other scripts (Hebrew to Ol Chiki, CJK to Vai), a character that
        // NFKC keeps as it is needs no decomposition: its marks are never removed, and composing
        // it back would only cost time (the output is still NFKC; see `word`).
        emit(c, chars, st);
    } else {
        decompose_compatible(c, |d| emit(d, chars, st));
    }
}

fn emit(d: char, chars: &mut Vec<Ch>, st: &mut Stats) {
    if d.is_ascii() {
        let c = d.to_ascii_lowercase();
        let c = if c.is_ascii_whitespace() || c.is_ascii_control() {
            ' '
        } else {
            c
        };
        let k = class(c);
        st.marks_on_base = 0;
        st.base_lgc = k & LGC != 0;
        if k & (ALPHA | NUM) != 0 {
            st.alnum += 1;
        }
        chars.push((c, k));
        return;
    }
    if is_default_ignorable(d) {
        return;
    }
    let k = class(d);
    st.lookalikes |= k & LOOK != 0;
    if k & MARK != 0 {
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
        chars.push((d, k));
        return;
    }
    st.marks_on_base = 0;
    if k & SPACE != 0 || d.is_control() {
        st.base_lgc = false;
        chars.push((' ', SPACE));
        return;
    }
    if let Some(l) = enclosed_letter(d).or_else(|| small_capital(d)) {
        st.alnum += 1;
        st.base_lgc = true;
        chars.push(ascii(l as char));
        return;
    }
    if let 0x1F191..=0x1F19A = d as u32 {
        let word = SQUARED_WORDS
            .get((d as u32 - 0x1F191) as usize)
            .copied()
            .unwrap_or("");
        for l in word.chars() {
            st.alnum += 1;
            chars.push(ascii(l));
        }
        st.base_lgc = true;
        return;
    }
    if k & (ALPHA | NUM) != 0 {
        st.alnum += 1;
    }
    if k & ALPHA == 0 {
        st.base_lgc = false;
        chars.push((d, k));
        return;
    }
    if matches!(d as u32, 0x00DF..=0x00FF | 0x03AC..=0x03CE | 0x0430..=0x045F | 0x0590..=0x109F
        | 0x3040..=0x9FFF | 0xAC00..=0xD7FF)
        && d != '\u{00F7}'
        && d != '\u{03C2}'
    {
        // Already lowercase, or uncased: `to_lowercase` would return it unchanged.
        st.base_lgc = k & LGC != 0;
        chars.push((d, k));
        return;
    }
    let mut lower = d.to_lowercase();
    if let (Some(l), None) = (lower.next(), lower.clone().next()) {
        // One-to-one (the usual case): the class is unchanged unless a look-alike appears.
        // Simple case folding maps final sigma to sigma.
        let l = if l == '\u{03C2}' { '\u{03C3}' } else { l };
        let kl = if l == d { k } else { class(l) };
        st.base_lgc = kl & LGC != 0;
        st.lookalikes |= kl & LOOK != 0;
        chars.push((l, kl));
        return;
    }
    let mut first = true;
    for l in d.to_lowercase() {
        let kl = class(l);
        st.lookalikes |= kl & LOOK != 0;
        if first {
            st.base_lgc = kl & LGC != 0;
            first = false;
        }
        chars.push((l, kl));
    }
}

/// Stage B step 1: whitespace tokens, and the words they make once spaced-out letters are joined.
fn words(scratch: &mut Scratch) {
    let Scratch {
        chars,
        tokens,
        run,
        groups,
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
        while chars.get(i).is_some_and(|c| c.1 & SPACE != 0) {
            i += 1;
        }
        let start = i;
        let mut alnum = 0;
        while let Some(&(_, k)) = chars.get(i) {
            if k & SPACE != 0 {
                break;
            }
            if is_alnum(k) {
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
            words.push((tok.start, tok.end, false));
            t += 1;
            continue;
        }
        run.clear();
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
                words.push((tk.start, tk.end, false));
            }
            t = last;
            continue;
        }
        // Group at wide gaps (two or more spaces, or anything between the letters).
        groups.clear();
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
        // Three or more consecutive one-letter groups are one group (a second pass over a key
        // must not join them differently), and so are groups that are all single letters.
        let mut k = 0;
        while k < groups.len() {
            let mut m = k;
            while groups.get(m).is_some_and(|&(a, b)| b - a == 1) {
                m += 1;
            }
            let (a, b) = if m - k >= 3 || (m - k >= 2 && k == 0 && m == groups.len()) {
                let a = groups.get(k).map_or(0, |g| g.0);
                let b = groups.get(m - 1).map_or(0, |g| g.1);
                k = m;
                (a, b)
            } else if let Some(&gr) = groups.get(k) {
                k += 1;
                gr
            } else {
                break;
            };
            push_word(chars, wchars, words, run.get(a..b).unwrap_or_default());
        }
        t = last;
    }
}

fn push_word(
    chars: &[Ch],
    wchars: &mut Vec<Ch>,
    words: &mut Vec<(usize, usize, bool)>,
    toks: &[Token],
) {
    if let [tk] = toks {
        words.push((tk.start, tk.end, false));
        return;
    }
    let start = wchars.len();
    for tk in toks {
        wchars.extend_from_slice(chars.get(tk.start..tk.end).unwrap_or_default());
    }
    words.push((start, wchars.len(), true));
}

/// Is the word `digits + ordinal suffix` (1st, 22nd, 13th), which stays as written?
fn is_ordinal(w: &[Ch]) -> bool {
    let digits = w.iter().take_while(|c| c.0.is_ascii_digit()).count();
    if digits == 0 || w.len() != digits + 2 {
        return false;
    }
    let (Some(&(a, _)), Some(&(b, _))) = (w.get(digits), w.get(digits + 1)) else {
        return false;
    };
    let last = w.get(digits - 1).map_or('0', |c| c.0);
    let tens = digits >= 2 && w.get(digits - 2).is_some_and(|c| c.0 == '1');
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
fn has_number_punct(w: &[Ch]) -> bool {
    w.windows(3).any(|t| {
        matches!(t, [a, p, b] if a.0.is_ascii_digit() && b.0.is_ascii_digit()
            && matches!(p.0, '.' | ',' | ':' | '/' | '-'))
    })
}

/// Per-message facts and buffers that [`word`] uses.
struct WordCtx<'a> {
    mode: Mode,
    msg_confusable: bool,
    msg_diacritic: bool,
    work: &'a mut Vec<Ch>,
    leet: &'a mut Vec<Ch>,
    parts: &'a mut Vec<Ch>,
    pieces: &'a mut Vec<(usize, usize)>,
    joined: &'a mut Vec<(usize, usize)>,
    /// Buffer for composing one word.
    nfc: &'a mut String,
}

/// Stage B for one word: confusables, leet, separators, marks. Appends to `out`.
fn word(src: &[Ch], cx: &mut WordCtx<'_>, out: &mut String) -> WordOut {
    let start = out.len();
    let mode = cx.mode;
    let mut evidence = false;

    // 1. Confusables (UTS #39), only where the word or message shows mixing.
    let mut has_latin = false;
    let mut has_lookalike = false;
    let mut all_latin_or_lookalike = true;
    let mut letters = 0usize;
    let mut any_leet = false;
    for &(c, k) in src {
        if k & MARK != 0 {
            continue;
        }
        if k & LATIN != 0 {
            has_latin = true;
            letters += 1;
        } else if k & LOOK != 0 {
            has_lookalike = true;
            letters += 1;
        } else if k & ALPHA != 0 {
            all_latin_or_lookalike = false;
            letters += 1;
        } else if is_leet_char(c) {
            any_leet = true;
        }
    }
    let fold = has_lookalike
        && (mode == Mode::Loose || has_latin || (cx.msg_confusable && all_latin_or_lookalike));
    let work = &mut *cx.work;
    work.clear();
    if mode == Mode::Loose {
        // Similar letters first, so that the leet decisions see what the key will hold.
        work.extend(src.iter().map(|&(c, k)| {
            if c == 'l' {
                ('i', k)
            } else if k & LOOK != 0 {
                confusable_latin(c).map_or((c, k), |l| ascii(l as char))
            } else {
                (c, k)
            }
        }));
    } else if fold {
        evidence = true;
        work.extend(src.iter().map(|&(c, k)| {
            if k & LOOK != 0 {
                match confusable_latin(c) {
                    Some(l) => ascii(l as char),
                    None => (c, k),
                }
            } else {
                (c, k)
            }
        }));
    } else {
        work.extend_from_slice(src);
    }

    // 2. Leetspeak inside words that contain a Latin letter.
    let mut short = None;
    let mut is_leet = false;
    if any_leet {
        let ascii_letters = work.iter().filter(|c| c.0.is_ascii_lowercase()).count();
        if ascii_letters > 0 && letters > 0 && !is_ordinal(work) && !has_number_punct(work) {
            // `name@host.tld` is an address, not leet.
            let email = work.iter().position(|c| c.0 == '@').is_some_and(|at| {
                work.get(at..)
                    .unwrap_or_default()
                    .iter()
                    .any(|c| c.0 == '.')
            });
            let leet = &mut *cx.leet;
            leet.clear();
            for (i, &(c, k)) in work.iter().enumerate() {
                let next = work.get(i + 1).copied();
                let mapped = match c {
                    '!' => {
                        if next.is_some_and(|n| is_alnum(n.1)) {
                            'i'
                        } else {
                            '!'
                        }
                    }
                    '1' => {
                        let prev = leet.last().map(|p| p.0);
                        let next = next.map(|n| leet_plain(n.0).unwrap_or(n.0));
                        if reads_as_l(i, prev, next) {
                            'l'
                        } else {
                            'i'
                        }
                    }
                    '@' if email => '@',
                    _ => match leet_plain(c) {
                        Some(l) => l,
                        None => {
                            leet.push((c, k));
                            continue;
                        }
                    },
                };
                leet.push(ascii(mapped));
            }
            if leet.iter().any(|c| is_vowel(c.0)) && leet.as_slice() != work.as_slice() {
                core::mem::swap(work, leet);
                is_leet = true;
                evidence = true;
            }
        } else if letters == 0
            && (1..=2).contains(&work.len())
            && work.iter().all(|c| is_leet_char(c.0))
        {
            let mut read = [' '; 2];
            for (slot, c) in read.iter_mut().zip(work.iter()) {
                *slot = match c.0 {
                    '!' | '1' => 'i',
                    x => leet_plain(x).unwrap_or(x),
                };
            }
            if read.iter().any(|&c| is_vowel(c)) {
                short = Some(read);
            }
        }
    }

    // 3. Separators: split into pieces at punctuation and symbols, keeping number punctuation.
    let (parts, pieces, joined) = (&mut *cx.parts, &mut *cx.pieces, &mut *cx.joined);
    parts.clear();
    pieces.clear();
    joined.clear();
    let mut piece_start = 0;
    for (i, &(c, k)) in work.iter().enumerate() {
        if k & (ALPHA | NUM | MARK) != 0 {
            parts.push((c, k));
            continue;
        }
        let prev = i.checked_sub(1).and_then(|p| work.get(p)).copied();
        let next = work.get(i + 1).copied();
        let digit_before = prev.is_some_and(|p| p.1 & NUM != 0);
        let digit_after = next.is_some_and(|n| n.1 & NUM != 0);
        let keep = ((is_currency(c) || c == '%') && (digit_before || digit_after))
            || (matches!(c, '.' | ',' | ':') && digit_before && digit_after);
        if keep {
            parts.push((c, k));
            continue;
        }
        if is_apostrophe(c)
            && prev.is_some_and(|p| p.1 & ALPHA != 0)
            && next.is_some_and(|n| n.1 & ALPHA != 0)
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
            .filter(|c| is_alnum(c.1))
            .count()
            == 1
    };
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
    let strip = mode == Mode::Loose || cx.msg_diacritic || evidence;
    let mut needs_nfc = false;
    for &(a, b) in joined.iter() {
        // A space between pieces, taken back if the piece turns out empty (only marks).
        let before = out.len();
        if before > start && mode == Mode::Strict {
            out.push(' ');
        }
        let after_space = out.len();
        // What the last non-mark character was: 0 not a letter, 1 a Latin, Greek or Cyrillic
        // letter, 2 a letter of another script.
        let mut base = 0u8;
        let mut prev = ' ';
        let mut base_char = ' ';
        let mut kept_mark = false;
        for &(c, k) in parts.get(a..b).unwrap_or_default() {
            if k & MARK != 0 {
                if base == 2 || (base == 1 && !strip) {
                    out.push(c);
                    // NFC has work only if this mark composes with what precedes it, or with
                    // the base past an earlier mark, or must be reordered before that mark.
                    if compose(prev, c).is_some()
                        || (kept_mark
                            && (compose(base_char, c).is_some() || {
                                let (cp, cc) = (
                                    canonical_combining_class(prev),
                                    canonical_combining_class(c),
                                );
                                cc != 0 && cp > cc
                            }))
                    {
                        needs_nfc = true;
                    }
                    kept_mark = true;
                    prev = c;
                }
                continue;
            }
            // Starters compose too (Hangul jamo, some Brahmic vowel signs coded as letters);
            // below U+0900 and in the CJK, kana and Hangul syllable blocks none is a second
            // element of a composition.
            if (c as u32) >= 0x0900
                && !matches!(c as u32, 0x3041..=0x30FA | 0x4E00..=0x9FFF | 0xAC00..=0xD7A3)
                && compose(prev, c).is_some()
            {
                needs_nfc = true;
            }
            prev = c;
            base_char = c;
            kept_mark = false;
            out.push(c);
            base = if k & LGC != 0 {
                1
            } else if k & ALPHA != 0 {
                2
            } else {
                0
            };
        }
        if out.len() == after_space {
            out.truncate(before);
        }
    }
    // 5. NFC, for this word only (words never compose with each other).
    if needs_nfc {
        let nfc = &mut *cx.nfc;
        nfc.clear();
        nfc.extend(hashscreen_unicode::nfc(
            out.get(start..).unwrap_or_default().chars(),
        ));
        out.truncate(start);
        out.push_str(nfc);
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
///
/// Returns whether spaced-out letters were joined into a word (step 8), which is evidence for
/// the strict key's joined form (see the module docs).
pub(crate) fn key_into(text: &str, mode: Mode, scratch: &mut Scratch, out: &mut String) -> bool {
    out.clear();
    let stats = normalise(text, scratch);
    let msg_diacritic = stats.diacritic_evidence();
    words(scratch);
    let spaced = scratch.words.iter().any(|w| w.2);
    let Scratch {
        chars,
        words,
        wchars,
        work,
        leet,
        parts,
        pieces,
        joined,
        outs,
        assembled,
        ..
    } = scratch;
    // Message-level confusable evidence: a word mixing Latin letters with look-alikes.
    let word_of = |&(a, b, joined): &(usize, usize, bool)| {
        if joined {
            wchars.get(a..b)
        } else {
            chars.get(a..b)
        }
        .unwrap_or_default()
    };
    let msg_confusable = stats.lookalikes
        && words.iter().any(|w| {
            let w = word_of(w);
            w.iter().any(|c| c.1 & LATIN != 0) && w.iter().any(|c| c.1 & LOOK != 0)
        });
    let mut cx = WordCtx {
        mode,
        msg_confusable,
        msg_diacritic,
        work,
        leet,
        parts,
        pieces,
        joined,
        nfc: assembled,
    };
    outs.clear();
    let sep = match mode {
        Mode::Strict => " ",
        Mode::Loose => "",
    };
    // Words go straight into `out`; the rare letterless leet tokens are settled afterwards.
    for w in words.iter() {
        let w = word_of(w);
        let mark = out.len();
        if !out.is_empty() {
            out.push_str(sep);
        }
        let o = if w.iter().all(|c| c.0.is_ascii_lowercase()) {
            // Fast path: a plain lowercase ASCII word needs none of the steps.
            let start = out.len();
            out.extend(w.iter().map(|c| c.0));
            WordOut {
                start,
                end: out.len(),
                leet: false,
                short: None,
            }
        } else {
            word(w, &mut cx, out)
        };
        if o.start == o.end && o.short.is_none() {
            out.truncate(mark);
            continue;
        }
        outs.push(o);
    }
    let any_leet = outs.iter().any(|o| o.leet);
    let reads = |i: usize, o: &WordOut| {
        o.short.filter(|_| match mode {
            Mode::Strict => {
                i.checked_sub(1)
                    .and_then(|p| outs.get(p))
                    .is_some_and(|p| p.leet)
                    || outs.get(i + 1).is_some_and(|n| n.leet)
            }
            Mode::Loose => any_leet,
        })
    };
    let rebuild = outs
        .iter()
        .enumerate()
        .any(|(i, o)| o.short.is_some() && (reads(i, o).is_some() || o.start == o.end));
    if rebuild {
        assembled.clear();
        for (i, o) in outs.iter().enumerate() {
            let read = reads(i, o);
            let text_piece = out.get(o.start..o.end).unwrap_or_default();
            if read.is_none() && text_piece.is_empty() {
                continue;
            }
            if !assembled.is_empty() {
                assembled.push_str(sep);
            }
            match read {
                Some(read) => assembled.extend(read.iter().filter(|&&c| c != ' ')),
                None => assembled.push_str(text_piece),
            }
        }
        core::mem::swap(out, assembled);
    }
    if mode == Mode::Loose {
        loose_fold(out, assembled);
    }
    spaced
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fast_alphabetic_agrees_with_std() {
        for cp in 0..=0x10FFFFu32 {
            let Some(c) = char::from_u32(cp) else {
                continue;
            };
            if let Some(a) = fast_alphabetic(cp) {
                assert_eq!(a, c.is_alphabetic(), "U+{cp:04X}");
            }
        }
    }

    #[test]
    fn lowercase_shortcut_agrees_with_std() {
        // The ranges `emit` treats as already lowercase or uncased.
        for cp in [
            0x00DF..=0x00FF,
            0x03AC..=0x03CE,
            0x0430..=0x045F,
            0x0590..=0x109F,
            0x3040..=0x9FFF,
            0xAC00..=0xD7FF,
        ] {
            for cp in cp {
                let Some(c) = char::from_u32(cp) else {
                    continue;
                };
                if c == '\u{00F7}' || c == '\u{03C2}' {
                    continue;
                }
                assert_eq!(
                    c.to_lowercase().collect::<String>(),
                    c.to_string(),
                    "U+{cp:04X}"
                );
            }
        }
    }

    #[test]
    fn uncased_fast_path_chars_are_plain_letters() {
        for r in [
            0x05D0..=0x05EA,
            0x0621..=0x063A,
            0x0641..=0x064A,
            0x3041..=0x3096,
            0x30A1..=0x30FA,
            0x4E00..=0x9FFF,
            0xAC00..=0xD7A3u32,
        ] {
            for cp in r {
                let Some(c) = char::from_u32(cp) else {
                    continue;
                };
                assert!(c.is_alphabetic() && !is_combining_mark(c), "U+{cp:04X}");
                assert!(is_nfkc_quick_yes(c), "U+{cp:04X}");
                assert!(confusable_latin(c).is_none() && !is_default_ignorable(c));
                assert_eq!(c.to_lowercase().next(), Some(c));
            }
        }
    }
}
