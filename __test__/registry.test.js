'use strict'
// Installing `asherah-warmup` by name, as users do, with npm, pnpm, Yarn 1, Yarn Berry
// (nodeLinker: node-modules) and bun install (hoisted and isolated), from a real registry: verdaccio on 127.0.0.1 with
// no uplinks (scripts/registry/serve.js), holding what scripts/pack.js packs. Then, in each
// project, Bun requires the package and must have warmed up from the platform package that
// package manager installed. The install output must carry no `engines` warning.
//
// Nothing reaches past 127.0.0.1: every tool's registry is the local one (in the project's own
// config file, as a user would write it), HOME and the XDG folders are temporary, proxies lead
// nowhere, Bun runs with auto-install off. The package managers are the pinned devDependencies,
// run from this checkout's node_modules (no corepack, which downloads). The time of each step is
// printed. Every child is a tool or runtime named here, so this runs once (suite.js once).
const assert = require('node:assert')
const fs = require('node:fs')
const path = require('node:path')
const { once, it, jsonOf } = require('./helpers/suite')
const paths = require('./helpers/paths')
const { workspace, TRIPLE, LIB } = require('./helpers/project')
const { runCommand, describeRun } = require('./helpers/command')
const { runChild } = require('./helpers/child')
const { isolatedEnv, startRegistry } = require('./helpers/registry')
const { platforms, platformManifest } = require('../scripts/sync-versions')

const ws = workspace()
const ROOT_PKG = JSON.parse(fs.readFileSync(path.join(paths.root, 'package.json'), 'utf8'))
const PLATFORM_PKG = `asherah-warmup-${TRIPLE}`
/** The platform packages of other OSes than this one's: npm installs one of them given that --os and --cpu. */
const PLATFORMS_ELSEWHERE = platforms(ROOT_PKG).filter((p) => p.os !== process.platform)
const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm'
const bin = (...parts) => path.join(paths.root, 'node_modules', ...parts)

let registry
const timings = []
/** Runs and times one step; a failure throws with the command's output. */
async function step(label, cmd, args, options) {
  const res = await runCommand(cmd, args, { timeoutMs: 60000, ...options })
  timings.push(`${label} ${Math.round(res.ms)} ms`)
  if (res.status !== 0) throw new Error(describeRun(`${label}: ${cmd} ${args.join(' ')}`, res))
  return res
}

/**
 * The tarballs scripts/pack.js writes (the root and the platform packages it can build here),
 * and for each platform package it did not write, a stand-in: the real manifest
 * (scripts/sync-versions.js) without the files. The root depends optionally on all four at its
 * version, and Yarn 1 fails the whole install when one is missing from the registry (npm, pnpm,
 * Yarn Berry and Bun skip it); os/cpu keep the stand-ins from being installed on this machine.
 */
async function publishables() {
  const out = ws.tempDir('tarballs')
  const res = await step('pack', paths.node, [path.join(paths.root, 'scripts', 'pack.js'), '--out', out, '--json'], { cwd: paths.root })
  const packed = JSON.parse(res.stdout)
  const standIns = platforms(ROOT_PKG)
    .filter((p) => !packed.some((t) => t.name === p.name))
    .map((p) => {
      const dir = ws.tempDir(`stand-in-${p.triple}`)
      fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify(platformManifest(ROOT_PKG, p), null, 2))
      return dir
    })
  assert.ok(
    packed.some((t) => t.name === PLATFORM_PKG),
    `scripts/pack.js did not pack ${PLATFORM_PKG}`,
  )
  return [...packed.map((t) => t.tarball), ...standIns]
}

once.before(async () => {
  const toPublish = await publishables()
  const started = Date.now()
  registry = await startRegistry(ws.tempDir('registry'))
  timings.push(`registry up ${Date.now() - started} ms`)
  const home = ws.tempDir('publisher')
  const npmrc = path.join(home, '.npmrc')
  fs.writeFileSync(npmrc, `registry=${registry.url}\n${registry.url.replace(/^http:/, '')}:_authToken=${registry.token}\n`)
  const env = isolatedEnv(home, { registry: registry.url, extra: { npm_config_userconfig: npmrc } })
  await Promise.all(
    toPublish.map((what) =>
      step(`publish ${path.basename(what)}`, NPM, ['publish', what, '--registry', registry.url, '--ignore-scripts'], { cwd: home, env, inherit: false }),
    ),
  )
  // Packing five tarballs alone took 19 s on a loaded 2-core machine, where the suite's 30 s cancelled every test of the file.
}, 120000)

