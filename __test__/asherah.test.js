'use strict'
// The asherah-node stand-in (build/fixtures/<arch>/node_modules/asherah: a Go c-archive in an
// N-API addon that imports crypto/x509, crypto/tls and net/http) loaded after the warmup, under
// Bun and under Node whatever the runner: a real AES-GCM round trip and x509.SystemCertPool().
// requireAsherah() is checked to resolve from the caller's file, with the working directory set
// to a decoy project whose own `asherah` must not be picked.
const assert = require('node:assert')
const crypto = require('node:crypto')
const fs = require('node:fs')
const path = require('node:path')
const { describe, it, before, after, RUNTIMES, lit, run, jsonOf } = require('./helpers/suite')
const project = require('./helpers/project')

const ws = project.workspace()

const PROBE = require.resolve('./helpers/probe')

let F // asherah-warmup + the stand-in in one project (the usual install)
let A // asherah-warmup only
let B // the caller's project: its own asherah (instrumented stand-in), a caller script
let decoy // the working directory: a project whose asherah is a stub that must not be loaded
let callerFile
let tailCallerFile
let orphanFile // a caller script in a folder with no asherah anywhere above it

before(() => {
  F = ws.createProject({ asherah: 'fixture', label: 'full' })
  A = ws.createProject({ label: 'warmup-only' })
  B = ws.createProject({ warmup: false, addon: false, asherah: 'fixture', label: 'caller' })
  // Instrument B's asherah entry point: record what was mapped when it started to load.
  fs.writeFileSync(
    path.join(B.asherahDir, 'index.js'),
    `'use strict'
const seenAtLoad = require(${lit(PROBE)}).natives()
module.exports = Object.assign(require('./build/asherah.node'), { seenAtLoad, from: __dirname })
`,
  )
  decoy = ws.createProject({ warmup: false, addon: false, asherah: 'stub', asherahExports: { decoy: true }, label: 'decoy' })
  callerFile = path.join(B.root, 'src', 'caller.js')
  project.writeFile(
    callerFile,
    `'use strict'
const { natives, attempt } = require(${lit(PROBE)})
const w = require(${lit(A.index)})
module.exports = (text, options) => {
  // Not a tail call, even after Bun's transpiler has simplified it (it turns
  // \`const m = f(); return m\` into \`return f()\`): see the tail-call test for why that matters.
  const r = attempt(() => ({ loaded: w.requireAsherah('asherah', options) }))
  if (!r.ok) return { r, s: w.status(), maps: natives() }
  const a = r.value.loaded
  return {
    r: { ok: true },
    sameAsRequire: a === require('asherah'),
    decoy: a.decoy === true,
    from: a.from,
    seenAtLoad: a.seenAtLoad,
    roundTrip: a.roundTrip(text),
    pool: a.certPoolSize(),
    s: w.status(),
    maps: natives(),
  }
}
`,
  )
  // The shortest way to use it, as an ES module or a 'use strict' file would write it: the call is
  // in tail position, which JavaScriptCore (Bun) turns into a proper tail call in strict code.
  tailCallerFile = path.join(B.root, 'src', 'tail-caller.js')
  project.writeFile(
    tailCallerFile,
    `'use strict'
const { requireAsherah } = require(${lit(A.index)})
module.exports = () => requireAsherah('asherah', { from: __filename })
`,
  )
  orphanFile = project.writeFile(
    path.join(ws.tempDir('orphan'), 'caller.js'),
    `module.exports = () => require(${lit(PROBE)}).attempt(() => require(${lit(A.index)}).requireAsherah('asherah'))\n`,
  )
})
after(() => ws.cleanup())

const randomText = () => `${crypto.randomBytes(24).toString('base64')} ✓ ${crypto.randomUUID()}`

function assertUsable(out, text) {
  assert.strictEqual(out.roundTrip, text, 'AES-GCM round trip returned the input')
  assert.ok(Number.isInteger(out.pool) && out.pool > 0, `SystemCertPool size ${out.pool}`)
}

for (const name of ['bun', 'node']) {
  describe(`the asherah stand-in under ${name}`, () => {
    const runtime = RUNTIMES[name]

    it("after the warmup, plain require('asherah') round-trips AES-GCM and reads the system cert pool", async () => {
      const text = randomText()
      const out = jsonOf(
        await run(
          `
        const w = require('asherah-warmup')
        const s = w.warmup({ force: true })
        const before = natives()
        const a = require('asherah')
        const result = { s, before, roundTrip: a.roundTrip(${lit(text)}), pool: a.certPoolSize(), go: a.goRuntime(), again: a.roundTrip('second') }
        finish(() => ({ ...result, maps: natives() }))
      `,
          { runtime, cwd: F.root },
        ),
      )
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
      const out = jsonOf(await run(`print(require(${lit(callerFile)})(${lit(text)}))`, { runtime, cwd: decoy.root }))
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
      const out = jsonOf(
        await run(`print(require(${lit(callerFile)})(${lit(text)}, { force: true }))`, {
          runtime,
          cwd: decoy.root,
          env: { ASHERAH_WARMUP: 'never' },
        }),
      )
      assert.strictEqual(out.r.ok, true, out.r.message)
      assert.strictEqual(out.s.warmed, true)
      assert.strictEqual(out.s.calls, 1)
      assert.deepStrictEqual(out.seenAtLoad.goWarmup, [A.addonLibrary])
      assert.ok(!out.seenAtLoad.nodeAddons.includes(B.asherahNode))
      assertUsable(out, text)
    })

    it('requireAsherah() in tail position of strict code resolves from the file named by `from` (JavaScriptCore drops the frame)', async () => {
      const out = jsonOf(
        await run(
          `const r = attempt(() => { const m = require(${lit(tailCallerFile)})(); return { from: m.from, decoy: m.decoy === true } })
        print(r)`,
          { runtime, cwd: decoy.root },
        ),
      )
      assert.strictEqual(out.ok, true, `requireAsherah resolved from the wrong file: ${out.message}`)
      assert.strictEqual(out.value.decoy, false, "requireAsherah silently loaded the working directory's asherah instead of the caller's")
      assert.strictEqual(out.value.from, B.asherahDir)
    })

    it('requireAsherah() with a relative `from` fails with INVALID_OPTION naming it, and the process lives on', async () => {
      const out = jsonOf(
        await run(`print(attempt(() => require(${lit(A.index)}).requireAsherah('asherah', { from: 'src/app.js' })))`, { runtime, cwd: decoy.root }),
      )
      assert.strictEqual(out.ok, false)
      assert.strictEqual(out.code, 'ERR_ASHERAH_WARMUP_INVALID_OPTION')
      assert.match(out.message, /src\/app\.js/)
    })

    it('requireAsherah() from a file with no asherah above it fails with MODULE_NOT_FOUND, though the working directory has one', async () => {
      const out = jsonOf(await run(`print(require(${lit(orphanFile)})())`, { runtime, cwd: decoy.root }))
      assert.strictEqual(out.ok, false)
      assert.strictEqual(out.code, 'MODULE_NOT_FOUND', out.message)
    })
  })
}
