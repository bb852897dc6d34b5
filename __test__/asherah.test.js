'use strict'
// The asherah-node stand-in (build/fixtures/<arch>/node_modules/asherah: a Go c-archive in an
// N-API addon that imports crypto/x509, crypto/tls and net/http) loaded after the warmup, under
// Bun and under Node whatever the runner: a real AES-GCM round trip and x509.SystemCertPool().
// requireAsherah() is checked to resolve from the caller's file, with the working directory set
// to a decoy project whose own `asherah` must not be picked. Both runtimes are named, so this runs
// once (suite.js once).
const assert = require('node:assert')
const crypto = require('node:crypto')
const path = require('node:path')
const { once, it, after, RUNTIMES, runChild, jsonOf } = require('./helpers/suite')
const project = require('./helpers/project')

const ws = project.workspace()

let F // asherah-warmup + the stand-in in one project (the usual install)
let A // asherah-warmup only
let B // the caller's project: its own asherah (instrumented stand-in), a caller script
let decoy // the working directory: a project whose asherah is a stub that must not be loaded
let callerFile
let tailCallerFile
let orphanFile // the caller script in a folder with no asherah anywhere above it

once.before(() => {
  F = ws.createProject({ asherah: 'fixture', label: 'full' })
  A = ws.createProject({ label: 'warmup-only' })
  B = ws.createProject({ warmup: false, addon: false, asherah: 'fixture', label: 'caller' })
  // Instrument B's asherah entry point: record what was mapped when it started to load.
  project.copyFixture('require-asherah/asherah-index.js', path.join(B.asherahDir, 'index.js'))
  decoy = ws.createProject({ warmup: false, addon: false, asherah: 'stub', asherahExports: { decoy: true }, label: 'decoy' })
  // The callers: requireAsherah() from a file (a copy) in B, one with the call in tail position
  // (see tail-caller.js), and the first again where there is no asherah.
  callerFile = project.copyFixture('require-asherah/caller.js', path.join(B.root, 'src', 'caller.js'))
  tailCallerFile = project.copyFixture('require-asherah/tail-caller.js', path.join(B.root, 'src', 'tail-caller.js'))
  orphanFile = project.copyFixture('require-asherah/caller.js', path.join(ws.tempDir('orphan'), 'caller.js'))
})
after(() => ws.cleanup())

const randomText = () => `${crypto.randomBytes(24).toString('base64')} ✓ ${crypto.randomUUID()}`

/**
 * requireAsherah() called from `caller` (a copy of fixtures/require-asherah/caller.js or
 * tail-caller.js) in a child (asherah-from-caller.js), with asherah-warmup from A: `options` for
 * requireAsherah(), and a `text` to round-trip through the loaded asherah.
 */
const fromCaller = async (caller, { text, options }, child) =>
  jsonOf(await runChild('asherah-from-caller.js', { args: [caller, A.index, { text, options }], ...child }))

function assertUsable(out, text) {
  assert.strictEqual(out.roundTrip, text, 'AES-GCM round trip returned the input')
  assert.ok(Number.isInteger(out.pool) && out.pool > 0, `SystemCertPool size ${out.pool}`)
}

