//! SHA-256, the one implementation the addon uses.

use sha2::{Digest, Sha256};

pub use sha2::Sha256 as Hasher;

pub fn finish(hasher: Hasher) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let hex = |n: u8| char::from(DIGITS[usize::from(n)]);
    let digest = hasher.finalize();
    digest
        .iter()
        .flat_map(|b| [hex(b >> 4), hex(b & 0xf)])
        .collect()
}

#[cfg(test)]
pub fn sha256_hex(bytes: &[u8]) -> String {
    finish(Sha256::new_with_prefix(bytes))
}

/// Hex SHA-256 of the first `len` bytes of an open file, read with pread: the descriptor's
/// offset, which other holders of the descriptor may rely on, is left alone.
pub fn of_file(file: &std::fs::File, len: u64) -> std::io::Result<String> {
    use std::os::unix::fs::FileExt;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 256 * 1024];
    let mut offset = 0u64;
    while offset < len {
        let want = buf.len().min((len - offset) as usize);
        let n = file.read_at(&mut buf[..want], offset)?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
        offset += n as u64;
    }
    Ok(finish(hasher))
}

/// A SHA-256 digest as written in a sums file or pinned by a user: exactly 64 hex digits
/// (either case), returned in lower case. Anything else is None.
pub fn parse_hex(text: &str) -> Option<String> {
    (text.len() == 64 && text.bytes().all(|b| b.is_ascii_hexdigit()))
        .then(|| text.to_ascii_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_digest() {
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn digests_are_exactly_64_hex_digits() {
        let d = "BA7816BF8F01CFEA414140DE5DAE2223B00361A396177A9CB410FF61F20015AD";
        assert_eq!(parse_hex(d).unwrap(), d.to_ascii_lowercase());
        assert!(parse_hex(&d[1..]).is_none());
        assert!(parse_hex(&format!("{d}0")).is_none());
        assert!(parse_hex(&d.replace('B', "g")).is_none());
        assert!(parse_hex(&format!(" {}", &d[1..])).is_none());
    }
}
