//! Building blocklist files.

use std::collections::BTreeMap;

use super::file::{validate_label, Blocklist};
use super::format::{self, header as h, section as s};
use crate::digest::{Digest, Digester, FILE_DIGEST_VERSION};
use crate::filter::{BloomFilter, FilterParams};
use crate::key::{Key, KeyId, SignalKind, SigningKey};
use crate::Error;

/// Default false-positive rate per probe of a new section.
pub const DEFAULT_FPR: f64 = 1e-6;
/// Blocks per key chosen by default for a false-positive rate `fpr`: 3 below 1e-5, else 2. The
/// filter bench (`BENCHMARKS.md`) measured these as the smallest within 1.5x of the
/// information-theoretic bits per key (2 at 1e-4: 1.49x; 3 at 1e-6: 1.49x, where 2 needs 1.55x),
/// with absent probes (the common case) no slower at 3.
pub fn default_blocks_per_key(fpr: f64) -> u8 {
    if fpr < 1e-5 {
        3
    } else {
        2
    }
}

/// Which text signals [`BlocklistBuilder::add_text_with`] lists.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TextSignals {
    /// The strict key ([`crate::text::strict_key`]).
    pub strict: bool,
    /// The loose key ([`crate::text::loose_key`]): catches more evasion, merges more texts.
    pub loose: bool,
    /// Word shingles ([`crate::text::shingles`]): near-duplicate templates.
    pub shingles: bool,
}

impl TextSignals {
    /// Every text signal.
    pub const ALL: TextSignals = TextSignals {
        strict: true,
        loose: true,
        shingles: true,
    };
    /// The strict key only.
    pub const STRICT: TextSignals = TextSignals {
        strict: true,
        loose: false,
        shingles: false,
    };
}

/// Builds a blocklist: collect keyed digests per (signal kind, label), then write the file.
///
/// The output is deterministic for the same inputs, list id and creation time.
///
/// ```
/// use hashscreen::{Blocklist, BlocklistBuilder, Key, OpenOptions, Screener};
/// let key = Key::generate()?;
/// let mut builder = BlocklistBuilder::new(&key);
/// builder.add_text("scam", "Claim your prize now")?;
/// builder.add_file("malware", b"MZ\x90\x00...")?;
/// let list = Blocklist::open(builder.build()?, &OpenOptions::default())?;
/// let screener = Screener::new(&list, &key)?;
/// assert!(screener.screen_text("claim   YOUR prize now")?.matched());
/// # Ok::<(), hashscreen::Error>(())
/// ```
#[derive(Debug)]
pub struct BlocklistBuilder {
    key: Key,
    list_id: Option<[u8; 16]>,
    sequence: u64,
    created: Option<u64>,
    fpr: f64,
    blocks_per_key: Option<u8>,
    near: Option<crate::image::near::NearParams>,
    /// True until the publisher sets the near parameters: the code side is then chosen at build
    /// time from the number of listed images ([`crate::image::near::auto_side`]).
    near_auto: bool,
    /// Near-duplicate values of images listed while `near_auto`, per label: one list per side of
    /// [`crate::image::near::AUTO_SIDES`], digested at build time.
    auto_near: BTreeMap<String, AutoNear>,
    sections: BTreeMap<(u16, String), Draft>,
}

/// A section to write: `(signal code, label)` and its draft.
type Resolved<'a> = ((u16, &'a str), std::borrow::Cow<'a, Draft>);

#[derive(Debug, Default)]
struct AutoNear {
    images: u64,
    values: Vec<Vec<[u8; 9]>>,
}

#[derive(Clone, Debug)]
struct Draft {
    signal: SignalKind,
    version: u16,
    params: [u32; 4],
    /// Per-probe rate of this section when it differs from the builder's (image_near: divided by
    /// the probes a client makes per image).
    fpr: Option<f64>,
    capacity: Option<u64>,
    digests: Vec<Digest>,
    base: Option<(BloomFilter, u64)>,
}

/// The fields a file header is written from.
#[derive(Clone, Debug)]
pub(crate) struct HeadOut {
    pub kind: u8,
    pub flags: u8,
    pub key_id: KeyId,
    pub list_id: [u8; 16],
    pub sequence: u64,
    pub created: u64,
    pub base_sequence: u64,
    pub base_checksum: [u8; 32],
    pub target_checksum: [u8; 32],
    pub target_trailer: [u8; 96],
}

