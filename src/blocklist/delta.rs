//! Addition-only deltas.
//!
//! A Bloom filter only ever gains bits when entries are added, so the step from list version N to
//! N+1 (built with [`BlocklistBuilder::from_base`](super::BlocklistBuilder::from_base)) can ship only
//! the 64-byte blocks that changed. Removing entries needs a full list.
//!
//! A delta is bound to its base (list id, base sequence, base checksum) and to its result: it
//! carries the checksum, and the signature trailer if any, of list N+1, so the client rebuilds list
//! N+1 byte for byte and verifies it as if it had downloaded it. Applying is all-or-nothing: the base
//! is never modified, and any failure leaves the caller with the list it had.

use std::sync::Arc;

use super::builder::{trailer, write_body, HeadOut, SectionOut};
use super::file::{
    array_at, delta_payload_blocks, u32_at, Blocklist, FileKind, OpenOptions, Section,
};
use super::format::{self, header as h, section as s};
use crate::filter::BLOCK_BYTES;
use crate::key::SigningKey;
use crate::Error;

fn mismatch(what: &'static str) -> Error {
    Error::DeltaMismatch { what }
}

/// Same signal, label, digest version, filter shape and matching parameters (a delta's payload
/// sits elsewhere than its base's, so payload positions are not compared here).
fn same_section(a: &Section, b: &Section) -> bool {
    (
        a.signal_code,
        &a.label,
        a.digest_version,
        a.filter,
        a.params,
    ) == (
        b.signal_code,
        &b.label,
        b.digest_version,
        b.filter,
        b.params,
    )
}

fn same_layout(old: &Blocklist, new: &Blocklist) -> Result<(), Error> {
    if old.sections().len() != new.sections().len() {
        return Err(mismatch("section count differs"));
    }
    for (a, b) in old.sections().iter().zip(new.sections()) {
        if !same_section(a, b) || a.payload != b.payload {
            return Err(mismatch("section layout differs"));
        }
    }
    Ok(())
}

/// Makes the delta that turns `old` into `new` (both full lists of the same list, `new` built with
/// `BlocklistBuilder::from_base(old)` or otherwise with the same section layout), signed by `signer`
/// if given. Fails with [`Error::NotAdditive`] if `new` lacks any bit of `old`.
///
/// ```
/// use hashscreen::{blocklist::delta, Blocklist, BlocklistBuilder, Key, OpenOptions};
/// let key = Key::from_bytes([3; 32]);
/// let mut b = BlocklistBuilder::new(&key);
/// b.add_text("scam", "old scam")?;
/// let v1 = Blocklist::open(b.build()?, &OpenOptions::default())?;
/// let mut b = BlocklistBuilder::from_base(&key, &v1)?;
/// b.add_text("scam", "new scam")?;
/// let v2 = Blocklist::open(b.build()?, &OpenOptions::default())?;
/// let d = delta::make(&v1, &v2, None)?;
/// let applied = delta::apply(&v1, d, &OpenOptions::default())?;
/// assert_eq!(applied.as_bytes(), v2.as_bytes());
/// # Ok::<(), hashscreen::Error>(())
/// ```
pub fn make(
    old: &Blocklist,
    new: &Blocklist,
    signer: Option<&SigningKey>,
) -> Result<Vec<u8>, Error> {
    if old.kind() != FileKind::List || new.kind() != FileKind::List {
        return Err(Error::WrongFileKind {
            expected: "list",
            found: "delta",
        });
    }
    if old.key_id() != new.key_id() {
        return Err(mismatch("key id differs"));
    }
    if old.list_id() != new.list_id() {
        return Err(mismatch("list id differs"));
    }
    if new.sequence() <= old.sequence() {
        return Err(mismatch("new sequence is not higher than the base"));
    }
    same_layout(old, new)?;
    let mut sections = Vec::with_capacity(new.sections().len());
    for (a, b) in old.sections().iter().zip(new.sections()) {
        let (fa, fb) = (old.filter(a)?.bits(), new.filter(b)?.bits());
        let mut indices = Vec::new();
        let mut blocks = Vec::new();
        for (i, (ba, bb)) in fa
            .chunks_exact(BLOCK_BYTES)
            .zip(fb.chunks_exact(BLOCK_BYTES))
            .enumerate()
        {
            if ba.iter().zip(bb).any(|(x, y)| x & !y != 0) {
                return Err(Error::NotAdditive);
            }
            if ba != bb {
                indices.push(i as u32);
                blocks.extend_from_slice(bb);
            }
        }
        let idx_end = format::ALIGN + 4 * indices.len();
        let mut payload = vec![0u8; format::align_up(idx_end)];
        payload[..4].copy_from_slice(&(indices.len() as u32).to_le_bytes());
        for (j, idx) in indices.iter().enumerate() {
            payload[format::ALIGN + 4 * j..][..4].copy_from_slice(&idx.to_le_bytes());
        }
        payload.extend_from_slice(&blocks);
        sections.push(SectionOut {
            signal_code: b.signal_code,
            digest_version: b.digest_version,
            filter: b.filter,
            entries: b.entries,
            params: b.params,
            label: &b.label,
            payload,
        });
    }
    let new_trailer: Option<[u8; 96]> = match new.signer() {
        Some(_) => Some(array_at(
            new.as_bytes(),
            new.head.body_len + format::CHECKSUM_LEN,
        )?),
        None => None,
    };
    let mut flags = 0;
    if signer.is_some() {
        flags |= format::FLAG_SIGNED;
    }
    if new_trailer.is_some() {
        flags |= format::FLAG_TARGET_SIGNED;
    }
    let head = HeadOut {
        kind: format::KIND_DELTA,
        flags,
        key_id: new.key_id(),
        list_id: new.list_id(),
        sequence: new.sequence(),
        created: new.created(),
        base_sequence: old.sequence(),
        base_checksum: old.checksum(),
        target_checksum: new.checksum(),
        target_trailer: new_trailer.unwrap_or([0; 96]),
    };
    let (mut out, checksum) = write_body(&head, &sections);
    if let Some(signer) = signer {
        out.extend_from_slice(&trailer(signer, &checksum));
    }
    Ok(out)
}

