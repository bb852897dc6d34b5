'use strict'
// The public API, without side effects: requiring this file does nothing. index.js, the entry, adds what a require
// promises, and loads this file on the first call of a name or at a require with settings to validate.

const fs = require('node:fs')
const path = require('node:path')
const addon = require('./addon.js')
const { CODES: codes } = require('./codes.js')
const { libraryName } = require('./platforms.js')
const options = require('./options.js')
const { asherahFolder, needsWarmup } = options

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

/** A status's fields before a warmup, in order; the addon's status (`native`) has those that have a value. */
const NOT_WARMED = { warmed: false, result: null, library: null, source: null, sha256: null, verified: false, verification: null, calls: 0, durationMs: null }

function toStatus(native, needed) {
  const status = { runtime: runtime.name, runtimeVersion: runtime.version, needed, ...NOT_WARMED, tried: null, signals: null, ...native }
  // Plain copies of the addon's objects, which Bun 1.2's structuredClone (postMessage to another thread) refuses.
  const tried = (native?.tried ?? []).map((candidate) => Object.freeze({ ...candidate }))
  return Object.freeze({ ...status, tried: Object.freeze(tried), signals: status.signals && Object.freeze({ ...status.signals }) })
}

/** The ASHERAH_VERBOSE line on stderr. */
function report(status) {
  if (!options.verbose()) return
  const repaired = status.signals?.sigpwrOnstackCleared || status.signals?.sigpipeIgnoreRestored
  const line = `Warmup() = ${status.result} from ${status.library} (${status.source}, verification: ${status.verification}) in ${status.durationMs.toFixed(2)} ms under ${status.runtime} ${status.runtimeVersion}${repaired ? '; signal handlers repaired' : ''}`
  process.stderr.write(`asherah-warmup: ${line}\n`)
}

/** Options or environment settings that have to be validated, as opposed to the defaults. */
const hasSettings = (opts) => opts !== undefined || Boolean(process.env.ASHERAH_WARMUP_LIBRARY || process.env.ASHERAH_WARMUP_SHA256)

function requestFor(choice) {
  const native = addon.load()
  // Where Bun's bundler embedded the addon (`bun build`, `--compile`), the library came with it, unless one is chosen.
  const embedded = choice.library === undefined ? addon.embeddedFiles() : undefined
  return { native, request: { ...choice, embedded, repairSignals: options.signalRepairApplies() } }
}

/** asherah-node's folder, for its downloaded lib/ copy, where the core found nothing (it never calls back into JS). */
function asherahNodeFor(code, request) {
  if (code !== codes.NOT_FOUND || request.library !== undefined || request.embedded) return undefined
  return asherahFolder(__filename) ?? asherahFolder(path.join(process.cwd(), '[app]'))
}

function warmup(opts) {
  if (settled !== null && !hasSettings(opts)) return settled
  const { force, choice } = options.parseWarmupOptions(opts)
  const needed = needsWarmup()
  // None needed: the state as it is. Once warmed (forced under Node), the addon still checks later settings against the load.
  if (!needed && !force && settled === null) return status()
  const { native, request } = requestFor(choice)
  // What a require that warmed up installs first, handed over by index.js where its require installed none
  // (ASHERAH_WARMUP=never): whatever this warmup ends in, a later asherah.node load starts Go's runtime all the same.
  if (request.repairSignals) addon.fromNowOn.repair?.(native)
  let loaded
  try {
    loaded = native.warmup(request)
  } catch (err) {
    const asherahNode = asherahNodeFor(err.code, request)
    if (!asherahNode) throw err
    loaded = native.warmup({ ...request, asherahNode })
  }
  if (settled === null) {
    settled = toStatus(loaded, needed)
    report(settled)
  }
  return settled
}

/** What warmup(opts) would do, loading nothing: the library, its verification, the candidates passed over, or why it would fail. */
function plan(opts) {
  // An invalid setting fails here as it would fail warmup().
  const needed = needsWarmup()
  const { force, choice } = options.parseWarmupOptions(opts)
  const { native, request } = requestFor(choice)
  const first = native.plan(request)
  const asherahNode = asherahNodeFor(first.errorCode, request)
  const answer = asherahNode ? native.plan({ ...request, asherahNode }) : first
  // The repair runs with a warmup: not where ASHERAH_WARMUP=never leaves the package inert.
  return { ...answer, needed, signalRepair: request.repairSignals && (needed || force) }
}

/** The addon this realm loaded, or one another realm (a worker, the main thread) mapped: requiring it maps nothing new. */
function mappedAddon() {
  const loaded = addon.loaded()
  if (loaded || process.platform !== 'linux') return loaded
  let maps = ''
  try {
    maps = fs.readFileSync('/proc/self/maps', 'utf8')
  } catch {}
  const line = maps.split('\n').find((l) => /\/asherah-warmup\.[\w-]+\.node( \(deleted\))?$/.test(l))
  if (!line) return null
  try {
    // Replaced on disk since (a reinstall): the loader knows the loaded copy by the name it was loaded under, this
    // install's for this copy of the package; another copy's addon answers for the process all the same.
    return line.endsWith(' (deleted)') ? addon.load() : require(line.slice(line.indexOf('/')))
  } catch {
    return null
  }
}

function status() {
  if (settled) return settled
  // This realm's entry, another realm (a worker, the main thread) or another copy may have warmed up.
  const native = mappedAddon()?.settledStatus() ?? null
  const current = toStatus(native, options.neededOrFalse())
  if (native?.warmed) settled = current
  return current
}

function repairSignals() {
  // No load was watched: whether this realm listens for SIGPIPE says if the handler is the app's.
  return options.repairSupported ? addon.load().repairSignals(process.listenerCount('SIGPIPE') > 0) : { supported: false }
}

// A plain object literal of declared names: Node's and Deno's ESM import of this CommonJS file finds named exports only so.
module.exports = { warmup, status, plan, needsWarmup, repairSignals, detectRuntime, libraryName, codes }