for (const name of ['bun', 'node']) {
  once.describe(`the asherah stand-in under ${name}`, () => {
    const runtime = RUNTIMES[name]

    it("after the warmup, plain require('asherah') round-trips AES-GCM and reads the system cert pool", async () => {
      const text = randomText()
      const out = jsonOf(await runChild('asherah-after-warmup.js', { runtime, args: [text], cwd: F.root }))
      assert.strictEqual(out.s.warmed, true)
      assert.strictEqual(out.s.library, F.addonLibrary)
      assert.ok(!out.before.nodeAddons.includes(F.asherahNode), 'asherah.node was not loaded before the warmup')
      assert.ok(out.maps.nodeAddons.includes(F.asherahNode), 'asherah.node is loaded afterwards')
      assertUsable(out, text)
      assert.strictEqual(out.again, 'second')
      assert.match(out.go, /^go\d+\.\d+/)
      assert.strictEqual(out.alive, true)
    })

    it("requireAsherah() resolves from the caller's file, not asherah-warmup's folder nor the working directory", async () => {
      const text = randomText()
      const out = await fromCaller(callerFile, { text }, { runtime, cwd: decoy.root })
      assert.strictEqual(out.r.ok, true, out.r.message)
      assert.strictEqual(out.decoy, false, "the working directory's asherah was loaded")
      assert.strictEqual(out.from, B.asherahDir)
      assert.strictEqual(out.sameAsRequire, true, "returns the module the caller's own require returns")
      assertUsable(out, text)
      assert.ok(out.maps.nodeAddons.includes(B.asherahNode))
      if (name === 'bun') {
        assert.strictEqual(out.s.warmed, true)
        assert.deepStrictEqual(out.seenAtLoad.goWarmup, [A.addonLibrary], 'the warmup library was loaded before asherah')
      } else {
        assert.strictEqual(out.s.warmed, false, 'no warmup under Node unless forced')
        assert.strictEqual(out.s.calls, 0)
        assert.deepStrictEqual(out.maps.goWarmup, [])
        assert.deepStrictEqual(out.maps.addon, [], 'nor is our addon loaded')
      }
    })

    it("requireAsherah('asherah', { force: true }) warms up before asherah.node starts to load", async () => {
      const text = randomText()
      const out = await fromCaller(callerFile, { text, options: { force: true } }, { runtime, cwd: decoy.root, env: { ASHERAH_WARMUP: 'never' } })
      assert.strictEqual(out.r.ok, true, out.r.message)
      assert.strictEqual(out.s.warmed, true)
      assert.strictEqual(out.s.calls, 1)
      assert.deepStrictEqual(out.seenAtLoad.goWarmup, [A.addonLibrary])
      assert.ok(!out.seenAtLoad.nodeAddons.includes(B.asherahNode))
      assertUsable(out, text)
    })

    it('ASHERAH_WARMUP=never: requireAsherah() loads asherah and nothing of ours (the package stays inert)', async () => {
      const out = await fromCaller(callerFile, {}, { runtime, cwd: decoy.root, env: { ASHERAH_WARMUP: 'never' } })
      assert.strictEqual(out.r.ok, true, out.r.message)
      assert.strictEqual(out.from, B.asherahDir)
      assert.strictEqual(out.s.warmed, false)
      assert.deepStrictEqual(out.maps.addon, [], 'our addon was loaded')
      assert.deepStrictEqual(out.maps.goWarmup, [])
    })

    it('requireAsherah() in tail position of strict code resolves from the file named by `from` (JavaScriptCore drops the frame)', async () => {
      const out = await fromCaller(tailCallerFile, {}, { runtime, cwd: decoy.root })
      assert.strictEqual(out.r.ok, true, `requireAsherah resolved from the wrong file: ${out.r.message}`)
      assert.strictEqual(out.decoy, false, "requireAsherah silently loaded the working directory's asherah instead of the caller's")
      assert.strictEqual(out.from, B.asherahDir)
    })

    it('requireAsherah() with a relative `from` fails with INVALID_OPTION naming it, and the process lives on', async () => {
      const { r } = await fromCaller(callerFile, { options: { from: 'src/app.js' } }, { runtime, cwd: decoy.root })
      assert.strictEqual(r.ok, false)
      assert.strictEqual(r.code, 'ERR_ASHERAH_WARMUP_INVALID_OPTION')
      assert.match(r.message, /src\/app\.js/)
    })

    it('requireAsherah() from a file with no asherah above it fails with MODULE_NOT_FOUND, though the working directory has one', async () => {
      const { r } = await fromCaller(orphanFile, {}, { runtime, cwd: decoy.root })
      assert.strictEqual(r.ok, false)
      assert.strictEqual(r.code, 'MODULE_NOT_FOUND', r.message)
    })
  })
}