once.after(async () => {
  if (registry) await registry.stop()
  if (timings.length) console.log(`[registry] ${timings.join(', ')}`)
  ws.cleanup()
})

/** The registry as each tool's own config file names it, written into the fresh project. */
const CONFIG = {
  '.npmrc': (url) => `registry=${url}\n`,
  'bunfig.toml': (url) => `[install]\nregistry = "${url}"\n`,
  // Yarn Berry: nodeLinker node-modules (Bun has no Plug'n'Play support), plain http allowed for
  // 127.0.0.1 only, and the age gate off: Yarn 4 refuses a version published less than a day
  // ago ("quarantined"), and every version here was published a second ago. Immutable installs
  // off, since CI=true turns them on and `yarn add` writes the lockfile.
  '.yarnrc.yml': (url) =>
    [
      `npmRegistryServer: "${url.replace(/\/$/, '')}"`,
      'unsafeHttpWhitelist:\n  - "127.0.0.1"',
      'nodeLinker: node-modules',
      'npmMinimalAgeGate: 0',
      'enableImmutableInstalls: false',
      'enableGlobalCache: false',
      'enableTelemetry: false',
      '',
    ].join('\n'),
}

/** How each package manager adds a dependency by name, the config file it reads, and its store folder under node_modules, if any. */
const MANAGERS = {
  npm: { config: '.npmrc', cmd: () => [NPM, ['install', 'asherah-warmup']] },
  pnpm: {
    config: '.npmrc',
    store: '.pnpm',
    cmd: (home) => [paths.node, [bin('pnpm', 'bin', 'pnpm.cjs'), 'add', 'asherah-warmup', '--store-dir', path.join(home, 'pnpm-store')]],
  },
  'yarn 1': {
    config: '.npmrc',
    cmd: (home) => [
      paths.node,
      [bin('yarn', 'bin', 'yarn.js'), 'add', 'asherah-warmup', '--non-interactive', '--no-progress', '--cache-folder', path.join(home, 'yarn-cache')],
    ],
  },
  'yarn berry': {
    config: '.yarnrc.yml',
    lockfile: 'yarn.lock',
    cmd: () => [paths.node, [bin('@yarnpkg', 'cli-dist', 'bin', 'yarn.js'), 'add', 'asherah-warmup']],
  },
  bun: { config: 'bunfig.toml', cmd: () => [paths.bun(), ['add', 'asherah-warmup', '--no-progress']] },
  // Bun's isolated layout (the default of Bun 1.3+ workspaces): every package under
  // node_modules/.bun/<name>@<version>/node_modules, the top level only symlinks.
  'bun --linker isolated': {
    config: 'bunfig.toml',
    store: '.bun',
    cmd: () => [paths.bun(), ['add', 'asherah-warmup', '--no-progress', '--linker', 'isolated']],
  },
}

/** A fresh project with only a package.json and the manager's config; installs (with `extra` arguments); returns its folder and output. */
async function install(name, extra = []) {
  const manager = MANAGERS[name]
  const label = [name, ...extra].join(' ').replace(/[^\w]+/g, '-')
  const dir = ws.tempDir(`project-${label}`)
  const home = ws.tempDir(`home-${label}`)
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', private: true }, null, 2))
  fs.writeFileSync(path.join(dir, manager.config), CONFIG[manager.config](registry.url))
  // Yarn Berry takes the nearest folder with a lockfile as the project root.
  if (manager.lockfile) fs.writeFileSync(path.join(dir, manager.lockfile), '')
  const [cmd, args] = manager.cmd(home)
  const res = await step(`${name} install`, cmd, [...args, ...extra], { cwd: dir, env: isolatedEnv(home, { registry: registry.url }), inherit: false })
  return { dir, output: `${res.stdout}\n${res.stderr}` }
}

