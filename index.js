'use strict'
// asherah-warmup: starts a Go runtime (the go-warmup library) before asherah-node's
// asherah.node loads under Bun, and repairs what Go does to Bun's signal handlers.
// Under Bun, requiring this file warms up; elsewhere it loads nothing native.

const path = require('node:path')
const { createRequire } = require('node:module')
const { fileURLToPath } = require('node:url')
const binding = require('./lib/binding')
const { detectRuntime } = require('./lib/runtime')
const { libraryName } = require('./lib/platform')
const { CODES } = require('./lib/errors')
const { warmupMode, parseWarmupOptions, signalRepairEnabled } = require('./lib/options')

const runtime = detectRuntime()
/** This realm's status once warmed up: repeat calls return it without crossing into the addon. */
let settled = null

function needsWarmup() {
  const mode = warmupMode()
  return mode === 'always' || (mode === 'auto' && runtime.name === 'bun')
}

function toStatus(native, needed) {
  return Object.freeze({
    runtime: runtime.name,
    runtimeVersion: runtime.version,
    needed,
    warmed: native?.warmed ?? false,
    result: native?.result ?? null,
    library: native?.library ?? null,
    source: native?.source ?? null,
    sha256: native?.sha256 ?? null,
    verified: native?.verified ?? false,
    verification: native?.verification ?? null,
    calls: native?.calls ?? 0,
    durationMs: native?.durationMs ?? null,
    tried: Object.freeze(native?.tried ?? []),
    signals: native?.signals ?? null,
  })
}

/** asherah-node's package folder, where its downloader puts lib/<go-warmup library>. */
function resolveAsherahNode() {
  try {
    return path.dirname(require.resolve('asherah/package.json', { paths: [__dirname, process.cwd()] }))
  } catch {
    return null
  }
}

function report(status) {
  if (!process.env.ASHERAH_VERBOSE) return
  const repaired = status.signals?.sigpwrOnstackCleared || status.signals?.sigpipeIgnoreRestored
  process.stderr.write(
    `asherah-warmup: Warmup() = ${status.result} from ${status.library} (${status.source}, verification: ${status.verification}) in ${status.durationMs.toFixed(2)} ms under ${status.runtime} ${status.runtimeVersion}${repaired ? '; signal handlers repaired' : ''}\n`,
  )
}

function warmup(options) {
  if (settled !== null) return settled
  const { force, request } = parseWarmupOptions(options, runtime)
  const needed = needsWarmup()
  if (!needed && !force) return toStatus(null, false)
  settled = toStatus(binding.load().warmup(request, resolveAsherahNode), needed)
  report(settled)
  return settled
}

function status() {
  let needed = false
  try {
    needed = needsWarmup()
  } catch {
    // An invalid ASHERAH_WARMUP is reported by warmup(); status() never throws.
  }
  return settled ?? toStatus(binding.loaded()?.settledStatus() ?? null, needed)
}

function repairSignals() {
  if (!signalRepairEnabled(runtime, {})) return { supported: false }
  return binding.load().repairSignals()
}

/**
 * Under Bun on linux (unless ASHERAH_WARMUP_SIGNAL_REPAIR=0), loads our addon so its signal
 * baseline is taken before any Go code loads, and returns it; null where no repair applies.
 */
function signalRepairer() {
  return signalRepairEnabled(runtime) ? binding.load() : null
}

/** Repairs what a Go load just did to Bun's signal handlers, where the repair applies. */
function repairAfterGoLoad() {
  return signalRepairer()?.repairSignals() ?? null
}

/** The file that called `fn`, to resolve modules the way that file's own require would. */
function callerFile(fn) {
  const original = Error.prepareStackTrace
  let file = null
  try {
    Error.prepareStackTrace = (_, callSites) => callSites
    const holder = {}
    Error.captureStackTrace(holder, fn)
    file = holder.stack?.[0]?.getFileName?.() ?? null
  } catch {
    // A runtime without V8's call-site API: fall back to the working directory.
  } finally {
    Error.prepareStackTrace = original
  }
  if (file?.startsWith('file:')) file = fileURLToPath(file)
  return file && path.isAbsolute(file) ? file : path.join(process.cwd(), '[caller]')
}

function requireAsherah(id = 'asherah', options) {
  const from = callerFile(requireAsherah)
  if (needsWarmup() || options?.force) warmup(options)
  signalRepairer()
  const loaded = createRequire(from)(id)
  repairAfterGoLoad()
  return loaded
}

module.exports = {
  warmup,
  status,
  needsWarmup,
  repairSignals,
  requireAsherah,
  detectRuntime,
  libraryName,
  codes: CODES,
}
// Internal, for register.js: it repairs after every native module load.
Object.defineProperties(module.exports, {
  _signalRepairer: { value: signalRepairer },
  _repairAfterGoLoad: { value: repairAfterGoLoad },
})

if (needsWarmup()) warmup()
