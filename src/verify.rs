//! Checks a library's SHA-256 before it is loaded, when there is something to check it against:
//! a digest the user pinned, or a sums file beside a library taken from outside this package.
//! The copy shipped beside our addon was checked by the package manager at install and is not
//! hashed again on every start.

use crate::checksum;
use crate::error::{Code, WarmupError};
use crate::locate::Found;

/// A digest the user pinned, and where it was pinned (for the error message).
pub struct Pin {
    pub sha256: String,
    pub pinned_by: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Pinned,
    SumsFile,
    PackageManager,
    None,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Pinned => "pinned",
            Kind::SumsFile => "sums-file",
            Kind::PackageManager => "package-manager",
            Kind::None => "none",
        }
    }

    /// Whether this process hashed the file and found the expected digest.
    pub fn is_verified(self) -> bool {
        matches!(self, Kind::Pinned | Kind::SumsFile)
    }
}

pub struct Verification {
    pub kind: Kind,
    pub sha256: Option<String>,
}

pub fn verify(found: &Found, pin: Option<&Pin>) -> Result<Verification, WarmupError> {
    let listed = found
        .source
        .is_external()
        .then(|| checksum::listed_digest(&found.path))
        .flatten();
    if pin.is_none() && listed.is_none() {
        let kind = if found.source.is_external() {
            Kind::None
        } else {
            Kind::PackageManager
        };
        return Ok(Verification { kind, sha256: None });
    }

    let actual = checksum::sha256_file(&found.path).map_err(|err| {
        WarmupError::new(
            Code::LoadFailed,
            format!(
                "could not read {} to check its SHA-256: {err}",
                found.path.display()
            ),
        )
    })?;
    let mismatch = |expected: &str, by: &str| {
        WarmupError::new(
            Code::ChecksumMismatch,
            format!(
                "SHA-256 of {} is {actual}, but {by} expects {expected}; it was not loaded. Fix: replace the file with the matching release build, or correct {by}.",
                found.path.display()
            ),
        )
    };
    if let Some(pin) = pin {
        if pin.sha256 != actual {
            return Err(mismatch(&pin.sha256, &pin.pinned_by));
        }
    }
    if let Some((expected, sums_file)) = &listed {
        if *expected != actual {
            return Err(mismatch(expected, &sums_file.display().to_string()));
        }
    }
    let kind = if pin.is_some() {
        Kind::Pinned
    } else {
        Kind::SumsFile
    };
    Ok(Verification {
        kind,
        sha256: Some(actual),
    })
}
