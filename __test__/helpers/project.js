'use strict'
// Temporary projects with a real install shape, so the library search runs against the same
// folders npm would leave, with no test-only hook in the product:
//
//   <root>/node_modules/asherah-warmup/                   package.json and its "files" (index.js, lib/, ...)
//   <root>/node_modules/asherah-warmup-<triple>/          package.json, asherah-warmup.<triple>.node
//                                                         (+ the go-warmup library and SHA256SUMS)
//   <root>/node_modules/asherah/                          a stub, or the built asherah-node stand-in,
//                                                         with lib/<go-warmup library> + lib/SHA256SUMS
//
// A test file takes a workspace() (its own fs.mkdtempSync() folder in os.tmpdir()), makes its
// projects and library copies there, and calls ws.cleanup() from after().
const crypto = require('node:crypto')
const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')
const paths = require('./paths')
const { libraryName, packageTriple } = require('../../lib/platforms')
const { sumsFileName } = require('../../scripts/sync-versions')

const LIB = libraryName()
/** The platform's sums file name (SHA256SUMS, SHA256SUMS-darwin). */
const SUMS = sumsFileName(process.platform)
const TRIPLE = packageTriple()
const ADDON_FILE = `asherah-warmup.${TRIPLE}.node`
const ARCH = process.arch

/** What the build scripts produced, checked on first use with a hint on how to make it. */
const built = {
  addon: path.join(paths.root, 'npm', TRIPLE, ADDON_FILE),
  /** The release library of this platform, and the sums file that lists it (scripts/build-go.sh). */
  library: path.join(paths.goDist, LIB),
  sums: path.join(paths.goDist, SUMS),
  /** The library of another architecture (linux-arm64 on x64, and the other way round). */
  foreignLibrary: path.join(paths.goDist, libraryName('linux', ARCH === 'x64' ? 'arm64' : 'x64')),
  counting: path.join(paths.fixtures, ARCH, 'go-warmup-counting.so'),
  noSymbol: path.join(paths.fixtures, ARCH, 'go-warmup-no-symbol.so'),
  badResult: path.join(paths.fixtures, ARCH, 'go-warmup-bad-result.so'),
  asherah: path.join(paths.fixtures, ARCH, 'node_modules', 'asherah'),
}
const MADE_BY = {
  addon: 'bash scripts/build.sh',
  library: 'bash scripts/build-go.sh',
  sums: 'bash scripts/build-go.sh',
  foreignLibrary: 'bash scripts/build-go.sh linux-x64 linux-arm64',
}

/** The absolute path of a built artefact (a key of `built`), or an error saying how to build it. */
function artefact(key) {
  const file = built[key]
  if (!fs.existsSync(file)) {
    throw new Error(`test prerequisite missing: ${file}. Build it first: ${MADE_BY[key] || 'bash scripts/build-fixtures.sh'}`)
  }
  return file
}

/**
 * One test file's temporary folders: all under one fs.mkdtempSync() folder in os.tmpdir(),
 * made on first use; cleanup() removes it. `bun test` runs every file in one process, so each
 * file takes its own workspace and no file's cleanup can reach another's folders.
 */
function workspace() {
  let base = null
  let counter = 0
  const tempDir = (label = 'dir') => {
    if (!base) base = fs.mkdtempSync(path.join(os.tmpdir(), 'asherah-warmup-test-'))
    const dir = path.join(base, `${label}-${++counter}`)
    fs.mkdirSync(dir, { recursive: true })
    return dir
  }
  return {
    tempDir,
    libraryCopy: (options = {}) => libraryCopy({ dir: tempDir('lib'), ...options }),
    createProject: (options = {}) => createProject(tempDir(options.label || 'project'), options),
    cleanup() {
      if (base) fs.rmSync(base, { recursive: true, force: true })
      base = null
    },
  }
}

const sha256 = (bytes) => crypto.createHash('sha256').update(bytes).digest('hex')
const sha256File = (file) => sha256(fs.readFileSync(file))

/** A sums file line in the upstream format: `<hex>  ./<file>`. */
const sumsLine = (digest, name) => `${digest}  ./${name}\n`

/** A FIFO (named pipe) at `file`: opened for reading, it blocks until a writer comes, forever here. */
const mkfifo = (file) => require('node:child_process').execFileSync('mkfifo', [file])

/** `bytes` with one byte flipped in the middle. */
function tampered(bytes) {
  const copy = Buffer.from(bytes)
  copy[copy.length >> 1] ^= 0x5a
  return copy
}

function writeFile(file, bytes) {
  fs.mkdirSync(path.dirname(file), { recursive: true })
  fs.writeFileSync(file, bytes)
  return file
}

/**
 * Copies `fixture` (a path under __test__/fixtures/) to `file`, its requires of this checkout's
 * files (`../`: the probe helpers, scripts/lib) pointed at them by absolute path: the copy runs
 * from somewhere else. Requires of `./` files stay: they name the copy's neighbours.
 */
function copyFixture(fixture, file) {
  const from = path.join(__dirname, '..', 'fixtures', fixture)
  const text = fs
    .readFileSync(from, 'utf8')
    .replace(/require\('(\.\.\/[^']+)'\)/g, (_, id) => `require(${JSON.stringify(require.resolve(path.resolve(path.dirname(from), id)))})`)
  return writeFile(file, text)
}

function copyDir(from, to) {
  fs.cpSync(from, to, { recursive: true, dereference: true })
}

/**
 * A library file in folder `dir`: `bytes` (default: the release library) under `name`
 * (default: the release name), with a SHA256SUMS beside it when `sums` is true (listing the
 * file's own digest), a string (written as is), or false (none).
 */
