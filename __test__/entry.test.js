'use strict'
// The package entries (index.js, and node.js, which copies its doorway) name lib/api.js's exports without loading it: an object literal
// assigned to module.exports, which Node's ESM import reads from the source (cjs-module-lexer),
// whose names hold stand-ins when a require needs nothing (Node and Deno by default): plain
// values, since an ESM import reads every name as it imports. The list is written into index.js
// from lib/api.js's exports (scripts/sync-versions.js); here every name is checked against the
// API's own value. Asked in fresh children whatever the runner: the stand-ins exist only where a
// require needs nothing.
const assert = require('node:assert')
const path = require('node:path')
const { describe, it, once, after, RUNTIMES, runChild, jsonOf } = require('./helpers/suite')
const paths = require('./helpers/paths')
const project = require('./helpers/project')
const { BUN_MATRIX } = require('../scripts/lib/signal-scenarios')

const INDEX = path.join(paths.root, 'index.js')
/** Node's and Deno's entry (package.json "exports"), with index.js's doorway copied in (scripts/sync-versions.js). */
const NODE_ENTRY = path.join(paths.root, 'node.js')
const API = path.join(paths.root, 'lib', 'api.js')
/** The API's names, in its order: Object.keys of lib/api.js, which has no side effects. */
const API_NAMES = Object.keys(require(API))

/** What the entry `file`'s module.exports is before and after first use, in a Node child (fixtures/children/entry-exports.js). */
const entryIn = async (file, mode) => jsonOf(await runChild('entry-exports.js', { runtime: RUNTIMES.node, args: [file, API, ...(mode ? [mode] : [])] }))
const plainRuns = {}
/** entryIn() without a mode, run once per entry for the three tests that read it. */
const plainEntry = (file) => (plainRuns[file] ??= entryIn(file))

describe("bench/startup.js's A/B pieces", () => {
  it('each takes its piece out of index.js as it is (every edit matches exactly once), so `npm run bench` runs', () => {
    const { VARIANTS, entryWithout } = require('../bench/startup')
    const entry = require('node:fs').readFileSync(INDEX, 'utf8')
    // The control takes nothing out; every other variant changes the entry.
    for (const v of VARIANTS) assert.strictEqual(entryWithout(v, entry) === entry, !v.replace && !v.of, v.id)
  })
})

describe("bench/lines.js's count of src/ without its tests", () => {
  it('drops a #[cfg(test)] function, a cfg(all(test, ...)) module with braces inside (and in a string), and a #[path] test module; keeps the rest', () => {
    const { withoutTests } = require('../bench/lines')
    const rust = `use std::fmt;
/// Kept.
pub fn kept() -> String {
    format!("{}", 1)
}
#[cfg(test)]
pub fn only_for_tests() {
    let _ = format!("{{}}");
}
#[cfg(all(test, target_os = "linux"))]
mod tests {
    #[test]
    fn t() {
        if true { assert!(true) }
        let _ = "}\\n}";
    }
}
pub const AFTER: u8 = 1;
#[cfg(test)]
#[path = "x_tests.rs"]
mod decisions;
pub const LAST: u8 = 2;`
    assert.strictEqual(withoutTests(rust.split('\n')), 7)
  })
})

for (const [name, file] of [
  ['index.js', INDEX],
  ['node.js', NODE_ENTRY],
]) {
  describe(`${name} names exactly what lib/api.js exports`, () => {
    it('lib/api.js exports the API (a list that were empty would make every check below vacuous)', () => {
      assert.ok(API_NAMES.includes('warmup') && API_NAMES.includes('codes'), `lib/api.js exports: ${API_NAMES.join(', ')}`)
    })

    it(`under Node, require() loads ${name} alone; module.exports has lib/api.js's names, in its order, each a plain value`, async () => {
      const out = await plainEntry(file)
      assert.deepStrictEqual(out.loadedByRequire, [], 'modules of lib/ loaded by the require')
      assert.deepStrictEqual(out.namesBeforeUse, API_NAMES)
      assert.deepStrictEqual(out.accessorsBeforeUse, [])
      // Of the API's own kind: a function for a function, the codes table for the codes table.
      const api = require(API)
      assert.deepStrictEqual(out.kindsBeforeUse, Object.fromEntries(API_NAMES.map((name) => [name, typeof api[name]])))
    })

    it("first use gives every name lib/api.js's own value, as a plain property, and adds no name", async () => {
      const out = await plainEntry(file)
      assert.deepStrictEqual(out.apiNames, API_NAMES)
      assert.deepStrictEqual(out.notTheApis, [])
      assert.deepStrictEqual(out.gettersAfterUse, [])
      assert.deepStrictEqual(out.namesAfterUse, API_NAMES)
    })

    it("each function's stand-in calls its own name's API function with the arguments given; codes' is the codes table", async () => {
      const out = await plainEntry(file)
      assert.deepStrictEqual(out.wrongStandIns, [])
      assert.strictEqual(out.codesStandIn, 'the codes table')
    })

    it('exports the app froze before first use: the stand-ins stay and still call the API', async () => {
      const out = await entryIn(file, 'freeze')
      assert.deepStrictEqual(out.notTheApis, API_NAMES)
      assert.deepStrictEqual(out.wrongStandIns, [])
    })

    it('a name assigned before first use keeps the assigned value, as on the API object', async () => {
      const out = await entryIn(file, 'assign')
      assert.strictEqual(out.assigned, true)
      assert.deepStrictEqual(out.notTheApis, ['warmup'])
      assert.deepStrictEqual(out.gettersAfterUse, [])
    })
  })
}

once.describe('a Bun require or ESM import with no settings compiles index.js alone (Bun pays for every module it loads)', () => {
  const ws = project.workspace()
  after(() => ws.cleanup())
  for (const version of BUN_MATRIX) {
    for (const how of ['require', 'import']) {
      it(`Bun ${version}: an installed project's ${how} loads no file of lib/ and warms up from the platform package`, async () => {
        const app = ws.createProject({ label: `entry-${how}-${version}` })
        const out = jsonOf(await runChild('entry-modules.js', { runtime: paths.bun(version), args: [app.warmupDir, how] }))
        assert.deepStrictEqual(out.loaded, ['index.js'])
        assert.deepStrictEqual([out.warmed, out.source], [true, 'package'])
      })
    }
  }

  for (const how of ['require', 'import']) {
    it(`Node: an installed project's ${how} loads node.js alone, no file of lib/ (an import reads every name as it imports)`, async () => {
      const app = ws.createProject({ label: `entry-${how}-node` })
      const out = jsonOf(await runChild('entry-modules.js', { runtime: RUNTIMES.node, args: [app.warmupDir, how] }))
      assert.deepStrictEqual(out.loaded, ['node.js'])
      assert.deepStrictEqual([out.warmed, out.source], [false, null])
    })
  }
})
