'use strict'
// The addon's cold paths: inside a `bun build --compile` executable (the addon, the go-warmup
// library and the sums file embedded in it), and why the addon cannot be loaded. Finding and
// loading it on the default path is lib/runtime.js's (re-exported here for the tools): under Bun
// at require, elsewhere by warmup({ force }), doctor and download.

const { addonCandidates, compiled, loadAddon } = require('./runtime.js')

/**
 * This platform's embedded.js, which `bun build --compile` followed to embed the addon, the
 * go-warmup library and the sums file; null when that platform package was not installed where
 * the executable was built. One literal require per platform, so the bundler can see them; a
 * platform package that is not installed is skipped (the try).
 */
function embeddedPlatformOrNull() {
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

/** This platform's embedded.js, or NOT_FOUND naming the fix when none was embedded. */
function embeddedPlatform() {
  const platform = embeddedPlatformOrNull()
  if (platform) return platform
  const { CODES, warmupError } = require('./errors.js')
  const triple = require('./runtime.js').packageTriple()
  throw warmupError(
    CODES.NOT_FOUND,
    `this executable was built by \`bun build --compile\` where asherah-warmup-${triple} was not installed, so no addon and go-warmup library for ${process.platform}-${process.arch} were embedded. Fix: on the build machine, install it (npm install --include=optional, or npm install --force asherah-warmup-${triple} when building for another --target) and build again.`,
  )
}

/** The embedded library and sums file, read for the addon (src/lib.rs EmbeddedFiles); null outside an executable. */
function embeddedFiles() {
  if (!compiled()) return null
  const platform = embeddedPlatform()
  const { readFileSync } = require('node:fs')
  const [library, sumsFile] = [platform.library(), platform.sums()]
  return { library, libraryBytes: readFileSync(library), sumsFile, sumsBytes: readFileSync(sumsFile) }
}

/** Inside an executable: the embedded addon (lib/runtime.js loadAddon), or why there is none. */
function embeddedAddon() {
  return embeddedPlatform().addon()
}

/** Why no addon could be loaded from `ids` (lib/runtime.js loadAddon). */
function missing(triple, ids) {
  const { CODES, warmupError } = require('./errors.js')
  const { libraryName, isMusl } = require('./runtime.js')
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

module.exports = { addonCandidates, loadAddon, embeddedFiles, embeddedAddon, missing }
