//! The napi-rs binding of asherah-warmup: the only module that speaks Node-API. Each job lives
//! in its own module; lib/api.js is the public API and decides when any of this is called.

mod digest;
mod error;
mod image;
mod kinds;
mod loader;
mod locate;
mod object_file;
mod platform;
mod process;
mod regular_file;
mod signals;
mod sums;
#[cfg(test)]
mod test_support;
mod verify;
mod warmup;

use error::WarmupError;
use locate::Source;
use napi::bindgen_prelude::Uint8Array;
use napi_derive::napi;
use std::path::PathBuf;
use verify::{Pin, PinSource};

/// warmup()'s and plan()'s input from JS: the explicit choices, as the user gave them.
#[napi(object)]
pub struct WarmupRequest {
    /// Absolute path chosen explicitly by the user.
    pub library: Option<String>,
    /// Which explicit setting `library` came from: `option` or `env`.
    pub library_source: Option<Source>,
    /// A digest the library must have, exactly as given (validated here).
    pub sha256: Option<String>,
    pub sha256_source: Option<PinSource>,
    /// Where Bun's bundler embedded them (an executable, a bundle): the library and sums file.
    pub embedded: Option<EmbeddedFiles>,
    /// asherah-node's package folder: given once the core answered NOT_FOUND without it.
    pub asherah_node: Option<String>,
    pub repair_signals: bool,
}

/// Files Bun's bundler embedded: inside a `bun build --compile` executable, with their bytes,
/// which only JS can read (Bun's /$bunfs paths); or copied beside a `bun build` bundle, without:
/// the core opens them (warmup.rs Embedded).
#[napi(object)]
pub struct EmbeddedFiles {
    /// Where the library is embedded (for messages and status).
    pub library: String,
    pub library_bytes: Option<Uint8Array>,
    /// Where the platform package's sums file is embedded.
    pub sums_file: String,
    pub sums_bytes: Option<Uint8Array>,
}

impl WarmupRequest {
    fn into_request(self) -> Result<warmup::Request, WarmupError> {
        let source = self.library_source.unwrap_or(Source::Option);
        let by = self.sha256_source.unwrap_or(PinSource::Option);
        Ok(warmup::Request {
            library: self.library.map(|path| (PathBuf::from(path), source)),
            pin: self.sha256.map(|raw| Pin::parse(&raw, by)).transpose()?,
            embedded: self.embedded.map(|files| warmup::Embedded {
                library: PathBuf::from(files.library),
                library_bytes: files.library_bytes.map(|bytes| bytes.to_vec()),
                sums_file: PathBuf::from(files.sums_file),
                sums_bytes: files.sums_bytes.map(|bytes| bytes.to_vec()),
            }),
            asherah_node: self.asherah_node.map(PathBuf::from),
            repair_signals: self.repair_signals,
        })
    }
}

/// An export's body, with a panic (a bug in this addon) turned into ERR_ASHERAH_WARMUP_INTERNAL.
/// Uncaught, the panic would reach napi-rs's extern "C" callback, where Rust aborts the user's
/// process (napi-rs's own `catch_unwind` would throw, with its GenericFailure code).
fn guarded<T>(body: impl FnOnce() -> Result<T, WarmupError>) -> napi::Result<T, String> {
    caught(body).map_err(Into::into)
}

/// `guarded` before the N-API error type, which unit tests can run (a napi::Error needs Node-API
/// to be dropped).
fn caught<T>(body: impl FnOnce() -> Result<T, WarmupError>) -> Result<T, WarmupError> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(body))
        .unwrap_or_else(|payload| Err(error::internal(&*payload)))
}

/// Warms up once per process.
#[napi]
pub fn warmup(request: WarmupRequest) -> napi::Result<warmup::NativeStatus, String> {
    guarded(|| warmup::warmup(request.into_request()?))
}

/// What warmup() would do with this request, without loading anything.
#[napi]
pub fn plan(request: WarmupRequest) -> napi::Result<warmup::Plan, String> {
    guarded(|| Ok(warmup::plan(request.into_request()?)))
}

/// The status every realm and copy of this package in this process shares, or null before a
/// library was loaded.
#[napi]
pub fn settled_status() -> napi::Result<Option<warmup::NativeStatus>, String> {
    guarded(|| Ok(warmup::settled_status()))
}

/// Repairs what any Go runtime started in this process did to Bun's signal handlers; SIGPIPE not
/// where the app's handler had it (`appHandlesSigpipe()` before the load, or the app's listeners).
#[napi]
pub fn repair_signals(app_handles_sigpipe: bool) -> napi::Result<signals::SignalReport, String> {
    guarded(|| Ok(signals::repair(app_handles_sigpipe)))
}

/// Whether the app's SIGPIPE handler is in place now: read before a native module load, for the repair after it.
#[napi]
pub fn app_handles_sigpipe() -> napi::Result<bool, String> {
    guarded(|| Ok(signals::app_handles_sigpipe()))
}

/// This addon's own `.node` file, as the loader recorded it.
#[napi]
pub fn addon_file() -> napi::Result<Option<String>, String> {
    guarded(|| Ok(locate::addon_path().map(|path| path.to_string_lossy().into_owned())))
}

#[cfg(test)]
mod tests {
    use super::{caught, WarmupError};
    use crate::error::Code;

    #[test]
    fn a_panic_in_a_body_is_an_internal_error_naming_it() {
        let err = caught(|| -> Result<(), WarmupError> { panic!("boom at {}", 7) }).unwrap_err();
        assert_eq!(err.code, Code::Internal);
        assert!(
            err.message.starts_with("internal error (boom at 7)."),
            "{}",
            err.message
        );
        let err = caught(|| -> Result<(), WarmupError> { panic!("static") }).unwrap_err();
        assert!(
            err.message.starts_with("internal error (static)."),
            "{}",
            err.message
        );
        let passed = caught(|| Err::<(), _>(WarmupError::new(Code::NotFound, "x"))).unwrap_err();
        assert_eq!(passed.code, Code::NotFound);
        assert_eq!(caught(|| Ok(7)).unwrap(), 7);
    }

    /// Every export runs its body through `guarded`: unguarded, a panic would abort the user's process.
    #[test]
    fn every_export_runs_its_body_guarded() {
        let source = include_str!("lib.rs");
        let exports: Vec<&str> = source.split("#[napi]\npub fn ").skip(1).collect();
        assert!(exports.len() >= 5, "found only {} exports", exports.len());
        for export in exports {
            let body = &export[..export.find("\n}\n").expect("a function's end")];
            assert!(
                body.contains("guarded("),
                "{} is exported without guarded()",
                &body[..body.find('(').unwrap_or(0)]
            );
        }
    }
}
