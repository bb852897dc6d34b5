'use strict'
// (di), (cn1i): a package as an ESM import finds it, `import(<name>)` (default asherah-warmup; Bun
// builds the namespace from module.exports, reading every name), timed like require.js up to the
// resolved namespace.
const report = require('./_report')
const t0 = performance.now()
import(process.argv[2] ?? 'asherah-warmup').then(() => report(t0, performance.now() - t0))
