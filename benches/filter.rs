//! Filter benchmark: hashscreen's blocked Bloom filter (1, 2 and 3 blocks per key) against the
//! `bloomfilter` baseline and the anchors `fastbloom`, `xorf` binary fuse and the parquet
//! split-block filter, at 1M keys and two false-positive targets (1e-4 and 1e-6).
//!
//! One criterion group per target (`filter-1e-4`, `filter-1e-6`), so the report shows ratios. In
//! each group, every filter has three benchmarks, all in nanoseconds per key:
//! - `probe-present/<filter>`: `contains` on the 1M inserted digests, cycled;
//! - `probe-absent/<filter>`: `contains` on 1M other digests, cycled;
//! - `build/<filter>`: building the whole filter from the 1M digests, divided by 1M.
//!
//! The filters are 2 to 5 MB, so a probe is a random access into a structure larger than L2; the
//! probes of consecutive iterations are independent, so the time is throughput (the CPU overlaps
//! several probes' cache misses), not the latency of one isolated probe.
//!
//! Times are the benchmark thread's CPU time (see `ThreadCpu`), because the bench machine is shared.
//! `FILTER_BENCH_VARIANTS=1` adds a group `filter-variants-1e-4` of alternative probe and insert
//! code over the same bit layout (`benches/filter_peers/variants.rs`), used to find where a probe's
//! time goes; `FILTER_BENCH_FPR_PROBES=<n>` overrides the number of false-positive probes.
//!
//! Outside criterion's timing, the bench prints each filter's size in bits per key and its measured
//! false-positive rate (10M absent digests at 1e-4, 20M at 1e-6; 10M with `--quick`), and, after
//! the groups, writes `<target>/filter-bench.csv`, `<target>/filter-bench.md` (the table of
//! `BENCHMARKS.md`) and `<target>/filter-bench.svg` (its chart) from those numbers and criterion's
//! estimates.
//!
//! Keys are `blake3::hash(i.to_le_bytes())` (present: `i < 1M`; absent: `1M <= i < 2M`); the
//! false-positive stream is BLAKE3 XOF output cut into 32-byte digests. Peers that take a `u64` get
//! the first 8 digest bytes (little-endian): the digests are already uniform, so no peer hashes
//! twice, except `bloomfilter`, which always hashes its input (SipHash-1-3, twice).

use std::fmt::Write as _;
use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant, SystemTime};

use cpu_time::ThreadTime;
use criterion::measurement::{Measurement, ValueFormatter, WallTime};
use criterion::{BenchmarkGroup, BenchmarkId, Criterion, SamplingMode, Throughput};
use hashscreen::filter::{BloomFilter, FilterParams};
use hashscreen::Digest;
use xorf::Filter as _;

#[path = "filter_peers/sbbf.rs"]
mod sbbf;
#[path = "filter_peers/variants.rs"]
mod variants;

/// Keys in every filter.
const KEYS: u64 = 1_000_000;

/// The false-positive targets, one criterion group each.
const TARGETS: [(f64, &str); 2] = [(1e-4, "1e-4"), (1e-6, "1e-6")];

/// Criterion's measurement here: the CPU time of the benchmark thread (`CLOCK_THREAD_CPUTIME_ID`),
/// not wall time. The machine is shared (2 cores, other builds running): wall time counts the time
/// the thread waits for a core, CPU time does not (it still counts cache misses caused by the
/// neighbours). On an idle machine the two agree for these single-threaded loops.
struct ThreadCpu(WallTime);

impl Measurement for ThreadCpu {
    type Intermediate = ThreadTime;
    type Value = Duration;
    fn start(&self) -> ThreadTime {
        ThreadTime::now()
    }
    fn end(&self, i: ThreadTime) -> Duration {
        i.elapsed()
    }
    fn add(&self, v1: &Duration, v2: &Duration) -> Duration {
        *v1 + *v2
    }
    fn zero(&self) -> Duration {
        Duration::ZERO
    }
    fn to_f64(&self, val: &Duration) -> f64 {
        val.as_nanos() as f64
    }
    fn formatter(&self) -> &dyn ValueFormatter {
        self.0.formatter()
    }
}

