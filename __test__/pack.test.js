'use strict'
// The newcomer's path: `npm pack` the root and this machine's platform package
// (scripts/pack.js), install the two tarballs into a fresh project with no network (npm
// --offline and `bun install --offline`, each with an empty cache and an unreachable registry),
// and warm up there: under Bun as a side effect of the require, from the installed platform
// package; under Node nothing native until warmup({ force: true }). Also checks what the tarballs
// hold and that every version agrees with the root's. Sizes and file lists go to
// build/pack/report.json. Every child is a tool or runtime named here, so this runs once
// (suite.js once).
const assert = require('node:assert')
const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')
const { spawnSync } = require('node:child_process')
const suite = require('./helpers/suite')
const paths = require('./helpers/paths')
const { runChild } = require('./helpers/child')
const { TRIPLE, LIB, SUMS, ADDON_FILE: ADDON } = require('./helpers/project')
const { platforms, staleFiles, derivedFiles, releaseManifest, platformManifest } = require('../scripts/sync-versions')

const it = (name, fn) => suite.it(name, fn, 120000)

const ROOT_PKG = JSON.parse(fs.readFileSync(path.join(paths.root, 'package.json'), 'utf8'))
const PLATFORM_PKG = `asherah-warmup-${TRIPLE}`
const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm'
/** Nothing listens here: any registry request fails at once instead of reaching the network. */
const NO_REGISTRY = 'http://127.0.0.1:9/'

/** No platform package for this machine (musl, Windows, ...): nothing to pack or install. */
const describe = TRIPLE ? suite.once.describe : suite.describe.skip

let tmp
let packed // scripts/pack.js --json summary, made once by the first test that needs it
const projects = {}

function run(cmd, args, opts = {}) {
  const res = spawnSync(cmd, args, { encoding: 'utf8', timeout: 90000, ...opts })
  assert.strictEqual(res.status, 0, `${cmd} ${args.join(' ')} exited ${res.status} ${res.signal ?? ''}\n${res.stdout}\n${res.stderr}`)
  return res
}

function pack() {
  if (packed) return packed
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'asherah-warmup-pack-'))
  const res = run(paths.node, [path.join(paths.root, 'scripts', 'pack.js'), '--out', path.join(tmp, 'tarballs'), '--json', '--host'], { cwd: paths.root })
  packed = JSON.parse(res.stdout)
  const report = path.join(paths.root, 'build', 'pack', 'report.json')
  fs.mkdirSync(path.dirname(report), { recursive: true })
  fs.writeFileSync(
    report,
    `${JSON.stringify(
      packed.map(({ tarball, ...rest }) => ({ tarball: path.basename(tarball), ...rest })),
      null,
      2,
    )}\n`,
  )
  for (const p of packed)
    console.log(`[pack] ${path.basename(p.tarball)}: ${p.size} bytes (unpacked ${p.unpackedSize}), ${p.files.length} files: ${p.files.join(' ')}`)
  return packed
}
const tarball = (kind) => pack().find((p) => p.kind === kind)

/** A fresh project folder with its own empty package-manager cache and npm user config. */
function freshProject(name, manifest = {}) {
  const dir = path.join(tmp, name)
  fs.mkdirSync(path.join(dir, 'cache'), { recursive: true })
  fs.writeFileSync(path.join(dir, 'npmrc'), '')
  fs.writeFileSync(path.join(dir, 'package.json'), `${JSON.stringify({ name: `newcomer-${name}`, version: '1.0.0', private: true, ...manifest }, null, 2)}\n`)
  return dir
}

/** Env that keeps every package manager away from the user's config and the network. */
const offlineEnv = (dir) => ({
  ...process.env,
  npm_config_userconfig: path.join(dir, 'npmrc'),
  npm_config_cache: path.join(dir, 'cache'),
  npm_config_registry: NO_REGISTRY,
  npm_config_offline: 'true',
  npm_config_update_notifier: 'false',
  BUN_INSTALL_CACHE_DIR: path.join(dir, 'cache'),
  BUN_CONFIG_REGISTRY: NO_REGISTRY,
})

