'use strict'
// The addon found the long way, and why none loads: beside this package (a flat or pnpm install), by name (other
// layouts), a checkout's npm/<triple>/ build, then what Bun's bundler embedded. A default Bun require (index.js)
// comes here only when the first is missing; the API, doctor and a require with settings always do.

const fs = require('node:fs')
const path = require('node:path')
const { CODES, RAISE_FILE_LIMIT, warmupError: fail } = require('./codes.js')
const { addonBeside, libraryName, packageTriple, tripleOf } = require('./platforms.js')

const root = path.dirname(__dirname)

let addon = null
/** What Bun's bundler embedded with the addon, when it came from there. */
let bundled = null

/** The addon, loaded on first use; a typed error when it cannot be. */
const load = () => (addon ??= open())

function open() {
  // A `bun build --compile` executable, whose embedded files can be read but not dlopened.
  if (typeof Bun !== 'undefined' && Bun.main.startsWith('/$bunfs/')) bundled = bundlerAddon(true)
  if (bundled) return bundled.addon
  const triple = tripleOf()
  const ids = [addonBeside(root), `asherah-warmup-${triple}`, `${root}/npm/${triple}/asherah-warmup.${triple}.node`]
  for (const id of ids) {
    const file = fileOf(id)
    if (!file) continue
    try {
      return require(file)
    } catch (err) {
      throw outOfDescriptors(err) ?? fail(CODES.LOAD_FAILED, `could not load the addon ${file}: ${err.message}`, err)
    }
  }
  // Only a `bun build` output, which inlines this file (module.filename is then no path, as index.js tells it), has its
  // own copy: an install's platform package holds the very addon that was just missed.
  bundled = module.filename === __filename ? null : bundlerAddon(false)
  if (!bundled) throw outOfDescriptors() ?? missing(ids)
  return bundled.addon
}

/** The file `id` names, or null where there is none; refused where it is no regular file (opening a FIFO blocks Node's require). */
function fileOf(id) {
  let file = null
  try {
    file = require.resolve(id)
  } catch {
    // Bun resolves no FIFO: a path is checked as it is.
    if (path.isAbsolute(id)) file = path.resolve(id)
  }
  // A name can resolve to something else: a file where the package's folder should be.
  if (file === null || !file.endsWith('.node')) return null
  let stat
  try {
    stat = fs.statSync(file)
  } catch (err) {
    // Not there; any other failure (EACCES) is require's to report, as it always was.
    return err.code === 'ENOENT' || err.code === 'ENOTDIR' ? null : file
  }
  if (stat.isFile()) return file
  throw fail(CODES.NOT_FOUND, `the addon ${file} is no regular file. Fix: reinstall asherah-warmup-${tripleOf()} (npm install --include=optional).`)
}

/** LOAD_FAILED with its fix when this process is out of descriptors (a require that hits EMFILE is MODULE_NOT_FOUND to Bun), else null. */
function outOfDescriptors(err) {
  try {
    fs.closeSync(fs.openSync(__filename, 'r'))
    return null
  } catch (opening) {
    if (opening.code !== 'EMFILE' && opening.code !== 'ENFILE') return null
    return fail(CODES.LOAD_FAILED, `could not load the addon (${opening.message}). Fix: ${RAISE_FILE_LIMIT}.`, err)
  }
}

// This platform's embedded.js, or null: literal requires for the bundler (in a try, as it may miss them), each behind
// process.platform and process.arch, which `bun build --target` makes constants, so that only the target's files are embedded.
function bundledPlatform() {
  try {
    if (process.platform === 'linux' && process.arch === 'x64') return require('asherah-warmup-linux-x64-gnu/embedded.js')
    if (process.platform === 'linux' && process.arch === 'arm64') return require('asherah-warmup-linux-arm64-gnu/embedded.js')
    if (process.platform === 'darwin' && process.arch === 'x64') return require('asherah-warmup-darwin-x64/embedded.js')
    if (process.platform === 'darwin' && process.arch === 'arm64') return require('asherah-warmup-darwin-arm64/embedded.js')
  } catch {}
  return null
}

