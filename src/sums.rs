//! The one parser of `sha256sum` output, as upstream releases write it (`SHA256SUMS`,
//! `SHA256SUMS-darwin`): one line per file, `<64 hex>  <name>` (text mode) or `<64 hex> *<name>`
//! (binary mode), the name with or without a leading `./`. It is strict: a file that is not
//! exactly that is refused whole, since a sums file that is misread would let an unverified
//! library through.

use crate::digest;

/// Larger sums files are refused before they are read: upstream's list four files.
pub const MAX_BYTES: u64 = 1024 * 1024;

/// One line of a sums file.
#[derive(Debug)]
pub struct Entry {
    /// Without a leading `./`.
    pub name: String,
    /// Lower-case hex.
    pub sha256: String,
    /// 1-based.
    pub line: u32,
}

/// Why a sums file was refused; `line` is 1-based when one line is at fault.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Invalid {
    pub line: Option<u32>,
    pub reason: String,
}

fn invalid(line: Option<u32>, reason: impl Into<String>) -> Invalid {
    Invalid {
        line,
        reason: reason.into(),
    }
}

pub fn parse(bytes: &[u8]) -> Result<Vec<Entry>, Invalid> {
    if bytes.starts_with(b"\xEF\xBB\xBF") {
        return Err(invalid(Some(1), "starts with a UTF-8 byte-order mark"));
    }
    if bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF") {
        return Err(invalid(Some(1), "is UTF-16 text, not UTF-8"));
    }
    let text = std::str::from_utf8(bytes).map_err(|err| {
        let line = bytes[..err.valid_up_to()]
            .iter()
            .filter(|&&b| b == b'\n')
            .count()
            + 1;
        invalid(Some(line as u32), "is not valid UTF-8")
    })?;
    let body = text.strip_suffix('\n').unwrap_or(text);
    if body.is_empty() {
        return Err(invalid(None, "lists no files"));
    }
    let mut entries: Vec<Entry> = Vec::new();
    for (index, line) in body.split('\n').enumerate() {
        let number = index as u32 + 1;
        let entry = parse_line(line, number).map_err(|reason| invalid(Some(number), reason))?;
        if let Some(first) = entries.iter().find(|e| e.name == entry.name) {
            return Err(invalid(
                Some(number),
                format!(
                    "lists {} a second time (first on line {})",
                    entry.name, first.line
                ),
            ));
        }
        entries.push(entry);
    }
    Ok(entries)
}

/// A line's entry, or why it is refused (static text: one allocation, in `parse`, not one per reason).
fn parse_line(line: &str, number: u32) -> Result<Entry, &'static str> {
    if line.is_empty() {
        return Err("is empty");
    }
    if line.contains('\r') {
        return Err("ends in a carriage return (CRLF line endings)");
    }
    if line.starts_with('\\') {
        return Err("is an escaped entry (sha256sum writes these for names with a backslash or newline; release names have none)");
    }
    let (hex, rest) = line
        .split_at_checked(64)
        .ok_or("is not `<64 hex digits>  <file name>`")?;
    let sha256 = digest::parse_hex(hex).ok_or("does not start with a 64-digit hex SHA-256")?;
    let name = rest
        .strip_prefix("  ")
        .or_else(|| rest.strip_prefix(" *"))
        .ok_or("does not separate digest and name with two spaces or ` *`")?;
    let name = name.strip_prefix("./").unwrap_or(name);
    if name.is_empty() {
        return Err("has no file name");
    }
    if name.chars().any(char::is_control) {
        return Err("has a control character in its file name");
    }
    Ok(Entry {
        name: name.to_owned(),
        sha256,
        line: number,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const A: &str = "14b82feb6d68978d7a797a177f566b4c7c62b1d369c44839ca6a8952a9088638";
    const B: &str = "52a170874307e08cc328950f425470b9b0d7dfb3fef9046591b64db32b2c7560";

    fn reason(text: &[u8]) -> (Option<u32>, String) {
        let err = parse(text).unwrap_err();
        (err.line, err.reason)
    }

    #[test]
    fn upstream_format() {
        let text = format!("{A}  ./go-warmup-linux-x64.so\n{B}  ./go-warmup-linux-arm64.so\n");
        let entries = parse(text.as_bytes()).unwrap();
        assert_eq!(entries.len(), 2);
        assert_eq!(entries[0].name, "go-warmup-linux-x64.so");
        assert_eq!(entries[1].sha256, B);
        assert_eq!(entries[1].line, 2);
    }

    #[test]
    fn binary_mode_bare_names_no_final_newline_upper_case() {
        let text = format!("{} *a.so\n{B}  b.so", A.to_uppercase());
        let entries = parse(text.as_bytes()).unwrap();
        assert_eq!(entries[0].sha256, A);
        assert_eq!(entries[0].name, "a.so");
        assert_eq!(entries[1].name, "b.so");
    }

    #[test]
    fn refuses_encodings() {
        let line = format!("{A}  ./a.so\n");
        assert_eq!(
            reason(&[b"\xEF\xBB\xBF", line.as_bytes()].concat()).0,
            Some(1)
        );
        assert!(reason(&[b"\xFF\xFE", line.as_bytes()].concat())
            .1
            .contains("UTF-16"));
        let bad = [line.as_bytes(), b"x\xC3(\n"].concat();
        assert_eq!(reason(&bad), (Some(2), "is not valid UTF-8".to_owned()));
    }

    #[test]
    fn refuses_malformed_lines() {
        for (text, why) in [
            (format!("{}  ./a.so", &A[1..]), "64-digit"),
            (format!("{A} ./a.so"), "two spaces"),
            (format!("{A}\t./a.so"), "two spaces"),
            (format!("\\{A}  ./a\\nb.so"), "escaped"),
            (format!("{A}  ./a.so\r\n"), "carriage return"),
            (format!("{A}  ./a.so\n\n{B}  ./b.so"), "is empty"),
            (format!("{A}  ./"), "no file name"),
            ("short".to_owned(), "64 hex digits"),
            (String::new(), "lists no files"),
        ] {
            let got = reason(text.as_bytes()).1;
            assert!(got.contains(why), "{text:?}: {got}");
        }
    }

    #[test]
    fn refuses_a_name_listed_twice() {
        let text = format!("{A}  ./a.so\n{B}  a.so\n");
        assert_eq!(
            reason(text.as_bytes()),
            (
                Some(2),
                "lists a.so a second time (first on line 1)".to_owned()
            )
        );
    }
}
