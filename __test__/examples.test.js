'use strict'
// Runs every example in examples/ for real, each in a temporary project whose node_modules/ holds
// asherah-warmup (this checkout's published files), its platform package (npm/<triple>/) and the
// asherah stand-in fixture (a Go c-archive in an N-API addon, scripts/build-fixtures.sh):
// - bunfig-preload: `bun app.js` with bunfig.toml's preload, and `node -r asherah-warmup/register`
// - bun-test: `bun test` with bunfig.toml's [test] preload
// - asherah-node-entry: asherah's index.js replaced by before.js, then by after.js, under Bun and
//   Node; and on Bun 1.3.14 before.js hangs after the addon loads while after.js keeps running.
// Each test spawns the runtimes it is about, so this runs once (suite.js once).
const assert = require('node:assert')
const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')
const { spawnSync } = require('node:child_process')
const paths = require('./helpers/paths')
const suite = require('./helpers/suite')
const { lastJson } = require('./helpers/command')
const { CLEAN_ENV } = require('./helpers/child')
const { packageTriple, libraryName } = require('../lib/platforms')

const it = (name, fn) => suite.it(name, fn, 60000)

const EXAMPLES = path.join(paths.root, 'examples')
const ROOT_PKG = JSON.parse(fs.readFileSync(path.join(paths.root, 'package.json'), 'utf8'))
const TRIPLE = packageTriple()
const PLATFORM_PKG = `asherah-warmup-${TRIPLE}`
const LIB = libraryName()
const ADDON = `asherah-warmup.${TRIPLE}.node`
const STANDIN = path.join(paths.fixtures, process.arch, 'node_modules', 'asherah')
const { BUN_MATRIX, HANGING_BUN: HANGING_VERSION } = require('../scripts/lib/signal-scenarios')
/** A Bun that hangs once a Go runtime marks SIGPWR SA_ONSTACK (fixed in Bun 1.4.0). */
const HANGING_BUN = paths.bun(HANGING_VERSION)

/** The fixtures are linux builds; elsewhere (the macOS CI job) these examples cannot run. */
const describe = process.platform === 'linux' && TRIPLE ? suite.once.describe : suite.describe.skip

let tmp
let count = 0

/** A project from examples/<name>, with node_modules laid out as an install would. */
function project(name, { entry } = {}) {
  tmp ??= fs.mkdtempSync(path.join(os.tmpdir(), 'asherah-warmup-examples-'))
  assert.ok(fs.existsSync(path.join(STANDIN, 'build', 'asherah.node')), `missing ${STANDIN}: run scripts/build-fixtures.sh`)
  const dir = path.join(tmp, `${name}-${++count}`)
  const nm = path.join(dir, 'node_modules')
  fs.cpSync(path.join(EXAMPLES, name), dir, { recursive: true })
  // asherah-warmup as published: its `files` allowlist and package.json.
  for (const entryName of [...ROOT_PKG.files, 'package.json']) {
    fs.cpSync(path.join(paths.root, entryName), path.join(nm, 'asherah-warmup', entryName), { recursive: true })
  }
  const platformDir = path.join(paths.root, 'npm', TRIPLE)
  const platformPkg = JSON.parse(fs.readFileSync(path.join(platformDir, 'package.json'), 'utf8'))
  for (const f of [...platformPkg.files, 'package.json']) {
    fs.cpSync(path.join(platformDir, f), path.join(nm, PLATFORM_PKG, f))
  }
  fs.cpSync(STANDIN, path.join(nm, 'asherah'), { recursive: true, dereference: true })
  if (entry) fs.copyFileSync(path.join(EXAMPLES, name, entry), path.join(nm, 'asherah', 'index.js'))
  return dir
}

function run(runtime, args, dir, { timeoutMs = 30000 } = {}) {
  const res = spawnSync(runtime, args, {
    cwd: dir,
    encoding: 'utf8',
    timeout: timeoutMs,
    killSignal: 'SIGKILL',
    env: {
      ...process.env,
      ...CLEAN_ENV,
      NODE_OPTIONS: '',
    },
  })
  return { ...res, timedOut: res.error?.code === 'ETIMEDOUT', json: lastJson(res.stdout) }
}

const ok = (res) => assert.strictEqual(res.status, 0, `exit ${res.status} ${res.signal ?? ''}\n${res.stdout}\n${res.stderr}`)
const inProject = (dir, ...rest) => path.join(fs.realpathSync(dir), 'node_modules', ...rest)

function assertWarmedFromPackage(status, dir) {
  assert.strictEqual(status.runtime, 'bun')
  assert.strictEqual(status.warmed, true, JSON.stringify(status))
  assert.strictEqual(status.result, 1)
  assert.strictEqual(status.calls, 1)
  assert.strictEqual(status.source, 'package')
  assert.strictEqual(fs.realpathSync(status.library), inProject(dir, PLATFORM_PKG, LIB))
}

// The app the asherah-node-entry example is exercised with: it only knows `require('asherah')`.
const ENTRY_APP = path.join(__dirname, 'fixtures', 'examples', 'entry-app.js')

function entryProject(entry) {
  const dir = project('asherah-node-entry', { entry })
  fs.copyFileSync(ENTRY_APP, path.join(dir, 'app.js'))
  return dir
}

