'use strict'
// require('asherah-warmup'), warmup(), status() and plan() in fresh processes, from an installed project
// layout (helpers/project.js): under Bun the require warms up; under Node it loads nothing native
// until warmup({ force: true }) or ASHERAH_WARMUP=always; what is mapped is read from
// /proc/self/maps inside the child. Runs under `node --test` and `bun test`; the describes of the
// Bun- and Node-specific behaviours spawn that runtime explicitly, so they run once (suite.js once).
const assert = require('node:assert')
const fs = require('node:fs')
const path = require('node:path')
const { describe, it, before, after, once, RUNTIMES, CURRENT, runChild, jsonOf, returned, warmIn } = require('./helpers/suite')
const project = require('./helpers/project')
const paths = require('./helpers/paths')
const { BUN_MATRIX } = require('../scripts/lib/signal-scenarios')

const ws = project.workspace()

let P // addon + release library beside it, and an asherah-node stub with its lib/ copy
let cwd // a working directory with nothing in it

before(() => {
  P = ws.createProject({ asherah: 'stub' })
  cwd = ws.tempDir('cwd')
})
after(() => ws.cleanup())

/** A child (fixtures/children/<name>) on the installed package, from the empty working directory. */
const inProject = (name, { args = [], ...options } = {}) => runChild(name, { args: [P.index, ...args], cwd, ...options })
/** warmup() called with each argument list of `calls` in turn ([] is warmup() with none). */
const warmupCalls = (calls, options) => inProject('warmup-calls.js', { args: [calls], ...options })

function assertWarmedFromPackage(s, runtime) {
  assert.strictEqual(s.runtime, runtime)
  assert.strictEqual(s.warmed, true)
  assert.strictEqual(s.result, 1)
  assert.strictEqual(s.calls, 1)
  assert.strictEqual(s.library, P.addonLibrary)
  assert.strictEqual(s.source, 'package')
  assert.strictEqual(s.verification, 'package-manager')
  assert.strictEqual(s.verified, false)
  assert.strictEqual(s.sha256, null)
  assert.deepStrictEqual(s.tried, [])
  assert.ok(typeof s.durationMs === 'number' && s.durationMs > 0 && s.durationMs < 10000, `durationMs ${s.durationMs}`)
}

once.describe('under Bun, require() warms up', () => {
  it('status() after require: warmed once from the platform package, not re-hashed', async () => {
    const out = jsonOf(await inProject('warm.js', { runtime: RUNTIMES.bun }))
    const s = out.r.value
    assertWarmedFromPackage(s, 'bun')
    assert.strictEqual(s.needed, true)
    assert.strictEqual(fs.statSync(s.library).isFile(), true)
    assert.deepStrictEqual(out.maps.addon, [P.addonNode], 'our addon, from the platform package')
    assert.deepStrictEqual(out.maps.goWarmup, [P.addonLibrary], 'the go-warmup library beside it, and no other')
  })

  it('repeated warmup() returns the same status object and never calls Warmup again', async () => {
    const out = jsonOf(await inProject('same-status.js', { runtime: RUNTIMES.bun }))
    assert.strictEqual(out.same, true)
    assert.strictEqual(out.frozen, true)
    assert.deepStrictEqual(out.calls, [1, 1, 1, 1])
    assertWarmedFromPackage(out.last, 'bun')
  })

  // Bun 1.2 refuses to clone an object the addon made (DataCloneError), and an app may post its status to another thread.
  for (const version of BUN_MATRIX) {
    it(`Bun ${version}: the status is plain data: structuredClone (what postMessage does) copies it whole`, async () => {
      const out = jsonOf(await inProject('same-status.js', { runtime: paths.bun(version) }))
      assert.strictEqual(out.clone.ok, true, JSON.stringify(out.clone))
      assert.deepStrictEqual(out.clone.value, out.last)
    })
  }

  it('the go-warmup library is opened RTLD_LOCAL: none of its symbols join the global scope', async () => {
    // dlsym(RTLD_DEFAULT, name) through bun:ffi sees the executable and every RTLD_GLOBAL library.
    const out = jsonOf(await inProject('global-symbols.js', { runtime: RUNTIMES.bun }))
    assert.strictEqual(out.s.warmed, true)
    assert.deepStrictEqual(out.before, [false, false, false, true], "control: dlsym finds libc's malloc and no Go symbol yet")
    assert.deepStrictEqual(out.after, [false, false, false, true], 'Warmup, crosscall2 or _cgo_panic became global')
  })

  it('ASHERAH_WARMUP=never: require warms nothing and maps no native file', async () => {
    const out = jsonOf(await inProject('lifecycle.js', { runtime: RUNTIMES.bun, env: { ASHERAH_WARMUP: 'never' } }))
    for (const s of [out.s0.value, out.noForce.value]) {
      assert.strictEqual(s.needed, false)
      assert.strictEqual(s.warmed, false)
      assert.strictEqual(s.calls, 0)
      assert.strictEqual(s.library, null)
    }
    assert.strictEqual(out.needs.value, false)
    assert.deepStrictEqual(out.maps.nodeAddons, [])
    assert.deepStrictEqual(out.maps.goWarmup, [])
  })
})

