'use strict'
// The rules every require runs, in one place: the platform names, the error codes, which runtime
// this is and what it needs (a warmup, the signal repair after a Go load), and the addon that
// does it. lib/platform.js, lib/errors.js and lib/addon.js re-export them for the tools.
//
// With index.js and lib/api.js this is all the JavaScript a Bun require loads on the default
// path, and Bun pays for every file and every function it runs the first time (bench/README.md):
// cold paths require their modules where they run.

// ---- platform names: pure functions of (platform, arch, libc) ------------------------------

/**
 * The one platform table: upstream's go-warmup library per platform. scripts/sync-versions.js
 * derives the rest from it: the platform packages, the addon's src/platform.rs and the shell
 * scripts' table (its --list).
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
function libraryName(platform = process.platform, arch = process.arch) {
  return GO_WARMUP_FILES[`${platform}-${arch}`] || null
}

/** The napi-rs triple of the platform package that carries our addon and the Go library. */
function packageTriple(platform = process.platform, arch = process.arch) {
  if (!libraryName(platform, arch)) return null
  return platform === 'linux' ? `linux-${arch}-gnu` : `${platform}-${arch}`
}

// ---- the error codes (the addon's errors use the same ones, src/error.rs) ---------------------

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

// ---- the runtime and what it needs -----------------------------------------------------------

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
function signalRepairApplies() {
  return signalRepairSupported() && (!process.env.ASHERAH_WARMUP_SIGNAL_REPAIR || options().signalRepairEnabled())
}

// ---- the addon (the native half): found, loaded on first use, never elsewhere -----------------

/**
 * Where the addon can be, in the order tried: the platform package beside this one (a flat or
 * pnpm install; by absolute path, a miss costs one stat), the platform package by name (other
 * layouts; a miss walks up every node_modules), and a checkout's npm/<triple>/ build.
 */
function addonCandidates() {
  const triple = packageTriple() ?? `${process.platform}-${process.arch}`
  const file = `asherah-warmup.${triple}.node`
  // The package folder, by string: node:path costs Bun ~0.1 ms to load.
  const root = __dirname.slice(0, Math.max(__dirname.lastIndexOf('/'), __dirname.lastIndexOf('\\')))
  return { triple, ids: [`${root}/../asherah-warmup-${triple}/${file}`, `asherah-warmup-${triple}`, `${root}/npm/${triple}/${file}`] }
}

let addon = null
let inExecutable
/** Whether the addon, and so the library, came from Bun's bundler: an executable's or a bundle's (lib/addon.js). */
let fromBundler = false

/**
 * Inside a `bun build --compile` executable, where __dirname still names the build machine's
 * folder and the embedded files can be read but not dlopened (lib/addon.js reads them).
 */
const compiled = () => (inExecutable ??= typeof Bun !== 'undefined' && String(Bun.main).startsWith('/$bunfs/'))

/** The addon, loaded on first use; a typed error when it cannot be. */
function loadAddon() {
  if (addon === null) {
    fromBundler = compiled()
    addon = fromBundler ? require('./addon.js').embeddedAddon() : requireAddon()
  }
  return addon
}

function requireAddon() {
  const { triple, ids } = addonCandidates()
  for (const id of ids) {
    try {
      return require(id)
    } catch (err) {
      if (err.code !== 'MODULE_NOT_FOUND') {
        throw require('./errors.js').warmupError(CODES.LOAD_FAILED, `could not load the addon ${id}: ${err.message}`, err)
      }
    }
  }
  // Nothing installed: this may be a `bun build` bundle, run away from the install it was built from.
  const bundled = require('./addon.js').bundledAddon()
  if (!bundled) throw require('./addon.js').missing(triple, ids)
  fromBundler = true
  return bundled
}

/** The library Bun's bundler embedded with the addon (lib/addon.js), or undefined where it did not; after loadAddon(). */
const embeddedFiles = () => (fromBundler ? require('./addon.js').embeddedFiles(compiled() ? null : addon.names().addon) : undefined)

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
