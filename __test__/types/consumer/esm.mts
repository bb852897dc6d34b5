// An ES module consumer (node16: an .mts file is ESM), with no @types/node: the package's types
// must stand on their own. Compiled by __test__/types.test.js inside a project whose
// node_modules/asherah-warmup is the package as installed, so resolution goes through the
// package's own `exports` and `types`.

import type { ErrorCode, RuntimeInfo, SignalReport, WarmupError, WarmupStatus } from 'asherah-warmup'
import pkg, { codes, detectRuntime, libraryName, needsWarmup, repairSignals, status, warmup } from 'asherah-warmup'
import 'asherah-warmup/register'

const first: Readonly<WarmupStatus> = warmup({ library: '/opt/go-warmup-linux-x64.so', sha256: 'a'.repeat(64), force: true })
const calls: number = status().calls
const needed: boolean = needsWarmup()
const report: SignalReport = repairSignals()
const runtime: RuntimeInfo = detectRuntime()
const name: string | null = libraryName('linux', 'arm64') ?? libraryName()
const viaDefault: boolean = pkg.needsWarmup()

function codeOf(err: unknown): ErrorCode | undefined {
  const code = (err as WarmupError).code
  return code === codes.NOT_FOUND || code === codes.CHECKSUM_MISMATCH ? code : undefined
}

// @ts-expect-error: codes is read-only.
codes.NOT_FOUND = 'x'

export { calls, codeOf, first, name, needed, report, runtime, viaDefault }
