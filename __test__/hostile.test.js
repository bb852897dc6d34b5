'use strict'
// Files built to break the load path, in a real child: a sums file that is not exactly the
// sha256sum format, library, sums or addon paths that are no regular file (a FIFO, one this user
// may not read), an addon gone from its install. Each must end in a typed error naming the file,
// with nothing loaded and the process alive: no hang on a FIFO, and never a library loaded
// unverified because its sums file could not be read. The core's classification of every other bad sums file, device, oversized
// or truncated library, and the escaping of paths in messages, is checked by its Rust unit tests
// (src/sums.rs, src/verify_tests.rs, src/regular_file.rs, src/locate_tests.rs, src/object_file.rs,
// src/error.rs).
const assert = require('node:assert')
const fs = require('node:fs')
const path = require('node:path')
const { describe, it, before, after, CURRENT, warmIn } = require('./helpers/suite')
const project = require('./helpers/project')

const ws = project.workspace()
const { LIB, mkfifo } = project

let P // a project whose platform package has no library: explicit choices only
let release
let line // the release library's upstream sums line
let cwd

before(() => {
  P = ws.createProject({ addonLibrary: false, asherah: 'stub', label: 'hostile' })
  release = fs.readFileSync(project.artefact('library'))
  line = project.sumsLine(project.sha256(release), LIB)
  cwd = ws.tempDir('cwd')
})
after(() => ws.cleanup())

/** A copy of the release library with `setup(dir)` making its SHA256SUMS. */
function libraryWithSums(setup) {
  const library = ws.libraryCopy({})
  setup(path.join(path.dirname(library), 'SHA256SUMS'))
  return library
}

const warm = (library) => warmIn(P, { cwd, options: { library } })

function assertRefused(out, code, file, why) {
  assert.strictEqual(out.r.ok, false, `should have been refused: ${JSON.stringify(out.r.value)}`)
  assert.strictEqual(out.r.code, code, out.r.message)
  assert.ok(out.r.message.includes(file), `message should name ${file}: ${out.r.message}`)
  assert.match(out.r.message, why)
  assert.match(out.r.message, /Fix: /)
  assert.deepStrictEqual(out.maps.goWarmup, [], 'nothing may be loaded')
  if (out.s) assert.strictEqual(out.s.calls, 0)
}

const SUMS_INVALID = 'ERR_ASHERAH_WARMUP_SUMS_INVALID'

describe(`sums files fail closed (${CURRENT})`, () => {
  for (const [name, setup, why] of [
    [
      'a UTF-8 byte-order mark',
      (f) => fs.writeFileSync(f, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(line)])),
      /:1 starts with a UTF-8 byte-order mark/,
    ],
    ['a FIFO (would block a plain open forever)', mkfifo, /is a FIFO/],
  ]) {
    it(`${name}: SUMS_INVALID naming the file, nothing loaded`, async () => {
      const library = libraryWithSums(setup)
      const out = await warm(library)
      assertRefused(out, SUMS_INVALID, path.join(path.dirname(library), 'SHA256SUMS'), why)
    })
  }

  it('the same sums file, well formed: verified (sums-file)', async () => {
    const library = libraryWithSums((f) => fs.writeFileSync(f, line))
    const out = await warm(library)
    assert.strictEqual(out.r.ok, true, out.r.message)
    assert.strictEqual(out.r.value.verification, 'sums-file')
  })
})

describe(`library files that are no library (${CURRENT})`, () => {
  it('a FIFO as ASHERAH_WARMUP_LIBRARY: NOT_FOUND saying what it is, no hang', async () => {
    const fifo = path.join(ws.tempDir('fifo'), LIB)
    mkfifo(fifo)
    const out = await warmIn(P, { cwd, env: { ASHERAH_WARMUP_LIBRARY: fifo } })
    assertRefused(out, 'ERR_ASHERAH_WARMUP_NOT_FOUND', fifo, /is a FIFO \(named pipe\), not a regular file/)
  })

  it('a library this user may not read (EACCES): NOT_FOUND saying so, nothing loaded', async () => {
    // root reads any file, so where the suite runs as root the child runs as nobody; the
    // workspace folders are opened for it to reach the project.
    const user = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {}
    const denied = ws.libraryCopy({})
    fs.chmodSync(denied, 0o000)
    for (const dir of [path.dirname(P.root), path.dirname(denied), cwd]) fs.chmodSync(dir, 0o755)
    const out = await warmIn(P, { cwd, options: { library: denied }, ...user })
    assertRefused(out, 'ERR_ASHERAH_WARMUP_NOT_FOUND', denied, /EACCES: permission denied/)
  })
})

describe(`the addon's own file broken in an install (${CURRENT})`, () => {
  /** A project whose platform package's addon `replace(file)` replaced, warmed up by warmup({ force: true }). */
  async function warmWithAddon(label, replace) {
    const app = ws.createProject({ label })
    fs.rmSync(app.addonNode)
    replace(app.addonNode)
    return { app, out: await warmIn(app, { cwd, options: {}, timeoutMs: 10000 }) }
  }

  it('a FIFO: NOT_FOUND naming it, no hang (Node blocked opening it)', async () => {
    const { app, out } = await warmWithAddon('addon-fifo', mkfifo)
    const shown = path.join(path.basename(path.dirname(app.addonNode)), path.basename(app.addonNode))
    assertRefused(out, 'ERR_ASHERAH_WARMUP_NOT_FOUND', shown, /is no regular file\. Fix: reinstall/)
  })

  for (const [how, replace] of [
    ['deleted', () => {}],
    [
      'its platform package a file, not a folder (ENOTDIR)',
      (addon) => {
        fs.rmSync(path.dirname(addon), { recursive: true })
        fs.writeFileSync(path.dirname(addon), '')
      },
    ],
  ]) {
    it(`${how}: NOT_FOUND, not installed, never taken for a bundle (Bun said "deploy the whole output folder of bun build")`, async () => {
      const { out } = await warmWithAddon(`addon-${how.split(' ')[0]}`, replace)
      assertRefused(out, 'ERR_ASHERAH_WARMUP_NOT_FOUND', 'asherah-warmup-', /is not installed \(tried .*Fix: install the dependencies where the app runs/)
    })
  }
})
