//! Maps a prepared library (image.rs) and finds its `Warmup` symbol.
//!
//! `RTLD_NOW` so a broken library fails here, not later at a lazy binding; `RTLD_LOCAL` so the
//! cgo symbols of the warmup library never interpose on the ones `asherah.node` links
//! statically. Nothing is ever closed once the loader accepted it: unloading a Go library is
//! unsupported and crashes, and the descriptor it was mapped from stays open, so that its
//! `/proc/self/fd/N` name, which the loader keeps as the library's name, keeps meaning that file
//! for as long as nothing else in the process closes it (warmup.rs checks it before reading it).

use crate::error::{shown, Code, WarmupError};
use crate::image::{self, Image};
use libloading::os::unix::{Library, RTLD_LOCAL, RTLD_NOW};
use std::os::raw::c_int;
use std::path::Path;

pub type WarmupFn = unsafe extern "C" fn() -> c_int;

/// A library the loader mapped: its Go runtime has started, whatever `warmup` says.
pub struct Mapped {
    pub warmup: Result<WarmupFn, WarmupError>,
    /// The descriptor it was mapped from, open for good.
    pub fd: std::os::fd::RawFd,
}

pub fn map(image: Image, shown_path: &Path) -> Result<Mapped, WarmupError> {
    // SAFETY: loading runs the library's initialisers; for a Go c-shared library that starts the
    // Go runtime, which is the point. Nothing else in this process depends on them.
    let opened = unsafe { Library::open(Some(&image.load_path), RTLD_NOW | RTLD_LOCAL) };
    #[cfg(not(target_os = "linux"))]
    if let Some(dir) = &image.cleanup {
        // macOS private copy: mapped (or refused) now, so the file is no longer needed.
        let _ = std::fs::remove_dir_all(dir);
    }
    let library = opened.map_err(|err| {
        let why = with_cause(&err);
        // The loader reports only text; an exhausted descriptor table is the one cause it shares
        // with the rest of the load whose fix is not another file.
        let fix = if why.contains("Too many open files") {
            crate::error::RAISE_FILE_LIMIT.to_owned()
        } else {
            image::wrong_file_fix()
        };
        image::failed(shown_path, format_args!("could not be loaded: {why}"), &fix)
    })?;
    // SAFETY: the signature is the one upstream's go_warmup.go exports: `int Warmup(void)`.
    let symbol = unsafe { library.get::<WarmupFn>(b"Warmup\0") };
    let warmup = symbol
        .map(|s| *s)
        .map_err(|err| no_warmup(&shown(shown_path), &with_cause(&err)));
    std::mem::forget(library);
    let fd = std::os::fd::IntoRawFd::into_raw_fd(image.file);
    Ok(Mapped { warmup, fd })
}

/// SYMBOL_MISSING for the library `shown`, loaded (`how`) without a `Warmup`.
pub fn no_warmup(shown: &str, how: &str) -> WarmupError {
    WarmupError::new(
        Code::SymbolMissing,
        format!("{shown} loaded but exports no `Warmup` function ({how}). Fix: point at a go-warmup library (built from go_warmup.go), not another Go library."),
    )
}

/// libloading's own text ("dlopen failed") followed by the loader's message (dlerror).
fn with_cause(err: &libloading::Error) -> String {
    match std::error::Error::source(err) {
        Some(cause) => format!("{err}: {cause}"),
        None => err.to_string(),
    }
}
