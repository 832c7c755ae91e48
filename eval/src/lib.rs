//! The robustness benchmark of hashscreen (issue 4): how often a listed image still matches after
//! the 26 standard transforms, how often an unlisted one matches, through the real client path
//! (`Screener::screen_image` on encoded bytes) and, in the same run, for plain PDQ, pHash and dHash
//! compared in the clear.
//!
//! # Protocol
//! - The originals are every `*.jpg`, `*.jpeg` and `*.png` of the corpus directory, sorted by name
//!   (optionally the first `limit`).
//! - Two folds: fold A lists the even-indexed images, fold B the odd ones. Each fold has its own
//!   deployment key (derived from the fold's name, so runs are reproducible) and a blocklist built with `BlocklistBuilder::add_image` from the original bytes.
//!   An original the builder rejects (PDQ quality below 50, or any other reason) is not listed, for
//!   any method: the in-the-clear baselines list exactly the hashes of the images the builder took.
//! - Positive trials: the 26 variants of every listed image, screened against its own fold.
//!   Negative trials: every original and every variant of every image not listed in a fold, screened
//!   against that fold (so each image is a negative in the other fold, and a rejected image in both).
//! - Ours: `Screener::screen_image(bytes)` and `Verdict::matched()`; an error (for example a variant
//!   too plain to hash) counts as no match.
//! - In the clear: the query is hashed from the same bytes (`pdq_from_bytes`, and pHash / dHash as
//!   `phash64_from_bytes` / `dhash64_from_bytes` compute them, from one `decode_for_hashing`) and matches when its Hamming distance to some listed hash of the fold is at
//!   most t. A query whose PDQ quality is below 50 is not matched by any in-the-clear method either
//!   (the rule the library applies to its own queries), so all methods see the same quality gate.
//! - pHash, dHash and PDQ thresholds "pairwise": the largest t at which at most 1e-4 of all pairs of
//!   distinct originals are within t. PDQ is also reported at its usual t = 31, pHash at 15 and dHash
//!   at 7 (the corpus README's reference thresholds).
//! - Memory stays bounded: both screeners are built first, then images are streamed (two at a time
//!   on two cores); the variants of one image are generated, screened and dropped one by one.

#![forbid(unsafe_code)]
#![deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod error;
pub mod floors;
pub mod report;
pub mod transforms;

pub use error::EvalError;
pub use report::Report;

use hashscreen::image::{Hash64, PdqHash, MIN_MATCH_QUALITY};
use hashscreen::{Blocklist, BlocklistBuilder, Key, OpenOptions, Screener};
use rayon::prelude::*;
use report::{BlocklistStats, CorpusStats, FalseMatch, Methods, SectionStats, TransformRow};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

/// Number of methods compared, in the order of [`METHOD_NAMES`].
pub const METHODS: usize = 7;

/// The methods, as named in reports: ours through the filter, then the in-the-clear baselines.
pub const METHOD_NAMES: [&str; METHODS] = [
    "ours",
    "pdq_t31",
    "pdq_pairwise",
    "phash_pairwise",
    "phash_t15",
    "dhash_pairwise",
    "dhash_t7",
];

/// The pairwise false-match rate that picks the "pairwise" thresholds.
pub const PAIRWISE_RATE: f64 = 1e-4;

/// What to run.
#[derive(Clone, Debug)]
pub struct Options {
    /// Directory of the originals.
    pub corpus: PathBuf,
    /// Only the first `limit` images (by name).
    pub limit: Option<usize>,
    /// Near-duplicate code side to list with (4..=8, the other parameters default); `None`: what
    /// the builder chooses for the list size (`hashscreen::image::near::auto_side`).
    pub near_side: Option<u8>,
}

/// The hashes of one image file, computed as the library computes them from bytes.
#[derive(Clone, Copy, Debug)]
struct Hashes {
    pdq: PdqHash,
    quality: u8,
    phash: Hash64,
    dhash: Hash64,
}

