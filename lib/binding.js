'use strict'
// Loads the napi-rs addon on first use only: under Node `require('asherah-warmup')` must map no
// native file. Installed, the addon comes from the platform package; in a checkout, from the
// same layout under npm/<triple>/ that scripts/build.sh fills.

const path = require('node:path')
const { CODES, warmupError } = require('./errors')
const { packageTriple, isMusl } = require('./platform')

let binding = null

function unsupported(reason) {
  return warmupError(CODES.UNSUPPORTED_PLATFORM, `${reason} Under Node nothing is needed; under Bun asherah-node cannot be warmed up here.`)
}

function load() {
  if (binding) return binding
  const triple = packageTriple()
  if (!triple) {
    throw unsupported(`upstream ships no go-warmup library for ${process.platform}-${process.arch} (only linux and macOS, x64 and arm64).`)
  }
  const packageName = `asherah-warmup-${triple}`
  const local = path.join(__dirname, '..', 'npm', triple, `asherah-warmup.${triple}.node`)
  const attempts = []
  for (const id of [packageName, local]) {
    try {
      binding = require(id)
      return binding
    } catch (err) {
      if (err.code !== 'MODULE_NOT_FOUND') {
        throw warmupError(CODES.LOAD_FAILED, `could not load the addon ${id}: ${err.message}`, err)
      }
      attempts.push(id)
    }
  }
  if (isMusl()) {
    throw unsupported('this is a musl libc system: Go c-shared libraries cannot be dlopened on musl, so no package is published for it.')
  }
  throw warmupError(
    CODES.NOT_FOUND,
    `the addon for ${triple} is not installed (tried ${attempts.join(', ')}). Fix: install asherah-warmup without omitting optional dependencies (npm install --include=optional), so ${packageName} is installed.`,
  )
}

/** The addon if something already loaded it, else null (never loads). */
const loaded = () => binding

module.exports = { load, loaded }