/// Applies a delta to `base` and returns the new list, verified like [`Blocklist::open`] with
/// `opts` (both the delta's and the result's signatures, when a publisher key is given). `base` is
/// untouched: on any error the caller keeps using it.
pub fn apply<B>(base: &Blocklist, delta: B, opts: &OpenOptions) -> Result<Blocklist, Error>
where
    B: AsRef<[u8]> + Send + Sync + 'static,
{
    let d = Blocklist::parse(Arc::new(delta), opts)?;
    if d.kind() != FileKind::Delta {
        return Err(Error::WrongFileKind {
            expected: "delta",
            found: "list",
        });
    }
    if base.kind() != FileKind::List {
        return Err(Error::WrongFileKind {
            expected: "list",
            found: "delta",
        });
    }
    if d.key_id() != base.key_id() {
        return Err(mismatch("key id differs"));
    }
    if d.list_id() != base.list_id() {
        return Err(mismatch("delta is for another list"));
    }
    if d.head.base_sequence != base.sequence() {
        return Err(mismatch("delta is for another base sequence"));
    }
    if d.head.base_checksum != base.checksum() {
        return Err(mismatch("delta is for another base content"));
    }
    if d.sequence() <= base.sequence() {
        return Err(mismatch("delta does not advance the sequence"));
    }
    if d.sections().len() != base.sections().len() {
        return Err(mismatch("section count differs"));
    }
    let mut body = base.as_bytes()[..base.head.body_len].to_vec();
    let target_signed = d.head.flags & format::FLAG_TARGET_SIGNED != 0;
    body[h::FLAGS] = if target_signed {
        format::FLAG_SIGNED
    } else {
        0
    };
    body[h::SEQUENCE..h::SEQUENCE + 8].copy_from_slice(&d.sequence().to_le_bytes());
    body[h::CREATED..h::CREATED + 8].copy_from_slice(&d.created().to_le_bytes());
    let db = d.as_bytes();
    for (i, (bs, ds)) in base.sections().iter().zip(d.sections()).enumerate() {
        if !same_section(bs, ds) {
            return Err(mismatch("section layout differs"));
        }
        let entry = format::HEADER_LEN + i * format::SECTION_LEN;
        body[entry + s::ENTRIES..entry + s::ENTRIES + 8].copy_from_slice(&ds.entries.to_le_bytes());
        let (idx, blocks) = delta_payload_blocks(db, ds)?;
        for (j, src) in db[blocks].chunks_exact(BLOCK_BYTES).enumerate() {
            let b = u32_at(db, idx.start + 4 * j)? as usize;
            let at = bs.payload.start + b * BLOCK_BYTES;
            for (dst, s) in body[at..at + BLOCK_BYTES].iter_mut().zip(src) {
                *dst |= s;
            }
        }
    }
    let checksum = *blake3::hash(&body).as_bytes();
    if checksum != d.head.target_checksum {
        return Err(mismatch("result checksum differs from the published list"));
    }
    body.extend_from_slice(&checksum);
    if target_signed {
        body.extend_from_slice(&d.head.target_trailer);
    }
    Blocklist::open(body, opts)
}
