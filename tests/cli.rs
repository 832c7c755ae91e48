//! The `hashscreen` CLI contract: commands, flags, one JSON object per input, exit codes, no partial
//! outputs.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_hashscreen"))
}

fn run(args: &[&str]) -> Output {
    bin().args(args).output().expect("runs")
}

/// Asserts the command succeeded (showing its stderr otherwise) and returns its output.
fn ok(out: Output) -> Output {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// `hashscreen check --key KEY --blocklist LIST ARGS...`
fn check(key: &Path, list: &Path, args: &[&str]) -> Output {
    let mut all = vec!["check", "--key", s(key), "--blocklist", s(list)];
    all.extend_from_slice(args);
    run(&all)
}

fn tmpdir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("hashscreen-cli-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

fn lines(out: &Output) -> Vec<Value> {
    String::from_utf8(out.stdout.clone())
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// Key, listed files and texts, and a built list in a fresh directory.
fn setup(name: &str) -> (PathBuf, PathBuf, PathBuf) {
    let dir = tmpdir(name);
    let key = dir.join("key");
    assert!(run(&["keygen", "-o", s(&key)]).status.success());
    let files = dir.join("files");
    std::fs::create_dir_all(files.join("sub")).unwrap();
    std::fs::write(files.join("a.bin"), b"listed file a").unwrap();
    std::fs::write(files.join("sub/b.bin"), b"listed file b").unwrap();
    std::fs::write(
        dir.join("texts.txt"),
        "Claim your prize now\n\nSend gift card codes\n",
    )
    .unwrap();
    let list = dir.join("list.hsbl");
    let out = run(&[
        "build",
        "--key",
        s(&key),
        "--files",
        s(&files),
        "--texts",
        s(&dir.join("texts.txt")),
        "--label",
        "scam",
        "-o",
        s(&list),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    (dir, key, list)
}

#[test]
fn check_prints_one_json_object_per_input_in_order() {
    let (dir, key, list) = setup("order");
    std::fs::write(dir.join("other.bin"), b"not listed").unwrap();
    let a = dir.join("files/a.bin");
    let other = dir.join("other.bin");
    let out = run(&[
        "check",
        "--key",
        s(&key),
        "--blocklist",
        s(&list),
        "--text",
        "CLAIM your  prize now",
        s(&a),
        "--text",
        "hello there",
        s(&other),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let l = lines(&out);
    assert_eq!(l.len(), 4);
    assert_eq!(l[0]["input"], "CLAIM your  prize now");
    assert_eq!(l[0]["kind"], "text");
    assert_eq!(l[0]["matched"], true);
    assert_eq!(l[0]["matches"][0]["signal"], "text");
    assert_eq!(l[0]["matches"][0]["label"], "scam");
    assert_eq!(l[1]["input"], s(&a));
    assert_eq!(l[1]["kind"], "file");
    assert_eq!(l[1]["matched"], true);
    assert_eq!(l[1]["matches"][0]["signal"], "file");
    assert_eq!(l[2]["input"], "hello there");
    assert_eq!(l[2]["matched"], false);
    assert_eq!(l[2]["matches"].as_array().unwrap().len(), 0);
    assert_eq!(l[3]["matched"], false);
}

#[test]
fn unreadable_input_gets_an_error_line_and_the_others_go_on() {
    let (dir, key, list) = setup("errline");
    let missing = dir.join("missing.bin");
    let out = run(&[
        "check",
        "--key",
        s(&key),
        "--blocklist",
        s(&list),
        s(&missing),
        "--text",
        "Send gift card codes",
    ]);
    assert_eq!(out.status.code(), Some(1));
    let l = lines(&out);
    assert_eq!(l.len(), 2);
    assert_eq!(l[0]["input"], s(&missing));
    assert!(l[0]["error"].as_str().unwrap().contains("missing.bin"));
    assert_eq!(l[1]["matched"], true);
}

#[test]
fn bad_lists_and_keys_fail_cleanly() {
    let (dir, key, list) = setup("bad");
    let bytes = std::fs::read(&list).unwrap();
    // Corrupted list: non-zero exit, no stdout lines, a message, no panic.
    let mut corrupt = bytes.clone();
    let mid = corrupt.len() / 2;
    corrupt[mid] ^= 0xff;
    let corrupt_path = dir.join("corrupt.hsbl");
    std::fs::write(&corrupt_path, &corrupt).unwrap();
    let out = run(&[
        "check",
        "--key",
        s(&key),
        "--blocklist",
        s(&corrupt_path),
        "--text",
        "x",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("checksum"), "{err}");
    assert!(!err.contains("panicked"));
    // Truncated list.
    std::fs::write(&corrupt_path, &bytes[..bytes.len() - 1]).unwrap();
    let out = run(&["inspect", s(&corrupt_path)]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("truncated"));
    // Another key.
    let other = dir.join("other.key");
    assert!(run(&["keygen", "-o", s(&other)]).status.success());
    let out = run(&[
        "check",
        "--key",
        s(&other),
        "--blocklist",
        s(&list),
        "--text",
        "x",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("key id mismatch"));
    // A key file that is not a key: clear error, no key bytes echoed, no output file.
    let junk = dir.join("junk.key");
    std::fs::write(&junk, "this is not a key at all\n").unwrap();
    let out_path = dir.join("never.hsbl");
    let out = run(&[
        "build",
        "--key",
        s(&junk),
        "--texts",
        s(&dir.join("texts.txt")),
        "-o",
        s(&out_path),
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not a hashscreen key"));
    assert!(!out_path.exists());
    // Bad argument values.
    let out = run(&["build", "--key", s(&key), "--fpr", "2", "-o", s(&out_path)]);
    assert_eq!(out.status.code(), Some(2));
    assert!(!out_path.exists());
    let out = run(&[
        "build",
        "--key",
        s(&key),
        "--label",
        "bad label",
        "--texts",
        s(&dir.join("texts.txt")),
        "-o",
        s(&out_path),
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(!out_path.exists());
    // keygen never overwrites.
    let out = run(&["keygen", "-o", s(&key)]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn inspect_reports_header_sections_and_signature() {
    let (dir, key, _) = setup("inspect");
    let signing = dir.join("publisher.key");
    assert!(run(&["keygen", "--signing", "-o", s(&signing)])
        .status
        .success());
    let public = dir.join("publisher.key.pub");
    assert!(public.exists());
    let list = dir.join("signed.hsbl");
    let out = run(&[
        "build",
        "--key",
        s(&key),
        "--texts",
        s(&dir.join("texts.txt")),
        "--sign",
        s(&signing),
        "-o",
        s(&list),
    ]);
    assert!(out.status.success());
    let out = run(&["inspect", "--json", "--publisher", s(&public), s(&list)]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["kind"], "list");
    assert_eq!(v["sequence"], 1);
    assert_eq!(v["sections"][0]["signal"], "text");
    // Two texts: each a strict key and its two evidence forms.
    assert_eq!(v["sections"][0]["entries"], 6);
    assert!(v["sections"][0]["expected_fpr"].as_f64().unwrap() <= 1e-6);
    assert!(v["signature"].as_str().unwrap().contains("verified"));
    let text = run(&["inspect", s(&list)]);
    assert!(String::from_utf8_lossy(&text.stdout).contains("section text label=blocklist"));
    // The check command enforces the publisher.
    let out = run(&[
        "check",
        "--key",
        s(&key),
        "--blocklist",
        s(&list),
        "--publisher",
        s(&public),
        "--text",
        "Claim your prize now",
    ]);
    assert_eq!(lines(&out)[0]["matched"], true);
}

#[test]
fn delta_and_apply_reproduce_the_new_list() {
    let (dir, key, list) = setup("delta");
    std::fs::write(dir.join("more.txt"), "Double your crypto\n").unwrap();
    let v2 = dir.join("v2.hsbl");
    let out = run(&[
        "build",
        "--key",
        s(&key),
        "--base",
        s(&list),
        "--texts",
        s(&dir.join("more.txt")),
        "--label",
        "scam",
        "-o",
        s(&v2),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let d = dir.join("d.hsbl");
    assert!(
        run(&["delta", "--old", s(&list), "--new", s(&v2), "-o", s(&d)])
            .status
            .success()
    );
    let applied = dir.join("applied.hsbl");
    let out = run(&[
        "apply",
        "--blocklist",
        s(&list),
        "--delta",
        s(&d),
        "-o",
        s(&applied),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        std::fs::read(&applied).unwrap(),
        std::fs::read(&v2).unwrap()
    );
    // Applying to the new list (wrong base) fails and writes nothing.
    let again = dir.join("again.hsbl");
    let out = run(&[
        "apply",
        "--blocklist",
        s(&v2),
        "--delta",
        s(&d),
        "-o",
        s(&again),
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(!again.exists());
    // Rollback protection on check.
    let out = run(&[
        "check",
        "--key",
        s(&key),
        "--blocklist",
        s(&list),
        "--min-sequence",
        "2",
        "--text",
        "x",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("rollback"));
}

#[test]
fn demo_runs_and_shows_verdicts() {
    let out = run(&["demo"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("MATCH scam (text, text_loose, text_shingle)"),
        "{text}"
    );
    assert!(text.contains("MATCH malware (file)"));
    assert!(text.contains("MATCH phishing (url)"));
    assert!(!text.contains("UNEXPECTED"));
    assert!(text.contains("verdicts as expected"));
}

#[test]
fn checks_the_fixture_vectors_list() {
    // The checked-in vector list answers as vectors.json says, through the CLI.
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let vectors: Value =
        serde_json::from_slice(&std::fs::read(root.join("fixtures/vectors.json")).unwrap())
            .unwrap();
    let dir = tmpdir("vectors");
    let key = dir.join("key");
    std::fs::write(&key, vectors["key"]["hex"].as_str().unwrap()).unwrap();
    let list = root.join("fixtures/blocklists/list-v1.hsbl");
    for case in vectors["screen"].as_array().unwrap() {
        if case["blocklist"] != "list-v1.hsbl" || case["kind"] != "text" {
            continue;
        }
        let out = run(&[
            "check",
            "--key",
            s(&key),
            "--blocklist",
            s(&list),
            "--text",
            case["input"].as_str().unwrap(),
        ]);
        assert!(out.status.success());
        assert_eq!(
            lines(&out)[0]["matched"],
            case["verdict"]["matched"],
            "{case}"
        );
    }
}

#[test]
fn urls_and_canon() {
    let dir = tmpdir("urls");
    let key = dir.join("key");
    assert!(run(&["keygen", "-o", s(&key)]).status.success());
    std::fs::write(
        dir.join("urls.txt"),
        "evil.example\nhxxp://phish[.]example/login/\n",
    )
    .unwrap();
    std::fs::write(dir.join("texts.txt"), "Claim your prize now\n").unwrap();
    let list = dir.join("list.hsbl");
    let out = run(&[
        "build",
        "--key",
        s(&key),
        "--urls",
        s(&dir.join("urls.txt")),
        "--texts",
        s(&dir.join("texts.txt")),
        "--text-signals",
        "strict",
        "--label",
        "phishing",
        "-o",
        s(&list),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = run(&[
        "check",
        "--key",
        s(&key),
        "--blocklist",
        s(&list),
        "--url",
        "https://a.evil.example/x?y",
        "--text",
        "go to phish[.]example/login/now",
        "--url",
        "https://ok.example/",
        "--text",
        "c1@im y0ur pr!z3 n0w",
        "--text",
        "cllaaaiiim yoouuur priiize noooow",
        "--text",
        "c l a i m y o u r p r i z e n o w",
        "--text",
        "clam your prize now",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let l = lines(&out);
    assert_eq!(l.len(), 7);
    // Stretched and spaced-out letters meet the strict key through its evidence forms; a text
    // that differs by a letter, without evidence, does not.
    assert_eq!(l[4]["matches"][0]["signal"], "text");
    assert_eq!(l[5]["matches"][0]["signal"], "text");
    assert_eq!(l[6]["matched"], false);
    assert_eq!(
        (l[0]["kind"].as_str(), l[0]["matched"].as_bool()),
        (Some("url"), Some(true))
    );
    assert_eq!(l[0]["matches"][0]["signal"], "url");
    assert_eq!(
        (l[1]["kind"].as_str(), l[1]["matched"].as_bool()),
        (Some("text"), Some(true))
    );
    assert_eq!(l[1]["matches"][0]["signal"], "url");
    assert_eq!(l[2]["matched"], false);
    assert_eq!(l[3]["matches"][0]["signal"], "text");
    // Only the strict key was listed.
    assert_eq!(l[3]["matches"].as_array().unwrap().len(), 1);
    // A bad URL in the list file: line number in the error, no output file.
    std::fs::write(dir.join("bad.txt"), "evil.example\nmailto:x@y\n").unwrap();
    let bad_out = dir.join("bad.hsbl");
    let out = run(&[
        "build",
        "--key",
        s(&key),
        "--urls",
        s(&dir.join("bad.txt")),
        "-o",
        s(&bad_out),
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("bad.txt:2"));
    assert!(!bad_out.exists());

    let out = run(&[
        "canon",
        "--text",
        "ＦＲＥＥ n1tro",
        "--url",
        "HXXP://Evil[.]Example:80/a/../b",
    ]);
    assert!(out.status.success());
    let l = lines(&out);
    assert_eq!(l[0]["strict"], "free nitro");
    assert_eq!(l[0]["strict_forms"], serde_json::json!({}));
    assert_eq!(l[0]["shingles"][0], "free nitro");
    assert_eq!(l[1]["canonical"], "http://evil.example/b");
    assert_eq!(l[1]["expressions"][0], "evil.example/b");
    // Curators see the evidence forms a message is probed under.
    let out = run(&["canon", "--text", "freeeee  n i t r o"]);
    let l = lines(&out);
    assert_eq!(l[0]["strict"], "freeeee nitro");
    assert_eq!(l[0]["strict_forms"]["runs"], "fre nitro");
    assert_eq!(l[0]["strict_forms"]["joined"], "freeeeenitro");
}

/// List files are streamed line by line: CRLF endings work, an over-long line is refused with its
/// line number before anything is written, and so is a line that is not UTF-8.
#[test]
fn list_files_stream_with_a_line_limit() {
    let dir = tmpdir("lines");
    let key = dir.join("key");
    assert!(run(&["keygen", "-o", s(&key)]).status.success());
    let build = |file: &Path, out: &Path| {
        run(&[
            "build",
            "--key",
            s(&key),
            "--texts",
            s(file),
            "--label",
            "scam",
            "-o",
            s(out),
        ])
    };
    let crlf = dir.join("crlf.txt");
    std::fs::write(&crlf, "Claim your prize now\r\n\r\nFree nitro\r\n").unwrap();
    let list = dir.join("ok.hsbl");
    ok(build(&crlf, &list));
    let out = check(&key, &list, &["--text", "free nitro"]);
    assert_eq!(lines(&out)[0]["matched"], true);

    let long = dir.join("long.txt");
    let mut body = b"first line\n".to_vec();
    body.extend(std::iter::repeat_n(
        b'a',
        hashscreen::text::MAX_TEXT_BYTES + 1,
    ));
    body.extend_from_slice(b"\nlast\n");
    std::fs::write(&long, &body).unwrap();
    let bad = dir.join("bad.hsbl");
    let out = build(&long, &bad);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("long.txt:2: line longer than 65536"));
    assert!(!bad.exists());
    // A line exactly at the limit is read (and refused by nothing here but its content).
    let exact = dir.join("exact.txt");
    let line = "ab ".repeat(hashscreen::text::MAX_TEXT_BYTES / 3);
    std::fs::write(&exact, format!("{line}\n")).unwrap();
    assert!(build(&exact, &bad).status.success());

    let latin1 = dir.join("latin1.txt");
    std::fs::write(&latin1, b"ok\nfr\xe9e\n").unwrap();
    let out = build(&latin1, &dir.join("l1.hsbl"));
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("latin1.txt:2: not UTF-8 (byte 2)"));
}

#[test]
fn images_hash_build_and_check() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/images");
    let dir = tmpdir("images");
    let key = dir.join("key");
    assert!(run(&["keygen", "-o", s(&key)]).status.success());
    // hash: reference format, one line per file, errors on stderr, the others go on.
    let a = root.join("corpus/0015.jpg");
    let b = root.join("corpus/0020.jpg");
    let missing = dir.join("missing.jpg");
    let out = run(&["hash", s(&a), s(&missing), s(&b)]);
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8(out.stdout).unwrap();
    let rows: Vec<Vec<&str>> = stdout.lines().map(|l| l.split(',').collect()).collect();
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0][0].len(), 64);
    let quality: u32 = rows[0][1].parse().unwrap();
    assert!(quality <= 100);
    assert_eq!(rows[0][2], s(&a));
    assert_eq!(rows[1][2], s(&b));
    assert!(String::from_utf8_lossy(&out.stderr).contains("missing.jpg"));
    let out = run(&["hash", "--algo", "pdq-dihedral", s(&a)]);
    assert_eq!(
        String::from_utf8(out.stdout)
            .unwrap()
            .trim()
            .split(',')
            .count(),
        10
    );
    for algo in ["phash", "dhash"] {
        let out = run(&["hash", "--algo", algo, s(&a)]);
        let line = String::from_utf8(out.stdout).unwrap();
        let cols: Vec<&str> = line.trim().split(',').collect();
        assert_eq!((cols[0].len(), cols[1]), (16, ""), "{algo}: {line}");
    }
    let out = run(&["hash", "--reference-compatible", s(&a)]);
    assert!(out.status.success());

    // build --images lists the folder; check screens image paths as images.
    let imgs = dir.join("imgs");
    std::fs::create_dir_all(&imgs).unwrap();
    std::fs::copy(&a, imgs.join("a.jpg")).unwrap();
    let list = dir.join("list.hsbl");
    let out = run(&[
        "build",
        "--key",
        s(&key),
        "--images",
        s(&imgs),
        "--label",
        "known",
        "-o",
        s(&list),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut retagged = std::fs::read(&a).unwrap();
    retagged.extend_from_slice(b"trailer");
    let retagged_path = dir.join("retagged.jpg");
    std::fs::write(&retagged_path, &retagged).unwrap();
    let out = run(&[
        "check",
        "--key",
        s(&key),
        "--blocklist",
        s(&list),
        s(&a),
        s(&retagged_path),
        s(&b),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let l = lines(&out);
    assert_eq!(l[0]["kind"], "image");
    assert_eq!(l[0]["matched"], true);
    let signals: Vec<&str> = l[0]["matches"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["signal"].as_str().unwrap())
        .collect();
    // The near-duplicate section (image_near) matches the listed image too.
    assert_eq!(signals, ["file", "image_pdq", "image_near"]);
    assert_eq!(l[1]["matches"][0]["signal"], "image_pdq");
    assert_eq!(l[2]["matched"], false);

    // --pdq-hashes: hex with optional quality and extra columns; low quality skipped.
    let hash_a = rows[0][0];
    let export = format!(
        "# export\n{hash_a},{quality},extra,columns\n{},10\n",
        "ab".repeat(32)
    );
    std::fs::write(dir.join("hashes.csv"), export).unwrap();
    let list2 = dir.join("list2.hsbl");
    let out = run(&[
        "build",
        "--key",
        s(&key),
        "--pdq-hashes",
        s(&dir.join("hashes.csv")),
        "-o",
        s(&list2),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("skipped 1"));
    let out = run(&["check", "--key", s(&key), "--blocklist", s(&list2), s(&a)]);
    assert_eq!(lines(&out)[0]["matches"][0]["signal"], "image_pdq");
    // A malformed hash line fails with its line number and writes nothing.
    std::fs::write(dir.join("bad.csv"), format!("{hash_a}\nnot-a-hash\n")).unwrap();
    let bad = dir.join("bad.hsbl");
    let out = run(&[
        "build",
        "--key",
        s(&key),
        "--pdq-hashes",
        s(&dir.join("bad.csv")),
        "-o",
        s(&bad),
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("bad.csv:2"));
    assert!(!bad.exists());

    // A corrupt image: the file digest is still screened, the reason is reported.
    let corrupt = dir.join("corrupt.jpg");
    std::fs::write(&corrupt, &std::fs::read(&a).unwrap()[..2000]).unwrap();
    let out = run(&[
        "check",
        "--key",
        s(&key),
        "--blocklist",
        s(&list),
        s(&corrupt),
    ]);
    let l = lines(&out);
    assert_eq!(l[0]["kind"], "image");
    assert_eq!(l[0]["matched"], false);
    assert!(l[0]["unscreened"][0].as_str().is_some());
}