/// A filter under test.
trait Subject: Sized {
    /// Name in benchmark ids and the table.
    fn name(&self) -> String;
    /// Builds the filter holding `keys`, sized for `fpr`.
    fn build(fpr: f64, keys: &[Digest]) -> Self;
    /// Probe.
    fn contains(&self, d: &Digest) -> bool;
    /// Size in bits (the filter's bit or fingerprint array; headers are negligible).
    fn bits(&self) -> u64;
    /// Parameters, for the table.
    fn describe(&self) -> String;
}

#[inline(always)]
fn word0(d: &Digest) -> u64 {
    let b = d.as_bytes();
    u64::from_le_bytes([b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7]])
}

/// hashscreen's filter with `G` blocks per key.
struct Ours<const G: u8>(BloomFilter);

impl<const G: u8> Subject for Ours<G> {
    fn name(&self) -> String {
        format!("hashscreen-g{G}")
    }
    fn build(fpr: f64, keys: &[Digest]) -> Self {
        let params = FilterParams::for_capacity(keys.len() as u64, fpr, G)
            .unwrap_or_else(|e| panic!("sizing: {e}"));
        let mut f = BloomFilter::new(params);
        for k in keys {
            f.insert(k);
        }
        Ours(f)
    }
    #[inline(always)]
    fn contains(&self, d: &Digest) -> bool {
        self.0.as_ref().contains(d)
    }
    fn bits(&self) -> u64 {
        self.0.bits().len() as u64 * 8
    }
    fn describe(&self) -> String {
        let p = self.0.params();
        format!(
            "{} blocks of 512 bits, k = {} per block, model FPR {:.2e}",
            p.block_count,
            p.bits_per_block,
            p.expected_fpr(KEYS)
        )
    }
}

/// `bloomfilter` 3, fed the first digest word (it hashes it with SipHash-1-3).
struct BloomfilterCrate(bloomfilter::Bloom<u64>);

impl Subject for BloomfilterCrate {
    fn name(&self) -> String {
        "bloomfilter".into()
    }
    fn build(fpr: f64, keys: &[Digest]) -> Self {
        // The seed's halves key its two SipHash functions: they must differ, or both hashes are
        // equal and the k positions (i + 1) * h collide across keys (FPR ~1e-2 at a 1e-4 target).
        let seed: [u8; 32] = std::array::from_fn(|i| i as u8);
        let mut f = bloomfilter::Bloom::new_for_fp_rate_with_seed(keys.len(), fpr, &seed)
            .unwrap_or_else(|e| panic!("bloomfilter: {e}"));
        for k in keys {
            f.set(&word0(k));
        }
        BloomfilterCrate(f)
    }
    #[inline(always)]
    fn contains(&self, d: &Digest) -> bool {
        self.0.check(&word0(d))
    }
    fn bits(&self) -> u64 {
        self.0.len()
    }
    fn describe(&self) -> String {
        format!("k = {}", self.0.number_of_hash_functions())
    }
}

/// `fastbloom` 0.17, pre-hashed (`insert_hash` / `contains_hash` with the first digest word).
struct Fastbloom(fastbloom::BloomFilter);

impl Subject for Fastbloom {
    fn name(&self) -> String {
        "fastbloom".into()
    }
    fn build(fpr: f64, keys: &[Digest]) -> Self {
        let mut f = fastbloom::BloomFilter::with_false_pos(fpr).expected_items(keys.len());
        for k in keys {
            f.insert_hash(word0(k));
        }
        Fastbloom(f)
    }
    #[inline(always)]
    fn contains(&self, d: &Digest) -> bool {
        self.0.contains_hash(word0(d))
    }
    fn bits(&self) -> u64 {
        self.0.num_bits() as u64
    }
    fn describe(&self) -> String {
        format!("k = {}", self.0.num_hashes())
    }
}

