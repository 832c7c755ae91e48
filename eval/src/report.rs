//! The benchmark report: JSON (serde), a markdown table and an SVG bar chart.

use crate::METHODS;
use serde::{Deserialize, Serialize};
use std::fmt::Write as _;

/// One value per method (see [`crate::METHOD_NAMES`]).
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct Methods<T> {
    /// hashscreen through the blocklist (`Screener::screen_image`)
    pub ours: T,
    /// PDQ in the clear, Hamming distance <= 31, no dihedral probing
    pub pdq_t31: T,
    /// PDQ in the clear at the pairwise-rate threshold
    pub pdq_pairwise: T,
    /// 64-bit pHash in the clear at the pairwise-rate threshold
    pub phash_pairwise: T,
    /// 64-bit pHash in the clear, t = 15
    pub phash_t15: T,
    /// 64-bit dHash in the clear at the pairwise-rate threshold
    pub dhash_pairwise: T,
    /// 64-bit dHash in the clear, t = 7
    pub dhash_t7: T,
}

impl<T: Copy> Methods<T> {
    /// From values in the order of [`crate::METHOD_NAMES`].
    pub fn from_array(a: [T; METHODS]) -> Self {
        Methods {
            ours: a[0],
            pdq_t31: a[1],
            pdq_pairwise: a[2],
            phash_pairwise: a[3],
            phash_t15: a[4],
            dhash_pairwise: a[5],
            dhash_t7: a[6],
        }
    }

    /// In the order of [`crate::METHOD_NAMES`].
    pub fn to_array(&self) -> [T; METHODS] {
        [
            self.ours,
            self.pdq_t31,
            self.pdq_pairwise,
            self.phash_pairwise,
            self.phash_t15,
            self.dhash_pairwise,
            self.dhash_t7,
        ]
    }
}

/// The corpus and the trials.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct CorpusStats {
    /// the corpus directory as given
    pub dir: String,
    /// originals
    pub images: usize,
    /// originals listed (over both folds)
    pub listed: usize,
    /// originals the builder rejected (not listed by any method; still negatives)
    pub not_listed: Vec<String>,
    /// originals with PDQ quality below 50
    pub low_quality_originals: usize,
    /// positive trials (variants of listed images against their own fold)
    pub positive_trials: usize,
    /// negative trials (originals and variants of images not listed in the fold screened)
    pub negative_trials: usize,
    /// inputs the in-the-clear hashes could not be computed for (should be 0)
    pub query_errors: usize,
    /// pairs of distinct originals behind the pairwise thresholds
    pub pairs_for_thresholds: usize,
}

/// The in-the-clear thresholds chosen from pairs of distinct originals (`null` = none qualifies).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ThresholdStats {
    /// the pairwise false-match rate they respect
    pub pairwise_rate: f64,
    /// PDQ (256 bits)
    pub pdq_pairwise: Option<u32>,
    /// pHash (64 bits)
    pub phash_pairwise: Option<u32>,
    /// dHash (64 bits)
    pub dhash_pairwise: Option<u32>,
}

/// The true-positive rates of one transform.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct TransformRow {
    /// the transform's name
    pub transform: String,
    /// positive trials
    pub trials: usize,
    /// negative trials of this transform (variants of images not listed in the fold screened)
    pub negative_trials: usize,
    /// false matches among them, per method
    pub false_matches: Methods<usize>,
    /// variants whose PDQ quality is below 50 (no method matches them)
    pub low_quality_queries: usize,
    /// true-positive rate per method
    pub tpr: Methods<f64>,
}

/// One false match.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct FalseMatch {
    /// the method that matched
    pub method: String,
    /// the unlisted image
    pub image: String,
    /// `original` or the transform
    pub transform: String,
    /// the fold whose list it matched
    pub fold: String,
}

/// One section of a fold's blocklist.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct SectionStats {
    /// signal kind name (`file`, `image_pdq`, ...)
    pub signal: String,
    /// values inserted
    pub entries: u64,
    /// filter payload bytes
    pub payload_bytes: usize,
}

/// One fold's blocklist.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct BlocklistStats {
    /// fold name
    pub fold: String,
    /// images listed
    pub listed: usize,
    /// images the builder rejected
    pub rejected: usize,
    /// size of the blocklist file
    pub file_bytes: usize,
    /// its sections
    pub sections: Vec<SectionStats>,
}

