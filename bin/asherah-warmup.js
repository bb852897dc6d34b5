#!/usr/bin/env node
'use strict'
// asherah-warmup <command> [args]: see lib/cli/doctor.js. Runs under Node and Bun.

/**
 * The Bun that ran `bunx asherah-warmup ...`, when this process is Node started by it; else null.
 *
 * bunx runs a `#!/usr/bin/env node` bin under Node, so `bunx asherah-warmup doctor` would check
 * Node and tell a Bun user the opposite of what applies to them. bunx marks its child's
 * environment: npm_lifecycle_event=bunx, npm_config_user_agent=bun/<version> ..., and
 * npm_execpath=<the bun binary>. Only bunx is followed: `bun run <script>` (lifecycle = the
 * script's name) runs bins under Node on purpose and has `--bun` for the other choice.
 * REEXEC marks the child so that it can never re-run itself again.
 */
const REEXEC = 'ASHERAH_WARMUP_CLI_REEXEC'
function invokingBun(env) {
  if (process.versions.bun || env[REEXEC]) return null
  if (env.npm_lifecycle_event !== 'bunx' || !/^bun\//.test(env.npm_config_user_agent || '')) return null
  return env.npm_execpath || null
}

/** Runs this same file with the same arguments under `bun`; returns false when bun could not start. */
function rerunUnder(bun) {
  const { spawnSync } = require('node:child_process')
  const res = spawnSync(bun, [__filename, ...process.argv.slice(2)], {
    stdio: 'inherit',
    env: { ...process.env, [REEXEC]: bun },
  })
  if (res.error) {
    process.stderr.write(`asherah-warmup: could not re-run under Bun (${bun}): ${res.error.message}; running under Node ${process.version} instead.\n`)
    return false
  }
  if (res.signal) {
    // Die of the same signal, so the shell sees what the user would have seen without us.
    process.kill(process.pid, res.signal)
    // A signal this process ignores or handles: the shell's convention for a signal exit.
    process.exitCode = 128 + (require('node:os').constants.signals[res.signal] || 0)
  } else {
    process.exitCode = res.status
  }
  return true
}

const bun = invokingBun(process.env)
if (!bun || !rerunUnder(bun)) {
  const { main } = require('../lib/cli/doctor')
  main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, cwd: process.cwd() }).then(
    (code) => {
      process.exitCode = code
    },
    (err) => {
      process.stderr.write(`asherah-warmup: internal error: ${err?.stack || err}\n`)
      process.exitCode = 1
    },
  )
}