/// A section as written.
pub(crate) struct SectionOut<'a> {
    pub signal_code: u16,
    pub digest_version: u16,
    pub filter: FilterParams,
    pub entries: u64,
    pub params: [u32; 4],
    pub label: &'a str,
    pub payload: Vec<u8>,
}

/// Writes header, section table, payloads and checksum; the caller appends a trailer if signed.
/// Returns the body-plus-checksum bytes and the checksum.
pub(crate) fn write_body(head: &HeadOut, sections: &[SectionOut<'_>]) -> (Vec<u8>, [u8; 32]) {
    let table_end = format::HEADER_LEN + sections.len() * format::SECTION_LEN;
    let mut offset = format::align_up(table_end);
    let mut table = Vec::with_capacity(sections.len());
    for sec in sections {
        table.push(offset);
        offset += format::align_up(sec.payload.len());
    }
    let body_len = offset;
    let mut out = vec![0u8; body_len];
    out[h::MAGIC..h::MAGIC + 8].copy_from_slice(&format::MAGIC);
    out[h::VERSION..h::VERSION + 2].copy_from_slice(&format::VERSION.to_le_bytes());
    out[h::KIND] = head.kind;
    out[h::FLAGS] = head.flags;
    out[h::SECTION_COUNT..h::SECTION_COUNT + 2]
        .copy_from_slice(&(sections.len() as u16).to_le_bytes());
    out[h::KEY_ID..h::KEY_ID + 16].copy_from_slice(&head.key_id.0);
    out[h::LIST_ID..h::LIST_ID + 16].copy_from_slice(&head.list_id);
    out[h::SEQUENCE..h::SEQUENCE + 8].copy_from_slice(&head.sequence.to_le_bytes());
    out[h::CREATED..h::CREATED + 8].copy_from_slice(&head.created.to_le_bytes());
    out[h::BODY_LEN..h::BODY_LEN + 8].copy_from_slice(&(body_len as u64).to_le_bytes());
    out[h::BASE_SEQUENCE..h::BASE_SEQUENCE + 8].copy_from_slice(&head.base_sequence.to_le_bytes());
    out[h::BASE_CHECKSUM..h::BASE_CHECKSUM + 32].copy_from_slice(&head.base_checksum);
    out[h::TARGET_CHECKSUM..h::TARGET_CHECKSUM + 32].copy_from_slice(&head.target_checksum);
    out[h::TARGET_TRAILER..h::TARGET_TRAILER + 96].copy_from_slice(&head.target_trailer);
    for (i, (sec, &off)) in sections.iter().zip(&table).enumerate() {
        let e = &mut out[format::HEADER_LEN + i * format::SECTION_LEN..][..format::SECTION_LEN];
        e[s::SIGNAL..s::SIGNAL + 2].copy_from_slice(&sec.signal_code.to_le_bytes());
        e[s::DIGEST_VERSION..s::DIGEST_VERSION + 2]
            .copy_from_slice(&sec.digest_version.to_le_bytes());
        e[s::FILTER_KIND] = format::FILTER_BLOCKED_BLOOM_512;
        e[s::BLOCKS_PER_KEY] = sec.filter.blocks_per_key;
        e[s::BITS_PER_BLOCK] = sec.filter.bits_per_block;
        e[s::LABEL_LEN] = sec.label.len() as u8;
        e[s::BLOCK_COUNT..s::BLOCK_COUNT + 4]
            .copy_from_slice(&sec.filter.block_count.to_le_bytes());
        e[s::ENTRIES..s::ENTRIES + 8].copy_from_slice(&sec.entries.to_le_bytes());
        e[s::PAYLOAD_OFFSET..s::PAYLOAD_OFFSET + 8].copy_from_slice(&(off as u64).to_le_bytes());
        e[s::PAYLOAD_LEN..s::PAYLOAD_LEN + 8]
            .copy_from_slice(&(format::align_up(sec.payload.len()) as u64).to_le_bytes());
        for (j, p) in sec.params.iter().enumerate() {
            e[s::PARAMS + 4 * j..s::PARAMS + 4 * j + 4].copy_from_slice(&p.to_le_bytes());
        }
        e[s::LABEL..s::LABEL + sec.label.len()].copy_from_slice(sec.label.as_bytes());
        out[off..off + sec.payload.len()].copy_from_slice(&sec.payload);
    }
    let checksum = *blake3::hash(&out).as_bytes();
    out.extend_from_slice(&checksum);
    (out, checksum)
}

/// Appends a signature trailer (public key || signature of the checksum).
pub(crate) fn trailer(signer: &SigningKey, checksum: &[u8; 32]) -> [u8; 96] {
    let mut t = [0u8; 96];
    t[..32].copy_from_slice(&signer.verifying_key().to_bytes());
    t[32..].copy_from_slice(&signer.sign(&super::file::signed_message(checksum)));
    t
}

/// The current time in Unix seconds. `wasm32-unknown-unknown` has no clock in `std` (calling it
/// panics there): callers on that target must set the creation time.
fn now_unix() -> Result<u64, Error> {
    if cfg!(all(target_arch = "wasm32", target_os = "unknown")) {
        return Err(Error::InvalidParameters {
            what: "no clock on this platform: set the creation time",
        });
    }
    Ok(std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs()))
}

