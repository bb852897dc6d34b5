'use strict'
// Where the go-warmup library comes from, against real install layouts (helpers/project.js):
// (1) the library option, (2) ASHERAH_WARMUP_LIBRARY, (3) beside our addon in the platform
// package, (4) asherah-node's lib/. (1) and (2) are final when wrong; (3) and (4) fall through
// and every miss is reported. Each case runs in a fresh child of the current runtime, started in
// an empty working directory, and reads /proc/self/maps there to see which file was loaded. The
// core's answer for each wrong explicit path and for every candidate missing is checked by its
// Rust unit tests (src/locate_tests.rs); here, the choices the JS layer makes and real layouts.
const assert = require('node:assert')
const path = require('node:path')
const { describe, it, before, after, CURRENT, warmIn, mappedAs } = require('./helpers/suite')
const project = require('./helpers/project')

const ws = project.workspace()

const { LIB } = project
const NOT_FOUND = 'ERR_ASHERAH_WARMUP_NOT_FOUND'

let full // (3) and (4) both present
let noAddonLib // (3) missing, (4) present
let bare // (3) missing, no asherah-node at all
let elsewhere // a library copy outside any package (for (1) and (2))
let other // a second copy, to tell (1) from (2)
let cwd

before(() => {
  full = ws.createProject({ asherah: 'stub', label: 'full' })
  noAddonLib = ws.createProject({ addonLibrary: false, asherah: 'stub', label: 'no-addon-lib' })
  bare = ws.createProject({ addonLibrary: false, label: 'bare' })
  elsewhere = ws.libraryCopy()
  other = ws.libraryCopy()
  cwd = ws.tempDir('cwd')
})
after(() => ws.cleanup())

/** warmIn from the suite helpers, run from this file's working directory by default. */
const warm = (p, options = {}) => warmIn(p, { cwd, ...options })

function assertLoaded(out, library, source) {
  assert.strictEqual(out.r.ok, true, `warmup failed: ${out.r.message}`)
  const s = out.r.value
  assert.strictEqual(s.warmed, true)
  assert.strictEqual(s.calls, 1)
  assert.strictEqual(s.library, library)
  assert.strictEqual(s.source, source)
  assert.deepStrictEqual(out.maps.goWarmup, [mappedAs(s)], 'exactly that library is mapped')
  return s
}

function assertNothingLoaded(out, code) {
  assert.strictEqual(out.r.ok, false, 'warmup should have failed')
  assert.strictEqual(out.r.isError, true)
  assert.strictEqual(out.r.code, code, out.r.message)
  assert.deepStrictEqual(out.maps.goWarmup, [], 'no go-warmup library may be loaded')
}

describe(`library search order (${CURRENT})`, () => {
  it("(3) the copy beside the addon wins over asherah-node's lib/ (4)", async () => {
    const out = await warm(full)
    const s = assertLoaded(out, full.addonLibrary, 'package')
    assert.deepStrictEqual(s.tried, [])
    assert.ok(!out.maps.goWarmup.includes(full.asherahLibrary))
  })

  it("(3) missing: asherah-node's lib/ (4) is used and the miss is in status.tried", async () => {
    const out = await warm(noAddonLib)
    const s = assertLoaded(out, noAddonLib.asherahLibrary, 'asherah-node')
    assert.strictEqual(s.tried.length, 1, JSON.stringify(s.tried))
    assert.strictEqual(s.tried[0].path, noAddonLib.addonLibrary)
    assert.strictEqual(s.tried[0].source, 'package')
    assert.match(s.tried[0].reason, /does not exist/)
  })

  it('asherah-node is resolved from the installed asherah-warmup, whatever the working directory', async () => {
    // The working directory is another project with its own asherah-node copy: not the one to use.
    const out = await warm(noAddonLib, { cwd: full.root })
    assertLoaded(out, noAddonLib.asherahLibrary, 'asherah-node')
  })

  it('no library beside the addon and no asherah-node installed: NOT_FOUND naming the path tried', async () => {
    const out = await warm(bare)
    assertNothingLoaded(out, NOT_FOUND)
    assert.ok(out.r.message.includes(bare.addonLibrary), out.r.message)
    assert.match(out.r.message, /Fix:/)
  })

  it('(2) ASHERAH_WARMUP_LIBRARY wins over the copy beside the addon (3)', async () => {
    const out = await warm(full, { env: { ASHERAH_WARMUP_LIBRARY: elsewhere } })
    const s = assertLoaded(out, elsewhere, 'env')
    assert.deepStrictEqual(s.tried, [])
  })

  it('(1) the library option wins over ASHERAH_WARMUP_LIBRARY (2)', async () => {
    const out = await warm(full, { options: { library: other }, env: { ASHERAH_WARMUP_LIBRARY: elsewhere } })
    assertLoaded(out, other, 'option')
  })

  it('a relative library option is taken from the working directory', async () => {
    const dir = path.dirname(elsewhere)
    const out = await warm(full, { options: { library: `./${LIB}` }, cwd: dir })
    assertLoaded(out, elsewhere, 'option')
  })
})

describe(`an explicit choice that is wrong is the error, never a fall-through (${CURRENT})`, () => {
  it('a library option naming a missing file: NOT_FOUND, though ASHERAH_WARMUP_LIBRARY and the package are good', async () => {
    const missing = path.join(ws.tempDir('missing'), LIB)
    const out = await warm(full, { options: { library: missing }, env: { ASHERAH_WARMUP_LIBRARY: elsewhere } })
    assertNothingLoaded(out, NOT_FOUND)
    assert.ok(out.r.message.includes(missing), out.r.message)
    assert.strictEqual(out.s.warmed, false)
    assert.strictEqual(out.s.calls, 0)
  })
})
