'use strict'
// require('asherah-warmup'), warmup() and status() in fresh processes, from an installed project
// layout (helpers/project.js): under Bun the require warms up; under Node it loads nothing native
// until warmup({ force: true }) or ASHERAH_WARMUP=always; what is mapped is read from
// /proc/self/maps inside the child. Runs under `node --test` and `bun test`; the Bun- and
// Node-specific behaviours spawn that runtime explicitly, so both runners cover both.
const assert = require('node:assert')
const { describe, it, before, after, RUNTIMES, CURRENT, lit, run, jsonOf } = require('./helpers/suite')
const project = require('./helpers/project')

const ws = project.workspace()

let P // addon + release library beside it, and an asherah-node stub with its lib/ copy
let cwd // a working directory with nothing in it

before(() => {
  P = ws.createProject({ asherah: 'stub' })
  cwd = ws.tempDir('cwd')
})
after(() => ws.cleanup())

/** Child: require the installed package, then `body` (which has `w`). */
const inProject = (body) => `const w = require(${lit(P.index)});\n${body}`

function assertWarmedFromPackage(s, runtime) {
  assert.strictEqual(s.runtime, runtime)
  assert.strictEqual(s.warmed, true)
  assert.strictEqual(s.result, 1)
  assert.strictEqual(s.calls, 1)
  assert.strictEqual(s.library, P.addonLibrary)
  assert.strictEqual(s.source, 'package')
  assert.strictEqual(s.verification, 'package-manager')
  assert.strictEqual(s.verified, false)
  assert.strictEqual(s.sha256, null)
  assert.deepStrictEqual(s.tried, [])
  assert.ok(typeof s.durationMs === 'number' && s.durationMs > 0 && s.durationMs < 10000, `durationMs ${s.durationMs}`)
}

describe('under Bun, require() warms up', () => {
  it('status() after require: warmed once from the platform package, not re-hashed', async () => {
    const out = jsonOf(
      await run(
        inProject(`
      const s = w.status()
      print({ s, exists: require('node:fs').statSync(s.library).isFile(), maps: natives() })
    `),
        { runtime: RUNTIMES.bun, cwd },
      ),
    )
    assertWarmedFromPackage(out.s, 'bun')
    assert.strictEqual(out.s.needed, true)
    assert.strictEqual(out.exists, true)
    assert.deepStrictEqual(out.maps.addon, [P.addonNode], 'our addon, from the platform package')
    assert.deepStrictEqual(out.maps.goWarmup, [P.addonLibrary], 'the go-warmup library beside it, and no other')
  })

  it('repeated warmup() returns the same status object and never calls Warmup again', async () => {
    const out = jsonOf(
      await run(
        inProject(`
      const first = w.status()
      const again = [w.warmup(), w.warmup({ force: true }), w.warmup(), w.status()]
      print({ same: again.every((s) => s === first), frozen: Object.isFrozen(first), calls: again.map((s) => s.calls), last: again[3] })
    `),
        { runtime: RUNTIMES.bun, cwd },
      ),
    )
    assert.strictEqual(out.same, true)
    assert.strictEqual(out.frozen, true)
    assert.deepStrictEqual(out.calls, [1, 1, 1, 1])
    assertWarmedFromPackage(out.last, 'bun')
  })

  it('the go-warmup library is opened RTLD_LOCAL: none of its symbols join the global scope', async () => {
    // dlsym(RTLD_DEFAULT, name) through bun:ffi sees the executable and every RTLD_GLOBAL library.
    const out = jsonOf(
      await run(
        `
      const { dlopen, FFIType } = require('bun:ffi')
      const libc = dlopen('libc.so.6', { dlsym: { args: [FFIType.ptr, FFIType.cstring], returns: FFIType.ptr } })
      const global = (name) => libc.symbols.dlsym(null, Buffer.from(name + '\\0')) !== null
      const names = ['Warmup', 'crosscall2', '_cgo_panic', 'malloc']
      const before = names.map(global)
      const w = require(${lit(P.index)})
      print({ s: w.status(), before, after: names.map(global) })
    `,
        { runtime: RUNTIMES.bun, cwd },
      ),
    )
    assert.strictEqual(out.s.warmed, true)
    assert.deepStrictEqual(out.before, [false, false, false, true], "control: dlsym finds libc's malloc and no Go symbol yet")
    assert.deepStrictEqual(out.after, [false, false, false, true], 'Warmup, crosscall2 or _cgo_panic became global')
  })

  it('ASHERAH_WARMUP=never: require warms nothing and maps no native file', async () => {
    const out = jsonOf(
      await run(
        inProject(`
      const s = w.status()
      const noForce = w.warmup()
      print({ s, noForce, needs: w.needsWarmup(), maps: natives() })
    `),
        { runtime: RUNTIMES.bun, cwd, env: { ASHERAH_WARMUP: 'never' } },
      ),
    )
    for (const s of [out.s, out.noForce]) {
      assert.strictEqual(s.needed, false)
      assert.strictEqual(s.warmed, false)
      assert.strictEqual(s.calls, 0)
      assert.strictEqual(s.library, null)
    }
    assert.strictEqual(out.needs, false)
    assert.deepStrictEqual(out.maps.nodeAddons, [])
    assert.deepStrictEqual(out.maps.goWarmup, [])
  })
})

