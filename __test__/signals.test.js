'use strict'
// Issue 3: a Go runtime start leaves SA_ONSTACK on Bun's SIGPWR handler, and Bun before 1.4
// then hangs at the next WASM call. Every scenario runs in a real Bun of each pinned version;
// the same scenarios with the repair turned off must hang on 1.3.14, or these tests prove
// nothing.

const assert = require('node:assert/strict')
const fs = require('node:fs')
const { spawnSync } = require('node:child_process')
const path = require('node:path')
const { describe, it } = require('./helpers/suite')
const paths = require('./helpers/paths')
const { runSnippet, runSnippetAsync } = require('./helpers/child')
const project = require('./helpers/project')
const { runScenario, standin, BUN_MATRIX } = require('../scripts/lib/signal-scenarios')

const HANGING_BUN = '1.3.14'
const SA_ONSTACK = 0x08000000

describe('signal repair under Bun', () => {
  for (const version of BUN_MATRIX) {
    it(`Bun ${version}: the warmup clears SA_ONSTACK and the event loop survives WASM`, async () => {
      const run = await runScenario({ runtime: paths.bun(version), scenario: 'warmup' })
      assert.ok(run.alive, `no output within 5 s: ${run.stderr}`)
      const { signals, warmed } = run.json.status
      assert.equal(warmed, true)
      assert.ok(signals.sigpwrFlagsBefore & SA_ONSTACK, 'the Go load set SA_ONSTACK on SIGPWR')
      assert.equal(signals.sigpwrFlagsAfter & SA_ONSTACK, 0)
      assert.equal(signals.sigpwrOnstackCleared, true)
      assert.equal(signals.sigpipeIgnoredBefore, false, 'Go took SIGPIPE from "ignored"')
      assert.equal(signals.sigpipeIgnoreRestored, true)
      assert.equal(signals.sigpipeIgnoredAfter, true)
    })

    for (const scenario of ['requireAsherah', 'preload', 'inCode']) {
      it(`Bun ${version}: ${scenario} loads asherah.node, round-trips and survives WASM`, async () => {
        const run = await runScenario({ runtime: paths.bun(version), scenario })
        assert.ok(run.alive, `no output within 5 s: ${run.stderr}`)
        assert.equal(run.json.roundTrip, 'asherah-warmup')
        assert.equal(run.json.status.calls, 1)
      })
    }

    it(`Bun ${version}: a plain require inside bun test, with register as the test preload`, () => {
      const res = runBunTest(version, true)
      assert.equal(res.status, 0, res.stderr)
      assert.match(res.stderr, /1 pass/)
    })
  }

  describe(`without the repair, Bun ${HANGING_BUN} hangs (the tests above can fail)`, () => {
    for (const scenario of ['warmup', 'requireAsherah', 'preload', 'inCode']) {
      it(`${scenario} with ASHERAH_WARMUP_SIGNAL_REPAIR=0 hangs`, async () => {
        const run = await runScenario({ runtime: paths.bun(HANGING_BUN), scenario, repair: false })
        assert.equal(run.alive, false, 'expected the event loop to hang')
      })
    }

    it('inside bun test with ASHERAH_WARMUP_SIGNAL_REPAIR=0 hangs', () => {
      const res = runBunTest(HANGING_BUN, false)
      assert.equal(res.signal, 'SIGKILL', `expected a hang, got exit ${res.status}: ${res.stderr}`)
    })
  })

  it(`Bun ${HANGING_BUN}: a Go library without Warmup (SYMBOL_MISSING) still gets the repair, and WASM survives`, async () => {
    // The loader already started that library's Go runtime; the error must not skip the repair.
    const res = await runSnippetAsync(
      `let code = null
       try { require(${JSON.stringify(paths.root)}).warmup({ library: ${JSON.stringify(project.artefact('noSymbol'))}, force: true }) } catch (err) { code = err.code }
       require(${JSON.stringify(path.join(paths.root, 'scripts', 'lib', 'wasm.js'))}).wasmThenTimer().then(() => console.log(JSON.stringify({ code, alive: true })))`,
      { runtime: paths.bun(HANGING_BUN), timeoutMs: 5000, env: { ASHERAH_WARMUP: 'never' } },
    )
    assert.equal(res.timedOut, false, 'the event loop hung after WASM')
    assert.deepEqual(res.json, { code: 'ERR_ASHERAH_WARMUP_SYMBOL_MISSING', alive: true })
  })

  it('repairSignals() after Go code loaded by other means (bun:ffi) clears SA_ONSTACK again and says so', () => {
    // bun:ffi's dlopen does not go through process.dlopen, so the automatic repair does not see it.
    const res = runSnippet(
      `const w = require(${JSON.stringify(paths.root)})
       require('bun:ffi').dlopen(${JSON.stringify(project.artefact('counting'))}, { Warmup: { args: [], returns: 'int' } })
       const again = w.repairSignals()
       const nothingLeft = w.repairSignals()
       console.log(JSON.stringify({ again, nothingLeft }))`,
      { runtime: paths.bun() },
    )
    assert.equal(res.status, 0, res.stderr)
    assert.ok(res.json.again.sigpwrFlagsBefore & SA_ONSTACK)
    assert.equal(res.json.again.sigpwrOnstackCleared, true)
    assert.equal(res.json.nothingLeft.sigpwrOnstackCleared, false)
    assert.equal(res.json.nothingLeft.sigpipeIgnoreRestored, false)
  })
})

