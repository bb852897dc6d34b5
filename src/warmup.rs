//! The process-wide warmup: plan (locate, decide how to verify), prepare the verified image,
//! load it, repair signals, call `Warmup` exactly once.
//!
//! The process's record (process.rs) serialises every warmup of every realm and every copy of
//! this package, and keeps the outcome. Only an outcome reached after `Warmup` was called is
//! kept; a failure before that (not found, checksum, load error) leaves nothing behind, so the
//! caller can fix its setup and retry. Once a library is loaded, a later call that asks for
//! another library or a digest it does not have is an error, never silently the old status.

use crate::error::{shown, Code, WarmupError};
use crate::image::Input;
use crate::locate::{self, Located, Source, Tried};
use crate::process::{self, LoadedV2};
use crate::regular_file::Problem;
use crate::signals::{self, SignalReport};
use crate::verify::{self, EmbeddedSums, Pin, Verification};
use crate::{digest, image, loader};
use napi_derive::napi;
use std::path::PathBuf;
use std::sync::OnceLock;
use std::time::Instant;

/// What the JS layer asks for: explicit choices and whether to repair signals.
pub struct Request {
    pub library: Option<(PathBuf, Source)>,
    pub pin: Option<Pin>,
    /// A library Bun's bundler embedded (an executable's, a bundle's), with its package's sums file.
    pub embedded: Option<Embedded>,
    /// asherah-node's package folder, looked up (at a cost) only after a NOT_FOUND without it.
    pub asherah_node: Option<PathBuf>,
    pub repair_signals: bool,
}

/// lib.rs EmbeddedFiles. Files beside a bundle are opened here like any other library and sums
/// file: without blocking, regular files only, size-capped.
pub struct Embedded {
    pub library: PathBuf,
    pub library_bytes: Option<Vec<u8>>,
    pub sums_file: PathBuf,
    pub sums_bytes: Option<Vec<u8>>,
}

#[napi(object)]
#[derive(Clone, Debug, Default)]
pub struct NativeStatus {
    pub warmed: bool,
    /// What `Warmup()` returned (1 on success).
    pub result: Option<i32>,
    pub library: Option<String>,
    pub source: Option<Source>,
    /// Hex SHA-256 of the loaded bytes, when they were hashed.
    pub sha256: Option<String>,
    pub verified: bool,
    pub verification: Option<Verification>,
    /// How many times this process called `Warmup` (0 or 1).
    pub calls: u32,
    pub duration_ms: f64,
    pub tried: Vec<Tried>,
    pub signals: Option<SignalReport>,
}

/// What warmup() would do, without doing it (doctor prints it).
#[napi(object)]
#[derive(Clone, Debug, Default)]
pub struct Plan {
    /// The library that would be loaded.
    pub library: Option<String>,
    pub source: Option<Source>,
    pub verification: Option<Verification>,
    /// The digest it must have, when it would be hashed.
    pub expected_sha256: Option<String>,
    /// The sums file (and line) the digest comes from.
    pub sums_file: Option<String>,
    pub sums_line: Option<u32>,
    /// Candidates looked at and not used, in order.
    pub tried: Vec<Tried>,
    /// This process already loaded a library: the outcome, instead of a new load.
    pub settled: Option<NativeStatus>,
    /// Why the load would fail, with the code warmup() would throw.
    pub error_code: Option<String>,
    pub error_message: Option<String>,
}

/// The full status of the load this copy made (with its candidates and signal report).
static OWN: OnceLock<NativeStatus> = OnceLock::new();

fn status_of(loaded: &LoadedV2) -> NativeStatus {
    OWN.get().cloned().unwrap_or_else(|| recorded(loaded))
}

/// A load's status as the process record keeps it (any copy's, built from any version).
fn recorded(loaded: &LoadedV2) -> NativeStatus {
    let verification = process::text(loaded.verification).and_then(|v| Verification::parse(&v));
    NativeStatus {
        warmed: loaded.result == 1,
        result: (loaded.result != process::NO_WARMUP).then_some(loaded.result),
        library: process::text(loaded.library),
        source: process::text(loaded.source).and_then(|s| Source::parse(&s)),
        sha256: process::text(loaded.sha256),
        verified: verification.is_some_and(Verification::is_verified),
        verification,
        calls: process::record().calls(),
        duration_ms: loaded.duration_ms,
        tried: Vec::new(),
        signals: None,
    }
}

/// The settled status, if any realm or copy in this process has loaded a library.
pub fn settled_status() -> Option<NativeStatus> {
    process::record().loaded().map(status_of)
}

