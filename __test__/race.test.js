'use strict'
// "Verified" must hold against someone swapping the file while it is checked: a swapper flips a
// symlink between the pinned release library and another Go library (whose Warmup returns 0),
// or rewrites the file in place, while fresh processes warm up with the release's digest pinned.
// Every run must either load the pinned bytes (Warmup returns 1) or refuse; the other library's
// code must run in none of them.
const assert = require('node:assert')
const { spawn } = require('node:child_process')
const path = require('node:path')
const { describe, it, before, after, CURRENT, warmIn } = require('./helpers/suite')
const project = require('./helpers/project')

const RUNS = 60
const ws = project.workspace()
const fixtures = path.join(__dirname, 'fixtures', 'race')
let P
let good
let evil
let digest

before(() => {
  P = ws.createProject({ addonLibrary: false, asherah: 'stub', label: 'race' })
  good = ws.libraryCopy({ name: 'good.so' })
  evil = project.artefact('badResult')
  digest = project.sha256File(good)
})
after(() => ws.cleanup())

/** Runs RUNS warmups, a few at a time, while `mode` swaps `target`; returns their outputs. */
async function raceWarmups(mode, target) {
  const swapper = spawn(process.execPath, [path.join(fixtures, 'swapper.js'), mode, target, good, evil], { stdio: 'ignore' })
  try {
    const outputs = []
    for (let i = 0; i < RUNS; i += 4) {
      const batch = Array.from({ length: 4 }, () => warmIn(P, { options: { library: target, sha256: digest } }))
      outputs.push(...(await Promise.all(batch)))
    }
    return outputs
  } finally {
    swapper.kill('SIGKILL')
  }
}

function assertOnlyPinnedBytesRan(outputs) {
  const outcomes = {}
  for (const out of outputs) {
    assert.strictEqual(out.alive, true)
    const key = out.r.ok ? `result ${out.r.value.result}` : out.r.code
    outcomes[key] = (outcomes[key] ?? 0) + 1
    if (out.r.ok) {
      assert.strictEqual(out.r.value.result, 1, 'the other library ran although the pinned digest was verified')
      assert.strictEqual(out.r.value.sha256, digest)
      assert.strictEqual(out.r.value.verification, 'pinned')
    } else {
      assert.notStrictEqual(out.r.code, 'ERR_ASHERAH_WARMUP_BAD_RESULT', 'the other library ran')
      assert.deepStrictEqual(out.maps.goWarmup, [], `refused (${out.r.code}) but something was loaded`)
    }
  }
  return outcomes
}

describe(`a swapped library never runs unverified (${CURRENT})`, () => {
  it(`a symlink flipped between the pinned library and another: ${RUNS} runs, only the pinned bytes run`, async () => {
    const link = path.join(ws.tempDir('flip'), project.LIB)
    const outcomes = assertOnlyPinnedBytesRan(await raceWarmups('symlink', link))
    assert.ok(outcomes['result 1'] > 0, `no run loaded the pinned library: ${JSON.stringify(outcomes)}`)
  })

  it(`the file rewritten in place between the two contents: ${RUNS} runs, only the pinned bytes run`, async () => {
    const file = path.join(ws.tempDir('rewrite'), project.LIB)
    const outcomes = assertOnlyPinnedBytesRan(await raceWarmups('rewrite', file))
    assert.ok(Object.keys(outcomes).length > 0)
  })
})
