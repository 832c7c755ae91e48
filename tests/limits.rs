//! Every resource limit through the public screening entry points (`Screener` and a whole
//! `Message`): at the limit the input is screened, one byte or pixel over it is a typed error (or an
//! `unscreened` entry naming that error), and the other parts of the message are still screened.
//! The limits themselves (`docs/security.md`) are unit-tested where they are defined
//! (`tests/text_untrusted.rs`, `tests/image_untrusted.rs`, `tests/integrity.rs` for blocklists).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use hashscreen::image::{DEFAULT_MAX_INPUT_BYTES, DEFAULT_MAX_PIXELS};
use hashscreen::text::MAX_TEXT_BYTES;
use hashscreen::url::MAX_URL_BYTES;
use hashscreen::{Blocklist, BlocklistBuilder, Error, Key, Message, OpenOptions, Screener};

fn screener() -> Screener {
    let key = Key::from_bytes([0x33; 32]);
    let mut b = BlocklistBuilder::new(&key);
    b.add_text("scam", "claim your prize now").unwrap();
    b.add_url("phishing", "evil.example").unwrap();
    b.add_file("malware", b"bad").unwrap();
    // With an image section: without one, images are screened by their bytes only (never decoded).
    let jpeg = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/fixtures/images/corpus/0075.jpg"
    ))
    .unwrap();
    b.add_image("images", &jpeg).unwrap();
    let list = Blocklist::open(b.build().unwrap(), &OpenOptions::default()).unwrap();
    Screener::new(&list, &key).unwrap()
}

/// A PNG header declaring `w` x `h` (8-bit grey), with an empty IDAT: refused from the header.
fn png_header(w: u32, h: u32) -> Vec<u8> {
    fn chunk(kind: &[u8; 4], data: &[u8]) -> Vec<u8> {
        let mut c = (data.len() as u32).to_be_bytes().to_vec();
        c.extend_from_slice(kind);
        c.extend_from_slice(data);
        let mut crc = 0xffff_ffffu32;
        for &b in kind.iter().chain(data) {
            crc ^= u32::from(b);
            for _ in 0..8 {
                crc = if crc & 1 != 0 {
                    (crc >> 1) ^ 0xedb8_8320
                } else {
                    crc >> 1
                };
            }
        }
        c.extend_from_slice(&(!crc).to_be_bytes());
        c
    }
    let mut ihdr = w.to_be_bytes().to_vec();
    ihdr.extend_from_slice(&h.to_be_bytes());
    ihdr.extend_from_slice(&[8, 0, 0, 0, 0]);
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    out.extend(chunk(b"IHDR", &ihdr));
    out.extend(chunk(
        b"IDAT",
        &[0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01],
    ));
    out.extend(chunk(b"IEND", &[]));
    out
}

#[test]
fn text_limit_through_the_screener() {
    let s = screener();
    // At the limit: screened (and a listed text at the end of a long one is not a match).
    let at = format!("{}claim your prize now", "x".repeat(MAX_TEXT_BYTES - 20));
    assert_eq!(at.len(), MAX_TEXT_BYTES);
    assert!(s.screen_text(&at).is_ok());
    let over = "a".repeat(MAX_TEXT_BYTES + 1);
    assert_eq!(
        s.screen_text(&over).unwrap_err(),
        Error::InputTooLarge {
            limit: MAX_TEXT_BYTES,
            found: MAX_TEXT_BYTES + 1
        }
    );
    // In a message: the long part is unscreened with the typed reason, the others still match.
    let v = s.screen(&Message::new().text(&over).text("claim your prize now"));
    assert!(v.matched());
    assert_eq!(v.matches()[0].part(), 1);
    assert_eq!(v.unscreened().len(), 1);
    assert_eq!(v.unscreened()[0].part(), 0);
    assert!(matches!(
        v.unscreened()[0].reason(),
        Error::InputTooLarge { .. }
    ));
}

#[test]
fn url_limit_through_the_screener() {
    let s = screener();
    let head = "http://evil.example/";
    let at = format!("{head}{}", "a".repeat(MAX_URL_BYTES - head.len()));
    assert!(s.screen_url(&at).unwrap().matched());
    let over = format!("{head}{}", "a".repeat(MAX_URL_BYTES + 1 - head.len()));
    assert!(matches!(
        s.screen_url(&over).unwrap_err(),
        Error::InputTooLarge { limit, .. } if limit == MAX_URL_BYTES
    ));
    let v = s.screen(&Message::new().url(&over).file(b"bad"));
    assert!(v.matched());
    assert_eq!(v.unscreened().len(), 1);
}