impl BlocklistBuilder {
    /// A builder for a new list under `key` (sequence 1, random list id, created now).
    pub fn new(key: &Key) -> BlocklistBuilder {
        BlocklistBuilder {
            key: key.clone(),
            list_id: None,
            sequence: 1,
            created: None,
            fpr: DEFAULT_FPR,
            blocks_per_key: None,
            near: Some(crate::image::near::NearParams::default()),
            near_auto: true,
            auto_near: BTreeMap::new(),
            sections: BTreeMap::new(),
        }
    }

    /// A builder for the next version of `base`: same list id and sections (filters keep their
    /// bits and sizes, so a delta can carry only new bits), sequence one higher.
    pub fn from_base(key: &Key, base: &Blocklist) -> Result<BlocklistBuilder, Error> {
        if base.key_id() != key.id() {
            return Err(Error::KeyMismatch {
                expected: base.key_id().to_hex(),
                found: key.id().to_hex(),
            });
        }
        let mut b = BlocklistBuilder::new(key);
        b.list_id = Some(base.list_id());
        b.sequence = base.sequence().saturating_add(1);
        for sec in base.sections() {
            let Some(signal) = sec.signal else {
                return Err(Error::InvalidParameters {
                    what: "base list has a signal kind this library does not know",
                });
            };
            let bits = base.filter(sec)?.bits().to_vec();
            b.sections.insert(
                (sec.signal_code, sec.label.clone()),
                Draft {
                    signal,
                    version: sec.digest_version,
                    params: sec.params,
                    fpr: None,
                    capacity: None,
                    digests: Vec::new(),
                    base: Some((BloomFilter::from_bits(sec.filter, bits)?, sec.entries)),
                },
            );
        }
        Ok(b)
    }

    /// Sets the sequence number (must grow with every published version).
    pub fn sequence(&mut self, sequence: u64) -> &mut Self {
        self.sequence = sequence;
        self
    }

    /// Sets the creation time (Unix seconds); default: now (required on `wasm32-unknown-unknown`,
    /// which has no clock).
    pub fn created(&mut self, unix_seconds: u64) -> &mut Self {
        self.created = Some(unix_seconds);
        self
    }

    /// Sets the list id; default: random for a new list, the base's for [`from_base`](Self::from_base).
    pub fn list_id(&mut self, id: [u8; 16]) -> &mut Self {
        self.list_id = Some(id);
        self
    }

    /// Near-duplicate matching for images added with [`add_image`](Self::add_image): the
    /// parameters clients will follow, or `None` to list images by exact bytes and PDQ hash only.
    /// Call it before adding images.
    ///
    /// Default (not called): [`NearParams::default`](crate::image::near::NearParams::default)
    /// with the code side chosen when the list is built, from the number of images listed with
    /// near-duplicate codes by [`auto_side`](crate::image::near::auto_side): side 7 up to about
    /// 88,000 images, side 8 above (longer codes collide less, match slightly fewer edits). A
    /// section taken over from a base list keeps its parameters.
    pub fn image_near(&mut self, params: Option<crate::image::near::NearParams>) -> &mut Self {
        self.near = params;
        self.near_auto = false;
        self
    }

