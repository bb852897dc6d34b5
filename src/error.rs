//! The failures the addon can report, each with the stable `code` JS callers match on.

use std::fmt;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Code {
    UnsupportedPlatform,
    NotFound,
    LoadFailed,
    SymbolMissing,
    ChecksumMismatch,
    BadResult,
}

impl Code {
    pub fn as_str(self) -> &'static str {
        match self {
            Code::UnsupportedPlatform => "ERR_ASHERAH_WARMUP_UNSUPPORTED_PLATFORM",
            Code::NotFound => "ERR_ASHERAH_WARMUP_NOT_FOUND",
            Code::LoadFailed => "ERR_ASHERAH_WARMUP_LOAD_FAILED",
            Code::SymbolMissing => "ERR_ASHERAH_WARMUP_SYMBOL_MISSING",
            Code::ChecksumMismatch => "ERR_ASHERAH_WARMUP_CHECKSUM_MISMATCH",
            Code::BadResult => "ERR_ASHERAH_WARMUP_BAD_RESULT",
        }
    }
}

#[derive(Clone, Debug)]
pub struct WarmupError {
    pub code: Code,
    pub message: String,
}

impl WarmupError {
    pub fn new(code: Code, message: impl Into<String>) -> Self {
        WarmupError {
            code,
            message: message.into(),
        }
    }
}

impl fmt::Display for WarmupError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl From<WarmupError> for napi::Error<String> {
    /// napi-rs turns the status string of an error into the JS error's `code` property.
    fn from(err: WarmupError) -> Self {
        napi::Error::new(
            err.code.as_str().to_owned(),
            format!("asherah-warmup: {}", err.message),
        )
    }
}