describe('examples/bunfig-preload', () => {
  for (const version of BUN_MATRIX) {
    it(`\`bun app.js\` (Bun ${version}): the bunfig.toml preload warms up before the app requires asherah`, () => {
      const dir = project('bunfig-preload')
      const res = run(paths.bun(version), ['--no-install', 'app.js'], dir)
      ok(res)
      assert.strictEqual(res.json?.example, 'bunfig-preload', res.stdout)
      assert.strictEqual(res.json.roundTrip, true)
      assertWarmedFromPackage(res.json.warmup, dir)
    })
  }

  it('`node -r asherah-warmup/register app.js`: the same app under Node, nothing warmed', () => {
    const dir = project('bunfig-preload')
    const res = run(paths.node, ['-r', 'asherah-warmup/register', 'app.js'], dir)
    ok(res)
    assert.strictEqual(res.json.roundTrip, true)
    assert.strictEqual(res.json.warmup.runtime, 'node')
    assert.strictEqual(res.json.warmup.warmed, false)
    assert.strictEqual(res.json.warmup.calls, 0)
  })
})

describe('examples/bun-test', () => {
  for (const version of BUN_MATRIX) {
    it(`\`bun test\` (Bun ${version}): the [test] preload warms up, and asherah round-trips inside the test file`, () => {
      const dir = project('bun-test')
      const res = run(paths.bun(version), ['test'], dir)
      const out = `${res.stdout}\n${res.stderr}`
      ok(res)
      assert.match(out, /^\s*3 pass$/m, out)
      assert.match(out, /^\s*0 fail$/m, out)
    })
  }
})

describe('examples/asherah-node-entry', () => {
  it('after.js under Bun: one require warms up from the platform package, then asherah round-trips', () => {
    const dir = entryProject('after.js')
    const res = run(paths.bun(), ['--no-install', 'app.js'], dir)
    ok(res)
    assert.strictEqual(res.json.roundTrip, true)
    assertWarmedFromPackage(res.json.status, dir)
    assert.ok(res.json.status.signals?.supported, 'no signal repair report')
    const mapped = res.json.mapped.map((p) => fs.realpathSync(p))
    assert.ok(mapped.includes(inProject(dir, PLATFORM_PKG, LIB)), mapped.join('\n'))
    assert.ok(mapped.includes(inProject(dir, PLATFORM_PKG, ADDON)), mapped.join('\n'))
    assert.ok(mapped.includes(inProject(dir, 'asherah', 'build', 'asherah.node')), mapped.join('\n'))
    assert.ok(!mapped.includes(inProject(dir, 'asherah', 'lib', LIB)), 'asherah-node lib/ copy loaded too')
  })

  it('after.js under Node: a plain require of the addon, nothing of asherah-warmup loaded', () => {
    const dir = entryProject('after.js')
    const res = run(paths.node, ['app.js'], dir)
    ok(res)
    assert.strictEqual(res.json.roundTrip, true)
    assert.strictEqual(res.json.status.runtime, 'node')
    assert.strictEqual(res.json.status.warmed, false)
    assert.strictEqual(res.json.status.calls, 0)
    assert.deepStrictEqual(
      res.json.mapped.map((p) => path.basename(p)),
      ['asherah.node'],
    )
  })

  it('after.js in an app bundled by `bun build` (Bun 1.3.14), its output folder deployed alone: asherah round-trips, the event loop runs', () => {
    const dir = entryProject('after.js')
    ok(spawnSync(HANGING_BUN, ['build', 'app.js', '--target=bun', '--outdir', 'dist'], { cwd: dir, encoding: 'utf8', timeout: 60000 }))
    const deployed = path.join(tmp, `deployed-${++count}`)
    fs.cpSync(path.join(dir, 'dist'), deployed, { recursive: true })
    // The build machine's install is not where the bundle runs.
    fs.rmSync(path.join(dir, 'node_modules'), { recursive: true })
    const res = run(HANGING_BUN, ['app.js'], deployed, { timeoutMs: 20000 })
    ok(res)
    assert.strictEqual(res.json.roundTrip, true)
    assert.strictEqual(res.json.wasm, 10000)
    assert.ok(
      res.json.mapped.some((p) => path.basename(p).startsWith('asherah-warmup.')),
      `our addon was not loaded:\n${res.json.mapped.join('\n')}`,
    )
  })

  it('before.js, the bun:ffi way it replaces, also works on this Bun (and does nothing under Node)', () => {
    const dir = entryProject('before.js')
    const bun = run(paths.bun(), ['--no-install', 'app.js'], dir)
    ok(bun)
    assert.strictEqual(bun.json.roundTrip, true)
    assert.strictEqual(bun.json.status, null)
    const mapped = bun.json.mapped.map((p) => fs.realpathSync(p))
    assert.ok(mapped.includes(inProject(dir, 'asherah', 'lib', LIB)), `bun:ffi warmup did not load lib/${LIB}:\n${mapped.join('\n')}`)
    const node = run(paths.node, ['app.js'], dir)
    ok(node)
    assert.strictEqual(node.json.roundTrip, true)
    assert.deepStrictEqual(
      node.json.mapped.map((p) => path.basename(p)),
      ['asherah.node'],
    )
  })

  it('on Bun 1.3.14 before.js hangs once asherah.node is loaded; after.js keeps the event loop running', () => {
    const before = run(HANGING_BUN, ['--no-install', 'app.js'], entryProject('before.js'), { timeoutMs: suite.HANG_WAIT_MS })
    assert.strictEqual(before.timedOut, true, `before.js did not hang on Bun 1.3.14: exit ${before.status}\n${before.stdout}\n${before.stderr}`)
    const dir = entryProject('after.js')
    const after = run(HANGING_BUN, ['--no-install', 'app.js'], dir, { timeoutMs: 20000 })
    ok(after)
    assert.strictEqual(after.json.roundTrip, true)
    assert.strictEqual(after.json.wasm, 10000)
    assert.strictEqual(after.json.status.runtimeVersion, HANGING_VERSION)
    assertWarmedFromPackage(after.json.status, dir)
  })
})

suite.after(() => {
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true })
})
