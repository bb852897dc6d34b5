'use strict'
// The error codes of asherah-warmup: the one table. scripts/sync-versions.js writes every copy from
// it (the addon's src/error/code.rs, lib/codes.js's CODES, index.js's copy, index.d.ts's
// `codes`, README.md's error table), and of RAISE_FILE_LIMIT; its --check, in the suite, fails when
// a copy is stale.
//   name  the key in `codes` (the Rust variant is its CamelCase)
//   code  the `code` property of the error, derived from name so the two cannot differ
//   when  what README's error table says about it (the row's text, as it reads there)
//   fix   the general remedy; each message names its own, with the path
// In README's order: the order a load meets them. doctor's own ERR_ASHERAH_WARMUP_DOCTOR_* codes
// are not here: lib/cli/doctor.js's DOCTOR(...) calls are their one list (__test__/codes.test.js).

const PREFIX = 'ERR_ASHERAH_WARMUP_'
const row = (name, when, fix) => Object.freeze({ name, code: `${PREFIX}${name}`, when, fix })

const ERROR_CODES = Object.freeze([
  row(
    'UNSUPPORTED_PLATFORM',
    'no go-warmup library exists for this platform (Windows, musl: Go c-shared libraries cannot be dlopened on musl). Under Node nothing fails.',
    'run the app under Node there (it needs no warmup), or under Bun on linux (glibc) or macOS, x64 or arm64.',
  ),
  row(
    'NOT_FOUND',
    "no library at the explicit path, or it (or the platform package's addon) is no regular file (a directory, a FIFO, a device), or none found; lists every path tried. A require that throws it (or any other code) has already installed the signal repair, so an app that catches it and carries on cannot hang; but for a missing platform package (the addon itself not found): then nothing can repair, and the app must not go on to load asherah under Bun before 1.4",
    'install asherah-warmup with its optional dependencies (`npm install --include=optional`) where the app runs, or set ASHERAH_WARMUP_LIBRARY to the absolute path of the go-warmup library.',
  ),
  row(
    'LOAD_FAILED',
    "the library is over 64 MiB, truncated, for another architecture or no library at all (the header check says which), or the loader refused it (its own message); or the machine refused the load, each cause with its own fix: out of file descriptors (EMFILE, also when this package's own files cannot be opened), a noexec mount (refused whether or not the library would be hashed), `memfd_create` refused by a seccomp profile, `/proc` not mounted",
    "use the platform package's release build of the library, or lift the limit the message names (open-files limit, noexec mount, seccomp profile, `/proc`).",
  ),
  row(
    'SYMBOL_MISSING',
    "the file has no `Warmup`; its Go runtime has started all the same, so the signal repair still runs, and it stays the process's library (a later call gets this error again, another library `ALREADY_WARMED`)",
    'point at a go-warmup library (built from go_warmup.go), not another Go library.',
  ),
  row(
    'CHECKSUM_MISMATCH',
    'the SHA-256 differs from the sums file or the pinned digest; nothing was loaded',
    'replace the file with the matching release build, or correct the pinned digest.',
  ),
  row(
    'SUMS_INVALID',
    'the sums file beside the library cannot be read, is malformed, lists a name twice or does not list the library; nothing was loaded',
    "replace the sums file with the release's own (lines `<sha256>  ./<file>`), or remove it to load the library unverified.",
  ),
  row('BAD_RESULT', '`Warmup()` did not return 1 (kept: it is not called again)', 'use an upstream go-warmup library; this one is not the go_warmup.go build.'),
  row(
    'ALREADY_WARMED',
    'a library is loaded already, and the call asks for another one (a path naming a file with other bytes: a copy with the same bytes renamed over it is the same library) or a digest it does not have, or one that can no longer be checked; set the choice before the first require (environment variables, or `warmup()` before anything requires the package)',
    'choose the library and digest before the first require: ASHERAH_WARMUP_LIBRARY and ASHERAH_WARMUP_SHA256, or `warmup({ library, sha256 })` before anything else requires the package.',
  ),
  row('INVALID_OPTION', 'a bad option or environment value', 'correct the option or variable the message names, as it says.'),
  row(
    'INTERNAL',
    'a bug in asherah-warmup (a Rust panic, caught: the process goes on); the message says what, and to report it with `npx asherah-warmup doctor --json`',
    'report it, with the output of `npx asherah-warmup doctor --json`.',
  ),
])

/** The fix wherever a process runs out of file descriptors (the addon's loads, the JS layer's own files). */
const RAISE_FILE_LIMIT =
  "raise the open-files limit (`ulimit -n`, systemd's LimitNOFILE, docker run --ulimit nofile=...) or close the descriptors the app leaks"

module.exports = { PREFIX, ERROR_CODES, RAISE_FILE_LIMIT }
