'use strict'
// Issue 19: no hang and no false claim when the app does the unexpected. Apps that load Go before
// the package, catch its error and carry on, load asherah in a Worker, close the package's
// descriptors, replace the loaded file, run out of descriptors, or run where the system refuses a
// step: each must keep its event loop (Bun before 1.4 hangs at the next WebAssembly call when
// SA_ONSTACK is left on SIGPWR), and each error must name the real cause and its fix. Every child
// runs under a deadline: a hang fails its test. The children of one describe run at once.
const assert = require('node:assert/strict')
const { execFileSync } = require('node:child_process')
const crypto = require('node:crypto')
const path = require('node:path')
const { describe, it, before, after, once, HANG_WAIT_MS, NOT_WARMED, RUNTIMES, runChild, jsonOf, warmIn } = require('./helpers/suite')
const paths = require('./helpers/paths')
const project = require('./helpers/project')
const { BUN_MATRIX, HANGING_BUN } = require('../scripts/lib/signal-scenarios')

const SA_ONSTACK = 0x08000000
/** How long a child may take before it counts as hung (a dozen run at once on 2 cores). */
const HANG_MS = 10000
/** warmIn's project: this checkout, whose require finds the addon and library in npm/<triple>/. */
const CHECKOUT = { index: paths.root }
const REGISTER = path.join(paths.root, 'register.js')
const USER_PRELOAD = path.join(__dirname, 'fixtures', 'unexpected', 'user-preload.js')
const { LIB } = project

const ws = project.workspace()
after(() => ws.cleanup())

/** runChild of a program in fixtures/unexpected/ (runChild's own folder is fixtures/children/). */
const run = (name, options) => runChild(path.join('..', 'unexpected', name), { timeoutMs: HANG_MS, ...options })

/** Node needs ASHERAH_WARMUP=always for a require to warm up; Bun does by default. */
const WARMING = { bun: {}, node: { ASHERAH_WARMUP: 'always' } }

/**
 * Tests whose children all start together in before(): each { name, start, check } becomes a test
 * that awaits its own child's outcome (start()) and checks it.
 */
function concurrently(cases) {
  const started = new Map()
  before(() => {
    // Settled into a value here, so a failed start is the test's failure, not an unhandled rejection.
    for (const c of cases) {
      started.set(
        c.name,
        Promise.resolve()
          .then(c.start)
          .then(
            (value) => ({ value }),
            (error) => ({ error }),
          ),
      )
    }
  })
  for (const c of cases) {
    it(c.name, async () => {
      const { value, error } = await started.get(c.name)
      if (error) throw error
      c.check(value)
    })
  }
}

/** The child's JSON line, after asserting it neither hung nor failed and its event loop ran. */
function survived(res) {
  assert.equal(res.timedOut, false, `hung: no output within ${HANG_MS} ms (killed)\nstdout:\n${res.stdout}\nstderr:\n${res.stderr}`)
  const out = jsonOf(res)
  assert.equal(out.alive, true)
  return out
}

/** A step's value from sequence.js, after asserting it did not throw. */
function stepValue(out, step) {
  const s = out.steps.find((x) => x.step === step)
  assert.ok(s.ok, `${step} threw ${s.code}: ${s.message}`)
  return s.value
}

/** The part of an error message after "Fix: ". */
const fixOf = (message) => message.split('Fix: ')[1] ?? ''

/** An attempt that threw LOAD_FAILED with `cause` in its message and `fix` in its fix, and no stock "wrong platform" fix. */
function assertLoadFailed(r, cause, fix) {
  assert.equal(r.ok, false, `should have been refused: ${JSON.stringify(r.value)}`)
  assert.equal(r.isError, true)
  assert.equal(r.code, 'ERR_ASHERAH_WARMUP_LOAD_FAILED', r.message)
  assert.match(r.message, cause)
  assert.match(fixOf(r.message), fix, r.message)
  assert.doesNotMatch(r.message, /built for this platform/, 'the fix must name the real cause')
}

/** An attempt that returned the status the process settled on (the child compares the objects). */
function assertSettled(r) {
  assert.equal(r.ok, true, `threw ${r.code}: ${r.message}`)
  assert.equal(r.settled, true, 'not the settled status')
  assert.equal(r.value.warmed, true)
}

