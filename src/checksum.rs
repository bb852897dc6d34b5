//! SHA-256 of a library file, and the upstream sums files that may sit beside it
//! (`SHA256SUMS` for linux, `SHA256SUMS-darwin` for macOS; lines `<hex>  ./<file>`).

use sha2::{Digest, Sha256};
use std::fs::File;
use std::io::{self, Read};
use std::path::Path;

const SUMS_FILES: [&str; 2] = ["SHA256SUMS", "SHA256SUMS-darwin"];

/// Lower-case hex SHA-256 of a file, read in 64 KiB chunks (no whole-file buffer).
pub fn sha256_file(path: &Path) -> io::Result<String> {
    let mut file = File::open(path)?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        let n = file.read(&mut buf)?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
    }
    Ok(hex(&hasher.finalize()))
}

fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        out.push(DIGITS[(b >> 4) as usize] as char);
        out.push(DIGITS[(b & 0xf) as usize] as char);
    }
    out
}

/// A digest some sums file beside `library` lists for its file name, with that sums file's path.
pub fn listed_digest(library: &Path) -> Option<(String, std::path::PathBuf)> {
    let dir = library.parent()?;
    let name = library.file_name()?.to_str()?;
    SUMS_FILES.iter().find_map(|sums_name| {
        let sums_path = dir.join(sums_name);
        let text = std::fs::read_to_string(&sums_path).ok()?;
        find_in_sums(&text, name).map(|digest| (digest, sums_path))
    })
}

/// Accepts the coreutils forms `<hex>  name`, `<hex>  ./name` and `<hex> *name`.
fn find_in_sums(text: &str, name: &str) -> Option<String> {
    text.lines().find_map(|line| {
        let (digest, file) = line.trim().split_once(char::is_whitespace)?;
        let file = file.trim_start();
        let file = file.strip_prefix('*').unwrap_or(file);
        let file = file.strip_prefix("./").unwrap_or(file);
        (file == name && is_sha256_hex(digest)).then(|| digest.to_ascii_lowercase())
    })
}

fn is_sha256_hex(s: &str) -> bool {
    s.len() == 64 && s.bytes().all(|b| b.is_ascii_hexdigit())
}