#[test]
fn image_limits_through_the_screener() {
    let s = screener();
    // Input bytes: one over the default is refused before any decoding.
    let mut huge = png_header(64, 64);
    huge.resize(DEFAULT_MAX_INPUT_BYTES + 1, 0);
    assert_eq!(
        s.screen_image(&huge).unwrap_err(),
        Error::ImageInputTooLarge {
            limit: DEFAULT_MAX_INPUT_BYTES,
            found: DEFAULT_MAX_INPUT_BYTES + 1
        }
    );
    // Dimensions and pixels: a 50000 x 50000 header and one just over 100 M pixels.
    for (w, h) in [(50_000, 50_000), (10_001, 10_000)] {
        let err = s.screen_image(&png_header(w, h)).unwrap_err();
        assert!(
            matches!(err, Error::ImageTooLarge { .. }),
            "{w}x{h}: {err:?}"
        );
    }
    assert!(u64::from(10_001u32 * 10_000) > DEFAULT_MAX_PIXELS);
    // In a message: the image's bytes are still screened as a file, the PDQ path is unscreened.
    let bomb = png_header(50_000, 50_000);
    let v = s.screen(&Message::new().image(&bomb).file(b"bad"));
    assert!(v.matched());
    assert_eq!(v.unscreened().len(), 1);
    assert!(matches!(
        v.unscreened()[0].reason(),
        Error::ImageTooLarge { .. }
    ));
}

/// `BloomFilter::new` takes caller-chosen parameters: out-of-range shapes are clamped (no abort on
/// a 256 GiB allocation, no index panic on insert into a 0-block filter); `try_new` refuses them.
#[test]
fn bloom_filter_parameters_are_bounded() {
    use hashscreen::filter::{BloomFilter, FilterParams};
    let d = hashscreen::digest(
        &Key::from_bytes([1; 32]),
        hashscreen::SignalKind::Text,
        1,
        b"x",
    );
    for (block_count, blocks_per_key, bits_per_block) in [(0, 0, 0), (1, 9, 200), (3, 255, 33)] {
        let p = FilterParams {
            block_count,
            blocks_per_key,
            bits_per_block,
        };
        assert!(BloomFilter::try_new(p).is_err());
        let mut f = BloomFilter::new(p);
        assert!(f.params().validate().is_ok());
        f.insert(&d);
        assert!(f.as_ref().contains(&d));
    }
    let huge = FilterParams {
        block_count: u32::MAX,
        blocks_per_key: 2,
        bits_per_block: 8,
    };
    assert!(BloomFilter::try_new(huge).is_err());
    assert!(huge.validate().is_err());
}

/// A list section can ask for any shingle width (`params[0]`); the shingles of a text take about
/// `width` times its length, so widths above `MAX_SHINGLE_WIDTH` are refused: a hostile list (not
/// signed, or opened without a publisher) cannot turn one 64 KiB message into hundreds of MB.
#[test]
fn shingle_width_is_bounded() {
    use hashscreen::blocklist::format;
    use hashscreen::text::{shingles, MAX_SHINGLE_WIDTH};
    let words: Vec<String> = (0..9000).map(|i| format!("w{i}")).collect();
    let long = words.join(" ");
    assert!(long.len() <= MAX_TEXT_BYTES);
    assert_eq!(shingles(&long, MAX_SHINGLE_WIDTH).unwrap().len(), 9000 - 15);
    assert!(matches!(
        shingles(&long, MAX_SHINGLE_WIDTH + 1).unwrap_err(),
        Error::InvalidParameters { .. }
    ));

    // A list whose shingle section asks for width 4500, checksum recomputed.
    let key = Key::from_bytes([0x44; 32]);
    let mut b = BlocklistBuilder::new(&key);
    b.add_text("scam", "claim your prize now").unwrap();
    let bytes = b.build().unwrap();
    let list = Blocklist::open(bytes.clone(), &OpenOptions::default()).unwrap();
    let i = list
        .sections()
        .iter()
        .position(|s| s.signal == Some(hashscreen::SignalKind::TextShingle))
        .unwrap();
    let n = bytes.len() - 32;
    let mut body = bytes[..n].to_vec();
    let at = format::HEADER_LEN + i * format::SECTION_LEN + format::section::PARAMS;
    body[at..at + 4].copy_from_slice(&4500u32.to_le_bytes());
    let checksum = *blake3::hash(&body).as_bytes();
    body.extend_from_slice(&checksum);
    let hostile = Blocklist::open(body, &OpenOptions::default()).unwrap();
    let s = Screener::new(&hostile, &key).unwrap();
    let v = s.screen(&Message::new().text(&long).text("claim your prize now"));
    // The long text is unscreened (typed), the short one still matches its strict key.
    assert!(v.matched());
    assert!(v
        .unscreened()
        .iter()
        .any(|u| u.part() == 0 && matches!(u.reason(), Error::InvalidParameters { .. })));
}