/** The command and arguments that run the rest in a private mount namespace, as root (sudo where not root, as on CI). */
const inMountNamespace = () => [
  ...(process.getuid() === 0 ? [] : ['sudo', '-n', '--preserve-env', 'env', `PATH=${process.env.PATH}`]),
  'unshare',
  '--mount',
  '--propagation',
  'private',
]

/** runChild's runtime and execArgv that start `runtime` through the command `wrapper` (its argv, which execs the rest). */
const through = (wrapper, runtime) => ({ runtime: wrapper[0], execArgv: [...wrapper.slice(1), runtime] })

describe('Go started before asherah-warmup (Bun)', () => {
  const standin = () => project.artefact('asherah')
  const cases = []
  for (const version of BUN_MATRIX) {
    const bun = paths.bun(version)
    const sequence = (steps, env = {}) => run('sequence.js', { runtime: bun, args: [paths.root, steps], env })
    cases.push(
      {
        name: `Bun ${version}: before any Go, Bun's SIGPWR handler has no SA_ONSTACK and SIGPIPE is ignored (the repair's baseline)`,
        start: () => sequence([['warmup'], ['repair']], { ASHERAH_WARMUP: 'never' }),
        check(res) {
          const seen = stepValue(survived(res), 'repair')
          assert.equal(typeof seen.sigpwrFlagsBefore, 'number', 'Bun has a SIGPWR handler')
          assert.equal(seen.sigpwrFlagsBefore & SA_ONSTACK, 0)
          assert.equal(seen.sigpipeIgnoredBefore, true)
        },
      },
      {
        name: `Bun ${version}: asherah.node required first, then require('asherah-warmup'): round trip, WASM and a timer run`,
        start: () => sequence([['asherah', standin()], ['warmup']]),
        check(res) {
          const out = survived(res)
          assert.equal(stepValue(out, 'asherah'), 'unexpected')
          assert.equal(stepValue(out, 'warmup'), true)
          assert.equal(out.signals.sigpwrFlagsAfter & SA_ONSTACK, 0, `SA_ONSTACK left on SIGPWR: ${JSON.stringify(out.signals)}`)
        },
      },
      ...[
        ['before', [['listen'], ['warmup']]],
        ['after', [['warmup'], ['listen']]],
      ].map(([when, first]) => ({
        name: `Bun ${version}: the app's own SIGPIPE listener, added ${when} require('asherah-warmup'), still gets SIGPIPE once asherah.node loaded`,
        start: () => sequence([...first, ['asherah', standin()], ['sigpipe']]),
        check(res) {
          const out = survived(res)
          assert.equal(stepValue(out, 'asherah'), 'unexpected')
          assert.equal(out.sigpipes, 1, `the listener got ${out.sigpipes} SIGPIPEs: ${JSON.stringify(out.signals)}`)
        },
      })),
      ...[
        ['after', [['warmup'], ['listen'], ['repair'], ['unlisten']]],
        ['before', [['listen'], ['warmup'], ['unlisten']]],
      ].map(([when, first]) => ({
        name: `Bun ${version}: a SIGPIPE listener added ${when} require('asherah-warmup'), removed before asherah.node loads: a write to a closed pipe is EPIPE, not death`,
        start: () => sequence([...first, ['asherah', standin()], ['epipe']]),
        check(res) {
          const out = survived(res)
          assert.equal(stepValue(out, 'epipe'), 'EPIPE')
        },
      })),
      {
        name: `Bun ${version}: a Go library opened with bun:ffi first, then require('asherah-warmup'): WASM and a timer run`,
        start: () => sequence([['ffi', project.artefact('counting')], ['warmup']]),
        check(res) {
          const out = survived(res)
          assert.equal(stepValue(out, 'ffi'), 1)
          assert.equal(out.signals.sigpwrFlagsAfter & SA_ONSTACK, 0, `SA_ONSTACK left on SIGPWR: ${JSON.stringify(out.signals)}`)
        },
      },
      {
        name: `Bun ${version}: asherah.node first, the package inert (ASHERAH_WARMUP=never), then repairSignals() clears SA_ONSTACK`,
        start: () => sequence([['asherah', standin()], ['warmup'], ['repair']], { ASHERAH_WARMUP: 'never' }),
        check(res) {
          const out = survived(res)
          const repair = stepValue(out, 'repair')
          assert.ok(repair.sigpwrFlagsBefore & SA_ONSTACK, 'asherah.node set SA_ONSTACK (the premise)')
          assert.equal(repair.sigpwrFlagsAfter & SA_ONSTACK, 0, `repairSignals() left SA_ONSTACK: ${JSON.stringify(repair)}`)
        },
      },
    )
  }
  concurrently(cases)
})

