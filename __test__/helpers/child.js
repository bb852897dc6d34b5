'use strict'
// Runs a snippet in a fresh Bun or Node process. Warmup state is per process, so almost every
// behaviour is observed from a child: the parent test only reads what the child printed.
const { spawnSync } = require('node:child_process')
const paths = require('./paths')

/** The runtime the suite itself runs under: `bun test` children are Bun, `node --test` children Node. */
const currentRuntime = () => (process.versions.bun ? paths.bun() : paths.node)

/**
 * Runs `code` (CommonJS) with `-e` under `runtime` (a binary path).
 * The last stdout line that parses as JSON is returned as `json`.
 */
function runSnippet(code, { runtime = currentRuntime(), args = [], env = {}, cwd = paths.root, timeoutMs = 20000 } = {}) {
  const res = spawnSync(runtime, [...args, '-e', code], {
    cwd,
    env: { ...process.env, ASHERAH_WARMUP: '', ASHERAH_VERBOSE: '', ...env },
    encoding: 'utf8',
    timeout: timeoutMs,
    killSignal: 'SIGKILL',
  })
  const lines = (res.stdout || '').trim().split('\n').reverse()
  let json
  for (const line of lines) {
    try {
      json = JSON.parse(line)
      break
    } catch {}
  }
  return {
    status: res.status,
    signal: res.signal,
    timedOut: res.error?.code === 'ETIMEDOUT',
    stdout: res.stdout,
    stderr: res.stderr,
    json,
  }
}

module.exports = { currentRuntime, runSnippet }

/**
 * runSnippet without blocking: same options and result, as a Promise, so a test can run several
 * children at once (Promise.all) on a loaded machine.
 */
function runSnippetAsync(code, { runtime = currentRuntime(), args = [], env = {}, cwd = paths.root, timeoutMs = 20000, uid, gid } = {}) {
  return require('./command').runCommand(runtime, [...args, '-e', code], { cwd, env: { ASHERAH_WARMUP: '', ASHERAH_VERBOSE: '', ...env }, timeoutMs, uid, gid })
}

module.exports.runSnippetAsync = runSnippetAsync