/// Everything one run measured.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Report {
    /// tool and version
    pub tool: String,
    /// corpus and trial counts
    pub corpus: CorpusStats,
    /// in-the-clear thresholds
    pub thresholds: ThresholdStats,
    /// per transform, in the order of the standard table
    pub transforms: Vec<TransformRow>,
    /// mean true-positive rate over the 26 transforms
    pub mean_tpr: Methods<f64>,
    /// listed originals screened against their own list (sanity: should be 1)
    pub original_tpr: Methods<f64>,
    /// false matches over `corpus.negative_trials`
    pub false_matches: Methods<usize>,
    /// every false match of ours, the first 20 of each other method
    pub false_match_list: Vec<FalseMatch>,
    /// median wall time of one `screen_image` call (decode included), milliseconds
    pub screen_ms_median: f64,
    /// 95th percentile of the same
    pub screen_ms_p95: f64,
    /// `screen_image` calls timed
    pub screen_calls: usize,
    /// the two folds' lists
    pub blocklists: Vec<BlocklistStats>,
    /// blocklist file bytes (both folds) per listed image
    pub bytes_per_listed_image: f64,
    /// image sections' payload bytes (both folds) per listed image
    pub image_section_bytes_per_listed_image: f64,
    /// worker threads used (timings were taken with that many running at once)
    pub threads: usize,
    /// wall time of the whole run
    pub wall_seconds: f64,
}

fn t_label(t: Option<u32>) -> String {
    t.map_or_else(|| "none".to_string(), |t| t.to_string())
}

impl Report {
    /// Column headers of the methods, with their thresholds.
    pub fn method_headers(&self) -> [String; METHODS] {
        let th = &self.thresholds;
        [
            "ours (filter)".to_string(),
            "PDQ t=31".to_string(),
            format!("PDQ t={}", t_label(th.pdq_pairwise)),
            format!("pHash t={}", t_label(th.phash_pairwise)),
            "pHash t=15".to_string(),
            format!("dHash t={}", t_label(th.dhash_pairwise)),
            "dHash t=7".to_string(),
        ]
    }

    /// The markdown table and the facts around it.
    pub fn to_markdown(&self) -> String {
        let c = &self.corpus;
        let mut s = String::new();
        let _ = writeln!(s, "# Robustness benchmark: `{}`\n", c.dir);
        let _ = writeln!(
            s,
            "{} originals ({} listed over two folds, {} not listed: {} with PDQ quality below 50), \
             {} positive trials, {} negative trials. Thresholds \"pairwise\": the largest t with at \
             most {} of the {} pairs of distinct originals within t. `{}`.\n",
            c.images,
            c.listed,
            c.not_listed.len(),
            c.low_quality_originals,
            c.positive_trials,
            c.negative_trials,
            self.thresholds.pairwise_rate,
            c.pairs_for_thresholds,
            self.tool,
        );
        let headers = self.method_headers();
        let _ = writeln!(s, "| transform | {} |", headers.join(" | "));
        let _ = writeln!(s, "|---|{}", "---:|".repeat(METHODS));
        for r in &self.transforms {
            let cells: Vec<String> = r.tpr.to_array().iter().map(|v| format!("{v:.3}")).collect();
            let _ = writeln!(s, "| {} | {} |", r.transform, cells.join(" | "));
        }
        let mean: Vec<String> = self
            .mean_tpr
            .to_array()
            .iter()
            .map(|v| format!("**{v:.3}**"))
            .collect();
        let _ = writeln!(s, "| **mean of 26** | {} |", mean.join(" | "));
        let fm: Vec<String> = self
            .false_matches
            .to_array()
            .iter()
            .map(|v| format!("{v} / {}", c.negative_trials))
            .collect();
        let _ = writeln!(s, "| false matches | {} |", fm.join(" | "));
        let orig: Vec<String> = self
            .original_tpr
            .to_array()
            .iter()
            .map(|v| format!("{v:.3}"))
            .collect();
        let _ = writeln!(s, "| (listed original itself) | {} |", orig.join(" | "));
        let _ = writeln!(
            s,
            "\nScreening one image (`Screener::screen_image`, decode included): median {:.2} ms, \
             p95 {:.2} ms over {} calls ({} threads running at once).",
            self.screen_ms_median, self.screen_ms_p95, self.screen_calls, self.threads
        );
        let _ = writeln!(
            s,
            "Blocklist: {:.1} bytes per listed image (whole file), {:.1} bytes per listed image in the \
             image section(s).",
            self.bytes_per_listed_image, self.image_section_bytes_per_listed_image
        );
        let lq: usize = self.transforms.iter().map(|r| r.low_quality_queries).sum();
        let _ = writeln!(
            s,
            "Variants of listed images with PDQ quality below 50 (unmatchable for every method): {lq}."
        );
        s
    }

