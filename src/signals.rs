//! Undoes what a Go runtime start does to Bun's signal set-up on linux (and nothing else).
//!
//! Every Go runtime that starts in the process (the warmup library, later `asherah.node`) ORs
//! `SA_ONSTACK` into the flags of every handler it finds, including JavaScriptCore's thread
//! suspend handler on SIGPWR, and installs its own SIGPIPE handler where Bun had SIGPIPE ignored.
//! On Bun before 1.4 JSC's suspend handler then runs on Go's alternate stack, fails its stack
//! check and re-sends SIGPWR forever: the event loop hangs at the next WASM call. Clearing the
//! flag again after each Go load was measured to fix it. Handlers Go installs for its own
//! synchronous signals (SIGSEGV, SIGURG, ...) are left alone.

use napi_derive::napi;

/// The two dispositions this module watches, read with `sigaction(sig, NULL, &old)`.
#[derive(Clone, Copy, Debug, Default)]
// Off linux there is nothing to repair, so the fields are never read there.
#[cfg_attr(not(target_os = "linux"), allow(dead_code))]
pub struct Snapshot {
    /// `sa_flags` of SIGPWR's handler; `None` off linux or when no handler is installed.
    sigpwr_flags: Option<i32>,
    sigpipe_ignored: bool,
}

/// What one repair found and changed; exposed to JS as `status().signals` and `repairSignals()`.
#[napi(object)]
#[derive(Clone, Debug, Default)]
pub struct SignalReport {
    /// false where there is nothing to repair (not linux).
    pub supported: bool,
    pub sigpwr_flags_before: Option<i32>,
    pub sigpwr_flags_after: Option<i32>,
    pub sigpwr_onstack_cleared: bool,
    pub sigpipe_ignored_before: bool,
    pub sigpipe_ignored_after: bool,
    pub sigpipe_ignore_restored: bool,
}

#[cfg(target_os = "linux")]
mod imp {
    use super::{SignalReport, Snapshot};
    use std::mem::MaybeUninit;

    fn current(signal: libc::c_int) -> Option<libc::sigaction> {
        let mut old = MaybeUninit::<libc::sigaction>::zeroed();
        // SAFETY: a NULL new action only reads the current one into `old`.
        let rc = unsafe { libc::sigaction(signal, std::ptr::null(), old.as_mut_ptr()) };
        // SAFETY: sigaction filled `old` when it returned 0.
        (rc == 0).then(|| unsafe { old.assume_init() })
    }

    fn has_handler(action: &libc::sigaction) -> bool {
        action.sa_sigaction != libc::SIG_DFL && action.sa_sigaction != libc::SIG_IGN
    }

    pub fn snapshot() -> Snapshot {
        Snapshot {
            sigpwr_flags: current(libc::SIGPWR)
                .filter(has_handler)
                .map(|a| a.sa_flags),
            sigpipe_ignored: current(libc::SIGPIPE)
                .is_some_and(|a| a.sa_sigaction == libc::SIG_IGN),
        }
    }

    pub fn repair(baseline: &Snapshot) -> SignalReport {
        let before = snapshot();
        let mut report = SignalReport {
            supported: true,
            sigpwr_flags_before: before.sigpwr_flags,
            sigpipe_ignored_before: before.sigpipe_ignored,
            ..SignalReport::default()
        };

        let onstack_added = |flags: Option<i32>| flags.is_some_and(|f| f & libc::SA_ONSTACK != 0);
        if onstack_added(before.sigpwr_flags) && !onstack_added(baseline.sigpwr_flags) {
            if let Some(mut action) = current(libc::SIGPWR) {
                action.sa_flags &= !libc::SA_ONSTACK;
                // SAFETY: writes back the handler just read, with one flag cleared.
                report.sigpwr_onstack_cleared =
                    unsafe { libc::sigaction(libc::SIGPWR, &action, std::ptr::null_mut()) } == 0;
            }
        }

        if baseline.sigpipe_ignored && !before.sigpipe_ignored {
            // SAFETY: a zeroed sigaction with SIG_IGN is a valid "ignore" disposition.
            let mut ignore: libc::sigaction = unsafe { std::mem::zeroed() };
            ignore.sa_sigaction = libc::SIG_IGN;
            report.sigpipe_ignore_restored =
                unsafe { libc::sigaction(libc::SIGPIPE, &ignore, std::ptr::null_mut()) } == 0;
        }

        let after = snapshot();
        report.sigpwr_flags_after = after.sigpwr_flags;
        report.sigpipe_ignored_after = after.sigpipe_ignored;
        report
    }
}

#[cfg(not(target_os = "linux"))]
mod imp {
    use super::{SignalReport, Snapshot};

    pub fn snapshot() -> Snapshot {
        Snapshot::default()
    }

    pub fn repair(_baseline: &Snapshot) -> SignalReport {
        SignalReport::default()
    }
}

pub use imp::{repair, snapshot};