describe('under Node, require() loads nothing native', () => {
  it('maps no addon and no go-warmup library until warmup({ force: true }), then both', async () => {
    const out = jsonOf(
      await run(
        inProject(`
      const afterRequire = natives()
      const s0 = w.status()
      const afterStatus = natives()
      const noForce = w.warmup()
      const afterNoForce = natives()
      const s = w.warmup({ force: true })
      print({ afterRequire, s0, afterStatus, noForce, afterNoForce, s, needs: w.needsWarmup(), maps: natives() })
    `),
        { runtime: RUNTIMES.node, cwd },
      ),
    )
    for (const m of [out.afterRequire, out.afterStatus, out.afterNoForce]) {
      assert.deepStrictEqual(m.addon, [])
      assert.deepStrictEqual(m.goWarmup, [])
    }
    assert.strictEqual(out.needs, false)
    assert.strictEqual(out.s0.warmed, false)
    assert.strictEqual(out.s0.calls, 0)
    assert.strictEqual(out.noForce.warmed, false)
    assert.strictEqual(out.noForce.calls, 0)
    assertWarmedFromPackage(out.s, 'node')
    assert.strictEqual(out.s.needed, false)
    assert.deepStrictEqual(out.maps.addon, [P.addonNode])
    assert.deepStrictEqual(out.maps.goWarmup, [P.addonLibrary])
  })

  it('ASHERAH_WARMUP=always: require warms up', async () => {
    const out = jsonOf(
      await run(inProject(`print({ s: w.status(), maps: natives() })`), {
        runtime: RUNTIMES.node,
        cwd,
        env: { ASHERAH_WARMUP: 'always' },
      }),
    )
    assertWarmedFromPackage(out.s, 'node')
    assert.strictEqual(out.s.needed, true)
    assert.deepStrictEqual(out.maps.addon, [P.addonNode])
    assert.deepStrictEqual(out.maps.goWarmup, [P.addonLibrary])
  })
})

describe('ASHERAH_WARMUP', () => {
  it(`never + warmup({ force: true }) warms up (${CURRENT})`, async () => {
    const out = jsonOf(
      await run(inProject(`print({ s: w.warmup({ force: true }), maps: natives() })`), {
        cwd,
        env: { ASHERAH_WARMUP: 'never' },
      }),
    )
    assertWarmedFromPackage(out.s, CURRENT)
    assert.strictEqual(out.s.needed, false)
    assert.deepStrictEqual(out.maps.goWarmup, [P.addonLibrary])
  })

  it(`an invalid value: warmup() throws INVALID_OPTION naming it, status() does not throw (${CURRENT})`, async () => {
    const out = jsonOf(
      await run(
        inProject(`
      process.env.ASHERAH_WARMUP = 'sometimes'
      const st = attempt(() => w.status())
      const wu = attempt(() => w.warmup())
      print({ st, wu, maps: natives() })
    `),
        { cwd, env: { ASHERAH_WARMUP: 'never' } },
      ),
    )
    assert.strictEqual(out.st.ok, true, JSON.stringify(out.st))
    assert.strictEqual(out.st.value.warmed, false)
    assert.strictEqual(out.wu.ok, false)
    assert.strictEqual(out.wu.isError, true)
    assert.strictEqual(out.wu.code, 'ERR_ASHERAH_WARMUP_INVALID_OPTION')
    assert.match(out.wu.message, /ASHERAH_WARMUP/)
    assert.match(out.wu.message, /sometimes/)
    assert.deepStrictEqual(out.maps.goWarmup, [])
  })

  it('an invalid value in the environment does not make require() throw under Node', async () => {
    const out = jsonOf(
      await run(
        `
      const req = attempt(() => { require(${lit(P.index)}); return true })
      const w = req.ok ? require(${lit(P.index)}) : null
      print({ req, st: w && attempt(() => w.status()), wu: w && attempt(() => w.warmup()), maps: natives() })
    `,
        { runtime: RUNTIMES.node, cwd, env: { ASHERAH_WARMUP: 'sometimes' } },
      ),
    )
    assert.strictEqual(out.req.ok, true, `require threw: ${out.req.message}`)
    assert.strictEqual(out.st.ok, true)
    assert.strictEqual(out.wu.code, 'ERR_ASHERAH_WARMUP_INVALID_OPTION')
    assert.deepStrictEqual(out.maps.nodeAddons, [])
  })

  it('an invalid value in the environment makes require() fail loudly under Bun, and the process lives on', async () => {
    const out = jsonOf(
      await run(
        `
      const req = attempt(() => require(${lit(P.index)}))
      finish(() => ({ req, maps: natives() }))
    `,
        { runtime: RUNTIMES.bun, cwd, env: { ASHERAH_WARMUP: 'sometimes' } },
      ),
    )
    assert.strictEqual(out.req.ok, false)
    assert.strictEqual(out.req.code, 'ERR_ASHERAH_WARMUP_INVALID_OPTION')
    assert.match(out.req.message, /ASHERAH_WARMUP="sometimes"/)
    assert.deepStrictEqual(out.maps.goWarmup, [])
    assert.strictEqual(out.alive, true)
  })
})

