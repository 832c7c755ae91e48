//! Inputs and helpers shared by `benches/text.rs` (criterion, wall clock) and
//! `tests/text_speed.rs` (CPU time), so that both measure the same work on the same messages.
//! Included by both with `#[path]`.

#![allow(dead_code)]

use std::hint::black_box;

/// The digest key of the measurements (any key costs the same).
pub const KEY: [u8; 32] = [7; 32];

/// Chat-sized plain ASCII messages.
pub const PLAIN: &[&str] = &[
    "hey are we still on for lunch tomorrow?",
    "Can you send me the report by Friday? Thanks!",
    "lol that was hilarious, see you at 7pm at the usual place",
    "ok",
    "Your package is on hold, please confirm your address to release it.",
    "I'm running 10 minutes late, traffic on the bridge is terrible today. Order me a coffee please, the big one with oat milk, I'll pay you back.",
    "Meeting moved to 3:30pm in room 4B. Bring the Q3 numbers and the draft of the new contract so we can go through the open points with legal before we send anything out.",
    "happy birthday!!! hope you have an amazing day",
];

/// Chat-sized messages in eight scripts and languages.
pub const MULTILINGUAL: &[&str] = &[
    "Привет! Ты придёшь завтра на встречу? Напиши, пожалуйста.",
    "明日の会議は10時からです。資料を持ってきてください。",
    "Ça va très bien, merci ! On se voit à la gare à 18h ?",
    "¿Dónde está la estación de tren? Necesito llegar antes de las cinco.",
    "मैं ठीक हूँ, धन्यवाद। आप कैसे हैं?",
    "مرحبا، كيف حالك؟ أراك غدا في المكتب",
    "Straße gesperrt, wir nehmen die Umleitung über Köln.",
    "Tiếng Việt có dấu rất đẹp, bạn có nghĩ vậy không?",
];

/// Chat-sized messages with evasion: full-width, look-alikes, leetspeak, mathematical letters,
/// Zalgo marks, bidi overrides, zero-width characters, spaced-out letters.
pub const EVASIVE: &[&str] = &[
    "ｆｒｅｅ　ｄｉｓｃｏｒｄ　ｎｉｔｒｏ　ｃｌａｉｍ　ｎｏｗ",
    "сһеар ріӏӏѕ оnӏіnе, verify уоur ассоunt",
    "y0ur p@ck@93 !$ 0n h01d, c1@!m y0ur pr!z3 n0w",
    "𝐟𝐫𝐞𝐞 𝐛𝐢𝐭𝐜𝐨𝐢𝐧 𝐠𝐢𝐯𝐞𝐚𝐰𝐚𝐲",
    "ů̴̖̗̣̭r̖̗̂̃̈̊g̴̶̗̣̭͑e̴̖̗̣̭̊n͡҉̀́̂̃ẗ̖̗̣̭̊ w̴̶̗̣̭͑i̴̶̭͑͜͡r̖̗̂̃̈̊e̴̖̗̣̭̊",
    "\u{202E}won ezirp ruoy mialc\u{202C} and f.r.e.e b.i.t.c.o.i.n",
    "v\u{200B}e\u{200B}r\u{200B}i\u{200B}f\u{200B}y your account at 🆂🅴🅽🅳",
    "Y O U  H 4 V E  W 0 N  4 N  I P H O N E",
];

/// The three batches, by name.
pub const BATCHES: [(&str, &[&str]); 3] = [
    ("plain_ascii", PLAIN),
    ("multilingual", MULTILINGUAL),
    ("evasive", EVASIVE),
];

/// URLs by name: one expression, fifteen, defanged, IP with escapes, IDN.
pub const URLS: [(&str, &str); 5] = [
    ("short", "http://evil.example/"),
    (
        "typical",
        "https://login.secure-bank.example.com/account/verify/index.php?session=8f3a9c&lang=en",
    ),
    (
        "defanged",
        "hxxps://free-nitro[.]example/claim/gift?id=12345",
    ),
    (
        "ip+escapes",
        "http://0xcb.0x0.0x71.0x7/%67%69%66%74/./a/../b/c/d/e.html",
    ),
    ("idn", "http://www.ümlat.example/päth/x"),
];

/// Input bytes of a batch.
pub fn bytes(batch: &[&str]) -> u64 {
    batch.iter().map(|s| s.len() as u64).sum()
}

/// `blake3::keyed_hash(KEY, version tag || key)`, through a reused input buffer.
pub fn digest(buf: &mut Vec<u8>, version: u16, key: &str) -> blake3::Hash {
    buf.clear();
    buf.extend_from_slice(&version.to_le_bytes());
    buf.extend_from_slice(key.as_bytes());
    blake3::keyed_hash(&KEY, buf)
}

/// Reusable buffers for [`strict_screen_work`].
#[derive(Default)]
pub struct Buffers {
    key: String,
    form: String,
    input: Vec<u8>,
}

/// What the Screener does for the strict signal of one message: the strict key, its digest, and
/// the digest of each evidence form the message opens.
pub fn strict_screen_work(text: &str, b: &mut Buffers) {
    use hashscreen::text::{strict_key_evidence, StrictForm, STRICT_KEY_VERSION};
    let e = strict_key_evidence(text, &mut b.key).unwrap();
    black_box(digest(&mut b.input, STRICT_KEY_VERSION, &b.key));
    for f in StrictForm::ALL {
        if f.applies(e) {
            f.apply(&b.key, &mut b.form);
            black_box(digest(&mut b.input, STRICT_KEY_VERSION, &b.form));
        }
    }
}

/// One URL as the Screener handles it: canonicalise, then digest every expression.
pub fn url_screen_work(url: &str, buf: &mut Vec<u8>) {
    let c = hashscreen::url::canonicalize(url).unwrap();
    hashscreen::url::for_each_expression(&c, |e| {
        black_box(digest(buf, hashscreen::url::URL_CANON_VERSION, e));
    });
}
