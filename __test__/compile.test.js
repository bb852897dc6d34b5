'use strict'
// `bun build` of an app that requires asherah-warmup. With --compile, the executable runs from an
// empty folder on its own: the addon, the go-warmup library and the platform package's sums file
// are embedded; the library's bytes are checked against that sums file and loaded from memory
// through the same verified load as any other (a sealed memfd), since Bun's /$bunfs paths cannot
// be dlopened. Without, the bundler copies those three files beside the bundle, which runs from
// the install it was built from while that is there, and from those copies (the same verified
// load) where it is not: the output folder deployed on its own, as in a Docker image. The builds
// and apps run under the Bun each test names, so they run once (suite.js once).
const assert = require('node:assert')
const { spawnSync } = require('node:child_process')
const fs = require('node:fs')
const path = require('node:path')
const { describe, it, once, after } = require('./helpers/suite')
const paths = require('./helpers/paths')
const project = require('./helpers/project')

const ws = project.workspace()
const { copyFixture } = project
const { lastJson } = require('./helpers/command')
const { CLEAN_ENV } = require('./helpers/child')
const { BUN_MATRIX, HANGING_BUN } = require('../scripts/lib/signal-scenarios')
let P

once.before(() => {
  P = ws.createProject({ label: 'compiled' })
})
after(() => ws.cleanup())

/** Builds the app of `project` (fixtures/compile/<fixture>) with Bun `version`: `bun build app.js ...bunArgs` in the project's folder. */
function buildApp({ root }, version, bunArgs, fixture = 'app.js') {
  // The app's probe helpers come along into the bundle from this checkout.
  const app = copyFixture(path.join('compile', fixture), path.join(root, 'app.js'))
  const build = spawnSync(paths.bun(version), ['build', app, ...bunArgs], { cwd: root, encoding: 'utf8', timeout: 60000 })
  assert.strictEqual(build.status, 0, build.stderr)
}

/** Runs the built app (`cmd args`) in `cwd` without the developer's settings: what it printed last, after a clean exit. */
function runApp(cmd, args, cwd) {
  const run = spawnSync(cmd, args, { cwd, encoding: 'utf8', timeout: 20000, env: { ...process.env, ...CLEAN_ENV } })
  assert.strictEqual(run.status, 0, `exit ${run.status} ${run.signal}: ${run.stderr}`)
  return lastJson(run.stdout)
}

/** Compiles the app of `project` (with `entries`, more fixtures/compile files) with Bun `version` and runs the executable alone in an empty folder. */
function compileAndRunAlone(project, version, fixture, entries = []) {
  const built = path.join(project.root, 'dist', 'app')
  const more = entries.map((entry) => copyFixture(path.join('compile', entry), path.join(project.root, entry)))
  buildApp(project, version, [...more, '--compile', '--outfile', built], fixture)
  const alone = path.join(ws.tempDir('alone'), 'app')
  fs.copyFileSync(built, alone)
  fs.chmodSync(alone, 0o755)
  return runApp(alone, [], path.dirname(alone))
}

/** Bundles the app of `project` with Bun `version` (`bun build --target=bun --outdir`): the output folder. */
function bundle(project, version) {
  const outdir = path.join(project.root, 'dist')
  buildApp(project, version, ['--target=bun', '--outdir', outdir])
  return outdir
}

/** Runs `app.js` of the bundle folder `outdir` under Bun `version` from another working directory (as `bun /srv/app/dist/app.js` does). */
const runBundle = (outdir, version) => runApp(paths.bun(version), [path.join(outdir, 'app.js')], path.parse(outdir).root)

/** The build's node_modules moved away: what a machine that got only the output folder has. */
const dropInstall = ({ root }) => fs.renameSync(path.join(root, 'node_modules'), path.join(root, 'node_modules.gone'))

/** A copy of the output folder `outdir`, deployed into a fresh folder named after `label`. */
function deploy(outdir, label) {
  const deployed = path.join(ws.tempDir(label), 'dist')
  fs.cpSync(outdir, deployed, { recursive: true })
  return deployed
}