function libraryCopy({ bytes, name = LIB, sums = false, dir }) {
  const content = bytes ?? fs.readFileSync(artefact('library'))
  const file = writeFile(path.join(dir, name), content)
  if (sums === true) writeFile(path.join(dir, SUMS), sumsLine(sha256(content), name))
  else if (typeof sums === 'string') writeFile(path.join(dir, SUMS), sums)
  return file
}

/** node_modules/asherah-warmup: what `npm pack` puts in (the `files` of package.json). */
function installWarmup(root) {
  const dir = path.join(root, 'node_modules', 'asherah-warmup')
  fs.mkdirSync(dir, { recursive: true })
  const manifest = JSON.parse(fs.readFileSync(path.join(paths.root, 'package.json'), 'utf8'))
  for (const entry of ['package.json', ...(manifest.files || [])]) {
    const from = path.join(paths.root, entry)
    if (fs.existsSync(from)) copyDir(from, path.join(dir, entry))
  }
  return dir
}

/** node_modules/asherah-warmup-<triple>: the platform package with our addon. */
function installAddon(root, { library, sums }) {
  const dir = path.join(root, 'node_modules', `asherah-warmup-${TRIPLE}`)
  fs.mkdirSync(dir, { recursive: true })
  // The platform package's own package.json when the checkout has one, else its essentials.
  const manifest = path.join(path.dirname(artefact('addon')), 'package.json')
  if (fs.existsSync(manifest)) fs.copyFileSync(manifest, path.join(dir, 'package.json'))
  else fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: `asherah-warmup-${TRIPLE}`, version: '0.1.0', main: ADDON_FILE }))
  fs.copyFileSync(artefact('addon'), path.join(dir, ADDON_FILE))
  fs.copyFileSync(path.join(path.dirname(artefact('addon')), 'embedded.js'), path.join(dir, 'embedded.js'))
  if (library !== false) libraryCopy({ bytes: Buffer.isBuffer(library) ? library : undefined, sums, dir })
  return dir
}

/**
 * node_modules/asherah. `kind`: 'fixture' (the built stand-in with its Go addon) or 'stub' (a
 * package.json and an index.js exporting `stub`: enough for the library search). `library`:
 * true (the release library, as asherah-node's downloader leaves it), a Buffer, or false.
 * `sums`: true (upstream SHA256SUMS listing the release library), a string, or false.
 */
function installAsherah(root, { kind = 'stub', library = true, sums = true } = {}) {
  const dir = path.join(root, 'node_modules', 'asherah')
  if (kind === 'fixture') {
    copyDir(artefact('asherah'), dir)
    fs.rmSync(path.join(dir, 'lib'), { recursive: true, force: true })
  } else {
    fs.mkdirSync(dir, { recursive: true })
    fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'asherah', version: '0.0.0-stub', main: 'index.js' }))
    fs.writeFileSync(path.join(dir, 'index.js'), 'module.exports = { stub: true }\n')
  }
  const lib = path.join(dir, 'lib')
  fs.mkdirSync(lib, { recursive: true })
  if (library !== false) writeFile(path.join(lib, LIB), Buffer.isBuffer(library) ? library : fs.readFileSync(artefact('library')))
  if (sums === true) fs.copyFileSync(artefact('sums'), path.join(lib, SUMS))
  else if (typeof sums === 'string') writeFile(path.join(lib, SUMS), sums)
  return dir
}

/**
 * A temporary project with asherah-warmup installed. Options:
 *   addon         install the platform package with our addon (default true)
 *   addonLibrary  the go-warmup library beside the addon: true (release copy), a Buffer, or false
 *   addonSums     a SHA256SUMS beside it: true (default, listing it, as the package ships), false, or a string
 *   asherah       false (default), 'stub' or 'fixture'; asherahLibrary / asherahSums as in installAsherah
 * Returns the paths a test asserts against; files that were not installed are still named
 * (where they would be), since a test may expect them in a NOT_FOUND message.
 */
function createProject(root, { addon = true, addonLibrary = true, addonSums = true, asherah = false, asherahLibrary = true, asherahSums = true } = {}) {
  fs.mkdirSync(root, { recursive: true })
  fs.writeFileSync(path.join(root, 'package.json'), JSON.stringify({ name: `test-${path.basename(root)}`, private: true }))
  const warmupDir = path.join(root, 'node_modules', 'asherah-warmup')
  const addonDir = path.join(root, 'node_modules', `asherah-warmup-${TRIPLE}`)
  const asherahDir = path.join(root, 'node_modules', 'asherah')
  installWarmup(root)
  if (addon) installAddon(root, { library: addonLibrary, sums: addonSums })
  if (asherah) installAsherah(root, { kind: asherah, library: asherahLibrary, sums: asherahSums })
  return {
    root,
    warmupDir,
    /** What a child passes to require(): the installed package folder. */
    index: warmupDir,
    addonDir,
    addonNode: path.join(addonDir, ADDON_FILE),
    addonLibrary: path.join(addonDir, LIB),
    asherahDir,
    asherahLibrary: path.join(asherahDir, 'lib', LIB),
    asherahNode: path.join(asherahDir, 'build', 'asherah.node'),
  }
}

module.exports = {
  LIB,
  SUMS,
  TRIPLE,
  ADDON_FILE,
  built,
  artefact,
  workspace,
  sha256,
  mkfifo,
  sha256File,
  sumsLine,
  tampered,
  writeFile,
  copyFixture,
  installWarmup,
  createProject,
}
