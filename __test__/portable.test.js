'use strict'
// What the macOS CI jobs run on the packages built on linux (and what runs here on linux, on this
// machine's packages): nothing in this file needs /proc, so it holds on both. The asherah.node
// stand-in (a Go c-archive that touches crypto/x509) is loaded under every Bun of the matrix after
// `require('asherah-warmup')`, and the verified load (a pinned digest) goes through this OS's
// verified-copy path (a sealed memfd on linux, a private folder on macOS). Each Bun is named here,
// so this runs once (suite.js once).
const assert = require('node:assert')
const { once, it, after, RUNTIMES, runChild, warmIn } = require('./helpers/suite')
const paths = require('./helpers/paths')
const project = require('./helpers/project')
const { BUN_MATRIX } = require('../scripts/lib/signal-scenarios')

const ws = project.workspace()
let P

once.before(() => {
  P = ws.createProject({ asherah: 'fixture', label: 'portable' })
})
after(() => ws.cleanup())

once.describe(`the asherah.node stand-in under Bun, on ${process.platform}-${process.arch}`, () => {
  for (const version of BUN_MATRIX) {
    it(`Bun ${version}: require('asherah-warmup'), then require('asherah'): warmed from the platform package, Go round trip and x509 work, WASM survives`, async () => {
      const res = await runChild('app-with-asherah.js', { runtime: paths.bun(version), cwd: P.root, env: { APP_WARMUP: '1' } })
      assert.strictEqual(res.status, 0, `exit ${res.status} (${res.signal}, timed out: ${res.timedOut})\n${res.stderr}`)
      const out = res.json
      assert.strictEqual(out.roundTrip, 'portable')
      assert.ok(out.certs > 0, 'the system certificate pool loaded')
      assert.strictEqual(out.status.warmed, true)
      assert.strictEqual(out.status.calls, 1)
      assert.strictEqual(out.status.source, 'package')
      assert.strictEqual(out.status.library, P.addonLibrary)
    })
  }
})

once.describe(`a verified load on ${process.platform}-${process.arch}`, () => {
  it('a pinned digest: hashed, loaded from the verified copy, the status says pinned with the digest', async () => {
    const digest = project.sha256File(P.addonLibrary)
    const out = await warmIn(P, { runtime: RUNTIMES.bun, options: { sha256: digest } })
    assert.strictEqual(out.r.ok, true, out.r.message)
    const s = out.r.value
    assert.strictEqual(s.warmed, true)
    assert.strictEqual(s.verification, 'pinned')
    assert.strictEqual(s.sha256, digest)
  })

  it('a wrong pinned digest: CHECKSUM_MISMATCH, nothing called', async () => {
    const out = await warmIn(P, { runtime: RUNTIMES.bun, options: { sha256: '0'.repeat(64) } })
    assert.strictEqual(out.r.code, 'ERR_ASHERAH_WARMUP_CHECKSUM_MISMATCH', out.r.message)
    assert.strictEqual(out.s.calls, 0)
  })
})
