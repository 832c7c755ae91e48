//! Runs `fixtures/vectors.json` through the Rust API (every binding runs the same file).

use std::path::Path;

use hashscreen::blocklist::delta;
use hashscreen::{
    digest, Blocklist, Key, Message, OpenOptions, Screener, SignalKind, VerifyingKey,
};
use serde_json::Value;

fn fixtures() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures"))
}

fn vectors() -> Value {
    serde_json::from_slice(&std::fs::read(fixtures().join("vectors.json")).unwrap()).unwrap()
}

fn unhex(s: &str) -> Vec<u8> {
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
        .collect()
}

fn signal(name: &str) -> SignalKind {
    SignalKind::ALL
        .into_iter()
        .find(|k| k.name() == name)
        .unwrap()
}

#[test]
fn key_id_and_digests() {
    let v = vectors();
    let key = Key::from_hex(v["key"]["hex"].as_str().unwrap()).unwrap();
    assert_eq!(key.id().to_hex(), v["key"]["key_id"]);
    let digests = v["digests"].as_array().unwrap();
    assert!(digests.len() >= 8);
    for d in digests {
        let input = match d.get("input_hex") {
            Some(h) => unhex(h.as_str().unwrap()),
            None => d
                .get("canonical")
                .unwrap_or(&d["input"])
                .as_str()
                .unwrap()
                .as_bytes()
                .to_vec(),
        };
        if let Some(c) = d.get("canonical") {
            let input = d["input"].as_str().unwrap();
            let got = match d["signal"].as_str().unwrap() {
                "text" => hashscreen::text::strict_key(input).unwrap(),
                "text_loose" => hashscreen::text::loose_key(input).unwrap(),
                "text_shingle" => {
                    hashscreen::text::shingles(input, hashscreen::text::SHINGLE_WIDTH).unwrap()[0]
                        .clone()
                }
                "url" => {
                    let canonical = hashscreen::url::canonicalize(input).unwrap();
                    assert_eq!(canonical, d["url_canonical"].as_str().unwrap());
                    let e = hashscreen::url::expressions(&canonical);
                    assert_eq!(serde_json::json!(e), d["expressions"]);
                    e[0].clone()
                }
                other => panic!("no canonical form for {other}"),
            };
            assert_eq!(got, c.as_str().unwrap(), "{d}");
        }
        let version = d["version"].as_u64().unwrap() as u16;
        let got = digest(&key, signal(d["signal"].as_str().unwrap()), version, &input);
        assert_eq!(got.to_hex(), d["digest"], "{d}");
    }
}

#[test]
fn lists_delta_and_verdicts() {
    let v = vectors();
    let key = Key::from_hex(v["key"]["hex"].as_str().unwrap()).unwrap();
    let publisher = VerifyingKey::from_hex(v["publisher"]["public_key"].as_str().unwrap()).unwrap();
    let mut lists = std::collections::HashMap::new();
    for info in v["blocklists"].as_array().unwrap() {
        let bytes = std::fs::read(fixtures().join(info["file"].as_str().unwrap())).unwrap();
        let list = Blocklist::open(
            bytes,
            &OpenOptions {
                key_id: Some(key.id()),
                ..Default::default()
            },
        )
        .unwrap();
        assert_eq!(list.sequence(), info["sequence"].as_u64().unwrap());
        let checksum: String = list.checksum().iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(checksum, info["checksum"]);
        assert_eq!(
            list.signer().map(|k| k.to_hex()),
            info["signed_by"].as_str().map(str::to_owned)
        );
        let name = Path::new(info["file"].as_str().unwrap())
            .file_name()
            .unwrap()
            .to_str()
            .unwrap()
            .to_owned();
        lists.insert(name, list);
    }
    let d = &v["delta"];
    let delta_bytes = std::fs::read(fixtures().join(d["file"].as_str().unwrap())).unwrap();
    let opts = OpenOptions {
        publisher: Some(publisher),
        min_sequence: Some(1),
        key_id: Some(key.id()),
        ..Default::default()
    };
    let applied = delta::apply(&lists["list-v1.hsbl"], delta_bytes, &opts).unwrap();
    assert_eq!(applied.as_bytes(), lists["list-v2-signed.hsbl"].as_bytes());

    let mut checked = 0;
    for case in v["screen"].as_array().unwrap() {
        let screener = Screener::new(&lists[case["blocklist"].as_str().unwrap()], &key).unwrap();
        let verdict = match case["kind"].as_str().unwrap() {
            "text" => screener
                .screen_text(case["input"].as_str().unwrap())
                .unwrap(),
            "file" => {
                screener.screen(&Message::new().file(&unhex(case["input_hex"].as_str().unwrap())))
            }
            "url" => screener
                .screen_url(case["input"].as_str().unwrap())
                .unwrap(),
            "image" => {
                let path = fixtures().join(case["input_file"].as_str().unwrap());
                screener.screen(&Message::new().image(&std::fs::read(path).unwrap()))
            }
            other => panic!("unknown kind {other}"),
        };
        assert_eq!(verdict.matched(), case["verdict"]["matched"], "{case}");
        let labels: Vec<_> = verdict
            .matches()
            .iter()
            .map(|m| (m.signal().name(), m.label().to_owned()))
            .collect();
        let want: Vec<_> = case["verdict"]["matches"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| {
                (
                    m["signal"].as_str().unwrap(),
                    m["label"].as_str().unwrap().to_owned(),
                )
            })
            .collect();
        assert_eq!(labels, want, "{case}");
        checked += 1;
    }
    assert!(checked >= 10);
}

#[test]
fn pdq_of_fixture_images() {
    let v = vectors();
    let key = Key::from_hex(v["key"]["hex"].as_str().unwrap()).unwrap();
    let images = v["pdq"]["images"].as_array().unwrap();
    assert!(images.len() >= 3);
    for img in images {
        let bytes = std::fs::read(fixtures().join(img["file"].as_str().unwrap())).unwrap();
        let all = hashscreen::image::pdq_dihedral_from_bytes(&bytes).unwrap();
        assert_eq!(all.hashes[0].to_hex(), img["pdq"], "{img}");
        assert_eq!(u64::from(all.quality), img["quality"].as_u64().unwrap());
        let dihedral: Vec<String> = all.hashes.iter().map(|h| h.to_hex()).collect();
        assert_eq!(serde_json::json!(dihedral), img["dihedral"]);
        let d = digest(
            &key,
            SignalKind::ImagePdq,
            hashscreen::screen::PDQ_DIGEST_VERSION,
            &all.hashes[0].0,
        );
        assert_eq!(d.to_hex(), img["digest"]);
    }
}
