'use strict'
// (di): the package as an ESM import finds it, `import('asherah-warmup')` (Bun builds the namespace
// from module.exports, reading every name), timed like require.js up to the resolved namespace.
const report = require('./_report')
const t0 = performance.now()
import('asherah-warmup').then(() => report(t0, performance.now() - t0))