/** The steps of an app that catches the require's error and carries on: require('asherah-warmup'), then asherah.node. */
const CATCH_THEN_ASHERAH = () => [['warmup'], ['asherah', project.artefact('asherah')]]
/** ASHERAH_WARMUP_LIBRARY naming a file of random bytes: the header check refuses it (LOAD_FAILED) before any load. */
const NOT_A_LIBRARY = () => ({ ASHERAH_WARMUP_LIBRARY: ws.libraryCopy({ bytes: crypto.randomBytes(4096) }) })

describe("an app that catches the package's error and carries on (Bun)", () => {
  // Every setting a require can refuse, and every refusal on its way to a load: the repair must be in place before any
  // of them throws. Each the environment of one child, made when it starts (the files in this file's workspace).
  const SETTINGS = [
    ['NOT_FOUND (a wrong ASHERAH_WARMUP_LIBRARY)', () => ({ ASHERAH_WARMUP_LIBRARY: `/nonexistent/${LIB}` }), 'ERR_ASHERAH_WARMUP_NOT_FOUND'],
    ['INVALID_OPTION (ASHERAH_WARMUP=sometimes)', () => ({ ASHERAH_WARMUP: 'sometimes' }), 'ERR_ASHERAH_WARMUP_INVALID_OPTION'],
    ['INVALID_OPTION (ASHERAH_WARMUP_SIGNAL_REPAIR=maybe)', () => ({ ASHERAH_WARMUP_SIGNAL_REPAIR: 'maybe' }), 'ERR_ASHERAH_WARMUP_INVALID_OPTION'],
    ['LOAD_FAILED (ASHERAH_WARMUP_LIBRARY naming random bytes, no ELF file)', NOT_A_LIBRARY, 'ERR_ASHERAH_WARMUP_LOAD_FAILED'],
    // The library the require finds (the checkout's npm/<triple>/ copy), hashed because a digest is pinned.
    ['CHECKSUM_MISMATCH (a wrong ASHERAH_WARMUP_SHA256)', () => ({ ASHERAH_WARMUP_SHA256: '0'.repeat(64) }), 'ERR_ASHERAH_WARMUP_CHECKSUM_MISMATCH'],
    [
      'SUMS_INVALID (a malformed SHA256SUMS beside the library ASHERAH_WARMUP_LIBRARY names)',
      () => ({ ASHERAH_WARMUP_LIBRARY: ws.libraryCopy({ sums: 'not a sums line\n' }) }),
      'ERR_ASHERAH_WARMUP_SUMS_INVALID',
    ],
  ]
  concurrently(
    BUN_MATRIX.flatMap((version) =>
      SETTINGS.map(([what, env, code]) => ({
        name: `Bun ${version}: require('asherah-warmup') throws ${what}, caught; then asherah.node, WASM and a timer run`,
        start: () => run('sequence.js', { runtime: paths.bun(version), args: [paths.root, CATCH_THEN_ASHERAH()], env: env() }),
        check(res) {
          const out = survived(res)
          assert.equal(out.steps[0].code, code, out.steps[0].message)
          assert.equal(stepValue(out, 'asherah'), 'unexpected')
        },
      })),
    ),
  )
})

