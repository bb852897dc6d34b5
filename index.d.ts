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

export type ErrorCode =
  | 'ERR_ASHERAH_WARMUP_UNSUPPORTED_PLATFORM'
  | 'ERR_ASHERAH_WARMUP_NOT_FOUND'
  | 'ERR_ASHERAH_WARMUP_LOAD_FAILED'
  | 'ERR_ASHERAH_WARMUP_SYMBOL_MISSING'
  | 'ERR_ASHERAH_WARMUP_CHECKSUM_MISMATCH'
  | 'ERR_ASHERAH_WARMUP_BAD_RESULT'
  | 'ERR_ASHERAH_WARMUP_INVALID_OPTION'
  | 'ERR_ASHERAH_WARMUP_SUMS_INVALID'
  | 'ERR_ASHERAH_WARMUP_ALREADY_WARMED'
  | 'ERR_ASHERAH_WARMUP_INTERNAL'

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

/** Warms up once per process (idempotent); under Node and Deno a no-op unless `force`. */
export function warmup(options?: WarmupOptions): Readonly<WarmupStatus>
/**
 * What warmup(options) would do: the library it would load, how it would verify it, the
 * candidates it passed over, or why it would fail. Loads the addon, never a Go library.
 */
export function plan(options?: WarmupOptions): Readonly<WarmupPlan>
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
  SUMS_INVALID: 'ERR_ASHERAH_WARMUP_SUMS_INVALID'
  ALREADY_WARMED: 'ERR_ASHERAH_WARMUP_ALREADY_WARMED'
  INTERNAL: 'ERR_ASHERAH_WARMUP_INTERNAL'
}>
