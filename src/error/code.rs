//! The codes of the addon's errors. Written by scripts/sync-versions.js from scripts/lib/error-codes.js:
//! do not edit (`npm run sync-versions` rewrites it; its `--check`, in the suite, fails when it is
//! stale). The rest of the error type is hand-written, in src/error.rs.

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Code {
    /// no go-warmup library exists for this platform (Windows, musl: Go c-shared libraries cannot be dlopened on musl). Under Node nothing fails.
    ///
    /// Fix: run the app under Node there (it needs no warmup), or under Bun on linux (glibc) or macOS, x64 or arm64.
    UnsupportedPlatform,
    /// no library at the explicit path, or it is no regular file (a directory, a FIFO, a device), or none found; lists every path tried. A require that throws it (or any other code) has already installed the signal repair, so an app that catches it and carries on cannot hang
    ///
    /// Fix: install asherah-warmup with its optional dependencies (`npm install --include=optional`) where the app runs, or set ASHERAH_WARMUP_LIBRARY to the absolute path of the go-warmup library.
    NotFound,
    /// the library is over 64 MiB, truncated, for another architecture or no library at all (the header check says which), or the loader refused it (its own message); or the machine refused the load, each cause with its own fix: out of file descriptors (EMFILE, also when this package's own files cannot be opened), a noexec mount (refused whether or not the library would be hashed), `memfd_create` refused by a seccomp profile, `/proc` not mounted
    ///
    /// Fix: use the platform package's release build of the library, or lift the limit the message names (open-files limit, noexec mount, seccomp profile, `/proc`).
    LoadFailed,
    /// the file has no `Warmup` (its Go runtime has started all the same, so the signal repair still runs)
    ///
    /// Fix: point at a go-warmup library (built from go_warmup.go), not another Go library.
    SymbolMissing,
    /// the SHA-256 differs from the sums file or the pinned digest; nothing was loaded
    ///
    /// Fix: replace the file with the matching release build, or correct the pinned digest.
    ChecksumMismatch,
    /// the sums file beside the library cannot be read, is malformed, lists a name twice or does not list the library; nothing was loaded
    ///
    /// Fix: replace the sums file with the release's own (lines `<sha256>  ./<file>`), or remove it to load the library unverified.
    SumsInvalid,
    /// `Warmup()` did not return 1 (kept: it is not called again)
    ///
    /// Fix: use an upstream go-warmup library; this one is not the go_warmup.go build.
    BadResult,
    /// a library is loaded already, and the call asks for another one (a path naming a file with other bytes: a copy with the same bytes renamed over it is the same library) or a digest it does not have, or one that can no longer be checked; set the choice before the first require (environment variables, or `warmup()` before anything requires the package)
    ///
    /// Fix: choose the library and digest before the first require: ASHERAH_WARMUP_LIBRARY and ASHERAH_WARMUP_SHA256, or `warmup({ library, sha256 })` before anything else requires the package.
    AlreadyWarmed,
    /// a bad option or environment value
    ///
    /// Fix: correct the option or variable the message names, as it says.
    InvalidOption,
    /// a bug in asherah-warmup (a Rust panic, caught: the process goes on); the message says what, and to report it with `npx asherah-warmup doctor --json`
    ///
    /// Fix: report it, with the output of `npx asherah-warmup doctor --json`.
    Internal,
}

impl Code {
    /// The `code` of the JS error (napi-rs makes an error's status string its `code`).
    pub fn as_str(self) -> &'static str {
        match self {
            Code::UnsupportedPlatform => "ERR_ASHERAH_WARMUP_UNSUPPORTED_PLATFORM",
            Code::NotFound => "ERR_ASHERAH_WARMUP_NOT_FOUND",
            Code::LoadFailed => "ERR_ASHERAH_WARMUP_LOAD_FAILED",
            Code::SymbolMissing => "ERR_ASHERAH_WARMUP_SYMBOL_MISSING",
            Code::ChecksumMismatch => "ERR_ASHERAH_WARMUP_CHECKSUM_MISMATCH",
            Code::SumsInvalid => "ERR_ASHERAH_WARMUP_SUMS_INVALID",
            Code::BadResult => "ERR_ASHERAH_WARMUP_BAD_RESULT",
            Code::AlreadyWarmed => "ERR_ASHERAH_WARMUP_ALREADY_WARMED",
            Code::InvalidOption => "ERR_ASHERAH_WARMUP_INVALID_OPTION",
            Code::Internal => "ERR_ASHERAH_WARMUP_INTERNAL",
        }
    }
}
