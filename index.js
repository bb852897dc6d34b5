'use strict'
// asherah-warmup under Bun (package.json "exports": "bun"; Node and Deno get node.js, and this file where a resolver
// reads only "main"): starts a Go runtime before asherah-node's asherah.node loads, and repairs what Go does to Bun's
// signal handlers. A doorway: Bun pays about 0.3 ms per module (bench/README.md), so a Bun require or import with no
// ASHERAH_* setting runs this file alone; the API loads when one of its functions is first called.

const env = process.env
const isBun = typeof Bun !== 'undefined'

// BEGIN platform copies: written by scripts/sync-versions.js from lib/platforms.js; do not edit
const tripleOf = (platform = process.platform, arch = process.arch) => (platform === 'linux' ? `linux-${arch}-gnu` : `${platform}-${arch}`)
const addonBeside = (root, triple = tripleOf()) => `${root}/../asherah-warmup-${triple}/asherah-warmup.${triple}.node`
const repairsSignals = () => process.platform === 'linux'
// END platform copies

// BEGIN doorway: node.js has a copy of this part, written by scripts/sync-versions.js
// BEGIN copies: written by scripts/sync-versions.js from lib/api.js and scripts/lib/error-codes.js; do not edit
const CODES = Object.freeze({
  UNSUPPORTED_PLATFORM: 'ERR_ASHERAH_WARMUP_UNSUPPORTED_PLATFORM',
  NOT_FOUND: 'ERR_ASHERAH_WARMUP_NOT_FOUND',
  LOAD_FAILED: 'ERR_ASHERAH_WARMUP_LOAD_FAILED',
  SYMBOL_MISSING: 'ERR_ASHERAH_WARMUP_SYMBOL_MISSING',
  CHECKSUM_MISMATCH: 'ERR_ASHERAH_WARMUP_CHECKSUM_MISMATCH',
  SUMS_INVALID: 'ERR_ASHERAH_WARMUP_SUMS_INVALID',
  BAD_RESULT: 'ERR_ASHERAH_WARMUP_BAD_RESULT',
  ALREADY_WARMED: 'ERR_ASHERAH_WARMUP_ALREADY_WARMED',
  INVALID_OPTION: 'ERR_ASHERAH_WARMUP_INVALID_OPTION',
  INTERNAL: 'ERR_ASHERAH_WARMUP_INTERNAL',
})
const RAISE_FILE_LIMIT =
  "raise the open-files limit (`ulimit -n`, systemd's LimitNOFILE, docker run --ulimit nofile=...) or close the descriptors the app leaks"
const API_NAMES = ['warmup', 'status', 'plan', 'needsWarmup', 'repairSignals', 'detectRuntime', 'libraryName', 'codes']
// END copies

// lib/`file`, as `load` requires it (literally, for Bun's bundler); a failure names its real cause, found by opening
// the file: Bun reports a require that hit EMFILE as MODULE_NOT_FOUND.
function own(file, load) {
  try {
    return load()
  } catch (err) {
    const fs = require('node:fs')
    let cause = err.message.split('\n')[0]
    try {
      fs.closeSync(fs.openSync(`${__dirname}/lib/${file}`, 'r'))
    } catch (opening) {
      cause = opening.message
    }
    const fix = /EMFILE|ENFILE/.test(cause) ? RAISE_FILE_LIMIT : 'reinstall asherah-warmup'
    throw Object.assign(new Error(`asherah-warmup: could not load its own lib/${file} (${cause}). Fix: ${fix}.`, { cause: err }), { code: CODES.LOAD_FAILED })
  }
}

let api = null

/** lib/api.js; once loaded, a name still holding its stand-in takes the API's value (unless the app froze the exports). */
function loadApi() {
  if (api === null) {
    api = own('api.js', () => require('./lib/api.js'))
    for (const name of API_NAMES) if (module.exports[name] === standIns[name]) Reflect.set(module.exports, name, api[name])
  }
  return api
}

