//! Files screened in pieces (`FileHasher`, `Screener::file_hasher`, `Part::FileDigest`): the same
//! digests and verdicts as the whole-file calls, however the bytes are cut.

use hashscreen::{
    file_digest, Blocklist, BlocklistBuilder, FileHasher, Key, Message, OpenOptions, Part, Screener,
};
use proptest::prelude::*;

fn screener(key: &Key, listed: &[u8], with_files: bool) -> Screener {
    let mut b = BlocklistBuilder::new(key);
    b.add_text("scam", "send gift card codes").unwrap();
    if with_files {
        b.add_file("malware", listed).unwrap();
    }
    let list = Blocklist::open(b.build().unwrap(), &OpenOptions::default()).unwrap();
    Screener::new(&list, key).unwrap()
}

/// `bytes` cut at `cuts` (positions taken modulo the length, in any order, repeats allowed).
fn pieces<'a>(bytes: &'a [u8], cuts: &[usize]) -> Vec<&'a [u8]> {
    let mut at: Vec<usize> = cuts.iter().map(|c| c % (bytes.len() + 1)).collect();
    at.push(0);
    at.push(bytes.len());
    at.sort_unstable();
    at.windows(2).map(|w| &bytes[w[0]..w[1]]).collect()
}

proptest! {
    #[test]
    fn pieces_digest_like_the_whole(
        bytes in prop::collection::vec(any::<u8>(), 0..5000),
        cuts in prop::collection::vec(any::<usize>(), 0..8),
        key in any::<[u8; 32]>(),
    ) {
        let key = Key::from_bytes(key);
        let mut h = FileHasher::new(&key);
        for p in pieces(&bytes, &cuts) {
            h.update(p);
        }
        prop_assert_eq!(h.finish(), file_digest(&key, &bytes));
    }
}

#[test]
fn large_file_in_chunks_gives_the_whole_file_verdict() {
    let key = Key::from_bytes([9; 32]);
    // Several BLAKE3 chunks and a tail, past the one-shot path's short-value buffer.
    let listed: Vec<u8> = (0..3 * 1024 * 1024 + 17).map(|i| (i % 251) as u8).collect();
    let mut other = listed.clone();
    *other.last_mut().unwrap() ^= 1;
    let s = screener(&key, &listed, true);

    for (bytes, expect) in [(&listed, true), (&other, false)] {
        let mut h = s.file_hasher().expect("the list has a file section");
        for chunk in bytes.chunks(1 << 20) {
            h.update(chunk);
        }
        let d = h.finish();
        assert_eq!(d, file_digest(&key, bytes));
        let v = s.screen_file_digest(&d);
        assert_eq!(v.matched(), expect);
        assert_eq!(v.matches(), s.screen_file(bytes).matches());
        // As a message part: the same match, under the part's index.
        let whole = s.screen(&Message::new().text("hello").file(bytes));
        let digested = s.screen(&Message::new().text("hello").part(Part::FileDigest(d)));
        assert_eq!(whole.matches(), digested.matches());
        assert_eq!(whole.matched(), expect);
        assert!(digested.matches().iter().all(|m| m.part() == 1));
    }

    // Through `std::io::copy`, as from a file on disk.
    let mut h = FileHasher::new(&key);
    std::io::copy(&mut &listed[..], &mut h).unwrap();
    assert_eq!(h.finish(), file_digest(&key, &listed));
}

#[test]
fn no_file_section_means_no_hasher_and_no_match() {
    let key = Key::from_bytes([9; 32]);
    let s = screener(&key, b"", false);
    assert!(s.file_hasher().is_none());
    let d = file_digest(&key, b"anything");
    assert!(!s.screen_file_digest(&d).matched());
    // A digest under another key does not match a listed file.
    let listed = b"MZ payload";
    let s = screener(&key, listed, true);
    let foreign = file_digest(&Key::from_bytes([8; 32]), listed);
    assert!(!s.screen_file_digest(&foreign).matched());
    assert!(s.screen_file_digest(&file_digest(&key, listed)).matched());
}

#[cfg(feature = "image")]
#[test]
fn large_image_by_digest_screens_like_its_bytes() {
    use hashscreen::image::{PdqHash, DEFAULT_MAX_INPUT_BYTES};
    let key = Key::from_bytes([9; 32]);
    // One byte over the decode limit: a JPEG signature, then filler.
    let mut big = vec![0x5au8; DEFAULT_MAX_INPUT_BYTES + 1];
    big[..3].copy_from_slice(&[0xff, 0xd8, 0xff]);
    for with_images in [true, false] {
        let mut b = BlocklistBuilder::new(&key);
        b.add_file("malware", &big).unwrap();
        if with_images {
            b.add_pdq_hash("known-images", &PdqHash([0x35; 32]))
                .unwrap();
        }
        let list = Blocklist::open(b.build().unwrap(), &OpenOptions::default()).unwrap();
        let s = Screener::new(&list, &key).unwrap();
        let mut h = s.file_hasher().unwrap();
        for c in big.chunks(1 << 20) {
            h.update(c);
        }
        let (d, len) = (h.finish(), big.len() as u64);

        let whole = s.screen(&Message::new().text("hi").image(&big));
        let part = Part::LargeImage { file: Some(d), len };
        let by_digest = s.screen(&Message::new().text("hi").part(part));
        assert_eq!(whole.matches(), by_digest.matches());
        assert!(whole.matched(), "the file match is kept");
        let reasons = |v: &hashscreen::Verdict| {
            v.unscreened()
                .iter()
                .map(|u| (u.part(), format!("{:?}", u.reason())))
                .collect::<Vec<_>>()
        };
        assert_eq!(reasons(&whole), reasons(&by_digest));
        assert_eq!(reasons(&whole).len(), usize::from(with_images));

        let single = s.screen_image(&big).map(|v| v.matched());
        let single_by_digest = s.screen_large_image(Some(&d), len).map(|v| v.matched());
        assert_eq!(format!("{single:?}"), format!("{single_by_digest:?}"));
        assert_eq!(single.is_err(), with_images);
    }
    // Under the limit, the bytes must be given.
    let s = screener(&key, b"x", true);
    assert!(matches!(
        s.screen_large_image(None, 1000),
        Err(hashscreen::Error::InvalidParameters { .. })
    ));
}
