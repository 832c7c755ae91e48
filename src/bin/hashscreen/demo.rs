//! `hashscreen demo`: the main job on built-in fixtures.

use std::process::ExitCode;
use std::time::Instant;

use hashscreen::{Blocklist, BlocklistBuilder, Key, Message, OpenOptions, Screener, SigningKey};

use crate::Failure;

const SCAM_TEXTS: &str = include_str!("../../../fixtures/demo/scam-texts.txt");
const LISTED_FILE: &[u8] = include_bytes!("../../../fixtures/demo/listed-attachment.txt");
const ORDINARY_FILE: &[u8] = include_bytes!("../../../fixtures/demo/ordinary-attachment.txt");
const LISTED_IMAGE: &[u8] = include_bytes!("../../../fixtures/images/corpus/0015.jpg");
const UNLISTED_IMAGE: &[u8] = include_bytes!("../../../fixtures/images/corpus/0020.jpg");
const PHISHING_URLS: &str = include_str!("../../../fixtures/demo/phishing-urls.txt");

/// One sample message: a description, its parts, and whether it should match.
struct Sample {
    what: &'static str,
    text: Option<&'static str>,
    file: Option<&'static [u8]>,
    expect: bool,
}

const fn text(what: &'static str, text: &'static str, expect: bool) -> Sample {
    Sample {
        what,
        text: Some(text),
        file: None,
        expect,
    }
}

const SAMPLES: &[Sample] = &[
    text(
        "listed scam, lower case",
        "your package is on hold. pay the customs fee here to release it",
        true,
    ),
    text(
        "listed scam, full-width letters",
        "Ｃｏｎｇｒａｔｕｌａｔｉｏｎｓ! You have won an iPhone. Claim your prize now",
        true,
    ),
    text(
        "listed scam, leetspeak",
        "S3nd g1ft c4rd c0des to unl0ck your acc0unt",
        true,
    ),
    text(
        "listed scam, Cyrillic look-alikes + zero-width",
        "Dоublе yоur crурtо\u{200b} in 24 hours, guaranteed",
        true,
    ),
    text(
        "listed scam, spaced and dotted letters",
        "F R E E  D.i.s.c.o.r.d  Nitro, log in with your account to claim",
        true,
    ),
    text(
        "scam template with words changed",
        "Hello! Your parcel is on hold. Pay the customs fee here to get it today",
        true,
    ),
    text(
        "defanged phishing link in text",
        "urgent: verify at hxxps://account-verify[.]example/secure/login now",
        true,
    ),
    text(
        "link to a subdomain of a listed domain",
        "claim here: https://gift.free-nitro.example/claim?u=1",
        true,
    ),
    text(
        "ordinary text",
        "See you at the book club on Thursday, I'll bring the cake",
        false,
    ),
    text(
        "ordinary text with an ordinary link",
        "the recipe is at https://cooking.example/cake",
        false,
    ),
    text(
        "ordinary text with an amount",
        "can you send $500 for the rent?",
        false,
    ),
    Sample {
        what: "ordinary text with a listed attachment",
        text: Some("here is the file you asked for"),
        file: Some(LISTED_FILE),
        expect: true,
    },
    Sample {
        what: "ordinary text with an ordinary attachment",
        text: Some("minutes attached"),
        file: Some(ORDINARY_FILE),
        expect: false,
    },
];

/// An image sample: a description, the image bytes, and whether it should match.
struct ImageSample {
    what: &'static str,
    bytes: Vec<u8>,
    expect: bool,
}

/// The image samples: the listed photo, the same photo with different bytes (a trailer after the
/// JPEG end marker, as apps add), another photo, and a flat grey picture.
fn image_samples() -> Result<Vec<ImageSample>, Failure> {
    let mut retagged = LISTED_IMAGE.to_vec();
    retagged.extend_from_slice(b"trailing metadata added by an app");
    let mut flat = Vec::new();
    image::DynamicImage::ImageLuma8(image::GrayImage::from_pixel(64, 64, image::Luma([128])))
        .write_to(
            &mut std::io::Cursor::new(&mut flat),
            image::ImageFormat::Png,
        )
        .map_err(|e| crate::fail(format!("demo image: {e}")))?;
    Ok(vec![
        ImageSample {
            what: "listed photo",
            bytes: LISTED_IMAGE.to_vec(),
            expect: true,
        },
        ImageSample {
            what: "listed photo, different bytes (same pixels)",
            bytes: retagged,
            expect: true,
        },
        ImageSample {
            what: "unlisted photo",
            bytes: UNLISTED_IMAGE.to_vec(),
            expect: false,
        },
        ImageSample {
            what: "flat grey picture (too plain to hash)",
            bytes: flat,
            expect: false,
        },
    ])
}

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
    builder.add_image("known-images", LISTED_IMAGE)?;
    let mut urls = 0;
    for line in PHISHING_URLS.lines().filter(|l| !l.trim().is_empty()) {
        builder.add_url("phishing", line.trim())?;
        urls += 1;
    }
    let bytes = builder.build_signed(&publisher)?;
    println!(
        "built list: {} texts + {} URLs + 1 file + 1 image, {} bytes, key id {}, signed, in {:.1} ms",
        listed,
        urls,
        bytes.len(),
        key.id(),
        t.elapsed().as_secs_f64() * 1e3
    );

    let t = Instant::now();
    let opts = OpenOptions {
        publisher: Some(publisher.verifying_key()),
        min_sequence: Some(1),
        key_id: Some(key.id()),
        ..Default::default()
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
        let shown = describe(&verdict);
        let ok = verdict.matched() == sample.expect;
        if ok {
            correct += 1;
        }
        report(sample.what, &shown, took, ok);
        if let Some(text) = sample.text {
            println!("    text: {text:?}");
        }
    }
    let images = image_samples()?;
    println!();
    for sample in &images {
        let t = Instant::now();
        let verdict = screener.screen(&Message::new().image(&sample.bytes));
        let took = t.elapsed();
        let mut shown = describe(&verdict);
        if let Some(u) = verdict.unscreened().first() {
            shown = format!("{shown} [not hashed: {}]", u.reason());
        }
        let ok = verdict.matched() == sample.expect;
        if ok {
            correct += 1;
        }
        report(sample.what, &shown, took, ok);
    }
    let total = SAMPLES.len() + images.len();
    println!("\n{correct}/{total} verdicts as expected. The verdicts carry labels only: no text, no hash.");
    Ok(if correct == total {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

fn report(what: &str, shown: &str, took: std::time::Duration, ok: bool) {
    let mark = if ok { "" } else { "  <- UNEXPECTED" };
    println!(
        "{what:<46} {shown:<48} {:>8.1} us{mark}",
        took.as_secs_f64() * 1e6
    );
}

/// "MATCH label (signals); ..." or "no match".
fn describe(verdict: &hashscreen::Verdict) -> String {
    let mut labels: Vec<(&str, Vec<&str>)> = Vec::new();
    for m in verdict.matches() {
        match labels.iter_mut().find(|(l, _)| *l == m.label()) {
            Some((_, signals)) => signals.push(m.signal().name()),
            None => labels.push((m.label(), vec![m.signal().name()])),
        }
    }
    if labels.is_empty() {
        return "no match".to_owned();
    }
    labels
        .iter()
        .map(|(l, s)| format!("MATCH {l} ({})", s.join(", ")))
        .collect::<Vec<_>>()
        .join("; ")
}