describe('an app that locked down what the package wraps (Bun)', () => {
  // Where process.dlopen or the global Worker cannot be replaced, the require still warms up, and repairSignals() after
  // asherah loads (README: Signal repair) keeps the event loop alive.
  concurrently(
    ['process', 'extensions', 'dlopen', 'Worker'].map((what) => ({
      name: `Bun ${HANGING_BUN}: ${what} locked before require('asherah-warmup'): it warms up, asherah round-trips, WASM and a timer run, also in a Worker`,
      start: () => run('locked-down.js', { runtime: paths.bun(HANGING_BUN), args: [paths.root, project.artefact('asherah'), what] }),
      check(res) {
        const out = survived(res)
        assert.equal(out.r.ok, true, out.r.message)
        assert.equal(out.s.warmed, true)
        assert.equal(out.rewrapped, false, 'a second require wrapped process.dlopen again')
        assert.equal(out.roundTrip, 'locked down')
        // A locked main thread's process is not the Worker's: there the preload wraps as usual.
        assert.equal(out.worker, what === 'Worker' ? null : 'in a worker')
      },
    })),
  )
})

describe("the app's SIGPIPE listener on the main thread, asherah.node in a Worker (Bun)", () => {
  concurrently(
    BUN_MATRIX.map((version) => ({
      name: `Bun ${version}: the listener still gets SIGPIPE`,
      start: () => run('sigpipe-worker.js', { runtime: paths.bun(version), args: [paths.root, project.artefact('asherah')] }),
      check(res) {
        const out = survived(res)
        assert.equal(out.roundTrip, 'in a worker')
        assert.equal(out.sigpipes, 1)
      },
    })),
  )
})

describe('asherah.node in a Worker (Bun)', () => {
  const WAYS = [
    { name: '--preload register.js on the main thread, a Worker', execArgv: ['--preload', REGISTER], app: { api: 'web' } },
    { name: "require('asherah-warmup') on the main thread, a Worker", app: { api: 'web', require: true } },
    {
      name: "require('asherah-warmup') on the main thread throws NOT_FOUND (a wrong ASHERAH_WARMUP_LIBRARY), caught; a Worker",
      app: { api: 'web', require: true, catches: true },
      env: { ASHERAH_WARMUP_LIBRARY: `/nonexistent/${LIB}` },
      caught: 'ERR_ASHERAH_WARMUP_NOT_FOUND',
    },
    { name: 'a Worker with its own preload list', app: { api: 'web', require: true, preload: [USER_PRELOAD] } },
    { name: "a node:worker_threads Worker (require('asherah-warmup') on the main thread)", app: { api: 'worker_threads', require: true } },
    { name: 'a node:worker_threads Worker with its own preload list', app: { api: 'worker_threads', require: true, preload: [USER_PRELOAD] } },
    {
      name: 'node:worker_threads loaded before the package, under the register preload',
      execArgv: ['--preload', REGISTER],
      app: { api: 'worker_threads', threadsFirst: true },
    },
    // The README's remedy where node:worker_threads was loaded before the package required it (it keeps the Worker it found then).
    {
      name: "node:worker_threads loaded before require('asherah-warmup'), the worker's preload naming register.js",
      app: { api: 'worker_threads', threadsFirst: true, require: true, preload: [REGISTER, USER_PRELOAD] },
    },
  ]
  const cases = []
  for (const version of BUN_MATRIX) {
    for (const way of WAYS) {
      cases.push({
        name: `Bun ${version}: ${way.name}: a plain require of asherah.node in it, round trip, WASM; the main thread lives on`,
        start: () =>
          run('worker-app.js', { runtime: paths.bun(version), execArgv: way.execArgv, args: [paths.root, project.artefact('asherah'), way.app], env: way.env }),
        check(res) {
          const { worker, caught } = survived(res)
          assert.equal(caught, way.caught ?? null)
          assert.equal(worker.error, undefined, worker.error)
          assert.equal(worker.roundTrip, 'in a worker')
          assert.equal(worker.userPreload, Boolean(way.app.preload), "the app's own preload ran in the worker")
        },
      })
    }
  }
  concurrently(cases)
})

