//! Pinned keys: a change of any output here is a change of key version
//! ([`STRICT_KEY_VERSION`], [`LOOSE_KEY_VERSION`], [`SHINGLE_VERSION`], [`URL_CANON_VERSION`]).
//! If a change is intended, bump the versions and update the rows.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use hashscreen::text::{
    loose_key, shingles, strict_key, LOOSE_KEY_VERSION, SHINGLE_VERSION, SHINGLE_WIDTH,
    STRICT_KEY_VERSION,
};
use hashscreen::url::{canonical_expressions, URL_CANON_VERSION};

/// (input, strict key, loose key)
const KEYS: &[(&str, &str, &str)] = &[
    ("Hello, World!", "hello world", "heioworid"),
    ("FREE   discord...nitro!!!", "free discord nitro", "frediscordnitro"),
    ("ｆｒｅｅ\u{3000}ｎｉｔｒｏ", "free nitro", "frenitro"),
    ("𝐟𝐫𝐞𝐞 ⓓⓘⓢⓒⓞⓡⓓ", "free discord", "frediscord"),
    ("ᴄʟᴀɪᴍ 🆂🅴🅽🅳 🆓 🇺🇸", "claim send free us", "ciaimsendfreus"),
    ("f.r.e.e c-l-a-i-m y🚀o🚀u", "free claim you", "freciaimyou"),
    ("Y O U  H 4 V E  W 0 N", "you have won", "youhavewon"),
    ("s e n d g i f t", "sendgift", "sendgift"),
    ("fr33 b1tc01n g1v34w4y", "free bitcoin giveaway", "frebitcoingiveaway"),
    ("c1@!m y0ur pr!z3 n0w", "claim your prize now", "ciaimyourprizenow"),
    ("y0ur p4ck4g3 15 0n h0ld", "your package is on hold", "yourpackageisonhoid"),
    ("x7k9 21st 10:30am $5.00 1,200", "x7k9 21st 10:30am $5.00 1,200", "x7k921st10:30am$5.001,200"),
    ("bob@mail.example don't", "bob mail example dont", "bobmaiexampiedont"),
    ("сһеар ріӏӏѕ оnӏіnе", "cheap pills online", "cheapisonine"),
    ("сор ТОР", "сор тор", "coptop"),
    ("seηd gιfτ", "send gift", "sendgift"),
    ("fr℮℮ piℓℓs", "free pills", "frepis"),
    ("döüblé ýöür çrýptö", "double your crypto", "doubieyourcrypto"),
    ("la peña papá", "la peña papá", "iapenapapa"),
    ("z\u{334}\u{336}\u{317}\u{323}a\u{334}\u{336}\u{317}\u{323}l\u{334}\u{336}\u{317}\u{323}g\u{334}\u{336}\u{317}\u{323}o\u{334}\u{336}\u{317}\u{323}", "zalgo", "zaigo"),
    ("\u{202e}won ezirp\u{202c} ok", "prize now ok", "prizenowok"),
    ("v\u{200b}e\u{200d}r\u{2063}i\u{feff}f\u{ad}y", "verify", "verify"),
    ("maße Straße İstanbul ΣΟΦΟΣ sık", "maße straße i\u{307}stanbul σοφοσ sık", "maßestraßeistanbuioφosık"),
    ("Привет, как дела?", "привет как дела", "npиbetkakдeлa"),
    ("東京は晴れです。", "東京は晴れです", "東京は晴れです"),
    ("म\u{948}\u{902} ठीक ह\u{942}\u{901}", "म\u{948}\u{902} ठीक ह\u{942}\u{901}", "म\u{948}\u{902}ठीकह\u{942}\u{901}"),
    ("مرحبا كيف حالك", "مرحبا كيف حالك", "مرحباكيفحالك"),
    ("Tiếng Việt", "tiếng việt", "tiengviet"),
    ("한국어 텍스트", "한국어 텍스트", "한국어텍스트"),
    ("freeeeee diiiiscoord", "freeeeee diiiiscoord", "frediscord"),
    ("check your mail", "check your mail", "checkyourmai"),
    ("modern corn", "modern corn", "modemcom"),
];

#[test]
fn versions() {
    assert_eq!(
        (
            STRICT_KEY_VERSION,
            LOOSE_KEY_VERSION,
            SHINGLE_VERSION,
            URL_CANON_VERSION
        ),
        (1, 1, 1, 1)
    );
    assert_eq!(SHINGLE_WIDTH, 2);
}

#[test]
fn pinned_keys() {
    for &(input, strict, loose) in KEYS {
        assert_eq!(
            strict_key(input).unwrap(),
            strict,
            "strict key of {input:?}"
        );
        assert_eq!(loose_key(input).unwrap(), loose, "loose key of {input:?}");
    }
}

#[test]
fn pinned_shingles_and_expressions() {
    assert_eq!(
        shingles("URGENT: wire transfer n0w to acc0unt", SHINGLE_WIDTH).unwrap(),
        [
            "urgent wire",
            "wire transfer",
            "transfer now",
            "now to",
            "to account"
        ]
    );
    assert_eq!(
        canonical_expressions("hxxp://Sub.Evil[.]Example:80/a/b/c.html?x=1#f").unwrap(),
        [
            "sub.evil.example/a/b/c.html?x=1",
            "sub.evil.example/a/b/c.html",
            "sub.evil.example/",
            "sub.evil.example/a/",
            "sub.evil.example/a/b/",
            "evil.example/a/b/c.html?x=1",
            "evil.example/a/b/c.html",
            "evil.example/",
            "evil.example/a/",
            "evil.example/a/b/",
        ]
    );
}