/** Runs fixtures/children/`child` under Bun (auto-install off) in the project `dir`: what it printed (suite.jsonOf). */
const bunIn = async (dir, child, args) => jsonOf(await runChild(child, { runtime: paths.bun(), execArgv: ['--no-install'], args, cwd: dir }))

/** What Bun reports in the project: status() after require, and where the platform package resolved. */
async function underBun(dir) {
  const out = await bunIn(dir, 'installed-package.js', [{ platform: PLATFORM_PKG }])
  return { status: out.status, platform: out.platform.manifest }
}

once.describe('package managers: install asherah-warmup by name from a local registry, then Bun warms up', () => {
  for (const name of Object.keys(MANAGERS)) {
    it(`${name}`, async () => {
      const { dir, output } = await install(name)
      const engineLines = output.split('\n').filter((l) => /engine/i.test(l))
      assert.deepStrictEqual(engineLines, [], `${name} warned about engines`)

      const { status, platform } = await underBun(dir)
      assert.strictEqual(status.runtime, 'bun')
      assert.strictEqual(status.warmed, true)
      assert.strictEqual(status.result, 1)
      assert.strictEqual(status.source, 'package')
      // The library came from the platform package this manager installed inside the project
      // (pnpm: under node_modules/.pnpm), and that package is the published one.
      const libraryDir = fs.realpathSync(path.dirname(status.library))
      assert.strictEqual(libraryDir, fs.realpathSync(path.dirname(platform)))
      assert.strictEqual(path.basename(status.library), LIB)
      assert.ok(libraryDir.startsWith(fs.realpathSync(dir) + path.sep), `${status.library} is outside the project ${dir}`)
      // A manager with a store of its own (pnpm, Bun isolated) put it there, not at the top level.
      const store = MANAGERS[name].store
      if (store) assert.ok(libraryDir.includes(`${path.sep}node_modules${path.sep}${store}${path.sep}`), `${libraryDir} is not under node_modules/${store}`)
      const manifest = JSON.parse(fs.readFileSync(platform, 'utf8'))
      assert.deepStrictEqual([manifest.name, manifest.version], [PLATFORM_PKG, ROOT_PKG.version])
    })
  }
})

/** What requiring asherah-warmup does under Bun in the project: its status, or its error (fixtures/children/warm.js). */
const requireUnderBun = async (dir) => (await bunIn(dir, 'warm.js', [path.join(dir, 'node_modules', 'asherah-warmup', 'index.js')])).r

once.describe("installs without this platform's package: under Bun the require fails with NOT_FOUND naming the fix", () => {
  it('optional dependencies omitted (npm install --omit=optional): the fix is to include them', async () => {
    const { dir } = await install('npm', ['--omit=optional'])
    assert.ok(!fs.existsSync(path.join(dir, 'node_modules', PLATFORM_PKG)), `${PLATFORM_PKG} was installed`)
    const r = await requireUnderBun(dir)
    assert.strictEqual(r.code, 'ERR_ASHERAH_WARMUP_NOT_FOUND', JSON.stringify(r))
    assert.match(r.message, new RegExp(`the addon for ${TRIPLE} is not installed .*Fix: .*--include=optional`))
  })

  it('installed for another platform (node_modules from a Mac copied into a linux image): the fix says where to install', async () => {
    const other = PLATFORMS_ELSEWHERE[0]
    const { dir } = await install('npm', [`--os=${other.os}`, `--cpu=${other.cpu}`])
    assert.ok(fs.existsSync(path.join(dir, 'node_modules', other.name)), `${other.name} was not installed`)
    const r = await requireUnderBun(dir)
    assert.strictEqual(r.code, 'ERR_ASHERAH_WARMUP_NOT_FOUND', JSON.stringify(r))
    assert.match(r.message, new RegExp(`the addon for ${TRIPLE} is not installed .*Fix: install the dependencies where the app runs.*npm ci in the image`))
  })
})