describe('the descriptor kept for the loaded library, closed by other code', () => {
  const packaged = () => path.join(path.dirname(project.artefact('addon')), LIB)
  const cases = []
  for (const [name, runtime] of Object.entries(RUNTIMES)) {
    const closeThenWarmup = (options) =>
      run('kept-descriptor.js', { runtime, args: [paths.root, { sha256: project.sha256File(packaged()), ...options }], env: WARMING[name] })
    /** The premise: the default require loaded the packaged library; when a descriptor was closed, /dev/urandom took its number. */
    const prepared = (res) => {
      const out = survived(res)
      assert.equal(out.s.library, packaged())
      assert.equal(out.s.verification, 'package-manager')
      if (out.urandom !== null && out.closed.length > 0) assert.equal(out.urandom, out.closed[0], '/dev/urandom took the closed number')
      return out
    }
    cases.push(
      {
        name: `${name}: its number reused by /dev/urandom, warmup({ sha256: the real digest }) returns the settled status`,
        start: () => closeThenWarmup({ reuse: true }),
        check: (res) => assertSettled(prepared(res).r),
      },
      {
        name: `${name}: its number reused by /dev/urandom, a wrong digest: ALREADY_WARMED, the SHA-256 is not the pinned one`,
        start: () => closeThenWarmup({ reuse: true, sha256: 'ab'.repeat(32) }),
        check(res) {
          const { r } = prepared(res)
          assert.equal(r.code, 'ERR_ASHERAH_WARMUP_ALREADY_WARMED', r.message)
          assert.match(r.message, new RegExp(`SHA-256 .*not the pinned ${'ab'.repeat(32)}`))
        },
      },
      {
        name: `${name}: closed and not reused, the real digest: the settled status`,
        start: () => closeThenWarmup({ reuse: false }),
        check: (res) => assertSettled(prepared(res).r),
      },
    )
  }
  concurrently(cases)
})

describe('the loaded library replaced at its path after the warmup', () => {
  const cases = []
  for (const [name, runtime] of Object.entries(RUNTIMES)) {
    const replaceWith = (bytes) => {
      const library = ws.libraryCopy({ sums: true })
      return run('replaced-library.js', { runtime, args: [paths.root, bytes ?? library], env: { ...WARMING[name], ASHERAH_WARMUP_LIBRARY: library } })
    }
    cases.push(
      {
        name: `${name}: by a copy with the same bytes (a new inode): warmup() and warmup({ library }) return the settled status`,
        start: () => replaceWith(null),
        check(res) {
          const out = survived(res)
          assert.equal(out.s.verification, 'sums-file')
          assertSettled(out.fromEnv)
          assertSettled(out.fromOption)
        },
      },
      {
        name: `${name}: by another Go library: ALREADY_WARMED for both`,
        start: () => replaceWith(project.artefact('counting')),
        check(res) {
          const out = survived(res)
          assert.equal(out.fromEnv.code, 'ERR_ASHERAH_WARMUP_ALREADY_WARMED', out.fromEnv.message)
          assert.equal(out.fromOption.code, 'ERR_ASHERAH_WARMUP_ALREADY_WARMED', out.fromOption.message)
        },
      },
    )
  }
  concurrently(cases)
})

describe("the platform package's addon replaced at its path after the warmup (a reinstall)", () => {
  const runs = [...BUN_MATRIX.map((version) => [`Bun ${version}`, paths.bun(version), {}]), ['Node (forced)', paths.node, {}]]
  const cases = runs.map(([name, runtime, env]) => ({
    name: `${name}: status() still reports the warmup, here and in a node:worker_threads worker`,
    start: () => {
      const app = ws.createProject({ label: 'addon-replaced' })
      return run('addon-replaced.js', { runtime, args: [app.warmupDir, app.addonNode], env })
    },
    check(res) {
      const settled = { warmed: true, source: 'package', calls: 1 }
      assert.deepEqual(jsonOf(res), { ...settled, worker: settled })
    },
  }))
  cases.push({
    name: "Node (forced), the platform package uninstalled instead: a worker's status() does not throw, and answers as not warmed",
    start: () => {
      const app = ws.createProject({ label: 'addon-removed' })
      return run('addon-replaced.js', { runtime: paths.node, args: [app.warmupDir, app.addonNode, 'removed'] })
    },
    check(res) {
      const out = jsonOf(res)
      assert.equal(out.worker.threw, undefined, `status() threw ${out.worker.threw}`)
      assert.equal(out.calls, 1)
      // README (status()): "uninstalled since, it answers as not warmed": every field as before any warmup, although
      // this process did call Warmup (the main thread's calls: 1 above) and the worker cannot ask.
      const { runtime, runtimeVersion, needed, ...answer } = out.workerStatus
      assert.equal(runtime, 'node')
      assert.deepEqual(answer, NOT_WARMED)
    },
  })
  concurrently(cases)
})

