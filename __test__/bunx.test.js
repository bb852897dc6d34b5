'use strict'
// `bunx asherah-warmup doctor` must check Bun. bunx runs a `#!/usr/bin/env node` bin under Node
// (and says so only through npm_lifecycle_event=bunx, npm_config_user_agent=bun/... and
// npm_execpath=<bun>), so the bin re-runs itself under that Bun; `bunx --bun` runs it under Bun
// already; npx and a plain `node node_modules/.bin/...` stay on Node. Each case runs the real tool
// in an install-shaped project with the bin linked as npm links it, and reads the runtime that
// doctor --json reports. Every child is a tool or runtime named here, so this runs once (suite.js
// once).
const assert = require('node:assert')
const fs = require('node:fs')
const path = require('node:path')
const { once, it, after } = require('./helpers/suite')
const paths = require('./helpers/paths')
const { workspace } = require('./helpers/project')
const { runCommand, describeRun } = require('./helpers/command')
const { isolatedEnv } = require('./helpers/registry')

const ws = workspace()
after(() => ws.cleanup())

const BUN = fs.realpathSync(paths.bun())
const NPX = process.platform === 'win32' ? 'npx.cmd' : 'npx'

/** The project: the package installed, its bin linked into node_modules/.bin as npm does. */
let project
function binProject() {
  if (project) return project
  project = ws.createProject({ label: 'bunx' })
  const bin = path.join(project.root, 'node_modules', '.bin')
  fs.mkdirSync(bin, { recursive: true })
  fs.symlinkSync(path.join('..', 'asherah-warmup', 'bin', 'asherah-warmup.js'), path.join(bin, 'asherah-warmup'))
  // A Bun preload that kills the process with DIE_BY's signal: how the signal test makes the real
  // Bun child die by a signal. Node never reads bunfig.toml.
  for (const file of ['die.js', 'bunfig.toml']) fs.copyFileSync(path.join(__dirname, 'fixtures', 'bunx', file), path.join(project.root, file))
  const manifest = JSON.parse(fs.readFileSync(path.join(project.root, 'package.json'), 'utf8'))
  fs.writeFileSync(path.join(project.root, 'package.json'), JSON.stringify({ ...manifest, scripts: { doctor: 'asherah-warmup doctor' } }))
  return project
}

/** What bunx puts in its child's environment (measured with Bun 1.4.5). */
const bunxEnv = () => ({
  npm_lifecycle_event: 'bunx',
  npm_config_user_agent: 'bun/1.4.5 npm/? node/v24 linux x64',
  npm_execpath: BUN,
})

/**
 * A user's shell (helpers/registry.js): no npm_* variables from whatever started this test run, a
 * registry nothing listens on, so bunx or npx could never fetch the package instead of using the
 * project's own bin; npx told to stay offline as well.
 */
const run = (cmd, args, env = {}) =>
  runCommand(cmd, args, {
    cwd: binProject().root,
    env: isolatedEnv(ws.tempDir('home'), { extra: { npm_config_offline: 'true', ...env } }),
    inherit: false,
    timeoutMs: 20000,
  })

/** Runs `doctor --json` through `cmd args` (`bun run doctor` adds only --json); returns the runtime doctor reports. */
async function doctorRuntime(cmd, args, env) {
  const res = await run(cmd, [...args, ...(args[0] === 'run' ? [] : ['doctor']), '--json'], env)
  assert.ok(res.json?.runtime, describeRun(`${cmd} ${args.join(' ')} doctor --json`, res))
  return res.json.runtime
}

once.describe('bin: the runtime doctor checks is the one the user asked for', () => {
  it('bun x asherah-warmup doctor (bunx) checks Bun, the same Bun that bunx is', async () => {
    const runtime = await doctorRuntime(BUN, ['x', 'asherah-warmup'])
    assert.strictEqual(runtime.name, 'bun')
    assert.strictEqual(fs.realpathSync(runtime.execPath), BUN)
  })

  it('bun x --bun asherah-warmup doctor checks Bun', async () => {
    const runtime = await doctorRuntime(BUN, ['x', '--bun', 'asherah-warmup'])
    assert.strictEqual(runtime.name, 'bun')
  })

  it('npx asherah-warmup doctor checks Node', async () => {
    const runtime = await doctorRuntime(NPX, ['--no-install', 'asherah-warmup'])
    assert.strictEqual(runtime.name, 'node')
  })

  it('node node_modules/.bin/asherah-warmup doctor checks Node', async () => {
    const runtime = await doctorRuntime(paths.node, [path.join('node_modules', '.bin', 'asherah-warmup')])
    assert.strictEqual(runtime.name, 'node')
  })

  it('bun run <script> (not bunx) leaves the bin on Node, as bun run means it without --bun', async () => {
    const runtime = await doctorRuntime(BUN, ['run', 'doctor'])
    assert.strictEqual(runtime.name, 'node')
  })
})

once.describe('bin: the re-run under Bun', () => {
  it('passes the exit code through (a usage error is 2, its message printed once)', async () => {
    const res = await run(BUN, ['x', 'asherah-warmup', 'doctor', '--no-such-option'])
    assert.strictEqual(res.status, 2, describeRun('bun x asherah-warmup doctor --no-such-option', res))
    assert.strictEqual(res.stderr.match(/unknown option '--no-such-option'/gi)?.length, 1, res.stderr)
  })

  it('dies of the signal that killed the Bun child', async () => {
    // Node started as bunx starts it, so the signal seen is Node's own and not bunx's report of it.
    const res = await run(paths.node, [path.join('node_modules', '.bin', 'asherah-warmup'), 'doctor', '--json'], { ...bunxEnv(), DIE_BY: 'SIGTERM' })
    assert.strictEqual(res.signal, 'SIGTERM', describeRun('node .bin/asherah-warmup under a dying Bun', res))
  })

  it('runs once: a re-run child never re-runs itself, even when npm_execpath names a Node', async () => {
    // Without the marker, Node re-running itself under a "bun" that is Node again would loop
    // until the deadline; with it, the first child runs doctor.
    const runtime = await doctorRuntime(paths.node, [path.join('node_modules', '.bin', 'asherah-warmup')], { ...bunxEnv(), npm_execpath: paths.node })
    assert.strictEqual(runtime.name, 'node')
  })

  it('falls back to Node, saying so, when the Bun it names cannot start', async () => {
    const missing = path.join(binProject().root, 'no-such-bun')
    const res = await run(paths.node, [path.join('node_modules', '.bin', 'asherah-warmup'), 'doctor', '--json'], { ...bunxEnv(), npm_execpath: missing })
    assert.strictEqual(res.json?.runtime?.name, 'node', describeRun('fallback', res))
    assert.match(res.stderr, /could not re-run under Bun/)
  })
})
