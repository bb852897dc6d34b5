'use strict'
// Runs a child program, a file in __test__/fixtures/children/, in a fresh Bun or Node process.
// Warmup state is per process, so almost every behaviour is observed from a child: the parent
// test only reads what the child printed. Each argument is passed as JSON (probe.js args()).
const path = require('node:path')
const { runCommand } = require('./command')
const paths = require('./paths')

const CHILDREN = path.join(__dirname, '..', 'fixtures', 'children')

/** The settings a developer's shell may carry, cleared in every child so it sees only what its test sets. */
const CLEAN_ENV = Object.freeze({
  ASHERAH_WARMUP: '',
  ASHERAH_WARMUP_LIBRARY: '',
  ASHERAH_WARMUP_SHA256: '',
  ASHERAH_WARMUP_SIGNAL_REPAIR: '',
  ASHERAH_VERBOSE: '',
})

/** The runtime the suite itself runs under: `bun test` children are Bun, `node --test` children Node. */
const currentRuntime = () => (process.versions.bun ? paths.bun() : paths.node)

/**
 * Runs child `name` (a file in fixtures/children) under `runtime` (a binary path), with
 * `execArgv` before the file and `args` (each as JSON) after it. Resolves what helpers/command.js
 * runCommand does: { status, signal, timedOut, ms, stdout, stderr, json } (json: the last stdout
 * line that parses as JSON). Never blocks, so a test can run several children at once.
 */
function runChild(name, { runtime = currentRuntime(), execArgv = [], args = [], env = {}, cwd = paths.root, timeoutMs = 20000, uid, gid } = {}) {
  const argv = [...execArgv, path.join(CHILDREN, name), ...args.map((arg) => JSON.stringify(arg))]
  return runCommand(runtime, argv, { cwd, env: { ...CLEAN_ENV, ...env }, timeoutMs, uid, gid })
}

module.exports = { CLEAN_ENV, currentRuntime, runChild }
