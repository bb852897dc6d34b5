'use strict'
// What the behaviour test files share: the harness with a timeout that suits a loaded 2-core
// machine under both runners (bun test's default is 5 s), the runtimes to spawn, and the
// prelude every child snippet starts with.
const harness = require('../harness')
const paths = require('./paths')
const { currentRuntime, runSnippet, runSnippetAsync } = require('./child')

const TIMEOUT_MS = 30000
const isBun = Boolean(process.versions.bun)

/** it(name, fn) with TIMEOUT_MS under both runners. */
function it(name, fn) {
  return isBun ? harness.it(name, fn, TIMEOUT_MS) : harness.it(name, { timeout: TIMEOUT_MS }, fn)
}
const before = (fn) => (isBun ? harness.before(fn, TIMEOUT_MS) : harness.before(fn, { timeout: TIMEOUT_MS }))
const after = (fn) => (isBun ? harness.after(fn, TIMEOUT_MS) : harness.after(fn, { timeout: TIMEOUT_MS }))

/** Both runtimes by name, for behaviours that belong to one of them whatever the runner. */
const RUNTIMES = { bun: paths.bun(), node: paths.node }
/** The runtime of the current runner's children. */
const CURRENT = isBun ? 'bun' : 'node'

/** The first lines of every child: the probe helpers, by absolute path. */
const PRELUDE = `const { natives, mapped, attempt, print, finish } = require(${JSON.stringify(require.resolve('./probe'))});\n`

/** A value as a JS literal inside a snippet. */
const lit = (value) => JSON.stringify(value)

/** Runs PRELUDE + code in a child (runSnippetAsync's options) and returns its result. */
const run = (code, options) => runSnippetAsync(PRELUDE + code, options)

/** Asserts the child exited cleanly and printed a JSON line; returns that line. */
function jsonOf(res) {
  if (res.status !== 0 || res.json === undefined) {
    throw new Error(`child failed (status ${res.status}, signal ${res.signal}, timed out: ${res.timedOut})\nstdout:\n${res.stdout}\nstderr:\n${res.stderr}`)
  }
  return res.json
}

module.exports = {
  describe: harness.describe,
  it,
  before,
  after,
  TIMEOUT_MS,
  RUNTIMES,
  CURRENT,
  PRELUDE,
  lit,
  run,
  jsonOf,
  currentRuntime,
  runSnippet,
  runSnippetAsync,
}