/// `xorf` binary fuse with 16-bit fingerprints (FPR 2^-16 = 1.5e-5).
struct Fuse16(xorf::BinaryFuse16);

impl Subject for Fuse16 {
    fn name(&self) -> String {
        "xorf-bfuse16".into()
    }
    fn build(_fpr: f64, keys: &[Digest]) -> Self {
        let words: Vec<u64> = keys.iter().map(word0).collect();
        Fuse16(xorf::BinaryFuse16::try_from(&words).unwrap_or_else(|e| panic!("xorf: {e}")))
    }
    #[inline(always)]
    fn contains(&self, d: &Digest) -> bool {
        self.0.contains(&word0(d))
    }
    fn bits(&self) -> u64 {
        self.0.fingerprints.len() as u64 * 16
    }
    fn describe(&self) -> String {
        "16-bit fingerprints, FPR 2^-16 = 1.5e-5".into()
    }
}

/// `xorf` binary fuse with 32-bit fingerprints (FPR 2^-32 = 2.3e-10).
struct Fuse32(xorf::BinaryFuse32);

impl Subject for Fuse32 {
    fn name(&self) -> String {
        "xorf-bfuse32".into()
    }
    fn build(_fpr: f64, keys: &[Digest]) -> Self {
        let words: Vec<u64> = keys.iter().map(word0).collect();
        Fuse32(xorf::BinaryFuse32::try_from(&words).unwrap_or_else(|e| panic!("xorf: {e}")))
    }
    #[inline(always)]
    fn contains(&self, d: &Digest) -> bool {
        self.0.contains(&word0(d))
    }
    fn bits(&self) -> u64 {
        self.0.fingerprints.len() as u64 * 32
    }
    fn describe(&self) -> String {
        "32-bit fingerprints, FPR 2^-32 = 2.3e-10".into()
    }
}

/// The parquet split-block filter (`benches/filter_peers/sbbf.rs`).
struct SplitBlock(sbbf::Sbbf);

impl Subject for SplitBlock {
    fn name(&self) -> String {
        "split-block".into()
    }
    fn build(fpr: f64, keys: &[Digest]) -> Self {
        let mut f = sbbf::Sbbf::for_capacity(keys.len() as u64, fpr);
        for k in keys {
            f.insert(word0(k));
        }
        SplitBlock(f)
    }
    #[inline(always)]
    fn contains(&self, d: &Digest) -> bool {
        self.0.contains(word0(d))
    }
    fn bits(&self) -> u64 {
        self.0.bits()
    }
    fn describe(&self) -> String {
        let blocks = self.0.bits() / 256;
        format!(
            "{blocks} blocks of 256 bits, model FPR {:.2e}",
            sbbf::expected_fpr(KEYS, blocks)
        )
    }
}

/// What the bench computes outside criterion's timing, for one filter at one target.
struct Row {
    group: String,
    target: f64,
    filter: String,
    describe: String,
    bits_per_key: f64,
    fp_hits: u64,
    fp_probes: u64,
}

struct Bench {
    present: Vec<Digest>,
    absent: Vec<Digest>,
    fp_probes_per_target: fn(f64) -> u64,
    rows: Vec<Row>,
}

fn digest_of(i: u64) -> Digest {
    Digest(*blake3::hash(&i.to_le_bytes()).as_bytes())
}

