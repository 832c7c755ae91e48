//! `hashscreen demo --web`: the static server of the WebAssembly demo page, started on port 0
//! against a temporary directory and fetched with plain `TcpStream`s.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};

struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn site() -> PathBuf {
    let base = std::env::temp_dir().join(format!("hashscreen-demo-web-{}", std::process::id()));
    let www = base.join("www");
    std::fs::create_dir_all(www.join("pkg")).unwrap();
    std::fs::write(www.join("index.html"), "<!doctype html><title>demo</title>").unwrap();
    std::fs::write(www.join("pkg/hashscreen_bg.wasm"), b"\0asm\x01\0\0\0").unwrap();
    std::fs::write(www.join("app.js"), "console.log(1)").unwrap();
    std::fs::write(base.join("secret.txt"), "outside the served directory").unwrap();
    www
}

/// Sends a raw request; returns (status line, headers, body).
fn get(addr: &str, request_line: &str) -> (String, String, Vec<u8>) {
    let mut s = TcpStream::connect(addr).unwrap();
    write!(s, "{request_line}\r\nHost: {addr}\r\n\r\n").unwrap();
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).unwrap();
    let split = raw.windows(4).position(|w| w == b"\r\n\r\n").unwrap();
    let head = String::from_utf8(raw[..split].to_vec()).unwrap();
    let (status, headers) = head.split_once("\r\n").unwrap();
    (
        status.to_string(),
        headers.to_lowercase(),
        raw[split + 4..].to_vec(),
    )
}

#[test]
fn serves_the_page_with_mime_types_and_refuses_traversal() {
    let www = site();
    let mut child = Command::new(env!("CARGO_BIN_EXE_hashscreen"))
        .args(["demo", "--web", "--port", "0", "--dir"])
        .arg(&www)
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let _server = Server(child);
    let addr = line
        .split("http://")
        .nth(1)
        .and_then(|r| r.split('/').next())
        .unwrap_or_else(|| panic!("no address in {line:?}"))
        .to_string();

    let (status, headers, body) = get(&addr, "GET / HTTP/1.1");
    assert_eq!(status, "HTTP/1.1 200 OK");
    assert!(headers.contains("content-type: text/html"), "{headers}");
    assert_eq!(body, b"<!doctype html><title>demo</title>");

    let (status, headers, body) = get(&addr, "GET /pkg/hashscreen_bg.wasm HTTP/1.1");
    assert_eq!(status, "HTTP/1.1 200 OK");
    assert!(
        headers.contains("content-type: application/wasm"),
        "{headers}"
    );
    assert_eq!(body, b"\0asm\x01\0\0\0");

    let (_, headers, _) = get(&addr, "GET /app.js?v=1 HTTP/1.1");
    assert!(
        headers.contains("content-type: text/javascript"),
        "{headers}"
    );

    let (status, headers, body) = get(&addr, "HEAD /app.js HTTP/1.1");
    assert_eq!(status, "HTTP/1.1 200 OK");
    assert!(headers.contains("content-length: 14"), "{headers}");
    assert!(body.is_empty());

    for target in [
        "/../secret.txt",
        "/%2e%2e/secret.txt",
        "/pkg/../../secret.txt",
        "/pkg/%2E%2E%2F%2E%2E%2Fsecret.txt",
        "/..%5csecret.txt",
        "/nope.html",
    ] {
        let (status, _, body) = get(&addr, &format!("GET {target} HTTP/1.1"));
        assert_eq!(status, "HTTP/1.1 404 Not Found", "{target}");
        assert!(
            !String::from_utf8_lossy(&body).contains("outside"),
            "{target}"
        );
    }
    let (status, _, _) = get(&addr, "POST / HTTP/1.1");
    assert_eq!(status, "HTTP/1.1 405 Method Not Allowed");
}

#[test]
fn an_unbuilt_page_is_a_clear_error() {
    let empty =
        std::env::temp_dir().join(format!("hashscreen-demo-web-empty-{}", std::process::id()));
    std::fs::create_dir_all(&empty).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_hashscreen"))
        .args(["demo", "--web", "--port", "0", "--dir"])
        .arg(&empty)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("wasm/build.sh"), "{err}");
}
