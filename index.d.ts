// Public types of asherah-warmup (hand-written; the addon's own are generated into generated/).

export type Runtime = 'bun' | 'node' | 'deno' | 'unknown'

export type ErrorCode =
  | 'ERR_ASHERAH_WARMUP_UNSUPPORTED_PLATFORM'
  | 'ERR_ASHERAH_WARMUP_NOT_FOUND'
  | 'ERR_ASHERAH_WARMUP_LOAD_FAILED'
  | 'ERR_ASHERAH_WARMUP_SYMBOL_MISSING'
  | 'ERR_ASHERAH_WARMUP_CHECKSUM_MISMATCH'
  | 'ERR_ASHERAH_WARMUP_BAD_RESULT'
  | 'ERR_ASHERAH_WARMUP_INVALID_OPTION'

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
export type LibrarySource = 'option' | 'env' | 'package' | 'asherah-node'

/** How the library's integrity was established before loading. */
export type Verification = 'pinned' | 'sums-file' | 'package-manager' | 'none'

export interface TriedPath {
  path: string
  source: LibrarySource
  reason: string
}

/** What one signal repair found and changed (linux under Bun; `supported: false` elsewhere). */
export interface SignalReport {
  supported: boolean
  sigpwrFlagsBefore?: number
  sigpwrFlagsAfter?: number
  sigpwrOnstackCleared?: boolean
  sigpipeIgnoredBefore?: boolean
  sigpipeIgnoredAfter?: boolean
  sigpipeIgnoreRestored?: boolean
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

/** Warms up once per process (idempotent); under Node and Deno a no-op unless `force`. */
export function warmup(options?: WarmupOptions): Readonly<WarmupStatus>
/** The current status; never throws and never loads anything. */
export function status(): Readonly<WarmupStatus>
/** Whether this runtime and ASHERAH_WARMUP (auto | always | never) call for a warmup. */
export function needsWarmup(): boolean
/** Clears what a Go runtime start did to Bun's SIGPWR and SIGPIPE handlers. */
export function repairSignals(): SignalReport
export interface RequireAsherahOptions extends WarmupOptions {
  /**
   * The file to resolve `id` from (`__filename` or `import.meta.url`); by default the caller's
   * file. Under Bun, a call in tail position of strict code (`return requireAsherah()`,
   * `() => requireAsherah()`) loses the caller's frame to JavaScriptCore's proper tail calls:
   * pass `from` there.
   */
  from?: string
}

/** Warms up if needed, then requires `id` (default 'asherah') as the caller's own require would. */
export function requireAsherah<T = unknown>(id?: string, options?: RequireAsherahOptions): T
export function detectRuntime(): RuntimeInfo
/**
 * The go-warmup release file name for a platform (`process.platform`, `process.arch` values;
 * by default this process's), or null where upstream ships none. Typed as plain strings so the
 * types need no @types/node.
 */
export function libraryName(platform?: string, arch?: string): string | null
export const codes: Readonly<{
  UNSUPPORTED_PLATFORM: 'ERR_ASHERAH_WARMUP_UNSUPPORTED_PLATFORM'
  NOT_FOUND: 'ERR_ASHERAH_WARMUP_NOT_FOUND'
  LOAD_FAILED: 'ERR_ASHERAH_WARMUP_LOAD_FAILED'
  SYMBOL_MISSING: 'ERR_ASHERAH_WARMUP_SYMBOL_MISSING'
  CHECKSUM_MISMATCH: 'ERR_ASHERAH_WARMUP_CHECKSUM_MISMATCH'
  BAD_RESULT: 'ERR_ASHERAH_WARMUP_BAD_RESULT'
  INVALID_OPTION: 'ERR_ASHERAH_WARMUP_INVALID_OPTION'
}>
