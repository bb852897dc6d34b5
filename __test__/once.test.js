'use strict'
// Exactly once per process: 16 worker_threads released at the same instant (a SharedArrayBuffer
// barrier: each worker counts itself in, then Atomics.wait()s until the main thread, having seen
// all 16 arrive, flips the flag and Atomics.notify()s them all) race to warm up. The counting
// fixture library appends the process id to ASHERAH_WARMUP_TEST_COUNT_FILE on every Warmup()
// call, so the file, read after the child exits, says how many calls there really were.
const assert = require('node:assert')
const fs = require('node:fs')
const path = require('node:path')
const { describe, it, before, after, RUNTIMES, CURRENT, lit, run, jsonOf } = require('./helpers/suite')
const project = require('./helpers/project')

const ws = project.workspace()

const WORKERS = 16

let P
let counting

before(() => {
  P = ws.createProject({ asherah: 'stub' })
  counting = project.artefact('counting')
})
after(() => ws.cleanup())

/**
 * A child that starts WORKERS workers. mode 'call': each requires the package first (inert), waits
 * at the barrier, then calls warmup({ library: counting, force: true }). mode 'require': each
 * waits at the barrier, then requires the package (which warms up by itself) and reads status().
 * After all are done the main thread calls warmup() once more, as a late 17th caller.
 */
function raceSnippet(mode) {
  const worker = `
    const { workerData, parentPort } = require('node:worker_threads')
    const flags = new Int32Array(workerData.sab)
    const w = workerData.mode === 'call' ? require(workerData.index) : null
    Atomics.add(flags, 0, 1)
    Atomics.notify(flags, 0)
    Atomics.wait(flags, 1, 0)
    let r
    try {
      const s = workerData.mode === 'call'
        ? w.warmup({ library: workerData.lib, force: true })
        : require(workerData.index).status()
      r = { ok: true, s }
    } catch (e) {
      r = { ok: false, code: e.code, message: e.message }
    }
    parentPort.postMessage(JSON.parse(JSON.stringify(r)))
  `
  return `
    const { Worker } = require('node:worker_threads')
    const fs = require('node:fs')
    const N = ${WORKERS}
    const sab = new SharedArrayBuffer(8)
    const flags = new Int32Array(sab)
    const results = new Array(N).fill(null)
    let exited = 0
    let released = false
    for (let i = 0; i < N; i++) {
      const worker = new Worker(${lit(worker)}, { eval: true, workerData: { sab, mode: ${lit(mode)}, index: ${lit(P.index)}, lib: ${lit(counting)} } })
      worker.on('message', (m) => { results[i] = m })
      worker.on('error', (e) => { results[i] = { ok: false, error: String(e && e.stack || e) } })
      worker.on('exit', () => { if (++exited === N) report() })
    }
    const poll = setInterval(() => {
      if (Atomics.load(flags, 0) < N) return
      clearInterval(poll)
      released = true
      Atomics.store(flags, 1, 1)
      Atomics.notify(flags, 1)
    }, 1)
    function report() {
      const late = attempt(() => require(${lit(P.index)}).warmup({ library: ${lit(counting)}, force: true }))
      const lines = fs.readFileSync(process.env.ASHERAH_WARMUP_TEST_COUNT_FILE, 'utf8').split('\\n').filter(Boolean)
      print({ pid: process.pid, released, results, late, lines, maps: natives() })
    }
  `
}

function assertOnce(out) {
  assert.strictEqual(out.released, true, 'the barrier released the workers together')
  assert.strictEqual(out.results.length, WORKERS)
  out.results.forEach((r, i) => {
    assert.ok(r?.ok, `worker ${i}: ${JSON.stringify(r)}`)
    assert.strictEqual(r.s.warmed, true, `worker ${i}`)
    assert.strictEqual(r.s.result, 1)
    assert.strictEqual(r.s.calls, 1, `worker ${i} saw calls ${r.s.calls}`)
    assert.strictEqual(r.s.library, counting)
    assert.deepStrictEqual(r.s, out.results[0].s, `worker ${i} got a different status`)
  })
  assert.strictEqual(out.late.ok, true, out.late.message)
  assert.strictEqual(out.late.value.calls, 1)
  assert.strictEqual(out.late.value.library, counting)
  assert.deepStrictEqual(out.lines, [String(out.pid)], 'Warmup() was called exactly once, by this process')
  assert.deepStrictEqual(out.maps.goWarmup, [counting])
}

describe('Warmup() runs exactly once per process', () => {
  it(`${WORKERS} worker threads calling warmup() at the same instant (${CURRENT})`, async () => {
    const countFile = path.join(ws.tempDir('count'), 'calls')
    const out = jsonOf(await run(raceSnippet('call'), { env: { ASHERAH_WARMUP: 'never', ASHERAH_WARMUP_TEST_COUNT_FILE: countFile } }))
    assertOnce(out)
    assert.strictEqual(out.results[0].s.source, 'option')
  })

  for (const [name, mode] of [
    ['bun', ''],
    ['node', 'always'],
  ]) {
    it(`${WORKERS} worker threads requiring the package at the same instant (${name}${mode ? `, ASHERAH_WARMUP=${mode}` : ''})`, async () => {
      const countFile = path.join(ws.tempDir('count'), 'calls')
      const out = jsonOf(
        await run(raceSnippet('require'), {
          runtime: RUNTIMES[name],
          env: { ASHERAH_WARMUP: mode, ASHERAH_WARMUP_LIBRARY: counting, ASHERAH_WARMUP_TEST_COUNT_FILE: countFile },
        }),
      )
      assertOnce(out)
      assert.strictEqual(out.results[0].s.source, 'env')
      assert.strictEqual(out.results[0].s.runtime, name)
    })
  }

  it(`status() in a worker started after the main thread warmed up reports the process's warmup (${CURRENT})`, async () => {
    const countFile = path.join(ws.tempDir('count'), 'calls')
    const out = jsonOf(
      await run(
        `
      const { Worker } = require('node:worker_threads')
      const main = require(${lit(P.index)}).warmup({ library: ${lit(counting)}, force: true })
      const code = "const { parentPort, workerData } = require('node:worker_threads'); parentPort.postMessage(JSON.parse(JSON.stringify(require(workerData).status())))"
      new Worker(code, { eval: true, workerData: ${lit(P.index)} }).on('message', (s) => print({ main, s }))
    `,
        { env: { ASHERAH_WARMUP: 'never', ASHERAH_WARMUP_TEST_COUNT_FILE: countFile } },
      ),
    )
    assert.strictEqual(out.main.calls, 1)
    assert.strictEqual(out.s.calls, 1, "calls counts this process's Warmup() calls, in every thread")
    assert.strictEqual(out.s.warmed, true)
    assert.strictEqual(out.s.library, counting)
  })

  it('separate processes each call Warmup() once (the count is per process)', async () => {
    const countFile = path.join(ws.tempDir('count'), 'calls')
    const code = `const w = require(${lit(P.index)}); w.warmup({ library: ${lit(counting)}, force: true }); w.warmup({ library: ${lit(counting)}, force: true }); print({ pid: process.pid })`
    const outs = await Promise.all(
      [RUNTIMES.bun, RUNTIMES.node].map((runtime) => run(code, { runtime, env: { ASHERAH_WARMUP: 'never', ASHERAH_WARMUP_TEST_COUNT_FILE: countFile } })),
    )
    const pids = outs.map((res) => String(jsonOf(res).pid)).sort()
    assert.deepStrictEqual(fs.readFileSync(countFile, 'utf8').split('\n').filter(Boolean).sort(), pids)
  })
})