function npmProject() {
  if (projects.npm) return projects.npm
  const [root, platform] = [tarball('root').tarball, tarball('platform').tarball]
  const dir = freshProject('npm')
  run(NPM, ['install', '--offline', '--no-audit', '--no-fund', '--ignore-scripts', '--registry', NO_REGISTRY, root, platform], {
    cwd: dir,
    env: offlineEnv(dir),
  })
  projects.npm = dir
  return dir
}

function bunProject() {
  if (projects.bun) return projects.bun
  const [root, platform] = [tarball('root').tarball, tarball('platform').tarball]
  // Bun takes a local tarball as a dependency's version: `"name": "/path/to/name-1.0.0.tgz"`.
  const dir = freshProject('bun', { dependencies: { 'asherah-warmup': root, [PLATFORM_PKG]: platform } })
  run(paths.bun(), ['install', '--offline', '--no-progress', '--ignore-scripts', '--cache-dir', path.join(dir, 'cache'), '--registry', NO_REGISTRY], {
    cwd: dir,
    env: offlineEnv(dir),
  })
  projects.bun = dir
  return dir
}

/** Asserts a `mapped()` result where the platform can tell. */
const assertMapped = (value, expected, what) => {
  if (value !== null || fs.existsSync('/proc/self/maps')) assert.strictEqual(value, expected, what)
}

/**
 * What the package reports in the project `dir` under `runtime` (fixtures/children/installed-package.js,
 * with its `options`): its status, and whether our native files are loaded (/proc/self/maps on
 * linux; Node's diagnostic report elsewhere; null where neither can tell).
 */
async function inProject(runtime, dir, options = {}) {
  return suite.jsonOf(
    await runChild('installed-package.js', {
      runtime,
      cwd: dir,
      args: [{ ours: [ADDON, LIB], ...options }],
    }),
  )
}

function assertWarmedFromPackage(status, dir, runtime) {
  assert.strictEqual(status.runtime, runtime)
  assert.strictEqual(status.warmed, true)
  assert.strictEqual(status.result, 1)
  assert.strictEqual(status.calls, 1)
  assert.strictEqual(status.source, 'package')
  // The library came from the installed platform package, not from this checkout's npm/.
  assert.strictEqual(fs.realpathSync(path.dirname(status.library)), fs.realpathSync(path.join(dir, 'node_modules', PLATFORM_PKG)))
  assert.strictEqual(path.basename(status.library), LIB)
}

const underBun = (dir) => inProject(paths.bun(), dir, { platform: PLATFORM_PKG })

