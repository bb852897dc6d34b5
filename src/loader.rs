//! Opens a go-warmup library and finds its `Warmup` symbol.
//!
//! `RTLD_NOW` so a broken library fails here, not later at a lazy binding; `RTLD_LOCAL` so the
//! cgo symbols of the warmup library never interpose on the ones `asherah.node` links
//! statically. The handle is never closed: unloading a Go library is unsupported and crashes.

use crate::error::{Code, WarmupError};
use libloading::os::unix::{Library, RTLD_LOCAL, RTLD_NOW};
use std::os::raw::c_int;
use std::path::Path;

pub type WarmupFn = unsafe extern "C" fn() -> c_int;

pub fn load_warmup(path: &Path) -> Result<WarmupFn, WarmupError> {
    // SAFETY: loading runs the library's initialisers; for a Go c-shared library that starts the
    // Go runtime, which is the point. Nothing else in this process depends on them.
    let library = unsafe { Library::open(Some(path), RTLD_NOW | RTLD_LOCAL) }.map_err(|err| {
        WarmupError::new(
            Code::LoadFailed,
            format!(
                "could not load {}: {}.{} Fix: use the go-warmup library built for this platform ({}).",
                path.display(),
                with_cause(&err),
                crate::elf::mismatch_hint(path).unwrap_or_default(),
                crate::locate::LIBRARY_NAME,
            ),
        )
    })?;
    // SAFETY: the signature is the one upstream's go_warmup.go exports: `int Warmup(void)`.
    let symbol = unsafe { library.get::<WarmupFn>(b"Warmup\0") };
    let warmup = symbol.map(|s| *s);
    // Kept loaded for the life of the process, whether or not the symbol was there.
    std::mem::forget(library);
    warmup.map_err(|err| {
        WarmupError::new(
            Code::SymbolMissing,
            format!(
                "{} loaded but exports no `Warmup` function ({}). Fix: point at a go-warmup library (built from go_warmup.go), not another Go library.",
                path.display(),
                with_cause(&err)
            ),
        )
    })
}

/// libloading's own text ("dlopen failed") followed by the loader's message (dlerror).
fn with_cause(err: &libloading::Error) -> String {
    match std::error::Error::source(err) {
        Some(cause) => format!("{err}: {cause}"),
        None => err.to_string(),
    }
}
