//! Lower-case hex encoding and strict decoding (hand-written: twenty lines beat a dependency).

use crate::Error;

/// Lower-case hex of `bytes`.
pub(crate) fn encode(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        out.push(char::from(DIGITS[usize::from(b >> 4)]));
        out.push(char::from(DIGITS[usize::from(b & 15)]));
    }
    out
}

/// Decodes exactly `out.len()` bytes of hex (either case) into `out`.
pub(crate) fn decode_into(text: &str, out: &mut [u8]) -> Result<(), Error> {
    let digits = text.as_bytes();
    if digits.len() != out.len() * 2 {
        return Err(Error::InvalidKeyLength {
            expected: out.len(),
            found: digits.len() / 2,
        });
    }
    for (i, pair) in digits.chunks_exact(2).enumerate() {
        let hi = nibble(pair[0]).ok_or(Error::InvalidHex { position: 2 * i })?;
        let lo = nibble(pair[1]).ok_or(Error::InvalidHex {
            position: 2 * i + 1,
        })?;
        out[i] = (hi << 4) | lo;
    }
    Ok(())
}

fn nibble(c: u8) -> Option<u8> {
    match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'a'..=b'f' => Some(c - b'a' + 10),
        b'A'..=b'F' => Some(c - b'A' + 10),
        _ => None,
    }
}
