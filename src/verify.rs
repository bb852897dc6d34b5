//! How a library is verified before it is loaded, and the check itself. A digest the user
//! pinned always applies; a library from outside this package is also checked against the
//! platform's sums file beside it, when one is there. Fail closed: a sums file that is there but
//! cannot be read, is malformed, or does not list the library stops the load. The copy shipped
//! beside our addon was checked by the package manager at install and is not hashed again on
//! every start (pin a digest to have it hashed anyway).

use crate::error::{shown, Code, WarmupError};
use crate::locate::{Located, Source};
use crate::platform::{LIBRARY_NAME, SUMS_NAME};
use crate::regular_file::{self, Problem};
use crate::{digest, sums};
use napi_derive::napi;
use std::io::Read;
use std::path::{Path, PathBuf};

crate::kinds::string_enum! {
    /// How a library's integrity was established before it was loaded.
    pub enum Verification {
        /// Hashed and matched a pinned digest (and the sums file, if there was one).
        Pinned = "pinned",
        /// Hashed and matched the sums file beside it.
        SumsFile = "sums-file",
        /// Shipped in our platform package; the package manager checked it at install.
        PackageManager = "package-manager",
        /// From outside the package with no sums file beside it and no pin.
        None = "none",
    }
}

impl Verification {
    /// Whether this process hashed the file and found the expected digest.
    pub fn is_verified(self) -> bool {
        matches!(self, Verification::Pinned | Verification::SumsFile)
    }
}

/// Which setting pinned a digest.
#[napi(string_enum = "lowercase")]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PinSource {
    /// `warmup({ sha256 })`
    Option,
    /// `ASHERAH_WARMUP_SHA256`
    Env,
}

impl PinSource {
    fn describe(self) -> &'static str {
        match self {
            PinSource::Option => "the sha256 option",
            PinSource::Env => "ASHERAH_WARMUP_SHA256",
        }
    }
}

pub struct Pin {
    pub sha256: String,
    pub by: PinSource,
}

impl Pin {
    /// Validates a pinned digest as strictly as a sums file's: 64 hex digits, nothing else.
    pub fn parse(raw: &str, by: PinSource) -> Result<Pin, WarmupError> {
        digest::parse_hex(raw)
            .map(|sha256| Pin { sha256, by })
            .ok_or_else(|| {
                WarmupError::new(
                    Code::InvalidOption,
                    format!(
                        "{} must be 64 hexadecimal characters (a SHA-256 digest), got {raw:?}. Fix: copy the digest from the release's {SUMS_NAME}.",
                        by.describe(),
                    ),
                )
            })
    }
}

/// The digest a sums file beside the library lists for it.
pub struct Listed {
    pub sums_file: PathBuf,
    pub sha256: String,
    pub line: u32,
}

/// What the load will be checked against.
pub struct Method {
    pub pin: Option<Pin>,
    pub listed: Option<Listed>,
    pub source: Source,
}

impl Method {
    pub fn kind(&self) -> Verification {
        match (&self.pin, &self.listed) {
            (Some(_), _) => Verification::Pinned,
            (None, Some(_)) => Verification::SumsFile,
            (None, None) if self.source.is_external() => Verification::None,
            (None, None) => Verification::PackageManager,
        }
    }

    /// The digest the library must have (the pin's when both are given; both are checked).
    pub fn expected(&self) -> Option<&str> {
        self.pin
            .as_ref()
            .map(|p| p.sha256.as_str())
            .or(self.listed.as_ref().map(|l| l.sha256.as_str()))
    }

