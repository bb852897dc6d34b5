'use strict'
// asherah-node's entry point with its own Bun warmup: the "before" of this example, written in
// the style of asherah-node's entry (which is TypeScript compiled to dist/asherah.js). Under Bun,
// the Go runtime inside asherah.node needs another Go runtime started first, so this finds the
// go-warmup library that asherah-node's download script put in lib/, opens it with bun:ffi and
// calls Warmup() before the addon loads.
const fs = require('node:fs')
const path = require('node:path')

// The package folder (dist/asherah.js in asherah-node: path.join(__dirname, '..')).
const PACKAGE_ROOT = __dirname

function isBun() {
  return typeof Bun !== 'undefined' && typeof process.versions.bun === 'string'
}

function warmupLibraryName() {
  const arch = { x64: 'x64', arm64: 'arm64' }[process.arch]
  if (!arch) return null
  if (process.platform === 'linux') return `go-warmup-linux-${arch}.so`
  if (process.platform === 'darwin') return `go-warmup-darwin-${arch}.dylib`
  return null
}

function findWarmupLibrary() {
  const name = warmupLibraryName()
  if (!name) return null
  const candidates = [process.env.ASHERAH_GO_WARMUP_LIBRARY, path.join(PACKAGE_ROOT, 'lib', name), path.join(PACKAGE_ROOT, 'build', 'Release', name)].filter(
    Boolean,
  )
  return candidates.find((candidate) => fs.existsSync(candidate)) || null
}

let warmedUp = false

function warmupGoRuntime() {
  if (warmedUp || !isBun()) return
  const library = findWarmupLibrary()
  if (!library) {
    if (process.env.ASHERAH_VERBOSE) {
      console.warn(`asherah: no Go warmup library for ${process.platform}-${process.arch}; loading without it`)
    }
    return
  }
  try {
    const { dlopen, FFIType } = require('bun:ffi')
    // Never closed: a Go shared library must not be unloaded.
    const handle = dlopen(library, { Warmup: { args: [], returns: FFIType.i32 } })
    const result = handle.symbols.Warmup()
    if (result !== 1) throw new Error(`Warmup() returned ${result}`)
    warmedUp = true
  } catch (err) {
    console.warn(`asherah: Go runtime warmup failed (${err.message}); loading without it`)
  }
}

warmupGoRuntime()

module.exports = require('./build/asherah.node')
