'use strict'
// README (Signal repair): the process.dlopen hook repairs "in a `finally`: a Go constructor has run even when the
// addon's init throws". The asherah.node here (build/fixtures/<arch>/init-throws/, scripts/build-fixtures.sh) links
// the stand-in's Go c-archive under an N-API init that calls into Go, then throws: its Go runtime started at dlopen
// and set SA_ONSTACK on SIGPWR again after the package's own repair. A Bun that hangs (HANGING_BUN) requires the
// package, catches that require's error, then runs WebAssembly and a timer (fixtures/children/init-throws.js). Each
// child is a Bun this file names, so it runs once (suite.js once). Linux only, where the repair is.
const assert = require('node:assert/strict')
const fs = require('node:fs')
const path = require('node:path')
const { once, it, jsonOf, runChild, HANG_WAIT_MS } = require('./helpers/suite')
const paths = require('./helpers/paths')
const { HANGING_BUN } = require('../scripts/lib/signal-scenarios')
const { versionsEnv } = require('../scripts/lib/versions')

const ADDON = path.join(paths.fixtures, process.arch, 'init-throws', 'asherah.node')
const SA_ONSTACK = 0x08000000
// The init puts runtime.Version() in its message, which it can only have from a call into the archive's running Go.
const INIT_ERROR = {
  ok: false,
  isError: true,
  name: 'Error',
  code: 'ERR_STANDIN_INIT_THROWS',
  message: `asherah stand-in: init throws on purpose, its Go runtime (go${versionsEnv().GO_VERSION}) already started`,
}

/** The child in each mode (see the child), all started by the first test so the hang is waited out alongside the rest. */
const runs = {}
function start() {
  for (const mode of ['hooked', 'unhooked-repair', 'unhooked']) {
    runs[mode] ??= runChild('init-throws.js', { runtime: paths.bun(HANGING_BUN), args: [paths.root, ADDON, mode], timeoutMs: HANG_WAIT_MS })
  }
  return runs
}

once.describe(`Bun ${HANGING_BUN}: an asherah.node whose init throws after its Go runtime started`, () => {
  const linux = process.platform === 'linux' ? it : it.skip

  linux('through the dlopen hook: the require throws the init error, the hook repairs all the same, WASM and a timer run', async () => {
    assert.ok(fs.existsSync(ADDON), `missing ${ADDON}: run scripts/build-fixtures.sh`)
    const res = await start().hooked
    assert.equal(res.timedOut, false, `the event loop hung: ${res.stderr}`)
    const out = jsonOf(res)
    assert.equal(out.hooked, true, 'the package did not hook process.dlopen')
    assert.deepEqual(out.error, INIT_ERROR)
    // Nothing left once the timer fired: the hook's repair after the throw cleared what that Go start set.
    assert.equal(out.afterTimer.sigpwrFlagsBefore & SA_ONSTACK, 0)
    assert.equal(out.afterTimer.sigpwrOnstackCleared, false)
    assert.equal(out.afterTimer.sigpipeIgnoredBefore, true)
    assert.equal(out.alive, true)
  })

  linux('around the hook, the throwing load leaves SA_ONSTACK on SIGPWR and takes SIGPIPE: its Go runtime started', async () => {
    const out = jsonOf(await start()['unhooked-repair'])
    assert.equal(out.hooked, false)
    assert.deepEqual(out.error, INIT_ERROR)
    // The package's repair at its require had cleared both; only that Go runtime's start sets them again.
    assert.ok(out.atThrow.sigpwrFlagsBefore & SA_ONSTACK, 'the throwing load did not set SA_ONSTACK on SIGPWR')
    assert.equal(out.atThrow.sigpwrOnstackCleared, true)
    assert.equal(out.atThrow.sigpipeIgnoredBefore, false, 'the throwing load did not take SIGPIPE from "ignored"')
  })

  linux('around the hook, the same require then WASM hangs (the first test can fail)', async () => {
    const res = await start().unhooked
    assert.equal(res.timedOut, true, `expected a hang, got exit ${res.status} within ${HANG_WAIT_MS} ms: ${res.stdout}${res.stderr}`)
  })
})
