//! The process-wide warmup: locate, verify, load, call `Warmup` exactly once, repair signals.
//!
//! One mutex guards it. Every JS realm (main thread and workers share this one loaded addon)
//! that calls in while the first caller works waits on the lock and then gets the same status.
//! Only an outcome reached after `Warmup` was called is kept; a failure before that (not found,
//! checksum, load error) leaves nothing behind, so the caller can fix its setup and retry.

use crate::error::{Code, WarmupError};
use crate::locate::{self, Source, Tried};
use crate::signals::{self, SignalReport, Snapshot};
use crate::verify::{self, Pin};
use napi_derive::napi;
use once_cell::sync::OnceCell;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Mutex, PoisonError};
use std::time::Instant;

/// What the JS layer asks for, already validated there (absolute paths, hex digests).
pub struct Request {
    pub library: Option<(PathBuf, Source)>,
    pub pin: Option<Pin>,
    pub repair_signals: bool,
}

#[napi(object)]
#[derive(Clone, Debug, Default)]
pub struct NativeStatus {
    pub warmed: bool,
    /// What `Warmup()` returned (1 on success).
    pub result: Option<i32>,
    pub library: Option<String>,
    pub source: Option<String>,
    /// Hex SHA-256 of the library, when it was hashed.
    pub sha256: Option<String>,
    pub verified: bool,
    /// "pinned", "sums-file", "package-manager" (shipped beside the addon) or "none".
    pub verification: String,
    /// How many times this process called `Warmup` (0 or 1).
    pub calls: u32,
    pub duration_ms: f64,
    pub tried: Vec<Tried>,
    pub signals: Option<SignalReport>,
}

enum Settled {
    Warmed(NativeStatus),
    /// `Warmup` ran but did not return 1; calling it again would not help.
    Failed(WarmupError, NativeStatus),
}

static SETTLED: Mutex<Option<Settled>> = Mutex::new(None);
static CALLS: AtomicU32 = AtomicU32::new(0);
/// Signal dispositions before any Go code of ours ran: what a repair restores toward.
static SIGNAL_BASELINE: OnceCell<Snapshot> = OnceCell::new();

/// Taken when the addon is loaded, i.e. before the warmup library can touch anything.
pub fn capture_signal_baseline() {
    SIGNAL_BASELINE.get_or_init(signals::snapshot);
}

pub fn repair_signals() -> SignalReport {
    signals::repair(SIGNAL_BASELINE.get_or_init(signals::snapshot))
}

fn calls() -> u32 {
    CALLS.load(Ordering::SeqCst)
}

/// The settled status, if any realm of this process has warmed up (or failed after the call).
pub fn settled_status() -> Option<NativeStatus> {
    match &*SETTLED.lock().unwrap_or_else(PoisonError::into_inner) {
        Some(Settled::Warmed(status) | Settled::Failed(_, status)) => Some(status.clone()),
        None => None,
    }
}

pub fn warmup(
    request: Request,
    asherah_node_dir: impl FnOnce() -> Option<PathBuf>,
) -> Result<NativeStatus, WarmupError> {
    let mut settled = SETTLED.lock().unwrap_or_else(PoisonError::into_inner);
    match &*settled {
        Some(Settled::Warmed(status)) => return Ok(status.clone()),
        Some(Settled::Failed(err, _)) => return Err(err.clone()),
        None => {}
    }

    let started = Instant::now();
    let mut tried = Vec::new();
    let found = locate::locate(request.library, asherah_node_dir, &mut tried)?;
    let verification = verify::verify(&found, request.pin.as_ref())?;
    capture_signal_baseline();
    let warmup_fn = crate::loader::load_warmup(&found.path)?;

    CALLS.fetch_add(1, Ordering::SeqCst);
    // SAFETY: `Warmup` takes nothing and returns an int (see loader.rs).
    let result = unsafe { warmup_fn() };
    let signals = request.repair_signals.then(repair_signals);

    let status = NativeStatus {
        warmed: result == 1,
        result: Some(result),
        library: Some(found.path.display().to_string()),
        source: Some(found.source.as_str().to_owned()),
        sha256: verification.sha256.clone(),
        verified: verification.kind.is_verified(),
        verification: verification.kind.as_str().to_owned(),
        calls: calls(),
        duration_ms: started.elapsed().as_secs_f64() * 1000.0,
        tried,
        signals,
    };
    if result == 1 {
        *settled = Some(Settled::Warmed(status.clone()));
        return Ok(status);
    }
    let err = WarmupError::new(
        Code::BadResult,
        format!(
            "Warmup() in {} returned {result}, expected 1. Fix: use an upstream go-warmup library; this one is not the go_warmup.go build.",
            found.path.display()
        ),
    );
    *settled = Some(Settled::Failed(err.clone(), status));
    Err(err)
}
