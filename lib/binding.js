'use strict'
// What index.js needs about the napi-rs addon beyond loading it (which it does itself, to keep
// the startup path to one file): why it could not be loaded, and whether another realm of this
// process already has it mapped.

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
  const line = maps.split('\n').find((l) => /\/asherah-warmup\.[\w-]+\.node$/.test(l))
  return line ? require(line.slice(line.indexOf('/'))) : null
}

function loadFailed(id, err) {
  const { CODES, warmupError } = require('./errors')
  return warmupError(CODES.LOAD_FAILED, `could not load the addon ${id}: ${err.message}`, err)
}

function missing(triple, ids) {
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

module.exports = { mappedAddon, loadFailed, missing }
