'use strict'
// Issue 3: a Go runtime start leaves SA_ONSTACK on Bun's SIGPWR handler, and Bun before 1.4
// then hangs at the next WASM call (asherah.node alone, on each pinned version: the README's
// matrix). Every scenario runs in a real Bun of each pinned version; the same scenarios with the
// repair turned off must hang on 1.3.14, or these tests prove nothing. Each child is a Bun (or Node, Deno) this file names, so the runner changes nothing
// they do: they run once (suite.js once), except the ones inside `bun test`, kept under both.

const assert = require('node:assert/strict')
const path = require('node:path')
const { describe, it, once, HANG_WAIT_MS } = require('./helpers/suite')
const paths = require('./helpers/paths')
const { runChild } = require('./helpers/child')
const { runCommand } = require('./helpers/command')
const project = require('./helpers/project')
const { runScenario, standin, BUN_MATRIX, HANGING_BUN, hangsAfterGo } = require('../scripts/lib/signal-scenarios')

const SA_ONSTACK = 0x08000000

/**
 * The runs expected to hang, waited out together rather than one after another: the first test
 * that needs one starts them (startHangs) and each test awaits its own. The one inside `bun test`
 * runs under both runners, so it can also be started alone.
 */
const hangs = {}
const starters = {}
function hang(name, start) {
  starters[name] ??= start
  hangs[name] ??= start()
  return hangs[name]
}
const hangInsideBunTest = () => hang('bun test', () => runBunTest(HANGING_BUN, false, HANG_WAIT_MS))
const HANG_SCENARIOS = ['warmup', 'preload', 'inCode', 'forced', 'esm', 'esmPreload', 'dlopen']
function startHangs() {
  for (const scenario of HANG_SCENARIOS) {
    hang(scenario, () => runScenario({ runtime: paths.bun(HANGING_BUN), scenario, repair: false, timeoutMs: HANG_WAIT_MS }))
  }
  hangInsideBunTest()
  // asherah.node alone on every Bun: the ones that do not hang print at once, so they cost nothing here.
  for (const version of BUN_MATRIX) hang(`none ${version}`, () => runScenario({ runtime: paths.bun(version), scenario: 'none', timeoutMs: HANG_WAIT_MS }))
  return hangs
}

/**
 * Run `name` (startHangs) printed nothing and was still running when killed at HANG_WAIT_MS: a hang, not a crash. One that
 * printed is run again, twice at most: the control proves its scenario can hang, and on a loaded machine a run gets through
 * now and then (esmPreload, once, in a fresh-clone CI; 0 of 20 for each scenario on an idle one).
 */
async function assertHangs(name) {
  let run = await startHangs()[name]
  for (let again = 0; run.alive && again < 2; again++) run = await starters[name]()
  assert.equal(run.alive, false, `expected the event loop to hang, got output within ${HANG_WAIT_MS} ms in each of three runs`)
  assert.ok(run.ms >= HANG_WAIT_MS, `exited after ${Math.round(run.ms)} ms without output, before it could be called hung: ${run.stderr}`)
}