/// Probes `probes` absent digests (a BLAKE3 XOF stream, the same for every filter).
fn count_false_positives<S: Subject>(f: &S, probes: u64) -> u64 {
    let mut xof = blake3::Hasher::new()
        .update(b"hashscreen filter bench: absent digests")
        .finalize_xof();
    let mut buf = vec![0u8; 32 << 14];
    let mut hits = 0;
    let mut left = probes;
    while left > 0 {
        let take = left.min(1 << 14) as usize;
        xof.fill(&mut buf[..32 * take]);
        for chunk in buf[..32 * take].chunks_exact(32) {
            let d = Digest(<[u8; 32]>::try_from(chunk).unwrap_or([0; 32]));
            hits += u64::from(f.contains(&d));
        }
        left -= take as u64;
    }
    hits
}

/// One probe per iteration, cycling through `keys`.
fn bench_probes<S: Subject>(
    group: &mut BenchmarkGroup<'_, ThreadCpu>,
    what: &str,
    f: &S,
    keys: &[Digest],
) {
    group.sampling_mode(SamplingMode::Auto);
    group.bench_function(BenchmarkId::new(what, f.name()), |b| {
        let mut i = 0;
        b.iter(|| {
            let hit = f.contains(&keys[i]);
            i += 1;
            if i == keys.len() {
                i = 0;
            }
            hit
        })
    });
}

impl Bench {
    fn run<S: Subject>(&mut self, group: &mut BenchmarkGroup<'_, ThreadCpu>, name: &str, fpr: f64) {
        let f = S::build(fpr, &self.present);
        assert!(self.present.iter().all(|k| f.contains(k)), "false negative");
        let bits_per_key = f.bits() as f64 / KEYS as f64;
        let fp_probes = std::env::var("FILTER_BENCH_FPR_PROBES")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or_else(|| (self.fp_probes_per_target)(fpr));
        let fp_hits = count_false_positives(&f, fp_probes);
        println!(
            "{name} {}: {bits_per_key:.2} bits/key ({:.2}x log2(1/{fpr:e})), measured FPR {:.3e} ({fp_hits} / {fp_probes}); {}",
            f.name(),
            bits_per_key / (1.0 / fpr).log2(),
            fp_hits as f64 / fp_probes as f64,
            f.describe()
        );
        self.rows.push(Row {
            group: name.into(),
            target: fpr,
            filter: f.name(),
            describe: f.describe(),
            bits_per_key,
            fp_hits,
            fp_probes,
        });

        bench_probes(group, "probe-present", &f, &self.present);
        bench_probes(group, "probe-absent", &f, &self.absent);
        let fname = f.name();
        drop(f);

        // One iteration is one key of a full build: whole builds run, and the time is scaled to
        // `iters` keys.
        group.sampling_mode(SamplingMode::Flat);
        let keys = &self.present;
        group.bench_function(BenchmarkId::new("build", fname), |b| {
            b.iter_custom(|iters| {
                let builds = iters.div_ceil(KEYS);
                let start = ThreadTime::now();
                for _ in 0..builds {
                    black_box(S::build(fpr, black_box(keys)));
                }
                start
                    .elapsed()
                    .mul_f64(iters as f64 / (builds * KEYS) as f64)
            })
        });
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let bench_mode = args.iter().any(|a| a == "--bench");
    let quick = args.iter().any(|a| a == "--quick");
    let started = SystemTime::now();

    let mut c = Criterion::default()
        .with_measurement(ThreadCpu(WallTime))
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_millis(1200))
        .sample_size(20)
        .configure_from_args();

    let t = Instant::now();
    let mut bench = Bench {
        present: (0..KEYS).map(digest_of).collect(),
        absent: (KEYS..2 * KEYS).map(digest_of).collect(),
        fp_probes_per_target: if !bench_mode {
            |_| 100_000
        } else if quick {
            |_| 10_000_000
        } else {
            // At least 10M probes and 20 expected false positives (20M at 1e-6: +-22 %).
            |fpr| ((20.0 / fpr) as u64).max(10_000_000)
        },
        rows: Vec::new(),
    };
    println!("keys generated in {:.2?}", t.elapsed());

