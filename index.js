'use strict'
// asherah-warmup: starts a Go runtime (the go-warmup library) before asherah-node's
// asherah.node loads under Bun, and repairs what Go does to Bun's signal handlers.
// Under Bun, requiring this file warms up; elsewhere it loads nothing native.
//
// This file is on every importer's startup path, so it requires nothing at load time: each
// helper module (and each node: builtin, which Bun initialises lazily and not for free) is
// required where it is first needed.

const options = () => require('./lib/options.js')

/**
 * Where the napi-rs addon can be, in the order tried: the platform package beside this one (a
 * flat or pnpm install, by absolute path: a miss costs one stat), the platform package by name
 * (other layouts: a miss walks up every node_modules), and a checkout's npm/<triple>/ build.
 */
function addonCandidates() {
  // lib/platform.js packageTriple()'s rule, kept inline: requiring that file here would put a
  // second file on Bun's startup path for one line.
  const triple = process.platform === 'linux' ? `linux-${process.arch}-gnu` : `${process.platform}-${process.arch}`
  const file = `asherah-warmup.${triple}.node`
  return { triple, ids: [`${__dirname}/../asherah-warmup-${triple}/${file}`, `asherah-warmup-${triple}`, `${__dirname}/npm/${triple}/${file}`] }
}

/**
 * The addon, loaded on first use. lib/binding.js explains a failure; it is not loaded on
 * success, since under Bun every extra file on this path costs a few hundred microseconds.
 */
let addon = null
function loadAddon() {
  if (addon) return addon
  const { triple, ids } = addonCandidates()
  for (const id of ids) {
    try {
      addon = require(id)
      return addon
    } catch (err) {
      if (err.code !== 'MODULE_NOT_FOUND') throw require('./lib/binding.js').loadFailed(id, err)
    }
  }
  throw require('./lib/binding.js').missing(triple, ids)
}

/** Which runtime this is, from its own globals; Bun and Deno also set process.versions.node. */
function detectRuntime() {
  if (typeof Bun !== 'undefined' && process.versions.bun) return { name: 'bun', version: process.versions.bun }
  if (typeof Deno !== 'undefined' && Deno.version) return { name: 'deno', version: Deno.version.deno }
  if (process.release?.name === 'node') return { name: 'node', version: process.versions.node }
  return { name: 'unknown', version: null }
}

const runtime = detectRuntime()
/** This realm's status once warmed up: repeat calls return it without crossing into the addon. */
let settled = null

function needsWarmup() {
  // ASHERAH_WARMUP: auto (the default: Bun only), always or never; validated in lib/options.js.
  const mode = process.env.ASHERAH_WARMUP ? options().warmupMode() : 'auto'
  return mode === 'always' || (mode === 'auto' && runtime.name === 'bun')
}

/** Where Go's changes to the signal handlers hang the runtime, so there is something to repair. */
function signalRepairSupported() {
  return runtime.name === 'bun' && process.platform === 'linux'
}

