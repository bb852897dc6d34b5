//! The napi-rs binding of asherah-warmup: the only module that speaks Node-API. Each job lives
//! in its own module; lib/api.js is the public API and decides when any of this is called.

mod digest;
mod error;
mod image;
mod loader;
mod locate;
mod object_file;
mod platform;
mod process;
mod regular_file;
mod signals;
mod sums;
mod verify;
mod warmup;

use error::{Code, WarmupError};
use locate::Source;
use napi::bindgen_prelude::{Function, Uint8Array};
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
    /// Inside a `bun build --compile` executable: the embedded library and sums file.
    pub embedded: Option<EmbeddedFiles>,
    pub repair_signals: bool,
}

/// Files a `bun build --compile` executable carries, read by JS (Bun's /$bunfs paths can be
/// read but not dlopened).
#[napi(object)]
pub struct EmbeddedFiles {
    /// Where the library is embedded (for messages and status).
    pub library: String,
    pub library_bytes: Uint8Array,
    /// Where the platform package's sums file is embedded.
    pub sums_file: String,
    pub sums_bytes: Uint8Array,
}

impl WarmupRequest {
    fn into_request(self) -> Result<warmup::Request, WarmupError> {
        let library = self.library.map(|path| {
            (
                PathBuf::from(path),
                self.library_source.unwrap_or(Source::Option),
            )
        });
        let pin = self
            .sha256
            .map(|raw| Pin::parse(&raw, self.sha256_source.unwrap_or(PinSource::Option)))
            .transpose()?;
        let embedded = self.embedded.map(|files| {
            let sums = verify::SumsBytes {
                label: PathBuf::from(files.sums_file),
                bytes: files.sums_bytes.to_vec(),
            };
            (
                PathBuf::from(files.library),
                files.library_bytes.to_vec(),
                sums,
            )
        });
        Ok(warmup::Request {
            library,
            pin,
            embedded,
            repair_signals: self.repair_signals,
        })
    }
}

#[napi_derive::module_init]
fn init() {
    warmup::capture_signal_baseline();
}

/// The core's request, and asherah-node's folder from `resolveAsherahNode` (asked only when needed).
fn core_args<'a>(
    request: WarmupRequest,
    resolve_asherah_node: &'a Function<'a, (), Option<String>>,
) -> Result<(warmup::Request, impl Fn() -> Option<PathBuf> + 'a), WarmupError> {
    let asherah_node_dir = || {
        resolve_asherah_node
            .call(())
            .ok()
            .flatten()
            .map(PathBuf::from)
    };
    Ok((request.into_request()?, asherah_node_dir))
}

/// Warms up once per process. `resolveAsherahNode` returns asherah-node's package folder and is
/// only called when no library is shipped beside this addon.
#[napi(catch_unwind)]
pub fn warmup(
    request: WarmupRequest,
    resolve_asherah_node: Function<(), Option<String>>,
) -> napi::Result<warmup::NativeStatus, String> {
    let (request, asherah_node_dir) = core_args(request, &resolve_asherah_node)?;
    Ok(warmup::warmup(request, &asherah_node_dir)?)
}

/// What warmup() would do with this request, without loading anything.
#[napi(catch_unwind)]
pub fn plan(
    request: WarmupRequest,
    resolve_asherah_node: Function<(), Option<String>>,
) -> napi::Result<warmup::Plan, String> {
    let (request, asherah_node_dir) = core_args(request, &resolve_asherah_node)?;
    Ok(warmup::plan(request, &asherah_node_dir))
}

/// The status every realm and copy of this package in this process shares, or null before a
/// library was loaded.
#[napi(catch_unwind)]
pub fn settled_status() -> Option<warmup::NativeStatus> {
    warmup::settled_status()
}

/// Repairs what Go code loaded since this addon was loaded did to the watched signals.
#[napi(catch_unwind)]
pub fn repair_signals() -> signals::SignalReport {
    warmup::repair_signals()
}

/// The go-warmup release file name and sums file name this addon was built to find, and its own file.
#[napi(object)]
pub struct Names {
    pub library: String,
    pub sums_file: String,
    /// This addon's `.node` file, as the loader recorded it.
    pub addon: Option<String>,
}

#[napi(catch_unwind)]
pub fn names() -> Names {
    Names {
        library: platform::LIBRARY_NAME.to_owned(),
        sums_file: platform::SUMS_NAME.to_owned(),
        addon: locate::addon_path().map(|path| path.to_string_lossy().into_owned()),
    }
}

/// One line of a sums file.
#[napi(object)]
#[derive(Debug)]
pub struct SumsEntry {
    /// Without a leading `./`.
    pub name: String,
    /// Lower-case hex.
    pub sha256: String,
    /// 1-based.
    pub line: u32,
}

/// Parses a sums file's bytes with the runtime's own strict parser; `label` names the file in
/// the error (ERR_ASHERAH_WARMUP_SUMS_INVALID).
#[napi(catch_unwind)]
pub fn parse_sums(bytes: Uint8Array, label: String) -> napi::Result<Vec<SumsEntry>, String> {
    let entries = sums::parse(&bytes).map_err(|bad| {
        let place = match bad.line {
            Some(line) => format!("{label}:{line}"),
            None => label.clone(),
        };
        WarmupError::new(Code::SumsInvalid, format!("{place} {}", bad.reason))
    })?;
    Ok(entries)
}

/// Lower-case hex SHA-256 of `bytes`, with the runtime's own implementation.
#[napi(catch_unwind)]
pub fn sha256_hex(bytes: Uint8Array) -> String {
    digest::sha256_hex(&bytes)
}

#[cfg(test)]
mod tests {
    /// Every export is marked `catch_unwind`: napi-rs then turns a panic into a JS exception.
    /// Unmarked, the panic reaches the extern "C" callback and Rust aborts the user's process.
    #[test]
    fn every_export_turns_a_panic_into_an_exception() {
        let source = include_str!("lib.rs");
        let lines: Vec<&str> = source.lines().collect();
        let exports: Vec<(&str, &str)> = lines
            .windows(2)
            .filter(|pair| pair[0].starts_with("#[napi") && pair[1].starts_with("pub fn "))
            .map(|pair| (pair[0], pair[1]))
            .collect();
        assert!(exports.len() >= 7, "found only {} exports", exports.len());
        for (attribute, function) in exports {
            assert!(
                attribute.contains("catch_unwind"),
                "{function} is exported without catch_unwind"
            );
        }
    }
}