fn hash_bytes(bytes: &[u8]) -> Result<Hashes, hashscreen::Error> {
    let pdq = hashscreen::image::pdq_from_bytes(bytes)?;
    // `phash64_from_bytes` and `dhash64_from_bytes` are exactly this decode followed by the
    // `_from_image` hash; one decode serves both.
    let grey = image::DynamicImage::ImageLuma8(hashscreen::image::decode_for_hashing(
        bytes,
        &hashscreen::image::DecodeLimits::default(),
    )?);
    Ok(Hashes {
        pdq: pdq.hash,
        quality: pdq.quality,
        phash: hashscreen::image::phash64_from_image(&grey),
        dhash: hashscreen::image::dhash64_from_image(&grey),
    })
}

/// The corpus files, sorted by name, at most `limit`.
///
/// # Errors
/// [`EvalError::Io`] if the directory cannot be read, [`EvalError::EmptyCorpus`] if it holds no
/// image.
pub fn list_corpus(dir: &Path, limit: Option<usize>) -> Result<Vec<PathBuf>, EvalError> {
    let io = |source| EvalError::Io {
        path: dir.to_path_buf(),
        source,
    };
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(io)? {
        let path = entry.map_err(io)?.path();
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase);
        if matches!(ext.as_deref(), Some("jpg" | "jpeg" | "png")) && path.is_file() {
            files.push(path);
        }
    }
    files.sort();
    if let Some(n) = limit {
        files.truncate(n);
    }
    if files.is_empty() {
        return Err(EvalError::EmptyCorpus {
            dir: dir.to_path_buf(),
        });
    }
    Ok(files)
}

/// The largest t such that at most `rate` of the pairs of distinct `hashes` are within distance t,
/// or `None` if even t = 0 exceeds it. `distance` must be at most `max`.
fn pairwise_threshold<H>(
    hashes: &[H],
    max: u32,
    rate: f64,
    distance: impl Fn(&H, &H) -> u32,
) -> Option<u32> {
    let mut hist = vec![0u64; max as usize + 1];
    for (i, a) in hashes.iter().enumerate() {
        for b in &hashes[i + 1..] {
            hist[distance(a, b).min(max) as usize] += 1;
        }
    }
    let pairs: u64 = hist.iter().sum();
    let allowed = rate * pairs as f64;
    let mut cum = 0u64;
    let mut best = None;
    for (t, n) in hist.iter().enumerate() {
        cum += n;
        if cum as f64 <= allowed {
            best = Some(t as u32);
        } else {
            break;
        }
    }
    best
}

/// Thresholds of the in-the-clear methods, `None` = never matches.
#[derive(Clone, Copy, Debug)]
struct Thresholds {
    pdq_pairwise: Option<u32>,
    phash_pairwise: Option<u32>,
    dhash_pairwise: Option<u32>,
}

/// One fold: its screener and the hashes of the images it lists.
struct Fold {
    screener: Screener,
    listed: Vec<bool>,
    hashes: Vec<Hashes>,
    stats: BlocklistStats,
}

fn build_fold(
    name: &str,
    near_side: Option<u8>,
    parity: usize,
    originals: &[Vec<u8>],
    hashes: &[Hashes],
) -> Result<Fold, EvalError> {
    // A fresh key per fold, derived from the fold's name so that runs are reproducible (the
    // filter's own false positives depend on the key). A benchmark key, not a secret.
    let key = Key::from_bytes(
        *blake3::hash(format!("hashscreen-eval fold {name}").as_bytes()).as_bytes(),
    );
    let mut builder = BlocklistBuilder::new(&key);
    if let Some(side) = near_side {
        builder.image_near(Some(hashscreen::image::near::NearParams {
            side,
            ..Default::default()
        }));
    }
    let mut listed = vec![false; originals.len()];
    let mut rejected = 0usize;
    for (i, bytes) in originals.iter().enumerate() {
        if i % 2 != parity {
            continue;
        }
        match builder.add_image("eval", bytes) {
            Ok(()) => listed[i] = true,
            Err(_) => rejected += 1,
        }
    }
    let bytes = builder.build()?;
    let file_bytes = bytes.len();
    let list = Blocklist::open(bytes, &OpenOptions::default())?;
    let screener = Screener::new(&list, &key)?;
    let n_listed = listed.iter().filter(|l| **l).count();
    let sections = list
        .sections()
        .iter()
        .map(|s| SectionStats {
            signal: s.signal.map_or_else(
                || format!("code_{}", s.signal_code),
                |k| k.name().to_string(),
            ),
            entries: s.entries,
            payload_bytes: s.payload.len(),
        })
        .collect();
    let fold_hashes = hashes
        .iter()
        .zip(&listed)
        .filter(|(_, l)| **l)
        .map(|(h, _)| *h)
        .collect();
    Ok(Fold {
        screener,
        listed,
        hashes: fold_hashes,
        stats: BlocklistStats {
            fold: name.to_string(),
            listed: n_listed,
            rejected,
            file_bytes,
            sections,
        },
    })
}

