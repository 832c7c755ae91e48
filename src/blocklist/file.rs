//! Parsing and verifying blocklist files.

use std::fmt;
use std::ops::Range;
use std::sync::Arc;

use super::format::{self, header as h, section as s};
use crate::filter::{FilterParams, FilterRef, BLOCK_BYTES};
use crate::key::{KeyId, SignalKind, VerifyingKey};
use crate::Error;

/// Whether a file is a full list or a delta.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileKind {
    /// A full list.
    List,
    /// An addition-only delta against a base list.
    Delta,
}

impl FileKind {
    /// True for a full list.
    pub fn is_list(self) -> bool {
        self == FileKind::List
    }

    fn name(self) -> &'static str {
        match self {
            FileKind::List => "list",
            FileKind::Delta => "delta",
        }
    }
}

/// The default of [`OpenOptions::max_bytes`]: 1 GiB, room for about 200 million entries at the
/// default false-positive rate. Apps that know their list's size should set a tighter limit.
pub const DEFAULT_MAX_BLOCKLIST_BYTES: usize = 1 << 30;

/// What the caller requires of a list before using it.
#[derive(Clone, Debug)]
pub struct OpenOptions {
    /// The publisher's public key. When set, the file must carry a valid signature by this key.
    pub publisher: Option<VerifyingKey>,
    /// The sequence number the caller already holds. A file with a lower sequence is a rollback.
    pub min_sequence: Option<u64>,
    /// The deployment key id the list must be built with.
    pub key_id: Option<KeyId>,
    /// The largest file accepted, in bytes (default [`DEFAULT_MAX_BLOCKLIST_BYTES`]). A larger file
    /// (or a delta whose result would be larger) is refused with [`Error::InputTooLarge`] before
    /// any checksum or copy. Check the size before downloading too: this limit only bounds the work
    /// done on bytes already in memory.
    pub max_bytes: usize,
}

impl Default for OpenOptions {
    fn default() -> OpenOptions {
        OpenOptions {
            publisher: None,
            min_sequence: None,
            key_id: None,
            max_bytes: DEFAULT_MAX_BLOCKLIST_BYTES,
        }
    }
}

impl OpenOptions {
    /// Whether a list or delta file of `len` bytes is within [`OpenOptions::max_bytes`]: the first
    /// check of [`Blocklist::open`] and `delta::apply`, for callers that can refuse a file before
    /// copying it (the WebAssembly package does, for bytes still in JavaScript memory).
    ///
    /// # Errors
    /// [`Error::InputTooLarge`] over the limit.
    pub fn check_len(&self, len: u64) -> Result<(), Error> {
        if len > self.max_bytes as u64 {
            return Err(Error::InputTooLarge {
                limit: self.max_bytes,
                found: usize::try_from(len).unwrap_or(usize::MAX),
            });
        }
        Ok(())
    }
}

/// One section of a blocklist: one signal kind and label, its filter and matching parameters.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Section {
    /// The signal kind code as stored (see [`SignalKind::code`]).
    pub signal_code: u16,
    /// The signal kind, if this library knows the code. Unknown kinds are skipped by screening.
    pub signal: Option<SignalKind>,
    /// Canonicalisation / digest version of the values in this section.
    pub digest_version: u16,
    /// The filter's shape.
    pub filter: FilterParams,
    /// Number of values inserted.
    pub entries: u64,
    /// Matching parameters (meaning per signal kind, see `FORMAT.md`; zero means default).
    pub params: [u32; 4],
    /// The label (for example `scam` or `csam-hashlist-x`).
    pub label: String,
    /// Where the payload sits in the file.
    pub payload: Range<usize>,
}

impl Section {
    /// The false-positive rate the filter is expected to have with its entries.
    pub fn expected_fpr(&self) -> f64 {
        self.filter.expected_fpr(self.entries)
    }
}

/// A parsed, verified blocklist (or delta). Cloning is cheap: the bytes are shared.
#[derive(Clone)]
pub struct Blocklist {
    bytes: Arc<dyn AsRef<[u8]> + Send + Sync>,
    pub(crate) head: Head,
    sections: Arc<[Section]>,
}