    for (fpr, label) in TARGETS {
        let name = format!("filter-{label}");
        let mut group = c.benchmark_group(&name);
        group.throughput(Throughput::Elements(1));
        bench.run::<Ours<1>>(&mut group, &name, fpr);
        bench.run::<Ours<2>>(&mut group, &name, fpr);
        bench.run::<Ours<3>>(&mut group, &name, fpr);
        bench.run::<BloomfilterCrate>(&mut group, &name, fpr);
        bench.run::<Fastbloom>(&mut group, &name, fpr);
        if fpr >= 1e-5 {
            bench.run::<Fuse16>(&mut group, &name, fpr);
        } else {
            bench.run::<Fuse32>(&mut group, &name, fpr);
        }
        bench.run::<SplitBlock>(&mut group, &name, fpr);
        group.finish();
    }
    if std::env::var_os("FILTER_BENCH_VARIANTS").is_some() {
        bench_variants(&mut c, &bench.present, &bench.absent);
    }
    c.final_summary();

    if bench_mode {
        if let Err(e) = write_reports(&bench.rows, started) {
            eprintln!("could not write the filter bench reports: {e}");
        }
    }
}

/// Probe variants of hashscreen's filter at 1e-4 (`filter_peers/variants.rs`), to see where a
/// probe's time goes; run with `FILTER_BENCH_VARIANTS=1`.
fn bench_variants(c: &mut Criterion<ThreadCpu>, present: &[Digest], absent: &[Digest]) {
    fn const_k(p: &FilterParams, bits: &[u8], d: &[u8; 32]) -> bool {
        match (p.blocks_per_key, p.bits_per_block) {
            (1, 12) => variants::contains_bittest_const::<1, 12>(p.block_count, bits, d),
            (2, 6) => variants::contains_bittest_const::<2, 6>(p.block_count, bits, d),
            (3, 4) => variants::contains_bittest_const::<3, 4>(p.block_count, bits, d),
            _ => variants::contains_bittest(p, bits, d),
        }
    }
    let mut group = c.benchmark_group("filter-variants-1e-4");
    group.throughput(Throughput::Elements(1));
    for g in 1..=3u8 {
        let Ok(params) = FilterParams::for_capacity(KEYS, 1e-4, g) else {
            continue;
        };
        let mut f = BloomFilter::new(params);
        for k in present {
            f.insert(k);
        }
        let v = Variant {
            g,
            params,
            filter: &f,
            present,
            absent,
        };
        v.run(&mut group, "contains", true, |p, bits, d| {
            hashscreen::filter::FilterRef::new(*p, bits)
                .map(|f| f.contains(&Digest(*d)))
                .unwrap_or(false)
        });
        v.run(&mut group, "bittest", true, variants::contains_bittest);
        v.run(&mut group, "bittest-const-k", true, const_k);
        v.run(
            &mut group,
            "bittest-no-early-exit",
            true,
            variants::contains_bittest_nobranch,
        );
        for (what, keys) in [("present", present), ("absent", absent)] {
            let id = BenchmarkId::new(format!("g{g}-{what}"), "batch16-bittest");
            let bits = f.bits();
            // The batch answers as contains does.
            let mut out = [false; 16];
            for chunk in keys.chunks_exact(16) {
                let batch: [[u8; 32]; 16] = std::array::from_fn(|i| chunk[i].0);
                variants::contains_batch(&params, bits, &batch, &mut out);
                for (d, o) in chunk.iter().zip(out) {
                    assert_eq!(o, f.as_ref().contains(d), "batch variant disagrees");
                }
            }
            let batches: Vec<[[u8; 32]; 16]> = keys
                .chunks_exact(16)
                .map(|c| std::array::from_fn(|i| c[i].0))
                .collect();
            // One iteration is one key: 16 iterations per batch, time scaled.
            group.bench_function(id, |b| {
                let mut i = 0;
                b.iter_custom(|iters| {
                    let rounds = iters.div_ceil(16);
                    let mut out = [false; 16];
                    let start = ThreadTime::now();
                    for _ in 0..rounds {
                        black_box(variants::contains_batch(
                            &params,
                            bits,
                            &batches[i],
                            &mut out,
                        ));
                        black_box(&out);
                        i += 1;
                        if i == batches.len() {
                            i = 0;
                        }
                    }
                    start.elapsed().mul_f64(iters as f64 / (rounds * 16) as f64)
                })
            });
        }
        v.run(&mut group, "positions-only", false, |p, _, d| {
            variants::positions_only(p, d)
        });
        v.run(&mut group, "memory-only", false, variants::memory_only);

        let mut direct = vec![0u8; params.byte_len()];
        for k in present {
            variants::insert_direct(&params, &mut direct, k.as_bytes());
        }
        assert_eq!(
            direct,
            f.bits(),
            "insert_direct sets other bits than insert"
        );
        group.sampling_mode(SamplingMode::Flat);
        bench_build(&mut group, g, "insert", || {
            let mut f = BloomFilter::new(params);
            for k in present {
                f.insert(k);
            }
            f.into_bits()
        });
        bench_build(&mut group, g, "insert-direct", || {
            let mut bits = vec![0u8; params.byte_len()];
            for k in present {
                variants::insert_direct(&params, &mut bits, k.as_bytes());
            }
            bits
        });
        group.sampling_mode(SamplingMode::Auto);
    }
    group.finish();
}

