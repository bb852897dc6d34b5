// A consumer compiled as a bundler sees it (moduleResolution bundler), with no @types/node and
// exactOptionalPropertyTypes on.

import type { WarmupOptions, WarmupStatus } from 'asherah-warmup'
import { codes, detectRuntime, libraryName, needsWarmup, repairSignals, status, warmup } from 'asherah-warmup'
import 'asherah-warmup/register'

const options: WarmupOptions = { force: true }
const warmed: Readonly<WarmupStatus> = warmup(options)
const tried: readonly string[] = status().tried.map((t) => t.path)
const needed: boolean = needsWarmup()
const supported: boolean = repairSignals().supported
const runtime: string = detectRuntime().name
const name: string | null = libraryName('linux')
const invalid: 'ERR_ASHERAH_WARMUP_INVALID_OPTION' = codes.INVALID_OPTION

// @ts-expect-error: unknown option names are rejected at compile time as at run time.
warmup({ libary: 'typo' })

export { invalid, name, needed, runtime, supported, tried, warmed }