    /// Checks the hash of the bytes that are about to be mapped.
    pub fn check(&self, library: &Path, actual: &str) -> Result<(), WarmupError> {
        // The pin's digest first: it is the one the user chose.
        let (expected, by) = match (&self.pin, &self.listed) {
            (Some(pin), _) if pin.sha256 != actual => (&pin.sha256, pin.by.describe().to_owned()),
            (_, Some(l)) if l.sha256 != actual => {
                (&l.sha256, format!("{}:{}", shown(&l.sums_file), l.line))
            }
            _ => return Ok(()),
        };
        Err(WarmupError::new(
            Code::ChecksumMismatch,
            format!(
                "SHA-256 of {} is {actual}, but {by} expects {expected}; it was not loaded. Fix: replace the file with the matching release build, or correct {by}.",
                shown(library)
            ),
        ))
    }
}

/// The sums file that came with a library Bun's bundler embedded: its path and bytes.
pub type EmbeddedSums = (PathBuf, Vec<u8>);

/// How `located` will be verified. `embedded_sums` is the sums file that came with embedded bytes;
/// any other library from outside our package is checked against the sums file beside it.
pub fn method(
    located: &Located,
    pin: Option<Pin>,
    embedded_sums: Option<EmbeddedSums>,
) -> Result<Method, WarmupError> {
    let listed = match embedded_sums {
        Some((file, bytes)) => Some(listed_in(&bytes, file, LIBRARY_NAME, &located.path)?),
        None if located.source.is_external() => beside(&located.path)?,
        None => None,
    };
    Ok(Method {
        pin,
        listed,
        source: located.source,
    })
}

fn sums_invalid(sums_file: &Path, at: Option<u32>, why: &str, library: &Path) -> WarmupError {
    let place = match at {
        Some(line) => format!("{}:{line}", shown(sums_file)),
        None => shown(sums_file),
    };
    WarmupError::new(
        Code::SumsInvalid,
        format!(
            "{place} {why}, so {} cannot be verified and was not loaded. Fix: replace {SUMS_NAME} with the release's own (lines `<sha256>  ./<file>`), or remove it to load the library unverified.",
            shown(library)
        ),
    )
}

/// The bytes of the sums file for `library`, read without ever blocking or reading without
/// bound; None when there is none.
pub fn read_sums(sums_file: &Path, library: &Path) -> Result<Option<Vec<u8>>, WarmupError> {
    let opened = match regular_file::open(sums_file, sums::MAX_BYTES) {
        Ok(opened) => opened,
        Err(Problem::Missing) => return Ok(None),
        Err(problem) => return Err(sums_invalid(sums_file, None, &problem.describe(), library)),
    };
    let mut bytes = Vec::with_capacity(opened.len as usize);
    opened
        .file
        .take(sums::MAX_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|err| {
            sums_invalid(sums_file, None, &format!("cannot be read ({err})"), library)
        })?;
    Ok(Some(bytes))
}

/// The platform's sums file beside `library`; None when there is none.
fn beside(library: &Path) -> Result<Option<Listed>, WarmupError> {
    let Some(dir) = library.parent() else {
        return Ok(None);
    };
    let sums_file = dir.join(SUMS_NAME);
    let Some(bytes) = read_sums(&sums_file, library)? else {
        return Ok(None);
    };
    let name = library
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    listed_in(&bytes, sums_file, &name, library).map(Some)
}

/// The digest a sums file's bytes list for `name`, strictly parsed.
fn listed_in(
    bytes: &[u8],
    sums_file: PathBuf,
    name: &str,
    library: &Path,
) -> Result<Listed, WarmupError> {
    if bytes.len() as u64 > sums::MAX_BYTES {
        let why = format!("is larger than the {}-byte limit", sums::MAX_BYTES);
        return Err(sums_invalid(&sums_file, None, &why, library));
    }
    let entry = sums::parse(bytes)
        .map_err(|bad| sums_invalid(&sums_file, bad.line, &bad.reason, library))?
        .into_iter()
        .find(|e| e.name == name)
        .ok_or_else(|| sums_invalid(&sums_file, None, &format!("does not list {name}"), library))?;
    Ok(Listed {
        sums_file,
        sha256: entry.sha256,
        line: entry.line,
    })
}

#[cfg(test)]
#[path = "verify_tests.rs"]
mod tests;
