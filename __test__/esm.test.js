'use strict'
// ESM consumers: `import { warmup, ..., codes } from 'asherah-warmup'` and the side-effect
// `import 'asherah-warmup/register'`, in an install-shaped project, under Node, Bun and Deno.
//
// The package is CommonJS. Node (cjs-module-lexer) and Deno (their own lexer) find a CJS module's
// named exports by reading its source, not by running it: a name added with
// Object.defineProperties, or whose value is an arrow function inside the exports literal, is not
// importable by name there, though `require` sees it. Bun runs the module and sees every name.
// So the list of names to import comes from index.d.ts (the TypeScript compiler API reads every
// value it declares): the types promise each of them to an ESM importer, and this test holds
// every runtime to that promise. Runs under `node --test` and `bun test`.
const assert = require('node:assert')
const fs = require('node:fs')
const path = require('node:path')
const ts = require('typescript')
const { describe, it, after } = require('./helpers/suite')
const paths = require('./helpers/paths')
const { workspace } = require('./helpers/project')
const { runCommand, describeRun } = require('./helpers/command')
const { CLEAN_ENV } = require('./helpers/child')

const ws = workspace()
after(() => ws.cleanup())

/**
 * Every value (not type) that a module's .d.ts exports, with the typeof an importer must get:
 * 'function' for a declared function, otherwise only "defined" is promised.
 */
function declaredValues(dts) {
  // noLib/noResolve: the binder alone assigns symbol flags, no type checking (and no lib) needed.
  const program = ts.createProgram([dts], { noLib: true, noResolve: true, types: [] })
  const checker = program.getTypeChecker()
  const moduleSymbol = checker.getSymbolAtLocation(program.getSourceFile(dts))
  return checker
    .getExportsOfModule(moduleSymbol)
    .filter((s) => s.flags & ts.SymbolFlags.Value)
    .map((s) => ({ name: s.name, kind: s.flags & ts.SymbolFlags.Function ? 'function' : 'defined' }))
    .sort((a, b) => a.name.localeCompare(b.name))
}

const DECLARED = declaredValues(path.join(paths.root, 'index.d.ts'))
const NAMES = DECLARED.map((d) => d.name)

/**
 * The project: the package as installed, a module per name that imports just that name (so one
 * missing name cannot hide the others: a missing named import fails the whole importing module at
 * link time), one module importing them all as an app would (both written from the declared
 * names), and from fixtures/esm/ one doing the side-effect import of register and a driver that
 * imports each in turn and prints what it found as one JSON line.
 */
function esmProject() {
  const p = ws.createProject({ label: 'esm' })
  const write = (file, text) => fs.writeFileSync(path.join(p.root, file), text)
  fs.mkdirSync(path.join(p.root, 'by-name'))
  for (const name of NAMES) {
    write(`by-name/${name}.mjs`, `import { ${name} } from 'asherah-warmup'\nexport const type = typeof ${name}\n`)
  }
  write('all-names.mjs', `import { ${NAMES.join(', ')} } from 'asherah-warmup'\nexport const types = { ${NAMES.map((n) => `${n}: typeof ${n}`).join(', ')} }\n`)
  fs.cpSync(path.join(__dirname, 'fixtures', 'esm'), p.root, { recursive: true })
  return p
}

let project
const projectOnce = () => (project ??= esmProject())

const RUNTIMES = {
  node: () => [paths.node, ['driver.mjs'], {}],
  bun: () => [paths.bun(), ['driver.mjs'], {}],
  // Deno 2.9 resolves a bare specifier from a local node_modules only in "manual" mode: with a
  // package.json beside the script it picks that mode itself, without one it refuses ("not a
  // dependency"); the flag makes it explicit. Its own cache dir, so no earlier run's analysis of
  // the CommonJS exports is reused, and a registry nothing listens on, so it can fetch nothing.
  deno: (root) => [
    path.join(paths.tools, 'deno'),
    ['run', '--allow-all', '--node-modules-dir=manual', 'driver.mjs'],
    { DENO_DIR: path.join(root, '.deno'), NPM_CONFIG_REGISTRY: 'http://127.0.0.1:9/', DENO_NO_UPDATE_CHECK: '1' },
  ],
}

/** One driver run per runtime, shared by that runtime's checks. */
const runs = {}
const importAll = (runtime) => (runs[runtime] ??= runDriver(runtime))
async function runDriver(runtime) {
  const p = projectOnce()
  const [cmd, args, env] = RUNTIMES[runtime](p.root)
  const res = await runCommand(cmd, args, { cwd: p.root, env: { ...CLEAN_ENV, ...env }, timeoutMs: 25000 })
  assert.ok(res.status === 0 && res.json, describeRun(`${runtime} driver.mjs`, res))
  return res.json
}

describe('ESM: the names index.d.ts declares', () => {
  it('are read from index.d.ts (a parse that found nothing would make every check below vacuous)', () => {
    assert.ok(NAMES.length >= 8 && NAMES.includes('warmup') && NAMES.includes('codes'), `declared values: ${NAMES.join(', ')}`)
  })
})

for (const runtime of Object.keys(RUNTIMES)) {
  describe(`ESM under ${runtime}`, () => {
    it('every declared value imports by name, one module per name, and has the declared kind', async () => {
      const out = await importAll(runtime)
      const wrong = DECLARED.filter(({ name, kind }) =>
        kind === 'function' ? out.byName[name] !== 'function' : out.byName[name] === 'undefined' || /Error/.test(out.byName[name]),
      )
      assert.deepStrictEqual(
        wrong.map((d) => `${d.name}: ${out.byName[d.name]}`),
        [],
        `not importable by name under ${runtime}`,
      )
    })

    it('one module importing every name at once links (what an app writes)', async () => {
      const out = await importAll(runtime)
      assert.strictEqual(typeof out.all, 'object', `under ${runtime}: ${out.all}`)
      assert.deepStrictEqual(Object.keys(out.all).sort(), NAMES)
    })

    it('index.d.ts declares exactly what module.exports holds (the default import)', async () => {
      const out = await importAll(runtime)
      assert.deepStrictEqual(out.cjsKeys, NAMES)
    })

    it("the named exports are lib/api.js's names, and no other (index.js names them without loading it)", async () => {
      const out = await importAll(runtime)
      assert.deepStrictEqual(out.namedKeys, Object.keys(require('../lib/api.js')).sort())
    })

    it("import 'asherah-warmup/register' loads, and warms up under Bun only", async () => {
      const out = await importAll(runtime)
      assert.strictEqual(out.register, 'ok')
      assert.strictEqual(out.status.runtime, runtime)
      assert.strictEqual(out.status.warmed, runtime === 'bun')
      if (runtime === 'bun') assert.strictEqual(out.status.source, 'package')
    })

    it(`${runtime === 'bun' ? 'maps the addon and the go-warmup library' : 'maps no native file of ours'}, after every import and status()`, async () => {
      const { mapped } = await importAll(runtime)
      if (mapped === null) return // no /proc/self/maps here
      const kinds = mapped.map((file) => (file.endsWith('.node') ? 'addon' : 'library'))
      assert.deepStrictEqual([...new Set(kinds)].sort(), runtime === 'bun' ? ['addon', 'library'] : [], mapped.join(', '))
    })
  })
}