once.describe('signal repair under Bun', () => {
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

    // esm: an ES module's `import asherah from 'asherah'` (the CJS main) after `import 'asherah-warmup'`, which Bun may run
    // first all the same (fixtures/signals/esm-import.mjs); esmPreload: that import under the register preload, so it
    // certainly loads through the dlopen wrapper; dlopen: the app's own process.dlopen(). Repair off, each hangs (below).
    for (const scenario of ['preload', 'inCode', 'forced', 'esm', 'esmPreload', 'dlopen']) {
      it(`Bun ${version}: ${scenario} loads asherah.node, round-trips and survives WASM`, async () => {
        const run = await runScenario({ runtime: paths.bun(version), scenario })
        assert.ok(run.alive, `no output within 5 s: ${run.stderr}`)
        assert.equal(run.json.roundTrip, 'asherah-warmup')
        assert.equal(run.json.status.calls, 1)
      })
    }
  }

  describe(`without the repair, Bun ${HANGING_BUN} hangs (the tests above can fail)`, () => {
    for (const scenario of HANG_SCENARIOS) {
      it(`${scenario} with ASHERAH_WARMUP_SIGNAL_REPAIR=0 hangs`, async () => {
        await assertHangs(scenario)
      })
    }
  })

  // What macOS needs (asherah.node's Go c-archive crashes in crypto/x509 init unless a Go runtime started first), seen
  // here in glibc's loader log: the go-warmup library (mapped from /proc/self/fd) initialised before asherah.node. Not
  // for `esm`: Bun runs a CommonJS file imported from an ES module when its transpile settles, not in import order
  // (oven-sh/bun#42109), so `import 'asherah-warmup'` beside `import ... from 'asherah'` loses the race in some runs;
  // the README sends ES module apps to the preload.
  describe('the warmup runs before asherah.node loads: each documented way, five runs on each Bun', () => {
    const initialised = (stderr) => [...stderr.matchAll(/calling init: (\S+)/g)].map(([, file]) => file)
    for (const version of BUN_MATRIX) {
      for (const scenario of ['inCode', 'preload', 'esmPreload']) {
        it(`Bun ${version}: ${scenario}`, async () => {
          const runs = await Promise.all(
            Array.from({ length: 5 }, () => runScenario({ runtime: paths.bun(version), scenario, extraEnv: { LD_DEBUG: 'files' } })),
          )
          for (const run of runs) {
            assert.ok(run.alive, `no output within 5 s: ${run.stderr.slice(-2000)}`)
            const order = initialised(run.stderr).filter((file) => file.startsWith('/proc/self/fd/') || file.endsWith('/asherah.node'))
            assert.equal(order.length, 2, `expected the go-warmup library and asherah.node in the loader's log, got ${JSON.stringify(order)}`)
            assert.ok(order[0].startsWith('/proc/self/fd/'), `asherah.node was initialised before the go-warmup library: ${JSON.stringify(order)}`)
          }
        })
      }
    }
  })

  describe('asherah.node alone, no asherah-warmup: Bun before 1.4 hangs at the next WASM call, 1.4 does not (the README matrix)', () => {
    for (const version of BUN_MATRIX) {
      const hangsHere = hangsAfterGo(version)
      it(`Bun ${version}: asherah.node alone ${hangsHere ? 'hangs' : 'survives'}`, async () => {
        if (hangsHere) return assertHangs(`none ${version}`)
        const run = await startHangs()[`none ${version}`]
        assert.ok(run.alive, `no output within ${HANG_WAIT_MS} ms: ${run.stderr}`)
        assert.equal(run.json.roundTrip, 'asherah-warmup')
      })
    }
  })

  it(`Bun ${HANGING_BUN}: a Go library without Warmup (SYMBOL_MISSING) still gets the repair, and WASM survives`, async () => {
    // The loader already started that library's Go runtime; the error must not skip the repair.
    const res = await runChild('warmup-then-wasm.js', {
      runtime: paths.bun(HANGING_BUN),
      args: [paths.root, { library: project.artefact('noSymbol'), force: true }],
      timeoutMs: 5000,
      env: { ASHERAH_WARMUP: 'never' },
    })
    assert.equal(res.timedOut, false, 'the event loop hung after WASM')
    assert.deepEqual(res.json, { code: 'ERR_ASHERAH_WARMUP_SYMBOL_MISSING', alive: true })
  })

  it(`Bun ${HANGING_BUN}, ASHERAH_WARMUP=never: a Worker that forces its warmup before it loads asherah gets the repair too (without, the main thread hangs)`, async () => {
    const run = (forceInWorker) =>
      runChild('forced-worker-asherah.js', {
        runtime: paths.bun(HANGING_BUN),
        args: [paths.root, standin, forceInWorker],
        timeoutMs: HANG_WAIT_MS,
        env: { ASHERAH_WARMUP: 'never' },
      })
    const [forced, unforced] = await Promise.all([run(true), run(false)])
    assert.equal(forced.timedOut, false, `the event loop hung: ${forced.stderr}`)
    assert.deepEqual(forced.json, { roundTrip: 'worker' })
    assert.equal(unforced.timedOut, true, 'a worker that loads asherah without its warmup was expected to hang the main thread')
  })

  // The repair a forced warmup installs does not wait for its outcome, nor for this thread's first warmed status.
  for (const [mode, library, code] of [
    ['fails', 'noSymbol', 'ERR_ASHERAH_WARMUP_SYMBOL_MISSING'],
    ['fails', 'badResult', 'ERR_ASHERAH_WARMUP_BAD_RESULT'],
    ['status-first', null, null],
  ]) {
    it(`Bun ${HANGING_BUN}, ASHERAH_WARMUP=never: a forced warmup (${mode}${library ? `: ${code}` : ''}) then a plain require survives WASM`, async () => {
      const res = await runChild('forced-then-asherah.js', {
        runtime: paths.bun(HANGING_BUN),
        args: [paths.root, standin, mode, library && project.artefact(library)],
        timeoutMs: HANG_WAIT_MS,
        env: { ASHERAH_WARMUP: 'never' },
      })
      assert.equal(res.timedOut, false, `the event loop hung: ${res.stderr}`)
      assert.deepEqual(res.json, { code, roundTrip: 'after' })
    })
  }

  it('repairSignals() after Go code loaded by other means (bun:ffi) clears SA_ONSTACK again and says so', async () => {
    // bun:ffi's dlopen does not go through process.dlopen, so the automatic repair does not see it.
    const res = await runChild('repair-after-ffi.js', { runtime: paths.bun(), args: [paths.root, project.artefact('counting')] })
    assert.equal(res.status, 0, res.stderr)
    assert.ok(res.json.again.sigpwrFlagsBefore & SA_ONSTACK)
    assert.equal(res.json.again.sigpwrOnstackCleared, true)
    assert.equal(res.json.nothingLeft.sigpwrOnstackCleared, false)
    assert.equal(res.json.nothingLeft.sigpipeIgnoreRestored, false)
  })
})

