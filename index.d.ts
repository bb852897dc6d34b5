// Public types of asherah-warmup. The kinds and shapes the addon reports come from its generated
// types (generated/binding.d.ts, written by napi-rs from src/ and committed), so they cannot drift.
import type {
  Plan as NativePlan,
  SignalReport as NativeSignalReport,
  NativeStatus,
  Verification as NativeVerification,
  Source,
  Tried,
} from './generated/binding'

export type Runtime = 'bun' | 'node' | 'deno' | 'unknown'

// BEGIN codes: written by scripts/sync-versions.js from scripts/lib/error-codes.js; do not edit
/** The stable error codes, by name (README.md's error table). */
export const codes: Readonly<{
  /**
   * When: no go-warmup library exists for this platform (Windows, musl: Go c-shared libraries cannot be dlopened on musl). Under Node nothing fails.
   * Fix: run the app under Node there (it needs no warmup), or under Bun on linux (glibc) or macOS, x64 or arm64.
   */
  UNSUPPORTED_PLATFORM: 'ERR_ASHERAH_WARMUP_UNSUPPORTED_PLATFORM'
  /**
   * When: no library at the explicit path, or it (or the platform package's addon) is no regular file (a directory, a FIFO, a device), or none found; lists every path tried. A require that throws it (or any other code) has already installed the signal repair, so an app that catches it and carries on cannot hang; but for a missing platform package (the addon itself not found): then nothing can repair, and the app must not go on to load asherah under Bun before 1.4
   * Fix: install asherah-warmup with its optional dependencies (`npm install --include=optional`) where the app runs, or set ASHERAH_WARMUP_LIBRARY to the absolute path of the go-warmup library.
   */
  NOT_FOUND: 'ERR_ASHERAH_WARMUP_NOT_FOUND'
  /**
   * When: the library is over 64 MiB, truncated, for another architecture or no library at all (the header check says which), or the loader refused it (its own message); or the machine refused the load, each cause with its own fix: out of file descriptors (EMFILE, also when this package's own files cannot be opened), a noexec mount (refused whether or not the library would be hashed), `memfd_create` refused by a seccomp profile, `/proc` not mounted
   * Fix: use the platform package's release build of the library, or lift the limit the message names (open-files limit, noexec mount, seccomp profile, `/proc`).
   */
  LOAD_FAILED: 'ERR_ASHERAH_WARMUP_LOAD_FAILED'
  /**
   * When: the file has no `Warmup`; its Go runtime has started all the same, so the signal repair still runs, and it stays the process's library (a later call gets this error again, another library `ALREADY_WARMED`)
   * Fix: point at a go-warmup library (built from go_warmup.go), not another Go library.
   */
  SYMBOL_MISSING: 'ERR_ASHERAH_WARMUP_SYMBOL_MISSING'
  /**
   * When: the SHA-256 differs from the sums file or the pinned digest; nothing was loaded
   * Fix: replace the file with the matching release build, or correct the pinned digest.
   */
  CHECKSUM_MISMATCH: 'ERR_ASHERAH_WARMUP_CHECKSUM_MISMATCH'
  /**
   * When: the sums file beside the library cannot be read, is malformed, lists a name twice or does not list the library; nothing was loaded
   * Fix: replace the sums file with the release's own (lines `<sha256>  ./<file>`), or remove it to load the library unverified.
   */
  SUMS_INVALID: 'ERR_ASHERAH_WARMUP_SUMS_INVALID'
  /**
   * When: `Warmup()` did not return 1 (kept: it is not called again)
   * Fix: use an upstream go-warmup library; this one is not the go_warmup.go build.
   */
  BAD_RESULT: 'ERR_ASHERAH_WARMUP_BAD_RESULT'
  /**
   * When: a library is loaded already, and the call asks for another one (a path naming a file with other bytes: a copy with the same bytes renamed over it is the same library) or a digest it does not have, or one that can no longer be checked; set the choice before the first require (environment variables, or `warmup()` before anything requires the package)
   * Fix: choose the library and digest before the first require: ASHERAH_WARMUP_LIBRARY and ASHERAH_WARMUP_SHA256, or `warmup({ library, sha256 })` before anything else requires the package.
   */
  ALREADY_WARMED: 'ERR_ASHERAH_WARMUP_ALREADY_WARMED'
  /**
   * When: a bad option or environment value
   * Fix: correct the option or variable the message names, as it says.
   */
  INVALID_OPTION: 'ERR_ASHERAH_WARMUP_INVALID_OPTION'
  /**
   * When: a bug in asherah-warmup (a Rust panic, caught: the process goes on); the message says what, and to report it with `npx asherah-warmup doctor --json`
   * Fix: report it, with the output of `npx asherah-warmup doctor --json`.
   */
  INTERNAL: 'ERR_ASHERAH_WARMUP_INTERNAL'
}>
// END codes

