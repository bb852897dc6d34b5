'use strict'
// Runs a child program, a file in __test__/fixtures/children/, in a fresh Bun or Node process.
// Warmup state is per process, so almost every behaviour is observed from a child: the parent
// test only reads what the child printed. Each argument is passed as JSON (probe.js args()).
const { spawnSync } = require('node:child_process')
const path = require('node:path')
const { runCommand, lastJson } = require('./command')
const paths = require('./paths')

const CHILDREN = path.join(__dirname, '..', 'fixtures', 'children')

/** The runtime the suite itself runs under: `bun test` children are Bun, `node --test` children Node. */
const currentRuntime = () => (process.versions.bun ? paths.bun() : paths.node)

/** `runtime ...execArgv <child> ...args` and the settings a developer's shell may carry, cleared. */
function childCommand(name, { runtime = currentRuntime(), execArgv = [], args = [], env = {} }) {
  return {
    cmd: runtime,
    argv: [...execArgv, path.join(CHILDREN, name), ...args.map((arg) => JSON.stringify(arg))],
    env: { ASHERAH_WARMUP: '', ASHERAH_VERBOSE: '', ...env },
  }
}

/**
 * Runs child `name` (a file in fixtures/children) under `runtime` (a binary path), with
 * `execArgv` before the file and `args` (each as JSON) after it. Resolves what helpers/command.js
 * runCommand does: { status, signal, timedOut, ms, stdout, stderr, json } (json: the last stdout
 * line that parses as JSON). Never blocks, so a test can run several children at once.
 */
function runChild(name, { cwd = paths.root, timeoutMs = 20000, uid, gid, ...command } = {}) {
  const { cmd, argv, env } = childCommand(name, command)
  return runCommand(cmd, argv, { cwd, env, timeoutMs, uid, gid })
}

/** runChild, blocking: for the synchronous tests. */
function runChildSync(name, { cwd = paths.root, timeoutMs = 20000, ...command } = {}) {
  const { cmd, argv, env } = childCommand(name, command)
  const res = spawnSync(cmd, argv, { cwd, env: { ...process.env, ...env }, encoding: 'utf8', timeout: timeoutMs, killSignal: 'SIGKILL' })
  return {
    status: res.status,
    signal: res.signal,
    timedOut: res.error?.code === 'ETIMEDOUT',
    stdout: res.stdout,
    stderr: res.stderr,
    json: lastJson(res.stdout),
  }
}

module.exports = { currentRuntime, runChild, runChildSync }
