'use strict'
// The addon's cold paths (lib/runtime.js has the hot one): the files Bun's bundler embedded (the
// addon, the go-warmup library and the sums file, inside a `bun build --compile` executable or
// copied beside a `bun build` bundle); and why no addon loads.

const { CODES, GO_WARMUP_FILES, libraryName, packageTriple } = require('./runtime.js')

const fail = (code, message) => require('./errors.js').warmupError(code, message)

/** This platform's embedded.js, or null. Literal requires, for the bundler; in a try, as it may miss them. */
function bundledPlatform() {
  const key = `${process.platform}-${process.arch}`
  try {
    if (key === 'linux-x64') return require('asherah-warmup-linux-x64-gnu/embedded.js')
    if (key === 'linux-arm64') return require('asherah-warmup-linux-arm64-gnu/embedded.js')
    if (key === 'darwin-x64') return require('asherah-warmup-darwin-x64/embedded.js')
    if (key === 'darwin-arm64') return require('asherah-warmup-darwin-arm64/embedded.js')
  } catch {}
  return null
}

/** This platform's embedded.js, or NOT_FOUND naming the fix. */
function embeddedPlatform() {
  const platform = bundledPlatform()
  if (platform) return platform
  const pkg = `asherah-warmup-${packageTriple()}`
  const key = `${process.platform}-${process.arch}`
  throw fail(
    CODES.NOT_FOUND,
    `this executable was built by \`bun build --compile\` where ${pkg} was not installed, so no addon and go-warmup library for ${key} were embedded. Fix: on the build machine, install it (npm install --include=optional, or npm install --force ${pkg} when building for another --target) and build again.`,
  )
}

/**
 * The embedded library and sums file for the addon (src/lib.rs EmbeddedFiles). Inside an
 * executable, /$bunfs/ paths, which only Bun can read: read here. Beside a bundle (`addonFile`:
 * the addon the bundler put there), paths relative to the bundle's folder, where the bundler put
 * them beside the addon: the addon opens them itself, as it opens any library.
 */
function embeddedFiles(addonFile) {
  const platform = embeddedPlatform()
  if (!addonFile) {
    const [library, sumsFile] = [platform.library(), platform.sums()]
    const { readFileSync } = require('node:fs')
    return { library, libraryBytes: readFileSync(library), sumsFile, sumsBytes: readFileSync(sumsFile) }
  }
  const path = require('node:path')
  const beside = (file) => path.join(path.dirname(addonFile), path.basename(file))
  return { library: beside(platform.library()), sumsFile: beside(platform.sums()) }
}

/** Inside an executable: the embedded addon (lib/runtime.js loadAddon), or why there is none. */
const embeddedAddon = () => embeddedPlatform().addon()

/**
 * Under Bun, a `bun build` bundle's own addon, which the bundler copied beside it with the library
 * and the sums file: for a bundle run where the install it was built from is not. Null where this is no bundle.
 */
function bundledAddon() {
  const platform = typeof Bun !== 'undefined' && bundledPlatform()
  if (!platform) return null
  try {
    return platform.addon()
  } catch (err) {
    const why = err.message.split('\n')[0]
    throw fail(
      CODES.NOT_FOUND,
      `asherah-warmup's addon, which Bun's bundler put beside the bundle, cannot be loaded (${why}). Fix: deploy the whole output folder of \`bun build\`, or build again.`,
    )
  }
}

/**
 * Whether this is musl, where Go c-shared libraries cannot be dlopened, so no package is
 * published. Only asked after the addon failed to load: the report is slow to build.
 */
function isMusl() {
  const header = process.platform === 'linux' && process.report?.getReport?.()?.header
  return Boolean(header && !header.glibcVersionRuntime)
}

/** Another platform's package where this one's is missing: node_modules installed on another machine. */
function otherPlatformPackage() {
  const own = `asherah-warmup-${packageTriple()}`
  const names = Object.keys(GO_WARMUP_FILES).map((key) => `asherah-warmup-${packageTriple(...key.split('-'))}`)
  return names.find((name) => name !== own && resolves(`${name}/package.json`))
}

function resolves(id) {
  try {
    return Boolean(require.resolve(id))
  } catch {
    return false
  }
}

/** Why no addon could be loaded from `ids` (lib/runtime.js loadAddon). */
function missing(triple, ids) {
  const unsupported = (reason) => fail(CODES.UNSUPPORTED_PLATFORM, `${reason} Under Node nothing is needed; under Bun asherah-node cannot be warmed up here.`)
  if (!libraryName()) return unsupported(`upstream ships no go-warmup library for ${process.platform}-${process.arch} (only linux and macOS, x64 and arm64).`)
  if (isMusl()) return unsupported('this is a musl libc system: Go c-shared libraries cannot be dlopened on musl, so no package is published for it.')
  const other = otherPlatformPackage()
  const fix = other
    ? `${other} is installed instead: these node_modules were installed on another platform (for example on a Mac, then copied into a linux container). Fix: install the dependencies where the app runs (in a Dockerfile: npm ci in the image, with node_modules in .dockerignore), so asherah-warmup-${triple} is installed.`
    : `Fix: install asherah-warmup without omitting optional dependencies (npm install --include=optional), so asherah-warmup-${triple} is installed.`
  return fail(CODES.NOT_FOUND, `the addon for ${triple} is not installed (tried ${ids.join(', ')}). ${fix}`)
}

module.exports = { embeddedFiles, embeddedAddon, bundledAddon, missing }
