//! Undoes what a Go runtime start does to Bun's signal set-up on linux (and nothing else).
//!
//! Every Go runtime that starts in the process (the warmup library, `asherah.node`, a Go library
//! loaded through `bun:ffi`) ORs `SA_ONSTACK` into the flags of every handler it finds, including
//! JavaScriptCore's thread suspend handler on SIGPWR, and installs its own SIGPIPE handler where
//! Bun had SIGPIPE ignored. On Bun before 1.4 JSC's suspend handler then runs on Go's alternate
//! stack, fails its stack check and re-sends SIGPWR forever: the event loop hangs at the next WASM
//! call. Clearing the flag again after each Go load was measured to fix it.
//!
//! The repair judges the handlers as they are now, never against a snapshot: a snapshot taken
//! after some Go code already ran (asherah required before this package) would hold the damage.
//! What Bun installs is known and checked per Bun version by the suite: a SIGPWR handler without
//! `SA_ONSTACK`, and SIGPIPE ignored unless the app listens. Bun's handlers live in its executable;
//! a Go runtime's in the shared object that carries it. So: Bun's own SIGPWR handler with
//! `SA_ONSTACK` gets the flag cleared, and a SIGPIPE handler from a shared object goes back to
//! ignored unless the app's handler had it (`app_handles_sigpipe`). Handlers Go installs for its
//! own synchronous signals (SIGSEGV, SIGURG, ...) are left alone.

use napi_derive::napi;

/// Who handles a signal, as far as the repair cares.
#[cfg(target_os = "linux")]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Handler {
    Default,
    Ignored,
    /// A handler in the main executable: the runtime's own (Bun's, JavaScriptCore's).
    Executable,
    /// A handler in a shared object: a Go runtime's, when it is SIGPIPE.
    Library,
}

#[cfg(target_os = "linux")]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Disposition {
    pub handler: Handler,
    pub flags: i32,
}

/// What a repair has to change, decided from the current dispositions alone.
#[cfg(target_os = "linux")]
#[derive(Debug, PartialEq, Eq)]
pub struct Repairs {
    pub clear_sigpwr_onstack: bool,
    pub ignore_sigpipe: bool,
}

