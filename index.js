'use strict'
// asherah-warmup: starts a Go runtime (the go-warmup library) before asherah-node's
// asherah.node loads under Bun, and repairs what Go does to Bun's signal handlers.
//
// The API is lib/api.js, which has no side effects (the CLI tools use it). Requiring this file,
// the package entry, also does what a require promises, and register.js (the preload) requires
// this file, so both share one mechanism: under Bun, warm up, and from then on repair Bun's
// signal handlers after every native module load, so that a plain require('asherah') later in
// the app (whose Go c-archive sets SA_ONSTACK on SIGPWR again) cannot hang the event loop.
// Elsewhere it loads nothing native.
//
// Bun's require() of a `.node` file (from CJS, from an ESM import of a CJS package, inside
// `bun test`) goes through the global process.dlopen and nothing else:
// Module._extensions['.node'], Module._load and Bun.plugin onLoad are never called for it
// (measured on Bun 1.2.20, 1.3.14 and 1.4.5). Node does the same.
//
// This file, lib/api.js and lib/runtime.js are all the JavaScript a Bun require loads on the default path
// (bench/README.md: Bun pays for every file and every KB of code at startup). Under Node and Deno,
// where nothing is needed, a require loads this file alone: the API loads on first use.

/**
 * lib/api.js's names, which a require that needs nothing (Node and Deno by default) exports as
 * getters and setters that load the API on first use (at the end of this file), so that such a
 * require compiles and runs this file alone. __test__/entry.test.js holds them to lib/api.js's
 * exports. ESM imports of this file find the names by reading its source (Node: cjs-module-lexer),
 * where `module.exports = require('./lib/api.js')` below points them to lib/api.js's.
 */
const API_NAMES = ['warmup', 'status', 'plan', 'needsWarmup', 'repairSignals', 'requireAsherah', 'detectRuntime', 'libraryName', 'codes']

/** Loads lib/api.js and turns every name of module.exports into the API's own value, a plain property as on the API object. */
function loadApi() {
  return Object.defineProperties(module.exports, Object.getOwnPropertyDescriptors(require('./lib/api.js')))
}

/** Shared by every copy of this package in the process: one wrapper, however many copies. */
const HOOKED = Symbol.for('asherah-warmup.dlopenHook')

function repairAfterEveryNativeLoad(repairer) {
  if (process[HOOKED]) return
  const original = process.dlopen
  Object.defineProperty(process, HOOKED, { value: original })
  process.dlopen = function dlopen(...args) {
    try {
      // The arguments exactly as given: Node rejects an explicit undefined flags argument.
      return Reflect.apply(original, this, args)
    } finally {
      // Also after a throwing init: a Go constructor has run by then all the same.
      repairer.repairSignals()
    }
  }
}

function onRequire() {
  const { runtime, needsWarmup, neededOrFalse, signalRepairer } = require('./lib/runtime.js')
  // Under Bun an invalid ASHERAH_WARMUP fails the require with its clear error; elsewhere
  // nothing is needed, so nothing may fail. ASHERAH_WARMUP=never leaves the package inert.
  if (!(runtime.name === 'bun' ? needsWarmup() : neededOrFalse())) return
  module.exports.warmup()
  const repairer = signalRepairer()
  if (repairer) repairAfterEveryNativeLoad(repairer)
}

/**
 * Whether this require may have to warm up: a necessary condition only, cheap enough that a Node or
 * Deno require with nothing set loads no other module. runtime.js's needsWarmup() decides, in
 * onRequire(): it says yes only under Bun or with ASHERAH_WARMUP=always, and under Bun an invalid
 * ASHERAH_WARMUP fails the require there.
 */
const mayNeedWarmup = typeof Bun !== 'undefined' || Boolean(process.env.ASHERAH_WARMUP)

if (mayNeedWarmup) {
  module.exports = require('./lib/api.js')
  onRequire()
} else {
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