describe('pack: tarballs', () => {
  it('the root tarball holds the JS layer, its types and the CLI, and nothing of src/, tests, npm/ or native files', () => {
    const files = tarball('root').files
    for (const f of [
      'package.json',
      'index.js',
      'index.d.ts',
      'register.js',
      'register.d.ts',
      'lib/api.js',
      'lib/addon.js',
      'lib/platforms.js',
      'generated/binding.d.ts',
      'bin/asherah-warmup.js',
    ]) {
      assert.ok(files.includes(f), `root tarball lacks ${f}: ${files.join(', ')}`)
    }
    const stray = files.filter(
      (f) => /^(src|__test__|npm|scripts|go|target|dist|build|examples|\.github)\//.test(f) || /\.(node|so|dylib|a|rs|tgz)$/.test(f) || /^Cargo\./.test(f),
    )
    assert.deepStrictEqual(stray, [], `root tarball carries ${stray.join(', ')}`)
  })

  it('the platform tarball holds exactly its addon, its go-warmup library and the sums file', () => {
    const files = tarball('platform').files
    assert.deepStrictEqual(files, [ADDON, LIB, SUMS, 'README.md', 'embedded.js', 'package.json'].sort())
    assert.ok(tarball('platform').size > 100 * 1024, 'platform tarball suspiciously small')
  })

  it('every version agrees with the root package.json (scripts/sync-versions.js --check)', () => {
    assert.deepStrictEqual(staleFiles(), [], 'run node scripts/sync-versions.js')
    for (const p of platforms(ROOT_PKG)) {
      const m = JSON.parse(fs.readFileSync(path.join(paths.root, p.dir, 'package.json'), 'utf8'))
      assert.strictEqual(m.name, `asherah-warmup-${p.triple}`)
      assert.strictEqual(m.version, ROOT_PKG.version)
      assert.strictEqual(m.main, p.addon)
      assert.deepStrictEqual(m.files, [p.addon, p.library, p.sums, 'embedded.js'])
      assert.deepStrictEqual([m.os, m.cpu, m.libc], [[p.os], [p.cpu], p.os === 'linux' ? ['glibc'] : undefined])
      assert.deepStrictEqual(m.engines, ROOT_PKG.engines)
    }
    const cargo = fs.readFileSync(path.join(paths.root, 'Cargo.toml'), 'utf8')
    assert.match(cargo, new RegExp(`^version = "${ROOT_PKG.version.replace(/\./g, '\\.')}"$`, 'm'))
    // A bump changes every derived file that carries the version, Cargo's two included (README.md,
    // embedded.js and the addon's src/platform.rs follow the platform table only).
    const bumped = derivedFiles({ ...ROOT_PKG, version: '9.8.7' })
    assert.strictEqual(bumped.length, platforms(ROOT_PKG).length * 3 + 3)
    const tableOnly = /(README\.md|embedded\.js|platform\.rs)$/
    for (const [file, text] of bumped.filter(([f]) => !tableOnly.test(f))) {
      assert.ok(text.includes('9.8.7'), `${file} would not follow a version bump`)
    }
  })

  it('a release adds `repository` (npm provenance compares it with the source repository) to every manifest', () => {
    const url = 'https://github.com/example/asherah-warmup'
    assert.deepStrictEqual(releaseManifest(ROOT_PKG, { repository: url }).repository, { type: 'git', url })
    for (const p of platforms(ROOT_PKG)) {
      assert.deepStrictEqual(platformManifest({ ...ROOT_PKG, repository: url }, p).repository, { type: 'git', url, directory: `npm/${p.triple}` })
    }
    // The checkout's own manifest stays free of the optionalDependencies (npm ci would reject them).
    assert.strictEqual(ROOT_PKG.optionalDependencies, undefined)
  })

  it('the packed root manifest depends optionally on the four platform packages at exactly its version', () => {
    const dir = npmProject()
    const m = JSON.parse(fs.readFileSync(path.join(dir, 'node_modules', 'asherah-warmup', 'package.json'), 'utf8'))
    assert.strictEqual(m.version, ROOT_PKG.version)
    const want = Object.fromEntries(platforms(ROOT_PKG).map((p) => [p.name, ROOT_PKG.version]))
    assert.deepStrictEqual(m.optionalDependencies, want)
    assert.deepStrictEqual(Object.keys(m.exports), ['.', './register', './package.json'])
    assert.strictEqual(m.types, 'index.d.ts')
    const pm = JSON.parse(fs.readFileSync(path.join(dir, 'node_modules', PLATFORM_PKG, 'package.json'), 'utf8'))
    assert.strictEqual(pm.version, ROOT_PKG.version)
  })
})

describe('pack: offline install with npm', () => {
  it('under Bun, require("asherah-warmup") warms up from the installed platform package', async () => {
    const dir = npmProject()
    const out = await underBun(dir)
    assertWarmedFromPackage(out.status, dir, 'bun')
    assertMapped(out.mapped, true, 'our files not loaded')
    assert.ok(out.platform.main.startsWith(path.join(dir, 'node_modules', PLATFORM_PKG)), out.platform.main)
  })

  it('under Node, require maps no native file and warmup({ force: true }) warms up from the package', async () => {
    const dir = npmProject()
    const out = await inProject(paths.node, dir, { force: true })
    assertMapped(out.before.mapped, false, 'require mapped a native file under Node')
    assert.strictEqual(out.before.status.warmed, false)
    assert.strictEqual(out.before.status.calls, 0)
    assertWarmedFromPackage(out.status, dir, 'node')
    assertMapped(out.mapped, true, 'warmup({ force: true }) loaded nothing')
  })

  it('the register entry resolves through the exports map', async () => {
    const dir = npmProject()
    const out = await inProject(paths.bun(), dir, { register: true })
    assertWarmedFromPackage(out.status, dir, 'bun')
  })
})