/// The outcome of screening one input against one fold.
#[derive(Clone, Debug)]
struct Trial {
    image: usize,
    /// `None` for the original itself.
    transform: Option<usize>,
    fold: usize,
    positive: bool,
    low_quality: bool,
    error: bool,
    matched: [bool; METHODS],
    screen_seconds: f64,
}

fn within(d: u32, t: Option<u32>) -> bool {
    t.is_some_and(|t| d <= t)
}

fn screen_input(
    image: usize,
    transform: Option<usize>,
    bytes: &[u8],
    folds: &[Fold; 2],
    th: &Thresholds,
) -> Vec<Trial> {
    let query = hash_bytes(bytes);
    let mut out = Vec::with_capacity(2);
    for (f, fold) in folds.iter().enumerate() {
        let positive = f == image % 2 && fold.listed[image];
        let start = Instant::now();
        let ours = fold
            .screener
            .screen_image(bytes)
            .map(|v| v.matched())
            .unwrap_or(false);
        let screen_seconds = start.elapsed().as_secs_f64();
        let mut matched = [false; METHODS];
        matched[0] = ours;
        let (low_quality, error) = match &query {
            Ok(q) => {
                let low = q.quality < MIN_MATCH_QUALITY;
                if !low {
                    let pdq = fold.hashes.iter().map(|h| h.pdq.distance(&q.pdq)).min();
                    let ph = fold.hashes.iter().map(|h| h.phash.distance(&q.phash)).min();
                    let dh = fold.hashes.iter().map(|h| h.dhash.distance(&q.dhash)).min();
                    if let (Some(pdq), Some(ph), Some(dh)) = (pdq, ph, dh) {
                        matched[1] = pdq <= 31;
                        matched[2] = within(pdq, th.pdq_pairwise);
                        matched[3] = within(ph, th.phash_pairwise);
                        matched[4] = ph <= 15;
                        matched[5] = within(dh, th.dhash_pairwise);
                        matched[6] = dh <= 7;
                    }
                }
                (low, false)
            }
            Err(_) => (false, true),
        };
        out.push(Trial {
            image,
            transform,
            fold: f,
            positive,
            low_quality,
            error,
            matched,
            screen_seconds,
        });
    }
    out
}

fn read_file(path: &Path) -> Result<Vec<u8>, EvalError> {
    std::fs::read(path).map_err(|source| EvalError::Io {
        path: path.to_path_buf(),
        source,
    })
}