    /// Target false-positive rate per probe for new sections (default [`DEFAULT_FPR`]). For
    /// `image_near` sections it is the rate per screened image: the section's per-probe rate is
    /// this divided by [`NearParams::probes_per_image`](crate::image::near::NearParams::probes_per_image).
    pub fn false_positive_rate(&mut self, fpr: f64) -> Result<&mut Self, Error> {
        FilterParams::for_capacity(1, fpr, self.blocks_per_key.unwrap_or(2))?;
        self.fpr = fpr;
        Ok(self)
    }

    /// Blocks per key for new sections, 1..=4 (default [`default_blocks_per_key`] of the rate).
    pub fn blocks_per_key(&mut self, g: u8) -> Result<&mut Self, Error> {
        FilterParams::for_capacity(1, self.fpr, g)?;
        self.blocks_per_key = Some(g);
        Ok(self)
    }

    fn draft(
        &mut self,
        signal: SignalKind,
        label: &str,
        version: u16,
    ) -> Result<&mut Draft, Error> {
        validate_label(label)?;
        let draft = self
            .sections
            .entry((signal.code(), label.to_owned()))
            .or_insert_with(|| Draft {
                signal,
                version,
                params: [0; 4],
                fpr: None,
                capacity: None,
                digests: Vec::new(),
                base: None,
            });
        if draft.version != version {
            return Err(Error::InvalidParameters {
                what: "digest version differs from the section's",
            });
        }
        Ok(draft)
    }

    /// Adds an already computed keyed digest of `signal` (canonicalisation `version`) under `label`.
    pub fn insert(
        &mut self,
        signal: SignalKind,
        label: &str,
        version: u16,
        digest: Digest,
    ) -> Result<(), Error> {
        self.draft(signal, label, version)?.digests.push(digest);
        Ok(())
    }

    /// Sets the matching parameters of a section (meaning per signal kind, see `FORMAT.md`), and
    /// the capacity to size its filter for (default: the number of entries at build time).
    pub fn section_options(
        &mut self,
        signal: SignalKind,
        label: &str,
        version: u16,
        params: [u32; 4],
        capacity: Option<u64>,
    ) -> Result<(), Error> {
        let d = self.draft(signal, label, version)?;
        d.params = params;
        d.capacity = capacity;
        Ok(())
    }

    /// Lists a file's exact bytes under `label`.
    pub fn add_file(&mut self, label: &str, bytes: &[u8]) -> Result<(), Error> {
        let d = crate::digest::file_digest(&self.key, bytes);
        self.insert(SignalKind::File, label, FILE_DIGEST_VERSION, d)
    }

    /// Lists a text under `label` with every text signal: its strict key, its loose key and its
    /// word shingles (see [`TextSignals`]).
    pub fn add_text(&mut self, label: &str, text: &str) -> Result<(), Error> {
        self.add_text_with(label, text, TextSignals::ALL)
    }

    /// Lists a text under `label` with the chosen text signals.
    ///
    /// Shingles are only listed for texts with at least [`crate::text::SHINGLE_MIN_HITS`] distinct
    /// shingles (shorter texts could never reach the hit threshold; their strict key covers them).
    pub fn add_text_with(
        &mut self,
        label: &str,
        text: &str,
        signals: TextSignals,
    ) -> Result<(), Error> {
        use crate::text;
        if signals.strict {
            let key = text::strict_key(text)?;
            let digester = Digester::new(&self.key, SignalKind::Text);
            let d = digester.digest(text::STRICT_KEY_VERSION, key.as_bytes());
            self.insert(SignalKind::Text, label, text::STRICT_KEY_VERSION, d)?;
            // Every evidence form is listed; a client probes a form only when the message shows
            // the evasion it undoes (`text` module docs, "Evidence forms").
            let (mut form, mut input) = (String::new(), Vec::new());
            for f in text::StrictForm::ALL {
                text::form_input(f, &key, &mut form, &mut input);
                let d = digester.digest(text::STRICT_KEY_VERSION, &input);
                self.insert(SignalKind::Text, label, text::STRICT_KEY_VERSION, d)?;
            }
        }
        if signals.loose {
            let key = text::loose_key(text)?;
            let d = Digester::new(&self.key, SignalKind::TextLoose)
                .digest(text::LOOSE_KEY_VERSION, key.as_bytes());
            self.insert(SignalKind::TextLoose, label, text::LOOSE_KEY_VERSION, d)?;
        }
        if signals.shingles {
            let shingles = text::shingles(text, text::SHINGLE_WIDTH)?;
            if shingles.len() >= text::SHINGLE_MIN_HITS {
                let digester = Digester::new(&self.key, SignalKind::TextShingle);
                for sh in shingles {
                    let d = digester.digest(text::SHINGLE_VERSION, sh.as_bytes());
                    self.insert(SignalKind::TextShingle, label, text::SHINGLE_VERSION, d)?;
                }
            }
        }
        Ok(())
    }