/// A build of `KEYS` keys, timed per key (as the main build benchmarks).
fn bench_build(
    group: &mut BenchmarkGroup<'_, ThreadCpu>,
    g: u8,
    name: &str,
    build: impl Fn() -> Vec<u8>,
) {
    group.bench_function(BenchmarkId::new(format!("g{g}-build"), name), |b| {
        b.iter_custom(|iters| {
            let builds = iters.div_ceil(KEYS);
            let start = ThreadTime::now();
            for _ in 0..builds {
                black_box(build());
            }
            start
                .elapsed()
                .mul_f64(iters as f64 / (builds * KEYS) as f64)
        })
    });
}

struct Variant<'a> {
    g: u8,
    params: FilterParams,
    filter: &'a BloomFilter,
    present: &'a [Digest],
    absent: &'a [Digest],
}

impl Variant<'_> {
    fn run(
        &self,
        group: &mut BenchmarkGroup<'_, ThreadCpu>,
        name: &str,
        exact: bool,
        probe: impl Fn(&FilterParams, &[u8], &[u8; 32]) -> bool,
    ) {
        let bits = self.filter.bits();
        let params = &self.params;
        if exact {
            let same = self
                .present
                .iter()
                .chain(self.absent)
                .all(|d| probe(params, bits, d.as_bytes()) == self.filter.as_ref().contains(d));
            assert!(same, "variant {name} disagrees with FilterRef::contains");
        }
        for (what, keys) in [("present", self.present), ("absent", self.absent)] {
            let id = BenchmarkId::new(format!("g{}-{what}", self.g), name);
            group.bench_function(id, |b| {
                let mut i = 0;
                b.iter(|| {
                    let hit = probe(params, bits, keys[i].as_bytes());
                    i += 1;
                    if i == keys.len() {
                        i = 0;
                    }
                    hit
                })
            });
        }
    }
}

/// The directory criterion writes to, and its parent (the cargo target directory).
fn output_dirs() -> (PathBuf, PathBuf) {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .or_else(|| {
            // <target>/release/deps/filter-<hash>
            let exe = std::env::current_exe().ok()?;
            Some(exe.ancestors().nth(3)?.to_path_buf())
        })
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target"));
    let criterion = std::env::var_os("CRITERION_HOME")
        .map(PathBuf::from)
        .unwrap_or_else(|| target.join("criterion"));
    (target, criterion)
}