once.describe('bun build (a bundle, no --compile)', () => {
  for (const version of BUN_MATRIX) {
    it(`Bun ${version}: warms up from the install it was built from, and once that is gone, from the copies the bundler put beside the bundle, verified`, () => {
      const app = ws.createProject({ label: `bundled-${version}` })
      const outdir = bundle(app, version)
      const digest = project.sha256File(app.addonLibrary)
      const inPlace = runBundle(outdir, version)
      assert.strictEqual(inPlace.r.ok, true, inPlace.r.message)
      assert.deepStrictEqual([inPlace.r.value.source, inPlace.r.value.library], ['package', app.addonLibrary])

      // The output folder deployed on its own: the build's node_modules are not there.
      const deployed = deploy(outdir, 'deployed')
      dropInstall(app)
      const out = runBundle(deployed, version)
      assert.strictEqual(out.r.ok, true, out.r.message)
      const s = out.r.value
      assert.deepStrictEqual([s.warmed, s.calls, s.source, s.verification], [true, 1, 'embedded', 'sums-file'])
      assert.ok(s.library.startsWith(deployed + path.sep), s.library)
      assert.strictEqual(s.sha256, digest)
      assert.deepStrictEqual(out.maps.goWarmup, [`memfd:${project.LIB}`])
      assert.strictEqual(out.wrappedWorker, false)
      assert.strictEqual(out.alive, true)
      assert.deepStrictEqual(
        out.maps.addon.map((file) => path.dirname(file)),
        [deployed],
      )
    })
  }

  it(`Bun ${HANGING_BUN}: a bundle built for Node (--target=node, which resolves node.js) and run by Bun warms up and survives WASM`, () => {
    const app = ws.createProject({ label: 'bundled-for-node' })
    const outdir = path.join(app.root, 'dist')
    buildApp(app, HANGING_BUN, ['--target=node', '--outdir', outdir])
    const out = runBundle(outdir, HANGING_BUN)
    assert.strictEqual(out.r.ok, true, out.r.message)
    assert.deepStrictEqual([out.r.value.warmed, out.r.value.source], [true, 'package'])
    assert.strictEqual(out.alive, true)
  })

  it("a bundle run beside another install (node_modules at another path, not at the build's): a Worker starts and sees the warmup", () => {
    // The bundle has the build machine's paths baked in: nothing of the package's own folder is given to a worker.
    const app = ws.createProject({ label: 'bundled-workers' })
    const worker = copyFixture(path.join('compile', 'worker.js'), path.join(app.root, 'worker.js'))
    const outdir = path.join(app.root, 'dist')
    buildApp(app, undefined, [worker, '--target=bun', '--outdir', outdir], 'worker-app.js')
    const deployed = path.join(ws.createProject({ label: 'other-install' }).root, 'dist')
    fs.cpSync(outdir, deployed, { recursive: true })
    dropInstall(app)
    assert.deepStrictEqual(runBundle(deployed), { worker: { warmed: true } })
  })

  it('the bundle deployed without the files beside it: NOT_FOUND naming the fix, no crash', () => {
    const app = ws.createProject({ label: 'bundled-alone' })
    const outdir = bundle(app)
    const alone = ws.tempDir('bundle-alone')
    fs.copyFileSync(path.join(outdir, 'app.js'), path.join(alone, 'app.js'))
    dropInstall(app)
    const out = runBundle(alone)
    assert.strictEqual(out.r.ok, false)
    assert.strictEqual(out.r.code, 'ERR_ASHERAH_WARMUP_NOT_FOUND', out.r.message)
    assert.match(out.r.message, /put beside the bundle, cannot be loaded \(Cannot find module .*Fix: deploy the whole output folder of `bun build`/)
  })

  it('the files beside a deployed bundle, swapped: a FIFO, one byte changed, no sums file: each refused with its code, nothing loaded, no hang', () => {
    const app = ws.createProject({ label: 'bundled-swapped' })
    const outdir = bundle(app)
    dropInstall(app)
    const { name, ext } = path.parse(project.LIB)
    /** A deployed copy of the bundle with `change(file)` done to its library, or to its sums file. */
    const deployedWith = (which, change) => {
      const deployed = deploy(outdir, `swapped-${which}`)
      const pattern = which === 'sums' ? new RegExp(`^${project.SUMS}-`) : new RegExp(`^${name}-.*\\${ext}$`)
      const file = fs.readdirSync(deployed).find((f) => pattern.test(f))
      assert.ok(file, `no ${which} file in ${deployed}`)
      change(path.join(deployed, file))
      return deployed
    }
    const fifo = (file) => {
      fs.rmSync(file)
      project.mkfifo(file)
    }
    const cases = [
      ['library', fifo, 'ERR_ASHERAH_WARMUP_NOT_FOUND', /is a FIFO \(named pipe\), not a regular file\. Fix: deploy the whole output folder/],
      ['library', (file) => fs.writeFileSync(file, project.tampered(fs.readFileSync(file))), 'ERR_ASHERAH_WARMUP_CHECKSUM_MISMATCH', /SHA-256/],
      ['sums', (file) => fs.rmSync(file), 'ERR_ASHERAH_WARMUP_NOT_FOUND', /does not exist\. Fix: deploy the whole output folder/],
    ]
    for (const [which, change, code, message] of cases) {
      const out = runBundle(deployedWith(which, change))
      assert.strictEqual(out.r.ok, false, `${which} ${change.name}: ${JSON.stringify(out.r)}`)
      assert.strictEqual(out.r.code, code, out.r.message)
      assert.match(out.r.message, message)
      assert.deepStrictEqual(out.maps.goWarmup, [], 'a go-warmup library was mapped')
      assert.strictEqual(out.alive, true)
    }
  })
})

once.describe('bun build --compile', () => {
  for (const version of BUN_MATRIX) {
    it(`Bun ${version}: the executable warms up alone, from its embedded library, verified against the embedded sums file`, () => {
      const out = compileAndRunAlone(P, version)
      assert.ok(out.main.startsWith('/$bunfs/'), out.main)
      assert.strictEqual(out.r.ok, true, out.r.message)
      const s = out.r.value
      assert.strictEqual(s.warmed, true)
      assert.strictEqual(s.calls, 1)
      assert.strictEqual(s.source, 'embedded')
      assert.strictEqual(s.verification, 'sums-file')
      assert.strictEqual(s.sha256, project.sha256File(P.addonLibrary))
      assert.deepStrictEqual(out.maps.goWarmup, [`memfd:${project.LIB}`])
      assert.strictEqual(out.alive, true)
    })
  }

  it("two copies of the package in one executable: the second reports the first's embedded load, source and all", () => {
    const app = ws.createProject({ label: 'compiled-two' })
    const nested = project.createProject(path.join(app.root, 'node_modules', 'some-dependency'), {})
    // Another version's addon (one more byte past the end of the ELF file): Bun embeds identical files once.
    fs.appendFileSync(nested.addonNode, Buffer.from([0]))
    const out = compileAndRunAlone(app, undefined, 'two-copies.js')
    assert.strictEqual(out.maps.nodeAddons.length, 2, 'each copy loaded its own embedded addon')
    assert.deepStrictEqual(out.maps.goWarmup, [`memfd:${project.LIB}`])
    for (const r of [out.a, out.b]) {
      assert.strictEqual(r.ok, true, r.message)
      assert.deepStrictEqual([r.value.warmed, r.value.calls, r.value.source, r.value.verification], [true, 1, 'embedded', 'sums-file'])
    }
  })

  it('a Worker in the executable still starts (no preload of a register.js that is not there) and sees the warmup', () => {
    const out = compileAndRunAlone(P, undefined, 'worker-app.js', ['worker.js'])
    assert.deepStrictEqual(out, { worker: { warmed: true } })
  })

  it('built where the platform package was not installed: NOT_FOUND naming the fix, no crash', () => {
    const bare = ws.createProject({ addon: false, label: 'compiled-bare' })
    const out = compileAndRunAlone(bare, undefined)
    assert.strictEqual(out.r.ok, false)
    assert.strictEqual(out.r.code, 'ERR_ASHERAH_WARMUP_NOT_FOUND', out.r.message)
    assert.match(out.r.message, /bun build --compile/)
    assert.match(out.r.message, /Fix: /)
  })
})

describe("the bundler's way to the platform files", () => {
  it('lib/addon.js requires every platform package of the table by a literal path (the only kind Bun embeds), behind process.platform and process.arch (which Bun folds for a --target)', () => {
    const { GO_WARMUP_FILES, packageTriple } = require('../lib/platforms')
    const source = fs.readFileSync(path.join(paths.root, 'lib', 'addon.js'), 'utf8')
    const literal = /if \(process\.platform === '(\w+)' && process\.arch === '(\w+)'\) return require\('([\w-]+)\/embedded\.js'\)/g
    const required = Object.fromEntries([...source.matchAll(literal)].map(([, platform, arch, pkg]) => [`${platform}-${arch}`, pkg]))
    const table = Object.fromEntries(Object.keys(GO_WARMUP_FILES).map((key) => [key, `asherah-warmup-${packageTriple(...key.split('-'))}`]))
    assert.deepStrictEqual(required, table)
  })
})
