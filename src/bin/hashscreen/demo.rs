//! `hashscreen demo`: the main job on built-in fixtures.

use std::process::ExitCode;
use std::time::Instant;

use hashscreen::{Blocklist, BlocklistBuilder, Key, Message, OpenOptions, Screener, SigningKey};

use crate::Failure;

const SCAM_TEXTS: &str = include_str!("../../../fixtures/demo/scam-texts.txt");
const LISTED_FILE: &[u8] = include_bytes!("../../../fixtures/demo/listed-attachment.txt");
const ORDINARY_FILE: &[u8] = include_bytes!("../../../fixtures/demo/ordinary-attachment.txt");

/// One sample message: a description and its parts.
struct Sample {
    what: &'static str,
    text: Option<&'static str>,
    file: Option<&'static [u8]>,
}

const SAMPLES: &[Sample] = &[
    Sample {
        what: "listed scam text, lower case",
        text: Some("your package is on hold. pay the customs fee here to release it"),
        file: None,
    },
    Sample {
        what: "listed scam text, full-width letters and odd spacing",
        text: Some(
            "Ｃｏｎｇｒａｔｕｌａｔｉｏｎｓ!  You have won an iPhone.\tClaim your prize now",
        ),
        file: None,
    },
    Sample {
        what: "listed scam text, upper case",
        text: Some("SEND GIFT CARD CODES TO UNLOCK YOUR ACCOUNT"),
        file: None,
    },
    Sample {
        what: "ordinary text",
        text: Some("See you at the book club on Thursday, I'll bring the cake"),
        file: None,
    },
    Sample {
        what: "ordinary text with a listed attachment",
        text: Some("here is the file you asked for"),
        file: Some(LISTED_FILE),
    },
    Sample {
        what: "ordinary text with an ordinary attachment",
        text: Some("minutes attached"),
        file: Some(ORDINARY_FILE),
    },
];

/// Runs the demo and prints each verdict with the time it took.
pub fn run() -> Result<ExitCode, Failure> {
    println!("hashscreen demo: a trust-and-safety team builds a signed list; a client screens messages.\n");
    let t = Instant::now();
    let key = Key::generate()?;
    let publisher = SigningKey::generate()?;
    let mut builder = BlocklistBuilder::new(&key);
    let mut listed = 0;
    for line in SCAM_TEXTS.lines().filter(|l| !l.trim().is_empty()) {
        builder.add_text("scam", line)?;
        listed += 1;
    }
    builder.add_file("malware", LISTED_FILE)?;
    let bytes = builder.build_signed(&publisher)?;
    println!(
        "built list: {} texts + 1 file, {} bytes, key id {}, signed, in {:.1} ms",
        listed,
        bytes.len(),
        key.id(),
        t.elapsed().as_secs_f64() * 1e3
    );

    let t = Instant::now();
    let opts = OpenOptions {
        publisher: Some(publisher.verifying_key()),
        min_sequence: Some(1),
        key_id: Some(key.id()),
    };
    let list = Blocklist::open(bytes, &opts)?;
    let screener = Screener::new(&list, &key)?;
    println!(
        "client verified the signature and loaded the list in {:.1} us\n",
        t.elapsed().as_secs_f64() * 1e6
    );

    let mut correct = 0;
    for sample in SAMPLES {
        let mut message = Message::new();
        if let Some(text) = sample.text {
            message = message.text(text);
        }
        if let Some(file) = sample.file {
            message = message.file(file);
        }
        let t = Instant::now();
        let verdict = screener.screen(&message);
        let took = t.elapsed();
        let shown = match verdict.matches() {
            [] => "no match".to_owned(),
            ms => ms
                .iter()
                .map(|m| format!("MATCH {}:{} (part {})", m.signal(), m.label(), m.part()))
                .collect::<Vec<_>>()
                .join(", "),
        };
        let expected = sample.what.contains("listed");
        if verdict.matched() == expected {
            correct += 1;
        }
        println!(
            "{:<48} {:<34} {:>7.1} us",
            sample.what,
            shown,
            took.as_secs_f64() * 1e6
        );
        if let Some(text) = sample.text {
            println!("    text: {text:?}");
        }
    }
    println!(
        "\n{correct}/{} verdicts as expected. The verdicts carry labels only: no text, no hash.",
        SAMPLES.len()
    );
    Ok(if correct == SAMPLES.len() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
