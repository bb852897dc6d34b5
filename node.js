'use strict'
// asherah-warmup under Node and Deno (package.json "exports": every condition but "bun", which gets index.js). They need
// no warmup, so a require runs this file alone: the API loads when one of its functions is first called, or at once
// where ASHERAH_WARMUP is set (always: a warmup at the require).

// BEGIN doorway: written by scripts/sync-versions.js from index.js; do not edit
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

if (typeof Bun !== 'undefined') {
  // Bun running what a resolver chose for another runtime (`bun build --target=node`, a test runner under `bun --bun`).
  module.exports = require('./index.js')
} else if (process.env.ASHERAH_WARMUP) {
  // Node's ESM import finds the API's names through this line (cjs-module-lexer reads it).
  module.exports = require('./lib/api.js')
  if (require('./lib/options.js').neededOrFalse()) module.exports.warmup()
}
