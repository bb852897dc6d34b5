'use strict'
// Every bad input, in a fresh child of the current runtime: the error is an Error with the stable
// code, its message names the file or setting, nothing was loaded where nothing should be, and
// the process is still alive afterwards (the child prints its JSON line from a timer after
// catching). Also: failures before the library was loaded are not cached; a bad result or a missing Warmup is.
const assert = require('node:assert')
const { execFileSync } = require('node:child_process')
const crypto = require('node:crypto')
const fs = require('node:fs')
const path = require('node:path')
const { describe, it, before, after, CURRENT, runChild, jsonOf } = require('./helpers/suite')
const project = require('./helpers/project')

const ws = project.workspace()

const { LIB } = project
const { CODES: CODE } = require('../lib/codes')

let P
let cwd
let files // bad library files, by case

before(() => {
  P = ws.createProject({ asherah: 'stub' })
  cwd = ws.tempDir('cwd')
  const dir = ws.tempDir('bad')
  const put = (name, bytes) => project.writeFile(path.join(dir, name), bytes)
  files = {
    missing: path.join(dir, 'missing', LIB),
    empty: put('empty.so', Buffer.alloc(0)),
    random: put('random.so', crypto.randomBytes(64 * 1024)),
    foreign: project.artefact('foreignLibrary'),
    noSymbol: project.artefact('noSymbol'),
    badResult: project.artefact('badResult'),
    missingDependency: sharedObjectNeedingAMissingLibrary(dir),
  }
})

/** A well-formed shared object for this machine that needs a library that no longer exists. */
function sharedObjectNeedingAMissingLibrary(dir) {
  const gone = path.join(dir, 'libasherah-warmup-gone.so')
  const source = path.join(__dirname, 'fixtures', 'tools', 'needs-gone.c')
  execFileSync('gcc', ['-shared', '-fPIC', '-x', 'c', '/dev/null', '-o', gone])
  const out = path.join(dir, 'needs-gone.so')
  execFileSync('gcc', ['-shared', '-fPIC', source, '-o', out, `-L${dir}`, '-Wl,--no-as-needed', '-lasherah-warmup-gone'])
  fs.rmSync(gone)
  return out
}
after(() => ws.cleanup())

/**
 * In a child (warmup-calls.js): an inert require (ASHERAH_WARMUP=never), then warmup() with each
 * argument list of `calls` one after the other, each caught; then, from a timer, the results,
 * status() and the maps.
 */
async function attemptIn(calls, { env = {}, cwd: dir = cwd } = {}) {
  const res = await runChild('warmup-calls.js', { args: [P.index, calls], cwd: dir, env: { ASHERAH_WARMUP: 'never', ...env } })
  const out = jsonOf(res)
  assert.strictEqual(out.alive, true)
  assert.strictEqual(out.s.ok, true, 'status() must not throw')
  out.stderr = res.stderr
  return out
}

/** Asserts one failed attempt: an Error with `code` (also listed in w.codes) and a message with every `mentions`. */
function assertError(out, i, code, ...mentions) {
  const r = out.r[i]
  assert.strictEqual(r.ok, false, `call ${i} should have thrown`)
  assert.strictEqual(r.isError, true, 'must be an Error')
  assert.strictEqual(r.code, code, r.message)
  assert.ok(Object.values(out.codes).includes(code), 'the code is exported in codes')
  for (const m of mentions) {
    if (m instanceof RegExp) assert.match(r.message, m)
    else assert.ok(r.message.includes(m), `message should mention ${m}: ${r.message}`)
  }
}

/** warmup()'s arguments: a forced warmup, of `file`, of the default search. */
const withLibrary = (file) => [{ library: file, force: true }]
const FORCED = [{ force: true }]