/// Criterion's median estimate in ns for one benchmark, if it ran in this process.
fn estimate(
    criterion: &Path,
    group: &str,
    what: &str,
    filter: &str,
    since: SystemTime,
) -> Option<f64> {
    let path = criterion
        .join(group)
        .join(what)
        .join(filter)
        .join("new/estimates.json");
    let fresh = std::fs::metadata(&path).ok()?.modified().ok()? >= since;
    if !fresh {
        return None;
    }
    let json: serde_json::Value = serde_json::from_slice(&std::fs::read(&path).ok()?).ok()?;
    json["median"]["point_estimate"].as_f64()
}

struct Timed<'a> {
    row: &'a Row,
    present: Option<f64>,
    absent: Option<f64>,
    build: Option<f64>,
}

fn write_reports(rows: &[Row], since: SystemTime) -> std::io::Result<()> {
    let (target, criterion) = output_dirs();
    let timed: Vec<Timed<'_>> = rows
        .iter()
        .map(|row| {
            let est = |what| estimate(&criterion, &row.group, what, &row.filter, since);
            Timed {
                row,
                present: est("probe-present"),
                absent: est("probe-absent"),
                build: est("build"),
            }
        })
        .collect();
    if timed
        .iter()
        .all(|t| t.present.is_none() && t.absent.is_none() && t.build.is_none())
    {
        // A filtered run (for example only the variants): keep the last full report.
        return Ok(());
    }
    let ns = |v: Option<f64>| v.map_or("-".to_string(), |v| format!("{v:.1}"));

    let mut csv = String::from(
        "group,target_fpr,filter,bits_per_key,lower_bound_bits,fp_hits,fp_probes,measured_fpr,probe_present_ns,probe_absent_ns,build_ns_per_key,parameters\n",
    );
    let mut md = String::from(
        "| filter | FPR target | bits/key | / lower bound | measured FPR (hits / probes) | probe present ns | probe absent ns | build ns/key |\n|---|---|---|---|---|---|---|---|\n",
    );
    for t in &timed {
        let r = t.row;
        let bound = (1.0 / r.target).log2();
        let measured = r.fp_hits as f64 / r.fp_probes as f64;
        let _ = writeln!(
            csv,
            "{},{:e},{},{:.3},{:.3},{},{},{:e},{},{},{},\"{}\"",
            r.group,
            r.target,
            r.filter,
            r.bits_per_key,
            bound,
            r.fp_hits,
            r.fp_probes,
            measured,
            ns(t.present),
            ns(t.absent),
            ns(t.build),
            r.describe
        );
        let _ = writeln!(
            md,
            "| {} | {:.0e} | {:.1} | {:.2} | {:.2e} ({} / {:.0e}) | {} | {} | {} |",
            r.filter,
            r.target,
            r.bits_per_key,
            r.bits_per_key / bound,
            measured,
            r.fp_hits,
            r.fp_probes as f64,
            ns(t.present),
            ns(t.absent),
            ns(t.build)
        );
    }
    std::fs::create_dir_all(&target)?;
    std::fs::write(target.join("filter-bench.csv"), &csv)?;
    std::fs::write(target.join("filter-bench.md"), &md)?;
    std::fs::write(target.join("filter-bench.svg"), svg_chart(&timed))?;
    println!("\n{md}");
    println!("wrote {}/filter-bench.{{csv,md,svg}}", target.display());
    Ok(())
}