    /// Lists a URL under `label`: the most specific expression of its canonical form, so
    /// `evil.example` blocks the whole domain (and its subdomains), `evil.example/phish/` that
    /// subtree, and a full URL that page.
    pub fn add_url(&mut self, label: &str, url: &str) -> Result<(), Error> {
        let canonical = crate::url::canonicalize(url)?;
        let mut first: Option<Digest> = None;
        let digester = Digester::new(&self.key, SignalKind::Url);
        crate::url::for_each_expression(&canonical, |e| {
            if first.is_none() {
                first = Some(digester.digest(crate::url::URL_CANON_VERSION, e.as_bytes()));
            }
        });
        let d = first.ok_or(Error::InvalidUrl {
            reason: crate::url::InvalidUrlReason::MissingHost,
        })?;
        self.insert(SignalKind::Url, label, crate::url::URL_CANON_VERSION, d)
    }

    /// Lists an image file under `label`: its exact bytes, its PDQ hash, and (unless turned off
    /// with [`image_near`](Self::image_near)) its near-duplicate codes, so edited copies match
    /// too. Fails for images that cannot be decoded, and with [`Error::ImageLowQuality`] for
    /// images too plain to match reliably (nothing is listed then).
    #[cfg(feature = "image")]
    pub fn add_image(&mut self, label: &str, bytes: &[u8]) -> Result<(), Error> {
        use crate::image::near::{NearParams, AUTO_SIDES, NEAR_CODE_VERSION};
        // The parameters of this label's near section when they are already fixed (set by the
        // publisher, or a section of a base list or set with `section_options`).
        let fixed = match self.near {
            None => None,
            Some(p) if !self.near_auto => Some(p),
            Some(_) => self
                .sections
                .get(&(SignalKind::ImageNear.code(), label.to_owned()))
                .filter(|d| d.params != [0; 4])
                .map(|d| NearParams::from_params(&d.params))
                .transpose()?,
        };
        let auto = self.near.is_some() && self.near_auto && fixed.is_none();
        let near = match (fixed.as_ref(), self.near.as_ref()) {
            (Some(p), _) => Some((p, std::slice::from_ref(&p.side))),
            (None, Some(p)) if auto => Some((p, &AUTO_SIDES[..])),
            _ => None,
        };
        let (pdq, mut values) = crate::image::near::listed_for_bytes(bytes, near)?;
        let hash = pdq.matchable_hash()?;
        if let Some(p) = fixed {
            let fpr = self.fpr / p.probes_per_image() as f64;
            let digester = Digester::new(&self.key, SignalKind::ImageNear);
            let draft = self.draft(SignalKind::ImageNear, label, NEAR_CODE_VERSION)?;
            if draft.digests.is_empty() && draft.base.is_none() {
                draft.params = p.to_params();
                draft.fpr = Some(fpr);
            } else if draft.params != p.to_params() {
                return Err(Error::InvalidParameters {
                    what: "image_near parameters differ from the section's",
                });
            }
            let values = values.pop().unwrap_or_default();
            draft
                .digests
                .extend(values.iter().map(|v| digester.digest(NEAR_CODE_VERSION, v)));
        } else if auto {
            validate_label(label)?;
            let entry = self.auto_near.entry(label.to_owned()).or_default();
            entry.images += 1;
            entry.values.resize(values.len(), Vec::new());
            for (all, new) in entry.values.iter_mut().zip(values) {
                all.extend(new);
            }
        }
        self.add_file(label, bytes)?;
        self.add_pdq_hash(label, &hash)
    }