// Until then each name holds a stand-in: plain values, not getters, since an ESM import reads every name.
const standIns = {}
for (const name of API_NAMES) standIns[name] = name === 'codes' ? CODES : (...args) => loadApi()[name](...args)
Object.assign(module.exports, standIns)
// END doorway

/** Shared by every copy of this package in a realm: one wrapper, however many copies. */
const HOOKED = Symbol.for('asherah-warmup.dlopenHook')

/**
 * Repairs what Go did to Bun's signal handlers now (Go may have run first), after every later native module load
 * (Bun's require() of a `.node` goes through process.dlopen only: Bun 1.2.20, 1.3.14, 1.4.5), and in new Workers; each
 * once per realm, however many copies, marked where it is installed. Through Reflect: where the app locked `process`
 * (no marker, so no wrapper), its dlopen or the global Worker, the rest still runs (README: Workers).
 */
function repairFromNowOn(native) {
  // Go may have run before us, unwatched: whether this realm listens for SIGPIPE says if its handler is the app's.
  native.repairSignals(process.listenerCount('SIGPIPE') > 0)
  const original = process.dlopen
  if (!process[HOOKED] && Reflect.defineProperty(process, HOOKED, { value: original })) {
    Reflect.set(process, 'dlopen', function dlopen(...args) {
      // Read before the load: the app's SIGPIPE handler (its listener, whichever thread loads) is left to Go's, which calls it.
      const handled = native.appHandlesSigpipe()
      try {
        // The arguments exactly as given: Node rejects an explicit undefined flags argument.
        return Reflect.apply(original, this, args)
      } finally {
        // Also after a throwing init: a Go constructor has run by then all the same.
        native.repairSignals(handled)
      }
    })
  }
  // Preloads do not run in Workers: this package's does, first. Not from a `bun build` output, where module.filename is no
  // path and __dirname the build machine's.
  const Base = globalThis.Worker
  if (typeof Base !== 'function' || Base[HOOKED] || module.filename !== __filename) return
  class Worker extends Base {
    constructor(url, options) {
      super(url, { ...options, preload: [`${__dirname}/lib/worker-preload.js`].concat(options?.preload ?? []) })
    }
  }
  Worker[HOOKED] = true
  Reflect.set(globalThis, 'Worker', Worker)
}

/** A Bun require with no settings: the addon, the signal repair from now on, the warmup. */
function warmUpUnderBun() {
  // One require where a flat or pnpm install puts it; lib/addon.js looks everywhere else and says why it failed. Not
  // when inlined by Bun's bundler (module.filename is then no path): a `--compile` executable's files can't be dlopened.
  let native = null
  if (module.filename === __filename) {
    try {
      native = require(addonBeside(__dirname))
    } catch {}
  }
  const addon = native ? null : own('addon.js', () => require('./lib/addon.js'))
  native ??= addon.load()
  const repair = repairsSignals()
  // The repair does not depend on the warmup, whose error an app may catch and carry on.
  if (repair) repairFromNowOn(native)
  try {
    native.warmup({ repairSignals: repair, embedded: addon?.embeddedFiles() })
  } catch (err) {
    // The API also looks in asherah-node's lib/ folder before it gives up.
    if (err.code !== CODES.NOT_FOUND) throw err
    loadApi().warmup()
  }
}

const settings = env.ASHERAH_WARMUP || env.ASHERAH_WARMUP_LIBRARY || env.ASHERAH_WARMUP_SHA256 || env.ASHERAH_WARMUP_SIGNAL_REPAIR || env.ASHERAH_VERBOSE

if (isBun && !settings) {
  warmUpUnderBun()
} else if (isBun || env.ASHERAH_WARMUP) {
  // Node's ESM import finds the API's names through this line (cjs-module-lexer reads it).
  module.exports = require('./lib/api.js')
  const options = require('./lib/options.js')
  const addon = require('./lib/addon.js')
  if (options.repairsAtRequire()) repairFromNowOn(addon.load())
  else addon.fromNowOn.repair = repairFromNowOn
  // An invalid ASHERAH_WARMUP fails the require under Bun only, where a warmup is needed.
  if (isBun ? options.needsWarmup() : options.neededOrFalse()) module.exports.warmup()
}
