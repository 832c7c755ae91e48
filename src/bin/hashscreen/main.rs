//! The `hashscreen` command-line tool: keys, blocklists, screening, inspection and the demo.
//!
//! Output contract (relied on by tests and benchmarks): `check` prints one JSON object per input,
//! on its own line, in input order; exit status 0 whether or not anything matched, non-zero only
//! when some input or argument failed. Output files are written atomically (never partial).

#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)
)]

mod demo;
mod io;
mod serve;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{ArgMatches, CommandFactory, FromArgMatches, Parser, Subcommand};
use hashscreen::blocklist::delta;
use hashscreen::{BlocklistBuilder, Error, Key, OpenOptions, Screener, SigningKey, VerifyingKey};
use serde_json::json;

/// Screen messages against keyed Bloom-filter blocklists, and build those lists.
#[derive(Parser, Debug)]
#[command(name = "hashscreen", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Generate a 32-byte deployment key (or, with --signing, a publisher signing key and KEY.pub).
    Keygen {
        /// Where to write the key (64 hex digits). Refuses to overwrite an existing file.
        #[arg(short = 'o', long = "out")]
        out: PathBuf,
        /// Generate an Ed25519 publisher signing key instead; its public key goes to OUT.pub.
        #[arg(long)]
        signing: bool,
    },
    /// Build a blocklist from files and texts.
    Build {
        /// Deployment key file.
        #[arg(long)]
        key: PathBuf,
        /// Directory whose files (recursively) are listed by exact bytes. Repeatable.
        #[arg(long = "files")]
        files: Vec<PathBuf>,
        /// File with one text per line to list (empty lines ignored).
        #[arg(long = "texts")]
        texts: Option<PathBuf>,
        /// Text signals to list for each text: any of strict, loose, shingles, comma separated.
        #[arg(
            long = "text-signals",
            default_value = "strict,loose,shingles",
            value_delimiter = ','
        )]
        text_signals: Vec<TextSignal>,
        /// Directory whose image files (recursively) are listed by PDQ hash and exact bytes.
        /// Repeatable. Images too plain to hash reliably (PDQ quality below 50) are skipped and
        /// counted.
        #[arg(long = "images")]
        images: Vec<PathBuf>,
        /// File of PDQ hashes from a hash-sharing export: one 64-hex-digit hash per line, optionally
        /// followed by `,quality` and other columns (ignored). Hashes with a quality column below
        /// 50 are skipped and counted; `#` starts a comment line.
        #[arg(long = "pdq-hashes")]
        pdq_hashes: Option<PathBuf>,
        /// File with one URL per line to list (a domain blocks the domain and its subdomains; a
        /// path blocks that subtree; defanged forms such as hxxp and [.] are accepted).
        #[arg(long = "urls")]
        urls: Option<PathBuf>,
        /// Label of the sections built (shown in verdicts).
        #[arg(long, default_value = "blocklist")]
        label: String,
        /// Target false-positive rate per probe.
        #[arg(long, default_value_t = 1e-6)]
        fpr: f64,
        /// Extend this list: same list id and filter sizes, next sequence number (for deltas).
        #[arg(long)]
        base: Option<PathBuf>,
        /// Sequence number (default 1, or the base's + 1).
        #[arg(long)]
        sequence: Option<u64>,
        /// Publisher signing key file: sign the list.
        #[arg(long)]
        sign: Option<PathBuf>,
        /// Output blocklist file.
        #[arg(short = 'o', long = "out")]
        out: PathBuf,
    },
    /// Screen texts and files against a blocklist; one JSON line per input, in order.
    Check {
        /// Deployment key file.
        #[arg(long)]
        key: PathBuf,
        /// Blocklist file.
        #[arg(long)]
        blocklist: PathBuf,
        /// Publisher public key file: require a valid signature by it.
        #[arg(long)]
        publisher: Option<PathBuf>,
        /// Reject lists with a lower sequence number than this (rollback protection).
        #[arg(long)]
        min_sequence: Option<u64>,
        /// A text to screen. Repeatable.
        #[arg(long = "text")]
        text: Vec<String>,
        /// A URL to screen. Repeatable.
        #[arg(long = "url")]
        url: Vec<String>,
        /// Files to screen.
        paths: Vec<PathBuf>,
    },
    /// Print perceptual hashes, one line per file in the reference tool's format: `hash,quality,path`
    /// (`quality` is empty for the 64-bit hashes; `pdq-dihedral` prints the eight hashes, in the
    /// reference's order, before the quality). Errors go to stderr and the other files go on.
    Hash {
        /// Which hash.
        #[arg(long, value_enum, default_value = "pdq")]
        algo: HashAlgo,
        /// Hash as the reference command-line tool does (images over 512 px resized to 512x512 by
        /// nearest neighbour first), to compare with its output.
        #[arg(long)]
        reference_compatible: bool,
        /// Image files.
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
    /// Print canonical forms, for list curators: text keys and shingles, URL canonical form and
    /// expressions. One JSON object per input, in order.
    Canon {
        /// A text. Repeatable.
        #[arg(long = "text")]
        text: Vec<String>,
        /// A URL. Repeatable.
        #[arg(long = "url")]
        url: Vec<String>,
    },
    /// Print a blocklist's header, sections, sizes, false-positive rates and signature status.
    Inspect {
        /// Blocklist or delta file.
        list: PathBuf,
        /// Publisher public key file to verify the signature against.
        #[arg(long)]
        publisher: Option<PathBuf>,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Make an addition-only delta from OLD to NEW (NEW built with --base OLD).
    Delta {
        /// The list clients hold.
        #[arg(long)]
        old: PathBuf,
        /// The new list.
        #[arg(long)]
        new: PathBuf,
        /// Publisher signing key file: sign the delta.
        #[arg(long)]
        sign: Option<PathBuf>,
        /// Output delta file.
        #[arg(short = 'o', long = "out")]
        out: PathBuf,
    },
    /// Apply a delta to a list and write the resulting list (verified; the input is untouched).
    Apply {
        /// The list held.
        #[arg(long)]
        blocklist: PathBuf,
        /// The delta.
        #[arg(long)]
        delta: PathBuf,
        /// Publisher public key file: require valid signatures by it.
        #[arg(long)]
        publisher: Option<PathBuf>,
        /// Output list file.
        #[arg(short = 'o', long = "out")]
        out: PathBuf,
    },
    /// Run the main job on built-in fixtures: build a key and list, screen sample messages.
    /// With `--web`: serve the WebAssembly demo page instead (build it first with wasm/build.sh).
    Demo {
        /// Serve the WebAssembly demo page on 127.0.0.1 instead of running the console demo.
        #[arg(long)]
        web: bool,
        /// Port for `--web` (0: any free port; the address is printed).
        #[arg(long, default_value_t = 8080, requires = "web")]
        port: u16,
        /// Directory of the built demo page for `--web`.
        #[arg(long, default_value = "wasm/www", requires = "web")]
        dir: PathBuf,
    },
}

/// A text signal to list.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
enum TextSignal {
    /// The strict key.
    Strict,
    /// The loose key.
    Loose,
    /// Word shingles.
    Shingles,
}

/// A perceptual hash algorithm.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
enum HashAlgo {
    /// PDQ, 256 bits and quality.
    Pdq,
    /// PDQ of the eight rotations and mirrors.
    PdqDihedral,
    /// 64-bit DCT hash (image_hasher).
    Phash,
    /// 64-bit gradient hash (image_hasher).
    Dhash,
}

/// A CLI failure: a message for stderr (no content, no key bytes).
#[derive(Debug)]
pub(crate) struct Failure(String);

impl From<Error> for Failure {
    fn from(e: Error) -> Failure {
        Failure(e.to_string())
    }
}

pub(crate) fn fail(msg: impl Into<String>) -> Failure {
    Failure(msg.into())
}

fn main() -> ExitCode {
    let matches = Cli::command().get_matches();
    let cli = match Cli::from_arg_matches(&matches) {
        Ok(c) => c,
        Err(e) => e.exit(),
    };
    let sub = matches.subcommand().map(|(_, m)| m.clone());
    match run(cli, sub.as_ref()) {
        Ok(code) => code,
        Err(Failure(msg)) => {
            eprintln!("hashscreen: error: {msg}");
            ExitCode::from(2)
        }
    }
}

fn run(cli: Cli, sub: Option<&ArgMatches>) -> Result<ExitCode, Failure> {
    match cli.command {
        Command::Keygen { out, signing } => {
            if signing {
                let key = SigningKey::generate()?;
                let public = key.verifying_key().to_hex();
                io::write_new_secret(&out, format!("{}\n", key.to_secret_hex()).as_bytes())?;
                let pub_path = io::with_suffix(&out, ".pub");
                io::write_atomic(&pub_path, format!("{public}\n").as_bytes())?;
                eprintln!(
                    "wrote signing key {} and public key {}",
                    out.display(),
                    pub_path.display()
                );
            } else {
                let key = Key::generate()?;
                io::write_new_secret(&out, format!("{}\n", key.to_secret_hex()).as_bytes())?;
                eprintln!("wrote key {} (id {})", out.display(), key.id());
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Build {
            key,
            files,
            images,
            pdq_hashes,
            texts,
            text_signals,
            urls,
            label,
            fpr,
            base,
            sequence,
            sign,
            out,
        } => {
            let signals = hashscreen::blocklist::TextSignals {
                strict: text_signals.contains(&TextSignal::Strict),
                loose: text_signals.contains(&TextSignal::Loose),
                shingles: text_signals.contains(&TextSignal::Shingles),
            };
            let key = io::read_key(&key)?;
            let signer = sign.as_deref().map(io::read_signing_key).transpose()?;
            let mut builder = match &base {
                Some(path) => {
                    let base = io::read_list(
                        path,
                        &OpenOptions {
                            key_id: Some(key.id()),
                            ..Default::default()
                        },
                    )?;
                    BlocklistBuilder::from_base(&key, &base)?
                }
                None => BlocklistBuilder::new(&key),
            };
            builder.false_positive_rate(fpr)?;
            if let Some(seq) = sequence {
                builder.sequence(seq);
            }
            let mut count = 0usize;
            for dir in &files {
                count += add_files(&mut builder, dir, &label)?;
            }
            let mut skipped = 0usize;
            for dir in &images {
                let (listed, low) = add_images(&mut builder, dir, &label)?;
                count += listed;
                skipped += low;
            }
            if let Some(path) = &pdq_hashes {
                let (listed, low) = add_pdq_hashes(&mut builder, path, &label)?;
                count += listed;
                skipped += low;
            }
            if skipped > 0 {
                eprintln!(
                    "skipped {skipped} images or hashes of PDQ quality below {}",
                    hashscreen::image::MIN_MATCH_QUALITY
                );
            }
            // List files are streamed: memory is one line (at most the text or URL limit) plus
            // what the builder keeps, whatever the file size.
            if let Some(path) = &texts {
                io::for_each_line(path, hashscreen::text::MAX_TEXT_BYTES, |n, line| {
                    if !line.trim().is_empty() {
                        builder
                            .add_text_with(&label, line, signals)
                            .map_err(|e| fail(format!("{}:{n}: {e}", path.display())))?;
                        count += 1;
                    }
                    Ok(())
                })?;
            }
            if let Some(path) = &urls {
                io::for_each_line(path, hashscreen::url::MAX_URL_BYTES, |n, line| {
                    if !line.trim().is_empty() {
                        builder
                            .add_url(&label, line.trim())
                            .map_err(|e| fail(format!("{}:{n}: {e}", path.display())))?;
                        count += 1;
                    }
                    Ok(())
                })?;
            }
            let bytes = match &signer {
                Some(s) => builder.build_signed(s)?,
                None => builder.build()?,
            };
            io::write_atomic(&out, &bytes)?;
            eprintln!(
                "listed {count} items; wrote {} ({} bytes)",
                out.display(),
                bytes.len()
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::Check {
            key,
            blocklist,
            publisher,
            min_sequence,
            ..
        } => {
            let key = io::read_key(&key)?;
            let publisher = publisher.as_deref().map(io::read_public_key).transpose()?;
            let opts = OpenOptions {
                publisher,
                min_sequence,
                key_id: Some(key.id()),
                ..Default::default()
            };
            let list = io::read_list(&blocklist, &opts)?;
            let screener = Screener::new(&list, &key)?;
            let inputs = check_inputs(sub);
            let mut failed = false;
            for input in inputs {
                let line = match input {
                    Input::Text(t) => match screener.screen_text(&t) {
                        Ok(v) => verdict_json(&t, "text", &v),
                        Err(e) => {
                            failed = true;
                            error_json(&t, "text", &e.to_string())
                        }
                    },
                    Input::Url(u) => match screener.screen_url(&u) {
                        Ok(v) => verdict_json(&u, "url", &v),
                        Err(e) => {
                            failed = true;
                            error_json(&u, "url", &e.to_string())
                        }
                    },
                    Input::Path(p) => {
                        let shown = p.to_string_lossy().into_owned();
                        match io::read_input_file(&p) {
                            Ok(bytes)
                                if hashscreen::image::ImageFormat::detect(&bytes).is_some() =>
                            {
                                // An image: its bytes and its PDQ hash.
                                let v = screener.screen(&hashscreen::Message::new().image(&bytes));
                                verdict_json(&shown, "image", &v)
                            }
                            Ok(bytes) => {
                                verdict_json(&shown, "file", &screener.screen_file(&bytes))
                            }
                            Err(Failure(msg)) => {
                                failed = true;
                                error_json(&shown, "file", &msg)
                            }
                        }
                    }
                };
                println!("{line}");
            }
            Ok(if failed {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            })
        }
        Command::Inspect {
            list,
            publisher,
            json,
        } => {
            let publisher = publisher.as_deref().map(io::read_public_key).transpose()?;
            inspect(&list, publisher, json)
        }
        Command::Delta {
            old,
            new,
            sign,
            out,
        } => {
            let signer = sign.as_deref().map(io::read_signing_key).transpose()?;
            let old = io::read_list(&old, &OpenOptions::default())?;
            let new = io::read_list(&new, &OpenOptions::default())?;
            let bytes = delta::make(&old, &new, signer.as_ref())?;
            io::write_atomic(&out, &bytes)?;
            eprintln!(
                "wrote delta {} ({} bytes; sequence {} -> {})",
                out.display(),
                bytes.len(),
                old.sequence(),
                new.sequence()
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::Apply {
            blocklist,
            delta: delta_path,
            publisher,
            out,
        } => {
            let publisher = publisher.as_deref().map(io::read_public_key).transpose()?;
            let opts = OpenOptions {
                publisher,
                ..Default::default()
            };
            let base = io::read_list(&blocklist, &opts)?;
            let opts = OpenOptions {
                min_sequence: Some(base.sequence()),
                ..opts
            };
            let bytes = io::read_file_limited(&delta_path, io::MAX_LIST_BYTES)?;
            let new = delta::apply(&base, bytes, &opts)
                .map_err(|e| fail(format!("{}: {e}", delta_path.display())))?;
            io::write_atomic(&out, new.as_bytes())?;
            eprintln!("wrote {} (sequence {})", out.display(), new.sequence());
            Ok(ExitCode::SUCCESS)
        }
        Command::Hash {
            algo,
            reference_compatible,
            files,
        } => {
            let mut failed = false;
            for path in &files {
                match hash_line(path, algo, reference_compatible) {
                    Ok(line) => println!("{line}"),
                    Err(Failure(msg)) => {
                        failed = true;
                        eprintln!("hashscreen: {msg}");
                    }
                }
            }
            Ok(if failed {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            })
        }
        Command::Canon { .. } => {
            for input in check_inputs(sub) {
                let line = match input {
                    Input::Text(t) => canon_text(&t),
                    Input::Url(u) => match hashscreen::url::canonicalize(&u) {
                        Ok(c) => json!({"input": u, "kind": "url", "canonical": c,
                                        "expressions": hashscreen::url::expressions(&c)}),
                        Err(e) => json!({"input": u, "kind": "url", "error": e.to_string()}),
                    },
                    Input::Path(_) => continue,
                };
                println!("{line}");
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Demo { web: false, .. } => demo::run(),
        Command::Demo {
            web: true,
            port,
            dir,
        } => serve::run(&dir, port),
    }
}

enum Input {
    Text(String),
    Url(String),
    Path(PathBuf),
}

/// The `check` / `canon` inputs in command-line order (texts, URLs and paths interleaved as given).
fn check_inputs(sub: Option<&ArgMatches>) -> Vec<Input> {
    fn indexed<T: Clone + Send + Sync + 'static>(m: &ArgMatches, id: &str) -> Vec<(usize, T)> {
        // Not every subcommand has every argument: ask without panicking.
        if !m.try_contains_id(id).unwrap_or(false) {
            return Vec::new();
        }
        match (m.indices_of(id), m.try_get_many::<T>(id)) {
            (Some(idx), Ok(Some(vals))) => idx.zip(vals.cloned()).collect(),
            _ => Vec::new(),
        }
    }
    let mut all: Vec<(usize, Input)> = Vec::new();
    if let Some(m) = sub {
        all.extend(
            indexed::<String>(m, "text")
                .into_iter()
                .map(|(i, v)| (i, Input::Text(v))),
        );
        all.extend(
            indexed::<String>(m, "url")
                .into_iter()
                .map(|(i, v)| (i, Input::Url(v))),
        );
        all.extend(
            indexed::<PathBuf>(m, "paths")
                .into_iter()
                .map(|(i, v)| (i, Input::Path(v))),
        );
    }
    all.sort_by_key(|(i, _)| *i);
    all.into_iter().map(|(_, v)| v).collect()
}

fn verdict_json(input: &str, kind: &str, v: &hashscreen::Verdict) -> String {
    let matches: Vec<_> = v
        .matches()
        .iter()
        .map(|m| json!({"signal": m.signal().name(), "label": m.label()}))
        .collect();
    let mut obj = json!({"input": input, "kind": kind, "matched": v.matched(), "matches": matches});
    if !v.unscreened().is_empty() {
        // Parts that could not be screened (an undecodable or too plain image, a text over the
        // length limit): the reason, without content.
        let reasons: Vec<_> = v
            .unscreened()
            .iter()
            .map(|u| u.reason().to_string())
            .collect();
        obj["unscreened"] = json!(reasons);
    }
    obj.to_string()
}

fn canon_text(t: &str) -> serde_json::Value {
    use hashscreen::text;
    let mut strict = String::new();
    let evidence = text::strict_key_evidence(t, &mut strict);
    let loose = text::loose_key(t);
    let shingles = text::shingles(t, text::SHINGLE_WIDTH);
    match (evidence, loose, shingles) {
        (Ok(evidence), Ok(loose), Ok(shingles)) => {
            // The evidence forms this message is probed under (none for most messages).
            let mut forms = serde_json::Map::new();
            let mut form = String::new();
            for (f, name) in [
                (text::StrictForm::Runs, "runs"),
                (text::StrictForm::Joined, "joined"),
            ] {
                if f.applies(evidence) {
                    f.apply(&strict, &mut form);
                    forms.insert(name.into(), json!(form));
                }
            }
            json!({"input": t, "kind": "text", "strict": strict, "strict_forms": forms,
            "loose": loose, "shingles": shingles})
        }
        (Err(e), _, _) | (_, Err(e), _) | (_, _, Err(e)) => {
            json!({"input": t, "kind": "text", "error": e.to_string()})
        }
    }
}

fn error_json(input: &str, kind: &str, error: &str) -> String {
    json!({"input": input, "kind": kind, "matched": false, "matches": [], "error": error})
        .to_string()
}

fn add_files(builder: &mut BlocklistBuilder, dir: &Path, label: &str) -> Result<usize, Failure> {
    let paths = io::list_files(dir)?;
    let bar = indicatif::ProgressBar::new(paths.len() as u64);
    bar.set_style(
        indicatif::ProgressStyle::with_template("{prefix} [{bar:40}] {pos}/{len} {elapsed}")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    bar.set_prefix("hashing files");
    for p in &paths {
        let bytes = io::read_input_file(p)?;
        builder.add_file(label, &bytes)?;
        bar.inc(1);
    }
    bar.finish_and_clear();
    Ok(paths.len())
}

fn hash_line(path: &Path, algo: HashAlgo, reference_compatible: bool) -> Result<String, Failure> {
    use hashscreen::image;
    let bytes = io::read_input_file(path)?;
    let shown = path.display();
    let err = |e: Error| fail(format!("{shown}: {e}"));
    Ok(match (algo, reference_compatible) {
        (HashAlgo::Pdq, false) => {
            let p = image::pdq_from_bytes(&bytes).map_err(err)?;
            format!("{},{},{shown}", p.hash, p.quality)
        }
        (HashAlgo::Pdq, true) => {
            let p = image::pdq_from_bytes_reference_compatible(&bytes).map_err(err)?;
            format!("{},{},{shown}", p.hash, p.quality)
        }
        (HashAlgo::PdqDihedral, false) => {
            let d = image::pdq_dihedral_from_bytes(&bytes).map_err(err)?;
            let hashes: Vec<String> = d.hashes.iter().map(|h| h.to_hex()).collect();
            format!("{},{},{shown}", hashes.join(","), d.quality)
        }
        (HashAlgo::Phash, false) => format!(
            "{},,{shown}",
            image::phash64_from_bytes(&bytes).map_err(err)?.to_hex()
        ),
        (HashAlgo::Dhash, false) => format!(
            "{},,{shown}",
            image::dhash64_from_bytes(&bytes).map_err(err)?.to_hex()
        ),
        (_, true) => return Err(fail("--reference-compatible applies to --algo pdq only")),
    })
}

fn add_images(
    builder: &mut BlocklistBuilder,
    dir: &Path,
    label: &str,
) -> Result<(usize, usize), Failure> {
    let paths = io::list_files(dir)?;
    let bar = indicatif::ProgressBar::new(paths.len() as u64);
    bar.set_prefix("hashing images");
    let (mut listed, mut low) = (0, 0);
    for p in &paths {
        let bytes = io::read_input_file(p)?;
        match builder.add_image(label, &bytes) {
            Ok(()) => listed += 1,
            Err(Error::ImageLowQuality { .. }) => low += 1,
            Err(e) => {
                bar.finish_and_clear();
                return Err(fail(format!("{}: {e}", p.display())));
            }
        }
        bar.inc(1);
    }
    bar.finish_and_clear();
    Ok((listed, low))
}

fn add_pdq_hashes(
    builder: &mut BlocklistBuilder,
    path: &Path,
    label: &str,
) -> Result<(usize, usize), Failure> {
    let text = io::read_text(path)?;
    let (mut listed, mut low) = (0, 0);
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let mut cols = line.split(',').map(str::trim);
        let at = |e: String| fail(format!("{}:{}: {e}", path.display(), n + 1));
        let hash: hashscreen::image::PdqHash = cols
            .next()
            .unwrap_or("")
            .parse()
            .map_err(|e: Error| at(e.to_string()))?;
        if let Some(q) = cols.next().filter(|q| !q.is_empty()) {
            let q: u32 = q
                .parse()
                .map_err(|_| at("quality is not a number 0-100".to_owned()))?;
            if q > 100 {
                return Err(at("quality is not a number 0-100".to_owned()));
            }
            if q < u32::from(hashscreen::image::MIN_MATCH_QUALITY) {
                low += 1;
                continue;
            }
        }
        builder.add_pdq_hash(label, &hash)?;
        listed += 1;
    }
    Ok((listed, low))
}

fn inspect(
    path: &Path,
    publisher: Option<VerifyingKey>,
    as_json: bool,
) -> Result<ExitCode, Failure> {
    let bytes = io::read_file_limited(path, io::MAX_LIST_BYTES)?;
    let opts = OpenOptions {
        publisher,
        ..Default::default()
    };
    let list = hashscreen::blocklist::inspect(bytes, &opts)
        .map_err(|e| fail(format!("{}: {e}", path.display())))?;
    let signature = match (list.signer(), publisher) {
        (None, _) => "unsigned".to_owned(),
        (Some(k), Some(_)) => format!(
            "signed by {}, verified against the given publisher key",
            k.to_hex()
        ),
        (Some(k), None) => format!(
            "signed by {} (self-consistent; pass --publisher to check the signer)",
            k.to_hex()
        ),
    };
    let sections: Vec<_> = list
        .sections()
        .iter()
        .map(|s| {
            json!({
                "signal": s.signal.map_or_else(|| format!("unknown({})", s.signal_code), |k| k.name().to_owned()),
                "label": s.label,
                "digest_version": s.digest_version,
                "entries": s.entries,
                "blocks": s.filter.block_count,
                "blocks_per_key": s.filter.blocks_per_key,
                "bits_per_block": s.filter.bits_per_block,
                "bytes": s.payload.len(),
                "bits_per_entry": if s.entries > 0 { s.filter.byte_len() as f64 * 8.0 / s.entries as f64 } else { 0.0 },
                "expected_fpr": s.expected_fpr(),
                "params": s.params,
            })
        })
        .collect();
    let kind = if list.kind().is_list() {
        "list"
    } else {
        "delta"
    };
    let report = json!({
        "kind": kind,
        "format_version": hashscreen::blocklist::format::VERSION,
        "key_id": list.key_id().to_hex(),
        "list_id": list.list_id().iter().map(|b| format!("{b:02x}")).collect::<String>(),
        "sequence": list.sequence(),
        "created": list.created(),
        "bytes": list.as_bytes().len(),
        "checksum": list.checksum().iter().map(|b| format!("{b:02x}")).collect::<String>(),
        "signature": signature,
        "sections": sections,
    });
    if as_json {
        println!("{report}");
    } else {
        println!(
            "{kind} {} (format v{})",
            path.display(),
            hashscreen::blocklist::format::VERSION
        );
        for k in [
            "key_id",
            "list_id",
            "sequence",
            "created",
            "bytes",
            "checksum",
            "signature",
        ] {
            println!(
                "  {k:<10} {}",
                report[k]
                    .as_str()
                    .map_or_else(|| report[k].to_string(), str::to_owned)
            );
        }
        for s in report["sections"].as_array().into_iter().flatten() {
            println!(
                "  section {} label={} v{}: {} entries, {} bytes ({:.1} bits/entry), {} blocks x{} k={}, expected fpr {:.2e}",
                s["signal"].as_str().unwrap_or("?"),
                s["label"].as_str().unwrap_or("?"),
                s["digest_version"],
                s["entries"],
                s["bytes"],
                s["bits_per_entry"].as_f64().unwrap_or(0.0),
                s["blocks"],
                s["blocks_per_key"],
                s["bits_per_block"],
                s["expected_fpr"].as_f64().unwrap_or(0.0),
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cli_definition_is_valid() {
        Cli::command().debug_assert();
    }

    #[test]
    fn secrets_are_not_in_debug_output() {
        let key = Key::from_bytes([0x5a; 32]);
        assert!(!format!("{key:?}").contains("5a5a5a5a"));
    }

    #[test]
    fn blocklist_json_has_no_unexpected_fields() {
        let v = hashscreen::Verdict::default();
        let line: serde_json::Value = serde_json::from_str(&verdict_json("x", "text", &v)).unwrap();
        assert_eq!(line["matched"], false);
        assert!(line.get("error").is_none());
        let _ = hashscreen::Blocklist::open(Vec::new(), &OpenOptions::default()).unwrap_err();
    }
}
