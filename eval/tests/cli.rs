//! The `hashscreen-eval` binary end to end on the first images of the fixture corpus: reports are
//! written and consistent, floors that hold pass, floors that break fail with a message, and a
//! malformed floors file is refused before any work.

use std::path::PathBuf;
use std::process::Command;

fn corpus() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../fixtures/corpus")
}

fn tmp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("hashscreen-eval-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

fn eval(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_hashscreen-eval"))
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn run_report_and_floors() {
    let corpus = corpus();
    let (out, md, svg, floors) = (tmp("r.json"), tmp("r.md"), tmp("r.svg"), tmp("floors.json"));
    let o = eval(&[
        "--corpus",
        corpus.to_str().unwrap(),
        "--limit",
        "4",
        "--out",
        out.to_str().unwrap(),
        "--markdown",
        md.to_str().unwrap(),
        "--plot",
        svg.to_str().unwrap(),
        "--write-floors",
        floors.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    let c = &report["corpus"];
    assert_eq!(c["images"], 4);
    let listed = c["listed"].as_u64().unwrap();
    assert_eq!(c["positive_trials"].as_u64().unwrap(), listed * 26);
    // Every image is a negative (original + 26 variants) in the other fold, a rejected one in both.
    let not_listed = c["not_listed"].as_array().unwrap().len() as u64;
    assert_eq!(
        c["negative_trials"].as_u64().unwrap(),
        (4 + not_listed) * 27
    );
    assert_eq!(report["transforms"].as_array().unwrap().len(), 26);
    // A listed original always matches its own list, through the filter and in the clear.
    for (_, v) in report["original_tpr"].as_object().unwrap() {
        assert_eq!(v.as_f64().unwrap(), 1.0);
    }
    // Codec re-encodes at quality 75 keep PDQ within 31 bits.
    let q75 = report["transforms"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["transform"] == "jpeg_q75")
        .unwrap();
    assert_eq!(q75["tpr"]["pdq_t31"].as_f64().unwrap(), 1.0);
    let markdown = std::fs::read_to_string(&md).unwrap();
    assert!(markdown.contains("| screenshot_canvas |"));
    assert!(markdown.contains("| **mean of 26** |"));
    let plot = std::fs::read_to_string(&svg).unwrap();
    assert!(plot.starts_with("<svg") && plot.trim_end().ends_with("</svg>"));
    assert_eq!(plot.matches("<rect").count(), 1 + 4 + 26 * 4);

    // The floors just measured hold on a re-render of the same report...
    let o = eval(&[
        "--from-report",
        out.to_str().unwrap(),
        "--floors",
        floors.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    // ...and floors of 1.0 everywhere with no false match allowed break where the rate is below 1.
    let mut strict: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&floors).unwrap()).unwrap();
    for (_, v) in strict["min_tpr"].as_object_mut().unwrap() {
        *v = 1.0.into();
    }
    let strict_path = tmp("strict.json");
    std::fs::write(&strict_path, strict.to_string()).unwrap();
    let o = eval(&[
        "--from-report",
        out.to_str().unwrap(),
        "--floors",
        strict_path.to_str().unwrap(),
    ]);
    let below = report["transforms"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["tpr"]["ours"].as_f64().unwrap() < 1.0)
        .count();
    let stderr = String::from_utf8_lossy(&o.stderr);
    if below > 0 {
        assert_eq!(o.status.code(), Some(1), "{stderr}");
        assert!(stderr.contains("robustness floors broken"), "{stderr}");
        assert_eq!(
            stderr.matches("is below the floor 1.000").count(),
            below,
            "{stderr}"
        );
    } else {
        assert!(o.status.success(), "{stderr}");
    }
}

#[test]
fn malformed_floors_are_refused_before_running() {
    let corpus = corpus();
    let bad = tmp("bad-floors.json");
    for (floors, error) in [
        (
            r#"{"min_tpr": {"jpeg_q31": 0.5}, "max_false_matches": 0}"#,
            "unknown transform \"jpeg_q31\"",
        ),
        (
            r#"{"min_tpr": {}, "max_false_matches": 0, "typo": 1}"#,
            "unknown field",
        ),
    ] {
        std::fs::write(&bad, floors).unwrap();
        let o = eval(&[
            "--corpus",
            corpus.to_str().unwrap(),
            "--floors",
            bad.to_str().unwrap(),
        ]);
        assert_eq!(o.status.code(), Some(2), "{floors}");
        assert!(
            String::from_utf8_lossy(&o.stderr).contains(error),
            "{floors}"
        );
    }
}

#[test]
fn missing_corpus_is_a_clear_error() {
    let o = eval(&["--corpus", "/nonexistent-hashscreen-corpus"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("/nonexistent-hashscreen-corpus"));
}