once.describe('under Node, require() loads nothing native', () => {
  it('maps no addon and no go-warmup library until warmup({ force: true }), then both', async () => {
    const out = jsonOf(await inProject('lifecycle.js', { runtime: RUNTIMES.node, args: [{ force: true }] }))
    for (const m of [out.afterRequire, out.afterStatus, out.afterNoForce]) {
      assert.deepStrictEqual(m.addon, [])
      assert.deepStrictEqual(m.goWarmup, [])
    }
    assert.strictEqual(out.needs.value, false)
    assert.strictEqual(out.s0.value.warmed, false)
    assert.strictEqual(out.s0.value.calls, 0)
    assert.strictEqual(out.noForce.value.warmed, false)
    assert.strictEqual(out.noForce.value.calls, 0)
    assertWarmedFromPackage(out.s.value, 'node')
    assert.strictEqual(out.s.value.needed, false)
    assert.deepStrictEqual(out.maps.addon, [P.addonNode])
    assert.deepStrictEqual(out.maps.goWarmup, [P.addonLibrary])
  })

  it('once warmed by force, warmup() with options still answers warmed, and a digest the library lacks is ALREADY_WARMED', async () => {
    const wrong = '0'.repeat(64)
    const out = jsonOf(await warmupCalls([[{ force: true }], [{}], [], [{ sha256: wrong }]], { runtime: RUNTIMES.node }))
    for (const [i, r] of out.r.slice(0, 3).entries()) assert.strictEqual(r.value?.warmed, true, `call ${i}: ${JSON.stringify(r)}`)
    assert.strictEqual(out.r[3].code, 'ERR_ASHERAH_WARMUP_ALREADY_WARMED', JSON.stringify(out.r[3]))
    assert.strictEqual(out.s.value.calls, 1)
  })

  it('ASHERAH_WARMUP=always: require warms up', async () => {
    const out = await warmIn(P, { cwd, runtime: RUNTIMES.node })
    assertWarmedFromPackage(out.r.value, 'node')
    assert.strictEqual(out.r.value.needed, true)
    assert.deepStrictEqual(out.maps.addon, [P.addonNode])
    assert.deepStrictEqual(out.maps.goWarmup, [P.addonLibrary])
  })
})

describe('ASHERAH_WARMUP', () => {
  it(`never + warmup({ force: true }) warms up (${CURRENT})`, async () => {
    const out = await warmIn(P, { cwd, options: {} })
    assertWarmedFromPackage(out.r.value, CURRENT)
    assert.strictEqual(out.r.value.needed, false)
    assert.deepStrictEqual(out.maps.goWarmup, [P.addonLibrary])
  })

  it(`an invalid value: warmup() and plan() throw INVALID_OPTION naming it, status() does not throw (${CURRENT})`, async () => {
    const out = jsonOf(await inProject('lifecycle.js', { args: [{ env: { ASHERAH_WARMUP: 'sometimes' }, plan: true }], env: { ASHERAH_WARMUP: 'never' } }))
    assert.strictEqual(out.planned.code, 'ERR_ASHERAH_WARMUP_INVALID_OPTION', JSON.stringify(out.planned))
    const [st, wu] = [out.s0, out.noForce]
    assert.strictEqual(st.ok, true, JSON.stringify(st))
    assert.strictEqual(st.value.warmed, false)
    assert.strictEqual(wu.ok, false)
    assert.strictEqual(wu.isError, true)
    assert.strictEqual(wu.code, 'ERR_ASHERAH_WARMUP_INVALID_OPTION')
    assert.match(wu.message, /ASHERAH_WARMUP/)
    assert.match(wu.message, /sometimes/)
    assert.deepStrictEqual(out.maps.goWarmup, [])
  })

  it('an invalid value in the environment does not make require() throw under Node', async () => {
    const out = jsonOf(await inProject('lifecycle.js', { runtime: RUNTIMES.node, env: { ASHERAH_WARMUP: 'sometimes' } }))
    assert.strictEqual(out.req.ok, true, `require threw: ${out.req.message}`)
    assert.strictEqual(out.s0.ok, true)
    assert.strictEqual(out.noForce.code, 'ERR_ASHERAH_WARMUP_INVALID_OPTION')
    assert.deepStrictEqual(out.maps.nodeAddons, [])
  })

  it('an invalid value in the environment makes require() fail loudly under Bun, and the process lives on', async () => {
    const out = jsonOf(await inProject('warm.js', { runtime: RUNTIMES.bun, env: { ASHERAH_WARMUP: 'sometimes' } }))
    const req = out.r
    assert.strictEqual(req.ok, false)
    assert.strictEqual(req.code, 'ERR_ASHERAH_WARMUP_INVALID_OPTION')
    assert.match(req.message, /ASHERAH_WARMUP="sometimes"/)
    assert.deepStrictEqual(out.maps.goWarmup, [])
    assert.strictEqual(out.alive, true)
  })
})

