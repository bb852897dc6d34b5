//! The codes of the addon's errors. Written by scripts/sync-versions.js from scripts/lib/error-codes.js:
//! do not edit (`npm run sync-versions` rewrites it; its `--check`, in the suite, fails when it is
//! stale). Each code's meaning and fix: README's error table. The rest of the error type is
//! hand-written, in src/error.rs.

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Code {
    UnsupportedPlatform,
    NotFound,
    LoadFailed,
    SymbolMissing,
    ChecksumMismatch,
    SumsInvalid,
    BadResult,
    AlreadyWarmed,
    InvalidOption,
    Internal,
}

/// The fix wherever the process is out of file descriptors.
pub const RAISE_FILE_LIMIT: &str = "raise the open-files limit (`ulimit -n`, systemd's LimitNOFILE, docker run --ulimit nofile=...) or close the descriptors the app leaks";

impl Code {
    /// The `code` of the JS error (napi-rs makes an error's status string its `code`).
    pub fn as_str(self) -> &'static str {
        match self {
            Code::UnsupportedPlatform => "ERR_ASHERAH_WARMUP_UNSUPPORTED_PLATFORM",
            Code::NotFound => "ERR_ASHERAH_WARMUP_NOT_FOUND",
            Code::LoadFailed => "ERR_ASHERAH_WARMUP_LOAD_FAILED",
            Code::SymbolMissing => "ERR_ASHERAH_WARMUP_SYMBOL_MISSING",
            Code::ChecksumMismatch => "ERR_ASHERAH_WARMUP_CHECKSUM_MISMATCH",
            Code::SumsInvalid => "ERR_ASHERAH_WARMUP_SUMS_INVALID",
            Code::BadResult => "ERR_ASHERAH_WARMUP_BAD_RESULT",
            Code::AlreadyWarmed => "ERR_ASHERAH_WARMUP_ALREADY_WARMED",
            Code::InvalidOption => "ERR_ASHERAH_WARMUP_INVALID_OPTION",
            Code::Internal => "ERR_ASHERAH_WARMUP_INTERNAL",
        }
    }
}
