'use strict'
// Runs scripts/lib/signal-scenario.js (the ES module scenarios: __test__/fixtures/signals/
// esm-import.mjs) under a given Bun, with the signal repair on or off, and says whether the event
// loop survived a WASM call within the time limit. Shared by the signal test suite and
// scripts/signal-matrix.js (the README's table).

const path = require('node:path')
const { spawn } = require('node:child_process')

const root = path.resolve(__dirname, '..', '..')
const scenarioFile = path.join(__dirname, 'signal-scenario.js')
const esmFile = path.join(root, '__test__', 'fixtures', 'signals', 'esm-import.mjs')
const standin = path.join(root, 'build', 'fixtures', 'x64', 'node_modules', 'asherah')

const SCENARIOS = {
  none: 'asherah.node alone, no asherah-warmup',
  warmup: "require('asherah-warmup'), then WASM",
  inCode: "require('asherah-warmup'), then a plain require of asherah.node, round trip, then WASM",
  forced: 'ASHERAH_WARMUP=never, warmup({ force: true }), plain require, round trip, then WASM',
  preload: '--preload asherah-warmup/register, plain require, round trip, then WASM',
  esm: "ES module: import 'asherah-warmup', import asherah from 'asherah', round trip, then WASM",
  esmPreload: "ES module under --preload asherah-warmup/register: import asherah from 'asherah', round trip, then WASM",
  dlopen: "require('asherah-warmup'), then the app's own process.dlopen() of asherah.node, round trip, then WASM",
}
const PRELOADED = ['preload', 'esmPreload']
const ESM = ['esm', 'esmPreload']

/** Resolves to { alive, ms, json, stderr }; `alive` false means no output within timeoutMs. `extraEnv` is added last. */
function runScenario({ runtime, scenario, repair = true, timeoutMs = 5000, extraArgs = [], extraEnv = {} }) {
  const preload = PRELOADED.includes(scenario) ? ['--preload', path.join(root, 'register.js')] : []
  const args = [...extraArgs, ...preload, ESM.includes(scenario) ? esmFile : scenarioFile]
  const env = {
    ...process.env,
    SCENARIO: scenario,
    ASHERAH_STANDIN: standin,
    // Where the ES module scenarios' `import asherah from 'asherah'` finds the stand-in by name.
    ...(ESM.includes(scenario) && { NODE_PATH: path.dirname(standin) }),
    ASHERAH_WARMUP: '',
    ASHERAH_WARMUP_SIGNAL_REPAIR: repair ? '1' : '0',
    ...extraEnv,
  }
  const started = process.hrtime.bigint()
  return new Promise((resolve) => {
    const child = spawn(runtime, args, { env, stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk) => (stdout += chunk))
    child.stderr.on('data', (chunk) => (stderr += chunk))
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs)
    child.on('close', () => {
      clearTimeout(timer)
      const ms = Number(process.hrtime.bigint() - started) / 1e6
      const line = stdout.trim().split('\n').pop()
      let json = null
      try {
        json = JSON.parse(line)
      } catch {}
      resolve({ alive: json?.alive === true, ms, json, stderr })
    })
  })
}

/** Runs `jobs` (functions returning promises) at most `limit` at a time, results in order. */
async function inBatches(jobs, limit) {
  const results = new Array(jobs.length)
  let next = 0
  const worker = async () => {
    while (next < jobs.length) {
      const index = next++
      results[index] = await jobs[index]()
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, jobs.length) }, worker))
  return results
}

/** The Bun versions every documented way of use is proven on (scripts/versions.env BUN_MATRIX). */
const BUN_MATRIX = require('./versions').versionsEnv().BUN_MATRIX.split(/\s+/)

/** Whether Bun `version` hangs at the next WebAssembly call once Go marked SIGPWR SA_ONSTACK (fixed in 1.4.0). */
const hangsAfterGo = (version) => /^1\.[0-3]\./.test(version)

/** The newest Bun of the matrix that hangs. */
const HANGING_BUN = BUN_MATRIX.findLast(hangsAfterGo)

module.exports = { SCENARIOS, BUN_MATRIX, HANGING_BUN, hangsAfterGo, runScenario, inBatches, standin }