/// Header fields.
#[derive(Clone, Debug)]
pub(crate) struct Head {
    pub kind: FileKind,
    pub flags: u8,
    pub key_id: KeyId,
    pub list_id: [u8; 16],
    pub sequence: u64,
    pub created: u64,
    pub body_len: usize,
    pub base_sequence: u64,
    pub base_checksum: [u8; 32],
    pub target_checksum: [u8; 32],
    pub target_trailer: [u8; 96],
}

impl fmt::Debug for Blocklist {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Blocklist")
            .field("kind", &self.head.kind)
            .field("key_id", &self.head.key_id)
            .field("sequence", &self.head.sequence)
            .field("sections", &self.sections.len())
            .field("bytes", &self.as_bytes().len())
            .finish()
    }
}

pub(crate) fn u16_at(b: &[u8], off: usize) -> Result<u16, Error> {
    array_at(b, off).map(u16::from_le_bytes)
}
pub(crate) fn u32_at(b: &[u8], off: usize) -> Result<u32, Error> {
    array_at(b, off).map(u32::from_le_bytes)
}
pub(crate) fn u64_at(b: &[u8], off: usize) -> Result<u64, Error> {
    array_at(b, off).map(u64::from_le_bytes)
}
pub(crate) fn array_at<const N: usize>(b: &[u8], off: usize) -> Result<[u8; N], Error> {
    b.get(off..off.saturating_add(N))
        .and_then(|x| <[u8; N]>::try_from(x).ok())
        .ok_or(Error::Truncated {
            expected: (off + N) as u64,
            found: b.len() as u64,
        })
}

fn malformed(what: &'static str) -> Error {
    Error::Malformed { what }
}

/// Labels: 1-64 bytes of `A-Z a-z 0-9 . _ : / -`.
pub(crate) fn validate_label(label: &str) -> Result<(), Error> {
    let ok = !label.is_empty()
        && label.len() <= format::MAX_LABEL_LEN
        && label
            .bytes()
            .all(|c| c.is_ascii_alphanumeric() || b"._:/-".contains(&c));
    if ok {
        Ok(())
    } else {
        Err(Error::InvalidLabel)
    }
}

/// The message a publisher signs: a fixed context and the checksum.
pub(crate) fn signed_message(checksum: &[u8; 32]) -> Vec<u8> {
    let mut m = format::SIGNATURE_CONTEXT.to_vec();
    m.extend_from_slice(checksum);
    m
}

/// Verifies a signature trailer (public key || signature) over `checksum`; with `trusted`, the key
/// in the trailer must be that key.
pub(crate) fn verify_trailer(
    trailer: &[u8; 96],
    checksum: &[u8; 32],
    trusted: Option<&VerifyingKey>,
) -> Result<(), Error> {
    let pk: [u8; 32] = array_at(trailer, 0)?;
    let sig: [u8; 64] = array_at(trailer, 32)?;
    let embedded = VerifyingKey::from_bytes(&pk).map_err(|_| Error::BadSignature)?;
    if let Some(t) = trusted {
        if *t != embedded {
            return Err(Error::BadSignature);
        }
    }
    if embedded.verify(&signed_message(checksum), &sig) {
        Ok(())
    } else {
        Err(Error::BadSignature)
    }
}

impl Blocklist {
    /// Parses and verifies a full list. Rejects, with a typed error and never a panic: wrong magic,
    /// unknown version, truncation, trailing bytes, any corrupted byte (checksum, or signature when
    /// signed), a missing or bad signature when `opts.publisher` is set, a key id other than
    /// `opts.key_id`, and a sequence below `opts.min_sequence`.
    ///
    /// The bytes are kept as given (a `Vec<u8>`, `Box<[u8]>`, `&'static [u8]`, a memory map...): the
    /// filters are never copied.
    ///
    /// ```
    /// use hashscreen::{Blocklist, BlocklistBuilder, Key, OpenOptions, SignalKind};
    /// let key = Key::from_bytes([1; 32]);
    /// let mut builder = BlocklistBuilder::new(&key);
    /// builder.add_text("scam", "claim your prize")?;
    /// let bytes = builder.build()?;
    /// let list = Blocklist::open(bytes, &OpenOptions::default())?;
    /// assert_eq!(list.sections()[0].signal, Some(SignalKind::Text));
    /// # Ok::<(), hashscreen::Error>(())
    /// ```
    pub fn open<B>(bytes: B, opts: &OpenOptions) -> Result<Blocklist, Error>
    where
        B: AsRef<[u8]> + Send + Sync + 'static,
    {
        let list = Blocklist::parse(Arc::new(bytes), opts)?;
        if list.head.kind != FileKind::List {
            return Err(Error::WrongFileKind {
                expected: "list",
                found: list.head.kind.name(),
            });
        }
        Ok(list)
    }

