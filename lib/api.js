'use strict'
// The public API of asherah-warmup, without side effects: requiring this file does nothing;
// index.js, the package entry, adds what a require promises. This file is on Bun's startup path:
// helper modules and node: builtins (not free to load under Bun) are required where first needed.

const core = require('./runtime.js')
// The API's own names for the core's pure rules.
const { runtime, CODES: codes, needsWarmup, detectRuntime, libraryName } = core

/** This realm's status once warmed up: repeat calls return it without crossing into the addon. */
let settled = null

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

/** One line for ASHERAH_VERBOSE (stderr, `asherah-warmup:` prefix) and NODE_DEBUG=asherah-warmup. */
function report(status) {
  const { ASHERAH_VERBOSE, NODE_DEBUG } = process.env
  if (!ASHERAH_VERBOSE && !NODE_DEBUG) return
  const repaired = status.signals?.sigpwrOnstackCleared || status.signals?.sigpipeIgnoreRestored
  const line = `Warmup() = ${status.result} from ${status.library} (${status.source}, verification: ${status.verification}) in ${status.durationMs.toFixed(2)} ms under ${status.runtime} ${status.runtimeVersion}${repaired ? '; signal handlers repaired' : ''}`
  if (ASHERAH_VERBOSE) process.stderr.write(`asherah-warmup: ${line}\n`)
  if (NODE_DEBUG) require('node:util').debuglog('asherah-warmup')(line)
}

/** Options or environment settings that have to be validated, as opposed to the defaults. */
function hasSettings(opts) {
  const env = process.env
  return opts !== undefined || Boolean(env.ASHERAH_WARMUP_LIBRARY || env.ASHERAH_WARMUP_SHA256)
}

/** The options (validated): the library and digest chosen, and whether they force a warmup. */
function parse(opts) {
  // The default call (the one a Bun require makes) has nothing to validate: skip the parser.
  return hasSettings(opts) ? require('./options.js').parseWarmupOptions(opts) : { force: false, choice: {} }
}

/** The addon, loaded, and its request for `choice`. */
function addonWith(choice) {
  const addon = core.loadAddon()
  // Where Bun's bundler embedded the addon (a `bun build --compile` executable, a bundle), the
  // library comes with it, unless one was chosen explicitly.
  const embedded = choice.library === undefined ? core.embeddedFiles() : undefined
  return { addon, request: { ...choice, embedded, repairSignals: core.signalRepairApplies() } }
}

function warmup(opts) {
  if (settled !== null && !hasSettings(opts)) return settled
  const { force, choice } = parse(opts)
  const needed = needsWarmup()
  if (!needed && !force) return toStatus(null, false)
  const { addon, request } = addonWith(choice)
  // Once settled, the addon still checks these settings against what was loaded.
  const native = addon.warmup(request, resolveAsherahNode)
  if (settled === null) {
    settled = toStatus(native, needed)
    report(settled)
  }
  return settled
}

/**
 * What warmup(opts) would do, without loading anything: the library it would pick, how it
 * would verify it, the candidates it passed over, the signal repair, or why it would fail.
 */
function plan(opts) {
  const { addon, request } = addonWith(parse(opts).choice)
  const native = addon.plan(request, resolveAsherahNode)
  return { ...native, needed: core.neededOrFalse(), signalRepair: request.repairSignals }
}

function status() {
  if (settled) return settled
  // Another realm (a worker, the main thread) may have warmed up: ask the addon if it is mapped.
  return toStatus(core.mappedAddon()?.settledStatus() ?? null, core.neededOrFalse())
}

function repairSignals() {
  return core.signalRepairSupported() ? core.loadAddon().repairSignals() : { supported: false }
}

/** The first file in the stack above `fn` (Bun can put "[native code]" frames first), else a stand-in in the working directory. */
function callerFile(fn) {
  const { prepareStackTrace } = Error
  const holder = {}
  Error.prepareStackTrace = (_, sites) => sites.map((site) => toPath(site.getFileName?.())).find((name) => name && require('node:path').isAbsolute(name))
  try {
    // A runtime without V8's call-site API leaves no frames.
    Error.captureStackTrace?.(holder, fn)
    return holder.stack ?? require('node:path').join(process.cwd(), '[caller]')
  } finally {
    Error.prepareStackTrace = prepareStackTrace
  }
}

const toPath = (name) => (typeof name === 'string' && name.startsWith('file:') ? require('node:url').fileURLToPath(name) : name)

/**
 * The file to resolve from: `from` when given (a path or a file: URL such as import.meta.url),
 * else the caller's frame. JavaScriptCore makes `return requireAsherah()` in strict code a proper
 * tail call that removes the caller's frame, so under Bun such a call needs `from`.
 */
function resolveFrom(from) {
  if (from === undefined) return callerFile(requireAsherah)
  const file = toPath(from)
  if (typeof file === 'string' && require('node:path').isAbsolute(file)) return file
  throw core.warmupError(
    codes.INVALID_OPTION,
    `requireAsherah()'s from option must be an absolute path or a file: URL (__filename, import.meta.url), got ${JSON.stringify(from)}.`,
  )
}

function requireAsherah(id = 'asherah', opts) {
  const { from, ...warmupOptions } = opts ?? {}
  const file = resolveFrom(from)
  const forwarded = opts === undefined ? undefined : warmupOptions
  if (needsWarmup() || warmupOptions.force) warmup(forwarded)
  const repairer = core.signalRepairer()
  const loaded = require('node:module').createRequire(file)(id)
  repairer?.repairSignals()
  return loaded
}

// A plain object literal of declared names: Node's and Deno's ESM import of this CommonJS file
// finds named exports only in this form (cjs-module-lexer).
module.exports = { warmup, status, plan, needsWarmup, repairSignals, requireAsherah, detectRuntime, libraryName, codes }