    /// A grouped bar chart of the true-positive rate per transform: ours, PDQ t=31, pHash and dHash
    /// at their pairwise thresholds.
    pub fn to_svg(&self) -> String {
        const SHOWN: [(usize, &str); 4] = [
            (0, "#1b7837"),
            (1, "#2166ac"),
            (3, "#d6604d"),
            (5, "#b2abd2"),
        ];
        let headers = self.method_headers();
        let n = self.transforms.len().max(1);
        let (left, top, bottom, right) = (50.0, 50.0, 120.0, 80.0);
        let bar = 6.0;
        let group = bar * SHOWN.len() as f64 + 8.0;
        let plot_w = group * n as f64;
        let plot_h = 260.0;
        let width = left + plot_w + right;
        let height = top + plot_h + bottom;
        let mut s = String::new();
        let _ = writeln!(
            s,
            r#"<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0}" height="{height:.0}" viewBox="0 0 {width:.0} {height:.0}" font-family="sans-serif" font-size="11">"#
        );
        let _ = writeln!(
            s,
            r#"<rect width="100%" height="100%" fill="white"/><text x="{left}" y="18" font-size="13">True-positive rate per transform ({} images, {} negative trials)</text>"#,
            self.corpus.images, self.corpus.negative_trials
        );
        // Legend.
        for (k, (m, colour)) in SHOWN.iter().enumerate() {
            let x = left + k as f64 * 215.0;
            let fm = self.false_matches.to_array()[*m];
            let mean = self.mean_tpr.to_array()[*m];
            let _ = writeln!(
                s,
                r#"<rect x="{x}" y="28" width="10" height="10" fill="{colour}"/><text x="{:.0}" y="37">{} (mean {mean:.2}, {fm} FM)</text>"#,
                x + 14.0,
                headers[*m]
            );
        }
        // Axes and grid.
        for i in 0..=4 {
            let v = f64::from(i) / 4.0;
            let y = top + plot_h * (1.0 - v);
            let _ = writeln!(
                s,
                r##"<line x1="{left}" x2="{:.1}" y1="{y:.1}" y2="{y:.1}" stroke="#ccc"/><text x="{:.0}" y="{:.1}" text-anchor="end">{v:.2}</text>"##,
                left + plot_w,
                left - 4.0,
                y + 4.0
            );
        }
        for (g, row) in self.transforms.iter().enumerate() {
            let gx = left + g as f64 * group + 4.0;
            let values = row.tpr.to_array();
            for (k, (m, colour)) in SHOWN.iter().enumerate() {
                let v = values[*m].clamp(0.0, 1.0);
                let h = plot_h * v;
                let _ = writeln!(
                    s,
                    r#"<rect x="{:.1}" y="{:.1}" width="{bar}" height="{h:.1}" fill="{colour}"><title>{} {}: {v:.3}</title></rect>"#,
                    gx + k as f64 * bar,
                    top + plot_h - h,
                    row.transform,
                    headers[*m]
                );
            }
            let lx = gx + group / 2.0 - 4.0;
            let ly = top + plot_h + 8.0;
            let _ = writeln!(
                s,
                r#"<text x="{lx:.1}" y="{ly:.1}" transform="rotate(60 {lx:.1} {ly:.1})">{}</text>"#,
                row.transform
            );
        }
        let _ = writeln!(
            s,
            r##"<line x1="{left}" x2="{left}" y1="{top}" y2="{:.1}" stroke="#333"/></svg>"##,
            top + plot_h
        );
        s
    }
}
