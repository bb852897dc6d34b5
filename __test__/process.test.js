'use strict'
// One warmup per process, whoever asks: two installed copies of asherah-warmup (a nested
// dependency) share one go-warmup library and one Warmup() call; a warmup() reached again while
// the first one runs is an error, never a deadlock.
const assert = require('node:assert')
const path = require('node:path')
const { describe, it, before, after, CURRENT, RUNTIMES, runChild, jsonOf } = require('./helpers/suite')
const project = require('./helpers/project')

const ws = project.workspace()
let outer // the app's own copy
let nested // a second copy, as a nested dependency installs it (its own addon and library files)
let cwd

before(() => {
  outer = ws.createProject({ asherah: 'stub', label: 'outer' })
  nested = project.createProject(path.join(outer.root, 'node_modules', 'some-dependency'), {})
  cwd = ws.tempDir('cwd')
})
after(() => ws.cleanup())

describe(`two copies of the package in one process (${CURRENT})`, () => {
  for (const [runtime, env] of [
    ['bun', {}],
    ['node', { ASHERAH_WARMUP: 'always' }],
  ]) {
    it(`${runtime}: both required, one go-warmup library mapped, Warmup called once, both report it`, async () => {
      const out = jsonOf(await runChild('two-copies.js', { runtime: RUNTIMES[runtime], args: [outer.index, nested.index], cwd, env }))
      assert.strictEqual(out.maps.addon.length, 2, 'two copies of the addon are loaded')
      assert.deepStrictEqual(out.maps.goWarmup, [outer.addonLibrary], "one go-warmup library: the first copy's")
      for (const s of [out.a, out.b, out.again.value]) {
        assert.strictEqual(s.warmed, true)
        assert.strictEqual(s.calls, 1)
        assert.strictEqual(s.library, outer.addonLibrary)
      }
    })
  }
})

describe(`ASHERAH_VERBOSE: a line in each copy and each thread that warms up, for the process's one call (${CURRENT})`, () => {
  const lines = (res) => res.stderr.split('\n').filter((line) => line.startsWith('asherah-warmup: Warmup() = 1 from '))

  for (const [runtime, env] of [
    ['bun', {}],
    ['node', { ASHERAH_WARMUP: 'always' }],
  ]) {
    it(`${runtime}: two copies, two lines, one Warmup() call`, async () => {
      const res = await runChild('two-copies.js', { runtime: RUNTIMES[runtime], args: [outer.index, nested.index], cwd, env: { ...env, ASHERAH_VERBOSE: '1' } })
      assert.strictEqual(jsonOf(res).again.value.calls, 1)
      assert.strictEqual(lines(res).length, 2, res.stderr)
    })
  }

  it('the main thread and a worker that warm up: two lines, one Warmup() call', async () => {
    const res = await runChild('worker-warmup.js', {
      args: [outer.index, { force: true }, { force: true }],
      cwd,
      env: { ASHERAH_WARMUP: 'never', ASHERAH_VERBOSE: '1' },
    })
    assert.strictEqual(jsonOf(res).worker.value.calls, 1)
    assert.strictEqual(lines(res).length, 2, res.stderr)
  })
})

describe(`re-entry (${CURRENT})`, () => {
  it('warmup() called from JS that runs during warmup() (the asherah-node lookup): both succeed, one Warmup call', async () => {
    // No library beside the addon, so warmup() looks for asherah-node after the core answered
    // NOT_FOUND; a hook on that lookup calls warmup() again. The core never calls into JS while
    // it holds the process lock, so the inner call cannot deadlock or be refused.
    const P = ws.createProject({ addonLibrary: false, asherah: 'stub', label: 'reentry' })
    const out = jsonOf(await runChild('reentrant-warmup.js', { args: [P.index], cwd, env: { ASHERAH_WARMUP: 'never' }, timeoutMs: 15000 }))
    assert.ok(out.inner, 'the lookup hook ran during warmup()')
    for (const call of [out.inner, out.outer]) {
      assert.strictEqual(call.ok, true, call.message)
      assert.strictEqual(call.value.source, 'asherah-node')
      assert.strictEqual(call.value.calls, 1)
    }
  })
})