describe('Node and Deno: the repair is a no-op and nothing regresses', () => {
  const probe = `
    const w = require(${JSON.stringify(paths.root)})
    const asherah = w.requireAsherah(${JSON.stringify(standin)}, { force: true })
    const { wasmThenTimer } = require(${JSON.stringify(path.join(paths.root, 'scripts', 'lib', 'wasm.js'))})
    wasmThenTimer().then(() => console.log(JSON.stringify({
      roundTrip: asherah.roundTrip('x'),
      signals: w.status().signals,
      repair: w.repairSignals(),
      hooked: Symbol.for('asherah-warmup.dlopenHook') in process,
    })))`

  it('Node: forced warmup + asherah.node + WASM, no signal repair, no dlopen hook from register', () => {
    const res = runSnippet(probe, { runtime: paths.node, args: ['-r', path.join(paths.root, 'register.js')] })
    assert.equal(res.status, 0, res.stderr)
    assert.deepEqual(res.json, { roundTrip: 'x', signals: null, repair: { supported: false }, hooked: false })
  })

  it('Deno: the same', () => {
    const file = path.join(paths.root, 'build', 'deno-probe.js')
    fs.mkdirSync(path.dirname(file), { recursive: true })
    fs.writeFileSync(file, `require(${JSON.stringify(path.join(paths.root, 'register.js'))})\n${probe}`)
    const deno = spawnSync(path.join(paths.tools, 'deno'), ['run', '-A', file], { encoding: 'utf8', timeout: 20000 })
    assert.equal(deno.status, 0, deno.stderr)
    assert.deepEqual(JSON.parse(deno.stdout.trim().split('\n').pop()), { roundTrip: 'x', signals: null, repair: { supported: false }, hooked: false })
  })
})

function runBunTest(version, repair) {
  return spawnSync(
    paths.bun(version),
    [
      'test',
      '--preload',
      path.join(paths.root, 'register.js'),
      `./${path.relative(paths.root, path.join(__dirname, 'fixtures', 'signals', 'inside-bun-test.fixture.js'))}`,
    ],
    {
      cwd: paths.root,
      encoding: 'utf8',
      timeout: 8000,
      killSignal: 'SIGKILL',
      env: { ...process.env, ASHERAH_STANDIN: standin, ASHERAH_WARMUP: '', ASHERAH_WARMUP_SIGNAL_REPAIR: repair ? '1' : '0' },
    },
  )
}