describe('signal repair inside bun test, with register as the test preload', () => {
  for (const version of BUN_MATRIX) {
    it(`Bun ${version}: a plain require inside bun test survives WASM`, async () => {
      const res = await runBunTest(version, true)
      assert.equal(res.status, 0, res.stderr)
      assert.match(res.stderr, /1 pass/)
    })
  }

  it(`Bun ${HANGING_BUN} with ASHERAH_WARMUP_SIGNAL_REPAIR=0 hangs (the tests above can fail)`, async () => {
    const res = await hangInsideBunTest()
    assert.equal(res.timedOut, true, `expected a hang, got exit ${res.status} within ${HANG_WAIT_MS} ms: ${res.stderr}`)
  })
})

once.describe('Node and Deno: the repair is a no-op and nothing regresses', () => {
  const register = path.join(paths.root, 'register.js')

  it('Node: forced warmup + asherah.node + WASM, no signal repair, no dlopen hook from register', async () => {
    const res = await runChild('asherah-then-wasm.js', { runtime: paths.node, execArgv: ['-r', register], args: [paths.root, standin] })
    assert.equal(res.status, 0, res.stderr)
    assert.deepEqual(res.json, { roundTrip: 'x', signals: null, repair: { supported: false }, hooked: false })
  })

  it('Deno: the same', async () => {
    // Deno has no -r: the child requires register.js first.
    const deno = await runChild('asherah-then-wasm.js', {
      runtime: path.join(paths.tools, 'deno'),
      execArgv: ['run', '-A'],
      args: [paths.root, standin, register],
    })
    assert.equal(deno.status, 0, deno.stderr)
    assert.deepEqual(deno.json, { roundTrip: 'x', signals: null, repair: { supported: false }, hooked: false })
  })
})

/** `bun test` of fixtures/signals/inside-bun-test.fixture.js under Bun `version`, register as its preload; killed after `timeoutMs`. */
function runBunTest(version, repair, timeoutMs = 8000) {
  return runCommand(
    paths.bun(version),
    [
      'test',
      '--preload',
      path.join(paths.root, 'register.js'),
      `./${path.relative(paths.root, path.join(__dirname, 'fixtures', 'signals', 'inside-bun-test.fixture.js'))}`,
    ],
    {
      cwd: paths.root,
      timeoutMs,
      env: { ASHERAH_STANDIN: standin, ASHERAH_WARMUP: '', ASHERAH_WARMUP_SIGNAL_REPAIR: repair ? '1' : '0' },
    },
  )
}