/**
 * The addon Bun's bundler embedded, and files(): the library and sums file embedded with it (src/lib.rs EmbeddedFiles),
 * read here inside a `--compile` executable (/$bunfs/ paths only Bun can read), copies beside the addon for a bundle.
 */
function bundlerAddon(inExecutable) {
  // Under Node, where nothing needs the addon, a bundle's copy is never looked for.
  const platform = typeof Bun !== 'undefined' && bundledPlatform()
  if (inExecutable) {
    const pkg = `asherah-warmup-${packageTriple()}`
    const why = `this executable was built by \`bun build --compile\` where ${pkg} was not installed, so no addon and go-warmup library for ${process.platform}-${process.arch} were embedded.`
    const fix = `on the build machine, install it (npm install --include=optional, or npm install --force ${pkg} when building for another --target) and build again.`
    if (!platform) throw fail(CODES.NOT_FOUND, `${why} Fix: ${fix}`)
    const [library, sumsFile] = [platform.library(), platform.sums()]
    return { addon: platform.addon(), files: () => ({ library, libraryBytes: fs.readFileSync(library), sumsFile, sumsBytes: fs.readFileSync(sumsFile) }) }
  }
  if (!platform) return null
  let addon
  try {
    addon = platform.addon()
  } catch (err) {
    const why = `asherah-warmup's addon, which Bun's bundler put beside the bundle, cannot be loaded (${err.message.split('\n')[0]}).`
    throw fail(CODES.NOT_FOUND, `${why} Fix: deploy the whole output folder of \`bun build\`, or build again.`)
  }
  const beside = (file) => path.join(path.dirname(addon.addonFile()), path.basename(file))
  return { addon, files: () => ({ library: beside(platform.library()), sumsFile: beside(platform.sums()) }) }
}

/** Why no addon could be loaded from `ids`. */
function missing(ids) {
  const triple = tripleOf()
  const unsupported = (reason) => fail(CODES.UNSUPPORTED_PLATFORM, `${reason} Under Node nothing is needed; under Bun asherah-node cannot be warmed up here.`)
  if (!libraryName()) return unsupported(`upstream ships no go-warmup library for ${process.platform}-${process.arch} (only linux and macOS, x64 and arm64).`)
  // musl: a report that names no glibc (slow to build, so only here); no package is published for it.
  const header = process.platform === 'linux' && process.report?.getReport?.()?.header
  if (header && !header.glibcVersionRuntime) return unsupported('this is a musl libc system, where Go c-shared libraries cannot be dlopened.')
  // Optional dependencies omitted, or node_modules installed on another platform (a Mac's, copied into a linux image).
  const fix = `install the dependencies where the app runs, optional ones included (npm install --include=optional; in a Dockerfile, npm ci in the image with node_modules in .dockerignore), so that asherah-warmup-${triple} is installed.`
  return fail(CODES.NOT_FOUND, `the addon for ${triple} is not installed (tried ${ids.join(', ')}). Fix: ${fix}`)
}

/** index.js's repair from now on, handed over by a require that installed none (ASHERAH_WARMUP=never) for a warmup() forced later. */
const fromNowOn = { repair: null }

/** The library Bun's bundler embedded with the addon, or undefined where it did not; after load(). */
const embeddedFiles = () => bundled?.files()

/** The addon this realm loaded here, or index.js did from beside the package (in the require cache under its real path). */
function loaded() {
  if (addon) return addon
  const beside = addonBeside(root)
  let key = path.resolve(beside)
  try {
    key = fs.realpathSync(beside)
  } catch {}
  return require.cache[key]?.exports ?? null
}

module.exports = { load, loaded, embeddedFiles, fromNowOn }
