'use strict'
// asherah-warmup: starts a Go runtime (the go-warmup library) before asherah-node's asherah.node
// loads under Bun, and repairs what Go does to Bun's signal handlers (README.md).
//
// This entry is a doorway. A Bun require with no ASHERAH_* setting runs lib/addon.js alone:
// the signal repair from now on (in this realm, after every native load, and in every Worker),
// then the warmup. A require with settings to validate or report takes lib/api.js's path
// (lib/options.js onRequire). Everywhere else (Node, Deno) a require compiles this file alone:
// the API loads on first use of one of its names.

const env = process.env
const isBun = typeof Bun !== 'undefined'

/** lib/api.js's names (__test__/entry.test.js holds them to its exports). */
const API_NAMES = ['warmup', 'status', 'plan', 'needsWarmup', 'repairSignals', 'requireAsherah', 'detectRuntime', 'libraryName', 'codes']

/** Loads lib/api.js (a typed error if it cannot be) and turns every name into the API's own value. */
function loadApi() {
  const api = require('./lib/addon.js').own('api.js', () => require('./lib/api.js'))
  return Object.defineProperties(module.exports, Object.getOwnPropertyDescriptors(api))
}

const settings =
  env.ASHERAH_WARMUP || env.ASHERAH_WARMUP_LIBRARY || env.ASHERAH_WARMUP_SHA256 || env.ASHERAH_WARMUP_SIGNAL_REPAIR || env.ASHERAH_VERBOSE || env.NODE_DEBUG

if (isBun && !settings) {
  const addon = require('./lib/addon.js')
  addon.repairFromNowOn()
  try {
    addon.load().warmup({ repairSignals: addon.repairSupported, embedded: addon.embeddedFiles() })
  } catch (err) {
    // The API also looks in asherah-node's lib/ folder before it gives up.
    if (err.code !== 'ERR_ASHERAH_WARMUP_NOT_FOUND') throw err
    loadApi().warmup()
  }
} else if (isBun || env.ASHERAH_WARMUP) {
  // Node's ESM import finds the API's names through this line (cjs-module-lexer reads it).
  module.exports = require('./lib/api.js')
  require('./lib/options.js').onRequire(module.exports)
}

if (!Object.hasOwn(module.exports, 'warmup')) {
  for (const name of API_NAMES) {
    Object.defineProperty(module.exports, name, {
      enumerable: true,
      configurable: true,
      get: () => loadApi()[name],
      set(value) {
        loadApi()[name] = value
      },
    })
  }
}
