'use strict'
// Alpine (musl libc): npm installs asherah-warmup there without asherah-warmup-linux-x64-gnu (its `libc` is glibc), and
// under Bun the require must fail with UNSUPPORTED_PLATFORM saying musl, not NOT_FOUND with a fix (install the optional
// dependencies) that cannot work. lib/addon.js missing() tells musl by a diagnostic report that names no glibc, so this
// runs a real musl Bun: npm's @oven/bun-linux-x64-musl on Debian 13's musl, by its loader (`libc.so --library-path`,
// as the binary names Alpine's /lib/ld-musl-x86_64.so.1), with Alpine's libstdc++ the binary needs (scripts/setup.sh,
// MUSL_* in scripts/versions.env). The glibc Bun on the same project is the control. Linux x64 only (the unpacked
// musl is x64's). Each Bun is named here, so this runs once (suite.js once).
const assert = require('node:assert')
const fs = require('node:fs')
const path = require('node:path')
const { once, it, jsonOf, runChild } = require('./helpers/suite')
const paths = require('./helpers/paths')
const { workspace } = require('./helpers/project')
const { versionsEnv } = require('../scripts/lib/versions')
const { platforms } = require('../scripts/sync-versions')

const { BUN_LATEST } = versionsEnv()
const MUSL_LIBC = path.join(paths.musl, 'libc.so')
const linuxX64 = process.platform === 'linux' && process.arch === 'x64'
const ws = workspace()
let app

once.before(() => {
  // What npm leaves on Alpine: every linux platform package is for glibc, so none is installed.
  const linux = platforms(JSON.parse(fs.readFileSync(path.join(paths.root, 'package.json'), 'utf8'))).filter((p) => p.os === 'linux')
  assert.deepStrictEqual(new Set(linux.map((p) => p.libc)), new Set(['glibc']))
  app = ws.createProject({ addon: false, label: 'alpine' })
})
once.after(() => ws.cleanup())

/** fixtures/children/libc-require.js in the app, under `runtime` (with `execArgv`). */
const requireIn = async (runtime, execArgv = []) => jsonOf(await runChild('libc-require.js', { runtime, execArgv, cwd: app.root }))

once.describe(`on musl (Alpine), Bun ${BUN_LATEST}'s require fails with UNSUPPORTED_PLATFORM naming musl`, () => {
  ;(linuxX64 ? it : it.skip)(`npm's musl Bun ${BUN_LATEST} on musl's loader`, async () => {
    const out = await requireIn(MUSL_LIBC, ['--library-path', paths.muslLibstdcxx, paths.bunMusl(BUN_LATEST)])
    // It ran on musl, or the assertions below prove nothing: the musl Bun, a report header naming no glibc, and musl's
    // libc.so the one C library mapped (no glibc libc.so.6 or ld-linux).
    assert.strictEqual(out.bun, BUN_LATEST)
    assert.deepStrictEqual({ header: out.header, glibc: out.glibc }, { header: true, glibc: null })
    assert.deepStrictEqual(out.libcs, [fs.realpathSync(MUSL_LIBC)])
    assert.strictEqual(out.r.code, 'ERR_ASHERAH_WARMUP_UNSUPPORTED_PLATFORM', JSON.stringify(out.r))
    assert.match(out.r.message, /this is a musl libc system, where Go c-shared libraries cannot be dlopened/)
    assert.doesNotMatch(out.r.message, /--include=optional/)
  })

  // The control: the same app under glibc is a missing package, so the code above is musl's doing.
  ;(linuxX64 ? it : it.skip)(`the same app under the glibc Bun ${BUN_LATEST}: NOT_FOUND`, async () => {
    const out = await requireIn(paths.bun(BUN_LATEST))
    assert.match(String(out.glibc), /^2\.\d+$/)
    assert.strictEqual(out.r.code, 'ERR_ASHERAH_WARMUP_NOT_FOUND', JSON.stringify(out.r))
  })
})