/// The status of a load, BAD_RESULT when its `Warmup()` did not return 1, SYMBOL_MISSING when it has none.
fn outcome(status: NativeStatus) -> Result<NativeStatus, WarmupError> {
    let library = status.library.as_deref().unwrap_or_default();
    match status.result {
        Some(1) => Ok(status),
        Some(other) => Err(WarmupError::new(
            Code::BadResult,
            format!("Warmup() in {library} returned {other}, expected 1. Fix: use an upstream go-warmup library; this one is not the go_warmup.go build."),
        )),
        None => Err(loader::no_warmup(library, "loaded earlier in this process")),
    }
}

fn already(loaded: &LoadedV2, what: String) -> WarmupError {
    WarmupError::new(
        Code::AlreadyWarmed,
        format!(
            "this process already loaded {} ({}, verification: {}); {what}. A process runs one go-warmup library. Fix: choose the library and digest before the first require('asherah-warmup'): ASHERAH_WARMUP_LIBRARY / ASHERAH_WARMUP_SHA256 in the environment, or warmup({{ library, sha256 }}) called before anything else requires it (with ASHERAH_WARMUP=never set, or no register preload).",
            process::text(loaded.library).unwrap_or_default(),
            process::text(loaded.source).unwrap_or_default(),
            process::text(loaded.verification).unwrap_or_default(),
        ),
    )
}

/// Hex SHA-256 of what was loaded: recorded when it was hashed, else read now. The descriptor it
/// was mapped from was kept open, but other code in the process can close it and the number be
/// reused (a library that closes "leaked" descriptors, then any open): it is read only while
/// fstat says it is still the loaded file, else the file is opened again by its recorded path
/// and must be that same file. Err says why neither is possible.
fn loaded_digest(loaded: &LoadedV2) -> Result<String, String> {
    if let Some(sha256) = process::text(loaded.sha256) {
        return Ok(sha256);
    }
    let library = process::text(loaded.library).unwrap_or_default();
    use std::os::{fd::FromRawFd, unix::fs::MetadataExt};
    // SAFETY: only fstat and pread run on the number; ManuallyDrop never closes it, whatever it is now.
    let kept = std::mem::ManuallyDrop::new(unsafe { std::fs::File::from_raw_fd(loaded.fd) });
    // Still the loaded library: a regular file with its device and inode, within the size cap.
    let still = kept.metadata().ok().filter(|m| {
        m.is_file()
            && (m.dev(), m.ino()) == (loaded.dev, loaded.ino)
            && m.len() <= image::MAX_LIBRARY_BYTES
    });
    if let Some(meta) = still {
        return digest::of_file(&kept, meta.len())
            .map_err(|err| format!("its descriptor cannot be read ({err})"));
    }
    match image::open_library(std::path::Path::new(&library)) {
        Ok(opened) if opened.id == (loaded.dev, loaded.ino) => digest::of_file(&opened.file, opened.len).map_err(|err| format!("{library} cannot be read ({err})")),
        _ => Err(format!("its bytes cannot be read again: descriptor {} that this package kept for it was closed by other code, and {library} is no longer that file", loaded.fd)),
    }
}

/// Whether `path` names the loaded library: the same file, or one with the same bytes (a deploy
/// that writes a copy and renames it over the path, a reinstall).
fn names_loaded(loaded: &LoadedV2, path: &std::path::Path) -> bool {
    let Ok(file) = image::open_library(path) else {
        return false;
    };
    file.id == (loaded.dev, loaded.ino)
        || matches!((digest::of_file(&file.file, file.len), loaded_digest(loaded)), (Ok(a), Ok(b)) if a == b)
}

/// A later call's settings against what was loaded: the same library and a matching pin get
/// the settled status; anything else is ALREADY_WARMED.
fn settled_with(loaded: &LoadedV2, request: &Request) -> Result<NativeStatus, WarmupError> {
    if let Some((path, source)) = &request.library {
        if !names_loaded(loaded, path) {
            let what = format!(
                "{} asks for {}, a different file",
                source.describe(),
                shown(path)
            );
            return Err(already(loaded, what));
        }
    }
    if let Some(pin) = &request.pin {
        match loaded_digest(loaded) {
            Ok(actual) if actual == pin.sha256 => {}
            Ok(actual) => {
                let what = format!("its SHA-256 is {actual}, not the pinned {}", pin.sha256);
                return Err(already(loaded, what));
            }
            Err(why) => {
                let what = format!("the pinned SHA-256 cannot be checked against it: {why}");
                return Err(already(loaded, what));
            }
        }
    }
    outcome(status_of(loaded))
}