describe('fix texts name the real cause (LOAD_FAILED)', () => {
  let launcher // runs a command with memfd_create refused by seccomp (fixtures/unexpected/no-memfd.c)
  let verified // a copy of the release library with its SHA256SUMS beside it
  before(() => {
    const dir = ws.tempDir('no-memfd')
    launcher = path.join(dir, 'no-memfd')
    execFileSync('gcc', ['-O2', '-o', launcher, path.join(__dirname, 'fixtures', 'unexpected', 'no-memfd.c')])
    verified = ws.libraryCopy({ sums: true })
  })

  /** warmIn (an inert require, then warmup({ ...options, force: true })) with the runtime started through `wrapper`. */
  const warmThrough = (wrapper, runtime, options) => warmIn(CHECKOUT, { ...through(wrapper, runtime), options, timeoutMs: HANG_MS })

  const cases = []
  for (const [name, runtime] of Object.entries(RUNTIMES)) {
    for (const [how, sums] of [
      ['verified (its SHA256SUMS beside it)', true],
      ['unverified (no sums file, no pin)', false],
    ]) {
      cases.push({
        name: `${name}: a library on a noexec mount, ${how}: the message says noexec`,
        start() {
          // Copied onto the tmpfs inside the namespace: the mount exists only there.
          const staging = path.dirname(ws.libraryCopy({ sums }))
          const mountPoint = ws.tempDir('tmpfs')
          const mountAndCopy = 'mount -t tmpfs -o noexec tmpfs "$2" && cp "$1"/* "$2"/ && shift 2 && exec "$@"'
          return warmThrough([...inMountNamespace(), 'sh', '-c', mountAndCopy, 'sh', staging, mountPoint], runtime, { library: path.join(mountPoint, LIB) })
        },
        check: (out) => assertLoadFailed(out.r, /noexec/, /./),
      })
    }
    cases.push(
      {
        name: `${name}: memfd_create refused (seccomp), a verified load: the message says memfd_create, the fix seccomp`,
        start: () => warmThrough([launcher], runtime, { library: verified }),
        check: (out) => assertLoadFailed(out.r, /memfd_create/, /seccomp/),
      },
      {
        name: `${name}: /proc unmounted before a verified load: the message says /proc, the fix mount`,
        start: () =>
          run('without-proc.js', {
            ...through(inMountNamespace(), runtime),
            args: [paths.root, { library: verified, sha256: project.sha256File(verified) }],
            env: { ASHERAH_WARMUP: 'never' },
          }),
        check(res) {
          const out = survived(res)
          assert.equal(out.procGone, true)
          assertLoadFailed(out.r, /\/proc/, /mount/)
        },
      },
      {
        name: `${name}: out of file descriptors (EMFILE): the message says so, the fix names ulimit -n`,
        start: () =>
          run('out-of-descriptors.js', {
            // A low limit, so running out takes a few hundred opens.
            ...through(['sh', '-c', 'ulimit -n 256 && exec "$@"', 'sh'], runtime),
            args: [paths.root],
            env: { ASHERAH_WARMUP: 'never' },
          }),
        check(res) {
          assert.equal(res.timedOut, false, `hung\nstderr:\n${res.stderr}`)
          const out = jsonOf(res)
          assert.equal(out.stop, 'EMFILE')
          assertLoadFailed(out.r, /EMFILE|too many open files/i, /ulimit -n/)
        },
      },
    )
  }
  concurrently(cases)
})

