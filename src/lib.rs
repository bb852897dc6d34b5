//! The napi-rs binding of asherah-warmup: the only module that speaks Node-API. Each job lives
//! in its own module; index.js is the public API and decides when any of this is called.

mod checksum;
mod elf;
mod error;
mod loader;
mod locate;
mod signals;
mod verify;
mod warmup;

use napi::bindgen_prelude::Function;
use napi_derive::napi;
use std::path::PathBuf;

/// `warmup()`'s input from index.js, validated there.
#[napi(object)]
pub struct WarmupRequest {
    /// Absolute path chosen explicitly by the user.
    pub library: Option<String>,
    /// "option" or "env": which explicit setting `library` came from.
    pub library_source: Option<String>,
    /// Lower-case hex digest the library must have.
    pub sha256: Option<String>,
    /// "the sha256 option" or "ASHERAH_WARMUP_SHA256", for messages.
    pub sha256_pinned_by: Option<String>,
    pub repair_signals: bool,
}

#[napi_derive::module_init]
fn init() {
    warmup::capture_signal_baseline();
}

/// Warms up once per process. `resolveAsherahNode` returns asherah-node's package folder and is
/// only called when no library is shipped beside this addon.
#[napi]
pub fn warmup(
    request: WarmupRequest,
    resolve_asherah_node: Function<(), Option<String>>,
) -> napi::Result<warmup::NativeStatus, String> {
    let library = request.library.map(|path| {
        let source = match request.library_source.as_deref() {
            Some("env") => locate::Source::Env,
            _ => locate::Source::Option,
        };
        (PathBuf::from(path), source)
    });
    let pin = request.sha256.map(|sha256| verify::Pin {
        sha256,
        pinned_by: request
            .sha256_pinned_by
            .unwrap_or_else(|| "the pinned digest".to_owned()),
    });
    let request = warmup::Request {
        library,
        pin,
        repair_signals: request.repair_signals,
    };
    let asherah_node_dir = || {
        resolve_asherah_node
            .call(())
            .ok()
            .flatten()
            .map(PathBuf::from)
    };
    Ok(warmup::warmup(request, asherah_node_dir)?)
}

/// The status every realm of this process shares, or null before anything was settled.
#[napi]
pub fn settled_status() -> Option<warmup::NativeStatus> {
    warmup::settled_status()
}

/// Repairs what Go code loaded since this addon was loaded did to the watched signals.
#[napi]
pub fn repair_signals() -> signals::SignalReport {
    warmup::repair_signals()
}

/// The go-warmup release file name this addon was built to find.
#[napi]
pub fn library_file_name() -> &'static str {
    locate::LIBRARY_NAME
}
