// Compiled with `tsc --noEmit` by the test suite: the public types must describe real usage.

import type { ErrorCode, SignalReport, WarmupError, WarmupStatus } from 'asherah-warmup'
import { codes, detectRuntime, libraryName, needsWarmup, repairSignals, status, warmup } from 'asherah-warmup'
import 'asherah-warmup/register'

const first: Readonly<WarmupStatus> = warmup({ library: '/opt/go-warmup-linux-x64.so', sha256: 'a'.repeat(64), force: true })
const calls: number = first.calls
const source: 'option' | 'env' | 'package' | 'asherah-node' | 'embedded' | null = status().source
const needed: boolean = needsWarmup()
const runtimeName: 'bun' | 'node' | 'deno' | 'unknown' = detectRuntime().name
const name: string | null = libraryName('linux', 'arm64')
const report: SignalReport = repairSignals()

try {
  warmup()
} catch (err) {
  const code: ErrorCode = (err as WarmupError).code
  if (code === codes.NOT_FOUND) console.log(first.tried.map((t) => t.path))
}

// @ts-expect-error: unknown option names are rejected at compile time as at run time.
warmup({ libary: 'typo' })

export { calls, name, needed, report, runtimeName, source }
