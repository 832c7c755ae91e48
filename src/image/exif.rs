//! The EXIF orientation tag (0x112), read from a raw EXIF block (TIFF header first), the same way
//! `image` 0.25's `Orientation::from_exif_chunk` reads it: the first IFD only, a `SHORT` with
//! count 1. Ours so that decoding needs no `image` crate (smaller WebAssembly bundle).

/// How the stored pixels must be transformed to show the image upright (EXIF values 1-8).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Orientation {
    /// 1: as stored.
    NoTransforms,
    /// 6: rotate 90 degrees clockwise.
    Rotate90,
    /// 3: rotate 180 degrees.
    Rotate180,
    /// 8: rotate 270 degrees clockwise.
    Rotate270,
    /// 2: mirror left-right.
    FlipHorizontal,
    /// 4: mirror top-bottom.
    FlipVertical,
    /// 5: rotate 90 degrees clockwise, then mirror left-right.
    Rotate90FlipH,
    /// 7: rotate 270 degrees clockwise, then mirror left-right.
    Rotate270FlipH,
}

impl Orientation {
    fn from_exif(value: u16) -> Option<Self> {
        Some(match value {
            1 => Self::NoTransforms,
            2 => Self::FlipHorizontal,
            3 => Self::Rotate180,
            4 => Self::FlipVertical,
            5 => Self::Rotate90FlipH,
            6 => Self::Rotate90,
            7 => Self::Rotate270FlipH,
            8 => Self::Rotate270,
            _ => return None,
        })
    }

    /// The orientation in an EXIF block, or `None` when the block is not TIFF-framed, is cut
    /// short, has no orientation entry in its first IFD, or holds a value outside 1-8.
    pub(crate) fn from_exif_chunk(chunk: &[u8]) -> Option<Self> {
        let little = match chunk.get(..4)? {
            [0x49, 0x49, 42, 0] => true,
            [0x4d, 0x4d, 0, 42] => false,
            _ => return None,
        };
        let u16_at = |at: usize| -> Option<u16> {
            let b: [u8; 2] = chunk.get(at..at.checked_add(2)?)?.try_into().ok()?;
            Some(if little {
                u16::from_le_bytes(b)
            } else {
                u16::from_be_bytes(b)
            })
        };
        let u32_at = |at: usize| -> Option<u32> {
            let b: [u8; 4] = chunk.get(at..at.checked_add(4)?)?.try_into().ok()?;
            Some(if little {
                u32::from_le_bytes(b)
            } else {
                u32::from_be_bytes(b)
            })
        };
        let ifd = usize::try_from(u32_at(4)?).ok()?;
        let entries = u16_at(ifd)?;
        for i in 0..usize::from(entries) {
            let at = ifd.checked_add(2 + 12 * i)?;
            let (tag, format, count, value) = (
                u16_at(at)?,
                u16_at(at + 2)?,
                u32_at(at + 4)?,
                u16_at(at + 8)?,
            );
            // The entry's last two bytes (padding of the 4-byte value field) must be there too.
            u16_at(at + 10)?;
            if tag == 0x112 && format == 3 && count == 1 {
                return Self::from_exif(value);
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::Orientation;

    fn block(little: bool, entries: &[(u16, u16, u32, u16)]) -> Vec<u8> {
        let w16 = |v: u16| {
            if little {
                v.to_le_bytes()
            } else {
                v.to_be_bytes()
            }
        };
        let w32 = |v: u32| {
            if little {
                v.to_le_bytes()
            } else {
                v.to_be_bytes()
            }
        };
        let mut b = if little {
            b"II\x2a\x00".to_vec()
        } else {
            b"MM\x00\x2a".to_vec()
        };
        b.extend(w32(8));
        b.extend(w16(entries.len() as u16));
        for &(tag, format, count, value) in entries {
            b.extend(w16(tag));
            b.extend(w16(format));
            b.extend(w32(count));
            b.extend(w16(value));
            b.extend([0, 0]);
        }
        b
    }

    /// The same answers as `image`'s reader (a dev-dependency: the oracle) on valid, odd and cut
    /// blocks in both byte orders.
    #[test]
    fn matches_image_crate() {
        let mut cases = Vec::new();
        for little in [true, false] {
            for v in 0..=10 {
                cases.push(block(little, &[(0x100, 3, 1, 7), (0x112, 3, 1, v)]));
            }
            cases.push(block(little, &[(0x112, 4, 1, 6)]));
            cases.push(block(little, &[(0x112, 3, 2, 6)]));
            cases.push(block(little, &[]));
            let full = block(little, &[(0x112, 3, 1, 6)]);
            for cut in 0..full.len() {
                cases.push(full[..cut].to_vec());
            }
        }
        cases.push(b"Exif\0\0II".to_vec());
        for c in &cases {
            let ours = Orientation::from_exif_chunk(c).map(|o| format!("{o:?}"));
            let theirs = image::metadata::Orientation::from_exif_chunk(c).map(|o| format!("{o:?}"));
            assert_eq!(ours, theirs, "{c:?}");
        }
        assert_eq!(
            Orientation::from_exif_chunk(&block(true, &[(0x112, 3, 1, 6)])),
            Some(Orientation::Rotate90)
        );
    }
}