    /// The sections to write: the drafts, with the near-duplicate values listed under automatic
    /// parameters digested at the side the list size calls for (merged into a section of the same
    /// label set with `section_options`/`insert`, whose parameters then stand).
    fn resolved_sections(&self) -> Result<Vec<Resolved<'_>>, Error> {
        use crate::image::near::{auto_side, NearParams, AUTO_SIDES, NEAR_CODE_VERSION};
        use std::borrow::Cow;
        let mut out: Vec<Resolved<'_>> = self
            .sections
            .iter()
            .map(|((code, label), d)| ((*code, label.as_str()), Cow::Borrowed(d)))
            .collect();
        if self.auto_near.is_empty() {
            return Ok(out);
        }
        let images: u64 = self.auto_near.values().map(|a| a.images).sum();
        let side = auto_side(images);
        let base = self.near.unwrap_or_default();
        let p = NearParams { side, ..base };
        let digester = Digester::new(&self.key, SignalKind::ImageNear);
        let code = SignalKind::ImageNear.code();
        for (label, auto) in &self.auto_near {
            let existing = out
                .iter_mut()
                .find(|((c, l), _)| *c == code && *l == label.as_str());
            let (draft, side) = match existing {
                Some((_, d)) => {
                    let d = d.to_mut();
                    // Parameters set with `section_options` stand; their side if listed.
                    let set = (d.params[0] & 0xff) as u8;
                    let side = if d.params == [0; 4] {
                        d.params = p.to_params();
                        d.fpr = Some(self.fpr / p.probes_per_image() as f64);
                        side
                    } else if AUTO_SIDES.contains(&set) {
                        set
                    } else {
                        side
                    };
                    (d, side)
                }
                None => {
                    out.push((
                        (code, label.as_str()),
                        Cow::Owned(Draft {
                            signal: SignalKind::ImageNear,
                            version: NEAR_CODE_VERSION,
                            params: p.to_params(),
                            fpr: Some(self.fpr / p.probes_per_image() as f64),
                            capacity: None,
                            digests: Vec::new(),
                            base: None,
                        }),
                    ));
                    let Some((_, d)) = out.last_mut() else {
                        continue; // unreachable: just pushed
                    };
                    (d.to_mut(), side)
                }
            };
            let i = AUTO_SIDES.iter().position(|s| *s == side).unwrap_or(0);
            if let Some(values) = auto.values.get(i) {
                draft
                    .digests
                    .extend(values.iter().map(|v| digester.digest(NEAR_CODE_VERSION, v)));
            }
        }
        out.sort_by(|a, b| a.0.cmp(&b.0));
        Ok(out)
    }

    /// Lists a PDQ hash (for example from a hash-sharing export) under `label`. The caller checks
    /// its quality: hashes of quality below [`crate::image::MIN_MATCH_QUALITY`] should not be listed.
    pub fn add_pdq_hash(&mut self, label: &str, hash: &crate::image::PdqHash) -> Result<(), Error> {
        let version = crate::screen::PDQ_DIGEST_VERSION;
        let d = Digester::new(&self.key, SignalKind::ImagePdq).digest(version, &hash.0);
        self.insert(SignalKind::ImagePdq, label, version, d)
    }

    /// Number of values added so far in new (not base) entries.
    pub fn pending(&self) -> usize {
        let auto: usize = self
            .auto_near
            .values()
            .map(|a| a.values.first().map_or(0, Vec::len))
            .sum();
        self.sections
            .values()
            .map(|d| d.digests.len())
            .sum::<usize>()
            + auto
    }

    /// Writes the list, unsigned.
    pub fn build(&self) -> Result<Vec<u8>, Error> {
        self.build_inner(None)
    }

    /// Writes the list signed by the publisher's `signer`.
    pub fn build_signed(&self, signer: &SigningKey) -> Result<Vec<u8>, Error> {
        self.build_inner(Some(signer))
    }

    fn build_inner(&self, signer: Option<&SigningKey>) -> Result<Vec<u8>, Error> {
        let sections = self.resolved_sections()?;
        let mut outs = Vec::with_capacity(sections.len());
        if sections.len() > format::MAX_SECTIONS {
            return Err(Error::InvalidParameters {
                what: "more than 64 sections",
            });
        }
        for ((code, label), d) in &sections {
            let (code, label) = (*code, *label);
            let mut digests = d.digests.clone();
            digests.sort_unstable_by_key(|d| d.0);
            digests.dedup();
            let (filter, entries) = match &d.base {
                Some((base, base_entries)) => {
                    let mut f = base.clone();
                    let mut added = 0u64;
                    for dg in &digests {
                        if !f.as_ref().contains(dg) {
                            added += 1;
                        }
                        f.insert(dg);
                    }
                    (f, base_entries + added)
                }
                None => {
                    let n = digests.len() as u64;
                    let cap = d.capacity.unwrap_or(n).max(n);
                    let fpr = d.fpr.unwrap_or(self.fpr).max(1e-14);
                    let mut f = BloomFilter::new(FilterParams::for_capacity(
                        cap,
                        fpr,
                        self.blocks_per_key
                            .unwrap_or_else(|| default_blocks_per_key(fpr)),
                    )?);
                    for dg in &digests {
                        f.insert(dg);
                    }
                    (f, n)
                }
            };
            debug_assert_eq!(d.signal.code(), code);
            outs.push(SectionOut {
                signal_code: code,
                digest_version: d.version,
                filter: filter.params(),
                entries,
                params: d.params,
                label,
                payload: filter.into_bits(),
            });
        }
        let list_id = match self.list_id {
            Some(id) => id,
            None => {
                let mut id = [0u8; 16];
                getrandom::fill(&mut id).map_err(|_| Error::Rng)?;
                id
            }
        };
        let head = HeadOut {
            kind: format::KIND_LIST,
            flags: if signer.is_some() {
                format::FLAG_SIGNED
            } else {
                0
            },
            key_id: self.key.id(),
            list_id,
            sequence: self.sequence,
            created: match self.created {
                Some(t) => t,
                None => now_unix()?,
            },
            base_sequence: 0,
            base_checksum: [0; 32],
            target_checksum: [0; 32],
            target_trailer: [0; 96],
        };
        let (mut out, checksum) = write_body(&head, &outs);
        if let Some(signer) = signer {
            out.extend_from_slice(&trailer(signer, &checksum));
        }
        Ok(out)
    }
}

