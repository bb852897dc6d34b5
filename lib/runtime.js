'use strict'
// The rules every require runs: the platform names, the error codes, which runtime this is and
// what it needs, and the addon that does it; the tools take them from here too. With index.js and
// lib/api.js this is all a Bun require loads, and Bun pays for every function it runs
// (bench/README.md): cold paths require their modules where they run.

/**
 * The one platform table: upstream's go-warmup library per platform. scripts/sync-versions.js
 * derives the platform packages, src/platform.rs and the shell scripts' table from it.
 */
const GO_WARMUP_FILES = {
  'linux-x64': 'go-warmup-linux-x64.so',
  'linux-arm64': 'go-warmup-linux-arm64.so',
  'darwin-x64': 'go-warmup-darwin-x64.dylib',
  'darwin-arm64': 'go-warmup-darwin-arm64.dylib',
}

/** The upstream sums file that lists a platform's library. */
const sumsFileName = (platform) => (platform === 'darwin' ? 'SHA256SUMS-darwin' : 'SHA256SUMS')

/** `go-warmup-linux-x64.so` etc., or null where upstream ships no warmup library. */
const libraryName = (platform = process.platform, arch = process.arch) => GO_WARMUP_FILES[`${platform}-${arch}`] || null

/** The napi-rs triple of the platform package that carries our addon and the Go library. */
function packageTriple(platform = process.platform, arch = process.arch) {
  if (!libraryName(platform, arch)) return null
  return platform === 'linux' ? `linux-${arch}-gnu` : `${platform}-${arch}`
}

/** The error codes, shared by the addon's errors (src/error.rs); a literal, as built from a list it costs Bun 0.13 ms (bench/README.md). */
const CODES = Object.freeze({
  UNSUPPORTED_PLATFORM: 'ERR_ASHERAH_WARMUP_UNSUPPORTED_PLATFORM',
  NOT_FOUND: 'ERR_ASHERAH_WARMUP_NOT_FOUND',
  LOAD_FAILED: 'ERR_ASHERAH_WARMUP_LOAD_FAILED',
  SYMBOL_MISSING: 'ERR_ASHERAH_WARMUP_SYMBOL_MISSING',
  CHECKSUM_MISMATCH: 'ERR_ASHERAH_WARMUP_CHECKSUM_MISMATCH',
  BAD_RESULT: 'ERR_ASHERAH_WARMUP_BAD_RESULT',
  INVALID_OPTION: 'ERR_ASHERAH_WARMUP_INVALID_OPTION',
  SUMS_INVALID: 'ERR_ASHERAH_WARMUP_SUMS_INVALID',
  ALREADY_WARMED: 'ERR_ASHERAH_WARMUP_ALREADY_WARMED',
  REENTRANT: 'ERR_ASHERAH_WARMUP_REENTRANT',
  INTERNAL: 'ERR_ASHERAH_WARMUP_INTERNAL',
})

/** The JS layer's errors, worded like the addon's: `asherah-warmup: <message>`, with a `code`. */
const warmupError = (code, message, cause) => Object.assign(new Error(`asherah-warmup: ${message}`, cause ? { cause } : undefined), { code })

const options = () => require('./options.js')

/** Which runtime this is, from its own globals; Bun and Deno also set process.versions.node. */
function detectRuntime() {
  if (typeof Bun !== 'undefined' && process.versions.bun) return { name: 'bun', version: process.versions.bun }
  if (typeof Deno !== 'undefined' && Deno.version) return { name: 'deno', version: Deno.version.deno }
  if (process.release?.name === 'node') return { name: 'node', version: process.versions.node }
  return { name: 'unknown', version: null }
}

const runtime = detectRuntime()

/** ASHERAH_WARMUP: auto (the default: Bun only), always or never (validated in lib/options.js). */
function needsWarmup() {
  const mode = process.env.ASHERAH_WARMUP ? options().warmupMode() : 'auto'
  return mode === 'always' || (mode === 'auto' && runtime.name === 'bun')
}

/** needsWarmup() that never throws: an invalid ASHERAH_WARMUP is left for warmup() to report. */
function neededOrFalse() {
  try {
    return needsWarmup()
  } catch {
    return false
  }
}

/** Where Go's changes to the signal handlers hang the runtime, so there is something to repair. */
const signalRepairSupported = () => runtime.name === 'bun' && process.platform === 'linux'

/** The automatic signal repair: where supported, unless ASHERAH_WARMUP_SIGNAL_REPAIR turns it off. */
const signalRepairApplies = () => signalRepairSupported() && (!process.env.ASHERAH_WARMUP_SIGNAL_REPAIR || options().signalRepairEnabled())

let addon = null
/** What Bun's bundler embedded with the addon, when it came from there (lib/addon.js bundlerAddon). */
let bundled = null

/** The addon, loaded on first use; a typed error when it cannot be. */
function loadAddon() {
  if (addon === null) {
    // Inside a `bun build --compile` executable, whose embedded files can be read but not dlopened.
    if (typeof Bun !== 'undefined' && Bun.main.startsWith('/$bunfs/')) bundled = require('./addon.js').bundlerAddon(true)
    addon = bundled?.addon ?? requireAddon()
  }
  return addon
}

/**
 * The platform package beside this one (a flat or pnpm install: a miss costs one stat), then by
 * name (other layouts), then a checkout's npm/<triple>/ build; then a `bun build` bundle's own copy.
 */
function requireAddon() {
  const triple = packageTriple() ?? `${process.platform}-${process.arch}`
  const file = `asherah-warmup.${triple}.node`
  // The package folder, by string: node:path costs Bun ~0.1 ms to load.
  const root = __dirname.slice(0, Math.max(__dirname.lastIndexOf('/'), __dirname.lastIndexOf('\\')))
  const ids = [`${root}/../asherah-warmup-${triple}/${file}`, `asherah-warmup-${triple}`, `${root}/npm/${triple}/${file}`]
  for (const id of ids) {
    try {
      return require(id)
    } catch (err) {
      if (err.code !== 'MODULE_NOT_FOUND') throw warmupError(CODES.LOAD_FAILED, `could not load the addon ${id}: ${err.message}`, err)
    }
  }
  bundled = require('./addon.js').bundlerAddon(false)
  if (!bundled) throw require('./addon.js').missing(triple, ids)
  return bundled.addon
}

/** The library Bun's bundler embedded with the addon, or undefined where it did not; after loadAddon(). */
const embeddedFiles = () => bundled?.files()

/**
 * The addon if this realm loaded it, or if another realm of this process (the main thread, a
 * worker) mapped it: requiring a mapped file maps nothing new. Linux only (/proc/self/maps).
 */
function mappedAddon() {
  if (addon || process.platform !== 'linux') return addon
  let maps = ''
  try {
    maps = require('node:fs').readFileSync('/proc/self/maps', 'utf8')
  } catch {}
  const line = maps.split('\n').find((l) => /\/asherah-warmup\.[\w-]+\.node$/.test(l))
  if (line) addon = require(line.slice(line.indexOf('/')))
  return addon
}

/** Where the signal repair applies, the addon, loaded now so its signal baseline predates any Go code; else null. */
const signalRepairer = () => (signalRepairApplies() ? loadAddon() : null)

module.exports = {
  CODES,
  warmupError,
  GO_WARMUP_FILES,
  sumsFileName,
  libraryName,
  packageTriple,
  runtime,
  detectRuntime,
  needsWarmup,
  neededOrFalse,
  signalRepairSupported,
  signalRepairApplies,
  loadAddon,
  embeddedFiles,
  mappedAddon,
  signalRepairer,
}