describe('ASHERAH_VERBOSE', () => {
  const line = (stderr) => stderr.split('\n').filter((l) => l.trim() !== '')

  // Bun warms up on require, Node on warmup({ force: true }); each call is made twice.
  for (const [name, call] of [
    ['bun', 'w.warmup()'],
    ['node', 'w.warmup({ force: true })'],
  ]) {
    it(`set: exactly one stderr line naming the library and where it came from (${name})`, async () => {
      const res = await run(inProject(`${call}; ${call}; print({ s: w.status() })`), {
        runtime: RUNTIMES[name],
        cwd,
        env: { ASHERAH_VERBOSE: '1' },
      })
      assert.strictEqual(jsonOf(res).s.warmed, true)
      const lines = line(res.stderr)
      assert.strictEqual(lines.length, 1, `stderr:\n${res.stderr}`)
      assert.match(lines[0], /^asherah-warmup: Warmup\(\) = 1 from /)
      assert.ok(lines[0].includes(P.addonLibrary), lines[0])
      assert.match(lines[0], /package/)
      assert.match(lines[0], /\d ms/)
    })
  }

  it('unset: nothing on stderr, under Bun and Node', async () => {
    const [bun, node] = await Promise.all([
      run(inProject(`print({ s: w.warmup() })`), { runtime: RUNTIMES.bun, cwd }),
      run(inProject(`print({ s: w.warmup({ force: true }) })`), { runtime: RUNTIMES.node, cwd }),
    ])
    for (const res of [bun, node]) {
      assert.strictEqual(jsonOf(res).s.warmed, true)
      assert.strictEqual(res.stderr, '')
    }
  })
})

describe('NODE_DEBUG=asherah-warmup', () => {
  for (const [name, call] of [
    ['bun', 'w.warmup()'],
    ['node', 'w.warmup({ force: true })'],
  ]) {
    it(`the same line through util.debuglog, with Node's ASHERAH-WARMUP <pid>: prefix (${name})`, async () => {
      const res = await run(inProject(`${call}; print({ s: w.status(), pid: process.pid })`), {
        runtime: RUNTIMES[name],
        cwd,
        env: { NODE_DEBUG: 'asherah-warmup' },
      })
      const out = jsonOf(res)
      const lines = res.stderr.split('\n').filter((l) => l.includes('Warmup()'))
      assert.strictEqual(lines.length, 1, `stderr:\n${res.stderr}`)
      assert.match(lines[0], new RegExp(`^ASHERAH-WARMUP ${out.pid}: Warmup\\(\\) = 1 from `))
    })
  }
})

describe('ASHERAH_WARMUP_SIGNAL_REPAIR is validated like ASHERAH_WARMUP', () => {
  it('under Bun, an unknown value fails the require with INVALID_OPTION naming it; 0/false/off and 1/true/on are accepted', async () => {
    const attemptWith = (value) =>
      run(`const r = attempt(() => require(${lit(P.index)}).status()); finish(() => ({ r }))`, {
        runtime: RUNTIMES.bun,
        cwd,
        env: { ASHERAH_WARMUP_SIGNAL_REPAIR: value },
      })
    const bad = jsonOf(await attemptWith('maybe'))
    assert.strictEqual(bad.r.code, 'ERR_ASHERAH_WARMUP_INVALID_OPTION', bad.r.message)
    assert.match(bad.r.message, /ASHERAH_WARMUP_SIGNAL_REPAIR="maybe"/)
    for (const [value, repaired] of [
      ['off', false],
      ['FALSE', false],
      ['0', false],
      ['on', true],
      ['1', true],
    ]) {
      const out = jsonOf(await attemptWith(value))
      assert.strictEqual(out.r.ok, true, `${value}: ${out.r.message}`)
      assert.strictEqual(Boolean(out.r.value.signals?.sigpwrOnstackCleared), repaired, value)
    }
  })

  it('under Node, where there is nothing to repair, an unknown value changes nothing', async () => {
    const out = jsonOf(
      await run(`const r = attempt(() => require(${lit(P.index)}).status()); finish(() => ({ r }))`, {
        runtime: RUNTIMES.node,
        cwd,
        env: { ASHERAH_WARMUP_SIGNAL_REPAIR: 'maybe' },
      }),
    )
    assert.strictEqual(out.r.ok, true, out.r.message)
  })
})