// README (status()): it "throws only where its first call cannot load the package's own lib/ (LOAD_FAILED: the process
// is out of file descriptors)". An app whose require came and went without loading lib/ (Bun's default require warms up
// through index.js alone, Node's loads nothing), that then leaks every descriptor and asks status() first. It names
// the runtime each child runs, so it runs once (suite.js once).
once.describe('status() as the first call of the API, in a process out of file descriptors', () => {
  // Each runtime's entry as its require('asherah-warmup') resolves it (package.json "exports": bun, default).
  // mapped: the go-warmup library the require left mapped; answer: what status() says once descriptors are free.
  const WAYS = [
    {
      name: 'Bun, the default require warmed up through index.js',
      runtime: RUNTIMES.bun,
      entry: 'index.js',
      mapped: (app) => [app.addonLibrary],
      answer: { warmed: true, calls: 1, source: 'package' },
    },
    {
      name: 'Node, the require of node.js loaded nothing',
      runtime: RUNTIMES.node,
      entry: 'node.js',
      mapped: () => [],
      answer: { warmed: false, calls: 0, source: null },
    },
  ]
  for (const { name, runtime, entry, mapped, answer } of WAYS) {
    it(`${name}: status() throws LOAD_FAILED naming EMFILE and lib/, the fix ulimit -n; once the app closes them, it answers`, async () => {
      // A project as npm installs it, so that a Bun require finds the addon beside the package and loads nothing of lib/.
      const app = ws.createProject({ label: 'emfile-status' })
      // A low limit, so running out takes a few hundred opens.
      const res = await run('out-of-descriptors.js', {
        ...through(['sh', '-c', 'ulimit -n 256 && exec "$@"', 'sh'], runtime),
        args: [path.join(app.warmupDir, entry), 'status'],
      })
      assert.equal(res.timedOut, false, `hung\nstderr:\n${res.stderr}`)
      const out = jsonOf(res)
      // The premise: the require left lib/api.js unloaded (and under Bun, the library mapped: it warmed up).
      assert.equal(out.required.apiLoaded, false, 'the require loaded lib/api.js: status() would not be the first to')
      assert.deepEqual(out.required.maps.goWarmup, mapped(app))
      assert.equal(out.stop, 'EMFILE')
      assertLoadFailed(out.r, /EMFILE|too many open files/i, /ulimit -n/)
      assert.match(out.r.message, /own lib\//, out.r.message)
      // The fix says to close the descriptors the app leaks: done, status() answers (a failed load of lib/ is not kept).
      assert.equal(out.again.ok, true, `threw ${out.again.code}: ${out.again.message}`)
      const { warmed, calls, source } = out.again.value
      assert.deepEqual({ warmed, calls, source }, answer)
    })
  }
})

// The control of "an app that catches the package's error and carries on": those apps live only because the require
// repaired before it threw; with the repair off, the same app hangs. It names the Bun it runs, so it runs once (suite.js
// once). Started with the file and checked last, so its wait for the hang overlaps every describe above.
let unrepaired
once.before(() => {
  unrepaired = run('sequence.js', {
    runtime: paths.bun(HANGING_BUN),
    args: [paths.root, CATCH_THEN_ASHERAH()],
    env: { ...NOT_A_LIBRARY(), ASHERAH_WARMUP_SIGNAL_REPAIR: '0' },
    timeoutMs: HANG_WAIT_MS,
  })
})
once.describe(`without the repair, Bun ${HANGING_BUN} hangs (the tests of an app that catches the package's error can fail)`, () => {
  it("require('asherah-warmup') throws LOAD_FAILED (random bytes), caught; asherah.node round-trips; with ASHERAH_WARMUP_SIGNAL_REPAIR=0 the WASM call hangs", async () => {
    const res = await unrepaired
    assert.equal(res.timedOut, true, `expected a hang, got exit ${res.status} within ${HANG_WAIT_MS} ms\nstdout:\n${res.stdout}\nstderr:\n${res.stderr}`)
    // What the steps did, printed before the WebAssembly call: the same refusal and round trip as in those apps.
    const { steps } = res.json ?? { steps: [] }
    assert.deepEqual(
      steps.map((s) => [s.step, s.code ?? s.value]),
      [
        ['warmup', 'ERR_ASHERAH_WARMUP_LOAD_FAILED'],
        ['asherah', 'unexpected'],
      ],
      res.stdout,
    )
  })
})
