'use strict'
// The published types, as a TypeScript consumer meets them:
//  - __test__/types/consumer/tsconfig.*.json compiled with the pinned tsc (--strict, no
//    @types/node, skipLibCheck off) inside a project whose node_modules/asherah-warmup is the
//    package as installed: resolution goes through its own `exports`/`types`, under
//    moduleResolution node16 (an ESM and a CJS file) and bundler;
//  - @arethetypeswrong/cli on the tarball scripts/pack.js makes (what npm would publish): every
//    entry point under node10, node16 from CJS and from ESM, and bundler, with no problem.
// tsc and attw run under Node whatever the runner, so this runs once (suite.js once).
const assert = require('node:assert')
const fs = require('node:fs')
const path = require('node:path')
const { once, it, after } = require('./helpers/suite')
const paths = require('./helpers/paths')
const { workspace, installWarmup } = require('./helpers/project')
const { runCommand, describeRun, mustRun } = require('./helpers/command')

const ws = workspace()
after(() => ws.cleanup())

const CONSUMER = path.join(paths.root, '__test__', 'types', 'consumer')
const TSC = path.join(paths.root, 'node_modules', 'typescript', 'bin', 'tsc')
const ATTW = path.join(paths.root, 'node_modules', '@arethetypeswrong', 'cli', 'dist', 'index.js')
const CONFIGS = fs
  .readdirSync(CONSUMER)
  .filter((f) => /^tsconfig\.(?!base\.).*\.json$/.test(f))
  .sort()

/** A temp project: the consumer sources and configs beside node_modules/asherah-warmup. */
let consumerRoot
function consumerProject() {
  if (consumerRoot) return consumerRoot
  const root = ws.tempDir('types-consumer')
  fs.cpSync(CONSUMER, root, { recursive: true })
  fs.writeFileSync(path.join(root, 'package.json'), JSON.stringify({ name: 'types-consumer', private: true }))
  installWarmup(root)
  consumerRoot = root
  return root
}

once.describe('types: a strict consumer without @types/node', () => {
  it('has consumer configs for node16 and bundler resolution', () => {
    assert.deepStrictEqual(CONFIGS, ['tsconfig.bundler.json', 'tsconfig.node16.json'])
  })

  for (const config of CONFIGS) {
    it(`${config} compiles with tsc, resolving the installed package and no @types`, async () => {
      const root = consumerProject()
      // --listFiles: which declaration files the compile really read.
      const res = await runCommand(paths.node, [TSC, '-p', config, '--listFiles', '--pretty', 'false'], { cwd: root, timeoutMs: 60000 })
      const errors = res.stdout.split('\n').filter((l) => /error TS\d+/.test(l))
      assert.deepStrictEqual(errors, [], `tsc -p ${config} reported errors`)
      assert.strictEqual(res.status, 0, describeRun(`tsc -p ${config}`, res))
      const files = res.stdout
        .split('\n')
        .map((l) => l.trim())
        .filter(Boolean)
      const installed = fs.realpathSync(path.join(root, 'node_modules', 'asherah-warmup'))
      for (const dts of ['index.d.ts', 'register.d.ts']) {
        assert.ok(
          files.some((f) => fs.realpathSync(f) === path.join(installed, dts)),
          `tsc did not read the installed ${dts}:\n${files.join('\n')}`,
        )
      }
      const ambient = files.filter((f) => f.includes(`${path.sep}@types${path.sep}`))
      assert.deepStrictEqual(ambient, [], 'the compile read @types packages')
    })
  }
})

once.describe('types: @arethetypeswrong/cli on the packed tarball', () => {
  it('finds no problem in any entry point under node10, node16 (CJS and ESM) and bundler', async () => {
    const out = ws.tempDir('attw')
    const packed = (await mustRun(paths.node, [path.join(paths.root, 'scripts', 'pack.js'), '--out', out, '--json'], { cwd: paths.root, timeoutMs: 90000 }))
      .stdout
    const root = JSON.parse(packed).find((p) => p.kind === 'root')
    // A local tarball is read from disk: attw fetches only with --from-npm, or @types when asked
    // (--no-definitely-typed); measured to pass in a network namespace with no interface up.
    const res = await runCommand(paths.node, [ATTW, '--no-definitely-typed', '--format', 'json', root.tarball], {
      cwd: out,
      timeoutMs: 60000,
      env: { NO_COLOR: '1' },
    })
    let report
    try {
      report = JSON.parse(res.stdout)
    } catch {
      assert.fail(describeRun('attw', res))
    }
    const entrypoints = Object.keys(report.analysis.entrypoints).sort()
    assert.deepStrictEqual(entrypoints, ['.', './package.json', './register'])
    // attw groups problems by kind ({} when there are none).
    assert.deepStrictEqual(Object.keys(report.problems ?? {}), [], `attw problems: ${JSON.stringify(report.problems, null, 2)}`)
    assert.strictEqual(res.status, 0, describeRun('attw', res))
  })
})
