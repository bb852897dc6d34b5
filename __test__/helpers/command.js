'use strict'
// Runs any command (a package manager, tsc, attw, a bin, a child program) in a fresh process,
// never blocking the runner (so `bun test` and `node --test` keep their own timers), killed with
// SIGKILL at a deadline, output captured. child.js's runChild is the fixture-child case of this;
// the ecosystem tests need arbitrary argv, cwd and a fully chosen env.
const { spawn } = require('node:child_process')

/** The last line of `stdout` that parses as JSON (what a child printed last), or undefined. */
function lastJson(stdout) {
  for (const line of (stdout || '').trim().split('\n').reverse()) {
    try {
      return JSON.parse(line)
    } catch {}
  }
  return undefined
}

/** SIGKILL to the child's whole process group (the child alone where there are no groups). */
function killGroup(child) {
  try {
    if (process.platform !== 'win32') process.kill(-child.pid, 'SIGKILL')
    else child.kill('SIGKILL')
  } catch {
    // Already gone.
  }
}

/**
 * Resolves { status, signal, timedOut, ms, stdout, stderr, json } (json: the last stdout line that
 * parses as JSON). `env` is the whole environment when `inherit` is false, else laid over
 * process.env. Never rejects: a command that cannot start resolves with status null and the
 * error in stderr.
 */
function runCommand(cmd, args = [], { cwd, env = {}, inherit = true, timeoutMs = 60000, input, uid, gid } = {}) {
  const started = process.hrtime.bigint()
  return new Promise((resolve) => {
    const child = spawn(cmd, args, {
      cwd,
      env: inherit ? { ...process.env, ...env } : env,
      stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
      // Its own process group, so the deadline kills whatever it started too (a package manager's
      // children, a runaway chain of re-runs), not only the process we spawned.
      detached: process.platform !== 'win32',
      // Another user's process (a test of what an unprivileged user may not read).
      ...(uid === undefined ? {} : { uid, gid }),
    })
    let stdout = ''
    let stderr = ''
    let timedOut = false
    child.stdout.setEncoding('utf8').on('data', (d) => {
      stdout += d
    })
    child.stderr.setEncoding('utf8').on('data', (d) => {
      stderr += d
    })
    if (input !== undefined) child.stdin.end(input)
    const timer = setTimeout(() => {
      timedOut = true
      killGroup(child)
    }, timeoutMs)
    let done = false
    const finish = (status, signal, error) => {
      if (done) return
      done = true
      clearTimeout(timer)
      const json = lastJson(stdout)
      const ms = Number(process.hrtime.bigint() - started) / 1e6
      resolve({ status, signal, timedOut, ms, stdout, stderr: error ? `${stderr}${error.message}\n` : stderr, json })
    }
    child.on('error', (err) => finish(null, null, err))
    child.on('close', (status, signal) => finish(status, signal))
  })
}

/** One line saying how a command ended, with its output: the message of a failed assertion. */
function describeRun(what, res) {
  return `${what}: exit ${res.status}${res.signal ? ` (signal ${res.signal})` : ''}${res.timedOut ? ' (timed out)' : ''} after ${Math.round(res.ms)} ms\nstdout:\n${res.stdout}\nstderr:\n${res.stderr}`
}

/** runCommand, then throws describeRun's message unless it exited 0. */
async function mustRun(cmd, args, options) {
  const res = await runCommand(cmd, args, options)
  if (res.status !== 0) throw new Error(describeRun(`${cmd} ${args.join(' ')}`, res))
  return res
}

module.exports = { runCommand, describeRun, mustRun, killGroup, lastJson }
