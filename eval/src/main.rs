//! `hashscreen-eval`: the robustness benchmark (see the crate docs and `eval/README.md`).

#![forbid(unsafe_code)]
#![deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use clap::Parser;
use hashscreen_eval::floors::Floors;
use hashscreen_eval::{EvalError, Options, Report};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Robustness benchmark: screens the 26 standard transforms of every image of a corpus against
/// blocklists of the originals (two folds), beside PDQ, pHash and dHash compared in the clear.
#[derive(Parser, Debug)]
#[command(version)]
struct Args {
    /// Directory of the original images (*.jpg, *.jpeg, *.png), taken in name order.
    #[arg(
        long,
        required_unless_present = "from_report",
        conflicts_with = "from_report"
    )]
    corpus: Option<PathBuf>,
    /// Do not run: read a JSON report written by --out and render it (--markdown, --plot, --floors,
    /// --write-floors work on it).
    #[arg(long)]
    from_report: Option<PathBuf>,
    /// Write the JSON report here.
    #[arg(long)]
    out: Option<PathBuf>,
    /// Only the first N images.
    #[arg(long)]
    limit: Option<usize>,
    /// List near-duplicate codes of this side (4 to 8) instead of the side the builder chooses
    /// for the list size (7 below about 88,000 images, 8 above).
    #[arg(long, value_parser = clap::value_parser!(u8).range(4..=8))]
    near_side: Option<u8>,
    /// Floors file (JSON): exit 1 when the matcher falls below one of them.
    #[arg(long)]
    floors: Option<PathBuf>,
    /// Write floors measured in this run (rates minus --floor-margin, false matches as measured).
    #[arg(long)]
    write_floors: Option<PathBuf>,
    /// Margin subtracted from measured rates by --write-floors.
    #[arg(long, default_value_t = 0.03)]
    floor_margin: f64,
    /// Write the markdown table here.
    #[arg(long)]
    markdown: Option<PathBuf>,
    /// Write the SVG bar chart here.
    #[arg(long)]
    plot: Option<PathBuf>,
}

fn write(path: &Path, text: &str) -> Result<(), EvalError> {
    std::fs::write(path, text).map_err(|source| EvalError::Io {
        path: path.to_path_buf(),
        source,
    })
}

fn run(args: &Args) -> Result<bool, EvalError> {
    // Parse the floors first: a broken floors file should fail before a long run.
    let floors = match &args.floors {
        Some(p) => {
            let text = std::fs::read_to_string(p).map_err(|source| EvalError::Io {
                path: p.clone(),
                source,
            })?;
            Some(Floors::from_json(p, &text)?)
        }
        None => None,
    };
    let report: Report = match (&args.corpus, &args.from_report) {
        (Some(corpus), _) => hashscreen_eval::run(&Options {
            corpus: corpus.clone(),
            limit: args.limit,
            near_side: args.near_side,
        })?,
        (None, Some(p)) => {
            let text = std::fs::read_to_string(p).map_err(|source| EvalError::Io {
                path: p.clone(),
                source,
            })?;
            serde_json::from_str(&text).map_err(|e| EvalError::Json {
                path: p.clone(),
                reason: e.to_string(),
            })?
        }
        (None, None) => return Err(EvalError::Argument("--corpus or --from-report".into())),
    };
    let markdown = report.to_markdown();
    println!("{markdown}");
    println!("(run took {:.1} s)", report.wall_seconds);
    if let Some(p) = &args.out {
        let json = serde_json::to_string_pretty(&report).map_err(|e| EvalError::Json {
            path: p.clone(),
            reason: e.to_string(),
        })?;
        write(p, &(json + "\n"))?;
    }
    if let Some(p) = &args.markdown {
        write(p, &markdown)?;
    }
    if let Some(p) = &args.plot {
        write(p, &report.to_svg())?;
    }
    if let Some(p) = &args.write_floors {
        let comment = format!(
            "Measured on {} ({} images) by {}: true-positive rates of ours minus {}, false matches as measured. Regenerate with --write-floors.",
            report.corpus.dir, report.corpus.images, report.tool, args.floor_margin
        );
        let f = Floors::from_report(&report, args.floor_margin, comment);
        let json = serde_json::to_string_pretty(&f).map_err(|e| EvalError::Json {
            path: p.clone(),
            reason: e.to_string(),
        })?;
        write(p, &(json + "\n"))?;
    }
    if let Some(f) = floors {
        let broken = f.check(&report);
        if !broken.is_empty() {
            eprintln!("robustness floors broken ({}):", broken.len());
            for b in &broken {
                eprintln!("  - {b}");
            }
            return Ok(false);
        }
        eprintln!(
            "robustness floors hold ({} transforms checked)",
            f.min_tpr.len()
        );
    }
    Ok(true)
}

fn main() -> ExitCode {
    let args = Args::parse();
    match run(&args) {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::from(1),
        Err(e) => {
            eprintln!("hashscreen-eval: {e}");
            ExitCode::from(2)
        }
    }
}