/// The library this request would load (with the sums file that came with embedded bytes).
fn choose(
    request: &mut Request,
    tried: &mut Vec<Tried>,
) -> Result<(Located, Option<EmbeddedSums>), WarmupError> {
    if let Some(embedded) = request.embedded.take() {
        let input = match embedded.library_bytes {
            Some(bytes) => Input::Bytes(bytes),
            None => Input::File(
                image::open_library(&embedded.library)
                    .map_err(|problem| locate::not_embedded(&embedded.library, &problem))?,
            ),
        };
        let sums_bytes = match embedded.sums_bytes {
            Some(bytes) => bytes,
            None => verify::read_sums(&embedded.sums_file, &embedded.library)?
                .ok_or_else(|| locate::not_embedded(&embedded.sums_file, &Problem::Missing))?,
        };
        let located = Located {
            path: embedded.library,
            source: Source::Embedded,
            input,
        };
        return Ok((located, Some((embedded.sums_file, sums_bytes))));
    }
    let located = locate::locate(
        request.library.take(),
        request.asherah_node.as_deref(),
        tried,
    )?;
    Ok((located, None))
}

/// What warmup() would do: the same choice and verification method, plus the header check, and
/// as much of the answer as was reached when a step refuses.
pub fn plan(mut request: Request) -> Plan {
    let mut plan = Plan {
        settled: settled_status(),
        ..Plan::default()
    };
    let mut tried = Vec::new();
    let mut answer = || -> Result<(), WarmupError> {
        let (located, embedded_sums) = choose(&mut request, &mut tried)?;
        plan.library = Some(shown(&located.path));
        plan.source = Some(located.source);
        located.input.check_header(&located.path)?;
        let method = verify::method(&located, request.pin.take(), embedded_sums)?;
        plan.verification = Some(method.kind());
        plan.expected_sha256 = method.expected().map(str::to_owned);
        if let Some(listed) = &method.listed {
            plan.sums_file = Some(shown(&listed.sums_file));
            plan.sums_line = Some(listed.line);
        }
        Ok(())
    };
    if let Err(err) = answer() {
        plan.error_code = Some(err.code.as_str().to_owned());
        plan.error_message = Some(err.message);
    }
    plan.tried = tried;
    plan
}

pub fn warmup(mut request: Request) -> Result<NativeStatus, WarmupError> {
    // No JS runs while this is held (the core never calls back), so nothing can re-enter it.
    let held = process::record().lock();
    if let Some(loaded) = process::record().loaded() {
        return settled_with(loaded, &request);
    }

    let started = Instant::now();
    let mut tried = Vec::new();
    let (located, embedded_sums) = choose(&mut request, &mut tried)?;
    let method = verify::method(&located, request.pin.take(), embedded_sums)?;
    let (path, source) = (located.path, located.source);
    let id = located.input.id();
    let image = image::prepare(&path, located.input, method.kind().is_verified())?;
    let sha256 = image.sha256.clone();
    if let Some(actual) = &sha256 {
        method.check(&path, actual)?;
    }

    let app_handles_sigpipe = signals::app_handles_sigpipe();
    let mapped = loader::map(image, &path)?;
    // The loader ran the library's constructors, so its Go runtime has started even without a
    // `Warmup`: the library is recorded and repaired after all the same, and stays the process's.
    let (result, calls, missing) = match mapped.warmup {
        Ok(warmup_fn) => {
            let calls = held.count_call();
            // SAFETY: `Warmup` takes nothing and returns an int (see loader.rs).
            (Some(unsafe { warmup_fn() }), calls, None)
        }
        Err(err) => (None, 0, Some(err)),
    };
    let signals = request
        .repair_signals
        .then(|| signals::repair(app_handles_sigpipe));
    let loaded = LoadedV2 {
        result: result.unwrap_or(process::NO_WARMUP),
        fd: mapped.fd,
        dev: id.0,
        ino: id.1,
        duration_ms: started.elapsed().as_secs_f64() * 1000.0,
        library: process::leak(&shown(&path)),
        source: process::leak(source.as_str()),
        verification: process::leak(method.kind().as_str()),
        sha256: sha256.as_deref().map_or(std::ptr::null(), process::leak),
    };
    // What the record says, with this copy's own details; kept first, then the record is
    // published: a realm that sees the record then finds the full status too.
    let status = NativeStatus {
        result,
        calls,
        tried,
        signals,
        ..recorded(&loaded)
    };
    let _ = OWN.set(status.clone());
    held.publish(loaded);
    missing.map_or_else(|| outcome(status), Err)
}

#[cfg(all(test, target_os = "linux"))]
#[path = "warmup_tests.rs"]
mod tests;
