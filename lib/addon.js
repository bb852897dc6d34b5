'use strict'
// The native half of a require: loads this platform's addon, and from then on keeps Bun's signal
// handlers healthy in this realm and in every Worker. With index.js and platforms.js this is all a
// default Bun require compiles (bench/README.md: Bun pays for every line it loads); the cold paths
// (what Bun's bundler embedded, why no addon loads) are in addon-fallback.js, loaded through own().

const { tripleOf } = require('./platforms.js')

/** Bun on linux, where a Go runtime start hangs Bun before 1.4 (macOS's JavaScriptCore suspends threads without a signal). */
const repairSupported = typeof Bun !== 'undefined' && process.platform === 'linux'
/** The package folder, by string: node:path costs Bun ~0.1 ms to load. */
const root = __dirname.slice(0, Math.max(__dirname.lastIndexOf('/'), __dirname.lastIndexOf('\\')))
/** Kept literal here (lib/codes.js may be what cannot load); __test__/codes.test.js holds it to the table. */
const LOAD_FAILED = 'ERR_ASHERAH_WARMUP_LOAD_FAILED'

let addon = null
/** What Bun's bundler embedded with the addon, when it came from there (addon-fallback.js). */
let bundled = null

/**
 * One of this package's own modules in lib/, `file`, as `load` requires it (a literal require, which
 * Bun's bundler follows). A failure is a typed error naming its real cause: Bun reports a require
 * that hit EMFILE as MODULE_NOT_FOUND, so the file is opened here to find out.
 */
function own(file, load) {
  try {
    return load()
  } catch (err) {
    const fs = require('node:fs')
    let cause = err.message.split('\n')[0]
    try {
      fs.closeSync(fs.openSync(`${__dirname}/${file}`, 'r'))
    } catch (opening) {
      cause = opening.message
    }
    const fix = /EMFILE|ENFILE/.test(cause)
      ? "raise the open-files limit (`ulimit -n`, systemd's LimitNOFILE, docker run --ulimit nofile=...) or close the descriptors the app leaks"
      : 'reinstall asherah-warmup'
    throw Object.assign(new Error(`asherah-warmup: could not load its own lib/${file} (${cause}). Fix: ${fix}.`, { cause: err }), { code: LOAD_FAILED })
  }
}

/**
 * The addon: the platform package beside this one (a flat or pnpm install: a miss costs one
 * stat), then by name (other layouts), then a checkout's npm/<triple>/ build; then what Bun's
 * bundler embedded.
 */
function open() {
  // A `bun build --compile` executable, whose embedded files can be read but not dlopened.
  if (typeof Bun !== 'undefined' && Bun.main.startsWith('/$bunfs/')) bundled = fallback().bundlerAddon(true)
  if (bundled) return bundled.addon
  const triple = tripleOf()
  const file = `asherah-warmup.${triple}.node`
  const ids = [`${root}/../asherah-warmup-${triple}/${file}`, `asherah-warmup-${triple}`, `${root}/npm/${triple}/${file}`]
  for (const id of ids) {
    try {
      return require(id)
    } catch (err) {
      if (err.code !== 'MODULE_NOT_FOUND') throw fallback().unloadable(id, err)
    }
  }
  bundled = fallback().bundlerAddon(false)
  if (!bundled) throw fallback().missing(ids)
  return bundled.addon
}

/** The addon, loaded on first use; a typed error when it cannot be. */
function load() {
  addon ??= open()
  return addon
}

/** The cold paths: addon-fallback.js. */
const fallback = () => own('addon-fallback.js', () => require('./addon-fallback.js'))

/** Shared by every copy of this package in a realm: one wrapper, however many copies. */
const HOOKED = Symbol.for('asherah-warmup.dlopenHook')

/**
 * Repairs what Go did to Bun's signal handlers now (asherah or bun:ffi may have run Go before this
 * package), after every later native module load in this realm, and in every Worker created from
 * now on. Bun's require() of a `.node` file (CJS, an ESM import of a CJS package, `bun test`) goes
 * through process.dlopen and nothing else (measured on Bun 1.2.20, 1.3.14 and 1.4.5); Node too.
 */
function repairFromNowOn() {
  const native = load()
  native.repairSignals()
  if (process[HOOKED]) return
  const original = process.dlopen
  Object.defineProperty(process, HOOKED, { value: original })
  process.dlopen = function dlopen(...args) {
    try {
      // The arguments exactly as given: Node rejects an explicit undefined flags argument.
      return Reflect.apply(original, this, args)
    } finally {
      // Also after a throwing init: a Go constructor has run by then all the same.
      native.repairSignals()
    }
  }
  // Preloads do not run in Workers: this package's does, first, in every Worker made from now on.
  // Not from a `bun build` output, where register.js is no file a Worker could preload.
  const Base = globalThis.Worker
  if (typeof Base !== 'function' || bundled) return
  globalThis.Worker = class Worker extends Base {
    constructor(url, options) {
      super(url, { ...options, preload: [`${root}/register.js`].concat(options?.preload ?? []) })
    }
  }
}

/** The library Bun's bundler embedded with the addon, or undefined where it did not; after load(). */
const embeddedFiles = () => bundled?.files()

module.exports = { repairSupported, own, load, loaded: () => addon, repairFromNowOn, embeddedFiles }