describe('pack: offline install with bun install', () => {
  it('under Bun, require("asherah-warmup") warms up from the installed platform package', async () => {
    const dir = bunProject()
    const out = await underBun(dir)
    assertWarmedFromPackage(out.status, dir, 'bun')
    assertMapped(out.mapped, true, 'our files not loaded')
  })

  it('under Node, require maps no native file and warmup({ force: true }) works', async () => {
    const dir = bunProject()
    const out = await inProject(paths.node, dir, { force: true })
    assertMapped(out.before.mapped, false, 'require mapped a native file under Node')
    assertWarmedFromPackage(out.status, dir, 'node')
  })
})

// `npm run pack:npm`: the whole release from one linux machine. Needs every platform built
// (scripts/build.sh all), which only a linux host does; the Mac CI jobs test the host's package.
let all // pack.js --all --json, once
function packAll() {
  if (all) return all
  pack() // makes tmp
  const res = run(paths.node, [path.join(paths.root, 'scripts', 'pack.js'), '--out', path.join(tmp, 'all'), '--json'], { cwd: paths.root })
  all = JSON.parse(res.stdout)
  return all
}
/** The package.json inside a tarball. */
const packedManifest = (tgz) => JSON.parse(run('tar', ['-xzOf', tgz, 'package/package.json']).stdout)
const describeAll = TRIPLE && process.platform === 'linux' ? suite.once.describe : suite.describe.skip

describeAll('pack: npm run pack:npm packs the root and the four platform packages', () => {
  it('five tarballs: each platform holds its addon, its go-warmup library and its sums file, with os/cpu (and libc on linux)', () => {
    const packedAll = packAll()
    assert.deepStrictEqual(packedAll.map((p) => p.name).sort(), [ROOT_PKG.name, ...platforms(ROOT_PKG).map((p) => p.name)].sort())
    for (const p of platforms(ROOT_PKG)) {
      const t = packedAll.find((x) => x.name === p.name)
      assert.deepStrictEqual(t.files, [p.addon, p.library, p.sums, 'README.md', 'embedded.js', 'package.json'].sort(), p.name)
      const m = packedManifest(t.tarball)
      assert.deepStrictEqual([m.version, m.os, m.cpu, m.libc], [ROOT_PKG.version, [p.os], [p.cpu], p.os === 'linux' ? ['glibc'] : undefined], p.name)
      // The sums file in the tarball lists the library in the tarball.
      const sums = run('tar', ['-xzOf', t.tarball, `package/${p.sums}`]).stdout
      const lib = spawnSync('tar', ['-xzOf', t.tarball, `package/${p.library}`], { maxBuffer: 1 << 26 }).stdout
      assert.strictEqual(sums, `${require('node:crypto').createHash('sha256').update(lib).digest('hex')}  ./${p.library}\n`, p.name)
      assert.ok(t.size > 100 * 1024, `${p.name}: ${t.size} bytes packed`)
    }
  })

  it('npm publish --dry-run accepts each tarball (offline: nothing reaches a registry) and refuses a broken one', () => {
    const dir = freshProject('publish')
    const publish = (tgz) =>
      spawnSync(NPM, ['publish', '--dry-run', '--offline', '--ignore-scripts', '--registry', NO_REGISTRY, tgz], {
        cwd: dir,
        env: offlineEnv(dir),
        encoding: 'utf8',
        timeout: 60000,
      })
    for (const t of packAll()) {
      const res = publish(t.tarball)
      assert.strictEqual(res.status, 0, `${t.name}: npm publish --dry-run exited ${res.status}\n${res.stdout}\n${res.stderr}`)
      assert.match(res.stdout, new RegExp(`^\\+ ${t.name}@${t.version.replace(/\./g, '\\.')}$`, 'm'))
    }
    const broken = path.join(dir, 'broken.tgz')
    fs.writeFileSync(broken, 'not a tarball')
    assert.notStrictEqual(publish(broken).status, 0, 'npm publish --dry-run accepted a file that is not a tarball')
  })
})

suite.after(() => {
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true })
})