    /// Parses and verifies a file of either kind (see [`Blocklist::open`]).
    pub(crate) fn parse(
        bytes: Arc<dyn AsRef<[u8]> + Send + Sync>,
        opts: &OpenOptions,
    ) -> Result<Blocklist, Error> {
        let b: &[u8] = (*bytes).as_ref();
        opts.check_len(b.len() as u64)?;
        if b.len() < format::MAGIC.len() || b[..format::MAGIC.len()] != format::MAGIC {
            return Err(
                if b.len() < format::MAGIC.len() && format::MAGIC.starts_with(b) {
                    Error::Truncated {
                        expected: format::HEADER_LEN as u64,
                        found: b.len() as u64,
                    }
                } else {
                    Error::BadMagic
                },
            );
        }
        if b.len() < format::HEADER_LEN {
            return Err(Error::Truncated {
                expected: format::HEADER_LEN as u64,
                found: b.len() as u64,
            });
        }
        let version = u16_at(b, h::VERSION)?;
        if version != format::VERSION {
            return Err(Error::Version {
                expected: format::VERSION,
                found: version,
            });
        }
        let kind = match b[h::KIND] {
            format::KIND_LIST => FileKind::List,
            format::KIND_DELTA => FileKind::Delta,
            _ => return Err(malformed("unknown file kind")),
        };
        let flags = b[h::FLAGS];
        let allowed = match kind {
            FileKind::List => format::FLAG_SIGNED,
            FileKind::Delta => format::FLAG_SIGNED | format::FLAG_TARGET_SIGNED,
        };
        if flags & !allowed != 0 {
            return Err(malformed("unknown flags"));
        }
        let body_len = u64_at(b, h::BODY_LEN)?;
        let trailer_len = if flags & format::FLAG_SIGNED != 0 {
            format::SIGNATURE_LEN
        } else {
            0
        };
        let expected = body_len
            .checked_add((format::CHECKSUM_LEN + trailer_len) as u64)
            .ok_or(malformed("body length overflows"))?;
        if (b.len() as u64) < expected {
            return Err(Error::Truncated {
                expected,
                found: b.len() as u64,
            });
        }
        if (b.len() as u64) > expected {
            return Err(malformed("trailing bytes after the file"));
        }
        let body_len = body_len as usize; // fits: <= b.len()
        if body_len < format::HEADER_LEN {
            return Err(malformed("body shorter than the header"));
        }
        let checksum: [u8; 32] = array_at(b, body_len)?;
        if *blake3::hash(&b[..body_len]).as_bytes() != checksum {
            return Err(Error::Checksum);
        }
        if trailer_len > 0 {
            let trailer: [u8; 96] = array_at(b, body_len + format::CHECKSUM_LEN)?;
            verify_trailer(&trailer, &checksum, opts.publisher.as_ref())?;
        } else if opts.publisher.is_some() {
            return Err(Error::SignatureMissing);
        }

        let head = Head {
            kind,
            flags,
            key_id: KeyId(array_at(b, h::KEY_ID)?),
            list_id: array_at(b, h::LIST_ID)?,
            sequence: u64_at(b, h::SEQUENCE)?,
            created: u64_at(b, h::CREATED)?,
            body_len,
            base_sequence: u64_at(b, h::BASE_SEQUENCE)?,
            base_checksum: array_at(b, h::BASE_CHECKSUM)?,
            target_checksum: array_at(b, h::TARGET_CHECKSUM)?,
            target_trailer: array_at(b, h::TARGET_TRAILER)?,
        };
        if u16_at(b, h::RESERVED0)? != 0
            || b[h::RESERVED1..format::HEADER_LEN].iter().any(|&x| x != 0)
        {
            return Err(malformed("reserved header bytes are not zero"));
        }
        if kind == FileKind::List
            && (head.base_sequence != 0
                || b[h::BASE_CHECKSUM..h::RESERVED1].iter().any(|&x| x != 0))
        {
            return Err(malformed("delta fields set in a full list"));
        }
        if kind == FileKind::Delta
            && flags & format::FLAG_TARGET_SIGNED == 0
            && head.target_trailer.iter().any(|&x| x != 0)
        {
            return Err(malformed("target signature present but not flagged"));
        }
        if let Some(want) = opts.key_id {
            if want != head.key_id {
                return Err(Error::KeyMismatch {
                    expected: head.key_id.to_hex(),
                    found: want.to_hex(),
                });
            }
        }
        if let Some(current) = opts.min_sequence {
            if head.sequence < current {
                return Err(Error::Rollback {
                    current,
                    found: head.sequence,
                });
            }
        }

        let count = usize::from(u16_at(b, h::SECTION_COUNT)?);
        if count > format::MAX_SECTIONS {
            return Err(malformed("too many sections"));
        }
        let table_end = format::HEADER_LEN + count * format::SECTION_LEN;
        let mut next_payload = format::align_up(table_end);
        if next_payload > body_len {
            return Err(malformed("section table runs past the body"));
        }
        if b[table_end..next_payload].iter().any(|&x| x != 0) {
            return Err(malformed("padding bytes are not zero"));
        }
        let mut sections: Vec<Section> = Vec::with_capacity(count);
        for i in 0..count {
            let at = format::HEADER_LEN + i * format::SECTION_LEN;
            let e = &b[at..at + format::SECTION_LEN];
            let section = parse_section(e, kind)?;
            if let Some(prev) = sections.last() {
                if (prev.signal_code, prev.label.as_str())
                    >= (section.signal_code, section.label.as_str())
                {
                    return Err(malformed("sections out of order or duplicated"));
                }
            }
            if section.payload.start != next_payload {
                return Err(malformed("payload not where the previous one ends"));
            }
            next_payload = section.payload.end;
            if next_payload > body_len {
                return Err(malformed("payload runs past the body"));
            }
            if kind == FileKind::Delta {
                delta_payload_blocks(b, &section)?;
            }
            sections.push(section);
        }
        if next_payload != body_len {
            return Err(malformed("body length does not match the sections"));
        }
        Ok(Blocklist {
            bytes,
            head,
            sections: sections.into(),
        })
    }

