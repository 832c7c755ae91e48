//! Reproduces `fixtures/corpus/`: picks N images of the shared dev corpus spread over its source
//! packages, downscales each to a longest side of at most 512 px (Lanczos3) and re-encodes it as
//! JPEG quality 90 (4:2:0), and writes `manifest.csv` (the original rows plus the fixture size).
//!
//! `cargo run --release -p hashscreen-eval --bin make-fixture-corpus -- \
//!     /work/shared/corpus/dev fixtures/corpus 40`
//!
//! Selection: one image per source package first, the rest shared out in proportion to each
//! package's number of images (largest remainder); within a package, images in the order of
//! BLAKE3(id), so the choice is deterministic and not the first files of each package.

#![forbid(unsafe_code)]
#![deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::ExitCode;

/// Splits a CSV text into records (RFC 4180 quoting: `"a,b"`, `""` inside quotes).
fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                field.push('"');
                chars.next();
            }
            (true, '"') => quoted = false,
            (true, c) => field.push(c),
            (false, '"') => quoted = true,
            (false, ',') => row.push(std::mem::take(&mut field)),
            (false, '\n') => {
                row.push(std::mem::take(&mut field));
                rows.push(std::mem::take(&mut row));
            }
            (false, '\r') => {}
            (false, c) => field.push(c),
        }
    }
    if !field.is_empty() || !row.is_empty() {
        row.push(field);
        rows.push(row);
    }
    rows
}

fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

fn run(src: PathBuf, dst: PathBuf, n: usize) -> Result<(), String> {
    let text = std::fs::read_to_string(src.join("manifest.csv")).map_err(|e| e.to_string())?;
    let rows = parse_csv(&text);
    let (header, rows) = rows.split_first().ok_or("empty manifest")?;
    let col = |name: &str| {
        header
            .iter()
            .position(|h| h == name)
            .ok_or(format!("manifest has no column {name}"))
    };
    let (c_id, c_file, c_src) = (col("id")?, col("file")?, col("source_package")?);
    let mut by_source: BTreeMap<&str, Vec<&Vec<String>>> = BTreeMap::new();
    for r in rows.iter().filter(|r| r.len() == header.len()) {
        by_source.entry(&r[c_src]).or_default().push(r);
    }
    for v in by_source.values_mut() {
        v.sort_by_key(|r| *blake3::hash(r[c_id].as_bytes()).as_bytes());
    }
    if n < by_source.len() {
        return Err(format!(
            "{n} images cannot cover {} sources",
            by_source.len()
        ));
    }
    // One each, then the rest in proportion (largest remainder).
    let total: usize = by_source.values().map(Vec::len).sum();
    let extra = n - by_source.len();
    let mut quota: BTreeMap<&str, usize> = by_source.keys().map(|k| (*k, 1)).collect();
    let mut rema: Vec<(f64, &str)> = Vec::new();
    let mut given = 0;
    for (k, v) in &by_source {
        let share = extra as f64 * v.len() as f64 / total as f64;
        let whole = (share.floor() as usize).min(v.len() - 1);
        *quota.entry(k).or_default() += whole;
        given += whole;
        rema.push((share - share.floor(), k));
    }
    rema.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(b.1)));
    for (_, k) in rema.iter().cycle().take(rema.len() * 4) {
        if given >= extra {
            break;
        }
        if quota[k] < by_source[k].len() {
            *quota.entry(k).or_default() += 1;
            given += 1;
        }
    }
    let mut chosen: Vec<&Vec<String>> = by_source
        .iter()
        .flat_map(|(k, v)| v.iter().take(quota[k]).copied())
        .collect();
    chosen.sort_by(|a, b| a[c_id].cmp(&b[c_id]));

    std::fs::create_dir_all(&dst).map_err(|e| e.to_string())?;
    let mut manifest = header
        .iter()
        .map(|h| csv_field(h))
        .collect::<Vec<_>>()
        .join(",");
    manifest.push_str(",fixture_width,fixture_height\n");
    for r in &chosen {
        let path = src.join(&r[c_file]);
        let img = image::open(&path)
            .map_err(|e| format!("{}: {e}", path.display()))?
            .to_rgb8();
        let (w, h) = img.dimensions();
        let f = 512.0 / f64::from(w.max(h));
        let img = if f < 1.0 {
            let nw = ((f64::from(w) * f).round() as u32).max(1);
            let nh = ((f64::from(h) * f).round() as u32).max(1);
            image::imageops::resize(&img, nw, nh, image::imageops::FilterType::Lanczos3)
        } else {
            img
        };
        let (w, h) = img.dimensions();
        let mut out = Vec::new();
        let mut enc = jpeg_encoder::Encoder::new(&mut out, 90);
        enc.set_sampling_factor(jpeg_encoder::SamplingFactor::R_4_2_0);
        let (w16, h16) = (
            u16::try_from(w).map_err(|e| e.to_string())?,
            u16::try_from(h).map_err(|e| e.to_string())?,
        );
        enc.encode(img.as_raw(), w16, h16, jpeg_encoder::ColorType::Rgb)
            .map_err(|e| e.to_string())?;
        let name = format!("{}.jpg", r[c_id]);
        std::fs::write(dst.join(&name), &out).map_err(|e| e.to_string())?;
        let mut line = r.iter().map(|f| csv_field(f)).collect::<Vec<_>>().join(",");
        line.push_str(&format!(",{w},{h}\n"));
        manifest.push_str(&line);
    }
    std::fs::write(dst.join("manifest.csv"), manifest).map_err(|e| e.to_string())?;
    eprintln!("{} images from {} sources", chosen.len(), by_source.len());
    Ok(())
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [src, dst, n] = args.as_slice() else {
        eprintln!("usage: make-fixture-corpus SRC_DIR DST_DIR COUNT");
        return ExitCode::from(2);
    };
    let Ok(n) = n.parse() else {
        eprintln!("COUNT must be a number");
        return ExitCode::from(2);
    };
    match run(src.into(), dst.into(), n) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("make-fixture-corpus: {e}");
            ExitCode::FAILURE
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_quotes() {
        let rows = parse_csv("a,b\n1,\"x, \"\"y\"\"\"\n");
        assert_eq!(rows, vec![vec!["a", "b"], vec!["1", "x, \"y\""]]);
        assert_eq!(csv_field("x, \"y\""), "\"x, \"\"y\"\"\"");
    }
}