export type ErrorCode = (typeof codes)[keyof typeof codes]

/** Every error this package throws is an Error with one of these codes. */
export interface WarmupError extends Error {
  code: ErrorCode
}

export interface WarmupOptions {
  /** Path of the go-warmup library to load instead of searching (relative to the working directory). */
  library?: string
  /** Hex SHA-256 the library must have before it is loaded. */
  sha256?: string
  /** Warm up on any runtime, not only Bun. */
  force?: boolean
}

/** Where the library was found. */
export type LibrarySource = `${Source}`

/** How the library's integrity was established before loading. */
export type Verification = `${NativeVerification}`

/** A candidate path that was looked at and not used. */
export type TriedPath = Omit<Tried, 'source'> & { source: LibrarySource }

/** What one signal repair found and changed (linux under Bun; `supported: false` elsewhere). */
export type SignalReport = Partial<NativeSignalReport> & Pick<NativeSignalReport, 'supported'>

/** What warmup() would do, without loading anything: `plan()`. */
export type WarmupPlan = Omit<NativePlan, 'source' | 'verification' | 'tried' | 'settled' | 'errorCode'> & {
  source?: LibrarySource
  verification?: Verification
  tried: TriedPath[]
  /** This process already loaded a library: its outcome. */
  settled?: Omit<NativeStatus, 'source' | 'verification' | 'tried'>
  errorCode?: ErrorCode
  /** Whether this runtime and ASHERAH_WARMUP call for a warmup. */
  needed: boolean
  /** Whether the signal repair would follow the load. */
  signalRepair: boolean
}

export interface WarmupStatus {
  runtime: Runtime
  runtimeVersion: string | null
  /** Whether this runtime and ASHERAH_WARMUP call for a warmup. */
  needed: boolean
  warmed: boolean
  /** What Warmup() returned, or null when it was not called. */
  result: number | null
  library: string | null
  source: LibrarySource | null
  sha256: string | null
  verified: boolean
  verification: Verification | null
  /** How many times this process called Warmup (0 or 1). */
  calls: number
  durationMs: number | null
  /** Candidate paths that were looked at and not used. */
  tried: readonly TriedPath[]
  /** The repair made right after the warmup, or null when none ran. */
  signals: SignalReport | null
}

export interface RuntimeInfo {
  name: Runtime
  version: string | null
}

/** Warms up once per process (idempotent); under Node and Deno a no-op unless `force` or `ASHERAH_WARMUP=always`. */
export function warmup(options?: WarmupOptions): Readonly<WarmupStatus>
/**
 * What warmup(options) would do: the library it would load, how it would verify it, the
 * candidates it passed over, or why it would fail. Loads the addon, never a Go library.
 */
export function plan(options?: WarmupOptions): Readonly<WarmupPlan>
/**
 * The current status. Maps no new file (it asks the addon only where this process mapped it, but for one a reinstall replaced on
 * disk since); throws only where its first call cannot load the package's own lib/ (LOAD_FAILED: the process is out of descriptors).
 */
export function status(): Readonly<WarmupStatus>
/** Whether this runtime and ASHERAH_WARMUP (auto | always | never) call for a warmup. */
export function needsWarmup(): boolean
/** Clears what a Go runtime start did to Bun's SIGPWR and SIGPIPE handlers (SIGPIPE not where this thread listens for it, or a repair kept it for the app). */
export function repairSignals(): SignalReport
export function detectRuntime(): RuntimeInfo
/**
 * The go-warmup release file name for a platform (`process.platform`, `process.arch` values;
 * by default this process's), or null where upstream ships none. Typed as plain strings so the
 * types need no @types/node.
 */
export function libraryName(platform?: string, arch?: string): string | null
