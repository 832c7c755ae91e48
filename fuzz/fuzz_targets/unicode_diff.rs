#![no_main]
//! `hashscreen-unicode` against the crates its tables were generated from: NFC
//! (`unicode-normalization`), the UTS #46 mapping (`idna_mapping`), and composition of every
//! adjacent pair. Any difference is a finding (the crate's promise is the same results).

use unicode_normalization::UnicodeNormalization;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let s = String::from_utf8_lossy(data);
    let ours: String = hashscreen_unicode::nfc(s.chars()).collect();
    let theirs: String = s.nfc().collect();
    assert_eq!(ours, theirs, "NFC");
    for flag in [false, true] {
        let ours: String = hashscreen_unicode::Uts46Mapper::new(s.chars(), flag).collect();
        let theirs: String = idna_mapping::Mapper::new(s.chars(), flag).collect();
        assert_eq!(ours, theirs, "UTS #46 mapping");
    }
    let chars: Vec<char> = s.chars().collect();
    for pair in chars.windows(2) {
        if let [a, b] = *pair {
            assert_eq!(
                hashscreen_unicode::compose(a, b),
                unicode_normalization::char::compose(a, b),
                "composition"
            );
        }
    }
});
