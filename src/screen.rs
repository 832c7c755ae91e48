//! Screening: digests of message parts probed against a verified blocklist.

use std::ops::Range;
use std::sync::Arc;

use serde::Serialize;

use crate::blocklist::Blocklist;
use crate::digest::{Digest, Digester, FileHasher, FILE_DIGEST_VERSION};
use crate::filter::{FilterParams, FilterRef};
use crate::key::{Key, SignalKind};
use crate::Error;

/// Screens message parts against one blocklist. Immutable, `Send + Sync`, and cheap to clone
/// (shared internals): build it once per list and share it between threads.
///
/// ```
/// use hashscreen::{Blocklist, BlocklistBuilder, Key, Message, OpenOptions, Part, Screener};
/// let key = Key::generate()?;
/// let mut b = BlocklistBuilder::new(&key);
/// b.add_text("scam", "send gift card codes")?;
/// let list = Blocklist::open(b.build()?, &OpenOptions { key_id: Some(key.id()), ..Default::default() })?;
/// let screener = Screener::new(&list, &key)?;
///
/// let message = Message::new().text("SEND gift card   codes").file(b"cat.gif bytes");
/// let verdict = screener.screen(&message);
/// assert!(verdict.matched());
/// assert_eq!(verdict.matches()[0].label(), "scam");
/// assert_eq!(verdict.matches()[0].part(), 0);
/// # Ok::<(), hashscreen::Error>(())
/// ```
#[derive(Clone, Debug)]
pub struct Screener {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    list: Blocklist,
    sections: Vec<ScreenSection>,
    digesters: Vec<Digester>,
}

#[derive(Debug)]
struct ScreenSection {
    signal: SignalKind,
    version: u16,
    params: [u32; 4],
    label: Arc<str>,
    filter: FilterParams,
    bits: Range<usize>,
}

