//! File input and output for the CLI: bounded reads, atomic writes, key files.

use std::fs;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use hashscreen::{Blocklist, Key, OpenOptions, SigningKey, VerifyingKey};

use crate::{fail, Failure};

/// Largest blocklist or delta file the CLI reads.
pub const MAX_LIST_BYTES: u64 = 4 << 30;
/// Largest file the CLI screens or lists.
pub const MAX_INPUT_BYTES: u64 = 1 << 30;
/// Largest key or text-list file.
const MAX_SMALL_FILE: u64 = 256 << 20;

/// Reads a whole file, refusing files larger than `limit` before reading them.
pub fn read_file_limited(path: &Path, limit: u64) -> Result<Vec<u8>, Failure> {
    let file = fs::File::open(path).map_err(|e| fail(format!("{}: {e}", path.display())))?;
    let meta = file
        .metadata()
        .map_err(|e| fail(format!("{}: {e}", path.display())))?;
    if !meta.is_file() {
        return Err(fail(format!("{}: not a regular file", path.display())));
    }
    if meta.len() > limit {
        return Err(fail(format!(
            "{}: file too large ({} bytes, limit {limit})",
            path.display(),
            meta.len()
        )));
    }
    let mut out = Vec::with_capacity(meta.len() as usize);
    file.take(limit + 1)
        .read_to_end(&mut out)
        .map_err(|e| fail(format!("{}: {e}", path.display())))?;
    if out.len() as u64 > limit {
        return Err(fail(format!(
            "{}: file grew past the limit while reading",
            path.display()
        )));
    }
    Ok(out)
}

/// Reads a file to screen or list.
pub fn read_input_file(path: &Path) -> Result<Vec<u8>, Failure> {
    read_file_limited(path, MAX_INPUT_BYTES)
}

/// Reads a UTF-8 text file.
pub fn read_text(path: &Path) -> Result<String, Failure> {
    String::from_utf8(read_file_limited(path, MAX_SMALL_FILE)?).map_err(|e| {
        fail(format!(
            "{}: not UTF-8 (byte {})",
            path.display(),
            e.utf8_error().valid_up_to()
        ))
    })
}

/// Calls `f` with each line (1-based number, text without the line ending) of a UTF-8 list file,
/// reading it as a stream: memory stays at one line of at most `max_line` bytes, whatever the file
/// size. A longer line, or one that is not UTF-8, stops the read with an error naming the line.
pub fn for_each_line(
    path: &Path,
    max_line: usize,
    mut f: impl FnMut(usize, &str) -> Result<(), Failure>,
) -> Result<(), Failure> {
    use std::io::BufRead;
    let shown = path.display();
    let file = fs::File::open(path).map_err(|e| fail(format!("{shown}: {e}")))?;
    let meta = file.metadata().map_err(|e| fail(format!("{shown}: {e}")))?;
    if !meta.is_file() {
        return Err(fail(format!("{shown}: not a regular file")));
    }
    let mut reader = std::io::BufReader::new(file);
    let mut line = Vec::new();
    let mut n = 0;
    loop {
        line.clear();
        n += 1;
        // At most `max_line` bytes plus "\r\n" are buffered: a longer line is refused here.
        let cap = max_line as u64 + 2;
        let read = (&mut reader)
            .take(cap)
            .read_until(b'\n', &mut line)
            .map_err(|e| fail(format!("{shown}:{n}: {e}")))?;
        if read == 0 {
            return Ok(());
        }
        let ended = line.last() == Some(&b'\n');
        if ended {
            line.pop();
            if line.last() == Some(&b'\r') {
                line.pop();
            }
        }
        if line.len() > max_line || (!ended && read as u64 == cap) {
            return Err(fail(format!(
                "{shown}:{n}: line longer than {max_line} bytes"
            )));
        }
        let text = std::str::from_utf8(&line)
            .map_err(|e| fail(format!("{shown}:{n}: not UTF-8 (byte {})", e.valid_up_to())))?;
        f(n, text)?;
    }
}

/// Reads a deployment key file (64 hex digits). The key bytes are never echoed in errors.
pub fn read_key(path: &Path) -> Result<Key, Failure> {
    let text = read_text(path)?;
    Key::from_hex(&text).map_err(|e| fail(format!("{}: not a hashscreen key: {e}", path.display())))
}

/// Reads a publisher signing key file.
pub fn read_signing_key(path: &Path) -> Result<SigningKey, Failure> {
    let text = read_text(path)?;
    SigningKey::from_hex(&text)
        .map_err(|e| fail(format!("{}: not a signing key: {e}", path.display())))
}

/// Reads a publisher public key file.
pub fn read_public_key(path: &Path) -> Result<VerifyingKey, Failure> {
    let text = read_text(path)?;
    VerifyingKey::from_hex(&text).map_err(|e| {
        fail(format!(
            "{}: not a publisher public key: {e}",
            path.display()
        ))
    })
}

/// Reads and verifies a full blocklist.
pub fn read_list(path: &Path, opts: &OpenOptions) -> Result<Blocklist, Failure> {
    let bytes = read_file_limited(path, MAX_LIST_BYTES)?;
    Blocklist::open(bytes, opts).map_err(|e| fail(format!("{}: {e}", path.display())))
}

/// All regular files under `dir`, recursively, sorted by path (symlinks are not followed).
pub fn list_files(dir: &Path) -> Result<Vec<PathBuf>, Failure> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let entries = fs::read_dir(&d).map_err(|e| fail(format!("{}: {e}", d.display())))?;
        for entry in entries {
            let entry = entry.map_err(|e| fail(format!("{}: {e}", d.display())))?;
            let ty = entry
                .file_type()
                .map_err(|e| fail(format!("{}: {e}", entry.path().display())))?;
            if ty.is_dir() {
                stack.push(entry.path());
            } else if ty.is_file() {
                out.push(entry.path());
            }
        }
    }
    out.sort();
    Ok(out)
}

/// `path` with `suffix` appended to its file name.
pub fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut s = path.as_os_str().to_owned();
    s.push(suffix);
    PathBuf::from(s)
}

fn temp_path(path: &Path) -> PathBuf {
    with_suffix(path, &format!(".tmp-{}", std::process::id()))
}

/// Writes `bytes` to `path` atomically: a temporary file in the same directory, synced, renamed.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), Failure> {
    write_via_temp(path, bytes, false)
}

/// Writes a secret to a new file (mode 0600 on Unix); refuses to overwrite an existing file.
pub fn write_new_secret(path: &Path, bytes: &[u8]) -> Result<(), Failure> {
    if path.exists() {
        return Err(fail(format!(
            "{}: exists; refusing to overwrite a key",
            path.display()
        )));
    }
    write_via_temp(path, bytes, true)
}

fn write_via_temp(path: &Path, bytes: &[u8], secret: bool) -> Result<(), Failure> {
    let tmp = temp_path(path);
    let result = (|| -> std::io::Result<()> {
        let mut opts = fs::OpenOptions::new();
        opts.write(true).create_new(true);
        #[cfg(unix)]
        if secret {
            use std::os::unix::fs::OpenOptionsExt;
            opts.mode(0o600);
        }
        let mut f = opts.open(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        if secret && path.exists() {
            return Err(std::io::Error::new(
                std::io::ErrorKind::AlreadyExists,
                "exists",
            ));
        }
        fs::rename(&tmp, path)
    })();
    if let Err(e) = result {
        let _ = fs::remove_file(&tmp);
        return Err(fail(format!("{}: {e}", path.display())));
    }
    Ok(())
}
