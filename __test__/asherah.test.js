'use strict'
// The asherah-node stand-in (build/fixtures/<arch>/node_modules/asherah: a Go c-archive in an
// N-API addon that imports crypto/x509, crypto/tls and net/http) loaded after the warmup, under
// Bun and under Node whatever the runner: a real AES-GCM round trip and x509.SystemCertPool().
// Both runtimes are named, so this runs once (suite.js once).
const assert = require('node:assert')
const crypto = require('node:crypto')
const { once, it, after, RUNTIMES, runChild, jsonOf } = require('./helpers/suite')
const project = require('./helpers/project')

const ws = project.workspace()

let F // asherah-warmup + the stand-in in one project (the usual install)

once.before(() => {
  F = ws.createProject({ asherah: 'fixture', label: 'full' })
})
after(() => ws.cleanup())

const randomText = () => `${crypto.randomBytes(24).toString('base64')} ✓ ${crypto.randomUUID()}`

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
  })
}