/** The automatic signal repair: where supported, unless ASHERAH_WARMUP_SIGNAL_REPAIR=0. */
function signalRepairApplies() {
  return signalRepairSupported() && process.env.ASHERAH_WARMUP_SIGNAL_REPAIR !== '0'
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
    return require('node:path').dirname(require.resolve('asherah/package.json', { paths: [__dirname, process.cwd()] }))
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

/** Options or environment settings that have to be validated, as opposed to the defaults. */
function hasSettings(opts) {
  const env = process.env
  return opts !== undefined || Boolean(env.ASHERAH_WARMUP_LIBRARY || env.ASHERAH_WARMUP_SHA256)
}

function warmup(opts) {
  if (settled !== null) return settled
  // The default call (the one a Bun require makes) has nothing to validate: skip the parser.
  const { force, choice } = hasSettings(opts) ? options().parseWarmupOptions(opts) : { force: false, choice: {} }
  const needed = needsWarmup()
  if (!needed && !force) return toStatus(null, false)
  const request = { ...choice, repairSignals: signalRepairApplies() }
  settled = toStatus(loadAddon().warmup(request, resolveAsherahNode), needed)
  report(settled)
  return settled
}

/** needsWarmup() that never throws: an invalid ASHERAH_WARMUP is left for warmup() to report. */
function neededOrFalse() {
  try {
    return needsWarmup()
  } catch {
    return false
  }
}

function status() {
  if (settled) return settled
  // Another realm (a worker, the main thread) may have warmed up: ask the addon if it is mapped.
  addon ??= require('./lib/binding.js').mappedAddon()
  return toStatus(addon?.settledStatus() ?? null, neededOrFalse())
}

/**
 * Where the repair applies, loads our addon (no Go in it) so its signal baseline is taken
 * before any Go code loads, and returns it; null elsewhere.
 */
function signalRepairer() {
  return signalRepairApplies() ? loadAddon() : null
}

/** Repairs what a Go load just did to Bun's signal handlers, where the repair applies. */
function repairAfterGoLoad() {
  return signalRepairer()?.repairSignals() ?? null
}

function repairSignals() {
  return signalRepairSupported() ? loadAddon().repairSignals() : { supported: false }
}

/** The file that called `fn`, to resolve modules the way that file's own require would. */
function callerFile(fn) {
  const path = require('node:path')
  const toPath = (name) => (name?.startsWith('file:') ? require('node:url').fileURLToPath(name) : name)
  const original = Error.prepareStackTrace
  let file = null
  try {
    Error.prepareStackTrace = (_, callSites) => callSites
    const holder = {}
    Error.captureStackTrace(holder, fn)
    // The first frame with a file (Bun can put "[native code]" frames first).
    file = holder.stack
      ?.map((site) => toPath(site.getFileName?.()))
      .find((name) => name && path.isAbsolute(name))
  } catch {
    // A runtime without V8's call-site API: fall back to the working directory.
  } finally {
    Error.prepareStackTrace = original
  }
  return file ?? path.join(process.cwd(), '[caller]')
}

/**
 * The file to resolve from: `from` when given (a path or a file: URL such as import.meta.url),
 * else the caller's frame. JavaScriptCore makes `return requireAsherah()` in strict code a proper
 * tail call that removes the caller's frame, so under Bun such a call needs `from`.
 */
function resolveFrom(from) {
  if (from === undefined) return callerFile(requireAsherah)
  const file = typeof from === 'string' && from.startsWith('file:') ? require('node:url').fileURLToPath(from) : from
  if (typeof file !== 'string' || !require('node:path').isAbsolute(file)) {
    const { CODES, warmupError } = require('./lib/errors.js')
    throw warmupError(CODES.INVALID_OPTION, `requireAsherah()'s from option must be an absolute path or a file: URL (__filename, import.meta.url), got ${JSON.stringify(from)}.`)
  }
  return file
}

function requireAsherah(id = 'asherah', opts) {
  const { from, ...warmupOptions } = opts ?? {}
  const file = resolveFrom(from)
  const forwarded = opts === undefined ? undefined : warmupOptions
  if (needsWarmup() || warmupOptions.force) warmup(forwarded)
  const repairer = signalRepairer()
  const loaded = require('node:module').createRequire(file)(id)
  repairer?.repairSignals()
  return loaded
}

module.exports = {
  warmup,
  status,
  needsWarmup,
  repairSignals,
  requireAsherah,
  detectRuntime,
  libraryName: (platform, arch) => require('./lib/platform.js').libraryName(platform, arch),
}
Object.defineProperties(module.exports, {
  codes: { enumerable: true, get: () => require('./lib/errors.js').CODES },
  // Internal: register.js repairs after every native module load; doctor lists the candidates.
  _addonCandidates: { value: addonCandidates },
  _signalRepairer: { value: signalRepairer },
  _repairAfterGoLoad: { value: repairAfterGoLoad },
})

// Under Bun an invalid ASHERAH_WARMUP fails the require with its clear error; elsewhere nothing
// is needed, so nothing may fail.
if (runtime.name === 'bun' ? needsWarmup() : neededOrFalse()) warmup()