    /// The whole file as given.
    pub fn as_bytes(&self) -> &[u8] {
        (*self.bytes).as_ref()
    }

    /// Full list or delta.
    pub fn kind(&self) -> FileKind {
        self.head.kind
    }

    /// The id of the deployment key the list was built with.
    pub fn key_id(&self) -> KeyId {
        self.head.key_id
    }

    /// The list's id (stays the same across sequence numbers of one list).
    pub fn list_id(&self) -> [u8; 16] {
        self.head.list_id
    }

    /// The sequence number (grows with every update; clients refuse lower ones).
    pub fn sequence(&self) -> u64 {
        self.head.sequence
    }

    /// Creation time, Unix seconds.
    pub fn created(&self) -> u64 {
        self.head.created
    }

    /// The BLAKE3 checksum of the body.
    pub fn checksum(&self) -> [u8; 32] {
        array_at(self.as_bytes(), self.head.body_len).unwrap_or([0; 32])
    }

    /// The publisher key that signed this file, if signed (verified on open).
    pub fn signer(&self) -> Option<VerifyingKey> {
        if self.head.flags & format::FLAG_SIGNED == 0 {
            return None;
        }
        let pk: [u8; 32] =
            array_at(self.as_bytes(), self.head.body_len + format::CHECKSUM_LEN).ok()?;
        VerifyingKey::from_bytes(&pk).ok()
    }

    /// The sections, in file order.
    pub fn sections(&self) -> &[Section] {
        &self.sections
    }

    /// The filter of a full list's section, read in place.
    pub fn filter(&self, section: &Section) -> Result<FilterRef<'_>, Error> {
        if self.head.kind != FileKind::List {
            return Err(Error::WrongFileKind {
                expected: "list",
                found: self.head.kind.name(),
            });
        }
        let bits = self
            .as_bytes()
            .get(section.payload.clone())
            .ok_or(malformed("section payload out of range"))?;
        FilterRef::new(section.filter, bits)
    }
}

