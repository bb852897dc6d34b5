'use strict'
// What the ecosystem tests need around package managers: a throwaway local npm registry
// (scripts/registry/serve.js, verdaccio with no uplinks) whose process cannot outlive the test,
// and an environment in which a package manager sees only what the test gives it.
const fs = require('node:fs')
const path = require('node:path')
const { spawn } = require('node:child_process')
const paths = require('./paths')
const { killGroup } = require('./command')

/** Nothing listens here: a request meant for anywhere but the local registry fails at once. */
const DEAD = 'http://127.0.0.1:9/'

/**
 * A user's shell with nothing of ours in it: no npm_* variables inherited from whatever started
 * the test run (npm test, bun run), no ASHERAH_* settings, HOME and the XDG folders in `home`
 * (no user config file of any tool leaks in), registries at `registry` (default: one nothing
 * listens on) and proxies that lead nowhere, except for 127.0.0.1. CI=true as in CI, so a tool
 * that behaves differently there does so on a developer's machine too.
 */
function isolatedEnv(home, { registry = DEAD, extra = {} } = {}) {
  for (const dir of ['.config', '.cache', '.local/share', '.local/state']) fs.mkdirSync(path.join(home, dir), { recursive: true })
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(npm_|yarn_|pnpm_|bun_|asherah_)/i.test(k)))
  return {
    ...inherited,
    HOME: home,
    XDG_CONFIG_HOME: path.join(home, '.config'),
    XDG_CACHE_HOME: path.join(home, '.cache'),
    XDG_DATA_HOME: path.join(home, '.local/share'),
    XDG_STATE_HOME: path.join(home, '.local/state'),
    CI: 'true',
    HTTP_PROXY: DEAD,
    HTTPS_PROXY: DEAD,
    http_proxy: DEAD,
    https_proxy: DEAD,
    NO_PROXY: '127.0.0.1',
    no_proxy: '127.0.0.1',
    npm_config_registry: registry,
    npm_config_cache: path.join(home, '.npm'),
    npm_config_update_notifier: 'false',
    npm_config_audit: 'false',
    npm_config_fund: 'false',
    // A local registry answers at once or is gone: no retries with minute-long back-off (npm,
    // pnpm), so a tool left running after its test died gives up within seconds.
    npm_config_fetch_retries: '0',
    npm_config_fetch_timeout: '20000',
    BUN_CONFIG_REGISTRY: registry,
    BUN_INSTALL_CACHE_DIR: path.join(home, '.bun-cache'),
    ...extra,
  }
}

/**
 * Starts scripts/registry/serve.js with its files in `dir`; resolves { url, token, log, stop() }
 * once it accepts requests. The registry reads its standard input and exits when it closes, so
 * it dies with this process however this process ends; stop() closes it and SIGKILLs the
 * process group if it has not exited within 5 s. A registry not up within `timeoutMs` is killed
 * and the promise rejects with what it printed.
 */
function startRegistry(dir, { timeoutMs = 30000 } = {}) {
  fs.mkdirSync(dir, { recursive: true })
  const child = spawn(paths.node, [path.join(paths.root, 'scripts', 'registry', 'serve.js'), dir], {
    cwd: paths.root,
    stdio: ['pipe', 'pipe', 'pipe'],
    detached: process.platform !== 'win32',
  })
  let exited = false
  const onExit = () => killGroup(child)
  process.once('exit', onExit)
  const gone = new Promise((resolve) =>
    child.once('close', () => {
      exited = true
      process.removeListener('exit', onExit)
      resolve()
    }),
  )
  const stop = async () => {
    if (exited) return
    child.stdin.end()
    const timer = setTimeout(() => killGroup(child), 5000)
    await gone
    clearTimeout(timer)
  }
  return new Promise((resolve, reject) => {
    let stdout = ''
    let stderr = ''
    const fail = (why) => {
      clearTimeout(timer)
      killGroup(child)
      reject(new Error(`registry: ${why}\nstdout:\n${stdout}\nstderr:\n${stderr}`))
    }
    const timer = setTimeout(() => fail(`not up within ${timeoutMs} ms`), timeoutMs)
    child.stderr.setEncoding('utf8').on('data', (d) => {
      stderr += d
    })
    child.stdout.setEncoding('utf8').on('data', (d) => {
      stdout += d
      const line = stdout.split('\n').find((l) => l.startsWith('{'))
      if (!line || !stdout.includes('\n')) return
      clearTimeout(timer)
      const { url, token } = JSON.parse(line)
      resolve({ url, token, log: path.join(dir, 'verdaccio.log'), stop, pid: child.pid })
    })
    child.once('error', (err) => fail(err.message))
    gone.then(() => {
      if (!stdout.includes('\n')) fail('exited before it was up')
    })
  })
}

module.exports = { DEAD, isolatedEnv, startRegistry }