/// One part of a message.
#[derive(Clone, Copy, Debug)]
#[non_exhaustive]
pub enum Part<'a> {
    /// Text typed by the user.
    Text(&'a str),
    /// An attachment's exact bytes.
    File(&'a [u8]),
    /// A link (for example a link preview's target): screened as a URL.
    Url(&'a str),
    /// An image file (JPEG, PNG, WebP, GIF, BMP): screened by its exact bytes and by its PDQ
    /// hash. An image too plain to hash reliably (PDQ quality below
    /// [`crate::image::MIN_MATCH_QUALITY`]) is listed in [`Verdict::unscreened`] with the reason;
    /// its bytes are still screened.
    #[cfg(feature = "image")]
    Image(&'a [u8]),
    /// An attachment given by its digest, computed with [`Screener::file_hasher`] (or
    /// [`crate::FileHasher`] under the same key) for a file too large to hold in memory: screened
    /// as [`Part::File`] of the same bytes.
    FileDigest(Digest),
    /// An image file over [`crate::image::DEFAULT_MAX_INPUT_BYTES`], too large to hold in memory
    /// or to decode, given by its digest from [`Screener::file_hasher`] (`None` when that returns
    /// `None`) and its length: screened as [`Part::Image`] of the same bytes would be (by its exact
    /// bytes, then listed in [`Verdict::unscreened`] with [`Error::ImageInputTooLarge`] when the
    /// list has image sections).
    #[cfg(feature = "image")]
    LargeImage {
        /// The file's digest.
        file: Option<Digest>,
        /// The file's length in bytes.
        len: u64,
    },
}

/// A message: its parts, screened together.
#[derive(Clone, Debug, Default)]
pub struct Message<'a> {
    parts: Vec<Part<'a>>,
}

impl<'a> Message<'a> {
    /// An empty message.
    pub fn new() -> Message<'a> {
        Message::default()
    }

    /// Adds a text part.
    pub fn text(mut self, text: &'a str) -> Message<'a> {
        self.parts.push(Part::Text(text));
        self
    }

    /// Adds a file part.
    pub fn file(mut self, bytes: &'a [u8]) -> Message<'a> {
        self.parts.push(Part::File(bytes));
        self
    }

    /// Adds an image part.
    #[cfg(feature = "image")]
    pub fn image(mut self, bytes: &'a [u8]) -> Message<'a> {
        self.parts.push(Part::Image(bytes));
        self
    }

    /// Adds a URL part.
    pub fn url(mut self, url: &'a str) -> Message<'a> {
        self.parts.push(Part::Url(url));
        self
    }

    /// Adds any part.
    pub fn part(mut self, part: Part<'a>) -> Message<'a> {
        self.parts.push(part);
        self
    }

    /// The parts.
    pub fn parts(&self) -> &[Part<'a>] {
        &self.parts
    }
}

/// One match: which part matched which list section. No content, no hash.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Match {
    part: usize,
    signal: SignalKind,
    label: Arc<str>,
}

impl Match {
    /// Index of the message part that matched.
    pub fn part(&self) -> usize {
        self.part
    }
    /// The signal kind that matched.
    pub fn signal(&self) -> SignalKind {
        self.signal
    }
    /// The label of the list section that matched.
    pub fn label(&self) -> &str {
        &self.label
    }
}

/// A part that could not be screened, and why (the error carries no content).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Unscreened {
    part: usize,
    #[serde(serialize_with = "as_display")]
    reason: Error,
}

fn as_display<S: serde::Serializer>(e: &Error, s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(e)
}

impl Unscreened {
    /// Index of the part.
    pub fn part(&self) -> usize {
        self.part
    }
    /// Why it was not screened.
    pub fn reason(&self) -> &Error {
        &self.reason
    }
}

/// The outcome of screening: the list sections that matched, and parts that could not be screened.
/// It holds no content and no hash: serialising it shows only part indices, signal kinds and labels.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Verdict {
    matched: bool,
    matches: Vec<Match>,
    unscreened: Vec<Unscreened>,
}

/// A shingle section's (width, minimum hits): `params[0]` and `params[1]`, 0 meaning the defaults
/// [`crate::text::SHINGLE_WIDTH`] and [`crate::text::SHINGLE_MIN_HITS`].
pub(crate) fn shingle_params(params: &[u32; 4]) -> (usize, usize) {
    let pick = |v: u32, default: usize| if v == 0 { default } else { v as usize };
    (
        pick(params[0], crate::text::SHINGLE_WIDTH),
        pick(params[1], crate::text::SHINGLE_MIN_HITS),
    )
}

impl Verdict {
    fn record(&mut self, part: usize, signal: SignalKind, label: &Arc<str>) {
        let seen = self
            .matches
            .iter()
            .any(|m| m.part == part && m.signal == signal && m.label == *label);
        if !seen {
            self.matched = true;
            self.matches.push(Match {
                part,
                signal,
                label: label.clone(),
            });
        }
    }

    /// True if any part matched.
    pub fn matched(&self) -> bool {
        self.matched
    }
    /// The matches, by part then section order.
    pub fn matches(&self) -> &[Match] {
        &self.matches
    }
    /// Parts that could not be screened.
    pub fn unscreened(&self) -> &[Unscreened] {
        &self.unscreened
    }
}

impl Screener {
    /// A screener over a verified full list, with the deployment key it was built with.
    ///
    /// Fails with [`Error::KeyMismatch`] for another key, and [`Error::UnsupportedDigestVersion`]
    /// when a section uses a canonicalisation version this library does not implement (upgrade).
    /// Sections of signal kinds this library does not know are skipped.
    pub fn new(list: &Blocklist, key: &Key) -> Result<Screener, Error> {
        if list.key_id() != key.id() {
            return Err(Error::KeyMismatch {
                expected: list.key_id().to_hex(),
                found: key.id().to_hex(),
            });
        }
        let mut sections = Vec::new();
        let mut digesters: Vec<Digester> = Vec::new();
        for sec in list.sections() {
            let Some(signal) = sec.signal else { continue };
            if sec.digest_version != supported_version(signal) {
                return Err(Error::UnsupportedDigestVersion {
                    signal: signal.name(),
                    found: sec.digest_version,
                });
            }
            list.filter(sec)?; // validates once; probes then index the shared bytes
            if signal == SignalKind::ImageNear {
                crate::image::near::NearParams::from_params(&sec.params)?;
            }
            if !digesters.iter().any(|d| d.signal() == signal) {
                digesters.push(Digester::new(key, signal));
            }
            sections.push(ScreenSection {
                signal,
                version: sec.digest_version,
                params: sec.params,
                label: sec.label.as_str().into(),
                filter: sec.filter,
                bits: sec.payload.clone(),
            });
        }
        Ok(Screener {
            inner: Arc::new(Inner {
                list: list.clone(),
                sections,
                digesters,
            }),
        })
    }

    /// The list this screener uses.
    pub fn blocklist(&self) -> &Blocklist {
        &self.inner.list
    }

    /// True if the list has a section of `signal`.
    pub fn has_signal(&self, signal: SignalKind) -> bool {
        self.inner.sections.iter().any(|s| s.signal == signal)
    }

    fn digester(&self, signal: SignalKind) -> Option<&Digester> {
        self.inner.digesters.iter().find(|d| d.signal() == signal)
    }

    fn filter_of(&self, sec: &ScreenSection) -> Option<FilterRef<'_>> {
        let bits = self.inner.list.as_bytes().get(sec.bits.clone())?;
        FilterRef::new(sec.filter, bits).ok()
    }

    /// Probes every section of `signal` for `digest`, recording matches for `part`.
    fn probe(&self, part: usize, signal: SignalKind, digest: &Digest, out: &mut Verdict) {
        for sec in self.inner.sections.iter().filter(|s| s.signal == signal) {
            if self.filter_of(sec).is_some_and(|f| f.contains(digest)) {
                out.record(part, signal, &sec.label);
            }
        }
    }

    /// Probes `signal` with the digest of `value` (canonicalisation `version`), if the list has it.
    fn probe_value(&self, part: usize, signal: SignalKind, value: &[u8], out: &mut Verdict) {
        if let Some(d) = self.digester(signal) {
            let version = supported_version(signal);
            debug_assert!(self
                .inner
                .sections
                .iter()
                .all(|s| s.signal != signal || s.version == version));
            self.probe(part, signal, &d.digest(version, value), out);
        }
    }

    fn screen_part(&self, index: usize, part: &Part<'_>, out: &mut Verdict) {
        let result = match part {
            Part::Text(text) => self.screen_text_into(index, text, out),
            Part::File(bytes) => {
                self.probe_value(index, SignalKind::File, bytes, out);
                Ok(())
            }
            Part::Url(url) => self.screen_url_into(index, url, out),
            #[cfg(feature = "image")]
            Part::Image(bytes) => self.screen_image_into(index, bytes, out),
            Part::FileDigest(d) => {
                self.probe(index, SignalKind::File, d, out);
                Ok(())
            }
            #[cfg(feature = "image")]
            Part::LargeImage { file, len } => {
                self.large_image_into(index, file.as_ref(), *len, out)
            }
        };
        if let Err(reason) = result {
            out.unscreened.push(Unscreened {
                part: index,
                reason,
            });
        }
    }

    fn screen_text_into(&self, part: usize, text: &str, out: &mut Verdict) -> Result<(), Error> {
        if text.len() > crate::text::MAX_TEXT_BYTES {
            return Err(Error::InputTooLarge {
                limit: crate::text::MAX_TEXT_BYTES,
                found: text.len(),
            });
        }
        let mut key = String::new();
        if self.has_signal(SignalKind::Text) {
            let evidence = crate::text::strict_key_evidence(text, &mut key)?;
            self.probe_value(part, SignalKind::Text, key.as_bytes(), out);
            let (mut form, mut input) = (String::new(), Vec::new());
            for f in crate::text::StrictForm::ALL {
                if f.applies(evidence) {
                    crate::text::form_input(f, &key, &mut form, &mut input);
                    self.probe_value(part, SignalKind::Text, &input, out);
                }
            }
        }
        if self.has_signal(SignalKind::TextLoose) {
            crate::text::loose_key_into(text, &mut key)?;
            self.probe_value(part, SignalKind::TextLoose, key.as_bytes(), out);
        }
        if let Some(digester) = self.digester(SignalKind::TextShingle) {
            // Sections usually share one width: shingle and digest the text once per width.
            let mut digests: Option<(usize, Vec<Digest>)> = None;
            for sec in self
                .inner
                .sections
                .iter()
                .filter(|s| s.signal == SignalKind::TextShingle)
            {
                let (width, min_hits) = shingle_params(&sec.params);
                let Some(filter) = self.filter_of(sec) else {
                    continue;
                };
                if digests.as_ref().is_none_or(|(w, _)| *w != width) {
                    let shingles = crate::text::shingles(text, width)?;
                    let version = supported_version(SignalKind::TextShingle);
                    let ds = shingles
                        .iter()
                        .map(|sh| digester.digest(version, sh.as_bytes()));
                    digests = Some((width, ds.collect()));
                }
                let hits = digests.as_ref().map_or(0, |(_, ds)| {
                    ds.iter().filter(|d| filter.contains(d)).count()
                });
                if hits >= min_hits {
                    out.record(part, SignalKind::TextShingle, &sec.label);
                }
            }
        }
        if self.has_signal(SignalKind::Url) {
            for url in crate::url::find_urls(text) {
                // A word that looked like a link but is not a URL is simply not screened as one.
                let _ = self.screen_url_into(part, url, out);
            }
        }
        Ok(())
    }

    fn screen_url_into(&self, part: usize, url: &str, out: &mut Verdict) -> Result<(), Error> {
        let Some(digester) = self.digester(SignalKind::Url) else {
            return Ok(());
        };
        let canonical = crate::url::canonicalize(url)?;
        let version = supported_version(SignalKind::Url);
        crate::url::for_each_expression(&canonical, |expr| {
            self.probe(
                part,
                SignalKind::Url,
                &digester.digest(version, expr.as_bytes()),
                out,
            );
        });
        Ok(())
    }

    /// Screens a text: its strict and loose keys, its word shingles, and the URLs in it, against
    /// the sections of those kinds the list has.
    pub fn screen_text(&self, text: &str) -> Result<Verdict, Error> {
        let mut v = Verdict::default();
        self.screen_text_into(0, text, &mut v)?;
        Ok(v)
    }

    /// Screens an image file: its exact bytes, and its PDQ hash (all eight dihedral variants, so a
    /// mirrored or rotated copy of a listed image matches too) against the image sections.
    ///
    /// Fails for images that cannot be decoded, and with [`Error::ImageLowQuality`] for images too
    /// plain to match (the exact-bytes probe still ran; use [`Screener::screen`] to get both the
    /// matches and the reason).
    #[cfg(feature = "image")]
    pub fn screen_image(&self, bytes: &[u8]) -> Result<Verdict, Error> {
        let mut v = Verdict::default();
        self.screen_image_into(0, bytes, &mut v)?;
        Ok(v)
    }

    #[cfg(feature = "image")]
    fn screen_image_into(&self, part: usize, bytes: &[u8], out: &mut Verdict) -> Result<(), Error> {
        self.probe_value(part, SignalKind::File, bytes, out);
        if !self.has_image_sections() {
            return Ok(());
        }
        let near = self.has_signal(SignalKind::ImageNear);
        let (all, img) = crate::image::near::decode_for_screening(bytes)?;
        self.screen_pdq_into(part, &all, out)?;
        if near {
            let luma = crate::image::near::float_luma(img);
            self.screen_near_into(part, luma.view(), out)?;
        }
        Ok(())
    }

    /// Probes every `image_near` section with the codes of an image's views (computed once per
    /// distinct parameter set; lists normally have one).
    #[cfg(feature = "image")]
    fn screen_near_into(
        &self,
        part: usize,
        luma: crate::image::near::LumaRef<'_>,
        out: &mut Verdict,
    ) -> Result<(), Error> {
        use crate::image::near::{NearParams, NearQuery};
        let mut done: Vec<[u32; 4]> = Vec::new();
        for sec in self.near_sections() {
            if !done.contains(&sec.params) {
                done.push(sec.params);
                let q = NearQuery::from_luma(luma, &NearParams::from_params(&sec.params)?)?;
                self.probe_near(part, &q, out);
            }
        }
        Ok(())
    }

    fn near_sections(&self) -> impl Iterator<Item = &ScreenSection> {
        self.inner
            .sections
            .iter()
            .filter(|s| s.signal == SignalKind::ImageNear)
    }

    /// Probes every `image_near` section with `q`'s parameters, digesting each value once (one
    /// pass: digest, then the filter probes, so nothing is stored), and stops when every such
    /// section has matched.
    fn probe_near(&self, part: usize, q: &crate::image::near::NearQuery, out: &mut Verdict) {
        let Some(digester) = self.digester(SignalKind::ImageNear) else {
            return;
        };
        let params = q.params().to_params();
        let version = supported_version(SignalKind::ImageNear);
        let mut secs: Vec<(&ScreenSection, FilterRef<'_>, bool)> = self
            .near_sections()
            .filter(|s| s.params == params)
            .filter_map(|s| Some((s, self.filter_of(s)?, false)))
            .collect();
        // Digests in batches, so each section's filter probes a batch at once (its cache misses
        // overlap: `FilterRef::first_match`).
        const BATCH: usize = 16;
        let mut left = secs.len();
        let prf = digester.near_prf();
        let mut batch = [Digest([0; 32]); BATCH];
        for chunk in q.values().chunks(BATCH) {
            if left == 0 {
                break;
            }
            for (d, v) in batch.iter_mut().zip(chunk) {
                *d = prf.digest(version, v);
            }
            let digests = batch.get(..chunk.len()).unwrap_or(&[]);
            for (_, filter, hit) in secs.iter_mut() {
                if !*hit && filter.first_match(digests).is_some() {
                    *hit = true;
                    left -= 1;
                }
            }
        }
        for (sec, _, hit) in &secs {
            if *hit {
                out.record(part, SignalKind::ImageNear, &sec.label);
            }
        }
    }

    /// The parameters of this list's `image_near` sections (normally one set; empty when the list
    /// has none): compute a [`NearQuery`](crate::image::near::NearQuery) for each to screen with
    /// [`Screener::screen_near`].
    pub fn near_params(&self) -> Vec<crate::image::near::NearParams> {
        let mut out: Vec<crate::image::near::NearParams> = Vec::new();
        for sec in self.near_sections() {
            if let Ok(p) = crate::image::near::NearParams::from_params(&sec.params) {
                if !out.contains(&p) {
                    out.push(p);
                }
            }
        }
        out
    }

    /// Screens already computed near-duplicate probe values against the `image_near` sections
    /// with the same parameters: the part of [`Screener::screen_image`] that follows hashing.
    pub fn screen_near(&self, query: &crate::image::near::NearQuery) -> Verdict {
        let mut v = Verdict::default();
        self.probe_near(0, query, &mut v);
        v
    }

    /// Screens already computed PDQ hashes (all eight dihedral variants of one image).
    pub fn screen_pdq(&self, hashes: &crate::image::PdqDihedral) -> Result<Verdict, Error> {
        let mut v = Verdict::default();
        self.screen_pdq_into(0, hashes, &mut v)?;
        Ok(v)
    }

    fn screen_pdq_into(
        &self,
        part: usize,
        all: &crate::image::PdqDihedral,
        out: &mut Verdict,
    ) -> Result<(), Error> {
        all.pdq(crate::image::Dihedral::Original).matchable_hash()?;
        if let Some(d) = self.digester(SignalKind::ImagePdq) {
            let version = supported_version(SignalKind::ImagePdq);
            for h in &all.hashes {
                self.probe(part, SignalKind::ImagePdq, &d.digest(version, &h.0), out);
            }
        }
        Ok(())
    }

    /// Screens a URL: its canonical form's host-suffix x path-prefix expressions (at most 30).
    pub fn screen_url(&self, url: &str) -> Result<Verdict, Error> {
        let mut v = Verdict::default();
        self.screen_url_into(0, url, &mut v)?;
        Ok(v)
    }

    /// Screens a file's exact bytes.
    pub fn screen_file(&self, bytes: &[u8]) -> Verdict {
        let mut v = Verdict::default();
        self.probe_value(0, SignalKind::File, bytes, &mut v);
        v
    }

    /// A hasher for a file too large to hold in memory, under this screener's key; `None` when the
    /// list has no `file` section (nothing to probe: skip the hashing). Feed it the file, then
    /// [`Screener::screen_file_digest`] (or a [`Part::FileDigest`]).
    ///
    /// ```
    /// # use hashscreen::{BlocklistBuilder, Blocklist, Key, OpenOptions, Screener};
    /// let key = Key::generate()?;
    /// let mut b = BlocklistBuilder::new(&key);
    /// b.add_file("malware", b"MZ...payload")?;
    /// let list = Blocklist::open(b.build()?, &OpenOptions::default())?;
    /// let screener = Screener::new(&list, &key)?;
    /// let mut h = screener.file_hasher().expect("the list has a file section");
    /// for chunk in [&b"MZ..."[..], b"payload"] {
    ///     h.update(chunk);
    /// }
    /// assert!(screener.screen_file_digest(&h.finish()).matched());
    /// # Ok::<(), hashscreen::Error>(())
    /// ```
    pub fn file_hasher(&self) -> Option<FileHasher> {
        self.digester(SignalKind::File)
            .map(FileHasher::from_digester)
    }

    /// Screens a file by its digest from [`Screener::file_hasher`]: the verdict of
    /// [`Screener::screen_file`] on the same bytes.
    pub fn screen_file_digest(&self, digest: &Digest) -> Verdict {
        let mut v = Verdict::default();
        self.probe(0, SignalKind::File, digest, &mut v);
        v
    }

    /// Screens an image too large to decode, by its digest and length ([`Part::LargeImage`]): the
    /// result of [`Screener::screen_image`] on the same bytes.
    ///
    /// # Errors
    /// [`Error::ImageInputTooLarge`] when the list has image sections (as the decoder gives);
    /// [`Error::InvalidParameters`] for a length the decoder would accept (use `screen_image`).
    #[cfg(feature = "image")]
    pub fn screen_large_image(&self, file: Option<&Digest>, len: u64) -> Result<Verdict, Error> {
        let mut v = Verdict::default();
        self.large_image_into(0, file, len, &mut v)?;
        Ok(v)
    }

    #[cfg(feature = "image")]
    fn large_image_into(
        &self,
        part: usize,
        file: Option<&Digest>,
        len: u64,
        out: &mut Verdict,
    ) -> Result<(), Error> {
        let too_large = crate::image::DecodeLimits::default().check_input_len(len);
        if too_large.is_ok() {
            return Err(Error::InvalidParameters {
                what: "a large image part under the decode limit (screen its bytes)",
            });
        }
        if let Some(d) = file {
            self.probe(part, SignalKind::File, d, out);
        }
        // As `screen_image_into`: without image sections there is nothing to decode for.
        if !self.has_image_sections() {
            return Ok(());
        }
        too_large
    }

    /// Whether the list has a section that images are decoded for (PDQ or near-duplicate).
    #[cfg(feature = "image")]
    fn has_image_sections(&self) -> bool {
        self.has_signal(SignalKind::ImagePdq) || self.has_signal(SignalKind::ImageNear)
    }

    /// Screens every part of a message. A part that cannot be screened (too long, undecodable) is
    /// listed in [`Verdict::unscreened`] and the other parts are still screened.
    pub fn screen(&self, message: &Message<'_>) -> Verdict {
        let mut v = Verdict::default();
        for (i, part) in message.parts().iter().enumerate() {
            self.screen_part(i, part, &mut v);
        }
        v
    }
}

/// Digest version of [`SignalKind::ImagePdq`] values: the 32 bytes of the PDQ hash, in the
/// reference's hex order. Matching is exact on the hash and its dihedral variants; near-duplicate
/// matching is the [`SignalKind::ImageNear`] section's (see [`crate::image::near`]).
pub const PDQ_DIGEST_VERSION: u16 = 1;

/// The canonicalisation version this library computes for each signal kind.
pub fn supported_version(signal: SignalKind) -> u16 {
    match signal {
        SignalKind::File => FILE_DIGEST_VERSION,
        SignalKind::Text => crate::text::STRICT_KEY_VERSION,
        SignalKind::TextLoose => crate::text::LOOSE_KEY_VERSION,
        SignalKind::TextShingle => crate::text::SHINGLE_VERSION,
        SignalKind::Url => crate::url::URL_CANON_VERSION,
        SignalKind::ImagePdq => PDQ_DIGEST_VERSION,
        SignalKind::ImageNear => crate::image::near::NEAR_CODE_VERSION,
    }
}