fn parse_section(e: &[u8], kind: FileKind) -> Result<Section, Error> {
    let signal_code = u16_at(e, s::SIGNAL)?;
    let digest_version = u16_at(e, s::DIGEST_VERSION)?;
    if e[s::FILTER_KIND] != format::FILTER_BLOCKED_BLOOM_512 {
        return Err(malformed("unknown filter kind"));
    }
    let filter = FilterParams {
        block_count: u32_at(e, s::BLOCK_COUNT)?,
        blocks_per_key: e[s::BLOCKS_PER_KEY],
        bits_per_block: e[s::BITS_PER_BLOCK],
    };
    filter
        .validate()
        .map_err(|_| malformed("filter parameters out of range"))?;
    if u32_at(e, s::RESERVED0)? != 0 || e[s::RESERVED1..s::LABEL].iter().any(|&x| x != 0) {
        return Err(malformed("reserved section bytes are not zero"));
    }
    let label_len = usize::from(e[s::LABEL_LEN]);
    if label_len > format::MAX_LABEL_LEN || e[s::LABEL + label_len..].iter().any(|&x| x != 0) {
        return Err(malformed("label length or padding"));
    }
    let label = std::str::from_utf8(&e[s::LABEL..s::LABEL + label_len])
        .map_err(|_| malformed("label is not UTF-8"))?;
    validate_label(label).map_err(|_| malformed("label has invalid characters"))?;
    let offset = u64_at(e, s::PAYLOAD_OFFSET)?;
    let len = u64_at(e, s::PAYLOAD_LEN)?;
    let end = offset
        .checked_add(len)
        .ok_or(malformed("payload range overflows"))?;
    let (offset, end) = (
        usize::try_from(offset).map_err(|_| malformed("payload offset too large"))?,
        usize::try_from(end).map_err(|_| malformed("payload end too large"))?,
    );
    if offset % format::ALIGN != 0 || len % format::ALIGN as u64 != 0 {
        return Err(malformed("payload not aligned"));
    }
    if kind == FileKind::List && len != filter.byte_len() as u64 {
        return Err(malformed("payload length does not match the block count"));
    }
    let mut params = [0u32; 4];
    for (i, p) in params.iter_mut().enumerate() {
        *p = u32_at(e, s::PARAMS + 4 * i)?;
    }
    Ok(Section {
        signal_code,
        signal: SignalKind::from_code(signal_code),
        digest_version,
        filter,
        entries: u64_at(e, s::ENTRIES)?,
        params,
        label: label.to_owned(),
        payload: offset..end,
    })
}

/// A delta section's payload: `count: u32`, zero padding to 64, `count` block indices (`u32`,
/// strictly ascending, each below the block count) zero padded to 64, then `count` blocks of 64
/// bytes to OR into the base filter. Returns the index list range and the blocks range.
pub(crate) fn delta_payload_blocks(
    b: &[u8],
    section: &Section,
) -> Result<(Range<usize>, Range<usize>), Error> {
    let p = b
        .get(section.payload.clone())
        .ok_or(malformed("delta payload out of range"))?;
    let count = u32_at(p, 0)? as usize;
    if count > section.filter.block_count as usize {
        return Err(malformed("delta changes more blocks than the filter has"));
    }
    let idx_start = format::ALIGN;
    let idx_end = idx_start + 4 * count;
    let blocks_start = format::align_up(idx_end);
    let expected_len = blocks_start + count * BLOCK_BYTES;
    if p.len() != expected_len {
        return Err(malformed("delta payload length does not match its count"));
    }
    if p[4..idx_start].iter().any(|&x| x != 0) || p[idx_end..blocks_start].iter().any(|&x| x != 0) {
        return Err(malformed("delta padding bytes are not zero"));
    }
    let mut prev: Option<u32> = None;
    for i in 0..count {
        let idx = u32_at(p, idx_start + 4 * i)?;
        if idx >= section.filter.block_count || prev.is_some_and(|q| q >= idx) {
            return Err(malformed("delta block indices out of range or order"));
        }
        prev = Some(idx);
    }
    let base = section.payload.start;
    Ok((
        base + idx_start..base + idx_end,
        base + blocks_start..base + expected_len,
    ))
}
