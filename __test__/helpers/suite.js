'use strict'
// What the behaviour test files share: the harness with a timeout that suits a loaded 2-core
// machine under both runners (bun test's default is 5 s), the runtimes to spawn, and how to run
// a child program (helpers/child.js) and read what it printed.
// One behaviour suite, two runners: `bun test` provides bun:test, `node --test` provides node:test.
// Test files take describe/it/hooks from here and assertions from node:assert, which both support.
const assert = require('node:assert')
const runner = process.versions.bun ? require('bun:test') : require('node:test')
const paths = require('./paths')
const { runChild } = require('./child')

const TIMEOUT_MS = 30000
const isBun = Boolean(process.versions.bun)

/** it(name, fn) with a timeout (TIMEOUT_MS unless given) that both runners apply. */
function it(name, fn, timeoutMs = TIMEOUT_MS) {
  return isBun ? runner.it(name, fn, timeoutMs) : runner.it(name, { timeout: timeoutMs }, fn)
}
// bun:test names them beforeAll/afterAll, node:test before/after.
const before = (fn, timeoutMs = TIMEOUT_MS) => (isBun ? runner.beforeAll(fn, timeoutMs) : runner.before(fn, { timeout: timeoutMs }))
const after = (fn) => (isBun ? runner.afterAll(fn, TIMEOUT_MS) : runner.after(fn, { timeout: TIMEOUT_MS }))

/**
 * For tests whose every child is a runtime or tool the test names (a pinned Bun, Node, Deno, a
 * package manager, tsc, attw, `bun build`): the runner they run under changes nothing they do, so
 * under both runners they would repeat the same work. They run under `node --test`, whose harness
 * is the reference, and show as skipped under `bun test`. `once.describe` stands for describe;
 * `once.before`/`once.after` for a file-level hook only such tests need (`bun test` runs a file's
 * hooks even when every test in it is skipped, so these do nothing there).
 */
const once = isBun ? { describe: runner.describe.skip, before: () => {}, after: () => {} } : { describe: runner.describe, before, after }

/**
 * How long a test waits for a run it expects to hang (Bun before 1.4 with the signal repair off)
 * before calling it hung. Such a run that does not hang prints within about 0.1 s (measured for
 * every scenario and `bun test`), so 3 s is a 30-fold margin on a loaded 2-core machine; each hung
 * Bun spins about half a core until it is killed, so the wait is also their CPU cost.
 */
const HANG_WAIT_MS = 3000

/** Both runtimes by name, for behaviours that belong to one of them whatever the runner. */
const RUNTIMES = { bun: paths.bun(), node: paths.node }
/** The runtime of the current runner's children. */
const CURRENT = isBun ? 'bun' : 'node'

/** Asserts the child exited cleanly and printed a JSON line; returns that line. */
function jsonOf(res) {
  if (res.status !== 0 || res.json === undefined) {
    throw new Error(`child failed (status ${res.status}, signal ${res.signal}, timed out: ${res.timedOut})\nstdout:\n${res.stdout}\nstderr:\n${res.stderr}`)
  }
  return res.json
}

/** The JSON line of a warmup-calls.js child whose every call returned. */
function returned(res) {
  const out = jsonOf(res)
  for (const r of out.r) assert.strictEqual(r.ok, true, r.message)
  return out
}

/**
 * Warms up in a child (fixtures/children/warm.js) on project `p`: without options by the require
 * (ASHERAH_WARMUP=always, so the same path runs under Node and Bun); with them, by
 * warmup({ ...options, force: true }) after an inert require. `env` is laid over that; every other
 * setting (cwd, runtime, uid/gid) goes to runChild as it is. Returns { r, s, maps }.
 */
async function warmIn(p, { options, env = {}, ...child } = {}) {
  const out = jsonOf(
    await runChild('warm.js', { ...child, args: options ? [p.index, options] : [p.index], env: { ASHERAH_WARMUP: options ? 'never' : 'always', ...env } }),
  )
  if (out.alive !== true) throw new Error(`the child did not survive: ${JSON.stringify(out)}`)
  return out
}

/**
 * What /proc/self/maps shows for a loaded status (probe.js natives().goWarmup): a verified
 * library is mapped from its sealed memfd copy, named after the platform's release file.
 */
function mappedAs(status) {
  return status.verified ? `memfd:${require('./project').LIB}` : status.library
}

/** What status() says, after runtime, runtimeVersion and needed, where no warmup is known (the README's status() fields). */
const NOT_WARMED = {
  warmed: false,
  result: null,
  library: null,
  source: null,
  sha256: null,
  verified: false,
  verification: null,
  calls: 0,
  durationMs: null,
  tried: [],
  signals: null,
}

module.exports = {
  NOT_WARMED,
  mappedAs,
  describe: runner.describe,
  it,
  before,
  after,
  once,
  TIMEOUT_MS,
  HANG_WAIT_MS,
  RUNTIMES,
  CURRENT,
  runChild,
  jsonOf,
  returned,
  warmIn,
}
