'use strict'
// Exactly once per process: 16 worker_threads released at the same instant (a SharedArrayBuffer
// barrier: each worker counts itself in, then Atomics.wait()s until the main thread, having seen
// all 16 arrive, flips the flag and Atomics.notify()s them all) race to warm up. The counting
// fixture library appends the process id to ASHERAH_WARMUP_TEST_COUNT_FILE on every Warmup()
// call, so the file, read after the child exits, says how many calls there really were.
const assert = require('node:assert')
const fs = require('node:fs')
const path = require('node:path')
const { describe, it, before, after, RUNTIMES, CURRENT, runChild, jsonOf, returned } = require('./helpers/suite')
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
 * A child (worker-race.js) that starts WORKERS workers. mode 'call': each requires the package
 * first (inert), waits at the barrier, then calls warmup({ library: counting, force: true }).
 * mode 'require': each waits at the barrier, then requires the package (which warms up by itself)
 * and reads status(). After all are done the main thread calls warmup() once more, as a late
 * 17th caller.
 */
const race = (mode, options) => runChild('worker-race.js', { args: [P.index, mode, counting, WORKERS], ...options })

function assertOnce(out) {
  assert.strictEqual(out.released, true, 'the barrier released the workers together')
  assert.strictEqual(out.results.length, WORKERS)
  out.results.forEach((r, i) => {
    assert.ok(r?.ok, `worker ${i}: ${JSON.stringify(r)}`)
    assert.strictEqual(r.value.warmed, true, `worker ${i}`)
    assert.strictEqual(r.value.result, 1)
    assert.strictEqual(r.value.calls, 1, `worker ${i} saw calls ${r.value.calls}`)
    assert.strictEqual(r.value.library, counting)
    assert.deepStrictEqual(r.value, out.results[0].value, `worker ${i} got a different status`)
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
    const out = jsonOf(await race('call', { env: { ASHERAH_WARMUP: 'never', ASHERAH_WARMUP_TEST_COUNT_FILE: countFile } }))
    assertOnce(out)
    assert.strictEqual(out.results[0].value.source, 'option')
  })

  for (const [name, mode] of [
    ['bun', ''],
    ['node', 'always'],
  ]) {
    it(`${WORKERS} worker threads requiring the package at the same instant (${name}${mode ? `, ASHERAH_WARMUP=${mode}` : ''})`, async () => {
      const countFile = path.join(ws.tempDir('count'), 'calls')
      const out = jsonOf(
        await race('require', {
          runtime: RUNTIMES[name],
          env: { ASHERAH_WARMUP: mode, ASHERAH_WARMUP_LIBRARY: counting, ASHERAH_WARMUP_TEST_COUNT_FILE: countFile },
        }),
      )
      assertOnce(out)
      assert.strictEqual(out.results[0].value.source, 'env')
      assert.strictEqual(out.results[0].value.runtime, name)
    })
  }

  it(`status() in a worker started after the main thread warmed up reports the process's warmup (${CURRENT})`, async () => {
    const countFile = path.join(ws.tempDir('count'), 'calls')
    // The worker only asks status() (no options for it).
    const out = jsonOf(
      await runChild('worker-warmup.js', {
        args: [P.index, { library: counting, force: true }, null],
        env: { ASHERAH_WARMUP: 'never', ASHERAH_WARMUP_TEST_COUNT_FILE: countFile },
      }),
    )
    const s = out.worker.value
    assert.strictEqual(out.main.calls, 1)
    assert.strictEqual(s.calls, 1, "calls counts this process's Warmup() calls, in every thread")
    assert.strictEqual(s.warmed, true)
    assert.strictEqual(s.library, counting)
  })

  it('separate processes each call Warmup() once (the count is per process)', async () => {
    const countFile = path.join(ws.tempDir('count'), 'calls')
    const call = [{ library: counting, force: true }]
    const outs = await Promise.all(
      [RUNTIMES.bun, RUNTIMES.node].map((runtime) =>
        runChild('warmup-calls.js', { runtime, args: [P.index, [call, call]], env: { ASHERAH_WARMUP: 'never', ASHERAH_WARMUP_TEST_COUNT_FILE: countFile } }),
      ),
    )
    const pids = outs.map((res) => String(returned(res).pid)).sort()
    assert.deepStrictEqual(fs.readFileSync(countFile, 'utf8').split('\n').filter(Boolean).sort(), pids)
  })
})