describe(`bad library files (${CURRENT})`, () => {
  it('a missing file: NOT_FOUND naming it', async () => {
    const out = await attemptIn([withLibrary(files.missing)])
    assertError(out, 0, CODE.NOT_FOUND, files.missing, /does not exist/)
    assert.deepStrictEqual(out.maps.goWarmup, [])
    assert.strictEqual(out.s.value.calls, 0)
  })

  it('an empty file and random bytes: LOAD_FAILED naming each, saying why before the loader is asked, nothing loaded', async () => {
    const out = await attemptIn([withLibrary(files.empty), withLibrary(files.random)])
    assertError(out, 0, CODE.LOAD_FAILED, files.empty, /is not an ELF shared library \(0 bytes/)
    assertError(out, 1, CODE.LOAD_FAILED, files.random, /is not an ELF shared library/)
    assert.deepStrictEqual(out.maps.goWarmup, [])
    assert.strictEqual(out.s.value.calls, 0)
  })

  it(`the ${path.basename(project.built.foreignLibrary)} library on ${process.arch}: LOAD_FAILED saying what it is built for`, async () => {
    const out = await attemptIn([withLibrary(files.foreign)])
    const [theirs, ours] = process.arch === 'x64' ? [/built for aarch64/, /x86_64/] : [/built for x86_64/, /aarch64/]
    assertError(out, 0, CODE.LOAD_FAILED, files.foreign, theirs, ours)
    assert.deepStrictEqual(out.maps.goWarmup, [])
  })

  it("a Go library without Warmup: SYMBOL_MISSING naming it and the symbol; it stays the process's one Go library", async () => {
    const out = await attemptIn([withLibrary(files.noSymbol), withLibrary(files.noSymbol), FORCED, withLibrary(files.badResult)])
    for (const i of [0, 1, 2]) assertError(out, i, CODE.SYMBOL_MISSING, files.noSymbol, /Warmup/)
    assertError(out, 3, CODE.ALREADY_WARMED, files.noSymbol, files.badResult)
    const s = out.s.value
    assert.strictEqual(s.calls, 0)
    assert.strictEqual(s.warmed, false)
    assert.strictEqual(s.result, null)
    assert.strictEqual(s.library, files.noSymbol)
    // A Go library, once loaded, is never unloaded (dlclose of a Go runtime crashes), and a second Go runtime must not start.
    assert.deepStrictEqual(out.maps.goWarmup, [files.noSymbol])
  })

  it('Warmup returning 0: BAD_RESULT, and a second warmup() throws it again without calling Warmup again', async () => {
    const out = await attemptIn([withLibrary(files.badResult), withLibrary(files.badResult), FORCED, []])
    for (const i of [0, 1, 2]) assertError(out, i, CODE.BAD_RESULT, files.badResult, /returned 0/)
    const s = out.s.value
    // warmup() where none is needed (ASHERAH_WARMUP=never, no force) answers the state as it is, as status() does.
    assert.deepStrictEqual(out.r[3].value, s)
    assert.strictEqual(s.calls, 1, 'Warmup is called once, however often warmup() is retried')
    assert.strictEqual(s.result, 0)
    assert.strictEqual(s.warmed, false)
    assert.strictEqual(s.library, files.badResult)
    assert.deepStrictEqual(out.maps.goWarmup, [files.badResult], 'and no other library was loaded after it')
  })
})

describe(`error messages (${CURRENT})`, () => {
  it("LOAD_FAILED for what the header check cannot see carries the dynamic loader's own message (dlerror)", async () => {
    const out = await attemptIn([withLibrary(files.missingDependency)])
    assertError(out, 0, CODE.LOAD_FAILED, files.missingDependency, /libasherah-warmup-gone\.so: cannot open shared object file/)
  })

  it('errors raised in the addon start with "asherah-warmup: " like those of the JS layer', async () => {
    const out = await attemptIn([[{ force: 'yes' }], withLibrary(files.missing), withLibrary(files.random), withLibrary(files.noSymbol)])
    const codes = [CODE.INVALID_OPTION, CODE.NOT_FOUND, CODE.LOAD_FAILED, CODE.SYMBOL_MISSING]
    for (const [i, code] of codes.entries()) assertError(out, i, code, /^asherah-warmup: /)
  })
})

describe(`bad settings (${CURRENT})`, () => {
  it('a relative ASHERAH_WARMUP_LIBRARY: INVALID_OPTION naming it, even when the file exists there', async () => {
    const rel = `./${LIB}`
    const out = await attemptIn([FORCED], { env: { ASHERAH_WARMUP_LIBRARY: rel }, cwd: P.addonDir })
    assertError(out, 0, CODE.INVALID_OPTION, 'ASHERAH_WARMUP_LIBRARY', rel)
    assert.deepStrictEqual(out.maps.goWarmup, [])
  })

  it('an unknown option key: INVALID_OPTION naming it', async () => {
    const out = await attemptIn([[{ libary: '/x.so', force: true }]])
    assertError(out, 0, CODE.INVALID_OPTION, '"libary"')
    assert.deepStrictEqual(out.maps.nodeAddons, [])
  })

  it('a non-boolean force: INVALID_OPTION', async () => {
    const out = await attemptIn([[{ force: 'yes' }], [{ force: 1 }]])
    assertError(out, 0, CODE.INVALID_OPTION, /force/, '"yes"')
    assertError(out, 1, CODE.INVALID_OPTION, /force/)
    assert.deepStrictEqual(out.maps.nodeAddons, [])
  })

  it('options that are not an object, or a library that is not a path: INVALID_OPTION', async () => {
    const out = await attemptIn([['/x.so'], [[]], [{ library: '', force: true }], [{ library: 7, force: true }]])
    for (const i of [0, 1]) assertError(out, i, CODE.INVALID_OPTION, /options/)
    for (const i of [2, 3]) assertError(out, i, CODE.INVALID_OPTION, /library/)
    assert.deepStrictEqual(out.maps.nodeAddons, [])
  })

  it('every bad option names its fix, and an array is called one', async () => {
    const calls = [['/x.so'], [[]], [{ libary: '/x.so' }], [{ force: 'yes' }], [{ library: '', force: true }], [{ sha256: 7, force: true }]]
    const out = await attemptIn(calls)
    for (const i of calls.keys()) assertError(out, i, CODE.INVALID_OPTION, /\. Fix: \S/)
    assertError(out, 1, CODE.INVALID_OPTION, /got an array/)
  })
})

describe(`failures before the library was loaded are not cached (${CURRENT})`, () => {
  // The child fixes its environment between the calls, as a user would after reading the error.
  const retry = (env) => [
    { env: { ASHERAH_WARMUP: 'always', ...env }, args: [] },
    { env: Object.fromEntries(Object.keys(env).map((k) => [k, null])), args: [] },
  ]

  for (const [name, env, code] of [
    ['NOT_FOUND', () => ({ ASHERAH_WARMUP_LIBRARY: files.missing }), CODE.NOT_FOUND],
    ['LOAD_FAILED', () => ({ ASHERAH_WARMUP_LIBRARY: files.random }), CODE.LOAD_FAILED],
    ['CHECKSUM_MISMATCH', () => ({ ASHERAH_WARMUP_SHA256: crypto.createHash('sha256').update('y').digest('hex') }), CODE.CHECKSUM_MISMATCH],
  ]) {
    it(`${name}, then warmup() with the setting fixed succeeds in the same process (calls 1)`, async () => {
      const out = await attemptIn(retry(env()))
      assertError(out, 0, code)
      assert.strictEqual(out.r[1].ok, true, `retry failed: ${out.r[1].message}`)
      const s = out.r[1].value
      assert.strictEqual(s.warmed, true)
      assert.strictEqual(s.calls, 1)
      assert.strictEqual(s.library, P.addonLibrary)
      assert.deepStrictEqual(out.maps.goWarmup, [P.addonLibrary])
    })
  }

  it('a library option that is missing, then warmup({ force: true }) with the default search succeeds', async () => {
    const out = await attemptIn([withLibrary(files.missing), FORCED])
    assertError(out, 0, CODE.NOT_FOUND, files.missing)
    assert.strictEqual(out.r[1].ok, true, out.r[1].message)
    assert.strictEqual(out.r[1].value.calls, 1)
    assert.strictEqual(out.r[1].value.source, 'package')
  })

  it('after a success, a later warmup() with another library: ALREADY_WARMED naming both, nothing more loaded', async () => {
    const out = await attemptIn([FORCED, withLibrary(files.badResult), withLibrary(files.noSymbol)])
    assert.strictEqual(out.r[0].ok, true, out.r[0].message)
    for (const i of [1, 2]) assertError(out, i, CODE.ALREADY_WARMED, P.addonLibrary, /Fix: /)
    assertError(out, 1, CODE.ALREADY_WARMED, files.badResult)
    assert.deepStrictEqual(out.maps.goWarmup, [P.addonLibrary])
  })
})

describe(`settings after the warmup (${CURRENT})`, () => {
  const pinned = (digest) => [{ sha256: digest, force: true }]

  it('the same library (by another path) and a matching pin: the settled status', async () => {
    const link = path.join(ws.tempDir('link'), 'same.so')
    fs.symlinkSync(P.addonLibrary, link)
    const digest = project.sha256File(P.addonLibrary)
    const out = await attemptIn([FORCED, withLibrary(link), pinned(digest), pinned(digest.toUpperCase())])
    for (const i of [1, 2, 3]) {
      assert.strictEqual(out.r[i].ok, true, out.r[i].message)
      assert.deepStrictEqual(out.r[i].value, out.r[0].value)
    }
    assert.strictEqual(out.s.value.calls, 1)
  })

  it('a pin that does not match what was loaded: ALREADY_WARMED; an invalid one: INVALID_OPTION', async () => {
    const wrong = crypto.createHash('sha256').update('z').digest('hex')
    const out = await attemptIn([FORCED, pinned(wrong), pinned('abc'), [{ libary: 1 }]])
    assertError(out, 1, CODE.ALREADY_WARMED, wrong, P.addonLibrary)
    assertError(out, 2, CODE.INVALID_OPTION, /64 hexadecimal/)
    assertError(out, 3, CODE.INVALID_OPTION, '"libary"')
  })

  it('a worker asking for another library: ALREADY_WARMED there too', async () => {
    const out = jsonOf(
      await runChild('worker-warmup.js', {
        args: [P.index, { force: true }, { library: files.badResult, force: true }],
        cwd,
        env: { ASHERAH_WARMUP: 'never' },
      }),
    )
    assert.strictEqual(out.worker.ok, false, 'the worker must not be told it is warmed with its library')
    assert.strictEqual(out.worker.code, CODE.ALREADY_WARMED, out.worker.message)
    assert.deepStrictEqual(out.maps.goWarmup, [P.addonLibrary])
  })
})