#[cfg(all(test, feature = "image"))]
mod tests {
    use super::*;
    use crate::image::near::{NearParams, NearQuery};
    use crate::{OpenOptions, Screener};

    fn fixture(name: &str) -> Vec<u8> {
        let path = format!(
            "{}/fixtures/images/corpus/{name}",
            env!("CARGO_MANIFEST_DIR")
        );
        std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
    }

    fn near_params(bytes: Vec<u8>) -> NearParams {
        let list = Blocklist::open(bytes, &OpenOptions::default()).unwrap();
        let sec = list
            .sections()
            .iter()
            .find(|s| s.signal == Some(SignalKind::ImageNear))
            .unwrap();
        NearParams::from_params(&sec.params).unwrap()
    }

    /// The side follows the list size when the publisher did not set it. A million-image list is
    /// too slow to build here: the count of listed images is raised instead (the rule itself is
    /// `auto_side`, tested at its boundaries in `image::near`).
    #[test]
    fn the_builder_picks_the_code_side_from_the_list_size() {
        let key = Key::from_bytes([5; 32]);
        let img = fixture("0060.jpg");
        let mut b = BlocklistBuilder::new(&key);
        b.created(1_800_000_000);
        b.add_image("csam", &img).unwrap();
        assert_eq!(near_params(b.build().unwrap()).side, 7);
        b.auto_near.get_mut("csam").unwrap().images = 1_000_000;
        let bytes = b.build().unwrap();
        let p = near_params(bytes.clone());
        assert_eq!(
            p,
            NearParams {
                side: 8,
                ..NearParams::default()
            }
        );
        // The side-8 codes were listed: the image matches through them, with side-8 probes.
        let list = Blocklist::open(bytes, &OpenOptions::default()).unwrap();
        let s = Screener::new(&list, &key).unwrap();
        assert_eq!(s.near_params(), vec![p]);
        assert!(s
            .screen_near(&NearQuery::from_bytes(&img, &p).unwrap())
            .matched());
        let side7 = NearParams::default();
        assert!(!s
            .screen_near(&NearQuery::from_bytes(&img, &side7).unwrap())
            .matched());
        // Parameters set by the publisher stand, whatever the size.
        let side6 = NearParams { side: 6, ..side7 };
        let mut b = BlocklistBuilder::new(&key);
        b.created(1_800_000_000).image_near(Some(side6));
        b.add_image("csam", &img).unwrap();
        assert!(b.auto_near.is_empty());
        assert_eq!(near_params(b.build().unwrap()), side6);
    }
}