/// A horizontal bar chart: probe ns (present, absent) and bits per key for every filter.
fn svg_chart(timed: &[Timed<'_>]) -> String {
    const ROW: f64 = 16.0;
    const LABEL: f64 = 190.0;
    const PANEL: f64 = 300.0;
    const GAP: f64 = 40.0;
    let max_ns = timed
        .iter()
        .flat_map(|t| [t.present, t.absent])
        .flatten()
        .fold(1.0f64, f64::max);
    let max_bits = timed.iter().map(|t| t.row.bits_per_key).fold(1.0, f64::max);
    // Probe axis: log scale from 1 ns, so 2 ns and 60 ns both stay readable.
    let x_ns = |v: f64| PANEL * (v.max(1.0).ln() / max_ns.ln().max(1.0));
    let x_bits = |v: f64| PANEL * v / max_bits;
    let height = 50.0 + ROW * (2 * timed.len()) as f64 + 20.0 * TARGETS.len() as f64;
    let width = LABEL + 2.0 * PANEL + GAP + 60.0;
    let mut s = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" font-family=\"sans-serif\" font-size=\"11\">\n<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n"
    );
    let px2 = LABEL + PANEL + GAP;
    let _ = writeln!(
        s,
        "<text x=\"{LABEL}\" y=\"14\" font-weight=\"bold\">probe ns, log scale (dark: present, light: absent; line: 3 ns goal)</text>\n<text x=\"{px2}\" y=\"14\" font-weight=\"bold\">bits per key (line: 1.5x lower bound)</text>"
    );
    let mut y = 30.0;
    let mut last_group = "";
    for t in timed {
        let r = t.row;
        if r.group != last_group {
            let _ = writeln!(
                s,
                "<text x=\"4\" y=\"{:.0}\" font-weight=\"bold\">FPR target {:.0e}</text>",
                y + 12.0,
                r.target
            );
            let lim = x_bits(1.5 * (1.0 / r.target).log2());
            let _ = writeln!(
                s,
                "<line x1=\"{:.1}\" x2=\"{:.1}\" y1=\"{:.0}\" y2=\"{:.0}\" stroke=\"red\" stroke-dasharray=\"3,2\"/>",
                px2 + lim,
                px2 + lim,
                y + 16.0,
                y + 16.0 + ROW * 2.0 * timed.iter().filter(|u| u.row.group == r.group).count() as f64
            );
            let goal = LABEL + x_ns(3.0);
            let _ = writeln!(
                s,
                "<line x1=\"{goal:.1}\" x2=\"{goal:.1}\" y1=\"{:.0}\" y2=\"{:.0}\" stroke=\"red\" stroke-dasharray=\"3,2\"/>",
                y + 16.0,
                y + 16.0 + ROW * 2.0 * timed.iter().filter(|u| u.row.group == r.group).count() as f64
            );
            last_group = &r.group;
            y += 20.0;
        }
        let _ = writeln!(
            s,
            "<text x=\"{:.0}\" y=\"{:.0}\" text-anchor=\"end\">{}</text>",
            LABEL - 6.0,
            y + ROW + 4.0,
            r.filter
        );
        for (v, colour, dy) in [(t.present, "#1f5fa8", 0.0), (t.absent, "#8db8e8", ROW)] {
            if let Some(v) = v {
                let _ = writeln!(
                    s,
                    "<rect x=\"{LABEL}\" y=\"{:.0}\" width=\"{:.1}\" height=\"{:.0}\" fill=\"{colour}\"/><text x=\"{:.1}\" y=\"{:.0}\">{v:.1}</text>",
                    y + dy + 1.0,
                    x_ns(v),
                    ROW - 2.0,
                    LABEL + x_ns(v) + 3.0,
                    y + dy + ROW - 4.0
                );
            }
        }
        let _ = writeln!(
            s,
            "<rect x=\"{px2}\" y=\"{:.0}\" width=\"{:.1}\" height=\"{:.0}\" fill=\"#6a9955\"/><text x=\"{:.1}\" y=\"{:.0}\">{:.1}</text>",
            y + ROW / 2.0 + 1.0,
            x_bits(r.bits_per_key),
            ROW - 2.0,
            px2 + x_bits(r.bits_per_key) + 3.0,
            y + ROW * 1.5 - 4.0,
            r.bits_per_key
        );
        y += 2.0 * ROW;
    }
    s.push_str("</svg>\n");
    s
}
