'use strict'
// Finds and loads the napi-rs addon (the native half of this package), and explains why when it
// cannot. Loaded only where something native is needed: under Bun at require, elsewhere by
// warmup({ force }), doctor and download.

/**
 * Where the addon can be, in the order tried: the platform package beside this one (a flat or
 * pnpm install, by absolute path: a miss costs one stat), the platform package by name (other
 * layouts: a miss walks up every node_modules), and a checkout's npm/<triple>/ build.
 */
function addonCandidates() {
  const triple = require('./platform.js').packageTriple() ?? `${process.platform}-${process.arch}`
  const file = `asherah-warmup.${triple}.node`
  const root = require('node:path').join(__dirname, '..')
  return { triple, ids: [`${root}/../asherah-warmup-${triple}/${file}`, `asherah-warmup-${triple}`, `${root}/npm/${triple}/${file}`] }
}

let addon = null

/**
 * Inside a `bun build --compile` executable. There __dirname still names the build machine's
 * folder, and embedded files live at /$bunfs/ paths that can be read but not dlopened.
 */
const compiled = () => typeof Bun !== 'undefined' && Bun.main.startsWith('/$bunfs/')

/**
 * This platform's embedded.js, which `bun build --compile` followed to embed the addon, the
 * go-warmup library and the sums file; null when that platform package was not installed where
 * the executable was built. One literal require per platform, so the bundler can see them; a
 * platform package that is not installed is skipped (the try).
 */
function embeddedPlatform() {
  try {
    switch (`${process.platform}-${process.arch}`) {
      case 'linux-x64':
        return require('asherah-warmup-linux-x64-gnu/embedded.js')
      case 'linux-arm64':
        return require('asherah-warmup-linux-arm64-gnu/embedded.js')
      case 'darwin-x64':
        return require('asherah-warmup-darwin-x64/embedded.js')
      case 'darwin-arm64':
        return require('asherah-warmup-darwin-arm64/embedded.js')
    }
  } catch {}
  return null
}

function notEmbedded() {
  const { CODES, warmupError } = require('./errors.js')
  const triple = require('./platform.js').packageTriple()
  return warmupError(
    CODES.NOT_FOUND,
    `this executable was built by \`bun build --compile\` where asherah-warmup-${triple} was not installed, so no addon and go-warmup library for ${process.platform}-${process.arch} were embedded. Fix: on the build machine, install it (npm install --include=optional, or npm install --force asherah-warmup-${triple} when building for another --target) and build again.`,
  )
}

/** The embedded library and sums file, read for the addon (src/lib.rs EmbeddedFiles); null outside an executable. */
function embeddedFiles() {
  if (!compiled()) return null
  const platform = embeddedPlatform()
  if (!platform) throw notEmbedded()
  const { readFileSync } = require('node:fs')
  const [library, sumsFile] = [platform.library(), platform.sums()]
  return { library, libraryBytes: readFileSync(library), sumsFile, sumsBytes: readFileSync(sumsFile) }
}

/** The addon, loaded on first use; a typed error when it cannot be. */
function loadAddon() {
  if (addon) return addon
  if (compiled()) {
    const platform = embeddedPlatform()
    if (!platform) throw notEmbedded()
    addon = platform.addon()
    return addon
  }
  const { triple, ids } = addonCandidates()
  for (const id of ids) {
    try {
      addon = require(id)
      return addon
    } catch (err) {
      if (err.code !== 'MODULE_NOT_FOUND') {
        const { CODES, warmupError } = require('./errors.js')
        throw warmupError(CODES.LOAD_FAILED, `could not load the addon ${id}: ${err.message}`, err)
      }
    }
  }
  throw missing(triple, ids)
}

/**
 * The addon if this realm loaded it, or another realm of this process (the main thread, another
 * worker) already mapped it: requiring a mapped file maps nothing new, it only binds it to this
 * realm. Linux only: elsewhere a realm that has not loaded the addon reports its own state.
 */
function mappedAddon() {
  if (addon || process.platform !== 'linux') return addon
  let maps
  try {
    maps = require('node:fs').readFileSync('/proc/self/maps', 'utf8')
  } catch {
    return null
  }
  const line = maps.split('\n').find((l) => /\/asherah-warmup\.[\w-]+\.node$/.test(l))
  if (line) addon = require(line.slice(line.indexOf('/')))
  return addon
}

function missing(triple, ids) {
  const { CODES, warmupError } = require('./errors.js')
  const { libraryName, isMusl } = require('./platform.js')
  const unsupported = (reason) =>
    warmupError(CODES.UNSUPPORTED_PLATFORM, `${reason} Under Node nothing is needed; under Bun asherah-node cannot be warmed up here.`)
  if (!libraryName()) {
    return unsupported(`upstream ships no go-warmup library for ${process.platform}-${process.arch} (only linux and macOS, x64 and arm64).`)
  }
  if (isMusl()) {
    return unsupported('this is a musl libc system: Go c-shared libraries cannot be dlopened on musl, so no package is published for it.')
  }
  return warmupError(
    CODES.NOT_FOUND,
    `the addon for ${triple} is not installed (tried ${ids.join(', ')}). Fix: install asherah-warmup without omitting optional dependencies (npm install --include=optional), so asherah-warmup-${triple} is installed.`,
  )
}

/**
 * Where the signal repair applies, the addon (no Go in it), loaded now so that its signal
 * baseline is taken before any Go code loads; null elsewhere.
 */
function signalRepairer() {
  return require('./runtime.js').signalRepairApplies() ? loadAddon() : null
}

module.exports = { addonCandidates, loadAddon, mappedAddon, signalRepairer, embeddedFiles }