#[cfg(target_os = "linux")]
pub fn repairs(sigpwr: Disposition, sigpipe: Disposition, app_handles_sigpipe: bool) -> Repairs {
    Repairs {
        clear_sigpwr_onstack: sigpwr.handler == Handler::Executable
            && sigpwr.flags & libc::SA_ONSTACK != 0,
        ignore_sigpipe: sigpipe.handler == Handler::Library && !app_handles_sigpipe,
    }
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
    use super::{Disposition, Handler, SignalReport};
    use std::mem::MaybeUninit;
    use std::sync::atomic::{AtomicBool, Ordering};

    fn current(signal: libc::c_int) -> Option<libc::sigaction> {
        let mut old = MaybeUninit::<libc::sigaction>::zeroed();
        // SAFETY: a NULL new action only reads the current one into `old`.
        let rc = unsafe { libc::sigaction(signal, std::ptr::null(), old.as_mut_ptr()) };
        // SAFETY: sigaction filled `old` when it returned 0.
        (rc == 0).then(|| unsafe { old.assume_init() })
    }

    /// Whether `address` lies in a loaded segment of the main executable, which
    /// dl_iterate_phdr visits first.
    fn in_executable(address: usize) -> bool {
        unsafe extern "C" fn first(
            info: *mut libc::dl_phdr_info,
            _size: libc::size_t,
            data: *mut libc::c_void,
        ) -> libc::c_int {
            // SAFETY: dl_iterate_phdr passes valid info and our (address, found) pair.
            let (info, found) = unsafe { (&*info, &mut *(data as *mut (usize, bool))) };
            // SAFETY: dlpi_phdr points at dlpi_phnum program headers.
            let headers =
                unsafe { std::slice::from_raw_parts(info.dlpi_phdr, info.dlpi_phnum as usize) };
            found.1 = headers.iter().any(|h| {
                let start = info.dlpi_addr as usize + h.p_vaddr as usize;
                h.p_type == libc::PT_LOAD && (start..start + h.p_memsz as usize).contains(&found.0)
            });
            1
        }
        let mut found = (address, false);
        // SAFETY: the callback only reads what it is given and stops after the first object.
        unsafe { libc::dl_iterate_phdr(Some(first), &mut found as *mut _ as *mut libc::c_void) };
        found.1
    }

    fn disposition(signal: libc::c_int) -> Option<Disposition> {
        current(signal).map(|action| Disposition {
            handler: match action.sa_sigaction {
                libc::SIG_DFL => Handler::Default,
                libc::SIG_IGN => Handler::Ignored,
                address if in_executable(address) => Handler::Executable,
                _ => Handler::Library,
            },
            flags: action.sa_flags,
        })
    }

    fn set(signal: libc::c_int, action: &libc::sigaction) -> bool {
        // SAFETY: installs a complete sigaction value.
        unsafe { libc::sigaction(signal, action, std::ptr::null_mut()) == 0 }
    }

    /// Whether a repair left Go's SIGPIPE handler, which calls the app's, in place for it.
    static KEPT_FOR_THE_APP: AtomicBool = AtomicBool::new(false);

    /// Whether `sigpipe` is the handler a repair kept for the app; forgotten once it is gone.
    fn kept(sigpipe: Disposition) -> bool {
        if sigpipe.handler != Handler::Library {
            KEPT_FOR_THE_APP.store(false, Ordering::SeqCst);
        }
        sigpipe.handler == Handler::Library && KEPT_FOR_THE_APP.load(Ordering::SeqCst)
    }

    /// Whether the app's SIGPIPE handler is in place, read before a load: Bun's (a listener; the
    /// dispositions are the process's, seen from any thread) or one a repair kept. Go's will call it.
    pub fn app_handles_sigpipe() -> bool {
        disposition(libc::SIGPIPE).is_some_and(|d| d.handler == Handler::Executable || kept(d))
    }

    pub fn repair(app_handles_sigpipe: bool) -> SignalReport {
        let (Some(sigpwr), Some(sigpipe)) = (disposition(libc::SIGPWR), disposition(libc::SIGPIPE))
        else {
            return SignalReport::default();
        };
        let flags = |d: Disposition| (d.handler != Handler::Default).then_some(d.flags);
        let ignored = |d: Disposition| d.handler == Handler::Ignored;
        let mut report = SignalReport {
            supported: true,
            sigpwr_flags_before: flags(sigpwr),
            sigpipe_ignored_before: ignored(sigpipe),
            ..SignalReport::default()
        };
        let needed = super::repairs(sigpwr, sigpipe, app_handles_sigpipe || kept(sigpipe));
        if sigpipe.handler == Handler::Library {
            KEPT_FOR_THE_APP.store(!needed.ignore_sigpipe, Ordering::SeqCst);
        }
        if needed.clear_sigpwr_onstack {
            if let Some(mut action) = current(libc::SIGPWR) {
                action.sa_flags &= !libc::SA_ONSTACK;
                report.sigpwr_onstack_cleared = set(libc::SIGPWR, &action);
            }
        }
        if needed.ignore_sigpipe {
            // SAFETY: a zeroed sigaction with SIG_IGN is a valid "ignore" disposition.
            let mut ignore: libc::sigaction = unsafe { std::mem::zeroed() };
            ignore.sa_sigaction = libc::SIG_IGN;
            report.sigpipe_ignore_restored = set(libc::SIGPIPE, &ignore);
        }
        report.sigpwr_flags_after = disposition(libc::SIGPWR).and_then(flags);
        report.sigpipe_ignored_after = disposition(libc::SIGPIPE).is_some_and(ignored);
        report
    }
}

#[cfg(not(target_os = "linux"))]
mod imp {
    use super::SignalReport;

    pub fn repair(_app_handles_sigpipe: bool) -> SignalReport {
        SignalReport::default()
    }

    pub fn app_handles_sigpipe() -> bool {
        false
    }
}

pub use imp::{app_handles_sigpipe, repair};

#[cfg(all(test, target_os = "linux"))]
#[path = "signals_tests.rs"]
mod tests;
