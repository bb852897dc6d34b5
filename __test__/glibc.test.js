'use strict'
// The linux x64 files, run on a glibc older than the 2.33/2.34 that a build without the glibc
// floor needs: Debian 11's 2.31, which scripts/setup.sh unpacks into .tools/old-glibc. Each Bun
// runs on that glibc's own loader and libraries (`ld.so --library-path`), requires the package,
// warms up from the addon and library beside each other (npm/linux-x64-gnu/), and runs
// WebAssembly. artifacts.test.js checks the files' symbol versions against GLIBC_FLOOR; this runs
// them. Linux x64 only (the unpacked glibc is x64's). Each Bun is named here, so this runs once
// (suite.js once).
const assert = require('node:assert')
const path = require('node:path')
const { once, it, jsonOf, runChild } = require('./helpers/suite')
const paths = require('./helpers/paths')
const { versionsEnv } = require('../scripts/lib/versions')
const { BUN_MATRIX } = require('../scripts/lib/signal-scenarios')

const { OLD_GLIBC_DEB } = versionsEnv()
const OLD_GLIBC = /libc6_(\d+\.\d+)-/.exec(OLD_GLIBC_DEB)[1]
const LIBS = path.join(paths.oldGlibc, 'lib', 'x86_64-linux-gnu')
const linuxX64 = process.platform === 'linux' && process.arch === 'x64'

once.describe(`on glibc ${OLD_GLIBC} (Debian 11), Bun warms up from the linux-x64 addon and library`, () => {
  for (const version of BUN_MATRIX) {
    ;(linuxX64 ? it : it.skip)(`Bun ${version}`, async () => {
      const runtime = path.join(LIBS, 'ld-linux-x86-64.so.2')
      const execArgv = ['--library-path', LIBS, paths.bun(version)]
      const out = jsonOf(await runChild('require-then-wasm.js', { runtime, execArgv, args: [path.join(paths.root, 'index.js')] }))
      assert.strictEqual(out.glibc, OLD_GLIBC, 'the child did not run on the old glibc')
      assert.deepStrictEqual([out.status.warmed, out.status.result, out.status.source], [true, 1, 'package'])
      assert.strictEqual(out.alive, true)
    })
  }
})