describe('plan()', () => {
  it(`settled: absent before a warmup; after it, the outcome status() reports, field for field (${CURRENT})`, async () => {
    // fixtures/unexpected/sequence.js: an inert require, plan(), warmup({ force: true }), plan(), status(), each attempted.
    const steps = [['warmup'], ['plan'], ['force'], ['plan'], ['status']]
    const res = await runChild(path.join('..', 'unexpected', 'sequence.js'), { args: [P.index, steps], cwd, env: { ASHERAH_WARMUP: 'never' } })
    const out = jsonOf(res)
    for (const s of out.steps) assert.strictEqual(s.ok, true, `${s.step} threw ${s.code}: ${s.message}`)
    const [, before, , after, status] = out.steps.map((s) => s.value)
    assert.strictEqual(before.settled, undefined, `settled before any warmup: ${JSON.stringify(before.settled)}`)
    assert.strictEqual(status.warmed, true)
    // plan() leaves out what status() adds about this realm, and the fields it has no value for (null in status()).
    const { runtime, runtimeVersion, needed, ...outcome } = status
    assert.deepStrictEqual(Object.fromEntries(Object.keys(outcome).map((key) => [key, after.settled?.[key] ?? null])), outcome)
    const extra = Object.keys(after.settled).filter((key) => !(key in outcome))
    assert.deepStrictEqual(extra, [], 'settled has fields status() lacks')
  })
})

describe('ASHERAH_VERBOSE', () => {
  const line = (stderr) => stderr.split('\n').filter((l) => l.trim() !== '')

  // Bun warms up on require, Node on warmup({ force: true }); each call (warmup()'s arguments) is made twice.
  for (const [name, call] of [
    ['bun', []],
    ['node', [{ force: true }]],
  ]) {
    it(`set: exactly one stderr line naming the library and where it came from (${name})`, async () => {
      const res = await warmupCalls([call, call], { runtime: RUNTIMES[name], env: { ASHERAH_VERBOSE: '1' } })
      assert.strictEqual(returned(res).s.value.warmed, true)
      const lines = line(res.stderr)
      assert.strictEqual(lines.length, 1, `stderr:\n${res.stderr}`)
      assert.match(lines[0], /^asherah-warmup: Warmup\(\) = 1 from /)
      assert.ok(lines[0].includes(P.addonLibrary), lines[0])
      assert.match(lines[0], /package/)
      assert.match(lines[0], /\d ms/)
    })
  }

  for (const value of ['0', 'off', ' False ']) {
    it(`${JSON.stringify(value)}: nothing on stderr, under Bun and Node`, async () => {
      const env = { ASHERAH_VERBOSE: value }
      const [bun, node] = await Promise.all([
        warmupCalls([[]], { runtime: RUNTIMES.bun, env }),
        warmupCalls([[{ force: true }]], { runtime: RUNTIMES.node, env }),
      ])
      for (const res of [bun, node]) {
        assert.strictEqual(returned(res).r[0].value.warmed, true)
        assert.strictEqual(res.stderr, '')
      }
    })
  }

  it('unset: nothing on stderr, under Bun and Node', async () => {
    const [bun, node] = await Promise.all([warmupCalls([[]], { runtime: RUNTIMES.bun }), warmupCalls([[{ force: true }]], { runtime: RUNTIMES.node })])
    for (const res of [bun, node]) {
      assert.strictEqual(returned(res).r[0].value.warmed, true)
      assert.strictEqual(res.stderr, '')
    }
  })
})

describe('ASHERAH_WARMUP_SIGNAL_REPAIR is validated like ASHERAH_WARMUP', () => {
  it('under Bun, an unknown value fails the require with INVALID_OPTION naming it; 0/false/off and 1/true/on are accepted', async () => {
    const attemptWith = (value) => inProject('warm.js', { runtime: RUNTIMES.bun, env: { ASHERAH_WARMUP_SIGNAL_REPAIR: value } })
    const bad = jsonOf(await attemptWith('maybe'))
    assert.strictEqual(bad.r.code, 'ERR_ASHERAH_WARMUP_INVALID_OPTION', bad.r.message)
    assert.match(bad.r.message, /ASHERAH_WARMUP_SIGNAL_REPAIR="maybe"/)
    for (const [value, repaired] of [
      ['off', false],
      ['FALSE', false],
      ['0', false],
      ['on', true],
      ['1', true],
    ]) {
      const out = jsonOf(await attemptWith(value))
      assert.strictEqual(out.r.ok, true, `${value}: ${out.r.message}`)
      assert.strictEqual(Boolean(out.r.value.signals?.sigpwrOnstackCleared), repaired, value)
    }
  })

  it('under Node, where there is nothing to repair, an unknown value does not fail the require', async () => {
    const out = jsonOf(await inProject('warm.js', { runtime: RUNTIMES.node, env: { ASHERAH_WARMUP_SIGNAL_REPAIR: 'maybe' } }))
    assert.strictEqual(out.r.ok, true, out.r.message)
  })
})
