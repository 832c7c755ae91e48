//! Against the check value of CRC-32/ISO-HDLC and a bit-at-a-time reference, for any input, any
//! split, any starting CRC, and `combine`.

use crc32fast::Hasher;
use proptest::prelude::*;

fn bitwise(crc: u32, buf: &[u8]) -> u32 {
    let mut c = !crc;
    for &b in buf {
        c ^= u32::from(b);
        for _ in 0..8 {
            c = if c & 1 != 0 {
                (c >> 1) ^ 0xEDB8_8320
            } else {
                c >> 1
            };
        }
    }
    !c
}

#[test]
fn check_values() {
    assert_eq!(crc32fast::hash(b"123456789"), 0xCBF4_3926);
    assert_eq!(crc32fast::hash(b""), 0);
    assert_eq!(crc32fast::hash(b"IEND"), 0xAE42_6082); // the CRC every PNG ends with
    let big: Vec<u8> = (0..100_000u32).map(|i| (i * 7 + i / 255) as u8).collect();
    assert_eq!(crc32fast::hash(&big), bitwise(0, &big));
}

proptest! {
    #[test]
    fn any_input_any_split(
        data in proptest::collection::vec(any::<u8>(), 0..300),
        cut in 0usize..300,
        init: u32,
    ) {
        let cut = cut.min(data.len());
        prop_assert_eq!(crc32fast::hash(&data), bitwise(0, &data));
        let mut h = Hasher::new_with_initial(init);
        h.update(&data[..cut]);
        h.update(&data[cut..]);
        prop_assert_eq!(h.total_len(), data.len() as u64);
        prop_assert_eq!(h.finalize(), bitwise(init, &data));
    }

    #[test]
    fn combine_appends(
        a in proptest::collection::vec(any::<u8>(), 0..200),
        b in proptest::collection::vec(any::<u8>(), 0..200),
    ) {
        let mut ha = Hasher::new();
        ha.update(&a);
        let mut hb = Hasher::new();
        hb.update(&b);
        ha.combine(&hb);
        let whole = [a, b].concat();
        prop_assert_eq!(ha.total_len(), whole.len() as u64);
        prop_assert_eq!(ha.finalize(), crc32fast::hash(&whole));
    }
}

#[test]
fn reset_and_hasher_trait() {
    use std::hash::Hasher as _;
    let mut h = Hasher::default();
    h.write(b"abc");
    assert_eq!(h.finish(), u64::from(crc32fast::hash(b"abc")));
    h.reset();
    assert_eq!(h.total_len(), 0);
    assert_eq!(h.clone().finalize(), 0);
    assert!(!format!("{h:?}").contains("abc"));
}
