'use strict'
// Finds and loads the napi-rs addon. In a checkout it sits under npm/<triple>/ (scripts/build.sh
// fills the same layout a platform package has); installed, it is the platform package. The
// checkout path is tried first: a missing absolute path costs one stat, while a missing package
// costs a walk up every node_modules folder.

const triple = process.platform === 'linux' ? `linux-${process.arch}-gnu` : `${process.platform}-${process.arch}`
const addonFile = `asherah-warmup.${triple}.node`

/** The addon, or an Error with a stable code saying why there is none. */
function loadAddon() {
  const ids = [`${__dirname}/../npm/${triple}/${addonFile}`, `asherah-warmup-${triple}`]
  for (const id of ids) {
    try {
      return require(id)
    } catch (err) {
      if (err.code !== 'MODULE_NOT_FOUND') return loadFailed(id, err)
    }
  }
  return missing(ids)
}

/**
 * The addon if another realm of this process (the main thread, another worker) already mapped
 * it, else null. Requiring a mapped file maps nothing new; it only binds it to this realm.
 * Linux only: elsewhere a realm that has not loaded the addon reports its own state.
 */
function mappedAddon() {
  if (process.platform !== 'linux') return null
  let maps
  try {
    maps = require('node:fs').readFileSync('/proc/self/maps', 'utf8')
  } catch {
    return null
  }
  const line = maps.split('\n').find((l) => l.endsWith(`/${addonFile}`))
  return line ? require(line.slice(line.indexOf('/'))) : null
}

function loadFailed(id, err) {
  const { CODES, warmupError } = require('./errors')
  return warmupError(CODES.LOAD_FAILED, `could not load the addon ${id}: ${err.message}`, err)
}

function missing(ids) {
  const { CODES, warmupError } = require('./errors')
  const { libraryName, isMusl } = require('./platform')
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

module.exports = { loadAddon, mappedAddon }