/// Runs the benchmark.
///
/// # Errors
/// Unreadable or undecodable originals, fewer than two images, or a list the library refuses to
/// build or open.
pub fn run(opts: &Options) -> Result<Report, EvalError> {
    let started = Instant::now();
    let files = list_corpus(&opts.corpus, opts.limit)?;
    if files.len() < 2 {
        return Err(EvalError::Argument(
            "two folds need at least two images".into(),
        ));
    }
    let originals = files
        .iter()
        .map(|p| read_file(p))
        .collect::<Result<Vec<_>, _>>()?;

    // Pass 1: hashes of the originals (thresholds, in-the-clear lists).
    let hashes = originals
        .par_iter()
        .zip(&files)
        .map(|(bytes, path)| {
            hash_bytes(bytes).map_err(|e| EvalError::Decode {
                path: path.clone(),
                reason: e.to_string(),
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    let th = Thresholds {
        pdq_pairwise: pairwise_threshold(&hashes, 256, PAIRWISE_RATE, |a, b| {
            a.pdq.distance(&b.pdq)
        }),
        phash_pairwise: pairwise_threshold(&hashes, 64, PAIRWISE_RATE, |a, b| {
            a.phash.distance(&b.phash)
        }),
        dhash_pairwise: pairwise_threshold(&hashes, 64, PAIRWISE_RATE, |a, b| {
            a.dhash.distance(&b.dhash)
        }),
    };

    // Both folds' screeners first, then stream the images.
    let folds = [
        build_fold("A (even)", opts.near_side, 0, &originals, &hashes)?,
        build_fold("B (odd)", opts.near_side, 1, &originals, &hashes)?,
    ];

    let done = AtomicUsize::new(0);
    let step = (originals.len() / 10).max(1);
    let per_image: Vec<Result<Vec<Trial>, EvalError>> = originals
        .par_iter()
        .enumerate()
        .map(|(i, bytes)| {
            let img = image::load_from_memory(bytes)
                .map_err(|e| EvalError::Decode {
                    path: files[i].clone(),
                    reason: e.to_string(),
                })?
                .to_rgb8();
            let mut trials = screen_input(i, None, bytes, &folds, &th);
            let variants: Vec<Result<Vec<Trial>, EvalError>> = transforms::ALL
                .par_iter()
                .enumerate()
                .map(|(ti, t)| {
                    let variant = transforms::apply(*t, &img, transforms::seed_for(i, *t))?;
                    Ok(screen_input(i, Some(ti), &variant, &folds, &th))
                })
                .collect();
            for v in variants {
                trials.extend(v?);
            }
            let n = done.fetch_add(1, Ordering::Relaxed) + 1;
            if n.is_multiple_of(step) || n == originals.len() {
                eprintln!(
                    "hashscreen-eval: {n}/{} images ({:.0} s)",
                    originals.len(),
                    started.elapsed().as_secs_f64()
                );
            }
            Ok(trials)
        })
        .collect();
    let mut trials = Vec::new();
    for t in per_image {
        trials.extend(t?);
    }

    Ok(summarise(
        opts, &files, &hashes, &folds, &th, &trials, started,
    ))
}

fn rate(num: usize, den: usize) -> f64 {
    if den == 0 {
        0.0
    } else {
        num as f64 / den as f64
    }
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let idx = ((sorted.len() - 1) as f64 * p).round() as usize;
    sorted[idx.min(sorted.len() - 1)]
}

fn summarise(
    opts: &Options,
    files: &[PathBuf],
    hashes: &[Hashes],
    folds: &[Fold; 2],
    th: &Thresholds,
    trials: &[Trial],
    started: Instant,
) -> Report {
    let name_of = |i: usize| {
        files[i]
            .file_name()
            .map_or_else(String::new, |n| n.to_string_lossy().into_owned())
    };
    let mut rows = Vec::new();
    for (ti, t) in transforms::ALL.iter().enumerate() {
        let pos: Vec<&Trial> = trials
            .iter()
            .filter(|x| x.positive && x.transform == Some(ti))
            .collect();
        let mut tpr = [0.0; METHODS];
        for (m, r) in tpr.iter_mut().enumerate() {
            *r = rate(pos.iter().filter(|x| x.matched[m]).count(), pos.len());
        }
        let neg: Vec<&Trial> = trials
            .iter()
            .filter(|x| !x.positive && x.transform == Some(ti))
            .collect();
        let mut fm = [0usize; METHODS];
        for (m, v) in fm.iter_mut().enumerate() {
            *v = neg.iter().filter(|x| x.matched[m]).count();
        }
        rows.push(TransformRow {
            transform: t.name().to_string(),
            trials: pos.len(),
            negative_trials: neg.len(),
            false_matches: Methods::from_array(fm),
            low_quality_queries: pos.iter().filter(|x| x.low_quality).count(),
            tpr: Methods::from_array(tpr),
        });
    }
    let mut mean = [0.0; METHODS];
    for (m, v) in mean.iter_mut().enumerate() {
        *v = rows.iter().map(|r| r.tpr.to_array()[m]).sum::<f64>() / rows.len() as f64;
    }
    let originals_pos: Vec<&Trial> = trials
        .iter()
        .filter(|x| x.positive && x.transform.is_none())
        .collect();
    let mut original_tpr = [0.0; METHODS];
    for (m, v) in original_tpr.iter_mut().enumerate() {
        *v = rate(
            originals_pos.iter().filter(|x| x.matched[m]).count(),
            originals_pos.len(),
        );
    }
    let neg: Vec<&Trial> = trials.iter().filter(|x| !x.positive).collect();
    let mut false_matches = [0usize; METHODS];
    for (m, v) in false_matches.iter_mut().enumerate() {
        *v = neg.iter().filter(|x| x.matched[m]).count();
    }
    let mut examples = Vec::new();
    for (m, method) in METHOD_NAMES.iter().enumerate() {
        let cap = if m == 0 { usize::MAX } else { 20 };
        for x in neg.iter().filter(|x| x.matched[m]).take(cap) {
            examples.push(FalseMatch {
                method: (*method).to_string(),
                image: name_of(x.image),
                transform: x
                    .transform
                    .map_or("original", |t| transforms::ALL[t].name())
                    .to_string(),
                fold: folds[x.fold].stats.fold.clone(),
            });
        }
    }
    let mut times: Vec<f64> = trials.iter().map(|x| x.screen_seconds * 1e3).collect();
    times.sort_by(f64::total_cmp);
    let listed: usize = folds.iter().map(|f| f.stats.listed).sum();
    let file_bytes: usize = folds.iter().map(|f| f.stats.file_bytes).sum();
    let image_bytes: usize = folds
        .iter()
        .flat_map(|f| &f.stats.sections)
        .filter(|s| s.signal.starts_with("image"))
        .map(|s| s.payload_bytes)
        .sum();
    let rejected: Vec<String> = (0..files.len())
        .filter(|&i| !folds[i % 2].listed[i])
        .map(name_of)
        .collect();
    Report {
        tool: format!("hashscreen-eval {}", env!("CARGO_PKG_VERSION")),
        corpus: CorpusStats {
            dir: opts.corpus.display().to_string(),
            images: files.len(),
            listed,
            not_listed: rejected,
            low_quality_originals: hashes
                .iter()
                .filter(|h| h.quality < MIN_MATCH_QUALITY)
                .count(),
            positive_trials: trials
                .iter()
                .filter(|x| x.positive && x.transform.is_some())
                .count(),
            negative_trials: neg.len(),
            query_errors: trials.iter().filter(|x| x.error).count(),
            pairs_for_thresholds: files.len() * (files.len() - 1) / 2,
        },
        thresholds: report::ThresholdStats {
            pairwise_rate: PAIRWISE_RATE,
            pdq_pairwise: th.pdq_pairwise,
            phash_pairwise: th.phash_pairwise,
            dhash_pairwise: th.dhash_pairwise,
        },
        transforms: rows,
        mean_tpr: Methods::from_array(mean),
        original_tpr: Methods::from_array(original_tpr),
        false_matches: Methods::from_array(false_matches),
        false_match_list: examples,
        screen_ms_median: percentile(&times, 0.5),
        screen_ms_p95: percentile(&times, 0.95),
        screen_calls: times.len(),
        blocklists: folds.iter().map(|f| f.stats.clone()).collect(),
        bytes_per_listed_image: rate(file_bytes, listed),
        image_section_bytes_per_listed_image: rate(image_bytes, listed),
        threads: rayon::current_num_threads(),
        wall_seconds: started.elapsed().as_secs_f64(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pairwise_threshold_picks_the_largest_allowed() {
        // Distances between 0, 1, 5, 9 (as u32 "hashes"): 1,5,9,4,8,4.
        let h = [0u32, 1, 5, 9];
        let d = |a: &u32, b: &u32| a.abs_diff(*b);
        assert_eq!(pairwise_threshold(&h, 64, 0.0, d), Some(0));
        assert_eq!(pairwise_threshold(&h, 64, 1.0 / 6.0, d), Some(3));
        assert_eq!(pairwise_threshold(&h, 64, 0.5, d), Some(4));
        let same = [3u32, 3];
        assert_eq!(pairwise_threshold(&same, 64, 0.5, d), None);
    }

    #[test]
    fn percentile_of_sorted() {
        let v = [1.0, 2.0, 3.0, 4.0, 5.0];
        assert_eq!(percentile(&v, 0.5), 3.0);
        assert_eq!(percentile(&v, 0.95), 5.0);
        assert_eq!(percentile(&[], 0.5), 0.0);
    }
}
